"""OParl objects → the fields of our records. Only what the source says: an empty value stays out, a quirk of the
source (a newline in a title, a single object where a list belongs, a reference to an object that is not there)
is mended where that keeps the wording and reported as a warning naming the object's address.

Persons: name, form of address, title and memberships only — never e-mail, phone, address, photo or life dates,
even where the source has them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from generator.importing.fetch import Warn, parse_time
from generator.records.load import BAD_CHARACTER
from generator.records.models import ID_PATTERN, MAX_ID_LENGTH, RESERVED_IDS, TIMEZONE, WEB_URL_PATTERN

Data = dict[str, Any]
MAX_TEXT = 20_000  # characters of one text field: a record file stays far below the loader's size limit

# The fields the importer owns, per kind: it writes them and nothing else (summaries, related agreements, notes and
# everything an editor adds stay as they are). ``withdrawn`` is set on a deletion, never cleared.
OWNED: dict[str, tuple[str, ...]] = {
    "legislative_terms": ("name", "start", "end"),
    "organizations": ("name", "short_name", "kind", "parent", "website", "start", "end"),
    "persons": ("name", "form_of_address", "academic_title", "given_name", "family_name", "memberships"),
    "sessions": (
        "name",
        "organization",
        "date",
        "start_time",
        "end_time",
        "location",
        "state",
        "agenda_items",
        "documents",
    ),
    "papers": (
        "reference",
        "title",
        "paper_type",
        "date",
        "organization",
        "under_direction_of",
        "main_file",
        "attachments",
        "consultations",
        "superordinated",
        "subordinated",
    ),
}
SINGLE_FILES = frozenset({"invitation", "resultsProtocol", "verbatimProtocol", "resolutionFile", "mainFile"})
ITEM_FILES = (("resolutionFile", "Beschluss"), ("auxiliaryFile", "Anlage"))
# OParl type name → our kind, and the Body's list of it.
LISTS = {"organizations": "organization", "persons": "person", "sessions": "meeting", "papers": "paper"}
TYPES = {"Organization": "organizations", "Person": "persons", "Meeting": "sessions", "Paper": "papers"}


def slug(text: str, *, limit: int = MAX_ID_LENGTH) -> str:
    """``Vorlage 102/2002`` → ``vorlage-102-2002``; umlauts spelled out; at most ``limit`` characters, cut at a
    hyphen."""
    text = text.casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0] if "-" in text[:limit] else text[:limit]
    return text


EMBEDDED_PREFIXES = ("top-", "beratung-", "datei-", "mitgliedschaft-")  # the anchors of this site's own export


def tail(oparl_id: str) -> str:
    """The last segment of an OParl id, as an id: ``…/agendaitem/3549`` → ``3549``; an embedded object's own part
    (``…/sitzung/x.json#top-3`` → ``3``, without this site's anchor prefix, so that a round trip keeps it)."""
    path, _, fragment = oparl_id.partition("#")
    for prefix in EMBEDDED_PREFIXES:
        fragment = fragment.removeprefix(prefix)
    return slug(fragment or path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json"), limit=40) or "x"


class Ids:
    """Record ids: derived once (from the reference number, the name, the session's body and day), then found again
    through the OParl id, never derived anew; a collision gets the OParl id's last segment, deterministically."""

    def __init__(self) -> None:
        self.by_oparl: dict[str, tuple[str, str]] = {}
        self.taken: dict[str, set[str]] = {kind: set() for kind in OWNED}

    def know(self, kind: str, record_id: str, oparl_id: str | None) -> None:
        self.taken[kind].add(record_id)
        if oparl_id:
            self.by_oparl[oparl_id] = (kind, record_id)

    def assign(self, kind: str, oparl_id: str, wanted: str) -> str:
        if oparl_id in self.by_oparl:
            return self.by_oparl[oparl_id][1]
        base = slug(wanted) or tail(oparl_id)
        candidate = base
        if candidate in self.taken[kind] or candidate in RESERVED_IDS or not re.match(ID_PATTERN, candidate):
            candidate = slug(f"{base[: MAX_ID_LENGTH - 41]}-{tail(oparl_id)}")
        number = 1
        while candidate in self.taken[kind]:
            number += 1
            candidate = f"{slug(base, limit=MAX_ID_LENGTH - 45)}-{tail(oparl_id)}-{number}"
        self.know(kind, candidate, oparl_id)
        return candidate

    def of(self, kind: str, oparl_id: Any) -> str | None:
        found = self.by_oparl.get(oparl_id) if isinstance(oparl_id, str) else None
        return found[1] if found and found[0] == kind else None


class Converter:
    """Turns one body's objects into record data, with the ids and maps of the whole import."""

    def __init__(self, ids: Ids, *, warn: Warn, today: dt.date) -> None:
        self.ids, self.warn, self.today = ids, warn, today
        self.agenda_numbers: dict[str, str] = {}  # agenda item's OParl id → its number (for consultations)
        self.consultation_papers: dict[str, str] = {}  # consultation's OParl id → paper id (for agenda items)

    def remember(self, store: Any) -> None:
        """What the records already say of the links between agenda items and papers: an incremental run reads
        only one side of a link that changed, and must not lose the other."""
        for existing in store.records.values():
            if existing.kind == "sessions":
                for item in existing.data.get("agenda_items") or []:
                    if isinstance(item, dict) and item.get("id") and item.get("number"):
                        self.agenda_numbers[str(item["id"])] = str(item["number"])
            elif existing.kind == "papers":
                for consultation in existing.data.get("consultations") or []:
                    if isinstance(consultation, dict) and consultation.get("id"):
                        self.consultation_papers[str(consultation["id"])] = existing.id

    def skipped(self, kind: str, obj: Data) -> bool:
        """An object that becomes no record (and so gets no id that others could point to)."""
        if kind == "papers":
            return not isinstance(obj.get("reference"), str | int) or not str(obj.get("reference")).strip()
        if kind == "sessions":
            return not any(self.ids.of("organizations", o) for o in _as_list(obj.get("organization")))
        return False

    # --- shared pieces -----------------------------------------------------------------------------------------

    def text(self, obj: Data, key: str, what: str) -> str | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        where = str(obj.get("id", ""))
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.warn(where, f"„{what}“ ist kein Text ({type(value).__name__}): weggelassen")
            return None
        text = str(value)
        if BAD_CHARACTER.search(text):
            self.warn(where, f"unzulässige Zeichen (Steuerzeichen o. Ä.) in „{what}“: entfernt")
            text = BAD_CHARACTER.sub("", text)
        cleaned = " ".join(text.split())
        if cleaned != text.strip():
            self.warn(where, f"Zeilenumbruch oder doppelte Leerzeichen in „{what}“: zusammengefasst")
        if cleaned.count("(") > cleaned.count(")") or cleaned.count("„") > cleaned.count("“"):
            self.warn(where, f"„{what}“ wirkt abgeschnitten (Klammer oder Anführung nicht geschlossen): so übernommen")
        if len(cleaned) > MAX_TEXT:
            self.warn(where, f"„{what}“ ist länger als {MAX_TEXT} Zeichen: gekürzt")
            cleaned = cleaned[:MAX_TEXT].rsplit(" ", 1)[0] + " …"
        return cleaned or None

    def many(self, obj: Data, key: str) -> list[Any]:
        value = obj.get(key)
        if value is None or value == "":
            return []
        if not isinstance(value, list):
            self.warn(str(obj.get("id", "")), f"„{key}“ ist ein einzelner Wert, wo eine Liste stehen muss")
            return [value]
        return value

    def ref(self, obj: Data, kind: str, value: Any) -> str | None:
        if isinstance(value, dict):
            value = value.get("id")
        found = self.ids.of(kind, value)
        if found is None and value:
            self.warn(str(obj.get("id", "")), f"verweist auf ein Objekt, das in den Daten fehlt: {value}")
        return found

    def refs(self, obj: Data, kind: str, key: str) -> list[str]:
        found = [self.ref(obj, kind, value) for value in self.many(obj, key)]
        return list(dict.fromkeys(r for r in found if r))

    def date(self, obj: Data, key: str) -> str | None:
        value = obj.get(key)
        if not value:
            return None
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                self.warn(str(obj.get("id", "")), f"„{key}“ ist kein mögliches Datum ({value!r}): weggelassen")
                return None
        moment = parse_time(value)
        if moment is None:
            self.warn(str(obj.get("id", "")), f"„{key}“ ist kein Datum ({value!r}): weggelassen")
            return None
        return moment.astimezone(TIMEZONE).date().isoformat()

    def url(self, obj: Data, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        url = quote(value.strip(), safe=":/?#[]@!$&()*+,;=%~-._")
        if not re.match(WEB_URL_PATTERN, url):
            self.warn(str(obj.get("id", "")), f"keine gültige Webadresse ({value!r}): weggelassen")
            return None
        return url

    def origin(self, obj: Data) -> Data:
        return _clean(
            {
                "id": obj["id"],
                "web": self.url(obj, obj.get("web")),
                "created": obj.get("created") or None,
                "modified": obj.get("modified") or None,
                "retrieved": self.today.isoformat(),
            }
        )

    def document(self, obj: Data, file: Any, fallback: str) -> Data | None:
        if isinstance(file, str):
            self.warn(str(obj.get("id", "")), f"Datei {file} nur als Verweis, nicht eingebettet: weggelassen")
            return None
        if not isinstance(file, dict) or not file.get("id"):
            return None
        url = self.url(file, file.get("accessUrl") or file.get("downloadUrl"))
        size = file.get("size")
        size = size if isinstance(size, int) and not isinstance(size, bool) and 0 <= size <= 10**15 else None
        return _clean(
            {
                "id": tail(file["id"]),
                "title": self.text(file, "name", "Name") or self.text(file, "fileName", "Dateiname") or fallback,
                "date": self.date(file, "date"),
                "url": url,
                "online": None if url else False,
                "mime_type": self.text(file, "mimeType", "Dateityp"),
                "size": size,
            }
        )

    def documents(self, obj: Data, keys: tuple[tuple[str, str], ...]) -> list[Data]:
        found = []
        for key, fallback in keys:
            single = key in SINGLE_FILES and isinstance(obj.get(key), dict)
            for file in [obj[key]] if single else self.many(obj, key):
                document = self.document(obj, file, fallback)
                if document is not None:
                    found.append(document)
        return found

    # --- the kinds ---------------------------------------------------------------------------------------------

    def organization(self, obj: Data) -> Data:
        return {
            "name": self.text(obj, "name", "Name") or f"Organisation {tail(obj['id'])}",
            "short_name": self.text(obj, "shortName", "Kurzname"),
            "kind": self.text(obj, "classification", "Art") or self.text(obj, "organizationType", "Art"),
            "parent": self.ref(obj, "organizations", obj.get("subOrganizationOf")),
            "website": self.url(obj, obj.get("website")),
            "start": self.date(obj, "startDate"),
            "end": self.date(obj, "endDate"),
        }

    def legislative_term(self, obj: Data) -> Data:
        return {
            "name": self.text(obj, "name", "Name") or f"Wahlperiode {tail(obj['id'])}",
            "start": self.date(obj, "startDate"),
            "end": self.date(obj, "endDate"),
        }

    def person(self, obj: Data) -> Data:
        titles = [t for t in self.many(obj, "title") if isinstance(t, str) and t.strip()]
        parts = (obj.get("formOfAddress"), *titles, obj.get("givenName"), obj.get("familyName"))
        named = [p for p in (*titles, obj.get("givenName"), obj.get("familyName")) if isinstance(p, str) and p.strip()]
        name = self.text(obj, "name", "Name") or (
            " ".join(p for p in parts if isinstance(p, str) and p) if named else None
        )
        memberships = []
        for membership in self.many(obj, "membership"):
            if not isinstance(membership, dict):
                self.warn(obj["id"], f"Mitgliedschaft {membership} nur als Verweis: weggelassen")
                continue
            organization = self.ref(membership, "organizations", membership.get("organization"))
            if organization is None:
                continue
            voting = membership.get("votingRight")
            memberships.append(
                _clean(
                    {
                        "id": tail(str(membership.get("id", ""))) if membership.get("id") else None,
                        "organization": organization,
                        "role": self.text(membership, "role", "Rolle"),
                        "voting_right": voting if isinstance(voting, bool) else None,
                        "on_behalf_of": self.ref(membership, "organizations", membership.get("onBehalfOf")),
                        "start": self.date(membership, "startDate"),
                        "end": self.date(membership, "endDate"),
                    }
                )
            )
        return {
            "name": name or f"Name nicht angegeben ({tail(obj['id'])})",
            "form_of_address": self.text(obj, "formOfAddress", "Anrede"),
            "academic_title": " ".join(" ".join(titles).split()) or None,
            "given_name": self.text(obj, "givenName", "Vorname"),
            "family_name": self.text(obj, "familyName", "Familienname"),
            "memberships": memberships,
        }

    def session(self, obj: Data) -> Data | None:
        organizations = self.refs(obj, "organizations", "organization")
        if not organizations:
            self.warn(obj["id"], "Sitzung ohne (bekanntes) Gremium: nicht übernommen")
            return None
        start, end = parse_time(obj.get("start")), parse_time(obj.get("end"))
        local_start = start.astimezone(TIMEZONE) if start else None
        local_end = end.astimezone(TIMEZONE) if end else None
        items = []
        for item in self.many(obj, "agendaItem"):
            if not isinstance(item, dict) or not item.get("id"):
                self.warn(obj["id"], "Tagesordnungspunkt nur als Verweis: weggelassen")
                continue
            number = self.text(item, "number", "Nummer")
            consultation = item.get("consultation")
            paper = self.consultation_papers.get(tail(consultation)) if isinstance(consultation, str) else None
            items.append(
                _clean(
                    {
                        "id": tail(item["id"]),
                        "number": number,
                        "title": self.text(item, "name", "Titel") or "Tagesordnungspunkt ohne Titel",
                        "paper": paper,
                        "public": self.public(item),
                        "result": self.text(item, "result", "Ergebnis"),
                        "resolution": self.text(item, "resolutionText", "Beschlusstext"),
                        "documents": self.documents(
                            item, (("resolutionFile", "Beschluss"), ("auxiliaryFile", "Anlage"))
                        ),
                    }
                )
            )
        return {
            "name": self.text(obj, "name", "Name") or "Sitzung ohne Namen",
            "organization": organizations[0],
            "date": local_start.date().isoformat() if local_start else None,
            "start_time": local_start.strftime("%H:%M") if local_start else None,
            "end_time": local_end.strftime("%H:%M") if local_end and local_end != local_start else None,
            "location": self.location(obj),
            "state": self.state(obj),
            "agenda_items": items,
            "documents": self.documents(
                obj,
                (
                    ("invitation", "Einladung"),
                    ("resultsProtocol", "Ergebnisprotokoll"),
                    ("verbatimProtocol", "Wortprotokoll"),
                    ("auxiliaryFile", "Anlage"),
                ),
            ),
        }

    def public(self, item: Data) -> bool | None:
        """``False`` where the source says the item is not public; anything but true or false is said, not guessed."""
        value = item.get("public")
        if value is not None and not isinstance(value, bool):
            self.warn(
                str(item.get("id", "")), f"„public“ ist nicht true oder false ({value!r}): als öffentlich gelesen"
            )
        return False if value is False else None

    def location(self, obj: Data) -> str | None:
        location = obj.get("location")
        if isinstance(location, str):
            return None  # only a reference: the crawl often lacks it; the council system's page has it
        if not isinstance(location, dict):
            return None
        described = self.text(location, "description", "Ort")
        if described:
            return described
        parts = [self.text(location, key, "Ort") for key in ("room", "streetAddress", "locality")]
        return ", ".join(p for p in parts if p) or None

    def state(self, obj: Data) -> str | None:
        """Only what the source says: ``cancelled`` where it says so, a meeting state in plain words, else none."""
        if obj.get("cancelled") is True:
            return "cancelled"
        words = str(obj.get("meetingState") or "").casefold()
        if words in ("durchgeführt", "stattgefunden", "abgeschlossen"):
            return "held"
        if words in ("terminiert", "eingeladen", "geplant"):
            return "scheduled"
        return None

    def paper(self, obj: Data) -> Data | None:
        reference = self.text(obj, "reference", "Nummer")
        if reference is None:
            self.warn(obj["id"], "Vorlage ohne Nummer (reference): nicht übernommen")
            return None
        consultations = []
        for consultation in self.many(obj, "consultation"):
            if not isinstance(consultation, dict) or not consultation.get("id"):
                continue
            organizations = self.refs(consultation, "organizations", "organization")
            authoritative = consultation.get("authoritative")
            agenda_item = consultation.get("agendaItem")
            consultations.append(
                _clean(
                    {
                        "id": tail(consultation["id"]),
                        "session": self.ref(consultation, "sessions", consultation.get("meeting")),
                        "agenda_item": self.agenda_numbers.get(tail(agenda_item))
                        if isinstance(agenda_item, str)
                        else None,
                        "organization": organizations[0] if organizations else None,
                        "other_organizations": organizations[1:],
                        "role": self.text(consultation, "role", "Rolle"),
                        "authoritative": authoritative if isinstance(authoritative, bool) else None,
                    }
                )
            )
        originators = self.refs(obj, "organizations", "originatorOrganization")
        own = self.ids.of("papers", obj["id"])  # a paper its own super- or subordinate is no link
        main_file = self.document(obj, obj.get("mainFile"), "Vorlage") if obj.get("mainFile") else None
        return {
            "reference": reference,
            "title": self.text(obj, "name", "Titel") or f"Vorlage {reference}",
            "paper_type": self.text(obj, "paperType", "Art") or "Art nicht angegeben",
            "date": self.date(obj, "date"),
            "organization": originators[0] if originators else None,
            "under_direction_of": self.refs(obj, "organizations", "underDirectionOf"),
            "main_file": main_file,
            "attachments": self.documents(obj, (("auxiliaryFile", "Anlage"),)),
            "consultations": consultations,
            "superordinated": [r for r in self.refs(obj, "papers", "superordinatedPaper") if r != own],
            "subordinated": [r for r in self.refs(obj, "papers", "subordinatedPaper") if r != own],
        }

    def wanted_id(self, kind: str, obj: Data) -> str:
        """The id a new record gets: from its reference number, name, or body and day."""
        if kind == "papers":
            return str(obj.get("reference") or obj.get("name") or "")
        if kind == "sessions":
            start = parse_time(obj.get("start"))
            day = start.astimezone(TIMEZONE).date().isoformat() if start else ""
            organization = next(iter(self.many(obj, "organization")), None)
            body = self.ids.of("organizations", organization) or ""
            return f"{body} {day}" if body and day else str(obj.get("name") or "")
        if kind == "persons":
            parts = (obj.get("givenName"), obj.get("familyName"))
            return " ".join(p for p in parts if isinstance(p, str)) or str(obj.get("name") or "")
        return str(obj.get("name") or obj.get("shortName") or "")  # a name reads better in an address

    def convert(self, kind: str, obj: Data) -> Data | None:
        make: dict[str, Callable[[Data], Data | None]] = {
            "legislative_terms": self.legislative_term,
            "organizations": self.organization,
            "persons": self.person,
            "sessions": self.session,
            "papers": self.paper,
        }
        converted = make[kind](obj)
        return None if converted is None else _clean(converted)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _clean(data: Data) -> Data:
    """Without empty values (None, "", []): what the source does not say stays out of the file."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}
