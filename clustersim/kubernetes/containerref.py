"""Which container of a Pod a kubelet event is about: the event's ``involvedObject.fieldPath``.

The kubelet records its container events (the image pulls, ``Created``, ``Started``,
``Killing``, the back-offs, a container's ``Failed``) against a reference to the Pod whose
``fieldPath`` names the container, ``spec.containers{web}`` or ``spec.initContainers{migrate}``
(``GenerateContainerRef`` and ``fieldPath`` in kubernetes/kubernetes
``pkg/kubelet/container/ref.go``: the app containers are looked up first, then the init
containers, then the ephemeral ones). Since v1.35 the messages of ``Created`` and ``Started``
no longer name the container (``Container created``, ``Container started``: PR #134043), and
``kubectl describe`` (1.35 and later) prints the field path before each message
(``spec.containers{web}: Container created``; kubectl PR #133627).

Simplified: a container without a name (``spec.containers[0]`` upstream) and one that is not
in the Pod's spec (``implicitly required container web``) do not occur here, as every
container the simulator runs is named in its Pod's spec; the simulator runs no ephemeral
containers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["container_named", "field_path"]

_KINDS = ("containers", "initContainers", "ephemeralContainers")
"""The Pod's lists of containers, in the order ``fieldPath`` looks a name up in them."""
_FIELD_PATH = re.compile(r"spec\.(?:" + "|".join(_KINDS) + r")\{(.*)\}")


def field_path(pod: Mapping[str, Any], container: Mapping[str, Any]) -> str:
    """The field path of ``container`` in ``pod``, ``spec.containers{web}``: the first of the
    Pod's lists (app, init, ephemeral containers) that has a container of its name."""
    name = str(container.get("name"))
    spec = pod.get("spec") or {}
    kind = next(k for k in _KINDS if any(c.get("name") == name for c in spec.get(k) or []))
    return f"spec.{kind}{{{name}}}"


def container_named(path: str) -> str:
    """The container a field path made by :func:`field_path` names (``web`` for
    ``spec.containers{web}``); empty for an event about the whole object (no field path)."""
    found = _FIELD_PATH.fullmatch(path)
    return found.group(1) if found else ""
