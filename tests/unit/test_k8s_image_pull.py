"""ErrImagePull and ImagePullBackOff: the kubelet's image-pull back-off (10 s doubling to 300 s,
pkg/kubelet/images/image_manager.go with backOffPeriod and MaxContainerBackOff) and its events."""

from __future__ import annotations

import itertools

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, Timing
from clustersim.kubernetes.imagemanager import image_size


def pod():
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": "shop/web:2.0.3"}]}}


def cluster():
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0,
                          timing=Timing(image_pull_seconds=5))
    c.fail_pull("shop/web:2.0.3")
    return c


def test_pull_failure_events_and_status():
    c = cluster()
    c.apply(pod())
    c.run(until=5.5)
    assert c.pods()[0].reason == "ErrImagePull"
    messages = [(e.reason, e.message) for e in c.events.where(reason="Failed")]
    assert messages == [
        ("Failed", 'Failed to pull image "shop/web:2.0.3": rpc error: code = NotFound desc = '
                   'failed to pull and unpack image "shop/web:2.0.3": not found'),
        ("Failed", "Error: ErrImagePull")]
    c.run(until=7)
    assert c.pods()[0].reason == "ImagePullBackOff"
    [backoff] = c.events.where(reason="BackOff")
    assert backoff.message == 'Back-off pulling image "shop/web:2.0.3"'


def test_an_init_containers_failed_pull_is_the_pods_status_with_init_prefixed():
    """``printPod`` writes a waiting init container's reason as ``Init:`` and the reason
    (pkg/printers/internalversion/printers.go), and the init containers hold up the app
    container, whose own pull would succeed."""
    c = cluster()
    init = pod()
    init["spec"]["initContainers"] = [{"name": "migrate", "image": "shop/web:2.0.3"}]
    init["spec"]["containers"][0]["image"] = "shop/web:2.0.4"
    c.apply(init)
    c.run(until=5.5)
    assert c.pods()[0].reason == "Init:ErrImagePull"
    c.run(until=7)
    assert c.pods()[0].reason == "Init:ImagePullBackOff"
    c.restore_pull("shop/web:2.0.3")
    c.run(until=40)
    assert (c.pods()[0].phase, c.pods()[0].reason) == ("Running", "")


def test_back_off_doubles_up_to_five_minutes():
    c = cluster()
    c.apply(pod())
    c.run(until=2000)
    pulls = [e.time for e in c.events.where(reason="Pulling")]
    gaps = [round(b - a) for a, b in itertools.pairwise(pulls)]
    # each gap: 5 s pull + back-off 10, 20, 40, 80, 160, 300, 300...
    assert gaps[:7] == [15, 25, 45, 85, 165, 305, 305]


def test_restored_registry_lets_the_next_retry_start_the_pod():
    c = cluster()
    c.apply(pod())
    c.run(until=30)
    c.restore_pull("shop/web:2.0.3")
    c.run(until=80)
    [row] = c.pods()
    assert (row.phase, row.reason, row.ready) == ("Running", "", True)


def test_pulled_event_gives_the_time_as_go_writes_it_and_the_image_size():
    """EnsureImageExists (1.37): "Successfully pulled image %q in %v (%v including
    waiting). Image size: %v bytes.", the durations cut to milliseconds; a second Pod on the
    node finds the image there (KubeletEnsureSecretPulledImages' words)."""
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0,
                          timing=Timing(image_pull_seconds=0.7504))
    c.apply(pod())
    c.run(until=10)
    second = pod()
    second["metadata"]["name"] = "web2"
    c.apply(second)
    c.run(until=20)
    messages = [e.message for e in c.events.where(reason="Pulled")]
    size = image_size("shop/web:2.0.3")
    assert messages == [
        f'Successfully pulled image "shop/web:2.0.3" in 750ms (750ms including waiting). '
        f"Image size: {size} bytes.",
        'Container image "shop/web:2.0.3" already present on machine and can be accessed by '
        "the pod"]


def test_image_sizes_are_the_runtimes_bytes_one_per_image():
    sizes = {image: image_size(image) for image in ("nginx:1.27", "nginx:1.28", "busybox")}
    assert len(set(sizes.values())) == 3
    assert all(2_000_000 <= s <= 250_000_000 for s in sizes.values())
    assert image_size("nginx:1.27") == sizes["nginx:1.27"]
