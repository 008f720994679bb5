"""The ``DefaultTolerationSeconds`` admission plugin, with one list of defaults every Pod shares.

The plugin (kubernetes/kubernetes ``plugin/pkg/admission/defaulttolerationseconds/
admission.go``) gives a Pod that does not already tolerate ``node.kubernetes.io/not-ready``
or ``node.kubernetes.io/unreachable`` with effect ``NoExecute`` a toleration of each:
``operator: Exists, effect: NoExecute, tolerationSeconds: 300`` (kube-apiserver's
``--default-not-ready-toleration-seconds`` and ``--default-unreachable-toleration-seconds``,
both 300 by default). A toleration with an empty effect or an empty key and ``Exists``
counts as one of them (``Toleration.ToleratesTaint``).

Most Pods have no toleration of their own, so they all end with the same two. The API server
stores a copy per Pod; here those Pods share one list, :data:`DEFAULT_TOLERATIONS` (at
150,000 Pods the copies cost about 70 MB, ``benchmarks/k8s_cluster.py``). It is a list, not
a tuple, so that it compares equal to the list a client sends and every reader that takes
a list (strategic merge, the update checks) reads it as one; writing to it, or to one of its
tolerations, raises ``TypeError``: whoever changes a Pod's tolerations stores a new list
(``workloadupdates.update_pod_spec`` does), and a copy (``copy.copy``, ``copy.deepcopy``,
``copy_data``), a pickle or a YAML dump (``yaml.safe_dump``) is a plain list of plain
dicts.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, NoReturn

import yaml
from yaml.representer import SafeRepresenter

__all__ = ["DEFAULT_TOLERATIONS", "DEFAULT_TOLERATION_SECONDS", "add_default_tolerations"]

DEFAULT_TOLERATION_SECONDS = 300
"""``--default-not-ready-toleration-seconds`` and ``--default-unreachable-toleration-seconds``
of kube-apiserver: both default to 300 s."""

_KEYS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")


def _refuse(*_: Any, **__: Any) -> NoReturn:
    raise TypeError("the default tolerations are shared by every Pod that has no toleration "
                    "of its own: store a new list in the Pod's spec instead of changing it")


class _SharedToleration(dict[str, Any]):
    """A toleration that many Pods share: read like a dict, never written."""

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {key: copy.deepcopy(value, memo) for key, value in self.items()}

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        return dict, (dict(self),)


class _SharedTolerations(list[Mapping[str, Any]]):
    """A list of tolerations that many Pods share: read like a list, never written."""

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = clear = extend = insert = pop = remove = reverse = sort = _refuse

    def __copy__(self) -> list[Mapping[str, Any]]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(item, memo) for item in self]

    def __reduce__(self) -> tuple[type[list[Any]], tuple[list[Any]]]:
        return list, (list(self),)


for _shared, _plain in ((_SharedToleration, SafeRepresenter.represent_dict),
                        (_SharedTolerations, SafeRepresenter.represent_list)):
    yaml.add_representer(_shared, _plain, Dumper=yaml.SafeDumper)
    yaml.add_representer(_shared, _plain)


def _default(key: str) -> dict[str, Any]:
    return {"key": key, "operator": "Exists", "effect": "NoExecute",
            "tolerationSeconds": DEFAULT_TOLERATION_SECONDS}


DEFAULT_TOLERATIONS: list[Mapping[str, Any]] = _SharedTolerations(
    _SharedToleration(_default(key)) for key in _KEYS)
"""The tolerations of a Pod that had none, shared by every such Pod (never written)."""


def _tolerates_key(tolerations: list[Mapping[str, Any]], key: str) -> bool:
    for tol in tolerations:
        effect_ok = tol.get("effect") in (None, "", "NoExecute")
        op = tol.get("operator") or "Equal"
        key_ok = tol.get("key") == key or (not tol.get("key") and op == "Exists")
        if effect_ok and key_ok:
            return True
    return False


def add_default_tolerations(spec: dict[str, Any]) -> None:
    """Run the admission plugin on a Pod's ``spec``, in place: one without tolerations gets
    :data:`DEFAULT_TOLERATIONS`; one with its own gets, appended to them, a toleration of
    each key it does not tolerate yet."""
    tolerations = spec.get("tolerations")
    if not tolerations:
        spec["tolerations"] = DEFAULT_TOLERATIONS
        return
    for key in _KEYS:
        if not _tolerates_key(tolerations, key):
            tolerations.append(_default(key))
