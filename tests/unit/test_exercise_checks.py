"""Typical wrong answers get the hint meant for them."""

from __future__ import annotations

import re

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
    (-8, "0 or more"),                     # was "-8 is not it"
])
def test_copies_hints(answer: object, hint: str) -> None:
    result = check_copies(answer)
    assert not result and hint in result.message + result.hint


def test_scarce_resource_hints() -> None:
    assert "Count copies by CPU" in check_scarce_resource("cpu").hint
    assert "'cpu', 'memory'" in check_scarce_resource("disk").hint
    assert "not answered yet" in check_scarce_resource(None).message
    assert check_scarce_resource(" Memory ")


@pytest.mark.parametrize(("answer", "hint"), [
    ({"X": 1 / 3, "Y": "1/3", "next": "Y"}, "larger of the two fractions"),  # X's CPU share
    ({"X": 0.45, "Y": "1/3", "next": "Y"}, "larger of the two fractions"),   # not close enough
    ({"X": "1/2", "Y": "1/12", "next": "Y"}, "larger of the two fractions"),  # Y's memory share
    ({"X": "1/2", "Y": "1/3", "next": "X"}, "lowest dominant share"),
    ({"X": "half", "Y": "1/3", "next": "Y"}, "fraction in quotes"),
    ({"X": "1/2"}, "The keys 'Y', 'next' are missing"),
])
def test_dominant_share_hints(answer: dict, hint: str) -> None:
    result = check_dominant_shares(answer)
    assert not result and hint in result.message + result.hint
    assert check_dominant_shares({"X": 0.5, "Y": "1/3", "next": "Y"})
    assert check_dominant_shares({"X": 0.5, "Y": 0.333, "next": "Y"})  # rounded is fine


@pytest.mark.parametrize("half", ["1 / 2", " 1/ 2", "1 /2", "50 %"])
def test_a_fraction_with_spaces_is_read(half) -> None:
    """"1 / 2" was refused as "not a number"."""
    assert check_dominant_shares({"X": half, "Y": "1 / 3", "next": "Y"})


def test_dominant_share_choice_is_named_in_the_exercises_spelling() -> None:
    """"next": "B" was told to answer with one of 'x', 'y': the exercise says X and Y."""
    result = check_dominant_shares({"X": "1/2", "Y": "1/3", "next": "B"})
    assert not result and "'X', 'Y'" in result.hint
    assert check_dominant_shares({"X": "1/2", "Y": "1/3", "next": " y "})


def test_a_share_over_zero_is_told_so() -> None:
    """"Y": "1/0" was answered 'Your answer could not be read ... answer is a dict'."""
    result = check_dominant_shares({"X": "1/2", "Y": "1/0", "next": "Y"})
    assert not result and "could not be read" not in result.message
    assert "Y: '1/0' divides by zero" in result.message and "from 0 to 1" in result.hint


def test_a_share_may_be_a_percentage_but_not_a_percent_count() -> None:
    """"50%" was refused as "not a number"; 50 (meaning 50 %) is told that a share is a
    fraction of the total."""
    assert check_dominant_shares({"X": "50%", "Y": "33.3 %", "next": "Y"})
    result = check_dominant_shares({"X": 50, "Y": "1/3", "next": "Y"})
    assert not result and "more than the whole cluster" in result.message
    assert "from 0 to 1" in result.hint


@pytest.mark.parametrize("share", ["150%", 1.5, "3/2"])
def test_a_share_above_the_whole_cluster_is_refused_in_every_form(share) -> None:
    """"150%" had been taken as 1.5 unchecked (a percentage returned before the range check)
    and then called only a wrong share, while 1.5 was more than the whole cluster."""
    result = check_dominant_shares({"X": share, "Y": "1/3", "next": "Y"})
    assert not result and "more than the whole cluster" in result.message
    assert "at most 100%" in result.hint


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
    for two_cores in ("2", '"2"', "2000m", "2.0"):
        assert check_fixed_deployment(DEPLOYMENT.replace("CPU", two_cores)), two_cores
    millicores = check_fixed_deployment(DEPLOYMENT.replace("CPU", "2m"))
    assert not millicores and "millicores" in millicores.hint
    for other in ("500m", "4", "8"):
        result = check_fixed_deployment(DEPLOYMENT.replace("CPU", other))
        assert not result and "said two cores" in result.message, other
    too_big = check_fixed_deployment(
        DEPLOYMENT.replace("CPU", "2").replace("memory: 256Mi", "memory: 64Gi"))
    assert not too_big and "4 CPUs each" in too_big.hint
    assert "Insufficient memory" in too_big.message
    assert "field path" in check_fixed_deployment(DEPLOYMENT.replace("CPU", "lots")).hint
    capital = check_fixed_deployment(DEPLOYMENT.replace("cpu: CPU", "CPU: 2"))
    assert not capital and 'Invalid value: "CPU"' in capital.message
    assert "name is wrong, not its amount" in capital.hint
    misspelt = check_fixed_deployment(
        DEPLOYMENT.replace("CPU", "2").replace("requests", "request"))
    assert not misspelt and "unknown field" in misspelt.message
    assert "keeps 2" in check_fixed_deployment(
        DEPLOYMENT.replace("CPU", "2").replace("replicas: 2", "replicas: 1")).message
    wrong_labels = DEPLOYMENT.replace("CPU", "2").replace(
        "labels: {app: web}", "labels: {app: x}")
    assert "matchLabels must equal labels" in check_fixed_deployment(wrong_labels).hint
    assert "one Deployment named 'web'" in check_fixed_deployment(
        DEPLOYMENT.replace("CPU", "1").replace("{name: web}", "{name: other}")).message


