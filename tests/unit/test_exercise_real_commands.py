"""Typical wrong answers to the real-commands exercises get a specific hint (each check runs
the real kubectl against a fresh simulated cluster)."""

from __future__ import annotations

import pytest

from clustersim.exercises.real_commands import check_api_pods_command, check_scale_command
from clustersim.serve import find_program

pytestmark = pytest.mark.skipif(find_program("kubectl") is None, reason="kubectl is missing")


@pytest.mark.parametrize(("command", "hint"), [
    (None, "Replace None"),
    ("", "inside the quotes"),
    ("   ", "inside the quotes"),
    (42, "in quotes"),
    ("ls -l", "starts with kubectl"),
    ("# kubectl get pods -l tier=api -o wide", "before any #"),
    ("kubectl get pods | grep api", "no pipes"),
    ("kubectl describe pods", "Start with `kubectl get pods`"),
    ("kubectl get pods", "api pods carry tier=api"),
    ("kubectl get pods -l app=api", "--show-labels"),
    ("kubectl get pods -l tier=frontend -o wide", "tier=api"),
    ("kubectl get pods -l tier=api", "-o wide"),
    ("kubectl get pods -l tier=api -o wide --no-such-flag", "Read the error"),
    # YAML's first column ('-', 'annotations:') was reported as the pods listed
    ("kubectl get pods -l tier=api -o yaml", "-o wide"),
    # a second command glued to the first ('wide;') reached kubectl as a flag
    ("kubectl get pods -l tier=api -o wide; kubectl delete pods --all", "no pipes"),
    # a newline ends a command: the second line reached kubectl as more names
    ("kubectl get pods -l tier=api -o wide\nkubectl delete pods --all", "with a backslash"),
    # the namespace is what is wrong, not the label: was told to check the label
    ("kubectl get pods -l tier=api -o wide -n kube-system", "Drop the namespace (kube-system)"),
    ("kubectl get pods -l tier=api -o wide --namespace=shop", "Drop the namespace (shop)"),
    # a column titled NODE that does not show the nodes
    ("kubectl get pods -l tier=api -o custom-columns=NAME:.metadata.name,NODE:.metadata.name",
     "-o wide"),
    # a watch never ends: the check waited 60 s for a TimeoutExpired traceback's words
    ("kubectl get pods -l tier=api -o wide -w", "Leave out -w"),
    ("kubectl get pods -l tier=api -o wide --watch-only=true", "Leave out --watch-only"),
])
def test_api_pods_command_wrong_answers(command, hint):
    feedback = check_api_pods_command(command)
    assert not feedback.passed and hint in feedback.hint


@pytest.mark.parametrize("command", ["kubectl get pods -l tier=api -o wide",
                                     "kubectl get po -o wide --selector tier=api",
                                     # NAMESPACE comes first: was 'lists default'
                                     "kubectl get pods -A -l tier=api -o wide",
                                     # the shell drops a comment: it reached kubectl as names
                                     "kubectl get pods -l tier=api -o wide  # with nodes",
                                     "kubectl get pods -l tier=api \\\n    -o wide\n",
                                     # global flags before the verb: was 'not a get pods'
                                     "kubectl -n default get pods -l tier=api -o wide",
                                     "kubectl --namespace=default get pods -l tier=api -o wide",
                                     "kubectl --request-timeout 30s get -l tier=api pods -o wide",
                                     # no header row: was 'no NAME column, add -o wide'
                                     "kubectl get pods -l tier=api -o wide --no-headers",
                                     "kubectl get pods -A -l tier=api -o wide --no-headers"])
def test_api_pods_command_right_answers(command):
    feedback = check_api_pods_command(command)
    assert feedback.passed and "-o wide adds the NODE column" in feedback.message


@pytest.mark.parametrize(("command", "column"), [
    ("kubectl get pods -l tier=api -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
     "NODE"),
    ("kubectl get pods -l tier=api -o=custom-columns=POD:.metadata.name,NAME:.metadata.name,"
     "HOST:.spec.nodeName", "HOST"),
])
def test_custom_columns_are_praised_for_what_they_did(command, column):
    """A custom NODE column was rightly accepted, but praised as '-o wide adds the NODE
    column'."""
    feedback = check_api_pods_command(command)
    assert feedback.passed and "-o wide" not in feedback.message
    assert f"your {column} column shows the node" in feedback.message


