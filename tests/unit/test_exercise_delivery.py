"""Typical answers to the delivery exercises get the right verdict and hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.delivery import _NEEDS as NEEDS
from clustersim.exercises.delivery import build, check_generator_edit, check_tools

RIGHT = {"configmap_name_changes": True, "old_pods_read_the_new_config": False,
         "deployment_rolls_out": True, "old_configmap_remains": True}


def test_the_build_rewrites_the_reference_to_the_hashed_name() -> None:
    config, deployment = build("info")
    name = config["metadata"]["name"]
    assert name.startswith("api-config-") and len(name) == len("api-config-") + 10
    env = deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"]
    assert env == [{"configMapRef": {"name": name}}]
    assert build("debug")[0]["metadata"]["name"] != name


@pytest.mark.parametrize("changes, passed, words", [
    ({}, True, "Right"),
    ({"configmap_name_changes": False}, False, "hash"),
    ({"old_pods_read_the_new_config": True}, False, "old name"),
    ({"deployment_rolls_out": False}, False, "Pod template"),
    ({"old_configmap_remains": False}, False, "--prune"),
    ({"old_configmap_remains": None}, False, "True or False"),
])
def test_generator_edit(changes, passed, words) -> None:
    feedback = check_generator_edit({**RIGHT, **changes})
    assert feedback.passed is passed
    assert words in feedback.message + feedback.hint


def test_generator_edit_needs_the_keys() -> None:
    assert "keys" in check_generator_edit({}).message


@pytest.mark.parametrize("swap, words", [
    ({"helm": "kustomize"}, "history of releases"),
    ({"kustomize": "helm"}, "Without templates"),
    ({"gitops": "kustomize"}, "reviewed commits"),
    ({"operator": "helm"}, "Failover"),
    ({"operator": "ansible"}, "one of"),
])
def test_tools(swap, words) -> None:
    answer = {need: swap.get(tool, tool) for need, tool in NEEDS.items()}
    feedback = check_tools(answer)
    assert not feedback.passed
    assert words in feedback.message + feedback.hint
    assert check_tools(dict(NEEDS)).passed


def test_tools_read_in_any_case() -> None:
    assert check_tools({need: f"{tool.title()} " for need, tool in NEEDS.items()}).passed
    answer = {need: tool.upper() for need, tool in NEEDS.items()}
    first = next(iter(NEEDS))
    feedback = check_tools({**answer, first: "KUSTOMIZE"})
    assert not feedback.passed and "history of releases" in feedback.hint


@pytest.mark.parametrize("tool", ["helm", "kustomize", "gitops", "operator"])
def test_tool_hints_do_not_give_the_answer_away(tool) -> None:
    """A wrong tool for a need gets a hint about the need, which never names the right tool
    (nor Helm's "chart"): naming it would be the answer."""
    other = "gitops" if tool != "gitops" else "helm"
    answer = {need: (other if right == tool else right) for need, right in NEEDS.items()}
    hint = check_tools(answer).hint.lower()
    assert tool not in hint and "chart" not in hint


def test_the_gitops_need_says_self_heal():
    """delivery.md: Argo CD reports drift and undoes manual changes only with selfHeal, so
    the need that "gitops" answers says so (it read "manual changes are undone" alone)."""
    [need] = [n for n, tool in NEEDS.items() if tool == "gitops"]
    assert need.endswith("manual changes are undone (with self-heal)")


@pytest.mark.parametrize(("tool", "word"), [
    ("helm", "Argo CD"), ("gitops", "templates"), ("operator", "overlays"), ("kustomize", "CRD")])
def test_another_tool_s_own_word_gets_the_need_s_hint(tool, word) -> None:
    """"Argo CD" typed for the Helm need was told "the label is 'gitops'": a label that is
    wrong there, offered as if it were the fix."""
    [need] = [n for n, right in NEEDS.items() if right == tool]
    feedback = check_tools({**NEEDS, need: word})
    assert not feedback.passed and "the label is" not in feedback.hint
    assert feedback.hint == check_tools({**NEEDS, need: "helm" if tool != "helm"
                                         else "kustomize"}).hint
    right_word = check_tools({**NEEDS, "run PostgreSQL with automatic failover, backups and "
                              "minor-version upgrades": "CRD"})
    assert "the label is 'operator'" in right_word.hint
