"""Stage 6, build: run MkDocs (strict) on the docs folder and swap the result into the site folder atomically.

MkDocs writes the pages into a fresh temporary folder beside the site folder, the files of the static folder
(JSON, downloads, attachments, redirect pages) are linked in beside them; only when all of it succeeds is that
folder renamed into place. A failed build leaves the previous site exactly as it was.

An interrupted build (Ctrl+C, SIGTERM, any error) stops its MkDocs worker processes and Pagefind at once, waits
for them and removes its staging folders. What a killed build (``kill -9``) leaves is removed by the next build
(:func:`remove_staging`, called by whoever holds the folders' lock, see :mod:`generator.publish.lock`).
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.publish import pagefind
from generator.publish.cache import Cached, cache_key, files_below, link_or_copy, open_cache, page_hashes, store_cache
from generator.publish.partial import navigation, partial_docs, unresolved
from generator.publish.shards import exclude_patterns, merge, refresh_sitemap
from generator.publish.theme import install_theme
from generator.publish.zensical import build_with_zensical
from generator.site.addresses import html_path, page_url
from generator.site.publication import read_config
from generator.site.workers import forked, pythons_collector
from generator.site.write import static_dir

log = logging.getLogger(__name__)


class BuildError(Exception):
    """MkDocs could not build the site; the previous site is untouched."""


SHARD_MIN_PAGES = 1500  # below this, one process is faster than starting several


ENGINES = ("mkdocs", "zensical")


def build_site(
    *,
    config_file: Path,
    docs_dir: Path,
    site_dir: Path,
    jobs: int | None = None,
    timings: dict[str, float] | None = None,
    engine: str = "mkdocs",
    report: Callable[[str], None] | None = None,
    cache: Path | None = None,
) -> str:
    """Build ``docs_dir`` with the settings of ``config_file`` into ``site_dir``, all or nothing.

    Large sites are built by ``jobs`` MkDocs processes in parallel (default: one per core, from
    :data:`SHARD_MIN_PAGES` pages on). Returns the site's public address (``site_url``) as configured. ``timings``
    receives the seconds of each step (``mkdocs``, ``merge``, ``static``, ``pagefind``), for the benchmark.
    ``engine="zensical"`` builds the pages with Zensical instead (one process; it uses the cores itself).
    ``report`` hears each step as it starts (a German line, for the command line). With a ``cache`` folder
    (MkDocs only), a build whose pages are the same as last time builds only those whose Markdown changed, takes
    the others from the cache, and re-indexes the search only if a page changed (:mod:`generator.publish.cache`).
    """
    say = report or (lambda stage: None)
    clock = _Clock(timings)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    install_theme(config_file)
    plan = _plan(config_file, docs_dir, engine, cache, jobs)
    staging = [
        Path(tempfile.mkdtemp(prefix=staging_name(site_dir, "new"), dir=site_dir.parent)) for _ in range(plan.jobs)
    ]
    say(plan.saying(engine))
    try:
        results = _pages(plan, config_file, docs_dir, staging, engine)
        clock.lap("mkdocs")
        failed = [message for ok, message in results if not ok]
        if failed:
            raise BuildError(f"MkDocs-Build fehlgeschlagen: {failed[0]}; die bisherige Website bleibt unverändert")
        merge(staging[0], staging[1:])
        clock.lap("merge")
        say("Daten und Anlagen verlinken")
        publish_static(static_dir(docs_dir), staging[0])
        clock.lap("static")
        fragments = plan.cached.fragments if plan.cached is not None else {}
        if plan.cached is None or plan.changed:
            say("Suchindex bauen (Pagefind)")
            fragments = _index(staging[0], plan, config_file)
        clock.lap("pagefind")
    except BaseException:
        for folder in staging:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    for folder in staging[1:]:
        shutil.rmtree(folder, ignore_errors=True)
    old = _swap(staging[0], site_dir)
    # The replaced site is removed while the cache is kept: both mostly wait for the file system.
    removing = threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}) if old else None
    if removing is not None:
        removing.start()
    try:
        if cache is not None and plan.hashes is not None:
            data_files = {p.relative_to(static_dir(docs_dir)).as_posix() for p in static_dir(docs_dir).rglob("*")}
            store_cache(
                cache, key=plan.key, site_dir=site_dir, pages=plan.hashes, leave_out=data_files, fragments=fragments
            )
    finally:
        if removing is not None:
            removing.join()
    return results[0][1]


@dataclass(frozen=True, slots=True)
class _Plan:
    pages: int
    jobs: int
    hashes: dict[str, str] | None = None  # each page's Markdown hash, where a cache is kept
    key: str = ""
    cached: Cached | None = None  # a usable cache: only ``changed`` pages are built
    changed: tuple[str, ...] = ()

    def saying(self, engine: str) -> str:
        if self.cached is not None:
            return f"{len(self.changed)} von {self.pages} Seiten geändert: nur diese bauen, die übrigen aus dem Cache"
        tool = "Zensical" if engine == "zensical" else "MkDocs"
        return f"{self.pages} Seiten mit {tool} bauen ({self.jobs} {'Prozess' if self.jobs == 1 else 'Prozesse'})"


def _plan(config_file: Path, docs_dir: Path, engine: str, cache: Path | None, jobs: int | None) -> _Plan:
    """How to build: from the cache (the same pages as last time), in shards, or in one process."""
    if cache is None or engine != "mkdocs":
        pages = sum(1 for _ in docs_dir.rglob("*.md"))
        return _Plan(pages, _jobs(pages, engine, jobs))
    hashes = page_hashes(docs_dir)
    pages = len(hashes)
    key = cache_key(config_file, engine)
    cached = open_cache(cache, key)
    if cached is not None and set(cached.pages) == set(hashes):
        changed = tuple(sorted(p for p in hashes if hashes[p] != cached.pages[p]))
        return _Plan(pages, 1, hashes, key, cached, changed)
    # No cache, or pages added or removed (the sitemap and the navigation change): a clean build, then cached.
    return _Plan(pages, _jobs(pages, engine, jobs), hashes, key)


def _jobs(pages: int, engine: str, jobs: int | None) -> int:
    """MkDocs processes for a clean build: ``jobs``, else one per core (at most 4) from SHARD_MIN_PAGES pages."""
    if engine == "zensical" or (jobs is None and pages < SHARD_MIN_PAGES):
        return 1
    return jobs or min(os.cpu_count() or 1, 4)


def _pages(plan: _Plan, config_file: Path, docs_dir: Path, staging: list[Path], engine: str) -> list[tuple[bool, str]]:
    """Build the pages into the staging folders: ``(ok, site_url or why)`` per folder."""
    docs = str(docs_dir.resolve())
    if plan.cached is not None:
        return [_from_cache(config_file, docs_dir, staging[0], plan.cached, list(plan.changed))]
    if engine == "zensical":
        return [build_with_zensical(str(config_file), docs, str(staging[0]))]
    if plan.jobs == 1:
        return [_mkdocs(str(config_file), docs, str(staging[0]), "")]
    return _build_shards(config_file, docs_dir, staging)


def _from_cache(config_file: Path, docs_dir: Path, out: Path, cached: Cached, changed: list[str]) -> tuple[bool, str]:
    """The last build's pages (hard links), with the ``changed`` ones built anew; ``(ok, site_url or why)``."""
    made: set[str] = set()
    for name in cached.files:  # the files the cache recorded, nothing else that may lie there
        target = os.path.join(out, name)
        if (parent := os.path.dirname(target)) not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        link_or_copy(os.path.join(cached.site, name), target)
    config = read_config(config_file.read_text(encoding="utf-8"))
    site_url = str(config.get("site_url") or "")
    site_url = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    if changed:
        fresh = Path(tempfile.mkdtemp(prefix=f"{out.name}.seiten-", dir=out.parent))  # a staging folder's name
        try:
            # The navigation's pages too, as every shard builds them: the navigation must be the same.
            ok, message = _build_only(config_file, docs_dir, [*changed, *navigation(docs_dir)], fresh)
            if not ok:
                return False, message
            directory_urls = _directory_urls(config)
            for page in changed:
                html = html_path(page, directory_urls=directory_urls)
                (out / html).unlink(missing_ok=True)
                (out / html).parent.mkdir(parents=True, exist_ok=True)
                os.replace(fresh / html, out / html)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    refresh_sitemap(out)
    return True, site_url


