"""The HorizontalPodAutoscaler loop against a Deployment, with metrics from a load curve.

Timing and wording follow pkg/controller/podautoscaler/horizontal.go: a sync every 15 s, a
300 s downscale stabilisation window, scale-up at most max(2 * current, 4) without
``behavior``, ``New size: N; reason: ...`` events."""

from __future__ import annotations

import itertools
import re

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllers.horizontal import behavior_defaults
from clustersim.kubernetes.metrics import LoadCurve


def deployment(replicas=2, cpu="500m", limit=None):
    resources = {"requests": {"cpu": cpu}} if cpu else {}
    if limit:
        resources["limits"] = {"cpu": limit}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "app", "image": "nginx",
                                                           "resources": resources}]}}}}


def hpa(min_replicas=2, max_replicas=10, target=50, behavior=None, metrics=None):
    spec = {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": min_replicas, "maxReplicas": max_replicas,
            "metrics": metrics or [{"type": "Resource", "resource": {
                "name": "cpu", "target": {"type": "Utilization",
                                         "averageUtilization": target}}}]}
    if behavior is not None:
        spec["behavior"] = behavior
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"}, "spec": spec}


def run(load, until, **options):
    cluster = KubernetesCluster(Node.many(4, "node", cpu="4", memory="16Gi"), seed=0)
    cluster.apply([deployment(**options.pop("deployment", {})), hpa(**options)])
    cluster.metrics.set_load("deployment", "web", load)
    cluster.run(until=until)
    return cluster


def sizes(cluster):
    return [(e.time, int(e.message.split(";")[0].split()[-1]))
            for e in cluster.events.where(reason="SuccessfulRescale")]


SPIKE = [(0, "400m"), (60, "400m"), (120, "3"), (600, "3"), (660, "400m")]


def test_load_curve_is_linear_and_flat_beyond_the_ends():
    curve = LoadCurve([(60, "1"), (0, 200)])
    assert [curve.at(t) for t in (-5, 0, 30, 60, 900)] == [200, 200, 600, 1000, 1000]
    with pytest.raises(ValueError, match=r"LoadCurve point 0 .*\(seconds, cpu\)"):
        LoadCurve([(0, "lots")])


def test_scale_up_follows_the_formula_and_the_scale_up_limit():
    cluster = run(SPIKE, 130)
    first = cluster.metrics.history("web")
    sample = next(s for s in first if s.desired != s.current)
    # t=75: demand 1050m over 2 Pods requesting 500m → 105% of a 50% target → ceil(2 * 2.1) = 5,
    # capped at max(2 * 2, 4) = 4 in one step
    assert (sample.time, sample.utilization, sample.desired) == (75.0, 105, 4)
    assert sizes(cluster) == [(75.0, 4), (90.0, 7), (105.0, 10)]
    [event] = cluster.events.where(reason="SuccessfulRescale")[:1]
    assert event.message == ("New size: 4; reason: cpu resource utilization (percentage of "
                             "request) above target")
    assert cluster.get("Deployment", "default", "web")["spec"]["replicas"] == 10   # max


def test_scale_down_waits_for_the_stabilization_window():
    cluster = run(SPIKE, 1200)
    downs = [(t, n) for t, n in sizes(cluster) if t > 200]
    high = [s.time for s in cluster.metrics.history("web") if s.time < 700 and
            s.utilization is not None and s.utilization > 55]
    assert downs and downs[0][0] > high[-1] + 300 - 15
    assert downs[-1][1] == 2                                  # back to minReplicas
    assert all(e.message.endswith("reason: All metrics below target")
               for e in cluster.events.where(reason="SuccessfulRescale")[3:])


def test_within_tolerance_nothing_changes():
    # 2 Pods using 1050m of the 1000m they request: 105% of a 100% target, within 10%
    cluster = run([(0, "1050m")], 300, target=100)
    assert sizes(cluster) == []


