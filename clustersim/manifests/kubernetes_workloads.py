"""Kubernetes objects → :class:`~clustersim.manifests.workload.Workload` (the neutral shape).

- The pod's request is what kube-scheduler places by (kubernetes/kubernetes
  ``pkg/api/v1/resource/helpers.go``, ``PodRequests``): per resource, the larger of the sum
  over the app containers and the largest init container, plus the pod ``overhead``. A
  container with a limit but no request gets the limit as its request (the API server's
  defaulting, ``pkg/apis/core/v1/defaults.go``, ``SetDefaults_Pod``). Simplified: restartable
  init containers (sidecars) are counted like ordinary init containers.
- Replicas: ``spec.replicas`` (default 1) for Deployments, ReplicaSets, ReplicationControllers
  and StatefulSets; ``parallelism`` (default 1) for Jobs and CronJobs; one per node
  (``None``) for a DaemonSet; 1 for a Pod.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clustersim.manifests.workload import Port, Workload
from clustersim.quantity import to_units

__all__ = ["kubernetes_workloads", "pod_spec"]


def _pod_template(kind: str, typed: Any) -> tuple[Any, Any] | None:
    """(pod metadata, pod spec) of a workload kind, or ``None`` for kinds that run nothing."""
    if kind == "Pod":
        return typed.metadata, typed.spec
    if kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"):
        return typed.spec.template.metadata, typed.spec.template.spec
    if kind == "ReplicationController" and typed.spec.template is not None:
        return typed.spec.template.metadata, typed.spec.template.spec
    if kind == "CronJob":
        template = typed.spec.job_template.spec.template
        return template.metadata, template.spec
    return None


def pod_spec(kind: str, typed: Any) -> Any:
    """The validated pod spec of a workload kind, or ``None``."""
    template = _pod_template(kind, typed)
    return template[1] if template else None


def _replicas(kind: str, typed: Any) -> int | None:
    if kind == "DaemonSet":
        return None
    if kind == "Pod":
        return 1
    if kind in ("Job", "CronJob"):
        job = typed.spec if kind == "Job" else typed.spec.job_template.spec
        return 1 if job.parallelism is None else job.parallelism
    return 1 if typed.spec.replicas is None else typed.spec.replicas


def _requests(container: Any) -> dict[str, Decimal]:
    resources = container.resources
    if resources is None:
        return {}
    return {**(resources.limits or {}), **(resources.requests or {})}


def pod_requests(pod: Any) -> dict[str, Decimal]:
    """``PodRequests``: max(sum of containers, largest init container) + overhead."""
    total: dict[str, Decimal] = {}
    for container in pod.containers:
        for name, amount in _requests(container).items():
            total[name] = total.get(name, Decimal(0)) + amount
    for container in pod.init_containers or []:
        for name, amount in _requests(container).items():
            total[name] = max(total.get(name, Decimal(0)), amount)
    for name, amount in (pod.overhead or {}).items():
        total[name] = total.get(name, Decimal(0)) + amount
    return total


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _expression(expr: Any, subject: str) -> str:
    """A NodeSelectorRequirement or LabelSelectorRequirement (typed) as text."""
    values = ", ".join(expr.values or [])
    return f"{subject} {expr.key} {expr.operator}" + (f" [{values}]" if values else "")


def _term(term: Any) -> str:
    parts = [_expression(e, "node label") for e in term.match_expressions or []]
    parts += [_expression(e, "node field") for e in term.match_fields or []]
    return " and ".join(parts) or "any node"


def _selector(selector: Any) -> str:
    if selector is None:
        return "any labels"
    parts = [f"{k}={v}" for k, v in (selector.match_labels or {}).items()]
    parts += [_expression(e, "label") for e in selector.match_expressions or []]
    return ", ".join(parts) or "any labels"


def _affinity_rules(affinity: Any) -> list[str]:
    """The rules of a typed ``Affinity`` (:mod:`~clustersim.manifests.kubernetes_types`)."""
    if affinity is None:
        return []
    rules = []
    node = affinity.node_affinity
    required = node.required_during_scheduling_ignored_during_execution if node else None
    if required is not None:
        rules.append("requires " + " or ".join(_term(t) for t in required.node_selector_terms))
    preferences = node.preferred_during_scheduling_ignored_during_execution if node else None
    for preferred in preferences or []:
        rules.append(f"prefers (weight {preferred.weight}) {_term(preferred.preference)}")
    for pod, verb in ((affinity.pod_affinity, "with"), (affinity.pod_anti_affinity, "away from")):
        if pod is None:
            continue
        for term in pod.required_during_scheduling_ignored_during_execution or []:
            rules.append(
                f"requires {verb} pods {_selector(term.label_selector)} per {term.topology_key}"
            )
        for weighted in pod.preferred_during_scheduling_ignored_during_execution or []:
            term = weighted.pod_affinity_term
            rules.append(
                f"prefers (weight {weighted.weight}) {verb} pods "
                f"{_selector(term.label_selector)} per {term.topology_key}"
            )
    return rules


def placement_rules(pod: Any) -> list[str]:
    """The pod's placement rules, each as a readable sentence."""
    rules = [f"node label {k}={v}" for k, v in (pod.node_selector or {}).items()]
    if pod.node_name:
        rules.append(f"only node {pod.node_name}")
    rules += _affinity_rules(pod.affinity)
    for toleration in pod.tolerations or []:
        taint = toleration.key or "any taint"
        if toleration.value:
            taint += f"={toleration.value}"
        effect = f":{toleration.effect}" if toleration.effect else ""
        rules.append(f"tolerates {taint}{effect}")
    for spread in pod.topology_spread_constraints or []:
        rules.append(
            f"spread over {spread.topology_key}, maxSkew {spread.max_skew} "
            f"({spread.when_unsatisfiable})"
        )
    return rules


def _volumes(kind: str, typed: Any, pod: Any) -> list[str]:
    volumes = []
    for volume in pod.volumes or []:
        volume = _as_dict(volume)
        sources = [key for key in volume if key != "name"]
        source = sources[0] if sources else "emptyDir"
        detail = _as_dict(volume.get(source))
        ref = detail.get("claimName") or detail.get("path") or detail.get("name") or ""
        volumes.append(f"{volume.get('name', '?')}: {source} {ref}".rstrip())
    if kind == "StatefulSet":
        for claim in typed.spec.volume_claim_templates or []:
            name = claim.metadata.name if claim.metadata and claim.metadata.name else "?"
            storage = (
                (claim.spec.resources.requests or {}).get("storage")
                if claim.spec.resources
                else None
            )
            size = f" {storage} bytes" if storage is not None else ""
            volumes.append(f"{name}: volumeClaimTemplate{size}")
    return volumes


def kubernetes_workloads(kind: str, name: str, typed: Any) -> list[Workload]:
    """The workload of one Kubernetes object (none for Services, ConfigMaps and the like)."""
    template = _pod_template(kind, typed)
    if template is None:
        return []
    metadata, pod = template
    requests = pod_requests(pod)
    ports = [
        Port(port.container_port, port.host_port or None, (port.protocol or "TCP").lower())
        for container in pod.containers
        for port in container.ports or []
    ]
    return [
        Workload(
            name=name,
            system="kubernetes",
            kind=kind,
            replicas=_replicas(kind, typed),
            cpu=requests.get("cpu", Decimal(0)),
            memory=to_units(requests.get("memory", Decimal(0))),
            ports=tuple(ports),
            placement=tuple(placement_rules(pod)),
            volumes=tuple(_volumes(kind, typed, pod)),
            labels=dict((metadata.labels if metadata else None) or {}),
        )
    ]
