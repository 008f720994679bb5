"""A running Pod's new image (a Pod update): the kubelet kills the changed containers and
starts them again one at a time, each pulling its image just before it is created and
started, whatever the restart policy (``computePodActions`` and
``computeInitContainerActions`` in kubernetes/kubernetes ``pkg/kubelet/kuberuntime/``); the
restarted containers run as a fresh start does: the old waiting reason goes, the exit plan
starts over. A Pod still backing off a failed pull pulls its new image at once (the back-off
is per pod and image, ``pkg/kubelet/images/image_manager.go``)."""

from __future__ import annotations

import copy
from typing import Any

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.containerref import container_named
from clustersim.kubernetes.eventcorrelator import EventCorrelator
from clustersim.kubernetes.imagemanager import image_size
from clustersim.manifests.kubernetes_annotations import RUN_SECONDS


def pulled(image: str) -> str:
    """The kubelet's ``Pulled`` message for a 5 s pull of ``image``."""
    return (f'Successfully pulled image "{image}" in 5s (5s including waiting). '
            f"Image size: {image_size(image)} bytes.")


def pod(*images: str, restart: str = "Always", annotations: dict[str, str] | None = None,
        inits: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "p"}
    if annotations:
        meta["annotations"] = annotations
    spec: dict[str, Any] = {"restartPolicy": restart, "containers": [
        {"name": f"c{i}", "image": image} for i, image in enumerate(images)]}
    if inits:
        spec["initContainers"] = inits
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def cluster() -> KubernetesCluster:
    return KubernetesCluster(Node.many(1, "node", cpu="4", memory="8Gi"), seed=1)


def pod_events(k: KubernetesCluster) -> list[tuple[str, str, str]]:
    """(reason, message, container its field path names) of each event about Pod ``p``."""
    return [(e.reason, e.message, container_named(e.field_path))
            for e in k.events.where(object="pod/p")]


def restarts(k: KubernetesCluster) -> dict[str, int]:
    """Each container of Pod ``p`` that restarted: its restartCount."""
    return {name: r.count for name, r in k.kubelet.restarts(k.get("Pod", "default", "p")).items()}


def row(k: KubernetesCluster) -> tuple[str, bool, str]:
    [p] = k.pods()
    return p.phase, p.ready, p.reason


def test_a_fixed_image_ends_the_crash_loop():
    k = cluster()
    k.fail_image("app:1")
    k.apply(pod("app:1"))
    k.run(until=60)
    assert row(k) == ("Running", False, "CrashLoopBackOff")
    k.apply(pod("app:2"))
    k.run(until=200)
    assert row(k) == ("Running", True, "")


def test_a_fixed_image_ends_the_pull_back_off_of_a_running_pod():
    k = cluster()
    k.apply(pod("app:1"))
    k.run(until=30)
    k.fail_pull("app:bad")
    k.apply(pod("app:bad"))
    k.run(until=80)
    assert row(k) == ("Running", False, "ImagePullBackOff")
    k.apply(pod("app:1"))
    k.run(until=200)
    assert row(k) == ("Running", True, "")


def test_a_pod_meant_to_finish_still_finishes_after_an_image_change():
    k = cluster()
    k.apply(pod("app:1", restart="Never", annotations={RUN_SECONDS: "40"}))
    k.run(until=10)
    assert row(k)[0] == "Running"
    k.apply(pod("app:2", restart="Never", annotations={RUN_SECONDS: "40"}))
    k.run(until=30)
    assert row(k) == ("Running", True, "")      # killed, pulled, started again at 16.2 s
    k.run(until=55)
    assert row(k)[0] == "Running"               # its 40 s run start over at the restart
    k.run(until=60)
    assert row(k) == ("Succeeded", False, "Completed")


def test_a_broken_new_image_crash_loops():
    k = cluster()
    k.apply(pod("app:1"))
    k.run(until=30)
    k.fail_image("app:2")
    k.apply(pod("app:2"))
    k.run(until=300)
    assert row(k) == ("Running", False, "CrashLoopBackOff")
    assert restarts(k)["c0"] > 2


