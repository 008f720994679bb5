"""A PodDisruptionBudget refused as ``ValidatePodDisruptionBudgetSpec`` refuses it
(kubernetes/kubernetes ``pkg/apis/policy/validation/validation.go``), by the loader, the
Python API's apply and the served API alike. The cases are those of upstream's
``validation_test.go`` (``TestValidatePodDisruptionBudgetSpec``,
``TestValidateMinAvailablePodDisruptionBudgetSpec``,
``TestValidateUnhealthyPodEvictionPolicyDisruptionBudgetSpec``); each refusal is checked
against the rule it breaks: the field it names and the words of that rule."""

from __future__ import annotations

import json

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.manifests import ManifestError, load_manifests
from clustersim.serve import serve
from clustersim.serve.core import Request

PATH = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"
NOT_NEGATIVE = "must be greater than or equal to 0"
PERCENT = "a valid percent string must be a numeric string followed by an ending '%'"
AT_MOST_100 = "must not be greater than 100%"
BOTH = "minAvailable and maxUnavailable cannot be both set"


def budget(**spec) -> dict:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": "web"},
            "spec": {**spec, "selector": {"matchLabels": {"app": "web"}}}}


def refusals(manifest: dict) -> list[str]:
    """Each error the loader reports for ``manifest`` (its field, its words, without the
    hint), or [] if none."""
    try:
        load_manifests(manifest)
    except ManifestError as err:
        return [f"{e.path}: {e.message}" for e in (err, *err.also)]
    return []


@pytest.mark.parametrize("amount", ["0%", "1%", "100%", 0, 1, 100])
@pytest.mark.parametrize("field", ["minAvailable", "maxUnavailable"])
def test_upstreams_accepted_amounts_load(field, amount):
    assert refusals(budget(**{field: amount})) == []


@pytest.mark.parametrize(("amount", "rule"), [
    ("1.1%", PERCENT), ("nope", PERCENT), ("-1%", PERCENT), ("101%", AT_MOST_100),
    (-1, NOT_NEGATIVE), (-3, NOT_NEGATIVE), ("150%", AT_MOST_100)])
@pytest.mark.parametrize("field", ["minAvailable", "maxUnavailable"])
def test_upstreams_refused_amounts_are_refused_at_their_field(field, amount, rule):
    (message,) = refusals(budget(**{field: amount}))
    assert message.startswith(f"spec.{field}: Invalid value: {json.dumps(amount)}: {rule}")


def test_both_amounts_are_refused_at_the_spec_with_the_internal_struct():
    """The bad value is the whole internal spec, a struct without json tags: its Go field
    names in its order, the selector in its own json names, an unset pointer null."""
    (message,) = refusals(budget(minAvailable="0%", maxUnavailable="10%"))
    assert message == ('spec: Invalid value: {"MinAvailable":"0%","Selector":{"matchLabels":'
                       '{"app":"web"}},"MaxUnavailable":"10%","UnhealthyPodEvictionPolicy":'
                       f"null}}: {BOTH}")


def test_both_amounts_are_refused_even_when_one_is_refused_on_its_own():
    messages = refusals(budget(minAvailable=1, maxUnavailable=-1))
    assert len(messages) == 2 and messages[0].endswith(NOT_NEGATIVE)
    assert '"MaxUnavailable":-1' in messages[1] and messages[1].endswith(BOTH)


@pytest.mark.parametrize(("policy", "refused"), [
    (None, False), ("AlwaysAllow", False), ("IfHealthyBudget", False), ("", True),
    ("Invalid", True)])
def test_the_unhealthy_pod_eviction_policy_is_one_of_two(policy, refused):
    manifest = budget(minAvailable=1)
    if policy is not None:
        manifest["spec"]["unhealthyPodEvictionPolicy"] = policy
    assert refusals(manifest) == ([
        f'spec.unhealthyPodEvictionPolicy: Unsupported value: "{policy}": supported values: '
        '"AlwaysAllow", "IfHealthyBudget"'] if refused else [])


def test_the_python_apply_refuses_a_negative_budget_and_stores_nothing():
    cluster = KubernetesCluster([Node("node-1", cpu=4, memory="8Gi")], seed=0)
    with pytest.raises(ManifestError, match=NOT_NEGATIVE):
        cluster.apply(budget(minAvailable=-3))
    assert cluster.get("PodDisruptionBudget", "default", "web") is None


def _send(server, method: str, path: str, body: object,
          kind: str = "application/json") -> tuple[int, dict]:
    response = server.dispatch(Request(method, path, {}, {"content-type": kind},
                                       json.dumps(body).encode()))
    return response.status, json.loads(response.body)


def test_the_served_api_answers_422_to_a_create_an_update_and_a_patch():
    """The served API had stored ``minAvailable: -3`` as sent, and the drain then read it."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        code, answer = _send(server, "POST", PATH, budget(minAvailable=-3))
        assert (code, answer["reason"]) == (422, "Invalid")
        assert answer["message"] == ('PodDisruptionBudget.policy "web" is invalid: '
                                     f"spec.minAvailable: Invalid value: -3: {NOT_NEGATIVE}")
        assert answer["details"]["causes"] == [{"reason": "FieldValueInvalid",
                                                "message": f"Invalid value: -3: {NOT_NEGATIVE}",
                                                "field": "spec.minAvailable"}]
        assert _send(server, "POST", PATH, budget(minAvailable=1))[0] == 201
        stored = _send(server, "GET", f"{PATH}/web", None)[1]
        stored["spec"]["maxUnavailable"] = "20%"
        code, answer = _send(server, "PUT", f"{PATH}/web", stored)
        assert code == 422 and answer["message"].endswith(BOTH)
        code, answer = _send(server, "PATCH", f"{PATH}/web", {"spec": {"minAvailable": "120%"}},
                             "application/merge-patch+json")
        assert code == 422 and answer["message"].endswith(f'"120%": {AT_MOST_100}')
        assert server.cluster.get("PodDisruptionBudget", "default", "web")["spec"] == \
            budget(minAvailable=1)["spec"]
