"""autoscaling/v1 HorizontalPodAutoscalers: a second view of the stored autoscaling/v2 ones
(about 570 lines).

A real API server serves both versions of one stored object, converting through its internal
type (kubernetes/kubernetes ``pkg/apis/autoscaling/v1/conversion.go``). autoscaling/v1 knows
one target only: ``spec.targetCPUUtilizationPercentage`` is v2's ``Resource`` metric for
``cpu`` with a ``Utilization`` target, and ``status.currentCPUUtilizationPercentage`` that
metric's current ``averageUtilization``. What v1 cannot say travels in annotations, written on
every read through v1 and taken out again when a v1 object is written
(``pkg/apis/autoscaling/annotations.go``):

- ``autoscaling.alpha.kubernetes.io/metrics``: the other metrics, in v1's ``MetricSpec``
  shape (``targetAverageValue``, ``metricName``...);
- ``autoscaling.alpha.kubernetes.io/current-metrics``: every current metric, in v1's
  ``MetricStatus`` shape;
- ``autoscaling.alpha.kubernetes.io/conditions``: ``status.conditions``;
- ``autoscaling.alpha.kubernetes.io/behavior``: ``spec.behavior``, marshalled from the
  internal Go type, whose fields have no JSON tags (``ScaleUp``, ``StabilizationWindowSeconds``).

kubectl before 1.34 (kubernetes/kubernetes#129373 moved ``kubectl autoscale`` to v2 and its
``--cpu`` flag) creates its autoscaler through v1, in protobuf; :mod:`clustersim.serve.kubeproto`
reads that. Served: discovery, GET, LIST, WATCH, POST, PUT, PATCH (a JSON, merge or strategic
merge patch is applied to the v1 view, then written as v2) and DELETE, each a v2 request
underneath. Simplified, where the real server differs: fields a v1 body has that v1 does not
define are dropped rather than refused under ``fieldValidation=Strict``; a server-side apply
through v1 (``kubectl apply --server-side`` of a v1 manifest) is converted to v2 and applied
there, so its ``managedFields`` entries, as every other's, name autoscaling/v2 whichever
version wrote them. A refusal names the internal type's field path, as the real server's
does (``ValidateHorizontalPodAutoscaler`` in kubernetes/kubernetes
``pkg/apis/autoscaling/validation/validation.go`` walks the internal type, whose metrics are
v2's: a v1 ``targetCPUUtilizationPercentage`` of 0 is refused at
``spec.metrics[0].resource.target.averageUtilization``); the paths v1 shares with it
(``spec.minReplicas``, ``spec.maxReplicas``, ``spec.scaleTargetRef``) are v1's too. A v1
body is decoded by v1's Go types first (:mod:`~clustersim.manifests.autoscaling_v1_types`),
so that a field of the wrong JSON type is refused naming version "v1" and v1's structs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from clustersim.goformat import json_kind
from clustersim.manifests import ManifestError
from clustersim.manifests.autoscaling_v1_types import (
    HorizontalPodAutoscaler as HorizontalPodAutoscalerV1,
)
from clustersim.manifests.safe_yaml import Document, load_data
from clustersim.manifests.validation import validate_object
from clustersim.serve import kubeproto
from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.gojson import syntax_error
from clustersim.serve.kubedecoding import struct_error
from clustersim.serve.kubefieldmanager import check_configuration
from clustersim.serve.kubenodes import quantity_error
from clustersim.serve.patch import json_patch, merge_patch, strategic_patch
from clustersim.serve.patchrefusal import patch_refusal

__all__ = ["GROUP_VERSION", "PLURAL", "ConversionError", "is_v1", "serve_v1", "to_v1", "to_v2"]

GROUP_VERSION = "autoscaling/v1"
_KIND = "HorizontalPodAutoscaler"
PLURAL = "horizontalpodautoscalers"
_V2 = "autoscaling/v2"
_PREFIX = "autoscaling.alpha.kubernetes.io/"
METRICS, CURRENT, CONDITIONS, BEHAVIOR = (f"{_PREFIX}{name}" for name in (
    "metrics", "current-metrics", "conditions", "behavior"))
_SOURCES = {"Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods",
            "Object": "object", "External": "external"}


_CONDITION_FIELDS = ("type", "status", "lastTransitionTime", "reason", "message")
"""The fields of autoscaling/v1's ``HorizontalPodAutoscalerCondition`` in its struct's order,
which ``json.Marshal`` writes the conditions annotation in (k8s.io/api
``autoscaling/v1/types.go``)."""


def _is_cpu_utilization(metric: dict[str, Any]) -> bool:
    source = metric.get("resource") or {}
    return (metric.get("type") == "Resource" and source.get("name") == "cpu"
            and (source.get("target") or {}).get("averageUtilization") is not None)


def _metric_to_v1(metric: dict[str, Any], side: str) -> dict[str, Any]:
    """A v2 MetricSpec (``side`` "target") or MetricStatus ("current") in v1's shape."""
    kind = metric.get("type", "")
    key = _SOURCES.get(kind)
    source = metric.get(key or "") or {}
    values = source.get(side) or {}
    metric_id = source.get("metric") or {}
    out: dict[str, Any] = {}
    if kind in ("Resource", "ContainerResource"):
        out["name"] = source.get("name", "")
        if "averageUtilization" in values:
            out[f"{side}AverageUtilization"] = values["averageUtilization"]
        if "averageValue" in values or side == "current":
            out[f"{side}AverageValue"] = values.get("averageValue", "0")
        if kind == "ContainerResource":
            out["container"] = source.get("container", "")
    elif kind == "Pods":
        out = {"metricName": metric_id.get("name", ""),
               f"{side}AverageValue": values.get("averageValue", "0")}
        if "selector" in metric_id:
            out["selector"] = metric_id["selector"]
    elif kind == "Object":
        out = {"target": source.get("describedObject") or {},
               "metricName": metric_id.get("name", ""),
               f"{side}Value": values.get("value", "0")}
        if "selector" in metric_id:
            out["selector"] = metric_id["selector"]
        if "averageValue" in values:
            out["averageValue"] = values["averageValue"]
    elif kind == "External":
        out = {"metricName": metric_id.get("name", "")}
        if "selector" in metric_id:
            out["metricSelector"] = metric_id["selector"]
        if "value" in values or side == "current":
            out[f"{side}Value"] = values.get("value", "0")
        if "averageValue" in values:
            out[f"{side}AverageValue"] = values["averageValue"]
    return {"type": kind, key: out} if key else {"type": kind}


