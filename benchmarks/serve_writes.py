"""What one write costs the simulated Kubernetes API server: long merged lists, and big
objects stored beside a small write.

- ``lists``: the CPU time of a strategic merge PATCH that adds ``N`` env vars (merged by
  ``name``) to a Deployment's container, of one that changes them all, of a server-side
  apply that creates a Deployment with ``N`` of them and of one that changes them all, in
  process (``SimServer.dispatch``). Before the merge found each element of the patch in
  an index of the list by its merge key, and copied each value once (December 2026), each
  element scanned the list, and each level of the object copied what it held again: with
  ``--base`` run one after the other (load 6 on 2 cores), at 5,000 elements 1.50, 1.83,
  0.25 and 1.69 s before and 0.37, 0.61, 0.22 and 0.52 s after; at 10,000, 5.17, 6.08,
  0.53 and 5.60 s before (19.8 s for the PATCH in the last session's sweep) and 0.82,
  1.29, 0.53 and 1.11 s after (kubernetes/kubernetes ``strategicpatch/patch.go`` finds an
  element by the same scan, in Go). What is left is linear, spread over the field
  manager's sets, the loader's copies and the Deployment controller's template
  comparisons.
- ``stored``: the wall time of creating a small ConfigMap over HTTP with ``K`` ConfigMaps
  of 1 MB stored (default 20), five writes 0.3 s apart, and the process's CPU time for
  each, with no watch open and with ``--watch N`` watches of ConfigMaps open (default 1,
  each from the list's version as ``kubectl get -w`` starts it: no initial events). A write
  costs what it touches, whatever is stored: 0.002 s and 0.002 s of CPU with no watch.
  With a watch, each look after a write rendered and digested every ConfigMap it watches,
  20 MB, under the server's one lock, where the API server's cacher hands the watch the one
  changed object (k8s.io/apiserver ``pkg/storage/cacher/cacher.go``, ``dispatchEvent``):
  with ``--base`` run one after the other (December 2026, load 10 on 2 cores), 0.56 s and
  0.15 s of CPU a write with one watch, 6.4 s and 1.7 s with ten (a look took longer than
  the 0.1 s between two ticks of the clock, so the next watch's tick moved the moment and
  it rendered everything again instead of sharing the look). Since a look renders only what changed
  (:mod:`clustersim.serve.kubelookreuse`), 0.004 s and 0.013 s of CPU with one, 0.002 s
  and 0.014 s with ten.

Run: ``python benchmarks/serve_writes.py [lists N ...|stored K] [--watch N] [--base REF]``
(default: both, ``lists 5000 10000`` and ``stored 20`` with one watch).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.request

from baseline import command_line, parse, positive_int, run_at

SMP = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"


def deployment(env: list[dict[str, str]]) -> dict:
    """A Deployment of no replicas whose one container has ``env``."""
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                         "containers": [{"name": "app", "image": "nginx", "env": env}]}}}}


def env_vars(count: int, value: str) -> list[dict[str, str]]:
    return [{"name": f"VAR_{i}", "value": value} for i in range(count)]


def lists(sizes: list[int]) -> None:
    """The ``lists`` figures (the module's docstring)."""
    from clustersim.serve import serve
    from clustersim.serve.core import Request

    base = "/apis/apps/v1/namespaces/default/deployments"

    def cpu(server, method: str, path: str, body: object, kind: str,
            query: dict[str, list[str]] | None = None) -> str:
        start = time.process_time()
        response = server.dispatch(Request(method, path, query or {}, {"content-type": kind},
                                           json.dumps(body).encode()))
        return f"{time.process_time() - start:.2f} s ({response.status})"

    for size in sizes:
        with serve("kubernetes", nodes=1, speed=0) as server:
            cpu(server, "POST", base, deployment([]), "application/json")
            figures = [cpu(server, "PATCH", f"{base}/web", {"spec": {"template": {"spec": {
                "containers": [{"name": "app", "env": env_vars(size, value)}]}}}}, SMP)
                for value in ("a", "b")]
        with serve("kubernetes", nodes=1, speed=0) as server:
            figures += [cpu(server, "PATCH", f"{base}/web", deployment(env_vars(size, value)),
                            APPLY, {"fieldManager": ["bench"]}) for value in ("a", "b")]
        print(f"{size:,} env vars: strategic merge PATCH add {figures[0]}, change "
              f"{figures[1]}; server-side apply create {figures[2]}, change {figures[3]}",
              flush=True)


def stored(count: int, watches: int) -> None:
    """The ``stored`` figures (the module's docstring), ``watches`` watches open for the
    second."""
    from clustersim.serve import serve

    maps = "/api/v1/namespaces/default/configmaps"

    def post(url: str, name: str, data: dict[str, str]) -> float:
        body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": name}, "data": data}).encode()
        request = urllib.request.Request(url + maps, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
        return time.perf_counter() - start

    with serve("kubernetes", nodes=1, speed=1) as server:
        for k in range(count):
            post(server.url, f"big{k}", {f"k{j}": "x" * 1000 for j in range(990)})
        def writes(prefix: str) -> tuple[float, float]:
            """The median wall time of five small POSTs, 0.3 s apart, and the CPU time of
            the process (server and clients) for each, the 0.3 s after it included."""
            walls, start = [], time.process_time()
            for k in range(5):
                walls.append(post(server.url, f"{prefix}{k}", {"a": "b"}))
                time.sleep(0.3)
            return statistics.median(walls), (time.process_time() - start) / 5

        quiet = writes("small")
        stop = threading.Event()

        # from the list's version, as kubectl get -w starts its watch: no initial events
        with urllib.request.urlopen(f"{server.url}{maps}?limit=1", timeout=120) as listed:
            version = json.load(listed)["metadata"]["resourceVersion"]

        def watch() -> None:
            with urllib.request.urlopen(f"{server.url}{maps}?watch=1&timeoutSeconds=60&"
                                        f"resourceVersion={version}", timeout=120) as stream:
                while not stop.is_set() and stream.read(65536):
                    pass

        for _ in range(watches):
            threading.Thread(target=watch, daemon=True).start()
        time.sleep(2)
        watched = writes("watched")
        stop.set()
    print(f"small ConfigMap POST with {count} ConfigMaps of 1 MB stored: {quiet[0]:.3f} s "
          f"(CPU {quiet[1]:.3f} s a write) with no watch, {watched[0]:.3f} s (CPU "
          f"{watched[1]:.3f} s a write) with {watches} watch{'es' if watches > 1 else ''} of "
          "ConfigMaps open", flush=True)


def arguments() -> argparse.ArgumentParser:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("what", nargs="*", metavar="[lists N ...|stored K]",
                        help="lists and their sizes (default 5000 10000), or stored and the "
                             "count of 1 MB ConfigMaps (default 20); default both")
    parser.add_argument("--watch", type=positive_int, default=1, metavar="N",
                        help="stored: watches of ConfigMaps open for the second figure "
                             "(default 1)")
    return parser


def main(argv: list[str]) -> int:
    parser = arguments()
    args, rest = parse(parser, argv)
    figure = args.what[0] if args.what else None
    if figure not in (None, "lists", "stored"):
        parser.error(f"unknown figure {figure!r}: lists or stored")
    try:
        sizes = [positive_int(n) for n in args.what[1:]]
    except argparse.ArgumentTypeError as err:
        parser.error(f"sizes: {err}")
    if figure == "stored" and len(sizes) > 1:
        parser.error("stored takes one count")
    if args.base is not None:
        run_at(args.base, __file__, rest)
    if figure in (None, "lists"):
        lists(sizes if figure == "lists" and sizes else [5000, 10000])
    if figure in (None, "stored"):
        stored(sizes[0] if figure == "stored" and sizes else 20, args.watch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
