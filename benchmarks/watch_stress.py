"""Do live selector watches agree with the watch cache under stress? Per run, how many of
``--watches`` live watches disagree with a reference.

Each run serves a Kubernetes cluster at ``--speed 0`` (simulated time moves only by
``step``), stores ``--objects`` ConfigMaps with labels drawn from the seed, lists them
(revision R) and opens ``--watches`` live watches from R over HTTP, each with a label
selector (the selectors of :data:`SELECTORS` in turn, so two watches share each look).
Three drivers then run at once, each drawing its ``--ops`` operations and the pauses between
them from the run's seed: one writes through the API (merge PATCH and PUT of labels and
data), one edits the stored objects in place from Python under the server's lock, as a
controller or a lab does, and steps the clock now and then (a step is what shows such an
edit to a watch at ``--speed 0``), and one lists with a selector (a read numbers the changes
it renders). Then the clock is stepped, everything is listed (revision F), and each watch
is waited for (up to 30 s) until it has looked at F or later: it allows bookmarks, sent
every 0.2 s here (``kubewatchcache.BOOKMARK_FREQUENCY`` set for the run) after the look of
the same poll, each at the store's revision.

The reference for each selector is a watch resumed from R (``?watch=1&resourceVersion=R``),
which the watch cache replays every event after R (``getAllEventsSinceLocked`` in
k8s.io/apiserver ``pkg/storage/cacher/watch_cache.go``), judged against the selector as
``convertToWatchEvent`` judges each one (``cache_watcher.go``); its events must add up to
the fresh LIST too. A live watch disagrees when its events (type, name, resourceVersion,
labels and data; bookmarks left out) differ from its reference's; the first difference of
each run is printed.

``--kind pods`` watches Pods instead: three Deployments (one of an image whose containers
exit a second after they start, so its Pods crash and restart), watched with label selectors
and field selectors (``spec.nodeName=``, ``status.phase=``) on three workers; the API driver
scales the Deployments, relabels Pods (a new ``app`` orphans one, and its ReplicaSet makes
another) and deletes them, the Python driver breaks and mends the other image and steps the
clock. A Pod's event compares its labels, node, phase and restart counts. ``--speed X``
runs the simulated clock at X (the Python driver's steps are shorter then, so that a run
stays within the watch cache's 75 s and the reference is not refused with a 410): changes
go on after the last LIST, so each watch is compared up to its revision, and each
reference between the revisions of its selector's two LISTs.

The interleaving of the three drivers and the watches' looks is the threads' own, so the
same seed makes the same operations but not always the same race.

Run: ``python benchmarks/watch_stress.py [--runs N] [--seed S] [--watches N] [--objects N]
[--ops N] [--kind configmaps|pods] [--speed X] [--base REF]`` (default: 40 runs from seed
1, 20 watches, 8 ConfigMaps (``--objects`` plays no part for Pods), 60 operations a driver,
ConfigMaps, speed 0).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from baseline import command_line, parse, positive_int, run_at, span_seconds

MAPS = "/api/v1/namespaces/default/configmaps"
PODS = "/api/v1/namespaces/default/pods"
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
IMAGES = {"a": "nginx:1.27", "b": "crash:1", "c": "nginx:1.27"}
"""The image of each app's Deployment (``crash:1`` exits a second after it starts)."""
SELECTORS = ("app=a", "app=b", "app!=a", "app in (a,b)", "app notin (c)", "app", "!app",
             "tier=x", "app=a,tier=x", "tier!=x")
"""The watches' label selectors, in turn."""
APPS = ("a", "b", "c", None)
TIERS = ("x", "y", None)
CONVERGE_SECONDS = 30.0
"""How long the live watches are given to look at the last revision."""

Event = tuple[str, str, int, str]
"""(type, name, resourceVersion, labels and data as JSON) of one watch event."""


def labels(rng: random.Random) -> dict[str, str]:
    drawn = {"app": rng.choice(APPS), "tier": rng.choice(TIERS)}
    return {key: value for key, value in drawn.items() if value is not None}


