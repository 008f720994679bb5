"""Mesos-DNS names (mesos-dns docs/docs/naming.md) and marathon-lb routing on service ports."""

import json
from pathlib import Path

import pytest

import clustersim
from clustersim import marathon
from clustersim.marathon.discovery import task_hash


@pytest.fixture
def deployed():
    cluster = marathon.dcos_cluster(private=3, public=1, seed=0)
    m = cluster.register(marathon.Marathon())
    m.deploy({"id": "/shop", "apps": [
        {"id": "/shop/web", "cmd": "serve", "cpus": 0.1, "mem": 32, "instances": 3,
         "constraints": [["hostname", "UNIQUE"]], "labels": {"HAPROXY_GROUP": "external"},
         "portDefinitions": [{"port": 0, "name": "http", "protocol": "tcp"}],
         "healthChecks": [{"protocol": "HTTP", "gracePeriodSeconds": 10,
                           "intervalSeconds": 5}]},
        {"id": "/shop/db", "cmd": "db", "cpus": 0.1, "mem": 32, "instances": 1,
         "networks": [{"mode": "container", "name": "dcos"}],
         "container": {"type": "MESOS", "portMappings": [{"containerPort": 5432}]}},
    ]})
    cluster.run()
    return cluster, m


def test_a_records_follow_the_reversed_path_id(deployed):
    cluster, _ = deployed
    dns = marathon.MesosDNS(cluster)
    web = dns.lookup("web-shop.marathon.mesos")
    assert len(web) == 3 and all(ip.startswith("10.0.1.") for ip in web)
    assert dns.lookup("web-shop.marathon.slave.mesos") == web
    db = dns.lookup("db-shop.marathon.mesos")
    assert len(db) == 1 and db[0].startswith("9.0.")        # its own container IP
    assert dns.lookup("db-shop.marathon.slave.mesos")[0].startswith("10.0.1.")
    assert dns.lookup("web.shop.marathon.mesos") == []       # the task name's dots are mangled


# mesosphere/mesos-dns records/labels/labels_test.go: TestRFC1123 and testFunc's shared cases
@pytest.mark.parametrize(("name", "label"), [
    ("4abc123", "4abc123"), ("-4abc123", "4abc123"),
    ("89fdgsf---gs7-fgs--d7fddg-", "89fdgsf---gs7-fgs--d7fddg"),
    ("fd%gsf---gs7-f$gs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg-123"),
    ("fd%gsf---gs7-f$gs--d7fddg123456789012345678901234567890123456789-123",
     "fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891"),
    ("##fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789-",
     "fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789"),
    ("hello" + "-" * 56 + "f", "hello" + "-" * 56 + "f"),
    ("hello" + "-" * 58 + "f", "hellof"),
    ("", ""), ("-", ""), ("---a---b", "a---b"), ("a.b.c.d.e", "a-b-c-d-e"),
    ("a.c.d_de.", "a-c-d-de"), ("r29f.dev.angrypigs", "r29f-dev-angrypigs"),
    ("api.web.shop", "api-web-shop"),
])
def test_task_names_are_mangled_like_mesos_dns(name, label):
    assert marathon.rfc1123_label(name) == label


def test_the_shop_apps_database_host_resolves():
    """The example app's DATABASE_HOST (clustersim/data/apps/shop/marathon.json) is a name
    Mesos-DNS serves once the shop runs."""
    shop = json.loads((Path(clustersim.__file__).parent / "data/apps/shop/marathon.json")
                      .read_text())
    cluster = marathon.dcos_cluster(private=4, public=1, seed=0)
    marathon_ = cluster.register(marathon.Marathon())
    marathon_.deploy(shop)
    cluster.run(until=600)

    def apps(group):
        yield from group.get("apps", [])
        for child in group.get("groups", []):
            yield from apps(child)

    hosts = {value for app in apps(shop) for key, value in app.get("env", {}).items()
             if key.endswith("_HOST")}
    assert "postgres-db-shop.marathon.mesos" in hosts
    dns = marathon.MesosDNS(cluster)
    for host in sorted(hosts):
        assert dns.lookup(host), f"{host} does not resolve"


