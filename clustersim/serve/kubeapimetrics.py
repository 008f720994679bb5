"""The API server's ``/metrics``, in the Prometheus text format, reduced to what the simulated
API server can count honestly:

- ``apiserver_resource_objects``, the number of objects stored of each resource
  (k8s.io/apiserver ``pkg/storage/etcd3/metrics/metrics.go``, ``newObjectCounts``: an ALPHA
  gauge labelled ``group`` and ``resource``, which since v1.34 replaces the deprecated
  ``apiserver_storage_objects``);
- ``apiserver_request_total``, the requests answered on the resource routes
  (k8s.io/apiserver ``pkg/endpoints/metrics/metrics.go``, ``requestCounter``: a STABLE
  counter labelled ``verb``, ``dry_run``, ``group``, ``version``, ``resource``,
  ``subresource``, ``scope``, ``component`` and ``code``, counted by ``MonitorRequest``):
  :class:`RequestCounts`, each request's labels found as upstream's ``CleanScope``,
  ``CanonicalVerb``, ``cleanVerb`` and ``cleanDryRun`` find them (:func:`request_labels`).

A real kube-apiserver serves hundreds of series there, and refreshes its object counts from
the storage's statistics about once a minute; the simulator counts objects on each read and
says, in a comment line that Prometheus parsers skip, that it serves these two only. Among
the request series it leaves out (the same ``metrics.go``): ``apiserver_request_duration_seconds``
and ``apiserver_request_slo_duration_seconds`` (latency histograms: the simulator's latencies
are its own Python's, not a cluster's), ``apiserver_response_sizes``,
``apiserver_longrunning_requests`` (open watches), ``apiserver_current_inflight_requests``,
``apiserver_watch_events_total`` and ``apiserver_watch_events_sizes``,
``apiserver_request_terminations_total``, ``apiserver_selfrequest_total`` and
``apiserver_requested_deprecated_apis``; beside them every etcd, admission, authentication,
flow-control, Go runtime and process series. Simplified in what it counts: a real server counts
a watch when it ends, the simulator when it starts streaming; requests to the non-resource
paths (discovery, ``/version``, ``/openapi``, the health checks, ``/metrics``) and to paths
that name no resource are not counted; an ``autoscaling/v1`` request is counted as the
``autoscaling/v2`` request it is served as. The ``metrics.k8s.io`` resources are left out of
the object counts: metrics-server serves them, nothing is stored.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

__all__ = ["CONTENT_TYPE", "RequestCounts", "exposition", "request_labels"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The text exposition format's media type (prometheus/common ``expfmt``)."""

_HELP = ("[ALPHA] Number of stored objects at the time of last check split by kind. In case of "
         "a fetching error, the value will be -1.")
_REQUESTS_HELP = ("[STABLE] Counter of apiserver requests broken out for each verb, dry run "
                  "value, group, version, resource, scope, component, and HTTP response code.")

COMPONENT = "apiserver"
"""``metrics.APIServerComponent``: the ``component`` of the requests the API installer's
routes serve."""

_LABELS = ("code", "component", "dry_run", "group", "resource", "scope", "subresource", "verb",
           "version")
"""The counter's labels in the order client_golang writes them (sorted by name)."""


def request_labels(method: str, query: Mapping[str, Sequence[str]], content_type: str, *,
                   group: str, version: str, resource: str, subresource: str,
                   namespace: str | None, name: str | None) -> dict[str, str]:
    """The labels, but ``code``, of a request on a resource route: ``scope`` as
    ``CleanScope`` gives it (``resource`` for a named object or a create, ``namespace``,
    else ``cluster``), ``verb`` as ``CanonicalVerb`` and ``cleanVerb`` (a GET of a
    collection is LIST, or WATCH with ``watch``; a PATCH of ``application/apply-patch+yaml``
    is APPLY), ``dry_run`` as ``cleanDryRun`` (the values sorted and once each, ``invalid``
    for any but ``All``)."""
    scope = "resource" if name or method == "POST" else "namespace" if namespace else "cluster"
    verb = method.upper()
    if verb in ("GET", "HEAD"):
        verb = "GET" if scope == "resource" else "LIST"
        watch = query.get("watch")
        if watch and watch[0].lower() not in ("0", "false"):
            verb = "WATCH"
    elif verb == "PATCH" and content_type == "application/apply-patch+yaml":
        verb = "APPLY"
    dry_run = list(query.get("dryRun", ()))
    return {"component": COMPONENT, "verb": verb, "group": group, "version": version,
            "resource": resource, "subresource": subresource, "scope": scope,
            "dry_run": "invalid" if any(value != "All" for value in dry_run)
            else ",".join(sorted(set(dry_run)))}


class RequestCounts:
    """The ``apiserver_request_total`` counter: requests by their labels."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, ...]] = Counter()

    def record(self, labels: Mapping[str, str], code: int) -> None:
        """One request answered with the status ``code``."""
        self._counts[tuple({**labels, "code": str(code)}[name] for name in _LABELS)] += 1

    def lines(self) -> list[str]:
        """The counter's exposition lines, its series sorted by their label values."""
        lines = [f"# HELP apiserver_request_total {_REQUESTS_HELP}",
                 "# TYPE apiserver_request_total counter"]
        for values, count in sorted(self._counts.items()):
            labels = ",".join(f'{name}="{_escape(value)}"'
                              for name, value in zip(_LABELS, values, strict=True))
            lines.append(f"apiserver_request_total{{{labels}}} {count}")
        return lines


def _escape(value: str) -> str:
    """A label value as the text format escapes it: backslash, double quote, newline."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def exposition(counts: Mapping[tuple[str, str], int], requests: RequestCounts) -> bytes:
    """The ``/metrics`` text of ``counts``, objects by (API group, resource), and of the
    ``requests`` answered, each metric's series in label order as client_golang writes them,
    the metrics sorted by name as its registry gathers them."""
    lines = ["# clustersim serves these two metrics; a real kube-apiserver serves hundreds"]
    lines += requests.lines()
    lines += [f"# HELP apiserver_resource_objects {_HELP}",
              "# TYPE apiserver_resource_objects gauge"]
    lines += [f'apiserver_resource_objects{{group="{group}",resource="{resource}"}} {count}'
              for (group, resource), count in sorted(counts.items())]
    return ("\n".join(lines) + "\n").encode()
