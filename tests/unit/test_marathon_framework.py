"""The Marathon framework on a simulated Mesos cluster: deployments, restarts, health checks,
backoff, unreachable agents, resident apps, pods, ports and locks."""

import json

import pytest

from clustersim import Node, marathon
from clustersim.manifests import ManifestError
from clustersim.mesos import MesosCluster


def cluster_with(agents=3, seed=0, **node):
    defaults = {"cpu": 4, "memory": "8Gi", "disk": "10Gi", "ports": [(31000, 32000)]}
    nodes = Node.many(agents, **{**defaults, **node},
                      domain=lambda i: {"region": "r", "zone": f"zone-{'abc'[(i - 1) % 3]}"})
    cluster = MesosCluster(nodes, seed=seed)
    return cluster, cluster.register(marathon.Marathon())


def app(app_id="/web", instances=2, **extra):
    return {"id": app_id, "cmd": "serve", "cpus": 0.5, "mem": 128, "instances": instances,
            **extra}


HEALTH = {"protocol": "HTTP", "gracePeriodSeconds": 20, "intervalSeconds": 5,
          "maxConsecutiveFailures": 2}


def reasons(m, reason, obj=None):
    return [e for e in m.events.where(reason=reason) if obj is None or obj in e.object]


def test_deploy_runs_the_instances_and_reports_the_deployment():
    cluster, m = cluster_with()
    deployment = m.deploy(app(instances=3))
    cluster.run()
    assert deployment.status == "success"
    row = m.status()[0]
    assert (row["running"], row["instances"], row["deploying"]) == (3, 3, False)
    assert [e.reason for e in m.events if e.object.startswith("deployment/")] == [
        "deployment_info", "deployment_step_success", "deployment_info",
        "deployment_step_success", "deployment_success",
    ]
    assert len(cluster.tasks(framework="marathon", state="TASK_RUNNING")) == 3


def test_scale_up_and_down():
    cluster, m = cluster_with()
    m.deploy(app(instances=2))
    cluster.run()
    m.scale("/web", 5)
    cluster.run()
    assert m.status()[0]["running"] == 5
    m.scale("web", 1)
    cluster.run()
    assert m.status()[0]["running"] == 1
    assert len(cluster.tasks(framework="marathon", state="TASK_KILLED")) == 4


def test_dependencies_start_after_their_dependencies_are_healthy():
    cluster, m = cluster_with()
    m.deploy({"id": "/shop", "apps": [app("/shop/db", 1, healthChecks=[HEALTH]),
                                      app("/shop/web", 2, dependencies=["/shop/db"])]})
    cluster.run()
    db_healthy = reasons(m, "health_status_changed_event", "shop_db")[0].time
    web_launch = min(e.time for e in reasons(m, "instance_changed_event", "shop_web")
                     if e.message.startswith("condition=Provisioned "))
    assert web_launch >= db_healthy > 0


def test_rolling_restart_respects_the_upgrade_strategy():
    cluster, m = cluster_with()
    m.deploy(app(instances=4, healthChecks=[HEALTH]))
    cluster.run()
    strategy = {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}
    start = cluster.now
    deployment = m.deploy(app(instances=4, cmd="serve v2", healthChecks=[HEALTH],
                              upgradeStrategy=strategy))
    killed_at_once = [e for e in cluster.events.where(reason="TASK_KILLED") if e.time == start]
    assert len(killed_at_once) == 2          # restart_strategy(4, 0.5/0, 4, 4) kills 2 now
    alive_max = 0
    while deployment.status == "running":
        cluster.run(until=cluster.now + 1)
        alive = len([t for t in cluster.tasks(framework="marathon") if not t.terminal])
        alive_max = max(alive_max, alive)
    assert alive_max <= 4                    # maximumOverCapacity 0: never above 4
    assert all(i.version > 1 for i in m.instances("/web"))


def test_restart_kills_one_old_instance_per_new_healthy_one():
    """TaskReplaceActor kills an old instance for each new one that becomes healthy: with
    (0.5, 0) and 6 instances, 3 old die at once and the last 3 together, as soon as the 3
    new ones are healthy. (A kill whose status update arrived during the kill loop was once
    counted twice, which left old instances running longer.)"""
    cluster, m = cluster_with(cpu=8)
    m.deploy(app(instances=6))
    cluster.run()
    start = cluster.now
    deployment = m.deploy(app(instances=6, cmd="serve v2",
                              upgradeStrategy={"minimumHealthCapacity": 0.5,
                                               "maximumOverCapacity": 0}))
    cluster.run(until=start + 60)
    assert deployment.status == "success"
    kills = sorted({e.time for e in cluster.events.where(reason="TASK_KILLED")})
    at = {t: len([e for e in cluster.events.where(reason="TASK_KILLED") if e.time == t])
          for t in kills}
    assert list(at.values()) == [3, 3] and kills[0] == start


