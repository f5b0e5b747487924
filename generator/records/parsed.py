"""The parsed-record cache of ``build`` (``records.marshal`` in the build cache folder): what each record file and
each document text gave when it was last parsed, keyed by its path and the SHA-256 of its bytes, so that a build
after a small change parses only the files that changed (parsing is most of the load stage).

Keyed by contents, not by times: a CI checkout gives every file a new time. The file is one ``marshal`` dump (plain
data only: what the YAML gave, the line maps, the problems as tuples), behind a header with this module's format,
the parsing code's checksum, PyYAML's version and loader and Python's version, and the dump's own checksum. A file
with another header is foreign and not used; one whose checksum does not match is damaged and not used (a warning
says so). Either way every file is parsed again, and the cache is written anew.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.records.problems import Problem

log = logging.getLogger(__name__)

FORMAT = 1
FILE_NAME = "records.marshal"

# One entry: what the file gave as plain data (``load._frozen``; None when it gave nothing), and its problems.
Entry = tuple[tuple[Any, ...] | None, tuple[tuple[Any, ...], ...]]


def _header() -> bytes:
    """What the cached results depend on besides each file's bytes."""
    sha = hashlib.sha256(f"format {FORMAT}\npython {sys.version}\nyaml {yaml.__version__}\n".encode())
    sha.update(f"libyaml {getattr(yaml, '__with_libyaml__', False)}\n".encode())
    here = Path(__file__).parent
    for module in ("load.py", "parsed.py", "problems.py", "texts.py"):  # the parsing and its messages
        sha.update((here / module).read_bytes())
    return f"parsed-records {sha.hexdigest()}\n".encode()


class ParsedCache:
    """The cache read from ``folder``; :meth:`get` answers from it, :meth:`put` records a new result, :meth:`save`
    writes what this build read (files no longer there drop out)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._old: dict[str, tuple[bytes, Entry]] = {}
        self._new: dict[str, tuple[bytes, Entry]] = {}
        self._changed = False
        self._read()

    def _read(self) -> None:
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("%s cannot be read (%s): every record file is parsed again", self.path, exc)
            return
        header = _header()
        if not blob.startswith(header):
            log.info("%s is from another version: every record file is parsed again", self.path)
            return
        digest, payload = blob[len(header) : len(header) + 32], blob[len(header) + 32 :]
        try:
            if hashlib.sha256(payload).digest() != digest:
                raise ValueError("checksum does not match")
            entries = marshal.loads(payload)
            if not isinstance(entries, dict):
                raise ValueError("not a table of files")
        except (ValueError, EOFError, TypeError) as exc:
            log.warning("%s is damaged (%s): every record file is parsed again", self.path, exc)
            return
        self._old = entries

    def get(self, rel: str, digest: bytes) -> Entry | None:
        """What the file ``rel`` gave last time, if its bytes had the SHA-256 ``digest`` then."""
        found = self._old.get(rel)
        if found is None or found[0] != digest:
            self._changed = True
            return None
        self._new[rel] = found
        return found[1]

    def put(self, rel: str, digest: bytes, entry: Entry) -> None:
        self._new[rel] = (digest, entry)
        self._changed = True

    def save(self) -> None:
        """Write the results of this build's files, if any differ from the cache read (atomically; a cache that
        cannot be written is a warning, the build goes on)."""
        if not self._changed and self._new.keys() == self._old.keys():
            return
        payload = marshal.dumps(self._new)
        temporary = self.path.with_name(f".{FILE_NAME}.neu")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(_header() + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, self.path)
        except OSError as exc:
            log.warning("%s not written (%s): the next build parses every record file", self.path, exc)


def problem_tuple(problem: Problem) -> tuple[Any, ...]:
    return (problem.path, problem.line, problem.code, problem.message, problem.in_content, problem.column)


def problem_from(fields: tuple[Any, ...]) -> Problem:
    path, line, code, message, in_content, column = fields
    return Problem(path, line, code, message, in_content=in_content, column=column)
