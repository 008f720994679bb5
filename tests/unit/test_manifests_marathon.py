"""The Marathon loader: path ids as ``PathId.scala`` resolves them, groups, validation, units.

Path cases come from d2iq-archive/marathon ``src/test/scala/mesosphere/marathon/state/
PathIdTest.scala``; the segment pattern and reserved words from ``PathId.scala``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from clustersim import ManifestError, load_manifests, marathon_resources
from clustersim.manifests import pathid


@pytest.mark.parametrize(
    ("path", "base", "expected"),
    [
        ("./test/../e/f/g/./../", "/a/b/c/d", "/a/b/c/d/e/f"),  # "relative" case
        ("test/../a/b/c/d/d/../e/f/g/./../", "/", "/a/b/c/d/e/f"),  # "absolute" case
        ("/a/b/c/d", "/x", "/a/b/c/d"),
        ("a/b/c/d", "/", "/a/b/c/d"),
        ("/", "/x", "/"),
        ("../../../..", "/a", "/"),  # ".." at the root stays at the root
        ("//a//b//", "/", "/a/b"),  # empty segments are dropped
    ],
)
def test_canonical_path(path: str, base: str, expected: str) -> None:
    assert pathid.canonical(path, base) == expected


@pytest.mark.parametrize(("path", "parent"), [("/a/b/c", "/a/b"), ("/a", "/"), ("/", "/")])
def test_parent(path: str, parent: str) -> None:
    assert pathid.parent(path) == parent


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("/web", None),
        ("/shop/web-1", None),
        ("a.b-c.d", None),
        ("../x", None),
        ("/Web", "segment 'Web'"),
        ("/web_1", "segment 'web_1'"),
        ("/-web", "segment '-web'"),
        ("/web-", "segment 'web-'"),
        ("/a..b", "segment 'a..b'"),
        ("/app/restart", "reserved"),
        ("/app/tasks", "reserved"),
        ("versions", "reserved"),
    ],
)
def test_validate(text: str, problem: str | None) -> None:
    found = pathid.validate(text)
    assert (found is None) if problem is None else (problem in found)


GROUP = """{
  "id": "/shop",
  "dependencies": ["../infra"],
  "apps": [{"id": "web", "cmd": "serve", "dependencies": ["db", "../infra/dns"]}],
  "groups": [
    {"id": "db", "apps": [{"id": "./pg", "cmd": "pg"}]},
    {"id": "/shop/cache", "pods": [
      {"id": "redis", "containers": [{"name": "r", "resources": {"cpus": 0.5, "mem": 64}}]}
    ]}
  ]
}"""


def test_group_ids_and_dependencies_are_resolved_like_marathon() -> None:
    [group] = load_manifests(GROUP)
    manifest = group.manifest
    assert (group.kind, group.name) == ("Group", "/shop")
    assert manifest["dependencies"] == ["/infra"]
    assert manifest["apps"][0]["id"] == "/shop/web"
    assert manifest["apps"][0]["dependencies"] == ["/shop/db", "/infra/dns"]
    assert manifest["groups"][0]["id"] == "/shop/db"
    assert manifest["groups"][0]["apps"][0]["id"] == "/shop/db/pg"
    assert manifest["groups"][1]["pods"][0]["id"] == "/shop/cache/redis"


def test_group_workloads_inherit_group_dependencies() -> None:
    workloads = load_manifests(GROUP).workloads()
    assert [w.name for w in workloads] == ["/shop/web", "/shop/db/pg", "/shop/cache/redis"]
    assert workloads[0].dependencies == ("/infra", "/shop/db", "/infra/dns")
    assert workloads[2].kind == "Pod"
    assert workloads[2].cpu == Decimal("0.6")  # 0.5 + the executor's default 0.1


def test_child_outside_its_group_is_refused() -> None:
    with pytest.raises(ManifestError, match="not child of /shop") as info:
        load_manifests('{"id": "/shop", "apps": [{"id": "/other/web", "cmd": "x"}]}')
    assert info.value.path == "apps[0].id"


def test_an_id_of_more_segments_than_marathon_can_load_again_is_refused() -> None:
    """Marathon stores an id of 101 segments and then cannot read its group tree back (one
    protobuf message, at most 100 levels deep: ``pathid.MAX_SEGMENTS``); the simulator's
    group walks and JSON answers recursed over such an id and failed. Counted once resolved:
    a group's children add one segment each; a dependency only names an id, and Marathon
    accepts any."""
    deep = "/" + "/".join(["s"] * pathid.MAX_SEGMENTS)
    assert load_manifests(f'{{"id": "{deep}", "cmd": "x"}}').workloads()[0].name == deep
    for text, at in [
            (f'{{"id": "{deep}/x", "cmd": "x"}}', "id"),
            (f'{{"id": "{deep[2:]}", "groups": [{{"id": "a", "apps": [{{"id": "b", '
             f'"cmd": "x"}}]}}]}}', "groups[0].apps[0].id")]:
        with pytest.raises(ManifestError, match="must have at most 100 segments, not 101") as info:
            load_manifests(text)
        assert info.value.path == at
    [app] = load_manifests(f'{{"id": "/a", "cmd": "x", "dependencies": ["{deep}/x"]}}')
    assert app.manifest["dependencies"] == [f"{deep}/x"]


@pytest.mark.parametrize(
    ("app", "path", "words"),
    [
        ('"cpus": "1"', "cpus", "number"),
        ('"instances": -1', "instances", "-1 is not valid: error.min"),
        ('"constraints": [["hostname", "UNIQ"]]', "constraints[0]", "UNIQUE"),
        ('"constraints": [["rack", "GROUP_BY", "two"]]', "constraints[0]", "integer"),
        ('"constraints": [["rack", "LIKE"]]', "constraints[0]", "needs a value"),
        ('"constraints": [["rack", "LIKE", "[a-"]]', "constraints[0]", "regex"),
        ('"constraints": [["rack"]]', "constraints[0]", "[field, operator]"),
        (
            '"upgradeStrategy": {"minimumHealthCapacity": 1.5}',
            "upgradeStrategy.minimumHealthCapacity",
            "1.5 is not valid: error.max",
        ),
        ('"healthChecks": [{"protocol": "GRPC"}]', "healthChecks[0].protocol", "MESOS_HTTP"),
        ('"unreachableStrategy": "never"', "unreachableStrategy", "disabled"),
        ('"networks": [{"mode": "bridge"}]', "networks[0].mode", "container/bridge"),
    ],
)
def test_app_validation(app: str, path: str, words: str) -> None:
    with pytest.raises(ManifestError) as info:
        load_manifests('{"id": "/web", "cmd": "x",\n ' + app + "}", name="web.json")
    assert info.value.path == path
    assert words in str(info.value)
    assert info.value.line == 2


def test_list_of_apps() -> None:
    specs = load_manifests('[{"id": "a", "cmd": "x"}, {"id": "/b", "cmd": "y"}]')
    assert [(s.kind, s.name) for s in specs] == [("App", "/a"), ("App", "/b")]


@pytest.mark.parametrize(
    ("app", "cpus", "mem"),
    [
        ({"cpus": 0.1, "mem": 65}, "0.1", 65 * 2**20),
        ({}, "1", 128 * 2**20),  # AppDefinition.DefaultCpus / DefaultMem
        ({"cpus": 0.0015, "mem": 0.5}, "0.002", 2**19),  # Mesos keeps three decimals
        (
            {
                "containers": [{"resources": {"cpus": 1, "mem": 100}}],
                "executorResources": {"cpus": 0.5, "mem": 16},
            },
            "1.5",
            116 * 2**20,
        ),
        # a Decimal, as json.loads(text, parse_float=Decimal) reads a number, had been
        # refused as "cpus must be a finite number ≥ 0 ... got Decimal('0.5')"
        ({"cpus": Decimal("0.5"), "mem": Decimal("64")}, "0.5", 64 * 2**20),
        ({"containers": [{"resources": {"cpus": Decimal("0.25")}}]}, "0.35", 160 * 2**20),
    ],
)
def test_marathon_resources(app: dict, cpus: str, mem: int) -> None:
    assert marathon_resources(app) == (Decimal(cpus), mem)


@pytest.mark.parametrize(("app", "error", "says"), [
    (None, TypeError, "app must be a Marathon app or pod as a dict"),
    ([], TypeError, "not list"),
    ({"containers": "x"}, TypeError, "app['containers'] must be a list of dicts"),
    ({"mem": 1e308}, ValueError, "app['mem']: 1e+308 is too large: Mesos holds"),
    ({"cpus": 1e300}, ValueError, "app['cpus']: 1e+300 is too large"),
    ({"cpus": 0.0004}, ValueError, "app['cpus']: 0.0004 is not valid: error.min"),
    ({"disk": -1}, ValueError, "app['disk']: got -1.0, expected 0.0 or more"),
    ({"containers": [{"resources": {"cpus": 1}}], "executorResources": {"cpus": 0}},
     ValueError, "app['executorResources']['cpus']: 0 is not valid: error.min"),
    ({"cpus": float("nan")}, ValueError, "app['cpus']: nan is not a number: JSON has no NaN"),
    ({"cpus": Decimal("NaN")}, ValueError, "app['cpus']: nan is not a number: JSON has no NaN"),
    ({"cpus": Decimal("1e400")}, ValueError, "app['cpus']: Infinity is too large"),
    # a text or a boolean had pydantic's "Input should be a valid number" (or "integer"):
    # Marathon's reader answers Play JSON's error.expected.jsnumber, as the loader does
    ({"cpus": True}, ValueError, "app['cpus']: True is not valid: error.expected.jsnumber "
     "(expected a number such as 0.5: Marathon reads a JSON number"),
    ({"cpus": "0.5"}, ValueError, "app['cpus']: '0.5' is not valid: error.expected.jsnumber "
     "(expected a number such as 0.5"),
    ({"gpus": "1"}, ValueError, "app['gpus']: '1' is not valid: error.expected.jsnumber "
     "(expected a whole number such as 1"),
    ({"containers": [{"resources": {"mem": [64]}}]}, ValueError,
     "app['containers'][0]['resources']['mem']: [64] is not valid: error.expected.jsnumber "
     "(expected a number of MiB such as 128"),
])
def test_marathon_resources_refuses_what_the_loader_refuses(app, error: type, says: str) -> None:
    """The public call had raised OverflowError, TypeError and AttributeError from inside,
    returned a 300-digit amount, and taken 0.0004 cpus as 0, which the loader refuses; it
    now names the argument and its place, in the loader's words."""
    with pytest.raises(error) as raised:
        marathon_resources(app)
    assert str(raised.value).startswith("marathon_resources: ") and says in str(raised.value)
    if isinstance(app, dict) and error is ValueError and "containers" not in app:
        with pytest.raises(ManifestError):      # the loader refuses the same amount
            load_manifests({"id": "/a", "cmd": "x", **app})


