"""The Compose file (deploy/compose.yaml): replicas behind nginx, and a worker when asked for.

Read as Compose reads it (YAML with merge keys); not started: that needs Docker Compose and
images built, which the suite does not have.
"""

from pathlib import Path
from typing import Any

import yaml

from bot.wiring.features import build_router
from bot.wiring.settings_check import env_names

COMPOSE = Path(__file__).resolve().parents[1] / "deploy" / "compose.yaml"


def services() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text())["services"])


def test_every_variable_the_compose_file_sets_is_a_real_setting() -> None:
    settings = env_names(build_router().sections.values())
    for name in ("rapport", "worker"):
        assert set(services()[name]["environment"]) - settings == set()


def test_replicas_do_all_the_work_unless_run_as_fronts() -> None:
    assert services()["rapport"]["environment"]["RUN_ROLE"] == "${RUN_ROLE:-all}"


def test_the_worker_runs_only_with_its_profile_and_outside_the_balancer() -> None:
    found = services()
    worker, replica = found["worker"], found["rapport"]
    assert worker["profiles"] == ["workers"]
    assert worker["environment"]["RUN_ROLE"] == "worker"
    assert found["balancer"]["depends_on"] == ["rapport"]
    assert "ports" not in worker
    # The same image, settings and database as the replicas, its role aside.
    assert worker["build"] == replica["build"]
    assert worker["env_file"] == replica["env_file"]
    shared = {k: v for k, v in worker["environment"].items() if k != "RUN_ROLE"}
    assert shared == {k: v for k, v in replica["environment"].items() if k != "RUN_ROLE"}
