"""The export stage: every file other than a page, and the manifest the Daten page is written from."""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.exports import stage
from generator.exports.record_json import indented_json, record_json
from generator.exports.stage import export
from generator.exports.tables import TABLES, table_json, table_rows
from generator.pages.render import render
from generator.records.kinds import MODELS
from generator.records.load import load
from generator.records.models import Agreement
from generator.records.validate import validate
from generator.site.link import Site, link
from generator.site.publication import Publication

from .conftest import FIXTURES
from .test_hostile_input import PAYLOAD, RECORDS


def test_render_writes_pages_and_export_the_other_files() -> None:
    site = link(validate(load(FIXTURES / "valid")))
    exports = export(site, publication=Publication())
    exported = {f.path for f in exports.files}
    pages = {p.path for p in render(site, manifest=exports.manifest)}
    assert pages and all(path.endswith(".md") for path in pages)  # render: pages, nothing else
    assert not any(path.endswith(".md") for path in exported)
    assert {"daten/vorlagen.csv", "oparl/system.json", "aenderungen.xml", "urls.txt"} <= exported
    assert "vorlagen/vorlage-1.json" in exported and "vorlagen/bericht-2020/index.html" in exported  # redirect
    assert "daten.md" in pages  # from the manifest of the downloads
    assert "daten.md" not in {p.path for p in render(site)}  # without a manifest, no Daten page


def test_a_partial_export_gives_the_records_json_and_leaves_the_bulk_files() -> None:
    site = link(validate(load(FIXTURES / "valid")))
    exports = export(site, publication=Publication(), only={("papers", "vorlage-1")})
    paths = {f.path for f in exports.files}
    assert "vorlagen/vorlage-1.json" in paths and "vorlagen/vorlage-2.json" not in paths
    assert exports.manifest is None and not any(p.startswith("daten/") for p in paths)


def test_the_files_are_made_one_at_a_time_and_the_manifest_after_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # At 10,000 records the bulk files are 250 MB of text: made all before the first was written, they doubled the
    # generator's memory (632 MB against 236 MB before the export stage).
    site = link(validate(load(FIXTURES / "valid")))
    made: list[str] = []
    files = stage.Downloads.files

    def counted(self: stage.Downloads) -> Iterator[tuple[str, str]]:
        for path, text in files(self):
            made.append(path)
            yield path, text

    monkeypatch.setattr(stage.Downloads, "files", counted)
    exports = export(site, publication=Publication())
    with pytest.raises(RuntimeError):
        _ = exports.manifest  # nothing is exported yet: there is nothing to describe
    assert next(exports.files).path.endswith(".json") and made == []  # a record's JSON, no bulk file made for it
    rest = [page.path for page in exports.files]
    assert made and set(made) <= set(rest) and exports.manifest is not None


def test_the_json_files_are_the_text_pythons_indented_json_writes(tmp_path: Path, demo_site: Site) -> None:
    """Made by pydantic's encoder (several times faster than an indented ``json.dumps``, which encodes in Python),
    they are byte for byte what ``json.dumps(…, ensure_ascii=False, indent=1)`` wrote before: hostile text (quotes,
    control characters, ``</script>``, every kind's text fields) and the demo corpus's figures included."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    for kind, fields in RECORDS.items():
        (content / kind).mkdir(exist_ok=True)
        (content / kind / "boese.yml").write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    hostile = link(validate(load(content)))
    for site in (hostile, demo_site):
        count = 0
        for kind in MODELS:
            for record in site.records.of_kind(kind).values():
                data: dict[str, Any] = {
                    "kind": kind,
                    "url": f"https://example.org/{site.ref(kind, record.id).page[:-3]}/",
                    "record": record.model_dump(mode="json"),
                }
                if isinstance(record, Agreement):
                    data["outcome"] = record.outcome.value
                expected = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
                assert record_json(site, kind, record, base_url="https://example.org/") == expected
                count += 1
        assert count == len(site.records)
        for table in TABLES:
            rows = table_rows(site, table)
            assert table_json(rows) == json.dumps(rows, ensure_ascii=False, indent=1) + "\n", table.stem
    # Small floats are the only difference: the same numbers, written otherwise.
    numbers = [indented_json(x) for x in (1e-7, 5e-5, 0.5, 1e16, -3)]
    assert numbers == ["1e-7\n", "0.00005\n", "0.5\n", "1e+16\n", "-3\n"]
    assert json.loads(indented_json([1e-7, 5e-5])) == [1e-7, 5e-5]
    written = record_json(hostile, "papers", hostile.records.papers["boese"], base_url="https://example.org/")
    assert json.loads(written)["record"]["title"] == PAYLOAD
