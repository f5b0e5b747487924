"""MkDocs hook (``hooks:`` in mkdocs.yml; every build copies this file to ``build/hooks.py``) for the links the
generator writes as HTML, each relative to its Markdown file like a Markdown link. Zensical reads such links
itself (``vorlagen/x.md`` linking ``x.json`` or ``../sitzungen/s.md``); MkDocs leaves HTML alone, so this hook turns
them into addresses relative to the built page, as MkDocs does for Markdown links:

- links to the site's data files and attachments (marked ``data-datei``: no MkDocs documents) by their path
  (``/vorlagen/x/`` → ``../x.json``);
- links to other pages (marked ``data-seite``: written as HTML because Python-Markdown parses a Markdown link with
  its attribute list slowly) through MkDocs' list of files, to the page's address (``../sitzungen/s.md#top`` →
  ``../../sitzungen/s/#top``); a target that is not among the documentation files is reported as MkDocs reports
  a Markdown link to it (``validation.links.not_found``: a warning, which a strict build stops on), and an anchor
  is handed to MkDocs' check of anchors (``validation.anchors``).

The hook also keeps the compiled templates of the theme (Jinja2's bytecode cache, in ``build/jinja/``, a folder
per MkDocs and Jinja2 version): every MkDocs build, the live preview's of a few pages too, would compile Material's
templates anew (about 0.3 s). Jinja2 compares each template's source with the checksum stored beside its code
and compiles a changed template again, and drops code of another Python or of a damaged file.

No import of the generator: MkDocs loads this file by its path."""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import os
import posixpath
import re
import shutil
import time
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

_FILE = re.compile(r'<a href="([^"]*)" data-datei>')
PAGE_LINK = re.compile(r'<a href="([^"]*)" data-seite')
KEPT = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", re.I)  # a web address, a path from the root, an anchor

log = logging.getLogger("mkdocs.hooks.seiten")  # below MkDocs' logger: a strict build counts its warnings


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's bytecode cache in a folder, where a damaged file (cut short: Jinja2 itself stops on it) counts as
    none, and a file that cannot be stored (a read-only folder, a full disk) is left unstored: the template is
    compiled as without the cache."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception as exc:  # noqa: BLE001 - whatever the file holds, the template can be compiled
            log.debug("compiled template %s unreadable (%s): compiled again", bucket.key, exc)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as exc:
            log.debug("compiled template %s not stored: %s", bucket.key, exc)


def on_env(env: Any, config: Any = None, files: Any = None, **_: Any) -> Any:
    """The theme's templates compiled once: a folder per MkDocs and Jinja2 version and per set-up of the environment
    (its extensions, options, and how each filter and test is called, which the compiled code depends on: a
    plugin that adds a filter compiles into a folder of its own); the other folders, of earlier set-ups, go."""
    import mkdocs

    root = Path(__file__).resolve().parent / "jinja"
    folder = root / f"mkdocs-{mkdocs.__version__}-jinja2-{jinja2.__version__}-{set_up_digest(env)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for other in root.iterdir():
            if other != folder and other.name.startswith("mkdocs-"):
                shutil.rmtree(other, ignore_errors=True)
        _remove_left_over(folder)
    except OSError as exc:  # a read-only folder: the templates are compiled as without the cache
        log.debug("no bytecode cache in %s: %s", folder, exc)
        return env
    env.bytecode_cache = CompiledTemplates(str(folder))
    return env


LEFT_OVER_AFTER = 3600.0  # seconds: a file Jinja2 is still writing is younger (the shards write beside each other)


def _remove_left_over(folder: Path) -> None:
    """Remove the half-written files (``….tmp``) that a build killed while Jinja2 stored a template left behind."""
    now = time.time()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):  # gone already: another build removed it
                    if now - entry.stat(follow_symlinks=False).st_mtime > LEFT_OVER_AFTER:
                        os.unlink(entry.path)


def set_up_digest(env: jinja2.Environment) -> str:
    """A digest of what Jinja2's compiler reads from the environment besides the template's source."""

    def calls(functions: dict[str, Any]) -> list[tuple[str, str]]:
        return sorted((name, str(getattr(f, "jinja_pass_arg", ""))) for name, f in functions.items())

    options = [
        getattr(env, name)
        for name in (
            "block_start_string",
            "block_end_string",
            "variable_start_string",
            "variable_end_string",
            "comment_start_string",
            "comment_end_string",
            "line_statement_prefix",
            "line_comment_prefix",
            "trim_blocks",
            "lstrip_blocks",
            "newline_sequence",
            "keep_trailing_newline",
            "optimized",
            "is_async",
        )
    ]
    autoescape = getattr(env.autoescape, "__qualname__", env.autoescape)
    shown = repr([sorted(env.extensions), options, autoescape, calls(env.filters), calls(env.tests)])
    return hashlib.sha256(shown.encode()).hexdigest()[:12]


def on_page_content(html_text: str, page: Any, files: Any, config: Any = None, **_: Any) -> str:
    source = posixpath.dirname(page.file.src_uri)
    if "data-seite" in html_text:
        level = _not_found_level(config)
        html_text = PAGE_LINK.sub(lambda match: _to_page(match, page, files, source, level), html_text)
    if "data-datei" in html_text:
        built = page.url if page.url.endswith("/") or not page.url else posixpath.dirname(page.url) + "/"
        html_text = _FILE.sub(lambda match: _to_file(match, source, built), html_text)
    return html_text


def split_href(href: str) -> tuple[str, str]:
    cut = re.search(r"[?#]", href)
    return (href[: cut.start()], href[cut.start() :]) if cut else (href, "")


def _not_found_level(config: Any) -> int:
    """The level MkDocs reports a Markdown link to a missing file at (``validation.links.not_found``)."""
    try:
        return int(config.validation.links.not_found)
    except (AttributeError, TypeError, ValueError):
        return logging.WARNING


def _to_page(match: re.Match[str], page: Any, files: Any, source: str, level: int) -> str:
    href = html.unescape(match.group(1))
    if KEPT.match(href):
        return match.group(0)
    path, tail = split_href(href)
    target = files.get_file_from_path(posixpath.normpath(posixpath.join(source, path)))
    if target is None:
        log.log(
            level,
            "Doc file '%s' contains a link '%s', but the target is not found among documentation files.",
            page.file.src_uri,
            href,
        )
        return match.group(0)
    anchor = tail.partition("#")[2]
    anchors = getattr(page, "links_to_anchors", None)
    if anchor and isinstance(anchors, dict):  # checked by MkDocs after the build (validation.anchors), as for Markdown
        anchors.setdefault(target, {}).setdefault(anchor, href)
    return f'<a href="{html.escape(target.url_relative_to(page.file) + tail)}" data-seite'


def _to_file(match: re.Match[str], source: str, built: str) -> str:
    href = match.group(1)
    if KEPT.match(href):
        return match.group(0)
    path, tail = split_href(href)
    target = posixpath.normpath(posixpath.join(source, path))
    return f'<a href="{posixpath.relpath(target, built.rstrip("/") or ".")}{tail}" data-datei>'
