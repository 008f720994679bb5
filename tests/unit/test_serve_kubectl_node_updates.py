"""A Node written through the served API, sent over plain HTTP, refused as ``ValidateNodeUpdate``
(kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``) and the decoder refuse it:
its metadata by ``ValidateObjectMetaUpdate``, its spec by ``NodeSpec``'s Go types, its
status's quantities by ``Quantity.UnmarshalJSON`` and ``ValidateNodeResources``
(clustersim.serve.kubenodes)."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.serve import serve
from clustersim.serve.kubenodes import QUANTITY_FORMAT
from tests.unit.test_serve_kubectl_dry_run import _answer

NODE = "/api/v1/nodes/worker-1"
_MERGE = "application/merge-patch+json"


@pytest.mark.parametrize(("meta", "field"), [
    ({"labels": {"a/b/c": "x"}}, "metadata.labels"),
    ({"annotations": {"": "y"}}, "metadata.annotations"),
])
def test_a_node_s_metadata_is_validated_as_any_object_s(meta, field):
    """A bad label key or an empty annotation key is a 422, as for a Secret (a Node's
    labels had been stored as sent)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, answer = _answer(server, "PATCH", NODE, {"metadata": meta}, _MERGE)
        assert status == 422, answer
        assert answer["message"].startswith(f'Node "worker-1" is invalid: {field}: Invalid '
                                            "value: ") or \
            answer["message"].startswith(f'Node "worker-1" is invalid: [{field}: Invalid value')
        assert {c["field"] for c in answer["details"]["causes"]} == {field}
        assert "a/b/c" not in server.cluster.node("worker-1").labels


@pytest.mark.parametrize(("spec", "why"), [
    ({"unschedulable": "yes"}, "json: cannot unmarshal string into Go struct field "
     "NodeSpec.spec.unschedulable of type bool"),
    ({"unschedulable": 0}, "json: cannot unmarshal number into Go struct field "
     "NodeSpec.spec.unschedulable of type bool"),
    ({"podCIDR": 5}, "json: cannot unmarshal number into Go struct field "
     "NodeSpec.spec.podCIDR of type string"),
    ({"podCIDRs": ["10.0.0.0/24", 5]}, "json: cannot unmarshal number into Go struct field "
     "NodeSpec.spec.podCIDRs of type string"),
])
def test_a_node_spec_is_decoded_by_its_go_types(spec, why):
    """A PUT's 400 names the kind, a merge patch's result is refused as ``patch.go`` refuses
    it (422 on ``patch``); ``"unschedulable": "yes"`` had cordoned the node."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        node = _answer(server, "GET", NODE)[1]
        node["spec"].update(spec)
        status, answer = _answer(server, "PUT", NODE, node)
        assert (status, answer["message"]) == (
            400, f'Node in version "v1" cannot be handled as a Node: {why}')
        status, answer = _answer(server, "PATCH", NODE, {"spec": spec}, _MERGE)
        assert status == 422 and answer["message"].endswith(f'": {why}')
        assert not server.cluster.node("worker-1").unschedulable
        assert _answer(server, "PATCH", NODE, {"spec": {"unschedulable": True}},
                       _MERGE)[0] == 200
        assert server.cluster.node("worker-1").unschedulable


@pytest.mark.parametrize(("status_patch", "code", "message"), [
    ({"capacity": {"cpu": "-4", "memory": "1e400"}}, 422, 'Node "worker-1" is invalid: '
     'status.capacity.cpu: Invalid value: "-4": must be greater than or equal to 0'),
    ({"capacity": {"pods": "2.5"}, "allocatable": {"memory": "-1Gi"}}, 422,
     'Node "worker-1" is invalid: [status.capacity.pods: Invalid value: "2500m": must be an '
     'integer, status.allocatable.memory: Invalid value: "-1Gi": must be greater than or '
     "equal to 0]"),
    ({"allocatable": {"cpu": "abc"}}, 422, QUANTITY_FORMAT),
    ({"allocatable": {"cpu": True}}, 422, QUANTITY_FORMAT),
    ({"allocatable": "4"}, 422, "json: cannot unmarshal string into Go struct field "
     "NodeStatus.status.allocatable of type v1.ResourceList"),
])
def test_a_node_status_s_quantities_are_decoded_and_validated(status_patch, code, message):
    """A quantity that does not parse is the decoder's error (on a merge patch's result, the
    422 of ``patch``; on a PUT, the 400 naming the kind), a negative one or a fraction of
    pods ``ValidateNodeResources``' 422; they had been answered 200."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        path = NODE + "/status"
        status, answer = _answer(server, "PATCH", path, {"status": status_patch}, _MERGE)
        assert status == code and answer["message"].endswith(message), answer["message"]
        if not message.startswith("Node "):
            node = _answer(server, "GET", NODE)[1]
            node["status"].update(status_patch)
            status, answer = _answer(server, "PUT", path, node)
            assert (status, answer["message"]) == (
                400, f'Node in version "v1" cannot be handled as a Node: {message}')
        valid = {"status": {"allocatable": {"cpu": "1"}}}
        assert _answer(server, "PATCH", path, valid, _MERGE)[0] == 200


