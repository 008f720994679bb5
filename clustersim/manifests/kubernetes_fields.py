"""Unknown fields in Kubernetes objects: the typos that strict field validation refuses.

``kubectl apply`` asks the API server for strict field validation by default
(``--validate=strict``; the API server's side of it is on by default since Kubernetes 1.25 and
always there since 1.27, KEP-2885), and an unknown field fails the request: ``strict decoding
error: unknown field "spec.replica"`` (https://kubernetes.io/docs/reference/using-api/
api-concepts/#field-validation). The field lists below are those of kubernetes/api
``core/v1/types.go``, ``apps/v1/types.go``, ``batch/v1/types.go`` and, for the access reviews,
``authorization/v1/types.go``, and the Scale and Eviction of the ``/scale`` and
``/eviction`` subresources (as of v1.37, the release
whose schemas :mod:`clustersim.schemas` reads; a test compares the two) for the structures a
learner writes most, ``affinity`` and its terms included (a preferred term written without
``podAffinityTerm:`` has an unknown ``labelSelector`` and ``topologyKey``), and each kind's
``status``, walked whole by the kind's OpenAPI schema (the decoder reads the whole object
on a write to ``/status`` as on any other, so ``status.phaze`` is as unknown as
``spec.replica``; a kind without a status, a ConfigMap, has an unknown ``status``); fields
inside other structures of a spec (probes, volumes' sources, security contexts) are not
checked, where the real decoder names them too, but for the strategic merge patch's
directives a patch left there (:func:`_directives`). The loader
reports unknown fields of an object that is otherwise valid as warnings, one per field
in the API server's words (``unknown field "spec.replica"``, what
``fieldValidation=Warn`` sends and ``kubectl apply --validate=warn`` prints after
``Warning:``; :func:`strict_decoding_problems`), or, when the object has errors (a typo such
as ``container:`` leaves a required field out), as the first error, the one strict decoding
error that names them all, with the closest known field as a guess (or the field one level
down that has the name, where a wrapper was left out); the simulated API server
(:mod:`clustersim.serve.kubernetes`) does what the request's ``fieldValidation`` asks, as the
real one does: ``Strict`` (kubectl's default) refuses the object, ``Warn`` (the server's
default) and ``Ignore`` drop the fields before storing it, ``Warn`` with a warning for each.

Several unknown fields make one error, as the API server's strict decoder reports them
(:func:`strict_decoding_error`), in the order the decoder meets them in the JSON it reads;
kubectl sends an object as JSON whose keys are sorted (:func:`in_sent_order`).
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from functools import cache
from typing import Any

__all__ = ["MAX_STRICT_ERRORS", "UnknownField", "in_sent_order", "is_unknown_field",
           "strict_decoding_error", "strict_decoding_problems", "unknown_fields_meant"]

MAX_STRICT_ERRORS = 100
"""The strict errors one decoding keeps: sigs.k8s.io/json ``saveStrictError``
(``internal/golang/encoding/json/kubernetes_patch.go``) drops any past the 100th."""


def _plain(names: str) -> dict[str, str | None]:
    """Fields whose values are not checked further (space-separated names)."""
    return dict.fromkeys(names.split())


_API = "io.k8s.api."
"""The prefix of the OpenAPI names of the k8s.io/api types: a structure so named is walked by
its schema (:func:`_fields`)."""

# structure → {field: structure of its value, "[structure]" for a list of them, or None}
_STRUCTS: dict[str, dict[str, str | None]] = {
    "ObjectMeta": _plain(
        "annotations creationTimestamp deletionGracePeriodSeconds deletionTimestamp finalizers "
        "generateName generation labels managedFields name namespace ownerReferences "
        "resourceVersion selfLink uid"
    ),
    "LabelSelector": _plain("matchExpressions matchLabels"),
    "Affinity": {"nodeAffinity": "NodeAffinity", "podAffinity": "PodAffinity",
                 "podAntiAffinity": "PodAffinity"},
    "NodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": "NodeSelector",
        "preferredDuringSchedulingIgnoredDuringExecution": "[PreferredSchedulingTerm]",
    },
    "NodeSelector": {"nodeSelectorTerms": "[NodeSelectorTerm]"},
    "NodeSelectorTerm": {"matchExpressions": "[NodeSelectorRequirement]",
                         "matchFields": "[NodeSelectorRequirement]"},
    "NodeSelectorRequirement": _plain("key operator values"),
    "PreferredSchedulingTerm": {"preference": "NodeSelectorTerm", "weight": None},
    # PodAntiAffinity has the fields of PodAffinity, and its terms are the same types
    "PodAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": "[PodAffinityTerm]",
        "preferredDuringSchedulingIgnoredDuringExecution": "[WeightedPodAffinityTerm]",
    },
    "PodAffinityTerm": {
        **_plain("matchLabelKeys mismatchLabelKeys namespaces topologyKey"),
        "labelSelector": "LabelSelector",
        "namespaceSelector": "LabelSelector",
    },
    "WeightedPodAffinityTerm": {"podAffinityTerm": "PodAffinityTerm", "weight": None},
    "PodTemplateSpec": {"metadata": "ObjectMeta", "spec": "PodSpec"},
    "PodSpec": {
        **_plain(
            "activeDeadlineSeconds automountServiceAccountToken dnsConfig dnsPolicy "
            "enableServiceLinks ephemeralContainers evictionResponders hostAliases hostIPC "
            "hostNetwork hostPID hostUsers hostname hostnameOverride imagePullSecrets nodeName "
            "nodeSelector os overhead preemptionPolicy priority priorityClassName readinessGates "
            "resourceClaims resources restartPolicy runtimeClassName schedulerName "
            "schedulingGates schedulingGroup securityContext serviceAccount serviceAccountName "
            "setHostnameAsFQDN shareProcessNamespace subdomain terminationGracePeriodSeconds "
            "volumes"
        ),
        "affinity": "Affinity",
        "containers": "[Container]",
        "initContainers": "[Container]",
        "tolerations": "[Toleration]",
        "topologySpreadConstraints": "[TopologySpreadConstraint]",
    },
    "Container": {
        **_plain(
            "args command envFrom image imagePullPolicy lifecycle livenessProbe name "
            "readinessProbe resizePolicy restartPolicy restartPolicyRules securityContext "
            "startupProbe stdin stdinOnce terminationMessagePath terminationMessagePolicy tty "
            "volumeDevices workingDir"
        ),
        "env": "[EnvVar]",
        "ports": "[ContainerPort]",
        "resources": "ResourceRequirements",
        "volumeMounts": "[VolumeMount]",
    },
    "EnvVar": _plain("name value valueFrom"),
    "ContainerPort": _plain("containerPort hostIP hostPort name protocol"),
    "ResourceRequirements": _plain("claims limits requests"),
    "VolumeMount": _plain(
        "bindMountOptions mountPath mountPropagation name readOnly recursiveReadOnly subPath "
        "subPathExpr"
    ),
    "Toleration": _plain("effect key operator tolerationSeconds value"),
    "TopologySpreadConstraint": {
        **_plain(
            "matchLabelKeys maxSkew minDomains nodeAffinityPolicy nodeTaintsPolicy topologyKey "
            "whenUnsatisfiable"
        ),
        "labelSelector": "LabelSelector",
    },
    "DeploymentSpec": {
        **_plain(
            "minReadySeconds paused progressDeadlineSeconds replicas revisionHistoryLimit strategy"
        ),
        "selector": "LabelSelector",
        "template": "PodTemplateSpec",
    },
    "ReplicaSetSpec": {
        **_plain("minReadySeconds replicas"),
        "selector": "LabelSelector",
        "template": "PodTemplateSpec",
    },
    "ReplicationControllerSpec": {
        **_plain("minReadySeconds replicas selector"),
        "template": "PodTemplateSpec",
    },
    "StatefulSetSpec": {
        **_plain(
            "minReadySeconds ordinals persistentVolumeClaimRetentionPolicy podManagementPolicy "
            "replicas revisionHistoryLimit serviceName updateStrategy"
        ),
        "selector": "LabelSelector",
        "template": "PodTemplateSpec",
        "volumeClaimTemplates": "[PersistentVolumeClaim]",
    },
    "DaemonSetSpec": {
        **_plain("minReadySeconds revisionHistoryLimit updateStrategy"),
        "selector": "LabelSelector",
        "template": "PodTemplateSpec",
    },
    "JobSpec": {
        **_plain(
            "activeDeadlineSeconds backoffLimit backoffLimitPerIndex completionMode completions "
            "managedBy manualSelector maxFailedIndexes parallelism podFailurePolicy "
            "podReplacementPolicy scheduling successPolicy suspend ttlSecondsAfterFinished"
        ),
        "selector": "LabelSelector",
        "template": "PodTemplateSpec",
    },
    "JobTemplateSpec": {"metadata": "ObjectMeta", "spec": "JobSpec"},
    "CronJobSpec": {
        **_plain(
            "concurrencyPolicy failedJobsHistoryLimit schedule startingDeadlineSeconds "
            "successfulJobsHistoryLimit suspend timeZone"
        ),
        "jobTemplate": "JobTemplateSpec",
    },
    "ServiceSpec": {
        **_plain(
            "allocateLoadBalancerNodePorts clusterIP clusterIPs externalIPs externalName "
            "externalTrafficPolicy healthCheckNodePort internalTrafficPolicy ipFamilies "
            "ipFamilyPolicy loadBalancerClass loadBalancerIP loadBalancerSourceRanges "
            "publishNotReadyAddresses selector sessionAffinity sessionAffinityConfig "
            "trafficDistribution type"
        ),
        "ports": "[ServicePort]",
    },
    "ServicePort": _plain("appProtocol name nodePort port protocol targetPort"),
    "PersistentVolumeClaim": {
        "apiVersion": None,
        "kind": None,
        "metadata": "ObjectMeta",
        "spec": "PersistentVolumeClaimSpec",
        "status": _API + "core.v1.PersistentVolumeClaimStatus",
    },
    "PersistentVolumeClaimSpec": {
        **_plain(
            "accessModes dataSource dataSourceRef storageClassName volumeAttributesClassName "
            "volumeMode volumeName"
        ),
        "resources": "ResourceRequirements",
        "selector": "LabelSelector",
    },
    "NodeSpec": _plain(
        "configSource externalID podCIDR podCIDRs podPreemptionPolicy providerID taints "
        "unschedulable"
    ),
    # the access reviews (k8s.io/api authorization/v1/types.go)
    "SelfSubjectAccessReviewSpec": {"nonResourceAttributes": "NonResourceAttributes",
                                    "resourceAttributes": "ResourceAttributes"},
    "SubjectAccessReviewSpec": {**_plain("extra groups uid user"),
                                "nonResourceAttributes": "NonResourceAttributes",
                                "resourceAttributes": "ResourceAttributes"},
    "ResourceAttributes": _plain(
        "fieldSelector group labelSelector name namespace resource subresource verb version"
    ),
    "NonResourceAttributes": _plain("path verb"),
    "SelfSubjectRulesReviewSpec": _plain("namespace"),
    "SubjectAccessReviewStatus": _plain("allowed denied evaluationError reason"),
    "SubjectRulesReviewStatus": _plain(
        "evaluationError incomplete nonResourceRules resourceRules"
    ),
    "SelfSubjectReviewStatus": _plain("userInfo"),     # authentication/v1
    # the subresources' bodies: a /scale's Scale, an /eviction's Eviction
    "ScaleSpec": _plain("replicas"),
    "ScaleStatus": _plain("replicas selector"),
    "DeleteOptions": _plain(
        "apiVersion dryRun gracePeriodSeconds ignoreStoreReadErrorWithClusterBreakingPotential "
        "kind orphanDependents preconditions propagationPolicy"
    ),
}
_ENVELOPE = {"apiVersion": None, "kind": None, "metadata": "ObjectMeta"}


def _kind(spec: str | None, status: str | None) -> dict[str, str | None]:
    """The fields of a kind with a ``spec`` and a ``status`` of these structures (None: a
    spec whose fields are not checked)."""
    return {**_ENVELOPE, "spec": spec, "status": status}


_KINDS: dict[str, dict[str, str | None]] = {
    "Pod": _kind("PodSpec", _API + "core.v1.PodStatus"),
    "Deployment": _kind("DeploymentSpec", _API + "apps.v1.DeploymentStatus"),
    "ReplicaSet": _kind("ReplicaSetSpec", _API + "apps.v1.ReplicaSetStatus"),
    "ReplicationController": _kind("ReplicationControllerSpec",
                                   _API + "core.v1.ReplicationControllerStatus"),
    "StatefulSet": _kind("StatefulSetSpec", _API + "apps.v1.StatefulSetStatus"),
    "DaemonSet": _kind("DaemonSetSpec", _API + "apps.v1.DaemonSetStatus"),
    "Job": _kind("JobSpec", _API + "batch.v1.JobStatus"),
    "CronJob": _kind("CronJobSpec", _API + "batch.v1.CronJobStatus"),
    "Service": _kind("ServiceSpec", _API + "core.v1.ServiceStatus"),
    "PersistentVolumeClaim": _STRUCTS["PersistentVolumeClaim"],
    "ConfigMap": {**_ENVELOPE, **_plain("data binaryData immutable")},
    "Secret": {**_ENVELOPE, **_plain("data stringData type immutable")},
    "Namespace": _kind(None, _API + "core.v1.NamespaceStatus"),
    "Node": _kind("NodeSpec", _API + "core.v1.NodeStatus"),
    "SelfSubjectAccessReview": _kind("SelfSubjectAccessReviewSpec", "SubjectAccessReviewStatus"),
    "SubjectAccessReview": _kind("SubjectAccessReviewSpec", "SubjectAccessReviewStatus"),
    "SelfSubjectRulesReview": _kind("SelfSubjectRulesReviewSpec", "SubjectRulesReviewStatus"),
    "SelfSubjectReview": {**_ENVELOPE, "status": "SelfSubjectReviewStatus"},    # no spec
    "Scale": _kind("ScaleSpec", "ScaleStatus"),      # autoscaling/v1
    "Eviction": {**_ENVELOPE, "deleteOptions": "DeleteOptions"},   # policy/v1: no status
}


UnknownField = tuple[str, tuple[str | int, ...], str | None]
"""An unknown field: its path as kubectl prints it, as the loader's path, the closest field."""


