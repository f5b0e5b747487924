"""Stage 2, validate: turn raw data into typed records and collect *every* problem before stopping.

Checks per file (shape, types, dates, values) come from the pydantic models; checks across files (ids that
must exist, unique paper references, unique ids) are done here over the whole record set.
"""

from __future__ import annotations

import difflib
import logging
import re
import types
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from generator.records.dates import PartialDate, format_date
from generator.records.kinds import MODELS, SINGULAR
from generator.records.labels import label as label_of
from generator.records.load import Attachment, Loaded, RawRecord
from generator.records.models import (
    Agreement,
    Document,
    LegislativeTerm,
    NamedTargetGroup,
    Organization,
    Paper,
    Person,
    Record,
    Reference,
    RefTo,
    Session,
    SessionState,
    SignatureStatus,
    TargetGroup,
    parts,
    references,
    sources,
)
from generator.records.problems import ContentError, Problem
from generator.records.texts import TEXTS_FOLDER, DocumentText, find_quote
from generator.records.timeline import bound_problems, order_warnings

log = logging.getLogger(__name__)

KIND_NAMES_DE = {**SINGULAR, "files": "Datei"}


@dataclass(slots=True)
class Records:
    """The validated record set, each kind sorted by id."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    papers: dict[str, Paper] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    legislative_terms: dict[str, LegislativeTerm] = field(default_factory=dict)
    target_groups: dict[str, TargetGroup] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> file, relative to content/
    files: dict[str, Attachment] = field(default_factory=dict)  # attachments in content/files/, by name
    demo: bool = False  # generated demo data, never real content
    warnings: list[Problem] = field(default_factory=list)  # not wrong, but not ready to publish (placeholders)
    texts: dict[str, DocumentText] = field(default_factory=dict)  # the attachments' texts, by file name
    mirrored: dict[str, Attachment] = field(default_factory=dict)  # downloaded originals published (build --mirror)
    quotes: Counter[str] = field(default_factory=Counter)  # "proven" / "unchecked": quotes with and without a text

    def of_kind(self, kind: str) -> dict[str, Any]:
        mapping: dict[str, Any] = getattr(self, kind)
        return mapping

    def __len__(self) -> int:
        return sum(len(self.of_kind(kind)) for kind in MODELS)


# The model, problems, placeholder warnings and (for a record that failed) the references read from its raw data
# each loaded record gave, by path; reused while the loader hands in the very same RawRecord.
ModelCache = dict[str, tuple[RawRecord, Record | None, list[Problem], list[Problem], tuple[Reference, ...]]]


def validate(loaded: Loaded, *, cache: ModelCache | None = None) -> Records:
    """Validate every record; raise :class:`ContentError` listing all problems, or return the records."""
    problems = list(loaded.problems)
    records = Records(files=dict(loaded.files), demo=loaded.demo)
    raw_by_key: dict[tuple[str, str], RawRecord] = {}
    raw_refs: dict[tuple[str, str], tuple[Reference, ...]] = {}  # of records that failed: checked all the same
    warnings: list[Problem] = []
    group_names = {
        raw.id: raw.data["name"]
        for raw in loaded.records
        if raw.kind == "target_groups" and isinstance(raw.data.get("name"), str)
    }  # for the example in a hint on target groups
    for raw in loaded.records:
        key = (raw.kind, raw.id)
        if key in raw_by_key:
            problems.append(
                Problem(raw.path, 1, "duplicate-id", f"Die Kennung „{raw.id}“ hat schon {raw_by_key[key].path}")
            )
            continue
        raw_by_key[key] = raw
        if cache is not None and raw.path in cache and cache[raw.path][0] is raw:
            _, record, own, placeholders, refs = cache[raw.path]
        else:
            own = []
            record = _validate_record(raw, own, group_names)
            placeholders = _placeholders(raw)
            refs = () if record is not None else _raw_references(raw, own)
            if cache is not None:
                cache[raw.path] = (raw, record, own, placeholders, refs)
        problems += own
        warnings += placeholders
        if record is not None:
            records.of_kind(raw.kind)[raw.id] = record
            records.paths[key] = raw.path
        else:
            raw_refs[key] = refs
    problems += _check_references(records, raw_by_key.keys() | loaded.unreadable, raw_by_key, raw_refs)
    problems += _check_unique_paper_references(records, raw_by_key)
    problems += _check_former_ids(records, raw_by_key)
    name_problems, named = _check_document_names(records, raw_by_key)
    problems += name_problems
    for agreement_id, agreement in records.agreements.items():
        raw = raw_by_key[("agreements", agreement_id)]
        problems += _check_agreement(agreement, raw) + bound_problems(agreement, raw)
        warnings += order_warnings(agreement, raw)
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
    quote_problems, records.quotes = _check_quotes(records, loaded.texts, raw_by_key)
    if quote_problems:
        raise ContentError(quote_problems)
    warnings += _unused_texts(loaded.texts, named)
    records.texts = {name: text for name, text in loaded.texts.items() if name in named}
    records.warnings = sorted([*loaded.warnings, *warnings])
    for kind in MODELS:
        setattr(records, kind, dict(sorted(records.of_kind(kind).items())))
    log.info("validated %d records", len(records))
    return records


# "<Titel der Vorlage>", as `new` writes it: the brackets hug the words. A real title in angle brackets, as council
# systems write section headings ("< Sitzungsteil öffentlich >"), has spaces inside and is no placeholder.
PLACEHOLDER = re.compile(r"^\s*<[^<>\s][^<>]*(?<=[^<>\s])>\s*$")


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


def _validate_record(raw: RawRecord, problems: list[Problem], group_names: dict[str, str]) -> Record | None:
    """The record, or None with every problem of the file added to ``problems``."""
    model = MODELS[raw.kind]
    data = dict(raw.data)
    if "id" in data:
        problems.append(
            Problem(
                raw.path,
                raw.line(("id",)),
                "unknown-field",
                "Das Feld „id“ gibt es nicht: die Kennung ist der Dateiname (ohne .yml)",
                column=raw.column(("id",)),
            )
        )
        del data["id"]  # the rest of the file is checked all the same
    try:
        record = model.model_validate({**data, "id": raw.id})
    except ValidationError as exc:
        tagged: set[tuple[str | int, ...]] = set()
        for error in exc.errors(include_url=False):
            loc = _without_union_tags(model, tuple(error["loc"]))
            if loc != tuple(error["loc"]):  # one error per member of a union (a date or an id): the first says it
                if loc in tagged:
                    continue
                tagged.add(loc)
            problems.append(_problem_from_error(raw, model, {**error, "loc": loc}, group_names))
        return None
    return None if "id" in raw.data else record


def _without_union_tags(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``loc`` without the names pydantic adds for the members of a union (``function-plain[_validate()]``)."""
    kept: list[str | int] = []
    for part in loc:
        annotations = _annotations_along(model, (*kept, part))
        if isinstance(part, str) and annotations[-1] is None and (not kept or annotations[-2] is not None):
            parent = _plain(annotations[-2]) if kept else model
            if _inner_model(parent) is None:
                continue  # not a field: the parent is a plain value, so this names a member of its union
        kept.append(part)
    return tuple(kept)


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


