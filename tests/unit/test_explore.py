"""Placing any manifest on a default cluster of its system, and the explorer widget."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from clustersim import limits
from clustersim.examples import example_path
from clustersim.explore import place
from clustersim.limits import LimitError
from clustersim.manifests import ManifestError
from clustersim.widgets.explorer import PASTE, manifest_explorer, sources


@pytest.mark.parametrize("system", ["kubernetes", "swarm"])
def test_the_example_application_places_completely(system: str) -> None:
    placement = place(example_path(system))
    assert placement.system == system
    assert not placement.waiting
    assert len([t for t in placement.snapshot.tasks if t.node]) == 7  # 1 + 1 + 3 + 2


def test_a_pod_that_fits_nowhere_waits_with_the_schedulers_reason() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "huge"},
           "spec": {"containers": [{"name": "c", "image": "x",
                                    "resources": {"requests": {"cpu": "64"}}}]}}
    placement = place(pod)
    assert placement.waiting and "Insufficient cpu" in placement.waiting[0][1]


def test_unsimulated_kinds_are_noted_and_mixed_dialects_refused() -> None:
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "reader"}, "rules": []}
    assert any("not simulated" in note for note in place(role).notes)
    with pytest.raises(ManifestError):
        place("services: [not, a, mapping")


def test_explorer_shows_errors_inline_and_escapes_them() -> None:
    app = manifest_explorer()
    choice, text, run, report, chart = app.widget.children
    assert "Every task found a place" in report.value and len(chart.data) > 0
    choice.value = PASTE
    text.value = "kind: Pod\nmetadata: {name: '<script>x</script>'}\n"
    run.click()
    assert "Problem:" in report.value and "<script>" not in report.value


def test_explorer_lists_a_corpus_folder_when_present(tmp_path) -> None:
    (tmp_path / "kubernetes").mkdir()
    (tmp_path / "kubernetes" / "pod.yaml").write_text("kind: Pod\n")
    labels = list(sources(tmp_path))
    assert "kubernetes: pod.yaml" in labels and labels[-1] == PASTE
    assert list(sources(tmp_path / "absent"))[:3] == [
        "example: shop (kubernetes)", "example: shop (marathon)", "example: shop (swarm)"]


def test_a_corpus_lists_only_manifests_outside_hidden_folders(tmp_path) -> None:
    """Every file of the folder was listed: a notebook, a README, a .git object."""
    for name in ("kubernetes/pod.yaml", "swarm/stack.YML", "marathon/app.json", "README.md",
                 "lab.ipynb", ".git/objects/x.json", "kubernetes/.hidden.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    labels = list(sources(tmp_path))[3:-1]
    assert labels == ["kubernetes: pod.yaml", "marathon: app.json", "swarm: stack.YML"]
    assert len(manifest_explorer(tmp_path).widget.children) == 5   # no notice


def test_files_of_the_same_name_in_folders_of_the_same_name_get_labels_of_their_own(
        tmp_path) -> None:
    """Two ``kubernetes/pod.yaml`` under different folders shared the label
    ``kubernetes: pod.yaml``: the menu kept one of them and lost the other."""
    for name in ("realworld/kubernetes/pod.yaml", "more/kubernetes/pod.yaml",
                 "more/kubernetes/svc.yaml", "pod.yaml", "a/b/x/app.yml", "c/b/x/app.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: Pod\n")
    menu = sources(tmp_path)
    files = [path for path in menu.values() if path is not None][3:]
    assert len(files) == len(set(files)) == 6
    assert {label: str(path.relative_to(tmp_path)) for label, path in menu.items()
            if path is not None and path.is_relative_to(tmp_path)} == {
        "more/kubernetes: pod.yaml": "more/kubernetes/pod.yaml",
        "realworld/kubernetes: pod.yaml": "realworld/kubernetes/pod.yaml",
        "kubernetes: svc.yaml": "more/kubernetes/svc.yaml",
        f"{tmp_path.name}: pod.yaml": "pod.yaml",
        "a/b/x: app.yml": "a/b/x/app.yml",
        "c/b/x: app.yml": "c/b/x/app.yml",
    }


def test_a_corpus_too_large_is_capped_and_says_so(tmp_path, monkeypatch) -> None:
    """corpus=".." filled the menu with 797 entries."""
    monkeypatch.setattr("clustersim.widgets.explorer.MAX_CORPUS_FILES", 3)
    for index in range(5):
        (tmp_path / f"app-{index}.yaml").write_text("kind: Pod\n")
    assert list(sources(tmp_path))[3:-1] == [f"{tmp_path.name}: app-{i}.yaml" for i in range(3)]
    notice = manifest_explorer(tmp_path).widget.children[0].value
    assert "lists the 3 manifest files found" in notice and "smaller folder" in notice


def test_an_unreadable_corpus_is_named_not_a_traceback(tmp_path, monkeypatch) -> None:
    """corpus="/" raised PermissionError from a folder it could not read."""
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "pod.yaml").write_text("kind: Pod\n")
    (tmp_path / "locked").mkdir()
    scandir = os.scandir

    def refusing(path):
        if Path(path).name in ("locked", "top"):
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr("clustersim.widgets.explorer.os.scandir", refusing)
    assert list(sources(tmp_path))[3:-1] == ["open: pod.yaml"]
    notice = manifest_explorer(tmp_path).widget.children[0].value
    assert "1 folder(s) under" in notice and "locked" in notice
    (tmp_path / "top").mkdir()
    notice = manifest_explorer(tmp_path / "top").widget.children[0].value
    assert "cannot be read (Permission denied)" in notice and "top" in notice


def test_live_app_plain_text_is_short_and_fixed() -> None:
    bundle = manifest_explorer()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("manifest explorer")
    assert "Live controls need a running kernel" in bundle["text/html"]


def test_explorer_says_inline_when_the_corpus_folder_is_missing_or_empty(tmp_path) -> None:
    notice, *rest = manifest_explorer(tmp_path / "absent").widget.children
    assert "There is no folder" in notice.value and "corpus=" in notice.value and len(rest) == 5
    notice, *_ = manifest_explorer(tmp_path).widget.children
    assert "holds no manifest files" in notice.value
    (tmp_path / "pod.yaml").write_text("kind: Pod\n")
    assert len(manifest_explorer(tmp_path).widget.children) == 5
    notice, *_ = manifest_explorer(tmp_path / "pod.yaml").widget.children
    assert "is a file, not a folder" in notice.value


NULLS = {
    "pod.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:            # every entry commented out: null
spec:
  tolerations:
  # - {key: gpu, operator: Exists}
  containers: [{name: web, image: nginx}]
""",
    "job.yaml": """apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  backoffLimit:
  parallelism:
  template:
    metadata:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
""",
    "svc.yaml": """apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: null, selector: {app: web}, ports: [{port: 80}]}
""",
    "app.json": '{"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 32, "instances": null, '
                '"upgradeStrategy": {"minimumHealthCapacity": null}, "portDefinitions": '
                '[{"port": 0, "name": "http"}], "healthChecks": [{"protocol": "HTTP", '
                '"gracePeriodSeconds": null}], "readinessChecks": [{"name": "r", "portName": '
                '"http", "intervalSeconds": null}]}',
    "pod.json": '{"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, '
                '"mem": 32}}], "scheduling": {"backoff": {"backoff": null}}}',
}


