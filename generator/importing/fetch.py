"""Reading an OParl API: over HTTP (retries with backoff on 5xx and timeouts, honouring ``Retry-After``, a polite
delay between requests) or from a folder holding a recorded crawl. Lists are followed page by page along
``links.next``; every page read is kept in a cache folder, so that an interrupted import continues where it
stopped instead of reading everything again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
from tenacity import RetryCallState, retry, retry_if_exception, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)
BERLIN = ZoneInfo("Europe/Berlin")

USER_AGENT = "transparenz-generator (OParl-Import; https://github.com/)"
TIMEOUT = 30.0
ATTEMPTS = 6
MAX_WAIT = 60.0  # seconds: the longest pause between two attempts, Retry-After included


class FetchError(Exception):
    """The source cannot be read: after all retries, or a response that is not OParl's JSON."""


class Fetcher(Protocol):
    def get(self, url: str, params: dict[str, str] | None = None) -> Any: ...


class Retryable(Exception):
    """A failure worth another try (no answer, 429, 5xx, a cut-off download), after ``retry_after`` seconds where
    the server said so; used by the import and by ``import files``."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_wait(state: RetryCallState) -> float:
    """Retry-After where the server gives it, else exponential backoff (0.5 s, 1 s, 2 s …)."""
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, Retryable) and error.retry_after is not None:
        return min(error.retry_after, MAX_WAIT)
    backoff: float = wait_exponential(multiplier=0.5, max=MAX_WAIT)(state)
    return backoff


class HttpFetcher:
    """GET with retries. ``delay`` seconds between two requests, so that a council system is not hammered."""

    def __init__(self, *, delay: float = 0.2, attempts: int = ATTEMPTS, timeout: float = TIMEOUT) -> None:
        self.client = httpx.Client(
            timeout=timeout, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}, follow_redirects=True
        )
        self.delay = delay
        self.attempts = attempts
        self._last = 0.0
        self.requests = 0

    def get(self, url: str, params: dict[str, str] | None = None) -> Any:
        getter = retry(
            retry=retry_if_exception(lambda e: isinstance(e, Retryable)),
            wait=retry_wait,
            stop=stop_after_attempt(self.attempts),
            reraise=True,
        )(self._get_once)
        try:
            return getter(url, params)
        except Retryable as exc:
            raise FetchError(f"{url}: {exc} (nach {self.attempts} Versuchen)") from None

    def _get_once(self, url: str, params: dict[str, str] | None) -> Any:
        pause = self._last + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last = time.monotonic()
        self.requests += 1
        try:
            response = self.client.get(_with_params(url, params))
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.TooManyRedirects, ValueError) as exc:
            raise FetchError(f"{url}: keine abrufbare Adresse ({exc})") from None
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise Retryable(f"keine Antwort ({type(exc).__name__})") from None
        if response.status_code in (429, 500, 502, 503, 504):
            raise Retryable(f"HTTP {response.status_code}", retry_after_seconds(response.headers.get("Retry-After")))
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code}")
        try:
            return response.json()
        except (ValueError, httpx.DecodingError):
            raise FetchError(f"{url}: die Antwort ist kein JSON") from None

    def close(self) -> None:
        self.client.close()


def _with_params(url: str, params: dict[str, str] | None) -> str:
    """The URL with ``params`` added to its own query (httpx would replace the query instead)."""
    if not params:
        return url
    return url + ("&" if urlsplit(url).query else "?") + urlencode(params)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (a number of seconds, or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class FolderFetcher:
    """A recorded crawl: one file per response, named after the address below the API's base plus ``.json``
    (query included), as in ``../shared/oparl-samples/``. ``modified_since`` is applied here, to the objects."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        system = json.loads((folder / "system.json").read_text(encoding="utf-8"))
        self.base = str(system["id"]).rsplit("/", 1)[0] + "/"
        self.requests = 0

    def get(self, url: str, params: dict[str, str] | None = None) -> Any:
        self.requests += 1
        since = (params or {}).get("modified_since")
        rest = {k: v for k, v in (params or {}).items() if k != "modified_since"}
        full = _with_params(url, rest)
        if not full.startswith(self.base):
            raise FetchError(f"{full}: liegt nicht unter {self.base}")
        path = self.folder / (full[len(self.base) :] + ".json")
        if not path.is_file():
            raise FetchError(f"{full}: nicht in der Aufzeichnung ({path.name} fehlt)")
        data = json.loads(path.read_text(encoding="utf-8"))
        if since and isinstance(data, dict) and isinstance(data.get("data"), list):
            limit = parse_time(since)
            data["data"] = [o for o in data["data"] if limit is None or not _older(o, limit)]
        return data


