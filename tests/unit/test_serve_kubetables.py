"""Server-side printing helpers, checked against upstream's own test tables."""

from __future__ import annotations

import pytest

from clustersim.kubernetes.strategicmerge import strategic_merge_patch
from clustersim.serve.core import HttpError
from clustersim.serve.kubetables import COLUMNS, format_selector, human_duration
from clustersim.serve.patch import json_patch, merge_patch
from clustersim.serve.selectors import field_selector, label_selector

MS, MIN, H, D, Y = 0.001, 60, 3600, 86400, 365 * 86400


@pytest.mark.parametrize(("seconds", "text"), [
    # kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/duration/duration_test.go
    # (TestHumanDuration and TestHumanDurationBoundaries)
    (1, "1s"), (70, "70s"), (190, "3m10s"), (70 * MIN, "70m"), (47 * H, "47h"),
    (49 * H, "2d1h"), ((8 * 24 + 2) * H, "8d"), (367 * D, "367d"),
    (2 * Y + 25 * H, "2y1d"), (8 * Y + 2 * H, "8y"),
    (-2, "<invalid>"), (-2 + 1e-9, "0s"), (0, "0s"), (1 - MS, "0s"),
    (2 * MIN - MS, "119s"), (2 * MIN, "2m"), (2 * MIN + 1, "2m1s"),
    (10 * MIN - MS, "9m59s"), (10 * MIN, "10m"), (10 * MIN + 1, "10m"),
    (3 * H - MS, "179m"), (3 * H, "3h"), (3 * H + MIN, "3h1m"), (8 * H - MS, "7h59m"),
    (8 * H, "8h"), (8 * H + 59 * MIN, "8h"), (2 * D - MS, "47h"), (2 * D, "2d"),
    (2 * D + H, "2d1h"), (8 * D - MS, "7d23h"), (8 * D, "8d"), (8 * D + 23 * H, "8d"),
    (2 * Y - MS, "729d"), (2 * Y, "2y"), (2 * Y + D, "2y1d"), (3 * Y, "3y"),
    (8 * Y - MS, "7y364d"), (8 * Y, "8y"), (9 * Y, "9y"),
])
def test_human_duration_matches_upstream(seconds, text):
    assert human_duration(seconds) == text


def test_format_selector():
    assert format_selector({"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["a", "b"]},
        {"key": "x", "operator": "DoesNotExist"}]}) == "app=web,tier in (a,b),!x"
    assert format_selector(None) == "<none>"


@pytest.mark.parametrize(("selector", "labels", "matches"), [
    ("app=web", {"app": "web"}, True), ("app==web", {"app": "db"}, False),
    ("app!=web", {}, True), ("tier in (a, b)", {"tier": "b"}, True),
    ("tier notin (a)", {}, True), ("tier", {"tier": ""}, True), ("!tier", {"tier": "x"}, False),
    ("app=web,tier in (a)", {"app": "web", "tier": "a"}, True),
])
def test_label_selectors(selector, labels, matches):
    assert label_selector(selector)(labels) is matches


@pytest.mark.parametrize("bad", ["app=web,,", "tier in a", "=x", "app=web x"])
def test_bad_label_selectors_are_bad_requests(bad):
    with pytest.raises(HttpError) as err:
        label_selector(bad)
    assert err.value.status == 400


def test_field_selectors_read_dotted_paths():
    pod = {"spec": {"nodeName": "w1"}, "status": {"phase": "Running"}}
    assert field_selector("spec.nodeName=w1,status.phase!=Failed", "Pod")(pod)
    assert not field_selector("spec.nodeName=w2", "Pod")(pod)
    assert field_selector("spec.host=w1,spec.hostNetwork=false", "Pod")(
        {**pod, "spec": {"nodeName": "w1", "hostNetwork": False}})


@pytest.mark.parametrize("kind, selector, message", [
    ("Pod", "metadata.labels=x", "field label not supported: metadata.labels"),
    ("Node", "metadata.namespace=default", "field label not supported: metadata.namespace"),
    ("Deployment", "spec.replicas=2", '"spec.replicas" is not a known field selector: only '
                                      '"metadata.name", "metadata.namespace"'),
])
def test_a_field_its_kind_cannot_select_by_is_refused(kind, selector, message):
    with pytest.raises(HttpError) as err:
        field_selector(selector, kind)
    assert (err.value.status, err.value.message) == (400, message)


