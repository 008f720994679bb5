"""Checks for the three foundation chapters: containers, container management, orchestration.

Somewhat over 500 lines because it holds the checks of three short chapters, one small
section per exercise sharing the answer readers; the exercise notebooks import it by this name.

- containers (``book/foundations/containers.md``): :func:`check_namespaces` (which Linux
  namespace gives a container each view; namespaces(7)), :func:`check_cgroup_limits`
  (the cgroup v2 ``memory.max`` / ``cpu.max`` that ``docker run`` and a Pod's ``limits``
  write; quantities parsed with :func:`clustersim.quantity.parse_quantity`)
  and :func:`check_pinned_references` (which image references name exactly one image: a
  digest, per the reference grammar of distribution/reference ``reference.go``);
- management (``book/foundations/management.md``): :func:`check_compose_up` (what
  ``docker compose up -d`` does to each service), :func:`check_restart_policy` (which
  containers the Docker daemon restarts) and :func:`check_by_hand_jobs` (which Kubernetes
  mechanism takes over each job done by hand);
- orchestration (``book/foundations/orchestration.md``): :func:`check_reconcile` (the
  actions of a replica controller, given desired and observed state),
  :func:`check_filter_rank` (filter, then rank, on a small Kubernetes cluster, checked with
  :meth:`clustersim.kubernetes.KubernetesCluster.explain`) and :func:`check_hand_edits`
  (what the control loops do after objects are deleted or scaled by hand, played on a
  :class:`~clustersim.kubernetes.KubernetesCluster`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from clustersim.exercises.answers import keyed
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.node import Node
from clustersim.quantity import parse_quantity, to_millis, to_units

__all__ = [
    "BY_HAND", "CGROUP_CONTAINERS", "COMPOSE_SITUATION", "DESIRED", "HAND_EDITS",
    "IMAGE_REFERENCES", "K8S_MECHANISMS", "NAMESPACE_SITUATIONS", "OBSERVED", "PROBE",
    "RESTART_SCENARIOS", "check_by_hand_jobs", "check_cgroup_limits", "check_compose_up",
    "check_filter_rank", "check_hand_edits", "check_namespaces", "check_pinned_references",
    "check_reconcile", "check_restart_policy", "cpu_max", "filter_rank_cluster", "hand_edits_run",
    "is_pinned", "reconcile",
]


def _mapping(answer: object, keys: list[str], what: str) -> dict[str, object]:
    """The learner's dict ``what`` (e.g. "service → action"), with exactly ``keys`` (named
    plainly when one is unknown or missing, :func:`keyed`) and no None left."""
    given = keyed(answer, keys, what.split(" → ")[0])
    if any(given[k] is None for k in keys):
        raise Wrong("Some answers are still None.", "Replace every None.")
    return {k: given[k] for k in keys}


def _choice(value: object, allowed: tuple[str, ...], where: str) -> str:
    text = value.strip().lower() if isinstance(value, str) else None
    if text not in allowed:
        raise Wrong(f"{where}: {value!r} is not one of the choices.",
                    f"Answer with one of: {', '.join(repr(a) for a in allowed)}.")
    return text


# ---- containers: namespaces ---------------------------------------------------------------

NAMESPACE_KINDS = ("mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time")
"""The eight namespace kinds of namespaces(7) (https://man7.org/linux/man-pages/man7/
namespaces.7.html)."""

NAMESPACE_SHORT_NAMES = {"mnt": "mount", "net": "network"}
"""The kernel's own short names (the links in ``/proc/<pid>/ns/``, ``lsns`` TYPE column),
accepted for the long names of :data:`NAMESPACE_KINDS`."""

NAMESPACE_SITUATIONS = {
    "sees its first process as PID 1": "pid",
    "is root inside but an unprivileged user on the host": "user",
    "listens on port 80 while another container on the host also does": "network",
    "reports its own host name (the container ID)": "uts",
    "sees the image's files at / instead of the host's": "mount",
}
_NAMESPACE_HINTS = {
    "pid": "The PID namespace numbers processes: it decides what `ps` shows, not addresses.",
    "user": "Mapping root inside to an unprivileged ID outside is the user namespace's job.",
    "network": "Ports belong to interfaces and addresses: each network namespace has its own.",
    "uts": "The UTS namespace holds the host name and domain name.",
    "mount": "The filesystem tree a process sees is its mount namespace.",
}


@checker("Right: pid, user, network, uts and mount. Each namespace isolates one kind of view; "
         "cgroups, not namespaces, limit what the container uses.")
def check_namespaces(answer: object) -> None:
    """``answer``: ``{situation: namespace kind}`` for :data:`NAMESPACE_SITUATIONS`."""
    given = _mapping(answer, list(NAMESPACE_SITUATIONS), "situation → namespace")
    for situation, right in NAMESPACE_SITUATIONS.items():
        value = given[situation]
        text = value.strip().lower() if isinstance(value, str) else value
        value = NAMESPACE_SHORT_NAMES.get(text, value) if isinstance(text, str) else value
        if text == "cgroup":
            raise Wrong(f"“{situation}”: not the cgroup namespace.",
                        "The cgroup namespace only hides the host's cgroup tree. "
                        + _NAMESPACE_HINTS[right])
        kind = _choice(value, NAMESPACE_KINDS, f"“{situation}”")
        if kind != right:
            raise Wrong(f"“{situation}”: not the {kind} namespace.", _NAMESPACE_HINTS[right])


# ---- containers: cgroup limits ------------------------------------------------------------

CPU_PERIOD = 100_000
"""µs: the CFS period runc writes into ``cpu.max`` (opencontainers/runc, cgroup v2;
Docker's ``--cpus`` is NanoCPUs, converted as ``quota = cpus × period``)."""

CGROUP_CONTAINERS = {
    "docker run --memory 256m --cpus 0.5": {"memory": "256Mi", "cpu": "500m"},
    "Pod limits {cpu: 1500m, memory: 256M}": {"memory": "256M", "cpu": "1500m"},
}
"""Each container and its limits as Kubernetes quantities. Docker's ``--memory`` suffixes
(b, k, m, g) are binary (docker/go-units ``RAMInBytes``), so ``256m`` is 256 Mi; in a Pod,
``256M`` is decimal (10^6) and ``256Mi`` binary."""


def cpu_max(cpu: str) -> str:
    """The cgroup v2 ``cpu.max`` line (``"<quota> <period>"``) for a CPU limit."""
    return f"{to_millis(parse_quantity(cpu)) * CPU_PERIOD // 1000} {CPU_PERIOD}"


@checker("Right: 268435456 bytes and '50000 100000' for Docker (256m is binary), 256000000 "
         "bytes and '150000 100000' for the Pod (256M is decimal).")
def check_cgroup_limits(answer: object) -> None:
    """``answer``: ``{container: {"memory.max": int, "cpu.max": "quota period"}}`` for
    :data:`CGROUP_CONTAINERS`."""
    given = _mapping(answer, list(CGROUP_CONTAINERS), "container → its cgroup files")
    for name, limits in CGROUP_CONTAINERS.items():
        files = _mapping(given[name], ["memory.max", "cpu.max"], "cgroup file → value")
        memory = to_units(parse_quantity(limits["memory"]))
        value = files["memory.max"]
        if isinstance(value, bool) or not isinstance(value, int):
            raise Wrong(f"{name}: memory.max = {value!r} is not a whole number of bytes.",
                        "memory.max holds bytes, as an int such as 1073741824.")
        if value != memory:
            decimal, binary = 256 * 10**6, 256 * 2**20
            hint = ("Docker's m suffix is binary: 256m is 256 × 2^20 bytes."
                    if value == decimal and memory == binary else
                    "In Kubernetes, M is 10^6 and Mi is 2^20: 256M is 256 × 10^6 bytes."
                    if value == binary and memory == decimal else
                    "memory.max is the limit in bytes: convert the suffix to a power of 2 or 10.")
            raise Wrong(f"{name}: memory.max {value} is not it.", hint)
        line = files["cpu.max"]
        right = cpu_max(limits["cpu"])
        if not isinstance(line, str) or " ".join(line.split()) != right:
            raise Wrong(f"{name}: cpu.max {line!r} is not it.",
                        f"cpu.max is the string 'quota period' in microseconds, with period "
                        f"{CPU_PERIOD}: the quota is CPUs × {CPU_PERIOD}.")


# ---- containers: tags and digests --------------------------------------------------------

_DIGEST = "sha256:" + "4b1f" * 16
IMAGE_REFERENCES = (
    "nginx",
    "nginx:1.27",
    "registry.example.com/shop/cart:1.4.2",
    f"registry.example.com/shop/cart@{_DIGEST}",
    f"registry.example.com/shop/cart:1.4.2@{_DIGEST}",
    "localhost:5000/shop/web:latest",
)
_DIGEST_RE = re.compile(r"@sha256:[0-9a-f]{64}$")


def is_pinned(reference: str) -> bool:
    """Whether ``reference`` names one image forever: it ends in ``@sha256:<64 hex>``.

    distribution/reference ``reference.go``: ``name[:tag][@digest]``; when both are given,
    pulling resolves the digest and the tag is only a label. A ``host:port`` prefix is part of
    the name, not a tag."""
    return bool(_DIGEST_RE.search(reference))


_REFERENCE_HINTS = {
    "nginx": "With neither tag nor digest, Docker pulls nginx:latest, the most movable tag.",
    "nginx:1.27": "A tag is a pointer the registry lets anyone with push rights move: 1.27 "
                  "gets patch rebuilds.",
    "registry.example.com/shop/cart:1.4.2": "A version tag is a convention, not a guarantee: "
                                            "the registry accepts a new push of 1.4.2.",
    "localhost:5000/shop/web:latest": "localhost:5000 is the registry host and port, and "
                                      "latest is a tag.",
}


@checker("Right: only the two references with @sha256:… are pinned; with a tag and a digest, "
         "the digest decides and the tag is a label for humans.")
def check_pinned_references(answer: object) -> None:
    """``answer``: the references of :data:`IMAGE_REFERENCES` that always pull the same bytes."""
    if isinstance(answer, str) or not isinstance(answer, set | frozenset | list | tuple):
        raise Wrong("The answer must be a set of references.", "Copy them from the list above.")
    given = {str(r).strip() for r in answer}
    unknown = given - set(IMAGE_REFERENCES)
    if unknown:
        raise Wrong(f"{min(unknown)!r} is not one of the references.",
                    "Copy the references exactly from IMAGE_REFERENCES.")
    for reference in IMAGE_REFERENCES:
        if reference in given and not is_pinned(reference):
            raise Wrong(f"{reference} is not pinned.", _REFERENCE_HINTS[reference])
        if is_pinned(reference) and reference not in given:
            raise Wrong(f"{reference} is pinned too.",
                        "Anything that ends in @sha256:<digest> names exactly one image, "
                        "whatever tag stands before it.")


# ---- management: docker compose up ----------------------------------------------------------

COMPOSE_ACTIONS = ("create", "recreate", "start", "nothing")
COMPOSE_SITUATION = {
    "web": "running shop/web:2.0.1; the file now says shop/web:2.0.2",
    "cart": "running shop/cart:1.4.2; unchanged in the file",
    "db": "exited after `docker compose stop db`; unchanged in the file",
    "search": "new in the file; no container yet",
    "report": "running; its service was deleted from the file",
}
_COMPOSE_RIGHT = {"web": "recreate", "cart": "nothing", "db": "start", "search": "create",
                  "report": "nothing"}
_COMPOSE_HINTS = {
    "web": "Compose compares a hash of each service's configuration with the label on its "
           "container: a new image tag changes it, so the container is replaced.",
    "cart": "Configuration and container agree: `up` leaves it alone (“Running”).",
    "db": "The container exists and its configuration is unchanged: `up` starts the stopped "
          "container, it does not rebuild it.",
    "search": "No container has this service's label yet: `up` creates one.",
    "report": "`up` only warns about orphan containers (“Found orphan containers …”); it "
              "removes them only with --remove-orphans.",
}


@checker("Right: recreate web, leave cart, start db, create search, and only warn about the "
         "orphan report (docker compose up --remove-orphans would remove it).")
def check_compose_up(answer: object) -> None:
    """``answer``: ``{service: action}`` for :data:`COMPOSE_SITUATION`, actions from
    ``COMPOSE_ACTIONS``. Source: docker/compose ``pkg/compose/convergence.go`` (config-hash
    label, ``mustRecreate``, starting stopped containers) and ``pkg/compose/create.go``
    (orphan warning); https://docs.docker.com/reference/cli/docker/compose/up/ ."""
    given = _mapping(answer, list(COMPOSE_SITUATION), "service → action")
    for service, right in _COMPOSE_RIGHT.items():
        if _choice(given[service], COMPOSE_ACTIONS, service) != right:
            raise Wrong(f"{service}: not “{given[service]}”.", _COMPOSE_HINTS[service])


# ---- management: restart policies -----------------------------------------------------------

RESTART_SCENARIOS = {
    "cart (--restart unless-stopped): its process exits with code 1": True,
    "web (no --restart): killed by the OOM killer, exit code 137": False,
    "worker (--restart on-failure): finishes its work and exits with code 0": False,
    "cart (--restart unless-stopped): `docker stop cart`, then the Docker daemon restarts": False,
    "db (--restart always): `docker stop db`, then the Docker daemon restarts": True,
    "cart (--restart unless-stopped): its host loses power and never comes back": False,
}
"""Whether the Docker daemon starts the container again. Source:
https://docs.docker.com/engine/containers/start-containers-automatically/ (policies ``no``,
``on-failure``, ``always``, ``unless-stopped``)."""
_RESTART_HINTS = [
    "unless-stopped restarts a container whose process exits, whatever the exit code.",
    "The default policy is no: nothing restarts it, not even after an OOM kill.",
    "on-failure restarts only on a non-zero exit code; 0 means success.",
    "unless-stopped differs from always exactly here: a container you stopped stays stopped, "
    "even when the daemon restarts.",
    "always restarts a manually stopped container when the daemon itself restarts.",
    "A restart policy lives in one host's Docker daemon: no other host knows about the "
    "container. Recovering from a lost host is an orchestrator's job.",
]


@checker("Right. A restart policy is one daemon restarting processes on its own host: the "
         "first step of self-healing, and where it ends.")
def check_restart_policy(answer: object) -> None:
    """``answer``: ``{scenario: True/False}`` (restarted?) for :data:`RESTART_SCENARIOS`."""
    given = _mapping(answer, list(RESTART_SCENARIOS), "scenario → restarted?")
    for (scenario, right), hint in zip(RESTART_SCENARIOS.items(), _RESTART_HINTS, strict=True):
        if not isinstance(given[scenario], bool):
            raise Wrong(f"“{scenario}”: {given[scenario]!r} is not True or False.",
                        "Answer True (restarted) or False (not restarted).")
        if given[scenario] != right:
            raise Wrong(f"“{scenario}”: not {given[scenario]}.", hint)


# ---- management: who takes over each job --------------------------------------------------

K8S_MECHANISMS = ("kube-scheduler", "ReplicaSet controller", "Service", "Deployment rolling update",
                  "probes", "Secret", "HorizontalPodAutoscaler")
BY_HAND = {
    "Which machine has room for this container?": "kube-scheduler",
    "A machine died at 03:00: restart what ran there elsewhere.": "ReplicaSet controller",
    "web must reach cart, which moved to machines 5 and 8.": "Service",
    "Update 60 copies without an outage.": "Deployment rolling update",
    "Is every copy healthy?": "probes",
    "Where do the database passwords go?": "Secret",
    "The load doubled: start more copies.": "HorizontalPodAutoscaler",
}
"""The chapter's "by hand" questions and the Kubernetes mechanism that answers each (the
table in ``book/foundations/orchestration.md``)."""
_BY_HAND_HINTS = {
    "kube-scheduler": "Choosing a node with room, filter then score, is the scheduler's job.",
    "ReplicaSet controller": "Keeping N copies running, wherever they are, is a controller's "
                             "job: it recreates the Pods that the dead node took with it.",
    "Service": "A stable name and virtual IP in front of Pods that come and go: a Service "
               "(its EndpointSlices follow the Pods).",
    "Deployment rolling update": "Replacing copies a few at a time, with maxSurge and "
                                "maxUnavailable, is what a Deployment does on a new image.",
    "probes": "The kubelet runs liveness and readiness probes on every container.",
    "Secret": "Passwords go into a Secret, mounted or injected only where needed.",
    "HorizontalPodAutoscaler": "Changing the number of copies with the load is the "
                               "HorizontalPodAutoscaler's job (it edits replicas).",
}


@checker("Right: each question from the table has a named mechanism, and each is a control "
         "loop or a stored object that the loops read.")
def check_by_hand_jobs(answer: object) -> None:
    """``answer``: ``{question: mechanism}`` for :data:`BY_HAND`, mechanisms from
    :data:`K8S_MECHANISMS`."""
    given = _mapping(answer, list(BY_HAND), "question → mechanism")
    lowered = {m.lower(): m for m in K8S_MECHANISMS}
    for question, right in BY_HAND.items():
        value = given[question]
        choice = lowered.get(value.strip().lower()) if isinstance(value, str) else None
        if choice is None:
            raise Wrong(f"“{question}”: {value!r} is not one of the mechanisms.",
                        f"Answer with one of: {', '.join(repr(m) for m in K8S_MECHANISMS)}.")
        if choice != right:
            raise Wrong(f"“{question}”: not {choice}.", _BY_HAND_HINTS[right])


# ---- orchestration: reconcile by hand -------------------------------------------------------

DESIRED = {"web": 3, "cart": 2}
"""Desired state: copies per service (``report`` was deleted from it)."""
OBSERVED = [
    {"name": "web-1", "service": "web", "node": "node-1", "state": "running"},
    {"name": "web-2", "service": "web", "node": "node-2", "state": "node lost"},
    {"name": "cart-1", "service": "cart", "node": "node-1", "state": "running"},
    {"name": "cart-2", "service": "cart", "node": "node-3", "state": "running"},
    {"name": "cart-3", "service": "cart", "node": "node-3", "state": "running"},
    {"name": "report-1", "service": "report", "node": "node-1", "state": "running"},
]
"""Observed state: containers reported by the nodes (node-2 stopped answering)."""


def reconcile(desired: Mapping[str, int], observed: list[Mapping[str, str]]) -> dict[str, int]:
    """One pass of a replica controller: per service, copies to start (> 0) or stop (< 0).

    The difference between desired and live copies, as kubernetes/kubernetes
    ``pkg/controller/replicaset/replica_set.go`` (``manageReplicas``: ``diff =
    len(activePods) - replicas``) and moby/swarmkit ``manager/orchestrator/replicated/
    services.go`` compute it. A copy on a lost node no longer counts as live (upstream the
    node controller or the dispatcher marks it first, after a grace period); a service that
    is no longer desired has a desired count of 0 (upstream its owner is deleted and the
    garbage collector removes its copies)."""
    live = Counter(c["service"] for c in observed if c["state"] == "running")
    return {s: desired.get(s, 0) - live[s] for s in sorted(set(desired) | set(live))
            if desired.get(s, 0) != live[s]}


@checker("Right: start 2 web (one is missing, one was on the lost node), stop 1 cart and stop "
         "the report copy. The same loop handles a failure, a scale-down and a deletion.")
def check_reconcile(answer: object) -> None:
    """``answer``: ``{service: n}``, ``n > 0`` copies to start, ``n < 0`` to stop, for
    :data:`DESIRED` and :data:`OBSERVED`; services with nothing to do may be left out."""
    services = sorted(set(DESIRED) | {c["service"] for c in OBSERVED})
    if isinstance(answer, Mapping):  # "nothing to do" may be written as 0 or None
        answer = {s: n for s, n in answer.items() if n not in (0, None)}
    given = keyed(answer, services, "service", all_required=False)
    right = reconcile(DESIRED, OBSERVED)
    for service, n in given.items():
        if isinstance(n, bool) or not isinstance(n, int):
            raise Wrong(f"{service}: {n!r} is not a whole number.",
                        "Use +2 for “start two”, -1 for “stop one”.")
    if given.get("web") == 1:
        raise Wrong("web: not +1.", "web-2 runs on node-2, which was lost: it does not count "
                    "as a live copy, so two are missing.")
    if "report" not in given:
        raise Wrong("report: something must happen to it.", "report is no longer in the desired "
                    "state, so its desired count is 0: its running copy is stopped.")
    for service in sorted(set(right) | set(given)):
        if given.get(service, 0) != right.get(service, 0):
            have = sum(c["service"] == service and c["state"] == "running" for c in OBSERVED)
            raise Wrong(f"{service}: not {given.get(service, 0):+d}.",
                        f"Desired {DESIRED.get(service, 0)}, running {have}: the controller "
                        "acts on the difference.")


# ---- orchestration: filter, then rank --------------------------------------------------------

PROBE = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
         "spec": {"containers": [{"name": "web", "image": "shop/web:2.0.2",
                                  "resources": {"requests": {"cpu": "1500m", "memory": "1Gi"}}}]}}
