"""``python -m generator new <kind> <id>``: a new record file to fill in, with a comment on every field.

The file is valid as written (``check`` passes): what is not known yet is commented out, never filled with an
invented value. Required texts carry a placeholder in angle brackets for the editor to replace.
"""

from __future__ import annotations

import difflib
import re
import shlex
from pathlib import Path

from generator.records.kinds import WORDS
from generator.records.load import YAML_SUFFIXES, check_id
from generator.records.models import ID_PATTERN, MAX_ID_LENGTH

KINDS = WORDS  # new <word>: agreement, paper, session, organization
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
#       status: signed                # signed, returned_unsigned, not_signed, refused, pending, unknown
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
    "persons": """\
# Person mit einem öffentlichen Amt. Nur Name und Mitgliedschaften: keine Kontaktdaten, Anschriften, Fotos oder
# Lebensdaten.
name: "<Name, z. B. Anna Beispiel>"
# form_of_address: Frau
# given_name: Anna
# family_name: Beispiel
memberships: []
# memberships:
#   - {organization: kreistag, role: Mitglied, voting_right: true, start: 2020-11-01}
""",
}


class ScaffoldError(Exception):
    """The file cannot be written: a bad id, an existing record, or a missing organisation."""


PROGRAM = ".venv/bin/python -m generator"  # how the README calls the generator from the repository's root


def new_record(
    *, content: Path, kind_word: str, record_id: str, organization: str | None = None, program: str = PROGRAM
) -> Path:
    """Write ``content/<kind>/<id>.yml`` from the template; never overwrites.

    Every refusal says what to type instead: a free id, the known organisations, or (with ``program``, the
    command line that runs the generator) the command that creates the missing organisation.
    """
    kind = KINDS[kind_word]
    folder = content / kind
    taken = {p.stem.lower() for p in folder.iterdir() if p.suffix in YAML_SUFFIXES} if folder.is_dir() else set()
    if not re.match(ID_PATTERN, record_id):
        suggestion = _suggest(record_id)
        raise ScaffoldError(
            f"„{record_id}“ ist keine gültige Kennung: nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche, "
            f"z. B. {free_id(suggestion, taken) if suggestion else 'kreistag-2013-07-10'}"
        )
    why = check_id(record_id)  # too long, or the name of a section's own page
    if why is not None:
        raise ScaffoldError(why)
    if record_id in taken:
        existing = next(p for p in sorted(folder.iterdir()) if p.stem.lower() == record_id)
        raise ScaffoldError(
            f"{existing}: diesen Eintrag gibt es schon; eine andere Kennung wählen, z. B. {free_id(record_id, taken)}"
        )
    text = TEMPLATES[kind]
    if kind == "sessions":
        text = text.replace("{organization}", _committee(content, organization, program))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yml"
    path.write_text(HEADER.format(kind=kind) + text, encoding="utf-8")
    return path


def free_id(record_id: str, taken: set[str]) -> str:
    """``50-2669-xv-2013-2`` for ``50-2669-xv-2013`` when that is taken: the first free numbered id."""
    if record_id not in taken and check_id(record_id) is None:
        return record_id
    for number in range(2, len(taken) + 3):
        ending = f"-{number}"
        candidate = record_id[: MAX_ID_LENGTH - len(ending)].rstrip("-") + ending
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: more numbers were tried than ids are taken")


def _committee(content: Path, organization: str | None, program: str) -> str:
    """The organisation a new session belongs to: it must exist, else say which ones do (closest first)."""
    folder = content / "organizations"
    known = sorted(p.stem for p in folder.iterdir() if p.suffix in YAML_SUFFIXES) if folder.is_dir() else []
    if organization is not None and organization in known:
        return organization
    listed = ", ".join(known[:8]) + (" …" if len(known) > 8 else "")
    if organization is None:
        raise ScaffoldError(
            "Eine Sitzung gehört zu einem Gremium: --organization KENNUNG angeben"
            + (f" (vorhanden: {listed})" if known else " (zuerst eine Organisation anlegen)")
        )
    wanted = organization.casefold()
    close = [k for k in known if wanted in k] + difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    shared = [k for k in known if _shares_a_word(wanted, k)]  # "kreistag" and "rhein-kreis-neuss"
    close += sorted(shared, key=lambda k: -difflib.SequenceMatcher(None, wanted, k).ratio())
    close = list(dict.fromkeys(close))[:3]
    folder_text = f"{content.as_posix()}/organizations/"
    create = f"{program} new organization {organization}"
    if content != Path("content"):
        create += f" --content {shlex.quote(str(content))}"
    if close:
        quoted = [f"„{k}“" for k in close]
        meant = " oder ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
        hint = f" – meinten Sie {meant}? Oder das Gremium zuerst anlegen: {create}"
    elif known:
        hint = f" (vorhanden: {listed}) – das Gremium zuerst anlegen: {create}"
    else:
        hint = f" – das Gremium zuerst anlegen: {create}"
    raise ScaffoldError(f"Keine Organisation mit der Kennung „{organization}“ in {folder_text}{hint}")


def _shares_a_word(typed: str, known: str) -> bool:
    """Whether a word of one id (five letters or more) begins a word of the other."""
    typed_words, known_words = typed.split("-"), known.split("-")
    return any(
        len(short) >= 5 and long.startswith(short)
        for a in typed_words
        for b in known_words
        for short, long in ((a, b), (b, a))
    )


def _suggest(text: str) -> str:
    """``Kreistag 2013/07`` → ``kreistag-2013-07``."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return "-".join(re.findall(r"[a-z0-9]+", text.lower().translate(table)))
