"""Which keys each Compose file v3 version allows: ``docker stack deploy`` checks a file
against the schema of the file's own ``version``, not the newest one.

docker/cli ``cli/compose/schema/schema.go`` (``Validate``) loads
``cli/compose/schema/data/config_schema_v3.<minor>.json`` for the file's version, so a
``version: "3.0"`` file with ``deploy.placement.preferences`` (a key of 3.3) or a top-level
``x-`` extension (3.4) is refused ("Additional property preferences is not allowed"), and a
mapping among the ports of a 3.1 file ("must be a string or number") too. The typed models of
:mod:`~clustersim.manifests.compose_types` follow the newest schema (3.14); the tables here
say, for each key the newest schema has and 3.0 had not, the minor version whose schema
first has it (read from the schema files, one version against the next), so that one walk
over a file finds what its own version refuses.

The types of the keys the versions share are the same in every schema: a long syntax
port's ``published`` is an integer wherever the long syntax is (3.2 on), ``cpus`` and
``memory`` are strings (a YAML number is refused, "must be a string", in a 3.5 file too:
``config_schema_v3.5.json``'s ``resource`` has ``"cpus": {"type": "string"}``, and the
docker CLI 28.2.2 refuses ``cpus: 0.5`` there so), ``extra_hosts`` a list or a mapping
(``list_or_dict``) from 3.0 on. Simplified: the schemas' few other changes are not modelled
(``credential_spec`` and the long volume syntax left open in 3.4, a build's keys, which
``docker stack deploy`` ignores).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from clustersim.manifests.errors import ANY
from clustersim.manifests.safe_yaml import Path

__all__ = ["LONG_SYNTAX", "NEWEST", "SINCE", "minor_of", "version_refusal"]

NEWEST = 14
"""The newest minor version docker/cli has a schema for (``config_schema_v3.14.json``)."""

EXTENSION = "x-*"
"""In a pattern of :data:`SINCE`, any key that starts with ``x-`` (the schemas'
``"patternProperties": {"^x-": {}}``)."""

_SERVICE = ("services", ANY)

_ADDED: dict[int, list[tuple[str, ...]]] = {
    1: [("secrets",), (*_SERVICE, "secrets")],
    2: [(*_SERVICE, "deploy", "endpoint_mode"), ("networks", ANY, "attachable")],
    3: [("configs",), (*_SERVICE, "configs"), (*_SERVICE, "credential_spec"),
        (*_SERVICE, "deploy", "placement", "preferences")],
    4: [(EXTENSION,), (*_SERVICE, "healthcheck", "start_period"),
        (*_SERVICE, "deploy", "update_config", "order"), ("volumes", ANY, "name")],
    5: [(*_SERVICE, "isolation"), ("networks", ANY, "name"), ("secrets", ANY, "name"),
        ("configs", ANY, "name"),
        (*_SERVICE, "deploy", "resources", "reservations", "generic_resources")],
    6: [(*_SERVICE, "volumes", ANY, "tmpfs")],
    7: [(*_SERVICE, "init"), (*_SERVICE, "deploy", "rollback_config"),
        *((section, ANY, EXTENSION) for section in ("services", "networks", "volumes",
                                                   "secrets", "configs")),
        ("secrets", ANY, "template_driver"), ("configs", ANY, "template_driver")],
    8: [(*_SERVICE, "deploy", "placement", "max_replicas_per_node"),
        (*_SERVICE, "credential_spec", "config"), ("secrets", ANY, "driver"),
        ("secrets", ANY, "driver_opts")],
    9: [(*_SERVICE, "cgroupns_mode")],
    10: [(*_SERVICE, "deploy", "resources", "limits", "pids")],
    13: [(*_SERVICE, "networks", ANY, "driver_opts"),
         (*_SERVICE, "healthcheck", "start_interval")],
    14: [(*_SERVICE, "oom_score_adj")],
}

SINCE: dict[tuple[str, ...], int] = {
    pattern: minor for minor, patterns in _ADDED.items() for pattern in patterns}
"""The first minor version whose schema has each key (a path pattern: :data:`~errors.ANY`
for any name or index, :data:`EXTENSION` for any ``x-`` key). Keys that 3.0 had are not
listed."""

LONG_SYNTAX: dict[tuple[str, ...], tuple[int, str]] = {
    (*_SERVICE, "ports", ANY): (2, "string or number"),
    (*_SERVICE, "volumes", ANY): (2, "string"),
}
"""The lists whose entries may be mappings (the long syntax) from a minor version on, and
what the schemas before it want instead, in docker/cli's ``humanReadableType`` words."""


def minor_of(version: str | None) -> int:
    """The minor version of a ``version`` docker/cli has a schema for (``"3.7"`` → 7); no
    version, ``""`` and ``"3"`` are the newest (``normalizeVersion`` in ``schema.go``)."""
    if version in (None, "", "3"):
        return NEWEST
    return int(str(version).removeprefix("3."))


def _matches(pattern: tuple[str, ...], path: Path) -> bool:
    """Whether ``path`` is ``pattern``, :data:`EXTENSION` matching an ``x-`` key."""
    return len(pattern) == len(path) and all(
        want in (ANY, part) or (want == EXTENSION and str(part).startswith("x-"))
        for want, part in zip(pattern, path, strict=True))


def _keys(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every key and list index of ``data`` with its value, depth first, in the file's
    order."""
    if isinstance(data, Mapping):
        items: Iterable[tuple[str | int, Any]] = data.items()
    else:
        items = enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        where = (*path, key)
        yield where, value
        yield from _keys(value, where)


def version_refusal(data: Mapping[str, Any], minor: int) -> tuple[Path, str, int] | None:
    """Where and why the schema of ``3.<minor>`` refuses ``data`` for a key or a long syntax
    of a later version, and the first version that has it; the deepest such place, the first
    of equals, as docker/cli's ``getMostSpecificError`` picks the error with the longest
    field path. ``None`` when the file's version has all it uses."""
    found: list[tuple[Path, str, int]] = []
    for where, value in _keys(data):
        since = next((since for pattern, since in SINCE.items() if _matches(pattern, where)), 0)
        if since > minor:
            found.append((where, f"Additional property {where[-1]} is not allowed", since))
            continue
        long_since, wanted = next((rule for pattern, rule in LONG_SYNTAX.items()
                                   if _matches(pattern, where)), (0, ""))
        if isinstance(value, Mapping) and long_since > minor:
            found.append((where, f"must be a {wanted}", long_since))
    return max(found, key=lambda item: len(item[0]), default=None)
