"""``import files``: download the PDF of every document an imported record names at a council system's address,
so that its text can be kept in ``content/texts/`` and proven against.

Polite (one request start per ``delay``, however many downloads run), parallel within a limit (``jobs``),
resumable (a cut-off download continues with an HTTP range request, only while the server says it is the same
file; a file whose checksum the record holds is not loaded again; what a stopped run finished is kept), with a size
and a time limit per file (retries included) and retries on 429, 5xx and dropped connections (honouring
``Retry-After``). Only what starts like a PDF is kept. The files go to a folder outside ``content/``
(``build/dateien`` by default: out of git); each record gets the checksum (SHA-256) of the file it names.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from tenacity import retry, retry_if_exception, stop_after_attempt, stop_before_delay

from generator.importing.convert import Data
from generator.importing.fetch import USER_AGENT, FetchError, Retryable, retry_after_seconds, retry_wait
from generator.importing.run import Progress
from generator.importing.store import Store, StoreError, digest, document_entries, plain, read_record, write_record
from generator.records.attachments import refusal, sha256_of
from generator.records.models import download_name
from generator.records.texts import TEXTS_FOLDER

log = logging.getLogger(__name__)

DOWNLOADS = Path("build/dateien")  # out of git: the site links to the council system and keeps the text
MAX_MB = 50  # per file; council PDFs of maps and plans can be large, beyond this they are left out
SECONDS = 120.0  # per file, wall clock for all its attempts
JOBS = 2
DELAY = 0.5  # seconds between the start of two requests, across all downloads
ATTEMPTS = 4
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_MB * 1_000_000
    seconds: float = SECONDS
    jobs: int = JOBS
    delay: float = DELAY
    attempts: int = ATTEMPTS


@dataclass(slots=True)
class Wanted:
    """One file to have: its name (as its text is kept), address, the checksum records hold, the records."""

    name: str
    url: str
    recorded: str | None
    records: list[tuple[str, Path]] = field(default_factory=list)  # (kind, record file)


@dataclass(frozen=True, slots=True)
class Outcome:
    wanted: Wanted
    status: str  # downloaded / unchanged / too_large / not_pdf / failed
    sha256: str | None = None
    size: int = 0
    message: str = ""


@dataclass(slots=True)
class FilesSummary:
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (address, message)
    # (name, file, address) of each file here whose text is to be read: new ones, and those without a text yet
    downloaded: list[tuple[str, Path, str]] = field(default_factory=list)
    bytes: int = 0
    updated: int = 0  # record files given a new checksum
    seconds: float = 0.0
    stopped: bool = False  # interrupted (Ctrl+C): what was finished is kept

    def lines(self) -> Iterator[str]:
        c = self.counts
        yield (
            f"Dateien: {c['downloaded']} geladen ({self.bytes / 1e6:.1f} MB), {c['unchanged']} unverändert, "
            f"{c['too_large']} zu groß, {c['not_pdf']} keine PDF-Datei, {c['failed']} nicht ladbar; "
            f"{self.updated} Datensätze mit neuer Prüfsumme; {self.seconds:.0f} s."
        )
        if self.stopped:
            yield "Abgebrochen: das Geladene ist behalten, ein neuer Aufruf setzt fort."
        for url, message in self.warnings:
            yield f"Warnung: {url}: {message}"


def wanted_files(store: Store) -> list[Wanted]:
    """Every PDF document with an id and a web address in the imported records, once per (name, address)."""
    found: dict[tuple[str, str], Wanted] = {}
    for existing in store.records.values():
        for entry in document_entries(existing.data):
            name = download_name(entry.get("id"), entry.get("url"), entry.get("mime_type"))
            if name is None:
                continue
            item = found.setdefault((name, entry["url"]), Wanted(name, entry["url"], entry.get("sha256")))
            if (existing.kind, existing.path) not in item.records:
                item.records.append((existing.kind, existing.path))
    names = Counter(name for name, _ in found)
    return [item for key, item in sorted(found.items()) if names[key[0]] == 1]  # `check` names the others


def import_files(
    *,
    content: Path,
    into: Path = DOWNLOADS,
    limits: Limits = Limits(),
    mirror: bool = False,
    transport: httpx.BaseTransport | None = None,
    progress: Progress | None = None,
) -> FilesSummary:
    """Download what the imported records in ``content`` name and is not had yet; write the checksums into the
    records. With ``mirror``, a file is loaded again when it is missing from ``into`` although its text is kept.
    Interrupted (Ctrl+C), the checksums of what was finished are written before the interruption goes on."""
    started = time.monotonic()
    summary = FilesSummary()
    store = Store.read(content)
    items = wanted_files(store)
    into.mkdir(parents=True, exist_ok=True)
    texts = content / TEXTS_FOLDER
    outcomes: list[Outcome] = []
    todo = []
    for item in items:
        had = _had(item, into, texts, mirror=mirror)
        if had is None:
            todo.append(item)
        else:
            outcomes.append(had)
    if progress is not None:
        progress.total("files", len(todo))
    client = httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(30.0, read=min(30.0, limits.seconds)),
        # identity: the bytes counted for a range request are the bytes of the file, not of a compressed body
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        follow_redirects=True,
    )
    polite = _Polite(limits.delay)
    pool = ThreadPoolExecutor(max(1, limits.jobs))
    try:
        for outcome in pool.map(lambda item: _download(client, polite, item, into, limits), todo):
            outcomes.append(outcome)
            if progress is not None:
                progress.advance("files")
    except KeyboardInterrupt:
        summary.stopped = True
        polite.stop()
        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        pool.shutdown(wait=True)
        client.close()
        _summarise(summary, outcomes, into, texts)
        summary.updated = _record_checksums(store, outcomes)
        summary.seconds = time.monotonic() - started
    return summary


def _summarise(summary: FilesSummary, outcomes: list[Outcome], into: Path, texts: Path) -> None:
    for outcome in outcomes:
        summary.counts[outcome.status] += 1
        if outcome.message:
            summary.warnings.append((outcome.wanted.url, outcome.message))
        if outcome.status == "downloaded":
            summary.bytes += outcome.size
        name = outcome.wanted.name
        missing = not (texts / f"{name}.txt").is_file()
        if outcome.sha256 and (outcome.status == "downloaded" or missing) and (into / name).is_file():
            summary.downloaded.append((name, into / name, outcome.wanted.url))


def _had(item: Wanted, into: Path, texts: Path, *, mirror: bool) -> Outcome | None:
    """What there is already: (without a mirror) the text of the file the record's checksum names, read
    no further; else the file here, with the record's checksum or a whole PDF a stopped run left before it could
    record one."""
    if item.recorded is not None and not mirror and (texts / f"{item.name}.txt").is_file():
        return Outcome(item, "unchanged", item.recorded)
    target = into / item.name
    if target.is_file():
        checksum = sha256_of(target)
        if checksum == item.recorded or (item.recorded is None and _starts_like_pdf(target)):
            return Outcome(item, "unchanged", checksum, target.stat().st_size)
    return None


def _starts_like_pdf(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(1024)
    return head.lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF")


class _Polite:
    """At most one request start per ``delay`` seconds, across the threads; a server's ``Retry-After`` holds
    back every thread."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.next = 0.0
        self.stopped = threading.Event()

    def wait(self) -> None:
        with self.lock:
            pause = self.next - time.monotonic()
            if pause > 0 and self.stopped.wait(pause):
                raise _Stop("failed", "abgebrochen")
            if self.stopped.is_set():
                raise _Stop("failed", "abgebrochen")
            self.next = time.monotonic() + self.delay

    def hold(self, seconds: float) -> None:
        with self.lock:
            self.next = max(self.next, time.monotonic() + seconds)

    def stop(self) -> None:
        self.stopped.set()


