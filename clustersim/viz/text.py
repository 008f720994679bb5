"""One escape for every string from a manifest or a learner that a view puts into a figure.

Plotly renders a subset of HTML in trace names (legends), hover texts, axis and tick labels,
titles and annotations: ``<a href>`` links (``javascript:`` ones included), ``<span style>``,
``<b>``, ``<br>``. A Pod, app or node name is text, so every view passes it through
:func:`escape` before it goes into a figure; the views' own markup (``<br>``, ``<b>``) is added
around it. Only ``&``, ``<`` and ``>`` need escaping: without ``<`` no tag can start, and
plotly decodes ``&amp;``, ``&lt;``, ``&gt;`` and numeric entities but not ``&quot;``
(plotly/plotly.js ``src/lib/svg_text_utils.js``, ``convertEntities``), so quotes stay as they
are. ``%{`` becomes ``&#37;{`` so that a name is never read as a hover template variable.
The result is also safe as HTML text (not as an attribute value).
"""

from __future__ import annotations

__all__ = ["escape"]

_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(value: object) -> str:
    """``value`` as text that plotly (and HTML) shows literally."""
    return str(value).translate(_ENTITIES).replace("%{", "&#37;{")
