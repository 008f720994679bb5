"""How the checks read a learner's label (``clustersim/exercises/labels.py``): only case and
the places between words vary; no two labels of a question can be read from one word; and a
plausible word that is no label gets a hint that teaches why."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Mapping
from typing import Any

import pytest

import clustersim.exercises
from clustersim.exercises import (
    choosing,
    comparing,
    delivery,
    kubernetes_2026,
    management,
    mesos_chapter,
    troubleshooting,
)
from clustersim.exercises.answers import choice, classify, label_word
from clustersim.exercises.checker import Wrong
from clustersim.exercises.labels import colliding, find_label, reads_as, unknown_label_hint


@pytest.mark.parametrize(("typed", "label"), [
    ("left behind", "left behind"), ("left-behind", "left behind"),
    ("Left_Behind", "left behind"), ("leftbehind", "left behind"),
    ("  LEFT   behind ", "left behind"), ("daemon set", "DaemonSet"), ("daemonset", "DaemonSet"),
    ("Daemon-Set", "DaemonSet"), ("cron_job", "CronJob"), ("still-running", "still running"),
    ("completions reached", "CompletionsReached"), ("k3s", "k3s"),
    ("Managed-Kubernetes", "managed kubernetes"),
])
def test_case_and_the_places_between_words_may_vary(typed: str, label: str) -> None:
    assert reads_as(typed, label)


@pytest.mark.parametrize(("typed", "label"), [
    ("pin_ned", "pinned"), ("pin ned", "pinned"), ("fol-lows", "follows"),
    ("Deployments", "Deployment"), ("Dae monSet", "DaemonSet"), ("daemons et", "DaemonSet"),
    ("left behind!", "left behind"), ("left", "left behind"), ("", "left behind"),
    ("-", "left behind"), (None, "left behind"), (True, "true"), ("Stateful", "StatefulSet"),
])
def test_nothing_else_varies(typed: object, label: str) -> None:
    """"pin_ned" was read as pinned: every space, hyphen and underscore was dropped, even
    inside a word."""
    assert not reads_as(typed, label)


def test_a_split_word_is_no_label_and_is_told_which_it_nearly_is() -> None:
    truth = {"Kubernetes emptyDir": "left behind", "Marathon sandbox": "left behind"}
    with pytest.raises(Wrong) as refused:
        classify({"Kubernetes emptyDir": "left behind", "Marathon sandbox": "left_be_hind"},
                 truth, ("pinned", "follows", "left behind"), {})
    assert "no valid label" in refused.value.message
    assert refused.value.hint.startswith("Did you mean 'left behind'?")
    assert "'left_be_hind' splits one" in refused.value.hint


def test_labels_that_one_word_reads_as_both_collide() -> None:
    assert colliding(("DaemonSet", "daemon set", "Job")) == [("DaemonSet", "daemon set")]
    assert colliding(("left behind", "left-behind")) == [("left behind", "left-behind")]
    assert colliding(("CronJob", "Job", "pinned", "pin")) == []
    assert find_label("daemonset", ("Job", "DaemonSet")) == "DaemonSet"


def _classify_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[str, ...],
                                                                    Mapping[str, str]]]:
    """(check, labels, plausible words) of every check in clustersim.exercises that reads
    labels with ``classify``: each check is called with None for its answers, and each
    module's ``classify`` is replaced by one that records what it was given."""
    calls: list[tuple[str, tuple[str, ...], Mapping[str, str]]] = []
    for info in pkgutil.iter_modules(clustersim.exercises.__path__):
        module = importlib.import_module(f"clustersim.exercises.{info.name}")
        if getattr(module, "classify", None) is not classify:
            continue
        for name, check in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("check_") or check.__module__ != module.__name__:
                continue

            def record(answer: object, truth: Any, labels: tuple[str, ...], hints: Any, *,
                       plausible: Mapping[str, str] | None = None, _name: str = name) -> None:
                calls.append((_name, labels, plausible or {}))
                raise Wrong("recorded")

            monkeypatch.setattr(module, "classify", record)
            arguments = inspect.signature(check).parameters
            check(*[None] * len(arguments))
    return calls