class _Stop(Exception):
    """The download ends without the file: ``status`` and why."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


def _download(client: httpx.Client, polite: _Polite, item: Wanted, into: Path, limits: Limits) -> Outcome:
    """One file, all attempts; every failure is an outcome with a German message, never an exception."""
    part = into / f".{item.name}.part"
    deadline = time.monotonic() + limits.seconds
    attempt = retry(
        retry=retry_if_exception(lambda e: isinstance(e, Retryable)),
        wait=retry_wait,
        stop=stop_after_attempt(limits.attempts) | stop_before_delay(limits.seconds),
        before_sleep=lambda state: polite.hold(retry_wait(state)),
        reraise=True,
    )(_attempt)
    try:
        attempt(client, polite, item.url, part, limits.max_bytes, deadline)
        if not _starts_like_pdf(part):
            with part.open("rb") as handle:
                head = handle.read(16)
            part.unlink(missing_ok=True)
            _validator(part).unlink(missing_ok=True)
            return Outcome(item, "not_pdf", message=f"keine PDF-Datei (beginnt mit {_shown(head)}): nicht übernommen")
        checksum, size = sha256_of(part), part.stat().st_size
        target = into / item.name
        os.replace(part, target)
        _validator(part).unlink(missing_ok=True)
    except _Stop as stop:
        return Outcome(item, stop.status, message=str(stop))
    except Retryable as exc:
        return Outcome(item, "failed", message=f"{exc} (auch nach Wiederholungen; ein neuer Aufruf setzt fort)")
    except (FetchError, OSError) as exc:
        return Outcome(item, "failed", message=str(exc))
    except Exception as exc:  # a quirk of a server or an address that no branch above knows: the run goes on
        log.debug("download of %s failed", item.url, exc_info=True)
        return Outcome(item, "failed", message=f"nicht ladbar ({type(exc).__name__}: {exc})")
    why = refusal(target)
    message = f"{why}: wird nicht gespiegelt; der Text wird gelesen" if why else ""
    return Outcome(item, "downloaded", checksum, size, message)


def _shown(head: bytes) -> str:
    text = head[:16].decode("latin-1")
    return "„" + "".join(c if c.isprintable() else "·" for c in text) + "…“"


def _validator(part: Path) -> Path:
    """Beside a part file: the server's ETag or Last-Modified of the file it is a part of."""
    return part.with_name(part.name + ".json")