def test_an_hpa_sets_its_own_tolerance_per_direction():
    # KEP-4951 (GA in 1.37): 106% of a 100% target is within the default 10%, but not
    # within a scale-up tolerance of 50m (0.05); a scale-down tolerance of 0.7 holds the
    # count at 40%, which the default scales down to ceil(0.4 * 2) = 1
    up = {"scaleUp": {"tolerance": "50m"}}
    assert sizes(run([(0, "1060m")], 20, target=100)) == []
    assert sizes(run([(0, "1060m")], 20, target=100, behavior=up)) == [(15.0, 3)]
    quick = {"stabilizationWindowSeconds": 0}
    assert sizes(run([(0, "400m")], 20, target=100, min_replicas=1,
                     behavior={"scaleDown": quick})) == [(15.0, 1)]
    assert sizes(run([(0, "400m")], 20, target=100, min_replicas=1,
                     behavior={"scaleDown": {**quick, "tolerance": "0.7"}})) == []


def test_behavior_policy_limits_scale_down_rate():
    behavior = {"scaleDown": {"stabilizationWindowSeconds": 0,
                              "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}}
    cluster = run([(0, "4"), (200, "4"), (201, "200m")], 600, behavior=behavior)
    downs = [(t, n) for t, n in sizes(cluster) if t > 200]
    assert [n for _, n in downs][:3] == [9, 8, 7]             # from 10, one Pod a minute
    assert all(b - a >= 60 for (a, _), (b, _) in itertools.pairwise(downs))


def test_cpu_limit_throttles_what_metrics_report():
    # demand 4 CPU over 2 Pods, but each is limited to 600m: utilization 120%, not 400%
    cluster = run([(0, "4")], 20, deployment={"limit": "600m"})
    sample = next(s for s in cluster.metrics.history("web") if s.utilization is not None)
    assert sample.utilization == 120


def test_no_cpu_request_means_no_utilization():
    cluster = run([(0, "1")], 60, deployment={"cpu": None})
    [warning] = cluster.events.where(reason="FailedGetResourceMetric")[-1:]
    assert "missing request for cpu" in warning.message
    assert sizes(cluster) == []


def test_a_failed_metric_writes_the_current_replicas_and_an_empty_metric_status():
    # reconcileAutoscaler's error path: setCurrentReplicasAndMetricsInStatus with the
    # failed metric's zero MetricStatus
    cluster = run([(0, "1")], 60, deployment={"cpu": None})
    status = cluster.get("HorizontalPodAutoscaler", "default", "web")["status"]
    assert status["currentReplicas"] == 2
    assert status["currentMetrics"] == [{"type": ""}]


def test_unsupported_metric_is_a_clear_event():
    metrics = [{"type": "Resource", "resource": {"name": "memory", "target": {
        "type": "Utilization", "averageUtilization": 60}}}]
    cluster = run([(0, "1")], 30, metrics=metrics)
    [warning] = cluster.events.where(reason="FailedGetResourceMetric")[-1:]
    assert "supports only type: Resource, name: cpu" in warning.message


def test_replicas_below_min_are_raised_at_once():
    cluster = run([(0, "100m")], 20, deployment={"replicas": 1}, min_replicas=3)
    [event] = cluster.events.where(reason="SuccessfulRescale")
    assert event.message == "New size: 3; reason: Current number of replicas below " \
                            "Spec.MinReplicas"


def test_null_behavior_fields_take_the_defaults_as_unset_ones_do():
    """A null field is a nil Go pointer: copyHPAScalingRules keeps the default. It used to
    reach the rate policy loop as None and crash the run with a TypeError."""
    unset = run(SPIKE, 1200, behavior={"scaleDown": {"stabilizationWindowSeconds": 60}})
    null = run(SPIKE, 1200, behavior={"scaleDown": {"stabilizationWindowSeconds": 60,
                                                    "policies": None, "selectPolicy": None},
                                      "scaleUp": {"stabilizationWindowSeconds": None}})
    assert sizes(null) == sizes(unset) != []


PODS_4 = {"type": "Pods", "value": 4, "periodSeconds": 15}
PERCENT_100 = {"type": "Percent", "value": 100, "periodSeconds": 15}


@pytest.mark.parametrize("given, up", [
    (None, {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
            "policies": [PODS_4, PERCENT_100]}),
    ({"stabilizationWindowSeconds": 25, "selectPolicy": "Max",
      "policies": [{"type": "Pods", "value": 1, "periodSeconds": 2},
                   {"type": "Percent", "value": 3, "periodSeconds": 4}]}, None),
    ({"selectPolicy": "Min", "policies": [{"type": "Pods", "value": 1, "periodSeconds": 2}]},
     {"stabilizationWindowSeconds": 0, "selectPolicy": "Min",
      "policies": [{"type": "Pods", "value": 1, "periodSeconds": 2}]}),
    ({"stabilizationWindowSeconds": 25,
      "policies": [{"type": "Percent", "value": 7, "periodSeconds": 60}]},
     {"stabilizationWindowSeconds": 25, "selectPolicy": "Max",
      "policies": [{"type": "Percent", "value": 7, "periodSeconds": 60}]}),
])
def test_scale_up_rules_are_filled_as_upstream_fills_them(given, up):
    """Cases of ``TestGenerateScaleUpRules`` (pkg/apis/autoscaling/v2/defaults_test.go);
    ``None`` expected: the rules as given."""
    assert behavior_defaults({"scaleUp": given})["scaleUp"] == (up or given)


@pytest.mark.parametrize("given, down", [
    (None, {"selectPolicy": "Max", "policies": [PERCENT_100]}),
    ({"selectPolicy": "Min", "policies": [{"type": "Percent", "value": 1, "periodSeconds": 2}]},
     {"selectPolicy": "Min", "policies": [{"type": "Percent", "value": 1, "periodSeconds": 2}]}),
    ({"policies": [{"type": "Pods", "value": 3, "periodSeconds": 4}], "tolerance": "0.05"},
     {"selectPolicy": "Max", "policies": [{"type": "Pods", "value": 3, "periodSeconds": 4}],
      "tolerance": "0.05"}),
    ({"stabilizationWindowSeconds": 25, "selectPolicy": None},
     {"stabilizationWindowSeconds": 25, "selectPolicy": "Max", "policies": [PERCENT_100]}),
])
def test_scale_down_rules_are_filled_but_leave_the_window_to_the_controller(given, down):
    """``TestGenerateScaleDownRules``: the stabilization window stays unset (the controller
    takes ``--horizontal-pod-autoscaler-downscale-stabilization``, 300 s); a null field is
    unset. Fields come in Go's order, as the API encodes them."""
    filled = behavior_defaults({"scaleDown": given})["scaleDown"]
    assert filled == down
    assert list(filled) == [f for f in ("stabilizationWindowSeconds", "selectPolicy",
                                        "policies", "tolerance") if f in down]


def test_the_default_policies_are_fresh_copies():
    first = behavior_defaults({})
    first["scaleUp"]["policies"][0]["value"] = 99
    first["scaleDown"]["policies"].clear()
    assert behavior_defaults({}) == {
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                    "policies": [PODS_4, PERCENT_100]},
        "scaleDown": {"selectPolicy": "Max", "policies": [PERCENT_100]}}


def test_an_empty_policy_list_is_refused_as_the_api_server_does():
    """validateScalingRules: 'must specify at least one Policy'."""
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="16Gi"), seed=0)
    with pytest.raises(ValueError, match="must specify at least one Policy"):
        cluster.apply(hpa(behavior={"scaleDown": {"policies": []}}))


