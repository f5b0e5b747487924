"""Change history of the record files, from git: one ``git log`` over the whole content folder.

Outside a git checkout (or without git) the build still works; the pages then say that the history is not
available.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .load import BAD_CHARACTER

log = logging.getLogger(__name__)

SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class Change:
    time: str  # ISO 8601 with offset, e.g. 2026-11-25T15:22:52+01:00 (a plain YYYY-MM-DD is accepted too)
    message: str

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
                f"--format={SEPARATOR}%h{SEPARATOR}%ad{SEPARATOR}%s",
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
    change: Change | None = None
    for line in result.stdout.split("\n"):
        if line.startswith(SEPARATOR):
            _, commit, time, message = line.split(SEPARATOR, 3)
            change = _change(commit, time, message)
        elif line and change is not None:
            history.setdefault(line, []).append(change)
    return history


def _change(commit: str, time: str, message: str) -> Change | None:
    """One commit as a change; a commit whose date is not a real date (git takes the year 10000) is skipped and a
    message's control characters are dropped, each with a warning: the history never stops a build."""
    try:
        when = dt.datetime.fromisoformat(time)
    except ValueError:
        log.warning("git commit %s: date %r is not a real date; left out of the change history", commit, time)
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    clean = " ".join(BAD_CHARACTER.sub(" ", message).split())
    if clean != " ".join(message.split()):
        log.warning("git commit %s: control characters in the message dropped for the change history", commit)
    return Change(when.isoformat(), clean or "(ohne Beschreibung)")