def test_failing_health_checks_kill_and_relaunch_with_growing_backoff():
    cluster, m = cluster_with()
    m.deploy(app(instances=1, healthChecks=[HEALTH], backoffSeconds=10, backoffFactor=2))
    cluster.run()
    m.set_health("/web", False)
    cluster.run(until=cluster.now + 200)
    kills = reasons(m, "unhealthy_task_kill_event")
    assert len(kills) >= 2
    launches = [e.time for e in reasons(m, "instance_changed_event")
                if e.message.startswith("condition=Provisioned ")]
    gaps = [later - kill.time for kill, later in zip(kills, launches[1:], strict=False)]
    assert gaps[0] >= 10 and gaps[1] >= 20   # backoffSeconds 10, then × backoffFactor 2
    m.set_health("/web", True)
    cluster.run(until=cluster.now + 400)
    assert m.status()[0]["healthy"] == 1


def test_failures_in_the_grace_period_are_ignored():
    cluster, m = cluster_with()
    m.deploy(app(instances=1, healthChecks=[{**HEALTH, "gracePeriodSeconds": 300}]))
    m.set_health("/web", False)
    cluster.run(until=200)
    assert not reasons(m, "failed_health_check_event")
    cluster.run(until=400)
    assert reasons(m, "failed_health_check_event")


def test_lost_agent_replacement_follows_unreachable_strategy():
    cluster, m = cluster_with()
    m.deploy(app(instances=1, unreachableStrategy={"inactiveAfterSeconds": 60,
                                                   "expungeAfterSeconds": 120}))
    cluster.run()
    first = m.instances("/web")[0]
    failed_at = cluster.now
    cluster.fail_agent(first.hostname)
    cluster.run(until=failed_at + 75 + 59)     # unreachable at +75 s, inactive at +135 s
    assert first.state == "Unreachable" and len(m.instances("/web")) == 1
    cluster.run(until=failed_at + 75 + 70)
    replacement = [i for i in m.instances("/web") if i is not first]
    assert replacement and replacement[0].hostname != first.hostname
    cluster.run(until=failed_at + 75 + 130)
    assert first not in m.instances("/web")    # expunged


def test_resident_app_stays_on_its_reserved_agent():
    cluster, m = cluster_with()
    resident = app("/shop/web", instances=1, role="shop", container={"type": "MESOS", "volumes": [
        {"containerPath": "data", "mode": "RW", "persistent": {"size": 100}}]})
    m.deploy(resident)
    cluster.run()
    home = m.instances("/shop/web")[0].reservation
    assert home is not None
    m.deploy({**resident, "cmd": "serve v2"})
    cluster.run()
    assert [i.agent_id for i in m.instances("/shop/web")] == [home]
    m.scale("/shop/web", 0)
    cluster.run()
    assert [i.state for i in m.instances("/shop/web")] == ["Reserved"]
    m.scale("/shop/web", 1)
    cluster.run()
    assert [(i.state, i.agent_id) for i in m.instances("/shop/web")] == [("Running", home)]


def test_an_offer_away_from_the_reservation_is_declined_for_that_alone():
    """A resident instance waits for its reserved agent: ``InstanceOpFactoryImpl`` answers
    any other offer ``NoCorrespondingReservationFound`` without matching its resources, so a
    public agent's offer (role ``slave_public``, which the app does not accept) gives that
    reason alone. The simulator checked the role first and said ``UnfulfilledRole``."""
    cluster = marathon.dcos_cluster(private=1, public=2)
    m = cluster.register(marathon.Marathon())
    m.deploy(app("/db/postgres", instances=1, role="db", container={"type": "MESOS", "volumes": [
        {"containerPath": "data", "mode": "RW", "persistent": {"size": 100}}]}))
    cluster.run()
    [home] = [a for a in cluster.agents if a.id == m.instances("/db/postgres")[0].reservation]
    m.scale("/db/postgres", 0)
    cluster.run()
    cluster.fail_agent(home.name)
    m.scale("/db/postgres", 1)
    cluster.run(until=cluster.now + 30)
    assert m.queue()[0]["rejections"] == {"NoCorrespondingReservationFound": 2}
    offers = m.launch_attempt("/db/postgres").last_offers
    assert sorted(offers) == sorted(a.id for a in cluster.agents if a is not home)
    assert {u.reasons for u in offers.values()} == {("NoCorrespondingReservationFound",)}


