"""The common shape of a widget app: live controls in JupyterLab, a static page in the book.

A :class:`LiveApp` displays as a mime bundle with two parts:

- ``application/vnd.jupyter.widget-view+json``: the live ipywidgets view, which JupyterLab
  prefers whenever a kernel is attached;
- ``text/html``: a static rendering (typically a plotly figure with its own sliders or
  buttons, which keep working in a static page) plus a note that the live controls need a
  kernel. The book's configuration ranks ``text/html`` above the widget view, so a reader of
  the static site sees a working figure rather than an empty widget area;
- ``text/plain``: one line naming the app, for consoles. (The widget's own repr would list
  every control's options, which can be long and can depend on the machine.)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.messages import describe_error

__all__ = ["KERNEL_NOTE", "LiveApp", "error_html", "follow", "replace_chart"]

KERNEL_NOTE = (
    '<p class="clustersim-kernel-note"><strong>Live controls need a running kernel.</strong> '
    "This page shows a static version whose figure still zooms, hovers and animates. "
    "To move the controls, run this notebook in JupyterLab: the download button (an arrow) at "
    "the top of the page gives you the notebook, and the launch button (a rocket) opens it on "
    "Binder or Colab, which need the internet. With no internet, install the course from a "
    'wheelhouse: see <a class="clustersim-offline-link" '
    'href="../book/welcome.html#working-offline">running a notebook, online or offline</a> '
    "on the Welcome page.</p>"
)


def error_html(problem: str | BaseException) -> str:
    """An inline error box for a widget: a message, or any exception told in one short line
    (:func:`clustersim.messages.describe_error`); HTML-escaped."""
    message = describe_error(problem) if isinstance(problem, BaseException) else problem
    return (
        '<div class="clustersim-error" role="alert" style="border-left:4px solid #b00020;'
        'padding:0.4em 0.8em;background:var(--clustersim-error-bg, #fdecea);'
        'color:var(--clustersim-error-fg, #5f0010);">'
        f"<strong>Problem:</strong> {html.escape(message)}</div>"
    )


def follow(update: Callable[[], None], message: widgets.HTML,
           controls: Sequence[widgets.Widget]) -> None:
    """Run ``update`` now and whenever a value of ``controls`` changes; whatever a control
    causes (any exception in ``update``) shows inline in ``message`` instead of a traceback,
    and the figure stays as it was."""

    def guarded(_: object = None) -> None:
        try:
            update()
        except Exception as err:  # whatever a control causes shows inline
            message.value = error_html(err)

    for control in controls:
        control.observe(guarded, names="value")
    guarded()


def replace_chart(box: widgets.Box, labels: list[str], redraw: Callable[[go.FigureWidget], bool],
                  build: Callable[[], go.Figure]) -> None:
    """Show the runs named ``labels`` in the chart that ends ``box``: in place when it shows
    the same runs and ``redraw(chart)`` manages (it returns False when the traces changed
    shape), else as a new ``build()`` figure in its place (appended the first time)."""
    chart = box.children[-1]
    drawn = isinstance(chart, go.FigureWidget)
    if drawn and getattr(chart, "_clustersim_labels", None) == labels and redraw(chart):
        return
    fresh = go.FigureWidget(build())
    fresh._clustersim_labels = labels
    box.children = [*(box.children[:-1] if drawn else box.children), fresh]


class LiveApp:
    """A widget tree plus a function that renders the same content as static HTML."""

    def __init__(self, widget: widgets.Widget, static_html: Callable[[], str],
                 name: str = "interactive app") -> None:
        self.widget = widget
        self.name = name
        self._static_html = static_html

    def __repr__(self) -> str:
        return f"<LiveApp {self.name!r}: live controls in JupyterLab, .static_html() elsewhere>"

    def static_html(self) -> str:
        """The static rendering shown in the book, with the note about live controls."""
        return KERNEL_NOTE + self._static_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"{self.name} (live controls: open this notebook in JupyterLab)"
        return bundle
