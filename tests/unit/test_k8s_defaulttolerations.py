"""The ``DefaultTolerationSeconds`` admission plugin and the default tolerations Pods share.

Cases after kubernetes/kubernetes
``plugin/pkg/admission/defaulttolerationseconds/admission_test.go`` (``TestForgivenessAdmission``:
no toleration, one of the two keys tolerated already, a toleration of every key).
"""

from __future__ import annotations

import copy
import json
import pickle

import pytest
import yaml

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.defaulttolerations import DEFAULT_TOLERATIONS, add_default_tolerations
from clustersim.manifests.safe_yaml import copy_data

NOT_READY, UNREACHABLE = "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"


def default(key: str) -> dict:
    return {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}


OWN = {"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ([], [default(NOT_READY), default(UNREACHABLE)]),
        ([OWN], [OWN, default(NOT_READY), default(UNREACHABLE)]),
        ([{"key": NOT_READY, "operator": "Exists", "effect": "NoExecute",
           "tolerationSeconds": 60}],
         [{"key": NOT_READY, "operator": "Exists", "effect": "NoExecute",
           "tolerationSeconds": 60}, default(UNREACHABLE)]),
        ([{"key": UNREACHABLE, "operator": "Exists"}],
         [{"key": UNREACHABLE, "operator": "Exists"}, default(NOT_READY)]),
        ([{"operator": "Exists"}], [{"operator": "Exists"}]),
    ],
    ids=["none", "another key", "not-ready with its own seconds", "unreachable, any effect",
         "every key"],
)
def test_the_plugin_adds_what_the_pod_does_not_tolerate(given, want):
    spec = {"tolerations": copy.deepcopy(given)} if given else {}
    add_default_tolerations(spec)
    assert spec["tolerations"] == want
    assert (spec["tolerations"] is DEFAULT_TOLERATIONS) == (not given)


def test_the_shared_defaults_refuse_every_write():
    for write in (lambda t: t.append(OWN), lambda t: t.extend([OWN]), lambda t: t.pop(),
                  lambda t: t.__setitem__(0, OWN), lambda t: t.__delitem__(0),
                  lambda t: t.__iadd__([OWN]), lambda t: t[0].__setitem__("tolerationSeconds", 1),
                  lambda t: t[0].update(effect=""), lambda t: t[0].pop("key")):
        with pytest.raises(TypeError, match="store a new list"):
            write(DEFAULT_TOLERATIONS)
    assert [default(NOT_READY), default(UNREACHABLE)] == DEFAULT_TOLERATIONS


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy, copy_data, list])
def test_a_copy_is_a_plain_list_a_pod_may_change(copier):
    mine = copier(DEFAULT_TOLERATIONS)
    assert mine == DEFAULT_TOLERATIONS and type(mine) is list
    mine.append(OWN)
    if copier is not copy.copy and copier is not list:      # deep: the tolerations too
        mine[0]["tolerationSeconds"] = 1
    assert [default(NOT_READY), default(UNREACHABLE)] == DEFAULT_TOLERATIONS
    assert json.loads(json.dumps(DEFAULT_TOLERATIONS)) == DEFAULT_TOLERATIONS


def _pod(name: str, tolerations: list | None = None) -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "nginx:1.27"}]}
    if tolerations:
        spec["tolerations"] = tolerations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def test_an_update_that_adds_a_toleration_stores_a_list_of_its_own():
    """Pods share the defaults until one is updated with a toleration more (the one change
    ``ValidatePodUpdate`` allows them): that Pod gets its own list, the others keep theirs."""
    cluster = KubernetesCluster([Node("node-a", cpu=4, memory="8Gi")])
    cluster.apply([_pod("a"), _pod("b")])
    a, b = (cluster.get("Pod", "default", n) for n in ("a", "b"))
    assert a["spec"]["tolerations"] is b["spec"]["tolerations"] is DEFAULT_TOLERATIONS
    cluster.apply([_pod("a", [OWN, default(NOT_READY), default(UNREACHABLE)])])
    a, b = (cluster.get("Pod", "default", n) for n in ("a", "b"))
    assert a["spec"]["tolerations"] == [OWN, default(NOT_READY), default(UNREACHABLE)]
    assert b["spec"]["tolerations"] is DEFAULT_TOLERATIONS
    assert [default(NOT_READY), default(UNREACHABLE)] == DEFAULT_TOLERATIONS


def test_the_shared_defaults_dump_and_pickle_as_plain_data():
    """A learner's ``yaml.safe_dump(pod.spec)`` had raised ``RepresenterError: cannot
    represent an object`` and a pickle of a Pod's spec the shared list's ``TypeError``."""
    spec = {"tolerations": DEFAULT_TOLERATIONS}
    assert yaml.safe_load(yaml.safe_dump(spec)) == spec
    assert "!!python" not in yaml.dump(spec)
    thawed = pickle.loads(pickle.dumps(spec))
    assert thawed == spec and type(thawed["tolerations"]) is list
    thawed["tolerations"].append({"key": "x", "operator": "Exists"})
