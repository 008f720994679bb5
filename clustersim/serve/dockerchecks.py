"""The Docker daemon's checks and refusals that need no swarm state, for
:mod:`clustersim.serve.docker`: list filters and boolean query parameters, secret and config
specs, the lookups of objects outside swarm mode, and the names of services created without
one.

Each names its upstream source (moby/moby, moby/swarmkit, docker/cli) in its docstring.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Container
from typing import Any

from clustersim.goformat import NumError, parse_int
from clustersim.serve.core import HttpError, Request, decode_json

__all__ = ["NOT_SIMULATED", "check_stored_spec", "enum_filter", "flag", "label_matches",
           "missing_object", "parse_bool_arg", "parse_filters", "prefixed", "service_name",
           "unix_timestamp"]


def parse_filters(text: str | None, accepted: tuple[str, ...] | None) -> dict[str, list[str]]:
    """The ``filters`` query parameter; a key outside ``accepted`` is refused as the
    daemon's ``filters.Args.Validate`` refuses it (400 ``invalid filter 'key'``; the
    accepted keys of each list are moby's, ``daemon/cluster/filters.go``), and any key is
    taken with ``accepted`` None (``GET /events`` calls no ``Validate``). Text Go's decoder
    cannot read, nested past its depth included, is ``invalid filter`` too (``FromJSON``)."""
    if not text:
        return {}
    invalid = HttpError(400, f"invalid filter '{text}'")
    try:
        raw = decode_json(text, invalid)
    except json.JSONDecodeError:
        raise invalid from None
    if not isinstance(raw, dict) or not all(isinstance(v, list | dict) for v in raw.values()):
        raise HttpError(400, f"invalid filter '{text}'")
    unknown = sorted(set(raw) - set(accepted if accepted is not None else raw))
    if unknown:
        raise HttpError(400, f"invalid filter '{unknown[0]}'")
    return {k: [str(x) for x in v] if isinstance(v, list)
            else [str(k2) for k2, on in v.items() if on] for k, v in raw.items()}


def unix_timestamp(text: str) -> tuple[int, int]:
    """``text``, a Unix time as the CLI sends it (``seconds`` or ``seconds.fraction``), as
    seconds and nanoseconds, read as Engine 25's ``ParseTimestamps`` reads it (moby
    ``api/types/time/timestamp.go``, ``parseTimestamp``): each part by ``strconv.ParseInt``
    (a sign is allowed), the fraction scaled to nine digits as a float. A text it refuses
    raises :class:`~clustersim.goformat.NumError` with Go's words. The CLI turns ``10m`` or
    an RFC 3339 time into this form itself (``GetTimestamp``), against its own clock."""
    seconds, dot, fraction = text.partition(".")
    whole = parse_int(seconds, signed=True)
    nanos = parse_int(fraction, signed=True) if dot else 0
    return whole, int(nanos * 10.0 ** (9 - len(fraction))) if dot else 0


def flag(request: Request, key: str) -> bool:
    """A boolean query parameter as the daemon reads it (moby ``api/server/httputils``
    ``BoolValue``): false when absent, empty, ``0``, ``no``, ``false`` or ``none`` in any case
    and around spaces, true otherwise (``?force=1``, ``?details=true``, Docker's Python SDK's
    ``True``, ``?stdout=yes``). Python's ``strip`` takes a few more control characters
    (``\x1c`` to ``\x1f``) for spaces than Go's ``TrimSpace``."""
    return (request.arg(key, "") or "").strip().lower() not in ("", "0", "no", "false", "none")


_GO_BOOLS = {**dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
             **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False)}
"""The texts Go's ``strconv.ParseBool`` reads (golang/go ``src/strconv/atob.go``)."""


def parse_bool_arg(request: Request, key: str) -> bool:
    """A boolean query parameter the daemon reads with ``strconv.ParseBool`` rather than
    :func:`flag` (moby ``api/server/router/swarm/cluster_routes.go`` in Engine 25,
    ``getServices``' ``status``): false when absent or empty; another text than ParseBool's
    twelve is a 400, ``invalid value for status: yes: strconv.ParseBool: parsing "yes":
    invalid syntax`` (``errors.Wrapf`` around ``errdefs.InvalidParameter``)."""
    text = request.arg(key, "") or ""
    if not text:
        return False
    if text not in _GO_BOOLS:
        raise HttpError(400, f"invalid value for {key}: {text}: "
                        f"{NumError('ParseBool', text, 'invalid syntax')}")
    return _GO_BOOLS[text]


