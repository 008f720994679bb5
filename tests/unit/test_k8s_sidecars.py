"""Native sidecar containers (init containers with restartPolicy: Always, KEP-753): start
order, readiness, and stop order after the app containers, as the Sidecar Containers page
and pkg/kubelet/kuberuntime/kuberuntime_termination_order.go describe."""

from __future__ import annotations

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, Timing
from clustersim.kubernetes.containerref import container_named
from clustersim.kubernetes.eventcorrelator import EventCorrelator


def pod(restart_policy="Always", sidecar_startup=None, sidecar_ready=None, annotations=None):
    proxy = {"name": "proxy", "image": "envoy:1.31", "restartPolicy": "Always"}
    if sidecar_startup:
        proxy["startupProbe"] = {"httpGet": {"path": "/ready", "port": 15021},
                                 "periodSeconds": sidecar_startup,
                                 "initialDelaySeconds": sidecar_startup}
    if sidecar_ready:
        proxy["readinessProbe"] = {"httpGet": {"path": "/ready", "port": 15021},
                                   "periodSeconds": sidecar_ready,
                                   "initialDelaySeconds": sidecar_ready}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "app", "annotations": annotations or {}},
            "spec": {"restartPolicy": restart_policy,
                     "initContainers": [
                         {"name": "migrate", "image": "app:1.0"},
                         proxy,
                         {"name": "logs", "image": "fluent-bit:3.1", "restartPolicy": "Always"},
                     ],
                     "containers": [{"name": "main", "image": "app:1.0"}]}}


def started(cluster):
    """(time, container) of each ``Started`` event: the field path names the container."""
    return [(e.time, container_named(e.field_path))
            for e in cluster.events.where(reason="Started")]


def killed(cluster):
    return [(round(e.time, 3), container_named(e.field_path))
            for e in cluster.events.where(reason="Killing")]


def cluster():
    return KubernetesCluster(Node.many(1, "node", cpu="4", memory="8Gi"), seed=0,
                             timing=Timing(image_pull_seconds=5, init_container_seconds=2))


def test_start_order_waits_for_each_init_container_and_sidecar_startup_probe():
    c = cluster()
    c.apply(pod(sidecar_startup=10))
    c.run(until=60)
    # each image is pulled (5 s) just before its container starts (1 s later): migrate at
    # 6 s runs 2 s; proxy pulled from 8 s, started at 14 s, its startup probe passes after
    # 10 s; logs pulled from 24 s, started at 30 s; main's app:1.0 is on the node already
    assert started(c) == [(6.0, "migrate"), (14.0, "proxy"), (30.0, "logs"), (31.0, "main")]
    # the kubelet's events, one container after the other (startContainer pulls first)
    # (reason, the container its field path names, the image its message quotes)
    assert [(e.reason, container_named(e.field_path), "".join(e.message.split('"')[1:2]))
            for e in c.events.where(object="pod/app")
            if e.reason in ("Pulling", "Pulled", "Created", "Started")] == [
        ("Pulling", "migrate", "app:1.0"), ("Pulled", "migrate", "app:1.0"),
        ("Created", "migrate", ""), ("Started", "migrate", ""),
        ("Pulling", "proxy", "envoy:1.31"), ("Pulled", "proxy", "envoy:1.31"),
        ("Created", "proxy", ""), ("Started", "proxy", ""),
        ("Pulling", "logs", "fluent-bit:3.1"), ("Pulled", "logs", "fluent-bit:3.1"),
        ("Created", "logs", ""), ("Started", "logs", ""),
        ("Pulled", "main", "app:1.0"), ("Created", "main", ""), ("Started", "main", "")]


def test_init_progress_shows_in_the_status_column():
    c = cluster()
    c.apply(pod(sidecar_startup=10))
    c.run(until=20)
    assert c.pods()[0].reason == "Init:1/3"
    c.run(until=60)
    assert (c.pods()[0].reason, c.pods()[0].phase) == ("", "Running")


def test_sidecar_readiness_counts_for_the_pod():
    c = cluster()
    c.apply(pod(sidecar_ready=30))
    c.run(until=40)
    assert not c.pods()[0].ready             # proxy started at 18 s, ready at 48 s
    c.run(until=50)
    assert c.pods()[0].ready


def test_deletion_stops_main_first_then_sidecars_in_reverse_order():
    c = cluster()
    c.apply(pod())
    c.run(until=60)
    c.delete("pod", "app")
    c.run(until=120)
    assert [name for _, name in killed(c)] == ["main", "logs", "proxy"]
    times = [t for t, _ in killed(c)]
    assert times[0] < times[1] < times[2]
    assert c.pods() == []


