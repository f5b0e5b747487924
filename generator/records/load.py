"""Stage 1, load: read every record file under the content folder into plain data with line numbers.

YAML is read safely: duplicate keys are reported (PyYAML would keep the last silently; here the first is kept, so
that the rest of the file is still checked), alias expansion is bounded, dates stay text (the models parse them),
and each value's line is kept for error messages.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from generator.records.attachments import refusal
from generator.records.kinds import MODELS
from generator.records.models import FILE_PATTERN, ID_PATTERN, MAX_ID_LENGTH, RESERVED_IDS
from generator.records.parsed import ParsedCache, problem_from, problem_tuple
from generator.records.problems import Problem
from generator.records.texts import MAX_TEXT_BYTES, TEXTS_FOLDER, DocumentText, parse_text

log = logging.getLogger(__name__)

YAML_SUFFIXES = (".yml", ".yaml")
DEMO_MARKER = ".demo"  # written by ``python -m generator demo`` into the corpus folder
FILES_FOLDER = "files"  # attachments (PDF …) that documents refer to with ``file:``
IMPORT_STATE = "oparl-import.yml"  # the OParl importer's record of its last run: no record, never published
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_TEXT = 2 * MAX_FILE_BYTES  # characters all texts may add up to once aliases are expanded

# Characters refused in any text: C0 controls but tab and line feed (a raw CR ends a line and is fine), DEL and
# C1 controls, surrogates, Unicode noncharacters (U+FFFE breaks MkDocs' front matter), and the bidi embedding,
# override and isolate controls: they reorder what a reader sees (a paper number, a name) without changing
# the text that is searched and compared. Right-to-left names need none of them (the marks U+200E/U+200F stay
# allowed).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_NONCHARACTER = "\ufdd0-\ufdef" + "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)
)
BAD_CHARACTER = re.compile(f"[{_CONTROL}{_BIDI}{_NONCHARACTER}\ud800-\udfff]")
# The same characters in two steps, ten times faster over the 60 MB of a large site's document texts: a class
# with characters beyond the BMP makes Python's regex engine test every character slowly, so that class runs only
# over a text that has such a character at all.
_BAD_IN_BMP = re.compile(f"[{_CONTROL}{_BIDI}\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_BAD_IN_VALUE = re.compile(f"[\r{_CONTROL}{_BIDI}{_NONCHARACTER}\ud800-\udfff]")

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
    warnings: list[Problem] = field(default_factory=list)  # files that are not read, said so (hidden files)
    texts: dict[str, DocumentText] = field(default_factory=dict)  # content/texts/<file name>.txt, by file name


# libyaml's parser where PyYAML was built with it (about ten times faster); the same safe constructor.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader without the timestamp resolver: ``2013-07-05`` stays text, like ``2013-07``."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# A file's stamp: its modification time, its status change time (in ns; it changes when the file is replaced or
# its times set back, as by ``cp -p``) and its size.
Stamp = tuple[int, int, int]
Stamps = dict[str, Stamp]  # file (relative to the content folder) -> stamp

# What a file gave when it was last read, by path: its stamp, the record (or document text, or
# attachment) and the problems.
Found: TypeAlias = "RawRecord | DocumentText | Attachment | None"  # what one file of the content folder gives
LoadCache = dict[str, tuple[Stamp, Found, list[Problem]]]


def load(
    content_dir: Path,
    *,
    cache: LoadCache | None = None,
    stamps: Stamps | None = None,
    parsed: ParsedCache | None = None,
) -> Loaded:
    """Read every file below ``content_dir``; problems are collected, never raised.

    With a ``cache`` (the live preview keeps one), files whose stamp (times and size) is unchanged are
    not read again; ``stamps`` (from :func:`file_stamps`) saves listing the folder a second time. With ``parsed``
    (the build cache's), a record file or document text whose bytes are unchanged is read but not parsed again.
    """
    loaded = Loaded([], [], demo=(content_dir / DEMO_MARKER).is_file())
    seen: set[str] = set()
    for rel, stamp in sorted((stamps if stamps is not None else file_stamps(content_dir)).items()):
        path = content_dir / rel
        if stamp == LINKED_OUT:
            message = "Verweise (Symlinks) auf Ordner oder auf Dateien außerhalb von content/ werden nicht gelesen: "
            loaded.problems.append(Problem(rel, 1, "symlink", message + "die Datei selbst nach content/ kopieren"))
            continue
        if stamp == HIDDEN:
            message = (
                "Dateien und Ordner, deren Name mit einem Punkt beginnt, werden nicht gelesen: "
                "den Punkt entfernen, um sie zu veröffentlichen, oder die Datei außerhalb von content/ ablegen"
            )
            loaded.warnings.append(Problem(rel, 1, "hidden-file", message))
            continue
        if rel == IMPORT_STATE:  # the importer's state file is passed over
            continue
        seen.add(rel)
        if cache is not None and rel in cache and cache[rel][0] == stamp:
            _, found, problems = cache[rel]
        else:
            problems = []
            found = _reader(rel)(path, rel, problems, parsed)
            if cache is not None:
                cache[rel] = (stamp, found, problems)
        _take(loaded, rel, found, problems)
    if cache is not None:
        for rel in set(cache) - seen:
            del cache[rel]
    log.info("loaded %d record files and %d attachments from %s", len(loaded.records), len(loaded.files), content_dir)
    return loaded


LINKED_OUT = (-1, -1, -1)  # the stamp of a symbolic link that leaves the content folder or points at a folder
HIDDEN = (-2, -2, -2)  # the stamp of a hidden record file (``.entwurf.yml``) or folder: not read, but said so


def file_stamps(content_dir: Path) -> Stamps:
    """The stamp (:data:`Stamp`) of every file below ``content_dir``, hidden ones aside.

    Symbolic links are followed only to files inside ``content_dir``; any other link gets :data:`LINKED_OUT`, so
    that :func:`load` reports it instead of reading something outside the content. A hidden record file
    (``.entwurf.yml``) or hidden folder gets :data:`HIDDEN`, so that it is not skipped without a word; git's
    folder and the demo marker are left out silently.
    """
    found: Stamps = {}
    root = content_dir.resolve()
    top = str(content_dir)
    cut = len(os.path.join(top, ""))  # paths as strings: a Path per file costs a second at 10,000 records
    for folder, dirs, files in os.walk(top):
        rel_folder = folder[cut:].replace(os.sep, "/")
        prefix = f"{rel_folder}/" if rel_folder else ""
        for name in dirs:
            if name.startswith(".") and said_unread(name, folder=True):
                found[prefix + name] = HIDDEN
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                found[prefix + name] = LINKED_OUT  # os.walk does not enter it
        for name in files:
            if name.startswith("."):
                if said_unread(name, folder=False):
                    found[prefix + name] = HIDDEN
                continue
            path = os.path.join(folder, name)
            rel = prefix + name
            if os.path.islink(path) and not _links_in(path, root):
                found[rel] = LINKED_OUT
                continue
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # removed while the folder was read (a checkout, an editor's temporary file)
                continue
            found[rel] = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
    return found


def said_unread(name: str, *, folder: bool) -> bool:
    """Whether a hidden file or folder of this ``name`` gets the stamp :data:`HIDDEN` (a record file, or a folder
    other than git's: the editor is told they are not read), rather than being passed over without a word."""
    return name != ".git" if folder else name.endswith(YAML_SUFFIXES)


def _links_in(path: str, root: Path) -> bool:
    """Whether the symbolic link ``path`` points at a file inside ``root`` (a loop or a dead end does not)."""
    try:
        return Path(path).resolve().is_relative_to(root) and os.path.isfile(path)
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python 3.11)
        return False


def _reader(rel: str) -> Callable[[Path, str, list[Problem], ParsedCache | None], Found]:
    if rel.startswith(f"{FILES_FOLDER}/"):
        return _read_attachment
    return _read_text if _is_text(rel) else _load_file


def _take(loaded: Loaded, rel: str, found: Found, problems: list[Problem]) -> None:
    """Put what the file ``rel`` gave into ``loaded``."""
    loaded.problems += problems
    if isinstance(found, Attachment):
        loaded.files[rel.removeprefix(f"{FILES_FOLDER}/")] = found
    elif isinstance(found, DocumentText):
        loaded.texts[found.name] = found
    elif found is not None:
        loaded.records.append(found)
    elif problems and not rel.startswith(f"{FILES_FOLDER}/") and len(parts := rel.split("/")) == 2:
        loaded.unreadable.add((parts[0], parts[1].rsplit(".", 1)[0]))


def _is_text(rel: str) -> bool:
    return rel.startswith(f"{TEXTS_FOLDER}/") and rel.endswith(".txt") and rel.count("/") == 1


def _read_text(path: Path, rel: str, problems: list[Problem], parsed: ParsedCache | None = None) -> DocumentText | None:
    """The text of an attachment (``texts/<file name>.txt``), as the extractor wrote it or an editor corrected it;
    kept in the live preview's cache like a record (a document's text is most of what a large site reads)."""
    if path.stat().st_size > MAX_TEXT_BYTES:
        message = f"Der Text ist größer als {MAX_TEXT_BYTES // 1_000_000} MB: nur die ersten Seiten behalten"
        problems.append(Problem(rel, 1, "too-complex", message))
        return None
    raw = path.read_bytes()
    found = _through(parsed, rel, raw, problems, lambda mine: _parse_text_file(raw, rel, mine))
    return found if isinstance(found, DocumentText) else None


def _parse_text_file(raw: bytes, rel: str, problems: list[Problem]) -> DocumentText | None:
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as open() reads text
    except UnicodeDecodeError:
        problems.append(Problem(rel, 1, "not-utf8", "Texte von Anlagen sind UTF-8-Dateien"))
        return None
    bad = bad_characters(text.replace("\f", ""), rel)
    if bad:
        problems += bad
        return None
    return parse_text(rel.removeprefix(f"{TEXTS_FOLDER}/").removesuffix(".txt"), text)


def _read_attachment(
    path: Path, rel: str, problems: list[Problem], parsed: ParsedCache | None = None
) -> Attachment | None:
    """An attachment (``files/<name>``), if its name and content may be published; kept in the live preview's cache
    like a record (checking the content opens every file)."""
    name = rel.removeprefix(f"{FILES_FOLDER}/")
    if not re.match(FILE_PATTERN, name) or len(name) > MAX_ID_LENGTH + 6:
        problems.append(
            Problem(
                rel,
                1,
                "invalid-id",
                "Dateinamen von Anlagen: Kleinbuchstaben a–z, Ziffern, Bindestriche und eine Endung, "
                f"höchstens {MAX_ID_LENGTH} Zeichen vor der Endung, "
                f"z. B. „{_suggest_id(name.rsplit('.', 1)[0])[:MAX_ID_LENGTH]}.pdf“; keine Unterordner",
            )
        )
        return None
    why = refusal(path)
    if why is not None:
        problems.append(Problem(rel, 1, "attachment-type", why))
        return None
    return Attachment(path, path.stat().st_size)


def _load_file(path: Path, rel: str, problems: list[Problem], parsed: ParsedCache | None = None) -> RawRecord | None:
    parts = rel.split("/")
    if len(parts) != 2 or parts[0] not in MODELS:
        folders = ", ".join(f"{k}/" for k in (*MODELS, FILES_FOLDER, TEXTS_FOLDER))
        problems.append(Problem(rel, 1, "unknown-folder", f"Datensätze gehören in einen dieser Ordner: {folders}"))
        return None
    kind, name = parts
    stem, suffix = (name.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1]) if "." in name else (name, "")
    if suffix not in YAML_SUFFIXES:
        problems.append(Problem(rel, 1, "invalid-id", "Datensätze sind YAML-Dateien mit der Endung .yml"))
        return None
    id_problem = check_id(stem)
    if id_problem:
        problems.append(Problem(rel, 1, "invalid-id", id_problem))
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
    raw = path.read_bytes()
    found = _through(
        parsed, rel, raw, problems, lambda mine: _parse_file(raw, kind=kind, stem=stem, rel=rel, problems=mine)
    )
    return found if isinstance(found, RawRecord) else None


