"""Marathon app, pod and group definitions → :class:`MarathonSpec` objects with absolute ids.

What Marathon does on ``POST /v2/apps``, ``/v2/pods`` and ``/v2/groups`` before anything else
(d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/raml/GroupConversion.scala``,
``UpdateGroupStructureOp``): every id is made absolute with ``PathId.canonicalPath``.

- A top-level app, pod or group is resolved against the root ``/``.
- Inside a group, the ids of its apps, pods and sub-groups, and the apps' ``dependencies``,
  are resolved against the group's own id; each child must land directly inside the group.
- A group's own ``dependencies`` are resolved against the group's id as well.
- A bare ``{"apps": [...]}`` (or ``groups``/``pods``) document is the root group ``/``; a JSON
  list of apps is several top-level apps.

An app is told from a pod by ``containers`` (pods) and from a group by ``apps``/``pods``/
``groups`` (d2iq-archive/marathon ``docs/docs/rest-api/public/api/v2/types/pod.raml``,
``group.raml``).
"""

from __future__ import annotations

from typing import Any

from clustersim.manifests import pathid
from clustersim.manifests.errors import ManifestError, together
from clustersim.manifests.marathon_networks import check_networks
from clustersim.manifests.marathon_types import (
    NOT_A_NUMBER,
    App,
    Group,
    Pod,
    nan_refusal,
    with_enums_as_read,
)
from clustersim.manifests.safe_yaml import Document, Path, without_nulls
from clustersim.manifests.specs import Spec
from clustersim.manifests.units import marathon_resources
from clustersim.manifests.validation import validate
from clustersim.manifests.workload import Port, Workload

__all__ = ["MarathonSpec", "load_marathon", "marathon_kind"]

_GROUP_KEYS = ("apps", "pods", "groups")
#: Every field a group has (``Group.scala``'s JSON). A document with no other field is a group
#: even while it holds nothing (the root ``{"id": "/"}``, an empty ``{"id": "/shop"}``): an
#: app needs ``cmd``, ``args`` or a ``container``.
_GROUP_FIELDS = frozenset({*_GROUP_KEYS, "id", "dependencies", "version", "enforceRole"})


class MarathonSpec(Spec):
    """A Marathon app, pod or group; ``manifest`` has every id resolved to an absolute path."""

    def workloads(self) -> list[Workload]:
        """The app, the pod, or every app and pod of the group tree, in the neutral shape.

        A group's ``dependencies`` are listed on each app and pod inside it, as Marathon's
        deployment plan treats them (``RootGroup.dependencyGraph``).
        """
        if self.kind == "Group":
            return _group_workloads(self.manifest, ())
        return [_app_workload(self.manifest, ())]


def marathon_kind(data: dict[str, Any]) -> str:
    """``"Pod"`` (has ``containers``), ``"Group"`` (has apps/pods/groups, or only group
    fields) or ``"App"``."""
    if "containers" in data:
        return "Pod"
    if any(key in data for key in _GROUP_KEYS) or (data and set(data) <= _GROUP_FIELDS):
        return "Group"
    return "App"


def _resolve_id(document: Document, path: Path, value: Any, base: str, *, child: bool,
                dependency: bool = False) -> str:
    """Resolve one id (or ``dependency``) against ``base``, checking Marathon's rules; an id
    (not a dependency, which names it) has at most ``pathid.MAX_SEGMENTS`` segments."""
    if not isinstance(value, str) or not value.strip("/"):
        found = "missing" if value is None else f"{value!r}, not a path"
        raise document.error(path, f"the id is {found}", 'an id such as "/shop/web" or "web"')
    problem = pathid.validate(value)
    if problem:
        raise document.error(
            path, problem, 'an id such as "/shop/web-1": lowercase letters, digits, "-" and "."'
        )
    resolved = pathid.canonical(value, base)
    if resolved == "/":     # "..", "/a/../.." climb to the root, which no app or group may be
        raise document.error(path, f"the id {value!r} resolves to the root group /",
                             'an id such as "/shop/web" or "web"')
    too_deep = None if dependency else pathid.depth_violation(resolved)
    if too_deep:
        raise document.error(path, f"the id {too_deep}", "an id such as /shop/web")
    if child and not pathid.is_child_of(resolved, base):
        raise document.error(
            path,
            f"Identifier is not child of {base}. Hint: use relative paths. ({value!r} resolves "
            f"to {resolved})",
            f"an id directly inside {base}",
        )
    return resolved


