"""The whole run, one stage after the other: load → validate → link → render and export → write → build."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import logging
import os
import posixpath
import re
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.exports.stage import export, record_pages
from generator.exports.urls import public_urls, removed_urls
from generator.pages.render import Part, page_memo, parts, render
from generator.publish import unchanged
from generator.publish.builder import BuildError, build_site, remove_staging
from generator.publish.cache import MANIFEST
from generator.publish.lock import folders_locked
from generator.publish.theme import HOOKS_FILE
from generator.records.history import Change, read_history
from generator.records.load import Attachment, load
from generator.records.mirror import mirrored
from generator.records.models import WEB_URL_PATTERN
from generator.records.parsed import ParsedCache
from generator.records.problems import PRODUCTION_ERRORS, ContentError, Problem
from generator.records.settings import Settings, load_settings
from generator.records.validate import validate
from generator.site.addresses import published_files
from generator.site.link import Site, link
from generator.site.memo import PageMemo
from generator.site.output import Page
from generator.site.publication import LOCAL_URL, SITE_NAME, Publication, read_config
from generator.site.workers import FORK, collector_thresholds, cores, forked
from generator.site.write import WriteStats, remove_others, static_dir, write

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Paths:
    content: Path = Path("content")
    site: Path = Path("site")
    docs: Path = Path("build/docs")
    config: Path = Path("mkdocs.yml")
    settings: Path = Path("site_config/settings.yml")
    published: Path | None = None  # the list of published addresses to keep (none: nothing to compare)
    mirror: Path | None = None  # the folder of `import files --mirror`: its verified files are published too
    cache: Path | None = None  # the build cache (generator/publish/cache.py); None: every build is a clean one


def check(paths: Paths) -> Site:
    """Read and validate everything, and make sure no published address disappears.

    Raises :class:`~generator.records.problems.ContentError` listing all problems.
    """
    if paths.config.is_file():
        publication(paths.config)  # site_url, site_name: what build would refuse, check refuses too
    return _checked_content(paths)


def _checked_content(paths: Paths, *, parsed: bool = False) -> Site:
    """``parsed``: read and keep the build cache's parsed records (records/parsed.py), where a cache is kept."""
    cache = ParsedCache(paths.cache) if parsed and paths.cache is not None else None
    loaded = load(paths.content, parsed=cache)
    if cache is not None:
        cache.save()
    records = validate(loaded)
    if paths.mirror is not None:
        records.mirrored, skipped = mirrored(records, paths.mirror)
        records.warnings += skipped
    site = link(records)
    removed = removed_urls(paths.published, public_urls(site))
    if removed:
        raise ContentError(removed)
    return site


@dataclass(frozen=True, slots=True)
class Result:
    records: int
    written: WriteStats
    site_url: str
    warnings: list[Problem]
    ran: bool = True  # False: nothing had changed since the last build, whose site stays (publish/unchanged.py)


def publication(config: Path) -> Publication:
    """The site's public address and name from mkdocs.yml, and the time of this build (for feed and calendar).

    MkDocs and Material print ``site_url`` (canonical links, sitemap), ``site_name`` and ``site_description``
    into every page unescaped, so they are checked first: raises :class:`ContentError` (``invalid-value``, with
    the line in mkdocs.yml) for an address that is not plain http(s), or a name with markup characters. The build
    time is ``SOURCE_DATE_EPOCH`` where set (reproducible builds), else now.
    """
    text = config.read_text(encoding="utf-8")
    data = read_config(text)
    problems = config_problems(data, text=text, path=str(config))
    if problems:
        raise ContentError(problems)
    base = str(data.get("site_url") or LOCAL_URL)
    return Publication(
        base_url=base if base.endswith("/") else base + "/",
        name=str(data.get("site_name") or SITE_NAME),
        now=build_time(),
    )


