"""One rule for capital letters in the exercise checks (about 27 lines).

- A value the real API reads or writes (a QoS class, a Job condition's reason, a Pod Security
  level) is compared exactly, as the API compares it: an answer right in any case but not in
  the API's spelling gets :func:`spelt_exactly`'s message, which names the right spelling.
- A free-text label of an exercise ("gitops", "still running") is compared trimmed and in
  any case (:func:`clustersim.exercises.answers.choice`); ``classify`` also lets spaces,
  hyphens or underscores stand between a label's words, and nothing more
  (:mod:`clustersim.exercises.labels`).

The API's spellings: kubernetes/kubernetes ``pkg/apis/core/types.go`` (``PodQOSClass``),
``pkg/apis/batch/types.go`` (the Job condition reasons), and
``staging/src/k8s.io/pod-security-admission/api/helpers.go`` (``ParseLevel`` switches on the
exact level and refuses any other: ``must be one of privileged, baseline, restricted``).
"""

from __future__ import annotations

from clustersim.exercises.checker import Wrong

__all__ = ["spelt_exactly"]


def spelt_exactly(typed: object, meant: str, where: str, why: str) -> None:
    """:class:`Wrong` when ``typed``, an answer already found to mean the API value ``meant``
    in any case, is not spelt as the API spells it: ``where`` names the answer's place, and
    ``why`` (the hint) says who reads that exact spelling."""
    if str(typed).strip() != meant:
        raise Wrong(f"{where}: {meant}, but spelt {typed!r}.", why)