@pytest.mark.parametrize("name", NULLS)
def test_a_field_left_empty_is_unset_as_the_real_decoders_read_it(name: str) -> None:
    """A key whose entries are all commented out is null in YAML: Kubernetes and Marathon
    read it as unset, and so do the simulators (they crashed on the None, or refused it)."""
    placement = place(NULLS[name], name=name)
    assert placement.waiting == []
    assert len(placement.snapshot.tasks) == (0 if name == "svc.yaml" else 1)


def test_an_empty_text_box_is_told_what_to_give() -> None:
    """'one dialect at a time, please: this source holds nothing' named no next step."""
    app = manifest_explorer()
    choice, _text, run, report, _chart = app.widget.children
    choice.value = PASTE
    run.click()
    assert "pasted text: it holds no manifest" in report.value
    assert "pick an example" in report.value
    assert "one dialect" not in report.value


@pytest.mark.parametrize("source", ["", "   "])
def test_an_empty_source_is_a_manifest_error(source: str) -> None:
    """place("") raised a bare ValueError, so a lab's ``except ManifestError`` showed a
    traceback."""
    with pytest.raises(ManifestError, match="it holds no manifest"):
        place(source)


def test_a_folder_named_as_text_is_told_to_give_a_file() -> None:
    """place("notebooks") said '<string>, line 1: the document is a str, not a mapping'."""
    folder = Path(__file__).parent
    with pytest.raises(ManifestError) as caught:
        place(str(folder))
    assert "is a folder, not a manifest" in str(caught.value)
    assert "the path of a manifest file in it" in str(caught.value)
    assert "not a mapping" not in str(caught.value)


