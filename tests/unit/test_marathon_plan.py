"""Deployment plans: cases from d2iq-archive/marathon
src/test/scala/mesosphere/marathon/core/deployment/DeploymentPlanTest.scala (test names quoted)
and the layering of RootGroup.applicationDependencies / runSpecsGroupedByLongestPath."""

import pytest

from clustersim.marathon import RootGroup, deployment_plan


def app(app_id, cmd="sleep", instances=1, **extra):
    return {"id": app_id, "cmd": cmd, "instances": instances, **extra}


def group(group_id, apps=(), groups=(), **extra):
    return {"id": group_id, "apps": list(apps), "groups": list(groups), **extra}


def actions(plan, name):
    return [a for step in plan for a in step if a["action"] == name]


# "partition a simple group's apps into concurrently deployable subsets"
def test_layers_of_a_simple_group():
    root = RootGroup.from_source(group("/test", apps=[
        app("/test/c", dependencies=["/test/database/a"]),
        app("/test/d", dependencies=["/test/service/b"]),
    ], groups=[
        group("/test/database", apps=[app("/test/database/a")]),
        group("/test/service", apps=[app("/test/service/b", dependencies=["/test/database/a"])]),
    ]))
    layers = root.longest_paths()
    assert sorted(set(layers.values())) == [1, 2, 3]
    assert sorted(k for k, v in layers.items() if v == 2) == ["/test/c", "/test/service/b"]


# "partition a complex group's apps into concurrently deployable subsets"
def test_layers_of_a_complex_group():
    root = RootGroup.from_source({"apps": [
        app("/a", dependencies=["/b", "/c"]), app("/b", dependencies=["/c"]),
        app("/c", dependencies=["/d"]), app("/d"), app("/e"),
    ]})
    layers = root.longest_paths()
    assert layers == {"/a": 4, "/b": 3, "/c": 2, "/d": 1, "/e": 1}


# "start from empty group"
def test_start_from_empty_group():
    plan = deployment_plan(group("/group"), group("/group", apps=[app("/group/app", instances=2)]))
    assert plan == [
        [{"action": "StartApplication", "app": "/group/app"}],
        [{"action": "ScaleApplication", "app": "/group/app", "instances": 2}],
    ]


# "start from running group"
def test_start_from_running_group():
    before = group("/group", apps=[app("/group/app", "sleep 10"), app("/group/app2", "cmd2"),
                                   app("/group/app3", "cmd3")])
    after = group("/group", apps=[app("/group/app", "sleep 30"),
                                  app("/group/app2", "cmd2", instances=10),
                                  app("/group/app4", "cmd4")])
    plan = deployment_plan(before, after)
    assert len(actions(plan, "StartApplication")) == 1
    assert len(actions(plan, "RestartApplication")) == 1
    assert len(actions(plan, "ScaleApplication")) == 2
    assert len(actions(plan, "StopApplication")) == 1


# "can compute affected app ids"
def test_unchanged_apps_are_not_affected():
    same = app("/group/unchanged", "unchanged")
    plan = deployment_plan(group("/group", apps=[app("/group/app", "sleep 10"), same]),
                           group("/group", apps=[app("/group/app", "sleep 30"), same]))
    assert {a["app"] for step in plan for a in step} == {"/group/app"}


def dependency_groups(mongo, service, extra_service=(), independent=None):
    groups = [group("/test/database", apps=[mongo]),
              group("/test/service", apps=[service, *extra_service])]
    if independent:
        groups.append(group("/test/independent", apps=[independent]))
    return group("/test", groups=groups)


STRATEGY = {"minimumHealthCapacity": 0.75}


