"""Marathon's app tree as data: walk a group, scale it, rewrite its dependencies.

A Marathon group is a tree: groups are branches, apps (and pods) are leaves, and
``dependencies`` between them decide the order of a deployment (d2iq-archive/marathon
``core/deployment/DeploymentPlan.scala``). :func:`scale_group` is ``PUT /v2/groups/<id>``
with ``{"scaleBy": factor}``: every app below the group gets ``ceil(instances × factor)``
instances (``api/GroupApiService.scala``, ``updateTransitiveApps``; pods are left alone).
:data:`SHOP_EDGES` are the dependencies the lab lets a learner switch on and off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.marathon.groups import canonical_group
from clustersim.marathon.pathid import PathId

__all__ = ["SHOP_EDGES", "iter_apps", "scale_group", "with_dependencies"]


# The dependencies a learner can switch in the explorer: (group or app, what it depends on).
SHOP_EDGES = (
    ("/shop/web", "/shop/db"),
    ("/shop/web", "/shop/cache"),
    ("/shop/web/frontend", "/shop/web/api"),
    ("/shop/cache", "/shop/db"),
    ("/shop/db", "/shop/web"),
)


def iter_apps(group: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """Every app below ``group`` (group JSON with absolute ids), depth first."""
    yield from group.get("apps", [])
    for child in group.get("groups", []):
        yield from iter_apps(child)


def _iter_nodes(group: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield group
    yield from group.get("apps", [])
    yield from group.get("pods", [])
    for child in group.get("groups", []):
        yield from _iter_nodes(child)


def scale_group(group: Mapping[str, Any], factor: float, group_id: str | None = None
                ) -> dict[str, Any]:
    """A copy of ``group`` where every app below ``group_id`` (default: the whole group) has
    ``ceil(instances × factor)`` instances, as Marathon's ``scaleBy`` does. The copy's ids are
    canonical (absolute), as Marathon keeps them, and ``group_id`` is read as one too."""
    if isinstance(factor, bool) or not isinstance(factor, int | float) or not \
            0 <= factor <= 100:
        raise ValueError(f"scaleBy must be a number from 0 to 100, not {factor!r}")
    scaled = canonical_group(dict(group))
    wanted = None if group_id is None else str(PathId(group_id).resolve())
    target = scaled if wanted in (None, scaled["id"]) else next(
        (g for g in _iter_nodes(scaled) if g["id"] == wanted and "groups" in g), None)
    if target is None:
        raise ValueError(f"no group {group_id!r} in {scaled['id']}")
    for app in iter_apps(target):
        app["instances"] = math.ceil(app.get("instances", 1) * factor)
    return scaled


def with_dependencies(group: Mapping[str, Any], edges: Iterable[tuple[str, str]]
                      ) -> dict[str, Any]:
    """A copy of ``group`` (its ids canonical) whose groups and apps depend exactly on
    ``edges`` ((from, to) pairs of absolute ids); every other ``dependencies`` entry is
    removed."""
    edited = canonical_group(dict(group))
    wanted: dict[str, list[str]] = {}
    for source, target in edges:
        wanted.setdefault(source, []).append(target)
    known = set()
    for node in _iter_nodes(edited):
        known.add(node.get("id"))
        node.pop("dependencies", None)
        if node.get("id") in wanted:
            node["dependencies"] = sorted(wanted[node["id"]])
    missing = sorted(set(wanted) - known)
    if missing:
        raise ValueError(f"no group or app {', '.join(missing)} in {edited.get('id', '/')}")
    return edited
