"""The served node Leases' renewals (clustersim.serve.kubederived ``leases``): a kubelet
renews its Lease every 10 s (the lease duration, 40 s, times ``nodeLeaseRenewIntervalFraction``,
0.25, in kubernetes/kubernetes ``pkg/kubelet/kubelet.go``), not at each read."""

from __future__ import annotations

import json
import math
import urllib.request
from datetime import datetime

from clustersim.serve import serve

_LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"


def _leases(server) -> dict[str, tuple[str, float]]:
    """(resourceVersion, seconds from creation to the last renewal) of each node's Lease, by
    name (the times as shown slide with the wall-clock anchor, their difference does not; the
    creationTimestamp is shown to the second)."""
    with urllib.request.urlopen(f"{server.url}{_LEASES}", timeout=30) as answer:
        items = json.loads(answer.read())["items"]
    return {i["metadata"]["name"]: (i["metadata"]["resourceVersion"], math.floor(
        (datetime.fromisoformat(i["spec"]["renewTime"])
         - datetime.fromisoformat(i["metadata"]["creationTimestamp"])).total_seconds()))
        for i in items}


def test_a_lease_is_renewed_once_per_interval_not_at_each_read():
    """Read every 0.5 simulated seconds for 30 s, each Lease changes (a new renewTime and
    resourceVersion) three times, once per 10 s from its node's join (at second 0): it used
    to change at every read."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        seen = [_leases(server)]
        for _ in range(60):
            server.step(0.5)
            seen.append(_leases(server))
    for name in seen[0]:
        states = [reading[name] for reading in seen]
        assert [renewed for _, renewed in states] == [
            10 * (step // 20) for step in range(61)]
        assert len({version for version, _ in states}) == 4
