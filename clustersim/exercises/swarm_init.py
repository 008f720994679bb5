"""A learner's ``docker swarm init --force-new-cluster`` line, read as a shell and the docker CLI
would read it, for the lost-quorum check of the day-2 exercises.

The line is split as a POSIX shell splits it (:func:`~clustersim.exercises.answers.shell_words`:
quotes, ``#`` comments, and the operators ``&&``, ``||``, ``;``, ``|``, ``&`` and the newline
that start another command; a backslash-newline continues the line). The words after
``docker swarm init`` are read as docker/cli reads them (``cli/command/swarm/init.go``
``newInitCommand`` and ``opts.go`` ``addSwarmFlags``/``addSwarmCAFlags``, with spf13/pflag):
``init`` takes no arguments (``cli.NoArgs``), only its flags; a flag with a value takes it as
``--flag value`` or ``--flag=value``; a bool flag is true when named alone and otherwise
takes its value after ``=`` as Go's ``strconv.ParseBool`` reads it (``1 t T TRUE true True``,
``0 f F FALSE false False``), so ``--force-new-cluster=false`` leaves it off; ``-h`` and
``--help`` (cobra's help flag) print the usage and exit, and ``init`` has no other short flag
(pflag: ``unknown shorthand flag``). Before ``docker`` the line may set environment variables
(``NAME=value``, as the shell reads an assignment before a command) and run it through
``sudo`` (also followed by assignments, as sudo reads them); sudo's own options and docker's
global options (``docker -H host swarm init``) are not read. A redirection (``>``, ``2>&1``,
``<``) is refused, truthfully: the shell performs it, not docker, and it may stop the command
(a file the shell cannot open), while the check asks for the command alone; shlex does not
tell ``2>x`` (a redirection of stderr) from ``2 >x`` (an argument ``2``), which a shell does.
"""

from __future__ import annotations

import re

from clustersim.exercises.answers import second_command, shell_words
from clustersim.exercises.checker import Wrong

__all__ = ["check_force_new_cluster"]

_BOOL_FLAGS = frozenset({"force-new-cluster", "autolock"})
_VALUE_FLAGS = frozenset({
    "listen-addr", "advertise-addr", "data-path-addr", "data-path-port", "availability",
    "default-addr-pool", "default-addr-pool-mask-length", "task-history-limit",
    "dispatcher-heartbeat", "max-snapshots", "snapshot-interval", "cert-expiry", "external-ca",
})
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
"""A word the shell reads as a variable assignment when it comes before the command name
(POSIX ``XCU 2.10.2``, rule 7: a NAME, then ``=``)."""
_RIGHT = "docker swarm init --force-new-cluster"
_NO_QUORUM = ("Restarting or re-joining does not help without a quorum: a surviving manager "
              "must start a new cluster from its copy of the state.")


def _command(words: list[str]) -> list[str]:
    """``words`` from the command the shell runs: without the variable assignments before it
    and a leading ``sudo`` (itself followed by assignments, as ``sudo VAR=value command``
    reads them); :class:`Wrong` for a sudo option, which the check does not read."""
    rest = _unassigned(words)
    if rest[0] == "sudo" and len(rest) > 1:
        if rest[1].startswith("-"):
            raise Wrong(f"The check reads sudo without options, and {rest[1]!r} is one.",
                        f"Write sudo {_RIGHT}, or the command alone.")
        rest = _unassigned(rest[1:])
    return rest


def _unassigned(words: list[str]) -> list[str]:
    """``words`` without the variable assignments they begin with; :class:`Wrong` when
    nothing else is left (the line sets variables and runs no command)."""
    rest = list(words)
    while rest and _ASSIGNMENT.match(rest[0]):
        rest.pop(0)
    if not rest:
        raise Wrong("That line only sets variables: it runs no command.",
                    f"Run docker itself: {_RIGHT}.")
    return rest