def _dependencies(document: Document, path: Path, data: dict[str, Any], base: str) -> list[str]:
    deps = data.get("dependencies")
    if deps is None:
        return []
    if not isinstance(deps, list):
        raise document.error(
            (*path, "dependencies"), "dependencies is not a list", "a list of app or group ids"
        )
    return [
        _resolve_id(document, (*path, "dependencies", i), dep, base, child=False,
                    dependency=True)
        for i, dep in enumerate(deps)
    ]


def _resolve_run_spec(document: Document, path: Path, data: Any, base: str, *, child: bool):
    """An app or pod with its id and dependencies resolved against ``base``."""
    if not isinstance(data, dict):
        raise document.error(path, "an app or pod is not a mapping", "a JSON object with an id")
    resolved = without_nulls(data)
    resolved["id"] = _resolve_id(document, (*path, "id"), data.get("id"), base, child=child)
    if "dependencies" in data:
        resolved["dependencies"] = _dependencies(document, path, data, base)
    return resolved


def _resolve_group(document: Document, path: Path, data: Any, base: str, *, child: bool):
    """A group with its id, its children's ids and all dependencies resolved."""
    if not isinstance(data, dict):
        raise document.error(path, "a group is not a mapping", "a JSON object with an id")
    if not child and data.get("id") in (None, "/"):
        group_id = "/"  # the root group
    else:
        group_id = _resolve_id(document, (*path, "id"), data.get("id"), base, child=child)
    # copy all but the children, which are resolved (and copied) one by one below
    resolved = {
        key: value if key in _GROUP_KEYS else without_nulls(value)
        for key, value in data.items() if value is not None or key in _GROUP_KEYS
    }
    resolved["id"] = group_id
    for key in _GROUP_KEYS:
        if key not in data or data[key] is None:
            continue
        if not isinstance(data[key], list):
            raise document.error((*path, key), f"{key} is not a list", f"a list of {key}")
        resolve = _resolve_group if key == "groups" else _resolve_run_spec
        resolved[key] = [
            resolve(document, (*path, key, i), item, group_id, child=True)
            for i, item in enumerate(data[key])
        ]
    if "dependencies" in data:
        resolved["dependencies"] = _dependencies(document, path, data, group_id)
    return resolved


SINGLE_INSTANCE_LABEL = "MARATHON_SINGLE_INSTANCE_APP"


def _broken(checks: Any) -> list[ManifestError]:
    """The refusals of ``checks`` (callables without arguments), each run whatever the
    others found, as Accord runs every validator of a definition."""
    errors = []
    for check in checks:
        try:
            check()
        except ManifestError as err:
            errors.append(err)
    return errors


def _check_app(document: Document, path: Path, app: App) -> None:
    """Rules across fields (d2iq-archive/marathon ``AppValidation``/``SchedulingValidation``),
    each of :data:`_APP_RULES` checked and every broken one reported together, as Accord
    reports every violation of a definition; one rule still stops at its first violation.
    They run on a typed app, so only once every field has passed its own check: an app
    with a field the loader refuses (``cpus: -1``) is refused for that alone, as Marathon's
    JSON reader refuses it (``Invalid JSON``) before Accord validates anything."""
    errors = _broken(lambda rule=rule: rule(document, path, app) for rule in _APP_RULES)
    if errors:
        raise together(errors)


