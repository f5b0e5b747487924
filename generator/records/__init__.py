"""Layer 1, the records: read and check the input. The typed models and their kinds, the YAML loader,
validation with its problem codes, the site settings and the public edit history. Imports nothing above it."""
