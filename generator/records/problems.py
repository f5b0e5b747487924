"""Content problems: each has a stable code, the file, the line and a message for editors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Stable codes. Editors and tools may rely on them; never rename one.
CODES = {
    "yaml-syntax": "Die Datei ist kein gültiges YAML.",
    "empty-file": "Die Datei enthält keinen Datensatz.",
    "not-utf8": "Die Datei ist nicht in UTF-8 gespeichert.",
    "too-complex": "Die Datei ist zu groß oder expandiert zu viele YAML-Knoten (Aliase).",
    "yaml-feature": "Die Datei nutzt eine YAML-Funktion, die nicht gelesen wird (Zusammenführen mit „<<“, Typen wie "
    "„!!binary“).",
    "invalid-character": "Ein Text enthält ein unzulässiges Zeichen (Steuerzeichen, Nichtzeichen, "
    "Schreibrichtungs-Steuerzeichen).",
    "hidden-file": "Eine Datei oder ein Ordner beginnt mit einem Punkt und wird nicht gelesen (Warnung).",
    "duplicate-key": "Ein Schlüssel steht zweimal in derselben Zuordnung.",
    "unknown-folder": "Die Datei liegt in einem Ordner, den der Generator nicht kennt.",
    "symlink": "Ein Verweis (Symlink) zeigt auf einen Ordner oder aus content/ hinaus; er wird nicht gelesen.",
    "invalid-id": "Der Dateiname ist keine gültige Kennung (Zeichen, Länge oder ein reserviertes Wort).",
    "attachment-type": "Eine Anlage in files/ hat einen nicht erlaubten Typ, oder ihr Inhalt passt nicht zur Endung.",
    "unused-file": "Eine Anlage in files/ wird von keinem Datensatz genannt und nicht veröffentlicht (Warnung).",
    "duplicate-id": "Zwei Dateien haben dieselbe Kennung.",
    "unknown-field": "Das Feld gibt es an dieser Stelle nicht.",
    "missing-field": "Ein Pflichtfeld fehlt.",
    "wrong-type": "Der Wert hat den falschen Typ.",
    "invalid-value": "Der Wert ist nicht erlaubt.",
    "invalid-date": "Das Datum ist ungültig oder unmöglich.",
    "unknown-reference": "Die Kennung verweist auf keinen vorhandenen Datensatz.",
    "duplicate-reference": "Zwei Vorlagen haben dasselbe Aktenzeichen.",
    "possible-copy": "Zwei Datensätze einer Art sehen wie Kopien voneinander aus (Warnung).",
    "duplicate-party": "Eine Organisation steht zweimal unter den Beteiligten einer Vereinbarung.",
    "date-order": "Eine Unterschrift ist älter als das früheste Ereignis der Vereinbarung.",
    "event-order": "Ein datiertes Ereignis steht in der Datei nach einem späteren; die Seite zeigt die Reihenfolge der "
    "Datei (Warnung).",
    "signed-with-reason": "Eine Unterschrift mit Status signed hat eine Begründung (für eine Ablehnung).",
    "actual-outside-period": "Ein Messwert liegt außerhalb des Zeitraums der Vereinbarung.",
    "placeholder": "Ein Platzhalter aus „new“ („<Titel …>“) ist noch nicht ersetzt (Warnung; --production: Fehler).",
    "missing-setting": "Eine Einstellung für die Pflichtseiten (Impressum …) fehlt.",
    "former-id-taken": "Eine frühere Kennung ist noch oder schon einmal vergeben.",
    "quote-not-found": "Ein Zitat (quote) steht nicht im Text der Quelle auf der genannten Seite.",
    "url-removed": "Eine veröffentlichte Adresse würde ohne Weiterleitung verschwinden.",
    "mirror-skipped": "Eine geladene Datei wird nicht gespiegelt (andere Prüfsumme als im Datensatz, aktive Inhalte).",
}


# Codes that are warnings: the build goes on and says so. Those in PRODUCTION_ERRORS stop a --production build.
WARNINGS = frozenset(
    {"placeholder", "hidden-file", "unused-file", "possible-copy", "event-order", "missing-setting", "mirror-skipped"}
)
PRODUCTION_ERRORS = frozenset({"placeholder", "missing-setting"})


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the content, located at ``path:line:column``."""

    path: str  # relative to the content folder, or (``in_content=False``) as given, e.g. the settings file
    line: int
    code: str
    message: str
    in_content: bool = True
    column: int = 1  # 1-based; where the field's key (or the faulty character) starts

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"

    def where(self, content: Path) -> str:
        """The file as an editor finds it: below ``content`` for a record file, else as given."""
        return (content / self.path).as_posix() if self.in_content else self.path

    def located(self, content: Path) -> str:
        """``content/papers/p.yml:4:1: invalid-date Feld „date“: …`` – the line an editor reads."""
        return f"{self.where(content)}:{self.line}:{self.column}: {self.code} {self.message}"


class ContentError(Exception):
    """Raised once with every problem found, so the build stops with a full list."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} Problem(e) im Inhalt")
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.code, p.message))


def display_path(path: Path, base: Path) -> str:
    """A path as the editor knows it: relative to the content folder's parent when possible."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