Parsed = RawRecord | DocumentText | None


def _through(
    parsed: ParsedCache | None, rel: str, raw: bytes, problems: list[Problem], parse: Callable[[list[Problem]], Parsed]
) -> Parsed:
    """What ``parse`` makes of the file ``rel`` (its bytes ``raw``), from the build cache's parsed records where
    they hold it for these bytes; its problems are added to ``problems``."""
    if parsed is None:
        return parse(problems)
    digest = hashlib.sha256(raw).digest()
    stored = parsed.get(rel, digest)
    if stored is not None:
        value, reported = stored[1]
        problems += (problem_from(p) for p in reported)
        return _thawed(value, rel)
    mine: list[Problem] = []
    result = parse(mine)
    parsed.put(rel, (digest, (_frozen(result), tuple(problem_tuple(p) for p in mine))))
    problems += mine
    return result


def _frozen(result: Parsed) -> tuple[Any, ...] | None:
    """A parse result as plain data for the cache."""
    if isinstance(result, RawRecord):
        return ("record", result.kind, result.id, result.data, result.lines, result.columns)
    if isinstance(result, DocumentText):
        return ("text", result.name, result.pages, result.labels, result.corrected)
    return None


def _thawed(value: tuple[Any, ...] | None, rel: str) -> Parsed:
    if value is None:
        return None
    if value[0] == "record":
        _, kind, id_, data, lines, columns = value
        return RawRecord(kind=kind, id=id_, path=rel, data=data, lines=lines, columns=columns)
    _, name, pages, labels, corrected = value
    return DocumentText(name, pages, labels, corrected=corrected)


