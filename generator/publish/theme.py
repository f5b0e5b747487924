"""The site's theme overrides (Material's ``custom_dir``: the German 404 page, footer, CSS and scripts) ship with
the generator as package data in ``generator/theme/``; every build copies them to ``build/theme/`` beside the
config file, where ``mkdocs.yml`` points (``theme.custom_dir: build/theme``). So a site folder holds only its own
content and settings, and a new version of the tool brings its theme along. Files are written only when they
changed (watchers stay quiet); files the package no longer has are removed.
"""

from __future__ import annotations

import logging
import os
from importlib.resources import as_file, files
from pathlib import Path

log = logging.getLogger(__name__)

THEME_DIR = Path("build/theme")  # below the folder of mkdocs.yml: theme.custom_dir
HOOKS_FILE = Path("build/hooks.py")  # below the folder of mkdocs.yml: hooks (generator/publish/hooks.py)


class ThemeError(Exception):
    """The theme's folder is a file or a symbolic link: nothing is written there (or through it)."""


def install_theme(config_file: Path) -> Path:
    """Copy the packaged theme next to ``config_file`` (``<its folder>/build/theme``) and the MkDocs hook
    (``build/hooks.py``); returns the theme's folder."""
    target = config_file.resolve().parent / THEME_DIR
    for folder in (target.parent, target):
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ThemeError(
                f"{folder} ist kein Ordner (eine Datei oder ein Verweis): der Generator schreibt dort das Theme "
                "hinein; die Datei oder den Verweis entfernen"
            )
    with as_file(files("generator.publish") / "theme") as source:
        wanted = {path.relative_to(source): path for path in source.rglob("*") if path.is_file()}
        for rel, path in wanted.items():
            data = path.read_bytes()
            out = target / rel
            if not out.is_file() or out.read_bytes() != data:
                out.parent.mkdir(parents=True, exist_ok=True)
                temporary = out.with_name(f".{out.name}.neu")
                temporary.write_bytes(data)
                os.replace(temporary, out)
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(target) not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    hooks = config_file.resolve().parent / HOOKS_FILE
    data = (files("generator.publish") / "hooks.py").read_bytes()
    if hooks.is_symlink() or (hooks.exists() and not hooks.is_file()):
        raise ThemeError(f"{hooks} ist keine Datei: der Generator schreibt dort den MkDocs-Hook hinein; entfernen")
    if not hooks.is_file() or hooks.read_bytes() != data:
        temporary = hooks.with_name(f".{hooks.name}.neu")
        temporary.write_bytes(data)
        os.replace(temporary, hooks)
    log.info("theme installed in %s", target)
    return target
