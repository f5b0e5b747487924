"""Layer 3, the pages: view data for every page and the Jinja2 templates that lay it out as Markdown
(:mod:`generator.pages.render`). Imports the records and the site, never the exports."""
