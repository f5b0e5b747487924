"""The MkDocs hook (generator/publish/hooks.py, copied to build/hooks.py): the compiled theme templates kept between
builds. (Its links are tested with the pages they are in: test_build, test_partial.)"""

import os
import time
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.publish.builder import build_pages
from generator.publish.hooks import set_up_digest

from .conftest import CONFIG

PAGES = ["index.md", "vorlagen/vorlage-1.md"]


def test_a_build_reads_the_theme_templates_compiled_by_the_last_one_and_compiles_a_damaged_one_anew(
    built_valid: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "mkdocs.yml"  # its build/ folder (hooks, theme, compiled templates) in tmp_path
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    docs = built_valid.parent / "docs"
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)

    def built(out: str) -> str:
        compiled.clear()
        build_pages(config_file=config, docs_dir=docs, pages=PAGES, out_dir=tmp_path / out)
        return (tmp_path / out / "vorlagen" / "vorlage-1" / "index.html").read_text(encoding="utf-8")

    first = built("first")
    assert "main.html" in compiled and "partials/header.html" in compiled
    stored = sorted((tmp_path / "build" / "jinja").glob("mkdocs-*-jinja2-*/__jinja2_*.cache"))
    assert len(stored) == len(set(compiled))
    assert built("second") == first and compiled == []  # every template read from the cache
    for path in stored:  # cut short: Jinja2 drops what it cannot read and compiles the template again
        path.write_bytes(path.read_bytes()[:40])
    assert built("third") == first and "main.html" in compiled


def test_a_compiled_template_that_cannot_be_stored_is_compiled_as_without_the_cache(
    built_valid: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder or a full disk (Jinja2 itself lets the error through and stops the build)."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")

    def refused(self: object, bucket: object) -> None:
        raise PermissionError(13, "Keine Berechtigung")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", refused)
    build_pages(config_file=config, docs_dir=built_valid.parent / "docs", pages=PAGES, out_dir=tmp_path / "out")
    assert (tmp_path / "out" / "vorlagen" / "vorlage-1" / "index.html").is_file()
    assert not list((tmp_path / "build" / "jinja").rglob("*.cache"))


def test_another_set_up_of_the_environment_compiles_into_a_folder_of_its_own_and_old_folders_go(
    built_valid: Path, tmp_path: Path
) -> None:
    plain, again = jinja2.Environment(), jinja2.Environment()
    assert set_up_digest(plain) == set_up_digest(again)
    again.filters["titel"] = jinja2.pass_context(lambda context, value: value)  # called with the context
    assert set_up_digest(plain) != set_up_digest(again)
    assert set_up_digest(plain) != set_up_digest(jinja2.Environment(trim_blocks=True))
    assert set_up_digest(plain) != set_up_digest(jinja2.Environment(extensions=["jinja2.ext.i18n"]))
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    old = tmp_path / "build" / "jinja" / "mkdocs-1.0-jinja2-3.0-000000000000"
    old.mkdir(parents=True)
    (old / "__jinja2_x.cache").write_bytes(b"alt")
    build_pages(config_file=config, docs_dir=built_valid.parent / "docs", pages=PAGES, out_dir=tmp_path / "out")
    assert [p.name != old.name for p in (tmp_path / "build" / "jinja").iterdir()] == [True]


def test_half_written_files_a_killed_build_left_go_and_those_being_written_stay(
    built_valid: Path, tmp_path: Path
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    docs = built_valid.parent / "docs"
    build_pages(config_file=config, docs_dir=docs, pages=PAGES, out_dir=tmp_path / "first")
    (folder,) = (tmp_path / "build" / "jinja").iterdir()
    old, fresh = folder / "__jinja2_x.cacheabc.tmp", folder / "__jinja2_y.cachedef.tmp"
    old.write_bytes(b"halb")
    fresh.write_bytes(b"halb")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    build_pages(config_file=config, docs_dir=docs, pages=PAGES, out_dir=tmp_path / "second")
    assert not old.exists() and fresh.exists()  # a shard beside this build may be writing the young one
    assert list(folder.glob("*.cache"))