def test_changed_containers_restart_one_after_another():
    k = cluster()
    k.apply(pod("a:1", "b:1"))
    k.run(until=30)
    k.apply(pod("a:2", "b:2"))
    k.run(until=60)
    events = pod_events(k)
    killed = events.index(("Killing", "Container c1 definition changed, will be restarted",
                           "c1"))
    assert events[killed - 1:] == [
        ("Killing", "Container c0 definition changed, will be restarted", "c0"),
        ("Killing", "Container c1 definition changed, will be restarted", "c1"),
        ("Pulling", 'Pulling image "a:2"', "c0"),
        ("Pulled", pulled("a:2"), "c0"),
        ("Created", "Container created", "c0"), ("Started", "Container started", "c0"),
        ("Pulling", 'Pulling image "b:2"', "c1"),
        ("Pulled", pulled("b:2"), "c1"),
        ("Created", "Container created", "c1"), ("Started", "Container started", "c1")]
    assert row(k) == ("Running", True, "")


def test_a_pending_pods_fixed_image_is_pulled_at_once():
    k = cluster()
    k.fail_pull("app:bad")
    k.apply(pod("app:bad"))
    k.run(until=1200)
    assert row(k) == ("Pending", False, "ImagePullBackOff")
    k.apply(pod("app:1"))
    k.run(until=1206.5)                     # pull 5 s, start 1 s: no wait for the back-off
    assert row(k) == ("Running", True, "")
    pulls = [e.message for e in k.events.where(reason="Pulling")]
    assert pulls[-1] == 'Pulling image "app:1"' and pulls.count('Pulling image "app:1"') == 1


SIDECAR = {"name": "proxy", "image": "envoy:1", "restartPolicy": "Always"}
MIGRATE = {"name": "migrate", "image": "migrate:1"}


def test_a_sidecars_new_image_restarts_it_and_a_completed_init_container_is_left():
    k = cluster()
    manifest = pod("app:1", inits=[MIGRATE, SIDECAR])
    k.apply(manifest)
    k.run(until=60)
    changed = copy.deepcopy(manifest)
    changed["spec"]["initContainers"][0]["image"] = "migrate:2"
    changed["spec"]["initContainers"][1]["image"] = "envoy:2"
    k.apply(changed)
    k.run(until=120)
    events = pod_events(k)
    killed = events.index(("Killing", "Init container proxy definition changed", "proxy"))
    assert events[killed + 1:] == [
        ("Pulling", 'Pulling image "envoy:2"', "proxy"),
        ("Pulled", pulled("envoy:2"), "proxy"),
        ("Created", "Container created", "proxy"), ("Started", "Container started", "proxy")]
    assert row(k) == ("Running", True, "")
    assert k.kubelet.ran_images(k.get("Pod", "default", "p")) == {
        "migrate": "migrate:1", "proxy": "envoy:2", "c0": "app:1"}


def test_a_crash_looping_containers_new_image_starts_it_at_once_and_its_sibling_on_its_own():
    """A new image of one container backing off started every container backing off at once;
    upstream the back-off is kept per container definition (``getStableKey``): the changed
    one starts at once, its unchanged sibling when its own back-off ends."""
    k = cluster()
    # the kubelet's spam filter (25 events about a Pod, then one per 5 minutes) would
    # drop the later events whose times this test reads: every one is written
    k.correlator = EventCorrelator(burst=10**6)
    k.apply(pod("app:1", "log:1", annotations={RUN_SECONDS: "5"}))
    k.run(until=45)         # both exited at 37 s, backing off 20 s
    stored = k.get("Pod", "default", "p")
    assert row(k)[2] == "CrashLoopBackOff"
    assert k.kubelet.backing_off(stored).keys() == {"c0", "c1"}
    before = restarts(k)
    assert before["c0"] == before["c1"] > 1          # both exit each run: both count
    k.apply(pod("app:2", "log:1"))
    k.run(until=52)
    events = pod_events(k)
    assert not any(reason == "Killing" for reason, _, _ in events)
    assert events[-4:] == [
        ("Pulling", 'Pulling image "app:2"', "c0"),
        ("Pulled", pulled("app:2"), "c0"),
        ("Created", "Container created", "c0"), ("Started", "Container started", "c0")]
    assert k.kubelet.backing_off(stored).keys() == {"c1"}
    assert k.kubelet.container_ready(stored, "c0") and row(k) == (
        "Running", False, "CrashLoopBackOff")
    k.run(until=90)
    assert [e.time for e in k.events.where(object="pod/p", reason="Started")
            if container_named(e.field_path) == "c1"][-1] == 57.0
    assert row(k) == ("Running", True, "")
    # each started one new container since: one more restart each
    assert restarts(k) == {name: count + 1 for name, count in before.items()}