def _metric_to_v2(metric: dict[str, Any], side: str) -> dict[str, Any]:
    """The inverse of :func:`_metric_to_v1`: v1's shape read back into v2's. A resource
    metric keeps both its average value and its utilization, the target typed by the
    utilization when it has one (``Convert_v1_ResourceMetricSource_To_autoscaling_...`` and
    ``Convert_v1_ResourceMetricStatus_To_autoscaling_ResourceMetricStatus``, whose current
    average value is v1's ``currentAverageValue``, a Quantity that is "0" when left out);
    the simulator had kept the utilization alone."""
    kind = metric.get("type", "")
    key = _SOURCES.get(kind)
    source = metric.get(key or "") or {}
    values: dict[str, Any] = {}
    out: dict[str, Any] = {}
    if kind in ("Resource", "ContainerResource"):
        out["name"] = source.get("name", "")
        utilization = source.get(f"{side}AverageUtilization")
        average = source.get(f"{side}AverageValue")
        if side == "current" and average is None:      # a Quantity, not a pointer, in v1
            average = "0"
        if utilization is not None or average is not None:
            values = {"type": "AverageValue" if utilization is None else "Utilization",
                      **({} if average is None else {"averageValue": average}),
                      **({} if utilization is None else {"averageUtilization": utilization})}
        if kind == "ContainerResource":
            out["container"] = source.get("container", "")
    else:
        selector = source.get("metricSelector" if kind == "External" else "selector")
        out["metric"] = {"name": source.get("metricName", ""),
                         **({"selector": selector} if selector is not None else {})}
        if kind == "Object":
            out["describedObject"] = source.get("target") or {}
        average = source.get("averageValue" if kind == "Object" else f"{side}AverageValue")
        if f"{side}Value" in source and kind != "Pods":
            values = {"type": "Value", "value": source[f"{side}Value"]}
        if average is not None:
            values = {"type": "AverageValue", "averageValue": average}
    if side == "current":
        values.pop("type", None)
    if values:
        out[side] = values
    return {"type": kind, key: out} if key else {"type": kind}


