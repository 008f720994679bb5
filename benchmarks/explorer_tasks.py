"""What one manifest explorer update costs as a source asks for more tasks: the figures
behind ``MAX_EXPLORED_TASKS``.

For each dialect and each size, pastes a one-workload manifest of that many tasks (small
requests, so that most fit) into the explorer and clicks "Load and place", twice with texts it
has not seen (each is simulated), with the limit lifted for the measurement. It prints the wall
time and the CPU time of the process (``time.process_time``: what the update itself cost,
whatever else runs on the machine) of each click. The widget target is an update well under
100 ms.

Run: ``python benchmarks/explorer_tasks.py [N ...]`` (default: 100 500 1000 5000).
"""

from __future__ import annotations

import json
import time
from unittest import mock

from baseline import command_line, parse, positive_int

SIZES = (100, 500, 1000, 5000)
SYSTEMS = ("kubernetes", "swarm", "marathon")


def manifest(system: str, tasks: int, tag: str) -> str:
    """One workload of ``tasks`` tasks of 10 millicores and 16 MiB each."""
    import yaml

    if system == "kubernetes":
        labels = {"app": f"web{tag}"}
        container = {"name": "c", "image": "nginx",
                     "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}
        return yaml.safe_dump({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"web{tag}"},
            "spec": {"replicas": tasks, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [container]}}}})
    if system == "swarm":
        reservations = {"cpus": "0.01", "memory": "16M"}
        return yaml.safe_dump({"services": {f"web{tag}": {
            "image": "nginx",
            "deploy": {"replicas": tasks, "resources": {"reservations": reservations}}}}})
    return json.dumps({"id": f"/web{tag}", "cmd": "sleep 1000", "cpus": 0.01, "mem": 16,
                       "instances": tasks}, indent=1)


def main(sizes: list[int]) -> None:
    import clustersim.explore
    from clustersim.widgets.explorer import PASTE, manifest_explorer

    app = manifest_explorer()
    choice, text, run, report, _ = app.widget.children
    choice.value = PASTE
    print(f"{'system':11} {'tasks':>6}  {'1st wall':>9} {'1st CPU':>8}  {'2nd wall':>9} "
          f"{'2nd CPU':>8}  result")
    with mock.patch.object(clustersim.explore, "MAX_EXPLORED_TASKS", max(sizes)):
        for system in SYSTEMS:
            for tasks in sizes:
                times = []
                for attempt in range(2):
                    text.value = manifest(system, tasks, f"{tasks}x{attempt}")
                    wall, cpu = time.perf_counter(), time.process_time()
                    run.click()
                    times += [time.perf_counter() - wall, time.process_time() - cpu]
                status = "refused" if "Problem:" in report.value else "placed"
                print(f"{system:11} {tasks:>6}  " + "  ".join(
                    f"{times[i] * 1000:7.0f}ms {times[i + 1] * 1000:6.0f}ms" for i in (0, 2))
                    + f"  {status}", flush=True)


if __name__ == "__main__":
    parser = command_line(__file__, __doc__)
    parser.add_argument("tasks", nargs="*", type=positive_int,
                        help=f"tasks per source (default {' '.join(map(str, SIZES))})")
    main(parse(parser)[0].tasks or list(SIZES))
