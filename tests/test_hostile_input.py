"""The hostile-input corpus: a payload of quotes, angle brackets, ampersands, backticks, Markdown block syntax and
a newline in every text field of every record kind and in every text setting, built for real and opened in
headless Chromium. No script runs (no dialog opens, no element gets an event-handler attribute), no markup from
the payload appears, and the text itself is shown and kept verbatim in the data.

The bad-input corpus (test_bad_input.py) covers input that must be refused; this one covers input that is valid
and must be shown as the text it is.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
import typing
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Dialog
from pydantic import BaseModel

from generator.pipeline import Paths, build
from generator.records.kinds import MODELS
from generator.records.models import RefTo
from generator.records.settings import Settings

from .conftest import CONFIG, FIXTURES
from .test_browser import _Quiet, browser  # noqa: F401  (the module's browser fixture)

PAYLOAD = (
    "X\" autofocus onfocus=\"alert('attr')\" x='y' <img src=x onerror=alert('img')> & `code` "
    "[Link](javascript:alert('link')) {: onclick=\"alert('attrlist')\" }\n\n"
    '!!! success "Gefälscht"\n\n    Von allen unterzeichnet.\n\n# Überschrift\n- Punkt\n| a | b |\n---'
)
SHOWN = "X\" autofocus onfocus=\"alert('attr')\" x='y' <img src=x onerror=alert('img')> & `code`"

# Every text field of every record kind, with the payload; ids, references, dates and web addresses cannot hold it
# (they are checked against their own pattern and refused otherwise, see test_bad_input.py).
P = PAYLOAD
SOURCE = {"paper": "boese", "page": 1, "quote": P}
RECORDS: dict[str, dict[str, Any]] = {
    "organizations": {"name": P, "short_name": P, "kind": P},
    "target_groups": {"name": P, "description": P},
    "legislative_terms": {"name": P, "start": "2020-11-01", "end": "2025-10-31"},
    "papers": {
        "reference": P,
        "title": P,
        "paper_type": P,
        "summary": P,
        "organization": "boese",
        "main_file": {"title": P, "online": False, "mime_type": P, "source": SOURCE},
        "attachments": [{"title": P, "online": False, "source": SOURCE, "mime_type": P}],
        "consultations": [{"session": "boese", "agenda_item": P, "organization": "boese", "role": P}],
    },
    "persons": {
        "name": P,
        "form_of_address": P,
        "academic_title": P,
        "given_name": P,
        "family_name": P,
        "memberships": [{"organization": "boese", "role": P, "on_behalf_of": "boese"}],
    },
    "sessions": {
        "name": P,
        "organization": "boese",
        "date": "2020-05-05",
        "location": P,
        "agenda_items": [
            {
                "number": P,
                "title": P,
                "paper": "boese",
                "result": P,
                "resolution": P,
                "documents": [{"title": P, "online": False, "mime_type": P, "source": SOURCE}],
            }
        ],
        "documents": [{"title": P, "online": False, "mime_type": P, "source": SOURCE}],
    },
    "agreements": {
        "title": P,
        "kind": P,
        "legal_basis": P,
        "summary": P,
        "period": {"start": "2020", "end": "2021"},
        "parties": [
            {"organization": "boese", "role": P, "signature": {"status": "refused", "reason": P, "source": SOURCE}}
        ],
        "target_groups": [{"name": P, "group": "boese", "source": SOURCE}],
        "goals": [
            {
                "title": P,
                "description": P,
                "target_groups": ["boese"],
                "source": SOURCE,
                "indicators": [
                    {
                        "name": P,
                        "unit": P,
                        "baseline": {"value": 1, "date": "2020-01", "source": SOURCE},
                        "target": {"value": 3, "date": "2021-12", "source": SOURCE},
                        "actuals": [{"value": 2, "date": "2020-12", "source": SOURCE}],
                    }
                ],
            }
        ],
        "events": [{"date": "2020-02", "text": P, "source": SOURCE}],
        "notes": [{"text": P, "source": SOURCE}],
        "background": [{"text": P, "reported_by": "boese", "source": SOURCE}],
        "documents": [{"title": P, "online": False, "mime_type": P, "source": SOURCE}],
        "related_papers": ["boese"],
        "source": SOURCE,
    },
}
for _data in RECORDS.values():
    _data["withdrawn"] = {"date": "2021-01", "reason": P}  # the notice on the page quotes the reason
SETTINGS = {
    "operator": {"name": P, "address": P, "email": P, "phone": P, "represented_by": P},
    "privacy": {"officer": P, "officer_email": P},
    "accessibility": {"contact_email": P, "statement_date": "2026-11-25", "enforcement_body": P},
    "open_data": {"licence": P, "licence_url": "https://www.govdata.de/dl-de/by-2-0"},
}


def text_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Dotted names of the free-text fields of ``model``, nested models included (not ids, references, dates,
    addresses or times: those have a pattern of their own)."""
    found = set()
    for name, info in model.model_fields.items():
        if name in ("id", "former_ids"):
            continue
        annotation = info.rebuild_annotation()
        for inner in _flatten(annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                found |= text_fields(inner, f"{prefix}{name}.")
            elif inner is str and not _constrained(annotation):
                found.add(prefix + name)
    return found


def _flatten(annotation: Any) -> Iterator[Any]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        yield from _flatten(args[0])
    elif args:
        for arg in args:
            yield from _flatten(arg)
    else:
        yield annotation


def _constrained(annotation: Any) -> bool:
    """A reference, or a string with a pattern (id, address, time)."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in typing.get_args(annotation)[1:]:
            if isinstance(meta, RefTo) or getattr(meta, "pattern", None):
                return True
        return _constrained(typing.get_args(annotation)[0])
    return any(_constrained(arg) for arg in typing.get_args(annotation))


def payload_fields(data: Any, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        return {f for key, value in data.items() for f in payload_fields(value, f"{prefix}{key}.")}
    if isinstance(data, list):
        return {f for item in data for f in payload_fields(item, prefix)}
    return {prefix.rstrip(".")} if data == PAYLOAD else set()


@pytest.mark.parametrize("kind", list(MODELS))
def test_the_corpus_puts_the_payload_in_every_text_field(kind: str) -> None:
    assert payload_fields(RECORDS[kind]) == text_fields(MODELS[kind])


def test_the_corpus_puts_the_payload_in_every_text_setting() -> None:
    assert payload_fields(SETTINGS) == text_fields(Settings)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    content = base / "content"
    shutil.copytree(FIXTURES / "valid", content)
    for kind, data in RECORDS.items():
        (content / kind).mkdir(exist_ok=True)
        (content / kind / "boese.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    settings = base / "settings.yml"
    settings.write_text(yaml.safe_dump(SETTINGS, allow_unicode=True), encoding="utf-8")
    site = base / "site"
    build(Paths(content=content, site=site, docs=base / "docs", config=CONFIG, settings=settings))
    return site


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hostile_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# In the page: elements that carry what the payload tried to make.
FORGED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      const forgedX = attr === 'x' && !(el instanceof SVGElement);
      if (attr.startsWith('on') || attr === 'autofocus' || forgedX) found.push(el.tagName + ' ' + attr);
    }
  }
  for (const a of document.querySelectorAll('a[href^="javascript:"]')) found.push('javascript link');
  for (const img of document.querySelectorAll('img[src="x"]')) found.push('img');
  for (const t of document.querySelectorAll('.admonition-title')) {
    if (t.textContent.includes('Gefälscht')) found.push('forged admonition');
  }
  for (const h of document.querySelectorAll('article h1, article h2, article h3')) {
    if (h.textContent.trim() === 'Überschrift') found.push('forged heading');
  }
  return found;
}"""


def hostile_pages(site: Path) -> list[str]:
    pages = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        redirect = 'http-equiv="refresh"' in page.read_text(encoding="utf-8")  # forwards at once: opened elsewhere
        if not rel.startswith(("pagefind/", "assets/")) and not redirect:
            pages.append("/" + rel.removesuffix("index.html"))
    return pages


@pytest.mark.browser
def test_no_script_runs_and_no_markup_appears_on_any_page(
    browser: Browser,  # noqa: F811
    hostile_site: Path,
    hostile_server: str,
) -> None:
    pages = hostile_pages(hostile_site)
    assert len(pages) >= 25 and "/vereinbarungen/boese/" in pages and "/impressum/" in pages
    dialogs: list[str] = []
    page = browser.new_page()

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    shown_on = set()
    for path in pages:
        page.goto(hostile_server + path, wait_until="load")
        page.keyboard.press("Tab")  # focus moves: an onfocus would fire now
        forged = page.evaluate(FORGED)
        assert forged == [], f"{path}: {forged}"
        if SHOWN in page.inner_text("body"):
            shown_on.add(path)
    page.close()
    assert dialogs == []
    for path in ("/vereinbarungen/boese/", "/vorlagen/boese/", "/sitzungen/boese/", "/organisationen/boese/"):
        assert path in shown_on, path  # the payload is there, as text
    assert {"/zielgruppen/boese/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/daten/"} <= shown_on


@pytest.mark.browser
def test_searching_the_payload_runs_nothing(browser: Browser, hostile_server: str) -> None:  # noqa: F811
    dialogs: list[str] = []
    page = browser.new_page()

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(hostile_server + "/", wait_until="networkidle")
    page.locator(".pagefind-ui__search-input").first.fill("autofocus onfocus alert")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    assert page.evaluate(FORGED) == []
    page.locator(".pagefind-ui__result-link").first.focus()
    assert dialogs == []
    page.close()


def test_the_data_keeps_the_payload_verbatim(hostile_site: Path) -> None:
    record = json.loads((hostile_site / "vereinbarungen" / "boese.json").read_text(encoding="utf-8"))
    assert record["record"]["title"] == PAYLOAD.strip() and record["record"]["goals"][0]["title"] == PAYLOAD.strip()
