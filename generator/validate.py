"""Stage 2, validate: turn raw data into typed records and collect *every* problem before stopping.

Checks per file (shape, types, dates, values) come from the pydantic models; checks across files (ids that
must exist, unique paper references, unique ids) are done here over the whole record set.
"""

from __future__ import annotations

import difflib
import logging
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .dates import PartialDate, format_date
from .load import Attachment, Loaded, RawRecord
from .models import MODELS, Agreement, Organization, Paper, Record, Session, SignatureStatus, TargetGroup, references
from .problems import ContentError, Problem

log = logging.getLogger(__name__)

KIND_NAMES_DE = {
    "organizations": "Organisation",
    "agreements": "Vereinbarung",
    "papers": "Vorlage",
    "sessions": "Sitzung",
    "target_groups": "Zielgruppe",
    "files": "Datei",
}


@dataclass(slots=True)
class Records:
    """The validated record set, each kind sorted by id."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    papers: dict[str, Paper] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    target_groups: dict[str, TargetGroup] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> file, relative to content/
    files: dict[str, Attachment] = field(default_factory=dict)  # attachments in content/files/, by name
    demo: bool = False  # generated demo data, never real content
    warnings: list[Problem] = field(default_factory=list)  # not wrong, but not ready to publish (placeholders)

    def of_kind(self, kind: str) -> dict[str, Any]:
        mapping: dict[str, Any] = getattr(self, kind)
        return mapping

    def __len__(self) -> int:
        return sum(len(self.of_kind(kind)) for kind in MODELS)


# The model, problems and placeholder warnings each loaded record gave, by path; reused while the loader hands in
# the very same RawRecord.
ModelCache = dict[str, tuple[RawRecord, Record | None, list[Problem], list[Problem]]]


def validate(loaded: Loaded, *, cache: ModelCache | None = None) -> Records:
    """Validate every record; raise :class:`ContentError` listing all problems, or return the records."""
    problems = list(loaded.problems)
    records = Records(files=dict(loaded.files), demo=loaded.demo)
    raw_by_key: dict[tuple[str, str], RawRecord] = {}
    warnings: list[Problem] = []
    for raw in loaded.records:
        key = (raw.kind, raw.id)
        if key in raw_by_key:
            problems.append(
                Problem(raw.path, 1, "duplicate-id", f"Die Kennung „{raw.id}“ hat schon {raw_by_key[key].path}")
            )
            continue
        raw_by_key[key] = raw
        if cache is not None and raw.path in cache and cache[raw.path][0] is raw:
            _, record, own, placeholders = cache[raw.path]
        else:
            own = []
            record = _validate_record(raw, own)
            placeholders = _placeholders(raw)
            if cache is not None:
                cache[raw.path] = (raw, record, own, placeholders)
        problems += own
        warnings += placeholders
        if record is not None:
            records.of_kind(raw.kind)[raw.id] = record
            records.paths[key] = raw.path
    problems += _check_references(records, raw_by_key.keys() | loaded.unreadable, raw_by_key)
    problems += _check_unique_paper_references(records, raw_by_key)
    problems += _check_former_ids(records, raw_by_key)
    for agreement_id, agreement in records.agreements.items():
        problems += _check_agreement(agreement, raw_by_key[("agreements", agreement_id)])
    if problems:
        raise ContentError(problems)
    referenced = {
        target
        for kind in MODELS
        for r in records.of_kind(kind).values()
        for _, k, target in references(r)
        if k == "files"
    }
    warnings += _unused_files(records, referenced)
    records.files = {name: a for name, a in records.files.items() if name in referenced}  # only these are published
    warnings += _possible_copies(records)
    records.warnings = sorted([*loaded.warnings, *warnings])
    for kind in MODELS:
        setattr(records, kind, dict(sorted(records.of_kind(kind).items())))
    log.info("validated %d records", len(records))
    return records


PLACEHOLDER = re.compile(r"^\s*<[^<>]+>\s*$")  # "<Titel der Vorlage>", as `new` writes it


def _placeholders(raw: RawRecord) -> list[Problem]:
    """A ``placeholder`` warning for each text still reading like ``<Titel der Vorlage>``."""
    found = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), raw.data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, dict):
            stack += [((*loc, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [((*loc, index), item) for index, item in enumerate(value)]
        elif isinstance(value, str) and PLACEHOLDER.match(value):
            message = f"Feld „{loc[-1]}“: der Platzhalter „{value.strip()}“ ist noch nicht ersetzt"
            found.append(Problem(raw.path, raw.line(loc), "placeholder", message, column=raw.column(loc)))
    return sorted(found)


def _validate_record(raw: RawRecord, problems: list[Problem]) -> Record | None:
    model = MODELS[raw.kind]
    if "id" in raw.data:
        problems.append(
            Problem(
                raw.path,
                raw.line(("id",)),
                "unknown-field",
                "Das Feld „id“ gibt es nicht: die Kennung ist der Dateiname (ohne .yml)",
                column=raw.column(("id",)),
            )
        )
        return None
    try:
        return model.model_validate({**raw.data, "id": raw.id})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            problems.append(_problem_from_error(raw, model, error))
        return None


_TYPE_WORDS = {
    "string_type": "Text",
    "int_type": "eine ganze Zahl",
    "int_parsing": "eine ganze Zahl",
    "int_from_float": "eine ganze Zahl",
    "bool_type": "true oder false",
    "bool_parsing": "true oder false",
    "list_type": "eine Liste (Zeilen mit „- “)",
    "dict_type": "eine Zuordnung („feld: wert“)",
    "model_type": "eine Zuordnung („feld: wert“)",
    "model_attributes_type": "eine Zuordnung („feld: wert“)",
}


def _problem_from_error(raw: RawRecord, model: type[BaseModel], error: Any) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    name = str(loc[-1]) if loc else ""
    line, column = raw.line(loc), raw.column(loc)

    def at(code: str, message: str) -> Problem:
        return Problem(raw.path, line, code, message, column=column)

    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = _did_you_mean(name, allowed)
        return at("unknown-field", f"Das Feld „{name}“ gibt es hier nicht{hint}")
    if kind == "missing" or (error.get("input", "") is None and kind in _TYPE_WORDS):
        return at("missing-field", f"Das Pflichtfeld „{name}“ fehlt oder ist leer")
    if kind == "invalid_date":
        return at("invalid-date", f"Feld „{name}“: {error['msg']}")
    if kind == "enum":
        expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " oder ")
        return at("invalid-value", f"Feld „{name}“: „{error['input']}“ ist nicht erlaubt; erlaubt sind {expected}")
    if kind in _TYPE_WORDS:
        return at("wrong-type", f"Feld „{name}“: hier wird {_TYPE_WORDS[kind]} erwartet")
    if kind == "string_too_short":
        return at("missing-field", f"Das Pflichtfeld „{name}“ ist leer")
    if kind == "finite_number":
        return at("invalid-value", f"Feld „{name}“: nur endliche Zahlen, kein .nan oder .inf (und höchstens 1e308)")
    if kind == "string_too_long":
        return at("invalid-value", f"Feld „{name}“: höchstens {error['ctx']['max_length']} Zeichen")
    if kind == "string_pattern_mismatch":
        return at("invalid-value", f"Feld „{name}“: {_PATTERN_HINTS.get(name, error['msg'])}")
    message = str(error["msg"]).removeprefix("Value error, ")
    where = f"Feld „{name}“: " if name else ""
    return at("invalid-value", f"{where}{message}")


_PATTERN_HINTS = {
    "start_time": "Uhrzeit als SS:MM angeben, z. B. 17:00",
    "website": "eine Webadresse beginnt mit https:// oder http://",
    "url": "eine Webadresse beginnt mit https:// oder http://",
}


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names allowed at ``loc`` inside ``model`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _inner_model(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f for f in current.model_fields if f != "id"]
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (list, Union, types.UnionType):
        for arg in get_args(annotation):
            inner = _inner_model(arg)
            if inner is not None:
                return inner
    return None


def _did_you_mean(value: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f" – meinten Sie „{match[0]}“?" if match else ""


def _check_references(
    records: Records, present: set[tuple[str, str]], raws: dict[tuple[str, str], RawRecord]
) -> list[Problem]:
    """Every id a record names must exist. A record whose own file has problems counts as existing: its file is
    reported already, and "no such record" would send the editor looking in the wrong place."""
    problems = []
    for kind in MODELS:
        for record_id, record in records.of_kind(kind).items():
            raw = raws[(kind, record_id)]
            for loc, target_kind, target_id in references(record):
                targets = records.of_kind(target_kind)
                if target_id in targets or (target_kind, target_id) in present:
                    continue
                hint = _by_name(target_id, targets) or _did_you_mean(target_id, targets)
                noun = KIND_NAMES_DE[target_kind]
                problems.append(
                    Problem(
                        raw.path,
                        raw.line(loc),
                        "unknown-reference",
                        f"Keine {noun} mit der Kennung „{target_id}“ in {target_kind}/{hint}",
                        column=raw.column(loc),
                    )
                )
    return problems


def _by_name(value: str, targets: dict[str, Any]) -> str:
    """Suggest an id when an editor typed a record's name or short name, or the start of its id."""
    wanted = value.casefold()
    starting = [target_id for target_id in targets if target_id.startswith(f"{wanted}-")]
    if len(starting) == 1:
        return f" – meinten Sie „{starting[0]}“?"
    for target_id, target in targets.items():
        names = {getattr(target, attr, None) for attr in ("short_name", "name", "reference", "title")}
        if any(isinstance(n, str) and n.casefold() == wanted for n in names):
            return f" – meinten Sie „{target_id}“?"
    return ""


