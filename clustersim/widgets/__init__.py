"""ipywidgets apps that drive the simulators live in JupyterLab.

Every app also carries a static HTML rendering (see :class:`.base.LiveApp`): the book, which
has no kernel, shows that rendering instead of a dead widget.
"""

from clustersim.widgets.base import LiveApp, error_html
from clustersim.widgets.comparison import comparison_app
from clustersim.widgets.decision import decision_app
from clustersim.widgets.drf import drf_explorer
from clustersim.widgets.explorer import manifest_explorer
from clustersim.widgets.fit import fit_explorer

__all__ = [
    "LiveApp",
    "comparison_app",
    "decision_app",
    "drf_explorer",
    "error_html",
    "fit_explorer",
    "manifest_explorer",
]
