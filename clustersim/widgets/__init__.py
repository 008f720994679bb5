"""ipywidgets apps that drive the simulators live in JupyterLab.

Every app also carries a static HTML rendering (see :class:`.base.LiveApp`): the book, which
has no kernel, shows that rendering instead of a dead widget.
"""

from clustersim.widgets.base import LiveApp, error_html

__all__ = ["LiveApp", "error_html"]
