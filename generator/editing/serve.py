"""``python -m generator serve``: a live preview on localhost that follows every change in ``content/``.

The server serves the preview's site folder and adds a tiny script to every HTML page that asks
whether the site has changed (every 0.3 s), and reloads the page when it has. A second thread watches the content folder
and updates the preview (:class:`generator.editing.preview.Preview`). A change that makes the content invalid is
printed in the terminal; the last good site stays online.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.editing.preview import Preview
from generator.publish.builder import BuildError
from generator.records.problems import ContentError

log = logging.getLogger(__name__)

VERSION_PATH = "/__vorschau__/version"
RELOAD_SCRIPT = (
    f"<script>(function(){{var v=null;setInterval(function(){{fetch('{VERSION_PATH}',{{cache:'no-store'}})"
    ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t})"
    ".catch(function(){})},300)})();</script>"
)


class State:
    """What the server and the watcher share: the site's version, bumped after each successful update."""

    def __init__(self) -> None:
        self.version = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.version += 1


class Handler(SimpleHTTPRequestHandler):
    state: State

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == VERSION_PATH:
            self._send(str(self.state.version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
            self._send(html, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)


def watch(preview: Preview, state: State, stop: threading.Event, *, interval: float = 0.2) -> None:
    """Update the preview whenever the content folder changes, until ``stop`` is set."""
    while not stop.wait(interval):
        if not preview.changed():
            continue
        try:
            update = preview.update()
        except ContentError as exc:
            for problem in exc.problems:
                print(problem.located(preview.paths.content), file=sys.stderr)
            print(
                f"{len(exc.problems)} Problem(e) – die Vorschau zeigt weiter den letzten guten Stand.", file=sys.stderr
            )
            continue
        except BuildError as exc:
            print(f"{exc} – die Vorschau zeigt weiter den letzten guten Stand.", file=sys.stderr)
            continue
        state.bump()
        print(f"Aktualisiert: {len(update.pages)} Seite(n) in {update.seconds:.2f} s", file=sys.stderr)


def serve(preview: Preview, *, host: str, port: int) -> None:
    """Build once, then serve and follow changes until interrupted (Ctrl+C)."""
    started = time.perf_counter()
    preview.build_all()
    print(
        f"Vorschau gebaut in {time.perf_counter() - started:.1f} s: http://{host}:{port}/ (Beenden mit Strg+C)",
        file=sys.stderr,
    )
    state = State()
    handler = functools.partial(type("BoundHandler", (Handler,), {"state": state}), directory=str(preview.paths.site))
    server = ThreadingHTTPServer((host, port), handler)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, state, stop), daemon=True)
    watcher.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
