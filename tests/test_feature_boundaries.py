"""A feature is one package: adding a field to one of its tables touches that package and a
migration, nothing else.

What would otherwise have to change is checked here. The core and the adapters name no
feature's table (the schema, Alembic and the tests get every table through the features'
`Feature.tables`, bot/wiring/features.py); every table belongs to the core or to exactly one
feature or adapter; and the other features that read a feature's table are the few that
declare it (they select the columns they use by name, so a new column does not concern
them). tests/test_migrations.py then fails until the migration exists.
"""

import ast
import tomllib
from collections import defaultdict
from pathlib import Path

import bot.models
from bot.wiring.features import every_feature
from bot.wiring.schema import metadata

ROOT = Path(__file__).resolve().parent.parent

# Feature -> the other packages that read its tables, and why.
READERS: dict[str, dict[str, str]] = {
    "kudos": {
        "handlers.qa": "kudos for a company value as a sign of expertise",
    },
}


def _modules() -> dict[str, ast.Module]:
    found = {}
    for tree in ("bot", "adapters", "handlers"):
        for path in sorted((ROOT / tree).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = ast.parse(path.read_text(), str(path))
    return found


def _imports(module: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _owner(table_module: str) -> str | None:
    """The feature or adapter whose tables `table_module` holds, if it holds any."""
    parts = table_module.split(".")
    if len(parts) == 3 and parts[0] in ("handlers", "adapters") and parts[2].endswith("tables"):
        return parts[1]
    return None


def _readers() -> dict[str, set[str]]:
    """Owner -> the packages outside it that import its tables."""
    readers: dict[str, set[str]] = defaultdict(set)
    for name, module in _modules().items():
        for imported in _imports(module):
            owner = _owner(imported)
            package = ".".join(name.split(".")[:2])
            if owner is not None and package != imported.rsplit(".", 1)[0]:
                readers[owner].add(package)
    return readers


def test_the_core_and_the_adapters_name_no_features_table() -> None:
    readers = _readers()
    outside = {
        owner: sorted(p for p in packages if not p.startswith("handlers."))
        for owner, packages in readers.items()
    }
    assert {owner: found for owner, found in outside.items() if found} == {}


def test_only_the_declared_features_read_another_features_tables() -> None:
    readers = {owner: packages for owner, packages in _readers().items() if packages}
    assert readers == {owner: set(packages) for owner, packages in READERS.items()}


def test_every_table_belongs_to_the_core_or_to_one_feature() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for feature in every_feature():
        for table in feature.tables:
            owners[str(table.__tablename__)].append(feature.name)
    core = {
        model.__tablename__  # type: ignore[attr-defined]
        for model in (getattr(bot.models, name) for name in bot.models.__all__)
        if hasattr(model, "__table__")
    }
    for name in core:
        owners[name].append("core")
    assert {name: found for name, found in owners.items() if len(found) != 1} == {}
    assert set(owners) == set(metadata().tables)


def test_the_digest_contract_names_every_other_feature() -> None:
    """The import contract that keeps the digest apart lists features by name: a new one
    must join it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c.get("source_modules") == ["handlers.digest"]
    ]
    packages = {
        f"handlers.{path.stem if path.suffix else path.name}"
        for path in (ROOT / "handlers").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert set(contract["forbidden_modules"]) == packages - {"handlers.digest"}


def test_the_dashboard_contract_names_every_other_feature() -> None:
    """A new feature is forbidden to the dashboard too: it contributes panels instead (the
    charts it draws with are no feature)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c.get("source_modules") == ["handlers.dashboard"]
    ]
    packages = {
        f"handlers.{path.stem if path.suffix else path.name}"
        for path in (ROOT / "handlers").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert set(contract["forbidden_modules"]) == packages - {
        "handlers.dashboard",
        "handlers.charts",
    }


def test_the_home_contract_names_every_other_feature() -> None:
    """A new feature is forbidden to the home page too: it contributes its part instead."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c.get("source_modules") == ["handlers.home"]
    ]
    packages = {
        f"handlers.{path.stem if path.suffix else path.name}"
        for path in (ROOT / "handlers").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert set(contract["forbidden_modules"]) == packages - {"handlers.home"}
