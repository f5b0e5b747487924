"""Which Pagefind indexes the site, and with which options (the build and the build cache's key use it)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

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
