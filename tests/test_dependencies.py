"""What the code imports is what pyproject.toml declares, so a fresh install can run it.

A package that only arrives as another one's dependency (numpy through scipy, yarl through
aiohttp) can stop arriving with that package's next release.
"""

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import distributions, packages_distributions
from pathlib import Path

import pytest

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


EXTRAS = PROJECT["optional-dependencies"]
PLATFORMS = ("slack", "teams", "discord")


def test_the_installed_code_imports_only_declared_dependencies() -> None:
    runtime = _names(PROJECT["dependencies"])
    adapters = (ROOT / "adapters").iterdir()
    plain = [f"adapters/{p.name}" for p in adapters if p.is_dir() and p.name not in PLATFORMS]
    assert "adapters/local" in plain
    assert undeclared(("bot", "handlers", "migrations", *plain), runtime) == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_platform_adapter_imports_only_the_runtime_and_its_extra(platform: str) -> None:
    """A platform's SDK is an extra (`pip install "rapport[slack]"`): its adapter alone uses it."""
    declared = _names(PROJECT["dependencies"]) | _names(EXTRAS[platform])
    assert undeclared((f"adapters/{platform}",), declared) == []


def test_all_names_every_platform_and_dev_takes_all() -> None:
    assert EXTRAS["all"] == [f"rapport[{','.join(PLATFORMS)}]"]
    assert "rapport[all]" in EXTRAS["dev"]


def test_tests_and_benchmarks_import_only_declared_or_dev_dependencies() -> None:
    everything = _names(PROJECT["dependencies"]) | _names(EXTRAS["dev"])
    everything |= {name for platform in PLATFORMS for name in _names(EXTRAS[platform])}
    assert undeclared(("tests", "benchmarks"), everything) == []


def test_an_import_nobody_declared_is_found() -> None:
    assert [m for m in undeclared(("bot",), set()) if m.startswith("sqlmodel,")]


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", text, re.MULTILINE)
    return {_normal(name): version for name, version in pins}


def test_the_lock_pins_every_runtime_dependency_and_platform_sdk() -> None:
    wanted = _names(PROJECT["dependencies"])
    wanted |= {name for platform in PLATFORMS for name in _names(EXTRAS[platform])}
    assert wanted - set(_locked()) == set(), "run `make lock` (docs/development/dependencies.md)"


def test_this_environment_runs_the_locked_versions() -> None:
    """`make test` installs with the lock as constraints: what runs is what is pinned."""
    installed = {_normal(d.metadata["Name"]): d.version for d in distributions()}
    differing = {
        name: (pinned, installed[name])
        for name, pinned in _locked().items()
        if name in installed and installed[name] != pinned
    }
    assert differing == {}
