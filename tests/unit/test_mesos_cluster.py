"""The Mesos master and allocator on the clock: offers, filters, task states, agent loss, DRF.

Behaviour checked against apache/mesos ``src/master/master.cpp``,
``src/master/allocator/mesos/hierarchical.cpp`` and the allocator cases of
``src/tests/hierarchical_allocator_tests.cpp`` (DRF order across roles and within a role,
weights, refusal filters lasting at least one allocation interval, suppress/revive).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clustersim import Node
from clustersim.mesos import (
    TASK_DROPPED,
    TASK_ERROR,
    TASK_FAILED,
    TASK_FINISHED,
    TASK_KILLED,
    TASK_KILLING,
    TASK_LOST,
    TASK_RUNNING,
    TASK_STARTING,
    TASK_UNREACHABLE,
    BatchFramework,
    Framework,
    LaunchGroup,
    MesosCluster,
    Offer,
    TaskInfo,
    TaskStatus,
    drf_paper_example,
)
from clustersim.sim import Snapshot


class Recorder(Framework):
    """A framework whose answer to each offer is a function; it records what it hears."""

    def __init__(self, name: str = "rec", role: str = "*",
                 answer: Callable[[Recorder, Offer], None] | None = None,
                 partition_aware: bool = False, task_killing_state: bool = False) -> None:
        super().__init__(name, role, partition_aware=partition_aware,
                         task_killing_state=task_killing_state)
        self.answer = answer
        self.offers: list[Offer] = []
        self.rescinded: list[str] = []
        self.updates: list[TaskStatus] = []
        self.lost_agents: list[str] = []

    def resource_offers(self, offers: list[Offer]) -> None:
        self.offers.extend(offers)
        for offer in offers:
            if self.answer is not None:
                self.answer(self, offer)

    def offer_rescinded(self, offer_id: str) -> None:
        self.rescinded.append(offer_id)

    def status_update(self, status: TaskStatus) -> None:
        self.updates.append(status)

    def agent_lost(self, agent_id: str) -> None:
        self.lost_agents.append(agent_id)

    def states(self, task_id: str) -> list[tuple[float, str]]:
        return [(u.time, u.state) for u in self.updates if u.task_id == task_id]


def decline(seconds: float) -> Callable[[Recorder, Offer], None]:
    return lambda fw, offer: fw.driver.decline([offer.id], refuse_seconds=seconds)


def launch_once(**task: object) -> Callable[[Recorder, Offer], None]:
    """Launch one task from the first offer, decline the rest."""
    def answer(fw: Recorder, offer: Offer) -> None:
        if len(fw.offers) == 1:
            fw.driver.accept([offer.id], [TaskInfo("t1", **task)])
        else:
            fw.driver.decline([offer.id])
    return answer


SMALL = {"cpus": 1, "mem": 64}


def one_agent(**kwargs: object) -> MesosCluster:
    return MesosCluster([Node("a1", cpu=4, memory="8Gi", disk="10Gi", ports=[(31000, 31009)],
                              attributes={"rack": "r1", "level": "1.5"},
                              domain={"region": "eu", "zone": "eu-1"})], seed=0, **kwargs)


def test_drf_paper_example_gives_the_papers_result() -> None:
    """Ghodsi et al., NSDI 2011, § 4.1: A gets 3 tasks, B 2, both dominant shares 2/3."""
    cluster = drf_paper_example()
    a, b = cluster.tasks("A"), cluster.tasks("B")
    assert (len(a), len(b)) == (3, 2)
    assert sum(t.resources.cpus for t in a) == 3 and sum(t.resources.mem for t in a) == 12 * 1024
    assert sum(t.resources.cpus for t in b) == 6 and sum(t.resources.mem for t in b) == 2 * 1024
    assert cluster.shares() == pytest.approx({"A": 2 / 3, "B": 2 / 3})
    assert all(t.state == TASK_RUNNING for t in a + b)


def test_offer_carries_the_agents_free_resources_attributes_and_domain() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=decline(5)))
    cluster.run(until=0.5)
    (offer,) = fw.offers
    assert (offer.cpus, offer.mem, offer.disk) == (4, 8192, 10240)
    assert offer.ports == ((31000, 31009),)
    assert offer.hostname == "a1" and offer.agent_id == "S0"
    assert offer.to_dict()["attributes"] == {"rack": "r1", "level": "1.5"}
    assert offer.domain == {"region": "eu", "zone": "eu-1"}
    record = cluster.offers[0]
    assert (record.framework, record.outcome, record.refuse_seconds) == ("rec", "declined", 5)


def test_refusal_filter_holds_for_refuse_seconds() -> None:
    """HierarchicalAllocatorTest.OfferFilter: a filter longer than the interval blocks the
    rounds before it expires; the round at its expiry instant offers again."""
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=decline(10)))
    cluster.run(until=25)
    assert [o.time for o in fw.offers] == [0, 10, 20]


def test_refusal_filter_lasts_at_least_one_allocation_interval() -> None:
    """MESOS-4302: a filter shorter than the interval still covers the next round."""
    cluster = one_agent(allocation_interval=2.0)
    fw = cluster.register(Recorder(answer=decline(0.5)))
    cluster.run(until=7)
    assert [o.time for o in fw.offers] == [0, 4]


def test_small_offer_filter_timeout() -> None:
    """HierarchicalAllocatorTest.SmallOfferFilterTimeout: with a 60 s interval, framework2's
    1 s filter still applies in the next round, so framework1 gets the agent although its
    share is larger; once framework1 declines without a filter, framework2 gets it back."""
    small = {"cpu": 1, "memory": "512Mi"}
    cluster = MesosCluster([Node("agent1", **small)], seed=0, allocation_interval=60)

    def take_all_then_decline(fw: Recorder, offer: Offer) -> None:
        if len(fw.offers) == 1:
            fw.driver.accept([offer.id], [TaskInfo("t", resources={"cpus": 1, "mem": 512})])
        else:
            fw.driver.decline([offer.id], refuse_seconds=0)

    framework1 = cluster.register(Recorder("framework1", answer=take_all_then_decline))
    cluster.run(until=0.5)
    framework2 = cluster.register(Recorder("framework2", answer=decline(1)))
    cluster.add_agent(Node("agent2", **small))
    cluster.run(until=130)
    agent2 = [(r.time, r.framework) for r in cluster.offers if r.hostname == "agent2"]
    assert agent2 == [(0.5, "framework2"), (60, "framework1"), (120, "framework2")]
    assert len(framework1.offers) == 2 and len(framework2.offers) == 2


def test_zero_refuse_seconds_means_no_filter() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=decline(0)))
    cluster.run(until=3.5)
    assert [o.time for o in fw.offers] == [0, 1, 2, 3]


def test_filter_lifts_when_more_is_free_than_was_refused() -> None:
    """RefusedOfferFilter filters only offers the refused resources contain."""
    cluster = one_agent()

    def answer(fw: Recorder, offer: Offer) -> None:
        if len(fw.offers) == 1:
            fw.driver.accept([offer.id], [TaskInfo("t1", resources={"cpus": 2, "mem": 1024},
                                                   run_seconds=3)], refuse_seconds=100)
        else:
            fw.driver.decline([offer.id], refuse_seconds=100)

    fw = cluster.register(Recorder(answer=answer))
    cluster.run(until=8)
    # Unused 2 cpus were refused for 100 s; when t1 finishes (t=4) 4 cpus are free: more than
    # was refused, so that instant's round offers them.
    assert [o.time for o in fw.offers] == [0, 4]
    assert fw.offers[1].cpus == 4


def test_accept_launches_and_returns_the_rest() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=launch_once(
        resources={"cpus": 1, "mem": 512, "ports": [(31000, 31000)]}, startup_seconds=2,
        run_seconds=10)))
    other = cluster.register(Recorder("other", answer=decline(5)))
    cluster.run(until=1.5)
    assert fw.states("t1") == [(0, TASK_STARTING)]
    # At t=1 the other framework is offered what t1 left: 3 cpus, 7.5 GiB, ports 31001-31009.
    assert other.offers[0].cpus == 3 and other.offers[0].mem == 8192 - 512
    assert other.offers[0].ports == ((31001, 31009),)
    cluster.run()
    assert fw.states("t1") == [(0, TASK_STARTING), (2, TASK_RUNNING), (12, TASK_FINISHED)]
    assert cluster.tasks("rec")[0].state == TASK_FINISHED
    assert cluster.offers[0].tasks == ["t1"] and cluster.offers[0].outcome == "accepted"


def test_task_larger_than_the_offer_is_a_task_error() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=launch_once(resources={"cpus": 8, "mem": 1})))
    cluster.run(until=0.5)
    (update,) = fw.updates
    assert (update.state, update.reason) == (TASK_ERROR, "REASON_TASK_INVALID")
    assert cluster.tasks() == []


def test_duplicate_task_id_is_a_task_error() -> None:
    cluster = one_agent()

    def answer(fw: Recorder, offer: Offer) -> None:
        task = {"resources": {"cpus": 1, "mem": 64}}
        fw.driver.accept([offer.id], [TaskInfo("same", **task), TaskInfo("same", **task)])

    fw = cluster.register(Recorder(answer=answer))
    cluster.run(until=0.5)
    assert [u.state for u in fw.updates] == [TASK_ERROR, TASK_STARTING]
    assert len(cluster.tasks()) == 1


def test_task_group_launches_all_or_nothing() -> None:
    cluster = one_agent()

    def answer(fw: Recorder, offer: Offer) -> None:
        group = [TaskInfo("web", resources={"cpus": 2, "mem": 64}),
                 TaskInfo("sidecar", resources={"cpus": 3, "mem": 64})]
        fw.driver.accept([offer.id], [LaunchGroup(group)])

    fw = cluster.register(Recorder(answer=answer))
    cluster.run(until=0.5)
    assert {(u.task_id, u.state, u.reason) for u in fw.updates} == {
        ("web", TASK_ERROR, "REASON_TASK_GROUP_INVALID"),
        ("sidecar", TASK_ERROR, "REASON_TASK_GROUP_INVALID"),
    }


def test_a_task_group_is_logged_once_with_its_executors_resources_apart() -> None:
    """As Master::_accept logs a LAUNCH_GROUP; the executor's resources had been shown as the
    first task's own. The agent holds tasks and executor, and gets them all back."""
    cluster = one_agent()

    def answer(fw: Recorder, offer: Offer) -> None:
        if len(fw.offers) > 1:
            fw.driver.decline([offer.id])
            return
        group = [TaskInfo("web", resources={"cpus": 1, "mem": 64}, run_seconds=5),
                 TaskInfo("sidecar", resources={"cpus": 0.5, "mem": 32}, run_seconds=5)]
        fw.driver.accept([offer.id], [LaunchGroup(group, executor={"cpus": 0.1, "mem": 32})])

    cluster.register(Recorder(answer=answer))
    cluster.run(until=0.5)
    [launch] = cluster.events.where(reason="TASK_STAGING")
    assert launch.message == ("Launching task group { web, sidecar } of framework rec with "
                              "resources cpus:1.5;mem:96 on agent a1; its executor with "
                              "cpus:0.1;mem:32")
    [agent] = cluster.master.agents.values()
    assert (agent.allocated.cpus, agent.allocated.mem) == (1.6, 128)
    cluster.run(until=10)
    assert not agent.allocated