def _problem_from_error(raw: RawRecord, model: type[BaseModel], error: Any, group_names: dict[str, str]) -> Problem:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    name = str(loc[-1]) if loc else ""
    line, column = raw.line(loc), raw.column(loc)
    where = field_words(model, loc) or "Der Datensatz"
    inside = f"{field_words(model, loc[:-1])}: " if len(loc) > 1 else ""  # where a field is missing or unknown

    def at(code: str, message: str) -> Problem:
        return Problem(raw.path, line, code, message, column=column)

    def lower(text: str) -> str:
        return text[0].lower() + text[1:] if inside else text

    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = _did_you_mean(name, allowed)
        return at("unknown-field", f"{inside}{lower('Das Feld')} „{name}“ gibt es hier nicht{hint}")
    if kind == "missing" or (error.get("input", "") is None and kind in _TYPE_WORDS):
        return at("missing-field", f"{inside}{lower('Das Pflichtfeld')} „{name}“ fehlt oder ist leer")
    if kind in _TYPE_WORDS:
        hint = _target_group_hint(model, loc, error.get("input"), group_names)
        if hint:
            return at("wrong-type", f"{where}: {hint}")
        return at("wrong-type", f"{where}: hier wird {_TYPE_WORDS[kind]} erwartet{_list_example(model, loc, error)}")
    if kind == "string_too_short":
        return at("missing-field", f"{inside}{lower('Das Pflichtfeld')} „{name}“ ist leer")
    if kind in _VALUE_MESSAGES:
        code, explain = _VALUE_MESSAGES[kind]
        return at(code, f"{where}: {explain(model, loc, error)}")
    message = str(error["msg"]).removeprefix("Value error, ")
    return at("invalid-value", f"{where}: {message}" if loc else message)