def _parse_file(raw: bytes, *, kind: str, stem: str, rel: str, problems: list[Problem]) -> RawRecord | None:
    text = _decode(raw, rel, problems)
    if text is None:
        return None
    parsed = parse_yaml(text, rel, problems)
    if parsed is None:
        return None
    data, lines, columns = parsed
    return RawRecord(kind=kind, id=stem, path=rel, data=data, lines=lines, columns=columns)


def check_id(stem: str) -> str | None:
    """Why ``stem`` cannot be an id because of its length or a reserved word (the pattern is checked apart)."""
    if len(stem) > MAX_ID_LENGTH:
        return (
            f"Die Kennung hat {len(stem)} Zeichen, erlaubt sind höchstens {MAX_ID_LENGTH}: "
            f"kürzen, z. B. „{stem[:40].rstrip('-')}“"
        )
    if stem in RESERVED_IDS:
        return (
            f"„{stem}“ ist als Kennung reserviert (die Übersichtsseite des Bereichs heißt so): "
            f"einen genaueren Namen wählen, z. B. „{stem}-2013“"
        )
    return None


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
    bad = bad_characters(text, rel)
    if bad:
        problems += bad
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(Problem(rel, 1, "empty-file", "Die Datei ist leer: mindestens die Pflichtfelder eintragen"))
            return None
        walk = _Walk(loader, rel)
        data = walk.value(node, ())
    except (_TooComplex, RecursionError):
        message = (
            f"Die YAML-Aliase expandieren zu mehr als {MAX_NODES:,} Knoten oder {MAX_TEXT:,} Zeichen: "
            "Aliase (*) vermeiden"
        ).replace(",", ".")
        problems.append(Problem(rel, node.start_mark.line + 1, "too-complex", message))
        return None
    except _Refused as exc:
        problems.append(Problem(rel, exc.line, exc.code, exc.message, column=exc.column))
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
    for line, column, key, first in walk.duplicates:
        message = (
            f"Der Schlüssel „{key}“ steht hier zum zweiten Mal (zuerst in Zeile {first}): einen der beiden löschen; "
            "geprüft wird der erste"
        )
        problems.append(Problem(rel, line, "duplicate-key", message, column=column))
    if walk.refused:
        problems += walk.refused
        return None
    if not isinstance(data, dict):
        message = "Ein Datensatz ist eine Zuordnung von Feldern („feld: wert“), keine Liste und kein einzelner Wert"
        problems.append(Problem(rel, node.start_mark.line + 1, "wrong-type", message))
        return None
    # With a duplicate key the data (first value kept) is still handed on, so that the rest of the file is checked
    # in the same run; the duplicate-key problem stops the build all the same.
    return data, walk.lines, walk.columns


