"""What the code imports is what pyproject.toml declares, so a fresh install can run it.

A package that only arrives as another one's dependency (numpy through scipy, yarl through
aiohttp) can stop arriving with that package's next release.
"""

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {"bot", "adapters", "handlers", "migrations", "tests", "benchmarks"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _names(requirements: list[str]) -> set[str]:
    return {_normal(re.split(r"[<>=!~\[; ]", spec)[0]) for spec in requirements}


def _normal(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def imported(*trees: str) -> Iterator[tuple[str, Path]]:
    """Each third-party top-level module imported under the trees, with a file importing it."""
    for tree in trees:
        for path in sorted((ROOT / tree).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in OURS:
                        yield top, path


def undeclared(trees: tuple[str, ...], declared: set[str]) -> list[str]:
    """Each module whose distribution is undeclared, with the first file importing it."""
    owners = packages_distributions()
    missing: dict[str, Path] = {}
    for module, path in imported(*trees):
        distributions = {_normal(d) for d in owners.get(module, [module])}
        if not distributions & declared:
            missing.setdefault(module, path)
    return [f"{module}, in {path.relative_to(ROOT)}" for module, path in sorted(missing.items())]


def test_the_installed_code_imports_only_declared_dependencies() -> None:
    runtime = _names(PROJECT["dependencies"])
    assert undeclared(("bot", "adapters", "handlers", "migrations"), runtime) == []


def test_tests_and_benchmarks_import_only_declared_or_dev_dependencies() -> None:
    everything = _names(PROJECT["dependencies"]) | _names(PROJECT["optional-dependencies"]["dev"])
    assert undeclared(("tests", "benchmarks"), everything) == []


def test_an_import_nobody_declared_is_found() -> None:
    assert [m for m in undeclared(("bot",), set()) if m.startswith("sqlmodel,")]
