"""Images no registry serves in Swarm (``SwarmCluster.fail_pull``, or a registry under the
reserved domain ``.invalid``): the node cannot create
the container, "No such image: <reference>" as moby's ``ErrImageDoesNotExist`` names it
(``TagNameOnly`` then ``FamiliarString``), and the task is REJECTED at ``preparing``."""

from __future__ import annotations

from itertools import pairwise

import pytest

from clustersim import Node
from clustersim.imageref import familiar_tagged, unresolvable
from clustersim.swarm import SwarmCluster

DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(("text", "named"), [
    # distribution/reference's TestParseNormalizedNamed and TestTagNameOnly inputs, as
    # FamiliarString writes the normalized, tagged reference back
    ("llama", "llama:latest"),
    ("llama:7b", "llama:7b"),
    ("docker.io/library/llama:7b", "llama:7b"),
    ("docker.io/llama", "llama:latest"),
    ("myregistry.com/models/llama:7b", "myregistry.com/models/llama:7b"),
    ("localhost/models/llama:7b", "localhost/models/llama:7b"),
    (f"llama@{DIGEST}", f"llama@{DIGEST}"),
    ("192.168.1.1:5000/models/llama", "192.168.1.1:5000/models/llama:latest"),
    ("MyRegistry/models/llama", "MyRegistry/models/llama:latest"),
    ("docker.io/myorg/mymodel:v1.0", "myorg/mymodel:v1.0"),
])
def test_the_daemon_s_name_of_a_reference(text: str, named: str) -> None:
    assert familiar_tagged(text) == named


def cluster_with(image: str, unpullable: str) -> SwarmCluster:
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"), Node("w", 4, "8Gi")], seed=0)
    cluster.fail_pull(unpullable)
    cluster.deploy_stack("s", {"services": {"web": {"image": image}}})
    return cluster


@pytest.mark.parametrize(("image", "unpullable", "named"), [
    ("nginx:1.99", "nginx:1.99", "nginx:1.99"),
    ("nginx", "docker.io/library/nginx:latest", "nginx:latest"),   # one image, two spellings
])
def test_a_task_of_an_image_no_registry_serves_is_rejected_and_retried(
        image: str, unpullable: str, named: str) -> None:
    cluster = cluster_with(image, unpullable)
    cluster.run(until=20)
    rejected = [t for t in cluster.tasks("s_web", history=True) if t.state == "rejected"]
    assert len(rejected) >= 2      # the restart policy (any, 5 s) tries again
    assert {(t.message, t.err) for t in rejected} == {("preparing", f"No such image: {named}")}
    assert not any(t.state == "running" for t in cluster.tasks("s_web", history=True))


@pytest.mark.parametrize("delay", [5, 12])
def test_a_task_rejected_while_its_start_is_delayed_is_replaced_after_the_delay(
        delay: int) -> None:
    """swarmkit ``manager/orchestrator/restart/restart.go``, ``Restart``: a task that ends
    while its own restart delay runs waits for it (``waitRestart``) instead of being replaced
    at once, so an image that does not exist costs one task per delay, not one per pull."""
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"), Node("w", 4, "8Gi")], seed=0)
    cluster.deploy_stack("s", {"services": {"web": {
        "image": "nonexistent.invalid/web:1",
        "deploy": {"restart_policy": {"delay": f"{delay}s"}}}}})
    cluster.run(until=60)
    created = [event.time for event in cluster.events.where(reason="Restart")]
    gaps = [later - earlier for earlier, later in pairwise(created)]
    assert gaps and all(abs(gap - delay) < 0.5 for gap in gaps)
    assert len(created) <= 60 / delay + 1


def test_other_images_run_and_a_restored_one_runs_again() -> None:
    cluster = cluster_with("nginx:1.27", "nginx:1.99")
    cluster.run(until=10)
    assert [t.state for t in cluster.tasks("s_web")] == ["running"]
    stuck = cluster_with("nginx:1.99", "nginx:1.99")
    stuck.run(until=10)
    stuck.restore_pull("nginx:1.99")
    stuck.run(until=30)
    assert [t.state for t in stuck.tasks("s_web")] == ["running"]


@pytest.mark.parametrize(("text", "cannot"), [
    ("nonexistent.invalid/web:1", True),
    ("registry.invalid:5000/shop/api", True),
    ("REGISTRY.Invalid/shop/api", True),
    ("invalid:5000/web", True),             # the top-level domain itself, with a port
    ("invalid/web", False),                 # no dot nor port: Docker Hub's invalid/web
    ("invalid.example.com/web", False),     # a name inside another domain
    ("nginx:1.99", False),
    ("[::1]:5000/web", False),
])
def test_a_registry_under_the_reserved_invalid_domain_cannot_resolve(text: str,
                                                                     cannot: bool) -> None:
    """RFC 6761 section 6.4: names in ``invalid.`` never resolve; the registry is the first
    component only when ``splitDockerDomain`` takes it for a domain (a dot or a port)."""
    assert unresolvable(text) is cannot


def test_a_stack_with_such_an_image_is_rejected_without_fail_pull() -> None:
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"), Node("w", 4, "8Gi")], seed=0)
    cluster.deploy_stack("s", {"services": {"web": {"image": "nonexistent.invalid/web"}}})
    cluster.run(until=20)
    tasks = cluster.tasks("s_web", history=True)
    assert {t.err for t in tasks if t.state == "rejected"} == {
        "No such image: nonexistent.invalid/web:latest"}
    assert not any(t.state == "running" for t in tasks)
