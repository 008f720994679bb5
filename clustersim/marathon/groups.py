"""Marathon's group tree: groups as branches, apps and pods ("run specs") as leaves.

Follows d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/state/RootGroup.scala`` and
``Group.scala``, docs ``docs/docs/application-groups.md``:

- every app, pod and group has an absolute path id; posting ``/a/b/app`` creates the groups
  ``/a`` and ``/a/b`` when they are missing; an app and a group may not share an id;
- dependencies may name apps, pods or groups. ``applicationDependencies`` turns them into
  edges between run specs: a group's dependency on group *G* makes every run spec under the
  group depend on every run spec under *G*; an app's dependency on a run spec is one edge, on
  a group an edge to each run spec under it; ids that name nothing are ignored, as Marathon
  ignores them, and so is a group's dependency on an app or pod (the group→group loop of
  ``applicationDependencies`` looks its ids up among groups only;
  :meth:`RootGroup.group_dependencies_on_run_specs` lists them);
- cycles are invalid (``hasNonCyclicDependencies``); :meth:`RootGroup.find_cycle` names one;
- ``longest_path(id)`` counts the run specs on the longest dependency chain starting at *id*
  (1 without dependencies): ``DeploymentPlan.runSpecsGroupedByLongestPath`` layers by it.

Manifests come from :func:`clustersim.manifests.load_manifests`, which has already resolved
every id and dependency against its enclosing group.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from clustersim.manifests import ManifestError, Spec, load_manifests
from clustersim.manifests.marathon import marathon_kind
from clustersim.marathon.pathid import PathId
from clustersim.marathon.roles import role_settings, with_role

__all__ = ["DependencyCycleError", "Group", "IdClashError", "RootGroup", "canonical_group",
           "load_specs"]


@dataclass
class Group:
    """One group: its id, its own ``dependencies``, its direct children's ids and, for a
    top-level group, ``enforceRole`` (``None`` when never set: :mod:`.roles`)."""

    id: str
    dependencies: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    run_specs: list[str] = field(default_factory=list)
    enforce_role: bool | None = None


def load_specs(source: Any, name: str | None = None) -> list[Spec]:
    """Marathon specs from anything :func:`load_manifests` reads (a path, text, dict, list)
    or from specs already loaded; specs of another system are refused with a clear error."""
    return list(load_manifests(source, name=name).of_system(
        "marathon", "Marathon deploys apps, pods and groups (Marathon JSON)"))


def _resolved(data: dict[str, Any], base: str, *, group: bool, child: bool) -> dict[str, Any]:
    """``data`` with its id, its dependencies and (for a group) its children resolved; a
    child must land directly inside its group (``PathId.childOf``)."""
    raw_id = data.get("id")
    if group and not child and raw_id in (None, "/", ""):
        own = "/"
    else:
        if not isinstance(raw_id, str) or not raw_id.strip("/"):
            raise ValueError(f"every app, pod and group needs an id, got {raw_id!r} in {base}")
        own = str(PathId(raw_id).resolve(base))
        if child and str(PathId(own).parent) != base:
            raise ValueError(f"{raw_id!r} resolves to {own}: Identifier is not child of "
                             f"{base}. Hint: use relative paths.")
    resolved = dict(data, id=own)
    deps = data.get("dependencies")
    if deps is not None and (not isinstance(deps, list | tuple)
                             or not all(isinstance(d, str) for d in deps)):
        # a JSON array of ids, as the loader requires (manifests.marathon._dependencies)
        raise ValueError(f"the dependencies of {own} are not a list of app or group ids: "
                         f"{deps!r}; write a list such as ['/a/b']")
    if deps:
        deps_base = own if group else base
        resolved["dependencies"] = [str(PathId(d).resolve(deps_base))
                                    for d in data["dependencies"]]
    if group:
        for key in ("apps", "pods", "groups"):
            resolved[key] = [_resolved(item, own, group=key == "groups", child=True)
                             for item in data.get(key) or []]
    return resolved


def canonical_group(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the group JSON ``data`` with every id and dependency absolute, as Marathon
    stores and returns a group (``PathId.canonicalPath`` against the enclosing group, for
    ``{"id": "data"}`` inside ``/blog``: ``/blog/data``); read for its structure only."""
    return _resolved(copy.deepcopy(data), "/", group=True, child=False)


