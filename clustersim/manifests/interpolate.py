"""Variable substitution in Compose files, as ``docker stack deploy`` does it.

Upstream: docker/cli ``cli/compose/template/template.go`` (``Substitute``) and
``cli/compose/interpolation/interpolation.go``; documented at
https://docs.docker.com/reference/compose-file/interpolation/. Every string value (not keys)
may use ``$VAR``, ``${VAR}``, ``${VAR:-default}`` (unset or empty), ``${VAR-default}``
(unset), ``${VAR:?message}``/``${VAR?message}`` (an error), and ``$$`` for a literal ``$``.
A default is used as written (``${PASS:-$2y$05$...}`` keeps its ``$`` signs); compose-go,
which ``docker compose`` uses, would substitute inside it.

A value that substitution changed is then converted where the schema wants a number or a
boolean (docker/cli ``cli/compose/loader/interpolate.go``, ``interpolateTypeCastMapping``):
``replicas: ${N:-2}`` becomes the integer 2.

The variables come from the ``environment`` given to ``load_manifests`` only, never from the
process environment, so that a lab runs the same everywhere. An unset variable without a
default becomes the empty string, with the warning docker prints ("The X variable is not
set. Defaulting to a blank string.").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from clustersim.goformat import atoi, parse_float
from clustersim.manifests.errors import ANY, path_matches

__all__ = ["InterpolationError", "interpolate"]

_PATTERN = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|\{(?P<braced>[_a-z][_a-z0-9]*)"
    r"(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<invalid>))",
    re.IGNORECASE,
)


def _to_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("y", "yes", "true", "on"):
        return True
    if lowered in ("n", "no", "false", "off"):
        return False
    raise ValueError(f"invalid boolean: {text}")


_CASTS: list[tuple[tuple[str, ...], Any]] = [
    (("services", ANY, *tail), cast)
    for tail, cast in [
        (("configs", ANY, "mode"), atoi),
        (("secrets", ANY, "mode"), atoi),
        (("healthcheck", "retries"), atoi),
        (("healthcheck", "disable"), _to_bool),
        (("deploy", "replicas"), atoi),
        (("deploy", "update_config", "parallelism"), atoi),
        (("deploy", "update_config", "max_failure_ratio"), parse_float),
        (("deploy", "rollback_config", "parallelism"), atoi),
        (("deploy", "rollback_config", "max_failure_ratio"), parse_float),
        (("deploy", "restart_policy", "max_attempts"), atoi),
        (("deploy", "placement", "max_replicas_per_node"), atoi),
        (("ports", ANY, "target"), atoi),
        (("ports", ANY, "published"), atoi),
        (("ulimits", ANY), atoi),
        (("ulimits", ANY, "hard"), atoi),
        (("ulimits", ANY, "soft"), atoi),
        (("privileged",), _to_bool),
        (("read_only",), _to_bool),
        (("stdin_open",), _to_bool),
        (("tty",), _to_bool),
        (("volumes", ANY, "read_only"), _to_bool),
        (("volumes", ANY, "volume", "nocopy"), _to_bool),
    ]
] + [
    ((section, ANY, "external"), _to_bool)
    for section in ("networks", "volumes", "secrets", "configs")
] + [
    (("networks", ANY, "internal"), _to_bool),
    (("networks", ANY, "attachable"), _to_bool),
]


def _cast(path: tuple, value: str) -> Any:
    for pattern, cast in _CASTS:
        if path_matches(pattern, path):
            try:
                return cast(value)
            except ValueError as err:
                raise InterpolationError(f"failed to cast to expected type: {err}", path) from None
    return value


class InterpolationError(ValueError):
    """A ``${...}`` that cannot be substituted; ``path`` is where it is."""

    def __init__(self, message: str, path: tuple) -> None:
        super().__init__(message)
        self.path = path


def _substitute(text: str, variables: Mapping[str, str], path: tuple, unset: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        if match["invalid"] is not None:
            raise InterpolationError(f"Invalid template: {text!r}", path)
        name = match["named"] or match["braced"]
        op, arg = match["op"], match["arg"] or ""
        value = variables.get(name)
        missing = value is None or (op is not None and op.startswith(":") and value == "")
        if op in (":-", "-") and missing:
            return arg  # taken as written: docker/cli does not substitute inside a default
        if op in (":?", "?") and missing:
            raise InterpolationError(f"required variable {name} is missing a value: {arg}", path)
        if value is None:
            unset.append(name)
            return ""
        return value

    return _PATTERN.sub(replace, text)


def interpolate(data: Any, variables: Mapping[str, str], path: tuple = ()) -> tuple[Any, list[str]]:
    """``data`` with every string value substituted, and the names of unset variables used."""
    unset: list[str] = []

    def walk(value: Any, where: tuple) -> Any:
        if isinstance(value, str):
            if "$" not in value:
                return value
            substituted = _substitute(value, variables, where, unset)
            return value if substituted == value else _cast(where, substituted)
        if isinstance(value, dict):
            return {key: walk(item, (*where, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*where, index)) for index, item in enumerate(value)]
        return value

    return walk(data, path), unset
