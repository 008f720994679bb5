"""The served Events expire by the log's times alone (clustersim.serve.kubeevents): whenever
kubectl reads, the Events kept, their names and counts are those a store made again from the
whole log keeps."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.serve.core import Request
from clustersim.serve.kubeevents import EVENT_TTL
from clustersim.serve.kubernetes import KubernetesBackend

SCALES = ((100.0, 5), (200.0, 3), (300.0, 5), (200.0 + EVENT_TTL + 300, 3),
          (300.0 + EVENT_TTL + 300, 5))
"""When the Deployment is scaled and to what: the same "Scaled up/down" messages again
within the hour (counted in one Event) and after it (a new Event)."""
END = SCALES[-1][0] + 600


def _deployment(name: str, replicas: int, cpu: str) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default", "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "c", "image": "nginx",
                          "resources": {"requests": {"cpu": cpu}}}]}}}}


def _events(backend: KubernetesBackend) -> list[tuple]:
    body = backend.handle(Request("GET", "/api/v1/events", {}, {})).body
    return [(e["metadata"]["name"], e["message"], e.get("count"), e.get("series"),
             e.get("lastTimestamp")) for e in json.loads(body)["items"]]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(0, END), max_size=6).map(sorted))
@example([])
@example([SCALES[2][0] + EVENT_TTL - 100])      # the review's case: one read just before
def test_what_expires_does_not_depend_on_when_a_client_reads(reads: list[float]) -> None:
    """Before the fix an occurrence more than ``EVENT_TTL`` after its Event's last write
    joined that expired Event unless a read came in between, and a store made again from
    the log kept it (count 2, the old name)."""
    cluster = KubernetesCluster(default_nodes(3))
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    cluster.create(_deployment("w", 3, "10m"))
    cluster.create(_deployment("big", 1, "64"))     # never fits: a FailedScheduling series
    steps = sorted([(t, "read", 0) for t in reads] + [(t, "scale", n) for t, n in SCALES])
    for t, what, replicas in steps:
        cluster.run(until=t)
        if what == "read":
            _events(backend)
        else:
            cluster.update([_deployment("w", replicas, "10m")])
    cluster.run(until=END)
    served = _events(backend)
    backend.renderer.event_store.stale = True
    assert served == _events(backend)
    assert any(count == 1 and "from 3 to 5" in message for _, message, count, *_ in served)
