"""The Kubernetes API server's decoder errors in Go's words: what encoding/json's scanner
(``src/encoding/json/scanner.go``) and go-yaml (through sigs.k8s.io/yaml's ``YAMLToJSON``) say
of a body, or a ``continue`` token, they cannot read (the scanner's words are
:mod:`~clustersim.serve.gojson`'s, shared with the Docker daemon); used by
the REST handler (:mod:`~clustersim.serve.kubernetes`) and the continue tokens'
reader (:mod:`~clustersim.serve.kubelists`); the decoding of a value by tables of its Go
types (:func:`struct_error`, encoding/json's type errors), used for an object's whole
``metadata`` (:func:`object_meta_error`), a Node's ``spec.taints`` (:func:`taints_error`) and its
status (:mod:`~clustersim.serve.kubenodes`), with a ``metav1.Time``'s
(:func:`time_error`), and a DELETE body's kind that is no ``DeleteOptions``
(:func:`delete_options_kind_error`); a ``spec`` that is no object (:func:`spec_error`).
Also the order in which the API server's strict decoding lists an object's unknown
fields (:func:`decoded_order`), and the refusal of the constants Python reads and Go
does not (:func:`refuse_constant`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from clustersim.goformat import TimeParseError, go_quote, int_range, json_kind, parse_rfc3339
from clustersim.manifests import ManifestError
from clustersim.manifests.kubernetes_fields import UnknownField, in_sent_order
from clustersim.serve.gojson import syntax_error

__all__ = [
    "TIME",
    "decoded_order",
    "decoder_error",
    "delete_options_kind_error",
    "object_meta_error",
    "refuse_constant",
    "spec_error",
    "struct_error",
    "taints_error",
    "time_error",
    "type_error",
]


def decoder_error(err: UnicodeDecodeError | json.JSONDecodeError | ManifestError) -> str:
    """The decoder's error for a body it cannot read, as the API server's decoders word it:
    encoding/json's for JSON, go-yaml's (``yaml: line N: ...``, through sigs.k8s.io/yaml's
    ``YAMLToJSON``) for YAML.

    Where Python's decoder refuses a JSON text, Go's scanner reads the same text, as
    ``json.Unmarshal`` checks it whole first (``checkValid``,
    :func:`~clustersim.serve.gojson.syntax_error`): its first mistake in Go's words, and
    ``unexpected end of JSON input`` for a text cut short (or, cut in a literal, a number
    or an escape, the space ``scanner.eof`` adds: ``invalid character ' ' in literal true
    (expecting 'e')``). Python reads ``NaN`` and ``Infinity``, which Go refuses: a caller
    that refuses them raises the error with the constant as its text.

    Simplified where the detail differs from Go's: a character past ASCII in a UTF-8 body
    is quoted whole (Go quotes its first byte; a ``continue`` token, read a byte a
    character, is quoted as Go quotes it). YAML's words are
    PyYAML's, which follow libyaml's as go-yaml does but may add the context (``while parsing
    a block mapping``), and count lines from 1 where go-yaml gives a parser error's line from
    0; the simulator's own bounds (nesting, aliases) keep the loader's words; a body that is
    not UTF-8 is refused with Python's words where Go reads a JSON string's bad bytes as
    U+FFFD."""
    if isinstance(err, json.JSONDecodeError):
        return syntax_error(err.doc) or str(err)    # Go refuses all Python refuses
    if isinstance(err, ManifestError):
        why = err.message.removeprefix("the text is not valid YAML or JSON: ")
        return f"yaml: line {err.line}: {why}" if err.line else f"yaml: {why}"
    return str(err)


def refuse_constant(constant: str) -> Any:
    """Refuse ``NaN``, ``Infinity`` or ``-Infinity``, which Python's decoder reads and Go's
    refuses: passed as ``parse_constant``, it raises the error :func:`decoder_error` words
    from the constant itself (``invalid character 'N' looking for beginning of value``)."""
    raise json.JSONDecodeError("Expecting value", constant, 0)


def decoded_order(found: list[UnknownField], content_type: str, patch: bool) -> list[str]:
    """The paths of the unknown fields ``found`` (in the order of the object as the simulator
    holds it) in the order the API server's strict decoding reports them
    (k8s.io/apiserver ``pkg/endpoints/handlers``):

    - the object of a create or an update sent as JSON is decoded as sent (sigs.k8s.io/json
      reports a field as it meets it), so the fields come in the body's order;
    - a strategic merge patch's result is converted from a map (``patch.go``,
      ``runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation``), which sorts
      its errors by their words;
    - a YAML body (``yaml.YAMLToJSON``) and the result of a JSON or merge patch
      (evanphx/json-patch) are JSON written from a Go map, keys sorted
      (:func:`~clustersim.manifests.kubernetes_fields.in_sent_order`)."""
    if content_type == "application/strategic-merge-patch+json":
        # the words differ in the path and the quote that closes it
        return sorted((path for path, _, _ in found), key=lambda path: f'{path}"')
    ordered = found if content_type == "application/json" and not patch else \
        in_sent_order(found)
    return [path for path, _, _ in ordered]


MANAGED_FIELDS_ENTRY = {"manager": "string", "operation": "v1.ManagedFieldsOperationType",
                        "apiVersion": "string", "fieldsType": "string", "subresource": "string",
                        "time": "*metav1.Time"}
"""``metav1.ManagedFieldsEntry``'s fields by their Go types (k8s.io/apimachinery
``pkg/apis/meta/v1/types.go``); ``time`` decodes itself, and ``fieldsV1`` (a
``FieldsV1``, which keeps any JSON as it is) is no error whatever it holds."""


OWNER_REFERENCE = {"apiVersion": "string", "kind": "string", "name": "string",
                   "uid": "types.UID", "controller": "*bool", "blockOwnerDeletion": "*bool"}
"""``metav1.OwnerReference``'s fields by their Go types (k8s.io/apimachinery
``pkg/apis/meta/v1/types.go``)."""

OBJECT_META = {"name": "string", "generateName": "string", "namespace": "string",
               "selfLink": "string", "uid": "types.UID", "resourceVersion": "string",
               "generation": "int64", "creationTimestamp": "metav1.Time",
               "deletionTimestamp": "*metav1.Time", "deletionGracePeriodSeconds": "*int64",
               "labels": "map[string]string", "annotations": "map[string]string",
               "ownerReferences": "[]v1.OwnerReference", "finalizers": "[]string",
               "managedFields": "[]v1.ManagedFieldsEntry"}
"""``metav1.ObjectMeta``'s fields by their Go types (k8s.io/apimachinery
``pkg/apis/meta/v1/types.go``), every one an object's ``metadata`` may hold."""


