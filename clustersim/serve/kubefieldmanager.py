"""Field managers: who set which field of an object, ``metadata.managedFields``, and what
server-side apply (``kubectl apply --server-side``) does with them.

About 745 lines, over the 500 the course keeps to, because the field-set encoding, the list
index that reads a path's elements (``_Reader``: each list indexed once, as
structured-merge-diff's ``indexListPathElements`` does, so comparing two lists is linear), and
the update and apply rules all walk the same paths and change together.

After the Kubernetes API server's field manager (kubernetes/kubernetes
``staging/src/k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager`` and its ``internal``
package, over sigs.k8s.io/structured-merge-diff; documented in
https://kubernetes.io/docs/reference/using-api/server-side-apply/, as of December 2026):

- A field set is written in the ``FieldsV1`` format: ``f:<name>`` for a field, ``k:{...}``
  for an element of a keyed list (by the keys :func:`~clustersim.kubernetes.strategicmerge.
  list_map_keys` names: containers and env by ``name``, ports by number and ``protocol``...),
  ``v:<value>`` for an element of a set (``finalizers``), and ``.`` where an element that has
  fields of its own is itself in the set. A label selector and a node selector are atomic
  (``+structType=atomic``, ``+mapType=atomic`` in ``types.go``), as is a list without keys:
  one field each. ``apiVersion``, ``kind``, the ``status`` and the metadata the server sets
  (name, namespace, uid, resourceVersion, generation, creationTimestamp, managedFields) are in
  no set (``internal/stripmeta.go``; the status is its subresource's, ``ResetFieldsStrategy``).
- Each manager has one entry per (manager, operation, subresource), with the API version it
  wrote in and the time of its last write that set a field (an apply: that changed the
  object; ``internal/managedfieldsupdater.go``),
  sorted Apply before Update, then by time and manager (``sortEncodedManagedFields``). A
  request without ``fieldManager`` is its User-Agent's first word (``prefixFromUserAgent`` in
  ``handlers/create.go``): ``kubectl scale`` sends none, and is ``kubectl``. One sent is at
  most 128 bytes of printable characters (:func:`check_field_manager`).
- An update (a create, a PUT, a JSON, merge or strategic merge patch, a ``scale``) owns the
  fields it changed, and takes them from every other manager; a field it removed leaves
  every manager. One that sets ``managedFields`` replaces them, and ``[]`` or ``[{}]``
  clears them (:func:`decoded`): an object without managers stays so through updates and
  its first apply gives the fields it has to ``before-first-apply`` (:func:`updated`).
- An apply owns the fields of its configuration. One whose value differs from the live
  object's where another manager owns the field is refused with 409 and upstream's message
  (``internal/conflict.go``) unless forced (``force=true``, ``--force-conflicts``), which
  takes the field over; with the same value the field is shared. A field the applier owned
  and no longer lists is removed from the object if no other manager owns it (read back with
  the API server's default, where it fills one in). A configuration of another API version
  or kind than the URL's, or one that sets ``managedFields``, is refused first
  (:func:`check_configuration`).

Simplified: a field set says ``.`` only for the elements of keyed lists (upstream also marks
a map or a struct an update made, ``f:labels: {.: {}, ...}``); the merge itself is the
simulator's strategic merge patch (:mod:`~clustersim.kubernetes.strategicmerge`), not
structured-merge-diff's; entries are kept for the objects written through the API only (not
for the Pods and ReplicaSets the controllers make, nor for Nodes and the objects the cluster
makes itself) and forgotten as the object leaves the store, and a write of the ``status``
subresource records none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from clustersim.goformat import go_quote
from clustersim.kubernetes.strategicmerge import MERGE_PRIMITIVES, list_map_keys
from clustersim.manifests.kubernetes_errors import invalid
from clustersim.manifests.kubernetes_fields import unknown_fields_meant
from clustersim.serve.core import HttpError
from clustersim.serve.kubelists import UNKNOWN_REASON

__all__ = ["APPLY", "BEFORE_FIRST_APPLY", "UPDATE", "ApplyConflictError", "Entry",
           "FieldManagers", "Path", "applied", "changed_fields", "check_configuration",
           "check_field_manager", "decoded", "field_set", "fields_v1", "manager_of",
           "path_string", "updated"]

APPLY, UPDATE = "Apply", "Update"
Path = tuple[str, ...]
"""A field's path, one ``FieldsV1`` key per step (``("f:spec", "f:replicas")``)."""

