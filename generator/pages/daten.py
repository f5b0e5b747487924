"""View data of the Daten page (``/daten/``): every download, from the manifest of the export stage."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.records.settings import Settings
from generator.site.addresses import DATA_PAGE, json_path, page_url, static_href
from generator.site.link import Site
from generator.site.manifest import DownloadFile, Manifest
from generator.site.text import count_de, web_href


def data_page_view(manifest: Manifest, *, site: Site, settings: Settings) -> dict[str, Any]:
    example = next(iter(site.refs.values()), None)
    licence_url = settings.open_data.licence_url
    return {
        "licence": settings.open_data.licence,
        "licence_url": web_href(licence_url) if licence_url else None,
        "tables": [
            {
                "title": t.title,
                "description": t.description,
                "rows": t.rows,
                "rows_text": count_de(t.rows, "Zeile", "Zeilen"),
                "anchor": f"spalten-{t.stem}",
                **_file("csv", t.csv),
                **_file("json", t.json),
                "columns": [{"code": Markup(f"`{name}`"), "description": text} for name, text in t.columns],
            }
            for t in manifest.tables
        ],
        "example": None
        if example is None
        else {
            "json": static_href(DATA_PAGE, json_path(example.page)),
            "json_name": example.id + ".json",
            "url": page_url(example.page),
        },
        "oparl": {
            "entry": static_href(DATA_PAGE, manifest.oparl_entry),
            "files": manifest.oparl_files,
            "size": size_de(manifest.oparl_size),
        },
        "feed": {
            "path": static_href(DATA_PAGE, manifest.feed.path),
            "size": size_de(manifest.feed.size),
            "history": manifest.feed_has_history,
        },
        "calendar": {
            "path": static_href(DATA_PAGE, manifest.calendar.path),
            "size": size_de(manifest.calendar.size),
            "events": manifest.calendar_events,
            "sessions": len(site.records.sessions),
        },
    }


def _file(name: str, file: DownloadFile) -> dict[str, str]:
    """``csv`` → the link (relative to the Daten page), the file name and its size."""
    return {
        name: static_href(DATA_PAGE, file.path),
        f"{name}_name": file.path.rsplit("/", 1)[-1],
        f"{name}_size": size_de(file.size),
    }


def size_de(size: int) -> str:
    """``1234567`` → ``1,2 MB``; ``999`` → ``999 Byte``."""
    if size < 1000:
        return f"{size} Byte"
    for unit, factor in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < factor * 1000 or unit == "GB":
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    raise AssertionError  # not reached
