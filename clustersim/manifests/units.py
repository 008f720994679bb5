"""CPU, memory and time amounts as Marathon and Compose write them, each by its own system's rules.

This module is the one reader of each unit: the manifest loaders validate with it and the
simulators convert with it, so a value the loader accepts is never refused by a simulator.

- **Marathon** (d2iq-archive/marathon ``docs/docs/rest-api/public/api/v2/types/app.raml``):
  ``cpus`` is a number of cores, ``mem`` and ``disk`` are MiB, all JSON numbers (a string is
  an error). Defaults: ``cpus`` 1, ``mem`` 128 (``AppDefinition.DefaultCpus``/``DefaultMem``).
  Mesos stores scalar resources in fixed point with three decimals (apache/mesos
  ``src/common/values.cpp``, ``convertToFixed``: ``llround(value * 1000)``), so ``0.0001`` cpus
  is 0. A pod adds its executor's resources to its containers' (``executorResources``,
  default 0.1 cpus, 32 MiB mem, 10 MiB disk; ``PodDefinition.DefaultExecutorResources``).
- **Compose** as ``docker stack deploy`` reads it (docker/cli ``cli/compose/loader/loader.go``
  ``transformSize`` and ``opts/opts.go`` ``ParseCPUs``): ``cpus`` is a rational number
  (``"0.5"``, ``"1/2"``, ``"1e-3"``) that must be a whole number of nano-CPUs ("value is too
  precise" otherwise); memory is a whole number of bytes or a string read by docker/go-units
  ``RAMInBytes``: ``<number>[ ][k|m|g|t|p][i][b]``, case-insensitive, always powers of 1024
  (``512M``, ``1.5g``, ``1gb``, ``32 Kib``), the float product truncated to whole bytes.
  ``ParseCPUs`` reads the text with Go's ``big.Rat.SetString``, which refuses a zero
  denominator (``"1/0"``) and, since Go 1.17.7 (CVE-2022-23772, math/big ``ratconv.go``), any
  decimal exponent above 10^6 ("avoid excessively large exponents"); the result is stored as
  an ``int64`` of nano-CPUs. Here the exponent is bounded more tightly, before any arithmetic:
  a value of more than 10^9 CPUs, or finer than a nano-CPU, is refused whatever its spelling.
- **Durations** in a Compose file (``delay``, ``monitor``, ``interval``, ``stop_grace_period``)
  are Go durations: docker/cli's loader reads them with Go's ``time.ParseDuration``
  (golang/go ``src/time/format.go``): a sign, then one or more decimal numbers each with a
  unit ``ns``, ``us``, ``µs`` (U+00B5, micro sign), ``μs`` (U+03BC, Greek mu), ``ms``, ``s``,
  ``m`` or ``h`` (``"1m30s"``, ``".5s"``, ``"10μs"``); ``"0"`` alone needs no unit.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, localcontext
from fractions import Fraction
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from clustersim.goformat import time_quote
from clustersim.manifests.bounds import bound_message
from clustersim.manifests.marathon_types import NOT_A_NUMBER, App, PodResources, nan_refusal
from clustersim.manifests.safe_yaml import Path
from clustersim.manifests.validation import PLAY_EXPECTED

__all__ = [
    "compose_bytes",
    "compose_cpus",
    "compose_nano_cpus",
    "go_duration",
    "marathon_resources",
    "marathon_scalars",
    "mesos_fixed",
    "mesos_scalar",
    "nano_cpus",
    "pod_container_resources",
    "pod_executor_resources",
]

_RAM = re.compile(r"(\d+(\.\d+)*) ?([kmgtp])?i?b?", re.IGNORECASE | re.ASCII)
"""docker/go-units ``RAMInBytes``' pattern; Go's ``\\d`` is an ASCII digit (RE2 syntax), where
Python's would take a full-width "５１２M" and ``float`` read it."""
_BINARY = {"k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4, "p": 1024**5}
_RATIONAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE]([+-]?\d+))?(/(\d+))?", re.ASCII)
"""A ``cpus`` as docker/cli's ``opts.ParseCPUs`` reads it with Go's ``big.Rat.SetString``,
whose digits are ASCII only (golang/go ``src/math/big/natconv.go``, ``nat.scan``): a full-width
"１" is no number there, though Python's ``\\d`` and ``Fraction`` read it."""
_MAX_CPUS = 10**9  # far above any machine; keeps nano-CPUs well inside int64 as docker stores them
_MIB = 1024 * 1024
_EXECUTOR = {"cpus": 0.1, "mem": 32.0, "disk": 10.0}
#: A pod container's ``resources`` defaults (marathon ``docs/docs/rest-api/public/api/v2/types/
#: resources.raml``, ``Resources``: cpus 1.0, mem 128.0, disk 0.0, gpus 0).
_CONTAINER = {"cpus": 1.0, "mem": 128.0, "disk": 0.0, "gpus": 0.0}
#: An app's defaults (``AppDefinition.DefaultCpus``, ``DefaultMem``, ``DefaultDisk``,
#: ``DefaultGpus``).
_APP = {"cpus": 1.0, "mem": 128.0, "disk": 0.0, "gpus": 0.0}
_GO_UNITS = {"ns": 1, "us": 1000, "\u00b5s": 1000, "\u03bcs": 1000, "ms": 10**6, "s": 10**9,
             "m": 60 * 10**9, "h": 3600 * 10**9}
