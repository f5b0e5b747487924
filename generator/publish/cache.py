"""The build cache (``build/cache`` by default): the pages MkDocs built last time, with the Markdown and the inputs
they were built from, so that the next build builds only the pages whose Markdown changed.

A page's HTML depends on its Markdown and on what every page shares: ``mkdocs.yml`` (with ``!ENV`` resolved), the
theme and its overrides, the hook, what a hand-edited ``mkdocs.yml`` names besides (``INHERIT``, ``hooks``, another
``custom_dir``), the versions of MkDocs, Material, Python-Markdown and Pagefind, and the cache's
own format. Those make the cache's key; a cache with another key is foreign and not used. The cache holds a hard
link (or copy) of each file MkDocs and Pagefind wrote, with its size, time and checksum (a file whose time changed,
as after a CI system restored the cache, is read and compared whole): a cache whose files do not match is damaged
and not used (a warning says so; the build is then a clean one and writes a new cache). The site's data files are
not in the cache: every build links them in anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.publish import pagefind
from generator.publish.theme import HOOKS_FILE, THEME_DIR
from generator.records.attachments import sha256_of
from generator.site.publication import read_config
from generator.site.write import remove_unlisted

log = logging.getLogger(__name__)

FORMAT = 3
MANIFEST = "manifest.json"
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


@dataclass(frozen=True, slots=True)
class Cached:
    """A usable cache: its site folder and the Markdown hash of each page it was built from."""

    site: Path
    pages: dict[str, str]
    files: tuple[str, ...]  # the files the cache recorded: only these are taken (anything else there is not its own)
    fragments: dict[str, str] = field(default_factory=dict)  # each search fragment file's page, where recorded


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
    for named in _named_files(config, base):  # what a hand-edited mkdocs.yml adds: INHERIT, hooks, a custom_dir
        sha.update(os.path.relpath(named, base).encode() + b"\0" + named.read_bytes())
    for module in sorted(Path(__file__).parent.glob("*.py")):  # how pages are built and indexed (Pagefind options)
        sha.update(module.read_bytes())
    for package in PACKAGES:
        try:
            sha.update(f"{package} {version(package)}\n".encode())
        except PackageNotFoundError:
            sha.update(f"{package} -\n".encode())
    sha.update(f"{pagefind.version()}\n".encode())  # the index's format and ranking
    return sha.hexdigest()


def _named_files(config: dict[str, object], base: Path) -> list[Path]:
    """The files ``mkdocs.yml`` names besides the theme: the one it inherits from, its hooks, another custom_dir."""
    hooks = config.get("hooks")
    named: list[object] = [config.get("INHERIT"), *(hooks if isinstance(hooks, list) else [])]
    theme = config.get("theme")
    folders = [theme.get("custom_dir")] if isinstance(theme, dict) else []
    found = [base / str(n) for n in named if isinstance(n, str) and (base / n).is_file()]
    for folder in folders:
        if isinstance(folder, str) and (base / folder).resolve() != (base / THEME_DIR).resolve():
            found += sorted(p for p in (base / folder).rglob("*") if p.is_file())
    return found


def page_hashes(docs_dir: Path) -> dict[str, str]:
    """The SHA-256 of each Markdown page below ``docs_dir``, by its path there."""
    return {path.relative_to(docs_dir).as_posix(): sha256_of(path) for path in sorted(docs_dir.rglob("*.md"))}


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
        files = tuple(sorted(str(name) for name in data["files"]))
        # a fragment's page is known only for a file the cache holds, checked above
        fragments = _recorded(data.get("fragments", {}), data["files"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("build cache %s is damaged (%s): a clean build replaces it", folder, exc)
        return None
    return Cached(site, pages, files, fragments)


def _recorded(fragments: dict[str, str], files: Mapping[str, object]) -> dict[str, str]:
    """The fragment pages of ``fragments`` whose fragment file is one of the cache's ``files``."""
    return {str(name): str(url) for name, url in fragments.items() if f"pagefind/{pagefind.FRAGMENTS}/{name}" in files}


