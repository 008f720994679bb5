"""A Sphinx extension that keeps the built book self-contained (no request to another host).

Registered in ``_config.yml`` (``sphinx: extra_extensions``). It

- copies ``plotly.min.js`` from the installed plotly package into ``_static/`` once per site
  (the same plotly.js version as the Python library that wrote the figures), with the
  vendored basic bundle ``assets/plotly/plotly-basic.min.js`` (scatter, bar and pie: 1.2 MB
  instead of 4.8 MB) when its version is the same, and
- adds one of them to exactly the pages that hold a plotly figure (the basic bundle where the
  page's figures use only its trace types: :func:`plotly_bundle_for`), with ``defer``: the
  bundle no longer blocks the first paint, and each figure's script is wrapped to run on
  ``DOMContentLoaded``, which fires after deferred scripts have run (:func:`defer_figures`);
- names each sidebar toggle that opens a chapter's sub-pages (pydata-sphinx-theme 0.16
  writes an empty ``<summary>``, which screen readers announce without a name:
  :func:`label_toctree_toggles`);
- leaves out sphinx-thebe's page scripts when thebe is off (Jupyter Book 1.x always loads the
  extension; see :func:`_drop_thebe_assets`);
- tells MyST-NB (through the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``)
  that a figure's ``application/vnd.plotly.v1+json`` output is for JupyterLab only: the book
  draws the figure from its ``text/html`` twin, which :mod:`clustersim.viz.renderer` writes;
- serves the student edition of each exercise notebook behind the page's download button
  (:func:`clustersim.course.editions.student_copy`: no solutions, no outputs), so a learner who
  downloads an exercise to work on it locally gets no answer with it; the page itself keeps
  its solutions behind toggles; in every downloaded lab and exercise, the links to the
  chapters and the other notebooks lead to the published book (``html.baseurl``) or to the
  course's repository (:func:`notebook_downloads`);
- points the widgets' kernel note at the welcome page's "working offline" section from every
  page, however deep (:func:`point_offline_links`: the note is written once, for a page one
  folder deep, and led nowhere from ``book/comparing/``);
- removes the launch buttons (Binder, Colab) from chapters written in Markdown: those
  services cannot run a ``.md`` file; only the labs and exercises (``.ipynb``) have them;
- renders notebooks with :class:`OfflineRenderer` (``nb_render_plugin: clustersim``, entry
  point ``myst_nb.renderers``), which leaves out the saved widget state: the book loads no
  widget manager, so that state would only add weight (a plotly ``FigureWidget`` carries its
  whole 4.8 MB JavaScript bundle in it);
- adds the course's dated facts (:mod:`clustersim.facts`, ``clustersim/data/facts.yaml``) to
  the MyST substitutions, so a chapter writes ``{{ k8s_minor }}`` and the book prints the
  value of the one file that holds it, and the figures the course's code decides
  (:func:`computed_substitutions`: ``{{ doctor_checks }}``). Substitutions set in
  ``_config.yml`` win over a fact of the same name.

Widget views and MathJax are designed away rather than fetched: widget apps carry a static
HTML rendering that the book ranks above the widget view (``nb_mime_priority_overrides``,
``nb_ipywidgets_js: {}``), and chapters write formulas as code rather than LaTeX.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import plotly
from docutils import nodes
from myst_nb.core.render import NbElementRenderer
from sphinx.application import Sphinx

from clustersim.widgets.base import OFFLINE_SECTION

PLOTLY_JS = "plotly.min.js"
PLOTLY_BASIC_JS = "plotly-basic.min.js"
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})
"""The trace types of plotly.js's basic bundle (npm ``plotly.js-basic-dist-min``)."""
_VERSION = re.compile(r"plotly\.js\b[^\n]*?v(\d+\.\d+\.\d+)")
# A figure script's call, up to its first JSON argument (the traces, or the frames).
_PLOTLY_CALL = re.compile(r"Plotly\.(newPlot|addFrames)\(\s*[\"'][\w-]+[\"']\s*,\s*")
_FIGURE_MARKER = "plotly-graph-div"
# The inline script plotly.io.to_html writes after each figure's <div>; its JSON escapes "<",
# so the first "</script>" after it closes it.
_FIGURE_SCRIPT = re.compile(
    r'<script(?: type="text/javascript")?>(\s*window\.PLOTLYENV=.*?)</script>', re.DOTALL
)


def plotly_js_source() -> Path:
    """The plotly.js bundle shipped inside the installed plotly wheel."""
    return Path(plotly.__file__).parent / "package_data" / PLOTLY_JS


