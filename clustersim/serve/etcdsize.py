"""etcd's limit on one write, as the served Kubernetes API meets it (about 170 lines).

etcd refuses a proposal whose marshalled ``InternalRaftRequest`` is longer than its
``--max-request-bytes``, 1.5 MiB unless set (``processInternalRaftRequestOnce`` in
etcd-io/etcd ``server/etcdserver/v3_server.go``, ``DefaultMaxRequestBytes`` in
``server/embed/config.go``); kubeadm's etcd static Pod does not set it
(kubernetes/kubernetes ``cmd/kubeadm/app/phases/etcd/local.go``). The API server has no
words of its own for etcd's ``etcdserver: request is too large``: it is not a
``metav1.Status``, so ``ErrorToAPIStatus`` answers it as a 500 with no reason and etcd's
message (k8s.io/apiserver ``pkg/endpoints/handlers/responsewriters/status.go``;
kubernetes/kubernetes issues 74600 and 112152, open as of December 2026), which kubectl
prints as ``Error from server: etcdserver: request is too large``. The body itself is
bounded before it is decoded, at 3 MiB (:func:`clustersim.serve.core._too_large`): an
object between the two passes validation and fails at the write, and a dry run, which
never writes, succeeds.

Simplified: the API server stores a built-in object as protobuf (``k8s\\0`` and a
``runtime.Unknown``, ``runtime/serializer/protobuf/protobuf.go``), which the simulator does
not write; :func:`stored_bytes` counts what that encoding takes from the object's JSON
(a tag byte a field, each length as a varint, a map's entries as messages, maps known by
their field names), below the real figure by the zero values the generated code writes
and JSON leaves out (7% for the 108,076 bytes of a ``kubectl create ingress`` of 2,000
rules: 100,204), and adds the transaction's own
bytes (the key three times: the compare, the put and the read on failure,
``GuaranteedUpdate`` and ``Create`` in k8s.io/apiserver ``pkg/storage/etcd3/store.go``).
It counts the object as the store writes it, everything the server adds included: its
``managedFields`` (a ``FieldsV1`` is the raw bytes of its JSON), its ``status``, uid, times
and version (:func:`as_stored`), on a create, on an update or patch through the cluster's
one update (a Pod's spec update too), on the ``scale`` and a Pod's ``status``
subresources, on a Node's registration (with the status it is created with), update (with
the status it keeps) and ``status`` subresource, and on a DELETE that
writes the object instead of removing it (:func:`as_deleting`: a graceful or finalized
deletion, refused as its ``GuaranteedUpdate`` is, the object left as it was); an update
that takes the last finalizer of an object being deleted deletes it and writes nothing,
so it is never sized. The simulated controllers' own writes are not checked: they edit
the stored objects in place (each controller its status, at a dozen places, with no one
write call), and the served API finds such a change only when it next renders the object
(:mod:`~clustersim.serve.kubeversions`), after other controllers have acted on it, too
late to refuse it as etcd would (upstream the status write fails, the object keeps its
last stored state and the controller tries again). A
create's managed fields are counted from the fields it sent, without the defaults the
registry fills in (a few hundred bytes).

The API server tries a create, an update or a patch that etcd found too large once more
without its ``managedFields`` (``isTooLargeError`` in k8s.io/apiserver
``pkg/endpoints/handlers/create.go``, ``update.go`` and ``patch.go``), but not an apply
(``application/apply-patch+yaml``), which fails: :func:`check_storable` says which way such
a write is stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from clustersim.serve.core import HttpError
from clustersim.serve.kubelists import UNKNOWN_REASON

__all__ = ["MAX_REQUEST_BYTES", "as_deleting", "as_stored", "check_storable", "stored_bytes"]

MAX_REQUEST_BYTES = 1_572_864
"""etcd's ``--max-request-bytes`` default, 1.5 MiB."""

_MAPS = frozenset({"labels", "annotations", "data", "binaryData", "nodeSelector",
                   "matchLabels", "limits", "requests", "capacity", "allocatable", "hard",
                   "used", "parameters", "selector"})
"""Fields that are Go maps (``map[string]string`` or of quantities), whose keys the encoding
writes, where a struct's field names it does not; ``selector`` when its values are strings
(a Service's, not a LabelSelector)."""