_STRIPPED = frozenset({"name", "namespace", "uid", "resourceVersion", "generation",
                       "creationTimestamp", "selfLink", "managedFields"})
"""The metadata in no field set (``internal/stripmeta.go``)."""
_ATOMIC = frozenset({"selector", "podSelector", "namespaceSelector", "labelSelector",
                     "nodeSelector"})
"""Fields owned whole: a ``LabelSelector`` (``+structType=atomic``), a Service's and a Pod's
selector maps (``+mapType=atomic``)."""
_KEY_DEFAULTS = {"protocol": "TCP"}
"""A key field the API server defaults before the element is keyed (``SetDefaults_
ContainerPort``, ``SetDefaults_ServicePort`` in ``pkg/apis/core/v1/defaults.go``)."""
_MISSING = object()


@dataclass
class Entry:
    """One ``managedFields`` entry; ``time`` in simulated seconds, None for an entry a write
    sent without one and no operation has touched since (``metav1.ManagedFieldsEntry.Time``
    is a pointer, left out when nil)."""

    manager: str
    operation: str
    api_version: str
    time: float | None
    fields: set[Path] = field(default_factory=set)
    subresource: str = ""

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What tells two entries apart (``BuildManagerIdentifier``: an applier's API version
        is not part of it)."""
        version = "" if self.operation == APPLY else self.api_version
        return self.manager, self.operation, version, self.subresource

    def printed(self) -> str:
        """The manager as a conflict names it (``printManager``; the identifier has no
        time)."""
        out = go_quote(self.manager)
        if self.subresource:
            out += f" with subresource {go_quote(self.subresource)}"
        return out + (f" using {self.api_version}" if self.operation == UPDATE else "")

    def sort_key(self) -> tuple[str, float, str, str, str]:
        """``sortEncodedManagedFields`` (``internal/managedfields.go``): an entry without a
        time counts as the Unix epoch, before every other."""
        seconds = float("-inf") if self.time is None else int(self.time)
        return self.operation, seconds, self.manager, self.api_version, self.subresource

    def to_api(self, timestamp: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {"manager": self.manager, "operation": self.operation,
                               "apiVersion": self.api_version}
        if timestamp is not None:
            out["time"] = timestamp
        out.update(fieldsType="FieldsV1", fieldsV1=fields_v1(self.fields))
        if self.subresource:
            out["subresource"] = self.subresource
        return out


class ApplyConflictError(Exception):
    """An apply that would change fields other managers own: ``conflicts`` as (entry, path)."""

    def __init__(self, conflicts: list[tuple[Entry, Path]]) -> None:
        super().__init__(conflict_message(conflicts))
        self.conflicts = conflicts

    def causes(self) -> list[dict[str, str]]:
        """The Status causes (``NewConflictError``)."""
        return [{"reason": "FieldManagerConflict", "message": f"conflict with {e.printed()}",
                 "field": path_string(p)} for e, p in self.conflicts]


def check_field_manager(field_manager: str) -> list[str]:
    """What ``ValidateFieldManager`` (k8s.io/apimachinery ``pkg/apis/meta/v1/validation``)
    finds wrong with a request's ``fieldManager``: more than 128 bytes, and each character
    that is not printable (Go's ``unicode.IsPrint``, as Python's ``isprintable``: no control
    character, and no space but the ASCII one) with its byte position, in its words."""
    problems = []
    if len(field_manager.encode()) > 128:
        problems.append("fieldManager: Too long: may not be more than 128 bytes")
    position = 0
    for char in field_manager:
        if not char.isprintable():
            problems.append("fieldManager: " + invalid(
                field_manager, f"invalid character U+{ord(char):04X} (at position {position})"))
        position += len(char.encode())
    return problems


def manager_of(field_manager: str | None, user_agent: str) -> str:
    """``managerOrUserAgent``: the request's ``fieldManager``, else its User-Agent up to the
    first ``/``, printable characters only, at most 128 bytes."""
    if field_manager:
        return field_manager
    out = ""
    for char in user_agent.split("/")[0]:
        if char.isprintable():
            if len((out + char).encode()) > 128:
                break
            out += char
    return out


# ---- field sets ----------------------------------------------------------------------------

def field_set(obj: dict[str, Any], duplicates: list[Path] | None = None) -> set[Path]:
    """Every field of ``obj`` (and every element of its keyed lists), as an apply of ``obj``
    owns them; each list element whose keys or value an earlier one has is also added to
    ``duplicates``, if given."""
    out: set[Path] = set()
    for name, value in obj.items():
        if name == "metadata" and isinstance(value, dict):
            for key, item in value.items():
                if key not in _STRIPPED:
                    _add(out, ("f:metadata",), key, item, duplicates)
        elif name not in ("apiVersion", "kind", "status"):
            _add(out, (), name, value, duplicates)
    return out


def _add(out: set[Path], prefix: Path, name: str, value: Any,
         duplicates: list[Path] | None) -> None:
    if value is None:
        return
    path = (*prefix, f"f:{name}")
    keys = list_map_keys(name, value) if isinstance(value, list) and value else None
    if isinstance(value, dict) and value and name not in _ATOMIC:
        for key, item in value.items():
            _add(out, path, key, item, duplicates)
        return
    if keys is not None and all(isinstance(item, dict) for item in value):
        steps = [_key_step(item, keys) for item in value]
    elif isinstance(value, list) and value and name in MERGE_PRIMITIVES:
        steps = ["v:" + _json(item) for item in value]
    else:
        out.add(path)
        return
    seen: set[str] = set()
    for item, step in zip(value, steps, strict=True):
        element = (*path, step)
        if step in seen and duplicates is not None:
            duplicates.append(element)
        seen.add(step)
        out.add(element)
        if step.startswith("k:"):
            for key, inner in item.items():
                _add(out, element, key, inner, duplicates)


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _key_step(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    return "k:" + _json({k: item.get(k, _KEY_DEFAULTS.get(k)) for k in keys})


def _step(step: str) -> tuple[str, Any]:
    """A path step read once: its kind and what it names (a field's name; for a ``k:``
    step the keys it names and their values, for a ``v:`` step the value, both
    :func:`_frozen`)."""
    kind, _, rest = step.partition(":")
    if kind == "k":
        keys = json.loads(rest)
        return kind, (tuple(keys), _frozen(tuple(keys.values())))
    if kind == "v":
        return kind, _frozen(json.loads(rest))
    return kind, rest


def _frozen(value: Any) -> Any:
    """``value`` made hashable, equal (and of equal hash) where Python's ``==`` finds two
    values equal: a map as a frozenset of its items, a list as a tuple."""
    if isinstance(value, dict):
        return frozenset((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _element_key(item: Any, kind: str, keys: tuple[str, ...]) -> Any:
    """What a ``k:`` step with ``keys`` (by the element's keys, defaulted as the API server
    defaults them) or a ``v:`` step (by its value) compares a list element by, as
    structured-merge-diff's ``PathElement`` does; ``_MISSING`` for an element no ``k:``
    step names (one that is no map)."""
    if kind == "v":
        return _frozen(item)
    if not isinstance(item, dict):
        return _MISSING
    return _frozen(tuple(item.get(k, _KEY_DEFAULTS.get(k)) for k in keys))


class _Reader:
    """:func:`value_at` over one object that does not change while it is read, each of its
    lists indexed once by the kind of step that reads it: a lookup by key instead of a
    pass over the list for every path, as structured-merge-diff indexes both sides' list
    elements once before it walks them (``indexListPathElements`` in ``typed/compare.go``,
    a ``fieldpath.PathElementValueMap``; the first of repeated elements counts). Steps are
    read once per reader (``steps`` may be shared between readers). A list changed while it
    is read must be :meth:`forget`-ed."""

    def __init__(self, obj: Any, steps: dict[str, tuple[str, Any]] | None = None) -> None:
        self.obj = obj
        self.steps = {} if steps is None else steps
        self._indexes: dict[int, dict[tuple[str, tuple[str, ...]], dict[Any, Any]]] = {}

    def step(self, step: str) -> tuple[str, Any]:
        if step not in self.steps:
            self.steps[step] = _step(step)
        return self.steps[step]

    def element(self, items: list[Any], kind: str, named: Any) -> Any:
        """The first element of ``items`` a ``k:`` or ``v:`` step names, or ``_MISSING``."""
        keys, wanted = named if kind == "k" else ((), named)
        indexes = self._indexes.setdefault(id(items), {})
        index = indexes.get((kind, keys))
        if index is None:
            index = {}
            for item in items:
                index.setdefault(_element_key(item, kind, keys), item)
            index.pop(_MISSING, None)
            indexes[kind, keys] = index
        return index.get(wanted, _MISSING)

    def forget(self, items: list[Any]) -> None:
        """Drop the indexes of ``items``, a list whose elements (or their keys) changed."""
        self._indexes.pop(id(items), None)

    def __call__(self, path: Path) -> Any:
        obj = self.obj
        for step in path:
            kind, named = self.step(step)
            if kind == "f" and isinstance(obj, dict) and named in obj:
                obj = obj[named]
            elif kind in ("k", "v") and isinstance(obj, list):
                obj = self.element(obj, kind, named)
            else:
                return _MISSING
            if obj is _MISSING:
                return obj
        return obj


def value_at(obj: Any, path: Path) -> Any:
    """The value at ``path`` in ``obj``, or a sentinel where there is none."""
    return _Reader(obj)(path)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> set[Path]:
    """The fields an update from ``before`` to ``after`` set: those whose value it changed or
    added, and the list elements it added. Linear in the objects' sizes (times their
    depth): each list of both is indexed once (:class:`_Reader`)."""
    old = _Reader(before)
    new = _Reader(after, old.steps)
    out = set()
    for path in field_set(after):
        was = old(path)
        if was is _MISSING or (not path[-1].startswith("k:") and was != new(path)):
            out.add(path)
    return out


def _remove(obj: Any, paths: list[Path]) -> None:
    """Remove the fields and list elements at ``paths`` (shortest first) from ``obj``, those
    that are there; a list or map a removal empties goes too, as Go's ``omitempty`` leaves it
    out of the object. The paths are grouped by the map or list that holds them, and each
    list is filtered once for all the elements dropped from it, not once per element
    (structured-merge-diff removes a set in one walk of the object,
    kubernetes-sigs/structured-merge-diff ``typed/remove.go``). As in that walk, an element
    is found by the key it had before the removal: one path at a time, dropping an
    element's key field (which no valid apply keeps the element without) lost the paths
    under it, depending on the set's order."""
    held: dict[Path, list[tuple[str, Any]]] = {}
    for path in paths:
        held.setdefault(path[:-1], []).append(_step(path[-1]))
    read = _Reader(obj)                 # each list indexed once, again after it is filtered
    for at, steps in held.items():      # a holder's paths are all one step longer than it
        parent = read(at)
        if isinstance(parent, dict):
            present = [named for kind, named in steps if kind == "f" and named in parent]
            for named in present:
                parent.pop(named)
            found = bool(present)
        elif isinstance(parent, list):  # by its keys or value: ``v:`` reads back a copy
            dropped: dict[tuple[str, tuple[str, ...]], set[Any]] = {}
            for kind, named in steps:
                if kind in ("k", "v"):
                    keys, wanted = named if kind == "k" else ((), named)
                    dropped.setdefault((kind, keys), set()).add(wanted)
            kept = [item for item in parent
                    if not any(_element_key(item, kind, keys) in wanted
                               for (kind, keys), wanted in dropped.items())]
            found = len(kept) < len(parent)
            parent[:] = kept
            read.forget(parent)
        else:
            continue
        if found and not parent and at:
            grandparent = read(at[:-1])
            if isinstance(grandparent, dict) and at[-1].startswith("f:"):
                grandparent.pop(at[-1][2:], None)


