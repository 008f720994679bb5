"""Typical wrong answers to the choosing chapters' exercises get the intended hints; right
answers pass; nothing a learner types gives a traceback. Expected outcomes come from
:func:`clustersim.decision.rank` and the simulator, never hard-coded where they could drift."""

from __future__ import annotations

import pytest

from clustersim.decision import preset_weights, rank
from clustersim.exercises import choosing as ex
from clustersim.exercises.labels import reads_as
from clustersim.features import load_features


def test_swarm_weights_need_a_trade_off() -> None:
    feedback = ex.check_swarm_weights({"simplicity": 5})
    assert not feedback.passed and "four criteria" in feedback.hint
    assert feedback.message.startswith("Only 1 criterion counts:")
    two = ex.check_swarm_weights({"simplicity": 5, "scale": 1})
    assert two.message.startswith("Only 2 criteria count:")


def test_swarm_weights_large_platform_recommends_kubernetes() -> None:
    feedback = ex.check_swarm_weights(preset_weights("large_platform"))
    assert not feedback.passed and "Kubernetes is recommended" in feedback.message
    assert "simplicity" in feedback.hint


def test_swarm_weights_right_answer() -> None:
    weights = {"simplicity": 5, "cloud_independence": 1, "maintenance_status": 1,
               "team_skills": 1}
    assert rank(weights).recommended.system == "swarm"
    assert ex.check_swarm_weights(weights).passed


def test_swarm_weights_out_of_range() -> None:
    feedback = ex.check_swarm_weights({"simplicity": 9})
    assert not feedback.passed and "refuses" in feedback.message


def _swarm_small_team():
    return next(r for r in rank(preset_weights("small_team")).ranking if r.system == "swarm")


def test_share_by_hand() -> None:
    swarm = _swarm_small_team()
    assert ex.check_share_by_hand((swarm.points, swarm.possible)).passed
    weights = sum(c.weight for c in swarm.contributions)
    forgot_five = ex.check_share_by_hand((swarm.points, weights))
    assert not forgot_five.passed and "multiply by the best score" in forgot_five.hint
    scores = sum(c.score for c in swarm.contributions if c.weight)
    added = ex.check_share_by_hand((scores, swarm.possible))
    assert not added.passed and "multiply each by its weight" in added.hint


def test_share_by_hand_swapped_is_told_the_order() -> None:
    """(55, 43) was told "43 is not the possible total", as if 43 were a wrong sum."""
    swarm = _swarm_small_team()
    swapped = ex.check_share_by_hand((swarm.possible, swarm.points))
    assert not swapped.passed and "wrong order" in swapped.message
    assert "(points, possible)" in swapped.hint
    assert f"{swarm.possible} points of {swarm.points} possible" in swapped.hint
    assert "not the possible total" not in swapped.message


def test_tie_weights() -> None:
    assert ex.check_tie_weights({"simplicity": 2, "cni": 2}).passed
    uneven = ex.check_tie_weights({"simplicity": 3, "cni": 1})
    assert not uneven.passed and "cancel" in uneven.hint
    too_many = ex.check_tie_weights({"simplicity": 1, "cni": 1, "scale": 1})
    assert not too_many.passed and "exactly one other" in too_many.hint


def test_tie_weights_computed_as_floats_or_numpy_ints_pass() -> None:
    """rank() refused 2.0 and numpy.int64(2): 'must be a whole number 0-5, not 2.0'."""
    numpy = pytest.importorskip("numpy")
    assert ex.check_tie_weights({"simplicity": 2.0, "cni": numpy.int64(2)}).passed
    assert "whole number 0-5" in ex.check_tie_weights({"simplicity": 2.5, "cni": 2}).message