def test_an_edited_example_is_labelled_as_the_learners_edit() -> None:
    """The errors of an edited example were labelled 'example: shop (kubernetes)', as if the
    course's file held them."""
    app = manifest_explorer()
    choice, text, run, report, _chart = app.widget.children
    text.value = text.value.replace("apiVersion: apps/v1", "apiVersion: apps/v9", 1)
    run.click()
    assert "your edit of example: shop (kubernetes)" in report.value
    choice.value = "example: shop (swarm)"
    run.click()
    assert "Every task found a place" in report.value


def test_the_loaders_warnings_reach_the_notes_and_the_widget_escaped() -> None:
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
           "spec: {nodeSelectr: {a: b}, containers: [{name: c, image: nginx}]}\n")
    placement = place(pod)
    assert placement.notes == [f"Pod p: {placement.specs[0].warnings[0]}"]
    assert 'unknown field "spec.nodeSelectr"' in placement.notes[0]
    app = manifest_explorer()
    choice, text, run, report, _ = app.widget.children
    choice.value = PASTE
    text.value = pod
    run.click()
    assert "unknown field &quot;spec.nodeSelectr&quot;" in report.value
    assert 'unknown field "spec.nodeSelectr"' not in report.value


def _deployment(name: str, replicas: int) -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


def test_more_tasks_than_the_explorer_places_are_refused_before_any_is_simulated() -> None:
    many = _deployment("web", limits.MAX_EXPLORED_TASKS + 1)
    with pytest.raises(LimitError, match=r"asks for 501 tasks \(Deployment web: 501\).*"
                                         r"MAX_EXPLORED_TASKS.*place what fits"):
        place(many)
    app = manifest_explorer()
    choice, text, run, report, chart = app.widget.children
    choice.value = PASTE
    text.value = yaml.safe_dump(_deployment("web", limits.MAX_REPLICAS))
    run.click()
    assert "MAX_EXPLORED_TASKS" in report.value and not chart.data


@pytest.mark.parametrize("instances", [10**10, 2**31])
def test_instances_marathon_refuses_are_its_refusal_not_the_task_budget(instances: int) -> None:
    """An app of more instances than Marathon reads (an int32) is refused as Marathon refuses
    it; the explorer had said that a real cluster would create them all."""
    app = f'{{"id":"/r","cmd":"x","cpus":0.1,"mem":8,"instances":{instances}}}'
    with pytest.raises(ManifestError, match=r"instances: .* error\.expected\.int") as refused:
        place(app)
    assert not isinstance(refused.value, LimitError)
    assert "create them all" not in str(refused.value)


def test_the_explorers_task_budget_counts_every_workload_and_one_per_node(monkeypatch) -> None:
    monkeypatch.setattr("clustersim.explore.MAX_EXPLORED_TASKS", 6)
    spec = {k: v for k, v in _deployment("agent", 1)["spec"].items() if k != "replicas"}
    daemons = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
               "spec": spec}
    assert place([_deployment("web", 2), daemons]).system == "kubernetes"  # 2 + 4 nodes
    with pytest.raises(LimitError, match=r"asks for 7 tasks \(DaemonSet agent: 4\)"):
        place([_deployment("web", 3), daemons])


def _compose(replicas: int) -> dict:
    return {"services": {"web": {"image": "nginx", "deploy": {"replicas": replicas}}}}