@pytest.mark.parametrize("cpu", ["two cores", "two", "2 cores", "2c"])
def test_the_quantity_hint_does_not_write_the_answer(cpu: str) -> None:
    """The starter's 'two cores' was hinted "a quantity such as '500m' (half a core) or '2'":
    the exercise's answer, on the first press of the check."""
    result = check_fixed_deployment(DEPLOYMENT.replace("CPU", cpu))
    assert not result and "quantity" in result.hint
    assert not re.search(r"'(2|2000m|2\.0)'", result.hint)


@pytest.mark.parametrize("memory", ["256MB", "256mb", "lots"])
def test_a_bad_memory_quantity_gets_a_memory_hint(memory) -> None:
    """memory: 256MB was told of CPU quantities ("'500m' (half a core)")."""
    feedback = check_fixed_deployment(
        DEPLOYMENT.replace("CPU", "2").replace("memory: 256Mi", f"memory: {memory}"))
    assert not feedback and "requests.memory" in feedback.message
    assert "'256Mi'" in feedback.hint and "no 'MB'" in feedback.hint
    assert "core" not in feedback.hint


def test_ssd_stack_hints() -> None:
    base = "services:\n  db:\n    image: postgres:16\n    deploy:\n      replicas: 3\n"
    assert "placement constraints" in check_ssd_only_stack(base).hint
    wrong_label = base + "      placement:\n        constraints: [node.labels.disk != ssd]\n"
    assert "label's name and value" in check_ssd_only_stack(wrong_label).hint
    wrong_operator = base + "      placement:\n        constraints: [node.labels.ssd = true]\n"
    assert "does not deploy" in check_ssd_only_stack(wrong_operator).message
    assert "expected 3" in check_ssd_only_stack(base.replace("replicas: 3", "replicas: 2")).message
    assert "not a Compose" in check_ssd_only_stack('{"id": "/db", "cmd": "sleep 1"}').message


@pytest.mark.parametrize(("stack", "taught"), [
    ("", "Start again from the starter's stack"),
    ("services:\n  db:\n    image: [postgres\n", "fix that line only"),
])
def test_a_stack_that_does_not_load_for_another_reason_is_not_taught_constraints(
        stack: str, taught: str) -> None:
    """An empty answer or broken YAML was hinted the syntax of a placement constraint."""
    feedback = check_ssd_only_stack(stack)
    assert not feedback and "does not deploy" in feedback.message
    assert taught in feedback.hint and "constraints" not in feedback.hint


@pytest.mark.parametrize(("constraint", "note"), [
    # node.hostname == worker-1 had passed as "runs on a node labelled ssd=true" with no word
    # that it names one machine; like a weight right by its split (check_weights), it is right
    # by where the tasks run, with a note
    ("node.hostname == worker-1", "names the machine, not what it has"),
    # node.labels.disk == ssd passed so too, with no word that it reads another label, which
    # a new SSD node labelled ssd=true alone would not carry
    ("node.labels.disk == ssd", "the label your constraint reads (disk)"),
])
def test_ssd_stack_right_by_where_it_runs_gets_a_note(constraint: str, note: str) -> None:
    stack = ("services:\n  db:\n    image: postgres:16\n    deploy:\n      replicas: 3\n"
             f"      placement:\n        constraints: [{constraint}]\n")
    feedback = check_ssd_only_stack(stack)
    assert feedback and note in feedback.message
    labelled = check_ssd_only_stack(stack.replace(f"[{constraint}]",
                                                  f"[{constraint}, node.labels.ssd == true]"))
    assert labelled and note not in labelled.message