@pytest.mark.parametrize(
    "run_spec",
    [
        {"id": "/a", "cmd": "x", "cpus": 0.0015, "mem": 0.5},  # fixed point: 0.002 cpus
        {"id": "/p", "containers": [{"name": "c", "resources": {"mem": 64}}]},  # cpus default 1
        {"id": "/q", "containers": [{"name": "c", "resources": {"cpus": 0.5}}],
         "executorResources": {"cpus": 0.25}},
    ],
)
def test_loader_and_framework_read_the_same_amounts(run_spec: dict) -> None:
    """One reader of Marathon amounts: the workload the loader reports and the run spec the
    framework schedules ask for the same cpus and mem (they used to disagree on a pod
    container's default cpus, 1.0 in ``resources.raml``, and on Mesos fixed point)."""
    from clustersim.marathon.runspec import RunSpec

    (spec,) = load_manifests(run_spec)
    (workload,) = spec.workloads()
    kind = "Pod" if "containers" in run_spec else "App"
    scheduled = RunSpec.from_manifest(spec.manifest, kind)
    assert workload.cpu == Decimal(str(scheduled.cpus))
    assert workload.memory == int(Decimal(str(scheduled.mem)) * 2**20)


@pytest.mark.parametrize(
    ("app", "path"),
    [
        (
            '"residency": {}, "upgradeStrategy": {"maximumOverCapacity": 0.5}',
            "upgradeStrategy.maximumOverCapacity",
        ),
        (
            '"container": {"type": "MESOS", "volumes": [{"containerPath": "data", "mode": "RW",'
            ' "persistent": {"size": 10}}]}, "upgradeStrategy": {"maximumOverCapacity": 1}',
            "upgradeStrategy.maximumOverCapacity",
        ),
        ('"labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}, "instances": 2', "instances"),
        (
            '"labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}, '
            '"upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}',
            "upgradeStrategy.minimumHealthCapacity",
        ),
    ],
)
def test_upgrade_rules_of_resident_and_single_instance_apps(app: str, path: str) -> None:
    """``complyWithUpgradeStrategyRules`` and ``complyWithSingleInstanceLabelRules``."""
    with pytest.raises(ManifestError) as info:
        load_manifests('{"id": "/g", "apps": [{"id": "db", "cmd": "x", ' + app + "}]}")
    assert info.value.path == f"apps[0].{path}"
    ok = app.replace('"maximumOverCapacity": 0.5', '"maximumOverCapacity": 0').replace(
        '"maximumOverCapacity": 1', '"maximumOverCapacity": 0'
    )
    if "SINGLE" not in app:
        assert load_manifests('{"id": "/db", "cmd": "x", ' + ok + "}")


