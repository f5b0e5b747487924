"""Each record's data as JSON, beside its page (``/vorlagen/x.json``) and at its former addresses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from generator.records.kinds import MODELS
from generator.records.models import Agreement, Record
from generator.site.addresses import absolute_url, former_json_path, json_path
from generator.site.link import Site


def record_json(site: Site, kind: str, record: Record, *, base_url: str) -> str:
    """The record as JSON: its fields as in the YAML file (unknown values ``null``), its page's address and kind."""
    data: dict[str, Any] = {
        "kind": kind,
        "url": absolute_url(base_url, site.ref(kind, record.id).page),
        "record": record.model_dump(mode="json"),
    }
    if isinstance(record, Agreement):
        data["outcome"] = record.outcome.value
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def record_files(site: Site, *, only: set[tuple[str, str]] | None, base_url: str) -> Iterator[tuple[str, str]]:
    """Each record's JSON file (or those in ``only``), as ``(path below the docs folder, text)``.

    A renamed record's data stays at its former addresses too (a JSON file cannot redirect): the same text, whose
    ``url`` names the current page.
    """
    for kind in MODELS:
        for record in site.records.of_kind(kind).values():
            if only is None or (kind, record.id) in only:
                path, text = record_json_path(site, kind, record.id), record_json(site, kind, record, base_url=base_url)
                yield path, text
                for former in record.former_ids:
                    yield former_json_path(kind, former), text


def record_json_path(site: Site, kind: str, record_id: str) -> str:
    """``vorlagen/x.json``: beside the page's Markdown source, so MkDocs publishes it at ``/vorlagen/x.json``."""
    return json_path(site.ref(kind, record_id).page)
