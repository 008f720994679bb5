"""How long one update of the three-dialects, app-tree and networking widgets takes.

ipywidgets calls observers synchronously when a control changes, so setting a control's value
in Python runs the whole update (simulate, rebuild the traces, update the FigureWidget in one
``batch_update``). The time measured is that round trip in the kernel; the browser's repaint
comes on top. Target: well under 100 ms.

Scenarios:

- ``dialects: new scenario (cold)``: a replica count / failure combination not run before:
  ``shop`` is simulated on all three systems (Kubernetes, Marathon on Mesos, Swarm);
- ``dialects: scenario seen before``: the explorer keeps the runs it made, so going back to a
  combination only redraws;
- ``apptrees: toggle a dependency``: recompute the deployment plan and recolour the tree;
- ``apptrees: change scaleBy``: scale the group, recompute the plan;
- ``networking: change the instance count``: run the port-8080 service in all eight network
  modes on the three simulators and redraw the bars.

Run: ``python benchmarks/lab_widgets_a.py``. Prints the median and the slowest update per
scenario, in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

from clustersim.widgets.apptrees import app_tree_explorer
from clustersim.widgets.dialects import dialects_explorer
from clustersim.widgets.networking import networking_explorer


def measure(changes: Sequence[Callable[[], None]]) -> tuple[float, float]:
    """Median and maximum time (ms) of the calls in ``changes``."""
    times = []
    for change in changes:
        start = time.perf_counter()
        change()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def setter(control: object, value: object) -> Callable[[], None]:
    def change() -> None:
        control.value = value  # type: ignore[attr-defined]
    return change


def main() -> None:
    dialects = dialects_explorer()
    replicas, failure = dialects.widget.children[0].children
    cold = []   # every change below reaches a combination the explorer has not run yet
    current = replicas.value
    for fail in [v for _, v in failure.options][1:]:
        cold.append(setter(failure, fail))
        sweep = [r for r in range(1, 7) if r != current]
        cold += [setter(replicas, r) for r in sweep]
        current = sweep[-1]
    warm = [setter(replicas, r) for r in (1, 2, 3, 4, 5, 6) * 4]

    trees = app_tree_explorer()
    boxes = trees.widget.children[1].children
    factor = trees.widget.children[2].children[0]
    toggles = [setter(boxes[i % 3], bool(i // 3 % 2)) for i in range(30)]
    factors = [setter(factor, f) for f in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0) * 5]

    network = networking_explorer()
    count = network.widget.children[0]
    counts = [setter(count, c) for c in (2, 5, 8, 3, 10, 1, 7, 4, 9, 6) * 2]

    scenarios = {
        "dialects: new scenario (cold)": cold,
        "dialects: scenario seen before": warm,
        "apptrees: toggle a dependency": toggles,
        "apptrees: change scaleBy": factors,
        "networking: change the instance count": counts,
    }
    print(f"{'scenario':42} {'median ms':>10} {'max ms':>8}")
    for name, changes in scenarios.items():
        median, worst = measure(changes)
        print(f"{name:42} {median:10.1f} {worst:8.1f}")


if __name__ == "__main__":
    main()