def test_strategic_merge_merges_containers_by_name_and_honours_directives():
    live = {"spec": {"containers": [{"name": "a", "image": "x:1", "ports": [
        {"containerPort": 80}]}, {"name": "b", "image": "y:1"}], "finalizers": ["f1"]}}
    patch = {"spec": {"$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
                      "containers": [{"name": "a", "image": "x:2"},
                                     {"name": "b", "$patch": "delete"}],
                      "finalizers": ["f2"]}}
    out = strategic_merge_patch(live, patch)
    assert out["spec"]["containers"] == [{"name": "a", "image": "x:2",
                                          "ports": [{"containerPort": 80}]}]
    assert out["spec"]["finalizers"] == ["f2", "f1"]    # new first: mergeSortedSlice
    assert live["spec"]["containers"][0]["image"] == "x:1"        # not modified
    replaced = strategic_merge_patch(live, {"spec": {"$patch": "replace", "x": 1}})
    assert replaced == {"spec": {"x": 1}}


def test_merge_and_json_patches():
    assert merge_patch({"a": 1, "b": {"c": 2}}, {"a": None, "b": {"d": 3}}) == \
        {"b": {"c": 2, "d": 3}}
    doc = {"spec": {"replicas": 1, "list": [1, 2]}}
    out = json_patch(doc, [{"op": "replace", "path": "/spec/replicas", "value": 3},
                           {"op": "add", "path": "/spec/list/-", "value": 9},
                           {"op": "remove", "path": "/spec/list/0"}])
    assert out == {"spec": {"replicas": 3, "list": [2, 9]}}
    with pytest.raises(HttpError):
        json_patch(doc, [{"op": "test", "path": "/spec/replicas", "value": 5}])


def _targets(metrics, current=()):
    hpa = {"spec": {"metrics": metrics}, "status": {"currentMetrics": list(current)}}
    column = next(c for c in COLUMNS["HorizontalPodAutoscaler"] if c[0] == "Targets")
    return column[3](hpa, 0.0)


def test_hpa_targets_as_format_hpa_metrics_writes_them():
    """``formatHPAMetrics`` (pkg/printers/internalversion/printers.go): current/target per
    metric, ``<unknown>`` before a reading, ``<auto>`` without a utilization target, the
    first two and how many more."""
    cpu = {"type": "Resource", "resource": {"name": "cpu", "target": {
        "type": "Utilization", "averageUtilization": 80}}}
    memory = {"type": "Resource", "resource": {"name": "memory", "target": {
        "type": "AverageValue", "averageValue": "200Mi"}}}
    queue = {"type": "External", "external": {"metric": {"name": "queue"}, "target": {
        "type": "AverageValue", "averageValue": "30"}}}
    reading = {"type": "Resource", "resource": {"name": "cpu", "current": {
        "averageUtilization": 35, "averageValue": "70m"}}}
    assert _targets([]) == "<none>"
    assert _targets([cpu]) == "cpu: <unknown>/80%"
    assert _targets([cpu], [reading]) == "cpu: 35%/80%"
    assert _targets([memory]) == "memory: <unknown>/200Mi"
    assert _targets([cpu, memory, queue], [reading]) == (
        "cpu: 35%/80%, memory: <unknown>/200Mi + 1 more...")
    assert _targets([queue]) == "<unknown>/30 (avg)"
    assert _targets([{"type": "Magic"}]) == "<unknown type>"


def _claim_row(claim):
    return [fn(claim, 0.0) for _, _, _, fn in COLUMNS["PersistentVolumeClaim"]]


def test_claim_columns_as_print_persistent_volume_claim_prints_them():
    """``printPersistentVolumeClaim`` (pkg/printers/internalversion/printers.go, v1.37): the
    columns in upstream's order, VolumeMode only with ``-o wide``; capacity and access modes
    once the claim names its volume, the modes as ``GetAccessModesAsString`` orders them; the
    beta storage-class annotation before ``storageClassName``; Terminating once deleted.
    The table had NAME and AGE only."""
    columns = COLUMNS["PersistentVolumeClaim"]
    assert [(name, priority) for name, _, priority, _ in columns] == [
        ("Name", 0), ("Status", 0), ("Volume", 0), ("Capacity", 0), ("Access Modes", 0),
        ("StorageClass", 0), ("VolumeAttributesClass", 0), ("Age", 0), ("VolumeMode", 1)]
    bound = {"metadata": {"name": "data"}, "_times": {"creationTimestamp": -90.0},
             "spec": {"volumeName": "pvc-1", "storageClassName": "fast", "volumeMode": "Block",
                      "accessModes": ["ReadWriteMany", "ReadWriteOnce"]},
             "status": {"phase": "Bound", "capacity": {"storage": "10Gi"},
                        "accessModes": ["ReadWriteOncePod", "ReadWriteMany", "ReadWriteOnce",
                                        "ReadWriteMany"]}}
    assert _claim_row(bound) == ["data", "Bound", "pvc-1", "10Gi", "RWO,RWX,RWOP", "fast",
                                 "<unset>", "90s", "Block"]
    pending = {"metadata": {"name": "new", "annotations": {
        "volume.beta.kubernetes.io/storage-class": "old"}},
        "spec": {"storageClassName": "fast", "volumeAttributesClassName": "gold",
                 "resources": {"requests": {"storage": "1Gi"}}},
        "status": {"phase": "Pending", "capacity": {"storage": "1Gi"}}}
    assert _claim_row(pending) == ["new", "Pending", "", "", "", "old", "gold", "<unknown>",
                                   "<unset>"]
    going = {**bound, "metadata": {"name": "data", "deletionTimestamp": "2026-01-01T00:00:00Z"}}
    assert _claim_row(going)[1] == "Terminating"


