"""The Mesos role of a Marathon app or pod (Marathon 1.9 and later).

Follows d2iq-archive/marathon ``util/RoleSettings.scala`` (``RoleSettings.forService``),
``api/v2/GroupNormalization.scala`` and the ``in(validRoles)`` rule of
``AppDefinition``/``PodsValidation.validPodDefinitionWithRoleEnforcement``:

- Marathon registers with the role of ``--mesos_role`` (``*`` by default), the framework's
  :attr:`~clustersim.mesos.framework.Framework.role`;
- a service directly in the root group may only have that role, and gets it by default;
- a service under a top-level group ``/dev`` may have the role ``*`` (the Mesos role) or
  ``dev`` (the top-level group's name); with the group's ``enforceRole: true``, only ``dev``,
  which is then its default (``--new_group_enforce_role`` is ``off`` by default, so a group
  created without ``enforceRole`` does not enforce it);
- a service keeps the role it already has as a valid choice (and keeps it when an update
  names none);
- another role is refused: 422 ``Object is not valid``, at ``/role`` (of the app or pod in
  a group definition: ``/apps(0)/role``), Accord's ``in`` words
  ``got prod, expected one of: [*, dev]``.

Simplified (what Marathon and Mesos do instead): Marathon 1.9 subscribes to Mesos as a
``MULTI_ROLE`` framework with the roles its services use, and the master offers each role's
resources (reserved for it, or unreserved) to the framework for that role, shared out by
DRF per role; the simulated Marathon subscribes with its one role, so an app's role is stored
and answered but offers are not split by it. The other rules on the role (a resident app
may not use ``*``, ``acceptedResourceRoles`` may only name ``*`` and the role, a role
change of a resident app needs ``?force=true``) are not modelled.

Why ``acceptedResourceRoles`` is not checked against the role: Marathon 1.9 silently drops
any other role from it (the deprecated feature ``sanitize_accepted_resource_roles``,
``PodNormalization.sanitizeAcceptedResourceRoles``), and 1.10 refuses it with a 422
("acceptedResourceRoles can only contain *" and the role; DC/OS 2.1 release notes, and
``AppsResourceTest``). DC/OS keeps public apps valid by running Marathon with
``--mesos_role slave_public`` (dcos/dcos ``packages/marathon/extra/marathon.sh``), so that
a root app's role *is* ``slave_public``. The labs' public apps keep Marathon's own default
role ``*`` with ``["slave_public"]``; either rule would drop or refuse them unless the
simulated Marathon took DC/OS's role, which would change every root app's role the API
shows and the role the DRF views name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clustersim.marathon.pathid import PathId

__all__ = ["RoleError", "RoleSettings", "role_settings", "with_role"]


@dataclass(frozen=True)
class RoleSettings:
    """The roles a service may have, in Marathon's order, and the one it gets by default."""

    valid: tuple[str, ...]
    default: str


class RoleError(ValueError):
    """A service whose role its group does not allow; :attr:`upstream` is Marathon's
    violation, at ``/role``."""

    def __init__(self, spec_id: str, role: str, settings: RoleSettings) -> None:
        self.spec_id, self.role, self.settings = spec_id, role, settings
        self.upstream = f"got {role}, expected one of: [{', '.join(settings.valid)}]"
        super().__init__(f"{spec_id} cannot have the role {role!r}: its group allows "
                         f"{' or '.join(map(repr, settings.valid))}. Set \"role\" to one of "
                         f"them, or leave it out for {settings.default!r}")

    def __reduce__(self):  # keep the fields when pickled (e.g. across processes)
        return (RoleError, (self.spec_id, self.role, self.settings))


def role_settings(spec_id: str, *, enforce_role: bool | None, existing: str | None,
                  mesos_role: str = "*") -> RoleSettings:
    """``RoleSettings.forService`` for the app or pod ``spec_id``: ``enforce_role`` is its
    top-level group's flag (``None``: not set, read as ``false``), ``existing`` the role the
    service has now (``None`` for a new one)."""
    path = PathId(spec_id).resolve().path
    if len(path) == 1:
        valid = [mesos_role]
        default = mesos_role
    else:
        top = path[0]
        valid = [top] if enforce_role else [mesos_role, top]
        default = top if enforce_role else mesos_role
    if existing is not None:
        valid.append(existing)
    return RoleSettings(tuple(dict.fromkeys(valid)), default)


def with_role(manifest: dict[str, Any], settings: RoleSettings,
              existing: str | None) -> dict[str, Any]:
    """``manifest`` with its role checked and, when it names none, the role it keeps or
    gets by default; raises :class:`RoleError` for a role ``settings`` do not allow."""
    role = manifest.get("role")
    if role is None:
        return {**manifest, "role": existing or settings.default}
    if role not in settings.valid:
        raise RoleError(str(manifest["id"]), role, settings)
    return manifest
