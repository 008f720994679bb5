"""Kustomize's content hash (clustersim.kubernetes.contenthash), with the cases of
kubernetes-sigs/kustomize api/hasher/hasher_test.go."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clustersim.kubernetes.contenthash import content_hash, encode, generated_name

CM = "apiVersion: v1\nkind: ConfigMap\n"
SECRET = "apiVersion: v1\nkind: Secret\ntype: my-type\n"


def parse(text: str) -> dict:
    return yaml.safe_load(text)


# TestConfigMapHash and TestSecretHash
@pytest.mark.parametrize("text, expected", [
    (CM, "6ct58987ht"),
    (CM + 'data:\n  one: ""', "9g67k2htb6"),
    (CM + 'data:\n  two: 2\n  one: ""\n  three: 3', "7757f9kkct"),
    (CM + 'binaryData:\n  one: ""', "6mtk2m274t"),
    (CM + 'binaryData:\n  two: 2\n  one: ""\n  three: 3', "9th7kc28dg"),
    (CM + 'data:\n  one: ""\nbinaryData:\n  two: ""', "698h7c7t9m"),
    (SECRET, "5gmgkf8578"),
    (SECRET + 'data:\n  one: ""', "74bd68bm66"),
    (SECRET + 'data:\n  two: 2\n  one: ""\n  three: 3', "4gf75c7476"),
    (SECRET + 'data:\n  one: ""\nstringData:\n  two: 2', "c4h4264gdb"),
])
def test_hashes_match_kustomize(text: str, expected: str) -> None:
    assert content_hash(parse(text)) == expected


# TestEncodeConfigMap and TestEncodeSecret
@pytest.mark.parametrize("text, expected", [
    (CM, '{"data":"","kind":"ConfigMap","name":""}'),
    (CM + 'data:\n  two: 2\n  one: ""\n  three: 3',
     '{"data":{"one":"","three":3,"two":2},"kind":"ConfigMap","name":""}'),
    (CM + 'data:\n  one: ""\nbinaryData:\n  two: ""',
     '{"binaryData":{"two":""},"data":{"one":""},"kind":"ConfigMap","name":""}'),
    (SECRET + 'data:\n  one: ""\nstringData:\n  two: 2',
     '{"data":{"one":""},"kind":"Secret","name":"","stringData":{"two":2},"type":"my-type"}'),
])
def test_encoding_matches_kustomize(text: str, expected: str) -> None:
    assert encode(parse(text)) == expected


def test_go_escapes_html_characters() -> None:
    assert encode(parse(CM + "data:\n  a: <&>")) == \
        '{"data":{"a":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","name":""}'


def test_the_name_changes_with_the_data_only() -> None:
    one = parse(CM + "metadata: {name: web-config, labels: {a: b}}\ndata: {level: info}")
    two = parse(CM + "metadata: {name: web-config}\ndata: {level: debug}")
    assert generated_name(one).startswith("web-config-")
    assert generated_name(one) == generated_name({**one, "metadata": {"name": "web-config"}})
    assert generated_name(one) != generated_name(two)


# What `kubectl kustomize` (kubectl v1.37.1, Kustomize v5.8.1) printed for one generator each;
# test_real_kustomize_prints_these_names runs the binary again where it is installed.
# (kind, name, literal, generated name)
REAL_KUSTOMIZE = [
    ("configMap", "api-config", "LOG_LEVEL=warn", "api-config-dfk4bdbtkk"),
    ("configMap", "api-config", "LOG_LEVEL=info", "api-config-hf678c7m2b"),
    ("secret", "db", "PASSWORD=s3cret", "db-k756ct962b"),
]


def generated(kind: str, name: str, literal: str) -> dict:
    """The object a generator makes of one literal: a Secret's value in base64, type Opaque."""
    key, value = literal.split("=", 1)
    if kind == "secret":
        return {"kind": "Secret", "type": "Opaque", "metadata": {"name": name},
                "data": {key: base64.b64encode(value.encode()).decode()}}
    return {"kind": "ConfigMap", "metadata": {"name": name}, "data": {key: value}}


@pytest.mark.parametrize("kind, name, literal, expected", REAL_KUSTOMIZE)
def test_generated_names_match_real_kustomize(kind: str, name: str, literal: str,
                                              expected: str) -> None:
    assert generated_name(generated(kind, name, literal)) == expected


def test_the_name_is_not_hashed() -> None:
    """hasher.go looks up "metadata/name" as one key, finds nothing and hashes ""."""
    data = parse(CM + "metadata: {name: one}\ndata: {a: b}")
    assert content_hash(data) == content_hash({**data, "metadata": {"name": "two"}})
    assert '"name":""' in encode(data)


@pytest.mark.parametrize("kind, name, literal, expected", REAL_KUSTOMIZE)
def test_real_kustomize_prints_these_names(tmp_path: Path, kind: str, name: str, literal: str,
                                           expected: str) -> None:
    kubectl = shutil.which("kubectl", path=str(Path(sys.executable).parent))
    if kubectl is None:
        pytest.skip("no kubectl beside this Python (the venv's kubectl embeds Kustomize)")
    (tmp_path / "kustomization.yaml").write_text(
        f"{kind}Generator:\n- name: {name}\n  literals: [{literal}]\n")
    built = subprocess.run([kubectl, "kustomize", str(tmp_path)], capture_output=True,
                           text=True, timeout=60, check=True).stdout
    assert yaml.safe_load(built)["metadata"]["name"] == expected


def test_other_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="only ConfigMaps and Secrets"):
        content_hash({"kind": "Deployment"})
