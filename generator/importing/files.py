"""``import files``: download the PDF of every document an imported record names at a council system's address,
so that its text can be kept in ``content/texts/`` and proven against.

Polite (one request at a time per ``delay``, however many downloads run), parallel within a limit (``jobs``),
resumable (a cut-off download continues with an HTTP range request; a file whose checksum the record holds is not
loaded again), with a size and a time limit per file and retries on 429, 5xx and dropped connections (honouring
``Retry-After``). Only what starts like a PDF is kept. The files go to a folder outside ``content/`` (``build/dateien``
by default: out of git); each record gets the checksum (SHA-256) of the file it names.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from tenacity import retry, retry_if_exception, stop_after_attempt

from generator.importing.convert import Data
from generator.importing.fetch import USER_AGENT, FetchError, _retry_after, _Retryable, _wait
from generator.importing.run import Progress
from generator.importing.store import Store, digest, document_entries, write_record
from generator.records.attachments import refusal, sha256_of
from generator.records.models import is_pdf
from generator.records.texts import TEXTS_FOLDER

log = logging.getLogger(__name__)

DOWNLOADS = Path("build/dateien")  # out of git: the site links to the council system and keeps the text
MAX_MB = 50  # per file; council PDFs of maps and plans can be large, beyond this they are left out
SECONDS = 120.0  # per file, wall clock for all its attempts' reading
JOBS = 2
DELAY = 0.5  # seconds between the start of two requests, across all downloads
ATTEMPTS = 4
CHUNK = 1 << 16


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
    downloaded: list[tuple[str, Path, str]] = field(default_factory=list)  # (name, file, address) new this run
    bytes: int = 0
    updated: int = 0  # record files given a new checksum
    seconds: float = 0.0

    def lines(self) -> Iterator[str]:
        c = self.counts
        yield (
            f"Dateien: {c['downloaded']} geladen ({self.bytes / 1e6:.1f} MB), {c['unchanged']} unverändert, "
            f"{c['too_large']} zu groß, {c['not_pdf']} keine PDF-Datei, {c['failed']} nicht ladbar; "
            f"{self.updated} Datensätze mit neuer Prüfsumme; {self.seconds:.0f} s."
        )
        for url, message in self.warnings:
            yield f"Warnung: {url}: {message}"


def wanted_files(store: Store) -> list[Wanted]:
    """Every PDF document with an id and a web address in the imported records, once per name."""
    found: dict[str, Wanted] = {}
    for existing in store.records.values():
        for entry in document_entries(existing.data):
            name = _name(entry)
            if name is None:
                continue
            item = found.setdefault(name, Wanted(name, entry["url"], entry.get("sha256")))
            if (existing.kind, existing.path) not in item.records:
                item.records.append((existing.kind, existing.path))
    return [found[name] for name in sorted(found)]


def _name(entry: Data) -> str | None:
    url, doc_id, mime = entry.get("url"), entry.get("id"), entry.get("mime_type")
    if not isinstance(url, str) or not isinstance(doc_id, str):
        return None
    if not is_pdf(url, mime if isinstance(mime, str) else None):
        return None
    return f"{doc_id}.pdf"


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
    records. With ``mirror``, a file is loaded again when it is missing from ``into`` although its text is kept."""
    started = time.monotonic()
    summary = FilesSummary()
    store = Store.read(content)
    items = wanted_files(store)
    into.mkdir(parents=True, exist_ok=True)
    texts = content / TEXTS_FOLDER
    todo = [item for item in items if not _have(item, into, texts, mirror=mirror)]
    summary.counts["unchanged"] += len(items) - len(todo)
    if progress is not None:
        progress.total("files", len(todo))
    client = httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(30.0, read=min(30.0, limits.seconds)),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
    )
    polite = _Polite(limits.delay)
    outcomes: list[Outcome] = []
    try:
        with ThreadPoolExecutor(max(1, limits.jobs)) as pool:
            for outcome in pool.map(lambda item: _download(client, polite, item, into, limits), todo):
                outcomes.append(outcome)
                if progress is not None:
                    progress.advance("files")
    finally:
        client.close()
    for outcome in outcomes:
        summary.counts[outcome.status] += 1
        if outcome.message:
            summary.warnings.append((outcome.wanted.url, outcome.message))
        if outcome.status == "downloaded":
            summary.bytes += outcome.size
            summary.downloaded.append((outcome.wanted.name, into / outcome.wanted.name, outcome.wanted.url))
    summary.updated = _record_checksums(store, outcomes)
    summary.seconds = time.monotonic() - started
    return summary


def _have(item: Wanted, into: Path, texts: Path, *, mirror: bool) -> bool:
    """Loaded before: the record's checksum is that of the file here, or (without a mirror) its text is kept."""
    if item.recorded is None:
        return False
    target = into / item.name
    if target.is_file():
        return sha256_of(target) == item.recorded
    return not mirror and (texts / f"{item.name}.txt").is_file()


class _Polite:
    """At most one request start per ``delay`` seconds, across the threads."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.last = 0.0

    def wait(self) -> None:
        with self.lock:
            pause = self.last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self.last = time.monotonic()


class _Stop(Exception):
    """The download ends without the file: ``status`` and why."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


