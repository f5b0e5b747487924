"""Stage 6, build: run MkDocs (strict) on the docs folder and swap the result into the site folder atomically.

MkDocs writes into a fresh temporary folder beside the site folder; only when it succeeds is that folder
renamed into place. A failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


class BuildError(Exception):
    """MkDocs could not build the site; the previous site is untouched."""


def build_site(*, config_file: Path, docs_dir: Path, site_dir: Path) -> str:
    """Build ``docs_dir`` with the settings of ``config_file`` into ``site_dir``, all or nothing.

    Returns the site's public address (``site_url``) as configured.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # before Material is imported: no end-of-life banner
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    try:
        config = load_config(
            config_file=str(config_file), docs_dir=str(docs_dir.resolve()), site_dir=str(staging), strict=True
        )
        mkdocs_build(config)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"MkDocs-Build fehlgeschlagen: {exc}; die bisherige Website bleibt unverändert") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, site_dir)
    return str(config.site_url or "")


def _swap(new: Path, site_dir: Path) -> None:
    """Put ``new`` in place of ``site_dir``: two renames on one file system, the old tree removed after."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
        os.rmdir(old)
        os.replace(site_dir, old)
    os.replace(new, site_dir)
    new_mode = 0o755 & ~_umask()
    os.chmod(site_dir, new_mode)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    log.info("site written to %s", site_dir)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
