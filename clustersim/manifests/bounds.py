"""A value out of a field's bounds in a Compose or Marathon file, in the refusing tool's words.

pydantic words a number below a field's ``ge`` or above its ``le``, and a list or a string
shorter than its ``min_length``, its own way ("Input should be greater than or equal to 0",
"List should have at least 1 item after validation, not 0"). :func:`bound_message` is the one
place that words them for the loader instead (``validation._error`` calls it):

- Marathon reads an app or a pod with the reader generated from its RAML types, which chains
  Play JSON's ``min``, ``max`` and ``minLength`` reads (d2iq-archive/marathon
  ``type-generator``, ``ConstraintT.scala``): a value out of bounds is ``error.min`` or
  ``error.max`` (:func:`~clustersim.manifests.marathon_types.bound_error`), a list or a
  string too short ``error.minLength``, the keys the served API's 422 ``Invalid JSON`` lists
  (:mod:`clustersim.serve.marathonraml`); a pod without containers is one (``pod.raml``'s
  ``minItems: 1``, so ``PodsValidation``'s ``notEmpty`` is never reached). A few bounds are
  the loader's own, not the RAML's (:data:`_OWN_MARATHON`), and say so. An app's ``disk`` has
  no RAML minimum (``app.raml``; a pod's ``resources.raml`` gives one): Marathon reads
  ``-1`` and its Accord rule refuses it (``AppDefinition.validBasicAppDefinition``,
  ``disk as "disk" should be >= 0.0``) in Accord's words, ``got -1.0, expected 0.0 or
  more`` (wix/accord ``GreaterThanOrEqual``, the DSL's prefix ``got``, the numbers as Scala
  writes a ``Double``: :func:`java_double`), answered 422 ``Object is not valid``.
- ``docker stack deploy``: docker/cli's schemas give the counts no ``minimum``, so a negative
  one passes the schema and its decoding into an unsigned Go field refuses it, all of a
  service's together (``validation._decoding_error``, never a bound here). The loader's other
  bounds (a port's ``target`` from 1 to 65535, a generic resource's count of at least 0) are
  its own, said in the course's words: docker/cli takes such a value and the daemon or
  swarmkit decide later.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from clustersim.manifests.errors import ANY, path_matches
from clustersim.manifests.marathon_types import bound_error
from clustersim.manifests.safe_yaml import Path

__all__ = ["bound_message", "java_double"]

_BOUNDS = {"greater_than_equal": "ge", "less_than_equal": "le"}
"""pydantic's errors of an inclusive bound, and the key of the bound in their context."""
_TOO_SHORT = ("too_short", "string_too_short")
_OWN_MARATHON = (("healthChecks", ANY, "intervalSeconds"), ("healthCheck", "intervalSeconds"),
                 ("healthChecks", ANY, "timeoutSeconds"),
                 ("readinessChecks", ANY, "timeoutSeconds"), ("backoffFactor",))
"""The ends of the Marathon paths whose bound is the simulator's, where the RAML has another
or none (``healthCheck.raml``'s ``intervalSeconds`` has ``minimum: 0``, ``AppHealthCheck``'s
and ``readinessCheck.raml``'s ``timeoutSeconds`` none, ``backoffFactor`` no ``maximum``)."""
_COURSE_WORDS = {"greater_than_equal": "at least", "less_than_equal": "at most"}


def java_double(value: float) -> str:
    """``value`` as Java's ``Double.toString`` (and so Scala) writes it: the shortest digits,
    with a ``.0`` on a whole number, and as ``1.0E7`` from 10^7 up and below 10^-3;
    ``Infinity``, ``-Infinity`` and ``NaN`` by name (Play reads ``-1e999`` as ``-Infinity``,
    which Accord then shows so)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(float(value))
        return text if "." in text else f"{text}.0"
    sign, digits, exponent = Decimal(repr(float(value))).normalize().as_tuple()
    assert isinstance(exponent, int)
    mantissa = f"{digits[0]}.{''.join(map(str, digits[1:])) or '0'}"
    return f"{'-' if sign else ''}{mantissa}E{exponent + len(digits) - 1}"


def _accord_disk(where: Path) -> bool:
    """Whether ``where`` is an app's ``disk`` (not a pod's ``resources.disk``)."""
    return bool(where) and where[-1] == "disk" and (
        len(where) < 2 or where[-2] not in ("resources", "executorResources"))


def _found(value: Any) -> str:
    """The refused value as the message names it: a number as written, an empty list or
    string as such."""
    if isinstance(value, list | str) and not value:
        return "an empty list" if isinstance(value, list) else "an empty string"
    return repr(value) if isinstance(value, str) else str(value)


def _number(bound: float) -> str:
    """A bound as a file writes it: ``0``, not pydantic's ``0.0`` of a float field."""
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def bound_message(problem: dict[str, Any], where: Path, *, compose: bool
                  ) -> tuple[str, str] | None:
    """The message and what to write instead for pydantic's ``problem`` at ``where`` (the
    document's path: a Compose service's starts ``services``, its name), or ``None`` for a
    problem of another kind."""
    kind, value, context = problem["type"], problem["input"], problem.get("ctx") or {}
    if kind in _BOUNDS:
        bound = context[_BOUNDS[kind]]
        limit = f"{_COURSE_WORDS[kind]} {_number(bound)}"
        if compose:
            return f"{_found(value)} is not valid: must be {limit}", f"a number of {limit}"
        if any(path_matches(end, where[-len(end):]) for end in _OWN_MARATHON):
            return (f"{_found(value)} is not valid: must be {limit} (a bound of the "
                    "simulator's, not of Marathon's RAML)", f"a number of {limit}")
        shown = java_double(value) if isinstance(value, float) and not math.isfinite(value) \
            else _found(value)
        if _accord_disk(where):
            return (f"got {java_double(value)}, expected {java_double(bound)} or more",
                    f"a number of {limit}")
        key = bound_error(value, *((bound, None) if kind == "greater_than_equal"
                                   else (None, bound)))
        side = "minimum" if kind == "greater_than_equal" else "maximum"
        return (f"{shown} is not valid: {key} (Marathon's RAML {side} here is "
                f"{_number(bound)})", f"a number of {limit}")
    if kind in _TOO_SHORT:
        least = context["min_length"]
        what = "item" if kind == "too_short" else "character"
        needs = f"at least {least} {what}{'s' if least != 1 else ''}"
        hint = f"a {'list' if what == 'item' else 'string'} of {needs}"
        if compose:
            return f"{_found(value)} is not valid: must have {needs}", hint
        return (f"{_found(value)} is not valid: error.minLength (Marathon's RAML wants "
                f"{needs})", hint)
    return None
