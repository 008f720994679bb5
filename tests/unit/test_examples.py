"""The example application says the same thing in all three dialects."""

from __future__ import annotations

import pytest

from clustersim import load_manifests
from clustersim.examples import SYSTEMS, example_path, example_text, tier_of


def workloads_by_tier(system: str) -> dict:
    specs = load_manifests(example_path(system))
    return {tier_of(w.name): w for s in specs for w in s.workloads()}


def test_every_dialect_has_the_four_tiers_with_the_same_sizes() -> None:
    by_system = {system: workloads_by_tier(system) for system in SYSTEMS}
    for system, found in by_system.items():
        assert set(found) == {"db", "cache", "api", "frontend"}, system
    for tier in ("db", "cache", "api", "frontend"):
        shapes = {s: (w.replicas, w.cpu, w.memory) for s, w in
                  ((s, by_system[s][tier]) for s in SYSTEMS)}
        assert len(set(shapes.values())) == 1, f"{tier} differs between dialects: {shapes}"


def test_the_api_depends_on_the_database_and_the_cache_where_the_dialect_can_say_so() -> None:
    marathon = workloads_by_tier("marathon")
    assert set(marathon["api"].dependencies) == {"/shop/db", "/shop/cache"}
    swarm = workloads_by_tier("swarm")
    assert set(swarm["api"].dependencies) == {"db", "cache"}
    # Kubernetes has no dependencies between workloads: readiness and retries do that job.
    assert workloads_by_tier("kubernetes")["api"].dependencies == ()


def test_lookup_errors_are_clear() -> None:
    assert "kind: StatefulSet" in example_text("kubernetes")
    with pytest.raises(ValueError, match="system must be one of"):
        example_path("nomad")
    with pytest.raises(ValueError, match="no example application 'nope'"):
        example_path("swarm", app="nope")
    with pytest.raises(ValueError, match="not a workload"):
        tier_of("/other/thing")