def _attempt(client: httpx.Client, polite: _Polite, url: str, part: Path, max_bytes: int, deadline: float) -> None:
    """One GET of ``url`` into ``part``, continuing what is there when the server says it is the same file."""
    offset, headers = _resume(part)
    polite.wait()
    try:
        with client.stream("GET", url, headers=headers) as response:
            offset = _accepted(response, part, offset)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and offset + int(length) > max_bytes:
                raise _Stop("too_large", f"{_mb(offset + int(length))} groß, mehr als {_mb(max_bytes)}: nicht geladen")
            if offset == 0:
                validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
                _validator(part).write_text(json.dumps({"if_range": validator}), encoding="utf-8")
            written = _body(response, part, offset, max_bytes, deadline, polite.stopped)
            total = _total(response)
            if total is not None and written != total:
                raise Retryable(f"unvollständig ({written} von {total} Bytes)", 0.0)
    except _Stop as stop:
        if stop.status == "too_large":
            part.unlink(missing_ok=True)
            _validator(part).unlink(missing_ok=True)
        raise
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.TooManyRedirects, ValueError) as exc:
        raise FetchError(f"keine abrufbare Adresse ({exc})") from None
    except httpx.HTTPError as exc:
        if time.monotonic() > deadline:
            raise _Stop("failed", "Zeitlimit erreicht: ein neuer Aufruf setzt fort") from None
        raise Retryable(f"keine Antwort ({type(exc).__name__})") from None


def _body(
    response: httpx.Response, part: Path, offset: int, max_bytes: int, deadline: float, stopped: threading.Event
) -> int:
    """Write the response's body into ``part`` from ``offset`` on; returns the part's size."""
    with part.open("ab" if offset else "wb") as handle:
        written = offset
        for chunk in response.iter_bytes():  # as received: a cut connection keeps what came
            written += len(chunk)
            if written > max_bytes:
                raise _Stop("too_large", f"mehr als {_mb(max_bytes)}: nicht geladen")
            if time.monotonic() > deadline:
                raise _Stop("failed", "Zeitlimit erreicht: ein neuer Aufruf setzt fort")
            if stopped.is_set():
                raise _Stop("failed", "abgebrochen: ein neuer Aufruf setzt fort")
            handle.write(chunk)
    return written


