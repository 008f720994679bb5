"""Checks of the day-2 exercises: each typical wrong answer gets its hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.day_2 import check_lost_quorum, check_upgrade_blockers, upgrade_blockers


def test_blockers_follow_the_skew_policy():
    assert upgrade_blockers() == ["1.34", "1.33"]


@pytest.mark.parametrize(("answer", "hint"), [
    # the rule, not a count that leaves one answer ("1.37, 1.36, 1.35 are the three allowed")
    (["1.33"], "at most three minors older than every API server"),
    (["1.35", "1.34", "1.33"], "three is allowed"),
    (["1.37", "1.34", "1.33"], "not newer than the API servers"),
    ([], "at most three minors older"),
    (["1.30"], "The kubelets run"),
    ("1.33", "as strings"),
])
def test_blocker_hints(answer, hint):
    feedback = check_upgrade_blockers(answer)
    assert not feedback.passed and hint in feedback.hint


@pytest.mark.parametrize("answer", [
    ["1.33", "1.34"],
    # as kubectl get nodes prints them, with a patch part, in a set or a tuple
    ["v1.34", "v1.33"], ["v1.34.2", " 1.33 "], {"1.34", "1.33"}, ("1.34", "1.33"),
])
def test_blockers_right_in_any_order_and_spelling(answer):
    feedback = check_upgrade_blockers(answer)
    assert feedback.passed, feedback.message


def test_blockers_name_what_is_not_a_version():
    feedback = check_upgrade_blockers(["v1.34", 1.33])
    assert not feedback.passed and "1.33 is a number, not text" in feedback.message


@pytest.mark.parametrize(("answer", "hint"), [
    ({"tolerated": 3, "command": "docker swarm init --force-new-cluster"}, "quorum"),
    ({"tolerated": 4, "command": "docker swarm init --force-new-cluster"}, "(N - 1) // 2"),
    ({"tolerated": 2, "command": "systemctl restart docker"}, "new cluster"),
    ({"tolerated": 2, "command": "docker swarm --force-new-cluster"}, "docker swarm init"),
    ({"tolerated": 2}, "starter"),
    ({"tolerated": "2", "command": "docker swarm init --force-new-cluster"}, "Drop the quotes"),
])
def test_quorum_hints(answer, hint):
    feedback = check_lost_quorum(answer)
    assert not feedback.passed and hint in feedback.hint


@pytest.mark.parametrize(("command", "words"), [
    ("docker swarm init --force-new-cluster=false", "turns the option off"),
    ("docker swarm init --force-new-cluster=0", "turns the option off"),
    ("docker swarm init --force-new-cluster=maybe", 'invalid argument "maybe"'),
    ("# docker swarm init --force-new-cluster", "runs nothing"),
    ("echo docker swarm init --force-new-cluster", "runs 'echo'"),
    ("docker swarm init --force-new-cluster && docker swarm leave --force", "'&&'"),
    ("docker swarm init --force-new-cluster; docker swarm leave --force", "';'"),
    # a newline ends a command: the second line was read as arguments of init
    ("docker swarm init --force-new-cluster\ndocker swarm leave --force", "a second line"),
    ("docker swarm init", "does not recover"),
    ("docker swarm init --force-new-cluster now", "accepts no arguments"),
    ("docker swarm init --force-new-cluster --advertise-addr", "needs an argument"),
    ("docker swarm init --force-new-cluster --force", "unknown flag: --force"),
    ("docker swarm init --force-new-cluster 'x", "cannot read"),
    (["docker", "swarm", "init"], "text in quotes"),
    ("sudo echo docker swarm init --force-new-cluster", "runs 'echo'"),
    ("sudo -E docker swarm init --force-new-cluster", "sudo without options, and '-E'"),
    ("FOO=--force-new-cluster", "only sets variables"),
    ("docker swarm init --force-new-cluster > out.txt", "redirects with '>'"),
    ("docker swarm init --force-new-cluster 2>/dev/null", "the shell, not docker"),
    ("docker swarm init --force-new-cluster >> log 2>&1", "redirects with '>>'"),
    ("docker swarm init --force-new-cluster < /dev/null", "redirects with '<'"),
    ("docker swarm init --force-new-cluster -h", "prints the usage and exits"),
    ("docker swarm init --help --force-new-cluster", "--help asks docker swarm init"),
    ("docker swarm init --force-new-cluster -f", "unknown shorthand flag: 'f' in -f"),
])
def test_the_recovery_command_is_read_as_the_shell_and_cli_read_it(command, words):
    feedback = check_lost_quorum({"tolerated": 2, "command": command})
    assert not feedback.passed and words in feedback.message + feedback.hint, feedback


@pytest.mark.parametrize("command", [
    "docker swarm init --force-new-cluster",
    "docker swarm init --force-new-cluster=true",
    "  docker swarm init --advertise-addr 10.0.0.1 --force-new-cluster  ",
    "docker swarm init --force-new-cluster --advertise-addr=eth0:2377 --autolock",
    "docker swarm init --force-new-cluster  # on the surviving manager",
    "sudo docker swarm init --force-new-cluster",
    "DOCKER_HOST=unix:///var/run/docker.sock docker swarm init --force-new-cluster",
    "A=1 sudo DOCKER_HOST=tcp://10.0.0.1:2375 docker swarm init --force-new-cluster",
    # a line continuation: the newline was read as an argument of init
    "docker swarm init \\\n  --force-new-cluster",
    "\n    docker swarm init --force-new-cluster\n",
])
def test_the_recovery_command_with_valid_init_flags_passes(command):
    assert check_lost_quorum({"tolerated": 2, "command": command}).passed


def test_quorum_right():
    for tolerated in (2, 2.0):      # a count is read alike in every check (whole_number)
        assert check_lost_quorum({"tolerated": tolerated,
                                  "command": "docker swarm init --force-new-cluster"}).passed


def test_the_starter_of_the_quorum_exercise_reads_as_not_answered_yet() -> None:
    """Regression test: the starter's None was reported as "do not tolerate None failures"."""
    feedback = check_lost_quorum({"tolerated": None, "command": None})
    assert not feedback and "not given" in feedback.message and "None failures" not in str(feedback)
