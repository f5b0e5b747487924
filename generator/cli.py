"""Command line: ``python -m generator build|check``. Exit 0 when fine, 1 on content or build problems, 2 on
wrong usage. No traceback reaches the user."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console

from generator.editing.demo import DemoTargetError, write_demo
from generator.editing.newsite import NewSiteError, new_site
from generator.editing.preview import Preview
from generator.editing.scaffold import KINDS, ScaffoldError, new_record
from generator.editing.schema import FOLDER as SCHEMA_FOLDER
from generator.editing.schema import write_schemas
from generator.editing.serve import serve
from generator.editing.texts import extract_texts
from generator.exports.urls import PUBLISHED, public_urls, url_list
from generator.importing.display import bars
from generator.importing.fetch import FetchError
from generator.importing.files import DELAY, DOWNLOADS, JOBS, MAX_MB, SECONDS, Limits, import_files
from generator.importing.run import BadSince, import_oparl
from generator.importing.store import StoreError
from generator.pipeline import Paths, build, check
from generator.publish.builder import ENGINES, BuildError
from generator.publish.theme import ThemeError
from generator.records.problems import ContentError, Problem
from generator.site.text import count_de
from generator.site.write import PathClaimedTwice

log = logging.getLogger("generator")

OK, PROBLEMS, USAGE = 0, 1, 2
LOCAL_PREVIEW = ("http://127.0.0.1", "http://localhost")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program(),
        description="Erzeugt aus den YAML-Datensätzen in content/ eine statische Website (MkDocs Material).",
    )
    verbose = "Fortschritt ausführlich protokollieren"
    parser.add_argument("-v", "--verbose", action="store_true", help=verbose)
    # -v also after the command (``build -v``), as people type it. SUPPRESS: a subcommand without -v must not
    # reset what ``-v build`` set.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=verbose)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="{build,check,serve,new,new-site,schema,urls,texts,import,demo}"
    )

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=text, description=text, parents=[common])

    build_cmd = command("build", "Inhalte prüfen und die Website bauen")
    check_cmd = command("check", "Inhalte nur prüfen (ohne MkDocs)")
    for cmd in (build_cmd, check_cmd):
        cmd.add_argument("--content", type=Path, default=Path("content"), help="Ordner mit den Datensätzen")
        cmd.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="Ausgabe der Probleme: text (Datei:Zeile:Spalte: code Meldung) oder json (für Werkzeuge)",
        )
    build_cmd.add_argument("--site", type=Path, default=Path("site"), help="Zielordner der Website")
    build_cmd.add_argument("--docs", type=Path, default=Path("build/docs"), help="Ordner für das erzeugte Markdown")
    build_cmd.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs-Konfiguration")
    build_cmd.add_argument(
        "--cache",
        type=Path,
        default=Path("build/cache"),
        help="Zwischenspeicher: unveränderte Seiten werden nicht neu gebaut (Standard build/cache)",
    )
    build_cmd.add_argument("--no-cache", action="store_true", help="alles neu bauen, ohne Zwischenspeicher")
    build_cmd.add_argument(
        "--engine",
        choices=ENGINES,
        default="mkdocs",
        help="was die Seiten baut: mkdocs (Standard, MkDocs + Material) oder zensical (Materials Nachfolger)",
    )
    build_cmd.add_argument(
        "--mirror",
        type=Path,
        help="Ordner von „import files --mirror“: die geladenen PDF-Dateien auch auf der Website anbieten",
    )
    build_cmd.add_argument(
        "--production", action="store_true", help="für die Veröffentlichung: fehlende Einstellungen sind Fehler"
    )
    build_cmd.add_argument(
        "--settings", type=Path, default=Path("site_config/settings.yml"), help="Einstellungen für die Pflichtseiten"
    )
    serve_cmd = command("serve", "Vorschau auf localhost, die jeder Änderung in content/ folgt")
    serve_cmd.add_argument("--content", type=Path, default=Path("content"), help="Ordner mit den Datensätzen")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: nur dieser Rechner)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="Port (Standard: 8000)")
    serve_cmd.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs-Konfiguration")
    urls_cmd = command("urls", "die öffentlichen Adressen zeigen oder als veröffentlicht eintragen")
    urls_cmd.add_argument("--content", type=Path, default=Path("content"), help="Ordner mit den Datensätzen")
    urls_cmd.add_argument(
        "--update", action="store_true", help="die Liste der veröffentlichten Adressen mit den heutigen schreiben"
    )
    for cmd in (build_cmd, check_cmd, urls_cmd):
        cmd.add_argument(
            "--published",
            type=Path,
            default=None,
            help="Liste der veröffentlichten Adressen, keine darf verschwinden "
            "(Standard für content/: site_config/published-urls.txt)",
        )
    new_cmd = command("new", "einen neuen Eintrag zum Ausfüllen anlegen")
    new_cmd.add_argument("kind", choices=sorted(KINDS), help="Art des Eintrags")
    new_cmd.add_argument("id", help="Kennung = Dateiname, z. B. kreistag-2013-07-10")
    new_cmd.add_argument("--content", type=Path, default=Path("content"), help="Ordner mit den Datensätzen")
    new_cmd.add_argument("--organization", help="bei einer Sitzung: Kennung des Gremiums")
    schema_cmd = command("schema", "JSON-Schemas für Editoren nach schemas/ schreiben")
    schema_cmd.add_argument("--out", type=Path, default=SCHEMA_FOLDER, help="Zielordner (Standard: schemas)")
    site_cmd = command("new-site", "einen neuen Website-Ordner anlegen (mkdocs.yml, site_config/, content/)")
    site_cmd.add_argument("folder", type=Path, help="neuer, leerer Ordner")
    texts_cmd = command("texts", "den Text jeder PDF-Anlage Seite für Seite nach content/texts/ schreiben")
    texts_cmd.add_argument("--content", type=Path, default=Path("content"), help="Ordner mit den Datensätzen")
    _import_parsers(commands, common)
    demo_cmd = command("demo", "erfundene Demo-Daten für Tests und Benchmarks erzeugen")
    demo_cmd.add_argument("--records", type=_positive, default=1000, help="ungefähre Zahl der Datensätze")
    demo_cmd.add_argument("--out", type=Path, required=True, help="Zielordner (nie content/)")
    demo_cmd.add_argument("--seed", type=int, default=2013, help="Startwert: gleicher Wert, gleiche Dateien")
    demo_cmd.add_argument("--sessions", type=_positive, help="so viele Sitzungen (sonst 30 %% der Datensätze)")
    demo_cmd.add_argument(
        "--agenda-items", type=_positive, default=10, help="höchstens so viele Tagesordnungspunkte je Sitzung"
    )
    return parser


def _import_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """``import oparl SOURCE …`` and ``import files …``."""
    import_cmd = commands.add_parser(
        "import",
        help="Vorlagen, Sitzungen, Gremien und Personen aus einem Ratsinformationssystem übernehmen (OParl)",
        description="Übernimmt Datensätze aus einem Ratsinformationssystem (oparl), danach die PDF-Dateien, die sie "
        "nennen (files).",
        parents=[common],
    )
    kinds = import_cmd.add_subparsers(dest="format", required=True, metavar="{oparl,files}")
    oparl_cmd = kinds.add_parser(
        "oparl",
        help="eine Körperschaft über OParl 1.0 oder 1.1 übernehmen",
        description="Übernimmt eine Körperschaft eines Ratsinformationssystems über OParl 1.0 oder 1.1 nach content/: "
        "Organisationen, Personen (nur Name und Mitgliedschaften), Sitzungen mit Tagesordnung und Vorlagen mit "
        "Beratungen und Dateien (als Verweis). Von Hand ergänzte Felder bleiben unberührt.",
        epilog=IMPORT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    oparl_cmd.add_argument(
        "source", help="Adresse des OParl-Systems oder der Körperschaft, oder ein Ordner mit Aufzeichnung"
    )
    oparl_cmd.add_argument("--content", type=Path, default=Path("content"), help="Ordner mit den Datensätzen")
    oparl_cmd.add_argument("--body", help="welche Körperschaft: ihre OParl-Adresse oder Nummer (1, 2, …)")
    oparl_cmd.add_argument(
        "--since",
        default="auto",
        help="auto (Standard: was seit dem letzten Import geändert wurde), ein Datum JJJJ-MM-TT, oder all "
        "(alles; was die Quelle nicht mehr hat, wird als zurückgezogen markiert)",
    )
    oparl_cmd.add_argument("--dry-run", action="store_true", help="nur berichten, was sich ändern würde")
    oparl_cmd.add_argument("--delay", type=float, default=0.2, help="Sekunden zwischen zwei Anfragen (Standard 0,2)")
    oparl_cmd.add_argument(
        "--cache", type=Path, default=Path("build/oparl-import"), help="Zwischenspeicher, damit ein Abbruch weitergeht"
    )
    files_cmd = kinds.add_parser(
        "files",
        help="die PDF-Dateien der importierten Datensätze laden und ihren Text nach content/texts/ schreiben",
        description="Lädt jede PDF-Datei, die ein importierter Datensatz beim Ratsinformationssystem nennt, in einen "
        "Ordner außerhalb von content/ (nicht ins Git), schreibt ihre Prüfsumme in den Datensatz und ihren Text nach "
        "content/texts/. Schon geladene Dateien werden nicht noch einmal geladen; ein abgebrochener Lauf setzt fort.",
        epilog=FILES_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    files_cmd.add_argument("--content", type=Path, default=Path("content"), help="Ordner mit den Datensätzen")
    files_cmd.add_argument(
        "--into", type=Path, default=DOWNLOADS, help=f"Ordner für die geladenen Dateien (Standard {DOWNLOADS})"
    )
    files_cmd.add_argument(
        "--jobs", type=_positive, default=JOBS, help=f"wie viele Dateien zugleich geladen werden (Standard {JOBS})"
    )
    files_cmd.add_argument(
        "--delay", type=float, default=DELAY, help="Sekunden zwischen zwei Anfragen, über alle hinweg (Standard 0,5)"
    )
    files_cmd.add_argument(
        "--max-mb", type=_positive, default=MAX_MB, help=f"größere Dateien werden ausgelassen (Standard {MAX_MB})"
    )
    files_cmd.add_argument(
        "--timeout", type=_positive, default=int(SECONDS), help=f"Sekunden je Datei (Standard {int(SECONDS)})"
    )
    files_cmd.add_argument(
        "--mirror",
        action="store_true",
        help="Dateien behalten, um sie auf der Website zu spiegeln: fehlende werden neu geladen (build --mirror)",
    )


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)  # stopped like Ctrl+C: child processes and staging cleaned up
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if args.command in WITHOUT_CONTENT:
        return WITHOUT_CONTENT[args.command](args)
    if getattr(args, "published", False) is None and args.content == Path("content"):
        args.published = PUBLISHED  # the real content's list; other content folders have none unless given
    if not args.content.is_dir():
        print(f"{args.content}: Ordner nicht gefunden (--content angeben)", file=sys.stderr)
        return USAGE
    try:
        return WITH_CONTENT.get(args.command, _build)(args)
    except ContentError as exc:
        _report(exc.problems, content=args.content, as_json=getattr(args, "format", "text") == "json")
        return PROBLEMS
    except (BuildError, PathClaimedTwice, ThemeError) as exc:
        print(str(exc), file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.verbose:
            log.error("interner Fehler", exc_info=True)
        print(
            f"Interner Fehler ({type(exc).__name__}: {exc}). Bitte mit -v erneut ausführen und melden; "
            "die Website wurde nicht verändert.",
            file=sys.stderr,
        )
        return PROBLEMS


IMPORT_EXAMPLES = """Beispiele:
  transparenz import oparl https://rat.example.de/oparl/v1.1/system     erster Import (alles)
  transparenz import oparl https://rat.example.de/oparl/v1.1/system     danach: nur Änderungen
  transparenz import oparl https://… --since all                         alles abgleichen, Gelöschtes zurückziehen
  transparenz import oparl https://… --dry-run                           nur zeigen, was sich ändern würde
  transparenz import oparl ../aufzeichnung/                              aus einer aufgezeichneten Abfrage
