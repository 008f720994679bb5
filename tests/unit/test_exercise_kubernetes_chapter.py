"""Checks of the Kubernetes chapter's exercises: LeastAllocated scores and a GPU-only Pod."""

from __future__ import annotations

import pytest

from clustersim.exercises import kubernetes_chapter
from clustersim.exercises.kubernetes_chapter import (
    EXISTING,
    SCORE_NODES,
    SCORE_PROBE,
    check_failed_scheduling,
    check_gpu_pod,
    check_least_allocated,
    failed_reason_counts,
    gpu_nodes,
    least_allocated,
    score_cluster,
)

RIGHT = {"node-1": 37, "node-2": 43, "node-3": 62}


def test_least_allocated_upstream_case() -> None:
    # kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources/
    # least_allocated_test.go, "nothing scheduled, resources requested, differently sized
    # nodes": pod 3000m / 5000, node1 4000m / 10000 -> 37, node2 6000m / 10000 -> 50.
    assert least_allocated((4000, 10000), (3000, 5000)) == 37
    assert least_allocated((6000, 10000), (3000, 5000)) == 50


def test_hand_formula_agrees_with_explain() -> None:
    verdicts = score_cluster().explain(SCORE_PROBE)
    for node, allocatable in SCORE_NODES.items():
        with_pod = (EXISTING[node][0] + 1000, EXISTING[node][1] + 2 * 2**30)
        assert verdicts[node].scores["NodeResourcesFit"] == least_allocated(allocatable, with_pod)
    assert check_least_allocated(RIGHT).passed


@pytest.mark.parametrize("answer, hint", [
    ({**RIGHT, "node-1": 62}, "incoming Pod"),
    ({**RIGHT, "node-1": 63}, "free"),
    ({**RIGHT, "node-2": 44}, "integer division"),
    ({**RIGHT, "node-3": 10}, "allocatable"),
    ({**RIGHT, "node-3": None}, "Replace"),
    ({**RIGHT, "node-3": "62"}, "Drop the quotes"),
    ({**RIGHT, "node-3": 62.7}, "Write a number"),
    # a newcomer's slips, found in a trial of Part II: the whole answer tells which one
    ({"node-1": 62, "node-2": 56, "node-3": 37}, "free"),           # the used share
    ({"node-1": 62, "node-2": 56, "node-3": 100}, "incoming Pod"),  # the Pod left out
    ({"node-1": 37.5, "node-2": 43.75, "node-3": 62.5}, "integer division"),
    ({**RIGHT, "node-3": 62.5}, "integer division"),
    ({"node-1": 0.37, "node-2": 0.43, "node-3": 0.62}, "0 to 100"),
    ({"node-1": 37}, "starter"),
    (None, "starter"),
])
def test_score_hints(answer: object, hint: str) -> None:
    feedback = check_least_allocated(answer)
    assert not feedback.passed and hint in feedback.hint


def test_score_hint_names_both_slips_that_give_one_number() -> None:
    # node-1 scores 62 both without the incoming Pod and with the used share: alone, the
    # number cannot tell which slip it is, so the hint names both
    hint = check_least_allocated({**RIGHT, "node-1": 62}).hint
    assert "incoming Pod" in hint and "free" in hint


POD = """
apiVersion: v1
kind: Pod
metadata: {name: train}
spec:
  containers:
    - {name: train, image: train:0.9, resources: {requests: {cpu: "2", memory: 8Gi}}}
"""
SELECTOR = "  nodeSelector: {accelerator: nvidia}\n"
TOLERATE = "  tolerations:\n    - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}\n"
PREFERRED = """\
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 1
          preference:
            matchExpressions:
              - {key: accelerator, operator: In, values: [nvidia]}
"""


def test_gpu_pod_with_selector_and_toleration_passes() -> None:
    assert check_gpu_pod(POD + SELECTOR + TOLERATE).passed


GPU_POD = POD.replace("memory: 8Gi}", "memory: 8Gi}, limits: {nvidia.com/gpu: 1}")


def test_a_gpu_pod_may_ask_for_a_gpu() -> None:
    """Real GPU Pods ask for nvidia.com/gpu, which gpu-1 advertises (GPUS) as its device plugin
    would; the request alone keeps the Pod off the ordinary nodes (NodeResourcesFit)."""
    assert check_gpu_pod(GPU_POD + SELECTOR + TOLERATE).passed
    assert check_gpu_pod(GPU_POD + TOLERATE).passed
    too_many = GPU_POD.replace("gpu: 1}", "gpu: 5}") + SELECTOR + TOLERATE
    assert "4 nvidia.com/gpu" in check_gpu_pod(too_many).hint


def test_the_too_big_hint_names_what_gpu_1_has(monkeypatch) -> None:
    """The hint for a Pod gpu-1 cannot hold reads gpu-1's capacity off the node itself."""
    big = POD.replace('cpu: "2"', 'cpu: "12"') + SELECTOR + TOLERATE
    assert "gpu-1 has 8 CPUs, memory 64Gi and 4 nvidia.com/gpu:" in check_gpu_pod(big).hint
    wider = [n.copy(cpu=16, memory="128Gi") if n.name == "gpu-1" else n for n in gpu_nodes()]
    monkeypatch.setattr(kubernetes_chapter, "gpu_nodes", lambda: wider)
    big = big.replace('cpu: "12"', 'cpu: "20"')
    assert "gpu-1 has 16 CPUs, memory 128Gi and 4 nvidia.com/gpu:" in check_gpu_pod(big).hint


