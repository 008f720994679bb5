"""A stream of simulated requests to a service, and what became of each.

Kubernetes Services (:mod:`clustersim.kubernetes.services`) and marathon-lb
(:mod:`clustersim.marathon.discovery`) both fill a :class:`RequestStream`, so what requests see
during a rolling update or a node failure can be compared across systems with the same
``buckets()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clustersim.limits import MAX_BUCKETS, check_count

__all__ = ["RequestStream"]


@dataclass
class RequestStream:
    """Requests sent to one service at ``rate`` per second (Poisson arrivals) from ``start`` to
    ``stop``; ``records`` holds ``(time, served, task name or None)`` for each request.

    ``service`` and ``namespace`` name the target the way its system does: a Kubernetes
    Service and its namespace, or a marathon-lb service port and the Marathon group."""

    service: str
    namespace: str
    rate: float
    start: float
    stop: float | None
    records: list[tuple[float, bool, str | None]] = field(default_factory=list)

    def buckets(self, width: float = 1.0) -> list[dict[str, float]]:
        """Served and failed counts per time bucket of ``width`` seconds, from ``start`` to
        ``stop`` (or the last request): ``[{"start", "end", "served", "failed"}, …]``."""
        if isinstance(width, bool) or not isinstance(width, int | float) or not width > 0:
            raise ValueError(f"bucket width must be a number > 0 seconds, got {width!r}")
        if not self.records:
            return []
        end = self.stop if self.stop is not None else self.records[-1][0]
        count = max(1, int((end - self.start) / width + 0.999999))
        check_count(count, MAX_BUCKETS, f"the number of {width:g}-second buckets",
                    "clustersim.limits.MAX_BUCKETS; choose a wider bucket")
        rows = [{"start": self.start + i * width, "end": self.start + (i + 1) * width,
                 "served": 0, "failed": 0} for i in range(count)]
        for time, served, _pod in self.records:
            index = min(count - 1, int((time - self.start) / width))
            rows[index]["served" if served else "failed"] += 1
        return rows

    @property
    def served(self) -> int:
        return sum(1 for _, ok, _ in self.records if ok)

    @property
    def failed(self) -> int:
        return sum(1 for _, ok, _ in self.records if not ok)

    def by_pod(self) -> dict[str, int]:
        """Served requests per pod."""
        counts: dict[str, int] = {}
        for _, ok, pod in self.records:
            if ok and pod is not None:
                counts[pod] = counts.get(pod, 0) + 1
        return dict(sorted(counts.items()))
