"""A container's ``resources`` as the Kubernetes API server validates them.

Upstream: kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``,
``ValidateResourceRequirements``, with the helpers of ``pkg/apis/core/helper/helpers.go``.
It walks the limits, then the requests, and for each resource:

- its name, by ``validateContainerResourceName``
  (:func:`~clustersim.manifests.kubernetes_names.container_resource_name_problems`);
- its amount, by ``ValidateResourceQuantityValue``: a resource counted in whole units
  (``IsIntegerResourceName``: an extended resource such as ``nvidia.com/gpu``) "must be an
  integer", where its ``MilliValue()`` (rounded up) is no multiple of 1000: ``500m`` and
  ``1.5`` are refused, ``3000m`` loads (so does ``1999500u``, rounded up to ``2``, as
  upstream's arithmetic has it); the bad value is the ``Quantity``, which the error writes
  as its JSON, the quoted ``Quantity.String()`` (``"500m"``);
- a request no more than its limit, and equal to it for a resource that cannot be
  overcommitted (``IsOvercommitAllowed``: huge pages, extended resources such as
  ``nvidia.com/gpu``), whose request also needs a limit ("Limit must be set for non
  overcommitable resources");
- a huge page amount (``IsHugePageResourceName``: a name that starts ``hugepages-``) a whole
  number of pages (``validateResourceQuantityHugePageValue``,
  ``IsHugePageResourceValueDivisible``): the page size is the quantity after the prefix
  (``HugePageSizeFromResourceName``), which must be a whole number of bytes above 0, so
  ``hugepages-2Mi: 3Mi`` and any amount of ``hugepages-big`` are refused;

and last, huge pages asked for without any ``cpu`` or ``memory`` are "Forbidden: HugePages
require cpu or memory". The amounts are written as ``Quantity.String()`` writes them.

A ResourceQuota's ``spec.hard`` (``ValidateResourceQuotaSpec``,
:func:`resource_quota_errors`) is checked key by key the same way: its name by
``ValidateResourceQuotaResourceName``
(:func:`~clustersim.manifests.kubernetes_names.quota_resource_name_problems`), its amount by
``ValidateResourceQuantityValue``, where the object counts (``pods``, ``services``, …) and
any name with a domain that is no ``requests.`` total (``count/deployments.apps``,
``nvidia.com/gpu``) are whole numbers: ``pods: 1.5`` is refused as ``"1500m"``.

Simplified: Go walks each map in no set order, the loader in the file's; the API server's
defaulting of a Pod's missing requests to its limits (``SetDefaults_Pod``) is not applied, so
a Pod's huge page limit that is no whole number of pages, or a fractional limit of an
extended resource, is named once (upstream names its defaulted request too). Quantities
that are not valid, or below 0, are refused with the fields' types
(:mod:`clustersim.manifests.kubernetes_types`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from clustersim.manifests.errors import ManifestError, key_path
from clustersim.manifests.kubernetes_errors import invalid
from clustersim.manifests.kubernetes_names import (
    HUGE_PAGES_PREFIX,
    container_resource_name_problems,
    is_integer_resource_name,
    quota_resource_name_problems,
)
from clustersim.manifests.safe_yaml import Document, Path
from clustersim.quantity import (
    QuantityError,
    format_quantity,
    parse_quantity,
    to_millis,
    to_units,
)

__all__ = ["resource_quota_errors", "resource_requirement_errors"]

_CPU_OR_MEMORY = ("cpu", "memory")


def resource_requirement_errors(document: Document, where: Path, resources: Any,
                                raw: Mapping[str, Any]) -> Iterator[ManifestError]:
    """The errors of the ``resources`` at ``where`` (typed; ``raw``: as written)."""
    limits, requests = resources.limits or {}, resources.requests or {}
    for name, limit in limits.items():
        yield from _name_errors(document, where, "limits", name)
        yield from _integer_errors(document, where, "limits", name, limit, raw)
        yield from _huge_page_errors(document, where, "limits", name, limit, raw)
    for name, request in requests.items():
        yield from _name_errors(document, where, "requests", name)
        yield from _integer_errors(document, where, "requests", name, request, raw)
        yield from _limit_errors(document, where, name, request, limits, raw)
        yield from _huge_page_errors(document, where, "requests", name, request, raw)
    names = [*limits, *requests]
    if any(name.startswith(HUGE_PAGES_PREFIX) for name in names) and not any(
            name in _CPU_OR_MEMORY for name in names):
        yield document.error(where, "Forbidden: HugePages require cpu or memory",
                             "a cpu or memory request or limit beside the huge pages")


def _canonical(value: Decimal, raw: Mapping[str, Any], kind: str, name: str) -> str:
    """``Quantity.String()`` of ``kind``'s amount of ``name``: binary SI if it was written so
    (``1Gi``), else decimal SI."""
    written = (raw.get(kind) or {}).get(name)
    return format_quantity(value, binary=str(written).endswith("i"))


def _key_error(document: Document, where: Path, kind: str, name: str, message: str,
               expected: str) -> ManifestError:
    """An error of the ``name`` key of ``kind`` (``limits`` or ``requests``), its path
    written as ``field.Path.Key`` writes it: in brackets, unquoted (``limits[cpu]``)."""
    error = document.error((*where, kind, name), message, expected)
    error.path = key_path((*document.prefix, *where, kind), name)
    return error


def _name_errors(document: Document, where: Path, kind: str, name: str
                 ) -> Iterator[ManifestError]:
    """``validateContainerResourceName``: a ``CPU`` would otherwise be a resource no node
    has, placed as if it asked for nothing."""
    for problem in container_resource_name_problems(name):
        yield _key_error(document, where, kind, name, invalid(name, problem),
                         _name_hint(name))


def _name_hint(name: str) -> str:
    """The loader's hint for a refused resource name (not upstream's): its lowercase form,
    or the name without a quota's ``requests.``/``limits.`` prefix, where that one is valid."""
    lower = name.lower()
    prefix, _, bare = lower.partition(".")
    if prefix in ("requests", "limits") and not container_resource_name_problems(bare):
        return f"{bare}: the {prefix}. prefix names a ResourceQuota's total, not a container's"
    if not container_resource_name_problems(lower):
        return f"resource names are lowercase: {lower}"
    return ("a resource a container may ask for (cpu, memory, ephemeral-storage, "
            "hugepages-<size>) or an extended resource with a domain, such as nvidia.com/gpu")


