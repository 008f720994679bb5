"""``instance_changed_event``: one per condition change of an app's or a pod's instance, after
the ``status_update_event`` that caused it, with Marathon's fields on the served stream.

Regression tests: the simulator posted the event only when an instance was launched, became
ready, inactive, reserved, wiped or forgotten, with a sentence for a message and no
condition (``InstanceChangedEventsGenerator`` and ``InstanceChangedEventWrites`` in
d2iq-archive/marathon)."""

from __future__ import annotations

import json
import re

import pytest
import requests

from clustersim import Node, marathon
from clustersim.marathon.conditions import TERMINAL_CONDITION, changed_fields
from clustersim.mesos import MesosCluster, TaskStatus
from clustersim.serve import serve

APP = {"id": "/web", "cmd": "serve", "instances": 1, "cpus": 0.5, "mem": 128}
POD = {"id": "/pod", "containers": [
    {"name": name, "resources": {"cpus": 0.1, "mem": 32},
     "exec": {"command": {"shell": "sleep 1000"}}} for name in ("app", "sidecar")]}


def cluster(agents: int = 2) -> tuple[MesosCluster, marathon.Marathon]:
    mesos = MesosCluster(Node.many(agents, "agent", cpu=2, memory="4Gi", disk="10Gi"), seed=0)
    return mesos, mesos.register(marathon.Marathon())


def lost_agent(inactive_after: int, until: int) -> tuple[MesosCluster, marathon.Marathon,
                                                         marathon.Instance]:
    """``/web`` running from 30 s on, then its agent lost, run until ``until``."""
    mesos, m = cluster()
    m.deploy({**APP, "unreachableStrategy": {"inactiveAfterSeconds": inactive_after,
                                             "expungeAfterSeconds": 3600}})
    mesos.run(until=30)
    [instance] = m.instances("/web")
    mesos.fail_agent(next(a.name for a in mesos.agents if a.id == instance.agent_id))
    mesos.run(until=until)
    return mesos, m, instance


def conditions(m: marathon.Marathon, instance_id: str) -> list[str]:
    fields = (changed_fields(e.message) for e in m.events.where(reason="instance_changed_event")
              if e.object == f"instance/{instance_id}")
    return [f["condition"] for f in fields if f is not None]


def test_an_app_instance_reports_each_condition_change_once() -> None:
    mesos, m = cluster()
    m.deploy(APP)
    mesos.run()
    [instance] = m.instances("/web")
    assert conditions(m, instance.id) == ["Scheduled", "Provisioned", "Starting", "Running"]
    m.scale("/web", 0)
    mesos.run()
    assert conditions(m, instance.id)[4:] == ["Killed"]     # then expunged: no event


def test_with_task_killing_a_killed_instance_is_killing_first() -> None:
    """``--enable_features task_killing`` (``MarathonSchedulerDriver.newDriver``): Marathon
    asks Mesos for TASK_KILLING, ``TaskCondition`` maps it to Killing, and each status update
    posts its event before the instance's."""
    mesos = MesosCluster(Node.many(2, "agent", cpu=2, memory="4Gi", disk="10Gi"), seed=0)
    m = mesos.register(marathon.Marathon(task_killing=True))
    m.deploy(APP)
    mesos.run()
    [instance] = m.instances("/web")
    m.scale("/web", 0)
    mesos.run()
    assert conditions(m, instance.id)[4:] == ["Killing", "Killed"]
    events = [e.message.split()[0] for e in m.events
              if e.reason in ("status_update_event", "instance_changed_event")]
    assert events[-4:] == ["taskStatus=TASK_KILLING", "condition=Killing",
                           "taskStatus=TASK_KILLED", "condition=Killed"]


@pytest.mark.parametrize(("reason", "message", "condition"), [
    ("REASON_AGENT_REMOVED", "", "Unreachable"),
    ("REASON_SLAVE_DISCONNECTED", "", "Unreachable"),
    ("REASON_RECONCILIATION", "", "Unreachable"),
    ("REASON_TASK_UNKNOWN", "", "Unknown"),
    ("REASON_RECONCILIATION", "Reconciliation: Task is unknown to the master", "Unknown"),
    ("REASON_EXECUTOR_TERMINATED", "", "Gone"),
    (None, "", "Gone"),
])
def test_a_lost_tasks_condition_follows_its_reason(reason: str | None, message: str,
                                                   condition: str) -> None:
    """``TaskCondition.inferStateForLost`` over ``TaskConditionMapping``'s sets (its
    ``Unreachable`` reasons are upstream's test table for "TASK_LOST update with $reason
    indicating a TemporarilyUnreachable")."""
    mesos, m = cluster()
    m.deploy(APP)
    mesos.run()
    [instance] = m.instances("/web")
    [task_id] = instance.tasks
    assert m.framework_id is not None
    m.status_update(TaskStatus(task_id, "TASK_LOST", str(instance.agent_id), m.framework_id,
                               mesos.now, reason, message, "SOURCE_MASTER"))
    assert conditions(m, instance.id)[4] == condition


