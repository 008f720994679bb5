"""The comparison widget: choose systems and categories, show only differences, search.

In JupyterLab every change re-renders the tables (:func:`clustersim.viz.comparison.
comparison_html`) into an HTML widget; the static book shows the same tables with one
collapsible section per category. Bad input (an unknown system, nothing chosen) shows an
inline message instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as widgets

from clustersim.features import FeatureMatrix, load_features
from clustersim.viz.comparison import comparison_html
from clustersim.widgets.base import LiveApp, error_html

__all__ = ["comparison_app", "comparison_view"]


def comparison_view(
    matrix: FeatureMatrix,
    systems: Iterable[str] | None,
    categories: Iterable[str] | None,
    *,
    open_all: bool = True,
    **filters: Any,
) -> str:
    """The comparison as HTML, or an inline error box saying what is wrong with the choice.

    ``filters`` are those of :func:`~clustersim.viz.comparison.comparison_html`
    (``only_differences``, ``changed_since_2019``, ``search``).
    """
    try:
        return comparison_html(matrix, systems, categories, open_all=open_all, **filters)
    except Exception as err:  # whatever a control causes shows inline
        return error_html(err)


def _reusable(names: Any) -> Any:
    """Names as a list, so that a generator can be read twice; anything else passes through
    unchanged (the first rendering reports what is wrong with it)."""
    if names is None or isinstance(names, str):
        return names
    try:
        return list(names)
    except TypeError:
        return names


def _known(resolve: Callable[[str], str], names: Iterable[str] | None, every: list[str]) -> set:
    """The ids among ``names`` that resolve (all of ``every`` when ``names`` is None)."""
    if names is None:
        return set(every)
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list):
        return set()
    known = set()
    for name in names:
        try:
            known.add(resolve(name))
        except ValueError:
            continue  # reported by the first rendering, which uses the names as given
    return known


def comparison_app(
    systems: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    *,
    only_differences: bool = False,
    changed_since_2019: bool = False,
    search: str = "",
    matrix: FeatureMatrix | None = None,
) -> LiveApp:
    """Checkboxes for the systems, a list of categories, two filter switches and a search box.

    ``systems`` and ``categories`` accept ids or names (``"k8s"``, ``"Docker Swarm"``,
    ``"Storage"``); ``None`` means all. The returned app also exposes ``controls``
    (``{"systems": {id: Checkbox}, "categories": SelectMultiple, "differences": Checkbox,
    "changed": Checkbox, "search": Text}``) and ``output`` (the HTML widget with the tables).
    """
    matrix = matrix or load_features()
    systems, categories = _reusable(systems), _reusable(categories)
    chosen_systems = _known(matrix.resolve_system, systems, list(matrix.systems))
    chosen_categories = _known(
        lambda name: matrix.resolve_categories([name])[0], categories, list(matrix.categories)
    )
    boxes = {
        sys_id: widgets.Checkbox(
            value=sys_id in chosen_systems,
            description=system.name + (" (retired)" if system.retired else ""),
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        for sys_id, system in matrix.systems.items()
    }
    category_list = widgets.SelectMultiple(
        options=[(c.title, c_id) for c_id, c in matrix.categories.items()],
        value=[c for c in matrix.categories if c in chosen_categories],
        rows=min(8, len(matrix.categories)),
        description="Categories",
        tooltip="Ctrl/Cmd-click or Shift-click to choose several",
    )
    first = {"only_differences": only_differences, "changed_since_2019": changed_since_2019,
             "search": search}
    differences = widgets.Checkbox(value=only_differences, description="Show only differences",
                                   indent=False)
    changed = widgets.Checkbox(value=changed_since_2019, indent=False,
                               description="Only what changed since the 2019 article")
    query = widgets.Text(value=search, description="Search", placeholder="e.g. CNI, secrets, rkt",
                         continuous_update=True)
    output = widgets.HTML(comparison_view(matrix, systems, categories, **first))

    def update(_: object = None) -> None:
        output.value = comparison_view(
            matrix,
            [s for s, box in boxes.items() if box.value],
            list(category_list.value),
            only_differences=differences.value,
            changed_since_2019=changed.value,
            search=query.value,
        )

    for control in (*boxes.values(), category_list, differences, changed, query):
        control.observe(update, names="value")
    controls = widgets.HBox([
        widgets.VBox([widgets.HTML("<strong>Systems</strong>"), *boxes.values(), differences,
                      changed]),
        widgets.VBox([category_list, query]),
    ])
    app = LiveApp(
        widgets.VBox([controls, output]),
        lambda: comparison_view(matrix, systems, categories, open_all=False, **first),
    )
    app.controls = {"systems": boxes, "categories": category_list, "differences": differences,
                    "changed": changed, "search": query}
    app.output = output
    return app
