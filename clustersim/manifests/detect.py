"""Which system a document is written for: Kubernetes, Marathon or Compose (Swarm stacks).

The three dialects have distinct fingerprints:

- Kubernetes objects always carry ``apiVersion`` and ``kind`` (kubernetes/apimachinery
  ``pkg/apis/meta/v1/types.go``, ``TypeMeta``).
- Compose files have a top-level ``services`` mapping (compose-spec ``spec.md``; ``version``
  is obsolete and optional).
- Marathon apps, pods and groups have an ``id`` (pods: also ``containers``; groups: ``apps``,
  ``pods`` or ``groups``). A bare ``{"apps": [...]}`` is the root group. (d2iq-archive/marathon
  ``docs/docs/rest-api/public/api/v2/types/app.raml``, ``pod.raml``, ``group.raml``.)
"""

from __future__ import annotations

from typing import Any

from clustersim.manifests.safe_yaml import Document

__all__ = ["detect"]

_MARATHON_GROUP_KEYS = ("apps", "pods", "groups")
_MARATHON_APP_KEYS = (
    "cmd",
    "args",
    "container",
    "cpus",
    "mem",
    "instances",
    "portDefinitions",
    "constraints",
    "healthChecks",
    "dependencies",
    "upgradeStrategy",
    "acceptedResourceRoles",
)
_EXPECTED = (
    "a Kubernetes object (with apiVersion and kind), a Marathon app, pod or group (with id, "
    "apps, pods or groups) or a Compose file (with services)"
)


def detect(document: Document) -> str:
    """``"kubernetes"``, ``"marathon"`` or ``"swarm"`` for one document, or a ManifestError."""
    data: Any = document.data
    if isinstance(data, list):
        if data and all(isinstance(item, dict) and "id" in item for item in data):
            return "marathon"
        raise document.error(
            (), "a top-level list must hold Marathon apps (each with an id)", _EXPECTED
        )
    if not isinstance(data, dict):
        raise document.error(
            (), f"the document is a {type(data).__name__}, not a mapping", _EXPECTED
        )
    if "apiVersion" in data or "kind" in data:
        return "kubernetes"
    if "services" in data:
        return "swarm"
    if "id" in data or any(key in data for key in _MARATHON_GROUP_KEYS):
        return "marathon"
    if any(key in data for key in _MARATHON_APP_KEYS):
        raise document.error(
            (), "this looks like a Marathon app but it has no id", 'an id such as "/my-app"'
        )
    keys = ", ".join(list(data)[:5]) or "none"
    raise document.error(
        (), f"cannot tell which system this is for (top-level keys: {keys})", _EXPECTED
    )
