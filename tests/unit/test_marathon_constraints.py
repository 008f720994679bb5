"""Constraints: cases from d2iq-archive/marathon
src/test/scala/mesosphere/mesos/ConstraintsTest.scala (test names quoted), the attribute
formatting rules of Constraints.scala, and the GROUP_BY rule of pull request #7206
(MARATHON-8752)."""

import pytest

from clustersim.marathon import constraint_accepts, format_attribute
from clustersim.marathon.constraints import (
    Constraint,
    NumberFormatError,
    select_instances_to_kill,
)


def offer(host="foohost", domain=None, **attributes):
    return {"hostname": host, "attributes": attributes, "domain": domain}


def on_host(host):
    return {"hostname": host, "attributes": {}}


def with_attrs(**attributes):
    return {"hostname": "foohost", "attributes": attributes}


def accepts(field, op, value, the_offer, placed=(), instances=None):
    rule = [field, op, value] if value else [field, op]
    return constraint_accepts(rule, the_offer, list(placed), instances)


# "UniqueHostConstraint"
def test_unique_host_constraint():
    placed = [on_host("host1"), on_host("host2"), on_host("host3")]
    assert accepts("hostname", "CLUSTER", "", offer("foohost"))
    assert not accepts("hostname", "CLUSTER", "right.com", offer("wrong.com"))
    assert accepts("hostname", "UNIQUE", "", offer("host2"))
    assert accepts("hostname", "UNIQUE", "", offer("host4"), placed)
    assert not accepts("hostname", "UNIQUE", "", offer("host2"), placed)
    assert not accepts("@hostname", "UNIQUE", "", offer("host2"), placed)


# "Generic property constraints"
def test_generic_property_constraints():
    r1, r1b = with_attrs(rackid="rack-1"), with_attrs(rackid="rack-1")
    r2 = with_attrs(rackid="rack-2")
    rack1, rack2 = offer(foo="bar", rackid="rack-1"), offer(foo="bar", rackid="rack-2")
    rack3 = offer(foo="bar", rackid="rack-3")
    assert accepts("rackid", "CLUSTER", "", rack1)
    assert accepts("rackid", "CLUSTER", "", rack1, [r1, r1b])
    assert not accepts("rackid", "CLUSTER", "", rack2, [r1, r1b])
    assert not accepts("rackid", "CLUSTER", "", offer())
    assert accepts("rackid", "UNIQUE", "", rack1)
    assert accepts("rackid", "UNIQUE", "", rack3, [r1, r2])
    assert not accepts("rackid", "UNIQUE", "", rack1, [r1, r2])
    assert not accepts("rackid", "UNIQUE", "", offer())


# "AttributesLikeByConstraints" and "AttributesUnlikeByConstraints"
def test_like_and_unlike():
    assert not accepts("jdk", "LIKE", "7", offer(jdk="6"))
    assert accepts("jdk", "LIKE", "7", offer(jdk="7"))
    assert not accepts("jdk", "LIKE", "7", offer())
    assert accepts("jdk", "UNLIKE", "7", offer(jdk="6"))
    assert not accepts("jdk", "UNLIKE", "7", offer(jdk="7"))
    assert accepts("jdk", "UNLIKE", "7", offer())  # a missing field meets UNLIKE


def test_like_is_anchored_like_java_matches():
    assert not accepts("hostname", "LIKE", "srv2", offer("srv23"))
    assert accepts("hostname", "LIKE", "srv2.*", offer("srv23"))


# "RackGroupedByConstraints"
def test_rack_grouped_by():
    r1, r1b = with_attrs(rackid="rack-1"), with_attrs(rackid="rack-1")
    r2 = with_attrs(rackid="rack-2")
    rack1, rack2 = offer(foo="bar", rackid="rack-1"), offer(foo="bar", rackid="rack-2")
    assert accepts("rackid", "GROUP_BY", "2", rack1)
    assert not accepts("rackid", "GROUP_BY", "2", rack1, [r1])
    assert accepts("rackid", "GROUP_BY", "2", rack2, [r1])
    assert accepts("rackid", "GROUP_BY", "2", rack1, [r1, r2])
    assert not accepts("rackid", "GROUP_BY", "2", rack1, [r1, r1b, r2])
    assert not accepts("rackid", "GROUP_BY", "2", offer())


