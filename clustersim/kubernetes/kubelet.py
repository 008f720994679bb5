"""The kubelet, in miniature: pull images, start containers, probe readiness, stop pods.

One module over 500 lines, as upstream's one ``Kubelet`` sync loop of a pod: its steps share
the pod's sync state (which start is current, the sidecars started, each init container's
run); the image pulls are the image manager's (:mod:`clustersim.kubernetes.imagemanager`),
the probe arithmetic the prober's (:mod:`clustersim.kubernetes.prober`).

What happens on a node after the scheduler binds a pod (kubernetes/kubernetes
``pkg/kubelet/kubelet.go``, ``pkg/kubelet/kuberuntime/kuberuntime_manager.go``,
``pkg/kubelet/prober/worker.go``, ``pkg/kubelet/images/image_manager.go``), on the simulated
clock with simple, fixed delays (:class:`Timing`):

0. The kubelet's first sync of the pod writes its status, with ``status.startTime`` (the
   status manager sets it the first time it stores a pod's status, ``updateStatusInternal``
   in ``pkg/kubelet/status/status_manager.go``, and ``SyncPod`` in ``pkg/kubelet/kubelet.go``
   stores it before it mounts volumes or pulls images): ``kubectl describe``'s ``Start Time``
   is when the kubelet took the pod, not when its containers started (each container's
   ``state.running.startedAt`` says that, :meth:`Kubelet.started_at`); its Ready condition,
   ``False``, is dated then. Then the pod's
   ConfigMap and Secret volumes are mounted; while one does not exist the pod stays
   ``ContainerCreating`` (``FailedMount``), and while one its environment needs is missing,
   after the pull, ``CreateContainerConfigError`` (:mod:`clustersim.kubernetes.references`).
   Once they are, the pod's sandbox is made at once (``createPodSandbox`` in
   ``kuberuntime_manager.go``'s ``SyncPod``, which runs after the mounts:
   :meth:`Kubelet.sandbox_since`, the ``PodReadyToStartContainers`` condition); it goes when
   the pod finishes or its node fails.
1. The containers start one after another, init containers first (below), then the app
   containers, each pulling its own image just before it starts (``computePodActions`` in
   ``kuberuntime_manager.go``, ``startContainer`` in ``kuberuntime_container.go``): events
   ``Pulling``, ``Pulled``, ``Created``, ``Started`` per container, in order, each naming
   its container by the event's field path (``spec.containers{web}``,
   :mod:`clustersim.kubernetes.containerref`), as every event of the kubelet about one
   container does (the messages of ``Created`` and ``Started`` name none since v1.35:
   :data:`CONTAINER_CREATED`). A pull takes
   ``image_pull_seconds`` unless the node already has the image and ``imagePullPolicy`` is
   not ``Always`` (the default policy is ``Always`` for ``:latest`` or untagged images,
   ``IfNotPresent`` otherwise: :func:`~clustersim.kubernetes.defaults.image_pull_policy`, the
   rule the API server writes the field with). An app container whose pull or configuration
   fails waits with its own reason (``ErrImagePull``, ``ImagePullBackOff``,
   ``InvalidImageName``, ``CreateContainerConfigError``: :meth:`Kubelet.waiting_reasons`)
   while the ones after it start; the pod's reason is that of the first container by name
   that waits, one not started yet included, as ``printPod`` takes STATUS from the
   kubelet's sorted statuses (:meth:`Kubelet._sync_reason`; an init container's failure
   holds up the rest).
2. Each container starts ``container_start_seconds`` after its image is there; once the
   last app container has started, the pod is Running.
3. Readiness: each container is ready on its own, once it has started (its startup probe
   passed) and its readiness probe has passed, counted from its own start (probes always
   succeed here: :mod:`clustersim.kubernetes.prober`), at once without either; a container
   that stops (a crash, an image change) is not ready until it has started again and passed
   them again (:meth:`Kubelet.container_ready`). The Pod is Ready once its app containers
   and sidecars all are and each of its ``spec.readinessGates`` names a ``True`` condition
   (:meth:`Kubelet.sync_ready`, again when someone sets such a condition).
4. Pods whose ``restartPolicy`` is not ``Always`` (Jobs) run for the annotation
   ``clustersim.io/run-seconds`` (default ``job_run_seconds``) and exit with
   ``clustersim.io/exit-code`` (default 0): phase Succeeded or Failed. A ``restartPolicy:
   Always`` pod with ``clustersim.io/run-seconds`` (each app container), or a container whose
   image was broken with ``KubernetesCluster.fail_image`` (that container alone), exits that
   long after its own start (even while a sibling still pulls and the pod is Pending) and is
   restarted, each container on its own crash-loop back-off: at once after
   its first exit, then after 10 s, doubling, at most 5 min (``CrashLoopBackOff`` while it
   waits), starting over once it ran 10 minutes (:meth:`Kubelet._crashed`); its siblings
   run on. Each container keeps its own restart count and last exit
   (``containerStatuses[].restartCount`` and ``lastState.terminated``,
   :meth:`Kubelet.restarts`): one that exits or is killed for a new image keeps that exit
   as its last state and counts a restart when its next container starts (four starts are
   three restarts, also while it waits in back-off), its siblings that keep running do not.
5. Deletion: the pod and its running containers stay Ready (the prober keeps a terminating
   pod's readiness workers, :meth:`Kubelet.container_ready`; its EndpointSlice entry turns
   not ready but serving and terminating, :mod:`clustersim.kubernetes.services`); the
   kubelet stops each running container (``Killing``, "Stopping container web"): it runs the
   ``preStop`` hook (``lifecycle.preStop.sleep.seconds``, or an exec hook whose command
   contains ``sleep N``), sends SIGTERM and the container exits ``container_stop_seconds``
   later, all capped by ``terminationGracePeriodSeconds``. A container that does not run,
   one waiting out its crash-loop back-off or not started yet, is not stopped and gets no
   event (``SyncTerminatingPod`` kills the pod's running containers only:
   ``ConvertPodStatusToRunningPod`` in ``pkg/kubelet/container/helpers.go`` leaves out every
   container whose state is not running, and ``killContainersWithSyncResult`` in
   ``pkg/kubelet/kuberuntime/kuberuntime_container.go`` kills what is left). The container
   keeps serving until it exits; then the pod is not Ready while its sidecars stop.

6. Active deadline: a Pod whose ``spec.activeDeadlineSeconds`` have passed since its
   ``status.startTime`` is killed (``activeDeadlineHandler`` in kubernetes/kubernetes
   ``pkg/kubelet/active_deadline.go``, checked at each sync; here when the time comes, and
   again after an update lowers the deadline): a ``Normal`` event ``DeadlineExceeded`` ("Pod
   was active on the node longer than the specified deadline"), phase ``Failed`` with that
   reason and message, its running containers stopped (``Killing``) and exited with 143 (128
   + SIGTERM), those not started yet never starting. A slow pull counts towards the
   deadline, as ``startTime`` is set before it (step 0). Simplified: the simulator's Pod
   keeps one reason, so each container's terminated state says ``DeadlineExceeded`` where a
   kubelet reports the runtime's own (``Error`` for a non-zero exit code), a container that
   never started included.

Pulls, and the back-off of a pull the registry refuses, are the image manager's
(:mod:`clustersim.kubernetes.imagemanager`).

A new image in a Pod update (:meth:`Kubelet.change_images`): on a Running pod the changed app
containers and sidecars are killed (``Killing``, "Container c definition changed, ...")
whatever the restart policy, then started again in the spec's order, each pulled, created and
started as at the first start; once they run, the pod's waiting reason (a crash loop, a failed
pull) is gone and its exit plan (step 4) starts over. A container that had exited before
starts under its new image's own crash-loop back-off, which that start moves on, and waits it
out first if an earlier run of that image left it backing off since the last exit
(:meth:`Kubelet._held`). A pod not Running yet takes a changed
image when it gets to that container, and one backing off a failed pull of it pulls the new
image at once. A completed regular init container is not run again: its new image is stored
and never runs (as upstream), and its status keeps the image it ran.

Init containers run one after another before the app containers, each for
``init_container_seconds`` (the STATUS column reads ``Init:1/2``; the API shows their states in
``status.initContainerStatuses``, :mod:`clustersim.serve.kubeinitstatus`). A **sidecar** is an init
container with ``restartPolicy: Always`` (KEP-753, stable in Kubernetes 1.33; docs
https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/): it keeps running, and
the next init container starts as soon as it has started, or once its ``startupProbe`` has
succeeded in a run that still goes on (one that exits first is restarted, under its back-off,
and the next init container waits for a later run's probe, ``computeInitContainerActions``);
its readiness probe counts for the Pod's readiness. A sidecar whose image is broken
(``KubernetesCluster.fail_image``) exits and is restarted as an app container is (step 4),
whatever the Pod's ``restartPolicy``, on its own crash-loop back-off, counting its restarts;
while it is down, or backs off (its status ``CrashLoopBackOff``, the Pod's STATUS
``Init:CrashLoopBackOff`` as ``printPod`` words it), the Pod is not Ready
(``GenerateContainersReadyCondition`` in ``pkg/kubelet/status/generate.go`` counts the
sidecars), and the containers after it, once started, run on (``SyncPod`` skips a sidecar that
backs off, ``kuberuntime_manager.go``). When the Pod is deleted, or a
Job's app containers finish, the app containers stop first and then the running sidecars, one
at a time, in the reverse order of the spec
(``pkg/kubelet/kuberuntime/kuberuntime_termination_order.go``).

A crash-loop restart comes when the back-off ends, as upstream's pod worker times the
pod's next sync: the sync that finds the container backing off fails with a
``BackoffError`` carrying the back-off's end (``doBackOff``), and ``completeWork`` in
``pkg/kubelet/pod_workers.go`` requeues the pod for that moment (``MinBackoffExpiration``
in ``pkg/kubelet/container/sync_result.go``; since v1.35, kubernetes/kubernetes#133066;
before, such a pod was synced again every 10 to 15 s, the requeue after any failed sync, and
restarted at the first of those syncs after the end, #123602), not for the next periodic
resync (``--sync-frequency``, 1 minute) nor a PLEG event (an exited container that waits
produces none).

Simplified: no liveness probes (startup probes order sidecars and delay readiness); that
requeue goes through ``wait.Jitter(d, 0.5)`` and ``d`` is capped at the sync frequency, so a
real restart comes up to half its last wait later (at most 30 s), and a back-off longer than
a minute is looked at, with another ``BackOff`` event, every 1 to 1.5 minutes: here it
restarts exactly at the end, after one ``BackOff`` event; a failed node stops its containers
at once and restarts them when it recovers (its kubelet keeping its back-offs unless the
machine rebooted, :meth:`Kubelet.restarted`), where a node cut off from the network keeps
them running; a container that started before its image changed, while
the pod was not Running yet, keeps running the old image until it is next restarted
(upstream restarts it at once).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from clustersim.goformat import duration_string
from clustersim.kubernetes.imagemanager import ImageManager
from clustersim.kubernetes.objects import is_terminating, set_condition
from clustersim.kubernetes.podlifecycle import (
    KUBELET_CONDITIONS,
    READINESS_GATES_NOT_READY,
    is_sidecar,
    kill_grace_period,
    readiness_gates_message,
    status_order,
)
from clustersim.kubernetes.prober import probe_delay, ready_delay
from clustersim.kubernetes.references import missing_env_source, missing_volume_source
from clustersim.manifests.kubernetes_annotations import (
    EXIT_CODE,
    RUN_SECONDS,
    exit_code,
    run_seconds,
)

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["BackOff", "Kubelet", "Restarts", "Timing", "crash_loop_message"]

DEADLINE_EXCEEDED = "DeadlineExceeded"
DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"
"""The reason and message of a Pod killed at its active deadline (``active_deadline.go``)."""
CONTAINER_CREATED = "Container created"
CONTAINER_STARTED = "Container started"
"""The messages of the ``Created`` and ``Started`` events (``startContainer`` in
``pkg/kubelet/kuberuntime/kuberuntime_container.go``): since v1.35 they no longer name the
container, which the event's field path names (PR #134043; before, ``Created container: web``
and ``Started container web``). ``Killing`` ("Stopping container web") and ``BackOff``
("Back-off restarting failed container web in pod ...") still name it."""
SIGTERM_EXIT = 128 + 15
"""The exit code of a container that ended on the kubelet's SIGTERM."""
SIGKILL_EXIT = 128 + 9
"""The exit code of a container the runtime killed when its grace period ran out
(``StopContainer``'s timeout, ``killContainer`` in ``kuberuntime_container.go``)."""
CRASH_BACKOFF = 10.0
MAX_CRASH_BACKOFF = 300.0
"""``initialCrashLoopBackOff`` and ``MaxCrashLoopBackOff`` (``pkg/kubelet/kubelet.go``,
``newCrashLoopBackOff``), which the kubelet hands to client-go's ``flowcontrol.NewBackOff``:
no jitter (``NewBackOff`` sets a jitter factor of 0), each wait twice the last. KEP-4603's
lower defaults (1 s and 60 s) are behind the ``ReduceDefaultCrashLoopBackOffDecay``
feature gate, alpha since v1.33 and off by default; ``KubeletCrashLoopBackOffMax`` (beta
and on by default since v1.35, KEP-5593) lets a node's kubelet configuration set the
maximum (``crashLoopBackOff.maxContainerRestartPeriod``, 1 s to 300 s, the initial delay
lowered to it when smaller), which defaults to these 5 minutes
(``pkg/features/kube_features.go``; ``MaxContainerBackOff`` in
``pkg/kubelet/apis/config/v1beta1/defaults.go``)."""
CRASH_BACKOFF_RESET = 600.0
"""How long after its entry last moved on a container's exit starts its back-off over: the
kubelet's own ``HasExpiredFunc`` on its crash-loop back-off (``pkg/kubelet/kubelet.go``, a
fixed 600 s since v1.32, kubernetes/kubernetes#128356 for KEP-4603), not client-go's default
of twice the maximum (the same 10 minutes at the default maximum, shorter with a lower node
maximum)."""
_SLEEP = re.compile(r"\bsleep\s+(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Timing:
    """The simulator's fixed delays, in seconds (all may be changed per cluster)."""

    image_pull_seconds: float = 5.0
    container_start_seconds: float = 1.0
    container_stop_seconds: float = 0.2
    job_run_seconds: float = 30.0
    node_status_update_seconds: float = 10.0
    """kubelet ``--node-status-update-frequency``: how soon a live kubelet reports NotReady."""
    node_monitor_grace_period: float = 50.0
    """kube-controller-manager ``--node-monitor-grace-period`` (50 s since Kubernetes 1.32,
    40 s before): how long a silent node stays Ready."""
    endpoint_propagation_seconds: float = 1.0
    """How long kube-proxy takes to see an endpoint change (watch, EndpointSlice, iptables)."""
    lb_health_check_seconds: float = 10.0
    """How long a cloud load balancer's health checks take to notice that a node went down or
    came back (e.g. a 5 s interval and 2 consecutive results)."""
    init_container_seconds: float = 2.0
    """How long a regular init container runs before it exits successfully."""


class BackOff(NamedTuple):
    """A container waiting out its crash-loop back-off: the back-off, and when it ends."""

    seconds: float
    until: float


def crash_loop_message(pod: Mapping[str, Any], name: str, seconds: float) -> str:
    """The ``CrashLoopBackOff`` waiting message of container ``name`` (``doBackOff`` in
    ``pkg/kubelet/kuberuntime/kuberuntime_manager.go``: the back-off as Go writes a
    duration, the pod as ``format.Pod`` writes it)."""
    meta = pod["metadata"]
    return (f"back-off {duration_string(seconds)} restarting failed container={name} "
            f"pod={meta['name']}_{meta.get('namespace', 'default')}({meta['uid']})")


@dataclass(slots=True)
class ContainerRun:
    """One container's last start in its pod's sandbox, as the kubelet knows it: the image it
    ran, when it started, and when it is or will be ready (None once it has stopped, until
    it starts again). The runtime's ``kubecontainer.Status`` keeps ``Image`` and
    ``StartedAt`` (kubernetes/kubernetes ``pkg/kubelet/container/runtime.go``), the
    prober's ``results.Manager`` the readiness (``pkg/kubelet/prober/results``). One slotted
    record per container in one table keyed by Pod, not three tables of per-Pod maps: at
    150,000 Pods the three cost about 50 MB more (``benchmarks/k8s_cluster.py``)."""

    image: str
    started_at: float
    ready_at: float | None


@dataclass
class Restarts:
    """One container's restarts as its kubelet reports them: ``restartCount`` and the last
    exit, ``lastState.terminated`` (``convertToAPIContainerStatuses`` in
    ``pkg/kubelet/kubelet_pods.go`` takes both from the container's previous run)."""

    count: int = 0
    exit_code: int = 0
    started_at: float = 0.0
    finished_at: float = 0.0
    pending: bool = False
    """Exited, and its next container not created yet: the count grows when it is
    (``startContainer`` in ``pkg/kubelet/kuberuntime/kuberuntime_container.go`` gives a
    new container its previous status's ``RestartCount`` plus one; the first has 0, and
    while it waits in back-off ``convertToAPIContainerStatuses`` reports the last one's)."""


def _stable_key(container: Mapping[str, Any]) -> tuple[str, str]:
    """What a container's crash-loop back-off is kept under besides its pod: ``getStableKey``
    (``pkg/kubelet/kuberuntime/helpers.go``) joins the pod's name, namespace and uid, the
    container's name and ``HashContainer``, which hashes the container's name and image
    alone (``pickFieldsToHash`` in ``pkg/kubelet/container/helpers.go``, since v1.31,
    kubernetes/kubernetes#124220): the same container under the same image shares one
    entry, whatever else its definition says."""
    return str(container.get("name")), str(container.get("image", ""))


def _expired(entry: tuple[float, float], finished: float) -> bool:
    """Whether a crash-loop back-off ``entry`` (the back-off, and when it last moved on) has
    lapsed for an exit at ``finished``: client-go's ``hasExpired``
    (``k8s.io/client-go/util/flowcontrol/backoff.go``, read by both ``IsInBackOffSince`` and
    ``Next``) asks the kubelet's ``HasExpiredFunc``, which counts a container stable once it
    exited more than :data:`CRASH_BACKOFF_RESET` (10 minutes) past the entry's last move,
    and its back-off then starts over."""
    return finished - entry[1] > CRASH_BACKOFF_RESET


def _pre_stop_seconds(container: dict[str, Any]) -> float:
    hook = (container.get("lifecycle") or {}).get("preStop") or {}
    if "sleep" in hook:
        return float((hook["sleep"] or {}).get("seconds", 0))
    command = " ".join(str(c) for c in (hook.get("exec") or {}).get("command") or [])
    match = _SLEEP.search(command)
    return float(match[1]) if match else 0.0


class Kubelet:
    """Runs the pods bound to the cluster's nodes (one object stands for every node's kubelet)."""

    def __init__(self, cluster: KubernetesCluster, timing: Timing) -> None:
        self.cluster = cluster
        self.timing = timing
        self.image_manager = ImageManager(cluster, timing, self._waiting_for)
        self._epoch: dict[str, int] = {}
        self._waiting: dict[str, str] = {}
        """The last Warning recorded for a pod waiting for a ConfigMap or Secret."""
        self.serving: set[str] = set()
        """uids of pods whose containers are up and answer requests."""
        self._addresses: dict[str, int] = {}
        self.image_exits: dict[str, tuple[float, int]] = {}
        """Broken images: containers of them exit (seconds after start, exit code)."""
        self._init_runs: dict[str, dict[str, tuple[float, float]]] = {}
        """Per pod uid: each init container's start and end (:meth:`init_runs`)."""
        self._initialized: dict[str, float] = {}
        """Per pod uid with init containers: when it became ``Initialized`` for good, at its
        first app container's start in its sandbox (:meth:`initialized_since`)."""
        self._held_inits: dict[str, dict[str, Callable[[], None]]] = {}
        """Per pod uid: the start of the containers after each sidecar that no run of has
        passed its startup probe yet, by the sidecar's name (:meth:`_await_startup`)."""
        self._runs: dict[str, dict[str, ContainerRun]] = {}
        """Per pod uid: each container's last start in its sandbox (:meth:`ran_images`,
        :meth:`started_at`, :meth:`container_ready`)."""
        self._stopped_at: dict[str, dict[str, tuple[float, int]]] = {}
        """Per pod uid being deleted: when each app container it stopped exited, and its
        exit code (:meth:`stopped_at`)."""
        self._sandboxes: dict[str, float] = {}
        """Per pod uid: when its sandbox was made (:meth:`sandbox_since`)."""
        self._restarts: dict[str, dict[str, Restarts]] = {}
        """Per pod uid: each container's restarts (:meth:`restarts`); kept across its
        node's failure and the pod's end, as the API keeps a container's status."""
        self._backing_off: dict[str, dict[str, BackOff]] = {}
        """Per pod uid: the app containers and sidecars that exited and wait out their
        crash-loop back-off (:meth:`backing_off`)."""
        self._crash_backoff: dict[str, dict[tuple[str, str], tuple[float, float]]] = {}
        """Per pod uid: the crash-loop back-off of each container definition that has
        crashed, as the kubelet's ``flowcontrol.Backoff`` keeps it per ``getStableKey``
        (:func:`_stable_key`: the container's name and image): the back-off and when it
        was last moved on."""
        self._reasons: dict[str, dict[str, str]] = {}
        """Per pod uid: why each container that failed to start waits (``ErrImagePull``,
        ``ImagePullBackOff``, ``InvalidImageName``, ``CreateContainerConfigError``), the
        kubelet's ``reasonCache`` (``pkg/kubelet/reason_cache.go``), until it starts
        (:meth:`waiting_reasons`)."""
        self._exits: dict[str, dict[str, tuple[float, int]]] = {}
        """Per pod uid: when each running app container or sidecar that is to crash exits,
        and its code (:meth:`_crash_plan`)."""

    def _pod_ip(self, node: str) -> str:
        """The next address of the node's pod range: the *i*-th node to join owns
        10.244.*i*.0/24 (its join's serial, ``KubernetesCluster.node_joined``, which another
        node leaving does not move), as kube-controller-manager's ``--allocate-node-cidrs``
        hands out /24s of the pod CIDR (flannel's default 10.244.0.0/16); addresses are not
        reused."""
        index = self.cluster.node_joined(node).serial
        host = self._addresses[node] = self._addresses.get(node, 1) + 1
        return f"10.244.{index % 256}.{(host - 2) % 253 + 2}"      # .1 is the node's bridge

    def _next_epoch(self, pod: dict[str, Any]) -> int:
        uid = pod["metadata"]["uid"]
        self._epoch[uid] = self._epoch.get(uid, 0) + 1
        return self._epoch[uid]

    def _current(self, pod: dict[str, Any], epoch: int) -> bool:
        return self._epoch.get(pod["metadata"]["uid"]) == epoch and self.cluster.exists(pod)

    def start(self, pod: dict[str, Any]) -> None:
        """The pod was bound to a live node (or its node came back): the first sync sets its
        ``startTime`` and watches its deadline (module docstring, step 0); then mount, pull,
        start, and become ready."""
        epoch = self._next_epoch(pod)
        pod["status"].setdefault("startTime", self.cluster.now)
        # the first status has the Ready condition too, False until the containers are ready
        # (generateAPIPodStatus), dated then: a reason written later does not move the date
        set_condition(pod, "Ready", False, self.cluster.now, "ContainersNotReady")
        self.cluster.pod_written(pod)
        self.observe(pod)
        self.watch_deadline(pod)
        self._mount(pod, epoch, 0)

    def observe(self, pod: dict[str, Any]) -> None:
        """The pod's sync writes the ``metadata.generation`` it synced:
        ``status.observedGeneration`` (``SetPodStatus`` in
        ``pkg/kubelet/status/status_manager.go``, through
        ``CalculatePodStatusObservedGeneration``) and the ``observedGeneration`` of every
        condition the kubelet owns, which ``generateAPIPodStatus`` writes anew at each sync
        even when its status did not change (only ``lastTransitionTime`` is kept then). Called
        at the pod's first sync, at each update of its spec (any change that counts a
        generation, not only an image: the kubelet syncs the pod when it gets the update,
        before it acts on it; KEP-5067) and when its graceful deletion starts (:meth:`stop`).
        A finished pod is no longer synced, and a pod whose kubelet is silent keeps what it
        last wrote; the conditions others own keep theirs."""
        status = pod["status"]
        if status.get("phase") in ("Succeeded", "Failed") \
                or not self.cluster.kubelet_alive(pod["spec"].get("nodeName")):
            return
        generation = pod["metadata"].get("generation", 1)
        status["observedGeneration"] = generation
        for condition in status.get("conditions") or ():
            if condition.get("type") in KUBELET_CONDITIONS:
                condition["observedGeneration"] = generation

    def _mount(self, pod: dict[str, Any], epoch: int, attempt: int) -> None:
        """Mount the pod's ConfigMap and Secret volumes, then pull; a missing one is retried
        with back-off and the pod stays ContainerCreating (FailedMount)."""
        if not self._current(pod, epoch):
            return
        problem = missing_volume_source(pod, self.cluster.get)
        if problem is not None:
            self._wait_for(pod, "FailedMount", problem,
                           partial(self._mount, pod, epoch, attempt + 1), attempt)
            return
        uid = pod["metadata"]["uid"]
        self._sandboxes[uid] = self.cluster.now
        self._init_runs.pop(uid, None)      # none yet in this sandbox (made at the first)
        self._initialized.pop(uid, None)
        self._held_inits.pop(uid, None)
        self._runs[uid] = {}
        self._backing_off.pop(uid, None)
        self._exits.pop(uid, None)
        self._reasons.pop(uid, None)
        inits = pod["spec"].get("initContainers") or []
        # partials, not closures, here and in _start_each: after a big apply, every Pod's
        # start waits at once for its image pull
        self._start_each(pod, epoch, [*inits, *(pod["spec"].get("containers") or [])],
                         partial(self._started, pod, epoch))

    def _start_each(self, pod: dict[str, Any], epoch: int, containers: list[dict[str, Any]],
                    then: Callable[[], None]) -> None:
        """Start ``containers`` one after another, each pulling its image just before it is
        created and started, then call ``then`` (``computePodActions`` in
        ``kuberuntime_manager.go`` lists the containers to start, init containers one at a
        time and before the app containers, and ``SyncPod`` starts them in that order;
        ``startContainer`` in ``kuberuntime_container.go`` pulls, creates and starts each).
        Used for a pod's first start (all its containers, then Running) and for the
        containers an image change restarts (:meth:`change_images`). An app container whose
        pull fails does not hold up those after it: they start meanwhile (``SyncPod`` starts
        each app container on its own, and records why one failed), and ``then`` waits until
        it has started too; an init container's failure holds up the rest (only the next one
        is ever started, ``computeInitContainerActions``)."""
        if not self._current(pod, epoch):
            return
        if not containers:
            then()
            return
        container = containers[0]
        self._progress(pod, container)
        if len(containers) == 1 or any(c is container
                                       for c in pod["spec"].get("initContainers") or ()):
            self.image_manager.ensure(pod, container, partial(self._current, pod, epoch),
                                      partial(self._configure, pod, epoch, containers, then, 0))
            return
        self._start_with_others(pod, epoch, containers, then)

    def _start_with_others(self, pod: dict[str, Any], epoch: int,
                           containers: list[dict[str, Any]], then: Callable[[], None]) -> None:
        """:meth:`_start_each` of app containers, the first of which does not hold up the
        others if its pull fails."""
        container = containers[0]
        joined: list[Callable[[], None]] = []

        def passed() -> None:       # the containers after it start meanwhile
            if not joined:
                waiting = [2]       # them, and this one once its pull succeeds

                def arrived() -> None:
                    waiting[0] -= 1
                    if not waiting[0]:
                        then()

                joined.append(arrived)
                self._start_each(pod, epoch, containers[1:], arrived)

        def pulled(attempt: int = 0) -> None:
            if joined:
                self._configure(pod, epoch, [container], joined[0], attempt, passed, pulled)
            else:
                self._configure(pod, epoch, containers, then, attempt, passed, pulled)

        self.image_manager.ensure(pod, container, lambda: self._current(pod, epoch), pulled,
                                  passed)

    def _progress(self, pod: dict[str, Any], container: dict[str, Any]) -> None:
        """The STATUS column's ``Init:<done>/<all>`` while init ``container`` of a pod that is
        not Running yet is next (none once an app container or a restarted sidecar is)."""
        inits = pod["spec"].get("initContainers") or []
        index = next((i for i, c in enumerate(inits) if c is container), None)
        if index is not None and pod["status"].get("phase") != "Running":
            pod["status"]["reason"] = f"Init:{index}/{len(inits)}"
        elif self._reasons.get(uid := pod["metadata"]["uid"]) or self._backing_off.get(uid):
            self._sync_reason(pod)          # a sibling waits: STATUS may be its reason
        else:
            pod["status"].pop("reason", None)

    def _waiting_for(self, pod: dict[str, Any], container: dict[str, Any], reason: str
                     ) -> None:
        """``container`` failed to start for ``reason`` and waits (its status says why);
        the pod's STATUS follows (:meth:`_sync_reason`: ``Init:`` and the reason for an
        init container, as ``printPod`` writes a waiting init container's)."""
        self._reasons.setdefault(pod["metadata"]["uid"], {})[str(container.get("name"))] = reason
        self._sync_reason(pod)

    def waiting_reasons(self, pod: Mapping[str, Any]) -> Mapping[str, str]:
        """Why each container of the pod that failed to start waits, until it starts."""
        return self._reasons.get(pod["metadata"]["uid"], {})

    def _sync_reason(self, pod: dict[str, Any]) -> None:
        """The pod's reason, as ``printPod`` (``pkg/printers/internalversion/printers.go``)
        takes STATUS from ``containerStatuses``: it walks them from last to first and each
        waiting one overwrites the reason, so the first one that waits wins, in the
        kubelet's order, by name (``SortedContainerStatuses``). A container waits as
        ``CrashLoopBackOff`` while it backs off, with its own reason after a failed start,
        and, before it has started in a pod not Running yet, as ``PodInitializing`` (the
        pod has init containers) or ``ContainerCreating``; one that runs gives none.

        ``printPod`` walks the init containers' statuses first, in the spec's order, and
        stops at the first that has neither completed nor (a sidecar) started:
        ``Init:CrashLoopBackOff`` for a sidecar backing off, ``Init:`` and its reason for one
        that failed to start, else ``Init:<its index>/<all>`` (:meth:`_init_reason`); that
        is STATUS until an app container has started (the Pod is ``Initialized`` from then
        on, ``GeneratePodInitializedCondition`` in ``pkg/kubelet/status/generate.go``:
        :meth:`any_app_started`), and afterwards unless an app container waits."""
        uid = pod["metadata"]["uid"]
        started, reasons = self._runs.get(uid, {}), self._reasons.get(uid, {})
        backing_off = self._backing_off.get(uid, {})
        creating = "PodInitializing" if pod["spec"].get("initContainers") else \
            "ContainerCreating"
        pending = pod["status"].get("phase") != "Running"
        reason = self._init_reason(pod)
        apps = status_order(pod)
        if reason and not self.any_app_started(pod):
            pod["status"]["reason"] = reason
            return
        for name in (str(c.get("name")) for c in apps):
            if name in backing_off:
                reason = "CrashLoopBackOff"
            elif name in reasons:
                reason = reasons[name]
            elif name not in started and pending:
                reason = creating
            else:
                continue
            break
        if reason:
            pod["status"]["reason"] = reason
        else:
            pod["status"].pop("reason", None)

    def _init_reason(self, pod: dict[str, Any]) -> str:
        """STATUS from the pod's init containers (:meth:`_sync_reason`), empty once each has
        completed or, a sidecar, started (its startup probe passed) and not backing off;
        one that failed to start gives ``Init:`` and its reason (``printPod`` in
        ``pkg/printers/internalversion/printers.go`` prefixes a waiting init container's
        reason, other than ``PodInitializing``, with ``Init:``)."""
        uid, now = pod["metadata"]["uid"], self.cluster.now
        runs, backing_off = self._init_runs.get(uid, {}), self._backing_off.get(uid, {})
        inits = pod["spec"].get("initContainers") or []
        for index, container in enumerate(inits):
            name = str(container.get("name"))
            if name in backing_off:
                return "Init:CrashLoopBackOff"
            if name in self._reasons.get(uid, {}):      # a failed start
                return f"Init:{self._reasons[uid][name]}"
            run = runs.get(name)
            if run is None or run[1] > now:
                return f"Init:{index}/{len(inits)}"
        return ""

    def _configure(self, pod: dict[str, Any], epoch: int, containers: list[dict[str, Any]],
                   then: Callable[[], None], attempt: int,
                   passed: Callable[[], None] | None = None,
                   again: Callable[[int], None] | None = None) -> None:
        """The image of the first of ``containers`` is there: its environment needs its
        ConfigMaps and Secrets (else CreateContainerConfigError, retried with back-off by
        ``again`` if given, ``passed`` called as for a failed pull), then it starts
        ``container_start_seconds`` later."""
        if not self._current(pod, epoch):
            return
        problem = missing_env_source(pod, self.cluster.get, containers[0])
        if problem is not None:
            self._waiting_for(pod, containers[0], "CreateContainerConfigError")
            self._wait_for(pod, "Failed", problem, (
                lambda: self._configure(pod, epoch, containers, then, attempt + 1)
            ) if again is None else lambda: again(attempt + 1), attempt, containers[0])
            if passed is not None:
                passed()
            return
        self._progress(pod, containers[0])
        self.cluster.after(self.timing.container_start_seconds,
                           lambda: self._start_container(pod, epoch, containers, then))

    def _start_container(self, pod: dict[str, Any], epoch: int,
                         containers: list[dict[str, Any]], then: Callable[[], None]) -> None:
        """Create and start the first of ``containers``; an init container runs (or a sidecar
        passes its startup probe) before the next one starts (``_init``)."""
        if not self._current(pod, epoch):
            return
        container = containers[0]
        self._record_start(pod, container)

        def rest() -> None:
            self._start_each(pod, epoch, containers[1:], then)

        self._plan_exit(pod, epoch, container)
        if any(c is container for c in pod["spec"].get("initContainers") or []):
            self._init(pod, epoch, container, rest)
        else:
            rest()

    def _wait_for(self, pod: dict[str, Any], reason: str, message: str, retry, attempt: int,
                  container: dict[str, Any] | None = None) -> None:
        """Record the Warning (once per message; about ``container`` if the wait is one
        container's) and try again after the back-off of the kubelet's volume operations:
        0.5 s doubling up to 2 min 2 s (``pkg/util/goroutinemap/exponentialbackoff``)."""
        uid = pod["metadata"]["uid"]
        if self._waiting.get(uid) != message:
            self._waiting[uid] = message
            self.cluster.kubelet_record(pod, reason, message, "Warning", container=container)
        self.cluster.after(min(0.5 * 2 ** attempt, 122.0), retry, background=True)

    def _record_start(self, pod: dict[str, Any], container: dict[str, Any]) -> None:
        uid, name = pod["metadata"]["uid"], str(container.get("name"))
        record = self._restarts.get(uid, {}).get(name)
        if record is not None and record.pending:   # a new container after an exit
            record.count, record.pending = record.count + 1, False
        runs = self._init_runs.get(uid)
        if runs and uid not in self._initialized \
                and any(c is container for c in pod["spec"].get("containers") or ()):
            # the init containers were last all done when the last run among them ended,
            # or now, if a sidecar restarting then has not passed its startup probe yet
            self._initialized[uid] = min(max(end for _, end in runs.values()), self.cluster.now)
        now = self.cluster.now
        self._runs.setdefault(uid, {})[name] = ContainerRun(
            str(container.get("image", "")), now, now + ready_delay(container))
        reasons = self._reasons.get(uid)
        if reasons:             # a sibling waits (or this one did): STATUS may change
            reasons.pop(name, None)
            if any(c.get("name") == name for c in pod["spec"].get("containers") or ()):
                self._sync_reason(pod)
        self.cluster.kubelet_record(pod, "Created", CONTAINER_CREATED, container=container)
        self.cluster.kubelet_record(pod, "Started", CONTAINER_STARTED, container=container)

    def _init(self, pod: dict[str, Any], epoch: int, container: dict[str, Any],
              then: Callable[[], None]) -> None:
        """Init ``container`` has started: a regular one runs to completion, a sidecar keeps
        running, and ``then`` is called once it has exited or, a sidecar, once a run of it
        has passed its startup probe (:meth:`_await_startup`; module docstring)."""
        self.cluster.changed()
        if is_sidecar(container):
            self._held_inits.setdefault(pod["metadata"]["uid"], {})[
                str(container.get("name"))] = then
            self._await_startup(pod, epoch, container)
            return

        def done() -> None:
            if self._current(pod, epoch):
                then()

        self.cluster.after(self._init_run(pod, container), done)

    def _await_startup(self, pod: dict[str, Any], epoch: int, container: dict[str, Any], *,
                       background: bool = False) -> None:
        """Sidecar ``container`` has (re)started now: its run is recorded (:meth:`_init_run`)
        and, while the init containers after it wait for it (:attr:`_held_inits`), they
        start once this run's startup probe passes, if the run still goes on then.
        ``computeInitContainerActions`` in kubernetes/kubernetes
        ``pkg/kubelet/kuberuntime/kuberuntime_container.go`` starts init container i+1 only
        when the restartable init container i runs and its startup probe has succeeded;
        one that has exited is restarted (under its back-off) and the next one waits."""
        uid, name = pod["metadata"]["uid"], str(container.get("name"))
        delay = self._init_run(pod, container)
        if name not in self._held_inits.get(uid, {}):
            return
        run = self._init_runs[uid][name]

        def passed() -> None:
            if (self._current(pod, epoch) and self._init_runs.get(uid, {}).get(name) is run
                    and self._ready_at(uid, name) is not None):    # not stopped since
                self._held_inits[uid].pop(name)()

        self.cluster.after(delay, passed, background=background)

    def _init_run(self, pod: dict[str, Any], container: dict[str, Any]) -> float:
        """Init ``container`` has (re)started now: its run is recorded (:meth:`init_runs`),
        and the seconds until a regular one exits or a sidecar's startup probe passes are
        returned."""
        now = self.cluster.now
        if is_sidecar(container):
            delay = probe_delay(container.get("startupProbe"))
        else:
            delay = self.timing.init_container_seconds
        self._init_runs.setdefault(pod["metadata"]["uid"], {})[str(container.get("name"))] = \
            (now, now + delay)
        return delay

    def initialized_since(self, pod: Mapping[str, Any]) -> float | None:
        """When the pod, which has init containers, became ``Initialized`` for good: the
        ``lastTransitionTime`` its condition keeps, None before an app container has started
        in its sandbox (the condition may still go ``False`` then, a sidecar backing off).

        ``GeneratePodInitializedCondition`` (``pkg/kubelet/status/generate.go``) reports
        ``True`` once any app container has started (``HasAnyRegularContainerStarted``),
        whatever its sidecars do later, and the status manager keeps a condition's
        ``lastTransitionTime`` while its status stays (``updateLastTransitionTime`` in
        ``pkg/kubelet/status/status_manager.go``): a sidecar's restart, during which it has
        not started, does not date it again. The date is the one of the condition's last
        change before that start: when the last init container run was done (a regular one
        exited, a sidecar's startup probe passed), or the app container's start itself if a
        sidecar restarting then had not passed its probe."""
        return self._initialized.get(pod["metadata"]["uid"])

    def ran_images(self, pod: Mapping[str, Any]) -> dict[str, str]:
        """The image each container of the pod last started with (a completed init
        container keeps the one it ran, whatever its spec says since)."""
        return {name: run.image for name, run in self._runs.get(pod["metadata"]["uid"], {}).items()}

    def sandbox_since(self, pod: Mapping[str, Any]) -> float | None:
        """When the pod's sandbox was made, or None while it has none (its volumes are not
        mounted yet, it has finished, or its node failed)."""
        return self._sandboxes.get(pod["metadata"]["uid"])

    def started_at(self, pod: Mapping[str, Any]) -> dict[str, float]:
        """When each container of the pod that has started last started (its
        ``state.running.startedAt``)."""
        runs = self._runs.get(pod["metadata"]["uid"], {})
        return {name: run.started_at for name, run in runs.items()}

    def stopped_at(self, pod: Mapping[str, Any]) -> dict[str, tuple[float, int]]:
        """When each app container the pod's deletion stopped exited, and its exit code: its
        ``state.terminated`` from then on (``convertToAPIContainerStatuses`` in
        ``pkg/kubelet/kubelet_pods.go`` reports an exited container as terminated, its
        ``startedAt`` kept). :data:`SIGTERM_EXIT` for one that ended on the SIGTERM,
        :data:`SIGKILL_EXIT` for one still running when the grace period ran out.
        Simplified: a process that handles SIGTERM exits with its own code (nginx with 0,
        ``Completed``); the simulator knows no image's handler."""
        return self._stopped_at.get(pod["metadata"]["uid"], {})

    def any_app_started(self, pod: Mapping[str, Any]) -> bool:
        """Whether an app container of the pod has started, which means its init containers
        are done: the Pod is ``Initialized`` and its app containers' states count, a
        sidecar crash-looping later holds nothing up (``HasAnyRegularContainerStarted`` in
        kubernetes/kubernetes ``pkg/kubelet/container/helpers.go``)."""
        started = self._runs.get(pod["metadata"]["uid"], {})
        return any(c.get("name") in started for c in pod["spec"].get("containers") or ())

    def restarts(self, pod: Mapping[str, Any]) -> Mapping[str, Restarts]:
        """Each container of the pod that has exited at least once: its restart count (the
        containers created after an exit) and its last exit."""
        return self._restarts.get(pod["metadata"]["uid"], {})

    def backing_off(self, pod: Mapping[str, Any]) -> Mapping[str, BackOff]:
        """The app containers and sidecars of the pod waiting out their crash-loop back-off,
        each with its own (its ``state.waiting.reason`` is ``CrashLoopBackOff``; its siblings
        run on)."""
        return self._backing_off.get(pod["metadata"]["uid"], {})

    def _record_exit(self, pod: dict[str, Any], name: str, code: int) -> None:
        """Container ``name`` of the pod exited with ``code`` now: this exit is its last
        state, and its next start counts a restart (:attr:`Restarts.pending`)."""
        record = self._restarts.setdefault(pod["metadata"]["uid"], {}).setdefault(
            name, Restarts())
        record.exit_code, record.finished_at = code, self.cluster.now
        run = self._runs.get(pod["metadata"]["uid"], {}).get(name)
        record.started_at = self.cluster.now if run is None else run.started_at
        record.pending = True

    def container_ready(self, pod: Mapping[str, Any], name: str) -> bool:
        """Whether the container ``name`` of the pod is ready now (module docstring, step 3):
        running and its probes passed since its last start. A pod being deleted keeps its
        ready containers ready until they stop (steps 5: the prober keeps its readiness
        workers, ``doProbe`` in ``pkg/kubelet/prober/worker.go`` ends only liveness and
        startup probing for a pod with a ``deletionTimestamp``, and ``UpdatePodStatus`` in
        ``prober_manager.go`` counts a running container without a readiness probe ready)."""
        return self.ready_since(pod, name) is not None

    def ready_since(self, pod: Mapping[str, Any], name: str) -> float | None:
        """When the container ``name`` of the pod became ready, None while it is not ready
        (:meth:`container_ready`)."""
        at = self._ready_at(pod["metadata"]["uid"], name)
        return at if at is not None and at <= self.cluster.now else None

    def _ready_at(self, uid: str, name: str) -> float | None:
        """When container ``name`` of the pod ``uid`` is, or will be, ready; None while it
        has not started or has stopped since."""
        run = self._runs.get(uid, {}).get(name)
        return None if run is None else run.ready_at

    def _counted(self, pod: Mapping[str, Any]) -> list[str]:
        """The containers whose readiness makes the pod's: its sidecars and app containers
        (``GenerateContainersReadyCondition``)."""
        names = [str(c.get("name")) for c in pod["spec"].get("containers") or []]
        inits = pod["spec"].get("initContainers")
        return [*(str(c.get("name")) for c in inits if is_sidecar(c)), *names] if inits else names

    def sync_ready(self, pod: dict[str, Any], counted: list[str] | None = None) -> None:
        """Write the pod's Ready condition as the kubelet's sync generates it
        (``GeneratePodReadyCondition``), if the pod runs and its containers are all ready:
        ``True``, or ``False`` with ``ReadinessGatesNotReady`` while a readiness gate's
        condition is not ``True``. Called when the last container becomes ready and when the
        pod's conditions change through the status subresource (upstream the kubelet syncs
        a pod whenever it is updated). ``counted``: :meth:`_counted`, when the caller has
        it already."""
        node = pod["spec"].get("nodeName")
        if (is_terminating(pod) or pod["status"].get("phase") != "Running"
                or pod["metadata"]["uid"] not in self.serving
                or not self.cluster.kubelet_alive(node)
                or not all(self.container_ready(pod, n)
                           for n in (self._counted(pod) if counted is None else counted))):
            return
        message = readiness_gates_message(pod["spec"], pod["status"].get("conditions") or [])
        if set_condition(pod, "Ready", not message, self.cluster.now,
                         READINESS_GATES_NOT_READY if message else "", message):
            self.cluster.pod_written(pod)
            self.cluster.changed()

    def init_runs(self, pod: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
        """When each init container of the pod started, and when it exited (a regular one)
        or its startup probe passed (a sidecar); the end may lie ahead."""
        return self._init_runs.get(pod["metadata"]["uid"], {})

    def _started(self, pod: dict[str, Any], epoch: int) -> None:
        """The last app container has started: the pod is Running (:meth:`_running`)."""
        if not self._current(pod, epoch):
            return
        status = pod["status"]
        status["phase"] = "Running"
        status.setdefault("podIP", self._pod_ip(pod["spec"]["nodeName"]))
        self._running(pod, epoch)
        self._plan_job_exit(pod, epoch)

    def _running(self, pod: dict[str, Any], epoch: int) -> None:
        """Containers of the Running pod have (re)started: unless a sibling still waits
        out its crash-loop back-off, whatever kept the pod waiting (an init step, a failed
        pull, a crash loop) is no longer its reason and it serves; it becomes ready once all
        its containers are (:meth:`sync_ready`).
        One step for a pod's start (:meth:`_started`), a container's crash-loop restart
        (:meth:`_restarted`) and the containers an image change restarted
        (:meth:`change_images`)."""
        cluster, uid = self.cluster, pod["metadata"]["uid"]
        backing_off = self._backing_off.get(uid)
        if backing_off or self._reasons.get(uid):
            self._sync_reason(pod)
        else:
            pod["status"].pop("reason", None)
        if not backing_off:
            self.serving.add(uid)
        cluster.changed()
        counted = self._counted(pod)        # built once for the delay and the sync after it
        ready = (self._ready_at(uid, n) for n in counted)
        delay = max((cluster.now if at is None else at for at in ready),
                    default=cluster.now) - cluster.now
        if delay <= 0:
            self._ready(pod, epoch, counted)
        else:
            cluster.after(delay, lambda: self._ready(pod, epoch, counted))

    def _plan_job_exit(self, pod: dict[str, Any], epoch: int) -> None:
        """The app containers of a pod meant to finish (``restartPolicy`` not ``Always``)
        have (re)started, at its start or after an image change: the pod exits after the
        first one's run (:meth:`_exit_plan`, :meth:`_exited`)."""
        plan = self._exit_plan(pod)
        if plan and pod["spec"].get("restartPolicy", "Always") != "Always":
            run, code = min((run, code) for _, run, code in plan)   # the first one's
            self.cluster.after(run, lambda: self._exited(pod, epoch, code))

    def _plan_exit(self, pod: dict[str, Any], epoch: int, container: dict[str, Any]) -> None:
        """``container`` has just (re)started: if it is to crash (:meth:`_crash_plan`), it
        exits that long after its own start, whether or not its siblings run yet (the
        container runtime times a process from its own start, ``startContainer`` in
        ``pkg/kubelet/kuberuntime/kuberuntime_container.go`` starts each container on its
        own)."""
        plan = self._crash_plan(pod, container)
        if plan is None:
            return
        name, (run, code) = str(container.get("name")), plan
        self._exits.setdefault(pod["metadata"]["uid"], {})[name] = (self.cluster.now + run, code)
        self._crash_at(pod, epoch, name, run, code)

    def _crash_plan(self, pod: dict[str, Any], container: Mapping[str, Any]
                    ) -> tuple[float, int] | None:
        """The seconds ``container`` runs before it exits to be restarted, and its exit code,
        None if it runs until stopped. An app container of a ``restartPolicy: Always`` pod
        follows the pod's exit plan (:meth:`_exit_plan`); a sidecar (an init container with
        ``restartPolicy: Always``) exits when its image is broken
        (:meth:`KubernetesCluster.fail_image`) and is restarted whatever the pod's restart
        policy (``computeInitContainerActions`` in
        ``pkg/kubelet/kuberuntime/kuberuntime_container.go`` restarts an exited restartable
        init container; docs https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/);
        a regular init container runs to completion (:meth:`_init`)."""
        name = container.get("name")
        if any(c.get("name") == name for c in pod["spec"].get("initContainers") or ()):
            return self.image_exits.get(str(container.get("image"))) \
                if is_sidecar(container) else None
        if pod["spec"].get("restartPolicy", "Always") != "Always":
            return None
        return next(((run, code) for planned, run, code in self._exit_plan(pod)
                     if planned.get("name") == name), None)

    def _crash_at(self, pod: dict[str, Any], epoch: int, name: str, seconds: float,
                  code: int) -> None:
        """Container ``name`` (an app container or a sidecar) exits with ``code`` in
        ``seconds`` (:meth:`_crashed`)."""
        self.cluster.after(seconds, lambda: self._crashed(pod, epoch, name, code))

    def _exit_plan(self, pod: dict[str, Any]) -> list[tuple[dict[str, Any], float, int]]:
        """The app containers that exit, each with the seconds it runs and its exit code
        (none for a server that runs until stopped): from the pod's annotations (every app
        container), else from broken images (:meth:`KubernetesCluster.fail_image`: each
        container that runs one, by its image), else ``job_run_seconds`` and 0 for pods
        that are meant to finish."""
        annotations = pod["metadata"].get("annotations") or {}
        apps = pod["spec"].get("containers") or []
        try:
            run = run_seconds(annotations)
            if run is not None:
                code = exit_code(annotations)
                return [(c, run, code) for c in apps]
            broken = [(c, *self.image_exits[c["image"]]) for c in apps
                      if c.get("image") in self.image_exits]
            if broken:
                return broken
            if pod["spec"].get("restartPolicy", "Always") != "Always":
                code = exit_code(annotations)
                return [(c, self.timing.job_run_seconds, code) for c in apps]
        except ValueError as err:       # the loader refuses these first (annotation_problems)
            raise ValueError(f"pod {pod['metadata']['name']!r}: annotations {RUN_SECONDS} "
                             f"and {EXIT_CODE}: {err}") from None
        return []

    def _crashed(self, pod: dict[str, Any], epoch: int, name: str, code: int) -> None:
        """Container ``name`` exited with ``code`` to be restarted (:meth:`_crash_plan`: an
        app container of a ``restartPolicy: Always`` pod, or a sidecar, which is the same to
        the kubelet here: ``SyncPod``'s ``start`` calls ``doBackOff`` before it starts an
        init container as before an app container): it keeps this exit as its last state
        (``lastState.terminated``; the restart counts when it starts again), and starts
        again under its own crash-loop back-off, as ``doBackOff`` in
        ``pkg/kubelet/kuberuntime/kuberuntime_manager.go`` decides it with client-go's
        ``flowcontrol.Backoff``, one entry per container definition (:attr:`_crash_backoff`):
        the first exit restarts it at once (no entry yet: ``Next`` makes one of 10 s); a
        later one waits out the entry's back-off, ``CrashLoopBackOff`` (a ``BackOff``
        event), and the restart after it doubles the back-off up to 5 minutes; an exit more
        than 10 minutes after the entry last moved on starts over
        (``hasExpired``). The restart comes when the back-off, counted from this exit (the
        container's ``FinishedAt``), ends: the pod worker requeues the pod's sync for then
        (module docstring). The pod's other containers run on, each on its own back-off."""
        if not self._current(pod, epoch):
            return
        cluster, uid = self.cluster, pod["metadata"]["uid"]
        container = self._container(pod, name)
        self._record_exit(pod, name, code)
        self._stopped_containers(pod, [container])
        set_condition(pod, "Ready", False, cluster.now, "ContainersNotReady")
        cluster.pod_written(pod)
        self.serving.discard(uid)
        cluster.changed()
        backoff = self._in_back_off(pod, container, cluster.now)
        if backoff is None:
            # a reset entry restarts in the background, as a crash loop's restart does
            # (run() does not wait for a loop that never ends)
            entry = self._crash_backoff.get(uid, {}).get(_stable_key(container))
            cluster.after(0.0, lambda: self._restarted(pod, epoch, name),
                          background=entry is not None)
        else:
            self._back_off(pod, epoch, container, backoff)

    def _in_back_off(self, pod: Mapping[str, Any], container: Mapping[str, Any],
                     finished: float) -> BackOff | None:
        """The back-off that holds ``container``, whose last run ended at ``finished``,
        from starting now, None if it may start (``IsInBackOffSince`` on the entry of its
        ``getStableKey``: none for a definition that never started after an exit, nor for
        one whose entry last moved on more than 10 minutes before that exit,
        ``hasExpired``)."""
        entry = self._crash_backoff.get(pod["metadata"]["uid"], {}).get(_stable_key(container))
        if entry is None or _expired(entry, finished) or self.cluster.now - finished >= entry[0]:
            return None
        return BackOff(entry[0], finished + entry[0])

    def _back_off(self, pod: dict[str, Any], epoch: int, container: Mapping[str, Any],
                  backoff: BackOff) -> None:
        """``container`` (an app container or a sidecar) waits out ``backoff``
        (``CrashLoopBackOff``, a ``BackOff`` event), then starts again (:meth:`_restarted`)."""
        cluster, name, meta = self.cluster, str(container.get("name")), pod["metadata"]
        self._backing_off.setdefault(meta["uid"], {})[name] = backoff
        self._sync_reason(pod)
        cluster.kubelet_record(
            pod, "BackOff", f"Back-off restarting failed container {name} in pod "
            f"{meta['name']}_{meta['namespace']}({meta['uid']})", "Warning",
            container=container)
        cluster.after(backoff.until - cluster.now, lambda: self._restarted(pod, epoch, name),
                      background=True)

    def _move_on(self, pod: Mapping[str, Any], container: Mapping[str, Any],
                 finished: float) -> None:
        """``container``, whose last run ended at ``finished``, starts again out of
        back-off: its entry moves on (``Next``, which ``doBackOff`` calls at every start that
        follows an exit: a new entry of 10 s, or one ``hasExpired`` starts over, else the
        back-off doubles up to 5 minutes)."""
        backoffs = self._crash_backoff.setdefault(pod["metadata"]["uid"], {})
        key = _stable_key(container)
        entry = backoffs.get(key)
        backoffs[key] = (CRASH_BACKOFF if entry is None or _expired(entry, finished)
                         else min(2 * entry[0], MAX_CRASH_BACKOFF), self.cluster.now)

    def _container(self, pod: Mapping[str, Any], name: str) -> dict[str, Any]:
        """The pod's app container or sidecar ``name`` as its spec has it now."""
        return next(c for c in [*(pod["spec"].get("containers") or []),
                                *(pod["spec"].get("initContainers") or [])]
                    if c.get("name") == name)

    def change_images(self, pod: dict[str, Any], names: list[str]) -> None:
        """The containers ``names`` of a pod got a new image (a Pod update; app or init
        containers). A Running pod's kubelet sees the definition of its app containers and
        of its sidecars changed, kills them (events ``Killing``, "Container c definition
        changed, will be restarted"; for a sidecar "Init container c definition changed"),
        whatever the restart policy, and starts them again in the spec's order, sidecars
        first, each pulling its new image just before it is created and started
        (``computePodActions`` and ``computeInitContainerActions`` in kubernetes/kubernetes
        ``pkg/kubelet/kuberuntime/``; ``SyncPod`` kills, then starts). A regular init
        container that has completed is not run again: its new image is only stored.

        A pod that is not Running yet takes the new image of a container when it gets to
        it; if it is backing off a failed pull of the changed container, the new image is
        pulled at once (the update syncs the pod at once, and the back-off is kept per pod
        and image: ``EnsureImageExists`` in ``pkg/kubelet/images/image_manager.go``).
        A changed container waiting out its crash-loop back-off is not running: it is not
        killed and starts again with the other changed ones, unless the back-off of its new
        image holds it (:meth:`_held`: the back-off is kept per container name and image,
        ``getStableKey``, and ``doBackOff`` looks it up at every start after an exit; a
        new image has none yet, and its start makes it); its unchanged siblings keep
        theirs, and the running ones their exit plans. An unchanged container that waits
        to start (a failed pull, a missing ConfigMap) is started again with them, as every
        sync starts each container that is not running (``computePodActions``): its pull
        waits out the pod's back-off for that image (``EnsureImageExists``), its
        configuration is tried at once. Each killed container counts one restart, with its
        exit as its last state; the others count none.

        Simplified: a container of a pod that is not Running yet that has already started
        keeps its old image until it restarts (upstream restarts it at once, beside the
        pulls of the containers after it); the containers not restarted stay ready
        and the pod is not ready until the restarted ones are again, and a killed container
        shows its old running state until it starts again."""
        if is_terminating(pod):
            return
        if pod["status"].get("phase") != "Running":
            self.image_manager.pull_again(pod, names)
            return
        cluster, uid = self.cluster, pod["metadata"]["uid"]
        sidecars = [c for c in pod["spec"].get("initContainers") or []
                    if is_sidecar(c) and c.get("name") in names]
        apps = [c for c in pod["spec"].get("containers") or [] if c.get("name") in names]
        changed = [*sidecars, *apps]
        if not changed:
            return
        crashed = self._backing_off.get(uid, {})
        killed = [c for c in changed if c.get("name") not in crashed]
        waiting = [c for c in pod["spec"].get("containers") or []
                   if c.get("name") in self._reasons.get(uid, {}) and c.get("name") not in names]
        for container in changed:
            crashed.pop(str(container.get("name")), None)
        for container in killed:           # computePodActions adds ", will be restarted"
            sidecar = any(c is container for c in sidecars)
            cluster.kubelet_record(
                pod, "Killing", f"Init container {container.get('name')} definition"
                " changed" if sidecar else f"Container {container.get('name')} "
                "definition changed, will be restarted", container=container)
        self._stopped_containers(pod, killed)
        set_condition(pod, "Ready", False, cluster.now, "ContainersNotReady")
        cluster.pod_written(pod)
        self.serving.discard(pod["metadata"]["uid"])
        epoch = self._next_epoch(pod)
        self._resume(pod, epoch)
        cluster.changed()
        exited = {name: r.finished_at for name, r in self._restarts.get(uid, {}).items()}

        def running() -> None:
            self._running(pod, epoch)
            self._plan_job_exit(pod, epoch)

        def stopped() -> None:
            if not self._current(pod, epoch):
                return
            for container in killed:    # a crashed one recorded when it exited
                self._record_exit(pod, str(container.get("name")), 0)
            cluster.changed()
            held = [c for c in changed if self._held(pod, epoch, c, exited)]
            self._start_each(pod, epoch, [c for c in changed if c not in held], running)
            for container in waiting:
                self._start_each(pod, epoch, [container], running)

        cluster.after(min(self.timing.container_stop_seconds, kill_grace_period(pod)), stopped)

    def _held(self, pod: dict[str, Any], epoch: int, container: dict[str, Any],
              exited: Mapping[str, float]) -> bool:
        """Whether ``container`` (an app container or a sidecar), started again for its new
        definition, waits out a back-off instead (:meth:`_back_off`). ``doBackOff`` (called
        before an init container starts as before an app container) looks at its last exit before
        this sync (``exited``, by name) whatever image that run had: under the new
        definition's key (name and image) an entry still in back-off since that exit holds
        it (an image changed back within its back-off), and otherwise the start moves the
        entry on (:meth:`_move_on`), so a new image's first crash after a crash loop already
        backs off 10 s. A container that never exited has nothing to look at."""
        finished = exited.get(str(container.get("name")))
        if finished is None:
            return False
        backoff = self._in_back_off(pod, container, finished)
        if backoff is None:
            self._move_on(pod, container, finished)
            return False
        self._back_off(pod, epoch, container, backoff)
        return True

    def _resume(self, pod: dict[str, Any], epoch: int) -> None:
        """The pod's pending work moved on to ``epoch`` (an image change): the containers
        that are neither killed nor started again keep their own course, a crash-loop
        back-off ending when it was to end and an exit coming when it was to come (those
        waiting to start are started again: :meth:`change_images`)."""
        now, uid = self.cluster.now, pod["metadata"]["uid"]
        for name, backoff in self._backing_off.get(uid, {}).items():
            self.cluster.after(backoff.until - now,
                               lambda name=name: self._restarted(pod, epoch, name),
                               background=True)
        for name, (at, code) in self._exits.get(uid, {}).items():
            self._crash_at(pod, epoch, name, at - now, code)

    def _restarted(self, pod: dict[str, Any], epoch: int, name: str) -> None:
        """Container ``name`` (an app container or a sidecar) starts again after its exit: its
        back-off entry moves on (``Next``: a new one of 10 s, else doubled up to 5 minutes)
        and it runs (a sidecar's run, and its startup probe, counted anew: :meth:`_init_run`)."""
        if not self._current(pod, epoch):
            return
        cluster, uid = self.cluster, pod["metadata"]["uid"]
        self._backing_off.get(uid, {}).pop(name, None)
        container = self._container(pod, name)
        self._move_on(pod, container, self._restarts[uid][name].finished_at)
        self._record_start(pod, container)
        if is_sidecar(container):      # a crash loop's restart: run() does not wait for it
            self._await_startup(pod, epoch, container, background=True)
        self._plan_exit(pod, epoch, container)
        if pod["status"].get("phase") == "Running":
            self._running(pod, epoch)
        else:                   # a sibling is not started yet: the pod waits for it
            self._sync_reason(pod)
            cluster.changed()

    def _ready(self, pod: dict[str, Any], epoch: int, counted: list[str]) -> None:
        if self._current(pod, epoch):
            self.sync_ready(pod, counted)

    def _stopped_containers(self, pod: dict[str, Any], containers: list[dict[str, Any]]
                            ) -> None:
        """``containers`` have stopped: none is ready until it has started again."""
        runs = self._runs.get(pod["metadata"]["uid"], {})
        exits = self._exits.get(pod["metadata"]["uid"], {})
        for container in containers:
            run = runs.get(str(container.get("name")))
            if run is not None:
                run.ready_at = None
            exits.pop(str(container.get("name")), None)

    def _exited(self, pod: dict[str, Any], epoch: int, code: int) -> None:
        """The app containers of a pod meant to finish exited; its sidecars are stopped
        (reverse order) before the pod is Succeeded or Failed."""
        if not self._current(pod, epoch):
            return
        epoch = self._next_epoch(pod)   # a sidecar's crash or restart to come is not due now
        self._stop_sidecars(pod, epoch, float("inf"), lambda: self._finished(pod, epoch, code))

    def _finished(self, pod: dict[str, Any], epoch: int, code: int) -> None:
        if self._current(pod, epoch):
            self._terminal(pod, "Completed" if code == 0 else "Error", code)

    def _terminal(self, pod: dict[str, Any], reason: str, code: int) -> None:
        """The pod's containers have all ended with ``code``: phase Succeeded (``code`` 0) or
        Failed, for ``reason``; its requests are freed."""
        status = pod["status"]
        status["phase"] = "Succeeded" if code == 0 else "Failed"
        status["reason"] = reason
        status["exitCode"] = code          # each app container's (they all end together)
        status["finishedAt"] = self.cluster.now
        set_condition(pod, "Ready", False, self.cluster.now,       # generate.go's reasons
                      "PodCompleted" if code == 0 else "PodFailed")
        self.cluster.pod_written(pod)
        self.serving.discard(pod["metadata"]["uid"])
        self._sandboxes.pop(pod["metadata"]["uid"], None)
        for run in self._runs.get(pod["metadata"]["uid"], {}).values():
            run.ready_at = None
        self._next_epoch(pod)
        self.cluster.release(pod)
        self.cluster.changed()

    def watch_deadline(self, pod: dict[str, Any]) -> None:
        """Check the pod's active deadline when it comes (module docstring, step 6): called
        when the kubelet takes the pod (its first sync, or its node's recovery) and when an
        update changes ``activeDeadlineSeconds``."""
        deadline = pod["spec"].get("activeDeadlineSeconds")
        start = pod["status"].get("startTime")
        if deadline is None or start is None:
            return          # no deadline, or not started: pastActiveDeadline is false
        self.cluster.after(start + deadline - self.cluster.now,
                           lambda: self._past_deadline(pod), background=True)

    def _past_deadline(self, pod: dict[str, Any]) -> None:
        """Kill the pod if it has been active for its ``activeDeadlineSeconds``
        (``pastActiveDeadline``; ``ShouldEvict`` records the event and
        ``generateAPIPodStatus`` makes the pod Failed), as its kubelet does while it runs."""
        cluster, spec, status = self.cluster, pod["spec"], pod["status"]
        deadline, start = spec.get("activeDeadlineSeconds"), status.get("startTime")
        if (deadline is None or start is None or cluster.now - start < deadline
                or not cluster.exists(pod) or is_terminating(pod)
                or status.get("phase") in ("Succeeded", "Failed")
                or not cluster.kubelet_alive(spec.get("nodeName"))):
            return
        cluster.kubelet_record(pod, DEADLINE_EXCEEDED, DEADLINE_MESSAGE)
        self._kill(pod, DEADLINE_EXCEEDED, SIGTERM_EXIT)
        status["message"] = DEADLINE_MESSAGE

    def _kill(self, pod: dict[str, Any], reason: str, code: int) -> None:
        """Stop the pod's running containers at once (``Killing``, app containers first)
        and make it terminal with ``reason`` and ``code`` (:meth:`_terminal`)."""
        for container in [*self._running_apps(pod), *self._running_sidecars(pod)]:
            self._record_killing(pod, container)
        self._terminal(pod, reason, code)

    def phase_written(self, pod: dict[str, Any], phase: Any) -> None:
        """Someone wrote ``phase`` to the Pod's ``status`` subresource (``kubectl patch pod
        web --subresource=status -p '{"status":{"phase":"Failed"}}'``).

        The API server stores any phase (``ValidatePodStatusUpdate`` in kubernetes/kubernetes
        ``pkg/apis/core/validation/validation.go`` checks no phase transition). The kubelet's
        next sync, on the update, may not leave a terminal phase ("pods are not allowed to
        transition out of terminal phases", ``generateAPIPodStatus`` in
        ``pkg/kubelet/kubelet_pods.go``), and ``SyncPod`` (``pkg/kubelet/kubelet.go``) returns
        such a pod as terminal: its pod worker stops its running containers (``Killing``)
        and its node's resources are freed; a controller that owns it replaces it, as a
        terminal Pod is not active. Here at once (:meth:`_kill`), with ``Error`` and exit
        code 143 for ``Failed``, ``Completed`` and 0 for ``Succeeded``. A Pod not bound to a
        node has no kubelet to write over its status: the terminal phase stays, the
        scheduler no longer sees the Pod (its informer lists only Pods in no terminal
        phase: ``ControllerManager._schedule_pending``), and its controller replaces it
        all the same; any other phase stays there too, ``Unknown`` or one no Kubernetes
        defines (``Bogus``: no validation looks at it), until a kubelet takes the Pod and
        writes its own. Any other phase,
        on a Pod the kubelet runs, is written over by the kubelet's own status (its status
        manager reconciles within 10 s: here at once), so nothing changes; so is a write to
        a Pod being deleted. Simplified: the simulator keeps one
        reason per Pod, so ``status.reason`` says ``Error`` (or ``Completed``) where a real
        Pod keeps the reason the writer sent, often none (``kubectl get`` shows ``Error``
        either way, from the containers' terminated state); and on a node whose kubelet is
        down, the Pod is terminal at once, where its containers would be stopped only once
        the kubelet is back."""
        node = pod["spec"].get("nodeName")
        if (not isinstance(phase, str) or is_terminating(pod)
                or pod["status"].get("phase") in ("Succeeded", "Failed", phase)):
            return
        if not node:
            pod["status"]["phase"] = phase
            self.cluster.pod_written(pod)
            self.cluster.changed()
            return
        if phase not in ("Succeeded", "Failed"):
            return
        reason, code = ("Completed", 0) if phase == "Succeeded" else ("Error", SIGTERM_EXIT)
        if self.cluster.kubelet_alive(node):
            self._kill(pod, reason, code)
        else:
            self._terminal(pod, reason, code)

    def stop(self, pod: dict[str, Any]) -> None:
        """Graceful termination of a pod on a live node (module docstring, step 5): the sync
        of the terminating pod writes the generation its deletion counted
        (``SyncTerminatingPod`` sets the status ``generateAPIPodStatus`` made). Its grace
        period is the API server's ``deletionGracePeriodSeconds``
        (``calculateEffectiveGracePeriod`` in ``pkg/kubelet/pod_workers.go``); a shorter one
        set later stops it again, as the pod worker cancels its sync and starts over."""
        epoch = self._next_epoch(pod)
        self.observe(pod)
        containers = self._running_apps(pod)
        for container in containers:
            self._record_killing(pod, container)
        grace = float(pod["metadata"]["deletionGracePeriodSeconds"])
        deadline = self.cluster.now + grace
        seconds = min(grace, max(_pre_stop_seconds(c) for c in containers)
                      + self.timing.container_stop_seconds) if containers else 0.0
        self.cluster.after(seconds, lambda: self._apps_exited(pod, epoch, deadline))

    def _apps_exited(self, pod: dict[str, Any], epoch: int, deadline: float) -> None:
        """A terminating pod's app containers have exited: it serves no more and is not
        Ready (``ContainersNotReady``: the prober reports a container that is not running
        as not ready), while its sidecars stop (:meth:`_stop_sidecars`)."""
        if not self._current(pod, epoch):
            return
        self.serving.discard(pod["metadata"]["uid"])
        code = SIGKILL_EXIT if self.cluster.now >= deadline else SIGTERM_EXIT
        self._stopped_at[pod["metadata"]["uid"]] = {
            str(c.get("name")): (self.cluster.now, code) for c in self._running_apps(pod)}
        self._stopped_containers(pod, pod["spec"].get("containers") or [])
        if set_condition(pod, "Ready", False, self.cluster.now, "ContainersNotReady"):
            self.cluster.pod_written(pod)
            self.cluster.changed()
        self._stop_sidecars(pod, epoch, deadline, lambda: self._stopped(pod, epoch))

    def _stop_sidecars(self, pod: dict[str, Any], epoch: int, deadline: float,
                       then: Any, remaining: list[dict[str, Any]] | None = None) -> None:
        """Stop the pod's running sidecars one at a time, last in the spec first, then call
        ``then``; whatever is still running at ``deadline`` (the grace period) is killed."""
        if not self._current(pod, epoch):
            return
        if remaining is None:
            remaining = self._running_sidecars(pod)
        cluster = self.cluster
        if not remaining or cluster.now >= deadline:
            then()
            return
        container = remaining.pop(0)
        self._record_killing(pod, container)
        seconds = _pre_stop_seconds(container) + self.timing.container_stop_seconds
        seconds = min(seconds, deadline - cluster.now)
        cluster.after(seconds, lambda: self._stop_sidecars(pod, epoch, deadline, then,
                                                           remaining))

    def _running_containers(self, pod: Mapping[str, Any]) -> set[str]:
        """The names of the pod's containers that run now, the ones the kubelet kills when
        it stops the pod (``killPodWithSyncResult`` kills the running pod's containers): each
        that has started, but not one waiting out its crash-loop back-off."""
        backing_off = self.backing_off(pod)
        return {name for name in self._runs.get(pod["metadata"]["uid"], {})
                if name not in backing_off}

    def _running_apps(self, pod: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The pod's running app containers (:meth:`_running_containers`), in the spec's
        order: the ones a deletion or the active deadline stops."""
        running = self._running_containers(pod)
        return [c for c in pod["spec"].get("containers") or [] if c.get("name") in running]

    def _record_killing(self, pod: Mapping[str, Any], container: Mapping[str, Any]) -> None:
        """The ``Killing`` event of a running ``container`` the kubelet stops with the pod
        (``killContainer`` in ``pkg/kubelet/kuberuntime/kuberuntime_container.go``: a
        ``Normal`` event whose message, when the caller gives none, as
        ``killContainersWithSyncResult`` does, is ``Stopping container <name>``)."""
        self.cluster.kubelet_record(pod, "Killing", f"Stopping container {container.get('name')}",
                                    container=container)

    def _running_sidecars(self, pod: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The pod's running sidecars (:meth:`_running_containers`), last in the spec first:
        the order they are stopped in (``kuberuntime_termination_order.go``)."""
        running = self._running_containers(pod)
        return [c for c in reversed(pod["spec"].get("initContainers") or [])
                if is_sidecar(c) and c.get("name") in running]

    def _stopped(self, pod: dict[str, Any], epoch: int) -> None:
        if self._current(pod, epoch):
            self.serving.discard(pod["metadata"]["uid"])
            self.deleted(pod)

    def deleted(self, pod: dict[str, Any]) -> None:
        """The containers of a Pod being deleted have stopped: the kubelet deletes it with a
        grace period of 0 (:meth:`~clustersim.kubernetes.apiserver.APIServer.delete_now`).
        A Pod that keeps finalizers stays in the API, so the kubelet first writes it a
        terminal phase, ``Failed`` or ``Succeeded`` by its containers' exit codes (since
        Kubernetes 1.27, https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
        #pod-phase: "the kubelet transitions deleted Pods, except for static Pods and
        force-deleted Pods without a finalizer, to a terminal phase"), which frees its
        node's resources (:meth:`_terminal`). Simplified: a Pod without finalizers goes
        without that last status write, which nothing reads before it is gone."""
        if pod["metadata"].get("finalizers") and \
                pod["status"].get("phase") not in ("Succeeded", "Failed"):
            code = max((c for _, c in self._stopped_at.get(pod["metadata"]["uid"], {})
                        .values()), default=SIGTERM_EXIT)
            self._terminal(pod, "Completed" if code == 0 else "Error", code)
        self.cluster.delete_now(pod)

    def node_down(self, pods: list[dict[str, Any]]) -> None:
        """A node failed: its containers stop at once and pending kubelet work is dropped.
        The readiness its kubelet last reported stays (a container not ready yet never
        becomes so), as a real kubelet's last status stays in the API."""
        for pod in pods:
            self._next_epoch(pod)
            self.serving.discard(pod["metadata"]["uid"])
            self._sandboxes.pop(pod["metadata"]["uid"], None)
            for run in self._runs.get(pod["metadata"]["uid"], {}).values():
                if run.ready_at is not None and run.ready_at > self.cluster.now:
                    run.ready_at = None

    def restarted(self, pods: list[dict[str, Any]]) -> None:
        """The kubelet of ``pods``' node restarted with its machine: the back-offs it keeps
        in memory start empty, each container's crash-loop back-off (``crashLoopBackOff``)
        and each image's pull back-off (``imageBackOff``), both client-go
        ``flowcontrol.Backoff`` objects that ``NewMainKubelet`` in ``pkg/kubelet/kubelet.go``
        makes anew. A container's first exit after it restarts it at once, as a first exit
        does; its restart count, which the runtime and the API keep, goes on."""
        for pod in pods:
            self._crash_backoff.pop(pod["metadata"]["uid"], None)
            self.image_manager.restarted(pod)

    def forget(self, pod: dict[str, Any]) -> None:
        """The pod object is gone: every per-pod table lets go of it."""
        uid = pod["metadata"]["uid"]
        tables: tuple[dict[str, Any], ...] = (
            self._epoch, self._waiting, self._init_runs, self._initialized, self._held_inits,
            self._runs, self._stopped_at, self._sandboxes, self._restarts, self._backing_off,
            self._crash_backoff, self._exits, self._reasons)
        for table in tables:
            table.pop(uid, None)
        self.image_manager.forget(pod)
        self.serving.discard(uid)
