"""The DRF sorter against the cases of apache/mesos ``src/tests/sorter_tests.cpp``.

Each test names the upstream ``TEST(SorterTest, …)`` it ports. Resources are written in
Mesos' text syntax as upstream writes them; the agent is ``agentId`` as upstream.
"""

from __future__ import annotations

import pytest

from clustersim.mesos import DRFSorter, Resources

AGENT = "agentId"


def _sorter(total: str = "cpus:100;mem:100") -> DRFSorter:
    sorter = DRFSorter()
    sorter.add_agent(AGENT, total)
    return sorter


def _client(sorter: DRFSorter, name: str, allocation: str | None = None) -> None:
    sorter.add(name)
    sorter.activate(name)
    if allocation:
        sorter.allocated(name, AGENT, allocation)


# SorterTest.DRFSorter, SorterTest.ShallowHierarchy and SorterTest.DeepHierarchy run the
# same sequence; the hierarchy variants nest each client name at some depth.
NAMINGS = {
    "DRFSorter": {c: c for c in "abcdef"},
    "ShallowHierarchy": {c: f"{c}/{c}" for c in "abcdef"},
    "DeepHierarchy": {"a": "a/a/a/a/a", "b": "b/b/b/b", "c": "c/c/c", "d": "d/d",
                      "e": "e/e/e/e/e/e", "f": "f/f"},
}


@pytest.mark.parametrize("naming", list(NAMINGS))
def test_drf_sorter_sequence(naming: str) -> None:
    n = NAMINGS[naming]
    sorter = _sorter()
    assert sorter.sort() == []
    _client(sorter, n["a"], "cpus:5;mem:5")
    _client(sorter, n["b"], "cpus:6;mem:6")
    assert sorter.sort() == [n["a"], n["b"]]            # a = .05, b = .06
    _client(sorter, n["c"], "cpus:1;mem:1")
    _client(sorter, n["d"], "cpus:3;mem:1")
    assert sorter.sort() == [n["c"], n["d"], n["a"], n["b"]]
    sorter.remove(n["a"])
    sorter.unallocated(n["b"], AGENT, "cpus:4;mem:4")
    assert sorter.sort() == [n["c"], n["b"], n["d"]]    # b = .02, c = .01, d = .03
    _client(sorter, n["e"], "cpus:1;mem:5")
    sorter.remove_agent(AGENT, "cpus:50;mem:0")         # total is now cpus 50, mem 100
    assert sorter.sort() == [n["c"], n["b"], n["e"], n["d"]]
    sorter.add_agent(AGENT, "cpus:0;mem:100")            # total is now cpus 50, mem 200
    _client(sorter, n["f"], "cpus:5;mem:1")
    sorter.allocated(n["c"], AGENT, "cpus:0;mem:15")
    assert sorter.sort() == [n["e"], n["b"], n["d"], n["c"], n["f"]]
    assert sorter.contains(n["b"])
    assert not sorter.contains(n["a"])
    assert sorter.count() == 5
    sorter.deactivate(n["d"])
    assert sorter.contains(n["d"])
    assert sorter.sort() == [n["e"], n["b"], n["c"], n["f"]]
    assert sorter.count() == 5
    sorter.activate(n["d"])
    assert sorter.sort() == [n["e"], n["b"], n["d"], n["c"], n["f"]]


def test_wdrf_sorter() -> None:
    """SorterTest.WDRFSorter."""
    sorter = _sorter()
    _client(sorter, "a", "cpus:5;mem:5")
    sorter.add("b")
    sorter.activate("b")
    sorter.update_weight("b", 2)
    sorter.allocated("b", AGENT, "cpus:6;mem:6")
    assert sorter.sort() == ["b", "a"]                  # a = .05, b = .03
    _client(sorter, "c", "cpus:4;mem:4")
    assert sorter.sort() == ["b", "c", "a"]
    sorter.add("d")
    sorter.activate("d")
    sorter.update_weight("d", 10)
    sorter.allocated("d", AGENT, "cpus:10;mem:20")
    assert sorter.sort() == ["d", "b", "c", "a"]        # d = .02
    sorter.remove("b")
    assert sorter.sort() == ["d", "c", "a"]
    sorter.allocated("d", AGENT, "cpus:10;mem:25")
    assert sorter.sort() == ["c", "d", "a"]             # d = .045
    sorter.add("e")
    sorter.activate("e")
    sorter.update_weight("e", 0.1)
    sorter.allocated("e", AGENT, "cpus:1;mem:1")
    assert sorter.sort() == ["c", "d", "a", "e"]        # e = .1
    sorter.remove("a")
    assert sorter.sort() == ["c", "d", "e"]


