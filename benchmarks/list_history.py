"""What keeping each kind's recent object states costs the served Kubernetes API (the
history that lets a list be read at an older revision, ``clustersim.serve.kubeversions``).

Serves the example ``shop`` on the Kubernetes demo cluster with a node failure at 120 s,
lists every kind a learner lists (``kubectl get pods,deploy,rs,svc,events``, whole objects
and Tables) every 10 simulated seconds for 20 minutes, past two compactions, and prints the
states kept, their characters, and the memory the server holds (tracemalloc) with and
without them. Run: ``python benchmarks/list_history.py``.
"""

from __future__ import annotations

import tracemalloc
import urllib.request

from baseline import command_line, parse

PATHS = ["/api/v1/pods", "/apis/apps/v1/deployments", "/apis/apps/v1/replicasets",
         "/api/v1/services", "/api/v1/events"]


def main() -> None:
    from clustersim.clusters import open_system
    from clustersim.scenarios.shop import _shop_specs
    from clustersim.serve import serve

    system = open_system("kubernetes", seed=0)
    system.deploy(_shop_specs("kubernetes", 3), stack="shop")
    system.run(until=60)
    tracemalloc.start()
    with serve("kubernetes", cluster=system.cluster, speed=0) as server:
        histories = server.backend.renderer.versions.history
        for second in range(0, 1200, 10):
            if second == 120:
                system.fail_node("worker-3")
            for path in PATHS:
                for accept in ("application/json", "application/json;as=Table;v=v1;g=meta.k8s.io"):
                    request = urllib.request.Request(server.url + path,
                                                     headers={"Accept": accept})
                    urllib.request.urlopen(request, timeout=30).read()
            server.step(10)
            if second in (290, 590, 890, 1190):
                objects, states, chars = (sum(h.size()[i] for h in histories.values())
                                          for i in range(3))
                held = tracemalloc.get_traced_memory()[0]
                print(f"t={second + 10:5d}s objects={objects:4d} states={states:5d} "
                      f"json={chars / 1e6:6.2f} MB traced={held / 1e6:6.1f} MB")


if __name__ == "__main__":
    parse(command_line(__file__, __doc__))
    main()