_PATTERN_HINTS = {
    "start_time": "Uhrzeit als SS:MM angeben, z. B. 17:00",
    "website": "eine Webadresse beginnt mit https:// oder http://",
    "url": "eine Webadresse beginnt mit https:// oder http://",
}

# A pydantic error type → (code, the message after "<field>: ") for a value of the right type that is not allowed.
_VALUE_MESSAGES: dict[str, tuple[str, Callable[[type[BaseModel], tuple[str | int, ...], Any], str]]] = {
    "invalid_date": ("invalid-date", lambda model, loc, error: str(error["msg"])),
    "enum": ("invalid-value", lambda model, loc, error: _enum_message(model, loc, error)),
    "finite_number": (
        "invalid-value",
        lambda model, loc, error: "nur endliche Zahlen, kein .nan oder .inf (und höchstens 1e308)",
    ),
    "string_too_long": ("invalid-value", lambda model, loc, error: f"höchstens {error['ctx']['max_length']} Zeichen"),
    "string_pattern_mismatch": (
        "invalid-value",
        lambda model, loc, error: _PATTERN_HINTS.get(str(loc[-1]), error["msg"]),
    ),
}

# How the lists and nested parts of a record are named for editors: (one item, the list), and single parts.
_ITEM_WORDS = {
    "parties": ("Beteiligte", "Beteiligte"),
    "goals": ("Ziel", "Ziele"),
    "target_groups": ("Zielgruppe", "Zielgruppen"),
    "events": ("Ereignis", "Ereignisse"),
    "notes": ("Angabe", "Angaben"),
    "documents": ("Dokument", "Dokumente"),
    "attachments": ("Anlage", "Anlagen"),
    "consultations": ("Beratung", "Beratungen"),
    "agenda_items": ("Tagesordnungspunkt", "Tagesordnungspunkte"),
    "indicators": ("Kennzahl", "Kennzahlen"),
    "actuals": ("Messwert", "Messwerte"),
    "related_papers": ("Vorlage", "Zugehörige Vorlagen"),
    "related_agreements": ("Vereinbarung", "Zugehörige Vereinbarungen"),
    "former_ids": ("Frühere Kennung", "Frühere Kennungen"),
    "background": ("Angabe zum Hintergrund", "Hintergrund"),
}
_PART_WORDS = {
    "signature": "Unterschrift",
    "period": "Laufzeit",
    "source": "Beleg",
    "baseline": "Ausgangswert",
    "target": "Zielwert",
    "withdrawn": "Rückzug",
}