def _marathon(instances: int) -> dict:
    return {"id": "/web", "cmd": "sleep 1000", "cpus": 0.01, "mem": 16, "instances": instances}


def _job(parallelism: int) -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "batch"},
            "spec": {"parallelism": parallelism, "completions": parallelism,
                     "template": {"spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "c", "image": "busybox"}]}}}}


def _text(manifest: dict | list) -> str:
    return yaml.safe_dump_all(manifest) if isinstance(manifest, list) else yaml.safe_dump(manifest)


ADVICE = r"Lower (\S+) of \S+ (\S+) to ([\d,]+) or fewer"


@pytest.mark.parametrize(("manifest", "workload"), [
    ([_deployment("api", 100), _deployment("web", 600)],
     lambda m, name: next(d for d in m if d["metadata"]["name"] == name)),
    ([_job(900)], lambda m, name: m[0]),
    (_compose(800), lambda m, name: m["services"]["web"]),
    (_marathon(700), lambda m, name: m),
], ids=["deployments", "job", "compose", "marathon"])
def test_the_refusal_names_the_file_and_the_field_whose_lowering_it_asks_for(
        tmp_path: Path, manifest: dict | list, workload) -> None:
    """The refusal names the file, and following its advice (the field, the count) places."""
    path = tmp_path / ("big.json" if isinstance(manifest, dict) and "id" in manifest
                       else "big.yaml")
    path.write_text(_text(manifest), encoding="utf-8")
    with pytest.raises(LimitError, match=r"^big\.(json|yaml) asks for") as refused:
        place(path)
    field, name, count = re.search(ADVICE, str(refused.value)).groups()
    follow_the_advice_to_run_it_whole(str(refused.value), _text(manifest))
    *parents, last = field.split(".")
    target = workload(manifest, name)
    for part in parents:
        target = target[part]
    allowed = int(count.replace(",", ""))
    target[last] = allowed + 1                           # one more than it allows: refused
    if "completions" in target:
        target["completions"] = target[last]
    with pytest.raises(LimitError):
        place(_text(manifest))
    target[last] = allowed
    if "completions" in target:
        target["completions"] = allowed
    assert place(_text(manifest)).snapshot.tasks


def follow_the_advice_to_run_it_whole(message: str, text: str) -> None:
    """Run the code the refusal gives, as written: the cluster of demo nodes, the one of
    the nodes its example names, and the calls it lists on the whole manifest."""
    opened = re.search(r"(system = clustersim\.clusters\.open_system\(([^)]*)\))", message)
    example = re.search(r"such as (\[clustersim\.Node\(.*?\)\])", message)
    calls = re.findall(r"(system\.\w+\([^)]*\))", message)
    assert opened and example and calls, message
    for code in (opened[1], opened[1].replace(opened[2], f"{opened[2]}, {example[1]}")):
        names: dict = {"text": text}
        exec("import clustersim, clustersim.clusters\n" + code + "\n" + "\n".join(calls),
             names)
        assert names["system"].snapshot().tasks


def _workload(kind: str, spec: dict, **template_spec) -> dict:
    labels = {"app": "w"}
    body = {"selector": {"matchLabels": labels}, **spec,
            "template": {"metadata": {"labels": labels},
                         "spec": {"containers": [{"name": "c", "image": "nginx"}],
                                  **template_spec}}}
    api = "batch/v1" if kind == "Job" else "apps/v1"
    return {"apiVersion": api, "kind": kind, "metadata": {"name": "w"}, "spec": body}


@pytest.mark.parametrize(("kind", "spec", "template_spec", "expected"), [
    # the whereami sample's case: a service account that does not exist
    ("Deployment", {"replicas": 3}, {"serviceAccountName": "missing"},
     ["No Pod was created: the API server refused the creates", "(FailedCreate on "
      "replicaset/w-", 'serviceaccount "missing" not found']),
    ("Job", {"suspend": True, "completions": 3}, {"restartPolicy": "Never"},
     ["The Job is suspended (spec.suspend: true"]),
    ("DaemonSet", {}, {"nodeSelector": {"disk": "none-has-it"}},
     ["wants 0 Pods (desiredNumberScheduled: 0)"]),
    # nothing failed: it asks for none (the explorer had said no Pod was created in 120 s)
    ("Deployment", {"replicas": 0}, {}, ["The Deployment asks for 0 replicas"]),
    ("StatefulSet", {"replicas": 0, "serviceName": "w"}, {},
     ["The StatefulSet asks for 0 replicas"]),
])
def test_a_workload_without_a_single_pod_says_why(kind, spec, template_spec, expected) -> None:
    """The explorer had said 'Every task found a place.' when no Pod was ever created."""
    from clustersim.widgets.explorer import placement_html
    placement = place(_workload(kind, spec, **template_spec))
    assert not placement.snapshot.tasks and not placement.waiting
    [(workload, why)] = placement.unstarted
    assert workload.startswith(f"{kind}/w")
    for words in expected:
        assert words in why
    text = placement_html(placement)
    assert "Every task found a place" not in text and "Without a single task" in text


@pytest.mark.parametrize(("schedule", "due"), [
    ("0 * * * *", "2026-01-01T01:00:00Z (t = 3600 s; schedule '0 * * * *')"),
    ("30 4 * * 1", "2026-01-05T04:30:00Z (t = 361800 s; schedule '30 4 * * 1')"),
])
def test_a_cronjob_that_has_not_fired_yet_says_when_it_will(schedule, due) -> None:
    """The explorer had said 'No Pod was created in 120 simulated seconds', which reads as a
    failure, for a CronJob whose first scheduled time lies after the explored run (the
    cluster's calendar starts on Thursday 2026-01-01 00:00 UTC)."""
    job = _workload("Job", {}, restartPolicy="Never")["spec"]
    job.pop("selector")
    cronjob = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "w"},
               "spec": {"schedule": schedule, "jobTemplate": {"spec": job}}}
    [(workload, why)] = place(cronjob).unstarted
    assert workload == "CronJob/w"
    assert why.startswith(f"The CronJob's first run is due at {due}")