def _download(client: httpx.Client, polite: _Polite, item: Wanted, into: Path, limits: Limits) -> Outcome:
    part = into / f".{item.name}.part"
    deadline = time.monotonic() + limits.seconds
    attempt = retry(
        retry=retry_if_exception(lambda e: isinstance(e, _Retryable)),
        wait=_wait,
        stop=stop_after_attempt(limits.attempts),
        reraise=True,
    )(_attempt)
    try:
        attempt(client, polite, item.url, part, limits.max_bytes, deadline)
        with part.open("rb") as handle:
            head = handle.read(1024)
        if not head.lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF"):
            part.unlink(missing_ok=True)
            return Outcome(item, "not_pdf", message=f"keine PDF-Datei (beginnt mit {_shown(head)}): nicht übernommen")
        checksum, size = sha256_of(part), part.stat().st_size
        target = into / item.name
        os.replace(part, target)
    except _Stop as stop:
        return Outcome(item, stop.status, message=str(stop))
    except _Retryable as exc:
        return Outcome(item, "failed", message=f"{exc} (nach {limits.attempts} Versuchen; ein neuer Aufruf setzt fort)")
    except (FetchError, OSError) as exc:
        return Outcome(item, "failed", message=str(exc))
    why = refusal(target)
    message = f"{why}: wird nicht gespiegelt; der Text wird gelesen" if why else ""
    return Outcome(item, "downloaded", checksum, size, message)


def _shown(head: bytes) -> str:
    text = head[:16].decode("latin-1")
    return "„" + "".join(c if c.isprintable() else "·" for c in text) + "…“"


def _attempt(client: httpx.Client, polite: _Polite, url: str, part: Path, max_bytes: int, deadline: float) -> None:
    """One GET of ``url`` into ``part``, continuing what is there when the server allows a range."""
    offset = part.stat().st_size if part.is_file() else 0
    polite.wait()
    try:
        with client.stream("GET", url, headers={"Range": f"bytes={offset}-"} if offset else {}) as response:
            offset = _accepted(response, part, offset)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and offset + int(length) > max_bytes:
                raise _Stop("too_large", f"{_mb(offset + int(length))} groß, mehr als {_mb(max_bytes)}: nicht geladen")
            with part.open("ab" if offset else "wb") as handle:
                written = offset
                for chunk in response.iter_bytes():  # as received: a cut connection keeps what came
                    written += len(chunk)
                    if written > max_bytes:
                        raise _Stop("too_large", f"mehr als {_mb(max_bytes)}: nicht geladen")
                    if time.monotonic() > deadline:
                        raise _Stop("failed", "Zeitlimit erreicht: ein neuer Aufruf setzt fort")
                    handle.write(chunk)
    except _Stop as stop:
        if stop.status == "too_large":
            part.unlink(missing_ok=True)
        raise
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.TooManyRedirects) as exc:
        raise FetchError(f"keine abrufbare Adresse ({exc})") from None
    except (httpx.TimeoutException, httpx.TransportError) as exc:
        if time.monotonic() > deadline:
            raise _Stop("failed", "Zeitlimit erreicht: ein neuer Aufruf setzt fort") from None
        raise _Retryable(f"keine Antwort ({type(exc).__name__})") from None


def _accepted(response: httpx.Response, part: Path, offset: int) -> int:
    """Where the response's body starts in the file (0 unless the range was granted), or why there is none."""
    status = response.status_code
    if status in (429, 500, 502, 503, 504):
        raise _Retryable(f"HTTP {status}", _retry_after(response.headers.get("Retry-After")))
    if status == 416 and offset:
        part.unlink()  # the part no longer fits the file: the next attempt starts anew
        raise _Retryable("HTTP 416 (der geladene Teil passt nicht mehr)", 0.0)
    if status not in (200, 206):
        raise _Stop("failed", f"HTTP {status}: nicht ladbar")
    return offset if status == 206 else 0


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB".replace(".", ",")


def _record_checksums(store: Store, outcomes: list[Outcome]) -> int:
    """Write each loaded file's checksum into the document entries that name it; returns the files changed.

    The import's checksum of such a field follows, unless an editor had changed the field (then it is theirs)."""
    checksums = {o.wanted.name: o.sha256 for o in outcomes if o.sha256}
    changed = 0
    for existing in store.records.values():
        data = existing.data
        oparl = data.get("oparl")
        sums: dict[str, str] = oparl.get("digests") or {} if isinstance(oparl, dict) else {}
        touched = False
        for key, value in data.items():
            if key == "oparl":
                continue
            clean = sums.get(key) == digest(value)
            entries = [e for e in document_entries(value) if _name(e) in checksums]
            new = [e for e in entries if e.get("sha256") != checksums[str(_name(e))]]
            for entry in new:
                entry["sha256"] = checksums[str(_name(entry))]
            if new and clean:
                sums[key] = digest(value)
            touched = touched or bool(new)
        if touched and write_record(existing.path, existing.kind, data):
            changed += 1
    return changed
