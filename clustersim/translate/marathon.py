"""Marathon app → Kubernetes: a Deployment (a StatefulSet for resident apps) and a Service.

Marathon is unmaintained (its repository, d2iq-archive/marathon, says so; DC/OS reached end of
life on 2021-10-31), so the way forward for a Marathon application is Kubernetes. The rules
read each field as Marathon's app definition defines it (d2iq-archive/marathon
``docs/docs/rest-api/public/api/v2/types/app.raml`` and ``docs/docs/*.md``) and map it to the
Kubernetes feature with the same effect. Fields no rule handles are reported, never dropped.

Names follow Mesos-DNS: app ``/shop/db/postgres`` is ``postgres-db-shop.marathon.mesos`` there
(mesosphere/mesos-dns ``docs/naming.md``), and the Service here is ``postgres-db-shop``, so
environment values naming Mesos-DNS hosts of translated apps can be rewritten to the Service
name (reported). All objects go to one namespace: a namespace per top-level group with the
last segment as the name would give ``/shop/frontend/web`` and ``/shop/backend/web`` the same
name. A name that had to be shortened or changed, or that two apps share, is reported. Groups
are walked for their apps; Marathon pods are translated by
:mod:`clustersim.translate.marathon_pods`.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

from clustersim.manifests import Spec, marathon_resources
from clustersim.translate import objects
from clustersim.translate.result import Translation

__all__ = ["marathon_to_kubernetes", "mesos_dns_name"]

_MESOS_DNS = re.compile(r"\b([a-z0-9-]+)\.marathon\.mesos\b")
_MARATHON_LB = re.compile(r"\bmarathon-lb(?:\.marathon\.mesos)?:(\d+)\b")
_FIELD_KEYS = {"hostname": "kubernetes.io/hostname", "@hostname": "kubernetes.io/hostname",
               "@zone": "topology.kubernetes.io/zone", "@region": "topology.kubernetes.io/region"}
_LITERALS = re.compile(r"[A-Za-z0-9._-]+(\|[A-Za-z0-9._-]+)*")
_HANDLED = {"id", "instances", "cpus", "mem", "disk", "container", "cmd", "args", "env",
            "portDefinitions", "healthChecks", "constraints", "dependencies", "labels",
            "residency", "upgradeStrategy", "networks", "taskKillGracePeriodSeconds",
            "requirePorts", "version", "versionInfo", "resourceLimits"}
_IGNORED = {
    "backoffSeconds": "Kubernetes restarts failed containers with its own back-off "
                      "(10 s doubling to 5 min); it cannot be set per workload",
    "backoffFactor": "see backoffSeconds: the kubelet's back-off is fixed",
    "maxLaunchDelaySeconds": "see backoffSeconds: the kubelet's back-off is fixed",
    "unreachableStrategy": "Kubernetes evicts Pods from an unreachable node after the "
                           "node.kubernetes.io/unreachable toleration (300 s by default); "
                           "set tolerationSeconds on that toleration to change it",
    "acceptedResourceRoles": "Mesos roles have no Kubernetes counterpart: use node labels "
                             "and taints to reserve nodes",
    "role": "Mesos roles have no Kubernetes counterpart: the role's share of the cluster is "
            "nearest to a namespace's ResourceQuota, its reservations to nodes kept for it "
            "with labels and taints",
    "fetch": "Kubernetes does not download URIs into the sandbox: build them into the "
             "image, or fetch them in an init container",
    "readinessChecks": "Marathon's readiness checks gate deployments; a readinessProbe does "
                       "that in Kubernetes: write one for the endpoint",
}


def mesos_dns_name(app_id: str) -> str:
    """The Mesos-DNS name of an app, without ``.marathon.mesos``: the path's segments in
    reverse, joined with ``-`` (``/shop/db/postgres`` → ``postgres-db-shop``)."""
    return objects.dns_label("-".join(reversed([s for s in app_id.split("/") if s])))


def marathon_to_kubernetes(source: Any) -> Translation:
    """Translate Marathon apps and groups (specs from ``load_manifests``, or anything it
    reads: a path, JSON text, a dict) to Kubernetes objects, app by app."""
    specs = _specs(source)
    apps: list[dict[str, Any]] = []
    result = Translation()
    for spec in specs:
        _collect(spec.manifest, apps, result)
    names = {mesos_dns_name(app["id"]) for app in apps}
    service_ports = {
        int(mapping["servicePort"]): f"{mesos_dns_name(app['id'])}:{mapping['containerPort']}"
        for app in apps
        for mapping in (app.get("container") or {}).get("portMappings") or []
        if mapping.get("servicePort") and mapping.get("containerPort")
    }
    from clustersim.translate.marathon_pods import MarathonPod

    named: dict[str, str] = {}
    for app in apps:
        _note_name(app["id"], named, result)
        kind = MarathonPod if "containers" in app else _App
        kind(app, names, service_ports, result).translate()
    return result


def _note_name(app_id: str, named: dict[str, str], result: Translation) -> None:
    """Report an app whose Kubernetes name is not its Mesos-DNS name letter for letter
    (a Kubernetes name is at most 63 lower-case letters, digits and ``-``), or is the name
    of an app translated before it (``/a-b/c`` and ``/b/a/c`` are both ``c-a-b``); ``named``
    maps the names given so far to their app ids."""
    name = mesos_dns_name(app_id)
    plain = "-".join(reversed([s for s in app_id.split("/") if s]))
    if name != plain:
        result.note(app_id, "id", "approximate",
                    f"named {name!r}, not {plain!r}: Kubernetes names are at most 63 "
                    "lower-case letters, digits and '-'; clients that used the Mesos-DNS "
                    f"name {plain}.marathon.mesos need the new one")
    if name in named:
        result.note(app_id, "id", "approximate",
                    f"named {name!r} like {named[name]}, so one would replace the other: "
                    "rename one of the two objects (and its Service)")
    named.setdefault(name, app_id)


def _specs(source: Any) -> list[Spec]:
    if isinstance(source, Spec):
        specs = [source]
    else:
        from clustersim.manifests import load_manifests

        specs = list(load_manifests(source))
    for spec in specs:
        if spec.system != "marathon":
            hint = ("it is Kubernetes already and needs no translation"
                    if spec.system == "kubernetes" else "use stack_to_kubernetes for stacks")
            raise ValueError(f"{spec!r} is not a Marathon app or group: {hint}")
    return specs


def _collect(document: dict[str, Any], apps: list[dict[str, Any]], result: Translation) -> None:
    """Every app of a group (depth first), or the app or pod itself; group dependencies
    reported."""
    if "apps" not in document and "groups" not in document:
        apps.append(document)
        return
    if document.get("dependencies"):
        result.note(document.get("id", "/"), "dependencies", "untranslatable",
                    f"the group waits for {', '.join(document['dependencies'])}: Kubernetes "
                    "starts everything at once; make the apps retry their dependencies")
    for app in document.get("apps") or []:
        apps.append(app)
    for group in document.get("groups") or []:
        _collect(group, apps, result)


class _App:
    """One Marathon app on its way to Kubernetes: the rules, one method each."""

    image_field = "container"

    def __init__(self, app: dict[str, Any], names: set[str], service_ports: dict[int, str],
                 result: Translation) -> None:
        self.app, self.names, self.result = app, names, result
        self.service_ports = service_ports
        self.source = app["id"]
        self.name = mesos_dns_name(app["id"])
        self.labels = objects.pod_labels(self.name, app["id"].strip("/").split("/")[0])
        self.container: dict[str, Any] = {"name": self.name}
        self.pod: dict[str, Any] = {"containers": [self.container]}
        self.extra: dict[str, Any] = {}
        self.kind = "Deployment"
        self.ports: list[dict[str, Any]] = []
        self.service_type = "ClusterIP"
        self.annotations: dict[str, str] = {}

    def note(self, path: str, severity: str, message: str) -> None:
        self.result.note(self.source, path, severity, message)  # type: ignore[arg-type]

    def translate(self) -> None:
        self.container_image(self.app.get("container") or {})
        self.command()
        self.resources()
        self.environment(self.app.get("env") or {})
        self.port_definitions(self.app.get("portDefinitions") or [])
        self.health_checks(self.app.get("healthChecks") or [])
        self.constraints(self.app.get("constraints") or [])
        self.marathon_labels(self.app.get("labels") or {})
        self.resident()
        self.upgrade_strategy(self.app.get("upgradeStrategy") or {})
        self.networks(self.app.get("networks") or [])
        if "taskKillGracePeriodSeconds" in self.app:
            # Both wait this long between SIGTERM and SIGKILL.
            self.pod["terminationGracePeriodSeconds"] = int(self.app["taskKillGracePeriodSeconds"])
        if self.app.get("dependencies"):
            self.note("dependencies", "untranslatable",
                      f"waits for {', '.join(self.app['dependencies'])}: Kubernetes has no "
                      "start order; make the app retry, or wait in an init container")
        for key in sorted(set(self.app) - _HANDLED):
            self.note(key, "untranslatable", _IGNORED.get(
                key, "no rule translates this field: carry it over by hand if needed"))
        self.emit()

    def replicas(self) -> int:
        """``instances`` → ``replicas`` (Marathon's default: 1)."""
        return int(self.app.get("instances", 1))

    def emit(self) -> None:
        if any("image" not in container for container in self.pod["containers"]):
            self.note(self.image_field, "untranslatable",
                      "the app runs a command on the agent, with no container image; "
                      "Kubernetes runs only images: build one holding the command and its "
                      "fetched files, then translate again")
            return
        replicas = self.replicas()
        if self.kind == "StatefulSet":
            self.extra["serviceName"] = self.name
        self.result.objects.append(objects.workload(
            self.kind, self.name, self.labels, self.pod, replicas=replicas, extra=self.extra,
            annotations=self.annotations))
        if self.ports:
            self.result.objects.append(
                objects.service(self.name, self.labels, self.ports, self.service_type))

    def container_image(self, container: dict[str, Any]) -> None:
        """``container.docker.image`` → ``image`` (Docker and Mesos containerizers alike);
        ``portMappings`` → ``containerPort`` (+ ``hostPort`` when fixed) and a Service port;
        ``volumes`` are read by :meth:`resident`. Docker ``parameters`` and ``privileged``
        are reported (d2iq-archive/marathon ``docs/docs/native-docker.md``,
        ``docs/docs/networking.md``)."""
        docker = container.get("docker") or {}
        if docker.get("image"):
            self.container["image"] = docker["image"]
        for key in ("parameters", "privileged"):
            if docker.get(key):
                self.note(f"container.docker.{key}", "untranslatable",
                          "docker run options: use the Pod's securityContext where one fits")
        for index, mapping in enumerate(container.get("portMappings")
                                        or docker.get("portMappings") or []):
            self.port(mapping.get("containerPort"), mapping.get("hostPort"),
                      mapping, f"container.portMappings[{index}]")

    def port(self, number: Any, host_port: Any, entry: dict[str, Any], path: str) -> None:
        """One port → ``containerPort`` and a Service port of the same number. Marathon's
        ``servicePort`` is marathon-lb's port on the load balancer, not a Kubernetes one:
        reported. Port 0 means "any free port, in $PORT0": reported, the app must listen on
        a fixed port in Kubernetes (d2iq-archive/marathon ``docs/docs/ports.md``,
        https://kubernetes.io/docs/concepts/services-networking/service/)."""
        if not number:
            self.note(path, "untranslatable",
                      "port 0: Marathon hands the app a random port in $PORT0; in Kubernetes "
                      "every Pod has its own IP, so pick a fixed port the app listens on")
            return
        protocol = str(entry.get("protocol") or "tcp").split(",")[0].upper()
        item: dict[str, Any] = {"containerPort": int(number)}
        if host_port:
            item["hostPort"] = int(host_port)
        if protocol != "TCP":
            item["protocol"] = protocol
        self.container.setdefault("ports", []).append(item)
        name = objects.dns_label(str(entry.get("name") or f"{protocol.lower()}-{number}"))[:15]
        service_port: dict[str, Any] = {"name": name, "port": int(number),
                                        "targetPort": int(number)}
        if protocol != "TCP":
            service_port["protocol"] = protocol
        self.ports.append(service_port)
        if entry.get("servicePort"):
            self.note(f"{path}.servicePort", "untranslatable",
                      f"marathon-lb port {entry['servicePort']}: clients use the Service "
                      f"{self.name}:{number} instead")

    def port_definitions(self, definitions: list[dict[str, Any]]) -> None:
        """``portDefinitions`` (host networking) → ports as for ``portMappings``: the ``port``
        is the one the app listens on (d2iq-archive/marathon ``docs/docs/ports.md``)."""
        for index, definition in enumerate(definitions):
            self.port(definition.get("port"), None, definition, f"portDefinitions[{index}]")

    def command(self) -> None:
        """``cmd`` → ``command: [/bin/sh, -c, cmd]`` (Marathon runs ``cmd`` through the shell);
        ``args`` → ``args`` (appended to the image's entrypoint, as Marathon does)
        (d2iq-archive/marathon ``docs/docs/rest-api/public/api/v2/types/app.raml``,
        https://kubernetes.io/docs/tasks/inject-data-application/
        define-command-argument-container/)."""
        if self.app.get("cmd"):
            self.container["command"] = ["/bin/sh", "-c", str(self.app["cmd"])]
        if self.app.get("args"):
            self.container["args"] = [str(arg) for arg in self.app["args"]]

    def resources(self) -> None:
        """The app's resources as :meth:`resource_requirements` says; Marathon's defaults
        (1 CPU, 128 MiB) apply when a field is missing (d2iq-archive/marathon ``app.raml``)."""
        cpus, memory = marathon_resources(self.app)
        if self.app.get("gpus"):
            self.note("gpus", "untranslatable",
                      "request nvidia.com/gpu (a device plugin's resource) in limits")
        self.container["resources"] = self.resource_requirements(
            cpus, memory, self.app.get("disk"), self.app.get("resourceLimits") or {})

    @staticmethod
    def resource_requirements(cpus: Decimal, memory: int, disk: Any,
                              limits: dict[str, Any]) -> dict[str, Any]:
        """``cpus`` → ``requests.cpu``, ``mem`` (here in bytes) → ``requests.memory`` and
        ``limits.memory``, ``disk`` (MiB) → ``requests.ephemeral-storage``.

        Mesos offers and Kubernetes requests are both what the scheduler places by. On the
        agent, Mesos' memory isolator sets the task's ``mem`` as its hard memory limit unless
        ``resourceLimits.mem`` (Marathon 1.10) gives another or ``"unlimited"``, so the
        container is OOM-killed above it as under ``limits.memory``; ``cpus`` only sets the
        CPU weight (shares), with a CFS quota only when ``resourceLimits.cpus`` is a number or
        the agent runs with ``--cgroups_enable_cfs`` (off by default), so ``cpus`` stays a
        request, as a Kubernetes CPU request is a weight too (apache/mesos
        ``src/slave/containerizer/mesos/isolators/cgroups2/controllers/memory.cpp`` and
        ``cpu.cpp``, ``update``; d2iq-archive/marathon ``docs/docs/resource-limits.md``;
        https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)."""
        requests = {"cpu": objects.cpu_quantity(cpus), "memory": objects.memory_quantity(memory)}
        if disk:
            requests["ephemeral-storage"] = objects.memory_quantity(int(disk) * 2**20)
        caps: dict[str, str] = {}
        mem_limit = limits.get("mem", memory / 2**20)
        if mem_limit != "unlimited" and mem_limit:
            caps["memory"] = objects.memory_quantity(int(Decimal(str(mem_limit)) * 2**20))
        if limits.get("cpus") not in (None, "unlimited"):
            caps["cpu"] = objects.cpu_quantity(Decimal(str(limits["cpus"])))
        return {"requests": requests, "limits": caps} if caps else {"requests": requests}

    def environment(self, env: dict[str, Any]) -> None:
        """``env`` → ``env``. A value naming the Mesos-DNS host of a translated app
        (``postgres-db-shop.marathon.mesos``) is rewritten to its Service name, and a
        marathon-lb address (``marathon-lb.marathon.mesos:10080``) to the Service and port of
        the app whose ``servicePort`` it is; both are reported. ``{"secret": ...}``
        references are reported (use a Kubernetes Secret). Naming: mesosphere/mesos-dns
        ``docs/naming.md``; service ports: mesosphere/marathon-lb ``README.md``."""
        out = []
        for key, value in env.items():
            if not isinstance(value, str):
                self.note(f"env.{key}", "untranslatable",
                          "a secret reference: create a Secret and use valueFrom.secretKeyRef")
                continue
            rewritten = _MARATHON_LB.sub(
                lambda m: self.service_ports.get(int(m[1]), m[0]), value)
            rewritten = _MESOS_DNS.sub(
                lambda m: m[1] if m[1] in self.names else m[0], rewritten)
            if rewritten != value:
                self.note(f"env.{key}", "approximate",
                          f"{value!r} became {rewritten!r}: the Service's address in the "
                          "cluster DNS")
            if ".mesos" in rewritten or "marathon-lb" in rewritten:
                self.note(f"env.{key}", "untranslatable",
                          f"{value!r} names a Mesos-DNS or marathon-lb address that has no "
                          "translated Service: point it at the Service that replaces it")
            out.append({"name": key, "value": rewritten})
        if out:
            self.container["env"] = out

    def health_checks(self, checks: list[dict[str, Any]]) -> None:
        """``healthChecks`` → readiness, liveness and startup probes running the same check
        (d2iq-archive/marathon ``docs/docs/health-checks.md``,
        https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/).

        ``HTTP``/``MESOS_HTTP``/``HTTPS``/``MESOS_HTTPS`` → ``httpGet`` (path, scheme),
        ``TCP``/``MESOS_TCP`` → ``tcpSocket``, ``COMMAND`` → ``exec`` through ``/bin/sh -c``;
        the port is the one ``portIndex`` (or ``port``) picks. Marathon's defaults fill the
        gaps (grace 300 s, interval 60 s, timeout 20 s, 3 failures), as Kubernetes' differ.

        - readiness: marathon-lb and deployments use only tasks whose last check passed →
          ``failureThreshold: 1``;
        - liveness: a task failing ``maxConsecutiveFailures`` checks in a row is killed →
          that ``failureThreshold`` (0 means never killed: no liveness probe);
        - startup: failures are ignored for ``gracePeriodSeconds`` or until the first
          success, which is what a startup probe does: it holds the other two back until it
          succeeds, and fails after ``failureThreshold × periodSeconds`` ≈ the grace period.

        Only the first check is translated; more are reported.
        """
        if not checks:
            return
        check = {**_HEALTH_DEFAULTS, **checks[0]}
        protocol = str(check.get("protocol", "HTTP")).removeprefix("MESOS_")
        action: dict[str, Any]
        if protocol == "COMMAND":
            command = (check.get("command") or {}).get("value", "")
            action = {"exec": {"command": ["/bin/sh", "-c", command]}}
        else:
            port = self.check_port(check)
            if port is None:
                self.note("healthChecks[0]", "untranslatable",
                          "its port is not a fixed port of the app: write the probe by hand")
                return
            if protocol in ("HTTP", "HTTPS"):
                action = {"httpGet": {"path": check.get("path", "/"), "port": port}}
                if protocol == "HTTPS":
                    action["httpGet"]["scheme"] = "HTTPS"
            else:
                action = {"tcpSocket": {"port": port}}
        interval = max(1, int(check["intervalSeconds"]))

        def probe(failures: int) -> dict[str, Any]:
            return {**copy.deepcopy(action), "periodSeconds": interval,
                    "timeoutSeconds": max(1, int(check["timeoutSeconds"])),
                    "failureThreshold": failures}

        grace = int(check["gracePeriodSeconds"])
        if grace > 0:
            self.container["startupProbe"] = probe(max(1, -(-grace // interval)))
        self.container["readinessProbe"] = probe(1)
        if int(check["maxConsecutiveFailures"]) > 0:
            self.container["livenessProbe"] = probe(int(check["maxConsecutiveFailures"]))
        else:
            self.note("healthChecks[0].maxConsecutiveFailures", "approximate",
                      "0: Marathon never kills the task for failing, so there is no "
                      "livenessProbe, only readiness")
        if len(checks) > 1:
            self.note("healthChecks", "untranslatable",
                      f"{len(checks) - 1} more check(s): a container has one probe of each kind")

    def check_port(self, check: dict[str, Any]) -> int | None:
        if check.get("port"):
            return int(check["port"])
        ports = self.container.get("ports") or []
        index = int(check.get("portIndex", 0))
        return ports[index]["containerPort"] if index < len(ports) else None

    def constraints(self, constraints: list[list[str]]) -> None:
        """Marathon constraints → Kubernetes scheduling rules
        (d2iq-archive/marathon ``docs/docs/constraints.md``).

        The field names a node: ``hostname`` → ``kubernetes.io/hostname``, ``@zone`` /
        ``@region`` → the well-known topology labels, an attribute → a node label of the same
        name. ``UNIQUE`` → required pod anti-affinity over it; ``CLUSTER`` with a value and
        ``IS`` → node affinity ``In``, ``CLUSTER`` without one → required pod affinity with
        its own Pods (all on one value); ``LIKE``/``UNLIKE`` → ``In``/``NotIn`` when the
        regex is a list of literals (``a|b``), else reported; ``GROUP_BY`` → a topology
        spread constraint with ``DoNotSchedule`` (Marathon only accepts an offer in a
        least-loaded group); ``MAX_PER 1`` → anti-affinity; other ``MAX_PER`` limits have no
        counterpart and are reported.
        """
        expressions = []
        for index, constraint in enumerate(constraints):
            field, operator = str(constraint[0]), str(constraint[1]).upper()
            value = str(constraint[2]) if len(constraint) > 2 else None
            key = _FIELD_KEYS.get(field, field)
            where = f"constraints[{index}]"
            text = ":".join(map(str, constraint))
            if operator == "UNIQUE" or (operator == "MAX_PER" and value == "1"):
                objects.add_pod_term(self.pod, "podAntiAffinity",
                                     objects.pod_affinity_term(self.labels, key))
            elif operator == "GROUP_BY":
                self.pod.setdefault("topologySpreadConstraints", []).append(
                    objects.spread(key, self.labels, hard=True))
            elif operator == "CLUSTER" and not value:
                objects.add_pod_term(self.pod, "podAffinity",
                                     objects.pod_affinity_term(self.labels, key))
            elif operator in ("CLUSTER", "IS"):
                expressions.append({"key": key, "operator": "In", "values": [value]})
            elif operator in ("LIKE", "UNLIKE") and value and _LITERALS.fullmatch(value) \
                    and "." not in value:
                expressions.append({"key": key, "operator": "In" if operator == "LIKE"
                                    else "NotIn", "values": value.split("|")})
            else:
                self.note(where, "untranslatable", _constraint_help(text, operator, value))
        objects.node_requirements(self.pod, expressions)

    def marathon_labels(self, labels: dict[str, str]) -> None:
        """Marathon ``labels`` → annotations (free text, as Marathon labels are; Kubernetes
        label values are limited to 63 characters of a small alphabet). marathon-lb's
        ``HAPROXY_GROUP: external`` → a LoadBalancer Service; other ``HAPROXY_`` labels
        configure marathon-lb and are reported (an Ingress does that job)
        (mesosphere/marathon-lb ``Longhelp.md``,
        https://kubernetes.io/docs/concepts/services-networking/ingress/)."""
        for key, value in labels.items():
            if key == "HAPROXY_GROUP":
                if value == "external":
                    self.service_type = "LoadBalancer"
            elif key.startswith("HAPROXY_"):
                self.note(f"labels.{key}", "untranslatable",
                          f"marathon-lb setting {value!r}: write an Ingress (host, path) or "
                          "Gateway API route for it")
            else:
                self.annotations[key] = str(value)

    def resident(self) -> None:
        """Local persistent volumes (``persistent.size`` MiB, which make the app resident on
        its agent) → a StatefulSet with one ``volumeClaimTemplates`` entry each: every Pod
        keeps its own claim across restarts, as a resident task keeps its reservation
        (d2iq-archive/marathon ``docs/docs/persistent-volumes.md``). The Docker mapping
        ``hostPath: <persistent containerPath>`` becomes the claim's mount. Other host paths
        and external volumes are reported."""
        volumes = (self.app.get("container") or {}).get("volumes") or []
        persistent = {v["containerPath"]: v for v in volumes if v.get("persistent")}
        if not persistent and not self.app.get("residency"):
            for index in range(len(volumes)):
                self.note(f"container.volumes[{index}]", "untranslatable", _VOLUME_HELP)
            return
        self.kind = "StatefulSet"
        templates = []
        for path, volume in persistent.items():
            name = objects.dns_label(path)
            size = objects.memory_quantity(int(volume["persistent"].get("size", 0)) * 2**20)
            templates.append({"metadata": {"name": name}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}})
            mounts = [v["containerPath"] for v in volumes if v.get("hostPath") == path]
            for mount_path in mounts or ([path] if path.startswith("/") else []):
                self.container.setdefault("volumeMounts", []).append(
                    {"name": name, "mountPath": mount_path})
        for index, volume in enumerate(volumes):
            if not volume.get("persistent") and volume.get("hostPath") not in persistent:
                self.note(f"container.volumes[{index}]", "untranslatable", _VOLUME_HELP)
        self.extra["volumeClaimTemplates"] = templates
        if self.app.get("residency"):
            self.note("residency", "approximate",
                      "a StatefulSet keeps each Pod's claim; a ReadWriteOnce volume of a "
                      "local StorageClass also keeps the Pod on its node, as residency does")

    def upgrade_strategy(self, strategy: dict[str, Any]) -> None:
        """``minimumHealthCapacity`` m and ``maximumOverCapacity`` o → a Deployment's
        ``maxUnavailable`` (1 - m) and ``maxSurge`` o, as percentages of the replicas
        (d2iq-archive/marathon ``docs/docs/deployments.md``). Kubernetes rounds maxUnavailable
        down and maxSurge up, as Marathon rounds the healthy floor up. Both 0 → ``Recreate``
        is not the same (Marathon would stop none and start none): reported. StatefulSets
        update one Pod at a time (reported)."""
        if not strategy:
            return
        if self.kind != "Deployment":
            self.note("upgradeStrategy", "approximate",
                      "a StatefulSet replaces its Pods one at a time, highest ordinal first")
            return
        unavailable = round((1 - float(strategy.get("minimumHealthCapacity", 1))) * 100)
        surge = round(float(strategy.get("maximumOverCapacity", 1)) * 100)
        if unavailable == 0 and surge == 0:
            self.note("upgradeStrategy", "untranslatable",
                      "no capacity to stop or add: Kubernetes needs maxSurge or "
                      "maxUnavailable above 0; the default strategy is kept")
            return
        self.extra["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {
            "maxSurge": f"{surge}%", "maxUnavailable": f"{unavailable}%"}}

    def networks(self, networks: list[dict[str, Any]]) -> None:
        """``container/bridge`` and ``container`` networks: every Pod has its own IP, nothing
        to translate. ``host`` → ``hostNetwork: true`` (the Pod shares the node's network)
        (d2iq-archive/marathon ``docs/docs/networking.md``)."""
        if any(network.get("mode") == "host" for network in networks):
            self.pod["hostNetwork"] = True


_HEALTH_DEFAULTS = {"gracePeriodSeconds": 300, "intervalSeconds": 60, "timeoutSeconds": 20,
                    "maxConsecutiveFailures": 3}
"""Marathon's health check defaults (d2iq-archive/marathon ``docs/docs/health-checks.md``)."""

_VOLUME_HELP = ("a host path or external volume exists on some machines only: use a "
                "PersistentVolumeClaim (or a hostPath volume, if you must)")


def _constraint_help(text: str, operator: str, value: str | None) -> str:
    if operator == "MAX_PER" and not value:
        return (f"{text}: without a value Marathon stores the app and never launches it "
                "(its offer matcher fails on the missing number); give the maximum per value")
    if operator == "MAX_PER":
        return (f"{text}: Kubernetes has no per-node (or per-zone) maximum above 1; a "
                "topology spread constraint with DoNotSchedule keeps counts even instead")
    if operator in ("LIKE", "UNLIKE"):
        return (f"{text}: a regular expression; node affinity matches exact values only: "
                "list the values, or label the nodes and match the label")
    return f"{text}: no rule translates this constraint"
