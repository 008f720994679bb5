"""Swarm's generic resources (clustersim.genericresource), checked against moby/swarmkit's own
test tables in ``api/genericresource/``: ``parse_test.go`` (TestParseDiscrete, TestParseStr,
TestParseDiscreteAndStr) and ``resource_management_test.go`` (TestClaim*, TestReclaim*,
TestSanitize*), each case named after its Go test."""

from __future__ import annotations

import pytest

from clustersim.genericresource import (
    claim,
    env_format,
    has_enough,
    json_entries,
    parse,
    reclaim,
)


def named(kind: str, *ids: str) -> list[tuple[str, int | str]]:
    """swarmkit's ``NewSet``."""
    return [(kind, value) for value in ids]


def test_parse_discrete_named_and_both() -> None:
    """TestParseDiscrete, TestParseStr, TestParseDiscreteAndStr."""
    assert parse(["apple=3"]) == (("apple", 3),)
    assert parse(["orange=red", "orange=green", "orange=blue"]) == tuple(
        named("orange", "red", "green", "blue"))
    assert parse(["orange=red", "orange=green", "orange=blue", "apple=3"]) == (
        *named("orange", "red", "green", "blue"), ("apple", 3))
    assert parse([" gpu = GPU-1 "]) == (("gpu", "GPU-1"),)     # terms are trimmed


@pytest.mark.parametrize(("terms", "error"), [
    (["apple=3", "apple=4"], "mixed discrete and named resources in expression 'apple=[3 4]'"),
    (["apple=-3"], "cannot ask for negative resource apple"),
    (["apple"], "incorrect term apple, missing '=' or malformed expression"),
    (["a=b=c"], "incorrect term a=b=c, missing '=' or malformed expression"),
    (["foo=bar", "foo=1"], "mixed discrete and named resources in expression 'foo=[bar 1]'"),
])
def test_parse_refuses_what_swarmkit_refuses(terms: list[str], error: str) -> None:
    """In the words dockerd and docker CLI 28.2.2 print: moby's ``TestValidateConfiguration
    Errors`` (``daemon/config/config_test.go``) for ``foo`` and ``foo=[bar 1]``, the real
    CLI's ``docker service create --generic-resource`` for the others; the simulator had
    kept the 2018 ``parse.go``'s ("missing'='", "fornegative", "malformed expression")."""
    with pytest.raises(ValueError, match=r"^could not parse GenericResource: ") as refused:
        parse(terms)
    assert error in str(refused.value)


def test_claim_single_and_multiple_discrete() -> None:
    """TestClaimSingleDiscrete, TestClaimMultipleDiscrete."""
    node = [("apple", 3)]
    assert claim(node, [("apple", 2)]) == (("apple", 2),)
    assert node == [("apple", 1)]
    node = [("apple", 3), ("orange", 4), ("banana", 2), ("cake", 1)]
    assert claim(node, [("orange", 4), ("apple", 2)]) == (("orange", 4), ("apple", 2))
    assert node == [("apple", 1), ("banana", 2), ("cake", 1)]   # no orange left


def test_claim_single_and_multiple_named() -> None:
    """TestClaimSingleStr, TestClaimMultipleStr: the first IDs of each set, in order."""
    node = named("apple", "red", "orange", "blue", "green")
    assert claim(node, [("apple", 2)]) == tuple(named("apple", "red", "orange"))
    assert node == named("apple", "blue", "green")
    node = [*named("apple", "red", "orange", "blue", "green"),
            *named("oranges", "red", "orange", "blue", "green"),
            *named("bananas", "red", "orange", "blue", "green")]
    assigned = claim(node, [("oranges", 4), ("apple", 2)])
    assert assigned == (*named("oranges", "red", "orange", "blue", "green"),
                        *named("apple", "red", "orange"))
    assert len(node) == 6


def test_claim_takes_nothing_when_a_kind_is_missing_and_every_id_for_a_count_of_0() -> None:
    """``Claim`` returns at the first reservation it cannot select (nothing is taken), and a
    named kind asked 0 times never reaches its count, so ``selectNodeResources`` takes all."""
    node = [("apple", 3), *named("gpu", "a", "b")]
    assert claim(node, [("apple", 1), ("cake", 1)]) == ()
    assert node == [("apple", 3), *named("gpu", "a", "b")]
    assert claim(node, [("gpu", 0)]) == tuple(named("gpu", "a", "b"))
    assert node == [("apple", 3)]


