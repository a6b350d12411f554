"""HR files: checked first, every bad line named, all or nothing; the CLI's exit codes."""

from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.kit.directory import PENDING
from bot.models import AuditEntry, Person, Workspace
from bot.wiring.assembly import Assembly
from bot.wiring.cli import app
from handlers.people.csv_import import Imported, ImportFailed, import_people
from tests.handlers.conftest import Talk

GOOD = """user,email,name,department,manager,location,timezone,start_date,language
ann,ann@example.com,,Engineering,,London,Europe/London,2020-01-06,en
bob,,,Platform,ann@example.com,London,,2021-03-01,en-GB
gil@example.com,,Gil Moreau,Platform,bob,Paris,Europe/Paris,2027-01-04,fr
"""
BAD = """user,department,manager,timezone,start_date,language
ann,Engineering,,Mars/Olympus,,
zed,Sales,,,,
bob,Platform,nobody@example.com,,2021-02-30,
gil@example.com,"Platform
Team",gil@example.com,,,fr
ann,Engineering,,,,
cara,People,nobody@example.com,,,english!
dan,Community,nobody@example.com,,,
"""


async def _import(rapport: Assembly, text: str) -> Imported:
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        return await import_people(session, workspace, text, rapport.bot.clock.now())


async def _person(rapport: Assembly, key: str) -> Person:
    async with rapport.db.session() as session:
        found = await session.exec(
            select(Person).where((Person.platform_user_id == key) | (Person.email == key))
        )
        return found.one()


async def test_every_bad_line_is_named_and_nothing_is_written(rapport: Assembly) -> None:
    with pytest.raises(ImportFailed) as failed:
        await _import(rapport, BAD)
    errors = failed.value.errors
    assert errors[0].startswith("line 2: timezone 'Mars/Olympus'")
    assert errors[1].startswith("line 3: no one in this workspace has the user id 'zed'")
    assert errors[2].startswith("line 4: start_date '2021-02-30' is not a date")
    # The quoted cell spans lines 5 and 6; the next row starts on line 7.
    assert errors[3] == "line 5: gil@example.com cannot be their own manager"
    assert errors[4] == "line 7: ann is already on line 2"
    assert errors[5].startswith("line 8: language 'english!'")
    assert errors[6].startswith("line 9: manager 'nobody@example.com' is no one")
    assert len(errors) == 7
    ann = await _person(rapport, "ann")
    assert ann.department == "Engineering" and ann.sources == {}


async def test_a_bad_header_is_refused(rapport: Assembly) -> None:
    with pytest.raises(ImportFailed) as failed:
        await _import(rapport, "email,colour\nann@example.com,blue\n")
    assert "must name a `user` column" in failed.value.errors[0]
    assert "unknown: colour" in failed.value.errors[0]


async def test_a_manager_loop_is_refused(rapport: Assembly) -> None:
    with pytest.raises(ImportFailed) as failed:
        await _import(rapport, "user,manager\nann,bob\nbob,ann\n")
    assert failed.value.errors[0].startswith("managers go round in a loop: ")
    assert (await _person(rapport, "ann")).manager_id is None


async def test_the_import_writes_the_hr_source(rapport: Assembly) -> None:
    result = await _import(rapport, GOOD)
    assert result == Imported(created=1, updated=2, unchanged=0)
    bob = await _person(rapport, "bob")
    ann = await _person(rapport, "ann")
    gil = await _person(rapport, "gil@example.com")
    assert (bob.department, bob.manager_id, bob.location) == ("Platform", ann.id, "London")
    assert bob.sources == {"department": "hr", "manager": "hr", "location": "hr"}
    assert gil.platform_user_id == PENDING + "gil@example.com"
    assert (gil.display_name, gil.timezone, gil.manager_id) == (
        "Gil Moreau",
        "Europe/Paris",
        bob.id,
    )
    again = await _import(rapport, GOOD)
    assert again == Imported(created=0, updated=0, unchanged=3)
    async with rapport.db.session() as session:
        audit = (await session.exec(select(AuditEntry.action))).all()
    assert audit.count("people.import") == 2


async def test_platform_profiles_do_not_overwrite_hr_data(rapport: Assembly, talk: Talk) -> None:
    await _import(rapport, GOOD)
    out = await talk(
        "user bob dept=Sales tz=Asia/Tokyo\n"
        "user gil name=Gil email=gil@example.com dept=Marketing\n"
        "ann dm: /rapport people show @gil\n"
        "ann dm: /rapport people show @bob"
    )
    gil = await _person(rapport, "gil")
    assert gil.email == "gil@example.com" and gil.department == "Platform"
    assert "*Gil Moreau* (active)" in out
    assert "department: Platform — from HR file" in out
    assert "manager: Bob Stone — from HR file" in out
    assert "timezone: Asia/Tokyo — from platform profile" in out
    bob = await _person(rapport, "bob")
    assert (bob.department, bob.timezone) == ("Platform", "Asia/Tokyo")


async def test_only_admins_see_the_directory(rapport: Assembly, talk: Talk) -> None:
    out = await talk("bob dm: /rapport people show @ann")
    assert "department:" not in out
    out = await talk("ann dm: /rapport people show nobody@example.com")
    assert "I couldn't find that person" in out


def test_the_cli_reports_lines_and_exit_codes(tmp_path: Path, database: str) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    result = runner.invoke(app, ["people", "import", str(bad), "--database-url", database])
    assert result.exit_code == 1
    assert f"{bad}: line 3: no one in this workspace" in result.output
    assert "nothing was imported" in result.output
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    checked = runner.invoke(
        app, ["people", "import", str(good), "--check", "--database-url", database]
    )
    assert checked.exit_code == 0, checked.output
    assert "would import into Demo Co: 1 new, 2 updated, 0 unchanged" in checked.output
    result = runner.invoke(app, ["people", "import", str(good), "--database-url", database])
    assert "imported into Demo Co: 1 new, 2 updated, 0 unchanged" in result.output
    missing = runner.invoke(app, ["people", "import", str(tmp_path / "no.csv")])
    assert missing.exit_code == 2


async def test_the_directory_speaks_the_admins_language(rapport: Assembly, talk: Talk) -> None:
    out = await talk("user ann lang=fr\nann dm: /rapport people show @bob")
    assert "*Bob Stone* (compte actif)" in out
    assert "fuseau horaire : Europe/London" in out
    out = await talk("user ann lang=ja\nann dm: /rapport people show nobody@example.com")
    assert "このワークスペースにその人が見つかりませんでした。" in out


def test_the_cli_speaks_the_workspaces_language(tmp_path: Path, database: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    args = ["people", "import", str(bad), "--database-url", database]
    result = CliRunner().invoke(app, args, env={"WORKSPACE_LANGUAGE": "de"})
    assert result.exit_code == 1
    assert f"{bad}: Zeile 3: niemand in diesem Workspace hat die Benutzer-ID" in result.output
    assert "es wurde nichts importiert" in result.output