"""Nanoseconds of each unit ``time.ParseDuration`` reads (its ``unitMap``)."""
_GO_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]*)")


def compose_bytes(value: str | int) -> int:
    """Bytes of a Compose memory size: ``512M`` → 536870912, ``1.5g`` → 1610612736.

    Raises ``ValueError`` naming the value and the accepted forms when it cannot be read.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"invalid size: {value!r} (expected bytes or a string such as '512M')")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"invalid size: {value} (a size cannot be negative)")
        return value
    match = _RAM.fullmatch(value)
    if match is None:
        raise ValueError(
            f"invalid size: {value!r} (expected a number with an optional unit k, m, g, t or p, "
            "e.g. '512M', '1.5g' or '1gb')"
        )
    try:
        size = float(match[1])  # strconv.ParseFloat: "1.2.3" matches the pattern but fails here
    except ValueError:
        raise ValueError(
            f"invalid size: {value!r} (the number {match[1]!r} cannot be read)"
        ) from None
    size *= _BINARY.get((match[3] or "").lower(), 1)
    if not math.isfinite(size) or size >= 2**63:
        raise ValueError(f"invalid size: {value!r} is too large")
    return int(size)  # Go's int64(float64) truncates toward zero


def compose_cpus(value: str | int | float) -> Decimal:
    """Cores of a Compose ``cpus`` value: ``"0.5"`` → 0.5, ``"1/4"`` → 0.25.

    The value must be a whole number of nano-CPUs, as ``docker stack deploy`` requires.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"invalid cpus: {value!r} (expected a number such as 0.5 or '1.5')")
    text = repr(value) if isinstance(value, float) else str(value)
    match = _RATIONAL.fullmatch(text) if len(text) <= 64 else None
    if not match or (match[6] is not None and int(match[6]) == 0):
        raise ValueError(f"failed to parse {text!r} as a rational number (expected e.g. '0.5')")
    exponent = int(match[4] or 0) if len(match[4] or "") < 12 else None
    if exponent is None or abs(exponent) > 100:  # checked before Fraction computes 10**exponent
        if set(match[1]) <= set("0."):
            return Decimal(0)
        if (match[4] or "").startswith("-"):
            raise ValueError(f"invalid cpus: {text!r}: value is too precise (at most 9 decimals)")
        raise ValueError(f"invalid cpus: {text!r} is too large (at most {_MAX_CPUS} CPUs)")
    cpus = Fraction(text)
    if cpus < 0:
        raise ValueError(f"invalid cpus: {text!r} (a CPU amount cannot be negative)")
    if cpus > _MAX_CPUS:
        raise ValueError(f"invalid cpus: {text!r} is too large (at most {_MAX_CPUS} CPUs)")
    nano = cpus * 1_000_000_000
    if nano.denominator != 1:
        raise ValueError(f"invalid cpus: {text!r}: value is too precise (at most 9 decimals)")
    return _plain(Decimal(nano.numerator).scaleb(-9))