def test_job_pod_completes_when_main_exits_and_sidecars_are_stopped():
    c = cluster()
    c.apply(pod(restart_policy="Never", annotations={"clustersim.io/run-seconds": "20"}))
    c.run(until=200)
    [row] = c.pods()
    assert (row.phase, row.reason) == ("Succeeded", "Completed")
    assert [name for _, name in killed(c)] == ["logs", "proxy"]


def row(cluster):
    [p] = cluster.pods()
    return p.phase, p.ready, p.reason


def test_a_sidecar_with_a_broken_image_crash_loops_on_its_own_back_off():
    """A sidecar that exits is restarted as an app container is (``SyncPod``'s ``start``
    calls ``doBackOff`` for init containers too): at once after its first exit, then after
    10 s, 20 s, 40 s, counting its restarts; while it backs off the Pod's STATUS is
    ``Init:CrashLoopBackOff`` (``printPod``) and it is not Ready (the sidecar's readiness
    counts), the init container after it and the app container start and run on."""
    c = cluster()
    # the kubelet's spam filter (25 events about a Pod, then one per 5 minutes) would
    # drop the later events whose times this test reads: every one is written
    c.correlator = EventCorrelator(burst=10**6)
    c.fail_image("envoy:1.31", after=3)
    c.apply(pod())      # proxy starts at 14 s, exits at 17 s (restarted at once) and 20 s
    c.run(until=20.5)
    stored = c.get("Pod", "default", "app")
    assert c.kubelet.backing_off(stored) == {"proxy": (10.0, 30.0)}
    assert row(c) == ("Pending", False, "Init:CrashLoopBackOff")    # logs started at 20 s
    c.run(until=25)
    assert row(c) == ("Running", False, "Init:CrashLoopBackOff")    # main started at 21 s
    c.run(until=31)
    assert row(c) == ("Running", True, "")
    c.run(until=100)
    assert [t for t, name in started(c) if name == "proxy"] == [14.0, 17.0, 30.0, 53.0, 96.0]
    assert [e.time for e in c.events.where(object="pod/app", reason="BackOff")
            if container_named(e.field_path) == "proxy"] == [20.0, 33.0, 56.0, 99.0]
    assert [name for _, name in started(c) if name != "proxy"] == ["migrate", "logs", "main"]
    proxy = c.kubelet.restarts(stored)["proxy"]
    assert (proxy.count, proxy.exit_code, proxy.finished_at) == (4, 1, 99.0)   # 5 starts
    assert "main" not in c.kubelet.restarts(stored)


def test_a_job_pods_sidecar_restarts_and_is_not_stopped_while_it_backs_off():
    """A sidecar is restarted whatever the Pod's ``restartPolicy`` (its own is ``Always``);
    when the Job's app container finishes, only the sidecars that run are stopped (one
    backing off is not running), and the Pod completes."""
    c = cluster()
    c.fail_image("envoy:1.31", after=3)
    c.apply(pod(restart_policy="Never", annotations={"clustersim.io/run-seconds": "40"}))
    c.run(until=300)    # main runs from 21 s to 61 s; proxy backs off from 56 s to 136 s
    assert row(c) == ("Succeeded", False, "Completed")
    assert [t for t, name in started(c) if name == "proxy"] == [14.0, 17.0, 30.0, 53.0]
    assert killed(c) == [(61.0, "logs")]


def test_a_sidecar_that_crashes_before_its_startup_probe_passes_holds_the_next_ones():
    """``computeInitContainerActions`` starts the init container after a sidecar only once
    the sidecar runs and its startup probe has succeeded; one that exited is restarted under
    its back-off and the next one waits: a proxy that exits 3 s after each start never gets
    to its 10 s startup probe, so neither logs nor main ever start."""
    c = cluster()
    c.fail_image("envoy:1.31", after=3)
    c.apply(pod(sidecar_startup=10))
    c.run(until=120)
    assert [t for t, name in started(c) if name != "proxy"] == [6.0]      # migrate only
    assert [t for t, name in started(c) if name == "proxy"] == [14.0, 17.0, 30.0, 53.0, 96.0]
    assert row(c) == ("Pending", False, "Init:CrashLoopBackOff")


def test_a_sidecar_whose_later_run_passes_its_startup_probe_lets_the_next_ones_start():
    """The held start goes on from the restart whose run lives long enough: while the proxy
    backs off its image comes to run 15 s, so its run from 30 s passes the probe at 40 s
    (it exits at 45 s), then logs is pulled (5 s) and started at 46 s and main at 47 s."""
    c = cluster()
    c.fail_image("envoy:1.31", after=3)
    c.apply(pod(sidecar_startup=10))
    c.run(until=25)
    c.fail_image("envoy:1.31", after=15)
    c.run(until=60)
    assert [(t, name) for t, name in started(c) if name in ("logs", "main")] == [
        (46.0, "logs"), (47.0, "main")]
    assert row(c)[:1] == ("Running",)
