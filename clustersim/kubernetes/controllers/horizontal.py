"""The HorizontalPodAutoscaler controller (autoscaling/v2) for CPU utilisation targets.

Upstream: kubernetes/kubernetes ``pkg/controller/podautoscaler/horizontal.go``
(``reconcileAutoscaler``, ``normalizeDesiredReplicas``, ``stabilizeRecommendation``,
``convertDesiredReplicasWithRules``, ``normalizeDesiredReplicasWithBehaviors``,
``stabilizeRecommendationWithBehaviors``, ``convertDesiredReplicasWithBehaviorRate``) and the
defaults in ``pkg/apis/autoscaling/v2/defaults.go``. Docs:
https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/

Every 15 s (``--horizontal-pod-autoscaler-sync-period``) each HPA reads its target's
``spec.replicas`` and Pods, asks :mod:`~clustersim.kubernetes.controllers.replica_calculator`
for a proposal from the CPU use that :mod:`~clustersim.kubernetes.metrics` reports, and
smooths it:

- without ``spec.behavior``: the highest proposal of the last 300 s when scaling down
  (``--horizontal-pod-autoscaler-downscale-stabilization``), and at most
  ``max(2 * current, 4)`` when scaling up;
- with ``spec.behavior`` (defaults filled in as the API server does, :func:`behavior_defaults`,
  which the served object shows too): the lowest proposal of
  ``scaleUp.stabilizationWindowSeconds`` (0) and highest of ``scaleDown...`` (left unset by
  the API server; the controller takes the flag's 300 s, ``maybeInitScaleDownStabilizationWindow``),
  then the rate policies (scale-up: 4 Pods or 100% per 15 s, the larger; scale-down: 100% per
  15 s);
- always within ``minReplicas`` (default 1) and ``maxReplicas``.

The history of recommendations starts, at an HPA's first sync that reads its target, with the
target's current replicas stamped with that sync's time (``recordInitialRecommendation``,
called first in ``reconcileAutoscaler``): a new HPA over 5 idle Pods keeps 5 for the 300 s
scale-down window before it scales down.

A change writes the target's ``spec.replicas`` and the event ``SuccessfulRescale`` ("New size:
5; reason: cpu resource utilization (percentage of request) above target"). Without metrics it
records ``FailedGetResourceMetric``, then ``FailedComputeMetricsReplicas`` (the error wrapped as
"invalid metrics (1 invalid out of 1), first error is: ..."), and changes nothing. Both
refusals (no metrics, an ambiguous selector) write ``status.currentReplicas`` and replace
``status.currentMetrics`` as ``setCurrentReplicasAndMetricsInStatus`` does on
``reconcileAutoscaler``'s error path (kubernetes/kubernetes
``pkg/controller/podautoscaler/horizontal.go``): an ambiguous selector fails before any metric
is read and clears them; a failed metric leaves its entry empty. A target outside
[minReplicas, maxReplicas] is brought inside without reading a metric, and one at 0 replicas
is not scaled (``ScalingDisabled``): ``setStatus`` then writes no ``currentMetrics``. Every
refusal is recorded at every sync, through the event correlator, which counts the repeats.

The tolerances: ``behavior.scaleUp.tolerance`` and ``behavior.scaleDown.tolerance`` where the
HPA sets them, else ``--horizontal-pod-autoscaler-tolerance`` (0.1) for that direction
(``tolerancesForHpa``; KEP-4951, GA in Kubernetes 1.37).

Simplified: only ``Resource`` metrics for ``cpu`` with a ``Utilization`` target (upstream also
has memory, AverageValue, container, Pods, Object and External metrics).

Conditions as upstream sets them, in its order: ``AbleToScale`` (``SucceededGetScale`` once the
target is read, then ``ReadyForNewScale``, ``ScaleUpStabilized``/``ScaleDownStabilized`` when
the stabilization window changed the proposal, ``SucceededRescale`` after a change),
``ScalingActive`` (``ValidMetricFound``; False with ``AmbiguousSelector`` and the Warnings
``AmbiguousSelector`` and ``FailedComputeMetricsReplicas``, no scaling, while another HPA's
target selects the same Pods: :meth:`HorizontalController._ambiguous`) and ``ScalingLimited``
(``DesiredWithinRange``, or True with ``TooManyReplicas``, ``TooFewReplicas``,
``ScaleUpLimit``, ``ScaleDownLimit``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.controllers.replica_calculator import (
    DEFAULT_TOLERANCE,
    PodMetric,
    Tolerances,
    average_usage,
    resource_replicas,
)
from clustersim.kubernetes.metrics import AutoscalerSample
from clustersim.kubernetes.nodeinfo import pod_requests
from clustersim.kubernetes.objects import (
    count_generation,
    format_selector,
    is_ready,
    is_terminating,
    labels_of,
    selector_matches,
    set_condition,
)
from clustersim.quantity import format_quantity, parse_quantity

__all__ = ["SYNC_PERIOD", "HorizontalController", "behavior_defaults"]

SYNC_PERIOD = 15.0
DOWNSCALE_STABILIZATION = 300
DEFAULT_UTILIZATION = 80
"""autoscaling/v2 defaulting: an HPA without metrics targets 80% CPU utilisation."""
METRIC_NAME = "cpu resource utilization (percentage of request)"


def _set_fields(rules: dict[str, Any] | None) -> dict[str, Any]:
    """The fields of ``rules`` that are set: a null one is unset, as for the API server's Go
    pointers (``copyHPAScalingRules`` in ``pkg/apis/autoscaling/v2/defaults.go`` copies only
    non-nil fields)."""
    return {key: value for key, value in (rules or {}).items() if value is not None}


_RULE_FIELDS = ("stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance")
"""``HPAScalingRules``' fields in the order Go declares (and encodes) them."""
_SCALE_UP: dict[str, Any] = {
    "stabilizationWindowSeconds": 0, "selectPolicy": "Max",
    "policies": ({"type": "Pods", "value": 4, "periodSeconds": 15},
                 {"type": "Percent", "value": 100, "periodSeconds": 15})}