def compose_nano_cpus(value: str | int | float) -> int:
    """NanoCPUs (10^-9 CPU) of a Compose ``cpus`` value, as swarmkit stores them:
    ``"0.5"`` → 500000000, ``"1/2"`` → 500000000 (docker/cli ``opts.ParseCPUs``)."""
    return nano_cpus(compose_cpus(value))


def nano_cpus(cpus: Decimal) -> int:
    """NanoCPUs of CPUs already read by :func:`compose_cpus` (exact: at most 9 decimals)."""
    return int(cpus.scaleb(9))


def go_duration(value: str) -> float:
    """Seconds of a Go duration (``time.ParseDuration``): ``"1m30s"`` → 90.0,
    ``"10μs"`` → 1e-05, ``"-1s"`` → -1.0, ``"0"`` → 0.0.

    Raises ``ValueError`` in Go's words plus an example: ``time: missing unit in duration
    "10"``, the text quoted by the time package's own ``quote`` (golang/go
    ``src/time/format.go``; :func:`~clustersim.goformat.time_quote`), in double quotes with
    non-ASCII bytes as ``\\x`` escapes. A value that is not text is quoted as its text.
    """
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"time: invalid duration {time_quote(str(value))} (a duration is text "
                         "such as '10s', '1m30s' or '500ms')")
    quoted = time_quote(value)
    text = value[1:] if value[:1] in "+-" else value
    sign = -1 if value[:1] == "-" else 1
    if text == "0":
        return 0.0
    if not text or len(text) > 200:
        raise ValueError(f"time: invalid duration {quoted} (expected e.g. '10s', '1m30s')")
    total, position = 0, 0
    while position < len(text):
        match = _GO_PART.match(text, position)
        assert match is not None  # the pattern matches the empty string
        number, unit = match[1], match[2]
        if number in ("", "."):
            raise ValueError(f"time: invalid duration {quoted} (expected e.g. '10s', '1m30s')")
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted} (units: ns, us, µs, "
                             "ms, s, m, h; e.g. '10s')")
        if unit not in _GO_UNITS:
            raise ValueError(f"time: unknown unit {time_quote(unit)} in duration {quoted} "
                             "(units: ns, us, µs, ms, s, m, h)")
        whole, _, fraction = number.partition(".")
        total += int(whole or "0") * _GO_UNITS[unit] + _fraction_ns(fraction, _GO_UNITS[unit])
        position = match.end()
    if total > 2**63 - (sign > 0):      # Go: up to -2^63 ns, up to 2^63 - 1 ns
        raise ValueError(f"time: invalid duration {quoted} (more than about 292 years)")
    return sign * total / 10**9


def _fraction_ns(digits: str, unit: int) -> int:
    """The nanoseconds a number's decimal ``digits`` add to it in ``time.ParseDuration``:
    ``leadingFraction`` reads them as a whole number over a power of ten (dropping digits
    once that number would pass 2^63), and the product is a float64 truncated to whole
    nanoseconds, so ``0.0009999999s`` is 999,999 ns, not 1 ms."""
    value, scale = 0, 1
    for digit in digits:
        if value > (2**63 - 1) // 10:
            break
        value, scale = value * 10 + int(digit), scale * 10
    return int(float(value) * (float(unit) / scale)) if value else 0


def _thousandths(value: float | int) -> int:
    """Mesos' ``convertToFixed`` (apache/mesos ``src/common/values.cpp``): the double
    ``value * 1000`` rounded by C's ``llround``, to the nearest whole number with halfway
    cases away from zero (``2.5`` to 3, ``-2.5`` to -3), where Python's ``round`` goes to
    the even one (``2.5`` to 2)."""
    scaled = float(value) * 1000
    nearest = round(scaled)
    if abs(scaled - nearest) == 0.5:
        return math.trunc(scaled) + (1 if scaled > 0 else -1)
    return nearest


