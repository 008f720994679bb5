"""Checks for the chapter ``book/orchestrators/kubernetes-2026.md``.

- :func:`check_sidecar_order`: the order in which a Pod's init containers, sidecars and app
  container start, and stop when the Pod is deleted, by hand, compared with the simulated
  kubelet's ``Started`` and ``Killing`` events (kubernetes/kubernetes
  ``pkg/kubelet/kuberuntime``; KEP-753, https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/).
- :func:`check_gated_pod`: a Pod the learner writes that must wait, ``SchedulingGated``, until a
  queue controller removes the gate ``example.com/queue`` (KEP-3521,
  ``pkg/scheduler/framework/plugins/schedulinggates``).
"""

from __future__ import annotations

from clustersim.exercises.answers import keyed, listed, one_pod
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes import AdmissionError, KubernetesCluster
from clustersim.kubernetes.containerref import container_named
from clustersim.manifests import ManifestError
from clustersim.node import Node

__all__ = ["GATE", "SIDECAR_POD", "check_gated_pod", "check_sidecar_order", "sidecar_events"]

SIDECAR_POD = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
    "spec": {
        "initContainers": [
            {"name": "vault-agent", "image": "hashicorp/vault:1.17", "restartPolicy": "Always",
             "startupProbe": {"exec": {"command": ["vault", "status"]}, "periodSeconds": 5,
                              "initialDelaySeconds": 5}},
            {"name": "migrate", "image": "shop/migrate:4.2"},
            {"name": "envoy", "image": "envoyproxy/envoy:v1.31", "restartPolicy": "Always"},
        ],
        "containers": [{"name": "api", "image": "shop/api:3.1"}],
    },
}
"""A Pod with a secrets sidecar, a migration, a proxy sidecar and the app."""
GATE = "example.com/queue"


def sidecar_events() -> tuple[list[str], list[str]]:
    """(containers in start order, containers in stop order) of :data:`SIDECAR_POD`, from the
    simulated kubelet's events when it starts and then is deleted (each names its container
    by its field path: since v1.35 the ``Started`` message does not)."""
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="8Gi"), seed=0)
    cluster.apply(SIDECAR_POD)
    cluster.run(until=120)
    cluster.delete("pod", "api")
    cluster.run(until=240)
    names = [container_named(e.field_path) for e in cluster.events.where(reason="Started")]
    stops = [container_named(e.field_path) for e in cluster.events.where(reason="Killing")]
    return names, stops


@checker("Right: vault-agent, migrate, envoy, api to start (migrate waits for vault-agent's "
         "startup probe); api, envoy, vault-agent to stop (the app first, then the sidecars "
         "in reverse order).")
def check_sidecar_order(answer: object) -> None:
    answer = keyed(answer, ("start", "stop"))
    right_start, right_stop = sidecar_events()
    start, stop = (listed(answer[key], right_start, f"container names ({key})", ordered=True,
                          example='["vault-agent", ...]') for key in ("start", "stop"))
    if sorted(start) != sorted(right_start):
        raise Wrong(f"start must name each of the {len(right_start)} containers once.",
                    "The containers are " + ", ".join(sorted(right_start)) + ".")
    if start != right_start:
        if start[-1] != right_start[-1]:
            hint = "Every init container, sidecars included, starts before the app containers."
        else:
            hint = ("Init containers start in the order they are written, sidecars included: a "
                    "sidecar need not finish, the next one starts once it has started (after "
                    "its startupProbe, if it has one).")
        raise Wrong(f"Not the start order: {', '.join(start)}.", hint)
    if "migrate" in stop:
        raise Wrong("migrate is not running any more when the Pod is deleted.",
                    "A regular init container has already exited; only sidecars and app "
                    "containers are stopped.")
    if sorted(stop) != sorted(right_stop):
        raise Wrong(f"stop must name each of the {len(right_stop)} running containers once.",
                    "The running containers are " + ", ".join(sorted(right_stop)) + ".")
    if stop != right_stop:
        if stop[0] != "api":
            hint = "The app containers are stopped first; sidecars keep serving them until then."
        else:
            hint = "Sidecars stop in the reverse order of the spec: the last one written first."
        raise Wrong(f"Not the stop order: {', '.join(stop)}.", hint)



@checker("Right: the Pod waits as SchedulingGated, the scheduler never tries it, and it runs as "
         "soon as the queue controller removes example.com/queue.")
def check_gated_pod(manifest: object) -> None:
    pod = one_pod(manifest)
    spec = pod.get("spec") or {}
    if spec.get("nodeName") and not spec.get("schedulingGates"):
        raise Wrong("spec.nodeName binds the Pod at once: nothing waits.",
                    "Leave the node to the scheduler and add a scheduling gate instead.")
    cluster = KubernetesCluster(Node.many(2, "node", cpu="4", memory="8Gi"), seed=0)
    try:
        cluster.apply(pod)
    except (ManifestError, AdmissionError, ValueError) as err:
        hint = ("A gated Pod waits for the scheduler, and nodeName bypasses it: the API server "
                "refuses both together. Remove nodeName; the scheduler picks a node once the "
                "gate is removed." if "schedulingGates have been cleared" in str(err) else
                "Fix what the message names.")
        raise Wrong(f"The manifest is not accepted: {err}", hint) from None
    cluster.run(until=60)
    [row] = cluster.pods()
    if row.reason != "SchedulingGated":
        where = f"runs on {row.node}" if row.node else f"is {row.reason or 'Pending'}"
        text = str(pod)
        hint = ("Gates are a list under spec.schedulingGates, each a mapping with a name: "
                f"[{{name: {GATE}}}]." if GATE in text else
                f"Add spec.schedulingGates with the gate {GATE}.")
        raise Wrong(f"The Pod {where} instead of waiting.", hint)
    try:
        cluster.remove_scheduling_gate(row.name, GATE)
    except ValueError as err:
        raise Wrong(f"The queue controller could not remove its gate: {err}",
                    f"Name the gate exactly {GATE}.") from None
    cluster.run(until=120)
    [row] = cluster.pods()
    if row.node is None and row.reason == "SchedulingGated":
        raise Wrong(f"After {GATE} was removed the Pod still waits ({row.reason}).",
                    "Use only the queue's gate: every other gate must be removed too.")
    if row.node is None:
        raise Wrong(f"After {GATE} was removed the Pod still waits ({row.reason}).",
                    "The gate is gone but the Pod fits on no node (each has 4 CPU and 8Gi): "
                    "keep the starter's requests.")
