"""Stateful tasks and their storage: where each system's database comes back after its machine
fails (Marathon resident apps wait for their agent, a StatefulSet pod keeps name and claim and
needs the out-of-service taint, Swarm local volumes pin or lose data), the placement view and
the live control."""

from pathlib import Path

import pytest

from clustersim.scenarios.healing import SYSTEMS
from clustersim.scenarios.storage import four_nodes, resident_app, stateful_run, volume_stack
from clustersim.sim import NodeState, Snapshot, TaskState
from clustersim.viz.capacity import LABEL_LINE_PX
from clustersim.viz.placement import WAITING, placement_over_time
from clustersim.widgets import storage as storage_module
from clustersim.widgets.base import KERNEL_NOTE
from clustersim.widgets.storage import storage_app, storage_figure

ZONE = {n.name: n.zone for n in four_nodes("kubernetes")}


def test_resident_app_waits_for_its_agent():
    """unreachableStrategy disabled: no replacement; the machine's reboot killed the task, and
    the instance is launched again on its agent, on its reservation. (The agent had come back
    with its task still running, as after a partition.)"""
    run = stateful_run("marathon", act_at=300)
    time, node = run.back_at()
    assert 300 < time <= 320 and node == run.home
    assert any(e.reason == "TASK_DROPPED" and e.time == 300 for e in run.events)
    never = stateful_run("marathon", act_at=None)
    assert never.back_at() is None
    assert not any("launching a replacement" in e.message for e in never.events)


@pytest.mark.parametrize("zonal", [True, False])
def test_statefulset_pod_needs_the_out_of_service_taint_and_stays_in_its_zone(zonal):
    run = stateful_run("kubernetes", act_at=300, zonal=zonal)
    time, node = run.back_at()
    assert 300 <= time <= 320 and node != run.home
    if zonal:
        assert ZONE[run.home] == ZONE[node] == "zone-a"
    created = [e for e in run.events if e.message.startswith("create Pod db-0 ")]
    assert len(created) == 2        # the same name twice: db-0
    assert sum("Claim data-db-0" in e.message for e in run.events) == 1   # one claim, kept


def test_statefulset_pod_stays_terminating_without_the_operator():
    run = stateful_run("kubernetes", act_at=None, until=480)
    assert run.back_at() is None
    assert any(e.reason == "TaintManagerEviction" for e in run.events)


def test_swarm_pinned_waits_and_unpinned_moves_at_once():
    pinned = stateful_run("swarm", act_at=300)
    assert pinned.back_at() == (305, pinned.home)
    unpinned = stateful_run("swarm", pinned=False, act_at=None)
    time, node = unpinned.back_at()
    assert node != unpinned.home and time - unpinned.fail_at <= 30


@pytest.mark.parametrize("system", ["kubernetes", "marathon", "swarm"])
def test_another_machine_failing_does_not_move_the_database(system):
    run = stateful_run(system, fail="other", act_at=None)
    changes = run.placements()
    assert [where for _, where in changes][-1] == run.home
    assert [where for _, where in changes].count(None) == 1     # only before it first started


def test_manifests_are_what_each_system_needs():
    assert resident_app()["unreachableStrategy"] == "disabled"
    assert "constraints" not in volume_stack(pinned=False)["services"]["db"]["deploy"]
    with pytest.raises(ValueError, match="fail must be"):
        stateful_run("swarm", fail="everything")
    with pytest.raises(ValueError, match="act_at"):
        stateful_run("swarm", act_at=10)


def test_placement_view_draws_waiting_tasks_in_their_own_row():
    nodes = (NodeState("a", 1, 1, 0, 0), NodeState("b", 1, 1, 0, 0, status="Down"))
    snapshots = [Snapshot("t", 0, nodes, (TaskState("x", "db", None, "pending"),)),
                 Snapshot("t", 5, nodes, (TaskState("x", "db", "b", "running", ready=True),)),
                 Snapshot("t", 9, nodes, (TaskState("x", "db", "a", "running", ready=True),))]
    fig = placement_over_time({"one": (snapshots, "db")}, marks={"one": [(5, "fails")]})
    serving, idle = fig.data
    assert list(serving.y) == ["a"] and list(idle.y) == [WAITING, "b"]
    assert "machine down" in idle.hovertext[1]
    with pytest.raises(ValueError, match="at least one series"):
        placement_over_time({})


