"""The plugins' queueing hints for a parked Pod's own label update
(:mod:`clustersim.kubernetes.scheduler.queueinghints`): the cases follow PodTopologySpread's
and InterPodAffinity's ``Test_isSchedulableAfterPodChange`` (kubernetes/kubernetes
``pkg/scheduler/framework/plugins/*/plugin_test.go``; "update an un-scheduled pod": skipped
by InterPodAffinity)."""

from __future__ import annotations

import pytest

from clustersim.kubernetes import Scheduler
from clustersim.kubernetes.scheduler.queueinghints import worth_requeuing_after_label_update


def _pod(host_port=None, priority=0, labels=None, **spec):
    ports = [{"containerPort": 80, "hostPort": host_port}] if host_port else []
    return {"metadata": {"name": "p", "uid": "p", "labels": labels or {}},
            "spec": {"priority": priority,
                     "containers": [{"name": "c", "image": "busybox", "ports": ports}], **spec},
            "status": {"nominatedNodeName": "node-1"}}


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