def _check_command(document: Document, path: Path, app: App) -> None:
    """``containsCmdArgsOrContainer``: ``cmd`` or ``args``, never both, or a container."""
    cmd, args = bool(app.cmd), bool(app.args)
    container = app.container is not None and (
        app.container.docker is not None or getattr(app.container, "appc", None) is not None
    )
    if not ((cmd ^ args) or (not (cmd and args) and container)):
        raise document.error(
            path,
            "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
            "cmd or args (not both), or a container with an image",
        )


def _check_upgrade(document: Document, path: Path, app: App) -> None:
    """``complyWithUpgradeStrategyRules`` (a resident app, with ``residency`` or persistent
    volumes, must not over-provision during upgrades: its volumes live on one agent);
    ``complyWithSingleInstanceLabelRules`` (a single-instance app runs at most one instance
    and upgrades with 0 and 0)."""
    resident = _resident(app)
    strategy = app.upgrade_strategy
    single = (app.labels or {}).get(SINGLE_INSTANCE_LABEL) == "true"
    if single and (app.instances or 0) > 1:
        raise document.error(
            (*path, "instances"),
            "Single instance app may only have one instance",
            "instances: 0 or 1",
        )
    limits = {"maximumOverCapacity": 0.0, **({"minimumHealthCapacity": 0.0} if single else {})}
    if strategy is None or not (resident or single):
        return
    for field, allowed in limits.items():
        value = getattr(
            strategy,
            "maximum_over_capacity" if field.startswith("max") else "minimum_health_capacity",
        )
        if value is not None and value != allowed:
            who = (
                "a single-instance app" if single else "an app with residency or persistent volumes"
            )
            raise document.error(
                (*path, "upgradeStrategy", field),
                f"got {value}, expected {allowed} for {who}",
                f"{field}: 0",
            )


RESIDENT_ROLES = 'A resident {} must have `acceptedResourceRoles = ["*"]`.'
"""``ResourceRole.validAcceptedResourceRoles`` of a resident app or pod (d2iq-archive/marathon
``state/ResourceRole.scala``; ``PodsResourceTest`` asserts the pod's words at
``/acceptedResourceRoles``): a service whose persistent volumes Marathon reserves takes only
unreserved resources (``*``) to reserve them, so its list, when given, is ``["*"]``."""


def _check_resident_roles(document: Document, path: Path, roles: list[str] | None,
                          resident: bool, kind: str) -> None:
    """Refuse the ``acceptedResourceRoles`` (at ``path``) of a resident ``kind`` (app or
    pod) that name a role other than ``*`` (:data:`RESIDENT_ROLES`). The role of the same
    services, which may not be ``*``, depends on the Marathon and the group it joins:
    :class:`clustersim.marathon.roles.ResidentRoleError`."""
    if resident and roles and set(roles) != {"*"}:
        where = "" if kind == "app" else "scheduling.placement."
        raise document.error(path, RESIDENT_ROLES.format(kind),
                             f'{where}acceptedResourceRoles: ["*"], or none')


def _check_app_roles(document: Document, path: Path, app: App) -> None:
    """:func:`_check_resident_roles` of an app (``AppValidation``'s
    ``validAcceptedResourceRoles(app.isResident)``)."""
    _check_resident_roles(document, (*path, "acceptedResourceRoles"),
                          app.accepted_resource_roles, _resident(app), "app")


def _resident(app: App) -> bool:
    """Whether ``app`` is resident: it has ``residency`` or persistent volumes."""
    volumes = (app.container.volumes if app.container else None) or []
    return app.residency is not None or any(v.persistent for v in volumes)


