"""Fields a newcomer writes in the shape of another Kubernetes object's, and what to write
instead: one rule for every check that loads a Kubernetes answer
(:func:`clustersim.exercises.answers.load_answer`), beside the words carried from another
orchestrator (:mod:`clustersim.exercises.carried_words`).

A Service's ``spec.selector`` is a plain map of labels, matched by equality only
(``ServiceSpec.Selector`` in kubernetes/api ``core/v1/types.go``, a ``map[string]string``;
https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#service-and-replicationcontroller),
while a Deployment's or a ReplicaSet's is a ``LabelSelector`` with ``matchLabels`` and
``matchExpressions``. Written as a Deployment's, the Service's selector is refused by the
API server's decoder, which reads ``matchLabels`` as a label whose value is an object
(``cannot unmarshal object into Go struct field ServiceSpec.spec.selector of type string``),
words that point at quoting rather than at the shape.
"""

from __future__ import annotations

from clustersim.manifests import ManifestError

__all__ = ["mixed_field_hint"]


def mixed_field_hint(err: ManifestError) -> str | None:
    """The hint for ``err`` when it refuses a field written in another object's shape; None
    for any other refusal."""
    if err.path.endswith("selector.matchLabels") and "ServiceSpec" in err.message:
        return ("A Service's selector is a plain map of labels, such as selector: {app: web}, "
                "without matchLabels: that form belongs to a Deployment's (and a "
                "ReplicaSet's) selector.")
    return None
