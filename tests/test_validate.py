from pathlib import Path

import pytest

from generator.records.load import load
from generator.records.problems import CODES, WARNINGS, ContentError, Problem
from generator.records.validate import validate

BROKEN = Path(__file__).parent / "fixtures" / "broken"
VALID = Path(__file__).parent / "fixtures" / "valid"


def problems_of(content: Path) -> list[Problem]:
    with pytest.raises(ContentError) as info:
        validate(load(content))
    return info.value.problems


# One broken fixture set per code: (code, path, line, column) of the single problem it must produce.
EXPECTED = {
    "yaml-syntax": ("organizations/kreis.yml", 3, 13),
    "empty-file": ("organizations/kreis.yml", 1, 1),
    "not-utf8": ("organizations/kreis.yml", 3, 14),  # the byte that is not UTF-8
    "too-complex": ("organizations/kreis.yml", 1, 1),
    "duplicate-key": ("organizations/kreis.yml", 3, 1),
    "unknown-folder": ("people/max.yml", 1, 1),
    "invalid-id": ("organizations/Rhein_Kreis.yml", 1, 1),
    "duplicate-id": ("organizations/kreis.yml", 1, 1),
    "unknown-field": ("organizations/kreis.yml", 3, 1),
    "missing-field": ("agreements/v.yml", 5, 5),
    "wrong-type": ("agreements/v.yml", 4, 1),
    "invalid-value": ("agreements/v.yml", 8, 7),
    "invalid-date": ("papers/p.yml", 4, 1),
    "unknown-reference": ("agreements/v.yml", 5, 5),
    "duplicate-reference": ("papers/b.yml", 3, 1),
    "duplicate-party": ("agreements/v.yml", 11, 5),
    "date-order": ("agreements/v.yml", 14, 7),
    "signed-with-reason": ("agreements/v.yml", 12, 7),
    "actual-outside-period": ("agreements/v.yml", 12, 24),
    "former-id-taken": ("organizations/kreis.yml", 5, 5),
    "symlink": ("organizations/jobcenter.yml", 1, 1),  # a link to a file outside this content folder
    "yaml-feature": ("organizations/kreis.yml", 3, 1),  # a merge key "<<"
    "invalid-character": ("organizations/kreis.yml", 1, 7),  # "\0" in a quoted text: the value's start
    "attachment-type": ("files/anlage.svg", 1, 1),
    "quote-not-found": ("agreements/v.yml", 8, 39),  # on page 1; the first quote stands on page 2, hyphenated
}
# The warnings: the content is valid, the build goes on and says so.
EXPECTED_WARNINGS = {
    "placeholder": ("papers/neu.yml", 3, 1),
    "hidden-file": ("papers/.entwurf.yml", 1, 1),
    "unused-file": ("files/plan.pdf", 1, 1),
    "possible-copy": ("organizations/kreis.yml", 1, 1),  # the later of the two, naming the other
    "event-order": ("agreements/v.yml", 7, 5),  # 2011 after 5 July 2013: the page keeps the file's order
}


def test_every_code_has_a_fixture() -> None:
    # settings, the published list and the mirror folder are not content: see test_settings.py, test_urls.py and
    # test_files.py (its fixture set, broken/mirror-skipped, is the example on the error code page)
    assert set(EXPECTED) | set(EXPECTED_WARNINGS) == set(CODES) - {"missing-setting", "url-removed", "mirror-skipped"}
    assert set(EXPECTED_WARNINGS) == WARNINGS - {"missing-setting", "mirror-skipped"}


@pytest.mark.parametrize("code", sorted(EXPECTED_WARNINGS))
def test_warning_fixture_reports_code_path_and_line(code: str) -> None:
    warning = validate(load(BROKEN / code)).warnings[0]
    assert (warning.code, warning.path, warning.line, warning.column) == (code, *EXPECTED_WARNINGS[code])


