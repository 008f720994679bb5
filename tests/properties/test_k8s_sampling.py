"""With percentageOfNodesToScore set, the fast path walks and samples as the reference does.

Random clusters of 100-160 nodes (the generators of ``test_k8s_fastpath``: taints, cordons,
memory-less nodes, extended resources; pods with tolerations, selectors, preferred affinity,
spreading through a Service) and a configured percentage (0 is upstream's adaptive default):
both paths must pick the same node pod after pod, print the same FailedScheduling message and
leave the next walk's start (``nextStartNodeIndex``) at the same node.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim.kubernetes.scheduler import Scheduler
from tests.properties.test_k8s_fastpath import SERVICE, cluster, pod


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), percentage=st.sampled_from([0, 5, 30, 60]))
def test_sampled_cycles_match_the_reference(seed, percentage):
    r = random.Random(seed)
    size = r.randint(100, 160)
    config = {"percentageOfNodesToScore": percentage}
    reference_nodes, fast_nodes = cluster(random.Random(seed), size), cluster(
        random.Random(seed), size
    )
    lister = SERVICE if r.random() < 0.5 else None
    reference = Scheduler(config, random.Random(seed), fast=False, lister=lister)
    fast = Scheduler(config, random.Random(seed), fast=True, lister=lister, fast_spread=True)
    names = [n.name for n in reference_nodes]
    for i in range(r.randint(20, 60)):
        manifest = pod(r, i, names)
        expected = reference.schedule(manifest, reference_nodes)
        got = fast.schedule(manifest, fast_nodes)
        assert got.node == expected.node, (i, manifest)
        assert got.message == expected.message
        assert fast.next_start == reference.next_start
        if expected.node is not None:
            k = names.index(expected.node)
            reference_nodes[k].add_pod(manifest)
            fast_nodes[k].add_pod(manifest)
