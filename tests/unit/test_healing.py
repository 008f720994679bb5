"""The capacity view and the self-healing scenario: counts, timings each system documents,
determinism, and the live control (in-place updates, escaped errors, static rendering)."""

import json
from pathlib import Path

import pytest

from clustersim.scenarios.healing import SYSTEMS, milestones, node_failure_run
from clustersim.sim import NodeState, Snapshot, TaskState
from clustersim.viz.capacity import (
    WANTED,
    capacity_panels,
    mark_layout,
    task_counts,
    water_marks,
)
from clustersim.widgets import healing
from clustersim.widgets.base import KERNEL_NOTE
from clustersim.widgets.healing import healing_app, healing_figure, recovery_time

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '<script>alert("x")</script> & "quotes"'


def _snapshot(time, node_status, tasks):
    nodes = (NodeState("a", 4, 1, 0, 0, status=node_status), NodeState("b", 4, 1, 0, 0))
    return Snapshot("test", time, nodes, tuple(tasks))


def test_counts_tell_reported_ready_from_serving_and_skip_ended_tasks():
    snapshots = [
        _snapshot(0, "Ready", [TaskState("t1", "app", "a", "Running", ready=True),
                               TaskState("t2", "app", "b", "Running", ready=True),
                               TaskState("x", "other", "b", "Running", ready=True)]),
        _snapshot(10, "NotReady", [TaskState("t1", "app", "a", "Running", ready=True),
                                   TaskState("t2", "app", "b", "Running", ready=True),
                                   TaskState("t3", "app", None, "Pending"),
                                   TaskState("t0", "app", "b", "TASK_KILLED")]),
    ]
    counts = task_counts(snapshots, "app")
    assert counts == {"ready": [2, 2], "serving": [2, 1], "total": [2, 3]}
    marks = water_marks(snapshots, "app")
    assert (marks.low_serving, marks.low_at, marks.peak_total, marks.peak_at) == (1, 10, 3, 10)


def test_panels_have_fixed_uids_one_trace_per_line_and_the_marks():
    snapshots = [_snapshot(t, "Ready", [TaskState("t", "app", "a", "Running", ready=True)])
                 for t in (0, 5)]
    fig = capacity_panels({"one": (snapshots, "app"), "two": (snapshots, "app")},
                          lines=("serving", "total"), desired=1,
                          marks={"two": [(5, "fails")]})
    assert [t.uid for t in fig.data] == ["capacity-1-serving", "capacity-1-total",
                                         "capacity-2-serving", "capacity-2-total",
                                         "capacity-wanted"]
    assert [s.xref for s in fig.layout.shapes] == ["x2", "x domain", "x2 domain"]
    assert "fails" in [a.text for a in fig.layout.annotations]
    shapes, notes = mark_layout([[(3, "a")], []], [None, 2])
    assert shapes[0]["x0"] == 3 and shapes[1]["y0"] == 2 and notes[0]["text"] == "a"
    with pytest.raises(ValueError, match="unknown line"):
        capacity_panels({"one": (snapshots, "app")}, lines=("served",))
    with pytest.raises(ValueError, match="at least one series"):
        capacity_panels({})


def _first(run, reason):
    return min(e.time for e in run.events if e.reason == reason and e.time >= run.fail_at)


@pytest.mark.parametrize("toleration", [0, 60, 120])
def test_kubernetes_waits_grace_period_then_toleration_seconds(toleration):
    """node-monitor-grace-period 50 s (since Kubernetes 1.32), then the pods'
    tolerationSeconds for node.kubernetes.io/unreachable (pkg/controller/tainteviction)."""
    run = node_failure_run("kubernetes", fail_at=30, toleration_seconds=toleration,
                           until=300, step=5)
    assert _first(run, "NodeNotReady") == 80
    assert _first(run, "TaintManagerEviction") == 80 + toleration
    took = recovery_time(run)
    assert 50 + toleration < took <= 50 + toleration + 10


@pytest.mark.parametrize("inactive", [0, 60])
def test_marathon_replaces_after_unreachable_and_inactive_after_seconds(inactive):
    """agent_ping_timeout 15 s × max_agent_ping_timeouts 5; then inactiveAfterSeconds."""
    run = node_failure_run("marathon", fail_at=30, inactive_after=inactive, until=300, step=5)
    assert _first(run, "AgentUnreachable") == 105
    assert 105 + inactive <= _first(run, "TASK_RUNNING") <= 105 + inactive + 2


def test_swarm_declares_a_node_down_after_missed_heartbeats():
    """5 s heartbeat period × 3 (dispatcher.go): 10-15 s after the failure of a follower;
    later when the failed node was the leader (a new leader first gives it a fresh grace)."""
    follower = node_failure_run("swarm", node="node-2", fail_at=30, until=120, step=5)
    assert 40 <= _first(follower, "NodeDown") <= 45
    leader = node_failure_run("swarm", node="node-1", fail_at=30, until=120, step=5)
    assert _first(leader, "NodeDown") > 45
    assert [label for _, label in milestones(follower)] == ["fails", "down"]