def test_wdrf_sorter_update_weight() -> None:
    """SorterTest.WDRFSorterUpdateWeight."""
    sorter = _sorter()
    _client(sorter, "a", "cpus:5;mem:5")
    _client(sorter, "b", "cpus:6;mem:6")
    assert sorter.sort() == ["a", "b"]
    sorter.update_weight("b", 2)
    assert sorter.sort() == ["b", "a"]


def test_count_allocations() -> None:
    """SorterTest.CountAllocations: equal shares are ordered by allocations made so far."""
    sorter = _sorter()
    for name in "abcde":
        sorter.add(name)
        sorter.activate(name)
    sorter.allocated("a", AGENT, "cpus:3;mem:3")
    sorter.allocated("b", AGENT, "cpus:3;mem:3")
    for _ in range(3):
        sorter.allocated("c", AGENT, "cpus:1;mem:1")
    sorter.allocated("d", AGENT, "cpus:2;mem:2")
    sorter.allocated("d", AGENT, "cpus:1;mem:1")
    sorter.allocated("e", AGENT, "cpus:3;mem:3")
    assert sorter.sort() == ["a", "b", "e", "d", "c"]
    sorter.unallocated("c", AGENT, "cpus:3;mem:3")
    assert sorter.sort() == ["c", "a", "b", "e", "d"]
    sorter.allocated("c", AGENT, "cpus:3;mem:3")
    assert sorter.sort() == ["a", "b", "e", "d", "c"]
    sorter.deactivate("c")
    sorter.activate("c")
    assert sorter.sort() == ["a", "b", "e", "d", "c"]
    sorter.unallocated("c", AGENT, "cpus:3;mem:3")
    sorter.allocated("c", AGENT, "cpus:3;mem:3")
    assert sorter.sort() == ["a", "b", "e", "d", "c"]
    sorter.deactivate("a")
    sorter.unallocated("a", AGENT, "cpus:1;mem:3")
    sorter.allocated("a", AGENT, "cpus:1;mem:3")
    assert sorter.sort() == ["b", "e", "d", "c"]
    sorter.activate("a")
    assert sorter.sort() == ["b", "e", "a", "d", "c"]


def test_hierarchical_allocation() -> None:
    """SorterTest.HierarchicalAllocation (without the ``update`` of a persistent volume)."""
    sorter = _sorter()
    for name in ("a", "b/c", "b/d"):
        _client(sorter, name)
    assert sorter.count() == 3
    assert sorter.contains("a") and sorter.contains("b/c") and sorter.contains("b/d")
    assert not sorter.contains("b")
    assert sorter.sort() == ["a", "b/c", "b/d"]
    sorter.allocated("a", AGENT, "cpus:6;mem:6")
    assert sorter.sort() == ["b/c", "b/d", "a"]
    sorter.allocated("b/c", AGENT, "cpus:4;mem:4")
    sorter.allocated("b/d", AGENT, "cpus:3;mem:3")
    assert sorter.sort() == ["a", "b/d", "b/c"]
    assert sorter.agent_allocation(AGENT) == {
        "a": Resources.parse("cpus:6;mem:6"),
        "b/c": Resources.parse("cpus:4;mem:4"),
        "b/d": Resources.parse("cpus:3;mem:3"),
    }
    assert sorter.allocation("b/c", AGENT) == Resources.parse("cpus:4;mem:4")
    sorter.allocated("a", AGENT, "cpus:2;mem:2")
    assert sorter.sort() == ["b/d", "b/c", "a"]
    _client(sorter, "b/e/f")
    assert not sorter.contains("b/e")
    assert sorter.sort() == ["b/e/f", "b/d", "b/c", "a"]
    sorter.allocated("b/e/f", AGENT, "cpus:3.5;mem:3.5")
    assert sorter.sort() == ["a", "b/d", "b/e/f", "b/c"]
    sorter.remove("b/e/f")
    assert not sorter.contains("b/e/f")
    assert sorter.count() == 3
    assert sorter.sort() == ["b/d", "b/c", "a"]
    sorter.update("b/c", AGENT, "cpus:4;mem:4", "cpus:1;mem:1")
    assert sorter.sort() == ["b/c", "b/d", "a"]
    _client(sorter, "b/e/f", "cpus:3.5;mem:3.5")
    assert sorter.sort() == ["b/c", "b/d", "b/e/f", "a"]
    assert sorter.count() == 4