def object_meta_error(meta: Any, kind: str) -> str | None:
    """The decoder's error for the ``metadata`` of an object of ``kind``, or None: not an
    object (``json: cannot unmarshal string into Go struct field ConfigMap.metadata of type
    v1.ObjectMeta``), a field of :data:`OBJECT_META` of another JSON type
    (``deletionGracePeriodSeconds: "x"``: ``... ObjectMeta.metadata.deletionGracePeriodSeconds
    of type int64``; a label's value: ``... ObjectMeta.metadata.labels of type string``; an
    owner reference's ``controller: "yes"``: ``... OwnerReference.metadata.ownerReferences.
    controller of type bool``), a creation or deletion time that is no RFC 3339 time
    (:func:`time_error`, which wins over an earlier type error), and managed fields of the
    wrong shape (:data:`MANAGED_FIELDS_ENTRY`; their ``time`` is a ``metav1.Time`` too).
    What decodes but ``DecodeManagedFields`` cannot use (an ``operation`` other than
    ``Apply`` or ``Update``) is no error here: the object keeps its own entries
    (:func:`~clustersim.serve.kubefieldmanager.decoded`). Simplified: only the metadata is
    decoded here (the rest of a body is read by the loader), so a type error of a field sent before
    ``metadata`` is not the one reported first, as it would be upstream."""
    return struct_error(meta, "v1.ObjectMeta", {
        "v1.ObjectMeta": OBJECT_META, "v1.OwnerReference": OWNER_REFERENCE,
        "v1.ManagedFieldsEntry": MANAGED_FIELDS_ENTRY}, f"{kind}.metadata", TIME)


SPECLESS = frozenset({"ConfigMap", "Secret", "ServiceAccount", "Event", "Endpoints",
                      "EndpointSlice", "ControllerRevision", "StorageClass", "PriorityClass",
                      "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"})
