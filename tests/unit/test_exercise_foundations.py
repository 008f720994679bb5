"""Checks of the foundation chapters' exercises: right answers pass, typical wrong ones get
the intended hint, and nonsense never raises."""

from __future__ import annotations

import json
import re

import pytest

from clustersim.exercises.containers import _NAMESPACE_SITUATIONS as NAMESPACE_SITUATIONS
from clustersim.exercises.foundations import (
    DESIRED,
    HAND_EDITS,
    IMAGE_REFERENCES,
    K8S_MECHANISMS,
    OBSERVED,
    ORCHESTRATOR_JOBS,
    PROBE,
    RESTART_SCENARIOS,
    check_by_hand_jobs,
    check_cgroup_limits,
    check_compose_up,
    check_filter_rank,
    check_hand_edits,
    check_namespaces,
    check_pinned_references,
    check_reconcile,
    check_restart_policy,
    cpu_max,
    filter_rank_cluster,
    hand_edits_run,
    is_pinned,
    reconcile,
)
from clustersim.exercises.management import _BY_HAND_JOBS as BY_HAND_JOBS
from clustersim.exercises.management import _KUBERNETES_OF, NEAR_MISSES
from tests.conftest import ROOT

DOCKER, POD = "docker run --memory 256m --cpus 0.5", "Pod limits {cpu: 1500m, memory: 256M}"
COMPOSE = {"web": "recreate", "cart": "nothing", "db": "start", "search": "create",
           "report": "nothing"}
RESTARTED = dict(zip(RESTART_SCENARIOS, [True, False, False, False, True, False], strict=True))


def limits(docker_mem: object = 268435456, pod_mem: object = 256_000_000,
           docker_cpu: object = "50000 100000", pod_cpu: object = "150000 100000") -> dict:
    return {DOCKER: {"memory.max": docker_mem, "cpu.max": docker_cpu},
            POD: {"memory.max": pod_mem, "cpu.max": pod_cpu}}


@pytest.mark.parametrize("check, answer", [
    (check_namespaces, None), (check_namespaces, 42), (check_cgroup_limits, {"a": 1}),
    (check_compose_up, ["web"]), (check_restart_policy, "yes"), (check_reconcile, 3),
    (check_cgroup_limits, {DOCKER: None, POD: None}),
])
def test_nonsense_gets_feedback_not_a_traceback(check, answer) -> None:
    feedback = check(answer)
    assert not feedback.passed and feedback.hint


def test_namespaces() -> None:
    assert check_namespaces(dict(NAMESPACE_SITUATIONS)).passed
    wrong = {**NAMESPACE_SITUATIONS, "sees its first process as PID 1": "cgroup"}
    assert "cgroup tree" in check_namespaces(wrong).hint
    wrong = {**NAMESPACE_SITUATIONS, "is root inside but an unprivileged user on the host": "pid"}
    assert "pid namespace gives a process its own process IDs" in check_namespaces(wrong).hint
    assert "one of" in check_namespaces({**NAMESPACE_SITUATIONS,
                                         "sees its first process as PID 1": "proc"}).hint


def test_cpu_max_follows_the_period() -> None:
    assert cpu_max("500m") == "50000 100000"
    assert cpu_max("2") == "200000 100000"


def test_cgroup_limits_hints_name_the_unit_mistake() -> None:
    assert check_cgroup_limits(limits()).passed
    assert check_cgroup_limits(limits(docker_cpu=" 50000   100000 ")).passed
    assert "binary" in check_cgroup_limits(limits(docker_mem=256_000_000)).hint
    assert "10^6" in check_cgroup_limits(limits(pod_mem=256 * 2**20)).hint
    assert "period" in check_cgroup_limits(limits(docker_cpu="0.5")).hint
    assert "whole number" in check_cgroup_limits(limits(docker_mem="256m")).message


@pytest.mark.parametrize("quota", ["150000000", "1500", "1500000"])
def test_a_quota_that_misreads_the_millicores_is_told_what_m_means(quota: str) -> None:
    """1500m read as 1500 CPUs, 1500 µs or 1500 ms (a newcomer trial of Part I) was told only
    the form of the line."""
    feedback = check_cgroup_limits(limits(pod_cpu=f"{quota} 100000"))
    assert not feedback and "1500m is 1.5 CPUs" in feedback.hint


@pytest.mark.parametrize("value", [268435456.0, 256e6, 2.68435456e8])
def test_a_whole_float_for_memory_max_is_told_to_be_an_int(value: float) -> None:
    """268435456.0 was told it 'is not a whole number of bytes': its value is whole, its
    type is not."""
    feedback = check_cgroup_limits(limits(docker_mem=value))
    assert not feedback and "give an int" in feedback.message
    assert "not a whole number" not in feedback.message
    assert f"Write {int(value)}," in feedback.hint


