"""Load any manifest, run it on a suitable cluster of its own system, and report what happened.

:func:`place` is what the "explore real manifests" lab and its widget call: it detects the
dialect (Kubernetes, Marathon, Compose/stack), runs the workloads on
:func:`clustersim.clusters.demo_nodes` for that system (through the system-neutral
:class:`clustersim.sim.System`) for a while of simulated time, and
returns a :class:`Placement`: the specs, a snapshot of the cluster, the events, and every
task still waiting with the scheduler's reason. Errors in the manifest raise
:class:`clustersim.manifests.ManifestError` with the file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clustersim.clusters import demo_nodes, open_system
from clustersim.kubernetes.nopods import daemonset_desired, why_no_pods
from clustersim.limits import MAX_EXPLORED_TASKS, LimitError
from clustersim.manifests import ManifestError, ManifestSet, load_manifests
from clustersim.marathon import Marathon, dcos_cluster
from clustersim.marathon.launchqueue import PUBLIC_ROLE
from clustersim.marathon.roles import AcceptedRolesError, ResidentRoleError
from clustersim.marathon.system import MarathonSystem
from clustersim.memo import memoized
from clustersim.node import Node
from clustersim.reprs import brief
from clustersim.sim import Event, Snapshot
from clustersim.swarm.spec import checkout_paths

__all__ = ["Placement", "place"]


@dataclass
class Placement:
    """What :func:`place` saw: ``waiting`` lists (task, reason) for every task without a node;
    ``unstarted`` (workload, reason) for every workload that has no task at all (a refused
    create, a suspended Job, a DaemonSet that fits no node: Kubernetes only,
    :mod:`clustersim.kubernetes.nopods`); ``desired`` the count a workload that names none
    wants (``DaemonSet/name`` → its ``desiredNumberScheduled``); ``notes`` says what was not
    simulated and repeats each spec's loader warnings (what the real system would refuse or
    warn about), each led by the spec's kind and name."""

    __repr__ = brief

    system: str
    specs: ManifestSet
    snapshot: Snapshot
    events: list[Event]
    waiting: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unstarted: list[tuple[str, str]] = field(default_factory=list)
    desired: dict[str, int] = field(default_factory=dict)


def place(source: Any, *, name: str | None = None, until: float = 120.0, seed: int = 0,
          stack_file: str | None = None) -> Placement:
    """Load ``source`` (anything :func:`load_manifests` takes) and run it for ``until`` s.
    Manifest text (more than one line) placed before is not loaded and run again: the run is
    seeded, so the same text, name, ``until`` and ``seed`` give the same placement (shared:
    read it, do not change it). A path is read afresh each time, since its file may change.
    ``stack_file`` names the file a stack's text came from when ``name`` is a label (the
    explorer's ``example: shop (swarm)``), so that its services are ``shop_api``, as
    ``docker stack deploy -c shop.yml shop`` names them (:func:`load_manifests`).

A Marathon service whose ``acceptedResourceRoles`` name ``slave_public`` (a DC/OS public
agent's reserved resources) is refused by a Marathon of the default role ``*``
(:mod:`clustersim.marathon.roles`); the explorer then places the source as DC/OS runs it,
Marathon with ``--mesos_role slave_public`` on five private agents and one public agent
(:func:`clustersim.marathon.dcos_cluster`), and says so in the notes."""
    if isinstance(source, str) and "\n" in source:
        return _place_text(source, name=name, until=until, seed=seed, stack_file=stack_file)
    return _place(source, name=name, until=until, seed=seed, stack_file=stack_file)


def _place(source: Any, *, name: str | None, until: float, seed: int,
           stack_file: str | None = None) -> Placement:
    specs = load_manifests(source, name=name, stack_file=stack_file)
    systems = sorted({s.system for s in specs})
    if not systems:
        raise ManifestError("it holds no manifest", source=name or "<string>",
                            expected="a Kubernetes object (apiVersion, kind, metadata), a "
                                     "Compose file (services) or a Marathon app (id); or "
                                     "pick an example")
    if len(systems) != 1:
        raise ValueError(f"one dialect at a time, please: {name or 'this source'} holds "
                         f"{', '.join(systems)}; place each in a source of its own")
    system = systems[0]
    first = specs[0].source
    _check_tasks(specs, system, name or (first if first != "<string>" else "this manifest"))
    notes = [f"{s.kind} {s.name}: {note}" for s in specs
             for note in ([] if s.simulated else ["kept but not simulated"]) + [*s.warnings]]
    cluster = open_system(system, _demo_nodes(specs, system, notes), seed=seed)
    # the simulator loads the source itself: a loaded stack has had its variables
    # interpolated ("$$" became "$") and must not be interpolated twice
    try:
        cluster.deploy(source, stack=specs[0].name)
    except ResidentRoleError as refused:
        # named like every loader error, with what the learner can change here: the text
        raise ManifestError(f"{refused.reason}. In the text: {refused.advice('')}, then place "
                            "it again (the explorer runs Marathon with the default role '*')",
                            source=name or first, path="role") from None
    except AcceptedRolesError as refused:
        if PUBLIC_ROLE not in refused.accepted:
            raise
        cluster = MarathonSystem(dcos_cluster(private=5, public=1, seed=seed),
                                 Marathon(role=PUBLIC_ROLE))
        cluster.deploy(source)
        notes.append(f"{refused.spec_id}: its acceptedResourceRoles name {PUBLIC_ROLE!r}, the "
                     "resources of a DC/OS public agent, which a Marathon of the default role "
                     "'*' refuses; placed as DC/OS runs it instead: Marathon with --mesos_role "
                     f"{PUBLIC_ROLE} on five private agents and one public agent")
    cluster.run(until=until)
    placement = Placement(system, specs, cluster.snapshot(), cluster.events(), cluster.waiting(),
                          notes)
    if system == "kubernetes":     # the one system whose controllers may create no Pod at all
        placement.unstarted = why_no_pods(cluster.cluster)
        placement.desired = daemonset_desired(cluster.cluster)
    return placement


