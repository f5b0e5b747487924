"""Typed records (pydantic v2). No I/O here: the loader hands in plain data, the models check its shape.

Keys are English and follow OParl 1.1 names where one exists. A record's ``id`` is its file name's stem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator, model_validator

from generator.records.dates import PartialDate, format_date

TIMEZONE = ZoneInfo("Europe/Berlin")  # times in the records are local German time
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

MAX_ID_LENGTH = 80  # a file name, and so a folder of the site: far below every file system's limit
RESERVED_IDS = frozenset({"index", "jahre"})  # a section's own pages: /vorlagen/ (index.md), /vorlagen/jahre/…
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)]
# An http(s) address with a host and nothing that could end an attribute or a Markdown link: no quotes, angle
# brackets, backslashes, backticks, spaces or control characters (settings and the environment use it too).
WEB_URL_PATTERN = r"^https?://[^\s/?#\"'<>\\`\x00-\x1f\x7f]+(?:[/?#][^\s\"'<>\\`\x00-\x1f\x7f]*)?$"
WebUrl = Annotated[str, StringConstraints(strip_whitespace=True, pattern=WEB_URL_PATTERN)]
MAX_FIGURE = 1e15  # a key figure (persons, euros, percent) is far below this; larger ones overflow the arithmetic
FiniteNumber = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_FIGURE, le=MAX_FIGURE)]


@dataclass(frozen=True, slots=True)
class RefTo:
    """Marks a field as holding the id of a record in ``kind`` (a folder name under ``content/``)."""

    kind: str


OrganizationRef = Annotated[str, RefTo("organizations")]
PaperRef = Annotated[str, RefTo("papers")]
SessionRef = Annotated[str, RefTo("sessions")]
AgreementRef = Annotated[str, RefTo("agreements")]
TargetGroupRef = Annotated[str, RefTo("target_groups")]
PersonRef = Annotated[str, RefTo("persons")]
FILE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]{1,5}$"
FileRef = Annotated[str, RefTo("files"), StringConstraints(pattern=FILE_PATTERN)]  # a file in content/files/


DOWNLOAD_PREFIX = "ratsinfo-"  # the names of a council system's files as loaded: apart from content/files/ names


def download_name(doc_id: object, url: object, mime_type: object) -> str | None:
    """``ratsinfo-<id>-<8 hex digits of the address's SHA-256>.pdf``: the name under which ``import files`` keeps a
    council system's PDF and its text. A document's id is unique only within its record (an exported site numbers
    them 1, 2, …), so the address makes the name unique, and one file named by a paper and a session is one
    document. For raw data too: only a valid id and address give a name (no path can be made of it)."""
    if not isinstance(doc_id, str) or not isinstance(url, str) or not re.fullmatch(ID_PATTERN, doc_id):
        return None
    if len(doc_id) > MAX_ID_LENGTH or not re.fullmatch(WEB_URL_PATTERN, url):
        return None
    if not is_pdf(url, mime_type if isinstance(mime_type, str) else None):
        return None
    return f"{DOWNLOAD_PREFIX}{doc_id}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}.pdf"


def is_pdf(url: str, mime_type: str | None) -> bool:
    """Whether a document at ``url`` is a PDF, as its type (or else its address) says."""
    if mime_type:
        return mime_type.split(";")[0].strip().lower() == "application/pdf"
    return url.split("?")[0].split("#")[0].lower().endswith(".pdf")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


# A time stamp as a council system gives it: 2013-06-13T12:59:21+02:00.
Timestamp = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
    ),
]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class OParlOrigin(Model):
    """Where an imported record comes from: its object in a council information system (the import key)."""

    id: WebUrl  # the OParl id: the record is found again through it, never through its title
    web: WebUrl | None = None  # the council system's own page of it
    created: Timestamp | None = None
    modified: Timestamp | None = None  # as the source says: the next import asks for what changed since
    retrieved: PartialDate  # the day of the import that last read it: "abgerufen am …"
    # A checksum of each imported field as written: where a file's value no longer matches, an editor changed it.
    digests: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")],
        Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8,16}$")],
    ] = {}


class Source(Model):
    """Where a statement comes from: a paper on this site, optionally a page of it, optionally the sentence itself
    (``check`` proves that it stands there, where the paper's document has its text in ``content/texts/``)."""

    paper: PaperRef
    page: Annotated[int, Field(ge=1, le=100_000)] | None = None
    quote: Text | None = None


class Statement(Model):
    text: Text
    reported_by: OrganizationRef | None = None  # who says so, where the source only passes it on: "laut MAIS"
    source: Source | None = None


class Document(Model):
    """An attachment: a file in ``content/files/``, a web address, or marked as not available online."""

    id: RecordId | None = None  # for a stable link (and OParl id) of the document: #datei-<id>
    title: Text
    date: PartialDate | None = None
    file: FileRef | None = None
    url: WebUrl | None = None
    online: bool = True
    mime_type: Text | None = None  # as the council system gives it: application/pdf
    size: Annotated[int, Field(ge=0)] | None = None  # bytes, where the council system says
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None  # as downloaded (import files)
    source: Source | None = None

    @property
    def text_name(self) -> str | None:
        """The name its text is kept under in ``content/texts/`` (``<name>.txt``): the file's name in
        ``content/files/``, or for a PDF at a web address with an id :func:`download_name` (``import files``)."""
        if self.file:
            return self.file
        return download_name(self.id, self.url, self.mime_type)

    @model_validator(mode="after")
    def _one_place(self) -> Document:
        if self.file is not None and self.url is not None:
            raise ValueError("eine Anlage hat entweder file oder url, nicht beides")
        if self.online and self.url is None and self.file is None:
            raise ValueError("eine Anlage braucht file, url oder „online: false“ (nicht online verfügbar)")
        if not self.online and (self.url is not None or self.file is not None):
            raise ValueError("eine Anlage mit file oder url kann nicht „online: false“ sein")
        return self


class SignatureStatus(StrEnum):
    """What a source says about one party's signature, and no more: ``refused`` only for an explicit refusal,
    ``not_signed`` where the source says only that it was not (or cannot be) signed."""

    SIGNED = "signed"
    RETURNED_UNSIGNED = "returned_unsigned"
    NOT_SIGNED = "not_signed"
    REFUSED = "refused"
    PENDING = "pending"
    UNKNOWN = "unknown"


# When an undated thing happened, as far as the source tells: before or after a date, or before or after another
# event of the same agreement (its id). "before: 2013-07-05" is shown as "vor dem 5. Juli 2013".
Bound = PartialDate | RecordId


# The statuses that say a party did not sign.
NOT_SIGNED = frozenset({SignatureStatus.RETURNED_UNSIGNED, SignatureStatus.NOT_SIGNED, SignatureStatus.REFUSED})


class Signature(Model):
    status: SignatureStatus
    date: PartialDate | None = None
    before: Bound | None = None  # a date or an event id: "vor dem 5. Juli 2013" where the day is not known
    after: Bound | None = None
    reason: Text | None = None
    reported_by: OrganizationRef | None = None  # who says so, where the source only passes it on: "laut MAIS"
    source: Source | None = None


class Party(Model):
    organization: OrganizationRef
    role: Text
    signature: Signature


class Period(Model):
    start: PartialDate | None = None
    end: PartialDate | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Period:
        if self.start is not None and self.end is not None and self.start.earliest() > self.end.latest():
            raise ValueError(f"der Beginn ({self.start.german()}) liegt nach dem Ende ({self.end.german()})")
        return self

    def german(self) -> str:
        start, end = self.start, self.end
        if start is None and end is None:
            return "Zeitraum nicht bekannt"
        if start == end or end is None:
            return format_date(start) if start == end else f"ab {format_date(start)}"
        if start is None:
            return f"bis {end.german()}"
        return f"{start.german()} bis {end.german()}"


class NamedTargetGroup(Model):
    """A target group as an agreement words it, optionally linked to the shared target-group record."""

    name: Text
    group: TargetGroupRef | None = None
    source: Source | None = None


class Measurement(Model):
    value: FiniteNumber
    date: PartialDate | None = None
    source: Source | None = None


class Indicator(Model):
    """A key figure of a goal: where it started, where it should get to, and what was measured."""

    name: Text
    unit: Text
    baseline: Measurement | None = None
    target: Measurement | None = None
    actuals: list[Measurement] = []


class Goal(Model):
    id: RecordId | None = None  # for a stable link to the goal: /vereinbarungen/<agreement>/#ziel-<id>
    title: Text
    description: Text | None = None
    target_groups: list[TargetGroupRef] = []
    indicators: list[Indicator] = []
    source: Source | None = None


class Event(Model):
    id: RecordId | None = None  # for a stable link to the event: #ereignis-<id>
    date: PartialDate | None = None
    before: Bound | None = None
    after: Bound | None = None
    text: Text
    reported_by: OrganizationRef | None = None  # who says so, where the source only passes it on: "laut MAIS"
    source: Source | None = None


class Outcome(StrEnum):
    """Derived from the signatures, never typed in."""

    SIGNED_BY_ALL = "signed_by_all"
    NOT_SIGNED_BY_ALL = "not_signed_by_all"
    OPEN = "open"


Reference = tuple[tuple[str | int, ...], str, str]  # (location in the record, kind, id)


class Withdrawal(Model):
    """A record taken back: its page stays and says so, with the date and, where known, why."""

    date: PartialDate | None = None
    reason: Text | None = None


class Record(Model):
    id: RecordId
    former_ids: list[RecordId] = []  # earlier file names: their addresses keep working as redirects
    withdrawn: Withdrawal | None = None
    oparl: OParlOrigin | None = None  # imported from a council information system
    _references: tuple[Reference, ...] | None = PrivateAttr(default=None)  # computed once: records never change
    _parts: dict[type[BaseModel], tuple[Any, ...]] = PrivateAttr(default_factory=dict)  # the same, by kind of part

    @field_validator("former_ids")
    @classmethod
    def _not_reserved(cls, former_ids: list[str]) -> list[str]:
        for former in former_ids:
            if former in RESERVED_IDS:
                raise ValueError(f"„{former}“ ist als Kennung reserviert (die Übersichtsseite des Bereichs heißt so)")
        return former_ids


class Organization(Record):
    name: Text
    short_name: Text | None = None
    kind: Text | None = None  # what the source calls it: Ministerium, Ausschuss, Fraktion (council systems rarely say)
    parent: OrganizationRef | None = None
    website: WebUrl | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None

    @property
    def title(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The short name where there is one: how the organisation is named in running text."""
        return self.short_name or self.name


class Agreement(Record):
    title: Text
    kind: Text
    period: Period | None = None
    legal_basis: Text | None = None
    summary: Text
    parties: list[Party] = []
    target_groups: list[NamedTargetGroup] = []
    goals: list[Goal] = []
    events: list[Event] = []
    background: list[Statement] = []  # what the source says of the setting (who agrees with whom, since when)
    notes: list[Statement] = []
    documents: list[Document] = []
    related_papers: list[PaperRef] = []
    source: Source | None = None

    @property
    def outcome(self) -> Outcome:
        statuses = [party.signature.status for party in self.parties]
        if statuses and all(s is SignatureStatus.SIGNED for s in statuses):
            return Outcome.SIGNED_BY_ALL
        if any(s in NOT_SIGNED for s in statuses):
            return Outcome.NOT_SIGNED_BY_ALL
        return Outcome.OPEN

    @property
    def period_text(self) -> str:
        """``2013``, ``Januar 2020 bis Dezember 2021`` … or ``Zeitraum nicht bekannt``."""
        return (self.period or Period()).german()

    @property
    def unsigned_parties(self) -> list[Party]:
        return [p for p in self.parties if p.signature.status is not SignatureStatus.SIGNED]


class Consultation(Model):
    """Where a paper was (or is to be) discussed. Any part may be unknown."""

    id: RecordId | None = None  # stable link and OParl id: #beratung-<id>
    session: SessionRef | None = None
    agenda_item: Text | None = None
    organization: OrganizationRef | None = None
    other_organizations: list[OrganizationRef] = []  # further bodies of the same consultation
    role: Text | None = None
    authoritative: bool | None = None  # the consultation whose decision counts ("beschließend")


class Paper(Record):
    """A council paper. Its document (for sources, quotes and its text) is the main file where it has a text name
    (a file in ``content/files/`` or a PDF at a web address with an id), else its first attachment that has one."""

    reference: Text
    title: Text
    paper_type: Text
    date: PartialDate | None = None
    organization: OrganizationRef | None = None  # who submitted it: "Eingebracht von"
    under_direction_of: list[OrganizationRef] = []  # who leads it: "Federführend"
    summary: Text | None = None
    main_file: Document | None = None  # the paper itself, where the council system has it
    attachments: list[Document] = []
    consultations: list[Consultation] = []
    superordinated: list[PaperRef] = []  # the papers this one belongs to
    subordinated: list[PaperRef] = []  # the papers that belong to this one (motions, amendments)
    related_agreements: list[AgreementRef] = []

    def document_name(self, texts: Container[str]) -> str | None:
        """The text name (:attr:`Document.text_name`) of this paper's document: the main file's where its text is
        in ``texts``, else the first attachment's that is."""
        candidates = [self.main_file, *self.attachments] if self.main_file else self.attachments
        return next((d.text_name for d in candidates if d is not None and d.text_name in texts), None)


class AgendaItem(Model):
    id: RecordId | None = None  # stable anchor and OParl id: #top-<id>
    number: Text | None = None  # section headings ("Öffentliche Sitzung") have none
    title: Text
    paper: PaperRef | None = None
    public: bool = True
    result: Text | None = None
    resolution: Text | None = None
    documents: list[Document] = []  # the resolution and further files of this item


class SessionState(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class Session(Record):
    name: Text
    organization: OrganizationRef
    date: PartialDate | None = None
    start_time: ClockTime | None = None
    end_time: ClockTime | None = None
    location: Text | None = None
    state: SessionState = SessionState.UNKNOWN
    agenda_items: list[AgendaItem] = []
    documents: list[Document] = []  # invitation, minutes of results, verbatim minutes

    @property
    def title(self) -> str:
        return self.name

    @property
    def day(self) -> dt.date | None:
        """The day of the session, when the record gives it to the day."""
        return self.date.earliest() if self.date is not None and self.date.day is not None else None

    @property
    def starts_at(self) -> dt.datetime | None:
        """Day and start time in German local time, when both are known."""
        if self.day is None or self.start_time is None:
            return None
        hour, minute = (int(part) for part in self.start_time.split(":"))
        return dt.datetime.combine(self.day, dt.time(hour, minute), tzinfo=TIMEZONE)


class TargetGroup(Record):
    """A shared target group, so that differently worded groups of several agreements can be found together."""

    name: Text
    description: Text | None = None

    @property
    def title(self) -> str:
        return self.name


class LegislativeTerm(Record):
    """A council's term of office (Wahlperiode), as the council system names it."""

    name: Text
    start: PartialDate | None = None
    end: PartialDate | None = None

    @property
    def title(self) -> str:
        return self.name

    def holds(self, date: PartialDate) -> bool:
        """Whether ``date`` falls into the term (a term without an end runs on)."""
        after_start = self.start is None or date.latest() >= self.start.earliest()
        before_end = self.end is None or date.earliest() <= self.end.latest()
        return after_start and before_end and (self.start is not None or self.end is not None)


class Membership(Model):
    """A person's seat in an organisation: role, voting right, from when to when, for which group."""

    id: RecordId | None = None
    organization: OrganizationRef
    role: Text | None = None  # Mitglied, Vorsitzender, Sachkundiger Bürger …
    voting_right: bool | None = None
    on_behalf_of: OrganizationRef | None = None  # the group (Fraktion) the seat is held for
    start: PartialDate | None = None
    end: PartialDate | None = None


class Person(Record):
    """A holder of a public office, as the council system names them. Only the name and the memberships: never
    contact details, addresses, photos or life dates."""

    name: Text
    form_of_address: Text | None = None  # Frau, Herr
    academic_title: Text | None = None  # Dr.
    given_name: Text | None = None
    family_name: Text | None = None
    memberships: list[Membership] = []

    @property
    def title(self) -> str:
        """``Dr. Anna Beispiel`` from the parts where the source gives them, else the name as it stands."""
        if self.family_name:
            return " ".join(part for part in (self.academic_title, self.given_name, self.family_name) if part)
        return self.name


Part = TypeVar("Part", bound=BaseModel)


def parts(model: BaseModel, kind: type[Part]) -> Iterator[tuple[tuple[str | int, ...], Part]]:
    """Every part of type ``kind`` inside ``model`` (a record, nested parts included), with its place; a record's
    are found once (records never change: the checks, the links and the live preview's every update ask again)."""
    if not isinstance(model, Record):
        return _parts(model, kind, ())
    known = _private(model)["_parts"]
    found = known.get(kind)
    if found is None:
        found = known[kind] = tuple(_parts(model, kind, ()))
    return iter(found)


def _private(record: Record) -> dict[str, Any]:
    """The record's private values (``_parts``, ``_references``) where pydantic keeps them: read as attributes, each
    goes through pydantic's ``__getattr__`` (3 µs against 0.1 µs; a build reads them some 100,000 times)."""
    private = record.__pydantic_private__
    assert private is not None  # a Record has private attributes, set when it is made
    return private


def _parts(
    model: BaseModel, kind: type[Part], loc: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], Part]]:
    for name in _nested_fields(type(model)):
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            here = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, kind):
                yield here, item
            elif isinstance(item, BaseModel):
                yield from _parts(item, kind, here)


