"""The records already in ``content/``: found by their OParl id, merged with what the source says now, and
written back only when something changed (a second import of unchanged data changes no file).

The importer owns a declared set of fields per kind (:data:`generator.importing.convert.OWNED`). The ``digest`` in
a record's ``oparl:`` block is taken over those fields as last imported: when a file's owned fields no longer match
it, an editor changed them; where the editor's value differs from the source's, the editor's value stays and the
run reports a conflict.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.importing.convert import OWNED, Data
from generator.importing.fetch import FetchError
from generator.records.kinds import MODELS
from generator.records.load import IMPORT_STATE
from generator.records.stored import StoredTable, header, is_tuple

HEADER = "# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class StoreError(FetchError):
    """The records in ``content/`` cannot be imported into as they are (a broken file, a copied record)."""


@dataclass(slots=True)
class Existing:
    kind: str
    id: str
    path: Path
    data: Data


@dataclass(slots=True)
class Store:
    content: Path
    records: dict[str, Existing] = field(default_factory=dict)  # by OParl id
    ids: list[tuple[str, str, str | None]] = field(default_factory=list)  # (kind, id, OParl id) of every record

    @classmethod
    def read(cls, content: Path, *, cache: Path | None = None) -> Store:
        """The records in ``content``; with a ``cache`` folder (the import's), a file whose bytes are as at the
        last import is not parsed again (:data:`READ_CACHE`, in the format of :mod:`generator.records.stored`)."""
        store = cls(content)
        table = StoredTable(cache / READ_CACHE, _read_header(), entry=_valid) if cache is not None else None
        for kind in OWNED:
            folder = content / kind
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yml")):
                raw = path.read_bytes()
                checksum, rel = hashlib.sha256(raw).digest(), f"{kind}/{path.name}"
                found = table.get(rel, checksum) if table is not None else None
                if found is None:
                    found = _read(path, raw, checksum)
                    if table is not None:
                        table.put(rel, found)
                _, oparl_id, data = found
                store.ids.append((kind, path.stem, oparl_id))
                if data is not None and oparl_id is not None:
                    if oparl_id in store.records:
                        raise StoreError(
                            f"{path} und {store.records[oparl_id].path} haben dieselbe oparl-Adresse {oparl_id}: "
                            "eine der Dateien ist eine Kopie; sie löschen oder ihren oparl-Block entfernen"
                        )
                    store.records[oparl_id] = Existing(kind, path.stem, path, data)
        if table is not None:
            table.save()
        return store


READ_CACHE = "import-records.marshal"  # in the import's cache folder: the record files as the last import read them
Read = tuple[bytes, str | None, Data | None]  # a file's SHA-256, its OParl id, its data as :func:`plain` gives it


def _read(path: Path, raw: bytes, checksum: bytes) -> Read:
    data = read_record(path, raw)
    oparl = data.get("oparl") if isinstance(data, dict) else None
    oparl_id = oparl.get("id") if isinstance(oparl, dict) else None
    return checksum, oparl_id if isinstance(oparl_id, str) else None, plain(data) if isinstance(data, dict) else None


def _read_header() -> bytes:
    versions = [f"yaml {yaml.__version__}", f"loader {_Loader.__name__}"]
    return header("import-store", parts=["format 1", *versions], files=[Path(__file__)])


def _valid(stored: Any) -> bool:
    return (
        is_tuple(stored, bytes, None, None)
        and (stored[1] is None or isinstance(stored[1], str))
        and (stored[2] is None or isinstance(stored[2], dict))
    )


def read_record(path: Path, raw: bytes | None = None) -> Any:
    try:
        text = (path.read_bytes() if raw is None else raw).decode("utf-8")
        return yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"{path}: nicht lesbar ({type(exc).__name__}); erst mit `check` die Datei reparieren, dann importieren "
            "(sonst entstünde ein zweiter Eintrag für dasselbe Objekt)"
        ) from None


def plain(value: Any) -> Any:
    """YAML's dates as the ISO text the importer writes, and no empty values: so that equal data compares equal."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(plain(value), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:8]


def digests(kind: str, data: Data) -> dict[str, str]:
    """A checksum of each owned field as written (an absent field has none)."""
    return {name: digest(data[name]) for name in OWNED[kind] if name in data}


def owned_part(kind: str, data: Data) -> Data:
    return {name: data[name] for name in OWNED[kind] if name in data}


@dataclass(frozen=True, slots=True)
class Merged:
    data: Data | None  # what to write; None: leave the file as it is
    conflicts: tuple[str, ...] = ()  # the owned fields an editor changed to something else than the source says


def document_entries(data: Any) -> Iterator[Data]:
    """Every document entry (a mapping with a title and a web address) in a record's plain data, at any depth,
    outside the ``oparl`` block."""
    if isinstance(data, dict):
        if isinstance(data.get("url"), str) and "title" in data:
            yield data
        for key, value in data.items():
            if key != "oparl":
                yield from document_entries(value)
    elif isinstance(data, list):
        for value in data:
            yield from document_entries(value)


def _keep_checksums(fresh: Data, current: Data) -> Data:
    """A document the source names as before (same id, address, size, date and type) keeps the checksum
    ``import files`` wrote; a file replaced at the same address (another size or date) loses it and is loaded
    again."""

    def key(entry: Data) -> tuple[Any, ...]:
        return tuple(plain(entry.get(name)) for name in ("id", "url", "size", "date", "mime_type"))

    known = {key(entry): entry["sha256"] for entry in document_entries(current) if entry.get("sha256")}
    if not known:
        return fresh
    fresh = copy.deepcopy(fresh)  # the converter's data stays as it was
    for entry in document_entries(fresh):
        checksum = known.get(key(entry))
        if checksum:
            entry["sha256"] = checksum
    return fresh


def merge(kind: str, existing: Existing | None, new: Data, origin: Data) -> Merged:
    """The record to write: the source's owned fields, except those an editor changed since the last import (they
    stay, and are reported as conflicts, until the editor's value is the source's again or the field is removed:
    removing an imported field takes the source's value), the editor's other fields, and the origin. A document's
    checksum from ``import files`` stays while the source names the same file."""
    fresh = owned_part(kind, new)
    if existing is not None:
        fresh = _keep_checksums(fresh, existing.data)
    if existing is None:
        return Merged(_ordered(kind, {**fresh, "oparl": {**origin, "digests": digests(kind, fresh)}}))
    current = existing.data
    previous = current.get("oparl") or {}
    recorded: dict[str, str] = previous.get("digests") or {}
    written, sums, conflicts = dict(fresh), digests(kind, fresh), []
    for name in OWNED[kind]:
        mine, theirs = plain(current.get(name)), plain(fresh.get(name))
        if name not in current or mine == theirs:
            continue  # absent (removed by an editor: the source's value) or the same as the source's
        if name not in recorded or digest(current[name]) != recorded[name]:
            conflicts.append(name)  # an editor's value: it stays, and so does the last import's checksum
            written[name] = current[name]
            if name in recorded:
                sums[name] = recorded[name]
            else:
                sums.pop(name, None)
    kept = {name: value for name, value in current.items() if name not in OWNED[kind] and name != "oparl"}
    same = plain(owned_part(kind, current)) == plain(written) and previous.get("modified") == origin.get("modified")
    if same:
        origin = {**origin, "retrieved": previous.get("retrieved", origin["retrieved"])}  # nothing new: no change
    return Merged(_ordered(kind, {**kept, **written, "oparl": {**origin, "digests": sums}}), tuple(conflicts))


def _ordered(kind: str, data: Data) -> Data:
    """The fields in the model's order (as the schema and ``new`` list them), anything else after them, and the
    origin last: it is the importer's, not the editor's."""
    order = [name for name in MODELS[kind].model_fields if name != "oparl"]
    return dict(sorted(data.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def text_of(kind: str, data: Data) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
    return HEADER.format(kind=kind) + body


def write_record(path: Path, kind: str, data: Data) -> bool:
    """Write the record's file; ``False`` when it holds this text already."""
    text = text_of(kind, data)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return True


def read_state(content: Path) -> Data:
    path = content / IMPORT_STATE
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    return plain(data) if isinstance(data, dict) else {}


def write_state(content: Path, state: Data) -> None:
    text = "# Der letzte OParl-Import (geschrieben von `import oparl`; nicht von Hand ändern).\n" + yaml.dump(
        state, Dumper=_Dumper, allow_unicode=True, sort_keys=False
    )
    content.mkdir(parents=True, exist_ok=True)
    (content / IMPORT_STATE).write_text(text, encoding="utf-8")