def _go_fields(value: Any) -> Any:
    """JSON as Go marshals a struct without JSON tags: each field under its Go name."""
    if isinstance(value, list):
        return [_go_fields(v) for v in value]
    if isinstance(value, dict):
        return {k[:1].upper() + k[1:]: _go_fields(v) for k, v in value.items()}
    return value


def _json_fields(value: Any) -> Any:
    """The inverse of :func:`_go_fields`."""
    if isinstance(value, list):
        return [_json_fields(v) for v in value]
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _json_fields(v) for k, v in value.items()
                if v is not None}
    return value


def _behavior(behavior: dict[str, Any]) -> dict[str, Any]:
    """The internal ``HorizontalPodAutoscalerBehavior`` as Go marshals it: both directions and
    each rule's four fields, ``null`` where unset."""
    rules = {}
    for direction in ("scaleUp", "scaleDown"):
        rule = behavior.get(direction)
        rules[direction] = None if rule is None else {
            field: rule.get(field) for field in
            ("stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance")}
    return _go_fields(rules)


def to_v1(hpa: dict[str, Any]) -> dict[str, Any]:
    """An autoscaling/v2 HorizontalPodAutoscaler as autoscaling/v1 shows it."""
    spec, status = hpa.get("spec") or {}, hpa.get("status")
    metrics = spec.get("metrics") or []
    annotations = dict((hpa.get("metadata") or {}).get("annotations") or {})
    others = [_metric_to_v1(m, "target") for m in metrics if not _is_cpu_utilization(m)]
    if others:
        annotations[METRICS] = json.dumps(others, separators=(",", ":"))
    if spec.get("behavior") is not None:
        annotations[BEHAVIOR] = json.dumps(_behavior(spec["behavior"]), separators=(",", ":"))
    v1_spec = {key: spec[key] for key in ("scaleTargetRef", "minReplicas", "maxReplicas")
               if key in spec}
    cpu = next((m for m in metrics if _is_cpu_utilization(m)), None)
    if cpu is not None:
        v1_spec["targetCPUUtilizationPercentage"] = cpu["resource"]["target"][
            "averageUtilization"]
    out = {**hpa, "apiVersion": GROUP_VERSION, "spec": v1_spec}
    if status is not None:
        v1_status = {key: status[key] for key in ("observedGeneration", "lastScaleTime",
                                                  "currentReplicas", "desiredReplicas")
                     if key in status}
        current = status.get("currentMetrics") or []
        if current:
            annotations[CURRENT] = json.dumps([_metric_to_v1(m, "current") for m in current],
                                              separators=(",", ":"))
        for metric in current:
            source = metric.get("resource") or {}
            used = (source.get("current") or {}).get("averageUtilization")
            if (metric.get("type"), source.get("name")) == ("Resource", "cpu") and used is not None:
                v1_status["currentCPUUtilizationPercentage"] = used
        if status.get("conditions"):
            annotations[CONDITIONS] = json.dumps(
                [{key: c[key] for key in _CONDITION_FIELDS if key in c}
                 for c in status["conditions"]], separators=(",", ":"))
        out["status"] = v1_status
    if annotations:
        out["metadata"] = {**out.get("metadata", {}), "annotations": annotations}
    return out