# "RackGroupedByConstraints2" and "RackGroupedByConstraints3" (scalar attributes 1.0 vs 1)
@pytest.mark.parametrize(("placed_value", "offer_value"),
                         [("rack-{}", "rack-{}"), ("{}.0", "{}")])
def test_rack_grouped_by_three(placed_value, offer_value):
    def placed(i):
        return with_attrs(rackid=placed_value.format(i))

    def rack(i):
        return offer(foo="bar", rackid=offer_value.format(i))

    assert accepts("rackid", "GROUP_BY", "3", rack(1))
    assert accepts("rackid", "GROUP_BY", "3", rack(2), [placed(1)])
    assert accepts("rackid", "GROUP_BY", "3", rack(3), [placed(1), placed(2)])
    assert accepts("rackid", "GROUP_BY", "3", rack(1), [placed(1), placed(2), placed(3)])
    assert accepts("rackid", "GROUP_BY", "3", rack(2), [placed(i) for i in (1, 2, 3, 1)])
    assert not accepts("rackid", "GROUP_BY", "3", rack(2), [placed(i) for i in (1, 2, 3, 1, 2)])


def test_group_by_allows_the_remainder_ahead_of_time():
    # PR #7206: 10 instances over 3 racks: 3 each plus one rack with 4, even before the
    # other racks have any instance.
    three = [with_attrs(rack="a")] * 3
    assert accepts("rack", "GROUP_BY", "3", offer(rack="a"), three, instances=10)
    assert not accepts("rack", "GROUP_BY", "3", offer(rack="a"), three * 1 + [with_attrs(rack="a")],
                       instances=10)
    # once the remainder is used by rack a, rack b may not take a fourth
    placed = [with_attrs(rack="a")] * 4 + [with_attrs(rack="b")] * 3
    assert not accepts("rack", "GROUP_BY", "3", offer(rack="b"), placed, instances=10)
    assert accepts("rack", "GROUP_BY", "3", offer(rack="c"), placed, instances=10)
    # a fourth value is never welcome with GROUP_BY 3
    placed = [with_attrs(rack=r) for r in "abc"]
    assert not accepts("rack", "GROUP_BY", "3", offer(rack="d"), placed, instances=10)


def test_group_by_without_value_spreads_over_values_seen():
    placed = [on_host("h1"), on_host("h1"), on_host("h2")]
    assert not accepts("hostname", "GROUP_BY", "", offer("h1"), placed)
    assert accepts("hostname", "GROUP_BY", "", offer("h2"), placed)
    assert accepts("hostname", "GROUP_BY", "", offer("h3"), placed)


# "HostnameMaxPerConstraints" and "RackMaxPerConstraints"
def test_max_per():
    h1, h2 = on_host("host1"), on_host("host1")
    assert accepts("hostname", "MAX_PER", "2", offer("host1"))
    assert accepts("hostname", "MAX_PER", "2", offer("host1"), [h1])
    assert accepts("hostname", "MAX_PER", "2", offer("host2"), [h1, h2])
    assert not accepts("hostname", "MAX_PER", "2", offer("host1"), [h1, h2, on_host("host2")])
    racks = [with_attrs(rackid=1.0), with_attrs(rackid=2.0), with_attrs(rackid=1.0)]
    assert accepts("rackid", "MAX_PER", "2", offer(rackid="1"), racks[:2])
    assert not accepts("rackid", "MAX_PER", "2", offer(rackid="1"), racks)