Danach: transparenz check, transparenz build, die geänderten Dateien committen.
Ablauf, Konflikte und der nächtliche Import in der CI: docs/oparl-import.md"""


FILES_EXAMPLES = """Beispiele:
  transparenz import oparl https://rat.example.de/oparl/v1.1/system     erst die Datensätze
  transparenz import files                                              dann die Dateien und ihre Texte
  transparenz import files --jobs 4 --max-mb 200                        mehr zugleich, auch große Pläne
Danach: transparenz check (prüft die Zitate), content/ committen (die Dateien selbst bleiben draußen).
Ablauf und Grenzen: docs/oparl-import.md"""


def _import(args: argparse.Namespace) -> int:
    if args.format == "files":
        return _import_files(args)
    try:
        with bars() as progress:
            summary = import_oparl(
                args.source,
                content=args.content,
                body=args.body,
                since=args.since,
                dry_run=args.dry_run,
                cache=args.cache,
                delay=args.delay,
                progress=progress,
            )
    except BadSince as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    except StoreError as exc:
        print(f"Import nicht begonnen: {exc}.", file=sys.stderr)
        return PROBLEMS
    except FetchError as exc:
        print(f"Import abgebrochen: {exc}. Ein neuer Aufruf setzt fort, wo dieser stehen blieb.", file=sys.stderr)
        return PROBLEMS
    for line in summary.lines():
        print(line)
    return OK


def _import_files(args: argparse.Namespace) -> int:
    if not args.content.is_dir():
        print(f"{args.content}: Ordner nicht gefunden (--content angeben)", file=sys.stderr)
        return USAGE
    limits = Limits(max_bytes=args.max_mb * 1_000_000, seconds=float(args.timeout), jobs=args.jobs, delay=args.delay)
    try:
        with bars() as progress:
            summary = import_files(
                content=args.content, into=args.into, limits=limits, mirror=args.mirror, progress=progress
            )
    except StoreError as exc:
        print(f"Laden nicht begonnen: {exc}.", file=sys.stderr)
        return PROBLEMS
    except OSError as exc:
        print(f"Laden abgebrochen: {args.into} ist nicht beschreibbar ({exc}).", file=sys.stderr)
        return PROBLEMS
    for line in summary.lines():
        print(line)
    if summary.stopped:
        return 130
    try:
        extraction = extract_texts(args.content, pdfs=summary.downloaded)
    except KeyboardInterrupt:
        print("Abgebrochen: die Texte der übrigen Dateien liest der nächste Aufruf.", file=sys.stderr)
        return 130
    for line in extraction.lines():
        print(line)
    return OK


def _texts(args: argparse.Namespace) -> int:
    for line in extract_texts(args.content).lines():
        print(line)
    return OK


def _schema(args: argparse.Namespace) -> int:
    for written in write_schemas(args.out):
        print(f"{written} geschrieben")
    return OK


def _serve(args: argparse.Namespace) -> int:
    paths = Paths(
        content=args.content, site=Path("build/vorschau/site"), docs=Path("build/vorschau/docs"), config=args.config
    )
    serve(Preview(paths), host=args.host, port=args.port)
    return OK


def _urls(args: argparse.Namespace) -> int:
    text = url_list(public_urls(check(Paths(content=args.content, published=args.published))))
    if args.update:
        target = args.published or PUBLISHED
        target.write_text(text, encoding="utf-8")
        print(f"{target}: {text.count(chr(10)) - 1} Adressen eingetragen.")
    else:
        print(text, end="")
    return OK


def _check(args: argparse.Namespace) -> int:
    site = check(Paths(content=args.content, published=args.published))
    warnings = site.records.warnings
    if args.format == "json":
        items = [_item(w, args.content) for w in warnings]
        print(json.dumps({"records": len(site.records), "problems": [], "warnings": items}, ensure_ascii=False))
    else:
        for warning in warnings:
            print(f"Warnung: {warning.located(args.content)}", file=sys.stderr)
        print(f"Keine Probleme: {count_de(len(site.records), 'Datensatz', 'Datensätze')} geprüft.")
        quotes = site.records.quotes
        if quotes:
            print(
                f"Zitate: {quotes['proven']} im Text ihrer Quelle gefunden, {quotes['unchecked']} nicht geprüft "
                "(kein Text der Quelle in content/texts/)."
            )
    return OK


@contextmanager
def _stages() -> Iterator[Callable[[str], None]]:
    """A build's stages as it goes: on a terminal one line that shows the stage and its running time (rich), in a
    CI log (no terminal) a plain line per stage with the time since the start."""
    started = time.perf_counter()
    console = Console(stderr=True)
    if not console.is_terminal:

        def line(stage: str) -> None:
            print(f"[{time.perf_counter() - started:6.1f} s] {stage}", file=sys.stderr, flush=True)

        yield line
        return
    with console.status("", spinner="dots") as status:

        def show(stage: str) -> None:
            console.log(stage)
            status.update(f"{stage} …")

        yield show


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if not args.config.is_file():
        print(f"{args.config}: MkDocs-Konfiguration nicht gefunden (--config angeben)", file=sys.stderr)
        return USAGE
    paths = Paths(
        content=args.content,
        site=args.site,
        docs=args.docs,
        config=args.config,
        settings=args.settings,
        published=args.published,
        mirror=args.mirror,
        cache=None if args.no_cache else args.cache,
    )
    with _stages() as report:
        result = build(paths, production=args.production, engine=args.engine, report=report)
    for warning in result.warnings:
        print(f"Warnung: {warning.located(args.content)}", file=sys.stderr)
    seconds = time.perf_counter() - started
    stats = result.written
    if not result.ran:
        print(
            f"Nichts geändert seit dem letzten Build: {result.records} Datensätze, {args.site} bleibt ({seconds:.1f} s)"
        )
    else:
        print(
            f"Website gebaut: {result.records} Datensätze, {stats.written} Dateien neu geschrieben, "
            f"{stats.unchanged} unverändert, {stats.removed} entfernt → {args.site} ({seconds:.1f} s)"
        )
    if result.site_url.startswith(LOCAL_PREVIEW):
        print(
            f"Hinweis: Die öffentliche Adresse ist nicht gesetzt; Sitemap und kanonische Links zeigen auf "
            f"{result.site_url}. Zum Veröffentlichen SITE_URL=https://… setzen.",
            file=sys.stderr,
        )
    return OK


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (``kill``, a CI runner cancelling the job) ends a command like Ctrl+C, with its clean-up; a second
    SIGTERM during that clean-up is ignored."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def _report(problems: list[Problem], *, content: Path, as_json: bool) -> None:
    """Every problem as ``path:line:column: code message`` and a summary line, or as one JSON object."""
    located = [(((content / p.path).as_posix() if p.in_content else p.path), p) for p in problems]
    if as_json:
        items = [
            {"path": path, "line": p.line, "column": p.column, "code": p.code, "message": p.message}
            for path, p in located
        ]
        print(json.dumps({"problems": items}, ensure_ascii=False, indent=1))
        return
    for path, p in located:
        print(f"{path}:{p.line}:{p.column}: {p.code} {p.message}")
    files = len({path for path, _ in located})
    count = len(problems)
    print(
        f"{count} {'Problem' if count == 1 else 'Probleme'} in {files} {'Datei' if files == 1 else 'Dateien'} "
        "gefunden; die Website wurde nicht verändert. Erklärung der Codes: docs/fehlercodes.md"
    )


def _item(problem: Problem, content: Path) -> dict[str, str | int]:
    return {
        "path": problem.where(content),
        "line": problem.line,
        "column": problem.column,
        "code": problem.code,
        "message": problem.message,
    }


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("muss mindestens 1 sein")
    return value


COMMAND = "transparenz"  # the console command of an installed generator (pyproject.toml, [project.scripts])


def program() -> str:
    """How to run the generator again, as a command that works when pasted: the installed command
    (``transparenz``) when it was run so, the README's ``.venv/bin/python -m generator`` from the checkout's
    ``.venv``, else this very interpreter."""
    if Path(sys.argv[0]).name == COMMAND:
        return COMMAND
    if Path(sys.prefix).resolve() == Path(".venv").resolve():
        return ".venv/bin/python -m generator"
    return f"{shlex.quote(sys.executable)} -m generator"


def _new_site(args: argparse.Namespace) -> int:
    try:
        new_site(args.folder, command=program())
    except NewSiteError as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    print(f"{args.folder} angelegt. Weiter: cd {shlex.quote(str(args.folder))} && {program()} build")
    return OK


def _new(args: argparse.Namespace) -> int:
    run = program()
    try:
        path = new_record(
            content=args.content,
            kind_word=args.kind,
            record_id=args.id,
            organization=args.organization,
            program=run,
        )
    except ScaffoldError as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    check_command = f"{run} check" + (
        "" if args.content == Path("content") else f" --content {shlex.quote(str(args.content))}"
    )
    print(f"{path} angelegt. Die Angaben in <spitzen Klammern> ersetzen, dann prüfen: {check_command}")
    return OK


def _demo(args: argparse.Namespace) -> int:
    try:
        counts = write_demo(
            records=args.records,
            out=args.out,
            seed=args.seed,
            protected=Path("content"),
            sessions=args.sessions,
            agenda_items=args.agenda_items,
        )
    except DemoTargetError as exc:
        print(str(exc), file=sys.stderr)
        return USAGE
    print(f"Demo-Daten geschrieben: {counts.total} Datensätze in {args.out} (Startwert {args.seed}).")
    return OK


Command = Callable[[argparse.Namespace], int]
WITHOUT_CONTENT: dict[str, Command] = {
    "demo": _demo,
    "schema": _schema,
    "new": _new,
    "new-site": _new_site,
    "import": _import,
}
WITH_CONTENT: dict[str, Command] = {"serve": _serve, "urls": _urls, "check": _check, "texts": _texts}  # else: build
