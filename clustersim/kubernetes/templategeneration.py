"""A DaemonSet's template generation, the ``deprecated.daemonset.template.generation``
annotation the API server writes on every DaemonSet.

Upstream the internal DaemonSet type keeps a ``spec.templateGeneration`` that apps/v1 has no
field for: the conversion to apps/v1 writes it into this annotation and the conversion back
reads it from there (kubernetes/kubernetes ``pkg/apis/apps/v1/conversion.go``,
``Convert_apps_DaemonSet_To_v1_DaemonSet`` and the reverse). The DaemonSet registry sets it
(``pkg/registry/apps/daemonset/strategy.go``): ``PrepareForCreate`` keeps a client's value
of at least 1 and makes anything lower 1; ``PrepareForUpdate`` ignores the client's value,
keeps the stored one, and adds one when the pod template changed (a change elsewhere in the
spec counts a generation, not a template generation). So ``kubectl get ds -o yaml`` shows it,
and the DaemonSet controller copies it with the other annotations into each
ControllerRevision.

The simulator stores it as the annotation itself, written again after every write of the
annotations (:func:`stamp_template_generation`). Simplified: a client's value on create that
``strconv.ParseInt`` cannot read (:func:`~clustersim.goformat.parse_int`) is taken as unset
(upstream the conversion's error refuses the request).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.goformat import NumError, parse_int

__all__ = ["TEMPLATE_GENERATION", "stamp_template_generation"]

TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"
"""The annotation (``appsv1.DeprecatedTemplateGeneration`` in k8s.io/api ``apps/v1``)."""


def stamp_template_generation(ds: dict[str, Any], before: Mapping[str, Any] | None) -> None:
    """Write the template generation of the DaemonSet ``ds`` into its annotations, in place:
    on create (``before`` None) the client's value if it is at least 1, else 1; on an update
    from the stored ``before`` (its spec in the stored form, as ``ds``'s) the stored value,
    plus one when the pod template changed. Any other kind is left alone."""
    if ds.get("kind") != "DaemonSet":
        return
    meta = ds.setdefault("metadata", {})
    if before is None:
        value = max(_value(meta), 1)
    else:
        value = max(_value(before.get("metadata") or {}), 1)
        if _template(ds) != _template(before):
            value += 1
    meta["annotations"] = {**(meta.get("annotations") or {}), TEMPLATE_GENERATION: str(value)}


def _value(meta: Mapping[str, Any]) -> int:
    """The template generation an object's metadata says, 0 when it says none (or one Go's
    ``strconv.ParseInt(s, 10, 64)`` does not read)."""
    text = (meta.get("annotations") or {}).get(TEMPLATE_GENERATION)
    try:
        return parse_int(text, signed=True) if isinstance(text, str) else 0
    except NumError:
        return 0


def _template(ds: Mapping[str, Any]) -> Any:
    return (ds.get("spec") or {}).get("template")