def test_srv_records_carry_host_ports(deployed):
    cluster, m = deployed
    dns = marathon.MesosDNS(cluster)
    srv = dns.lookup("_web-shop._tcp.marathon.mesos")
    ports = sorted(port for i in m.instances("/shop/web") for port in i.host_ports)
    assert sorted(port for _, port in srv) == ports
    assert dns.lookup("_http._web-shop._tcp.marathon.mesos") == srv
    assert dns.lookup("_db-shop._tcp.marathon.mesos") == []   # no host port, no SRV
    assert dns.lookup("nothing.marathon.mesos") == []


def test_each_srv_target_is_the_one_task_that_listens_on_the_port(deployed):
    """Mesos-DNS points a task's SRV records at its canonical name,
    ``<task>-<hash>-<agent>.<framework>[.slave].mesos`` (records/generator.go
    ``taskContextRecord``), whose A record is that task's host alone, never at the shared
    ``<task>.<framework>.slave.mesos`` that lists every agent of the app."""
    cluster, m = deployed
    dns = marathon.MesosDNS(cluster)
    ip = {agent.hostname: agent.node.address for agent in cluster.agents}
    expected = sorted((ip[i.hostname], port) for i in m.instances("/shop/web")
                      for port in i.host_ports)
    for name in ("_web-shop._tcp.marathon.mesos", "_web-shop._tcp.marathon.slave.mesos",
                 "_web-shop._udp.marathon.slave.mesos"):
        answers = dns.lookup(name)
        assert sorted((*dns.lookup(target), port) for target, port in answers) == expected
    targets = {target for target, _ in dns.lookup("_web-shop._tcp.marathon.slave.mesos")}
    assert all(t.startswith("web-shop-") and t.endswith(".marathon.slave.mesos")
               for t in targets) and len(targets) == 3


# mesosphere/mesos-dns records/generator_test.go: TestHashString
def test_task_hash_is_mesos_dns_hash_string():
    assert task_hash("test") == "iffe9"


def test_marathon_lb_round_robin_over_healthy_backends(deployed):
    _, m = deployed
    lb = marathon.MarathonLB(m)
    assert lb.frontends() == {10000: "/shop/web"}   # /shop/db has no HAPROXY_GROUP
    counts = lb.route(10000, requests=99)
    assert len(counts) == 3 and set(counts.values()) == {33}


def test_marathon_lb_random_policy_is_seeded(deployed):
    _, m = deployed
    first = marathon.MarathonLB(m, balance="random", seed=7).route(10000, 300)
    again = marathon.MarathonLB(m, balance="random", seed=7).route(10000, 300)
    assert first == again and sum(first.values()) == 300 and len(first) == 3


def test_unhealthy_tasks_leave_the_backend(deployed):
    cluster, m = deployed
    m.set_health("/shop/web", False)
    cluster.run(until=cluster.now + 30)
    lb = marathon.MarathonLB(m)
    assert lb.backends(10000) == []
    with pytest.raises(ValueError, match="503"):
        lb.route(10000, 1)


def test_unknown_service_port_is_a_clear_error(deployed):
    _, m = deployed
    with pytest.raises(ValueError, match="no app of HAPROXY_GROUP 'external' has service port"):
        marathon.MarathonLB(m).backends(12345)


def test_request_stream_through_a_rolling_restart_serves_everything(deployed):
    cluster, m = deployed
    lb = marathon.MarathonLB(m, cluster=cluster)
    start = cluster.now
    stream = lb.request_stream(10000, rate=20, stop=start + 60)
    # UNIQUE hostnames on three agents: the restart must kill before it starts (no over-capacity)
    app = dict(m.root.run_specs["/shop/web"], cmd="serve v2",
               upgradeStrategy={"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0})
    deployment = m.deploy(app)
    cluster.run(until=start + 60)
    assert deployment.status == "success"
    assert stream.served > 900 and stream.failed == 0
    assert len(stream.by_pod()) >= 4            # old and new backends both served


def test_request_stream_fails_on_a_dead_agent_until_marathon_replaces_it(deployed):
    cluster, m = deployed
    lb = marathon.MarathonLB(m, cluster=cluster)
    start = cluster.now
    stream = lb.request_stream(10000, rate=10, stop=start + 200)
    cluster.fail_agent(m.instances("/shop/web")[0].hostname)
    cluster.run(until=start + 200)
    rows = stream.buckets(50)
    assert rows[0]["failed"] > 0                # the dead agent still listed, until unreachable
    assert rows[-1]["failed"] == 0              # replaced after the agent is marked unreachable
