"""Resource quantities, parsed exactly as Kubernetes' ``resource.Quantity`` parses them.

Upstream: kubernetes/apimachinery ``pkg/api/resource/quantity.go`` (``parseQuantityString``,
``ParseQuantity``) and ``suffix.go`` (``interpret``); test tables in ``quantity_test.go``.

The text is scanned as ``<sign><digits>[.<digits>]<suffix>``, where the suffix is any run of
the letters ``eEinumkKMGTP`` followed by an optional sign and digits, and must then be one of:

- a decimal SI suffix ``n u m k M G T P E`` or none (10^-9 … 10^18);
- a binary SI suffix ``Ki Mi Gi Ti Pi Ei`` (2^10 … 2^60);
- a decimal exponent ``e<int>``/``E<int>`` (``1e3``, ``2E-3``, ``1E+6``). As upstream, the
  exponent is read as a 64-bit integer and then kept as a 32-bit one (it wraps around).

The upstream scanner has edge rules that this module keeps on purpose: the digits may be
missing (``"."``, ``"-"``, ``"Ki"`` and ``"m"`` are all zero), a trailing dot is fine
(``"1."``, ``"1.G"``), while spaces, a second dot or an unknown suffix (``"1K"``, ``"0.1mi"``)
are errors. A non-zero value finer than one nano-unit rounds up, away from zero, to a whole
number of nano-units (``"0.9n"`` → 1n: "if you want some resources, you should get some").
Binary-suffixed values are capped at 2^63 - 1 in magnitude; decimal ones are not.
"""

from __future__ import annotations

import math
import re
from decimal import MAX_EMAX, MIN_EMIN, ROUND_UP, Decimal, localcontext
from functools import lru_cache

__all__ = ["QuantityError", "cpu_quantity", "format_quantity", "memory_quantity", "parse_quantity",
           "to_millis", "to_units", "unheld"]


class QuantityError(ValueError):
    """A text is not a valid Kubernetes quantity."""


_DECIMAL_SI = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SI = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
# The same language as the scanner in quantity.go (parseQuantityString); no part can backtrack
# into another, because the digit, dot and suffix-letter sets are disjoint.
_SCANNER = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[+-]?[0-9]*)")
_INT64_MAX = 2**63 - 1
_NANO = Decimal("1e-9")
_EXPECTED = (
    "expected a number with an optional suffix (n u m k M G T P E, Ki Mi Gi Ti Pi Ei, "
    "or an exponent such as e3), e.g. '500m' or '2Gi'"
)


def _exponent(suffix: str) -> tuple[int, int] | None:
    """``suffixHandler.interpret``: (base, exponent) of a suffix, or ``None`` if unknown."""
    if suffix in _DECIMAL_SI:
        return 10, _DECIMAL_SI[suffix]
    if suffix in _BINARY_SI:
        return 2, _BINARY_SI[suffix]
    if len(suffix) > 1 and suffix[0] in "eE" and re.fullmatch(r"[+-]?[0-9]+", suffix[1:]):
        parsed = int(suffix[1:])
        if not -(2**63) <= parsed <= _INT64_MAX:  # strconv.ParseInt(..., 10, 64) fails
            return None
        return 10, (parsed + 2**31) % 2**32 - 2**31  # int32(parsed)
    return None


def parse_quantity(text: str | int | float | Decimal) -> Decimal:
    """Return the exact value of a Kubernetes quantity such as ``"100m"`` or ``"1Ki"``.

    Numbers (``int``, ``Decimal``, ``float``) are accepted as their decimal value, as a YAML
    manifest that writes ``cpu: 2`` means ``"2"``. Raises :class:`QuantityError` that quotes
    the text when it does not follow the grammar.
    """
    if isinstance(text, bool):
        raise QuantityError(f"quantity {text!r} is a boolean, not a number or quantity string")
    if isinstance(text, float):
        if not math.isfinite(text):
            raise QuantityError(f"quantity {text!r} is not a finite number")
        text = repr(text)
    if isinstance(text, int | Decimal):
        if isinstance(text, Decimal) and not text.is_finite():
            raise QuantityError(f"quantity {text!r} is not a finite number")
        try:
            text = str(text)
        except ValueError:  # an int beyond Python's digit limit for str()
            raise QuantityError("quantity is an integer with thousands of digits") from None
    if text is None:    # YAML's empty value or JSON's null, named as the learner wrote it
        raise QuantityError("quantity is empty (null): write one such as '500m' or '2Gi', "
                            "or leave the resource out")
    if not isinstance(text, str):
        raise QuantityError(f"quantity {text!r} must be a string such as '500m' or '2Gi'")
    return _parse_text(text)


