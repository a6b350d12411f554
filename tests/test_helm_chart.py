"""The Helm chart (deploy/helm/rapport) lints, renders, and its manifests are valid Kubernetes.

Rendered offline by Helm's own Go SDK (the PyPI package helm-python-sdk binds it: no helm
binary, no cluster), then each manifest is checked against Kubernetes' published OpenAPI
schemas with kubernetes-validate, strictly (an unknown field fails). What this does not do:
install the chart on a cluster and watch the pods start.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.wiring.features import build_router
from bot.wiring.settings_check import env_names

CHART = Path(__file__).resolve().parents[1] / "deploy" / "helm" / "rapport"
KUBERNETES = ("1.30.0", "1.37.0")  # an older supported release and the newest known here

try:
    import helm_python as helm
    import kubernetes_validate
except ImportError as missing:  # helm-python-sdk has wheels for some platforms only
    if os.environ.get("REQUIRE_HELM") == "1":
        raise
    pytest.skip(
        f"{missing.name} is not installed; REQUIRE_HELM=1 fails instead", allow_module_level=True
    )


def render(values: dict[str, Any] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Each template's manifests, by template file name, with `values` over the defaults."""
    with helm.Chart.load(str(CHART)) as chart:
        files = chart.render(values or {}, name="prod", namespace="rapport")
    return {
        Path(name).name: [doc for doc in yaml.safe_load_all(text) if doc]
        for name, text in files.items()
        if name.endswith(".yaml")
    }


def manifests(values: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    for docs in render(values).values():
        yield from docs


def one(kind: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
    [found] = [doc for doc in manifests(values) if doc["kind"] == kind]
    return found


def container(workload: dict[str, Any]) -> dict[str, Any]:
    [found] = workload["spec"]["template"]["spec"]["containers"]
    return dict(found)


def env(workload: dict[str, Any]) -> dict[str, Any]:
    return {item["name"]: item for item in container(workload)["env"]}


def test_the_chart_lints_clean() -> None:
    report = helm.lint(str(CHART), strict=True)
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] > 1] == []  # info at most


VARIANTS = [
    {},
    {"metrics": {"tokenSecret": "rapport-metrics"}, "settingsSecret": "rapport-settings"},
    {"migrations": {"job": False}, "replicaCount": 5, "service": {"type": "NodePort"}},
    {"workers": {"replicaCount": 2}},
]


@pytest.mark.parametrize("version", KUBERNETES)
@pytest.mark.parametrize("values", VARIANTS, ids=["defaults", "secrets", "no-job", "workers"])
def test_every_manifest_is_valid_kubernetes(values: dict[str, Any], version: str) -> None:
    found = list(manifests(values))
    assert {doc["kind"] for doc in found} >= {"Deployment", "Service"}
    for doc in found:
        kubernetes_validate.validate(doc, version, strict=True)


def test_a_broken_manifest_is_refused() -> None:
    """The validation above is not vacuous."""
    deployment = one("Deployment")
    container(deployment)  # the shape the next line breaks
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["prt"] = 1
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES[-1], strict=True)


def test_replicas_read_postgresql_from_a_secret_and_name_themselves_by_pod() -> None:
    deployment = one("Deployment", {"replicaCount": 3})
    assert deployment["spec"]["replicas"] == 3
    variables = env(deployment)
    assert variables["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "rapport-database",
        "key": "url",
    }
    assert variables["REPLICA_ID"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert variables["LOG_FORMAT"]["value"] == "json"
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_every_variable_the_chart_sets_is_a_real_setting() -> None:
    settings = env_names(build_router().sections.values())
    values = {"metrics": {"tokenSecret": "rapport-metrics"}}
    for kind in ("Deployment", "Job"):
        assert set(env(one(kind, values))) - settings == set()


def test_traffic_waits_for_readyz_liveness_asks_healthz_and_prometheus_scrapes() -> None:
    deployment = one("Deployment")
    app = container(deployment)
    # Traffic and the end of the start wait until everything has loaded; a replica that is
    # still loading is alive.
    for probe in ("startupProbe", "readinessProbe"):
        assert app[probe]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert app["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert app["ports"] == [{"name": "http", "containerPort": 8080}]
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "8080",
        "prometheus.io/path": "/metrics",
    }
    quiet = one("Deployment", {"metrics": {"annotate": False}})
    assert not quiet["spec"]["template"]["metadata"].get("annotations")


def test_migrations_run_in_a_job_before_install_and_upgrade() -> None:
    job = one("Job")
    hooks = job["metadata"]["annotations"]
    assert hooks["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert container(job)["args"] == ["rapport", "migrate"]
    assert env(job)["DATABASE_URL"] == env(one("Deployment"))["DATABASE_URL"]
    assert "Job" not in {doc["kind"] for doc in manifests({"migrations": {"job": False}})}


def test_values_that_do_not_fit_the_schema_are_refused() -> None:
    with pytest.raises(helm.HelmError):
        render({"replicaCount": "two"})
    with pytest.raises(helm.HelmError):
        render({"workers": {"replicas": 2}})


def test_with_workers_the_replicas_become_fronts_and_the_workers_stay_out_of_the_service() -> None:
    values = {"replicaCount": 2, "workers": {"replicaCount": 3}}
    deployments = [doc for doc in manifests(values) if doc["kind"] == "Deployment"]
    by_role = {env(doc)["RUN_ROLE"]["value"]: doc for doc in deployments}
    assert set(by_role) == {"front", "worker"}
    front, worker = by_role["front"], by_role["worker"]
    assert (front["spec"]["replicas"], worker["spec"]["replicas"]) == (2, 3)
    assert worker["metadata"]["name"] == front["metadata"]["name"] + "-worker"
    served = one("Service", values)["spec"]["selector"]
    for deployment, in_service in ((front, True), (worker, False)):
        pods = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"] == pods
        assert (served.items() <= pods.items()) is in_service
    assert "RUN_ROLE" not in env(one("Deployment"))
