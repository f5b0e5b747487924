"""Round trip: the OParl export of a record set, served over HTTP on 127.0.0.1, read back by ``import oparl``.

The imported organisations, persons, sessions and papers must equal the originals in the fields the importer owns
(:data:`generator.importing.convert.OWNED`), modulo ids: record ids are derived anew by the importer (from names,
reference numbers, body and day), so records are matched by name or reference number and their references are
translated; embedded objects (agenda items, consultations, documents, memberships) get the importer's ids from the
export's anchored addresses, so their ids are not compared.

What the export cannot carry, and so is not expected back (each for a reason of OParl's, not of the export):

- a document's place in ``content/files/``: OParl knows a file only by its address, so a published attachment
  comes back as ``url`` (its public address), with the MIME type and size the export gives from the file;
- a document that is not online: OParl's File needs an address (``accessUrl``), so it is not exported;
- a date known only to the month or year (OParl's dates are days), and a session's day without a start time
  (``Meeting.start`` is a date and time);
- the order of a session's documents across kinds: OParl has separate properties (invitation, results protocol,
  verbatim protocol, further files), which the importer reads in that order;
- an agenda item's paper where that paper has no consultation in the session, and a consultation's agenda item
  number where no agenda item of the session treats the paper: OParl links the two only through a Consultation
  and its AgendaItem (the fixture sets have neither case).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.exports.oparl import OParl
from generator.importing.convert import OWNED
from generator.importing.run import import_oparl
from generator.records.load import load
from generator.records.models import Record, references
from generator.records.validate import validate
from generator.site.link import Site, link

from .conftest import FIXTURES
from .test_oparl import RICH

KINDS = ("organizations", "persons", "sessions", "papers")
NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static web server of a folder on 127.0.0.1 (a free port): its address and the folder."""
    root = tmp_path / "site"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def round_trip(content: Path, server: tuple[str, Path], tmp_path: Path) -> tuple[Site, Site, str]:
    """Export ``content``, serve it, import it; the original and the imported site, and the server's address."""
    base, root = server
    original = link(validate(load(content)))
    for path, text in OParl(original, base_url=base, name="Beispielkreis", licence_url=None).files():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    summary = import_oparl(
        base + "oparl/system.json",
        content=tmp_path / "imported",
        cache=tmp_path / "cache",
        delay=0.0,
        fetcher=None,
        now=NOW,
    )
    assert summary.warnings == []
    for kind in KINDS:
        assert summary.counts[kind]["new"] == len(original.records.of_kind(kind)), kind
    imported = link(validate(load(tmp_path / "imported")))  # what the importer wrote is valid content
    return original, imported, base


def key(kind: str, record: Any) -> str:
    """What matches a record with its imported copy: the reference number of a paper, else the name."""
    return str(record.reference if kind == "papers" else record.name)


