"""The exercise-check framework: feedback, hints, and no traceback whatever the input."""

from __future__ import annotations

from clustersim.exercises import Feedback, Wrong, checker


@checker("Right: 4 copies fit.")
def check_count(answer: object) -> None:
    if int(answer) != 4:  # type: ignore[call-overload]
        raise Wrong(f"{answer} is not the number of copies that fit.",
                    "Divide the node's CPU by the request, and its memory by the request.")


def test_right_answer_passes_with_the_success_message() -> None:
    result = check_count(4)
    assert result and result.message == "Right: 4 copies fit."


def test_wrong_answer_gets_the_specific_hint() -> None:
    result = check_count(5)
    assert not result and "Divide the node's CPU" in result.hint


def test_unreadable_answer_gets_feedback_not_a_traceback() -> None:
    result = check_count({"nonsense": [1, 2]})
    assert not result
    assert "could not be read" in result.message and "answer is a dict" in result.message
    # Python's own words are only a detail for the instructor, at the end of the hint
    assert "TypeError" not in result.message and "TypeError" in result.hint


@checker("Right.")
def check_scores(scores: object, chosen: object) -> None:
    """``scores``: a dict of node name → score, e.g. ``{"node-a": 50}``; ``chosen``: the
    node with the highest score (see :func:`check_count`)."""
    if scores[chosen] < 0:  # type: ignore[index]
        raise Wrong("negative", "")


def test_unreadable_answer_says_the_expected_shape_and_what_was_given() -> None:
    message = check_scores({"node-a": 50}, {"node-a"}).message
    assert "unhashable" not in message
    assert 'scores should be a dict of node name → score, e.g. {"node-a": 50}' in message
    assert "chosen should be the node with the highest score (see check_count)" in message
    assert "You gave: scores is a dict, chosen is a set." in message


def test_unreadable_answer_without_a_documented_shape_names_the_types() -> None:
    message = check_count([None]).message
    assert "starter cell's shape (you gave: answer is a list)" in message


def test_html_escapes_what_the_learner_typed() -> None:
    html = check_count("<script>alert(1)</script>")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Not yet" in html
    assert "Correct" in Feedback(True, "fine")._repr_html_()


def test_text_form_shows_the_hint() -> None:
    assert "Hint: Divide" in str(check_count(3))
