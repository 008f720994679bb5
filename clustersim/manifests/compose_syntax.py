"""Compose short syntaxes → long forms, as docker/cli's loader writes them before converting.

Upstream: docker/cli ``cli/compose/loader/loader.go`` (ports, ``environment``,
``depends_on``, ``secrets``/``configs``, the name of an external secret or config),
``cli/compose/loader/volume.go`` (volumes) and docker/go-connections ``nat.ParsePortSpec``
(port ranges); the rules are listed in :mod:`clustersim.manifests.compose`, which calls these
for each service.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from clustersim.manifests.compose_types import PROPAGATIONS, PortLong, VolumeLong
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.safe_yaml import Document, Path, copy_data
from clustersim.manifests.validation import validate

__all__ = [
    "MAX_PORTS",
    "PROTOCOLS",
    "expand_depends_on",
    "expand_environment",
    "expand_file_refs",
    "expand_port",
    "expand_volume",
    "external_name",
    "text_of",
]

MAX_PORTS = 65535
"""The most port entries the stacks of one source may expand to together (ranges counted
port by port)."""
_PORT_RANGE = re.compile(r"[0-9]+(?:-[0-9]+)?")
PROTOCOLS = ("tcp", "udp", "sctp")
"""The protocols a swarm publishes a port with: swarmkit's ``PortConfig.Protocol`` names in
lower case, the zero value first (``api/types.proto``), which are also those go-connections'
``nat.ParsePortSpec`` accepts; the Compose loader and the Engine API's ServiceSpec
(:mod:`clustersim.serve.dockervalidate`) read ports by this one table."""


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


def _protocol(document: Document, path: Path, protocol: str, short: Any = None) -> str:
    """A port's protocol in lower case, as both ways of writing a port end up: the short
    syntax's is lower-cased by go-connections' ``nat.ParsePortSpec``, which refuses any but
    tcp, udp and sctp (``invalid proto: xyz``); the long syntax's is sent as written and
    the daemon looks it up in upper case, publishing an unknown one as tcp without a word.
    Both are refused here with one message; ``short`` is the short-syntax entry, if any."""
    if protocol.lower() in PROTOCOLS:
        return protocol.lower()
    said = f"the port {short!r} has the protocol {protocol!r}" if short is not None \
        else f"the protocol {protocol!r} is not one a swarm publishes"
    docker = ("docker stack deploy refuses it (\"invalid proto\")" if short is not None else
              "docker stack deploy would send it and the daemon publish the port as tcp "
              "without a word")
    raise document.error(path, f"{said}: {docker}", "tcp, udp or sctp")


def _too_many_ports(document: Document, path: Path, value: Any) -> ManifestError:
    return document.error(
        path,
        f"the port {value!r} takes the stack (with any before it in the same source) past "
        f"{MAX_PORTS} ports: the simulator expands "
        f"every range into one entry per port and stops at {MAX_PORTS}, the number of port "
        "numbers that exist (a published port is used once per swarm)",
        "fewer or narrower port ranges",
    )


def expand_port(
    document: Document, path: Path, value: Any, room: int = MAX_PORTS
) -> list[dict[str, Any]]:
    """One ``ports`` entry in short or long syntax → its long-syntax entries.

    ``room`` is how many entries the source may still add (:data:`MAX_PORTS` in all); a range
    that would pass it is refused before it is expanded."""
    if isinstance(value, dict):
        validate(PortLong, document, path, compose=True)
        if room < 1:
            raise _too_many_ports(document, path, value)
        entry = {"mode": "ingress", "protocol": "tcp", **value}
        entry["mode"] = entry["mode"].lower()     # the daemon reads it in upper case
        published = entry.setdefault("published", None)
        if (published or 0) > 65535:
            raise document.error(
                (*path, "published"),
                f"the published port {published!r} is above 65535: docker stack deploy "
                "sends it (a uint32) and the swarm stores the service, but "
                + ("no node can publish the port" if entry["mode"] == "host" else
                   "its port allocator cannot allocate the port, so the service's tasks "
                   "stay New and never start"),
                "a number from 0 to 65535",
            )
        if isinstance(entry["protocol"], str):
            entry["protocol"] = _protocol(document, (*path, "protocol"), entry["protocol"])
        return [entry]
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise document.error(
            path,
            f"the port {value!r} is not a number or a string",
            '"[HOST:]CONTAINER[/PROTOCOL]" such as "8080:80"',
        )
    text, _, protocol = str(value).partition("/")
    protocol = _protocol(document, path, protocol or "tcp", value)
    parts = text.split(":")  # nat.ParsePortSpec's splitParts: [IP:][PUBLISHED:]TARGET
    ip = ":".join(parts[:-2])
    published = parts[-2] if len(parts) > 1 else ""
    if (
        not _PORT_RANGE.fullmatch(parts[-1])
        or (published and not _PORT_RANGE.fullmatch(published))
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
    targets: list[int] | range = range(target_begin, target_end + 1)
    publishes: list[int | None] | range = [None] * count
    if published is not None:
        publishes = range(pub_begin, pub_end + 1)
        if count == 1 and len(publishes) > 1:
            # one target, a range of published ports: one entry per published port, as
            # docker/cli's opts.ConvertPortToPortConfig writes them for a swarm service
            targets = [target_begin] * min(len(publishes), room + 1)
        elif len(publishes) != count:
            raise document.error(
                path,
                f"the port ranges in {value!r} differ in length",
                "published and target ranges of the same length",
            )
    if len(targets) > room:
        raise _too_many_ports(document, path, value)
    entries = []
    for target, pub in zip(targets, publishes, strict=False):
        entry: dict[str, Any] = {
            "target": target,
            "published": pub,
            "protocol": protocol,
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
        validate(VolumeLong, document, path, compose=True)
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
        elif option in PROPAGATIONS:
            entry["bind"] = {"propagation": option}
    return entry


def expand_file_refs(document: Document, path: Path, values: list, kind: str) -> list[dict]:
    """Service ``secrets``/``configs`` (a list, as the service's typing checked) →
    ``[{source, target, ...}]``, targets as docker/cli."""
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


def expand_environment(document: Document, path: Path, value: dict | list
                       ) -> dict[str, str | None]:
    """``environment`` (a mapping or a list, as the service's typing checked) → a mapping."""
    if isinstance(value, dict):
        return {str(key): text_of(item) for key, item in value.items()}
    result: dict[str, str | None] = {}
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item or item.startswith("="):
            raise document.error(
                (*path, index), f"the variable {item!r} cannot be read", '"KEY=value" or "KEY"'
            )
        key, sep, text = item.partition("=")
        result[key] = text if sep else None
    return result


def expand_depends_on(value: list[str]) -> dict[str, dict]:
    """A list of names, as docker/cli's Compose file format 3 schemas allow
    (``"depends_on": {"$ref": "#/definitions/list_of_strings"}`` in
    ``cli/compose/schema/data/config_schema_v3.*.json``) and the service's typing checked
    before: the Compose Specification's long form (a mapping with ``condition``) fails that
    schema, so ``docker stack deploy`` refuses it with ``services.NAME.depends_on must be a
    list``, and so does this loader."""
    return {name: {"condition": "service_started", "required": True} for name in value}


def external_name(key: str, declaration: Any) -> str | None:
    """The name of the existing secret or config that a top-level ``declaration`` under
    ``key`` stands for, as docker/cli's ``loadFileObjectConfig`` resolves it (its
    ``transformExternal`` reads a mapping as ``external: true``): ``external.name`` (deprecated
    since file version 3.5), else ``name``, else ``key``; None when it is not external, the
    stack then creating it. Both names together are refused by the loader
    (:mod:`clustersim.manifests.compose`) as docker/cli refuses them."""
    declaration = declaration if isinstance(declaration, dict) else {}
    external = declaration.get("external")
    if isinstance(external, dict):      # a mapping, even {}, is external
        return external.get("name") or declaration.get("name") or key
    return (declaration.get("name") or key) if external is True else None
