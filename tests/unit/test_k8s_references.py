"""A Pod whose PersistentVolumeClaim, ConfigMap, Secret or ServiceAccount does not exist
waits or is refused with the real reasons and messages, and goes on once the object exists
(regression tests: such references were ignored and the pods ran)."""

from __future__ import annotations

import pytest

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import AdmissionError, KubernetesCluster

POD = """apiVersion: v1
kind: Pod
metadata: {name: %s}
spec:
%s
  containers:
  - name: c
    image: nginx:1.27
%s
"""
CONFIG = """apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: x}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot}
"""
CASES = {
    "configmap-volume": ("  volumes: [{name: config, configMap: {name: app-config}}]", "",
                         "ContainerCreating", "FailedMount",
                         'MountVolume.SetUp failed for volume "config" : configmap '
                         '"app-config" not found'),
    "projected-secret": ("  volumes: [{name: p, projected: {sources: [{secret: {name: creds}}]}}]",
                         "", "ContainerCreating", "FailedMount",
                         'MountVolume.SetUp failed for volume "p" : secret "creds" not found'),
    "secret-env": ("", "    env: [{name: P, valueFrom: {secretKeyRef: {name: creds, key: p}}}]",
                   "CreateContainerConfigError", "Failed", 'Error: secret "creds" not found'),
    "configmap-envfrom": ("", "    envFrom: [{configMapRef: {name: app-config}}]",
                          "CreateContainerConfigError", "Failed",
                          'Error: configmap "app-config" not found'),
    "claim": ("  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]", "",
              "Unschedulable", "FailedScheduling",
              '0/4 nodes are available: persistentvolumeclaim "data" not found. '
              'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.'),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_missing_object_keeps_the_pod_waiting_until_it_exists(case: str) -> None:
    volumes, env, reason, event, message = CASES[case]
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    cluster.apply(POD % (case, volumes, env))
    cluster.run(until=60)
    (pod,) = cluster.pods()
    assert (pod.phase, pod.reason) == ("Pending", reason)
    warnings = [(e.reason, e.message) for e in cluster.events if e.type == "Warning"]
    assert warnings == [(event, message)]          # once, not at every retry
    cluster.apply(CONFIG)
    cluster.run(until=300)
    assert cluster.pods()[0].phase == "Running"


def test_optional_references_need_nothing() -> None:
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    cluster.apply(POD % ("opt", "  volumes: [{name: c, configMap: {name: x, optional: true}}]",
                         "    envFrom: [{secretRef: {name: absent, optional: true}}]"))
    cluster.run(until=60)
    assert cluster.pods()[0].phase == "Running"


def test_a_missing_service_account_is_refused_at_admission() -> None:
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    with pytest.raises(AdmissionError, match='error looking up service account default/robot: '
                                             'serviceaccount "robot" not found'):
        cluster.apply(POD % ("sa", "  serviceAccountName: robot", ""))
    cluster.apply(POD % ("fine", "  serviceAccountName: default", ""))
    cluster.apply(CONFIG)
    cluster.apply(POD % ("sa", "  serviceAccountName: robot", ""))
    cluster.run(until=60)
    assert [p.phase for p in cluster.pods()] == ["Running", "Running"]


def test_a_missing_configmap_holds_up_only_the_container_whose_environment_needs_it() -> None:
    """A missing ConfigMap that one container's environment needs held up every container
    after it (the whole Pod's environment was checked before each one); the kubelet makes
    each container's environment as it creates it: that one waits with
    CreateContainerConfigError, a sibling that needs nothing starts and runs, and STATUS is
    the waiting one's."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    cluster.apply(POD % ("pair", "", "    envFrom: [{configMapRef: {name: app-config}}]\n"
                         "  - {name: log, image: fluent-bit:3}"))
    cluster.run(until=60)
    stored = cluster.get("Pod", "default", "pair")
    assert cluster.kubelet.waiting_reasons(stored) == {"c": "CreateContainerConfigError"}
    assert cluster.kubelet.container_ready(stored, "log")
    (pod,) = cluster.pods()
    assert (pod.phase, pod.reason) == ("Pending", "CreateContainerConfigError")
    cluster.apply(CONFIG)
    cluster.run(until=300)
    assert (cluster.pods()[0].phase, cluster.pods()[0].reason) == ("Running", "")
    assert cluster.kubelet.waiting_reasons(stored) == {}
