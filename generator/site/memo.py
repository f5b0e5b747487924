"""The build cache's record of rendered pages (``pages.marshal``): for each page, a digest of the template and view
data it was rendered from, and of the Markdown it gave.

A page whose template and view data are the same as last time, and whose file in the docs folder still holds that
Markdown (checked by its SHA-256), is not rendered again: its text is read from the file. The view data is compared
through its ``repr``, which names every field of the dataclasses, models and dicts it is made of (a page whose view
holds an object without such a ``repr``, shown by its address, is always rendered). The rest the Markdown depends
on (the generator's code, which the templates call, the templates, Jinja2's and MarkupSafe's versions, the demo
flag) is in the file's header (:mod:`generator.records.stored`): with another header every page is rendered. Only
digests are kept, so the memo costs no memory for the pages' text; where the docs folder is new (as in CI), every
page is rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.records.stored import StoredTable, is_tuple
from generator.site.output import Page

FILE_NAME = "pages.marshal"
SAMPLE = 16  # pages looked for in the docs folder to tell whether the memo is warm


def _valid(stored: Any) -> bool:
    return is_tuple(stored, bytes, bytes)


class PageMemo:
    def __init__(self, folder: Path, *, docs_dir: Path, head: bytes) -> None:
        self.docs = docs_dir
        self._table = StoredTable(folder / FILE_NAME, head, entry=_valid)  # page -> (view digest, Markdown digest)

    def page(self, path: str, template: str, view: Any, render: Callable[[], str]) -> Page:
        """The page ``path``: its Markdown from its file where the template and view are as last time (marked
        :attr:`~generator.site.output.Page.on_disk`), else ``render()``'s."""
        shown = f"{template}\0{view!r}"
        if " at 0x" in shown:  # an object without a repr of its fields: the page cannot be compared, so rendered
            return Page(path, render())
        key = hashlib.sha256(shown.encode()).digest()
        found = self._table.get(path, key)
        if found is not None:
            try:
                data = (self.docs / path).read_bytes()
            except OSError:
                data = b""
            if hashlib.sha256(data).digest() == found[1]:
                return Page(path, data.decode("utf-8"), on_disk=True)
        text = render()
        self._table.put(path, (key, hashlib.sha256(text.encode("utf-8")).digest()))
        return Page(path, text)

    @property
    def warm(self) -> bool:
        """Whether the last build's pages are known and their files still there (of a sample of them, most): most
        pages are then read from their files, not rendered. Not so where the docs folder is new, as in CI, which
        keeps the build cache only."""
        sample = self._table.sample(SAMPLE)
        return sum((self.docs / path).is_file() for path in sample) * 2 > len(sample)

    @property
    def table(self) -> StoredTable:
        """The digests, for the process that renders a share of the pages to hand back (:meth:`StoredTable.made`)."""
        return self._table

    def save(self) -> None:
        """Write the digests of this build's pages, if any differ from those read."""
        self._table.save()