def _conditions(cluster):
    autoscaler = cluster.get("HorizontalPodAutoscaler", "default", "web")
    return [(c["type"], c["status"], c["reason"]) for c in autoscaler["status"]["conditions"]]


def test_conditions_in_upstreams_order_and_reasons():
    """AbleToScale, ScalingActive, ScalingLimited as horizontal.go sets them (kubectl describe
    hpa showed AbleToScale with no message and no ScalingLimited)."""
    steady = run([(0, "400m")], 60)
    assert _conditions(steady) == [("AbleToScale", "True", "ReadyForNewScale"),
                                   ("ScalingActive", "True", "ValidMetricFound"),
                                   ("ScalingLimited", "False", "DesiredWithinRange")]
    capped = run([(0, "5")], 20, max_replicas=3)         # 5 CPUs at 50% of 500m wants 20
    assert [n for _, n in sizes(capped)] == [3]
    assert _conditions(capped) == [("AbleToScale", "True", "SucceededRescale"),
                                   ("ScalingActive", "True", "ValidMetricFound"),
                                   ("ScalingLimited", "True", "TooManyReplicas")]
    rated = run([(0, "5")], 20)                           # at most max(2 * 2, 4) at once
    assert [n for _, n in sizes(rated)] == [4]
    assert _conditions(rated)[2] == ("ScalingLimited", "True", "ScaleUpLimit")
    stabilized = run([(0, "3"), (100, "3"), (101, "400m")], 130)
    assert _conditions(stabilized)[0] == ("AbleToScale", "True", "ScaleDownStabilized")


