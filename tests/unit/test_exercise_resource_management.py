"""Checks of the resource management exercises: each typical wrong answer gets its hint."""

from __future__ import annotations

import json

import pytest

from clustersim.exercises.resource_management import (
    SPIKE,
    autoscaling_cluster,
    check_eviction,
    check_hpa_replicas,
    check_preemption,
    check_qos_classes,
    check_scale_down_behavior,
    rescale_steps,
)
from tests.conftest import ROOT

QOS = {"cache": "Guaranteed", "web": "Burstable", "batch": "Burstable", "debug": "BestEffort"}


@pytest.mark.parametrize(("answer", "hint"), [
    ({**QOS, "cache": "Burstable"}, "API defaulting"),
    ({**QOS, "web": "Guaranteed"}, "log-shipper"),
    ({**QOS, "batch": "Guaranteed"}, "Requests without limits"),
    ({**QOS, "debug": "Burstable"}, "at least one container"),
    ({**QOS, "debug": " BURSTABLE"}, "at least one container"),
    # the class in two words is read, then spelt as the API spells it
    ({**QOS, "debug": "best-effort"}, "one word"),
    ({**QOS, "web": "Best Effort"}, "nginx does"),
    ({**QOS, "cache": "system-cluster-critical"}, "PriorityClass"),
    ({**QOS, "cache": "High"}, "PriorityClass"),
    ({**QOS, "debug": "None"}, "Every Pod has a QoS class"),
    ({**QOS, "web": None}, "Write Guaranteed"),
    ({"cache": "Guaranteed"}, "starter"),
])
def test_qos_hints(answer, hint):
    feedback = check_qos_classes(answer)
    assert not feedback.passed and hint in feedback.hint


@pytest.mark.parametrize("pod", list(QOS))
@pytest.mark.parametrize("wrong", ["Guaranteed", "Burstable", "BestEffort"])
def test_a_qos_hint_does_not_name_the_right_class(pod, wrong):
    """debug labelled Burstable was told "that is BestEffort": the answer."""
    if wrong == QOS[pod]:
        return
    feedback = check_qos_classes({**QOS, pod: wrong})
    assert not feedback.passed and QOS[pod] not in feedback.hint


def test_qos_right():
    assert check_qos_classes(QOS).passed
    assert check_qos_classes({pod: f" {qos} " for pod, qos in QOS.items()}).passed


def test_a_right_class_in_another_case_is_refused_with_the_apis_spelling():
    """status.qosClass is an enum compared exactly (PodQOSClass): "guaranteed" is the right
    class, spelt as the API never writes it."""
    feedback = check_qos_classes({pod: qos.lower() for pod, qos in QOS.items()})
    assert not feedback.passed
    assert "case-sensitive" in feedback.hint and "'Guaranteed'" in feedback.hint


@pytest.mark.parametrize(("answer", "hint"), [
    ({"busy": 5, "quiet": 4}, "rounds up"),            # floor or round of 5.4
    ({"busy": 6, "quiet": 3}, "rounds up"),            # floor of 3.33
    ({"busy": 4, "quiet": 4}, "tolerance"),
    ({"busy": 140, "quiet": 4}, "looks like a percentage"),     # the ratio 1.35 as 135%
    ({"busy": 6, "quiet": 83}, "utilisation is 50%"),
    ({"busy": 3, "quiet": 4}, "summed over the ready Pods"),
    ({"busy": 6, "quiet": "4"}, "whole number"),
    ({"busy": 6}, "starter"),
])
def test_hpa_hints(answer, hint):
    feedback = check_hpa_replicas(answer)
    assert not feedback.passed and hint in feedback.hint


def test_hpa_right():
    assert check_hpa_replicas({"busy": 6, "quiet": 4}).passed


def test_hpa_right_as_whole_floats_and_numpy_scalars():
    """numpy.ceil gives 6.0 and numpy sums give numpy.int64: whole numbers, so right."""
    numpy = pytest.importorskip("numpy")
    assert check_hpa_replicas({"busy": 6.0, "quiet": 4.0}).passed
    assert check_hpa_replicas({"busy": numpy.int64(6), "quiet": numpy.ceil(3.4)}).passed
    assert not check_hpa_replicas({"busy": 5.4, "quiet": 4}).passed
    assert "not a number of replicas" in check_hpa_replicas({"busy": float("inf"),
                                                             "quiet": 4}).message


@pytest.mark.parametrize(("behavior", "hint"), [
    ({"scaleDown": {}}, "stabilizationWindowSeconds (default 300)"),
    ({"scaleDown": {"stabilizationWindowSeconds": 60}}, "Limit the rate"),
    ({"scaleDown": {"policies": [{"type": "Pods", "value": 2, "periodSeconds": 60}]}},
     "make it shorter"),
    ({"scaleDown": {"stabilizationWindowSecond": 60}}, "The fields are"),
    ({"scaledown": {}}, "camelCase"),
    ({"scaleDown": {"stabilizationWindowSeconds": -5}}, "camelCase"),
    ("fast", "Start from"),
    ({"scaleDown": {"stabilizationWindowSeconds": 60}, "scaleUp": None}, "Leave scaleUp out"),
    # an empty policy list is refused by the API server; a null one takes the defaults
    ({"scaleDown": {"stabilizationWindowSeconds": 60, "policies": []}}, "Fix the field"),
    ({"scaleDown": {"stabilizationWindowSeconds": 60, "policies": None}}, "Limit the rate"),
    # Disabled turns scaling down off: a shorter window would not help
    ({"scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Disabled"}},
     "turns scaling down off"),
])
def test_behavior_hints(behavior, hint):
    feedback = check_scale_down_behavior(behavior)
    assert not feedback.passed and hint in feedback.hint