def plotly_basic_source(srcdir: Path) -> Path:
    """The vendored basic bundle in the book's source folder (see its README)."""
    return Path(srcdir) / "assets" / "plotly" / PLOTLY_BASIC_JS


def bundle_version(path: Path) -> str | None:
    """The plotly.js version in a bundle's header comment, or None."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        match = _VERSION.search(handle.read(400))
    return match.group(1) if match else None


def plotly_bundle_for(body: str, basic_available: bool) -> str:
    """The bundle a page needs: the basic one if every trace on the page is of a type in it."""
    used = page_trace_types(body)
    return PLOTLY_BASIC_JS if basic_available and used <= BASIC_TRACES else PLOTLY_JS


def page_trace_types(body: str) -> set[str]:
    """The trace types of the figures (and animation frames) that ``body`` draws.

    Read from the JSON arguments of ``Plotly.newPlot`` and ``Plotly.addFrames`` in the
    figures' scripts; a figure's template also names trace types, but draws none of them.
    """
    decoder = json.JSONDecoder()
    types: set[str] = set()
    for match in _PLOTLY_CALL.finditer(body):
        try:
            value, _ = decoder.raw_decode(body, match.end())
        except ValueError:
            return {"unknown"}  # unreadable: the caller serves the full bundle
        traces = value if match.group(1) == "newPlot" else [
            trace for frame in value for trace in frame.get("data", [])
        ]
        types.update(trace.get("type", "scatter") for trace in traces)
    return types


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


def defer_figures(body: str) -> str:
    """Make every figure script in ``body`` wait for ``DOMContentLoaded``.

    plotly.js is loaded with ``defer``, so it runs after the page is parsed; the figures' inline
    scripts run while it is parsed. Deferred scripts run before ``DOMContentLoaded``, so a
    figure drawn from that event finds ``Plotly`` defined. Each figure is then drawn in a task
    of its own (``setTimeout``), so the browser paints the first figure before it draws the
    next ones instead of after all of them.
    """
    return _FIGURE_SCRIPT.sub(
        r'<script>document.addEventListener("DOMContentLoaded", function () {'
        r" setTimeout(function () {\1}, 0); });</script>",
        body,
    )


# A sidebar entry with sub-pages: its link, then the <details> whose <summary> opens them.
_TOGGLE = re.compile(
    r"(<a\b[^>]*>)((?:(?!</a>).)*)(</a>\s*<details[^>]*>\s*<summary)>", re.DOTALL
)
_TAG = re.compile(r"<[^>]+>")


def label_toctree_toggles(toctree_html: str) -> str:
    """Give every sidebar toggle an accessible name: "Pages under <the entry's title>"."""

    def label(match: re.Match[str]) -> str:
        title = html.unescape(_TAG.sub("", match.group(2))).strip()
        name = html.escape(f"Pages under {title}")
        return f'{match.group(1)}{match.group(2)}{match.group(3)} aria-label="{name}">'

    return _TOGGLE.sub(label, toctree_html)


def _label_sidebar_toggles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def labelled(*args: Any, **kwargs: Any) -> str:
        return label_toctree_toggles(str(generate(*args, **kwargs)))

    context["generate_toctree_html"] = labelled


def _add_plotly_where_needed(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = context.get("body", "")
    if _FIGURE_MARKER in body:
        bundle = plotly_bundle_for(body, _basic_bundle_matches(app))
        app.add_js_file(bundle, priority=200, defer="defer")
        context["body"] = defer_figures(body)


# The kernel note's link as clustersim.widgets.base.KERNEL_NOTE writes it.
_OFFLINE_LINK = f'class="clustersim-offline-link" href="../book/welcome.html#{OFFLINE_SECTION}"'


def point_offline_links(body: str, welcome: str) -> str:
    """Make the kernel notes' links in ``body`` lead to ``welcome`` (the welcome page's address
    relative to this page) at its "working offline" section."""
    return body.replace(
        _OFFLINE_LINK, f'class="clustersim-offline-link" href="{welcome}#{OFFLINE_SECTION}"'
    )


def _point_offline_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    body = context.get("body", "")
    if _OFFLINE_LINK in body:
        context["body"] = point_offline_links(body, context["pathto"]("book/welcome"))


def _basic_bundle_matches(app: Sphinx) -> bool:
    """The vendored basic bundle exists and has the plotly wheel's plotly.js version."""
    wanted = bundle_version(plotly_js_source())
    return wanted is not None and bundle_version(plotly_basic_source(app.srcdir)) == wanted