def _flags(words: list[str]) -> dict[str, str]:
    """The flags after ``docker swarm init`` as ``{name: value}`` (the last one given wins,
    as with pflag), or :class:`Wrong` in the CLI's words for an argument, an unknown flag or
    a missing value."""
    flags: dict[str, str] = {}
    rest = iter(words)
    for word in rest:
        if word in ("-h", "--help"):
            raise Wrong(f"{word} asks docker swarm init for its help: the CLI prints the usage "
                        "and exits without starting a cluster.",
                        f"Leave {word} out: {_RIGHT}.")
        if word.startswith("-") and not word.startswith("--") and word != "-":
            raise Wrong(f"unknown shorthand flag: {word[1]!r} in {word} (docker swarm init "
                        "has no short options but -h).", f"Write the command alone: {_RIGHT}.")
        if not word.startswith("--") or word == "--":
            raise Wrong(f"docker swarm init accepts no arguments, and {word!r} is one.",
                        f"Write the command alone: {_RIGHT}.")
        name, equals, value = word[2:].partition("=")
        if name in _BOOL_FLAGS:
            flags[name] = value if equals else "true"
        elif name in _VALUE_FLAGS:
            if not equals:
                value = next(rest, "")
                if not value:
                    raise Wrong(f"flag needs an argument: --{name}",
                                f"Give --{name} its value, or leave it out.")
            flags[name] = value
        else:
            raise Wrong(f"unknown flag: --{name} (docker swarm init has no such option).",
                        f"Write the command alone: {_RIGHT}.")
    return flags


def check_force_new_cluster(command: object) -> None:
    """:class:`Wrong` unless ``command`` runs exactly ``docker swarm init`` with
    ``--force-new-cluster`` true (other valid init flags allowed) and nothing else, saying
    what is wrong: another command, a comment, a second command, the flag off."""
    if not isinstance(command, str):
        raise Wrong("The command must be text in quotes.", f"For example {_RIGHT!r}.")
    words = shell_words(command, unreadable="The shell cannot read that line",
                        hint="Close every quote you open.")
    if not words:
        raise Wrong("That line runs nothing: a shell ignores everything after #.",
                    f"Remove the #: {_RIGHT}.")
    separator = second_command(words)
    if separator:
        raise Wrong(f"That answer runs more than one command (it has {separator}): only "
                    "the recovery is asked for, and whatever follows would run on the "
                    "recovered swarm too.", f"Give only the one command: {_RIGHT}.")
    if "--force-new-cluster" not in " ".join(words):
        raise Wrong("That command does not recover the swarm.", _NO_QUORUM)
    redirections = [w for w in words if set(w) <= set("<>&|") and ("<" in w or ">" in w)]
    if redirections:
        raise Wrong(f"That line redirects with {redirections[0]!r}: the shell, not docker, "
                    "performs a redirection, and a file it cannot open stops the command "
                    "before docker runs. Only the command is asked for.",
                    f"Give the command without redirection: {_RIGHT}.")
    words = _command(words)
    if words[0] != "docker":
        raise Wrong(f"That line runs {words[0]!r}, not docker: it only mentions the option.",
                    f"Run docker itself: {_RIGHT}.")
    if words[1:3] != ["swarm", "init"]:
        raise Wrong("--force-new-cluster is an option of one command.",
                    "It is docker swarm init --force-new-cluster.")
    value = _flags(words[3:]).get("force-new-cluster")
    if value is None:
        raise Wrong("That command does not recover the swarm.", _NO_QUORUM)
    if value in _FALSE:
        raise Wrong(f"--force-new-cluster={value} turns the option off: the survivor would not "
                    "start a new cluster from its state.",
                    "Write the flag alone, --force-new-cluster (or =true).")
    if value not in _TRUE:
        raise Wrong(f'invalid argument "{value}" for "--force-new-cluster" flag: '
                    f'strconv.ParseBool: parsing "{value}": invalid syntax',
                    "Write the flag alone, --force-new-cluster (or =true).")
