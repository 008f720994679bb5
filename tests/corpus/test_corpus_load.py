"""Every real-world manifest in ``../shared/realworld/`` loads (or is refused for a named reason).

One test per file (``corpus_params``). A file that the real system would refuse is listed in
``REFUSED`` with the field and the reason; files that load but use an API that Kubernetes no
longer serves are listed in ``WARNED``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clustersim import ManifestError, load_manifests
from tests.conftest import corpus_params

SYSTEM_OF_FOLDER = {"kubernetes": "kubernetes", "marathon": "marathon", "swarm": "swarm"}

# file → (field path, what ManifestError must say)
REFUSED = {
    # Marathon's own REST API example sets both cmd and args, which AppValidation refuses
    # (containsCmdArgsOrContainer).
    "marathon__rest-api-examples__app.json": (
        "",
        "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'",
    ),
    # docker/cli's loader fixture: its converter refuses the undeclared named volume
    # "datavolume" (cli/compose/convert/volume.go) before the daemon sees the constraint
    # "node=foo", which swarmkit's constraint.Parse would refuse next.
    "docker-cli__compose-loader__full-example.yml": (
        "services.foo.volumes[5]",
        'service foo: undefined volume "datavolume"',
    ),
}
# file → the kinds whose apiVersion is no longer served
WARNED = {
    "kubernetes-examples__cockroachdb__cockroachdb-statefulset.yaml": {"PodDisruptionBudget"},
    "kubernetes-examples__mysql-wordpress-pd-f676e4d__wordpress-deployment.yaml": {"Deployment"},
    "kubernetes-examples__newrelic-infrastructure__newrelic-infra-daemonset.yaml": {"DaemonSet"},
}


def check(path: Path, system: str) -> None:
    if path.name in REFUSED:
        field, reason = REFUSED[path.name]
        with pytest.raises(ManifestError) as info:
            load_manifests(path)
        assert (info.value.source, info.value.path) == (path.name, field)
        assert reason in str(info.value)
        assert info.value.line is not None
        return
    specs = load_manifests(path)
    assert specs, f"{path.name} holds no objects"
    for spec in specs:
        assert spec.system == system
        assert spec.source == path.name
        assert spec.line is not None and spec.line >= 1
        json.dumps(spec.manifest)  # plain JSON-compatible data
        for workload in spec.workloads():
            assert workload.system == system
            assert workload.replicas is None or workload.replicas >= 0
            assert workload.cpu >= 0 and workload.memory >= 0
    warned = {spec.kind for spec in specs if spec.warnings}
    assert warned == WARNED.get(path.name, set())


@pytest.mark.parametrize("path", corpus_params("kubernetes"))
def test_kubernetes_file_loads(path: Path) -> None:
    check(path, "kubernetes")


@pytest.mark.parametrize("path", corpus_params("marathon"))
def test_marathon_file_loads(path: Path) -> None:
    check(path, "marathon")
    for spec in [] if path.name in REFUSED else load_manifests(path):
        assert spec.name.startswith("/")
        assert spec.kind in ("App", "Pod", "Group")


@pytest.mark.parametrize("path", corpus_params("swarm"))
def test_swarm_file_loads(path: Path) -> None:
    check(path, "swarm")


def test_same_application_in_three_dialects() -> None:
    """The voting app's ``db`` and a Marathon app and a Deployment give comparable workloads."""
    deployment = load_manifests(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  replicas: 1\n"
        "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
        "    spec:\n      containers:\n      - name: db\n        image: postgres\n"
        "        resources: {requests: {cpu: 500m, memory: 256Mi}}\n"
    )
    app = load_manifests({"id": "/db", "cmd": "postgres", "cpus": 0.5, "mem": 256})
    stack = load_manifests(
        {
            "services": {
                "db": {
                    "image": "postgres",
                    "deploy": {"resources": {"reservations": {"cpus": "0.5", "memory": "256M"}}},
                }
            }
        }
    )
    shapes = [
        (w.replicas, w.cpu, w.memory) for s in (deployment, app, stack) for w in s.workloads()
    ]
    assert len(set(shapes)) == 1, shapes
