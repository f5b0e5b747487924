"""An editor's first steps, as the README's "Für Redaktionen" describes them: new → fill in → check → build."""

import shutil
from pathlib import Path

import pytest

from generator import cli

from .conftest import CONFIG, FIXTURES
from .test_settings import FULL


def test_new_fill_in_check_and_publish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    settings = tmp_path / "settings.yml"
    settings.write_text(FULL, encoding="utf-8")
    site = tmp_path / "site"
    publish = ["build", "--production", "--content", str(content), "--site", str(site), "--settings", str(settings)]
    publish += ["--docs", str(tmp_path / "docs"), "--config", str(CONFIG)]

    # 1. A mistyped id is refused with a suggestion; the right one gives a file to fill in.
    assert cli.main(["new", "paper", "Vorlage 11/2020", "--content", str(content)]) == 2
    assert "z. B. vorlage-11-2020" in capsys.readouterr().err
    assert cli.main(["new", "paper", "vorlage-11-2020", "--content", str(content)]) == 0
    path = content / "papers" / "vorlage-11-2020.yml"
    assert "angelegt" in capsys.readouterr().out

    # 2. Unfilled, it passes check with a warning naming each placeholder, and cannot be published.
    assert cli.main(["check", "--content", str(content)]) == 0
    assert capsys.readouterr().err.count(": placeholder ") == 2
    assert cli.main(publish) == 1
    assert "placeholder" in capsys.readouterr().out and not site.exists()

    # 3. A typo while filling in is named with file, line, column and what was meant.
    text = path.read_text(encoding="utf-8")
    text = text.replace('"<Nummer der Vorlage, z. B. 50/2669/XV/2013>"', "11/2020")
    text = text.replace('"<Titel (Betreff) der Vorlage>"', "Bericht zur Zielerreichung")
    path.write_text(text.replace("paper_type:", "papertype:"), encoding="utf-8")
    assert cli.main(["check", "--content", str(content)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{path.as_posix()}:5:1: unknown-field Das Feld „papertype“ gibt es hier nicht – meinten Sie „paper_type“?"
        in out
    )

    # 4. Fixed, it checks clean and the site is published, with the new paper and its data.
    path.write_text(text, encoding="utf-8")
    assert cli.main(["check", "--content", str(content)]) == 0
    assert "Warnung" not in capsys.readouterr().err
    assert cli.main(publish) == 0
    assert "Bericht zur Zielerreichung" in (site / "vorlagen" / "vorlage-11-2020" / "index.html").read_text()
    assert (site / "vorlagen" / "vorlage-11-2020.json").is_file()
