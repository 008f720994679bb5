"""etcd's 1.5 MiB limit on a write, behind the API server's 3 MiB limit on a body
(:mod:`clustersim.serve.etcdsize`)."""

from __future__ import annotations

import json

from clustersim.serve import serve
from clustersim.serve.core import HttpError, Request
from clustersim.serve.etcdsize import MAX_REQUEST_BYTES, as_stored, check_storable, stored_bytes

TOO_LARGE = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
             "message": "etcdserver: request is too large", "code": 500}
"""The answer kubernetes/kubernetes issue 74600 quotes: no reason (``StatusReasonUnknown``,
left out as empty), etcd's own words."""


def _send(server, method: str, path: str, body: object, kind: str = "application/json",
          query: dict[str, list[str]] | None = None) -> tuple[int, dict]:
    response = server.dispatch(Request(method, path, query or {}, {"content-type": kind},
                                       json.dumps(body).encode()))
    return response.status, json.loads(response.body)


def _pod(name: str, value_chars: int) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "image": "nginx", "env": [
                {"name": f"BLOB{i}", "value": "x" * value_chars} for i in range(2)]}]}}


def test_an_object_over_etcds_limit_passes_validation_and_fails_at_the_write():
    """Two 800,000-character env values: a 1.6 MB body, under the API server's 3 MiB, over
    etcd's 1.5 MiB. The create answers 500 with etcd's message and stores nothing; a dry
    run, which never reaches etcd, is answered 201; a Pod of half the size is stored."""
    path = "/api/v1/namespaces/default/pods"
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, _pod("big", 800_000)) == (500, TOO_LARGE)
        assert _send(server, "GET", f"{path}/big", None)[0] == 404
        assert _send(server, "POST", path, _pod("big", 800_000),
                     query={"dryRun": ["All"]})[0] == 201
        assert _send(server, "POST", path, _pod("half", 400_000))[0] == 201


def test_an_update_that_grows_an_object_past_the_limit_leaves_it_as_it_was():
    path = "/apis/apps/v1/namespaces/default/deployments"
    template = _pod("", 10)
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": template["spec"]}}}
    grown = {"spec": {"template": {"spec": {"containers": [{"name": "app", "env": [
        {"name": "BLOB0", "value": "y" * 800_000}, {"name": "BLOB1", "value": "y" * 800_000}]}]}}}}
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, deployment)[0] == 201
        before = _send(server, "GET", f"{path}/web", None)[1]
        assert _send(server, "PATCH", f"{path}/web", grown,
                     "application/strategic-merge-patch+json") == (500, TOO_LARGE)
        assert _send(server, "GET", f"{path}/web", None)[1] == before


def test_the_encoding_counts_a_maps_keys_and_not_a_structs_field_names():
    """A ConfigMap of one 1,000,000-byte value is about that many bytes whatever its field
    names; ``binaryData`` counts the bytes its base64 stands for; the limit is etcd's
    default (``DefaultMaxRequestBytes``, 1.5 MiB)."""
    key = "/registry/configmaps/default/a"
    def size(**fields: object) -> int:
        return stored_bytes({"metadata": {"name": "a"}, **fields}, key)

    assert size(data={"k" * 100: "v"}) == size(data={"k": "v" * 100}) > size(data={"k": "v"})
    assert size(spec={"aLongFieldName": "v"}) == size(spec={"b": "v"})
    big = stored_bytes({"metadata": {"name": "a"}, "data": {"k": "x" * 1_000_000}}, key)
    assert 1_000_000 < big < 1_000_300
    binary = stored_bytes({"metadata": {"name": "a"}, "binaryData": {"k": "eHh4" * 1000}}, key)
    assert 3000 < binary < 3200
    assert MAX_REQUEST_BYTES == 3 * 2 ** 19


