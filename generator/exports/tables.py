"""Open data: bulk tables as CSV and JSON with documented columns.

A table is a list of :class:`Column` (name, German description, how to get the value) and a function that yields
its rows from the linked site. CSV and JSON of a table hold the same rows; an unknown value is empty in CSV and
``null`` in JSON, never a guess.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.exports.record_json import indented_json
from generator.records.models import Agreement, Document, Goal, Indicator, Measurement, Party, Source
from generator.records.texts import DocumentText
from generator.site.addresses import (
    attachment_path,
    document_page,
    page_url,
    record_url,
)
from generator.site.link import Ref, Site

Value = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    description: str  # German, shown on the Daten page
    get: Callable[[Any], Value]


@dataclass(frozen=True, slots=True)
class DocumentRow:
    text: DocumentText
    owner: Ref
    document: Document


@dataclass(frozen=True, slots=True)
class Table:
    stem: str  # file name without extension: /daten/<stem>.csv and .json
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Site], Iterator[Any]]


def table_csv(table: Table, rows: list[dict[str, Value]]) -> str:
    """RFC 4180 CSV (comma, double quotes, CRLF), UTF-8, a header line of column names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([_csv_value(row[c.name]) for c in table.columns])
    return out.getvalue()


def table_json(rows: list[dict[str, Value]]) -> str:
    return indented_json(rows)


def table_rows(site: Site, table: Table) -> list[dict[str, Value]]:
    return [{c.name: c.get(item) for c in table.columns} for item in table.rows(site)]


