"""A Sphinx extension that keeps the built book self-contained (no request to another host).

Registered in ``_config.yml`` (``sphinx: extra_extensions``). It

- copies ``plotly.min.js`` from the installed plotly package into ``_static/`` once per site
  (the same plotly.js version as the Python library that wrote the figures), and
- adds it to exactly the pages that hold a plotly figure, ahead of the figures' own scripts;
- tells MyST-NB (through the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``)
  that a figure's ``application/vnd.plotly.v1+json`` output is for JupyterLab only: the book
  draws the figure from its ``text/html`` twin, which :mod:`clustersim.viz.renderer` writes;
- serves the student edition of each exercise notebook behind the page's download button
  (:func:`clustersim.editions.student_copy`: no solutions, no outputs), so a learner who
  downloads an exercise to work on it locally gets no answer with it; the page itself keeps
  its solutions behind toggles;
- removes the launch buttons (Binder, Colab) from chapters written in Markdown: those
  services cannot run a ``.md`` file; only the labs and exercises (``.ipynb``) have them;
- renders notebooks with :class:`OfflineRenderer` (``nb_render_plugin: clustersim``, entry
  point ``myst_nb.renderers``), which leaves out the saved widget state: the book loads no
  widget manager, so that state would only add weight (a plotly ``FigureWidget`` carries its
  whole 4.8 MB JavaScript bundle in it);
- adds the course's dated facts (:mod:`clustersim.facts`, ``clustersim/data/facts.yaml``) to
  the MyST substitutions, so a chapter writes ``{{ k8s_minor }}`` and the book prints the
  value of the one file that holds it. Substitutions set in ``_config.yml`` win over a fact
  of the same name.

Widget views and MathJax are designed away rather than fetched: widget apps carry a static
HTML rendering that the book ranks above the widget view (``nb_mime_priority_overrides``,
``nb_ipywidgets_js: {}``), and chapters write formulas as code rather than LaTeX.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import plotly
from docutils import nodes
from myst_nb.core.render import NbElementRenderer
from sphinx.application import Sphinx

PLOTLY_JS = "plotly.min.js"
_FIGURE_MARKER = "plotly-graph-div"


def plotly_js_source() -> Path:
    """The plotly.js bundle shipped inside the installed plotly wheel."""
    return Path(plotly.__file__).parent / "package_data" / PLOTLY_JS


class PlotlyJsonForLabOnly:
    """MyST-NB mime renderer: plotly's JSON output renders to nothing in the book."""

    mime_priority_overrides: tuple[tuple[str, str, int | None], ...] = ()

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type == "application/vnd.plotly.v1+json":
            return []
        return None


class OfflineRenderer(NbElementRenderer):
    """MyST-NB's renderer, minus the widget state script (see the module docstring)."""

    def render_nb_finalise(self, metadata: dict) -> None:
        return None


def _add_plotly_where_needed(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if _FIGURE_MARKER in context.get("body", ""):
        app.add_js_file(PLOTLY_JS, priority=200)


def _copy_plotly(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), static / PLOTLY_JS)


def _add_fact_substitutions(app: Sphinx, config: Any) -> None:
    from clustersim.facts import substitutions

    config.myst_substitutions = {**substitutions(), **(config.myst_substitutions or {})}


def _no_launch_for_markdown(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Binder and Colab open notebooks: a Markdown chapter's launch button would open a
    file they cannot run. Runs after the theme has added its buttons (priority 501)."""
    if not str(context.get("sourcename", "")).endswith(".md"):
        return
    buttons = context.get("header_buttons")
    if buttons:
        buttons[:] = [b for b in buttons if b.get("label") != "launch-buttons"]


def student_downloads(outdir: Path, srcdir: Path) -> list[Path]:
    """Replace the downloadable copy of each exercise notebook under ``outdir/_sources`` by
    its student edition; returns the files replaced."""
    import nbformat

    from clustersim.editions import student_copy

    replaced = []
    for source in sorted((srcdir / "exercises").glob("*.ipynb")):
        served = outdir / "_sources" / "exercises" / source.name
        if served.is_file():
            nbformat.write(student_copy(nbformat.read(source, as_version=4)), served)
            replaced.append(served)
    return replaced


def _serve_student_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        student_downloads(Path(app.outdir), Path(app.srcdir))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _add_fact_substitutions)
    app.connect("html-page-context", _add_plotly_where_needed)
    app.connect("html-page-context", _no_launch_for_markdown, priority=502)
    app.connect("build-finished", _copy_plotly)
    app.connect("build-finished", _serve_student_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
