"""Checks across fields that the Kubernetes API server makes and a single field's type cannot.

Upstream: kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``
(``validateContainers``: "Duplicate value" for a repeated container name;
``validateContainerCommon``: an image is required, ``validateContainerPorts``: a port name once
per container, ``ValidateEnv``: a variable's name is required, ``checkHostPortConflicts``: a
host port once per pod; the names' syntax is checked with the fields, by
:mod:`clustersim.manifests.kubernetes_names`; ``ValidateResourceRequirements``: in
:mod:`clustersim.manifests.kubernetes_resources`; a Service's name: a DNS-1123 label since v1.37;
``validateServicePort``: every port of a multi-port Service needs a unique name;
``ValidateTolerations``: :func:`toleration_errors`), ``pkg/apis/apps/validation/validation.go``
(a workload needs a selector that matches its template's labels: "`selector` does not match
template `labels`", the labels shown as JSON, as ``field.Error`` shows a map) and
``pkg/apis/batch/validation/validation.go`` (a Job's pods restart ``OnFailure`` or ``Never``).
Messages keep upstream's wording ("Required value", "Duplicate value", "Invalid value"), and
all of an object's errors are reported together (:func:`check_object`), with the errors of its
fields (:func:`clustersim.manifests.validation.validate_object`); simplified: the fields' own
errors come first, then these, where upstream interleaves them field by field. Also the
finalizers of any object (``ValidateFinalizers`` in apimachinery
``pkg/api/validation/objectmeta.go`` and ``validateKubeFinalizerName``:
:func:`finalizer_errors`).

Also from ``pkg/apis/apps/validation/validation.go``: a selector with neither ``matchLabels``
nor ``matchExpressions`` ("empty selector is invalid for deployment"; upstream says
"deployment" for ReplicaSets too), the pods of a Deployment, ReplicaSet, StatefulSet or
DaemonSet (and a ReplicationController, ``ValidateReplicationControllerSpec``) restart
``Always`` only ("Unsupported value"), and ``ValidateRollingUpdateDeployment``:
``maxUnavailable`` and ``maxSurge`` not both 0 ("may not be 0 when `maxSurge` is 0"),
``maxUnavailable`` at most 100%, no ``rollingUpdate`` with the ``Recreate`` strategy.

And ``validateJobSpec`` and ``ValidateJob`` in ``pkg/apis/batch/validation/validation.go`` for
an Indexed Job (of a Job or a CronJob's template): ``completions`` required, ``parallelism`` at
most 100,000, and a Job name that leaves its last pod's hostname a DNS label; the checks of its
``podFailurePolicy``, ``successPolicy`` and ``podReplacementPolicy`` are in
:mod:`clustersim.manifests.job_policies`, an Ingress's and an IngressClass's
(``pkg/apis/networking/validation``) in :mod:`clustersim.manifests.ingress_checks`, those of a
RoleBinding's or ClusterRoleBinding's ``roleRef`` and subjects in
:mod:`clustersim.manifests.rbac_checks`, a PodDisruptionBudget's in
:mod:`clustersim.manifests.disruption_budget_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from clustersim.manifests.disruption_budget_checks import disruption_budget_errors
from clustersim.manifests.errors import ManifestError, format_path
from clustersim.manifests.ingress_checks import ingress_class_errors, ingress_errors
from clustersim.manifests.job_policies import job_policy_refusals
from clustersim.manifests.kubernetes_errors import go_value, invalid, named, unsupported
from clustersim.manifests.kubernetes_names import (
    STANDARD_FINALIZERS,
    label_key_problems,
    label_value_problems,
    name_hint,
    port_name_problems,
)
from clustersim.manifests.kubernetes_resources import (
    resource_quota_errors,
    resource_requirement_errors,
)
from clustersim.manifests.kubernetes_versions import SELECTOR_DEFAULTED, SELECTOR_KINDS
from clustersim.manifests.rbac_checks import BINDING_KINDS, binding_errors
from clustersim.manifests.safe_yaml import Document, Path

__all__ = [
    "POD_SPEC_PATHS",
    "check_object",
    "finalizer_errors",
    "pod_warnings",
    "toleration_errors",
    "unmounted_volumes",
]

_TEMPLATE = ("spec", "template", "spec")
POD_SPEC_PATHS: dict[str, Path] = {
    "Pod": ("spec",),
    "CronJob": ("spec", "jobTemplate", *_TEMPLATE),
    **dict.fromkeys(
        ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job"),
        _TEMPLATE,
    ),
}
"""Where each kind that runs Pods keeps its Pod spec."""


_ALWAYS_RESTART = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet")
_EMPTY_SELECTOR_NAME = {"StatefulSet": "statefulset", "DaemonSet": "daemonset"}


def _selector(document: Document, kind: str, typed: Any) -> Iterator[ManifestError]:
    selector = typed.spec.selector
    if selector is not None and not selector.match_labels and not selector.match_expressions:
        yield document.error(
            ("spec", "selector"),
            "Invalid value: empty selector is invalid for "
            f"{_EMPTY_SELECTOR_NAME.get(kind, 'deployment')}",
            "spec.selector.matchLabels naming the labels of the pods it owns",
        )
    if selector is None:
        if typed.api_version not in SELECTOR_DEFAULTED:  # the old APIs defaulted it
            yield document.error(
                ("spec", "selector"),
                f"Required value: a {kind} in {typed.api_version} must say which pods it owns",
                "spec.selector.matchLabels matching spec.template.metadata.labels",
            )
        return
    template = typed.spec.template.metadata
    labels = (template.labels if template else None) or {}
    for key, value in (selector.match_labels or {}).items():
        if labels.get(key) != value:
            yield document.error(
                ("spec", "template", "metadata", "labels"),
                invalid(labels, "`selector` does not match template `labels`"),
                f"the template's labels to include every label of spec.selector.matchLabels, "
                f"here {key}={value}",
            )
            return


def unmounted_volumes(pod_spec: Mapping[str, Any]) -> Iterator[tuple[Path, str]]:
    """Each volumeMount of ``pod_spec`` that names none of the pod's volumes: its path in the
    pod spec and the name it gives (``ValidateVolumeMounts`` in
    ``pkg/apis/core/validation/validation.go`` refuses it: ``Not found``). Read by the loader
    and by the simulated API server's admission, which sees the pods a StatefulSet makes."""
    volumes = {v.get("name") for v in pod_spec.get("volumes") or [] if isinstance(v, Mapping)}
    for field in ("initContainers", "containers"):
        for i, container in enumerate(pod_spec.get(field) or []):
            for j, mount in enumerate((container or {}).get("volumeMounts") or []):
                if isinstance(mount, Mapping) and mount.get("name") not in volumes:
                    yield (field, i, "volumeMounts", j, "name"), str(mount.get("name"))