@pytest.mark.parametrize(
    ("fields", "valid"),
    [
        ('"cmd": "x"', True),
        ('"args": ["x"]', True),
        ('"container": {"type": "DOCKER", "docker": {"image": "nginx"}}', True),
        ('"args": ["x"], "container": {"type": "DOCKER", "docker": {"image": "nginx"}}', True),
        ('"cmd": "x", "args": ["y"]', False),
        ('"cmd": "x", "args": ["y"], "container": {"docker": {"image": "nginx"}}', False),
        ('"instances": 1', False),
    ],
)
def test_cmd_args_or_container(fields: str, valid: bool) -> None:
    """``containsCmdArgsOrContainer``, with the cases of upstream's ``AppDefinitionTest``."""
    text = '{"id": "/web", ' + fields + "}"
    if valid:
        assert load_manifests(text)
        return
    with pytest.raises(ManifestError, match="must either contain one of 'cmd' or 'args'"):
        load_manifests(text)


_DOCKER = '"container": {"type": "DOCKER", "docker": {"image": "nginx"}%s}'
_MAPPINGS = ', "portMappings": [{"containerPort": 80, "hostPort": 0}]'


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ('"networks": [{"mode": "host"}], "portDefinitions": [{"port": 0}], ' + _DOCKER % "",
         None),
        ('"networks": [{"mode": "container/bridge"}], ' + _DOCKER % _MAPPINGS, None),
        ('"networks": [{"mode": "container/bridge"}], "portDefinitions": [{"port": 0}], '
         + _DOCKER % _MAPPINGS, "portDefinitions are only allowed with host-networking"),
        ('"networks": [{"mode": "container", "name": "dcos"}], "portDefinitions": [{"port": 0}],'
         ' "cmd": "x"', "portDefinitions are only allowed with host-networking"),
        ('"networks": [{"mode": "host"}], ' + _DOCKER % _MAPPINGS,
         "portMappings are not allowed with host-networking"),
        # no --default_network_name: a container network is named
        ('"networks": [{"mode": "container"}], "cmd": "x"',
         "Network name must be specified when container network is selected"),
        ('"networks": [{"name": "dcos"}], "cmd": "x"', None),
    ],
)
def test_ports_match_the_network_mode(fields: str, problem: str | None) -> None:
    """``validateCanonicalAppAPI`` (d2iq-archive/marathon AppValidation.scala): portDefinitions
    with bridge or container networks, or portMappings with host networking, are refused; the
    networking exercise passed a bridged app that kept its portDefinitions."""
    text = '{"id": "/web", ' + fields + "}"
    if problem is None:
        assert load_manifests(text)
        return
    with pytest.raises(ManifestError, match=problem):
        load_manifests(text)


def test_a_pods_container_network_needs_a_name() -> None:
    """A pod's unnamed container network loaded; Marathon refuses it at the pod's
    ``networks`` (``PodsValidation.podValidator``), as it refuses an app's."""
    pod = ('{"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}],'
           ' "networks": [%s]}')
    with pytest.raises(ManifestError, match="Network name must be specified") as refused:
        load_manifests(pod % '{"mode": "container"}')
    assert refused.value.path == "networks"
    group = '{"id": "/g", "pods": [%s]}' % (pod % "{}")
    with pytest.raises(ManifestError, match="Network name must be specified") as refused:
        load_manifests(group)
    assert refused.value.path == "pods[0].networks"
    assert load_manifests(pod % '{"mode": "container", "name": "dcos"}')


@pytest.mark.parametrize(("networks", "problem"), [
    ([{"mode": "container", "name": "a"}, {"mode": "container", "name": "a"}],
     "Duplicate networks are not allowed"),
    ([{"mode": "host", "name": "x"}], "Host networks may not have names or labels"),
    ([{"mode": "container/bridge", "name": "x"}], "Bridge networks may not have names"),
    ([{"mode": "host"}, {"mode": "host"}], "May specify a single host network"),
    ([{"mode": "host"}, {"mode": "container", "name": "x"}], "May specify a single host"),
])
def test_networks_are_checked_as_marathon_checks_them(networks: list[dict[str, str]],
                                                      problem: str) -> None:
    """``ramlNetworksValidator`` (d2iq-archive/marathon ``NetworkValidation.scala``) refuses
    an app's and a pod's ``networks`` that the loader took."""
    app = {"id": "/a", "cmd": "x", "networks": networks}
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}],
           "networks": networks}
    for text in (app, pod):
        with pytest.raises(ManifestError, match=problem) as refused:
            load_manifests(text)
        assert refused.value.path == "networks"


def test_pod_names_are_unique() -> None:
    pod = {
        "id": "/p",
        "containers": [
            {"name": "a", "resources": {"cpus": 0.1, "mem": 32}, "endpoints": [{"name": "http"}]},
            {"name": "b", "resources": {"cpus": 0.1, "mem": 32}, "endpoints": [{"name": "http"}]},
        ],
    }
    with pytest.raises(ManifestError, match="endpoint names must be unique") as info:
        load_manifests(pod)
    assert info.value.path == "containers[1].endpoints[0].name"
    pod["containers"][1]["name"] = "a"
    pod["id"] = "p"
    with pytest.raises(ManifestError, match="container names are not unique") as info:
        load_manifests({"id": "/g", "pods": [pod]})
    assert info.value.path == "pods[0].containers[1].name"


