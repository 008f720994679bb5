"""Values JSON cannot hold (NaN, infinities, a set) are refused where they enter from Python
and never written by a served API (:func:`clustersim.serve.core.compact_json`)."""

from __future__ import annotations

import json
import math

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.manifests import ManifestError
from clustersim.serve import serve
from clustersim.serve.core import Request

PATH = "/api/v1/namespaces/default/configmaps"


def _strict(body: bytes) -> dict:
    """``body`` read as JSON allows: Python's reader takes ``NaN`` and ``Infinity``."""
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is no JSON")
    return json.loads(body, parse_constant=refuse)


@pytest.mark.parametrize("value", [math.nan, math.inf, {"a", "b"}])
def test_applying_a_value_json_cannot_hold_is_refused_naming_its_field(value):
    cluster = KubernetesCluster([Node("n1", cpu=4, memory=8 * 2**30)])
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},
                  "data": {"k": value}}
    with pytest.raises(ManifestError, match=r"data\.k: the (number|value) "):
        cluster.apply(config_map)
    assert cluster.get("ConfigMap", "default", "a") is None


@pytest.mark.parametrize(("value", "problem", "expected"), [
    (math.nan, "the number nan is out of range of a 64-bit float", "a finite number"),
    (-math.inf, "the number -inf is out of range of a 64-bit float", "a finite number"),
    ({"a"}, "the value {'a'} is a set", "strings, numbers, booleans, null, lists and mappings"),
])
def test_an_object_edited_in_place_to_hold_one_is_answered_with_a_status_naming_it(
        value, problem, expected):
    """A lab that edits a stored object in place gets past the loader: a GET, a list and
    a write of that object answer a 500 Status (``InternalError``) that names the object,
    the field and what to write, in JSON; the server had answered ``NaN`` (no JSON) or
    Python's ``TypeError``."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        made = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},
                "data": {"k": "v"}}
        assert server.dispatch(Request("POST", PATH, {}, {"content-type": "application/json"},
                                       json.dumps(made).encode())).status == 201
        server.cluster.get("ConfigMap", "default", "a")["data"]["k"] = value
        for method, path in (("GET", f"{PATH}/a"), ("GET", PATH), ("PATCH", f"{PATH}/a")):
            response = server.dispatch(Request(
                method, path, {}, {"content-type": "application/merge-patch+json"},
                b'{"metadata":{"labels":{"x":"y"}}}' if method == "PATCH" else b""))
            status = _strict(response.body)
            assert (response.status, status["kind"], status["reason"], status["code"]) == (
                500, "Status", "InternalError", 500)
            assert status["message"].startswith(
                'internal error: ConfigMap "a" in namespace "default" holds a value JSON '
                f"cannot hold, at data.k: {problem}")
            assert status["message"].endswith("from Python, past the API's checks: write "
                                              f"{expected} there")