@pytest.mark.parametrize("constraint", [
    "ssd == true", "node.label.ssd == true", "node.labels.SSD == true",
])
def test_ssd_stack_whose_tasks_run_nowhere_is_not_right(constraint) -> None:
    """A constraint no node satisfies left all three tasks pending, and 'no task runs off an
    SSD node' held vacuously: these answers passed as right."""
    stack = ("services:\n  db:\n    image: postgres:16\n    deploy:\n      replicas: 3\n"
             f"      placement:\n        constraints: [{constraint}]\n")
    feedback = check_ssd_only_stack(stack)
    assert not feedback and "3 of 3 'db' tasks run nowhere" in feedback.message
    assert "case-sensitive" in feedback.hint


def test_ssd_stack_quoted_value_is_not_told_quotes_are_fine() -> None:
    """The hint said 'a value, in quotes or not' to a value refused for its quotes."""
    stack = ("services:\n  db:\n    image: postgres:16\n    deploy:\n      replicas: 3\n"
             '      placement:\n        constraints: [node.labels.ssd == "true"]\n')
    feedback = check_ssd_only_stack(stack)
    assert not feedback and "no quotes of its own" in feedback.hint


# ---- dict answers: every check reads them through answers.keyed ----------------------------


def test_a_misspelt_key_is_named_as_unknown_not_judged_as_zero() -> None:
    from clustersim.exercises.foundations import check_reconcile

    feedback = check_reconcile({"Web": 2, "cart": -1, "report": -1})
    assert "There is no service 'Web' (did you mean 'web'?)" in feedback.message
    assert "'cart', 'report', 'web'" in feedback.hint
    assert check_reconcile({"web": 2, "cart": -1, "report": -1})


@pytest.mark.parametrize(("answer", "said"), [
    ({1: 0, 3: 1, 4: 1, 5: 2}, "The manager count 7 is missing."),
    ({1: 0, 3: 1, 4: 1, 5: 2, 7: 3, 9: 4}, "There is no manager count 9."),
    ({3: 1, 4: 1, 5: 2, 7: 3, "one": 0}, "There is no manager count 'one'; the manager count 1 "
                                         "is missing."),
])
def test_unknown_and_missing_keys_are_reported_plainly(answer: dict, said: str) -> None:
    from clustersim.exercises.comparing import check_fault_tolerance

    feedback = check_fault_tolerance(answer)
    assert feedback.message == said and "1, 3, 4, 5, 7" in feedback.hint


def test_a_classified_item_misspelt_is_named() -> None:
    from clustersim.exercises.answers import classify
    from clustersim.exercises.checker import Wrong

    with pytest.raises(Wrong, match=r"There is no item 'Cache' \(did you mean 'cache'\?\); "
                                    r"the item 'cache' is missing\."):
        classify({"web": "a", "Cache": "b"}, {"web": "a", "cache": "b"}, ("a", "b"), {})


def test_a_set_as_the_chosen_node_is_answered_in_plain_words() -> None:
    from clustersim.exercises.foundations import check_filter_rank

    feedback = check_filter_rank({"node-a", "node-c"}, {"node-c"})
    assert "unhashable" not in feedback.message + feedback.hint
    assert "chosen: {'node-c'} is not one of the choices" in feedback.message


@pytest.mark.parametrize("check", [
    "foundations.check_compose_up", "foundations.check_namespaces", "foundations.check_reconcile",
    "kubernetes_chapter.check_least_allocated", "kubernetes_chapter.check_failed_scheduling",
    "healing.check_failover_times", "delivery.check_generator_edit", "delivery.check_tools",
    "security.check_can_i", "resource_management.check_qos_classes", "drf.check_dominant_shares",
    "troubleshooting.check_diagnosis", "swarm_chapter.check_leaderless", "day_2.check_lost_quorum",
    "migration.check_resources_by_hand", "comparing.check_fault_tolerance",
])
def test_every_dict_answer_names_an_unknown_key(check: str) -> None:
    import importlib

    module, name = check.split(".")
    function = getattr(importlib.import_module(f"clustersim.exercises.{module}"), name)
    feedback = function({"no-such-key": 1})
    assert feedback.message.startswith("There is no ") and "'no-such-key'" in feedback.message
    assert "keep the starter's keys" in feedback.hint


