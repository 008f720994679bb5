"""One run of ``kubectl drain`` over a node: the Pods it evicts, the errors it ends with, and
the lines it closes with when one of them failed (a drain that succeeds closes with
``node/<name> drained``, after a ``pod/<name> evicted`` for each Pod as kubectl sees it gone:
:meth:`~clustersim.kubernetes.nodes.NodeLifecycle.drain`).

kubectl evicts every Pod of the node at once, one goroutine each, and waits for them all
(``evictPods`` in kubernetes/kubectl ``pkg/drain/drain.go``): an evicted Pod is done when it is
deleted, a Pod that a PodDisruptionBudget refuses (a 429) is tried again every 5 s, any other
refusal (a 500 from two budgets) ends that Pod at once with ``error when evicting pods/"p" -n
"default": ...``, and past ``--timeout`` (0, the default, waits for ever) a retried Pod ends
with ``... global timeout reached: 10s`` and an evicted Pod not yet deleted with ``error when
waiting for pod "p" in namespace "default" to terminate: context deadline exceeded``. Only
the retries are printed as they happen; the other errors are returned, in the order the Pods
ended, and printed when the last Pod is done (``deleteOrEvictPodsSimple`` and ``RunDrain`` in
``pkg/cmd/drain/drain.go``, then kubectl's ``CheckErr``, which prints each error of the
aggregate on a line of its own), as the real kubectl v1.37 prints them:

```text
There are pending pods in node "worker-1" when an error occurred: error when evicting pods/"p"
-n "default": global timeout reached: 10s
pod/p
error: unable to drain node "worker-1" due to error: error when evicting pods/"p" -n
"default": global timeout reached: 10s, continuing command...
There are pending nodes to be drained:
 worker-1
error when evicting pods/"p" -n "default": global timeout reached: 10s
```

(a line cut here is one line), several errors joined in brackets, each message once, as
``utilerrors.NewAggregate`` words them (k8s.io/apimachinery ``pkg/util/errors/errors.go``).
Simplified: Pods that end at the same simulated second are in the order kubectl tried them,
where the real goroutines race.
"""

from __future__ import annotations

from bisect import bisect_right
from numbers import Real
from typing import Any

from clustersim.goformat import duration_string
from clustersim.numeric import is_number

__all__ = ["Drained", "aggregate", "closing_lines", "drain_timeout", "timed_out", "waited_out"]

MAX_TIMEOUT_SECONDS = (2 ** 63 - 1) / 1_000_000_000
"""The longest ``--timeout``: kubectl reads it as a Go ``time.Duration``, an int64 count of
nanoseconds, about 292 years (https://pkg.go.dev/time#Duration)."""


class Drained(list[str]):
    """What :meth:`~clustersim.kubernetes.nodes.NodeLifecycle.drain` returns: the names of
    the Pods it evicted or is retrying, and :attr:`errors`, kubectl's error for each Pod
    whose eviction failed for good (a 500 from two budgets, or ``timeout`` passed): kubectl
    exits non-zero for those, with the closing lines this module words."""

    def __init__(self, names: list[str], node: str = "", deadline: float | None = None
                 ) -> None:
        super().__init__(names)
        self.node = node
        """The node drained."""
        self.deadline = deadline
        """The simulated second kubectl's ``--timeout`` ends at (None: no timeout)."""
        self.errors: list[str] = []
        """``error when evicting pods/...`` (or ``... waiting for pod ...``) for each Pod that
        failed, in the order the Pods ended; a Pod still retried when drain returned is
        added when it fails."""
        self.evicted: list[dict[str, Any]] = []
        """The Pods evicted, which kubectl waits to be gone (``waitForDelete``)."""
        self.gone: set[str] = set()
        """The uids of the evicted Pods kubectl has seen gone (``pod/<name> evicted``)."""
        self.retrying = False
        """Whether a Pod a budget refused waits for its next attempt."""
        self.watching_deadline = False
        self._ended: list[float] = []
        self.ended = False
        """Whether kubectl would have finished, with its closing lines logged."""

    def failed(self, name: str, error: str, at: float) -> None:
        """The Pod ``name`` ended with kubectl's ``error`` at the simulated second ``at``."""
        if name in self:
            self.remove(name)
        place = bisect_right(self._ended, at)
        self._ended.insert(place, at)
        self.errors.insert(place, error)


def drain_timeout(timeout: object) -> float:
    """``timeout`` given to a drain from Python, read as kubectl's ``--timeout``: seconds
    from 0 (which waits for ever) to :data:`MAX_TIMEOUT_SECONDS`, rounded to the whole
    nanoseconds a Duration holds (so a timeout under 1 ns is 0, as kubectl has it). A
    ``ValueError`` says what to give instead of a string such as ``"10s"``, None, a bool,
    a negative, NaN or a value past the limit."""
    if isinstance(timeout, str):
        raise ValueError(f"timeout is a number of seconds, such as 10 for kubectl's "
                         f"--timeout=10s, not the string {timeout[:40]!r}")
    if not is_number(timeout) or not 0 <= timeout <= MAX_TIMEOUT_SECONDS:
        shown = (f"a value of type {type(timeout).__name__}" if isinstance(timeout, bool)
                 or not isinstance(timeout, Real) else
                 repr(timeout) if isinstance(timeout, float) or is_number(timeout) else
                 "a number too large for a float")
        raise ValueError(f"timeout must be 0 or more seconds (0 waits for ever, as "
                         f"kubectl's --timeout=0s), at most {MAX_TIMEOUT_SECONDS:,.0f} "
                         f"(Go's longest Duration, about 292 years), not {shown}")
    return round(float(timeout) * 1_000_000_000) / 1_000_000_000


def timed_out(name: str, namespace: str, timeout: float) -> str:
    """The error of a Pod still retried when ``--timeout`` (seconds) passed."""
    return (f'error when evicting pods/"{name}" -n "{namespace}": global timeout reached: '
            f"{duration_string(timeout)}")


def waited_out(name: str, namespace: str) -> str:
    """The error of an evicted Pod not yet deleted when ``--timeout`` passed."""
    return (f'error when waiting for pod "{name}" in namespace "{namespace}" to terminate: '
            "context deadline exceeded")


def aggregate(errors: list[str]) -> str:
    """``utilerrors.NewAggregate(errors).Error()``: one message alone, several once each in
    brackets, joined by ``", "``."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def closing_lines(node: str, errors: list[str], pending: list[str]) -> list[str]:
    """What kubectl prints once the drain of ``node`` ended with ``errors``, the Pods still on
    the node named in ``pending`` (``GetPodsForDeletion`` again, in the store's order)."""
    joined = aggregate(errors)
    lines = []
    if pending:
        lines += [f'There are pending pods in node "{node}" when an error occurred: {joined}',
                  *(f"pod/{name}" for name in pending)]
    return [*lines, f'error: unable to drain node "{node}" due to error: {joined}, '
            "continuing command...", "There are pending nodes to be drained:", f" {node}",
            *errors]
