"""Properties of Marathon's scaleBy and of dependency editing (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from clustersim.marathon import RootGroup
from clustersim.scenarios.apptrees import iter_apps, scale_group, with_dependencies

counts = st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=6)
factors = st.floats(min_value=0, max_value=10, allow_nan=False)


def _group(instances: list[int]) -> dict:
    """/g with one subgroup per app, /g/s<i>/a<i>."""
    return {"id": "/g", "groups": [
        {"id": f"/g/s{i}", "apps": [{"id": f"/g/s{i}/a{i}", "instances": n, "cmd": "sleep 1"}]}
        for i, n in enumerate(instances)]}


@given(counts, factors)
def test_scale_by_is_the_ceiling_of_the_product(instances, factor) -> None:
    scaled = [a["instances"] for a in iter_apps(scale_group(_group(instances), factor))]
    assert scaled == [math.ceil(n * factor) for n in instances]
    assert all(s >= n * factor for s, n in zip(scaled, instances, strict=True))


@given(counts, factors, factors)
def test_scaling_is_monotone_in_the_factor(instances, a, b) -> None:
    low, high = sorted((a, b))
    first = [x["instances"] for x in iter_apps(scale_group(_group(instances), low))]
    second = [x["instances"] for x in iter_apps(scale_group(_group(instances), high))]
    assert all(x <= y for x, y in zip(first, second, strict=True))


@given(counts, st.data())
def test_with_dependencies_sets_exactly_the_given_edges(instances, data) -> None:
    groups = [f"/g/s{i}" for i in range(len(instances))]
    # forward edges only (later group depends on an earlier one), so no cycle
    pairs = [(groups[j], groups[i]) for j in range(len(groups)) for i in range(j)]
    chosen = data.draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    edited = with_dependencies(_group(instances), chosen)
    edges = RootGroup.from_source(edited).dependency_edges()
    for j, group in enumerate(groups):
        wanted = sorted(f"{g}/a{groups.index(g)}" for src, g in chosen if src == group)
        assert edges[f"{group}/a{j}"] == wanted
