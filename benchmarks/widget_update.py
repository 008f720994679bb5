"""How long one widget update takes, for every live app of the course, cold and warm.

ipywidgets calls observers synchronously when a control's value changes, so setting a value in
Python runs the whole update: re-simulate or re-rank, rebuild the traces or HTML, update the
output in place (a FigureWidget in one ``batch_update``). The time measured is that round trip
in the kernel; the browser's repaint comes on top and is not measured. Target: every update
kind at p95 <= 50 ms, its first move after the app is built included.

Each update kind runs in a fresh Python process (nothing cached from another kind): the
process builds the app it needs (not timed), then makes the kind's moves twice. The first pass
is **cold**: its first move is the first after construction, and later moves may still meet
inputs the app has not seen; the **first** column is that first move alone. The second pass
repeats the same moves, **warm**. For each pass the script prints p50, p95 and the worst
wall-clock time in ms, and the p95 of the process's CPU time (``time.process_time``) per move:
other people share the machine, and CPU time is what this process spent whatever the load
(``uptime`` is printed before and after). Last, it times building each app's static rendering
(what the book shows), once.

In a kernel, apps compute the runs the next move will likely need while the learner reads
(:mod:`clustersim.widgets.idle`); that needs a running event loop, which the back-to-back
table does not have (its cold moves all simulate). ``--think S`` adds a second table for the
kinds whose back-to-back cold p95 is above ``PACED_FROM`` (10 ms), whose
cold moves come S seconds apart on an asyncio loop, as a learner's do: the time counted for a
move runs from its arrival, so a move that waits for idle work in progress pays for it (the
warm pass stays back to back). With ``--base``, the base prints the back-to-back table only.

Run: ``python benchmarks/widget_update.py [--base REF] [--runs N] [--only A,B] [--think S]``.
``--base REF`` prints the same table for ``clustersim`` at the git revision REF first
(``baseline.py``); ``--runs N`` makes N fresh processes per kind (pooled; default 1);
``--only A,B`` keeps the kinds whose name contains A or B (and, like ``--no-static``, skips
the static renderings).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from baseline import command_line, parse, positive_int, run_at, span_seconds

Change = Callable[[], None]
Apps = dict[str, Any]


def setter(control: Any, value: Any) -> Change:
    def change() -> None:
        control.value = value
    return change


def both(first: Any, value: Any, second: Any, other: Any) -> Change:
    def change() -> None:
        first.value = value
        second.value = other
    return change


def app(apps: Apps, name: str) -> Any:
    """The app ``name``, built on first use (only the apps a kind needs are built)."""
    if name not in apps:
        from clustersim import Node, widgets
        factories: dict[str, Callable[[], Any]] = {
            "comparison": widgets.comparison_app, "decision": widgets.decision_app,
            "fit": lambda: widgets.fit_explorer([Node("small", 2, "8Gi"),
                                                 Node("large", 8, "32Gi")]),
            "drf": widgets.drf_explorer, "explorer": widgets.manifest_explorer,
            "dialects": widgets.dialects_explorer, "app trees": widgets.app_tree_explorer,
            "networking": widgets.networking_explorer, "healing": widgets.healing_app,
            "updates": widgets.updates_app, "storage": widgets.storage_app,
        }
        apps[name] = factories[name]()
    return apps[name]


def comparison(apps: Apps, control: str) -> Any:
    controls = app(apps, "comparison").controls
    return controls["systems"]["swarm"] if control == "swarm" else controls[control]


def decision_moves(apps: Apps, preset: bool) -> list[Change]:
    decide = app(apps, "decision")
    if not preset:
        slider = decide.controls["weights"]["simplicity"]
        return [setter(slider, i % 6) for i in range(50)]
    menu = decide.controls["preset"]
    presets = [v for _, v in menu.options if v]
    return [setter(menu, presets[i % len(presets)]) for i in range(50)]


def explorer_moves(apps: Apps) -> list[Change]:
    choice, _, run, _, _ = app(apps, "explorer").widget.children
    systems = list(choice.options)[:3]

    def place(i: int) -> Change:
        def change() -> None:
            choice.value = systems[i % 3]
            run.click()
        return change

    # the explorer shows the first example placed when built: start with another one
    return [place(i) for i in range(1, 13)]


def dialects_cold(apps: Apps) -> list[Change]:
    replicas, failure = app(apps, "dialects").widget.children[0].children
    cold, current = [], replicas.value   # combinations the explorer has not run yet
    for fail in [v for _, v in failure.options][1:]:
        cold.append(setter(failure, fail))
        sweep = [r for r in range(1, 7) if r != current]
        cold += [setter(replicas, r) for r in sweep]
        current = sweep[-1]
    return cold


def children(apps: Apps, name: str, *path: int) -> Any:
    widget = app(apps, name).widget
    for index in path:
        widget = widget.children[index]
    return widget


def controls(apps: Apps, name: str) -> dict[str, Any]:
    return app(apps, name).controls


KINDS: dict[str, Callable[[Apps], list[Change]]] = {
    "comparison: toggle a system": lambda a: [
        setter(comparison(a, "swarm"), i % 2 == 0) for i in range(50)],
    "comparison: type a search": lambda a: [
        setter(comparison(a, "search"), "secrets" if i % 2 else "") for i in range(50)],
    "comparison: only differences": lambda a: [
        setter(comparison(a, "differences"), i % 2 == 0) for i in range(50)],
    "decision: move a slider": lambda a: decision_moves(a, preset=False),
    "decision: choose a preset": lambda a: decision_moves(a, preset=True),
    "first-look: CPU request": lambda a: [
        setter(children(a, "fit", 0, 0), 100 + 50 * (i % 30)) for i in range(50)],
    "DRF: weight of B": lambda a: [
        setter(children(a, "drf", 2), 1 + 0.5 * (i % 7)) for i in range(30)],
    "explorer: load and place the example": explorer_moves,
    "dialects: new scenario (cold)": dialects_cold,
    "dialects: scenario seen before": lambda a: [
        setter(children(a, "dialects", 0, 0), r) for r in (1, 2, 3, 4, 5, 6) * 4],
    "apptrees: toggle a dependency": lambda a: [
        setter(children(a, "app trees", 1, i % 3), bool(i // 3 % 2)) for i in range(30)],
    "apptrees: change scaleBy": lambda a: [
        setter(children(a, "app trees", 2, 0), f) for f in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0) * 5],
    "networking: instance count": lambda a: [
        setter(children(a, "networking", 0), c) for c in (2, 5, 8, 3, 10, 1, 7, 4, 9, 6)],
    "healing: all three, move fail time": lambda a: [
        both(controls(a, "healing")["system"], "all", controls(a, "healing")["fail_at"],
             40 + 10 * (i % 5)) for i in range(20)],
    "healing: Kubernetes, tolerationSeconds": lambda a: [
        both(controls(a, "healing")["system"], "kubernetes",
             controls(a, "healing")["tolerationSeconds"], 30 * (i % 10)) for i in range(20)],
    "updates: Kubernetes maxUnavailable": lambda a: [
        both(controls(a, "updates")["system"], "kubernetes",
             controls(a, "updates")["maxUnavailable"], str(i % 4)) for i in range(20)],
    "updates: Swarm parallelism": lambda a: [
        both(controls(a, "updates")["system"], "swarm", controls(a, "updates")["parallelism"],
             i % 4) for i in range(20)],
    "updates: Marathon minimumHealthCapacity": lambda a: [
        both(controls(a, "updates")["system"], "marathon",
             controls(a, "updates")["minimumHealthCapacity"], 0.5 + 0.1 * (i % 5))
        for i in range(20)],
    "storage: all three, operator time": lambda a: [
        setter(controls(a, "storage")["act_at"], 60 + 30 * (i % 8)) for i in range(20)],
}


def timed(changes: Sequence[Change]) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of each call in ``changes``."""
    out = []
    for change in changes:
        wall, cpu = time.perf_counter(), time.process_time()
        change()
        out.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return out