def _walk(value: Any, fields: dict[str, str | None], path: str, at: tuple[str | int, ...],
          found: list[UnknownField], drop: bool) -> None:
    if not isinstance(value, dict):
        return
    for key, item in list(value.items()):
        where = f"{path}.{key}" if path else key
        if key not in fields:
            found.append((where, (*at, key), _meant(str(key), fields)))
            if drop:
                del value[key]
            continue
        child = fields[key]
        if child is None:
            _directives(item, where, (*at, key), found, drop)
            continue
        if child.startswith("["):
            for index, element in enumerate(item if isinstance(item, list) else []):
                _walk(element, _fields(child[1:-1]), f"{where}[{index}]", (*at, key, index),
                      found, drop)
        else:
            _walk(item, _fields(child), where, (*at, key), found, drop)


_DIRECTIVES = ("$patch", "$retainKeys")
_DIRECTIVE_PREFIXES = ("$setElementOrder/", "$deleteFromPrimitiveList/")


def _directives(value: Any, path: str, at: tuple[str | int, ...], found: list[UnknownField],
                drop: bool) -> None:
    """Inside a value whose fields are not checked (a probe, a volume's source), the
    strategic merge patch directives left in it, as unknown fields: a directive the merge
    did not apply (in a value the live object lacked, or an element a merged list gained,
    taken as sent: :mod:`~clustersim.kubernetes.strategicmerge`) reaches the decoder,
    whose Go struct has no such field (``FromUnstructuredWithValidation`` after the merge
    in k8s.io/apiserver ``pkg/endpoints/handlers/patch.go``), so it is refused, warned of
    or dropped as any unknown field, never stored. Simplified: one inside a Go map (a
    ``nodeSelector``) is found too, where the decoder keeps it as a key that validation
    then refuses."""
    if isinstance(value, list):
        for index, element in enumerate(value):
            _directives(element, f"{path}[{index}]", (*at, index), found, drop)
        return
    if not isinstance(value, dict):
        return
    for key, item in list(value.items()):
        where = f"{path}.{key}"
        if key in _DIRECTIVES or str(key).startswith(_DIRECTIVE_PREFIXES):
            found.append((where, (*at, key), None))
            if drop:
                del value[key]
        else:
            _directives(item, where, (*at, key), found, drop)


