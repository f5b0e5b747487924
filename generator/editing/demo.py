"""Synthetic demo corpus for benchmarks and tests: ``python -m generator demo --records N --out DIR``.

Everything here is invented and says so: the corpus folder carries a ``.demo`` marker, and every page built
from it shows "Demo-Daten". Same seed, same files. It never writes into the project's ``content/``.
"""

from __future__ import annotations

import itertools
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.records.load import DEMO_MARKER, FILES_FOLDER
from generator.records.texts import TEXTS_FOLDER, text_file

MARKER_TEXT = "Demo-Daten: erfunden von `python -m generator demo`, nur für Tests und Benchmarks.\n"

ROMAN = ["XII", "XIII", "XIV", "XV", "XVI", "XVII"]
TOWNS = ["Neuss", "Grevenbroich", "Dormagen", "Kaarst", "Meerbusch", "Korschenbroich", "Jüchen", "Rommerskirchen"]
TOPICS = [
    "Schulentwicklungsplanung",
    "Radverkehrskonzept",
    "Kindertagesbetreuung",
    "Wohnraumversorgung",
    "Breitbandausbau",
    "Klimaschutzkonzept",
    "Integration von Zugewanderten",
    "Pflegeplanung",
    "Rettungsdienstbedarfsplan",
    "Öffentlicher Personennahverkehr",
    "Jugendhilfeplanung",
    "Digitalisierung der Verwaltung",
    "Langzeitarbeitslosigkeit",
    "Ausbildungsmarkt",
    "Gesundheitsvorsorge",
    "Hochwasserschutz",
]
PAPER_TITLES = [
    "Haushaltssatzung und Haushaltsplan {year}",
    "Bericht der Verwaltung zur {topic}",
    "Antrag der Fraktion {party} zur {topic}",
    "Sanierung der {school} in {town}",
    "Bebauungsplan Nr. {number} „{street}“ in {town}",
    "Fortschreibung der {topic} {year}",
    "Zielvereinbarung nach dem SGB II für {year}",
    "Anfrage zur {topic} in {town}",
    "Jahresbericht des Jobcenters {year}",
    "Vergabe von Leistungen für die {topic}",
]
PARTIES = ["CDU", "SPD", "Bündnis 90/Die Grünen", "FDP", "Die Linke", "UWG"]
SCHOOLS = ["Gesamtschule", "Realschule", "Berufskolleg", "Förderschule", "Gymnasium"]
STREETS = ["Am Mühlenbach", "Hauptstraße Nord", "Gewerbegebiet Süd", "Alter Markt", "Kirchfeld"]
PAPER_TYPES = ["Sitzungsvorlage", "Beschlussvorlage", "Mitteilungsvorlage", "Antrag", "Anfrage"]
COMMITTEES = [
    "Kreistag",
    "Kreisausschuss",
    "Sozial- und Gesundheitsausschuss",
    "Schulausschuss",
    "Jugendhilfeausschuss",
    "Ausschuss für Planung und Umwelt",
    "Finanzausschuss",
    "Trägerversammlung des Jobcenters",
]
TARGET_GROUPS = [
    "Jugendliche",
    "Alleinerziehende",
    "Menschen mit Migrationshintergrund",
    "Langzeitleistungsbeziehende",
    "Menschen mit Behinderungen",
    "Ältere Arbeitsuchende",
    "Geflüchtete",
    "Familien mit Kindern",
    "Berufsrückkehrende",
    "Junge Erwachsene ohne Abschluss",
    "Pflegende Angehörige",
    "Wohnungslose Menschen",
]
GOALS = [
    ("Mehr Integrationen in Arbeit", "Integrationsquote", "%"),
    ("Langzeitbezug verringern", "Langzeitleistungsbeziehende", "Personen"),
    ("Mehr Ausbildungsplätze besetzen", "Besetzte Ausbildungsplätze", "Plätze"),
    ("Schnellere Vermittlung", "Durchschnittliche Dauer bis zur Vermittlung", "Tage"),
    ("Mehr Teilnahme an Sprachkursen", "Teilnehmende an Sprachkursen", "Personen"),
]
STATUSES = ["signed", "signed", "signed", "returned_unsigned", "refused", "pending", "unknown"]
REASONS = [
    "Rechtliche Bedenken gegen einzelne Zielwerte (Demo).",
    "Abstimmung mit dem Bund noch nicht abgeschlossen (Demo).",
    "Zielwerte aus Sicht der Partei nicht erreichbar (Demo).",
]


