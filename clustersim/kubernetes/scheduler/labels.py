"""Label selectors, node selector terms and pod affinity terms, as the scheduler matches them.

- ``LabelSelector`` (``matchLabels`` + ``matchExpressions`` with In, NotIn, Exists,
  DoesNotExist): kubernetes/apimachinery ``pkg/apis/meta/v1/helpers.go``
  (``LabelSelectorAsSelector``) and ``pkg/labels/selector.go``. A missing selector matches
  nothing, an empty one everything.
- ``NodeSelectorTerm`` (``matchExpressions`` on labels with In, NotIn, Exists, DoesNotExist,
  Gt, Lt; ``matchFields`` on ``metadata.name``): kubernetes/kubernetes
  ``staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go``.
  An empty term matches no node; an invalid requirement makes its term match nothing.
- ``AffinityTerm`` of pod (anti-)affinity: kubernetes/kubernetes
  ``pkg/scheduler/framework/types.go`` (``AffinityTerm.Matches``). Namespaces default to the
  pod's own; ``namespaceSelector`` is matched against the namespace's labels: those the
  Namespace object carries plus the one the API server always sets,
  ``kubernetes.io/metadata.name`` (upstream reads them from its namespace lister).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AffinityTerm",
    "NamespaceLabels",
    "WeightedAffinityTerm",
    "affinity_terms",
    "label_selector_matches",
    "namespace_labels",
    "node_selector_term_matches",
    "pod_labels",
    "pod_namespace",
    "selector_with_match_label_keys",
]

_LABEL_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
_NODE_OPERATORS = (*_LABEL_OPERATORS, "Gt", "Lt")


def pod_labels(pod: Mapping[str, Any]) -> Mapping[str, str]:
    return (pod.get("metadata") or {}).get("labels") or {}


def pod_namespace(pod: Mapping[str, Any]) -> str:
    return (pod.get("metadata") or {}).get("namespace") or "default"


NamespaceLabels = Callable[[str], Mapping[str, str]]
"""A namespace's name to its labels (a lister's ``namespace_labels``)."""


def namespace_labels(namespace: str, labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """The labels of a namespace: ``labels`` (the Namespace object's, if any) and the one the
    API server always sets, ``kubernetes.io/metadata.name``, which no one can change."""
    return {**(labels or {}), "kubernetes.io/metadata.name": namespace}


def _requirement(expr: Mapping[str, Any], labels: Mapping[str, str], operators: tuple) -> bool:
    operator = expr.get("operator")
    if operator not in operators:
        raise ValueError(
            f"label selector operator {operator!r} is not valid: use one of {', '.join(operators)}"
        )
    key = expr.get("key", "")
    values = [str(v) for v in expr.get("values") or ()]
    present = key in labels
    if operator == "In":
        return present and labels[key] in values
    if operator == "NotIn":
        return not present or labels[key] not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    # Gt / Lt: one integer value; the label must parse as an integer (else no match).
    if not present or len(values) != 1:
        return False
    try:
        have, want = int(labels[key]), int(values[0])
    except ValueError:
        return False
    return have > want if operator == "Gt" else have < want


def label_selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` satisfy a ``LabelSelector`` (None matches nothing, {} everything)."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != str(value):
            return False
    return all(
        _requirement(expr, labels, _LABEL_OPERATORS)
        for expr in selector.get("matchExpressions") or ()
    )


def selector_with_match_label_keys(
    selector: Mapping[str, Any] | None, keys: list[str] | None, labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """``selector`` ANDed with ``key In [value]`` for each key of ``keys`` the pod has.

    As ``matchLabelKeys`` of topology spread constraints and pod affinity terms are merged
    (kubernetes/kubernetes ``pkg/scheduler/framework/plugins/podtopologyspread/common.go``).
    """
    if not keys or selector is None:
        return None if selector is None else dict(selector)
    extra = [{"key": k, "operator": "In", "values": [labels[k]]} for k in keys if k in labels]
    merged = dict(selector)
    merged["matchExpressions"] = [*(selector.get("matchExpressions") or ()), *extra]
    return merged


def node_selector_term_matches(
    term: Mapping[str, Any], labels: Mapping[str, str], name: str
) -> bool:
    """Whether a node (labels, name) matches one ``NodeSelectorTerm``.

    An empty term matches nothing; a requirement that cannot be evaluated (Gt on a
    non-number) does not match. ``matchFields`` knows only ``metadata.name`` (In, NotIn).
    """
    expressions = term.get("matchExpressions") or ()
    fields = term.get("matchFields") or ()
    if not expressions and not fields:
        return False
    for expr in expressions:
        if not _requirement(expr, labels, _NODE_OPERATORS):
            return False
    for expr in fields:
        if expr.get("key") != "metadata.name" or expr.get("operator") not in ("In", "NotIn"):
            return False
        if not _requirement(expr, {"metadata.name": name}, ("In", "NotIn")):
            return False
    return True


@dataclass(frozen=True)
class AffinityTerm:
    """A ``PodAffinityTerm`` with its namespaces resolved (upstream ``framework.AffinityTerm``)."""

    namespaces: frozenset[str]
    namespace_selector: Mapping[str, Any] | None
    selector: Mapping[str, Any] | None
    topology_key: str

    def matches(self, pod: Mapping[str, Any],
                labels_of: NamespaceLabels = namespace_labels) -> bool:
        """Whether ``pod`` is in the term's namespaces and matches its label selector;
        ``labels_of`` gives a namespace's labels for ``namespaceSelector`` (by default only
        the automatic one)."""
        namespace = pod_namespace(pod)
        in_namespace = namespace in self.namespaces or (
            self.namespace_selector is not None
            and label_selector_matches(self.namespace_selector, labels_of(namespace))
        )
        return in_namespace and label_selector_matches(self.selector, pod_labels(pod))


@dataclass(frozen=True)
class WeightedAffinityTerm:
    term: AffinityTerm
    weight: int


def _term(raw: Mapping[str, Any], pod: Mapping[str, Any]) -> AffinityTerm:
    namespaces = frozenset(raw.get("namespaces") or ())
    namespace_selector = raw.get("namespaceSelector")
    if not namespaces and namespace_selector is None:
        namespaces = frozenset((pod_namespace(pod),))
    selector = selector_with_match_label_keys(
        raw.get("labelSelector"), raw.get("matchLabelKeys"), pod_labels(pod)
    )
    if raw.get("mismatchLabelKeys") and selector is not None:
        labels = pod_labels(pod)
        extra = [
            {"key": k, "operator": "NotIn", "values": [labels[k]]}
            for k in raw["mismatchLabelKeys"]
            if k in labels
        ]
        selector = {
            **selector,
            "matchExpressions": [*(selector.get("matchExpressions") or ()), *extra],
        }
    return AffinityTerm(namespaces, namespace_selector, selector, raw.get("topologyKey") or "")


def affinity_terms(pod: Mapping[str, Any], kind: str, required: bool) -> list[Any]:
    """The pod's ``podAffinity``/``podAntiAffinity`` terms (``kind``), required or preferred.

    Required terms come back as :class:`AffinityTerm`, preferred ones as
    :class:`WeightedAffinityTerm` (upstream ``framework.NewPodInfo``).
    """
    block = (((pod.get("spec") or {}).get("affinity") or {}).get(kind)) or {}
    if required:
        return [
            _term(t, pod) for t in block.get("requiredDuringSchedulingIgnoredDuringExecution") or ()
        ]
    return [
        WeightedAffinityTerm(_term(t.get("podAffinityTerm") or {}, pod), int(t.get("weight") or 0))
        for t in block.get("preferredDuringSchedulingIgnoredDuringExecution") or ()
    ]