def test_no_two_labels_of_a_question_collide_and_every_plausible_word_is_no_label(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _classify_calls(monkeypatch)
    assert {"check_storage_kinds", "check_workload_kinds", "check_alternatives",
            "check_job_endings"} <= {name for name, _, _ in calls}
    for name, labels, plausible in calls:
        assert colliding(labels) == [], name
        read = {word: find_label(word, labels) for word in plausible}
        assert {w: label for w, label in read.items() if label} == {}, name


PLAUSIBLE = [
    (comparing.check_workload_kinds, comparing._WORKLOADS, "global", "Swarm service mode"),
    (comparing.check_workload_kinds, comparing._WORKLOADS, "ReplicaSet", "write the Deployment"),
    (comparing.check_workload_kinds, comparing._WORKLOADS, "replicated-job", "Swarm"),
    (comparing.check_workload_kinds, comparing._WORKLOADS, "Deployments",
     "Did you mean 'Deployment'?"),
    (comparing.check_storage_kinds, comparing._STORAGE_KINDS, "stays",
     "does the task stay with it"),
    (comparing.check_storage_kinds, comparing._STORAGE_KINDS, "persistent", "outlives the task"),
    (comparing.check_network_statements, comparing._NETWORK_STATEMENTS, "it depends",
     "false as written"),
    (comparing.check_design_or_status, comparing._DESIGN_OR_STATUS, "outdated",
     "next question's label"),
    (comparing.check_claim_verdicts, {str(i): "" for i in range(1, 7)}, "design",
     "design-or-status question"),
    (comparing.check_claim_verdicts, {str(i): "" for i in range(1, 7)}, "out of date",
     "changed since is what the label 'outdated' says"),
    (comparing.check_layers, comparing._LAYERS, "both", "one layer"),
    (comparing.check_layers, comparing._LAYERS, "agent", "parts of Mesos"),
    (choosing.check_alternatives, choosing._SITUATIONS, "compose", "next question"),
    (choosing.check_alternatives, choosing._SITUATIONS, "kubernetes", "not among the options"),
    (choosing.check_no_cluster, choosing._NO_CLUSTER, "k3s", "previous question"),
    (choosing.check_no_cluster, choosing._NO_CLUSTER, "Cloud Run", "managed container service"),
    (choosing.check_managed_duties, choosing._DUTIES, "shared", "one owner"),
    (kubernetes_2026.check_job_endings, kubernetes_2026.EXIT_CODES, "Failed",
     "condition's type"),
    (kubernetes_2026.check_job_endings, kubernetes_2026.EXIT_CODES, "FailJob",
     "action of a podFailurePolicy rule"),
]


def test_a_word_with_nothing_to_teach_gets_the_labels() -> None:
    assert unknown_label_hint("banana", ("pinned", "follows"), {}) == (
        "Use one of 'pinned', 'follows'.")
    assert unknown_label_hint(None, ("pinned", "follows"), {"none": "x"}) == (
        "Use one of 'pinned', 'follows'.")


CHOSEN = [
    # a tool's own word is judged as that tool (test_exercise_delivery): here, the first need
    (delivery.check_tools, delivery.NEEDS, "helm chart", "are what Helm installs"),
    (delivery.check_tools, delivery.NEEDS, "StatefulSet", "that know-how is an operator's"),
    (delivery.check_tools, delivery.NEEDS, "kustomise", "Did you mean 'kustomize'?"),
    (troubleshooting.check_diagnosis, ("cart", "mailer", "report", "search"), "ImagePullBackOff",
     "the cause is 'image'"),
    (troubleshooting.check_diagnosis, ("cart", "mailer", "report", "search"), "Pending",
     "not why"),
    (management.check_compose_up, management.COMPOSE_SITUATION, "restart",
     "without reading the file's changes"),
    (management.check_compose_up, management.COMPOSE_SITUATION, "start-first",
     "update order of a Swarm service"),
    (mesos_chapter.check_claim_verdicts, mesos_chapter.claims(), "garbled",
     "The case study's garbled"),
]


@pytest.mark.parametrize(("check", "items", "typed", "taught"), PLAUSIBLE + CHOSEN,
                         ids=[f"{c.__name__}-{t}" for c, _, t, _ in PLAUSIBLE + CHOSEN])
def test_a_plausible_word_is_told_why_it_is_no_label(check: Any, items: Any, typed: str,
                                                      taught: str) -> None:
    """A term from the field, a near miss or a label of the neighbouring question got only
    "Use one of ..." (``classify``) or "Answer with one of ..." (``choice``); now the hint
    says what the word is and why it does not fit, then names the labels."""
    feedback = check(dict.fromkeys(items, typed))
    assert "no valid label" in feedback.message or "not one of the choices" in feedback.message
    assert taught in feedback.hint
    assert "Use one of" in feedback.hint or "Answer with one of" in feedback.hint


def test_a_choice_without_plausible_words_guesses_no_name() -> None:
    """Names such as nodes' are not guessed at: node-9 is no typo of node-1."""
    with pytest.raises(Wrong) as refused:
        choice("node-9", ("node-1", "node-2"), "node")
    assert refused.value.hint == "Answer with one of: 'node-1', 'node-2'."


@pytest.mark.parametrize(("words", "options"), [
    (delivery._TOOL_WORDS, delivery.TOOLS), (troubleshooting._CAUSE_WORDS,
                                             (*troubleshooting.CAUSES, "resource")),
    (management._COMPOSE_WORDS, management.COMPOSE_ACTIONS),
    (mesos_chapter._MESOS_VERDICT_WORDS, ("wrong", "outdated")),
])
def test_no_plausible_word_is_a_choice(words: Mapping[str, str], options: tuple[str, ...]) -> None:
    """A word that is a choice (or an alias of one) is read as the choice: its hint would
    never be shown."""
    assert [w for w in words if find_label(w, options)] == []


@pytest.mark.parametrize("value, letters", [
    ("left-behind", "leftbehind"), (" Daemon_Set ", "daemonset"), ("CronJob", "cronjob"),
    (3, None), (None, None)])
def test_label_word_keeps_giving_a_labels_letters(value: object, letters: str | None) -> None:
    """``answers.label_word`` (a name checks outside this package may import) still gives the
    letters a label is compared by, though ``classify`` now reads labels word by word."""
    assert label_word(value) == letters



def test_meant_label_reads_a_synonym_as_a_label_is_read() -> None:
    from clustersim.exercises.labels import meant_label
    synonyms = {"Argo CD": "gitops", "self-healing": "recovery"}
    assert meant_label("argo-cd", synonyms) == "gitops"
    assert meant_label(" Self Healing ", synonyms) == "recovery"
    assert meant_label("argocd2", synonyms) is None and meant_label(3, synonyms) is None