def _fields(struct: str) -> dict[str, str | None]:
    """The fields of a structure: :data:`_STRUCTS`' table, or, for a type named by its
    OpenAPI name (each kind's status), its schema's in the release's definitions
    (:func:`clustersim.schemas.kubernetes_definitions`), every structure inside walked so
    too: a field holding a type with properties (or a list of them) is walked into, any
    other (a string, a number, a map, a ``Time``, a ``Quantity``) is not. A status is
    walked whole because the decoder reads the whole object whatever the subresource
    written (k8s.io/apiserver ``pkg/endpoints/handlers/update.go`` and ``patch.go``
    decode into the kind's own Go type), so a typo deep in a status
    (``status.conditions[0].reasn``, ``status.loadBalancer.ingress[0].hostnam``) is as
    unknown as one in a spec."""
    return _STRUCTS[struct] if struct in _STRUCTS else _schema_fields(struct)


@cache
def _schema_fields(name: str) -> dict[str, str | None]:
    # imported on the first status walked: the loader needs no schemas otherwise
    from clustersim.schemas import kubernetes_definitions
    definitions = kubernetes_definitions()

    def struct_of(schema: dict[str, Any]) -> str | None:
        target = str(schema.get("$ref", "")).rpartition("/")[2]
        return target if "properties" in definitions.get(target, {}) else None

    fields: dict[str, str | None] = {}
    for field, schema in (definitions[name].get("properties") or {}).items():
        inner = struct_of(schema.get("items") or {})
        fields[field] = struct_of(schema) or (None if inner is None else f"[{inner}]")
    return fields


