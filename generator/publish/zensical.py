"""The second engine: Zensical (Material's successor, https://zensical.org/) builds the same generated Markdown
with the same ``mkdocs.yml``.

Zensical wants the docs and the site folder inside the folder of its configuration file, and keeps a cache there.
So each build writes a copy of ``mkdocs.yml`` beside the docs folder (``build/.zensical.yml``; paths relative to it,
``!ENV`` resolved, Zensical's own search turned off: the site's search is Pagefind), lets Zensical build into a
folder there, and hands that folder to the builder, which goes on as after MkDocs (data files, Pagefind, swap).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from generator.site.publication import read_config

CONFIG_NAME = ".zensical.yml"
OUTPUT_NAME = ".zensical-site"


def zensical_config(config_file: Path, docs_dir: Path, out_dir: Path) -> dict[str, object]:
    """``mkdocs.yml`` as Zensical is to read it for this build, written in the docs folder's parent: the paths
    relative to that folder (Zensical 0.0.73 stops on absolute ones)."""
    config = read_config(config_file.read_text(encoding="utf-8"))
    root = docs_dir.resolve().parent
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        custom = (config_file.resolve().parent / str(theme["custom_dir"])).resolve()
        theme["custom_dir"] = os.path.relpath(custom, root)
    config.pop("hooks", None)  # MkDocs' (generator/publish/hooks.py): Zensical reads these links so itself
    return {
        **config,
        "docs_dir": os.path.relpath(docs_dir.resolve(), root),
        "site_dir": os.path.relpath(out_dir.resolve(), root),
        "theme": theme,
        "plugins": {"search": {"enabled": False}},
    }


def build_with_zensical(config_file: str, docs_dir: str, site_dir: str) -> tuple[bool, str]:
    """One strict Zensical build of ``docs_dir`` into ``site_dir`` (an empty folder): ``(True, site_url)`` or
    ``(False, why)``."""
    docs = Path(docs_dir)
    root = docs.parent
    out = root / OUTPUT_NAME
    shutil.rmtree(out, ignore_errors=True)
    config = zensical_config(Path(config_file), docs, out)
    written = root / CONFIG_NAME
    written.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        run = subprocess.run(
            [sys.executable, "-m", "zensical", "build", "-f", str(written), "--strict"],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
    except OSError as exc:
        return False, f"Zensical nicht startbar ({exc})"
    if run.returncode != 0 or not (out / "index.html").is_file():
        return False, "Zensical: " + " ".join((run.stderr or run.stdout).split())[-500:]
    target = Path(site_dir)
    target.rmdir()  # the empty staging folder: the built one takes its place
    os.replace(out, target)
    return True, str(config.get("site_url") or "")
