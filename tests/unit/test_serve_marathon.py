"""Marathon's REST API v2, driven by the ``marathon`` client (pinned) and by plain HTTP,
compared with the simulated framework's own state."""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import marathon
import pytest
import requests
from marathon.exceptions import ConflictError, MarathonHttpError, NotFoundError
from marathon.models import MarathonApp

from clustersim import Node
from clustersim.examples import example_path
from clustersim.marathon import Marathon
from clustersim.marathon.groups import DependencyCycleError
from clustersim.mesos import MesosCluster
from clustersim.serve import serve
from clustersim.serve.core import REANCHOR_AFTER


@pytest.fixture
def server():
    with serve("marathon", nodes=3, speed=0) as server:
        yield server


@pytest.fixture
def client(server):
    return marathon.MarathonClient(server.url)


def _framework(server):
    return server.backend.marathon


def test_the_clients_nested_objects_need_the_readmes_one_line_fix(server, client,
                                                                     monkeypatch):
    """marathon 0.13.0 (its last release) looks up ``collections.Iterable``, gone since
    Python 3.10, when it encodes a nested object such as a constraint: the README says so and
    gives the one-line fix; with it, the client creates, reads and updates such an app."""
    import collections
    import collections.abc

    from marathon.models.constraint import MarathonConstraint
    app = MarathonApp(cmd="sleep 1000", cpus=0.1, mem=32, instances=2,
                      constraints=[MarathonConstraint("hostname", "UNIQUE")])
    if not hasattr(collections, "Iterable"):
        with pytest.raises(AttributeError, match="'collections' has no attribute 'Iterable'"):
            client.create_app("web", app)
    monkeypatch.setattr(collections, "Iterable", collections.abc.Iterable, raising=False)
    client.create_app("web", app)
    server.step(30)
    found = client.get_app("web")
    assert [c.json_repr() for c in found.constraints] == [["hostname", "UNIQUE"]]
    found.instances = 3
    client.update_app("web", found)
    server.step(30)
    assert client.get_app("web").tasks_running == 3
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "collections.Iterable = collections.abc.Iterable" in readme


def test_the_banner_says_health_checks_pass_and_images_pull(server):
    """A failing HTTP check or an image no registry has succeeds on the served Marathon:
    the banner says so, and where the book explains it."""
    banner = server.instructions().splitlines()
    assert any("health checks always pass" in line and "images always pull" in line
               and "book/toy-to-real.md" in line for line in banner)
    assert (Path(__file__).parents[2] / "book" / "toy-to-real.md").read_text().count(
        "`Marathon.set_health`") == 1


def test_info_leader_ping(server, client):
    assert client.get_info().version == "1.11.24"
    assert client.get_leader() == {"leader": f"127.0.0.1:{server.port}"}
    assert requests.get(f"{server.url}/ping", timeout=10).text == "pong"


@pytest.mark.parametrize(("method", "path", "status", "body"), [
    ("GET", "/v2/plugins", 200, {"plugins": []}),
    ("HEAD", "/v2/plugins", 200, None),
    ("POST", "/v2/plugins", 405, {"message": "Method Not Allowed"}),
    ("GET", "/v2/plugins/auth/login", 404, {"message": "No plugin with this pluginId: auth"}),
    ("POST", "/v2/plugins/auth/a/b", 404, {"message": "No plugin with this pluginId: auth"}),
    ("GET", "/v2/plugins/auth", 404, {"message": "URI not found"}),
])
def test_plugins_are_listed_as_plugins_resource_lists_none(server, method, path, status, body):
    """``PluginsResource``: the list had answered 404; with no plugin loaded it is
    ``{"plugins": []}``, and a plugin's routes name the unknown plugin."""
    response = requests.request(method, f"{server.url}{path}", timeout=10)
    assert response.status_code == status
    assert (response.json() if body is not None else response.text) == (body or "")


def test_info_shows_the_configuration_as_info_resource_writes_it(server, client):
    """``GET /v2/info`` lists every flag ``InfoResource`` writes: the ZooKeeper settings
    ``types/info.raml`` requires (it gave only ``zk``), an unset flag as null, the offer
    settings the simulator runs with, and no ``event_subscriber`` (gone with the HTTP
    callbacks); the pinned client reads each of them."""
    info = requests.get(f"{server.url}/v2/info", timeout=10).json()
    assert "event_subscriber" not in info
    zookeeper = info["zookeeper_config"]
    assert {"zk_timeout", "zk_connection_timeout", "zk_session_timeout",
            "zk_max_versions"} <= set(zookeeper)
    settings = info["marathon_config"]
    framework = server.backend.marathon
    assert settings["decline_offer_duration"] == framework.decline_offer_duration * 1000
    assert settings["max_instances_per_offer"] == framework.max_instances_per_offer
    assert settings["webui_url"] is None and settings["features"] == []
    read = client.get_info()
    assert read.zookeeper_config.zk_max_versions == zookeeper["zk_max_versions"]
    assert read.marathon_config.task_lost_expunge_interval == 30000
    assert read.framework_id == info["frameworkId"] == framework.framework_id
    # the port the server listens on (the system's choice here), not Marathon's default
    assert server.port != 8080
    assert info["http_config"]["http_port"] == server.port
    assert info["leader"] == f"{settings['hostname']}:{server.port}" == read.leader


def test_the_leader_abdicates_and_is_elected_again(server, client):
    """``DELETE /v2/leader`` (leader.raml): 200 ``Leadership abdicated`` (it answered 405);
    the only Marathon leads again, keeps its apps and arms the timers of its new leadership
    (it kept those of the first): the new leader's first scale check
    (``--scale_apps_initial_delay``, 15 s after it leads) kills the 4 surplus tasks a
    forced cancel of a restart left, long before the first leader's next one (315 s)."""
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=16, instances=4))
    server.step(30)
    restart = client.restart_app("/web", force=True)
    client.delete_deployment(restart["deploymentId"], force=True)
    server.step(100 - server.backend.now)
    answer = requests.delete(f"{server.url}/v2/leader", timeout=10)
    assert (answer.status_code, answer.json()) == (200, {"message": "Leadership abdicated"})
    assert client.get_leader() == {"leader": f"127.0.0.1:{server.port}"}
    assert [a.id for a in client.list_apps()] == ["/web"]
    server.step(14)
    assert client.get_app("/web").tasks_running == 8
    server.step(2)
    assert client.get_app("/web").tasks_running == 4


def test_create_app_runs_tasks_on_agents(server, client):
    app = client.create_app("/web", MarathonApp(cmd="serve", cpus=0.5, mem=128, instances=3))
    assert app.id == "/web" and app.instances == 3 and app.deployments
    server.step(30)
    tasks = client.list_tasks("/web")
    instances = _framework(server).instances("/web")
    assert sorted(t.host for t in tasks) == sorted(i.hostname for i in instances)
    assert {t.state for t in tasks} == {"TASK_RUNNING"}
    assert client.get_app("/web").tasks_running == 3
    assert [a.id for a in client.list_apps()] == ["/web"]
    assert client.list_deployments() == []


def test_duplicate_app_is_a_conflict_and_missing_app_not_found(server, client):
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
    with pytest.raises(ConflictError, match=r"An app with id \[/web\] already exists"):
        client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
    with pytest.raises(NotFoundError, match="App '/nope' does not exist"):
        client.get_app("/nope")


def test_scale_restart_delete_and_the_deployment_lock(server, client):
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32, instances=2))
    server.step(30)
    result = client.scale_app("/web", instances=4)
    assert set(result) == {"version", "deploymentId"}
    server.step(30)
    assert client.get_app("/web").tasks_running == 4 == len(_framework(server).instances("/web"))
    client.restart_app("/web")
    with pytest.raises(ConflictError, match="locked by one or more deployments"):
        client.scale_app("/web", instances=1)
    client.delete_app("/web", force=True)
    server.step(30)
    assert client.list_apps() == [] and client.list_tasks() == []


def test_queue_shows_an_app_that_does_not_fit(server, client):
    client.create_app("/big", MarathonApp(cmd="x", cpus=64, mem=32))
    server.step(10)
    [item] = client.list_queue()
    assert item.app.id == "/big" and item.count == 1
    assert _framework(server).queue()[0]["count"] == 1


def test_the_queue_reports_the_offers_of_the_launch_attempt(pinned):
    """``processedOffersSummary`` as ``QueueInfoConversion`` writes it: the offers processed
    and left unused since the launch attempt began (``since``, which stays put), when one
    was last left unused, and the funnel of ``NoOfferMatchReason``: every reason with the
    offers it declined and those that reached it. The simulator gave ``since`` as the time of
    the request, no counts, and only the reasons seen, each as processed as declined."""
    client = marathon.MarathonClient(pinned.url)
    client.create_app("/big", MarathonApp(cmd="x", cpus=64, mem=32, instances=2))
    pinned.step(5)
    [first] = client.list_queue()
    pinned.step(5)
    [item] = client.list_queue()
    summary = item.processed_offers_summary
    assert item.since == first.since <= summary["lastUnusedOfferAt"] < _stamp(EPOCH + 10)
    assert (summary["processedOffersCount"], summary["unusedOffersCount"]) == (3, 3)
    assert "lastUsedOfferAt" not in summary
    for funnel in ("rejectSummaryLastOffers", "rejectSummaryLaunchAttempt"):
        steps = [(s["reason"], s["declined"], s["processed"]) for s in summary[funnel]]
        assert steps == [("UnfulfilledRole", 0, 3), ("UnfulfilledConstraint", 0, 3),
                         ("NoCorrespondingReservationFound", 0, 3), ("InsufficientCpus", 3, 3),
                         ("InsufficientMemory", 0, 0), ("InsufficientDisk", 0, 0),
                         ("InsufficientGpus", 0, 0), ("InsufficientPorts", 0, 0)]
    client.scale_app("/big", 0, force=True)       # the attempt ends; the next starts afresh
    pinned.step(130)
    client.scale_app("/big", 1, force=True)
    pinned.step(5)
    [again] = client.list_queue()
    assert again.since > item.since and again.processed_offers_summary[
        "processedOffersCount"] == 3


def test_an_offer_is_declined_for_the_first_reason_of_the_funnel(server, client):
    """An offer that fails both the constraint and the CPUs counts as
    ``UnfulfilledConstraint``: Marathon gathers every reason and counts the first of
    ``NoOfferMatchReason.reasonFunnel`` (constraints before resources); the simulator
    checked the resources first and said ``InsufficientCpus``."""
    requests.post(f"{server.url}/v2/apps", json={
        "id": "/big", "cmd": "x", "cpus": 64, "mem": 16,
        "constraints": [["hostname", "LIKE", "nowhere"]]}, timeout=10)
    server.step(10)
    [item] = client.list_queue()
    steps = {s["reason"]: s["declined"]
             for s in item.processed_offers_summary["rejectSummaryLaunchAttempt"]}
    assert (steps["UnfulfilledConstraint"], steps["InsufficientCpus"]) == (3, 0)
    assert set(_framework(server).queue()[0]["rejections"]) == {"UnfulfilledConstraint"}


def test_an_unused_offer_lists_every_reason_in_the_matchers_order(server):
    """``lastUnusedOffers`` gives each offer every ``NoOfferMatchReason`` that applies, as
    ``ResourceMatcher.matchResources`` adds them: the scalars the offer lacks (none of its
    resources is of an accepted role, so each one needed), then the role, then the
    constraint. The offer still counts once, under the first reason of the funnel
    (``UnfulfilledRole``): the app takes only resources reserved for its role, ``dev``, and
    the agents offer unreserved ones. The simulator listed that one reason only."""
    posted = requests.post(f"{server.url}/v2/apps", json={
        "id": "/dev/big", "cmd": "x", "cpus": 64, "mem": 16, "role": "dev",
        "acceptedResourceRoles": ["dev"], "constraints": [["hostname", "LIKE", "nowhere"]]},
        timeout=10)
    assert posted.status_code == 201, posted.text
    server.step(10)
    [item] = requests.get(f"{server.url}/v2/queue?embed=lastUnusedOffers",
                          timeout=10).json()["queue"]
    assert len(item["lastUnusedOffers"]) == 3
    for unused in item["lastUnusedOffers"]:
        assert unused["reason"] == ["InsufficientCpus", "InsufficientMemory", "UnfulfilledRole",
                                    "UnfulfilledConstraint"]
    summary = item["processedOffersSummary"]
    for funnel, offers in (("rejectSummaryLastOffers", 3),
                           ("rejectSummaryLaunchAttempt", summary["unusedOffersCount"])):
        declined = {s["reason"]: s["declined"] for s in summary[funnel] if s["declined"]}
        assert declined == {"UnfulfilledRole": offers}


def test_a_deployments_current_actions_carry_readiness_check_results(server):
    """``DeploymentActionInfo`` (deployment.raml) has ``readinessCheckResults``: none for an
    app without readiness checks, and for one with them each new task with the check's name
    and whether it is ready. The simulator's current actions had no such field."""
    url = server.url
    requests.post(f"{url}/v2/apps", json={
        "id": "/web", "cmd": "x", "cpus": 0.1, "mem": 16, "instances": 2,
        "portDefinitions": [{"port": 0, "name": "http"}],
        "readinessChecks": [{"name": "ready", "portName": "http", "intervalSeconds": 30,
                             "timeoutSeconds": 10}]}, timeout=10)
    requests.post(f"{url}/v2/apps", json={"id": "/plain", "cmd": "x", "cpus": 64, "mem": 16},
                  timeout=10)                      # fits no agent: its deployment stays
    server.step(5)
    actions = {a["app"]: a for d in requests.get(f"{url}/v2/deployments", timeout=10).json()
               for a in d["currentActions"]}
    tasks = sorted(t["id"] for t in requests.get(f"{url}/v2/apps/web/tasks",
                                                 timeout=10).json()["tasks"])
    assert actions["/web"]["readinessCheckResults"] == [
        {"name": "ready", "taskId": task, "ready": False} for task in tasks]
    assert actions["/plain"]["readinessCheckResults"] == []


def test_groups_over_plain_http(server):
    # the client's create_group fails on Python ≥ 3.10 (collections.Iterable), so plain HTTP
    text = example_path("marathon").read_text()
    response = requests.post(f"{server.url}/v2/groups", data=text,
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 201 and "deploymentId" in response.json()
    server.step(120)
    root = requests.get(f"{server.url}/v2/groups", timeout=10).json()
    ids = sorted(a["id"] for g in _walk(root) for a in g["apps"])
    assert ids == sorted(i for i, k in _framework(server).root.kinds.items() if k == "App")
    # not the client's get_group: marathon-python 0.13.0 predates Marathon 1.9.32's
    # enforceRole on top-level groups, and refuses it (thefactory/marathon-python#280)
    top = root["groups"][0]["id"]
    group = requests.get(f"{server.url}/v2/groups{top}", timeout=10).json()
    assert group["id"] == top and group["enforceRole"] is False


def test_posting_a_group_that_exists_gets_marathons_conflicts(server):
    """``GroupsResource.createWithPath``: 409 ``Group /x is already created. Use PUT to
    change this group.`` (the root always exists, so a group without an id is refused), or
    ``An app with the path /x already exists.``; the simulator said ``A group with id [/x]
    already exists.``, and created the root's apps from a group without an id."""
    url = f"{server.url}/v2/groups"
    app = {"id": "a", "cmd": "x", "cpus": 0.1, "mem": 16}
    assert requests.post(url, json={"id": "/shop", "apps": [app]}, timeout=10).status_code == 201
    requests.post(f"{server.url}/v2/apps", json={"id": "/web", "cmd": "x", "cpus": 0.1,
                                                 "mem": 16}, timeout=10)
    for body, message in [
            ({"id": "/shop", "apps": []}, "Group /shop is already created. Use PUT to change "
                                          "this group."),
            ({"apps": [app]}, "Group / is already created. Use PUT to change this group."),
            ({"id": "web"}, "An app with the path /web already exists.")]:
        answer = requests.post(url, json=body, timeout=10)
        assert (answer.status_code, answer.json()) == (409, {"message": message})
    assert "/a" not in _framework(server).root.run_specs


def test_a_posted_groups_id_is_relative_to_the_path(server):
    """``POST /v2/groups/shop`` with ``{"id": "web"}`` creates ``/shop/web`` (the body's id
    canonical against the path's, ``createWithPath``); the simulator replaced the body's id by
    the path's, and refused it: /shop exists."""
    url = f"{server.url}/v2/groups"
    app = {"id": "a", "cmd": "x", "cpus": 0.1, "mem": 16}
    requests.post(url, json={"id": "/shop", "apps": [app]}, timeout=10)
    assert requests.post(f"{url}/shop", json={"id": "web", "apps": [app]},
                         timeout=10).status_code == 201
    assert requests.post(f"{url}/shop/api", json={"apps": [app]}, timeout=10).status_code == 201
    kinds = _framework(server).root.kinds
    assert {i for i, k in kinds.items() if k == "App"} == {
        "/shop/a", "/shop/web/a", "/shop/api/a"}


def test_each_change_names_its_deployment_in_a_header(server):
    """``RestResource.deploymentResult`` and the creation of an app or a pod set
    ``Marathon-Deployment-Id`` to the deployment the change started (the id the body's
    ``deploymentId`` or the app's ``deployments`` gives); the simulator sent none."""
    url = server.url
    app = {"id": "/web", "cmd": "x", "cpus": 0.1, "mem": 16}
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 16}}]}
    created = requests.post(f"{url}/v2/apps", json=app, timeout=10)
    assert created.headers["Marathon-Deployment-Id"] == created.json()["deployments"][0]["id"]
    server.step(30)
    changes = [requests.put(f"{url}/v2/apps/web", json={"instances": 2}, timeout=10),
               requests.post(f"{url}/v2/apps/web/restart?force=true", timeout=10),
               requests.post(f"{url}/v2/groups", json={"id": "/g"}, timeout=10),
               requests.delete(f"{url}/v2/apps/web", timeout=10)]
    for change in changes:
        assert change.headers["Marathon-Deployment-Id"] == change.json()["deploymentId"]
    started = requests.post(f"{url}/v2/pods", json=pod, timeout=10).headers
    ids = [d.id for d in _framework(server).deployments]
    assert started["Marathon-Deployment-Id"] == ids[-1] and len(set(ids)) == len(ids)


