"""The API server's defaults for Pods and pod templates (``clustersim.kubernetes.defaults``):
the pull policy's rule, which the kubelet reads too, and updates compared with the stored
object defaulted to defaulted (``kubectl get -o yaml`` through the real kubectl is tested in
``test_serve_kubectl.py``)."""

from __future__ import annotations

import copy

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, Timing
from clustersim.kubernetes.apiserver import AdmissionError
from clustersim.kubernetes.defaults import image_pull_policy, set_defaults, stored_form

DIGEST = "sha256:" + "4b1f" * 16


@pytest.mark.parametrize(("image", "policy"), [
    ("nginx", "Always"),                                   # no tag: latest
    ("nginx:latest", "Always"),
    ("nginx:1.27", "IfNotPresent"),
    ("localhost:5000/shop/web", "Always"),                 # a registry's port is no tag
    ("registry.example.com:5000/shop/web:2.0.3", "IfNotPresent"),
    ("[::1]:5000/web:latest", "Always"),
    (f"shop/web@{DIGEST}", "IfNotPresent"),                # a digest and no tag: no latest
    (f"shop/web:latest@{DIGEST}", "Always"),               # the tag is still latest
    ("shop/web@sha256:" + "ab" * 20, "IfNotPresent"),      # a sha256 digest is 64 digits
    ("Nginx", "IfNotPresent"),                             # does not parse: upper case
    ("", "IfNotPresent"),
    (None, "IfNotPresent"),
    ("a/" * 130 + "web", "IfNotPresent"),                  # a name over 255 characters
])
def test_the_pull_policy_follows_the_images_tag(image, policy):
    assert image_pull_policy(image) == policy


def _pod(name: str, image: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "web", "image": image}]}}


@pytest.mark.parametrize(("tag", "pulls"), [("latest", 2), ("2.0.3", 1)])
def test_the_kubelet_pulls_again_as_the_defaulted_policy_says(tag, pulls):
    """A tag and a digest: ``latest`` still means ``Always`` (the kubelet took any digest
    for ``IfNotPresent``), so the second Pod on the node pulls the image again."""
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0,
                          timing=Timing(image_pull_seconds=5))
    image = f"shop/web:{tag}@{DIGEST}"
    c.apply(_pod("first", image))
    c.run(until=20)
    c.apply(_pod("second", image))
    c.run(until=40)
    assert len(c.events.where(reason="Pulling")) == pulls
    assert len(c.events.where(reason="Pulled")) == 2


def _deployment(**container: object) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                         "containers": [{"name": "web", "image": "nginx:1.27",
                                         "ports": [{"containerPort": 80}], **container}]}}}}


SPELLED = {"imagePullPolicy": "IfNotPresent", "terminationMessagePolicy": "File",
           "ports": [{"containerPort": 80, "protocol": "TCP"}]}


@pytest.mark.parametrize(("first", "then"), [({}, SPELLED), (SPELLED, {})],
                         ids=["defaults-written-out", "defaults-left-out"])
def test_writing_a_default_out_or_leaving_it_out_is_no_rollout(first, then):
    """Upstream both the stored template and the update are defaulted before they are
    compared: a manifest that writes out a default, or stops writing it, changes nothing."""
    c = KubernetesCluster(Node.many(2, "node", cpu="2", memory="4Gi"), seed=0)
    c.apply(_deployment(**first))
    c.run(until=30)
    stored = copy.deepcopy(c.get("Deployment", "default", "web")["spec"])
    assert c.apply(_deployment(**then)) == ["deployment.apps/web configured"]
    c.run(until=60)
    assert len(c.objects("ReplicaSet")) == 1
    assert c.get("Deployment", "default", "web")["spec"] == stored