def test_reclaim_discrete_and_named() -> None:
    """TestReclaimSingleDiscrete, TestReclaimMultipleDiscrete, TestReclaimSingleStr,
    TestReclaimMultipleStr (``reclaimResources``; the node advertises what comes back, so
    ``sanitize`` keeps it)."""
    node: list = []
    reclaim(node, [("apple", 2)], [("apple", 4)])
    reclaim(node, [("apple", 2)], [("apple", 4)])
    assert node == [("apple", 4)]
    node = [("apple", 3), ("banana", 2)]
    reclaim(node, [("orange", 4), ("apple", 2)], [("apple", 5), ("banana", 2), ("orange", 4)])
    assert node == [("apple", 5), ("banana", 2), ("orange", 4)]
    node = named("orange", "green")
    advertised = [*named("apple", "red", "orange"), *named("orange", "red", "orange", "green")]
    reclaim(node, [*named("apple", "red", "orange"), *named("orange", "red", "orange")],
            advertised)
    assert node == [("orange", "green"), *named("apple", "red", "orange"),
                    *named("orange", "red", "orange")]     # given back at the end


def test_sanitize_drops_what_the_node_no_longer_advertises() -> None:
    """TestSanitizeDiscrete, TestSanitizeStr, TestSanitizeChangeDiscreteToSet,
    TestSanitizeChangeSetToDiscrete, through ``Reclaim`` of nothing."""
    node = [("orange", 4)]
    reclaim(node, [], [])
    assert node == []
    node = [("orange", 4)]
    reclaim(node, [], [("orange", 2)])
    assert node == [("orange", 2)]                 # more than advertised: reset
    node = named("apple", "red", "orange", "blue")
    reclaim(node, [], named("apple", "red", "orange"))
    assert node == named("apple", "red", "orange")
    node = [("apple", 5)]
    reclaim(node, [], named("apple", "red", "orange", "green"))
    assert node == named("apple", "red", "orange", "green")
    node = named("apple", "red", "orange", "green")
    reclaim(node, [], [("apple", 5)])
    assert node == [("apple", 5)]


@pytest.mark.parametrize(("available", "kind", "count", "enough"), [
    ([("apple", 3)], "apple", 3, True),
    ([("apple", 3)], "apple", 4, False),
    (named("gpu", "a", "b"), "gpu", 2, True),
    (named("gpu", "a", "b"), "gpu", 3, False),
    ([("apple", 3)], "gpu", 0, False),         # a kind the node lacks, even for 0
])
def test_has_enough(available, kind: str, count: int, enough: bool) -> None:
    assert has_enough(available, kind, count) is enough


def test_env_and_json_of_a_tasks_resources() -> None:
    """``EnvFormat`` (the container's variables, kinds upper-cased, values joined) and moby's
    ``swarm.GenericResource`` JSON."""
    assigned = [*named("gpu", "GPU-1", "GPU-2"), ("ssd", 2)]
    assert env_format(assigned) == ["DOCKER_RESOURCE_GPU=GPU-1,GPU-2", "DOCKER_RESOURCE_SSD=2"]
    assert json_entries(assigned[1:]) == [
        {"NamedResourceSpec": {"Kind": "gpu", "Value": "GPU-2"}},
        {"DiscreteResourceSpec": {"Kind": "ssd", "Value": 2}}]


class _CountedId(str):
    """An ID that counts how often it is compared with another."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _CountedId.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_claim_and_reclaim_of_thousands_of_ids_compare_each_id_a_few_times() -> None:
    """A node may advertise thousands of IDs (dockerd takes any number of
    ``--node-generic-resource`` terms) and a task reserve thousands: taking them out
    (``ConsumeNodeResources``) and giving them back (``sanitize``) must stay linear, where
    a loop over the taken IDs for each ID left compared them about 2,000 x 1,000 times."""
    advertised = named("gpu", *(_CountedId(f"GPU-{i}") for i in range(2000)))
    available = list(advertised)
    _CountedId.compared = 0
    taken = claim(available, [("gpu", 1000)])
    assert taken == tuple(advertised[:1000]) and available == advertised[1000:]
    reclaim(available, taken, advertised)
    assert sorted(available) == sorted(advertised)
    assert _CountedId.compared < 20 * len(advertised)