def test_deleting_an_app_is_forced_unless_the_request_says_otherwise(server, client):
    """``AppsResource.delete`` reads ``force`` with ``@DefaultValue("true")``: an app whose
    deployment is running is removed (the simulator answered 409 "App is locked"); with
    ``?force=false`` (the marathon client's default) the lock holds, and a group's delete
    (``GroupsResource.delete``, default false) keeps it."""
    url = server.url
    for app_id in ("/a", "/b", "/g/c"):
        requests.post(f"{url}/v2/apps", json={"id": app_id, "cmd": "x", "cpus": 0.1,
                                              "mem": 16, "instances": 2}, timeout=10)
    with pytest.raises(ConflictError, match="App is locked by one or more deployments"):
        client.delete_app("/b")
    assert requests.delete(f"{url}/v2/groups/g", timeout=10).status_code == 409
    removed = requests.delete(f"{url}/v2/apps/a", timeout=10)
    assert removed.status_code == 200
    server.step(30)
    assert sorted(client.list_apps(), key=lambda a: a.id)[0].id == "/b"
    assert "/a" not in _framework(server).root.run_specs


def test_an_app_with_a_groups_id_gets_marathons_words(server):
    """``RootGroup.validRootGroup`` (``noAppsAndGroupsWithSameName``): 422 ``Groups and
    Applications may not have the same identifier.``, for an app posted with a group's id
    and for one inside an app's id (its group would be the app); the simulator answered its
    own sentences. The Python API's message names the id too."""
    url = server.url
    requests.post(f"{url}/v2/groups", json={"id": "/shop", "apps": [
        {"id": "db", "cmd": "x", "cpus": 0.1, "mem": 16}]}, timeout=10)
    refusal = {"message": "Object is not valid", "details": [
        {"path": "/", "errors": ["Groups and Applications may not have the same identifier."]}]}
    for app_id in ("/shop", "/shop/db/x"):
        answer = requests.post(f"{url}/v2/apps", json={"id": app_id, "cmd": "x", "cpus": 0.1,
                                                        "mem": 16}, timeout=10)
        assert (answer.status_code, answer.json()) == (422, refusal)
    with pytest.raises(ValueError, match="identifier: '/shop' is a group and an app"):
        _framework(server).deploy({"id": "/shop", "cmd": "x", "cpus": 0.1, "mem": 16})


def test_a_created_app_is_answered_with_no_task_counted(server, client):
    """``AppsResource.create`` answers the new app as created (``TaskCounts.zero``, no
    task) with the deployment it started, the id of the ``Marathon-Deployment-Id`` header;
    the simulator counted the task it staged while answering (``tasksStaged: 1``), left out
    ``tasks``, and listed no deployment when the deployment had already finished (an app of
    0 instances). The marathon client reads the same answer into its ``MarathonApp``."""
    for instances in (2, 0):
        answer = requests.post(f"{server.url}/v2/apps", json={
            "id": f"/web{instances}", "cmd": "x", "cpus": 0.1, "mem": 16,
            "instances": instances}, timeout=10)
        app = answer.json()
        assert [app[k] for k in ("tasksStaged", "tasksRunning", "tasksHealthy",
                                 "tasksUnhealthy", "tasks")] == [0, 0, 0, 0, []]
        assert app["deployments"] == [{"id": answer.headers["Marathon-Deployment-Id"]}]
        assert app["instances"] == instances
    made = client.create_app("/none", MarathonApp(cmd="x", cpus=0.1, mem=16, instances=0))
    started = _framework(server).deployments[-1].id
    assert (made.tasks, [d.id for d in made.deployments]) == ([], [started])


def test_a_put_groups_id_is_relative_to_the_path(server):
    """``PUT /v2/groups`` with ``{"id": "/shop", ...}`` changes /shop (``GroupsResource.
    update``: the body's id canonical against the path's); the simulator replaced the root
    group with the body instead, stopping every app at the root."""
    url = server.url
    app = {"id": "a", "cmd": "x", "cpus": 0.1, "mem": 16}
    requests.post(f"{url}/v2/apps", json={"id": "/keep", "cmd": "x", "cpus": 0.1, "mem": 16},
                  timeout=10)
    assert requests.put(f"{url}/v2/groups?force=true", json={"id": "/shop", "apps": [app]},
                        timeout=10).status_code == 200
    assert requests.put(f"{url}/v2/groups/shop?force=true", json={"id": "web", "apps": [app]},
                        timeout=10).status_code == 200
    server.step(30)
    apps = {i for i, k in _framework(server).root.kinds.items() if k == "App"}
    assert apps == {"/keep", "/shop/a", "/shop/web/a"}


def test_a_dry_run_of_a_group_change_shows_its_steps_and_changes_nothing(server):
    """``PUT /v2/groups/<id>?dryRun=true`` (``GroupsResource.update``) answers the
    deployment's ``steps`` and changes nothing; the simulator ignored ``dryRun`` and
    deployed the change."""
    url = server.url
    requests.post(f"{url}/v2/groups", json={"id": "/shop", "apps": [
        {"id": "db", "cmd": "x", "cpus": 0.1, "mem": 16}]}, timeout=10)
    server.step(30)
    before = len(_framework(server).deployments)
    app = {"id": "web", "cmd": "x", "cpus": 0.1, "mem": 16, "dependencies": ["/shop/db"]}
    dry = requests.put(f"{url}/v2/groups/shop?dryRun=true", json={"apps": [app]}, timeout=10)
    assert (dry.status_code, dry.json()) == (200, {"steps": [
        {"actions": [{"action": "StopApplication", "app": "/shop/db"}]},
        {"actions": [{"action": "StartApplication", "app": "/shop/web"}]},
        {"actions": [{"action": "ScaleApplication", "app": "/shop/web"}]}]})
    scaled = requests.put(f"{url}/v2/groups/shop?dryRun=true", json={"scaleBy": 3}, timeout=10)
    assert scaled.json() == {"steps": [
        {"actions": [{"action": "ScaleApplication", "app": "/shop/db"}]}]}
    assert len(_framework(server).deployments) == before
    assert set(_framework(server).root.run_specs) == {"/shop/db"}


def test_a_groups_apps_and_a_queued_app_carry_only_what_is_embedded(server):
    """``GroupsResource.group`` embeds apps, pods and groups by default and gives each app
    only what ``group.apps.*`` asks (no counts, no deployments by default); ``GET /v2/queue``
    gives the app's definition (``QueueApp.app`` is an ``App``). The simulator added the
    counts and deployments everywhere and ignored the group's embeds."""
    url = server.url
    requests.post(f"{url}/v2/groups", json={"id": "/shop", "apps": [
        {"id": "db", "cmd": "x", "cpus": 0.1, "mem": 16},
        {"id": "big", "cmd": "x", "cpus": 64, "mem": 16}]}, timeout=10)
    server.step(30)

    def shop(query: str = "") -> dict:
        root = requests.get(f"{url}/v2/groups{query}", timeout=10).json()
        return next(g for g in root.get("groups", [root]) if g["id"] == "/shop")

    assert [a["id"] for a in shop()["apps"]] == ["/shop/db", "/shop/big"]
    assert not any({"tasksRunning", "deployments", "tasks"} & set(a) for a in shop()["apps"])
    counted = shop("?embed=group.groups&embed=group.apps&embed=group.apps.counts")["apps"]
    assert [(a["tasksRunning"], "deployments" in a) for a in counted] == [(1, False),
                                                                          (0, False)]
    with_tasks = requests.get(f"{url}/v2/groups/shop?embed=group.apps&embed=group.apps.tasks",
                              timeout=10).json()
    assert "groups" not in with_tasks and "pods" not in with_tasks
    assert [len(a["tasks"]) for a in with_tasks["apps"]] == [1, 0]
    assert [len(a["deployments"]) for a in with_tasks["apps"]] == [1, 1]   # big holds it
    [queued] = requests.get(f"{url}/v2/queue", timeout=10).json()["queue"]
    assert queued["app"]["id"] == "/shop/big" and "tasksRunning" not in queued["app"]


def _walk(group):
    yield group
    for child in group["groups"]:
        yield from _walk(child)


@pytest.mark.parametrize("segments", [600, 999])
def test_an_id_too_deep_to_store_is_refused_and_every_route_still_answers(server, segments):
    """An app id of 600 segments was created and then broke ``GET /v2/groups`` (500,
    ``RecursionError``) for good; one of 999 broke its own ``POST``. Marathon stores both and
    cannot load its group tree again (``pathid.MAX_SEGMENTS``): 422 at ``/id`` here, and an
    id of 100 segments is created, listed, deleted and its groups removed."""
    url, deep = server.url, "/" + "/".join(["s"] * segments)
    app = {"cmd": "x", "cpus": 0.1, "mem": 16}
    refused = requests.post(f"{url}/v2/apps", json={"id": deep, **app}, timeout=30)
    assert refused.status_code == 422 and refused.json()["details"][0]["path"] == "/id"
    assert f"at most 100 segments, not {segments}" in refused.json()["details"][0]["errors"][0]
    assert requests.get(f"{url}/v2/groups", timeout=30).json()["groups"] == []
    assert requests.get(f"{url}/v2/groups/s", timeout=30).status_code == 404
    assert requests.delete(f"{url}/v2/apps{deep}", timeout=30).status_code == 404
    deepest = "/" + "/".join(["s"] * 100)
    assert requests.post(f"{url}/v2/apps", json={"id": deepest, **app},
                         timeout=30).status_code == 201
    tree = requests.get(f"{url}/v2/groups", timeout=30).json()
    assert [a["id"] for g in _walk(tree) for a in g["apps"]] == [deepest]
    assert requests.delete(f"{url}/v2/apps{deepest}", timeout=30).status_code == 200
    assert requests.delete(f"{url}/v2/groups/s", timeout=30).status_code == 200
    assert requests.get(f"{url}/v2/groups", timeout=30).json()["groups"] == []


def test_errors_have_marathons_shape(server):
    url = server.url
    bad = requests.post(f"{url}/v2/apps", data="{bad",
                        headers={"Content-Type": "application/json"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["message"] == "Invalid JSON"
    invalid = requests.post(f"{url}/v2/apps", json={"id": "/x", "cpus": "lots"}, timeout=10)
    assert invalid.status_code == 422 and invalid.json() == {"message": "Invalid JSON", "details": [
        {"path": "/cpus", "errors": ["error.expected.jsnumber"]}]}
    wrong = requests.post(f"{url}/v2/apps", data="id: x",
                          headers={"Content-Type": "text/yaml"}, timeout=10)
    assert wrong.status_code == 415
    nope = requests.get(f"{url}/v2/nope", timeout=10)     # Jersey's NotFoundException
    assert nope.status_code == 404 and nope.json() == {"message": "URI not found"}
    assert requests.get(f"{url}/v2/pods", timeout=10).json() == []
    assert _framework(server).root.run_specs == {}


def test_pods_create_status_conflict_delete(server):
    pod = {"id": "/p", "scaling": {"kind": "fixed", "instances": 2},
           "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32},
                           "exec": {"command": {"shell": "sleep 1000"}}}]}
    created = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    assert created.status_code == 201 and created.json()["id"] == "/p"
    server.step(30)
    status = requests.get(f"{server.url}/v2/pods/p::status", timeout=10).json()
    assert status["status"] == "STABLE"
    assert [i["status"] for i in status["instances"]] == ["STABLE", "STABLE"]
    assert len(_framework(server).instances("/p")) == 2
    again = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    assert (again.status_code, again.json()) == (
        409, {"message": "A pod with id [/p] already exists."})
    deleted = requests.delete(f"{server.url}/v2/pods/p", timeout=10)
    assert (deleted.status_code, deleted.content) == (202, b"")
    assert deleted.headers["Location"] == deleted.headers["Marathon-Deployment-Id"]
    assert deleted.headers["Location"] == _framework(server).deployments[-1].id
    server.step(30)
    assert requests.get(f"{server.url}/v2/pods", timeout=10).json() == []


def test_a_pod_is_answered_as_marathon_writes_it(server):
    """``POST``/``GET /v2/pods`` echoed the posted JSON; ``PodsResource`` answers
    ``Raml.toRaml`` of the pod it stored (``PodConversion.podRamlWriter``): its version,
    scaling, scheduling, executor resources and each container's resources, defaults filled
    in. A pod it does not know is answered in ``find``'s words, quoted as a message."""
    pod = {"id": "p", "networks": [{"mode": "HOST"}],
           "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32},
                           "endpoints": [{"name": "web"}],
                           "exec": {"command": {"shell": "sleep 1000"}}}]}
    created = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    answer = created.json()
    assert (created.status_code, answer["id"]) == (201, "/p")
    assert answer["version"] == requests.get(f"{server.url}/v2/pods/p", timeout=10).json()[
        "version"] == requests.get(f"{server.url}/v2/pods/p::status", timeout=10).json()[
        "spec"]["version"]
    assert answer["scaling"] == {"kind": "fixed", "instances": 1}
    assert answer["scheduling"] == {
        "backoff": {"backoff": 1, "backoffFactor": 1.15, "maxLaunchDelay": 300},
        "upgrade": {"minimumHealthCapacity": 1, "maximumOverCapacity": 1},
        "killSelection": "YOUNGEST_FIRST",
        "unreachableStrategy": {"inactiveAfterSeconds": 0, "expungeAfterSeconds": 0}}
    assert answer["executorResources"] == {"cpus": 0.1, "mem": 32, "disk": 10}
    assert answer["networks"] == [{"mode": "host"}]
    [container] = answer["containers"]
    assert container["resources"] == {"cpus": 0.1, "mem": 32, "disk": 0, "gpus": 0}
    assert container["endpoints"] == [{"hostPort": 0, "name": "web"}]
    assert requests.get(f"{server.url}/v2/pods", timeout=10).json() == [answer]
    missing = requests.get(f"{server.url}/v2/pods/nope", timeout=10)
    assert (missing.status_code, missing.json()) == (
        404, {"message": '{"message": "pod with /nope does not exist"}'})
    gone = requests.delete(f"{server.url}/v2/pods/nope", timeout=10)
    assert (gone.status_code, gone.json()) == (404, {"message": "Pod '/nope' does not exist"})