def test_memory_max_in_quotes_is_told_to_drop_them() -> None:
    feedback = check_cgroup_limits(limits(docker_mem="268435456"))
    assert not feedback and "not a whole number" not in feedback.message
    assert "Drop the quotes" in feedback.hint


@pytest.mark.parametrize("service", ["web", "cart", "db", "search", "report"])
@pytest.mark.parametrize("wrong", ["create", "recreate", "start", "nothing"])
def test_a_compose_up_hint_does_not_name_the_right_action(service: str, wrong: str) -> None:
    """The hints said "up creates one" and "up starts the stopped container": the answer."""
    right = COMPOSE[service]
    if wrong == right:
        return
    feedback = check_compose_up({**COMPOSE, service: wrong})
    assert not feedback.passed
    assert not re.search(rf"\b{right}(s|d|ed)?\b", feedback.hint, re.IGNORECASE), feedback.hint


@pytest.mark.parametrize("service, wrong, hint", [
    ("web", "nothing", "configuration"),
    ("db", "recreate", "only its state differs"),
    ("report", "recreate", "--remove-orphans"),
    ("search", "start", "none to compare"),
    # a word that means one action is judged as it ("keep" for web: not "the choice is
    # 'nothing'", a wrong action offered as the fix)
    ("web", "keep", "image cannot change once it exists"),
    ("cart", "update", "here they agree"),
    ("search", "remove", "one of"),
])
def test_compose_up_hints(service: str, wrong: str, hint: str) -> None:
    assert check_compose_up(COMPOSE).passed
    assert hint in check_compose_up({**COMPOSE, service: wrong}).hint


def test_restart_policy_hints() -> None:
    assert check_restart_policy(RESTARTED).passed
    scenarios = list(RESTART_SCENARIOS)
    lost_host = {**RESTARTED, scenarios[-1]: True}
    assert "orchestrator" in check_restart_policy(lost_host).hint
    stopped = {**RESTARTED, scenarios[3]: True}
    assert "stays stopped" in check_restart_policy(stopped).hint
    assert "True or False" in check_restart_policy({**RESTARTED, scenarios[0]: "yes"}).message
    assert "without quotes" in check_restart_policy({**RESTARTED, scenarios[0]: "True"}).hint


def test_printing_the_restart_scenarios_does_not_give_the_answers() -> None:
    """RESTART_SCENARIOS was a dict scenario → answer: the exercise notebook imports it, so
    printing it gave every answer away. It names the scenarios only."""
    assert all(isinstance(scenario, str) for scenario in RESTART_SCENARIOS)
    assert "True" not in repr(RESTART_SCENARIOS) and "False" not in repr(RESTART_SCENARIOS)


def test_reconcile_counts_only_live_copies() -> None:
    assert reconcile(DESIRED, OBSERVED) == {"web": 2, "cart": -1, "report": -1}
    assert reconcile({"a": 2}, [{"service": "a", "state": "running"}] * 2) == {}


@pytest.mark.parametrize("starter", [{"web": 0, "cart": 0, "report": 0}, {}, {"web": None}])
def test_reconcile_starter_is_not_answered_yet(starter: dict) -> None:
    """The untouched starter's hint told the answer for report (its desired count is 0)."""
    feedback = check_reconcile(starter)
    assert not feedback.passed and feedback.message.endswith("not answered yet.")
    assert "report" not in feedback.message + feedback.hint


@pytest.mark.parametrize("targets", [{"web": 3, "cart": 2, "report": 0}, {"web": 3, "cart": 2}])
def test_reconcile_target_counts_are_told_to_write_the_change(targets: dict) -> None:
    """The desired counts instead of the changes got "report: something must happen"."""
    assert "Write the change, not the target" in check_reconcile(targets).hint


def test_reconcile_hints() -> None:
    assert check_reconcile({"web": 2, "cart": -1, "report": -1}).passed
    assert check_reconcile({"web": 2.0, "cart": -1.0, "report": -1}).passed
    assert "Drop the quotes" in check_reconcile({"web": "+2", "cart": -1, "report": -1}).hint
    assert check_reconcile({"web": 2, "cart": -1, "report": -1, "db": 0}).passed
    assert "lost" in check_reconcile({"web": 1, "cart": -1, "report": -1}).hint
    assert "no longer names" in check_reconcile({"web": 2, "cart": -1}).hint
    assert "Desired 2, running 3" in check_reconcile({"web": 2, "cart": 1, "report": -1}).hint


