"""Checks that exercises call: ``check(...)`` returns :class:`Feedback` with a hint when wrong.

Every check is built with :func:`checker`, so whatever a learner typed, the answer is a
feedback box and never a traceback. Checks are grouped by the lab or chapter they practise.
"""

from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback

__all__ = ["Feedback", "Wrong", "checker"]
