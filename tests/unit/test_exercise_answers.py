"""The shared answer readers of the exercise checks (clustersim.exercises.answers)."""

from __future__ import annotations

import shlex

import pytest

from clustersim.exercises.answers import (
    MAX_COMMAND_LENGTH,
    NEWLINE,
    choice,
    is_number,
    is_operator,
    is_whole,
    number,
    second_command,
    shell_words,
    whole_number,
)
from clustersim.exercises.checker import Wrong


def test_whole_numbers_of_every_numeric_type_a_learner_computes() -> None:
    numpy = pytest.importorskip("numpy")
    for value in (3, 3.0, numpy.int64(3), numpy.float64(3.0)):
        assert is_whole(value) and whole_number(value, "a count") == 3


@pytest.mark.parametrize("value", [True, 2.5, "3", None, float("inf"), float("nan")])
def test_anything_else_is_refused_with_a_message_not_a_crash(value) -> None:
    """inf and nan used to reach int() and raise OverflowError/ValueError."""
    assert not is_whole(value)
    with pytest.raises(Wrong):
        whole_number(value, "a count")


def test_checks_with_their_own_messages_share_the_reader() -> None:
    """fit.check_copies used to send nan to int() and answer 'could not read your answer'."""
    from clustersim.exercises.fit import check_copies

    numpy = pytest.importorskip("numpy")
    assert "not a whole number" in check_copies(float("nan")).message
    assert check_copies(numpy.int64(8)).passed


def test_yes_or_no_tells_text_from_a_missing_answer() -> None:
    """'Answer yes or no.' was the hint for the text 'yes' too; text is told to drop quotes."""
    from clustersim.exercises.answers import yes_or_no

    assert yes_or_no(True, "q") is True and yes_or_no(False, "q") is False
    for text in ("yes", "True"):
        with pytest.raises(Wrong, match="not True or False") as caught:
            yes_or_no(text, "q")
        assert "without quotes" in caught.value.hint
    with pytest.raises(Wrong) as caught:
        yes_or_no(None, "q")
    assert "True (yes) or False (no)" in caught.value.hint


@pytest.mark.parametrize("reader", [whole_number, number])
def test_a_number_in_quotes_is_told_to_drop_them(reader) -> None:
    """'3' used to get 'is not a whole number. Write a number such as 3.': the learner had
    written 3, and only the quotes were wrong."""
    with pytest.raises(Wrong, match="is text, not a number") as caught:
        reader(" 3 ", "a count")
    assert "Drop the quotes" in caught.value.hint
    for text in ("three", "inf", ""):   # not a number in quotes: the plain message
        with pytest.raises(Wrong, match="not a") as caught:
            reader(text, "a count")
        assert "quotes" not in caught.value.hint


@pytest.mark.parametrize(("text", "unit", "taught"), [
    ("35s", "seconds", "Write 35 with no unit"), ("35 s", "seconds", "Go flag"),
    ("35 seconds", "seconds", "plain number of seconds"),
    ("2m", "seconds", "'2m' is in minutes: convert it to seconds"),
    ("1500ms", "seconds", "in milliseconds"), ("1.5h", "seconds", "in hours"),
    ("5\u03bcs", "seconds", "in microseconds"),     # Go reads both micro signs
    ("256Mi", "bytes", "plain number of bytes"),
    ("256m", "bytes", "plain number of bytes"),    # a quantity here, not minutes
    ("268435456 bytes", "bytes", "Write 268435456 with no unit"),
    ("3 tasks", "", "Write the number with no unit."),
])
def test_a_number_with_a_unit_is_told_to_drop_the_unit(text: str, unit: str,
                                                       taught: str) -> None:
    """'35s' where seconds are asked got "Write a number such as 90", as if no number had
    been written: it is told to drop the unit, and in which unit the answer is counted."""
    for reader in (number, whole_number):
        with pytest.raises(Wrong) as caught:
            reader(text, "the wait", unit=unit)
        assert taught in caught.value.hint and "such as" not in caught.value.hint
    with pytest.raises(Wrong) as caught:
        number("thirty", "the wait", unit="seconds")
    assert "such as 90" in caught.value.hint


def test_the_checks_that_count_seconds_say_so() -> None:
    from clustersim.exercises.healing import check_failover_times
    from clustersim.exercises.troubleshooting import check_pull_retry
    assert "Write 85 with no unit" in check_pull_retry("85s").hint
    feedback = check_failover_times({"kubernetes": "171s", "marathon": 136})
    assert "plain number of seconds" in feedback.hint