# "AttributesTypes": scalar, range and set attributes compared in their text form
def test_attribute_types():
    placed = [with_attrs(foo="bar"), with_attrs(jdk=7), with_attrs(jdk="[6-7]"),
              with_attrs(gpu="{0,1}")]
    assert not accepts("jdk", "LIKE", "7", offer(jdk=6), placed)
    assert accepts("jdk", "LIKE", "7", offer(jdk=7), placed)
    assert not accepts("jdk", "CLUSTER", "7", offer(jdk=6), [placed[1]])
    assert accepts("jdk", "CLUSTER", "7", offer(jdk=7), [placed[1]])
    assert not accepts("jdk", "LIKE", r"\[6-7\]", offer(jdk="[5-7]"), placed)
    assert accepts("jdk", "LIKE", r"\[6-7\]", offer(jdk="[6-7]"), placed)
    assert accepts("jdk", "CLUSTER", "[6-7]", offer(jdk="[6-7]"), [placed[2]])
    assert not accepts("jdk", "UNLIKE", r"\[6-7\]", offer(jdk="[6-7]"), placed)
    assert accepts("jdk", "UNLIKE", r"\[6-7\]", offer(jdk="[5-7]"), placed)
    assert not accepts("gpu", "LIKE", r"\{0,1\}", offer(gpu="{2,1}"), placed)
    assert accepts("gpu", "LIKE", r"\{0,1\}", offer(gpu="{1,0}"), placed)
    assert accepts("gpu", "CLUSTER", "{0,1}", offer(gpu="{0,1}"), [placed[3]])
    assert accepts("gpu", "UNLIKE", r"\{0,1\}", offer(gpu="{1,2}"), placed)


# "DomainInfo": @region and @zone
def test_region_and_zone():
    placed = [{"hostname": "h", "attributes": {}, "domain": {"region": "region1", "zone": "zone1"}}]

    def at(region, zone):
        return offer(domain={"region": region, "zone": zone})

    assert not accepts("@region", "UNIQUE", "", at("region1", "z"), placed)
    assert accepts("@region", "UNIQUE", "", at("region2", "z"), placed)
    assert not accepts("@zone", "UNIQUE", "", at("r", "zone1"), placed)
    assert accepts("@zone", "UNIQUE", "", at("r", "zone2"), placed)
    assert not accepts("@zone", "IS", "zone1", offer())  # no fault domain: field missing


# "IS operator"; Marathon has no IN (marathon.proto, OfferConstraints.scala, constraint.raml)
def test_is():
    assert accepts("hostname", "IS", "righthost.com", offer("righthost.com"))
    assert not accepts("hostname", "IS", "righthost.com", offer("wronghost.com"))


def test_in_is_refused_as_marathon_refuses_it():
    with pytest.raises(ValueError, match="Constraint operator must be one of the following"):
        accepts("hostname", "IN", "host1,host2", offer("host1"))


@pytest.mark.parametrize("literal", ["1", "1.0", "1.0005"])
def test_is_formats_scalar_literals(literal):
    assert accepts("cores", "IS", literal, offer(cores="1.0"))


@pytest.mark.parametrize(("raw", "text"), [
    ("1.0", "1"), ("1.0005", "1"), ("1.00051", "1.001"), ("1.1005", "1.101"), (2.5, "2.5"),
    ("1000", "1000"), ("[7-8,1-2]", "[1-2,7-8]"), ("{b,a}", "{a,b}"), ("rack-1.0", "rack-1.0"),
])
def test_attribute_formatting(raw, text):
    assert format_attribute(raw) == text


@pytest.mark.parametrize(("bad", "message"), [
    (["hostname"], "is \\[field, OPERATOR\\]"),
    (["hostname", "NEAR"], "operator must be one of the following"),
    (["hostname", "LIKE"], "LIKE needs a value"),
    (["hostname", "MAX_PER", "two"], "whole number"),
    (["hostname", "LIKE", "("], "not a regular expression"),
])
def test_bad_constraints_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        Constraint.parse(bad)


