"""Checks for the "networking: IP-per-pod versus host ports" lab.

- :func:`check_host_port_app`: a Marathon app asks for a fixed host port on more instances
  than there are agents, so some instances wait in the launch queue for ever; make all eight
  run (a random host port, Docker bridge mode or a container network), keeping eight
  instances and a port (an app with ``portDefinitions: []`` runs, but serves nothing).
- :func:`check_translation`: translate a Marathon app into a Kubernetes Deployment and a
  Service; the check runs them on the default Kubernetes cluster and requires every pod ready
  and behind the Service.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from clustersim.clusters import demo_nodes
from clustersim.exercises.answers import load_answer, whole_number
from clustersim.exercises.app_fields import check_app_fields
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.kubernetes.objects import container_port
from clustersim.manifests import ManifestError
from clustersim.quantity import parse_quantity

__all__ = ["CATALOG_APP", "FIXED_PORT_APP", "check_host_port_app", "check_translation"]

FIXED_PORT_APP: dict[str, Any] = {
    "id": "/web", "instances": 8, "cpus": 0.1, "mem": 64,
    "cmd": "python3 -m http.server $PORT0",
    "networks": [{"mode": "host"}],
    "portDefinitions": [{"port": 31080, "name": "http"}],
    "requirePorts": True,
}

CATALOG_APP: dict[str, Any] = {
    "id": "/catalog", "instances": 3, "cpus": 0.5, "mem": 512,
    "container": {"type": "DOCKER",
                  "docker": {"image": "ghcr.io/clustersim-course/catalog:2.1"},
                  "portMappings": [{"containerPort": 8080, "hostPort": 0, "servicePort": 10101,
                                    "name": "http"}]},
    "networks": [{"mode": "container/bridge"}],
    "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/healthz", "portIndex": 0}],
    "labels": {"HAPROXY_GROUP": "internal"},
}


@checker("Right: all eight instances run; none waits for a host port.")
def check_host_port_app(app: object) -> None:
    """``app``: the /web app definition (a dict) that runs eight instances on five agents."""
    from clustersim.marathon import Marathon
    from clustersim.marathon.pathid import PathId
    from clustersim.mesos import MesosCluster

    if not isinstance(app, Mapping):
        raise Wrong("The answer must be the app definition as a dict.", "Edit the starter's dict.")
    if not isinstance(app.get("id"), str) or str(PathId(app["id"]).resolve("/")) != "/web":
        raise Wrong("Keep the app id /web.", "Change the networking, not the name.")
    app = {**app, "id": "/web"}   # POST /v2/apps reads a relative id from the root
    check_app_fields(app)         # a key Marathon ignores: "instaces", "requirePort"
    if isinstance(app.get("instances"), str):   # "8": Marathon's JSON wants a number
        whole_number(app["instances"], "instances")
    if app.get("instances") != 8:
        raise Wrong(f"The app must keep 8 instances (it has {app.get('instances')!r}).",
                    "Fewer instances would fit, but the task is to run all eight: change "
                    "how the app uses ports instead.")
    cluster = MesosCluster(demo_nodes("marathon"), seed=0)
    marathon = Marathon()
    cluster.register(marathon)
    try:
        marathon.deploy(copy.deepcopy(dict(app)), name="your app")
    except (ManifestError, ValueError) as err:
        raise Wrong(f"Marathon refuses the app: {err}",
                    "Compare with the examples in the lab: portDefinitions for host "
                    "networking, container.portMappings for bridge and container "
                    "networks.") from None
    cluster.run(until=120)
    if not marathon.apps["/web"].spec.ports:
        raise Wrong("The app asks for no port at all: its instances run, but nothing can "
                    "reach the web server.",
                    "Keep one port and change how it is assigned: portDefinitions [{port: 0, "
                    "name: http}] with requirePorts false, or container.portMappings with a "
                    "bridge or container network.")
    running = sum(i.state == "Running" for i in marathon.instances("/web"))
    if running == 8:
        return
    queue = marathon.queue()
    reasons = queue[0]["rejections"] if queue else {}
    why = ", ".join(f"{r} ×{n}" for r, n in sorted(reasons.items())) or "none recorded"
    ports = [p.get("port") for p in app.get("portDefinitions") or [] if isinstance(p, Mapping)]
    if "InsufficientPorts" in reasons and app.get("requirePorts") and 0 in ports:
        hint = ("With requirePorts: true the port number is the host port: Marathon replaces "
                "port 0 by the service port it assigns (from 10000-20000) and then asks each "
                "agent for exactly that host port, which no agent offers (they offer "
                "31000-32000). Set requirePorts: false, so each instance takes a random host "
                "port from its offer.")
    elif "UnfulfilledConstraint" in reasons:
        hint = ("A constraint cannot make room: with one fixed host port there is still only "
                "one instance per agent, and there are five agents.")
    elif "InsufficientPorts" in reasons:
        hint = ("One fixed host port fits once per agent, and there are five agents: let "
                "each instance's port be chosen another way, as the lab's section \"Ways "
                "out\" does in three. (A fixed host port must also lie in the range the "
                "agents offer, 31000-32000.)")
    else:
        hint = "Read the launch queue's reasons in the lab, and compare the networking modes."
    raise Wrong(f"Only {running} of 8 instances run; the launch queue says offers were "
                f"declined: {why}.", hint)


def _one(specs: Any, kind: str) -> dict[str, Any]:
    found = [s.manifest for s in specs if s.kind == kind]
    if len(found) != 1:
        raise Wrong(f"Write exactly one {kind} (found {len(found)}).",
                    "Separate the two documents with a line '---'.")
    return found[0]


def _container(deployment: Mapping[str, Any]) -> dict[str, Any]:
    containers = deployment["spec"]["template"]["spec"].get("containers") or []
    if len(containers) != 1:
        raise Wrong("The Marathon app runs one container; the pod should too.",
                    "Keep one entry under spec.template.spec.containers.")
    return containers[0]


def _check_container(container: Mapping[str, Any]) -> str:
    """Check the pod's container; returns a note for an answer that passes but could say
    more (empty when there is nothing to add)."""
    image = CATALOG_APP["container"]["docker"]["image"]
    if container.get("image") != image:
        raise Wrong(f"The container must run the app's image {image}.", "Copy container."
                    "docker.image into the container's image.")
    resources = container.get("resources") or {}
    # a resource with a limit and no request is requested at its limit (API defaulting,
    # kubernetes/kubernetes pkg/apis/core/v1/defaults.go, SetDefaults_Pod)
    requests = {**(resources.get("limits") or {}), **(resources.get("requests") or {})}
    cpu, memory = requests.get("cpu"), requests.get("memory")
    if cpu is None or memory is None or parse_quantity(str(cpu)) != parse_quantity("500m") \
            or parse_quantity(str(memory)) != parse_quantity("512Mi"):
        raise Wrong(f"The requests should match the app's cpus 0.5 and mem 512: got cpu "
                    f"{cpu!r}, memory {memory!r}.",
                    "Marathon's mem is in MiB: write memory: 512Mi (512M is 512 MB, and "
                    "a bare 512 is bytes); cpus 0.5 is cpu: 500m.")
    ports = container.get("ports") or []
    if any(p.get("hostPort") for p in ports):
        raise Wrong("No hostPort is needed: every pod has its own IP, so pods on one node can "
                    "all listen on 8080 (Marathon's hostPort 0 only existed to avoid "
                    "conflicts on a shared host IP).", "Remove hostPort.")
    _check_probe(container.get("readinessProbe"), container)
    if any(p.get("containerPort") == 8080 for p in ports):
        return ""
    # the API reference (Container.ports): a port left out of the list is still reachable
    return (" One note: the container lists no containerPort 8080. The Service and the probe "
            "reach 8080 all the same, since a container's ports list opens and closes "
            "nothing, but listing it (ports: [{containerPort: 8080, name: http}]) documents "
            "where the app listens and lets the Service and the probe name it.")


def _check_probe(probe: Any, container: Mapping[str, Any]) -> None:
    """The app's MESOS_HTTP health check on /healthz becomes an httpGet readiness probe."""
    wanted = "readinessProbe: {httpGet: {path: /healthz, port: 8080}}"
    if not isinstance(probe, Mapping) or not probe:
        raise Wrong("The app's health check decides whether marathon-lb sends it traffic; in "
                    "Kubernetes that is the readiness probe.", f"Add {wanted}.")
    if "httpGet" not in probe:
        kind = next(iter(probe.keys() & {"tcpSocket", "exec", "grpc"}), "this")
        raise Wrong(f"A {kind} probe does not do what the app's health check does: the check "
                    "is MESOS_HTTP, an HTTP GET of /healthz that must answer 2xx or 3xx "
                    "(a tcpSocket probe only sees that the port accepts connections).",
                    f"Use an httpGet probe: {wanted}.")
    get = probe["httpGet"] if isinstance(probe["httpGet"], Mapping) else {}
    port = get.get("port")
    if container_port([container], port) != 8080:
        unnamed = isinstance(port, str) and container_port([container], port) is None
        raise Wrong(f"The readiness probe asks port {port!r}, "
                    + ("but the container has no port of that name: the kubelet could not "
                       "resolve it" if unnamed else "where the container does not listen")
                    + ": every probe would fail and no pod would become ready.",
                    "Probe the containerPort 8080, or the name you give it in the container's "
                    "ports (ports: [{containerPort: 8080, name: http}]): the health check's "
                    "portIndex 0 is the app's first port mapping.")
    if get.get("path") != "/healthz":
        raise Wrong(f"The readiness probe asks path {get.get('path', '/')!r}; the app's health "
                    "check asks /healthz, the page that reports whether the app can serve.",
                    "Set httpGet.path: /healthz (the health check's path).")


