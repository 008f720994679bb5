"""What the API server refuses of a PodDisruptionBudget across its fields.

Upstream: kubernetes/kubernetes ``pkg/apis/policy/validation/validation.go``,
``ValidatePodDisruptionBudgetSpec``: ``minAvailable`` and ``maxUnavailable`` not both set
(``field.Invalid`` at ``spec``, the whole internal ``PodDisruptionBudgetSpec`` the bad value,
written as JSON since Kubernetes 1.34), then for each amount ``ValidatePositiveIntOrPercent``
(the field's own type, :data:`~clustersim.manifests.kubernetes_syntax.IntOrPercent`: a whole
number of at least 0 or a percentage) and ``IsNotMoreThan100Percent`` (``pkg/apis/apps/
validation``: "must not be greater than 100%"). The loader and the served API share these
checks (the served API validates a body with the loader), so a budget the drain and the
eviction subresource could not read (``minAvailable: -3``) is never stored.

Simplified: the fields' own errors come before the refusal at ``spec``, where upstream lists
that one first; a percentage the first check refuses (``+150%``) is not also held to 100%,
where upstream reports both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from clustersim.goformat import GoStruct, go_json
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.kubernetes_errors import GoSyntax, invalid, named
from clustersim.manifests.safe_yaml import Document

__all__ = ["disruption_budget_errors"]

_AMOUNTS = (("minAvailable", "min_available"), ("maxUnavailable", "max_unavailable"))


def _selector(selector: Any) -> GoStruct | None:
    """A ``*metav1.LabelSelector`` as ``json.Marshal`` writes it: its json tags, in its
    fields' order, empty ones left out (``omitempty``)."""
    if selector is None:
        return None
    shown = GoStruct()
    if selector.match_labels:
        shown["matchLabels"] = dict(selector.match_labels)
    if selector.match_expressions:
        shown["matchExpressions"] = [
            GoStruct({"key": term.key, "operator": term.operator,
                      **({"values": list(term.values)} if term.values else {})})
            for term in selector.match_expressions]
    return shown


def _spec_shown(spec: Any, written: dict[str, Any]) -> GoSyntax:
    """The internal ``policy.PodDisruptionBudgetSpec``, a struct without json tags, as the
    bad value of the refusal at ``spec``: its amounts as written (one refused on its own
    too is shown as sent), its selector and policy as read."""
    return GoSyntax(go_json(GoStruct(
        MinAvailable=written["minAvailable"], Selector=_selector(spec.selector),
        MaxUnavailable=written["maxUnavailable"],
        UnhealthyPodEvictionPolicy=spec.unhealthy_pod_eviction_policy)))


def disruption_budget_errors(document: Document, typed: Any) -> Iterator[ManifestError]:
    """Each refusal of ``ValidatePodDisruptionBudgetSpec`` that reads more than one field's
    type, in its order."""
    spec = typed.spec
    written = document.data.get("spec")
    if spec is None or not isinstance(written, dict):
        return
    if all(written.get(field) is not None for field, _ in _AMOUNTS):
        yield document.error(("spec",), invalid(_spec_shown(spec, written), "minAvailable and "
                                                "maxUnavailable cannot be both set"),
                             "one of minAvailable and maxUnavailable: minAvailable is how many "
                             "pods must stay, maxUnavailable how many may be gone")
    for field, attribute in _AMOUNTS:
        value = getattr(spec, attribute)
        if isinstance(value, str) and int(value[:-1]) > 100:
            yield document.error(("spec", field), invalid(named(value),
                                                          "must not be greater than 100%"),
                                 "a percentage from 0% to 100%, or a number of pods")