def test_resident_app_may_not_over_provision():
    _, m = cluster_with()
    with pytest.raises(ValueError, match="maximumOverCapacity"):
        m.deploy(app(container={"volumes": [{"containerPath": "d", "persistent": {"size": 1}}]},
                     upgradeStrategy={"maximumOverCapacity": 0.5}))


def test_pod_instances_launch_as_one_task_group():
    cluster, m = cluster_with()
    m.deploy({"id": "/pod", "scaling": {"kind": "fixed", "instances": 2},
              "networks": [{"mode": "host"}],
              "containers": [{"name": "a", "resources": {"cpus": 0.2, "mem": 64}},
                             {"name": "b", "resources": {"cpus": 0.1, "mem": 32}}]})
    cluster.run()
    tasks = cluster.tasks(framework="marathon", state="TASK_RUNNING")
    assert len(tasks) == 4
    for instance in m.instances("/pod"):
        hosts = {t.hostname for t in tasks if t.task_id in instance.tasks}
        assert len(hosts) == 1                      # containers of an instance share the agent
    m.driver.kill_task(next(iter(m.instances("/pod")[0].tasks)))
    cluster.run(until=cluster.now + 30)
    assert m.status()[0]["running"] == 2


def test_service_ports_are_assigned_from_10000_and_kept():
    cluster, m = cluster_with()
    m.deploy({"apps": [app("/a", portDefinitions=[{"port": 0}, {"port": 0}]),
                       app("/b", portDefinitions=[{"port": 10001}])]})
    cluster.run()
    ports = {row["id"]: row["service_ports"] for row in m.status()}
    assert ports == {"/a": [10000, 10002], "/b": [10001]}
    m.deploy(app("/a", instances=3, portDefinitions=[{"port": 0}, {"port": 0}]))
    assert m.apps["/a"].service_ports == [10000, 10002]


def test_require_ports_makes_service_ports_host_ports_and_conflicts_spread_tasks():
    cluster, m = cluster_with(agents=2, ports=[(1000, 1100)])
    m.deploy(app(instances=2, requirePorts=True, portDefinitions=[{"port": 1080}]))
    cluster.run()
    placed = m.instances("/web")
    assert [i.host_ports for i in placed] == [[1080], [1080]]
    assert len({i.hostname for i in placed}) == 2    # one agent cannot hold port 1080 twice
    m.scale("/web", 3)
    cluster.run(until=cluster.now + 60)
    assert m.status()[0]["running"] == 2
    assert "InsufficientPorts" in m.queue()[0]["rejections"]


def test_bridge_mapping_with_fixed_host_port():
    cluster, m = cluster_with(agents=1, ports=[(1, 65535)])
    m.deploy(app(instances=1, container={"type": "DOCKER", "docker": {
        "image": "nginx", "network": "BRIDGE",
        "portMappings": [{"containerPort": 80, "hostPort": 80, "servicePort": 9000}]}}))
    cluster.run()
    instance = m.instances("/web")[0]
    assert instance.host_ports == [80] and m.apps["/web"].service_ports == [9000]


def test_group_by_zone_spreads_instances():
    cluster, m = cluster_with(agents=6)
    m.deploy(app(instances=6, constraints=[["@zone", "GROUP_BY", "3"]]))
    cluster.run()
    zones = sorted(i.domain["zone"] for i in m.instances("/web"))
    assert zones == ["zone-a"] * 2 + ["zone-b"] * 2 + ["zone-c"] * 2


def test_unmet_constraint_waits_and_says_why():
    cluster, m = cluster_with()
    m.deploy(app(instances=1, constraints=[["rack", "CLUSTER", "rack-9"]]))
    cluster.run()
    queue = m.queue()
    assert queue[0]["count"] == 1 and "UnfulfilledConstraint" in queue[0]["rejections"]


def test_public_agents_only_take_slave_public_apps():
    """On DC/OS, whose Marathon runs with ``--mesos_role slave_public`` (a root app's role,
    which its acceptedResourceRoles may name: :mod:`clustersim.marathon.roles`)."""
    cluster = marathon.dcos_cluster(private=1, public=1)
    m = cluster.register(marathon.Marathon(role="slave_public"))
    m.deploy({"apps": [app("/edge", 1, acceptedResourceRoles=["slave_public"]),
                       app("/inner", 1)]})
    cluster.run()
    hosts = {i.spec_id: i.hostname for i in m.instances()}
    assert hosts == {"/edge": "public-agent-1", "/inner": "agent-1"}