def _check_service(service: Mapping[str, Any], container: Mapping[str, Any]) -> None:
    ports = service["spec"].get("ports") or []
    if not any(p.get("port") == 10101 for p in ports):
        raise Wrong("Clients reached the app on its service port 10101 through marathon-lb; "
                    "give the Service port 10101.", "ports: [{port: 10101, targetPort: 8080}]")
    port = next(p for p in ports if p.get("port") == 10101)
    _check_node_ports(service["spec"].get("type", "ClusterIP"), ports)
    target = port.get("targetPort", 10101)
    protocol = port.get("protocol", "TCP")
    resolved = container_port([container], target)
    if resolved is not None and container_port([container], target, protocol) is None:
        # FindPort matches a name and a protocol: the name exists, under another protocol
        raise Wrong(f"The Service sends port 10101 to the pods' port {target!r}, but port "
                    f"{target} is {_protocol_of(container, target)}; this Service port is "
                    f"{protocol}, so it gets no endpoint port for it.",
                    "Remove protocol (TCP is the default), as the app serves HTTP over TCP.")
    if resolved != 8080:
        raise Wrong(f"The Service sends port 10101 to the pods' port {target!r}, "
                    + ("but no container port has that name, so the Service gets no "
                       "endpoint port for it." if resolved is None else "where nothing listens."),
                    "Set targetPort: 8080 (the containerPort), or the name given to it in the "
                    "container's ports (ports: [{containerPort: 8080, name: http}]).")


