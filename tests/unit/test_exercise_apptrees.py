"""Checks of the app-tree exercises: typical wrong answers get the intended hints."""

from __future__ import annotations

import copy
import time

import pytest

from clustersim.exercises.apptrees import (
    BLOG,
    CYCLIC_STORE,
    check_acyclic_group,
    check_plan_prediction,
    scale_steps,
)
from clustersim.marathon import RootGroup


def _store(**changes):
    """CYCLIC_STORE with dependencies replaced: key 'db', 'cache', 'web' (groups) or
    'frontend' (the app) → new list (None removes it)."""
    group = copy.deepcopy(CYCLIC_STORE)
    nodes = {"db": group["groups"][0], "cache": group["groups"][1], "web": group["groups"][2],
             "frontend": group["groups"][2]["apps"][1]}
    for key, deps in changes.items():
        nodes[key].pop("dependencies", None)
        if deps is not None:
            nodes[key]["dependencies"] = deps
    return group


def test_removing_the_backwards_edge_passes() -> None:
    assert check_acyclic_group(_store(db=None))


@pytest.mark.parametrize(("group", "words"), [
    (CYCLIC_STORE, "cyclic"),
    (_store(db=None, web=None, frontend=None), "No dependencies"),
    (_store(db=None, web=["/store/db"]), "/store/cache/redis"),   # cache dropped too
    (_store(web=["/store/cache"]), "/store/db/postgres"),    # broke the cycle the wrong way
    (_store(db=None, frontend=None), "frontend does not depend"),
])
def test_wrong_fixes_get_their_hint(group, words) -> None:
    feedback = check_acyclic_group(group)
    assert not feedback and feedback.hint and words in feedback.message


def test_removing_an_app_or_changing_instances_is_refused() -> None:
    fewer = _store(db=None)
    fewer["groups"][1]["apps"] = []
    changed = _store(db=None)
    changed["groups"][2]["apps"][0]["instances"] = 5
    for group in (fewer, changed, "not a group", None):
        feedback = check_acyclic_group(group)
        assert not feedback and feedback.hint


def test_the_plan_matches_marathons_layering() -> None:
    """DeploymentPlan.scala: apps grouped by the length of their longest dependency path."""
    assert scale_steps(BLOG) == [["/blog/data/mysql", "/blog/data/search", "/blog/metrics"],
                                 ["/blog/app/wordpress"], ["/blog/app/worker"]]
    assert check_plan_prediction(scale_steps(BLOG))
    assert check_plan_prediction([list(reversed(s)) for s in scale_steps(BLOG)])
    assert check_plan_prediction([tuple(f" {app} " for app in s) for s in scale_steps(BLOG)])


@pytest.mark.parametrize(("steps", "words"), [
    ([["/blog/data/mysql", "/blog/data/search", "/blog/metrics"],
      ["/blog/app/wordpress", "/blog/app/worker"]], "/blog/app/worker is scaled before"),
    ([["/blog/data/mysql", "/blog/data/search", "/blog/metrics", "/blog/app/wordpress"],
      ["/blog/app/worker"]], "/blog/app/wordpress is scaled before"),
    ([["/blog/data/mysql", "/blog/data/search"], ["/blog/metrics", "/blog/app/wordpress"],
      ["/blog/app/worker"]], "/blog/metrics waits"),
    ([["/blog/data"], ["/blog/app"]], "not apps of /blog"),
    ([["/blog/data/mysql"]], "missing"),
    ([["/blog/data/mysql", "/blog/data/mysql"]], "more than once"),
    ("mysql, then wordpress", "list of steps"),
    ([1, 2], "list of steps"),
])
def test_wrong_plans_get_their_hint(steps, words) -> None:
    feedback = check_plan_prediction(steps)
    assert not feedback and feedback.hint and words in feedback.message


@pytest.mark.parametrize("where", [0, 1, None])
def test_an_empty_step_is_rejected_explicitly(where) -> None:
    steps = [list(s) for s in scale_steps(BLOG)]
    steps.insert(len(steps) if where is None else where, [])
    feedback = check_plan_prediction(steps)
    assert not feedback and "is empty" in feedback.message and "[]" in feedback.hint


def test_a_changed_group_id_or_shape_is_not_called_a_cycle() -> None:
    """Without the group's id, Marathon's 'Identifier is not child of /' came with the hint
    'Follow the cycle in the message', and groups: None answered 'could not read your
    answer'; a tuple of groups (the same group) was refused."""
    no_id = _store(db=None)
    del no_id["id"]
    feedback = check_acyclic_group(no_id)
    assert not feedback and "cycle" not in feedback.hint and "ids" in feedback.hint
    no_groups = _store(db=None)
    no_groups["groups"] = None
    feedback = check_acyclic_group(no_groups)
    assert not feedback and "four apps" in feedback.message
    as_tuple = _store(db=None)
    as_tuple["groups"] = tuple(as_tuple["groups"])
    assert check_acyclic_group(as_tuple)


def test_dependencies_as_one_string_are_refused_as_such() -> None:
    """dependencies: "/store/db" (a string, not a list) was read letter by letter and came
    back as the cycle '/store/web/api -> /store/web/api' with the database hint."""
    group = _store(db=None)
    group["groups"][2]["dependencies"] = "/store/db"
    feedback = check_acyclic_group(group)
    assert not feedback and "not a list of app or group ids" in feedback.message
    assert "cycle" not in feedback.hint