def test_killed_tasks_are_replaced_or_scaled_away(server, client):
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32, instances=3))
    server.step(30)
    victim = client.list_tasks("/web")[0]
    client.kill_task("/web", victim.id)
    server.step(30)
    after = client.list_tasks("/web")
    assert len(after) == 3 and victim.id not in {t.id for t in after}
    assert len(_framework(server).instances("/web")) == 3
    host = after[0].host
    on_host = [t.id for t in after if t.host == host]
    result = client.kill_tasks("/web", scale=True, host=host)
    assert set(result) == {"version", "deploymentId"}
    server.step(30)
    remaining = client.list_tasks("/web")
    assert len(remaining) == 3 - len(on_host) == client.get_app("/web").instances
    assert not set(on_host) & {t.id for t in remaining}
    with pytest.raises(NotFoundError, match="does not exist"):
        client.kill_task("/web", "web.nope")


def test_versions_queue_delay_and_group_scale(server, client):
    client.create_app("/big", MarathonApp(cmd="x", cpus=64, mem=32))
    [version] = client.list_versions("/big")
    assert client.get_version("/big", version).cpus == 64
    with pytest.raises(NotFoundError, match="does not exist in version"):
        client.get_version("/big", "2000-01-01T00:00:00.000Z")
    server.step(10)
    assert requests.delete(f"{server.url}/v2/queue/big/delay", timeout=10).status_code == 204
    with pytest.raises(NotFoundError, match="not found in tasks queue"):
        client.reset_delay("/nope")
    text = example_path("marathon").read_text()
    requests.post(f"{server.url}/v2/groups", data=text,
                  headers={"Content-Type": "application/json"}, timeout=10)
    server.step(120)
    group = requests.get(f"{server.url}/v2/groups", timeout=10).json()["groups"][0]["id"]
    framework = _framework(server)
    apps = [i for i in framework.root.transitive_run_specs(group)
            if framework.root.kinds[i] == "App"]
    before = {i: framework.root.run_specs[i].get("instances", 1) for i in apps}
    assert "deploymentId" in client.scale_group(group, 2)
    assert {i: framework.root.run_specs[i]["instances"] for i in apps} == \
        {i: n * 2 for i, n in before.items()}


def test_cancel_a_deployment_with_and_without_rollback(server, client):
    client.create_app("/web", MarathonApp(cmd="serve v1", cpus=0.1, mem=32, instances=2))
    server.step(30)
    client.update_app("/web", MarathonApp(cmd="serve v2", cpus=0.1, mem=32, instances=2))
    [running] = client.list_deployments()
    result = client.delete_deployment(running.id)
    assert set(result) == {"version", "deploymentId"} and result["deploymentId"] != running.id
    server.step(60)
    assert client.get_app("/web").cmd == "serve v1" and client.list_deployments() == []
    assert client.get_app("/web").tasks_running == 2
    client.create_app("/big", MarathonApp(cmd="x", cpus=64, mem=32))
    [stuck] = client.list_deployments()
    response = requests.delete(f"{server.url}/v2/deployments/{stuck.id}?force=true", timeout=10)
    assert response.status_code == 202
    assert client.list_deployments() == [] and client.get_app("/big").instances == 1
    with pytest.raises(NotFoundError, match="does not exist"):
        client.delete_deployment(stuck.id)


def test_cancel_a_restart_answers_the_empty_revert_deployment(server):
    """``DELETE /v2/deployments/<id>`` without ``force`` always starts the revert deployment
    and answers 200 ``{version, deploymentId}`` (``DeploymentsResource.cancel``); for a
    restart that revert is empty and the restart goes on. It answered a made-up 422."""
    url = server.url
    requests.post(f"{url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.1,
                                          "mem": 32, "instances": 4}, timeout=10)
    server.step(30)
    restart = requests.post(f"{url}/v2/apps/web/restart", timeout=10).json()["deploymentId"]
    response = requests.delete(f"{url}/v2/deployments/{restart}", timeout=10)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"version", "deploymentId"}
    assert response.json()["deploymentId"] != restart
    listed = requests.get(f"{url}/v2/deployments", timeout=10).json()
    assert [d["id"] for d in listed] == [restart]
    server.step(60)
    assert requests.get(f"{url}/v2/deployments", timeout=10).json() == []
    assert requests.get(f"{url}/v2/apps/web", timeout=10).json()["app"]["tasksRunning"] == 4


def test_a_forced_cancel_of_a_restart_leaves_no_surplus_after_the_scale_check(server):
    """The trial: 4 instances, ``restart?force=true``, ``DELETE ...?force=true`` (202): the
    new instances run beside the old ones until Marathon's periodic scale check (every
    ``scale_apps_interval``, 300000 ms) kills them; 12 minutes on, 8 tasks still ran."""
    url = server.url
    requests.post(f"{url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.1,
                                          "mem": 32, "instances": 4}, timeout=10)
    server.step(30)
    restart = requests.post(f"{url}/v2/apps/web/restart?force=true", timeout=10)
    cancelled = requests.delete(
        f"{url}/v2/deployments/{restart.json()['deploymentId']}?force=true", timeout=10)
    assert cancelled.status_code == 202
    server.step(60)
    assert requests.get(f"{url}/v2/apps/web", timeout=10).json()["app"]["tasksRunning"] == 8
    server.step(720)
    app = requests.get(f"{url}/v2/apps/web", timeout=10).json()["app"]
    assert (app["tasksRunning"], app["instances"]) == (4, 4)


def test_a_pod_without_containers_is_refused_not_a_crash(server):
    # read as a group before, then GET /v2/pods/p2 crashed the POST (500, KeyError)
    response = requests.post(f"{server.url}/v2/pods", json={"id": "/p2"}, timeout=10)
    assert response.status_code == 422
    assert response.json()["details"] == [{"path": "/containers",
                                           "errors": ["error.path.missing"]}]
    assert _framework(server).root.groups.keys() == {"/"}


@pytest.mark.parametrize("network", [{"mode": "container"}, {}])
def test_a_pods_unnamed_container_network_is_refused(server, network):
    """A pod's container network without a name was accepted, where the app path answered
    Marathon's 422: ``podValidator`` checks ``pod.networks`` with
    ``defaultNetworkNameValidator`` while Marathon has no ``--default_network_name``."""
    pod = {"id": "/p", "networks": [network],
           "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}]}
    refusal = {"message": "Object is not valid", "details": [{"path": "/networks", "errors": [
        "Network name must be specified when container network is selected."]}]}
    for response in (requests.post(f"{server.url}/v2/pods", json=pod, timeout=10),
                     requests.put(f"{server.url}/v2/pods/p", json=pod, timeout=10)):
        assert (response.status_code, response.json()) == (422, refusal)
    assert _framework(server).root.run_specs == {}
    named = {**pod, "networks": [{"mode": "container", "name": "dcos"}]}
    assert requests.post(f"{server.url}/v2/pods", json=named, timeout=10).status_code == 201


_UNNAMED = {"message": "Object is not valid", "details": [{"path": "/networks", "errors": [
    "Network name must be specified when container network is selected."]}]}


@pytest.mark.parametrize(("path", "fields", "answer"), [
    ("/v2/pods", {"networks": ["x"]}, _UNNAMED),
    ("/v2/pods", {"networks": [None]}, _UNNAMED),
    ("/v2/pods", {"containers": [None]}, {"message": "Invalid JSON", "details": [
        {"path": "/containers(0)/name", "errors": ["error.path.missing"]},
        {"path": "/containers(0)/resources", "errors": ["error.path.missing"]}]}),
    ("/v2/pods", {"networks": "x"}, {"message": "Invalid JSON", "details": [
        {"path": "/networks", "errors": ["error.expected.jsarray"]}]}),
    ("/v2/apps", {"networks": [3]}, {**_UNNAMED, "details": [{**_UNNAMED["details"][0],
                                                              "path": "/"}]}),
    ("/v2/apps", {"fetch": ["x"]}, {"message": "Invalid JSON", "details": [
        {"path": "/fetch(0)/uri", "errors": ["error.path.missing"]}]})])
def test_a_list_item_that_is_no_object_reads_as_one_without_fields(server, path, fields,
                                                                   answer):
    """Marathon's generated reader looks an object's fields up in any JSON value, so
    ``networks: ["x"]`` is a network without fields (an unnamed container network), and
    ``containers: [null]`` misses the fields it requires; the simulator had passed the item to
    its loader, which answered pydantic's words ("Input should be a valid dictionary or
    instance of Network"), and a pod's containers had no RAML reader at all."""
    spec = {"id": "/p", "cmd": "x"} if path == "/v2/apps" else {
        "id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}]}
    response = requests.post(f"{server.url}{path}", json={**spec, **fields}, timeout=10)
    assert (response.status_code, response.json()) == (422, answer)


@pytest.mark.parametrize("path", ["/v2/apps", "/v2/pods"])
def test_a_role_that_is_no_string_is_refused_by_the_raml_reader(server, path):
    """``role?: string`` in app.raml and pod.raml: Play refuses ``"role": 7`` with
    ``error.expected.jsstring`` for a pod as for an app (a pod's had reached the loader and
    been answered in pydantic's words)."""
    spec = {"id": "/p", "cmd": "x"} if path == "/v2/apps" else {
        "id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}]}
    response = requests.post(f"{server.url}{path}", json={**spec, "role": 7}, timeout=10)
    assert (response.status_code, response.json()) == (422, {"message": "Invalid JSON",
        "details": [{"path": "/role", "errors": ["error.expected.jsstring"]}]})


def test_a_duplicate_pod_is_validated_before_its_conflict(server):
    """PodsResource.create reads the pod (its containers are required) and validates it
    before podSystem.create finds that the id is taken: a second POST of an invalid pod
    with a taken id gets the 422, a valid one the 409. The duplicate was answered 409
    before its network was checked."""
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}]}
    assert requests.post(f"{server.url}/v2/pods", json=pod, timeout=10).status_code == 201
    unnamed = requests.post(f"{server.url}/v2/pods", json={**pod, "networks": [{}]},
                            timeout=10)
    assert (unnamed.status_code, unnamed.json()["details"]) == (422, [
        {"path": "/networks", "errors": [
            "Network name must be specified when container network is selected."]}])
    bare = requests.post(f"{server.url}/v2/pods", json={"id": "/p"}, timeout=10)
    assert (bare.status_code, bare.json()["details"]) == (422, [
        {"path": "/containers", "errors": ["error.path.missing"]}])
    again = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    assert (again.status_code, again.json()) == (
        409, {"message": "A pod with id [/p] already exists."})


_ONE_KIND = ("May specify a single host network, single bridge network, or else 1-to-n "
             "container networks")


@pytest.mark.parametrize(("networks", "errors"), [
    ([{"mode": "container", "name": "a"}, {"mode": "container", "name": "a"}],
     ["Duplicate networks are not allowed"]),
    ([{"mode": "host", "name": "x"}], ["Host networks may not have names or labels"]),
    ([{"mode": "HOST", "labels": {"a": "b"}}], ["Host networks may not have names or labels"]),
    ([{"mode": "host"}, {"mode": "container", "name": "x"}], [_ONE_KIND]),
    ([{"mode": "container/bridge", "name": "x"}], ["Bridge networks may not have names"]),
    ([{"mode": "host"}, {"mode": "host"}], [_ONE_KIND]),
    ([{"mode": "container/bridge"}, {"mode": "host", "name": "h"}],
     ["Host networks may not have names or labels", _ONE_KIND]),
])
def test_networks_are_validated_as_marathon_does(server, networks, errors):
    """Two container networks of one name, a named host or bridge network, or host and
    container networks together were all created (201): Marathon's
    ``ramlNetworksValidator`` (``NetworkValidation.scala``) refuses them at ``/networks`` of
    an app (``validateCanonicalAppAPI``) and of a pod (``podValidator``), every rule broken
    at once."""
    app = {"id": "/a", "cmd": "x", "networks": networks}
    pod = {"id": "/p", "networks": networks,
           "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}]}
    group = {"id": "/g", "apps": [{**app, "id": "a"}]}
    for kind, body, path in (("apps", app, "/networks"), ("pods", pod, "/networks"),
                             ("groups", group, "/apps(0)/networks")):
        response = requests.post(f"{server.url}/v2/{kind}", json=body, timeout=10)
        assert (response.status_code, response.json()) == (422, {
            "message": "Object is not valid", "details": [{"path": path, "errors": errors}]})
    assert _framework(server).root.run_specs == {}


def test_the_lock_names_only_the_deployments_that_hold_the_app(server, client):
    client.create_app("/big", MarathonApp(cmd="x", cpus=64, mem=32))       # never finishes
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
    web = client.get_app("/web").deployments[0].id
    response = requests.put(f"{server.url}/v2/apps/web", json={"instances": 2}, timeout=10)
    assert response.status_code == 409
    assert response.json()["deployments"] == [{"id": web}]


def test_an_invalid_field_is_named_in_the_details_path(server):
    def details(body):
        response = requests.post(f"{server.url}/v2/apps", json=body, timeout=10)
        assert response.status_code == 422
        return [d["path"] for d in response.json()["details"]]

    assert details({"id": "/Web", "cmd": "x"}) == ["/id"]
    assert details({"id": "/neg", "cmd": "x", "instances": -1}) == ["/instances"]
    assert details({"id": "/c", "cmd": "x", "constraints": [["hostname", "UNIQUE"],
                                                            ["hostname", "FOO"]]}) \
        == ["/constraints(1)"]
    bad = requests.post(f"{server.url}/v2/apps", data="{bad",
                        headers={"Content-Type": "application/json"}, timeout=10)
    assert bad.status_code == 400 and isinstance(bad.json()["details"], str)


def test_kill_given_tasks_and_the_status_filter(server, client):
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32, instances=3))
    client.create_app("/big", MarathonApp(cmd="x", cpus=64, mem=32))
    server.step(30)
    assert len(client.list_tasks()) == 3
    assert requests.get(f"{server.url}/v2/tasks?status=staging",
                        timeout=10).json() == {"tasks": []}
    running = requests.get(f"{server.url}/v2/tasks?status=running", timeout=10).json()
    assert len(running["tasks"]) == 3
    victims = [t.id for t in client.list_tasks("/web")][:2]
    assert client.kill_given_tasks([*victims, "web.nope"], scale=True)
    server.step(30)
    assert client.get_app("/web").instances == 1
    assert {t.id for t in client.list_tasks("/web")}.isdisjoint(victims)
    refused = requests.post(f"{server.url}/v2/tasks/delete?scale=true&wipe=true",
                            json={"ids": []}, timeout=10)
    assert refused.status_code == 400


def test_scaling_away_only_unknown_tasks_still_deploys(server, client):
    """``POST /v2/tasks/delete?scale=true`` with ids that parse but name no task: upstream's
    ``TasksResource.killTasks`` drops them (``flatMap`` over the tracker's lookups) and
    ``TaskKiller.killAndScale`` of the empty map still updates the root group, so the
    answer is 200 with a new version and ``deploymentId``, and no app changes."""
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32, instances=2))
    server.step(30)
    answer = requests.post(f"{server.url}/v2/tasks/delete?scale=true",
                           json={"ids": ["nope.instance-1._app.1"]}, timeout=10)
    assert answer.status_code == 200 and set(answer.json()) == {"version", "deploymentId"}
    server.step(30)
    assert client.get_app("/web").instances == 2 and len(client.list_tasks("/web")) == 2


@pytest.mark.parametrize("roles, path, error", [
    # ResourceRoleTest's cases (d2iq-archive/marathon state/ResourceRoleTest.scala)
    # Accord's NotEmpty words, without a stop (wix/accord CollectionCombinators); the
    # role names' own messages end with one (ResourceRole.scala)
    ([], "/acceptedResourceRoles", "must not be empty"),
    ([""], "/acceptedResourceRoles(0)", 'A role name must not be "".'),
    (["*", ".."], "/acceptedResourceRoles(1)", 'A role name must not be "..".'),
    (["-role"], "/acceptedResourceRoles(0)", "A role name must not start with a '-'."),
    ([" "], "/acceptedResourceRoles(0)", "A role name must not include a space (\\x20) "
                                         "character."),
    (["x\ny"], "/acceptedResourceRoles(0)", "A role name must not include a line feed "
                                            "(\\x0a) character."),
])
def test_accepted_resource_roles_are_role_names_and_not_none(server, roles, path, error):
    """``acceptedResourceRoles: []`` was taken and ``[""]`` answered "can only contain * and
    *": Marathon checks the list first (``validAcceptedResourceRoles(...) and notEmpty``)."""
    response = requests.post(f"{server.url}/v2/apps", json={
        "id": "/web", "cmd": "serve", "acceptedResourceRoles": roles}, timeout=10)
    assert response.status_code == 422
    assert response.json()["details"] == [{"path": path, "errors": [error]}]


