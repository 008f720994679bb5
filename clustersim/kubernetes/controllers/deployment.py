"""The Deployment controller: ReplicaSets per pod template, rolling updates, Recreate,
proportional scaling, revisions and rollback.

Upstream: kubernetes/kubernetes ``pkg/controller/deployment/`` — ``sync.go`` (``scale``,
``getNewReplicaSet``, ``isScalingEvent``, ``cleanupDeployment``), ``rolling.go``
(``reconcileNewReplicaSet``, ``reconcileOldReplicaSets``, ``cleanupUnhealthyReplicas``,
``scaleDownOldReplicaSetsForRollingUpdate``), ``recreate.go`` and
``util/deployment_util.go`` (``ResolveFenceposts``, ``NewRSNewReplicas``,
``GetProportion``, ``MaxSurge``, ``MaxUnavailable``). Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/deployment/

The arithmetic lives in pure functions in :mod:`~clustersim.kubernetes.controllers.rollout`
(upstream's ``deployment_util.go`` and the arithmetic of ``rolling.go``), checked against
upstream's own test tables; :class:`DeploymentController` applies their decisions to the
ReplicaSet objects and records upstream's ``ScalingReplicaSet`` events. Its status carries
the conditions ``Available``, ``Progressing`` and, while a ReplicaSet's creates are refused,
that ReplicaSet's ``ReplicaFailure`` (:func:`copy_replica_failure`, ``progress.go``).

Rollback is what ``kubectl rollout undo`` does today: it copies the pod template and the
annotations of an older revision back into the Deployment (client-side), and the controller
then finds that revision's ReplicaSet again and scales it up under a new revision number.
:mod:`~clustersim.kubernetes.controllers.deployment_annotations` has the annotations the
Deployment and its ReplicaSets share.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller, replicas_of
from clustersim.kubernetes.controllers.deployment_annotations import (
    CHANGE_CAUSE,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    REVISION,
    int_annotation,
    rollback_annotations,
    set_new_replica_set_annotations,
)
from clustersim.kubernetes.controllers.deployment_conditions import (
    TIMED_OUT,
    check_paused_conditions,
    has_progress_deadline,
    set_deployment_condition,
)
from clustersim.kubernetes.controllers.rollout import (
    ReplicaSetState,
    Scaling,
    max_surge,
    max_unavailable,
    new_rs_new_replicas,
    proportional_scale,
    reconcile_new_replica_set,
    reconcile_old_replica_sets,
    replica_sets_to_clean,
)
from clustersim.kubernetes.defaults import set_deployment_defaults, set_template_defaults
from clustersim.kubernetes.objects import (
    condition,
    count_generation,
    owner_reference,
    pod_template_hash,
)
from clustersim.kubernetes.podcounts import ReadyCounts

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["DeploymentController", "copy_replica_failure", "rollout_history", "rollout_undo"]

HASH_LABEL = "pod-template-hash"

def _template_without_hash(template: Mapping[str, Any]) -> dict[str, Any]:
    """The template without the ``pod-template-hash`` label, for comparing and hashing.

    Only the path to the labels is copied (the rest is shared with ``template``): this runs
    for every ReplicaSet on every Deployment sync, where a deep copy dominated ``run()``. A
    caller that keeps the result must deep-copy it."""
    meta = template.get("metadata") or {}
    labels = meta.get("labels") or {}
    if HASH_LABEL not in labels:
        return dict(template)
    kept = {k: v for k, v in labels.items() if k != HASH_LABEL}
    return {**template, "metadata": {**meta, "labels": kept}}


def equal_ignore_hash(template: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether two pod templates are the same but for the ``pod-template-hash`` label, as
    upstream compares them (``EqualIgnoreHash`` in kubernetes/kubernetes
    ``pkg/controller/deployment/util/deployment_util.go``, used by ``FindNewReplicaSet``
    and by kubectl's ``DeploymentRollbacker``).

    Upstream both templates are stored defaulted and compared as decoded Go structs, where
    a field at its default or an empty struct such as ``resources: {}`` is the same whether
    it was written or not. The simulator stores templates as written, so two that differ as
    written are compared again with the API server's defaults filled in
    (:func:`~clustersim.kubernetes.defaults.set_template_defaults`, the one rule the served
    API renders them with); the copy is only made when the written forms differ."""
    mine, theirs = _template_without_hash(template), _template_without_hash(other)
    if mine == theirs:
        return True
    return _defaulted(mine) == _defaulted(theirs)


