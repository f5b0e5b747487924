"""The export stage: every file other than a page, and the manifest the Daten page is written from."""

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