def test_a_configmap_over_a_mebibyte_is_refused_by_validation_before_etcd():
    """``ValidateConfigMap`` sums ``data`` and the decoded ``binaryData`` and refuses more
    than ``MaxSecretSize`` (1,048,576 bytes) on the whole object, ``field.NewPath("")``,
    which a field path writes as ``[]``; 1,048,576 bytes pass, one more does not."""
    path = "/api/v1/namespaces/default/configmaps"
    def config_map(name: str, **content: object) -> dict:
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, **content}

    message = "Too long: may not be more than 1048576 bytes"
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, body = _send(server, "POST", path, config_map(
            "big", data={"a": "x" * 600_000}, binaryData={"b": "eHh4" * 150_000}))
        assert (status, body["reason"]) == (422, "Invalid")
        assert body["message"] == f'ConfigMap "big" is invalid: []: {message}'
        assert body["details"]["causes"] == [
            {"reason": "FieldValueTooLong", "message": message, "field": "[]"}]
        assert _send(server, "POST", path, config_map(
            "edge", data={"a": "x" * 1_048_575}, binaryData={"b": "eA=="}))[0] == 201
        assert _send(server, "PATCH", f"{path}/edge", {"data": {"c": "y"}},
                     "application/merge-patch+json")[0] == 422


def test_managed_fields_count_and_a_write_too_large_with_them_is_retried_without():
    """etcd stores the object whole, ``managedFields`` included: 5,000 keys of 250
    characters with empty values are 1.3 MB of ``data`` and as much again of ``fieldsV1``.
    A create, an update or a patch is tried again without its managed fields and stored
    without them (``isTooLargeError`` in ``create.go``, ``update.go``, ``patch.go``); an
    apply is not, and fails; a dry run never reaches etcd."""
    path = "/api/v1/namespaces/default/configmaps"
    data = {f"{i:05d}" + "k" * 245: "" for i in range(5000)}
    def config_map(name: str, **labels: str) -> dict:
        return {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": name, "labels": labels}, "data": data}

    apply = "application/apply-patch+yaml"
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, made = _send(server, "POST", path, config_map("posted"))
        assert status == 201 and "managedFields" not in made["metadata"]
        assert _send(server, "PATCH", f"{path}/applied", config_map("applied"), apply,
                     {"fieldManager": ["me"]}) == (500, TOO_LARGE)
        assert _send(server, "PATCH", f"{path}/applied", config_map("applied"), apply,
                     {"fieldManager": ["me"], "dryRun": ["All"]})[0] == 201
        status, small = _send(server, "POST", path, config_map("small") | {"data": {}})
        assert status == 201 and small["metadata"]["managedFields"]
        status, grown = _send(server, "PATCH", f"{path}/small", {"data": data},
                              "application/merge-patch+json")
        assert status == 200 and "managedFields" not in grown["metadata"]
        assert _send(server, "PATCH", f"{path}/small", config_map("small", app="web"), apply,
                     {"fieldManager": ["me"], "force": ["true"]}) == (500, TOO_LARGE)


def test_the_status_counts_and_the_retry_drops_only_the_managed_fields():
    """What the store writes is the whole object (:func:`as_stored`): a 1.6 MB status is
    too large whatever the rest; 1.6 MB of ``fieldsV1`` fit once left out, on a retry."""
    small = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
    fields = {"f:data": {f"f:{i:07d}": {} for i in range(120_000)}}
    entry = {"manager": "m", "operation": "Update", "fieldsType": "FieldsV1",
             "fieldsV1": fields}
    def fits(obj: dict, *, retry: bool = False) -> bool | None:
        try:
            return check_storable(obj, "configmaps", "default", "a", retry=retry)
        except HttpError as err:
            assert (err.status, err.message) == (500, TOO_LARGE["message"])
            return None

    assert fits(as_stored(small, {"uid": "u"}, [], {"x": "y" * 100})) is True
    assert fits(as_stored(small, {}, [], {"x": "y" * 1_600_000})) is None
    assert fits(as_stored(small, {}, [entry], None)) is None
    assert fits(as_stored(small, {}, [entry], None), retry=True) is False


def _near_limit(server, path: str, name: str, room: int, finalizers: list[str]) -> dict:
    """A Deployment stored with its finalizers, ``room`` bytes under etcd's limit as the
    store writes it: a first one's size tells how much padding fills the rest (the size
    grows with the padding byte for byte, lengths in varints of the same width)."""
    def deployment(pad: int) -> dict:
        return {"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": name, "finalizers": finalizers},
                "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                         "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                             "containers": [{"name": "app", "image": "nginx", "env": [
                                 {"name": "A", "value": "x" * pad},
                                 {"name": "B", "value": "y" * 600_000}]}]}}}}

    key = f"/registry/deployments/default/{name}"
    status, made = _send(server, "POST", path, deployment(400_000))
    assert status == 201
    pad = 400_000 + MAX_REQUEST_BYTES - room - stored_bytes(made, key)
    assert _send(server, "DELETE", f"{path}/{name}", None, query={
        "gracePeriodSeconds": ["0"]})[0] == 200
    assert _send(server, "PATCH", f"{path}/{name}", {"metadata": {"finalizers": None}},
                 "application/merge-patch+json")[0] == 200
    status, made = _send(server, "POST", path, deployment(pad))
    assert status == 201 and MAX_REQUEST_BYTES - room - 8 <= stored_bytes(made, key) \
        <= MAX_REQUEST_BYTES
    return made