def test_max_per_without_a_value_is_taken_and_throws_at_an_offer_with_the_field():
    """``complyWithAppConstraintRules`` checks MAX_PER's value only when there is one; at an
    offer, ``Constraints.scala`` reads the missing value (``""``) with ``toInt``, which throws
    ``NumberFormatException: For input string: ""``. An offer without the field is rejected
    before the value is read. Both had been refused as the app was read."""
    rule = Constraint.parse(["rack", "MAX_PER"])
    assert (rule.operator, rule.value) == ("MAX_PER", "")
    with pytest.raises(NumberFormatError) as thrown:
        constraint_accepts(["hostname", "MAX_PER"], offer("host1"))
    assert thrown.value.java == 'For input string: ""'
    with pytest.raises(NumberFormatError):
        constraint_accepts(["rack", "MAX_PER"], offer(rack="r1"))
    assert not constraint_accepts(["rack", "MAX_PER"], offer())


def test_max_per_without_a_value_tried_by_hand_names_the_constraint():
    """A learner trying ``constraint_accepts`` by hand read only Java's ``For input string:
    ""``: the error names the constraint, what Marathon does and that MAX_PER needs a
    number."""
    with pytest.raises(ValueError, match=r"^constraint \['rack', 'MAX_PER'\]: MAX_PER needs "
                       r"a number, e\.g\. \['rack', 'MAX_PER', '1'\]\. Marathon accepts the "
                       r"app, .*launcher dies on java\.lang\.NumberFormatException"):
        constraint_accepts(["rack", "max_per"], offer(rack="r1"))


# selectInstancesToKill: "Select tasks to kill for a single group by works" and friends
def test_kill_selection_keeps_even_spread():
    tasks = [on_host(str(n % 2)) for n in range(20)]
    chosen = select_instances_to_kill([["hostname", "GROUP_BY"]], tasks, 10, lambda t: t)
    assert len(chosen) == 10
    assert sum(1 for t in chosen if t["hostname"] == "0") == 5


def test_kill_selection_takes_from_the_fuller_host():
    tasks = [on_host("1") for _ in range(20)] + [on_host("2") for _ in range(10)]
    chosen = select_instances_to_kill([["hostname", "GROUP_BY"]], tasks, 10, lambda t: t)
    assert len(chosen) == 10 and all(t["hostname"] == "1" for t in chosen)


def test_kill_selection_with_two_group_bys():
    tasks = [with_attrs(rack=r, color=c) for r in ("rack-1", "rack-2")
             for c in ("blue", "green") for _ in range(10)]
    chosen = select_instances_to_kill([["rack", "GROUP_BY"], ["color", "GROUP_BY"]],
                                      tasks, 20, lambda t: t)
    assert len(chosen) == 20
    for key, value in (("rack", "rack-1"), ("rack", "rack-2"), ("color", "blue")):
        assert sum(1 for t in chosen if t["attributes"][key] == value) == 10


def test_kill_selection_without_group_by_picks_nothing():
    tasks = [with_attrs(rack="rack-1") for _ in range(10)]
    assert select_instances_to_kill([], tasks, 5, lambda t: t) == []


def test_evaluation_is_lenient_where_constraints_scala_is():
    # Constraints.scala: "Error, value is required for LIKE operation" -> false, same for UNLIKE
    assert not constraint_accepts(["jdk", "LIKE", ""], offer(jdk="7"), [])
    assert not constraint_accepts(["jdk", "UNLIKE", ""], offer(jdk="7"), [])
    assert constraint_accepts(["jdk", "UNLIKE", ""], offer(), [])      # missing field
    # getIntValue: a GROUP_BY value that is not a number counts as none
    assert constraint_accepts(["hostname", "GROUP_BY", "many"], offer("h3"),
                              [on_host("h1"), on_host("h2")])