def fields_v1(fields: set[Path]) -> dict[str, Any]:
    """A field set in the ``FieldsV1`` format: nested maps, ``{}`` for a leaf, ``.`` for a
    member that has members below it."""
    tree: dict[str, Any] = {}
    for path in fields:
        node = tree
        for step in path:
            node = node.setdefault(step, {})
    for path in fields:
        node = tree
        for step in path:
            node = node[step]
        if node:
            node["."] = {}
    return _sorted(tree)


def _sorted(tree: dict[str, Any]) -> dict[str, Any]:
    return {k: _sorted(tree[k]) for k in sorted(tree, key=lambda k: (k != ".", k))}


def path_string(path: Path) -> str:
    """A path as structured-merge-diff prints it: ``.spec.containers[name="web"].image``."""
    out = ""
    for step in path:
        kind, _, rest = step.partition(":")
        if kind == "f":
            out += "." + rest
        elif kind == "k":
            out += "[" + ",".join(f"{k}={_json(v)}" for k, v in json.loads(rest).items()) + "]"
        elif kind == "i":
            out += f"[{rest}]"
        else:
            out += f"[={rest}]"
    return out


def conflict_message(conflicts: list[tuple[Entry, Path]]) -> str:
    """``getConflictMessage``: one conflict on one line; several grouped by manager."""
    if len(conflicts) == 1:
        entry, path = conflicts[0]
        return f"Apply failed with 1 conflict: conflict with {entry.printed()}: " \
               f"{path_string(path)}"
    by_manager: dict[str, tuple[Entry, list[Path]]] = {}
    for entry, path in conflicts:
        by_manager.setdefault(_identifier(entry), (entry, []))[1].append(path)
    lines = []
    for key in sorted(by_manager):
        entry, paths = by_manager[key]
        lines.append(f"conflicts with {entry.printed()}:")
        lines += [f"- {path_string(p)}" for p in sorted(paths)]
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


