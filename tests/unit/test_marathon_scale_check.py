"""Marathon's periodic scale check: every app no deployment holds goes back to its count.

Regression test: a restart of 4 instances cancelled with ``force`` once its 4 new instances
ran left 8 tasks running for good. Marathon sends itself ``ScaleRunSpecs`` 15 s after it
leads and then every 5 minutes (``--scale_apps_initial_delay`` 15000 ms,
``--scale_apps_interval`` 300000 ms, ``MarathonConf``), and ``SchedulerActions.scale``
decommissions the surplus in ``killSelection`` order (``ScalingProposition.propose``).
"""

from __future__ import annotations

import re

import pytest

from clustersim import Node, marathon
from clustersim.mesos import MesosCluster
from clustersim.serve.marathoninfo import marathon_info

FIRST_CHECK, INTERVAL = 15.0, 300.0


def _cluster(nodes: int = 3) -> tuple[MesosCluster, marathon.Marathon]:
    cluster = MesosCluster(Node.many(nodes, "agent", cpu=4, memory="8Gi"), seed=0)
    return cluster, cluster.register(marathon.Marathon())


def _running(m: marathon.Marathon) -> list[marathon.Instance]:
    return [i for i in m.instances("/web") if i.state == "Running" and i.goal == "Running"]


@pytest.mark.parametrize("kill_selection", ["YOUNGEST_FIRST", "OLDEST_FIRST"])
def test_the_check_kills_what_a_forced_cancel_of_a_restart_left(kill_selection: str) -> None:
    cluster, m = _cluster()
    m.deploy({"id": "/web", "cmd": "serve", "instances": 4, "cpus": 0.5, "mem": 64,
              "killSelection": kill_selection})
    cluster.run(until=30)
    old = {i.id for i in _running(m)}
    restart = m.restart("/web", force=True)
    m.cancel(restart.id, rollback=False)
    checked_at = FIRST_CHECK + INTERVAL          # the first check (15 s) found 4 of 4
    cluster.run(until=checked_at - 1)
    assert len(_running(m)) == 8, "the new instances were not started beside the old ones"
    cluster.run(until=checked_at + 1)
    survivors = {i.id for i in _running(m)}
    assert len(survivors) == 4
    # YOUNGEST_FIRST kills the restart's new instances, OLDEST_FIRST the old ones
    assert (survivors == old) == (kill_selection == "YOUNGEST_FIRST")
    assert len([t for t in cluster.tasks() if t.state == "TASK_RUNNING"]) == 4


def test_the_check_leaves_an_app_a_deployment_holds_alone() -> None:
    """A restart that cannot place its new instances (``hostname UNIQUE`` on two agents,
    both taken) keeps the old ones: the ``ScaleRunSpec`` of a locked run spec is skipped."""
    cluster, m = _cluster(nodes=2)
    m.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 64,
              "constraints": [["hostname", "UNIQUE"]]})
    cluster.run(until=30)
    old = {i.id for i in _running(m)}
    restart = m.restart("/web")
    cluster.run(until=FIRST_CHECK + 2 * INTERVAL + 1)
    assert restart.status == "running"
    assert {i.id for i in _running(m)} == old
    assert len(m.instances("/web")) == 4       # the 2 new ones still wait in the queue


def test_a_check_with_nothing_to_do_changes_nothing_and_keeps_no_run_going() -> None:
    cluster, m = _cluster()
    m.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 64})
    cluster.run()                                # quiet before the second check is due
    assert cluster.now < FIRST_CHECK + INTERVAL
    events = len(m.events)
    cluster.run(until=FIRST_CHECK + 3 * INTERVAL)
    assert len(m.events) == events and len(_running(m)) == 2


def test_the_timers_are_knobs_that_info_reports() -> None:
    cluster = MesosCluster(Node.many(2, "agent", cpu=4, memory="8Gi"), seed=0)
    m = cluster.register(marathon.Marathon(scale_apps_initial_delay=5, scale_apps_interval=60))
    config = marathon_info(m)["marathon_config"]
    assert (config["scale_apps_initial_delay"], config["scale_apps_interval"]) == (5000, 60000)
    m.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 64})
    cluster.run(until=30)
    m.cancel(m.restart("/web", force=True).id, rollback=False)
    cluster.run(until=66)                        # checks at 5, 65 s
    assert len(_running(m)) == 2
    with pytest.raises(ValueError, match=r"scale_apps_interval must be at least 0\.001 seconds"):
        marathon.Marathon(scale_apps_interval=0)


