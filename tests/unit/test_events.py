"""The simulators' event log (clustersim.sim.events): it keeps the last MAX_LOGGED_EVENTS
of a long run driven from Python in every simulator, and numbers its events so that a reader
that remembers how far it read goes on from there after the oldest are dropped."""

from __future__ import annotations

import pytest

import clustersim.mesos.master
import clustersim.sim.events
from clustersim import Node, marathon
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.mesos import Framework, MesosCluster, Offer
from clustersim.sim import EventLog

CAP = 300
"""The cap these tests lower MAX_LOGGED_EVENTS to, so that a short run outgrows it."""


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clustersim.sim.events, "MAX_LOGGED_EVENTS", CAP)  # KeptRecord's too
    monkeypatch.setattr(clustersim.mesos.master, "MAX_RECORDED_OFFERS", CAP)  # the master's


def _bounded(log: EventLog) -> None:
    assert log.dropped > 0 and CAP <= len(log) <= CAP + CAP // 8
    assert log.recorded == log.dropped + len(log)


def test_numbers_stay_with_their_events_when_the_oldest_go(small_cap: None) -> None:
    log = EventLog("kubernetes")
    for i in range(1000):
        log.record(i, f"pod/p{i}", "Started", "Started container")
    _bounded(log)
    assert log.numbered(999) is log[-1] and log[-1].object == "pod/p999"
    assert log.numbered(log.dropped) is log[0] and log.numbered(log.dropped - 1) is None
    assert log.numbered(1000) is None
    assert [(n, e.object) for n, e in log.since(997)] == [
        (997, "pod/p997"), (998, "pod/p998"), (999, "pod/p999")]
    assert log.since(0) == list(enumerate(log, log.dropped))    # what is left
    assert log.since(1000) == []


def test_a_kubernetes_crash_loop_keeps_the_newest_events(small_cap: None) -> None:
    """Pods whose containers exit a second after they start, for a simulated hour: the log
    had kept every event of a lab's run, however long."""
    cluster = KubernetesCluster(default_nodes(3), seed=0)
    cluster.fail_image("bad:1", after=1)
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"},
                   "spec": {"replicas": 20, "selector": {"matchLabels": {"app": "w"}},
                            "template": {"metadata": {"labels": {"app": "w"}}, "spec": {
                                "containers": [{"name": "c", "image": "bad:1"}]}}}})
    cluster.run(until=3600)
    _bounded(cluster.events)
    assert cluster.events[0].time > 300 and cluster.events[-1].time > 3000


class _Decliner(Framework):
    """Declines every offer with no refusal filter: offered again every round."""

    def resource_offers(self, offers: list[Offer]) -> None:
        assert self.driver is not None
        self.driver.decline([o.id for o in offers], refuse_seconds=0)


def test_a_mesos_master_offering_every_second_keeps_the_newest_events(
        small_cap: None) -> None:
    cluster = MesosCluster(Node.many(3, cpu=4, memory="8Gi"), seed=0)
    cluster.register(_Decliner("decliner"))
    cluster.run(until=600)
    _bounded(cluster.events)
    assert cluster.events[-1].time > 590


def test_the_offer_history_keeps_the_newest_offers(small_cap: None) -> None:
    """The master's record of its offers (``cluster.offers``) had kept every offer of a
    week's allocation rounds too."""
    cluster = MesosCluster(Node.many(3, cpu=4, memory="8Gi"), seed=0)
    cluster.register(_Decliner("decliner"))
    cluster.run(until=600)
    assert CAP <= len(cluster.offers) <= CAP + CAP // 8
    assert cluster.offers[0].time > 400 and cluster.offers[-1].time > 590
    assert {r.outcome for r in cluster.offers[:-3]} == {"declined"}


def test_the_offer_and_share_records_keep_fewer_than_an_event_log() -> None:
    """A real master keeps no record of its offers nor of its shares, and the labs read a
    few hundred: they kept MAX_LOGGED_EVENTS, 50,000, about 68 MiB of a long Marathon run
    (benchmarks/logged_records.py); they keep MAX_RECORDED_OFFERS now, while the event log
    of the same run keeps its 50,000. 25 agents offered every second outgrow it in 500 s."""
    from clustersim.limits import MAX_LOGGED_EVENTS, MAX_RECORDED_OFFERS

    cluster = MesosCluster(Node.many(25, cpu=4, memory="8Gi"), seed=0)
    cluster.register(_Decliner("decliner"))
    cluster.run(until=500)
    assert MAX_RECORDED_OFFERS <= len(cluster.offers) <= MAX_RECORDED_OFFERS * 9 // 8
    assert len(cluster.events) > len(cluster.offers) and len(cluster.events) < MAX_LOGGED_EVENTS
    assert cluster.master.share_history.keep == MAX_RECORDED_OFFERS


def test_marathon_relaunching_an_unhealthy_app_keeps_the_newest_events(
        small_cap: None) -> None:
    cluster = MesosCluster(Node.many(3, cpu=4, memory="8Gi", ports=[(31000, 32000)]), seed=0)
    framework = cluster.register(marathon.Marathon())
    framework.deploy({"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 16, "instances": 5,
                      "healthChecks": [{"protocol": "HTTP", "gracePeriodSeconds": 5,
                                        "intervalSeconds": 5, "maxConsecutiveFailures": 1}]})
    cluster.run(until=30)
    framework.set_health("/web", False)
    cluster.run(until=3600)
    _bounded(framework.events)


def test_a_kept_record_stays_bounded_however_items_are_added() -> None:
    """A KeptRecord held its bound through ``append`` only: ``extend`` and ``+=`` grew it
    without end."""
    from clustersim.sim.events import KeptRecord

    record: KeptRecord[int] = KeptRecord()
    record.keep_last(8)
    record.extend(range(100))
    assert list(record) == list(range(92, 100))
    record += range(100, 200)
    assert isinstance(record, KeptRecord) and list(record) == list(range(192, 200))