# A cell a spreadsheet would read as a formula (OWASP "CSV injection"): it starts with one of these characters.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _csv_value(value: Value) -> str:
    """A cell's text: empty for unknown, ``true``/``false``, and a text that could start a formula with a leading
    ``'`` (a plain number such as ``-5`` stays as it is). The JSON files keep every value verbatim."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def number(value: float) -> int | float:
    """``12.0`` → ``12``: whole numbers without a decimal point."""
    return int(value) if value.is_integer() else value


def _date(value: Any) -> str | None:
    return None if value is None else str(value)


def _source_paper(source: Source | None) -> str | None:
    return source.paper if source else None


def _source_page(source: Source | None) -> int | None:
    return source.page if source else None


def _url(kind: str) -> Callable[[Any], Value]:
    return lambda r: record_url(kind, r.id)


def _records(kind: str) -> Callable[[Site], Iterator[Any]]:
    return lambda site: iter(site.records.of_kind(kind).values())


def _common(kind: str) -> tuple[Column, ...]:
    return (
        Column("id", "Kennung des Eintrags (bleibt gleich, auch wenn sich der Titel ändert)", lambda r: r.id),
        Column("url", "Adresse der Seite auf dieser Website", _url(kind)),
    )


WITHDRAWN = (
    Column("withdrawn", "zurückgezogen: true oder false", lambda r: r.withdrawn is not None),
    Column("withdrawn_date", "Datum des Rückzugs", lambda r: _date(r.withdrawn.date) if r.withdrawn else None),
)

DATE_NOTE = "JJJJ, JJJJ-MM oder JJJJ-MM-TT; leer, wenn nicht bekannt"


@dataclass(frozen=True, slots=True)
class PartyRow:
    agreement: Agreement
    party: Party


@dataclass(frozen=True, slots=True)
class GoalRow:
    agreement: Agreement
    number: int  # 1-based position in the agreement
    goal: Goal


@dataclass(frozen=True, slots=True)
class MeasurementRow:
    goal: GoalRow
    indicator: Indicator
    measure: str  # baseline, target, actual
    value: Measurement


def _parties(site: Site) -> Iterator[PartyRow]:
    for agreement in site.records.agreements.values():
        for party in agreement.parties:
            yield PartyRow(agreement, party)


def _goals(site: Site) -> Iterator[GoalRow]:
    for agreement in site.records.agreements.values():
        for number, goal in enumerate(agreement.goals, start=1):
            yield GoalRow(agreement, number, goal)


def _measurements(site: Site) -> Iterator[MeasurementRow]:
    for row in _goals(site):
        for indicator in row.goal.indicators:
            for measure, value in (("baseline", indicator.baseline), ("target", indicator.target)):
                if value is not None:
                    yield MeasurementRow(row, indicator, measure, value)
            for actual in indicator.actuals:
                yield MeasurementRow(row, indicator, "actual", actual)


TABLES: tuple[Table, ...] = (
    Table(
        "vereinbarungen",
        "Vereinbarungen",
        "eine Zeile je Vereinbarung",
        (
            *_common("agreements"),
            Column("title", "Titel", lambda r: r.title),
            Column("kind", "Art der Vereinbarung", lambda r: r.kind),
            Column("period_start", f"Beginn der Laufzeit ({DATE_NOTE})", lambda r: _date(r.period and r.period.start)),
            Column("period_end", f"Ende der Laufzeit ({DATE_NOTE})", lambda r: _date(r.period and r.period.end)),
            Column("legal_basis", "Rechtsgrundlage", lambda r: r.legal_basis),
            Column("summary", "Zusammenfassung", lambda r: r.summary),
            Column(
                "outcome",
                "Ergebnis aus den Unterschriften: signed_by_all (von allen unterzeichnet), not_signed_by_all "
                "(mindestens eine Stelle hat nicht unterzeichnet), open (offen)",
                lambda r: r.outcome.value,
            ),
            Column("parties", "Zahl der beteiligten Stellen", lambda r: len(r.parties)),
            Column("goals", "Zahl der Ziele", lambda r: len(r.goals)),
            *WITHDRAWN,
        ),
        _records("agreements"),
    ),
    Table(
        "unterschriften",
        "Unterschriften",
        "eine Zeile je beteiligter Stelle und Vereinbarung",
        (
            Column("agreement", "Kennung der Vereinbarung", lambda r: r.agreement.id),
            Column("organization", "Kennung der Stelle", lambda r: r.party.organization),
            Column("role", "Rolle der Stelle in der Vereinbarung", lambda r: r.party.role),
            Column(
                "status",
                "signed (unterzeichnet), returned_unsigned (ohne Unterschrift zurückgesandt), not_signed (nicht "
                "unterschrieben; die Quelle sagt nicht mehr), refused (Unterzeichnung ausdrücklich abgelehnt), pending "
                "(ausstehend), unknown (nicht bekannt)",
                lambda r: r.party.signature.status.value,
            ),
            Column("date", f"Datum ({DATE_NOTE})", lambda r: _date(r.party.signature.date)),
            Column(
                "before",
                "ohne genaues Datum: vor diesem Datum oder Ereignis (Kennung)",
                lambda r: _date(r.party.signature.before),
            ),
            Column(
                "after", "ohne genaues Datum: nach diesem Datum oder Ereignis", lambda r: _date(r.party.signature.after)
            ),
            Column("reason", "Begründung, wo eine genannt ist", lambda r: r.party.signature.reason),
            Column(
                "reported_by",
                "Kennung der Stelle, laut der das gilt, wo die Quelle es nur weitergibt",
                lambda r: r.party.signature.reported_by,
            ),
            Column(
                "source_paper", "Kennung der Vorlage, die das belegt", lambda r: _source_paper(r.party.signature.source)
            ),
            Column("source_page", "Seite in dieser Vorlage", lambda r: _source_page(r.party.signature.source)),
        ),
        _parties,
    ),
    Table(
        "ziele",
        "Ziele",
        "eine Zeile je Ziel einer Vereinbarung",
        (
            Column("agreement", "Kennung der Vereinbarung", lambda r: r.agreement.id),
            Column("goal", "Nummer des Ziels in der Vereinbarung (1, 2, …)", lambda r: r.number),
            Column("goal_id", "Kennung des Ziels, wo vergeben", lambda r: r.goal.id),
            Column("title", "Ziel", lambda r: r.goal.title),
            Column("description", "Beschreibung", lambda r: r.goal.description),
            Column(
                "target_groups",
                "Kennungen der Zielgruppen, durch „; “ getrennt",
                lambda r: "; ".join(r.goal.target_groups),
            ),
            Column("indicators", "Zahl der Kennzahlen", lambda r: len(r.goal.indicators)),
            Column("source_paper", "Kennung der Vorlage, die das belegt", lambda r: _source_paper(r.goal.source)),
            Column("source_page", "Seite in dieser Vorlage", lambda r: _source_page(r.goal.source)),
        ),
        _goals,
    ),
    Table(
        "kennzahlen",
        "Kennzahlen",
        "eine Zeile je Wert einer Kennzahl: Ausgangswert, Zielwert und jeder gemessene Wert",
        (
            Column("agreement", "Kennung der Vereinbarung", lambda r: r.goal.agreement.id),
            Column("goal", "Nummer des Ziels in der Vereinbarung", lambda r: r.goal.number),
            Column("indicator", "Name der Kennzahl", lambda r: r.indicator.name),
            Column("unit", "Einheit", lambda r: r.indicator.unit),
            Column("measure", "baseline (Ausgangswert), target (Zielwert) oder actual (gemessen)", lambda r: r.measure),
            Column("value", "Wert (Dezimalpunkt)", lambda r: number(r.value.value)),
            Column("date", f"Stand ({DATE_NOTE})", lambda r: _date(r.value.date)),
            Column("source_paper", "Kennung der Vorlage, die das belegt", lambda r: _source_paper(r.value.source)),
            Column("source_page", "Seite in dieser Vorlage", lambda r: _source_page(r.value.source)),
        ),
        _measurements,
    ),
    Table(
        "vorlagen",
        "Vorlagen",
        "eine Zeile je Vorlage (Sitzungsvorlage, Drucksache)",
        (
            *_common("papers"),
            Column("reference", "Nummer der Vorlage, z. B. 50/2669/XV/2013", lambda r: r.reference),
            Column("title", "Titel", lambda r: r.title),
            Column("paper_type", "Art der Vorlage", lambda r: r.paper_type),
            Column("date", f"Datum ({DATE_NOTE})", lambda r: _date(r.date)),
            Column("organization", "Kennung der Stelle, von der die Vorlage stammt", lambda r: r.organization),
            Column("summary", "Zusammenfassung", lambda r: r.summary),
            Column("consultations", "Zahl der Beratungen", lambda r: len(r.consultations)),
            Column(
                "related_agreements",
                "Kennungen der Vereinbarungen, durch „; “ getrennt",
                lambda r: "; ".join(r.related_agreements),
            ),
            *WITHDRAWN,
        ),
        _records("papers"),
    ),
    Table(
        "sitzungen",
        "Sitzungen",
        "eine Zeile je Sitzung",
        (
            *_common("sessions"),
            Column("name", "Name der Sitzung", lambda r: r.name),
            Column("organization", "Kennung des Gremiums", lambda r: r.organization),
            Column("date", f"Datum ({DATE_NOTE})", lambda r: _date(r.date)),
            Column("start_time", "Beginn (HH:MM, Ortszeit)", lambda r: r.start_time),
            Column("location", "Ort", lambda r: r.location),
            Column(
                "state",
                "scheduled (geplant), held (stattgefunden), cancelled (abgesagt), unknown (nicht bekannt)",
                lambda r: r.state.value,
            ),
            Column("agenda_items", "Zahl der Tagesordnungspunkte", lambda r: len(r.agenda_items)),
            *WITHDRAWN,
        ),
        _records("sessions"),
    ),
    Table(
        "organisationen",
        "Organisationen",
        "eine Zeile je Stelle (Behörde, Gremium, Einrichtung)",
        (
            *_common("organizations"),
            Column("name", "Name", lambda r: r.name),
            Column("short_name", "Kurzname", lambda r: r.short_name),
            Column("kind", "Art der Stelle", lambda r: r.kind),
            Column("parent", "Kennung der übergeordneten Stelle", lambda r: r.parent),
            Column("website", "Website", lambda r: r.website),
            *WITHDRAWN,
        ),
        _records("organizations"),
    ),
    Table(
        "zielgruppen",
        "Zielgruppen",
        "eine Zeile je Zielgruppe",
        (
            *_common("target_groups"),
            Column("name", "Name", lambda r: r.name),
            Column("description", "Beschreibung", lambda r: r.description),
            *WITHDRAWN,
        ),
        _records("target_groups"),
    ),
    Table(
        "dokumente",
        "Dokumente",
        "eine Zeile je Dokument, dessen Text auf dieser Website steht, mit dem Text Seite für Seite",
        (
            Column(
                "file",
                "Name des Dokuments (Dateiname der Anlage oder ratsinfo-<Kennung>-<Prüfsumme>.pdf)",
                lambda r: r.text.name,
            ),
            Column("title", "Titel des Dokuments", lambda r: r.document.title),
            Column("record", "Adresse der Seite des Datensatzes, zu dem es gehört", lambda r: page_url(r.owner.page)),
            Column(
                "url",
                "Adresse der Seite des Dokuments auf dieser Website",
                lambda r: page_url(document_page(r.text.name)),
            ),
            Column(
                "download",
                "Adresse der Datei: auf dieser Website, oder beim Ratsinformationssystem",
                lambda r: r.document.url or "/" + attachment_path(r.text.name),
            ),
            Column("sha256", "SHA-256-Prüfsumme der geladenen Datei, wo bekannt", lambda r: r.document.sha256),
            Column("pages", "Zahl der Seiten", lambda r: len(r.text.pages)),
            Column("corrected", "von Hand korrigiert: true oder false", lambda r: r.text.corrected),
            Column(
                "text",
                "der Text; jede Seite beginnt mit einer Zeile „[Seite N]“; leer: kein Text erkannt",
                lambda r: (
                    "\n".join(f"[Seite {n}]\n{page}" for n, page in enumerate(r.text.pages, start=1))
                    if not r.text.empty
                    else None
                ),
            ),
        ),
        lambda site: (
            DocumentRow(site.records.texts[name], owner, document) for name, (owner, document) in site.documents.items()
        ),
    ),
)