def test_whole_numbers_written_as_floats_are_ints_as_play_json_reads_them() -> None:
    [workload] = load_manifests('{"id": "/a", "cmd": "x", "instances": 2.0}').workloads()
    assert workload.replicas == 2 and isinstance(workload.replicas, int)
    with pytest.raises(ManifestError, match="whole number"):
        load_manifests('{"id": "/a", "cmd": "x", "instances": 2.5}')


@pytest.mark.parametrize("size", ["1e300", "9223372036854775808"])
def test_a_persistent_volumes_size_is_a_long(size: str) -> None:
    """``volumes.raml``: ``size`` is an ``int64``; a larger number loaded and waited for a
    disk offer forever."""
    app = ('{"id": "/a", "cmd": "x", "container": {"type": "MESOS", "volumes": [{'
           f'"containerPath": "data", "mode": "RW", "persistent": {{"size": {size}}}}}]}}}}')
    with pytest.raises(ManifestError, match=r"error\.expected\.long") as info:
        load_manifests(app)
    assert info.value.path == "container.volumes[0].persistent.size"
    [spec] = load_manifests(app.replace(size, "9223372036854775807"))
    assert spec.typed.container.volumes[0].persistent.size == 2**63 - 1


def test_null_instances_mean_the_default() -> None:
    """Found by the mutation property: ``"instances": null`` in a pod's scaling."""
    pod = {
        "id": "/p",
        "scaling": {"kind": "fixed", "instances": None},
        "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}],
    }
    assert load_manifests(pod).workloads()[0].replicas == 1


# -- regressions found while integrating the simulators --------------------------------------


def test_group_json_with_only_group_fields_is_a_group() -> None:
    """``{"id": "/"}`` is the root group and ``{"id": "/shop"}`` an empty group, not apps
    without a command (Marathon's POST /v2/groups accepts both)."""
    root = load_manifests({"id": "/"})
    assert [(s.kind, s.name) for s in root] == [("Group", "/")]
    empty = load_manifests({"id": "/shop", "dependencies": ["/db"]})
    assert [(s.kind, s.name) for s in empty] == [("Group", "/shop")]
    assert empty[0].workloads() == []


def test_the_in_operator_is_refused() -> None:
    """Marathon never shipped IN: its Constraint.Operator enum ends at IS (marathon.proto,
    OfferConstraints.scala), so the loader refuses it with Marathon's message."""
    app = {"id": "/web", "cmd": "serve", "constraints": [["rack", "IN", "rack-1,rack-2"]]}
    with pytest.raises(ManifestError, match=r"must be one of the following .* or IS"):
        load_manifests(app)


def test_huge_cpus_give_a_workload_not_a_decimal_error() -> None:
    """cpus 1e28 made the neutral shape raise decimal.InvalidOperation (found by hypothesis);
    the largest scalar Mesos can hold in fixed point still gives a workload."""
    app = {"id": "/big", "cmd": "x", "cpus": 9e15, "mem": 128}
    [workload] = load_manifests(app)[0].workloads()
    assert workload.cpu > 10**15


@pytest.mark.parametrize("field", ["cpus", "mem", "disk"])
def test_scalars_beyond_mesos_fixed_point_are_refused(field: str) -> None:
    """convertToFixed: llround(value * 1000) in 64 bits; 1e308 crashed the allocator."""
    with pytest.raises(ManifestError, match="Mesos holds resource amounts in fixed point") as info:
        load_manifests({"id": "/big", "cmd": "x", field: 1e308})
    assert info.value.path == field


def test_pod_volumes_are_typed() -> None:
    """``persistent: -1`` on a pod volume crashed the Marathon simulator."""
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}],
           "volumes": [{"name": "pst", "persistent": -1}]}
    with pytest.raises(ManifestError) as info:
        load_manifests(pod)
    assert info.value.path == "volumes[0].persistent"


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"readinessChecks": [None]}, "readinessChecks[0]"),
        ({"readinessChecks": [{"intervalSeconds": "5s"}]}, "readinessChecks[0].intervalSeconds"),
        ({"backoffFactor": 0.5}, "backoffFactor"),
        ({"maxLaunchDelaySeconds": {"s": 1}}, "maxLaunchDelaySeconds"),
    ],
)
def test_fields_the_simulator_reads_are_typed(extra: dict, path: str) -> None:
    """Found by benchmarks/fuzz_manifests.py: these loaded and then crashed the simulator."""
    with pytest.raises(ManifestError) as info:
        load_manifests({"id": "/a", "cmd": "sleep 1", **extra})
    assert info.value.path == path


def test_pod_executor_resources_and_backoff_are_typed() -> None:
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}]}
    for extra, path in (({"executorResources": {"disk": {"a": 1}}}, "executorResources.disk"),
                        ({"scheduling": {"backoff": {"backoff": "1s"}}},
                         "scheduling.backoff.backoff")):
        with pytest.raises(ManifestError) as info:
            load_manifests({**pod, **extra})
        assert info.value.path == path