def test_accepted_resource_roles_are_a_set(server):
    """Marathon stores the roles as a ``Set[String]``: a role named twice is answered once,
    in the order given."""
    body = {"id": "/web", "cmd": "serve", "acceptedResourceRoles": ["*", "*"]}
    created = requests.post(f"{server.url}/v2/apps", json=body, timeout=10)
    assert created.status_code == 201 and created.json()["acceptedResourceRoles"] == ["*"]
    pod = {"id": "/db", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}],
           "scheduling": {"placement": {"acceptedResourceRoles": ["*", "*"]}}}
    answered = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    assert answered.status_code == 201
    assert answered.json()["scheduling"]["placement"]["acceptedResourceRoles"] == ["*"]
    got = requests.get(f"{server.url}/v2/apps/web", timeout=10).json()["app"]
    assert got["acceptedResourceRoles"] == ["*"]


@pytest.mark.parametrize("wipe", ["false", "true"])
def test_an_id_that_is_no_task_id_is_refused_before_any_kill(server, client, wipe):
    """``POST /v2/tasks/delete?wipe=true {"ids": ["<b>"]}`` answered 200 ``{"tasks": []}``;
    ``TasksResource.killTasks`` answers 400 for an id ``Task.Id.parse`` cannot read (no
    ``.`` or ``_`` before a last part) and kills none of the others."""
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32, instances=1))
    server.step(30)
    task = client.list_tasks("/web")[0].id
    response = requests.post(f"{server.url}/v2/tasks/delete?wipe={wipe}",
                             json={"ids": [task, "<b>"]}, timeout=10)
    assert response.status_code == 400
    assert response.json() == {"message": "Invalid task id '<b>'. [taskId <b> is no valid "
                                          "identifier (of class java.lang.String)]"}
    assert [t.id for t in client.list_tasks("/web")] == [task]


def test_label_selector_filters_apps(server, client):
    for name, labels in (("a", {"team": "x", "tier": "web"}), ("b", {"team": "y"}), ("c", {})):
        requests.post(f"{server.url}/v2/apps", json={"id": name, "cmd": "x", "cpus": 0.1,
                                                     "mem": 16, "labels": labels}, timeout=10)

    def ids(query):
        return [a.id for a in client.list_apps(label=query)]

    assert ids("team==x") == ["/a"]
    assert ids("team!=x") == ["/b"]            # the label must exist, unlike Kubernetes
    assert ids("team in (x, y)") == ["/a", "/b"]
    assert ids("team, tier") == ["/a"]
    bad = requests.get(f"{server.url}/v2/apps", params={"label": "a b"}, timeout=10)
    assert bad.status_code == 422 and "Can not parse label selector" in bad.json()["message"]


def test_patch_an_app_and_put_or_patch_a_list_of_apps(server, client):
    url = server.url
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
    server.step(30)
    patched = requests.patch(f"{url}/v2/apps/web", json={"id": "/ignored", "instances": 2},
                             timeout=10)
    assert patched.status_code == 200 and "deploymentId" in patched.json()
    server.step(30)
    assert client.get_app("/web").instances == 2 and client.get_app("/web").cmd == "serve"
    assert requests.patch(f"{url}/v2/apps/nope", json={}, timeout=10).status_code == 404
    both = [{"id": "/web", "instances": 3}, {"id": "/db", "cmd": "pg", "cpus": 0.1, "mem": 16}]
    put = requests.put(f"{url}/v2/apps", json=both, timeout=10)
    assert put.status_code == 200 and "deploymentId" in put.json()
    server.step(30)
    assert {a.id: a.instances for a in client.list_apps()} == {"/web": 3, "/db": 1}
    unknown = requests.patch(f"{url}/v2/apps", json=[{"id": "/web", "instances": 1},
                                                     {"id": "/nope"}], timeout=10)
    assert unknown.status_code == 404 and client.get_app("/web").instances == 3


def test_a_created_app_shows_marathons_defaults(server):
    # app.raml defaults; before, the answer echoed only the fields sent and 128.0 for 128
    app = requests.post(f"{server.url}/v2/apps", json={"id": "/web", "cmd": "serve $PORT0",
                                                       "cpus": 0.5, "mem": 128}, timeout=10)
    body = app.json()
    service_port = _framework(server).apps["/web"].service_ports[0]
    assert body["portDefinitions"] == [{"port": service_port, "protocol": "tcp",
                                        "name": "default"}]
    assert body["upgradeStrategy"] == {"minimumHealthCapacity": 1, "maximumOverCapacity": 1}
    assert (body["requirePorts"], body["killSelection"], body["networks"]) == \
        (False, "YOUNGEST_FIRST", [{"mode": "host"}])
    assert json.dumps(body["mem"]) == "128" and body["cpus"] == 0.5


def test_the_event_stream_and_metrics(server, client):
    url = server.url
    assert requests.get(f"{url}/v2/events", timeout=10).status_code == 405   # no Accept
    assert requests.head(f"{url}/v2/events", headers={"Accept": "text/event-stream"},
                         timeout=10).status_code == 405          # a stream has no HEAD
    kinds = ["event_stream_attached", "status_update_event", "deployment_success"]
    with requests.get(f"{url}/v2/events", params={"event_type": kinds},
                      headers={"Accept": "text/event-stream"}, stream=True,
                      timeout=10) as events:
        assert events.headers["Content-Type"] == "text/event-stream"
        lines = events.iter_lines(decode_unicode=True)
        assert next(lines) == "event: event_stream_attached"
        assert json.loads(next(lines)[len("data: "):])["eventType"] == "event_stream_attached"
        client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
        server.step(30)
        seen = []
        for line in lines:
            if line.startswith("data: "):
                seen.append(json.loads(line[len("data: "):]))
            if seen and seen[-1]["eventType"] == "deployment_success":
                break
    running = [e for e in seen if e.get("taskStatus") == "TASK_RUNNING"]
    [task] = client.list_tasks("/web")
    assert [(e["taskId"], e["appId"], e["host"]) for e in running] == \
        [(task.id, "/web", task.host)]
    # MesosStatusUpdateEvent's fields in their order; a host-network task has its agent's IP
    assert list(running[0]) == ["slaveId", "taskId", "taskStatus", "message", "appId", "host",
                                "ipAddresses", "ports", "version", "eventType", "timestamp"]
    [agent] = [a for a in server.backend.cluster.agents if a.id == task.slave_id]
    assert agent.node.address and \
        running[0]["ipAddresses"] == [{"ipAddress": agent.node.address, "protocol": "IPv4"}]
    assert (running[0]["slaveId"], running[0]["version"]) == \
        (task.slave_id, client.get_app("/web").version)
    assert {e["eventType"] for e in seen} == set(kinds[1:])
    # DeploymentSuccess(id, plan, eventType, timestamp): the plan, no invented message
    done = seen[-1]
    assert list(done) == ["id", "plan", "eventType", "timestamp"]
    assert done["plan"] == {"id": done["id"], "steps": [
        {"actions": [{"action": "StartApplication", "app": "/web"}]},
        {"actions": [{"action": "ScaleApplication", "app": "/web"}]}],
        "version": client.get_app("/web").version}
    gauges = requests.get(f"{url}/metrics", timeout=10).json()["gauges"]
    assert gauges["marathon.apps.active.gauge"] == {"value": 1}
    assert gauges["marathon.instances.running.gauge"] == {"value": 1}


def test_a_container_network_tasks_status_update_carries_its_ip_address(server):
    """``MesosStatusUpdateEvent.ipAddresses``: the task status' network addresses, the same
    as the task's ``ipAddresses`` in ``GET /v2/tasks``."""
    with requests.get(f"{server.url}/v2/events", params={"event_type": "status_update_event"},
                      headers={"Accept": "text/event-stream"}, stream=True,
                      timeout=10) as events:
        lines = (line for line in events.iter_lines(decode_unicode=True)
                 if line.startswith("data: "))
        requests.post(f"{server.url}/v2/apps", json={
            "id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 32,
            "networks": [{"mode": "container", "name": "dcos"}]}, timeout=10)
        server.step(30)
        running = next(e for e in (json.loads(line[len("data: "):]) for line in lines)
                       if e["taskStatus"] == "TASK_RUNNING")
    [task] = requests.get(f"{server.url}/v2/tasks", timeout=10).json()["tasks"]
    assert running["ipAddresses"] == task["ipAddresses"]
    assert [a["ipAddress"] for a in running["ipAddresses"]] == [
        _framework(server).instances("/web")[0].ip]


def test_app_requests_post_an_api_post_event_and_groups_do_not(server):
    """``AppsResource.maybePostEvent``: an app's create, replace and patch post
    ``api_post_event`` with the client's address, the request's path and the app's new
    definition; a group's change, a change of several apps, a restart and a delete post none.
    The framework had recorded one for every change, always with ``uri: "/v2/groups"``."""
    url = server.url
    with requests.get(f"{url}/v2/events",
                      params={"event_type": ["event_stream_attached", "api_post_event"]},
                      headers={"Accept": "text/event-stream"}, stream=True,
                      timeout=10) as events:
        lines = (line for line in events.iter_lines(decode_unicode=True)
                 if line.startswith("data: "))
        assert json.loads(next(lines)[len("data: "):])["remoteAddress"] == "127.0.0.1"
        app = {"cmd": "serve", "cpus": 0.1, "mem": 32}
        requests.post(f"{url}/v2/groups", json={"id": "/shop", "apps": [
            {"id": "cart", **app}]}, timeout=10)
        requests.post(f"{url}/v2/apps", params={"force": "true"},
                      json={"id": "/web", **app}, timeout=10)
        requests.put(f"{url}/v2/apps", json=[{"id": "/web", "instances": 2}],
                     params={"force": "true"}, timeout=10)
        requests.put(f"{url}/v2/apps//web", json={"instances": 3}, params={"force": "true"},
                     timeout=10)
        requests.post(f"{url}/v2/apps/web/restart", params={"force": "true"}, timeout=10)
        requests.patch(f"{url}/v2/apps/web", json={"instances": 4}, params={"force": "true"},
                       timeout=10)
        requests.delete(f"{url}/v2/apps/shop/cart", timeout=10)
        requests.put(f"{url}/v2/apps/shop/cart", json={"id": "/shop/cart", **app},
                     timeout=10)
        posted = [json.loads(line[len("data: "):]) for line in itertools.islice(lines, 4)]
    assert [(e["eventType"], e["clientIp"], e["uri"]) for e in posted] == [
        ("api_post_event", "127.0.0.1", "/v2/apps"),
        ("api_post_event", "127.0.0.1", "/v2/apps//web"),
        ("api_post_event", "127.0.0.1", "/v2/apps/web"),
        ("api_post_event", "127.0.0.1", "/v2/apps/shop/cart")]
    assert [e["appDefinition"]["instances"] for e in posted] == [1, 3, 4, 1]
    assert posted[2]["appDefinition"] == requests.get(
        f"{url}/v2/apps/web/versions/{posted[2]['appDefinition']['version']}",
        timeout=10).json()
    assert {"id", "cmd", "version", "versionInfo"} <= set(posted[0]["appDefinition"])
    framework = _framework(server)
    assert [e.object for e in framework.events.where(reason="api_post_event")] == [
        "app//web", "app//web", "app//web", "app//shop/cart"]


def test_pod_requests_post_pod_events(server):
    """``PodsResource`` posts a ``PodEvent`` (``clientIp``, ``uri``, ``eventType``,
    ``timestamp``: ``PodEventWrites``) after a pod's create, replace (a ``PUT`` that creates
    the pod too is ``pod_updated_event``) and delete; a refused request posts none. The
    simulator sent none of them."""
    url = server.url
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32},
                                       "exec": {"command": {"shell": "sleep 1000"}}}]}
    kinds = ["pod_created_event", "pod_updated_event", "pod_deleted_event"]
    with requests.get(f"{url}/v2/events", params={"event_type": kinds},
                      headers={"Accept": "text/event-stream"}, stream=True,
                      timeout=10) as events:
        lines = (line for line in events.iter_lines(decode_unicode=True)
                 if line.startswith("data: "))
        assert requests.post(f"{url}/v2/pods", json=pod, timeout=10).status_code == 201
        assert requests.post(f"{url}/v2/pods", json=pod, timeout=10).status_code == 409
        requests.put(f"{url}/v2/pods/p", json=pod, params={"force": "true"}, timeout=10)
        requests.put(f"{url}/v2/pods/q", json={**pod, "id": "/q"}, timeout=10)
        requests.delete(f"{url}/v2/pods/p", params={"force": "true"}, timeout=10)
        posted = [json.loads(line[len("data: "):]) for line in itertools.islice(lines, 4)]
    assert [(e["eventType"], e["clientIp"], e["uri"]) for e in posted] == [
        ("pod_created_event", "127.0.0.1", "/v2/pods"),
        ("pod_updated_event", "127.0.0.1", "/v2/pods/p"),
        ("pod_updated_event", "127.0.0.1", "/v2/pods/q"),
        ("pod_deleted_event", "127.0.0.1", "/v2/pods/p")]
    assert all(set(e) == {"eventType", "clientIp", "uri", "timestamp"} for e in posted)
    framework = _framework(server)
    assert [(e.reason, e.object) for e in framework.events.where(reason="pod_updated_event")
            ] == [("pod_updated_event", "pod//p"), ("pod_updated_event", "pod//q")]


def test_a_put_that_creates_a_pod_answers_200(server):
    """``PodsResource.update`` answers ``Response.ok`` whether the ``PUT`` created the pod or
    replaced it (``POST`` answers 201); the simulator answered 201 for a new pod."""
    pod = {"id": "/q", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}]}
    created = requests.put(f"{server.url}/v2/pods/q", json=pod, timeout=10)
    assert (created.status_code, created.json()["id"]) == (200, "/q")
    assert created.headers["Marathon-Deployment-Id"] == _framework(server).deployments[-1].id


