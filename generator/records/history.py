"""Change history of the record files, from git: one ``git log`` over the whole content folder.

A commit message is an editor's working note and is never shown. What the public reads is the commit's trailer
``Änderung: …``, written on purpose for citizens (``git commit -m "…" -m "Änderung: Status der Regionaldirektion
korrigiert"``); a commit without one counts for "Zuletzt geändert" only. Outside a git checkout (or without git)
the build still works; the pages then say that the history is not available.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.records.load import BAD_CHARACTER

log = logging.getLogger(__name__)


TRAILER = "Änderung"  # the public change note of a commit: "Änderung: Titel der Vorlage berichtigt"


@dataclass(frozen=True, slots=True)
class Change:
    time: str  # ISO 8601 with offset, e.g. 2026-11-25T15:22:52+01:00 (a plain YYYY-MM-DD is accepted too)
    note: str | None  # the public note (trailer "Änderung:"), or None: then only the date is public

    @property
    def date(self) -> str:
        """YYYY-MM-DD."""
        return self.time[:10]


def read_history(content_dir: Path) -> dict[str, list[Change]] | None:
    """Commits touching each file (path relative to the content folder), newest first; ``None`` without git."""
    try:
        result = subprocess.run(
            [
                "git",
                "-C",
                str(content_dir),
                "log",
                "--relative",
                "--name-only",
                "--date=iso-strict",
                "--format=%x00%h%x00%ad%x00%B%x00",  # NUL cannot stand in a commit message
                "--",
                ".",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        log.info("no git history for %s: %s", content_dir, result.stderr.strip())
        return None
    history: dict[str, list[Change]] = {}
    fields = result.stdout.split("\0")[1:]  # per commit: hash, date, message, then the file names
    for start in range(0, len(fields) - 3, 4):
        commit, time, body, names = fields[start : start + 4]
        change = _change(commit, time, note_of(body))
        if change is not None:
            for name in names.split("\n"):
                if name.strip():
                    history.setdefault(name.strip(), []).append(change)
    return history


_NOTE = re.compile(rf"^\s*(?:{TRAILER}|Aenderung)\s*:\s*(.+)$", re.I | re.M)


def note_of(message: str) -> str:
    """The public note of a commit message: its lines ``Änderung: …`` (git's own trailers allow ASCII keys only,
    so the line is read here), joined; empty if there is none."""
    return " ".join(match.group(1).strip() for match in _NOTE.finditer(message))


def _change(commit: str, time: str, message: str) -> Change | None:
    """One commit as a change with its public note; a commit whose date is not a real date (git takes the year
    10000) is skipped and a note's control characters are dropped, each with a warning: the history never stops
    a build."""
    try:
        when = dt.datetime.fromisoformat(time)
    except ValueError:
        log.warning("git commit %s: date %r is not a real date; left out of the change history", commit, time)
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    clean = " ".join(BAD_CHARACTER.sub(" ", message).split())
    if clean != " ".join(message.split()):
        log.warning("git commit %s: control characters in the change note dropped", commit)
    return Change(when.isoformat(), clean or None)
