"""Escaping record text by context, and small German wording helpers. Pure functions.

Every value from a record, a setting or the environment reaches a page through one of these functions:

- :func:`md_inline` (the templates' default, via :func:`finalize`): literal Markdown text on one line. It cannot
  start a block (heading, list, quote, table, admonition ``!!!``, details ``???``, rule …), cannot carry inline
  syntax (emphasis, code, links, attribute lists ``{: …}``) or HTML, and has no quote that could end an HTML
  attribute. So a template that forgets the right filter still produces no markup.
- :func:`web_href`: an external address (already checked to be http or https) as the target of a Markdown link.
- :func:`html_text` (the templates' ``html`` filter): text inside a raw HTML block, which Markdown leaves alone.
- :func:`html_attr` (the templates' ``attr`` filter): the value of a quoted HTML attribute inside Markdown; every
  character that HTML or Markdown could read as syntax is a numeric character reference.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup

_INLINE = re.compile(r"([\\`*_{}\[\]|])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_HTML = re.compile(r"[&<>\"']")
# A first character that could start a block or a line of one: an admonition (!!!), details (???), a heading,
# a list, a rule, a setext underline (===), a definition (:), a fence (~~~). It is written as a character
# reference, which Markdown shows as the character and never reads as syntax. (`*`, `_`, `` ` ``, `|`, `>`
# and `<` are escaped wherever they stand.)
_BLOCK_CHARS = "!#+-:=?~"
# What would start an ordered list at the beginning of a line: "1." or "1)".
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")

_NEEDS_WORK = re.compile(r"[\\`*_{}\[\]|&<>\"'\s]|^[!#+\-:=?~\d]")


def md_inline(value: object) -> str:
    """Record text as literal Markdown text on one line: no markup, no HTML, no line breaks, no quotes."""
    text = str(value)
    if not _NEEDS_WORK.search(text.replace(" ", "")) and "  " not in text and text == text.strip():
        return text  # the common case: plain words
    text = " ".join(text.split())
    text = _HTML.sub(lambda m: _ENTITIES[m.group(0)], text)
    text = _INLINE.sub(r"\\\1", text)
    ordered = _ORDERED.match(text)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{text[ordered.end() :]}"
    if text and text[0] in _BLOCK_CHARS:
        return f"&#{ord(text[0])};{text[1:]}"
    return text


def md_paragraphs(value: object) -> Markup:
    """Record text with paragraphs (blank lines) kept, each escaped like :func:`md_inline`."""
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return Markup("\n\n".join(md_inline(p) for p in paragraphs if p.strip()))


def html_paragraphs(value: object) -> Markup:
    """Long text with paragraphs (blank lines) kept, as raw HTML paragraphs: ``<p>…</p>`` on one line each, HTML-
    escaped. Markdown passes such a block through whole instead of parsing every word for links and emphasis (a
    document's text is most of the Markdown of a large site); the page shows the same paragraphs."""
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return Markup("\n\n".join(f"<p>{html_text(p)}</p>" for p in paragraphs if p.strip()))


_ATTR_SAFE = re.compile(r"[^0-9A-Za-z \-.,:;/()?!\u00a0-\U0010ffff]")


def html_attr(value: object) -> Markup:
    """Text for a double-quoted HTML attribute in a Markdown page: one line, and every ASCII character other than
    letters, digits, the space and ``-.,:;/()?!`` as a character reference (``"`` → ``&#34;``, ``[`` →
    ``&#91;``, ``|`` → ``&#124;``), so neither HTML nor Markdown (links, code spans, emphasis, table cells) can
    read anything in it."""
    text = " ".join(str(value).split())
    return Markup(_ATTR_SAFE.sub(lambda m: f"&#{ord(m.group(0))};", text))


def web_href(url: str) -> Markup:
    """An external address, percent-encoded so it cannot end the Markdown link or carry markup (no quotes,
    brackets, spaces or backslashes are left in it)."""
    return Markup(quote(url, safe=":/?#@!$&*+,;=%~"))


def html_text(value: object) -> Markup:
    """Text inside a raw HTML block (which Markdown leaves alone): one line, HTML-escaped."""
    return Markup(_HTML.sub(lambda m: _ENTITIES[m.group(0)], " ".join(str(value).split())))


def finalize(value: object) -> object:
    """Jinja2 ``finalize``: every ``{{ … }}`` is escaped unless the render stage marked it as Markup."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(md_inline(value))


def join_de(items: list[str]) -> str:
    """``A``, ``A und B``, ``A, B und C``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def count_de(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"