def _identifier(entry: Entry) -> str:
    """The manager identifier conflicts are grouped and sorted by: the entry's JSON without
    its fields and time, in the Go struct's field order."""
    manager, operation, version, subresource = entry.identity
    fields = {"manager": manager, "operation": operation, "apiVersion": version,
              "subresource": subresource}
    return json.dumps({k: v for k, v in fields.items() if v}, separators=(",", ":"))


def decoded(api_entries: Any, known: list[Entry], now: float) -> list[Entry] | None:
    """The entries a write sends in ``metadata.managedFields``, which replace the object's
    (``decodeLiveOrNew`` in ``internal/fieldmanager.go``): what ``kubectl apply
    --server-side`` sends to move the fields of ``kubectl-client-side-apply`` over to its own
    apply (``csaupgrade``). An empty list, ``[]``, or one zero entry, ``[{}]``, clears them
    (``isResetManagedFields``: the documentation's "an empty list will not reset" predates
    kubernetes/kubernetes#91748, which made both reset, as the integration test
    ``TestClearManagedFieldsWithUpdateEmptyList`` checks). None (keep the object's) for none
    sent, and for a list ``DecodeManagedFields`` cannot decode, so that a client that
    mangles them loses none: an entry whose ``operation`` is not ``Apply`` or ``Update``,
    whose ``apiVersion`` is empty, whose ``fieldsType`` is not ``FieldsV1``, or whose
    ``fieldsV1`` is not a field set (:func:`_from_fields_v1`); a ``fieldsV1`` left out is the
    empty set, an entry the write keeps until it ends (:func:`updated` drops those left with
    no field). The fields are kept as sent, those the object lacks too: only a change of the
    object removes a field from its managers (structured-merge-diff's ``Updater.update``).
    An entry sent without a ``time`` has none (``decodeManagedFieldsEntrySet`` keeps the
    nil time; only the manager of a write that changes fields gets the time of the write,
    ``managedFieldsUpdater.Update``). Simplified: an entry sent with a time keeps the time
    of the known one of the same identity (else ``now``), not the time sent."""
    if not isinstance(api_entries, list) or not all(isinstance(e, dict) for e in api_entries):
        return None
    if not api_entries or (
            len(api_entries) == 1 and all(v in ("", None) for v in api_entries[0].values())):
        return []                       # [] or Go's zero ManagedFieldsEntry{}: a reset
    times = {e.identity: e.time for e in known}
    out = []
    for item in api_entries:
        tree = item.get("fieldsV1")
        fields = _from_fields_v1({} if tree is None else tree, ())
        if item.get("operation") not in (APPLY, UPDATE) or not item.get("apiVersion") or \
                item.get("fieldsType") != "FieldsV1" or fields is None or \
                not isinstance(item.get("manager", ""), str):
            return None
        entry = Entry(item.get("manager", ""), item["operation"], str(item["apiVersion"]), now,
                      fields, str(item.get("subresource") or ""))
        entry.time = times.get(entry.identity, now) if item.get("time") is not None else None
        out.append(entry)
    return out


