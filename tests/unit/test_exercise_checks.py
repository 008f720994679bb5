"""Typical wrong answers get the hint meant for them."""

from __future__ import annotations

import pytest

from clustersim.exercises.drf import check_dominant_shares, check_weights
from clustersim.exercises.fit import check_copies, check_scarce_resource
from clustersim.exercises.manifests import check_fixed_deployment, check_ssd_only_stack


@pytest.mark.parametrize(("answer", "hint"), [
    (12, "three quarters of a core"),      # took 750m for half a core
    (16, "more than the node has"),        # counted memory as 24 Gi
    (6, "smaller"),                        # neither limit
    (8.5, "whole number"),
    (True, "whole number"),
])
def test_copies_hints(answer: object, hint: str) -> None:
    result = check_copies(answer)
    assert not result and hint in result.message + result.hint


def test_scarce_resource_hints() -> None:
    assert "Count copies by CPU" in check_scarce_resource("cpu").hint
    assert '"cpu" or "memory"' in check_scarce_resource("disk").hint
    assert "not answered yet" in check_scarce_resource(None).message
    assert check_scarce_resource(" Memory ")


@pytest.mark.parametrize(("answer", "hint"), [
    ({"X": 1 / 3, "Y": "1/3", "next": "Y"}, "larger of the two fractions"),  # X's CPU share
    ({"X": 0.45, "Y": "1/3", "next": "Y"}, "larger of the two fractions"),   # not close enough
    ({"X": "1/2", "Y": "1/12", "next": "Y"}, "larger of the two fractions"),  # Y's memory share
    ({"X": "1/2", "Y": "1/3", "next": "X"}, "lowest dominant share"),
    ({"X": "half", "Y": "1/3", "next": "Y"}, "fraction in quotes"),
    ({"X": "1/2"}, "keys 'X', 'Y' and 'next'"),
])
def test_dominant_share_hints(answer: dict, hint: str) -> None:
    result = check_dominant_shares(answer)
    assert not result and hint in result.message + result.hint
    assert check_dominant_shares({"X": 0.5, "Y": "1/3", "next": "Y"})
    assert check_dominant_shares({"X": 0.5, "Y": 0.333, "next": "Y"})  # rounded is fine


def test_weight_hints() -> None:
    assert "proportional to the weights" in check_weights(3).hint   # the lab's 1:3
    assert "positive weight" in check_weights(-1).message
    assert check_weights("5") and "not a number" in check_weights("five").message


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: CPU, memory: 256Mi}
"""


def test_fixed_deployment_hints() -> None:
    assert check_fixed_deployment(DEPLOYMENT.replace("CPU", "250m"))
    too_big = check_fixed_deployment(DEPLOYMENT.replace("CPU", "8"))
    assert not too_big and "4 CPUs each" in too_big.hint and "Insufficient cpu" in too_big.message
    assert "field path" in check_fixed_deployment(DEPLOYMENT.replace("CPU", "lots")).hint
    assert "keeps 2" in check_fixed_deployment(
        DEPLOYMENT.replace("CPU", "500m").replace("replicas: 2", "replicas: 1")).message
    wrong_labels = DEPLOYMENT.replace("CPU", "500m").replace(
        "labels: {app: web}", "labels: {app: x}")
    assert "matchLabels must equal labels" in check_fixed_deployment(wrong_labels).hint
    assert "one Deployment named 'web'" in check_fixed_deployment(
        DEPLOYMENT.replace("CPU", "1").replace("{name: web}", "{name: other}")).message


def test_ssd_stack_hints() -> None:
    base = "services:\n  db:\n    image: postgres:16\n    deploy:\n      replicas: 3\n"
    assert "placement constraints" in check_ssd_only_stack(base).hint
    wrong_label = base + "      placement:\n        constraints: [node.labels.disk != ssd]\n"
    assert "label's name and value" in check_ssd_only_stack(wrong_label).hint
    wrong_operator = base + "      placement:\n        constraints: [node.labels.ssd = true]\n"
    assert "does not deploy" in check_ssd_only_stack(wrong_operator).message
    assert "expected 3" in check_ssd_only_stack(base.replace("replicas: 3", "replicas: 2")).message
    assert "not a Compose" in check_ssd_only_stack('{"id": "/db", "cmd": "sleep 1"}').message
