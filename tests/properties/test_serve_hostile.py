"""Whatever a client sends, each simulated API answers in its system's error shape (4xx, never
a 500 or a traceback) and the simulator stays consistent."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clustersim.serve import Request, kubeproto, serve

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["kind", "apiVersion", "metadata", "spec", "name",
                                       "id", "cmd", "cpus", "instances", "Name",
                                       "TaskTemplate", "Mode", "replicas", "containers"])
                      | st.text(max_size=8), children, max_size=5),
    max_leaves=20)
def _field(number: int, data: bytes) -> bytes:
    """A length-delimited protobuf field (lengths below 128 fit one byte)."""
    return bytes([number << 3 | 2, len(data)]) + data


# protobuf as kubectl's typed clients send it: the k8s\0 envelope, a kind, then any bytes
PROTOBUF = st.builds(
    lambda kind, raw: kubeproto.MAGIC + _field(1, _field(1, b"v1") + _field(2, kind))
    + _field(2, raw),
    st.sampled_from([b"Deployment", b"Pod", b"Service", b"Secret", b"Node"]),
    st.binary(max_size=100))
BODY = st.one_of(JSON.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200),
                 PROTOBUF, st.binary(max_size=100).map(lambda b: kubeproto.MAGIC + b))
TARGETS = {
    "kubernetes": [("POST", "/api/v1/namespaces/default/pods", "application/json"),
                   ("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                    "application/strategic-merge-patch+json"),
                   ("PATCH", "/api/v1/nodes/worker-1", "application/json-patch+json"),
                   ("POST", "/apis/apps/v1/namespaces/default/deployments", "application/yaml"),
                   ("POST", "/apis/apps/v1/namespaces/default/deployments",
                    "application/vnd.kubernetes.protobuf"),
                   ("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale",
                    "application/merge-patch+json"),
                   # autoscaling/v1, converted to the stored v2 (kubeautoscalingv1)
                   ("POST", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers",
                    "application/json"),
                   ("POST", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers",
                    "application/vnd.kubernetes.protobuf")],
    "marathon": [("POST", "/v2/apps", "application/json"), ("PUT", "/v2/apps/web",
                                                              "application/json"),
                 ("POST", "/v2/groups", "application/json")],
    "swarm": [("POST", "/v1.44/services/create", "application/json"),
              ("POST", "/v1.44/nodes/worker-1/update", "application/json")],
}
WEB = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
       "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}


def _check(system: str, target: int, body: bytes) -> None:
    server = SERVERS[system]
    method, path, content_type = TARGETS[system][target % len(TARGETS[system])]
    response = server.dispatch(Request(method, path, {}, {"content-type": content_type}, body))
    assert response.status < 500, response.body[:300]
    if response.status >= 400:
        payload = json.loads(response.body)
        assert payload["message"]
        if system == "kubernetes":
            assert payload["kind"] == "Status" and payload["code"] == response.status


SERVERS = {system: serve(system, speed=0) for system in TARGETS}
SERVERS["kubernetes"].cluster.apply(WEB)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(TARGETS)), st.integers(0, 10), BODY)
@example("kubernetes", 0, b"[true, 1]")          # a JSON list where an object belongs
@example("kubernetes", 3, b"just text")          # YAML that is a plain string
@example("kubernetes", 4, kubeproto.MAGIC + b"\x0a\x7f")   # a field longer than the body
@example("kubernetes", 4, kubeproto.MAGIC)               # an empty envelope: no kind at all
@example("kubernetes", 5, b'{"spec": {"replicas": 1000000}}')    # above the limit
@example("kubernetes", 6, json.dumps({                  # a v1 spec that is not an object
    "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
    "metadata": {"name": "h"}, "spec": 5}).encode())
@example("kubernetes", 6, json.dumps({                  # a round-trip annotation of junk
    "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
    "metadata": {"name": "h", "annotations": {
        "autoscaling.alpha.kubernetes.io/metrics": '[{"type": "Pods", "pods": 5}]'}},
    "spec": {"maxReplicas": 2, "scaleTargetRef": {"kind": "Deployment", "name": "web"}}}
    ).encode())
@example("kubernetes", 7, kubeproto.MAGIC + _field(1, _field(1, b"autoscaling/v1") + _field(
    2, b"HorizontalPodAutoscaler")) + _field(2, b"\x12\x7f"))   # a v1 spec past the end
def test_hostile_bodies_get_the_systems_error_shape(system, target, body):
    _check(system, target, body)
    cluster = SERVERS["kubernetes"].cluster
    assert cluster.get("Deployment", "default", "web") is not None
    cluster.run(until=cluster.now)          # the simulator still reconciles


VALUE = (st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5)
         | st.lists(st.integers(0, 3), max_size=2)
         | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
APP_FIELDS = ("cmd", "cpus", "mem", "instances", "constraints", "container",
              "portDefinitions", "dependencies", "labels", "groups", "args")
APP = st.fixed_dictionaries({"id": st.just("/x")},
                            optional=dict.fromkeys(APP_FIELDS, VALUE))
SERVICE = st.fixed_dictionaries({"Name": st.just("x")}, optional={
    "Mode": VALUE | st.just({"Replicated": {"Replicas": "x"}}),
    "TaskTemplate": VALUE | st.fixed_dictionaries({}, optional={
        "ContainerSpec": VALUE, "Placement": VALUE, "RestartPolicy": VALUE,
        "Resources": VALUE | st.just({"Reservations": {"NanoCPUs": "x"}})}),
    "EndpointSpec": VALUE | st.fixed_dictionaries({}, optional={
        "Ports": st.lists(VALUE, max_size=2), "Mode": VALUE}),
    "UpdateConfig": VALUE, "Labels": VALUE})
POD = st.fixed_dictionaries({
    "apiVersion": st.just("v1"), "kind": st.just("Pod"),
    "metadata": st.fixed_dictionaries({"name": st.just("p")}, optional={
        "labels": VALUE, "namespace": VALUE, "annotations": VALUE})},
    optional={"spec": VALUE | st.fixed_dictionaries({}, optional={
        "containers": st.lists(VALUE | st.fixed_dictionaries(
            {"name": VALUE, "image": VALUE}, optional={"resources": VALUE, "ports": VALUE}),
            max_size=2), "nodeName": VALUE, "tolerations": VALUE})})
NEARLY_RIGHT = st.one_of(APP.map(lambda b: ("marathon", "/v2/apps", b)),
                         SERVICE.map(lambda b: ("swarm", "/v1.44/services/create", b)),
                         POD.map(lambda b: ("kubernetes", "/api/v1/namespaces/default/pods", b)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEARLY_RIGHT)
@example(("marathon", "/v2/apps", {"id": "/x"}))                  # neither cmd nor container
@example(("marathon", "/v2/apps", {"id": "/x", "cmd": "c", "groups": None}))   # a group
@example(("swarm", "/v1.44/services/create", {"Name": "x", "TaskTemplate": 5}))
def test_nearly_right_definitions_are_created_or_refused_cleanly(case):
    system, path, body = case
    server = SERVERS[system]
    response = server.dispatch(Request("POST", path, {}, {"content-type": "application/json"},
                                       json.dumps(body).encode()))
    assert response.status < 500, response.body[:300]
    if response.status < 300:                   # created: remove it for the next example
        if system == "kubernetes":
            server.cluster.delete_object(server.cluster.get("Pod", "default", "p"))
        elif system == "marathon":
            server.backend.marathon.remove("/x", force=True)
        else:
            server.cluster.remove_service("x")


META_VALUE = VALUE | st.lists(st.none() | st.text(max_size=3) | st.integers(0, 3), max_size=3)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional=dict.fromkeys(
    ("finalizers", "labels", "annotations"), META_VALUE)))
@example({"finalizers": "abc"})          # once stored as ["a", "b", "c"]
@example({"finalizers": {"x": 1}})       # once stored as ["x"]
@example({"finalizers": [1, None]})      # once stored as it was
def test_an_update_stores_only_metadata_of_the_types_objectmeta_holds(meta):
    """Whatever metadata a patch brings, the stored object keeps finalizers that are a list
    of strings and labels and annotations that are maps of strings (what Go's ObjectMeta can
    hold), or the update is refused; a finalizer of another type would block deletion."""
    server = SERVERS["kubernetes"]
    response = server.dispatch(Request(
        "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", {},
        {"content-type": "application/merge-patch+json"},
        json.dumps({"metadata": meta}).encode()))
    assert response.status < 500, response.body[:300]
    stored = server.cluster.get("Deployment", "default", "web")["metadata"]
    assert all(isinstance(f, str) for f in stored.get("finalizers") or [])
    for field in ("labels", "annotations"):
        assert all(isinstance(v, str) for v in (stored.get(field) or {}).values())
    server.cluster.set_finalizers(server.cluster.get("Deployment", "default", "web"), [])