@pytest.mark.parametrize("requests, expected", [
    ([{"cpu": "300m", "memory": "64Mi"}, {"cpu": "100m"}], [(751, 64 * 2**20), (250, 0)]),
    ([{}, {}], [(501, 0), (500, 0)]),
])
def test_container_use_shares_the_pods_cpu_by_request_and_reports_the_memory_request(
        requests, expected):
    """What the served metrics.k8s.io API reports per container: the Pod's CPU shared by
    CPU request (evenly without requests, the rounding to the first), adding up to the
    Pod's; memory is the container's request (memory use is not simulated)."""
    web = deployment(replicas=1, cpu=None)
    web["spec"]["template"]["spec"]["containers"] = [
        {"name": f"c{i}", "image": "nginx", "resources": {"requests": r}}
        for i, r in enumerate(requests)]
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="16Gi"), seed=0)
    cluster.apply([web])
    cluster.metrics.set_load("deployment", "web", [(0, "1001m")])
    cluster.run(until=30)
    [pod] = cluster.objects("Pod")
    usage = cluster.metrics.containers(pod)
    assert [(u.name, u.cpu, u.memory) for u in usage] == [
        (f"c{i}", cpu, memory) for i, (cpu, memory) in enumerate(expected)]
    assert sum(u.cpu for u in usage) == cluster.metrics.pod_cpu(pod)


@pytest.mark.parametrize("behavior", [None, {}])
def test_a_new_hpa_starts_its_history_with_the_current_replicas(behavior):
    """``reconcileAutoscaler`` calls ``recordInitialRecommendation(currentReplicas, key)``
    first: a new HPA over 5 idle Pods keeps 5 until that first recommendation, made at its
    first sync (second 0, when its Pods have no metrics yet), leaves the 300 s scale-down
    window, with or without ``behavior`` (it had scaled 5 → 2 at its first metrics, 15 s)."""
    cluster = run([(0, "0")], 400, deployment={"replicas": 5}, behavior=behavior)
    held = [s for s in cluster.metrics.history("web") if s.time < 300]
    assert held and all(s.current == s.desired == 5 for s in held)
    assert sizes(cluster)[0] == (300.0, 2)


def test_two_hpas_over_one_deployment_scale_nothing():
    """``validateAndParseSelector``: Pods selected by the targets of two HPAs make each HPA
    refuse with ``AmbiguousSelector`` (ScalingActive False, the Warnings
    ``AmbiguousSelector`` and ``FailedComputeMetricsReplicas`` in upstream's words), and
    neither scales (both had scaled the Deployment as if alone)."""
    cluster = KubernetesCluster(Node.many(4, "node", cpu="4", memory="16Gi"), seed=0)
    second = hpa()
    second["metadata"]["name"] = "web-too"
    cluster.apply([deployment(), hpa(), second])
    cluster.metrics.set_load("deployment", "web", SPIKE)
    cluster.run(until=300)
    assert sizes(cluster) == []
    assert cluster.get("Deployment", "default", "web")["spec"]["replicas"] == 2
    message = ("pods by selector app=web are controlled by multiple HPAs: "
               "[default/web default/web-too]")
    for name in ("web", "web-too"):
        one = cluster.get("HorizontalPodAutoscaler", "default", name)
        active = next(c for c in one["status"]["conditions"] if c["type"] == "ScalingActive")
        assert (active["status"], active["reason"], active["message"]) == (
            "False", "AmbiguousSelector", message)
        # recorded at every sync once the Pods exist (at second 0 there are none, and the
        # metric fails); the correlator counts the repeats of one message
        ambiguous = cluster.events_about(one, "AmbiguousSelector")
        assert len(ambiguous) > 1
        assert {(e.type, e.message) for e in ambiguous} == {("Warning", message)}
        failed = cluster.events_about(one, "FailedComputeMetricsReplicas")
        assert (failed[-1].type, failed[-1].message) == ("Warning", message)


