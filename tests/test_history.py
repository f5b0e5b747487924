import subprocess
from pathlib import Path

import pytest

from generator.pages.views import HISTORY_LIMIT, history_view
from generator.records.history import read_history

from .conftest import CONTENT


def test_history_of_the_real_content_comes_from_git() -> None:
    history = read_history(CONTENT)
    assert history is not None
    changes = history["agreements/gemeinsame-vereinbarung-sgb2-2013.yml"]
    assert changes and all(len(c.date) == 10 for c in changes)


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
    git("commit", "-q", "-m", "Vorlage angelegt (intern: siehe Ticket 4711)")
    (tmp_path / "papers" / "p.yml").write_text("title: B\n")
    git("commit", "-q", "-am", "fix typo", "-m", "Änderung: Titel der Vorlage berichtigt")
    history = read_history(tmp_path)
    assert history is not None
    # the public note is the trailer; a commit without one has no note, and no commit message is ever kept
    assert [c.note for c in history["papers/p.yml"]] == ["Titel der Vorlage berichtigt", None]
    view = history_view(history["papers/p.yml"])
    assert [c["note"] for c in view["changes"]] == ["Titel der Vorlage berichtigt"]
    assert "Ticket" not in str(view) and "typo" not in str(view)


def test_history_view_shows_the_newest_changes() -> None:
    from generator.records.history import Change

    changes = [Change(f"2024-01-{day:02d}", f"Änderung {day}" if day > 1 else None) for day in range(20, 0, -1)]
    view = history_view(changes)
    assert view["last"] == "20. Januar 2024"
    assert len(view["changes"]) == HISTORY_LIMIT and view["more"] == "9 ältere Änderungen"  # 19 with a note
    assert history_view([]) == {"last": None, "changes": [], "more": None}


def test_a_bad_commit_date_and_control_characters_never_stop_a_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A commit dated in the year 10000 is left out, control characters in a message are dropped, with warnings;
    the feed stays well-formed XML."""
    import shutil
    import xml.etree.ElementTree as ET

    from generator.exports.feeds import atom_feed
    from generator.records.load import load
    from generator.records.validate import validate
    from generator.site.link import link
    from generator.site.publication import Publication

    from .conftest import FIXTURES

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)

    def git(*args: str, env: dict[str, str] | None = None) -> None:
        import os

        subprocess.run(
            ["git", "-C", str(content), *args], check=True, capture_output=True, env={**os.environ, **(env or {})}
        )

    git("init", "-q")
    git("config", "user.email", "redaktion@example.org")
    git("config", "user.name", "Redaktion")
    git("add", ".")
    git("commit", "-q", "-m", "Anfang")
    (content / "papers" / "vorlage-1.yml").write_text(
        (content / "papers" / "vorlage-1.yml").read_text(encoding="utf-8") + "# später\n", encoding="utf-8"
    )
    git("commit", "-q", "-am", "Datum aus der Zukunft", env={"GIT_AUTHOR_DATE": "@253402300800 +0000"})
    (content / "papers" / "vorlage-2.yml").write_text(
        (content / "papers" / "vorlage-2.yml").read_text(encoding="utf-8") + "# später\n", encoding="utf-8"
    )
    git("commit", "-q", "-am", "x", "-m", "Änderung: Steuer\x1b[31mzeichen\x07 und \x1f Trenner\x0c")
    with caplog.at_level("WARNING", logger="generator.records.history"):
        history = read_history(content)
    assert history is not None
    assert len(history["papers/vorlage-1.yml"]) == 1  # the year-10000 commit left out
    assert history["papers/vorlage-2.yml"][0].note == "Steuer [31mzeichen und Trenner"
    assert "is not a real date" in caplog.text and "control characters" in caplog.text
    site = link(validate(load(content)))
    pub = Publication()
    ET.fromstring(atom_feed(site, history=history, base_url=pub.base_url, name=pub.name, now=pub.now))
    for change in [c for changes in history.values() for c in changes]:
        history_view([change])  # every date reads as a date