def _integer_errors(document: Document, where: Path, kind: str, name: str, amount: Decimal,
                    raw: Mapping[str, Any]) -> Iterator[ManifestError]:
    """``ValidateResourceQuantityValue``'s second check: a resource counted in whole units
    asks for a whole number of them. Before, ``nvidia.com/gpu: 500m`` loaded and waited as
    "Insufficient nvidia.com/gpu" on nodes with a free GPU."""
    if not is_integer_resource_name(name):
        return
    try:
        whole = to_millis(amount) % 1000 == 0
    except QuantityError:   # thousandths past an int64 (9.2e15 units), where Go's overflow
        return              # decides: the loader lets such a count through to the scheduler
    if not whole:
        yield _key_error(document, where, kind, name,
                         invalid(_canonical(amount, raw, kind, name), "must be an integer"),
                         f"a whole number of {name}, such as 1: " + (
                             "a quota counts whole objects and devices" if kind == "hard" else
                             "a device plugin advertises whole devices, and a container gets "
                             "whole ones"))


def resource_quota_errors(document: Document, hard: Mapping[str, Decimal],
                          raw: Mapping[str, Any]) -> Iterator[ManifestError]:
    """The errors of a ResourceQuota's ``spec.hard`` (typed; ``raw``: its ``spec`` as
    written), key by key as ``ValidateResourceQuotaSpec`` makes them: the name's, then the
    amount's (one below 0 is refused with the field's type). Before, ``pods: 1.5`` and a
    ``CPU`` the quota never counts loaded."""
    for name, amount in hard.items():
        for problem in quota_resource_name_problems(name):
            yield _key_error(document, ("spec",), "hard", name, invalid(name, problem),
                             _quota_name_hint(name))
        yield from _integer_errors(document, ("spec",), "hard", name, amount, raw)