def _directory_urls(config: dict[str, object]) -> bool:
    """Whether MkDocs writes ``vorlagen/x.md`` as ``vorlagen/x/index.html`` (its default)."""
    return config.get("use_directory_urls", True) is not False


class _Clock:
    """Seconds between laps, into ``into`` (when given)."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[name] = self.into.get(name, 0.0) + now - self.last
        self.last = now


def remove_staging(site_dir: Path) -> int:
    """Remove the staging folders (``.site.new-*``, ``.site.old-*``, ``.site.preview-*``; the partial builds' folders
    are named inside them, e.g. ``.site.new-…seiten-…``) that a killed build or live preview left beside
    ``site_dir``; returns how many.

    Only while holding the site folder's lock: a running build's staging folders look just the same.
    """
    site_dir = site_dir.resolve()
    left = [
        path
        for kind in ("new", "old", "preview")
        for path in site_dir.parent.glob(f"{glob.escape(staging_name(site_dir, kind))}*")
        if path.is_dir()
    ]
    for path in left:
        shutil.rmtree(path, ignore_errors=True)
        log.info("removed %s, left by an interrupted build", path)
    return len(left)


def staging_name(site_dir: Path, kind: str) -> str:
    """The name with which a staging folder beside ``site_dir`` begins: ``.site.new-`` (being built),
    ``.site.old-`` (the site it replaced, being removed) or ``.site.preview-`` (a live preview's update)."""
    return f".{site_dir.name}.{kind}-"


def _build_shards(config_file: Path, docs_dir: Path, staging: list[Path]) -> list[tuple[bool, str]]:
    """One MkDocs build per folder of ``staging`` (each leaving out the others' pages), in parallel processes.

    Interrupted or failed, the workers are stopped at once (they do not finish their shards) and waited for.
    """
    excludes = exclude_patterns(docs_dir, len(staging))
    docs = str(docs_dir.resolve())
    with forked(len(staging)) as pool:
        futures = [
            pool.submit(_mkdocs, str(config_file), docs, str(folder), exclude)
            for folder, exclude in zip(staging, excludes, strict=True)
        ]
        return [future.result() for future in futures]


def _index(site: Path, plan: _Plan, config_file: Path) -> dict[str, str]:
    """The search index of ``site``; built from the cache, with the last index's fragments of the pages that did not
    change (:func:`generator.publish.pagefind.keep_fragments`), checked, and built anew if it is not whole. Returns
    each fragment file's page address where the build came to know them (from the cache), else nothing."""
    folder = site / "pagefind"
    kept: dict[str, str] = {}
    if plan.cached is not None and plan.hashes is not None:
        directory_urls = _directory_urls(read_config(config_file.read_text(encoding="utf-8")))
        unchanged = {page_url(page, directory_urls=directory_urls) for page in plan.hashes.keys() - set(plan.changed)}
        kept = pagefind.keep_fragments(folder, unchanged=unchanged, known=plan.cached.fragments)
    if not kept:
        shutil.rmtree(folder, ignore_errors=True)
    index_search(site)
    if not kept:
        return {}
    found = pagefind.prune_fragments(folder, kept)
    if found is None:
        log.warning("search index from the cache not whole: built anew")
        shutil.rmtree(folder)
        index_search(site)
        return {}
    return found


def index_search(site_dir: Path) -> None:
    """Build the Pagefind search index into ``site_dir/pagefind/`` (static files, loaded in chunks per query).

    Interrupted (Ctrl+C, SIGTERM, any error), Pagefind is killed and waited for before the build goes on ending.
    """
    command = [*pagefind.command(), "--site", str(site_dir.resolve()), "--silent"]
    command += ["--exclude-selectors", pagefind.SEARCH_IGNORE]
    # In an empty folder, with its own settings left out: no pagefind.yml of the current folder changes the index.
    with tempfile.TemporaryDirectory(prefix="pagefind-") as empty:
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=empty, env=pagefind.environment()
        )
        with child:
            try:
                output, _ = child.communicate()
            except BaseException:
                child.kill()
                child.wait()
                raise
    if child.returncode != 0 or not (site_dir / "pagefind" / "pagefind-ui.js").is_file():
        output = " ".join(output.split())[:500]
        raise BuildError(f"Suchindex (Pagefind) fehlgeschlagen: {output}; die bisherige Website bleibt unverändert")