def test_only_the_container_with_a_broken_image_crashes_and_counts_restarts():
    """A broken image crashed every container of its Pod, and each counted the restart:
    the kubelet restarts and counts only the container that exited (its
    ``containerStatuses[].restartCount``); its sibling keeps running and ready."""
    k = cluster()
    k.fail_image("app:1")
    k.apply(pod("app:1", "log:1"))
    k.run(until=60)
    stored = k.get("Pod", "default", "p")
    assert row(k)[2] == "CrashLoopBackOff" and restarts(k).keys() == {"c0"}
    assert k.kubelet.backing_off(stored).keys() == {"c0"}
    assert k.kubelet.container_ready(stored, "c1")
    assert {c for r, _, c in pod_events(k) if r in ("BackOff", "Started")} == {"c0", "c1"}
    assert [c for r, _, c in pod_events(k) if r == "Started"].count("c1") == 1
    assert {c for r, _, c in pod_events(k) if r == "BackOff"} == {"c0"}
    k.apply(pod("app:2", "log:1"))                  # only the crashed one starts again
    k.run(until=90)
    assert [c for r, _, c in pod_events(k) if r == "Started"].count("c1") == 1
    assert row(k) == ("Running", True, "")


def test_an_image_change_counts_a_restart_of_the_changed_containers_only():
    """Every container of a Pod counted a restart when one container's image changed
    (RESTARTS added them up); upstream only the killed container restarts."""
    k = cluster()
    k.apply(pod("a:1", "b:1", inits=[SIDECAR]))
    k.run(until=30)
    k.apply(pod("a:2", "b:1", inits=[SIDECAR]))
    k.run(until=60)
    assert restarts(k) == {"c0": 1}
    last = k.kubelet.restarts(k.get("Pod", "default", "p"))["c0"]
    assert last.exit_code == 0 and last.started_at < 30 < last.finished_at
    changed = {**SIDECAR, "image": "envoy:2"}
    k.apply(pod("a:2", "b:1", inits=[changed]))
    k.run(until=90)
    assert restarts(k) == {"c0": 1, "proxy": 1} and row(k) == ("Running", True, "")


def test_a_siblings_new_image_keeps_a_failed_pull_retrying():
    """A container backing off a failed pull stopped retrying once its sibling got a new
    image (its retry belonged to the kubelet's old round of work); upstream each sync starts
    every container that is not running (``computePodActions``), and ``EnsureImageExists``
    pulls again once the pod's back-off for that image has passed: the pull is retried
    within the 300 s cap and the container starts once the registry serves the image."""
    k = cluster()
    # the kubelet's spam filter (25 events about a Pod, then one per 5 minutes) would
    # drop the later events whose times this test reads: every one is written
    k.correlator = EventCorrelator(burst=10**6)
    k.apply(pod("app:1", "log:1"))
    k.run(until=30)
    k.fail_pull("app:bad")
    k.apply(pod("app:bad", "log:1"))
    k.run(until=80)
    assert row(k) == ("Running", False, "ImagePullBackOff")
    k.apply(pod("app:bad", "log:2"))
    k.run(until=120)
    k.restore_pull("app:bad")
    k.run(until=1200)
    pulls = [e.time for e in k.events.where(object="pod/p", reason="Pulling")
             if container_named(e.field_path) == "c0"]
    assert 120 < pulls[-1] <= 120 + 300
    assert row(k) == ("Running", True, "")
    assert k.kubelet.waiting_reasons(k.get("Pod", "default", "p")) == {}


def test_a_siblings_new_image_tries_a_missing_config_again():
    """A container waiting for a missing ConfigMap tries again at the sync after its
    sibling's new image (``startContainer`` of every container not running), and starts
    once the ConfigMap exists."""
    k = cluster()
    settings = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
                "data": {"a": "1"}}
    k.apply(settings)
    manifest = pod("app:1", "log:1")
    manifest["spec"]["containers"][0]["envFrom"] = [{"configMapRef": {"name": "settings"}}]
    k.apply(manifest)
    k.run(until=30)
    k.delete("ConfigMap", "settings")
    manifest["spec"]["containers"][0]["image"] = "app:2"
    k.apply(copy.deepcopy(manifest))
    k.run(until=60)
    assert row(k) == ("Running", False, "CreateContainerConfigError")
    manifest["spec"]["containers"][1]["image"] = "log:2"
    k.apply(copy.deepcopy(manifest))
    k.run(until=70)
    k.apply(settings)
    k.run(until=400)
    assert row(k) == ("Running", True, "")