def _from_fields_v1(tree: Any, prefix: Path) -> set[Path] | None:
    """The paths of a ``FieldsV1`` tree, or None where structured-merge-diff's
    ``Set.FromJSON`` cannot read it (``fieldpath/serialize-pe.go``,
    ``DeserializePathElement``): a member is a mapping (or ``null``), keyed by ``.`` or by
    ``f:`` and a name, ``k:`` and a JSON object, ``v:`` and a JSON value, or ``i:`` and an
    index."""
    if tree is None:
        return set()
    if not isinstance(tree, dict):
        return None
    out: set[Path] = set()
    for step, below in tree.items():
        if step == ".":
            out.add(prefix)
            continue
        if not _is_step(step):
            return None
        inner = _from_fields_v1(below, (*prefix, step))
        if inner is None:
            return None
        out |= inner or {(*prefix, step)}
    return out


def _is_step(step: str) -> bool:
    kind, colon, rest = step.partition(":")
    if not colon or len(kind) != 1:
        return False
    if kind == "i":
        return re.fullmatch(r"[+-]?[0-9]+", rest) is not None
    if kind in ("k", "v"):
        try:
            value = json.loads(rest)
        except ValueError:
            return False
        return kind == "v" or isinstance(value, dict)
    return kind == "f"


def group_version_kind(api_version: Any, kind: Any) -> str:
    """An object's ``apiVersion`` and ``kind`` as Go prints a ``schema.GroupVersionKind``
    (``apps/v1, Kind=Deployment``, ``/v1, Kind=ConfigMap`` for the core group), read as
    ``Unstructured.GroupVersionKind`` reads them: a field that is no string is empty, and an
    ``apiVersion`` with two slashes, which ``ParseGroupVersion`` refuses, empties both."""
    version = api_version if isinstance(api_version, str) else ""
    if version.count("/") > 1:
        return "/, Kind="
    group, _, version = version.rpartition("/") if version != "/" else ("", "", "")
    return f"{group}/{version}, Kind={kind if isinstance(kind, str) else ''}"