def enum_filter(filters: dict[str, list[str]], key: str, values: tuple[str, ...]) -> set[str]:
    """The values of ``filters[key]``, each one of ``values`` (any case). Another is
    refused with the daemon's words; moby returns that plain error as a 500."""
    chosen = {f.lower() for f in filters.get(key, []) if f}
    for value in sorted(chosen - set(values)):
        raise HttpError(500, f"Invalid {key} filter: '{value}'")
    return chosen


def service_name(counter: int, taken: Container[str]) -> str:
    """A name for a service created without one: the daemon draws ``adjective_surname``
    (moby ``daemon/cluster/convert/service.go``, ``ServiceSpecToGRPC``, with
    ``namesgenerator.GetRandomName``). Here from short lists of our own, fixed by
    ``counter`` so that runs repeat and the simulator's random draws are left alone."""
    for attempt in range(counter * 100, counter * 100 + 100):
        digest = int(hashlib.sha256(f"name/{attempt}".encode()).hexdigest(), 16)
        adjective, surname = divmod(digest % (len(_ADJECTIVES) * len(_SURNAMES)),
                                    len(_SURNAMES))
        name = f"{_ADJECTIVES[adjective]}_{_SURNAMES[surname]}"
        if name not in taken:
            return name
    raise HttpError(409, "no free service name: give one with --name")


NOT_SIMULATED = {"containers": "containers", "images": "images", "volumes": "volumes",
                 "build": "image builds", "plugins": "plugins", "exec": "containers",
                 "system": "containers, images and volumes",
                 "distribution": "registries", "auth": "registries", "commit": "containers"}
"""Engine API sections outside swarm mode: what to say they lack (the CLI prints it after
``Error response from daemon:``)."""


def missing_object(section: str, rest: list[str], method: str) -> str:
    """The daemon's 404 for inspecting one container, image, volume or plugin, none of
    which the simulated swarm has (moby's wording); ``""`` for any other request. The
    generic ``docker inspect NAME`` tries these kinds before nodes, services and tasks and
    goes on only after a not-found (docker/cli ``cli/command/system/inspect.go``)."""
    if method != "GET" or not rest:
        return ""
    name = "/".join(rest[:-1]) if rest[-1] == "json" else ""
    if section == "containers" and len(rest) == 2 and name:
        return f"No such container: {name}"
    if section == "images" and name:
        return f"No such image: {name}"
    if section == "plugins" and name:
        return f'plugin "{name}" not found'
    if section == "volumes" and len(rest) == 1:
        return f"get {rest[0]}: no such volume"
    return ""


_ADJECTIVES = ("agile", "brave", "calm", "clever", "eager", "gentle", "happy", "jolly",
               "keen", "lucid", "nimble", "patient", "quirky", "serene", "tender", "vivid")
_SURNAMES = ("babbage", "curie", "dijkstra", "hamilton", "hopper", "johnson", "knuth",
             "lamport", "liskov", "lovelace", "noether", "ritchie", "shannon", "thompson",
             "turing", "wozniak")

_STORED_NAME = re.compile(r"[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?")
_STORED_MAX = {"secret": 500 * 1024, "config": 1000 * 1024}
"""swarmkit's ``MaxSecretSize`` and ``MaxConfigSize`` (``api/validation``), in bytes."""


def check_stored_spec(kind: str, name: Any, data: str, driver: bool) -> str:
    """``name``, once a secret's or config's name and data pass swarmkit's control API
    checks (``manager/controlapi/secret.go`` and ``config.go``:
    ``validateConfigOrSecretAnnotations`` and the payload size; a secret from an external
    driver carries no data)."""
    rpc = "rpc error: code = InvalidArgument desc = "
    if not isinstance(name, str) or not name:
        raise HttpError(400, rpc + "name must be provided")
    if len(name) > 64 or not _STORED_NAME.fullmatch(name):
        raise HttpError(400, rpc + "invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, "
                        "and the start and end character must be [a-zA-Z0-9]")
    size = len(base64.b64decode(data))    # decoded and checked with the body
    if not driver and not 0 < size < _STORED_MAX[kind]:
        raise HttpError(400, rpc + f"{kind} data must be larger than 0 and less than "
                        f"{_STORED_MAX[kind]} bytes")
    return name


def prefixed(value: str, prefixes: list[str] | None) -> bool:
    """swarmkit's ``filterContainsPrefix``: no prefixes, or ``value`` starts with one."""
    return not prefixes or any(value.startswith(p) for p in prefixes)


def label_matches(labels: dict[str, str], expression: str) -> bool:
    """A ``label`` filter: ``key`` (present) or ``key=value`` (equal)."""
    key, _, value = expression.partition("=")
    return key in labels and (not value or labels[key] == value)
