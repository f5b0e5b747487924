"""A build with nothing to do: when every input of the last build is as it was and its output folders are as it
left them, the build stops after checking that (a second or two at 10,000 records) instead of running again.

The inputs are every file of the content folder (by its SHA-256: a file whose size, time, inode and status-change
time are those recorded by the last build, and which had not changed in the two seconds before that record was
taken, keeps the checksum recorded then; any other is read), the settings and published-address files, the build
cache's key (``mkdocs.yml`` with ``!ENV`` resolved and what it names, theme, hooks, the publishing code, MkDocs,
Material and Pagefind versions: :func:`generator.publish.cache.cache_key`), the generator's own files, Python's and
every installed package's version, the options of the build, the content folder's history as the change notes
read it, and the build's day in Berlin and in UTC (the citation boxes say "abgerufen am …", the sitemap has the
date). Anything in the content folder but plain files and folders (a link, a pipe) leaves the check to the build,
which reports it.
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
import stat as statmodule
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib.metadata import distributions
from pathlib import Path

import generator
from generator.publish.cache import cache_key
from generator.records.attachments import sha256_of
from generator.records.models import TIMEZONE
from generator.records.problems import Problem

log = logging.getLogger(__name__)

FORMAT = 2
RECORD = "inputs.json"

_Table = dict[str, list[object]]  # path → [size, mtime_ns, inode, ctime_ns, sha256]


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
    history: object,
    now: dt.datetime,
    known: _Table,
    recorded_ns: int,
) -> Inputs | None:
    """The digest over every input of a build (see the module's text), or ``None`` where the content folder holds
    anything but plain files and folders or cannot be read; ``known``: the last build's checksums, recorded at
    ``recorded_ns``."""
    sha = hashlib.sha256(f"format {FORMAT} python {sys.version}\n".encode())
    sha.update(json.dumps(options, sort_keys=True).encode())
    sha.update(cache_key(config, engine).encode())
    sha.update(_when(now).encode())
    sha.update(repr(history).encode())
    for dist in sorted(distributions(), key=lambda d: str(d.metadata["Name"]).lower()):
        sha.update(f"{dist.metadata['Name']} {dist.version}\n".encode())
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(path.relative_to(package).as_posix().encode() + b"\0" + sha256_of(path).encode())
    for path in others:
        sha.update(f"{path}\0{sha256_of(path) if path.is_file() else '-'}\n".encode())
    files: _Table = {}
    try:
        for rel, name, stat in _plain_files(content):
            entry, key = known.get(rel), [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]
            racy = max(stat.st_mtime_ns, stat.st_ctime_ns) >= recorded_ns - RACY_NS  # changed as the record was taken
            checksum = str(entry[4]) if entry is not None and entry[:4] == key and not racy else sha256_of(Path(name))
            files[rel] = [*key, checksum]
            sha.update(f"{rel}\0{checksum}\n".encode())
    except (OSError, _NotPlain) as exc:
        log.info("content folder not compared with the last build (%s): the build runs and checks it", exc)
        return None
    return Inputs(sha.hexdigest(), files)


RACY_NS = 2 * 10**9  # a file changed within two seconds of the record may have kept its time (coarse clocks)


class _NotPlain(Exception):
    pass


def _plain_files(folder: Path) -> Iterator[tuple[str, str, os.stat_result]]:
    """Every file below ``folder`` with its ``lstat``, sorted; raises :class:`_NotPlain` at a link, pipe or device.

    Paths as strings (a ``Path`` and ``relative_to`` per file cost a second at 10,000 records)."""
    top = str(folder)
    cut = len(os.path.join(top, ""))
    for current, folders, names in os.walk(top):
        folders[:] = sorted(f for f in folders if f != ".git")  # a repository of its own: its history is hashed
        for name in sorted(names + [f for f in folders if os.path.islink(os.path.join(current, f))]):
            path = os.path.join(current, name)
            stat = os.lstat(path)
            if not statmodule.S_ISREG(stat.st_mode):
                raise _NotPlain(f"{path} is no plain file")
            yield path[cut:].replace(os.sep, "/"), path, stat


def outputs(*places: Path) -> str:
    """The digest of each file's path, size, time, inode and status-change time: the files of ``places`` and those
    below them (a missing one counts too); ``""`` where one cannot be read (it then matches no record)."""
    sha = hashlib.sha256()
    try:
        for folder in places:
            sha.update(f"{folder}\n".encode())
            if folder.is_file():
                sha.update(_stamp(folder.lstat()))
            top = str(folder)
            cut = len(os.path.join(top, ""))  # each path's part below the folder, by position (relpath: slow)
            for current, subfolders, names in os.walk(top):
                subfolders.sort()
                for name in sorted(names):
                    path = os.path.join(current, name)
                    sha.update(path[cut:].encode() + b"\0" + _stamp(os.lstat(path)))
    except OSError:
        return ""
    return sha.hexdigest()


def _stamp(stat: os.stat_result) -> bytes:
    return f"{stat.st_mode}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\0{stat.st_ctime_ns}\n".encode()


def read_record(cache: Path) -> dict[str, object]:
    """The last build's record, or an empty one."""
    try:
        data = json.loads((cache / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def known_files(record: dict[str, object]) -> _Table:
    """The last build's checksums, each ``[size, mtime_ns, inode, ctime_ns, sha256]``; entries of another shape are
    left out (their files are read)."""
    files = record.get("files")
    if not isinstance(files, dict):
        return {}
    return {
        str(rel): entry
        for rel, entry in files.items()
        if isinstance(entry, list)
        and len(entry) == 5
        and all(type(v) is int for v in entry[:4])
        and isinstance(entry[4], str)
    }


def recorded_at(record: dict[str, object]) -> int:
    """When the last build took its inputs (nanoseconds since 1970), or 0."""
    value = record.get("recorded_ns")
    return value if type(value) is int else 0


def last_build(record: dict[str, object], *, now: Inputs, folders: tuple[Path, ...]) -> LastBuild | None:
    """The last build's report if its inputs were ``now`` and the folders are as it left them; else ``None``."""
    if record.get("inputs") != now.digest or record.get("outputs") != outputs(*folders):
        return None
    try:
        result = record["result"]
        if not isinstance(result, dict) or not isinstance(result["warnings"], list):
            raise TypeError("result")
        warnings = [_problem(w) for w in result["warnings"]]
        return LastBuild(
            records=_int(result["records"]),
            site_url=_str(result["site_url"]),
            warnings=warnings,
            unchanged=_int(result["unchanged"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("record of the last build in %s is damaged (%s): the build runs", RECORD, exc)
        return None


def _int(value: object) -> int:
    if type(value) is not int:
        raise TypeError(f"{value!r} is no number")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is no text")
    return value


def _problem(value: object) -> Problem:
    if not isinstance(value, dict) or set(value) != {"path", "line", "code", "message", "in_content", "column"}:
        raise TypeError(f"{value!r} is no problem")
    if type(value["in_content"]) is not bool:
        raise TypeError(f"{value!r} is no problem")
    return Problem(
        path=_str(value["path"]),
        line=_int(value["line"]),
        code=_str(value["code"]),
        message=_str(value["message"]),
        in_content=value["in_content"],
        column=_int(value["column"]),
    )  # an unknown code raises ValueError


def remember(cache: Path, *, now: Inputs, recorded_ns: int, folders: tuple[Path, ...], last: LastBuild) -> None:
    """Write the record of a build that has just published its site (a failure is a warning: the next build runs);
    ``recorded_ns``: when its inputs were taken."""
    record = {
        "format": FORMAT,
        "recorded_ns": recorded_ns,
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


def _when(now: dt.datetime) -> str:
    """The build's day as the pages show it (Berlin) and as MkDocs dates the sitemap (UTC), or the fixed time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return f"epoch {epoch}"
    return f"day {now.astimezone(TIMEZONE).date().isoformat()} {now.astimezone(dt.UTC).date().isoformat()}"
