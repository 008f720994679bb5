"""A served swarm under a restart loop: memory and ``GET /tasks`` latency over time; and, in
process, the restart loops of the three simulators driven from Python, with their event logs.

A service whose containers exit 1 as soon as they start, restarted with no delay
(``docker service create --replicas 50 --restart-delay 0s --container-label
clustersim.io/exit-code=1 --container-label clustersim.io/run-seconds=0 busybox``), makes
a new task in every slot every 1.65 simulated seconds (accept, prepare and start: the agent's
steps pace the loop). The served daemon moves simulated time on when a request comes, under
its lock, so ``GET /tasks`` pays for the simulated time since the last request: the child's
CPU seconds are the steadier figure on a shared machine.

Measured in-process (December 2026, one 50-second step of simulated time at 50 replicas,
``DockerBackend.advance``): before the served swarm bounded what it keeps (restart history,
the versions of reaped tasks, the event record) each step took 1.0 to 1.2 s of CPU and the
process grew 6 MB (about 120 KB a simulated second, 0.4 GB an hour at speed 1); after it,
0.38 s and no growth (the store holds 5 tasks a slot, 250).

The script starts ``python -m clustersim serve swarm --speed SPEED`` in a child process on
127.0.0.1, creates the service through the Engine API and, every ``EVERY`` wall seconds for
``SECONDS`` (default 60), prints the child's resident memory (``VmRSS``), the tasks the store
holds and how long ``GET /tasks`` took; then it stops the child. Run:

    python benchmarks/swarm_restart_loop.py [--replicas 50] [--speed 10] [--seconds 60]
        [--in-process [--system swarm|kubernetes|mesos] [--nodes N]] [--base REF]

``--in-process`` runs the loop on a ``SwarmCluster`` in this process instead, as a notebook
does: ``fail_image("bad:1", after=0.001)`` and five services sharing the replicas, restart
delay 0 s and windows 0, 1, 5, 30 and 120 s, through ``SECONDS`` x ``SPEED`` simulated seconds
in steps of ``EVERY`` x ``SPEED``, printing this process's memory and the events kept.
Measured (December 2026, 100 replicas, 600 simulated s): the process's peak grew from 58 MB
at 60 s to 173 MB, all of it the event record; keeping the last
``clustersim.limits.MAX_LOGGED_EVENTS`` holds it at 68 MB through 1,200 s.

``--system kubernetes`` runs the loop on a ``KubernetesCluster`` of ``--nodes`` nodes
(default 5,000): a Deployment of the replicas whose containers exit a second after they
start (``fail_image``), restarted by the kubelet's crash-loop back-off; ``--system mesos``
on a ``MesosCluster`` of ``--nodes`` agents (default 500) with Marathon: an app of the
replicas whose health checks fail from the first minute on, killed and launched again, while
the master offers the agents Marathon declines. Each line prints the events kept and
recorded. Measured (December 2026, with ``--base main``): ``--system kubernetes --replicas
1000 --speed 8640 --seconds 70`` (5,000 nodes, a simulated week in 12-hour steps, 2,041,026
events) grew the process from 116 MB at 12 h to 392 MB when every event was kept, and holds
it at 99 to 104 MB keeping the last ``MAX_LOGGED_EVENTS``; ``--system mesos --replicas 100
--speed 3456 --seconds 50`` (500 agents, two simulated days, 2.5 million master events and
622,000 of Marathon's) grew it from 313 MB at 4.8 h to 2,398 MB, 1,331 MB with the event logs
bounded and the offer history not yet, and 155 to 287 MB with both (the rest was the master's
completed tasks, every one kept, about 14 MB each 4.8 simulated hours); keeping the last
``MAX_COMPLETED_TASKS_PER_FRAMEWORK`` (1,000) of each framework's, as a Mesos master does,
holds it at 145 to 157 MB through the two days.

(``--base REF`` runs the same loop on ``clustersim`` at the git revision REF first,
``baseline.py``: its child server inherits that copy's ``PYTHONPATH``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any

from baseline import command_line, parse, positive_int, run_at, span_seconds

EVERY = 5.0
"""Wall seconds between two looks."""


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        found = re.search(r"VmRSS:\s+(\d+) kB", status.read())
    return int(found.group(1)) / 1024 if found else float("nan")


def _cpu_seconds(pid: int) -> float:
    """The process's user and system CPU time (``/proc/PID/stat``, fields 14 and 15)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _request(url: str, body: dict | None = None) -> tuple[float, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data,
                                     headers={"Content-Type": "application/json"})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        text = answer.read()
    return time.perf_counter() - began, text


def loop(replicas: int, speed: float, seconds: float) -> None:
    """Serve, create the failing service, and print a line every :data:`EVERY` seconds."""
    child = subprocess.Popen([sys.executable, "-m", "clustersim", "serve", "swarm",
                              "--speed", str(speed)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+", child.stdout.readline())
        if found is None:
            raise SystemExit("the server printed no address")
        threading.Thread(target=child.stdout.read, daemon=True).start()   # a full pipe blocks it
        base = f"{found.group(0)}/v1.44"
        _request(f"{base}/services/create", {
            "Name": "loop", "Mode": {"Replicated": {"Replicas": replicas}},
            "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Labels": {
                "clustersim.io/exit-code": "1", "clustersim.io/run-seconds": "0"}},
                "RestartPolicy": {"Condition": "any", "Delay": 0}}})
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            time.sleep(EVERY)
            took, text = _request(f"{base}/tasks")
            print(f"{time.monotonic() - start:5.0f} s: RSS {_rss_mb(child.pid):6.1f} MB, "
                  f"CPU {_cpu_seconds(child.pid):5.1f} s, "
                  f"{len(json.loads(text)):5d} tasks, GET /tasks {took * 1000:7.1f} ms",
                  flush=True)
    finally:
        child.terminate()
        child.wait(timeout=30)


