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

The interleaving of the three drivers and the watches' looks is the threads' own, so the
same seed makes the same operations but not always the same race.

Run: ``python benchmarks/watch_stress.py [--runs N] [--seed S] [--watches N] [--objects N]
[--ops N] [--base REF]`` (default: 40 runs from seed 1, 20 watches, 8 ConfigMaps, 60
operations a driver).
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
import urllib.parse
import urllib.request
from typing import Any

from baseline import command_line, parse, positive_int, run_at

MAPS = "/api/v1/namespaces/default/configmaps"
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
    event = json.loads(line)
    obj = event["object"]
    meta = obj["metadata"]
    return (event["type"], meta["name"], int(meta["resourceVersion"]),
            json.dumps([meta.get("labels") or {}, obj.get("data") or {}], sort_keys=True))


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

    def __init__(self, port: int, query: str) -> None:
        self.events: list[Event] = []
        self.bookmarked = 0
        """The resourceVersion of the last bookmark."""
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self._conn.connect()
        self._sock = self._conn.sock
        self._conn.request("GET", f"{MAPS}?{query}")
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


def run_once(seed: int, watches: int, objects: int, ops: int) -> tuple[int, str]:
    """One run: how many watches disagree with their reference, and the first
    difference found ("" if none)."""
    from clustersim.serve import kubewatchcache, serve
    from clustersim.serve.core import Request

    kubewatchcache.BOOKMARK_FREQUENCY = 0.2
    rng = random.Random(seed)
    names = [f"cm-{i}" for i in range(objects)]
    with serve("kubernetes", nodes=1, speed=0) as server:
        def http_json(method: str, path: str, body: Any = None,
                      kind: str = "application/json") -> dict[str, Any]:
            data = None if body is None else json.dumps(body).encode()
            request = urllib.request.Request(f"{server.url}{path}", data=data, method=method,
                                             headers={"Content-Type": kind})
            with urllib.request.urlopen(request, timeout=120) as answer:
                return json.loads(answer.read())

        def listed(selector: str | None) -> tuple[int, dict[str, int]]:
            query = f"?labelSelector={urllib.parse.quote(selector)}" if selector else ""
            got = http_json("GET", MAPS + query)
            return int(got["metadata"]["resourceVersion"]), {
                item["metadata"]["name"]: int(item["metadata"]["resourceVersion"])
                for item in got["items"]}

        for name in names:
            http_json("POST", MAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
                "name": name, "labels": labels(rng)}, "data": {"v": "0"}})
        start, _ = listed(None)
        selectors = [SELECTORS[i % len(SELECTORS)] for i in range(watches)]
        initial = {selector: listed(selector)[1] for selector in set(selectors)}
        live = [(selector, LiveWatch(server.port, "watch=1&timeoutSeconds=600&"
                                     f"allowWatchBookmarks=true&resourceVersion={start}&"
                                     f"labelSelector={urllib.parse.quote(selector)}"))
                for selector in selectors]

        def api(r: random.Random) -> None:
            for step in range(ops):
                name = r.choice(names)
                if r.random() < 0.5:
                    patch: dict[str, Any] = {"metadata": {"labels": {
                        "app": r.choice(APPS), "tier": r.choice(TIERS)}}}
                    if r.random() < 0.5:
                        patch["data"] = {"v": f"api{step}"}
                    http_json("PATCH", f"{MAPS}/{name}", patch,
                              "application/merge-patch+json")
                else:
                    obj = http_json("GET", f"{MAPS}/{name}")
                    obj["metadata"].pop("resourceVersion", None)
                    obj["metadata"]["labels"] = labels(r)
                    obj["data"] = {"v": f"put{step}"}
                    http_json("PUT", f"{MAPS}/{name}", obj)
                time.sleep(r.uniform(0, 0.03))

        def in_place(r: random.Random) -> None:
            for step in range(ops):
                with server.lock:
                    stored = server.backend.cluster.get("ConfigMap", "default", r.choice(names))
                    if r.random() < 0.6:
                        stored["metadata"]["labels"] = labels(r)
                    else:
                        stored["data"] = {"v": f"edit{step}"}
                    if r.random() < 0.4:
                        server.step(0.05)
                time.sleep(r.uniform(0, 0.03))

        def reads(r: random.Random) -> None:
            for _ in range(ops):
                server.dispatch(Request("GET", MAPS, {"labelSelector": [r.choice(SELECTORS)]},
                                        {}))
                time.sleep(r.uniform(0, 0.03))

        drivers = [threading.Thread(target=driver, args=(random.Random(rng.random()),))
                   for driver in (api, in_place, reads)]
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
        server.step(0.05)
        end, _ = listed(None)           # numbers every change left
        final = {selector: listed(selector)[1] for selector in set(selectors)}
        deadline = time.monotonic() + CONVERGE_SECONDS
        while time.monotonic() < deadline and any(watch.bookmarked < end for _, watch in live):
            time.sleep(0.05)
        for _, watch in live:
            watch.stop()
        references: dict[str, list[Event]] = {}

        def resumed(selector: str) -> None:
            with urllib.request.urlopen(
                    f"{server.url}{MAPS}?watch=1&timeoutSeconds=1&resourceVersion={start}&"
                    f"labelSelector={urllib.parse.quote(selector)}", timeout=120) as answer:
                references[selector] = [event_of(line) for line in answer if line.strip()]

        replays = [threading.Thread(target=resumed, args=(selector,))
                   for selector in set(selectors)]
        for replay in replays:
            replay.start()
        for replay in replays:
            replay.join()
    late = sum(1 for _, watch in live if watch.bookmarked < end)
    first = f"{late} watches never looked at revision {end}" if late else ""
    for selector, reference in sorted(references.items()):
        if applied(reference, initial[selector]) != final[selector] and not first:
            first = f"reference of {selector!r} does not add up to its fresh LIST"
    disagree = 0
    for selector, watch in live:
        if watch.events != references[selector]:
            disagree += 1
            if not first:
                first = describe(selector, watch.events, references[selector])
    return disagree, first


def describe(selector: str, events: list[Event], reference: list[Event]) -> str:
    """The first difference between a watch's ``events`` and its ``reference``."""
    at = next((i for i, (a, b) in enumerate(zip(events, reference, strict=False)) if a != b),
              min(len(events), len(reference)))

    def shown(found: list[Event]) -> str:
        return "; ".join(f"{k} {n} {v} {s}" for k, n, v, s in found[at:at + 2]) or "nothing"

    return (f"watch {selector!r}, event {at}: live {shown(events)} / reference "
            f"{shown(reference)} (live {len(events)}, reference {len(reference)} events)")


def arguments():
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--runs", type=positive_int, default=40, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S",
                        help="the first run's seed; each next run's is one more")
    parser.add_argument("--watches", type=positive_int, default=20, metavar="N")
    parser.add_argument("--objects", type=positive_int, default=8, metavar="N")
    parser.add_argument("--ops", type=positive_int, default=60, metavar="N",
                        help="operations of each of the three drivers")
    return parser


def main(argv: list[str]) -> int:
    args, rest = parse(arguments(), argv)
    if args.base is not None:
        run_at(args.base, __file__, rest)
    runs = []
    for seed in range(args.seed, args.seed + args.runs):
        disagree, first = run_once(seed, args.watches, args.objects, args.ops)
        runs.append(disagree)
        print(f"seed {seed}: {disagree} of {args.watches} watches disagree"
              + (f" ({first})" if first else ""), flush=True)
    print(f"{sum(1 for d in runs if d)} of {len(runs)} runs with a disagreement, "
          f"{sum(runs)} watches in all", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