@pytest.mark.parametrize("manifest, hint", [
    (POD, "Nothing in the Pod points it at gpu-1"),
    (POD + TOLERATE, "would take it as well"),
    (POD + TOLERATE, "does not draw it there"),
    (POD + SELECTOR, "add a toleration that matches its key, value and effect"),
    (POD + SELECTOR + "  tolerations:\n    - {key: dedicated, operator: Exists}\n",
     "None of your tolerations has the key"),
    (POD + "  nodeSelector: {accelerator: amd}\n" + TOLERATE, "compare it, key and value"),
    (POD + TOLERATE + PREFERRED, "only adds to a node's score"),
    # a toleration for the key that still does not match: the field that differs is named
    (POD + SELECTOR + "  tolerations:\n    - {key: nvidia.com/gpu, value: absent, "
     "effect: NoSchedule}\n", "its value 'absent' is not present"),
    (POD + SELECTOR + "  tolerations:\n    - {key: nvidia.com/gpu, operator: Exists, "
     "effect: NoExecute}\n", "its effect 'NoExecute' is not NoSchedule"),
    (POD + SELECTOR + "  tolerations:\n    - {key: nvidia.com/gpu, operator: Equal, value: yes1, "
     "effect: NoExecute}\n", "NoExecute' is not NoSchedule (an empty effect matches every "
     "effect); its value 'yes1' is not present"),
    # a misspelt field is refused by kubectl apply, not silently dropped
    (POD + "  nodeselector: {accelerator: nvidia}\n" + TOLERATE,
     'unknown field "spec.nodeselector"'),
    ("kind: Pod\n  oops: [\n", "indentation"),
    (POD + "---\n" + POD, "one Pod"),
    ({"kind": "Deployment"}, "kind: Pod"),
    ({"kind": "Pod"}, "apiVersion is missing"),
    (42, "kind: Pod"),
])
def test_gpu_pod_hints(manifest: object, hint: str) -> None:
    feedback = check_gpu_pod(manifest)
    assert not feedback.passed and feedback.hint, feedback
    assert hint in feedback.message + feedback.hint, feedback


@pytest.mark.parametrize("manifest", [POD, POD + TOLERATE, POD + SELECTOR,
                                      POD + "  nodeName: gpu-1\n"])
def test_gpu_pod_hints_nudge_without_writing_the_answer(manifest: str) -> None:
    """On the untouched starter the hint spoke of "A toleration only allows…" though the
    learner wrote none, and two runs handed over nodeSelector: {accelerator: nvidia} and the
    toleration's key and effect."""
    hint = check_gpu_pod(manifest).hint
    assert "accelerator: nvidia" not in hint and "nvidia.com/gpu" not in hint, hint
    assert "toleration only" not in hint


FAILED = {"Insufficient cpu": 3, "Insufficient memory": 3, "untolerated taint": 2}


def test_failed_scheduling_counts_follow_the_filter_order() -> None:
    # kubernetes/kubernetes pkg/scheduler/framework/runtime/framework.go RunFilterPlugins stops
    # at the first failing plugin; default order (apis/config/v1/default_plugins.go) puts
    # TaintToleration before NodeResourcesFit, whose fitsRequest lists every short resource.
    assert failed_reason_counts() == FAILED
    assert check_failed_scheduling(FAILED).passed


@pytest.mark.parametrize("answer, hint", [
    ({**FAILED, "Insufficient memory": 0}, "every resource"),
    ({**FAILED, "Insufficient cpu": 5}, "first filter"),
    ({**FAILED, "Insufficient cpu": 2}, "fewer than 6 CPUs"),
    ({**FAILED, "untolerated taint": 1}, "not the only tainted"),
    ({**FAILED, "Insufficient memory": 5}, "before their memory"),
    ({**FAILED, "untolerated taint": None}, "Replace None"),
    # the counts are of nodes per reason, and a number in quotes is told to drop them
    ({**FAILED, "untolerated taint": "2"}, "Drop the quotes"),
    ({"Insufficient cpu": 3}, "starter"),
])
def test_failed_scheduling_hints(answer: object, hint: str) -> None:
    feedback = check_failed_scheduling(answer)
    assert not feedback.passed and hint in feedback.hint, feedback


@pytest.mark.parametrize("extra", ["", SELECTOR + TOLERATE])
def test_gpu_pod_bound_by_node_name_is_rejected_as_bypassing_the_scheduler(extra) -> None:
    feedback = check_gpu_pod(POD + "  nodeName: gpu-1\n" + extra)
    assert not feedback.passed and "scheduler never sees" in feedback.message
    assert "remove nodeName" in feedback.hint


@pytest.mark.parametrize(("spec", "hint"), [
    # kubectl label's form in a nodeSelector (a newcomer trial of Part II)
    ("  nodeSelector: {accelerator=nvidia}\n" + TOLERATE, "written key: value"),
    ("  nodeSelector:\n    - accelerator=nvidia\n" + TOLERATE, "written key: value"),
    # another orchestrator's word for steering a task
    ("  constraints: [[accelerator, CLUSTER, nvidia]]\n", "Marathon's (and Swarm's) word"),
    ("  placement:\n    constraints: [node.labels.accelerator==nvidia]\n", "Swarm's word"),
])
def test_gpu_pod_slips_of_another_form(spec: str, hint: str) -> None:
    feedback = check_gpu_pod(POD.replace("spec:\n", "spec:\n" + spec))
    assert not feedback.passed and hint in feedback.hint, feedback
