"""Lines that run exactly on top of each other stay visible: each later line is narrower (and
its markers smaller) than the ones drawn before it; mark lines stand out, and their labels
neither write over each other nor sit on a target line."""

from __future__ import annotations

from itertools import pairwise

import pytest

from clustersim.scenarios.healing import REPLICAS, SYSTEMS, milestones, node_failure_run
from clustersim.sim import NodeState, Snapshot, TaskState
from clustersim.viz.capacity import (
    LABEL_GAP_PX,
    LABEL_LINE_PX,
    PHONE_SHARE,
    capacity_panels,
    capacity_traces,
    mark_layout,
    refresh,
)
from clustersim.viz.palette import contrast_ratio, line_width
from clustersim.viz.requests import failed_share_figure
from clustersim.viz.serving import serving_over_time
from clustersim.widgets.healing import healing_figure


def _narrowing(traces) -> bool:
    widths = [t.line.width for t in traces]
    return all(a > b for a, b in pairwise(widths)) and widths[-1] >= 1.5


def test_line_width_narrows_in_drawing_order() -> None:
    assert [line_width(i, 3) for i in range(3)] == [4.5, 3.0, 1.5]
    assert line_width(0, 1) == 1.5


def test_identical_failed_shares_all_show() -> None:
    rows = [{"start": t, "served": 10, "failed": 0} for t in (0, 10, 20)]
    fig = failed_share_figure({"Kubernetes": rows, "Marathon": rows, "Docker Swarm": rows})
    assert _narrowing(fig.data)
    sizes = [t.marker.size for t in fig.data]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 3


def _snapshots() -> list[Snapshot]:
    node = NodeState("n1", 1000, 2**30, 100, 2**20)
    task = TaskState("web-1", "web", "n1", "Running", 100, 2**20, ready=True)
    return [Snapshot("kubernetes", float(t), (node,), (task,)) for t in (0, 10, 20)]


def test_capacity_states_and_serving_lines_all_show() -> None:
    snaps = _snapshots()
    fig = capacity_panels({"Kubernetes": (snaps, "web")})
    assert _narrowing(fig.data)
    fig = serving_over_time({"a": (snaps, "web"), "b": (snaps, "web")})
    assert _narrowing(fig.data)


def test_close_marks_put_their_labels_on_different_lines() -> None:
    from clustersim.viz.capacity import mark_layout

    _, notes = mark_layout([[(35, "replaced"), (30, "fails"), (36, "ready"), (400, "back")]],
                           span=480)
    assert [(n["text"], n["yshift"]) for n in notes] == [
        ("fails", 0), ("replaced", -17), ("ready", -34), ("back", 0)]
    # Far apart on the axis: one line.
    _, notes = mark_layout([[(30, "fails"), (300, "back")]], span=480)
    assert [n["yshift"] for n in notes] == [0, 0]
    # A label reaching into the next one's place pushes only that one down.
    _, notes = mark_layout([[(30, "fails"), (60, "down"), (300, "back")]], span=480)
    assert [n["yshift"] for n in notes] == [0, -17, 0]


def test_mark_lines_stand_out_on_the_white_plot() -> None:
    """A target's dashed line (#999999) was 2.8:1 on the white plot: every mark line keeps
    WCAG 2.1's 3:1 for graphics (1.4.11) with it."""
    shapes, _ = mark_layout([[(30.0, "fails")]], levels=[4.0])
    assert {s["line"]["dash"] for s in shapes} == {"dot", "dash"}
    for shape in shapes:
        assert contrast_ratio(shape["line"]["color"], "#ffffff") >= 3, shape["line"]


def _label_room(fig, suffix: str, highest: float) -> tuple[float, float]:
    """Pixels from a panel's top down to ``highest`` on a phone (PHONE_SHARE of the panel),
    and down to the end of its mark labels' lines."""
    layout = fig.layout
    axis = layout[f"yaxis{suffix}"]
    plot_px = (layout.height - layout.margin.t - layout.margin.b) * (axis.domain[1]
                                                                      - axis.domain[0])
    low, high = axis.range
    labels = [a for a in layout.annotations if a.yref == f"y{suffix} domain"]
    assert labels
    return ((high - highest) / (high - low) * plot_px * PHONE_SHARE,
            max(-a.yshift for a in labels) + LABEL_LINE_PX)


def _healing_runs(**kubernetes):
    return [node_failure_run("kubernetes", **kubernetes),
            *(node_failure_run(s) for s in SYSTEMS[1:])]


@pytest.mark.parametrize("toleration_seconds", [0, 30, 300])
def test_mark_labels_end_above_the_target_line(toleration_seconds: int) -> None:
    """The self-healing lab's "NotReady" and "down", on the second line of labels, sat on the
    dashed line of the six tasks wanted. Each panel's target line and highest count lie
    below its labels' lines, with LABEL_GAP_PX to spare, on a phone's shorter panel too; and
    no lower than a line past that (the panels keep their scale: one range for all)."""
    fig = healing_figure(_healing_runs(toleration_seconds=toleration_seconds))
    # the legend's wanted entry has no point
    highest = max(REPLICAS, *(y for t in fig.data for y in t.y if y is not None))
    room = [_label_room(fig, suffix, highest) for suffix in ("", "2", "3")]
    for to_line, labels_end in room:
        assert to_line >= labels_end + LABEL_GAP_PX
    most = max(labels_end for _, labels_end in room)
    assert min(to_line for to_line, _ in room) < most + LABEL_GAP_PX + LABEL_LINE_PX
    assert len({fig.layout[f"yaxis{s}"].range for s in ("", "2", "3")}) == 1


def test_a_refreshed_chart_keeps_the_room_for_its_labels() -> None:
    """The live app refreshes its chart with a range of its own (the highest count and a
    half): the room for the labels stays as the static figure has it."""
    runs = _healing_runs()
    fig = healing_figure(runs)
    drawn = fig.layout.yaxis.range
    fig.update_yaxes(range=[0, 1])
    traces, top = capacity_traces({r.label: (r.snapshots, r.owner) for r in runs},
                                  ("serving", "ready"))
    assert refresh(fig, traces, [milestones(r) for r in runs], [REPLICAS] * 3, top + 1.5)
    assert fig.layout.yaxis.range == drawn