class DependencyCycleError(ManifestError):
    """A group tree whose dependencies form a cycle (``cycle``: the ids around it, the first
    repeated at the end). Marathon refuses it with :attr:`UPSTREAM_MESSAGE` alone
    (``noCyclicDependencies`` in d2iq-archive/marathon ``state/RootGroup.scala``: 422 ``Object
    is not valid``, the message at path ``/``); this message adds the cycle and what to do,
    and the served API answers upstream's words (:func:`clustersim.serve.marathonquery.
    invalid`)."""

    UPSTREAM_MESSAGE = "Dependency graph has cyclic dependencies."

    def __init__(self, cycle: list[str], *, source: str = "<string>",
                 line: int | None = None) -> None:
        self.cycle = list(cycle)
        super().__init__(self.UPSTREAM_MESSAGE.rstrip(".") + ": " + " -> ".join(cycle)
                         + ". Remove one of these dependencies.", source=source, line=line)

    def __reduce__(self):  # keep the cycle when pickled (e.g. across processes)
        return (_rebuild_cycle, (self.cycle, self.source, self.line))


def _rebuild_cycle(cycle: list[str], source: str, line: int | None) -> DependencyCycleError:
    return DependencyCycleError(cycle, source=source, line=line)


class IdClashError(ValueError):
    """An app or a pod with the id of a group. Marathon refuses it with :attr:`upstream`
    (``noAppsAndGroupsWithSameName``, ``noPodsAndGroupsWithSameName`` in d2iq-archive/marathon
    ``state/RootGroup.scala``: 422 ``Object is not valid``); this message adds the id, and the
    served API answers upstream's words (:func:`clustersim.serve.marathonquery.invalid`)."""

    UPSTREAM: ClassVar[dict[str, str]] = {
        "App": "Groups and Applications may not have the same identifier.",
        "Pod": "Groups and Pods may not have the same identifier."}

    def __init__(self, spec_id: str, kind: str) -> None:
        self.spec_id, self.kind, self.upstream = spec_id, kind, self.UPSTREAM[kind]
        super().__init__(f"{self.upstream.rstrip('.')}: {spec_id!r} is a group and "
                         f"{'an app' if kind == 'App' else 'a pod'}")

    def __reduce__(self):  # keep the id and kind when pickled (e.g. across processes)
        return (IdClashError, (self.spec_id, self.kind))


