"""How long one update of the self-healing, rolling-update and storage widgets takes.

Each control change re-runs the simulators (until the end of the scenario) and updates the
chart in place; ipywidgets calls the observers synchronously, so setting a control's value in
Python measures the whole round trip in the kernel (the browser's repaint comes on top).
Target: well under 100 ms.

Scenarios:

- ``healing: all three, move fail time``: the failure time slider with all three systems;
- ``healing: Kubernetes only, tolerationSeconds``: one system, the toleration slider;
- ``updates: Kubernetes maxUnavailable``: type a new maxUnavailable;
- ``updates: Swarm parallelism``: move Swarm's parallelism slider;
- ``updates: Marathon minimumHealthCapacity``: move Marathon's slider;
- ``storage: all three, operator time``: move the operator's time slider.

Run: ``python benchmarks/lab_widgets_b.py``. Prints the median and the slowest of ``ROUNDS``
updates per scenario, in milliseconds, and the time to build each static rendering.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from clustersim.widgets.healing import healing_app
from clustersim.widgets.storage import storage_app
from clustersim.widgets.updates import updates_app

ROUNDS = 20


def measure(change: Callable[[int], None]) -> tuple[float, float]:
    """Median and maximum time (ms) of ``ROUNDS`` calls of ``change(i)``."""
    times = []
    for i in range(ROUNDS):
        start = time.perf_counter()
        change(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    healing = healing_app()
    hc = healing.controls
    updates = updates_app()
    uc = updates.controls
    storage = storage_app()
    sc = storage.controls
    scenarios: dict[str, Callable[[int], None]] = {}

    def heal_all(i: int) -> None:
        hc["system"].value = "all"
        hc["fail_at"].value = 30 + 10 * (i % 5)

    def heal_k8s(i: int) -> None:
        hc["system"].value = "kubernetes"
        hc["tolerationSeconds"].value = 30 * (i % 10)

    def updates_k8s(i: int) -> None:
        uc["system"].value = "kubernetes"
        uc["maxUnavailable"].value = str(i % 4)

    def updates_swarm(i: int) -> None:
        uc["system"].value = "swarm"
        uc["parallelism"].value = i % 4

    def updates_marathon(i: int) -> None:
        uc["system"].value = "marathon"
        uc["minimumHealthCapacity"].value = 0.5 + 0.1 * (i % 5)

    def storage_all(i: int) -> None:
        sc["act_at"].value = 60 + 30 * (i % 8)

    scenarios = {"healing: all three, move fail time": heal_all,
                 "healing: Kubernetes only, tolerationSeconds": heal_k8s,
                 "updates: Kubernetes maxUnavailable": updates_k8s,
                 "updates: Swarm parallelism": updates_swarm,
                 "updates: Marathon minimumHealthCapacity": updates_marathon,
                 "storage: all three, operator time": storage_all}
    print(f"{'scenario':48} {'median ms':>10} {'max ms':>8}")
    for name, change in scenarios.items():
        change(ROUNDS + 1)          # warm the caches and the first FigureWidget
        median, worst = measure(change)
        print(f"{name:48} {median:10.1f} {worst:8.1f}")
    for name, app in (("healing", healing), ("updates", updates), ("storage", storage)):
        start = time.perf_counter()
        size = len(app.static_html())
        print(f"static rendering of {name}: {(time.perf_counter() - start) * 1000:.0f} ms, "
              f"{size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
