"""Rolling updates in the three simulators, as the lab runs them: each system's bounds hold at
every sample, broken releases fail and roll back the way each system does, and the live
control (in place, inline errors, static slider)."""

import ast
import json
from pathlib import Path

import pytest

from clustersim import ManifestError
from clustersim.kubernetes import resolve_fenceposts
from clustersim.marathon import restart_strategy
from clustersim.scenarios.updates import DEFAULTS, ROLLBACK_AT, UPDATE_AT, rolling_update_run
from clustersim.viz.capacity import task_counts
from clustersim.widgets.base import KERNEL_NOTE
from clustersim.widgets.updates import panel_titles, updates_app, updates_figure

ROOT = Path(__file__).resolve().parents[2]


def _lab_cases() -> list[tuple[object, object]]:
    """The (maxSurge, maxUnavailable) pairs of the rolling-updates lab's Kubernetes table."""
    cells = json.loads((ROOT / "notebooks" / "rolling-updates.ipynb").read_text("utf-8"))["cells"]
    source = next(text for c in cells if c["cell_type"] == "code"
                  and "resolve_fenceposts(s, u, 6)" in (text := "".join(c["source"])))
    assignment = next(node for node in ast.parse(source).body
                      if isinstance(node, ast.Assign) and node.targets[0].id == "cases")
    return ast.literal_eval(assignment.value)


@pytest.mark.parametrize(("surge", "unavailable"), _lab_cases())
def test_the_labs_table_shows_only_strategies_the_api_server_accepts(surge, unavailable):
    """The table showed 0/0 resolved to (0, 1), which a real API server refuses; the rounding
    rule applies where percentages round both to 0 (0 and 10% of 6 replicas)."""
    rolling_update_run("kubernetes", {"maxSurge": surge, "maxUnavailable": unavailable},
                       until=UPDATE_AT)


def _during(run):
    return [s for s in run.snapshots if s.time >= UPDATE_AT]


def test_kubernetes_refuses_max_surge_and_max_unavailable_both_zero():
    """ValidateRollingUpdateDeployment: "may not be 0 when `maxSurge` is 0", the API server's
    whole message (what kubectl apply prints); why goes with what is expected."""
    with pytest.raises(ManifestError, match="may not be 0 when `maxSurge` is 0") as refused:
        rolling_update_run("kubernetes", {"maxSurge": 0, "maxUnavailable": "0%"})
    assert refused.value.message.endswith("may not be 0 when `maxSurge` is 0")
    assert "neither add a new pod nor remove an old one" in refused.value.expected


def _not_terminating(snapshot, owner):
    return sum(1 for t in snapshot.tasks if t.owner.startswith(owner)
               and t.state not in ("Terminating", "Succeeded", "Failed"))


@pytest.mark.parametrize("surge, unavailable", [
    ("25%", "25%"), (1, 0), (0, 1), (2, 2), ("50%", "0%"), ("10%", "10%"), (6, 0)])
def test_kubernetes_stays_within_max_surge_and_max_unavailable(surge, unavailable):
    """At most replicas + maxSurge pods (not counting Terminating ones, as the Deployment
    controller does) and at least replicas − maxUnavailable serving, at every sample;
    the rollout completes."""
    run = rolling_update_run("kubernetes", {"maxSurge": surge, "maxUnavailable": unavailable})
    extra, missing = resolve_fenceposts(surge, unavailable, 6)
    snapshots = _during(run)
    assert max(_not_terminating(s, run.owner) for s in snapshots) <= 6 + extra
    serving = task_counts(snapshots, run.owner)["serving"]
    assert min(serving) >= 6 - missing
    assert serving[-1] == 6


@pytest.mark.parametrize("health, over", [(1, 1), (0.5, 0), (0.5, 0.5), (1, 0), (0.8, 0.2)])
def test_marathon_stays_within_its_restart_strategy(health, over):
    """Healthy instances never below min_healthy, tasks never above max_capacity
    (TaskReplaceActor), and every instance is replaced and healthy at the end."""
    strategy = {"minimumHealthCapacity": health, "maximumOverCapacity": over}
    run = rolling_update_run("marathon", strategy)
    min_healthy, max_capacity, _ = restart_strategy(6, strategy, 6, 6)
    counts = task_counts(_during(run), run.owner)
    assert min(counts["serving"]) >= min_healthy
    assert max(counts["total"]) <= max_capacity
    assert counts["serving"][-1] == 6