def test_an_ambiguous_selector_clears_the_metrics_read_before():
    """``validateAndParseSelector`` fails before any metric is read, and
    ``setCurrentReplicasAndMetricsInStatus(hpa, currentReplicas, nil)`` clears
    ``currentMetrics``: an HPA that had read its Pods loses them once a second HPA arrives."""
    cluster = KubernetesCluster(Node.many(4, "node", cpu="4", memory="16Gi"), seed=0)
    cluster.apply([deployment(), hpa()])
    cluster.metrics.set_load("deployment", "web", [(0, "1")])
    cluster.run(until=60)
    first = cluster.get("HorizontalPodAutoscaler", "default", "web")
    assert first["status"]["currentMetrics"][0]["type"] == "Resource"
    second = hpa()
    second["metadata"]["name"] = "web-too"
    cluster.apply([second])
    cluster.run(until=120)
    status = cluster.get("HorizontalPodAutoscaler", "default", "web")["status"]
    assert "currentMetrics" not in status
    assert status["currentReplicas"] == cluster.get("Deployment", "default", "web")["spec"][
        "replicas"]


def test_an_ambiguous_replication_controller_names_its_map_selector_sorted():
    """The RC's scale subresource gives ``labels.SelectorFromSet(rc.Spec.Selector).String()``:
    its map as requirements sorted by key (the simulator had printed ``<none>``)."""
    rc = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
          "spec": {"replicas": 2, "selector": {"tier": "front", "app": "rc"},
                   "template": {"metadata": {"labels": {"app": "rc", "tier": "front"}},
                                "spec": {"containers": [{"name": "app", "image": "nginx",
                                                         "resources": {"requests": {
                                                             "cpu": "500m"}}}]}}}}
    hpas = [hpa(), hpa()]
    for one, name in zip(hpas, ("a", "b"), strict=True):
        one["metadata"]["name"] = name
        one["spec"]["scaleTargetRef"] = {"apiVersion": "v1", "kind": "ReplicationController",
                                         "name": "rc"}
    cluster = KubernetesCluster(Node.many(2, "node", cpu="4", memory="16Gi"), seed=0)
    cluster.apply([rc, *hpas])
    cluster.run(until=30)
    events = cluster.events_about(cluster.get("HorizontalPodAutoscaler", "default", "a"),
                                  "AmbiguousSelector")
    assert {event.message for event in events} == {
        "pods by selector app=rc,tier=front are controlled by multiple HPAs: [default/a "
        "default/b]"}


def _scaled_after_a_minute(replicas, until=90):
    """An HPA (2 to 10) that read its Pods' metrics for a minute, then its Deployment
    scaled by hand to ``replicas`` and run on to ``until``."""
    cluster = run([(0, "400m")], 60)
    assert cluster.get("HorizontalPodAutoscaler", "default", "web")["status"][
        "currentMetrics"][0]["type"] == "Resource"
    cluster.scale("Deployment", "web", replicas)
    cluster.run(until=until)
    return cluster, cluster.get("HorizontalPodAutoscaler", "default", "web")["status"]


def test_replicas_above_max_read_no_metric_and_clear_the_metrics_read_before():
    """``reconcileAutoscaler`` outside [minReplicas, maxReplicas] skips
    ``computeReplicasForMetrics``, and ``setStatus`` writes its nil ``metricStatuses``:
    ``currentMetrics`` goes (the simulator had kept the last ones read)."""
    cluster, status = _scaled_after_a_minute(12, until=80)
    assert "currentMetrics" not in status
    assert (status["currentReplicas"], status["desiredReplicas"]) == (12, 10)
    [event] = cluster.events.where(reason="SuccessfulRescale")
    assert event.message == ("New size: 10; reason: Current number of replicas above "
                             "Spec.MaxReplicas")