def test_placeholders_left_from_new_are_warnings_with_line_and_column() -> None:
    from generator.records.load import load
    from generator.records.validate import validate

    records = validate(load(BROKEN / "placeholder"))  # no error: the file is valid, only not ready
    assert [(w.code, w.path, w.line, w.column) for w in records.warnings] == [
        ("placeholder", "papers/neu.yml", 3, 1),
        ("placeholder", "papers/neu.yml", 4, 1),
    ]
    assert "„<Titel (Betreff) der Vorlage>“ ist noch nicht ersetzt" in records.warnings[1].message


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_broken_fixture_reports_code_path_and_line(code: str) -> None:
    (problem,) = problems_of(BROKEN / code)
    assert (problem.code, problem.path, problem.line, problem.column) == (code, *EXPECTED[code])
    assert problem.message


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("unknown-field", "meinten Sie „short_name“?"),
        ("unknown-reference", "meinten Sie „mais-nrw“?"),
        ("invalid-value", "„unterschrieben“ ist nicht erlaubt – meinten Sie „signed“ (unterzeichnet)?"),
        ("invalid-value", "signed (unterzeichnet), returned_unsigned (ohne Unterschrift zurückgesandt), not_signed"),
        ("invalid-value", "Beteiligte 1 → Unterschrift → Feld „status“: "),
        ("missing-field", "Beteiligte 1: das Pflichtfeld „role“ fehlt"),
        ("duplicate-key", "(zuerst in Zeile 1)"),
        ("invalid-date", "den 30. Februar 2013 gibt es nicht"),
        ("invalid-id", "z. B. „rhein-kreis“"),
        ("duplicate-reference", "papers/a.yml"),
        ("missing-field", "„role“"),
    ],
)
def test_messages_say_what_to_write_instead(code: str, words: str) -> None:
    (problem,) = problems_of(BROKEN / code)
    assert words in problem.message


def test_all_problems_are_collected_in_one_run() -> None:
    found = [(p.code, p.path, p.line) for p in problems_of(BROKEN / "many")]
    assert found == [
        ("unknown-reference", "agreements/v.yml", 5),
        ("unknown-field", "organizations/kreis.yml", 3),
        ("invalid-date", "papers/p.yml", 4),
        ("unknown-reference", "papers/p.yml", 5),  # reported beside the date, not one run later
        ("duplicate-key", "sessions/s.yml", 3),
    ]


def write(content: Path, rel: str, text: str) -> None:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_typo_impossible_date_and_unknown_organisation_in_one_file_in_one_run(tmp_path: Path) -> None:
    write(tmp_path, "organizations/kreis.yml", "name: Kreis\nkind: K\n")
    write(
        tmp_path, "papers/p.yml", "reference: '1'\ntitel: T\npaper_type: V\ndate: 2013-02-30\norganization: kreistag\n"
    )
    found = [(p.code, p.path, p.line, p.column) for p in problems_of(tmp_path)]
    assert found == [
        ("missing-field", "papers/p.yml", 1, 1),  # "title" is missing because it was typed "titel"
        ("unknown-field", "papers/p.yml", 2, 1),
        ("invalid-date", "papers/p.yml", 4, 1),
        ("unknown-reference", "papers/p.yml", 5, 1),
    ]


def test_a_duplicate_key_does_not_hide_the_rest_of_the_file(tmp_path: Path) -> None:
    write(tmp_path, "organizations/kreis.yml", "name: Kreis\nkind: K\n")
    write(tmp_path, "papers/p.yml", "reference: '1'\ntitle: T\ntitle: U\npaper_type: V\ndate: 05.07.2013\nparent: x\n")
    problems = problems_of(tmp_path)
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("duplicate-key", 3, 1),
        ("invalid-date", 5, 1),
        ("unknown-field", 6, 1),
    ]
    assert "meinten Sie 2013-07-05?" in problems[1].message


def test_a_reference_in_a_broken_file_is_still_checked_but_not_at_a_place_with_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "organizations/mais-nrw.yml", "name: Ministerium\nkind: M\n")
    write(
        tmp_path,
        "agreements/v.yml",
        "title: V\nkind: Z\nsummary: S\nparties:\n  - organization: mais\n    role: Land\n"
        "    signature: {status: unterschrieben, reported_by: bmas}\n"
        "documents:\n  - {title: Brief, file: Brief.PDF}\n",
    )
    found = [(p.code, p.line, p.column) for p in problems_of(tmp_path)]
    assert found == [
        ("unknown-reference", 5, 5),  # mais, with "meinten Sie „mais-nrw“?"
        ("invalid-value", 7, 17),  # the status
        ("unknown-reference", 7, 41),  # reported_by: bmas
        ("invalid-value", 9, 20),  # the file name: its pattern, not also "no such file"
    ]


def test_the_id_field_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    write(tmp_path, "organizations/kreis.yml", "id: kreis\nname: Kreis\nkind: K\nparent: land\nwebsite: x\n")
    found = [(p.code, p.line) for p in problems_of(tmp_path)]
    assert found == [("unknown-field", 1), ("unknown-reference", 4), ("invalid-value", 5)]