def test_filter_rank_agrees_with_the_scheduler() -> None:
    verdicts = filter_rank_cluster().explain(PROBE)
    feasible = {n for n, v in verdicts.items() if v.feasible}
    assert feasible == {"node-a", "node-c"}
    assert check_filter_rank(feasible, max(feasible, key=lambda n: verdicts[n].total)).passed


@pytest.mark.parametrize("feasible, chosen, hint", [
    ({"node-a", "node-b", "node-c"}, "node-c", "cordoned"),
    ({"node-a", "node-c", "gpu-1"}, "node-c", "taint"),
    ({"node-a", "node-c", "node-d"}, "node-c", "one node"),
    ({"node-a"}, "node-a", "passes the filters too"),
    ({"node-a", "node-c"}, "node-a", "in proportion"),
    ({"node-z"}, "node-a", "node-a, node-b"),
])
def test_filter_rank_hints(feasible: set, chosen: str, hint: str) -> None:
    feedback = check_filter_rank(feasible, chosen)
    assert not feedback.passed
    assert hint in feedback.hint + feedback.message


def test_filter_rank_reads_node_names_in_any_case() -> None:
    assert check_filter_rank(["Node-A", "node-c "], " NODE-C").passed


def test_a_chosen_node_that_fails_the_filters_is_told_why() -> None:
    feedback = check_filter_rank({"node-a", "node-c"}, "gpu-1")
    assert "does not pass the filters" in feedback.message and "taint" in feedback.hint


def test_pinned_references_follow_the_reference_grammar() -> None:
    # distribution/reference reference.go: name[:tag][@digest]; a host:port is part of the name
    assert [is_pinned(r) for r in IMAGE_REFERENCES] == [False, False, False, True, True, False]
    assert not is_pinned("localhost:5000/web@sha256:abc")     # a digest has 64 hex digits
    assert check_pinned_references([r for r in IMAGE_REFERENCES if is_pinned(r)]).passed


@pytest.mark.parametrize("answer, hint", [
    (set(IMAGE_REFERENCES), "not answered yet"),
    (set(IMAGE_REFERENCES) - {IMAGE_REFERENCES[1]}, "latest"),
    ({IMAGE_REFERENCES[3]}, "a push can move a tag"),
    (set(), "computed from its content"),
    ({IMAGE_REFERENCES[3], IMAGE_REFERENCES[4], IMAGE_REFERENCES[1]}, "pointer"),
    ({IMAGE_REFERENCES[3], IMAGE_REFERENCES[4], IMAGE_REFERENCES[5]}, "registry host"),
    ({"busybox"}, "exactly"),
    ("nginx", "set"),
])
def test_pinned_reference_hints(answer: object, hint: str) -> None:
    feedback = check_pinned_references(answer)
    assert not feedback.passed and feedback.hint
    assert hint in feedback.message + feedback.hint, feedback


def test_hand_edits_follow_the_controllers() -> None:
    # replica_set.go recreates a deleted Pod; deployment/sync.go recreates a deleted
    # ReplicaSet; a Pod without an owner is not recreated; scale edits spec.replicas.
    truth = hand_edits_run()
    assert list(truth.values()) == [3, 0, 3, 5]
    assert check_hand_edits(truth).passed
    assert check_hand_edits({edit: float(n) for edit, n in truth.items()}).passed


@pytest.mark.parametrize("index, wrong, hint", [
    (0, 2, "another difference"), (1, 1, "no controller"), (2, 0, "owns the ReplicaSet"),
    (3, 3, "desired state"), (0, "3", "Drop the quotes"), (0, 2.5, "Write a number"),
])
def test_hand_edit_hints(index: int, wrong: object, hint: str) -> None:
    answer = dict(zip(HAND_EDITS, [3, 0, 3, 5], strict=True))
    feedback = check_hand_edits({**answer, HAND_EDITS[index]: wrong})
    assert not feedback.passed and hint in feedback.hint


BY_HAND = {question: _KUBERNETES_OF[job] for question, job in BY_HAND_JOBS.items()}
"""The questions with the Kubernetes mechanism that answers each."""


