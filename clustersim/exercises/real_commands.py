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

Both find the verb as kubectl does (:func:`kubectl_verb`): kubectl's global flags may come
before it.
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

__all__ = ["check_api_pods_command", "check_scale_command", "kubectl_verb", "shop_server"]


def shop_server() -> Server:
    """A started server with the example shop, one simulated minute in (stop it after)."""
    server = serve("kubernetes", nodes=3, speed=0).start()
    server.cluster.apply(example_path("kubernetes"))
    server.step(60)
    return server


def _kubectl(command: object) -> list[str]:
    answered(command, 'a kubectl command in quotes, such as "kubectl get pods"')
    if isinstance(command, str) and not command.strip():
        raise Wrong("The command is empty: there is nothing between the quotes.",
                    'Write the command inside the quotes, such as "kubectl get pods".')
    if not isinstance(command, str):
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
    if _substitutes(words):
        raise Wrong("The command uses shell substitution (`...` or $(...)), and the check runs "
                    "no shell: kubectl alone is run, with your words as they are.",
                    "Write the value itself where the substitution stands, such as frontend.")
    if NEWLINE in words:
        raise Wrong("The answer holds two commands, one on each line: a shell runs each line "
                    "as a command of its own.", _ONE_LINE)
    if any(is_operator(word) for word in words):
        raise Wrong("The command uses a shell pipe, redirection or a second command.",
                    "kubectl can do this alone, in one command; no pipes are needed.")
    watch = next((word for word in words if _watches(word)), None)
    if watch:
        raise Wrong(f"With {watch} kubectl keeps watching for changes and never ends, and the "
                    "check needs the command to finish.",
                    f"Leave out {watch.split('=')[0]}: the command then prints once and ends.")
    return words


def _substitutes(words: list[str]) -> bool:
    """Whether ``words`` (of :func:`shell_words`) hold a command substitution, which a shell
    would run before kubectl: a backquote, or ``$(`` (split by the reader into ``$`` and
    ``(``, or kept whole inside quotes). Simplified: in single quotes a shell would not
    substitute, and a check still refuses it, as no kubectl answer here needs either."""
    return any("`" in word or "$(" in word or (word.endswith("$") and following == "(")
               for word, following in zip(words, [*words[1:], ""], strict=True))


def _watches(word: str) -> bool:
    """Whether ``word`` turns on kubectl's ``-w``/``--watch`` or ``--watch-only`` (pflag's
    booleans: alone, or ``=true``; ``=false`` leaves the flag off)."""
    name, _, value = word.partition("=")
    return name in ("-w", "--watch", "--watch-only") and value.lower() not in ("false", "0", "f")


_ONE_LINE = ("Give one kubectl command; to break a long one over lines, end every line but "
             "the last with a backslash (\\).")


#: kubectl's global flags that take a value (``kubectl options``, kubectl 1.32: cli-runtime's
#: ``ConfigFlags``, the profiling flags of ``kubectl/pkg/cmd/cmd.go`` and klog's), by long
#: name and by shorthand; ``_GLOBAL_SWITCHES`` are its booleans, which take none.
_GLOBAL_FLAGS = frozenset({
    "as", "as-group", "as-uid", "cache-dir", "certificate-authority", "client-certificate",
    "client-key", "cluster", "context", "kubeconfig", "log-flush-frequency", "namespace",
    "password", "profile", "profile-output", "request-timeout", "server", "tls-server-name",
    "token", "user", "username", "v", "vmodule"})
_GLOBAL_SHORTHANDS = frozenset({"n", "s", "v"})
_GLOBAL_SWITCHES = frozenset({"disable-compression", "insecure-skip-tls-verify",
                              "match-server-version", "warnings-as-errors"})