def test_the_checks_that_copy_a_quantity_are_told_its_unit() -> None:
    """Compose's "delay: 10s" copied into minReadySeconds, "256Mi" into memory.max."""
    from clustersim.exercises.containers import CGROUP_CONTAINERS, check_cgroup_limits
    from clustersim.exercises.migration import check_update_config
    right = {"maxSurge": 2, "maxUnavailable": 0, "minReadySeconds": "10s",
             "rolls_back_by_itself": False}
    assert "Write 10 with no unit" in check_update_config(right).hint
    files = {"memory.max": "256Mi", "cpu.max": "50000 100000"}
    feedback = check_cgroup_limits(dict.fromkeys(CGROUP_CONTAINERS, files))
    assert "plain number of bytes" in feedback.hint


def test_number_takes_every_real_type_and_refuses_the_rest() -> None:
    numpy = pytest.importorskip("numpy")
    for value in (90, 90.0, numpy.int64(90), numpy.float64(90.0)):
        assert is_number(value) and number(value, "seconds") == 90.0
    for value in (True, None, float("nan"), float("inf"), [90], 10 ** 400):
        assert not is_number(value)
        with pytest.raises(Wrong):
            number(value, "seconds")


def test_checks_of_the_labs_read_numbers_alike() -> None:
    """NumPy ints, 6.0 and quoted numbers: the fleet, healing, rolling-update and DRF checks
    each had a reader of their own that refused numpy.int64 or 680.0 as 'not a number'."""
    from clustersim.exercises.drf import check_weights
    from clustersim.exercises.fit import check_copies
    from clustersim.exercises.fleet import check_nodes_scored
    from clustersim.exercises.healing import check_failover_times
    from clustersim.exercises.updates import check_restart_strategy, check_rolling_strategy

    numpy = pytest.importorskip("numpy")
    assert check_copies(8.0) and "Drop the quotes" in check_copies("8").hint
    assert check_weights(numpy.int64(5))
    assert check_nodes_scored({"5000 nodes, 3%": numpy.int64(150),
                               "2000 nodes, default": 680.0})
    assert "Drop the quotes" in check_nodes_scored({"2000 nodes, default": "680",
                                                    "5000 nodes, 3%": 150}).hint
    assert "There is no case '2000 nodes'" in check_nodes_scored(
        {"2000 nodes": 680, "5000 nodes, 3%": 150}).message
    assert check_failover_times({"kubernetes": numpy.int64(171), "marathon": 136.0})
    assert check_rolling_strategy(numpy.int64(1), 2.0)
    assert check_restart_strategy((numpy.int64(5), 10.0, 3))
    assert "Drop the quotes" in check_restart_strategy(("5", "10", "3")).hint


def test_an_answer_kubectl_would_refuse_is_not_judged_by_its_run() -> None:
    """A misspelt field (toleration for tolerations) or a removed apiVersion loads with a
    warning, and the checks judged the run: 'toleration' got a hint about tolerationSeconds,
    apps/v1beta1 passed. A real cluster refuses both."""
    from clustersim.exercises.answers import load_answer

    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
           "  containers: [{name: c, image: nginx}]\n")
    assert load_answer(pod, "Pod")
    with pytest.raises(Wrong, match=r'unknown field "spec\.toleration"') as caught:
        load_answer(pod + "  toleration: []\n", "Pod")
    assert "spelling" in caught.value.hint
    deployment = ("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
                  "  template:\n    metadata: {labels: {app: d}}\n"
                  "    spec: {containers: [{name: c, image: nginx}]}\n")
    with pytest.raises(Wrong, match="no longer served") as caught:
        load_answer(deployment, "Deployment")
    assert "apiVersion" in caught.value.hint


def test_every_answer_reads_what_load_manifests_reads() -> None:
    """``check_deployment_service`` alone read a list of objects (its own ``_as_one``), and
    a wrong type still heard it "must be ... as YAML text (or a dict)": the one reader takes
    a list or tuple of dicts for every check and says so."""
    from clustersim.exercises.answers import load_answer

    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    other = {**pod, "metadata": {"name": "q"}}
    assert [s.name for s in load_answer([pod, other], "manifests")] == ["p", "q"]
    assert [s.name for s in load_answer((pod,), "Pod")] == ["p"]
    with pytest.raises(Wrong, match=r"^The answer must be the Pod as YAML text \(or a dict, "
                       r"or a list of dicts\)\.$"):
        load_answer(42, "Pod")


def test_choice_keeps_the_exercises_spelling() -> None:
    """The options were lower-cased in the hint ('x', 'y') where the exercise says X and Y."""
    assert choice(" x ", ("X", "Y"), "next") == "X"
    assert choice("MOUNT", ("mount", "pid"), "where") == "mount"
    with pytest.raises(Wrong) as refused:
        choice("B", ("X", "Y"), "next")
    assert refused.value.hint == "Answer with one of: 'X', 'Y'."


def _split(line: str) -> list[str]:
    return shell_words(line, unreadable="unreadable", hint="fix it")