def field_words(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """Where ``loc`` is, in the editor's words: ``Feld „date“``, ``Beteiligte 1 → Unterschrift → Feld „status“``,
    ``Ziel 2 → Zielgruppen → Eintrag 1``; list items are counted from 1, as an editor counts them."""
    annotations = _annotations_along(model, loc)
    words: list[str] = []
    index = 0
    while index < len(loc):
        part = loc[index]
        if isinstance(part, int):
            words.append(f"Eintrag {part + 1}")
            index += 1
            continue
        following = loc[index + 1] if index + 1 < len(loc) else None
        if isinstance(following, int):
            one, many = _ITEM_WORDS.get(part, ("", f"„{part}“"))
            if one and _inner_model(annotations[index + 1]) is not None:
                words.append(f"{one} {following + 1}")
            else:
                words += [many, f"Eintrag {following + 1}"]
            index += 2
            continue
        words.append(f"Feld „{part}“" if following is None else _PART_WORDS.get(part, f"„{part}“"))
        index += 1
    return " → ".join(words)


def _annotations_along(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[Any]:
    """The type annotation at each step of ``loc`` (None where the path leaves the model)."""
    found: list[Any] = []
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            current = _list_item(current)
        else:
            inner = _inner_model(current) if current is not None else None
            if inner is None or part not in inner.model_fields:
                current = None
            else:
                info = inner.model_fields[part]
                current = info.rebuild_annotation() if info.metadata else info.annotation
        found.append(current)
    return found


def _plain(annotation: Any) -> Any:
    """``X`` for ``Annotated[X, …]`` and ``X | None``."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        others = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(others) == 1:
            return _plain(others[0])
    return annotation


def _list_item(annotation: Any) -> Any:
    annotation = _plain(annotation)
    return get_args(annotation)[0] if get_origin(annotation) is list else None


def _ref_kind(annotation: Any) -> str | None:
    """The record kind a field of this annotation names by id (``RefTo``), looking through ``X | None``."""
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, RefTo):
            return meta.kind
    if get_origin(annotation) in (Union, types.UnionType):
        return next(filter(None, (_ref_kind(arg) for arg in get_args(annotation))), None)
    return None


def _target_group_hint(model: type[BaseModel], loc: tuple[str | int, ...], value: Any, names: dict[str, str]) -> str:
    """The right form where one form of target groups stands in the place of the other: an agreement's list
    words each group (``{name, group}``), a goal's list only names the shared records by id."""
    annotations = _annotations_along(model, loc)
    here = annotations[-1] if annotations else None
    one = bool(loc) and isinstance(loc[-1], int)  # an item of the list, not the list itself
    if _inner_model(here) is NamedTargetGroup or _inner_model(_list_item(here)) is NamedTargetGroup:
        typed = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str | int)]
        if not typed:
            return ""
        group = str(typed[0]).strip()
        example = f"{{name: {names.get(group, '<Wortlaut der Vereinbarung>')}, group: {group}}}"
        return (
            f"hier steht eine Zuordnung mit dem Wortlaut der Vereinbarung und der Kennung der Zielgruppe, z. B. „- "
            f"{example}“"
            if one
            else f"hier steht eine Liste von Zuordnungen (Wortlaut und Kennung), z. B. „{loc[-1]}: [{example}]“"
        ) + " (bloße Kennungen stehen nur unter einem Ziel)"
    item = here if one else _list_item(here)
    if _ref_kind(item) == "target_groups" and isinstance(value, dict | list):
        mappings = value if isinstance(value, list) else [value]
        ids = [str(m["group"]) for m in mappings if isinstance(m, dict) and isinstance(m.get("group"), str)]
        return (
            f"hier nur Kennungen, z. B. „target_groups: [{', '.join(ids) or 'jugendliche'}]“ (den Wortlaut mit "
            "name: trägt die Vereinbarung unter ihren target_groups)"
        )
    return ""


def _list_example(model: type[BaseModel], loc: tuple[str | int, ...], error: Any) -> str:
    """`` – z. B. „related_papers: [50-2669-xv-2013]“`` for a single id where a list of ids is expected."""
    value = error.get("input")
    if error["type"] != "list_type" or not isinstance(value, str | int) or not loc or isinstance(loc[-1], int):
        return ""
    annotations = _annotations_along(model, loc)
    if _ref_kind(_list_item(annotations[-1])) is None:
        return ""
    return f" – z. B. „{loc[-1]}: [{value}]“"


