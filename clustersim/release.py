"""The Kubernetes release the course follows, named once.

:data:`KUBERNETES_VERSION` is the minor release whose API schemas
:func:`clustersim.schemas.validate_kubernetes` checks against by default, whose version the
served API reports (``python -m clustersim serve kubernetes``: ``kubectl version``, the Nodes'
``kubeletVersion``, the OpenAPI document: :data:`SERVED_VERSION`) and whose kube-scheduler
messages, defaults and scores :mod:`clustersim.kubernetes.scheduler` follows (its module
docstring says what was checked against that release). Moving to another release means
checking all three against it.
"""

from __future__ import annotations

__all__ = ["KUBERNETES_VERSION", "SERVED_VERSION"]

KUBERNETES_VERSION = "1.37"
"""The newest release that the pinned kubernetes-validate (1.37.0) ships schemas of."""

SERVED_VERSION = f"v{KUBERNETES_VERSION}.0"
"""The version the served API reports: ``kubectl version``'s ``gitVersion`` (with
``+clustersim``), the Nodes' ``kubeletVersion`` and its OpenAPI document's ``info``."""
