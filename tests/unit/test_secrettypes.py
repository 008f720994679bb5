"""What each built-in Secret type requires (clustersim.manifests.secrettypes), after
``ValidateSecret``'s ``switch secret.Type`` (kubernetes/kubernetes ``pkg/apis/core/validation/
validation.go``): refused alike by the loader and by the served API."""

from __future__ import annotations

import base64

import pytest

from clustersim.manifests import ManifestError, load_manifests
from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


_REDACTED = 'Invalid value: "<secret contents redacted>": '
CASES = [
    ("kubernetes.io/tls", {"tls.crt": _b64("c")}, {}, ["data[tls.key]: Required value"]),
    ("kubernetes.io/tls", {}, {}, ["data[tls.crt]: Required value",
                                   "data[tls.key]: Required value"]),
    ("kubernetes.io/dockerconfigjson", {".dockerconfigjson": _b64("{bad")}, {},
     [f"data[.dockerconfigjson]: {_REDACTED}invalid character 'b' looking for beginning of "
      "object key string"]),
    ("kubernetes.io/dockerconfigjson", {".dockerconfigjson": _b64("[1]")}, {},
     [f"data[.dockerconfigjson]: {_REDACTED}json: cannot unmarshal array into Go value of "
      "type map[string]interface {}"]),
    ("kubernetes.io/dockercfg", {".dockercfg": ""}, {},
     [f"data[.dockercfg]: {_REDACTED}unexpected end of JSON input"]),
    ("kubernetes.io/dockerconfigjson", {}, {}, ["data[.dockerconfigjson]: Required value"]),
    ("kubernetes.io/basic-auth", {}, {}, ["data[%s][username]: Required value",
                                          "data[%s][password]: Required value"]),
    ("kubernetes.io/ssh-auth", {"ssh-privatekey": ""}, {},
     ["data[%s][ssh-privatekey]: Required value"]),
    ("kubernetes.io/service-account-token", {}, {},
     ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]),
]
ACCEPTED = [
    ("kubernetes.io/tls", {"tls.crt": "", "tls.key": ""}, {}),
    ("kubernetes.io/dockerconfigjson", {".dockerconfigjson": _b64('{"auths":{}}')}, {}),
    ("kubernetes.io/basic-auth", {"password": ""}, {}),        # one of the two keys will do
    ("kubernetes.io/service-account-token", {},
     {"kubernetes.io/service-account.name": "default"}),
    ("bootstrap.kubernetes.io/token", {}, {}),
    ("example.com/anything", {}, {}),
]


def _secret(secret_type: str, data: dict, annotations: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "type": secret_type,
            "metadata": {"name": "s", "annotations": annotations}, "data": data}


@pytest.mark.parametrize(("secret_type", "data", "annotations", "problems"), CASES)
def test_the_loader_refuses_what_a_type_requires(secret_type, data, annotations, problems):
    with pytest.raises(ManifestError) as refused:
        load_manifests(_secret(secret_type, data, annotations))
    assert [e.message for e in (refused.value, *refused.value.also)] == problems


@pytest.mark.parametrize(("secret_type", "data", "annotations"), ACCEPTED)
def test_the_loader_takes_what_a_type_allows(secret_type, data, annotations):
    load_manifests(_secret(secret_type, data, annotations))


def test_string_data_counts_as_data():
    """``stringData`` is folded into ``data`` before ``ValidateSecret`` runs."""
    load_manifests({**_secret("kubernetes.io/tls", {"tls.crt": _b64("c")}, {}),
                    "stringData": {"tls.key": "k"}})


def test_the_served_api_refuses_them_with_a_cause_each():
    """A TLS Secret with one key and a dockerconfigjson one that is no JSON had been made."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        for secret_type, data, annotations, problems in CASES[:3] + CASES[6:7]:
            status, answer = _answer(server, "POST", "/api/v1/namespaces/default/secrets",
                                     _secret(secret_type, data, annotations))
            listed = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
            assert (status, answer["message"]) == (422, f'Secret "s" is invalid: {listed}')
            assert [f'{c["field"]}: {c["message"]}' for c in answer["details"]["causes"]] == \
                problems
        assert server.cluster.get("Secret", "default", "s") is None
