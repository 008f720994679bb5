"""The course's example application, written once per orchestrator.

``shop`` has four tiers: a PostgreSQL database with its own volume, a Redis cache, an API
that depends on both, and a web frontend that depends on the API and is published on port 80.
The labs deploy the same application as Kubernetes manifests, a Marathon group and a Swarm
stack, so that the three systems can be compared on equal terms. The files live in
``clustersim/data/apps/<app>/`` and are ordinary manifests a learner can read and edit.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SYSTEMS", "example_path", "example_text", "tier_of"]

APPS = Path(__file__).resolve().parent / "data" / "apps"
SYSTEMS = {"kubernetes": "kubernetes.yaml", "marathon": "marathon.json", "swarm": "shop.yml"}


def example_path(system: str, app: str = "shop") -> Path:
    """The example ``app``'s manifest file for ``system`` (kubernetes, marathon or swarm)."""
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    path = APPS / app / SYSTEMS[system]
    if not path.is_file():
        known = ", ".join(sorted(p.name for p in APPS.iterdir() if p.is_dir()))
        raise ValueError(f"no example application {app!r} (known: {known})")
    return path


def example_text(system: str, app: str = "shop") -> str:
    """The manifest file's text, e.g. to show it in a lab."""
    return example_path(system, app).read_text(encoding="utf-8")


def tier_of(workload_name: str) -> str:
    """The tier a workload of the example belongs to, whatever the system calls it.

    ``db`` (Kubernetes), ``/shop/db/postgres`` (Marathon) and ``shop_db`` (Swarm) are all the
    ``db`` tier; the tiers are ``db``, ``cache``, ``api`` and ``frontend``.
    """
    for tier in ("db", "cache", "api", "frontend"):
        parts = workload_name.replace("_", "/").split("/")
        if tier in parts:
            return tier
    raise ValueError(f"{workload_name!r} is not a workload of the example application")