def test_a_target_scaled_to_zero_disables_scaling_and_zeroes_the_status():
    """``currentReplicas == 0``: ScalingActive False ``ScalingDisabled`` and
    ``setStatus(hpa, 0, 0, nil, false)`` (the simulator had left the last status)."""
    cluster, status = _scaled_after_a_minute(0)
    assert (status["currentReplicas"], status["desiredReplicas"]) == (0, 0)
    assert "currentMetrics" not in status
    assert _conditions(cluster)[1] == ("ScalingActive", "False", "ScalingDisabled")


def test_a_failed_metric_warns_twice_in_upstreams_words_and_order():
    """``computeStatusForResourceMetric`` records ``FailedGetResourceMetric``, then
    ``reconcileAutoscaler`` ``FailedComputeMetricsReplicas`` with the error as
    ``computeReplicasForMetric(s)`` wrap it; ScalingActive's message says it could not
    compute the count. Both at every sync: the correlator counts the repeats."""
    cluster = run([(0, "1")], 60, deployment={"cpu": None})
    autoscaler = cluster.get("HorizontalPodAutoscaler", "default", "web")
    warnings = cluster.events.where(type="Warning", uid=autoscaler["metadata"]["uid"])
    assert [e.reason for e in warnings[-2:]] == ["FailedGetResourceMetric",
                                                 "FailedComputeMetricsReplicas"]
    got, computed = warnings[-2].message, warnings[-1].message
    assert re.fullmatch("failed to get cpu utilization: missing request for cpu in container "
                        "app of Pod web-[0-9a-f]+-[0-9a-z]{5}", got)
    assert computed == ("invalid metrics (1 invalid out of 1), first error is: failed to get "
                        f"cpu resource metric value: {got}")
    active = next(c for c in autoscaler["status"]["conditions"] if c["type"] == "ScalingActive")
    assert active["message"] == f"the HPA was unable to compute the replica count: {got}"
    assert len(cluster.events_about(autoscaler, "FailedGetResourceMetric")) > 1


def test_a_native_sidecar_without_a_cpu_request_stops_the_autoscaler():
    """``calculatePodRequests`` reads the restartable init containers too: a sidecar that
    requests no CPU is a missing request, named, where the simulator had summed the Pod's
    requests and scaled on the app container's alone. A CPU limit alone is a request (the
    API server copies it), so a limited sidecar lets it scale."""
    bare, limited = ({"name": "proxy", "image": "envoy", "restartPolicy": "Always",
                      "resources": resources} for resources in ({}, {"limits": {"cpu": "1"}}))
    outcomes = []
    for sidecar in (bare, limited):
        cluster = KubernetesCluster(Node.many(4, "node", cpu="8", memory="16Gi"), seed=0)
        web = deployment()
        web["spec"]["template"]["spec"]["initContainers"] = [sidecar]
        cluster.apply([web, hpa()])
        cluster.metrics.set_load("deployment", "web", [(0, "5")])
        cluster.run(until=30)
        failed = cluster.events.where(reason="FailedGetResourceMetric")
        outcomes.append((sizes(cluster) != [], failed[-1].message if failed else ""))
    assert outcomes[0][0] is False
    assert re.search("missing request for cpu in container proxy of Pod web-", outcomes[0][1])
    assert outcomes[1][0] is True


@pytest.mark.parametrize(("api_version", "kind", "error"), [
    ("apps/v1", "Deployment", 'deployments/scale.apps "web" not found'),
    ("v1", "ReplicationController", 'replicationcontrollers/scale "web" not found'),
])
def test_a_missing_target_is_the_scale_subresources_not_found(api_version, kind, error):
    """``ScaleREST.Get`` answers ``NewNotFound(apps.Resource("deployments/scale"), name)``,
    its resource qualified by the group; AbleToScale's message says what failed (the
    simulator had left out the group and the condition's words)."""
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="16Gi"), seed=0)
    lost = hpa()
    lost["spec"]["scaleTargetRef"] = {"apiVersion": api_version, "kind": kind, "name": "web"}
    cluster.apply([lost])
    cluster.run(until=20)
    autoscaler = cluster.get("HorizontalPodAutoscaler", "default", "web")
    assert {e.message for e in cluster.events_about(autoscaler, "FailedGetScale")} == {error}
    [able] = autoscaler["status"]["conditions"]
    assert (able["type"], able["status"], able["message"]) == (
        "AbleToScale", "False",
        f"the HPA controller was unable to get the target's current scale: {error}")