def _check_health_check_ports(document: Document, path: Path, app: App) -> None:
    """``portIndexIsValid`` (d2iq-archive/marathon ``api/v2/validation/AppValidation.scala``):
    an HTTP, HTTPS or TCP health check without a command names one of the app's ports by
    ``portIndex`` (the container's port mappings if it has any, else the port definitions,
    one by default), or gives a ``port``, or the app has exactly one port."""
    container = app.container
    mappings = (container.port_mappings or (container.docker.port_mappings if container.docker
                                            else None)) if container else None
    if mappings:
        count = len(mappings)
    elif app.port_definitions is not None:
        count = len(app.port_definitions)
    else:
        count = len(app.ports) if app.ports is not None else 1
    for index, check in enumerate(app.health_checks or []):
        if check.command is not None or (check.protocol or "HTTP") not in ("HTTP", "HTTPS", "TCP"):
            continue
        if check.port_index is not None:
            valid = check.port_index < count
        else:
            valid = check.port is not None or count == 1
        if not valid:
            raise document.error(
                (*path, "healthChecks", index),
                "Health check port indices must address an element of the ports array or "
                "container port mappings.",
                f"portIndex from 0 to {count - 1}" if count else "a port, or a port for the "
                "app to check",
            )


def _check_network_apis(document: Document, path: Path, app: App) -> None:
    """Marathon 1.5 normalizes the networking of an app before it validates it (mesosphere/
    marathon ``raml/AppNormalization.scala``): the deprecated form (``ipAddress``,
    ``container.docker.network``, ``container.docker.portMappings``) and the canonical one
    (``networks``, ``container.portMappings``) may not be mixed."""
    docker = app.container.docker if app.container else None
    if app.networks and (app.ip_address is not None or (docker and docker.network)):
        raise document.error(
            (*path, "networks"),
            "cannot mix deprecated and canonical network APIs (networks together with "
            "ipAddress or container.docker.network)",
            "networks only (Marathon 1.5+), without ipAddress and container.docker.network",
        )
    if app.container and app.container.port_mappings and docker and docker.port_mappings:
        raise document.error(
            (*path, "container", "portMappings"),
            "cannot specify both portMappings and docker.portMappings",
            "container.portMappings only (Marathon 1.5+)",
        )
    _check_ports_match_networks(document, path, app)


def _check_ports_match_networks(document: Document, path: Path, app: App) -> None:
    """Host networking declares its ports in ``portDefinitions``, bridge and container
    networks in ``container.portMappings``; Marathon refuses the other combinations
    (d2iq-archive/marathon ``api/v2/validation/AppValidation.scala``,
    ``validateCanonicalAppAPI``: "portMappings are not allowed with host-networking",
    "portDefinitions are only allowed with host-networking"). A network without a mode is a
    container network (the RAML default), and a container network needs a name when Marathon
    has no ``--default_network_name`` (``AppValidationMessages.NetworkNameMustBeSpecified``;
    ``/v2/info`` reports ``default_network_name`` null here)."""
    modes = {network.mode or "container" for network in app.networks or []}
    if "host" in modes and app.container and app.container.port_mappings:
        raise document.error(
            (*path, "container", "portMappings"),
            "portMappings are not allowed with host-networking",
            "portDefinitions with host networking, or container.portMappings with "
            "networks: [{mode: container/bridge}] or a container network",
        )
    check_networks(document, (*path, "networks"), app.networks,
                    named_at=path)    # the app itself: Accord's "/"
    if modes - {"host"} and app.port_definitions:
        raise document.error(
            (*path, "portDefinitions"),
            "portDefinitions are only allowed with host-networking",
            "container.portMappings with a bridge or container network (and no "
            "portDefinitions), or networks: [{mode: host}]",
        )


_APP_RULES = (_check_command, _check_network_apis, _check_health_check_ports, _check_upgrade,
              _check_app_roles)
"""The rules across an app's fields, in the order Marathon's validator lists them."""


def _check_pod_networks(document: Document, path: Path, pod: Pod) -> None:
    """``podValidator``'s ``ramlNetworksValidator`` and ``defaultNetworkNameValidator`` on
    ``pod.networks``: a container network has a name when Marathon has no
    ``--default_network_name`` (d2iq-archive/marathon ``api/v2/validation/
    PodsValidation.scala`` and ``NetworkValidation.scala``)."""
    check_networks(document, (*path, "networks"), pod.networks, named_at=(*path, "networks"))


