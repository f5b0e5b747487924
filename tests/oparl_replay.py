"""A replay HTTP server for OParl crawls: serves a folder of recorded responses on 127.0.0.1, for the importer's tests.

The folder holds one file per HTTP response, named after the address below the original base plus `.json`, query
string included (`system.json`, `body/1/paper.json`, `body/1/paper?page=2.json`, …), as in
../shared/oparl-samples/huertgenwald/. Every response body has the original base replaced by the server's own
(`Replay.url`), so that ids and links lead back to the replay server.

    with Replay(folder, base="https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/") as server:
        httpx.get(server.url + "system")

Beyond plain replay, for tests of incremental imports and of error handling:

- `modified_since=…` (the OParl 1.1 list filter) on a list request filters the recorded page (see `filter_page`);
- `fail()` answers the next requests below a path with an error status (optionally with `Retry-After`);
- `delay` adds seconds before every response;
- `overrides` serves a JSON value instead of a recorded file (a changed title, a paper deleted from a list, …);
- `requests` records every request path, in order.

Only the standard library: a `ThreadingHTTPServer` in a daemon thread; nothing is logged to stderr.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote_plus, urlencode

PARAMETER = "modified_since"
PREFIX = "/oparl/v1.0/"  # the path of Replay.url on the replay server
CONTENT_TYPE = "application/json; charset=utf-8"
_MISSING = object()


class BadRequest(ValueError):
    """A request the replay server answers with 400 (an unusable `modified_since`)."""


@dataclass
class _Fault:
    prefix: str
    remaining: int
    status: int
    retry_after: float | None


@dataclass(frozen=True)
class _Response:
    status: int
    body: str
    headers: tuple[tuple[str, str], ...] = ()


def aware(text: object) -> datetime | None:
    """An ISO 8601 datetime with a time zone, or None (not a string, not a datetime, or without a time zone)."""
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None and value.utcoffset() is not None else None


def split_modified_since(path: str) -> tuple[str, str | None]:
    """The path without its `modified_since` parameter, and that parameter's decoded value (None if absent).

    The other parameters are kept raw and in order, so that the path names the recorded file exactly:
    `body/1/paper?page=2&modified_since=…` → (`body/1/paper?page=2`, "…"). Raises BadRequest if it occurs twice.
    """
    resource, mark, query = path.partition("?")
    if not mark:
        return path, None
    kept: list[str] = []
    values: list[str] = []
    for part in query.split("&"):
        name, _, raw = part.partition("=")
        if unquote_plus(name) == PARAMETER:
            values.append(unquote_plus(raw))
        else:
            kept.append(part)
    if len(values) > 1:
        raise BadRequest(f"{PARAMETER} given {len(values)} times")
    stripped = resource + ("?" + "&".join(kept) if kept else "")
    return stripped, (values[0] if values else None)


def with_parameter(url: str, value: str) -> str:
    """`url` with `modified_since=value` appended (URL-encoded: `:` → %3A, `+` → %2B)."""
    return url + ("&" if "?" in url else "?") + urlencode({PARAMETER: value})


def filter_page(page: dict[str, Any], since: datetime, value: str) -> dict[str, Any]:
    """A list page filtered as an OParl 1.1 server answers `modified_since=value` (simplified).

    Drops from `data` every object whose `modified` is older than `since` (compared as aware datetimes; an object
    without a usable `modified` is kept) and carries the parameter along in every link of `links` (`next`, `self`,
    `first`, `last`, …), so that following `links.next` stays filtered.

    The simplification: the pages are the recorded, unfiltered pages with objects taken out, not pages of the
    filtered list. `pagination` (totalElements, totalPages, …) keeps the counts of the unfiltered pages, a page can
    be left with fewer than `elementsPerPage` objects or none at all, and `links.next` is kept whenever the
    unfiltered page has one (a client follows it through pages that may be empty).
    """
    result = dict(page)
    result["data"] = [item for item in page["data"] if _is_kept(item, since)]
    links = page.get("links")
    if isinstance(links, dict):
        result["links"] = {
            key: with_parameter(link, value) if isinstance(link, str) else link for key, link in links.items()
        }
    return result


def _is_kept(item: object, since: datetime) -> bool:
    modified = aware(item.get("modified")) if isinstance(item, dict) else None
    return modified is None or modified >= since


def _retry_after(seconds: float) -> str:
    """Whole seconds as an integer (`2`), others as a decimal (`0.1`: not HTTP's delay-seconds, but fast tests)."""
    return format(seconds, "f").rstrip("0").rstrip(".") or "0"


class Replay:
    """A replay server for the crawl in `folder`, as a context manager; `url` is its base (ends with "/").

    Thread-safe towards the test thread: `fail()` takes a lock; `delay`, `overrides` (a plain dict: set or delete
    keys) and `requests` (appended under a lock) may be read and changed while requests are served.
    """

    def __init__(self, folder: Path, base: str) -> None:
        if not base.endswith("/"):
            raise ValueError(f"base must end with '/': {base!r}")
        self.folder = folder.resolve()
        self.base = base
        self.delay: float = 0.0
        self.overrides: dict[str, object] = {}
        self.requests: list[str] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._base_url = ""  # url, kept after close() for requests still being answered
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The replay server's base, e.g. `http://127.0.0.1:PORT/oparl/v1.0/` (only while it runs)."""
        if self._server is None:
            raise RuntimeError("the replay server is not running (use it as a context manager)")
        return self._base_url

    def start(self) -> None:
        """Binds 127.0.0.1 on a free port and serves in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the replay server is already running")
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self._base_url = f"http://{host!s}:{port}{PREFIX}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="oparl-replay", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stops serving and closes the socket."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> Replay:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def reset(self) -> None:
        """No faults, overrides, delay or recorded requests: as freshly started (on the same port)."""
        with self._lock:
            self._faults.clear()
            self.overrides.clear()
            self.requests.clear()
            self.delay = 0.0

    def fail(self, path_prefix: str, times: int, status: int = 500, retry_after: float | None = None) -> None:
        """The next `times` requests whose path (below the base, query included) starts with `path_prefix` get
        `status`, with `Retry-After: retry_after` (seconds) when given. Several calls queue up in order."""
        if times < 0 or not 100 <= status <= 599 or (retry_after is not None and retry_after < 0):
            raise ValueError(f"fail({path_prefix!r}, times={times}, status={status}, retry_after={retry_after})")
        with self._lock:
            self._faults.append(_Fault(path_prefix, times, status, retry_after))

    def _respond(self, raw: str) -> _Response:
        """The response to a request for the raw request target `raw` (e.g. `/oparl/v1.0/body?page=1`)."""
        path = raw[len(PREFIX) :] if raw.startswith(PREFIX) else None
        with self._lock:
            self.requests.append(raw if path is None else path)
            fault = None if path is None else self._take_fault(path)
        if self.delay > 0:
            time.sleep(self.delay)
        if path is None:
            return self._error(404, "not below the replay base", raw)
        if fault is not None:
            headers = () if fault.retry_after is None else (("Retry-After", _retry_after(fault.retry_after)),)
            return _Response(fault.status, json.dumps({"error": "injected fault", "path": path}), headers)
        try:
            return self._serve(path)
        except BadRequest as error:
            return self._error(400, str(error), path)

    def _take_fault(self, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.remaining > 0 and path.startswith(fault.prefix):
                fault.remaining -= 1
                return fault
        return None

    def _serve(self, path: str) -> _Response:
        exact = self._override(path)  # overridden exactly as requested (modified_since included): served as is
        if exact is not None:
            return _Response(200, exact)
        stripped, value = split_modified_since(path)
        text = self._source(stripped)
        if text is None:
            return self._error(404, "no such recorded response", path)
        if value is None:
            return _Response(200, text)
        since = aware(value)
        if since is None:
            hint = " (a literal '+' means a space: encode it as %2B)" if " " in value else ""
            raise BadRequest(f"{PARAMETER} is not an ISO 8601 datetime with a time zone: {value!r}{hint}")
        page = json.loads(text)
        if isinstance(page, dict) and isinstance(page.get("data"), list):
            page = filter_page(page, since, value)
        return _Response(200, json.dumps(page, ensure_ascii=False))

    def _source(self, path: str) -> str | None:
        """The rebased JSON text for `path` (without modified_since): an override, else the recorded file."""
        override = self._override(path)
        if override is not None:
            return override
        file = (self.folder / (path + ".json")).resolve()
        if not path or not file.is_relative_to(self.folder):
            return None
        try:
            return self._rebased(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _override(self, path: str) -> str | None:
        """The rebased JSON text of the override for `path`, or None (one lookup: the test may change the dict)."""
        value = self.overrides.get(path, _MISSING)
        return None if value is _MISSING else self._rebased(json.dumps(value, ensure_ascii=False))

    def _rebased(self, text: str) -> str:
        return text.replace(self.base, self._base_url)

    @staticmethod
    def _error(status: int, message: str, path: str) -> _Response:
        return _Response(status, json.dumps({"error": message, "path": path}, ensure_ascii=False))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a request still in its `delay` must not hold up close()

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet about clients that hang up (timeouts in tests); other errors still go to stderr."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.0 (the default): one request per connection, so no kept-alive connection outlives close()."""

    server: _Server

    def do_GET(self) -> None:
        response = self.server.replay._respond(self.path)
        body = response.body.encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """No request log on stderr."""
