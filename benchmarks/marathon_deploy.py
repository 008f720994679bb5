"""How long Marathon takes to deploy big group trees, in simulated and in wall-clock time.

Scenarios:

- ``benchmark-real 100 apps``: d2iq-archive/marathon's ``benchmark-real/155_100.json`` (read
  from ``../shared/realworld/marathon/``) on a DC/OS-shaped cluster of 10 private agents
  whose attributes satisfy its ``platform``/``rack`` CLUSTER constraints. Its apps ask for
  0 instances, so this measures planning and the start/scale steps alone;
- the same 100 apps with 1 instance each, so every app really launches;
- a generated tree of 1,000 apps (10 groups × 10 subgroups × 10 apps, 1 to 3 instances,
  every subgroup depending on the previous one of its group, a quarter of the apps with
  ``["hostname", "UNIQUE"]``) on 1,000 agents.

Run: ``python benchmarks/marathon_deploy.py``. Prints, per scenario, apps, instances,
deployment steps, simulated seconds until the deployment succeeded, Mesos allocation rounds
and wall time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from baseline import command_line, parse

if TYPE_CHECKING:
    from clustersim.mesos import MesosCluster

REAL = (Path(__file__).resolve().parent.parent.parent / "shared" / "realworld" / "marathon"
        / "marathon__benchmark-real__155_100.json")


def generated_tree(groups: int = 10, subgroups: int = 10, apps: int = 10) -> dict:
    tree: dict = {"id": "/bench", "groups": []}
    number = 0
    for g in range(groups):
        group: dict = {"id": f"/bench/g{g}", "groups": []}
        for s in range(subgroups):
            sub: dict = {"id": f"/bench/g{g}/s{s}", "apps": []}
            if s:
                sub["dependencies"] = [f"/bench/g{g}/s{s - 1}"]
            for a in range(apps):
                number += 1
                sub["apps"].append({
                    "id": f"/bench/g{g}/s{s}/app{a}", "cmd": "serve", "cpus": 0.1, "mem": 64,
                    "instances": number % 3 + 1,
                    "constraints": [["hostname", "UNIQUE"]] if number % 4 == 0 else [],
                })
            group["groups"].append(sub)
        tree["groups"].append(group)
    return tree


def run(label: str, cluster: MesosCluster, source: object) -> None:
    from clustersim import marathon

    m = cluster.register(marathon.Marathon())
    started = time.perf_counter()
    deployment = m.deploy(source)
    while deployment.status == "running" and cluster.now < 3600:
        cluster.run(until=cluster.now + 5)
    wall = time.perf_counter() - started
    instances = sum(row["running"] for row in m.status())
    took = m.wait_time(deployment)
    simulated = "unfinished" if took is None else f"{took:.1f} s"
    print(f"{label:<34} apps={len(m.apps):>5} instances={instances:>5} "
          f"steps={len(deployment.steps):>3} status={deployment.status:<8} "
          f"simulated={simulated:>9} "
          f"rounds={cluster.allocation_rounds:>5} wall={wall:>6.2f} s")


def main() -> None:
    from clustersim import Node, marathon
    from clustersim.mesos import MesosCluster

    if REAL.exists():
        attributes = {"platform": "foo", "rack": "bax-bar"}
        run("benchmark-real 100 apps", marathon.dcos_cluster(10, 0, attributes=attributes),
            REAL)
        scaled = json.loads(REAL.read_text())
        for app in scaled["apps"]:
            app["instances"] = 1
        run("benchmark-real 100 apps x1", marathon.dcos_cluster(10, 0, attributes=attributes),
            scaled)
    else:
        print(f"(corpus not found at {REAL}; skipping the benchmark-real scenarios)")
    agents = Node.many(1000, cpu=8, memory="32Gi", ports=[(31000, 32000)])
    run("generated 1,000 apps, 1,000 agents", MesosCluster(agents, seed=0), generated_tree())


if __name__ == "__main__":
    parse(command_line(__file__, __doc__))
    main()