def event_of(line: bytes) -> Event:
    """A ConfigMap's event: its labels and data; a Pod's: its labels, node, phase and
    container restarts (what the kubelet and the controllers move)."""
    event = json.loads(line)
    obj = event["object"]
    if event["type"] == "ERROR":        # a Status: the 410 of a version the window let go
        return "ERROR", obj.get("reason", ""), 0, obj.get("message", "")
    meta = obj["metadata"]
    if obj.get("kind") == "Pod":
        status = obj.get("status") or {}
        shown: list[Any] = [meta.get("labels") or {}, obj["spec"].get("nodeName"),
                            status.get("phase"), [container.get("restartCount") for container
                                                  in status.get("containerStatuses") or []]]
    else:
        shown = [meta.get("labels") or {}, obj.get("data") or {}]
    return event["type"], meta["name"], int(meta["resourceVersion"]), json.dumps(
        shown, sort_keys=True)


def applied(events: list[Event], state: dict[str, int]) -> dict[str, int]:
    """``state`` (resourceVersion by name) after ``events``."""
    state = dict(state)
    for kind, name, version, _ in events:
        if kind == "DELETED":
            state.pop(name, None)
        else:
            state[name] = version
    return state


class LiveWatch:
    """A watch read in a thread of its own until :meth:`stop`."""

    def __init__(self, port: int, target: str) -> None:
        self.events: list[Event] = []
        self.bookmarked = 0
        """The resourceVersion of the last bookmark."""
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self._conn.connect()
        self._sock = self._conn.sock
        self._conn.request("GET", target)
        self._answer = self._conn.getresponse()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for line in self._answer:
                if b'"BOOKMARK"' in line:
                    self.bookmarked = int(json.loads(line)["object"]["metadata"][
                        "resourceVersion"])
                elif line.strip():
                    self.events.append(event_of(line))
        except (OSError, http.client.HTTPException, ValueError):
            pass                      # stopped

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._reader.join(10)
        self._conn.close()


class Workload:
    """What a run watches: the resource's path, the watches' selectors (query strings, in
    turn), how the objects are made and the drivers that write through the API and from
    Python."""

    path = MAPS
    selectors = tuple(f"labelSelector={urllib.parse.quote(s)}" for s in SELECTORS)

    def __init__(self, server: Any, http_json: Callable[..., dict[str, Any]],
                 rng: random.Random, objects: int, ops: int) -> None:
        self.server, self.http_json, self.rng, self.ops = server, http_json, rng, ops
        self.names = [f"cm-{i}" for i in range(objects)]

    def setup(self) -> None:
        for name in self.names:
            self.http_json("POST", MAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
                "name": name, "labels": labels(self.rng)}, "data": {"v": "0"}})

    def api(self, r: random.Random) -> None:
        for step in range(self.ops):
            name = r.choice(self.names)
            if r.random() < 0.5:
                patch: dict[str, Any] = {"metadata": {"labels": {
                    "app": r.choice(APPS), "tier": r.choice(TIERS)}}}
                if r.random() < 0.5:
                    patch["data"] = {"v": f"api{step}"}
                self.http_json("PATCH", f"{MAPS}/{name}", patch, "application/merge-patch+json")
            else:
                obj = self.http_json("GET", f"{MAPS}/{name}")
                obj["metadata"].pop("resourceVersion", None)
                obj["metadata"]["labels"] = labels(r)
                obj["data"] = {"v": f"put{step}"}
                self.http_json("PUT", f"{MAPS}/{name}", obj)
            time.sleep(r.uniform(0, 0.03))

    def in_place(self, r: random.Random) -> None:
        server = self.server
        for step in range(self.ops):
            with server.lock:
                stored = server.backend.cluster.get("ConfigMap", "default", r.choice(self.names))
                if r.random() < 0.6:
                    stored["metadata"]["labels"] = labels(r)
                else:
                    stored["data"] = {"v": f"edit{step}"}
                if r.random() < 0.4:
                    server.step(0.05)
            time.sleep(r.uniform(0, 0.03))