def test_the_python_api_posts_no_api_event(server):
    """A deploy, scale or remove through the Python API is no request of Marathon's REST
    API: the event bus carries no ``api_post_event`` for it."""
    framework = _framework(server)
    framework.deploy({"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 32})
    framework.scale("/web", 2, force=True)
    framework.remove("/web", force=True)
    assert framework.events.where(reason="api_post_event") == []
    assert len(framework.events.where(reason="group_change_success")) == 3


def test_put_a_group_replaces_what_it_gives_and_keeps_what_it_leaves_out(server):
    url = server.url
    tree = {"id": "/shop", "dependencies": [],
            "apps": [{"id": "a", "cmd": "x", "cpus": 0.1, "mem": 16},
                     {"id": "b", "cmd": "x", "cpus": 0.1, "mem": 16}],
            "groups": [{"id": "db", "apps": [{"id": "pg", "cmd": "pg", "cpus": 0.1,
                                              "mem": 16}]}]}
    assert requests.post(f"{url}/v2/groups", json=tree, timeout=10).status_code == 201
    server.step(30)
    # the book: PUT /v2/groups/shop replaces the group; an app left out of "apps" stops
    put = requests.put(f"{url}/v2/groups/shop", json={
        "apps": [{"id": "/shop/a", "cmd": "y", "cpus": 0.1, "mem": 16}]}, timeout=10)
    assert put.status_code == 200
    server.step(30)
    kinds = _framework(server).root.kinds
    assert sorted(kinds) == ["/shop/a", "/shop/db/pg"]        # "groups" was left out: kept
    assert _framework(server).root.run_specs["/shop/a"]["cmd"] == "y"
    assert {i.spec_id for i in _framework(server).instances()} == {"/shop/a", "/shop/db/pg"}


def test_deeply_nested_json_and_head(server):
    deep = '{"id": "/d", "cmd": "x", "labels": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = requests.post(f"{server.url}/v2/apps", data=deep,
                             headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 400 and response.json()["message"] == "Invalid JSON"
    head = requests.head(f"{server.url}/v2/apps", timeout=10)
    assert head.status_code == 200 and head.content == b""


def test_an_id_that_is_not_a_string_is_invalid_json(server):
    # MarathonExceptionMapperTest: {"id": 123} → 422 "Invalid JSON", /id error.expected.jsstring
    def answer(body):
        response = requests.post(f"{server.url}/v2/apps", json=body, timeout=10)
        return response.status_code, response.json()["message"], response.json()["details"]

    assert answer({"id": 123, "cmd": "x"}) == (
        422, "Invalid JSON", [{"path": "/id", "errors": ["error.expected.jsstring"]}])
    assert answer({"cmd": "x"}) == (
        422, "Invalid JSON", [{"path": "/id", "errors": ["error.path.missing"]}])
    assert answer([{"id": "/x", "cmd": "x"}])[2] == [
        {"path": "/", "errors": ["error.expected.jsobject"]}]
    assert _framework(server).root.run_specs == {}


def test_rolling_back_a_deployment_keeps_later_changes_to_other_apps(server, client):
    client.create_app("/web", MarathonApp(cmd="serve v1", cpus=0.1, mem=32, instances=2))
    server.step(30)
    client.update_app("/web", MarathonApp(cmd="serve v2", cpus=0.1, mem=32, instances=2))
    [update] = client.list_deployments()
    client.create_app("/db", MarathonApp(cmd="pg", cpus=0.1, mem=32))     # a later change
    # refused before with 422 "deployment-2 is not the latest change"
    result = client.delete_deployment(update.id)
    assert set(result) == {"version", "deploymentId"}
    server.step(60)
    assert client.get_app("/web").cmd == "serve v1" and client.get_app("/db").cmd == "pg"
    assert client.list_deployments() == [] and client.get_app("/db").tasks_running == 1


def test_wipe_gives_up_a_resident_instance_on_a_lost_agent(server, client):
    # the storage lab: "the operator's way out is DELETE /v2/apps/db/postgres/tasks/<id>?wipe=true"
    db = {"id": "/db/postgres", "role": "db", "cmd": "pg", "cpus": 0.1, "mem": 32,
          "container": {"type": "MESOS", "volumes": [
              {"containerPath": "data", "mode": "RW", "persistent": {"size": 100}}]}}
    assert requests.post(f"{server.url}/v2/apps", json=db, timeout=10).status_code == 201
    server.step(30)
    [task] = client.list_tasks("/db/postgres")
    server.cluster.fail_agent(task.host)
    server.step(600)                        # unreachable; a resident app waits for its agent
    assert [t.host for t in client.list_tasks("/db/postgres")] == [task.host]
    tasks = f"{server.url}/v2/apps/db/postgres/tasks"
    wiped = requests.delete(f"{tasks}/{task.id}?wipe=true", timeout=10)
    assert wiped.status_code == 200
    server.step(60)
    [fresh] = client.list_tasks("/db/postgres")
    assert fresh.host != task.host and fresh.state == "TASK_RUNNING"
    both = requests.delete(f"{tasks}?wipe=true&scale=true", timeout=10)
    assert both.status_code == 400


def test_group_versions(server):
    requests.post(f"{server.url}/v2/groups", json={"id": "/shop", "apps": [
        {"id": "a", "cmd": "x", "cpus": 0.1, "mem": 16}]}, timeout=10)
    group = requests.get(f"{server.url}/v2/groups/shop", timeout=10).json()
    versions = requests.get(f"{server.url}/v2/groups/shop/versions", timeout=10)
    assert versions.status_code == 200 and versions.json() == [group["version"]]
    assert requests.get(f"{server.url}/v2/groups/nope/versions", timeout=10).status_code == 404


def test_scaling_gives_the_app_the_version_of_its_deployment(server, client):
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
    first = client.get_app("/web").version
    server.step(30)
    scaled = client.scale_app("/web", instances=2)
    assert client.get_app("/web").version == scaled["version"] != first
    assert client.list_versions("/web") == [scaled["version"], first]


def test_a_health_check_must_name_one_of_the_apps_ports(server):
    # AppValidationTest: "/healthChecks(0)" -> "Health check port indices must address ..."
    def post(app_id, **fields):
        return requests.post(f"{server.url}/v2/apps", json={
            "id": app_id, "cmd": "x", "cpus": 0.1, "mem": 16, **fields}, timeout=10)

    bad = post("/a", healthChecks=[{"protocol": "HTTP", "portIndex": 1}])   # one port: index 0
    assert bad.status_code == 422
    [detail] = bad.json()["details"]
    assert detail["path"] == "/healthChecks(0)"
    assert detail["errors"][0].startswith("Health check port indices must address an element")
    two = [{"port": 0}, {"port": 0}]
    assert post("/b", portDefinitions=two,
                healthChecks=[{"protocol": "TCP"}]).status_code == 422      # which port?
    assert post("/c", portDefinitions=two,
                healthChecks=[{"protocol": "TCP", "portIndex": 1}]).status_code == 201
    assert post("/d", healthChecks=[{"protocol": "COMMAND", "command": {"value": "true"},
                                     "portIndex": 7}]).status_code == 201


def test_a_tasks_health_check_results_are_marathons_health_per_check(server, client):
    """``healthCheckResults`` holds one ``Health`` per health check (healthCheck.raml,
    ``HealthConversion``), from the start: ``alive`` (a success later than the last
    failure), ``consecutiveFailures``, ``instanceId`` and the instants of the first and last
    success and of the last failure. The simulator gave one ``{alive, taskId}`` for all
    checks, once any had run; the client read no failures and no times."""
    framework = _framework(server)
    checks = [{"protocol": "TCP", "gracePeriodSeconds": 30, "intervalSeconds": 10,
               "maxConsecutiveFailures": 3},
              {"protocol": "COMMAND", "command": {"value": "true"}, "intervalSeconds": 20}]
    requests.post(f"{server.url}/v2/apps", json={"id": "/web", "cmd": "x", "cpus": 0.1,
                                                 "mem": 16, "healthChecks": checks},
                  timeout=10)
    server.step(1)
    [task] = client.list_tasks("/web")
    instance = framework.instances("/web")[0]
    assert [(h.alive, h.consecutive_failures, h.instance_id, h.first_success)
            for h in task.health_check_results] == [(False, 0, instance.id, None)] * 2
    server.step(40)
    framework.set_health("/web", False)
    server.step(12)
    [task] = client.list_tasks("/web")
    tcp, command = task.health_check_results
    assert (tcp.alive, tcp.consecutive_failures, command.consecutive_failures) == (False, 1, 1)
    assert tcp.first_success < tcp.last_success < tcp.last_failure
    assert not command.alive and command.last_failure is not None
    raw = requests.get(f"{server.url}/v2/apps/web/tasks", timeout=10).json()
    assert "taskId" not in raw["tasks"][0]["healthCheckResults"][0]
    server.step(25)         # killed after 3 failures, relaunched: its health starts afresh
    [task] = client.list_tasks("/web")
    assert task.id != raw["tasks"][0]["id"]
    assert [(h.alive, h.consecutive_failures, h.last_failure)
            for h in task.health_check_results] == [(False, 0, None)] * 2


@pytest.mark.parametrize(("query", "tasks"), [
    ("", False), ("?embed=apps.tasks", True), ("?embed=app.tasks", True),
    ("?embed=tasks", True), ("?embed=group.apps.tasks", True), ("?embed=apps.failures", True),
    ("?embed=apps.counts&embed=apps.deployments", False), ("?embed=apps.nope", False)])
def test_embed_is_read_as_marathon_reads_it(server, query, tasks):
    """``InfoEmbedResolver.resolveApp`` reads ``tasks`` with any of its prefixes or none, and
    ``failures`` as tasks too; ``GET /v2/apps/<id>`` embeds the tasks whatever is asked
    (``AppsResource.show``). The simulator knew ``apps.tasks`` and ``app.tasks`` only, and
    left an app's tasks out when another embed was asked for."""
    requests.post(f"{server.url}/v2/apps", json={"id": "/web", "cmd": "x", "cpus": 0.1,
                                                 "mem": 16}, timeout=10)
    server.step(30)
    [app] = requests.get(f"{server.url}/v2/apps{query}", timeout=10).json()["apps"]
    assert ("tasks" in app, app["tasksRunning"], app["deployments"]) == (tasks, 1, [])
    shown = requests.get(f"{server.url}/v2/apps/web{query.replace('apps.', 'app.')}",
                         timeout=10).json()["app"]
    assert [t["appId"] for t in shown["tasks"]] == ["/web"]


def test_an_instance_waiting_for_an_offer_is_no_staged_task(server, client):
    client.create_app("/big", MarathonApp(cmd="x", cpus=64, mem=32))   # fits no agent
    server.step(30)
    app = client.get_app("/big")
    assert (app.tasks_staged, app.tasks_running, app.tasks) == (0, 0, [])
    assert client.list_queue()[0].count == 1


def test_every_pods_status(server):
    # pods.raml: GET /v2/pods/::status lists the status of every pod
    for name in ("a", "b"):
        requests.post(f"{server.url}/v2/pods", json={"id": name, "containers": [
            {"name": "c", "resources": {"cpus": 0.1, "mem": 16},
             "exec": {"command": {"shell": "sleep 1000"}}}]}, timeout=10)
    server.step(30)
    statuses = requests.get(f"{server.url}/v2/pods/::status", timeout=10)
    assert statuses.status_code == 200
    assert [(s["id"], s["status"]) for s in statuses.json()] == [("/a", "STABLE"),
                                                                  ("/b", "STABLE")]


def test_a_forced_scale_during_a_restart_finishes(server):
    """PUT a new cmd (a restart), then at once force a scale to 1 over it: the ScaleApplication
    deployment waited for the old version's surviving instance to go, which no step killed,
    so it stayed in /v2/deployments and locked the app. Marathon's scale step counts running
    instances of any version."""
    url = f"{server.url}/v2/apps/web"
    requests.post(f"{server.url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.1,
                                                 "mem": 32, "instances": 3}, timeout=10)
    server.step(30)
    requests.put(url, json={"cmd": "serve --v2"}, timeout=10)
    forced = requests.put(f"{url}?force=true", json={"instances": 1}, timeout=10)
    assert forced.status_code == 200
    server.step(60)
    assert requests.get(f"{server.url}/v2/deployments", timeout=10).json() == []
    app = requests.get(url, timeout=10).json()["app"]
    assert app["tasksRunning"] == 1 and app["deployments"] == []
    assert requests.put(url, json={"instances": 2}, timeout=10).status_code == 200


EPOCH = 1_796_000_000.0
"""A fixed Unix time for simulated second 0 (2026-11-30T00:53:20Z): versions and instants
are then the same at every run."""


@pytest.fixture
def pinned():
    with serve("marathon", nodes=3, speed=0, epoch=EPOCH) as server:
        yield server


def _stamp(seconds: float) -> str:
    """Unix time as Marathon writes an instant (milliseconds, UTC)."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def test_each_change_stores_a_version_and_a_put_of_one_rolls_the_app_back(pinned):
    """Marathon stores each version of an app (``GET /v2/apps/<id>/versions``, and
    ``/versions/<v>`` gives that definition); ``PUT {"version": v}`` deploys version *v*
    again as a new version. The simulator kept only the current version and refused the
    rollback with a 404."""
    client = marathon.MarathonClient(pinned.url)
    client.create_app("/web", MarathonApp(cmd="serve v1", cpus=0.1, mem=32, instances=2))
    pinned.step(30)
    client.update_app("/web", MarathonApp(cmd="serve v2", cpus=0.1, mem=32, instances=2))
    pinned.step(30)
    client.scale_app("/web", instances=3)
    pinned.step(30)
    created, updated, scaled = _stamp(EPOCH), _stamp(EPOCH + 30), _stamp(EPOCH + 60)
    assert client.list_versions("/web") == [scaled, updated, created]
    old = client.get_version("/web", created)
    assert (old.cmd, old.instances, old.version) == ("serve v1", 2, created)
    assert client.get_version("/web", scaled).instances == 3
    with pytest.raises(NotFoundError, match="does not exist in version"):
        client.get_version("/web", _stamp(EPOCH + 1))
    result = client.rollback_app("/web", created)
    assert set(result) == {"version", "deploymentId"} and result["version"] == _stamp(EPOCH + 90)
    pinned.step(60)
    app = client.get_app("/web")
    assert (app.cmd, app.instances, app.tasks_running) == ("serve v1", 2, 2)
    assert app.version == result["version"]
    assert client.list_versions("/web") == [result["version"], scaled, updated, created]
    assert {t.version for t in client.list_tasks("/web")} == {result["version"]}
    refused = requests.put(f"{pinned.url}/v2/apps/web", json={"version": "yesterday"},
                           timeout=10)
    assert refused.status_code == 404
    assert refused.json() == {"message": "App '/web' does not exist"}
    # a well-formed version the app never had: AppsResource.updateOrCreate's rollback throws
    # AppNotFoundException(appId), without the version, though the app exists
    unknown = requests.put(f"{pinned.url}/v2/apps/web",
                           json={"version": "2020-01-01T00:00:00.000Z"}, timeout=10)
    assert (unknown.status_code, unknown.json()) == (404, {"message": "App '/web' does not exist"})


def test_version_info_follows_marathons_version_info(pinned):
    """``versionInfo`` (``VersionInfo.FullVersionInfo``, ``state/VersionInfo.scala``): a new
    definition moves both stamps, a scale only ``lastScalingAt``, a restart only
    ``lastConfigChangeAt``; a rollback counts as whichever the old definition is against the
    current one; a stored version keeps the ``versionInfo`` it had. The simulator moved
    ``lastScalingAt`` on a restart and left ``lastConfigChangeAt``."""
    def app():
        return requests.get(f"{pinned.url}/v2/apps/web", timeout=10).json()["app"]

    def stamps(scaling, config):
        return {"lastScalingAt": _stamp(EPOCH + scaling),
                "lastConfigChangeAt": _stamp(EPOCH + config)}

    requests.post(f"{pinned.url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.1,
                                                 "mem": 32}, timeout=10)
    assert app()["versionInfo"] == stamps(0, 0)
    pinned.step(30)
    requests.put(f"{pinned.url}/v2/apps/web", json={"instances": 2}, timeout=10)
    assert app()["versionInfo"] == stamps(30, 0)
    pinned.step(30)
    requests.post(f"{pinned.url}/v2/apps/web/restart", timeout=10)
    pinned.step(30)
    assert (app()["version"], app()["versionInfo"]) == (_stamp(EPOCH + 60), stamps(30, 60))
    requests.put(f"{pinned.url}/v2/apps/web", json={"cmd": "serve v2"}, timeout=10)
    assert app()["versionInfo"] == stamps(90, 90)
    pinned.step(30)
    requests.put(f"{pinned.url}/v2/apps/web", json={"instances": 3}, timeout=10)
    pinned.step(30)
    requests.put(f"{pinned.url}/v2/apps/web", json={"version": _stamp(EPOCH + 90)}, timeout=10)
    assert (app()["instances"], app()["versionInfo"]) == (2, stamps(150, 90))  # a scale
    pinned.step(30)
    requests.put(f"{pinned.url}/v2/apps/web", json={"version": _stamp(EPOCH + 30)}, timeout=10)
    assert (app()["cmd"], app()["versionInfo"]) == ("serve", stamps(180, 180))  # new config
    old = requests.get(f"{pinned.url}/v2/apps/web/versions/{_stamp(EPOCH + 60)}",
                       timeout=10).json()
    assert (old["instances"], old["cmd"], old["versionInfo"]) == (2, "serve", stamps(30, 60))


def test_a_put_that_changes_nothing_stores_no_version(pinned):
    """Marathon stores the apps a change altered (``GroupVersioningUtil``: an unchanged app
    keeps its ``versionInfo``); sending back what ``GET`` answered, state fields and
    defaults included, is no change."""
    client = marathon.MarathonClient(pinned.url)
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
    pinned.step(30)
    app = requests.get(f"{pinned.url}/v2/apps/web", timeout=10).json()["app"]
    assert requests.put(f"{pinned.url}/v2/apps/web", json=app, timeout=10).status_code == 200
    assert client.list_versions("/web") == [_stamp(EPOCH)] == [client.get_app("/web").version]


def test_changes_in_one_millisecond_get_versions_in_their_order(pinned):
    """Simulated time stands still between requests at speed 0: two changes then fall in
    one millisecond, and each still names one definition."""
    for name in ("a", "b"):
        requests.post(f"{pinned.url}/v2/apps", json={"id": name, "cmd": "x", "cpus": 0.1,
                                                     "mem": 16}, timeout=10)
    versions = [requests.get(f"{pinned.url}/v2/apps/{name}", timeout=10).json()["app"][
        "version"] for name in ("a", "b")]
    assert versions == [_stamp(EPOCH), _stamp(EPOCH + 0.001)]
    [deployment] = [d for d in marathon.MarathonClient(pinned.url).list_deployments()
                    if d.affected_apps == ["/b"]]
    assert deployment.version == versions[1]


def test_instants_follow_the_wall_clock_or_the_given_epoch(server, pinned):
    """Marathon's instants (``stagedAt``, ``startedAt``, versions) are wall-clock times: the
    simulator wrote 2026-01-01 plus the simulated seconds whatever the date. Simulated now
    is the wall clock's now, as for the Kubernetes and Docker servers, or ``epoch`` plus
    the simulated seconds when it is given."""
    for target in (server, pinned):
        requests.post(f"{target.url}/v2/apps", json={"id": "/web", "cmd": "serve",
                                                     "cpus": 0.1, "mem": 32}, timeout=10)
        target.step(30)
    asked = time.time()
    [task] = requests.get(f"{server.url}/v2/tasks", timeout=10).json()["tasks"]
    answered = time.time()
    started = datetime.fromisoformat(task["startedAt"]).timestamp()
    instance = _framework(server).instances("/web")[0]
    # shown as the wall clock's now less the simulated time since (within the anchor's
    # drift and a millisecond), at the moment the request was answered: between asking and
    # the answer, however long a loaded machine took (a fixed 5 s had been allowed)
    shown_now = started + (server.backend.now - instance.running_since)
    slack = REANCHOR_AFTER + 0.001
    assert asked - slack <= shown_now <= answered + slack
    [task] = requests.get(f"{pinned.url}/v2/tasks", timeout=10).json()["tasks"]
    instance = _framework(pinned).instances("/web")[0]
    assert task["stagedAt"] == _stamp(EPOCH + instance.staged_at)
    assert task["startedAt"] == _stamp(EPOCH + instance.running_since)


def test_a_tasks_instants_are_the_same_on_every_request():
    """With time running with the wall clock, each request read both clocks a fraction of a
    millisecond apart and ``stagedAt`` flickered between two milliseconds; the anchor is
    fixed, so 100 identical requests agree (on the clock's mapping of the simulated second:
    at a running speed, from a fixed origin, a step's instants at the step's end)."""
    with serve("marathon", nodes=3, speed=1) as running:
        requests.post(f"{running.url}/v2/apps", json={"id": "/web", "cmd": "serve",
                                                      "cpus": 0.1, "mem": 32}, timeout=10)
        running.step(30)
        seen = {(task["stagedAt"], task["startedAt"])
                for _ in range(100)
                for task in requests.get(f"{running.url}/v2/tasks", timeout=10).json()["tasks"]}
        instance = _framework(running).instances("/web")[0]
        unix = running.backend.clock.unix
    [(staged, started)] = seen
    assert abs(datetime.fromisoformat(staged).timestamp() - unix(instance.staged_at)) < 1e-3
    assert abs(datetime.fromisoformat(started).timestamp()
               - unix(instance.running_since)) < 1e-3


@pytest.mark.parametrize("path", ["/v2/tasks", "/v2/apps/web/tasks"])
@pytest.mark.parametrize(("accept", "status"), [
    ("text/plain", 406), ("text/*", 406), ("text/plain, application/json;q=0", 406),
    ("text/plain, application/json;q=0.1", 200), ("text/plain, */*", 200),
    ("application/*", 200), (None, 200)])
def test_the_task_lists_answer_json_alone_as_in_1_11(server, path, accept, status):
    """Marathon 1.11.0 hard-removed the ``text_plain_tasks`` deprecated feature
    (``DeprecatedFeatures.scala``), and with it the lists' ``text/plain`` form: JAX-RS answers
    JSON to any ``Accept`` that admits it, even one preferring text, and 406 ``Not
    Acceptable`` to one that admits none. The simulator served the tab-separated endpoint
    list as 1.9 did."""
    requests.post(f"{server.url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.1,
                                                 "mem": 16, "instances": 2}, timeout=10)
    server.step(30)
    headers = {"Accept": accept} if accept else {}
    answer = requests.get(f"{server.url}{path}", headers=headers, timeout=10)
    assert answer.status_code == status
    assert answer.headers["Content-Type"].startswith("application/json")
    if status == 406:
        assert answer.json() == {"message": "Not Acceptable"}
    else:
        assert len(answer.json()["tasks"]) == 2


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/v2/apps"), ("GET", "/v2/apps/web"), ("GET", "/v2/groups"),
    ("GET", "/v2/deployments"), ("GET", "/v2/queue"), ("GET", "/v2/info"),
    ("GET", "/v2/leader"), ("GET", "/v2/pods"), ("GET", "/v2/plugins"),
    ("HEAD", "/v2/apps"), ("DELETE", "/v2/apps/web"), ("POST", "/v2/apps/web/restart")])
def test_every_json_resource_refuses_an_accept_without_json(server, method, path):
    """Every ``/v2`` resource of Marathon 1.11 ``@Produces`` JSON alone, and Jersey answers
    406 (``{"message": "Not Acceptable"}`` from ``MarathonExceptionMapper``) before the
    resource's method runs, so nothing changes; the simulator refused only on the task
    lists and answered JSON (or did the change) everywhere else."""
    requests.post(f"{server.url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.1,
                                                 "mem": 16}, timeout=10)
    server.step(30)
    answer = requests.request(method, f"{server.url}{path}",
                              headers={"Accept": "text/plain"}, timeout=10)
    assert answer.status_code == 406
    assert answer.headers["Content-Type"].startswith("application/json")
    if method != "HEAD":
        assert answer.json() == {"message": "Not Acceptable"}
    assert requests.get(f"{server.url}/v2/apps/web", timeout=10).json()["app"]["version"] == \
        requests.get(f"{server.url}/v2/apps/web/versions", timeout=10).json()["versions"][0]
    assert len(requests.get(f"{server.url}/v2/deployments", timeout=10).json()) == 0


@pytest.mark.parametrize(("accept", "streams"), [
    ("text/event-stream", True),
    ("application/json, text/event-stream", False), ("text/event-stream;q=0", False),
    ("text/event-stream; charset=utf-8", False), ("text/*", False), ("*/*", False),
    ("TEXT/EVENT-STREAM", False), (None, False)])
def test_the_event_stream_wants_exactly_its_accept(server, accept, streams):
    """Marathon 1.11 serves ``/v2/events`` with Jetty's ``EventSourceServlet``, whose
    ``doGet`` streams only when an ``Accept`` value equals ``text/event-stream`` and otherwise
    falls through to ``HttpServlet.doGet``'s 405; the simulator streamed to any ``Accept``
    that contained the text, ``q=0`` and lists included."""
    headers = {"Accept": accept} if accept is not None else {}
    with requests.get(f"{server.url}/v2/events", headers=headers, stream=True,
                      timeout=10) as answer:
        assert answer.status_code == (200 if streams else 405)
        if streams:
            assert next(answer.iter_lines(decode_unicode=True)) == \
                "event: event_stream_attached"


def test_a_dependency_cycle_is_refused_in_marathons_words(server):
    """Marathon refuses a cyclic group with ``Dependency graph has cyclic dependencies.``
    (``RootGroup.noCyclicDependencies``) and no more; the simulator's answer added the
    cycle and a hint, which stay in the Python library's error."""
    answer = requests.post(f"{server.url}/v2/groups", json={"id": "/shop", "apps": [
        {"id": "a", "cmd": "x", "cpus": 0.1, "mem": 16, "dependencies": ["/shop/b"]},
        {"id": "b", "cmd": "x", "cpus": 0.1, "mem": 16, "dependencies": ["/shop/a"]}]},
        timeout=10)
    assert answer.status_code == 422
    assert answer.json() == {"message": "Object is not valid", "details": [
        {"path": "/", "errors": ["Dependency graph has cyclic dependencies."]}]}
    with pytest.raises(DependencyCycleError, match=r"/shop/a -> /shop/b -> /shop/a\. Remove"):
        _framework(server).deploy({"id": "/shop", "apps": [
            {"id": "a", "cmd": "x", "dependencies": ["/shop/b"]},
            {"id": "b", "cmd": "x", "dependencies": ["/shop/a"]}]})


def test_a_tasks_version_is_its_apps_definition_version(server):
    """A task's version is that of the app definition it was launched with
    (``versionInfo.lastConfigChangeAt``); the simulator stamped tasks from a counter of its
    own, so after a scale of another app a new app's tasks showed a stamp from elsewhere."""
    def app(app_id):
        return requests.get(f"{server.url}/v2/apps{app_id}", timeout=10).json()["app"]

    requests.post(f"{server.url}/v2/apps", json={"id": "/w1", "cmd": "serve", "cpus": 0.1,
                                                 "mem": 32, "instances": 1}, timeout=10)
    server.step(30)
    requests.put(f"{server.url}/v2/apps/w1", json={"instances": 2}, timeout=10)
    server.step(30)
    requests.post(f"{server.url}/v2/apps", json={"id": "/w2", "cmd": "serve", "cpus": 0.1,
                                                 "mem": 32, "instances": 1}, timeout=10)
    server.step(30)
    created = app("/w2")
    assert {t["version"] for t in created["tasks"]} == {created["version"]}
    assert created["versionInfo"] == {"lastScalingAt": created["version"],
                                      "lastConfigChangeAt": created["version"]}
    scaled = app("/w1")                  # the scale moved lastScalingAt, not the definition
    assert scaled["versionInfo"]["lastScalingAt"] == scaled["version"]
    assert scaled["versionInfo"]["lastConfigChangeAt"] < scaled["version"]
    assert {t["version"] for t in scaled["tasks"]} == {
        scaled["versionInfo"]["lastConfigChangeAt"]}


ID_RULE = ("must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*"
           "([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$'")


@pytest.mark.parametrize(("app", "message", "details"), [
    # the RAML reader (app.raml, stringTypes.raml; Play JSON's error keys, all fields at once)
    ({"id": "/a", "cmd": "x", "cpus": "half"}, "Invalid JSON",
     [{"path": "/cpus", "errors": ["error.expected.jsnumber"]}]),
    ({"id": "/a", "cmd": "x", "instances": -1, "mem": "128Mi"}, "Invalid JSON",
     [{"path": "/instances", "errors": ["error.min"]},
      {"path": "/mem", "errors": ["error.expected.jsnumber"]}]),
    ({"id": "/a", "cmd": "x", "instances": 2.5}, "Invalid JSON",
     [{"path": "/instances", "errors": ["error.expected.int"]}]),
    ({"id": "/a", "cmd": "x", "cpus": 0}, "Invalid JSON",          # minimum: 0.001
     [{"path": "/cpus", "errors": ["error.min"]}]),
    ({"id": "/My_App", "cmd": "x"}, "Invalid JSON", [{"path": "/id", "errors": ["error.pattern"]}]),
    ({"id": "", "cmd": "x"}, "Invalid JSON", [{"path": "/id", "errors": ["error.minLength"]}]),
    ({"id": "/a", "cmd": "x", "constraints": ["hostname:UNIQUE"]}, "Invalid JSON",
     [{"path": "/constraints(0)", "errors": ["error.expected.jsarray"]}]),
    # nested types: appContainer.raml, network.raml, healthCheck.raml (enums read by the
    # generator's EnumVisitor, in any case); these got the loader's words
    ({"id": "/a", "cmd": "x", "container": {"type": "DOCKER", "docker": {}}}, "Invalid JSON",
     [{"path": "/container/docker/image", "errors": ["error.path.missing"]}]),
    ({"id": "/a", "cmd": "x", "container": {"docker": {"image": ""}}}, "Invalid JSON",
     [{"path": "/container/docker/image", "errors": ["error.minLength"]}]),
    ({"id": "/a", "cmd": "x", "container": {"type": "RKT", "docker": {"image": "nginx",
                                                                      "network": "OVERLAY"}}},
     "Invalid JSON", [{"path": "/container/type", "errors": ["error.unknown.enum.literal"]},
                      {"path": "/container/docker/network",
                       "errors": ["error.unknown.enum.literal"]}]),
    ({"id": "/a", "cmd": "x", "portDefinitions": [{"port": "80", "protocol": "http",
                                                   "name": "Web"}]}, "Invalid JSON",
     [{"path": "/portDefinitions(0)/port", "errors": ["error.expected.jsnumber"]},
      {"path": "/portDefinitions(0)/protocol", "errors": ["error.unknown.enum.literal"]},
      {"path": "/portDefinitions(0)/name", "errors": ["error.pattern"]}]),
    ({"id": "/a", "cmd": "x", "healthChecks": [{"protocol": "HTTP2", "intervalSeconds": -1}]},
     "Invalid JSON", [{"path": "/healthChecks(0)/protocol",
                       "errors": ["error.unknown.enum.literal"]},
                      {"path": "/healthChecks(0)/intervalSeconds", "errors": ["error.min"]}]),
    # numberTypes.raml's AnyPort (0 to 65535, Play's min and max): these got pydantic's
    # words as "Object is not valid" ("70000 is not valid: Input should be less than ...")
    ({"id": "/a", "cmd": "x", "portDefinitions": [{"port": 80}, {"port": 70000}]},
     "Invalid JSON", [{"path": "/portDefinitions(1)/port", "errors": ["error.max"]}]),
    ({"id": "/a", "cmd": "x", "container": {"type": "DOCKER", "docker": {"image": "nginx"},
                                            "portMappings": [{"containerPort": -1,
                                                              "hostPort": 70000,
                                                              "servicePort": 65536}]}},
     "Invalid JSON", [{"path": "/container/portMappings(0)/containerPort",
                       "errors": ["error.min"]},
                      {"path": "/container/portMappings(0)/hostPort", "errors": ["error.max"]},
                      {"path": "/container/portMappings(0)/servicePort",
                       "errors": ["error.max"]}]),
    ({"id": "/a", "cmd": "x", "container": {"type": "DOCKER", "docker": {
        "image": "nginx", "network": "BRIDGE", "portMappings": [{"containerPort": 65536}]}}},
     "Invalid JSON", [{"path": "/container/docker/portMappings(0)/containerPort",
                       "errors": ["error.max"]}]),
    ({"id": "/a", "cmd": "x", "ports": [0, 70000], "healthChecks": [{"port": -80}]},
     "Invalid JSON", [{"path": "/ports(1)", "errors": ["error.max"]},
                      {"path": "/healthChecks(0)/port", "errors": ["error.min"]}]),
    # more enums (killSelection.raml, network.raml): any case is read, another value refused
    ({"id": "/a", "cmd": "x", "killSelection": "NEWEST_FIRST",
      "networks": [{"mode": "bridge"}]}, "Invalid JSON",
     [{"path": "/networks(0)/mode", "errors": ["error.unknown.enum.literal"]},
      {"path": "/killSelection", "errors": ["error.unknown.enum.literal"]}]),
    # env (environmentVariable.raml): neither a string nor a secret reference; the union's
    # last alternative, EnvVarSecretRef, answers (these got the loader's words)
    ({"id": "/a", "cmd": "x", "env": {"PORT": 8080, "DEBUG": True, "KEY": {"secret": 5},
                                      "NAME": "web"}}, "Invalid JSON",
     [{"path": "/env/PORT/secret", "errors": ["error.path.missing"]},
      {"path": "/env/DEBUG/secret", "errors": ["error.path.missing"]},
      {"path": "/env/KEY/secret", "errors": ["error.expected.jsstring"]}]),
    ({"id": "/a", "cmd": "x", "env": ["PORT=8080"]}, "Invalid JSON",
     [{"path": "/env", "errors": ["error.expected.jsobject"]}]),
    # artifact.raml, secrets.raml, app.raml's uris and user (these were stored as sent)
    ({"id": "/a", "cmd": "x", "fetch": [{"uri": 3}, {"extract": True}], "uris": "http://a",
      "user": 0}, "Invalid JSON",
     [{"path": "/uris", "errors": ["error.expected.jsarray"]},
      {"path": "/fetch(0)/uri", "errors": ["error.expected.jsstring"]},
      {"path": "/fetch(1)/uri", "errors": ["error.path.missing"]},
      {"path": "/user", "errors": ["error.expected.jsstring"]}]),
    ({"id": "/a", "cmd": "x", "secrets": {"db": {"source": ""}, "api": "vault/api"}},
     "Invalid JSON", [{"path": "/secrets/db/source", "errors": ["error.minLength"]},
                      {"path": "/secrets/api/source", "errors": ["error.path.missing"]}]),
    # Accord (PathId.scala, AppValidation.scala, SchedulingValidation.scala)
    ({"id": "/web..x", "cmd": "x"}, "Object is not valid", [{"path": "/id", "errors": [ID_RULE]}]),
    ({"id": "/web/tasks", "cmd": "x"}, "Object is not valid", [{"path": "/id", "errors": [
        "must not end with any of the following reserved keywords: restart, tasks, versions, "
        "., .."]}]),
    ({"id": "/a", "cpus": 0.5}, "Object is not valid", [{"path": "/", "errors": [
        "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."]}]),
    # dockerDockerContainerValidator: docker is definedAnd; DOCKER is the default type, and
    # a container that is no object reads as one of defaults (these got the loader's words)
    ({"id": "/a", "cmd": "x", "container": {"type": "docker"}}, "Object is not valid",
     [{"path": "/container/docker", "errors": ["not defined"]}]),
    ({"id": "/a", "cmd": "x", "container": "x"}, "Object is not valid",
     [{"path": "/container/docker", "errors": ["not defined"]}]),
    ({"id": "/a", "cmd": "x", "container": {"docker": None}}, "Object is not valid",
     [{"path": "/container/docker", "errors": ["not defined"]}]),
    ({"id": "/a", "cmd": "x", "constraints": [["hostname", "SPREAD"]]}, "Object is not valid",
     [{"path": "/constraints(0)", "errors": [
         "Constraint operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, "
         "MAX_PER, UNLIKE or IS"]}]),
    ({"id": "/a", "cmd": "x", "constraints": [["hostname"]]}, "Object is not valid",
     [{"path": "/constraints(0)", "errors": ["Each constraint must have either 2 or 3 fields"]}]),
    ({"id": "/a", "cmd": "x", "constraints": [["rack", "MAX_PER", "two"]]}, "Object is not valid",
     [{"path": "/constraints(0)", "errors": ["Value was not specified or is not a number"]}]),
    ({"id": "/a", "cmd": "x", "constraints": [["rack", "LIKE", "("]]}, "Object is not valid",
     [{"path": "/constraints(0)", "errors": ["'(' is not a valid regular expression"]}]),
    # complyWithAppConstraintRules: UNIQUE takes no value, CLUSTER needs one (both accepted)
    ({"id": "/a", "cmd": "x", "constraints": [["hostname", "UNIQUE", "extra"]]},
     "Object is not valid", [{"path": "/constraints(0)", "errors": [
         "Value specified but not used"]}]),
    ({"id": "/a", "cmd": "x", "constraints": [["rack", "CLUSTER"]]}, "Object is not valid",
     [{"path": "/constraints(0)", "errors": ["Missing value"]}]),
    # validateCanonicalAppAPI without --default_network_name (/v2/info: null); no mode is
    # the RAML's default, a container network
    ({"id": "/a", "cmd": "x", "networks": [{"mode": "container"}]}, "Object is not valid",
     [{"path": "/", "errors": [
         "Network name must be specified when container network is selected."]}]),
    ({"id": "/a", "cmd": "x", "networks": [{}]}, "Object is not valid", [{"path": "/", "errors": [
        "Network name must be specified when container network is selected."]}]),
    # the reader takes an enum in any case (_enum), so CONTAINER is a container network too
    ({"id": "/a", "cmd": "x", "networks": [{"mode": "CONTAINER"}]}, "Object is not valid",
     [{"path": "/", "errors": [
         "Network name must be specified when container network is selected."]}]),
])
def test_invalid_definitions_get_marathons_answers(server, app, message, details):
    """Marathon reads an app with the RAML types' JSON reader first (422 "Invalid JSON",
    Play's error keys), then validates it with Accord (422 "Object is not valid", its own
    messages). Both answered pydantic's words ("'half' is not valid: Input should be a valid
    number"), all as "Object is not valid", and the id and constraints in the loader's own."""
    response = requests.post(f"{server.url}/v2/apps", json=app, timeout=10)
    assert (response.status_code, response.json()) == (422, {"message": message,
                                                             "details": details})
    assert _framework(server).root.run_specs == {}


@pytest.mark.parametrize(("constraint", "error"), [
    ({"fieldName": "hostname", "operator": "UNIQUE", "value": "x"},
     "Value specified but not used"),
    ({"fieldName": "rack", "operator": "CLUSTER"}, "Missing value"),
    ({"fieldName": "rack", "operator": "CLUSTER", "value": ""}, "Missing value"),
    ({"fieldName": "rack", "operator": "MAX_PER", "value": "x"},
     "Value was not specified or is not a number")])
def test_a_pods_constraints_are_refused_in_marathons_words(server, constraint, error):
    """``PodsValidation``'s ``complyWithConstraintRules``: a pod's constraints had been
    accepted with a value UNIQUE does not use or none for CLUSTER (an empty one too, unlike
    an app's), and refused in the loader's words."""
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 16}}],
           "scheduling": {"placement": {"constraints": [constraint]}}}
    response = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    assert (response.status_code, response.json()["details"]) == (422, [
        {"path": "/scheduling/placement/constraints(0)", "errors": [error]}])