def _older(obj: Any, limit: dt.datetime) -> bool:
    modified = parse_time(obj.get("modified")) if isinstance(obj, dict) else None
    return modified is not None and modified < limit


def parse_time(value: Any) -> dt.datetime | None:
    """An OParl time stamp as an aware datetime (a time without zone is German local time, as council systems
    mean it); None if it is none."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BERLIN)


class CachedFetcher:
    """Keeps every response in ``folder`` (one file per URL) until :meth:`clear`: a run that was interrupted reads
    what it had from there and goes on with the rest."""

    def __init__(self, inner: Fetcher, folder: Path, *, use: bool = True) -> None:
        self.inner, self.folder, self.use = inner, folder, use
        self.hits = 0

    def get(self, url: str, params: dict[str, str] | None = None) -> Any:
        if not self.use:
            return self.inner.get(url, params)
        key = hashlib.sha256(_with_params(url, params).encode()).hexdigest()[:32]
        path = self.folder / f"{key}.json"
        if path.is_file():
            self.hits += 1
            return json.loads(path.read_text(encoding="utf-8"))
        data = self.inner.get(url, params)
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=True), encoding="ascii")  # lone surrogates too
        temporary.replace(path)
        return data

    def clear(self) -> None:
        if self.use and self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                path.unlink()


class Reading:
    """Whether a list was read whole: a loop of pages, a page without ``data`` or a bad ``links.next`` ends it early,
    and then nothing may be concluded from what it lacks."""

    def __init__(self) -> None:
        self.complete = True


def objects(
    fetcher: Fetcher,
    url: str,
    *,
    params: dict[str, str] | None = None,
    warn: Warn,
    total: Callable[[int], None] | None = None,
    reading: Reading | None = None,
) -> Iterator[Any]:
    """Every object of an OParl list, page after page along ``links.next`` (a loop of pages is stopped);
    ``total`` hears the list's length where the first page says it (``pagination.totalElements``)."""
    reading = reading or Reading()
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        if next_url in seen:
            warn(next_url, "„links.next“ führt im Kreis: die Liste ist nicht vollständig gelesen")
            reading.complete = False
            return
        if not next_url.startswith(("http://", "https://")):
            warn(url, f"„links.next“ ist keine Webadresse ({next_url!r}): die Liste ist nicht vollständig gelesen")
            reading.complete = False
            return
        seen.add(next_url)
        query = urlsplit(next_url).query
        missing = {k: v for k, v in (params or {}).items() if f"{k}=" not in query}  # next may carry the filter
        page = fetcher.get(next_url, missing or None)
        if not isinstance(page, dict):
            warn(next_url, "die Liste ist kein JSON-Objekt; übersprungen")
            reading.complete = False
            return
        data = page.get("data")
        if isinstance(data, dict):
            warn(next_url, "ein einzelnes Objekt, wo eine Liste stehen muss: als Liste gelesen")
            data = [data]
        if not isinstance(data, list):
            warn(next_url, "die Liste hat kein „data“; übersprungen")
            reading.complete = False
            return
        pagination = page.get("pagination")
        if total is not None and isinstance(pagination, dict) and isinstance(pagination.get("totalElements"), int):
            total(pagination["totalElements"])
            total = None
        yield from data
        links = page.get("links")
        following = links.get("next") if isinstance(links, dict) else None
        if following is not None and not isinstance(following, str):
            warn(
                next_url, f"„links.next“ ist keine Webadresse ({following!r}): die Liste ist nicht vollständig gelesen"
            )
            reading.complete = False
            return
        next_url = following or None


class Warn(Protocol):
    def __call__(self, url: str, message: str) -> None: ...
