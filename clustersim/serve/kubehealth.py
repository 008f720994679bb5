"""The API server's health endpoints, ``/livez``, ``/readyz`` and ``/healthz``, with the checks
a kube-apiserver lists (``kubectl get --raw '/readyz?verbose'``).

After k8s.io/apiserver ``pkg/server/healthz/healthz.go`` (``handleRootHealth`` and
``adaptCheckToHandler``; documented in
https://kubernetes.io/docs/reference/using-api/health-checks/, as of December 2026):

- The root path runs every check in order and answers ``ok``; with ``verbose`` in the query
  (any value, or none) it lists them, ``[+]<name> ok`` a line each, and ends with
  ``<endpoint> check passed``.
- ``exclude=<name>`` (repeatable) skips a check, listed as ``[+]<name> excluded: ok``; a name
  that matches no check adds the line ``warn: some health checks cannot be excluded: no
  matches for "<name>"`` (the names sorted, quoted as Go's ``%q``).
- Each check also has a path of its own, ``/readyz/<name>``, which answers ``ok``.

The checks and their order are those of a kube-apiserver of the v1.33 era with its default
feature gates, as its ``/readyz?verbose`` lists them (the boot-sequence post-start hooks are
registered for all three endpoints); ``etcd-readiness``, ``informer-sync`` and ``shutdown`` are
readiness checks only. The names were checked against upstream's e2e test
(kubernetes/kubernetes ``test/e2e/apimachinery/health_handlers.go``, which requires a subset
of them) and against the listings of real servers; that the full list and order are still a
v1.37 server's could not be confirmed: a later release may add a hook (a beta feature gate
turned on by default adds its own).

Simplified: every check passes, as the simulated control plane has nothing to wait for; a
real API server answers 500 with ``[-]<name> failed: reason withheld`` and ``<endpoint>
check failed`` while one fails (starting, or shutting down for ``readyz``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from clustersim.goformat import go_quote
from clustersim.serve.core import Response

__all__ = ["ENDPOINTS", "health"]

_HOOKS = tuple(f"poststarthook/{hook}" for hook in (
    "start-apiserver-admission-initializer", "generic-apiserver-start-informers",
    "priority-and-fairness-config-consumer", "priority-and-fairness-filter",
    "storage-object-count-tracker-hook", "start-apiextensions-informers",
    "start-apiextensions-controllers", "crd-informer-synced",
    "start-system-namespaces-controller", "start-cluster-authentication-info-controller",
    "start-kube-apiserver-identity-lease-controller",
    "start-kube-apiserver-identity-lease-garbage-collector",
    "start-legacy-token-tracking-controller", "start-service-ip-repair-controllers",
    "rbac/bootstrap-roles", "scheduling/bootstrap-system-priority-classes",
    "priority-and-fairness-config-producer", "bootstrap-controller",
    "start-kubernetes-service-cidr-controller", "aggregator-reload-proxy-client-cert",
    "start-kube-aggregator-informers", "apiservice-status-local-available-controller",
    "apiservice-status-remote-available-controller", "apiservice-registration-controller",
    "apiservice-wait-for-first-sync", "apiservice-discovery-controller",
    "kube-apiserver-autoregistration"))
_LATE = ("autoregister-completion", "poststarthook/apiservice-openapi-controller",
         "poststarthook/apiservice-openapiv3-controller")
_LIVE = ("ping", "log", "etcd", *_HOOKS, *_LATE)

ENDPOINTS: dict[str, tuple[str, ...]] = {
    "livez": _LIVE,
    "healthz": _LIVE,
    "readyz": ("ping", "log", "etcd", "etcd-readiness", "informer-sync", *_HOOKS, *_LATE,
               "shutdown"),
}
"""Each endpoint's checks, in the order the API server runs and lists them."""


def health(path: str, query: Mapping[str, Sequence[str]]) -> Response | None:
    """The answer to a GET of ``path`` (``/readyz``, ``/readyz/<check>``...), or None when
    it is no health endpoint's."""
    endpoint, _, check = path.strip("/").partition("/")
    checks = ENDPOINTS.get(endpoint)
    if checks is None or (check and check not in checks):
        return None
    if check or "verbose" not in query:
        return Response.text(200, "ok")
    excluded = set(query.get("exclude", ()))
    lines = [f"[+]{name} excluded: ok" if name in excluded else f"[+]{name} ok"
             for name in checks]
    unmatched = sorted(excluded - set(checks))
    if unmatched:
        lines.append("warn: some health checks cannot be excluded: no matches for "
                     + ",".join(go_quote(name) for name in unmatched))
    return Response.text(200, "\n".join(lines) + f"\n{endpoint} check passed\n")