def test_same_seed_same_run_and_the_machine_coming_back():
    first = node_failure_run("swarm", recover_at=200, until=300)
    second = node_failure_run("swarm", recover_at=200, until=300)
    assert first.snapshots == second.snapshots
    assert task_counts(first.snapshots, first.owner)["serving"][-1] == 6


def test_marathons_agent_back_from_a_power_loss_runs_none_of_its_old_tasks():
    """The scenario's failure is a power loss: the machine reboots and no task on it survives.
    Marathon's agent had re-registered with its old tasks running again (as after a
    partition), and Marathon killed them; Mesos now reports them dropped."""
    run = node_failure_run("marathon", recover_at=300)
    old = {t.name for s in run.snapshots if s.time < run.fail_at for t in s.tasks
           if t.node == run.failed_node}
    again = [t for s in run.snapshots if s.time >= 300 for t in s.tasks
             if t.name in old and t.ready]
    assert old and not again
    back = [e for e in run.events if e.time >= 300 and e.reason.startswith("TASK_")]
    assert {e.reason for e in back if e.object.removeprefix("task/") in old} == {"TASK_DROPPED"}


@pytest.mark.parametrize("kwargs, message", [
    ({"system": "nomad"}, "system must be one of"),
    ({"system": "swarm", "node": "node-9"}, "node must be one of"),
    ({"system": "swarm", "fail_at": 5}, "fail_at must be a number"),
    ({"system": "kubernetes", "toleration_seconds": "300"}, "tolerationSeconds"),
    ({"system": "kubernetes", "toleration_seconds": 30.5}, "whole seconds"),
    ({"system": "marathon", "inactive_after": -1}, "inactiveAfterSeconds"),
])
def test_bad_settings_are_value_errors_that_say_what(kwargs, message):
    with pytest.raises(ValueError, match=message):
        node_failure_run(**kwargs)


def test_the_dashed_wanted_line_has_its_legend_entry():
    """The grey dashed line of the replicas asked for (a layout shape) was missing from the
    legend, which named only the traces."""
    snapshots = [_snapshot(t, "Ready", [TaskState("t", "app", "a", "Running", ready=True)])
                 for t in (0, 5)]
    fig = capacity_panels({"one": (snapshots, "app"), "two": (snapshots, "app")},
                          lines=("serving",), desired=1)
    [entry] = [t for t in fig.data if t.name == WANTED]
    dashed = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert entry.showlegend and entry.line.dash == "dash" and dashed
    assert {s.line.color for s in dashed} == {entry.line.color}
    assert WANTED not in [t.name for t in capacity_panels({"one": (snapshots, "app")}).data]


def test_live_control_updates_in_place_and_rebuilds_for_other_systems():
    app = healing_app()
    controls = app.controls
    chart = app.widget.children[-1]
    before = (list(chart.data[0].x), list(chart.data[0].y))
    controls["tolerationSeconds"].value = 30
    assert app.widget.children[-1] is chart
    assert (list(chart.data[0].x), list(chart.data[0].y)) != before
    assert "Kubernetes" in controls["message"].value
    controls["system"].value = "swarm"
    assert len(app.widget.children[-1].data) == 3      # serving, ready, the legend's wanted
    assert app.widget.children[-1].layout.annotations[0].text == "Docker Swarm (service)"
    assert set(SYSTEMS) == {"kubernetes", "marathon", "swarm"}


def test_errors_show_inline_and_escaped(monkeypatch):
    app = healing_app()

    def broken(*args, **kwargs):
        raise ValueError(HOSTILE)

    monkeypatch.setattr(healing, "node_failure_run", broken)
    app.controls["fail_at"].value = 40
    message = app.controls["message"].value
    assert "clustersim-error" in message and "<script>" not in message
    assert "&lt;script&gt;" in message


def test_static_rendering_has_the_note_and_a_toleration_slider():
    html = healing_app().static_html()
    assert html.startswith(KERNEL_NOTE)
    assert "Kubernetes tolerationSeconds: " in html
    bundle = healing_app()._repr_mimebundle_()
    assert bundle["text/plain"].count("\n") == 0


def test_static_frames_move_the_eviction_mark_with_the_toleration():
    fig = healing._static_figure([0, 300])
    evicted = [[a.x for a in frame.layout.annotations if a.text == "evicted"]
               for frame in fig.frames]
    assert evicted == [[80], [380]]


def test_a_chart_kept_for_a_set_of_panels_is_reused_and_equals_a_fresh_figure():
    app = healing_app()
    controls = app.controls
    everything = app.widget.children[-1]
    controls["system"].value = "marathon"
    alone = app.widget.children[-1]
    assert alone is not everything and len(alone.data) == 3   # and the legend's wanted
    controls["fail_at"].value = 70
    controls["system"].value = "all"
    assert app.widget.children[-1] is everything      # kept, updated in place
    fresh = healing_figure([node_failure_run(s, fail_at=70) for s in SYSTEMS])
    assert [(list(t.x), list(t.y)) for t in everything.data] == \
        [(list(t.x), list(t.y)) for t in fresh.data]
    assert everything.layout.shapes == fresh.layout.shapes
    assert everything.layout.annotations == fresh.layout.annotations
    controls["system"].value = "marathon"
    assert app.widget.children[-1] is alone
    assert list(alone.data[0].y) == list(fresh.data[2].y)  # serving, ready per panel


