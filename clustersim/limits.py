"""The simulator's limits: how large an input it accepts before it refuses with a clear message.

A few lines of manifest can ask for a billion replicas or a simulated century; a real control
plane would accept some of them and then stall, and a notebook would hang. Each limit below is
sized so that every lab, every exercise and the largest cluster Kubernetes documents as tested
(5,000 nodes, 150,000 pods: https://kubernetes.io/docs/setup/best-practices/cluster-large/)
fit with room to spare, and says why it is where it is. A refusal raises :class:`LimitError`,
a ``ValueError`` whose message names the limit, its value and what to do.

The manifest loader (:mod:`clustersim.manifests`) has its own input bounds (document size,
aliases, port ranges); these are the simulators'.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "MAX_AFFINITY_TERMS",
    "MAX_BUCKETS",
    "MAX_CORPUS_ENTRIES",
    "MAX_CORPUS_FILES",
    "MAX_ECHO_CHARS",
    "MAX_EXPLORED_TASKS",
    "MAX_FLEET_NODES",
    "MAX_LOGGED_EVENTS",
    "MAX_NODES",
    "MAX_QUIET_SECONDS",
    "MAX_RECORDED_OFFERS",
    "MAX_REPLICAS",
    "MAX_REQUEST_RATE",
    "MAX_RUN_EVENTS",
    "MAX_RUN_SECONDS",
    "LimitError",
    "check_count",
    "check_exit",
    "check_fleet_nodes",
    "check_nodes",
    "check_rate",
    "check_replicas",
    "check_until",
]

MAX_NODES = 50_000
"""Nodes (Kubernetes), nodes (Swarm) or agents (Mesos) in one simulated cluster: ten times the
5,000 nodes Kubernetes documents as its tested envelope. Building a cluster is linear in its
nodes (5 to 7 s for 40,000 Kubernetes nodes on one core, ``benchmarks/cluster_build.py``);
beyond this every scheduling pass over the nodes takes seconds."""

MAX_FLEET_NODES = 5_000
"""Nodes of a fleet filled pod by pod (``clustersim.kubernetes.fleet.fill`` and
``compare_profiles``): the 5,000 nodes Kubernetes documents as tested, the fleet the lab
fills. Every pod is one scheduling cycle over the fleet; 60,000 pods on 5,000 nodes take about
20 s for the two profiles, and 20,000 nodes took 26 s while telling nothing more."""

MAX_REPLICAS = 150_000
"""Replicas of one workload (``spec.replicas`` of a Deployment, ReplicaSet, StatefulSet,
ReplicationController or Job ``parallelism``/``completions``; Swarm ``replicas``; Marathon
``instances``): the 150,000 pods Kubernetes documents as the most a tested cluster holds. The
API server itself accepts any int32 and would then create pods for hours; the simulator creates
every pod object in memory, so a billion would never finish."""

MAX_EXPLORED_TASKS = 500
"""Tasks (pods, Swarm tasks, Marathon instances; one per node for a DaemonSet or a global
service) that one source may ask for in :func:`clustersim.explore.place`, the manifest
explorer's run, all workloads together. The explorer is a widget, whose updates aim at well
under 100 ms, but the simulators place every task one by one: one update costs about 0.1 s
of CPU for 500 Swarm tasks, 0.2 s for 500 Kubernetes Pods and 0.35 s for 500 Marathon
instances, growing with the count (1,000: 0.2 to 0.55 s; 5,000 Pods: 1.9 s;
``benchmarks/explorer_tasks.py``), so the simulators' speed-ups leave no room to raise it;
150,000 replicas froze it for minutes. The demo clusters are small (the Kubernetes one holds
330 pods: three workers of kubelet's default 110), so 500 still fills one and shows what waits
and why; the simulators themselves take up to :data:`MAX_REPLICAS` per workload."""

MAX_CORPUS_FILES = 200
"""Manifest files (``.yaml``, ``.yml``, ``.json``) the manifest explorer's menu lists from the
folder given as ``manifest_explorer(corpus=...)``
(:func:`clustersim.widgets.explorer.corpus_files`). The course's real-world corpus holds
about 120; a menu of a few hundred entries is already hard to use, and a folder such as
``".."`` or ``"/"`` would list thousands. The explorer says when it stopped at the limit."""

MAX_CORPUS_ENTRIES = 20_000
"""Files and folders the manifest explorer looks at while it searches a ``corpus`` folder for
manifests, so that a folder such as ``"/"`` that holds few manifests among millions of other
files does not keep the notebook searching for minutes (a few hundredths of a second per
thousand entries on a local disk)."""

MAX_REQUEST_RATE = 10_000.0
"""Requests per second of one simulated request stream. Each request is one simulated event,
and a run is capped at :data:`MAX_RUN_EVENTS`; the labs send tens per second."""

MAX_BUCKETS = 100_000
"""Time buckets that ``RequestStream.buckets(width)`` returns: a width so small that the span
would need more rows than this is refused rather than allocating gigabytes (a chart cannot show
more than a few thousand bars anyway)."""

MAX_RUN_SECONDS = 7 * 86_400.0
"""Simulated seconds one ``run(until=...)`` call may advance: a week. The labs run minutes; a
week covers daily and weekly CronJob schedules. Periodic work (CronJob schedules, Mesos
allocation rounds every second, request streams) is simulated period by period, so
``until=1e12`` would never return; call ``run`` again to go further."""

MAX_QUIET_SECONDS = 86_400.0
"""Simulated seconds a ``run()`` without ``until`` may take to become quiet: a day. Every
simulator runs until its own work in flight is done (:meth:`clustersim.sim.Clock.
run_until_quiet`); work that never ends by itself (CronJob runs that overlap, a crash-looping
Swarm service with unlimited restarts, a framework that keeps launching) would run forever,
so after a simulated day the run stops with a :class:`LimitError` that says to give ``until``.
The labs' runs settle within minutes."""

MAX_RUN_EVENTS = 1_000_000
"""Simulated events one ``run()`` call may process: 40 s to a few minutes of computing (about
25,000 events per second on an idle core, 5,000 on a busy one: ``benchmarks/run_cost.py``).
A week of an idle Mesos cluster (an allocation round every second, 630,000 events) fits; it
stops a run within :data:`MAX_RUN_SECONDS` that is so busy (a CronJob every minute with many
pods, fast request streams) that it would take many minutes. The labs process a few thousand
events per run."""

MAX_LOGGED_EVENTS = 50_000
"""Events a simulator's event log keeps (``events`` of a
:class:`~clustersim.kubernetes.KubernetesCluster`, a :class:`~clustersim.mesos.MesosCluster`,
a :class:`~clustersim.marathon.Marathon` and a :class:`~clustersim.swarm.SwarmCluster`; the
oldest go first, :class:`~clustersim.sim.EventLog`), numbered from the first so that a reader
that remembers how far it read stays right after the oldest go. A crash
loop with no restart delay records about 550 events a simulated second for 100 failing Swarm
replicas, which had grown a notebook's process by 115 MB in ten simulated minutes; a Mesos
master records an offer, and its event, for every agent it offers in each one-second
allocation round; the labs record a few thousand. The real systems keep less: Kubernetes
Events live an hour after their last write (the API server's ``--event-ttl``), a Mesos master
keeps the last 1,000 completed tasks of a framework
(``DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK``, apache/mesos ``src/master/constants.hpp``; so
does the simulated one, :data:`~clustersim.mesos.master.MAX_COMPLETED_TASKS_PER_FRAMEWORK`)
and no record of its offers, Marathon's event bus keeps none and Docker's daemon its last 256
(moby ``daemon/events/events.go``)."""

MAX_RECORDED_OFFERS = 10_000
"""Offers a Mesos master's record of them keeps (``cluster.offers``,
:class:`~clustersim.mesos.OfferHistory`), and changes of dominant shares it records
(``cluster.share_history()``), the oldest dropped as an event log drops them. A real master
keeps neither (it logs each offer and gauges those outstanding, and its allocator shows each
role's share now); the labs read a few hundred (the two-level scheduling lab's
``offer_flow`` 161 offers). An offer record weighs about 1,140 bytes and a share about 280
(``benchmarks/logged_records.py``): at :data:`MAX_LOGGED_EVENTS` the two held 68 MiB of a
long Marathon run, at this bound 13 MiB; a served master keeps as many
(``serve.marathonmonitor.SERVED_EVENTS``)."""

MAX_AFFINITY_TERMS = 100
"""Terms in one pod's node affinity, pod affinity or pod anti-affinity (required and preferred
together). Every term is evaluated against every node, and each pod (anti-)affinity term against
every pod, for each pod scheduled; real manifests carry one to a handful. The API server sets no
such limit (only the object's 1.5 MiB size does), so this one is the simulator's own."""

MAX_ECHO_CHARS = 2_000
"""Characters of a message that a check, a widget or a command line shows a learner, the
answer or error it echoes included: a long paragraph (the longest feedback the exercises
write is well under this), while a 5 MB answer pasted by mistake does not become a 5 MB
notebook output."""

MAX_REACHABILITY_CHECKS = 5_000_000
"""Policy checks of one ``networkpolicy.reachability`` table: Pods × Pods × NetworkPolicies
(at least one). Every ordered pair of Pods is decided against every policy; 5 million checks
take about two seconds (300 Pods and 20 policies: 1.8 million in 0.8 s), while a table of
a few dozen Pods, all a person can read, needs far fewer. ``connection`` for single pairs
has no such limit."""


class LimitError(ValueError):
    """An input exceeds one of the simulator's limits (:mod:`clustersim.limits`)."""


def check_count(value: Any, limit: int, what: str, why: str) -> None:
    """Refuse ``value`` (a count such as replicas or nodes) above ``limit``, saying why."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > limit:
        raise LimitError(f"{what} is {value:,}, above the simulator's limit of {limit:,} "
                         f"({why}); ask for fewer")


def check_nodes(count: int) -> None:
    """Refuse a cluster of more than :data:`MAX_NODES` nodes or agents."""
    check_count(count, MAX_NODES, "the number of nodes", "ten times the 5,000 nodes "
                "Kubernetes documents as tested; clustersim.limits.MAX_NODES")


def check_fleet_nodes(count: int) -> None:
    """Refuse a fleet to fill of more than :data:`MAX_FLEET_NODES` nodes."""
    check_count(count, MAX_FLEET_NODES, "the number of nodes of a fleet to fill", "the 5,000 "
                "nodes Kubernetes documents as tested, the lab's fleet; "
                "clustersim.limits.MAX_FLEET_NODES")


def check_replicas(value: Any, what: str) -> None:
    """Refuse a replica or instance count above :data:`MAX_REPLICAS`."""
    check_count(value, MAX_REPLICAS, what, "the 150,000 pods Kubernetes documents for its "
                "largest tested cluster; clustersim.limits.MAX_REPLICAS")


def check_exit(after: Any, exit_code: Any) -> tuple[float, int]:
    """The arguments of ``fail_image`` (a container that exits ``after`` seconds with
    ``exit_code``): a finite number of seconds ≥ 0 and a process's exit status, 0 to 255."""
    if isinstance(after, bool) or not isinstance(after, int | float) or \
            not math.isfinite(after) or after < 0:
        raise ValueError(f"after must be a finite number of seconds ≥ 0, got {after!r}")
    if isinstance(exit_code, bool) or not isinstance(exit_code, int) or \
            not 0 <= exit_code <= 255:
        raise ValueError(f"exit_code must be a whole number from 0 to 255 (a process's exit "
                         f"status), got {exit_code!r}")
    return float(after), exit_code


def check_rate(rate: Any) -> float:
    """A request rate per second: a finite number > 0, at most :data:`MAX_REQUEST_RATE`."""
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0 \
            or math.isinf(rate):
        raise ValueError(f"request rate must be a number > 0 per second, got {rate!r}")
    check_count(rate, MAX_REQUEST_RATE, "the request rate per second", "each request is one "
                "simulated event; clustersim.limits.MAX_REQUEST_RATE")
    return float(rate)


def check_until(until: Any, now: float) -> float:
    """``until`` for ``run``: a finite number of seconds, not in the past, at most
    :data:`MAX_RUN_SECONDS` ahead of ``now``. Returns it as a float."""
    if isinstance(until, bool) or not isinstance(until, int | float):
        raise ValueError(f"until must be a time in seconds (a number), got {until!r}")
    if math.isnan(until) or math.isinf(until):
        raise ValueError(f"until must be a finite time in seconds, got {until}: periodic work "
                         "(CronJobs, allocation rounds, request streams) never ends, so run() "
                         "would never return; give the time to stop at")
    if until < now:
        raise ValueError(f"until={until:g} is in the past: simulated time is already {now:g} s")
    if until - now > MAX_RUN_SECONDS:
        raise LimitError(f"run(until={until:g}) would simulate {until - now:,.0f} s, above the "
                         f"simulator's limit of {MAX_RUN_SECONDS:,.0f} s (a week) per call "
                         "(clustersim.limits.MAX_RUN_SECONDS): periodic work is simulated "
                         "period by period; run a shorter span, or call run() again")
    return float(until)