AGREEMENT = "title: V\nkind: Z\nsummary: S\n"


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (  # an agreement's target groups given as bare ids
            "target_groups: [jugendliche]\n",
            (4, 17),
            "Zielgruppe 1: hier steht eine Zuordnung mit dem Wortlaut der Vereinbarung und der Kennung der "
            "Zielgruppe, z. B. „- {name: Jugendliche, group: jugendliche}“",
        ),
        (
            "target_groups: jugendliche\n",
            (4, 1),
            "Feld „target_groups“: hier steht eine Liste von Zuordnungen (Wortlaut und Kennung), z. B. "
            "„target_groups: [{name: Jugendliche, group: jugendliche}]“",
        ),
        (  # a goal's target groups given as mappings
            "goals:\n  - title: A\n  - title: B\n    target_groups:\n"
            "      - {name: Junge Menschen, group: jugendliche}\n",
            (8, 9),
            "Ziel 2 → Zielgruppen → Eintrag 1: hier nur Kennungen, z. B. „target_groups: [jugendliche]“",
        ),
        (
            "goals:\n  - title: A\n    target_groups: jugendliche\n",
            (6, 5),
            "Ziel 1 → Feld „target_groups“: hier wird eine Liste (Zeilen mit „- “) erwartet – z. B. "
            "„target_groups: [jugendliche]“",
        ),
        (
            "goals:\n  - title: A\n    indicators:\n      - {name: N, unit: U, actuals: [{value: x}]}\n",
            (7, 39),
            "Ziel 1 → Kennzahl 1 → Messwert 1 → Feld „value“: ",
        ),
        ("period: {start: 5.7.2013}\n", (4, 10), "Laufzeit → Feld „start“: „5.7.2013“ ist in dieser Schreibweise"),
    ],
)
def test_errors_name_the_place_in_german_words_and_the_right_form(
    tmp_path: Path, text: str, where: tuple[int, int], words: str
) -> None:
    write(tmp_path, "target_groups/jugendliche.yml", "name: Jugendliche\n")
    write(tmp_path, "agreements/v.yml", AGREEMENT + text)
    (problem,) = problems_of(tmp_path)
    assert (problem.line, problem.column) == where
    assert words in problem.message, problem.message
    assert "Feld „0“" not in problem.message


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("unterschrieben", "„signed“ (unterzeichnet)"),
        ("Unterschrieben", "„signed“ (unterzeichnet)"),
        ("abgelehnt", "„refused“ (Unterzeichnung abgelehnt)"),
        ("zurückgesandt", "„returned_unsigned“ (ohne Unterschrift zurückgesandt)"),
        ("zurückgeschickt", "„returned_unsigned“"),
        ("nicht unterschrieben", "„not_signed“ (nicht unterschrieben)"),
        ("ausstehend", "„pending“ (Unterschrift ausstehend)"),
        ("offen", "„pending“"),
        ("unbekannt", "„unknown“ (nicht bekannt)"),
        ("sigend", "„signed“"),
        ("returned-unsigned", "„returned_unsigned“"),
    ],
)
def test_german_status_words_get_the_code_meant(tmp_path: Path, typed: str, meant: str) -> None:
    write(tmp_path, "organizations/kreis.yml", "name: Kreis\nkind: K\n")
    party = f"parties:\n  - {{organization: kreis, role: R, signature: {{status: {typed}}}}}\n"
    write(tmp_path, "agreements/v.yml", AGREEMENT + party)
    (problem,) = problems_of(tmp_path)
    assert problem.code == "invalid-value"
    assert f"„{typed}“ ist nicht erlaubt – meinten Sie {meant}" in problem.message
    assert problem.message.endswith(
        "Erlaubt sind signed (unterzeichnet), returned_unsigned (ohne Unterschrift zurückgesandt), not_signed "
        "(nicht unterschrieben), refused (Unterzeichnung abgelehnt), pending (Unterschrift ausstehend) oder unknown "
        "(nicht bekannt)"
    )


def test_a_status_that_means_nothing_lists_the_codes_without_a_guess(tmp_path: Path) -> None:
    write(tmp_path, "sessions/s.yml", "name: S\norganization: kreis\nstate: vielleicht\n")
    write(tmp_path, "organizations/kreis.yml", "name: Kreis\nkind: K\n")
    (problem,) = problems_of(tmp_path)
    assert problem.message == (
        "Feld „state“: „vielleicht“ ist nicht erlaubt; erlaubt sind scheduled (geplant), held (stattgefunden), "
        "cancelled (abgesagt) oder unknown (nicht bekannt)"
    )
    write(tmp_path, "sessions/s.yml", "name: S\norganization: kreis\nstate: abgesagt\n")
    (problem,) = problems_of(tmp_path)
    assert "„abgesagt“ ist nicht erlaubt – meinten Sie „cancelled“ (abgesagt)?" in problem.message


