"""The build cache (``build/cache`` by default): the pages MkDocs built last time, with the Markdown and the inputs
they were built from, so that the next build builds only the pages whose Markdown changed.

A page's HTML depends on its Markdown and on what every page shares: ``mkdocs.yml`` (with ``!ENV`` resolved), the
theme and its overrides, the hook, the versions of MkDocs, Material, Python-Markdown and Pagefind, and the cache's
own format. Those make the cache's key; a cache with another key is foreign and not used. The cache holds a hard
link (or copy) of each file MkDocs and Pagefind wrote, with its size, time and checksum (a file whose time changed,
as after a CI system restored the cache, is read and compared whole): a cache whose files do not match is damaged
and not used (a warning says so; the build is then a clean one and writes a new cache). The site's data files are
not in the cache: every build links them in anew.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.publish.theme import HOOKS_FILE, THEME_DIR
from generator.site.publication import read_config

log = logging.getLogger(__name__)

FORMAT = 2
MANIFEST = "manifest.json"
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pagefind", "pagefind-bin")


@dataclass(frozen=True, slots=True)
class Cached:
    """A usable cache: its site folder and the Markdown hash of each page it was built from."""

    site: Path
    pages: dict[str, str]


def cache_key(config_file: Path, engine: str) -> str:
    """What every page's HTML depends on besides its own Markdown."""
    sha = hashlib.sha256(f"format {FORMAT} engine {engine}\n".encode())
    config = read_config(config_file.read_text(encoding="utf-8"))
    sha.update(json.dumps(config, sort_keys=True, default=str).encode())
    base = config_file.resolve().parent
    for path in sorted((base / THEME_DIR).rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    hooks = base / HOOKS_FILE
    if hooks.is_file():
        sha.update(hooks.read_bytes())
    for package in PACKAGES:
        try:
            sha.update(f"{package} {version(package)}\n".encode())
        except PackageNotFoundError:
            sha.update(f"{package} -\n".encode())
    return sha.hexdigest()


def page_hashes(docs_dir: Path) -> dict[str, str]:
    """The SHA-256 of each Markdown page below ``docs_dir``, by its path there."""
    return {
        path.relative_to(docs_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(docs_dir.rglob("*.md"))
    }


def open_cache(folder: Path, key: str) -> Cached | None:
    """The cache in ``folder`` if it was made with ``key`` and its files are as it recorded them; else ``None``
    (a warning for a damaged or foreign one)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("key") != key:
            log.warning("build cache %s is from other settings or versions: a clean build replaces it", folder)
            return None
        site = folder / "site"
        for name, (size, mtime, checksum) in data["files"].items():
            stat = (site / name).stat()
            if stat.st_size != size:
                raise ValueError(f"{name} changed")
            if stat.st_mtime_ns != mtime and _checksum(site / name) != checksum:
                raise ValueError(f"{name} changed")  # a file with a new time (a CI restore) is read whole
        pages = {str(k): str(v) for k, v in data["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("build cache %s is damaged (%s): a clean build replaces it", folder, exc)
        return None
    return Cached(site, pages)


def store_cache(folder: Path, *, key: str, site_dir: Path, pages: dict[str, str], leave_out: set[str]) -> None:
    """Keep the built site (less ``leave_out``, the data files) as the cache for the next build. A file that is
    the cache's own already (the same file, linked from it into the site) keeps its record; the others are linked
    in and checked."""
    manifest = folder / MANIFEST
    known: dict[str, list[object]] = {}
    try:
        old = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
        known = old.get("files", {}) if old.get("format") == FORMAT else {}
    except (OSError, ValueError, AttributeError):
        known = {}
    manifest.unlink(missing_ok=True)  # no manifest while the files change: an interrupted store is no cache
    site = folder / "site"
    files: dict[str, tuple[int, int, str]] = {}
    for current, _, names in os.walk(site_dir):
        rel = Path(current).relative_to(site_dir)
        for name in names:
            path = (rel / name).as_posix()
            if path in leave_out:
                continue
            source, target = Path(current) / name, site / path
            entry = known.get(path)
            if entry is not None and target.is_file() and os.path.samefile(source, target):
                stat = target.stat()
                if [stat.st_size, stat.st_mtime_ns] == entry[:2]:
                    files[path] = (stat.st_size, stat.st_mtime_ns, str(entry[2]))
                    continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            link_or_copy(source, target)
            stat = target.stat()
            files[path] = (stat.st_size, stat.st_mtime_ns, _checksum(target))
    for stale in sorted(site.rglob("*"), reverse=True) if site.is_dir() else []:
        if stale.is_file() and stale.relative_to(site).as_posix() not in files:
            stale.unlink()
        elif stale.is_dir() and not any(stale.iterdir()):
            stale.rmdir()
    text = json.dumps({"format": FORMAT, "key": key, "pages": pages, "files": files}, sort_keys=True)
    manifest.write_text(text, encoding="utf-8")


def _checksum(path: Path) -> str:
    """The file's content, checked (a CI cache restores files with new times: times prove nothing)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def html_of(page: str, *, directory_urls: bool) -> str:
    """The HTML file MkDocs writes for the Markdown page ``page``: ``a/b.md`` → ``a/b/index.html``."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index") or not directory_urls:
        return f"{stem}.html"
    return f"{stem}/index.html"
