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

A negative number for an unsigned Go field (the counts of a service's ``deploy`` and
``healthcheck``, a long-syntax port's numbers) is one such error: the schemas give these
fields ``"type": "integer"`` (``retries`` ``"number"``) and no ``minimum``, so ``-1`` passes
the schema and ``decodeUint`` refuses it, ``cannot parse 'Deploy.Replicas', -1 overflows
uint`` (a float, which only ``retries`` takes, ``-1.500000 overflows uint``; a positive one
loses its fraction).
"""

from __future__ import annotations

from collections.abc import Iterable

from clustersim.manifests.errors import ANY, path_matches
from clustersim.manifests.safe_yaml import Path

__all__ = ["decoding_error", "go_path", "uint_refusal"]

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
    ("deploy", "replicas"), ("deploy", "placement", "max_replicas_per_node"),
    ("deploy", "update_config", "parallelism"), ("deploy", "rollback_config", "parallelism"),
    ("deploy", "restart_policy", "max_attempts"), ("healthcheck", "retries"),
    ("ports", ANY, "published"), ("ports", ANY, "target"),
)
"""The service's fields of an unsigned Go type (``*uint64``, ``uint64``, ``uint32``)."""


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


def uint_refusal(where: Path, value: object) -> str | None:
    """The loader's error for ``value`` at ``where`` (a path inside one service), when it is
    a negative number for an unsigned Go field, written as ``decodeUint`` writes it (a whole
    one with ``%d``, a float with ``%f``: ``-1.500000``); else ``None``."""
    unsigned = any(path_matches(pattern, where) for pattern in _UNSIGNED)
    if not unsigned or not isinstance(value, int | float) or isinstance(value, bool) \
            or value >= 0:
        return None
    written = f"{value:f}" if isinstance(value, float) else str(value)
    return decoding_error([f"cannot parse '{go_path(where)}', {written} overflows uint"])