class Pods(Workload):
    """Pods of three Deployments (one of an image whose containers exit after a second, so
    they crash and restart), watched by label and field selectors; the API driver scales
    the Deployments, relabels Pods (a changed ``app`` orphans one from its ReplicaSet, which
    makes another) and deletes them; the Python driver steps the clock and breaks and mends
    the other image."""

    path = PODS
    selectors = tuple(urllib.parse.urlencode(dict(pairs)) for pairs in (
        [("labelSelector", "app=a")], [("labelSelector", "app!=a")],
        [("labelSelector", "app in (a,b)")], [("labelSelector", "tier=x")],
        [("labelSelector", "!tier")], [("fieldSelector", "spec.nodeName=worker-1")],
        [("fieldSelector", "spec.nodeName=worker-2")], [("fieldSelector", "status.phase=Running")],
        [("fieldSelector", "status.phase=Pending")], [("fieldSelector", "status.phase!=Running")],
        [("labelSelector", "app=b"), ("fieldSelector", "status.phase=Running")]))

    def setup(self) -> None:
        self.server.backend.cluster.fail_image("crash:1", after=1.0)
        for app, image in IMAGES.items():
            template = {"app": app} | ({"tier": "x"} if app == "c" else {})
            self.http_json("POST", DEPLOYMENTS, {
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"d-{app}"},
                "spec": {"replicas": self.rng.randint(1, 3),
                         "selector": {"matchLabels": {"app": app}},
                         "template": {"metadata": {"labels": template}, "spec": {"containers": [
                             {"name": "main", "image": image}]}}}})
        self.server.step(5)

    def api(self, r: random.Random) -> None:
        for _ in range(self.ops):
            draw = r.random()
            try:
                if draw < 0.3:
                    self.http_json("PATCH", f"{DEPLOYMENTS}/d-{r.choice(list(IMAGES))}",
                                   {"spec": {"replicas": r.randint(0, 4)}},
                                   "application/merge-patch+json")
                else:
                    pods = sorted(item["metadata"]["name"]
                                  for item in self.http_json("GET", PODS)["items"])
                    if pods and draw < 0.7:
                        self.http_json("PATCH", f"{PODS}/{r.choice(pods)}", {"metadata": {
                            "labels": {"tier": r.choice(TIERS)}
                            | ({"app": r.choice(APPS)} if r.random() < 0.2 else {})}},
                            "application/merge-patch+json")
                    elif pods:
                        self.http_json("DELETE", f"{PODS}/{r.choice(pods)}")
            except urllib.error.HTTPError as error:   # gone or moved on meanwhile
                if error.code not in (404, 409):
                    raise
            time.sleep(r.uniform(0, 0.03))

    def in_place(self, r: random.Random) -> None:
        cluster = self.server.backend.cluster
        longest = 0.5 if self.server.speed else 2.0   # keep a run within the cache's 75 s
        for _ in range(self.ops):
            with self.server.lock:
                if r.random() < 0.1:
                    cluster.fail_image("nginx:1.27", after=r.uniform(0.5, 3))
                elif r.random() < 0.1:
                    cluster.kubelet.image_exits.pop("nginx:1.27", None)
                self.server.step(r.uniform(0.05, longest))
            time.sleep(r.uniform(0, 0.03))


def run_once(kind: type[Workload], seed: int, watches: int, objects: int, ops: int,
             speed: float) -> tuple[int, int, str]:
    """One run: how many watches disagree with their reference, how many events the
    references hold in all, and the first difference found ("" if none)."""
    from clustersim.serve import kubewatchcache, serve
    from clustersim.serve.core import Request

    kubewatchcache.BOOKMARK_FREQUENCY = 0.2
    rng = random.Random(seed)
    with serve("kubernetes", nodes=3 if kind is Pods else 1, speed=speed) as server:
        def http_json(method: str, path: str, body: Any = None,
                      kind: str = "application/json") -> dict[str, Any]:
            data = None if body is None else json.dumps(body).encode()
            request = urllib.request.Request(f"{server.url}{path}", data=data, method=method,
                                             headers={"Content-Type": kind})
            with urllib.request.urlopen(request, timeout=120) as answer:
                return json.loads(answer.read())

        work = kind(server, http_json, rng, objects, ops)
        path = work.path

        def listed(query: str) -> tuple[int, dict[str, int]]:
            got = http_json("GET", f"{path}?{query}")
            return int(got["metadata"]["resourceVersion"]), {
                item["metadata"]["name"]: int(item["metadata"]["resourceVersion"])
                for item in got["items"]}

        work.setup()
        start, _ = listed("")
        selectors = [work.selectors[i % len(work.selectors)] for i in range(watches)]
        initial = {selector: listed(selector) for selector in set(selectors)}
        live = [(selector, LiveWatch(server.port, f"{path}?watch=1&timeoutSeconds=600&"
                                     f"allowWatchBookmarks=true&resourceVersion={start}&"
                                     f"{selector}"))
                for selector in selectors]

        def reads(r: random.Random) -> None:
            for _ in range(ops):
                server.dispatch(Request("GET", path, urllib.parse.parse_qs(
                    r.choice(work.selectors)), {}))
                time.sleep(r.uniform(0, 0.03))

        drivers = [threading.Thread(target=driver, args=(random.Random(rng.random()),))
                   for driver in (work.api, work.in_place, reads)]
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
        server.step(0.05)
        end, _ = listed("")             # numbers every change left
        final = {selector: listed(selector) for selector in set(selectors)}
        deadline = time.monotonic() + CONVERGE_SECONDS
        while time.monotonic() < deadline and any(watch.bookmarked < end for _, watch in live):
            time.sleep(0.05)
        for _, watch in live:
            watch.stop()
        references: dict[str, list[Event]] = {}

        def resumed(selector: str) -> None:
            with urllib.request.urlopen(
                    f"{server.url}{path}?watch=1&timeoutSeconds=1&resourceVersion={start}&"
                    f"{selector}", timeout=120) as answer:
                references[selector] = [event_of(line) for line in answer if line.strip()]

        replays = [threading.Thread(target=resumed, args=(selector,))
                   for selector in set(selectors)]
        for replay in replays:
            replay.start()
        for replay in replays:
            replay.join()
    # With the clock running, changes go on after ``end``: each side is compared up to it,
    # and each selector's reference between its two LISTs' revisions.
    late = sum(1 for _, watch in live if watch.bookmarked < end)
    first = f"{late} watches never looked at revision {end}" if late else ""
    for selector, reference in sorted(references.items()):
        errors = [message for kind, _, _, message in reference if kind == "ERROR"]
        if errors and not first:
            first = f"reference of {shown_query(selector)!r} was refused: {errors[0]}"
        (since, before), (until, after) = initial[selector], final[selector]
        between = [event for event in reference if since < event[2] <= until]
        if applied(between, before) != after and not first:
            first = f"reference of {shown_query(selector)!r} does not add up to its fresh LIST"
    disagree = 0
    for selector, watch in live:
        got = [event for event in watch.events if event[2] <= end]
        reference = [event for event in references[selector] if event[2] <= end]
        if got != reference:
            disagree += 1
            if not first:
                first = describe(shown_query(selector), got, reference)
    return disagree, sum(len(reference) for reference in references.values()), first


