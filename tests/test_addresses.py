"""Every address is decided in generator/addresses.py, from ids."""

import logging
import re
from types import SimpleNamespace

import pytest

from generator.site.addresses import (
    absolute_url,
    attachment_path,
    former_json_path,
    former_url,
    json_path,
    page_path,
    page_url,
    redirect_path,
    static_href,
)

from .conftest import ROOT


def test_each_output_has_its_one_address() -> None:
    page = page_path("papers", "50-2669-xv-2013")
    assert page == "vorlagen/50-2669-xv-2013.md" and page_url(page) == "/vorlagen/50-2669-xv-2013/"
    assert absolute_url("https://x.example/t/", page) == "https://x.example/t/vorlagen/50-2669-xv-2013/"
    assert json_path(page) == "vorlagen/50-2669-xv-2013.json"
    assert static_href(page, json_path(page)) == "50-2669-xv-2013.json"  # relative to the Markdown file
    assert static_href("index.md", "daten/vorlagen.csv") == "daten/vorlagen.csv"
    assert static_href("vorlagen/jahre/2013.md", "dateien/a.pdf") == "../../dateien/a.pdf"
    assert (
        redirect_path("papers", "alt") == "vorlagen/alt/index.html" and former_url("papers", "alt") == "/vorlagen/alt/"
    )
    assert former_json_path("papers", "alt") == "vorlagen/alt.json"
    assert attachment_path("brief.pdf") == "dateien/brief.pdf"
    assert page_url("index.md") == "/" and page_url("vorlagen/index.md") == "/vorlagen/"
    assert page_url("vorlagen/x.md", directory_urls=False) == "/vorlagen/x.html"
    assert page_url("index.md", directory_urls=False) == "/"  # Pagefind's address of index.html


# What building an address by hand looks like: a page's JSON, a section's segment, an overview or year page, the
# folders of attachments, downloads and OParl, the address list.
HAND_MADE = re.compile(
    r'removesuffix\("\.md"\) \+ "\.json"|f"/?\{SECTIONS\[|/index\.md"|/jahre/|"(dateien|daten|oparl)/|"urls\.txt"'
)


def test_no_other_module_builds_an_address_by_hand() -> None:
    offenders = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "generator").rglob("*.py"))
        if path.name != "addresses.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_MADE.search(line.split("  #")[0]) and "``" not in line  # code, not a comment or a docstring
    ]
    assert offenders == []


def test_two_documents_of_one_stem_have_two_pages() -> None:
    from generator.site.addresses import document_page

    assert document_page("bericht.pdf") == "dokumente/bericht-pdf.md" != document_page("bericht.txt")


def test_the_mkdocs_hook_makes_data_links_relative_to_the_built_page() -> None:
    """MkDocs leaves HTML alone: the hook does for the marked links what MkDocs does for Markdown links."""
    from generator.publish.hooks import on_page_content

    def built(src_uri: str, url: str, html: str) -> str:
        return on_page_content(html, page=SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), url=url), files=None)

    link = '<a href="{}" data-datei>x</a>'
    assert built("vorlagen/x.md", "vorlagen/x/", link.format("x.json")) == link.format("../x.json")
    assert built("vorlagen/index.md", "vorlagen/", link.format("x.json")) == link.format("x.json")
    assert built("index.md", "", link.format("daten/a.csv")) == link.format("daten/a.csv")
    assert built("daten.md", "daten/", link.format("daten/a.csv")) == link.format("a.csv")
    assert built("a/b.md", "a/b/", link.format("../dateien/c.pdf#seite-2")) == link.format(
        "../../dateien/c.pdf#seite-2"
    )
    assert built("a/b.md", "a/b.html", link.format("b.json")) == link.format("b.json")  # use_directory_urls: false
    other = '<a href="x.json">unmarked</a> <a href="https://x.example/a.pdf" data-datei>web</a>'
    assert built("vorlagen/x.md", "vorlagen/x/", other) == other


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_mkdocs_hook_links_marked_pages_as_mkdocs_links_markdown_files(
    directory_urls: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """Links to pages are HTML (Python-Markdown is slow on Markdown links with attribute lists): the hook gives
    each the address MkDocs gives a Markdown link to the same file, and warns (strict: stops) on a missing one."""
    from mkdocs.structure.files import File, Files

    from generator.publish.hooks import on_page_content

    def file(path: str) -> File:
        return File(path, src_dir="/docs", dest_dir="/site", use_directory_urls=directory_urls)

    here = file("vorlagen/x.md")
    files = Files([file("index.md"), here, file("vorlagen/index.md"), file("sitzungen/s.md")])
    page = SimpleNamespace(file=here, url=here.url, links_to_anchors={})
    link = '<a href="{}" data-seite data-pagefind-ignore="all">S</a>'
    html = link.format("../sitzungen/s.md&#35;seite-2") + link.format("index.md") + link.format("../index.md")
    expected = (
        ["../../sitzungen/s/#seite-2", "../", "../../"]
        if directory_urls
        else ["../sitzungen/s.html#seite-2", "index.html", "../index.html"]
    )
    assert on_page_content(html, page=page, files=files) == "".join(link.format(h) for h in expected)
    missing = link.format("../sitzungen/fehlt.md")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        assert on_page_content(missing, page=page, files=files) == missing
    assert "sitzungen/fehlt.md" in caplog.text and caplog.records[0].name.startswith("mkdocs.")
    assert caplog.records[0].levelno == logging.WARNING
    # The anchor goes to MkDocs' check of anchors, as a Markdown link's does (validation.anchors).
    assert page.links_to_anchors == {
        files.get_file_from_path("sitzungen/s.md"): {"seite-2": "../sitzungen/s.md#seite-2"}
    }
    caplog.clear()
    quiet = SimpleNamespace(validation=SimpleNamespace(links=SimpleNamespace(not_found=logging.INFO)))
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        on_page_content(missing, page=page, files=files, config=quiet)  # reported as MkDocs is told to
    assert [r.levelno for r in caplog.records] == [logging.INFO]
