"""Escaping by context: Markdown text, HTML attributes, external link targets."""

from html.parser import HTMLParser

import markdown
import pytest

from generator.site.text import html_attr, md_inline, md_paragraphs, web_href

EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]  # as in mkdocs.yml


def html(text: str) -> str:
    return str(markdown.markdown(text, extensions=EXTENSIONS))


def attributes(out: str, tag: str) -> list[list[str]]:
    """The attribute names of each ``tag`` element, as a browser's parser sees them."""
    found: list[list[str]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
            if name == tag:
                found.append([a for a, _ in attrs])

    Parser().feed(out)
    return found


BLOCK_STARTS = [
    '!!! success "Von allen Beteiligten unterzeichnet"',
    "??? note “Aufklappen”",
    "# Überschrift",
    "## Überschrift",
    "> Zitat",
    "- Punkt",
    "+ Punkt",
    "* Punkt",
    "1. Punkt",
    "---",
    "***",
    "___",
    "===",
    "| a | b |",
    "    eingerückt",
    "~~~",
    "```",
    ": Definition",
    "{: .klasse }",
    "<div>x</div>",
    "[x]: https://evil.example/",
    "*[HTML]: Hyper",
]


@pytest.mark.parametrize("text", BLOCK_STARTS)
def test_no_value_starts_a_block(text: str) -> None:
    """Escaped and put at the start of a line (as a summary paragraph is), the value is one plain paragraph."""
    out = html(md_inline(text))
    assert out.startswith("<p>") and out.endswith("</p>"), out
    assert out.count("<p>") == 1
    for tag in ("<h", "<ul", "<ol", "<hr", "<blockquote", "<div", "<table", "<pre", "<code", "<dl", "<a "):
        assert tag not in out, (text, out)


def test_a_forged_admonition_in_a_summary_stays_text() -> None:
    summary = '!!! success "Von allen Beteiligten unterzeichnet"\n\n    Alles gut.\n\n!!! danger\n\n    x'
    out = html(str(md_paragraphs(summary)))
    assert "admonition" not in out
    assert "!!! success" in out.replace("&#33;", "!")


@pytest.mark.parametrize(
    "text",
    ["*fett* _kursiv_ `code` [Link](javascript:alert(1)) ![Bild](x.png) <b>b</b> {: .x } \\ & x", "a  \nb"],
)
def test_no_inline_syntax(text: str) -> None:
    out = html("Text: " + md_inline(text))
    for tag in ("<em", "<strong", "<code", "<a ", "<img", "<b>", 'class="x"', "<br"):
        assert tag not in out, out


def test_quotes_cannot_end_an_attribute_even_without_the_filter() -> None:
    payload = 'X" autofocus onfocus="alert(1)" x="'
    for escaped in (md_inline(payload), str(html_attr(payload))):
        assert '"' not in escaped and "'" not in md_inline("it's")
    out = html(f'<a href="#x" aria-label="Link zu {md_inline(payload)} kopieren">Link</a>')
    assert attributes(out, "a") == [["href", "aria-label"]], out


@pytest.mark.parametrize(
    "payload", ['x" onmouseover="alert(1)', "x' y", "[a](javascript:alert(1))", "a | b", "`x` | y", "<b>", "a\\b"]
)
def test_html_attr_in_a_table_cell(payload: str) -> None:
    """An attribute value in a table row: no cell split, no link, no code span, no tag, one attribute."""
    row = f'| <a href="#x" aria-label="Link zu {html_attr(payload)} kopieren">L</a> | zwei |'
    out = html(f"| A | B |\n| --- | --- |\n{row}\n")
    assert out.count("<td>") == 2, out
    assert attributes(out, "a") == [["href", "aria-label"]], out
    assert "<b>" not in out and "<code>" not in out


def test_html_attr_keeps_words_and_common_punctuation() -> None:
    assert html_attr("Rhein-Kreis Neuss (Jobcenter), S. 1: ja?") == "Rhein-Kreis Neuss (Jobcenter), S. 1: ja?"
    assert html_attr('a"b') == "a&#34;b"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.example/a(b)", "https://x.example/a%28b%29"),
        ("https://x.example/'onmouseover", "https://x.example/%27onmouseover"),
        ('https://x.example/"><script>', "https://x.example/%22%3E%3Cscript%3E"),
        ("https://x.example/a b", "https://x.example/a%20b"),
    ],
)
def test_web_href_percent_encodes(url: str, expected: str) -> None:
    assert web_href(url) == expected
    out = html(f"[Link]({web_href(url)})")
    assert out.count("<a ") == 1 and "<script" not in out


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a  b\nc", "a b c"),
        ("1. Liste", "1\\. Liste"),
        ("- Punkt", "&#45; Punkt"),
        ("x_y*z`", "x\\_y\\*z\\`"),
        ("A & B", "A &amp; B"),
    ],
)
def test_md_inline(raw: str, escaped: str) -> None:
    assert md_inline(raw) == escaped