def test_by_hand_jobs() -> None:
    assert sorted(BY_HAND_JOBS.values()) == sorted(ORCHESTRATOR_JOBS)   # each used once
    assert sorted(BY_HAND.values()) == sorted(K8S_MECHANISMS)
    assert check_by_hand_jobs(dict(BY_HAND_JOBS)).passed
    assert check_by_hand_jobs({q: f" {j.upper()} " for q, j in BY_HAND_JOBS.items()}).passed
    question = "web must reach cart, which moved to machines 5 and 8."
    wrong = check_by_hand_jobs({**BY_HAND_JOBS, question: "placement"})
    assert not wrong.passed and "follow the copies" in wrong.hint
    assert "'health'" in check_by_hand_jobs({**BY_HAND_JOBS, question: "DNS"}).hint
    assert "Replace" in check_by_hand_jobs(dict.fromkeys(BY_HAND_JOBS)).hint


@pytest.mark.parametrize("question", list(BY_HAND_JOBS))
def test_a_wrong_job_s_hint_names_neither_the_job_nor_its_mechanism(question: str) -> None:
    """The hint for a wrong job named the right one ("Choosing a machine with room is
    placement"): an answer one-to-one, since the job and its Kubernetes name both pass."""
    right = BY_HAND_JOBS[question]
    other = next(job for job in ORCHESTRATOR_JOBS if job != right)
    hint = check_by_hand_jobs({**BY_HAND_JOBS, question: other}).hint.casefold()
    assert hint and right.casefold() not in hint and _KUBERNETES_OF[right].casefold() not in hint


@pytest.mark.parametrize(("near_miss", "meant"), [
    ("rolling update", "rolling updates"), ("Service Discovery", "discovery"),
    ("scheduling", "placement"), ("autoscaling", "scaling"),
    ("self-healing", "recovery from machine failure"), ("health monitoring", "health"),
])
def test_by_hand_jobs_near_misses_ask_did_you_mean(near_miss: str, meant: str) -> None:
    """They got "not one of the jobs" with no word on the job they meant."""
    question = next(q for q, job in BY_HAND_JOBS.items() if job == meant)
    feedback = check_by_hand_jobs({**BY_HAND_JOBS, question: near_miss})
    assert not feedback.passed and f"Did you mean {meant!r}?" in feedback.hint
    assert set(NEAR_MISSES.values()) <= set(ORCHESTRATOR_JOBS)


@pytest.mark.parametrize("question", list(BY_HAND_JOBS))
@pytest.mark.parametrize("word", ["load balancing", "Load-Balancer", "Deployment", "ReplicaSet"])
def test_a_word_of_no_one_job_is_not_asked_did_you_mean(question: str, word: str) -> None:
    """"load balancing" was asked "Did you mean 'discovery'?" wherever it was typed: the answer
    to one question, and a wrong lead for "The load doubled" (scaling). Such a word is told
    what it is, and no job is suggested."""
    feedback = check_by_hand_jobs({**BY_HAND_JOBS, question: word})
    assert not feedback.passed and "did you mean" not in feedback.hint.casefold()
    assert word.casefold().replace("-", " ")[:8] in feedback.hint.casefold()


def test_a_near_miss_for_another_job_gets_the_question_s_hint() -> None:
    """"scheduling" typed for the machine that died was asked "Did you mean 'placement'?",
    steering to a wrong answer: the word is judged as the job it means."""
    question = "A machine died at 03:00: restart what ran there elsewhere."
    feedback = check_by_hand_jobs({**BY_HAND_JOBS, question: "scheduling"})
    assert not feedback.passed and "did you mean" not in feedback.hint.casefold()
    assert feedback.hint == check_by_hand_jobs({**BY_HAND_JOBS, question: "placement"}).hint


def test_filter_rank_names_the_set_it_asks_for() -> None:
    """The starter is a set in braces; the hint said "a list ... in square brackets"."""
    feedback = check_filter_rank("node-a", "node-a")
    assert "a set of node names" in feedback.message and "curly braces" in feedback.hint
    assert "square" not in feedback.hint


def test_by_hand_jobs_are_answerable_from_the_management_chapter() -> None:
    """The exercise asked for kube-scheduler, probes, HorizontalPodAutoscaler..., which the
    management chapter never names: it now asks for the jobs its key points name, accepts the
    Kubernetes names too, and teaches them in its feedback."""
    chapter = " ".join((ROOT / "book" / "foundations" / "management.md").read_text().split())
    key_points = chapter[chapter.index("Key points"):]
    assert all(job in key_points for job in ORCHESTRATOR_JOBS)
    right = check_by_hand_jobs(dict(BY_HAND_JOBS))
    assert all(mechanism in right.message for mechanism in K8S_MECHANISMS
               if mechanism != "Deployment rolling update")
    assert check_by_hand_jobs(dict(BY_HAND)).passed          # the Kubernetes names
    assert not check_by_hand_jobs({**BY_HAND, "Is every copy healthy?": "Secret"}).passed


