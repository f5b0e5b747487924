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
from dataclasses import dataclass
from pathlib import Path

import pathspec

from generator.site.addresses import DATA_PAGE, HOME_PAGE

SITEMAP = "sitemap.xml"
# The pages in mkdocs.yml's nav, built by every shard: the start page, the sections' overviews, the Daten page.
NAV_PAGES = ("/" + HOME_PAGE, "/*/" + HOME_PAGE, "/" + DATA_PAGE)
_URL = re.compile(r"<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>(.*?)</loc>")


def exclude_patterns(docs_dir: Path, jobs: int) -> list[str]:
    """For each shard, the ``exclude_docs`` lines that leave out the other shards' pages.

    Each folder's pages are split by one character of their names, counted from the end, at the place where the
    characters divide them most evenly (:func:`_split`): for ``vorlage-2014-00017-pdf.md`` one of the number's
    digits, never the last character (every document page ends in ``-pdf``); a name too short for that place is
    left out by a line of its own. The folders are split largest first, each evening out what the ones before left
    uneven. Pages are counted, not weighed: MkDocs' time for a page hardly depends on its length (at 10,000
    records, 6,538 document pages of 8 kB each on average took about as long per page as the papers' pages of
    3 kB). Pages in the navigation (``index.md`` at the top two levels, the Daten page) are built by every shard,
    so no shard's navigation points at a page it left out.
    """
    nav = pathspec.GitIgnoreSpec.from_lines(NAV_PAGES)
    stems: dict[str, list[str]] = defaultdict(list)
    for page in docs_dir.rglob("*.md"):
        rel = page.relative_to(docs_dir)
        if not nav.match_file(rel.as_posix()):
            stems[rel.parent.as_posix()].append(page.stem)
    loads = [0] * jobs
    shards: list[list[str]] = [[] for _ in range(jobs)]
    for folder, names in sorted(stems.items(), key=lambda item: (-len(item[1]), item[0])):
        split = _split(names, loads)
        loads = split.loads
        prefix = "" if folder == "." else f"{folder}/"
        for shard, lines in enumerate(shards):
            other = [c for c, owner in sorted(split.chars.items()) if owner != shard]
            if other:
                lines.append(f"/{prefix}*[{_bracket(other)}]{'?' * (split.place - 1)}.md")
            lines += [f"/{prefix}{name}.md" for name, owner in sorted(split.short.items()) if owner != shard]
    return ["\n".join([*lines, *(f"!{page}" for page in NAV_PAGES)]) + "\n" for lines in shards]


SPLIT_PLACES = 8  # characters from the end of a page's name tried for the split
SHORT_NAMES = 100  # at most as many names of a folder too short for a place, each left out by a line of its own


@dataclass(frozen=True)
class _Split:
    place: int  # from the end: 1 is the last character
    chars: dict[str, int]  # the character there -> its shard
    short: dict[str, int]  # a name shorter than the place -> its shard
    loads: list[int]  # each shard's pages with this folder's


def _split(names: list[str], loads: list[int]) -> _Split:
    """The split of a folder's ``names`` onto shards already holding ``loads`` pages that leaves the shards most
    even: at each place tried, the characters there (most frequent first) and the names too short for it each go
    to the shard with the fewest pages so far. Of equally even splits the one nearest the end wins."""
    best: tuple[list[int], int, _Split] | None = None
    for place in range(1, min(SPLIT_PLACES, max(len(n) for n in names)) + 1):
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for name in names:
            counts[("char", name[-place]) if len(name) >= place else ("name", name)] += 1
        if sum(kind == "name" for kind, _ in counts) > SHORT_NAMES:
            continue
        new = list(loads)
        owner: dict[tuple[str, str], int] = {}
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            shard = new.index(min(new))
            owner[key] = shard
            new[shard] += count
        split = _Split(
            place,
            chars={value: s for (kind, value), s in owner.items() if kind == "char"},
            short={value: s for (kind, value), s in owner.items() if kind == "name"},
            loads=new,
        )
        evenness = sorted(new, reverse=True)
        if best is None or (evenness, place) < (best[0], best[1]):
            best = (evenness, place, split)
    assert best is not None  # place 1: every name has a last character
    return best[2]


def _bracket(chars: list[str]) -> str:
    """The characters of a ``[…]`` group of an ``exclude_docs`` pattern: page names hold ``a-z``, ``0-9`` and
    ``-``; the hyphen goes last, where it stands for itself (escaped, pathspec reads it as a broken range)."""
    return "".join(sorted(chars, key=lambda c: (c == "-", c)))


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
