"""How fast the Swarm simulator schedules: tasks placed per second and simulated runs.

Prints (1) the scheduler alone placing one group of N tasks on M nodes, with and without a
placement preference, (2) a whole SwarmCluster deploying a replicated and a global
service and running them to steady state, with peak memory, and (3) a node advertising
thousands of named generic resources (GPU IDs), two tasks reserving half of them each. Run:

    python benchmarks/swarm_schedule.py
"""

from __future__ import annotations

import random
import time
import tracemalloc

from baseline import command_line, parse


def scheduler_only(nodes: int, tasks: int, preferences: tuple[str, ...]) -> float:
    from clustersim import Node
    from clustersim.swarm.scheduler import NodeInfo, Scheduler
    from clustersim.swarm.spec import ServiceSpec
    from clustersim.swarm.tasks import Task, TaskState

    infos = [NodeInfo(Node(f"n{i}", 4, "8Gi", labels={"zone": f"z{i % 3}"}), True, "active",
                      4 * 10**9, 8 * 2**30, []) for i in range(nodes)]
    spec = ServiceSpec("s", preferences=preferences)
    group = [Task(f"t{i}", "s", i + 1, 1, spec, 0.0, state=TaskState.PENDING)
             for i in range(tasks)]
    start = time.perf_counter()
    Scheduler(random.Random(0)).schedule_group(group, infos, 0.0)
    return time.perf_counter() - start


def whole_cluster(nodes: int, replicas: int) -> tuple[float, int, int]:
    from clustersim import Node
    from clustersim.swarm import SwarmCluster

    tracemalloc.start()
    start = time.perf_counter()
    cluster = SwarmCluster([Node("m", 8, "32Gi", role="manager"),
                            *Node.many(nodes - 1, "w", cpu=8, memory="32Gi")], seed=0)
    cluster.deploy_stack("bench", {"services": {
        "web": {"image": "web", "deploy": {"replicas": replicas}},
        "agent": {"image": "agent", "deploy": {"mode": "global"}}}})
    cluster.run(until=30)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    running = sum(1 for t in cluster.tasks() if t.state == "running")
    return elapsed, running, peak


def named_ids(ids: int) -> float:
    """CPU seconds to place two tasks that reserve ``ids // 2`` IDs each of a node's
    ``ids`` named GPUs, and run them for a simulated minute."""
    from clustersim import Node
    from clustersim.swarm import SwarmCluster

    start = time.process_time()
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"), Node(
        "gpu", 4, "8Gi", generic_resources=[f"gpu=GPU-{i}" for i in range(ids)])], seed=0)
    cluster.deploy_stack("ml", {"services": {"train": {"image": "trainer:1", "deploy": {
        "replicas": 2, "resources": {"reservations": {"generic_resources": [
            {"discrete_resource_spec": {"kind": "gpu", "value": ids // 2}}]}}}}}})
    cluster.run(until=60)
    return time.process_time() - start


def main() -> None:
    print("scheduler alone (one group, fresh nodes):")
    for nodes, tasks in [(10, 100), (100, 1000), (1000, 10000)]:
        for prefs in [(), ("node.labels.zone",)]:
            seconds = scheduler_only(nodes, tasks, prefs)
            label = "spread over zone" if prefs else "no preference"
            print(f"  {nodes:5d} nodes, {tasks:6d} tasks, {label:17s}: {seconds * 1000:8.1f} ms"
                  f"  ({tasks / seconds:,.0f} tasks/s)")
    print("whole cluster (deploy replicated + global, run 30 simulated s):")
    for nodes, replicas in [(10, 50), (50, 500), (200, 2000)]:
        seconds, running, peak = whole_cluster(nodes, replicas)
        print(f"  {nodes:4d} nodes, {replicas:5d} replicas + global: {seconds:6.2f} s wall, "
              f"{running} running tasks, peak {peak / 2**20:.1f} MiB")
    print("named generic resources (two tasks, half the node's IDs each, a simulated minute):")
    for ids in (2000, 20000):
        print(f"  {ids:6d} IDs: {named_ids(ids):6.2f} s CPU")


if __name__ == "__main__":
    parse(command_line(__file__, __doc__))
    main()