def test_accepting_an_answered_offer_drops_the_tasks() -> None:
    cluster = one_agent()

    def answer(fw: Recorder, offer: Offer) -> None:
        fw.driver.decline([offer.id])
        fw.driver.accept([offer.id], [TaskInfo("late", resources={"cpus": 1})])

    lost = cluster.register(Recorder(answer=answer))
    cluster.run(until=0.5)
    assert [(u.state, u.reason) for u in lost.updates] == [(TASK_LOST, "REASON_INVALID_OFFERS")]
    aware = cluster.register(Recorder("aware", answer=answer, partition_aware=True))
    cluster.run(until=3)
    assert [u.state for u in aware.updates] == [TASK_DROPPED]


def test_crash_on_start_and_crash_later() -> None:
    cluster = one_agent()

    def answer(fw: Recorder, offer: Offer) -> None:
        if len(fw.offers) == 1:
            fw.driver.accept([offer.id], [
                TaskInfo("bad", resources={"cpus": 1}, fail_probability=1.0),
                TaskInfo("flaky", resources={"cpus": 1}, fail_after_seconds=5),
            ])
        else:
            fw.driver.decline([offer.id])

    fw = cluster.register(Recorder(answer=answer))
    cluster.run()
    assert fw.states("bad") == [(0, TASK_STARTING), (1, TASK_FAILED)]
    assert fw.states("flaky") == [(0, TASK_STARTING), (1, TASK_RUNNING), (6, TASK_FAILED)]


