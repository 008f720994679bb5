"""The NumPy fast path: the same choice as the reference path, computed over arrays.

(Filled in below; until then it runs the reference cycle.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo


class FastPath:
    def __init__(self, scheduler: Any) -> None:
        self.scheduler = scheduler

    def schedule(self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> Any:
        return self.scheduler.schedule_reference(pod, nodes)
