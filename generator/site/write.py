"""Stage 5, write: put the rendered Markdown into the docs folder and every other file (JSON, downloads,
attachments, redirect pages) into the static folder beside it, touching only what changed.

MkDocs reads only the docs folder: the pages. The static folder goes into the site as it is (see
:func:`generator.publish.builder.publish_static`); MkDocs never has to list its tens of thousands of files. Unchanged
files keep their bytes and modification time (MkDocs' and editors' watchers stay quiet); files that no page
produces any more are removed, so a deleted record's page disappears.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.site.addresses import attachment_path
from generator.records.load import Attachment
from generator.site.output import Page

log = logging.getLogger(__name__)


@dataclass(slots=True)
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    paths: list[str] = field(default_factory=list)  # the pages written (paths below the docs folder)


def write(
    pages: Iterable[Page],
    docs_dir: Path,
    *,
    files: Mapping[str, Attachment] | None = None,
    prune: bool = True,
) -> WriteStats:
    """Write ``pages`` (and the attachments ``files``) below ``docs_dir`` and :func:`static_dir`; one page is held
    in memory at a time.

    With ``prune`` (a full build), files that no page produced any more are removed.
    """
    stats = WriteStats()
    static = static_dir(docs_dir)
    for folder in (docs_dir, static):
        folder.mkdir(parents=True, exist_ok=True)
    kept: set[Path] = set()
    for page in pages:
        folder = docs_dir if page.path.endswith(".md") else static
        if _put(folder / page.path, page.text.encode("utf-8"), kept, stats):
            stats.paths.append(page.path)
    for name, attachment in (files or {}).items():
        _put(static / attachment_path(name), attachment.path.read_bytes(), kept, stats)
    if not prune:
        return stats
    for folder in (docs_dir, static):
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file() and path not in kept:
                path.unlink()
                stats.removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    log.info("wrote %d files, %d unchanged, %d removed", stats.written, stats.unchanged, stats.removed)
    return stats


def static_dir(docs_dir: Path) -> Path:
    """Where the files other than pages go: ``build/docs`` → ``build/docs.static``."""
    return docs_dir.with_name(docs_dir.name + ".static")


class PathClaimedTwice(Exception):
    """Two outputs of one build claim the same file: one would silently replace the other."""


def _put(target: Path, data: bytes, kept: set[Path], stats: WriteStats) -> bool:
    if target in kept:
        raise PathClaimedTwice(
            f"Zwei Ausgaben dieses Builds beanspruchen dieselbe Datei {target}: eine würde die andere ersetzen; "
            "bitte melden (ein Fehler des Generators)"
        )
    kept.add(target)
    if _same(target, data):
        stats.unchanged += 1
        return False
    # A new file in place of the old one, never the old one rewritten: the published site may share it (hard link).
    temporary = target.with_name(f".{target.name}.neu")
    try:
        temporary.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
    os.replace(temporary, target)
    stats.written += 1
    return True


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except FileNotFoundError:
        return False
