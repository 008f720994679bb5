"""API-object helpers the controllers share: selectors, owner references, names, pod defaults.

What the API server and client-go give every Kubernetes controller, reduced to what the
simulator needs:

- label selectors (``matchLabels`` and ``matchExpressions``), as in kubernetes/apimachinery
  ``pkg/apis/meta/v1/helpers.go`` (``LabelSelectorAsSelector``, ``FormatLabelSelector``) and
  ``pkg/labels/selector.go``;
- controller owner references (``metadata.ownerReferences`` with ``controller: true``), as in
  kubernetes/apimachinery ``pkg/apis/meta/v1/controller_ref.go``;
- generated names (``generateName`` plus five random characters), as in kubernetes/apiserver
  ``pkg/storage/names/generate.go``, drawn from the cluster's seeded generator;
- the pod-template hash a Deployment puts in ``pod-template-hash``
  (kubernetes/kubernetes ``pkg/controller/controller_utils.go``, ``ComputeHash``);
- the selector and pod-template labels the API server generates for a Job
  (:func:`generate_job_selector`);
- ``metadata.generation``, which the API server sets on the kinds whose registry strategy
  keeps one (:data:`GENERATION_KINDS`) and counts up on a spec change
  (:func:`count_generation`);
- the container port a Service's ``targetPort`` or a probe's ``port`` names
  (:func:`container_port`);
- a new pod from a template (``pkg/controller/controller_utils.go``,
  ``GetPodFromTemplate``) and the defaults the API server applies to a pod, including the
  ``DefaultTolerationSeconds`` admission plugin
  (``plugin/pkg/admission/defaulttolerationseconds/admission.go``,
  :mod:`~clustersim.kubernetes.defaulttolerations`).
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.kubernetes.defaults import POD_SPEC_DEFAULTS
from clustersim.kubernetes.defaulttolerations import (
    DEFAULT_TOLERATION_SECONDS,
    add_default_tolerations,
)
from clustersim.kubernetes.scheduler.labels import label_selector_matches
from clustersim.manifests.safe_yaml import copy_data

__all__ = [
    "DEFAULT_TOLERATION_SECONDS",
    "GENERATION_KINDS",
    "LAST_APPLIED",
    "condition",
    "container_port",
    "controller_of",
    "count_generation",
    "format_labels",
    "format_selector",
    "full_name",
    "generate_job_selector",
    "generate_name",
    "is_active",
    "is_available",
    "is_ready",
    "is_terminating",
    "labels_of",
    "new_pod_from_template",
    "owner_reference",
    "pod_template_hash",
    "ready_since",
    "selector_matches",
    "selector_string",
    "set_condition",
    "set_pod_defaults",
]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
"""What ``kubectl apply`` compares a manifest with (client-side apply); the Deployment
controller does not copy it to a ReplicaSet."""

GENERATION_KINDS = frozenset({
    "Pod", "ReplicationController", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
    "Job", "CronJob", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
    "Ingress", "IngressClass"})
"""The kinds that carry ``metadata.generation``: those whose registry strategy sets it to 1 in
``PrepareForCreate`` (kubernetes/kubernetes ``pkg/registry/*/*/strategy.go``: apps'
four workloads, ``core/replicationcontroller``, ``batch/job`` and ``batch/cronjob``,
``policy/poddisruptionbudget``, ``networking/networkpolicy``, ``networking/ingress``,
``networking/ingressclass``, ``autoscaling``'s
HorizontalPodAutoscaler behind the ``HPAGeneration`` gate, on by default, and ``core/pod``
since v1.33, KEP-5067). The others, ConfigMaps, Secrets, Services, ServiceAccounts,
PersistentVolumeClaims, PersistentVolumes, StorageClasses, PriorityClasses, quotas, RBAC
objects, Namespaces..., have none: their strategies
leave it unset, and the API omits a zero."""

_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
"""Consonants and digits only, so that generated names never spell words
(kubernetes/apimachinery ``pkg/util/rand/rand.go``)."""


def full_name(obj: Mapping[str, Any]) -> str:
    """``namespace/name`` of an object, as events and ``kubectl`` print it."""
    meta = obj.get("metadata") or {}
    return f"{meta.get('namespace', 'default')}/{meta.get('name', '')}"


def set_metadata_map(meta: dict[str, Any], field: str, values: Mapping[str, str]) -> None:
    """Store the ``labels`` or ``annotations`` map of an object's metadata, or none when it is
    empty: the API server writes an empty map as no field at all (``omitempty`` on
    ``ObjectMeta.Labels`` and ``Annotations``)."""
    if values:
        meta[field] = dict(values)
    else:
        meta.pop(field, None)


def labels_of(obj: Mapping[str, Any]) -> dict[str, str]:
    """The object's labels (an empty dict when it has none)."""
    return dict((obj.get("metadata") or {}).get("labels") or {})


def selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` satisfy a selector.

    ``selector`` is either a ``LabelSelector`` (``matchLabels`` and/or ``matchExpressions``,
    ANDed; the scheduler's matcher) or a plain map as Services and ReplicationControllers
    write it. As upstream, an empty selector matches everything and None matches nothing.
    """
    if selector is None:
        return False
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return all(labels.get(k) == str(v) for k, v in selector.items())
    return label_selector_matches(selector, labels)


def selector_string(selector: Mapping[str, Any] | None) -> str:
    """A selector as ``labels.Selector.String()`` prints it: ``app=web,tier in (a,b)``,
    the empty string when it has no requirements (what a Scale's ``status.selector``
    carries).

    A plain map (a ReplicationController's or a Service's selector) counts as its
    ``matchLabels``, as the RC's scale subresource builds its selector with
    ``labels.SelectorFromSet``. Upstream sorts the requirements by key
    (``internalSelector.Add`` sorts ``ByKey``) and the values of ``in``/``notin``
    (``Requirement.String`` prints them through ``safeSort``): kubernetes/apimachinery
    ``pkg/labels/selector.go``. Requirements of one key keep their order here (upstream's
    ``sort.Sort`` does not promise one).
    """
    if not selector:
        return ""
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        selector = {"matchLabels": selector}
    parts = [(str(k), f"{k}={v}") for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        key, op = str(expr["key"]), expr.get("operator")
        values = ",".join(sorted(str(v) for v in expr.get("values") or []))
        if op == "In":
            parts.append((key, f"{key} in ({values})"))
        elif op == "NotIn":
            parts.append((key, f"{key} notin ({values})"))
        elif op == "Exists":
            parts.append((key, key))
        else:
            parts.append((key, f"!{key}"))
    parts.sort(key=lambda part: part[0])
    return ",".join(text for _, text in parts)


def format_selector(selector: Mapping[str, Any] | None) -> str:
    """A selector as ``metav1.FormatLabelSelector`` prints it for kubectl's columns and
    messages: :func:`selector_string`, or ``<none>`` when that is empty."""
    return selector_string(selector) or "<none>"


def format_labels(labels: Mapping[str, Any] | None) -> str:
    """A label map as ``labels.FormatLabels`` prints it (kubectl's SELECTOR column of a
    Service, NODE SELECTOR of a DaemonSet): the ``key=value`` strings sorted as strings
    (``Set.String`` in kubernetes/apimachinery ``pkg/labels/labels.go``), ``<none>`` when
    empty."""
    return ",".join(sorted(f"{k}={v}" for k, v in (labels or {}).items())) or "<none>"


def owner_reference(owner: Mapping[str, Any]) -> dict[str, Any]:
    """A controller owner reference pointing at ``owner``."""
    meta = owner["metadata"]
    return {
        "apiVersion": owner.get("apiVersion", "v1"),
        "kind": owner["kind"],
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def controller_of(obj: Mapping[str, Any]) -> dict[str, Any] | None:
    """The owner reference with ``controller: true``, or None for an orphan."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def container_port(containers: Iterable[Mapping[str, Any]], port: object,
                   protocol: str | None = None) -> int | None:
    """The port number ``port`` stands for in ``containers``: a number is itself; a name is
    the ``containerPort`` of the first ``ports[]`` entry of that ``name`` (and of that
    ``protocol``, TCP when the entry gives none, if one is given); None when no entry has it.

    A Service's ``targetPort`` is resolved over every container of each Pod, protocol
    included (kubernetes/kubernetes ``pkg/api/v1/pod/util.go``, ``FindPort``); a probe's
    ``httpGet.port`` or ``tcpSocket.port`` over its own container only
    (``pkg/probe/util.go``, ``ResolveContainerPort``)."""
    if isinstance(port, int) and not isinstance(port, bool):
        return port
    if not isinstance(port, str):
        return None
    for container in containers:
        for entry in container.get("ports") or []:
            if entry.get("name") == port and (
                    protocol is None or entry.get("protocol", "TCP") == protocol):
                number = entry.get("containerPort")
                return number if isinstance(number, int) else None
    return None


MAX_GENERATED_NAME_LENGTH = 58
"""``MaxGeneratedNameLength``: a name's 63 characters less the five random ones
(k8s.io/apiserver ``pkg/storage/names/generate.go``)."""


def generate_name(prefix: str, rng: random.Random) -> str:
    """``prefix`` plus five random characters, as the API server completes ``generateName``
    for every kind (``simpleNameGenerator.GenerateName``): a longer prefix is cut to its
    first :data:`MAX_GENERATED_NAME_LENGTH` characters first (upstream cuts bytes; a name of
    other characters than ASCII is refused either way)."""
    base = prefix[:MAX_GENERATED_NAME_LENGTH]
    return base + "".join(rng.choice(_NAME_ALPHABET) for _ in range(5))


def generate_job_selector(job: dict[str, Any]) -> None:
    """Give a Job the labels and selector that make its pods its own, unless it sets
    ``manualSelector: true``, as the API server does when the Job is created (``generateSelector``
    in kubernetes/kubernetes ``pkg/registry/batch/job/strategy.go``): its pod template gets
    ``batch.kubernetes.io/job-name`` and ``batch.kubernetes.io/controller-uid`` and their
    legacy short forms ``job-name`` and ``controller-uid`` (a label the user set is kept), and
    its selector ``matchLabels`` the prefixed uid label. Upstream does this once, on create;
    an update that drops them changes the template, which is immutable."""
    spec = job.setdefault("spec", {})
    if spec.get("manualSelector") is True:
        return
    uid, name = job["metadata"]["uid"], job["metadata"]["name"]
    template = spec.setdefault("template", {})
    labels = template.setdefault("metadata", {}).setdefault("labels", {})
    for key, value in (("batch.kubernetes.io/controller-uid", uid),
                       ("batch.kubernetes.io/job-name", name),
                       ("controller-uid", uid), ("job-name", name)):
        labels.setdefault(key, value)
    if spec.get("selector") is None:
        spec["selector"] = {}
    spec["selector"].setdefault("matchLabels", {}).setdefault(
        "batch.kubernetes.io/controller-uid", uid)


def pod_template_hash(template: Mapping[str, Any], collision_count: int = 0) -> str:
    """A stable short hash of a pod template, used as the ``pod-template-hash`` label.

    Upstream (``controller.ComputeHash``) takes the 32-bit FNV-1a hash of the template's Go
    object dump and writes its decimal digits with the safe alphabet (``SafeEncodeString``),
    giving labels like ``7c5ddbdf54``. This does the same over the canonical JSON, so the
    values differ from a real cluster's but look alike and change exactly when the template
    changes.
    """
    text = json.dumps(template, sort_keys=True, separators=(",", ":")) + f"#{collision_count}"
    return _safe_fnv(text)


@functools.lru_cache(maxsize=1024)
def _safe_fnv(text: str) -> str:
    """The FNV-1a hash of ``text`` in the safe alphabet. A pure function of the text, kept
    for the templates seen last: controllers hash the same template on every sync, and the
    byte loop in Python was a third of a StatefulSet sync."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return "".join(_NAME_ALPHABET[ord(digit) % len(_NAME_ALPHABET)] for digit in str(value))


def set_pod_defaults(pod: dict[str, Any], namespace: str = "default") -> dict[str, Any]:
    """Apply the API server's pod defaults in place and return the pod.

    Namespace, ``restartPolicy: Always``, ``terminationGracePeriodSeconds: 30``,
    ``schedulerName`` and ``priority: 0`` (kubernetes/kubernetes ``pkg/apis/core/v1/defaults.go``;
    the others are added when the API returns the pod, :mod:`~clustersim.kubernetes.defaults`),
    then the ``DefaultTolerationSeconds`` admission plugin: a pod that does not already
    tolerate ``node.kubernetes.io/not-ready`` or ``node.kubernetes.io/unreachable`` with effect
    NoExecute gets ``operator: Exists, effect: NoExecute, tolerationSeconds: 300`` for it
    (:mod:`~clustersim.kubernetes.defaulttolerations`: a pod that had none shares one list).
    """
    meta = pod.setdefault("metadata", {})
    meta.setdefault("namespace", namespace)
    meta.setdefault("labels", {})
    meta.setdefault("annotations", {})
    spec = pod.setdefault("spec", {})
    for field in ("restartPolicy", "terminationGracePeriodSeconds", "schedulerName"):
        spec.setdefault(field, POD_SPEC_DEFAULTS[field])
    spec.setdefault("priority", 0)
    spec.setdefault("containers", [])
    add_default_tolerations(spec)
    pod.setdefault("status", {"phase": "Pending", "conditions": []})
    return pod


def new_pod_from_template(
    template: Mapping[str, Any], owner: Mapping[str, Any], name: str = "", prefix: str = "",
) -> dict[str, Any]:
    """A pod made from ``template`` and owned by ``owner`` (labels, annotations, spec copied),
    named ``name``, or with ``generateName: prefix`` for the API server to complete, as the
    ReplicaSet, DaemonSet and Job controllers leave it (``GetPodFromTemplate``)."""
    tmeta = template.get("metadata") or {}
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            **({"name": name} if name else {"generateName": prefix}),
            "namespace": owner["metadata"].get("namespace", "default"),
            "labels": dict(tmeta.get("labels") or {}),
            "annotations": dict(tmeta.get("annotations") or {}),
            "ownerReferences": [owner_reference(owner)],
        },
        "spec": copy_data(template.get("spec") or {}),    # plain data, as the API stores it
    }
    return set_pod_defaults(pod, owner["metadata"].get("namespace", "default"))


def count_generation(
    obj: dict[str, Any], spec: Any, annotations: Mapping[str, str] | None = None,
) -> bool:
    """Count an update of ``obj`` whose spec was ``spec`` before (and its annotations
    ``annotations``, when the update may have changed them; None: it did not):
    ``metadata.generation`` goes up by one when the spec changed, as each kind's
    ``PrepareForUpdate`` does (e.g. ``pkg/registry/apps/replicaset/strategy.go``,
    ``statefulset``, ``daemonset``, ``batch/job``), and for a Deployment also when its
    annotations changed, which its controller copies to its ReplicaSets
    (``pkg/registry/apps/deployment/strategy.go``); a change of labels or status alone
    leaves it. Controllers write it back as ``status.observedGeneration`` once they have
    seen the spec, which ``kubectl rollout status`` waits for. A kind that keeps no generation
    (not in :data:`GENERATION_KINDS`) gets none. Returns whether it went up."""
    meta = obj.setdefault("metadata", {})
    unchanged = obj.get("spec") == spec and (annotations is None or obj.get("kind") != "Deployment"
                                             or (meta.get("annotations") or {}) == annotations)
    if obj.get("kind") not in GENERATION_KINDS or unchanged:
        return False
    meta["generation"] = meta.get("generation", 1) + 1
    return True


def condition(obj: Mapping[str, Any], kind: str) -> dict[str, Any] | None:
    """The status condition of type ``kind`` (e.g. ``Ready``), or None."""
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if cond.get("type") == kind:
            return cond
    return None


def set_condition(obj: dict[str, Any], kind: str, status: bool, now: float,
                  reason: str = "", message: str = "", *, observed: bool = True) -> bool:
    """Set a status condition; ``lastTransitionTime`` changes only when the status flips.

    A Pod's condition also says which ``metadata.generation`` its writer saw,
    ``observedGeneration`` (KEP-5067, on and locked since v1.35: the kubelet's conditions in
    ``generateAPIPodStatus`` and its eviction manager's ``DisruptionTarget``, the scheduler's
    ``PodScheduled`` in ``handleSchedulingFailure``, the node controller's ``Ready``, each
    through
    ``CalculatePodConditionObservedGeneration`` in kubernetes/kubernetes
    ``pkg/api/v1/pod/util.go``); ``observed=False`` for a writer that sets none (the API
    server's binding subresource and its ``SchedulingGated`` condition), whose condition then
    has none, as upstream replaces the whole condition. Like ``UpdatePodCondition``, an
    unchanged status and reason write nothing, the generation included.

    Returns whether anything changed."""
    conditions = obj.setdefault("status", {}).setdefault("conditions", [])
    text = "True" if status else "False"
    for cond in conditions:
        if cond.get("type") == kind:
            if cond.get("status") == text and cond.get("reason", "") == reason:
                return False
            if cond.get("status") != text:
                cond["lastTransitionTime"] = now
            cond.update(status=text, reason=reason, message=message)
            break
    else:
        cond = {"type": kind, "status": text, "reason": reason, "message": message,
                "lastTransitionTime": now}
        conditions.append(cond)
    if obj.get("kind") == "Pod":
        if observed:
            cond["observedGeneration"] = obj["metadata"].get("generation", 1)
        else:
            cond.pop("observedGeneration", None)
    return True


def is_terminating(pod: Mapping[str, Any]) -> bool:
    """Whether the pod is being deleted (``metadata.deletionTimestamp`` is set)."""
    return (pod.get("metadata") or {}).get("deletionTimestamp") is not None


def is_active(pod: Mapping[str, Any]) -> bool:
    """Not terminating and not finished: what controllers count (``controller.IsPodActive``)."""
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and (
        (pod.get("metadata") or {}).get("deletionTimestamp") is None)      # is_terminating


def ready_since(pod: Mapping[str, Any]) -> float | None:
    """When the pod's ``Ready`` condition last became True, or None when it is not True."""
    for cond in (pod.get("status") or {}).get("conditions") or ():     # condition(), inlined
        if cond.get("type") == "Ready":
            return cond["lastTransitionTime"] if cond.get("status") == "True" else None
    return None


def is_ready(pod: Mapping[str, Any]) -> bool:
    """The pod's ``Ready`` condition is True."""
    cond = condition(pod, "Ready")
    return cond is not None and cond.get("status") == "True"


def is_available(pod: Mapping[str, Any], min_ready_seconds: float, now: float) -> bool:
    """Ready for at least ``minReadySeconds`` (``podutil.IsPodAvailable``)."""
    cond = condition(pod, "Ready")
    if cond is None or cond.get("status") != "True":
        return False
    return min_ready_seconds <= 0 or cond["lastTransitionTime"] + min_ready_seconds <= now