def _meant(key: str, fields: dict[str, str | None]) -> str | None:
    """The known field of a structure with ``fields`` that an unknown ``key`` most likely
    means: the closest name (``container`` → ``containers``), else the field of one of its
    structures with that name, one level down (``labelSelector`` of a preferred affinity
    term → ``podAffinityTerm.labelSelector``, the wrapper left out)."""
    close = get_close_matches(key, list(fields), n=1, cutoff=0.75)
    if close:
        return close[0]
    return next((f"{name}.{key}" for name, child in fields.items()
                 if child is not None and key in _fields(child.strip("[]"))), None)


def unknown_fields_meant(kind: str, manifest: dict[str, Any], *, drop: bool = False
                         ) -> list[UnknownField]:
    """The fields of ``manifest`` that the API server's strict validation would not know,
    each as its dotted path, its path of keys and indexes, and the known field of its
    structure whose name is closest (``container`` → ``containers``) or ``None`` (the
    loader's "did you mean", not the API server's); with ``drop``, they are also removed
    from ``manifest`` (in place), as the API server's decoder drops them before it stores
    an object."""
    found: list[UnknownField] = []
    if kind in _KINDS:
        _walk(manifest, _KINDS[kind], "", (), found, drop)
    return found


_UNKNOWN_FIELD = "unknown field "


