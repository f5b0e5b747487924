"""An editor's first steps, as the README's "Für Redaktionen" describes them: new → fill in → check → build."""

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cli

from .conftest import CONFIG, CONTENT, FIXTURES, ROOT
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


def test_the_readme_examples_as_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Step 1 of "Für Redaktionen", typed as the README prints it, in a copy of content/."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    at = ["--content", str(content)]

    # `new paper 50-2669-xv-2013`: the paper exists; refused, with a free id that then works
    assert cli.main(["new", "paper", "50-2669-xv-2013", *at]) == 2
    err = capsys.readouterr().err
    assert "diesen Eintrag gibt es schon; eine andere Kennung wählen, z. B. 50-2669-xv-2013-2" in err
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
    assert cli.main(["new", "paper", "50-2669-xv-2013-2", *at]) == 0
    hint = capsys.readouterr().out.strip()

    # the hint line is a command that works as printed, from the repository's root
    assert hint.endswith(f"dann prüfen: .venv/bin/python -m generator check --content {content}")
    command = shlex.split(hint.rsplit(": ", 1)[1])
    checked = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "50-2669-xv-2013-2.yml:3:1: placeholder" in checked.stderr

    # `new session … --organization kreistag`: there is no kreistag; said so, with the close ones
    assert cli.main(["new", "session", "kreistag-2013-07-10", "--organization", "kreistag", *at]) == 2
    err = capsys.readouterr().err
    assert "--organization KENNUNG angeben" not in err
    assert err.startswith(f"Keine Organisation mit der Kennung „kreistag“ in {content}/organizations/ – meinten Sie")
    assert "„rhein-kreis-neuss“" in err
    assert not (content / "sessions").exists()
    assert cli.main(["new", "session", "kreistag-2013-07-10", "--organization", "rhein-kreis-neuss", *at]) == 0
    capsys.readouterr()

    # `agreement` and `organization`: files to fill in that check passes (with placeholder warnings)
    assert cli.main(["new", "agreement", "zielvereinbarung-2014", *at]) == 0
    assert cli.main(["new", "organization", "kreistag", *at]) == 0
    capsys.readouterr()
    assert cli.main(["check", *at]) == 0
    warnings = capsys.readouterr().err
    for name in ("papers/50-2669-xv-2013-2", "sessions/kreistag-2013-07-10", "agreements/zielvereinbarung-2014"):
        assert f"{content}/{name}.yml:" in warnings
    assert f"{content}/organizations/kreistag.yml:" in warnings


def test_the_target_group_traps_say_the_right_form(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both forms of target groups, each in the other's place: check names the place and shows the right form."""
    path = content_copy / "agreements" / "trap.yml"
    path.write_text(
        "title: T\nkind: Zielvereinbarung\nsummary: S\ntarget_groups: [alleinerziehende]\n"
        "goals:\n  - title: Z\n    target_groups:\n      - {name: Alleinerziehende, group: alleinerziehende}\n",
        encoding="utf-8",
    )
    assert cli.main(["check", "--content", str(content_copy)]) == 1
    out = capsys.readouterr().out
    group = (content_copy / "target_groups" / "alleinerziehende.yml").read_text(encoding="utf-8")
    name = group.split("name: ", 1)[1].splitlines()[0].strip()
    assert (
        f"trap.yml:4:17: wrong-type Zielgruppe 1: hier steht eine Zuordnung mit dem Wortlaut der Vereinbarung und "
        f"der Kennung der Zielgruppe, z. B. „- {{name: {name}, group: alleinerziehende}}“" in out
    )
    assert (
        "trap.yml:8:9: wrong-type Ziel 1 → Zielgruppen → Eintrag 1: hier nur Kennungen, z. B. "
        "„target_groups: [alleinerziehende]“" in out
    )
    assert "Feld „0“" not in out
