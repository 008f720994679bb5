"""ErrImagePull and ImagePullBackOff: the kubelet's image-pull back-off (10 s doubling to 300 s,
pkg/kubelet/images/image_manager.go with backOffPeriod and MaxContainerBackOff) and its events."""

from __future__ import annotations

import itertools

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, Timing


def pod():
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": "shop/web:2.0.3"}]}}


def cluster():
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0,
                          timing=Timing(image_pull_seconds=5))
    c.fail_pull("shop/web:2.0.3")
    return c


def test_pull_failure_events_and_status():
    c = cluster()
    c.apply(pod())
    c.run(until=5.5)
    assert c.pods()[0].reason == "ErrImagePull"
    messages = [(e.reason, e.message) for e in c.events.where(reason="Failed")]
    assert messages == [
        ("Failed", 'Failed to pull image "shop/web:2.0.3": rpc error: code = NotFound desc = '
                   'failed to pull and unpack image "shop/web:2.0.3": not found'),
        ("Failed", "Error: ErrImagePull")]
    c.run(until=7)
    assert c.pods()[0].reason == "ImagePullBackOff"
    [backoff] = c.events.where(reason="BackOff")
    assert backoff.message == 'Back-off pulling image "shop/web:2.0.3"'


def test_back_off_doubles_up_to_five_minutes():
    c = cluster()
    c.apply(pod())
    c.run(until=2000)
    pulls = [e.time for e in c.events.where(reason="Pulling")]
    gaps = [round(b - a) for a, b in itertools.pairwise(pulls)]
    # each gap: 5 s pull + back-off 10, 20, 40, 80, 160, 300, 300...
    assert gaps[:7] == [15, 25, 45, 85, 165, 305, 305]


def test_restored_registry_lets_the_next_retry_start_the_pod():
    c = cluster()
    c.apply(pod())
    c.run(until=30)
    c.restore_pull("shop/web:2.0.3")
    c.run(until=80)
    [row] = c.pods()
    assert (row.phase, row.reason, row.ready) == ("Running", "", True)