def _mkdocs(
    config_file: str, docs_dir: str, site_dir: str, exclude: str, *, pages_only: bool = False
) -> tuple[bool, str]:
    """One strict MkDocs build (in this process or a worker): ``(True, site_url)`` or ``(False, why)``."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # before Material is imported: no end-of-life banner
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    overrides = {"exclude_docs": exclude} if exclude else {}
    try:
        config = load_config(config_file=config_file, docs_dir=docs_dir, site_dir=site_dir, strict=True, **overrides)
        if pages_only:
            config.theme.static_templates.clear()  # no sitemap or 404 page: only the pages are wanted
        with pythons_collector():  # the live preview's generator stages run with higher thresholds
            mkdocs_build(config)
    except (MkDocsException, OSError) as exc:
        return False, str(exc)
    return True, str(config.site_url or "")


def _swap(new: Path, site_dir: Path) -> Path | None:
    """Put ``new`` in place of ``site_dir``: two renames on one file system. Returns where the old tree went (a
    staging folder beside the site, for the caller to remove), if there was one."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=staging_name(site_dir, "old"), dir=site_dir.parent))
        os.rmdir(old)
        os.replace(site_dir, old)
    os.replace(new, site_dir)
    new_mode = 0o755 & ~_umask()
    os.chmod(site_dir, new_mode)
    log.info("site written to %s", site_dir)
    return old


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_pages(*, config_file: Path, docs_dir: Path, pages: list[str], out_dir: Path) -> None:
    """Build only ``pages`` (paths below ``docs_dir``) into ``out_dir``: the live preview's quick update (see
    :func:`_build_only`); links to the other pages still resolve."""
    install_theme(config_file)
    ok, message = _build_only(config_file, docs_dir, pages, out_dir)
    if not ok:
        raise BuildError(f"MkDocs-Build fehlgeschlagen: {message}")


