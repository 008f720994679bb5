"""Each container's own crash-loop back-off, as the kubelet keeps it: one client-go
``flowcontrol.Backoff`` entry per container definition (``getStableKey`` in kubernetes/kubernetes
``pkg/kubelet/kuberuntime/helpers.go``), checked by ``doBackOff`` in ``kuberuntime_manager.go``
when a sync finds the container exited: the first exit restarts it at once, each later one waits
out a back-off of 10 s doubling to 5 minutes, and one that comes more than 10 minutes after the
entry last moved on starts over."""

from __future__ import annotations

from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.containerref import container_named
from tests.unit.test_k8s_image_change import cluster, pod, row


def times(k: KubernetesCluster, reason: str, name: str) -> list[float]:
    """When each event ``reason`` about container ``name`` of Pod ``p`` was recorded."""
    return [e.time for e in k.events.where(object="pod/p", reason=reason)
            if container_named(e.field_path) == name]


def test_containers_crashing_at_different_times_restart_at_their_own_times():
    """Two containers that crashed had restarted together, at the first one's exit time
    and code, after the back-off of the one that had restarted most; each has its own."""
    k = cluster()
    k.fail_image("app:1", after=2)
    k.fail_image("log:1", after=7, exit_code=3)
    k.apply(pod("app:1", "log:1"))      # c0 runs from 6 s, c1 from 12 s (Running)
    k.run(until=20)
    stored = k.get("Pod", "default", "p")
    # c0 exited at 8 s (restarted at once) and 10 s, backed off 10 s; c1 exited at 19 s
    assert k.kubelet.backing_off(stored) == {}
    assert k.kubelet.container_ready(stored, "c0")
    k.run(until=27)         # c0 exited at 22 s, c1 at 26 s: both back off
    assert k.kubelet.backing_off(stored).keys() == {"c0", "c1"}
    assert row(k) == ("Running", False, "CrashLoopBackOff")
    k.run(until=69)
    assert times(k, "Started", "c0") == [6.0, 8.0, 20.0, 42.0]
    assert times(k, "BackOff", "c0") == [10.0, 22.0, 44.0]
    assert times(k, "Started", "c1") == [12.0, 19.0, 36.0, 63.0]
    assert times(k, "BackOff", "c1") == [26.0, 43.0]
    restarts = k.kubelet.restarts(stored)
    assert (restarts["c0"].exit_code, restarts["c1"].exit_code) == (1, 3)
    assert (restarts["c0"].finished_at, restarts["c1"].finished_at) == (44.0, 43.0)


def test_a_container_exits_counted_from_its_own_start_while_its_pod_is_pending():
    """A container's run is timed from its own start, not from when its pod's last
    container started: one that crashes while a sibling still pulls backs off in a Pending
    pod, whose STATUS is its ``CrashLoopBackOff``; once it restarts the pod waits for the
    sibling again (``ContainerCreating``)."""
    k = cluster()
    k.fail_image("app:1", after=2)
    k.apply(pod("app:1", "log:1"))      # c0 starts at 6 s, c1 (pulling) at 12 s
    k.run(until=11)
    stored = k.get("Pod", "default", "p")
    assert k.kubelet.backing_off(stored) == {"c0": (10.0, 20.0)}
    assert row(k) == ("Pending", False, "CrashLoopBackOff")
    assert k.kubelet.restarts(stored)["c0"].started_at == 8.0
    k.run(until=21)
    assert row(k) == ("Running", True, "")
    assert times(k, "Started", "c0") == [6.0, 8.0, 20.0]


def test_a_container_that_ran_ten_minutes_starts_its_back_off_over():
    """``hasExpired``: an exit more than twice the maximum back-off after the entry last
    moved on (its last restart) restarts at once, as a first exit does."""
    long_runs, short_runs = cluster(), cluster()
    long_runs.fail_image("app:1", after=601)
    short_runs.fail_image("app:1", after=599)
    for k in (long_runs, short_runs):
        k.apply(pod("app:1"))
        k.run(until=1900)
    assert times(long_runs, "Started", "c0") == [6.0, 607.0, 1208.0, 1809.0]
    assert times(long_runs, "BackOff", "c0") == []
    assert times(short_runs, "Started", "c0") == [6.0, 605.0, 1214.0, 1833.0]
    assert times(short_runs, "BackOff", "c0") == [1204.0, 1813.0]


