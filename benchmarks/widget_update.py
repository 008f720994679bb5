"""How long one widget update takes, for every live app of the course.

ipywidgets calls observers synchronously when a control's value changes, so setting a value in
Python runs the whole update: re-simulate or re-rank, rebuild the traces or HTML, update the
output in place (a FigureWidget in one ``batch_update``). The time measured is that round trip
in the kernel; the browser's repaint comes on top and is not measured. Target: well under
100 ms. It also times building each app's static rendering (what the book shows), once.

Run: ``python benchmarks/widget_update.py``. Prints the median and the slowest update per
scenario, in milliseconds. Each scenario starts with one unmeasured change (warm caches).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from clustersim import Node
from clustersim.widgets import (
    app_tree_explorer,
    comparison_app,
    decision_app,
    dialects_explorer,
    drf_explorer,
    fit_explorer,
    healing_app,
    manifest_explorer,
    networking_explorer,
    storage_app,
    updates_app,
)

Change = Callable[[], None]


def setter(control: Any, value: Any) -> Change:
    def change() -> None:
        control.value = value
    return change


def measure(changes: Sequence[Change]) -> tuple[float, float]:
    """Median and maximum time (ms) of the calls in ``changes`` after a first, warm-up call."""
    changes[0]()
    times = []
    for change in changes:
        start = time.perf_counter()
        change()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def compare_and_choose(apps: dict) -> dict[str, list[Change]]:
    compare = apps["comparison"] = comparison_app()
    box, search = compare.controls["systems"]["swarm"], compare.controls["search"]
    differences = compare.controls["differences"]
    decide = apps["decision"] = decision_app()
    slider, menu = decide.controls["weights"]["simplicity"], decide.controls["preset"]
    presets = [v for _, v in menu.options if v]
    return {
        "comparison: toggle a system": [setter(box, i % 2 == 0) for i in range(50)],
        "comparison: type a search": [setter(search, "secrets" if i % 2 else "")
                                      for i in range(50)],
        "comparison: only differences": [setter(differences, i % 2 == 0) for i in range(50)],
        "decision: move a slider": [setter(slider, i % 6) for i in range(50)],
        "decision: choose a preset": [setter(menu, presets[i % len(presets)]) for i in range(50)],
    }


def first_labs(apps: dict) -> dict[str, list[Change]]:
    fit = apps["fit"] = fit_explorer([Node("small", 2, "8Gi"), Node("large", 8, "32Gi")])
    cpu = fit.widget.children[0].children[0]
    drf = apps["drf"] = drf_explorer()
    weight = drf.widget.children[2]
    explorer = apps["explorer"] = manifest_explorer()
    choice, _, run, _, _ = explorer.widget.children
    systems = list(choice.options)[:3]

    def place(i: int) -> Change:
        def change() -> None:
            choice.value = systems[i % 3]
            run.click()
        return change

    return {
        "first-look: CPU request": [setter(cpu, 100 + 50 * (i % 30)) for i in range(50)],
        "DRF: weight of B": [setter(weight, 1 + 0.5 * (i % 7)) for i in range(30)],
        "explorer: load and place the example": [place(i) for i in range(12)],
    }


def dialects_trees_networking(apps: dict) -> dict[str, list[Change]]:
    dialects = apps["dialects"] = dialects_explorer()
    replicas, failure = dialects.widget.children[0].children
    cold, current = [], replicas.value   # combinations the explorer has not run yet
    for fail in [v for _, v in failure.options][1:]:
        cold.append(setter(failure, fail))
        sweep = [r for r in range(1, 7) if r != current]
        cold += [setter(replicas, r) for r in sweep]
        current = sweep[-1]
    trees = apps["app trees"] = app_tree_explorer()
    boxes = trees.widget.children[1].children
    factor = trees.widget.children[2].children[0]
    network = apps["networking"] = networking_explorer()
    count = network.widget.children[0]
    return {
        "dialects: new scenario (cold)": cold,
        "dialects: scenario seen before": [setter(replicas, r) for r in (1, 2, 3, 4, 5, 6) * 4],
        "apptrees: toggle a dependency": [setter(boxes[i % 3], bool(i // 3 % 2))
                                          for i in range(30)],
        "apptrees: change scaleBy": [setter(factor, f) for f in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0) * 5],
        "networking: instance count": [setter(count, c) for c in (2, 5, 8, 3, 10, 1, 7, 4, 9, 6)],
    }


def healing_updates_storage(apps: dict) -> dict[str, list[Change]]:
    hc = (apps.setdefault("healing", healing_app())).controls
    uc = (apps.setdefault("updates", updates_app())).controls
    sc = (apps.setdefault("storage", storage_app())).controls

    def both(first: Any, value: Any, second: Any, other: Any) -> Change:
        def change() -> None:
            first.value = value
            second.value = other
        return change

    return {
        "healing: all three, move fail time": [both(hc["system"], "all", hc["fail_at"],
                                                     30 + 10 * (i % 5)) for i in range(20)],
        "healing: Kubernetes, tolerationSeconds": [
            both(hc["system"], "kubernetes", hc["tolerationSeconds"], 30 * (i % 10))
            for i in range(20)],
        "updates: Kubernetes maxUnavailable": [
            both(uc["system"], "kubernetes", uc["maxUnavailable"], str(i % 4)) for i in range(20)],
        "updates: Swarm parallelism": [both(uc["system"], "swarm", uc["parallelism"], i % 4)
                                       for i in range(20)],
        "updates: Marathon minimumHealthCapacity": [
            both(uc["system"], "marathon", uc["minimumHealthCapacity"], 0.5 + 0.1 * (i % 5))
            for i in range(20)],
        "storage: all three, operator time": [setter(sc["act_at"], 60 + 30 * (i % 8))
                                              for i in range(20)],
    }


def main() -> None:
    apps: dict[str, Any] = {}
    scenarios: dict[str, list[Change]] = {}
    for group in (compare_and_choose, first_labs, dialects_trees_networking,
                  healing_updates_storage):
        scenarios.update(group(apps))
    print(f"widget update time (target: well under 100 ms)\n{'scenario':44} {'median ms':>10}"
          f" {'max ms':>8}")
    for name, changes in scenarios.items():
        median, worst = measure(changes)
        print(f"{name:44} {median:10.1f} {worst:8.1f}")
    print("\nstatic rendering (what the book shows), built once:")
    for name, app in apps.items():
        start = time.perf_counter()
        size = len(app.static_html())
        print(f"{name:44} {(time.perf_counter() - start) * 1000:10.0f} ms {size / 1024:6.0f} kB")


if __name__ == "__main__":
    main()