"""The served kinds whose Go type has no ``Spec`` field (k8s.io/api ``core/v1``, ``apps/v1``,
``rbac/v1``, ... ``types.go``): a ``spec`` is an unknown field of theirs."""


def spec_error(obj: dict[str, Any], kind: str, group_version: str) -> str | None:
    """The decoder's error for a ``spec`` that is not an object (nor ``null``) in an object
    of ``kind``, whose Go type holds it as ``<Kind>Spec`` of its version's package: ``json:
    cannot unmarshal string into Go struct field Namespace.spec of type v1.NamespaceSpec``;
    None for a kind without a spec (:data:`SPECLESS`), whose ``spec`` is an unknown field.
    What is inside an object ``spec`` is the loader's to read."""
    spec = obj.get("spec")
    if kind in SPECLESS or spec is None or isinstance(spec, dict):
        return None
    return type_error(spec, f"{kind}.spec", f"{group_version.rpartition('/')[2]}.{kind}Spec")


Decoder = Callable[[Any, str], "str | None"]
"""A type that decodes itself (``metav1.Time``, ``resource.Quantity``): its error for a
non-null value of the struct field ``Struct.path``, or None."""


class _SelfDecodingError(Exception):
    """The error of a value that decodes itself: encoding/json returns it at once."""


def struct_error(value: Any, go_type: str, structs: dict[str, dict[str, str]],
                 field: str, own: dict[str, Decoder] | None = None) -> str | None:
    """The decoder's error for ``value`` in the struct field ``field`` (``Struct.path``) of
    Go type ``go_type``, or None. ``structs`` gives each struct type's fields by their JSON
    names and Go types (``*T`` a pointer, ``[]T`` a slice, ``map[K]V`` a map, named types
    of a string kind as they are written); a type in ``own`` decodes itself. As
    encoding/json (``decode.go``), a type error is kept while the decoding goes on (the
    value is skipped: nothing inside it is looked at) and the first is reported, but the
    error of a type that decodes itself stops the decoding at once, and so wins; keys
    match exactly (sigs.k8s.io/json decodes case-sensitively), unknown keys are no error
    here, and ``null`` is the zero value."""
    saved: list[str] = []
    struct, _, path = field.partition(".")
    try:
        _decode(value, go_type, structs, own or {}, (struct, path), saved)
    except _SelfDecodingError as stopped:
        return str(stopped)
    return saved[0] if saved else None


def _decode(value: Any, go_type: str, structs: dict[str, dict[str, str]],
            own: dict[str, Decoder], at: tuple[str, str], saved: list[str]) -> None:
    go_type = go_type.removeprefix("*")         # indirect: the pointer is allocated
    if value is None:
        return
    if go_type in own:
        unreadable = own[go_type](value, ".".join(at))
        if unreadable:
            raise _SelfDecodingError(unreadable)
        return
    kind = NAMED.get(go_type, go_type)
    if kind in structs:
        if isinstance(value, dict):
            inner = kind.rpartition(".")[2]
            for key, item in value.items():
                if key in structs[kind]:
                    _decode(item, structs[kind][key], structs, own, (inner, f"{at[1]}.{key}"),
                            saved)
            return
    elif kind.startswith("[]"):
        if isinstance(value, list):
            for item in value:
                _decode(item, kind[2:], structs, own, at, saved)
            return
    elif kind.startswith("map["):
        if isinstance(value, dict):
            for item in value.values():
                _decode(item, kind.partition("]")[2], structs, own, at, saved)
            return
    elif _fits(value, kind):
        return
    saved.append(type_error(value, ".".join(at), go_type))


NAMED = {"v1.ResourceList": "map[v1.ResourceName]resource.Quantity"}
"""The kind behind each named type that is neither a struct nor of a string kind."""


def _fits(value: Any, kind: str) -> bool:
    """Whether a JSON string, number or literal fits Go's ``kind`` (a bool, an integer
    within its range, or else a kind of string)."""
    if kind == "bool":
        return isinstance(value, bool)
    held = int_range(kind)
    if held is not None:
        return isinstance(value, int) and not isinstance(value, bool) and value in held
    return isinstance(value, str)


