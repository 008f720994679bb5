"""How ``docker stack deploy`` decodes a Compose service once the schema passed it, and its
words when that fails.

docker/cli's loader (``cli/compose/loader/loader.go``, ``Transform``) decodes each service
into ``types.ServiceConfig`` (``cli/compose/types/types.go``) with mapstructure, without weak
typing. mapstructure names a field by its ``mapstructure`` tag where it has one
(``update_config``, ``max_attempts``, ``cpus``) and by its Go field name where it has none
(``Deploy``, ``Replicas``, ``HealthCheck``), joined with dots and list indices
(``Deploy.Replicas``, ``Ports[0].Published``). The wording is go-viper/mapstructure v2's,
which docker/cli took in place of mitchellh/mapstructure in June 2024 (pull request 4744), as
the docker CLI 28.2.2 prints it: ``decoding failed due to the following error(s):``, a blank
line, then each field's error on a line of its own, in the order of the struct's fields
(``errors.Join``; mitchellh's ``1 error(s) decoding:`` with sorted ``* `` lines is gone).
The decoder goes on after a field's error (go-viper/mapstructure ``mapstructure.go``:
``decodeStructFromMap`` and ``decodeSlice`` collect every field's and item's error and join
them), so one service's errors come together, in the order of ``ServiceConfig``'s fields,
the fields of each nested struct in theirs and a list's items in turn
(:func:`decoding_points`). docker/cli decodes service by service (``LoadServices``, in Go's
random map order) and stops at the first service that fails; the schema is checked, for the
whole file, before any decoding, so a schema error is reported instead of them.

A negative number for an unsigned Go field (the counts of a service's ``deploy`` and
``healthcheck``, a long-syntax port's numbers) is one such error: the schemas give these
fields ``"type": "integer"`` (``retries`` ``"number"``) and no ``minimum``, so ``-1`` passes
the schema and ``decodeUint`` refuses it, ``cannot parse 'Deploy.Replicas', -1 overflows
uint`` (a float, which only ``retries`` takes, ``-1.500000 overflows uint``; a positive one
loses its fraction).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clustersim.manifests.errors import ANY, path_matches
from clustersim.manifests.safe_yaml import Path

__all__ = ["decoding_error", "decoding_points", "go_path", "uint_refusal"]

_GO_NAMES = {
    "deploy": "Deploy", "replicas": "Replicas", "placement": "Placement",
    "resources": "Resources", "limits": "Limits", "reservations": "Reservations",
    "parallelism": "Parallelism", "healthcheck": "HealthCheck", "retries": "Retries",
    "ports": "Ports", "published": "Published", "target": "Target",
}
"""The Go field names of the service keys on the way to a field the loader reports a
decoding error of, where the field carries no ``mapstructure`` tag (a tagged field is named
by its key, as written)."""

_UNSIGNED = (
    ("deploy", "replicas"), ("deploy", "update_config", "parallelism"),
    ("deploy", "rollback_config", "parallelism"), ("deploy", "restart_policy", "max_attempts"),
    ("deploy", "placement", "max_replicas_per_node"), ("healthcheck", "retries"),
    ("ports", ANY, "target"), ("ports", ANY, "published"),
)
"""The service's fields of an unsigned Go type (``*uint64``, ``uint64``, ``uint32``), in the
order of their Go structs' fields (docker/cli ``cli/compose/types/types.go``:
``ServiceConfig``'s ``Deploy`` before ``HealthCheck`` before ``Ports``; ``DeployConfig``'s
``Replicas``, ``UpdateConfig``, ``RollbackConfig``, ``RestartPolicy``, ``Placement``;
``ServicePortConfig``'s ``Target`` before ``Published``)."""


def go_path(where: Path) -> str:
    """The name mapstructure gives the field at ``where`` (a path inside one service)."""
    name = ""
    for part in where:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + _GO_NAMES.get(part, part)
    return name


def decoding_error(points: Iterable[str]) -> str:
    """go-viper/mapstructure v2's error of ``Decode`` for the errors ``points``, one a line in
    the order given (the decoder meets the fields in the struct's order)."""
    return "decoding failed due to the following error(s):\n\n" + "\n".join(points)


def _uint_point(where: Path, value: object) -> str | None:
    """``decodeUint``'s error for ``value`` at ``where`` (a path inside one service), when it
    is a negative number for an unsigned Go field (a whole one written with ``%d``, a float
    with ``%f``: ``-1.500000``); else ``None``."""
    unsigned = any(path_matches(pattern, where) for pattern in _UNSIGNED)
    if not unsigned or not isinstance(value, int | float) or isinstance(value, bool) \
            or value >= 0:
        return None
    written = f"{value:f}" if isinstance(value, float) else str(value)
    return f"cannot parse '{go_path(where)}', {written} overflows uint"


def uint_refusal(where: Path, value: object) -> str | None:
    """The loader's error for ``value`` at ``where`` (a path inside one service) alone, when
    it is a negative number for an unsigned Go field; else ``None``."""
    point = _uint_point(where, value)
    return decoding_error([point]) if point else None


def _at(data: Any, where: Path) -> Any:
    """The value at ``where`` inside ``data``, or ``None`` where a step finds nothing."""
    for part in where:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def decoding_points(service: Any) -> list[tuple[Path, str]]:
    """Every decoding error of the service mapping ``service`` (as written, after
    interpolation) with its path inside it, in the order mapstructure meets them: each
    unsigned field of :data:`_UNSIGNED` in turn, a long-syntax port's ``target`` and
    ``published`` port by port. A float reaches the decoder only as ``retries``: the schema
    types the other counts ``"integer"`` and refuses it first."""
    ports = _at(service, ("ports",))
    paths = [pattern for pattern in _UNSIGNED if ANY not in pattern] + [
        (*pattern[:1], index, *pattern[2:]) for index in range(len(ports)
                                                               if isinstance(ports, list) else 0)
        for pattern in _UNSIGNED if ANY in pattern]
    values = ((where, _at(service, where)) for where in paths)
    points = ((where, _uint_point(where, value)) for where, value in values
              if not isinstance(value, float) or where == ("healthcheck", "retries"))
    return [(where, point) for where, point in points if point]