def test_a_refused_behavior_is_named_as_the_learners_not_as_data():
    """The loader's message began '<data>, [1].spec.behavior...': the check loads the
    learner's HorizontalPodAutoscaler alone, under its own name."""
    feedback = check_scale_down_behavior({"scaleDown": {"stabilizationWindowSeconds": -5}})
    assert feedback.message.startswith("It does not load: your HorizontalPodAutoscaler, "
                                       "spec.behavior.scaleDown.stabilizationWindowSeconds: ")
    assert "<data>" not in feedback.message and "[1]" not in feedback.message


def test_behavior_right_and_percent_policy_also_right():
    window = {"stabilizationWindowSeconds": 60}
    assert check_scale_down_behavior({"scaleDown": {
        **window, "policies": [{"type": "Pods", "value": 2, "periodSeconds": 60}]}}).passed
    assert check_scale_down_behavior({"scaleDown": {
        **window, "policies": [{"type": "Pods", "value": 1, "periodSeconds": 30}]}}).passed


@pytest.mark.parametrize(("answer", "hint"), [
    ({"node": "node-3", "victims": ["f", "g"]}, "puts them back one by one"),
    ({"node": "node-3", "victims": ["g"]}, "less than 3 CPU free"),
    ({"node": "node-1", "victims": ["b", "c"]}, "sum of the victims' priorities"),
    ({"node": "node-2", "victims": ["d", "e"]}, "most important victim"),
    ({"node": "node-9", "victims": ["f"]}, "Answer with one of: 'node-1'"),
    ({"node": None, "victims": []}, "Replace None with the node's name"),
    ({"node": "node-3", "victims": "f"}, "Pod names as strings"),
    ({"node": "node-3"}, "starter"),
    ({"node": "node-3", "victims": ["f", "f"]}, "once"),          # not "does not free 3 CPU"
    ({"node": "node-3", "victims": ["z"]}, "The Pods are a, b, c"),   # no such Pod
    ({"node": "node-3", "victims": ["b"]}, "node-3 runs f, g"),   # not on that node
    ({"node": "node-3", "victims": ["f", "b"]}, "node-3 runs f, g"),
])
def test_preemption_hints(answer, hint):
    feedback = check_preemption(answer)
    assert not feedback.passed and hint in feedback.hint


def test_preemption_right():
    assert check_preemption({"node": "node-3", "victims": ["f"]}).passed


def test_preemption_and_eviction_read_names_as_the_other_checks_do():
    """check_preemption refused {"node": "Node-3"} and check_eviction answered ["batch "] with
    "There is no Pod 'batch '", where the other checks read names trimmed and in any case
    (answers.listed, answers.choice)."""
    assert check_preemption({"node": " Node-3", "victims": ["F "]}).passed
    assert check_eviction(["Batch "]).passed
    assert check_eviction(("batch",)).passed


@pytest.mark.parametrize(("answer", "hint"), [
    (["api"], "use *above the request*"),
    (["worker"], "QoS class is not one of the keys"),
    (["batch", "api"], "one Pod per 10 s cycle"),
    ([], "must evict"),
    (["db"], "The Pods are"),
    ("batch", "in square brackets"),
    ({"batch"}, "in order"),
])
def test_eviction_hints(answer, hint):
    feedback = check_eviction(answer)
    assert not feedback.passed and hint in feedback.hint


def test_eviction_shape_hint_reads_well():
    """The hint had read "Write the Pod names, first evicted first as strings"."""
    feedback = check_eviction("batch")
    assert feedback.hint == ("Write the Pod names (in eviction order) as strings, in square "
                             "brackets.")


def test_eviction_right():
    assert check_eviction(["batch"]).passed


def test_the_notebook_describes_the_spike_as_the_run_has_it():
    """Exercise 3 said 'nine minutes of load' (the load holds 3 CPU from 120 to 600 s) and
    'within a minute' (the first rescale is at 75 s)."""
    cells = json.loads((ROOT / "exercises" / "resource-management.ipynb").read_text("utf-8"))
    [text] = [" ".join("".join(c["source"]).split()) for c in cells["cells"]
              if "Exercise 3: scale down" in "".join(c["source"])]
    steps = rescale_steps(autoscaling_cluster())
    held = [time for time, cpu in SPIKE if cpu == "3"]
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    minutes = words[int(held[-1] - held[0]) // 60]
    assert f"by {held[0]:g} s, {minutes} minutes at 3 CPU (to {held[-1]:g} s)" in text
    assert f"starts scaling up at {steps[0][0]:g} s" in text
    assert f"reaches 10 replicas at {next(t for t, n in steps if n == 10):g} s" in text
