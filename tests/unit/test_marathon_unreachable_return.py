"""An unreachable instance that comes back after its replacement started: back to target.

Regression test: with ``inactiveAfterSeconds`` passed (a replacement was launched) and the
agent back before ``expungeAfterSeconds``, the app kept both instances running for good (2
instances for ``instances: 1``). Marathon's scale check kills the surplus, choosing by
``killSelection`` (docs/docs/configure-task-handling.md).
"""

from __future__ import annotations

from clustersim import Node, marathon
from clustersim.mesos import MesosCluster

APP = {"id": "/web", "cmd": "serve", "instances": 1, "cpus": 1, "mem": 128,
       "unreachableStrategy": {"inactiveAfterSeconds": 60, "expungeAfterSeconds": 3600}}


def running(m: marathon.Marathon) -> list:
    return [i for i in m.instances("/web") if i.state == "Running" and i.goal == "Running"]


def test_the_surplus_instance_is_killed_when_the_old_one_returns() -> None:
    cluster = MesosCluster(Node.many(2, "agent", cpu=2, memory="4Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    m.deploy(APP)
    cluster.run(until=30)
    [first] = running(m)
    lost_agent = next(a.name for a in cluster.agents if a.id == first.agent_id)
    cluster.fail_agent(lost_agent)
    cluster.run(until=400)              # unreachable, then inactive: a replacement runs
    assert len(running(m)) == 1 and running(m)[0].id != first.id
    cluster.recover_agent(lost_agent)   # the old task is back before it is expunged
    cluster.run(until=600)
    assert len(running(m)) == 1
    assert m.status()[0]["running"] == 1


def test_defaults_replace_an_unreachable_instance_as_soon_as_mesos_reports_it() -> None:
    """Without ``unreachableStrategy``, Marathon (1.5.1 and later) replaces an instance as soon
    as it is reported unreachable: ``UnreachableEnabled.DefaultInactiveAfter`` and
    ``DefaultExpungeAfter`` are 0 s (d2iq-archive/marathon state/UnreachableStrategy.scala,
    changelog.md MARATHON-7576). The simulator used to wait the pre-1.5.1 default of 300 s."""
    cluster = MesosCluster(Node.many(2, "agent", cpu=2, memory="4Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    m.deploy({"id": "/web", "cmd": "serve", "instances": 1, "cpus": 1, "mem": 128})
    cluster.run(until=30)
    [first] = running(m)
    cluster.fail_agent(next(a.name for a in cluster.agents if a.id == first.agent_id))
    unreachable_at = 30 + 75  # MesosCluster default: agent_ping_timeout × max_agent_ping_timeouts
    cluster.run(until=unreachable_at - 5)
    assert [i.id for i in running(m)] == [first.id], "replaced before Mesos reported it"
    cluster.run(until=unreachable_at + 30)
    assert len(running(m)) == 1 and running(m)[0].id != first.id, \
        "not replaced within 30 s of TASK_UNREACHABLE (the default inactiveAfterSeconds is 0)"


def test_an_expunged_task_that_comes_back_is_killed() -> None:
    """"An expunged task will be killed if it ever comes back"
    (docs/docs/configure-task-handling.md)."""
    cluster = MesosCluster(Node.many(2, "agent", cpu=2, memory="4Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    m.deploy({**APP, "unreachableStrategy": {"inactiveAfterSeconds": 60,
                                             "expungeAfterSeconds": 120}})
    cluster.run(until=30)
    [first] = running(m)
    lost_agent = next(a.name for a in cluster.agents if a.id == first.agent_id)
    cluster.fail_agent(lost_agent)
    cluster.run(until=400)              # unreachable at 105 s, expunged at 225 s
    cluster.recover_agent(lost_agent)
    cluster.run(until=500)
    live = [t for t in cluster.tasks() if t.state == "TASK_RUNNING"]
    assert len(live) == 1, live
    assert len(running(m)) == 1


def test_an_unknown_task_is_killed_only_while_staging_starting_or_running(monkeypatch) -> None:
    """``TaskStatusUpdateProcessorImpl`` kills a task Marathon does not know unless the
    update's condition is in its ``ignoreWhenUnknown``: Killed, Killing, Error, Failed,
    Finished, Unreachable, Gone, Dropped and Unknown (d2iq-archive/marathon
    ``core/task/update/impl/``; ``TaskCondition`` maps TASK_LOST to Unreachable, Gone or
    Unknown). A non-terminal TASK_KILLING or TASK_UNREACHABLE is not killed again."""
    from clustersim.mesos.tasks import TaskStatus
    cluster = MesosCluster(Node.many(1, "agent", cpu=2, memory="4Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    killed: list[str] = []
    monkeypatch.setattr(m.driver, "kill_task", killed.append)
    states = ["TASK_STAGING", "TASK_STARTING", "TASK_RUNNING", "TASK_KILLING",
              "TASK_UNREACHABLE", "TASK_LOST", "TASK_UNKNOWN", "TASK_DROPPED", "TASK_GONE",
              "TASK_GONE_BY_OPERATOR", "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED",
              "TASK_ERROR"]
    for state in states:
        m.status_update(TaskStatus(f"gone.{state}", state, "agent-1", "fw", 0.0,
                                   reason="REASON_AGENT_REMOVED"))
    assert killed == ["gone.TASK_STAGING", "gone.TASK_STARTING", "gone.TASK_RUNNING"]
