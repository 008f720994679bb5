"""The fields the API server fills in when it stores a Pod, a workload's pod template or a
Service.

Upstream every object is defaulted as it is decoded, before validation, and stored with its
defaults (kubernetes/kubernetes ``pkg/apis/core/v1/defaults.go``: ``SetDefaults_PodSpec``,
``SetDefaults_Pod``, ``SetDefaults_Container``, ``SetDefaults_ContainerPort`` is the
``protocol`` default of the generated code, ``SetDefaults_Probe``, ``SetDefaults_HTTPGetAction``;
``pkg/apis/apps/v1/defaults.go``: ``SetDefaults_StatefulSet``, ``SetDefaults_DaemonSet``,
``SetDefaults_ReplicaSet``), so ``kubectl get -o yaml`` shows them.

The simulator keeps its objects as they were written (a Deployment's pod-template hash, hence
its Pods' names, is a hash of the stored template), and the served API adds these defaults
when it returns an object (:func:`set_defaults`). Two rules keep that invisible:

- a field at its default counts the same whether it is written or not: an update is brought
  to the stored form (:func:`stored_form`) before it is compared with the stored object, so
  that ``kubectl apply`` of the same manifest, ``rollout undo`` of a template read back with
  its defaults, or an immutable Job template compare defaulted to defaulted, as upstream;
- the kubelet reads ``imagePullPolicy`` through :func:`image_pull_policy`, the rule the
  default is written with;
- a default that an update would make another (a Pod's ``imagePullPolicy`` when its image
  changes to ``:latest``) is written into the stored object first (:func:`keep_defaults`),
  as upstream stored it at create.

A Deployment's, a Job's and a CronJob's own defaults (:func:`set_deployment_defaults`,
:func:`set_job_defaults`, :func:`set_cronjob_defaults`) are stored: their controllers write
them when they first see the object, and read them from it.

What is left out: the defaults of volume sources (``defaultMode``), of a Pod's requests from
its limits (``SetDefaults_Pod``), of host ports under ``hostNetwork``, and the deprecated
``serviceAccount`` alias the v1 conversion writes beside ``serviceAccountName``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from clustersim.imageref import parse_reference

__all__ = ["DEPLOYMENT_ROLLING_DEFAULTS", "MAX_INT32", "POD_SPEC_DEFAULTS", "PROBE_DEFAULTS",
           "default_sites", "image_pull_policy",
           "keep_defaults", "set_cronjob_defaults", "set_defaults", "set_deployment_defaults",
           "set_job_defaults", "set_service_defaults", "set_service_status_defaults",
           "set_template_defaults", "stored_form", "workload_default"]

MAX_INT32 = 2**31 - 1
"""Go's ``math.MaxInt32``, the most an ``int32`` field holds: a Job's ``backoffLimit`` when
each index has its own (no limit)."""

DEPLOYMENT_ROLLING_DEFAULTS = {"maxSurge": "25%", "maxUnavailable": "25%"}
"""A Deployment's ``rollingUpdate`` when it does not say it (``SetDefaults_Deployment``)."""

POD_SPEC_DEFAULTS: dict[str, Any] = {
    "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
    "schedulerName": "default-scheduler", "terminationGracePeriodSeconds": 30}
"""``SetDefaults_PodSpec``'s scalar defaults, for Pods and templates alike (a Job's template
must say ``restartPolicy``: ``Always`` is refused there)."""

_CONTAINER_DEFAULTS = {"terminationMessagePath": "/dev/termination-log",
                       "terminationMessagePolicy": "File"}
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
PROBE_DEFAULTS = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
                  "failureThreshold": 3}
"""``SetDefaults_Probe``: a probe's timeout and period in seconds, and its thresholds."""

Site = tuple[tuple[Any, ...], dict[str, Any], str, Any]
"""Where a default goes (a key that finds the same place in another version of the spec),
the mapping that holds the field, the field, its default."""