_STRUCT = "json: cannot unmarshal {} into Go struct field {} of type {}"


@pytest.mark.parametrize(("status_patch", "why"), [
    ({"conditions": ["x"]}, _STRUCT.format("string", "NodeStatus.status.conditions",
                                           "v1.NodeCondition")),
    ({"conditions": {"a": 1}}, _STRUCT.format("object", "NodeStatus.status.conditions",
                                              "[]v1.NodeCondition")),
    ({"conditions": [{"type": ["a"]}]}, _STRUCT.format(
        "array", "NodeCondition.status.conditions.type", "v1.NodeConditionType")),
    ({"addresses": "x"}, _STRUCT.format("string", "NodeStatus.status.addresses",
                                        "[]v1.NodeAddress")),
    ({"daemonEndpoints": {"kubeletEndpoint": {"Port": 1.5}}}, _STRUCT.format(
        "number 1.5", "DaemonEndpoint.status.daemonEndpoints.kubeletEndpoint.Port", "int32")),
    # the first type error in the body's order, but a time that does not parse stops at once
    ({"phase": 1, "conditions": [{"type": "X", "lastHeartbeatTime": "soon"}]},
     'parsing time "soon" as "2006-01-02T15:04:05Z07:00": cannot parse "soon" as "2006"'),
])
def test_a_node_status_is_decoded_by_its_go_types(status_patch, why):
    """Every field of ``NodeStatus`` is decoded by its Go type (k8s.io/api
    ``core/v1/types.go``), not only its quantities: a condition that is no object had been
    stored, and the kubelet's next status update then answered every GET and LIST of Nodes
    500 (``'str' object has no attribute 'get'``)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        node = _answer(server, "GET", NODE)[1]
        node["status"].update(status_patch)
        status, answer = _answer(server, "PUT", NODE + "/status", node)
        assert (status, answer["message"]) == (
            400, f'Node in version "v1" cannot be handled as a Node: {why}')
        server.step(10)
        assert _answer(server, "GET", NODE)[0] == _answer(server, "GET", "/api/v1/nodes")[0] \
            == 200


def test_a_null_condition_is_a_zero_one_the_kubelet_keeps():
    """``null`` in a list decodes to the zero ``NodeCondition``; the kubelet's next update
    keeps it beside its own (it had made every GET of the Node a 500)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        patch = {"status": {"conditions": [None, {"type": "KernelDeadlock", "status": "False"}]}}
        assert _answer(server, "PATCH", NODE + "/status", patch, _MERGE)[0] == 200
        server.step(10)
        status, node = _answer(server, "GET", NODE)
        assert status == 200, node
        assert [c["type"] for c in node["status"]["conditions"]] == ["", "KernelDeadlock",
                                                                    "Ready"]


