"""A served Node's heartbeat (clustersim.kubernetes.nodestatus): its Ready condition's
``lastHeartbeatTime`` is the kubelet's last status post, every ``nodeStatusReportFrequency``
(5 minutes) from its join or when its status changes (``tryUpdateNodeStatus``,
kubernetes/kubernetes ``pkg/kubelet/kubelet_node_status.go``), and changes only together
with the Node's resourceVersion. It used to follow the clock at every read while the version
never moved."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime

from clustersim.serve import serve
from tests.unit.test_serve_kubewatchcache import _watching

NODE = "/api/v1/nodes/worker-1"


def _read(server) -> tuple[str, float, float, str]:
    """(resourceVersion, seconds from creation to the heartbeat and to the transition, the
    Ready status) of worker-1: the times as shown slide with the wall-clock anchor on a frozen
    clock, their differences do not."""
    with urllib.request.urlopen(f"{server.url}{NODE}", timeout=30) as answer:
        node = json.loads(answer.read())
    created = datetime.fromisoformat(node["metadata"]["creationTimestamp"])
    ready = node["status"]["conditions"][0]
    return (node["metadata"]["resourceVersion"],
            round((datetime.fromisoformat(ready["lastHeartbeatTime"]) - created)
                  .total_seconds()),
            round((datetime.fromisoformat(ready["lastTransitionTime"]) - created)
                  .total_seconds()), ready["status"])


def test_the_heartbeat_moves_with_each_status_post_and_so_does_the_version():
    with serve("kubernetes", nodes=2, speed=0) as server:
        seen = [_read(server)]
        for step in (4, 100, 195, 2, 300):         # at 4, 104, 299, 301, 601 s
            server.step(step)
            seen.append(_read(server))
        assert [s[1] for s in seen] == [0, 0, 0, 0, 300, 600]
        assert len({s[0] for s in seen[:4]}) == 1
        assert seen[3][0] != seen[4][0] != seen[5][0]
        server.cluster.fail_node("worker-1")       # the kubelet stops posting at 601 s
        server.step(300)
        lost = _read(server)
        assert lost[1:] == (600, 651, "Unknown")  # Unknown after the 50 s grace period
        server.cluster.recover_node("worker-1")     # it posts Ready again at once
        server.step(1)
        assert _read(server)[1:] == (901, 901, "True")


def test_a_watch_of_nodes_sees_each_status_post_as_modified():
    with serve("kubernetes", nodes=1, speed=0) as server:
        with urllib.request.urlopen(f"{server.url}/api/v1/nodes", timeout=30) as answer:
            listed = json.loads(answer.read())
        events = _watching(server, "/api/v1/nodes",
                           f"resourceVersion={listed['metadata']['resourceVersion']}"
                           "&timeoutSeconds=2", lambda: server.step(300))
        assert sorted((e["type"], e["object"]["metadata"]["name"]) for e in events) == [
            ("MODIFIED", node["metadata"]["name"]) for node in listed["items"]]
        assert _read(server)[:2] == (next(
            e["object"]["metadata"]["resourceVersion"] for e in events
            if e["object"]["metadata"]["name"] == "worker-1"), 300)
