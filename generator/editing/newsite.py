"""``new-site DIR``: a minimal site folder that builds, like ``mkdocs new``: ``mkdocs.yml``, ``site_config/``
with empty operator settings, and an empty ``content/`` with one folder per record kind. The theme is not copied:
it comes with the tool at every build (see :mod:`generator.publish.theme`).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from generator.records.kinds import MODELS
from generator.records.load import FILES_FOLDER

GITIGNORE = "build/\nsite/\n.site.*\n"
README = """\
# Website: Vereinbarungen und Unterschriften

Angelegt mit `{command} new-site`. Die Datensätze stehen in `content/` (eine YAML-Datei je Eintrag), die Angaben
des Betreibers in `site_config/settings.yml`, Name und Adresse der Website in `mkdocs.yml`.

    {command} new organization rhein-kreis-neuss   # einen Eintrag anlegen
    {command} check                                # prüfen
    {command} serve                                # Vorschau auf http://127.0.0.1:8000/
    {command} build                                # die Website nach site/ bauen
"""


class NewSiteError(Exception):
    """The target folder exists and is not empty."""


def skeleton(name: str) -> str:
    """A file of the packaged site skeleton: ``mkdocs.yml`` or ``settings.yml`` (the checkout's own files are the
    same, a test holds them equal)."""
    return (files("generator.editing") / "skeleton" / name).read_text(encoding="utf-8")


def new_site(target: Path, *, command: str) -> list[Path]:
    """Write a new site folder at ``target``; returns the files written. Refuses a folder that is not empty."""
    if target.exists() and not target.is_dir():
        raise NewSiteError(f"{target}: das ist eine Datei; einen neuen Ordnernamen angeben")
    if target.exists() and any(target.iterdir()):
        raise NewSiteError(f"{target}: der Ordner ist nicht leer; einen neuen Ordnernamen angeben")
    blocked = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise NewSiteError(f"{blocked}: das ist eine Datei, kein Ordner; einen anderen Ort angeben")
    written = {
        target / "mkdocs.yml": skeleton("mkdocs.yml"),
        target / "site_config" / "settings.yml": skeleton("settings.yml"),
        target / ".gitignore": GITIGNORE,
        target / "README.md": README.format(command=command),
        **{target / "content" / folder / ".gitkeep": "" for folder in (*MODELS, FILES_FOLDER)},
    }
    for path, text in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(written)
