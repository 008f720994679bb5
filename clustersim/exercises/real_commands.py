"""Checks for the lab "Real commands, simulated cluster" (``notebooks/real-commands.ipynb``).

Each check runs the learner's ``kubectl`` command, with the real pinned kubectl, against a
fresh simulated API server (:mod:`clustersim.serve`) holding the course's example shop after
one simulated minute, and judges what kubectl printed and what the cluster became:

- :func:`check_api_pods_command`: list the pods of the ``api`` tier with the node each runs
  on (a label selector, ``-l tier=api``, and ``-o wide``: the NODE column is a wide column
  of the server-side Table, ``pkg/printers/internalversion/printers.go``; any column whose
  values are the nodes, such as ``-o custom-columns=...,NODE:.spec.nodeName``, counts);
  a namespace without the shop is named as what is wrong (kubectl's
  ``No resources found in <ns> namespace.``);
- :func:`check_scale_command`: scale the ``frontend`` Deployment to 4 replicas
  (``kubectl scale deployment frontend --replicas=4``, which writes the ``scale``
  subresource), and only it: ``kubectl scale`` scales every object it is named.
"""

from __future__ import annotations

import re
import shlex
import subprocess

from clustersim.examples import example_path
from clustersim.exercises.answers import NEWLINE, answered, is_operator, shell_words
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.serve import Server, serve

__all__ = ["check_api_pods_command", "check_scale_command", "shop_server"]


def shop_server() -> Server:
    """A started server with the example shop, one simulated minute in (stop it after)."""
    server = serve("kubernetes", nodes=3, speed=0).start()
    server.cluster.apply(example_path("kubernetes"))
    server.step(60)
    return server


def _kubectl(command: object) -> list[str]:
    answered(command, 'a kubectl command in quotes, such as "kubectl get pods"')
    if not isinstance(command, str) or not command.strip():
        raise Wrong("The answer must be a kubectl command, as a string.",
                    'Write the command in quotes, such as "kubectl get pods".')
    words = shell_words(command, unreadable="The command cannot be split into words",
                        hint="Check the quotes.")
    if not words:
        raise Wrong("The command is only a comment: a shell ignores everything after #.",
                    'Write the command before any #, such as "kubectl get pods".')
    if words[0] != "kubectl":
        raise Wrong(f"The command starts with {words[0]!r}, not kubectl.",
                    "Every command in this exercise starts with kubectl.")
    if NEWLINE in words:
        raise Wrong("The answer holds two commands, one on each line: a shell runs each line "
                    "as a command of its own.", _ONE_LINE)
    if any(is_operator(word) for word in words):
        raise Wrong("The command uses a shell pipe, redirection or a second command.",
                    "kubectl can do this alone, in one command; no pipes are needed.")
    return words


_ONE_LINE = ("Give one kubectl command; to break a long one over lines, end every line but "
             "the last with a backslash (\\).")


def _run(server: Server, words: list[str]) -> subprocess.CompletedProcess[str]:
    """kubectl run with the learner's ``words`` (the comment the shell drops left out)."""
    result = server.run(shlex.join(words), timeout=60)
    if result.returncode != 0:
        raise Wrong(f"kubectl answered with an error: {result.stderr.strip()}",
                    "Read the error: it names the part of the command it did not understand.")
    return result


def _output_format(words: list[str]) -> str:
    """The value of kubectl's ``-o``/``--output`` flag in ``words`` ('' without one)."""
    for index, word in enumerate(words):
        if word in ("-o", "--output") and index + 1 < len(words):
            return words[index + 1]
        for prefix in ("--output=", "-o=", "-o"):
            if word.startswith(prefix) and word != "-o":
                return word.removeprefix(prefix)
    return ""


def _columns(header: str) -> dict[str, int]:
    """Each column title of a kubectl table and where it starts. kubectl aligns its tables
    with Go's tabwriter, at least three spaces between columns, so a title of two words
    ("NOMINATED NODE") has one space inside it."""
    return {found[0]: found.start() for found in re.finditer(r"\S+(?: \S+)*", header)}


def _cell(line: str, start: int) -> str:
    """The value of the column starting at ``start`` in one row of a kubectl table."""
    words = line[start:].split()
    return words[0] if words else ""


#: kubectl get's words for an empty answer in one namespace (``kubectl/pkg/cmd/get/get.go``).
_NONE_IN_NAMESPACE = re.compile(r"No resources found in (\S+) namespace")


def _selector_praise(words: list[str], node_column: str) -> str:
    """The praise for a right answer, naming how the nodes were shown."""
    how = ("-o wide adds the NODE column" if _output_format(words) == "wide"
           else f"your {node_column} column shows the node each runs on")
    return f"Right: the label selector tier=api picks the api pods, and {how}."


