"""Load any manifest, run it on a suitable cluster of its own system, and report what happened.

:func:`place` is what the "explore real manifests" lab and its widget call: it detects the
dialect (Kubernetes, Marathon, Compose/stack), runs the workloads on
:func:`clustersim.clusters.demo_nodes` for that system for a while of simulated time, and
returns a :class:`Placement`: the specs, a snapshot of the cluster, the events, and every
task still waiting with the scheduler's reason. Errors in the manifest raise
:class:`clustersim.manifests.ManifestError` with the file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clustersim.clusters import demo_nodes
from clustersim.manifests import ManifestSet, load_manifests
from clustersim.memo import memoized
from clustersim.reprs import brief
from clustersim.sim import Event, Snapshot

__all__ = ["Placement", "place"]


@dataclass
class Placement:
    """What :func:`place` saw: ``waiting`` lists (task, reason) for every task without a node;
    ``notes`` says what was not simulated."""

    __repr__ = brief

    system: str
    specs: ManifestSet
    snapshot: Snapshot
    events: list[Event]
    waiting: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Each runner takes the loaded specs (to know what is simulated) and the original source: the
# simulators load it themselves, because a loaded manifest has already had its variables
# interpolated ("$$" became "$") and must not be interpolated twice.


def _kubernetes(specs: ManifestSet, source: Any, until: float, seed: int) -> tuple[Any, list]:
    from clustersim.kubernetes import KubernetesCluster

    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=seed)
    cluster.apply([s.manifest for s in specs])
    cluster.run(until=until)
    # the PodScheduled condition as `kubectl describe` shows it: reason, then message
    waiting = [(f"pod/{p.name}", ": ".join(filter(None, (p.reason, p.message))) or p.phase)
               for p in cluster.pods() if p.node is None]
    return cluster, waiting


def _swarm(specs: ManifestSet, source: Any, until: float, seed: int) -> tuple[Any, list]:
    from clustersim.swarm import SwarmCluster

    cluster = SwarmCluster(demo_nodes("swarm"), seed=seed)
    cluster.deploy_stack(specs[0].name, source)
    cluster.run(until=until)
    waiting = [(f"task/{t.name}", t.err or t.message or str(t.state))
               for t in cluster.tasks() if t.node is None]
    return cluster, waiting


def _marathon(specs: ManifestSet, source: Any, until: float, seed: int) -> tuple[Any, list]:
    from clustersim import marathon
    from clustersim.mesos import MesosCluster

    cluster = MesosCluster(demo_nodes("marathon"), seed=seed)
    framework = cluster.register(marathon.Marathon())
    framework.deploy(source)
    cluster.run(until=until)
    waiting = []
    for row in framework.queue():  # Marathon's launch queue: instances still to launch, and why
        why = ", ".join(f"{reason} ×{n}" for reason, n in sorted(row["rejections"].items()))
        waiting.append((f"app {row['id']}", f"{row['count']} instance(s) waiting to launch"
                        + (f"; offers declined: {why}" if why else "")))
    return cluster, waiting


_RUNNERS = {"kubernetes": _kubernetes, "swarm": _swarm, "marathon": _marathon}


def place(source: Any, *, name: str | None = None, until: float = 120.0, seed: int = 0
          ) -> Placement:
    """Load ``source`` (anything :func:`load_manifests` takes) and run it for ``until`` s.
    Manifest text (more than one line) placed before is not loaded and run again: the run is
    seeded, so the same text, name, ``until`` and ``seed`` give the same placement (shared:
    read it, do not change it). A path is read afresh each time, since its file may change."""
    if isinstance(source, str) and "\n" in source:
        return _place_text(source, name=name, until=until, seed=seed)
    return _place(source, name=name, until=until, seed=seed)


def _place(source: Any, *, name: str | None, until: float, seed: int) -> Placement:
    specs = load_manifests(source, name=name)
    systems = sorted({s.system for s in specs})
    if len(systems) != 1:
        found = ", ".join(systems) or "nothing"
        raise ValueError(f"one dialect at a time, please: this source holds {found}")
    system = systems[0]
    notes = [f"{s.kind} {s.name}: kept but not simulated" for s in specs if not s.simulated]
    simulated = ManifestSet(s for s in specs if s.simulated)
    cluster, waiting = _RUNNERS[system](simulated, source, until, seed)
    return Placement(system, specs, cluster.snapshot(), list(cluster.events), waiting, notes)


_place_text = memoized(32)(_place)
