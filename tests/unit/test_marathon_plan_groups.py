"""deployment_plan takes group JSON: the empty root group and empty groups are groups.

Regression tests: ``{"id": "/"}`` (the root group, where upstream's DeploymentPlanTest starts
from ``createRootGroup()``) was refused as an app without an id, and an empty group such as
``{"id": "/shop"}`` was read as an app and "stopped".
"""

from __future__ import annotations

from clustersim import marathon

TARGET = {"id": "/shop", "groups": [
    {"id": "db", "apps": [{"id": "pg", "cmd": "postgres", "instances": 1}]},
    {"id": "web", "dependencies": ["/shop/db"],
     "apps": [{"id": "api", "cmd": "serve", "instances": 3}]},
]}
EXPECTED = [
    [{"action": "StartApplication", "app": "/shop/db/pg"},
     {"action": "StartApplication", "app": "/shop/web/api"}],
    [{"action": "ScaleApplication", "app": "/shop/db/pg", "instances": 1}],
    [{"action": "ScaleApplication", "app": "/shop/web/api", "instances": 3}],
]


def test_from_the_empty_root_group() -> None:
    assert marathon.deployment_plan({"id": "/"}, TARGET) == EXPECTED
    assert marathon.deployment_plan({"id": "/", "groups": [], "apps": []}, TARGET) == EXPECTED


def test_an_empty_group_is_a_group_not_an_app() -> None:
    assert marathon.deployment_plan({"id": "/shop"}, TARGET) == EXPECTED
    assert marathon.deployment_plan({"id": "/shop", "dependencies": []}, TARGET) == EXPECTED


def test_removing_everything_leaves_the_root() -> None:
    assert marathon.deployment_plan(TARGET, {"id": "/"}) == [
        [{"action": "StopApplication", "app": "/shop/db/pg"},
         {"action": "StopApplication", "app": "/shop/web/api"}],
    ]