def to_v2(hpa: dict[str, Any]) -> dict[str, Any]:
    """An autoscaling/v1 HorizontalPodAutoscaler, as written, in autoscaling/v2: the round-trip
    annotations read back into the spec and status, then dropped."""
    meta = dict(hpa.get("metadata") or {})
    annotations = dict(meta.get("annotations") or {})
    spec = dict(hpa.get("spec") or {})
    target = spec.pop("targetCPUUtilizationPercentage", None)
    metrics = [_metric_to_v2(m, "target") for m in _annotation(annotations, METRICS)]
    if target is not None:      # after the annotation's (upstream fills its slice so)
        metrics.append({"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization", "averageUtilization": target}}})
    if metrics:
        spec["metrics"] = metrics
    behavior = _behavior_annotation(annotations)
    if behavior is not None:
        spec["behavior"] = _json_fields(behavior)
    status = dict(hpa.get("status") or {})
    used = status.pop("currentCPUUtilizationPercentage", None)
    current = [_metric_to_v2(m, "current") for m in _annotation(annotations, CURRENT)]
    if not current and used is not None:
        current = [{"type": "Resource", "resource": {"name": "cpu",
                                                     "current": {"averageUtilization": used}}}]
    if current:
        status["currentMetrics"] = current
    conditions = _annotation(annotations, CONDITIONS)
    if conditions:
        status["conditions"] = conditions
    for key in (METRICS, CURRENT, CONDITIONS, BEHAVIOR):
        annotations.pop(key, None)
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    out = {**hpa, "apiVersion": _V2, "metadata": meta, "spec": spec}
    if status:
        out["status"] = status
    return out


_GO_TYPES = {METRICS: "v1.MetricSpec", CURRENT: "v1.MetricStatus",
             CONDITIONS: "v1.HorizontalPodAutoscalerCondition"}
"""The Go type of each element of a round-trip annotation's list, as
``Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler`` unmarshals
it (``[]autoscalingv1.MetricSpec``...)."""


class ConversionError(ValueError):
    """A v1 autoscaler that does not convert to v2: an annotation's ``json.Unmarshal``
    failed, in Go's words (the message)."""