def _check_pod_roles(document: Document, path: Path, pod: Pod) -> None:
    """:func:`_check_resident_roles` of a pod with a persistent volume (``PodsValidation``
    names the list at the pod's ``/acceptedResourceRoles``)."""
    placement = pod.scheduling.placement if pod.scheduling else None
    _check_resident_roles(document, (*path, "acceptedResourceRoles"),
                          placement.accepted_resource_roles if placement else None,
                          any(v.persistent for v in pod.volumes or []), "pod")


def _check_pod_names(document: Document, path: Path, pod: Pod) -> None:
    """``PodsValidation``: container names and endpoint names are unique within a pod."""
    containers: set[str] = set()
    endpoints: set[str] = set()
    for index, container in enumerate(pod.containers):
        if container.name in containers:
            raise document.error(
                (*path, "containers", index, "name"),
                "container names are not unique",
                "a different name",
            )
        containers.add(container.name)
        for number, endpoint in enumerate(container.endpoints or []):
            if endpoint.name in endpoints:
                raise document.error(
                    (*path, "containers", index, "endpoints", number, "name"),
                    "endpoint names must be unique across all containers",
                    "a different name",
                )
            endpoints.add(endpoint.name)


_POD_RULES = (_check_pod_networks, _check_pod_roles, _check_pod_names)
"""The rules across a pod's fields (``PodsValidation.podValidator``)."""


def _check_apps(document: Document, path: Path, typed: Any) -> None:
    """Run the rules on an app or pod, or on every app and pod of a group tree, and report
    every violation of all of them together: Marathon validates a group with each app's
    and pod's validator (``GroupValidation``, Accord's ``every``), and its 422 lists each
    violation at its path (``/apps(1)``, ``/pods(0)/networks``: ``failureWrites``,
    ``api/v2/Validation.scala``). A group with a field the loader refuses is refused for
    its fields alone (the rules run on typed apps)."""
    errors = _broken(_checks(document, path, typed))
    if errors:
        raise together(errors)


def _checks(document: Document, path: Path, typed: Any) -> list[Any]:
    """The checks :func:`_check_apps` runs, one per app and per pod rule."""
    if isinstance(typed, App):
        return [lambda: _check_app(document, path, typed)]
    if isinstance(typed, Pod):
        return [lambda rule=rule: rule(document, path, typed) for rule in _POD_RULES]
    found = []
    for field, items in (("apps", typed.apps), ("pods", typed.pods), ("groups", typed.groups)):
        for index, item in enumerate(items or []):
            found += _checks(document, (*path, field, index), item)
    return found


def _first_nan(data: Any, where: Path) -> Path | None:
    """Where the first NaN of ``data`` is, in the document's order, or None. YAML can write
    one (``.nan``) in any field; JSON, which Marathon reads, cannot
    (:func:`~clustersim.manifests.marathon_types.nan_refusal`), so every field refuses it
    alike, before the models compare it with a bound it is neither below nor above."""
    if isinstance(data, dict | list):
        for key, item in data.items() if isinstance(data, dict) else enumerate(data):
            found = _first_nan(item, (*where, key))
            if found is not None:
                return found
        return None
    return where if nan_refusal(data) else None


def load_marathon(document: Document) -> list[MarathonSpec]:
    """The apps, pods or groups of one Marathon document (a JSON object or a list of apps)."""
    items = document.data if isinstance(document.data, list) else [document.data]
    specs = []
    for index, data in enumerate(items):
        path: Path = (index,) if isinstance(document.data, list) else ()
        if not isinstance(data, dict):
            raise document.error(path, "an app is not a mapping", "a JSON object with an id")
        kind = marathon_kind(data)
        nan = _first_nan(data, path)
        if nan is not None:
            raise document.error(nan, NOT_A_NUMBER, "a number")
        typed = validate({"App": App, "Pod": Pod, "Group": Group}[kind], document, path)
        _check_apps(document, path, typed)
        data = with_enums_as_read(typed, data)
        if kind == "Group":
            manifest = _resolve_group(document, path, data, "/", child=False)
        else:
            manifest = _resolve_run_spec(document, path, data, "/", child=False)
        specs.append(
            MarathonSpec(
                system="marathon",
                kind=kind,
                name=manifest["id"],
                source=document.source,
                line=document.line_of(path),
                manifest=manifest,
                typed=typed,
            )
        )
    return specs


