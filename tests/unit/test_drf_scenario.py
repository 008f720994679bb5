"""The two-level-scheduling lab's ``share_cluster``: what a learner may type for task shapes and
role weights is refused in words that name it, never a traceback."""

from __future__ import annotations

import math

import pytest

from clustersim import Node
from clustersim.mesos import BatchFramework
from clustersim.mesos.drf import DRFSorter
from clustersim.scenarios.drf import share_cluster

AGENTS = Node.many(3, "agent", cpu=4, memory="8Gi")


@pytest.mark.parametrize("weight", [math.nan, math.inf, 0, -1, True, "2"])
def test_a_weight_mesos_refuses_is_refused(weight) -> None:
    """Mesos' /weights handler: "Invalid weight '...': Weights must be positive"; NaN was
    taken silently."""
    with pytest.raises(ValueError, match=r"Invalid weight .* for role 'B': Weights must be "
                                         r"positive"):
        share_cluster(AGENTS, {"A": (1, 1), "B": (1, 1)}, {"B": weight})


@pytest.mark.parametrize(("shape", "words"), [
    (("1", 1), "must be (cpus, memory in GiB), two numbers such as (1, 4), not ('1', 1)"),
    ((1,), "must be (cpus, memory in GiB), two numbers such as (1, 4), not (1,)"),
    ((1, math.nan), "must be (cpus, memory in GiB), two numbers such as (1, 4), not (1, nan)"),
    ((-1, 1), "asks for -1 cpus: an amount cannot be negative"),
    ((1, -0.5), "asks for -0.5 GiB of memory"),
])
def test_a_task_shape_that_is_not_two_amounts_is_refused_by_name(shape, words) -> None:
    with pytest.raises(ValueError) as caught:
        share_cluster(AGENTS, {"A": shape})
    assert f"the task shape of 'A' {words}" in str(caught.value)


@pytest.mark.parametrize(("cpus", "mem", "words"), [
    ("1", 512, "task_cpus must be a number of 0 or more, got '1'"),
    (-1, 512, "task_cpus must be a number of 0 or more, got -1"),
    (1, math.inf, "task_mem must be a number of 0 or more, got inf"),
])
def test_a_batch_framework_names_the_bad_amount(cpus, mem, words) -> None:
    with pytest.raises(ValueError) as caught:
        BatchFramework("spark", task_cpus=cpus, task_mem=mem, tasks=1)
    assert words in str(caught.value)


def test_the_sorter_names_the_role_of_an_invalid_weight() -> None:
    with pytest.raises(ValueError, match="Invalid weight 'nan' for role 'a'"):
        DRFSorter().update_weight("a", math.nan)


@pytest.mark.parametrize("agents", [[], (), iter([])])
def test_no_agents_is_refused_in_words(agents) -> None:
    """share_cluster([], ...) ended in a ZeroDivisionError: a share of nothing."""
    with pytest.raises(ValueError, match="at least one agent"):
        share_cluster(agents, {"A": (1, 1), "B": (1, 1)})


def test_agents_given_as_an_iterator_are_shared_as_a_list() -> None:
    """The agents are read once for the cluster and again for the totals."""
    outcome = share_cluster(iter(AGENTS), {"A": (1, 1)}, tasks_wanted=3)
    assert outcome[0].tasks == 3 and outcome[0].shares["cpus"] == 3 / 12