def _containers(document: Document, kind: str, pod: Any) -> Iterator[ManifestError]:
    """``validateContainerCommon`` for each container, then each init container: an image is
    required, ``ValidateResourceRequirements``
    (:func:`~clustersim.manifests.kubernetes_resources.resource_requirement_errors`) and
    the security context's ``procMount`` (:func:`_proc_mount`)."""
    path = POD_SPEC_PATHS[kind]
    for field, containers in (("containers", pod.containers),
                              ("initContainers", pod.init_containers)):
        for index, container in enumerate(containers or []):
            where = (*path, field, index)
            if not container.image:
                yield document.error((*where, "image"), "Required value",
                                     "image: the container image to run, such as nginx:1.27")
            yield from _port_names(document, where, container)
            for position, variable in enumerate(container.env or []):
                if not variable.name:
                    yield document.error((*where, "env", position, "name"), "Required value",
                                         "name: the variable's name, such as LOG_LEVEL")
            if container.resources is not None:
                yield from resource_requirement_errors(
                    document, (*where, "resources"), container.resources,
                    _raw(document, (*where, "resources")) or {})
            yield from _proc_mount(document, where, container, pod.host_users)


def _proc_mount(document: Document, where: Path, container: Any, host_users: bool | None
                ) -> Iterator[ManifestError]:
    """``ValidateSecurityContext``: an ``Unmasked`` /proc only for a pod in a user namespace
    of its own (``hostUsers: false``; unset is true), since Kubernetes 1.30
    (kubernetes/kubernetes PR #123520, KEP-4265). The bad value is the ``*ProcMountType``,
    whose JSON is ``"Unmasked"`` as ``%q`` would write it."""
    context = container.security_context
    if context is not None and context.proc_mount == "Unmasked" and host_users is not False:
        yield document.error((*where, "securityContext", "procMount"),
                             invalid("Unmasked", "`hostUsers` must be false to use `Unmasked`"),
                             "hostUsers: false in the pod's spec (its own user namespace), "
                             "or procMount: Default")