def test_a_cronjob_that_never_fires_says_so() -> None:
    """A schedule naming no real day (robfig/cron finds no run within five years) had made
    the explorer's run fail with "never fires"; the API server stores it and the controller
    warns ``InvalidSchedule``."""
    job = _workload("Job", {}, restartPolicy="Never")["spec"]
    job.pop("selector")
    cronjob = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "w"},
               "spec": {"schedule": "0 0 31 4 *", "jobTemplate": {"spec": job}}}
    [(workload, why)] = place(cronjob).unstarted
    assert (workload, why) == ("CronJob/w", "The CronJob's schedule '0 0 31 4 *' names no day "
                               "that comes within five years (e.g. the 31st of a 30-day "
                               "month): the controller warns InvalidSchedule and starts no Job")


def test_a_daemonset_shows_the_pods_its_controller_wants_even_when_creates_fail() -> None:
    """The replicas column had shown None for a DaemonSet; and a refused create had kept the
    controller from writing its status, as upstream's syncDaemonSet does either way."""
    from clustersim.widgets.explorer import placement_html
    fits = place(_workload("DaemonSet", {}))
    refused = place(_workload("DaemonSet", {}, serviceAccountName="missing"))
    nodes = len({t.node for t in fits.snapshot.tasks if t.node})   # one Pod on each it fits
    assert nodes > 0
    for placement in (fits, refused):
        assert placement.desired == {"DaemonSet/w": nodes}
        assert f"<td>{nodes} (one per node it fits)</td>" in placement_html(placement)
    assert "None" not in placement_html(refused)


def test_a_source_without_workloads_is_not_said_to_have_placed_every_task() -> None:
    from clustersim.widgets.explorer import placement_html
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
               "spec": {"selector": {"app": "w"}, "ports": [{"port": 80}]}}
    assert "nothing to place" in placement_html(place(service))


