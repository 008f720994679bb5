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
  ``got prod, expected one of: [*, dev]``;
- ``acceptedResourceRoles`` (a pod's ``scheduling.placement.acceptedResourceRoles``) may
  name only ``*`` (unreserved resources) and the service's own role (resources reserved
  for it): ``AppDefinition.validWithRoleEnforcement`` and
  ``PodsValidation.validPodDefinitionWithRoleEnforcement`` check it with
  ``ResourceRole.validForRole(role)``, after the role is defaulted. Another role is
  refused at ``/acceptedResourceRoles`` (a pod's too: the validator reads Marathon's own
  ``PodDefinition``, which holds the list at its top) with ``acceptedResourceRoles can only
  contain * and <role>``. An empty list names no role and passes (a pod's; an app's is
  refused before, as every role name that ``ResourceRole.validResourceRole`` refuses, by
  the loader: :func:`clustersim.manifests.marathon_types.resource_role`, one check for the
  apps' and the pods' lists). The ``role`` field needs no such check: it must be one of
  :attr:`RoleSettings.valid` (``--mesos_role``, a top-level group's name, which the path
  rules keep from ``""``, spaces and slashes, or the role it has), and the sources
  consulted show no ``validResourceRole`` on it.

How the ``acceptedResourceRoles`` rule came (docs/docs/multirole.md, "Allocation vs
Reservation"; ``DeprecatedFeatures.sanitizeAcceptedResourceRoles``): Marathon 1.9 silently
dropped any other role from the list (``PodNormalization.sanitizeAcceptedResourceRoles``,
``["*"]`` if none was left); 1.10 refuses it unless ``--deprecated_features
sanitize_accepted_resource_roles`` turns the old way back on (soft-removed in 1.10; DC/OS
2.1 release notes); 1.11, the version the simulator answers as, removed that flag. The
message's tail is reconstructed: ``AppsResourceTest`` checks its beginning only
(``contains "acceptedResourceRoles can only contain *"``), and the DC/OS notes describe the
list as "``*`` and the service role". Searched without finding ``ResourceRole.validForRole``
(which ``PodsValidation.validPodDefinitionWithRoleEnforcement`` calls): the stored versions
of mesosphere/marathon ``state/ResourceRole.scala`` (all from before 1.9, with
``validAcceptedResourceRoles`` only), ``AppDefinition.scala``, ``AppsResourceTest``,
``PodsResourceTest`` and ``ResourceRoleTest``, the strings "can only contain",
"validForRole" and "acceptedResourceRoles can only contain" in every stored repository, and
the pull requests that brought the rule (d2iq-archive/marathon #6960, #7014).

DC/OS runs Marathon with ``--mesos_role slave_public`` (dcos/dcos ``packages/marathon/extra/
marathon.sh``; multirole.md: "as is the default in DC/OS"), so that a root app's role *is*
``slave_public`` and ``["slave_public"]`` or ``["*", "slave_public"]`` stay valid there:
``Marathon(role="slave_public")``. A Marathon of the default role ``*`` refuses them at the
root; below it, only an app that takes the role of its top-level group ``/slave_public``.

Simplified (what Marathon and Mesos do instead): Marathon 1.9 subscribes to Mesos as a
``MULTI_ROLE`` framework with the roles its services use, and the master offers each role's
resources (reserved for it, or unreserved) to the framework for that role, shared out by
DRF per role; the simulated Marathon subscribes with its one role, so an app's role is stored
and answered but offers are not split by it. Accord reports every violation of a definition
at once; the simulator reports a refused role alone, before the accepted roles are read.
A resident service's ``acceptedResourceRoles`` are the loader's rule
(:data:`clustersim.manifests.marathon.RESIDENT_ROLES`).

A resident service (one with a local persistent volume) may not have the role ``*``
(:class:`ResidentRoleError`): ``validWithRoleEnforcement`` (``state/AppDefinition.scala``,
``api/v2/validation/PodsValidation.scala``, run on every app and pod of the root group by
``RootGroup.validRootGroup``) refuses it at ``/role``, ``Resident apps cannot have the role
*`` (``AppsResourceTest``; a pod's ``Resident pods cannot have the role *``,
``PodsResourceTest``), on the run spec's role, which is set by then (given or defaulted).
Mesos reserves resources only for a named role, which the persistent-volumes page asks of
``--mesos_role`` ("This should be a unique role", docs/docs/persistent-volumes.md). So a
Marathon of the default ``--mesos_role *`` takes a resident
service only in a top-level group, with the group's role (``/shop/db/postgres`` with
``"role": "shop"``), or with ``enforceRole``, which makes the group's role its default.
Not modelled: a change of a resident service's role needs ``?force=true``
(``RoleSettings.residentRoleChangeWarningMessage``: "It is not possible to change the role
for existing reservations. ...").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clustersim.marathon.pathid import PathId

__all__ = ["AcceptedRolesError", "ResidentRoleError", "RoleError", "RoleSettings",
           "accepted_roles", "role_settings", "with_role"]


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


class ResidentRoleError(ValueError):
    """A resident app or pod (a persistent volume) of the role ``*``; :attr:`upstream` is
    Marathon's violation, at ``/role``."""

    def __init__(self, spec_id: str, kind: str, settings: RoleSettings) -> None:
        self.spec_id, self.kind, self.settings = spec_id, kind, settings
        self.upstream = f"Resident {kind}s cannot have the role *"
        self.reason = (f"{spec_id} is resident (it has a persistent volume), so its role "
                       "cannot be '*': Mesos reserves resources for a named role only")
        advice = self.advice(", or run Marathon with another --mesos_role (Marathon(role=...))")
        super().__init__(f"{self.reason}. {advice}")

    def advice(self, otherwise: str) -> str:
        """What to change: the named role its group allows, else a top-level group whose
        name it may take as its role (``RoleSettings.forService``: a service of a top-level
        group may take the group's name), then ``otherwise`` (what else the caller offers)."""
        named = [role for role in self.settings.valid if role != "*"]
        if named:
            return f'Set "role" to {named[0]!r}'
        group = f"/storage{PathId(self.spec_id).resolve()}"
        return (f'Move it into a top-level group ("id": "{group}") and set "role" to the '
                f"group's name, \"storage\"{otherwise}")

    def __reduce__(self):  # keep the fields when pickled (e.g. across processes)
        return (ResidentRoleError, (self.spec_id, self.kind, self.settings))


def _resident(manifest: dict[str, Any]) -> bool:
    """Whether an app or a pod has a local persistent volume (Marathon's ``isResident``)."""
    holder = manifest if "containers" in manifest else manifest.get("container") or {}
    return any(isinstance(volume, dict) and volume.get("persistent")
               for volume in holder.get("volumes") or [])


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


class AcceptedRolesError(ValueError):
    """A service whose ``acceptedResourceRoles`` name a role other than ``*`` and its own;
    :attr:`upstream` is Marathon's violation, at ``/acceptedResourceRoles``."""

    def __init__(self, spec_id: str, role: str, accepted: list[str]) -> None:
        self.spec_id, self.role, self.accepted = spec_id, role, accepted
        self.upstream = f"acceptedResourceRoles can only contain * and {role}"
        others = ", ".join(repr(r) for r in dict.fromkeys(accepted) if r not in ("*", role))
        own = "" if role == "*" else f" and {role!r} (resources reserved for it)"
        super().__init__(
            f"{spec_id} has the role {role!r}, so its acceptedResourceRoles may name only '*' "
            f"(unreserved resources){own}, not {others}: "
            "Marathon 1.10 and later refuse any other role there. Remove it, or make it the "
            "app's role: in a top-level group of that name, or, for 'slave_public' at the "
            "root, with DC/OS's --mesos_role (Marathon(role=\"slave_public\"))")

    def __reduce__(self):  # keep the fields when pickled (e.g. across processes)
        return (AcceptedRolesError, (self.spec_id, self.role, self.accepted))


def accepted_roles(manifest: dict[str, Any]) -> list[str]:
    """The ``acceptedResourceRoles`` an app (or a pod, in ``scheduling.placement``) names."""
    if "containers" in manifest:
        placement = (manifest.get("scheduling") or {}).get("placement") or {}
        return list(placement.get("acceptedResourceRoles") or [])
    return list(manifest.get("acceptedResourceRoles") or [])


def with_role(manifest: dict[str, Any], settings: RoleSettings,
              existing: str | None) -> dict[str, Any]:
    """``manifest`` with its role checked and, when it names none, the role it keeps or
    gets by default; raises :class:`RoleError` for a role ``settings`` do not allow,
    :class:`ResidentRoleError` for a resident one of the role ``*`` (given or defaulted) and
    :class:`AcceptedRolesError` for accepted resource roles the role does not allow."""
    role = manifest.get("role")
    if role is None:
        role = existing or settings.default
        manifest = {**manifest, "role": role}
    elif role not in settings.valid:
        raise RoleError(str(manifest["id"]), role, settings)
    if role == "*" and _resident(manifest):
        kind = "pod" if "containers" in manifest else "app"
        raise ResidentRoleError(str(manifest["id"]), kind, settings)
    accepted = accepted_roles(manifest)
    if any(r not in ("*", role) for r in accepted):
        raise AcceptedRolesError(str(manifest["id"]), role, accepted)
    return manifest
