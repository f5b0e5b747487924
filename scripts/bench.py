"""Benchmark: build the demo corpus at several sizes and print one table of figures (``make bench``).

Each size runs in a fresh process, so peak memory (RSS) is that size's own. Figures are measured, not asserted:
the targets are printed next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

STAGES = ("load", "validate", "link", "render+write", "mkdocs", "static", "pagefind")
GENERATOR = STAGES[:4]  # the generator's own stages; "static" is merging the shards and linking the data files in


def measure(records: int, workdir: Path, *, extras: bool = True) -> dict[str, float | int | str]:
    """One size: the stages of a clean build; with ``extras`` also the live preview, search, the cached builds,
    Zensical and the bare Material site (without them: the growth row, ``--growth``)."""
    from generator.editing.preview import Preview
    from generator.pipeline import Paths, collect_less, publication, write_all
    from generator.publish.builder import build_site
    from generator.records.load import file_stamps as stamps
    from generator.records.load import load
    from generator.records.validate import validate
    from generator.site.link import link

    corpus, docs, site = workdir / f"corpus-{records}", workdir / f"docs-{records}", workdir / f"site-{records}"
    cache = workdir / f"cache-{records}"
    # In a child process: the peak memory below is the build's, not the demo generator's.
    make = "import sys, pathlib; from generator.editing.demo import write_demo; "
    make += "write_demo(records=int(sys.argv[1]), out=pathlib.Path(sys.argv[2]))"
    subprocess.run([sys.executable, "-c", make, str(records), str(corpus)], cwd=ROOT, check=True)
    _remove(docs, site, cache)
    seconds: dict[str, float] = {}

    # The stages run as build() runs them: without the live preview's caches, which the peak memory would count
    # beside the build's; those are filled afterwards, for the edits the extras time.
    with collect_less():
        start = time.perf_counter()
        loaded = load(corpus)
        seconds["load"] = time.perf_counter() - start
        start = time.perf_counter()
        checked = validate(loaded)
        seconds["validate"] = time.perf_counter() - start
        start = time.perf_counter()
        linked = link(checked)
        seconds["link"] = time.perf_counter() - start
        start = time.perf_counter()
        write_all(
            linked,
            docs,
            files=checked.files,
            settings=None,
            history=None,
            publication=publication(ROOT / "mkdocs.yml"),
        )
        seconds["render+write"] = time.perf_counter() - start  # in two processes from 1,000 records on
    steps: dict[str, float] = {}
    build_site(config_file=ROOT / "mkdocs.yml", docs_dir=docs, site_dir=site, timings=steps, cache=cache)
    seconds["mkdocs"], seconds["pagefind"] = steps["mkdocs"], steps["pagefind"]
    seconds["static"] = steps["merge"] + steps["static"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest: MkDocs or Pagefind
    row: dict[str, float | int | str] = {
        "records": len(checked),
        **{f"s_{stage}": round(seconds[stage], 3) for stage in STAGES},
        "peak_mb": round(peak_mb),
        "children_mb": round(children_mb),
        **_site_figures(site, docs),
    }
    if extras:
        preview = Preview(Paths(content=corpus, site=site, docs=docs, config=ROOT / "mkdocs.yml"))
        with collect_less():
            filled = validate(load(corpus, cache=preview.load_cache), cache=preview.model_cache)
            preview.site, preview.stamps = link(filled), stamps(corpus)
        row |= _extras(preview, workdir, records, int(row["markdown_pages"]))
    return row


def _site_figures(site: Path, docs: Path) -> dict[str, float | int | str]:
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    sizes = [p.stat().st_size for p in pages]
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "pages": len(pages),
        "site_mb": round(sum(p.stat().st_size for p in files) / 1e6, 1),
        "median_kb": round(statistics.median(sizes) / 1000, 1),
        "largest_kb": round(sizes[-1] / 1000, 1),
        "largest_page": pages[-1].relative_to(site).as_posix(),
        "files": len(files),
        "markdown_pages": sum(1 for _ in docs.rglob("*.md")),
    }


def _extras(preview: Any, workdir: Path, records: int, markdown_pages: int) -> dict[str, float | int | str]:
    """The live preview's edits, search, the cached builds, Zensical and the bare Material site."""
    corpus, docs, site = preview.paths.content, preview.paths.docs, preview.paths.site
    return {
        **_edits(preview, corpus, records),
        **measure_search(site),
        **measure_cached(corpus, docs, site, workdir / f"cache-{records}", records),
        "zensical": round(measure_zensical(docs, workdir, records), 2),
        "bare_mkdocs": round(measure_bare(markdown_pages, workdir), 3),
    }