def test_kill_task_frees_its_resources() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=launch_once(resources={"cpus": 4, "mem": 8192})))
    cluster.run(until=3)
    fw.driver.kill_task("t1")
    assert fw.updates[-1].state == TASK_KILLED
    assert cluster.agents[0].available.cpus == 4 - 0   # no outstanding offer either
    cluster.run(until=12)
    assert fw.offers[-1].cpus == 4


@pytest.mark.parametrize(("stop", "grace", "killed_after"), [
    (0, None, 0),      # the process exits at SIGTERM
    (2, None, 2),      # it takes 2 s to exit, within the executor's default 3 s
    (10, None, 3),     # it ignores SIGTERM: SIGKILL after the default grace period
    (10, 5, 5),        # ... after the task's own KillPolicy grace period
])
def test_a_killed_running_task_is_killing_until_its_process_exits(
        stop: float, grace: float | None, killed_after: float) -> None:
    """``CommandExecutor::kill`` (apache/mesos ``src/launcher/executor.cpp``): TASK_KILLING
    for a framework with the TASK_KILLING_STATE capability, then TASK_KILLED when the
    process exits, at SIGKILL after the grace period at the latest; the task holds its
    resources until then."""
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=launch_once(
        resources={"cpus": 4, "mem": 8192}, stop_seconds=stop, kill_grace_seconds=grace),
        task_killing_state=True))
    cluster.run(until=3)
    fw.driver.kill_task("t1")
    fw.driver.kill_task("t1")      # a repeated kill changes nothing
    if killed_after:
        assert cluster.agents[0].available.cpus == 0
    cluster.run(until=20)
    assert fw.states("t1")[2:] == [(3, TASK_KILLING), (3 + killed_after, TASK_KILLED)]
    assert cluster.agents[0].available.cpus == 4 or fw.offers[-1].cpus == 4