_CART = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart}
spec:
  replicas: 2
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-a}
      containers:
        - {name: cart, image: shop/cart:1.4.2, resources: {requests: {cpu: "1", memory: 2Gi}}}
"""


def filter_rank_cluster() -> KubernetesCluster:
    """Five nodes: node-a (4 CPU, 2 already requested), node-b (cordoned), node-c (2 CPU,
    empty), node-d (1 CPU, too small for the probe) and gpu-1 (tainted ``dedicated=gpu``)."""
    nodes = [Node("node-a", cpu=4, memory="8Gi", zone="zone-a"),
             Node("node-b", cpu=4, memory="8Gi", zone="zone-b"),
             Node("node-c", cpu=2, memory="4Gi", zone="zone-c"),
             Node("node-d", cpu=1, memory="4Gi", zone="zone-c"),
             Node("gpu-1", cpu=8, memory="32Gi", zone="zone-a",
                  labels={"accelerator": "nvidia"},
                  taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])]
    cluster = KubernetesCluster(nodes, seed=0)
    cluster.apply(_CART)
    cluster.cordon("node-b")
    cluster.run(until=60)
    return cluster


_FILTER_HINTS = {
    "node-b": "node-b is cordoned (unschedulable): it keeps its Pods but takes no new ones.",
    "gpu-1": "gpu-1 carries the taint dedicated=gpu:NoSchedule and the Pod has no toleration.",
    "node-d": "node-d has 1 CPU and the Pod requests 1.5: requests must fit on one node.",
}


@checker("Right: node-a and node-c pass the filters, and node-c wins: after placing the Pod it "
         "would be the emptier in proportion (the default scoring), not the bigger node.")
def check_filter_rank(feasible: object, chosen: object) -> None:
    """``feasible``: the set of nodes that pass the filters for :data:`PROBE` on
    :func:`filter_rank_cluster`; ``chosen``: the node with the highest total score."""
    if isinstance(feasible, str) or not isinstance(feasible, set | frozenset | list | tuple):
        raise Wrong("feasible must be a set of node names.", 'Write e.g. {"node-a", "node-b"}.')
    verdicts = filter_rank_cluster().explain(PROBE)
    names = {str(n) for n in feasible}
    unknown = names - set(verdicts)
    if unknown:
        raise Wrong(f"There is no node {', '.join(sorted(unknown))}.",
                    f"The nodes are {', '.join(verdicts)}.")
    right = {n for n, v in verdicts.items() if v.feasible}
    if names - right:
        name = min(names - right)
        raise Wrong(f"{name} does not pass the filters.",
                    _FILTER_HINTS.get(name, "; ".join(verdicts[name].reasons)))
    if right - names:
        raise Wrong(f"{min(right - names)} passes the filters too.",
                    "Check its free CPU and memory against the request, and its taints.")
    best = max(right, key=lambda n: verdicts[n].total or 0)
    if not isinstance(chosen, str) or chosen not in verdicts:
        raise Wrong(f"chosen = {chosen!r} is not a node name.", "Name one of the feasible nodes.")
    if chosen != best:
        raise Wrong(f"{chosen} is not the scheduler's choice.",
                    "Ranking prefers the node that would be least allocated after placing the "
                    "Pod, in proportion to its size: compare the free share of CPU and memory.")


# ---- orchestration: editing by hand against the loops ----------------------------------------

_SHOP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: shop/web:2.0.2}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, labels: {app: debug}}
spec:
  containers: [{name: shell, image: busybox:1.36}]
"""
HAND_EDITS = (
    "web Pods running a minute after `kubectl delete pod <one of the web Pods>`",
    "debug Pods running a minute after `kubectl delete pod debug`",
    "web Pods running a minute after `kubectl delete replicaset <web's ReplicaSet>`",
    "web Pods running a minute after `kubectl scale deployment web --replicas=5`",
)
_HAND_EDIT_HINTS = (
    "The ReplicaSet controller now sees 2 of 3 and creates one: a deletion is just another "
    "difference between desired and observed state.",
    "debug was created directly, with no controller: nobody wants it back, as with docker run.",
    "The Deployment controller owns the ReplicaSet: it finds none for its template, creates it "
    "again, and that ReplicaSet creates the Pods.",
    "kubectl scale only edits the desired state (spec.replicas); the loop starts the rest.",
)


