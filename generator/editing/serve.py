"""``python -m generator serve``: a live preview on localhost that follows every change in ``content/``.

The server serves the preview's site folder and adds a tiny script to every HTML page that asks whether the site
has changed: the server holds that request open until the next update (or for a while), so the page reloads as
soon as an update is done. A second thread watches the content folder and updates the preview
(:class:`generator.editing.preview.Preview`) as soon as the file system tells of a change. A change that makes the
content invalid is printed in the terminal; the last good site stays online.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from generator.editing.preview import Preview
from generator.publish.builder import BuildError
from generator.records.load import Stamps, file_stamps, said_unread
from generator.records.problems import ContentError

log = logging.getLogger(__name__)

VERSION_PATH = "/__vorschau__/version"
# The page knows the version it was served with and asks for a later one (``?nach=3``): the answer comes when there
# is one, or after HOLD_SECONDS, and the page then reloads or asks again. Only a page that is shown asks (a browser
# opens at most six connections to a host: six waiting tabs would stall every other request); a tab shown again
# asks at once. After an error (the preview stopped), or an answer that came at once but said nothing new (a server
# that does not wait), it asks again a second later.
_RELOAD = (
    "<script>(function(){var v=VERSION,busy=false;function ask(){if(busy||document.hidden)return;busy=true;"
    "var t0=Date.now();"
    f"fetch('{VERSION_PATH}?nach='+v,{{cache:'no-store'}})"
    ".then(function(r){if(!r.ok)throw r;return r.text()})"
    ".then(function(t){busy=false;if(String(t)!==String(v)){location.reload();return}"
    "setTimeout(ask,Date.now()-t0<1000?1000:0)})"
    ".catch(function(){busy=false;setTimeout(ask,1000)})}"
    "document.addEventListener('visibilitychange',ask);ask()})();</script>"
)


def reload_script(version: int) -> str:
    """The script added to every page the preview serves, for a page served at ``version``."""
    return _RELOAD.replace("VERSION", str(version), 1)


HOLD_SECONDS = 20.0


class State:
    """What the server and the watcher share: the site's version, bumped after each successful update."""

    def __init__(self) -> None:
        self.version = 0
        self._bumped = threading.Condition()

    def bump(self) -> None:
        with self._bumped:
            self.version += 1
            self._bumped.notify_all()

    def after(self, known: int, *, timeout: float) -> int:
        """The version, once it is another than ``known`` or ``timeout`` seconds have passed."""
        with self._bumped:
            self._bumped.wait_for(lambda: self.version != known, timeout)
            return self.version


