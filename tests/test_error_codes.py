"""docs/fehlercodes.md documents every code with a real example, and is current."""

import importlib.util

from generator.records.problems import CODES

from .conftest import ROOT


def test_the_error_code_page_is_current_and_covers_every_code() -> None:
    spec = importlib.util.spec_from_file_location("error_codes", ROOT / "scripts" / "error_codes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "docs" / "fehlercodes.md").read_text(encoding="utf-8")
    assert text == module.page(), "run: .venv/bin/python scripts/error_codes.py"
    for code in CODES:
        section = text.split(f"## `{code}`", 1)[1].split("\n## ", 1)[0]
        assert f": {code} " in section, code  # the example's message carries the code it documents