def test_hierarchical_iteration_order() -> None:
    """SorterTest.HierarchicalIterationOrder."""
    sorter = _sorter()
    for name in ("a/b", "c", "d", "d/e"):
        sorter.add(name)
    for name in ("a/b", "c", "d", "d/e"):
        sorter.activate(name)
    assert sorter.sort() == ["a/b", "c", "d", "d/e"]
    sorter.allocated("c", AGENT, "cpus:8;mem:8")
    assert sorter.sort() == ["a/b", "d", "d/e", "c"]
    sorter.allocated("d", AGENT, "cpus:3;mem:3")
    sorter.allocated("d/e", AGENT, "cpus:2;mem:2")
    assert sorter.sort() == ["a/b", "d/e", "d", "c"]
    sorter.allocated("a/b", AGENT, "cpus:6;mem:6")
    assert sorter.sort() == ["d/e", "d", "a/b", "c"]


def test_add_child_to_leaf() -> None:
    """SorterTest.AddChildToLeaf: "a" competes with "a/c" as a virtual leaf of weight 1."""
    sorter = _sorter()
    _client(sorter, "a", "cpus:10;mem:10")
    _client(sorter, "b", "cpus:6;mem:6")
    assert sorter.sort() == ["b", "a"]
    _client(sorter, "a/c", "cpus:5;mem:5")
    assert sorter.sort() == ["b", "a/c", "a"]
    sorter.remove("a")
    assert not sorter.contains("a")
    assert sorter.sort() == ["a/c", "b"]
    _client(sorter, "a", "cpus:10;mem:10")
    assert sorter.contains("a")
    assert sorter.sort() == ["b", "a/c", "a"]
    sorter.update_weight("a/c", 0.2)
    assert sorter.sort() == ["b", "a", "a/c"]
    sorter.update_weight("a", 3)
    assert sorter.sort() == ["a", "a/c", "b"]
    sorter.update_weight("a/c", 1)
    assert sorter.sort() == ["a/c", "a", "b"]


def test_add_child_to_internal() -> None:
    """SorterTest.AddChildToInternal."""
    sorter = _sorter()
    _client(sorter, "x/a", "cpus:10;mem:10")
    _client(sorter, "x/b", "cpus:6;mem:6")
    assert sorter.sort() == ["x/b", "x/a"]
    _client(sorter, "x", "cpus:7;mem:7")
    assert sorter.sort() == ["x/b", "x", "x/a"]
    _client(sorter, "z", "cpus:20;mem:20")
    assert sorter.sort() == ["z", "x/b", "x", "x/a"]
    sorter.remove("x")
    assert sorter.sort() == ["x/b", "x/a", "z"]


def test_add_child_to_inactive_leaf() -> None:
    """SorterTest.AddChildToInactiveLeaf."""
    sorter = _sorter()
    _client(sorter, "a", "cpus:10;mem:10")
    _client(sorter, "b", "cpus:6;mem:6")
    sorter.deactivate("a")
    assert sorter.sort() == ["b"]
    _client(sorter, "a/c", "cpus:5;mem:5")
    assert sorter.sort() == ["b", "a/c"]


@pytest.mark.parametrize("deactivate_a", [False, True])
def test_remove_leaf_collapse_parent(deactivate_a: bool) -> None:
    """SorterTest.RemoveLeafCollapseParent and RemoveLeafCollapseParentInactive."""
    sorter = _sorter()
    _client(sorter, "a", "cpus:10;mem:10")
    _client(sorter, "b", "cpus:6;mem:6")
    _client(sorter, "a/c", "cpus:5;mem:5")
    if deactivate_a:
        sorter.deactivate("a")
        assert sorter.sort() == ["b", "a/c"]
    else:
        assert sorter.sort() == ["b", "a/c", "a"]
    sorter.remove("a/c")
    assert sorter.sort() == (["b"] if deactivate_a else ["b", "a"])


def test_change_weight_on_subtree() -> None:
    """SorterTest.ChangeWeightOnSubtree: weights set before the clients exist."""
    sorter = _sorter()
    sorter.update_weight("b", 3)
    sorter.update_weight("a", 2)
    sorter.add("a/x")
    sorter.add("b/y")
    sorter.activate("a/x")
    sorter.activate("b/y")
    assert sorter.sort() == ["a/x", "b/y"]
    sorter.allocated("a/x", AGENT, "cpus:10;mem:10")
    sorter.allocated("b/y", AGENT, "cpus:10;mem:10")
    assert sorter.sort() == ["b/y", "a/x"]
    _client(sorter, "b/z", "cpus:5;mem:5")
    assert sorter.sort() == ["b/z", "b/y", "a/x"]
    _client(sorter, "b", "cpus:4;mem:4")
    assert sorter.sort() == ["a/x", "b", "b/z", "b/y"]
    _client(sorter, "a/zz", "cpus:2;mem:2")
    assert sorter.sort() == ["a/zz", "a/x", "b", "b/z", "b/y"]