@checker("Right.")
def check_api_pods_command(command: object) -> Feedback:
    words = _kubectl(command)
    if words[1:3] not in (["get", "pods"], ["get", "pod"], ["get", "po"]):
        raise Wrong("This is not a `kubectl get pods` command.",
                    "Start with `kubectl get pods`, then add what selects and what widens.")
    server = shop_server()
    try:
        result = _run(server, words)
        api = {p.name: p.node for p in server.cluster.pods() if p.labels.get("tier") == "api"}
        everyone = {p.name for p in server.cluster.pods()}
    finally:
        server.stop()
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    columns = _columns(lines[0]) if lines else {}
    if lines and "NAME" not in columns:
        raise Wrong("kubectl printed no table with a NAME column (-o yaml, json and name "
                    "print objects or bare names).",
                    "Keep the table, and ask for its wide columns: `-o wide`.")
    rows = {_cell(line, columns["NAME"]): line for line in lines[1:]}  # -A: NAMESPACE first
    if not rows:
        elsewhere = _NONE_IN_NAMESPACE.search(result.stderr)
        if elsewhere and elsewhere[1] != "default":
            raise Wrong(f"kubectl found no pods in the namespace {elsewhere[1]}: the shop "
                        "runs in the namespace default.",
                        f"Drop the namespace ({elsewhere[1]}): without -n, kubectl looks in "
                        "the default namespace (or the one its kubeconfig's context names).")
        raise Wrong("kubectl found no pods.",
                    "Check the label's key and value: `kubectl get pods --show-labels` "
                    "shows them (the shop labels its tiers with tier=...).")
    names = set(rows)
    if names == everyone:
        raise Wrong("The command lists every pod, not only the api tier.",
                    "Select with a label: `-l key=value`; the api pods carry tier=api.")
    if names != set(api):
        raise Wrong(f"The command lists {', '.join(sorted(names))}, not the api pods.",
                    "The api pods carry the label tier=api.")
    showing = [title for title, start in columns.items()
               if all(_cell(rows[name], start) == api[name] for name in names)]
    if not showing:
        raise Wrong("The pods are right, but no column shows the node each runs on.",
                    "The node is one of the wide columns: add `-o wide`.")
    return Feedback(True, _selector_praise(words, showing[0]))


@checker("Right: kubectl scale set spec.replicas to 4 and the ReplicaSet made two more pods.")
def check_scale_command(command: object) -> Feedback | None:
    words = _kubectl(command)
    verb = words[1] if len(words) > 1 else ""
    if verb not in ("scale", "patch"):    # a patch of spec.replicas scales too
        raise Wrong(f"`kubectl {verb}` is not the command this exercise asks for"
                    + (" (it opens an editor, which a check cannot drive)." if verb == "edit"
                       else "."),
                    "The verb that sets a Deployment's number of replicas is `kubectl scale`.")
    server = shop_server()
    try:
        _run(server, words)
        server.step(30)
        deployments = {d["metadata"]["name"]: d["spec"].get("replicas", 1)
                       for d in server.cluster.objects("Deployment")}
        running = sum(1 for p in server.cluster.pods()
                      if p.labels.get("tier") == "frontend" and p.phase == "Running")
    finally:
        server.stop()
    changed = {name: n for name, n in deployments.items()
               if n != {"cache": 1, "api": 3, "frontend": 2}.get(name)}
    if "frontend" not in changed:
        named = any(w.split("/")[-1] == "frontend" for w in words[2:])
        raise Wrong(f"The frontend still has {deployments['frontend']} replicas"
                    + (f"; you scaled {', '.join(changed)} instead." if changed else "."),
                    "--replicas is the total the Deployment should run, not a change: it runs "
                    "2 now." if named and not changed else
                    "Name the Deployment: `kubectl scale deployment <name> --replicas=<n>`.")
    if changed["frontend"] != 4:
        raise Wrong(f"The frontend now has {changed['frontend']} replicas, not 4.",
                    "--replicas sets the total, not how many to add.")
    others = sorted(set(changed) - {"frontend"})
    if others:
        raise Wrong(f"The frontend has 4 replicas, but the command scaled {', '.join(others)} "
                    "too.",
                    "`kubectl scale` sets --replicas on every object it is given: name only "
                    "the frontend Deployment.")
    if running != 4:
        raise Wrong(f"{running} frontend pods run, not 4.", "Run the check again.")
    if verb == "patch":
        return Feedback(True, "Right: your patch set spec.replicas to 4 and the ReplicaSet made "
                        "two more pods. `kubectl scale deployment frontend --replicas=4` says "
                        "the same in fewer words.")
    return None
