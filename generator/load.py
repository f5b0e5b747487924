"""Stage 1, load: read every record file under the content folder into plain data with line numbers.

YAML is read safely: duplicate keys are refused (PyYAML would keep the last silently), alias expansion is
bounded, dates stay text (the models parse them), and each value's line is kept for error messages.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .models import FILE_PATTERN, ID_PATTERN, MODELS
from .problems import Problem

log = logging.getLogger(__name__)

YAML_SUFFIXES = (".yml", ".yaml")
DEMO_MARKER = ".demo"  # written by ``python -m generator demo`` into the corpus folder
FILES_FOLDER = "files"  # attachments (PDF …) that documents refer to with ``file:``
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000

Path_ = tuple[str | int, ...]

_SYNTAX_HINTS = {
    "mapping values are not allowed": " – Einrückung prüfen; Text mit Doppelpunkt in Anführungszeichen setzen",
    "found character '\\t'": " – Tabulatoren durch Leerzeichen ersetzen",
    "tab character": " – Tabulatoren durch Leerzeichen ersetzen",
    "another document": " – eine Datei enthält genau einen Datensatz (keine Zeile „---“)",
    "could not find expected ':'": " – nach jedem Feldnamen folgt ein Doppelpunkt",
    "found unexpected end of stream": " – ein Anführungszeichen oder eine Klammer wird nicht geschlossen",
}


@dataclass(slots=True)
class RawRecord:
    """One file's data before validation."""

    kind: str
    id: str
    path: str  # relative to the content folder, with forward slashes
    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)
    columns: dict[Path_, int] = field(default_factory=dict)

    def line(self, loc: Path_) -> int:
        """The line of ``loc`` or, if it is not in the file (a missing field), of its nearest parent."""
        return self.lines.get(self._found(loc), 1)

    def column(self, loc: Path_) -> int:
        """The column (1-based) where ``loc``, or its nearest parent in the file, starts."""
        return self.columns.get(self._found(loc), 1)

    def _found(self, loc: Path_) -> Path_:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return loc[:end]
        return ()


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file in ``content/files/`` that documents link to; it is published at ``/dateien/<name>``."""

    path: Path
    size: int


@dataclass(slots=True)
class Loaded:
    records: list[RawRecord]
    problems: list[Problem]
    files: dict[str, Attachment] = field(default_factory=dict)  # attachments in content/files/, by file name
    demo: bool = False  # a generated demo corpus (marker file ``.demo``): every page says so
    unreadable: set[tuple[str, str]] = field(default_factory=set)  # (kind, id) of record files that did not parse


# libyaml's parser where PyYAML was built with it (about ten times faster); the same safe constructor.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader without the timestamp resolver: ``2013-07-05`` stays text, like ``2013-07``."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


Stamps = dict[str, tuple[int, int]]  # file (relative to the content folder) -> (mtime in ns, size)

# What a file gave when it was last read, by path: its stamp (mtime, size), the record and the problems.
LoadCache = dict[str, tuple[tuple[int, int], "RawRecord | None", list[Problem]]]


def load(content_dir: Path, *, cache: LoadCache | None = None, stamps: Stamps | None = None) -> Loaded:
    """Read every file below ``content_dir``; problems are collected, never raised.

    With a ``cache`` (the live preview keeps one), files whose modification time and size are unchanged are
    not read again; ``stamps`` (from :func:`file_stamps`) saves listing the folder a second time.
    """
    loaded = Loaded([], [], demo=(content_dir / DEMO_MARKER).is_file())
    seen: set[str] = set()
    for rel, stamp in sorted((stamps if stamps is not None else file_stamps(content_dir)).items()):
        path = content_dir / rel
        if stamp == LINKED_OUT:
            message = "Verweise (Symlinks) auf Ordner oder auf Dateien außerhalb von content/ werden nicht gelesen: "
            loaded.problems.append(Problem(rel, 1, "symlink", message + "die Datei selbst nach content/ kopieren"))
            continue
        if rel.startswith(f"{FILES_FOLDER}/"):
            _add_file(path, rel, loaded)
            continue
        seen.add(rel)
        if cache is not None and rel in cache and cache[rel][0] == stamp:
            _, record, problems = cache[rel]
        else:
            problems = []
            record = _load_file(path, rel, problems)
            if cache is not None:
                cache[rel] = (stamp, record, problems)
        loaded.problems += problems
        if record is not None:
            loaded.records.append(record)
        elif problems and len(parts := rel.split("/")) == 2:
            loaded.unreadable.add((parts[0], parts[1].rsplit(".", 1)[0]))
    if cache is not None:
        for rel in set(cache) - seen:
            del cache[rel]
    log.info("loaded %d record files and %d attachments from %s", len(loaded.records), len(loaded.files), content_dir)
    return loaded


LINKED_OUT = (-1, -1)  # the stamp of a symbolic link that leaves the content folder or points at a folder


def file_stamps(content_dir: Path) -> Stamps:
    """Modification time and size of every file below ``content_dir``, hidden ones (``.git``, ``.demo``) aside.

    Symbolic links are followed only to files inside ``content_dir``; any other link gets :data:`LINKED_OUT`, so
    that :func:`load` reports it instead of reading something outside the content.
    """
    found: Stamps = {}
    root = content_dir.resolve()
    for folder, dirs, files in os.walk(content_dir):
        here = Path(folder)
        rel_folder = here.relative_to(content_dir)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in dirs:
            if (here / name).is_symlink():
                found[(rel_folder / name).as_posix()] = LINKED_OUT  # os.walk does not enter it
        for name in files:
            if name.startswith("."):
                continue
            path = here / name
            rel = (rel_folder / name).as_posix()
            if path.is_symlink() and not (path.resolve().is_relative_to(root) and path.is_file()):
                found[rel] = LINKED_OUT
                continue
            stat = path.stat()
            found[rel] = (stat.st_mtime_ns, stat.st_size)
    return found


def _add_file(path: Path, rel: str, loaded: Loaded) -> None:
    name = rel.removeprefix(f"{FILES_FOLDER}/")
    if not re.match(FILE_PATTERN, name):
        loaded.problems.append(
            Problem(
                rel,
                1,
                "invalid-id",
                "Dateinamen von Anlagen: Kleinbuchstaben a–z, Ziffern, Bindestriche und eine Endung, "
                f"z. B. „{_suggest_id(name.rsplit('.', 1)[0])}.pdf“; keine Unterordner",
            )
        )
        return
    loaded.files[name] = Attachment(path, path.stat().st_size)


def _load_file(path: Path, rel: str, problems: list[Problem]) -> RawRecord | None:
    parts = rel.split("/")
    if len(parts) != 2 or parts[0] not in MODELS:
        folders = ", ".join(f"{k}/" for k in (*MODELS, FILES_FOLDER))
        problems.append(Problem(rel, 1, "unknown-folder", f"Datensätze gehören in einen dieser Ordner: {folders}"))
        return None
    kind, name = parts
    stem, suffix = (name.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1]) if "." in name else (name, "")
    if suffix not in YAML_SUFFIXES:
        problems.append(Problem(rel, 1, "invalid-id", "Datensätze sind YAML-Dateien mit der Endung .yml"))
        return None
    if not re.match(ID_PATTERN, stem):
        problems.append(
            Problem(
                rel,
                1,
                "invalid-id",
                f"„{stem}“ ist als Kennung nicht erlaubt: nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche, "
                f"z. B. „{_suggest_id(stem)}“",
            )
        )
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.append(
            Problem(rel, 1, "too-complex", f"Die Datei ist größer als {MAX_FILE_BYTES:,} Bytes".replace(",", "."))
        )
        return None
    text = _decode(path.read_bytes(), rel, problems)
    if text is None:
        return None
    parsed = parse_yaml(text, rel, problems)
    if parsed is None:
        return None
    data, lines, columns = parsed
    return RawRecord(kind=kind, id=stem, path=rel, data=data, lines=lines, columns=columns)


def _suggest_id(stem: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", stem.replace("ß", "ss")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "mein-datensatz"


def _decode(raw: bytes, rel: str, problems: list[Problem]) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                rel,
                line,
                "not-utf8",
                "Die Datei ist nicht UTF-8-kodiert: im Editor als „UTF-8“ speichern",
                column=column,
            )
        )
        return None


def parse_yaml(
    text: str, rel: str, problems: list[Problem]
) -> tuple[dict[str, Any], dict[Path_, int], dict[Path_, int]] | None:
    """Parse one YAML document into data and maps from each key path to its line and column (1-based)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(Problem(rel, 1, "empty-file", "Die Datei ist leer: mindestens die Pflichtfelder eintragen"))
            return None
        walk = _Walk(loader)
        data = walk.value(node, ())
    except (_TooComplex, RecursionError):
        message = f"Die YAML-Aliase expandieren zu mehr als {MAX_NODES} Knoten: Aliase (*) vermeiden"
        problems.append(Problem(rel, node.start_mark.line + 1, "too-complex", message))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = str(exc.problem or exc.context)
        hint = next((h for key, h in _SYNTAX_HINTS.items() if key in problem), "")
        problems.append(Problem(rel, line, "yaml-syntax", f"YAML-Syntaxfehler: {problem}{hint}", column=column))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, 1, "yaml-syntax", f"YAML-Syntaxfehler: {exc}"))
        return None
    finally:
        loader.dispose()
    if walk.duplicates:
        for line, column, key in walk.duplicates:
            message = f"Der Schlüssel „{key}“ steht hier zum zweiten Mal: einen der beiden löschen"
            problems.append(Problem(rel, line, "duplicate-key", message, column=column))
        return None
    if not isinstance(data, dict):
        message = "Ein Datensatz ist eine Zuordnung von Feldern („feld: wert“), keine Liste und kein einzelner Wert"
        problems.append(Problem(rel, node.start_mark.line + 1, "wrong-type", message))
        return None
    return data, walk.lines, walk.columns


class _TooComplex(Exception):
    pass


_STR, _NULL, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"


class _Walk:
    """One pass over the composed YAML: builds the data, records each key's line, finds duplicate keys, and
    stops once aliases have expanded to more than :data:`MAX_NODES` nodes (a recursive alias never ends)."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.lines: dict[Path_, int] = {}
        self.columns: dict[Path_, int] = {}
        self.duplicates: list[tuple[int, int, str]] = []
        self.budget = MAX_NODES

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooComplex
        if path not in self.lines:
            self.lines[path] = node.start_mark.line + 1
            self.columns[path] = node.start_mark.column + 1
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            if node.tag == _NULL:
                return None
            return self.loader.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(child, (*path, index)) for index, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if any(k.tag == _MERGE for k, _ in node.value):
                return self.loader.construct_object(node, deep=True)  # rare: let PyYAML resolve "<<" merges
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value if key_node.tag == _STR else self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    key = str(key)
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if key in result:
                    self.duplicates.append((line, column, str(key)))
                self.lines[(*path, key)] = line
                self.columns[(*path, key)] = column
                result[key] = self.value(value_node, (*path, key))
            return result
        return self.loader.construct_object(node, deep=True)
