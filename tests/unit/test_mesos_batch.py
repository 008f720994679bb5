"""The toy batch framework: progressive filling, retries, suppress; and operator agent removal."""

from __future__ import annotations

from itertools import pairwise

import pytest

from clustersim import Node
from clustersim.mesos import (
    TASK_FINISHED,
    TASK_GONE_BY_OPERATOR,
    TASK_LOST,
    TASK_RUNNING,
    BatchFramework,
    MesosCluster,
    drf_paper_example,
)


def test_batch_runs_all_its_tasks_to_the_end() -> None:
    cluster = MesosCluster(Node.many(2, cpu=2, memory="2Gi"), seed=1)
    batch = cluster.register(BatchFramework("job", task_cpus=1, task_mem=512, tasks=6,
                                            run_seconds=10))
    cluster.run()
    assert sorted(batch.finished) == sorted(f"job-{i}" for i in range(1, 7))
    assert all(t.state == TASK_FINISHED for t in cluster.tasks("job"))
    # Only 4 fit at once: two waves.
    starts = sorted({t.launched_at for t in cluster.tasks("job")})
    assert starts[0] == 0 and starts[-1] >= 11


def test_batch_suppresses_when_all_tasks_are_launched() -> None:
    cluster = MesosCluster(Node.many(2, cpu=4, memory="4Gi"), seed=0)
    cluster.register(BatchFramework("job", task_cpus=1, task_mem=128, tasks=2))
    cluster.run(until=30)
    offers = cluster.offers.where(framework="job")
    assert offers and max(r.time for r in offers) <= 1   # nothing offered after it is done


def test_batch_relaunches_lost_tasks_elsewhere() -> None:
    cluster = MesosCluster(Node.many(2, cpu=1, memory="1Gi"), seed=0,
                           agent_unreachable_seconds=10)
    batch = cluster.register(BatchFramework("job", task_cpus=1, task_mem=128, tasks=1))
    cluster.run(until=2)
    (first,) = cluster.tasks("job")
    cluster.fail_agent(first.hostname)
    cluster.run(until=20)
    assert first.state == TASK_LOST
    retry = cluster.tasks("job")[-1]
    assert retry.task_id == "job-1.2" and retry.state == TASK_RUNNING
    assert retry.hostname != first.hostname
    assert batch.launched == 1


def test_operator_marks_an_agent_gone() -> None:
    cluster = MesosCluster([Node("n1", cpu=1, memory="1Gi")], seed=0)
    batch = BatchFramework("job", task_cpus=1, task_mem=128, tasks=1)
    batch.partition_aware = True
    cluster.register(batch)
    cluster.run(until=2)
    cluster.mark_agent_gone("n1")
    assert cluster.tasks()[0].state == TASK_GONE_BY_OPERATOR
    assert cluster.snapshot().nodes[0].status == "Gone"
    with pytest.raises(ValueError, match="already gone"):
        cluster.mark_agent_gone("n1")


def test_batch_rejects_impossible_tasks() -> None:
    with pytest.raises(ValueError, match="needs some cpus or memory"):
        BatchFramework("x", task_cpus=0, task_mem=0, tasks=1)
    with pytest.raises(ValueError, match="whole number"):
        BatchFramework("x", task_cpus=1, task_mem=1, tasks=-1)


def test_share_history_shows_progressive_filling() -> None:
    """DRF paper § 4.1: shares rise one task at a time, the lower share going next."""
    rows = drf_paper_example().share_history()
    by_time: dict[float, dict[str, float]] = {}
    for row in rows:
        by_time.setdefault(row["time"], {})[row["framework"]] = row["share"]
    steps = list(by_time.values())
    assert steps[0] == {"A": pytest.approx(4 / 18), "B": 0}
    assert steps[-1] == {"A": pytest.approx(2 / 3), "B": pytest.approx(2 / 3)}
    for before, after in pairwise(steps):
        grown = [name for name in after if after[name] > before[name]]
        assert len(grown) == 1 and before[grown[0]] == min(before.values())


def test_hierarchical_roles_share_their_parents_part() -> None:
    """Roles "eng/web" and "eng/batch" split what role "eng" gets against role "ops"."""
    cluster = MesosCluster(Node.many(8, cpu=1, memory="1Gi"), seed=0)
    for name, role in (("web", "eng/web"), ("batch", "eng/batch"), ("ops", "ops")):
        cluster.register(BatchFramework(name, task_cpus=1, task_mem=64, tasks=20, role=role))
    cluster.run()
    counts = {name: len(cluster.tasks(name)) for name in ("web", "batch", "ops")}
    assert counts == {"web": 2, "batch": 2, "ops": 4}


def test_an_agent_marked_gone_may_register_again() -> None:
    cluster = MesosCluster([Node("n1", cpu=1, memory="1Gi")], seed=0)
    cluster.mark_agent_gone("n1")
    cluster.add_agent(Node("n1", cpu=2, memory="1Gi"))
    (node,) = cluster.snapshot().nodes
    assert (node.name, node.cpu, node.status) == ("n1", 2, "Ready")
