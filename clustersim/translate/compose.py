"""Swarm stack → Kubernetes: one Deployment (or DaemonSet) and one Service per stack service.

Somewhat over 500 lines because it is one rule per Compose field, each a method of the one
class that collects a service's Kubernetes objects and notes; splitting would scatter that table.

The rules follow what each field means in the Compose specification's deploy section
(https://docs.docker.com/reference/compose-file/deploy/) and services reference
(https://docs.docker.com/reference/compose-file/services/), and map it to the Kubernetes
feature with the same effect. Kompose's conversion table
(https://kompose.io/conversion/) was read as a reference; where this translation differs
from it, the rule's docstring says so. Fields no rule handles are reported, never dropped.

Names stay as they are in the stack (``db`` stays ``db``): in Swarm a service reaches another
by its service name on the stack's network, and a Kubernetes Service of the same name gives
Pods in the same namespace the same DNS name, so ``DATABASE_HOST: db`` keeps working.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from clustersim.manifests import Spec, compose_bytes, compose_cpus
from clustersim.swarm.spec import parse_duration
from clustersim.translate import objects
from clustersim.translate.result import Translation

__all__ = ["stack_to_kubernetes"]

PUBLISHED_SERVICE_TYPE = "LoadBalancer"
"""The Service type for ports published on Swarm's ingress routing mesh. A LoadBalancer keeps
the published port number (``80``) as the Service port and, like the routing mesh, also opens
a NodePort on every node; a NodePort Service alone could not keep port 80 (node ports come
from 30000-32767). On kind, minikube and k3d a LoadBalancer gets an address from
cloud-provider-kind, ``minikube tunnel`` or k3s' ServiceLB. Kompose makes a ClusterIP Service
unless told otherwise (label ``kompose.service.type``)."""

_STORAGE_REQUEST = "1Gi"
_HEALTHCHECK_DEFAULTS = {"start_period": "0s", "interval": "30s", "timeout": "30s"}
_FIELDS_NOT_NEEDED = {
    "depends_on": "Swarm ignores depends_on (docker stack deploy starts services in any "
                  "order), and Kubernetes has no start order either: make each service retry "
                  "its dependencies, or add an init container that waits for them",
    "networks": "every Pod can reach every Pod and Service in a Kubernetes cluster; stack "
                "networks only isolated services: write NetworkPolicies to isolate them",
}
_PLATFORM_KEYS = {"node.platform.os": "kubernetes.io/os",
                  "node.platform.arch": "kubernetes.io/arch",
                  "node.hostname": "kubernetes.io/hostname"}
_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}


def stack_to_kubernetes(source: Any, *, node_labels: Mapping[str, str] | None = None
                        ) -> Translation:
    """Translate a Swarm stack (a stack :class:`~clustersim.Spec`, or anything
    ``load_manifests`` reads: a path, YAML text or a dict) to Kubernetes objects.

    A Swarm node label ``node.labels.X`` becomes the Kubernetes node label ``X``; pass
    ``node_labels={"zone": "topology.kubernetes.io/zone"}`` to use another key (here the
    well-known zone label that cloud providers and ``clustersim.Node(zone=...)`` set).

    Per service: a PersistentVolumeClaim per named volume, the workload (a Deployment, or a
    DaemonSet for ``mode: global``) and, when it has ports, a Service. Top-level
    ``configs``, ``secrets`` and ``networks`` are reported.
    """
    spec = _stack(source)
    stack = spec.manifest
    result = Translation()
    for key in sorted(set(stack) - {"services", "volumes", "version", "name"}):
        result.note(spec.name, key, "untranslatable",
                    f"top-level {key} are not translated: create the matching Kubernetes "
                    "objects (ConfigMap, Secret, NetworkPolicy) by hand")
    for name, service in (stack.get("services") or {}).items():
        _Service(spec.name, name, service, result, dict(node_labels or {})).translate()
    return result


def _words(value: Any) -> list[str]:
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value or []]


def _stack(source: Any) -> Spec:
    if isinstance(source, Spec):
        spec = source
    else:
        from clustersim.manifests import load_manifests

        specs = load_manifests(source)
        if len(specs) != 1:
            raise ValueError(f"expected one stack, got {len(specs)} documents")
        spec = specs[0]
    if spec.system != "swarm":
        raise ValueError(f"{spec!r} is not a Swarm stack: use marathon_to_kubernetes for "
                         "Marathon, and Kubernetes manifests need no translation")
    return spec


class _Service:
    """One stack service on its way to Kubernetes: the rules, one method each."""

    def __init__(self, stack: str, name: str, service: dict[str, Any],
                 result: Translation, node_labels: dict[str, str]) -> None:
        self.stack, self.source, self.service, self.result = stack, name, service, result
        self.node_labels = node_labels
        self.name = objects.dns_label(name)
        self.labels = objects.pod_labels(self.name, stack)
        self.container: dict[str, Any] = {"name": self.name}
        self.pod: dict[str, Any] = {"containers": [self.container]}
        self.workload_spec: dict[str, Any] = {}
        self.kind = "Deployment"
        self.replicas: int | None = 1
        self.ports: list[dict[str, Any]] = []
        self.service_type = "ClusterIP"
        self.claims: list[dict[str, Any]] = []

    def note(self, path: str, severity: str, message: str) -> None:
        self.result.note(self.source, path, severity, message)  # type: ignore[arg-type]

    def translate(self) -> None:
        rules = {"image": self.image, "command": self.command, "entrypoint": self.entrypoint,
                 "environment": self.environment, "working_dir": self.working_dir,
                 "healthcheck": self.healthcheck, "ports": self.published_ports,
                 "expose": self.exposed_ports, "volumes": self.volumes, "deploy": self.deploy,
                 "secrets": self.secrets,
                 "stop_grace_period": self.stop_grace_period}
        # deploy last: its strategy and volume checks need the volumes known
        for key, value in sorted(self.service.items(), key=lambda item: item[0] == "deploy"):
            if value is None:  # Compose reads an empty key as unset
                continue
            if key in rules:
                rules[key](value)
            elif key in _FIELDS_NOT_NEEDED:
                self.note(key, "untranslatable", _FIELDS_NOT_NEEDED[key])
            else:
                self.note(key, "untranslatable", "no rule translates this field: carry it over "
                          "by hand if the application needs it")
        self.emit()

    def emit(self) -> None:
        """Claims first, then the workload, then its Service (the order to apply them)."""
        if "image" not in self.container:
            self.note("image", "untranslatable", "the service has no image; Kubernetes runs "
                      "only images: build one and push it to a registry the cluster can reach")
            return
        self.result.objects.extend(self.claims)
        self.result.objects.append(objects.workload(
            self.kind, self.name, self.labels, self.pod, replicas=self.replicas,
            extra=self.workload_spec))
        if self.ports:
            self.result.objects.append(
                objects.service(self.name, self.labels, self.ports, self.service_type))
        elif self.kind == "Deployment":
            self.note("ports", "untranslatable",
                      "the service declares no port, so no Kubernetes Service is made: "
                      "Swarm's virtual IP forwards any port, a Kubernetes Service only the "
                      "ports it lists. Add the port the container listens on under "
                      "`expose:` (Swarm ignores it) and translate again")

    def image(self, value: str) -> None:
        """``image`` → the container's ``image``: the same OCI reference syntax in both
        (https://docs.docker.com/reference/compose-file/services/#image,
        https://kubernetes.io/docs/concepts/containers/images/)."""
        self.container["image"] = value

    def entrypoint(self, value: Any) -> None:
        """``entrypoint`` → ``command``: both replace the image's ENTRYPOINT
        (https://kubernetes.io/docs/tasks/inject-data-application/
        define-command-argument-container/). A string is split as a shell would."""
        self.container["command"] = _words(value)

    def command(self, value: Any) -> None:
        """``command`` → ``args``: both replace the image's CMD (same source as
        :meth:`entrypoint`)."""
        self.container["args"] = _words(value)

    def environment(self, value: dict[str, str | None]) -> None:
        """``environment`` → ``env`` name/value pairs, in the order written. A variable with no
        value takes its value from the deploying shell in Compose
        (https://docs.docker.com/reference/compose-file/services/#environment); Kubernetes
        cannot, so it is reported."""
        env = []
        for key, text in value.items():
            if text is None:
                self.note(f"environment.{key}", "untranslatable",
                          "takes its value from the shell that deploys the stack: give it a "
                          "value, or take it from a ConfigMap or Secret")
            else:
                env.append({"name": key, "value": str(text)})
        if env:
            self.container["env"] = env

    def working_dir(self, value: str) -> None:
        """``working_dir`` → ``workingDir``: both set the process's working directory
        (https://docs.docker.com/reference/compose-file/services/#working_dir)."""
        self.container["workingDir"] = value

    def stop_grace_period(self, value: Any) -> None:
        """``stop_grace_period`` → ``terminationGracePeriodSeconds`` (both wait this long
        between SIGTERM and SIGKILL), rounded up to whole seconds
        (https://docs.docker.com/reference/compose-file/services/#stop_grace_period,
        https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination)."""
        seconds = parse_duration(value, f"services.{self.source}.stop_grace_period")
        self.pod["terminationGracePeriodSeconds"] = -int(-seconds // 1)

    def healthcheck(self, value: dict[str, Any]) -> None:
        """``healthcheck`` → a readiness probe running the same command.

        ``CMD`` runs the words as they are, ``CMD-SHELL`` (or a plain string) through
        ``/bin/sh -c`` (https://docs.docker.com/reference/dockerfile/#healthcheck);
        ``interval`` → ``periodSeconds``, ``timeout`` → ``timeoutSeconds``, ``retries`` →
        ``failureThreshold``, ``start_period`` → ``initialDelaySeconds``. Fields left out take
        Docker's defaults (30 s interval and timeout, 3 retries), which differ from
        Kubernetes' (10 s, 1 s, 3), so they are written out. (Docker first takes them from the
        image's own HEALTHCHECK, which a translation cannot see.) Swarm also uses an
        unhealthy result to replace the task, which is a liveness probe's job: reported, so
        that a learner decides (a liveness probe that fails on a slow dependency restarts
        healthy containers). ``disable`` or ``NONE`` gives no probe.
        """
        test = value.get("test")
        if value.get("disable") or test in (["NONE"], "NONE", None):
            return
        if isinstance(test, str):
            command = ["/bin/sh", "-c", test]
        elif test[0] == "CMD-SHELL":
            command = ["/bin/sh", "-c", " ".join(test[1:])]
        else:
            command = list(test[1:] if test[0] == "CMD" else test)
        probe: dict[str, Any] = {"exec": {"command": command}}
        where = f"services.{self.source}.healthcheck"
        seconds = {key: parse_duration(value.get(key, default), f"{where}.{key}")
                   for key, default in _HEALTHCHECK_DEFAULTS.items()}
        if seconds["start_period"]:
            probe["initialDelaySeconds"] = -int(-seconds["start_period"] // 1)
        probe["periodSeconds"] = max(1, -int(-seconds["interval"] // 1))
        probe["timeoutSeconds"] = max(1, -int(-seconds["timeout"] // 1))
        probe["failureThreshold"] = int(value.get("retries", 3))
        self.container["readinessProbe"] = probe
        self.note("healthcheck", "approximate",
                  "became a readinessProbe (no traffic until healthy); Swarm also replaces "
                  "unhealthy tasks: add a livenessProbe with the same check if you want that")

    def published_ports(self, value: list[dict[str, Any]]) -> None:
        """``ports`` → ``containerPort`` and Service ports.

        ``mode: ingress`` (published on every node by the routing mesh) → a Service of type
        :data:`PUBLISHED_SERVICE_TYPE` with ``port`` = published and ``targetPort`` = target.
        ``mode: host`` (published only on the node running the task) → a ``hostPort`` on the
        container, which is the same thing in Kubernetes
        (https://docs.docker.com/engine/swarm/ingress/#bypass-the-routing-mesh).
        A port without ``published`` is only reachable inside the cluster (ClusterIP).
        """
        for index, port in enumerate(value):
            target, published = port["target"], port.get("published")
            protocol = str(port.get("protocol") or "tcp").upper()
            if isinstance(published, str) and "-" in published:
                self.note(f"ports[{index}]", "untranslatable",
                          f"published range {published} for one target: Kubernetes Services "
                          "publish one port per entry")
                continue
            entry: dict[str, Any] = {"containerPort": int(target)}
            if protocol != "TCP":
                entry["protocol"] = protocol
            if port.get("mode") == "host" and published is not None:
                entry["hostPort"] = int(published)
            self.container.setdefault("ports", []).append(entry)
            if port.get("mode") != "host":
                if published is not None:
                    self.service_type = PUBLISHED_SERVICE_TYPE
                self.service_port(int(published or target), int(target), protocol)

    def exposed_ports(self, value: list[Any]) -> None:
        """``expose`` → ``containerPort`` and a ClusterIP Service port: the ports the service
        offers to the rest of the application (Swarm ignores ``expose``;
        https://docs.docker.com/reference/compose-file/services/#expose)."""
        for item in value:
            text, _, protocol = str(item).partition("/")
            if "-" in text:
                self.note("expose", "untranslatable", f"port range {item}: list the ports")
                continue
            entry: dict[str, Any] = {"containerPort": int(text)}
            if protocol and protocol.upper() != "TCP":
                entry["protocol"] = protocol.upper()
            self.container.setdefault("ports", []).append(entry)
            self.service_port(int(text), int(text), (protocol or "tcp").upper())

    def service_port(self, port: int, target: int, protocol: str) -> None:
        if any(p["port"] == port and p.get("protocol", "TCP") == protocol for p in self.ports):
            return
        entry: dict[str, Any] = {"name": f"{protocol.lower()}-{port}", "port": port,
                                 "targetPort": target}
        if protocol != "TCP":
            entry["protocol"] = protocol
        self.ports.append(entry)

    def volumes(self, value: list[dict[str, Any]]) -> None:
        """Named ``volume`` → a PersistentVolumeClaim mounted at the target; ``tmpfs`` → an
        ``emptyDir`` in memory; ``bind`` → reported (a host path means something on one
        machine only).

        Compose gives no size, so each claim asks for ``1Gi`` (reported). Swarm's local
        volumes live on one node, so a service with volumes is updated with strategy
        ``Recreate`` (Kompose does the same): a ReadWriteOnce claim cannot be mounted by the
        old and the new Pod at once on two nodes. With several replicas, Swarm gives each
        task its own volume on its node while all Pods here share one claim: reported
        (a StatefulSet with ``volumeClaimTemplates`` gives one per Pod).
        """
        for index, volume in enumerate(value):
            kind, target = volume.get("type"), volume.get("target")
            mount: dict[str, Any] = {"mountPath": target}
            if volume.get("read_only"):
                mount["readOnly"] = True
            if kind == "volume" and volume.get("source"):
                claim_name = objects.dns_label(f"{self.name}-{volume['source']}")
                self.claims.append(objects.claim(claim_name, self.labels, _STORAGE_REQUEST))
                source = {"persistentVolumeClaim": {"claimName": claim_name}}
                self.note(f"volumes[{index}]", "approximate",
                          f"became PersistentVolumeClaim {claim_name} of {_STORAGE_REQUEST} "
                          "(Compose gives no size: set the size you need)")
                self.workload_spec["strategy"] = {"type": "Recreate"}
            elif kind == "tmpfs" or (kind == "volume" and not volume.get("source")):
                source = {"emptyDir": {"medium": "Memory"} if kind == "tmpfs" else {}}
            else:
                self.note(f"volumes[{index}]", "untranslatable",
                          f"{kind} mount of {volume.get('source')}: a host path exists on one "
                          "machine only; use a PersistentVolumeClaim, a ConfigMap or, if you "
                          "must, a hostPath volume")
                continue
            mount["name"] = f"volume-{index}"
            self.container.setdefault("volumeMounts", []).append(mount)
            self.pod.setdefault("volumes", []).append({"name": f"volume-{index}", **source})

    def secrets(self, value: list[dict[str, Any]]) -> None:
        """Service ``secrets`` → one Secret volume per Swarm secret, each key mounted as one
        file with ``subPath`` at the path Swarm uses (``/run/secrets/<target>``, or the target
        itself when it is absolute: https://docs.docker.com/reference/compose-file/services/#secrets).

        Never the whole volume on ``/run/secrets``: Kubernetes mounts the service-account
        token at ``/var/run/secrets/kubernetes.io/serviceaccount``, ``/var/run`` links to
        ``/run`` in most images, and a read-only volume there makes the container fail to
        start (kubernetes/kubernetes#65835, #72261). The Secret itself (named after the Swarm
        secret, one key of the same name) is created by hand, as top-level ``secrets`` are
        reported. A ``subPath`` file is not refreshed when the Secret changes
        (https://kubernetes.io/docs/concepts/configuration/secret/); a Swarm secret cannot
        change under a running service either. ``uid``/``gid`` are reported.
        """
        for index, secret in enumerate(value):
            key, target = secret["source"], secret["target"]
            name = objects.dns_label(key)
            volume = f"secret-{name}"
            path = target if target.startswith("/") else f"/run/secrets/{target}"
            self.container.setdefault("volumeMounts", []).append(
                {"name": volume, "mountPath": path, "subPath": key, "readOnly": True})
            source: dict[str, Any] = {"secretName": name}
            if isinstance(secret.get("mode"), int):
                source["defaultMode"] = secret["mode"]
            if not any(v["name"] == volume for v in self.pod.get("volumes", [])):
                self.pod.setdefault("volumes", []).append({"name": volume, "secret": source})
            self.note(f"secrets[{index}]", "approximate",
                      f"mounted from Secret {name} (key {key}) at {path}; create it with "
                      f"`kubectl create secret generic {name} --from-file={key}=FILE`")
            for owner in ("uid", "gid"):
                if owner in secret:
                    self.note(f"secrets[{index}].{owner}", "untranslatable",
                              "Secret files belong to root; set the Pod's securityContext "
                              "(fsGroup) to let another user read them")

    def deploy(self, value: dict[str, Any]) -> None:
        rules = {"mode": self.mode, "replicas": self.set_replicas, "resources": self.resources,
                 "placement": self.placement, "update_config": self.update_config,
                 "restart_policy": self.restart_policy}
        for key, item in value.items():
            if item is None:
                continue
            if key in rules:
                rules[key](item)
            else:
                self.note(f"deploy.{key}", "untranslatable",
                          "no rule translates this field: carry it over by hand if needed")
        if self.claims and (self.replicas or 0) > 1:
            self.note("volumes", "approximate",
                      f"{self.replicas} replicas share each claim, where Swarm gives every "
                      "task a volume on its own node: use a StatefulSet with "
                      "volumeClaimTemplates for one volume per Pod")

    def mode(self, value: str) -> None:
        """``mode: global`` (one task per eligible node) → a DaemonSet; ``replicated`` → a
        Deployment; the job modes have no long-running equivalent and are reported
        (https://docs.docker.com/reference/compose-file/deploy/#mode,
        https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/)."""
        if value == "global":
            self.kind, self.replicas = "DaemonSet", None
        elif value != "replicated":
            self.note("deploy.mode", "untranslatable",
                      f"{value}: translate to a Kubernetes Job by hand "
                      "(https://kubernetes.io/docs/concepts/workloads/controllers/job/)")

    def set_replicas(self, value: int) -> None:
        """``replicas`` → ``spec.replicas``: both count the copies the controller keeps
        running (https://docs.docker.com/reference/compose-file/deploy/#replicas)."""
        if self.kind == "Deployment":
            self.replicas = int(value)

    def resources(self, value: dict[str, Any]) -> None:
        """``reservations`` → ``requests`` (what the scheduler places by, in both) and
        ``limits`` → ``limits`` (cpus → cores, memory → bytes as binary quantities).
        Generic resources (GPUs) are reported
        (https://docs.docker.com/reference/compose-file/deploy/#resources,
        https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)."""
        for section, field in (("reservations", "requests"), ("limits", "limits")):
            amounts = value.get(section) or {}
            out: dict[str, str] = {}
            if amounts.get("cpus") is not None:
                out["cpu"] = objects.cpu_quantity(compose_cpus(amounts["cpus"]))
            if amounts.get("memory") is not None:
                out["memory"] = objects.memory_quantity(compose_bytes(amounts["memory"]))
            for key in sorted(set(amounts) - {"cpus", "memory"}):
                self.note(f"deploy.resources.{section}.{key}", "untranslatable",
                          "generic resources and devices: request them as extended resources "
                          "(e.g. nvidia.com/gpu) offered by a device plugin")
            if out:
                self.container.setdefault("resources", {})[field] = out

    def placement(self, value: dict[str, Any]) -> None:
        """Constraints → required node affinity; ``spread`` preferences → topology spread.

        Every Swarm constraint must hold (AND), as every ``matchExpressions`` entry of one
        node selector term must: ``node.labels.X == Y`` → ``X In [Y]``, ``!=`` → ``NotIn``
        (https://docs.docker.com/reference/cli/docker/service/create/#constraint).
        ``node.hostname``, ``node.platform.os`` and ``node.platform.arch`` use the
        well-known labels ``kubernetes.io/hostname``, ``kubernetes.io/os`` and
        ``kubernetes.io/arch`` (x86_64 → amd64, aarch64 → arm64). ``node.role``, ``node.id``
        and ``engine.labels`` have no Kubernetes counterpart and are reported.

        ``spread: node.labels.X`` → a ``ScheduleAnyway`` topology spread constraint over
        label ``X``: both are soft and balance tasks over the label's values. Swarm ranks
        several preferences as a tree, Kubernetes weighs constraints independently.
        ``max_replicas_per_node: 1`` → a required pod anti-affinity on the hostname; larger
        limits have no Kubernetes counterpart.
        """
        expressions = []
        for constraint in value.get("constraints") or []:
            expression = self.constraint(constraint)
            if expression:
                expressions.append(expression)
        objects.node_requirements(self.pod, expressions)
        for index, preference in enumerate(value.get("preferences") or []):
            label = str(preference.get("spread", ""))
            if label.startswith("node.labels."):
                key = label.removeprefix("node.labels.")
                self.pod.setdefault("topologySpreadConstraints", []).append(
                    objects.spread(self.node_labels.get(key, key), self.labels, hard=False))
            else:
                self.note(f"deploy.placement.preferences[{index}]", "untranslatable",
                          f"spread over {label}: only node labels have a Kubernetes "
                          "counterpart (a node label as topologyKey)")
        if len(value.get("preferences") or []) > 1:
            self.note("deploy.placement.preferences", "approximate",
                      "Swarm spreads over several preferences as a tree (the first splits, "
                      "the next splits within); Kubernetes weighs the constraints independently")
        limit = value.get("max_replicas_per_node")
        if limit == 1:
            objects.add_pod_term(self.pod, "podAntiAffinity", objects.pod_affinity_term(
                self.labels, "kubernetes.io/hostname"))
        elif limit is not None:
            self.note("deploy.placement.max_replicas_per_node", "untranslatable",
                      f"at most {limit} per node: Kubernetes has no per-node maximum above 1; "
                      "a topology spread constraint over kubernetes.io/hostname with "
                      "DoNotSchedule keeps the counts even instead")
        for key in sorted(set(value) - {"constraints", "preferences", "max_replicas_per_node"}):
            self.note(f"deploy.placement.{key}", "untranslatable", "no rule translates this")

    def constraint(self, text: str) -> dict[str, Any] | None:
        operator = "!=" if "!=" in text else "==" if "==" in text else None
        if operator is None:
            self.note("deploy.placement.constraints", "untranslatable",
                      f"{text!r} has no == or != (Swarm refuses it too)")
            return None
        key, _, wanted = (part.strip() for part in text.partition(operator))
        if key.startswith("node.labels."):
            label = key.removeprefix("node.labels.")
            label = self.node_labels.get(label, label)
        elif key in _PLATFORM_KEYS:
            label = _PLATFORM_KEYS[key]
            wanted = _ARCH.get(wanted, wanted) if key == "node.platform.arch" else wanted
        else:
            self.note("deploy.placement.constraints", "untranslatable",
                      f"{text!r}: Kubernetes nodes have no {key}; label the nodes you mean "
                      "(kubectl label node NAME KEY=VALUE) and constrain on the label")
            return None
        return {"key": label, "operator": "In" if operator == "==" else "NotIn",
                "values": [wanted]}

    def update_config(self, value: dict[str, Any]) -> None:
        """``update_config`` → the Deployment's ``RollingUpdate`` strategy.

        ``order: start-first`` starts the new task before stopping the old one: ``maxSurge``
        = parallelism, ``maxUnavailable`` 0; ``stop-first`` (the default): ``maxSurge`` 0,
        ``maxUnavailable`` = parallelism; parallelism 0 (all at once) → 100%
        (https://docs.docker.com/reference/compose-file/deploy/#update_config,
        https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment).
        ``delay`` → ``minReadySeconds`` (approximate: Kubernetes waits that long after each
        new Pod is ready, Swarm between batches). ``failure_action: rollback`` is reported:
        a Deployment stops at ``progressDeadlineSeconds`` and never rolls back by itself.
        """
        if self.claims or self.kind != "Deployment":
            self.note("deploy.update_config", "untranslatable",
                      "not applied: the service uses the Recreate strategy (it has volumes) "
                      "or is a DaemonSet")
            return
        parallelism = int(value.get("parallelism", 1))
        step: int | str = parallelism if parallelism > 0 else "100%"
        start_first = value.get("order") == "start-first"
        self.workload_spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {
            "maxSurge": step if start_first else 0, "maxUnavailable": 0 if start_first else step}}
        if "delay" in value:
            delay = parse_duration(value["delay"], f"services.{self.source}.deploy.update_config")
            self.workload_spec["minReadySeconds"] = -int(-delay // 1)
            self.note("deploy.update_config.delay", "approximate",
                      "became minReadySeconds: Kubernetes waits after each new Pod is ready, "
                      "Swarm between update batches")
        if value.get("failure_action", "pause") != "pause":
            self.note("deploy.update_config.failure_action", "untranslatable",
                      f"{value['failure_action']}: a Deployment never rolls back by itself; it "
                      "reports ProgressDeadlineExceeded and you run kubectl rollout undo")
        for key in sorted(set(value) - {"parallelism", "order", "delay", "failure_action"}):
            self.note(f"deploy.update_config.{key}", "untranslatable",
                      "Kubernetes has no counterpart: rollouts are watched with "
                      "kubectl rollout status")

    def restart_policy(self, value: dict[str, Any]) -> None:
        """``restart_policy.condition: any`` is what a Deployment always does (its Pods have
        ``restartPolicy: Always``); other conditions and limits are reported
        (https://docs.docker.com/reference/compose-file/deploy/#restart_policy,
        https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy)."""
        if value.get("condition", "any") != "any" or set(value) - {"condition"}:
            self.note("deploy.restart_policy", "untranslatable",
                      "Deployment Pods always restart (restartPolicy: Always) with the "
                      "kubelet's back-off; for run-to-completion work use a Job")
