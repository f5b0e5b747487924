import subprocess
from pathlib import Path

from generator.history import read_history
from generator.views import HISTORY_LIMIT, history_view

from .conftest import CONTENT


def test_history_of_the_real_content_comes_from_git() -> None:
    history = read_history(CONTENT)
    assert history is not None
    changes = history["agreements/gemeinsame-vereinbarung-sgb2-2013.yml"]
    assert changes and all(len(c.date) == 10 and c.message for c in changes)


def test_outside_a_checkout_there_is_no_history(tmp_path: Path) -> None:
    assert read_history(tmp_path) is None


def test_history_of_a_fresh_repository(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "redaktion@example.org")
    git("config", "user.name", "Redaktion")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "p.yml").write_text("title: A\n")
    git("add", ".")
    git("commit", "-q", "-m", "Vorlage angelegt")
    (tmp_path / "papers" / "p.yml").write_text("title: B\n")
    git("commit", "-q", "-am", "Titel korrigiert")
    history = read_history(tmp_path)
    assert history is not None
    assert [c.message for c in history["papers/p.yml"]] == ["Titel korrigiert", "Vorlage angelegt"]


def test_history_view_shows_the_newest_changes() -> None:
    from generator.history import Change

    changes = [Change(f"2024-01-{day:02d}", f"Änderung {day}") for day in range(20, 0, -1)]
    view = history_view(changes)
    assert view["last"] == "20. Januar 2024"
    assert len(view["changes"]) == HISTORY_LIMIT and view["more"] == 20 - HISTORY_LIMIT
    assert history_view([]) == {"last": None, "changes": [], "more": 0}
