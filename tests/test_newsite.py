"""``new-site``: a site folder that builds, with the tool installed from a wheel outside the checkout."""

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from generator.editing.newsite import NewSiteError, new_site, skeleton

from .conftest import ROOT


def test_the_skeleton_is_the_checkouts_own_configuration() -> None:
    assert skeleton("mkdocs.yml") == (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert skeleton("settings.yml") == (ROOT / "site_config" / "settings.yml").read_text(encoding="utf-8")


def test_a_new_site_has_configuration_settings_and_empty_content(tmp_path: Path) -> None:
    written = new_site(tmp_path / "kreis", command="transparenz")
    names = {p.relative_to(tmp_path / "kreis").as_posix() for p in written}
    assert {"mkdocs.yml", "site_config/settings.yml", "README.md", "content/papers/.gitkeep"} <= names
    assert "transparenz build" in (tmp_path / "kreis" / "README.md").read_text(encoding="utf-8")
    with pytest.raises(NewSiteError, match="nicht leer"):
        new_site(tmp_path / "kreis", command="transparenz")


@pytest.mark.slow
def test_installed_from_a_wheel_outside_the_checkout_new_site_then_build_gives_a_site(tmp_path: Path) -> None:
    """pip install of the checkout (as a wheel) into a fresh venv; the dependencies come from the project's .venv
    (a .pth file), so nothing is downloaded. Then, in a folder far from the checkout: new-site, build."""
    wheels = tmp_path / "wheels"
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        **run,
    )  # type: ignore[call-overload]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], **run)  # type: ignore[call-overload]
    purelib = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    (purelib / "projekt-abhaengigkeiten.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    wheel = next(wheels.glob("transparenz_generator-*.whl"))
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], **run)  # type: ignore[call-overload]
    command = venv / "bin" / "transparenz"
    work = tmp_path / "anderswo"
    work.mkdir()
    made = subprocess.run([str(command), "new-site", "demo"], cwd=work, **run)  # type: ignore[call-overload]
    assert "cd demo && transparenz build" in made.stdout
    built = subprocess.run([str(command), "build"], cwd=work / "demo", **run)  # type: ignore[call-overload]
    assert "Website gebaut" in built.stdout, built.stdout + built.stderr
    site = work / "demo" / "site"
    assert (site / "index.html").is_file() and (site / "pagefind" / "pagefind-ui.js").is_file()
    assert (site / "assets" / "stylesheets" / "extra.css").is_file()  # the theme came with the tool
    assert "generator" not in {p.name for p in (work / "demo").iterdir()}  # no copy of the code in the site


def test_new_site_where_a_file_stands_says_so(tmp_path: Path) -> None:
    (tmp_path / "datei").write_text("x", encoding="utf-8")
    with pytest.raises(NewSiteError, match="eine Datei"):
        new_site(tmp_path / "datei", command="transparenz")
    with pytest.raises(NewSiteError, match="kein Ordner"):
        new_site(tmp_path / "datei" / "unter", command="transparenz")