def test_a_fix_that_serialises_the_database_behind_the_cache_is_refused_with_its_plan() -> None:
    """db → cache (instead of db → web) breaks the cycle, but Marathon then scales redis,
    then postgres, then api, then frontend; the check called it the intended order."""
    group = _store(db=["/store/cache"])
    feedback = check_acyclic_group(group)
    assert not feedback and feedback.hint
    assert f"({len(scale_steps(group))} steps)" in feedback.message
    assert "redis, then postgres, then api, then frontend" in feedback.message
    assert "postgres in step 2, not 1" in feedback.message


@pytest.mark.parametrize("dependency", ["/store/nonexistent", "../nowhere", "/store/db/mysql"])
def test_a_dependency_on_nothing_is_named_not_praised(dependency) -> None:
    """Marathon accepts a dependency on an id that names nothing and ignores it
    (RootGroup.applicationDependencies), so the plan looks right; it is not the fix."""
    group = _store(db=[dependency])
    feedback = check_acyclic_group(group)
    assert not feedback and "does not check that a dependency exists" in feedback.hint
    assert feedback.message.startswith("/store/db depends on /store/")


def test_the_praise_describes_the_plan_marathon_computes() -> None:
    group = _store(db=[])
    feedback = check_acyclic_group(group)
    assert feedback
    steps = scale_steps(group)
    words = ", then ".join(" and ".join(a.rsplit("/", 1)[-1] for a in s) for s in steps)
    assert feedback.message.endswith(f"its plan scales {words}.")


def test_unresolved_dependencies_are_listed_and_ignored_by_the_plan() -> None:
    root = RootGroup.from_definitions(_store(db=["/store/nonexistent"]))
    assert root.unresolved_dependencies() == [("/store/db", "/store/nonexistent")]
    assert root.dependency_edges()["/store/db/postgres"] == []
    assert RootGroup.from_definitions(_store(db=None)).unresolved_dependencies() == []


def test_a_pasted_flood_of_ids_is_answered_at_once() -> None:
    """Repeated ids are counted once each (a Counter), not by a count over the whole list per
    id: 60,000 copies of one id had taken some 15 s, a million minutes."""
    started = time.perf_counter()
    feedback = check_plan_prediction([["/blog/metrics"] * 60_000])
    assert time.perf_counter() - started < 3
    assert "named more than once: /blog/metrics" in feedback.message


@pytest.mark.parametrize(("group", "owner", "app"), [
    # the group pointed at its own database: a dependency Marathon ignores, passed as right
    (_store(db=["/store/db/postgres"]), "/store/db", "/store/db/postgres"),
    # the web group pointed at the two apps: ignored, and told only "keep the dependencies"
    (_store(db=None, web=["/store/db/postgres", "/store/cache/redis"]), "/store/web",
     "/store/db/postgres"),
])
def test_a_group_s_dependency_on_an_app_is_named_as_one_marathon_ignores(group, owner,
                                                                          app) -> None:
    """RootGroup.applicationDependencies (d2iq-archive/marathon) follows a group's
    dependencies to groups only: a group that depends on an app makes nothing wait."""
    root = RootGroup.from_definitions(copy.deepcopy(group))
    assert (owner, app) in root.group_dependencies_on_run_specs()
    edges = root.dependency_edges()
    assert all(app not in edges[spec] for spec in root.transitive_run_specs(owner))
    feedback = check_acyclic_group(group)
    assert not feedback and f"{owner} depends on {app}, an app" in feedback.message
    assert "only to groups" in feedback.message


def test_an_app_s_own_dependency_on_an_app_is_no_group_s() -> None:
    root = RootGroup.from_definitions(_store(db=None))
    assert root.group_dependencies_on_run_specs() == []
    assert "/store/web/api" in root.dependency_edges()["/store/web/frontend"]


def test_outline_prints_each_group_and_app_indented_by_depth() -> None:
    """The exercise printed its groups with a recursive helper defined in its import cell."""
    from clustersim.exercises.apptrees import outline
    group = {"id": "/a", "apps": [{"id": "/a/x", "instances": 2}],
             "groups": [{"id": "/a/b", "dependencies": ["/a/c"],
                         "apps": [{"id": "/a/b/y", "instances": 1, "dependencies": ["/a/x"]}]},
                        {"id": "/a/c"}]}
    assert outline(group).splitlines() == [
        "group /a  depends on []",
        "  app /a/x × 2  depends on []",
        "  group /a/b  depends on ['/a/c']",
        "    app /a/b/y × 1  depends on ['/a/x']",
        "  group /a/c  depends on []",
    ]


def test_outline_prints_an_app_without_instances_as_marathon_runs_it() -> None:
    """A learner's group printed with outline raised KeyError 'instances' for an app that
    leaves the field out; Marathon runs one instance of it, as the loader reads it."""
    from clustersim.exercises.apptrees import outline
    from clustersim.manifests import load_manifests
    app = {"id": "/a/x", "cmd": "sleep 1000"}
    ran = load_manifests({"id": "/a", "apps": [app]}, name="group")
    shown = f"app /a/x × {ran[0].workloads()[0].replicas}  depends on []"
    assert shown in outline({"id": "/a", "apps": [app]})