def _annotation(annotations: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The list of a round-trip annotation (empty when absent or ``null``), or the
    conversion's failure as ``json.Unmarshal`` words it (:class:`ConversionError`): a text
    that is no JSON (:func:`~clustersim.serve.gojson.syntax_error`), a value that is no
    list, an element that is no object. The simulator had answered in Python's words and
    had dropped a value of the wrong shape. Simplified: a field of an element of the wrong
    JSON type is sent on to the v2 decoder, which names v2's Go type."""
    if key not in annotations:
        return []
    text = str(annotations[key])
    why = syntax_error(text)
    if why is not None:
        raise ConversionError(why)
    value = json.loads(text)
    wrong = value if not isinstance(value, list | None) else next(
        (m for m in value or [] if not isinstance(m, dict | None)), None)
    if wrong is not None:
        go_type = ("[]" if wrong is value else "") + _GO_TYPES[key]
        raise ConversionError(f"json: cannot unmarshal {json_kind(wrong, numeric_target=False)}"
                              f" into Go value of type {go_type}")
    return [m or {} for m in value or []]


BEHAVIOR_TYPES: dict[str, dict[str, str]] = {
    "autoscaling.HorizontalPodAutoscalerBehavior": {
        "ScaleUp": "*autoscaling.HPAScalingRules", "ScaleDown": "*autoscaling.HPAScalingRules"},
    "autoscaling.HPAScalingRules": {
        "StabilizationWindowSeconds": "*int32", "SelectPolicy": "*autoscaling.ScalingPolicySelect",
        "Policies": "[]autoscaling.HPAScalingPolicy", "Tolerance": "*resource.Quantity"},
    "autoscaling.HPAScalingPolicy": {
        "Type": "autoscaling.HPAScalingPolicyType", "Value": "int32", "PeriodSeconds": "int32"},
}
"""The internal Go types the behavior annotation is unmarshalled into (kubernetes/kubernetes
``pkg/apis/autoscaling/types.go``), by their Go names: they have no JSON tags."""


def _go_keys(value: Any, go_type: str) -> Any:
    """``value`` with each object's keys matched to the fields of ``go_type`` as
    encoding/json matches a struct's fields (the exact name, else one that differs in case
    only), and the keys no field takes left out, as ``json.Unmarshal`` ignores them."""
    kind = go_type.removeprefix("*")
    if kind.startswith("[]") and isinstance(value, list):
        return [_go_keys(item, kind[2:]) for item in value]
    fields = BEHAVIOR_TYPES.get(kind)
    if fields is None or not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        name = key if key in fields else next(
            (f for f in fields if f.lower() == key.lower()), None)
        if name is not None:
            out[name] = _go_keys(item, fields[name])
    return out


def _behavior_annotation(annotations: dict[str, Any]) -> dict[str, Any] | None:
    """The behavior the annotation gives, or None: upstream unmarshals it into the internal
    ``autoscaling.HorizontalPodAutoscalerBehavior`` with encoding/json and keeps it only when
    that succeeds and it is not the zero value (``Convert_v1_HorizontalPodAutoscaler_To_
    autoscaling_HorizontalPodAutoscaler``, ``pkg/apis/autoscaling/v1/conversion.go``); the
    annotation is dropped either way. A text that is no JSON, a value of the wrong JSON type
    anywhere in it (``{"ScaleUp":"x"}``: a string for a struct) or a ``Tolerance`` that is no
    quantity is no behavior; the simulator had answered such a write 500."""
    text = str(annotations.get(BEHAVIOR, "null"))
    if syntax_error(text) is not None:
        return None
    value = _go_keys(json.loads(text), "autoscaling.HorizontalPodAutoscalerBehavior")
    if struct_error(value, "autoscaling.HorizontalPodAutoscalerBehavior", BEHAVIOR_TYPES,
                    "HorizontalPodAutoscalerBehavior.", {"resource.Quantity": quantity_error}):
        return None
    if not isinstance(value, dict) or all(rule is None for rule in value.values()):
        return None
    return value


def _converted(payload: Any) -> Any:
    """A v2 answer in v1: an autoscaler, a list of them, or a watch event of one."""
    if not isinstance(payload, dict):
        return payload
    if payload.get("kind") == "HorizontalPodAutoscaler":
        return to_v1(payload)
    if payload.get("kind") == "HorizontalPodAutoscalerList":
        return {**payload, "apiVersion": GROUP_VERSION,
                "items": [_item(item) for item in payload.get("items") or []]}
    if isinstance(payload.get("object"), dict) and "type" in payload:    # a watch event
        return {**payload, "object": _converted(payload["object"])}
    return payload


def _item(item: dict[str, Any]) -> dict[str, Any]:
    """A list's item in v1, with an ``apiVersion`` only if it came with one."""
    out = to_v1(item)
    if "apiVersion" not in item:
        del out["apiVersion"]
    return out


def _answer(response: Response) -> Response:
    """``response`` with every autoscaler in it shown as v1, its stream's events too."""
    if response.content_type.startswith("application/json") and response.body:
        try:
            payload = json.loads(response.body)
        except ValueError:
            return response
        response = replace(response, body=json.dumps(_converted(payload),
                                                     separators=(",", ":")).encode())
    if response.stream is not None:
        inner = response.stream

        def stream(server: Any) -> Iterator[bytes]:
            for chunk in inner(server):
                yield b"\n".join(_event_line(line) for line in chunk.split(b"\n"))
        response = replace(response, stream=stream)
    return response


def _event_line(line: bytes) -> bytes:
    if not line.strip():
        return line
    try:
        return json.dumps(_converted(json.loads(line)), separators=(",", ":")).encode()
    except ValueError:
        return line


def _as_json(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def serve_v1(request: Request, handle_v2: Callable[[Request], Response]) -> Response:
    """Answer ``request`` to ``/apis/autoscaling/v1/...horizontalpodautoscalers...`` with
    ``handle_v2``, which serves autoscaling/v2: the body converted on the way in, the answer
    on the way out. A patch is applied to the v1 view of the stored object and written back
    as an update."""
    path = request.path.replace(f"/apis/{GROUP_VERSION}/", f"/apis/{_V2}/", 1)
    v2 = replace(request, path=path)
    if request.method == "PATCH":
        if request.content_type == "application/apply-patch+yaml":
            return _answer(handle_v2(_apply_as_v2(request, v2)))
        current = handle_v2(replace(v2, method="GET", body=b"", query={}))
        if current.status != 200:
            return _answer(current)
        try:
            patch = json.loads(request.body or b"null")
        except ValueError:     # refused by the v2 handler's decoder, in Go's words
            return _answer(handle_v2(v2))
        view = to_v1(json.loads(current.body))
        if request.content_type == "application/json-patch+json":
            patched = json_patch(view, patch)
        elif not isinstance(patch, dict):
            raise HttpError(400, "a patch must be a JSON object", "BadRequest")
        elif request.content_type == "application/merge-patch+json":
            patched = merge_patch(view, patch)
        else:
            patched = strategic_patch(view, patch)
        if isinstance(patched, dict):    # else the update refuses it, as a patch's result
            patched.pop("status", None)
            if isinstance(patched.get("metadata"), dict):
                patched["metadata"].pop("managedFields", None)    # kept as they are
            why = _decoding_error(patched)
            if why is not None:
                raise patch_refusal(request.content_type, patch, patched, why)
            try:
                patched = _to_v2_or_as_is(patched)
            except ConversionError as err:     # the patched object does not decode
                raise patch_refusal(request.content_type, patch, patched, str(err)) from None
        v2 = replace(v2, method="PUT", body=_as_json(patched),
                     headers={**request.headers, "content-type": "application/json"})
    elif request.method in ("POST", "PUT"):
        body = _body(request)
        if isinstance(body, dict) and _is_v1_autoscaler(body):
            try:
                why = _decoding_error(body)
                if why is not None:
                    raise ConversionError(why)
                converted = _to_v2_or_as_is(body)
            except ConversionError as err:     # the codec's conversion, in the REST handler
                raise HttpError(400, f'HorizontalPodAutoscaler in version "v1" cannot be '
                                f"handled as a HorizontalPodAutoscaler: {err}",
                                "BadRequest") from None
            v2 = replace(v2, body=_as_json(converted),
                         headers={**request.headers, "content-type": "application/json"})
    return _answer(handle_v2(v2))


def _is_v1_autoscaler(body: dict[str, Any]) -> bool:
    """Whether a create's or an update's ``body`` is an autoscaling/v1 autoscaler, its kind
    and version filled in where missing as the decoder fills them from the endpoint's
    (``gvkWithDefaults``). One of another version is refused as the create and update
    handlers refuse it (``AcceptsGroupVersion``, k8s.io/apiserver ``pkg/endpoints/
    handlers/create.go``); the simulator had created it. False for a body whose kind is
    another or no string, left to the v2 handler to refuse in the same words."""
    kind, version = body.get("kind") or _KIND, body.get("apiVersion") or GROUP_VERSION
    if kind != _KIND or not isinstance(version, str):
        return False
    if version != GROUP_VERSION:
        raise HttpError(400, f"the API version in the data ({version}) does not match the "
                        f"expected API version ({GROUP_VERSION})", "BadRequest")
    body["kind"], body["apiVersion"] = kind, version
    return True


def _decoding_error(body: dict[str, Any]) -> str | None:
    """The decoder's refusal of a v1 autoscaler's fields of the wrong JSON type or an int32
    too large, by v1's Go types (:mod:`~clustersim.manifests.autoscaling_v1_types`), or
    None; the simulator had decoded it as v2, naming version "v2" and v2's structs."""
    try:
        validate_object(HorizontalPodAutoscalerV1, Document(body))
    except ManifestError as err:
        return f"json: {err.message}" if err.message.startswith("cannot unmarshal") else None
    return None


def _apply_as_v2(request: Request, v2: Request) -> Request:
    """A server-side apply through v1 as the v2 request that does it: its configuration
    converted to v2 as a written object is (:func:`_to_v2_or_as_is`), so that the field
    manager merges it into the stored object (upstream serves apply-patch for every version
    it serves, converting through the internal type: ``applyPatcher`` in k8s.io/apiserver
    ``pkg/endpoints/handlers/patch.go``). A configuration of another version or kind is
    refused as the field manager refuses one (400 ``invalid object type``,
    :func:`~clustersim.serve.kubefieldmanager.check_configuration`); a body that is no
    mapping goes on as it is, for the v2 handler's decoder to refuse. Simplified: one whose
    round-trip annotations do not convert is refused as a patch whose result does not
    decode."""
    try:
        config = load_data(request.body.decode(), "the body of the request")
    except (UnicodeDecodeError, ManifestError):
        return v2
    if not isinstance(config, dict):
        return v2
    if (config.get("apiVersion"), config.get("kind")) != (GROUP_VERSION, _KIND):
        check_configuration(config, GROUP_VERSION, _KIND)
    try:
        converted = _to_v2_or_as_is(config)
    except ConversionError as err:
        raise patch_refusal(request.content_type, config, config, str(err)) from None
    return replace(v2, body=_as_json(converted))


def _to_v2_or_as_is(body: dict[str, Any]) -> dict[str, Any]:
    """:func:`to_v2`, or for a body whose parts have the wrong JSON types (a ``spec`` that is
    a number, a metric in an annotation that is not an object) the body as it is, sent as v2
    for the v2 decoder to refuse in Go's words: upstream's decoder refuses the same parts,
    naming v1's Go types where this names v2's. An annotation that does not convert raises
    :class:`ConversionError`: a create or an update is refused 400 as the REST handler
    refuses a body its codec cannot decode (``transformDecodeError``: "... cannot be
    handled as a HorizontalPodAutoscaler: ..."), a patch 422 as one whose result does not
    decode (:func:`~clustersim.serve.patchrefusal.patch_refusal`)."""
    try:
        return to_v2(body)
    except ConversionError:
        raise
    except (TypeError, AttributeError, ValueError):
        return {**body, "apiVersion": _V2}


def _body(request: Request) -> Any:
    """A create's or an update's body as JSON, or None to leave it to the v2 handler, which
    words the decoder's error (a YAML body too: kubectl sends JSON or protobuf)."""
    try:
        if request.content_type == "application/vnd.kubernetes.protobuf":
            return kubeproto.decode(request.body)
        if request.content_type in ("application/json", ""):
            return json.loads(request.body)
    except ValueError:          # ProtobufError is one
        pass
    return None


def is_v1(path: str) -> bool:
    """Whether ``path`` names autoscaling/v1 HorizontalPodAutoscalers (a list, one, or its
    status)."""
    parts = path.strip("/").split("/")
    if parts[:3] != ["apis", "autoscaling", "v1"]:
        return False
    rest = parts[3:]
    if rest[:1] == ["namespaces"] and len(rest) >= 3:
        rest = rest[2:]
    return rest[:1] == [PLURAL]
