from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.site.link import Site

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONTENT = ROOT / "content"
CONFIG = ROOT / "mkdocs.yml"
SEED = ROOT.parent / "shared" / "seeds" / "000_99fda5f60699bf28.txt"


@pytest.fixture(scope="session")
def built_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content/ built once with MkDocs (strict) into a temporary site folder."""
    from generator.pipeline import Paths, build

    base = tmp_path_factory.mktemp("content-site")
    build(Paths(content=CONTENT, site=base / "site", docs=base / "docs", config=CONFIG))
    return base / "site"


@pytest.fixture(scope="session")
def built_valid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixture set built once with MkDocs (strict)."""
    from generator.pipeline import Paths, build

    base = tmp_path_factory.mktemp("valid-site")
    build(Paths(content=FIXTURES / "valid", site=base / "site", docs=base / "docs", config=CONFIG))
    return base / "site"


@pytest.fixture
def files_read(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[Path]]:
    """Call it to start listing every file read with ``Path.read_bytes`` from then on; it returns that list."""

    def start() -> list[Path]:
        read: list[Path] = []
        original = Path.read_bytes

        def reading(self: Path) -> bytes:
            read.append(self)
            return original(self)

        monkeypatch.setattr(Path, "read_bytes", reading)
        return read

    return start


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture set."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", target)
    return target


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that starts Chromium (through the browser fixture) must be marked browser, so that
    `make test-fast` (-m "not browser and not slow") never waits for a browser."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError("uses the browser fixture, not marked @pytest.mark.browser: " + ", ".join(unmarked))


def page_link(text: str, href: str) -> str:
    """A link to another record's page as the templates write it: HTML to the Markdown file, marked for MkDocs'
    hook, left out of the search index; ``#`` in the address as a character reference (the attribute filter)."""
    return f'<a href="{href.replace("#", "&#35;")}" data-seite data-pagefind-ignore="all">{text}</a>'


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A linked demo corpus of 150 records: every kind, documents with text."""
    from generator.editing.demo import write_demo
    from generator.records.load import load
    from generator.records.validate import validate
    from generator.site.link import link

    corpus = tmp_path_factory.mktemp("demo") / "content"
    write_demo(records=150, out=corpus)
    return link(validate(load(corpus)))