def config_problems(data: dict[str, object], *, text: str, path: str) -> list[Problem]:
    """What is wrong with the settings of mkdocs.yml that reach every page (after ``!ENV`` is resolved)."""

    def line_of(key: str) -> int:
        found = re.search(rf"^{key}\s*:", text, re.M)
        return text.count("\n", 0, found.start()) + 1 if found else 1

    problems = []
    url = data.get("site_url")
    if url is not None and not (isinstance(url, str) and re.fullmatch(WEB_URL_PATTERN, url)):
        problems.append(
            Problem(
                path,
                line_of("site_url"),
                "invalid-value",
                f"site_url (oder die Umgebungsvariable SITE_URL) {json.dumps(str(url), ensure_ascii=False)} ist "
                "keine Webadresse: https://… oder http://… ohne Anführungszeichen, <, >, Leerzeichen oder "
                "Steuerzeichen, z. B. SITE_URL=https://transparenz.rhein-kreis-neuss.de/",
                in_content=False,
            )
        )
    hooks = data.get("hooks")
    if not (isinstance(hooks, list) and any(isinstance(h, str) and posixpath.normpath(h) == HOOK for h in hooks)):
        problems.append(
            Problem(
                path,
                line_of("hooks"),
                "invalid-value",
                f"mkdocs.yml nennt den Hook des Generators nicht: unter „hooks:“ die Zeile „  - {HOOK}“ eintragen "
                "(ohne ihn führen die Links zwischen den Seiten und zu den Daten ins Leere)",
                in_content=False,
            )
        )
    for key in ("site_name", "site_description"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or _UNSAFE_NAME.search(value)):
            problems.append(
                Problem(
                    path,
                    line_of(key),
                    "invalid-value",
                    f'{key} darf keine Zeichen enthalten, die HTML beginnen (<, >, ", &) und keine Steuerzeichen',
                    in_content=False,
                )
            )
    return problems


HOOK = HOOKS_FILE.as_posix()  # MkDocs' hook: the links the pages write as HTML (generator/publish/hooks.py)
_UNSAFE_NAME = re.compile(r"[<>\"&\x00-\x1f\x7f]")


def build_time() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention, as MkDocs reads it) or now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def outputs(
    site: Site,
    *,
    settings: Settings | None = None,
    history: dict[str, list[Change]] | None = None,
    publication: Publication | None = None,
    only: set[tuple[str, str]] | None = None,
    overviews: set[str] | None = None,
    years: Mapping[str, set[int | None]] | None = None,
    memo: PageMemo | None = None,
    part: Part | None = None,
) -> Iterator[Page]:
    """Stages 4 and 4b, render and export, as one stream for the write stage: the exports first (the Daten page
    is rendered from their manifest), then the pages, one at a time. ``only``/``overviews``/``years``: the live
    preview's partial run (see :func:`generator.pages.render.render`); ``memo``: the build cache's rendered pages;
    ``part``: the main process's share of the pages where two render them (:func:`write_all`). Used by the build,
    the live preview and the benchmark."""
    publication = publication or Publication()
    records = part.records if part is not None else None  # where two processes write: each its records' JSON
    exports = export(site, publication=publication, settings=settings, history=history, only=only, records=records)
    yield from exports.files
    yield from render(
        site,
        settings=settings,
        history=history,
        publication=publication,
        only=only,
        overviews=overviews,
        years=years,
        manifest=exports.manifest,
        memo=memo,
        part=part,
    )


# Where two processes render and write the pages of a full run, the other process takes this share of the record and
# document pages (each process writes the JSON files of its records): the main one exports the other data files too,
# and the overviews are its own. At 10,000 records with every page rendered (the memo made stale by a change of
# the code), the main process's share took 13.5 s and the other's about 12.3 s.
OTHERS_SHARE = 0.65
# With the build cache's page memo warm, most pages are read from their files, not rendered, and the exports are
# most of the main process's work: the other then takes every record and document page. At 10,000 records with one
# paper changed, the main process's share took 6.3 s and the other's about 5.3 s (9.6 s in the main one while it
# wrote every record's JSON file). The price: a change that renders most pages again despite a warm memo (renaming
# the organisation most records link to) waits for the other process alone (about 23 s instead of about 15 s,
# measured before the JSON files went with their pages).
OTHERS_SHARE_WARM = 1.0
TWO_PROCESSES_FROM = 1000  # records; below, one process: forking and handing back cost more than they save


