"""Plotly views of simulated clusters.

Importing this package installs the course's offline renderer (see :mod:`.renderer`), so a
notebook's first cell ``import clustersim.viz`` makes every figure show in JupyterLab and in
the static book without loading anything from another host.
"""

from clustersim.viz.renderer import install_renderer

install_renderer()

__all__ = ["install_renderer"]
