"""The system-neutral views: what they draw from snapshots and events, and their limits."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from clustersim.sim import ConditionChange, EventLog, NodeState, Snapshot, TaskState
from clustersim.viz.cluster import PENDING, cluster_animation, cluster_map
from clustersim.viz.renderer import figure_html
from clustersim.viz.serving import ready_counts, serving_over_time
from clustersim.viz.timeline import event_timeline

GI = 2**30


def snapshot(time: float, placed: int, ready: int) -> Snapshot:
    nodes = tuple(NodeState(f"n{i}", 4, 16 * GI, 0, 0) for i in range(3))
    tasks = tuple(
        TaskState(f"web-{k}", "web" if k % 2 else "db", f"n{k % 3}" if k < placed else None,
                  "Running" if k < placed else "Pending", 0.5, GI // 4, k < ready)
        for k in range(6)
    )
    return Snapshot("kubernetes", time, nodes, tasks)


def bars(fig: go.Figure) -> dict[str, dict[str, float]]:
    return {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data if isinstance(t, go.Bar)}


def test_cluster_map_stacks_each_application_per_node_and_pending() -> None:
    fig = cluster_map(snapshot(0, placed=4, ready=0))
    got = bars(fig)
    # db: tasks 0, 2, 4 → n0, n2, pending; web: 1, 3, 5 → n1, n0, pending
    assert got["db"] == {"n0": 0.5, "n1": 0, "n2": 0.5, PENDING: 0.5}
    assert got["web"] == {"n0": 0.5, "n1": 0.5, "n2": 0, PENDING: 0.5}
    capacity = next(t for t in fig.data if t.name == "capacity")
    assert list(capacity.y) == [4, 4, 4, None]


def test_cluster_map_in_memory_uses_gib_and_rejects_unknown_resources() -> None:
    got = bars(cluster_map(snapshot(0, placed=6, ready=0), resource="memory"))
    assert got["db"]["n0"] == 0.25
    with pytest.raises(ValueError, match="cpu' or 'memory"):
        cluster_map(snapshot(0, 1, 0), resource="gpu")


def test_hover_text_escapes_names() -> None:
    snap = Snapshot("swarm", 0, (NodeState("<b>n</b>", 1, GI, 0, 0),),
                    (TaskState("<script>x</script>", "<img src=x>", "<b>n</b>", "RUNNING"),))
    hover = " ".join(" ".join(t.hovertext) for t in cluster_map(snap).data)
    assert "<script>" not in hover and "<img" not in hover and "&lt;script&gt;" in hover


def test_animation_has_a_frame_per_snapshot_and_a_fixed_axis() -> None:
    snaps = [snapshot(t * 10, placed=2 + t, ready=t) for t in range(4)]
    fig = cluster_animation(snaps)
    assert [f.name for f in fig.frames] == ["0", "10", "20", "30"]
    assert [s["label"] for s in fig.layout.sliders[0].steps] == ["0", "10", "20", "30"]
    assert fig.layout.yaxis.range[1] >= 4  # covers the capacity in every frame
    with pytest.raises(ValueError):
        cluster_animation([])


def test_animation_does_not_autoplay_in_the_page() -> None:
    html = figure_html(cluster_animation([snapshot(0, 2, 0), snapshot(10, 4, 2)]))
    assert "Plotly.animate" not in html and "Plotly.addFrames" in html


def test_figure_html_ids_are_deterministic_per_content() -> None:
    fig = cluster_map(snapshot(0, 3, 1))
    first, second = figure_html(fig), figure_html(fig)
    digest = lambda h: h.split('id="fig-')[1].split('"')[0].split("-", 1)[1]  # noqa: E731
    assert digest(first) == digest(second)
    assert digest(first) != digest(figure_html(cluster_map(snapshot(0, 4, 1))))
    assert "<script src" not in first  # plotly.js comes once per site, not per figure


def test_event_timeline_rows_per_reason_and_warnings_apart() -> None:
    log = EventLog("kubernetes")
    log.record(1, "pod/web-0", "Scheduled", "Successfully assigned default/web-0 to n0")
    log.record(2, "pod/web-1", "FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu.",
               type="Warning")
    fig = event_timeline(log)
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Normal"].y) == ["Scheduled"]
    assert list(by_name["Warning"].y) == ["FailedScheduling"]
    with pytest.raises(ValueError, match="no events"):
        event_timeline([])


def test_event_timeline_rows_follow_first_occurrence_and_axis_fits_the_window() -> None:
    log = EventLog("kubernetes")
    for time, reason in ((1, "Scheduled"), (2, "Pulling"), (7, "Started"), (3, "Pulled"),
                         (95, "Killing")):
        log.record(time, "pod/web-0", reason, reason.lower())
    fig = event_timeline(log, time_range=(0, 90))
    top_to_bottom = list(reversed(fig.layout.yaxis.categoryarray))
    assert top_to_bottom == ["Scheduled", "Pulling", "Pulled", "Started"]  # 95 s: outside
    low, high = fig.layout.xaxis.range
    # from the window's start to the last event shown, not squashed into 7 s of a 90 s axis
    assert low < 0 < 7 < high < 9


def test_event_timeline_hover_names_the_container_as_kubectl_describe_does() -> None:
    """A kubelet event's message names no container since v1.35 ("Container created"): the
    hover puts its field path first, as kubectl describe prints it."""
    log = EventLog("kubernetes")
    log.record(1, "pod/web-0", "Scheduled", "Successfully assigned default/web-0 to n0")
    log.record(7, "pod/web-0", "Created", "Container created", field_path="spec.containers{web}")
    hover = list(event_timeline(log).data[0].hovertext)
    assert hover[0].endswith("<br>spec.containers{web}: Container created")
    assert hover[1].endswith("<br>Successfully assigned default/web-0 to n0")


def test_event_timeline_thins_long_series_and_says_so() -> None:
    log = EventLog("swarm")
    for i in range(1000):
        log.record(i, f"task/{i}", "Started", "started")
    trace = event_timeline(log, max_per_reason=100).data[0]
    assert len(trace.x) == 100
    assert "1 of every 10 shown" in trace.hovertext[0]


def test_serving_over_time_counts_ready_tasks() -> None:
    snaps = [snapshot(t, placed=6, ready=t) for t in range(4)]
    assert ready_counts(snaps, "web") == [0, 0, 1, 1]
    fig = serving_over_time({"update": (snaps, "db")}, target=2)
    assert list(fig.data[0].y) == ready_counts(snaps, "db") == [0, 1, 1, 2]
    with pytest.raises(ValueError):
        serving_over_time({})


def test_group_tree_colours_apps_by_their_plan_step() -> None:
    from clustersim.viz.groups import group_tree, plan_steps_by_app

    group = {"id": "/shop", "groups": [
        {"id": "/shop/db", "apps": [{"id": "/shop/db/pg", "instances": 1}]},
        {"id": "/shop/web", "apps": [{"id": "/shop/web/api", "instances": 3,
                                      "dependencies": ["/shop/db"]}]},
    ]}
    plan = [
        [{"action": "StartApplication", "app": "/shop/db/pg"},
         {"action": "StartApplication", "app": "/shop/web/api"}],
        [{"action": "ScaleApplication", "app": "/shop/db/pg", "instances": 1}],
        [{"action": "ScaleApplication", "app": "/shop/web/api", "instances": 3}],
    ]
    assert plan_steps_by_app(plan) == {"/shop/db/pg": (2, "ScaleApplication"),
                                       "/shop/web/api": (3, "ScaleApplication")}
    icicle = group_tree(group, plan).data[0]
    assert list(icicle.parents) == ["", "/shop", "/shop/db", "/shop", "/shop/web"]
    labels = dict(zip(icicle.ids, icicle.labels, strict=True))
    # the step on a line of its own, so that a narrow leaf keeps a readable size
    assert labels["/shop/db/pg"] == "pg<br>step 2" and labels["/shop/web/api"] == "api<br>step 3"
    colors = dict(zip(icicle.ids, icicle.marker.colors, strict=True))
    assert colors["/shop/db/pg"] != colors["/shop/web/api"]


def test_group_tree_reads_a_path_or_text_and_relative_ids() -> None:
    """group_tree had failed with a bare AttributeError on a path or a text (every Marathon
    file of the corpus), and drawn relative ids as written, so that no app of a plan (whose
    ids are absolute) got its step's colour."""
    from clustersim.examples import example_path, example_text
    from clustersim.marathon import deployment_plan
    from clustersim.viz.groups import group_tree

    from_path = group_tree(example_path("marathon")).data[0]
    from_text = group_tree(example_text("marathon")).data[0]
    assert list(from_path.ids) == list(from_text.ids)
    assert from_path.ids[0] == "/shop" and "/shop/web/api" in from_path.ids
    blog = {"id": "/blog", "groups": [
        {"id": "data", "apps": [{"id": "db", "cmd": "postgres", "instances": 1}]},
        {"id": "web", "dependencies": ["/blog/data"],
         "apps": [{"id": "app", "cmd": "serve", "instances": 2}]}]}
    icicle = group_tree(blog, deployment_plan(None, blog)).data[0]
    assert list(icicle.ids) == ["/blog", "/blog/data", "/blog/data/db", "/blog/web",
                                "/blog/web/app"]
    labels = dict(zip(icicle.ids, icicle.labels, strict=True))
    assert labels["/blog/data/db"] == "db<br>step 2"
    assert labels["/blog/web/app"] == "app<br>step 3"