def write_all(
    site: Site,
    docs_dir: Path,
    *,
    files: Mapping[str, Attachment],
    settings: Settings | None,
    history: dict[str, list[Change]] | None,
    publication: Publication,
    memo: PageMemo | None = None,
) -> WriteStats:
    """Stages 4 and 5 of a full run, rendering and exporting, and writing (:func:`outputs`, :func:`write`): in two
    processes where the machine can fork and the site is large, each writing its share of the pages
    (:func:`generator.pages.render.parts`); then the files no page produced any more are removed.

    The second process is forked, so it has the linked records without copying them; it hands back what it wrote
    (and the memo's digests of its pages), and the same file claimed by both stops the build as in one process.
    """

    def in_one_process() -> WriteStats:
        pages = outputs(site, settings=settings, history=history, publication=publication, memo=memo)
        return write(pages, docs_dir, files=files)

    if not FORK or len(site.records) < TWO_PROCESSES_FROM or cores() < 2:
        return in_one_process()
    main, other = parts(site, share=OTHERS_SHARE_WARM if memo is not None and memo.warm else OTHERS_SHARE)
    global _SHARE
    _SHARE = _Share(site, docs_dir, other, settings, history, publication, memo)
    start = time.perf_counter()
    try:
        with forked(1) as pool:
            try:
                theirs = pool.submit(_write_share)
            except OSError as exc:  # the system could not fork (memory, process limit): nothing is written yet
                log.warning("second process not started (%s): rendering in one", exc)
                return in_one_process()
            stats = write(
                outputs(site, settings=settings, history=history, publication=publication, memo=memo, part=main),
                docs_dir,
                files=files,
                prune=False,
            )
            mine = time.perf_counter()
            try:
                written, made = theirs.result()
            except BrokenProcessPool as exc:  # killed (out of memory, a signal): no traceback for the editor
                raise BuildError(
                    "Der zweite Prozess, der Seiten schreibt, wurde beendet (zu wenig Arbeitsspeicher?); "
                    "die bisherige Website bleibt unverändert"
                ) from exc
        log.info(
            "rendered and written in two processes: this one's share in %.1f s, the other's %.1f s after it",
            mine - start,
            time.perf_counter() - mine,
        )
    finally:
        _SHARE = None
    stats.add(written)
    if memo is not None and made is not None:
        memo.table.take(made)
    remove_others(docs_dir, stats)
    return stats


@dataclass(frozen=True, slots=True)
class _Share:
    site: Site
    docs_dir: Path
    part: Part
    settings: Settings | None
    history: dict[str, list[Change]] | None
    publication: Publication
    memo: PageMemo | None


_SHARE: _Share | None = None  # the other process's work, set before it is forked (a fork has the parent's memory)


def _write_share() -> tuple[WriteStats, tuple[dict[str, tuple[Any, ...]], bool] | None]:
    """In the forked process: render and write its part of the pages."""
    job = _SHARE
    assert job is not None
    pages = itertools.chain(
        record_pages(job.site, only=job.part.records, publication=job.publication),
        render(
            job.site,
            settings=job.settings,
            history=job.history,
            publication=job.publication,
            memo=job.memo,
            part=job.part,
        ),
    )
    stats = write(_while_parent_lives(pages, os.getppid()), job.docs_dir, prune=False)
    return stats, (job.memo.table.made() if job.memo is not None else None)


def _while_parent_lives(pages: Iterator[Page], parent: int) -> Iterator[Page]:
    """``pages``, as long as the build that forked this process runs: killed (``kill -9``), it holds the folders'
    lock no longer, and a newer build's pages must not be overwritten by this one's."""
    for page in pages:
        if os.getppid() != parent:
            raise SystemExit(1)
        yield page


def collect_less() -> contextlib.AbstractContextManager[None]:
    """Python's cycle collector, run less often while the generator's stages run.

    The records and their pages are hundreds of thousands of objects that live until the build ends, and almost
    none of them are cycles: with the default thresholds the collector scanned them again and again (at 10,000
    records 4.3 s of the generator's 57 s, measured with ``gc.callbacks``; 1.0 s with these thresholds). Nothing
    is left uncollected: only the first generation waits for more allocations. MkDocs' own processes keep the
    defaults (:func:`generator.site.workers.pythons_collector`; there the higher threshold made the collector's
    time grow, 2.4 s → 4.1 s for 3,334 pages).
    """
    return collector_thresholds((100_000, 50, 100))


Report = Callable[[str], None]  # hears each stage of a build as it starts (a German line), for the command line


def _quiet(stage: str) -> None:
    pass