def _port_names(document: Document, where: Path, container: Any
                ) -> Iterator[ManifestError]:
    """``validateContainerPorts``: a port name used twice in one container is a "Duplicate
    value" (a name refused by ``IsValidPortName`` is not counted)."""
    named: set[str] = set()
    for index, port in enumerate(container.ports or []):
        if not port.name or port_name_problems(port.name):
            continue
        if port.name in named:
            yield document.error((*where, "ports", index, "name"),
                                 f"Duplicate value: {go_value(port.name)}",
                                 "a different name for each port of the container")
        named.add(port.name)


def _host_ports(document: Document, path: Path, containers: Any, hint: str
                ) -> Iterator[ManifestError]:
    """``checkHostPortConflicts`` (``AccumulateUniqueHostPorts``) over ``containers``, the
    list at ``path``: two of their ports on the same host port, protocol and host IP are a
    "Duplicate value" of ``protocol/hostIP/hostPort`` at the second one (the protocol
    defaulted to TCP)."""
    taken: set[str] = set()
    for index, container in enumerate(containers):
        for position, port in enumerate(container.ports or []):
            if not port.host_port:
                continue
            key = f"{port.protocol or 'TCP'}/{port.host_ip or ''}/{port.host_port}"
            if key in taken:
                yield document.error((*path, index, "ports", position, "hostPort"),
                                     f"Duplicate value: {go_value(key)}", hint)
            taken.add(key)


def _pod_host_ports(document: Document, path: Path, pod: Any) -> Iterator[ManifestError]:
    """The host ports of a pod's containers, checked as ``validateContainers`` checks them
    (across all its containers, which run together), then those of each init container on
    its own, as ``validateInitContainers`` checks them (they run one at a time, so two may
    take the same host port). Upstream hands that check the ``initContainers`` path and a
    list of the one container, so the API server names the field
    ``initContainers[0].ports[i].hostPort`` whichever init container it is; the hint names
    the container."""
    yield from _host_ports(document, (*path, "containers"), pod.containers or [],
                           "a different hostPort (or protocol, or hostIP) for each port of "
                           "the pod's containers")
    for index, container in enumerate(pod.init_containers or []):
        yield from _host_ports(document, (*path, "initContainers"), [container],
                               f"a different hostPort (or protocol, or hostIP) for each port "
                               f"of the init container {container.name!r} (initContainers"
                               f"[{index}])")


def _raw(document: Document, path: Path) -> Any:
    """The value at ``path`` of the object as written (``None`` where it is not there)."""
    raw: Any = document.data
    for part in path:
        if isinstance(part, int):
            raw = raw[part] if isinstance(raw, list) and part < len(raw) else None
        else:
            raw = raw.get(part) if isinstance(raw, Mapping) else None
    return raw


def _restart_policy(document: Document, kind: str, path: Path) -> Iterator[ManifestError]:
    """The restart policies a kind's pods may have. ``ValidatePodTemplateSpecForReplicaSet``
    and friends (``pkg/apis/apps/validation``, and ``ValidateReplicationControllerSpec``):
    ``Always`` only; ``validateJobSpec`` (``pkg/apis/batch/validation``): ``OnFailure`` or
    ``Never``, and a Job template without one (defaulted to ``Always``) or with ``Always``
    gets "Required value". The value is read as written: one the Pod spec's own check
    refuses (``Sometimes``) is refused here too, in these words, as upstream lists both; it
    is a ``core.RestartPolicy``, shown in JSON (:func:`named`)."""
    where = (*path, "restartPolicy")
    policy = _raw(document, where) or None     # SetDefaults_PodSpec: "" is Always
    if kind in _ALWAYS_RESTART and policy not in (None, "Always"):
        yield document.error(where, unsupported(named(policy), ["Always"]),
                             f'restartPolicy "Always" (a {kind}\'s pods are replaced when they '
                             "stop), or a Job for pods that run to completion")
    if kind not in ("Job", "CronJob"):
        return
    if policy in (None, "Always"):
        yield document.error(where, 'Required value: valid values: "OnFailure", "Never"',
                             'restartPolicy "OnFailure" or "Never": a Job\'s pods run to '
                             "completion, so they must not restart Always")
    elif policy not in ("OnFailure", "Never"):
        yield document.error(where, unsupported(named(policy), ["OnFailure", "Never"]),
                             'restartPolicy "OnFailure" or "Never"')