def test_allocation_for_inactive_client() -> None:
    """SorterTest.AllocationForInactiveClient: a client is inactive until activated."""
    sorter = _sorter("cpus:10;mem:10")
    sorter.add("a")
    sorter.add("b")
    sorter.activate("b")
    sorter.allocated("a", AGENT, "cpus:2;mem:2")
    sorter.allocated("b", AGENT, "cpus:3;mem:3")
    assert sorter.agent_allocation(AGENT) == {"a": Resources.parse("cpus:2;mem:2"),
                                              "b": Resources.parse("cpus:3;mem:3")}
    assert sorter.allocation("a") == {AGENT: Resources.parse("cpus:2;mem:2")}
    assert sorter.sort() == ["b"]


def test_multiple_agents() -> None:
    """SorterTest.MultipleSlaves: ranges survive aggregation across agents."""
    sorter = DRFSorter()
    _client(sorter, "framework")
    resources = "cpus:2;mem:512;ports:[31000-32000]"
    sorter.add_agent("agentA", resources)
    sorter.add_agent("agentB", resources)
    sorter.allocated("framework", "agentA", resources)
    sorter.allocated("framework", "agentB", resources)
    assert len(sorter.allocation("framework")) == 2
    assert sorter.allocation("framework", "agentA") == Resources.parse(resources)
    assert sorter.allocation("framework", "agentB") == Resources.parse(resources)


def test_update_total() -> None:
    """SorterTest.UpdateTotal: a new total changes which resource is dominant."""
    sorter = DRFSorter()
    for name in "ab":
        _client(sorter, name)
    sorter.add_agent(AGENT, "cpus:10;mem:100")
    sorter.allocated("a", AGENT, "cpus:2;mem:1")
    sorter.allocated("b", AGENT, "cpus:1;mem:2")
    assert sorter.sort() == ["b", "a"]
    sorter.remove_agent(AGENT, "cpus:10;mem:100")
    sorter.add_agent(AGENT, "cpus:100;mem:10")
    assert sorter.sort() == ["a", "b"]


def test_multiple_agents_update_total() -> None:
    """SorterTest.MultipleSlavesUpdateTotal."""
    sorter = DRFSorter()
    for name in "ab":
        _client(sorter, name)
    sorter.add_agent("agentA", "cpus:5;mem:50")
    sorter.add_agent("agentB", "cpus:5;mem:50")
    sorter.allocated("a", "agentA", "cpus:2;mem:1")
    sorter.allocated("b", "agentB", "cpus:1;mem:3")
    assert sorter.sort() == ["b", "a"]
    sorter.remove_agent("agentA", "cpus:5;mem:50")
    sorter.add_agent("agentA", "cpus:95;mem:50")
    assert sorter.sort() == ["a", "b"]


def test_remove_agent_without_resources_removes_all() -> None:
    sorter = _sorter("cpus:10;mem:10")
    sorter.add_agent("other", "cpus:10;mem:10")
    sorter.remove_agent(AGENT)
    assert sorter.total() == {"cpus": 10.0, "mem": 10.0}


def test_fairness_excluded_resources_do_not_count() -> None:
    """``--fair_sharing_excluded_resource_names``: gpus held do not raise a share."""
    sorter = DRFSorter(fairness_exclude_resource_names=["gpus"])
    sorter.add_agent(AGENT, "cpus:10;mem:10;gpus:1")
    _client(sorter, "a", "cpus:1;mem:1;gpus:1")
    _client(sorter, "b", "cpus:2;mem:2")
    assert sorter.sort() == ["a", "b"]
    assert sorter.share("a") == pytest.approx(0.1)


def test_errors_name_the_client() -> None:
    sorter = _sorter()
    with pytest.raises(ValueError, match="'ghost' is not a client"):
        sorter.allocated("ghost", AGENT, "cpus:1")
    _client(sorter, "a", "cpus:1;mem:1")
    with pytest.raises(ValueError, match="already added"):
        sorter.add("a")
    with pytest.raises(ValueError, match="cannot unallocate"):
        sorter.unallocated("a", AGENT, "cpus:2")
    with pytest.raises(ValueError, match="weight"):
        sorter.update_weight("a", 0)
    with pytest.raises(ValueError, match="path like"):
        sorter.add("/a")


def test_unallocating_nothing_where_nothing_is_held_changes_nothing() -> None:
    """Regression: giving back empty resources on an agent where the client holds nothing
    raised a KeyError; upstream's sorter (``DRFSorter::unallocated``) checks that the
    allocation contains them (it does) and subtracts nothing."""
    sorter = DRFSorter()
    sorter.add_agent("a1", Resources(cpus=4, mem=1024))
    sorter.add("f")
    sorter.activate("f")
    sorter.unallocated("f", "a1", Resources())
    assert sorter.allocation("f") == {} and sorter.share("f") == 0.0
