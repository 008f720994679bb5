"""How long one widget update takes: a control change until the output HTML is re-rendered.

ipywidgets calls observers synchronously when a trait changes, so setting a control's value
in Python runs the whole update (filter or rank, render the HTML, set the output widget's
value). The time measured is that round trip in the kernel; the browser's repaint of the
HTML comes on top and is not measured here. Target: well under 100 ms.

Scenarios:

- ``comparison: toggle a system``: untick and tick one system's checkbox (all categories open);
- ``comparison: type a search``: set the search box to a word and back to empty;
- ``comparison: only differences``: switch the differences filter on and off;
- ``decision: move a slider``: move one weight slider (re-rank and re-render the ranking);
- ``decision: choose a preset``: pick a preset, which sets nine sliders and renders once.

Run: ``python benchmarks/widget_update.py``. Prints the median and the slowest of 50 updates
per scenario, in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from clustersim.widgets.comparison import comparison_app
from clustersim.widgets.decision import decision_app

ROUNDS = 50


def measure(change: Callable[[int], None]) -> tuple[float, float]:
    """Median and maximum time (ms) of ``ROUNDS`` calls of ``change(i)``."""
    times = []
    for i in range(ROUNDS):
        start = time.perf_counter()
        change(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    compare = comparison_app()
    box = compare.controls["systems"]["swarm"]
    search = compare.controls["search"]
    differences = compare.controls["differences"]
    decide = decision_app()
    slider = decide.controls["weights"]["simplicity"]
    menu = decide.controls["preset"]
    presets = [v for _, v in menu.options if v]

    def toggle(i: int) -> None:
        box.value = not box.value

    def type_search(i: int) -> None:
        search.value = "secrets" if i % 2 == 0 else ""

    def flip_differences(i: int) -> None:
        differences.value = not differences.value

    def move(i: int) -> None:
        slider.value = i % 6

    def choose(i: int) -> None:
        menu.value = presets[i % len(presets)]

    scenarios = {
        "comparison: toggle a system": toggle,
        "comparison: type a search": type_search,
        "comparison: only differences": flip_differences,
        "decision: move a slider": move,
        "decision: choose a preset": choose,
    }
    print(f"widget update time, {ROUNDS} updates each (target: well under 100 ms)")
    for name, change in scenarios.items():
        median, worst = measure(change)
        print(f"{name:32s} median {median:6.2f} ms   max {worst:6.2f} ms")


if __name__ == "__main__":
    main()