def toleration_errors(document: Document, path: Path, pod: Any) -> Iterator[ManifestError]:
    """``ValidateTolerations`` (``pkg/apis/core/validation/validation.go``) over each
    toleration, in its order: a key is a label name (``ValidateLabelName``); an empty key
    needs operator Exists ("match all values and all keys"); ``tolerationSeconds`` needs
    effect NoExecute; with Equal (or no operator) the value is a label value, with Exists
    it must be empty (both reported at ``operator``, as upstream does, the value itself the
    bad one since Kubernetes 1.32, kubernetes/kubernetes PR #128119, where the whole
    ``core.Toleration`` had been). An operator or an
    effect that is not supported is the field's own type error
    (:class:`~kubernetes_types.Toleration`)."""
    for index, toleration in enumerate(pod.tolerations or []):
        where = (*path, "tolerations", index)
        key, value = toleration.key or "", toleration.value or ""
        for problem in label_key_problems(key) if key else []:
            yield document.error((*where, "key"), invalid(key, problem),
                                 "a label key such as 'dedicated' or 'example.com/gpu'")
        if not key and toleration.operator != "Exists":
            yield document.error(
                (*where, "operator"),
                invalid(toleration.operator or "", "operator must be Exists when `key` is "
                        'empty, which means "match all values and all keys"'),
                "operator: Exists to tolerate every taint, or the key of the taint to "
                "tolerate")
        if toleration.toleration_seconds is not None and toleration.effect != "NoExecute":
            yield document.error(
                (*where, "effect"),
                invalid(toleration.effect or "",
                        "effect must be 'NoExecute' when `tolerationSeconds` is set"),
                "effect: NoExecute (tolerationSeconds is how long a pod stays on a node "
                "after a NoExecute taint), or no tolerationSeconds")
        if toleration.operator == "Exists" and value:
            yield document.error((*where, "operator"), invalid(
                                     value, "value must be empty when `operator` is 'Exists'"),
                                 "no value with operator Exists (it tolerates every value "
                                 "of the key), or operator Equal")
        elif toleration.operator != "Exists":
            for problem in label_value_problems(value):
                yield document.error((*where, "operator"), invalid(value, problem),
                                     "a label value such as 'gpu' or 'true'")


def _pod(document: Document, kind: str, pod: Any) -> Iterator[ManifestError]:
    """``validateContainers``' "Duplicate value" for each repeated container name, the
    restart policy (:func:`_restart_policy`) and ``ValidateVolumeMounts``' "Not found" for each
    mount of a volume the pod does not have."""
    path = POD_SPEC_PATHS[kind]
    seen: set[str] = set()
    for field, containers in (
        ("initContainers", pod.init_containers),
        ("containers", pod.containers),
    ):
        for index, container in enumerate(containers or []):
            if container.name in seen:
                yield document.error(
                    (*path, field, index, "name"),
                    f"Duplicate value: {go_value(container.name)}",
                    "a different name for each container of the pod",
                )
            seen.add(container.name)
    yield from _pod_host_ports(document, path, pod)
    yield from toleration_errors(document, path, pod)
    yield from _restart_policy(document, kind, path)
    if kind != "StatefulSet":   # its template is not validated: claim templates add volumes
        for where, name in unmounted_volumes(_raw(document, path)):
            yield document.error(
                (*path, *where),
                f"Not found: {go_value(name)}",
                f"a volume named {name!r} in {format_path((*path, 'volumes'))}, or the name "
                "of a volume that is there",
            )


