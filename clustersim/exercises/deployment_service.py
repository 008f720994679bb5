"""Check for writing a Deployment and a Service (``book/orchestrators/kubernetes.md``,
exercises in ``exercises/kubernetes.ipynb``): :func:`check_deployment_service`.

The learner writes a Deployment ``web`` of three ``nginx:1.30`` Pods (nginx listens on port
80) and a Service ``web`` that clients reach on port 8080 and that forwards to the containers'
port 80. The check loads the text through the course's Kubernetes loader
(:func:`clustersim.exercises.answers.load_answer`, which refuses a Deployment whose selector
does not match its template's labels in the API server's words), applies it to a small
:class:`~clustersim.kubernetes.KubernetesCluster` and reads the Service's endpoints, as the
EndpointSlice controller writes them. Upstream: a Service's ``port`` is the port it answers
on, ``targetPort`` the port on the Pods (by number or by a container port's name), and it
defaults to ``port`` (https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service);
the selector picks the Pods by their labels
(https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/). The port 80 rests
on the image: Docker Hub's official nginx (``docker.io/library/nginx``, any tag or digest)
listens on 80 (nginxinc/docker-nginx ``mainline/debian/Dockerfile``: ``EXPOSE 80``), so
another image, even another nginx build such as ``nginxinc/nginx-unprivileged`` (8080), is
refused with what the Service would then forward to. nginx serves HTTP, over TCP: a Service
port of ``protocol: UDP`` (or SCTP) is one kube-proxy forwards for that protocol alone
(https://kubernetes.io/docs/reference/networking/service-protocols/), so no request reaches
nginx and the check refuses it. A Service of ``type: ExternalName`` gets no endpoints,
whatever its selector (the EndpointSlice controller skips it:
:meth:`clustersim.kubernetes.services.Services.endpoint_slice`); the check reads the slices
and says why they are empty. The answer may be what ``load_manifests`` reads: YAML text, a
dict, or a list of objects (:func:`~clustersim.exercises.answers.load_answer`, the reader of
every answer).
"""

from __future__ import annotations

from typing import Any

from clustersim.exercises.answers import load_answer
from clustersim.exercises.checker import Wrong, checker
from clustersim.imageref import normalized_name, parse_reference
from clustersim.kubernetes import KubernetesCluster
from clustersim.manifests import ManifestError
from clustersim.node import Node

__all__ = ["check_deployment_service"]

_NAMES = ("Deployment", "Service")
_NGINX = "docker.io/library/nginx"
"""The official nginx image's repository, fully qualified: it listens on port 80."""


_PORTS = {"port": 8080, "targetPort": 80, "containerPort": 80}
"""The port fields of the task, each with the value it asks for."""


def _load_hint(err: ManifestError) -> str:
    """The loader's refusal, with what to do about those a first Deployment meets, where the
    message's own words point elsewhere: a second object's ``apiVersion`` read as a repeated
    key of the first, for want of the ``---`` that starts a new YAML document, and a quoted
    ``targetPort``, a string, which the API server validates as a port name
    (``ValidatePortNumOrName`` in kubernetes/kubernetes ``pkg/apis/core/validation``: a name
    must hold a letter), and a ``port``, ``targetPort`` or ``containerPort`` that Go's JSON
    decoder cannot read into the ``int32`` it is (``cannot unmarshal string`` for a quoted
    ``port``, ``cannot unmarshal number 80.0`` for one with a decimal point: ``80.0`` is no
    ``int32`` for ``encoding/json``). A Service selector written as a Deployment's, with
    ``matchLabels``, and a Compose file's port words, ``published`` and ``target``, are
    hinted for every check before this is asked (:mod:`clustersim.exercises.kubernetes_mixups`,
    :mod:`clustersim.exercises.carried_words`)."""
    field = err.path.rsplit(".", 1)[-1]
    if field in _PORTS and "cannot unmarshal string" in err.message:
        return (f"A port number goes without quotes ({field}: {_PORTS[field]}): in quotes it "
                "is text, and this field takes a number only.")
    if field in _PORTS and "cannot unmarshal number" in err.message:
        return (f"A port is a whole number, without a decimal point ({field}: "
                f"{_PORTS[field]}).")
    if err.path in ("apiVersion", "kind") and "appears twice" in err.message:
        return ("Two objects in one text are two YAML documents: put a line of three dashes, "
                "---, between the Deployment and the Service.")
    if err.path.endswith("targetPort") and "at least one letter" in err.message:
        return ("A port number goes without quotes (targetPort: 80): in quotes it is text, "
                "which Kubernetes reads as the name of a container's port.")
    if "spec.selector: Required value" in str(err):
        return ("Give the Deployment spec.selector.matchLabels, and the same label under "
                "spec.template.metadata.labels: the chapter's Deployment shows both.")
    if "does not match template `labels`" in str(err):
        return ("A Deployment finds its own Pods by spec.selector: every label of "
                "selector.matchLabels must also be in template.metadata.labels.")
    return "Read the field path in the message."