def image_pull_policy(image: Any) -> str:
    """``imagePullPolicy`` when a container does not say it (``SetDefaults_Container``):
    ``Always`` when the image's tag is ``latest``, which a reference with neither tag nor
    digest means (``ParseImageName``, kubernetes/kubernetes ``pkg/util/parsers``), else
    ``IfNotPresent``, also for a reference that does not parse (upstream ignores the error:
    validation refuses the Pod). The reference is read by distribution/reference's grammar
    (:func:`clustersim.imageref.parse_reference`)."""
    found = parse_reference(image) if isinstance(image, str) else None
    if found is None:
        return "IfNotPresent"
    tag = found.tag or ("" if found.digest else "latest")
    return "Always" if tag == "latest" else "IfNotPresent"


def default_sites(kind: str, spec: Any) -> Iterator[Site]:
    """Each field of ``kind``'s ``spec`` that the API server defaults, with its default. The
    sites are found as the iteration goes: a caller may fill in or take out each one before
    the next is looked for (a defaulted ``updateStrategy`` then yields no site inside it)."""
    if not isinstance(spec, dict):
        return
    if kind == "Service":
        yield from _service_sites(spec)
        return
    yield from _workload_sites(kind, spec)
    pod_spec = spec if kind == "Pod" else _template_spec(kind, spec)
    if isinstance(pod_spec, dict):
        yield from _pod_spec_sites(pod_spec, pod=kind == "Pod")


def set_defaults(obj: dict[str, Any]) -> None:
    """Fill in the defaults of ``obj`` (a Pod or a workload) in place, as the API server
    stores it (see :func:`_unset` for what counts as unset); a Deployment, a Job or a CronJob
    that no controller has seen yet (a dry run) gets its own defaults too."""
    kind = str(obj.get("kind", ""))
    if kind == "Deployment":
        set_deployment_defaults(obj)
    elif kind == "Job":
        set_job_defaults(obj)
    elif kind == "CronJob":
        set_cronjob_defaults(obj)
    _fill(default_sites(kind, obj.get("spec")))


def set_template_defaults(template: Any) -> None:
    """Fill in the defaults of a pod template (``metadata`` and ``spec``) in place: what a
    workload's template gets from :func:`set_defaults`, for a copy of it kept elsewhere (a
    ControllerRevision's ``data``)."""
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        _fill(_pod_spec_sites(template["spec"], pod=False))


def _fill(sites: Iterator[Site]) -> None:
    """Set each site's field to its default where it is unset (:func:`_unset`)."""
    for _, mapping, field, value in sites:
        if _unset(mapping.get(field), value):
            mapping[field] = value


def set_deployment_defaults(deployment: dict[str, Any]) -> None:
    """``SetDefaults_Deployment`` (``pkg/apis/apps/v1/defaults.go``): one replica, ten old
    ReplicaSets kept, a 600 s progress deadline, and a missing or null strategy, type or
    ``rollingUpdate`` (which kubectl accepts) takes the defaults, ``RollingUpdate`` with a
    surge and an unavailability of 25%, and so does a null ``maxSurge`` or
    ``maxUnavailable``."""
    spec = deployment.setdefault("spec", {})
    for field, default in (("replicas", 1), ("revisionHistoryLimit", 10),
                           ("progressDeadlineSeconds", 600)):
        if spec.get(field) is None:
            spec[field] = default
    strategy = spec["strategy"] = spec.get("strategy") or {}
    strategy["type"] = strategy.get("type") or "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy["rollingUpdate"] = strategy.get("rollingUpdate") or {}
        for field, percent in DEPLOYMENT_ROLLING_DEFAULTS.items():
            if rolling.get(field) is None:
                rolling[field] = percent


def set_cronjob_defaults(cronjob: dict[str, Any]) -> None:
    """``SetDefaults_CronJob`` (``pkg/apis/batch/v1/defaults.go``): runs may overlap
    (``concurrencyPolicy: Allow``), it is not suspended, and it keeps three succeeded and one
    failed Job."""
    spec = cronjob.setdefault("spec", {})
    for field, default in (("concurrencyPolicy", "Allow"), ("suspend", False),
                           ("successfulJobsHistoryLimit", 3), ("failedJobsHistoryLimit", 1)):
        if spec.get(field) is None:
            spec[field] = default