def _drop_thebe_assets(app: Sphinx, config: Any) -> None:
    """With thebe off, do not add sphinx-thebe's configuration script and loader to pages.

    Jupyter Book 1.x always loads sphinx-thebe, which adds its ``const THEBE_JS_URL = ...``
    script when documents are about to be read, after the HTML builder has collected its
    scripts. Sphinx then records that script twice (once with the file name ``None``, once
    replayed from its registry with the name ``""``, which do not compare equal), and every
    page failed with "Identifier 'THEBE_JS_URL' has already been declared". This course never
    runs thebe (``launch_buttons: thebe: false``), so the script has no use at all.
    """
    launch = (config.html_theme_options or {}).get("launch_buttons", {})
    if launch.get("thebe"):
        return
    for listener in list(app.events.listeners.get("env-before-read-docs", [])):
        handler = listener.handler
        if handler.__module__ == "sphinx_thebe" and handler.__name__ == "init_thebe_core":
            app.disconnect(listener.id)


def _copy_plotly(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), static / PLOTLY_JS)
    if _basic_bundle_matches(app):
        shutil.copyfile(plotly_basic_source(app.srcdir), static / PLOTLY_BASIC_JS)


def computed_substitutions() -> dict[str, str]:
    """The figures a chapter prints that the course's own code decides, counted at build
    time: the checks ``python -m clustersim doctor`` makes, with and without ``--no-kernel``
    (:func:`clustersim.course.doctor.check_count`)."""
    from clustersim.course.doctor import check_count

    return {"doctor_checks": str(check_count()),
            "doctor_checks_no_kernel": str(check_count(kernel=False))}


def _add_fact_substitutions(app: Sphinx, config: Any) -> None:
    from clustersim.facts import substitutions

    config.myst_substitutions = {**substitutions(), **computed_substitutions(),
                                 **(config.myst_substitutions or {})}


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


NOTEBOOK_FOLDERS = ("exercises", "notebooks")
DOWNLOAD_LINKS = frozenset({"book", *NOTEBOOK_FOLDERS})
"""The course folders a downloaded notebook's links lead into: none is beside it any more."""


def download_base(srcdir: Path, baseurl: str) -> tuple[str, bool]:
    """Where a downloaded notebook's links lead, and whether that is the built book: the
    published book at ``baseurl`` (``html.baseurl`` in ``_config.yml``) when it is set, else
    the files in the course's repository, as the editions' links without ``--site``
    (:func:`clustersim.course.editions.chapter_base`)."""
    from clustersim.course.editions import chapter_base

    return (baseurl.rstrip("/"), True) if baseurl else (chapter_base(srcdir, None), False)


def notebook_downloads(outdir: Path, srcdir: Path, baseurl: str = "") -> list[Path]:
    """Rewrite the downloadable copy of each lab and exercise notebook under
    ``outdir/_sources``; returns the files rewritten.

    An exercise becomes its student edition (no solutions, no outputs). In every copy the
    links to other pages of the course (``../book/<page>.md``, an exercise's lab, the kernel
    note's ``../book/welcome.html``) lead to :func:`download_base`: a notebook downloaded
    alone has no ``../book/`` beside it, and each of those links led to a missing file.
    """
    import nbformat

    from clustersim.course.editions import relink_chapters, student_copy

    base, site = download_base(srcdir, baseurl)
    replaced = []
    for folder in NOTEBOOK_FOLDERS:
        for source in sorted((srcdir / folder).glob("*.ipynb")):
            served = outdir / "_sources" / folder / source.name
            if not served.is_file():
                continue
            nb = nbformat.read(served, as_version=4)
            if folder == "exercises":
                nb = student_copy(nb)
            nbformat.write(relink_chapters(nb, base, site, folder, DOWNLOAD_LINKS), served)
            replaced.append(served)
    return replaced


def _rewrite_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        notebook_downloads(Path(app.outdir), Path(app.srcdir), app.config.html_baseurl or "")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _add_fact_substitutions)
    app.connect("config-inited", _drop_thebe_assets)
    app.connect("html-page-context", _add_plotly_where_needed)
    app.connect("html-page-context", _point_offline_links)
    app.connect("html-page-context", _no_launch_for_markdown, priority=502)
    # after pydata-sphinx-theme's own handler (priority 500) has put the function in the context
    app.connect("html-page-context", _label_sidebar_toggles, priority=900)
    app.connect("build-finished", _copy_plotly)
    app.connect("build-finished", _rewrite_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