def _swarm(replicas: int, nodes: int) -> tuple[Any, list[Any]]:
    """Five crash-looping services sharing ``replicas`` (restart windows 0 to 120 s)."""
    from clustersim import Node
    from clustersim.swarm import SwarmCluster
    from clustersim.swarm.spec import RestartPolicy, ServiceSpec

    swarm = SwarmCluster(Node.many(nodes, "node", cpu=64, memory="256Gi"), seed=0)
    swarm.fail_image("bad:1", after=0.001)
    for i, window in enumerate((0.0, 1.0, 5.0, 30.0, 120.0)):
        swarm.apply_service(ServiceSpec(f"s{i}", image="bad:1", replicas=-(-replicas // 5),
                                        restart=RestartPolicy(delay=0.0, window=window)))
    return swarm, [swarm.events]


def _kubernetes(replicas: int, nodes: int) -> tuple[Any, list[Any]]:
    """A Deployment of ``replicas`` Pods whose container exits a second after it starts."""
    from clustersim.kubernetes import KubernetesCluster, default_nodes

    cluster = KubernetesCluster(default_nodes(nodes), seed=0)
    cluster.fail_image("bad:1", after=1)
    labels = {"app": "loop"}
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "loop"},
                   "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                            "template": {"metadata": {"labels": labels}, "spec": {
                                "containers": [{"name": "c", "image": "bad:1"}]}}}})
    return cluster, [cluster.events]


def _mesos(replicas: int, nodes: int) -> tuple[Any, list[Any]]:
    """Marathon's app of ``replicas`` instances, unhealthy from the first minute on."""
    from clustersim import Node, marathon
    from clustersim.mesos import MesosCluster

    cluster = MesosCluster(Node.many(nodes, cpu=4, memory="8Gi", ports=[(31000, 32000)]),
                           seed=0)
    framework = cluster.register(marathon.Marathon())
    framework.deploy({"id": "/loop", "cmd": "serve", "cpus": 0.1, "mem": 16,
                      "instances": replicas, "healthChecks": [{
                          "protocol": "HTTP", "gracePeriodSeconds": 5, "intervalSeconds": 5,
                          "maxConsecutiveFailures": 1}]})
    cluster.run(until=60)
    framework.set_health("/loop", False)
    return cluster, [cluster.events, framework.events]


SYSTEMS = {"swarm": (_swarm, 3), "kubernetes": (_kubernetes, 5000), "mesos": (_mesos, 500)}
"""Each ``--system``'s loop and its default ``--nodes``."""


def in_process(system: str, replicas: int, nodes: int | None, speed: float,
               seconds: float) -> None:
    """The ``--in-process`` loop of ``system``, a line every step."""
    make, default_nodes = SYSTEMS[system]
    cluster, logs = make(replicas, nodes or default_nodes)
    until = float(cluster.clock.now)
    end = until + seconds * speed
    while until < end:
        until = min(until + EVERY * speed, end)
        began = time.perf_counter()
        cluster.run(until=until)
        kept = " + ".join(f"{len(log):6d}" for log in logs)
        recorded = " + ".join(f"{getattr(log, 'recorded', len(log)):7d}" for log in logs)
        print(f"t={until:7.0f} s: RSS {_rss_mb(os.getpid()):6.1f} MB, step "
              f"{time.perf_counter() - began:6.2f} s, {len(cluster.snapshot().tasks):5d} "
              f"tasks, events kept {kept} of {recorded} recorded", flush=True)


def main() -> None:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--replicas", type=positive_int, default=50,
                        help="replicas of the failing service (default 50)")
    parser.add_argument("--speed", type=span_seconds, default=10.0,
                        help="simulated seconds per wall second (default 10)")
    parser.add_argument("--seconds", type=span_seconds, default=60.0,
                        help="wall seconds to watch (default 60)")
    parser.add_argument("--in-process", action="store_true",
                        help="run the loop on a simulator in this process (a notebook's "
                             "case) instead of a served swarm")
    parser.add_argument("--system", choices=sorted(SYSTEMS), default="swarm",
                        help="with --in-process: the simulator (default swarm)")
    parser.add_argument("--nodes", type=positive_int, default=None,
                        help="with --in-process: nodes or agents (default 3 swarm nodes, "
                             "5,000 Kubernetes nodes, 500 Mesos agents)")
    args, argv = parse(parser)
    if args.base is not None:
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    if not args.in_process:
        print(f"{args.replicas} replicas failing at once, restart delay 0 s, speed "
              f"{args.speed:g}", flush=True)
        loop(args.replicas, args.speed, args.seconds)
        return
    print(f"{args.system}: {args.replicas} replicas failing, speed {args.speed:g}, in process",
          flush=True)
    in_process(args.system, args.replicas, args.nodes, args.speed, args.seconds)


if __name__ == "__main__":
    main()