def _check_unique_paper_references(records: Records, raw_by_key: dict[tuple[str, str], RawRecord]) -> list[Problem]:
    problems = []
    first: dict[str, str] = {}
    for paper_id, paper in sorted(records.papers.items()):
        raw = raw_by_key[("papers", paper_id)]
        normalized = " ".join(paper.reference.split()).casefold()
        if normalized in first:
            problems.append(
                Problem(
                    raw.path,
                    raw.line(("reference",)),
                    "duplicate-reference",
                    f"Das Aktenzeichen „{paper.reference}“ hat schon {first[normalized]}",
                    column=raw.column(("reference",)),
                )
            )
        else:
            first[normalized] = raw.path
    return problems


def _check_agreement(agreement: Agreement, raw: RawRecord) -> list[Problem]:
    """Consistency rules inside one agreement: parties, signature dates and reasons, measured values."""
    problems = []
    seen: set[str] = set()
    known = [e.date for e in agreement.events if e.date is not None]
    earliest = min(known, key=lambda d: d.earliest()) if known else None
    for index, party in enumerate(agreement.parties):
        here = ("parties", index)
        if party.organization in seen:
            problems.append(
                Problem(
                    raw.path,
                    raw.line((*here, "organization")),
                    "duplicate-party",
                    f"„{party.organization}“ steht schon unter den Beteiligten: jede Organisation nur einmal",
                    column=raw.column((*here, "organization")),
                )
            )
        seen.add(party.organization)
        signature = party.signature
        if earliest is not None and signature.date is not None and signature.date.latest() < earliest.earliest():
            problems.append(
                Problem(
                    raw.path,
                    raw.line((*here, "signature", "date")),
                    "date-order",
                    f"Unterschrift am {format_date(signature.date)}, aber das früheste Ereignis ist "
                    f"{format_date(earliest)}: Datum prüfen",
                    column=raw.column((*here, "signature", "date")),
                )
            )
        if signature.status is SignatureStatus.SIGNED and signature.reason is not None:
            problems.append(
                Problem(
                    raw.path,
                    raw.line((*here, "signature", "reason")),
                    "signed-with-reason",
                    "„reason“ begründet eine fehlende Unterschrift; bei status: signed entfernen oder "
                    "den Status prüfen (returned_unsigned, refused, pending)",
                    column=raw.column((*here, "signature", "reason")),
                )
            )
    for field_name in ("goals", "events"):
        ids: set[str] = set()
        for index, item in enumerate(getattr(agreement, field_name)):
            if item.id is not None and item.id in ids:
                problems.append(
                    Problem(
                        raw.path,
                        raw.line((field_name, index, "id")),
                        "duplicate-id",
                        f"Die Kennung „{item.id}“ steht in {field_name} schon einmal: sie macht den Link eindeutig",
                        column=raw.column((field_name, index, "id")),
                    )
                )
            if item.id is not None:
                ids.add(item.id)
    period = agreement.period
    if period is not None:
        for g, goal in enumerate(agreement.goals):
            for i, indicator in enumerate(goal.indicators):
                for a, actual in enumerate(indicator.actuals):
                    if actual.date is not None and _outside(actual.date, period.start, period.end):
                        problems.append(
                            Problem(
                                raw.path,
                                raw.line(("goals", g, "indicators", i, "actuals", a, "date")),
                                "actual-outside-period",
                                f"Messwert vom {format_date(actual.date)} liegt außerhalb des Zeitraums "
                                f"{period.german()}: Datum oder Zeitraum prüfen",
                                column=raw.column(("goals", g, "indicators", i, "actuals", a, "date")),
                            )
                        )
    return problems