def _build_only(config_file: Path, docs_dir: Path, pages: list[str], out_dir: Path) -> tuple[bool, str]:
    """One MkDocs build of just ``pages`` into ``out_dir``: from a folder of the pages they need
    (:mod:`generator.publish.partial`), and where that fails, from the whole docs folder (which reports a real
    error as a full build does)."""
    exclude = "*.md\n" + "".join(f"!/{page}\n" for page in pages)
    with tempfile.TemporaryDirectory(prefix=f"{out_dir.name}.teil-", dir=out_dir.parent) as folder:
        try:
            partial_docs(docs_dir, pages, Path(folder))
            ok, message = _mkdocs(str(config_file), folder, str(out_dir), exclude, pages_only=True)
        except OSError as exc:
            ok, message = False, str(exc)
        directory_urls = _directory_urls(read_config(config_file.read_text(encoding="utf-8")))
        if ok and any(
            unresolved((out_dir / html_path(page, directory_urls=directory_urls)).read_text(encoding="utf-8"))
            for page in pages
        ):
            ok, message = False, "a page links to a Markdown file the partial folder lacks"
    if ok:
        return ok, message
    log.info("partial build failed (%s): building from the whole docs folder", message)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    return _mkdocs(str(config_file), str(docs_dir.resolve()), str(out_dir), exclude, pages_only=True)


def publish_static(static_dir: Path, site_dir: Path) -> int:
    """Put every file of ``static_dir`` (the write stage's files other than pages) into ``site_dir``; returns how
    many.

    Files are hard-linked where the file system allows (the write stage replaces changed files by new ones, never
    rewrites them in place, so a published file never changes under the site), copied otherwise.
    """
    count = 0
    made: set[str] = set()
    for path, source in files_below(static_dir):
        target = os.path.join(site_dir, path)
        if (parent := os.path.dirname(target)) not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        publish_file(source, target)
        count += 1
    return count


def publish_file(source: str | Path, target: str | Path) -> None:
    """Hard-link ``source`` as ``target`` (replacing it), or copy it across file systems."""
    try:
        os.link(source, target)
    except FileExistsError:
        os.unlink(target)
        publish_file(source, target)
    except OSError:  # another file system: a copy, as a new file (the old one may be shared by a hard link)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        shutil.copyfile(source, target)
