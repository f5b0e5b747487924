"""What the outputs need to know about the published site: its public address, its name and the build time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LOCAL_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default site_url: the local preview
SITE_NAME = "Vereinbarungen und Unterschriften"


@dataclass(frozen=True, slots=True)
class Publication:
    """The site's public address (``site_url``), its name (``site_name``) and the time of the build."""

    base_url: str = LOCAL_URL
    name: str = SITE_NAME
    now: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
