import os
import shutil
import threading
import time
import urllib.request
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.editing.preview import Preview, Update, affected, changed_years, record_key
from generator.editing.serve import VERSION_PATH, Handler, State, reload_script, running, watch
from generator.pages import overviews
from generator.pipeline import Paths
from generator.publish import builder
from generator.publish.partial import partial_docs
from generator.records.load import Stamps, file_stamps
from generator.records.problems import ContentError
from generator.site.addresses import html_path

from .conftest import CONFIG


@pytest.fixture
def preview(tmp_path: Path, content_copy: Path) -> Preview:
    p = Preview(Paths(content=content_copy, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    p.build_all()
    return p


def changed(preview: Preview) -> bool:
    """Whether the content folder differs from what the preview last took in."""
    return file_stamps(preview.paths.content) != preview.stamps


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_html_path_and_record_key() -> None:
    assert html_path("index.md") == "index.html"
    assert html_path("vorlagen/index.md") == "vorlagen/index.html"
    assert html_path("vorlagen/x-1.md") == "vorlagen/x-1/index.html"
    assert record_key("papers/x-1.yml") == ("papers", "x-1")
    assert record_key("files/a.pdf") is None


def test_one_edit_rebuilds_the_record_and_what_shows_it(preview: Preview) -> None:
    site = preview.paths.site
    untouched = site / "organisationen" / "jobcenter" / "index.html"
    before = untouched.stat().st_mtime_ns
    assert not changed(preview)
    edit(preview.paths.content / "papers" / "vorlage-2.yml", "Bericht ohne Beratung", "Bericht mit neuem Titel")
    assert changed(preview)
    update = preview.update()
    assert "vorlagen/vorlage-2.md" in update.pages
    assert "vereinbarungen/ziele-2021-offen.md" in update.pages  # names the paper
    assert "vorlagen/index.md" in update.pages  # the overview lists titles
    assert "organisationen/jobcenter.md" not in update.pages
    assert "Bericht mit neuem Titel" in (site / "vorlagen" / "vorlage-2" / "index.html").read_text(encoding="utf-8")
    assert "Bericht mit neuem Titel" in (site / "vereinbarungen" / "ziele-2021-offen" / "index.html").read_text(
        encoding="utf-8"
    )
    assert untouched.stat().st_mtime_ns == before
    assert not changed(preview)
    full = (site / "vorlagen" / "vorlage-1" / "index.html").read_text(encoding="utf-8")  # from the first build
    updated = (site / "vorlagen" / "vorlage-2" / "index.html").read_text(encoding="utf-8")
    retrieved = full.split('class="zitat-abruf">', 1)[1].split("<", 1)[0]
    assert "1970" not in retrieved and f'class="zitat-abruf">{retrieved}<' in updated  # the same build date


@pytest.mark.slow
def test_an_edit_does_not_read_the_attachments_again(preview: Preview, files_read: Callable[[], list[Path]]) -> None:
    """They are as in the last build (a changed attachment builds everything anew): each would be read and compared
    with its copy on every update (seconds at 6,000 PDFs)."""
    files = (preview.paths.content / "files").resolve()
    assert any(files.iterdir())
    read = files_read()
    edit(preview.paths.content / "papers" / "vorlage-2.yml", "Bericht ohne Beratung", "Bericht mit neuem Titel")
    update = preview.update()
    assert "vorlagen/vorlage-2.md" in update.pages
    assert [path for path in read if path.resolve().is_relative_to(files)] == []


def test_new_and_deleted_records(preview: Preview) -> None:
    new = preview.paths.content / "papers" / "vorlage-3.yml"
    new.write_text("reference: 10/3/2020\ntitle: Neue Vorlage\npaper_type: Antrag\n", encoding="utf-8")
    assert "vorlagen/vorlage-3.md" in preview.update().pages
    assert (preview.paths.site / "vorlagen" / "vorlage-3" / "index.html").is_file()
    assert (preview.paths.site / "vorlagen" / "vorlage-3.json").is_file()  # its data beside it
    new.unlink()
    update = preview.update()
    assert update.removed == ["vorlagen/vorlage-3.md"]
    assert not (preview.paths.site / "vorlagen" / "vorlage-3").exists()
    assert not (preview.paths.site / "vorlagen" / "vorlage-3.json").exists()
    assert "Neue Vorlage" not in (preview.paths.site / "vorlagen" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_bad_content_keeps_the_last_good_site(preview: Preview) -> None:
    page = preview.paths.site / "vorlagen" / "vorlage-2" / "index.html"
    before = page.read_bytes()
    (preview.paths.content / "papers" / "vorlage-2.yml").write_text("title: [kaputt\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        preview.update()
    assert [p.code for p in info.value.problems] == ["yaml-syntax"]
    assert page.read_bytes() == before
    assert not changed(preview)  # reported once, not again and again


@pytest.mark.slow
def test_affected_includes_parent_and_children(preview: Preview) -> None:
    assert preview.site is not None
    keys = affected(preview.site, {("organizations", "kreistag")})
    assert ("organizations", "kreis") in keys  # the parent lists its children
    assert ("sessions", "kreistag-2020-03-05") in keys


@pytest.mark.slow
def test_server_injects_reload_script_and_reports_version(preview: Preview) -> None:
    with running(preview) as preview_site:
        base = preview_site.url
        page = urllib.request.urlopen(f"{base}/vorlagen/vorlage-2/").read().decode()
        assert reload_script(0) in page and page.index(reload_script(0)) < page.index("</body>")
        assert "var v=0," in page  # the page asks for a version after the one it was served with
        assert urllib.request.urlopen(base + VERSION_PATH).read() == b"0"
        edit(preview.paths.content / "papers" / "vorlage-2.yml", "Bericht ohne Beratung", "Neuer Titel")
        assert urllib.request.urlopen(base + VERSION_PATH + "?nach=0", timeout=30).read() == b"1"
        page = urllib.request.urlopen(f"{base}/vorlagen/vorlage-2/").read().decode()
        assert "Neuer Titel" in page and reload_script(1) in page
        css = urllib.request.urlopen(f"{base}/assets/stylesheets/extra.css").read().decode()
        assert "__vorschau__" not in css
    shutil.rmtree(preview.paths.docs, ignore_errors=True)


def test_a_question_for_a_new_version_is_answered_when_it_comes(tmp_path: Path) -> None:
    """The page's script asks with the version it knows; the server answers once there is another one (the page
    reloads at once), or with the same one after its hold time (the script asks again)."""
    state = State()

    class Held(Handler):
        hold = 0.3

    Held.state = state
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Held(*a, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{VERSION_PATH}"
    try:
        assert urllib.request.urlopen(base).read() == b"0"  # without a version: at once
        started = time.monotonic()
        assert urllib.request.urlopen(base + "?nach=0").read() == b"0"  # nothing new: after the hold time
        assert time.monotonic() - started >= 0.3
        threading.Timer(0.2, state.bump).start()
        Held.hold = 30
        started = time.monotonic()
        assert urllib.request.urlopen(base + "?nach=0").read() == b"1"  # answered by the update, not the hold
        assert 0.2 <= time.monotonic() - started < 10
        assert urllib.request.urlopen(base + "?nach=0").read() == b"1"  # already another: at once
        for odd in ("x", "9" * 5000, "%D9%A3"):  # not a number, too long for int(), an Arabic-Indic digit
            assert urllib.request.urlopen(base + "?nach=" + odd).read() == b"1"
    finally:
        server.shutdown()
        server.server_close()


def test_the_watcher_hears_of_a_change_without_polling(preview: Preview, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the folder's stamps compared only once an hour, only the file system's notice can start the update;
    the watcher's own reading of the folder is no notice (else it would read it again and again)."""
    import generator.editing.serve as serve

    looks: list[float] = []

    def stamps(folder: Path) -> Stamps:
        looks.append(time.monotonic())
        return file_stamps(folder)

    monkeypatch.setattr(serve, "file_stamps", stamps)
    state, stop, ready = State(), threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=watch,
        args=(preview, state, stop),
        kwargs={"interval": 3600, "check": 3600, "ready": ready},
        daemon=True,
    )
    watcher.start()
    content = preview.paths.content
    paper = content / "papers" / "vorlage-2.yml"

    def until(version: int) -> None:
        deadline = time.monotonic() + 20
        while state.version < version and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state.version == version

    try:
        assert ready.wait(10)
        deadline = time.monotonic() + 10
        while not looks and time.monotonic() < deadline:  # the first look (for changes during the first build)
            time.sleep(0.02)
        assert looks
        looks.clear()
        edit(paper, "Bericht ohne Beratung", "Gemeldeter Titel")
        until(1)
        page = preview.paths.site / "vorlagen" / "vorlage-2" / "index.html"
        assert "Gemeldeter Titel" in page.read_text(encoding="utf-8")
        looks.clear()
        time.sleep(1)  # reading the content for the update is no change: no second update, no second look
        assert state.version == 1 and looks == []
        (content / ".git").mkdir()
        (content / ".git" / "index.lock").write_text("x")  # git's and editors' hidden files are not read
        (content / "papers" / ".vorlage-2.yml.swp").write_bytes(b"x")
        time.sleep(1)
        assert looks == []
        (content / "papers" / ".entwurf.yml").write_text("title: x\n")  # a hidden record: said to be unread
        until(2)
        os.utime(paper, ns=(1, 1))  # times set back (touch, cp -p): a notice of its own
        until(3)
        os.chmod(paper, paper.stat().st_mode)  # only the status change time: a file replaced as it was, cp -p
        until(4)
    finally:
        stop.set()
        watcher.join(timeout=5)
    assert not watcher.is_alive()


def test_changes_saved_while_the_content_is_invalid_are_not_lost(preview: Preview) -> None:
    """A save that breaks the content fails; what else is saved before the content is valid again reaches the
    site with the next good update (re-rendered as usual), and a changed attachment makes that a full build."""
    content, site = preview.paths.content, preview.paths.site
    paper = content / "papers" / "vorlage-2.yml"
    good = paper.read_text(encoding="utf-8")

    def broken_while(change: Callable[[], object]) -> Update:
        paper.write_text("title: [kaputt\n", encoding="utf-8")
        with pytest.raises(ContentError):
            preview.update()
        change()
        with pytest.raises(ContentError):
            preview.update()
        paper.write_text(good, encoding="utf-8")
        return preview.update()

    update = broken_while(lambda: edit(content / "papers" / "vorlage-1.yml", "title: ", "title: Im Fehler – "))
    assert "vorlagen/vorlage-1.md" in update.pages  # the partial update, with what waited
    assert "Im Fehler" in (site / "vorlagen" / "vorlage-1" / "index.html").read_text(encoding="utf-8")
    attachment = next((content / "files").iterdir())
    broken_while(lambda: attachment.write_bytes(attachment.read_bytes() + b"\n% ergaenzt\n"))
    published = [p for p in site.rglob(attachment.name) if p.is_file()]
    assert published and all(p.read_bytes() == attachment.read_bytes() for p in published)
    assert preview.pending == set()


def test_an_update_that_failed_while_writing_is_followed_by_a_full_build(
    preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages written by an update whose build then failed are on disk already: the next update would find them
    unchanged and not build them, so it builds everything."""
    from generator.publish.builder import build_pages as real

    calls: list[list[str]] = []

    def failing_once(**kwargs: Any) -> None:
        calls.append(kwargs["pages"])
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        real(**kwargs)

    monkeypatch.setattr("generator.editing.preview.build_pages", failing_once)
    edit(preview.paths.content / "papers" / "vorlage-2.yml", "Bericht ohne Beratung", "Erst ungebaut")
    with pytest.raises(OSError):
        preview.update()
    edit(preview.paths.content / "papers" / "vorlage-1.yml", "title: ", "title: Danach – ")
    preview.update()
    assert len(calls) == 1  # the second update was a full build, not a partial one
    page = preview.paths.site / "vorlagen" / "vorlage-2" / "index.html"
    assert "Erst ungebaut" in page.read_text(encoding="utf-8")
    assert "Danach" in (preview.paths.site / "vorlagen" / "vorlage-1" / "index.html").read_text(encoding="utf-8")


def test_the_watcher_survives_a_failing_update_and_takes_the_change_up_again(
    preview: Preview, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file removed while it was read (a checkout), or a fault of the generator, is said in the terminal; the
    watcher goes on, and the next update also brings what the failed ones did not."""
    from generator.records.load import load as real

    faults = [FileNotFoundError(2, "No such file or directory", "papers/weg.yml"), RuntimeError("Fehler")]

    def failing(*args: Any, **kwargs: Any) -> Any:
        if faults:
            raise faults.pop(0)
        return real(*args, **kwargs)

    monkeypatch.setattr("generator.editing.preview.load", failing)
    state, stop = State(), threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, state, stop), kwargs={"interval": 0.05}, daemon=True)
    watcher.start()
    papers = preview.paths.content / "papers"
    try:
        for name, faults_left in (("vorlage-2", 1), ("vorlage-1", 0), ("vorlage-2", 0)):  # the last one works
            edit(papers / f"{name}.yml", "title: ", f"title: Versuch {name} – ")
            deadline = time.monotonic() + 10
            while len(faults) > faults_left and time.monotonic() < deadline:  # a save may wake it twice
                time.sleep(0.05)
            assert len(faults) <= faults_left and watcher.is_alive()
        deadline = time.monotonic() + 10
        while state.version == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        watcher.join(timeout=5)
    err = capsys.readouterr().err
    assert "No such file or directory" in err and "letzten guten Stand" in err
    assert state.version >= 1 and faults == []
    for name in ("vorlage-2", "vorlage-1"):  # vorlage-1's change came with a failed update: it is not lost
        page = (preview.paths.site / "vorlagen" / name / "index.html").read_text(encoding="utf-8")
        assert f"Versuch {name}" in page


def test_a_folder_that_sends_no_notices_is_watched_by_looking(
    preview: Preview, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Some network and container folders take the notices' set-up and then send none: the second check in a
    row that finds a change no notice told of says so, and from then on the folder is looked at every
    ``interval``."""
    import generator.editing.serve as serve

    class Deaf:
        def stop(self) -> None:
            pass

        def join(self, timeout: float) -> None:
            pass

    looks: list[float] = []

    def stamps(folder: Path) -> Stamps:
        looks.append(time.monotonic())
        return file_stamps(folder)

    monkeypatch.setattr(serve, "_observer", lambda folder, woken: Deaf())
    monkeypatch.setattr(serve, "file_stamps", stamps)
    state, stop = State(), threading.Event()
    watcher = threading.Thread(
        target=watch, args=(preview, state, stop), kwargs={"interval": 0.05, "check": 0.5}, daemon=True
    )
    watcher.start()
    paper = preview.paths.content / "papers" / "vorlage-2.yml"
    err = ""
    try:
        deadline = time.monotonic() + 10
        while not looks and time.monotonic() < deadline:  # the first look (for changes during the first build)
            time.sleep(0.02)
        for version, title, said in ((1, "Ungemeldet", 0), (2, "Wieder ungemeldet", 1), (3, "Abgefragt", 1)):
            edit(paper, paper.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0], title)
            deadline = time.monotonic() + 10
            while state.version < version and time.monotonic() < deadline:
                time.sleep(0.02)
            err += capsys.readouterr().err
            assert (state.version, err.count("werden nicht gemeldet")) == (version, said)
    finally:
        stop.set()
        watcher.join(timeout=5)


@pytest.mark.slow
def test_a_broken_record_is_reported_in_the_terminal_and_the_last_good_site_stays(
    preview: Preview, capsys: pytest.CaptureFixture[str]
) -> None:
    page = preview.paths.site / "vorlagen" / "vorlage-2" / "index.html"
    before = page.read_bytes()
    state, stop = State(), threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, state, stop), kwargs={"interval": 0.05}, daemon=True)
    watcher.start()
    try:
        edit(preview.paths.content / "papers" / "vorlage-2.yml", "paper_type:", "papertype:")
        deadline = time.monotonic() + 10
        err = ""
        while "letzten guten Stand" not in err and time.monotonic() < deadline:
            time.sleep(0.05)
            err += capsys.readouterr().err
    finally:
        stop.set()
        watcher.join(timeout=5)
    path = (preview.paths.content / "papers" / "vorlage-2.yml").as_posix()
    assert f"{path}:3:1: unknown-field Das Feld „papertype“ gibt es hier nicht – meinten Sie „paper_type“?" in err
    assert "letzten guten Stand" in err and "Traceback" not in err
    assert state.version == 0 and page.read_bytes() == before


def test_renaming_a_record_keeps_its_old_address_as_a_redirect(preview: Preview) -> None:
    content, site = preview.paths.content, preview.paths.site
    old = content / "organizations" / "kreistag.yml"
    new = content / "organizations" / "kreistag-neu.yml"
    new.write_text(old.read_text(encoding="utf-8") + "former_ids: [kreistag]\n", encoding="utf-8")
    old.unlink()
    for path in content.rglob("*.yml"):  # the references follow the new id
        text = path.read_text(encoding="utf-8")
        if "kreistag" in text and path != new:
            path.write_text(text.replace("organization: kreistag", "organization: kreistag-neu"), encoding="utf-8")
    preview.update()  # before: FileNotFoundError for the old JSON, the new page never built
    assert (site / "organisationen" / "kreistag-neu" / "index.html").is_file()
    assert 'http-equiv="refresh"' in (site / "organisationen" / "kreistag" / "index.html").read_text(encoding="utf-8")
    assert (site / "organisationen" / "kreistag.json").is_file()  # the data stays at its former address


def test_an_updates_folders_are_named_after_the_site_so_the_next_build_removes_them_when_left(
    preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders: list[str] = []

    def recording(docs_dir: Path, pages: list[str], into: Path) -> int:
        folders.append(into.name)
        return partial_docs(docs_dir, pages, into)

    monkeypatch.setattr(builder, "partial_docs", recording)
    edit(preview.paths.content / "papers" / "vorlage-2.yml", "Bericht ohne Beratung", "Bericht mit neuem Titel")
    preview.update()
    assert len(folders) == 1 and folders[0].startswith(".site.preview-") and ".teil-" in folders[0]
    assert not [p.name for p in preview.paths.site.parent.iterdir() if p.name.startswith(".")]  # all removed


@pytest.fixture
def by_year(tmp_path: Path, content_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Preview:
    """A preview whose overviews of papers and sessions list years (from two records on), as a large site's do."""
    monkeypatch.setattr(overviews, "MAX_ROWS", 1)
    p = Preview(Paths(content=content_copy, site=tmp_path / "site", docs=tmp_path / "docs", config=CONFIG))
    p.build_all()
    return p


def test_an_edit_renders_only_the_year_pages_of_the_edited_records_years(
    by_year: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = by_year.paths.docs
    assert {p.name for p in (docs / "vorlagen" / "jahre").iterdir()} == {"2020.md", "unbekannt.md"}
    listed: list[list[str]] = []
    rows = overviews.rows

    def recorded(site: Any, kind: str, refs: list[Any]) -> list[dict[str, Any]]:
        if kind == "papers":
            listed.append([ref.id for ref in refs])
        return rows(site, kind, refs)

    monkeypatch.setattr(overviews, "rows", recorded)
    edit(by_year.paths.content / "papers" / "vorlage-2.yml", "Bericht ohne Beratung", "Bericht mit neuem Titel")
    update = by_year.update()
    assert listed == [["vorlage-2"]]  # the page of unknown years, not 2020's
    assert "vorlagen/jahre/unbekannt.md" in update.pages
    assert "Bericht mit neuem Titel" in (docs / "vorlagen" / "jahre" / "unbekannt.md").read_text(encoding="utf-8")

    listed.clear()  # a paper that moves to another year: the page of the year it left and of the one it joins
    edit(by_year.paths.content / "papers" / "vorlage-1.yml", "date: 2020-01-15", "date: 2019-12-01")
    update = by_year.update()
    assert sorted(listed) == [["vorlage-1"]]  # 2019's page; 2020 has no paper left, so no page to render
    assert {"vorlagen/index.md", "vorlagen/jahre/2019.md"} <= set(update.pages)
    assert update.removed == ["vorlagen/jahre/2020.md"]  # no paper left in 2020: its page goes
    assert not (docs / "vorlagen" / "jahre" / "2020.md").exists()
    assert not (by_year.paths.site / "vorlagen" / "jahre" / "2020").exists()
    assert (by_year.paths.site / "vorlagen" / "jahre" / "2019" / "index.html").is_file()

    full = Preview(
        Paths(content=by_year.paths.content, site=tmp_path / "full", docs=tmp_path / "full-docs", config=CONFIG)
    )
    full.build_all()
    years = sorted(p.name for p in (docs / "vorlagen" / "jahre").iterdir())
    assert years == sorted(p.name for p in (full.paths.docs / "vorlagen" / "jahre").iterdir())
    for page in ("vorlagen/index.md", "vorlagen/jahre/2019.md", "vorlagen/jahre/unbekannt.md", "sitzungen/index.md"):
        assert (docs / page).read_text(encoding="utf-8") == (full.paths.docs / page).read_text(encoding="utf-8"), page


def test_changed_years_names_only_overviews_of_edited_records_of_their_own_kind(by_year: Preview) -> None:
    before = by_year.site
    assert before is not None
    paper, session, org = ("papers", "vorlage-1"), ("sessions", "kreistag-2020-03-05"), ("organizations", "kreistag")
    assert changed_years(before, before, {paper}) == {"papers": {2020}}
    assert changed_years(before, before, {paper, session}) == {"papers": {2020}, "sessions": {2020}}
    # the sessions' rows name their organisation: an organisation's change renders all their years again
    assert changed_years(before, before, {session, org}) == {}
    edit(by_year.paths.content / "papers" / "vorlage-1.yml", "date: 2020-01-15", "date: 2019-12-01")
    (by_year.paths.content / "papers" / "vorlage-3.yml").write_text(
        "reference: 10/3/2020\ntitle: Neue Vorlage\npaper_type: Antrag\n", encoding="utf-8"
    )
    by_year.update()
    after = by_year.site
    assert after is not None
    assert changed_years(before, after, {paper}) == {"papers": {2019, 2020}}
    # a record added or removed may take the overview across into year pages (or out of them): all years again
    assert changed_years(before, after, {paper, ("papers", "vorlage-3")}) == {}
    assert changed_years(after, before, {paper, ("papers", "vorlage-3")}) == {}