@pytest.mark.parametrize("setting", ["scale_apps_interval", "reconciliation_interval"])
@pytest.mark.parametrize("value, words", [
    ("5", "must be a finite number of seconds, e.g. {}=300, got '5' (str)"),
    (True, "must be a finite number of seconds, e.g. {}=300, got True (bool)"),
    (float("inf"), "must be a finite number of seconds"),
    (1e-300, "must be at least 0.001 seconds (1 ms"),
    (0.0009, "must be at least 0.001 seconds (1 ms"),
])
def test_a_timer_setting_of_the_wrong_type_or_too_short_is_refused_by_name(
        setting: str, value: object, words: str) -> None:
    """``Marathon(scale_apps_interval="5")`` raised a bare TypeError from a comparison, and
    ``1e-300`` was taken, so that ``run(until=10)`` died at the million-event limit. The
    flags are whole milliseconds (``opt[Long]``, no lower bound in ``MarathonConf``): 1 ms
    is the shortest period they name."""
    expected = re.escape(f"Marathon: {setting} " + words.format(setting))
    with pytest.raises(ValueError, match=expected):
        marathon.Marathon(**{setting: value})


def test_the_shortest_period_runs() -> None:
    cluster = MesosCluster(Node.many(1, "agent", cpu=4, memory="8Gi"), seed=0)
    cluster.register(marathon.Marathon(scale_apps_interval=0.001, reconciliation_interval=0.001))
    cluster.run(until=2)
    assert cluster.now == 2


def test_the_check_does_not_bring_back_an_app_whose_removal_was_cancelled() -> None:
    """``DELETE /v2/apps/web`` then a forced cancel of its deployment while the tasks stop:
    the app is gone from the group tree, and the check scales only run specs it finds there
    (``SchedulerActions.scale(runSpecId)``: "does not exist. Not scaling."); it launched two
    new instances of the deleted app."""
    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    m = cluster.register(marathon.Marathon(task_stop_seconds=10))
    m.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 64})
    cluster.run(until=30)
    removal = m.remove("/web")
    m.cancel(removal.id, rollback=False)
    cluster.run(until=FIRST_CHECK + INTERVAL + 60)
    assert m.instances("/web") == []
    assert not [t for t in cluster.tasks() if t.state == "TASK_RUNNING"]
    assert "/web" not in m.apps and m.status() == []


RECONCILED = 15.0 + 600.0      # --reconciliation_initial_delay, then --reconciliation_interval


def test_reconciliation_kills_what_a_forced_cancel_of_a_removal_left() -> None:
    """A forced cancel of ``DELETE /v2/apps/web`` while one of its instances is unreachable:
    the deleted app stayed in ``Marathon.apps`` and ``status()`` for good, its instance with
    it. Marathon's task reconciliation (``SchedulerActions.reconcileTasks``, every
    ``--reconciliation_interval``, 600000 ms) kills the instances of run specs the group tree
    no longer holds; an unreachable one is expunged at once."""
    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    m.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 64,
              "unreachableStrategy": {"inactiveAfterSeconds": 3600,
                                      "expungeAfterSeconds": 7200}})
    cluster.run(until=30)
    cluster.fail_agent(m.instances("/web")[0].hostname)    # both run there
    cluster.run(until=200)                     # the master has found the agent gone
    removal = m.remove("/web")
    cluster.run(until=201)
    m.cancel(removal.id, rollback=False)
    cluster.run(until=RECONCILED - 1)
    assert [i.state for i in m.instances("/web")] == ["Unreachable", "Unreachable"]
    cluster.run(until=RECONCILED + 1)
    assert "/web" not in m.apps and m.status() == []
    assert marathon_info(m)["marathon_config"]["reconciliation_interval"] == 600000


def test_a_new_leader_arms_its_own_timers_and_the_old_ones_stop() -> None:
    """A leader that abdicates (``DELETE /v2/leader``) and is elected again kept the timers
    it armed when it first led: ``startLeadership`` arms the scale check and the
    reconciliation from the new leadership on (``schedulePeriodicOperations``) and
    ``stopLeadership`` cancels the old ones."""
    cluster, m = _cluster()
    m.deploy({"id": "/web", "cmd": "serve", "instances": 4, "cpus": 0.5, "mem": 64})
    cluster.run(until=30)
    restart = m.restart("/web", force=True)
    m.cancel(restart.id, rollback=False)
    checks: list[float] = []
    check = m._scale_check
    m._scale_check = lambda app: (checks.append(cluster.now), check(app))[1]  # type: ignore[method-assign]
    elected = 100.0
    cluster.run(until=elected)
    m.abdicate()
    cluster.run(until=elected + FIRST_CHECK - 1)
    assert len(_running(m)) == 8
    cluster.run(until=elected + FIRST_CHECK + 1)
    assert len(_running(m)) == 4
    cluster.run(until=elected + FIRST_CHECK + INTERVAL + 1)
    assert checks == [elected + FIRST_CHECK, elected + FIRST_CHECK + INTERVAL]
