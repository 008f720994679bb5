"""Swarm's generic resources: what a node advertises and which of them a task holds.

A module of its own beside :mod:`clustersim.node`, as swarmkit's ``api/genericresource`` is a
package of its API that the manager, the agent and dockerd share: :class:`~clustersim.Node`
reads a node's terms with it, the Swarm scheduler (:mod:`clustersim.swarm.nodeinfo`) claims
and gives back with it, and the served daemon writes its entries.

Upstream: moby/swarmkit ``api/genericresource/`` (``parse.go``, ``helpers.go``,
``validate.go``, ``resource_management.go``, ``string.go``). A node advertises a list of
resources (dockerd's ``--node-generic-resource``, ``node-generic-resources`` in
``daemon.json``, https://docs.docker.com/reference/cli/dockerd/): a *discrete* one is a kind
and a count (``ssd=2``), a *named* set is one entry per ID of a kind (``gpu=GPU-1``,
``gpu=GPU-2``). A service only asks for counts (``--generic-resource gpu=1``). Here a
resource is an :data:`Entry`, ``(kind, count)`` or ``(kind, id)``, and a node's available
resources are a list of them in swarmkit's order:

- :func:`parse` reads the node's terms as ``Parse`` does;
- :func:`has_enough` is ``HasEnough`` (the scheduler's ResourceFilter): a discrete kind
  holds at least the count, a named kind has at least that many IDs left;
- :func:`claim` is ``Claim``: for each reservation the node's first entries of the kind
  (a discrete one gives the count, a named set its first IDs, in the list's order), taken
  from the node's list (``ConsumeNodeResources``: a discrete kind left at 0 or less leaves
  the list) and assigned to the task (``Task.AssignedGenericResources``);
- :func:`reclaim` is ``Reclaim`` when the task ends: its discrete counts go back, its IDs
  to the *end* of the list, then what the node no longer advertises is dropped
  (``sanitize``);
- :func:`env_format` is ``EnvFormat``: the container's ``DOCKER_RESOURCE_<KIND>`` variables
  (moby ``daemon/cluster/executor/container/container.go``, ``config``).

swarmkit's quirks are kept: a reservation of a kind the node lacks makes ``Claim`` take
nothing at all for the task, and a count of 0 of a named kind takes every ID of it.
Simplified: Go's ``Parse`` lists kinds in map order and ``EnvFormat`` writes its variables
in map order, both random; here kinds keep the order they were given, and the variables are
sorted by kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = ["Entry", "claim", "consume", "env_format", "has_enough", "json_entries", "parse",
           "reclaim"]

Entry = tuple[str, int | str]
"""One generic resource: ``(kind, count)`` (discrete) or ``(kind, id)`` (one of a named set)."""

_INT64 = re.compile(r"[+-]?[0-9]+")


def _count(value: str) -> int | None:
    """``strconv.ParseInt(value, 10, 64)``, or None where it fails."""
    if not _INT64.fullmatch(value):
        return None
    number = int(value)
    return number if -(2 ** 63) <= number < 2 ** 63 else None


def parse(terms: Iterable[str]) -> tuple[Entry, ...]:
    """``Parse``: ``NAME=VALUE`` terms as a node advertises them. A kind given once with a
    whole number is discrete; otherwise each value is one named ID, and none of them may be
    a number. Raises ``ValueError`` with swarmkit's words as dockerd 28 and docker CLI 28
    print them (moby ``daemon/config/config_test.go``, ``TestValidateConfigurationErrors``;
    ``docker service create --generic-resource apple=-3``), where the older ``parse.go``
    ran "missing'='" and "fornegative" together and called a kind given twice with a
    number a "malformed expression"."""
    tokens: dict[str, list[str]] = {}
    for term in terms:
        parts = str(term).split("=")
        if len(parts) != 2:
            raise ValueError(f"could not parse GenericResource: incorrect term {term}, "
                             "missing '=' or malformed expression")
        tokens.setdefault(parts[0].strip(), []).append(parts[1].strip())
    entries: list[Entry] = []
    for kind, values in tokens.items():
        count = _count(values[0]) if len(values) == 1 else None
        if count is not None:
            if count < 0:
                raise ValueError("could not parse GenericResource: cannot ask for negative "
                                 f"resource {kind}")
            entries.append((kind, count))
        elif all(_count(value) is None for value in values):
            entries.extend((kind, value) for value in values)
        else:
            raise ValueError("could not parse GenericResource: mixed discrete and named "
                             f"resources in expression '{kind}=[{' '.join(values)}]'")
    return tuple(entries)


def _of(kind: str, entries: Iterable[Entry]) -> list[Entry]:
    """``GetResource``: the entries of ``kind``, in order."""
    return [entry for entry in entries if entry[0] == kind]


def has_enough(available: Sequence[Entry], kind: str, count: int | str) -> bool:
    """``HasEnough``: may a task that reserves ``count`` of ``kind`` run here? Never for a
    task that reserves a named entry (``count`` an ID: swarmkit's error "task should only
    hold Discrete type", which the ResourceFilter reads as not enough)."""
    if not isinstance(count, int):
        return False
    found = _of(kind, available)
    if not found:
        return False
    first = found[0][1]
    return count <= (first if isinstance(first, int) else len(found))


def _select(available: Sequence[Entry], kind: str, count: int) -> list[Entry] | None:
    """``selectNodeResources``; None where it fails (no entry of the kind)."""
    chosen: list[Entry] = []
    for entry in available:
        if entry[0] != kind:
            continue
        if isinstance(entry[1], int):
            return [(kind, count)] if entry[1] >= count and count != 0 else chosen
        chosen.append(entry)
        if len(chosen) == count:
            return chosen
    return chosen or None


def consume(available: list[Entry], taken: Sequence[Entry]) -> None:
    """``ConsumeNodeResources``: take ``taken`` out of ``available``, in place. A discrete
    entry loses the counts taken of its kind until it is left at 0 or less; a named one
    leaves when it was taken. Linear in both lists, where upstream's two nested loops are
    not: a node may advertise thousands of IDs and a task hold thousands of them."""
    counts: dict[str, list[int]] = {}
    names: set[Entry] = set()
    for kind, other in taken:
        if isinstance(other, int):
            counts.setdefault(kind, []).append(other)
        else:
            names.add((kind, other))
    kept: list[Entry] = []
    for kind, value in available:
        if isinstance(value, int):
            for other in counts.get(kind, ()):
                value -= other
                if value <= 0:
                    break
            else:
                kept.append((kind, value))
        elif (kind, value) not in names:
            kept.append((kind, value))
    available[:] = kept


def claim(available: list[Entry], reservations: Iterable[Entry]) -> tuple[Entry, ...]:
    """``Claim``: the entries a task reserving ``reservations`` is assigned, taken out of
    ``available`` in place; none at all when a kind is missing or a reservation is a named
    entry (swarmkit's errors, which the scheduler ignores)."""
    chosen: list[Entry] = []
    for kind, count in reservations:
        selected = _select(available, kind, count) if isinstance(count, int) else None
        if selected is None:
            return ()
        chosen.extend(selected)
    consume(available, chosen)
    return tuple(chosen)


def reclaim(available: list[Entry], assigned: Iterable[Entry],
            advertised: Sequence[Entry]) -> None:
    """``Reclaim``: give a task's ``assigned`` entries back to ``available`` (in place),
    then keep only what the node still ``advertised`` (``sanitize``)."""
    for kind, value in assigned:
        if isinstance(value, str):
            available.append((kind, value))
            continue
        found = _of(kind, available)
        if not found:
            available.append((kind, value))
        elif len(found) == 1 and isinstance(found[0][1], int):
            index = available.index(found[0])
            available[index] = (kind, found[0][1] + value)
    _sanitize(available, advertised)


def _sanitize(available: list[Entry], advertised: Sequence[Entry]) -> None:
    """``sanitize``: an entry the node no longer advertises is dropped, and a kind whose type
    or count changed is reset to what the node advertises (added at the end, once). The
    advertised entries are grouped by kind once, so this stays linear in both lists."""
    now: dict[str, list[Entry]] = {}
    for entry in advertised:
        now.setdefault(entry[0], []).append(entry)
    named = {kind for kind, found in now.items()
             if all(isinstance(value, str) for _, value in found)}
    ids = set(advertised)
    kept: list[Entry] = []
    reset: list[Entry] = []
    done: set[str] = set()
    for kind, value in available:
        found = now.get(kind, [])
        if isinstance(value, int):
            sane = len(found) == 1 and isinstance(found[0][1], int) and value <= found[0][1]
        elif kind in named:
            if (kind, value) not in ids:
                continue                      # that ID was removed from the node
            sane = True
        else:
            sane = False
        if sane:
            kept.append((kind, value))
        elif kind not in done:
            done.add(kind)
            reset.extend(found)
    available[:] = kept + reset


def env_format(assigned: Iterable[Entry], prefix: str = "DOCKER_RESOURCE") -> list[str]:
    """``EnvFormat``: one ``PREFIX_KIND=v1,v2`` variable per kind, the kind upper-cased, its
    values (counts or IDs) joined by commas in the order they were assigned."""
    values: dict[str, list[str]] = {}
    for kind, value in assigned:
        values.setdefault(kind, []).append(str(value))
    return [f"{prefix}_{kind}".upper() + "=" + ",".join(found)
            for kind, found in sorted(values.items())]


def json_entries(entries: Iterable[Entry]) -> list[dict[str, dict[str, object]]]:
    """Entries as the Engine API writes moby's ``swarm.GenericResource``
    (``api/types/swarm/task.go``): ``DiscreteResourceSpec`` or ``NamedResourceSpec``."""
    return [{"DiscreteResourceSpec" if isinstance(value, int) else "NamedResourceSpec":
             {"Kind": kind, "Value": value}} for kind, value in entries]