def _killed_through_a_partition(back_at: float, kill_again: bool) -> Recorder:
    """A task killed at 3 s (its process would take 200 s, its grace is 200 s), its agent
    lost at once (unreachable at 78 s) and back at ``back_at``."""
    cluster = one_agent()
    answer = launch_once(resources=SMALL, stop_seconds=200, kill_grace_seconds=200)
    fw = cluster.register(Recorder(answer=answer, partition_aware=True,
                                   task_killing_state=True))
    cluster.run(until=3)
    fw.driver.kill_task("t1")
    cluster.fail_agent("a1")
    cluster.run(until=back_at)
    cluster.recover_agent("a1")
    if kill_again:
        fw.driver.kill_task("t1")
    cluster.run(until=400)
    return fw


@pytest.mark.parametrize("kill_again", [False, True])
def test_an_executor_keeps_killing_through_a_partition(kill_again: bool) -> None:
    """The executor runs on the agent, cut off or not: the agent re-registers its task as
    TASK_KILLING, and the task is killed 200 s after the first kill; a second kill changes
    nothing (``CommandExecutor::kill``: ``launched && !killed``)."""
    fw = _killed_through_a_partition(100, kill_again)
    assert fw.states("t1")[2:] == [(3, TASK_KILLING), (78, TASK_UNREACHABLE),
                                   (100, TASK_KILLING), (203, TASK_KILLED)]


def test_a_task_killed_while_its_agent_is_away_is_reported_when_it_returns() -> None:
    """The process exited at 203 s on the unreachable agent; the agent's status update
    manager resends TASK_KILLED when it re-registers."""
    fw = _killed_through_a_partition(250, False)
    assert fw.states("t1")[2:] == [(3, TASK_KILLING), (78, TASK_UNREACHABLE),
                                   (250, TASK_KILLED)]


def test_a_framework_without_the_capability_hears_no_task_killing() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=launch_once(resources=SMALL, stop_seconds=10)))
    cluster.run(until=3)
    fw.driver.kill_task("t1")
    cluster.run(until=20)
    assert fw.states("t1")[2:] == [(6, TASK_KILLED)]