def _protocol_of(container: Mapping[str, Any], name: str) -> str:
    """The protocol of ``container``'s port named ``name`` (TCP when it gives none)."""
    return next(str(entry.get("protocol", "TCP")) for entry in container.get("ports") or []
                if entry.get("name") == name)


def _check_node_ports(kind: Any, ports: list[Mapping[str, Any]]) -> None:
    """Reject node ports as the API server does (kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go`` for ClusterIP Services,
    ``pkg/registry/core/service/portallocator`` for the range)."""
    hint = ("Clients reach the Service on its port 10101 (what marathon-lb's servicePort "
            "was); a nodePort only opens a port from 30000-32767 on every node for clients "
            "outside the cluster, which the app did not have: remove nodePort.")
    for i, port in enumerate(ports):
        node_port = port.get("nodePort")
        if node_port is None:
            continue
        where = f"spec.ports[{i}].nodePort"
        if kind not in ("NodePort", "LoadBalancer"):
            raise Wrong(f"The API server rejects the Service: {where}: Forbidden: may not be "
                        f"used when `type` is {kind!r}.", hint)
        if not isinstance(node_port, int) or not 30000 <= node_port <= 32767:
            raise Wrong(f"The API server rejects the Service: {where}: Invalid value: "
                        f"{node_port}: provided port is not in the valid range. The range of "
                        "valid ports is 30000-32767.", hint)


_TRANSLATED = "Right: three ready pods behind the Service catalog on port 10101."


@checker(_TRANSLATED)
def check_translation(text: object) -> Feedback | None:
    """``text``: YAML with a Deployment and a Service named ``catalog`` (CATALOG_APP)."""
    from clustersim.kubernetes import KubernetesCluster

    if not isinstance(text, str):
        raise Wrong("The answer must be YAML text (a string).", "Keep the triple quotes.")
    specs = load_answer(text, "translation", hint=lambda err: (
        "Two documents in one text need a line '---' between them."
        if "appears twice" in str(err) else "Read the line and field the message names."))
    deployment, service = _one(specs, "Deployment"), _one(specs, "Service")
    if deployment["metadata"]["name"] != "catalog" or service["metadata"]["name"] != "catalog":
        raise Wrong("Name both the Deployment and the Service 'catalog'.",
                    "The Service name becomes the DNS name clients use: catalog.")
    if deployment["spec"].get("replicas", 1) != CATALOG_APP["instances"]:
        raise Wrong(f"The Deployment runs {deployment['spec'].get('replicas', 1)} replica(s); "
                    "the app has 3 instances.", "instances becomes spec.replicas.")
    container = _container(deployment)
    note = _check_container(container)
    _check_service(service, container)
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(text)
    cluster.run(until=120)
    pods = [p for p in cluster.pods() if p.owner == "Deployment/catalog"]
    not_ready = [p.name for p in pods if not p.ready]
    if not_ready:
        raise Wrong(f"Not every pod is ready after two minutes: {', '.join(not_ready)}.",
                    "Look at cluster.pods() and cluster.events for the reason.")
    endpoints = cluster.endpoints("catalog")
    if len(endpoints) != len(pods):
        raise Wrong(f"The Service has {len(endpoints)} endpoint(s) for {len(pods)} ready "
                    "pods: its selector does not match the pods' labels.",
                    "Use the labels of spec.template.metadata.labels as the Service's "
                    "selector (a plain map).")
    return Feedback(True, _TRANSLATED + note) if note else None
