"""ConfigMap and Secret updates: the immutable rule, and when each consumer sees an edit
(clustersim.kubernetes.configupdates)."""

from __future__ import annotations

import itertools

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.cluster import AdmissionError
from clustersim.kubernetes.configupdates import (
    RESYNC_JITTER,
    SYNC_FREQUENCY,
    after_edit,
    consumers,
    pod_syncs,
)
from clustersim.kubernetes.immutablefields import immutable_field_refusal

FORBIDDEN = "Forbidden: field is immutable when `immutable` is set"


def config(data: dict | None = None, immutable: bool | None = None, binary: dict | None = None,
           kind: str = "ConfigMap") -> dict:
    obj = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "app-config"}}
    if data is not None:
        obj["data"] = data
    if binary is not None:
        obj["binaryData"] = binary
    if immutable is not None:
        obj["immutable"] = immutable
    return obj


# The cases of TestValidateConfigMapUpdate (pkg/apis/core/validation/validation_test.go):
# a mutable object may change and may become immutable; an immutable one may not change its
# data or binaryData, nor become mutable again.
@pytest.mark.parametrize("old, new, fields", [
    (config({"a": "1"}), config({"a": "2"}), []),
    (config({"a": "1"}), config({"a": "1"}, immutable=True), []),
    (config({"a": "1"}, immutable=False), config({"a": "2"}, immutable=True), []),
    (config({"a": "1"}, immutable=True), config({"a": "1"}, immutable=True), []),
    (config({"a": "1"}, immutable=True), config({"a": "2"}, immutable=True), ["data"]),
    (config({"a": "1"}, immutable=True), config({"a": "1"}, immutable=False), ["immutable"]),
    (config({"a": "1"}, immutable=True), config({"a": "1"}), ["immutable"]),
    (config({"a": "1"}, immutable=True), config({"a": "1"}, True, {"b": "Yg=="}),
     ["binaryData"]),
    (config({"a": "1"}, immutable=True), config({"a": "2"}, immutable=False),
     ["immutable", "data"]),
])
def test_immutable_objects_refuse_changes_like_the_api_server(old, new, fields) -> None:
    refusal = immutable_field_refusal(old, new)
    if not fields:
        assert refusal is None
        return
    listed = ", ".join(f"{field}: {FORBIDDEN}" for field in fields)
    if len(fields) > 1:
        listed = f"[{listed}]"
    assert refusal == f'The ConfigMap "app-config" is invalid: {listed}'


def test_secrets_follow_the_same_rule() -> None:
    refusal = immutable_field_refusal(config({"p": "YQ=="}, True, kind="Secret"),
                                      config({"p": "Yg=="}, True, kind="Secret"))
    assert refusal == f'The Secret "app-config" is invalid: data: {FORBIDDEN}'


def typed(secret: dict, kind: str | None) -> dict:
    return {**secret, "type": kind} if kind else secret


@pytest.mark.parametrize("old, new, refused", [
    (None, "Opaque", None),
    ("Opaque", None, None),
    ("kubernetes.io/tls", "kubernetes.io/tls", None),
    ("Opaque", "kubernetes.io/tls", "kubernetes.io/tls"),
    ("kubernetes.io/tls", None, "Opaque"),
    # a core.SecretType, a named string type: JSON since 1.34 ("&" escaped), never %q
    ("Opaque", "example.com/a&b", "example.com/a\\u0026b"),
])
def test_a_secrets_type_is_fixed_at_creation(old, new, refused) -> None:
    """``ValidateSecretUpdate``'s ``ValidateImmutableField`` on ``type``, both sides
    defaulted to ``Opaque`` (``SetDefaults_Secret``): a new type was stored."""
    secret = config({"p": "YQ=="}, kind="Secret")
    refusal = immutable_field_refusal(typed(secret, old), typed(secret, new))
    assert refusal == (None if refused is None else
                       f'The Secret "app-config" is invalid: type: Invalid value: '
                       f'"{refused}": field is immutable')


def test_a_secrets_type_is_listed_before_its_immutable_data() -> None:
    """The errors of one Secret in ``ValidateSecretUpdate``'s order: type, immutable, data;
    a Secret has no binaryData to check."""
    old = config({"p": "YQ=="}, True, {"b": "Yg=="}, kind="Secret")
    new = typed(config({"p": "Yg=="}, False, kind="Secret"), "kubernetes.io/basic-auth")
    assert immutable_field_refusal(old, new) == (
        'The Secret "app-config" is invalid: [type: Invalid value: '
        f'"kubernetes.io/basic-auth": field is immutable, immutable: {FORBIDDEN}, '
        f'data: {FORBIDDEN}]')