def test_a_delete_that_would_store_an_object_over_the_limit_fails_and_leaves_it_writable():
    """A DELETE of an object with a finalizer writes it with its ``deletionTimestamp``
    (``updateForGracefulDeletionAndFinalizers``'s ``GuaranteedUpdate``): 10 bytes under
    the limit, that write is too large, answered with etcd's 500, and the object stays as
    it was, so a patch that shrinks it is stored, and the next DELETE and the removal of
    its finalizer end with it gone. The simulator had stored it over the limit, where a
    patch taking its finalizer was refused for its size and it could never go."""
    path = "/apis/apps/v1/namespaces/default/deployments"
    shrink = {"spec": {"template": {"spec": {"containers": [
        {"name": "app", "image": "nginx", "env": [{"name": "B", "value": "y"}]}]}}}}
    with serve("kubernetes", nodes=1, speed=0) as server:
        made = _near_limit(server, path, "web", 10, ["example.com/keep"])
        assert _send(server, "DELETE", f"{path}/web", None) == (500, TOO_LARGE)
        kept = _send(server, "GET", f"{path}/web", None)[1]
        assert "deletionTimestamp" not in kept["metadata"]
        assert kept["metadata"]["resourceVersion"] == made["metadata"]["resourceVersion"]
        assert _send(server, "PATCH", f"{path}/web", shrink,
                     "application/merge-patch+json")[0] == 200
        status, deleting = _send(server, "DELETE", f"{path}/web", None)
        assert status == 200 and "deletionTimestamp" in deleting["metadata"]
        assert _send(server, "PATCH", f"{path}/web", {"metadata": {"finalizers": None}},
                     "application/merge-patch+json")[0] == 200
        assert _send(server, "GET", f"{path}/web", None)[0] == 404


def test_the_garbage_collectors_finalizer_counts_in_a_deletions_write():
    """``propagationPolicy: Foreground`` adds ``foregroundDeletion`` to what the DELETE
    writes (``deletionFinalizersForGarbageCollection``): an object whose own finalizer's
    deletion fits is refused with that one added."""
    path = "/apis/apps/v1/namespaces/default/deployments"
    with serve("kubernetes", nodes=1, speed=0) as server:
        _near_limit(server, path, "web", 35, ["example.com/k"])
        foreground = {"kind": "DeleteOptions", "apiVersion": "v1",
                      "propagationPolicy": "Foreground"}
        assert _send(server, "DELETE", f"{path}/web", foreground) == (500, TOO_LARGE)
        status, deleting = _send(server, "DELETE", f"{path}/web", None)
        assert status == 200 and deleting["metadata"]["finalizers"] == ["example.com/k"]


def test_taking_the_last_finalizer_of_an_object_being_deleted_is_never_sized():
    """An update that leaves an object being deleted without finalizers deletes it
    instead of writing it (``ShouldDeleteDuringUpdate``, then ``deleteWithoutFinalizers``
    in ``Store.Update``): even an object that came to be stored over the limit (here grown
    in place from Python, past what dropping its managed fields saves) goes."""
    path = "/apis/apps/v1/namespaces/default/deployments"
    with serve("kubernetes", nodes=1, speed=0) as server:
        _near_limit(server, path, "web", 100, ["example.com/keep"])
        assert _send(server, "DELETE", f"{path}/web", None)[0] == 200
        stored = server.cluster.get("Deployment", "default", "web")
        stored["metadata"].setdefault("annotations", {})["grown"] = "z" * 5000
        assert _send(server, "PATCH", f"{path}/web", {"metadata": {"labels": {"a": "b"}}},
                     "application/merge-patch+json") == (500, TOO_LARGE)
        assert _send(server, "PATCH", f"{path}/web", {"metadata": {"finalizers": None}},
                     "application/merge-patch+json")[0] == 200
        assert _send(server, "GET", f"{path}/web", None)[0] == 404


