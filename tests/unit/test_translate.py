"""Translation helpers: the example application, one test per mapping rule, and the report
of what did not translate."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from clustersim import ManifestError, load_manifests
from clustersim.examples import example_path, example_text
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.translate import (
    PUBLISHED_SERVICE_TYPE,
    marathon_to_kubernetes,
    mesos_dns_name,
    objects,
    stack_to_kubernetes,
)


def stack(**services) -> dict:
    return {"services": services}


def only(result, kind: str) -> dict:
    [found] = [o for o in result.objects if o["kind"] == kind]
    return found


def pod_spec(result, kind: str = "Deployment") -> dict:
    return only(result, kind)["spec"]["template"]["spec"]


def container(result, kind: str = "Deployment") -> dict:
    return pod_spec(result, kind)["containers"][0]


def fields(result) -> set[tuple[str, str, str]]:
    return {(f.source, f.field, f.severity) for f in result.findings}


# ---- the example application ---------------------------------------------------------------

def labelled_default_nodes():
    """default_nodes() with worker-1 labelled disk=ssd, as `kubectl label node worker-1
    disk=ssd` would: the stack constrains the database to such a node."""
    nodes = default_nodes()
    nodes[0] = nodes[0].copy(labels={**nodes[0].labels, "disk": "ssd"})
    return nodes


@pytest.mark.parametrize("system,translate", [("swarm", stack_to_kubernetes),
                                              ("marathon", marathon_to_kubernetes)])
def test_example_translates_validates_loads_and_runs(system, translate):
    result = translate(example_path(system))
    assert result.validate() == []
    specs = load_manifests(result.yaml())
    assert [s.kind for s in specs] == [o["kind"] for o in result.objects]
    cluster = KubernetesCluster(labelled_default_nodes())
    cluster.apply(result.objects)
    cluster.run(until=120)
    pods = cluster.pods()
    wanted = sum(o["spec"]["replicas"] for o in result.objects
                 if o["kind"] in ("Deployment", "StatefulSet"))
    assert len(pods) == wanted == 7
    assert all(p.node is not None and p.phase == "Running" for p in pods), pods


def test_stack_database_stays_pending_without_the_labelled_node():
    cluster = KubernetesCluster(default_nodes())
    cluster.apply(stack_to_kubernetes(example_path("swarm")).objects)
    cluster.run(until=60)
    [db] = [p for p in cluster.pods() if p.name.startswith("db-")]
    assert db.node is None and "didn't match Pod's node affinity/selector" in db.message


def test_example_stack_objects():
    result = stack_to_kubernetes(example_path("swarm"))
    kinds = [(o["kind"], o["metadata"]["name"]) for o in result.objects]
    assert kinds == [("PersistentVolumeClaim", "db-db-data"), ("Deployment", "db"),
                     ("Deployment", "cache"), ("Deployment", "api"),
                     ("Deployment", "frontend"), ("Service", "frontend")]
    assert {("db", "ports", "untranslatable"), ("api", "depends_on", "untranslatable"),
            ("api", "deploy.update_config.failure_action", "untranslatable")} <= fields(result)


def test_expose_gives_the_services_swarm_had():
    data = yaml.safe_load(example_text("swarm"))
    for name, port in (("db", 5432), ("cache", 6379), ("api", 8080)):
        data["services"][name]["expose"] = [port]
    result = stack_to_kubernetes(data)
    services = {o["metadata"]["name"]: o["spec"] for o in result.objects if o["kind"] == "Service"}
    assert services["db"]["ports"][0]["port"] == 5432 and "type" not in services["db"]
    assert not any(f.field == "ports" for f in result.findings)
    assert result.validate() == []


def test_example_marathon_objects():
    result = marathon_to_kubernetes(example_path("marathon"))
    db = only(result, "StatefulSet")
    assert db["metadata"]["name"] == "postgres-db-shop"
    assert db["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"] == {
        "storage": "10Gi"}
    assert db["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] == [
        {"name": "data", "mountPath": "/var/lib/postgresql/data"}]
    env = {e["name"]: e["value"] for o in result.objects if o["kind"] == "Deployment"
           for e in o["spec"]["template"]["spec"]["containers"][0].get("env", [])}
    assert env == {"DATABASE_HOST": "postgres-db-shop", "CACHE_HOST": "redis-cache-shop",
                   "API_URL": "http://api-web-shop:8080"}
    assert {("/shop/web", "dependencies", "untranslatable"),
            ("/shop/web/api", "constraints[0]", "untranslatable"),
            ("/shop/web/frontend", "labels.HAPROXY_0_VHOST", "untranslatable")} <= fields(result)


# ---- Compose rules -------------------------------------------------------------------------

def test_replicas_and_reservations_become_requests():
    result = stack_to_kubernetes(stack(web={"image": "nginx", "deploy": {
        "replicas": 4, "resources": {"reservations": {"cpus": "0.5", "memory": "512M"},
                                     "limits": {"cpus": "1.5", "memory": "1g"}}}}))
    assert only(result, "Deployment")["spec"]["replicas"] == 4
    assert container(result)["resources"] == {"requests": {"cpu": "500m", "memory": "512Mi"},
                                              "limits": {"cpu": "1500m", "memory": "1Gi"}}


def test_global_mode_is_a_daemonset():
    result = stack_to_kubernetes(stack(agent={"image": "a", "deploy": {"mode": "global"}}))
    assert "replicas" not in only(result, "DaemonSet")["spec"]
    assert result.validate() == []


@pytest.mark.parametrize("mode", ["replicated-job", "global-job"])
def test_job_modes_are_reported(mode):
    result = stack_to_kubernetes(stack(j={"image": "a", "deploy": {"mode": mode}}))
    assert ("j", "deploy.mode", "untranslatable") in fields(result)


def test_ingress_port_is_a_load_balancer_host_port_a_host_port():
    result = stack_to_kubernetes(stack(web={"image": "nginx", "ports": [
        "80:8000", {"target": 9000, "published": 9000, "mode": "host"}, "53:53/udp"]}))
    service = only(result, "Service")["spec"]
    assert service["type"] == PUBLISHED_SERVICE_TYPE == "LoadBalancer"
    assert service["ports"] == [
        {"name": "tcp-80", "port": 80, "targetPort": 8000},
        {"name": "udp-53", "port": 53, "targetPort": 53, "protocol": "UDP"}]
    assert container(result)["ports"][1] == {"containerPort": 9000, "hostPort": 9000}
    assert result.validate() == []


def test_constraints_become_required_node_affinity():
    result = stack_to_kubernetes(stack(db={"image": "p", "deploy": {"placement": {
        "constraints": ["node.labels.disk == ssd", "node.labels.zone != b",
                        "node.platform.arch == x86_64", "node.role == manager"]}}}))
    [term] = pod_spec(result)["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert term["matchExpressions"] == [
        {"key": "disk", "operator": "In", "values": ["ssd"]},
        {"key": "zone", "operator": "NotIn", "values": ["b"]},
        {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}]
    assert ("db", "deploy.placement.constraints", "untranslatable") in fields(result)


def test_spread_preference_becomes_soft_topology_spread_with_renamed_label():
    service = {"image": "a", "deploy": {"placement": {"preferences": [
        {"spread": "node.labels.zone"}]}}}
    [constraint] = pod_spec(stack_to_kubernetes(
        stack(api=service), node_labels={"zone": "topology.kubernetes.io/zone"}))[
        "topologySpreadConstraints"]
    assert constraint["topologyKey"] == "topology.kubernetes.io/zone"
    assert constraint["whenUnsatisfiable"] == "ScheduleAnyway" and constraint["maxSkew"] == 1
    assert constraint["labelSelector"]["matchLabels"]["app.kubernetes.io/name"] == "api"


def test_max_replicas_per_node():
    one = stack_to_kubernetes(stack(a={"image": "a", "deploy": {"placement": {
        "max_replicas_per_node": 1}}}))
    [term] = pod_spec(one)["affinity"]["podAntiAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]
    assert term["topologyKey"] == "kubernetes.io/hostname"
    two = stack_to_kubernetes(stack(a={"image": "a", "deploy": {"placement": {
        "max_replicas_per_node": 2}}}))
    assert ("a", "deploy.placement.max_replicas_per_node", "untranslatable") in fields(two)


@pytest.mark.parametrize("test,command", [
    (["CMD", "pg_isready", "-U", "x"], ["pg_isready", "-U", "x"]),
    (["CMD-SHELL", "curl -f http://localhost || exit 1"],
     ["/bin/sh", "-c", "curl -f http://localhost || exit 1"]),
    ("curl -f localhost", ["/bin/sh", "-c", "curl -f localhost"]),
])
def test_healthcheck_becomes_readiness_probe(test, command):
    result = stack_to_kubernetes(stack(a={"image": "a", "healthcheck": {
        "test": test, "interval": "10s", "timeout": "2s", "retries": 5, "start_period": "1m"}}))
    assert container(result)["readinessProbe"] == {
        "exec": {"command": command}, "initialDelaySeconds": 60, "periodSeconds": 10,
        "timeoutSeconds": 2, "failureThreshold": 5}
    assert ("a", "healthcheck", "approximate") in fields(result)


def test_healthcheck_defaults_are_dockers_not_kubernetes():
    result = stack_to_kubernetes(stack(a={"image": "a", "healthcheck": {"test": ["CMD", "true"]}}))
    assert container(result)["readinessProbe"] == {
        "exec": {"command": ["true"]}, "periodSeconds": 30, "timeoutSeconds": 30,
        "failureThreshold": 3}


def test_disabled_healthcheck_gives_no_probe():
    result = stack_to_kubernetes(stack(a={"image": "a", "healthcheck": {"disable": True}}))
    assert "readinessProbe" not in container(result)


def test_named_volume_becomes_claim_and_recreate_bind_is_reported():
    result = stack_to_kubernetes({"services": {"db": {"image": "p", "volumes": [
        "data:/var/lib/data", "/srv/conf:/etc/conf:ro"], "deploy": {
        "replicas": 2, "update_config": {"parallelism": 1}}}}, "volumes": {"data": None}})
    claim = only(result, "PersistentVolumeClaim")
    assert claim["metadata"]["name"] == "db-data"
    assert pod_spec(result)["volumes"] == [
        {"name": "volume-0", "persistentVolumeClaim": {"claimName": "db-data"}}]
    assert only(result, "Deployment")["spec"]["strategy"] == {"type": "Recreate"}
    assert {("db", "volumes[1]", "untranslatable"), ("db", "volumes", "approximate"),
            ("db", "deploy.update_config", "untranslatable")} <= fields(result)


def test_secrets_mount_one_file_per_key_never_the_whole_run_secrets_directory():
    """A Secret volume mounted on /run/secrets breaks the service-account token mount in
    images where /var/run links to /run (kubernetes/kubernetes#65835): one subPath each."""
    result = stack_to_kubernetes({"services": {"api": {"image": "a", "secrets": [
        "db_password", {"source": "api_key", "target": "/etc/api/key", "uid": "100"}]}},
        "secrets": {"db_password": {"external": True}, "api_key": {"external": True}}})
    mounts = container(result)["volumeMounts"]
    assert mounts == [
        {"name": "secret-db-password", "mountPath": "/run/secrets/db_password",
         "subPath": "db_password", "readOnly": True},
        {"name": "secret-api-key", "mountPath": "/etc/api/key", "subPath": "api_key",
         "readOnly": True}]
    assert all(m["mountPath"] != "/run/secrets" for m in mounts)
    assert pod_spec(result)["volumes"] == [
        {"name": "secret-db-password", "secret": {"secretName": "db-password"}},
        {"name": "secret-api-key", "secret": {"secretName": "api-key"}}]
    assert {("api", "secrets[0]", "approximate"), ("api", "secrets[1].uid", "untranslatable")
            } <= fields(result)
    assert result.validate() == []


def test_environment_and_unset_variable():
    result = stack_to_kubernetes(stack(a={"image": "a", "environment": {"A": "1", "B": None}}))
    assert container(result)["env"] == [{"name": "A", "value": "1"}]
    assert ("a", "environment.B", "untranslatable") in fields(result)


@pytest.mark.parametrize("order,parallelism,surge,unavailable", [
    ("start-first", 1, 1, 0), ("stop-first", 2, 0, 2), ("stop-first", 0, 0, "100%")])
def test_update_config_becomes_rolling_update(order, parallelism, surge, unavailable):
    result = stack_to_kubernetes(stack(a={"image": "a", "deploy": {"update_config": {
        "order": order, "parallelism": parallelism, "delay": "5s"}}}))
    spec = only(result, "Deployment")["spec"]
    assert spec["strategy"]["rollingUpdate"] == {"maxSurge": surge,
                                                 "maxUnavailable": unavailable}
    assert spec["minReadySeconds"] == 5
    if (surge, unavailable) != (0, 0):
        assert result.validate() == []


def test_entrypoint_and_command():
    result = stack_to_kubernetes(stack(a={"image": "a", "entrypoint": ["/run"],
                                          "command": "serve --port 80"}))
    assert container(result)["command"] == ["/run"]
    assert container(result)["args"] == ["serve", "--port", "80"]


def test_unknown_fields_and_top_level_sections_are_reported():
    data = {"services": {"a": {"image": "a", "cap_add": ["NET_ADMIN"],
                               "deploy": {"endpoint_mode": "dnsrr"}}},
            "secrets": {"s": {"file": "./s"}}}
    result = stack_to_kubernetes(data)
    assert {("a", "cap_add", "untranslatable"), ("a", "deploy.endpoint_mode", "untranslatable"),
            } <= fields(result)
    assert [f.field for f in result.findings if f.source not in ("a",)] == ["secrets"]


def test_service_without_image_is_refused_when_loaded():
    """swarmkit refuses a service without an image, so the loader does before translating."""
    with pytest.raises(ManifestError, match="image reference must be provided"):
        stack_to_kubernetes(stack(a={"build": "."}))


def test_wrong_dialect_is_refused():
    with pytest.raises(ValueError, match="not a Swarm stack"):
        stack_to_kubernetes(example_path("marathon"))
    with pytest.raises(ValueError, match="not a Marathon app"):
        marathon_to_kubernetes(example_path("swarm"))


# ---- Marathon rules ------------------------------------------------------------------------

def app(**fields_) -> dict:
    return {"id": "/prod/web", "container": {"type": "DOCKER", "docker": {"image": "nginx"}},
            **fields_}


def test_amounts_are_written_in_kubernetes_canonical_form():
    """Memory and disk as ``Quantity.String()`` writes them (the largest binary suffix that
    divides them, up to Pi), CPU in millicores, a finer amount rounded up."""
    result = marathon_to_kubernetes(app(cpus=1.5, mem=2**30, disk=1024))
    assert container(result)["resources"]["requests"] == {
        "cpu": "1500m", "memory": "1Pi", "ephemeral-storage": "1Gi"}
    assert objects.cpu_quantity(Decimal("0.0001")) == "1m"


def test_mesos_dns_name_reverses_the_path():
    assert mesos_dns_name("/shop/db/postgres") == "postgres-db-shop"
    assert mesos_dns_name("/web") == "web"


def test_a_name_changed_or_shared_is_reported():
    def image(app_id: str) -> dict:
        return {"id": app_id, "container": {"docker": {"image": "nginx"}}}

    assert not marathon_to_kubernetes(image("/shop/frontend/web")).findings
    dotted = marathon_to_kubernetes(image("/shop/web.v2"))
    assert only(dotted, "Deployment")["metadata"]["name"] == "web-v2-shop"
    assert fields(dotted) == {("/shop/web.v2", "id", "approximate")}
    assert "'web.v2-shop'" in dotted.findings[0].message
    long = marathon_to_kubernetes(image("/" + "a" * 40 + "/" + "b" * 40))
    assert len(only(long, "Deployment")["metadata"]["name"]) == 63 and long.findings
    twins = marathon_to_kubernetes({"id": "/", "groups": [
        {"id": "/a-b", "apps": [image("/a-b/c")]},
        {"id": "/b", "groups": [{"id": "/b/a", "apps": [image("/b/a/c")]}]}]})
    assert fields(twins) == {("/b/a/c", "id", "approximate")}
    assert "like /a-b/c" in twins.findings[0].message


def test_instances_cpus_mem_disk_and_defaults():
    result = marathon_to_kubernetes(app(instances=3, cpus=0.25, mem=1536, disk=100))
    assert only(result, "Deployment")["spec"]["replicas"] == 3
    assert container(result)["resources"]["requests"] == {
        "cpu": "250m", "memory": "1536Mi", "ephemeral-storage": "100Mi"}
    defaults = marathon_to_kubernetes(app())
    assert container(defaults)["resources"]["requests"] == {"cpu": "1", "memory": "128Mi"}
    assert only(defaults, "Deployment")["spec"]["replicas"] == 1


def test_mem_is_the_memory_limit_and_cpus_stays_a_request():
    # Mesos' memory isolator makes `mem` the task's hard limit; CPU gets only a weight
    # unless resourceLimits.cpus (or --cgroups_enable_cfs) sets a quota.
    result = marathon_to_kubernetes(app(cpus=0.5, mem=256))
    assert container(result)["resources"] == {
        "requests": {"cpu": "500m", "memory": "256Mi"}, "limits": {"memory": "256Mi"}}
    assert container(marathon_to_kubernetes(app()))["resources"]["limits"] == {
        "memory": "128Mi"}
    burst = marathon_to_kubernetes(app(cpus=1, mem=4096, resourceLimits={
        "cpus": 2, "mem": 8192}))
    assert container(burst)["resources"]["limits"] == {"memory": "8Gi", "cpu": "2"}
    assert not burst.findings
    unlimited = marathon_to_kubernetes(app(resourceLimits={"cpus": "unlimited",
                                                           "mem": "unlimited"}))
    assert "limits" not in container(unlimited)["resources"]


def test_port_mappings_and_definitions():
    result = marathon_to_kubernetes(app(container={
        "type": "DOCKER", "docker": {"image": "nginx"}, "portMappings": [
            {"containerPort": 80, "hostPort": 0, "servicePort": 10000, "name": "http"},
            {"containerPort": 53, "hostPort": 31053, "protocol": "udp"}]}))
    assert container(result)["ports"] == [
        {"containerPort": 80}, {"containerPort": 53, "hostPort": 31053, "protocol": "UDP"}]
    assert [p["port"] for p in only(result, "Service")["spec"]["ports"]] == [80, 53]
    host = marathon_to_kubernetes(app(portDefinitions=[{"port": 0}]))
    assert ("/prod/web", "portDefinitions[0]", "untranslatable") in fields(host)


@pytest.mark.parametrize("check,action", [
    ({"protocol": "MESOS_HTTP", "path": "/health"}, {"httpGet": {"path": "/health", "port": 80}}),
    ({"protocol": "HTTPS"}, {"httpGet": {"path": "/", "port": 80, "scheme": "HTTPS"}}),
    ({"protocol": "TCP"}, {"tcpSocket": {"port": 80}}),
    ({"protocol": "COMMAND", "command": {"value": "test -f /ok"}},
     {"exec": {"command": ["/bin/sh", "-c", "test -f /ok"]}}),
])
def test_health_checks_become_probes(check, action):
    a = app(healthChecks=[{**check, "intervalSeconds": 7, "maxConsecutiveFailures": 2,
                           "gracePeriodSeconds": 30}])
    a["container"]["portMappings"] = [{"containerPort": 80}]
    result = marathon_to_kubernetes(a)
    timing = {"periodSeconds": 7, "timeoutSeconds": 20}      # 20: Marathon's default timeout
    assert container(result)["livenessProbe"] == {**action, **timing, "failureThreshold": 2}
    assert container(result)["readinessProbe"] == {**action, **timing, "failureThreshold": 1}
    # failures are ignored for the 30 s grace period: ceil(30 / 7) = 5 tries
    assert container(result)["startupProbe"] == {**action, **timing, "failureThreshold": 5}
    assert result.validate() == []


def test_health_check_defaults_and_never_kill():
    a = app(healthChecks=[{"protocol": "TCP", "port": 8080, "maxConsecutiveFailures": 0}])
    probes = container(marathon_to_kubernetes(a))
    assert "livenessProbe" not in probes
    # Marathon's defaults: 300 s grace, 60 s interval, 20 s timeout
    assert probes["startupProbe"] == {"tcpSocket": {"port": 8080}, "periodSeconds": 60,
                                      "timeoutSeconds": 20, "failureThreshold": 5}


@pytest.mark.parametrize("constraint,path,expected", [
    (["hostname", "UNIQUE"], ("podAntiAffinity",), "kubernetes.io/hostname"),
    (["@zone", "GROUP_BY", "2"], ("topologySpreadConstraints",), "topology.kubernetes.io/zone"),
    (["rack", "CLUSTER", ""], ("podAffinity",), "rack"),   # "": with the first one placed
])
def test_constraints_become_pod_rules(constraint, path, expected):
    spec = pod_spec(marathon_to_kubernetes(app(constraints=[constraint])))
    if path[0] == "topologySpreadConstraints":
        [rule] = spec["topologySpreadConstraints"]
        assert rule["whenUnsatisfiable"] == "DoNotSchedule"
    else:
        [rule] = spec["affinity"][path[0]]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert rule["topologyKey"] == expected


@pytest.mark.parametrize("constraint,expression", [
    (["rack", "IS", "r1"], {"key": "rack", "operator": "In", "values": ["r1"]}),
    (["rack", "CLUSTER", "r1"], {"key": "rack", "operator": "In", "values": ["r1"]}),
    (["rack", "LIKE", "r1|r2"], {"key": "rack", "operator": "In", "values": ["r1", "r2"]}),
    (["hostname", "UNLIKE", "a1"],
     {"key": "kubernetes.io/hostname", "operator": "NotIn", "values": ["a1"]}),
])
def test_constraints_become_node_affinity(constraint, expression):
    spec = pod_spec(marathon_to_kubernetes(app(constraints=[constraint])))
    [term] = spec["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert term["matchExpressions"] == [expression]


@pytest.mark.parametrize("constraint", [["hostname", "LIKE", "srv2.*"],
                                        ["hostname", "MAX_PER", "3"]])
def test_inexpressible_constraints_are_reported(constraint):
    result = marathon_to_kubernetes(app(constraints=[constraint]))
    assert ("/prod/web", "constraints[0]", "untranslatable") in fields(result)
    assert "affinity" not in pod_spec(result)


def test_a_max_per_without_a_value_is_reported_as_never_launching():
    """Marathon takes an app's MAX_PER without a value and its matcher fails at every offer;
    the finding said Kubernetes has no maximum above 1, as for ``MAX_PER 3``."""
    result = marathon_to_kubernetes(app(constraints=[["hostname", "MAX_PER"]]))
    [message] = [f.message for f in result.findings if f.field == "constraints[0]"]
    assert "never launches it" in message and "above 1" not in message


def test_upgrade_strategy_becomes_rolling_update_percentages():
    result = marathon_to_kubernetes(app(instances=4, upgradeStrategy={
        "minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.25}))
    assert only(result, "Deployment")["spec"]["strategy"]["rollingUpdate"] == {
        "maxSurge": "25%", "maxUnavailable": "50%"}


def test_persistent_volume_makes_a_statefulset():
    result = marathon_to_kubernetes(app(container={
        "type": "MESOS", "docker": {"image": "postgres"}, "volumes": [
            {"containerPath": "pgdata", "mode": "RW", "persistent": {"size": 512}},
            {"containerPath": "/srv", "hostPath": "/mnt/srv", "mode": "RO"}]},
        residency={"taskLostBehavior": "WAIT_FOREVER"}))
    sts = only(result, "StatefulSet")
    assert sts["spec"]["serviceName"] == "web-prod"
    assert sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "pgdata"
    assert sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"] == {
        "storage": "512Mi"}
    assert {("/prod/web", "container.volumes[1]", "untranslatable"),
            ("/prod/web", "residency", "approximate")} <= fields(result)


def test_dependencies_secrets_and_unknown_fields_are_reported():
    result = marathon_to_kubernetes(app(dependencies=["/prod/db"], env={
        "PASSWORD": {"secret": "pw"}}, fetch=[{"uri": "https://example.com/a.tgz"}],
        killSelection="YOUNGEST_FIRST"))
    assert {("/prod/web", "dependencies", "untranslatable"),
            ("/prod/web", "env.PASSWORD", "untranslatable"),
            ("/prod/web", "fetch", "untranslatable"),
            ("/prod/web", "killSelection", "untranslatable")} <= fields(result)


def test_command_app_without_image_is_reported():
    result = marathon_to_kubernetes({"id": "/sleep", "cmd": "sleep 100"})
    assert result.objects == []
    assert ("/sleep", "container", "untranslatable") in fields(result)


def test_cmd_runs_through_the_shell():
    result = marathon_to_kubernetes(app(cmd="nginx -g 'daemon off;'"))
    assert container(result)["command"] == ["/bin/sh", "-c", "nginx -g 'daemon off;'"]


def test_yaml_has_no_aliases():
    text = marathon_to_kubernetes(example_path("marathon")).yaml()
    assert "&id" not in text and "*id" not in text
    assert list(yaml.safe_load_all(text)) == marathon_to_kubernetes(
        example_path("marathon")).objects


# ---- Marathon pods -------------------------------------------------------------------------

def marathon_pod(**fields_) -> dict:
    """A pod in the shape of d2iq-archive/marathon docs/docs/pods.md's examples."""
    return {
        "id": "/shop/sidecar",
        "scaling": {"kind": "fixed", "instances": 2},
        "environment": {"SHARED": "1"},
        "containers": [
            {"name": "web", "image": {"kind": "DOCKER", "id": "nginx:1.27"},
             "resources": {"cpus": 0.5, "mem": 64},
             "endpoints": [{"name": "http", "containerPort": 80, "protocol": ["tcp"]}],
             "healthCheck": {"http": {"endpoint": "http", "path": "/ping"},
                             "gracePeriodSeconds": 0, "intervalSeconds": 5},
             "volumeMounts": [{"name": "scratch", "mountPath": "/tmp/scratch"}]},
            {"name": "logger", "image": {"kind": "DOCKER", "id": "busybox:1.36"},
             "exec": {"command": {"shell": "tail -F /tmp/scratch/log"}},
             "resources": {"cpus": 0.1, "mem": 32},
             "environment": {"LEVEL": "info"},
             "volumeMounts": [{"name": "scratch", "mountPath": "/tmp/scratch"}]},
        ],
        "volumes": [{"name": "scratch"}],
        "scheduling": {"placement": {"constraints": [
            {"fieldName": "hostname", "operator": "UNIQUE"}]}},
        **fields_,
    }


def test_pod_containers_share_one_pod_template():
    result = marathon_to_kubernetes(marathon_pod())
    deployment = only(result, "Deployment")
    assert deployment["metadata"]["name"] == "sidecar-shop"
    assert deployment["spec"]["replicas"] == 2
    spec = deployment["spec"]["template"]["spec"]
    web, logger = spec["containers"]
    assert web["resources"] == {"requests": {"cpu": "500m", "memory": "64Mi"},
                                "limits": {"memory": "64Mi"}}
    assert web["readinessProbe"]["httpGet"] == {"path": "/ping", "port": 80}
    assert "startupProbe" not in web      # gracePeriodSeconds 0: no grace
    assert logger["command"] == ["/bin/sh", "-c", "tail -F /tmp/scratch/log"]
    assert logger["env"] == [{"name": "SHARED", "value": "1"}, {"name": "LEVEL", "value": "info"}]
    assert spec["volumes"] == [{"name": "scratch", "emptyDir": {}}]
    assert spec["affinity"]["podAntiAffinity"]
    assert only(result, "Service")["spec"]["ports"][0]["port"] == 80
    assert result.validate() == []


def test_pod_with_persistent_volume_is_a_statefulset_and_host_volume_is_reported():
    pod = marathon_pod(volumes=[{"name": "scratch", "persistent": {"size": 128}},
                                {"name": "etc", "host": "/etc/app"}])
    pod["containers"][0]["volumeMounts"].append({"name": "etc", "mountPath": "/etc/app"})
    result = marathon_to_kubernetes(pod)
    sts = only(result, "StatefulSet")
    assert sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "scratch"
    mounts = sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    assert [m["name"] for m in mounts] == ["scratch"]
    assert ("/shop/sidecar", "volumes[1]", "untranslatable") in fields(result)
    assert result.validate() == []


def test_pod_runs_on_the_simulator():
    cluster = KubernetesCluster(default_nodes())
    cluster.apply(marathon_to_kubernetes(marathon_pod()).objects)
    cluster.run(until=60)
    pods = cluster.pods()
    assert len(pods) == 2 and len({p.node for p in pods}) == 2   # UNIQUE hostname
    assert all(p.phase == "Running" for p in pods)
