"""Atom feed and iCal file, read back with real parsers (feedparser, icalendar)."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
from icalendar import Calendar

from generator.pipeline import outputs
from generator.records.history import read_history
from generator.records.load import load
from generator.records.validate import validate
from generator.site.link import Site, link
from generator.site.publication import Publication

from .conftest import FIXTURES

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
PUBLICATION = Publication(base_url="https://kreis.example.org/transparenz/", name="Transparenz", now=NOW)


def files(content: Path) -> dict[str, str]:
    site: Site = link(validate(load(content)))
    pages = outputs(site, history=read_history(content), publication=PUBLICATION)
    return {p.path: p.text for p in pages if p.path in ("aenderungen.xml", "sitzungen.ics")}


def commit(folder: Path, message: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for args in (("add", "-A"), ("commit", "-q", "-m", message)):
        subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def test_the_feed_lists_new_and_changed_records_newest_first(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    subprocess.run(["git", "-C", str(content), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(content), "config", "user.email", "redaktion@example.org"], check=True)
    subprocess.run(["git", "-C", str(content), "config", "user.name", "Redaktion"], check=True)
    commit(content, "Erste Fassung", "2026-01-10T09:00:00+01:00")
    paper = content / "papers" / "vorlage-2.yml"
    paper.write_text(paper.read_text(encoding="utf-8") + "summary: Ergänzt.\n", encoding="utf-8")
    commit(content, "summary added (intern)\n\nÄnderung: Zusammenfassung ergänzt", "2026-02-01T10:30:00+01:00")

    feed = feedparser.parse(files(content)["aenderungen.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Neu und geändert – Transparenz"
    first = feed.entries[0]
    assert first.title == "Geändert: Vorlage 10/2/2020"
    assert first.link == "https://kreis.example.org/transparenz/vorlagen/vorlage-2/"
    assert first.id == first.link
    assert first.updated == "2026-02-01T10:30:00+01:00"
    assert first.summary == "Geändert am 1. Februar 2026: Zusammenfassung ergänzt"
    assert "intern" not in str(feed)  # a commit message is never published, only its "Änderung:" note
    assert feed.entries[1].summary.endswith(".")  # "Neu am 10. Januar 2026." (no note)
    assert len(feed.entries) == 14  # every record of the fixture set, each once
    titles = [e.title.split(": ", 1)[0] for e in feed.entries[1:]]
    assert set(titles) == {"Neu", "Zurückgezogen"}  # the fixture set has one withdrawn record
    assert titles.count("Zurückgezogen") == 1


def test_without_git_the_feed_is_valid_and_empty(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "valid", tmp_path / "content")  # outside any git checkout
    feed = feedparser.parse(files(tmp_path / "content")["aenderungen.xml"])
    assert not feed.bozo and feed.entries == []
    assert feed.feed.updated == NOW.isoformat()


def test_sessions_calendar_with_stable_uids(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    (content / "sessions" / "kreistag-2020-06.yml").write_text(
        "name: Sitzung im Juni\norganization: kreistag\ndate: 2020-06\n", encoding="utf-8"
    )
    (content / "sessions" / "ausschuss-2020-09-01.yml").write_text(
        "name: Ausschuss\norganization: kreistag\ndate: 2020-09-01\nstate: cancelled\nlocation: Raum 1; Kreishaus\n",
        encoding="utf-8",
    )
    text = files(content)["sitzungen.ics"]
    assert text == files(content)["sitzungen.ics"]  # the same file on every build
    calendar = Calendar.from_ical(text)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == [  # the June session has no known day and stays out
        "sitzung-ausschuss-2020-09-01@kreis.example.org",
        "sitzung-kreistag-2020-03-05@kreis.example.org",
    ]
    held = events["sitzung-kreistag-2020-03-05@kreis.example.org"]
    assert held.decoded("dtstart") == dt.datetime(2020, 3, 5, 16, 0, tzinfo=dt.UTC)  # 17:00 in Germany
    assert str(held["summary"]) == "5. Sitzung des Kreistags"
    assert str(held["url"]) == "https://kreis.example.org/transparenz/sitzungen/kreistag-2020-03-05/"
    cancelled = events["sitzung-ausschuss-2020-09-01@kreis.example.org"]
    assert cancelled.decoded("dtstart") == dt.date(2020, 9, 1)  # no start time: an all-day event
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["location"]) == "Raum 1; Kreishaus"