def test_a_wiped_instance_is_killed_then_forgotten_and_replaced() -> None:
    """``TaskKiller.kill(wipe = true)``: the goal Decommissioned kills the task, and the
    instance, Killed, is expunged; a new one takes its place."""
    mesos, m = cluster()
    m.deploy(APP)
    mesos.run()
    [instance] = m.instances("/web")
    m.wipe(next(iter(instance.tasks)))
    mesos.run()
    assert conditions(m, instance.id)[4:] == ["Killed"]
    [replacement] = m.instances("/web")
    assert replacement.id != instance.id and replacement.state == "Running"


@pytest.mark.parametrize(("wait", "before"), [(150, ["Unreachable"]),
                                               (600, ["Unreachable", "UnreachableInactive"])])
def test_a_wiped_unreachable_instance_is_killed_and_expunged_at_once(
        wait: int, before: list[str]) -> None:
    """An unreachable or unreachable-inactive instance cannot be killed, so
    ``KillActionResolver.computeAction`` expunges it (``ExpungeFromState``) and
    ``InstanceUpdater.forceExpunge`` posts it Killed first. Regression: the simulator forgot
    it without an event, leaving subscribers with an instance that was still Unreachable."""
    mesos, m, instance = lost_agent(inactive_after=300, until=30 + wait)
    assert conditions(m, instance.id)[4:] == before
    m.wipe(next(iter(instance.tasks)))
    assert conditions(m, instance.id)[4:] == [*before, "Killed"]
    assert instance.id not in {i.id for i in m.instances("/web")}
    mesos.run(until=mesos.now + 60)
    assert all(i.state == "Running" for i in m.instances("/web")) and m.instances("/web")


def test_the_status_update_comes_first_then_the_instance_change() -> None:
    mesos, m = cluster()
    m.deploy(APP)
    mesos.run()
    events = [e for e in m.events if e.reason in ("status_update_event",
                                                  "instance_changed_event")]
    running = next(i for i, e in enumerate(events) if "taskStatus=TASK_RUNNING" in e.message)
    [instance] = m.instances("/web")
    assert events[running + 1].object == f"instance/{instance.id}"
    assert events[running + 1].message.startswith("condition=Running ")


def test_an_unhealthy_task_reports_killed_then_scheduled_again() -> None:
    mesos, m = cluster()
    m.deploy({**APP, "healthChecks": [{"protocol": "HTTP", "gracePeriodSeconds": 20,
                                       "intervalSeconds": 5, "maxConsecutiveFailures": 2}]})
    mesos.run()
    [instance] = m.instances("/web")
    m.set_health("/web", False)
    mesos.run(until=mesos.now + 60)
    assert conditions(m, instance.id)[4:6] == ["Killed", "Scheduled"]


def test_a_pod_instance_starts_when_one_task_runs_and_runs_when_all_do() -> None:
    mesos, m = cluster()
    m.deploy(POD)
    mesos.run()
    [instance] = m.instances("/pod")
    assert conditions(m, instance.id) == ["Scheduled", "Provisioned", "Starting", "Running"]


def test_an_unreachable_instance_becomes_inactive() -> None:
    _, m, instance = lost_agent(inactive_after=60, until=400)
    assert conditions(m, instance.id)[4:] == ["Unreachable", "UnreachableInactive"]


def test_the_served_stream_carries_marathons_fields_in_its_order() -> None:
    with serve("marathon", nodes=2, speed=0) as server:
        with requests.get(f"{server.url}/v2/events",
                          params={"event_type": "instance_changed_event"},
                          headers={"Accept": "text/event-stream"}, stream=True,
                          timeout=10) as stream:
            lines = (line for line in stream.iter_lines(decode_unicode=True)
                     if line.startswith("data: "))
            requests.post(f"{server.url}/v2/apps", json=APP, timeout=10)
            server.step(30)
            seen = [json.loads(next(lines)[len("data: "):]) for _ in range(4)]
        version = requests.get(f"{server.url}/v2/apps/web", timeout=10).json()["app"]["version"]
        [task] = requests.get(f"{server.url}/v2/apps/web/tasks", timeout=10).json()["tasks"]
    assert [list(e) for e in seen] == [["instanceId", "condition", "runSpecId", "agentId",
                                        "host", "runSpecVersion", "timestamp",
                                        "eventType"]] * 4
    assert [e["condition"] for e in seen] == ["Scheduled", "Provisioned", "Starting", "Running"]
    assert (seen[0]["agentId"], seen[0]["host"]) == (None, None)
    assert {(e["instanceId"], e["runSpecId"], e["runSpecVersion"]) for e in seen} == {
        (task["id"].rsplit("._app.", 1)[0], "/web", version)}
    assert (seen[-1]["agentId"], seen[-1]["host"]) == (task["slaveId"], task["host"])