def time_error(value: Any, field: str) -> str | None:
    """The error of ``metav1.Time.UnmarshalJSON`` for the non-null ``value`` of the struct
    field ``field``, or None: not a string (its inner ``json.Unmarshal`` into a string,
    given the field's context as encoding/json's ``saveError`` gives it), or not a time
    ``time.Parse(time.RFC3339, ...)`` reads. Either stops the decoding at once."""
    if not isinstance(value, str):
        return type_error(value, field, "string")
    try:
        parse_rfc3339(value)
    except TimeParseError as unreadable:
        return str(unreadable)
    return None


TIME: dict[str, Decoder] = {"metav1.Time": time_error}
"""The one type of these tables that decodes itself: ``metav1.Time``."""


TAINT = {"key": "string", "value": "string", "effect": "v1.TaintEffect",
         "timeAdded": "*metav1.Time"}
"""core/v1 ``Taint``'s fields by their Go types (k8s.io/api ``core/v1/types.go``)."""


def taints_error(value: Any) -> str | None:
    """The decoder's error for a Node's ``spec.taints`` of the wrong shape, or None: not a
    list (``... NodeSpec.spec.taints of type []v1.Taint``), an entry that is not an object
    (``null`` is a zero ``Taint``, which validation then refuses), a field of :data:`TAINT`
    of another JSON type (``"effect": 5``: ``cannot unmarshal number into Go struct field
    Taint.spec.taints.effect of type v1.TaintEffect``), a ``timeAdded`` that is no string
    or no RFC 3339 time (:func:`time_error`)."""
    return struct_error(value, "[]v1.Taint", {"v1.Taint": TAINT}, "NodeSpec.spec.taints", TIME)


def type_error(value: Any, field: str, go_type: str) -> str:
    """encoding/json's ``UnmarshalTypeError`` for ``value`` in the struct field ``field``
    (a number is named with its literal where the field is an integer)."""
    numeric = int_range(go_type) is not None
    return (f"json: cannot unmarshal {json_kind(value, numeric_target=numeric)} into Go "
            f"struct field {field} of type {go_type}")


def delete_options_kind_error(body: dict[str, Any]) -> str | None:
    """Why a DELETE body's ``apiVersion`` and ``kind`` are not a ``DeleteOptions``'s, as
    the meta scheme's JSON serializer finds it (k8s.io/apimachinery ``pkg/runtime/
    serializer/json/json.go`` ``Decode``): an ``apiVersion`` of more than one ``/``
    ``schema.ParseGroupVersion`` refuses; a missing kind or version is
    ``meta.k8s.io/v1 DeleteOptions``'s (``gvkWithDefaults``); any version may name
    ``DeleteOptions``, which the scheme registers unversioned, and another kind is one
    the scheme cannot create (``runtime.UseOrCreateObject``, ``Scheme.New``), in
    ``notRegisteredErr``'s words (``pkg/runtime/error.go``), naming the scheme as
    ``naming.GetNameFromCallsite`` does: the file and line that made it
    (:data:`_META_SCHEME`). None for a DeleteOptions.

    Simplified: a kind the meta scheme also knows (``Status``, ``ListOptions``, ...) is
    read as DeleteOptions, where upstream's conversion to DeleteOptions refuses it."""
    version = body.get("apiVersion") or ""
    if version.count("/") > 1:
        return f"unexpected GroupVersion string: {version}"
    kind = body.get("kind") or "DeleteOptions"
    if kind == "DeleteOptions":
        return None
    shown = version if version.strip("/") else "meta.k8s.io/v1"
    return (f"no kind {go_quote(kind)} is registered for version {go_quote(shown)} in "
            f'scheme "{_META_SCHEME}"')


_META_SCHEME = "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:27"
"""The name of the scheme a DELETE body is decoded with (``metainternalversionscheme``):
``runtime.NewScheme`` names a scheme after the file and line that called it
(``naming.GetNameFromCallsite``, k8s.io/apimachinery ``pkg/util/naming/from_stack.go``),
here line 27 of k8s.io/apimachinery ``pkg/apis/meta/internalversion/scheme/register.go``,
its path trimmed to what follows ``/src/`` (a kube-apiserver is built from the
``staging/src`` tree with ``-trimpath`` of the repository's root: ``hack/lib/golang.sh``)."""
