"""Links that last: every former id of a record keeps its address, as a small static page that forwards to the
record's page (meta refresh, canonical link and a visible link; no JavaScript)."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from generator.records.kinds import MODELS
from generator.site.addresses import redirect_path
from generator.site.link import Site

REDIRECT = """<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Umgezogen: {title}</title>
<meta http-equiv="refresh" content="0; url={url}">
<link rel="canonical" href="{url}">
<meta name="robots" content="noindex">
</head>
<body>
<main>
<h1>Diese Seite ist umgezogen</h1>
<p>Sie finden sie jetzt hier: <a href="{url}">{title}</a></p>
</main>
</body>
</html>
"""


def redirect_pages(site: Site) -> Iterator[tuple[str, str]]:
    """``(path below the docs folder, HTML)`` for each former id: ``vorlagen/alt/index.html`` → ``../neu/``."""
    for kind in MODELS:
        for record in site.records.of_kind(kind).values():
            ref = site.ref(kind, record.id)
            for former in record.former_ids:
                html = REDIRECT.format(title=escape(ref.title), url=escape(f"../{record.id}/"))
                yield redirect_path(kind, former), html
