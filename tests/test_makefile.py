"""The Makefile's targets do what their names say (read with `make -n`: nothing is run)."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)


def planned(*args: str) -> list[str]:
    """The commands `make ARGS` would run in this virtualenv, which counts as installed."""
    # Run from `make test` itself, a sub-make would announce its directory: not a command.
    outer = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", *args],
        cwd=ROOT,
        env={name: value for name, value in os.environ.items() if name not in outer},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_lint_runs_ruff_mypy_and_the_import_contracts() -> None:
    assert planned("lint") == [
        f"{VENV}/bin/ruff check .",
        f"{VENV}/bin/ruff format --check .",
        f"{VENV}/bin/mypy bot",
        f"{VENV}/bin/lint-imports --no-cache",
        f"{VENV}/bin/mkdocs build --strict",
    ]


def test_the_git_hooks_run_the_checks_of_lint() -> None:
    """.pre-commit-config.yaml runs ruff, the format check, mypy and the import contracts
    as `make lint` does (the docs build is left to lint: it reads every page, not a diff)."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    entries = [hook["entry"].removeprefix(".venv/bin/") for hook in hooks]
    run = [entry.replace(" --force-exclude", "") for entry in entries]
    lint = [line.removeprefix(f"{VENV}/bin/").removesuffix(" .") for line in planned("lint")]
    assert run == [line for line in lint if not line.startswith("mkdocs")]


def test_docs_builds_the_site_strictly() -> None:
    assert planned("docs") == [f"{VENV}/bin/mkdocs build --strict"]


def readme_commands() -> list[str]:
    """The commands of the README's first shell block, without their comments."""
    text = (ROOT / "README.md").read_text()
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#")[0].strip() for line in block.splitlines()]


def test_the_readme_gives_two_commands_one_to_run_and_one_to_test() -> None:
    assert readme_commands() == ["make run", "make test"]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == readme_commands()[1]


def test_the_readme_is_an_entry_page_under_20_kb() -> None:
    assert (ROOT / "README.md").stat().st_size < 20_000


def test_test_lints_then_runs_the_whole_suite() -> None:
    assert planned("test") == [*planned("lint"), f"{VENV}/bin/pytest -n auto"]


def benchmarks_run(*args: str) -> list[str]:
    """The benchmark names `make bench ARGS` loops over."""
    loop = next(line for line in planned("bench", *args) if "for name in " in line)
    return loop.split("for name in ")[1].split(";")[0].split()


def test_bench_runs_every_benchmark_as_a_module() -> None:
    assert sorted(benchmarks_run()) == sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py"))
    assert f"{VENV}/bin/python -m benchmarks.$name; \\" in [
        line.strip() for line in planned("bench")
    ]


def test_bench_runs_only_the_ones_asked_for() -> None:
    assert benchmarks_run("BENCHES=matching insights") == ["matching", "insights"]


def test_translations_update_and_compile_every_catalog() -> None:
    assert planned("translations") == [
        f"{VENV}/bin/python -m bot.wiring.translations update compile"
    ]