def _edits(preview: Any, corpus: Path, records: int) -> dict[str, str]:
    """The live preview's update after a one-paper edit and after renaming the organisation most records name."""
    edits = {}
    for name, path, old, new in (
        ("edit_paper", sorted((corpus / "papers").glob("*.yml"))[records // 4], "title: ", "title: Geändert – "),
        ("edit_org", corpus / "organizations" / "kreis.yml", "name: Demokreis", "name: Demokreis (geändert)"),
    ):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        update = preview.update()
        edits[name] = f"{update.seconds:.2f} s / {len(update.pages)} p."
    edits["edit_seen"] = f"{measure_seen(preview, sorted((corpus / 'papers').glob('*.yml'))[records // 3]):.2f}"
    return edits


def measure_seen(preview: Any, paper: Path) -> float:
    """Seconds from saving a changed paper to Chromium showing it, with the preview server as ``serve`` runs it:
    the watcher hears of the change and updates the preview, the page's question for a new version is answered,
    the page reloads. Chromium is driven from a child process (:data:`SEEN_CHILD`), as a person's browser is
    another program: Playwright in this process would take turns with the watcher for the interpreter."""
    from generator.editing.serve import running

    title = f"Gesehen {time.time_ns()}"
    text = paper.read_text(encoding="utf-8").replace("title: ", f"title: {title} – ", 1)
    with running(preview) as preview_site:
        url = f"{preview_site.url}/{preview.site.refs[('papers', paper.stem)].page[:-3]}/"
        child = subprocess.Popen(
            [sys.executable, "-c", SEEN_CHILD, url, title], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise SystemExit(f"Chromium did not open {url}")
        time.sleep(0.5)  # the page has asked for a new version
        start = time.monotonic()
        paper.write_text(text, encoding="utf-8")
        shown = child.stdout.readline().split()
        child.wait(timeout=60)
    if len(shown) != 2 or shown[1] != "yes":
        raise SystemExit(f"the preview did not show the changed title of {url}: {shown}")
    return float(shown[0]) - start  # CLOCK_MONOTONIC: the same clock in both processes


# Opens the page (argv[1]), says "ready", waits for it to reload by itself, then prints when it had loaded (on
# time.monotonic's clock) and whether it shows the new title (argv[2]).
SEEN_CHILD = """
import sys, time
from playwright.sync_api import sync_playwright
from scripts.chromium import launch
with sync_playwright() as playwright:
    browser = launch(playwright)
    page = browser.new_page()
    page.goto(sys.argv[1], wait_until="load")
    with page.expect_event("load", timeout=120_000):
        print("ready", flush=True)
    loaded = time.monotonic()
    print(loaded, "yes" if sys.argv[2] in page.content() else "no", flush=True)
    browser.close()
"""


def _remove(*folders: Path) -> None:
    for folder in folders:
        if folder.exists():
            subprocess.run(["rm", "-rf", str(folder)], check=True)


def measure_cached(corpus: Path, docs: Path, site: Path, cache: Path, records: int) -> dict[str, float]:
    """Whole builds (all stages) with the build cache: with nothing changed, and after one changed paper."""
    from generator.pipeline import Paths, build

    paths = Paths(content=corpus, site=site, docs=docs, config=ROOT / "mkdocs.yml", cache=cache)
    build(paths)  # takes in the live preview's edits above
    start = time.perf_counter()
    build(paths)
    unchanged = time.perf_counter() - start
    paper = sorted((corpus / "papers").glob("*.yml"))[records // 3]
    paper.write_text(paper.read_text(encoding="utf-8").replace("title: ", "title: Neu – ", 1), encoding="utf-8")
    start = time.perf_counter()
    build(paths)
    return {"cached_unchanged": round(unchanged, 2), "cached_one_paper": round(time.perf_counter() - start, 2)}


def measure_zensical(docs: Path, workdir: Path, records: int) -> float:
    """The pages step with the second engine: Zensical builds the same Markdown (cold: its cache cleared first)."""
    from generator.publish.builder import build_site
    from generator.publish.zensical import OUTPUT_NAME

    target = workdir / f"zensical-site-{records}"
    _remove(target, docs.parent / ".cache", docs.parent / OUTPUT_NAME)
    steps: dict[str, float] = {}
    build_site(config_file=ROOT / "mkdocs.yml", docs_dir=docs, site_dir=target, timings=steps, engine="zensical")
    return steps["mkdocs"]


def measure_bare(pages: int, workdir: Path) -> float:
    """MkDocs' seconds for a bare Material site of ``pages`` trivial pages with the project's theme settings (no
    overrides, no extensions, the same small navigation), built the same way (in shards): the floor to compare
    the project's pages with."""
    import yaml

    from generator.publish.builder import build_site
    from generator.site.publication import read_config

    folder = workdir / "bare"
    if folder.exists():
        subprocess.run(["rm", "-rf", str(folder)], check=True)
    docs = folder / "docs"
    project = read_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {k: v for k, v in project["theme"].items() if k != "custom_dir"}
    nav = [{title: path} for entry in project["nav"] for title, path in entry.items()]
    config = {"site_name": project["site_name"], "docs_dir": "docs", "strict": True, "theme": theme, "nav": nav}
    config |= {"plugins": [], "extra": {"generator": False}, "not_in_nav": "/seiten/*.md"}
    for entry in nav:
        for title, path in entry.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(f"# {title}\n\nEine Übersicht.\n", encoding="utf-8")
    (docs / "seiten").mkdir(parents=True)
    for n in range(max(0, pages - len(nav))):
        (docs / "seiten" / f"s{n:06d}.md").write_text(f"# Seite {n}\n\nEin kurzer Absatz.\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    steps: dict[str, float] = {}
    build_site(config_file=folder / "mkdocs.yml", docs_dir=docs, site_dir=folder / "site", timings=steps)
    return steps["mkdocs"]


# A city's council record (issue 17): 16,000 records, 2,500 sessions of up to 300 agenda items.
BODY = {"records": 16000, "sessions": 2500, "agenda_items": 300}


def measure_body(workdir: Path) -> dict[str, float | int | str]:
    """The Karlsruhe-sized demo body: a clean build (every stage), then with the cache unchanged and one changed
    paper."""
    from generator.editing.demo import write_demo
    from generator.pipeline import Paths, build

    base = workdir / "body"
    _remove(base)
    counts = write_demo(
        records=BODY["records"], out=base / "content", sessions=BODY["sessions"], agenda_items=BODY["agenda_items"]
    )
    items = sum(
        text.count("\n- number: ")
        for text in (p.read_text(encoding="utf-8") for p in (base / "content" / "sessions").glob("*.yml"))
    )
    paths = Paths(
        content=base / "content", site=base / "site", docs=base / "docs", config=ROOT / "mkdocs.yml", cache=base / "c"
    )
    start = time.perf_counter()
    result = build(paths)
    clean = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    site_files = [p for p in paths.site.rglob("*") if p.is_file()]
    row: dict[str, float | int | str] = {
        "records": result.records,
        "sessions": counts.sessions,
        "agenda_items": items,
        "pages": sum(1 for p in site_files if p.suffix == ".html"),
        "build_s": round(clean, 1),
        "ms_record": round(clean / result.records * 1000, 2),
        "peak_mb": round(peak),
        "children_mb": round(children),
        "site_mb": round(sum(p.stat().st_size for p in site_files) / 1e6, 1),
        "files": len(site_files),
    }
    return row | measure_cached(paths.content, paths.docs, paths.site, base / "c", result.records)  # after: it edits


def body_table(row: dict[str, float | int | str]) -> str:
    head = (
        "| records | sessions | agenda items | pages | clean build s | ms/record | peak MB | child peak MB | site MB "
        "| files | cached: no change s | cached: one paper s |"
    )
    keys = ("records", "sessions", "agenda_items", "pages", "build_s", "ms_record", "peak_mb", "children_mb") + (
        "site_mb",
        "files",
        "cached_unchanged",
        "cached_one_paper",
    )
    return "\n".join([head, "|" + "---|" * len(keys), "| " + " | ".join(str(row[k]) for k in keys) + " |"])


CRAWL = ROOT.parent / "shared" / "oparl-samples" / "huertgenwald"


def measure_import(crawl: Path, workdir: Path) -> dict[str, float | int | str]:
    """A real council record: import the recorded crawl into an empty folder, import it again, build the site."""
    from generator.importing.run import import_oparl
    from generator.pipeline import Paths, build

    base = workdir / "oparl"
    if base.exists():
        subprocess.run(["rm", "-rf", str(base)], check=True)
    start = time.perf_counter()
    summary = import_oparl(str(crawl), content=base / "content", cache=base / "cache", delay=0.0)
    first = time.perf_counter() - start
    start = time.perf_counter()
    import_oparl(str(crawl), content=base / "content", cache=base / "cache", delay=0.0, since="all")
    again = time.perf_counter() - start
    paths = Paths(content=base / "content", site=base / "site", docs=base / "docs", config=ROOT / "mkdocs.yml")
    start = time.perf_counter()
    result = build(paths)
    built = time.perf_counter() - start
    records = result.records
    site = base / "site"
    return {
        **measure_reimport(crawl, base / "http"),
        "source": crawl.name,
        "objects": sum(c["read"] for c in summary.counts.values()),
        "records": records,
        "import_s": round(first, 1),
        "per_s": round(records / first),
        "reimport_s": round(again, 1),
        "build_s": round(built, 1),
        "pages": len(list(site.rglob("*.html"))),
        "site_mb": round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measure_texts(workdir: Path, *, files: int = 40, pages: int = 10) -> dict[str, float | int | str]:
    """Extraction throughput: generated PDFs (fpdf2) of German text, read page by page by ``texts``."""
    from fpdf import FPDF

    from generator.editing.texts import extract_texts

    content = workdir / "texts" / "content"
    if content.parent.exists():
        subprocess.run(["rm", "-rf", str(content.parent)], check=True)
    (content / "files").mkdir(parents=True)
    line = "Die Zielvereinbarung wurde dem Ministerium zugeleitet und ohne Unterschrift zurückgesandt. " * 30
    for number in range(files):
        document = FPDF()
        document.set_font("helvetica", size=11)
        for _ in range(pages):
            document.add_page()
            document.multi_cell(0, 6, line)
        document.output(str(content / "files" / f"dokument-{number}.pdf"))
    result = extract_texts(content)
    return {
        "files": files,
        "pages": result.counts["pages"],
        "seconds": round(result.seconds, 1),
        "pages_per_s": round(result.counts["pages"] / result.seconds) if result.seconds else 0,
    }


def measure_reimport(crawl: Path, base: Path) -> dict[str, float]:
    """The night's run of a council record with one paper changed at the source: imported over HTTP (the test
    suite's replay server, no pause between requests) and built with the build cache; then the source changes one
    paper's title, and the incremental import (``modified_since``) plus the cached build are timed together."""
    from generator.importing.run import import_oparl
    from generator.pipeline import Paths, build
    from tests.oparl_replay import Replay

    paths = Paths(
        content=base / "content",
        site=base / "site",
        docs=base / "docs",
        config=ROOT / "mkdocs.yml",
        cache=base / "build-cache",
    )
    with Replay(crawl, base=REPLAY_BASE) as server:
        import_oparl(server.url + "system", content=paths.content, cache=base / "import-cache", delay=0.0)
        build(paths)
        page_path = sorted((crawl / "body" / "1").glob("paper*.json"))[3]
        page = json.loads(page_path.read_text(encoding="utf-8"))
        page["data"][0]["name"] += " (geändert)"
        page["data"][0]["modified"] = "2030-01-01T10:00:00+01:00"
        server.overrides[page_path.relative_to(crawl).as_posix().removesuffix(".json")] = page
        start = time.perf_counter()
        summary = import_oparl(server.url + "system", content=paths.content, cache=base / "import-cache", delay=0.0)
        imported = time.perf_counter() - start
        build(paths)
        both = time.perf_counter() - start
    changed = sum(c["changed"] for c in summary.counts.values())
    return {"reimport_one_s": round(imported, 1), "reimport_build_s": round(both, 1), "reimport_changed": changed}


REPLAY_BASE = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/"  # the recorded crawl's address


def import_table(row: dict[str, float | int | str]) -> str:
    head = (
        "| OParl source | objects read | records | import s | records/s | full re-import s | build s | pages "
        "| site MB | peak MB | one changed paper: re-import s | re-import + cached build s |"
    )
    keys = ("source", "objects", "records", "import_s", "per_s", "reimport_s", "build_s", "pages", "site_mb") + (
        "peak_mb",
        "reimport_one_s",
        "reimport_build_s",
    )
    return "\n".join([head, "|" + "---|" * len(keys), "| " + " | ".join(str(row[k]) for k in keys) + " |"])


SEARCH_QUERIES = (
    "Jobcenter",
    "Haushaltssatzung 2019",
    "Sanierung Gesamtschule",
    "Integrationsquote",
    "Sitzung",
    "Schätzung der Verwaltung",  # words that stand only in the documents' text
)


# Timed inside the page, from the input event to the first result link in the document: Playwright's own
# waiting polls in steps of up to 100 ms and would add that much to what a person sees.
STOPWATCH = """() => {
  const box = document.querySelector(".pagefind-ui__search-input");
  window.__stopwatch = {};
  box.addEventListener("input", () => { window.__stopwatch.start ??= performance.now(); }, { once: true });
  new MutationObserver((changes, observer) => {
    if (document.querySelector(".pagefind-ui__result-link")) {
      window.__stopwatch.end = performance.now();
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""


SEARCH_ROUNDS = 3


def measure_search(site: Path, *, rounds: int = SEARCH_ROUNDS) -> dict[str, str]:
    """Pagefind in headless Chromium: time from typing a query to results, and bytes loaded for it.

    Each round opens the start page in a fresh browser context (nothing cached) and types the queries one after the
    other, as a person would: Pagefind's start (its module, metadata and WebAssembly) loads when the box gets the
    focus, before the first stopwatch; a later query reuses what the earlier ones loaded, and its kB are what it
    loads beyond them. A query's figure is its median over the rounds (one run on this machine varies by a third).
    """
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    from scripts.chromium import launch

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    times: dict[str, list[float]] = {query: [] for query in SEARCH_QUERIES}
    loads: dict[str, list[int]] = {query: [] for query in SEARCH_QUERIES}
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            loaded: list[int] = []
            for _ in range(rounds):
                context = browser.new_context()
                page = context.new_page()
                page.on("response", lambda r: loaded.append(len(r.body())) if r.ok else None)
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="networkidle")
                for query in SEARCH_QUERIES:
                    page.click(".pagefind-ui__search-input")  # a person clicks into the box, then types
                    page.fill(".pagefind-ui__search-input", "")
                    page.wait_for_timeout(300)
                    page.evaluate(STOPWATCH)
                    loaded.clear()
                    page.fill(".pagefind-ui__search-input", query)
                    page.wait_for_function("() => window.__stopwatch.end", timeout=30000)
                    times[query].append(page.evaluate("() => window.__stopwatch.end - window.__stopwatch.start"))
                    page.wait_for_timeout(1000)  # the rest of the result fragments
                    loads[query].append(sum(loaded))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    ms = {query: statistics.median(each) for query, each in times.items()}
    kb = {query: statistics.median(each) / 1000 for query, each in loads.items()}
    return {
        "search_ms": f"{statistics.median(ms.values()):.0f} (max {max(ms.values()):.0f})",
        "search_kb": f"{statistics.median(kb.values()):.0f} (max {max(kb.values()):.0f})",
        "pagefind_mb": f"{sum(p.stat().st_size for p in (site / 'pagefind').rglob('*') if p.is_file()) / 1e6:.1f}",
        "search_each": ", ".join(f'"{q}" {ms[q]:.0f} ms / {kb[q]:.0f} kB' for q in SEARCH_QUERIES),
    }


def table(rows: list[dict[str, float | int | str]]) -> str:
    head = [
        "records",
        "pages",
        *(f"{s} s" for s in STAGES),
        "total s",
        "gen/mkdocs",
        "ms/page",
        "bare ms/page",
        "ratio",
        "ms/record",
        "peak MB",
        "child peak MB",
        "site MB",
        "median page kB",
        "largest page kB",
        "Pagefind MB",
        "query ms",
        "query kB",
        "edit: paper",
        "edit: organisation",
        "cached build: no change s",
        "cached build: one paper s",
        "Zensical s",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if "edit_seen" in r:  # the update, and in brackets from saving to the browser showing it
            r = {**r, "edit_paper_seen": f"{r['edit_paper']} (seen {r['edit_seen']} s)"}
        stage_seconds = [float(r[f"s_{s}"]) for s in STAGES]
        total = sum(stage_seconds)
        generator = sum(float(r[f"s_{s}"]) for s in GENERATOR)
        per_page, bare = _per_page(r)
        cells = [
            r["records"],
            r["pages"],
            *(f"{s:.2f}" for s in stage_seconds),
            f"{total:.1f}",
            f"{generator / float(r['s_mkdocs']):.0%}",
            f"{per_page:.2f}",
            f"{bare:.2f}" if bare else "–",
            f"{per_page / bare:.2f}×" if bare else "–",
            f"{total / int(r['records']) * 1000:.2f}",
            r["peak_mb"],
            r.get("children_mb", "–"),
            r["site_mb"],
            r["median_kb"],
            f"{r['largest_kb']} ({r['largest_page']})",
            *(
                r.get(key, "–")  # not measured in the growth row
                for key in (
                    "pagefind_mb",
                    "search_ms",
                    "search_kb",
                    "edit_paper_seen",
                    "edit_org",
                    "cached_unchanged",
                    "cached_one_paper",
                    "zensical",
                )
            ),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def _per_page(r: dict[str, float | int | str]) -> tuple[float, float]:
    """MkDocs' milliseconds per Markdown page: the project's, and the bare Material site's of the same run."""
    pages = int(r["markdown_pages"])
    return float(r["s_mkdocs"]) / pages * 1000, float(r.get("bare_mkdocs", 0)) / pages * 1000


def _total(r: dict[str, float | int | str]) -> float:
    return sum(float(r[f"s_{s}"]) for s in STAGES)


def targets(rows: list[dict[str, float | int | str]]) -> str:
    total = _total

    small, large = rows[0], rows[-1]
    per_small, per_large = total(small) / int(small["records"]), total(large) / int(large["records"])
    generator = sum(float(large[f"s_{s}"]) for s in GENERATOR) / float(large["s_mkdocs"])
    ratios = ", ".join(f"{_per_page(r)[0] / _per_page(r)[1]:.2f}× at {r['records']}" for r in rows)
    return "\n".join(
        [
            f"- full build at {large['records']} records: {total(large):.1f} s (target ≤ 25 s)",
            f"- live preview at {large['records']}: a changed paper updated in {large['edit_paper']}, another one "
            f"in the browser {large['edit_seen']} s after saving (target ≤ 1 s)",
            f"- MkDocs per page, the project's / a bare Material page's: {ratios} (target ≤ 1.5×)",
            f"- build with the cache at {large['records']}: no change {large['cached_unchanged']} s (target ≤ 3 s), "
            f"one changed paper {large['cached_one_paper']} s (target ≤ 5 s)",
            f"- peak memory at {large['records']}: {large['peak_mb']} MB, the largest child process (a MkDocs worker "
            f"or Pagefind) {large['children_mb']} MB (target ≤ 500 MB)",
            f"- the pages with Zensical (cold) at {large['records']}: {large['zensical']} s "
            f"(MkDocs {large['s_mkdocs']} s)",
            f"- generator stages / MkDocs build at {large['records']}: {generator:.0%} (target ≤ 10 %)",
            f"- time per record {large['records']} vs {small['records']}: {per_large / per_small:.2f}× (target ≤ 1.2×)",
            f"- median page: {', '.join(str(r['median_kb']) + ' kB' for r in rows)} (target: independent of size)",
            f"- each search at {large['records']}: {large['search_each']}",
        ]
    )


def _child(workdir: Path, *options: str) -> dict[str, float | int | str]:
    """One measurement in a fresh process (its peak memory its own): the JSON line it prints; exits if it fails."""
    command = [sys.executable, __file__, *options, "--workdir", str(workdir)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        raise SystemExit(1)
    row: dict[str, float | int | str] = json.loads(result.stdout.strip().splitlines()[-1])
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--oparl", type=Path, default=CRAWL, help="a recorded OParl crawl to import and build")
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--texts-only", action="store_true", help="only the PDF text extraction's throughput")
    parser.add_argument(
        "--growth", action="store_true", help="only the clean build's stages per size (e.g. --sizes 20000,40000)"
    )
    parser.add_argument("--body-only", action="store_true", help="only the Karlsruhe-sized body (16,000 records)")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(measure(args.one, args.workdir, extras=not args.growth)))
        return 0
    if args.body_only:
        print(json.dumps(measure_body(args.workdir)))
        return 0
    if args.import_only:
        print(json.dumps(measure_import(args.oparl, args.workdir)))
        return 0
    if args.texts_only:
        print(json.dumps(measure_texts(args.workdir)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"building {size} records …", file=sys.stderr, flush=True)
        rows.append(_child(args.workdir, "--one", str(size), *(["--growth"] if args.growth else [])))
    print(table(rows))
    if args.growth:
        per_record = ", ".join(f"{r['records']}: {_total(r) / int(r['records']) * 1000:.2f} ms" for r in rows)
        print(f"\ntime per record (clean build): {per_record}")
        return 0
    print()
    print(targets(rows))
    print(f"building the Karlsruhe-sized body ({BODY['records']} records) …", file=sys.stderr, flush=True)
    print()
    print(body_table(_child(args.workdir, "--body-only")))
    if args.oparl.is_dir():
        print(f"importing {args.oparl} …", file=sys.stderr, flush=True)
        print()
        print(import_table(_child(args.workdir, "--import-only", "--oparl", str(args.oparl))))
    texts = measure_texts(args.workdir)
    print()
    print("| PDF files | pages | extraction s | pages/s |\n|---|---|---|---|")
    print(f"| {texts['files']} | {texts['pages']} | {texts['seconds']} | {texts['pages_per_s']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