def _resume(part: Path) -> tuple[int, dict[str, str]]:
    """Where to go on and the headers for it: a range only with the server's word that the file is the same."""
    if not part.is_file():
        return 0, {}
    try:
        validator = json.loads(_validator(part).read_text(encoding="utf-8")).get("if_range")
    except (OSError, ValueError, AttributeError):
        validator = None
    size = part.stat().st_size
    if not validator or not size:
        return 0, {}
    return size, {"Range": f"bytes={size}-", "If-Range": str(validator)}


def _accepted(response: httpx.Response, part: Path, offset: int) -> int:
    """Where the response's body starts in the file (0 unless the range asked for was granted), or why there is
    none."""
    status = response.status_code
    if status in (429, 500, 502, 503, 504):
        raise Retryable(f"HTTP {status}", retry_after_seconds(response.headers.get("Retry-After")))
    if status == 416 and offset:
        part.unlink()  # the part no longer fits the file: the next attempt starts anew
        raise Retryable("HTTP 416 (der geladene Teil passt nicht mehr)", 0.0)
    if status not in (200, 206):
        raise _Stop("failed", f"HTTP {status}: nicht ladbar")
    if status == 200 or not offset:
        return 0
    granted = _RANGE.match(response.headers.get("Content-Range", "").strip())
    if granted is None or int(granted.group(1)) != offset:
        part.unlink()  # not the part asked for: start anew rather than stitch two pieces together
        raise Retryable("HTTP 206 mit anderem Bereich als erbeten", 0.0)
    return offset


def _total(response: httpx.Response) -> int | None:
    """The file's whole size, as the server says it (206: after the slash of Content-Range; 200: the length)."""
    if response.status_code == 206:
        granted = _RANGE.match(response.headers.get("Content-Range", "").strip())
        return int(granted.group(3)) if granted and granted.group(3) != "*" else None
    length = response.headers.get("Content-Length", "")
    return int(length) if length.isdigit() else None


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB".replace(".", ",")


def _record_checksums(store: Store, outcomes: list[Outcome]) -> int:
    """Write each loaded file's checksum into the document entries that name it (by name and address); returns
    the files changed. Each record file is read again just before: an editor's change made meanwhile stays. The
    import's checksum of such a field follows, unless an editor had changed the field (then it is theirs)."""
    checksums = {(o.wanted.name, o.wanted.url): o.sha256 for o in outcomes if o.sha256 is not None}
    paths = {path: kind for o in outcomes if o.sha256 for kind, path in o.wanted.records}
    changed = 0
    for path, kind in sorted(paths.items()):
        try:
            data = plain(read_record(path))
        except (StoreError, OSError) as exc:
            log.warning("%s: checksums not written (%s)", path, exc)
            continue
        if not isinstance(data, dict):
            continue
        if _add_checksums(data, checksums) and write_record(path, kind, data):
            changed += 1
    return changed


def _add_checksums(data: Data, checksums: dict[tuple[str, str], str]) -> bool:
    oparl = data.get("oparl")
    sums = oparl.get("digests") if isinstance(oparl, dict) else None
    sums = sums if isinstance(sums, dict) else {}
    touched = False
    for key, value in data.items():
        if key == "oparl":
            continue
        clean = sums.get(key) == digest(value)
        new = []
        for entry in document_entries(value):
            name = download_name(entry.get("id"), entry.get("url"), entry.get("mime_type"))
            checksum = checksums.get((str(name), entry["url"]))
            if checksum and entry.get("sha256") != checksum:
                entry["sha256"] = checksum
                new.append(entry)
        if new and clean:
            sums[key] = digest(value)
        touched = touched or bool(new)
    return touched