@cache
def _nested_fields(model_type: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model_type`` that can hold a part (a model): :func:`parts` looks into these only (it runs
    over every record three times a build; most fields are texts and dates)."""
    return tuple(name for name, field in model_type.model_fields.items() if _may_hold_model(field.annotation))


def _may_hold_model(annotation: object) -> bool:
    """Whether a value of ``annotation`` can be or contain a model; where that cannot be told, yes."""
    origin = get_origin(annotation)
    if origin is Literal:
        return False
    if origin is Annotated:
        return _may_hold_model(get_args(annotation)[0])
    if isinstance(annotation, type) and origin is None:
        return issubclass(annotation, BaseModel)
    args = get_args(annotation)
    return any(_may_hold_model(arg) for arg in args) if args else annotation is not type(None)


def sources(model: BaseModel) -> Iterator[tuple[tuple[str | int, ...], Source]]:
    """Every :class:`Source` inside ``model``, with its place."""
    return parts(model, Source)


def _ref_kind(annotation: object) -> str | None:
    """The record kind an annotation refers to, looking through ``X | None``, ``list[X]`` and ``Annotated``."""
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, RefTo):
            return meta.kind
    for arg in get_args(annotation):
        kind = _ref_kind(arg)
        if kind is not None:
            return kind
    return None


@cache
def _ref_fields(cls: type[BaseModel]) -> tuple[tuple[str, str | None], ...]:
    fields = []
    for name, info in cls.model_fields.items():
        annotation = info.rebuild_annotation() if info.metadata else info.annotation
        fields.append((name, _ref_kind(annotation)))
    return tuple(fields)


def references(record: Record) -> tuple[Reference, ...]:
    """Every id that ``record`` refers to, as ``(location, kind, id)``, nested models included."""
    private = _private(record)
    found: tuple[Reference, ...] | None = private["_references"]
    if found is None:
        found = private["_references"] = tuple(_walk_references(record))
    return found


def _walk_references(model: BaseModel, loc: tuple[str | int, ...] = ()) -> Iterator[Reference]:
    for name, kind in _ref_fields(type(model)):
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            here = loc + (name,) if index is None else loc + (name, index)
            if kind is not None and isinstance(item, str):
                yield here, kind, item
            elif isinstance(item, BaseModel):
                yield from _walk_references(item, here)