_SCALE_DOWN: dict[str, Any] = {   # no stabilizationWindowSeconds: the controller's flag decides
    "selectPolicy": "Max", "policies": ({"type": "Percent", "value": 100, "periodSeconds": 15},)}


def _rules(rules: dict[str, Any] | None, defaults: dict[str, Any]) -> dict[str, Any]:
    """``GenerateHPAScaleUpRules``/``GenerateHPAScaleDownRules``: ``copyHPAScalingRules`` of
    the set fields over a fresh copy of the defaults."""
    given = _set_fields(rules)
    filled = {**defaults, **given}
    if "policies" not in given:
        filled["policies"] = [dict(policy) for policy in defaults["policies"]]
    return {field: filled[field] for field in _RULE_FIELDS if field in filled}


def behavior_defaults(behavior: dict[str, Any]) -> dict[str, Any]:
    """A ``spec.behavior`` as the API server stores it
    (``SetDefaults_HorizontalPodAutoscalerBehavior`` in kubernetes/kubernetes
    ``pkg/apis/autoscaling/v2/defaults.go``): both directions, each
    field the HPA leaves unset (or null) at its default: scale-up with no stabilization
    window, 4 Pods or 100% per 15 s, ``selectPolicy: Max``; scale-down 100% per 15 s,
    ``selectPolicy: Max`` and no ``stabilizationWindowSeconds`` (upstream leaves it unset, and
    ``defaults_test.go`` checks that it stays nil, so that the controller's
    ``--horizontal-pod-autoscaler-downscale-stabilization`` applies). A new dict."""
    return {"scaleUp": _rules(behavior.get("scaleUp"), _SCALE_UP),
            "scaleDown": _rules(behavior.get("scaleDown"), _SCALE_DOWN)}


def _tolerances(hpa: dict[str, Any]) -> Tolerances:
    """``tolerancesForHpa``: each direction's ``tolerance`` from ``spec.behavior`` where set
    (a quantity such as ``0.05`` or ``50m``, read as upstream's ``AsApproximateFloat64``),
    else ``--horizontal-pod-autoscaler-tolerance``."""
    behavior = hpa["spec"].get("behavior") or {}
    down, up = (_set_fields(behavior.get(key)).get("tolerance") for key in ("scaleDown", "scaleUp"))
    return Tolerances(
        DEFAULT_TOLERANCE if down is None else float(parse_quantity(down)),
        DEFAULT_TOLERANCE if up is None else float(parse_quantity(up)),
    )


