import pytest
from pydantic import ValidationError

from generator.records.models import Agreement, Organization, Outcome, Paper, SessionState, SignatureStatus, references


def agreement(*statuses: str) -> Agreement:
    parties = [
        {"organization": f"org-{i}", "role": "Partei", "signature": {"status": status}}
        for i, status in enumerate(statuses)
    ]
    return Agreement.model_validate({"id": "a", "title": "T", "kind": "K", "summary": "S", "parties": parties})


@pytest.mark.parametrize(
    ("statuses", "outcome"),
    [
        (("signed", "signed"), Outcome.SIGNED_BY_ALL),
        (("signed", "returned_unsigned"), Outcome.NOT_SIGNED_BY_ALL),
        (("signed", "refused", "pending"), Outcome.NOT_SIGNED_BY_ALL),
        (("signed", "pending"), Outcome.OPEN),
        (("signed", "unknown"), Outcome.OPEN),
        ((), Outcome.OPEN),
    ],
)
def test_outcome_is_derived_from_signatures(statuses: tuple[str, ...], outcome: Outcome) -> None:
    assert agreement(*statuses).outcome is outcome


def test_outcome_cannot_be_typed_in() -> None:
    with pytest.raises(ValidationError) as info:
        Agreement.model_validate({"id": "a", "title": "T", "kind": "K", "summary": "S", "outcome": "signed_by_all"})
    assert info.value.errors()[0]["type"] == "extra_forbidden"


def test_unsigned_parties_lists_everyone_who_did_not_sign() -> None:
    a = agreement("signed", "refused", "pending")
    assert [p.organization for p in a.unsigned_parties] == ["org-1", "org-2"]


def test_status_has_icon_and_words() -> None:
    from generator.records.labels import STATE, STATUS, icon, words

    assert set(STATUS) == set(SignatureStatus) and set(STATE) == set(SessionState)
    for status in SignatureStatus:
        assert icon(status) and words(status) and icon(status) != words(status)


def test_unknown_fields_are_refused_and_ids_checked() -> None:
    with pytest.raises(ValidationError):
        Organization.model_validate({"id": "x", "name": "N", "kind": "K", "homepage": "https://x"})
    with pytest.raises(ValidationError):
        Organization.model_validate({"id": "Bad_Id", "name": "N", "kind": "K"})


def test_numbers_are_accepted_as_text() -> None:
    paper = Paper.model_validate({"id": "p", "reference": 2013, "title": "T", "paper_type": "V"})
    assert paper.reference == "2013"


def test_document_needs_url_or_offline_mark() -> None:
    with pytest.raises(ValidationError):
        Paper.model_validate(
            {"id": "p", "reference": "1", "title": "T", "paper_type": "V", "attachments": [{"title": "A"}]}
        )
    paper = Paper.model_validate(
        {"id": "p", "reference": "1", "title": "T", "paper_type": "V", "attachments": [{"title": "A", "online": False}]}
    )
    assert paper.attachments[0].url is None


def test_references_walks_nested_models_and_lists() -> None:
    paper = Paper.model_validate(
        {
            "id": "p",
            "reference": "1",
            "title": "T",
            "paper_type": "V",
            "organization": "kreis",
            "consultations": [{"session": "s1"}],
            "related_agreements": ["a1", "a2"],
            "attachments": [{"title": "A", "online": False, "source": {"paper": "q"}}],
        }
    )
    assert set(references(paper)) == {
        (("organization",), "organizations", "kreis"),
        (("consultations", 0, "session"), "sessions", "s1"),
        (("related_agreements", 0), "agreements", "a1"),
        (("related_agreements", 1), "agreements", "a2"),
        (("attachments", 0, "source", "paper"), "papers", "q"),
    }


def test_document_has_one_place_only() -> None:
    base = {"id": "p", "reference": "1", "title": "T", "paper_type": "V"}
    with pytest.raises(ValidationError):
        Paper.model_validate({**base, "attachments": [{"title": "A", "file": "a.pdf", "url": "https://x.example/a"}]})
    with pytest.raises(ValidationError):
        Paper.model_validate({**base, "attachments": [{"title": "A", "file": "a.pdf", "online": False}]})
    with pytest.raises(ValidationError):
        Paper.model_validate({**base, "attachments": [{"title": "A", "file": "../geheim.pdf"}]})
    assert Paper.model_validate({**base, "attachments": [{"title": "A", "file": "a-1.pdf"}]}).attachments[0].file


def test_parts_looks_into_every_field_that_can_hold_a_part() -> None:
    """parts() skips the fields whose annotation holds no model: it must find what a walk over every field finds."""
    from pydantic import BaseModel

    from generator.records.kinds import MODELS
    from generator.records.load import load
    from generator.records.models import Document, Source, parts
    from generator.records.validate import validate
    from generator.site.link import link

    from .conftest import CONTENT, FIXTURES

    def every_field(model: BaseModel, kind: type[BaseModel], loc: tuple[str | int, ...] = ()) -> list[object]:
        found: list[object] = []
        for name in type(model).model_fields:
            value = getattr(model, name)
            for index, item in enumerate(value) if isinstance(value, list) else [(None, value)]:
                here = (*loc, name) if index is None else (*loc, name, index)
                if isinstance(item, kind):
                    found.append((here, item))
                elif isinstance(item, BaseModel):
                    found += every_field(item, kind, here)
        return found

    for content in (CONTENT, FIXTURES / "valid"):
        site = link(validate(load(content)))
        records = [r for kind in MODELS for r in site.records.of_kind(kind).values()]
        for kind in (Document, Source):
            expected = [every_field(record, kind) for record in records]
            assert any(expected), (content, kind)  # the set has such parts: the comparison can fail
            for _ in range(2):  # a record's parts are found once, then asked again
                assert [list(parts(record, kind)) for record in records] == expected
