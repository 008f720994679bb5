"""Compose files (Swarm stacks) → one :class:`StackSpec`, short syntaxes expanded to long forms.

``docker stack deploy -c file.yml`` reads a Compose file with docker/cli's own loader; this
loader produces the same long forms, so a simulator reads one shape only (docker/cli
``cli/compose/loader/loader.go``, ``cli/compose/loader/volume.go``,
``cli/compose/convert/service.go``; the Compose file reference, compose-spec ``spec.md``):

- ``ports``: ``"[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]"`` with ranges, or numbers → a list of
  ``{target, published, protocol, mode}`` (``mode`` defaults to ``ingress``, the routing mesh;
  ``published`` is ``None`` when Swarm picks a port). Port ranges expand to one entry per port,
  as docker/go-connections ``nat.ParsePortSpec`` does; a host IP is dropped, as docker/cli
  drops it (Swarm publishes on every node). The bounds (1-65535) are checked before a range
  is expanded, and a stack expands to at most :data:`MAX_PORTS` entries, so that a few bytes
  (``"1-65535"`` forty times) cannot cost gigabytes.
- ``volumes``: ``"[SOURCE:]TARGET[:MODE]"`` → ``{type, source, target, read_only}``; a source
  that is a path (``/``, ``.``, ``~`` or a Windows drive) is a ``bind``, anything else a named
  ``volume``; a target alone is an anonymous volume. Options: ``ro``/``rw``, ``nocopy``
  (``volume: {nocopy: true}``), a propagation mode (``bind: {propagation: ...}``); others
  are ignored, as docker/cli ignores them.
- ``secrets``/``configs``: a name → ``{source, target}``; the target defaults as docker/cli
  does: the secret's name (mounted under ``/run/secrets/``) and ``/<name>`` for a config.
- ``environment``: ``["A=1", "B"]`` → ``{"A": "1", "B": None}``; values become strings.
- ``depends_on``: a list → ``{service: {condition: "service_started", required: True}}``; the
  long form (a mapping) is refused, as docker/cli's version 3 schemas refuse it.
- ``networks`` (service): a list → ``{name: None}``.
- ``deploy`` is kept as written (simulators apply Swarm's defaults).

What swarmkit refuses when the stack is deployed is refused here too (moby/swarmkit
``manager/controlapi``): a service without an image ("ContainerSpec: image reference must be
provided", e.g. an override file deployed alone), an image that is not a valid reference
(docker/distribution's grammar: "... is not a valid repository/tag"), a service name that
is not a DNS name component ("name must be valid as a DNS name component"), and a ``dnsrr``
service with ingress ports ("port published with ingress mode can't be used with dnsrr
mode"); so does what docker/cli refuses while converting (``replicas`` with ``global``
mode). The Swarm simulator converts what this loader accepts, so it never refuses a stack
that loaded (``tests/unit/test_swarm_spec.py``).

Options that ``docker stack deploy`` refuses (``mem_limit``, ``extends``...) raise a
``ManifestError``; options it ignores (``build``, ``restart``, ``container_name``...) load
with the warning it prints ("Ignoring unsupported options: restart").

Variables (``${VAR:-default}``) are substituted first, from the ``environment`` passed to
``load_manifests`` (never the process environment).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any, cast

from clustersim.manifests.compose_types import (
    DEPRECATED,
    FORBIDDEN,
    SERVICE_KEYS,
    TOP_KEYS,
    UNSUPPORTED,
    PortLong,
    Service,
    VolumeLong,
    service_name,
)
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.interpolate import InterpolationError, interpolate
from clustersim.manifests.safe_yaml import Document, Path, copy_data
from clustersim.manifests.specs import Spec
from clustersim.manifests.validation import validate
from clustersim.manifests.workload import Port, Workload

__all__ = ["MAX_PORTS", "StackSpec", "expand_port", "expand_volume", "load_compose", "text_of"]

MAX_PORTS = 65535
"""The most port entries one stack may expand to (ranges counted port by port)."""
_PORT_RANGE = re.compile(r"[0-9]+(?:-[0-9]+)?")
_PROTOCOLS = ("tcp", "udp", "sctp")
_PROPAGATIONS = ("shared", "rshared", "slave", "rslave", "private", "rprivate")


class StackSpec(Spec):
    """A Compose file deployed as a Swarm stack; ``manifest`` has the long forms."""

    @property
    def services(self) -> dict[str, dict[str, Any]]:
        return self.manifest.get("services") or {}

    def workloads(self) -> list[Workload]:
        """One workload per service, named ``<stack>_<service>`` as Swarm names services.

        Swarm places by reservations (``deploy.resources.reservations``); ``global`` and
        ``global-job`` services run one task per eligible node (``replicas=None``). The
        ``depends_on`` names are listed, though ``docker stack deploy`` ignores them
        (https://docs.docker.com/reference/compose-file/deploy/, "depends_on ... ignored").
        """
        return [
            _service_workload(self.name, name, service, self.typed[name])
            for name, service in self.services.items()
        ]


def _service_workload(stack: str, name: str, service: dict[str, Any], typed: Any) -> Workload:
    deploy = typed.deploy
    mode = (deploy.mode if deploy else None) or "replicated"
    replicas = None if mode.startswith("global") else 1
    if replicas is not None and deploy is not None and deploy.replicas is not None:
        replicas = deploy.replicas
    reservation = deploy.resources.reservations if deploy and deploy.resources else None
    placement = deploy.placement if deploy else None
    rules = list((placement.constraints or []) if placement else [])
    rules += [
        f"spread over {p.spread}" for p in ((placement.preferences or []) if placement else [])
    ]
    if placement and placement.max_replicas_per_node is not None:
        rules.append(f"at most {placement.max_replicas_per_node} per node")
    volumes = [
        f"{v.get('source') or '(anonymous)'}:{v.get('target')}"
        + (":ro" if v.get("read_only") else "")
        for v in service.get("volumes") or []
    ]
    return Workload(
        name=f"{stack}_{name}",
        system="swarm",
        kind="Service",
        replicas=replicas,
        cpu=(reservation.cpus if reservation and reservation.cpus is not None else Decimal(0)),
        memory=(reservation.memory if reservation and reservation.memory is not None else 0),
        ports=tuple(
            Port(p.get("target"), p.get("published"), p.get("protocol", "tcp"))
            for p in service.get("ports") or []
        ),
        placement=tuple(rules),
        volumes=tuple(volumes),
        dependencies=tuple(service.get("depends_on") or {}),
        labels={str(k): str(v) for k, v in (service.get("labels") or {}).items()}
        if isinstance(service.get("labels"), dict)
        else {},
    )


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _range(text: str) -> tuple[int, int]:
    begin, _, end = text.partition("-")
    return _port_number(begin), _port_number(end or begin)


def _port_number(digits: str) -> int:
    """The number, or 10**6 (out of range) for one of thousands of digits (never parsed)."""
    return int(digits) if len(digits.lstrip("0")) <= 6 else 10**6


def _too_many_ports(document: Document, path: Path, value: Any) -> ManifestError:
    return document.error(
        path,
        f"the port {value!r} takes the stack past {MAX_PORTS} ports: the simulator expands "
        f"every range into one entry per port and stops at {MAX_PORTS}, the number of port "
        "numbers that exist (a published port is used once per swarm)",
        "fewer or narrower port ranges",
    )


def expand_port(
    document: Document, path: Path, value: Any, room: int = MAX_PORTS
) -> list[dict[str, Any]]:
    """One ``ports`` entry in short or long syntax → its long-syntax entries.

    ``room`` is how many entries the stack may still add (:data:`MAX_PORTS` in all); a range
    that would pass it is refused before it is expanded."""
    if isinstance(value, dict):
        validate(PortLong, document, path)
        if room < 1:
            raise _too_many_ports(document, path, value)
        entry = {"mode": "ingress", "protocol": "tcp", **value}
        entry.setdefault("published", None)
        return [entry]
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise document.error(
            path,
            f"the port {value!r} is not a number or a string",
            '"[HOST:]CONTAINER[/PROTOCOL]" such as "8080:80"',
        )
    text, _, protocol = str(value).partition("/")
    parts = text.split(":")  # nat.ParsePortSpec's splitParts: [IP:][PUBLISHED:]TARGET
    ip = ":".join(parts[:-2])
    published = parts[-2] if len(parts) > 1 else ""
    if (
        not _PORT_RANGE.fullmatch(parts[-1])
        or (published and not _PORT_RANGE.fullmatch(published))
        or (protocol or "tcp") not in _PROTOCOLS
        or (ip and not _is_ip(ip.strip("[]")))
    ):
        raise document.error(
            path,
            f"the port {value!r} cannot be read",
            '"[IP:][PUBLISHED:]TARGET[/PROTOCOL]" such as "8080:80/tcp"',
        )
    target_begin, target_end = _range(parts[-1])
    published = published or None
    pub_begin, pub_end = _range(published) if published is not None else (0, 0)
    # the bounds first: a range such as 1-300000000 is refused before anything is expanded
    if (
        not 0 < target_begin <= target_end <= 65535
        or not 0 <= pub_begin <= pub_end <= 65535
    ):
        raise document.error(
            path, f"the port {value!r} is outside 1-65535", "ports between 1 and 65535"
        )
    count = target_end - target_begin + 1
    if count > room:
        raise _too_many_ports(document, path, value)
    if published is not None:
        if pub_end - pub_begin + 1 == count:
            publishes: list[int | str | None] | range = range(pub_begin, pub_end + 1)
        elif count == 1:
            publishes = [published if pub_end != pub_begin else pub_begin]
        else:
            raise document.error(
                path,
                f"the port ranges in {value!r} differ in length",
                "published and target ranges of the same length",
            )
    else:
        publishes = [None] * count
    entries = []
    for target, pub in zip(range(target_begin, target_end + 1), publishes, strict=True):
        entry: dict[str, Any] = {
            "target": target,
            "published": pub,
            "protocol": protocol or "tcp",
            "mode": "ingress",
        }
        entries.append(entry)
    return entries


def _is_path(source: str) -> bool:
    """``isFilePath``: ``.``, ``/``, ``~``, a Windows drive (``C:``) or a named pipe (``\\\\``)."""
    return source.startswith((".", "/", "~", "\\\\")) or (
        len(source) > 1 and source[0].isalpha() and source[1] == ":"
    )


def _split_volume(text: str) -> list[str]:
    """Split ``SOURCE:TARGET:OPTIONS`` on colons as docker/cli's ``ParseVolume`` scans it: a
    colon right after a single letter belongs to a Windows drive (``C:\\data``); empty
    sections are kept (and refused by the caller)."""
    parts: list[str] = []
    buffer = ""
    for char in text:
        if char == ":" and not (len(buffer) == 1 and buffer.isalpha()):
            parts.append(buffer)
            buffer = ""
        else:
            buffer += char
    return [*parts, buffer]


def expand_volume(document: Document, path: Path, value: Any) -> dict[str, Any]:
    """One service ``volumes`` entry in short or long syntax → the long syntax."""
    if isinstance(value, dict):
        validate(VolumeLong, document, path)
        entry = {"read_only": False, **value}
        entry.setdefault("source", None)
        return entry
    if not isinstance(value, str) or not value:
        raise document.error(
            path,
            f"the volume {value!r} is not a string",
            '"[SOURCE:]TARGET[:MODE]" such as "data:/var/lib/data:ro"',
        )
    parts = [value] if len(value) <= 2 else _split_volume(value)  # 1-2 characters: a target
    if len(parts) > 3 or not all(parts):
        raise document.error(
            path,
            f"the volume {value!r} cannot be read",
            '"[SOURCE:]TARGET[:MODE]" such as "data:/var/lib/data:ro"',
        )
    if len(parts) == 1:
        return {"type": "volume", "source": None, "target": parts[0], "read_only": False}
    source, target = parts[0], parts[1]
    entry: dict[str, Any] = {
        "type": "bind" if _is_path(source) else "volume",
        "source": source,
        "target": target,
        "read_only": False,
    }
    for option in parts[2].split(",") if len(parts) == 3 else []:
        if option in ("ro", "rw"):
            entry["read_only"] = option == "ro"
        elif option == "nocopy":
            entry["volume"] = {"nocopy": True}
        elif option in _PROPAGATIONS:
            entry["bind"] = {"propagation": option}
    return entry


def _expand_file_refs(document: Document, path: Path, values: Any, kind: str) -> list[dict]:
    """Service ``secrets``/``configs`` → ``[{source, target, ...}]``, targets as docker/cli."""
    if not isinstance(values, list):
        raise document.error(path, f"{kind} is not a list", f"a list of {kind} names")
    entries = []
    for index, value in enumerate(values):
        entry = {"source": value} if isinstance(value, str) else copy_data(value)
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
            raise document.error(
                (*path, index),
                f"an entry of {kind} has no source",
                f"a {kind[:-1]} name, or a mapping with source",
            )
        if not entry.get("target"):
            entry["target"] = entry["source"] if kind == "secrets" else "/" + entry["source"]
        entries.append(entry)
    return entries


def text_of(value: Any) -> str | None:
    """A Compose value as text: ``true``/``false`` for booleans, ``str()`` for the rest."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expand_environment(document: Document, path: Path, value: Any) -> dict[str, str | None]:
    if isinstance(value, dict):
        return {str(key): text_of(item) for key, item in value.items()}
    if not isinstance(value, list):
        raise document.error(
            path,
            "environment is neither a list nor a mapping",
            'a list of "KEY=value" or a mapping',
        )
    result: dict[str, str | None] = {}
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item or item.startswith("="):
            raise document.error(
                (*path, index), f"the variable {item!r} cannot be read", '"KEY=value" or "KEY"'
            )
        key, sep, text = item.partition("=")
        result[key] = text if sep else None
    return result


def _expand_depends_on(document: Document, path: Path, value: Any) -> dict[str, dict]:
    """A list of names, as docker/cli's Compose file format 3 schemas allow
    (``"depends_on": {"$ref": "#/definitions/list_of_strings"}`` in
    ``cli/compose/schema/data/config_schema_v3.*.json``). The Compose Specification's long
    form (a mapping with ``condition``) fails that schema, so ``docker stack deploy`` refuses
    it with ``services.NAME.depends_on must be a list``; so does this loader."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise document.error(
            path,
            "depends_on must be a list (docker stack deploy reads Compose file format 3, "
            "which has no long form with condition:)",
            "a list of service names",
        )
    return {name: {"condition": "service_started", "required": True} for name in value}


def _expand_service(
    document: Document, path: Path, service: Any, ports_used: list[int]
) -> tuple[dict[str, Any], Any]:
    """One service in long forms, and its typed model. ``ports_used`` holds the number of port
    entries the stack's earlier services expanded to (updated here)."""
    if service is None:
        service = {}
    if not isinstance(service, dict):
        raise document.error(path, "a service is not a mapping", "a mapping with image, deploy ...")
    for key in service:
        if key in FORBIDDEN:
            raise document.error(
                (*path, key), "Configuration contains forbidden properties", FORBIDDEN[key]
            )
    result = copy_data(service)
    if "ports" in service:
        if not isinstance(service["ports"], list):
            raise document.error((*path, "ports"), "ports is not a list", "a list of ports")
        result["ports"] = []
        for index, port in enumerate(service["ports"]):
            room = MAX_PORTS - ports_used[0] - len(result["ports"])
            result["ports"] += expand_port(document, (*path, "ports", index), port, room)
        ports_used[0] += len(result["ports"])
    if "volumes" in service:
        if not isinstance(service["volumes"], list):
            raise document.error((*path, "volumes"), "volumes is not a list", "a list of volumes")
        result["volumes"] = [
            expand_volume(document, (*path, "volumes", index), volume)
            for index, volume in enumerate(service["volumes"])
        ]
    for kind in ("secrets", "configs"):
        if kind in service:
            result[kind] = _expand_file_refs(document, (*path, kind), service[kind], kind)
    if "environment" in service:
        result["environment"] = _expand_environment(
            document, (*path, "environment"), service["environment"]
        )
    if "depends_on" in service:
        result["depends_on"] = _expand_depends_on(
            document, (*path, "depends_on"), service["depends_on"]
        )
    if isinstance(service.get("networks"), list):
        result["networks"] = {str(name): None for name in service["networks"]}
    problem = service_name(str(path[-1]))
    if problem:
        raise document.error(
            path,
            f"the service {path[-1]!r} cannot be created: {problem}",
            "a service name of letters, digits, '-' and '_' that starts and ends with a letter "
            "or digit (at most 63 characters), e.g. web or api_v2",
        )
    typed = cast(Service, validate(Service, document, path)) if service else Service()
    if typed.deploy and typed.deploy.endpoint_mode == "dnsrr" and any(
            port.get("mode", "ingress") == "ingress" for port in result.get("ports") or []):
        raise document.error(  # swarmkit manager/controlapi/service.go, validateEndpointSpec
            (*path, "ports"),
            "EndpointSpec: port published with ingress mode can't be used with dnsrr mode",
            "mode: host for the ports of a dnsrr service",
        )
    if typed.image is None:
        raise document.error(
            (*path, "image"),
            "ContainerSpec: image reference must be provided (a service deployed to a swarm "
            "needs an image; an override file needs the file it overrides)",
            "image: such as nginx:1.27",
        )
    return result, typed


def _ignored_options(services: dict[str, Any]) -> list[str]:
    """What ``docker stack deploy`` prints before deploying: the options Swarm ignores."""
    keys = {key for service in services.values() if isinstance(service, dict) for key in service}
    warnings = []
    if keys & UNSUPPORTED:
        warnings.append(f"Ignoring unsupported options: {', '.join(sorted(keys & UNSUPPORTED))}")
    warnings += [
        f"Ignoring deprecated options: {key}: {DEPRECATED[key]}"
        for key in sorted(keys & DEPRECATED.keys())
    ]
    return warnings


def _unknown_keys(data: dict[str, Any]) -> list[str]:
    """Keys that the Compose file v3 schema does not allow (``docker stack deploy`` refuses
    them with "Additional property ... is not allowed"). Reported as warnings: the simulator's
    key lists are those of the newest 3.x schema, and some keys belong to other versions."""
    found = [(key, "the top level") for key in data if key not in TOP_KEYS]
    for name, service in (data.get("services") or {}).items():
        if isinstance(service, dict):
            found += [(key, f"services.{name}") for key in service if key not in SERVICE_KEYS]
    return [
        f"{where}: Additional property {key} is not allowed (docker stack deploy refuses it)"
        for key, where in found
        if not str(key).startswith("x-")
    ]


def stack_name(data: dict[str, Any], source: str) -> str:
    """The stack's name: the file's top-level ``name``, else the file stem, else ``stack``."""
    if isinstance(data.get("name"), str) and data["name"]:
        return data["name"]
    if source.startswith("<"):
        return "stack"
    return PurePath(source).stem


_INTERPOLATED = ("services", "networks", "volumes", "secrets", "configs")


def load_compose(
    document: Document, environment: Mapping[str, str] | None = None
) -> list[StackSpec]:
    """The stack of one Compose document: variables substituted from ``environment``
    (:mod:`~clustersim.manifests.interpolate`), every service's short syntaxes expanded."""
    data = dict(document.data)
    unset: list[str] = []
    for section in _INTERPOLATED:
        if section in data:
            try:
                data[section], missing = interpolate(data[section], environment or {}, (section,))
            except InterpolationError as err:
                raise document.error(
                    err.path, str(err), "the variable in load_manifests(..., environment={...})"
                ) from None
            unset += missing
    document = document.sub((), data)
    services = data.get("services")
    if not isinstance(services, dict):
        raise document.error(
            ("services",),
            "services is not a mapping",
            "a mapping from service name to its definition",
        )
    manifest = {key: copy_data(value) for key, value in data.items() if key != "services"}
    ports_used = [0]
    expanded = {
        str(name): _expand_service(document, ("services", name), service, ports_used)
        for name, service in services.items()
    }
    manifest["services"] = {name: service for name, (service, _) in expanded.items()}
    return [
        StackSpec(
            system="swarm",
            kind="Stack",
            name=stack_name(data, document.source),
            source=document.source,
            line=document.line,
            manifest=manifest,
            typed={name: typed for name, (_, typed) in expanded.items()},
            warnings=(
                *(
                    f"The {name} variable is not set. Defaulting to a blank string."
                    for name in dict.fromkeys(unset)
                ),
                *_ignored_options(services),
                *_unknown_keys(data),
            ),
        )
    ]
