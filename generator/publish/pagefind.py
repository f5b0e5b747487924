"""Which Pagefind indexes the site, and with which options (the build and the build cache's key use it)."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import cbor2

log = logging.getLogger(__name__)

# Template text that stands on every page of a kind and would make every page match its words: permalink signs,
# table headers, the labels of the fact lists ("Datum:"), admonition titles, the citation box (it repeats the
# title and names the organisation on every page) and the sentences that say a list is empty ("Keine Sitzungen
# erfasst."). Record values stay searchable.
# Of the start page and the overviews (marked "uebersicht" by theme/main.html) only the heading is indexed: their
# lists repeat the titles, names and dates of many records, so that a search for words of two different records
# would find the list only, and every search for a record would find its overviews beside it.
SEARCH_IGNORE = ".headerlink, th, li > strong:first-child, .admonition-title, .zitieren, .leer, .uebersicht > :not(h1)"

# `make` installs Pagefind's newest release from the npm registry beside the venv's Python (scripts/pagefind_npm.py);
# without it (another platform, an install with pip alone), PyPI's Pagefind runs. PAGEFIND_BINARY_PATH, which
# PyPI's wrapper honours, names any other binary.
BESIDE_PYTHON = "pagefind_extended"


def command() -> list[str]:
    """The command line that runs Pagefind."""
    beside = Path(sys.executable).parent / BESIDE_PYTHON
    if "PAGEFIND_BINARY_PATH" not in os.environ and beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [sys.executable, "-m", "pagefind"]


def environment() -> dict[str, str]:
    """The environment Pagefind runs in: without ``PAGEFIND_*`` settings (a language forced, another output folder),
    which would change the index behind the build cache's back; ``PAGEFIND_BINARY_PATH`` only names the binary."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_") or k == "PAGEFIND_BINARY_PATH"}


@functools.cache
def _version(line: tuple[str, ...], binary: str | None) -> str:
    try:
        done = subprocess.run(
            [*line, "--version"], capture_output=True, text=True, timeout=60, check=False, env=environment()
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"not runnable: {error}"
    return done.stdout.strip() or f"exit {done.returncode}"


def version() -> str:
    """What ``pagefind --version`` prints (``pagefind 1.6.0``), asked once per process and binary."""
    return _version(tuple(command()), os.environ.get("PAGEFIND_BINARY_PATH"))


# Reusing the last index's fragments. Pagefind writes each page's fragment (its text and title for the results,
# gzip-compressed at the highest level, in one thread) under a hash of its content, and does not write a fragment
# whose file is there already; compressing the fragments is about a third of its time. A build from the cache
# (generator.publish.builder) keeps the fragments of the pages whose HTML did not change, so Pagefind writes only
# the others. Only those: a kept file must be the very fragment this run makes of the same page under the same name,
# and what is left over or not whole is found afterwards (prune_fragments).
FRAGMENTS = "fragment"
_DECLARED = b"pagefind_dcd"  # what Pagefind writes at the start of each file it compresses
_URL = re.compile(rb'^\{"url":"((?:[^"\\]|\\.)*)"')
# A fragment's name: its language and the first seven hex digits of its content's SHA-1, more digits where two
# fragments of one run share those seven. Which of the two gets the short name depends on the order in which
# Pagefind comes across the pages, which can differ between two runs (another file system, a restored cache).
_NAME = re.compile(r"(.+_[0-9a-f]{7})([0-9a-f]*)\.pf_fragment")


def keep_fragments(index: Path, *, unchanged: set[str], known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Make the last build's index folder ``index`` ready for the next index of the same site: only the fragments of
    the pages at the addresses ``unchanged`` (``/vorlagen/x/``, pages whose HTML is the same) stay, and of them only
    those whose seven digits no other fragment had (the others may swap names); everything else is removed.
    ``known``: the page address of each fragment file as the last build found it (:func:`prune_fragments`), for
    files that are still the ones it read (the build cache checked them); any other file is read for it.
    Returns each kept fragment's file name and page address; empty where nothing is kept."""
    known = known or {}
    folder = index / FRAGMENTS
    names = sorted(os.listdir(folder)) if folder.is_dir() and not folder.is_symlink() else []
    found = {name: match for name in names if (match := _NAME.fullmatch(name))}
    shared = Counter(match.group(1) for match in found.values())
    kept: dict[str, str] = {}
    for name in names:
        match = found.get(name)
        plain = match is not None and not match.group(2) and shared[match.group(1)] == 1
        url = (known.get(name) or _fragment_url(folder / name)) if plain else None
        if url is not None and url in unchanged:
            kept[name] = url
        else:
            (folder / name).unlink()
    for entry in list(os.scandir(index)) if index.is_dir() else []:
        if entry.name == FRAGMENTS and kept:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    return kept


def prune_fragments(index: Path, kept: dict[str, str]) -> dict[str, str] | None:
    """After Pagefind wrote ``index`` over the ``kept`` fragments: remove those it does not name. If the index is
    whole (every fragment it names is there, and no page has two: a kept file that another page's fragment was
    meant to replace), returns each of its fragment files' page address (for the next build's
    :func:`keep_fragments`); ``None`` if not, or if its list of files cannot be read: then index the site anew."""
    try:
        named = _fragments_named(index)
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        zlib.error,
        cbor2.CBORDecodeError,
    ) as exc:
        log.warning("Pagefind's index cannot be read (%s): the search index is built anew", exc)
        return None
    folder = index / FRAGMENTS
    for name in kept.keys() - named:
        (folder / name).unlink()
    urls = {name: kept.get(name) or _fragment_url(folder / name) for name in named}
    found = {name: url for name, url in urls.items() if url is not None}
    return found if len(found) == len(urls) == len(set(found.values())) else None


def _fragments_named(index: Path) -> set[str]:
    """The fragment files the index in ``index`` names (its entry file names a list per language)."""
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    named: set[str] = set()
    for language in entry["languages"].values():
        meta = cbor2.loads(_unpacked((index / f"pagefind.{language['hash']}.pf_meta").read_bytes()))
        named.update(f"{page[0]}.pf_fragment" for page in meta[1])  # [version, pages [[hash, words, …]], …]
    return named


def _fragment_url(path: Path) -> str | None:
    """The page address a fragment file is of (it begins ``{"url":"…"``); ``None`` if it cannot be read."""
    try:
        match = _URL.match(_unpacked(path.read_bytes(), limit=4096))
        return str(json.loads(b'"' + match.group(1) + b'"')) if match else None
    except (OSError, ValueError, zlib.error):
        return None


def _unpacked(data: bytes, *, limit: int = 0) -> bytes:
    """A file Pagefind compressed, unpacked (its first ``limit`` bytes only, where given)."""
    unpacked = zlib.decompressobj(47).decompress(data, limit)
    if not unpacked.startswith(_DECLARED):
        raise ValueError("not a file of Pagefind")
    return unpacked[len(_DECLARED) :]