def owned(kind: str, record: Record, rename: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The importer-owned fields, references given as ids of the other side (``rename``), embedded ids dropped."""
    data = record.model_dump(mode="json", include=set(OWNED[kind]))
    for location, target, value in references(record):
        if target in rename and location[0] in data:
            put(data, location, rename[target][value])
    stripped: dict[str, Any] = without_ids(data)
    return stripped


def put(data: Any, location: tuple[str | int, ...], value: str) -> None:
    for step in location[:-1]:
        data = data[step]
    data[location[-1]] = value


def without_ids(value: Any, top: bool = True) -> Any:
    if isinstance(value, dict):
        return {k: without_ids(v, False) for k, v in value.items() if top or k != "id"}
    if isinstance(value, list):
        return [without_ids(v, False) for v in value]
    return value


def compare(original: Site, imported: Site) -> dict[str, dict[str, tuple[dict[str, Any], dict[str, Any]]]]:
    """For each kind and record: (the original's owned fields, the imported copy's), with ids of the original."""
    back: dict[str, dict[str, str]] = {}  # kind → imported id → original id
    for kind in KINDS:
        mine = {key(kind, r): r.id for r in original.records.of_kind(kind).values()}
        theirs = {key(kind, r): r.id for r in imported.records.of_kind(kind).values()}
        assert set(theirs) == set(mine), kind
        back[kind] = {theirs[k]: mine[k] for k in mine}
    pairs: dict[str, dict[str, tuple[dict[str, Any], dict[str, Any]]]] = {}
    for kind in KINDS:
        forth = {v: k for k, v in back[kind].items()}
        pairs[kind] = {
            record_id: (
                owned(kind, record, {}),
                owned(kind, imported.records.of_kind(kind)[forth[record_id]], back),
            )
            for record_id, record in original.records.of_kind(kind).items()
        }
    return pairs


def published(document: dict[str, Any], base: str, content: Path) -> dict[str, Any]:
    """A document of ``content/files/`` as it comes back: by its public address, with type and size."""
    name = document["file"]
    size = (content / "files" / name).stat().st_size
    return {**document, "file": None, "url": f"{base}dateien/{name}", "mime_type": "application/pdf", "size": size}


def test_the_fixture_set_comes_back_from_its_own_export(server: tuple[str, Path], tmp_path: Path) -> None:
    content = FIXTURES / "valid"
    original, imported, base = round_trip(content, server, tmp_path)
    pairs = compare(original, imported)
    expected, actual = pairs["papers"]["vorlage-1"]
    expected["attachments"] = [published(d, base, content) for d in expected["attachments"]]
    for kind in KINDS:
        for record_id, (expected, actual) in pairs[kind].items():
            assert actual == expected, f"{kind}/{record_id}"
    copy = imported.records.papers["10-1-2020"]
    assert copy.oparl is not None and copy.oparl.id == f"{base}oparl/vorlage/vorlage-1.json"
    assert copy.oparl.web == f"{base}vorlagen/vorlage-1/"
    assert "bericht-2020" not in str(imported.records.papers)  # the deleted former address is no record


def test_the_rich_record_set_comes_back_but_for_what_oparl_cannot_carry(
    server: tuple[str, Path], tmp_path: Path, content_copy: Path
) -> None:
    for name, text in RICH.items():
        (content_copy / name).write_text(text, encoding="utf-8")
    original, imported, base = round_trip(content_copy, server, tmp_path)
    pairs = compare(original, imported)

    paper, _ = pairs["papers"]["vorlage-1"]
    published_file, offline, linked = paper["attachments"]
    assert offline["online"] is False
    paper["attachments"] = [published(published_file, base, content_copy), linked]  # not online: not exported

    session, _ = pairs["sessions"]["kreistag-2020-03-05"]
    invitation, notice, minutes, verbatim, supplement, offline = session["documents"]
    assert offline["online"] is False
    session["documents"] = [invitation, minutes, verbatim, notice, supplement]  # OParl's order of the kinds

    person, _ = pairs["persons"]["anna-beispiel"]
    assert person["memberships"][1]["start"] == "2014-06"
    person["memberships"][1]["start"] = None  # a month has no OParl form

    organization, _ = pairs["organizations"]["kreis"]
    assert organization["end"] == "2030"
    organization["end"] = None  # a year neither

    for kind in KINDS:
        for record_id, (expected, actual) in pairs[kind].items():
            assert actual == expected, f"{kind}/{record_id}"


def test_a_second_import_of_the_unchanged_export_changes_nothing(server: tuple[str, Path], tmp_path: Path) -> None:
    """The static host ignores ``modified_since``: the second run reads whole lists again and writes no file."""
    base, _ = server
    round_trip(FIXTURES / "valid", server, tmp_path)
    texts = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "imported").rglob("*.yml")}
    again = import_oparl(
        base + "oparl/system.json",
        content=tmp_path / "imported",
        cache=tmp_path / "cache",
        delay=0.0,
        fetcher=None,
        now=NOW + dt.timedelta(days=1),
    )
    assert {kind: (again.counts[kind]["unchanged"], again.counts[kind]["read"]) for kind in KINDS} == {
        "organizations": (4, 4),
        "persons": (1, 1),
        "sessions": (1, 1),
        "papers": (2, 3),  # and the deleted object at the former address, read and passed over
    }
    assert {p: p.read_text(encoding="utf-8") for p in (tmp_path / "imported").rglob("*.yml")} == texts


def test_embedded_objects_below_a_long_id_keep_distinct_ids(
    server: tuple[str, Path], tmp_path: Path, content_copy: Path
) -> None:
    long_id = "kreistag-des-beispielkreises-2020-03-05"  # the id the importer itself gives this session
    (content_copy / "sessions" / "kreistag-2020-03-05.yml").rename(content_copy / "sessions" / f"{long_id}.yml")
    paper = content_copy / "papers" / "vorlage-1.yml"
    paper.write_text(paper.read_text(encoding="utf-8").replace("kreistag-2020-03-05", long_id), encoding="utf-8")
    _, imported, _ = round_trip(content_copy, server, tmp_path)
    session = imported.records.sessions[long_id]
    ids = [item.id for item in session.agenda_items]
    assert len(ids) == 2 and len(set(ids)) == len(ids), ids
