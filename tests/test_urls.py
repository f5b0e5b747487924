"""Links last: no published address disappears without a redirect or a withdrawal notice."""

import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.exports.urls import public_urls, removed_urls, url_list
from generator.pipeline import Paths, check, outputs
from generator.records.load import load
from generator.records.problems import ContentError
from generator.records.validate import validate
from generator.site.addresses import page_url
from generator.site.link import link

from .conftest import FIXTURES, ROOT


def test_page_url() -> None:
    assert page_url("index.md") == "/"
    assert page_url("vorlagen/index.md") == "/vorlagen/"
    assert page_url("vorlagen/x-1.md") == "/vorlagen/x-1/"
    assert page_url("impressum.md") == "/impressum/"
    assert page_url("vorlagen/alt/index.html") == "/vorlagen/alt/"


def test_public_urls_are_the_rendered_pages_without_year_pages() -> None:
    site = link(validate(load(FIXTURES / "valid")))
    from generator.records.settings import Settings

    rendered = {page_url(p.path) for p in outputs(site, settings=Settings()) if p.path.endswith((".md", ".html"))}
    assert public_urls(site) == {u for u in rendered if "/jahre/" not in u}
    assert "/vorlagen/bericht-2020/" in public_urls(site)  # a former id


@pytest.fixture
def published(tmp_path: Path, content_copy: Path) -> Paths:
    listed = tmp_path / "published-urls.txt"
    paths = Paths(content=content_copy, published=listed)
    listed.write_text(url_list(public_urls(check(paths))), encoding="utf-8")
    return paths


def test_deleting_a_published_record_fails_check(published: Paths) -> None:
    (published.content / "sessions" / "kreistag-2020-03-05.yml").unlink()
    text = (published.content / "papers" / "vorlage-1.yml").read_text(encoding="utf-8")
    (published.content / "papers" / "vorlage-1.yml").write_text(
        text.replace("  - session: kreistag-2020-03-05\n", "  - session: null\n"), encoding="utf-8"
    )
    with pytest.raises(ContentError) as info:
        check(published)
    (problem,) = info.value.problems
    assert published.published is not None
    line = published.published.read_text(encoding="utf-8").splitlines().index("/sitzungen/kreistag-2020-03-05/") + 1
    assert (problem.code, problem.path, problem.line) == ("url-removed", str(published.published), line)
    assert "former_ids" in problem.message and "withdrawn" in problem.message


def test_renaming_with_former_id_or_withdrawing_passes(published: Paths) -> None:
    old = published.content / "organizations" / "jobcenter.yml"
    new = published.content / "organizations" / "jobcenter-beispielkreis.yml"
    new.write_text(old.read_text(encoding="utf-8") + "former_ids: [jobcenter]\n", encoding="utf-8")
    old.unlink()
    for path in published.content.rglob("*.yml"):
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "organization: jobcenter\n", "organization: jobcenter-beispielkreis\n"
            ),
            encoding="utf-8",
        )
    assert "/organisationen/jobcenter/" in public_urls(check(published))
    ministry = published.content / "organizations" / "ministerium.yml"
    ministry.write_text(ministry.read_text(encoding="utf-8") + "withdrawn: {date: 2024}\n", encoding="utf-8")
    check(published)


def test_cli_urls_update_and_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    listing = tmp_path / "urls.txt"
    monkeypatch.chdir(ROOT)
    assert cli.main(["urls", "--content", str(content), "--published", str(listing), "--update"]) == 0
    assert "/vorlagen/vorlage-2/" in listing.read_text(encoding="utf-8")
    (content / "target_groups" / "jugendliche.yml").unlink()
    for path in content.rglob("*.yml"):
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("group: jugendliche\n", "")
            .replace("target_groups: [jugendliche]\n", ""),
            encoding="utf-8",
        )
    assert cli.main(["check", "--content", str(content), "--published", str(listing)]) == 1


def test_committed_list_matches_the_seed_site() -> None:
    published = ROOT / "site_config" / "published-urls.txt"
    site = check(Paths(content=ROOT / "content", published=published))
    listed = {line for line in published.read_text(encoding="utf-8").splitlines() if line.startswith("/")}
    assert listed <= public_urls(site)
    assert "/vereinbarungen/gemeinsame-vereinbarung-sgb2-2013/" in listed


def test_a_vanished_document_page_says_what_to_keep(tmp_path: Path) -> None:
    published = tmp_path / "published-urls.txt"
    published.write_text("/dokumente/weg-pdf/\n/vorlagen/weg/\n", encoding="utf-8")
    document, paper = removed_urls(published, set())
    assert "der Text des Dokuments fehlt in content/texts/" in document.message and document.line == 1
    assert "„withdrawn“" in paper.message and paper.line == 2
