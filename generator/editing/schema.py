"""JSON Schemas of the record files, generated from the models, with a German description of every field.

Editors' tools (VS Code with the YAML extension, and any editor speaking the yaml-language-server protocol) read
them through the first line of a record file, ``# yaml-language-server: $schema=../../schemas/<kind>.schema.json``,
and complete and check the fields while typing. The files are checked in; ``python -m generator schema`` writes
them, and a test fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.records.dates import ACCEPTED_FORMATS
from generator.records.kinds import MODELS, SINGULAR

FOLDER = Path("schemas")

DATE = f"Datum: {ACCEPTED_FORMATS}; weglassen, wenn die Quelle es nicht nennt"
SOURCE = "Beleg: die Vorlage (und Seite), aus der diese Angabe stammt"
RECORD = {
    "former_ids": "frühere Kennungen (Dateinamen) dieses Eintrags: ihre Adressen leiten hierher weiter",
    "withdrawn": "zurückgezogen: die Seite bleibt und sagt, seit wann und warum",
    "oparl": "Herkunft aus dem Ratsinformationssystem (schreibt der Import; nicht von Hand ändern)",
}
TIME = "HH:MM (Ortszeit), z. B. 17:00"
BOUND = (
    "ohne genaues Datum: geschah {word} diesem Datum (JJJJ, JJJJ-MM, JJJJ-MM-TT) oder {word} dem Ereignis mit "
    "dieser id; die Seite zeigt z. B. „{word} dem 5. Juli 2013“"
)
REPORTED_BY = "Kennung der Stelle, von der die Angabe stammt, wenn die Quelle sie nur weitergibt (Seite: „laut MAIS“)"
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Organization": {
        **RECORD,
        "name": "voller Name, z. B. „Ministerium für Arbeit, Integration und Soziales NRW“",
        "short_name": "Kurzname, z. B. „MAIS“",
        "kind": "Art der Stelle, z. B. Ministerium, Kreis, Jobcenter, Ausschuss",
        "parent": "Kennung der übergeordneten Organisation (Datei in content/organizations/)",
        "website": "Website (https://…)",
        "start": "gegründet oder gebildet am; " + DATE,
        "end": "aufgelöst am; " + DATE,
    },
    "Agreement": {
        **RECORD,
        "title": "Titel der Vereinbarung",
        "kind": "Art, z. B. Zielvereinbarung",
        "period": "Laufzeit",
        "legal_basis": "Rechtsgrundlage, z. B. „§ 48b SGB II“",
        "summary": "Zusammenfassung in einfachen Worten (Absätze durch Leerzeilen)",
        "parties": "beteiligte Stellen, jede mit Rolle und Unterschrift",
        "target_groups": "Zielgruppen, wie die Vereinbarung sie nennt",
        "goals": "vereinbarte Ziele",
        "events": "Ereignisse im Ablauf (Versand, Rücksendung, Beschluss …), in der Reihenfolge der Quelle",
        "background": "Hintergrund: was die Quelle über den Rahmen sagt (wer mit wem Ziele vereinbart, seit wann)",
        "notes": "weiteres Vorgehen und weitere Angaben, jede mit Beleg",
        "documents": "Anlagen und Dokumente",
        "related_papers": "Kennungen zugehöriger Vorlagen (content/papers/)",
        "source": SOURCE,
    },
    "Paper": {
        **RECORD,
        "reference": "Nummer der Vorlage, z. B. „50/2669/XV/2013“",
        "title": "Titel (Betreff) der Vorlage",
        "paper_type": "Art, z. B. Sitzungsvorlage, Beschlussvorlage, Mitteilungsvorlage",
        "date": DATE,
        "organization": "Kennung der Stelle, von der die Vorlage stammt (content/organizations/)",
        "under_direction_of": "Kennungen der federführenden Stellen (content/organizations/)",
        "summary": "Zusammenfassung in einfachen Worten",
        "main_file": "das Dokument der Vorlage selbst",
        "attachments": "Anlagen",
        "superordinated": "Kennungen der Vorlagen, zu denen diese gehört (content/papers/)",
        "subordinated": "Kennungen der Vorlagen, die zu dieser gehören, z. B. Anträge dazu (content/papers/)",
        "consultations": "Beratungen: in welcher Sitzung, in welchem Gremium",
        "related_agreements": "Kennungen der Vereinbarungen, um die es geht (content/agreements/)",
    },
    "Session": {
        **RECORD,
        "name": "Name der Sitzung, z. B. „5. Sitzung des Kreistags“",
        "organization": "Kennung des Gremiums (content/organizations/)",
        "date": DATE,
        "start_time": "Beginn, " + TIME,
        "end_time": "Ende, " + TIME,
        "location": "Ort",
        "state": "Stand der Sitzung",
        "agenda_items": "Tagesordnungspunkte",
        "documents": "Dokumente der Sitzung: Einladung, Ergebnis- und Wortprotokoll",
    },
    "Person": {
        **RECORD,
        "name": "Name, wie das Ratsinformationssystem ihn nennt",
        "form_of_address": "Anrede, z. B. Frau, Herr",
        "academic_title": "akademischer Titel, z. B. Dr.",
        "given_name": "Vorname",
        "family_name": "Familienname",
        "memberships": "Mitgliedschaften in Gremien und Fraktionen (keine Kontaktdaten, Anschriften oder Lebensdaten)",
    },
    "LegislativeTerm": {
        **RECORD,
        "name": "Name der Wahlperiode, z. B. „Wahlperiode 2020–2025“",
        "start": "Beginn; " + DATE,
        "end": "Ende; " + DATE,
    },
    "Membership": {
        "id": "Kennung der Mitgliedschaft",
        "organization": "Kennung des Gremiums oder der Fraktion (content/organizations/)",
        "role": "Rolle, z. B. Mitglied, Vorsitz, Sachkundiger Bürger",
        "voting_right": "Stimmrecht: true oder false",
        "on_behalf_of": "Kennung der Fraktion, für die der Sitz besteht (content/organizations/)",
        "start": "Beginn; " + DATE,
        "end": "Ende; " + DATE,
    },
    "OParlOrigin": {
        "id": "OParl-Adresse des Objekts im Ratsinformationssystem (Schlüssel des Imports)",
        "web": "Seite des Eintrags im Ratsinformationssystem",
        "created": "angelegt im Ratsinformationssystem (Zeitstempel)",
        "modified": "zuletzt geändert im Ratsinformationssystem (Zeitstempel)",
        "retrieved": "Tag des Imports, der den Eintrag zuletzt gelesen hat",
        "digests": "Prüfsumme jedes importierten Felds: zeigt, welches seitdem von Hand geändert wurde",
    },
    "TargetGroup": {**RECORD, "name": "Name der Zielgruppe", "description": "Beschreibung"},
    "Withdrawal": {"date": "Datum des Rückzugs; " + DATE, "reason": "Grund, wo bekannt"},
    "Source": {
        "paper": "Kennung der Vorlage (content/papers/)",
        "page": "Seite in der Vorlage (ab 1)",
        "quote": "der Satz der Quelle, wörtlich: check prüft, dass er auf dieser Seite steht (content/texts/)",
    },
    "Statement": {"text": "die Angabe", "reported_by": REPORTED_BY, "source": SOURCE},
    "Document": {
        "title": "Titel des Dokuments",
        "date": DATE,
        "file": "Dateiname in content/files/, z. B. vereinbarung-2013.pdf",
        "url": "Adresse im Internet (https://…)",
        "online": "false, wenn das Dokument nicht online verfügbar ist",
        "id": "Kennung des Dokuments für einen festen Link",
        "mime_type": "Dateityp, z. B. application/pdf",
        "size": "Größe in Bytes",
        "sha256": "SHA-256-Prüfsumme der geladenen Datei (schreibt `import files`; nicht von Hand ändern)",
        "source": SOURCE,
    },
    "Signature": {
        "status": "Stand der Unterschrift: signed (unterschrieben), returned_unsigned (ohne Unterschrift "
        "zurückgesandt), not_signed (nicht unterschrieben, ohne dass die Quelle eine Ablehnung nennt), refused "
        "(ausdrücklich abgelehnt), pending (steht aus), unknown (nicht bekannt)",
        "date": DATE,
        "before": BOUND.format(word="vor"),
        "after": BOUND.format(word="nach"),
        "reason": "Begründung, wenn nicht unterschrieben (wie die Quelle sie nennt)",
        "reported_by": REPORTED_BY,
        "source": SOURCE,
    },
    "Party": {
        "organization": "Kennung der beteiligten Stelle (content/organizations/)",
        "role": "Rolle in der Vereinbarung, z. B. Kommunaler Träger",
        "signature": "Unterschrift dieser Stelle",
    },
    "Period": {"start": "Beginn; " + DATE, "end": "Ende; " + DATE},
    "NamedTargetGroup": {
        "name": "Zielgruppe, wie die Vereinbarung sie nennt",
        "group": "Kennung der gemeinsamen Zielgruppe (content/target_groups/), damit sie gefunden wird",
        "source": SOURCE,
    },
    "Measurement": {"value": "Zahlenwert (Dezimalpunkt)", "date": "Stand; " + DATE, "source": SOURCE},
    "Indicator": {
        "name": "Name der Kennzahl",
        "unit": "Einheit, z. B. Prozent, Personen",
        "baseline": "Ausgangswert",
        "target": "Zielwert",
        "actuals": "gemessene Werte",
    },
    "Goal": {
        "id": "Kennung des Ziels für einen festen Link (#ziel-<id>)",
        "title": "das Ziel in einem Satz",
        "description": "Beschreibung",
        "target_groups": "Kennungen der Zielgruppen (content/target_groups/)",
        "indicators": "Kennzahlen",
        "source": SOURCE,
    },
    "Event": {
        "id": "Kennung des Ereignisses für einen festen Link (#ereignis-<id>)",
        "date": DATE,
        "before": BOUND.format(word="vor"),
        "after": BOUND.format(word="nach"),
        "text": "was geschah",
        "reported_by": REPORTED_BY,
        "source": SOURCE,
    },
    "Consultation": {
        "session": "Kennung der Sitzung (content/sessions/)",
        "agenda_item": "Nummer des Tagesordnungspunkts",
        "organization": "Kennung des Gremiums (content/organizations/)",
        "role": "Rolle der Beratung, z. B. Vorberatung, Entscheidung",
        "id": "Kennung der Beratung für einen festen Link",
        "other_organizations": "Kennungen weiterer Gremien derselben Beratung",
        "authoritative": "true, wenn diese Beratung entscheidet (beschließend)",
    },
    "AgendaItem": {
        "id": "Kennung des Tagesordnungspunkts für einen festen Link (#top-<id>)",
        "number": "Nummer des Tagesordnungspunkts, z. B. „3“ oder „5.1“; fehlt bei Abschnittsüberschriften",
        "title": "Titel",
        "paper": "Kennung der Vorlage dazu (content/papers/)",
        "public": "false für nicht öffentliche Punkte",
        "result": "Ergebnis, z. B. beschlossen",
        "resolution": "Beschlusstext",
        "documents": "Dokumente dieses Punkts, z. B. der Beschluss",
    },
}
TITLES = SINGULAR


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of a record file in ``content/<kind>/`` (its id is the file name, so not a field)."""
    model = MODELS[kind]
    schema = model.model_json_schema()
    _describe(model.__name__, schema)
    for name, definition in schema.get("$defs", {}).items():
        _describe(name, definition)
    schema["properties"].pop("id", None)
    schema["required"] = [field for field in schema.get("required", []) if field != "id"]
    schema["title"] = f"{TITLES[kind]} (content/{kind}/<kennung>.yml)"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


ENUMS = {
    "SignatureStatus": "signed = unterzeichnet, returned_unsigned = ohne Unterschrift zurückgesandt, not_signed = "
    "nicht unterschrieben (die Quelle sagt nicht mehr), refused = Unterzeichnung ausdrücklich abgelehnt, pending = "
    "Unterschrift steht aus, unknown = nicht bekannt",
    "SessionState": "scheduled = geplant, held = stattgefunden, cancelled = abgesagt, unknown = nicht bekannt",
}


def _describe(model: str, schema: dict[str, Any]) -> None:
    """German descriptions in place of the developers' docstrings and English titles."""
    texts = DESCRIPTIONS.get(model, {})
    for field, prop in schema.get("properties", {}).items():
        prop.pop("title", None)
        if field in texts:
            prop["description"] = texts[field]
    schema.pop("description", None)
    if model in ENUMS:
        schema["description"] = ENUMS[model]


def schema_text(kind: str) -> str:
    return json.dumps(schema_of(kind), ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path = FOLDER) -> list[Path]:
    """Write ``<kind>.schema.json`` for each kind; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in MODELS:
        path = folder / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written
