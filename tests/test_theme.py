"""The theme overrides come with the package and are copied next to mkdocs.yml by every build."""

from pathlib import Path

from generator.publish.theme import THEME_DIR, install_theme

from .conftest import ROOT


def test_the_theme_is_copied_changed_files_rewritten_and_old_ones_removed(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    target = install_theme(config)
    assert target == tmp_path / THEME_DIR
    css = target / "assets" / "stylesheets" / "extra.css"
    assert (
        css.read_bytes()
        == (ROOT / "generator" / "publish" / "theme" / "assets" / "stylesheets" / "extra.css").read_bytes()
    )
    mtime = css.stat().st_mtime_ns
    (target / "alt.html").write_text("von einer alten Version", encoding="utf-8")
    (target / "main.html").write_text("verändert", encoding="utf-8")
    install_theme(config)
    assert not (target / "alt.html").exists()
    assert (target / "main.html").read_text(encoding="utf-8") != "verändert"
    assert css.stat().st_mtime_ns == mtime  # unchanged files are not written again


def test_mkdocs_yml_points_to_the_copied_theme() -> None:
    assert f"custom_dir: {THEME_DIR.as_posix()}" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_theme_folder_that_is_a_link_or_a_file_is_refused_and_nothing_written_through_it(tmp_path: Path) -> None:
    import pytest

    from generator.publish.theme import ThemeError

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    victim = tmp_path / "anderswo"
    victim.mkdir()
    (victim / "wichtig.txt").write_text("bleibt", encoding="utf-8")
    (tmp_path / "build").mkdir()
    (tmp_path / THEME_DIR).symlink_to(victim, target_is_directory=True)
    with pytest.raises(ThemeError, match="kein Ordner"):
        install_theme(config)
    assert [p.name for p in victim.iterdir()] == ["wichtig.txt"]
    (tmp_path / THEME_DIR).unlink()
    (tmp_path / THEME_DIR).write_text("eine Datei", encoding="utf-8")
    with pytest.raises(ThemeError):
        install_theme(config)
