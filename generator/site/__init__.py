"""Layer 2, the site: the linked record set (references resolved once, both ways), every address of every output
(:mod:`generator.site.addresses`), escaping by context, the publication's facts, the downloads' manifest and the
one writer that refuses a second claim on a path. Imports only :mod:`generator.records`."""
