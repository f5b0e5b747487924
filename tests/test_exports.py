"""The export stage: every file other than a page, and the manifest the Daten page is written from."""

from collections.abc import Iterator

import pytest

from generator.exports import stage
from generator.exports.stage import export
from generator.pages.render import render
from generator.records.load import load
from generator.records.validate import validate
from generator.site.link import link
from generator.site.publication import Publication

from .conftest import FIXTURES


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