# "when updating a group with dependencies, the correct order is computed"
def test_updates_follow_dependencies():
    mongo = "/test/database/mongo"
    before = dependency_groups(app(mongo, "mng1", 4, upgradeStrategy=STRATEGY),
                               app("/test/service/srv1", "srv1", 4, upgradeStrategy=STRATEGY))
    after = dependency_groups(app(mongo, "mng2", 8, upgradeStrategy=STRATEGY),
                              app("/test/service/srv1", "srv2", 10, upgradeStrategy=STRATEGY,
                                  dependencies=[mongo]))
    assert deployment_plan(before, after) == [
        [{"action": "RestartApplication", "app": mongo}],
        [{"action": "RestartApplication", "app": "/test/service/srv1"}],
    ]


# "when starting apps without dependencies, they are first started and then scaled parallely"
def test_independent_apps_start_then_scale_together():
    apps = [app(f"/test/{i}", "cmd", 10) for i in range(1, 5)]
    plan = deployment_plan(group("/test"), group("/test", apps=apps))
    assert len(plan) == 2
    assert {a["action"] for a in plan[0]} == {"StartApplication"} and len(plan[0]) == 4
    assert plan[1] == [{"action": "ScaleApplication", "app": f"/test/{i}", "instances": 10}
                       for i in range(1, 5)]


# "when updating apps without dependencies, the restarts are executed in the same step"
def test_independent_restarts_share_a_step():
    before = dependency_groups(app("/test/database/mongo", "mng1", 4),
                               app("/test/service/srv1", "srv1", 4))
    after = dependency_groups(app("/test/database/mongo", "mng2", 8),
                              app("/test/service/srv1", "srv2", 10))
    plan = deployment_plan(before, after)
    assert len(plan) == 1 and {a["action"] for a in plan[0]} == {"RestartApplication"}


# "when updating a group with dependent and independent applications, the correct order ..."
def test_dependent_and_independent_applications():
    mongo, srv = "/test/database/mongo", "/test/service/srv1"
    before = dependency_groups(
        app(mongo, "mng1", 4), app(srv, "srv1", 4),
        extra_service=[app("/test/service/to-stop", dependencies=[mongo])],
        independent=app("/test/independent/app", "app1", 1))
    after = dependency_groups(
        app(mongo, "mng2", 8), app(srv, "srv2", 10, dependencies=[mongo]),
        extra_service=[app("/test/service/to-start", instances=2, dependencies=[srv])],
        independent=app("/test/independent/app", "app2", 3))
    assert deployment_plan(before, after) == [
        [{"action": "StopApplication", "app": "/test/service/to-stop"}],
        [{"action": "StartApplication", "app": "/test/service/to-start"}],
        [{"action": "RestartApplication", "app": mongo},
         {"action": "RestartApplication", "app": "/test/independent/app"}],
        [{"action": "RestartApplication", "app": srv}],
        [{"action": "ScaleApplication", "app": "/test/service/to-start", "instances": 2}],
    ]


# "when the only action is to stop an application"
def test_only_stop():
    before = group("/test", groups=[group("/test/independent",
                                          apps=[app("/test/independent/app", "app2", 3)])])
    assert deployment_plan(before, group("/test")) == [
        [{"action": "StopApplication", "app": "/test/independent/app"}]
    ]


# "Should create non-empty deployment plan when only args have changed"
def test_args_change_restarts():
    # (today's validation refuses cmd together with args, so the app uses args alone)
    plan = deployment_plan({"apps": [{"id": "/test", "args": ["sleep", "5"]}]},
                           {"apps": [{"id": "/test", "args": ["sleep", "5", "foo"]}]})
    assert plan == [[{"action": "RestartApplication", "app": "/test"}]]


# "Don't restart apps that have not changed"
def test_unchanged_app_gives_empty_plan():
    assert deployment_plan({"apps": [app("/test", "sleep 5")]},
                           {"apps": [app("/test", "sleep 5")]}) == []


def test_default_fields_do_not_count_as_changes():
    before = {"apps": [{"id": "/test", "cmd": "sleep 5"}]}
    after = {"apps": [{"id": "/test", "cmd": "sleep 5", "instances": 1, "cpus": 1,
                       "mem": 128, "constraints": [], "version": "2024-01-01T00:00:00Z"}]}
    assert deployment_plan(before, after) == []


