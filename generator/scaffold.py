"""``python -m generator new <kind> <id>``: a new record file to fill in, with a comment on every field.

The file is valid as written (``check`` passes): what is not known yet is commented out, never filled with an
invented value. Required texts carry a placeholder in angle brackets for the editor to replace.
"""

from __future__ import annotations

import re
from pathlib import Path

from .models import ID_PATTERN

KINDS = {"agreement": "agreements", "paper": "papers", "session": "sessions", "organization": "organizations"}
HEADER = "# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"

TEMPLATES = {
    "organizations": """\
# Organisation. Die Kennung ist der Dateiname; sie bildet die Adresse der Seite und ändert sich nie.
name: "<voller Name, z. B. Ministerium für Arbeit, Integration und Soziales NRW>"
kind: "<Art, z. B. Ministerium, Kreis, Jobcenter, Ausschuss>"
# short_name: MAIS                    # Kurzname, wie er im Text steht
# parent: bundesagentur-fuer-arbeit   # Kennung der übergeordneten Organisation
# website: https://www.example.org
""",
    "agreements": """\
# Vereinbarung. Nur eintragen, was die Quelle sagt; Unbekanntes weglassen (die Seite sagt dann „nicht bekannt“).
title: "<Titel der Vereinbarung>"
kind: Zielvereinbarung
summary: |
  <Zusammenfassung in einfachen Worten.>
# period: {start: 2013, end: 2013}    # Laufzeit: JJJJ, JJJJ-MM oder JJJJ-MM-TT
# legal_basis: SGB II
# source: {paper: 50-2669-xv-2013, page: 1}   # Vorlage (und Seite), aus der die Angaben stammen
parties: []
# parties:                            # jede beteiligte Stelle mit ihrer Unterschrift
#   - organization: rhein-kreis-neuss # Kennung aus content/organizations/
#     role: Kommunaler Träger
#     signature:
#       status: signed                # signed, returned_unsigned, refused, pending oder unknown
#       date: 2013-07-05              # weglassen, wenn nicht bekannt
#       reason: …                     # nur wenn nicht unterschrieben
goals: []
# goals:
#   - id: ausbildung                  # für den festen Link #ziel-ausbildung
#     title: Mehr Jugendliche in Ausbildung
#     indicators:
#       - {name: Integrationsquote, unit: Prozent, baseline: {value: 20.5, date: 2012}, target: {value: 22}}
# target_groups: [{name: Jugendliche, group: jugendliche}]
# events: [{date: 2013-07-05, text: Ohne Unterschrift zurückgesandt}]
# related_papers: [50-2669-xv-2013]
""",
    "papers": """\
# Vorlage (Sitzungsvorlage, Drucksache). Die Kennung ist der Dateiname, z. B. 50-2669-xv-2013.
reference: "<Nummer der Vorlage, z. B. 50/2669/XV/2013>"
title: "<Titel (Betreff) der Vorlage>"
paper_type: Sitzungsvorlage
# date: 2013-07-05                    # JJJJ, JJJJ-MM oder JJJJ-MM-TT; weglassen, wenn nicht bekannt
# organization: rhein-kreis-neuss     # von wem die Vorlage stammt (Kennung aus content/organizations/)
# summary: …
# consultations: [{session: kreistag-2013-07-10, agenda_item: "5", organization: kreistag, role: Entscheidung}]
# related_agreements: [gemeinsame-vereinbarung-sgb2-2013]
# attachments: [{title: Vereinbarung, file: vereinbarung.pdf}]   # Datei in content/files/
""",
    "sessions": """\
# Sitzung eines Gremiums.
name: "<Name, z. B. 5. Sitzung des Kreistags>"
organization: {organization}          # Kennung des Gremiums aus content/organizations/
state: unknown                        # scheduled (geplant), held (stattgefunden), cancelled (abgesagt), unknown
# date: 2013-07-10                    # JJJJ-MM-TT; weglassen, wenn nicht bekannt
# start_time: "17:00"
# location: Kreishaus, Sitzungssaal
agenda_items: []
# agenda_items:
#   - {number: "5", title: Zielvereinbarung SGB II 2013, paper: 50-2669-xv-2013}
""",
}


class ScaffoldError(Exception):
    """The file cannot be written: a bad id, an existing record, or a missing organisation."""


def new_record(*, content: Path, kind_word: str, record_id: str, organization: str | None = None) -> Path:
    """Write ``content/<kind>/<id>.yml`` from the template; never overwrites."""
    kind = KINDS[kind_word]
    if not re.match(ID_PATTERN, record_id):
        raise ScaffoldError(
            f"„{record_id}“ ist keine gültige Kennung: nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche, "
            f"z. B. {_suggest(record_id) or 'kreistag-2013-07-10'}"
        )
    folder = content / kind
    for existing in folder.glob("*") if folder.is_dir() else []:
        if existing.stem.lower() == record_id:
            raise ScaffoldError(f"{existing}: diesen Eintrag gibt es schon; eine andere Kennung wählen")
    text = TEMPLATES[kind]
    if kind == "sessions":
        organizations = sorted(p.stem for p in (content / "organizations").glob("*.yml"))
        if organization is None or organization not in organizations:
            known = ", ".join(organizations[:8]) + (" …" if len(organizations) > 8 else "")
            raise ScaffoldError(
                "Eine Sitzung gehört zu einem Gremium: --organization KENNUNG angeben"
                + (f" (vorhanden: {known})" if organizations else " (zuerst eine Organisation anlegen)")
            )
        text = text.replace("{organization}", organization)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yml"
    path.write_text(HEADER.format(kind=kind) + text, encoding="utf-8")
    return path


def _suggest(text: str) -> str:
    """``Kreistag 2013/07`` → ``kreistag-2013-07``."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return "-".join(re.findall(r"[a-z0-9]+", text.lower().translate(table)))
