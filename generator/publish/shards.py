"""Parallel MkDocs builds: split the pages into shards, build each in its own process, merge the outputs.

MkDocs renders one page after another on one core. Every page of this site stands alone (the navigation holds
the sections only), so the pages can be built in parallel: each shard is an ordinary strict MkDocs build whose
``exclude_docs`` leaves out the other shards' pages (links to them still resolve; MkDocs only notes them at
INFO level). The outputs are then merged: pages are moved together, and the sitemaps every shard writes for its
own pages are joined. (The search index is built afterwards, over the merged site.)
"""

from __future__ import annotations

import gzip
import os
import re
from collections import defaultdict
from pathlib import Path

from generator.site.addresses import DATA_PAGE, HOME_PAGE

SITEMAP = "sitemap.xml"
# The pages in mkdocs.yml's nav, built by every shard: the start page, the sections' overviews, the Daten page.
NAV_PAGES = ("/" + HOME_PAGE, "/*/" + HOME_PAGE, "/" + DATA_PAGE)
_URL = re.compile(r"<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>")


def exclude_patterns(docs_dir: Path, jobs: int) -> list[str]:
    """For each shard, the ``exclude_docs`` lines that leave out the other shards' pages.

    A page belongs to shard ``ord(last letter of its name) % jobs`` – ids end in varied letters and digits, so
    the shards come out about equal. Pages in the navigation (``index.md`` at the top two levels) are built by
    every shard, so no shard's navigation points at a page it left out.
    """
    chars: dict[str, set[str]] = defaultdict(set)
    for page in docs_dir.rglob("*.md"):
        rel = page.relative_to(docs_dir)
        chars[rel.parent.as_posix()].add(page.stem[-1])
    shards = []
    for shard in range(jobs):
        lines = []
        for folder, found in sorted(chars.items()):
            other = sorted(c for c in found if ord(c) % jobs != shard)
            if other:
                prefix = "" if folder == "." else f"{folder}/"
                lines.append(f"/{prefix}*[{''.join(re.escape(c) for c in other)}].md")
        lines += [f"!{page}" for page in NAV_PAGES]
        shards.append("\n".join(lines) + "\n")
    return shards


def merge(into: Path, others: list[Path]) -> None:
    """Move every file of ``others`` that ``into`` lacks into it; join the sitemaps."""
    sitemaps = [into / SITEMAP, *(o / SITEMAP for o in others)]
    for other in others:
        for path in sorted(other.rglob("*")):
            if not path.is_file():
                continue
            target = into / path.relative_to(other)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    if sitemaps[0].exists():
        _join_sitemaps(sitemaps)


def _join_sitemaps(paths: list[Path]) -> None:
    entries: dict[str, str] = {}
    for path in paths:
        for block in _URL.findall(path.read_text(encoding="utf-8")):
            loc = _LOC.search(block)
            entries.setdefault(loc.group(1) if loc else block, block)
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(f"    {entries[loc]}" for loc in sorted(entries))
        + "\n</urlset>\n"
    )
    _write_sitemap(paths[0], text)


def _write_sitemap(path: Path, text: str) -> None:
    """``sitemap.xml`` and ``sitemap.xml.gz`` as new files (never written through a hard link into the cache)."""
    data = text.encode("utf-8")
    gz = path.with_name(SITEMAP + ".gz")
    path.unlink(missing_ok=True)
    path.write_bytes(data)
    gz.unlink(missing_ok=True)
    gz.write_bytes(gzip.compress(data, mtime=0))


_LASTMOD = re.compile(r"<lastmod>\d{4}-\d{2}-\d{2}</lastmod>")


def refresh_sitemap(site_dir: Path) -> None:
    """A sitemap taken from the build cache, dated as MkDocs dates every page: the day of this build
    (``SOURCE_DATE_EPOCH`` where set); ``sitemap.xml.gz`` written from it as the shards' merge writes it."""
    path = site_dir / SITEMAP
    if not path.is_file():
        return
    from mkdocs.utils import get_build_date

    _write_sitemap(path, _LASTMOD.sub(f"<lastmod>{get_build_date()}</lastmod>", path.read_text(encoding="utf-8")))
