"""Rolling restarts: ``upgradeStrategy`` and how many instances Marathon kills and starts.

Sources: d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/state/UpgradeStrategy.scala``
(defaults and validation), ``core/deployment/impl/TaskReplaceActor.scala``
(``computeRestartStrategy``), tests ``core/deployment/impl/RestartStrategyTest.scala``; docs
``docs/docs/deployments.md`` and ``docs/docs/persistent-volumes.md``.

- ``minimumHealthCapacity`` (default 1.0) and ``maximumOverCapacity`` (default 1.0) are
  fractions in [0, 1]. Resident apps (local persistent volumes) default to 0.5 and 0, and
  their ``maximumOverCapacity`` must be 0: a new instance needs the old one's reservation.
- ``min_healthy = ceil(instances × minimumHealthCapacity)``,
  ``max_capacity = floor(instances × (1 + maximumOverCapacity))``; old instances beyond
  ``min_healthy`` are killed at once. When ``min_healthy == max_capacity`` and that many are
  already healthy, nothing could start: a resident app kills one more instance, any other app
  may run one instance over capacity. Extra instances left from an earlier deployment
  (``instances < current``) are killed at once too.
- During the restart new instances start while ``old + new < max_capacity``; each further
  old instance is killed when a new one is healthy (and ready) and ``min_healthy`` holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["UpgradeStrategy", "restart_strategy"]


@dataclass(frozen=True)
class UpgradeStrategy:
    """An app's ``upgradeStrategy`` with Marathon's defaults filled in."""

    minimum_health_capacity: float = 1.0
    maximum_over_capacity: float = 1.0

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | None, *, resident: bool = False,
              where: str = "upgradeStrategy") -> UpgradeStrategy:
        """Read ``{"minimumHealthCapacity": …, "maximumOverCapacity": …}`` and validate it."""
        default = cls(0.5, 0.0) if resident else cls()
        raw = raw or {}
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where} must be an object like "
                             '{"minimumHealthCapacity": 1, "maximumOverCapacity": 1}')
        values = {}
        for key, attr in (("minimumHealthCapacity", "minimum_health_capacity"),
                          ("maximumOverCapacity", "maximum_over_capacity")):
            value = raw.get(key, getattr(default, attr))
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ValueError(f"{where}.{key} must be a number between 0 and 1, got {value!r}")
            values[attr] = float(value)
        strategy = cls(**values)
        if resident and strategy.maximum_over_capacity != 0:
            raise ValueError(
                f"{where}.maximumOverCapacity must be 0 for an app with local persistent "
                "volumes: a new instance can only start where the old one's volume is"
            )
        return strategy


def restart_strategy(instances: int, upgrade_strategy: Any, current: int, healthy: int,
                     resident: bool = False) -> tuple[int, int, int]:
    """``(min_healthy, max_capacity, kill_immediately)`` for restarting an app.

    ``instances`` is the new target count, ``upgrade_strategy`` the app's
    ``upgradeStrategy`` (a dict, a ``(minimumHealthCapacity, maximumOverCapacity)`` pair, an
    :class:`UpgradeStrategy`, or ``None`` for the defaults),
    ``current`` the instances running now and ``healthy`` how many of them are considered
    healthy; ``resident`` marks an app with local persistent volumes.
    """
    for label, value in (("instances", instances), ("current", current), ("healthy", healthy)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{label} must be a whole number ≥ 0, got {value!r}")
    if instances == 0:
        raise ValueError("instances must be > 0 for a restart (scaling to 0 is a scale change)")
    if healthy > current:
        raise ValueError(f"healthy ({healthy}) cannot exceed current ({current})")
    if isinstance(upgrade_strategy, tuple | list) and len(upgrade_strategy) == 2:
        upgrade_strategy = dict(zip(("minimumHealthCapacity", "maximumOverCapacity"),
                                    upgrade_strategy, strict=True))
    strategy = (upgrade_strategy if isinstance(upgrade_strategy, UpgradeStrategy)
                else UpgradeStrategy.parse(upgrade_strategy, resident=resident))
    min_healthy = math.ceil(instances * strategy.minimum_health_capacity)
    max_capacity = math.floor(instances * (1 + strategy.maximum_over_capacity))
    kill = max(0, healthy - min_healthy)
    if min_healthy == max_capacity and max_capacity <= healthy:
        if resident:
            kill = healthy - min_healthy + 1
        else:
            max_capacity += 1
    if instances < current:
        kill = max(current - instances, kill)
    if max_capacity <= 0 or not (min_healthy < max_capacity or healthy - kill < max_capacity):
        raise ValueError(
            f"upgradeStrategy {strategy} leaves no room to start a new instance of {instances}"
        )
    return min_healthy, max_capacity, kill