def set_job_defaults(job: dict[str, Any]) -> None:
    """The API server's defaults for a Job (``SetDefaults_Job``, kubernetes/kubernetes
    ``pkg/apis/batch/v1/defaults.go``), which ``kubectl get -o yaml`` and ``kubectl describe``
    show: with neither ``completions`` nor ``parallelism`` both are 1, else a missing
    ``parallelism`` is 1 and a missing ``completions`` stays missing (a work queue);
    ``backoffLimit`` 6, or no limit (the largest int32) with ``backoffLimitPerIndex``;
    ``completionMode: NonIndexed``, ``suspend: false``, ``manualSelector: false``;
    ``podReplacementPolicy`` ``Failed`` with a ``podFailurePolicy``, else
    ``TerminatingOrFailed`` (the ``JobPodReplacementPolicy`` feature, on by default since
    v1.29, GA in v1.34); an ``onPodConditions`` pattern without ``status`` means ``True``; and
    a Job without labels takes its template's."""
    spec = job.setdefault("spec", {})
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    for field, default in (
            ("parallelism", 1),
            ("backoffLimit", 6 if spec.get("backoffLimitPerIndex") is None else MAX_INT32),
            ("completionMode", "NonIndexed"), ("suspend", False),
            ("podReplacementPolicy",
             "TerminatingOrFailed" if spec.get("podFailurePolicy") is None else "Failed"),
            ("manualSelector", False)):
        if spec.get(field) is None:
            spec[field] = default
    for rule in (spec.get("podFailurePolicy") or {}).get("rules") or []:
        for pattern in rule.get("onPodConditions") or []:
            if not pattern.get("status"):
                pattern["status"] = "True"
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    meta = job.setdefault("metadata", {})
    if labels is not None and not meta.get("labels"):
        meta["labels"] = dict(labels)


def stored_form(kind: str, new_spec: Any, stored_spec: Any) -> None:
    """Bring ``new_spec`` (an update of a ``kind``) to the form the stored spec is written in,
    in place, without changing what it means: a default the stored spec leaves out is taken
    out of the update where the update has the default's value (an update built on an object
    read back, whose defaults :func:`set_defaults` added), and a field the stored spec writes
    at its default is written back where the update leaves it out (a manifest that stops
    saying it, which upstream defaults again). A default whose value the update changed stays
    written: a template read back with ``imagePullPolicy: IfNotPresent`` and given a
    ``:latest`` image keeps ``IfNotPresent``, as the stored field upstream does."""
    stored = {(where, field): mapping.get(field)
              for where, mapping, field, _ in default_sites(kind, stored_spec)}
    for where, mapping, field, value in default_sites(kind, new_spec):
        if (where, field) not in stored:        # a new container, port or probe
            continue
        before = stored[where, field]
        if _unset(mapping.get(field), value) and before == value:
            mapping[field] = copy.deepcopy(before)
        elif _unset(before, value) and mapping.get(field) == value:
            del mapping[field]


def keep_defaults(kind: str, before: Any, after: dict[str, Any]) -> None:
    """Write into ``after`` (a stored spec of a ``kind`` once an update changed it, in
    place) each default that ``before`` (the same spec before the update) left to the API
    server and that the update would make another: upstream the default was stored when the
    object was created and stays. A Pod whose image goes from ``nginx:1.27`` to
    ``nginx:latest`` keeps ``imagePullPolicy: IfNotPresent``, as a template read back and
    changed does in :func:`stored_form`."""
    was = {(where, field): (mapping.get(field), value)
           for where, mapping, field, value in default_sites(kind, before)}
    for where, mapping, field, value in default_sites(kind, after):
        old, old_default = was.get((where, field), (None, value))
        if _unset(mapping.get(field), value) and _unset(old, old_default) \
                and old_default != value:
            mapping[field] = copy.deepcopy(old_default)