def test_an_apps_max_per_without_a_value_is_taken_and_waits_for_ever(server):
    """``complyWithAppConstraintRules`` checks MAX_PER's value only when there is one, so
    Marathon stores the app; its launcher then dies at every offer (``Constraints.scala``
    reads ``""`` with ``toInt``), so the app waits in the queue with no offer counted. A
    pod's ``complyWithConstraintRules`` still asks for the value. The app had been refused."""
    app = {"id": "/a", "cmd": "x", "cpus": 0.1, "mem": 16, "constraints": [["hostname", "MAX_PER"]]}
    assert requests.post(f"{server.url}/v2/apps", json=app, timeout=10).status_code == 201
    server.step(30)
    [item] = requests.get(f"{server.url}/v2/queue", timeout=10).json()["queue"]
    assert item["count"] == 1 and item["processedOffersSummary"]["processedOffersCount"] == 0
    assert requests.get(f"{server.url}/v2/tasks", timeout=10).json() == {"tasks": []}
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 16}}],
           "scheduling": {"placement": {"constraints": [
               {"fieldName": "hostname", "operator": "MAX_PER"}]}}}
    answer = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    assert (answer.status_code, answer.json()["details"]) == (422, [
        {"path": "/scheduling/placement/constraints(0)",
         "errors": ["Value was not specified or is not a number"]}])


