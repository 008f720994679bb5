"""The errors the Swarm simulator raises, each worded so a learner knows what to do.

- :class:`SwarmError` (a ``ValueError``): an operation the swarm refuses, e.g. an unknown
  service or node, or an ingress port already published by another service.
- :class:`NoLeaderError`: the managers have lost quorum. The message is the Docker daemon's
  own (moby/moby ``daemon/cluster/errors.go``, ``errNoLeader``), as ``docker`` prints it.
- Bad stack input raises the loaders' ``ManifestError`` (see :func:`stack_error`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from clustersim.manifests.errors import ManifestError

__all__ = ["NoLeaderError", "SwarmError", "find", "stack_error"]

T = TypeVar("T")

NO_LEADER = (
    "The swarm does not have a leader. It's possible that too few managers are online. "
    "Make sure more than half of the managers are online."
)


class SwarmError(ValueError):
    """The swarm refuses an operation; the message says why and what to do.

    ``message`` is the refusal as swarmkit words it, which the served Docker API answers
    with (:mod:`clustersim.serve.docker`); ``hint``, if any, is the simulator's advice on
    what to do, which ``str()`` adds after a semicolon for the Python library's users."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(f"{message}; {hint}" if hint else message)
        self.message = message
        self.hint = hint


def find(table: Mapping[str, T], name: str, what: str) -> T:
    """``table[name]``, or a :class:`SwarmError` naming the ``what`` (node, service) that is
    missing and the ones there are."""
    try:
        return table[name]
    except KeyError:
        raise SwarmError(f"{what} {name!r} not found; the {what}s are "
                         f"{', '.join(table) or 'none'}") from None


class NoLeaderError(SwarmError, RuntimeError):
    """No Raft leader (quorum lost): the managers accept no changes. A ``RuntimeError`` too:
    the request is fine, the swarm's state refuses it."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(NO_LEADER + (f" ({detail})" if detail else ""))


def stack_error(message: str, *, path: str = "", expected: str | None = None) -> ManifestError:
    """A ``ManifestError`` for a stack file; ``path`` defaults to the start of the message."""
    return ManifestError(message, source="<stack>", path=path, expected=expected)