def test_a_task_that_finishes_while_being_killed_is_finished() -> None:
    """``CommandExecutor::reaped``: an exit status of 0 is TASK_FINISHED even after a kill."""
    cluster = one_agent()
    answer = launch_once(resources=SMALL, run_seconds=4, stop_seconds=10)
    fw = cluster.register(Recorder(answer=answer, task_killing_state=True))
    cluster.run(until=3)
    fw.driver.kill_task("t1")
    cluster.run(until=20)
    assert fw.states("t1")[2:] == [(3, TASK_KILLING), (5, TASK_FINISHED)]


def test_a_task_killed_while_it_starts_hears_no_task_killing() -> None:
    """A task its executor has not launched yet is killed at once, during launch."""
    cluster = one_agent()
    answer = launch_once(resources=SMALL, startup_seconds=5, stop_seconds=10)
    fw = cluster.register(Recorder(answer=answer, task_killing_state=True))
    cluster.run(until=2)
    fw.driver.kill_task("t1")
    assert fw.updates[-1].state == TASK_KILLED
    assert fw.updates[-1].reason == "REASON_TASK_KILLED_DURING_LAUNCH"


def test_an_executors_update_carries_its_agents_address() -> None:
    """``Slave::statusUpdate`` fills in the agent's IP as the network address of a task on
    the host's network; an update the master makes itself has none."""
    cluster = MesosCluster([Node("a1", cpu=4, memory="8Gi", address="10.0.0.7")], seed=0)
    fw = cluster.register(Recorder(answer=launch_once(resources=SMALL)))
    cluster.run(until=3)
    cluster.fail_agent("a1")
    cluster.run(until=200)
    assert [(u.state, u.ip_addresses) for u in fw.updates] == [
        (TASK_STARTING, ("10.0.0.7",)), (TASK_RUNNING, ("10.0.0.7",)), (TASK_LOST, ())]


def test_agent_failure_rescinds_offers_then_loses_tasks() -> None:
    nodes = Node.many(2, cpu=2, memory="2Gi")
    cluster = MesosCluster(nodes, seed=0)

    def hold_or_launch(fw: Recorder, offer: Offer) -> None:
        if offer.hostname == "node-1":
            fw.driver.accept([offer.id], [TaskInfo(f"t-{fw.name}", resources={"cpus": 1})])
        # offers of node-2 are held, never answered

    plain = cluster.register(Recorder("plain", answer=hold_or_launch))
    cluster.run(until=0.5)
    cluster.fail_agent("node-2")
    assert [cluster.offers[i].outcome for i in range(len(cluster.offers))
            if cluster.offers[i].hostname == "node-2"] == ["rescinded"]
    assert plain.rescinded == [o.id for o in plain.offers if o.hostname == "node-2"]
    cluster.fail_agent("node-1")
    cluster.run(until=74)
    assert plain.states("t-plain")[-1][1] == TASK_RUNNING
    cluster.run(until=76)
    last = plain.updates[-1]
    assert (last.state, last.reason, last.source) == (TASK_LOST, "REASON_AGENT_REMOVED",
                                                     "SOURCE_MASTER")
    assert plain.lost_agents == ["S1", "S0"]   # in the order they failed
    assert cluster.snapshot().nodes[0].status == "Unreachable"
    assert cluster.master.allocator.role_sorter.total() == {}


def test_partition_aware_framework_hears_task_unreachable() -> None:
    cluster = MesosCluster([Node("n1", cpu=1, memory="1Gi")], seed=0,
                           agent_unreachable_seconds=10)
    fw = cluster.register(Recorder(answer=launch_once(resources={"cpus": 1}),
                                   partition_aware=True))
    cluster.run(until=2)
    cluster.fail_agent("n1")
    cluster.run(until=11.9)
    assert fw.updates[-1].state == TASK_RUNNING
    cluster.run(until=12.1)
    assert fw.updates[-1].state == TASK_UNREACHABLE
    assert fw.lost_agents == ["S0"]
    assert cluster.tasks()[0].state == TASK_UNREACHABLE


def test_disconnected_agent_that_returns_keeps_its_tasks() -> None:
    cluster = MesosCluster([Node("n1", cpu=1, memory="1Gi")], seed=0)
    fw = cluster.register(Recorder(answer=launch_once(resources={"cpus": 1})))
    cluster.run(until=2)
    cluster.fail_agent("n1")
    cluster.run(until=30)
    cluster.recover_agent("n1")
    cluster.run(until=200)
    assert fw.updates[-1].state == TASK_RUNNING
    with pytest.raises(ValueError, match="not failed"):
        cluster.recover_agent("n1")
    with pytest.raises(ValueError, match="no agent named 'nope'"):
        cluster.fail_agent("nope")


