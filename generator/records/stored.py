"""One file of a build cache's plain data (the parsed records, the rendered pages): a ``marshal`` dump behind a
header line that names what made it (a format and the checksums of the code whose results it holds) and the dump's
own SHA-256.

A file with another header is foreign (another version made it) and is not used; one whose checksum does not match
is damaged and not used, with a warning. Either way the caller starts from nothing and writes the file anew. It
holds plain data only (texts, numbers, lists, tuples, dicts), and nothing is run from it.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def header(name: str, *, parts: Iterable[str], files: Iterable[Path]) -> bytes:
    """The first line of such a file: ``name``, then a checksum of Python's version, ``parts`` and ``files``."""
    sha = hashlib.sha256(f"python {sys.version}\n".encode())
    for part in parts:
        sha.update(part.encode() + b"\n")
    for path in files:
        sha.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes())
    return f"{name} {sha.hexdigest()}\n".encode()


def read_stored(path: Path, head: bytes) -> dict[Any, Any]:
    """The table stored in ``path`` under ``head``; empty when there is none, or it is foreign or damaged."""
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
        if not isinstance(table, dict):
            raise ValueError("not a table")
    except (ValueError, EOFError, TypeError) as exc:
        log.warning("%s is damaged (%s): it is made anew", path, exc)
        return {}
    return table


def write_stored(path: Path, head: bytes, table: dict[Any, Any]) -> None:
    """Write ``table`` into ``path`` atomically; a file that cannot be written is a warning (the build goes on)."""
    payload = marshal.dumps(table)
    temporary = path.with_name(f".{path.name}.neu")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(head + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("%s not written (%s): the next build starts without it", path, exc)