def mesos_scalar(value: float | int) -> Decimal:
    """A Mesos scalar in fixed point: ``llround(value * 1000)`` thousandths (``convertToFixed``)."""
    return _plain(Decimal(_thousandths(value)).scaleb(-3))


def mesos_fixed(value: float | int) -> float:
    """:func:`mesos_scalar` as the double Mesos works with (``convertToFloating`` of it): the
    one rounding of the Mesos simulator's resource arithmetic and of Marathon's amounts."""
    return _thousandths(value) / 1000


def _plain(value: Decimal) -> Decimal:
    """``2`` rather than ``2.000`` or ``2E+0``; ``0.25`` rather than ``0.250``.

    With enough precision for any float (a JSON number such as ``1e28`` would overflow the
    default 28 digits and raise ``decimal.InvalidOperation``)."""
    with localcontext() as ctx:
        ctx.prec = 400
        return value.quantize(Decimal(1)) if value == value.to_integral_value() \
            else value.normalize()


def _number(owner: dict[str, Any], key: str, default: float) -> float:
    """``owner[key]`` as the double Marathon reads a JSON number into (a ``Decimal`` too, as
    ``json.loads(text, parse_float=Decimal)`` gives it), ``default`` when missing."""
    value = owner.get(key)
    if value is None:
        return default
    if isinstance(value, Decimal):
        value = float(value)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value < 0
        or not math.isfinite(value)
    ):
        raise ValueError(
            f"{key} must be a finite number ≥ 0 (Marathon reads JSON numbers), got {value!r}"
        )
    return float(value)


def pod_container_resources(container: dict[str, Any]) -> dict[str, float]:
    """A pod container's ``cpus``, ``mem`` (MiB), ``disk`` (MiB) and ``gpus``, Marathon's
    defaults filled in (``Resources`` in ``resources.raml``), in Mesos fixed point."""
    declared = container.get("resources") or {}
    return {key: mesos_fixed(_number(declared, key, default))
            for key, default in _CONTAINER.items()}


def pod_executor_resources(pod: dict[str, Any]) -> dict[str, float]:
    """A pod's ``executorResources`` (``cpus``, ``mem`` and ``disk`` in MiB), each missing one
    at ``PodDefinition.DefaultExecutorResources``."""
    executor = pod.get("executorResources") or {}
    return {key: _number(executor, key, default) for key, default in _EXECUTOR.items()}


def marathon_scalars(run_spec: dict[str, Any]) -> dict[str, float]:
    """Per-instance ``cpus``, ``mem`` (MiB), ``disk`` (MiB) and ``gpus`` of a Marathon app,
    or of a pod: its containers' plus its executor's (``executorResources``), each in Mesos
    fixed point (what an offer must hold). Missing values take Marathon's defaults."""
    if "containers" in run_spec:
        totals = {**pod_executor_resources(run_spec), "gpus": 0.0}  # ExecutorResources has no GPU
        for container in run_spec.get("containers") or []:
            for key, amount in pod_container_resources(container).items():
                totals[key] += amount
        return {key: mesos_fixed(amount) for key, amount in totals.items()}
    return {key: mesos_fixed(_number(run_spec, key, default)) for key, default in _APP.items()}


def marathon_resources(app: dict[str, Any]) -> tuple[Decimal, int]:
    """``(cpus, mem_bytes)`` of a Marathon app, or of a pod with its executor's share.

    ``mem`` is MiB in Marathon; the result is bytes. Missing values take Marathon's defaults.
    An amount is an ``int``, a ``float`` or a ``Decimal`` (``json.loads(text,
    parse_float=Decimal)``), each read as the double Marathon keeps (mesosphere/marathon
    ``state/Resources.scala``: ``cpus``, ``mem`` and ``disk`` are ``Double``); a ``bool`` or
    a text is refused with a ``ValueError`` that names it (``app['cpus']``) and asks for a
    number. An ``app`` that is no dict raises ``TypeError``; an amount the manifest loader
    refuses (``cpus`` below 0.001, a negative ``mem``, more than Mesos holds) raises
    ``ValueError`` in the loader's words (:func:`_check_amounts`).
    """
    _check_amounts(app)
    scalars = marathon_scalars(app)
    return mesos_scalar(scalars["cpus"]), int(mesos_scalar(scalars["mem"]) * _MIB)


