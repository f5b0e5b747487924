"""Transparency site generator: YAML records → validated, cross-linked Markdown → MkDocs Material site."""

__version__ = "0.1.0"