@lru_cache(maxsize=1024)
def _parse_text(text: str) -> Decimal:
    """:func:`parse_quantity` of a string, kept once parsed (a Decimal is immutable): a
    cluster's nodes and its pods' requests repeat a few texts (``"8Gi"``, ``"250m"``) at
    every node built and every pod admitted; a refusal is raised again each time."""
    match = _SCANNER.fullmatch(text) if text else None
    found = _exponent(match[4]) if match else None
    if match is None or found is None:
        raise QuantityError(f"quantity {text!r} is not valid: {_EXPECTED}")
    base, exponent = found
    with localcontext() as ctx:
        ctx.prec = len(text) + 40
        ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
        value = Decimal(f"{match[2] or 0}.{match[3] or 0}")
        if base == 10:
            value = value.scaleb(exponent)
        else:
            value = min(value * (2**exponent), Decimal(_INT64_MAX))
        if value and value.as_tuple().exponent < -9:
            value = value.quantize(_NANO, rounding=ROUND_UP)
        return _tidy(-value if match[1] == "-" else value)


def _tidy(value: Decimal) -> Decimal:
    """The same value written plainly: ``1000`` not ``1.000E+3``, ``0.5`` not ``0.50000``."""
    if not value:
        return Decimal(0)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1)) if value.adjusted() < 40 else value.normalize()
    return value.normalize()


def _whole(value: Decimal, what: str) -> int:
    with localcontext() as ctx:
        ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
        if abs(value) > _INT64_MAX:
            raise QuantityError(
                f"quantity {value} is too large: Kubernetes holds {what} as a 64-bit integer "
                f"(at most {_INT64_MAX})"
            )
        ctx.prec = 60
        return int(value.to_integral_value(rounding=ROUND_UP))


def to_units(value: Decimal) -> int:
    """``Quantity.Value()``: whole units, rounded up away from zero (memory in bytes)."""
    return _whole(value, "whole units")


def to_millis(value: Decimal) -> int:
    """``Quantity.MilliValue()``: whole milli-units, rounded up away from zero (millicores)."""
    with localcontext() as ctx:
        ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
        ctx.prec = max(60, value.adjusted() + 10) if value else 60
        return _whole(value.scaleb(3), "milli-units")


_DECIMAL_SUFFIXES = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T",
                     15: "P", 18: "E"}
_BINARY_SUFFIXES = {1: "Ki", 2: "Mi", 3: "Gi", 4: "Ti", 5: "Pi", 6: "Ei"}
_BINARY_DIGITS = 70   # 10^70 is a multiple of 2^70: the last 70 digits say which 1024^k divides


def request_amount(name: str, value: Decimal) -> int:
    """A request or limit in the unit the scheduler compares: millicores for ``cpu``
    (``MilliValue``), whole units otherwise (``Value``); too large for an int64 raises."""
    return to_millis(value) if name == "cpu" else to_units(value)


def unheld(name: str, written: object) -> str:
    """Why the simulator refuses the quantity ``written`` of resource ``name``, too large for
    :func:`request_amount`, named as written: a limit of the simulator (a real API server
    stores any size ``ParseQuantity`` reads, and its 64-bit readings of it overflow)."""
    unit = {"cpu": "millicores", "memory": "bytes", "ephemeral-storage": "bytes"}.get(
        name, "whole units")
    shown = str(getattr(written, "literal", None) or written).replace('"', '\\"')
    return (f'{name}: quantity "{shown}" is more than the simulator holds: it counts {name} '
            f"in {unit} as a 64-bit integer (at most {_INT64_MAX}); a real API server stores "
            "it as written")