class RootGroup:
    """The root group ``/`` with every group and run spec below it (an immutable value:
    the update methods return a new root)."""

    def __init__(self) -> None:
        self.groups: dict[str, Group] = {"/": Group("/")}
        self.run_specs: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, str] = {}

    # -- building -------------------------------------------------------------------------

    @classmethod
    def from_source(cls, source: Any, name: str | None = None) -> RootGroup:
        """A root group holding what ``source`` defines (``None`` or ``{}`` is empty)."""
        root = cls()
        if source is None or source == {} or source == []:
            return root
        return root.updated(load_specs(source, name))

    @classmethod
    def from_definitions(cls, data: Any) -> RootGroup:
        """A root group from plain dicts (a group, an app, a pod or a list of them), read for
        their structure only: ids and dependencies are resolved as Marathon resolves them
        (relative to the enclosing group, ``.`` and ``..``), nothing else is validated. This
        lets :func:`~clustersim.marathon.plan.deployment_plan` plan sketches such as
        ``{"id": "/a", "instances": 2}``; ``Marathon.deploy`` validates fully."""
        root = cls()
        if not data:
            return root
        items = data if isinstance(data, list | tuple) else [data]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ValueError(f"definition [{index}] must be an object, got {item!r}")
            kind = marathon_kind(item)
            resolved = _resolved(item, "/", group=kind == "Group", child=False)
            if kind == "Group":
                root._add_group(resolved)
            else:
                root._add_run_spec(resolved, kind)
        return root

    def copy(self) -> RootGroup:
        other = RootGroup.__new__(RootGroup)
        other.groups = {
            k: Group(g.id, list(g.dependencies), list(g.groups), list(g.run_specs),
                     g.enforce_role)
            for k, g in self.groups.items()
        }
        other.run_specs = dict(self.run_specs)
        other.kinds = dict(self.kinds)
        return other

    def updated(self, specs: Iterable[Spec], *, replace: bool = False,
                mesos_role: str = "*") -> RootGroup:
        """A new root with ``specs`` created or updated in place.

        Apps and pods replace the run spec of the same id. A group merges into the tree (new
        and changed children; nothing is removed) unless ``replace`` is true, which replaces
        the group's whole subtree as ``PUT /v2/groups/<id>`` does. Each new or changed app
        and pod gets its role checked and defaulted against this root, the framework's
        ``mesos_role`` and its top-level group's ``enforceRole`` (:mod:`.roles`; raises
        :class:`~clustersim.marathon.roles.RoleError`).
        """
        root = self.copy()
        specs = list(specs)
        for spec in specs:
            if spec.kind == "Group":
                if replace:
                    root._remove(spec.name, keep_group=True)
                root._add_group(spec.manifest)
            else:
                root._add_run_spec(spec.manifest, spec.kind)
        for spec_id, manifest in root.run_specs.items():
            if manifest is not self.run_specs.get(spec_id):    # new or changed
                existing = self.run_specs.get(spec_id, {}).get("role")
                top = root.groups.get("/" + PathId(spec_id).path[0])
                settings = role_settings(spec_id, enforce_role=top.enforce_role if top else None,
                                         existing=existing, mesos_role=mesos_role)
                root.run_specs[spec_id] = with_role(manifest, settings, existing)
        cycle = root.find_cycle()
        if cycle and specs:      # name the file (and object) whose dependencies close it
            spec = next((s for s in specs if {w.name for w in s.workloads()} & set(cycle)),
                        specs[0])
            raise DependencyCycleError(cycle, source=spec.source, line=spec.line)
        return root

    def without(self, ids: Iterable[str]) -> RootGroup:
        """A new root without these apps, pods or groups (with everything under them). The
        group of a removed app or pod stays, empty or not, as Marathon keeps it
        (``RootGroup.removeApp`` and ``removePod`` put the group back without it): ``DELETE
        /v2/groups/<id>`` removes a group."""
        root = self.copy()
        for item in ids:
            item_id = str(PathId(item).resolve())
            if item_id not in root.groups and item_id not in root.run_specs:
                raise ValueError(f"{item_id!r} is neither an app, a pod nor a group")
            root._remove(item_id, keep_group=False)
        return root

    def reverted(self, original: RootGroup, ids: Iterable[str]) -> RootGroup:
        """A new root with the run specs ``ids`` as they were in ``original``: restored,
        or removed if they did not exist then (``DeploymentPlan.revert`` in
        d2iq-archive/marathon ``core/deployment/DeploymentPlan.scala`` undoes one
        deployment's changes and keeps the others). Simplified: groups the deployment created
        stay, empty, and group dependencies are not reverted."""
        root = self.copy()
        for spec_id in ids:
            if spec_id in original.run_specs:
                root._add_run_spec(original.run_specs[spec_id], original.kinds[spec_id])
            elif spec_id in root.run_specs:
                root._remove(spec_id, keep_group=False)
        return root

    def _ensure_group(self, group_id: str) -> Group:
        if group_id in self.run_specs:
            raise IdClashError(group_id, self.kinds[group_id])
        if group_id not in self.groups:
            parent = str(PathId(group_id).parent)
            self._ensure_group(parent).groups.append(group_id)
            self.groups[group_id] = Group(group_id)
        return self.groups[group_id]

    def _add_group(self, manifest: dict[str, Any]) -> None:
        group_id = str(PathId(manifest.get("id") or "/").resolve())
        PathId(group_id).validate("group id")
        group = self._ensure_group(group_id)
        if manifest.get("enforceRole") is not None:
            if manifest["enforceRole"] and len(PathId(group_id).path) != 1:
                # GroupValidation (Group.scala): only a top-level group may enforce its role
                raise ValueError(f"enforceRole can only be set for top-level groups, and "
                                 f"{group_id} is not top-level")
            group.enforce_role = bool(manifest["enforceRole"])
        if "dependencies" in manifest:
            group.dependencies = [str(d) for d in manifest.get("dependencies") or []]
        for child in manifest.get("groups") or []:
            self._add_group(child)
        for app in manifest.get("apps") or []:
            self._add_run_spec(app, "App")
        for pod in manifest.get("pods") or []:
            self._add_run_spec(pod, "Pod")

    def _add_run_spec(self, manifest: dict[str, Any], kind: str) -> None:
        spec_id = str(PathId(manifest["id"]).resolve())
        PathId(spec_id).validate(f"{kind.lower()} id")
        if spec_id in self.groups:
            raise IdClashError(spec_id, kind)
        group = self._ensure_group(str(PathId(spec_id).parent))
        if spec_id not in self.run_specs:
            group.run_specs.append(spec_id)
        resolved = copy.deepcopy(manifest)
        resolved["id"] = spec_id
        self.run_specs[spec_id] = resolved
        self.kinds[spec_id] = kind

    def _remove(self, item_id: str, *, keep_group: bool) -> None:
        if item_id in self.run_specs:
            self.groups[str(PathId(item_id).parent)].run_specs.remove(item_id)
            del self.run_specs[item_id], self.kinds[item_id]
            return
        group = self.groups.get(item_id)
        if group is None:
            return
        for child in list(group.groups):
            self._remove(child, keep_group=False)
        for spec_id in list(group.run_specs):
            self._remove(spec_id, keep_group=False)
        if not keep_group and item_id != "/":
            self.groups[str(PathId(item_id).parent)].groups.remove(item_id)
            del self.groups[item_id]

    # -- reading --------------------------------------------------------------------------

    def transitive_run_specs(self, group_id: str = "/") -> list[str]:
        """Every app and pod id under the group, depth first in definition order."""
        group = self.groups[group_id]
        found = list(group.run_specs)
        for child in group.groups:
            found.extend(self.transitive_run_specs(child))
        return found

    def dependency_edges(self) -> dict[str, list[str]]:
        """Run spec id → the run specs it depends on (``applicationDependencies``), sorted."""
        edges: dict[str, set[str]] = {spec_id: set() for spec_id in self.run_specs}
        for group in self.groups.values():
            for dep in group.dependencies:
                if dep in self.groups:
                    targets = self.transitive_run_specs(dep)
                    for spec_id in self.transitive_run_specs(group.id):
                        edges[spec_id].update(targets)
        for spec_id, manifest in self.run_specs.items():
            for dep in manifest.get("dependencies") or []:
                dep = str(dep)
                if dep in self.run_specs:
                    edges[spec_id].add(dep)
                elif dep in self.groups:
                    edges[spec_id].update(self.transitive_run_specs(dep))
        return {k: sorted(v) for k, v in edges.items()}

    def unresolved_dependencies(self) -> list[tuple[str, str]]:
        """``(owner, dependency)`` for each dependency that names no app, pod or group.

        Marathon accepts these (no validator checks that a dependency exists) and leaves them
        out of ``applicationDependencies``, so the owner does not wait for anything;
        :meth:`dependency_edges` drops them the same way."""
        owners = [(group.id, group.dependencies) for group in self.groups.values()]
        owners += [(spec_id, manifest.get("dependencies") or [])
                   for spec_id, manifest in self.run_specs.items()]
        return [(owner, str(dep)) for owner, deps in owners for dep in deps
                if str(dep) not in self.groups and str(dep) not in self.run_specs]

    def group_dependencies_on_run_specs(self) -> list[tuple[str, str]]:
        """``(group, run spec)`` for each dependency of a group that names an app or pod.

        Marathon accepts these too and ignores them: ``applicationDependencies`` follows a
        group's dependencies to groups only (d2iq-archive/marathon ``RootGroup.scala``, the
        group->group loop looks each id up in ``transitiveGroupsById``), so nothing under the
        group waits for that app; an app's own ``dependencies`` may name an app."""
        return [(group.id, str(dep)) for group in self.groups.values()
                for dep in group.dependencies if str(dep) in self.run_specs]

    def find_cycle(self) -> list[str] | None:
        """One dependency cycle as ``[a, b, …, a]``, or ``None`` when there is none.

        A depth-first search with its own stack, so a chain of hundreds of apps does not
        reach Python's recursion limit."""
        edges = self.dependency_edges()
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for root in sorted(edges):
            if root in state:
                continue
            state[root] = 1
            path = [root]
            pending = [iter(edges[root])]
            while pending:
                dep = next(pending[-1], None)
                if dep is None:
                    state[path.pop()] = 2
                    pending.pop()
                elif state.get(dep) == 1:
                    return [*path[path.index(dep):], dep]
                elif dep not in state:
                    state[dep] = 1
                    path.append(dep)
                    pending.append(iter(edges[dep]))
        return None

    def check_acyclic(self) -> None:
        """Raise ``ValueError`` naming a dependency cycle, as Marathon rejects such groups."""
        cycle = self.find_cycle()
        if cycle:
            raise ValueError(DependencyCycleError(cycle).message)

    def longest_paths(self) -> dict[str, int]:
        """Run spec id → run specs on its longest dependency chain (itself included)."""
        self.check_acyclic()
        edges = self.dependency_edges()
        memo: dict[str, int] = {}
        for root in edges:
            stack = [root]
            while stack:     # dependencies first, without recursion (chains may be long)
                node = stack[-1]
                todo = [dep for dep in edges[node] if dep not in memo]
                if todo:
                    stack.extend(todo)
                    continue
                stack.pop()
                memo[node] = 1 + max((memo[dep] for dep in edges[node]), default=0)
        return memo

    def __repr__(self) -> str:
        return f"RootGroup({len(self.groups)} groups, {len(self.run_specs)} apps and pods)"