class _TooComplex(Exception):
    pass


class _Refused(Exception):
    """A construct the walk does not expand (a merge key, a type tag): reported where it stands."""

    def __init__(self, node: yaml.Node, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column = node.start_mark.line + 1, node.start_mark.column + 1
        self.code, self.message = code, message


_KINDS_OF_CHARACTER = (
    (re.compile(f"[{_BIDI}]"), "ein Steuerzeichen für die Schreibrichtung, das die Anzeige umordnet"),
    (re.compile(f"[{_NONCHARACTER}\\ud800-\\udfff]"), "kein gültiges Unicode-Zeichen"),
)


def _character_message(char: str) -> str:
    what = next((text for pattern, text in _KINDS_OF_CHARACTER if pattern.match(char)), "ein Steuerzeichen")
    return f"Unzulässiges Zeichen U+{ord(char):04X} ({what}): das Zeichen löschen"


def bad_characters(text: str, rel: str) -> list[Problem]:
    """An ``invalid-character`` problem, with line and column, for each refused character typed into ``text``."""
    if not _BAD_IN_BMP.search(text) and not _BEYOND_BMP.search(text):
        return []
    found = []
    for match in BAD_CHARACTER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(Problem(rel, line, "invalid-character", _character_message(match.group()), column=column))
        if len(found) == 20:
            break
    return found


_STR, _NULL, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int", "float", "seq", "map")
)  # what YAML gives plain values, lists and mappings; any other tag (!!binary, !!set, !!python/…) is refused
MAX_DIGITS = 30  # an integer longer than this is no page number or figure (and 4,300 digits crash Python)


