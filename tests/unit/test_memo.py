"""The caches of scenario runs (:mod:`clustersim.memo`): a cached result equals a fresh,
uncached run, and different inputs never share an entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest

from clustersim.examples import example_text
from clustersim.explore import _place_text, place
from clustersim.memo import Memoized, memoized
from clustersim.scenarios.healing import node_failure_run
from clustersim.scenarios.networking import port_fit
from clustersim.scenarios.shop import run_shop, shop_source
from clustersim.scenarios.storage import stateful_run
from clustersim.scenarios.updates import rolling_update_run


def test_the_key_keeps_types_and_an_unkeyable_argument_bypasses_the_cache() -> None:
    calls: list[Any] = []

    @memoized(maxsize=2)
    def echo(value: Any, **options: Any) -> tuple[Any, dict]:
        calls.append(value)
        return value, options

    assert echo(1) == (1, {}) and echo(1) == (1, {}) and len(calls) == 1
    assert echo(1.0)[0] == 1.0 and isinstance(echo(1.0)[0], float) and len(calls) == 2
    assert echo(True)[0] is True and len(calls) == 3      # 1 == True, still another entry
    assert echo.cached() == 2                             # bounded: the oldest went
    echo([1, 2]), echo((1, 2)), echo([1, 2], a={"x": 1}), echo([1, 2], a={"x": 2})
    assert calls[3:] == [[1, 2], (1, 2), [1, 2], [1, 2]]
    marker = object()
    echo(marker), echo(marker)                            # no hashable form: called each time
    assert calls[-2:] == [marker, marker]
    echo.cache_clear()
    assert echo.cached() == 0


def test_a_cached_scenario_is_still_the_function_to_help_and_repr() -> None:
    import inspect
    import pydoc

    assert inspect.isfunction(run_shop) and repr(run_shop).startswith("<function run_shop ")
    assert "function run_shop in module clustersim.scenarios.shop" in pydoc.render_doc(run_shop)
    assert inspect.signature(run_shop) == inspect.signature(run_shop.__wrapped__)


def test_an_argument_nested_too_deep_to_key_bypasses_the_cache() -> None:
    calls: list[Any] = []
    echo = memoized(maxsize=4)(calls.append)
    deep: list[Any] = []
    inner = deep
    for _ in range(5_000):
        inner.append([])
        inner = inner[0]
    echo(deep), echo(deep)
    assert len(calls) == 2 and echo.cached() == 0


def _data(run: Any) -> dict[str, Any]:
    return {f.name: getattr(run, f.name) for f in fields(run)}


def _same(left: Any, right: Any) -> None:
    """Two runs are distinct objects holding the same recorded data (snapshots, events)."""
    assert left is not right
    assert _data(left) == _data(right)


CASES: list[tuple[Memoized, tuple, dict, dict]] = [
    (node_failure_run, ("kubernetes",), {"fail_at": 40, "toleration_seconds": 60},
     {"toleration_seconds": 90}),
    (node_failure_run, ("marathon",), {"inactive_after": 20}, {"inactive_after": 30}),
    (run_shop, ("swarm",), {"api_replicas": 2, "fail_at": 30.0}, {"fail_at": 60.0}),
    (run_shop, ("kubernetes",), {"api_replicas": 4}, {"api_replicas": 5}),
    (rolling_update_run, ("kubernetes", {"maxUnavailable": 1}), {},
     {"failing": True}),
    (stateful_run, ("swarm",), {"act_at": 120}, {"act_at": 150}),
    (port_fit, ("k8s-hostport",), {"instances": 5}, {"instances": 6}),
]


@pytest.mark.parametrize(("function", "args", "kwargs", "other"), CASES,
                         ids=[f"{c[0].__name__}-{c[1][0]}" for c in CASES])
def test_a_cached_run_equals_a_fresh_one_and_other_inputs_get_their_own(
        function: Memoized, args: tuple, kwargs: dict, other: dict) -> None:
    function.cache_clear()
    cached = function(*args, **kwargs)
    assert function(*args, **kwargs) is cached            # served from the cache
    _same(cached, function.__wrapped__(*args, **kwargs))  # and equal to an uncached run
    changed = function(*args, **{**kwargs, **other})
    assert changed is not cached and _data(changed) != _data(cached)
    _same(changed, function.__wrapped__(*args, **{**kwargs, **other}))
    assert function.cached() == 2


def test_placing_text_is_cached_per_text_and_a_path_is_read_again(tmp_path) -> None:
    _place_text.cache_clear()
    text = example_text("swarm")
    cached = place(text, name="a")
    assert place(text, name="a") is cached
    _same(cached, _place_text.__wrapped__(text, name="a", until=120.0, seed=0))
    assert place(text, name="a", until=60.0) is not cached
    path = tmp_path / "stack.yaml"
    path.write_text(text, encoding="utf-8")
    first = place(str(path))
    path.write_text(text.replace("replicas: 3", "replicas: 1", 1), encoding="utf-8")
    assert len(place(str(path)).snapshot.tasks) != len(first.snapshot.tasks)


def test_shop_source_hands_out_copies_of_the_parsed_example() -> None:
    first: Callable[[], Any] = lambda: shop_source("kubernetes", 2)  # noqa: E731
    docs = first()
    docs[0]["metadata"]["name"] = "changed"
    assert first()[0]["metadata"]["name"] != "changed"
    assert shop_source("swarm", 4)["services"]["api"]["deploy"]["replicas"] == 4
    assert shop_source("swarm", 5)["services"]["api"]["deploy"]["replicas"] == 5


def test_shop_runs_share_loaded_specs_that_no_simulator_changes() -> None:
    # run_shop deploys specs loaded once per system and api replicas; a simulator that kept
    # and edited a manifest instead of a copy would change every later run
    from clustersim.scenarios.shop import SYSTEMS, _shop_specs

    for system in SYSTEMS:
        before = [repr(spec.manifest) for spec in _shop_specs(system, 2)]
        first = run_shop.__wrapped__(system, api_replicas=2, fail_at=30.0)
        again = run_shop.__wrapped__(system, api_replicas=2, fail_at=30.0)
        assert [repr(spec.manifest) for spec in _shop_specs(system, 2)] == before
        assert repr(again) == repr(first)
        assert again.running["api"][-1] == 2
    assert run_shop.__wrapped__("kubernetes", api_replicas=5).running["api"][-1] == 5
    _shop_specs("kubernetes", 1)
    with pytest.raises(ValueError, match="api_replicas"):
        _shop_specs("kubernetes", True)          # not the cached entry of 1