# "Deployment plan treats app conf update and scale down to 0 instances as scale-only change"
def test_config_change_with_scale_to_zero_is_scale_only():
    mongo = "/test/database/mongo"

    def tree(cmd, instances):
        return group("/test", groups=[group("/test/database", apps=[app(mongo, cmd, instances)])])

    plan = deployment_plan(tree("mng1", 4), tree("mng2", 0))
    assert plan == [[{"action": "ScaleApplication", "app": mongo, "instances": 0}]]


def test_group_dependencies_order_every_app_of_the_group():
    target = {"id": "/department-1", "groups": [
        group("/department-1/database", apps=[app("/department-1/database/db")]),
        group("/department-1/service", apps=[app("/department-1/service/a"),
                                             app("/department-1/service/b")],
              dependencies=["/department-1/database"]),
    ]}
    plan = deployment_plan(None, target)
    assert [a["app"] for a in plan[1]] == ["/department-1/database/db"]
    assert [a["app"] for a in plan[2]] == ["/department-1/service/a", "/department-1/service/b"]


def test_relative_dependencies_are_resolved_against_the_group():
    target = group("/shop", apps=[app("web", dependencies=["db"]), app("db")])
    assert [a["app"] for a in deployment_plan(None, target)[2]] == ["/shop/web"]


def test_dependencies_on_unknown_ids_are_ignored():
    plan = deployment_plan(None, {"apps": [app("/a", dependencies=["/nowhere"])]})
    assert plan[-1] == [{"action": "ScaleApplication", "app": "/a", "instances": 1}]


def test_cycles_are_rejected_naming_the_cycle():
    target = {"apps": [app("/a", dependencies=["/b"]), app("/b", dependencies=["/c"]),
                       app("/c", dependencies=["/a"])]}
    with pytest.raises(ValueError, match="cyclic dependencies: /a -> /b -> /c -> /a"):
        deployment_plan(None, target)


def test_an_app_depending_on_its_own_group_is_a_cycle():
    with pytest.raises(ValueError, match="/g/a -> /g/a"):
        deployment_plan(None, group("/g", apps=[app("/g/a", dependencies=["/g"])]))


def test_pods_are_planned_like_apps():
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}],
           "scaling": {"kind": "fixed", "instances": 3}}
    assert deployment_plan(None, {"pods": [pod]})[-1] == [
        {"action": "ScaleApplication", "app": "/p", "instances": 3, "kind": "pod"}
    ]


def test_order_of_set_fields_is_not_a_change():
    before = {"apps": [app("/a", constraints=[["rack", "GROUP_BY"], ["hostname", "UNIQUE"]],
                           dependencies=["/b", "/c"]), app("/b"), app("/c")]}
    after = {"apps": [app("/a", constraints=[["hostname", "UNIQUE"], ["rack", "GROUP_BY"]],
                          dependencies=["/c", "/b"]), app("/b"), app("/c")]}
    assert deployment_plan(before, after) == []


def test_sketches_without_commands_can_be_planned():
    plan = deployment_plan({}, {"id": "/", "groups": [{"id": "shop", "apps": [
        {"id": "web", "instances": 2, "dependencies": ["../shop/db"]}, {"id": "db"}]}]})
    assert plan[-2:] == [[{"action": "ScaleApplication", "app": "/shop/db", "instances": 1}],
                         [{"action": "ScaleApplication", "app": "/shop/web", "instances": 2}]]


def test_children_must_land_inside_their_group():
    with pytest.raises(ValueError, match="Identifier is not child of /shop"):
        deployment_plan(None, {"id": "/shop", "apps": [{"id": "/elsewhere/web"}]})


def test_files_and_text_are_validated_like_deploy():
    with pytest.raises(ValueError, match="cmd"):
        deployment_plan(None, '{"id": "/a", "cmd": "x", "args": ["y"]}')
