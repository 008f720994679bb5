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
    assert "could not be read" in result.message and "TypeError" in result.message


def test_html_escapes_what_the_learner_typed() -> None:
    html = check_count("<script>alert(1)</script>")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Not yet" in html
    assert "Correct" in Feedback(True, "fine")._repr_html_()


def test_text_form_shows_the_hint() -> None:
    assert "Hint: Divide" in str(check_count(3))
