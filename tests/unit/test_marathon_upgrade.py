"""restart_strategy: the table of d2iq-archive/marathon
src/test/scala/mesosphere/marathon/core/deployment/impl/RestartStrategyTest.scala
(``computeRestartStrategy``), plus upgradeStrategy validation (UpgradeStrategy.scala)."""

import pytest

from clustersim.marathon import UpgradeStrategy, restart_strategy

RESIDENT = {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}
STRICT = {"minimumHealthCapacity": 1, "maximumOverCapacity": 0}


@pytest.mark.parametrize(
    ("instances", "strategy", "current", "healthy", "resident", "max_capacity", "kill"),
    [
        # "strategy for resident app with 1 instance"
        (1, RESIDENT, 1, 1, True, 1, 1),
        # "strategy for starting resident app with 1 instance and no tasks running"
        (1, RESIDENT, 1, 0, True, 1, 0),
        # "strategy for resident app with 5 instances"
        (5, RESIDENT, 5, 5, True, 5, 2),
        # "... already over capacity, maxHealthCapacity = 1"
        (5, STRICT, 7, 7, True, 5, 3),
        # "... already under capacity, maxHealthCapacity = 1"
        (5, STRICT, 5, 3, True, 5, 0),
        # "... already at capacity, maxHealthCapacity = 1"
        (5, STRICT, 5, 5, True, 5, 1),
        # "strategy for normal app with 1 instance"
        (1, {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}, 1, 1, False, 2, 0),
        # "strategy for normal app with 1 instance and no tasks running"
        (1, {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}, 0, 0, False, 1, 0),
        # "maxCapacity strategy for normal app is not exceeded when a task can be killed"
        (2, {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}, 2, 2, False, 2, 1),
        # "less running tasks than actual instance count and less than min health capacity"
        (10, {"minimumHealthCapacity": 0.1, "maximumOverCapacity": 0}, 1, 1, False, 10, 0),
        # "max over capacity 1"
        (10, {"minimumHealthCapacity": 0.1, "maximumOverCapacity": 1.0}, 10, 10, False, 20, 9),
        # "maxOverCapacity 1 and minHealth 1"
        (10, {"minimumHealthCapacity": 1, "maximumOverCapacity": 1.0}, 10, 10, False, 20, 0),
    ],
)
def test_restart_strategy_table(instances, strategy, current, healthy, resident,
                                max_capacity, kill):
    _, got_capacity, got_kill = restart_strategy(instances, strategy, current, healthy, resident)
    assert (got_capacity, got_kill) == (max_capacity, kill)


def test_docs_example_min_healthy_rounds_up():
    # docs/docs/deployments.md: 3 instances at minimumHealthCapacity 0.7 keep ceil(2.1) = 3
    assert restart_strategy(3, {"minimumHealthCapacity": 0.7}, 3, 3)[0] == 3


def test_defaults():
    assert UpgradeStrategy.parse(None) == UpgradeStrategy(1.0, 1.0)
    assert UpgradeStrategy.parse(None, resident=True) == UpgradeStrategy(0.5, 0.0)
    assert restart_strategy(4, None, 4, 4) == (4, 8, 0)


@pytest.mark.parametrize("bad", [{"minimumHealthCapacity": 1.5}, {"maximumOverCapacity": -1},
                                 {"minimumHealthCapacity": "half"}])
def test_fractions_outside_0_1_are_refused(bad):
    with pytest.raises(ValueError, match="between 0 and 1"):
        UpgradeStrategy.parse(bad)


def test_resident_app_may_not_over_provision():
    with pytest.raises(ValueError, match="must be 0"):
        restart_strategy(2, {"maximumOverCapacity": 0.5}, 2, 2, resident=True)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="instances must be > 0"):
        restart_strategy(0, None, 1, 1)
    with pytest.raises(ValueError, match="cannot exceed"):
        restart_strategy(2, None, 1, 2)


def test_strategy_as_a_pair():
    assert restart_strategy(10, (0.1, 1.0), 10, 10) == restart_strategy(
        10, {"minimumHealthCapacity": 0.1, "maximumOverCapacity": 1.0}, 10, 10)
