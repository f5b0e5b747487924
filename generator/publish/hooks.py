"""MkDocs hook (``hooks:`` in mkdocs.yml; every build copies this file to ``build/hooks.py``): links to the site's
data files and attachments, written as HTML because they are no MkDocs documents, are relative to the Markdown
file like every Markdown link (``vorlagen/x.md`` links ``x.json``). Zensical reads them so; MkDocs leaves HTML
alone, so this hook turns each such link (marked ``data-datei``) into the address relative to the built page
(``/vorlagen/x/`` → ``../x.json``), as MkDocs does for Markdown links. No import of the generator: MkDocs loads
this file by its path."""

from __future__ import annotations

import posixpath
import re
from typing import Any

_LINK = re.compile(r'<a href="([^"]*)" data-datei>')
_KEPT = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.I)  # a web address, a path from the root, an anchor


def on_page_content(html: str, page: Any, **_: Any) -> str:
    if "data-datei" not in html:
        return html
    source = posixpath.dirname(page.file.src_uri)
    built = page.url if page.url.endswith("/") or not page.url else posixpath.dirname(page.url) + "/"

    def move(match: re.Match[str]) -> str:
        href = match.group(1)
        if _KEPT.match(href):
            return match.group(0)
        cut = re.search(r"[?#]", href)
        path, tail = (href[: cut.start()], href[cut.start() :]) if cut else (href, "")
        target = posixpath.normpath(posixpath.join(source, path))
        return f'<a href="{posixpath.relpath(target, built.rstrip("/") or ".")}{tail}" data-datei>'

    return _LINK.sub(move, html)