_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def _service(document: Document, typed: Any) -> Iterator[ManifestError]:
    """``ValidateService``: ports are required but for a headless or ExternalName Service,
    and every port of a Service with several needs a name of its own (its name itself, a
    DNS-1123 label, is the type's check: :class:`~kubernetes_types.ServiceMeta`); a
    ``targetPort`` given as a string is a port name (``validateServicePort`` →
    ``ValidatePortNumOrName`` → ``IsValidPortName``), so ``"80"`` is refused: "must contain
    at least one letter (a-z)"."""
    spec = typed.spec
    ports = (spec.ports if spec else None) or []
    headless = spec is not None and spec.cluster_ip == "None"
    if not ports and not headless and (spec is None or spec.type != "ExternalName"):
        yield document.error(
            ("spec", "ports"),
            "Required value",
            "spec.ports such as [{port: 80, targetPort: 8080}]: a Service needs at least "
            "one port unless it is headless (clusterIP: None) or of type ExternalName",
        )
    names: set[str | None] = set()
    for index, port in enumerate(ports):
        if len(ports) > 1 and not port.name:
            yield document.error(
                ("spec", "ports", index, "name"),
                "Required value",
                "a name such as http or metrics: a Service with several ports names each",
            )
        elif port.name in names:
            yield document.error(
                ("spec", "ports", index, "name"),
                f"Duplicate value: {go_value(port.name)}",
                "a different name for each port",
            )
        names.add(port.name)
        if isinstance(port.target_port, str):
            for problem in port_name_problems(port.target_port):
                yield document.error(("spec", "ports", index, "targetPort"),
                                     invalid(port.target_port, problem), name_hint(problem))


# The API server defaults a missing value before it validates (pkg/apis/apps/v1/defaults.go):
# 25%/25% for a Deployment, maxUnavailable 1 and maxSurge 0 for a DaemonSet.
_ROLLING_DEFAULTS = {"Deployment": ("25%", "25%"), "DaemonSet": (1, 0)}


def _amount(value: int | str) -> tuple[int, bool]:
    """(the number, whether it is a percentage) of a validated IntOrPercent."""
    if isinstance(value, str):
        return int(value[:-1]), True
    return value, False


def _rolling_update(document: Document, kind: str, path: Path, strategy: Any
                    ) -> Iterator[ManifestError]:
    """``ValidateRollingUpdateDeployment`` / ``ValidateRollingUpdateDaemonSet``, after the
    defaults are applied."""
    if strategy is None:
        return
    rolling = strategy.rolling_update
    if strategy.type == "Recreate" and rolling is not None:
        yield document.error(
            (*path, "rollingUpdate"),
            "Forbidden: may not be specified when strategy `type` is 'Recreate'",
            "no rollingUpdate, or type RollingUpdate",
        )
        return
    if rolling is None:
        return
    default_unavailable, default_surge = _ROLLING_DEFAULTS[kind]
    given = rolling.max_unavailable
    unavailable, percent = _amount(default_unavailable if given is None else given)
    surge, _ = _amount(default_surge if rolling.max_surge is None else rolling.max_surge)
    if percent and unavailable > 100:
        yield document.error(
            (*path, "rollingUpdate", "maxUnavailable"),
            invalid(named(given), "must not be greater than 100%"),
            "a percentage from 0% to 100%",
        )
    if unavailable == 0 and surge == 0:
        yield document.error(
            (*path, "rollingUpdate", "maxUnavailable"),
            invalid(named(given), "may not be 0 when `maxSurge` is 0"),
            "maxSurge or maxUnavailable above 0, e.g. maxSurge: 1 (with both 0 the rollout "
            "could neither add a new pod nor remove an old one)",
        )


# validateJobSpec's bounds: an Indexed Job's parallelism and failed indexes cap the length of
# status.completedIndexes and status.failedIndexes; more completions with backoffLimitPerIndex
# need tighter ones
MAX_INDEXED_PARALLELISM = 100_000
MAX_FAILED_INDEXES = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
HIGH_COMPLETIONS_LIMIT = 10_000