def _room_and_labels(fig, layout, suffix: str) -> tuple[float, float]:
    """Pixels from a panel's top down to half a marker above its first machine's row, and
    down to the end of its mark labels' lines, for ``layout``'s annotations and y range
    (the figure's own, or a slider step's)."""
    plots_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    axis = fig.layout[f"yaxis{suffix}"]
    low, high = layout[f"yaxis{suffix}"].range or axis.range  # a step without keeps the figure's
    row_px = (axis.domain[1] - axis.domain[0]) * plots_px / (high - low)
    top_row = len(axis.categoryarray) - 1
    labels = [a for a in layout.annotations if a.yref == f"y{suffix} domain"]
    assert labels
    return ((high - top_row) * row_px - 9 / 2,
            max(-a.yshift for a in labels) + LABEL_LINE_PX)


@pytest.mark.parametrize("act_at", [60, 120, 300, 480])
def test_mark_labels_end_above_the_first_machines_markers(act_at):
    """On a phone a mark's label covers more of the time axis: "out-of-service taint", hung
    from the panel's top, sat on node-1's markers. Each panel's top row lies below its
    labels' lines, with half a marker (9 px) to spare, whether the labels take one line or
    two (an operator acting soon after the failure); and no higher than that by a line: a
    figure whose labels took one line kept an empty band for a second."""
    fig = storage_figure([stateful_run(s, act_at=act_at) for s in SYSTEMS])
    for suffix in ("", "2", "3"):
        room, labels_end = _room_and_labels(fig, fig.layout, suffix)
        assert labels_end <= room < labels_end + LABEL_LINE_PX


def test_each_slider_step_brings_the_room_its_labels_take():
    """The slider's steps bring their own marks: the first step's labels (the operator at
    120 s) take two lines, the step first shown (300 s) one, and each step brings the y
    ranges that make room for its own. A live chart is refreshed in place by any later
    move, its ranges kept: it keeps room for both labels."""
    fig = storage_module._static_figure()
    for frame in fig.frames:
        for suffix in ("", "2", "3"):
            room, labels_end = _room_and_labels(fig, frame.layout, suffix)
            assert labels_end <= room < labels_end + LABEL_LINE_PX
    live = storage_module.storage_app().widget.children[-1]
    both = storage_figure([stateful_run(s, act_at=60) for s in SYSTEMS])
    assert live.layout.yaxis.range == both.layout.yaxis.range


def test_live_control_and_static_rendering():
    app = storage_app()
    controls = app.controls
    chart = app.widget.children[-1]
    controls["never"].value = True
    assert app.widget.children[-1] is chart
    assert controls["message"].value.count("does not serve again") == 3
    controls["system"].value = "marathon"
    assert len(app.widget.children[-1].data) == 2
    html = app.static_html()
    assert html.startswith(KERNEL_NOTE) and "operator acts at t = " in html


def test_failing_another_machine_keeps_the_database_serving() -> None:
    """The lab suggests failing another machine: the database never stops, and the summary
    says so rather than that it does not serve again."""
    app = storage_app()
    app.controls["fail"].value = "other"
    message = app.controls["message"].value
    assert message.count("keeps serving on") == 3 and "does not serve again" not in message
    assert all(stateful_run(s, fail="other").kept_serving() for s in SYSTEMS)
    assert not any(stateful_run(s).kept_serving() for s in SYSTEMS)


def test_the_instructors_prediction_gives_the_labs_times() -> None:
    """The instructors' guide said Marathon serves again at 300 s; the lab's table (sampled
    every 5 s) shows 305.0. Each system's time and machine in the guide's storage row are
    the lab's."""
    guide = (Path(__file__).resolve().parents[2] / "book" / "instructors.md").read_text("utf-8")
    [row] = [line for line in guide.splitlines()
             if line.startswith("| {doc}`../notebooks/storage` | \"The database's machine")]
    for system, words in (("marathon", "Marathon and Swarm serve again on the machine that "
                           "came back, at {time:g} s"),
                          ("swarm", "Marathon and Swarm serve again on the machine that came "
                           "back, at {time:g} s"),
                          ("kubernetes", "on `{node}`, in the same zone, after the "
                           "out-of-service taint ({time:g} s)")):
        time, node = stateful_run(system).back_at()
        assert words.format(time=time, node=node) in row, system
