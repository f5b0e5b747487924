"""What the outputs need to know about the published site: its public address, its name and the build time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

LOCAL_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default site_url: the local preview
SITE_NAME = "Vereinbarungen und Unterschriften"


@dataclass(frozen=True, slots=True)
class Publication:
    """The site's public address (``site_url``), its name (``site_name``) and the time of the build."""

    base_url: str = LOCAL_URL
    name: str = SITE_NAME
    now: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: ``!ENV`` as MkDocs resolves it, any other tag (``!!python/name:``, ``!relative``) as None."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(text: str) -> dict[str, Any]:
    """The settings of a mkdocs.yml (``!ENV`` resolved); an empty file is no settings."""
    data = yaml.load(text, Loader=_ConfigLoader)  # a SafeLoader subclass
    return data if isinstance(data, dict) else {}
