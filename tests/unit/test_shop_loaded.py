"""run_shop's shortcuts give the plain runs' results: it deploys the example loaded once per
system and api replica count (``clustersim.scenarios.shop._shop_specs``), which no run may
change (later runs share them), and keeps a sample's tier counts when its snapshot shares the
last one's tasks (``_counts``)."""

from __future__ import annotations

from unittest.mock import patch

import pytest

from clustersim.manifests import load_manifests
from clustersim.scenarios import shop
from clustersim.scenarios.shop import SYSTEMS, run_shop, shop_source


@pytest.mark.parametrize("system", SYSTEMS)
def test_runs_from_loaded_specs_are_those_of_the_manifest(system: str) -> None:
    loaded = [repr(run_shop.__wrapped__(system, api_replicas=4, fail_at=fail_at))
              for fail_at in (None, 60.0)]
    with patch.object(shop, "_shop_specs", shop_source):
        plain = [repr(run_shop.__wrapped__(system, api_replicas=4, fail_at=fail_at))
                 for fail_at in (None, 60.0)]
    assert loaded == plain


@pytest.mark.parametrize("system", SYSTEMS)
def test_runs_leave_the_loaded_specs_as_loaded(system: str) -> None:
    for fail_at in (None, 30.0, 120.0):
        run_shop.__wrapped__(system, api_replicas=5, fail_at=fail_at)
    fresh = load_manifests(shop_source(system, 5))
    kept = shop._shop_specs(system, 5)
    assert [s.manifest for s in kept] == [s.manifest for s in fresh]
    assert [s.typed for s in kept] == [s.typed for s in fresh]
    assert shop._shop_specs.cache_info().maxsize == 3 * 21   # every count 0-20 of each system


def test_tiers_are_read_as_tier_of_reads_them() -> None:
    names = ["/shop/db/postgres", "shop_api", "frontend", "/shop/web/api"]
    assert [shop._tier(n) for n in names * 2] == [shop.tier_of(n) for n in names * 2]
    with pytest.raises(ValueError, match="not a workload"):
        shop._tier("/other/app")
    assert shop._tier.cache_info().maxsize == 64


@pytest.mark.parametrize("system", SYSTEMS)
def test_counts_kept_from_a_shared_snapshot_are_those_of_a_fresh_count(system: str) -> None:
    """A sample whose snapshot shares the last one's tasks keeps the last counts: they must
    be what counting again gives, through a failure and its recovery."""
    kept = [run_shop.__wrapped__(system, api_replicas=4, fail_at=fail_at)
            for fail_at in (None, 30.0, 120.0)]
    counts = shop._counts
    with patch.object(shop, "_counts", lambda s, c, snap, last: counts(s, c, snap, None)):
        fresh = [run_shop.__wrapped__(system, api_replicas=4, fail_at=fail_at)
                 for fail_at in (None, 30.0, 120.0)]
    assert [(r.running, r.ready) for r in kept] == [(r.running, r.ready) for r in fresh]