def test_a_marathon_app_for_dcos_public_agents_is_placed_as_dcos_runs_it() -> None:
    """dcos/examples' and marathon-lb's apps with acceptedResourceRoles ["slave_public"] had
    been refused by the explorer's Marathon of role '*', though DC/OS (--mesos_role
    slave_public) loads them; another role is still refused."""
    from clustersim.marathon.roles import AcceptedRolesError
    app = {"id": "/edge", "instances": 1, "cpus": 0.5, "mem": 128, "cmd": "sleep 3600",
           "acceptedResourceRoles": ["slave_public"]}
    placement = place(app)
    assert placement.system == "marathon" and not placement.waiting
    assert [t.node for t in placement.snapshot.tasks] == ["public-agent-1"]
    assert any(n.startswith("/edge: its acceptedResourceRoles name 'slave_public'")
               and "--mesos_role slave_public" in n for n in placement.notes)
    with pytest.raises(AcceptedRolesError, match="not 'prod'"):
        place({**app, "acceptedResourceRoles": ["prod"]})



RESIDENT_APP = {"id": "/db", "cmd": "serve", "cpus": 0.5, "mem": 32, "instances": 1,
                "container": {"type": "MESOS", "volumes": [
                    {"containerPath": "data", "mode": "RW", "persistent": {"size": 10}}]}}


def test_a_resident_app_is_refused_with_its_file_and_what_to_edit(tmp_path) -> None:
    """The refusal lacked the file name every loader error starts with and suggested
    Marathon(role=...), which neither place() nor the explorer can set."""
    path = tmp_path / "db.json"
    path.write_text(json.dumps(RESIDENT_APP, indent=2))
    with pytest.raises(ManifestError) as caught:
        place(path)
    words = str(caught.value)
    assert words.startswith("db.json, role: /db is resident") and "Marathon(role=" not in words
    assert '"id": "/storage/db"' in words
    edited = {**RESIDENT_APP, "id": "/storage/db", "role": "storage"}   # what it advises
    assert place(json.dumps(edited, indent=2), name="edit").snapshot.tasks


_BINDS_ITS_REPOSITORY = """services:
  prometheus:
    image: prom/prometheus
    volumes:
      - ./prometheus/:/etc/prometheus/
    deploy:
      placement:
        constraints: [node.role == manager]
  exporter:
    image: prom/node-exporter
    volumes:
      - ./exporter.yml:/etc/exporter.yml
    deploy:
      placement:
        constraints: [node.role == worker]
"""


def test_a_stack_binding_its_own_files_is_placed_as_deployed_from_a_checkout_on_managers(
) -> None:
    """Swarm's daemons refuse a bind source their host lacks; a stack binding files of its
    own repository (vegasbrianc-prometheus's ``./prometheus/``) had every task rejected in
    the explorer, on every node. It is placed as deployed from a checkout on the managers,
    with a note; a task bound to a worker is still rejected there, as on a real swarm."""
    placed = place(_BINDS_ITS_REPOSITORY, name="binds.yml", until=30)
    rejected = {e.object for e in placed.events if "bind source path does not exist"
                in e.message}
    assert rejected and all("exporter" in name for name in rejected)
    running = {t.owner: t.node for t in placed.snapshot.tasks if t.state == "RUNNING"}
    assert running["binds_prometheus"].startswith("manager")
    [note] = [n for n in placed.notes if "relative path" in n]
    assert "/exporter.yml, /prometheus" in note and "every manager" in note


def test_a_stack_from_the_menu_is_named_after_its_file_not_its_label() -> None:
    """The explorer placed the Swarm example as exampleshopswarm_api (an edit of it as
    youreditofexampleshopswarm_api): its label, not shop.yml, named the stack, where the
    labs and ``docker stack deploy -c shop.yml shop`` give shop_api."""
    text = example_path("swarm").read_text(encoding="utf-8")
    placed = place(text, name="your edit of example: shop (swarm)",
                   stack_file=example_path("swarm").name)
    assert {t.owner for t in placed.snapshot.tasks} == {
        f"shop_{tier}" for tier in ("db", "cache", "api", "frontend")}
    app = manifest_explorer()
    choice, text_box, run, report, chart = app.widget.children
    choice.value = "example: shop (swarm)"
    text_box.value = text_box.value.replace("replicas: 3", "replicas: 4", 1)
    run.click()
    hover = json.dumps([trace.to_plotly_json() for trace in chart.data])
    assert "shop_api" in hover and "exampleshop" not in hover + report.value
