"""Pod Security admission, for the controls a course Pod usually trips over.

A namespace chooses a Pod Security Standards level per mode with labels
``pod-security.kubernetes.io/<enforce|audit|warn>: <privileged|baseline|restricted>``
(https://kubernetes.io/docs/concepts/security/pod-security-admission/). ``enforce`` refuses a
violating Pod: ``pods "web" is forbidden: violates PodSecurity "restricted:latest": ...``;
``warn`` and ``audit`` let it through with ``would violate PodSecurity ...`` (a warning to the
client, an audit annotation) (``staging/src/k8s.io/pod-security-admission/admission/admission.go``).

The checks, with upstream's IDs, reasons and details
(``staging/src/k8s.io/pod-security-admission/policy/``), run in the order of their IDs, and
``restricted`` includes ``baseline``:

- ``privileged`` (baseline, ``check_privileged.go``): no container sets
  ``securityContext.privileged=true``;
- ``allowPrivilegeEscalation`` (restricted): every container sets it to ``false``;
- ``capabilities_restricted``: every container drops ``ALL`` and adds nothing but
  ``NET_BIND_SERVICE``;
- ``runAsNonRoot``: the Pod or every container sets ``runAsNonRoot: true``, and none sets
  ``false``; a Pod with ``hostUsers: false`` (its own user namespace, KEP-127) passes
  (``relaxPolicyForUserNamespacePod`` in ``policy/helpers.go``; unconditional for the ``latest``
  policy since Kubernetes v1.35 removed the ``UserNamespacesPodSecurityStandards`` gate, which
  had kept this relaxation off by default);
- ``runAsUser`` (restricted, ``check_runAsUser.go``): neither the Pod nor any container sets
  ``runAsUser: 0``; unset is fine (the image's user decides, and ``runAsNonRoot`` guards it);
  relaxed for ``hostUsers: false`` like ``runAsNonRoot``;
- ``seccompProfile_restricted``: the Pod or every container sets ``seccompProfile.type`` to
  ``RuntimeDefault`` or ``Localhost``, and none sets another type.

Containers are visited as upstream's ``visitContainers`` does: init containers, then
containers, then ephemeral containers.

Simplified: the other baseline controls (host namespaces, ``hostPath`` volumes, host ports,
added capabilities, AppArmor, SELinux, ``/proc`` mount, sysctls) and the other restricted ones
(volume types) are not checked; only the ``latest`` version of each level is
known; exemptions and invalid label values are not modelled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LABEL_PREFIX", "LEVELS", "Verdict", "admit", "violations"]

LEVELS = ("privileged", "baseline", "restricted")
LABEL_PREFIX = "pod-security.kubernetes.io/"
_SECCOMP_ALLOWED = ("RuntimeDefault", "Localhost")

Spec = Mapping[str, Any]


def _containers(spec: Spec) -> Iterator[Mapping[str, Any]]:
    for key in ("initContainers", "containers", "ephemeralContainers"):
        yield from (c for c in spec.get(key) or [] if isinstance(c, Mapping))


def _context(container: Mapping[str, Any]) -> Mapping[str, Any]:
    return container.get("securityContext") or {}


def _names(kind: list[str]) -> str:
    """``pluralize`` and ``joinQuote`` of ``policy/helpers.go``."""
    word = "container" if len(kind) == 1 else "containers"
    return word + ' "' + '", "'.join(kind) + '"'


def _privileged(spec: Spec) -> str | None:
    bad = [c.get("name", "") for c in _containers(spec) if _context(c).get("privileged") is True]
    return f"{_names(bad)} must not set securityContext.privileged=true" if bad else None


def _allow_privilege_escalation(spec: Spec) -> str | None:
    bad = [c.get("name", "") for c in _containers(spec)
           if _context(c).get("allowPrivilegeEscalation") is not False]
    return (f"{_names(bad)} must set securityContext.allowPrivilegeEscalation=false"
            if bad else None)


def _capabilities(spec: Spec) -> str | None:
    missing_drop, adding, forbidden = [], [], set()
    for container in _containers(spec):
        capabilities = _context(container).get("capabilities")
        if not isinstance(capabilities, Mapping):
            missing_drop.append(container.get("name", ""))
            continue
        if "ALL" not in (capabilities.get("drop") or []):
            missing_drop.append(container.get("name", ""))
        added = {str(c) for c in capabilities.get("add") or [] if c != "NET_BIND_SERVICE"}
        if added:
            adding.append(container.get("name", ""))
            forbidden |= added
    details = []
    if missing_drop:
        details.append(f'{_names(missing_drop)} must set securityContext.capabilities.drop=["ALL"]')
    if adding:
        details.append(f"{_names(adding)} must not include "
                       + '"' + '", "'.join(sorted(forbidden)) + '"'
                       + " in securityContext.capabilities.add")
    return "; ".join(details) or None


def _pod_or_containers(spec: Spec, field_name: str, good: Callable[[Any], bool],
                       must_not: Callable[[list[str], list[str]], str],
                       must: Callable[[str], str]) -> str | None:
    """The shared shape of ``runAsNonRoot`` and ``seccompProfile_restricted``: a good pod-level
    value covers containers that set nothing; any explicitly bad value is named first."""
    setters, bad_values = [], []
    pod_value = (spec.get("securityContext") or {}).get(field_name)
    pod_good = False
    if pod_value is not None:
        if good(pod_value):
            pod_good = True
        else:
            setters.append("pod")
            bad_values.append(pod_value)
    explicit, implicit = [], []
    for container in _containers(spec):
        value = _context(container).get(field_name)
        if value is not None:
            if not good(value):
                explicit.append(container.get("name", ""))
                bad_values.append(value)
        elif not pod_good:
            implicit.append(container.get("name", ""))
    if explicit:
        setters.append(_names(explicit))
    if setters:
        return must_not(setters, bad_values)
    return must(_names(implicit)) if implicit else None


def _run_as_non_root(spec: Spec) -> str | None:
    if spec.get("hostUsers") is False:  # a user namespace: root inside is not root on the node
        return None
    return _pod_or_containers(
        spec, "runAsNonRoot", lambda v: v is True,
        lambda setters, _: (" and ".join(setters)
                            + " must not set securityContext.runAsNonRoot=false"),
        lambda names: f"pod or {names} must set securityContext.runAsNonRoot=true")


def _run_as_user(spec: Spec) -> str | None:
    if spec.get("hostUsers") is False:  # relaxPolicyForUserNamespacePod, as for runAsNonRoot
        return None
    setters = ["pod"] if (spec.get("securityContext") or {}).get("runAsUser") == 0 else []
    root = [c.get("name", "") for c in _containers(spec) if _context(c).get("runAsUser") == 0]
    if root:
        setters.append(_names(root))
    return " and ".join(setters) + " must not set runAsUser=0" if setters else None


def _seccomp_type(profile: Any) -> Any:
    return profile.get("type") if isinstance(profile, Mapping) else profile


def _seccomp(spec: Spec) -> str | None:
    return _pod_or_containers(
        spec, "seccompProfile", lambda v: _seccomp_type(v) in _SECCOMP_ALLOWED,
        lambda setters, values: (
            " and ".join(setters) + " must not set securityContext.seccompProfile.type to "
            + '"' + '", "'.join(sorted({str(_seccomp_type(v)) for v in values})) + '"'),
        lambda names: (f"pod or {names} must set securityContext.seccompProfile.type to "
                       '"RuntimeDefault" or "Localhost"'))


# (ID, level, ForbiddenReason, check), in the order of the IDs
_CHECKS: tuple[tuple[str, str, str, Callable[[Spec], str | None]], ...] = (
    ("allowPrivilegeEscalation", "restricted", "allowPrivilegeEscalation != false",
     _allow_privilege_escalation),
    ("capabilities_restricted", "restricted", "unrestricted capabilities", _capabilities),
    ("privileged", "baseline", "privileged", _privileged),
    ("runAsNonRoot", "restricted", "runAsNonRoot != true", _run_as_non_root),
    ("runAsUser", "restricted", "runAsUser=0", _run_as_user),
    ("seccompProfile_restricted", "restricted", "seccompProfile", _seccomp),
)


def violations(spec: Spec, level: str) -> list[str]:
    """``reason (detail)`` for every check of ``level`` that the Pod spec fails."""
    if level not in LEVELS:
        raise ValueError(f"Pod Security level {level!r}: use one of {', '.join(LEVELS)}")
    applies = LEVELS[: LEVELS.index(level) + 1]
    found = []
    for _id, check_level, reason, check in _CHECKS:
        if check_level in applies[1:]:
            detail = check(spec)
            if detail:
                found.append(f"{reason} ({detail})")
    return found


@dataclass(frozen=True)
class Verdict:
    """What Pod Security admission answers for one Pod in one namespace."""

    refusal: str | None
    """The API server's error when ``enforce`` refuses the Pod, else None."""
    warnings: list[str] = field(default_factory=list)
    """What ``kubectl`` prints as ``Warning: ...`` (``warn`` mode, only when admitted)."""
    audit: str | None = None
    """The audit annotation (``audit`` mode)."""


def admit(namespace_labels: Mapping[str, str], pod: Mapping[str, Any]) -> Verdict:
    """Evaluate ``pod`` (a Pod manifest) under its namespace's Pod Security labels."""
    spec = pod.get("spec") or {}
    name = (pod.get("metadata") or {}).get("name", "")

    def problems(mode: str) -> tuple[str, list[str]]:
        level = namespace_labels.get(LABEL_PREFIX + mode, "privileged")
        return f"{level}:latest", (violations(spec, level) if level in LEVELS else [])

    policy, found = problems("enforce")
    if found:
        return Verdict(f'pods "{name}" is forbidden: violates PodSecurity "{policy}": '
                       + ", ".join(found))
    policy, found = problems("warn")
    warnings = [f'would violate PodSecurity "{policy}": ' + ", ".join(found)] if found else []
    policy, found = problems("audit")
    audit = f'would violate PodSecurity "{policy}": ' + ", ".join(found) if found else None
    return Verdict(None, warnings, audit)