def workload_default(kind: str, field: str) -> Any:
    """The API server's default of a workload's top-level ``spec.<field>``
    (:func:`_workload_sites`): a StatefulSet's or a DaemonSet's ``revisionHistoryLimit`` is
    10."""
    found = [value for where, _, name, value in _workload_sites(kind, {})
             if where == ("spec",) and name == field]
    if not found:
        raise KeyError(f"{kind} has no default spec.{field}")
    return copy.deepcopy(found[0])


def _unset(value: Any, default: Any) -> bool:
    """Whether the API server fills in the field: it is missing or null, or an empty string
    where the field is a string (Go's zero value, which the defaulting functions test)."""
    return value is None or (value == "" and isinstance(default, str))


def _template_spec(kind: str, spec: dict[str, Any]) -> Any:
    """The pod spec of a workload's template (a CronJob's is inside its job template)."""
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    template = spec.get("template") if isinstance(spec, dict) else None
    return template.get("spec") if isinstance(template, dict) else None


def _pod_spec_sites(pod_spec: dict[str, Any], *, pod: bool) -> Iterator[Site]:
    """``SetDefaults_PodSpec`` (and for a Pod itself ``SetDefaults_Pod``'s
    ``enableServiceLinks: true``, the ServiceAccount admission plugin's ``default`` account
    and the Priority plugin's ``preemptionPolicy``, which a Pod without a class gets with
    priority 0), then each container's: ``SetDefaults_Container``, a port's ``protocol:
    TCP`` (a port is found again by its ``containerPort`` and protocol, the list's keys:
    ``+listMapKey`` in ``Container.Ports`` of k8s.io/api ``core/v1/types.go``; port 53 is
    often listed twice, TCP and UDP), each probe's timeout, period and thresholds
    (``SetDefaults_Probe``), an HTTP probe's path and scheme
    (``SetDefaults_HTTPGetAction``) and a gRPC probe's ``service: ""`` (no function of its
    own: the ``+default=""`` marker of ``GRPCAction.Service`` in k8s.io/api
    ``core/v1/types.go``, which defaulter-gen writes into ``zz_generated.defaults.go`` for
    every probe of Pods and templates; ``kubectl describe`` reads the field without checking
    that it is there). ``resources: {}`` is not a default but Go's encoding
    of an empty struct; clients such as ``kubectl rollout undo`` write it when they copy a
    template, and ``kubectl debug`` reads ``securityContext``
    without checking that it is there."""
    for field, value in POD_SPEC_DEFAULTS.items():
        yield ("pod",), pod_spec, field, value
    yield ("pod",), pod_spec, "securityContext", {}
    if pod:
        yield ("pod",), pod_spec, "enableServiceLinks", True
        yield ("pod",), pod_spec, "serviceAccountName", "default"
        yield ("pod",), pod_spec, "preemptionPolicy", "PreemptLowerPriority"
    for group in ("initContainers", "containers"):
        for container in pod_spec.get(group) or []:
            if isinstance(container, dict):
                yield from _container_sites((group, container.get("name")), container)


def _container_sites(where: tuple[Any, ...], container: dict[str, Any]) -> Iterator[Site]:
    """The sites of one container (see :func:`_pod_spec_sites`)."""
    yield where, container, "imagePullPolicy", image_pull_policy(container.get("image"))
    for field, value in _CONTAINER_DEFAULTS.items():
        yield where, container, field, value
    yield where, container, "resources", {}
    for port in container.get("ports") or []:
        if isinstance(port, dict):     # keyed as the list is: containerPort and protocol
            key = (port.get("containerPort"), port.get("protocol") or "TCP")
            yield (*where, "port", *key), port, "protocol", "TCP"
    for probe_name in _PROBES:
        probe = container.get(probe_name)
        if not isinstance(probe, dict):
            continue
        for field, seconds_or_count in PROBE_DEFAULTS.items():
            yield (*where, probe_name), probe, field, seconds_or_count
        action = probe.get("httpGet")
        if isinstance(action, dict):
            yield (*where, probe_name, "httpGet"), action, "path", "/"
            yield (*where, probe_name, "httpGet"), action, "scheme", "HTTP"
        action = probe.get("grpc")
        if isinstance(action, dict):
            yield (*where, probe_name, "grpc"), action, "service", ""


