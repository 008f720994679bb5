"""Kubernetes' version skew policy: which component versions may run together.

Upstream: the Version Skew Policy, https://kubernetes.io/releases/version-skew-policy/ (as of
December 2026), whose examples the tests use. Versions are minor versions such as ``"1.37"``
(a patch level, ``"1.37.1"``, is accepted and ignored).

- kube-apiserver: in an HA cluster the newest and oldest instances are within one minor.
- kubelet and kube-proxy: not newer than kube-apiserver, at most three minors older (two for
  kubelets older than 1.25).
- kube-controller-manager, kube-scheduler, cloud-controller-manager: not newer than
  kube-apiserver, at most one minor older.
- kubectl: within one minor of kube-apiserver, older or newer.

Each rule must hold against every kube-apiserver instance, since a component may reach any of
them: in an HA cluster at 1.35 and 1.34, kubelets may be 1.34, 1.33 or 1.32.

Upgrades go one minor at a time, kube-apiserver first, then the controllers, then the nodes;
:func:`skew_problems` says what a given mix breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["minor", "skew_problems", "supported_versions"]

_VERSION = re.compile(r"v?1\.(\d+)(?:\.\d+)?")
_CONTROLLERS = ("kube-controller-manager", "kube-scheduler", "cloud-controller-manager")
_NODE = ("kubelet", "kube-proxy")


def minor(version: str) -> int:
    """The minor number of ``"1.37"``, ``"v1.37.2"``..."""
    match = _VERSION.fullmatch(str(version).strip())
    if not match:
        raise ValueError(f"{version!r} is not a Kubernetes version such as 1.37 or v1.37.2")
    return int(match[1])


def _minors(versions: str | Iterable[str]) -> list[int]:
    values = [versions] if isinstance(versions, str) else list(versions)
    if not values:
        raise ValueError("give at least one version")
    return [minor(v) for v in values]


def _allowed(component: str, candidate: int, apiserver: int) -> bool:
    """Whether ``component`` at minor ``candidate`` may work with one kube-apiserver."""
    if component in _NODE:
        return candidate <= apiserver and apiserver - candidate <= (3 if candidate >= 25 else 2)
    if component in _CONTROLLERS:
        return candidate <= apiserver and apiserver - candidate <= 1
    if component in ("kubectl", "kube-apiserver"):
        return abs(apiserver - candidate) <= 1
    raise ValueError(f"unknown component {component!r}: kube-apiserver, kubelet, kube-proxy, "
                     f"{', '.join(_CONTROLLERS)} or kubectl")


def supported_versions(component: str, apiservers: str | Iterable[str]) -> list[str]:
    """The minor versions of ``component`` that the policy allows beside kube-apiserver
    instances at ``apiservers`` (every instance must accept it), newest first."""
    api = _minors(apiservers)
    candidates = range(max(api) + 1, min(api) - 5, -1)
    return [f"1.{m}" for m in candidates if all(_allowed(component, m, a) for a in api)]


def skew_problems(versions: Mapping[str, str | Iterable[str]]) -> list[str]:
    """What a cluster's mix of versions breaks, one sentence per component out of range.

    ``versions`` maps a component name to its version, or to the versions of its instances
    (``{"kube-apiserver": ["1.37", "1.36"], "kubelet": ["1.34", "1.33"]}``)."""
    if "kube-apiserver" not in versions:
        raise ValueError("the versions must include kube-apiserver")
    api = _minors(versions["kube-apiserver"])
    problems = []
    if max(api) - min(api) > 1:
        problems.append(f"kube-apiserver instances at 1.{min(api)} and 1.{max(api)} are more "
                        "than one minor version apart")
        return problems
    for component, given in versions.items():
        if component == "kube-apiserver":
            continue
        allowed = supported_versions(component, versions["kube-apiserver"])
        for value in sorted(set(_minors(given))):
            if f"1.{value}" not in allowed:
                problems.append(f"{component} 1.{value} is not supported with kube-apiserver "
                                f"{', '.join(f'1.{m}' for m in sorted(set(api)))} (supported: "
                                f"{', '.join(allowed) or 'none'})")
    return problems
