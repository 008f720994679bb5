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

import gc
import html
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.messages import describe_error

__all__ = ["KERNEL_NOTE", "OFFLINE_SECTION", "LiveApp", "PanelCharts", "error_html", "follow",
           "typed_whole"]

OFFLINE_SECTION = "running-a-notebook-online-or-offline"
"""The anchor of the welcome page's section "Running a notebook, online or offline": the id
that both Sphinx (docutils' ``make_id`` of the heading) and GitHub (its heading anchors, for
a downloaded lab whose links lead to the repository) give that heading. A MyST label such as
``(working-offline)=`` is no anchor on GitHub, which shows it as text."""

KERNEL_NOTE = (
    '<p class="clustersim-kernel-note"><strong>Live controls need a running kernel.</strong> '
    "This page shows a static version: its figures still zoom and hover, and animate where "
    "they have frames. To move the controls, run the notebook in JupyterLab: the download "
    "button (an arrow) at the top of the page gives you the file, and on a lab's page the "
    "launch button (a rocket) opens it on Binder or Colab, which need the internet. "
    "With no internet, install the course from a "
    'wheelhouse: see <a class="clustersim-offline-link" '
    f'href="../book/welcome.html#{OFFLINE_SECTION}">running a notebook, online or offline</a> '
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


def typed_whole(text: str) -> int | None:
    """The whole number ``text`` (typed in a text box, already stripped), or None: ASCII
    digits only ("²" is a digit to ``str.isdigit``, not to ``int``) and at most nine of them
    (an int32, as Kubernetes' IntOrString holds), so that ``int`` never refuses in its own
    words."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


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


def settle() -> None:
    """Tell Python's cycle collector that what exists now lives on (``gc.freeze``), after
    a full collection: garbage already in the oldest generation (the clusters of the runs
    just made, whose full collections :mod:`clustersim.sim.collection` deferred, or an app
    built before) would otherwise be frozen with it and kept until the kernel ends. What an
    earlier app froze is not walked again, so only the first build pays for the whole heap.

    A kernel that has built an app holds a few hundred thousand objects for good (plotly's
    validators and figures, the simulators' modules, cached runs). Each full collection
    walked them all, about 200 ms on the course's reference laptop, and one of them landing
    inside an update made it the slowest of its kind (``benchmarks/widget_update.py``).
    Frozen objects are still freed when nothing refers to them; only a reference cycle
    among them would stay until the kernel ends. https://docs.python.org/3/library/gc.html#gc.freeze
    """
    gc.collect()
    gc.freeze()


class LiveApp:
    """A widget tree plus a function that renders the same content as static HTML."""

    def __init__(self, widget: widgets.Widget, static_html: Callable[[], str],
                 name: str = "interactive app") -> None:
        self.widget = widget
        self.name = name
        self._static_html = static_html
        self.controls: dict[str, Any] = {}
        """The app's controls and message widget by name, set by the function that builds
        it, for a notebook or a test to move them as a learner would."""
        settle()

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


class PanelCharts:
    """The charts of an app whose figure has one panel per chosen system: one FigureWidget
    per set of panels, kept, so that going back to a set (all three systems, then one, then
    all three again) updates its chart's traces in place instead of building a figure
    (``make_subplots`` and its layout take tens of milliseconds). The chart shown is the
    last child of ``box``, after its first ``at`` children."""

    def __init__(self, box: widgets.Box, at: int) -> None:
        self.box, self.at = box, at
        self.charts: dict[Hashable, go.FigureWidget] = {}

    def prepare(self, key: Hashable, build: Callable[[], go.Figure]) -> None:
        """Build the chart for ``key`` now (e.g. at construction), without showing it."""
        if key not in self.charts:
            self.charts[key] = go.FigureWidget(build())

    def show(self, key: Hashable, refresh: Callable[[go.FigureWidget], bool],
             build: Callable[[], go.Figure]) -> go.FigureWidget:
        """Show the chart for ``key``: updated by ``refresh(chart)`` if it exists and that
        succeeds, otherwise built from ``build()``."""
        chart = self.charts.get(key)
        if chart is None or not refresh(chart):
            chart = self.charts[key] = go.FigureWidget(build())
        if len(self.box.children) <= self.at or self.box.children[self.at] is not chart:
            self.box.children = [*self.box.children[:self.at], chart]
        return chart