@pytest.mark.parametrize("parallelism", [1, 2, 3])
def test_swarm_stop_first_dips_and_start_first_surges_by_parallelism(parallelism):
    stop = task_counts(_during(rolling_update_run(
        "swarm", {"parallelism": parallelism, "order": "stop-first"})), "shop_web")["serving"]
    start = task_counts(_during(rolling_update_run(
        "swarm", {"parallelism": parallelism, "order": "start-first"})), "shop_web")["serving"]
    assert min(stop) == 6 - parallelism and max(stop) == 6
    assert min(start) == 6 and max(start) == 6 + parallelism


def test_broken_release_in_kubernetes_reports_progress_deadline_and_is_undone():
    """The stalled rollout shows in the Deployment's Progressing condition, recorded as it
    changes (upstream records no Event for it), and the undo makes it progress again."""
    run = rolling_update_run("kubernetes", failing=True)
    progressing = [(c.time, c.status, c.reason) for c in run.conditions
                   if c.type == "Progressing" and c.time >= UPDATE_AT]
    deadline = [t for t, status, reason in progressing
                if (status, reason) == ("False", "ProgressDeadlineExceeded")]
    assert deadline and UPDATE_AT + 60 <= deadline[0] < ROLLBACK_AT
    assert progressing[-1][1:] == ("True", "NewReplicaSetAvailable")
    assert progressing[-1][0] > ROLLBACK_AT
    serving = task_counts(run.snapshots, run.owner)["serving"]
    stuck = [n for s, n in zip(run.snapshots, serving, strict=True)
             if UPDATE_AT < s.time < ROLLBACK_AT]
    assert max(stuck) < 6 and serving[-1] == 6


def test_broken_release_in_marathon_hangs_until_the_operator_rolls_back():
    run = rolling_update_run("marathon", {"minimumHealthCapacity": 0.5,
                                          "maximumOverCapacity": 0}, failing=True)
    serving = task_counts(run.snapshots, run.owner)["serving"]
    stuck = [n for s, n in zip(run.snapshots, serving, strict=True)
             if UPDATE_AT < s.time < ROLLBACK_AT]
    assert set(stuck) == {3}
    assert any(e.reason == "deployment_success" and e.time > ROLLBACK_AT for e in run.events)
    assert serving[-1] == 6


@pytest.mark.parametrize("action, reason", [("rollback", "RollbackCompleted"),
                                            ("pause", "UpdatePaused")])
def test_broken_release_in_swarm_follows_failure_action(action, reason):
    run = rolling_update_run("swarm", {"failure_action": action}, failing=True)
    assert any(e.reason == reason for e in run.events)
    final = task_counts(run.snapshots[-3:], run.owner)["serving"]
    assert (min(final) == 6) == (action == "rollback")


@pytest.mark.parametrize("system, strategy, message", [
    ("kubernetes", {"maxSurge": "x"}, "maxSurge"),
    ("kubernetes", {"surge": 1}, "no update setting 'surge'"),
    ("marathon", {"minimumHealthCapacity": 2}, "minimumHealthCapacity"),
    ("swarm", {"order": "sideways"}, "order"),
    ("nomad", None, "system must be one of"),
])
def test_bad_strategies_are_value_errors(system, strategy, message):
    with pytest.raises(ValueError, match=message):
        rolling_update_run(system, strategy)


def test_live_control_hides_other_systems_and_shows_errors_inline():
    app = updates_app()
    controls = app.controls
    chart = controls["chart"]
    controls["maxSurge"].value = '<b>"1"</b>'
    assert "clustersim-error" in controls["message"].value
    assert "<b>" not in controls["message"].value
    controls["maxSurge"].value = "0"
    controls["maxUnavailable"].value = "0"  # the API server refuses both zero
    assert "may not be 0 when `maxSurge` is 0" in controls["message"].value
    controls["system"].value = "swarm"
    assert chart.layout.annotations[0].text == "Swarm"
    assert controls["parallelism"].layout is not None
    assert set(DEFAULTS) == {"kubernetes", "marathon", "swarm"}


def test_static_rendering_has_the_note_and_a_strategy_slider():
    html = updates_app().static_html()
    assert html.startswith(KERNEL_NOTE)
    assert '"sliders"' in html and "maxSurge \\u002f maxUnavailable: " in html


