"""Layer 3, publishing: run MkDocs over the written pages (in shards on large sites), install the theme, index the
search, swap the new site in whole, and lock the folders against a second build. Imports only the site layer."""