def _outside(date: PartialDate, start: PartialDate | None, end: PartialDate | None) -> bool:
    return (start is not None and date.latest() < start.earliest()) or (
        end is not None and date.earliest() > end.latest()
    )


def _unused_files(records: Records, referenced: set[str]) -> list[Problem]:
    """An ``unused-file`` warning for each attachment that no record names: it is not published."""
    return [
        Problem(
            f"files/{name}",
            1,
            "unused-file",
            "Kein Datensatz nennt diese Anlage (file: …), sie wird nicht veröffentlicht: "
            f"in einer Vorlage oder Vereinbarung unter attachments/documents als „file: {name}“ eintragen "
            "oder die Datei löschen",
        )
        for name in sorted(set(records.files) - referenced)
    ]


def _copy_key(kind: str, record: Any) -> tuple[Any, ...] | None:
    """What two records of ``kind`` share when one looks like a copy of the other."""

    def norm(value: object) -> str:
        return " ".join(str(value).split()).casefold()

    if isinstance(record, Agreement):
        parties = tuple(sorted(p.organization for p in record.parties))
        return (norm(record.title), parties, str(record.period) if record.period else None)
    if isinstance(record, Paper):
        return (norm(record.title), norm(record.paper_type), str(record.date))
    if isinstance(record, Session):
        return (norm(record.name), record.organization, str(record.date), record.start_time)
    if isinstance(record, Organization | TargetGroup):
        return (norm(record.name),)
    return None