def test_the_shared_answer_readers_say_what_is_wrong() -> None:
    """one_pod, load_answer, yaml_text and run_stack: one reader each, used by several
    chapters' checks; each wrong shape gets its own plain message."""
    import pytest as _pytest

    from clustersim import Node
    from clustersim.exercises.answers import load_answer, one_pod, run_stack, yaml_text
    from clustersim.exercises.checker import Wrong
    from clustersim.swarm import SwarmCluster

    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
           "spec: {containers: [{name: c, image: c}]}\n")
    assert one_pod(pod)["metadata"]["name"] == "p"
    for bad, said in [(pod + "---\n" + pod, "2 YAML documents"), ("kind: [", "cannot be read"),
                      ({"kind": "Deployment"}, "not a Pod")]:
        with _pytest.raises(Wrong, match=said):
            one_pod(bad)
    with _pytest.raises(Wrong, match="the Deployment as YAML text"):
        load_answer(3, "Deployment")
    with _pytest.raises(Wrong, match="It does not load") as caught:
        load_answer("kind: Deployment\n", "Deployment", hint=lambda err: "look here")
    assert caught.value.hint == "look here"
    with _pytest.raises(Wrong, match="YAML text with a Role"):
        yaml_text("  \n", "YAML text with a Role")
    swarm = SwarmCluster(Node.many(1, "node", cpu=2, memory="4Gi", role="manager"), seed=0)
    with _pytest.raises(Wrong, match=r"^Refused: "):
        run_stack(swarm, {"services": {"web": {"deploy": {"replicas": -1}}}}, 10,
                  refused="Refused")
    run_stack(swarm, {"services": {"web": {"image": "nginx"}}}, 10)
    assert swarm.clock.now == 10 and [t.node for t in swarm.tasks()] == ["node-1"]


@pytest.mark.parametrize("chosen", [None, "Z", 2])
def test_drf_next_framework_not_chosen_is_not_called_wrong(chosen) -> None:
    """None or a name that is no framework used to get 'DRF does not offer to that framework
    next', as if the learner had chosen X; " y " (the right one, loosely typed) failed too."""
    feedback = check_dominant_shares({"X": 0.5, "Y": "1/3", "next": chosen})
    assert not feedback and "not one of the choices" in feedback.message
    assert check_dominant_shares({"X": 0.5, "Y": "1/3", "next": " y "})


def test_a_weight_other_than_five_is_not_told_it_was_five() -> None:
    """Weight 10 also ends in 2 and 10 tasks, and was told 'with B's weight at 5'."""
    feedback = check_weights(10)
    assert feedback and "weight at 10" in feedback.message
    assert "proportional weight is 5" in feedback.message
    assert "weight at 5," in check_weights(5).message


def test_the_weights_that_give_the_same_split_are_found_in_the_model() -> None:
    """Weight 10 was told 'nearby weights end in the same split'. The range is the model's:
    at 4.5 B's share 9/12 over 4.5 ties A's 3/12 over 1, and the tie goes to 3:9."""
    same = "any weight above 4.5 and up to 10 gives the same 2:10 split"
    assert same in check_weights(10).message and same in check_weights(4.6).message
    assert "any weight above 10 gives the same 1:11 split" in check_weights(11).message
    assert "above 0 and below 0.1 gives the same 11:1" in check_weights(0.01).message


@pytest.mark.parametrize(("answer", "passed", "taught"), [
    ("RAM", True, ""), ("mem", True, ""), ("cores", False, "Count copies by CPU"),
    ("both", False, "counts of copies are equal"), ("neither", False, "always stops them"),
    ("disk", False, "does not request"), ("pods", False, "maxPods"),
    (4, False, "Count copies by each resource"), ("4", False, "Count copies by each resource"),
])
def test_scarce_resource_words_from_the_field(answer: object, passed: bool, taught: str) -> None:
    """RAM, cores, both, disk, pods and a count got only 'Answer "cpu" or "memory"'."""
    feedback = check_scarce_resource(answer)
    assert feedback.passed is passed and taught in feedback.hint


@pytest.mark.parametrize(("next_", "taught"), [
    ("both", "one framework at a time"), ("tie", "one framework at a time"),
    ("neither", "keeps offering"),
])
def test_dominant_shares_next_words_from_the_field(next_: str, taught: str) -> None:
    """"both" or "neither" for the next framework got only "Answer with one of: 'X', 'Y'"."""
    feedback = check_dominant_shares({"X": 0.5, "Y": "1/3", "next": next_})
    assert not feedback.passed and taught in feedback.hint
    assert check_dominant_shares({"X": 0.5, "Y": "1/3", "next": "framework Y"}).passed


@pytest.mark.parametrize(("stack", "taught"), [
    ("services:\n  db:\n    image: postgres\n    replicas: 3\n", "belongs to the deploy:"),
    ("services:\n  db:\n    image: postgres\n    deploy:\n      replicas: 3\n"
     "      placement:\n        nodeSelector: {ssd: 'true'}\n", "a Kubernetes Pod's word"),
])
def test_ssd_stack_carried_words(stack: str, taught: str) -> None:
    """replicas beside image, or a nodeSelector under placement, was told how to write a
    constraint string."""
    feedback = check_ssd_only_stack(stack)
    assert not feedback.passed and taught in feedback.hint
