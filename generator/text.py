"""Escaping record text for Markdown, and small German wording helpers. Pure functions."""

from __future__ import annotations

import re

from markupsafe import Markup

_INLINE = re.compile(r"([\\`*_{}\[\]|])")
# What would start a block at the beginning of a line: a heading, a list item, a rule.
_BLOCK_START = re.compile(r"^(?:(#)|([-+])(?=[\s-]|$)|(\d+)([.)])(?=\s|$))")


_NEEDS_WORK = re.compile(r"[\\`*_{}\[\]|&<>\s]|^[#>+\-\d]")


def md_inline(value: object) -> str:
    """Record text as literal Markdown text on one line: no markup, no HTML, no line breaks."""
    text = str(value)
    if not _NEEDS_WORK.search(text.replace(" ", "")) and "  " not in text and text == text.strip():
        return text  # the common case: plain words
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, text)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(3):
        return f"{match.group(3)}\\{match.group(4)}"
    return "\\" + (match.group(1) or match.group(2))


def md_paragraphs(value: object) -> Markup:
    """Record text with paragraphs (blank lines) kept, each escaped like :func:`md_inline`."""
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return Markup("\n\n".join(md_inline(p) for p in paragraphs if p.strip()))


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