def test_a_second_deployment_of_a_locked_app_needs_force():
    cluster, m = cluster_with()
    first = m.deploy(app(instances=2, healthChecks=[HEALTH]))
    with pytest.raises(ValueError, match="locked by one or more deployments"):
        m.deploy(app(instances=3))
    second = m.deploy(app(instances=3), force=True)
    cluster.run()
    assert (first.status, second.status) == ("canceled", "success")


def test_bad_input_is_refused_before_anything_changes():
    _, m = cluster_with()
    with pytest.raises(ValueError, match="NEAR"):
        m.deploy(app(constraints=[["hostname", "NEAR"]]))
    with pytest.raises(ValueError, match="cyclic"):
        m.deploy({"apps": [app("/a", dependencies=["/b"]), app("/b", dependencies=["/a"])]})
    with pytest.raises(ValueError, match="kubernetes object"):
        m.deploy({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
    assert m.apps == {} and m.root.run_specs == {}


def test_a_cycle_is_refused_naming_the_file_that_closes_it(tmp_path):
    """The cycle was refused as a plain ValueError that named no file; Marathon checks it
    against the whole root group, so the file whose dependencies close it is named, with the
    line of its object (here the second file, as ``/a`` is already deployed)."""
    _, m = cluster_with()
    m.deploy(app("/a", dependencies=["/b"]))
    path = tmp_path / "b.json"
    text = json.dumps([{"id": "/shop", "apps": []}, app("/b", dependencies=["/a"])], indent=1)
    path.write_text(text)
    with pytest.raises(ManifestError) as refused:
        m.deploy(path)
    second = [n for n, line in enumerate(text.splitlines(), 1) if line == " {"][1]  # app /b
    assert refused.value.source.endswith("b.json") and refused.value.line == second
    assert "cyclic dependencies: /a -> /b -> /a" in str(refused.value)
    assert "/b" not in m.root.run_specs


def test_deploy_needs_registration():
    with pytest.raises(ValueError, match="register Marathon"):
        marathon.Marathon().deploy(app())


def test_remove_stops_everything():
    cluster, m = cluster_with()
    m.deploy({"id": "/g", "apps": [app("/g/a", 2), app("/g/b", 1)]})
    cluster.run()
    m.remove("/g")
    cluster.run()
    assert m.apps == {} and not [t for t in cluster.tasks() if not t.terminal]


def test_same_seed_same_events():
    def trace(seed):
        cluster, m = cluster_with(seed=seed)
        m.deploy({"apps": [app("/a", 4), app("/b", 3, constraints=[["hostname", "UNIQUE"]])]})
        cluster.run()
        return [(e.time, e.object, e.reason, e.message) for e in m.events]

    assert trace(3) == trace(3)


def test_restart_of_a_scaled_down_resident_app_reuses_its_reservation():
    cluster, m = cluster_with()
    resident = app("/shop/web", instances=1, role="shop", container={"type": "MESOS", "volumes": [
        {"containerPath": "data", "mode": "RW", "persistent": {"size": 100}}]})
    m.deploy(resident)
    cluster.run()
    m.scale("/shop/web", 0)
    cluster.run()
    home = m.instances("/shop/web")[0].reservation
    deployment = m.deploy({**resident, "cmd": "serve v2", "instances": 1})
    cluster.run()
    assert deployment.status == "success"
    assert [(i.state, i.agent_id) for i in m.instances("/shop/web")] == [("Running", home)]


def test_deployment_finishes_while_a_lost_instance_waits_to_be_expunged():
    cluster, m = cluster_with()
    m.deploy(app(instances=2, unreachableStrategy={"inactiveAfterSeconds": 0,
                                                   "expungeAfterSeconds": 3600}))
    cluster.run()
    cluster.fail_agent(m.instances("/web")[0].hostname)
    cluster.run(until=cluster.now + 100)
    deployment = m.scale("/web", 3)
    cluster.run(until=cluster.now + 60)
    assert deployment.status == "success" and m.status()[0]["running"] == 3


def test_pod_containers_share_one_network_namespace():
    cluster, m = cluster_with()
    m.deploy({"id": "/pod", "scaling": {"kind": "fixed", "instances": 1},
              "networks": [{"mode": "container", "name": "dcos"}],
              "volumes": [{"name": "scratch"}],
              "containers": [
                  {"name": "web", "resources": {"cpus": 0.1, "mem": 32},
                   "volumeMounts": [{"name": "scratch", "mountPath": "/data"}]},
                  {"name": "sidecar", "resources": {"cpus": 0.1, "mem": 32},
                   "volumeMounts": [{"name": "scratch", "mountPath": "/data"}]}]})
    cluster.run()
    records = marathon.MesosDNS(cluster).records()
    assert records["web.marathon.mesos"] == records["sidecar.marathon.mesos"]
    assert records["web.marathon.mesos"][0].startswith("9.0.")


def test_resident_app_needs_unreachable_strategy_disabled():
    _, m = cluster_with()
    with pytest.raises(ValueError, match="disabled"):
        m.deploy(app("/shop/web", role="shop",
                     container={"volumes": [{"containerPath": "d", "persistent": {"size": 1}}]},
                     upgradeStrategy={"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0},
                     unreachableStrategy={"inactiveAfterSeconds": 60,
                                          "expungeAfterSeconds": 120}))


def test_deployments_wait_for_readiness_checks():
    cluster, m = cluster_with()
    deployment = m.deploy(app(instances=2, readinessChecks=[
        {"name": "ready", "protocol": "HTTP", "path": "/ready", "portName": "http",
         "intervalSeconds": 10}]))
    cluster.run()
    assert deployment.status == "success"
    assert m.wait_time(deployment) >= 10 + 1     # task startup, then the first check
    assert all(i.ready for i in m.instances("/web"))


def test_unique_hostnames_with_over_capacity_stall_a_restart_on_a_full_cluster():
    # A known Marathon pitfall: with one instance per agent already, the new instances of a
    # default (1.0, 1.0) restart find no agent; the old ones are never killed.
    cluster, m = cluster_with(agents=3)
    unique = app(instances=3, constraints=[["hostname", "UNIQUE"]])
    m.deploy(unique)
    cluster.run()
    deployment = m.deploy({**unique, "cmd": "serve v2"})
    cluster.run(until=cluster.now + 300)
    assert deployment.status == "running"
    assert "UnfulfilledConstraint" in m.queue()[0]["rejections"]
    assert m.status()[0]["running"] == 3


@pytest.mark.parametrize(("selection", "survivor"), [("YOUNGEST_FIRST", 0), ("OLDEST_FIRST", 1)])
def test_scale_down_follows_kill_selection(selection, survivor):
    cluster, m = cluster_with()
    m.deploy(app(instances=1, killSelection=selection))
    cluster.run()
    m.scale("/web", 2)
    cluster.run()
    first, second = m.instances("/web")
    m.scale("/web", 1)
    cluster.run()
    assert m.instances("/web") == [(first, second)[survivor]]


def test_snapshot_shows_waiting_instances_without_a_node():
    cluster, m = cluster_with(agents=1)
    m.deploy(app(instances=2, constraints=[["hostname", "UNIQUE"]]))
    cluster.run()
    snapshot = m.snapshot(cluster)
    assert snapshot.system == "marathon" and len(snapshot.nodes) == 1
    assert sorted((t.node is None, t.state) for t in snapshot.tasks) == [
        (False, "Running"), (True, "Scheduled")]


def test_versions_are_stored_per_change_up_to_the_limit_and_go_with_the_app():
    """Each change stores the run specs it altered (a scale and a restart too; an unchanged
    app nothing), at most ``max_versions`` per app (``--zk_max_versions``), newest first;
    deleting the app deletes its versions."""
    nodes = Node.many(3, cpu=4, memory="8Gi", disk="10Gi", ports=[(31000, 32000)])
    cluster = MesosCluster(nodes, seed=0)
    m = cluster.register(marathon.Marathon(max_versions=3))
    m.deploy(app(instances=1))
    m.deploy(app("/other"))
    cluster.run()
    m.scale("/web", 2)
    cluster.run()
    m.deploy(app(instances=2, cmd="serve v2"))
    cluster.run()
    m.restart("/web")
    cluster.run()
    assert [v.number for v in m.versions("/web")] == [5, 4, 3]
    assert [v.config_change for v in m.versions("/web")] == [5, 4, 1]
    assert [v.last_scaling for v in m.versions("/web")] == [4, 4, 3]
    assert [v.number for v in m.versions("other")] == [2]
    assert m.versions("/web")[-1].manifest["instances"] == 2
    m.remove("/web")
    cluster.run()
    assert m.versions("/web") == [] and m.versions("/other")
    with pytest.raises(ValueError, match="max_versions must be a whole number"):
        marathon.Marathon(max_versions=0)


def test_cancelling_a_restart_with_a_rollback_starts_an_empty_deployment_and_the_restart_goes_on():
    """``DELETE /v2/deployments/<id>`` of a restart: the revert of a restart changes nothing
    (``GroupVersioningUtil`` keeps the restarted app's ``versionInfo``), so its deployment
    has no steps, cancels nothing and ends at once; the restart replaces every instance. It
    used to be refused ("there is nothing to roll back to")."""
    cluster, m = cluster_with()
    m.deploy(app(instances=4))
    cluster.run(until=30)
    old = {i.id for i in m.instances("/web")}
    restart = m.restart("/web")
    revert = m.cancel(restart.id)
    assert (revert.steps, revert.status, restart.status) == ([], "success", "running")
    assert not reasons(m, "deployment_failed")
    cluster.run(until=120)
    assert restart.status == "success"
    assert len(m.instances("/web")) == 4 and not old & {i.id for i in m.instances("/web")}
    assert [v.number for v in m.versions("/web")] == [2, 1]   # the revert stored none


def test_an_apps_max_per_without_a_value_is_deployed_and_no_offer_launches_it():
    """Marathon takes an app's ``["hostname", "MAX_PER"]`` (``complyWithAppConstraintRules``
    checks a value only when there is one) and its launcher dies with ``NumberFormatException:
    For input string: ""`` at every offer (``Constraints.scala``'s ``toInt``): the app waits
    for ever, its offers uncounted by the launch attempt's statistics. The loader had refused
    the definition."""
    cluster, m = cluster_with()
    deployment = m.deploy(app(instances=2, constraints=[["hostname", "MAX_PER"]]))
    cluster.run(until=300)
    assert deployment.status == "running" and m.instances("/web") != []
    assert all(i.state == "Scheduled" for i in m.instances("/web"))
    [row] = m.queue()
    assert list(row["rejections"]) == ['java.lang.NumberFormatException: For input string: ""']
    assert m.launch_attempt("/web").processed == 0


def test_marathon_keeps_only_its_live_instances_tasks():
    """Marathon keeps a task only inside its instance (``Instance.scala``), and kills a
    non-terminal task it no longer knows (``TaskStatusUpdateProcessorImpl``,
    ``killUnknownTask``), so it needs no record of past tasks: through a restart loop, the
    tasks it can look up are those of its instances. The simulator kept an entry for every
    task ever launched (benchmarks/swarm_restart_loop.py --in-process --system mesos)."""
    cluster, m = cluster_with()
    m.deploy(app(instances=3, healthChecks=[HEALTH]))
    cluster.run(until=60)
    m.set_health("/web", False)
    cluster.run(until=1200)
    updates = len(reasons(m, "status_update_event"))
    held = {t for a in m.apps.values() for i in a.instances.values() for t in i.tasks}
    assert updates > 10 * len(held) > 0                    # many tasks came and went
    assert set(m._task_index) == held


def test_finished_deployments_are_let_go_and_numbers_go_on():
    """Marathon forgets a deployment when it finishes (``DeploymentManagerActor`` removes it
    on ``DeploymentFinished``); the simulator kept every one, a growing list through a long
    run (benchmarks/marathon_deployments.py). It keeps the running ones and the last
    :data:`FINISHED_DEPLOYMENTS`; numbers, versions and start times go on."""
    from clustersim.marathon.framework import FINISHED_DEPLOYMENTS
    cluster, m = cluster_with()
    first = m.deploy(app(instances=1))
    cluster.run(until=60)
    changes = FINISHED_DEPLOYMENTS + 10
    for minute in range(2, changes + 2):
        m.scale("/web", 2 if minute % 2 else 1)
        cluster.run(until=60 * minute)
    held = m.scale("/web", 200)          # more than the cluster holds: it keeps running
    cluster.run(until=60 * (changes + 2))
    assert held.status == "running" and m.deployment_count == changes + 2
    assert len(m.deployments) == FINISHED_DEPLOYMENTS + 1 and m.deployments[-1] is held
    assert first not in m.deployments and first.status == "success"
    assert [d.number for d in m.deployments] == list(range(changes + 2 - FINISHED_DEPLOYMENTS,
                                                           changes + 3))
    assert m.started_at(first.number) == first.started_at
    assert m.versions("/web")[0].number == held.number