def _defaulted(template: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``template`` with the API server's defaults filled in."""
    stored = copy.deepcopy(template)
    set_template_defaults(stored)
    return stored


class DeploymentController(Controller):
    """Reconciles Deployments into ReplicaSets."""

    kinds: ClassVar[tuple[str, ...]] = ("Deployment",)

    def __init__(self, cluster: KubernetesCluster) -> None:
        super().__init__(cluster)
        self._totals_now: tuple[int, int, int, int] | None = None
        """:meth:`_totals` of the Deployment being synced, until its ReplicaSets change."""
        self._sets_now: tuple[list[dict[str, Any]], dict[str, Any] | None] | None = None
        """:meth:`_replica_sets` of the Deployment being synced, until they change."""

    def _forget(self) -> None:
        """Drop what this sync has counted (a new sync, or ReplicaSets created or deleted)."""
        self._totals_now = None
        self._sets_now = None

    def _replica_sets(self, d: dict[str, Any]) -> tuple[list[dict[str, Any]],
                                                        dict[str, Any] | None]:
        """The Deployment's ReplicaSets and the new one among them (None: none yet), found
        once per sync: a sync changes no template, and :meth:`_forget` drops them when it
        creates or deletes a ReplicaSet."""
        if self._sets_now is None:
            rs_objects = self.cluster.owned("ReplicaSet", d)
            self._sets_now = (rs_objects, self._find_new(d, rs_objects))
        return self._sets_now

    def _counts(self, rs: dict[str, Any], min_ready: float) -> ReadyCounts:
        """The ready and available pods among the active ones of ``rs``, kept by the
        cluster as its pods change (:mod:`clustersim.kubernetes.podcounts`)."""
        return self.cluster.pod_counts.ready(rs["metadata"]["uid"], min_ready,
                                             self.cluster.now)

    def sync(self, d: dict[str, Any]) -> None:
        self._forget()
        set_deployment_defaults(d)
        # ``getReplicaSetsForDeployment``: ``ClaimReplicaSets`` adopts the orphans it
        # selects, the ReplicaSets a Deployment deleted with ``--cascade=orphan`` left
        self.claim_orphans(d, "ReplicaSet", d["spec"].get("selector"))
        spec, strategy = d["spec"], d["spec"]["strategy"]
        if strategy["type"] not in ("RollingUpdate", "Recreate"):
            raise ValueError(f"Deployment {d['metadata']['name']!r}: spec.strategy.type "
                             f"{strategy['type']!r} must be RollingUpdate or Recreate")
        replicas = replicas_of(d)
        rs_objects, new_obj = self._replica_sets(d)
        if new_obj is not None:
            # every path of ``syncDeployment`` starts with ``getAllReplicaSetsAndSyncRevision``
            self._sync_new_replica_set(d, rs_objects, new_obj)
        if d["metadata"].get("deletionTimestamp") is not None:
            # being deleted (in the foreground): its status only, no rollout
            # (``syncDeployment`` calls ``syncStatusOnly``, pkg/controller/deployment)
            self._update_status(d, replicas, rollout=False)
            return
        if check_paused_conditions(d, self.cluster.now):
            self.cluster.changed()
        states = {id(rs): self._state(rs) for rs in rs_objects}
        if spec.get("paused") or self._is_scaling_event(d, rs_objects, replicas):
            new_state = states[id(new_obj)] if new_obj else None
            old_states = [states[id(rs)] for rs in rs_objects if rs is not new_obj]
            self._apply(d, rs_objects, states, proportional_scale(
                replicas, strategy, new_state, old_states, d.get("status", {}).get("replicas", 0)))
            self._refresh_annotations(d, rs_objects)
            self._update_status(d, replicas, rollout=False)
            return
        if strategy["type"] == "Recreate":
            self._recreate(d, rs_objects, new_obj, states, replicas)
        else:
            self._rolling(d, rs_objects, new_obj, states, replicas)
        self._update_status(d, replicas)
        # syncRolloutStatus (both strategies end with it) moves a ReplicaSet's failure up
        rs_objects, new_obj = self._replica_sets(d)
        copy_replica_failure(d, [*([new_obj] if new_obj is not None else []), *rs_objects])

    # ---- the two strategies -------------------------------------------------------------

    def _rolling(self, d, rs_objects, new_obj, states, replicas) -> None:
        strategy = d["spec"]["strategy"]
        if new_obj is None:
            old_states = [states[id(rs)] for rs in rs_objects]
            probe = ReplicaSetState("<new>", 0)
            size = new_rs_new_replicas(replicas, strategy, [*old_states, probe], probe)
            new_obj = self._create_new(d, rs_objects, size)
            rs_objects = [*rs_objects, new_obj]
            states[id(new_obj)] = self._state(new_obj)
            return
        new_state = states[id(new_obj)]
        old_states = [states[id(rs)] for rs in rs_objects if rs is not new_obj]
        all_states = [*old_states, new_state]
        done = reconcile_new_replica_set(replicas, strategy, all_states, new_state)
        if not done:
            active_old = [rs for rs in old_states if rs.replicas > 0]
            done = reconcile_old_replica_sets(replicas, strategy, all_states, active_old,
                                              new_state)
        self._apply(d, rs_objects, states, done)
        if not done and self._complete(d, replicas):
            self._cleanup(d, [rs for rs in rs_objects if rs is not new_obj])

    def _recreate(self, d, rs_objects, new_obj, states, replicas) -> None:
        old_objs = [rs for rs in rs_objects if rs is not new_obj]
        done = [(states[id(rs)], states[id(rs)].replicas, 0) for rs in old_objs
                if states[id(rs)].replicas > 0]
        if done:
            self._apply(d, rs_objects, states, done)
            return
        for rs in old_objs:
            if any((p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
                   for p in self.cluster.owned("Pod", rs)):
                return                                  # wait until old pods are gone
        if new_obj is None:
            self._create_new(d, rs_objects, replicas)
            return
        state = states[id(new_obj)]
        if state.replicas != replicas:
            self._apply(d, rs_objects, states, [(state, state.replicas, replicas)])
        elif self._complete(d, replicas):
            self._cleanup(d, old_objs)

    # ---- ReplicaSets ---------------------------------------------------------------------

    def _state(self, rs: dict[str, Any]) -> ReplicaSetState:
        min_ready = (rs.get("spec") or {}).get("minReadySeconds", 0) or 0
        available = self._counts(rs, min_ready).available
        return ReplicaSetState(
            name=rs["metadata"]["name"], replicas=replicas_of(rs), available=available,
            created=rs["metadata"]["creationTimestamp"],
            desired=int_annotation(rs, DESIRED_REPLICAS),
            max_replicas=int_annotation(rs, MAX_REPLICAS),
        )

    def _find_new(self, d, rs_objects) -> dict[str, Any] | None:
        """The oldest ReplicaSet whose template equals the Deployment's, ignoring the hash label
        (``FindNewReplicaSet``)."""
        wanted = d["spec"].get("template") or {}
        for rs in sorted(rs_objects, key=lambda r: r["metadata"]["creationTimestamp"]):
            if equal_ignore_hash(rs["spec"].get("template") or {}, wanted):
                return rs
        return None

    def _is_scaling_event(self, d, rs_objects, replicas) -> bool:
        for rs in rs_objects:
            desired = int_annotation(rs, DESIRED_REPLICAS)
            if replicas_of(rs) > 0 and desired is not None and desired != replicas:
                return True
        return False

    def _max_revision(self, rs_objects) -> int:
        return max((int_annotation(rs, REVISION) or 0 for rs in rs_objects), default=0)

    def _create_new(self, d, rs_objects, size: int) -> dict[str, Any]:
        template = copy.deepcopy(d["spec"].get("template") or {})
        template_hash = pod_template_hash(_template_without_hash(template))
        template.setdefault("metadata", {}).setdefault("labels", {})[HASH_LABEL] = template_hash
        selector = copy.deepcopy(d["spec"].get("selector") or {})
        selector.setdefault("matchLabels", {})[HASH_LABEL] = template_hash
        replicas = replicas_of(d)
        revision = self._max_revision(rs_objects) + 1
        name = f"{d['metadata']['name']}-{template_hash}"
        annotations = {DESIRED_REPLICAS: str(replicas),
                       MAX_REPLICAS: str(replicas + max_surge(replicas, d["spec"]["strategy"]))}
        set_new_replica_set_annotations(d["metadata"].get("annotations") or {}, annotations,
                                        revision)
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "namespace": d["metadata"]["namespace"],
                "labels": dict(template["metadata"]["labels"]),
                "annotations": annotations,
                "ownerReferences": [owner_reference(d)],
            },
            "spec": {
                "replicas": size,
                "minReadySeconds": d["spec"].get("minReadySeconds", 0),
                "selector": selector,
                "template": template,
            },
        }
        self.cluster.create(rs)
        self._forget()                      # one more ReplicaSet to count
        d["metadata"].setdefault("annotations", {})[REVISION] = str(revision)
        if has_progress_deadline(d):
            set_deployment_condition(d, "Progressing", "True", "NewReplicaSetCreated",
                                     f'Created new replica set "{name}"', self.cluster.now)
        if size > 0:
            self.cluster.record(d, "ScalingReplicaSet",
                                f"Scaled up replica set {name} from 0 to {size}")
        return rs

    def _sync_new_replica_set(self, d, rs_objects, new_obj) -> None:
        """Bring the existing new ReplicaSet up to date and give the Deployment its revision
        (``getNewReplicaSet`` in ``sync.go``): its annotations (the Deployment's
        annotations, the highest revision, its ``revision-history``:
        :func:`.deployment_annotations.set_new_replica_set_annotations`) and its
        ``minReadySeconds``, the Deployment's (a change of it leaves the template, so the
        same ReplicaSet stays the new one; upstream updates both in one write, which counts
        a generation when the spec changed). The old ReplicaSets keep theirs."""
        annotations = new_obj["metadata"].setdefault("annotations", {})
        others = [rs for rs in rs_objects if rs is not new_obj]
        before = dict(new_obj["spec"])
        min_ready = d["spec"].get("minReadySeconds", 0) or 0
        updated = False
        if (new_obj["spec"].get("minReadySeconds", 0) or 0) != min_ready:
            new_obj["spec"]["minReadySeconds"] = min_ready
            count_generation(new_obj, before)
            updated = True
        if set_new_replica_set_annotations(d["metadata"].get("annotations") or {},
                                           annotations, self._max_revision(others) + 1):
            updated = True
        if updated:
            self.cluster.changed()
        if REVISION in annotations:
            d["metadata"].setdefault("annotations", {})[REVISION] = annotations[REVISION]
        if not updated and has_progress_deadline(d) and condition(d, "Progressing") is None:
            # a ReplicaSet found (adopted, or made before the Deployment had a deadline)
            set_deployment_condition(d, "Progressing", "True", "FoundNewReplicaSet",
                                     f'Found new replica set "{new_obj["metadata"]["name"]}"',
                                     self.cluster.now)
            self.cluster.changed()

    def _apply(self, d, rs_objects, states, done: list[Scaling]) -> None:
        """Write each decision to its ReplicaSet (size and replica annotations) with the
        ``ScalingReplicaSet`` event (``scaleReplicaSetAndRecordEvent``)."""
        by_state = {id(states[id(rs)]): rs for rs in rs_objects}
        replicas = replicas_of(d)
        surge = max_surge(replicas, d["spec"]["strategy"])
        for state, old, new in done:
            rs = by_state[id(state)]
            before = dict(rs["spec"])
            rs["spec"]["replicas"] = new
            count_generation(rs, before)
            annotations = rs["metadata"].setdefault("annotations", {})
            annotations[DESIRED_REPLICAS] = str(replicas)
            annotations[MAX_REPLICAS] = str(replicas + surge)
            self.cluster.changed()
            if old != new:
                direction = "up" if new > old else "down"
                self.cluster.record(d, "ScalingReplicaSet",
                                    f"Scaled {direction} replica set {rs['metadata']['name']} "
                                    f"from {old} to {new}")

    def _refresh_annotations(self, d, rs_objects) -> None:
        """After a scaling event every active set records the new size and surge
        (upstream's ``scaleReplicaSet`` rewrites them even when the size stays)."""
        replicas = replicas_of(d)
        wanted = {DESIRED_REPLICAS: str(replicas),
                  MAX_REPLICAS: str(replicas + max_surge(replicas, d["spec"]["strategy"]))}
        for rs in rs_objects:
            annotations = rs["metadata"].setdefault("annotations", {})
            if replicas_of(rs) > 0 and any(annotations.get(k) != v for k, v in wanted.items()):
                annotations.update(wanted)
                self.cluster.changed()

    def _cleanup(self, d, old_objs) -> None:
        """Delete old ReplicaSets beyond ``revisionHistoryLimit`` (``cleanupDeployment``)."""
        states = [(rs, ReplicaSetState(rs["metadata"]["name"], replicas_of(rs),
                                       created=int_annotation(rs, REVISION) or 0))
                  for rs in old_objs]
        pods = {id(rs): sum(1 for _ in self.cluster.owned("Pod", rs)) for rs in old_objs}
        doomed = replica_sets_to_clean([state for _, state in states],
                                       {state.name: pods[id(rs)] for rs, state in states},
                                       d["spec"]["revisionHistoryLimit"])
        for rs, state in states:
            if state.name in doomed:
                self.cluster.delete_object(rs)
                self._forget()                  # its pods are going

    # ---- status --------------------------------------------------------------------------

    def _totals(self, d) -> tuple[int, int, int, int]:
        """Over the Deployment's ReplicaSets: active pods, active pods of the new one, and
        how many of them are ready and available (the Deployment's ``minReadySeconds``)."""
        if self._totals_now is None:
            rs_objects, new_obj = self._replica_sets(d)
            min_ready = d["spec"].get("minReadySeconds", 0) or 0
            pods = new_pods = ready = available = 0
            for rs in rs_objects:
                count = self.cluster.pod_counts.active(rs["metadata"]["uid"])
                pods += count
                if rs is new_obj:
                    new_pods = count
                counts = self._counts(rs, min_ready)
                ready += counts.ready
                available += counts.available
                for due in counts.pending:
                    self._wake_when_available(due)
            self._totals_now = (pods, new_pods, ready, available)
        return self._totals_now

    def _wake_when_available(self, due: float) -> None:
        """Look again at ``due``, when ready pods of a ReplicaSet have been ready for the
        Deployment's ``minReadySeconds``: the control loop skips passes while nothing
        changes, so a count that changes with time alone needs a wake-up. The ReplicaSet
        controller wakes for the ReplicaSet's own ``minReadySeconds`` (upstream's
        ``AddAfter`` in ``replica_set.go``), which the Deployment's sets on the new
        ReplicaSet (:meth:`_sync_new_replica_set`) and an old one keeps. Upstream the
        Deployment sums its ReplicaSets' ``availableReplicas`` (each by its own
        ``minReadySeconds``); here the Deployment's counts its pods by its own."""
        self.cluster.wake_at(due)

    def _complete(self, d, replicas: int) -> bool:
        pods, new_pods, _, available = self._totals(d)
        return new_pods == replicas and pods == replicas and available == replicas

    def _update_status(self, d, replicas: int, *, rollout: bool = True) -> None:
        """Status counts and the Available condition (``calculateStatus`` in ``sync.go``),
        and with ``rollout`` the Progressing condition too (``syncRolloutStatus`` in
        ``progress.go``); upstream's paused and scaling syncs (``sync``) and a Deployment
        being deleted leave Progressing as it was
        (:mod:`~clustersim.kubernetes.controllers.deployment_conditions`).

        Progress is any change toward the goal: more updated, ready or available pods, or
        fewer old ones (``DeploymentProgressing``). Without progress for
        ``progressDeadlineSeconds`` (default 600) since the condition was last written
        (progress, or a resume) the rollout is reported as failed
        (``ProgressDeadlineExceeded``), in the condition alone: ``syncRolloutStatus``
        records no Event for it (``kubectl rollout status`` reads the condition and exits
        with ``exceeded its progress deadline``); upstream does not stop the rollout, and
        neither does this.
        A ReplicaSet made for the rollout first shows as ``NewReplicaSetCreated``, one found
        (adopted) as ``FoundNewReplicaSet`` (``getNewReplicaSet``), until the rollout's next
        progress. Simplified: a rollback to an older ReplicaSet writes ``ReplicaSetUpdated``
        at once, where upstream waits for the ReplicaSet's status to show the progress.
        """
        pods, new_pods, ready, available = self._totals(d)
        now = self.cluster.now
        status = d.setdefault("status", {})
        before = dict(status)
        status.update(
            observedGeneration=d["metadata"].get("generation", 1),
            replicas=pods,
            updatedReplicas=new_pods,
            readyReplicas=ready,
            availableReplicas=available,
            unavailableReplicas=max(0, replicas - available),
        )
        min_available = replicas - max_unavailable(replicas, d["spec"]["strategy"])
        ok = available >= min_available
        set_deployment_condition(
            d, "Available", str(ok), "MinimumReplicasAvailable" if ok
            else "MinimumReplicasUnavailable", "Deployment has minimum availability." if ok
            else "Deployment does not have minimum availability.", now)
        if not rollout:
            return
        if not has_progress_deadline(d):
            if (progressing := condition(d, "Progressing")) is not None:
                status["conditions"].remove(progressing)
            return
        new_obj = self._replica_sets(d)[1]
        named = (f'ReplicaSet "{new_obj["metadata"]["name"]}"' if new_obj is not None
                 else f'Deployment "{d["metadata"]["name"]}"')
        progressing = condition(d, "Progressing")
        reason = progressing.get("reason") if progressing is not None else None
        if reason == "NewReplicaSetAvailable" and pods == new_pods:
            return                                  # isCompleteDeployment
        if self._complete(d, replicas):
            set_deployment_condition(d, "Progressing", "True", "NewReplicaSetAvailable",
                                     f"{named} has successfully progressed.", now)
            return
        if progressing is None or _progressed(before, status) or reason == \
                "NewReplicaSetAvailable":
            set_deployment_condition(d, "Progressing", "True", "ReplicaSetUpdated",
                                     f"{named} is progressing.", now, again=True)
        elif reason == TIMED_OUT:
            return
        last = condition(d, "Progressing").get("lastUpdateTime", now)
        deadline = d["spec"]["progressDeadlineSeconds"]
        if now >= last + deadline:
            set_deployment_condition(d, "Progressing", "False", TIMED_OUT,
                                     f"{named} has timed out progressing.", now)
        else:
            # background: run() does not wait for a deadline that may never matter
            self.cluster.wake_at(last + deadline, background=True)