def test_group_tree_of_one_app_file_shows_the_root_group() -> None:
    from clustersim.viz.groups import group_tree

    icicle = group_tree('{"id": "/tools/cron", "cmd": "sleep 1"}').data[0]
    assert list(icicle.ids) == ["/tools", "/tools/cron"]


def test_offer_flow_rows_per_framework_and_outcome() -> None:
    from clustersim.viz.offers import offer_flow

    def offer(i: int, framework: str, outcome: str) -> dict:
        return {"offer_id": f"o-{i}", "time": i, "framework": framework, "hostname": "a1",
                "cpus": 4.0, "mem": 8192.0, "outcome": outcome, "tasks": ["t"] if
                outcome == "accepted" else [], "used_cpus": 1.0, "used_mem": 512.0}

    fig = offer_flow([offer(0, "spark", "accepted"), offer(1, "etl", "declined"),
                      offer(2, "spark", "declined")])
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["accepted"].y) == ["spark"]
    assert list(by_name["declined"].y) == ["etl", "spark"]
    assert "used 1 cpus" in by_name["accepted"].hovertext[0]
    assert fig.data[-1].name == "accepted"  # drawn last, on top of the declines
    with pytest.raises(ValueError, match="no offers"):
        offer_flow([])


def test_selector_view_highlights_what_each_selector_picks() -> None:
    from clustersim.viz.selectors import describe_selector, selector_view

    pods = [
        {"metadata": {"name": "web-1", "labels": {"app": "web", "tier": "front"}}},
        {"metadata": {"name": "web-2", "labels": {"app": "web", "tier": "edge"}}},
        {"metadata": {"name": "db-0", "labels": {"app": "db"}}},
    ]
    selectors = {
        "Service web": {"app": "web"},
        "ReplicaSet front": {"matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["front"]}]},
        "nothing": None,
    }
    fig = selector_view(pods, selectors)
    menu = fig.layout.updatemenus[0].buttons
    fills = [b.args[0]["cells.fill.color"][0][0] for b in menu]
    rows = list(fig.data[0].cells.values[0])  # sorted by name: db-0, web-1, web-2
    assert rows == ["db-0", "web-1", "web-2"]
    picked = [[row for row, colour in zip(rows, f, strict=True) if colour != "#ffffff"]
              for f in fills]
    assert picked == [["web-1", "web-2"], ["web-1"], []]
    assert "picks 2 of 3 pods" in menu[0].args[1]["title.text"]
    assert describe_selector(selectors["ReplicaSet front"]) == "tier in (front)"
    assert describe_selector({}) == "<empty: selects everything>"


def test_selector_view_breaks_long_labels_into_lines_a_phone_cell_holds() -> None:
    from clustersim.viz.selectors import selector_view

    labels = {"app": "web", "statefulset.kubernetes.io/pod-name": "web-0",
              "controller-revision-hash": "web-6c8f9d7b5",
              "example.com/a-label-name-this-long": "and-its-value"}
    fig = selector_view([{"metadata": {"name": "web-0", "labels": labels}}], {"all": {}})
    lines = fig.data[0].cells.values[1][0].split("<br>")
    assert lines == ["app=web", "controller-revision-hash=", "web-6c8f9d7b5", "example.com/",
                     "a-label-name-this-long=", "and-its-value", "statefulset.kubernetes.io/",
                     "pod-name=web-0"]
    assert max(map(len, lines)) <= 28


def test_selector_view_keeps_the_pod_names_apart_and_ends_with_its_table() -> None:
    """Two pods of one ReplicaSet differ in their last five letters: in a fixed 2:3 pod column
    a phone cut both at "frontend-58b976bcd4-". A long name breaks before its suffix, each
    column is as wide as its longest line, and the figure is as tall as its rows (a guess
    of 30 px a row and 18 a line left 130-200 px empty below the table)."""
    from clustersim.viz.selectors import selector_view

    pods = [{"metadata": {"name": f"frontend-58b976bcd4-{s}",
                          "labels": {"app": "shop", "pod-template-hash": "58b976bcd4"}}}
            for s in ("gx7k2", "lq9vz")]
    fig = selector_view(pods, {"all": {}})
    table = fig.data[0]
    assert list(table.cells.values[0]) == ["frontend-58b976bcd4-<br>gx7k2",
                                           "frontend-58b976bcd4-<br>lq9vz"]
    assert list(table.columnwidth) == [len("frontend-58b976bcd4-"),
                                       len("pod-template-hash=58b976bcd4")]
    # margins 110 and 10, a header of one line (16.9 + 16 px), two rows of two lines
    assert fig.layout.height == 110 + 33 + 2 * 50 + 10


def test_event_timeline_draws_condition_changes_on_their_reasons_rows() -> None:
    """A Deployment's stalled rollout is a condition, not an Event: the timeline shows it as
    a diamond on the row of its reason, in time order with the events, its type and status
    on hover."""
    log = EventLog("kubernetes")
    log.record(30, "deployment/web", "ScalingReplicaSet", "Scaled up replica set web-2 to 2")
    log.record(150, "deployment/web", "ScalingReplicaSet", "Scaled down replica set web-2 to 0")
    change = ConditionChange(90.0, "deployment/web", "Progressing", "False",
                             "ProgressDeadlineExceeded",
                             'ReplicaSet "web-2" has timed out progressing.')
    fig = event_timeline(log, conditions=[change], time_range=(0, 120))
    [drawn] = [t for t in fig.data if t.name == "condition"]
    assert (list(drawn.x), list(drawn.y)) == ([90.0], ["ProgressDeadlineExceeded"])
    assert drawn.hovertext[0].endswith("Progressing=False: ReplicaSet \"web-2\" has timed "
                                       "out progressing.")
    assert list(reversed(fig.layout.yaxis.categoryarray)) == [
        "ScalingReplicaSet", "ProgressDeadlineExceeded"]
    assert fig.layout.xaxis.range[1] > 90       # the window ends at its last mark
