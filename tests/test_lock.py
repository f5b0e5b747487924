"""One build at a time: a second build into the same folders waits for the first, or says clearly that it runs."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import Paths, build
from generator.publish import lock
from generator.publish.builder import BuildError
from generator.publish.lock import folders_locked

from .conftest import CONFIG, FIXTURES, ROOT

HOLDER = """
import sys
from pathlib import Path
from generator.publish.lock import folders_locked

with folders_locked(Path(sys.argv[1]), Path(sys.argv[2])):
    print("gesperrt", flush=True)
    sys.stdin.read()  # until the test closes stdin
"""


@pytest.fixture
def holder(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Another process holding the lock on ``tmp_path/site`` and ``tmp_path/docs`` until its stdin is closed."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "site"), str(tmp_path / "docs")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "gesperrt\n"
    yield child
    if child.stdin is not None:
        child.stdin.close()
    child.wait(timeout=5)


def paths(tmp_path: Path) -> Paths:
    return Paths(content=FIXTURES / "valid", site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG)


def test_second_build_gives_up_with_a_clear_message(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    started = time.monotonic()
    with pytest.raises(BuildError) as info:
        build(paths(tmp_path))
    assert time.monotonic() - started >= 0.3
    message = str(info.value)
    assert message.startswith("Ein anderer Build läuft gerade in diesen Ordnern (")
    assert f"{tmp_path / 'site'}/" in message and f"{tmp_path / 'docs'}/" in message
    assert f"Prozess {holder.pid}" in message
    assert "die Website wurde nicht verändert" in message
    assert not (tmp_path / "site").exists() and not (tmp_path / "docs").exists()  # nothing written


def test_the_command_line_reports_a_running_build_without_traceback(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    argv = ["build", "--content", str(FIXTURES / "valid"), "--config", str(CONFIG)]
    assert main([*argv, "--site", str(tmp_path / "site"), "--docs", str(tmp_path / "docs")]) == 1
    err = capsys.readouterr().err
    assert "Ein anderer Build läuft gerade in diesen Ordnern" in err
    assert "Interner Fehler" not in err and "Traceback" not in err


@pytest.mark.slow
def test_second_build_waits_for_the_first_and_then_builds(
    tmp_path: Path, holder: subprocess.Popen[str], caplog: pytest.LogCaptureFixture
) -> None:
    assert holder.stdin is not None
    threading.Timer(0.5, holder.stdin.close).start()  # the first build ends after half a second
    started = time.monotonic()
    result = build(paths(tmp_path))
    assert time.monotonic() - started >= 0.5
    assert result.records and (tmp_path / "site" / "index.html").is_file()
    assert "Ein anderer Build läuft gerade" in caplog.text and "wartet" in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "docs.static", "site"]  # no lock file left


def test_builds_into_other_folders_do_not_wait(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    with folders_locked(tmp_path / "other-site", tmp_path / "other-docs", wait=0):
        pass
    with pytest.raises(BuildError), folders_locked(tmp_path / "site", wait=0):
        pass  # sharing one folder is enough to wait


FORKING_HOLDER = """
import os, sys, time
from pathlib import Path
from generator.publish.lock import folders_locked

with folders_locked(Path(sys.argv[1])):
    worker = os.fork()
    if worker == 0:
        os.closerange(0, 3)  # not the test's output pipes
        time.sleep(30)  # a worker that outlives its build
        os._exit(0)
    print(worker, flush=True)
    os._exit(1)  # killed: no release
"""


def test_a_lost_worker_process_does_not_keep_the_lock(tmp_path: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", FORKING_HOLDER, str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True
    )
    assert child.returncode == 1, child.stderr
    worker = int(child.stdout)
    try:
        with folders_locked(tmp_path / "site", wait=1):
            pass
    finally:
        os.kill(worker, 9)


@pytest.mark.slow
def test_two_builds_started_at_once_into_the_same_folders_both_succeed(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "generator", "build", "--content", str(FIXTURES / "valid"), "--config"]
    command += [str(CONFIG), "--site", str(tmp_path / "site"), "--docs", str(tmp_path / "docs")]
    command += ["--cache", str(tmp_path / "cache")]
    builds = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    builds.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    said = []
    for child in builds:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert "Interner Fehler" not in err
        said.append(out.split(":")[0])
    # One after the other: the one that waited finds the same content built and nothing to do.
    assert sorted(said) == ["Nichts geändert seit dem letzten Build", "Website gebaut"]
    assert (tmp_path / "site" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "docs", "docs.static", "site"]