# German words an editor may type for a status, and the code meant (besides each code's own label).
_ENUM_WORDS: dict[type[Enum], dict[str, str]] = {
    SignatureStatus: {
        "unterschrieben": "signed",
        "unterzeichnet": "signed",
        "abgelehnt": "refused",
        "verweigert": "refused",
        "zurückgesandt": "returned_unsigned",
        "zurückgeschickt": "returned_unsigned",
        "zurückgegeben": "returned_unsigned",
        "nicht unterschrieben": "not_signed",
        "nicht unterzeichnet": "not_signed",
        "ausstehend": "pending",
        "offen": "pending",
        "unbekannt": "unknown",
    },
    SessionState: {
        "geplant": "scheduled",
        "stattgefunden": "held",
        "abgehalten": "held",
        "abgesagt": "cancelled",
        "ausgefallen": "cancelled",
        "unbekannt": "unknown",
    },
}


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "_": " ", "-": " "})


def _fold(text: str) -> str:
    folded = text.casefold().translate(_FOLD)
    return " ".join(folded.strip(" .!\"'„“").split())


def _enum_message(model: type[BaseModel], loc: tuple[str | int, ...], error: Any) -> str:
    """„x“ is not allowed, what was probably meant, and every allowed code with its German meaning."""
    typed = error.get("input")
    annotations = _annotations_along(model, loc)
    enum = _plain(annotations[-1]) if annotations else None
    if not (isinstance(enum, type) and issubclass(enum, Enum)):
        expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " oder ")
        return f"„{typed}“ ist nicht erlaubt; erlaubt sind {expected}"
    members = list(enum)

    def shown(member: Enum) -> str:
        label = label_of(member)
        return f"{member.value} ({label})" if label else str(member.value)

    allowed = ", ".join(shown(m) for m in members[:-1]) + f" oder {shown(members[-1])}"
    words = {_fold(str(m.value)): str(m.value) for m in members}
    words |= {_fold(label): str(m.value) for m in members if isinstance(label := label_of(m), str)}
    words |= {_fold(word): code for word, code in _ENUM_WORDS.get(enum, {}).items()}
    meant = words.get(_fold(str(typed)))
    if meant is None:
        close = difflib.get_close_matches(_fold(str(typed)), list(words), n=1, cutoff=0.75)
        meant = words[close[0]] if close else None
    if meant is None:
        return f"„{typed}“ ist nicht erlaubt; erlaubt sind {allowed}"
    label = label_of(enum(meant))
    guess = f"„{meant}“ ({label})" if label else f"„{meant}“"
    return f"„{typed}“ ist nicht erlaubt – meinten Sie {guess}? Erlaubt sind {allowed}"


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


def _raw_references(raw: RawRecord, problems: list[Problem]) -> tuple[Reference, ...]:
    """The ids a record that failed validation names, read from its raw data along the model's reference fields,
    so that an unknown id is reported in the same run as the file's other problems (not one run later). A value
    whose own place has a problem already is left out."""
    taken = {(p.line, p.column) for p in problems}
    return tuple(
        (loc, kind, target)
        for loc, kind, target in _walk_raw(MODELS[raw.kind], raw.data, ())
        if (raw.line(loc), raw.column(loc)) not in taken
    )


def _walk_raw(model: type[BaseModel], data: Any, loc: tuple[str | int, ...]) -> Iterator[Reference]:
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        annotation = info.rebuild_annotation() if info.metadata else info.annotation
        kind = _ref_kind(annotation) or _ref_kind(_list_item(annotation))
        inner = _inner_model(annotation)
        value = data[name]
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            here = (*loc, name) if index is None else (*loc, name, index)
            if kind is not None and isinstance(item, str | int) and not isinstance(item, bool):
                yield here, kind, str(item)
            elif inner is not None and isinstance(item, dict):
                yield from _walk_raw(inner, item, here)


