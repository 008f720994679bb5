"""KubernetesCluster.apply validates plain dicts exactly as it validates files.

Regression test: a Service whose selector was a ``matchLabels`` mapping (a Deployment's
selector shape) was accepted when passed as a dict, and then selected pods as if it were a
LabelSelector; the API server (and ``load_manifests``) refuse it.
"""

from __future__ import annotations

import pytest
import yaml

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
    if kind == "CronJob":
        pod_spec["restartPolicy"] = "Never"
        return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "db"},
                "spec": {"schedule": "0 * * * *",
                         "jobTemplate": {"spec": {"template": {"spec": pod_spec}}}}}
    if kind == "ReplicationController":
        return {"apiVersion": "v1", "kind": kind, "metadata": {"name": "db"},
                "spec": {"replicas": 1, "selector": {"app": "db"},
                         "template": {"metadata": {"labels": {"app": "db"}}, "spec": pod_spec}}}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "db"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}}, "spec": pod_spec}}}


@pytest.mark.parametrize(("kind", "where"), [
    ("Pod", "spec.containers[0]"),
    ("Deployment", "spec.template.spec.containers[0]"),
    ("ReplicationController", "spec.template.spec.containers[0]"),
    ("CronJob", "spec.jobTemplate.spec.template.spec.containers[0]"),
])
def test_a_mount_of_a_volume_the_pod_lacks_is_refused(kind: str, where: str) -> None:
    """ValidateVolumeMounts (pkg/apis/core/validation): a volumeMount names a volume of its
    pod, or the API server refuses it with Not found. The simulator used to accept it, then
    refused it at admission without naming the file; a ReplicationController's or a
    CronJob's template (validated upstream too) it did not check at all."""
    cluster = KubernetesCluster(default_nodes())
    with pytest.raises(ManifestError) as refused:
        cluster.apply(yaml.safe_dump(_mounting(kind, [{"name": "scratch", "emptyDir": {}}])))
    assert refused.value.path == where + ".volumeMounts[0].name"
    assert refused.value.message == 'Not found: "data"' and refused.value.line is not None
    assert "a volume named 'data'" in str(refused.value)
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


def test_a_mount_of_no_volume_is_named_as_gos_q_quotes_it() -> None:
    """``field.NotFound`` of the mount's name, a plain string: ``%q`` escapes its quote."""
    statefulset = _mounting("StatefulSet", [])
    statefulset["spec"]["serviceName"] = "db"
    statefulset["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]["name"] = 'd"a'
    cluster = KubernetesCluster(default_nodes())
    cluster.apply(statefulset)
    cluster.run(until=30)
    [*_, event] = cluster.events.where(reason="FailedCreate")
    assert 'volumeMounts[0].name: Not found: "d\\"a"' in event.message