def shown_query(query: str) -> str:
    return urllib.parse.unquote(query)


def describe(selector: str, events: list[Event], reference: list[Event]) -> str:
    """The first difference between a watch's ``events`` and its ``reference``."""
    at = next((i for i, (a, b) in enumerate(zip(events, reference, strict=False)) if a != b),
              min(len(events), len(reference)))

    def shown(found: list[Event]) -> str:
        return "; ".join(f"{k} {n} {v} {s}" for k, n, v, s in found[at:at + 2]) or "nothing"

    return (f"watch {selector!r}, event {at}: live {shown(events)} / reference "
            f"{shown(reference)} (live {len(events)}, reference {len(reference)} events)")


KINDS: dict[str, type[Workload]] = {"configmaps": Workload, "pods": Pods}


def arguments():
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--runs", type=positive_int, default=40, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S",
                        help="the first run's seed; each next run's is one more")
    parser.add_argument("--watches", type=positive_int, default=20, metavar="N")
    parser.add_argument("--objects", type=positive_int, default=8, metavar="N")
    parser.add_argument("--ops", type=positive_int, default=60, metavar="N",
                        help="operations of each of the three drivers")
    parser.add_argument("--kind", choices=sorted(KINDS), default="configmaps",
                        help="what the watches watch")
    parser.add_argument("--speed", type=span_seconds, default=0.0, metavar="X",
                        help="simulated seconds per wall second (0: only steps move time)")
    return parser


def main(argv: list[str]) -> int:
    parser = arguments()
    args, rest = parse(parser, argv)
    if args.base is not None:
        run_at(args.base, __file__, rest)
    from clustersim.serve.core import MAX_SPEED
    if args.speed > MAX_SPEED:
        parser.error(f"argument --speed: at most {MAX_SPEED:,.0f} (the served clock's "
                     f"clustersim.serve.core.MAX_SPEED), not {args.speed:g}")
    runs = []
    for seed in range(args.seed, args.seed + args.runs):
        disagree, events, first = run_once(KINDS[args.kind], seed, args.watches, args.objects,
                                   args.ops, args.speed)
        runs.append(disagree)
        print(f"seed {seed}: {disagree} of {args.watches} watches disagree "
              f"({events} events in the references)"
              + (f": {first}" if first else ""), flush=True)
    print(f"{sum(1 for d in runs if d)} of {len(runs)} runs with a disagreement, "
          f"{sum(runs)} watches in all", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
