"""The Go types of the Kubernetes fields the loader models (about 120 lines), as Go's
``encoding/json`` names them in a type error (``Go struct field DeploymentSpec.spec.replicas
of type int32``): the integer widths, the named string types (``v1.RestartPolicy``) and the
structs, after kubernetes/kubernetes ``staging/src/k8s.io/api/core/v1/types.go``,
``apps/v1/types.go`` and ``autoscaling/v2/types.go``. :mod:`clustersim.manifests.validation`
words the decoder's errors with them, and the served API's patch refusals read
:data:`STRING_TYPES`.
"""

from __future__ import annotations

from functools import lru_cache
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from clustersim.manifests.safe_yaml import Path

__all__ = ["ENUM_TYPES", "FIELD_TYPES", "STRING_TYPES", "go_field", "unwrap"]


def unwrap(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Union, UnionType) and type(None) in get_args(annotation):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


_INT64_FIELDS = frozenset({"terminationGracePeriodSeconds", "activeDeadlineSeconds",
                           "tolerationSeconds", "seconds", "runAsUser", "runAsGroup",
                           "fsGroup", "supplementalGroups"})
"""The integer fields of the modelled types that are ``int64`` in Go (the others are
``int32``)."""
ENUM_TYPES = {"restartPolicy": "v1.RestartPolicy", "imagePullPolicy": "v1.PullPolicy",
               "protocol": "v1.Protocol", "effect": "v1.TaintEffect",
               "completionMode": "v1.CompletionMode",
               "concurrencyPolicy": "v1.ConcurrencyPolicy", "procMount": "v1.ProcMountType"}
"""The Go types of the enumerations a learner writes most (the others are left out of the
decoder's message)."""
_STRING_TYPES = {"add": "v1.Capability", "drop": "v1.Capability",
                 "podManagementPolicy": "v1.PodManagementPolicyType",
                 "fsGroupChangePolicy": "v1.PodFSGroupChangePolicy",
                 "supplementalGroupsPolicy": "v1.SupplementalGroupsPolicy",
                 "seLinuxChangePolicy": "v1.PodSELinuxChangePolicy"}
"""The string fields of the modelled types whose Go type is a named string (core/v1 and
apps/v1 ``types.go``: a security context's, a StatefulSet's pod management policy), as the
decoder names it."""
FIELD_TYPES = {("SeccompProfile", "type"): "v1.SeccompProfileType",
               ("AppArmorProfile", "type"): "v1.AppArmorProfileType",
               ("DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
               ("DaemonSetUpdateStrategy", "type"): "v1.DaemonSetUpdateStrategyType",
               ("StatefulSetUpdateStrategy", "type"): "v1.StatefulSetUpdateStrategyType",
               ("LabelSelectorRequirement", "operator"): "v1.LabelSelectorOperator",
               ("NodeSelectorRequirement", "operator"): "v1.NodeSelectorOperator",
               ("HTTPIngressPath", "pathType"): "v1.PathType"}
"""Named string types of fields whose name alone does not tell them (``type`` is a plain
string elsewhere), by Go struct and field (core/v1 ``types.go``): the profile types, whose
values the profiles check themselves (``validateSeccompProfileType``), the workloads'
strategy types, which their strategies check, the selector operators and an Ingress path's
``*PathType`` (networking/v1 ``types.go``; encoding/json names the type it points to)."""
STRING_TYPES = frozenset({*ENUM_TYPES.values(), *_STRING_TYPES.values(), *FIELD_TYPES.values()})
"""Every named string type the decoder names above (``v1.RestartPolicy``,
``v1.Capability``, ``v1.SeccompProfileType``): each holds a string, as ``string`` does."""
_AUTOSCALING_V2 = frozenset({
    "CrossVersionObjectReference", "MetricTarget", "ResourceMetricSource", "MetricSpec",
    "HPAScalingPolicy", "HPAScalingRules", "HorizontalPodAutoscalerBehavior",
    "HorizontalPodAutoscalerSpec"})


def _go_type(annotation: Any, name: str) -> str | None:
    """The Go type of a field (``int32``, ``[]v1.Container``, ``map[string]string``), or
    ``None`` where Go reads the field its own way (quantities). An int-or-string is
    ``int32`` to the decoder for anything but a string: ``IntOrString.UnmarshalJSON``
    (k8s.io/apimachinery ``pkg/util/intstr/intstr.go``) decodes a value that does not
    start with a quote into its ``IntVal``, and encoding/json gives that error the
    field's context (``cannot unmarshal number 80.5 into Go struct field
    ServicePort.spec.ports.targetPort of type int32``)."""
    inner = unwrap(annotation)
    if get_origin(inner) in (Union, UnionType) and {
            unwrap(a) for a in get_args(inner) if a is not type(None)} == {int, str}:
        return "int32"
    if get_origin(inner) is Literal:
        return ENUM_TYPES.get(name)
    if inner is bool:
        return "bool"
    if inner is str:
        return _STRING_TYPES.get(name, "string")
    if inner is int:
        return "int64" if name in _INT64_FIELDS else "int32"
    if get_origin(inner) in (list, dict):
        element = _go_type(get_args(inner)[-1], name)
        key = "[]" if get_origin(inner) is list else "map[string]"
        return None if element is None else key + element
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        version = getattr(inner, "GO_VERSION", None) or (
            "v2" if inner.__name__ in _AUTOSCALING_V2 else "v1")
        return None if inner.__name__.startswith("_") else f"{version}.{inner.__name__}"
    return None


def go_field(model: type[BaseModel], where: Path) -> str | None:
    """``Go struct field DeploymentSpec.spec.replicas of type int32``: the field at ``where``
    of ``model`` as Go's ``encoding/json`` names it in a type error, or ``None`` where the
    simulator does not know the Go type.

    A list index names no field (every item is the same struct field), so the answer is
    kept per path with its indices at 0: the decoder's checks ask it for every number of
    an object, and an Ingress of 3,680 paths had walked the model 3,680 times per check."""
    return _go_field(model, tuple(0 if isinstance(part, int) else part for part in where))


@lru_cache(maxsize=4096)
def _go_field(model: type[BaseModel], where: Path) -> str | None:
    struct, names = model.__name__, []
    current: Any = model
    for part in where:
        inner = unwrap(current)
        if get_origin(inner) in (list, dict):  # an item, or a map's value: same struct field
            current = get_args(inner)[-1]
            continue
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)) or isinstance(
                part, int):
            return None
        field = next((f for n, f in inner.model_fields.items() if part in (n, f.alias)), None)
        if field is None:
            return None
        struct, current = inner.__name__, field.annotation
        names.append(str(part))
    go_type = FIELD_TYPES.get((struct, names[-1])) or _go_type(current, names[-1]) \
        if names else None
    if go_type is None or struct.startswith("_"):
        return None
    return f"Go struct field {struct}.{'.'.join(names)} of type {go_type}"
