"""Which Pagefind runs (generator/publish/pagefind.py) and how `make` installs it (scripts/pagefind_npm.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
from pathlib import Path

import pytest

from generator.publish import pagefind
from scripts import pagefind_npm


def test_the_binary_make_installed_beside_python_runs_unless_another_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert pagefind.command() == [str(python), "-m", "pagefind"]  # nothing beside it: PyPI's Pagefind
    beside = python.parent / "pagefind_extended"
    beside.write_text("")
    assert pagefind.command() == [str(python), "-m", "pagefind"]  # not executable (a broken download): not used
    beside.chmod(0o755)
    assert pagefind.command() == [str(beside)]
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind")  # PyPI's wrapper runs the named one
    assert pagefind.command() == [str(python), "-m", "pagefind"]


def test_the_installed_pagefind_is_the_pinned_release() -> None:
    """`make test` installed it: the build and the build cache's key name the same version."""
    if pagefind_npm.platform_key() not in pagefind_npm.INTEGRITY:
        pytest.skip(f"no pinned Pagefind build for {pagefind_npm.platform_key()}")
    if not (Path(sys.executable).parent / pagefind.BESIDE_PYTHON).is_file():
        pytest.skip("installed without make: PyPI's Pagefind")
    assert pagefind.version() == f"pagefind {pagefind_npm.VERSION}"


def _tarball(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo(f"package/bin/{pagefind_npm.EXECUTABLE}")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


class _Response(io.BytesIO):
    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def test_a_download_whose_checksum_differs_is_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _tarball(b"#!/bin/sh\necho pagefind " + pagefind_npm.VERSION.encode() + b"\n")
    monkeypatch.setattr(pagefind_npm, "platform_key", lambda: "linux-x64")
    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: _Response(fake))
    with pytest.raises(SystemExit, match="checksum differs from the pinned one"):
        pagefind_npm.install(tmp_path)
    assert list(tmp_path.iterdir()) == []
    # The same archive with its checksum pinned is unpacked, made executable and checked by running it.
    digest = base64.b64encode(hashlib.sha512(fake).digest()).decode()
    monkeypatch.setitem(pagefind_npm.INTEGRITY, "linux-x64", f"sha512-{digest}")
    assert pagefind_npm.install(tmp_path).startswith(f"Pagefind {pagefind_npm.VERSION}: installed from https://")
    assert pagefind_npm.installed_version(tmp_path / pagefind_npm.EXECUTABLE) == pagefind_npm.VERSION
    assert pagefind_npm.install(tmp_path) == f"Pagefind {pagefind_npm.VERSION}: installed"  # no second download


def test_a_platform_without_a_pinned_build_keeps_pypi_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagefind_npm, "platform_key", lambda: "sunos-sparc")
    assert "no pinned build for sunos-sparc" in pagefind_npm.install(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_offline_the_install_says_so_and_leaves_pypi_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(url: str, timeout: float) -> None:
        raise OSError("Network is unreachable")

    monkeypatch.setattr(pagefind_npm, "platform_key", lambda: "linux-x64")
    monkeypatch.setattr("urllib.request.urlopen", offline)
    said = pagefind_npm.install(tmp_path)
    assert said.startswith("Warnung: Pagefind 1.6.0 not downloaded (Network is unreachable)")
    assert list(tmp_path.iterdir()) == []


def test_pagefind_runs_without_its_own_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forced language or another output folder would change the index behind the build cache's back."""
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind")
    environment = pagefind.environment()
    assert "PAGEFIND_FORCE_LANGUAGE" not in environment and environment["PAGEFIND_BINARY_PATH"] == "/opt/pagefind"