def check_configuration(config: dict[str, Any], group_version: str, kind: str) -> None:
    """Refuse an apply's configuration as the field manager does before it merges it: one of
    another API version or kind than the URL's is a 400 ``invalid object type: apps/v1beta1,
    Kind=Deployment`` (``versionCheckManager.Apply``, ``internal/versioncheck.go``), whether
    the object exists or the apply creates it; then one that sets ``metadata.managedFields``
    (a file saved from ``kubectl get -o yaml --show-managed-fields``) is a 400
    ``metadata.managedFields must be nil`` (``structuredMergeManager.Apply``,
    ``internal/structuredmerge.go``): only an update may write them. Simplified: a list of
    mappings counts, as ``Unstructured.GetManagedFields`` reads one, without checking the
    types inside its entries (a list it cannot convert reads as none). Last, two elements of
    a keyed list with the same keys (two ``env`` named ``A``, two ``containerPort: 80``, two
    ``status.conditions`` of one ``type``: the whole configuration is converted, its
    ``status`` too, though no field set holds it), or of a set with the same value, fail its
    conversion to a typed object (``structuredMergeManager.Apply``'s ``ObjectToTyped``;
    structured-merge-diff's ``validatingObjectWalker``: ``duplicate entries for key
    [name="A"]``): a 500 without a reason, as for any error the API server did not classify
    (kubernetes/kubernetes#121575: only an apply is refused; a create or an update may store
    duplicates). A field the kind's schema does not declare (``spec.replica``,
    ``metadata.labelz``) fails the same conversion, ``.spec.replica: field not declared in
    schema``, whatever the request's ``fieldValidation`` (the apply patch is made a typed
    object before any decoder's check: ``applyPatcher`` in k8s.io/apiserver
    ``endpoints/handlers/patch.go``; kubernetes/kubernetes#122480), at most the first of each
    map (:func:`_walked`). The errors are listed in the order of their paths, where Go walks a
    map in no set order; several are ``errors:`` and one per line (``ValidationErrors.Error``,
    structured-merge-diff ``typed/validate.go``)."""
    sent = group_version_kind(config.get("apiVersion"), config.get("kind"))
    if sent != group_version_kind(group_version, kind):
        raise HttpError(400, f"invalid object type: {sent}", "BadRequest")
    meta = config.get("metadata")
    entries = meta.get("managedFields") if isinstance(meta, dict) else None
    if isinstance(entries, list) and all(isinstance(e, dict) for e in entries):
        raise HttpError(400, "metadata.managedFields must be nil", "BadRequest")
    duplicates: list[Path] = []
    field_set(config, duplicates)
    _add(set(), (), "status", config.get("status"), duplicates)    # converted too, owned by none
    errors = [(p[:-1], f"duplicate entries for key {path_string(p[-1:])}") for p in duplicates]
    errors += [(p, "field not declared in schema") for p in _undeclared(config, kind)]
    shown = sorted(f"{path_string(p)}: {why}" for p, why in _walked(errors))
    if shown:
        meta = meta if isinstance(meta, dict) else {}
        where = "/".join(v if isinstance(v, str) else "" for v in (
            meta.get("namespace"), meta.get("name")))
        listed = shown[0] if len(shown) == 1 else "errors:\n  " + "\n  ".join(shown)
        raise HttpError(500, f"failed to create typed patch object ({where}; {sent}): "
                        f"{listed}", UNKNOWN_REASON)


