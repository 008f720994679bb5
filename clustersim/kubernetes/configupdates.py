"""What happens when a ConfigMap or Secret is changed: what the API server refuses, and when
each consumer in a running Pod sees the new data.

- **Immutable objects.** A ConfigMap or Secret with ``immutable: true`` cannot be made mutable
  again and its ``data`` and ``binaryData`` cannot change: the API server answers ``The
  ConfigMap "app-config" is invalid: data: Forbidden: field is immutable when `immutable` is
  set`` (kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``,
  ``ValidateConfigMapUpdate`` and ``ValidateSecretUpdate``). Only deleting and recreating, or a
  new name, changes it (https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-immutable).
- **Files in a volume** (``volumes[].configMap``, ``.secret``, ``projected``) are rewritten by
  the kubelet at the Pod's next periodic sync after its cache has the new object
  (https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically):
  the delay is up to the sync period plus the cache's propagation delay (with the default
  ``Watch`` change-detection strategy, the watch's own short delay). The pod worker requeues a
  Pod for its next sync after ``wait.Jitter(syncFrequency, 0.5)``, i.e. between 1 and 1.5 times
  ``syncFrequency`` (default 1 minute): ``workerResyncIntervalJitterFactor`` in
  ``pkg/kubelet/pod_workers.go``, ``syncFrequency`` in
  ``pkg/kubelet/apis/config/v1beta1/defaults.go``.
- **A ``subPath`` mount** of such a volume is a bind mount of one file that the kubelet's atomic
  writer replaces by swapping a symlink, so the container keeps the old file
  (``pkg/volume/util/atomic_writer.go``; kubernetes/kubernetes#50345).
- **Environment variables** (``env[].valueFrom``, ``envFrom``) are resolved once, when the
  container is created; they change only when the container is created again (a restart, a new
  Pod from a rollout).
- An **immutable** object is not watched by the kubelet at all, which is the point of it.

Simplified: the watch's propagation delay is a parameter (``cache_delay``, default 0 s); the
first sync happens when the Pod starts (at time 0), and only periodic syncs follow, while the
real kubelet also syncs a Pod when one of its containers changes state (a PLEG event), which
can rewrite the files sooner; the ``Cache`` and ``Get`` strategies are the
same ``cache_delay`` with another value (the TTL, or 0).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clustersim.reprs import brief

__all__ = ["RESYNC_JITTER", "SYNC_FREQUENCY", "Consumer", "Seen", "after_edit", "consumers",
           "immutable_errors", "pod_syncs"]

SYNC_FREQUENCY = 60.0
"""The kubelet's ``syncFrequency`` default, seconds
(``pkg/kubelet/apis/config/v1beta1/defaults.go``)."""
RESYNC_JITTER = 0.5
"""``workerResyncIntervalJitterFactor`` (``pkg/kubelet/pod_workers.go``): the next periodic sync
of a Pod comes after ``syncFrequency × (1 + 0.5 × r)``, r uniform in [0, 1)."""

_KINDS = {"configMap": "ConfigMap", "secret": "Secret"}


def immutable_errors(existing: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The fields an update of an immutable ConfigMap or Secret may not change, as the API
    server names them (none for a mutable one).

    Follows ``ValidateConfigMapUpdate``/``ValidateSecretUpdate``: with the old object
    immutable, turning ``immutable`` off and changing ``data`` (and a ConfigMap's
    ``binaryData``; a Secret has none) are each ``Forbidden``, in that order. The API
    server's message, with a Secret's ``type`` checked first, is
    :func:`~clustersim.kubernetes.immutablefields.immutable_field_refusal`'s."""
    if existing.get("immutable") is not True:
        return []
    reason = "Forbidden: field is immutable when `immutable` is set"
    errors = []
    if new.get("immutable") is not True:
        errors.append(f"immutable: {reason}")
    fields = ("data", "binaryData") if existing.get("kind") == "ConfigMap" else ("data",)
    errors += [f"{field}: {reason}" for field in fields
               if (existing.get(field) or {}) != (new.get(field) or {})]
    return errors


@dataclass(frozen=True)
class Consumer:
    """One place where a container reads a ConfigMap or Secret."""

    container: str
    kind: str
    """``ConfigMap`` or ``Secret``."""
    name: str
    how: str
    """``env`` (a variable from one key), ``envFrom`` (all keys as variables), ``volume`` (a
    directory of files) or ``subPath`` (one file of the volume, bind-mounted)."""
    target: str
    """The variable's name, the ``envFrom`` prefix, or the mount path."""

    @property
    def updates(self) -> bool:
        """Whether the running container sees an edit without being created again."""
        return self.how == "volume"


