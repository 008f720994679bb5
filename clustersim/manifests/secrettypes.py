"""What each built-in Secret type requires of a Secret's data (about 75 lines), as
``ValidateSecret`` checks it (kubernetes/kubernetes ``pkg/apis/core/validation/
validation.go``, the ``switch secret.Type``; the types and keys are ``pkg/apis/core/
types.go``'s constants, https://kubernetes.io/docs/concepts/configuration/secret/#secret-types,
as of December 2026). The loader runs it on every Secret (:class:`~clustersim.manifests.
kubernetes_types.Secret`), so a file and the served API refuse the same Secrets.

Upstream's quirks are kept: the basic-auth and ssh-auth checks build their paths from the
literal ``data[%s]`` (``data[%s][username]``), a basic-auth Secret needs only one of its two
keys, an ssh-auth one a non-empty private key, and a Docker config's content must decode as a
JSON object, refused with ``json.Unmarshal``'s words and its value shown as ``<secret
contents redacted>``. A bootstrap token (``bootstrap.kubernetes.io/token``), ``Opaque`` and
any other type are not checked. That a Secret's type may not change is
:mod:`~clustersim.kubernetes.immutablefields`'."""

from __future__ import annotations

import json

from clustersim.manifests.kubernetes_errors import invalid
from clustersim.serve.gojson import syntax_error

__all__ = ["SERVICE_ACCOUNT_NAME", "secret_type_problems"]

SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name"
"""``core.ServiceAccountNameKey``: the annotation a service-account-token Secret needs."""

_REDACTED = "<secret contents redacted>"


def secret_type_problems(secret_type: str | None, data: dict[str, bytes],
                         annotations: dict[str, str]) -> list[str]:
    """The field errors (``path: body``) of a Secret of ``secret_type`` whose ``data`` (its
    keys and decoded bytes, ``stringData`` folded in) and ``annotations`` are given."""
    required = "Required value"
    if secret_type == "kubernetes.io/service-account-token":
        if not annotations.get(SERVICE_ACCOUNT_NAME):
            return [f"metadata.annotations[{SERVICE_ACCOUNT_NAME}]: {required}"]
    elif secret_type in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if secret_type.endswith("dockercfg") else ".dockerconfigjson"
        if key not in data:
            return [f"data[{key}]: {required}"]
        why = _not_a_json_object(data[key])
        if why:
            return [f"data[{key}]: " + invalid(_REDACTED, why)]
    elif secret_type == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            return [f"data[%s][{key}]: {required}" for key in ("username", "password")]
    elif secret_type == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            return [f"data[%s][ssh-privatekey]: {required}"]
    elif secret_type == "kubernetes.io/tls":
        return [f"data[{key}]: {required}" for key in ("tls.crt", "tls.key") if key not in data]
    return []


def _not_a_json_object(content: bytes) -> str | None:
    """``json.Unmarshal(content, &map[string]interface{}{})``'s error, or None: Go's
    scanner's words for a text that is no JSON (:func:`~clustersim.serve.gojson.
    syntax_error`; bytes that are no UTF-8 are read as Go reads them, each bad byte
    U+FFFD), else the type error of a value that is no object."""
    text = content.decode(errors="replace")
    why = syntax_error(text)
    if why:
        return why
    value = json.loads(text)
    if isinstance(value, dict) or value is None:    # null leaves the map as it is
        return None
    kind = ("bool" if isinstance(value, bool) else "number" if isinstance(value, int | float)
            else "string" if isinstance(value, str) else "array")
    return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