def test_a_lost_tasks_condition_has_one_source() -> None:
    """``TaskCondition``: a TASK_LOST's condition is its reason's (``lost_condition``), so the
    table of terminal conditions holds no entry for it that could disagree."""
    assert "TASK_LOST" not in TERMINAL_CONDITION


def test_a_status_update_carries_the_addresses_its_task_started_with() -> None:
    """``InstanceChangedEventsGenerator`` reads ``ipAddresses`` from the task's stored network
    info, set by its first TASK_RUNNING: none before (TASK_STARTING), the agent's after,
    also on the master's TASK_UNREACHABLE, which names no address itself."""
    mesos = MesosCluster([Node("agent-1", cpu=2, memory="4Gi", address="10.0.0.7")], seed=0)
    m = mesos.register(marathon.Marathon())
    m.deploy(APP)
    mesos.run(until=30)
    mesos.fail_agent("agent-1")
    mesos.run(until=200)
    updates = [(e.message.split()[0], re.findall(r"ipAddresses=(\S+)", e.message))
               for e in m.events.where(reason="status_update_event")]
    assert updates == [("taskStatus=TASK_STARTING", []),
                       ("taskStatus=TASK_RUNNING", ["10.0.0.7"]),
                       ("taskStatus=TASK_UNREACHABLE", ["10.0.0.7"])]


def _killing_marathon() -> tuple[MesosCluster, marathon.Marathon]:
    """Marathon with ``task_killing`` whose tasks take 60 s to exit on SIGTERM."""
    mesos = MesosCluster(Node.many(2, "agent", cpu=2, memory="4Gi", disk="10Gi"), seed=0)
    return mesos, mesos.register(marathon.Marathon(task_killing=True, task_stop_seconds=60))


def _killing_times(m: marathon.Marathon) -> list[tuple[float, str]]:
    return [(e.time, e.message.split()[0]) for e in m.events.where(reason="status_update_event")
            if "TASK_KILL" in e.message]


@pytest.mark.parametrize(("grace", "killed_after"), [(10, 10), (None, 3), (100, 60)])
def test_an_apps_kill_grace_period_is_its_tasks_kill_policy(grace: int | None,
                                                            killed_after: float) -> None:
    """``TaskBuilder`` turns ``taskKillGracePeriodSeconds`` into the task's ``KillPolicy``:
    Killing lasts until the executor's SIGKILL (its own 3 s without one) or the process's
    exit, whichever is first."""
    mesos, m = _killing_marathon()
    m.deploy(APP | ({} if grace is None else {"taskKillGracePeriodSeconds": grace}))
    mesos.run(until=20)
    [instance] = m.instances("/web")
    [task_id] = instance.tasks
    m.driver.kill_task(task_id)
    mesos.run(until=21)
    assert instance.state == "Killing"
    mesos.run(until=200)
    assert _killing_times(m) == [(20, "taskStatus=TASK_KILLING"),
                                 (20 + killed_after, "taskStatus=TASK_KILLED")]


def test_a_pod_containers_kill_grace_period_is_its_tasks_kill_policy() -> None:
    """``TaskGroupBuilder.computeTaskInfo``: each container's
    ``lifecycle.killGracePeriodSeconds``."""
    mesos, m = _killing_marathon()
    pod = {**POD, "containers": [{**POD["containers"][0], "lifecycle": {
        "killGracePeriodSeconds": 20}}, POD["containers"][1]]}
    m.deploy(pod)
    mesos.run(until=20)
    m.scale("/pod", 0)
    mesos.run(until=200)
    killed = {e.object: e.time for e in m.events.where(reason="status_update_event")
              if "TASK_KILLED" in e.message}
    assert sorted(killed.values()) == [23, 40]


def test_a_bad_kill_grace_period_is_refused_naming_its_field() -> None:
    _, m = _killing_marathon()
    with pytest.raises(ValueError, match="taskKillGracePeriodSeconds must be a number"):
        m.deploy(APP | {"taskKillGracePeriodSeconds": "soon"})
