"""Checks of the three-dialects exercises: typical wrong answers get the intended hints."""

from __future__ import annotations

import pytest

from clustersim.clusters import demo_nodes
from clustersim.exercises.dialects import (
    check_api_selector,
    check_failure_prediction,
    failure_outcome,
)
from clustersim.scenarios.shop import SYSTEMS, shop_source


@pytest.mark.parametrize("selector", [{"app": "shop", "tier": "api"}, {"tier": "api"}])
def test_selectors_of_exactly_the_api_pods_pass(selector) -> None:
    assert check_api_selector(selector)


@pytest.mark.parametrize(("selector", "words"), [
    ({"app": "shop"}, "other tiers"),
    ({"app": "shop", "tier": "frontend"}, "other tiers"),
    ({"app": "Shop", "tier": "api"}, "matches no pod"),
    ({}, "empty selector"),
    ({"matchLabels": {"tier": "api"}}, "plain map"),
    ({"tier": 1}, "strings"),
    ("app=shop,tier=api", "mapping"),
    (None, "mapping"),
])
def test_wrong_selectors_get_their_hint(selector, words) -> None:
    feedback = check_api_selector(selector)
    assert not feedback and feedback.hint and words in feedback.message


def test_a_selector_on_the_template_hash_is_refused_with_its_reason() -> None:
    """It passed silently, though the check's own hint said not to select on it."""
    from clustersim.kubernetes import KubernetesCluster

    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(shop_source("kubernetes"))
    cluster.run(until=60)
    api = next(p for p in cluster.pods() if p.labels.get("tier") == "api")
    feedback = check_api_selector({"tier": "api",
                                   "pod-template-hash": api.labels["pod-template-hash"]})
    assert not feedback and "next rollout" in feedback.message


def test_the_hint_for_a_selector_matching_nothing_does_not_spell_the_answer() -> None:
    feedback = check_api_selector({"app": "Shop", "tier": "api"})
    assert not feedback and "cluster.pods()" in feedback.hint
    assert "app=shop" not in feedback.hint and "tier=api" not in feedback.hint


@pytest.fixture(scope="module")
def truth() -> dict[str, dict[str, bool]]:
    return {tier: failure_outcome(tier) for tier in ("db", "cache")}


def test_the_simulated_truth_passes(truth) -> None:
    assert check_failure_prediction(truth)


def test_stateful_tiers_do_not_heal_and_stateless_ones_do(truth) -> None:
    """What the lab explains: local state pins db in all three systems."""
    assert truth == {"db": dict.fromkeys(SYSTEMS, False), "cache": dict.fromkeys(SYSTEMS, True)}


def test_everything_heals_is_wrong_with_an_explanation(truth) -> None:
    feedback = check_failure_prediction({"db": dict.fromkeys(SYSTEMS, True),
                                         "cache": dict.fromkeys(SYSTEMS, True)})
    assert not feedback and "3 of 6" in feedback.message
    assert "StatefulSet" in feedback.hint


def test_no_differing_prediction_is_named_or_revealed(truth) -> None:
    """Each run had explained one differing prediction and given its value ("db on
    kubernetes is not ready ten minutes later"), then named every differing one; as each
    prediction is yes or no, either gave the answer without a thought. The check now says
    how many differ and asks the same six questions whichever they are."""
    guess = {tier: {system: not value for system, value in values.items()}
             for tier, values in truth.items()}
    one_off = {tier: dict(values) for tier, values in truth.items()}
    one_off["db"]["swarm"] = not one_off["db"]["swarm"]
    every, one = check_failure_prediction(guess), check_failure_prediction(one_off)
    assert not every and "6 of 6 predictions differ" in every.message
    assert not one and "1 of 6 predictions differ" in one.message
    assert every.hint == one.hint
    for tier in ("db", "cache"):
        for system in SYSTEMS:
            assert f"{tier} on {system}" not in every.message
            assert f"{tier} on {system}:" in every.hint


def test_marathon_db_prediction_gets_the_resident_hint(truth) -> None:
    guess = {tier: dict(values) for tier, values in truth.items()}
    guess["db"]["marathon"] = True
    feedback = check_failure_prediction(guess)
    assert not feedback and "resident" in feedback.hint


@pytest.mark.parametrize("answer", [None, {"db": {}}, {"db": dict.fromkeys(SYSTEMS),
                                                       "cache": dict.fromkeys(SYSTEMS)},
                                    {"db": {"k8s": True}, "cache": {}}])
def test_malformed_predictions_get_a_shape_hint(answer) -> None:
    feedback = check_failure_prediction(answer)
    assert not feedback and feedback.hint


def test_marathon_cache_prediction_names_inactive_after_seconds(truth) -> None:
    """Marathon replaces an unreachable instance after inactiveAfterSeconds (0 s by default
    since Marathon 1.5.1, d2iq-archive/marathon state/UnreachableStrategy.scala), once Mesos
    reports its agent unreachable."""
    guess = {tier: dict(values) for tier, values in truth.items()}
    guess["cache"]["marathon"] = False
    feedback = check_failure_prediction(guess)
    assert not feedback and "inactiveAfterSeconds" in feedback.hint
    assert "0 s by default" in feedback.hint


def test_a_prediction_as_text_or_a_misspelt_system_is_named(truth) -> None:
    """'False' in quotes and a key 'Kubernetes' both got 'prediction['db'] must map each of
    kubernetes, marathon, swarm to True or False', which names neither mistake."""
    quoted = {tier: dict(values) for tier, values in truth.items()}
    quoted["db"]["kubernetes"] = "False"
    feedback = check_failure_prediction(quoted)
    assert not feedback and "without quotes" in feedback.hint
    misspelt = {tier: dict(values) for tier, values in truth.items()}
    misspelt["db"]["Kubernetes"] = misspelt["db"].pop("kubernetes")
    feedback = check_failure_prediction(misspelt)
    assert not feedback and "(did you mean 'kubernetes'?)" in feedback.message