@pytest.mark.parametrize("extra", [
    {"instances": 2.0},                      # Play JSON reads 2.0 as the Int 2
    {"unreachableStrategy": {"inactiveAfterSeconds": 10, "expungeAfterSeconds": 5}},
    {"unreachableStrategy": {"inactiveAfterSeconds": 0, "expungeAfterSeconds": 0}},
    {"backoffFactor": 0.5},
    {"upgradeStrategy": {"minimumHealthCapacity": 2}},
])
def test_the_loader_and_marathon_agree(extra: dict) -> None:
    """What ``load_manifests`` accepts, ``Marathon.deploy`` accepts, and what it refuses
    the framework refuses (they used to differ on ``2.0`` instances and on an expunge
    time before the inactive time)."""
    from clustersim import Node
    from clustersim.marathon import Marathon
    from clustersim.mesos import MesosCluster

    app = {"id": "/a", "cmd": "x", **extra}
    try:
        load_manifests(app)
    except ManifestError:
        loaded = False
    else:
        loaded = True
    framework = MesosCluster([Node("a1", 4, "8Gi")]).register(Marathon())
    try:
        framework.deploy(app)
    except ValueError:
        deployed = False
    else:
        deployed = True
    assert loaded == deployed


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [('{"id": "..", "cmd": "serve", "cpus": 0.1, "mem": 32}', "id",
      "resolves to the root group"),
     ('{"id": "/a", "cmd": "serve", "cpus": 0.1, "mem": 32, "healthChecks": '
      '[{"protocol": "TCP", "intervalSeconds": 0}]}', "healthChecks[0].intervalSeconds",
      "must be at least 1 (a bound of the simulator's"),
     ('{"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}, '
      '"healthCheck": {"tcp": {"endpoint": "http"}, "intervalSeconds": "30"}}]}',
      "containers[0].healthCheck.intervalSeconds", "'30' is not valid: error.expected.jsnumber")],
)
def test_what_the_simulator_refused_after_loading_is_refused_by_the_loader(
    text: str, path: str, words: str
) -> None:
    """Each of these loaded and was then refused by the simulator, naming no file."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(text, name="app.json")
    assert (caught.value.source, caught.value.path) == ("app.json", path)
    assert words in caught.value.message


@pytest.mark.parametrize(("field", "value", "path", "says"), [
    ("constraints", [["rack", "GROUP_BY", 3]], "constraints[0][2]",
     "3 is not valid: error.expected.jsstring (expected a string)"),
    ("requirePorts", "yes", "requirePorts", "'yes' is not valid: error.expected.jsboolean"),
    ("args", "serve --port 80", "args", "is not valid: error.expected.jsarray"),
])
def test_a_value_of_another_json_type_is_refused_in_plays_words(field, value, path, says):
    """A number in a constraint had pydantic's "Input should be a valid string"; Marathon's
    Play readers answer ``error.expected.jsstring`` (as the served API does)."""
    with pytest.raises(ManifestError) as caught:
        load_manifests({"id": "/a", "cmd": "serve", field: value}, name="app.json")
    assert caught.value.path == path and says in str(caught.value)
    assert "Input should" not in str(caught.value)


@pytest.mark.parametrize(("ports", "path", "key"), [
    ('"portDefinitions": [{"port": 70000}]', "portDefinitions[0].port", "error.max"),
    ('"ports": [-1]', "ports[0]", "error.min"),
    ('"container": {"type": "DOCKER", "docker": {"image": "nginx"}, '
     '"portMappings": [{"containerPort": 80, "servicePort": 65536}]}',
     "container.portMappings[0].servicePort", "error.max"),
])
def test_a_port_out_of_range_is_refused_in_marathons_words(ports: str, path: str,
                                                            key: str) -> None:
    """The loader names the key the served API answers for the same port (Play's
    ``error.min``/``error.max`` for ``AnyPort``, 0 to 65535), not pydantic's "Input should
    be less than or equal to 65535"."""
    with pytest.raises(ManifestError) as caught:
        load_manifests('{"id": "/a", "cmd": "x",\n ' + ports + "}", name="app.json")
    assert (caught.value.path, caught.value.line) == (path, 2)
    assert caught.value.message.endswith(
        f"is not valid: {key} (Marathon's port type AnyPort runs from 0 to 65535)")


