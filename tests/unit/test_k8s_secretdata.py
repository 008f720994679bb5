"""A Secret's ``stringData`` folded into ``data`` by the simulator's own API server (the
Python API, as the labs apply manifests), as ``Convert_v1_Secret_To_core_Secret`` does
(kubernetes/kubernetes ``pkg/apis/core/v1/conversion.go``)."""

from __future__ import annotations

import base64
import json

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.serve import serve
from tests.unit.test_serve_core import _request

SECRET = """apiVersion: v1
kind: Secret
metadata: {name: db}
immutable: true
data: {password: b2xk, user: YWRtaW4=}
stringData: {password: "één"}
"""


def test_string_data_wins_over_data_and_is_not_stored() -> None:
    cluster = KubernetesCluster([Node("n1", cpu=2, memory="4Gi")])
    cluster.apply(SECRET)
    stored = cluster.get("Secret", "default", "db")
    assert "stringData" not in stored
    assert {k: base64.b64decode(v).decode() for k, v in stored["data"].items()} == {
        "password": "één", "user": "admin"}


def test_an_immutable_secret_refuses_new_string_data() -> None:
    cluster = KubernetesCluster([Node("n1", cpu=2, memory="4Gi")])
    cluster.apply(SECRET)
    with pytest.raises(ValueError, match="data: Forbidden: field is immutable"):
        cluster.apply(SECRET.replace("één", "twee"))
    assert cluster.apply(SECRET) == ["secret/db configured"]     # the same data again


@pytest.mark.parametrize(("method", "path", "media", "body", "status"), [
    ("POST", "", "application/json",
     rb'{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"},"stringData":{"k":"\ud800"}}',
     201),
    ("PATCH", "/b", "application/merge-patch+json", rb'{"stringData":{"k":"\udc00"}}', 200),
])
def test_a_lone_surrogate_in_string_data_is_stored_as_the_replacement_rune(
        method, path, media, body, status) -> None:
    """Go's decoder reads a lone ``\\ud800`` as U+FFFD, so upstream stores its three UTF-8
    bytes (``77+9``); Python's decoder keeps the surrogate, which no UTF-8 can encode."""
    secrets = "/api/v1/namespaces/default/secrets"
    with serve("kubernetes", nodes=1, speed=0) as server:
        created, _ = _request(server, "POST", secrets, b'{"apiVersion":"v1","kind":"Secret",'
                              b'"metadata":{"name":"b"},"stringData":{"k":"x"}}',
                              {"Content-Type": "application/json"})
        assert created == 201
        answer, data = _request(server, method, secrets + path, body, {"Content-Type": media})
    assert (answer, json.loads(data)["data"]) == (status, {"k": "77+9"})


def _create(body: dict) -> tuple[int, dict]:
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, data = _request(server, "POST", "/api/v1/namespaces/default/secrets",
                                json.dumps({"apiVersion": "v1", "kind": "Secret",
                                            "metadata": {"name": "s"}, **body}).encode(),
                                {"Content-Type": "application/json"})
    return status, json.loads(data)


def test_a_null_string_data_value_is_the_empty_string() -> None:
    """encoding/json decodes a map's element into a fresh zero value, which ``null`` leaves
    as it is: ``data.a`` is empty (the simulator had refused it as a missing value)."""
    status, answer = _create({"stringData": {"a": None, "b": "x"}})
    assert (status, answer["data"]) == (201, {"a": "", "b": "eA=="})


@pytest.mark.parametrize("body", [
    {"data": {"a": base64.b64encode(b"x" * 1_048_000).decode(), "b": "eHh4" * 200}},
    {"data": {"a": "eA=="}, "stringData": {"b": "x" * 1_048_576}},
])
def test_a_secret_over_one_mebibyte_is_refused_on_data(body) -> None:
    """``ValidateSecret``: the bytes of all of ``data``'s values (``stringData`` folded in)
    may total ``MaxSecretSize``; one byte more is ``field.TooLong`` on ``data``."""
    status, answer = _create(body)
    assert (status, answer["message"]) == (422, 'Secret "s" is invalid: data: Too long: may '
                                                "not be more than 1048576 bytes")
    assert answer["details"]["causes"] == [{"reason": "FieldValueTooLong", "field": "data",
                                            "message": "Too long: may not be more than "
                                                       "1048576 bytes"}]
    cluster = KubernetesCluster([Node("n1", cpu=2, memory="4Gi")])
    with pytest.raises(ValueError, match="data: Too long: may not be more than 1048576 bytes"):
        cluster.apply({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, **body})


def test_a_secret_of_exactly_one_mebibyte_is_stored() -> None:
    assert _create({"stringData": {"a": "x" * 1_048_576}})[0] == 201


def test_a_bad_string_data_key_is_named_under_data() -> None:
    """The internal Secret has no ``stringData``: its keys are validated as ``data``'s."""
    status, answer = _create({"stringData": {"a b": "x"}})
    assert status == 422 and answer["details"]["causes"][0]["field"].startswith("data[")