def _images(count: int) -> list[dict]:
    """A kubelet's ``status.images``, each about 100 bytes as stored."""
    return [{"names": [f"registry.example/team/image-{i:06d}:" + "v" * 60], "sizeBytes": 1}
            for i in range(count)]


def test_a_nodes_registration_update_and_status_are_sized():
    """A Node is stored as any object is: its registration with its status (the kubelet's
    ``registerWithAPIServer``), an update (stored with the status it had) and a write of
    ``nodes/status`` each fail with etcd's 500 when the Node would be over the limit, and
    leave it as it was; the simulator had stored them all."""
    path = "/api/v1/nodes"
    def node(name: str, images: int) -> dict:
        return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
                "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                           "images": _images(images)}}

    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, node("big", 17_000)) == (500, TOO_LARGE)
        assert "big" not in server.cluster.node_names()
        assert _send(server, "POST", path, node("edge", 14_000))[0] == 201
        labels = {"metadata": {"annotations": {"note": "z" * 200_000}}}
        assert _send(server, "PATCH", f"{path}/edge", labels,
                     "application/merge-patch+json") == (500, TOO_LARGE)
        assert "annotations" not in _send(server, "GET", f"{path}/edge", None)[1]["metadata"]
        grown = {"status": {"images": _images(17_000)}}
        assert _send(server, "PATCH", f"{path}/edge/status", grown,
                     "application/merge-patch+json") == (500, TOO_LARGE)
        shown = _send(server, "GET", f"{path}/edge", None)[1]
        assert len(shown["status"]["images"]) == 14_000


def test_a_pods_spec_update_is_sized():
    """A Pod's spec update (tolerations added, as ``ValidatePodUpdate`` allows) is stored
    as the whole Pod: one that takes it over the limit is refused and changes nothing."""
    path = "/api/v1/namespaces/default/pods"
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, _pod("p", 770_000))[0] == 201
        before = _send(server, "GET", f"{path}/p", None)[1]
        more = [{"key": f"example.com/k{i:05d}", "operator": "Exists"} for i in range(2000)]
        grown = {"spec": {"tolerations": before["spec"]["tolerations"] + more}}
        assert _send(server, "PATCH", f"{path}/p", grown,
                     "application/strategic-merge-patch+json") == (500, TOO_LARGE)
        # its status may move on meanwhile (the kubelet starts it): its spec does not
        assert _send(server, "GET", f"{path}/p", None)[1]["spec"] == before["spec"]


def test_an_eviction_that_would_store_its_pod_over_the_limit_fails_and_keeps_it():
    """An Eviction writes the Pod with its ``DisruptionTarget`` condition, then deletes it
    gracefully, a write with its ``deletionTimestamp``: a scheduled Pod a hundred bytes
    under the limit is refused with etcd's 500 and keeps running, without the condition;
    the simulator had stored it over the limit."""
    path = "/api/v1/namespaces/default/pods"
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, _pod("p", 100_000))[0] == 201
        server.cluster.run(until=server.cluster.now + 30)
        shown = _send(server, "GET", f"{path}/p", None)[1]
        assert shown["spec"].get("nodeName")
        # two env values of ``pad`` characters each
        pad = 100_000 + (MAX_REQUEST_BYTES - 100 - stored_bytes(
            shown, "/registry/pods/default/p")) // 2
        assert _send(server, "POST", path, _pod("q", pad))[0] == 201
        server.cluster.run(until=server.cluster.now + 30)
        before = _send(server, "GET", f"{path}/q", None)[1]
        assert before["status"]["phase"] == "Running"
        assert MAX_REQUEST_BYTES - 300 < stored_bytes(
            before, "/registry/pods/default/q") <= MAX_REQUEST_BYTES
        eviction = {"apiVersion": "policy/v1", "kind": "Eviction",
                    "metadata": {"name": "q", "namespace": "default"}}
        assert _send(server, "POST", f"{path}/q/eviction", eviction) == (500, TOO_LARGE)
        after = _send(server, "GET", f"{path}/q", None)[1]
        assert "deletionTimestamp" not in after["metadata"]
        assert "DisruptionTarget" not in {c["type"] for c in after["status"]["conditions"]}
