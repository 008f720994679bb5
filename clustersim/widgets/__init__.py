"""ipywidgets apps that drive the simulators live in JupyterLab.

Every app also carries a static HTML rendering (see :class:`.base.LiveApp`): the book, which
has no kernel, shows that rendering instead of a dead widget.

The apps are imported when first used (``from clustersim.widgets import healing_app``), so
that importing one app, or :mod:`.base`, does not load every simulator.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from clustersim.widgets.base import LiveApp, error_html

_APPS = {
    "app_tree_explorer": "apptrees",
    "comparison_app": "comparison",
    "decision_app": "decision",
    "dialects_explorer": "dialects",
    "drf_explorer": "drf",
    "fit_explorer": "fit",
    "healing_app": "healing",
    "manifest_explorer": "explorer",
    "networking_explorer": "networking",
    "storage_app": "storage",
    "updates_app": "updates",
}

__all__ = [  # noqa: RUF022  (the base helpers first, then the apps)
    "LiveApp",
    "error_html",
    "app_tree_explorer",
    "comparison_app",
    "decision_app",
    "dialects_explorer",
    "drf_explorer",
    "fit_explorer",
    "healing_app",
    "manifest_explorer",
    "networking_explorer",
    "storage_app",
    "updates_app",
]


def __getattr__(name: str) -> Any:
    if name in _APPS:
        return getattr(import_module(f"clustersim.widgets.{_APPS[name]}"), name)
    raise AttributeError(f"module 'clustersim.widgets' has no attribute {name!r}")
