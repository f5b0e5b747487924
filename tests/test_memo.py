"""The build cache's memo of rendered pages: a page whose template and view data are as last time is read from its
file, and is the page rendering gives; anything else is rendered."""

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.pages.render import page_memo, render
from generator.records.load import load
from generator.records.stored import code_files, header
from generator.records.validate import validate
from generator.site.link import Site, link
from generator.site.memo import FILE_NAME, PageMemo
from generator.site.output import Page
from generator.site.write import write

from .conftest import FIXTURES


def site_of(content: Path) -> Site:
    return link(validate(load(content)))


def rendered(site: Site, memo: PageMemo | None) -> dict[str, str]:
    return {page.path: page.text for page in render(site, memo=memo)}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", folder)
    return folder


def first_build(content: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Render with an empty memo, write the pages and save the memo, as a build does."""
    cache, docs = tmp_path / "cache", tmp_path / "docs"
    memo = page_memo(cache, docs_dir=docs, demo=False)
    write(render(site_of(content), memo=memo), docs)
    memo.save()
    return cache, docs


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the memo has rendered from now on."""
    made: list[str] = []
    real = PageMemo.page

    def page(self: PageMemo, path: str, template: str, view: object, make: object) -> Page:
        def counted() -> str:
            made.append(path)
            return make()  # type: ignore[operator,no-any-return]

        return real(self, path, template, view, counted)

    monkeypatch.setattr(PageMemo, "page", page)
    return made


def test_unchanged_pages_are_read_not_rendered(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, docs = first_build(content, tmp_path)
    made = counting(monkeypatch)
    memo = page_memo(cache, docs_dir=docs, demo=False)
    assert memo.warm and not page_memo(tmp_path / "new", docs_dir=docs, demo=False).warm
    assert not page_memo(cache, docs_dir=tmp_path / "new-docs", demo=False).warm  # as in CI: the cache kept only
    again = rendered(site_of(content), memo)
    assert made == []
    assert again == rendered(site_of(content), None)


def test_a_changed_record_renders_its_pages_again(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, docs = first_build(content, tmp_path)
    path = content / "papers" / "vorlage-2.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = "Bericht mit neuem Titel"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    made = counting(monkeypatch)
    again = rendered(site_of(content), page_memo(cache, docs_dir=docs, demo=False))
    assert "vorlagen/vorlage-2.md" in made and "vorlagen/vorlage-1.md" not in made
    assert again == rendered(site_of(content), None)
    assert "Bericht mit neuem Titel" in again["vorlagen/vorlage-2.md"]


def test_a_page_read_from_its_file_is_marked_so_and_the_writer_does_not_read_it_again(
    content: Path, tmp_path: Path, files_read: Callable[[], list[Path]]
) -> None:
    cache, docs = first_build(content, tmp_path)
    path = content / "papers" / "vorlage-2.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Bericht ohne Beratung", "Neuer Titel"), encoding="utf-8")
    pages = list(render(site_of(content), memo=page_memo(cache, docs_dir=docs, demo=False)))
    kept = [page for page in pages if page.on_disk]
    assert "vorlagen/vorlage-1.md" in {page.path for page in kept}
    assert "vorlagen/vorlage-2.md" not in {page.path for page in kept}
    assert all((docs / page.path).read_text(encoding="utf-8") == page.text for page in kept)
    read = files_read()
    stats = write(pages, docs, prune=False)
    rendered_again = {page.path for page in pages if not page.on_disk}
    assert "vorlagen/vorlage-2.md" in set(stats.paths) == rendered_again  # they name the paper's title
    assert stats.unchanged == len(kept)
    assert not {docs / page.path for page in kept} & set(read)  # not compared with their files again
    assert {docs / page.path for page in pages} <= stats.kept  # claimed all the same: pruning keeps them


def test_a_page_file_changed_by_hand_is_rendered_again(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, docs = first_build(content, tmp_path)
    (docs / "vorlagen" / "vorlage-1.md").write_text("# von Hand\n", encoding="utf-8")
    (docs / "vorlagen" / "vorlage-2.md").unlink()
    made = counting(monkeypatch)
    again = rendered(site_of(content), page_memo(cache, docs_dir=docs, demo=False))
    assert sorted(made) == ["vorlagen/vorlage-1.md", "vorlagen/vorlage-2.md"]
    assert again == rendered(site_of(content), None)


def test_a_damaged_or_foreign_memo_renders_every_page(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache, docs = first_build(content, tmp_path)
    every = len(rendered(site_of(content), None))
    blob = (cache / FILE_NAME).read_bytes()
    (cache / FILE_NAME).write_bytes(blob[:-5] + b"xxxxx")
    made = counting(monkeypatch)
    with caplog.at_level(logging.WARNING):
        damaged = page_memo(cache, docs_dir=docs, demo=False)
        rendered(site_of(content), damaged)
    assert "is damaged" in caplog.text and len(made) == every and not damaged.warm
    first_build(content, tmp_path)
    made.clear()
    rendered(site_of(content), page_memo(cache, docs_dir=docs, demo=True))  # another flag: another header
    assert len(made) == every


def test_the_memo_depends_on_all_of_the_generators_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Templates call into the records' and the site's code (dates, models): every module and template is in the
    header, so that a changed generator renders every page again."""
    from generator.pages import render as render_module

    named: list[Path] = []

    def capture(name: str, *, parts: list[str], files: list[Path]) -> bytes:
        named.extend(files)
        return header(name, parts=parts, files=files)

    monkeypatch.setattr(render_module, "header", capture)
    page_memo(tmp_path, docs_dir=tmp_path, demo=False)
    assert set(named) == set(code_files("."))


def test_a_view_without_a_repr_of_its_fields_is_always_rendered(tmp_path: Path) -> None:
    memo = PageMemo(tmp_path, docs_dir=tmp_path, head=b"test\n")
    (tmp_path / "seite.md").write_text("alt", encoding="utf-8")
    assert memo.page("seite.md", "t.md.j2", {"x": object()}, lambda: "neu") == Page("seite.md", "neu")
    memo.save()
    assert not (tmp_path / FILE_NAME).exists()