def copy_replica_failure(d: dict[str, Any], replica_sets: list[dict[str, Any]]) -> None:
    """``syncRolloutStatus`` (kubernetes/kubernetes ``pkg/controller/deployment/
    progress.go``): the first ``ReplicaFailure`` condition of ``replica_sets`` (the new one
    first, ``getReplicaFailures``) becomes the Deployment's, as
    ``ReplicaSetToDeploymentCondition`` converts it (its ``lastUpdateTime`` the
    ReplicaSet's ``lastTransitionTime``) and ``SetDeploymentCondition`` sets it: one of the
    same status and reason stays as it is, another is replaced at the end of the list; none
    removes the Deployment's. Upstream's paused and scaling syncs (``sync``) and a
    Deployment being deleted leave it as it was."""
    found = next(filter(None, (condition(rs, "ReplicaFailure") for rs in replica_sets)), None)
    conditions = d.setdefault("status", {}).setdefault("conditions", [])
    current = condition(d, "ReplicaFailure")
    since = found["lastTransitionTime"] if found is not None else None
    if current is not None:
        if found is not None and current["status"] == found["status"]:
            if current.get("reason") == found.get("reason"):
                return
            since = current["lastTransitionTime"]
        conditions.remove(current)
    if found is None:
        return
    conditions.append({"type": "ReplicaFailure", "status": found["status"],
                       "lastUpdateTime": found["lastTransitionTime"], "lastTransitionTime": since,
                       "reason": found.get("reason", ""), "message": found.get("message", "")})