def _objects(text: object) -> dict[str, dict[str, Any]]:
    """The Deployment and the Service named web, or :class:`Wrong` naming what is missing."""
    specs = load_answer(text, "manifests", hint=_load_hint)
    found = {spec.kind: spec.manifest for spec in specs
             if spec.kind in _NAMES and spec.name == "web"}
    for kind in _NAMES:
        if kind not in found:
            others = ", ".join(f"{s.kind} {s.name}" for s in specs) or "nothing"
            raise Wrong(f"There is no {kind} named web (the text holds {others}).",
                        f"Write a {kind} with metadata: {{name: web}}, after a line --- that "
                        "separates it from the other object.")
    return found


def _service_ports(service: dict[str, Any]) -> None:
    """The Service answers on 8080 over TCP (the default protocol), where HTTP runs; a
    targetPort of 8080 (also the default) is the usual slip."""
    ports = (service.get("spec") or {}).get("ports") or []
    answering = [p for p in ports if p.get("port") == 8080]
    if not answering:
        given = ", ".join(str(p.get("port")) for p in ports) or "none"
        raise Wrong(f"The Service answers on port {given}, not 8080.",
                    "port: is the port clients use to reach the Service.")
    tcp = [p for p in answering if p.get("protocol", "TCP") == "TCP"]
    if not tcp:
        protocol = answering[0].get("protocol")
        raise Wrong(f"The Service's port 8080 is {protocol}: kube-proxy forwards only {protocol} "
                    "on it, and nginx serves HTTP over TCP, so no request reaches nginx.",
                    "Leave out protocol: (TCP is the default) or write protocol: TCP.")
    for entry in tcp:
        if entry.get("targetPort", 8080) == 8080:
            said = ("has no targetPort, which then defaults to port" if "targetPort" not in entry
                    else "sends to targetPort 8080")
            raise Wrong(f"The Service {said}: it would forward to port 8080 of the Pods, where "
                        "nginx does not listen.",
                        "targetPort: is the port on the Pods, the container's port.")


def _image(deployment: dict[str, Any]) -> None:
    """The Pods run nginx (any tag): the port 80 the Service forwards to is nginx's."""
    template = ((deployment.get("spec") or {}).get("template") or {}).get("spec") or {}
    images = [str(c.get("image")) for c in template.get("containers") or []
              if isinstance(c, dict)]
    if not any((ref := parse_reference(image)) and normalized_name(ref) == _NGINX
               for image in images):
        given = ", ".join(images) or "no image"
        raise Wrong(f"The Deployment runs {given}, not nginx: port 80 is where nginx listens, "
                    "so the Service would forward to a port this image need not listen on.",
                    "Use image: nginx:1.30 (any tag of nginx) in the Deployment's container, "
                    "as the task says.")


def _external_name(service: dict[str, Any]) -> None:
    """:class:`Wrong` for a Service of type ExternalName, which has no endpoints whatever it
    selects: cluster DNS answers its name with a CNAME to ``externalName``."""
    spec = service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        raise Wrong("The Service is of type ExternalName: cluster DNS answers web with a CNAME "
                    f"to {spec.get('externalName')}, and it gets no endpoints whatever it "
                    "selects, so nothing reaches the Pods.",
                    "Leave out type: (ClusterIP is the default): such a Service forwards to the "
                    "Pods its selector picks.")


def _labels(labels: object) -> str:
    """Labels as ``kubectl`` writes a selector: ``app=web,tier=frontend``."""
    return ",".join(f"{k}={v}" for k, v in labels.items()) if isinstance(labels, dict) else ""


@checker("Right: the Deployment's ReplicaSet keeps three Pods labelled for the selector, and "
         "the Service lists all three as endpoints: a client connects to web:8080 and reaches "
         "port 80 of one of them.")
def check_deployment_service(text: object) -> None:
    """``text``: YAML with a Deployment ``web`` (3 replicas of ``nginx:1.30``) and a Service
    ``web`` (port 8080, forwarding to the containers' port 80)."""
    found = _objects(text)
    deployment, service = found["Deployment"], found["Service"]
    replicas = (deployment.get("spec") or {}).get("replicas", 1)
    if replicas != 3:
        raise Wrong(f"The Deployment asks for {replicas} replica{'s' if replicas != 1 else ''}, "
                    "not 3.", "spec.replicas is the number of Pods (1 when it is missing).")
    _image(deployment)
    _service_ports(service)
    cluster = KubernetesCluster(Node.many(3, "node", cpu=4, memory="8Gi"), seed=0)
    cluster.apply(text)
    cluster.run(until=60)
    if len(cluster.endpoints("web")) != 3:
        _external_name(service)
        selector = (service.get("spec") or {}).get("selector")
        labels = (((deployment.get("spec") or {}).get("template") or {}).get("metadata")
                  or {}).get("labels")
        raise Wrong(f"The Service has {len(cluster.endpoints('web'))} endpoints, not 3: it "
                    f"selects {_labels(selector) or 'no labels at all'}, and the Pods carry "
                    f"{_labels(labels) or 'none'}.",
                    "A Service sends to the Pods whose labels include every label of its "
                    "spec.selector: use a label of the Deployment's template.")
    slices = cluster.endpoint_slices("web")
    ports = {p["port"] for s in slices for p in s["ports"]}
    if ports != {80}:
        raise Wrong(f"The endpoints are on port {', '.join(map(str, sorted(ports)))}, not 80."
                    if ports else "The endpoints have no port: targetPort names no port of the "
                    "containers.",
                    "targetPort: must be the container's port, 80, or the name of a port "
                    "the container declares.")