def test_an_immutable_job_template_is_compared_with_its_defaults():
    """A Job's template is immutable: the same template with its defaults written out is the
    same template, and a real change is still refused."""
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"},
           "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
               {"name": "once", "image": "busybox:1.37"}]}}}}
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    c.apply(job)
    spelled = copy.deepcopy(job)
    spelled["spec"]["template"]["spec"].update(dnsPolicy="ClusterFirst",
                                               terminationGracePeriodSeconds=30)
    spelled["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "IfNotPresent"
    assert c.apply(spelled) == ["job.batch/once configured"]
    spelled["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "Always"
    with pytest.raises(AdmissionError,
                       match=r"spec\.template: Invalid value: \{\.\.\.\}: field is immutable"):
        c.apply(spelled)


def test_a_pod_applied_again_with_its_defaults_written_out_is_no_update():
    """A Pod's update is checked by ``ValidatePodUpdate``, which sees both specs defaulted:
    writing out a default is no change, and a real change (a new port) is still refused."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    c.apply(pod)
    c.run(until=30)
    spelled = copy.deepcopy(pod)
    spelled["spec"].update(dnsPolicy="ClusterFirst", terminationGracePeriodSeconds=30)
    spelled["spec"]["containers"][0]["imagePullPolicy"] = "IfNotPresent"
    assert c.apply(spelled) == ["pod/p configured"]
    spelled["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    with pytest.raises(AdmissionError, match="pod updates may not change fields"):
        c.apply(spelled)


def test_an_object_read_back_is_stored_as_it_was():
    """What ``set_defaults`` adds to a StatefulSet read back is taken out again, nested
    strategies included; a default whose value was changed stays written."""
    stored = {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
              "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [
                  {"name": "db", "image": "postgres:16",
                   "livenessProbe": {"httpGet": {"port": 5432}}}]}}}
    read = {"kind": "StatefulSet", "spec": copy.deepcopy(stored)}
    set_defaults(read)
    assert read["spec"]["updateStrategy"] == {"type": "RollingUpdate",
                                              "rollingUpdate": {"partition": 0,
                                                                "maxUnavailable": 1}}
    update = copy.deepcopy(read["spec"])
    stored_form("StatefulSet", update, stored)
    assert update == stored
    read["spec"]["podManagementPolicy"] = "Parallel"
    read["spec"]["template"]["spec"]["containers"][0]["image"] = "postgres:latest"
    stored_form("StatefulSet", read["spec"], stored)
    assert read["spec"]["podManagementPolicy"] == "Parallel"
    assert read["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == \
        "IfNotPresent"


def test_a_cronjob_no_controller_has_seen_shows_its_defaults():
    """SetDefaults_CronJob runs as the API server decodes a CronJob, so a dry run shows it;
    the defaults were only the controller's, written when it first synced the CronJob."""
    cronjob = {"kind": "CronJob", "spec": {"schedule": "0 3 * * *", "suspend": True,
                                           "jobTemplate": {"spec": {}}}}
    set_defaults(cronjob)
    assert {k: v for k, v in cronjob["spec"].items() if k not in ("schedule", "jobTemplate")} \
        == {"concurrencyPolicy": "Allow", "suspend": True, "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 1}


def test_a_statefulset_strategy_typed_rolling_update_gets_no_partition():
    """``SetDefaults_StatefulSet`` makes ``rollingUpdate`` only with the type; a DaemonSet's
    explicit ``RollingUpdate`` gets its ``maxUnavailable: 1`` and ``maxSurge: 0``."""
    sts = {"kind": "StatefulSet", "spec": {"updateStrategy": {"type": "RollingUpdate"}}}
    ds = {"kind": "DaemonSet", "spec": {"updateStrategy": {"type": "RollingUpdate"}}}
    set_defaults(sts)
    set_defaults(ds)
    assert sts["spec"]["updateStrategy"] == {"type": "RollingUpdate"}
    assert ds["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {
        "maxUnavailable": 1, "maxSurge": 0}}


def test_one_port_listed_for_tcp_and_udp_read_back_is_no_change():
    """Port 53 for TCP (by default) and for UDP: the two are two entries of the list, keyed
    by port and protocol, so the spec read back with its defaults is the stored spec."""
    stored = {"template": {"metadata": {"labels": {"app": "dns"}}, "spec": {"containers": [
        {"name": "dns", "image": "coredns/coredns:1.12.0",
         "ports": [{"containerPort": 53}, {"containerPort": 53, "protocol": "UDP"}]}]}}}
    read = {"kind": "DaemonSet", "spec": copy.deepcopy(stored)}
    set_defaults(read)
    stored_form("DaemonSet", read["spec"], stored)
    assert read["spec"]["template"] == stored["template"]


def test_apply_of_a_pod_keeps_what_admission_wrote_into_its_containers():
    """A LimitRange's default resources are written into the Pod's container at create;
    ``apply`` of a new image merges the container by name, as kubectl's strategic merge
    does, so the resources stay and the update is only the image (it was refused: the
    resources counted as a forbidden change)."""
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    c.apply({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"},
             "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m"},
                                  "defaultRequest": {"cpu": "250m"}}]}})
    c.apply(_pod("p", "nginx:1.27"))
    c.run(until=30)
    assert c.apply(_pod("p", "nginx:1.28")) == ["pod/p configured"]
    [container] = c.get("Pod", "default", "p")["spec"]["containers"]
    assert container["image"] == "nginx:1.28"
    assert container["resources"] == {"limits": {"cpu": "500m"}, "requests": {"cpu": "250m"}}