def _constraint_text(constraint: Any) -> str:
    if isinstance(constraint, dict):  # a pod constraint {fieldName, operator, value}
        parts = [constraint.get("fieldName"), constraint.get("operator"), constraint.get("value")]
    else:
        parts = list(constraint)
    return ":".join(str(part) for part in parts if part is not None)


def _app_workload(app: dict[str, Any], dependencies: tuple[str, ...]) -> Workload:
    """An app or pod (ids already absolute) in the neutral shape."""
    cpus, mem = marathon_resources(app)
    container = app.get("container") or {}
    if "containers" in app:  # a pod
        kind = "Pod"
        instances = (app.get("scaling") or {}).get("instances")
        replicas = 1 if instances is None else int(instances)
        placement = (app.get("scheduling") or {}).get("placement") or {}
        constraints = placement.get("constraints") or []
        roles = placement.get("acceptedResourceRoles") or []
        ports = [
            Port(
                endpoint.get("containerPort"),
                endpoint.get("hostPort") or None,
                ",".join(endpoint.get("protocol") or ["tcp"]),
            )
            for c in app["containers"]
            for endpoint in c.get("endpoints") or []
        ]
        volumes = [
            f"{v.get('name', '?')}: {'persistent' if v.get('persistent') else 'volume'}"
            for v in app.get("volumes") or []
        ]
    else:
        kind = "App"
        replicas = 1 if app.get("instances") is None else int(app["instances"])
        constraints = app.get("constraints") or []
        roles = app.get("acceptedResourceRoles") or []
        mappings = (
            container.get("portMappings")
            or (container.get("docker") or {}).get("portMappings")
            or []
        )
        if mappings:
            ports = [
                Port(m.get("containerPort"), m.get("hostPort") or None, m.get("protocol") or "tcp")
                for m in mappings
            ]
        else:
            # host networking: each port definition is a host port (0: Marathon picks one)
            fixed = bool(app.get("requirePorts"))
            ports = [
                Port(
                    d.get("port") or None,
                    d.get("port") if fixed and d.get("port") else None,
                    d.get("protocol") or "tcp",
                )
                for d in app.get("portDefinitions") or []
            ]
        volumes = []
        for volume in container.get("volumes") or []:
            persistent = volume.get("persistent")
            source = (
                f"persistent {persistent.get('size')} MiB"
                if persistent
                else volume.get("hostPath") or "volume"
            )
            volumes.append(f"{source} → {volume.get('containerPath')} ({volume.get('mode', 'RW')})")
    rules = [_constraint_text(c) for c in constraints]
    if roles:
        rules.append(f"resource roles {', '.join(roles)}")
    return Workload(
        name=app["id"],
        system="marathon",
        kind=kind,
        replicas=replicas,
        cpu=cpus,
        memory=mem,
        ports=tuple(ports),
        placement=tuple(rules),
        volumes=tuple(volumes),
        dependencies=(*dependencies, *(app.get("dependencies") or [])),
        labels={k: str(v) for k, v in (app.get("labels") or {}).items()},
    )


def _group_workloads(group: dict[str, Any], inherited: tuple[str, ...]) -> list[Workload]:
    """Every app and pod of a group tree; a group's dependencies apply to all it contains."""
    dependencies = (*inherited, *(group.get("dependencies") or []))
    workloads = [_app_workload(app, dependencies) for app in group.get("apps") or []]
    workloads += [_app_workload(pod, dependencies) for pod in group.get("pods") or []]
    for child in group.get("groups") or []:
        workloads += _group_workloads(child, dependencies)
    return workloads