def test_the_back_off_is_kept_per_name_and_image_and_looked_up_at_every_start():
    """``getStableKey`` is the pod, the container's name and ``HashContainer``, a hash of
    its name and image alone; ``doBackOff`` runs at every start that follows an exit, an
    image change's too: a new image's entry is made then (its first crash backs off 10 s),
    and an image changed back within its old entry's back-off, counted from the last exit,
    waits it out."""
    k = cluster()
    k.fail_image("app:1", after=2)
    k.fail_image("app:2", after=2)
    k.apply(pod("app:1"))       # exits at 8, 10, 22 and 44 s: backing off 40 s
    k.run(until=50)
    k.apply(pod("app:2"))       # starts at 56.2 s (pulled), its entry made at 50.2 s
    k.run(until=60)
    k.apply(pod("app:1"))       # app:2 exited at 58.2 s, within app:1's 40 s
    k.run(until=61)
    stored = k.get("Pod", "default", "p")
    assert k.kubelet.backing_off(stored) == {"c0": (40.0, 98.2)}
    assert row(k) == ("Running", False, "CrashLoopBackOff")
    k.run(until=150)
    assert times(k, "Started", "c0") == [6.0, 8.0, 20.0, 42.0, 56.2, 98.2]
    assert times(k, "BackOff", "c0") == [10.0, 22.0, 44.0, 58.2, 60.2, 100.2]


def test_a_node_cut_off_keeps_its_back_off_and_a_rebooted_one_starts_empty():
    """The kubelet keeps its crash-loop back-off in memory (``flowcontrol.Backoff``, made by
    ``NewMainKubelet``): a node that comes back from a cut network finds it as it was, so the
    first exit after the recovery waits its back-off; a node that rebooted starts with none,
    and that exit restarts the container at once (a new entry of 10 s, which the next exit
    waits out). Restart counts go on either way."""
    starts, backoffs, counts = [], [], []
    for rebooted in (False, True):
        k = cluster()
        k.fail_image("app:1", after=2)
        k.apply(pod("app:1"))
        k.run(until=40)         # c0 exited at 8 s (restarted at once), 10 s and 22 s
        k.fail_node("node-1")
        k.run(until=60)
        k.recover_node("node-1", rebooted=rebooted)
        k.run(until=70)         # c0 starts again at 61 s (its image is there) and exits at 63 s
        starts.append([t for t in times(k, "Started", "c0") if t > 60])
        stored = k.get("Pod", "default", "p")
        backoffs.append(k.kubelet.backing_off(stored)["c0"])
        counts.append(k.kubelet.restarts(stored)["c0"].count)
    assert starts == [[61.0], [61.0, 63.0]]
    # cut off: the entry of 20 s (moved on at 20 s) holds the exit at 63 s; rebooted: the
    # exit at 63 s made a new entry, and the one at 65 s waits its 10 s
    assert backoffs == [(20.0, 83.0), (10.0, 75.0)]
    # a restart counts when its new container starts (restartCount: the last one's + 1)
    assert counts == [3, 4]


def test_a_rebooted_node_starts_its_image_pull_back_off_over():
    """The pull back-off (``imageBackOff``) is the kubelet's too: after a cut network the
    pod waits out the back-off it was in and the next one doubles; after a reboot it pulls at
    once and a failure backs off 10 s again."""
    pulls = []
    for rebooted in (False, True):
        k = cluster()
        k.fail_pull("app:1")
        k.apply(pod("app:1"))
        k.run(until=100)        # each pull fails 5 s after it began, at 0, 15, 40 and 85 s
        k.fail_node("node-1")
        k.run(until=120)
        k.recover_node("node-1", rebooted=rebooted)
        k.run(until=340)
        pulls.append([e.time for e in k.events.where(object="pod/p", reason="Pulling")
                      if e.time >= 120][:2])
    assert pulls == [[170.0, 335.0], [120.0, 135.0]]