def strict_decoding_problems(paths: Iterable[str]) -> list[str]:
    """What the API server's strict decoding finds in an object with the unknown fields
    ``paths`` (in the order its decoder met them), one ``unknown field "spec.replica"`` per
    field: each once and at most :data:`MAX_STRICT_ERRORS` of them (sigs.k8s.io/json
    ``saveStrictError`` drops a repeated message and any past the limit). ``Warn`` sends each
    as a warning of its own (k8s.io/apiserver ``pkg/endpoints/handlers/rest.go``,
    ``addStrictDecodingWarnings``), ``Strict`` joins them in one error
    (:func:`strict_decoding_error`)."""
    kept = list(dict.fromkeys(paths))[:MAX_STRICT_ERRORS]
    return [f'{_UNKNOWN_FIELD}"{path}"' for path in kept]


def is_unknown_field(problem: str) -> bool:
    """Whether ``problem`` (a loader's warning) names an unknown field
    (:func:`strict_decoding_problems`)."""
    return problem.startswith(_UNKNOWN_FIELD)


def strict_decoding_error(paths: Iterable[str]) -> str:
    """The API server's refusal of an object with the unknown fields ``paths`` (in the order
    its decoder met them): its :func:`strict_decoding_problems` joined by ", " after
    ``strict decoding error:`` (k8s.io/apimachinery ``pkg/runtime/error.go``,
    ``strictDecodingError.Error``)."""
    return "strict decoding error: " + ", ".join(strict_decoding_problems(paths))


def in_sent_order(found: Iterable[UnknownField]) -> list[UnknownField]:
    """``found`` in the order the API server's decoder meets the fields in the JSON that
    kubectl sends: kubectl reads a manifest into a map and encodes it with Go's
    encoding/json, which writes a map's keys sorted, a list's items in their order; so the
    fields come depth first, keys sorted at each level (a YAML key that is no string is
    sent as one, and is put first here: a simplification)."""
    def steps(field: UnknownField) -> list[tuple[int, Any]]:
        return [(0, step) if type(step) is int else (1, str(step)) for step in field[1]]
    return sorted(found, key=steps)
