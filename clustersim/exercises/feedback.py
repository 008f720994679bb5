"""What a check returns: passed or not, a message, and a specific hint when it is not.

A :class:`Feedback` shows as a coloured box in JupyterLab and in the book (HTML, every
learner-supplied string escaped), as plain text elsewhere, and is truthy when the answer is
right, so tests can ``assert check(...)``. Message and hint are cut to
:data:`~clustersim.limits.MAX_ECHO_CHARS`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from clustersim.messages import shorten

__all__ = ["Feedback"]


@dataclass(frozen=True)
class Feedback:
    """``passed``; ``message`` says what was checked; ``hint`` says what to try when it failed."""

    passed: bool
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # a message may echo the learner's answer, which can be megabytes
        object.__setattr__(self, "message", shorten(str(self.message)))
        object.__setattr__(self, "hint", shorten(str(self.hint)))

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        if self.passed:
            return f"✓ {self.message}"
        return f"✗ {self.message}" + (f"\nHint: {self.hint}" if self.hint else "")

    def _repr_html_(self) -> str:
        colour, mark, label = (
            ("#009E73", "✓", "Correct") if self.passed else ("#D55E00", "✗", "Not yet")
        )
        hint = f"<p><strong>Hint:</strong> {html.escape(self.hint)}</p>" if self.hint else ""
        return (
            f'<div class="clustersim-feedback" role="status" style="border-left:4px solid '
            f'{colour};padding:0.3em 0.8em;margin:0.4em 0;">'
            f"<p><strong>{mark} {label}.</strong> {html.escape(self.message)}</p>{hint}</div>"
        )

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]
