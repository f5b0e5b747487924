"""The manifest of the bulk downloads: what the export stage wrote (paths, sizes, rows), as plain data. The page
layer writes the Daten page from it, so no page depends on the order in which files are produced."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DownloadFile:
    path: str  # below the docs folder, e.g. daten/vereinbarungen.csv
    size: int  # bytes of UTF-8


@dataclass(frozen=True, slots=True)
class TableFiles:
    stem: str
    title: str
    description: str
    columns: tuple[tuple[str, str], ...]  # (name, German description)
    rows: int
    csv: DownloadFile
    json: DownloadFile


@dataclass(frozen=True, slots=True)
class Manifest:
    tables: tuple[TableFiles, ...]
    oparl_entry: str  # the export's entry point, oparl/system.json
    oparl_files: int
    oparl_size: int
    feed: DownloadFile
    feed_has_history: bool  # the feed lists changes from git (False: only the records' own dates)
    calendar: DownloadFile
    calendar_events: int
