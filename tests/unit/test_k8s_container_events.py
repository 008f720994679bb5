"""Which container a kubelet event is about: its field path (``spec.containers{web}``, as
``GenerateContainerRef`` in kubernetes/kubernetes ``pkg/kubelet/container/ref.go`` makes it),
on every event the kubelet records against a container and on none about the whole Pod; and
the v1.35 messages of ``Created`` and ``Started`` (PR #134043), which name no container."""

from __future__ import annotations

from typing import Any

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.containerref import container_named, field_path
from clustersim.kubernetes.eventcorrelator import SPAM_BURST, EventCorrelator
from clustersim.manifests.kubernetes_annotations import RUN_SECONDS
from clustersim.sim import EventLog

SIDECAR_POD: dict[str, Any] = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
    "spec": {"initContainers": [{"name": "migrate", "image": "migrate:1"},
                                {"name": "proxy", "image": "envoy:1", "restartPolicy": "Always"}],
             "containers": [{"name": "app", "image": "app:1"}, {"name": "log", "image": "log:1"}]}}


def cluster() -> KubernetesCluster:
    return KubernetesCluster(Node.many(1, "node", cpu="4", memory="8Gi"), seed=3)


def pod_events(k: KubernetesCluster, name: str = "p") -> list[tuple[str, str, str]]:
    return [(e.reason, e.field_path, e.message) for e in k.events.where(object=f"pod/{name}")]


@pytest.mark.parametrize(("name", "path"), [
    ("app", "spec.containers{app}"), ("log", "spec.containers{log}"),
    ("migrate", "spec.initContainers{migrate}"), ("proxy", "spec.initContainers{proxy}")])
def test_a_containers_field_path_names_its_list_and_name(name, path):
    assert field_path(SIDECAR_POD, {"name": name}) == path
    assert container_named(path) == name


def test_an_event_about_the_whole_object_names_no_container():
    assert container_named("") == ""


def test_created_and_started_name_no_container_and_each_kubelet_event_its_own():
    k = cluster()
    k.apply(SIDECAR_POD)
    k.run(until=60)
    events = pod_events(k)
    assert events[0][:2] == ("Scheduled", "")               # the scheduler's: the whole Pod
    started = [(path, message) for reason, path, message in events if reason == "Started"]
    assert started == [(f"spec.initContainers{{{c}}}", "Container started")
                       for c in ("migrate", "proxy")] + [
        (f"spec.containers{{{c}}}", "Container started") for c in ("app", "log")]
    assert [(path, message) for reason, path, message in events if reason == "Created"] == [
        (path, "Container created") for path, _ in started]
    pulls = [path for reason, path, _ in events if reason in ("Pulling", "Pulled")]
    assert pulls and set(pulls) == {path for path, _ in started}


def test_stopping_names_each_container_it_stops():
    k = cluster()
    k.apply(SIDECAR_POD)
    k.run(until=60)
    k.delete("pod", "p")
    k.run(until=120)
    assert [(path, message) for reason, path, message in pod_events(k) if reason == "Killing"] \
        == [(f"spec.containers{{{c}}}", f"Stopping container {c}") for c in ("app", "log")] \
        + [("spec.initContainers{proxy}", "Stopping container proxy")]


def test_stopping_leaves_out_the_containers_that_do_not_run():
    """A deleted Pod's kubelet kills its running containers only
    (``ConvertPodStatusToRunningPod`` keeps the running ones for
    ``killContainersWithSyncResult``): ``app``, waiting out its crash-loop back-off, and
    ``log``, whose image cannot be pulled, get no ``Killing``; the sidecar and ``web`` do.
    The kubelet's spam filter is opened wide: the Pod's 25 events by then (pulls, starts,
    back-offs) empty its bucket, so a real kubelet's ``Killing`` would not be written at all
    (:func:`test_the_spam_filter_drops_the_killing_of_a_noisy_pod`)."""
    k = cluster()
    k.correlator = EventCorrelator(burst=1000)
    k.fail_image("app:1")
    k.fail_pull("log:1")
    spec = SIDECAR_POD["spec"]
    k.apply({**SIDECAR_POD, "spec": {**spec, "containers": [
        *spec["containers"], {"name": "web", "image": "web:1"}]}})
    k.run(until=60)
    stored = k.get("Pod", "default", "p")
    assert set(k.kubelet.backing_off(stored)) == {"app"}
    assert "log" not in k.kubelet.started_at(stored)
    k.delete("pod", "p")
    k.run(until=120)
    assert [(path, message) for reason, path, message in pod_events(k) if reason == "Killing"] \
        == [("spec.containers{web}", "Stopping container web"),
            ("spec.initContainers{proxy}", "Stopping container proxy")]


