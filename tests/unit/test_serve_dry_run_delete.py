"""What a dry-run DELETE answers (``kubectl delete --dry-run=server``; ``Store.Delete`` in
k8s.io/apiserver ``pkg/registry/generic/registry/store.go``): a deletion that would keep the
object (graceful, or held by finalizers) answers the object as that update writes it, with
its ``deletionTimestamp``; one that would remove it answers what ``finalizeDelete`` answers,
the object for a kind whose registry returns it, else a Status of success. The served API
had answered every dry-run DELETE with the object as it was. Raw HTTP: kubectl prints only
``... deleted (server dry run)``."""

from __future__ import annotations

import pytest

from clustersim.kubernetes.controllers.cronjob import EPOCH
from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer

NS = "/api/v1/namespaces/default"
DRY = "?dryRun=All"


@pytest.fixture
def server():
    with serve("kubernetes", nodes=1, speed=0, epoch=EPOCH.timestamp()) as server:
        yield server


def _create(server, path: str, obj: dict) -> dict:
    code, made = _answer(server, "POST", path, obj)
    assert code == 201, made
    return made


def test_a_dry_run_delete_of_an_object_with_a_finalizer_answers_it_marked_deleted(server):
    made = _create(server, f"{NS}/configmaps", {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "held", "finalizers": ["example.com/keep"]}})
    code, answer = _answer(server, "DELETE", f"{NS}/configmaps/held{DRY}")
    assert code == 200 and answer["kind"] == "ConfigMap"
    assert answer["metadata"]["deletionTimestamp"] == server.backend.renderer.timestamp(
        server.cluster.now)
    assert answer["metadata"]["deletionGracePeriodSeconds"] == 0
    assert answer["metadata"]["resourceVersion"] == made["metadata"]["resourceVersion"]
    assert "deletionTimestamp" not in _answer(server, "GET", f"{NS}/configmaps/held")[1][
        "metadata"]


def test_a_dry_run_delete_of_a_kind_that_answers_a_status_answers_one(server):
    made = _create(server, f"{NS}/configmaps", {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "plain"}})
    code, answer = _answer(server, "DELETE", f"{NS}/configmaps/plain{DRY}")
    assert (code, answer["kind"], answer["status"]) == (200, "Status", "Success")
    assert answer["details"] == {"name": "plain", "kind": "configmaps",
                                 "uid": made["metadata"]["uid"]}
    assert _answer(server, "GET", f"{NS}/configmaps/plain")[0] == 200


def test_a_dry_run_delete_of_a_running_pod_answers_its_graceful_deletion(server):
    _create(server, f"{NS}/pods", {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
        "spec": {"terminationGracePeriodSeconds": 45,
                 "containers": [{"name": "web", "image": "nginx:1.27"}]}})
    server.step(20)
    code, answer = _answer(server, "DELETE", f"{NS}/pods/web{DRY}")
    assert code == 200 and answer["kind"] == "Pod"
    assert answer["metadata"]["deletionGracePeriodSeconds"] == 45
    assert answer["metadata"]["deletionTimestamp"] == server.backend.renderer.timestamp(
        server.cluster.now + 45)
    assert "deletionTimestamp" not in _answer(server, "GET", f"{NS}/pods/web")[1]["metadata"]


def test_a_dry_run_delete_of_a_namespace_answers_it_terminating(server):
    _create(server, "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                           "metadata": {"name": "team"}})
    code, answer = _answer(server, "DELETE", f"/api/v1/namespaces/team{DRY}")
    assert code == 200 and answer["status"]["phase"] == "Terminating"
    assert "deletionTimestamp" in answer["metadata"]
    kept = _answer(server, "GET", "/api/v1/namespaces/team")[1]
    assert kept["status"]["phase"] == "Active" and "deletionTimestamp" not in kept["metadata"]
