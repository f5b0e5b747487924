"""One build at a time: an advisory lock on the folders a build writes.

A build holds an exclusive :func:`fcntl.flock` on one lock file per folder it writes, beside that folder and named
after it: ``site`` → ``.site.lock``, ``build/docs`` → ``build/.docs.lock`` (which also stands for the static folder
``build/docs.static``). Builds into other folders run side by side; builds sharing the docs or the site folder
run one after the other. The locks are taken in a fixed order, so two builds never wait for each other crosswise.

A second build waits up to :data:`WAIT_SECONDS`, saying once that it does: 10 minutes, more than ten times a full
build at 10,000 records, so an editor's second ``make site`` simply runs after the first, while a CI job behind a
hung build still ends. If the other build still runs then, it gives up with :class:`LockedError` (a
:class:`~generator.publish.builder.BuildError`: one clear message, exit 1) before writing anything.

The kernel drops a lock as soon as its holder ends, however (even ``kill -9``): a lock is never stale. The lock
file holds the holder's process id (named in the messages) and is removed on release while still locked; a waiter
that got the lock on a removed file takes the new one instead. Forked processes (the MkDocs shard workers) close
their copy of the lock at once, so a worker that outlives its build cannot keep the folders locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from generator.publish.builder import BuildError

log = logging.getLogger(__name__)

WAIT_SECONDS = 600.0  # how long a second build waits for the first
POLL_SECONDS = 0.1

_held: set[int] = set()  # the descriptors of the locks this process holds


class LockedError(BuildError):
    """Another build still writes the same folders; nothing was changed."""


@contextlib.contextmanager
def folders_locked(*folders: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock on every one of ``folders`` (waiting up to ``wait`` seconds, default :data:`WAIT_SECONDS`).

    Not re-entrant: a process that holds the lock and asks for it again waits for itself.
    """
    wait = WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + wait
    taken: list[tuple[Path, int]] = []
    try:
        for path in sorted({lock_file(folder) for folder in folders}):
            taken.append((path, _acquire(path, deadline, folders, wait)))
        yield
    finally:
        for path, fd in reversed(taken):
            _release(path, fd)


def lock_file(folder: Path) -> Path:
    """``build/docs`` → ``build/.docs.lock`` (absolute)."""
    folder = folder.resolve()
    return folder.with_name(f".{folder.name}.lock")


def _acquire(path: Path, deadline: float, folders: tuple[Path, ...], wait: float) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockedError(
                    f"{_running(folders, path)} und war nach {_duration(wait)} nicht fertig; dieser Build wurde "
                    "abgebrochen, die Website wurde nicht verändert. Später erneut bauen."
                ) from None
            if not told:
                log.warning("%s; dieser Build wartet bis zu %s darauf.", _running(folders, path), _duration(wait))
                told = True
            time.sleep(POLL_SECONDS)
            continue
        except BaseException:
            os.close(fd)
            raise
        if _is_current(fd, path):
            _held.add(fd)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # the previous holder removed this file on release: lock the one now at ``path``


def _is_current(fd: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _release(path: Path, fd: int) -> None:
    _held.discard(fd)
    try:
        path.unlink(missing_ok=True)  # while still locked (see the module's description)
    finally:
        os.close(fd)


def _running(folders: tuple[Path, ...], path: Path) -> str:
    names = ", ".join(f"{folder.as_posix().rstrip('/')}/" for folder in folders)
    try:
        holder = f"; Prozess {int(path.read_text(encoding='ascii'))}"
    except (OSError, ValueError):
        holder = ""  # just being released, or not yet written
    return f"Ein anderer Build läuft gerade in diesen Ordnern ({names}{holder})"


def _duration(seconds: float) -> str:
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} Minute" if minutes == 1 else f"{minutes} Minuten"
    return f"{seconds:g} s"


def _close_in_child() -> None:
    for fd in _held:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)
