"""``import files``: the PDFs an imported record names at a council system are downloaded (politely, resumably,
within limits), their checksums go into the records, their text into content/texts/, and the site shows the text
with a link to the original at its source. A local HTTP server plays the council system, with its quirks."""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from generator import cli
from generator.editing.texts import extract_texts
from generator.importing.files import Limits, import_files
from generator.importing.store import Store, digests, merge
from generator.pages.render import render
from generator.pipeline import Paths, check, outputs
from generator.records.models import download_name
from generator.records.problems import ContentError
from generator.site.addresses import document_page, published_files
from generator.site.write import static_dir, write

from .conftest import FIXTURES, page_link
from .test_texts import PAGES, pdf, quote_in_a_note


class Council(BaseHTTPRequestHandler):
    """Serves ``files`` by path; ``script`` gives a path's answers in turn (``"503"``, ``"cut"``, ``"slow"``)."""

    files: ClassVar[dict[str, bytes]] = {}
    script: ClassVar[dict[str, list[str]]] = {}
    requests: ClassVar[list[tuple[str, str]]] = []  # (path, Range header)
    times: ClassVar[list[float]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        type(self).requests.append((self.path, self.headers.get("Range", "")))
        type(self).times.append(time.monotonic())
        turn = self.script.get(self.path, [])
        action = turn.pop(0) if turn else "ok"
        body = self.files.get(self.path)
        if body is None or action == "404":
            self.send_error(404)
            return
        if action == "503":
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        ranged = self.headers.get("Range", "")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        same = self.headers.get("If-Range") in (None, etag)
        if ranged.startswith("bytes=") and action != "norange" and same:
            start = int(ranged[6:].rstrip("-"))
            self.send_response(206)
            shown = 0 if action == "badrange" else start
            self.send_header("Content-Range", f"bytes {shown}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Type", "application/pdf")
        if action != "chunked":
            self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        if action == "cut":  # half the file, then the connection drops
            self.wfile.write(body[start : start + (len(body) - start) // 2])
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        if action == "slow":
            for i in range(start, len(body), 50):
                self.wfile.write(body[i : i + 50])
                self.wfile.flush()
                time.sleep(0.05)
            return
        self.wfile.write(body[start:])


@pytest.fixture
def council(tmp_path: Path) -> Iterator[str]:
    Council.files, Council.script, Council.requests, Council.times = {}, {}, [], []
    good = pdf(tmp_path / "vorlage.pdf", PAGES).read_bytes()
    Council.files = {
        "/files/vorlage.pdf": good,
        "/files/anlage.pdf": pdf(tmp_path / "anlage.pdf", ["Anlage 1: Kennzahlen der Eingliederung."]).read_bytes(),
        "/files/fehler.pdf": b"<!DOCTYPE html><html><body>Sitzung abgelaufen</body></html>",
        "/files/gross.pdf": b"%PDF-1.4\n" + b"0" * 3_000_000,
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), Council)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def imported(tmp_path: Path, base: str, files: list[str]) -> Path:
    """The valid fixture set with paper vorlage-2 as imported from a council system naming ``files`` there."""
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", folder)
    paper = folder / "papers" / "vorlage-2.yml"
    data = yaml.safe_load(paper.read_text(encoding="utf-8"))
    documents = [
        {"id": f"d-{n}", "title": f"Datei {name}", "url": f"{base}/files/{name}", "mime_type": "application/pdf"}
        for n, name in enumerate(files, start=1)
    ]
    data["main_file"], data["attachments"] = documents[0], documents[1:]
    sums = digests("papers", data)  # as `import oparl` writes them: the fields are the source's
    data["oparl"] = {"id": "https://ris.example.de/oparl/paper/2", "retrieved": "2026-11-30", "digests": sums}
    paper.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def d1(council: str) -> str:
    """The name `import files` keeps the first document under (vorlage.pdf, id d-1)."""
    return str(download_name("d-1", f"{council}/files/vorlage.pdf", "application/pdf"))


def d2(council: str) -> str:
    return str(download_name("d-2", f"{council}/files/anlage.pdf", "application/pdf"))


FAST = Limits(delay=0.0, max_bytes=2_000_000, seconds=5.0)


def record(content: Path) -> Any:
    data: Any = yaml.safe_load((content / "papers" / "vorlage-2.yml").read_text(encoding="utf-8"))
    return data


def test_downloads_get_checksums_and_texts_and_a_page_linking_to_the_source(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf", "anlage.pdf"])
    into = tmp_path / "dateien"
    status = cli.main(["import", "files", "--content", str(content), "--into", str(into), "--delay", "0"])
    assert status == cli.OK
    good = Council.files["/files/vorlage.pdf"]
    assert (into / d1(council)).read_bytes() == good
    data = record(content)
    assert data["main_file"]["sha256"] == hashlib.sha256(good).hexdigest()
    assert data["attachments"][0]["sha256"]
    text = (content / "texts" / f"{d1(council)}.txt").read_text(encoding="utf-8")
    assert text.startswith(f"# Text von {council}/files/vorlage.pdf, 3 Seiten")
    assert not list(content.rglob("*.pdf.part")) and not (content / "files" / d1(council)).exists()  # out of git
    # The text is the paper's document now: a quote from it is proven, the document page links to the source.
    quote_in_a_note(content, "ohne Unterschrift zurückgesandt")
    site = check(Paths(content=content))
    assert site.records.quotes == {"proven": 2}  # this one, and the fixture set's own
    pages = {p.path: p.text for p in render(site)}
    page = pages[document_page(d1(council))]
    assert f'<a href="{council}/files/vorlage.pdf">beim Ratsinformationssystem</a> (PDF, 3 Seiten)' in page
    assert "juristische Kontroverse" in page and "{ #seite-2 }" in page
    assert (
        page_link("Quelle: Vorlage 10/2/2020, S. 2", f"../{document_page(d1(council))}#seite-2")
        in pages["vereinbarungen/ziele-2021-offen.md"]
    )
    assert page_link("Text lesen", f"../{document_page(d1(council))}") in pages["vorlagen/vorlage-2.md"]


def test_a_second_run_loads_nothing_and_an_import_keeps_the_checksums(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf"])
    into = tmp_path / "dateien"
    first = import_files(content=content, into=into, limits=FAST)
    assert first.counts["downloaded"] == 1 and first.updated == 1
    assert extract_texts(content, pdfs=first.downloaded).counts["written"] == 1
    before = (content / "papers" / "vorlage-2.yml").read_text(encoding="utf-8")
    Council.requests.clear()
    second = import_files(content=content, into=into, limits=FAST)
    assert second.counts == Counter(unchanged=1) and Council.requests == []
    # Without the folder (a fresh CI checkout) the kept text is enough; a mirror needs the file again.
    shutil.rmtree(into)
    assert import_files(content=content, into=into, limits=FAST).counts == Counter(unchanged=1)
    assert import_files(content=content, into=into, limits=FAST, mirror=True).counts == Counter(downloaded=1)
    assert (content / "papers" / "vorlage-2.yml").read_text(encoding="utf-8") == before
    # The next `import oparl` converts the paper without checksums: the same file keeps its checksum.
    existing = Store.read(content).records["https://ris.example.de/oparl/paper/2"]
    fresh = {k: v for k, v in existing.data.items() if k != "oparl"}
    fresh["main_file"] = {k: v for k, v in fresh["main_file"].items() if k != "sha256"}
    merged = merge("papers", existing, fresh, existing.data["oparl"])
    assert merged.data is not None and merged.data["main_file"]["sha256"] == existing.data["main_file"]["sha256"]
    assert merged.conflicts == ()
    moved = {**fresh, "main_file": {**fresh["main_file"], "url": council + "/files/neu.pdf"}}
    elsewhere = merge("papers", existing, moved, existing.data["oparl"]).data
    assert elsewhere is not None and "sha256" not in elsewhere["main_file"]  # another file: loaded again


def test_retries_resume_and_limits(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf", "anlage.pdf", "fehler.pdf", "gross.pdf", "fehlt.pdf"])
    Council.script = {"/files/vorlage.pdf": ["503", "cut"], "/files/gross.pdf": ["chunked"]}
    into = tmp_path / "dateien"
    summary = import_files(content=content, into=into, limits=FAST)
    assert summary.counts == Counter(downloaded=2, not_pdf=1, too_large=1, failed=1)
    vorlage = [r for r in Council.requests if r[0] == "/files/vorlage.pdf"]
    half = len(Council.files["/files/vorlage.pdf"]) // 2
    assert vorlage == [("/files/vorlage.pdf", ""), ("/files/vorlage.pdf", ""), ("/files/vorlage.pdf", f"bytes={half}-")]
    assert (into / d1(council)).read_bytes() == Council.files["/files/vorlage.pdf"]  # resumed, whole
    messages = dict(summary.warnings)
    assert (
        messages[f"{council}/files/fehler.pdf"] == "keine PDF-Datei (beginnt mit „<!DOCTYPE html><…“): nicht übernommen"
    )
    assert messages[f"{council}/files/gross.pdf"] == "mehr als 2,0 MB: nicht geladen"
    assert messages[f"{council}/files/fehlt.pdf"] == "HTTP 404: nicht ladbar"
    assert sorted(p.name for p in into.iterdir()) == [
        d1(council),
        d2(council),
    ]  # nothing half-done is left
    data = record(content)
    assert [d.get("sha256") is not None for d in data["attachments"]] == [True, False, False, False]


def test_a_server_saying_the_size_is_refused_before_loading_and_a_slow_one_is_cut(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["gross.pdf", "anlage.pdf"])
    Council.script = {"/files/anlage.pdf": ["slow"] * 5}
    summary = import_files(
        content=content, into=tmp_path / "d", limits=Limits(delay=0.0, max_bytes=1_000_000, seconds=0.3)
    )
    messages = dict(summary.warnings)
    assert messages[f"{council}/files/gross.pdf"] == "3,0 MB groß, mehr als 1,0 MB: nicht geladen"
    assert messages[f"{council}/files/anlage.pdf"] == "Zeitlimit erreicht: ein neuer Aufruf setzt fort"
    assert summary.counts == Counter(too_large=1, failed=1)


def test_parallel_downloads_keep_the_polite_pause(tmp_path: Path, council: str) -> None:
    names = [f"v{n}.pdf" for n in range(6)]
    for name in names:
        Council.files[f"/files/{name}"] = Council.files["/files/anlage.pdf"]
    content = imported(tmp_path, council, names)
    summary = import_files(content=content, into=tmp_path / "d", limits=Limits(delay=0.1, jobs=3))
    assert summary.counts == Counter(downloaded=6)
    # Six request starts at least 0.1 s apart take at least 0.5 s (the server's clock, so with some jitter);
    # three threads without the pause would take a few milliseconds.
    assert Council.times[-1] - Council.times[0] >= 0.4


def test_a_mirror_publishes_only_the_file_the_record_names(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf", "anlage.pdf"])
    into = tmp_path / "dateien"
    summary = import_files(content=content, into=into, limits=FAST, mirror=True)
    extract_texts(content, pdfs=summary.downloaded)
    (into / d2(council)).write_bytes((into / d2(council)).read_bytes() + b"\n% changed")  # no longer the record's file
    site = check(Paths(content=content, mirror=into))
    assert sorted(site.records.mirrored) == [d1(council)]
    assert [(w.path, w.code) for w in site.records.warnings if w.code == "mirror-skipped"] == [
        ((into / d2(council)).as_posix(), "mirror-skipped")
    ]
    pages = {p.path: p.text for p in render(site)}
    paper = pages["vorlagen/vorlage-2.md"]
    assert f'<a href="../dateien/ratsinfo/{d1(council)}" data-datei>Datei vorlage.pdf</a> (PDF, ' in paper
    assert f"[Original beim Ratsinformationssystem]({council}/files/vorlage.pdf)" in paper
    assert f"[Datei anlage.pdf]({council}/files/anlage.pdf) (PDF" in paper  # not mirrored: at its source
    document = pages[document_page(d1(council))]
    assert f'- **Datei:** <a href="../dateien/ratsinfo/{d1(council)}" data-datei>{d1(council)}</a> (PDF, ' in document
    assert f'- **Original:** <a href="{council}/files/vorlage.pdf">beim Ratsinformationssystem</a>' in document
    # The build publishes the copy where the page links to it.
    docs = tmp_path / "docs"
    write(outputs(site), docs, files=published_files(site.records.files, site.records.mirrored))
    assert (static_dir(docs) / "dateien" / "ratsinfo" / d1(council)).read_bytes() == (into / d1(council)).read_bytes()
    assert not (static_dir(docs) / "dateien" / "ratsinfo" / d2(council)).exists()


def test_a_resume_never_stitches_two_files_together(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf", "anlage.pdf"])
    good = Council.files["/files/vorlage.pdf"]
    # A server that grants a range but sends another one: the part is dropped, the file loaded whole.
    Council.script = {"/files/vorlage.pdf": ["cut", "badrange"]}
    # The file changes at the source between the cut and the resume: If-Range gets the whole new file.
    Council.script["/files/anlage.pdf"] = ["cut"]
    into = tmp_path / "dateien"
    first = import_files(content=content, into=into, limits=FAST)
    assert (into / d1(council)).read_bytes() == good and first.counts["downloaded"] == 2
    half = f"bytes={len(good) // 2}-"
    assert [r for p, r in Council.requests if p == "/files/vorlage.pdf"] == ["", half, ""]  # cut, wrong range, whole
    changed = pdf(tmp_path / "neu.pdf", ["Anlage 1, geänderte Fassung."]).read_bytes()
    Council.files["/files/anlage.pdf"] = changed
    (into / f".{d2(council)}.part").write_bytes(b"%PDF-1.4 old half")  # a cut-off part of the old file
    (into / f".{d2(council)}.part.json").write_text('{"if_range": "\\"old\\""}', encoding="utf-8")
    (into / d2(council)).unlink()
    data = record(content)
    data["attachments"][0].pop("sha256")
    (content / "papers" / "vorlage-2.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    import_files(content=content, into=into, limits=FAST)
    assert (into / d2(council)).read_bytes() == changed
    assert record(content)["attachments"][0]["sha256"] == hashlib.sha256(changed).hexdigest()


def test_bad_addresses_and_endless_errors_end_as_warnings_within_the_time_limit(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf", "immer-503.pdf"])
    Council.files["/files/immer-503.pdf"] = b"%PDF-1.4"
    Council.script = {"/files/immer-503.pdf": ["503"] * 50}
    data = record(content)
    data["attachments"].append(
        {"id": "d-9", "title": "Kaputt", "url": "http://ris..example.de/x.pdf", "mime_type": "application/pdf"}
    )
    data["attachments"].append({"id": "../../weg", "title": "Pfad", "url": f"{council}/files/vorlage.pdf"})
    (content / "papers" / "vorlage-2.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    started = time.monotonic()
    status = cli.main(
        ["import", "files", "--content", str(content), "--into", str(tmp_path / "d"), "--delay", "0", "--timeout", "2"]
    )
    assert status == cli.OK and time.monotonic() - started < 8
    assert record(content)["main_file"]["sha256"]  # the good file got its checksum
    assert not (tmp_path / "weg.pdf").exists() and sorted(p.name for p in (tmp_path / "d").glob("*.pdf")) == [
        d1(council)
    ]


def test_what_a_stopped_run_finished_is_not_loaded_again_and_a_missing_text_is_read(
    tmp_path: Path, council: str
) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf"])
    into = tmp_path / "dateien"
    into.mkdir()
    (into / d1(council)).write_bytes(Council.files["/files/vorlage.pdf"])  # loaded, no checksum recorded yet
    summary = import_files(content=content, into=into, limits=FAST)
    assert Council.requests == [] and summary.counts == Counter(unchanged=1) and summary.updated == 1
    assert [name for name, _, _ in summary.downloaded] == [d1(council)]  # its text is still to be read
    extract_texts(content, pdfs=summary.downloaded)
    assert import_files(content=content, into=into, limits=FAST).downloaded == []


def test_one_id_for_two_addresses_is_two_documents_and_a_name_clash_is_refused(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf", "anlage.pdf"])
    data = record(content)
    data["attachments"][0]["id"] = "d-1"  # ids are unique within a record only (an export numbers them 1, 2, …)
    (content / "papers" / "vorlage-2.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = import_files(content=content, into=tmp_path / "d", limits=FAST)
    assert summary.counts == Counter(downloaded=2)
    extract_texts(content, pdfs=summary.downloaded)
    site = check(Paths(content=content))
    downloaded = {name: doc.url for name, (_, doc) in site.documents.items() if doc.url}
    assert sorted(downloaded.values()) == [f"{council}/files/anlage.pdf", f"{council}/files/vorlage.pdf"]
    # A file of the site's own that has a downloaded document's name would share its text: refused.
    clash = d1(council)
    shutil.copy(tmp_path / "d" / clash, content / "files" / clash)
    data["attachments"].append({"title": "Eigene Kopie", "file": clash})
    (content / "papers" / "vorlage-2.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as failed:
        check(Paths(content=content))
    assert [(p.code, p.path) for p in failed.value.problems] == [("duplicate-id", "papers/vorlage-2.yml")]


def test_a_file_replaced_at_the_same_address_loses_its_checksum(tmp_path: Path, council: str) -> None:
    content = imported(tmp_path, council, ["vorlage.pdf"])
    import_files(content=content, into=tmp_path / "d", limits=FAST)
    existing = Store.read(content).records["https://ris.example.de/oparl/paper/2"]
    fresh = {k: v for k, v in existing.data.items() if k != "oparl"}
    fresh["main_file"] = {**{k: v for k, v in fresh["main_file"].items() if k != "sha256"}, "size": 992}
    merged = merge("papers", existing, fresh, existing.data["oparl"]).data
    assert merged is not None and "sha256" not in merged["main_file"]