SERVICE_STORED = frozenset({"type", "protocol", "targetPort"})
"""The Service defaults the simulator stores when it admits a Service
(:func:`set_service_defaults`): the ones it reads itself (the type, to allocate; a port's
protocol and target port, to route)."""


def set_service_defaults(spec: dict[str, Any]) -> None:
    """Fill in the stored part (:data:`SERVICE_STORED`) of a Service spec's defaults, in
    place; the served API adds the others when it returns the Service (:func:`set_defaults`)."""
    _fill(site for site in _service_sites(spec) if site[2] in SERVICE_STORED)


def _service_sites(spec: dict[str, Any]) -> Iterator[Site]:
    """A Service's defaults on a single-stack IPv4 cluster: ``SetDefaults_Service``
    (``pkg/apis/core/v1/defaults.go``: type ``ClusterIP``, ``sessionAffinity: None``, each
    port's ``protocol: TCP`` and ``targetPort`` its port, ``externalTrafficPolicy: Cluster``
    for a Service reachable from outside (``ExternallyAccessible``: NodePort, LoadBalancer,
    or a ClusterIP with external IPs), ``internalTrafficPolicy: Cluster`` but for
    ExternalName, ``allocateLoadBalancerNodePorts: true`` for a LoadBalancer), then the
    service REST allocator's (``pkg/registry/core/service/storage/alloc.go``,
    ``initIPFamilyFields``; none for ExternalName): ``clusterIPs`` from ``clusterIP``
    (``None`` too), ``ipFamilyPolicy: SingleStack`` and ``ipFamilies: [IPv4]``, but a
    headless Service without a selector defaults to ``RequireDualStack`` and, unless its
    policy is ``SingleStack``, is given both families even on a single-stack cluster. A port
    is found again by its number and protocol (``+listMapKey``)."""
    yield ("spec",), spec, "type", "ClusterIP"
    yield ("spec",), spec, "sessionAffinity", "None"
    for port in spec.get("ports") or []:
        if isinstance(port, dict):
            where = ("port", port.get("port"), port.get("protocol") or "TCP")
            yield where, port, "protocol", "TCP"
            yield where, port, "targetPort", port.get("port")
    kind = spec.get("type") or "ClusterIP"
    if kind in ("NodePort", "LoadBalancer") or (kind == "ClusterIP" and spec.get("externalIPs")):
        yield ("spec",), spec, "externalTrafficPolicy", "Cluster"
    if kind == "ExternalName":
        return
    yield ("spec",), spec, "internalTrafficPolicy", "Cluster"
    if kind == "LoadBalancer":
        yield ("spec",), spec, "allocateLoadBalancerNodePorts", True
    if spec.get("clusterIP"):
        yield ("spec",), spec, "clusterIPs", [spec["clusterIP"]]
    both = spec.get("clusterIP") == "None" and not spec.get("selector")
    yield ("spec",), spec, "ipFamilyPolicy", "RequireDualStack" if both else "SingleStack"
    single = (spec.get("ipFamilyPolicy") or "SingleStack") == "SingleStack"
    yield ("spec",), spec, "ipFamilies", ["IPv4"] if single or not both else ["IPv4", "IPv6"]


def set_service_status_defaults(service: dict[str, Any]) -> None:
    """A Service's status as the API server returns it: ``loadBalancer: {}`` when it has no
    load balancer (a struct, never left out), and each load balancer address of a
    LoadBalancer with ``ipMode: VIP`` (``SetDefaults_Service``, the ``LoadBalancerIPMode``
    feature, GA since v1.32). Part of every read of the Service, a Table's too: a
    resourceVersion is stamped from the status shown."""
    status = service.setdefault("status", {})
    balancer = status.setdefault("loadBalancer", {})
    if (service.get("spec") or {}).get("type") == "LoadBalancer":
        for ingress in balancer.get("ingress") or []:
            if isinstance(ingress, dict) and ingress.get("ip"):
                ingress.setdefault("ipMode", "VIP")


