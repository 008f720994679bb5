"""ControllerRevisions: the history of pod templates a StatefulSet or a DaemonSet keeps.

Upstream: kubernetes/kubernetes ``pkg/controller/history/controller_history.go``
(``NewControllerRevision``, ``ControllerRevisionName``, ``FindEqualRevisions``,
``NextRevision``, ``SortControllerRevisions``), the StatefulSet controller's
``stateful_set_utils.go`` (``getPatch``, ``newRevision``, ``ApplyRevision``) and
``stateful_set_control.go`` (``getStatefulSetRevisions``, ``truncateHistory``), and the
DaemonSet controller's ``update.go`` (``constructHistory``, ``snapshot``, ``cleanupHistory``).
Docs: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/controller-revision-v1/

- Each revision is an ``apps/v1`` ControllerRevision in the owner's namespace, named
  ``<owner>-<hash>``, controlled by the owner (so the garbage collector deletes it with the
  owner), labelled with the template's labels plus the hash, annotated with the owner's
  annotations, numbered by ``revision`` and holding in ``data`` a strategic merge patch that
  puts the template back: ``{"spec": {"template": {..., "$patch": "replace"}}}``. This is
  what ``kubectl rollout history`` lists and ``kubectl rollout undo`` sends back
  (``kubectl/pkg/polymorphichelpers/history.go`` and ``rollback.go``).
- The revision of the current template is found among the owner's revisions by its data
  (compared with its defaults, :func:`same_template`); a
  template seen before (a rollback) gets its old revision back, renumbered as the newest;
  a new one is created with the next number (the highest plus one).
- Revisions no Pod and no status names any more are deleted, oldest first, beyond
  ``revisionHistoryLimit`` (default 10).

Simplified: the hash in the name is the simulator's template hash
(:func:`~clustersim.kubernetes.objects.pod_template_hash`); upstream's StatefulSet controller
hashes the revision's data (``HashControllerRevision``), the DaemonSet controller the template
(``ComputeHash``), and both count hash collisions in ``status.collisionCount``, which the
simulator does not model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes.defaults import set_template_defaults, workload_default
from clustersim.kubernetes.objects import owner_reference
from clustersim.manifests.safe_yaml import copy_data

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["KIND", "STATEFULSET_HASH_LABEL", "history_limit", "record_revision",
           "revision_template", "revisions", "same_template", "truncate_history"]

KIND = "ControllerRevision"
STATEFULSET_HASH_LABEL = "controller.kubernetes.io/hash"
"""``ControllerRevisionHashLabel``, the label a StatefulSet's revisions carry their hash in
(a DaemonSet's use ``controller-revision-hash``, as its pods do)."""
_REPLACE = "$patch"


def history_limit(owner: Mapping[str, Any]) -> int:
    """``spec.revisionHistoryLimit``, the API server's default when unset
    (:func:`~clustersim.kubernetes.defaults.workload_default`)."""
    limit = (owner.get("spec") or {}).get("revisionHistoryLimit")
    return int(workload_default(owner["kind"], "revisionHistoryLimit") if limit is None
               else limit)


def revisions(cluster: KubernetesCluster, owner: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The owner's revisions, oldest first (``SortControllerRevisions``: by number, then
    name)."""
    return sorted(cluster.owned(KIND, owner),
                  key=lambda r: (r.get("revision", 0), r["metadata"]["name"]))


def revision_template(revision: Mapping[str, Any]) -> dict[str, Any]:
    """The pod template a revision puts back (what ``ApplyRevision`` reads from its data)."""
    template = ((revision.get("data") or {}).get("spec") or {}).get("template") or {}
    return {k: v for k, v in template.items() if k != _REPLACE}


def same_template(revision: Mapping[str, Any], template: Mapping[str, Any]) -> bool:
    """Whether a revision's template is the owner's template, compared as the API server
    stores both, with their defaults (upstream's ``Match`` compares the revision's data with
    the patch made from the stored, defaulted owner): a template written with a field at its
    default, or put back by ``rollout undo`` with the defaults it was read with, is the
    template written without it."""
    if revision == template:
        return True
    defaulted = [copy_data(dict(revision)), copy_data(dict(template))]
    for each in defaulted:
        set_template_defaults(each)
    return defaulted[0] == defaulted[1]


def record_revision(cluster: KubernetesCluster, owner: Mapping[str, Any], hash_: str,
                    hash_label: str) -> dict[str, Any]:
    """The revision of the owner's current template: found, renumbered if an older one, or
    created (``getStatefulSetRevisions``, ``constructHistory``). ``hash_`` names it
    ``<owner>-<hash_>`` and is its ``hash_label``."""
    template = (owner.get("spec") or {}).get("template") or {}
    meta = owner["metadata"]
    history = revisions(cluster, owner)
    newest = history[-1].get("revision", 0) if history else 0
    equal = [r for r in history if same_template(revision_template(r), template)]
    if equal:
        found = equal[-1]
        if found is not history[-1]:       # a rollback: the old template is the newest again
            found["revision"] = newest + 1
            cluster.changed()
        return found
    labels = dict((template.get("metadata") or {}).get("labels") or {})
    labels[hash_label] = hash_
    revision_meta: dict[str, Any] = {
        "name": f"{meta['name']}-{hash_}", "namespace": meta.get("namespace", "default"),
        "labels": labels, "ownerReferences": [owner_reference(owner)]}
    if meta.get("annotations"):
        revision_meta["annotations"] = dict(meta["annotations"])
    return cluster.create({
        "apiVersion": "apps/v1", "kind": KIND, "metadata": revision_meta,
        "data": {"spec": {"template": {**copy_data(template), _REPLACE: "replace"}}},
        "revision": newest + 1,
    })


def truncate_history(cluster: KubernetesCluster, owner: Mapping[str, Any],
                     live: Iterable[str]) -> None:
    """Delete the oldest revisions that no Pod or status names (``live``: revision names)
    beyond the owner's ``revisionHistoryLimit`` (``truncateHistory``, ``cleanupHistory``)."""
    kept = set(live)
    old = [r for r in revisions(cluster, owner) if r["metadata"]["name"] not in kept]
    for revision in old[:max(0, len(old) - history_limit(owner))]:
        cluster.delete_object(revision)
