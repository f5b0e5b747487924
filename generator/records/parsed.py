"""The parsed-record cache of ``build`` (``records.marshal`` in the build cache folder): what each record file and
each document text gave when it was last parsed, keyed by its path and the SHA-256 of its bytes, so that a build
after a small change parses only the files that changed (parsing is most of the load stage).

Keyed by contents, not by times: a CI checkout gives every file a new time. The file (:mod:`generator.records.stored`)
holds plain data only (what the YAML gave, the line maps, the problems as tuples), behind a header with this module's
format, the records layer's code, PyYAML's and libyaml's versions; a foreign or damaged one is not used, and every
file is parsed again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.records.problems import CODES, Problem
from generator.records.stored import StoredTable, code_files, header, is_tuple

FORMAT = 1
FILE_NAME = "records.marshal"

# One entry: what the file gave as plain data (``load._frozen``; None when it gave nothing), and its problems.
Entry = tuple[tuple[Any, ...] | None, tuple[tuple[Any, ...], ...]]


def _header() -> bytes:
    """What the cached results depend on besides each file's bytes: the records layer's code, PyYAML and libyaml."""
    libyaml = yaml._yaml.get_version_string() if getattr(yaml, "__with_libyaml__", False) else "-"
    return header(
        "parsed-records",
        parts=[f"format {FORMAT}", f"yaml {yaml.__version__}", f"libyaml {libyaml}"],
        files=code_files("records"),
    )


def _valid(stored: Any) -> bool:
    """An entry as the loader stores it: the file's SHA-256, what it gave, its problems."""
    if not (is_tuple(stored, bytes, tuple) and is_tuple(stored[1], None, tuple)):
        return False
    value, problems = stored[1]
    if not all(is_tuple(p, str, int, str, str, bool, int) and p[2] in CODES for p in problems):
        return False
    if value is None:
        return True
    record = is_tuple(value, str, str, str, dict, dict, dict) and value[0] == "record"
    return record or (is_tuple(value, str, str, tuple, tuple, bool) and value[0] == "text")


class ParsedCache(StoredTable):
    """The build cache's parsed records in ``folder``: entries ``(SHA-256 of the file's bytes, Entry)`` by the
    file's path; :meth:`save` writes what this build read (files no longer there drop out)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder / FILE_NAME, _header(), entry=_valid)


def problem_tuple(problem: Problem) -> tuple[Any, ...]:
    return (problem.path, problem.line, problem.code, problem.message, problem.in_content, problem.column)


def problem_from(fields: tuple[Any, ...]) -> Problem:
    path, line, code, message, in_content, column = fields
    return Problem(path, line, code, message, in_content=in_content, column=column)