class Handler(SimpleHTTPRequestHandler):
    state: State
    hold = HOLD_SECONDS  # how long a question for a new version is held open

    def do_GET(self) -> None:
        address, _, query = self.path.partition("?")
        if address == VERSION_PATH:
            known = urllib.parse.parse_qs(query).get("nach", [""])[0]
            asked = known.isascii() and known.isdigit() and len(known) < 20  # a version this server can have given
            version = self.state.after(int(known), timeout=self.hold) if asked else self.state.version
            self._send(str(version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            version = self.state.version  # before the file is read: an update after it is then seen at once
            html = path.read_bytes().replace(b"</body>", reload_script(version).encode() + b"</body>", 1)
            self._send(html, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the page was closed or reloaded while it waited
            log.debug("%s: the browser left before the answer", self.path)

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)


def watch(
    preview: Preview,
    state: State,
    stop: threading.Event,
    *,
    interval: float = 0.2,
    check: float = 5.0,
    ready: threading.Event | None = None,
) -> None:
    """Update the preview whenever the content folder changes, until ``stop`` is set (``ready`` is set once the
    notices are set up).

    The file system tells of a change at once (watchdog: inotify on Linux); the files' stamps are then compared
    with those of the last update, so a notice only says "look". Where no notices can be had, the stamps are
    compared every ``interval`` seconds; with notices, every ``check`` seconds as well, in case one is lost. Where
    two such checks in a row find a change that no notice told of (some network or container folders take the
    notices' set-up and then send none), the watcher says so and compares every ``interval`` seconds from then on.
    (Comparing the stamps reads the folder: 0.25 s at 10,000 records.)
    """
    woken = threading.Event()
    observer = _observer(preview.paths.content, woken)
    every = interval if observer is None else check
    woken.set()  # what changed during the first build
    if ready is not None:
        ready.set()
    last, untold = time.monotonic(), 0
    try:
        while not stop.is_set():
            if not woken.wait(min(interval, 0.1)) and time.monotonic() - last < every:
                continue
            noticed = woken.is_set()
            if noticed:
                time.sleep(SETTLE_SECONDS)  # an editor's save is often several writes: take them together
            woken.clear()
            last = time.monotonic()
            try:
                stamps = file_stamps(preview.paths.content)
            except Exception:  # the folder cannot be read just now: look again at the next notice or check
                log.exception("Der Ordner %s konnte nicht gelesen werden", preview.paths.content)
                continue
            if stamps == preview.stamps:
                continue
            if observer is not None and every != interval:
                # A change that no notice told of, not even a late one (watchdog holds a move out of the folder
                # back for 0.5 s); twice in a row, and the folder is taken to send none.
                untold = 0 if noticed or woken.wait(NOTICE_SECONDS) else untold + 1
                if untold == UNTOLD_CHANGES:
                    print(
                        f"Änderungen in {preview.paths.content} werden nicht gemeldet: die Vorschau sieht alle "
                        f"{interval:g} s nach",
                        file=sys.stderr,
                    )
                    every = interval
            _update(preview, state, stamps)
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)


SETTLE_SECONDS = 0.05
NOTICE_SECONDS = 2.0  # how long a notice may take to arrive after the change that a check found
UNTOLD_CHANGES = 2  # changes in a row that no notice told of, before the folder is polled
# What a change of the content is; opening, reading and closing a file unchanged are not (the preview reads them).
_CHANGES = {"created", "deleted", "modified", "moved", "closed", "attrib"}


class _Wake(FileSystemEventHandler):
    def __init__(self, folder: Path, woken: threading.Event) -> None:
        self.folder, self.woken = str(folder), woken

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # a folder is "modified" beside each file made or removed in it, which has its own notice
        paths = (event.src_path, event.dest_path)
        if not all(_unread(self.folder, path, folder=event.is_directory) for path in paths):
            self.woken.set()


def _unread(content: str, path: str | bytes, *, folder: bool) -> bool:
    """Whether the content folder's stamps leave ``path`` out without a word: what lies in a hidden folder, git's
    folder, a hidden file that is no record (an editor's swap file); an empty path (a notice without a second
    path) too. Hidden record files and folders are in the stamps (the preview says they are not read)."""
    text = os.fsdecode(path)
    if not text:
        return True
    parts = os.path.relpath(text, content).split(os.sep)
    if any(part.startswith(".") and part not in (".", "..") for part in parts[:-1]):
        return True
    name = parts[-1]
    if not name.startswith(".") or name in (".", ".."):
        return False
    return not said_unread(name, folder=folder)


def _observer(folder: Path, woken: threading.Event) -> BaseObserver | None:
    """Notices of changes below ``folder``, or ``None`` where the system gives none (the stamps are then polled)."""
    observer = Observer()
    try:
        observer.schedule(_Wake(folder, woken), str(folder), recursive=True)
        observer.start()
    except OSError as error:  # e.g. the inotify limits reached
        log.warning("Änderungen in %s werden abgefragt statt gemeldet (%s)", folder, error)
        return None
    return observer


def _update(preview: Preview, state: State, stamps: Stamps) -> None:
    """One update; whatever fails is said in the terminal and the last good site stays (the changes are taken up
    again by the next update)."""
    try:
        update = preview.update(stamps)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem.located(preview.paths.content), file=sys.stderr)
        print(f"{len(exc.problems)} Problem(e) – die Vorschau zeigt weiter den letzten guten Stand.", file=sys.stderr)
        return
    except (BuildError, OSError) as exc:  # OSError: e.g. a file removed while it was read
        print(f"{exc} – die Vorschau zeigt weiter den letzten guten Stand.", file=sys.stderr)
        return
    except Exception:  # a fault of the generator: the watcher goes on, the next change is tried again
        log.exception("Die Vorschau konnte nicht aktualisiert werden; sie zeigt weiter den letzten guten Stand")
        return
    state.bump()
    print(f"Aktualisiert: {len(update.pages)} Seite(n) in {update.seconds:.2f} s", file=sys.stderr)


@dataclass(frozen=True, slots=True)
class Running:
    url: str  # the server's address, ``http://127.0.0.1:8000``
    state: State


@contextlib.contextmanager
def running(preview: Preview, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[Running]:
    """The preview's server and watcher, each in a thread, until the block ends (``port`` 0: any free one); the
    preview must have been built."""
    state, stop = State(), threading.Event()
    handler = functools.partial(type("BoundHandler", (Handler,), {"state": state}), directory=str(preview.paths.site))
    server = ThreadingHTTPServer((host, port), handler)
    watcher = threading.Thread(target=watch, args=(preview, state, stop), daemon=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    watcher.start()
    try:
        yield Running(f"http://{host}:{server.server_address[1]}", state)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        watcher.join(timeout=10)


def serve(preview: Preview, *, host: str, port: int) -> None:
    """Build once, then serve and follow changes until interrupted (Ctrl+C)."""
    started = time.perf_counter()
    preview.build_all()
    with running(preview, host=host, port=port) as preview_site:
        print(
            f"Vorschau gebaut in {time.perf_counter() - started:.1f} s: {preview_site.url}/ (Beenden mit Strg+C)",
            file=sys.stderr,
        )
        threading.Event().wait()  # until Ctrl+C
