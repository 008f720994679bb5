"""KubernetesCluster.apply validates plain dicts exactly as it validates files.

Regression test: a Service whose selector was a ``matchLabels`` mapping (a Deployment's
selector shape) was accepted when passed as a dict, and then selected pods as if it were a
LabelSelector; the API server (and ``load_manifests``) refuse it.
"""

from __future__ import annotations

import re

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.manifests import ManifestError

BAD_SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
               "spec": {"selector": {"matchLabels": {"app": "shop"}}, "ports": [{"port": 80}]}}


def test_a_dict_gets_the_same_validation_as_a_file() -> None:
    cluster = KubernetesCluster(default_nodes())
    with pytest.raises(ManifestError, match=r"spec\.selector\.matchLabels"):
        cluster.apply(BAD_SERVICE)
    with pytest.raises(ManifestError, match=r"spec\.selector\.matchLabels"):
        cluster.apply([BAD_SERVICE])


def test_other_dialects_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="KubernetesCluster applies Kubernetes manifests"):
        KubernetesCluster(default_nodes()).apply({"id": "/web", "cmd": "serve"})


def test_generate_name_still_works() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "job-"},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    [line] = KubernetesCluster(default_nodes()).apply(pod)
    assert line.startswith("pod/job-") and line.endswith(" created")


def _mounting(kind: str, volumes: list[dict]) -> dict:
    pod_spec = {"containers": [{"name": "db", "image": "postgres:17",
                                "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                "volumes": volumes}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db"}, "spec": pod_spec}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "db"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}}, "spec": pod_spec}}}


@pytest.mark.parametrize(("kind", "where"), [
    ("Pod", 'Pod "db" is invalid: spec.containers[0]'),
    ("Deployment", 'Deployment.apps "db" is invalid: spec.template.spec.containers[0]'),
])
def test_a_mount_of_a_volume_the_pod_lacks_is_refused(kind: str, where: str) -> None:
    """ValidateVolumeMounts (pkg/apis/core/validation): a volumeMount names a volume of its
    pod, or the API server refuses it with Not found. The simulator used to accept it."""
    cluster = KubernetesCluster(default_nodes())
    refusal = re.escape(where + '.volumeMounts[0].name: Not found: "data"')
    with pytest.raises(ValueError, match=refusal):
        cluster.apply(_mounting(kind, [{"name": "scratch", "emptyDir": {}}]))
    assert cluster.apply(_mounting(kind, [{"name": "data", "emptyDir": {}}]))


def test_a_statefulset_mount_without_a_claim_template_fails_each_pod() -> None:
    """A StatefulSet's template is not validated (its claim templates add volumes), so the
    API server refuses each pod the controller creates: FailedCreate, no pod."""
    statefulset = _mounting("StatefulSet", [])
    statefulset["spec"]["serviceName"] = "db"
    statefulset["spec"]["volumeClaimTemplates"] = [
        {"metadata": {"name": "db-data"},
         "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]
    cluster = KubernetesCluster(default_nodes())
    cluster.apply(statefulset)
    cluster.run(until=30)
    assert not cluster.pods()
    [*_, event] = cluster.events.where(reason="FailedCreate")
    assert 'volumeMounts[0].name: Not found: "data"' in event.message