@pytest.mark.parametrize("back_at", [3, 8])   # still disconnected; already unreachable
def test_a_rebooted_agent_keeps_its_id_and_none_of_its_tasks(back_at) -> None:
    """agent-recovery.md: after a reboot the agent recovers its previous ID, and its tasks,
    killed with the host, are not restarted; asked to reconcile them, it answers
    TASK_DROPPED (partition-aware) or TASK_LOST. It had come back as a new agent, or (back
    before it was unreachable) with its tasks still running."""
    cluster = MesosCluster([Node("n1", cpu=2, memory="1Gi")], seed=0,
                           agent_unreachable_seconds=5)
    aware = cluster.register(Recorder("aware", answer=launch_once(resources={"cpus": 1}),
                                      partition_aware=True))
    plain = cluster.register(Recorder("plain", answer=launch_once(resources={"cpus": 1})))
    cluster.run(until=2)
    cluster.fail_agent("n1")
    cluster.run(until=back_at)
    agent = cluster.recover_agent("n1", rebooted=True)
    assert agent.id == "S0" and agent.state == "active" and len(cluster.master.agents) == 1
    last = aware.updates[-1]
    assert (last.state, last.reason, last.source) == (TASK_DROPPED, "REASON_RECONCILIATION",
                                                      "SOURCE_SLAVE")
    assert plain.updates[-1].state == TASK_LOST
    assert agent.allocated.cpus == 0 and cluster.shares() == {"aware": 0, "plain": 0}


def test_healed_partition_brings_partition_aware_tasks_back() -> None:
    cluster = MesosCluster([Node("n1", cpu=2, memory="1Gi")], seed=0,
                           agent_unreachable_seconds=5)
    aware = cluster.register(Recorder("aware", answer=launch_once(resources={"cpus": 1}),
                                      partition_aware=True))
    plain = cluster.register(Recorder("plain", answer=launch_once(resources={"cpus": 1})))
    cluster.run(until=2)
    cluster.fail_agent("n1")
    cluster.run(until=8)
    agent = cluster.recover_agent("n1")
    assert agent.id == "S0" and agent.state == "active"
    last = aware.updates[-1]
    assert (last.state, last.reason) == (TASK_RUNNING, "REASON_AGENT_REREGISTERED")
    assert plain.updates[-1].state == TASK_LOST
    assert agent.allocated.cpus == 1 and cluster.shares()["aware"] == 0.5


def test_role_weights_divide_the_cluster() -> None:
    """Role weights (docs/weights.md): weight 2 ends with twice the dominant share."""
    cluster = MesosCluster(Node.many(12, cpu=1, memory="1Gi"), seed=0,
                           weights={"heavy": 2})
    for name, role in (("h", "heavy"), ("l", "light")):
        cluster.register(BatchFramework(name, task_cpus=1, task_mem=64, tasks=20,
                                        run_seconds=None, role=role))
    cluster.run()
    assert (len(cluster.tasks("h")), len(cluster.tasks("l"))) == (8, 4)


def test_roles_are_sorted_before_frameworks() -> None:
    """Hierarchical DRF: two frameworks in one role share that role's half of the cluster."""
    cluster = MesosCluster(Node.many(8, cpu=1, memory="1Gi"), seed=0)
    for name, role in (("x1", "x"), ("x2", "x"), ("y", "y")):
        cluster.register(BatchFramework(name, task_cpus=1, task_mem=64, tasks=20,
                                        run_seconds=None, role=role))
    cluster.run()
    counts = {name: len(cluster.tasks(name)) for name in ("x1", "x2", "y")}
    assert counts == {"x1": 2, "x2": 2, "y": 4}


def test_suppressed_framework_gets_no_offers_until_revive() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=decline(0)))
    cluster.run(until=1.5)
    fw.driver.suppress()
    cluster.run(until=5.5)
    count = len(fw.offers)
    assert count == 2
    fw.driver.revive()
    cluster.run(until=5.6)
    assert len(fw.offers) == count + 1 and fw.offers[-1].time == 5.5