def test_a_pod_whose_image_changes_keeps_its_pull_policy():
    """``imagePullPolicy`` was defaulted (and stored, upstream) from ``nginx:1.27``: a new
    image ``nginx:latest`` does not make it ``Always``, and the kubelet reads it so."""
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    c.apply(_pod("p", "nginx:1.27"))
    c.run(until=30)
    c.apply(_pod("p", "nginx:latest"))
    c.run(until=60)
    read = copy.deepcopy(c.get("Pod", "default", "p"))
    set_defaults(read)
    assert read["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert c.apply(_pod("p", "nginx:latest")) == ["pod/p unchanged"]


def test_apply_removes_from_a_container_what_the_last_apply_said_and_this_one_does_not():
    """The three-way merge: a field the last applied manifest had and this one has not is
    deleted, in a container found by its name (here an ``env`` entry, which a Pod update may
    not change: refused, not silently kept)."""
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    with_env = _pod("p", "nginx:1.27")
    with_env["spec"]["containers"][0]["env"] = [{"name": "A", "value": "1"}]
    c.apply(with_env)
    c.run(until=30)
    with pytest.raises(AdmissionError, match="pod updates may not change fields"):
        c.apply(_pod("p", "nginx:1.27"))


@pytest.mark.parametrize(("kind", "annotation", "why"), [
    ("Pod", "[1]", "holds a JSON array, not an object"),
    ("Deployment", "{not json", "is not JSON"),
])
def test_a_malformed_last_applied_annotation_is_named_with_what_to_do(kind, annotation, why):
    """kubectl refuses to apply over a last-applied annotation it cannot decode; the
    simulator's apply says which annotation and what to do (it failed with an
    ``AttributeError`` inside the simulator)."""
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    first = _pod("p", "nginx:1.27") if kind == "Pod" else _deployment()
    c.apply(first)
    name = first["metadata"]["name"]
    c.get(kind, "default", name)["metadata"]["annotations"][
        "kubectl.kubernetes.io/last-applied-configuration"] = annotation
    then = _pod("p", "nginx:1.28") if kind == "Pod" else _deployment(image="nginx:1.28")
    with pytest.raises(AdmissionError) as refused:
        c.apply(then)
    message = str(refused.value)
    assert message.startswith(f"{kind.lower()}") and why in message
    assert "kubectl.kubernetes.io/last-applied-configuration-) or replace the object" in message