def test_enums_are_read_in_any_case_as_marathons_reader_reads_them() -> None:
    """The RAML reader matches an enum in any case (d2iq-archive/marathon ``EnumVisitor``) and
    keeps its RAML spelling, so the definition the simulator reads has ``DOCKER``, ``host``;
    a value that is none of them is still refused."""
    group = {"id": "/shop", "apps": [{
        "id": "web", "container": {"type": "docker", "docker": {"image": "nginx:1.27",
                                                                "network": "bridge"},
                                   "volumes": [{"containerPath": "data", "mode": "rw",
                                                "persistent": {"size": 10, "type": "ROOT"}}]},
        "healthChecks": [{"protocol": "mesos_http"}], "killSelection": "Oldest_First",
        "readinessChecks": [{"protocol": "https"}], "unreachableStrategy": "DISABLED",
        "residency": {"taskLostBehavior": "wait_forever"},
        "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}}],
        "pods": [{"id": "db", "networks": [{"mode": "HOST"}],
                  "containers": [{"name": "db", "resources": {"cpus": 0.1, "mem": 32}}]}]}
    [spec] = load_manifests(group)
    app, pod = spec.manifest["apps"][0], spec.manifest["pods"][0]
    assert (app["container"]["type"], app["container"]["docker"]["network"],
            app["container"]["volumes"][0]["mode"], app["container"]["volumes"][0]
            ["persistent"]["type"]) == ("DOCKER", "BRIDGE", "RW", "root")
    assert (app["healthChecks"][0]["protocol"], app["killSelection"],
            app["readinessChecks"][0]["protocol"], app["unreachableStrategy"],
            app["residency"]["taskLostBehavior"]) == (
        "MESOS_HTTP", "OLDEST_FIRST", "HTTPS", "disabled", "WAIT_FOREVER")
    assert pod["networks"] == [{"mode": "host"}]
    assert group["apps"][0]["container"]["type"] == "docker"     # the input is left alone
    with pytest.raises(ManifestError, match="killSelection"):
        load_manifests({"id": "/web", "cmd": "x", "killSelection": "NEWEST_FIRST"})
    with pytest.raises(ManifestError, match=r"scaling\.kind"):   # a discriminator: exact
        load_manifests({"id": "/db", "scaling": {"kind": "FIXED"},
                        "containers": [{"name": "db", "resources": {"cpus": 0.1}}]})


@pytest.mark.parametrize(("text", "where", "problem"), [
    ("id: /g\napps:\n  - id: a\n    cmd: x\n    container: nginx\n",
     "group.yaml, line 5, apps[0].container",
     "'nginx' is not valid: container holds fields of its own (expected a mapping with "
     "fields such as type, docker, portMappings, volumes)."),
    ("id: /a\ncmd: x\nhealthChecks: [1]\n", "group.yaml, line 3, healthChecks[0]",
     "1 is not valid: each item of healthChecks holds fields of its own (expected a mapping "
     "with fields such as protocol, path, portIndex, port, ...)."),
    ("id: /a\ncmd: x\nupgradeStrategy: 3\n", "group.yaml, line 3, upgradeStrategy",
     "3 is not valid: upgradeStrategy holds fields of its own (expected a mapping with "
     "fields such as minimumHealthCapacity, maximumOverCapacity)."),
    ("id: /a\ncmd: x\nlabels: [a]\n", "group.yaml, line 3, labels",
     "a list is not valid: labels maps names to values (expected a mapping)."),
])
def test_a_field_that_wants_a_mapping_says_which_fields_to_write(text, where, problem):
    """A value that is no mapping where Marathon's type is an object names the file, the
    line and the field, and the fields to write there, not pydantic's words ("Input should
    be a valid dictionary or instance of Container")."""
    with pytest.raises(ManifestError) as refused:
        load_manifests(text, name="group.yaml")
    assert str(refused.value) == f"{where}: {problem}"


@pytest.mark.parametrize(("app", "paths"), [
    ({"id": "/web", "cmd": "x", "instances": "two", "acceptedResourceRoles": ["", "-r"]},
     ["instances", "acceptedResourceRoles[0]", "acceptedResourceRoles[1]"]),
    ({"id": "/web", "cmd": "x", "args": ["y"], "portDefinitions": [], "instances": 2,
      "healthChecks": [{"protocol": "TCP", "portIndex": 1}],
      "labels": {"MARATHON_SINGLE_INSTANCE_APP": "true"}},
     ["", "healthChecks[0]", "instances"]),
])
def test_every_problem_of_an_app_is_reported(app, paths):
    """The loader stopped at an app's first problem; Accord reports every violation, so the
    loader names the first problem at each field, and every rule across fields broken."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(app)
    assert [e.path for e in (caught.value, *caught.value.also)] == paths


_BOTH = {"cmd": "x", "args": ["y"]}
_RESIDENT_POD = {
    "id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32},
                                "volumeMounts": [{"name": "v", "mountPath": "data"}]}],
    "volumes": [{"name": "v", "persistent": {"size": 10}}],
    "networks": [{"mode": "host", "name": "n"}],
    "scheduling": {"placement": {"acceptedResourceRoles": ["slave_public"]}}}


@pytest.mark.parametrize(("definition", "paths"), [
    ({"id": "/g", "apps": [{"id": "a", **_BOTH}, {"id": "b", **_BOTH, "instances": 2,
                                                   "labels": {"MARATHON_SINGLE_INSTANCE_APP":
                                                              "true"}}],
      "groups": [{"id": "sub", "apps": [{"id": "c", **_BOTH}]}]},
     ["apps[0]", "apps[1]", "apps[1].instances", "groups[0].apps[0]"]),
    (_RESIDENT_POD, ["networks", "acceptedResourceRoles"]),
])
def test_every_problem_of_every_app_and_pod_is_reported(definition, paths):
    """Every violation was reported within one app only: a group stopped at its first
    broken app, a pod at its first broken rule. Marathon validates every app and pod of a
    group (``GroupValidation``) and every rule of each."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(definition)
    found, seen = [], [caught.value]
    while seen:
        error = seen.pop(0)
        found.append(error.path)
        seen = [*error.also, *seen]
    assert sorted(found) == sorted(paths)


@pytest.mark.parametrize(("run_spec", "path", "shown", "minimum"), [
    ({"id": "/a", "cmd": "x", "cpus": 0}, "cpus", "0", "0.001"),
    ({"id": "/a", "cmd": "x", "cpus": 0.0005}, "cpus", "0.0005", "0.001"),
    ({"id": "/a", "cmd": "x", "mem": -1}, "mem", "-1", "0"),
    ({"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0, "mem": 32}}]},
     "containers[0].resources.cpus", "0", "0.001"),
    ({"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 0}}]},
     "containers[0].resources.mem", "0", "0.001"),
])
def test_resources_below_the_raml_minimum_are_refused_with_plays_key(
        run_spec: dict, path: str, shown: str, minimum: str) -> None:
    """``app.raml`` gives ``cpus`` ``minimum: 0.001`` and ``mem`` 0, ``resources.raml`` (a pod
    container's) 0.001 to both: Marathon's generated reader refuses a smaller amount with
    Play's ``error.min``. The loader had taken ``cpus: 0`` and ``0.0005`` (which Mesos then
    rounded up to a thousandth) and words its refusals in Play's keys, not pydantic's."""
    with pytest.raises(ManifestError) as info:
        load_manifests(run_spec)
    assert info.value.path == path
    assert info.value.message == (
        f"{shown} is not valid: error.min (Marathon's RAML minimum here is {minimum})")


@pytest.mark.parametrize("app", [{"cpus": 0}, {"cpus": 0.0005}, {"mem": -1}])
def test_the_loader_refuses_an_amount_with_the_served_apis_key(app: dict) -> None:
    """The served API's reader (``clustersim.serve.marathonraml``) answers the same key at
    the same field."""
    from clustersim.serve.core import HttpError
    from clustersim.serve.marathonraml import check_app

    with pytest.raises(HttpError) as served:
        check_app({"id": "/a", "cmd": "x", **app})
    with pytest.raises(ManifestError) as loaded:
        load_manifests({"id": "/a", "cmd": "x", **app})
    (field,) = app
    assert served.value.details["details"] == [{"path": f"/{field}", "errors": ["error.min"]}]
    assert "is not valid: error.min" in loaded.value.message


@pytest.mark.parametrize(("app", "path", "message"), [
    ({"id": "/a", "cmd": "x", "disk": -1}, "disk", "got -1.0, expected 0.0 or more"),
    ({"id": "/g", "apps": [{"id": "a", "cmd": "x", "disk": -0.5}]}, "apps[0].disk",
     "got -0.5, expected 0.0 or more"),
    ({"id": "/a", "cmd": "x", "disk": -1e-05}, "disk", "got -1.0E-5, expected 0.0 or more"),
])
def test_a_negative_app_disk_is_refused_in_accords_words(app: dict, path: str,
                                                         message: str) -> None:
    """``app.raml`` gives an app's ``disk`` no minimum; ``AppDefinition``'s Accord rule
    (``disk as "disk" should be >= 0.0``) refuses it, ``got -1.0, expected 0.0 or more``.
    The loader had claimed a RAML minimum of 0, which Marathon's reader never checks."""
    with pytest.raises(ManifestError) as info:
        load_manifests(app)
    assert (info.value.path, info.value.message) == (path, message)


@pytest.mark.parametrize("field", ["cpus", "mem", "disk", "gpus", "instances",
                                   "taskKillGracePeriodSeconds"])
def test_a_yaml_nan_is_refused_as_not_a_number_in_every_field(field: str) -> None:
    """YAML's ``.nan`` had reached ``java_double``'s assertion through ``disk`` (a bare
    AssertionError), "nan is too large" through ``scalar_refusal`` and "is not valid: None"
    through ``bound_error``, and passed a field without bounds; JSON has no NaN, so every
    field now refuses it in one wording, at its place."""
    amounts = {"cpus": "1", "mem": "32", field: ".nan"}
    source = "id: /a\ncmd: x\n" + "".join(f"{k}: {v}\n" for k, v in amounts.items())
    with pytest.raises(ManifestError) as info:
        load_manifests(source)
    assert info.value.path == field
    assert info.value.message.startswith("nan is not a number: JSON has no NaN")


def test_a_nan_port_in_a_list_is_named_at_its_place() -> None:
    with pytest.raises(ManifestError) as info:
        load_manifests("id: /a\ncmd: x\nportDefinitions: [{port: 80}, {port: .nan}]\n")
    assert info.value.path == "portDefinitions[1].port"
    assert "not a number" in info.value.message


@pytest.mark.parametrize(("field", "message"), [
    ("disk", "got -Infinity, expected 0.0 or more"),
    ("cpus", "-Infinity is not valid: error.min (Marathon's RAML minimum here is 0.001)"),
])
def test_minus_infinity_is_refused_as_marathon_shows_it(field: str, message: str) -> None:
    """``-1e999`` in JSON is ``-Infinity`` to Play, which ``app.raml``'s minimum or Accord's
    rule on ``disk`` refuses; YAML's ``-.inf`` had raised a bare AssertionError for disk."""
    with pytest.raises(ManifestError) as info:
        load_manifests(f"id: /a\ncmd: x\nmem: 32\n{field}: -.inf\n")
    assert (info.value.path, info.value.message) == (field, message)


@pytest.mark.parametrize(("constraints", "message"), [
    ([["hostname", "UNIQUE", "extra"]], "Value specified but not used: UNIQUE takes no value"),
    ([["hostname", "UNIQUE", ""]], "Value specified but not used"),
    ([["rack", "CLUSTER"]], "Missing value: CLUSTER needs the value"),
])
def test_an_apps_constraint_marathon_refuses_is_refused(constraints: list,
                                                         message: str) -> None:
    """``SchedulingValidation.complyWithAppConstraintRules``: both had been loaded."""
    with pytest.raises(ManifestError) as info:
        load_manifests({"id": "/a", "cmd": "x", "constraints": constraints})
    assert info.value.path == "constraints[0]" and info.value.message.startswith(message)


def test_a_pods_cluster_constraint_needs_a_value_that_is_not_empty() -> None:
    pod = {"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 16}}],
           "scheduling": {"placement": {"constraints": [
               {"fieldName": "rack", "operator": "CLUSTER", "value": ""}]}}}
    with pytest.raises(ManifestError) as info:
        load_manifests(pod)
    assert info.value.message.startswith("Missing value")


@pytest.mark.parametrize(("value", "java"), [
    (float("inf"), "Infinity"), (float("-inf"), "-Infinity"), (float("nan"), "NaN"),
    (-1.0, "-1.0"), (1e7, "1.0E7"), (-1e-05, "-1.0E-5")])
def test_java_double_writes_what_double_to_string_writes(value: float, java: str) -> None:
    from clustersim.manifests.bounds import java_double

    assert java_double(value) == java


def test_a_negative_app_disk_is_object_is_not_valid_and_reported_with_the_rest() -> None:
    """Served: the reader takes ``disk: -1`` (no RAML minimum), so the answer is Accord's 422
    ``Object is not valid`` at ``/disk``, with the app's other violations of that step. Where
    the reader refuses another field (``cpus: -1``) Marathon answers ``Invalid JSON`` with the
    reader's errors alone and never reaches the rule on ``disk``."""
    from clustersim.serve.core import HttpError
    from clustersim.serve.marathonraml import check_app

    with pytest.raises(HttpError) as served:
        check_app({"id": "/a", "cmd": "x", "disk": -1, "constraints": [["a", "BAD"]]})
    details = served.value.details["details"]
    assert served.value.message == "Object is not valid"
    assert [d["path"] for d in details] == ["/constraints(0)", "/disk"]
    assert details[1]["errors"][0].startswith("got -1.0, expected 0.0 or more")
    with pytest.raises(HttpError) as read:
        check_app({"id": "/a", "cmd": "x", "disk": -1, "cpus": -1})
    assert (read.value.message, read.value.details["details"]) == (
        "Invalid JSON", [{"path": "/cpus", "errors": ["error.min"]}])


@pytest.mark.parametrize(("definition", "path", "shown"), [
    ({"id": "/r", "cmd": "x", "instances": 10**10}, "instances", "10000000000"),
    ({"id": "/r", "cmd": "x", "instances": 2**31}, "instances", "2147483648"),
    ({"id": "/r", "cmd": "x", "instances": 2.5}, "instances", "2.5"),
    ({"id": "/p", "containers": [{"name": "c", "resources": {"cpus": 0.1, "mem": 32}}],
      "scaling": {"kind": "fixed", "instances": 3 * 10**9}}, "scaling.instances",
     "3000000000"),
])
def test_an_instance_count_that_is_no_int32_is_refused_with_plays_key(
        definition: dict, path: str, shown: str) -> None:
    """``instances`` is a RAML ``integer`` of ``format: int32``: Play's ``IntReads`` refuses
    a fraction or a number past 2^31-1 with ``error.expected.int``, as the served API does.
    The loader had loaded 10^10 and 2^31 instances and answered 2.5 in pydantic's words."""
    with pytest.raises(ManifestError) as info:
        load_manifests(definition)
    assert info.value.path == path
    assert info.value.message.startswith(f"{shown} is not valid: error.expected.int")


@pytest.mark.parametrize("instances", [10**10, 2**31, 2.5, -(2**31) - 1])
def test_the_loader_and_the_served_reader_share_the_int32_rule(instances: float) -> None:
    from clustersim.serve.core import HttpError
    from clustersim.serve.marathonraml import check_app

    with pytest.raises(HttpError) as served:
        check_app({"id": "/a", "cmd": "x", "instances": instances})
    with pytest.raises(ManifestError) as loaded:
        load_manifests({"id": "/a", "cmd": "x", "instances": instances})
    assert served.value.details["details"] == [
        {"path": "/instances", "errors": ["error.expected.int"]}]
    assert "is not valid: error.expected.int" in loaded.value.message
    (spec,) = load_manifests({"id": "/a", "cmd": "x", "instances": 2**31 - 1})
    assert spec.manifest["instances"] == 2**31 - 1


@pytest.mark.parametrize(("body", "path", "shown"), [
    ('{"id":"/a","cmd":"x","cpus":1e999}', "/cpus", "Infinity"),
    ('{"id":"/a","cmd":"x","disk":1e999}', "/disk", "Infinity"),
    ('{"id":"/a","cmd":"x","mem":1e300}', "/mem", "1e+300"),
])
def test_the_served_api_answers_an_amount_mesos_cannot_hold_in_marathons_terms(
        body: str, path: str, shown: str) -> None:
    """Play reads ``1e999`` as a ``BigDecimal`` and ``DoubleReads`` makes it ``Infinity``,
    which passes the RAML minimums: the served API answers it as the amount Mesos cannot
    hold, as it answers ``1e300`` (the loader's rule, ``scalar_refusal``). It had answered
    with the loader's words about Go's encoding/json and Python."""
    import json

    from clustersim.serve.core import HttpError
    from clustersim.serve.marathonraml import check_app

    with pytest.raises(HttpError) as served:
        check_app(json.loads(body))
    assert served.value.message == "Object is not valid"
    [detail] = served.value.details["details"]
    assert detail["path"] == path
    [error] = detail["errors"]
    assert error.startswith(f"{shown} is too large: Mesos holds resource amounts in fixed "
                            "point (thousandths in a 64-bit integer), at most "
                            "9223372036854775; Marathon 1.11 stores the definition")
    assert error.endswith("so the simulator refuses it")
    # a finite amount is written back (201); Infinity cannot be (BigDecimal("Infinity"))
    assert ("answers 201" in error) == (shown != "Infinity")
    assert ("NumberFormatException" in error) == (shown == "Infinity")


@pytest.mark.parametrize(("body", "path", "start"), [
    ('{"id":"/p","containers":[{"name":"c","resources":{"cpus":1e999,"mem":32}}]}',
     "/containers(0)/resources/cpus", "Infinity is too large: Mesos holds"),
    ('{"id":"/p","containers":[{"name":"c","resources":{"cpus":1,"mem":32,"disk":1e300}}]}',
     "/containers(0)/resources/disk", "1e+300 is too large: Mesos holds"),
    ('{"id":"/p","containers":[{"name":"c","resources":{"cpus":1,"mem":32}}],'
     '"executorResources":{"mem":1e400}}', "/executorResources/mem",
     "Infinity is too large: Mesos holds"),
])
def test_a_pods_amount_mesos_cannot_hold_is_answered_as_an_apps(
        body: str, path: str, start: str) -> None:
    """``PodsValidation.resourceValidator`` has the same ``should be >= 0.0`` as an app's
    amounts, so Marathon takes a pod's ``1e999`` as it takes an app's: the served API answers
    both with :func:`scalar_refusal`, at Marathon's path of the field. A pod's had been
    answered with the loader's words about Go's encoding/json, and its ``1e300`` loaded."""
    import json

    from clustersim.serve.core import HttpError
    from clustersim.serve.marathonraml import check_pod

    with pytest.raises(HttpError) as served:
        check_pod(json.loads(body))
    [detail] = served.value.details["details"]
    assert detail["path"] == path
    assert detail["errors"][0].startswith(start)
    assert "Marathon 1.11 stores the definition" in detail["errors"][0]


def test_another_infinite_number_is_answered_in_marathons_terms() -> None:
    """``backoffFactor`` has a RAML minimum and no maximum: Marathon takes ``1e400`` as
    ``Infinity``; the served API says so instead of the loader's words about Go."""
    from clustersim.manifests.marathon_types import INFINITY_STORED
    from clustersim.serve.core import HttpError
    from clustersim.serve.marathonraml import check_app

    with pytest.raises(HttpError) as served:
        check_app({"id": "/a", "cmd": "x", "backoffFactor": float("inf")})
    [detail] = served.value.details["details"]
    assert detail["path"] == "/backoffFactor"
    assert detail["errors"] == [f"Infinity: {INFINITY_STORED}; the simulator holds no infinite "
                                "value: give a finite number"]
    assert "fails to write it back, answering 422" in INFINITY_STORED


def test_a_thousandth_and_a_half_is_kept_as_written_and_mesos_rounds_it() -> None:
    """Marathon stores the double it read; Mesos schedules ``llround(cpus * 1000)``
    thousandths (``convertToFixed``), rounding half away from zero."""
    (spec,) = load_manifests({"id": "/a", "cmd": "x", "cpus": 0.0015})
    assert spec.manifest["cpus"] == 0.0015
    (workload,) = spec.workloads()
    assert workload.cpu == Decimal("0.002")


def test_a_pod_without_containers_is_refused_with_plays_key() -> None:
    """``pod.raml``'s ``minItems: 1`` on ``containers``: Play's ``error.minLength``, as the
    served API answers (``check_pod``); the loader had said "a list is not valid: List
    should have at least 1 item after validation, not 0"."""
    with pytest.raises(ManifestError) as info:
        load_manifests({"id": "/p", "containers": []})
    assert info.value.path == "containers"
    assert info.value.message == ("an empty list is not valid: error.minLength (Marathon's "
                                  "RAML wants at least 1 item)")