def kubectl_verb(words: list[str]) -> tuple[str, list[str]]:
    """The verb of a kubectl command line and the words after it.

    As cobra's ``Command.Find`` (``stripFlags``) does, a flag before the verb is passed over:
    a global flag with its value (``-n default``, ``--namespace default``), a flag with its
    value attached (``--namespace=default``, ``-ndefault``) and a global switch alone. Any
    other flag there takes the next word as its value, so cobra finds no command and kubectl
    answers ``flags cannot be placed before plugin name`` (``HandlePluginCommand``,
    ``kubectl/pkg/cmd/cmd.go``): that is refused here in its words.
    """
    index = 1
    while index < len(words) and words[index].startswith("-") and words[index] != "--":
        word = words[index]
        index += 1
        if "=" in word or (not word.startswith("--") and len(word) > 2):
            continue
        name = word.removeprefix("--") if word.startswith("--") else word[1:]
        if name in _GLOBAL_SWITCHES:
            continue
        if name not in (_GLOBAL_FLAGS if word.startswith("--") else _GLOBAL_SHORTHANDS):
            raise Wrong(f"kubectl refuses this: flags cannot be placed before plugin name: "
                        f"{word}",
                        f"Only kubectl's global flags (`kubectl options` lists them, such as "
                        f"-n) may come before the verb: put {word} after it.")
        index += 1
    verb = words[index] if index < len(words) else ""
    return verb, words[index + 1:]


_ERROR_HINTS = (
    ("Error from server (NotFound): the server could not find the requested resource",
     "kubectl found no scale for that kind: only a kind that runs replicas (a Deployment, a "
     "ReplicaSet, a StatefulSet) has one. A Service runs no Pods: scale what runs them."),
    ('Error from server (BadRequest): Unable to find "',
     "kubectl understood the command, but the API server could not read the selector it sent: "
     "a label selector is key=value (tier=api), key!=value or a set such as 'tier in (api)', "
     "and the error names the part it could not read."),
    ("Error from server (NotFound):",
     "kubectl understood the command, but the API server has no object of that kind and name "
     "in that namespace (the error names what it looked for): `kubectl get deployments` lists "
     "the shop's, which run in the namespace default."),
    ("Expected replicas to be ",
     "kubectl understood the command, but its precondition did not hold: with "
     "--current-replicas it scales only an object that has that many replicas now, and the "
     "error says how many it has. Give that number, or leave the flag out."),
    ('required flag(s) "replicas" not set',
     "kubectl scale takes the new count in the flag --replicas=<n>; NAME=<n> is docker service "
     "scale's form, which kubectl reads as the name of an object."),
    ("unknown flag: --instances",
     "instances is a Marathon app's word for the number of copies; kubectl calls it replicas, "
     "and kubectl scale sets it with --replicas=<n>."),
)
"""What a kubectl error means, by its first words: ``Error from server (NotFound): ...`` is
the API server's 404 as kubectl prints it (``kubectl/pkg/cmd/util/helpers.go``,
``StandardErrorMessage``), ``Error from server (BadRequest): Unable to find ... that match
label selector`` a selector the API server cannot parse (the syntax:
https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors),
``the server could not find the requested resource`` the 404 of a
``scale`` subresource that the kind does not have (kubectl scale "sets a new size for a
deployment, replica set, replication controller, or stateful set":
https://kubernetes.io/docs/reference/kubectl/generated/kubectl_scale/), ``Expected
replicas to be 3, was 2`` a failed ``--current-replicas`` (``kubectl/pkg/scale/scale.go``,
``PreconditionError``). Two
errors of the command line come from another orchestrator's habits: ``frontend=4``, the form
of ``docker service scale``, leaves kubectl's required ``--replicas`` unset (the pinned
kubectl's own words: ``required flag(s) "replicas" not set``), and ``--instances``,
Marathon's word, is an unknown flag."""