def test_valid_fixture_and_real_content_pass() -> None:
    records = validate(load(VALID))
    assert len(records) == 14
    assert list(records.papers) == ["vorlage-1", "vorlage-2"]
    assert len(validate(load(Path(__file__).parent.parent / "content"))) >= 8


def test_reference_by_short_name_suggests_the_id(tmp_path: Path) -> None:
    (tmp_path / "organizations").mkdir()
    (tmp_path / "organizations" / "landesministerium.yml").write_text("name: Ministerium\nshort_name: MAIS\nkind: M\n")
    (tmp_path / "organizations" / "kreis.yml").write_text("name: Kreis\nkind: K\nparent: MAIS\n")
    (problem,) = problems_of(tmp_path)
    assert problem.code == "unknown-reference"
    assert "meinten Sie „landesministerium“?" in problem.message


def test_id_field_in_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "organizations").mkdir()
    (tmp_path / "organizations" / "kreis.yml").write_text("name: Kreis\nkind: K\nid: anders\n")
    (problem,) = problems_of(tmp_path)
    assert (problem.code, problem.line) == ("unknown-field", 3)
    assert "Dateiname" in problem.message


def test_null_for_a_required_field_is_missing(tmp_path: Path) -> None:
    (tmp_path / "organizations").mkdir()
    (tmp_path / "organizations" / "kreis.yml").write_text("name:\nkind: K\n")
    (problem,) = problems_of(tmp_path)
    assert (problem.code, problem.line) == ("missing-field", 1)


def test_reference_by_start_of_id_suggests_the_id(tmp_path: Path) -> None:
    (tmp_path / "organizations").mkdir()
    (tmp_path / "organizations" / "kreis-neuss.yml").write_text("name: Kreis Neuss\nkind: K\n")
    (tmp_path / "organizations" / "kreistag.yml").write_text("name: Kreistag\nkind: K\nparent: kreis\n")
    (problem,) = problems_of(tmp_path)
    assert "meinten Sie „kreis-neuss“?" in problem.message


def test_attachment_must_exist_in_files_folder(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "brief-2013.pdf").write_bytes(b"%PDF")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "p.yml").write_text(
        "reference: '1'\ntitle: T\npaper_type: V\nattachments:\n  - title: Brief\n    file: brief-2031.pdf\n"
    )
    (problem,) = problems_of(tmp_path)
    assert (problem.code, problem.path, problem.line) == ("unknown-reference", "papers/p.yml", 6)
    assert "meinten Sie „brief-2013.pdf“?" in problem.message


def test_attachment_file_names_are_checked(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "Brief vom MAIS.pdf").write_bytes(b"%PDF")
    (problem,) = problems_of(tmp_path)
    assert (problem.code, problem.path) == ("invalid-id", "files/Brief vom MAIS.pdf")
    assert "brief-vom-mais.pdf" in problem.message


def test_goal_target_group_must_exist() -> None:
    (problem,) = problems_of(BROKEN / "unknown-target-group")
    assert (problem.code, problem.path, problem.line) == ("unknown-reference", "agreements/v.yml", 6)
    assert "Keine Zielgruppe" in problem.message


def test_signature_in_same_year_as_earliest_event_is_not_flagged() -> None:
    # date-order fixture: "land" signed in 2012, the earliest event is 2012: only "kreis" (2011-12-31) is wrong.
    assert [p.line for p in problems_of(BROKEN / "date-order")] == [14]


def test_reference_to_a_broken_file_reports_only_the_broken_file(tmp_path: Path) -> None:
    (tmp_path / "organizations").mkdir()
    (tmp_path / "organizations" / "land.yml").write_text("name: [kaputt\n")
    (tmp_path / "organizations" / "kreis.yml").write_text("name: Kreis\nkind: K\nparent: land\n")
    assert [(p.code, p.path) for p in problems_of(tmp_path)] == [("yaml-syntax", "organizations/land.yml")]


