"""Marathon's app-tree explorer: dependencies, scaleBy and the deployment plan."""

from __future__ import annotations

import json

import pytest

from clustersim.examples import example_text
from clustersim.scenarios.apptrees import SHOP_EDGES, iter_apps, scale_group, with_dependencies
from clustersim.widgets.apptrees import app_tree_explorer, plan_html

SHOP = json.loads(example_text("marathon"))


@pytest.mark.parametrize(("factor", "expected"), [
    (1, [1, 1, 3, 2]), (2, [2, 2, 6, 4]), (1.5, [2, 2, 5, 3]), (0.5, [1, 1, 2, 1]), (0, [0] * 4),
])
def test_scale_by_rounds_up_like_marathon(factor, expected) -> None:
    """GroupApiService.updateGroup: instances = ceil(instances * scaleBy)."""
    assert [a["instances"] for a in iter_apps(scale_group(SHOP, factor))] == expected


def test_scale_by_a_subgroup_and_leaves_the_input_alone() -> None:
    scaled = scale_group(SHOP, 2, "/shop/web")
    assert [a["instances"] for a in iter_apps(scaled)] == [1, 1, 6, 4]
    assert [a["instances"] for a in iter_apps(SHOP)] == [1, 1, 3, 2]


def test_pods_are_not_scaled() -> None:
    group = {"id": "/g", "pods": [{"id": "/g/p", "scaling": {"kind": "fixed", "instances": 2},
                                   "containers": []}],
             "apps": [{"id": "/g/a", "instances": 1}]}
    scaled = scale_group(group, 3)
    assert scaled["pods"][0]["scaling"]["instances"] == 2 and scaled["apps"][0]["instances"] == 3


@pytest.mark.parametrize("bad", [-1, 101, "2", None, True])
def test_bad_factors_and_groups_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="scaleBy"):
        scale_group(SHOP, bad)
    with pytest.raises(ValueError, match="no group"):
        scale_group(SHOP, 2, "/shop/nothing")


BLOG = {"id": "/blog", "groups": [
    {"id": "data", "apps": [{"id": "db", "cmd": "postgres", "instances": 1}]},
    {"id": "app", "dependencies": ["../data"],
     "apps": [{"id": "web", "cmd": "serve", "instances": 2}]}]}
"""Group JSON with relative ids, valid in Marathon (resolved against the enclosing group)."""


def test_a_group_written_with_a_relative_id_is_found_by_its_absolute_one() -> None:
    """scale_group(BLOG, 2, "/blog/app") had said "no group", the group being written
    ``app``; Marathon canonicalises every id (PathId.canonicalPath) before it looks one up."""
    scaled = scale_group(BLOG, 2, "/blog/app")
    assert [(a["id"], a["instances"]) for a in iter_apps(scaled)] == [
        ("/blog/data/db", 1), ("/blog/app/web", 4)]
    edited = with_dependencies(BLOG, [("/blog/data", "/blog/app")])
    deps = {g["id"]: g.get("dependencies") for g in edited["groups"]}
    assert deps == {"/blog/data": ["/blog/app"], "/blog/app": None}


def test_with_dependencies_replaces_every_edge() -> None:
    edited = with_dependencies(SHOP, [("/shop/db", "/shop/cache")])
    deps = {n["id"]: n.get("dependencies") for g in edited["groups"] for n in [g, *g["apps"]]}
    assert deps["/shop/db"] == ["/shop/cache"]
    assert deps["/shop/web"] is None and deps["/shop/web/frontend"] is None
    with pytest.raises(ValueError, match="/shop/queue"):
        with_dependencies(SHOP, [("/shop/queue", "/shop/db")])


def test_plan_html_escapes_and_lists_steps() -> None:
    html = plan_html([[{"action": "ScaleApplication", "app": "/<b>", "instances": 2}]])
    assert "&lt;b&gt;" in html and "→ 2" in html
    assert "empty" in plan_html([])


def test_explorer_shows_plan_cycle_and_scaling() -> None:
    app = app_tree_explorer()
    boxes = app.widget.children[1].children
    factor, start = app.widget.children[2].children
    chart, plan = app.widget.children[3], app.widget.children[4]
    assert chart.data[0].uid == "apptree-icicle"
    assert plan.value.count("<li>") == 4          # start, db+cache, api, frontend
    cyclic = SHOP_EDGES.index(("/shop/db", "/shop/web"))
    boxes[cyclic].value = True
    assert "cyclic" in plan.value and "Problem" in plan.value
    boxes[cyclic].value = False
    for box in boxes:
        box.value = False
    assert plan.value.count("<li>") == 2          # start, then every app at once
    start.value = True
    factor.value = 2.0
    assert "→ 6" in plan.value and "Start" not in plan.value
    assert "/shop/db/postgres" not in plan.value      # only /shop/web is scaled
    assert "step" in " ".join(chart.data[0].labels)
    assert "Deployment plan" in app.static_html()
