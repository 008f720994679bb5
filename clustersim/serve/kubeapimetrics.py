"""The API server's ``/metrics``, in the Prometheus text format, reduced to what the simulated
API server can count honestly: ``apiserver_resource_objects``, the number of objects stored of
each resource (k8s.io/apiserver ``pkg/storage/etcd3/metrics/metrics.go``, ``newObjectCounts``:
an ALPHA gauge labelled ``group`` and ``resource``, which since v1.34 replaces the deprecated
``apiserver_storage_objects``).

A real kube-apiserver serves hundreds of series there (requests by verb and code, latencies,
watch counts, etcd's, the Go runtime's and the process's) and refreshes its object counts from
the storage's statistics about once a minute; the simulator counts on each read and says, in a
comment line that Prometheus parsers skip, that it serves this one metric only. The
``metrics.k8s.io`` resources are left out: metrics-server serves them, nothing is stored.
"""
from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CONTENT_TYPE", "exposition"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The text exposition format's media type (prometheus/common ``expfmt``)."""

_HELP = ("[ALPHA] Number of stored objects at the time of last check split by kind. In case of "
         "a fetching error, the value will be -1.")


def exposition(counts: Mapping[tuple[str, str], int]) -> bytes:
    """The ``/metrics`` text of ``counts``, objects by (API group, resource), in label order
    as client_golang writes a metric's series."""
    lines = ["# clustersim serves this one metric; a real kube-apiserver serves hundreds",
             f"# HELP apiserver_resource_objects {_HELP}",
             "# TYPE apiserver_resource_objects gauge"]
    lines += [f'apiserver_resource_objects{{group="{group}",resource="{resource}"}} {count}'
              for (group, resource), count in sorted(counts.items())]
    return ("\n".join(lines) + "\n").encode()
