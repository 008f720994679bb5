"""Full garbage collections are deferred during bulk simulator work, then restored."""

from __future__ import annotations

import gc
import threading

import pytest

from clustersim.sim import Clock
from clustersim.sim.collection import deferred_full_collections


def _full_collections_while(action) -> int:
    seen = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(callback)
    try:
        action()
    finally:
        gc.callbacks.remove(callback)
    return len(seen)


def _grow() -> list:
    """Enough surviving containers to start full collections under the default rule."""
    kept = [[i] for i in range(1_000_000 if gc.get_threshold()[0] else 0)]
    return kept


def test_no_full_collection_inside_and_thresholds_restored() -> None:
    before = gc.get_threshold()
    assert _full_collections_while(_grow) > 0        # the rule this module works around

    def inside() -> None:
        with deferred_full_collections():
            assert gc.get_threshold()[:2] == before[:2]
            _grow()

    assert _full_collections_while(inside) == 0
    assert gc.get_threshold() == before


def test_nesting_and_errors_restore_once() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), deferred_full_collections():
        with deferred_full_collections():
            pass
        assert gc.get_threshold()[2] != before[2]    # the inner block kept it deferred
        raise RuntimeError("stop")
    assert gc.get_threshold() == before


def test_a_run_defers_and_restores() -> None:
    before = gc.get_threshold()
    clock = Clock(0)
    thresholds = []
    clock.call_later(1.0, lambda: thresholds.append(gc.get_threshold()))
    clock.run()
    assert thresholds and thresholds[0][2] != before[2]
    assert gc.get_threshold() == before


def test_kubernetes_apply_defers_while_it_reconciles(monkeypatch) -> None:
    from clustersim.kubernetes import KubernetesCluster
    from clustersim.kubernetes.cluster import default_nodes
    from clustersim.kubernetes.controllers.replicaset import ReplicaSetController

    before = gc.get_threshold()
    seen = []
    sync = ReplicaSetController.sync

    def spy(self, rs) -> None:
        seen.append(gc.get_threshold())
        sync(self, rs)

    monkeypatch.setattr(ReplicaSetController, "sync", spy)
    cluster = KubernetesCluster(default_nodes())
    labels = {"app": "web"}
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                   "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                            "template": {"metadata": {"labels": labels},
                                         "spec": {"containers": [{"name": "web",
                                                                  "image": "nginx"}]}}}})
    assert seen and all(t[2] != before[2] for t in seen)
    assert gc.get_threshold() == before


def test_thresholds_restored_when_two_threads_end_in_either_order() -> None:
    """Each simulator server answers in its own thread: one thread may enter while another
    is inside, and leave first. The process's thresholds come back all the same."""
    before = gc.get_threshold()
    first_in, second_in, first_out = (threading.Event() for _ in range(3))

    def first() -> None:
        with deferred_full_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with deferred_full_collections():
            second_in.set()
            first_out.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    try:
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)
