"""Swarm's TaskState compares with strings in any case, both ways: == and != agree."""

from __future__ import annotations

from clustersim.swarm import TaskState


def test_not_equal_is_the_negation_of_equal() -> None:
    """Regression test: ``__eq__`` ignored case but ``__ne__`` was str's, so
    ``RUNNING != "running"`` was True while ``RUNNING == "running"`` was True too."""
    state = TaskState.RUNNING
    for other in ("running", "RUNNING", "Running", TaskState.RUNNING):
        assert (state == other) is True and (state != other) is False
    for other in ("failed", TaskState.FAILED, "run", 512, None):
        assert (state != other) is True and (state == other) is False


def test_states_hash_as_their_names() -> None:
    states = {TaskState.RUNNING: "up", TaskState.FAILED: "down"}
    assert states["RUNNING"] == "up" and states[TaskState.FAILED] == "down"
    assert hash(TaskState.SHUTDOWN) == hash("SHUTDOWN")
    assert len({TaskState.RUNNING, TaskState("RUNNING"), TaskState.COMPLETE}) == 2
