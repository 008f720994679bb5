"""Deployment plans: the ordered steps that take Marathon from one group tree to another.

Follows d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/core/deployment/
DeploymentPlan.scala`` (``DeploymentPlan.apply``, ``dependencyOrderedSteps``,
``runSpecsGroupedByLongestPath``) and its tests ``DeploymentPlanTest.scala``:

1. one step stops every run spec missing from the target (``StopApplication``);
2. one step starts every new run spec with 0 instances (``StartApplication``);
3. then one step per dependency layer of the *target* tree, in ascending order of the
   longest dependency chain, for the affected run specs (new or changed): a new run spec,
   a scale-only change, or a scale down to 0 instances becomes ``ScaleApplication`` to the
   target count; any other change ``RestartApplication``;
4. empty steps are dropped; the actions of one step run at the same time.

A run spec is unchanged when its definition is equal after dropping what Marathon's API adds
to a definition it returns (``version``, ``versionInfo``, task counts …) and fields left at
their default. Marathon also restarts an app whose definition is unchanged but whose version
was bumped (``POST /v2/apps/<id>/restart``); :meth:`~clustersim.marathon.framework.Marathon.
restart` does that. Docs (``docs/docs/application-groups.md``) say removed dependents stop
before their dependencies; the code stops all removed run specs in the first step, as here.

A plan's id (:func:`plan_id`) is a version-4 UUID as Marathon's (``DeploymentPlan.apply``
takes ``UUID.randomUUID``), made from the cluster's seed, the framework and the plan's number
instead of drawn at random, so that the same seeded run names its deployments alike.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from clustersim.manifests.marathon_types import whole_number
from clustersim.marathon.backoff import DEFAULT_MAX_LAUNCH_DELAY
from clustersim.marathon.groups import RootGroup

__all__ = ["RESTART", "SCALE", "START", "STOP", "deployment_plan", "plan_id", "plan_steps",
           "same_definition"]

STOP, START, SCALE, RESTART = (
    "StopApplication", "StartApplication", "ScaleApplication", "RestartApplication"
)

#: Fields of ``GET /v2/apps`` answers that are state, not definition.
_STATUS_FIELDS = frozenset({
    "version", "versionInfo", "tasksStaged", "tasksRunning", "tasksHealthy", "tasksUnhealthy",
    "deployments", "tasks", "lastTaskFailure", "readinessCheckResults", "taskStats", "status",
    "instances_status",
})
#: App defaults (``AppDefinition`` companion object); a field at its default is as if absent.
_APP_DEFAULTS: dict[str, Any] = {
    "instances": 1, "cpus": 1.0, "mem": 128.0, "disk": 0.0, "gpus": 0, "executor": "",
    "requirePorts": False, "backoffSeconds": 1, "backoffFactor": 1.15,
    "maxLaunchDelaySeconds": DEFAULT_MAX_LAUNCH_DELAY, "killSelection": "YOUNGEST_FIRST",
}


def instances_of(manifest: dict[str, Any], kind: str) -> int:
    """The target instance count of an app (``instances``) or pod (``scaling.instances``);
    ``2.0`` is 2, as Marathon's JSON reader takes it (:func:`~clustersim.manifests.
    marathon_types.whole_number`, the loader's reader)."""
    if kind == "Pod":
        scaling = manifest.get("scaling") or {}
        value = whole_number(scaling.get("instances", 1))
    else:
        value = whole_number(manifest.get("instances", 1))
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(
            f"{kind.lower()} {manifest.get('id')!r}: instances must be a whole number ≥ 0, "
            f"got {value!r}"
        )
    return value


#: Fields AppDefinition keeps as sets: their order is not a change.
_SET_FIELDS = frozenset({"constraints", "healthChecks", "dependencies", "acceptedResourceRoles"})


def _definition(manifest: dict[str, Any], kind: str) -> dict[str, Any]:
    """The definition without state fields, defaults and the instance count."""
    result = {}
    for key, value in manifest.items():
        if key in _STATUS_FIELDS or key == "instances" or value in (None, [], {}, ""):
            continue
        if kind == "App" and key in _APP_DEFAULTS and value == _APP_DEFAULTS[key]:
            continue
        if kind == "Pod" and key == "scaling":
            value = {k: v for k, v in value.items() if k != "instances"}
        if key in _SET_FIELDS and isinstance(value, list):
            value = sorted(value, key=repr)
        result[key] = value
    return result


def same_definition(before: dict[str, Any], after: dict[str, Any], kind: str) -> bool:
    """Whether two definitions of an app or pod differ at most in their instance count (a
    scale change, ``isOnlyScaleChange``, or none at all)."""
    return _definition(before, kind) == _definition(after, kind)


def _change(before: dict[str, Any], after: dict[str, Any], kind: str) -> str | None:
    old_n, new_n = instances_of(before, kind), instances_of(after, kind)
    same = same_definition(before, after, kind)
    if same and old_n == new_n:
        return None
    if same or (new_n == 0 and old_n != 0):
        return SCALE
    return RESTART


def plan_steps(original: RootGroup, target: RootGroup) -> list[list[dict[str, Any]]]:
    """The steps from ``original`` to ``target`` (both :class:`RootGroup`)."""
    layers = target.longest_paths()
    old, new = original.run_specs, target.run_specs

    def action(name: str, spec_id: str, kind: str, instances: int | None = None) -> dict:
        entry: dict[str, Any] = {"action": name, "app": spec_id}
        if instances is not None:
            entry["instances"] = instances
        if kind == "Pod":
            entry["kind"] = "pod"
        return entry

    steps: list[list[dict[str, Any]]] = [
        [action(STOP, i, original.kinds[i]) for i in sorted(old) if i not in new],
        [action(START, i, target.kinds[i]) for i in sorted(new) if i not in old],
    ]
    by_layer: dict[int, list[dict[str, Any]]] = {}
    for spec_id in sorted(new):
        kind = target.kinds[spec_id]
        if spec_id not in old:
            change: str | None = SCALE
        else:
            change = _change(old[spec_id], new[spec_id], kind)
        if change is None:
            continue
        count = instances_of(new[spec_id], kind) if change == SCALE else None
        by_layer.setdefault(layers[spec_id], []).append(action(change, spec_id, kind, count))
    steps.extend(by_layer[layer] for layer in sorted(by_layer))
    return [step for step in steps if step]


def deployment_plan(original: Any, target: Any) -> list[list[dict[str, Any]]]:
    """The deployment plan from the group ``original`` to the group ``target``.

    Both are Marathon group JSON (dicts, read for their ids, dependencies and definitions
    only), or anything :func:`clustersim.load_manifests` reads (validated as ``deploy``
    validates); ``None``/``{}`` is the empty root group. Returns the steps in order; each step is
    a list of actions ``{"action": "StartApplication" | "ScaleApplication" |
    "RestartApplication" | "StopApplication", "app": "/absolute/id", "instances": n}``
    (``instances`` only when scaling; pods also carry ``"kind": "pod"``), sorted by id.
    A dependency cycle in the target raises ``ValueError`` naming the cycle.
    """
    def read(source: Any, name: str) -> RootGroup:
        plain = source is None or isinstance(source, dict) or (
            isinstance(source, list | tuple) and all(isinstance(x, dict) for x in source))
        return RootGroup.from_definitions(source) if plain else \
            RootGroup.from_source(source, name=name)

    return plan_steps(read(original, "original"), read(target, "target"))


def plan_id(seed: int, framework_id: str, number: int) -> str:
    """The id of a framework's ``number``-th deployment plan on a cluster of ``seed``: shaped
    as ``UUID.randomUUID().toString`` (36 characters, version 4, IETF variant), the same in
    every run of that seed (see the module)."""
    digest = hashlib.sha256(f"{seed}/{framework_id}/{number}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))
