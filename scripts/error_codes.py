"""Write docs/fehlercodes.md: every problem code of `check` with what it means and a real example.

The examples are the broken fixture sets in tests/fixtures/broken/<code>/, checked for real, so the page shows
exactly what an editor sees. tests/test_error_codes.py fails when the page is stale; rewrite it with
    .venv/bin/python scripts/error_codes.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import Paths, check  # noqa: E402
from generator.records.load import load  # noqa: E402
from generator.records.problems import CODES, WARNINGS, ContentError, Problem  # noqa: E402
from generator.records.settings import load_settings  # noqa: E402
from generator.records.validate import validate  # noqa: E402

PAGE = ROOT / "docs" / "fehlercodes.md"
BROKEN = ROOT / "tests" / "fixtures" / "broken"
MAX_LINES = 25

# The codes that are not about a record file alone, with their example input.
SETTINGS_EXAMPLE = "operator:\n  name:\n"
PUBLISHED_EXAMPLE = "/vorlagen/\n/vorlagen/alte-vorlage/\n"
MIRROR_EXAMPLE = b"%PDF-1.4\n% eine andere Fassung\n%%EOF\n"
MIRROR_NAME = "ratsinfo-1-204-6cb0c078.pdf"  # download_name("1-204", its address, "application/pdf")


def problems_of(code: str) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The example files (path shown, text) and the problems `check` reports for them."""
    with tempfile.TemporaryDirectory() as tmp:
        if code == "missing-setting":
            path = Path(tmp) / "settings.yml"
            path.write_text(SETTINGS_EXAMPLE, encoding="utf-8")
            _, warnings = load_settings(path, production=False)
            shown = [Problem("site_config/settings.yml", w.line, w.code, w.message, column=w.column) for w in warnings]
            return [("site_config/settings.yml", SETTINGS_EXAMPLE)], shown[:1]
        if code == "url-removed":
            path = Path(tmp) / "published-urls.txt"
            path.write_text(PUBLISHED_EXAMPLE, encoding="utf-8")
            try:
                check(Paths(content=ROOT / "tests" / "fixtures" / "valid", published=path))
            except ContentError as exc:
                shown = [Problem("site_config/published-urls.txt", p.line, p.code, p.message) for p in exc.problems]
                return [("site_config/published-urls.txt", PUBLISHED_EXAMPLE)], shown
            raise AssertionError("url-removed example did not fail")
        if code == "mirror-skipped":  # a downloaded file that is not the one the record's checksum names
            mirror = Path(tmp) / "dateien"
            mirror.mkdir()
            (mirror / MIRROR_NAME).write_bytes(MIRROR_EXAMPLE)
            site = check(Paths(content=BROKEN / code, mirror=mirror))
            shown = [
                Problem(f"build/dateien/{MIRROR_NAME}", w.line, w.code, w.message, in_content=False)
                for w in site.records.warnings
                if w.code == code
            ]
            record = next((BROKEN / code / "papers").glob("*.yml"))
            return [(f"content/papers/{record.name}", record.read_text(encoding="utf-8"))], shown
    folder = BROKEN / code
    if code in WARNINGS:  # a warning (placeholders: an error only in a --production build)
        warnings = validate(load(folder)).warnings[:1]
        raw = (folder / warnings[0].path).read_text(encoding="utf-8")
        shown = [Problem(f"content/{w.path}", w.line, w.code, w.message, column=w.column) for w in warnings]
        return [(f"content/{warnings[0].path}", raw)], shown
    try:
        check(Paths(content=folder))
    except ContentError as exc:
        found = [p for p in exc.problems if p.code == code][:1]
        files = []
        for problem in found:
            path = folder / problem.path
            if path.is_symlink():
                files.append((f"content/{problem.path}", f"# ein Verweis (Symlink) auf {os.readlink(path)}"))
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
            lines = text.splitlines()
            if len(lines) > MAX_LINES:
                text = "\n".join(lines[:MAX_LINES]) + "\n# … (gekürzt)"
            files.append((f"content/{problem.path}", text))
        return files, [Problem(f"content/{p.path}", p.line, p.code, p.message, column=p.column) for p in found]
    raise AssertionError(f"{folder} has no problem")


def page() -> str:
    parts = [
        "# Fehlercodes von `check` und `build`",
        "",
        "Jede Meldung hat die Form `Datei:Zeile:Spalte: code Meldung`, z. B.",
        "`content/papers/p.yml:4:1: invalid-date Feld „date“: …`. Die Codes bleiben stabil, Werkzeuge dürfen",
        "sich auf sie verlassen (`python -m generator check --format json` gibt dieselben Angaben als JSON aus).",
        "Die Beispiele unten sind echt: Diese Seite wird mit `scripts/error_codes.py` aus den Testfällen in",
        "`tests/fixtures/broken/` erzeugt.",
        "",
    ]
    for code, meaning in CODES.items():
        files, found = problems_of(code)
        parts += [f"## `{code}`", "", meaning, ""]
        for name, text in files:
            parts += [f"`{name}`:", "", "```yaml", text.rstrip("\n").replace("\t", "→   "), "```", ""]
        parts += ["Meldung:", "", "```text", *(str(p) for p in found), "```", ""]
    return "\n".join(parts).rstrip("\n") + "\n"


if __name__ == "__main__":
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_text(page(), encoding="utf-8")
    print(f"{PAGE.relative_to(ROOT)} geschrieben")