def _progressed(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """``DeploymentProgressing``: the rollout moved toward its goal."""
    old_before = before.get("replicas", 0) - before.get("updatedReplicas", 0)
    old_after = after.get("replicas", 0) - after.get("updatedReplicas", 0)
    return (after.get("updatedReplicas", 0) > before.get("updatedReplicas", 0)
            or old_after < old_before
            or after.get("readyReplicas", 0) > before.get("readyReplicas", 0)
            or after.get("availableReplicas", 0) > before.get("availableReplicas", 0))


def rollout_history(cluster, d: dict[str, Any]) -> list[dict[str, Any]]:
    """The Deployment's revisions, oldest first: revision, ReplicaSet name, images and
    change-cause (the ReplicaSet's ``kubernetes.io/change-cause``, None without one: kubectl's
    ``<none>``; kubectl ``pkg/polymorphichelpers/history.go``)."""
    rows = []
    for rs in cluster.owned("ReplicaSet", d):
        images = [c.get("image") for c in
                  (rs["spec"].get("template") or {}).get("spec", {}).get("containers") or []]
        cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE) or None
        rows.append({"revision": int_annotation(rs, REVISION) or 0,
                     "replicaset": rs["metadata"]["name"], "images": images,
                     "change_cause": cause})
    return sorted(rows, key=lambda r: r["revision"])