def format_quantity(value: Decimal | int, binary: bool = False, *,
                    exponent_form: bool = False) -> str:
    """A value in Kubernetes' canonical form (``Quantity.String()``), exactly: every digit kept.
    ``exponent_form``: a quantity parsed from the exponent form (``1e3``, ``DecimalExponent``),
    which keeps that form, its exponent lowered to a multiple of 3 (``1e3``, ``1e19`` →
    ``10e18``, ``1.5e0`` → ``1500e-3``).

    Decimal SI: the largest exponent (a multiple of 3, from n to E) that keeps the mantissa
    whole (1.5 → ``1500m``, 10**9 → ``1G``, 100035 → ``100035``, 32 nines → the 32 nines).
    Above E the mantissa keeps its digits and the exponent is written Kubernetes' way for
    ``DecimalExponent``, a multiple of 3: 10**21 → ``1e21``, 10**5000 → ``100e4998``, 12e31 →
    ``120e30`` (kubernetes/kubernetes#140459, merged July 2026; before it the exponent was
    dropped and 10**21 printed as ``1``). Binary SI (``binary=True``): the largest power of
    1024 that divides the value (1024Mi → ``1Gi``, 1025 → ``1025``); a value that is not a whole
    number, or whose size is below 1024, falls back to decimal SI (0.001Ki → ``1024m``, 1000 →
    ``1k``: "this avoids rounding and hopefully confusion"), and one that 1024**7 divides, with
    no suffix beyond ``Ei``, to the exponent form (10**70 → ``10e69``, the same pull request).
    Zero is ``0``; a negative value is ``-`` and the canonical form of its size. Upstream:
    kubernetes/apimachinery ``pkg/api/resource/quantity.go`` (``CanonicalizeBytes``),
    ``amount.go`` (``infDecAmount.AsCanonicalBytes``) and ``suffix.go`` (``constructBytes``).

    A value finer than one nano-unit is rounded up, away from zero, to whole nano-units
    (1e-30 → ``1n``), as ``ParseQuantity`` rounds every quantity written to the API server
    before it is stored. (Go code can build a finer ``Quantity``, ``NewScaledQuantity(1, -12)``,
    which ``String()`` writes ``1e-12``; no text the API reads can.)

    Bounded cost: the work depends on the number of significant digits, never on the size of
    the exponent, and the arithmetic runs in a local decimal context wide enough for every
    digit (the global one keeps 28 and overflows at 10**999999). Raises ``TypeError`` for a
    value that is no ``Decimal`` or ``int`` (a ``float`` or a ``bool`` included) or a
    ``binary`` that is no ``bool``, and :class:`QuantityError` for an infinity or a NaN.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"format_quantity: value must be a Decimal or an int (a text such as "
                        f"'250m' goes through parse_quantity first, a float through "
                        f"Decimal(str(x))), not {type(value).__name__} {value!r:.40}")
    if not isinstance(binary, bool):
        raise TypeError(f"format_quantity: binary must be True (binary SI, Ki to Ei) or False "
                        f"(decimal SI), not {type(binary).__name__} {binary!r:.40}")
    value = Decimal(value)
    if not value.is_finite():
        raise QuantityError(f"quantity {value} is not a finite number")
    if value.is_zero():
        return "0"
    sign = "-" if value.is_signed() else ""
    value = value.copy_abs()
    mantissa, exponent = _digits(value)
    if exponent < -9:
        with localcontext() as ctx:
            ctx.prec = len(mantissa) + 12
            ctx.Emax, ctx.Emin = MAX_EMAX, MIN_EMIN
            value = value.quantize(_NANO, rounding=ROUND_UP)
        mantissa, exponent = _digits(value)
    if binary and not exponent_form and exponent >= 0 and value >= 1024:
        twos = _twos(mantissa) + exponent
        if twos >= 70:              # past Ei: the exponent form, whatever the suffix table
            return sign + _decimal_form(mantissa, exponent, si=False)
        if twos >= 10:
            with localcontext() as ctx:
                ctx.prec, ctx.Emax = len(mantissa) + exponent + 2, MAX_EMAX
                whole = value / (1 << (10 * (twos // 10)))
            return f"{sign}{whole:f}{_BINARY_SUFFIXES[twos // 10]}"
        return sign + mantissa + "0" * exponent
    return sign + _decimal_form(mantissa, exponent, si=not exponent_form)


def _digits(value: Decimal) -> tuple[str, int]:
    """A positive finite ``value`` as (its significant digits without trailing zeros, the
    power of ten they are multiplied by), read off its exact text (``1.23E+5`` → ``123``, 3)."""
    head, _, power = str(value).partition("E")
    whole, _, fraction = head.partition(".")
    digits = (whole + fraction).lstrip("0")
    mantissa = digits.rstrip("0")
    return mantissa, int(power or 0) - len(fraction) + len(digits) - len(mantissa)


def _twos(mantissa: str) -> int:
    """How many times 2 divides the whole number ``mantissa`` (up to 70: its last 70 digits
    decide, as 10**70 is a multiple of 2**70)."""
    tail = int(mantissa[-_BINARY_DIGITS:])
    return (tail & -tail).bit_length() - 1 if tail else _BINARY_DIGITS


def _decimal_form(mantissa: str, exponent: int, si: bool) -> str:
    """``mantissa``·10**``exponent`` with the exponent lowered to a multiple of 3
    (``AsCanonicalBytes``) and written as its SI suffix (n to E, when ``si`` and there is
    one) or as ``e<exponent>`` (``DecimalExponent``; none for 0)."""
    power = exponent - exponent % 3
    digits = mantissa + "0" * (exponent - power)
    if si and power in _DECIMAL_SUFFIXES:
        return digits + _DECIMAL_SUFFIXES[power]
    return digits + (f"e{power}" if power else "")


def cpu_quantity(millicores: int) -> str:
    """Millicores as Kubernetes writes a CPU amount (a ``DecimalSI`` quantity in canonical
    form): 250 → ``250m``, 2000 → ``2``, 1500 → ``1500m``."""
    return format_quantity(Decimal(millicores) / 1000)


def memory_quantity(size: int) -> str:
    """Bytes as Kubernetes writes a memory amount (a ``BinarySI`` quantity in canonical form:
    the largest power of 1024 that divides it): 2**27 → ``128Mi``, 2**50 → ``1Pi``,
    1025 → ``1025``, and below 1024 the decimal form, 1000 → ``1k``."""
    return format_quantity(size, binary=True)
