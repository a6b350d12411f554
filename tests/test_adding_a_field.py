"""Adding a field to ideas touches handlers/ideas/ and a migration, nothing else: the
walkthrough in docs/development/adding-a-feature.md, made on a copy of the repository.

The copy gets exactly the page's two changes, the field in handlers/ideas/tables.py and the
migration after the newest, and the tests that guard the shape run there in a fresh process
(the models are imported once per process, so the field cannot be added in this one)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store.migrate import heads

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "development" / "adding-a-feature.md"
GUARDS = [
    "tests/test_migrations.py",
    "tests/test_feature_boundaries.py",
    "tests/handlers/test_ideas.py",
    "tests/handlers/test_privacy.py",
]
LEFT_BEHIND = shutil.ignore_patterns(
    ".git", ".venv", "site", "*_cache", "__pycache__", "*.db", "*.db-*", "test-artifacts"
)


def walkthrough(place: str) -> str:
    """The code block the page shows for `place`."""
    marker = f"<!-- walkthrough: {place} -->\n```python\n"
    return PAGE.read_text().split(marker, 1)[1].split("```", 1)[0]


def add_the_field(house: Path) -> None:
    tables = house / "handlers" / "ideas" / "tables.py"
    shown = walkthrough("handlers/ideas/tables.py").splitlines()
    field = "\n".join(shown[shown.index("    ...") + 1 :])
    text = tables.read_text()
    end_of_idea = text.index("\n\n\nclass IdeaAuthor")
    tables.write_text(text[:end_of_idea] + "\n" + field + text[end_of_idea:])


def add_the_migration(house: Path) -> str:
    """The page's migration, numbered after the newest revision; its file name."""
    (newest,) = heads()
    number = f"{int(newest) + 1:04d}"
    script = walkthrough("migrations/versions")
    script = re.sub(r'(?m)^revision: str = ".*"$', f'revision: str = "{number}"', script)
    script = re.sub(
        r'(?m)^down_revision: str \| None = ".*"$',
        f'down_revision: str | None = "{newest}"',
        script,
    )
    name = f"{number}_idea_impact.py"
    (house / "migrations" / "versions" / name).write_text(script)
    return name


def run_in(house: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=house,
        # Without the PYTEST_ variables of this run (its xdist worker's, for one).
        env={
            **{name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")},
            "PYTHONPATH": str(house),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def house(tmp_path: Path) -> Path:
    copy = tmp_path / "house"
    shutil.copytree(ROOT, copy, ignore=LEFT_BEHIND)
    add_the_field(copy)
    return copy


def test_the_field_and_its_migration_are_all_it_takes(house: Path) -> None:
    migration = add_the_migration(house)
    probe = run_in(
        house,
        "-c",
        "import handlers, migrations; from bot.wiring.schema import metadata; "
        "print(handlers.__file__, migrations.__file__, metadata().tables['idea'].c.impact.type)",
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == [
        str(house / "handlers" / "__init__.py"),
        str(house / "migrations" / "__init__.py"),
        "VARCHAR(200)",
    ]
    assert migration == f"{int(max(heads())) + 1:04d}_idea_impact.py"
    guarded = run_in(house, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *GUARDS)
    assert guarded.returncode == 0, guarded.stdout[-4000:]


def test_without_the_migration_the_guards_fail(house: Path) -> None:
    check = "tests/test_migrations.py::test_models_and_migrations_agree"
    guarded = run_in(house, "-m", "pytest", "-q", "-p", "no:cacheprovider", check)
    assert guarded.returncode == 1, guarded.stdout[-4000:]
    assert "add_column" in guarded.stdout and "impact" in guarded.stdout
