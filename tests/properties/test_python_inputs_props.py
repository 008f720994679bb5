"""What a lab passes from Python to a node's declaration and to a drain is read or refused
with a ``ValueError`` that says what to give, never another error (hypothesis): the node's
``generic_resources`` (dockerd's ``--node-generic-resource`` terms) and ``drain``'s
``timeout`` (kubectl's ``--timeout``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster


class _Unprintable:
    """A value whose ``__str__`` raises."""

    def __str__(self) -> str:
        raise RuntimeError("no text")


ODD = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.binary(max_size=8),
                st.builds(_Unprintable), st.tuples(st.text(max_size=4)),
                st.tuples(st.text(max_size=4), st.floats()))
TERMS = st.one_of(
    st.none(), st.text(max_size=12), st.dictionaries(st.text(max_size=4), st.integers()),
    st.lists(st.one_of(st.text(max_size=12), st.from_regex(r"[a-z =-]{0,4}=[0-9a-z.-]{0,6}",
                                                           fullmatch=True), ODD),
             max_size=6))


@given(TERMS)
@settings(max_examples=300, deadline=None)
def test_generic_resource_terms_are_read_or_refused_with_the_nodes_name(terms):
    try:
        node = Node("w", 1, "1Gi", generic_resources=terms)
    except ValueError as refused:
        assert str(refused).startswith("Node 'w': ")
    else:
        assert all(isinstance(kind, str) and isinstance(value, int | str)
                   for kind, value in node.generic_resources)


CLUSTER = KubernetesCluster([Node(f"node-{i}", 2, "4Gi") for i in (1, 2)], seed=0)


@given(st.one_of(ODD, st.text(max_size=6), st.integers(-10, 10 ** 30),
                 st.floats(allow_nan=True, allow_infinity=True)))
@settings(max_examples=200, deadline=None)
def test_a_drain_timeout_is_read_or_refused_in_words(timeout):
    try:
        drained = CLUSTER.drain("node-1", timeout=timeout)
    except ValueError as refused:
        assert str(refused).startswith("timeout ")
    else:
        assert list(drained) == [] and drained.errors == []
    finally:
        CLUSTER.uncordon("node-1")
