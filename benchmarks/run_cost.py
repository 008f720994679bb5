"""What a long run costs: the figures behind ``MAX_RUN_SECONDS`` and ``MAX_RUN_EVENTS``.

Simulates one day of periodic work that never ends by itself and prints the simulated events
and the wall time: a Kubernetes CronJob every five minutes on the default cluster, and an idle
Mesos cluster with Marathon registered (an allocation round every second). Events per second
of wall time tell how long ``MAX_RUN_EVENTS`` events take.

Run: ``python benchmarks/run_cost.py``.
"""

from __future__ import annotations

import time

from baseline import command_line, parse

DAY = 86_400.0
CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox}]
"""


def _measure(label: str, clock, run) -> None:
    start = time.perf_counter()
    run(until=DAY)
    seconds = time.perf_counter() - start
    events = clock.steps
    print(f"{label:34} one simulated day: {events:>7,} events  {seconds:6.2f} s  "
          f"{events / seconds:7,.0f} events/s")


def main() -> None:
    from clustersim.clusters import demo_nodes
    from clustersim.kubernetes import KubernetesCluster
    from clustersim.marathon import Marathon
    from clustersim.mesos import MesosCluster

    k8s = KubernetesCluster(demo_nodes("kubernetes"))
    k8s.apply(CRONJOB)
    _measure("Kubernetes, CronJob every 5 min", k8s.clock, k8s.run)
    mesos = MesosCluster(demo_nodes("mesos"))
    mesos.register(Marathon())
    _measure("Mesos + Marathon, idle", mesos.clock, mesos.run)


if __name__ == "__main__":
    parse(command_line(__file__, __doc__))
    main()
