"""Writes the served API decodes and validates before it compares or answers them
(clustersim.serve.kubernetes): a Pod's new spec before it is compared with the stored one,
a created Namespace answered as the registry stored it."""

from __future__ import annotations

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer

_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


@pytest.mark.parametrize(("method", "kind", "patch", "problem"), [
    ("PUT", "application/json", None,
     'spec.containers[1]: unknown object type "nil" in spec.containers[1]'),
    ("PATCH", "application/json-patch+json",
     [{"op": "add", "path": "/spec/containers/-", "value": None}],
     'spec.containers[1]: unknown object type "nil" in spec.containers[1]'),
    ("PATCH", "application/merge-patch+json", {"spec": None}, "spec.containers: Required value"),
])
def test_a_pod_update_is_validated_before_it_is_compared(method, kind, patch, problem):
    """The new spec is decoded and validated before it is compared with the stored one: a
    container ``null`` had been a 500 (the comparison renders the Pod, its QoS class
    included), a merge patch ``{"spec": null}`` a 200 that changed nothing (Go decodes a
    null struct as its zero value, which ``ValidatePodUpdate`` refuses)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        path = "/api/v1/namespaces/default/pods"
        assert _answer(server, "POST", path, _POD)[0] == 201
        _, current = _answer(server, "GET", f"{path}/p")
        if patch is None:
            current["spec"]["containers"].append(None)
        status, refused = _answer(server, method, f"{path}/p",
                                  current if patch is None else patch, kind)
        assert (status, refused["reason"]) == (422, "Invalid")
        assert refused["message"] == f'Pod "p" is invalid: {problem}'


def test_a_created_namespace_is_answered_as_it_is_stored():
    """``namespaceStrategy.PrepareForCreate`` (kubernetes/kubernetes
    ``pkg/registry/core/namespace/strategy.go``) sets ``spec.finalizers: [kubernetes]`` and
    ``status.phase: Active``; the POST's answer had neither, while a GET right after did."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        for query in ("?dryRun=All", ""):
            status, made = _answer(server, "POST", f"/api/v1/namespaces{query}",
                                   {"metadata": {"name": "n"}})
            assert status == 201
            assert (made["spec"], made["status"]) == ({"finalizers": ["kubernetes"]},
                                                      {"phase": "Active"})
            assert made["metadata"]["labels"] == {"kubernetes.io/metadata.name": "n"}
        assert _answer(server, "GET", "/api/v1/namespaces/n")[1] == made