def _row(kind, obj):
    return [fn(obj, 0.0) for _, _, _, fn in COLUMNS[kind]]


def test_map_selector_columns_print_as_format_labels():
    """``printService`` and ``printDaemonSet`` (pkg/printers/internalversion/printers.go)
    print a map with ``labels.FormatLabels``: its ``key=value`` strings sorted as strings,
    so ``app.kubernetes.io/name=y`` ('.' sorts before '=') comes before ``app=x``."""
    chosen = {"app": "x", "app.kubernetes.io/name": "y"}
    service = {"metadata": {"name": "s"}, "spec": {"selector": chosen}}
    daemonset = {"metadata": {"name": "d"},
                 "spec": {"template": {"spec": {"nodeSelector": chosen}}}}
    assert _row("Service", service)[-1] == "app.kubernetes.io/name=y,app=x"
    assert _row("DaemonSet", daemonset)[6] == "app.kubernetes.io/name=y,app=x"
    assert _row("Service", {"metadata": {"name": "s"}, "spec": {}})[-1] == "<none>"


def test_volume_columns_as_print_persistent_volume_prints_them():
    """``printPersistentVolume`` (pkg/printers/internalversion/printers.go, v1.37): the
    columns in upstream's order, VolumeMode only with ``-o wide``; the claim as
    ``namespace/name``; the beta storage-class annotation before ``storageClassName``;
    Terminating once deleted. The API server served no PersistentVolumes."""
    columns = COLUMNS["PersistentVolume"]
    assert [(name, priority) for name, _, priority, _ in columns] == [
        ("Name", 0), ("Capacity", 0), ("Access Modes", 0), ("Reclaim Policy", 0),
        ("Status", 0), ("Claim", 0), ("StorageClass", 0), ("VolumeAttributesClass", 0),
        ("Reason", 0), ("Age", 0), ("VolumeMode", 1)]
    bound = {"metadata": {"name": "pvc-1"}, "_times": {"creationTimestamp": -90.0},
             "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteMany",
                                                                      "ReadWriteOnce"],
                      "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                      "claimRef": {"namespace": "shop", "name": "data"},
                      "volumeMode": "Filesystem"},
             "status": {"phase": "Bound"}}
    assert _row("PersistentVolume", bound) == [
        "pvc-1", "10Gi", "RWO,RWX", "Delete", "Bound", "shop/data", "standard", "<unset>", "",
        "90s", "Filesystem"]
    free = {"metadata": {"name": "disk", "annotations": {
        "volume.beta.kubernetes.io/storage-class": "old"}, "deletionTimestamp": "x"},
        "spec": {"persistentVolumeReclaimPolicy": "Retain", "storageClassName": "fast"},
        "status": {"phase": "Released", "reason": "Gone"}}
    assert _row("PersistentVolume", free) == [
        "disk", "0", "", "Retain", "Terminating", "", "old", "<unset>", "Gone", "<unknown>",
        "<unset>"]


def test_storage_class_columns_as_print_storage_class_prints_them():
    """``printStorageClass``: ``(default)`` after a class the (beta) default annotation
    marks, and the API server's defaults where the class leaves a field unset (reclaim
    policy Delete, binding mode Immediate, no expansion). The API server served none."""
    columns = COLUMNS["StorageClass"]
    assert [name for name, _, _, _ in columns] == [
        "Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion",
        "Age"]
    plain = {"metadata": {"name": "standard", "annotations": {
        "storageclass.kubernetes.io/is-default-class": "true"}}, "provisioner": "p",
        "_times": {"creationTimestamp": -60.0}}
    assert _row("StorageClass", plain) == ["standard (default)", "p", "Delete", "Immediate",
                                           False, "60s"]
    local = {"metadata": {"name": "local", "annotations": {
        "storageclass.beta.kubernetes.io/is-default-class": "false"}}, "provisioner": "q",
        "reclaimPolicy": "Retain", "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": True}
    assert _row("StorageClass", local) == ["local", "q", "Retain", "WaitForFirstConsumer", True,
                                           "<unknown>"]
    beta = {"metadata": {"name": "old", "annotations": {
        "storageclass.beta.kubernetes.io/is-default-class": "true"}}}
    assert _row("StorageClass", beta)[0] == "old (default)"


