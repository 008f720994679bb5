"""The three-dialects lab's recorded runs (:mod:`clustersim.scenarios.shop`): what a bad
parameter is told."""

from __future__ import annotations

import math

import pytest

from clustersim.scenarios.shop import DEFAULT_TIMES, compare_shop, run_shop


@pytest.mark.parametrize("fail_at", [-5, math.nan, math.inf, 1e6, DEFAULT_TIMES[-1] + 1, "60"])
def test_a_failure_time_outside_the_run_names_fail_at(fail_at) -> None:
    """fail_at=-5 had been blamed on 'until=-5 is in the past', and nan or 1e6 had run
    silently without any failure."""
    with pytest.raises(ValueError, match=r"^fail_at must be None \(no failure\) or a number "
                                         r"of seconds from 0 to 480 \(the last time sampled\)"):
        compare_shop(fail_at=fail_at)


def test_a_failure_within_the_run_fails_a_node() -> None:
    last = DEFAULT_TIMES[-1]
    assert run_shop("swarm", fail_at=last).failed_at == last
    assert run_shop("swarm", fail_at=60).failed_node is not None
