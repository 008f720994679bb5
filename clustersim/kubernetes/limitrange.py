"""The LimitRanger admission plugin: per-container defaults and bounds from LimitRange objects.

Upstream: kubernetes/kubernetes ``plugin/pkg/admission/limitranger/admission.go``
(``mergeContainerResources``, ``minConstraint``, ``maxConstraint``) and the LimitRange
defaulting in ``pkg/apis/core/v1/defaults.go`` (``defaultRequest`` defaults to ``default``).
Docs: https://kubernetes.io/docs/concepts/policy/limit-range/

For every LimitRange in the Pod's namespace and every item of ``type: Container``: a missing
limit is set from ``default``, a missing request from ``defaultRequest`` (or, when that is
unset, from ``default``); then ``max`` must not be below a container's limit (and a limit is
required) and ``min`` not above its request (and a request is required). The refusal reads like
the API server's, e.g. ``maximum cpu usage per Container is 1, but limit is 2``.

Simplified: ``type: Pod`` and ``PersistentVolumeClaim`` items and ``maxLimitRequestRatio`` are
not enforced here; upstream enforces them too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from clustersim.quantity import QuantityError, format_quantity, parse_quantity

__all__ = ["admit_limit_ranges"]


def _quantity(text: Any, where: str):
    try:
        return parse_quantity(text)
    except QuantityError as err:
        raise ValueError(f"{where}: {err}") from None


def _shown(name: str, text: Any) -> str:
    return format_quantity(parse_quantity(text), binary=name != "cpu")


def _container_errors(item: Mapping[str, Any], requests: Mapping[str, Any],
                      limits: Mapping[str, Any]) -> list[str]:
    errors = []
    for name, bound in sorted((item.get("min") or {}).items()):
        if name not in requests:
            errors.append(f"minimum {name} usage per Container is {_shown(name, bound)}.  "
                          "No request is specified")
        elif parse_quantity(requests[name]) < parse_quantity(bound):
            errors.append(f"minimum {name} usage per Container is {_shown(name, bound)}, "
                          f"but request is {_shown(name, requests[name])}")
    for name, bound in sorted((item.get("max") or {}).items()):
        if name not in limits:
            errors.append(f"maximum {name} usage per Container is {_shown(name, bound)}.  "
                          "No limit is specified")
        elif parse_quantity(limits[name]) > parse_quantity(bound):
            errors.append(f"maximum {name} usage per Container is {_shown(name, bound)}, "
                          f"but limit is {_shown(name, limits[name])}")
    return errors


def admit_limit_ranges(pod: dict[str, Any], limit_ranges: list[Mapping[str, Any]],
                       refuse: Callable[[str], Exception]) -> None:
    """Fill in defaults on ``pod`` (in place) and check its containers against
    ``limit_ranges`` (the LimitRange objects of its namespace). ``refuse(message)`` makes the
    error raised, so the caller words it as the API server's ``forbidden`` answer. A
    container's request for a resource it only limits is its limit (API defaulting), so only
    resources with neither get ``defaultRequest``."""
    errors: list[str] = []
    for limit_range in limit_ranges:
        lr_name = limit_range["metadata"]["name"]
        for index, item in enumerate((limit_range.get("spec") or {}).get("limits") or []):
            if item.get("type") != "Container":
                continue
            where = f"LimitRange {lr_name!r} spec.limits[{index}]"
            for field in ("default", "defaultRequest", "min", "max"):
                for name, text in (item.get(field) or {}).items():
                    _quantity(text, f"{where}.{field}.{name}")
            default = dict(item.get("default") or {})
            default_request = {**default, **(item.get("defaultRequest") or {})}
            for kind in ("containers", "initContainers"):
                for container in pod["spec"].get(kind) or ():
                    resources = container.setdefault("resources", {})
                    limits = resources.setdefault("limits", {})
                    requests = resources.setdefault("requests", {})
                    written = dict(limits)          # the request defaults to these
                    for name, text in default.items():
                        limits.setdefault(name, text)
                    for name, text in default_request.items():
                        requests.setdefault(name, written.get(name, text))
                    if not limits:
                        del resources["limits"]
                    if not requests:
                        del resources["requests"]
                    errors += _container_errors(item, requests, limits)
    if errors:
        raise refuse(errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]")