def test_the_python_api_refuses_a_new_secret_type() -> None:
    c = cluster()
    secret = config({"tls.crt": "YQ==", "tls.key": "Yg=="}, kind="Secret")
    c.apply(typed(secret, "kubernetes.io/tls"))
    with pytest.raises(AdmissionError, match='type: Invalid value: "Opaque": field is immutable'):
        c.apply(typed(secret, "Opaque"))
    assert c.get("Secret", "default", "app-config")["type"] == "kubernetes.io/tls"


def cluster() -> KubernetesCluster:
    return KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)


def test_apply_changes_a_configmaps_data() -> None:
    # a bug fixed: apply answered "configured" and kept the old data
    c = cluster()
    c.apply(config({"a": "1"}))
    assert c.apply(config({"a": "2"})) == ["configmap/app-config configured"]
    stored = c.get("ConfigMap", "default", "app-config")
    assert stored["data"] == {"a": "2"} and "spec" not in stored


def test_apply_refuses_to_change_an_immutable_configmap() -> None:
    c = cluster()
    c.apply(config({"a": "1"}, immutable=True))
    with pytest.raises(AdmissionError, match="data: Forbidden"):
        c.apply(config({"a": "2"}, immutable=True))
    assert c.get("ConfigMap", "default", "app-config")["data"] == {"a": "1"}


POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {
    "containers": [{
        "name": "web", "image": "nginx:1.27",
        "env": [{"name": "LOG_LEVEL",
                 "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "level"}}}],
        "envFrom": [{"secretRef": {"name": "db"}}],
        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"},
                         {"name": "config", "mountPath": "/etc/nginx/nginx.conf",
                          "subPath": "nginx.conf"}]}],
    "volumes": [{"name": "config", "configMap": {"name": "app-config"}}]}}


def test_consumers_lists_every_use_in_spec_order() -> None:
    found = [(c.kind, c.name, c.how, c.target) for c in consumers(POD)]
    assert found == [("ConfigMap", "app-config", "env", "LOG_LEVEL"),
                     ("Secret", "db", "envFrom", ""),
                     ("ConfigMap", "app-config", "volume", "/etc/app"),
                     ("ConfigMap", "app-config", "subPath", "/etc/nginx/nginx.conf")]


def test_consumers_reads_a_deployments_template_and_projected_volumes() -> None:
    deployment = {"kind": "Deployment", "spec": {"template": {"spec": {
        "containers": [{"name": "a", "volumeMounts": [{"name": "p", "mountPath": "/p"}]}],
        "volumes": [{"name": "p", "projected": {"sources": [
            {"secret": {"name": "s"}}, {"configMap": {"name": "c"}}]}}]}}}}
    assert [(c.kind, c.name) for c in consumers(deployment)] == [("Secret", "s"),
                                                                  ("ConfigMap", "c")]


def test_syncs_come_one_to_one_and_a_half_periods_apart() -> None:
    times = pod_syncs(3600, seed=3)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= SYNC_FREQUENCY - 0.1
    assert max(gaps) <= SYNC_FREQUENCY * (1 + RESYNC_JITTER) + 0.1
    assert max(gaps) - min(gaps) > 10  # jittered, not a fixed period
    assert pod_syncs(3600, seed=3) == times


def test_only_the_volume_sees_an_edit_at_the_next_sync() -> None:
    seen = after_edit(POD, "ConfigMap", "app-config", 100, seed=1)
    by_how = {s.consumer.how: s.at for s in seen}
    assert by_how["env"] is None and by_how["subPath"] is None
    syncs = pod_syncs(200, seed=1)
    assert by_how["volume"] == min(t for t in syncs if t >= 100)
    assert 100 <= by_how["volume"] <= 100 + SYNC_FREQUENCY * (1 + RESYNC_JITTER)


def test_the_cache_delay_postpones_the_files() -> None:
    late = after_edit(POD, "ConfigMap", "app-config", 100, seed=1, cache_delay=300)
    assert next(s.at for s in late if s.consumer.how == "volume") >= 400


def test_bad_arguments_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="ConfigMap or Secret"):
        after_edit(POD, "Deployment", "x", 1)
    with pytest.raises(ValueError, match="positive"):
        pod_syncs(10, sync_frequency=0)
