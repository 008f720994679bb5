"""How much of the real docker CLI's rounding margin a served swarm's ages use up.

The real-commands lab runs ``docker service ps web`` on a swarm whose clock is stopped
(``speed`` 0): its first tasks have run 58.35 simulated seconds, and the CLI prints
"Running 58 seconds ago" only while the wall time between the anchor the served
timestamps were read on and the CLI's own reading of its clock stays under 0.65 s (docker/cli
``cli/command/task/formatter.go``: ``units.HumanDuration(time.Since(...))``, which go-units
truncates to whole seconds). This script builds the lab's swarm, runs the command
``RUNS`` times (default 10) through ``Server.run`` and prints, for each, that time (from
the anchor of the request that listed the tasks to the command's exit, an upper bound) and
the ages it printed.

Since a stopped clock re-anchors at each request of such a command (December 2026,
``WallClock.commands``), the time is that of the CLI's last requests (it looks up each
task's node) and its output alone; before, it counted from the command's start. On this
2-core machine shared with other work: 0.28 s unloaded; with eight busy loops on the CLI's
core (``taskset -c 1`` for them and the script), worst of six 0.72 s before, one run
printing 59, and 0.53 s after, none.

Run: ``python benchmarks/client_age_margin.py [RUNS]`` (needs the docker CLI).
"""

from __future__ import annotations

import os
import re
import time

from baseline import command_line, parse, positive_int

AGES = re.compile(r"Running (\d+) seconds ago")
MARGIN = 0.65
"""Wall seconds the CLI may take before 58.35 simulated seconds print as 59."""


def main(runs: int) -> None:
    import docker
    from docker.types import ServiceMode

    from clustersim.clients import find_program
    from clustersim.serve import serve
    from clustersim.serve.core import Request, Response

    if find_program("docker", os.environ.get("PATH", "")) is None:
        print("the docker CLI is not installed here: nothing to measure")
        return
    with serve("swarm", nodes=3, speed=0) as server:
        client = docker.DockerClient(base_url=server.docker_host)
        web = client.services.create("nginx:1.30", name="web",
                                     mode=ServiceMode("replicated", replicas=3))
        server.step(30)
        web.reload()
        web.scale(5)
        server.step(30)
        backend = server.backend
        lists: list[float] = []
        handle = backend.handle

        def noted(request: Request) -> Response:
            answer = handle(request)
            if request.path.endswith("/tasks"):
                lists.append(backend.clock.base)
            return answer

        backend.handle = noted      # type: ignore[method-assign]
        worst = 0.0
        for run in range(1, runs + 1):
            lists.clear()
            out = server.run("docker service ps web").stdout
            took = time.time() - (lists[-1] + backend.now)
            worst = max(worst, took)
            print(f"run {run:2d}: {took:.3f} s from the task list's "
                  f"anchor to the exit; ages {sorted(set(AGES.findall(out)))}")
        print(f"worst {worst:.3f} s of the {MARGIN} s margin")


if __name__ == "__main__":
    parser = command_line(__file__, __doc__)
    parser.add_argument("runs", nargs="?", type=positive_int, default=10,
                        help="times to run docker service ps (default 10)")
    main(parse(parser)[0].runs)
