"""What listing tasks costs when a node hands out thousands of ephemeral host ports.

A host-mode port without a published port takes the next free port of its node's ephemeral
range (``clustersim.swarm.portallocator``). The script serves a one-node swarm, creates three
services of 30, 300 and 300 replicas with 100 such ports each (63,000 ports asked of a range
of 28,232, so the third service's tasks find the range full), runs a simulated minute, and
prints the wall seconds and the status of ``GET /tasks`` filtered on the last service and on
the node (``docker service ps`` and ``docker node ps``). An allocator that gathers the node's
taken ports again for every port it hands out grows with the square of the ports. Run:

    python benchmarks/host_ports.py [--base REF]
"""

from __future__ import annotations

import json
import time

from baseline import command_line, parse, run_at

PORTS = [{"TargetPort": 1000 + i, "PublishMode": "host"} for i in range(100)]


def main() -> None:
    import requests

    from clustersim.serve import serve

    with serve("swarm", nodes=1, speed=0) as server:
        base = f"{server.url}/v1.44"
        for name, replicas in (("e1", 30), ("e2", 300), ("e3", 300)):
            created = requests.post(f"{base}/services/create", timeout=600, json={
                "Name": name, "TaskTemplate": {"ContainerSpec": {"Image": "nginx:1.27"}},
                "Mode": {"Replicated": {"Replicas": replicas}},
                "EndpointSpec": {"Ports": PORTS}})
            created.raise_for_status()
        server.step(60)
        node = server.cluster.node_names()[0]
        for what, filters in (("service e3", {"service": ["e3"]}),
                              ("node", {"node": [node]})):
            start = time.perf_counter()
            answer = requests.get(f"{base}/tasks", timeout=600,
                                  params={"filters": json.dumps(filters)})
            took = time.perf_counter() - start
            print(f"GET /tasks ({what}): {took:.2f} s, {answer.status_code}", flush=True)


if __name__ == "__main__":
    options, args = parse(command_line(__file__, __doc__, base=True))
    if options.base is not None:
        run_at(options.base, __file__, args)
        print("this checkout:", flush=True)
    main()