def test_every_slider_frame_fits_under_the_axis_and_its_mark_labels() -> None:
    """The explorer's static figure kept the default frame's axis (up to 10.5): maxSurge 6's
    12 pods ran off the plot, through the "update to 2.0" label, on a phone most of all. The
    axis now reaches as high as each frame's own figure needs for its lines and labels."""
    from clustersim.widgets.updates import _static_figure

    fig = _static_figure()
    top = fig.layout.yaxis.range[1]
    for frame in fig.frames:
        surge, unavailable = (int(v) if v.isdigit() else v for v in frame.name.split("/"))
        own = updates_figure([rolling_update_run(
            "kubernetes", {"maxSurge": surge, "maxUnavailable": unavailable})])
        assert max(y for t in frame.data for y in t.y if y is not None) < top, frame.name
        assert own.layout.yaxis.range[1] <= top, frame.name


def test_two_strategies_of_one_system_get_a_panel_each() -> None:
    """The lab compares Swarm's defaults with a faster update_config in one figure: both runs
    are labelled "Swarm", and keyed by that label they shared one panel that
    showed only the second run, under a title promising "defaults above ... below"."""
    default = rolling_update_run("swarm")
    fast = rolling_update_run("swarm", {"parallelism": 2, "delay": 10, "order": "start-first"})
    fig = updates_figure([default, fast])
    titles = [a.text for a in fig.layout.annotations if a.yref == "paper"]
    assert titles == ["Swarm: parallelism 1, delay 0, order stop-first",
                      "Swarm: parallelism 2, delay 10, order start-first"]
    assert {t.yaxis for t in fig.data} == {"y", "y2"}
    with pytest.raises(ValueError, match="pass each run once"):
        updates_figure([fast, fast])


def test_panel_titles_name_each_setting_once() -> None:
    """The label named Marathon's two knobs and the title named them again with their values:
    a 970 px title over a 757 px figure, cut at both ends at every width."""
    thrifty = rolling_update_run("marathon", {"minimumHealthCapacity": 0.5,
                                              "maximumOverCapacity": 0})
    titles = panel_titles([rolling_update_run("marathon"), thrifty])
    assert titles == ["Marathon: minimumHealthCapacity 1.0, maximumOverCapacity 1.0",
                      "Marathon: minimumHealthCapacity 0.5, maximumOverCapacity 0"]


@pytest.mark.parametrize(("delay", "seconds"), [("10s", 10.0), ("1m30s", 90.0), (10, 10.0),
                                                (2.5, 2.5)])
def test_a_swarm_delay_is_a_number_of_seconds_or_a_go_duration(delay, seconds) -> None:
    """"10s" was written "10ss" (an "s" appended to any value) and refused; Compose's
    update_config.delay is a Go duration, a number is taken as seconds."""
    from clustersim.scenarios.updates import _go_duration
    from clustersim.swarm.spec import parse_duration

    assert parse_duration(_go_duration(delay), "delay") == seconds
    assert rolling_update_run("swarm", {"delay": delay}).strategy["delay"] == delay


@pytest.mark.parametrize(("delay", "words"), [
    (True, "delay must be a number of seconds or a Go duration"),
    ([10], "delay must be a number of seconds or a Go duration"),
    ("10ss", 'your strategy, services.web.deploy.update_config.delay: time: unknown unit "ss"'),
    (-3, "cannot be negative"),
])
def test_a_bad_swarm_delay_is_refused_clearly(delay, words) -> None:
    with pytest.raises(ValueError) as caught:
        rolling_update_run("swarm", {"delay": delay})
    assert words in str(caught.value)


@pytest.mark.parametrize(("system", "strategy", "field"), [
    ("kubernetes", {"maxSurge": "abc"}, "spec.strategy.rollingUpdate.maxSurge"),
    ("marathon", {"minimumHealthCapacity": 2}, "upgradeStrategy.minimumHealthCapacity"),
])
def test_a_refused_strategy_is_named_your_strategy(system, strategy, field) -> None:
    """The loaders named the scenario's dict '<data>'."""
    with pytest.raises(ManifestError) as caught:
        rolling_update_run(system, strategy)
    assert str(caught.value).startswith(f"your strategy, {field}")