def _set_condition(hpa: dict[str, Any], kind: str, status: bool, now: float, reason: str,
                   message: str) -> None:
    """``setConditionInList``: the HPA's condition of type ``kind`` takes ``reason`` and
    ``message`` at every call, its ``lastTransitionTime`` only when ``status`` flips (the
    shared :func:`~clustersim.kubernetes.objects.set_condition` leaves a condition of the
    same status and reason alone, as ``UpdatePodCondition`` does, which kept the first
    failed metric's message)."""
    set_condition(hpa, kind, status, now, reason, message)
    for written in hpa["status"]["conditions"]:
        if written["type"] == kind:
            written["message"] = message


def _unrequested(pod: dict[str, Any]) -> str | None:
    """The first container of ``pod`` (its containers, then its restartable init containers)
    that requests no CPU, as ``calculatePodRequests`` looks for one
    (``pkg/controller/podautoscaler/replica_calculator.go``); a CPU limit counts, as the API
    server copies it into the request. Simplified: upstream reads a Pod-level request
    (``spec.resources``) instead where one is set."""
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
    for container in [*(spec.get("containers") or ()), *sidecars]:
        resources = container.get("resources") or {}
        if "cpu" not in {**(resources.get("limits") or {}), **(resources.get("requests") or {})}:
            return str(container.get("name"))
    return None


def _changed_in(events: list[tuple[float, int]], period: float, now: float) -> int:
    """``getReplicasChangePerPeriod``: replicas added (or removed) in the last ``period`` s."""
    return sum(change for time, change in events if time > now - period)


