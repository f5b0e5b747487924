"""The one registry of record kinds, and everything derived from it agrees with it."""

from generator.editing import scaffold, schema
from generator.exports import oparl
from generator.pages import overviews
from generator.pages.views import VIEWS
from generator.records import kinds, validate
from generator.records.kinds import KINDS, MODELS

from .conftest import ROOT


def test_every_kind_has_its_folder_model_view_templates_and_schema() -> None:
    templates = ROOT / "generator" / "pages" / "templates"
    for kind in KINDS:
        assert kind.model.__name__.lower() in kind.folder.replace("_", ""), kind.folder
        assert (templates / f"{kind.folder}.md.j2").is_file() and (templates / f"{kind.folder}_index.md.j2").is_file()
        assert kind.folder in VIEWS
        assert (ROOT / "schemas" / f"{kind.folder}.schema.json").is_file()
    assert list(VIEWS) == [k for k in VIEWS if k in MODELS] and set(VIEWS) == set(MODELS)


def test_the_derived_tables_are_the_registry() -> None:
    assert list(MODELS) == [k.folder for k in KINDS]
    assert {k.folder: k.section for k in KINDS} == kinds.SECTIONS
    assert len(set(kinds.SECTIONS.values())) == len(KINDS)  # one address segment per kind
    assert {**{k.folder: k.singular for k in KINDS}, "files": "Datei"} == validate.KIND_NAMES_DE
    assert {k.folder: k.plural for k in KINDS} == overviews.TITLES
    assert {k.folder: k.singular for k in KINDS} == schema.TITLES
    assert {k.word: k.folder for k in KINDS if k.word} == scaffold.KINDS
    assert set(scaffold.TEMPLATES) == set(scaffold.KINDS.values())  # a scaffold for every kind `new` offers
    assert {k.folder: k.oparl[0] for k in KINDS if k.oparl} == oparl._FOLDERS