def _report_changes(run) -> list[tuple[float, int]]:
    """Each moment after the failure at which the control plane's ready count changes."""
    ready = task_counts(run.snapshots, run.owner)["ready"]
    return [(s.time, count) for s, before, count in zip(run.snapshots[1:], ready, ready[1:],
                                                         strict=False)
            if s.time > run.fail_at and count != before]


def test_the_time_to_recover_is_not_rounded_up_to_ten_seconds():
    """Snapshots every 10 s had made Swarm recover in 40 s and Marathon in 80 s; the six
    serve again 37 s and 76 s after the failure."""
    times = {s: recovery_time(node_failure_run(s, fail_at=30)) for s in SYSTEMS}
    assert times == {"kubernetes": 351, "marathon": 76, "swarm": 37}
    for system, took in times.items():
        run = node_failure_run(system, fail_at=30)
        serving = task_counts(run.snapshots, run.owner)["serving"]
        assert [s.time for s, n in zip(run.snapshots, serving, strict=True)
                if s.time > 30 and n < 6][-1] == 30 + took - 1


def test_the_lab_says_how_long_each_control_plane_reports_fewer_than_six():
    """The self-healing lab had said that Marathon and Swarm report 6 'throughout': at one
    snapshot a second Swarm reports 4 from 61 to 66 s and Marathon 4 at 105 s."""
    cells = json.loads((ROOT / "notebooks" / "self-healing.ipynb").read_text("utf-8"))["cells"]
    [prose] = ["".join(c["source"]) for c in cells if "Swarm reports" in "".join(c["source"])]
    assert "throughout" not in prose
    swarm = _report_changes(node_failure_run("swarm", fail_at=30))
    assert swarm == [(61, 4), (67, 6)]
    assert "t = 61 to 66 s" in prose and "6 again from t = 67 s" in prose
    marathon = _report_changes(node_failure_run("marathon", fail_at=30))
    assert marathon == [(105, 4), (106, 6)]
    assert "6 until t = 105 s" in prose and "then 4 for a second" in prose
    kubernetes = _report_changes(node_failure_run("kubernetes", fail_at=30))
    assert kubernetes[0] == (80, 4) and kubernetes[1][0] - 80 >= 300
    assert "(t = 80 s), then 4 for five\nminutes" in prose


def test_a_run_recorded_every_second_is_drawn_by_its_changes_only():
    """A line drawn as steps (shape hv) needs only the points at which its count changes: a
    run of 481 snapshots had put 481 points in each of nine traces."""
    runs = [node_failure_run(s, fail_at=30) for s in SYSTEMS]
    figure = healing_figure(runs)
    for trace, run in zip(figure.data, [r for r in runs for _ in range(2)], strict=False):
        assert trace.line.shape == "hv" and len(trace.x) < 10
        counts = task_counts(run.snapshots, run.owner)
        drawn = [trace.y[max(i for i, x in enumerate(trace.x) if x <= s.time)]
                 for s in run.snapshots]
        assert drawn in (counts["serving"], counts["ready"])
        assert trace.x[-1] == run.snapshots[-1].time


def test_the_summary_counts_the_fewest_serving_from_the_failure_on():
    """The lowest count had been taken over the whole run, t = 0 included, before anything
    was up: 'at worst 0 of 6' for every system and setting. One machine of three fails, so
    the app keeps the four replicas on the other two."""
    runs = [node_failure_run(s, fail_at=30) for s in SYSTEMS]
    text = healing._summary(runs)
    for run in runs:
        counts = task_counts(run.snapshots, run.owner)["serving"]
        low = min(n for s, n in zip(run.snapshots, counts, strict=True) if s.time >= 30)
        assert low > 0 and f"at worst {low} of 6 serving after the failure" in text
    assert "at worst 0" not in text


def test_the_summary_of_a_run_that_never_recovers_is_a_sentence():
    """node-3 failing at 130 s: Kubernetes evicts at 480 s, when the run ends; the line had
    read '... by the end the failure.'"""
    run = node_failure_run("kubernetes", node="node-3", fail_at=130)
    assert recovery_time(run) is None
    text = healing._summary([run])
    assert "end the failure" not in text
    assert f"not all 6 serving again by the end of the run (t = {run.snapshots[-1].time:g} s)." \
        in text


def test_summary_of_a_run_whose_steps_take_no_snapshot_after_the_failure():
    """With ``step=30`` and ``until=100`` the last snapshot is at 90 s, before a failure at
    95 s: the summary reads the state the failure met, the snapshot at 90 s."""
    run = node_failure_run("kubernetes", until=100, step=30, fail_at=95)
    assert max(s.time for s in run.snapshots) < run.fail_at
    serving = task_counts(run.snapshots[-1:], run.owner)["serving"][0]
    assert f"at worst {serving} of " in healing._summary([run])
