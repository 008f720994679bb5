"""Server-side printing: the ``Table`` that ``kubectl get`` asks for
(``Accept: application/json;as=Table;v=v1;g=meta.k8s.io``).

Columns, their order, their priority (1: only with ``-o wide``) and how each cell is worked out
follow the API server's printers in ``pkg/printers/internalversion/printers.go`` (v1.37): e.g.
a pod's STATUS is its phase, overridden by its ``status.reason``, by a container's waiting or
terminated reason, by ``SchedulingGated`` (the PodScheduled condition's reason) and by
``Terminating``. Ages use ``HumanDuration`` from
``staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go``, counted between the
instants the served timestamps show (:meth:`~clustersim.serve.core.WallClock.unix`), as the API
server counts them from its own clock: at ``--speed 10`` an age matches what ``kubectl
describe`` works out from ``creationTimestamp`` (a simulated minute ages 6 s).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from clustersim.kubernetes.objects import format_labels, format_selector
from clustersim.kubernetes.podlifecycle import is_sidecar, readiness_gates
from clustersim.kubernetes.schedulinggates import GATED_REASON
from clustersim.quantity import format_quantity, parse_quantity
from clustersim.serve.core import WallClock
from clustersim.serve.kubeinitstatus import POD_INITIALIZING

__all__ = ["human_duration", "last_restart", "table"]

Obj = Mapping[str, Any]
Column = tuple[str, str, int, Callable[[Obj, float], Any]]


def human_duration(seconds: float) -> str:
    """``HumanDuration``: 45s, 3m20s, 15m, 5h3m, 3d4h, 2y30d."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return f"{hours // 24}d{hours % 24}h" if hours % 24 else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = hours // 24 % 365
        return f"{hours // 24 // 365}y{days}d" if days else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"


def _age(field: str = "creationTimestamp") -> Callable[[Obj, float], str]:
    def cell(obj: Obj, now: float) -> str:
        t = obj.get("_times", {}).get(field)
        return "<unknown>" if t is None else human_duration(now - t)
    return cell


def _spec(obj: Obj) -> Mapping[str, Any]:
    return obj.get("spec") or {}


def _status(obj: Obj) -> Mapping[str, Any]:
    return obj.get("status") or {}


def _template_containers(obj: Obj) -> list[Mapping[str, Any]]:
    spec = _spec(obj)
    if obj.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    return ((spec.get("template") or {}).get("spec") or {}).get("containers") or []


def _names(obj: Obj, now: float) -> str:
    return ",".join(c.get("name", "") for c in _template_containers(obj))


def _images(obj: Obj, now: float) -> str:
    return ",".join(c.get("image", "") for c in _template_containers(obj))


def _selector(obj: Obj, now: float) -> str:
    return format_selector(_spec(obj).get("selector"))


_TERMINAL_PHASES = frozenset({"Failed", "Succeeded"})
"""``IsPodPhaseTerminal`` (kubernetes/kubernetes ``pkg/api/v1/pod/util.go``): a deleted Pod
in one of them is printed with its phase's reason, not ``Terminating``."""


def _pod_status(pod: Obj) -> tuple[str, int, int, int, tuple[str, ...]]:
    """(STATUS, ready containers, containers, restarts, the containers whose restarts count)
    as ``printPod`` works them out (computed once per row: the row's view carries it): the
    first init container that has not completed gives ``Init:<n>/<all>``, or ``Init:<its
    reason>``; the app containers count once the Pod is initialized, and RESTARTS is then
    theirs and the sidecars' (a regular init container's restarts count only while the Pod
    initializes); sidecars that have started count in READY (ready ones) and in the total
    (``pkg/printers/internalversion/printers.go``). A Pod whose last container to report
    ``Completed`` has another still running and ready prints ``Running`` while its Ready
    condition is True, else ``NotReady`` (``hasPodReadyCondition``). A deleted Pod prints
    ``Terminating``
    only while its phase is not terminal: once its kubelet has written it Failed or
    Succeeded (as it does since 1.27) it prints that phase's reason, e.g. ``Error`` or
    ``Completed``, and ``Unknown`` when the node controller marked it ``NodeLost``."""
    cached = pod.get("_pod_status")
    if cached is not None:
        return cached
    status = _status(pod)
    reason = status.get("reason") or status.get("phase") or "Pending"
    if any(c.get("type") == "PodScheduled" and c.get("reason") == GATED_REASON
           for c in status.get("conditions") or ()):
        reason = GATED_REASON
    inits = {c.get("name"): c for c in _spec(pod).get("initContainers") or []}
    sidecars = {name for name, c in inits.items() if is_sidecar(c)}
    total = len(_spec(pod).get("containers") or []) + len(sidecars)
    ready = 0
    counted: list[str] = []
    running = initializing = False
    for index, container in enumerate(status.get("initContainerStatuses") or []):
        counted.append(str(container.get("name")))
        state = container.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting") or {}
        if terminated is not None and terminated.get("exitCode") == 0:
            continue
        if container.get("name") in sidecars and container.get("started"):
            ready += 1 if container.get("ready") else 0
            continue
        initializing = True
        if terminated is not None:
            reason = "Init:" + (terminated.get("reason")
                                or f"ExitCode:{terminated.get('exitCode')}")
        elif waiting.get("reason") and waiting["reason"] != POD_INITIALIZING:
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{index}/{len(inits)}"
        break
    initialized = any(c.get("type") == "Initialized" and c.get("status") == "True"
                      for c in status.get("conditions") or ())
    statuses = [*(status.get("initContainerStatuses") or [])]
    if not initializing or initialized:
        counted = [name for name in counted if name in sidecars]
        for container in reversed(status.get("containerStatuses") or []):  # last to first
            counted.append(str(container.get("name")))
            statuses.append(container)
            state = container.get("state") or {}
            if (state.get("waiting") or {}).get("reason"):
                reason = state["waiting"]["reason"]
            elif (state.get("terminated") or {}).get("reason"):
                reason = state["terminated"]["reason"]
            elif state.get("running") and container.get("ready"):
                running = True
                ready += 1
    restarts = sum(int(c.get("restartCount", 0)) for c in statuses
                   if str(c.get("name")) in counted)
    if reason == "Completed" and running:       # Running only while the Pod is Ready
        reason = "Running" if any(c.get("type") == "Ready" and c.get("status") == "True"
                                  for c in status.get("conditions") or ()) else "NotReady"
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        if status.get("reason") == "NodeLost":
            reason = "Unknown"
        elif status.get("phase") not in _TERMINAL_PHASES:
            reason = "Terminating"
    return reason, ready, total, restarts, tuple(counted)


def _readiness_gates(pod: Obj, now: float) -> str:
    """``printPod``'s READINESS GATES (wide): how many of the Pod's readiness gates name a
    condition that is ``True``, out of how many gates, or ``<none>`` without any."""
    gates = readiness_gates(_spec(pod), _status(pod).get("conditions") or ())
    if not gates:
        return "<none>"
    return f"{sum(1 for _, status in gates if status == 'True')}/{len(gates)}"


def last_restart(name: str) -> str:
    """The key of a Pod row's ``_times`` that holds when container ``name`` last exited
    (its ``lastState.terminated.finishedAt``)."""
    return f"lastState:{name}"


def _restarts(pod: Obj, now: float) -> str:
    """``printPod``'s RESTARTS: the count, and how long ago the last exit of a container
    it counts was (``lastState.terminated.finishedAt``) once there is one: ``2 (15s ago)``."""
    restarts, counted = _pod_status(pod)[3:]
    times = pod.get("_times", {})
    last = max((times[last_restart(n)] for n in counted if last_restart(n) in times),
               default=None)
    return f"{restarts} ({human_duration(now - last)} ago)" if restarts and last is not None \
        else str(restarts)


def _event_source(event: Obj) -> str:
    """An Event's SOURCE (``-o wide``), as ``printEvent`` writes it (``formatEventSource`` in
    kubernetes/kubernetes ``pkg/printers/internalversion/printers.go``): the source's
    component, else the reporting controller, then, after ``, ``, its host, else the
    reporting instance (``kubelet, worker-1``; ``default-scheduler,
    default-scheduler-<host>`` for the scheduler's events, which have no source)."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent", "")
    host = source.get("host") or event.get("reportingInstance", "")
    return f"{component}, {host}" if host else component


def _event_seen(event: Obj, now: float) -> tuple[str, str, str]:
    """An Event's LAST SEEN, FIRST SEEN and COUNT as ``printEvent`` works them out
    (kubernetes/kubernetes ``pkg/printers/internalversion/printers.go``): first seen from
    ``firstTimestamp``, else ``eventTime`` (the events.k8s.io/v1 recorders'); last seen from
    the series' ``lastObservedTime``, else ``lastTimestamp``, else first seen; the count from
    the series, else ``count``, which a single event of the new API leaves at 0: shown 1."""
    first = _age("firstTimestamp")(event, now) if event.get("firstTimestamp") \
        else _age("eventTime")(event, now)
    series = event.get("series")
    if series:
        return _age("lastObservedTime")(event, now), first, str(series["count"])
    last = _age("lastTimestamp")(event, now) if event.get("lastTimestamp") else first
    return last, first, str(event.get("count") or 1)


def _endpoints(obj: Obj) -> str:
    """``formatEndpoints``: ``ip:port`` of each ready address and port, three at most, then
    ``+ N more...``; ``<none>`` without subsets."""
    subsets = obj.get("subsets") or []
    if not subsets:
        return "<none>"
    shown = [f"{a['ip']}:{p['port']}" if "port" in p else a["ip"]
             for s in subsets for p in (s.get("ports") or [{}])
             for a in s.get("addresses") or []]
    more = f" + {len(shown) - 3} more..." if len(shown) > 3 else ""
    return ",".join(shown[:3]) + more


def _view(obj: Obj, times: Obj, clock: WallClock) -> dict[str, Any]:
    """``obj`` with its simulated ``times`` as the Unix times its timestamps show."""
    view = {**obj, "_times": {key: clock.unix(t) for key, t in times.items()}}
    if obj.get("kind") == "Pod":
        view["_pod_status"] = _pod_status(view)
    return view


def _service_ports(svc: Obj, now: float) -> str:
    ports = []
    for p in _spec(svc).get("ports") or []:
        text = f"{p.get('port')}"
        if p.get("nodePort"):
            text += f":{p['nodePort']}"
        ports.append(f"{text}/{p.get('protocol', 'TCP')}")
    return ",".join(ports) or "<none>"


def _external_ip(svc: Obj, now: float) -> str:
    spec = _spec(svc)
    kind = spec.get("type", "ClusterIP")
    external = list(spec.get("externalIPs") or [])
    if kind == "LoadBalancer":
        ingress = [i.get("ip") or i.get("hostname")
                   for i in (_status(svc).get("loadBalancer") or {}).get("ingress") or []]
        return ",".join(ingress + external) or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "<none>")
    return ",".join(external) or "<none>"


def _node_status(node: Obj, now: float) -> str:
    ready = next((c for c in _status(node).get("conditions") or [] if c["type"] == "Ready"),
                 None)
    text = "Ready" if ready and ready.get("status") == "True" else \
        "NotReady" if ready else "Unknown"
    return text + (",SchedulingDisabled" if _spec(node).get("unschedulable") else "")


def _node_roles(node: Obj, now: float) -> str:
    labels = (node.get("metadata") or {}).get("labels") or {}
    roles = sorted(k.split("/", 1)[1] for k in labels
                   if k.startswith("node-role.kubernetes.io/") and "/" in k)
    if labels.get("kubernetes.io/role"):
        roles.append(labels["kubernetes.io/role"])
    return ",".join(roles) or "<none>"


def _node_ip(kind: str) -> Callable[[Obj, float], str]:
    def cell(node: Obj, now: float) -> str:
        found = [a["address"] for a in _status(node).get("addresses") or []
                 if a.get("type") == kind]
        return found[0] if found else "<none>"
    return cell


def _info(field: str) -> Callable[[Obj, float], str]:
    return lambda node, now: (_status(node).get("nodeInfo") or {}).get(field, "")


def _controller(obj: Obj, now: float) -> str:
    """``printControllerRevision``'s CONTROLLER: the controller owner as
    ``<kind>.<group>/<name>`` in lower case (``statefulset.apps/db``), ``<none>`` without one."""
    ref = next((r for r in (obj.get("metadata") or {}).get("ownerReferences") or []
                if r.get("controller")), None)
    if ref is None:
        return "<none>"
    group = str(ref.get("apiVersion", "")).rpartition("/")[0]
    kind = f"{ref.get('kind', '')}.{group}" if group else str(ref.get("kind", ""))
    return f"{kind.lower()}/{ref.get('name', '')}"


def _job_status(job: Obj, now: float) -> str:
    """``printJob``'s STATUS (kubernetes/kubernetes ``pkg/printers/internalversion/
    printers.go``), the first that holds: the ``Complete`` or ``Failed`` condition,
    ``Terminating`` once the Job is being deleted (``metadata.deletionTimestamp``, e.g. held by
    a finalizer), the ``Suspended`` condition (which the Job controller sets once it has
    stopped the Pods, not ``spec.suspend`` itself), the interim ``FailureTarget`` or
    ``SuccessCriteriaMet`` of a Job whose Pods are still terminating (the latter since
    kubernetes#132832), else ``Running``."""
    conditions = {c["type"] for c in _status(job).get("conditions") or []
                  if c.get("status") == "True"}
    final = [kind for kind in ("Complete", "Failed") if kind in conditions]
    if not final and (job.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    return next((kind for kind in (*final, "Suspended", "FailureTarget", "SuccessCriteriaMet")
                 if kind in conditions), "Running")


def _job_duration(job: Obj, now: float) -> str:
    times = job.get("_times", {})
    start = times.get("startTime")
    if start is None:
        return ""
    return human_duration(times.get("completionTime", now) - start)


def _pdb_field(name: str) -> Callable[[Obj, float], str]:
    return lambda pdb, now: str(_spec(pdb).get(name, "N/A"))


def _quota_column(limits: bool) -> Callable[[Obj, float], str]:
    """``printResourceQuota``: ``resource: used/hard`` for each capped resource, sorted by
    name; those named ``limits.*`` in the LIMIT column, the others in REQUEST."""
    def cell(quota: Obj, now: float) -> str:
        hard, used = _status(quota).get("hard") or {}, _status(quota).get("used") or {}
        return ", ".join(f"{name}: {used.get(name, '0')}/{hard[name]}" for name in sorted(hard)
                         if (name.split(".")[0] == "limits" and "." in name) == limits)
    return cell


_ACCESS_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                 ("ReadWriteOncePod", "RWOP"))


def _access_modes(modes: Any) -> str:
    """``GetAccessModesAsString`` (``pkg/apis/core/helper/helpers.go``): the short names of
    the modes present, in this fixed order, whatever the list's order or repeats."""
    given = set(modes or ())
    return ",".join(short for mode, short in _ACCESS_MODES if mode in given)


def _claim_cells(claim: Obj, now: float) -> tuple[str, str]:
    """``printPersistentVolumeClaim``'s CAPACITY and ACCESS MODES: the bound volume's, empty
    while the claim names no volume."""
    if not _spec(claim).get("volumeName"):
        return "", ""
    return (str((_status(claim).get("capacity") or {}).get("storage", "")),
            _access_modes(_status(claim).get("accessModes")))


def _claim_class(claim: Obj, now: float) -> str:
    """``GetPersistentVolumeClaimClass``: the beta annotation first, then
    ``spec.storageClassName``, else empty."""
    annotations = (claim.get("metadata") or {}).get("annotations") or {}
    return annotations.get("volume.beta.kubernetes.io/storage-class") or \
        _spec(claim).get("storageClassName") or ""


def _volume_class(volume: Obj, now: float) -> str:
    """``GetPersistentVolumeClass``: the beta annotation first, then
    ``spec.storageClassName``, else empty."""
    annotations = (volume.get("metadata") or {}).get("annotations") or {}
    return annotations.get("volume.beta.kubernetes.io/storage-class") or \
        _spec(volume).get("storageClassName") or ""


def _class_name(storage_class: Obj, now: float) -> str:
    """``printStorageClass``'s NAME: ``(default)`` after the name of a class that
    ``IsDefaultAnnotation`` finds marked default (``pkg/apis/storage/util/helpers.go``: the
    annotation ``storageclass.kubernetes.io/is-default-class``, or its beta form, ``true``)."""
    annotations = (storage_class.get("metadata") or {}).get("annotations") or {}
    marked = any(annotations.get(f"storageclass.{beta}kubernetes.io/is-default-class") == "true"
                 for beta in ("", "beta."))
    return storage_class["metadata"]["name"] + (" (default)" if marked else "")


def _hpa_targets(hpa: Obj, now: float) -> str:
    """``formatHPAMetrics``: each metric's ``current/target`` (``<unknown>`` before the
    autoscaler has read it), the first two, then how many more."""
    specs = _spec(hpa).get("metrics") or []
    if not specs:
        return "<none>"
    statuses = _status(hpa).get("currentMetrics") or []
    shown = []
    for i, metric in enumerate(specs):
        kind = metric.get("type")
        field = {"Resource": "resource", "ContainerResource": "containerResource",
                 "Pods": "pods", "Object": "object", "External": "external"}.get(kind or "")
        if field is None:
            shown.append("<unknown type>")
            continue
        source = metric.get(field) or {}
        target = source.get("target") or {}
        reading = statuses[i].get(field) if i < len(statuses) else None
        current = (reading or {}).get("current") or {}     # empty before a reading
        if field in ("resource", "containerResource"):
            prefix = f"{source.get('name', '')}: "
            if target.get("averageValue") is not None:
                value = current.get("averageValue") or "<unknown>"
                shown.append(f"{prefix}{value}/{target['averageValue']}")
            else:
                have = current.get("averageUtilization")
                want = target.get("averageUtilization")
                shown.append(prefix + ("<unknown>" if have is None else f"{have}%") + "/"
                             + ("<auto>" if want is None else f"{want}%"))
        elif field == "pods":
            shown.append(f"{current.get('averageValue') or '<unknown>'}/"
                         f"{target.get('averageValue')}")
        else:
            wanted = "averageValue" if target.get("averageValue") is not None else "value"
            shown.append(f"{current.get(wanted) or '<unknown>'}/{target.get(wanted)}"
                         + (" (avg)" if wanted == "averageValue" else ""))
    more = len(shown) - 2
    return ", ".join(shown[:2]) + (f" + {more} more..." if more > 0 else "")


def _subjects(kind: str) -> Callable[[Obj, float], str]:
    """``SubjectsStrings``: a binding's users, groups or service accounts (``namespace/name``
    when the subject names its namespace), joined by commas."""
    def cell(binding: Obj, now: float) -> str:
        names = []
        for subject in binding.get("subjects") or []:
            if subject.get("kind") == kind:
                namespace = subject.get("namespace") if kind == "ServiceAccount" else None
                names.append(f"{namespace}/{subject['name']}" if namespace else subject["name"])
        return ", ".join(names)
    return cell


_NAME: Column = ("Name", "string", 0, lambda o, now: o["metadata"]["name"])
_AGE: Column = ("Age", "string", 0, _age())
_CREATED_AT: Column = ("Created At", "date", 0,
                       lambda o, now: o["metadata"].get("creationTimestamp", ""))
_BINDING: list[Column] = [
    _NAME, ("Role", "string", 0, lambda o, now: "{kind}/{name}".format(
        kind=(o.get("roleRef") or {}).get("kind", ""),
        name=(o.get("roleRef") or {}).get("name", ""))), _AGE,
    ("Users", "string", 1, _subjects("User")), ("Groups", "string", 1, _subjects("Group")),
    ("ServiceAccounts", "string", 1, _subjects("ServiceAccount"))]

def _pod_usage(name: str) -> Callable[[Obj, float], str]:
    def cell(metrics: Obj, now: float) -> str:
        total = sum((parse_quantity(c["usage"][name]) for c in metrics["containers"]),
                    Decimal(0))
        return format_quantity(total, binary=name == "memory")
    return cell


def _ingress_hosts(rules: Any) -> str:
    """``formatHosts``: the first three hosts the rules name (``*`` when none does), and
    ``+ N more...``, N the rules past the third, when a rule is left after the third host."""
    hosts: list[str] = []
    more = False
    for rule in rules if isinstance(rules, list) else []:
        more = more or len(hosts) == 3
        if not more and isinstance(rule, dict) and rule.get("host"):
            hosts.append(str(rule["host"]))
    if not hosts:
        return "*"
    return ",".join(hosts) + (f" + {len(rules) - 3} more..." if more else "")


def _ingress_address(ingress: Obj) -> str:
    """``ingressLoadBalancerStatusStringer``: each load balancer's IP, else its hostname,
    sorted and comma joined (empty until an ingress controller writes one; upstream also
    clips it to 16 characters without ``-o wide``)."""
    balancers = (_status(ingress).get("loadBalancer") or {}).get("ingress") or []
    return ",".join(sorted({b.get("ip") or b.get("hostname") or "" for b in balancers
                            if isinstance(b, dict)} - {""}))


def _ingress_class_parameters(ref: Any) -> str:
    """``printIngressClass``'s PARAMETERS: ``Kind.apiGroup/name``, ``<none>`` without."""
    if not isinstance(ref, dict):
        return "<none>"
    group = f".{ref['apiGroup']}" if ref.get("apiGroup") else ""
    return f"{ref.get('kind', '')}{group}/{ref.get('name', '')}"


COLUMNS: dict[str, list[Column]] = {
    "Pod": [_NAME,
            ("Ready", "string", 0, lambda o, now: "{1}/{2}".format(*_pod_status(o))),
            ("Status", "string", 0, lambda o, now: _pod_status(o)[0]),
            ("Restarts", "string", 0, _restarts),
            _AGE,
            ("IP", "string", 1, lambda o, now: _status(o).get("podIP") or "<none>"),
            ("Node", "string", 1, lambda o, now: _spec(o).get("nodeName") or "<none>"),
            ("Nominated Node", "string", 1,
             lambda o, now: _status(o).get("nominatedNodeName") or "<none>"),
            ("Readiness Gates", "string", 1, _readiness_gates)],
    "Node": [_NAME, ("Status", "string", 0, _node_status), ("Roles", "string", 0, _node_roles),
             _AGE, ("Version", "string", 0, _info("kubeletVersion")),
             ("Internal-IP", "string", 1, _node_ip("InternalIP")),
             ("External-IP", "string", 1, _node_ip("ExternalIP")),
             ("OS-Image", "string", 1, _info("osImage")),
             ("Kernel-Version", "string", 1, _info("kernelVersion")),
             ("Container-Runtime", "string", 1, _info("containerRuntimeVersion"))],
    "Deployment": [
        _NAME,
        ("Ready", "string", 0, lambda o, now:
         f"{_status(o).get('readyReplicas', 0)}/{_spec(o).get('replicas', 1)}"),
        ("Up-to-date", "integer", 0, lambda o, now: _status(o).get("updatedReplicas", 0)),
        ("Available", "integer", 0, lambda o, now: _status(o).get("availableReplicas", 0)),
        _AGE, ("Containers", "string", 1, _names), ("Images", "string", 1, _images),
        ("Selector", "string", 1, _selector)],
    "ReplicaSet": [
        _NAME, ("Desired", "integer", 0, lambda o, now: _spec(o).get("replicas", 1)),
        ("Current", "integer", 0, lambda o, now: _status(o).get("replicas", 0)),
        ("Ready", "integer", 0, lambda o, now: _status(o).get("readyReplicas", 0)),
        _AGE, ("Containers", "string", 1, _names), ("Images", "string", 1, _images),
        ("Selector", "string", 1, _selector)],
    "StatefulSet": [
        _NAME, ("Ready", "string", 0, lambda o, now:
                f"{_status(o).get('readyReplicas', 0)}/{_spec(o).get('replicas', 1)}"),
        _AGE, ("Containers", "string", 1, _names), ("Images", "string", 1, _images)],
    "DaemonSet": [
        _NAME,
        ("Desired", "integer", 0, lambda o, now: _status(o).get("desiredNumberScheduled", 0)),
        ("Current", "integer", 0, lambda o, now: _status(o).get("currentNumberScheduled", 0)),
        ("Ready", "integer", 0, lambda o, now: _status(o).get("numberReady", 0)),
        ("Up-to-date", "integer", 0, lambda o, now: _status(o).get("updatedNumberScheduled", 0)),
        ("Available", "integer", 0, lambda o, now: _status(o).get("numberAvailable", 0)),
        ("Node Selector", "string", 0, lambda o, now: format_labels(
            ((_spec(o).get("template") or {}).get("spec") or {}).get("nodeSelector"))),
        _AGE, ("Containers", "string", 1, _names), ("Images", "string", 1, _images),
        ("Selector", "string", 1, _selector)],
    "ControllerRevision": [_NAME, ("Controller", "string", 0, _controller),
                           ("Revision", "integer", 0, lambda o, now: o.get("revision", 0)),
                           _AGE],
    "Job": [_NAME, ("Status", "string", 0, _job_status),
            ("Completions", "string", 0, lambda o, now:
             f"{_status(o).get('succeeded', 0)}/{_spec(o).get('completions', 1)}"),
            ("Duration", "string", 0, _job_duration), _AGE,
            ("Containers", "string", 1, _names), ("Images", "string", 1, _images),
            ("Selector", "string", 1, _selector)],
    "CronJob": [_NAME, ("Schedule", "string", 0, lambda o, now: _spec(o).get("schedule", "")),
                ("Timezone", "string", 0, lambda o, now: _spec(o).get("timeZone") or "<none>"),
                ("Suspend", "boolean", 0, lambda o, now: bool(_spec(o).get("suspend", False))),
                ("Active", "integer", 0, lambda o, now: len(_status(o).get("active") or [])),
                ("Last Schedule", "string", 0, _age("lastScheduleTime")), _AGE,
                ("Containers", "string", 1, _names), ("Images", "string", 1, _images),
                ("Selector", "string", 1, _selector)],
    "Service": [_NAME, ("Type", "string", 0, lambda o, now: _spec(o).get("type", "ClusterIP")),
                ("Cluster-IP", "string", 0, lambda o, now: _spec(o).get("clusterIP") or "<none>"),
                ("External-IP", "string", 0, _external_ip),
                ("Port(s)", "string", 0, _service_ports), _AGE,
                ("Selector", "string", 1, lambda o, now: format_labels(
                    _spec(o).get("selector")))],
    "Namespace": [_NAME, ("Status", "string", 0, lambda o, now: _status(o).get("phase", "")),
                  _AGE],
    "Event": [("Last Seen", "string", 0, lambda o, now: _event_seen(o, now)[0]),
              ("Type", "string", 0, lambda o, now: o.get("type", "")),
              ("Reason", "string", 0, lambda o, now: o.get("reason", "")),
              ("Object", "string", 0, lambda o, now:
               f"{o['involvedObject']['kind'].lower()}/{o['involvedObject']['name']}"),
              # printEvent: the container a kubelet's event is about (-o wide)
              ("Subobject", "string", 1,
               lambda o, now: o["involvedObject"].get("fieldPath", "")),
              ("Source", "string", 1, lambda o, now: _event_source(o)),
              ("Message", "string", 0, lambda o, now: o.get("message", "")),
              ("First Seen", "string", 1, lambda o, now: _event_seen(o, now)[1]),
              ("Count", "string", 1, lambda o, now: _event_seen(o, now)[2]),
              ("Name", "string", 1, lambda o, now: o["metadata"]["name"])],
    "EndpointSlice": [
        _NAME, ("AddressType", "string", 0, lambda o, now: o.get("addressType", "")),
        ("Ports", "string", 0, lambda o, now: ",".join(
            str(p.get("port")) for p in o.get("ports") or []) or "<unset>"),
        ("Endpoints", "string", 0, lambda o, now: ",".join(
            a for e in o.get("endpoints") or [] for a in e.get("addresses") or []) or "<unset>"),
        _AGE],
    "Endpoints": [_NAME, ("Endpoints", "string", 0, lambda o, now: _endpoints(o)), _AGE],
    "ConfigMap": [_NAME, ("Data", "integer", 0, lambda o, now: len(o.get("data") or {})
                          + len(o.get("binaryData") or {})), _AGE],
    "Secret": [_NAME, ("Type", "string", 0, lambda o, now: o.get("type", "Opaque")),
               ("Data", "integer", 0, lambda o, now: len(o.get("data") or {})), _AGE],
    "NetworkPolicy": [_NAME, ("Pod-Selector", "string", 0, lambda o, now: format_selector(
        _spec(o).get("podSelector"))), _AGE],
    # printIngress and printIngressClass: no ingress controller writes an Ingress's
    # status.loadBalancer, so ADDRESS stays empty, as on a cluster without one
    "Ingress": [_NAME, ("Class", "string", 0, lambda o, now: _spec(o).get("ingressClassName")
                        or "<none>"),
                ("Hosts", "string", 0, lambda o, now: _ingress_hosts(_spec(o).get("rules"))),
                ("Address", "string", 0, lambda o, now: _ingress_address(o)),
                ("Ports", "string", 0, lambda o, now: "80, 443" if _spec(o).get("tls")
                 else "80"), _AGE],
    "IngressClass": [_NAME, ("Controller", "string", 0, lambda o, now: _spec(o).get(
        "controller", "")), ("Parameters", "string", 0, lambda o, now: _ingress_class_parameters(
            _spec(o).get("parameters"))), _AGE],
    "ServiceAccount": [_NAME, ("Secrets", "integer", 0, lambda o, now: len(o.get("secrets")
                                                                          or [])), _AGE],
    "Role": [_NAME, _CREATED_AT],
    "ClusterRole": [_NAME, _CREATED_AT],
    "RoleBinding": _BINDING,
    "ClusterRoleBinding": _BINDING,
    "ResourceQuota": [_NAME, _AGE, ("Request", "string", 0, _quota_column(False)),
                      ("Limit", "string", 0, _quota_column(True))],
    "LimitRange": [_NAME, _CREATED_AT],
    "HorizontalPodAutoscaler": [
        _NAME, ("Reference", "string", 0, lambda o, now: "{kind}/{name}".format(
            kind=(_spec(o).get("scaleTargetRef") or {}).get("kind", ""),
            name=(_spec(o).get("scaleTargetRef") or {}).get("name", ""))),
        ("Targets", "string", 0, _hpa_targets),
        ("MinPods", "string", 0, lambda o, now: str(_spec(o).get("minReplicas", "<unset>"))),
        ("MaxPods", "integer", 0, lambda o, now: _spec(o).get("maxReplicas", 0)),
        ("Replicas", "integer", 0, lambda o, now: _status(o).get("currentReplicas", 0)), _AGE],
    "PersistentVolumeClaim": [
        _NAME, ("Status", "string", 0, lambda o, now: "Terminating" if (
            o.get("metadata") or {}).get("deletionTimestamp") else _status(o).get("phase", "")),
        ("Volume", "string", 0, lambda o, now: _spec(o).get("volumeName", "")),
        ("Capacity", "string", 0, lambda o, now: _claim_cells(o, now)[0]),
        ("Access Modes", "string", 0, lambda o, now: _claim_cells(o, now)[1]),
        ("StorageClass", "string", 0, _claim_class),
        ("VolumeAttributesClass", "string", 0,
         lambda o, now: _spec(o).get("volumeAttributesClassName") or "<unset>"),
        _AGE, ("VolumeMode", "string", 1, lambda o, now: _spec(o).get("volumeMode") or "<unset>")],
    "PersistentVolume": [
        _NAME, ("Capacity", "string", 0, lambda o, now: str(
            (_spec(o).get("capacity") or {}).get("storage", "0"))),
        ("Access Modes", "string", 0, lambda o, now: _access_modes(_spec(o).get("accessModes"))),
        ("Reclaim Policy", "string", 0,
         lambda o, now: _spec(o).get("persistentVolumeReclaimPolicy", "")),
        ("Status", "string", 0, lambda o, now: "Terminating" if (
            o.get("metadata") or {}).get("deletionTimestamp") else _status(o).get("phase", "")),
        ("Claim", "string", 0, lambda o, now: "{namespace}/{name}".format(
            namespace=_spec(o)["claimRef"].get("namespace", ""),
            name=_spec(o)["claimRef"].get("name", "")) if _spec(o).get("claimRef") else ""),
        ("StorageClass", "string", 0, _volume_class),
        ("VolumeAttributesClass", "string", 0,
         lambda o, now: _spec(o).get("volumeAttributesClassName") or "<unset>"),
        ("Reason", "string", 0, lambda o, now: _status(o).get("reason", "")),
        _AGE, ("VolumeMode", "string", 1, lambda o, now: _spec(o).get("volumeMode") or "<unset>")],
    "StorageClass": [
        ("Name", "string", 0, _class_name),
        ("Provisioner", "string", 0, lambda o, now: o.get("provisioner", "")),
        ("ReclaimPolicy", "string", 0, lambda o, now: o.get("reclaimPolicy") or "Delete"),
        ("VolumeBindingMode", "string", 0,
         lambda o, now: o.get("volumeBindingMode") or "Immediate"),
        ("AllowVolumeExpansion", "string", 0,
         lambda o, now: bool(o.get("allowVolumeExpansion", False))),
        _AGE],
    # metrics-server's own table (pkg/api/table.go): the usage summed over a Pod's
    # containers, one column per resource in name order, then the window
    "NodeMetrics": [_NAME, ("cpu", "string", 0, lambda o, now: o["usage"]["cpu"]),
                    ("memory", "string", 0, lambda o, now: o["usage"]["memory"]),
                    ("Window", "string", 0, lambda o, now: o["window"])],
    "PodMetrics": [_NAME, ("cpu", "string", 0, _pod_usage("cpu")),
                   ("memory", "string", 0, _pod_usage("memory")),
                   ("Window", "string", 0, lambda o, now: o["window"])],
    "PodDisruptionBudget": [
        _NAME, ("Min Available", "string", 0, _pdb_field("minAvailable")),
        ("Max Unavailable", "string", 0, _pdb_field("maxUnavailable")),
        ("Allowed Disruptions", "integer", 0,
         lambda o, now: _status(o).get("disruptionsAllowed", 0)), _AGE],
}


def table(objects: list[tuple[Obj, Obj]], kind: str, clock: WallClock,
          resource_version: str, include: str | None = None) -> dict[str, Any]:
    """A ``meta.k8s.io/v1`` Table of ``objects`` — pairs of (rendered object, simulated
    times by field name), every age and duration counted on ``clock``'s mapping to the
    wall clock, from its simulated now (the one rule the timestamps follow). ``include`` is
    the request's ``includeObject``, as the API server's ``asTable`` reads it (apiserver
    ``endpoints/handlers/response.go``): each row's object is ``PartialObjectMetadata`` by
    default (``Metadata``), the whole object for ``Object`` (kubectl asks for it to
    ``--sort-by`` a field), none for ``None``."""
    columns = COLUMNS.get(kind, [_NAME, _AGE])
    rows = []
    now = clock.unix(clock.now())
    for obj, times in objects:
        view = _view(obj, times, clock)
        row: dict[str, Any] = {"cells": [fn(view, now) for _, _, _, fn in columns]}
        if include == "Object":
            row["object"] = obj
        elif include != "None":
            row["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                             "metadata": obj.get("metadata", {})}
        rows.append(row)
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": resource_version},
            "columnDefinitions": [{"name": name, "type": kind_, "format": "name" if name ==
                                   "Name" else "", "description": "", "priority": priority}
                                  for name, kind_, priority, _ in columns],
            "rows": rows}