def _demo_nodes(specs: ManifestSet, system: str, notes: list[str]) -> list[Node]:
    """The demo nodes ``specs`` are placed on. A stack that binds files of its own repository
    by a relative path (``./prometheus/``) is placed as if deployed from a checkout of it on
    each manager (where ``docker stack deploy`` runs), and a note says so: on other nodes
    such a task is rejected, as the daemon refuses a bind source its host lacks
    (:mod:`clustersim.hostpaths`)."""
    nodes = demo_nodes(system)
    checked_out = checkout_paths(specs) if system == "swarm" else []
    if not checked_out:
        return nodes
    notes.append(
        "it binds files of its own repository by a relative path (here under /: "
        f"{', '.join(checked_out)}); placed as deployed from a checkout of it on every "
        "manager. On a real "
        "swarm a task that binds them runs only where they exist: on other nodes the daemon "
        "rejects it (bind source path does not exist); a Docker config or a volume takes "
        "files to every node")
    return [node.copy(host_paths=checked_out) if node.role == "manager" else node
            for node in nodes]


def _check_tasks(specs: ManifestSet, system: str, where: str) -> None:
    """Refuse a source that asks for more than :data:`~clustersim.limits.MAX_EXPLORED_TASKS`
    tasks, before any is simulated: the message names the source and its largest workload,
    the field to lower and by how much, and the way to run it whole (a system of one's own,
    which takes up to ``MAX_REPLICAS`` per workload). A real cluster takes them all, places
    what fits and keeps the rest waiting (Kubernetes: ``Pending`` with a ``FailedScheduling``
    event, kubernetes/kubernetes ``pkg/scheduler/schedule_one.go``)."""
    nodes = len(demo_nodes(system))
    counts = [(nodes if w.replicas is None else w.replicas, w) for w in specs.workloads()]
    total = sum(count for count, _ in counts)
    if total <= MAX_EXPLORED_TASKS:
        return
    count, most = max(counts, key=lambda pair: pair[0])
    allowed = count - (total - MAX_EXPLORED_TASKS)
    lower = (f"Lower {_count_field(system, most.kind)} of {most.kind} {most.name} to "
             f"{allowed:,} or fewer" if most.replicas is not None and allowed > 0 else
             "Place fewer workloads at once")
    raise LimitError(
        f"{where} asks for {total:,} tasks ({most.kind} {most.name}: {count:,}), more than "
        f"the {MAX_EXPLORED_TASKS:,} the manifest explorer places "
        "(clustersim.limits.MAX_EXPLORED_TASKS): it simulates every task one by one while you "
        f"wait, on a demo cluster of {nodes} nodes. {lower} to see here what fits and what "
        "waits, and why; a real cluster would create them all, place what fits and keep the "
        "rest waiting with the scheduler's reason. To run it whole, deploy it on a cluster of "
        f"your own: system = clustersim.clusters.open_system({system!r}) (the demo nodes; "
        "to choose them, pass a list of clustersim.Node as its second argument, such as "
        "[clustersim.Node('big-1', cpu=64, memory='256Gi')]), then system.deploy(text), "
        "system.run(until=120) and system.waiting()")


def _count_field(system: str, kind: str) -> str:
    """The manifest field that sets how many tasks a workload of ``kind`` asks for."""
    if system == "swarm":
        return "deploy.replicas"
    if system == "marathon":
        return "scaling.instances" if kind == "Pod" else "instances"
    return {"Job": "spec.parallelism",
            "CronJob": "spec.jobTemplate.spec.parallelism"}.get(kind, "spec.replicas")


_place_text = memoized(32)(_place)
