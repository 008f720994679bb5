"""A Secret's ``stringData`` folded into ``data`` by the simulator's own API server (the
Python API, as the labs apply manifests), as ``Convert_v1_Secret_To_core_Secret`` does
(kubernetes/kubernetes ``pkg/apis/core/v1/conversion.go``)."""

from __future__ import annotations

import base64

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster

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
