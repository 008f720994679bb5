"""What the API server refuses when a workload or a Pod is updated: the fields its update
validation keeps immutable.

Upstream: ``ValidateDeploymentUpdate``, ``ValidateReplicaSetUpdate``,
``ValidateDaemonSetUpdate``, ``ValidateStatefulSetUpdate`` (``pkg/apis/apps/validation``) and
``ValidateJobUpdate`` (``pkg/apis/batch/validation``), with the Job strategy's
``AllowMutableSchedulingDirectives`` (``pkg/registry/batch/job/strategy.go``). A selector never
changes; a StatefulSet's spec changes only in its replicas, ordinals, template, update
strategy, revisionHistoryLimit (mutable since v1.35), claim retention policy and
minReadySeconds; a Job's template, selector,
completions, completion mode, pod failure policy, backoffLimitPerIndex, managedBy and success
policy stay as created, but for the scheduling
directives and the containers' requests and limits of a suspended Job with no Pod active
(KEP-5440, beta since v1.36: :func:`safely_suspended`) and the completions of an
Indexed Job changed together with its parallelism (``validateCompletions``: elastic Indexed
Jobs, GA in v1.31).
ConfigMaps and Secrets marked immutable are :mod:`~clustersim.kubernetes.configupdates`'.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.objects import generate_job_selector, selector_matches
from clustersim.kubernetes.podspecdiff import pod_spec_diff
from clustersim.manifests.kubernetes_errors import aggregate, invalid
from clustersim.manifests.kubernetes_errors import immutable as immutable_value
from clustersim.manifests.kubernetes_versions import group_kind

__all__ = ["POD_MUTABLE", "image_whitespace_refusal", "pod_update_refusal", "safely_suspended",
           "update_pod_spec", "workload_update_refusal"]

_STRUCTS = frozenset({"selector", "template"})
"""The immutable fields that are structs in Go (a ``LabelSelector``, a ``PodTemplateSpec``),
which the API server's message abbreviates as ``{...}``."""

_IMMUTABLE = {"Deployment": ("selector",), "ReplicaSet": ("selector",),
              "DaemonSet": ("selector",),
              "Job": ("completions", "selector", "template", "completionMode",
                      "podFailurePolicy", "backoffLimitPerIndex", "managedBy",
                      "successPolicy")}
"""The fields each kind's update validation keeps as they are, in the order it checks them:
one ``field is immutable`` each (``ValidateImmutableField``), all reported together. A
Deployment's, ReplicaSet's and DaemonSet's selector is checked by their strategies'
``ValidateUpdate``; a Job's fields by ``ValidateJobSpecUpdate`` (completions by
``validateCompletions``, the template by ``validatePodTemplateUpdate``). A StatefulSet's
immutable fields make one ``Forbidden`` of its whole spec (``ValidateStatefulSetUpdate``)."""

POD_MUTABLE = ("schedulingGates", "tolerations", "activeDeadlineSeconds")
"""The fields of a Pod's spec an update may change besides its containers' images
(``ValidatePodUpdate``): gates only removed, tolerations only added, the deadline set or
lowered."""
_POD_FORBIDDEN = (
    "spec: Forbidden: pod updates may not change fields other than "
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
    "negative)")


