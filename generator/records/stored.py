"""One file of plain data that a build or an import keeps for the next run (the parsed records, the rendered pages,
the importer's view of the content): a ``marshal`` dump behind a header line that names what made it (a format and
the checksums of the code whose results it holds) and the dump's own SHA-256.

A file with another header is foreign (another version made it) and is not used; one whose checksum does not match,
or whose entries have not the shape the caller expects, is damaged and not used, with a warning. Either way the
caller starts from nothing and writes the file anew. It holds plain data only (texts, numbers, lists, tuples,
dicts), and nothing is run from it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import marshal
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent.parent  # generator/


def header(name: str, *, parts: Iterable[str], files: Iterable[Path]) -> bytes:
    """The first line of such a file: ``name``, then a checksum of Python's version, ``parts``, this module and
    ``files`` (by their path below the package and their bytes). A file that cannot be read makes a header that
    matches no other: the results are then made anew each run."""
    sha = hashlib.sha256(f"python {sys.version}\n".encode())
    for part in parts:
        sha.update(part.encode() + b"\n")
    for path in sorted({Path(__file__).resolve(), *(p.resolve() for p in files)}):
        try:
            where = path.relative_to(PACKAGE).as_posix() if path.is_relative_to(PACKAGE) else path.name
            sha.update(where.encode() + b"\0" + path.read_bytes())
        except OSError:
            sha.update(os.urandom(16))
    return f"{name} {sha.hexdigest()}\n".encode()


def code_files(*folders: str) -> list[Path]:
    """Every Python module and template below these folders of the package (``"records"``, ``"pages"`` …)."""
    return sorted(
        p for folder in folders for p in (PACKAGE / folder).rglob("*") if p.is_file() and p.suffix in {".py", ".j2"}
    )


def read_stored(path: Path, head: bytes, *, entry: Callable[[Any], bool]) -> dict[Any, Any]:
    """The table stored in ``path`` under ``head``, each of whose values passes ``entry`` (the shape the caller
    expects); empty when there is none, or it is foreign or damaged."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        log.warning("%s cannot be read (%s): it is made anew", path, exc)
        return {}
    if not blob.startswith(head):
        log.info("%s is from another version: it is made anew", path)
        return {}
    digest, payload = blob[len(head) : len(head) + 32], blob[len(head) + 32 :]
    try:
        if hashlib.sha256(payload).digest() != digest:
            raise ValueError("checksum does not match")
        table = marshal.loads(payload)
        if not isinstance(table, dict) or not all(isinstance(k, str) and entry(v) for k, v in table.items()):
            raise ValueError("not a table of the expected entries")
    except (ValueError, EOFError, TypeError, IndexError) as exc:
        log.warning("%s is damaged (%s): it is made anew", path, exc)
        return {}
    return table


def write_stored(path: Path, head: bytes, table: dict[Any, Any]) -> None:
    """Write ``table`` into ``path`` atomically (whatever lies there is replaced); a file that cannot be written is
    a warning (the build or import goes on, the next one starts without it)."""
    temporary = path.with_name(f".{path.name}.neu")
    try:
        payload = marshal.dumps(table)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        temporary.write_bytes(head + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except (OSError, ValueError) as exc:  # ValueError: a value marshal cannot store
        log.warning("%s not written (%s): the next run starts without it", path, exc)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


class StoredTable:
    """A table of such a file, each entry headed by the digest of what it was made from: read at the start of a run,
    made anew as the run goes (an entry still valid is carried over, a new one put), and written at its end if it
    differs from the one read (entries no longer asked for drop out)."""

    def __init__(self, path: Path, head: bytes, *, entry: Callable[[Any], bool]) -> None:
        self.path, self.head = path, head
        self._old: dict[str, tuple[Any, ...]] = read_stored(path, head, entry=entry)
        self._new: dict[str, tuple[Any, ...]] = {}
        self._changed = False

    def sample(self, count: int) -> list[str]:
        """The keys of the first ``count`` entries the file held when it was read (none: an empty, foreign or
        damaged file)."""
        return list(itertools.islice(self._old, count))

    def get(self, key: str, digest: bytes) -> tuple[Any, ...] | None:
        """The entry stored under ``key`` if it was made from ``digest``; it is then kept for the next run."""
        found = self._old.get(key)
        if found is None or found[0] != digest:
            return None
        self._new[key] = found
        return found

    def put(self, key: str, entry: tuple[Any, ...]) -> None:
        """A new entry under ``key``: its first item is the digest it was made from."""
        self._new[key] = entry
        self._changed = True

    def made(self) -> tuple[dict[str, tuple[Any, ...]], bool]:
        """This run's entries so far, and whether any is new: for the process that shares this run's work to hand
        back (:meth:`take`)."""
        return self._new, self._changed

    def take(self, made: tuple[dict[str, tuple[Any, ...]], bool]) -> None:
        """Count in the entries another process made in this run (its :meth:`made`)."""
        self._new.update(made[0])
        self._changed |= made[1]

    def save(self) -> None:
        """Write this run's table, if it differs from the one read."""
        if self._changed or self._new.keys() != self._old.keys():
            write_stored(self.path, self.head, self._new)


def is_tuple(value: Any, *types: type | None) -> bool:
    """``value`` is a tuple of as many items as ``types``, each of its type (``None``: anything)."""
    return (
        isinstance(value, tuple)
        and len(value) == len(types)
        and all(t is None or isinstance(v, t) for v, t in zip(value, types, strict=True))
    )
