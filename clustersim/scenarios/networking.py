"""IP-per-pod versus host ports: how many instances of a web service fit, per network mode.

:func:`port_fit` runs ``instances`` copies of one small web service, ``nginx:1.27``, which
listens on port 80 in its container (the image's ``EXPOSE 80``, nginxinc/docker-nginx
``Dockerfile``; a port published or bound on a node is 8080), on the demo cluster of its
system (:func:`clustersim.clusters.demo_nodes`), in one of :data:`MODES`, and reports how
many were placed and why the rest wait:

- Kubernetes gives every pod its own IP (the network model,
  https://kubernetes.io/docs/concepts/services-networking/#the-kubernetes-network-model), so
  any number of pods listening on port 80 share a node; only a ``hostPort`` brings conflicts back
  (scheduler plugin ``NodePorts``, kubernetes/kubernetes
  ``pkg/scheduler/framework/plugins/nodeports/node_ports.go``).
- Marathon with host networking and ``requirePorts`` needs its fixed host port (31080 here:
  it must lie in the agents' offered port range, 31000-32000 by default) in an offer, so one
  instance per agent; a random host port (0), Docker bridge mode or a container network
  avoid that (d2iq-archive/marathon ``docs/docs/networking.md``, ``PortsMatcher.scala``).
- Swarm publishes through the routing mesh (ingress: every node answers on the published
  port, tasks need no host port) unless ``mode: host`` binds the port on the task's node
  (https://docs.docker.com/engine/swarm/ingress/).

The live explorer and its figure: :mod:`clustersim.widgets.networking`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clustersim.clusters import demo_nodes, open_system
from clustersim.memo import memoized
from clustersim.reprs import brief

__all__ = [
    "FIXED_HOST_PORT", "MODES", "PortFit", "discovery_under_failure", "port_fit", "service_source"
]


MODES = {
    "k8s-pod-ip": "Kubernetes · containerPort 80",
    "k8s-hostport": "Kubernetes · hostPort 8080",
    "marathon-host-fixed": "Marathon · host, port 31080 fixed",
    "marathon-host-random": "Marathon · host, random port",
    "marathon-bridge": "Marathon · bridge, hostPort 0",
    "marathon-container": "Marathon · container network",
    "swarm-ingress": "Swarm · published 8080 (mesh)",
    "swarm-host": "Swarm · published 8080, mode: host",
}


_IMAGE = "nginx:1.27"
_CONTAINER_PORT = 80
"""The port nginx listens on in its container (docker-nginx: ``EXPOSE 80``)."""


# A Mesos agent offers ports 31000-32000 unless configured otherwise (mesos
# ``src/slave/constants.hpp`` DEFAULT_PORTS), so a fixed host port must lie in that range.
FIXED_HOST_PORT = 31080


@dataclass(frozen=True)
class PortFit:
    """What happened to ``instances`` copies in ``mode``: placed count per node, waiting
    count and the system's own reason for the first waiting one."""

    __repr__ = brief

    mode: str
    instances: int
    per_node: dict[str, int]
    waiting: int
    reason: str

    @property
    def placed(self) -> int:
        return sum(self.per_node.values())