def _possible_copies(records: Records) -> list[Problem]:
    """A ``possible-copy`` warning naming both files when two records of a kind look the same (a file copied
    under a new name and not changed): same title and, for agreements, the same parties and period."""
    found = []
    for kind in MODELS:
        first: dict[tuple[Any, ...], str] = {}
        for record_id, record in records.of_kind(kind).items():
            key = _copy_key(kind, record)
            path = records.paths[(kind, record_id)]
            if key is None:
                continue
            if key in first:
                found.append(
                    Problem(
                        path,
                        1,
                        "possible-copy",
                        f"Dieser Eintrag sieht aus wie eine Kopie von {first[key]} (gleicher Titel"
                        + (", gleiche Beteiligte und gleicher Zeitraum" if kind == "agreements" else "")
                        + "): den Titel unterscheidbar machen oder eine der Dateien löschen",
                    )
                )
            else:
                first[key] = path
    return found


def _check_former_ids(records: Records, raw_by_key: dict[tuple[str, str], RawRecord]) -> list[Problem]:
    """An old address may redirect to one record only, and never to a record that still has that id."""
    problems = []
    for kind in MODELS:
        claimed: dict[str, str] = {}
        for record_id, record in records.of_kind(kind).items():
            raw = raw_by_key[(kind, record_id)]
            for index, former in enumerate(record.former_ids):
                line = raw.line(("former_ids", index))
                if former in records.of_kind(kind) or (kind, former) in raw_by_key:
                    problems.append(
                        Problem(
                            raw.path,
                            line,
                            "former-id-taken",
                            f"„{former}“ ist die Kennung eines vorhandenen Datensatzes: eine Adresse kann nicht "
                            "zugleich Seite und Weiterleitung sein",
                            column=raw.column(("former_ids", index)),
                        )
                    )
                elif former in claimed:
                    problems.append(
                        Problem(
                            raw.path,
                            line,
                            "former-id-taken",
                            f"„{former}“ steht schon als frühere Kennung in {claimed[former]}",
                            column=raw.column(("former_ids", index)),
                        )
                    )
                else:
                    claimed[former] = raw.path
    return problems
