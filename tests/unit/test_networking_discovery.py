"""Service discovery under a node failure, and the failed-requests view that draws it."""

from __future__ import annotations

import pytest

from clustersim.scenarios.networking import discovery_under_failure
from clustersim.viz.requests import failed_share_figure


@pytest.fixture(scope="module")
def outcome():
    return discovery_under_failure(instances=6, start=30, fail_at=60, stop=200, bucket=10)


def _failed_share(rows, start, end):
    chosen = [r for r in rows if start <= r.get("start", r.get("time")) < end]
    total = sum(r["served"] + r["failed"] for r in chosen)
    return sum(r["failed"] for r in chosen) / total


def test_nothing_fails_before_the_node_does(outcome) -> None:
    for system, result in outcome.items():
        assert _failed_share(result["rows"], 30, 60) == 0, system


def test_every_system_loses_requests_right_after_the_failure(outcome) -> None:
    for system, result in outcome.items():
        assert _failed_share(result["rows"], 60, 70) > 0.1, system


def test_kubernetes_and_marathon_recover_once_the_loss_is_detected(outcome) -> None:
    """Endpoints drop the lost pods after the node is NotReady (40 s + propagation);
    marathon-lb drops the lost tasks once Mesos marks the agent unreachable (75 s)."""
    assert _failed_share(outcome["Kubernetes"]["rows"], 150, 200) == 0
    assert _failed_share(outcome["Marathon"]["rows"], 150, 200) == 0


def test_swarm_clients_that_address_the_dead_node_keep_failing(outcome) -> None:
    """Requests go to every node's published port; the dead node's share keeps failing."""
    share = _failed_share(outcome["Docker Swarm"]["rows"], 150, 200)
    assert 0.05 < share < 0.35


def test_bad_times_are_refused() -> None:
    with pytest.raises(ValueError, match="start < fail_at < stop"):
        discovery_under_failure(start=60, fail_at=30)


def test_no_instances_is_refused_with_the_reason() -> None:
    """instances=0 passed the 0-50 check and ended in 'min() arg is an empty sequence'."""
    with pytest.raises(ValueError, match="from 1 to 50 here, not 0: the node that runs the most"):
        discovery_under_failure(instances=0)


def test_the_view_draws_percentages_with_escaped_labels(outcome) -> None:
    series = {s: r["rows"] for s, r in outcome.items()}
    series["<b>x</b>"] = [{"time": 0, "served": 1, "failed": 3}]
    fig = failed_share_figure(series, marks={"node fails": 60})
    assert [t.name for t in fig.data][-1] == "&lt;b&gt;x&lt;/b&gt;"
    assert list(fig.data[-1].y) == [75.0]
    assert all(0 <= y <= 100 for t in fig.data for y in t.y)
    assert fig.layout.shapes[0].x0 == 60


def test_the_view_refuses_empty_or_malformed_input() -> None:
    with pytest.raises(ValueError, match="at least one"):
        failed_share_figure({})
    with pytest.raises(ValueError, match="'start' or 'time'"):
        failed_share_figure({"a": [{"served": 1, "failed": 0}]})
