"""The stored versions of app and pod definitions: Marathon's app repository.

Each change of the group tree stores a version of every app or pod it altered, scaling and
restarts included (``GroupManagerImpl`` stores the changed run specs with the new root,
``AppRepository.storeVersion``); an unchanged one keeps its versions
(``GroupVersioningUtil.updateVersionInfoForChangedApps``). ``GET /v2/apps/<id>/versions``
lists them and ``PUT /v2/apps/<id>`` with ``{"version": ...}`` deploys one again. Marathon
keeps at most ``--zk_max_versions`` per app (50 by default, ``storage/StorageConf.scala``)
and deletes them with the app (``AppsResource.updateOrCreate``: only an existing app rolls
back). A version here is numbered by the deployment that stored it; the served API turns
numbers into times (:mod:`clustersim.serve.marathonversions`).

Simplified: Marathon drops the versions beyond the limit at its storage garbage collection,
the simulator at once.
"""

from __future__ import annotations

from typing import Any

from clustersim.marathon.groups import RootGroup
from clustersim.marathon.plan import instances_of, same_definition
from clustersim.marathon.state import AppVersion

__all__ = ["DEFAULT_MAX_VERSIONS", "VersionStore"]

DEFAULT_MAX_VERSIONS = 50
"""``--zk_max_versions``' default (``StorageConf.maxVersions``)."""


class VersionStore:
    """Every run spec's stored versions, oldest first, at most ``max_versions`` each."""

    def __init__(self, max_versions: int = DEFAULT_MAX_VERSIONS) -> None:
        if isinstance(max_versions, bool) or not isinstance(max_versions, int) \
                or max_versions < 1:
            raise ValueError(f"max_versions must be a whole number ≥ 1, got {max_versions!r}")
        self.max_versions = max_versions
        self._stored: dict[str, list[AppVersion]] = {}

    def newest_first(self, spec_id: str) -> list[AppVersion]:
        """The versions of ``spec_id`` (an absolute id), newest first; empty if unknown."""
        return list(reversed(self._stored.get(spec_id, [])))

    def numbers(self) -> set[int]:
        """The deployments the stored versions refer to: each version's own, and those of
        its ``versionInfo`` (``config_change``, ``last_scaling``)."""
        return {number for stored in self._stored.values() for v in stored
                for number in (v.number, v.config_change, v.last_scaling)}

    def record_change(self, original: RootGroup, target: RootGroup, number: int) -> None:
        """Deployment ``number`` changed the tree from ``original`` to ``target``: store the
        run specs it added or altered, forget those it removed."""
        for spec_id in set(self._stored) - set(target.run_specs):
            del self._stored[spec_id]
        for spec_id, manifest in target.run_specs.items():
            before = original.run_specs.get(spec_id)
            kind = target.kinds[spec_id]
            if before is None or not same_definition(before, manifest, kind) or \
                    instances_of(before, kind) != instances_of(manifest, kind):
                self.store(spec_id, manifest, kind, number)

    def store(self, spec_id: str, manifest: dict[str, Any], kind: str, number: int, *,
              restart: bool = False) -> None:
        """Store ``manifest`` as the version deployment ``number`` gave ``spec_id``, with the
        ``versionInfo`` Marathon gives it against the newest stored one
        (``GroupVersioningUtil.updateVersionInfoForChangedApps``): a new app or definition
        moves both stamps, a ``restart`` (the same definition again) only
        ``lastConfigChangeAt``, any other change (the instance count) only
        ``lastScalingAt``."""
        stored = self._stored.setdefault(spec_id, [])
        last = stored[-1] if stored else None
        if last is None or not same_definition(last.manifest, manifest, kind):
            version = AppVersion(number, manifest, number, number)
        elif restart:
            version = AppVersion(number, manifest, number, last.last_scaling)
        else:
            version = AppVersion(number, manifest, last.config_change, number)
        stored.append(version)
        del stored[:-self.max_versions]
