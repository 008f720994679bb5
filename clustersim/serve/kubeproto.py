"""Read the Kubernetes protobuf encoding, for the objects ``kubectl create <generator>`` sends.

Why the server needs it: client-go's typed clients for built-in kinds send protobuf
(``Content-Type: application/vnd.kubernetes.protobuf``) whenever the client configuration
sets no content type (``UseProtobufAsDefaultIfPreferred`` in
``staging/src/k8s.io/client-go/rest/request.go``, called by ``client-go/gentype/type.go``).
A kubeconfig cannot set one, and the choice is made on the client, not negotiated through the
discovery documents, so the commands built on typed clients (``kubectl create deployment``,
``create namespace``, ``create configmap``, ``create service clusterip``, ...) always send
protobuf, while ``apply``, ``create -f`` and the other commands built on the dynamic client
send JSON. The only fallback client-go has is from CBOR to JSON after a 415
(``client-go/rest/client.go``), never from protobuf.

The envelope is ``staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/
protobuf.go``: the four bytes ``k8s\\0``, then a ``runtime.Unknown`` message (``typeMeta`` 1
with ``apiVersion`` 1 and ``kind`` 2, the object's own bytes in ``raw`` 2). Field numbers come
from ``k8s.io/api/<group>/<version>/generated.proto`` and ``k8s.io/apimachinery/pkg/apis/meta/
v1/generated.proto``. Simplified: only the kinds the simulator stores and the fields the
generators (and the simulator) use are decoded; any other field is skipped, as a protobuf
reader skips fields it does not know. Fields decode to the JSON an API server would store:
empty values are left out, except the pointer fields (``replicas: 0`` stays).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

__all__ = ["MAGIC", "ProtobufError", "UnsupportedKindError", "decode"]

MAGIC = b"k8s\x00"
"""The prefix of every protobuf-encoded Kubernetes object."""

_META = {1: ("name", "string"), 2: ("generateName", "string"), 3: ("namespace", "string"),
         11: ("labels", "{string}"), 12: ("annotations", "{string}"),
         13: ("ownerReferences", "[OwnerReference]"), 14: ("finalizers", "[string]")}
_OBJECT = {1: ("metadata", "ObjectMeta")}

# A type is a scalar (string, int, bool, bytes as base64, raw bytes), a message name, "[T]"
# (repeated) or "{T}" (a map from strings to T); a trailing "?" marks a pointer field, whose
# zero is kept; a message with no field name is embedded inline (Go's ``json:",inline"``).
_MESSAGES: dict[str, dict[int, tuple[str, str]]] = {
    "Unknown": {1: ("typeMeta", "TypeMeta"), 2: ("raw", "raw"),
                3: ("contentEncoding", "string"), 4: ("contentType", "string")},
    "TypeMeta": {1: ("apiVersion", "string"), 2: ("kind", "string")},
    "ObjectMeta": _META,
    "OwnerReference": {1: ("kind", "string"), 3: ("name", "string"), 4: ("uid", "string"),
                       5: ("apiVersion", "string"), 6: ("controller", "bool?"),
                       7: ("blockOwnerDeletion", "bool?")},
    "LabelSelector": {1: ("matchLabels", "{string}"),
                      2: ("matchExpressions", "[LabelSelectorRequirement]")},
    "LabelSelectorRequirement": {1: ("key", "string"), 2: ("operator", "string"),
                                 3: ("values", "[string]")},
    "PodTemplateSpec": {1: ("metadata", "ObjectMeta"), 2: ("spec", "PodSpec")},
    "PodSpec": {2: ("containers", "[Container]"), 3: ("restartPolicy", "string"),
                4: ("terminationGracePeriodSeconds", "int?"),
                5: ("activeDeadlineSeconds", "int?"), 6: ("dnsPolicy", "string"),
                7: ("nodeSelector", "{string}"), 8: ("serviceAccountName", "string"),
                10: ("nodeName", "string"), 11: ("hostNetwork", "bool"),
                19: ("schedulerName", "string"), 20: ("initContainers", "[Container]"),
                22: ("tolerations", "[Toleration]"), 24: ("priorityClassName", "string"),
                25: ("priority", "int?")},
    "Toleration": {1: ("key", "string"), 2: ("operator", "string"), 3: ("value", "string"),
                   4: ("effect", "string"), 5: ("tolerationSeconds", "int?")},
    "Container": {1: ("name", "string"), 2: ("image", "string"), 3: ("command", "[string]"),
                  4: ("args", "[string]"), 5: ("workingDir", "string"),
                  6: ("ports", "[ContainerPort]"), 7: ("env", "[EnvVar]"),
                  8: ("resources", "ResourceRequirements"),
                  13: ("terminationMessagePath", "string"),
                  14: ("imagePullPolicy", "string"), 16: ("stdin", "bool"),
                  17: ("stdinOnce", "bool"), 18: ("tty", "bool"),
                  20: ("terminationMessagePolicy", "string")},
    "ContainerPort": {1: ("name", "string"), 2: ("hostPort", "int"),
                      3: ("containerPort", "int"), 4: ("protocol", "string"),
                      5: ("hostIP", "string")},
    "EnvVar": {1: ("name", "string"), 2: ("value", "string")},
    "Quantity": {1: ("string", "string")},
    "ResourceRequirements": {1: ("limits", "{Quantity}"), 2: ("requests", "{Quantity}")},
    "Pod": {**_OBJECT, 2: ("spec", "PodSpec")},
    "Deployment": {**_OBJECT, 2: ("spec", "DeploymentSpec")},
    "DeploymentSpec": {1: ("replicas", "int?"), 2: ("selector", "LabelSelector"),
                       3: ("template", "PodTemplateSpec"), 4: ("strategy", "DeploymentStrategy"),
                       5: ("minReadySeconds", "int"), 6: ("revisionHistoryLimit", "int?"),
                       7: ("paused", "bool"), 9: ("progressDeadlineSeconds", "int?")},
    "DeploymentStrategy": {1: ("type", "string"),
                           2: ("rollingUpdate", "RollingUpdateDeployment")},
    "RollingUpdateDeployment": {1: ("maxUnavailable", "IntOrString"),
                                2: ("maxSurge", "IntOrString")},
    "Namespace": {**_OBJECT, 2: ("spec", "NamespaceSpec")},
    "NamespaceSpec": {1: ("finalizers", "[string]")},
    "ConfigMap": {**_OBJECT, 2: ("data", "{string}"), 3: ("binaryData", "{bytes}"),
                  4: ("immutable", "bool?")},
    "Secret": {**_OBJECT, 2: ("data", "{bytes}"), 3: ("type", "string"),
               4: ("stringData", "{string}"), 5: ("immutable", "bool?")},
    "Service": {**_OBJECT, 2: ("spec", "ServiceSpec")},
    "ServiceSpec": {1: ("ports", "[ServicePort]"), 2: ("selector", "{string}"),
                    3: ("clusterIP", "string"), 4: ("type", "string"),
                    5: ("externalIPs", "[string]"), 7: ("sessionAffinity", "string"),
                    10: ("externalName", "string"), 11: ("externalTrafficPolicy", "string"),
                    17: ("ipFamilyPolicy", "string"), 18: ("clusterIPs", "[string]"),
                    19: ("ipFamilies", "[string]")},
    "ServicePort": {1: ("name", "string"), 2: ("protocol", "string"), 3: ("port", "int"),
                    4: ("targetPort", "IntOrString"), 5: ("nodePort", "int"),
                    6: ("appProtocol", "string")},
    "Job": {**_OBJECT, 2: ("spec", "JobSpec")},
    "JobSpec": {1: ("parallelism", "int?"), 2: ("completions", "int?"),
                3: ("activeDeadlineSeconds", "int?"), 4: ("selector", "LabelSelector"),
                5: ("manualSelector", "bool?"), 6: ("template", "PodTemplateSpec"),
                7: ("backoffLimit", "int?"), 8: ("ttlSecondsAfterFinished", "int?"),
                9: ("completionMode", "string"), 10: ("suspend", "bool?")},
    "CronJob": {**_OBJECT, 2: ("spec", "CronJobSpec")},
    "CronJobSpec": {1: ("schedule", "string"), 2: ("startingDeadlineSeconds", "int?"),
                    3: ("concurrencyPolicy", "string"), 4: ("suspend", "bool?"),
                    5: ("jobTemplate", "JobTemplateSpec"),
                    6: ("successfulJobsHistoryLimit", "int?"),
                    7: ("failedJobsHistoryLimit", "int?"), 8: ("timeZone", "string")},
    "JobTemplateSpec": {1: ("metadata", "ObjectMeta"), 2: ("spec", "JobSpec")},
    "PodDisruptionBudget": {**_OBJECT, 2: ("spec", "PodDisruptionBudgetSpec")},
    "PodDisruptionBudgetSpec": {1: ("minAvailable", "IntOrString"),
                                2: ("selector", "LabelSelector"),
                                3: ("maxUnavailable", "IntOrString"),
                                4: ("unhealthyPodEvictionPolicy", "string")},
    "PriorityClass": {**_OBJECT, 2: ("value", "int?"), 3: ("globalDefault", "bool"),
                      4: ("description", "string"), 5: ("preemptionPolicy", "string")},
    "ResourceQuota": {**_OBJECT, 2: ("spec", "ResourceQuotaSpec")},
    "ResourceQuotaSpec": {1: ("hard", "{Quantity}"), 2: ("scopes", "[string]"),
                          3: ("scopeSelector", "ScopeSelector")},
    "ScopeSelector": {1: ("matchExpressions", "[ScopedResourceSelectorRequirement]")},
    "ScopedResourceSelectorRequirement": {1: ("scopeName", "string"), 2: ("operator", "string"),
                                          3: ("values", "[string]")},
    # autoscaling/v2 (``kubectl autoscale``)
    "HorizontalPodAutoscaler": {**_OBJECT, 2: ("spec", "HorizontalPodAutoscalerSpec")},
    "HorizontalPodAutoscalerSpec": {1: ("scaleTargetRef", "CrossVersionObjectReference"),
                                    2: ("minReplicas", "int?"), 3: ("maxReplicas", "int"),
                                    4: ("metrics", "[MetricSpec]"),
                                    5: ("behavior", "HorizontalPodAutoscalerBehavior")},
    "CrossVersionObjectReference": {1: ("kind", "string"), 2: ("name", "string"),
                                    3: ("apiVersion", "string")},
    "MetricSpec": {1: ("type", "string"), 2: ("object", "ObjectMetricSource"),
                   3: ("pods", "PodsMetricSource"), 4: ("resource", "ResourceMetricSource"),
                   5: ("external", "ExternalMetricSource"),
                   7: ("containerResource", "ContainerResourceMetricSource")},
    "ResourceMetricSource": {1: ("name", "string"), 2: ("target", "MetricTarget")},
    "ContainerResourceMetricSource": {1: ("name", "string"), 2: ("target", "MetricTarget"),
                                      3: ("container", "string")},
    "PodsMetricSource": {1: ("metric", "MetricIdentifier"), 2: ("target", "MetricTarget")},
    "ObjectMetricSource": {1: ("describedObject", "CrossVersionObjectReference"),
                           2: ("target", "MetricTarget"), 3: ("metric", "MetricIdentifier")},
    "ExternalMetricSource": {1: ("metric", "MetricIdentifier"), 2: ("target", "MetricTarget")},
    "MetricIdentifier": {1: ("name", "string"), 2: ("selector", "LabelSelector")},
    "MetricTarget": {1: ("type", "string"), 2: ("value", "Quantity"),
                     3: ("averageValue", "Quantity"), 4: ("averageUtilization", "int?")},
    "HorizontalPodAutoscalerBehavior": {1: ("scaleUp", "HPAScalingRules"),
                                        2: ("scaleDown", "HPAScalingRules")},
    "HPAScalingRules": {1: ("selectPolicy", "string"), 2: ("policies", "[HPAScalingPolicy]"),
                        3: ("stabilizationWindowSeconds", "int?"), 4: ("tolerance", "Quantity")},
    "HPAScalingPolicy": {1: ("type", "string"), 2: ("value", "int"),
                         3: ("periodSeconds", "int")},
    "ServiceAccount": {**_OBJECT, 2: ("secrets", "[ObjectReference]"),
                       3: ("imagePullSecrets", "[LocalObjectReference]"),
                       4: ("automountServiceAccountToken", "bool?")},
    "ObjectReference": {1: ("kind", "string"), 2: ("namespace", "string"), 3: ("name", "string"),
                        4: ("uid", "string"), 5: ("apiVersion", "string")},
    "LocalObjectReference": {1: ("name", "string")},
    # rbac.authorization.k8s.io/v1 (``kubectl create role|rolebinding|clusterrole|...``)
    "Role": {**_OBJECT, 2: ("rules", "[PolicyRule]")},
    "ClusterRole": {**_OBJECT, 2: ("rules", "[PolicyRule]"),
                    3: ("aggregationRule", "AggregationRule")},
    "AggregationRule": {1: ("clusterRoleSelectors", "[LabelSelector]")},
    "PolicyRule": {1: ("verbs", "[string]"), 2: ("apiGroups", "[string]"),
                   3: ("resources", "[string]"), 4: ("resourceNames", "[string]"),
                   5: ("nonResourceURLs", "[string]")},
    "RoleBinding": {**_OBJECT, 2: ("subjects", "[Subject]"), 3: ("roleRef", "RoleRef")},
    "ClusterRoleBinding": {**_OBJECT, 2: ("subjects", "[Subject]"), 3: ("roleRef", "RoleRef")},
    "Subject": {1: ("kind", "string"), 2: ("apiGroup", "string"), 3: ("name", "string"),
                4: ("namespace", "string")},
    "RoleRef": {1: ("apiGroup", "string"), 2: ("kind", "string"), 3: ("name", "string")},
    # authorization.k8s.io/v1 (``kubectl auth can-i``)
    "SelfSubjectAccessReview": {**_OBJECT, 2: ("spec", "SelfSubjectAccessReviewSpec")},
    "SelfSubjectAccessReviewSpec": {1: ("resourceAttributes", "ResourceAttributes"),
                                    2: ("nonResourceAttributes", "NonResourceAttributes")},
    "ResourceAttributes": {1: ("namespace", "string"), 2: ("verb", "string"),
                           3: ("group", "string"), 4: ("version", "string"),
                           5: ("resource", "string"), 6: ("subresource", "string"),
                           7: ("name", "string")},
    "NonResourceAttributes": {1: ("path", "string"), 2: ("verb", "string")},
    "SelfSubjectRulesReview": {**_OBJECT, 2: ("spec", "SelfSubjectRulesReviewSpec")},
    "SelfSubjectRulesReviewSpec": {1: ("namespace", "string")},
    # autoscaling/v1 (``kubectl autoscale`` before 1.34: k8s.io/api autoscaling/v1
    # generated.proto; CrossVersionObjectReference has v2's numbers)
    "HorizontalPodAutoscalerV1": {**_OBJECT, 2: ("spec", "HorizontalPodAutoscalerSpecV1")},
    "HorizontalPodAutoscalerSpecV1": {1: ("scaleTargetRef", "CrossVersionObjectReference"),
                                      2: ("minReplicas", "int?"), 3: ("maxReplicas", "int"),
                                      4: ("targetCPUUtilizationPercentage", "int?")},
    # authentication.k8s.io/v1 (``kubectl auth whoami``): metadata only, the status is output
    "SelfSubjectReview": {**_OBJECT},
    # networking.k8s.io/v1 (``kubectl create ingress``; k8s.io/api networking/v1
    # generated.proto). IngressRuleValue is inline in JSON: its ``http`` sits on the rule.
    "Ingress": {**_OBJECT, 2: ("spec", "IngressSpec")},
    "IngressSpec": {1: ("defaultBackend", "IngressBackend"), 2: ("tls", "[IngressTLS]"),
                    3: ("rules", "[IngressRule]"), 4: ("ingressClassName", "string?")},
    "IngressBackend": {3: ("resource", "TypedLocalObjectReference"),
                       4: ("service", "IngressServiceBackend")},
    "TypedLocalObjectReference": {1: ("apiGroup", "string?"), 2: ("kind", "string"),
                                  3: ("name", "string")},
    "IngressServiceBackend": {1: ("name", "string"), 2: ("port", "ServiceBackendPort")},
    "ServiceBackendPort": {1: ("name", "string"), 2: ("number", "int")},
    "IngressTLS": {1: ("hosts", "[string]"), 2: ("secretName", "string")},
    "IngressRule": {1: ("host", "string"), 2: ("", "IngressRuleValue")},
    "IngressRuleValue": {1: ("http", "HTTPIngressRuleValue")},
    "HTTPIngressRuleValue": {1: ("paths", "[HTTPIngressPath]")},
    "HTTPIngressPath": {1: ("path", "string"), 2: ("backend", "IngressBackend"),
                        3: ("pathType", "string?")},
    "IngressClass": {**_OBJECT, 2: ("spec", "IngressClassSpec")},
    "IngressClassSpec": {1: ("controller", "string"),
                         2: ("parameters", "IngressClassParametersReference")},
    "IngressClassParametersReference": {1: ("apiGroup", "string?"), 2: ("kind", "string"),
                                        3: ("name", "string"), 4: ("scope", "string?"),
                                        5: ("namespace", "string?")},
}
# the kinds read, each at the one version whose field numbers are above
_KINDS = {"Pod": "v1", "Deployment": "apps/v1", "Namespace": "v1", "ConfigMap": "v1",
          "Secret": "v1", "Service": "v1", "Job": "batch/v1", "CronJob": "batch/v1",
          "PodDisruptionBudget": "policy/v1", "PriorityClass": "scheduling.k8s.io/v1",
          "ResourceQuota": "v1", "HorizontalPodAutoscaler": "autoscaling/v2",
          "ServiceAccount": "v1", "Role": "rbac.authorization.k8s.io/v1",
          "ClusterRole": "rbac.authorization.k8s.io/v1",
          "RoleBinding": "rbac.authorization.k8s.io/v1",
          "ClusterRoleBinding": "rbac.authorization.k8s.io/v1",
          "SelfSubjectAccessReview": "authorization.k8s.io/v1",
          "SelfSubjectRulesReview": "authorization.k8s.io/v1",
          "SelfSubjectReview": "authentication.k8s.io/v1",
          "Ingress": "networking.k8s.io/v1", "IngressClass": "networking.k8s.io/v1"}
# a kind read at a second version too, with the message its fields are numbered in
_OTHER_VERSIONS = {("autoscaling/v1", "HorizontalPodAutoscaler"): "HorizontalPodAutoscalerV1"}


class ProtobufError(ValueError):
    """A body that is not a well-formed Kubernetes protobuf object."""


class UnsupportedKindError(ProtobufError):
    """A well-formed protobuf object of a kind this reader has no field numbers for."""


def decode(body: bytes) -> dict[str, Any]:
    """The JSON form of the protobuf-encoded object ``body`` (``apiVersion`` and ``kind``
    first, from the envelope)."""
    if not body.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf prefix k8s\\0")
    envelope = _message(body[len(MAGIC):], "Unknown")
    meta = envelope.get("typeMeta") or {}
    kind = meta.get("kind", "")
    version = meta.get("apiVersion", "")
    message = kind if kind in _KINDS and _KINDS[kind] == version else _OTHER_VERSIONS.get(
        (version, kind))
    if message is None:
        raise UnsupportedKindError(
            f"{meta.get('apiVersion', '')} {kind!r} in protobuf: the simulated API server "
            f"reads protobuf for {', '.join(f'{v} {k}' for k, v in _KINDS.items())} only; "
            "send it as YAML or JSON (kubectl create -f or kubectl apply -f)")
    return {"apiVersion": version, "kind": kind, **_message(envelope.get("raw", b""), message)}


def _fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) for each field of an encoded message."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, wire, value
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise ProtobufError("a field runs past the end of the body")
            yield number, wire, data[pos:pos + length]
            pos += length
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ProtobufError(f"field {number} has wire type {wire}, which Kubernetes "
                                "objects do not use")
    if pos != len(data):
        raise ProtobufError("the last field runs past the end of the body")


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ProtobufError("a number runs past the end of the body")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return (value - (1 << 64) if value >= 1 << 63 else value), pos


def _message(data: bytes, name: str) -> dict[str, Any]:
    schema = _MESSAGES[name]
    out: dict[str, Any] = {}
    for number, wire, value in _fields(data):
        if number not in schema:
            continue
        field, kind = schema[number]
        pointer = kind.endswith("?")
        kind = kind.rstrip("?")
        if kind.startswith("{"):
            key, item = _map_entry(_bytes(value, field), kind[1:-1])
            out.setdefault(field, {})[key] = item
        elif kind.startswith("["):
            out.setdefault(field, []).append(_value(wire, value, kind[1:-1], field))
        else:
            decoded = _value(wire, value, kind, field)
            if not field:
                out.update(decoded)
            elif pointer or decoded not in ("", b"", 0, False, {}, None):
                out[field] = decoded
            else:
                out.pop(field, None)
    return out


def _map_entry(data: bytes, kind: str) -> tuple[str, Any]:
    key, item = "", _value(2, b"", kind, "value")
    for number, wire, value in _fields(data):
        if number == 1:
            key = _bytes(value, "key").decode("utf-8", "replace")
        elif number == 2:
            item = _value(wire, value, kind, key)
    return key, item


def _value(wire: int, value: int | bytes, kind: str, field: str) -> Any:
    if kind in ("int", "bool"):
        if wire != 0 or not isinstance(value, int):
            raise ProtobufError(f"{field} should be a number")
        return bool(value) if kind == "bool" else value
    data = _bytes(value, field)
    if kind == "string":
        return data.decode("utf-8", "replace")
    if kind == "raw":
        return data
    if kind == "bytes":
        return base64.b64encode(data).decode()
    if kind == "Quantity":
        return _message(data, "Quantity").get("string", "")
    if kind == "IntOrString":
        parts = {n: v for n, _, v in _fields(data)}
        if parts.get(1):
            return _bytes(parts.get(3, b""), field).decode("utf-8", "replace")
        return parts.get(2, 0)
    return _message(data, kind)


def _bytes(value: int | bytes, field: str) -> bytes:
    if not isinstance(value, bytes):
        raise ProtobufError(f"{field} should be length-delimited")
    return value
