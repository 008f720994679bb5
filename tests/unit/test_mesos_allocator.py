"""The hierarchical allocator against cases of apache/mesos
``src/tests/hierarchical_allocator_tests.cpp`` (each test names the upstream one).

Frameworks here hold their offers (never answer) unless a test says otherwise, as the
upstream tests hold allocations until they call ``recoverResources``.
"""

from __future__ import annotations

from clustersim import Node
from clustersim.mesos import Framework, MesosCluster, Offer


class Holder(Framework):
    """Keeps every offer; optionally gives each back at once with no filter."""

    def __init__(self, name: str, role: str, give_back: bool = False) -> None:
        super().__init__(name, role)
        self.give_back = give_back
        self.offers: list[Offer] = []

    def resource_offers(self, offers: list[Offer]) -> None:
        self.offers.extend(offers)
        if self.give_back:
            assert self.driver is not None
            self.driver.decline([o.id for o in offers], refuse_seconds=0)


def agent(name: str, cpus: float, mem_mib: int) -> Node:
    return Node(name, cpu=cpus, memory=f"{mem_mib}Mi")


def last_offer_of(cluster: MesosCluster, hostname: str) -> str:
    return [r.framework for r in cluster.offers if r.hostname == hostname][-1]


def test_unreserved_drf() -> None:
    """UnreservedDRF: each new agent goes whole to the framework of the role with the lowest
    share, and within that role to the framework with the lowest share."""
    cluster = MesosCluster([agent("slave1", 2, 1024)], seed=0, allocation_interval=3600)
    steps = [
        # (new frameworks (name, role), new agent, framework expected to get the agent)
        ([("framework1", "role1")], None, ("slave1", "framework1")),
        ([("framework2", "role2")], agent("slave2", 1, 512), ("slave2", "framework2")),
        ([], agent("slave3", 3, 2048), ("slave3", "framework2")),
        ([("framework3", "role1")], agent("slave4", 4, 4096), ("slave4", "framework3")),
        # framework4 holds nothing, but role2 is below role1: framework2 gets it.
        ([("framework4", "role1")], agent("slave5", 1, 512), ("slave5", "framework2")),
    ]
    for time, (frameworks, node, (hostname, expected)) in enumerate(steps):
        for name, role in frameworks:
            cluster.register(Holder(name, role))
        if node is not None:
            cluster.add_agent(node)
        cluster.run(until=time + 0.5)
        assert last_offer_of(cluster, hostname) == expected
    assert cluster.shares()["framework2"] == 5 / 11   # 5 of the 11 cpus


def test_coarse_grained() -> None:
    """CoarseGrained: with two agents and two frameworks each gets one whole agent."""
    cluster = MesosCluster([agent("slave1", 2, 1024), agent("slave2", 2, 1024)], seed=0,
                           allocation_interval=3600)
    first = cluster.register(Holder("framework1", "role1", give_back=True))
    cluster.run(until=0.5)
    assert sorted(o.hostname for o in first.offers) == ["slave1", "slave2"]
    first.give_back = False
    second = cluster.register(Holder("framework2", "role2"))
    cluster.run(until=1)
    assert len(first.offers) == 3 and len(second.offers) == 1
    assert {first.offers[-1].hostname, second.offers[0].hostname} == {"slave1", "slave2"}


def test_same_share_fairness() -> None:
    """SameShareFairness: equal shares alternate by allocation count, 5 and 5 of 10."""
    cluster = MesosCluster([agent("slave", 2, 1024)], seed=0)
    one = cluster.register(Holder("framework1", "*", give_back=True))
    two = cluster.register(Holder("framework2", "*", give_back=True))
    cluster.run(until=9.5)
    assert len(cluster.offers) == 10
    assert (len(one.offers), len(two.offers)) == (5, 5)


def test_allocatable() -> None:
    """Allocatable: resources below both 0.01 cpus and 32 MiB are not offered."""
    cluster = MesosCluster(seed=0)
    framework = cluster.register(Holder("framework", "role1"))
    cluster.add_agent(Node("slave1", cpu=0.005, memory="16Mi", disk="128Mi"))
    cluster.add_agent(Node("slave2", cpu=0.01, memory="16Mi", disk="128Mi"))
    cluster.add_agent(Node("slave3", cpu=0.005, memory="32Mi", disk="128Mi"))
    cluster.run(until=0.5)
    assert sorted(o.hostname for o in framework.offers) == ["slave2", "slave3"]


def test_gpu_agents_only_go_to_gpu_capable_frameworks() -> None:
    """hierarchical.cpp (MESOS-5634) and docs/gpu-support.md: an agent with GPUs is offered
    only to frameworks with the GPU_RESOURCES capability."""
    cluster = MesosCluster([Node("gpu", cpu=4, memory="4Gi",
                                 extended_resources={"nvidia.com/gpu": 1}),
                            agent("plain", 4, 4096)], seed=0)
    plain = cluster.register(Holder("plain-fw", "a"))
    cluster.run(until=0.5)
    assert [o.hostname for o in plain.offers] == ["plain"]
    capable = Holder("gpu-fw", "b")
    capable.gpu_resources = True
    cluster.register(capable)
    cluster.run(until=1)
    assert [(o.hostname, o.resources.get("gpus")) for o in capable.offers] == [("gpu", 1)]


class Decliner(Framework):
    """Declines every offer with a long filter; ``revive()`` at a time of the test's choice."""

    def __init__(self) -> None:
        super().__init__("decliner", "role1")
        self.offers: list[Offer] = []

    def resource_offers(self, offers: list[Offer]) -> None:
        self.offers.extend(offers)
        assert self.driver is not None
        self.driver.decline([o.id for o in offers], refuse_seconds=100)


def test_revive_is_offered_again_after_idle_rounds() -> None:
    """ReviveOffers (hierarchical_allocator_tests.cpp): a revive clears the framework's
    filters, so the agent is offered again at once, even after rounds that offered nothing
    (rounds the allocator skips as idle)."""
    cluster = MesosCluster([agent("slave1", 2, 1024)], seed=0)
    framework = cluster.register(Decliner())
    cluster.run(until=10.5)
    assert [o.time for o in framework.offers] == [0.0]
    assert framework.driver is not None
    framework.driver.revive()
    cluster.run(until=11.5)
    assert [o.time for o in framework.offers] == [0.0, 10.5]


def test_filter_expiry_is_offered_again_after_idle_rounds() -> None:
    """OfferFilter: once the refusal filter expires (100 s) the agent is offered again in
    the round of that instant (armed after the refusal), after 99 rounds that offered
    nothing."""
    cluster = MesosCluster([agent("slave1", 2, 1024)], seed=0)
    framework = cluster.register(Decliner())
    cluster.run(until=100.5)
    assert [o.time for o in framework.offers] == [0.0, 100.0]
