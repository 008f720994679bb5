"""kubectl drain's closing lines (clustersim.kubernetes.drainrun), held to what the real
kubectl v1.37.1 printed when two Pods behind a budget of all passed ``--timeout=7s``
against the served API (``RunDrain`` and ``deleteOrEvictPodsSimple`` in kubernetes/kubectl
``pkg/cmd/drain/drain.go``)."""

from __future__ import annotations

from clustersim.kubernetes.drainrun import aggregate, closing_lines, timed_out

P = 'error when evicting pods/"p" -n "default": global timeout reached: 7s'
Q = 'error when evicting pods/"q" -n "default": global timeout reached: 7s'


def test_two_errors_close_as_the_real_kubectl_printed_them():
    assert [timed_out("p", "default", 7), timed_out("q", "default", 7)] == [P, Q]
    assert closing_lines("worker-1", [P, Q], ["p", "q"]) == [
        f'There are pending pods in node "worker-1" when an error occurred: [{P}, {Q}]',
        "pod/p", "pod/q",
        f'error: unable to drain node "worker-1" due to error: [{P}, {Q}], continuing '
        "command...",
        "There are pending nodes to be drained:", " worker-1", P, Q]


def test_an_aggregate_of_one_error_is_that_error_and_repeats_are_said_once():
    """``utilerrors.NewAggregate(...).Error()``."""
    assert aggregate([P]) == P
    assert aggregate([P, Q, P]) == f"[{P}, {Q}]"