def _check_references(
    records: Records,
    present: set[tuple[str, str]],
    raws: dict[tuple[str, str], RawRecord],
    raw_refs: dict[tuple[str, str], tuple[Reference, ...]],
) -> list[Problem]:
    """Every id a record names must exist, in valid records and in those that failed (read from their raw data).
    A record whose own file has problems counts as existing: its file is reported already, and "no such record"
    would send the editor looking in the wrong place."""
    named: list[tuple[RawRecord, tuple[Reference, ...]]] = [
        (raws[(kind, record_id)], references(record))
        for kind in MODELS
        for record_id, record in records.of_kind(kind).items()
    ]
    named += [(raws[key], refs) for key, refs in raw_refs.items()]
    problems = []
    for raw, refs in named:
        for loc, target_kind, target_id in refs:
            targets = records.of_kind(target_kind)
            if target_id in targets or (target_kind, target_id) in present:
                continue
            candidates = set(targets) | {i for k, i in present if k == target_kind}
            hint = _by_name(target_id, targets) or _did_you_mean(target_id, sorted(candidates))
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
    """One number per paper within its numbering series: council systems number each paper type on its own (a
    "Vorlage 12/2013" and an "Anfrage 12/2013" are two papers), so the series is the paper type."""
    problems = []
    first: dict[tuple[str, str], str] = {}
    for paper_id, paper in sorted(records.papers.items()):
        raw = raw_by_key[("papers", paper_id)]
        normalized = (" ".join(paper.paper_type.split()).casefold(), " ".join(paper.reference.split()).casefold())
        if normalized in first:
            problems.append(
                Problem(
                    raw.path,
                    raw.line(("reference",)),
                    "duplicate-reference",
                    f"Die Nummer „{paper.reference}“ hat schon {first[normalized]} (auch eine {paper.paper_type})",
                    column=raw.column(("reference",)),
                )
            )
        else:
            first[normalized] = raw.path
    return problems


def _check_agreement(agreement: Agreement, raw: RawRecord) -> list[Problem]:
    """Consistency rules inside one agreement: parties, signature dates and reasons, item ids, measured values."""

    def at(loc: tuple[str | int, ...], code: str, message: str) -> Problem:
        return Problem(raw.path, raw.line(loc), code, message, column=raw.column(loc))

    return [
        at(loc, code, message)
        for check in (_party_problems, _duplicate_item_ids, _actuals_outside_period)
        for loc, code, message in check(agreement)
    ]


Finding = tuple[tuple[str | int, ...], str, str]  # (where in the record, code, message)


def _party_problems(agreement: Agreement) -> Iterator[Finding]:
    seen: set[str] = set()
    known = [e.date for e in agreement.events if e.date is not None]
    earliest = min(known, key=lambda d: d.earliest()) if known else None
    for index, party in enumerate(agreement.parties):
        here = ("parties", index)
        if party.organization in seen:
            yield (
                (*here, "organization"),
                "duplicate-party",
                f"„{party.organization}“ steht schon unter den Beteiligten: jede Organisation nur einmal",
            )
        seen.add(party.organization)
        signature = party.signature
        if earliest is not None and signature.date is not None and signature.date.latest() < earliest.earliest():
            yield (
                (*here, "signature", "date"),
                "date-order",
                f"Unterschrift am {format_date(signature.date)}, aber das früheste Ereignis ist "
                f"{format_date(earliest)}: Datum prüfen",
            )
        if signature.status is SignatureStatus.SIGNED and signature.reason is not None:
            yield (
                (*here, "signature", "reason"),
                "signed-with-reason",
                "„reason“ begründet eine fehlende Unterschrift; bei status: signed entfernen oder "
                "den Status prüfen (returned_unsigned, not_signed, refused, pending)",
            )


def _check_document_names(
    records: Records, raw_by_key: dict[tuple[str, str], RawRecord]
) -> tuple[list[Problem], set[str]]:
    """Two documents whose texts would be one (the same name in ``content/texts/``) must be the same file: a
    file in ``content/files/`` named like a council system's PDF as ``import files`` keeps it would show one
    document's text for the other. Returns the problems and every document's text name."""
    seen: dict[str, tuple[str, str]] = {}  # text name -> (address or file, where it is named first)
    problems = []
    for kind in MODELS:
        for record_id, record in records.of_kind(kind).items():
            for loc, document in parts(record, Document):
                name = document.text_name
                if name is None:
                    continue
                what = document.url or f"files/{document.file}"
                first = seen.setdefault(name, (what, raw_by_key[(kind, record_id)].path))
                if first[0] != what:
                    raw = raw_by_key[(kind, record_id)]
                    field_name = "id" if document.url else "file"
                    problems.append(
                        Problem(
                            raw.path,
                            raw.line((*loc, field_name)),
                            "duplicate-id",
                            f"Das Dokument „{name}“ ist in {first[1]} schon {first[0]}: zwei verschiedene Dateien "
                            "brauchen verschiedene Kennungen (id) bzw. Dateinamen",
                            column=raw.column((*loc, field_name)),
                        )
                    )
    return problems, set(seen)


