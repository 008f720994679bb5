"""Real manifests that select nodes on the labels every kubelet sets (``kubernetes.io/os``,
``kubernetes.io/arch``, ``kubernetes.io/hostname``) schedule on the simulated nodes, as they
do on a real cluster (regression test: the nodes lacked these labels, so such pods stayed
Pending with "didn't match Pod's node affinity/selector")."""

from __future__ import annotations

import re

import pytest

from clustersim import ManifestError
from clustersim.kubernetes import KubernetesCluster, default_nodes
from tests.conftest import REALWORLD

SELECTS_ON_KUBELET_LABELS = re.compile(r"kubernetes\.io/(os|arch)\s*:")


def _files() -> list:
    files = sorted(p for corpus in ("realworld", "realworld-more")
                   for p in (REALWORLD.parent / corpus / "kubernetes").glob("*.y*ml")
                   if SELECTS_ON_KUBELET_LABELS.search(p.read_text(encoding="utf-8")))
    if files:
        return [pytest.param(p, id=p.name) for p in files]
    return [pytest.param(None, marks=pytest.mark.skip(
        reason=f"no real-world manifest selecting on kubelet labels under {REALWORLD.parent}"))]


@pytest.mark.parametrize("path", _files())
def test_pods_selecting_kubelet_labels_schedule(path) -> None:
    cluster = KubernetesCluster(default_nodes())
    try:
        cluster.apply(path)
    except ManifestError as err:
        pytest.skip(f"the loader refuses this file (not this test's subject): {err}")
    cluster.run(until=120)
    pods = cluster.pods()
    assert pods, "the file creates pods"
    assert not [p.name for p in pods if "node affinity/selector" in p.message]