def test_offer_timeout_rescinds_held_offers() -> None:
    cluster = one_agent(offer_timeout=3)
    fw = cluster.register(Recorder())          # never answers
    cluster.run(until=3.5)
    assert fw.rescinded == [fw.offers[0].id]
    assert cluster.offers[0].outcome == "expired"
    cluster.run(until=4.5)
    assert len(fw.offers) == 2


def test_run_without_until_ends_although_a_framework_hoards_offers() -> None:
    cluster = one_agent(offer_timeout=3)
    fw = cluster.register(Recorder())           # never answers
    cluster.run()
    assert len(fw.rescinded) >= 1 and cluster.now < 30


def test_run_without_until_stops_when_nothing_changes() -> None:
    cluster = one_agent()
    cluster.register(Recorder(answer=decline(5)))
    cluster.run()
    assert 5 <= cluster.now <= 20
    with pytest.raises(ValueError, match="in the past"):
        cluster.run(until=1)


def test_same_seed_same_offers() -> None:
    def history(seed: int) -> list[tuple[str, str, str]]:
        cluster = MesosCluster(Node.many(6, cpu=2, memory="2Gi"), seed=seed)
        for name in ("a", "b"):
            cluster.register(BatchFramework(name, task_cpus=1, task_mem=256, tasks=4,
                                            run_seconds=5))
        cluster.run()
        return [(r.framework, r.hostname, r.outcome) for r in cluster.offers]

    assert history(3) == history(3)
    assert len({tuple(history(seed)) for seed in range(4)}) > 1


def test_snapshot_shows_agents_and_tasks() -> None:
    cluster = MesosCluster(Node.many(2, cpu=2, memory="1Gi", zone="z1"), seed=0)
    cluster.register(BatchFramework("batch", task_cpus=1, task_mem=256, tasks=2,
                                    run_seconds=None))
    cluster.run()
    snap = cluster.snapshot()
    assert isinstance(snap, Snapshot) and snap.system == "mesos"
    assert {n.name for n in snap.nodes} == {"node-1", "node-2"}
    assert sum(n.cpu_used for n in snap.nodes) == 2
    assert sum(n.memory_used for n in snap.nodes) == 2 * 256 * 1024 * 1024
    assert all(t.owner == "batch" and t.ready for t in snap.tasks)
    assert snap.nodes[0].zone == "z1"
    cluster.master.kill_task(cluster.frameworks[0].framework_id, "batch-1")
    assert [t.name for t in cluster.snapshot().tasks] == ["batch-2"]


def test_events_use_mesos_wording() -> None:
    cluster = drf_paper_example()
    reasons = {e.reason for e in cluster.events}
    assert {"AgentRegistered", "FrameworkRegistered", "TASK_STAGING", "TASK_RUNNING",
            "ResourceOffer", "OfferAccepted", "OfferDeclined"} <= reasons
    first = [e.reason for e in cluster.events][3:6]
    assert first == ["ResourceOffer", "OfferAccepted", "TASK_STAGING"]


def test_bad_input_gives_clear_errors() -> None:
    with pytest.raises(ValueError, match=r"clustersim\.Node"):
        MesosCluster(["node-1"])
    cluster = one_agent()
    with pytest.raises(ValueError, match=r"takes a clustersim\.mesos\.Framework"):
        cluster.register(object())  # type: ignore[arg-type]
    fw = cluster.register(Recorder())
    with pytest.raises(ValueError, match="already registered"):
        cluster.register(fw)
    with pytest.raises(ValueError, match="already registered"):
        cluster.add_agent(Node("a1", cpu=1, memory="1Gi"))
    with pytest.raises(ValueError, match="fail_probability"):
        TaskInfo("t", fail_probability=2)
    for option, value in (("allocation_interval", 0), ("agent_unreachable_seconds", -1),
                          ("offer_timeout", 0)):
        with pytest.raises(ValueError, match=option):
            MesosCluster([], **{option: value})
    with pytest.raises(ValueError, match="weight"):
        MesosCluster([], weights={"web": -1})


def test_agents_offer_the_default_port_range_when_the_node_names_none() -> None:
    """An agent without a ports resource offers ports:[31000-32000] (DEFAULT_PORTS)."""
    cluster = MesosCluster([Node("n1", cpu=1, memory="1Gi")], seed=0)
    fw = cluster.register(Recorder(answer=decline(5)))
    cluster.run(until=0.5)
    assert fw.offers[0].ports == ((31000, 32000),)