def test_top_decider() -> None:
    result = rank(preset_weights("large_platform"), systems=["swarm", "kubernetes"])
    assert ex.check_top_decider(result.deciders[0].criterion).passed
    assert ex.check_top_decider(f" {result.deciders[0].criterion.upper()}").passed
    runner_up = result.deciders[1].criterion
    feedback = ex.check_top_decider(runner_up)
    assert not feedback.passed and "weight" in feedback.hint


def test_top_decider_asks_for_the_id_not_the_display_name() -> None:
    """The exercise asks for "a criterion id": a display name is refused, with the id (a
    name spelt like its id, "Scale" or "Active development", is the id as a label is read)."""
    named = {c_id: c.name for c_id, c in load_features().criteria.items()
             if not reads_as(c.name, c_id)}
    assert len(named) >= 5
    for crit_id, name in named.items():
        feedback = ex.check_top_decider(name.upper())
        assert not feedback.passed and "asks for its id" in feedback.message
        assert feedback.hint == f"Give the id, e.g. {crit_id!r}."


def test_no_cluster() -> None:
    assert ex.check_no_cluster(dict(ex._NO_CLUSTER)).passed
    api, wiki, platform = ex._NO_CLUSTER
    feedback = ex.check_no_cluster(dict(ex._NO_CLUSTER) | {api: "kubernetes"})
    assert not feedback.passed and "scale it to zero" in feedback.hint
    feedback = ex.check_no_cluster(dict(ex._NO_CLUSTER) | {wiki: "managed containers"})
    assert not feedback.passed and "restart policies" in feedback.hint
    feedback = ex.check_no_cluster(dict(ex._NO_CLUSTER) | {platform: "compose"})
    assert not feedback.passed and "extended" in feedback.hint


def test_alternatives_and_duties() -> None:
    assert ex.check_alternatives(dict(ex._SITUATIONS)).passed
    edge = next(iter(ex._SITUATIONS))
    feedback = ex.check_alternatives(dict(ex._SITUATIONS) | {edge: "swarm"})
    assert not feedback.passed and "one small binary" in feedback.hint
    assert ex.check_managed_duties(dict(ex._DUTIES)).passed
    upgrade = "upgrading the cluster to a supported Kubernetes version in time"
    feedback = ex.check_managed_duties(dict(ex._DUTIES) | {upgrade: "provider"})
    assert not feedback.passed and "support window" in feedback.hint


def test_pending_prediction_follows_the_simulator() -> None:
    truth = ex.pending_outcome()
    assert truth == {"old_running": 3, "new_pending": 1, "nodes_counted": 4}
    assert ex.check_pending_prediction(truth).passed
    workers_only = ex.check_pending_prediction(truth | {"nodes_counted": 3})
    assert not workers_only.passed and "control-plane" in workers_only.hint
    stopped = ex.check_pending_prediction(truth | {"old_running": 2})
    assert not stopped.passed and "rounded down" in stopped.hint


def test_drain_prediction_follows_the_simulator() -> None:
    truth = ex.drain_outcome()
    assert truth == {"on_worker_1_after_drain": 0, "ready_after_drain": 6,
                     "on_worker_1_after_uncordon": 0}
    assert ex.check_drain_prediction(truth).passed
    rebalanced = ex.check_drain_prediction(truth | {"on_worker_1_after_uncordon": 2})
    assert not rebalanced.passed and "Descheduler" in rebalanced.hint


@pytest.mark.parametrize("check", [
    ex.check_swarm_weights, ex.check_share_by_hand, ex.check_tie_weights, ex.check_top_decider,
    ex.check_alternatives, ex.check_managed_duties, ex.check_pending_prediction,
    ex.check_drain_prediction, ex.check_no_cluster])
@pytest.mark.parametrize("garbage", [None, 3, "nonsense", {"x": 1}, [None, None], {1: "a"}])
def test_garbage_never_raises(check, garbage) -> None:
    feedback = check(garbage)
    assert not feedback.passed and feedback.hint