def store_cache(
    folder: Path,
    *,
    key: str,
    site_dir: Path,
    pages: dict[str, str],
    leave_out: set[str],
    fragments: dict[str, str] | None = None,
) -> None:
    """Keep the built site (less ``leave_out``, the data files) as the cache for the next build: the cache's folder
    is brought in line with the site in place (the manifest is removed first and written last, so an interrupted
    store leaves no cache). A file the old cache held already (the same file, linked from it into the site,
    unchanged) stays and keeps its checksum; the others are linked in and read. ``fragments``: each search fragment
    file's page address, where the build knows them. A cache that cannot be written is a warning: the site is built
    and published all the same."""
    try:
        _store(folder, key=key, site_dir=site_dir, pages=pages, leave_out=leave_out, fragments=fragments or {})
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        log.warning("build cache %s not written (%s): the next build is a clean one", folder, exc)
        with contextlib.suppress(OSError):
            (folder / MANIFEST).unlink(missing_ok=True)


def _store(
    folder: Path, *, key: str, site_dir: Path, pages: dict[str, str], leave_out: set[str], fragments: dict[str, str]
) -> None:
    manifest, site = folder / MANIFEST, folder / "site"
    known: dict[str, list[object]] = {}
    if manifest.is_file():
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
            known = old["files"] if old.get("format") == FORMAT and isinstance(old.get("files"), dict) else {}
        except (ValueError, KeyError, AttributeError):
            known = {}
    folder.mkdir(parents=True, exist_ok=True)
    manifest.unlink(missing_ok=True)  # no manifest while the folder changes: an interrupted store is no cache
    _remove(folder / "site.new")  # what an older version of this module left
    try:
        files = _update(site, site_dir=site_dir, known=known, leave_out=leave_out)
    except OSError:
        _remove(site)  # something in the way (a file where a folder belongs …): the whole folder anew
        files = _update(site, site_dir=site_dir, known={}, leave_out=leave_out)
    fragments = _recorded(fragments, files)  # the map names only fragment files the cache holds
    data = {"format": FORMAT, "key": key, "pages": pages, "files": files, "fragments": fragments}
    text = json.dumps(data, sort_keys=True)
    temporary = folder / f".{MANIFEST}.neu"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, manifest)


def _update(
    site: Path, *, site_dir: Path, known: dict[str, list[object]], leave_out: set[str]
) -> dict[str, tuple[int, int, str]]:
    """Make the cache's folder ``site`` hold the files of ``site_dir`` (less ``leave_out``), in place: what the site
    no longer has is removed first; a file that is there already as the same file (the build linked it from the
    cache into the site) stays, and keeps its recorded checksum if its size and time are as recorded; any other is
    linked in anew and read. A link there (the cache's folders are never links) is removed, not followed, so that
    nothing outside the folder is touched. Returns each file's size, time and checksum."""
    wanted = {path: file for path, file in files_below(site_dir) if path not in leave_out}  # path -> the file
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        _remove(site)
    elif site.is_dir():
        cut = len(os.path.join(site, ""))
        remove_unlisted(str(site), lambda path: path[cut:].replace(os.sep, "/") in wanted)
    files: dict[str, tuple[int, int, str]] = {}
    made: set[str] = set()
    for path, source in wanted.items():
        target = os.path.join(site, path)
        stat, entry = os.stat(source), known.get(path)
        if _same_file(target, stat):
            if entry is not None and [stat.st_size, stat.st_mtime_ns] == entry[:2]:
                files[path] = (stat.st_size, stat.st_mtime_ns, str(entry[2]))
                continue
        else:
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            _remove(Path(target))
            link_or_copy(source, target)
            stat = os.stat(target)
        files[path] = (stat.st_size, stat.st_mtime_ns, _checksum(Path(target)))
    return files


def files_below(folder: Path) -> Iterator[tuple[str, str]]:
    """Every file below ``folder``: its path there (with ``/``) and its path as a string. Strings, not ``Path``
    objects: tens of thousands of files a build."""
    top = str(folder)
    cut = len(os.path.join(top, ""))
    for current, _, names in os.walk(top):
        below = current[cut:].replace(os.sep, "/")
        for name in names:
            yield (f"{below}/{name}" if below else name), os.path.join(current, name)


def _same_file(path: str, stat: os.stat_result) -> bool:
    try:
        there = os.lstat(path)
    except FileNotFoundError:
        return False
    return (there.st_ino, there.st_dev) == (stat.st_ino, stat.st_dev)


def _remove(path: Path) -> None:
    """Whatever is at ``path``: a folder, a file or a link."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _checksum(path: Path) -> str:
    """The file's content, checked (a CI cache restores files with new times: times prove nothing)."""
    return sha256_of(path)[:32]


def link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