def hand_edits_run() -> dict[str, int]:
    """Play :data:`HAND_EDITS` one after the other, a minute apart, on a cluster running
    Deployment ``web`` (3 replicas) and a bare Pod ``debug``; count running Pods after each.

    Upstream: kubernetes/kubernetes ``pkg/controller/replicaset/replica_set.go`` and
    ``pkg/controller/deployment/sync.go`` (``getNewReplicaSet`` recreates a missing
    ReplicaSet); deleting an owner removes its dependents in the background (garbage
    collector). Here the deleted ReplicaSet's Pods go at once; upstream the garbage collector
    deletes them shortly after."""
    cluster = KubernetesCluster(default_nodes(), seed=0)
    cluster.apply(_SHOP)
    cluster.run(until=30)

    def running(app: str) -> int:
        return sum(p.labels.get("app") == app and p.phase == "Running" and not p.reason
                   for p in cluster.pods())

    counts = []
    web_pod = next(p.name for p in cluster.pods() if p.labels.get("app") == "web")
    for edit, app in ((lambda: cluster.delete("Pod", web_pod), "web"),
                      (lambda: cluster.delete("Pod", "debug"), "debug"),
                      (lambda: cluster.delete("ReplicaSet", cluster.objects("ReplicaSet")[0]
                                              ["metadata"]["name"]), "web"),
                      (lambda: cluster.scale("Deployment", "web", 5), "web")):
        edit()
        cluster.run(until=cluster.now + 60)
        counts.append(running(app))
    return dict(zip(HAND_EDITS, counts, strict=True))


@checker("Right: 3, 0, 3, 5. Every deletion or edit is just a new difference for a control "
         "loop; only the Pod that no controller owns stays gone.")
def check_hand_edits(answer: object) -> None:
    """``answer``: ``{edit: Pods running}`` for :data:`HAND_EDITS`, checked against
    :func:`hand_edits_run`."""
    given = _mapping(answer, list(HAND_EDITS), "edit → Pods running")
    truth = hand_edits_run()
    for edit, hint in zip(HAND_EDITS, _HAND_EDIT_HINTS, strict=True):
        value = given[edit]
        if isinstance(value, bool) or not isinstance(value, int):
            raise Wrong(f"“{edit}”: {value!r} is not a number of Pods.", "Use whole numbers.")
        if value != truth[edit]:
            raise Wrong(f"“{edit}”: not {value}.", hint)
