"""The second real-world corpus (``../shared/realworld-more/``): each file as its SOURCES.md says.

The ``expected`` column of ``SOURCES.md`` states what the real system does with the file, and
is the source of each test's expectation: ``load``, ``load; pending: X`` (it loads, and
after a short run on the demo cluster some pod waits with a reason that contains ``X``),
``refuse (why)`` or
``warn (why)`` (a Kubernetes API version no longer served: loaded with a warning, or refused).
``REASONS`` holds the words the loader's message must contain for each refused file, taken
from the reason that SOURCES.md gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clustersim import ManifestError, load_manifests
from clustersim.explore import place
from tests.conftest import REALWORLD_MORE, corpus_expectations, corpus_params

EXPECTED = corpus_expectations(REALWORLD_MORE)

# refused file → (field path, words of the message), from the reason in SOURCES.md
REASONS = {
    "kubernetes-kubernetes__hack__testdata__deployment-label-change3.yaml": (
        "spec.template.metadata.labels", "`selector` does not match template `labels`"),
    "kubernetes-kubernetes__hack__testdata__invalid-deployment-unknown-and-duplicate-fields"
    ".yaml": ("spec.replicas", "the key 'replicas' appears twice"),
    "kubernetes-kubernetes__hack__testdata__invalid-pod.yaml": (
        "spec.containers[0].name", "Required value"),
    "kubernetes-kubernetes__hack__testdata__invalid-rc-with-empty-args.yaml": (
        "spec.template.spec.containers[0].args[0]", 'unknown object type "nil"'),
    "kubernetes-website__content__en__examples__pods__pod-with-node-affinity.yaml": (
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
        "cannot unmarshal array into Go struct field NodeAffinity.spec.affinity.nodeAffinity."
        "requiredDuringSchedulingIgnoredDuringExecution of type v1.NodeSelector"),
    "dcos-examples__test-suite__1.8__test-nginx.json": (
        "", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'"),
    "mesosphere-marathon-lb__ci__backends_1.9__docker_ippc.json": (
        "networks", "cannot mix deprecated and canonical network APIs"),
    "BretFisher-udemy-docker-mastery__swarm-stack-3__docker-compose.prod.yml": (
        "services.drupal.image", "ContainerSpec: image reference must be provided"),
}


def check(path: Path, system: str) -> None:
    expected = EXPECTED.get(path.name)
    assert expected is not None, f"{path.name} has no row in SOURCES.md"
    outcome = expected.split()[0].rstrip(";")
    if outcome == "refuse":
        field, words = REASONS[path.name]
        with pytest.raises(ManifestError) as info:
            load_manifests(path)
        assert (info.value.source, info.value.path) == (path.name, field)
        assert words in str(info.value)
        assert info.value.line is not None
        return
    assert path.name not in REASONS, f"SOURCES.md says {path.name} loads: {expected}"
    specs = load_manifests(path)
    assert specs and all(spec.system == system for spec in specs)
    if outcome == "warn":  # a refusal would also be right; this loader warns
        assert any(spec.warnings for spec in specs), expected
    else:
        assert outcome == "load", expected


@pytest.mark.parametrize("path", corpus_params("kubernetes", REALWORLD_MORE))
def test_kubernetes_file(path: Path) -> None:
    check(path, "kubernetes")


@pytest.mark.parametrize("path", corpus_params("marathon", REALWORLD_MORE))
def test_marathon_file(path: Path) -> None:
    check(path, "marathon")


@pytest.mark.parametrize("path", corpus_params("swarm", REALWORLD_MORE))
def test_swarm_file(path: Path) -> None:
    check(path, "swarm")


def _pending_params() -> list:
    rows = {name: row for name, row in EXPECTED.items() if "pending:" in row}
    if not rows:
        return [pytest.param(None, None, marks=pytest.mark.skip(
            reason=f"SOURCES.md not found in {REALWORLD_MORE}"), id="corpus-missing")]
    params = []
    for name, row in sorted(rows.items()):
        path = next(REALWORLD_MORE.glob(f"*/{name}"))
        words = row.split("pending:", 1)[1].split("(")[0].strip()
        params.append(pytest.param(path, words, id=name))
    return params


@pytest.mark.parametrize(("path", "words"), _pending_params())
def test_pending_reason_as_sources_says(path: Path, words: str) -> None:
    """``load; pending: X``: after a short run some pod still waits, and its reason says X."""
    waiting = place(path, until=60).waiting
    assert any(words in reason for _, reason in waiting), (words, waiting)