def test_an_apps_cluster_constraint_with_an_empty_value_is_taken(server):
    """``complyWithAppConstraintRules`` asks CLUSTER for a value, not a non-empty one: the
    empty value keeps the instances with the first one placed (``Constraints.scala``)."""
    app = {"id": "/a", "cmd": "x", "cpus": 0.1, "mem": 16, "constraints": [["rack", "CLUSTER", ""]]}
    assert requests.post(f"{server.url}/v2/apps", json=app, timeout=10).status_code == 201


@pytest.mark.parametrize(("method", "path", "fields", "where"), [
    ("POST", "/v2/apps", '"instances": -1e400', "/instances"),
    ("POST", "/v2/apps", '"backoffSeconds": 1e400', "/backoffSeconds"),
    ("POST", "/v2/apps", '"portDefinitions": [{"port": 1e400}]', "/portDefinitions(0)/port"),
    ("POST", "/v2/apps", '"healthChecks": [{"protocol": "TCP", "intervalSeconds": 1e400}]',
     "/healthChecks(0)/intervalSeconds"),
    ("PUT", "/v2/apps/a", '"instances": 1e400', "/instances"),
    ("POST", "/v2/apps", f'"instances": 1{"0" * 400}', "/instances"),
    ("PUT", "/v2/apps/a", f'"portDefinitions": [{{"port": -1{"0" * 400}}}]',
     "/portDefinitions(0)/port")])
def test_an_integer_too_large_for_a_double_is_no_int(server, method, path, fields, where):
    """Play reads a JSON number as a BigDecimal, so 1e400 is a number that is no Int, as 1e300
    is; Python reads it as infinity, which ``int()`` refused with a 500 OverflowError. An
    integer of 400 digits Python keeps as an int, which ``math.isfinite`` refused with one."""
    response = requests.request(method, f"{server.url}{path}", timeout=10,
                                data=f'{{"id": "/a", "cmd": "x", {fields}}}',
                                headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (422, {"message": "Invalid JSON",
        "details": [{"path": where, "errors": ["error.expected.int"]}]})


@pytest.mark.parametrize("field", ["cpus", "mem", "backoffFactor"])
def test_an_integer_too_large_for_a_double_in_a_number_field_is_refused(server, field):
    """A number field (a double) given an integer of 400 digits is refused with a 422 naming
    it, not a 500."""
    response = requests.post(f"{server.url}/v2/apps", timeout=10,
                             data=f'{{"id": "/a", "cmd": "x", "{field}": 1{"0" * 400}}}',
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert [detail["path"] for detail in response.json()["details"]] == [f"/{field}"]


@pytest.mark.parametrize(("query", "apps", "answer"), [
    ("", [{"id": "/a", "cpus": "half"}, {"id": "/b", "cmd": "x", "instances": -1}],
     {"message": "Invalid JSON", "details": [
         {"path": "(0)/cpus", "errors": ["error.expected.jsnumber"]},
         {"path": "(1)/instances", "errors": ["error.min"]}]}),
    ("", {"id": "/a", "cmd": "x"},
     {"message": "Invalid JSON", "details": [{"path": "", "errors": ["error.expected.jsarray"]}]}),
    ("", [{"cmd": "x"}], {"message": "requirement failed: App Update must have app id set"}),
    ("", [{"id": None, "cmd": "x"}],           # an AppUpdate's fields are optional: null is none
     {"message": "requirement failed: App Update must have app id set"}),
    ("?partialUpdate=false", [{"cmd": "x"}],
     {"message": "Invalid JSON", "details": [
         {"path": "(0)/id", "errors": ["error.path.missing"]}]}),
    ("", [{"id": "/a", "cmd": "x"}, {"id": "/web..x", "cmd": "x"}],
     {"message": "Object is not valid", "details": [{"path": "/id", "errors": [ID_RULE]}]}),
    # the loader's refusals too (they were named "(1)" and "(0)/healthChecks(0)")
    ("", [{"id": "/a", "cmd": "x"}, {"id": "/b", "cmd": "x", "args": ["y"]}],
     {"message": "Object is not valid", "details": [{"path": "/", "errors": [
         "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container' "
         "(expected cmd or args (not both), or a container with an image)."]}]}),
    ("", [{"id": "/a", "cmd": "x", "portDefinitions": [], "healthChecks": [
        {"protocol": "TCP", "portIndex": 1}]}],
     {"message": "Object is not valid", "details": [{"path": "/healthChecks(0)", "errors": [
         "Health check port indices must address an element of the ports array or container "
         "port mappings (expected a port, or a port for the app to check)."]}]}),
])
def test_a_list_of_apps_is_read_as_marathon_reads_it(server, query, apps, answer):
    """``PUT /v2/apps`` reads its list as a ``Seq`` of ``AppUpdate`` with the reader of one
    app (``AppsResource.canonicalAppUpdatesFromJson``; Play names an item's field
    ``(0)/cpus``), then requires each id and validates each app on its own. The list went
    past the reader: a bad field got the loader's words under "Object is not valid", a
    missing id an invented ``/(0)/id`` and a body that is no list an invented key."""
    response = requests.put(f"{server.url}/v2/apps{query}", json=apps, timeout=10)
    assert (response.status_code, response.json()) == (422, answer)
    assert _framework(server).root.run_specs == {}


def test_an_invalid_app_in_a_group_or_an_update_is_named_by_its_path(server, client):
    """The same reader for a group's apps (``/apps(0)/...``) and an app update; the marathon
    client shows the message and keeps the details."""
    group = {"id": "/g", "apps": [{"id": "/g/a", "cmd": "x", "instances": -2}]}
    response = requests.post(f"{server.url}/v2/groups", json=group, timeout=10)
    assert response.json() == {"message": "Invalid JSON", "details": [
        {"path": "/apps(0)/instances", "errors": ["error.min"]}]}
    client.create_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32))
    with pytest.raises(MarathonHttpError) as refused:
        client.update_app("/web", MarathonApp(cmd="serve", cpus=0.1, mem=32, instances=-1))
    assert str(refused.value) == 'MarathonHttpError: HTTP 422 returned with message, "Invalid JSON"'
    assert refused.value.error_details == [{"path": "/instances", "errors": ["error.min"]}]


def test_enums_are_read_in_any_case_and_stored_as_raml_spells_them(server, client):
    """The generated RAML reader matches an enum in any case (``EnumVisitor``) and Marathon
    writes back the RAML spelling; the loader refused ``"docker"``, ``"oldest_first"``,
    ``"HOST"`` (pydantic's "Input should be 'DOCKER' or 'MESOS'"). (The marathon client
    checks the engine type itself, in upper case: the definition is sent as JSON.)"""
    created = requests.post(f"{server.url}/v2/apps", timeout=10, json={
        "id": "/web", "instances": 3, "cpus": 0.1, "mem": 32,
        "container": {"type": "docker", "docker": {"image": "nginx:1.27"}},
        "killSelection": "oldest_first", "networks": [{"mode": "HOST"}],
        "unreachableStrategy": "Disabled"})
    assert created.status_code == 201
    server.step(30)
    app = requests.get(f"{server.url}/v2/apps/web", timeout=10).json()["app"]
    assert (app["container"]["type"], app["killSelection"], app["networks"],
            app["unreachableStrategy"]) == ("DOCKER", "OLDEST_FIRST", [{"mode": "host"}],
                                            "disabled")
    assert client.get_app("web").tasks_running == 3
    # the simulator reads the definition as stored (the kill order, the engine)
    assert _framework(server).root.run_specs["/web"]["killSelection"] == "OLDEST_FIRST"
    checked = requests.put(f"{server.url}/v2/apps/web", timeout=10, json={
        "healthChecks": [{"protocol": "command", "command": {"value": "true"}}]})
    assert checked.status_code == 200
    server.step(30)
    assert client.get_app("web").health_checks[0].protocol == "COMMAND"


def test_a_change_made_in_python_takes_its_version_when_it_is_made(server):
    """Marathon stamps a change with ``Timestamp.now()`` as it makes it
    (``GroupManagerImpl``). A scale made on the framework between two requests took the
    time of the next read as its version (here 0.8 s later); now the time it was made, the
    same at every read."""
    created = requests.post(f"{server.url}/v2/apps", timeout=10,
                            json={"id": "/web", "cmd": "sleep 1000", "cpus": 0.1, "mem": 16})
    assert created.status_code == 201
    server.step(30)
    before = time.time()
    with server.lock:
        _framework(server).scale("/web", 2)
    after = time.time()
    reads = []
    for _ in range(2):
        time.sleep(0.8)
        reads.append(requests.get(f"{server.url}/v2/apps/web", timeout=10).json()["app"])
    assert reads[0]["versionInfo"] == reads[1]["versionInfo"]
    scaled = datetime.fromisoformat(reads[0]["versionInfo"]["lastScalingAt"]).timestamp()
    assert before - 0.01 <= scaled <= after + 0.01
    assert reads[0]["versionInfo"]["lastConfigChangeAt"] == created.json()["version"]