def test_an_over_long_line_is_refused_before_it_is_read(monkeypatch) -> None:
    """A pasted megabyte took shlex about 19 s (each word grows a character at a time), and
    reached the real CLI as 'Argument list too long'. The refusal comes before shlex reads a
    character (this had been timed, under 1 s, which a loaded machine can pass)."""
    assert _split("kubectl get pods " + "a" * (MAX_COMMAND_LENGTH - 17))[-1].startswith("a")

    def read(*args: object, **kwargs: object) -> None:
        raise AssertionError("the over-long line was given to shlex")

    monkeypatch.setattr(shlex, "shlex", read)
    with pytest.raises(Wrong) as refused:
        _split("A" * 10**6)
    assert "1,000,000 characters long" in refused.value.message
    assert "the one command" in refused.value.hint


@pytest.mark.parametrize(("line", "words"), [
    ("kubectl get pods  # the api tier", ["kubectl", "get", "pods"]),
    ("# kubectl get pods", []),
    ("kubectl get pods '#x' a#b", ["kubectl", "get", "pods", "#x", "a#b"]),
    ("docker swarm init && docker swarm leave", ["docker", "swarm", "init", "&&", "docker",
                                                  "swarm", "leave"]),
    ("kubectl get pods -o wide;kubectl delete pods --all", ["kubectl", "get", "pods", "-o",
                                                            "wide", ";", "kubectl", "delete",
                                                            "pods", "--all"]),
    ("kubectl get pods | grep api", ["kubectl", "get", "pods", "|", "grep", "api"]),
    ("docker swarm init 2>&1 >log", ["docker", "swarm", "init", "2", ">&", "1", ">", "log"]),
    ("kubectl get pods -l 'tier in (api, web)' -o \"custom-columns=N:.metadata.name\"",
     ["kubectl", "get", "pods", "-l", "tier in (api, web)", "-o",
      "custom-columns=N:.metadata.name"]),
    ("docker service update --secret-add source=a,target=b api\\ x",
     ["docker", "service", "update", "--secret-add", "source=a,target=b", "api x"]),
    ("sudo A=1 docker swarm init", ["sudo", "A=1", "docker", "swarm", "init"]),
    ("docker swarm init \\\n  --force-new-cluster", ["docker", "swarm", "init",
                                                    "--force-new-cluster"]),
    ("kubectl get \"po\\\nds\" 'a\\\nb'", ["kubectl", "get", "pods", "a\\\nb"]),
    ("kubectl get pods \\\n# a comment\n", ["kubectl", "get", "pods"]),
    ("echo a\\ #b;c", ["echo", "a #b", ";", "c"]),
    ("echo x;#y", ["echo", "x", ";"]),
    # a newline outside quotes ends a command (XCU 2.10.1's NEWLINE), where another follows
    ("kubectl get pods\nkubectl get nodes", ["kubectl", "get", "pods", NEWLINE, "kubectl",
                                             "get", "nodes"]),
    ("kubectl run x \\\n  --image=nginx", ["kubectl", "run", "x", "--image=nginx"]),
    ("\n  kubectl get pods  # shop\n\n", ["kubectl", "get", "pods"]),
    ("kubectl get pods &&\nkubectl get nodes;\necho", ["kubectl", "get", "pods", "&&",
                                                        "kubectl", "get", "nodes", ";", "echo"]),
    ("echo 'a\nb' \"c\nd\"\n# gone\necho", ["echo", "a\nb", "c\nd", NEWLINE, "echo"]),
])
def test_a_command_line_is_split_as_a_shell_splits_it(line: str, words: list[str]) -> None:
    """Quotes and backslashes removed, a comment dropped, each operator a word of its own even
    where it is glued to a word (``wide;``); sudo and an assignment are words as any other."""
    assert _split(line) == words


def test_operators_are_told_from_words() -> None:
    words = _split("kubectl get pods -l 'a=b' -o wide 2>/dev/null || echo 'x|y' &")
    assert [w for w in words if is_operator(w)] == [">", "||", "&"]
    assert "x|y" in words and not is_operator("x|y") and not is_operator("")


@pytest.mark.parametrize(("line", "said"), [
    ("kubectl get pods", None), ("kubectl get pods\n", None), ("a\nb", "a second line"),
    ("a || b\nc", "'||'"), ("a \\\n b", None),
])
def test_a_second_command_is_named_as_a_learner_reads_it(line: str, said: str | None) -> None:
    assert second_command(_split(line)) == said
    assert is_operator(NEWLINE)


@pytest.mark.parametrize("line", ["kubectl get pods -l 'tier=api", 'docker "swarm init',
                                  "kubectl get pods \\"])
def test_a_line_the_shell_cannot_read_is_wrong_in_the_callers_words(line: str) -> None:
    with pytest.raises(Wrong) as info:
        _split(line)
    assert info.value.message.startswith("unreadable: ") and info.value.hint == "fix it"