class HorizontalController(Controller):
    """Runs every HorizontalPodAutoscaler once per :data:`SYNC_PERIOD`."""

    kinds: ClassVar[tuple[str, ...]] = ("HorizontalPodAutoscaler",)

    def __init__(self, cluster: Any) -> None:
        super().__init__(cluster)
        self._due: dict[str, float] = {}
        self._recommendations: dict[str, list[tuple[float, int]]] = {}
        self._scaled: dict[str, dict[str, list[tuple[float, int]]]] = {}

    def sync(self, hpa: dict[str, Any]) -> None:
        uid, now = hpa["metadata"]["uid"], self.cluster.now
        if now < self._due.get(uid, now):
            return
        self._due[uid] = now + SYNC_PERIOD
        self.cluster.wake_at(now + SYNC_PERIOD, background=True)
        self._reconcile(hpa)

    # -- one sync ---------------------------------------------------------------------------
    def _target(self, hpa: dict[str, Any]) -> dict[str, Any] | None:
        """The target of ``hpa``'s ``scaleTargetRef``, or None after ``reconcileAutoscaler``'s
        refusal: the Warning ``FailedGetScale`` with the scale subresource's NotFound (its
        registry's ``ScaleREST.Get``: ``deployments/scale.apps "web" not found``, the
        resource qualified by its group) and AbleToScale False saying so."""
        ref = hpa["spec"]["scaleTargetRef"]
        namespace = hpa["metadata"].get("namespace", "default")
        target = self.cluster.get(ref["kind"], namespace, ref["name"])
        if target is None:
            api_version = str(ref.get("apiVersion") or "")
            group = f".{api_version.split('/')[0]}" if "/" in api_version else ""
            error = f'{ref["kind"].lower()}s/scale{group} "{ref["name"]}" not found'
            self.cluster.record(hpa, "FailedGetScale", error, "Warning")
            _set_condition(hpa, "AbleToScale", False, self.cluster.now, "FailedGetScale",
                           f"the HPA controller was unable to get the target's current scale: "
                           f"{error}")
        return target

    def _metrics(self, hpa: dict[str, Any], target: dict[str, Any]) -> list[PodMetric]:
        namespace = target["metadata"].get("namespace", "default")
        selector = (target.get("spec") or {}).get("selector")
        metrics = []
        for pod in self.cluster.objects("Pod", namespace):
            if not selector_matches(selector, labels_of(pod)):
                continue
            metrics.append(PodMetric(
                name=pod["metadata"]["name"], request=pod_requests(pod).get("cpu", 0),
                usage=self.cluster.metrics.pod_cpu(pod),
                phase=(pod.get("status") or {}).get("phase", "Pending"),
                ready=is_ready(pod), deleted=is_terminating(pod),
                unrequested=_unrequested(pod)))
        return metrics

    def _ambiguous(self, hpa: dict[str, Any], target: dict[str, Any]) -> str:
        """``validateAndParseSelector``'s refusal when a Pod that ``hpa``'s target selects is
        also selected by another HPA's target (``hpasControllingPodsUnderSelector`` over the
        ``hpaSelectors`` index): "pods by selector app=web are controlled by multiple HPAs:
        [default/a default/b]", else "". Upstream lists the HPAs in a Go map's order and
        knows another HPA's selector once that HPA has synced; here they are sorted, and
        every HPA of the namespace whose target exists counts."""
        namespace = hpa["metadata"].get("namespace", "default")
        selector = (target.get("spec") or {}).get("selector")
        pods = [labels_of(p) for p in self.cluster.objects("Pod", namespace)
                if selector_matches(selector, labels_of(p))]
        selecting = []
        for other in self.cluster.objects("HorizontalPodAutoscaler", namespace):
            ref = other["spec"]["scaleTargetRef"]
            theirs = target if other is hpa else self.cluster.get(ref["kind"], namespace,
                                                                  ref["name"])
            chosen = (theirs or {}).get("spec", {}).get("selector")
            if theirs is not None and any(selector_matches(chosen, p) for p in pods):
                selecting.append(f"{namespace}/{other['metadata']['name']}")
        if len(selecting) < 2:
            return ""
        return (f"pods by selector {format_selector(selector)} are controlled by multiple "
                f"HPAs: [{' '.join(sorted(selecting))}]")

    def _utilization_target(self, hpa: dict[str, Any]) -> int:
        for metric in hpa["spec"].get("metrics") or []:
            resource = metric.get("resource") or {}
            target = resource.get("target") or {}
            if metric.get("type") == "Resource" and resource.get("name") == "cpu" \
                    and target.get("type") == "Utilization":
                return int(target["averageUtilization"])
            raise ValueError("the simulator's HorizontalPodAutoscaler supports only "
                             "type: Resource, name: cpu, target type: Utilization metrics")
        return DEFAULT_UTILIZATION

    def _reconcile(self, hpa: dict[str, Any]) -> None:
        now = self.cluster.now
        target = self._target(hpa)
        if target is None:
            return
        spec = hpa["spec"]
        current = int((target.get("spec") or {}).get("replicas", 1))
        minimum, maximum = int(spec.get("minReplicas") or 1), int(spec["maxReplicas"])
        status = hpa.setdefault("status", {})
        utilization = None
        _set_condition(hpa, "AbleToScale", True, now, "SucceededGetScale",
                      "the HPA controller was able to get the target's current scale")
        # recordInitialRecommendation: a new HPA's history starts with the current count
        self._recommendations.setdefault(hpa["metadata"]["uid"], [(now, current)])
        if current == 0:
            _set_condition(hpa, "ScalingActive", False, now, "ScalingDisabled",
                          "scaling is disabled since the replica count of the target is zero")
            # setStatus(hpa, 0, 0, nil, false): no metric was read
            status.update(currentReplicas=0, desiredReplicas=0)
            status.pop("currentMetrics", None)
            return
        if current > maximum:
            desired, reason = maximum, "Current number of replicas above Spec.MaxReplicas"
        elif current < minimum:
            desired, reason = minimum, "Current number of replicas below Spec.MinReplicas"
        else:
            ambiguous = self._ambiguous(hpa, target)
            if ambiguous:
                self.cluster.record(hpa, "AmbiguousSelector", ambiguous, "Warning")
                _set_condition(hpa, "ScalingActive", False, now, "AmbiguousSelector", ambiguous)
                # setCurrentReplicasAndMetricsInStatus(hpa, currentReplicas, nil)
                status["currentReplicas"] = current
                status.pop("currentMetrics", None)
                self.cluster.record(hpa, "FailedComputeMetricsReplicas", ambiguous, "Warning")
                return
            try:
                metrics = self._metrics(hpa, target)
                proposal, utilization = resource_replicas(
                    current, metrics, self._utilization_target(hpa), _tolerances(hpa))
            except ValueError as err:
                self._failed_metric(hpa, current, f"failed to get cpu utilization: {err}")
                return
            _set_condition(hpa, "ScalingActive", True, now, "ValidMetricFound",
                          f"the HPA was able to successfully calculate a replica count from "
                          f"{METRIC_NAME}")
            reason = f"{METRIC_NAME} above target" if proposal > current else \
                "All metrics below target"
            desired = self._normalize(hpa, current, proposal, minimum, maximum)
        if desired != current:
            _set_condition(hpa, "AbleToScale", True, now, "SucceededRescale",
                          f"the HPA controller was able to update the target scale to {desired}")
        ref = spec["scaleTargetRef"]
        self.cluster.metrics.record(
            hpa["metadata"].get("namespace", "default"), hpa["metadata"]["name"],
            AutoscalerSample(now, current, desired, utilization,
                             self.cluster.metrics.demand(ref["kind"], ref["name"],
                                                         target["metadata"]["namespace"])))
        status.update(currentReplicas=current, desiredReplicas=desired)
        if utilization is not None:
            status["currentMetrics"] = [{"type": "Resource", "resource": {
                "name": "cpu", "current": {
                    "averageValue": format_quantity(Decimal(average_usage(metrics) or 0) / 1000),
                    "averageUtilization": utilization}}}]
        else:   # outside [minReplicas, maxReplicas]: no metric read, setStatus writes nil
            status.pop("currentMetrics", None)
        if desired == current:
            return
        before = dict(target.setdefault("spec", {}))
        target["spec"]["replicas"] = desired
        count_generation(target, before)
        status["lastScaleTime"] = now
        scaled = self._scaled.setdefault(hpa["metadata"]["uid"], {"up": [], "down": []})
        if desired > current:
            scaled["up"].append((now, desired - current))
        else:
            scaled["down"].append((now, current - desired))
        self.cluster.record(hpa, "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
        self.cluster.changed()

    def _failed_metric(self, hpa: dict[str, Any], current: int, error: str) -> None:
        """``reconcileAutoscaler``'s error path when its one metric (``cpu``) cannot be
        computed, in upstream's order: ``computeStatusForResourceMetric`` records the Warning
        ``FailedGetResourceMetric`` with ``error`` (``getUnableComputeReplicaCountCondition``)
        and ``computeReplicasForMetrics`` sets ScalingActive False with its reason, as all
        metrics failed; the status gets the current replicas and the failed metric's empty
        ``MetricStatus`` (``setCurrentReplicasAndMetricsInStatus``); then the Warning
        ``FailedComputeMetricsReplicas`` with the error as ``computeReplicasForMetric`` and
        ``computeReplicasForMetrics`` wrap it: "invalid metrics (1 invalid out of 1), first
        error is: failed to get cpu resource metric value: failed to get cpu utilization:
        ..." (kubernetes/kubernetes ``pkg/controller/podautoscaler/horizontal.go``)."""
        self.cluster.record(hpa, "FailedGetResourceMetric", error, "Warning")
        _set_condition(hpa, "ScalingActive", False, self.cluster.now, "FailedGetResourceMetric",
                      f"the HPA was unable to compute the replica count: {error}")
        # the failed metric's MetricStatus stays empty (its zero value)
        hpa["status"].update(currentReplicas=current, currentMetrics=[{"type": ""}])
        self.cluster.record(hpa, "FailedComputeMetricsReplicas",
                            "invalid metrics (1 invalid out of 1), first error is: failed to "
                            f"get cpu resource metric value: {error}", "Warning")

    # -- smoothing --------------------------------------------------------------------------
    def _normalize(self, hpa: dict[str, Any], current: int, proposal: int, minimum: int,
                   maximum: int) -> int:
        uid, now = hpa["metadata"]["uid"], self.cluster.now
        recommendations = self._recommendations.setdefault(uid, [])
        behavior = hpa["spec"].get("behavior")
        if behavior is None:
            # normalizeDesiredReplicas: stabilizeRecommendation, convertDesiredReplicasWithRules
            window = [r for t, r in recommendations if t > now - DOWNSCALE_STABILIZATION]
            stabilized = max([proposal, *window])
            recommendations.append((now, proposal))
            allowed = min(maximum, max(2 * current, 4))
            return self._limited(hpa, proposal, stabilized,
                                 max(minimum, min(stabilized, allowed)), minimum, maximum)
        rules = behavior_defaults(behavior)
        up, down = rules["scaleUp"], rules["scaleDown"]
        up_cut = now - up["stabilizationWindowSeconds"]
        # maybeInitScaleDownStabilizationWindow: the flag's window where the HPA sets none
        down_cut = now - down.get("stabilizationWindowSeconds", DOWNSCALE_STABILIZATION)
        up_rec = min([proposal, *(r for t, r in recommendations if t > up_cut)])
        down_rec = max([proposal, *(r for t, r in recommendations if t > down_cut)])
        recommendations.append((now, proposal))
        stabilized = min(max(current, up_rec), down_rec)
        return self._limited(hpa, proposal, stabilized, self._rate_limited(
            uid, current, stabilized, minimum, maximum, up, down), minimum, maximum)

    def _limited(self, hpa: dict[str, Any], proposal: int, stabilized: int, desired: int,
                 minimum: int, maximum: int) -> int:
        """The conditions ``normalizeDesiredReplicas`` (and ``...WithBehaviors``) set:
        ``AbleToScale`` says whether the stabilization window changed the ``proposal``,
        ``ScalingLimited`` whether the bounds or the rate limit changed the ``stabilized``
        count into ``desired`` (the reasons of ``convertDesiredReplicasWithRules`` and
        ``convertDesiredReplicasWithBehaviorRate``). Returns ``desired``."""
        now = self.cluster.now
        if stabilized > proposal:
            _set_condition(hpa, "AbleToScale", True, now, "ScaleDownStabilized",
                          "recent recommendations were higher than current one, applying the "
                          "highest recent recommendation")
        elif stabilized < proposal:
            _set_condition(hpa, "AbleToScale", True, now, "ScaleUpStabilized",
                          "recent recommendations were lower than current one, applying the "
                          "lowest recent recommendation")
        else:
            _set_condition(hpa, "AbleToScale", True, now, "ReadyForNewScale",
                          "recommended size matches current size")
        if desired == stabilized:
            reason, message = "DesiredWithinRange", "the desired count is within the " \
                "acceptable range"
        elif desired < stabilized:
            reason, message = ("TooManyReplicas", "the desired replica count is more than "
                               "the maximum replica count") if desired == maximum else (
                "ScaleUpLimit", "the desired replica count is increasing faster than the "
                "maximum scale rate")
        else:
            reason, message = ("TooFewReplicas", "the desired replica count is less than "
                               "the minimum replica count") if desired == minimum else (
                "ScaleDownLimit", "the desired replica count is decreasing faster than the "
                "maximum scale rate")
        _set_condition(hpa, "ScalingLimited", desired != stabilized, now, reason, message)
        return desired

    def _rate_limited(self, uid: str, current: int, desired: int, minimum: int, maximum: int,
                      up: dict[str, Any], down: dict[str, Any]) -> int:
        """``convertDesiredReplicasWithBehaviorRate``: each policy bounds the change from the
        replicas at the start of its period (``calculateScaleUpLimitWithScalingRules``: Pods
        adds, Percent rounds up; ``calculateScaleDownLimitWithScalingRules``: Pods takes away,
        Percent truncates); ``selectPolicy: Max`` takes the policy that allows the largest
        change, ``Min`` the smallest."""
        if desired == current:
            return max(minimum, min(desired, maximum))
        rising = desired > current
        rules = up if rising else down
        if rules["selectPolicy"] == "Disabled":
            return current
        now = self.cluster.now
        scaled = self._scaled.setdefault(uid, {"up": [], "down": []})
        sign = 1 if rising else -1
        limits = []
        for policy in rules["policies"]:
            start = current - _changed_in(scaled["up"], policy["periodSeconds"], now) \
                + _changed_in(scaled["down"], policy["periodSeconds"], now)
            if policy["type"] == "Pods":
                limits.append(start + sign * policy["value"])
            else:
                scaled_start = start * (1 + sign * policy["value"] / 100)
                limits.append(math.ceil(scaled_start) if rising else int(scaled_start))
        largest, smallest = (max, min) if rising else (min, max)
        chosen = (smallest if rules["selectPolicy"] == "Min" else largest)(limits)
        if rising:
            return min(desired, maximum, max(current, chosen))
        return max(desired, minimum, min(current, chosen))