def _workload_sites(kind: str, spec: dict[str, Any]) -> Iterator[Site]:
    """``SetDefaults_ReplicaSet``, ``SetDefaults_StatefulSet`` and ``SetDefaults_DaemonSet``
    (``pkg/apis/apps/v1/defaults.go``): one replica, ten revisions kept, and each kind's
    update strategy. A StatefulSet's ``rollingUpdate`` is made only when the strategy's type
    was missing too (an explicit ``type: RollingUpdate`` stays without it), its
    ``partition`` 0 then and its ``maxUnavailable`` 1 (the ``MaxUnavailableStatefulSet``
    feature, beta and on by default since v1.35: ``pkg/features/kube_features.go``); a
    DaemonSet's rolling update replaces one Pod at a time, surging
    none."""
    if kind in ("ReplicaSet", "StatefulSet"):
        yield ("spec",), spec, "replicas", 1
    if kind == "StatefulSet":
        yield ("spec",), spec, "podManagementPolicy", "OrderedReady"
        yield from _strategy_sites(spec, {"partition": 0, "maxUnavailable": 1},
                                   fill_existing=False)
        yield ("spec",), spec, "persistentVolumeClaimRetentionPolicy", {
            "whenDeleted": "Retain", "whenScaled": "Retain"}
        policy = spec.get("persistentVolumeClaimRetentionPolicy")
        if isinstance(policy, dict):
            for field in ("whenDeleted", "whenScaled"):
                yield ("retention",), policy, field, "Retain"
        yield from _claim_template_sites(spec)
    if kind == "DaemonSet":
        yield from _strategy_sites(spec, {"maxUnavailable": 1, "maxSurge": 0},
                                   fill_existing=True)
    if kind in ("StatefulSet", "DaemonSet"):
        yield ("spec",), spec, "revisionHistoryLimit", 10


def _claim_template_sites(spec: dict[str, Any]) -> Iterator[Site]:
    """A StatefulSet's ``volumeClaimTemplates`` are defaulted as PersistentVolumeClaims
    (``SetObjectDefaults_StatefulSet`` calls ``SetDefaults_PersistentVolumeClaim``, status
    phase ``Pending``, and ``SetDefaults_PersistentVolumeClaimSpec``, ``volumeMode:
    Filesystem``, for each). As upstream, ``kubectl apply`` of the same manifest then says
    ``configured``, never ``unchanged``: the list has no merge key, and kubectl sends it
    whole because the live one has these defaults (kubernetes/kubernetes issue 66450)."""
    for claim in spec.get("volumeClaimTemplates") or []:
        if not isinstance(claim, dict):
            continue
        where = ("claim", (claim.get("metadata") or {}).get("name"))
        yield where, claim, "status", {"phase": "Pending"}
        if isinstance(claim.get("spec"), dict):
            yield where, claim["spec"], "volumeMode", "Filesystem"


def _strategy_sites(spec: dict[str, Any], rolling: dict[str, Any], *,
                    fill_existing: bool) -> Iterator[Site]:
    """``updateStrategy``: type ``RollingUpdate`` and ``rolling``'s fields in its
    ``rollingUpdate``, made when the strategy is missing; in a strategy that is there a
    missing type is ``RollingUpdate`` and brings ``rollingUpdate`` along, and a missing
    ``rollingUpdate`` of an explicit ``RollingUpdate`` is made only when ``fill_existing``."""
    yield ("spec",), spec, "updateStrategy", {"type": "RollingUpdate",
                                              "rollingUpdate": dict(rolling)}
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        return
    typed = strategy.get("type") is not None
    yield ("strategy",), strategy, "type", "RollingUpdate"
    if strategy.get("type") != "RollingUpdate":
        return
    if fill_existing or not typed:
        yield ("strategy",), strategy, "rollingUpdate", dict(rolling)
    update = strategy.get("rollingUpdate")
    if isinstance(update, dict):
        for field, value in rolling.items():
            yield ("rolling",), update, field, value