def workload_update_refusal(existing: Mapping[str, Any], manifest: Mapping[str, Any],
                            applied: Mapping[str, Any] | None, *, merged: bool = True
                            ) -> str | None:
    """The API server's refusal of ``manifest`` as an update of the stored ``existing``, in
    its words, or None. ``applied``: the configuration ``kubectl apply`` last applied (its
    annotation, decoded), which the fields are compared with, as kubectl's three-way merge does.
    ``merged``: ``manifest`` comes through kubectl apply's merge, which keeps what the stored
    object has and the file does not; else it is the whole object a PUT sends (``kubectl
    replace``), validated as sent (:func:`_sent_job_errors`).
    A Job's parallelism, suspend, deadline, TTL and maxFailedIndexes may change, its
    template, selector, completions, completion mode and backoffLimitPerIndex not (an
    Indexed Job's completions may, together with its parallelism), except the template's
    scheduling directives (:func:`_with_scheduling_directives`) and its containers' resources
    (:func:`_with_resources`) while it is safely suspended (:func:`safely_suspended`); the
    labels and selector the API server
    generated for it
    (:func:`~clustersim.kubernetes.objects.generate_job_selector`) are no change to an apply
    (``merged``), whether ``manifest`` is a file that never had them or the stored object
    patched, but a PUT without them changes the selector and template. Every
    immutable field changed is reported, in the order upstream checks them
    (:data:`_IMMUTABLE`), as ``errors.NewInvalid`` aggregates them (``[a, b]`` for
    several)."""
    kind, name = existing["kind"], existing["metadata"]["name"]
    # like kubectl's three-way merge: compare with what was applied, not with the
    # defaults the API server and controllers filled in; but a Job's template may have
    # changed since it was applied (its scheduling directives), and what is stored adds
    # only the selector and labels generated for it
    source = existing if kind == "Job" or applied is None else applied
    old = source.get("spec") or {}
    new = manifest.get("spec") or {}
    if kind == "Job":
        old, new = ({"metadata": existing["metadata"], "spec": copy.deepcopy(spec)}
                    for spec in (old, new))
        generate_job_selector(old)
        if merged:
            generate_job_selector(new)
        old, new = old["spec"], new["spec"]
        if safely_suspended(existing):
            template = new.get("template") or {}
            old["template"] = _with_resources(
                _with_scheduling_directives(old.get("template") or {}, template), template)
    errors = _sent_job_errors(new) if kind == "Job" and not merged else []
    if kind == "Job" and new.get("completionMode") == "Indexed" and \
            new.get("completions") not in (None, old.get("completions")):
        # an elastic Indexed Job (validateCompletions): completions change with parallelism
        if new["completions"] != new.get("parallelism", 1):
            errors.append(f"spec.completions: Invalid value: {new['completions']}: can only be "
                          "modified in tandem with spec.parallelism")
        old["completions"] = new["completions"]
    for field in _IMMUTABLE.get(kind, ()):
        sent = field in new or (field == "selector" and not merged)   # no default fills it
        if sent and field in old and new.get(field) != old[field]:
            errors.append(f"spec.{field}: "
                          + immutable_value(new.get(field), struct=field in _STRUCTS))
    if kind == "StatefulSet":
        mutable = {"replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
                   "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}
        changed = {k for k in {*old, *new} - mutable if old.get(k) != new.get(k)
                   and not (k == "podManagementPolicy" and new.get(k) in (None, "OrderedReady")
                            and old.get(k) in (None, "OrderedReady"))}
        if changed:
            errors.append("spec: Forbidden: updates to statefulset spec for fields other than "
                          "'replicas', 'ordinals', 'template', 'updateStrategy', "
                          "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
                          "'minReadySeconds' are forbidden")
    if not errors:
        return None
    return f'{group_kind(kind)} "{name}" is invalid: {aggregate(errors)}'


def _sent_job_errors(spec: Mapping[str, Any]) -> list[str]:
    """``ValidateJobSpec``'s errors of the selector of a Job's spec as a PUT sends it
    (``pkg/apis/batch/validation/validation.go``): the strategy generates a selector and
    labels on create only, so an update without them is refused as upstream refuses it,
    before the fields it changes (the strategy's ``ValidateUpdate`` runs ``ValidateJob``, then
    ``ValidateJobUpdate``). A missing selector is required, and as a nil selector selects
    nothing, it matches no template ``labels`` either."""
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    selector = spec.get("selector")
    errors = ["spec.selector: Required value"] if selector is None else []
    if not selector_matches(selector, labels or {}):
        errors.append("spec.template.metadata.labels: "
                      + invalid(labels, "`selector` does not match template `labels`"))
    return errors


def safely_suspended(job: Mapping[str, Any]) -> bool:
    """Whether the stored ``job``'s template may change its scheduling directives and its
    containers' resources: it is suspended, none of its pods is active, and it either never
    started (no ``status.startTime``: created suspended, before its controller marked it) or
    carries the condition ``Suspended=True`` (KEP-5440, ``MutablePodResourcesForSuspendedJobs``
    and ``MutableSchedulingDirectivesForSuspendedJobs``, alpha in v1.35, beta and on by
    default since v1.36: the Job strategy's validation options in kubernetes/kubernetes
    ``pkg/registry/batch/job/strategy.go``). Before, the directives could change only while
    ``startTime`` was unset, which a Job once started never was again; its controller now
    clears it when the Job is suspended
    (:class:`~clustersim.kubernetes.controllers.job.JobController`)."""
    status = job.get("status") or {}
    if not (job.get("spec") or {}).get("suspend") or status.get("active"):
        return False
    return status.get("startTime") is None or any(
        c.get("type") == "Suspended" and c.get("status") == "True"
        for c in status.get("conditions") or [])


def _with_scheduling_directives(old: Mapping[str, Any], new: Mapping[str, Any]
                               ) -> dict[str, Any]:
    """The pod template ``old`` with the scheduling directives of ``new``: what a Job's
    template is compared with when the Job is safely suspended
    (``AllowMutableSchedulingDirectives``, set by kubernetes/kubernetes
    ``pkg/registry/batch/job/strategy.go``; ``validatePodTemplateUpdate`` in
    ``pkg/apis/batch/validation/validation.go``), so that a queue such as Kueue can choose
    where the Job runs before it unsuspends it. The directives are the template's labels and
    annotations, and its spec's ``nodeSelector``, ``tolerations``, ``schedulingGates`` and
    ``affinity.nodeAffinity``; ``affinity`` as a whole may be removed only when it held
    nothing but node affinity."""
    out = copy.deepcopy(dict(old))
    meta, spec = out.setdefault("metadata", {}), out.setdefault("spec", {})
    new_meta, new_spec = new.get("metadata") or {}, new.get("spec") or {}
    for target, source, fields in ((meta, new_meta, ("labels", "annotations")),
                                   (spec, new_spec, ("nodeSelector", "tolerations",
                                                     "schedulingGates"))):
        for field in fields:
            target.pop(field, None)
            if field in source:
                target[field] = copy.deepcopy(source[field])
    affinity, new_affinity = spec.get("affinity"), new_spec.get("affinity")
    if isinstance(affinity, dict) or isinstance(new_affinity, Mapping):
        rest = {k: v for k, v in (affinity or {}).items() if k != "nodeAffinity"}
        if isinstance(new_affinity, Mapping) and "nodeAffinity" in new_affinity:
            rest["nodeAffinity"] = copy.deepcopy(new_affinity["nodeAffinity"])
        if rest or new_affinity is not None:
            spec["affinity"] = rest
        else:
            spec.pop("affinity", None)
    return out


def _with_resources(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The pod template ``old`` with the ``requests`` and ``limits`` of ``new``'s containers
    and init containers (matched by position): what a safely suspended Job's template is
    compared with (KEP-5440, mutable Pod resources for suspended Jobs:
    alpha in v1.35, beta and on by default since v1.36), so that a queue can resize a Job
    before it starts or resumes it. Any other change to a container stays refused."""
    out = copy.deepcopy(dict(old))
    spec, new_spec = out.setdefault("spec", {}), new.get("spec") or {}
    for field in ("containers", "initContainers"):
        for mine, theirs in zip(spec.get(field) or [], new_spec.get(field) or [], strict=False):
            resources = {k: v for k, v in (mine.get("resources") or {}).items()
                         if k not in ("requests", "limits")}
            resources.update({k: copy.deepcopy(v) for k, v in
                              (theirs.get("resources") or {}).items()
                              if k in ("requests", "limits")})
            mine.pop("resources", None)
            if resources:
                mine["resources"] = resources
    return out


def update_pod_spec(stored: dict[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Write into a Pod's ``stored`` spec what an update to ``new`` may change, once
    :func:`pod_update_refusal` has let it: the fields of :data:`POD_MUTABLE` (an empty list
    is not kept, as the API omits it) and the images of its containers and init containers.
    Returns the names of the containers and init containers whose image changed, for the
    kubelet (:meth:`~clustersim.kubernetes.kubelet.Kubelet.change_images`): on a running Pod
    it restarts the app containers and the sidecars (init containers with ``restartPolicy:
    Always``) among them; a regular init container that has completed is not run again
    (upstream's ``computeInitContainerActions`` skips it once the Pod is initialized), so
    its new image is stored and never runs."""
    for field in POD_MUTABLE:
        if new.get(field) in (None, []):
            stored.pop(field, None)
        else:
            stored[field] = copy.deepcopy(new[field])
    changed = []
    for field in ("containers", "initContainers"):
        for mine, theirs in zip(stored.get(field) or [], new.get(field) or [], strict=False):
            if mine.get("image") != theirs.get("image"):
                mine["image"] = theirs.get("image")
                changed.append(str(mine.get("name")))
    return changed


def _forbidden(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """The refusal of a change to a field no update may change, followed by what changed:
    upstream diffs the old spec with the new one "munged", its mutable fields (the images,
    the deadline, the tolerations) set back to the old values, so that the diff shows only
    the forbidden changes (:func:`~clustersim.kubernetes.podspecdiff.pod_spec_diff`, an
    approximation of go-cmp's text)."""
    munged = {k: v for k, v in new.items() if k not in POD_MUTABLE}
    munged.update({k: old[k] for k in POD_MUTABLE if k in old})
    for field in ("containers", "initContainers"):
        if field in munged:
            images = [c.get("image") for c in old.get(field) or []]
            munged[field] = [{**c, "image": images[i]} if i < len(images) else c
                             for i, c in enumerate(munged[field])]
    return f'Pod "{name}" is invalid: {_POD_FORBIDDEN}\n{pod_spec_diff(old, munged)}'


def image_whitespace_refusal(name: str | None, spec: Mapping[str, Any]) -> str | None:
    """The API server's refusal of a Pod whose containers' or init containers' image has
    leading or trailing whitespace (``validateContainersOnlyForPod`` in
    ``pkg/apis/core/validation/validation.go``, reached from ``ValidatePodCreate`` and from
    ``ValidatePodUpdate`` alike), or None."""
    for field in ("containers", "initContainers"):
        for index, container in enumerate(spec.get(field) or []):
            image = container.get("image") if isinstance(container, Mapping) else None
            if isinstance(image, str) and image != image.strip():
                return (f'Pod "{name}" is invalid: spec.{field}[{index}].image: '
                        + invalid(image, "must not have leading or trailing whitespace"))
    return None


def pod_update_refusal(name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str | None:
    """The API server's refusal of a Pod whose spec goes from ``old`` to ``new``, or None
    (``ValidatePodUpdate`` and ``validatePodSchedulingGates`` in kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``): only :data:`POD_MUTABLE` and the containers'
    images may change; a gate may only be removed, a toleration only added, a deadline only
    set or lowered. The new spec is first validated as a new Pod's is
    (``validatePodMetadataAndSpec``; here: :func:`image_whitespace_refusal`)."""
    whitespace = image_whitespace_refusal(name, new)
    if whitespace is not None:
        return whitespace
    changed = {k for k in {*old, *new} if old.get(k) != new.get(k)}
    for field in ("containers", "initContainers"):
        if field in changed:
            before, after = old.get(field) or [], new.get(field) or []
            pairs = list(zip(after, before, strict=False))
            if len(before) != len(after) or any({**a, "image": b.get("image")} != b
                                                for a, b in pairs):
                return _forbidden(name, old, new)
            changed.discard(field)
    if changed - set(POD_MUTABLE):
        return _forbidden(name, old, new)
    gates = [g.get("name") for g in old.get("schedulingGates") or []]
    added = [g.get("name") for g in new.get("schedulingGates") or [] if g.get("name") not in gates]
    if added:
        return (f'Pod "{name}" is invalid: spec.schedulingGates: Forbidden: only deletion is '
                f"allowed, but found new scheduling gate '{added[0]}'")
    kept = new.get("tolerations") or []
    if any(t not in kept for t in old.get("tolerations") or []):
        return (f'Pod "{name}" is invalid: spec.tolerations: Forbidden: existing toleration '
                "can not be modified except its tolerationSeconds")
    deadline, before = new.get("activeDeadlineSeconds"), old.get("activeDeadlineSeconds")
    if before is not None and deadline is None:
        return (f'Pod "{name}" is invalid: spec.activeDeadlineSeconds: Invalid value: null: '
                "must not update from a positive integer to nil value")
    if before is not None and deadline > before:
        return (f'Pod "{name}" is invalid: spec.activeDeadlineSeconds: Invalid value: '
                f"{deadline}: must be less than or equal to previous value")
    return None
