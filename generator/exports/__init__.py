"""Layer 3, the exports: every file other than a page (record JSON, CSV/JSON tables, OParl, Atom, iCal, redirect
pages, the address list) and the manifest of the downloads (:mod:`generator.exports.stage`). Imports the records
and the site, never the pages."""