def test_the_orchestration_chapter_tables_the_same_jobs() -> None:
    """management.md named seven jobs and orchestration.md seven others (no discovery row),
    while the exercise promised the next chapter had them for all three systems."""
    chapter = (ROOT / "book" / "foundations" / "orchestration.md").read_text("utf-8")
    rows = [line.split("|")[1].strip() for line in chapter.splitlines()
            if line.startswith("| **")]
    named = {row.split("**")[1].casefold() for row in rows}
    assert set(ORCHESTRATOR_JOBS) <= named, set(ORCHESTRATOR_JOBS) - named


@pytest.mark.parametrize("situation", list(NAMESPACE_SITUATIONS))
@pytest.mark.parametrize("kind", ["mount", "pid", "network", "uts", "ipc", "user", "cgroup",
                                  "time"])
def test_a_wrong_namespace_s_hint_does_not_name_the_right_one(situation: str, kind: str) -> None:
    """The hint for a wrong kind named the right one ("Mapping root inside ... is the user
    namespace's job"): it now says what the kind given isolates."""
    right = NAMESPACE_SITUATIONS[situation]
    if kind == right:
        return
    feedback = check_namespaces({**NAMESPACE_SITUATIONS, situation: kind})
    assert not feedback.passed and f"{right} namespace" not in feedback.hint.casefold()
    assert f"The {kind} namespace" in feedback.hint


@pytest.mark.parametrize(("word", "taught"), [
    ("hostname", "what the container sees"), ("Host name", "what the container sees"),
    ("PID 1", "what the container sees"), ("chroot", "system calls"),
    ("pivot_root", "system calls"), ("cgroups", "limit what a container uses"),
    ("overlayfs", "OverlayFS"), ("capabilities", "no view"), ("/proc", "/proc is"),
])
def test_namespace_words_from_the_field_get_their_hint(word: str, taught: str) -> None:
    """hostname and chroot got only "Answer with one of ..."."""
    situation = next(iter(NAMESPACE_SITUATIONS))
    feedback = check_namespaces({**NAMESPACE_SITUATIONS, situation: word})
    assert not feedback.passed and taught in feedback.hint


def test_namespaces_accept_the_kind_with_the_word_namespace() -> None:
    """"PID namespace" and the tools' "userns", "netns" mean a kind; they were refused."""
    spelt = {s: f"{k.upper()} namespace" for s, k in NAMESPACE_SITUATIONS.items()}
    assert check_namespaces(spelt).passed
    tools = {s: {"user": "userns", "network": "netns"}.get(k, k)
             for s, k in NAMESPACE_SITUATIONS.items()}
    assert check_namespaces(tools).passed


def test_namespaces_accept_the_kernels_short_names() -> None:
    """/proc/<pid>/ns/ and lsns name the mount and network namespaces mnt and net."""
    short = {s: {"mount": "mnt", "network": "net"}.get(k, k)
             for s, k in NAMESPACE_SITUATIONS.items()}
    assert check_namespaces(short).passed
    assert check_namespaces({s: k.upper() for s, k in short.items()}).passed
    swapped = {s: {"pid": "net"}.get(k, k) for s, k in short.items()}
    feedback = check_namespaces(swapped)
    assert not feedback.passed and "not the network namespace" in feedback.message


def test_the_reconcile_starter_names_every_service() -> None:
    """The starter cell of Exercise 1 (exercises/orchestration.ipynb) was ``{"web": 0, "cart":
    0}``, without ``report``, which the scenario deletes, where the task says "for each
    service". It names every service desired or observed."""
    cells = json.loads((ROOT / "exercises" / "orchestration.ipynb").read_text("utf-8"))["cells"]
    [starter] = [cell for cell in cells if cell["cell_type"] == "code"
                 and "".join(cell["source"]).startswith("actions = {")]
    names: dict[str, object] = {}
    exec("".join(starter["source"]), names)
    assert set(names["actions"]) == set(DESIRED) | {c["service"] for c in OBSERVED}


@pytest.mark.parametrize(("service", "word", "taught"), [
    ("cart", "no change", "is the choice 'nothing'"), ("report", "orphan", "An orphan is"),
    ("search", "build", "builds an image only"), ("db", "up", "up is the command"),
])
def test_compose_up_words_from_the_field(service: str, word: str, taught: str) -> None:
    """"no change", "orphan", "build" and "up" got only "Answer with one of ..."."""
    from clustersim.exercises.management import _COMPOSE_RIGHT, check_compose_up
    feedback = check_compose_up({**_COMPOSE_RIGHT, service: word})
    assert not feedback.passed and taught in feedback.hint
