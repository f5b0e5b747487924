"""Stage 5, write: put the rendered Markdown into the docs folder, touching only what changed.

Unchanged files keep their bytes and modification time (MkDocs' and editors' watchers stay quiet); files
that no page produces any more are removed, so a deleted record's page disappears.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .link import FILES_SECTION
from .load import Attachment
from .render import Page

log = logging.getLogger(__name__)


@dataclass(slots=True)
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write(pages: Iterable[Page], docs_dir: Path, *, files: Mapping[str, Attachment] | None = None) -> WriteStats:
    """Write ``pages`` (and the attachments ``files``) below ``docs_dir``; one page is held in memory at a time."""
    stats = WriteStats()
    docs_dir.mkdir(parents=True, exist_ok=True)
    kept: set[Path] = set()
    for page in pages:
        _put(docs_dir / page.path, page.text.encode("utf-8"), kept, stats)
    for name, attachment in (files or {}).items():
        _put(docs_dir / FILES_SECTION / name, attachment.path.read_bytes(), kept, stats)
    for path in sorted(docs_dir.rglob("*"), reverse=True):
        if path.is_file() and path not in kept:
            path.unlink()
            stats.removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    log.info("wrote %d pages, %d unchanged, %d removed", stats.written, stats.unchanged, stats.removed)
    return stats


def _put(target: Path, data: bytes, kept: set[Path], stats: WriteStats) -> None:
    kept.add(target)
    if _same(target, data):
        stats.unchanged += 1
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    stats.written += 1


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except FileNotFoundError:
        return False