def test_a_union_is_one_place_with_one_problem() -> None:
    """Pydantic names each member of a union in the location (``function-plain[_validate()]``): not a field."""
    from typing import Annotated

    from pydantic import BaseModel, StringConstraints, ValidationError

    from generator.records.dates import PartialDate
    from generator.records.validate import _without_union_tags, field_words

    class Step(BaseModel):
        when: PartialDate | Annotated[str, StringConstraints(pattern="^[a-z]+$")] | None = None

    class Plan(BaseModel):
        steps: list[Step] = []

    with pytest.raises(ValidationError) as info:
        Plan.model_validate({"steps": [{"when": "05.07.2013"}]})
    locs = [_without_union_tags(Plan, tuple(e["loc"])) for e in info.value.errors()]
    assert len(info.value.errors()) == 2 and locs == [("steps", 0, "when")] * 2
    assert field_words(Plan, locs[0]) == "„steps“ → Eintrag 1 → Feld „when“"
    assert _without_union_tags(Plan, ("steps", 0, "unknown")) == ("steps", 0, "unknown")  # a field that is not


def test_an_event_bound_names_a_date_or_an_event_of_the_agreement(content_copy: Path) -> None:
    (content_copy / "agreements" / "grenzen.yml").write_text(
        "title: G\nkind: Zielvereinbarung\nsummary: S\n"
        "events:\n  - {id: brief, date: 2013-07-05, text: Brief}\n  - {before: brif, text: Vorher}\n",
        encoding="utf-8",
    )
    (problem,) = problems_of(content_copy)
    assert (problem.code, problem.path, problem.line) == ("unknown-reference", "agreements/grenzen.yml", 6)
    assert "„brif“ ist weder ein Datum" in problem.message and "(brief)" in problem.message


@pytest.mark.parametrize(
    ("events", "line", "words"),
    [
        ("  - {id: a, before: a, text: A}\n", 5, "vor oder nach sich selbst"),
        ("  - {id: a, date: 2013, before: 2012, text: A}\n", 5, "bei bekanntem Datum"),
        ("  - {id: a, after: 2013-07-05, before: 2011, text: A}\n", 5, "widersprechen sich"),
    ],
)
def test_event_bounds_that_cannot_hold_are_refused(content_copy: Path, events: str, line: int, words: str) -> None:
    (content_copy / "agreements" / "grenzen.yml").write_text(
        f"title: G\nkind: Zielvereinbarung\nsummary: S\nevents:\n{events}", encoding="utf-8"
    )
    (problem,) = problems_of(content_copy)
    assert (problem.code, problem.path, problem.line) == ("invalid-value", "agreements/grenzen.yml", line)
    assert words in problem.message


def test_a_period_that_ends_before_it_starts_is_refused(content_copy: Path) -> None:
    (content_copy / "agreements" / "zeitraum.yml").write_text(
        "title: Z\nkind: Zielvereinbarung\nsummary: S\nperiod: {start: 2013, end: 2012}\n", encoding="utf-8"
    )
    (problem,) = problems_of(content_copy)
    assert problem.code == "invalid-value" and "liegt nach dem Ende" in problem.message


def test_each_paper_type_numbers_its_own_series_and_section_headings_are_no_placeholders(tmp_path: Path) -> None:
    """Real council data: a "Vorlage 12/2013" and an "Anfrage 12/2013" are two papers; an agenda heading without
    a number titled "< Sitzungsteil öffentlich >" is a real title; an organisation without a kind is allowed."""
    (tmp_path / "papers").mkdir()
    (tmp_path / "sessions").mkdir()
    (tmp_path / "organizations").mkdir()
    (tmp_path / "organizations" / "rat.yml").write_text("name: Rat\n", encoding="utf-8")
    for name, kind in (("v", "Vorlage"), ("a", "Anfrage")):
        (tmp_path / "papers" / f"{name}.yml").write_text(
            f"reference: 12/2013\ntitle: T\npaper_type: {kind}\n", encoding="utf-8"
        )
    (tmp_path / "sessions" / "s.yml").write_text(
        "name: 1. Sitzung\norganization: rat\nagenda_items:\n  - {title: < Sitzungsteil öffentlich >}\n"
        "  - {number: '1', title: Eröffnung}\n",
        encoding="utf-8",
    )
    records = validate(load(tmp_path))
    assert len(records) == 4 and records.warnings == []
    (tmp_path / "papers" / "a.yml").write_text("reference: 12/2013\ntitle: T\npaper_type: Vorlage\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        validate(load(tmp_path))
    assert [(p.code, p.path) for p in info.value.problems] == [("duplicate-reference", "papers/v.yml")]
