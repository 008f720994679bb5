"""The plugins' queueing hints for a parked Pod's own label update and a nominated Pod's
deletion (:mod:`clustersim.kubernetes.scheduler.queueinghints`). The host-port cases are
those of NodePorts' ``Test_isSchedulableAfterPodDeleted`` (kubernetes/kubernetes
``pkg/scheduler/framework/plugins/nodeports/node_ports_test.go``), the deleted Pod nominated
rather than bound; the label cases follow PodTopologySpread's and InterPodAffinity's
``Test_isSchedulableAfterPodChange`` ("update an un-scheduled pod": skipped by
InterPodAffinity)."""

from __future__ import annotations

import pytest

from clustersim.kubernetes import Scheduler
from clustersim.kubernetes.scheduler.queueinghints import (
    worth_requeuing_after_label_update,
    worth_requeuing_after_nominated_delete,
)


def _pod(host_port=None, priority=0, labels=None, **spec):
    ports = [{"containerPort": 80, "hostPort": host_port}] if host_port else []
    return {"metadata": {"name": "p", "uid": "p", "labels": labels or {}},
            "spec": {"priority": priority,
                     "containers": [{"name": "c", "image": "busybox", "ports": ports}], **spec},
            "status": {"nominatedNodeName": "node-1"}}


@pytest.mark.parametrize(("deleted", "worth"), [
    (_pod(), False),                    # skip-queue-on-non-hostport
    (_pod(host_port=8081), False),      # skip-queue-on-unrelated-hostport
    (_pod(host_port=8080), True),       # queue-on-released-hostport
])
def test_nodeports_queues_only_for_a_released_host_port(deleted, worth):
    assert worth_requeuing_after_nominated_delete(
        _pod(host_port=8080), deleted, ("NodePorts",)) is worth


def test_a_deleted_nomination_concerns_fit_and_only_pods_of_no_higher_priority():
    waiting = _pod(priority=10)
    assert worth_requeuing_after_nominated_delete(waiting, _pod(priority=10),
                                                  ("NodeResourcesFit",))
    assert not worth_requeuing_after_nominated_delete(waiting, _pod(priority=5),
                                                      ("NodeResourcesFit",))
    assert not worth_requeuing_after_nominated_delete(waiting, _pod(priority=10),
                                                      ("InterPodAffinity", "PodTopologySpread"))
    assert worth_requeuing_after_nominated_delete(waiting, _pod(priority=10), ())


_SPREAD = [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "web"}}}]


@pytest.mark.parametrize(("old", "new", "rejectors", "worth"), [
    ({"app": "web"}, {"app": "batch"}, ("PodTopologySpread",), True),
    ({"app": "other"}, {"app": "web"}, ("PodTopologySpread",), True),
    ({"app": "web"}, {"app": "web", "team": "ml"}, ("PodTopologySpread",), False),
    ({"app": "web"}, {"app": "batch"}, ("InterPodAffinity",), False),
    ({"app": "web"}, {"app": "batch"}, ("NodeResourcesFit",), False),
    ({"app": "web"}, {"app": "batch"}, (), True),
])
def test_a_label_update_of_the_parked_pod_itself(old, new, rejectors, worth):
    pod = _pod(labels=new, topologySpreadConstraints=_SPREAD)
    assert worth_requeuing_after_label_update(Scheduler(), pod, old, rejectors) is worth
