"""The master keeps the last ``--max_completed_tasks_per_framework`` completed tasks of each
framework, the oldest dropped first, and counts every task that ended.

Upstream: apache/mesos ``src/master/constants.hpp`` (``DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK``
1000), ``src/master/framework.cpp`` (``completedTasks``, a circular buffer of the flag's size,
filled by ``addCompletedTask``), ``docs/configuration/master.md``, and ``docs/monitoring.md``
for the per-framework ``tasks/terminal/<state>`` counters.
"""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.mesos import (
    TASK_FINISHED,
    TASK_RUNNING,
    BatchFramework,
    Framework,
    MesosCluster,
    Offer,
    TaskInfo,
    TaskStatus,
)
from clustersim.mesos.master import MAX_COMPLETED_TASKS_PER_FRAMEWORK


def finished_batch(tasks: int, keep: int | None = None) -> MesosCluster:
    """Two batch frameworks of ``tasks`` tasks each, one at a time per framework, each task
    running 1 s, run until quiet (keeping ``keep`` completed tasks, Mesos' default if None)."""
    options = {} if keep is None else {"max_completed_tasks_per_framework": keep}
    cluster = MesosCluster(Node.many(1, cpu=2, memory="4Gi"), seed=0, **options)
    for name in ("a", "b"):
        cluster.register(BatchFramework(name, task_cpus=1, task_mem=1024, tasks=tasks,
                                        run_seconds=1))
    cluster.run()
    return cluster


def test_the_oldest_completed_tasks_of_each_framework_are_dropped() -> None:
    cluster = finished_batch(8, keep=3)
    for name in ("a", "b"):
        kept = cluster.tasks(name)
        assert [t.task_id for t in kept] == [f"{name}-6", f"{name}-7", f"{name}-8"]
        assert all(t.state == TASK_FINISHED for t in kept)
        assert cluster.terminal_tasks(name) == {TASK_FINISHED: 8}
    assert cluster.terminal_tasks() == {TASK_FINISHED: 16}
    assert [f["completed_tasks"] for f in cluster.state()["frameworks"]] == [3, 3]


def test_mesos_default_keeps_a_thousand_completed_tasks_per_framework() -> None:
    over = MAX_COMPLETED_TASKS_PER_FRAMEWORK + 5
    cluster = finished_batch(over)
    assert len(cluster.tasks("a")) == MAX_COMPLETED_TASKS_PER_FRAMEWORK
    assert cluster.tasks("a")[0].task_id == "a-6"
    assert cluster.terminal_tasks("a") == {TASK_FINISHED: over}


def test_keeping_none_still_shows_the_tasks_that_have_not_ended() -> None:
    cluster = MesosCluster(Node.many(1, cpu=2, memory="4Gi"), seed=0,
                           max_completed_tasks_per_framework=0)
    cluster.register(BatchFramework("long", task_cpus=1, task_mem=1024, tasks=1))
    cluster.register(BatchFramework("short", task_cpus=1, task_mem=1024, tasks=1,
                                    run_seconds=1))
    cluster.run(until=30)
    assert [t.task_id for t in cluster.tasks()] == ["long-1"]
    assert cluster.terminal_tasks("short") == {TASK_FINISHED: 1}


class Reuser(Framework):
    """Launches task ``t`` (1 s), ``t`` again once it finished (until killed), then ``u``
    (1 s): Mesos lets a framework reuse a completed task's id (``Framework::addCompletedTask``,
    MESOS-6779)."""

    def __init__(self) -> None:
        super().__init__("reuser")
        self.launches: list[tuple[str, float | None]] = [("t", 1), ("t", None), ("u", 1)]
        self.t_finished = False

    def resource_offers(self, offers: list[Offer]) -> None:
        assert self.driver is not None
        for offer in offers:
            waiting = self.launches[:1] == [("t", None)] and not self.t_finished
            if not self.launches or waiting:
                self.driver.decline([offer.id], refuse_seconds=0)
                continue
            task_id, run_seconds = self.launches.pop(0)
            self.driver.accept([offer.id], [TaskInfo(task_id, resources={"cpus": 1, "mem": 64},
                                                     run_seconds=run_seconds)],
                               refuse_seconds=0)

    def status_update(self, status: TaskStatus) -> None:
        self.t_finished = self.t_finished or (status.task_id, status.state) == ("t", TASK_FINISHED)


def test_dropping_a_completed_task_keeps_a_later_task_of_its_id() -> None:
    cluster = MesosCluster(Node.many(1, cpu=2, memory="4Gi"), seed=0,
                           max_completed_tasks_per_framework=1)
    cluster.register(Reuser())
    cluster.run(until=60)
    # The first t completed, then u, which dropped the first t; the second t still runs.
    assert [(t.task_id, t.state) for t in cluster.tasks()] == [("t", TASK_RUNNING),
                                                               ("u", TASK_FINISHED)]
    assert cluster.terminal_tasks() == {TASK_FINISHED: 2}


@pytest.mark.parametrize("bad", [-1, 2.5, True, "10"])
def test_a_bad_bound_is_refused_with_the_flag_named(bad: object) -> None:
    with pytest.raises(ValueError, match="max_completed_tasks_per_framework must be a whole"):
        MesosCluster(max_completed_tasks_per_framework=bad)  # type: ignore[arg-type]