def test_drain_exercise_premise_two_pods_per_worker() -> None:
    """The task text says six replicas run two per worker before the drain."""
    from collections import Counter

    from clustersim.kubernetes import KubernetesCluster, default_nodes

    cluster = KubernetesCluster(default_nodes(), seed=0)
    cluster.apply(ex.WEB | {"spec": ex.WEB["spec"] | {"replicas": 6}})
    cluster.run(until=30)
    assert Counter(p.node for p in cluster.pods()) == {f"worker-{i}": 2 for i in (1, 2, 3)}


@pytest.mark.parametrize(("truth", "check", "labels"), [
    (ex._SITUATIONS, ex.check_alternatives, ("k3s", "nomad", "managed kubernetes", "swarm")),
    (ex._NO_CLUSTER, ex.check_no_cluster, ("managed containers", "compose", "kubernetes")),
])
def test_situation_hints_do_not_name_the_answer(truth, check, labels) -> None:
    """Every wrong pick gets a hint at the situation's deciding words, never the right
    option's name (unless the situation itself says it), nor a product that stands for it."""
    names = {"k3s": ("k3s",), "nomad": ("nomad",), "managed kubernetes": ("managed",),
             "swarm": ("swarm mode", "stay"), "managed containers": ("cloud run", "managed"),
             "compose": ("compose",), "kubernetes": ("kubernetes",)}
    for situation, right in truth.items():
        wrong = next(label for label in labels if label != right)
        hint = check(dict(truth) | {situation: wrong}).hint.casefold()
        assert not [n for n in names[right] if n in hint and n not in situation.casefold()]


def test_a_criterion_id_is_read_as_labels_are() -> None:
    """'batch data' and 'Team-Skills' were "not a criterion", and 'ecosytem' got the whole
    list of ids without a word on the slip, against the rule every label follows
    (clustersim/exercises/labels.py)."""
    batch = ex.check_top_decider("batch data")
    assert not batch.passed and batch.message.startswith("batch_data gives Kubernetes")
    assert ex.check_top_decider("Team-Skills").message.startswith("team_skills gives")
    slip = ex.check_top_decider("ecosytem")
    assert not slip.passed and "Did you mean 'ecosystem'?" in slip.hint


def test_top_decider_hint_fits_the_criterion_chosen() -> None:
    """'A high weight decides little when the scores are close' was told for batch_data
    (weight 3, scores 1 and 5) too; it fits only heavy criteria with close scores."""
    assert "scores are close" in ex.check_top_decider("scale").hint           # 5 × (5 - 3)
    batch = ex.check_top_decider("batch_data")                                 # 3 × (5 - 1)
    assert not batch and "scores are close" not in batch.hint
    assert "margin of every criterion" in batch.hint


def test_a_wrong_prediction_is_said_plainly() -> None:
    """'old_running is not 2.' read as if 2 were the right count."""
    feedback = ex.check_pending_prediction({"old_running": 2, "new_pending": 1,
                                            "nodes_counted": 4})
    assert not feedback and feedback.message == "old_running = 2 is not what happens."


@pytest.mark.parametrize("word", ["ECS", "Container Apps"])
def test_the_managed_container_services_the_exercise_names_are_told_their_label(word) -> None:
    """The exercise names "ECS, Cloud Run, Container Apps" for 'managed containers'; only
    Cloud Run was told its label, ECS and Container Apps got the bare list of labels."""
    answer = dict.fromkeys(ex.NO_CLUSTER, "compose") | {ex.NO_CLUSTER[0]: word}
    feedback = ex.check_no_cluster(answer)
    assert not feedback.passed and "managed container service" in feedback.hint


def test_openshift_is_told_it_is_kubernetes_run_by_hand() -> None:
    answer = dict.fromkeys(ex.SITUATIONS, "k3s") | {ex.SITUATIONS[2]: "OpenShift"}
    feedback = ex.check_alternatives(answer)
    assert not feedback.passed and "Kubernetes run by hand" in feedback.hint
