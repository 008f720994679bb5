"""Objects a Pod refers to by name, and what a real cluster does when one does not exist.

- A **PersistentVolumeClaim** (``volumes[].persistentVolumeClaim.claimName``): the scheduler's
  VolumeBinding plugin refuses the pod, which stays Pending with ``FailedScheduling``
  ``persistentvolumeclaim "data" not found``, or ``pod has unbound immediate
  PersistentVolumeClaims`` while the claim exists but is Pending (its class does not exist:
  :mod:`clustersim.kubernetes.storageclass`), or ``persistentvolumeclaim "data" is being
  deleted`` while the claim is Terminating (:mod:`clustersim.kubernetes.storageprotection`)
  (kubernetes/kubernetes ``pkg/scheduler/framework/plugins/volumebinding/volume_binding.go``,
  ``podHasPVCs`` and PreFilter).
- A **ConfigMap or Secret volume** (``volumes[].configMap``, ``.secret``, and the sources of
  a ``projected`` volume), unless ``optional: true``: the kubelet cannot mount it; the pod stays
  ``ContainerCreating`` with the Warning ``FailedMount`` ``MountVolume.SetUp failed for volume
  "config" : configmap "app-config" not found`` (``pkg/volume/configmap/configmap.go``,
  ``pkg/volume/secret/secret.go``), retried with back-off.
- A **ConfigMap or Secret in the environment** (``env[].valueFrom.configMapKeyRef`` /
  ``secretKeyRef``, ``envFrom[].configMapRef`` / ``secretRef``), unless optional: the image is
  pulled, then the container cannot be created; the pod shows ``CreateContainerConfigError``
  with the Warning ``Failed`` ``Error: configmap "app-config" not found``
  (``pkg/kubelet/kubelet_pods.go``, ``makeEnvironmentVariables``).
- A **ServiceAccount** (``serviceAccountName``) other than ``default`` (which the service
  account controller creates in every namespace): the ServiceAccount admission plugin refuses
  the pod: ``pods "web" is forbidden: error looking up service account default/robot:
  serviceaccount "robot" not found`` (``plugin/pkg/admission/serviceaccount/admission.go``).

Simplified: keys inside a ConfigMap or Secret are not checked, only that the object exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from clustersim.kubernetes.storageclass import is_pending, waits_for_consumer

__all__ = ["claim_refusal", "missing_env_source", "missing_service_account",
           "missing_volume_source"]

Lookup = Callable[[str, str, str], Any]
"""``cluster.get(kind, namespace, name)``."""


def _namespace(pod: Mapping[str, Any]) -> str:
    return (pod.get("metadata") or {}).get("namespace", "default")


def _volumes(pod: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [v for v in (pod.get("spec") or {}).get("volumes") or [] if isinstance(v, Mapping)]


def claim_refusal(pod: Mapping[str, Any], get: Lookup) -> str | None:
    """VolumeBinding's PreFilter reason for the claims the pod mounts: the first one, in the
    order of the pod's volumes, that does not exist or is being deleted (``podHasPVCs``),
    else any that is not bound and binds Immediate; None when every claim is bound or waits
    for this pod (``WaitForFirstConsumer``: bound in PreBind)."""
    pending = False
    for volume in _volumes(pod):
        name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if not name:
            continue
        claim = get("PersistentVolumeClaim", _namespace(pod), str(name))
        if claim is None:
            return f'persistentvolumeclaim "{name}" not found'
        if claim["metadata"].get("deletionTimestamp") is not None:
            return f'persistentvolumeclaim "{name}" is being deleted'
        pending = pending or (is_pending(claim) and not waits_for_consumer(claim, get))
    return "pod has unbound immediate PersistentVolumeClaims" if pending else None


def _volume_sources(volume: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(kind, source) of a volume's ConfigMaps and Secrets, projected ones included."""
    if isinstance(volume.get("configMap"), Mapping):
        yield "ConfigMap", volume["configMap"]
    if isinstance(volume.get("secret"), Mapping):
        yield "Secret", {**volume["secret"], "name": volume["secret"].get("secretName")}
    for source in (volume.get("projected") or {}).get("sources") or []:
        if isinstance(source, Mapping):
            for key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                if isinstance(source.get(key), Mapping):
                    yield kind, source[key]


def missing_volume_source(pod: Mapping[str, Any], get: Lookup) -> str | None:
    """The kubelet's FailedMount message for the first ConfigMap or Secret volume (not
    optional) that does not exist, or None."""
    for volume in _volumes(pod):
        for kind, source in _volume_sources(volume):
            name = source.get("name")
            if name and not source.get("optional") and get(kind, _namespace(pod),
                                                              str(name)) is None:
                return (f'MountVolume.SetUp failed for volume "{volume.get("name")}" : '
                        f'{kind.lower()} "{name}" not found')
    return None


def _env_sources(container: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for item in container.get("env") or []:
        value_from = (item.get("valueFrom") or {}) if isinstance(item, Mapping) else {}
        for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if isinstance(value_from.get(key), Mapping):
                yield kind, value_from[key]
    for item in container.get("envFrom") or []:
        if isinstance(item, Mapping):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if isinstance(item.get(key), Mapping):
                    yield kind, item[key]


def missing_env_source(pod: Mapping[str, Any], get: Lookup, container: Mapping[str, Any]
                       ) -> str | None:
    """The kubelet's ``Error: configmap "x" not found`` for the first ConfigMap or Secret (not
    optional) that ``container``'s environment needs and that does not exist, or None (the
    kubelet makes each container's environment as it creates it, ``makeEnvironmentVariables``
    in ``pkg/kubelet/kubelet_pods.go``)."""
    for kind, source in _env_sources(container):
        name = source.get("name")
        if name and not source.get("optional") and get(kind, _namespace(pod),
                                                          str(name)) is None:
            return f'Error: {kind.lower()} "{name}" not found'
    return None


def missing_service_account(pod: Mapping[str, Any], get: Lookup) -> str | None:
    """The ServiceAccount admission plugin's refusal, or None (``default`` always exists)."""
    spec = pod.get("spec") or {}
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    namespace = _namespace(pod)
    if account == "default" or get("ServiceAccount", namespace, str(account)) is not None:
        return None
    name = (pod.get("metadata") or {}).get("name", "")
    return (f'pods "{name}" is forbidden: error looking up service account '
            f'{namespace}/{account}: serviceaccount "{account}" not found')