def _owners(app: Any) -> list[tuple[type[BaseModel], Any, Path]]:
    """The mappings of ``app`` that hold amounts: an app's own, or a pod's executor's and each
    container's ``resources``, with the loader's model of each and its path."""
    if not isinstance(app, dict):
        raise TypeError(f"marathon_resources: app must be a Marathon app or pod as a dict (its "
                        f"JSON read with json.loads), not {type(app).__name__}")
    if "containers" not in app:
        return [(App, app, ())]
    containers = app["containers"]
    if not isinstance(containers, list) or not all(isinstance(c, dict) for c in containers):
        raise TypeError("marathon_resources: app['containers'] must be a list of dicts, each "
                        "with its 'resources'")
    return [(PodResources, app.get("executorResources"), ("executorResources",)),
            *((PodResources, c.get("resources"), ("containers", i, "resources"))
              for i, c in enumerate(containers))]


@cache
def _amount_reader(model: type[BaseModel], key: str) -> TypeAdapter[Any]:
    annotation = model.model_fields[key].annotation
    assert annotation is not None     # every amount is declared with a type
    return TypeAdapter(annotation, config=ConfigDict(strict=True))


def _check_amounts(app: Any) -> None:
    """Refuse what the manifest loader refuses of ``app``'s ``cpus``, ``mem``, ``disk`` and
    ``gpus``: the same field types of its models (``App``, ``PodResources``), worded as the
    loader words them (:func:`~clustersim.manifests.bounds.bound_message`)."""
    for model, owner, path in _owners(app):
        if owner is None:
            continue     # every amount at its default
        if not isinstance(owner, dict):
            raise TypeError(f"marathon_resources: app{_subscripts(path)} must be a dict of "
                            "amounts (cpus, mem, disk, gpus)")
        for key in ("cpus", "mem", "disk", "gpus"):
            value = owner.get(key)
            if isinstance(value, Decimal):      # read as Marathon reads it: a double
                value = float(value)
            if nan_refusal(value):
                raise ValueError(f"marathon_resources: app{_subscripts((*path, key))}: "
                                 f"{NOT_A_NUMBER} (expected a number)")
            try:
                _amount_reader(model, key).validate_python(value)
            except ValidationError as err:
                problem: dict[str, Any] = dict(err.errors()[0])
                where = (*path, key)
                bounded = bound_message(problem, where, compose=False)
                message = (f"{bounded[0]} (expected {bounded[1]})" if bounded else
                           problem["msg"].removeprefix("Value error, ")
                           if problem["type"] == "value_error" else
                           f"{value!r} is not valid: "
                           f"{PLAY_EXPECTED.get(problem['type'], 'error.expected.jsnumber')}"
                           f" ({_NUMBER_WANTED[key]})")
                raise ValueError(f"marathon_resources: app{_subscripts(where)}: {message}") \
                    from None


_JSON_NUMBER = ("Marathon reads a JSON number, not a text, a boolean, a list or an object; "
                "from Python, an int, float or Decimal")
_NUMBER_WANTED = {"cpus": f"expected a number such as 0.5: {_JSON_NUMBER}",
                  "mem": f"expected a number of MiB such as 128: {_JSON_NUMBER}",
                  "disk": f"expected a number of MiB such as 0: {_JSON_NUMBER}",
                  "gpus": f"expected a whole number such as 1: {_JSON_NUMBER}"}
"""What to write instead of an amount of another JSON type than a number, the key given as
Play JSON's reader gives it (``error.expected.jsnumber``, :data:`PLAY_EXPECTED`; Play's
``Reads`` of a ``Double`` or an ``Int``, playframework/play-json ``DefaultReads``)."""


def _subscripts(path: Path) -> str:
    return "".join(f"[{part!r}]" for part in path)