def service_source(mode: str, instances: int) -> Any:
    """The manifest (plain data) of the web service in ``mode``: its container port 80,
    published or bound on a node as 8080."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if isinstance(instances, bool) or not isinstance(instances, int) or not 0 <= instances <= 50:
        raise ValueError(f"instances must be a whole number from 0 to 50, not {instances!r}")
    if mode.startswith("k8s"):
        port: dict[str, Any] = {"containerPort": _CONTAINER_PORT}
        if mode == "k8s-hostport":
            port["hostPort"] = 8080
        labels = {"app": "web"}
        return [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                 "spec": {"replicas": instances, "selector": {"matchLabels": labels},
                          "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                              {"name": "web", "image": _IMAGE, "ports": [port],
                               "resources": {"requests": {"cpu": "100m",
                                                          "memory": "64Mi"}}}]}}}}]
    if mode.startswith("swarm"):
        published = {"target": _CONTAINER_PORT, "published": 8080}
        if mode == "swarm-host":
            published["mode"] = "host"
        return {"services": {"web": {"image": _IMAGE, "ports": [published],
                                     "deploy": {"replicas": instances}}}}
    app: dict[str, Any] = {"id": "/web", "instances": instances, "cpus": 0.1, "mem": 64}
    if mode.startswith("marathon-host"):
        app["networks"] = [{"mode": "host"}]
        app["portDefinitions"] = [{"port": FIXED_HOST_PORT if mode.endswith("fixed") else 0,
                                   "name": "http"}]
        app["requirePorts"] = mode.endswith("fixed")
        app["cmd"] = "python3 -m http.server $PORT0"
        return app
    mapping: dict[str, Any] = {"containerPort": _CONTAINER_PORT, "name": "http"}
    if mode == "marathon-bridge":
        mapping["hostPort"] = 0
    app["container"] = {"type": "DOCKER", "docker": {"image": _IMAGE}, "portMappings": [mapping]}
    app["networks"] = ([{"mode": "container/bridge"}] if mode == "marathon-bridge"
                       else [{"mode": "container", "name": "dcos"}])
    return app


@memoized(96)
def port_fit(mode: str, instances: int, *, until: float = 60.0, seed: int = 0) -> PortFit:
    """Run the service in ``mode`` with ``instances`` copies for ``until`` seconds."""
    source = service_source(mode, instances)
    system = open_system(next(s for s in ("k8s", "swarm", "marathon") if mode.startswith(s))
                         .replace("k8s", "kubernetes"), seed=seed)
    system.deploy(source, stack="net")
    system.run(until=until)
    per_node: dict[str, int] = {}
    for task in system.snapshot().tasks:
        if task.node:
            per_node[task.node] = per_node.get(task.node, 0) + 1
    waiting = system.waiting()
    return PortFit(mode, instances, dict(sorted(per_node.items())),
                   instances - sum(per_node.values()), waiting[0][1] if waiting else "")


def _busiest(placements: Sequence[str | None]) -> str:
    """The node that runs the most instances (ties: the first by name)."""
    counts: dict[str, int] = {}
    for node in placements:
        if node:
            counts[node] = counts.get(node, 0) + 1
    return min(counts, key=lambda name: (-counts[name], name))


def discovery_under_failure(instances: int = 6, *, rate: float = 10.0, start: float = 30.0,
                            fail_at: float = 60.0, stop: float = 240.0, bucket: float = 10.0,
                            seed: int = 0) -> dict[str, dict[str, Any]]:
    """Clients send ``rate`` requests per second to the web service from ``start``
    to ``stop`` through each system's own service discovery, and at ``fail_at`` the node
    running the most instances fails. Per system: ``{"via", "failed_node", "rows"}`` with
    failed/served counts per ``bucket`` seconds.

    - Kubernetes: a ClusterIP Service; kube-proxy picks a random ready endpoint.
    - Marathon: marathon-lb on the app's service port 10101 (Docker bridge, HAProxy round
      robin over the healthy tasks).
    - Swarm: the routing mesh on published port 8080 (ingress), requests to any node.
    """
    if not start < fail_at < stop:
        raise ValueError(f"need start < fail_at < stop, got {start}, {fail_at}, {stop}")
    if instances == 0 and not isinstance(instances, bool):
        # the scenario fails the node running the most instances: with none, there is none
        raise ValueError(f"instances must be a whole number from 1 to 50 here, not "
                         f"{instances!r}: the node that runs the most instances fails, so at "
                         "least one must run (port_fit takes 0)")
    from clustersim.kubernetes import KubernetesCluster
    from clustersim.marathon import Marathon, MarathonLB
    from clustersim.mesos import MesosCluster
    from clustersim.swarm import SwarmCluster

    outcome: dict[str, dict[str, Any]] = {}
    k8s = KubernetesCluster(demo_nodes("kubernetes"), seed=seed)
    k8s.apply([*service_source("k8s-pod-ip", instances), {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"},
                 "ports": [{"port": 80, "targetPort": _CONTAINER_PORT}]}}])
    stream = k8s.request_stream("web", rate=rate, start=start, stop=stop)
    k8s.run(until=fail_at)
    failed = _busiest([p.node for p in k8s.pods()])
    k8s.fail_node(failed)
    k8s.run(until=stop)
    outcome["Kubernetes"] = {"via": "Service web (ClusterIP), kube-proxy",
                             "failed_node": failed, "rows": stream.buckets(bucket)}

    mesos = MesosCluster(demo_nodes("marathon"), seed=seed)
    marathon = mesos.register(Marathon())
    app = service_source("marathon-bridge", instances)
    app["container"]["portMappings"][0]["servicePort"] = 10101
    app["labels"] = {"HAPROXY_GROUP": "external"}
    marathon.deploy(app)
    lb_stream = MarathonLB(marathon, cluster=mesos, seed=seed).request_stream(
        10101, rate=rate, start=start, stop=stop)
    mesos.run(until=fail_at)
    failed = _busiest([i.hostname for i in marathon.instances("/web") if i.placed])
    mesos.fail_agent(failed)
    mesos.run(until=stop)
    outcome["Marathon"] = {"via": "marathon-lb, service port 10101", "failed_node": failed,
                           "rows": lb_stream.buckets(bucket)}

    swarm = SwarmCluster(demo_nodes("swarm"), seed=seed)
    swarm.deploy_stack("net", service_source("swarm-ingress", instances))
    swarm.run(until=start)
    traffic = swarm.traffic(8080, rate=rate, duration=stop - start)
    swarm.run(until=fail_at)
    failed = _busiest([t.node for t in swarm.tasks()])
    swarm.fail_node(failed)
    swarm.run(until=stop)
    outcome["Docker Swarm"] = {"via": "routing mesh, published port 8080", "failed_node": failed,
                               "rows": traffic.timeline(bucket)}
    return outcome