def test_each_pod_cidr_changed_is_a_cause():
    """``ValidateNodeUpdate`` adds a Forbidden per index changed; the message shows it once
    (``ToAggregate``), the details one cause each (``errors.NewInvalid``)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        cidrs = {"spec": {"podCIDR": "10.0.0.0/24", "podCIDRs": ["10.0.0.0/24", "fd00::/64"]}}
        assert _answer(server, "PATCH", NODE, cidrs, _MERGE)[0] == 200
        changed = {"spec": {"podCIDR": "10.1.0.0/24", "podCIDRs": ["10.1.0.0/24", "fd01::/64"]}}
        status, answer = _answer(server, "PATCH", NODE, changed, _MERGE)
        assert (status, answer["message"]) == (422, 'Node "worker-1" is invalid: spec.podCIDRs: '
                                               'Forbidden: node updates may not change podCIDR '
                                               'except from "" to valid')
        assert [c["field"] for c in answer["details"]["causes"]] == ["spec.podCIDRs"] * 2


def test_a_node_removed_by_the_simulator_forgets_what_writes_kept():
    """A Node of the same name that joins again is a new object, whoever removed the old
    one: its annotations and pod CIDR had outlived ``cluster.remove_node``."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        patch = {"metadata": {"annotations": {"team": "infra"}},
                 "spec": {"podCIDR": "10.244.1.0/24"}}
        assert _answer(server, "PATCH", NODE, patch, _MERGE)[0] == 200
        server.cluster.remove_node("worker-1")
        server.cluster.add_node(Node("worker-1", cpu=4, memory="16Gi"))
        node = _answer(server, "GET", NODE)[1]
        assert "annotations" not in node["metadata"] and "podCIDR" not in node["spec"]
        patch["spec"]["podCIDR"] = "10.244.9.0/24"        # set once, on the new Node
        assert _answer(server, "PATCH", NODE, patch, _MERGE)[0] == 200


def test_a_status_written_is_stored_with_canonical_quantities():
    """The API server keeps a ``Quantity`` and encodes it again in its canonical form
    (``CanonicalizeBytes`` in k8s.io/apimachinery ``pkg/api/resource/quantity.go``); the
    status had been stored as sent."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        sent = {"cpu": "1000m", "memory": "1024Mi", "example.com/dongle": 2,
                "ephemeral-storage": "0.5Ki"}
        status, node = _answer(server, "PATCH", NODE + "/status", {"status": {"capacity": sent}},
                               _MERGE)
        assert status == 200
        shown = {"cpu": "1", "memory": "1Gi", "example.com/dongle": "2",
                 "ephemeral-storage": "512"}
        assert {k: node["status"]["capacity"][k] for k in sent} == shown
        assert {k: v for k, v in _answer(server, "GET", NODE)[1]["status"]["capacity"].items()
                if k in sent} == shown


@pytest.mark.parametrize("spec", [
    {"taints": [{"key": "-bad-", "effect": "NoSchedule"}]},
    {"podCIDR": "10.99.0.0/99", "podCIDRs": ["10.99.0.0/99"]},
])
def test_a_stale_node_update_is_a_conflict_before_its_spec_is_validated(spec):
    """``Store.Update`` compares the resourceVersion before ``rest.BeforeUpdate`` validates
    (k8s.io/apiserver ``pkg/registry/generic/registry/store.go``): a PUT of an older version
    is a 409 whatever its spec holds; at the current version the same spec is the 422 of
    ``ValidateNodeUpdate`` (a taint key that is no label name, a pod CIDR that is none)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        node = _answer(server, "GET", NODE)[1]
        node["spec"].update(spec)
        current = node["metadata"]["resourceVersion"]
        node["metadata"]["resourceVersion"] = str(int(current) - 1)
        status, answer = _answer(server, "PUT", NODE, node)
        assert (status, answer["reason"]) == (409, "Conflict"), answer
        assert answer["message"] == ('Operation cannot be fulfilled on nodes "worker-1": the '
                                     "object has been modified; please apply your changes to "
                                     "the latest version and try again")
        node["metadata"]["resourceVersion"] = current
        status, answer = _answer(server, "PUT", NODE, node)
        assert (status, answer["reason"]) == (422, "Invalid"), answer
