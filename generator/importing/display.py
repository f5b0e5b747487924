"""The import's progress on the command line (rich): a bar per list with counts and the time left."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

NAMES = {
    "legislative_terms": "Wahlperioden",
    "organizations": "Organisationen",
    "persons": "Personen",
    "sessions": "Sitzungen",
    "papers": "Vorlagen",
    "files": "Dateien",
}


class Bars:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def _task(self, kind: str) -> TaskID:
        if kind not in self.tasks:
            self.tasks[kind] = self.progress.add_task(NAMES.get(kind, kind), total=None)
        return self.tasks[kind]

    def total(self, kind: str, count: int) -> None:
        self.progress.update(self._task(kind), total=count)

    def advance(self, kind: str) -> None:
        self.progress.advance(self._task(kind))


@contextmanager
def bars() -> Iterator[Bars | None]:
    """Progress bars on a terminal; nothing where the output goes to a file or a CI log."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        yield Bars(progress)
