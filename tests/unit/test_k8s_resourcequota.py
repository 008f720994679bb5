"""ResourceQuota and LimitRanger admission in the simulated API server.

Messages follow plugin/pkg/admission/resourcequota/controller.go (``exceeded quota: %s,
requested: %s, used: %s, limited: %s``; ``failed quota: %s: must specify ...``) and
plugin/pkg/admission/limitranger/admission.go (``maximum %s usage per %s is %s, but limit is
%s``). The usage cases mirror upstream's TestAdmitExceedQuotaLimit and
TestAdmitEnforceQuotaConstraints (admission_test.go)."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import AdmissionError, KubernetesCluster


def cluster():
    return KubernetesCluster(Node.many(2, "node", cpu="8", memory="16Gi"), seed=0)


def quota(hard, name="team-a"):
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": name},
            "spec": {"hard": hard}}


def pod(name, requests=None, limits=None):
    resources = {k: v for k, v in (("requests", requests), ("limits", limits)) if v}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "image": "nginx", "resources": resources}]}}


def test_exceeded_quota_lists_only_exceeded_resources():
    c = cluster()
    c.apply(quota({"requests.cpu": "4", "requests.memory": "8Gi", "pods": "10"}))
    c.apply(pod("a", {"cpu": "3800m", "memory": "1Gi"}))
    with pytest.raises(AdmissionError) as err:
        c.apply(pod("b", {"cpu": "500m", "memory": "1Gi"}))
    assert str(err.value) == ('pods "b" is forbidden: exceeded quota: team-a, requested: '
                              "requests.cpu=500m, used: requests.cpu=3800m, limited: "
                              "requests.cpu=4")
    c.apply(pod("c", {"cpu": "200m", "memory": "1Gi"}))          # still fits: 4000m
    assert {p.name for p in c.pods()} == {"a", "c"}


def test_pod_count_and_memory_together():
    c = cluster()
    c.apply(quota({"pods": "1", "memory": "1Gi"}))
    c.apply(pod("a", {"cpu": "1", "memory": "768Mi"}))
    with pytest.raises(AdmissionError, match=r"requested: memory=512Mi,pods=1, used: "
                       r"memory=768Mi,pods=1, limited: memory=1Gi,pods=1$"):
        c.apply(pod("b", {"cpu": "1", "memory": "512Mi"}))


def test_quota_on_cpu_requires_every_container_to_state_it():
    c = cluster()
    c.apply(quota({"requests.cpu": "4", "limits.memory": "4Gi"}))
    with pytest.raises(AdmissionError) as err:
        c.apply(pod("bare"))
    assert str(err.value).endswith("failed quota: team-a: must specify limits.memory for: app; "
                                   "requests.cpu for: app")
    c.apply(pod("ok", {"cpu": "1"}, {"memory": "1Gi"}))           # request via limit too
    assert [p.name for p in c.pods()] == ["ok"]


def test_finished_and_gone_pods_free_the_quota():
    c = cluster()
    c.apply(quota({"pods": "1"}))
    c.apply(pod("a", {"cpu": "1"}))
    c.delete("pod", "a")
    c.run()
    c.apply(pod("b", {"cpu": "1"}))
    assert [p.name for p in c.pods()] == ["b"]


def test_deployment_refused_by_quota_shows_failed_create_on_replicaset():
    c = cluster()
    c.apply(quota({"pods": "2"}))
    c.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
             "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                      "template": {"metadata": {"labels": {"app": "web"}},
                                   "spec": {"containers": [{"name": "app", "image": "nginx"}]}}}})
    c.run()
    assert len(c.pods()) == 2
    failed = c.events.where(reason="FailedCreate")
    assert failed and failed[-1].object.startswith("replicaset/web-")
    assert "exceeded quota: team-a, requested: pods=1, used: pods=2, limited: pods=2" in \
        failed[-1].message


def limit_range(**item):
    return {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "defaults"},
            "spec": {"limits": [{"type": "Container", **item}]}}


def test_limit_range_defaults_then_quota_sees_them():
    c = cluster()
    c.apply(limit_range(default={"cpu": "500m", "memory": "256Mi"},
                        defaultRequest={"cpu": "100m"}))
    c.apply(quota({"requests.cpu": "1", "limits.cpu": "2"}))
    c.apply(pod("a"))
    stored = c.get("Pod", "default", "a")["spec"]["containers"][0]["resources"]
    assert stored == {"limits": {"cpu": "500m", "memory": "256Mi"},
                      "requests": {"cpu": "100m", "memory": "256Mi"}}


def test_limit_range_request_defaults_to_written_limit():
    c = cluster()
    c.apply(limit_range(defaultRequest={"cpu": "100m"}))
    c.apply(pod("a", limits={"cpu": "2"}))
    assert c.get("Pod", "default", "a")["spec"]["containers"][0]["resources"]["requests"] == \
        {"cpu": "2"}


def test_limit_range_max_refuses():
    c = cluster()
    c.apply(limit_range(max={"cpu": "1"}))
    with pytest.raises(AdmissionError, match=r'^pods "big" is forbidden: maximum cpu usage per '
                       r"Container is 1, but limit is 2$"):
        c.apply(pod("big", limits={"cpu": "2"}))
    with pytest.raises(AdmissionError, match=r"maximum cpu usage per Container is 1.  No limit "
                       r"is specified$"):
        c.apply(pod("unbounded", {"cpu": "100m"}))
