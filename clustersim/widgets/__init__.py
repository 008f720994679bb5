"""ipywidgets apps that drive the simulators live in JupyterLab.

Every app also carries a static HTML rendering (see :class:`.base.LiveApp`): the book, which
has no kernel, shows that rendering instead of a dead widget.
"""

from clustersim.widgets.apptrees import app_tree_explorer
from clustersim.widgets.base import LiveApp, error_html
from clustersim.widgets.comparison import comparison_app
from clustersim.widgets.decision import decision_app
from clustersim.widgets.dialects import dialects_explorer
from clustersim.widgets.drf import drf_explorer
from clustersim.widgets.explorer import manifest_explorer
from clustersim.widgets.fit import fit_explorer
from clustersim.widgets.healing import healing_app
from clustersim.widgets.networking import networking_explorer
from clustersim.widgets.storage import storage_app
from clustersim.widgets.updates import updates_app

__all__ = [
    "LiveApp",
    "app_tree_explorer",
    "comparison_app",
    "decision_app",
    "dialects_explorer",
    "drf_explorer",
    "error_html",
    "fit_explorer",
    "healing_app",
    "manifest_explorer",
    "networking_explorer",
    "storage_app",
    "updates_app",
]