async def paced(changes: Sequence[Change], think: float) -> list[tuple[float, float]]:
    """(ms from the move's arrival to the end of its update, CPU ms of the update) of each
    call in ``changes``, ``think`` seconds apart on a running event loop, as in a kernel: the
    loop runs the apps' idle work in between, and a move that arrives while a piece of it
    runs waits for it (that wait is counted)."""
    out = []
    for change in changes:
        arrives = time.perf_counter() + think
        await asyncio.sleep(think)
        cpu = time.process_time()
        change()
        out.append(((time.perf_counter() - arrives) * 1000, (time.process_time() - cpu) * 1000))
    return out


def worker(kind: str, think: float) -> None:
    """One fresh process: build what ``kind`` needs, time a cold pass then a warm pass; with
    ``think`` > 0, the cold pass on an event loop with that many seconds between moves."""
    apps: Apps = {}
    if think > 0:
        async def both_passes() -> tuple[list, list]:
            changes = KINDS[kind](apps)
            return await paced(changes, think), timed(changes)
        cold, warm = asyncio.run(both_passes())
    else:
        changes = KINDS[kind](apps)
        cold, warm = timed(changes), timed(changes)
    print(json.dumps({"cold": cold, "warm": warm}))


def static_worker() -> None:
    apps: Apps = {}
    for name in ("comparison", "decision", "fit", "drf", "explorer", "dialects", "app trees",
                 "networking", "healing", "updates", "storage"):
        live = app(apps, name)
        start = time.perf_counter()
        size = len(live.static_html())
        print(f"{name:44} {(time.perf_counter() - start) * 1000:10.0f} ms {size / 1024:6.0f} kB",
              flush=True)


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile by the nearest-rank method (p95 of 20 moves: the 19th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def row(samples: list[tuple[float, float]]) -> str:
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    return (f"{percentile(walls, .5):6.1f} {percentile(walls, .95):6.1f} {max(walls):6.1f} "
            f"{percentile(cpus, .95):6.1f}")


PACED_FROM = 10.0
"""Cold p95 (ms) above which a kind is timed again with paced moves (``--think``)."""


def table(kinds: list[str], runs: int, think: float) -> list[str]:
    """One line per update kind: ``runs`` fresh processes, moves ``think`` s apart. Returns
    the kinds whose cold p95 exceeds :data:`PACED_FROM`."""
    pace = (f"moves {think:g} s apart on an event loop (idle work runs between them; the "
            "wait for a piece in progress is counted)" if think else "moves back to back")
    print(f"\nwidget update time in ms, {pace}; target: p95 <= 50 ms, cold included; cpu95: "
          "p95 of the process CPU time\n" f"{'':40} {'first':>6} | {'cold: p50':>9} {'p95':>6} "
          f"{'worst':>6} {'cpu95':>6} | {'warm: p50':>9} {'p95':>6} {'worst':>6} {'cpu95':>6}",
          flush=True)
    slow = []
    for kind in kinds:
        cold: list[tuple[float, float]] = []
        warm: list[tuple[float, float]] = []
        firsts = []
        for _ in range(runs):
            done = subprocess.run([sys.executable, __file__, "--worker", kind, "--think",
                                   str(think)], capture_output=True, text=True, check=True)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            firsts.append(figures["cold"][0][0])
            cold += figures["cold"]
            warm += figures["warm"]
        print(f"{kind:40} {max(firsts):6.1f} | {row(cold):>30} | {row(warm):>30}", flush=True)
        if percentile([wall for wall, _ in cold], .95) > PACED_FROM:
            slow.append(kind)
    return slow


def uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def arguments() -> argparse.ArgumentParser:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--runs", type=positive_int, default=1, metavar="N",
                        help="fresh processes per kind, pooled (default 1)")
    parser.add_argument("--only", metavar="A,B", default="",
                        help="the kinds whose name contains A or B (skips the static renderings)")
    parser.add_argument("--think", type=span_seconds, default=0.0, metavar="S",
                        help="also time the slow kinds' cold moves S seconds apart")
    parser.add_argument("--no-static", action="store_true",
                        help="skip timing the static renderings")
    parser.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--static-worker", action="store_true", help=argparse.SUPPRESS)
    return parser


def main() -> None:
    args, argv = parse(arguments())
    if args.worker:
        worker(args.worker, args.think)
        return
    if args.static_worker:
        static_worker()
        return
    print(f"command: python {shlex.join([sys.argv[0], *sys.argv[1:]])}\nload: {uptime()}",
          flush=True)
    if args.base is not None:   # the base has no idle work: its paced table would say nothing new
        paced = argv.index("--think") if "--think" in argv else len(argv)
        run_at(args.base, __file__, argv[:paced] + argv[paced + 2:])
        print("this tree:", flush=True)
    only = args.only.split(",")
    slow = table([k for k in KINDS if any(part in k for part in only)], args.runs, 0.0)
    if args.think > 0:
        print(f"\n(paced: the kinds above whose cold p95 exceeds {PACED_FROM:g} ms)")
        table(slow, args.runs, args.think)
    if not args.no_static and only == [""]:
        print("\nstatic rendering (what the book shows), built once:", flush=True)
        subprocess.run([sys.executable, __file__, "--static-worker"], check=True)
    print(f"load: {uptime()}", flush=True)


if __name__ == "__main__":
    main()