class _Walk:
    """One pass over the composed YAML: builds the data, records each key's line, finds duplicate keys, and
    stops once aliases have expanded to more than :data:`MAX_NODES` nodes (a recursive alias never ends)."""

    def __init__(self, loader: yaml.SafeLoader, rel: str) -> None:
        self.loader, self.rel = loader, rel
        self.lines: dict[Path_, int] = {}
        self.columns: dict[Path_, int] = {}
        self.duplicates: list[tuple[int, int, str, int]] = []  # line, column, key, line of the first
        self.refused: list[Problem] = []  # values with refused characters (escaped, as "\\0", so not seen before)
        self.budget = MAX_NODES
        self.text_budget = MAX_TEXT  # an alias of a long text costs the text's length, not one node

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooComplex
        if path not in self.lines:
            self.lines[path] = node.start_mark.line + 1
            self.columns[path] = node.start_mark.column + 1
        if node.tag not in _PLAIN_TAGS:
            raise _Refused(
                node,
                "yaml-feature",
                f"Der YAML-Typ „{node.tag.replace('tag:yaml.org,2002:', '!!')}“ wird nicht gelesen: "
                "den Wert ohne Typangabe schreiben (Text, Zahl, true/false, Liste oder Zuordnung)",
            )
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(child, (*path, index)) for index, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise _Refused(
                        key_node,
                        "yaml-feature",
                        "Zusammenführen mit „<<“ wird nicht gelesen (es verbirgt, woher ein Wert stammt, und "
                        "umgeht die Grenze für Aliase): die Felder ausschreiben",
                    )
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                    raise _Refused(key_node, "wrong-type", "Ein Feldname ist ein einfacher Text, z. B. „title“")
                key = self.scalar(key_node)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    key = str(key)
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if key in result:
                    # Reported, and the first value kept: the second is still walked (aliases, characters), but
                    # into lines of its own, so that the kept value's lines stay where they are.
                    self.duplicates.append((line, column, str(key), self.lines[(*path, key)]))
                    kept = self.lines, self.columns
                    self.lines, self.columns = {}, {}
                    try:
                        self.value(value_node, (*path, key))
                    finally:
                        self.lines, self.columns = kept
                    continue
                self.lines[(*path, key)] = line
                self.columns[(*path, key)] = column
                result[key] = self.value(value_node, (*path, key))
            return result
        return self.loader.construct_object(node, deep=True)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        self.text_budget -= len(node.value)
        if self.text_budget < 0:
            raise _TooComplex
        if node.tag == _STR:
            bad = _BAD_IN_VALUE.search(node.value)
            if bad:
                message = _character_message(bad.group())
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
                self.refused.append(Problem(self.rel, line, "invalid-character", message, column=column))
            return node.value
        if node.tag == _NULL:
            return None
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_DIGITS:  # 0x…, 0b…, 1_000 … too
            raise _Refused(node, "invalid-value", f"Die Zahl hat mehr als {MAX_DIGITS} Ziffern")
        return self.loader.construct_object(node, deep=True)