def rollout_undo(cluster, d: dict[str, Any], to_revision: int = 0) -> str:
    """What ``kubectl rollout undo`` does (client-side since apps/v1): copy the pod template
    of revision ``to_revision`` (0: the one before the current) back into the Deployment,
    without its ``pod-template-hash`` label, and with it the revision's annotations, such as
    its change-cause (:func:`.deployment_annotations.rollback_annotations`; kubectl
    ``pkg/polymorphichelpers/rollback.go``, ``DeploymentRollbacker.Rollback``). A paused
    Deployment is refused, as kubectl refuses it."""
    name = d["metadata"]["name"]
    history = rollout_history(cluster, d)
    current = max((r["revision"] for r in history), default=0)
    if to_revision == 0:
        older = [r for r in history if r["revision"] < current]
        if not older:
            raise ValueError(f'no rollout history found for deployment "{name}"')
        to_revision = older[-1]["revision"]
    match = [r for r in history if r["revision"] == to_revision]
    if not match:
        raise ValueError(f"unable to find specified revision {to_revision} in history")
    rs = cluster.get("ReplicaSet", d["metadata"]["namespace"], match[0]["replicaset"])
    if d["spec"].get("paused"):
        raise ValueError(f"you cannot rollback a paused deployment; resume it first with "
                         f"'kubectl rollout resume deployment/{name}' and try again")
    template = copy.deepcopy(_template_without_hash(rs["spec"]["template"]))
    if equal_ignore_hash(template, d["spec"].get("template") or {}):
        return (f"deployment.apps/{name} skipped rollback (current template already matches "
                f"revision {to_revision})")
    before = dict(d["spec"])
    d["spec"]["template"] = template
    d["metadata"]["annotations"] = rollback_annotations(d["metadata"].get("annotations") or {},
                                                        rs["metadata"].get("annotations") or {})
    count_generation(d, before)
    cluster.changed()
    return f"deployment.apps/{name} rolled back"
