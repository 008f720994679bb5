"""What a learner is shown about errors and answers stays short and never raises: a 5 MB
answer is not echoed whole, and an exception whose ``__str__`` raises still becomes feedback."""

from __future__ import annotations

from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.limits import MAX_ECHO_CHARS
from clustersim.messages import describe_error, error_text, shorten


class UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text for you")


@checker("Right.")
def check_answer(answer: object) -> None:
    if answer != "yes":
        raise Wrong(f"{answer!r} is not the answer.", "Try 'yes'.")


@checker("Right.")
def check_raises(answer: BaseException) -> None:
    raise answer


def test_a_huge_answer_is_not_echoed_whole() -> None:
    """Regression test: the 5 MB answer came back in the feedback message."""
    feedback = check_answer("x" * 5_000_000)
    assert not feedback
    assert len(feedback.message) < MAX_ECHO_CHARS + 100
    assert "more characters not shown" in feedback.message
    assert len(feedback._repr_html_()) < 2 * MAX_ECHO_CHARS + 1000


def test_an_exception_whose_str_raises_becomes_feedback() -> None:
    """Regression test: formatting the learner's exception raised again, out of the checker."""
    feedback = check_raises(UnprintableError())
    assert not feedback and "UnprintableError" in feedback.message
    assert "could not be shown" in feedback.hint   # the detail, for an instructor
    assert describe_error(UnprintableError()) == \
        "UnprintableError: (its message could not be shown)"


def test_describe_error_is_one_short_line() -> None:
    assert describe_error(ValueError("replicas must be\n  at least 0")) == \
        "replicas must be at least 0"
    assert describe_error(KeyError("spec")) == "KeyError: 'spec'"
    assert describe_error(TypeError()) == "TypeError"
    assert len(error_text(ValueError("y" * 10**6))) < MAX_ECHO_CHARS + 100
    assert shorten("short") == "short"
    assert Feedback(True, "fine").message == "fine"


def test_a_count_of_one_takes_the_singular() -> None:
    """The DRF figure's title had read 'B: 1 tasks'."""
    from clustersim.messages import counted
    from clustersim.scenarios.drf import Sharing
    from clustersim.widgets.drf import _title
    assert (counted(1, "task"), counted(0, "task"), counted(6, "task")) == (
        "1 task", "0 tasks", "6 tasks")
    assert counted(2, "child", "children") == "2 children"
    title = _title([Sharing("A", 11, {"cpus": 0.9, "mem": 0.2}),
                    Sharing("B", 1, {"cpus": 0.1, "mem": 0.3})])
    assert "B: 1 task, dominant mem 0.30" in title and "A: 11 tasks" in title