def _job_spec_refusal(spec: Any) -> tuple[str, str, str] | None:
    """(field, what is wrong, what would be right) for the first of ``validateJobSpec``'s
    checks of the completion mode and the per-index back-off that ``spec`` fails."""
    if spec.max_failed_indexes is not None and spec.backoff_limit_per_index is None:
        return ("backoffLimitPerIndex", "Required value: when maxFailedIndexes is specified",
                "backoffLimitPerIndex: the failures each index may have")
    if spec.completion_mode != "Indexed":
        for field, value in (("backoffLimitPerIndex", spec.backoff_limit_per_index),
                             ("maxFailedIndexes", spec.max_failed_indexes)):
            if value is not None:
                return (field, invalid(value, "requires indexed completion mode"),
                        "completionMode: Indexed")
        return None
    completions, parallelism = spec.completions, spec.parallelism
    most_failed = spec.max_failed_indexes
    if completions is None:
        return ("completions", "Required value: when completion mode is Indexed",
                "completions: the number of indexes, 0 to completions - 1, each run by one pod")
    over = _first_over([("parallelism", parallelism, MAX_INDEXED_PARALLELISM,
                         f"{MAX_INDEXED_PARALLELISM} when completion mode is Indexed"),
                        ("maxFailedIndexes", most_failed, completions, "completions"),
                        ("maxFailedIndexes", most_failed, MAX_FAILED_INDEXES,
                         str(MAX_FAILED_INDEXES))])
    if over is not None or completions <= COMPLETIONS_SOFT_LIMIT or \
            spec.backoff_limit_per_index is None:
        return over
    if most_failed is None:
        return ("maxFailedIndexes", "Required value: must be specified when completions is "
                f"above {COMPLETIONS_SOFT_LIMIT}", "maxFailedIndexes")
    high = (f"{HIGH_COMPLETIONS_LIMIT} when completions are above {COMPLETIONS_SOFT_LIMIT} "
            "and used with backoff limit per index")
    return _first_over([("parallelism", parallelism, HIGH_COMPLETIONS_LIMIT, high),
                        ("maxFailedIndexes", most_failed, HIGH_COMPLETIONS_LIMIT, high)])


def _first_over(bounds: list[tuple[str, int | None, int, str]]) -> tuple[str, str, str] | None:
    """The first (field, value, limit, the limit as upstream words it) whose value is above
    its limit, as a refusal."""
    for field, value, limit, most in bounds:
        if value is not None and value > limit:
            return (field, invalid(value, f"must be less than or equal to {most}"),
                    f"{field} of at most {limit}")
    return None


def _job(document: Document, kind: str, typed: Any) -> Iterator[ManifestError]:
    """``validateJobSpec`` and ``ValidateJob`` (``pkg/apis/batch/validation/validation.go``)
    for the completion mode: an Indexed Job needs ``completions``, at most 100,000
    ``parallelism``, and a name that leaves the last pod's hostname ``<name>-<completions − 1>``
    a DNS label; ``backoffLimitPerIndex`` and ``maxFailedIndexes`` need Indexed mode,
    ``maxFailedIndexes`` at most ``completions`` and ``backoffLimitPerIndex`` beside it."""
    path: Path = ("spec", "jobTemplate", "spec") if kind == "CronJob" else ("spec",)
    spec = typed.spec.job_template.spec if kind == "CronJob" else typed.spec
    refusal = _job_spec_refusal(spec)
    if refusal is not None:
        field, message, expected = refusal
        yield document.error((*path, field), message, expected)
    if kind != "Job" or spec.completion_mode != "Indexed" or not spec.completions:
        return
    name = typed.metadata.name
    hostname = f"{name}-{spec.completions - 1}"
    if name and (len(hostname) > 63 or not _DNS1123_LABEL.fullmatch(hostname)):
        yield document.error(
            ("metadata", "name"),
            invalid(name, f"will not able to create pod with invalid DNS label: {hostname}"),
            "a shorter name of lower case letters, digits and '-', which each pod's hostname "
            "<name>-<index> starts with",
        )


