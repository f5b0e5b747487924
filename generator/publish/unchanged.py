"""A build with nothing to do: when every input of the last build is as it was and its output folders are as it
left them, the build stops after checking that (a second or two at 10,000 records) instead of running again.

The inputs are every file of the content folder (by its SHA-256: a file whose size and time are those of the last
build keeps the checksum recorded then, any other is read), the settings and published-address files, the
build cache's key (``mkdocs.yml`` with ``!ENV`` resolved, theme, hook, the publishing code, MkDocs, Material and
Pagefind versions: :func:`generator.publish.cache.cache_key`), the generator's own files and every installed
package's version, the options of the build, the newest commit of the content folder's history (the public change
notes), and the build's date (the citation boxes say "abgerufen am …"), or ``SOURCE_DATE_EPOCH`` where it is set.
The outputs are the site, docs and static folders and the build cache's manifest, by each file's path, size and
time. The record of the last
build (``inputs.json`` in the build cache's folder) is written only after a build has published its site; any
difference, a missing or unreadable record, ``--no-cache`` or a mirror folder (whose files are checked against
the records on every build) make the build run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import subprocess
from dataclasses import asdict, dataclass
from importlib.metadata import distributions
from pathlib import Path

import generator
from generator.publish.cache import cache_key
from generator.records.attachments import sha256_of
from generator.records.models import TIMEZONE
from generator.records.problems import Problem

log = logging.getLogger(__name__)

FORMAT = 1
RECORD = "inputs.json"

_Table = dict[str, list[object]]  # path → [size, mtime_ns, sha256]


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the build is about to be made from: its digest, and the content files' checksums it was taken from."""

    digest: str
    files: _Table


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the previous build reported, for a build that has nothing to do."""

    records: int
    site_url: str
    warnings: list[Problem]
    unchanged: int  # the files the write stage left as they were


def inputs(
    *,
    content: Path,
    config: Path,
    others: list[Path],
    options: dict[str, str],
    engine: str,
    known: _Table,
) -> Inputs:
    """The digest over every input of a build (see the module's text); ``known``: the last build's checksums."""
    sha = hashlib.sha256(f"format {FORMAT}\n".encode())
    sha.update(json.dumps(options, sort_keys=True).encode())
    sha.update(cache_key(config, engine).encode())
    sha.update(_when().encode())
    sha.update(_newest_commit(content).encode())
    for dist in sorted(distributions(), key=lambda d: str(d.metadata["Name"]).lower()):
        sha.update(f"{dist.metadata['Name']} {dist.version}\n".encode())
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(path.relative_to(package).as_posix().encode() + b"\0" + sha256_of(path).encode())
    for path in others:
        sha.update(f"{path}\0{sha256_of(path) if path.is_file() else '-'}\n".encode())
    files: _Table = {}
    for current, folders, names in os.walk(content):
        folders.sort()
        for name in sorted(names):
            path = Path(current) / name
            rel = path.relative_to(content).as_posix()
            stat = path.stat()
            entry = known.get(rel)
            if entry is not None and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
                checksum = str(entry[2])
            else:
                checksum = sha256_of(path)
            files[rel] = [stat.st_size, stat.st_mtime_ns, checksum]
            sha.update(f"{rel}\0{checksum}\n".encode())
    return Inputs(sha.hexdigest(), files)


def outputs(*places: Path) -> str:
    """The digest of each file's path, size and time: the files of ``places`` and those below them (a missing one
    counts too)."""
    sha = hashlib.sha256()
    for folder in places:
        sha.update(f"{folder}\n".encode())
        if folder.is_file():
            stat = folder.stat()
            sha.update(f"{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        for current, subfolders, names in os.walk(folder):
            subfolders.sort()
            for name in sorted(names):
                stat = os.stat(os.path.join(current, name))
                rel = os.path.relpath(os.path.join(current, name), folder)
                sha.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return sha.hexdigest()


def read_record(cache: Path) -> dict[str, object]:
    """The last build's record, or an empty one."""
    try:
        data = json.loads((cache / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def known_files(record: dict[str, object]) -> _Table:
    files = record.get("files")
    return files if isinstance(files, dict) else {}


def last_build(record: dict[str, object], *, now: Inputs, folders: tuple[Path, ...]) -> LastBuild | None:
    """The last build's report if its inputs were ``now`` and the folders are as it left them; else ``None``."""
    if record.get("inputs") != now.digest or record.get("outputs") != outputs(*folders):
        return None
    try:
        result = record["result"]
        assert isinstance(result, dict)
        return LastBuild(
            records=int(result["records"]),
            site_url=str(result["site_url"]),
            warnings=[Problem(**w) for w in result["warnings"]],
            unchanged=int(result["unchanged"]),
        )
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        log.warning("record of the last build in %s is damaged (%s): the build runs", RECORD, exc)
        return None


def remember(cache: Path, *, now: Inputs, folders: tuple[Path, ...], last: LastBuild) -> None:
    """Write the record of a build that has just published its site (a failure is a warning: the next build runs)."""
    record = {
        "format": FORMAT,
        "inputs": now.digest,
        "outputs": outputs(*folders),
        "files": now.files,
        "result": {
            "records": last.records,
            "site_url": last.site_url,
            "warnings": [asdict(w) for w in last.warnings],
            "unchanged": last.unchanged,
        },
    }
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{RECORD}.neu"
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, cache / RECORD)
    except OSError as exc:
        log.warning("record of this build not written to %s (%s): the next build runs in full", cache, exc)


def forget(cache: Path) -> None:
    """No record while a build changes the folders: an interrupted build is never taken for a finished one."""
    try:
        (cache / RECORD).unlink(missing_ok=True)
    except OSError as exc:
        log.warning("record of the last build in %s not removed (%s)", cache, exc)


def _when() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return f"epoch {epoch}"
    return f"day {dt.datetime.now(TIMEZONE).date().isoformat()}"


def _newest_commit(content: Path) -> str:
    """The newest commit touching the content folder: the change notes come from the history up to it."""
    try:
        done = subprocess.run(
            ["git", "-C", str(content), "log", "-1", "--format=%H", "--", "."],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "no git"
    return f"git {done.returncode} {done.stdout.strip()}"