def test_a_crash_loops_back_off_names_each_container_that_crashed():
    """Only the container whose image is broken crashes and backs off; with the run-seconds
    annotation every app container exits, and each has its BackOff."""
    k = cluster()
    k.fail_image("app:1")
    k.apply({**SIDECAR_POD, "spec": {"containers": SIDECAR_POD["spec"]["containers"]}})
    k.run(until=60)
    assert {path for reason, path, _ in pod_events(k) if reason == "BackOff"} == {
        "spec.containers{app}"}
    both = cluster()
    both.apply({**SIDECAR_POD, "metadata": {"name": "p", "annotations": {RUN_SECONDS: "5"}},
                "spec": {"containers": SIDECAR_POD["spec"]["containers"]}})
    both.run(until=60)
    assert {path for reason, path, _ in pod_events(both) if reason == "BackOff"} == {
        "spec.containers{app}", "spec.containers{log}"}


def test_a_failed_pull_names_its_container():
    k = cluster()
    k.fail_pull("log:1")
    k.apply({**SIDECAR_POD, "spec": {"containers": SIDECAR_POD["spec"]["containers"]}})
    k.run(until=60)
    failed = [(reason, path, message) for reason, path, message in pod_events(k)
              if reason in ("Failed", "BackOff")]
    assert {message for _, _, message in failed} >= {
        "Error: ErrImagePull", "Error: ImagePullBackOff", 'Back-off pulling image "log:1"'}
    assert {path for _, path, _ in failed} == {"spec.containers{log}"}


def test_a_missing_config_map_fails_the_container_a_missing_volume_the_pod():
    k = cluster()
    env = {"name": "app", "image": "app:1",
           "envFrom": [{"configMapRef": {"name": "settings"}}]}
    k.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "env"},
             "spec": {"containers": [env]}})
    k.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "vol"},
             "spec": {"containers": [{"name": "app", "image": "app:1"}],
                      "volumes": [{"name": "v", "configMap": {"name": "settings"}}]}})
    k.run(until=30)
    assert {path for reason, path, _ in pod_events(k, "env") if reason == "Failed"} == {
        "spec.containers{app}"}
    assert {path for reason, path, _ in pod_events(k, "vol") if reason == "FailedMount"} == {""}


def test_describe_style_message_puts_the_field_path_first():
    log = EventLog("kubernetes")
    created = log.record(1, "pod/web", "Created", "Container created",
                         field_path="spec.containers{web}")
    scheduled = log.record(0, "pod/web", "Scheduled", "Successfully assigned default/web to n1")
    assert created.described_message == "spec.containers{web}: Container created"
    assert str(created).endswith("pod/web: spec.containers{web}: Container created")
    assert scheduled.described_message == scheduled.message
    assert "field_path" not in repr(created)


def test_the_spam_filter_drops_the_killing_of_a_noisy_pod():
    """client-go's ``EventSourceObjectSpamFilter``: the same Pod with the kubelet's default
    bucket (25 events, one more every 5 minutes) has spent it before it is deleted, so no
    ``Killing`` is written, as on a real node."""
    k = cluster()
    k.fail_image("app:1")
    k.fail_pull("log:1")
    spec = SIDECAR_POD["spec"]
    k.apply({**SIDECAR_POD, "spec": {**spec, "containers": [
        *spec["containers"], {"name": "web", "image": "web:1"}]}})
    k.run(until=60)
    k.delete("pod", "p")
    k.run(until=120)
    kubelet = [reason for reason, _, _ in pod_events(k) if reason != "Scheduled"]
    assert len(kubelet) == SPAM_BURST and "Killing" not in kubelet


def test_the_texts_events_repeat_are_kept_once():
    """150,000 Pods write five events each: a Pod's name, a container's field path and the
    kubelet's messages, the same for every Pod of one image, are one string each."""
    k = cluster()
    for name in ("a", "b"):
        k.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                 "spec": {"containers": [{"name": "app", "image": "app:1"}]}})
    k.run()
    a, b = (k.events.where(object=f"pod/{name}", reason="Started")[0] for name in "ab")
    names = {id(e.object) for e in k.events.where(object="pod/a")}
    assert len(k.events.where(object="pod/a")) > 1 and len(names) == 1
    assert a.field_path == "spec.containers{app}" and a.field_path is b.field_path
    pulled = [e for e in k.events if e.reason in ("Pulling", "Pulled")]
    assert len({e.message for e in pulled}) < len(pulled)
    assert len({id(e.message) for e in pulled}) == len({e.message for e in pulled})