def _job_policies(document: Document, kind: str, typed: Any, pod: Any
                  ) -> Iterator[ManifestError]:
    """The refusals of a Job's (or a CronJob's template's) pod failure, success and pod
    replacement policies (:mod:`clustersim.manifests.job_policies`)."""
    path: Path = ("spec", "jobTemplate", "spec") if kind == "CronJob" else ("spec",)
    spec = typed.spec.job_template.spec if kind == "CronJob" else typed.spec
    raw = document.data
    for part in path:
        raw = raw[part]
    for where, message, expected in job_policy_refusals(spec, pod, raw.get("successPolicy")):
        yield document.error((*path, *where), message, expected)


def check_object(document: Document, kind: str, typed: Any, pod: Any) -> list[ManifestError]:
    """Every error of the checks across fields of one object (``pod`` is its pod spec, or
    ``None``), in the order upstream's validation makes them; the loader reports them with
    the fields' own errors, in one list, as the API server does (``errors.NewInvalid``)."""
    checks: list[Iterator[ManifestError]] = [finalizer_errors(document)]
    if kind in SELECTOR_KINDS:
        checks.append(_selector(document, kind, typed))
    if kind == "Deployment":
        checks.append(_rolling_update(document, kind, ("spec", "strategy"), typed.spec.strategy))
    if kind == "DaemonSet":
        checks.append(_rolling_update(document, kind, ("spec", "updateStrategy"),
                                      typed.spec.update_strategy))
    if pod is not None:
        checks.append(_containers(document, kind, pod))
        checks.append(_pod(document, kind, pod))
    if kind == "Service":
        checks.append(_service(document, typed))
    if kind == "Ingress":
        checks.append(ingress_errors(document, typed))
    if kind == "IngressClass":
        checks.append(ingress_class_errors(document, typed))
    if kind in ("Job", "CronJob"):
        checks.append(_job(document, kind, typed))
        checks.append(_job_policies(document, kind, typed, pod))
    if kind in BINDING_KINDS:
        checks.append(binding_errors(document, kind))
    if kind == "PodDisruptionBudget":
        checks.append(disruption_budget_errors(document, typed))
    if kind == "ResourceQuota" and typed.spec is not None and typed.spec.hard:
        checks.append(resource_quota_errors(document, typed.spec.hard,
                                            _raw(document, ("spec",)) or {}))
    return [error for check in checks for error in check]


def finalizer_errors(document: Document) -> Iterator[ManifestError]:
    """``ValidateFinalizers`` (apimachinery ``pkg/api/validation/objectmeta.go``): each
    finalizer a label key (``ValidateFinalizerName``, reported at ``metadata.finalizers``),
    not both ``orphan`` and ``foregroundDeletion``; and ``validateKubeFinalizerName``
    (``pkg/apis/core/validation``): one without '/' is a standard one
    (:data:`~kubernetes_names.STANDARD_FINALIZERS`), reported at its index."""
    path: Path = ("metadata", "finalizers")
    finalizers = _raw(document, path)
    names = [f for f in finalizers if isinstance(f, str)] if isinstance(finalizers, list) else []
    for name in names:
        for problem in label_key_problems(name):
            yield document.error(path, invalid(name, problem), name_hint(problem))
    if "orphan" in names and "foregroundDeletion" in names:
        yield document.error(path, invalid(names, "finalizer orphan and foregroundDeletion "
                                           "cannot be both set"),
                             "one of orphan and foregroundDeletion")
    for index, name in enumerate(finalizers if isinstance(finalizers, list) else []):
        if isinstance(name, str) and "/" not in name and name not in STANDARD_FINALIZERS:
            yield document.error(
                (*path, index),
                invalid(name, "name is neither a standard finalizer name nor is it fully "
                        "qualified"),
                "a finalizer with a domain, such as example.com/cleanup, or one of "
                + ", ".join(STANDARD_FINALIZERS))


def pod_warnings(kind: str, pod: Any) -> list[str]:
    """What the API server accepts but warns about (kubernetes/kubernetes
    ``pkg/api/pod/warnings.go``): a negative ``terminationGracePeriodSeconds`` is kept and
    treated as 1 second."""
    if pod is None or pod.termination_grace_period_seconds is None:
        return []
    if pod.termination_grace_period_seconds >= 0:
        return []
    where = ".".join(str(part) for part in POD_SPEC_PATHS[kind])
    return [
        f"{where}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid "
        "and will be treated as 1"
    ]
