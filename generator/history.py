"""Change history of the record files, from git: one ``git log`` over the whole content folder.

Outside a git checkout (or without git) the build still works; the pages then say that the history is not
available.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

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
                f"--format={SEPARATOR}%ad{SEPARATOR}%s",
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
    for line in result.stdout.splitlines():
        if line.startswith(SEPARATOR):
            _, time, message = line.split(SEPARATOR, 2)
            change = Change(time, message)
        elif line and change is not None:
            history.setdefault(line, []).append(change)
    return history
