from pathlib import Path

import pathspec
import pytest

from generator.pipeline import Paths, build
from generator.publish.builder import build_site, publish_static
from generator.publish.shards import exclude_patterns
from generator.site.output import Page
from generator.site.write import static_dir, write

from .conftest import CONFIG, FIXTURES


def _specs(docs: Path, pages: list[str], jobs: int) -> list[pathspec.GitIgnoreSpec]:
    """``pages`` written into ``docs``, and each shard's ``exclude_docs`` as MkDocs reads it."""
    for page in pages:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text("x")
    return [pathspec.GitIgnoreSpec.from_lines(p.splitlines()) for p in exclude_patterns(docs, jobs)]


def test_every_page_is_built_by_exactly_one_shard_and_nav_pages_by_all(tmp_path: Path) -> None:
    pages = [
        "index.md",
        "vorlagen/index.md",
        "vorlagen/a-1.md",
        "vorlagen/b-2.md",
        "vorlagen/jahre/2013.md",
        "vorlagen/jahre/unbekannt.md",
        "sitzungen/x.md",
        "organisationen/bmas.md",
        "daten.md",
    ]
    for jobs in (2, 3):
        specs = _specs(tmp_path, pages, jobs)
        for page in pages:
            built_by = [i for i, spec in enumerate(specs) if not spec.match_file(page)]
            if page in ("index.md", "vorlagen/index.md", "daten.md"):
                assert built_by == list(range(jobs)), page
            else:
                assert len(built_by) == 1, (page, built_by)
        for theme_file in ("assets/javascripts/suche.js", "assets/stylesheets/extra.css"):
            assert all(not spec.match_file(theme_file) for spec in specs), theme_file


def _built_by(docs: Path, pages: list[str], jobs: int) -> list[list[str]]:
    built = [[page for page in pages if not spec.match_file(page)] for spec in _specs(docs, pages, jobs)]
    assert sorted(page for shard in built for page in shard) == sorted(pages)  # each page by one shard
    return built


@pytest.mark.parametrize("jobs", [2, 3])
def test_pages_whose_names_end_alike_are_still_split_evenly(tmp_path: Path, jobs: int) -> None:
    # Every document page ends in "-pdf": split by its last character, one shard would build them all; a name too
    # short for the place that splits the others does not undo the split.
    pages = [f"dokumente/vorlage-2014-{n:05d}-pdf.md" for n in range(1, 101)] + ["dokumente/a-b.md"]
    pages += [f"vorlagen/vorlage-2014-{n:05d}.md" for n in range(1, 41)]
    counts = [len(shard) for shard in _built_by(tmp_path, pages, jobs)]
    assert max(counts) - min(counts) <= 3, counts  # of 141 pages


def test_small_folders_even_out_one_another(tmp_path: Path) -> None:
    pages = [f"organisationen/gremium-{g}/sitzungen/sitzung-{n}.md" for g in range(7) for n in range(3)]
    assert sorted(len(shard) for shard in _built_by(tmp_path, pages, 2)) == [10, 11]


def test_a_hyphen_in_a_group_of_characters_stands_for_itself(tmp_path: Path) -> None:
    # Split by their second last characters (a, b, c, -): a group holding the hyphen with another character.
    pages = ["organisationen/a1.md", "organisationen/b1.md", "organisationen/c1.md", "organisationen/d-1.md"]
    built = _built_by(tmp_path, pages, 2)
    assert sorted(len(shard) for shard in built) == [2, 2]


def test_static_files_are_published_and_a_rebuild_never_changes_the_published_copy(tmp_path: Path) -> None:
    docs, site = tmp_path / "docs", tmp_path / "site"
    write([Page("vorlagen/a.md", "# A\n"), Page("vorlagen/a.json", "{}\n"), Page("urls.txt", "/\n")], docs)
    assert sorted(p.name for p in docs.rglob("*") if p.is_file()) == ["a.md"]  # MkDocs sees the pages only
    assert publish_static(static_dir(docs), site) == 2
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "urls.txt",
        "vorlagen/a.json",
    ]
    write([Page("vorlagen/a.md", "# A\n"), Page("vorlagen/a.json", '{"neu": 1}\n'), Page("urls.txt", "/\n")], docs)
    assert (site / "vorlagen" / "a.json").read_text() == "{}\n"  # the published file is not rewritten in place
    assert (static_dir(docs) / "vorlagen" / "a.json").read_text() == '{"neu": 1}\n'


@pytest.mark.slow
def test_parallel_build_gives_the_same_site(tmp_path: Path) -> None:
    paths = Paths(content=FIXTURES / "valid", site=tmp_path / "one", docs=tmp_path / "docs", config=CONFIG)
    build(paths)
    build_site(config_file=CONFIG, docs_dir=paths.docs, site_dir=tmp_path / "two", jobs=2)

    def files(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes()
            for p in site.rglob("*")
            if p.is_file() and "pagefind" not in p.parts
        }

    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert {k for k in one if one[k] != two[k]} == set()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "docs.static", "one", "two"]  # no staging folder left
    assert (tmp_path / "two" / "pagefind" / "pagefind-entry.json").is_file()  # one search index over all pages