def build(paths: Paths, *, production: bool = False, engine: str = "mkdocs", report: Report = _quiet) -> Result:
    """Check the content, write its pages and build the site; nothing is written unless all content is valid.

    A ``production`` build also refuses missing site settings and placeholder texts (a development build warns).
    One build at a time into the same folders, from reading the content to publishing it: a build that waited
    for another one reads the content as it is then, so the newer content is published last. ``engine``: MkDocs
    (the default) or Zensical builds the pages.
    """
    published = publication(paths.config)  # the public address and name: checked before anything else
    with folders_locked(paths.site, paths.docs, *([paths.cache] if paths.cache is not None else [])):
        history = read_history(paths.content)
        before = _before(paths, production=production, engine=engine, history=history, now=published.now)
        if before is not None and (
            last := unchanged.last_build(before.record, now=before.inputs, folders=_outputs(paths))
        ):
            report("Nichts geändert seit dem letzten Build: die Website bleibt, wie sie ist")
            return Result(last.records, WriteStats(unchanged=last.unchanged), last.site_url, last.warnings, ran=False)
        if paths.cache is not None:
            unchanged.forget(paths.cache)
        result = _run(paths, published, history, production=production, engine=engine, report=report)
        if before is not None and paths.cache is not None:
            last = unchanged.LastBuild(result.records, result.site_url, result.warnings, result.written.unchanged)
            unchanged.remember(
                paths.cache, now=before.inputs, recorded_ns=before.taken_ns, folders=_outputs(paths), last=last
            )
    return result


@dataclass(frozen=True, slots=True)
class _Before:
    inputs: unchanged.Inputs
    record: dict[str, object]  # the last build's
    taken_ns: int  # when the inputs were taken


def _before(paths: Paths, *, production: bool, engine: str, history: object, now: dt.datetime) -> _Before | None:
    """This build's inputs and the last build's record, where a build cache is kept (and no mirror is checked)."""
    if paths.cache is None or paths.mirror is not None:
        return None
    record = unchanged.read_record(paths.cache)
    options = {
        "production": str(production),
        **{name: str(getattr(paths, name).resolve()) for name in ("content", "site", "docs", "config")},
    }
    taken = time.time_ns()
    inputs = unchanged.inputs(
        content=paths.content,
        config=paths.config,
        others=[paths.settings, *([paths.published] if paths.published is not None else [])],
        options=options,
        engine=engine,
        history=history,
        now=now,
        known=unchanged.known_files(record),
        recorded_ns=unchanged.recorded_at(record),
    )
    return None if inputs is None else _Before(inputs, record, taken)


def _outputs(paths: Paths) -> tuple[Path, ...]:
    """What a build leaves: the site, docs and static folders, and the build cache's manifest."""
    return (paths.site, paths.docs, static_dir(paths.docs), *([paths.cache / MANIFEST] if paths.cache else []))


def _run(
    paths: Paths,
    published: Publication,
    history: dict[str, list[Change]] | None,
    *,
    production: bool,
    engine: str,
    report: Report,
) -> Result:
    """Stages 1 to 6, from reading the content to publishing the site."""
    with collect_less():  # the generator's stages; MkDocs keeps the defaults
        report(f"Datensätze lesen und prüfen ({paths.content})")
        site = _checked_content(paths, parsed=True)  # mkdocs.yml was checked above, by publication()
        records = site.records
        blocking = [w for w in records.warnings if w.code in PRODUCTION_ERRORS]
        if production and blocking:
            raise ContentError(blocking)  # no placeholder text on the public site
        settings, warnings = load_settings(paths.settings, production=production)
        memo = page_memo(paths.cache, docs_dir=paths.docs, demo=records.demo) if paths.cache is not None else None
        remove_staging(paths.site)
        report(f"{len(records)} Datensätze geprüft; Seiten und Daten schreiben ({paths.docs})")
        stats = write_all(
            site,
            paths.docs,
            files=published_files(records.files, records.mirrored),
            settings=settings,
            history=history,
            publication=published,
            memo=memo,
        )
        if memo is not None:
            memo.save()
    report(f"{stats.written} Dateien neu geschrieben, {stats.unchanged} unverändert; Website bauen ({engine})")
    site_url = build_site(
        config_file=paths.config,
        docs_dir=paths.docs,
        site_dir=paths.site,
        engine=engine,
        report=report,
        cache=paths.cache,
    )
    return Result(len(records), stats, site_url, [*records.warnings, *warnings])
