"""A RoleBinding's and a ClusterRoleBinding's ``roleRef`` and subjects are validated as
``ValidateRoleBinding`` and ``validateRoleBindingSubject`` (kubernetes/kubernetes
``pkg/apis/rbac/validation/validation.go``) validate them, after the v1 defaults: through the
loader and through the served API (kubectl prints the API server's words)."""

from __future__ import annotations

import pytest
import requests
import yaml

from clustersim import ManifestError, load_manifests
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import Kubectl

GROUP = "rbac.authorization.k8s.io"


def binding(*subjects: dict[str, str], kind: str = "RoleBinding",
            role_ref: dict[str, str] | None = None) -> str:
    body = {"apiVersion": f"{GROUP}/v1", "kind": kind,
            "metadata": {"name": "b", "namespace": "default"},
            "roleRef": role_ref if role_ref is not None else {"kind": "ClusterRole",
                                                               "name": "view"},
            "subjects": list(subjects)}
    return yaml.safe_dump(body, sort_keys=False)


def refusal(text: str) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifests(text, name="binding.yaml")
    return str(caught.value)


SA = {"kind": "ServiceAccount", "name": "ci"}


@pytest.mark.parametrize("text", [
    binding(SA),
    binding({**SA, "namespace": "shop"}, kind="ClusterRoleBinding"),
    # SetDefaults_Subject and SetDefaults_RoleBinding fill in the group
    binding({"kind": "User", "name": "jane"}, {"kind": "Group", "name": "ops", "apiGroup": ""}),
    binding({"kind": "User", "name": "system:serviceaccount:shop:ci", "apiGroup": GROUP},
            role_ref={"apiGroup": GROUP, "kind": "Role", "name": "system:reader"}),
])
def test_what_the_api_server_accepts(text: str) -> None:
    load_manifests(text)


@pytest.mark.parametrize("text, said", [
    (binding({**SA, "apiGroup": GROUP}),
     f'subjects[0].apiGroup: Unsupported value: "{GROUP}": supported values: ""'),
    (binding({**SA, "apiGroup": "v1"}),
     'subjects[0].apiGroup: Unsupported value: "v1": supported values: ""'),
    (binding(SA, kind="ClusterRoleBinding"), "subjects[0].namespace: Required value"),
    (binding({"kind": "ServiceAccount", "name": "CI"}),
     'subjects[0].name: Invalid value: "CI": a lowercase RFC 1123 subdomain'),
    (binding(SA, {"kind": "User", "name": "jane", "apiGroup": "v1"}),
     f'subjects[1].apiGroup: Unsupported value: "v1": supported values: "{GROUP}"'),
    (binding({"kind": "Group", "name": ""}),
     'subjects[0].name: Invalid value: "": group name cannot be empty'),
    (binding({"kind": "Robot", "name": "r2"}), 'subjects[0].kind: Unsupported value: "Robot": '
     'supported values: "ServiceAccount", "User", "Group"'),
    (binding(SA, role_ref={"apiGroup": "apps", "kind": "Role", "name": "r"}),
     f'roleRef.apiGroup: Unsupported value: "apps": supported values: "{GROUP}"'),
    (binding(SA, kind="ClusterRoleBinding", role_ref={"kind": "Role", "name": "r"}),
     'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'),
    (binding(SA, role_ref={"kind": "Role"}), "roleRef.name: Required value"),
    (binding(SA, role_ref={"kind": "Role", "name": "a/b"}),
     "roleRef.name: Invalid value: \"a/b\": may not contain '/'"),
])
def test_what_the_api_server_refuses(text: str, said: str) -> None:
    assert said in refusal(text)


def test_kubectl_shows_the_api_servers_refusal(tmp_path) -> None:
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        result = kubectl("apply", "-f", "-", check=False,
                         stdin=binding({**SA, "apiGroup": GROUP}))
        assert result.returncode != 0
        assert (f'subjects[0].apiGroup: Unsupported value: "{GROUP}": supported values: ""'
                in result.stderr)
        assert kubectl("get", "rolebindings", "-o", "name").stdout == ""


def _typed(kind: str = "RoleBinding", **fields: object) -> dict:
    body = yaml.safe_load(binding(SA, kind=kind))
    return {**body, **fields}


_WRONG_TYPES = [
    (_typed(subjects="x"), "string into Go struct field RoleBinding.subjects of type "
     "[]v1.Subject"),
    (_typed(subjects=[3]), "number into Go struct field RoleBinding.subjects of type v1.Subject"),
    (_typed(roleRef=[]), "array into Go struct field RoleBinding.roleRef of type v1.RoleRef"),
    (_typed(roleRef={"kind": 5, "name": "view"}),
     "number into Go struct field RoleRef.roleRef.kind of type string"),
    (_typed(subjects=[{**SA, "name": 7}]),
     "number into Go struct field Subject.subjects.name of type string"),
    (_typed("ClusterRoleBinding", subjects="x"), "string into Go struct field "
     "ClusterRoleBinding.subjects of type []v1.Subject"),
]
"""Bindings whose fields have the wrong JSON type, and encoding/json's words for the first
(``v1.RoleBinding``, ``v1.RoleRef``, ``v1.Subject`` in kubernetes/api ``rbac/v1/types.go``)."""


@pytest.mark.parametrize(("body", "said"), _WRONG_TYPES)
def test_a_field_of_the_wrong_type_is_the_decoders_refusal(body: dict, said: str) -> None:
    """The loader names the file, the line and the field (these had been read as text: a
    subject list "x" was no subject at all, a roleRef.kind 5 the kind "5")."""
    message = refusal(yaml.safe_dump(body, sort_keys=False))
    assert message.startswith("binding.yaml, line ") and f"cannot unmarshal {said}" in message


def test_the_served_api_refuses_a_field_of_the_wrong_type_as_its_decoder_does() -> None:
    with serve("kubernetes", nodes=1, speed=0) as server:
        for index, (body, said) in enumerate(_WRONG_TYPES):
            body = {**body, "metadata": {"name": f"b{index}", "namespace": "default"}}
            path = ("namespaces/default/rolebindings" if body["kind"] == "RoleBinding"
                    else "clusterrolebindings")
            answer = requests.post(f"{server.url}/apis/{GROUP}/v1/{path}", json=body,
                                   timeout=10)
            assert answer.status_code == 400
            assert answer.json()["message"] == (
                f'{body["kind"]} in version "v1" cannot be handled as a {body["kind"]}: '
                f"json: cannot unmarshal {said}")
