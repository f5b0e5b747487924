"""The docs folder of a partial build: the live preview's update and a build from the cache build a few pages, and
MkDocs builds them fastest from a folder that holds only those pages, the pages they link to and the pages of the
navigation (hard links, in a temporary folder). MkDocs lists every file of its docs folder before it builds
anything (16,700 pages at 10,000 records, about half a second); it reads only the pages it builds.

The pages come out as from the whole docs folder (tested). A link this module does not see makes the build fail in
strict mode (the hook reports a target that is not there), or, where ``validation.links.not_found`` is set below
a warning, leaves a link to a Markdown file in the page (:func:`unresolved`); the builder then builds from the
whole docs folder, which also reports a real broken link as a full build does. (MkDocs' warning for such a link
is printed all the same before that second build.)
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from generator.publish.cache import link_or_copy
from generator.publish.hooks import KEPT, PAGE_LINK, split_href
from generator.publish.shards import NAV_PAGES

_MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
_UNRESOLVED = re.compile(r'href="[^"]*\.md(?:[#?][^"]*)?"')


def navigation(docs_dir: Path) -> list[str]:
    """The pages of the navigation that ``docs_dir`` has (:data:`generator.publish.shards.NAV_PAGES`: the start
    page, each section's overview, the Daten page)."""
    found = {p.relative_to(docs_dir).as_posix() for pattern in NAV_PAGES for p in docs_dir.glob(pattern.lstrip("/"))}
    return sorted(found)


def partial_docs(docs_dir: Path, pages: Iterable[str], into: Path) -> int:
    """Fill the empty folder ``into`` with what building ``pages`` (paths below ``docs_dir``) needs: the pages, the
    pages they link to and the navigation's pages (which MkDocs needs for the navigation; their own links count
    only where they are among ``pages``), as hard links (copies where the file system has none). Returns how
    many."""
    wanted = {*pages, *navigation(docs_dir)}
    for page in set(pages):
        base = posixpath.dirname(page)
        text = (docs_dir / page).read_text(encoding="utf-8")
        for match in (*PAGE_LINK.finditer(text), *_MARKDOWN_LINK.finditer(text)):
            href = html.unescape(match.group(1))
            if KEPT.match(href):
                continue
            path = posixpath.normpath(posixpath.join(base, split_href(href)[0]))
            if path.endswith(".md") and not path.startswith("../"):
                wanted.add(path)
    count = 0
    for page in wanted:
        source = docs_dir / page
        if source.is_file():
            target = into / page
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, target)
            count += 1
    return count


def unresolved(html_text: str) -> bool:
    """Whether a built page still links to a Markdown file: a link MkDocs or the hook did not turn into a page's
    address (where ``validation.links.not_found`` is set below a warning, a strict build does not fail on it)."""
    return _UNRESOLVED.search(html_text) is not None