def _job(*conditions: str, suspend: bool = False, deleting: bool = False) -> dict:
    return {"metadata": {"name": "j", **({"deletionTimestamp": 5.0} if deleting else {})},
            "spec": {"suspend": suspend},
            "status": {"conditions": [{"type": c, "status": "True"} for c in conditions]}}


@pytest.mark.parametrize(("job", "status"), [
    # printJob (kubernetes/kubernetes pkg/printers/internalversion/printers.go): conditions
    # in its order, deletion before suspension, spec.suspend alone is no condition yet
    (_job(), "Running"),
    (_job(suspend=True), "Running"),
    (_job("Suspended", suspend=True), "Suspended"),
    (_job("Suspended", deleting=True), "Terminating"),
    (_job("Complete", deleting=True), "Complete"),
    (_job("FailureTarget", "Failed"), "Failed"),
    (_job("FailureTarget"), "FailureTarget"),
    (_job("SuccessCriteriaMet"), "SuccessCriteriaMet"),
    (_job("SuccessCriteriaMet", "Complete"), "Complete"),
])
def test_job_status_follows_print_job(job, status):
    [column] = [c for c in COLUMNS["Job"] if c[0] == "Status"]
    assert column[3](job, 10.0) == status


def _pod(phase: str, *, reason: str = "", deleting: bool = True) -> dict:
    """A one-container Pod whose container ended with the phase's usual reason."""
    ended = {"Failed": "Error", "Succeeded": "Completed"}.get(phase)
    state = {"terminated": {"exitCode": 143 if ended == "Error" else 0, "reason": ended}} \
        if ended else {"running": {"startedAt": 1.0}}
    return {"metadata": {"name": "p", **({"deletionTimestamp": 5.0} if deleting else {})},
            "spec": {"containers": [{"name": "c"}]},
            "status": {"phase": phase, **({"reason": reason} if reason else {}),
                       "containerStatuses": [{"name": "c", "ready": not ended,
                                              "state": state}]}}


@pytest.mark.parametrize(("pod", "status"), [
    # printPod (kubernetes/kubernetes pkg/printers/internalversion/printers.go): a deleted
    # Pod is Terminating only while IsPodPhaseTerminal (pkg/api/v1/pod/util.go) says no;
    # NodeLost prints Unknown whatever the phase
    (_pod("Running"), "Terminating"),
    (_pod("Pending"), "Terminating"),
    (_pod("Failed"), "Error"),
    (_pod("Succeeded"), "Completed"),
    (_pod("Running", reason="NodeLost"), "Unknown"),
    (_pod("Failed", reason="NodeLost"), "Unknown"),
    (_pod("Failed", deleting=False), "Error"),
])
def test_a_deleted_pod_is_terminating_until_its_phase_is_terminal(pod, status):
    [column] = [c for c in COLUMNS["Pod"] if c[0] == "Status"]
    assert column[3](pod, 10.0) == status


def _half_done(ready: str) -> dict:
    """A Pod whose first container still runs, ready, and whose second exited 0 (the last
    listed, so the first ``printPod`` reads), with its Ready condition ``ready``."""
    return {"metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": ready}],
                       "containerStatuses": [
                           {"name": "a", "ready": True, "state": {"running": {"startedAt": 1.0}}},
                           {"name": "b", "ready": False, "state": {"terminated": {
                               "exitCode": 0, "reason": "Completed"}}}]}}


@pytest.mark.parametrize(("ready", "status"), [("True", "Running"), ("False", "NotReady")])
def test_a_completed_container_beside_a_running_one_follows_the_ready_condition(ready, status):
    """printPod (kubernetes/kubernetes pkg/printers/internalversion/printers.go): a Pod
    ``Completed`` with a container still running prints ``Running`` only if
    ``hasPodReadyCondition``, else ``NotReady``; the simulator printed ``Running`` always."""
    [column] = [c for c in COLUMNS["Pod"] if c[0] == "Status"]
    assert column[3](_half_done(ready), 10.0) == status
