"""A learner's ``docker swarm init --force-new-cluster`` line, read as a shell and the docker CLI
would read it, for the lost-quorum check of the day-2 exercises.

The line is split as a POSIX shell splits it (:mod:`shlex`: quotes, ``#`` comments, and the
operators ``&&``, ``||``, ``;``, ``|``, ``&`` that start another command). The words after
``docker swarm init`` are read as docker/cli reads them (``cli/command/swarm/init.go``
``newInitCommand`` and ``opts.go`` ``addSwarmFlags``/``addSwarmCAFlags``, with spf13/pflag):
``init`` takes no arguments (``cli.NoArgs``), only its flags; a flag with a value takes it as
``--flag value`` or ``--flag=value``; a bool flag is true when named alone and otherwise
takes its value after ``=`` as Go's ``strconv.ParseBool`` reads it (``1 t T TRUE true True``,
``0 f F FALSE false False``), so ``--force-new-cluster=false`` leaves it off. Short flags and
docker's global options (``docker -H host swarm init``) are not read: the line must begin
``docker swarm init``.
"""

from __future__ import annotations

import shlex

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
_OPERATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "|&"})
_RIGHT = "docker swarm init --force-new-cluster"
_NO_QUORUM = ("Restarting or re-joining does not help without a quorum: a surviving manager "
              "must start a new cluster from its copy of the state.")


def _words(command: str) -> list[str]:
    """``command`` split as a shell splits it, comments dropped and operators as words."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError as err:  # an unclosed quote or a trailing backslash
        raise Wrong(f"The shell cannot read that line: {err}.",
                    "Close every quote you open.") from None


def _flags(words: list[str]) -> dict[str, str]:
    """The flags after ``docker swarm init`` as ``{name: value}`` (the last one given wins,
    as with pflag), or :class:`Wrong` in the CLI's words for an argument, an unknown flag or
    a missing value."""
    flags: dict[str, str] = {}
    rest = iter(words)
    for word in rest:
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
    words = _words(command)
    if not words:
        raise Wrong("That line runs nothing: a shell ignores everything after #.",
                    f"Remove the #: {_RIGHT}.")
    operators = [w for w in words if w in _OPERATORS]
    if operators:
        raise Wrong(f"That line runs more than one command (it has {operators[0]!r}): only "
                    "the recovery is asked for, and whatever follows would run on the "
                    "recovered swarm too.", f"Give only the one command: {_RIGHT}.")
    if "--force-new-cluster" not in " ".join(words):
        raise Wrong("That command does not recover the swarm.", _NO_QUORUM)
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
