"""Marathon pod → Kubernetes: one Pod template with one container per pod container.

A Marathon pod (d2iq-archive/marathon ``docs/docs/pods.md``, ``docs/docs/rest-api/public/api/
v2/types/pod.raml``) already is what Kubernetes calls a Pod: containers that are placed
together and share a network namespace and volumes. So each pod becomes a Deployment (a
StatefulSet when it has persistent volumes) whose template holds the same containers; the
pod-level rules (instances, constraints, upgrade strategy, labels, networks) are the app
rules of :mod:`clustersim.translate.marathon`, read from the pod's own field names.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clustersim.translate import objects
from clustersim.translate.marathon import _IGNORED, _App

__all__ = ["MarathonPod"]

_POD_HANDLED = {"id", "containers", "scaling", "scheduling", "environment", "labels",
                "networks", "volumes", "executorResources", "version"}
_NO_RULE = "no rule translates this field: carry it over by hand if needed"
_CONTAINER_HANDLED = {"name", "image", "exec", "resources", "resourceLimits", "endpoints",
                      "environment", "healthCheck", "volumeMounts", "lifecycle"}


class MarathonPod(_App):
    """One Marathon pod on its way to Kubernetes."""

    image_field = "containers"

    def translate(self) -> None:
        self.pod["containers"] = []
        for index, spec in enumerate(self.app.get("containers") or []):
            self.pod_container(index, spec)
        scheduling = self.app.get("scheduling") or {}
        placement = scheduling.get("placement") or {}
        self.constraints([[c.get("fieldName"), c.get("operator"), *(
            [c["value"]] if c.get("value") is not None else [])]
            for c in placement.get("constraints") or []])
        self.marathon_labels(self.app.get("labels") or {})
        self.pod_volumes(self.app.get("volumes") or [])
        self.upgrade_strategy(scheduling.get("upgrade") or {})
        self.networks(self.app.get("networks") or [])
        if self.app.get("executorResources"):
            self.note("executorResources", "approximate",
                      "Kubernetes runs no executor per Pod: the kubelet's own overhead is "
                      "reserved on the node (kube-reserved), not per Pod")
        for key in sorted(set(scheduling) - {"placement", "upgrade"}):
            self.note(f"scheduling.{key}", "untranslatable", _IGNORED.get(
                key, _IGNORED.get(f"{key}Seconds", _NO_RULE)))
        for key in sorted(set(self.app) - _POD_HANDLED):
            self.note(key, "untranslatable", _IGNORED.get(key, _NO_RULE))
        self.emit()

    def replicas(self) -> int:
        """``scaling.instances`` → ``replicas`` (default 1)."""
        return int((self.app.get("scaling") or {}).get("instances", 1))

    def pod_container(self, index: int, spec: dict[str, Any]) -> None:
        """One pod container → one container: ``image.id`` → ``image``, ``exec.command.shell``
        → ``command`` through ``/bin/sh -c``, ``resources`` and ``resourceLimits`` →
        ``resources`` (as an app's), ``endpoints`` →
        ports, ``healthCheck`` → probes (as an app's), ``environment`` (the pod's, then the
        container's) → ``env``, ``lifecycle.killGracePeriodSeconds`` →
        ``terminationGracePeriodSeconds``."""
        self.container = {"name": objects.dns_label(spec.get("name") or f"container-{index}")}
        self.pod["containers"].append(self.container)
        where = f"containers[{index}]"
        if (spec.get("image") or {}).get("id"):
            self.container["image"] = spec["image"]["id"]
        shell = ((spec.get("exec") or {}).get("command") or {}).get("shell")
        if shell:
            self.container["command"] = ["/bin/sh", "-c", shell]
        resources = spec.get("resources") or {}
        self.container["resources"] = self.resource_requirements(
            Decimal(str(resources.get("cpus", 0))),
            int(Decimal(str(resources.get("mem", 0))) * 2**20), resources.get("disk"),
            spec.get("resourceLimits") or {})
        for number, endpoint in enumerate(spec.get("endpoints") or []):
            protocols = endpoint.get("protocol") or ["tcp"]
            self.port(endpoint.get("containerPort") or endpoint.get("hostPort"),
                      endpoint.get("hostPort") if endpoint.get("containerPort") else None,
                      {**endpoint, "protocol": protocols[0]}, f"{where}.endpoints[{number}]")
        self.environment({**(self.app.get("environment") or {}),
                          **(spec.get("environment") or {})})
        if spec.get("healthCheck"):
            self.health_checks([self.app_health_check(spec["healthCheck"], spec)])
        for mount in spec.get("volumeMounts") or []:
            entry = {"name": objects.dns_label(mount["name"]), "mountPath": mount["mountPath"]}
            if mount.get("readOnly"):
                entry["readOnly"] = True
            self.container.setdefault("volumeMounts", []).append(entry)
        grace = (spec.get("lifecycle") or {}).get("killGracePeriodSeconds")
        if grace:
            self.pod["terminationGracePeriodSeconds"] = max(
                int(grace), self.pod.get("terminationGracePeriodSeconds", 0))
        for key in sorted(set(spec) - _CONTAINER_HANDLED):
            self.note(f"{where}.{key}", "untranslatable", {
                "artifacts": "Kubernetes does not download artifacts: build them into the "
                             "image, or fetch them in an init container"}.get(
                key, _NO_RULE))

    def app_health_check(self, check: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
        """A pod container's ``healthCheck`` (``http``/``tcp``/``exec`` with an endpoint
        name) in the app shape that :meth:`health_checks` reads."""
        converted = {k: v for k, v in check.items() if k.endswith("Seconds") or k ==
                     "maxConsecutiveFailures"}
        ports = {e.get("name"): e.get("containerPort") or e.get("hostPort")
                 for e in spec.get("endpoints") or []}
        for kind in ("http", "tcp"):
            if kind in check:
                converted["port"] = ports.get(check[kind].get("endpoint"))
                converted["protocol"] = "TCP" if kind == "tcp" else str(
                    check[kind].get("scheme", "HTTP")).upper()
                converted["path"] = check[kind].get("path", "/")
        if "exec" in check:
            converted["protocol"] = "COMMAND"
            converted["command"] = {"value": (check["exec"].get("command") or {}).get("shell")}
        return converted

    def check_port(self, check: dict[str, Any]) -> int | None:
        return int(check["port"]) if check.get("port") else None

    def pod_volumes(self, volumes: list[dict[str, Any]]) -> None:
        """Pod volumes: ``persistent`` → a StatefulSet claim template (as for apps), an empty
        volume → ``emptyDir`` (both live as long as the Pod), ``host`` → reported."""
        templates = []
        for index, volume in enumerate(volumes):
            name = objects.dns_label(volume["name"])
            if volume.get("persistent"):
                size = objects.memory_quantity(int(volume["persistent"].get("size", 0)) * 2**20)
                templates.append({"metadata": {"name": name}, "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": size}}}})
            elif volume.get("host"):
                self.note(f"volumes[{index}]", "untranslatable",
                          f"host path {volume['host']}: use a PersistentVolumeClaim (or a "
                          "hostPath volume, if you must)")
                self.drop_mounts(name)
            else:
                self.pod.setdefault("volumes", []).append({"name": name, "emptyDir": {}})
        if templates:
            self.kind = "StatefulSet"
            self.extra["volumeClaimTemplates"] = templates

    def drop_mounts(self, name: str) -> None:
        """Remove the mounts of a volume that was not translated (it is reported)."""
        for container in self.pod["containers"]:
            mounts = [m for m in container.get("volumeMounts", []) if m["name"] != name]
            if mounts:
                container["volumeMounts"] = mounts
            else:
                container.pop("volumeMounts", None)