def _volume_objects(volume: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for key, kind in _KINDS.items():
        source = volume.get(key)
        if isinstance(source, Mapping):
            name = source.get("name") or source.get("secretName")
            if name:
                yield kind, str(name)
    for source in (volume.get("projected") or {}).get("sources") or []:
        for key, kind in _KINDS.items():
            if (isinstance(source, Mapping) and isinstance(source.get(key), Mapping)
                    and source[key].get("name")):
                yield kind, str(source[key]["name"])


def consumers(pod: Mapping[str, Any]) -> list[Consumer]:
    """Every ConfigMap and Secret use in a Pod (or a Pod template's ``spec``), container by
    container, in spec order."""
    spec = pod.get("spec") or {}
    if "template" in spec:
        spec = (spec.get("template") or {}).get("spec") or {}
    volumes = {v.get("name"): list(_volume_objects(v))
               for v in spec.get("volumes") or [] if isinstance(v, Mapping)}
    found = []
    for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        cname = str(container.get("name", ""))
        for item in container.get("env") or []:
            value_from = item.get("valueFrom") or {}
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                if isinstance(value_from.get(key), Mapping):
                    found.append(Consumer(cname, kind, str(value_from[key].get("name")), "env",
                                          str(item.get("name"))))
        for item in container.get("envFrom") or []:
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if isinstance(item.get(key), Mapping):
                    found.append(Consumer(cname, kind, str(item[key].get("name")), "envFrom",
                                          str(item.get("prefix", ""))))
        for mount in container.get("volumeMounts") or []:
            how = "subPath" if mount.get("subPath") or mount.get("subPathExpr") else "volume"
            for kind, name in volumes.get(mount.get("name"), []):
                found.append(Consumer(cname, kind, name, how, str(mount.get("mountPath"))))
    return found


def pod_syncs(until: float, *, seed: int = 0,
              sync_frequency: float = SYNC_FREQUENCY) -> list[float]:
    """The times of a Pod's periodic syncs from its start (0) to ``until``: each next one
    ``wait.Jitter(sync_frequency, 0.5)`` after the last, drawn from a generator seeded by
    ``seed``."""
    if not sync_frequency > 0:
        raise ValueError(f"sync_frequency must be a positive number of seconds, not "
                         f"{sync_frequency!r}")
    rng, now, times = random.Random(seed), 0.0, [0.0]
    while now <= until:
        now += sync_frequency * (1 + RESYNC_JITTER * rng.random())
        times.append(round(now, 1))
    return times


@dataclass(frozen=True)
class Seen:
    """When one consumer sees an edit."""

    __repr__ = brief

    consumer: Consumer
    at: float | None
    """Simulated second the new data is visible, or None: not until the container is created
    again."""
    why: str


def after_edit(pod: Mapping[str, Any], kind: str, name: str, edited_at: float, *,
               seed: int = 0, cache_delay: float = 0.0,
               sync_frequency: float = SYNC_FREQUENCY) -> list[Seen]:
    """When each consumer of ``kind``/``name`` in ``pod`` sees an edit made at ``edited_at``
    (seconds after the Pod started), with the kubelet's cache ``cache_delay`` seconds behind."""
    if kind not in _KINDS.values():
        raise ValueError(f"kind must be ConfigMap or Secret, not {kind!r}")
    if not edited_at >= 0 or not cache_delay >= 0:
        raise ValueError("edited_at and cache_delay must be seconds, 0 or more")
    cached = edited_at + cache_delay
    sync = next(t for t in pod_syncs(cached, seed=seed, sync_frequency=sync_frequency)
                if t >= cached)
    seen = []
    for consumer in consumers(pod):
        if (consumer.kind, consumer.name) != (kind, name):
            continue
        if consumer.how == "volume":
            seen.append(Seen(consumer, sync, f"rewritten at the Pod's next sync, {sync:g} s"))
        elif consumer.how == "subPath":
            seen.append(Seen(consumer, None, "a subPath file is a bind mount of the old file"))
        else:
            seen.append(Seen(consumer, None, "environment variables are set when the "
                                             "container is created"))
    return seen
