"""The event record every simulator writes: what happened, when, to which object, and why.

Fields follow a Kubernetes Event (``type`` Normal/Warning, ``reason``, ``message``) because
that is the shape learners meet in ``kubectl get events``; Mesos and Swarm events use the
same record with their own reasons (task states, offers, update steps).

A Kubernetes event also names the namespace and uid of the object it was recorded for, as
a real Event's ``involvedObject`` does (``ObjectReference``: kind, namespace, name, uid): two
objects of one name in two namespaces, or an object and the one recreated under its name,
keep their own events. The other systems leave both empty. A Kubernetes event about one
container of a Pod (the kubelet's) also names that container, as the reference's
``fieldPath`` does (``spec.containers{web}``), and ``kubectl describe`` (1.35+) prints it before
the message (:attr:`Event.described_message`). An event a kubelet records names its node
(``host``), as the kubelet's event source does (``source.host``, ``reportingInstance``). One
that a second object caused names that object too (``related``: the preemptor of a preempted
Pod, as kube-scheduler's ``Preempted`` event does). A Kubernetes event written after others
of its kind were dropped by client-go's spam filter counts them too (``observed``), and says
when the first of them came (``first_observed``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from clustersim.limits import MAX_LOGGED_EVENTS

__all__ = ["Event", "EventLog", "KeptRecord", "drop_oldest"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Event:
    """One event: ``time`` (simulated s), ``system``, ``object`` (e.g. ``pod/web-0``),
    ``type`` (``Normal`` or ``Warning``), ``reason`` and a human-readable ``message``;
    for Kubernetes, the ``namespace`` and ``uid`` of the object too (empty for a
    cluster-scoped object or another system) and, for a kubelet's container event, the
    ``field_path`` of the container (``spec.containers{web}``; empty otherwise) and, for an
    event a kubelet recorded, the ``host`` it runs on (its node's name), and the ``related``
    object's name, namespace and uid (empty: none), and the occurrences it stands for,
    ``observed``: 1, and for Kubernetes those of the same event that the recorder's spam
    filter dropped since the last one written, the first of which came at
    ``first_observed`` (None: none was dropped;
    :class:`~clustersim.kubernetes.eventcorrelator.Correlated`). The ``repr`` leaves those
    seven out: it stays the short, system-neutral line the notebooks print."""

    time: float
    system: str
    object: str
    type: str
    reason: str
    message: str
    namespace: str = field(default="", repr=False)
    uid: str = field(default="", repr=False)
    field_path: str = field(default="", repr=False)
    host: str = field(default="", repr=False)
    related: tuple[str, ...] = field(default=(), repr=False)
    observed: int = field(default=1, repr=False)
    first_observed: float | None = field(default=None, repr=False)

    @property
    def described_message(self) -> str:
        """The message as ``kubectl describe`` prints it since kubectl 1.35: the field path
        first, if the event has one (``spec.containers{web}: Container created``; kubectl PR
        #133627, ``DescribeEvents`` in ``staging/src/k8s.io/kubectl/pkg/describe/
        describe.go``). Since the kubelet's ``Created`` and ``Started`` messages no longer
        name their container, this is where a reader finds which container it was."""
        return f"{self.field_path}: {self.message}" if self.field_path else self.message

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return (f"{self.time:8.1f}s  {self.type:<7} {self.reason:<20} {self.object}: "
                f"{self.described_message}")


def drop_oldest(kept: list[Any], keep: int) -> int:
    """Hold ``kept`` (a record, oldest first) to its last ``keep`` items, with an eighth more
    between two trims, which drop the oldest in one go (a trim costs what it moves, once in
    ``keep // 8`` appends); returns how many it dropped."""
    if len(kept) <= keep + keep // 8:
        return 0
    dropped = len(kept) - keep
    del kept[:dropped]
    return dropped


class KeptRecord(list[_T]):
    """A record a simulator appends to (oldest first) and a lab reads as a list, holding its
    last :data:`~clustersim.limits.MAX_LOGGED_EVENTS` items as an :class:`EventLog` holds its
    events (:func:`drop_oldest`), or the last ``keep`` given, or ``count`` after
    :meth:`keep_last`: a Mesos master's offers and its frameworks' dominant shares (neither
    of which a real master keeps, :data:`~clustersim.limits.MAX_RECORDED_OFFERS`)."""

    def __init__(self, items: Iterable[_T] = (), *, keep: int | None = None) -> None:
        super().__init__(items)
        self.keep = MAX_LOGGED_EVENTS if keep is None else keep

    def append(self, item: _T) -> None:
        super().append(item)
        drop_oldest(self, self.keep)

    def extend(self, items: Iterable[_T]) -> None:
        super().extend(items)
        drop_oldest(self, self.keep)

    def __iadd__(self, items: Iterable[_T]) -> KeptRecord[_T]:  # type: ignore[override, misc]
        self.extend(items)
        return self

    def keep_last(self, count: int) -> None:
        """From now on hold only the last ``count`` items (a served cluster that runs for
        hours, as :meth:`EventLog.keep_last`)."""
        self.keep = count
        drop_oldest(self, count)


class EventLog:
    """A time-ordered list of :class:`Event` with simple queries, holding the last
    :data:`~clustersim.limits.MAX_LOGGED_EVENTS` (an eighth more between two trims, which
    drop the oldest in one go). Indexing, ``len`` and iteration see the events kept; each
    event also has a number, its place among all those ever recorded (:attr:`recorded`,
    :meth:`since`), which stays the same when older ones go, so a reader that remembers how
    far it read (a served watch, the Events made from the log) goes on from there."""

    def __init__(self, system: str) -> None:
        self.system = system
        self._events: list[Event] = []
        self._listeners: list[Callable[[Event], None]] = []
        self._keep = MAX_LOGGED_EVENTS
        self.dropped = 0
        """How many of the oldest events were let go: the number of the oldest one kept."""

    def record(
        self, time: float, obj: str, reason: str, message: str, type: str = "Normal", *,
        namespace: str = "", uid: str = "", field_path: str = "", host: str = "",
        related: tuple[str, ...] = (), observed: int = 1, first_observed: float | None = None
    ) -> Event:
        event = Event(float(time), self.system, obj, type, reason, message, namespace, uid,
                      field_path, host, related, observed, first_observed)
        self._events.append(event)
        self.dropped += drop_oldest(self._events, self._keep)
        for listener in self._listeners:
            listener(event)
        return event

    def keep_last(self, count: int) -> None:
        """From now on hold only the last ``count`` events (see the class): fewer for a served
        cluster that runs for hours, as Docker's daemon keeps its last 256 (moby
        ``daemon/events/events.go``, ``eventsLimit``)."""
        self._keep = count

    @property
    def recorded(self) -> int:
        """How many events were ever recorded: the number the next one gets."""
        return self.dropped + len(self._events)

    def since(self, number: int) -> list[tuple[int, Event]]:
        """The events kept from the one numbered ``number`` on, each with its number: those
        recorded since a reader saw :attr:`recorded` at ``number``, less any dropped
        meanwhile (a reader that fell that far behind gets what is left)."""
        first = max(number - self.dropped, 0)
        return list(enumerate(self._events[first:], self.dropped + first))

    def numbered(self, number: int) -> Event | None:
        """The event numbered ``number``, or None if it was dropped (or is not recorded)."""
        at = number - self.dropped
        return self._events[at] if 0 <= at < len(self._events) else None

    def subscribe(self, listener: Callable[[Event], None]) -> None:
        """Call ``listener`` with each event as it is recorded, after the change it reports
        (a served API stamps the object's version then, as the real store does at the
        change, rather than when a client next reads it)."""
        self._listeners.append(listener)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def __getitem__(self, index: int) -> Event:
        return self._events[index]

    def where(self, *, reason: str | None = None, object: str | None = None,
              type: str | None = None, uid: str | None = None) -> list[Event]:
        """The events that match every given field (``uid``: of one Kubernetes object, not
        of a namesake in another namespace or one deleted before it)."""
        return [
            e for e in self._events
            if (reason is None or e.reason == reason)
            and (object is None or e.object == object)
            and (type is None or e.type == type)
            and (uid is None or e.uid == uid)
        ]

    def to_records(self) -> list[dict[str, Any]]:
        """Plain dicts, e.g. for ``pandas.DataFrame(log.to_records())``."""
        return [e.as_dict() for e in self._events]

    def __repr__(self) -> str:
        return f"EventLog({self.system!r}, {len(self._events)} events)"