@dataclass(frozen=True, slots=True)
class Counts:
    organizations: int
    target_groups: int
    agreements: int
    sessions: int
    papers: int

    @property
    def total(self) -> int:
        return self.organizations + self.target_groups + self.agreements + self.sessions + self.papers

    @classmethod
    def for_total(cls, total: int, *, sessions: int | None = None) -> Counts:
        """Realistic proportions: most records are papers and sessions (``sessions``: as many as that)."""
        organizations = max(8, total // 50)
        target_groups = min(len(TARGET_GROUPS), max(4, total // 100))
        agreements = max(3, total // 40)
        sessions = max(2, total * 3 // 10) if sessions is None else sessions
        papers = max(2, total - organizations - target_groups - agreements - sessions)
        return cls(organizations, target_groups, agreements, sessions, papers)


class DemoTargetError(Exception):
    """The output folder must not be the real content folder or a folder with other files."""


def write_demo(
    *,
    records: int,
    out: Path,
    seed: int = 2013,
    protected: Path | None = None,
    sessions: int | None = None,
    agenda_items: int = 10,
) -> Counts:
    """Write a synthetic corpus of about ``records`` records into ``out`` (replacing an earlier demo corpus).

    ``sessions``: that many sessions (else 30 % of the records); ``agenda_items``: the most items a session has
    (3 to 10 by default; beyond 10, most sessions stay short and a few reach it, as in a city council's record)."""
    out = out.resolve()
    if protected is not None and (out == protected.resolve() or protected.resolve() in out.parents):
        raise DemoTargetError(f"{out}: Demo-Daten werden nie in {protected} geschrieben")
    if out.exists() and any(out.iterdir()):
        if not (out / DEMO_MARKER).is_file():
            raise DemoTargetError(f"{out}: Ordner ist nicht leer und enthält keine Demo-Daten ({DEMO_MARKER} fehlt)")
        shutil.rmtree(out)
    rng = random.Random(seed)
    counts = Counts.for_total(records, sessions=sessions)
    corpus = _Corpus(rng, counts, agenda_items=agenda_items)
    out.mkdir(parents=True, exist_ok=True)
    (out / DEMO_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    for kind, record_id, data in corpus.records():
        folder = out / kind
        folder.mkdir(exist_ok=True)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        (folder / f"{record_id}.yml").write_text(text, encoding="utf-8")
    for name, pages in corpus.documents.items():
        # A stand-in for the paper's PDF (published as a download, marked demo like every page) and its text, as
        # `texts` would write it: 2 to 20 pages a paper, so that search is measured with document text.
        (out / FILES_FOLDER).mkdir(exist_ok=True)
        (out / FILES_FOLDER / name).write_bytes(b"%PDF-1.4\n% Demo-Daten: kein echtes Dokument\n")
        (out / TEXTS_FOLDER).mkdir(exist_ok=True)
        (out / TEXTS_FOLDER / f"{name}.txt").write_text(
            text_file(name, pages, [None] * len(pages), tool="Demo-Daten", day="2026-01-01"), encoding="utf-8"
        )
    return counts


# The demo documents' prose: sentences of a council paper with compound nouns drawn from a vocabulary of 2,184
# (first part × second part), the frequent ones far more often than the rare ones (Zipf's law, as in real text), so
# that a word of the text stands in some documents and not in all of them, as in a real council record.
SENTENCES = (
    "Die Verwaltung berichtet über den Stand der {topic} in {town}.",
    "Der Ausschuss hat die {noun} im Jahr {year} beraten.",
    "Für die {school} in {town} werden im Haushalt {year} Mittel für die {noun} bereitgestellt.",
    "Die Fraktion der {party} beantragt, die {noun} bis {year} fortzuschreiben.",
    "Im Bereich {street} sind weitere Schritte der {noun} vorgesehen.",
    "Die Kosten belaufen sich nach der Schätzung der Verwaltung auf {number} Tausend Euro.",
    "Mit der {noun} soll die {noun2} in {town} verbessert werden.",
    "Der Kreistag hat am {number}. Sitzungstag die {noun} beschlossen.",
    "Eine {noun} liegt bisher nicht vor; die Verwaltung prüft die {noun2}.",
    "Nach Auskunft des Landes ist die {noun} bis Ende {year} abzuschließen.",
    "Die {noun} wird aus Mitteln der {noun2} finanziert.",
    "Zur {noun} fand im {month} {year} ein Gespräch mit den Trägern statt.",
    "Die Zahl der Anträge auf {noun} ist gegenüber {year} um {number} gestiegen.",
    "Die Stellungnahme der {party} zur {noun} ist als Anlage beigefügt.",
    "Über die {noun} wird in der nächsten Sitzung erneut berichtet.",
    "Es wird vorgeschlagen, die {noun} mit der {noun2} zu verbinden.",
    "Die Gemeinde {town} hat der {noun} zugestimmt.",
    "Der Bedarf an {noun} wird für {year} auf {number} Fälle geschätzt.",
    "Die Förderrichtlinie zur {noun} tritt am 1. {month} {year} in Kraft.",
    "Die Anlage enthält eine Übersicht der {noun} nach Kommunen.",
)
FIRST_PARTS = [
    "Haushalts",
    "Schul",
    "Verkehrs",
    "Bau",
    "Sozial",
    "Jugend",
    "Kinder",
    "Umwelt",
    "Wasser",
    "Straßen",
    "Personal",
    "Gebäude",
    "Energie",
    "Klima",
    "Gesundheits",
    "Pflege",
    "Integrations",
    "Wohnungs",
    "Arbeits",
    "Ausbildungs",
    "Förder",
    "Sport",
    "Kultur",
    "Feuerwehr",
    "Rettungs",
    "Abfall",
    "Abwasser",
    "Wirtschafts",
    "Tourismus",
    "Friedhofs",
    "Grünflächen",
    "Spielplatz",
    "Radweg",
    "Bus",
    "Bahnhofs",
    "Hochwasser",
    "Denkmal",
    "Vergabe",
    "Prüfungs",
    "Steuer",
    "Gebühren",
    "Beteiligungs",
    "Bildungs",
    "Betreuungs",
    "Senioren",
    "Familien",
    "Inklusions",
    "Migrations",
    "Quartiers",
    "Stadtentwicklungs",
    "Flächennutzungs",
    "Lärm",
    "Naturschutz",
    "Forst",
    "Landwirtschafts",
    "Digital",
]
SECOND_PARTS = [
    "plan",
    "satzung",
    "bericht",
    "konzept",
    "maßnahme",
    "kosten",
    "mittel",
    "antrag",
    "verfahren",
    "programm",
    "richtlinie",
    "ordnung",
    "entwicklung",
    "planung",
    "förderung",
    "versorgung",
    "sanierung",
    "erweiterung",
    "beratung",
    "vereinbarung",
    "statistik",
    "prüfung",
    "ausschreibung",
    "gutachten",
    "projekt",
    "netz",
    "angebot",
    "strategie",
    "controlling",
    "budget",
    "anpassung",
    "kontrolle",
    "beteiligung",
    "zuschuss",
    "umlage",
    "erhebung",
    "sicherung",
    "verwaltung",
    "leitlinie",
]
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November")
NOUNS = tuple(
    random.Random(7).sample(
        [first + second for first in FIRST_PARTS for second in SECOND_PARTS], k=len(FIRST_PARTS) * len(SECOND_PARTS)
    )
)  # in an order of frequency that mixes the parts: rank 1 is the most frequent
NOUN_WEIGHTS = tuple(itertools.accumulate(1 / rank for rank in range(1, len(NOUNS) + 1)))


class _Corpus:
    def __init__(self, rng: random.Random, counts: Counts, *, agenda_items: int = 10) -> None:
        self.rng = rng
        self.counts = counts
        self.agenda_items = agenda_items
        self.years = list(range(2014, 2025))
        self.documents: dict[str, list[str]] = {}  # file name → its pages' text (the demo papers' documents)

    def _agenda_length(self) -> int:
        if self.agenda_items <= 10:
            return self.rng.randint(min(3, self.agenda_items), self.agenda_items)
        # Skewed: 3 + (most − 3) · u⁶ for u uniform in [0, 1) – half the sessions under 8 items, the mean about 45
        # at most = 300, one in a hundred over 140.
        return 3 + int((self.agenda_items - 3) * self.rng.random() ** 6)

    def records(self) -> list[tuple[str, str, dict[str, Any]]]:
        rng, counts = self.rng, self.counts
        out: list[tuple[str, str, dict[str, Any]]] = []
        orgs = self._organizations(out)
        committees = [o for o, kind in orgs if kind == "Gremium"]
        partners = [o for o, kind in orgs if kind != "Gremium"]
        groups = [f"zielgruppe-{i + 1}" for i in range(counts.target_groups)]
        for i, group_id in enumerate(groups):
            out.append(("target_groups", group_id, {"name": TARGET_GROUPS[i]}))
        papers_by_year: dict[int, list[str]] = {year: [] for year in self.years}
        paper_data: dict[str, dict[str, Any]] = {}
        for i in range(counts.papers):
            year = self.years[i * len(self.years) // counts.papers]
            paper_id = f"vorlage-{year}-{i + 1:05d}"
            amt = rng.choice([10, 20, 32, 40, 50, 51, 61])
            title = rng.choice(PAPER_TITLES).format(
                year=year,
                topic=rng.choice(TOPICS),
                party=rng.choice(PARTIES),
                school=rng.choice(SCHOOLS),
                town=rng.choice(TOWNS),
                number=rng.randint(1, 250),
                street=rng.choice(STREETS),
            )
            data: dict[str, Any] = {
                "reference": f"{amt}/{i + 1000}/{ROMAN[(year - 2014) // 5 + 2]}/{year}",
                "title": title,
                "paper_type": rng.choice(PAPER_TYPES),
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.9 else None,
                "organization": rng.choice(partners),
                "summary": f"Demo-Daten. Die Verwaltung legt dem Gremium eine Vorlage zur {rng.choice(TOPICS)} vor.",
                "main_file": {"title": f"Vorlage (Demo-Daten) {i + 1000}/{year}", "file": f"{paper_id}.pdf"},
                "consultations": [],
            }
            self.documents[f"{paper_id}.pdf"] = self._pages(year)
            paper_data[paper_id] = data
            papers_by_year[year].append(paper_id)
        for i in range(counts.sessions):
            year = self.years[i * len(self.years) // counts.sessions]
            session_id = f"sitzung-{year}-{i + 1:05d}"
            committee = rng.choice(committees)
            items = []
            pool = papers_by_year[year]
            for n in range(1, self._agenda_length() + 1):
                item_paper = rng.choice(pool) if pool and rng.random() < 0.8 else None
                item: dict[str, Any] = {
                    "number": str(n),
                    "title": paper_data[item_paper]["title"]
                    if item_paper
                    else rng.choice(["Mitteilungen der Verwaltung", "Anfragen", "Verschiedenes"]),
                }
                if item_paper:
                    item["paper"] = item_paper
                    item["result"] = rng.choice(["beschlossen", "zur Kenntnis genommen", "vertagt", "abgelehnt"])
                    if len(paper_data[item_paper]["consultations"]) < 2 and rng.random() < 0.5:
                        paper_data[item_paper]["consultations"].append(
                            {"session": session_id, "agenda_item": str(n), "organization": committee}
                        )
                items.append(item)
            out.append(
                (
                    "sessions",
                    session_id,
                    {
                        "name": f"{i % 30 + 1}. Sitzung ({year})",
                        "organization": committee,
                        "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        "start_time": rng.choice(["09:00", "14:00", "15:30", "17:00"]),
                        "location": f"Kreishaus {rng.choice(TOWNS)}, Sitzungssaal",
                        "state": "held" if year < 2024 else rng.choice(["scheduled", "held", "cancelled"]),
                        "agenda_items": items,
                    },
                )
            )
        for paper_id, data in paper_data.items():
            out.append(("papers", paper_id, data))
        for i in range(counts.agreements):
            out.append(self._agreement(i, partners, groups, papers_by_year))
        return out

    def _pages(self, year: int) -> list[str]:
        """2 to 20 pages of invented council prose, about 600 characters each."""
        rng = self.rng
        pages = []
        for _ in range(rng.randint(2, 20)):
            nouns = rng.choices(NOUNS, cum_weights=NOUN_WEIGHTS, k=16)
            sentences = [
                rng.choice(SENTENCES).format(
                    noun=nouns[2 * n],
                    noun2=nouns[2 * n + 1],
                    month=rng.choice(MONTHS),
                    topic=rng.choice(TOPICS),
                    town=rng.choice(TOWNS),
                    year=year,
                    school=rng.choice(SCHOOLS),
                    party=rng.choice(PARTIES),
                    street=rng.choice(STREETS),
                    number=rng.randint(10, 900),
                )
                for n in range(8)
            ]
            pages.append(" ".join(sentences[:4]) + "\n\n" + " ".join(sentences[4:]))
        return pages

    def _organizations(self, out: list[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str]]:
        orgs: list[tuple[str, str]] = []
        fixed = [
            ("kreis", {"name": "Demokreis", "kind": "Kreis (kommunaler Träger)"}),
            ("jobcenter", {"name": "Jobcenter Demokreis", "kind": "Jobcenter"}),
            ("land", {"name": "Ministerium für Arbeit (Demo)", "short_name": "MfA", "kind": "Landesministerium"}),
            ("ba", {"name": "Bundesagentur (Demo)", "short_name": "BA", "kind": "Bundesagentur"}),
            (
                "regionaldirektion",
                {"name": "Regionaldirektion (Demo)", "short_name": "RD", "kind": "Regionaldirektion", "parent": "ba"},
            ),
        ]
        for org_id, data in fixed:
            out.append(("organizations", org_id, data))
            orgs.append((org_id, data["kind"]))
        for i in range(self.counts.organizations - len(fixed)):
            if i < len(COMMITTEES):
                org_id, data = f"gremium-{i + 1}", {"name": COMMITTEES[i], "kind": "Gremium", "parent": "kreis"}
            else:
                town = TOWNS[i % len(TOWNS)]
                org_id = f"jobcenter-{i + 1}"
                data = {"name": f"Jobcenter {town} {i + 1} (Demo)", "kind": "Jobcenter"}
            out.append(("organizations", org_id, data))
            orgs.append((org_id, data["kind"]))
        return orgs

    def _agreement(
        self, i: int, partners: list[str], groups: list[str], papers_by_year: dict[int, list[str]]
    ) -> tuple[str, str, dict[str, Any]]:
        rng = self.rng
        year = self.years[i * len(self.years) // self.counts.agreements]
        years = rng.choice([1, 1, 2])
        jobcenters = [o for o in partners if o.startswith("jobcenter")]
        jobcenter = "jobcenter" if rng.random() < 0.8 else rng.choice(jobcenters)  # mostly the district's own
        parties = [jobcenter, *rng.sample(["kreis", "land", "regionaldirektion"], k=rng.randint(1, 3))]
        party_data = []
        for org in parties:
            status = rng.choice(STATUSES)
            signature: dict[str, Any] = {"status": status}
            if status != "unknown" and rng.random() < 0.7:
                signature["date"] = f"{year}-{rng.randint(2, 12):02d}"
            if status in ("returned_unsigned", "refused"):
                signature["reason"] = rng.choice(REASONS)
            party_data.append({"organization": org, "role": "Vertragspartei", "signature": signature})
        chosen = rng.sample(groups, k=min(len(groups), rng.randint(1, 3)))
        goals = []
        for g in range(rng.randint(1, 3)):
            title, name, unit = GOALS[(i + g) % len(GOALS)]
            base = rng.randint(50, 500)
            target = base + rng.randint(-40, 80)
            actuals = [
                {"value": base + (target - base) * k // 3, "date": f"{year + (k * years) // 4}-{3 * k:02d}"}
                for k in range(1, rng.randint(0, 3) + 1)
            ]
            goals.append(
                {
                    "title": title,
                    "target_groups": [rng.choice(chosen)],
                    "indicators": [
                        {
                            "name": name,
                            "unit": unit,
                            "baseline": {"value": base, "date": f"{year - 1}-12"},
                            "target": {"value": target, "date": f"{year + years - 1}-12"},
                            "actuals": actuals,
                        }
                    ],
                }
            )
        pool = papers_by_year[year]
        data: dict[str, Any] = {
            "title": f"Zielvereinbarung {i + 1} für {year}" + (f" und {year + 1}" if years == 2 else ""),
            "kind": "Zielvereinbarung",
            "period": {"start": year, "end": year + years - 1},
            "legal_basis": "SGB II",
            "summary": "Demo-Daten: eine erfundene Zielvereinbarung, nur für Tests und Benchmarks.",
            "parties": party_data,
            "target_groups": [{"name": TARGET_GROUPS[groups.index(g)], "group": g} for g in chosen],
            "goals": goals,
            "events": [{"date": f"{year}-01", "text": "Entwurf der Vereinbarung liegt vor (Demo)."}],
            "related_papers": rng.sample(pool, k=min(len(pool), 2)),
        }
        return "agreements", f"vereinbarung-{year}-{i + 1:04d}", data