def _varint(number: int) -> int:
    return 10 if number < 0 else max(1, (number.bit_length() + 6) // 7)


def _field(name: str, value: Any) -> int:
    """The bytes of field ``name`` holding ``value``, its tag included; a list repeats it."""
    if value is None:
        return 0
    if name == "fieldsV1":          # ``FieldsV1.Raw``: the JSON's bytes
        size = len(json.dumps(value, separators=(",", ":")).encode())
        return 1 + _varint(size) + size
    if isinstance(value, list):
        return sum(_field(name, item) for item in value)
    if isinstance(value, dict) and name in _MAPS and all(
            isinstance(v, str) for v in value.values()):
        return sum(_entry(name, k, v) for k, v in value.items())     # repeated entries
    return 1 + _payload(name, value)


def _payload(name: str, value: Any) -> int:
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return _varint(value)
    if isinstance(value, float):
        return 8
    if isinstance(value, str):
        size = len(value.encode())
        return _varint(size) + size
    if isinstance(value, dict):
        size = sum(_field(k, v) for k, v in value.items())
        return _varint(size) + size
    return 0


def _entry(name: str, key: str, value: str) -> int:
    """One map entry, a message of its key (1) and value (2); ``binaryData``'s values are
    bytes, sent as base64 in JSON (four characters for three bytes)."""
    raw = len(value) * 3 // 4 if name == "binaryData" else len(value.encode())
    size = 1 + _payload("", key) + 1 + _varint(raw) + raw
    return 1 + _varint(size) + size


def stored_bytes(obj: dict[str, Any], key: str) -> int:
    """About the bytes of etcd's request writing ``obj`` at ``key``
    (``/registry/configmaps/default/name``): see the module docstring."""
    body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
    raw = _payload("", body)
    type_meta = _field("apiVersion", obj.get("apiVersion", "")) + \
        _field("kind", obj.get("kind", ""))
    unknown = 1 + _varint(type_meta) + type_meta + 1 + raw + 4
    value = 4 + unknown
    key_bytes = len(key.encode())
    return value + _varint(value) + 3 * (key_bytes + 6) + 32


def as_stored(obj: Mapping[str, Any], meta: Mapping[str, Any],
              managed_fields: list[dict[str, Any]], status: Any) -> dict[str, Any]:
    """``obj`` as the store writes it: under its own metadata the server's (``meta``: the
    uid, times and version it keeps), its ``managed_fields`` (in the API's form) in place of
    any it shows, and its ``status``."""
    metadata = {k: v for k, v in {**meta, **(obj.get("metadata") or {})}.items()
                if k != "managedFields"}
    if managed_fields:
        metadata["managedFields"] = managed_fields
    return {**obj, "metadata": metadata, **({"status": status} if status else {})}


def as_deleting(shown: Mapping[str, Any], finalizers: list[str], grace: int,
                timestamp: str) -> dict[str, Any]:
    """``shown`` (an object as the API returns it) as a DELETE that keeps it writes it:
    with ``finalizers`` (the garbage collector's ``orphan`` or ``foregroundDeletion`` added
    as the options ask), its ``deletionTimestamp`` and ``deletionGracePeriodSeconds``
    (``grace``, 0 for a kind without graceful deletion) and one more generation
    (``markAsDeleting`` and ``updateForGracefulDeletionAndFinalizers`` in k8s.io/apiserver
    ``pkg/registry/generic/registry/store.go``, ``BeforeDelete`` in ``pkg/registry/rest/
    delete.go`` for a Pod)."""
    meta = {**shown["metadata"], "deletionTimestamp": timestamp,
            "deletionGracePeriodSeconds": grace}
    if finalizers:
        meta["finalizers"] = finalizers
    if meta.get("generation"):
        meta["generation"] += 1
    return {**shown, "metadata": meta}


def check_storable(obj: dict[str, Any], plural: str, namespace: str | None, name: str, *,
                   retry: bool = False) -> bool:
    """Refuse, as etcd does, the write of ``obj`` (:func:`as_stored`) when it exceeds
    :data:`MAX_REQUEST_BYTES`; with ``retry`` (not an apply) one that fits without its
    ``managedFields`` is written without them: False then, True when written as it is.
    Its key is ``/registry/<plural>/<namespace>/<name>``, without the namespace for a
    cluster-scoped kind (simplified: a few kinds are kept under another prefix, Services
    under ``services/specs``)."""
    key = "/".join(("", "registry", plural, *((namespace,) if namespace else ()), name))
    if stored_bytes(obj, key) <= MAX_REQUEST_BYTES:
        return True
    meta = obj.get("metadata") or {}
    if retry and meta.get("managedFields") and stored_bytes(
            as_stored(obj, {}, [], obj.get("status")), key) <= MAX_REQUEST_BYTES:
        return False
    raise HttpError(500, "etcdserver: request is too large", UNKNOWN_REASON)