def test_an_object_field_that_is_no_object_reads_as_one_of_defaults(server):
    """Marathon's generated reader looks a field up in any JSON value (Play's ``json \\
    "field"`` is undefined on a number, and ``validateOpt`` reads it as absent), so
    ``"upgradeStrategy": 3`` is the default strategy, not ``error.expected.jsobject`` (which
    this API answered), and an item of ``healthChecks`` that is no object is a health check
    of defaults."""
    response = requests.post(f"{server.url}/v2/apps", json={
        "id": "/a", "cmd": "x", "cpus": 0.1, "mem": 16, "upgradeStrategy": 3,
        "healthChecks": [1]}, timeout=10)
    assert response.status_code == 201, response.text
    assert response.json()["upgradeStrategy"] == {"minimumHealthCapacity": 1,
                                                  "maximumOverCapacity": 1}
    assert response.json()["healthChecks"] == [{}]


_MOUNTED = {"name": "c", "resources": {"cpus": 0.1, "mem": 32},
            "volumeMounts": [{"name": "data", "mountPath": "/data"}]}


@pytest.mark.parametrize(("fields", "message", "details"), [
    # the RAML reader: what every kind of PodVolume requires, and VolumeMount's fields
    ({"volumes": [{"name": 3}, "x"]}, "Invalid JSON", [
        {"path": "/volumes(0)/name", "errors": ["error.expected.jsstring"]},
        {"path": "/volumes(1)/name", "errors": ["error.path.missing"]}]),
    ({"volumes": {"name": "data"}}, "Invalid JSON", [
        {"path": "/volumes", "errors": ["error.expected.jsarray"]}]),
    ({"containers": [{**_MOUNTED, "volumeMounts": [{"name": "data"}]}],
      "volumes": [{"name": "data"}]}, "Invalid JSON", [
        {"path": "/containers(0)/volumeMounts(0)/mountPath", "errors": ["error.path.missing"]}]),
    # PodsValidation.podValidator
    ({"volumes": [{"name": "data"}, {"name": "logs", "host": "/var/log"}]},
     "Object is not valid", [{"path": "/volumes(1)", "errors": [
         "volume must be referenced by at least one container"]}]),
    ({"volumes": [{"name": "data"}, {"name": "data", "host": "/srv"}]}, "Object is not valid",
     [{"path": "/volumes", "errors": ["volume names must be unique"]}]),
    ({"volumes": []}, "Object is not valid", [
        {"path": "/containers(0)/volumeMounts(0)/name",
         "errors": ["Referenced Volume in VolumeMount should exist"]}]),
])
def test_pod_volumes_get_marathons_answers(server, fields, message, details):
    """A pod's ``volumes`` had no RAML reader nor Marathon's rules: a bad one reached the
    loader and was answered in pydantic's words ("3 is not valid: Input should be a valid
    string"), and an unmounted volume or a mount of no volume was taken."""
    pod = {"id": "/p", "containers": [_MOUNTED], **fields}
    response = requests.post(f"{server.url}/v2/pods", json=pod, timeout=10)
    assert (response.status_code, response.json()) == (422, {"message": message,
                                                             "details": details})
    assert _framework(server).root.run_specs == {}
    good = {**pod, "containers": [_MOUNTED], "volumes": [{"name": "data", "host": "/srv"}]}
    assert requests.post(f"{server.url}/v2/pods", json=good, timeout=10).status_code == 201


def _persistent(size: str) -> tuple[str, str]:
    """An app and a pod, each with one persistent volume of ``size`` (JSON text)."""
    volume = f'"persistent": {{"size": {size}}}'
    return (f'{{"id": "/g/a", "role": "g", "cmd": "x", "container": {{"type": "MESOS", '
            f'"volumes": [{{"containerPath": "data", "mode": "RW", {volume}}}]}}}}',
            f'{{"id": "/g/p", "role": "g", "containers": [{{"name": "c", "resources": '
            f'{{"cpus": 0.1, "mem": 32}}, "volumeMounts": [{{"name": "v", "mountPath": "/d"}}]}}'
            f'], "volumes": [{{"name": "v", {volume}}}]}}')


@pytest.mark.parametrize(("size", "key"), [
    ("1e300", "error.expected.long"), ("9223372036854775808", "error.expected.long"),
    ("1.5", "error.expected.long"), ("-1", "error.min"), ('"10"', "error.expected.jsnumber")])
def test_a_persistent_volumes_size_is_read_as_a_long(server, size, key):
    """``volumes.raml`` types ``size`` as an ``int64`` from 0, which the generated reader reads
    with Play's ``LongReads``: a number that is no Long is ``error.expected.long``, as
    ``instances: 1e300`` is ``error.expected.int``. The served API took any number (``1e300``
    was stored, and its app waited for a disk offer forever)."""
    app, pod = _persistent(size)
    for path, body, where in (("/v2/apps", app, "/container/volumes(0)/persistent/size"),
                              ("/v2/pods", pod, "/volumes(0)/persistent/size")):
        response = requests.post(f"{server.url}{path}", data=body, timeout=10,
                                 headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json()) == (422, {
            "message": "Invalid JSON", "details": [{"path": where, "errors": [key]}]})
    assert _framework(server).root.run_specs == {}


def test_a_long_written_with_an_exponent_is_written_back_whole(server):
    """Play reads ``1e3`` as the Long 1000 and Marathon writes 1000; the served API echoed
    ``1000.0``."""
    app, pod = _persistent("1e3")
    created = [requests.post(f"{server.url}{path}", data=body, timeout=10,
                             headers={"Content-Type": "application/json"}).json()
               for path, body in (("/v2/apps", app), ("/v2/pods", pod))]
    sizes = [created[0]["container"]["volumes"][0]["persistent"]["size"],
             created[1]["volumes"][0]["persistent"]["size"]]
    assert sizes == [1000, 1000] and all(isinstance(size, int) for size in sizes)


def test_a_task_being_killed_is_listed_as_killing() -> None:
    """With ``task_killing`` and a task that takes its time to stop, ``DELETE
    /v2/apps/<id>/tasks/<taskId>`` leaves it TASK_KILLING in ``GET /v2/tasks`` until its
    app's ``taskKillGracePeriodSeconds`` ends (the instance's Killing condition,
    ``Condition.toMesosTaskStateOrStaging``)."""
    mesos = MesosCluster(Node.many(2, "agent", cpu=2, memory="4Gi"), seed=0)
    mesos.register(Marathon(task_killing=True, task_stop_seconds=60))
    with serve("marathon", cluster=mesos, speed=0) as server:
        requests.post(f"{server.url}/v2/apps", json={
            "id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 32,
            "taskKillGracePeriodSeconds": 30}, timeout=10)
        server.step(20)
        [task] = requests.get(f"{server.url}/v2/tasks", timeout=10).json()["tasks"]
        requests.delete(f"{server.url}/v2/apps/web/tasks/{task['id']}", timeout=10)
        server.step(10)
        states = [t["state"] for t in
                  requests.get(f"{server.url}/v2/tasks", timeout=10).json()["tasks"]]
        server.step(30)
        after = [(t["id"] == task["id"], t["state"]) for t in
                 requests.get(f"{server.url}/v2/tasks", timeout=10).json()["tasks"]]
    assert "TASK_KILLING" in states
    assert (True, "TASK_KILLING") not in after


_OPERATOR = ("Constraint operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, "
             "MAX_PER, UNLIKE or IS")


@pytest.mark.parametrize(("kind", "body", "details"), [
    # Accord's rules checked by the reader's module and the loader's, in one answer
    ("apps", {"id": "/web", "cmd": "x", "constraints": [["hostname", "FOO"]],
              "networks": [{"mode": "host", "name": "h"}], "acceptedResourceRoles": ["", "-r"]},
     [{"path": "/constraints(0)", "errors": [_OPERATOR]},
      {"path": "/networks", "errors": ["Host networks may not have names or labels"]},
      {"path": "/acceptedResourceRoles(0)", "errors": ['A role name must not be "".']},
      {"path": "/acceptedResourceRoles(1)", "errors": ["A role name must not start with a '-'."]}]),
    # three rules across fields of the loader
    ("apps", {"id": "/web", "cmd": "x", "args": ["y"], "portDefinitions": [],
              "healthChecks": [{"protocol": "TCP", "portIndex": 1}], "instances": 2,
              "labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}},
     [{"path": "/", "errors": [
         "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container' "
         "(expected cmd or args (not both), or a container with an image)."]},
      {"path": "/healthChecks(0)", "errors": [
          "Health check port indices must address an element of the ports array or container "
          "port mappings (expected a port, or a port for the app to check)."]},
      {"path": "/instances", "errors": [
          "Single instance app may only have one instance (expected instances: 0 or 1)"]}]),
    ("groups", {"id": "/g", "apps": [{"id": "a", "cmd": "x", "acceptedResourceRoles": [],
                                      "constraints": [["hostname", "FOO"]]}]},
     [{"path": "/apps(0)/constraints(0)", "errors": [_OPERATOR]},
      {"path": "/apps(0)/acceptedResourceRoles", "errors": ["must not be empty"]}]),
])
def test_every_violation_of_a_definition_is_reported(server, kind, body, details):
    """Only the first broken rule was answered; Accord collects every violation and
    Marathon's ``failureWrites`` lists them in ``details``, one entry per path with its
    messages (``api/v2/Validation.scala``)."""
    response = requests.post(f"{server.url}/v2/{kind}", json=body, timeout=10)
    assert (response.status_code, response.json()) == (422, {
        "message": "Object is not valid", "details": details})
    assert _framework(server).root.run_specs == {}


_CMD_AND_ARGS = ("AppDefinition must either contain one of 'cmd' or 'args', and/or a "
                 "'container' (expected cmd or args (not both), or a container with an "
                 "image).")
_HOST_NAMED = {"mode": "host", "name": "n"}


@pytest.mark.parametrize(("kind", "body", "details"), [
    ("groups", {"id": "/g", "apps": [{"id": "a", "cmd": "x", "args": ["y"]},
                                     {"id": "b", "cmd": "x", "args": ["y"], "instances": 2,
                                      "labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}}]},
     [{"path": "/apps(0)", "errors": [_CMD_AND_ARGS]},
      {"path": "/apps(1)", "errors": [_CMD_AND_ARGS]},
      {"path": "/apps(1)/instances", "errors": [
          "Single instance app may only have one instance (expected instances: 0 or 1)"]}]),
    ("pods", {"id": "/p", "networks": [_HOST_NAMED],
              "scheduling": {"placement": {"acceptedResourceRoles": ["slave_public"]}},
              "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32},
                              "volumeMounts": [{"name": "v", "mountPath": "data"}]}],
              "volumes": [{"name": "v", "persistent": {"size": 10}}]},
     [{"path": "/networks", "errors": ["Host networks may not have names or labels"]},
      {"path": "/acceptedResourceRoles", "errors": [
          'A resident pod must have `acceptedResourceRoles = ["*"]` (expected '
          'scheduling.placement.acceptedResourceRoles: ["*"], or none).']}]),
])
def test_every_app_and_pod_of_a_definition_is_validated(server, kind, body, details):
    """A group with two broken apps was answered with the first app's violation only, and
    a pod with a named host network and a resident role with the network's only: Marathon
    validates each app of a group (``GroupValidation``) and every rule of a pod, and lists
    each violation at its path (``failureWrites``, ``api/v2/Validation.scala``)."""
    response = requests.post(f"{server.url}/v2/{kind}", json=body, timeout=10)
    assert (response.status_code, response.json()) == (422, {
        "message": "Object is not valid", "details": details})


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_an_update_is_validated_before_the_app_it_makes(server, method):
    """``AppsResource.update`` validates the body first (``validateCanonicalAppUpdateAPI``,
    ``validateOrThrow``) and the app it makes only once the body passes
    (``validAppDefinition``): a named host network in the body is answered alone, and the
    same update without it gets the made app's violation (``args`` beside its ``cmd``)."""
    created = requests.post(f"{server.url}/v2/apps", json={"id": "/b", "cmd": "sleep 1"},
                            timeout=10)
    assert created.status_code == 201
    first = requests.request(method, f"{server.url}/v2/apps/b", timeout=10,
                             json={"args": ["y"], "networks": [_HOST_NAMED]})
    assert (first.status_code, first.json()["details"]) == (422, [
        {"path": "/networks", "errors": ["Host networks may not have names or labels"]}])
    then = requests.request(method, f"{server.url}/v2/apps/b", timeout=10,
                            json={"args": ["y"]})
    assert (then.status_code, then.json()["details"]) == (422, [
        {"path": "/", "errors": [_CMD_AND_ARGS]}])


_VOLUME = {"containerPath": "data", "mode": "RW", "persistent": {"size": 10}}
_POD_VOLUME = {"volumeMounts": [{"name": "pst", "mountPath": "pst1"}]}


@pytest.mark.parametrize(("kind", "body", "answer"), [
    ("apps", {"id": "/dev/web", "cmd": "x", "role": "dev", "acceptedResourceRoles": ["dev"],
              "container": {"type": "MESOS", "volumes": [_VOLUME]}},
     'A resident app must have `acceptedResourceRoles = ["*"]` (expected '
     'acceptedResourceRoles: ["*"], or none).'),
    # PodsResourceTest's case: a pod of the role foo accepting * and slave_public
    ("pods", {"id": "/foo/db", "role": "foo",
              "scheduling": {"placement": {"acceptedResourceRoles": ["*", "slave_public"]}},
              "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32},
                              **_POD_VOLUME}],
              "volumes": [{"name": "pst", "persistent": {"size": 10}}]},
     'A resident pod must have `acceptedResourceRoles = ["*"]` (expected '
     'scheduling.placement.acceptedResourceRoles: ["*"], or none).'),
])
def test_a_resident_service_accepts_only_unreserved_resources(server, kind, body, answer):
    """A resident app or pod accepting a role other than ``*`` was created: Marathon
    reserves its volumes from unreserved resources only (``ResourceRole.
    validAcceptedResourceRoles``) and refuses it at ``/acceptedResourceRoles``."""
    response = requests.post(f"{server.url}/v2/{kind}", json=body, timeout=10)
    assert (response.status_code, response.json()) == (422, {
        "message": "Object is not valid",
        "details": [{"path": "/acceptedResourceRoles", "errors": [answer]}]})
    unreserved = requests.post(f"{server.url}/v2/{kind}", timeout=10, json={
        **body, **({"acceptedResourceRoles": ["*"]} if kind == "apps" else
                   {"scheduling": {"placement": {"acceptedResourceRoles": ["*"]}}})})
    assert unreserved.status_code == 201


_ENDED_KINDS = ["event_stream_attached", "deployment_success"]


def test_the_event_stream_carries_the_plan_of_a_deployment_the_framework_let_go(server,
                                                                                client):
    """A ``deployment_success`` carries its deployment's plan; the framework forgets a
    finished deployment beyond its last few, maybe before a stream reads the event (here,
    all of them happen while the stream waits for the lock): the bus holds the deployment
    each kept event is about."""
    from clustersim.marathon.framework import FINISHED_DEPLOYMENTS
    m = _framework(server)
    changes = FINISHED_DEPLOYMENTS + 5
    with requests.get(f"{server.url}/v2/events", params={"event_type": _ENDED_KINDS},
                      headers={"Accept": "text/event-stream"}, stream=True,
                      timeout=10) as events:
        lines = events.iter_lines(decode_unicode=True)
        assert next(lines) == "event: event_stream_attached"
        assert json.loads(next(lines)[len("data: "):])["eventType"] == "event_stream_attached"
        with server.lock:
            started = [m.deploy({"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 32,
                                 "instances": 1})]
            for change in range(changes):
                server.step(30)
                started.append(m.scale("/web", 2 if change % 2 == 0 else 1))
            server.step(30)
        seen = []
        for line in lines:
            if line.startswith("data: "):
                seen.append(json.loads(line[len("data: "):]))
                if len(seen) == len(started):
                    break
    assert started[0] not in m.deployments
    assert [(e["id"], e["plan"]["id"]) for e in seen] == [(d.id, d.id) for d in started]