def _duplicate_item_ids(agreement: Agreement) -> Iterator[Finding]:
    for field_name in ("goals", "events"):
        ids: set[str] = set()
        for index, item in enumerate(getattr(agreement, field_name)):
            if item.id is not None and item.id in ids:
                yield (
                    (field_name, index, "id"),
                    "duplicate-id",
                    f"Die Kennung „{item.id}“ steht in {field_name} schon einmal: sie macht den Link eindeutig",
                )
            if item.id is not None:
                ids.add(item.id)


def _actuals_outside_period(agreement: Agreement) -> Iterator[Finding]:
    period = agreement.period
    if period is None:
        return
    for g, goal in enumerate(agreement.goals):
        for i, indicator in enumerate(goal.indicators):
            for a, actual in enumerate(indicator.actuals):
                if actual.date is not None and _outside(actual.date, period.start, period.end):
                    yield (
                        ("goals", g, "indicators", i, "actuals", a, "date"),
                        "actual-outside-period",
                        f"Messwert vom {format_date(actual.date)} liegt außerhalb des Zeitraums "
                        f"{period.german()}: Datum oder Zeitraum prüfen",
                    )


def _check_quotes(
    records: Records, texts: dict[str, DocumentText], raw_by_key: dict[tuple[str, str], RawRecord]
) -> tuple[list[Problem], Counter[str]]:
    """Every ``quote`` of a source must stand in the paper's document text, on the page it names. A quote whose
    paper has no text in ``content/texts/`` is counted as unchecked, never as proven."""
    problems, counts = [], Counter[str]()
    for kind in MODELS:
        for record_id, record in records.of_kind(kind).items():
            for loc, source in sources(record):
                if source.quote is None:
                    continue
                paper = records.papers.get(source.paper)
                file = paper.document_name(texts) if paper else None
                document = texts.get(file) if file else None
                if document is None or document.empty:
                    counts["unchecked"] += 1
                    continue
                found, closest_passage = find_quote(source.quote, document, source.page)
                if found:
                    counts["proven"] += 1
                    continue
                raw = raw_by_key[(kind, record_id)]
                where = f"auf Seite {source.page}" if source.page else "im Text"
                problems.append(
                    Problem(
                        raw.path,
                        raw.line((*loc, "quote")),
                        "quote-not-found",
                        f"Das Zitat steht nicht {where} von {file} (texts/{file}.txt); am ähnlichsten ist: "
                        f"„{closest_passage}“ – Zitat oder Seite prüfen",
                        column=raw.column((*loc, "quote")),
                    )
                )
    return problems, counts


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


def _unused_texts(texts: dict[str, DocumentText], named: set[str]) -> list[Problem]:
    """An ``unused-file`` warning for each text in ``content/texts/`` that belongs to no document."""
    return [
        Problem(
            f"{TEXTS_FOLDER}/{name}.txt",
            1,
            "unused-file",
            f"Kein Dokument heißt „{name}“ (eine Anlage in files/ oder ein PDF mit der Kennung "
            f"„{name.removesuffix('.pdf')}“), der Text wird nicht veröffentlicht: Datei umbenennen oder löschen",
        )
        for name in sorted(set(texts) - named)
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
    under a new name and not changed): same title and, for agreements, the same parties and period. Records imported
    from a council system are distinct objects there (their OParl ids differ), so they are no copies."""
    found = []
    for kind in MODELS:
        first: dict[tuple[Any, ...], str] = {}
        for record_id, record in records.of_kind(kind).items():
            key = None if record.oparl is not None else _copy_key(kind, record)
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
