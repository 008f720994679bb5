"""The shared answer readers of the exercise checks (clustersim.exercises.answers)."""

from __future__ import annotations

import pytest

from clustersim.exercises.answers import is_whole, whole_number
from clustersim.exercises.checker import Wrong


def test_whole_numbers_of_every_numeric_type_a_learner_computes() -> None:
    numpy = pytest.importorskip("numpy")
    for value in (3, 3.0, numpy.int64(3), numpy.float64(3.0)):
        assert is_whole(value) and whole_number(value, "a count") == 3


@pytest.mark.parametrize("value", [True, 2.5, "3", None, float("inf"), float("nan")])
def test_anything_else_is_refused_with_a_message_not_a_crash(value) -> None:
    """inf and nan used to reach int() and raise OverflowError/ValueError."""
    assert not is_whole(value)
    with pytest.raises(Wrong):
        whole_number(value, "a count")


def test_checks_with_their_own_messages_share_the_reader() -> None:
    """fit.check_copies used to send nan to int() and answer 'could not read your answer'."""
    from clustersim.exercises.fit import check_copies

    numpy = pytest.importorskip("numpy")
    assert "not a whole number" in check_copies(float("nan")).message
    assert check_copies(numpy.int64(8)).passed


def test_yes_or_no_tells_text_from_a_missing_answer() -> None:
    """'Answer yes or no.' was the hint for the text 'yes' too; text is told to drop quotes."""
    from clustersim.exercises.answers import yes_or_no

    assert yes_or_no(True, "q") is True and yes_or_no(False, "q") is False
    for text in ("yes", "True"):
        with pytest.raises(Wrong, match="not True or False") as caught:
            yes_or_no(text, "q")
        assert "without quotes" in caught.value.hint
    with pytest.raises(Wrong) as caught:
        yes_or_no(None, "q")
    assert "True (yes) or False (no)" in caught.value.hint
