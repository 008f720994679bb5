"""Resource quantities, parsed exactly as Kubernetes' ``resource.Quantity`` parses them.

Upstream: kubernetes/apimachinery ``pkg/api/resource/quantity.go`` and ``suffix.go``.
The grammar is ``<sign><number><suffix>`` where the suffix is a binary SI suffix (Ki … Ei),
a decimal exponent (``e3``, ``E-3``) or a decimal SI suffix (n u m k M G T P E, or none).
Values are exact decimals; a non-zero value finer than one nano-unit rounds up, away from
zero, to a whole number of nano-units, and binary SI values are capped at 2**63 - 1.
"""

from __future__ import annotations

import re
from decimal import ROUND_UP, Decimal, localcontext

__all__ = ["QuantityError", "parse_quantity", "to_millis", "to_units"]


class QuantityError(ValueError):
    """A text is not a valid Kubernetes quantity."""


_DECIMAL_SI = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SI = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_GRAMMAR = re.compile(
    r"(?P<sign>[+-]?)(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE]?)"
)
_NANO = Decimal("1e-9")
_BINARY_CAP = Decimal(2**63 - 1)


def parse_quantity(text: str | int | float | Decimal) -> Decimal:
    """Return the exact value of a Kubernetes quantity such as ``"100m"`` or ``"1Ki"``.

    Numbers (``int``, ``Decimal``, ``float``) are accepted as their decimal value, as a YAML
    manifest that writes ``cpu: 2`` means ``"2"``. Raises :class:`QuantityError` that quotes
    the text when it does not follow the grammar.
    """
    if isinstance(text, bool):
        raise QuantityError(f"quantity {text!r} is a boolean, not a number or quantity string")
    if isinstance(text, int | Decimal):
        return _round_to_nano(Decimal(text))
    if isinstance(text, float):
        return _round_to_nano(Decimal(repr(text)))
    if not isinstance(text, str):
        raise QuantityError(f"quantity {text!r} must be a string such as '500m' or '2Gi'")
    match = _GRAMMAR.fullmatch(text)
    if match is None:
        raise QuantityError(
            f"quantity {text!r} is not valid: expected a number with an optional suffix "
            "(n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent such as e3), e.g. '500m', '2Gi'"
        )
    number = match["number"]
    suffix = match["suffix"]
    with localcontext() as ctx:
        ctx.prec = 200
        value = Decimal(number if not number.endswith(".") else number[:-1])
        if match["sign"] == "-":
            value = -value
        if suffix in _BINARY_SI:
            value = value * (Decimal(2) ** _BINARY_SI[suffix])
            if abs(value) >= 1 or value == 0:
                value = min(value, _BINARY_CAP) if value > 0 else max(value, -_BINARY_CAP)
        elif suffix[:1] in ("e", "E") and len(suffix) > 1:
            value = value.scaleb(int(suffix[1:]))
        else:
            value = value.scaleb(_DECIMAL_SI[suffix])
        return _round_to_nano(value)


def _round_to_nano(value: Decimal) -> Decimal:
    """Round a non-zero value finer than 1n up, away from zero, to whole nano-units."""
    with localcontext() as ctx:
        ctx.prec = 200
        if value == 0:
            return Decimal(0)
        if value == value.quantize(_NANO, rounding=ROUND_UP):
            return value.normalize() if value == value.to_integral_value() else value
        return value.quantize(_NANO, rounding=ROUND_UP).normalize()


def to_units(value: Decimal) -> int:
    """``Quantity.Value()``: whole units, rounded up away from zero (memory in bytes)."""
    return int(value.to_integral_value(rounding=ROUND_UP))


def to_millis(value: Decimal) -> int:
    """``Quantity.MilliValue()``: whole milli-units, rounded up away from zero (CPU in millicores)."""
    return int((value * 1000).to_integral_value(rounding=ROUND_UP))