def _quota_name_hint(name: str) -> str:
    """The loader's hint for a refused quota key (not upstream's)."""
    lower = name.lower()
    if not quota_resource_name_problems(lower):
        return f"resource names are lowercase: {lower}"
    if not quota_resource_name_problems(f"requests.{lower}"):
        return f"requests.{lower}: a quota counts what is requested"
    return ("a resource the quota tracks, such as requests.cpu, limits.memory, pods, "
            "requests.storage or count/deployments.apps")


def _overcommit_allowed(name: str) -> bool:
    """``IsOvercommitAllowed`` (``pkg/apis/core/helper``): a native resource (no domain, or
    ``kubernetes.io/``) other than huge pages may request less than its limit."""
    native = "/" not in name or "kubernetes.io/" in name
    return native and not name.startswith(HUGE_PAGES_PREFIX)


def _limit_errors(document: Document, where: Path, name: str, request: Decimal,
                  limits: Mapping[str, Decimal], raw: Mapping[str, Any]
                  ) -> Iterator[ManifestError]:
    """A request against its limit: no more than it, equal to it where it cannot be
    overcommitted, and a limit there at all for such a resource."""
    limit = limits.get(name)
    if limit is None:
        if not _overcommit_allowed(name):
            yield document.error((*where, "limits"),
                                 "Required value: Limit must be set for non overcommitable "
                                 "resources", f"limits.{name} equal to requests.{name}")
        return
    if request != limit and not _overcommit_allowed(name):
        most, hint = "equal to", "equal to"
    elif request > limit:
        most, hint = "less than or equal to", "no more than"
    else:
        return
    detail = f"must be {most} {name} limit of {_canonical(limit, raw, 'limits', name)}"
    yield document.error((*where, "requests"),
                         invalid(_canonical(request, raw, "requests", name), detail),
                         f"requests.{name} {hint} limits.{name}")


def _huge_page_errors(document: Document, where: Path, kind: str, name: str, amount: Decimal,
                      raw: Mapping[str, Any]) -> Iterator[ManifestError]:
    """``validateResourceQuantityHugePageValue``: an amount of huge pages is a whole number
    of pages of the size its name gives."""
    if not name.startswith(HUGE_PAGES_PREFIX) or _whole_pages(name, amount):
        return
    text = _canonical(amount, raw, kind, name)
    size = name.removeprefix(HUGE_PAGES_PREFIX)
    yield _key_error(document, where, kind, name,
                     invalid(text, f"{text} is not positive integer multiple of {name}"),
                     f"a whole number of {size} pages, such as {size}" if _page_size(name)
                     else "a huge page size the nodes offer in the name, such as "
                          "hugepages-2Mi or hugepages-1Gi")


def _page_size(name: str) -> int | None:
    """``HugePageSizeFromResourceName``: the page size in bytes, or None where it is no
    quantity, not above 0 or not whole."""
    try:
        size = parse_quantity(name.removeprefix(HUGE_PAGES_PREFIX))
    except QuantityError:
        return None
    return int(size) if size > 0 and size == size.to_integral_value() else None


def _whole_pages(name: str, amount: Decimal) -> bool:
    """``IsHugePageResourceValueDivisible``: ``amount`` (rounded up to whole bytes, as
    ``Quantity.Value()`` does) is a whole number of pages."""
    size = _page_size(name)
    try:
        return size is not None and to_units(amount) % size == 0
    except QuantityError:       # beyond an int64: a type error the fields' check reports
        return True