@pytest.mark.parametrize(("command", "hint"), [
    ("kubectl get deployments", "`kubectl scale`"),
    ("kubectl scale frontend --replicas=4", "Read the error"),
    ("kubectl scale deployment api --replicas=4", "Name the Deployment"),
    ("kubectl scale deployment frontend --replicas=6", "sets the total"),
    # named the right Deployment: was told to 'Name the Deployment'
    ("kubectl scale deployment frontend --replicas=2", "not a change"),
    # the frontend reached 4, but the api was scaled too: was accepted as right
    ("kubectl scale deployment/frontend deployment/api --replicas=4", "name only the frontend"),
    ("kubectl scale deployment frontend api cache --replicas=4", "name only the frontend"),
    # was told "`kubectl edit` does not scale"
    ("kubectl edit deployment frontend", "`kubectl scale`"),
])
def test_scale_command_wrong_answers(command, hint):
    feedback = check_scale_command(command)
    assert not feedback.passed and hint in feedback.hint
    assert "does not scale" not in feedback.message   # false of patch, apply and edit


@pytest.mark.parametrize(("command", "hint"), [
    # kubectl understood both: each was told to find "the part it did not understand"
    ("kubectl scale rs frontend --replicas=4", "no object of that kind and name"),
    ("kubectl scale deployment frontend --replicas=4 -n shop", "no object of that kind"),
    ("kubectl scale deployment frontend --current-replicas=3 --replicas=4",
     "its precondition did not hold"),
])
def test_an_error_about_the_cluster_is_not_blamed_on_the_command_line(command, hint):
    feedback = check_scale_command(command)
    assert not feedback.passed and hint in feedback.hint
    assert "did not understand" not in feedback.hint


@pytest.mark.parametrize(("command", "hint"), [
    # each was told "Read the error: it names the part of the command it did not understand"
    ("kubectl scale deployment frontend=4", "docker service scale's form"),
    ("kubectl scale deployment frontend --instances=4", "Marathon app's word"),
    ("kubectl scale service frontend --replicas=4", "A Service runs no Pods"),
])
def test_another_orchestrators_habit_is_told_what_kubectl_says_instead(command, hint):
    feedback = check_scale_command(command)
    assert not feedback.passed and hint in feedback.hint
    assert "--replicas" in feedback.hint or "scale what runs them" in feedback.hint


@pytest.mark.parametrize("command", [
    "kubectl scale deployment `echo frontend` --replicas=4",     # was a NotFound of "%60echo"
    "kubectl scale deployment $(echo frontend) --replicas=4",    # was "a shell pipe"
    'kubectl scale deployment "$(echo frontend)" --replicas=4',
])
def test_a_shell_substitution_is_said_not_to_run(command):
    feedback = check_scale_command(command)
    assert not feedback.passed and "shell substitution" in feedback.message
    assert "Write the value itself" in feedback.hint


def test_an_untouched_starter_is_answered_as_in_every_exercise():
    """None was 'The answer must be a kubectl command, as a string' here and 'You have not
    answered yet' in the first lab's exercises: one rule, answers.answered."""
    from clustersim.exercises.fit import check_copies

    for check in (check_api_pods_command, check_scale_command):
        feedback = check(None)
        assert feedback.message == check_copies(None).message == "You have not answered yet."
        assert feedback.hint.startswith("Replace None with a kubectl command")


@pytest.mark.parametrize("command", [
    "kubectl scale deploy/frontend --replicas 4",
    # a global flag before the verb: was '`kubectl -n` is not the command'
    "kubectl -n default scale deployment frontend --replicas=4",
    "kubectl --insecure-skip-tls-verify -v 0 scale deployment frontend "
    "--replicas=4"])
def test_scale_command_right_answer(command):
    assert check_scale_command(command).passed


@pytest.mark.parametrize("command", ["kubectl -A get pods -l tier=api -o wide",
                                     "kubectl --show-labels get pods"])
def test_a_flag_kubectl_refuses_before_the_verb_is_named(command):
    """Only global flags may come before the verb; kubectl itself refuses the others."""
    feedback = check_api_pods_command(command)
    assert not feedback.passed and "flags cannot be placed before plugin name" in feedback.message
    assert "after it" in feedback.hint


def test_a_table_without_header_names_its_node_column_by_place():
    feedback = check_api_pods_command("kubectl get pods -l tier=api --no-headers "
                                      "-o custom-columns=N:.metadata.name,HOST:.spec.nodeName")
    assert feedback.passed and "your column 2 shows the node" in feedback.message


def test_a_patch_that_scales_is_right_not_told_it_does_not_scale():
    """`kubectl patch` of spec.replicas was answered '`kubectl patch` does not scale'."""
    feedback = check_scale_command(
        """kubectl patch deployment frontend -p '{"spec": {"replicas": 4}}'""")
    assert feedback.passed and "kubectl scale deployment frontend" in feedback.message


def test_a_selector_the_api_server_cannot_read_is_not_blamed_on_kubectl():
    """-l tier:api was told to find "the part of the command it did not understand": kubectl
    understood it, the API server refused the selector."""
    feedback = check_api_pods_command("kubectl get pods -l tier:api -o wide")
    assert not feedback.passed and "label selector is key=value" in feedback.hint
