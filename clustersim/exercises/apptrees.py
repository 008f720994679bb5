"""Checks for the "pods versus Marathon app trees" lab.

- :func:`check_acyclic_group`: a Marathon group whose dependencies form a cycle is refused
  ("Dependency graph has cyclic dependencies"); fix it so that it deploys in the order its
  authors meant (database and cache first, then the api, then the frontend): the learner's
  plan is compared with :data:`INTENDED_STORE_STEPS`, and a dependency on an id that names
  nothing, which Marathon accepts and ignores (``RootGroup.applicationDependencies`` looks
  each id up and skips what it does not find), is refused as not the intended fix, and so is
  a group's dependency on an app, which it ignores as well (a group depends on groups only).
- :func:`check_plan_prediction`: predict the steps of the deployment plan of a group by hand,
  then compare with :func:`clustersim.marathon.deployment_plan` (d2iq-archive/marathon
  ``core/deployment/DeploymentPlan.scala``: apps are scaled in layers by the length of their
  longest dependency chain).

:func:`outline` prints a group as the exercises show it to be read: each group and app on a
line of its own, indented by depth, with its dependencies.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from clustersim.exercises.app_fields import check_app_fields
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.marathon import RootGroup, deployment_plan
from clustersim.scenarios.apptrees import iter_apps

__all__ = ["BLOG", "CYCLIC_STORE", "INTENDED_STORE_STEPS", "check_acyclic_group",
           "check_plan_prediction", "outline", "scale_steps"]


def _app(app_id: str, instances: int, cpus: float, mem: int, image: str,
         dependencies: Sequence[str] = ()) -> dict[str, Any]:
    app: dict[str, Any] = {"id": app_id, "instances": instances, "cpus": cpus, "mem": mem,
                           "container": {"type": "DOCKER", "docker": {"image": image}}}
    if dependencies:
        app["dependencies"] = list(dependencies)
    return app


def outline(group: Mapping[str, Any], depth: int = 0) -> str:
    """``group`` (Marathon group JSON) as indented lines: the group with its dependencies,
    each app with its instances and dependencies, then each subgroup one level deeper. An
    app that leaves ``instances`` out runs one, Marathon's default (``DefaultInstances`` in
    d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/state/AppDefinition.scala``;
    the loader reads it so, :mod:`clustersim.manifests.marathon`)."""
    pad = "  " * depth
    lines = [f"{pad}group {group['id']}  depends on {group.get('dependencies', [])}"]
    lines += [f"{pad}  app {app['id']} × {app.get('instances', 1)}  depends on "
              f"{app.get('dependencies', [])}" for app in group.get("apps", [])]
    lines += [outline(child, depth + 1) for child in group.get("groups", [])]
    return "\n".join(lines)


# The broken group of exercise 1: someone made the database group depend on the web group.
CYCLIC_STORE: dict[str, Any] = {
    "id": "/store",
    "groups": [
        {"id": "/store/db", "dependencies": ["/store/web"],
         "apps": [_app("/store/db/postgres", 1, 1, 1024, "postgres:16")]},
        {"id": "/store/cache", "apps": [_app("/store/cache/redis", 1, 0.25, 256, "redis:7")]},
        {"id": "/store/web", "dependencies": ["/store/db", "/store/cache"],
         "apps": [_app("/store/web/api", 2, 0.5, 256, "ghcr.io/clustersim-course/shop-api:1.0"),
                  _app("/store/web/frontend", 2, 0.25, 128,
                       "ghcr.io/clustersim-course/shop-frontend:1.0",
                       ["/store/web/api"])]},
    ],
}

# The group of exercise 2.
BLOG: dict[str, Any] = {
    "id": "/blog",
    "apps": [_app("/blog/metrics", 1, 0.1, 128, "prom/statsd-exporter:v0.26")],
    "groups": [
        {"id": "/blog/data",
         "apps": [_app("/blog/data/mysql", 1, 1, 1024, "mysql:8.4"),
                  _app("/blog/data/search", 1, 1, 2048, "opensearchproject/opensearch:2")]},
        {"id": "/blog/app", "dependencies": ["/blog/data"],
         "apps": [_app("/blog/app/wordpress", 3, 0.5, 512, "wordpress:6"),
                  _app("/blog/app/worker", 1, 0.25, 256, "wordpress:6",
                       ["/blog/app/wordpress"])]},
    ],
}


def scale_steps(group: Any) -> list[list[str]]:
    """The app ids of each ScaleApplication step of the plan that deploys ``group`` from
    nothing (the first step, StartApplication with 0 instances, left out)."""
    return [sorted(a["app"] for a in step if a["action"] == "ScaleApplication")
            for step in deployment_plan(None, group)
            if any(a["action"] == "ScaleApplication" for a in step)]


def _layer(steps: list[list[str]], app: str) -> int:
    return next(i for i, step in enumerate(steps) if app in step)


# The order the /store group's authors meant: the database and the cache, then the api, then
# the frontend (the plan of exercise 1's solution).
INTENDED_STORE_STEPS = [["/store/cache/redis", "/store/db/postgres"], ["/store/web/api"],
                        ["/store/web/frontend"]]


def _plan_words(steps: list[list[str]]) -> str:
    """A plan in words, apps by their last name: "postgres and redis, then api"."""
    return ", then ".join(" and ".join(app.rsplit("/", 1)[-1] for app in step)
                          for step in steps)


def _plan_difference(steps: list[list[str]]) -> str:
    """How ``steps`` differ from :data:`INTENDED_STORE_STEPS`, app by app in intended order."""
    moved = [f"{app.rsplit('/', 1)[-1]} in step {_layer(steps, app) + 1}, not {layer + 1}"
             for layer, step in enumerate(INTENDED_STORE_STEPS) for app in step
             if _layer(steps, app) != layer]
    return "; ".join(moved)


@checker("Right.")
def check_acyclic_group(group: object) -> Feedback:
    """``group``: the fixed /store group (a dict of Marathon group JSON)."""
    if not isinstance(group, Mapping):
        raise Wrong("The answer must be the group as a dict.", "Edit the starter's dict.")
    wanted = {a["id"]: a["instances"] for a in iter_apps(CYCLIC_STORE)}
    try:
        apps = list(iter_apps(group))
        found = {a.get("id"): a.get("instances") for a in apps}
    except (TypeError, AttributeError):   # apps or groups that are not lists of dicts
        apps, found = [], {}
    for app in apps:    # a key Marathon ignores: "dependencie", "instaces"
        app_id = app.get("id")
        check_app_fields(app, f"the app {app_id}" if isinstance(app_id, str) and app_id
                         else "an app with no id")
    if found != wanted:
        raise Wrong("The group must keep its four apps with their ids and instances: "
                    + ", ".join(f"{k} × {v}" for k, v in wanted.items()) + ".",
                    "Change only the 'dependencies' lists.")
    try:
        root = RootGroup.from_definitions(copy.deepcopy(dict(group)))
        cycle = root.find_cycle()
        steps = [] if cycle else scale_steps(copy.deepcopy(dict(group)))
    except ValueError as err:  # a group id or the shape changed, not the cycle
        raise Wrong(f"Marathon refuses the group: {err}",
                    "Keep the starter's ids, groups and lists as they are: change only the "
                    "'dependencies' lists.") from None
    if cycle:
        raise Wrong("Marathon refuses the group: Dependency graph has cyclic dependencies: "
                    + " -> ".join(cycle) + ".",
                    "Follow the cycle in the message: which of its arrows is backwards? A "
                    "database does not depend on the clients that use it.")
    unresolved = root.unresolved_dependencies()
    if unresolved:
        owner, dependency = unresolved[0]
        raise Wrong(f"{owner} depends on {dependency}, which names no app or group in this tree. "
                    "Marathon accepts that but ignores the dependency: nothing waits for it.",
                    "Marathon does not check that a dependency exists. Depend only on ids "
                    "the group holds, and remove the dependency that closes the cycle rather "
                    "than point it elsewhere.")
    on_apps = root.group_dependencies_on_run_specs()
    if on_apps:
        owner, run_spec = on_apps[0]
        raise Wrong(f"The group {owner} depends on {run_spec}, an app. Marathon accepts that "
                    "but follows a group's dependencies only to groups: nothing under "
                    f"{owner} waits for {run_spec}.",
                    "Let a group depend on the group that holds the app, or give the dependency "
                    "to an app of its own (an app's dependencies may name apps); and remove "
                    "the dependency that closes the cycle rather than point it elsewhere.")
    if len(steps) == 1:
        raise Wrong("No dependencies are left: Marathon would scale all four apps at once, "
                    "and the api would start before its database.",
                    "Remove only the dependency that closes the cycle.")
    edges = root.dependency_edges()
    api = set(edges["/store/web/api"])
    if not {"/store/db/postgres", "/store/cache/redis"} <= api:
        raise Wrong("The api does not depend on both postgres and redis, so Marathon would not "
                    "wait for "
                    + " and ".join(sorted({"/store/db/postgres", "/store/cache/redis"} - api))
                    + " when both change.",
                    "Keep /store/web's dependencies on /store/db and /store/cache.")
    if "/store/web/api" not in edges["/store/web/frontend"]:
        raise Wrong("The frontend does not depend on the api.",
                    "Keep the frontend's own dependency on /store/web/api.")
    if steps != INTENDED_STORE_STEPS:
        raise Wrong(f"Marathon accepts the group, but its plan scales {_plan_words(steps)} "
                    f"({len(steps)} steps), not {_plan_words(INTENDED_STORE_STEPS)}: "
                    f"{_plan_difference(steps)}.",
                    "The database and the cache depend on nothing, so both start in the first "
                    "step: remove the dependency that closes the cycle rather than point it "
                    "elsewhere.")
    return Feedback(True, "Right: Marathon accepts the group and its plan scales "
                    f"{_plan_words(steps)}.")


@checker("Right: that is the plan Marathon computes.")
def check_plan_prediction(steps: object) -> None:
    """``steps``: the predicted ScaleApplication steps for BLOG, each a list of app ids."""
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not all(
            isinstance(s, Sequence) and not isinstance(s, str) for s in steps):
        raise Wrong("The answer must be a list of steps, each a list of app ids, e.g. "
                    "[['/a'], ['/b', '/c']].", "Keep the starter's list-of-lists shape.")
    empty = [i + 1 for i, step in enumerate(steps) if not step]
    if empty:
        raise Wrong(f"Step {empty[0]} is empty: every step of a deployment plan scales at "
                    "least one app (Marathon never plans a step with nothing in it).",
                    "Remove the empty list [] from your steps.")
    actual = scale_steps(BLOG)
    apps = sorted(a for step in actual for a in step)
    given = [sorted(str(a).strip() for a in step) for step in steps]  # " /blog/metrics"
    flat = sorted(a for step in given for a in step)
    if flat != apps:
        missing = sorted(set(apps) - set(flat))
        extra = sorted(set(flat) - set(apps))
        repeated = sorted(a for a, n in Counter(flat).items() if n > 1)
        problem = "; ".join(part for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"not apps of /blog: {', '.join(extra)}" if extra else "",
            f"named more than once: {', '.join(repeated)}" if repeated else "") if part)
        raise Wrong(f"Every app must appear in exactly one step ({problem}).",
                    "Use absolute ids such as /blog/data/mysql; groups are not scaled, "
                    "only their apps.")
    if given == actual:
        return
    early = [a for a in apps if _layer(given, a) < _layer(actual, a)]
    if early:
        raise Wrong(f"{early[0]} is scaled before everything it depends on is.",
                    "An app comes one step after the longest chain of things it depends on: "
                    "a group's dependencies apply to every app inside it, and an app's own "
                    "dependencies count too.")
    raise Wrong(f"{next(a for a in apps if _layer(given, a) > _layer(actual, a))} waits "
                "longer than it needs to.",
                "Marathon scales an app as soon as its longest dependency chain is done: apps "
                "with no dependencies all go in the first step.")