def test_driver_takes_one_offer_or_its_id() -> None:
    cluster = one_agent()

    def answer(fw: Recorder, offer: Offer) -> None:
        if len(fw.offers) == 1:
            fw.driver.accept(offer, [TaskInfo("t1", resources={"cpus": 1})])
        else:
            fw.driver.decline(offer.id)

    fw = cluster.register(Recorder(answer=answer))
    cluster.run(until=8)
    assert [r.outcome for r in cluster.offers] == ["accepted", "declined"]
    assert fw.updates[0].state == TASK_STARTING


def test_task_for_another_agent_is_a_task_error() -> None:
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=launch_once(resources={"cpus": 1}, agent_id="S9")))
    cluster.run(until=0.5)
    (update,) = fw.updates
    assert update.state == TASK_ERROR and "agent S9" in update.message


def test_launch_tasks_is_accept_with_one_launch() -> None:
    """``launchTasks`` of the old driver API (scheduler.hpp)."""
    cluster = one_agent()
    fw = cluster.register(Recorder(answer=lambda fw, offer: fw.driver.launch_tasks(
        [offer.id], [TaskInfo(f"t{len(fw.offers)}", resources={"cpus": 1})])))
    cluster.run(until=0.5)
    assert [u.task_id for u in fw.updates] == ["t1"]


def test_the_framework_interface_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The example in clustersim.mesos.framework's docstring stays true."""
    import textwrap

    from clustersim.mesos import framework

    doc = framework.__doc__ or ""
    code = textwrap.dedent(doc.split("launched three::", 1)[1].split("\nA plain", 1)[0])
    exec(compile(code, "framework-example", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "16.0 t3 TASK_FINISHED"
    assert sum("TASK_FINISHED" in line for line in lines) == 3


def test_framework_registering_while_an_agent_is_disconnected() -> None:
    cluster = MesosCluster(Node.many(2, cpu=1, memory="1Gi"), seed=0,
                           agent_unreachable_seconds=5)
    cluster.fail_agent("node-1")
    late = cluster.register(Recorder("late", role="new-role", answer=decline(1)))
    cluster.run(until=10)
    assert {o.hostname for o in late.offers} == {"node-2"}
    assert cluster.agents[0].state == "unreachable"


def test_state_summarises_agents_and_frameworks() -> None:
    cluster = one_agent()
    cluster.register(Recorder("runner", answer=launch_once(resources={"cpus": 1, "mem": 256})))
    holder = cluster.register(Recorder("holder"))      # keeps what it is offered
    cluster.run(until=6.5)
    state = cluster.state()
    (agent,) = state["agents"]
    assert agent["used_resources"] == {"cpus": 1, "mem": 256}
    assert agent["offered_resources"]["cpus"] == 3
    runner, held = state["frameworks"]
    assert (runner["name"], runner["tasks"], runner["used_resources"]["cpus"]) == ("runner", 1, 1)
    assert held["offered_resources"]["cpus"] == 3 and len(holder.offers) == 1
    assert held["share"] == 1.0   # it holds all of the agent's disk


def test_the_share_history_keeps_only_the_newest_changes(monkeypatch) -> None:
    """A real master keeps no history of dominant shares (its allocator's gauge shows the
    share now); the simulator's record of them, kept for the DRF lab's chart, grew by one
    entry each round that changed a share, for as long as the cluster ran. It keeps the last
    MAX_RECORDED_OFFERS, here lowered to 16 so that Marathon scaled up and down outgrows it."""
    from clustersim import marathon

    monkeypatch.setattr("clustersim.mesos.master.MAX_RECORDED_OFFERS", 16)
    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    framework = cluster.register(marathon.Marathon())
    framework.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 128})
    cluster.run(until=60)
    for minute in range(2, 42):
        framework.scale("/web", 3 if minute % 2 else 2)
        cluster.run(until=60 * minute)
    history = cluster.master.share_history
    assert 16 <= len(history) <= 16 + 16 // 8
    assert history[-1][1] == {"marathon": round(cluster.shares()["marathon"], 6)}
    assert history[0][0] > 60 * 20      # the oldest were let go