def _undeclared(config: dict[str, Any], kind: str) -> list[Path]:
    """The fields of an apply's configuration its kind's schema does not declare (the ones
    :func:`unknown_fields_meant` knows), as structured-merge-diff paths: an element of a
    keyed list by its keys, of another list by its index."""
    out = []
    for _, steps, _ in unknown_fields_meant(kind, config):
        path: list[str] = []
        value: Any = config
        name = ""
        for step in steps:
            if isinstance(step, int):
                keys = list_map_keys(name, value)
                path.append(_key_step(value[step], keys) if keys else f"i:{step}")
            else:
                path.append(f"f:{step}")
                name = str(step)
            value = value[step]
        out.append(tuple(path))
    return out


def _walked(errors: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """The ``errors`` the conversion to a typed object reports: structured-merge-diff's
    ``validatingObjectWalker.visitMapItems`` stops walking a map at its first field not
    declared in the schema, so that field's later siblings (and any error inside them) go
    unreported. Go walks a map in no set order; the simulator walks its keys sorted."""
    first: dict[Path, str] = {}
    for path, why in errors:
        if why == "field not declared in schema":
            first[path[:-1]] = min(first.get(path[:-1], path[-1]), path[-1])
    return [(path, why) for path, why in errors
            if not any(path[:i] in first and path[i] > first[path[:i]]
                       for i in range(len(path)))]


# ---- the two operations --------------------------------------------------------------------

BEFORE_FIRST_APPLY = "before-first-apply"
"""The manager of the fields an object had when it was first applied with no field managers
(``skipNonAppliedManager``'s ``beforeApplyManagerName``)."""


def updated(entries: list[Entry] | None, writer: Entry, changed: set[Path],
            removed: set[Path]) -> list[Entry]:
    """The entries after an update by ``writer`` (its identity, version and time) that set
    ``changed`` and removed ``removed`` from the object (each manager loses those, as
    ``Updater.update`` takes ``compare.Removed`` from every set). ``entries`` None is an
    object whose managers the simulator does not keep, or one being created: the update
    starts them. An empty list is an object that has none (a create that set no field, or
    a reset): an update leaves it so (``skipNonAppliedManager.Update``, as upstream's
    ``TestClearManagedFieldsWithUpdateEmptyList`` checks), only an apply starts them.

    The writer's own entry takes the write's time whenever the write set a field, one it
    owned already included, and keeps its time when it set none (a write that changes
    nothing, or only removes fields): ``managedFieldsUpdater.Update`` (apimachinery
    ``pkg/util/managedfields/internal/managedfieldsupdater.go``) runs the update as a
    manager of its own, and stamps the time only when that manager ended up owning
    something, the fields the write modified or added."""
    if entries == []:
        return []
    out = []
    found = False
    for entry in entries or []:
        if entry.identity == writer.identity:
            found = True
            entry = Entry(writer.manager, writer.operation, writer.api_version,
                          writer.time if changed else entry.time, entry.fields | changed,
                          writer.subresource)
        else:
            entry = Entry(entry.manager, entry.operation, entry.api_version, entry.time,
                          entry.fields - changed, entry.subresource)
        out.append(entry)
    if not found and changed:
        out.append(Entry(writer.manager, writer.operation, writer.api_version, writer.time,
                         set(changed), writer.subresource))
    return _pruned(out, removed)


def applied(entries: list[Entry] | None, applier: Entry, config: dict[str, Any],
            live: dict[str, Any], merged: dict[str, Any], *, force: bool
            ) -> tuple[dict[str, Any], list[Entry]]:
    """An apply of ``config`` by ``applier`` to the ``live`` object, whose configuration
    merged into it is ``merged``: the object to store (``merged`` itself, the fields the
    applier dropped that no one else owns removed in place) and the entries after it. Raises
    :class:`ApplyConflictError` for a field another manager owns that the apply changes, unless
    ``force``. ``entries`` as for :func:`updated`: an object that has none (an empty list)
    first gives every field it has to ``before-first-apply``, an update entry
    (``skipNonAppliedManager.Apply``), whose fields an apply may then conflict with.
    The applier's entry takes the apply's time only when the object changed: structured-
    merge-diff's ``Updater.Apply`` answers no object for an apply that changes nothing,
    and ``managedFieldsUpdater.Apply`` then leaves the times as they were."""
    if entries == []:
        entries = _pruned([Entry(BEFORE_FIRST_APPLY, UPDATE, applier.api_version,
                                 applier.time, field_set(live))], set())
    entries = entries or []
    wanted = field_set(config)
    before, after = _Reader(live), _Reader(merged)
    conflicts = [(entry, path) for entry in entries if entry.identity != applier.identity
                 for path in sorted(entry.fields & wanted)
                 if not path[-1].startswith("k:") and before(path) != after(path)]
    if conflicts and not force:
        raise ApplyConflictError(conflicts)
    taken = {path for _, path in conflicts}
    others = [Entry(e.manager, e.operation, e.api_version, e.time, e.fields - taken,
                    e.subresource) for e in entries if e.identity != applier.identity]
    previous = next((e for e in entries if e.identity == applier.identity), None)
    # a dropped field goes unless another manager owns it or a field inside it
    owned = {other[:depth] for e in others for other in e.fields
             for depth in range(1, len(other) + 1)}
    _remove(merged, [path for path in sorted(previous.fields - wanted if previous else set(),
                                             key=len) if path not in owned])
    # an apply that leaves the object as it was keeps the applier's time (none if new)
    time = applier.time if merged != live else previous.time if previous else None
    mine = Entry(applier.manager, APPLY, applier.api_version, time, wanted)
    return merged, _pruned([mine, *others], field_set(live) - field_set(merged))


def _pruned(entries: list[Entry], removed: set[Path]) -> list[Entry]:
    """The entries without the fields ``removed`` from the object, and without the entries
    left with none, in upstream's order. A field an entry names that the object never had
    stays (a sent ``managedFields`` may name one)."""
    kept = []
    for entry in entries:
        entry.fields -= removed
        if entry.fields:
            kept.append(entry)
    return sorted(kept, key=Entry.sort_key)


class FieldManagers:
    """The entries of every object written through the API, by uid."""

    def __init__(self) -> None:
        self._entries: dict[str, list[Entry]] = {}

    def of(self, uid: str) -> list[Entry]:
        return self._entries.get(uid, [])

    def recorded(self, uid: str) -> list[Entry] | None:
        """The entries of ``uid``, or None for an object the simulator keeps none for (not
        written through the API): :func:`updated` and :func:`applied` tell the two apart."""
        return self._entries.get(uid)

    def forget(self, obj: Mapping[str, Any]) -> None:
        """Drop the entries of ``obj``, which has left the store: its ``managedFields`` are
        part of the object upstream and go with it."""
        self._entries.pop(obj["metadata"]["uid"], None)

    def clear(self, uid: str) -> None:
        """``uid`` written without managed fields: too large for etcd with them, a create,
        update or patch is tried again without (:mod:`~clustersim.serve.etcdsize`)."""
        self._entries[uid] = []

    @contextmanager
    def staged(self, uid: str, entries: list[Entry], *, keep: bool = True) -> Iterator[None]:
        """``entries`` for ``uid`` while the write runs (its answer shows them), kept if it
        succeeds and ``keep`` (not a dry run)."""
        before = self._entries.get(uid)
        self._entries[uid] = entries
        ok = False
        try:
            yield
            ok = keep
        finally:
            if not ok:
                if before is None:
                    self._entries.pop(uid, None)
                else:
                    self._entries[uid] = before