def _run(server: Server, words: list[str]) -> subprocess.CompletedProcess[str]:
    """kubectl run with the learner's ``words`` (the comment the shell drops left out); an
    error is answered with what it means (:data:`_ERROR_HINTS`), any other with where to
    look in the command."""
    result = server.run(shlex.join(words), timeout=60)
    if result.returncode != 0:
        error = result.stderr.strip()
        hint = next((hint for start, hint in _ERROR_HINTS
                     if error.removeprefix("error: ").startswith(start)),
                    "Read the error: it names the part of the command it did not understand.")
        raise Wrong(f"kubectl answered with an error: {error}", hint)
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


#: One cell of a kubectl table. kubectl aligns its tables with Go's tabwriter, at least three
#: spaces between columns, so a title of two words ("NOMINATED NODE") has one space inside it.
_CELL = re.compile(r"\S+(?: \S+)*")


def _columns(header: str) -> dict[str, int]:
    """Each column title of a kubectl table and where it starts."""
    return {found[0]: found.start() for found in _CELL.finditer(header)}


def _cell(line: str, start: int) -> str:
    """The value of the column starting at ``start`` in one row of a kubectl table."""
    words = line[start:].split()
    return words[0] if words else ""


def _table(lines: list[str], pods: set[str]) -> tuple[list[dict[str, str]], str | None]:
    """The rows of kubectl's table, each cell by its column's title, and the title of the
    column of pod names (None when there is none).

    A first line that names a pod is no header: ``--no-headers`` left it out. Its columns are
    then titled by place ("column 1"), and the pod names' column is the first whose cells
    are all pods (the second with ``-A``, after NAMESPACE).
    """
    if not lines or set(lines[0].split()).isdisjoint(pods):
        columns = _columns(lines[0]) if lines else {"NAME": 0}
        rows = [{title: _cell(line, start) for title, start in columns.items()}
                for line in lines[1:]]
        return rows, "NAME" if "NAME" in columns else None
    rows = [{f"column {place}": cell.split()[0]
             for place, cell in enumerate(_CELL.findall(line), 1)} for line in lines]
    names = (title for title in rows[0] if all(row.get(title) in pods for row in rows))
    return rows, next(names, None)


#: kubectl get's words for an empty answer in one namespace (``kubectl/pkg/cmd/get/get.go``).
_NONE_IN_NAMESPACE = re.compile(r"No resources found in (\S+) namespace")


def _selector_praise(words: list[str], node_column: str) -> str:
    """The praise for a right answer, naming how the nodes were shown (``node_column``: a
    title, or a place such as "column 7" in a table without its header)."""
    if _output_format(words) == "wide":
        how = "-o wide adds the NODE column"
    elif node_column.startswith("column "):
        how = f"your {node_column} shows the node each runs on"
    else:
        how = f"your {node_column} column shows the node each runs on"
    return f"Right: the label selector tier=api picks the api pods, and {how}."


@checker("Right.")
def check_api_pods_command(command: object) -> Feedback:
    words = _kubectl(command)
    verb, rest = kubectl_verb(words)
    if verb != "get" or not {"pods", "pod", "po"} & set(rest):
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
    table, name_column = _table(lines, everyone)
    if name_column is None:
        raise Wrong("kubectl printed no table with a NAME column (-o yaml, json and name "
                    "print objects or bare names).",
                    "Keep the table, and ask for its wide columns: `-o wide`.")
    rows = {row[name_column]: row for row in table}  # -A: NAMESPACE first
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
    showing = [title for title in table[0] if all(rows[name].get(title) == api[name]
                                                  for name in names)]
    if not showing:
        raise Wrong("The pods are right, but no column shows the node each runs on.",
                    "The node is one of the wide columns: add `-o wide`.")
    return Feedback(True, _selector_praise(words, showing[0]))


@checker("Right: kubectl scale set spec.replicas to 4 and the ReplicaSet made two more pods.")
def check_scale_command(command: object) -> Feedback | None:
    words = _kubectl(command)
    verb, rest = kubectl_verb(words)
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
        named = any(w.split("/")[-1] == "frontend" for w in rest)
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
