"""The Compose loader: long forms of short syntaxes, deploy validation, units, workloads.

Expected long forms of ports and volumes come from docker/cli's loader test
``cli/compose/loader/full-struct_test.go`` (the ``fullExampleConfig`` for ``full-example.yml``);
memory sizes from docker/go-units ``size_test.go`` (``TestRAMInBytes``); CPU amounts follow
docker/cli ``opts/opts.go`` (``ParseCPUs``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from clustersim import ManifestError, compose_bytes, compose_cpus, load_manifests
from clustersim.manifests import compose_late_checks
from clustersim.manifests.compose_decoding import decoding_error

KIB, MIB, GIB, TIB, PIB = (1024**n for n in range(1, 6))


def stack(service: str, top: str = "") -> dict:
    """The long form of one service ``web`` (given an image ``x`` unless it names one), in a
    file that ends with the top-level sections ``top``."""
    if not service.startswith("image:") and "\nimage:" not in service:
        service = "image: x\n" + service
    text = "services:\n  web:\n" + "".join(f"    {line}\n" for line in service.splitlines())
    [spec] = load_manifests(text + top, name="shop.yml")
    return spec.manifest["services"]["web"]


def test_ports_as_docker_cli_expands_them() -> None:
    ports = stack(
        'image: x\nports:\n- 3000\n- "3001-3005"\n- "8000:8000"\n- "9090-9091:8080-8081"\n'
        '- "49100:22"\n- "127.0.0.1:8001:8001"\n- "127.0.0.1:5000-5010:5000-5010"\n'
        '- "6060:6060/udp"\n- {target: 80, published: 8080, mode: host}'
    )["ports"]
    expected = [
        (3000, None),
        *((p, None) for p in range(3001, 3006)),
        (8000, 8000),
        (8080, 9090),
        (8081, 9091),
        (22, 49100),
        (8001, 8001),
        *((p, p) for p in range(5000, 5011)),
    ]
    assert [(p["target"], p["published"]) for p in ports[: len(expected)]] == expected
    assert {p["mode"] for p in ports[:-1]} == {"ingress"}
    assert {p["protocol"] for p in ports[:-2]} == {"tcp"}
    assert ports[-2] == {"target": 6060, "published": 6060, "protocol": "udp", "mode": "ingress"}
    assert ports[-1] == {"target": 80, "published": 8080, "protocol": "tcp", "mode": "host"}


@pytest.mark.parametrize("port", ["80:80:80:80", "http", "1-3:4-5", "0", "70000", True])
def test_bad_ports(port) -> None:
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\nports:\n- {port!r}" if isinstance(port, str) else "ports: [true]")
    assert info.value.path.startswith("services.web.ports[0]")


def test_volumes_short_syntax() -> None:
    volumes = stack(
        "volumes:\n- /var/lib/mysql\n- /opt/data:/var/lib/mysql\n- ./cache:/tmp/cache\n"
        "- ~/configs:/etc/configs/:ro\n- datavolume:/var/lib/mysql\n"
        "- 'C:\\data:C:\\app'\n- {type: tmpfs, target: /opt}",
        "volumes: {datavolume: }\n",
    )["volumes"]
    assert [(v["type"], v["source"], v["target"], v["read_only"]) for v in volumes] == [
        ("volume", None, "/var/lib/mysql", False),
        ("bind", "/opt/data", "/var/lib/mysql", False),
        ("bind", "./cache", "/tmp/cache", False),
        ("bind", "~/configs", "/etc/configs/", True),
        ("volume", "datavolume", "/var/lib/mysql", False),
        ("bind", "C:\\data", "C:\\app", False),
        ("tmpfs", None, "/opt", False),
    ]


def test_secrets_configs_environment_depends_on_networks() -> None:
    web = stack(
        "secrets: [db_password, {source: api_key, target: key}]\n"
        "configs: [nginx_conf]\nenvironment: [A=1, B, C=x=y]\ndepends_on: [db]\n"
        "networks: [front, back]",
        "secrets: {db_password: {external: true}, api_key: {file: ./key}}\n"
        "configs: {nginx_conf: {file: ./nginx.conf}}\nnetworks: {front: , back: }\n",
    )
    assert web["secrets"] == [
        {"source": "db_password", "target": "db_password"},
        {"source": "api_key", "target": "key"},
    ]
    assert web["configs"] == [{"source": "nginx_conf", "target": "/nginx_conf"}]
    assert web["environment"] == {"A": "1", "B": None, "C": "x=y"}
    assert web["depends_on"] == {"db": {"condition": "service_started", "required": True}}
    assert web["networks"] == {"front": None, "back": None}
    assert stack("environment: {N: 1, E: null}")["environment"] == {"N": "1", "E": None}


@pytest.mark.parametrize(("service", "top", "path", "message"), [
    ("secrets: [db_password]", "", "secrets[0]", 'undefined secret "db_password"'),
    ("secrets: [db_password]", "configs: {db_password: {file: ./db}}\n", "secrets[0]",
     'undefined secret "db_password"'),
    ("secrets: [api_key, {source: db_password}]", "secrets: {api_key: {external: true}}\n",
     "secrets[1]", 'undefined secret "db_password"'),
    ("configs: [{source: site, target: /etc/site.conf}]", "", "configs[0]",
     'undefined config "site"'),
    ("credential_spec: {config: gmsa}", "", "credential_spec.config", 'undefined config "gmsa"'),
    ("secrets: [db_password]\nconfigs: [site]", "", "secrets[0]",
     'undefined secret "db_password"'),
])
def test_an_undeclared_secret_or_config_is_refused_as_docker_stack_deploy_refuses_it(
        service: str, top: str, path: str, message: str) -> None:
    """docker/cli ``cli/compose/convert/service.go``: ``convertServiceSecrets`` and
    ``convertServiceConfigObjs`` look each one up among the file's top-level declarations
    (a secret among the secrets only, a credential spec's config among the configs), the
    secrets first; ``Services`` names the service."""
    with pytest.raises(ManifestError) as info:
        stack(service, top)
    assert info.value.path == f"services.web.{path}"
    assert info.value.message == f"service web: {message}"
    assert "top-level" in info.value.expected


def test_declared_secrets_and_configs_load_external_or_from_a_file() -> None:
    web = stack("secrets: [db_password]\nconfigs: [site]\ncredential_spec: {config: site}",
                "secrets: {db_password: {external: true}}\nconfigs: {site: {file: ./site}}\n")
    assert web["secrets"] == [{"source": "db_password", "target": "db_password"}]


@pytest.mark.parametrize(("service", "top", "path", "message"), [
    ("networks: [frontend, backend]", "networks: {frontend: }\n", "networks[1]",
     'undefined network "backend"'),
    ("networks: {backend: {aliases: [db]}}", "", "networks.backend",
     'undefined network "backend"'),
    ("networks: [backend]", "volumes: {backend: }\n", "networks[0]",
     'undefined network "backend"'),
    ("volumes: [db-data:/var/lib/postgresql/data]", "", "volumes[0]",
     'undefined volume "db-data"'),
    ("volumes: [/srv:/srv, {type: volume, source: logs, target: /logs}]",
     "networks: {logs: }\n", "volumes[1]", 'undefined volume "logs"'),
    ("volumes: [{type: cluster, source: shared, target: /data}]", "", "volumes[0]",
     'undefined volume "shared"'),
    ("networks: [backend]\nvolumes: [data:/data]", "", "volumes[0]",
     'undefined volume "data"'),
    ("networks: [backend]\nsecrets: [db]", "", "secrets[0]", 'undefined secret "db"'),
])
def test_an_undeclared_volume_or_network_is_refused_as_docker_stack_deploy_refuses_it(
        service: str, top: str, path: str, message: str) -> None:
    """docker/cli ``cli/compose/convert/volume.go`` (``handleVolumeToMount`` and
    ``handleClusterToMount``) and ``service.go`` (``convertServiceNetworks``) look a named
    volume up among the top-level volumes and a network among the top-level networks; the
    volumes come after the secrets and before the networks, and ``Services`` names the
    service (not compose-go's ``refers to undefined network``, which is ``docker compose``'s)."""
    with pytest.raises(ManifestError) as info:
        stack(service, top)
    assert info.value.path == f"services.web.{path}"
    assert info.value.message == f"service web: {message}"
    assert "top-level" in info.value.expected
    assert info.value.line is not None and info.value.line > 2


@pytest.mark.parametrize(("service", "top"), [
    ("networks: [default]", ""),
    ("networks: {backend: , default: }", "networks: {backend: }\n"),
    ("volumes: [data:/data, /srv:/srv, ./site:/site, /cache]", "volumes: {data: }\n"),
    ("volumes: [{type: tmpfs, target: /tmp}, {type: volume, target: /anon}]", ""),
    ("volumes: [{type: cluster, source: 'group:db', target: /data}]", ""),
    ("volumes: [logs:/logs]\nnetworks: [logs]",
     "volumes: {logs: {external: true}}\nnetworks: {logs: {external: true}}\n"),
])
def test_declared_or_unnamed_volumes_and_networks_load(service: str, top: str) -> None:
    """What docker/cli's converter looks up nothing for: the ``default`` network, binds, a
    tmpfs, an anonymous volume, a cluster volume group (``group:``); and what is declared,
    with nothing after its name or as external."""
    assert stack(service, top)["image"] == "x"


@pytest.mark.parametrize(("service", "top", "key"), [
    ("volumes: ['data/x:/d']", "volumes:\n  data/x: {}\n", "data/x"),
    ("secrets: ['db pass']", "secrets:\n  db pass: {external: true}\n", "db pass"),
    ("configs: ['app:conf']", "configs:\n  app:conf: {external: true}\n", "app:conf"),
])
def test_a_top_level_name_outside_the_schemas_pattern_is_refused(
        service: str, top: str, key: str) -> None:
    """docker/cli's ``config_schema_v3.*.json`` allow top-level volume, secret and config
    keys matching ``^[a-zA-Z0-9._-]+$`` only (``"additionalProperties": false``); the loader
    took ``data/x``. The top-level ``networks`` sets no ``additionalProperties``."""
    with pytest.raises(ManifestError) as info:
        stack(service, top)
    section = top.split(":", 1)[0]
    assert info.value.path == f'{section}["{key}"]'
    assert info.value.message == f"Additional property {key} is not allowed"
    assert info.value.line is not None
    assert stack("networks: ['back/end']", "networks:\n  back/end: {}\n")["image"] == "x"


def test_docker_cli_refuses_an_undeclared_secret_before_the_daemon_sees_any_service() -> None:
    """``docker stack deploy`` converts every service (``convert.Services``) before it
    creates the first (``deployServices``): a later service's undeclared secret is refused
    before an earlier service's missing image, which only swarmkit refuses."""
    text = "services:\n  web: {deploy: {replicas: 1}}\n  api: {image: x, secrets: [db]}\n"
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert (info.value.path, info.value.message) == (
        "services.api.secrets[0]", 'service api: undefined secret "db"')


@pytest.mark.parametrize(("service", "top", "path", "message"), [
    ("deploy: {mode: global, replicas: 3}", "", "deploy.replicas",
     "replicas can only be used with replicated or replicated-job mode"),
    ("deploy: {mode: global-job, replicas: 0}", "", "deploy.replicas",
     "replicas can only be used with replicated or replicated-job mode"),
    # convertServiceSecrets and convertServiceConfigObjs run before Service's mode ...
    ("secrets: [db]\ndeploy: {mode: global, replicas: 3}", "", "secrets[0]",
     'undefined secret "db"'),
    ("configs: [site]\ndeploy: {mode: global, replicas: 3}", "", "configs[0]",
     'undefined config "site"'),
    # ... and Volumes and convertServiceNetworks after it
    ("volumes: [data:/data]\ndeploy: {mode: global, replicas: 3}", "", "deploy.replicas",
     "replicas can only be used with replicated or replicated-job mode"),
    ("networks: [backend]\ndeploy: {mode: global, replicas: 3}", "", "deploy.replicas",
     "replicas can only be used with replicated or replicated-job mode"),
])
def test_replicas_of_a_global_service_are_refused_in_docker_clis_order(
        service: str, top: str, path: str, message: str) -> None:
    """docker/cli ``cli/compose/convert/service.go``: ``Services`` converts a service's
    secrets and configs, then ``Service`` its mode (``convertDeployMode``), then its volumes
    and networks, and names the service in the error."""
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\n{service}", top)
    assert (info.value.path, info.value.message) == (f"services.web.{path}",
                                                      f"service web: {message}")


def test_a_global_services_replicas_are_refused_before_the_daemon_sees_any_service() -> None:
    """The mode is docker/cli's refusal, made while it converts every service, so before a
    refusal of swarmkit's (an earlier service without an image)."""
    text = "services:\n  web: {deploy: {replicas: 1}}\n  api: {image: x, deploy: " \
           "{mode: global, replicas: 2}}\n"
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert info.value.path == "services.api.deploy.replicas"


_GLOBAL_WITH_REPLICAS = "deploy: {mode: global, replicas: 3, "


@pytest.mark.parametrize(("late", "path"), [
    ("resources: {limits: {cpus: abc}}}", "deploy.replicas"),
    ("resources: {reservations: {cpus: '1/0'}}}", "deploy.replicas"),
    ("restart_policy: {condition: always}}", "deploy.replicas"),
    ("placement: {constraints: [node.role=manager]}}", "deploy.replicas"),
])
def test_a_late_value_is_refused_after_the_mode_as_docker_stack_deploy_refuses_it(
        late: str, path: str) -> None:
    """The v3 schemas type ``cpus``, a restart ``condition`` and a constraint as strings
    (``config_schema_v3.14.json``): docker/cli's ``convertDeployMode`` refuses a global
    service's replicas before ``convertResources`` parses its ``cpus``, and before the daemon
    (``restartPolicyToGRPC``) and swarmkit (``validatePlacement``) see the rest."""
    with pytest.raises(ManifestError) as info:
        stack(_GLOBAL_WITH_REPLICAS + late)
    assert (info.value.path, info.value.message) == (
        f"services.web.{path}",
        "service web: replicas can only be used with replicated or replicated-job mode")


@pytest.mark.parametrize(("service", "path"), [
    # convertResources runs after Volumes and before convertHealthcheck
    ("volumes: [data:/data]\ndeploy: {resources: {limits: {cpus: abc}}}", "volumes[0]"),
    ("healthcheck: {disable: true, test: [CMD, x]}\ndeploy: {resources: {limits: {cpus: abc}}}",
     "deploy.resources.limits.cpus"),
    ("networks: [backend]\ndeploy: {resources: {limits: {cpus: abc}}}",
     "deploy.resources.limits.cpus"),
    # the daemon converts the restart policy before swarmkit checks the name ...
    ("deploy: {restart_policy: {condition: always}}", "deploy.restart_policy.condition"),
    # ... and swarmkit checks the placement before the container spec
    ("healthcheck: {interval: 1us}\ndeploy: {placement: {constraints: [a=b]}}",
     "deploy.placement.constraints[0]"),
    ("deploy: {restart_policy: {condition: always}, placement: {constraints: [a=b]}}",
     "deploy.restart_policy.condition"),
    # a docker/cli refusal comes before every refusal of the daemon's
    ("healthcheck: {disable: true, test: [CMD, x]}\ndeploy: {restart_policy: "
     "{condition: always}}", "healthcheck.disable"),
])
def test_late_values_are_refused_at_their_stage(service: str, path: str) -> None:
    """docker/cli ``cli/compose/convert/service.go`` (``Service``: mode, volumes,
    resources, health check, networks), then moby ``daemon/cluster/convert/service.go``
    (the restart condition), then swarmkit ``manager/controlapi/service.go``
    (``validateTaskSpec``: placement before the container spec)."""
    with pytest.raises(ManifestError) as info:
        stack(service)
    assert info.value.path == f"services.web.{path}"


def test_a_daemon_refusal_of_an_earlier_service_waits_for_docker_clis_conversion() -> None:
    """docker/cli converts every service before the daemon sees the first: an earlier
    service's restart condition is refused after a later service's ``cpus``."""
    text = ("services:\n  web: {image: x, deploy: {restart_policy: {condition: always}}}\n"
            "  api: {image: x, deploy: {resources: {limits: {cpus: abc}}}}\n")
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert info.value.path == "services.api.deploy.resources.limits.cpus"


def test_a_late_value_keeps_the_words_and_line_of_its_refusal() -> None:
    """Typed with stand-ins, refused in the model's words at the value's own line."""
    text = ("services:\n  web:\n    image: x\n    deploy:\n      placement:\n"
            "        constraints: [node.role==manager, node.role=worker]\n")
    with pytest.raises(ManifestError) as info:
        load_manifests(text, name="shop.yml")
    assert (info.value.path, info.value.line) == ("services.web.deploy.placement.constraints[1]", 6)
    assert "constraint 'node.role=worker': constraint expected one operator" in info.value.message


def _copies_to_refuse(bad_constraints: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many deep copies of the service the late checks make to refuse a service with
    ``bad_constraints`` constraints that swarmkit refuses."""
    copies = []
    real = compose_late_checks.deepcopy

    def counted(value: Any) -> Any:
        copies.append(1)
        return real(value)

    monkeypatch.setattr(compose_late_checks, "deepcopy", counted)
    rules = ", ".join(f"bad{i}" for i in range(bad_constraints))
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\ndeploy: {{placement: {{constraints: [{rules}]}}}}")
    assert info.value.path == "services.web.deploy.placement.constraints[0]"
    return len(copies)


def test_many_late_values_are_stood_in_with_one_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the service per late value made a service of 3,000 bad constraints take
    17 s (each copy holds them all); the copies no longer grow with their number."""
    assert _copies_to_refuse(200, monkeypatch) == _copies_to_refuse(2, monkeypatch)


def test_long_form_depends_on_is_refused_as_docker_stack_deploy_refuses_it() -> None:
    """docker/cli's config_schema_v3.*.json: depends_on is a list_of_strings."""
    with pytest.raises(ManifestError) as info:
        stack("image: x\ndepends_on:\n  db: {condition: service_healthy}")
    assert info.value.message == "must be a list"
    assert info.value.path == "services.web.depends_on"


def test_deploy_is_kept_as_written_and_validated() -> None:
    deploy = "deploy:\n  replicas: 2\n  placement:\n    constraints: [node.role == manager]"
    assert stack(deploy)["deploy"] == {
        "replicas": 2,
        "placement": {"constraints": ["node.role == manager"]},
    }


@pytest.mark.parametrize(
    ("deploy", "path", "words"),
    [
        ("mode: everywhere", "deploy.mode", "global"),
        ("replicas: -1", "deploy.replicas", "cannot parse 'Deploy.Replicas', -1 overflows uint"),
        (
            "placement: {constraints: [node=foo]}",
            "deploy.placement.constraints[0]",
            "expected one operator from ==, !=",
        ),
        (
            "placement: {constraints: ['node.role == ma>nager']}",
            "deploy.placement.constraints[0]",
            "value 'ma>nager' is invalid",
        ),
        ("resources: {limits: {memory: lots}}", "deploy.resources.limits.memory", "invalid size"),
        (
            "resources: {limits: {cpus: '0.0000000001'}}",
            "deploy.resources.limits.cpus",
            "too precise",
        ),
        ("update_config: {delay: 10 seconds}", "deploy.update_config.delay", "duration"),
        ("restart_policy: {condition: always}", "deploy.restart_policy.condition", "on-failure"),
        # docker/cli casts only what interpolation changed, so "3" meets the v3 schema as text
        ("replicas: '3'", "deploy.replicas", "deploy.replicas: must be a integer"),
        # "a integer" is docker/cli's own grammar: getDescription writes "must be a " and
        # humanReadableType the schema's type name (cli/compose/schema/schema.go)
        ("replicas: 1.5", "deploy.replicas", "deploy.replicas: must be a integer"),
        ("placement: {max_replicas_per_node: 'two'}", "deploy.placement.max_replicas_per_node",
         "must be a integer"),
    ],
)
def test_deploy_errors(deploy: str, path: str, words: str) -> None:
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\ndeploy:\n  {deploy}")
    assert info.value.path == f"services.web.{path}"
    assert words in str(info.value)
    assert info.value.line == 5


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("32", 32),
        ("32b", 32),
        ("32B", 32),
        ("32k", 32 * KIB),
        ("32K", 32 * KIB),
        ("32kb", 32 * KIB),
        ("32Kb", 32 * KIB),
        ("32Kib", 32 * KIB),
        ("32KIB", 32 * KIB),
        ("32Mb", 32 * MIB),
        ("32Gb", 32 * GIB),
        ("32Tb", 32 * TIB),
        ("32Pb", 32 * PIB),
        ("32PB", 32 * PIB),
        ("32P", 32 * PIB),
        ("32.3", 32),
        ("32.3 mb", int(32.3 * MIB)),
        ("0.3MB", int(0.3 * MIB)),
        ("512M", 512 * MIB),
        ("1.5g", int(1.5 * GIB)),
        ("1gb", GIB),
        (1024, 1024),
    ],
)
def test_ram_in_bytes_table(text, size: int) -> None:
    """docker/go-units ``TestRAMInBytes``: always powers of 1024, the float truncated."""
    assert compose_bytes(text) == size


# "\uff15\uff11\uff12M": full-width digits, which Go's \d does not match
@pytest.mark.parametrize("text", ["", "hello", "-32", " 32 ", "32m b", "32bm", "1.2.3", None,
                                  "\uff15\uff11\uff12M"])
def test_ram_in_bytes_errors(text) -> None:
    with pytest.raises(ValueError, match="invalid size"):
        compose_bytes(text)


@pytest.mark.parametrize(
    ("text", "cpus"),
    [
        ("0.5", "0.5"),
        ("1/4", "0.25"),
        ("1e-3", "0.001"),
        ("0.0001", "0.0001"),
        (2, "2"),
        (0.25, "0.25"),
        ("0.000000001", "0.000000001"),
    ],
)
def test_cpus(text, cpus: str) -> None:
    assert compose_cpus(text) == Decimal(cpus)


# full-width digits: Go's big.Rat.SetString reads ASCII digits only (natconv.go, nat.scan)
@pytest.mark.parametrize("text", ["0.0000000001", "one", "-1", "1/0x", "", "\uff11", "1/\uff12"])
def test_cpus_errors(text: str) -> None:
    with pytest.raises(ValueError):
        compose_cpus(text)


def test_a_cpus_of_full_width_digits_is_refused_where_docker_cli_parses_it() -> None:
    """It had loaded as 1 CPU."""
    with pytest.raises(ManifestError) as info:
        stack("deploy: {resources: {limits: {cpus: '\uff11'}}}")
    assert info.value.path == "services.web.deploy.resources.limits.cpus"
    assert "failed to parse" in info.value.message


def test_workloads_place_by_reservations() -> None:
    text = """services:
  web:
    image: nginx
    ports: ["80:80"]
    deploy:
      replicas: 3
      resources: {reservations: {cpus: '0.25', memory: 128M}, limits: {cpus: '1'}}
      placement:
        constraints: [node.labels.zone != east]
        preferences: [{spread: node.labels.rack}]
        max_replicas_per_node: 2
  agent:
    image: agent
    deploy: {mode: global}
    depends_on: [web]
"""
    web, agent = load_manifests(text, name="shop.yml").workloads()
    assert (web.name, web.replicas, web.cpu, web.memory) == (
        "shop_web",
        3,
        Decimal("0.25"),
        128 * MIB,
    )
    assert web.placement == (
        "node.labels.zone != east",
        "spread over node.labels.rack",
        "at most 2 per node",
    )
    assert (agent.replicas, agent.dependencies) == (None, ("web",))


INTERPOLATED = """services:
  web:
    image: ${REGISTRY:-docker.io}/shop/web:1${TAG}
    labels: {hash: "${HASH:-$2y$05$abc}"}
    ports: ["${PORT-8080}:80"]
    environment:
    - HOME_DIR=$$HOME
    - EMPTY=${EMPTY:-fallback}
    deploy:
      replicas: ${REPLICAS:-2}
"""


def test_variables_are_substituted_from_the_given_environment_only() -> None:
    """docker/cli ``template.Substitute``: defaults, ``$$`` escapes; unset → "" and a warning;
    a substituted ``replicas`` becomes an integer (``interpolateTypeCastMapping``)."""
    [spec] = load_manifests(INTERPOLATED)
    web = spec.manifest["services"]["web"]
    assert web["image"] == "docker.io/shop/web:1"
    assert web["labels"] == {"hash": "$2y$05$abc"}  # a default is not substituted again
    assert web["ports"][0]["published"] == 8080
    assert web["environment"] == {"HOME_DIR": "$HOME", "EMPTY": "fallback"}
    assert web["deploy"]["replicas"] == 2
    assert spec.warnings == ("The TAG variable is not set. Defaulting to a blank string.",)
    env = {"TAG": ".2", "PORT": "", "EMPTY": "", "REPLICAS": "5"}
    [spec] = load_manifests(INTERPOLATED.replace('"${PORT-8080}:80"', "80"), environment=env)
    web = spec.manifest["services"]["web"]
    assert (web["image"], web["deploy"]["replicas"], spec.warnings) == (
        "docker.io/shop/web:1.2",
        5,
        (),
    )
    assert web["environment"]["EMPTY"] == "fallback"  # ":-" also replaces an empty value


@pytest.mark.parametrize(
    ("env", "words"),
    [({"REPLICAS": "many"}, 'strconv.Atoi: parsing "many": invalid syntax'),
     ({"REPLICAS": "99999999999999999999"},
      'strconv.Atoi: parsing "99999999999999999999": value out of range'),
     ({"HASH": "${"}, None)],
)
def test_variable_errors(env: dict, words: str | None) -> None:
    if words is None:  # a value is not substituted again
        assert (
            load_manifests(INTERPOLATED, environment=env)[0]
            .manifest["services"]["web"]["labels"]["hash"]
            == "${"
        )
        return
    with pytest.raises(ManifestError, match=words) as info:
        load_manifests(INTERPOLATED, environment=env)
    assert info.value.path == "services.web.deploy.replicas"


FAILURE_RATIO = """
version: "3.8"
services:
  web:
    image: nginx
    deploy:
      update_config:
        max_failure_ratio: "${RATIO}"
"""


@pytest.mark.parametrize(("ratio", "read"), [
    ("0.25", 0.25), ("0x1p-2", 0.25),
    ("abc", 'strconv.ParseFloat: parsing "abc": invalid syntax'),
    (" 0.5", 'strconv.ParseFloat: parsing " 0.5": invalid syntax'),
    ("1e400", 'strconv.ParseFloat: parsing "1e400": value out of range'),
])
def test_a_float_cast_reads_the_value_as_strconv_parsefloat(ratio: str, read) -> None:
    """docker/cli's toFloat (cli/compose/loader/interpolate.go) is strconv.ParseFloat: Go's
    syntax and Go's quotes in the error (the cast had quoted with Python's repr and read
    the value with Python's float(), which takes " 0.5" and refuses 0x1p-2)."""
    if isinstance(read, float):
        [stack] = load_manifests(FAILURE_RATIO, environment={"RATIO": ratio})
        assert stack.manifest["services"]["web"]["deploy"]["update_config"][
            "max_failure_ratio"] == read
        return
    with pytest.raises(ManifestError) as info:
        load_manifests(FAILURE_RATIO, environment={"RATIO": ratio})
    assert str(info.value).count(f"failed to cast to expected type: {read}") == 1
    assert info.value.path == "services.web.deploy.update_config.max_failure_ratio"



@pytest.mark.parametrize(("version", "words"), [
    ('"2"', "unsupported Compose file version: 2"),
    ("2", "unsupported Compose file version: 2"),
    ('"2.4"', "unsupported Compose file version: 2.4"),
    ('"3.15"', "unsupported Compose file version: 3.15"),
    ("3.8", "version: must be a string"),
    ('"3"', None), ('"3.0"', None), ('"3.14"', None), ('""', None),
])
def test_only_the_versions_docker_cli_has_a_schema_for_load(version, words) -> None:
    """docker/cli's ``schema.Validate`` has the v3.0 to v3.14 schemas only; "3" and "" are
    the newest, and a file without a version loads as the newest too."""
    text = f"version: {version}\nservices: {{web: {{image: nginx}}}}\n"
    if words is None:
        assert load_manifests(text)
        return
    with pytest.raises(ManifestError, match=words) as info:
        load_manifests(text)
    assert info.value.path == "version"


def test_required_variable() -> None:
    with pytest.raises(ManifestError, match="required variable IMAGE is missing a value: set it"):
        load_manifests('services: {web: {image: "${IMAGE:?set it}"}}')


@pytest.mark.parametrize(
    ("short", "expected"),
    [
        (
            "data:/b:ro,nocopy",
            {
                "type": "volume",
                "source": "data",
                "target": "/b",
                "read_only": True,
                "volume": {"nocopy": True},
            },
        ),
        (
            "/x:/y:rshared",
            {
                "type": "bind",
                "source": "/x",
                "target": "/y",
                "read_only": False,
                "bind": {"propagation": "rshared"},
            },
        ),
        ("/x:/y:z", {"type": "bind", "source": "/x", "target": "/y", "read_only": False}),
        ("/a", {"type": "volume", "source": None, "target": "/a", "read_only": False}),
        # docker/cli's isWindowsDrive: a colon after one letter belongs to a drive
        (
            "c:/data:/app",
            {"type": "bind", "source": "c:/data", "target": "/app", "read_only": False},
        ),
    ],
)
def test_volume_options_as_docker_cli_parses_them(short: str, expected: dict) -> None:
    assert stack(f"volumes: [{short!r}]", "volumes: {data: }\n")["volumes"] == [expected]


@pytest.mark.parametrize("short", ["/x::/y", "/a:/b:ro:x", ":/y"])
def test_bad_volumes(short: str) -> None:
    with pytest.raises(ManifestError, match="cannot be read"):
        stack(f"volumes: [{short!r}]")


@pytest.mark.parametrize(
    ("deploy", "path", "allowed"),
    [
        ("replica: 2", "deploy.replica", "replicas"),
        (
            "placement: {constraint: [node.role==worker]}",
            "deploy.placement.constraint",
            "constraints",
        ),
        ("resources: {limits: {cpu: '1'}}", "deploy.resources.limits.cpu", "cpus"),
        ("restart_policy: {max_attempt: 3}", "deploy.restart_policy.max_attempt", "max_attempts"),
    ],
)
def test_typos_in_deploy_are_refused_as_docker_does(deploy: str, path: str, allowed: str) -> None:
    """The v3 schema closes ``deploy`` and its parts: "Additional property ... is not allowed"."""
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\ndeploy:\n  {deploy}")
    assert info.value.path == f"services.web.{path}"
    assert f"Additional property {path.rsplit('.', 1)[1]} is not allowed" in str(info.value)
    assert allowed in info.value.expected


def test_an_extension_is_refused_where_the_schema_has_none() -> None:
    """config_schema_v3.14.json allows ``x-`` keys in a service (``"patternProperties":
    {"^x-": {}}``) but not in ``deploy`` or its parts, which it closes: the loader took
    ``x-note`` anywhere."""
    assert stack("x-note: kept\ndeploy: {replicas: 2}")["x-note"] == "kept"
    for deploy in ("{x-note: kept, replicas: 2}", "{placement: {x-note: kept}}"):
        with pytest.raises(ManifestError) as info:
            stack(f"deploy: {deploy}")
        assert info.value.message == "Additional property x-note is not allowed"
        assert info.value.path.endswith("x-note")


@pytest.mark.parametrize(
    ("entry", "path", "words"),
    [
        ("ports: [{target: web}]", "ports[0].target", "whole number"),
        ("ports: [{target: 80, mode: mesh}]", "ports[0].mode", "ingress or host"),
        ("ports: [{published: 80}]", "ports[0]", "target is required"),
        ("ports: [{target: 80, publish: 8080}]", "ports[0].publish", "Additional property"),
        ("volumes: [{type: disk, target: /d}]", "volumes[0].type", "tmpfs"),
        ("volumes: [{type: bind, source: /d}]", "volumes[0]", "target is required"),
    ],
)
def test_long_syntax_is_validated(entry: str, path: str, words: str) -> None:
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\n{entry}")
    assert info.value.path == f"services.web.{path}"
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("entry", "path"),
    [
        ("ports: [{target: 80, published: {a: 1}}]", "ports[0].published"),
        ("ports: [{target: 80, published: [1]}]", "ports[0].published"),
        ("command: {a: 1}", "command"),
        ("healthcheck: {test: {a: 1}}", "healthcheck.test"),
        ("networks: 5", "networks"),
        ("labels: {a: [1]}", "labels.a"),
        ("deploy: {labels: {a: {b: 1}}}", "deploy.labels.a"),
    ],
)
def test_a_value_no_member_of_a_union_takes_is_located_by_the_files_own_path(
        entry: str, path: str) -> None:
    """pydantic locates each union member's error under the member's tag
    (``published.constrained-int``, ``command.str``): the learner reads the file's path."""
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\n{entry}")
    assert info.value.path == f"services.web.{path}"


@pytest.mark.parametrize(("text", "path", "key"), [
    ("services:\n  web: {image: x, platform: linux, x-note: ok}\n", "services.web.platform",
     "platform"),
    ("services:\n  web: {image: x}\nx-common: {}\nextras: 1\n", "extras", "extras"),
])
def test_keys_outside_the_v3_schema_are_refused(text: str, path: str, key: str) -> None:
    """``platform`` is a key of the newer Compose specification, not of the v3 schema, whose
    top level and services are closed but for ``x-`` extensions: ``docker stack deploy``
    refuses them ("Additional property platform is not allowed"); the loader only warned."""
    with pytest.raises(ManifestError) as info:
        load_manifests("version: '3.8'\n" + text)
    assert info.value.path == path
    assert info.value.message == f"Additional property {key} is not allowed"


@pytest.mark.parametrize("version", ["version: '3.0'\n", "version: '3.14'\n", ""])
def test_a_top_level_name_is_refused_with_where_the_stack_is_named(version: str) -> None:
    """No v3 schema has a top-level ``name`` (a key of the Compose Specification), whatever
    the version: ``docker stack deploy`` refuses it and takes the stack's name from its
    command line. The loader had taken it as the stack's name."""
    with pytest.raises(ManifestError) as info:
        load_manifests(version + "name: shop\nservices:\n  web: {image: nginx}\n")
    assert (info.value.path, info.value.message) == ("name",
                                                     "Additional property name is not allowed")
    assert "docker stack deploy -c FILE NAME" in info.value.expected


@pytest.mark.parametrize(("version", "amount"), [
    ("3.0", "limits: {cpus: 0.5}"), ("3.14", "reservations: {cpus: 1}"),
    ("3.8", "limits: {memory: 536870912}")])
def test_a_cpu_or_memory_amount_written_as_a_number_is_refused(version, amount) -> None:
    """Every v3 schema has ``cpus`` and ``memory`` as strings: ``docker stack deploy``
    refuses ``cpus: 0.5`` ("must be a string"), which the loader had taken."""
    with pytest.raises(ManifestError) as info:
        load_manifests(f"version: '{version}'\nservices:\n  web:\n    image: nginx\n"
                       f"    deploy: {{resources: {{{amount}}}}}\n")
    key = amount.split("{")[1].split(":")[0]
    assert info.value.path == f"services.web.deploy.resources.{amount.split(':')[0]}.{key}"
    assert info.value.message == "must be a string"


def test_a_3_5_file_refuses_a_numeric_cpus_at_the_schema_as_the_others_do() -> None:
    """``config_schema_v3.5.json`` types ``cpus`` as a string like every v3 schema, so the
    docker CLI 28.2.2 refuses ``cpus: 0.5`` in a 3.5 file with the schema's "must be a
    string" (the loader had answered a mapstructure decoding error, as if the schema took a
    number there); a quoted amount loads."""
    with pytest.raises(ManifestError) as info:
        load_manifests("version: '3.5'\nservices:\n  web:\n    image: nginx\n"
                       "    deploy: {resources: {limits: {cpus: 0.5}, reservations: {cpus: 1}}}\n")
    assert (info.value.path, info.value.message) == (
        "services.web.deploy.resources.limits.cpus", "must be a string")
    [stack] = load_manifests("version: '3.5'\nservices:\n  web:\n    image: nginx\n"
                             "    deploy: {resources: {limits: {cpus: '0.5'}}}\n")
    assert stack.typed["web"].deploy.resources.limits.cpus == Decimal("0.5")


def test_forbidden_options_are_refused_before_the_version_is_read() -> None:
    """docker/cli's ``loader.Load`` runs ``validateForbidden`` before interpolation and
    ``schema.Validate``, so a version 2 file with ``mem_limit`` and ``extends`` is refused
    for both options (sorted, each with its advice), not for its version or its variable."""
    text = ("version: '2'\nservices:\n  web: {image: 'x:${TAG?no tag}', mem_limit: 512m}\n"
            "  db: {image: y, extends: web}\n")
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert info.value.message == (
        "Compose file contains unsupported options:\n\n"
        "extends: Support for `extends` is not implemented yet.\n\n"
        "mem_limit: Set resource limits using deploy.resources")
    assert info.value.path == "services.web.mem_limit"


def test_forbidden_options_are_refused_and_unsupported_ones_ignored_as_docker_does() -> None:
    """docker/cli ``cli/compose/types/types.go``: ``ForbiddenProperties``,
    ``UnsupportedProperties``, ``DeprecatedProperties``."""
    with pytest.raises(ManifestError) as info:
        stack("image: x\nmem_limit: 1g")
    assert info.value.message == ("Compose file contains unsupported options:\n\n"
                                  "mem_limit: Set resource limits using deploy.resources")
    assert info.value.path == "services.web.mem_limit"
    [spec] = load_manifests(
        "services:\n  web: {image: x, restart: always, build: ., container_name: w}\n"
    )
    assert spec.warnings == (
        "Ignoring unsupported options: build, restart",
        "Ignoring deprecated options: container_name: Setting the container name is not supported.",
    )


def test_only_the_options_current_docker_cli_ignores_are_reported() -> None:
    """docker/cli's ``UnsupportedProperties`` no longer lists ``cap_add``, ``cap_drop``,
    ``sysctls`` and ``ulimits`` (``convert.Service`` sets them on the ContainerSpec) and
    lists ``cgroupns_mode``; ``GetUnsupportedProperties`` sorts the keys found."""
    [spec] = load_manifests(
        "services:\n  web:\n    image: x\n    cap_add: [NET_ADMIN]\n    cap_drop: [ALL]\n"
        "    sysctls: {net.core.somaxconn: 1024}\n    ulimits: {nofile: 1024}\n"
        "    cgroupns_mode: host\n    pid: host\n"
    )
    assert spec.warnings == ("Ignoring unsupported options: cgroupns_mode, pid",)


@pytest.mark.parametrize(("port", "path", "said"), [
    ('"80:80/xyz"', "ports[0]", "the port '80:80/xyz' has the protocol 'xyz': docker stack "
     'deploy refuses it ("invalid proto")'),
    ("{target: 80, protocol: xyz}", "ports[0].protocol", "the protocol 'xyz' is not one a "
     "swarm publishes: docker stack deploy would send it and the daemon publish the port as "
     "tcp without a word"),
    ("{target: 80, published: 70000}", "ports[0].published", "the published port 70000 is "
     "above 65535: docker stack deploy sends it (a uint32) and the swarm stores the service, "
     "but its port allocator cannot allocate the port, so the service's tasks stay New and "
     "never start"),
    ('{target: 80, published: 70000, mode: host}', "ports[0].published", "the published "
     "port 70000 is above 65535: docker stack deploy sends it (a uint32) and the swarm "
     "stores the service, but no node can publish the port"),
])
def test_a_ports_protocol_and_range_are_refused_with_what_docker_does(port, path, said) -> None:
    """An unknown protocol was "cannot be read" (short syntax) or pydantic's list of
    literals (long); a published port above 65535 pydantic's bound: each now says what
    ``docker stack deploy`` and the swarm would do with it."""
    with pytest.raises(ManifestError) as info:
        stack(f"image: x\nports: [{port}]")
    assert info.value.path == f"services.web.{path}"
    assert info.value.message == said
    assert info.value.expected in ("tcp, udp or sctp", "a number from 0 to 65535")


@pytest.mark.parametrize(("port", "protocol"), [
    ('"80:80/UDP"', "udp"), ('"80:80/Sctp"', "sctp"), ("{target: 80, protocol: TCP}", "tcp")])
def test_a_ports_protocol_is_read_in_any_case(port, protocol) -> None:
    """go-connections lower-cases the short syntax's protocol and the daemon looks the long
    syntax's up in upper case: both were refused."""
    assert stack(f"image: x\nports: [{port}]")["ports"][0]["protocol"] == protocol


def test_a_ports_publish_mode_is_read_in_any_case() -> None:
    """The daemon looks a long-syntax port's mode up in upper case: ``Host`` was refused."""
    assert stack("ports: [{target: 80, published: 8080, mode: Host}]")["ports"][0]["mode"] \
        == "host"


def test_the_engine_api_reads_ports_by_the_loaders_table_of_protocols() -> None:
    """swarmkit's ``PortConfig.Protocol`` enum is one table, the Compose loader's: the Engine
    API's conversion and validation of a ServiceSpec kept a copy of their own."""
    from clustersim.manifests import compose_syntax
    from clustersim.serve import dockerspec, dockervalidate
    assert dockerspec.PROTOCOLS is dockervalidate.PROTOCOLS is compose_syntax.PROTOCOLS


def test_the_engine_api_reads_mounts_by_the_loaders_tables() -> None:
    """moby's mount types and bind propagations are one table each, the Compose loader's: the
    Engine API's validation of a ServiceSpec kept copies of its own."""
    from clustersim.manifests import compose_syntax, compose_types
    from clustersim.serve import dockervalidate
    assert dockervalidate.MOUNT_TYPES is compose_types.MOUNT_TYPES
    assert dockervalidate.PROPAGATIONS is compose_syntax.PROPAGATIONS is compose_types.PROPAGATIONS


@pytest.mark.parametrize("propagation", ["rprivate", "private", "rshared", "shared", "rslave",
                                         "slave"])
def test_every_bind_propagation_of_the_short_syntax(propagation: str) -> None:
    """docker/cli ``cli/compose/loader/volume.go``: an option among moby's propagations."""
    [volume] = stack(f"volumes: ['/src:/dst:ro,{propagation}']")["volumes"]
    assert volume["bind"] == {"propagation": propagation}
    assert volume["read_only"] is True


@pytest.mark.parametrize(("deploy", "words"), [
    ("3", "services.web.deploy: must be a mapping or null"),
    ("[1]", "services.web.deploy: must be a mapping or null"),
    ("\n      update_config: 3", "services.web.deploy.update_config: must be a mapping ("),
])
def test_a_deploy_of_another_type_is_worded_as_docker_cli_words_it(deploy, words) -> None:
    """docker/cli's schemas give definitions.deployment the type ["object", "null"], which
    humanReadableType words "a mapping or null" (the loader said "must be a mapping"); its
    update_config is an object alone."""
    text = f'version: "3.8"\nservices:\n  web:\n    image: nginx\n    deploy: {deploy}\n'
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert words in str(info.value)


_SERVICE_VOLUME = """
    volumes:
      - type: volume
        source: data
        target: /data
        volume: {nocopy: "${V}"}
volumes:
  data: {}
"""
_NETWORK = """
    networks: [front]
networks:
  front: {driver: overlay, KEY: "${V}"}
"""


@pytest.mark.parametrize(("tail", "path", "value", "read", "refusal"), [
    ('\n    ulimits: {nproc: "${V}"}', ("services", "web", "ulimits", "nproc"), "65535", 65535,
     'strconv.Atoi: parsing "x": invalid syntax'),
    ('\n    ulimits:\n      nofile: {soft: "${V}", hard: 40000}',
     ("services", "web", "ulimits", "nofile", "soft"), "20000", 20000,
     'strconv.Atoi: parsing "x": invalid syntax'),
    ('\n    ulimits:\n      nofile: {soft: 1, hard: "${V}"}',
     ("services", "web", "ulimits", "nofile", "hard"), "20000", 20000,
     'strconv.Atoi: parsing "x": invalid syntax'),
    (_SERVICE_VOLUME, ("services", "web", "volumes", 0, "volume", "nocopy"), "yes", True,
     "invalid boolean: x"),
    (_NETWORK.replace("KEY", "internal"), ("networks", "front", "internal"), "on", True,
     "invalid boolean: x"),
    (_NETWORK.replace("KEY", "attachable"), ("networks", "front", "attachable"), "off", False,
     "invalid boolean: x"),
])
def test_every_cast_of_docker_clis_table(tail, path, value, read, refusal) -> None:
    """docker/cli's interpolateTypeCastMapping (cli/compose/loader/interpolate.go) also casts
    a service's ulimits (a number, or soft and hard), a volume mount's nocopy and a network's
    internal and attachable, which the loader had left as text ("65535", "yes")."""
    text = f'version: "3.8"\nservices:\n  web:\n    image: nginx{tail}\n'
    [stack] = load_manifests(text, environment={"V": value})
    found = stack.manifest
    for part in path:
        found = found[part]
    assert found == read and type(found) is type(read)
    with pytest.raises(ManifestError) as info:
        load_manifests(text, environment={"V": "x"})
    assert f"failed to cast to expected type: {refusal}" in str(info.value)
    assert info.value.path == ".".join(map(str, path)).replace(".0.", "[0].")


@pytest.mark.parametrize(("top", "path", "words"), [
    ("networks: {front: 3}", "networks.front", "must be a mapping or null"),
    ("networks: {front: [a]}", "networks.front", "must be a mapping or null"),
    ("volumes: {data: true}", "volumes.data", "must be a mapping or null"),
    ("secrets: {db: ./db.txt}", "secrets.db", "must be a mapping"),
    ("secrets:\n  db:", "secrets.db", "must be a mapping"),
    ("configs: {site: 1}", "configs.site", "must be a mapping"),
    ("networks: [front]", "networks", "must be a mapping"),
    ("volumes:", "volumes", "must be a mapping"),
])
def test_a_top_level_entry_of_another_type_is_refused_as_docker_cli_refuses_it(
        top, path, words) -> None:
    """docker/cli's schemas make each top-level section an object, a network or a volume an
    object or null (``front:`` alone is taken) and a secret or a config an object; the loader
    had taken any value."""
    text = f'version: "3.8"\nservices:\n  web:\n    image: nginx\n{top}\n'
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert info.value.path == path
    assert f"{path}: {words} (" in str(info.value)


def test_a_network_or_a_volume_may_be_named_alone() -> None:
    [stack] = load_manifests('version: "3.8"\nservices:\n  web:\n    image: nginx\n'
                             "networks:\n  front:\nvolumes:\n  data:\n")
    assert stack.manifest["networks"] == {"front": None}
    assert stack.manifest["volumes"] == {"data": None}


@pytest.mark.parametrize(
    ("option", "path", "message"),
    [
        # definitions.service of docker/cli's config_schema_v3.14.json, in the words of
        # docker/cli's getDescription over gojsonschema's errors
        ("ulimits: {nofile: x}", "ulimits.nofile", "must be a integer"),
        ("ulimits: {nofile: {soft: 1}}", "ulimits.nofile", "hard is required"),
        ("ulimits: {nofile: {hard: 1}}", "ulimits.nofile", "soft is required"),
        ("ulimits: {nofile: {soft: x, hard: 2}}", "ulimits.nofile.soft", "must be a integer"),
        ("ulimits: {nofile: {soft: 1, hard: 2, x: 3}}", "ulimits.nofile.x",
         "Additional property x is not allowed"),
        ("ulimits: 5", "ulimits", "must be a mapping"),
        ("restart: 5", "restart", "must be a string"),
        ("cap_add: [NET_ADMIN, 1]", "cap_add[1]", "must be a string"),
        ("cap_drop: ALL", "cap_drop", "must be a list"),
        ("cap_add: [NET_ADMIN, NET_ADMIN]", "cap_add", "array items[0,1] must be unique"),
        ("sysctls: {net.core.somaxconn: true}", 'sysctls["net.core.somaxconn"]',
         "must be a string, number or null"),
        ("sysctls: 5", "sysctls", "must be a mapping"),
        ("labels: {traefik.enable: true}", 'labels["traefik.enable"]',
         "must be a string, number or null"),
        ("environment: {DEBUG: true}", "environment.DEBUG", "must be a string, number or null"),
        ("command: 5", "command", "must be a string"),
        ("command: [run, 5]", "command[1]", "must be a string"),
        ("init: 'yes'", "init", "must be a boolean"),
        ("oom_score_adj: high", "oom_score_adj", "must be a integer"),
        ("shm_size: true", "shm_size", "must be a number or string"),
        ("networks: {front: {aliases: web}}", "networks.front.aliases", "must be a list"),
        ("networks: {front: {alias: [web]}}", "networks.front.alias",
         "Additional property alias is not allowed"),
        ("logging: {driver: json-file, options: {max-size: [1]}}", "logging.options.max-size",
         "must be a string, number or null"),
        ("secrets: [{source: db, mode: '0400'}]", "secrets[0].mode", "must be a number"),
        ("credential_spec: {file: 5}", "credential_spec.file", "must be a string"),
        ("dns: [8.8.8.8, 8.8.8.8]", "dns", "array items[0,1] must be unique"),
    ],
)
def test_service_options_are_checked_as_the_v3_schema_checks_them(
        option: str, path: str, message: str) -> None:
    """Every property of a service is typed as docker/cli's v3 schema types it: ``docker
    stack deploy`` runs ``schema.Validate`` before it loads (``cli/compose/loader/loader.go``,
    ``Load``), so a ulimit of the wrong shape or a restart that is no string is refused, not
    loaded. Of a ``oneOf`` (a ulimit: an integer or ``{soft, hard}``), the words are those
    of the member that got furthest: ``{soft: 1}`` is missing ``hard``, not "no integer"."""
    with pytest.raises(ManifestError) as info:
        stack(option)
    assert info.value.path == f"services.web.{path}"
    assert info.value.message.startswith(message)


def test_service_options_of_the_schema_types_load() -> None:
    """The shapes the schema takes load: a ulimit as a number or both limits, sysctls and
    labels as a list or a mapping of strings and numbers, and ``oom_score_adj``, a key of the
    3.14 schema, without the warning for a key the schema does not have."""
    [spec] = load_manifests(
        "services:\n  web:\n    image: x\n    ulimits: {nproc: 65535, nofile: {soft: 1, hard: 2}}"
        "\n    sysctls: [net.core.somaxconn=1024]\n    labels: {tier: web, weight: 2}"
        "\n    oom_score_adj: 500\n    networks: {front: , back: {aliases: [api]}}"
        "\nnetworks: {front: , back: }", name="shop.yml")
    assert spec.manifest["services"]["web"]["ulimits"]["nofile"] == {"soft": 1, "hard": 2}
    assert spec.warnings == ()


def test_plain_scalars_are_read_as_go_yaml_v3_reads_them() -> None:
    """docker/cli's Compose loader reads with go-yaml v3 (its vendor.mod requires
    gopkg.in/yaml.v3, no yaml.v2), whose booleans are true and false only: ``image: y`` is the
    image ``y`` and ``DEBUG: on`` the text ``on``, where go-yaml v2 (and sigs.k8s.io/yaml,
    for Kubernetes) reads booleans; so ``init: yes`` is no boolean, an alias's value included."""
    assert stack("image: y")["image"] == "y"
    web = stack("x-env: &env {DEBUG: on, CACHE: Off}\nenvironment: *env")
    assert web["environment"] == {"DEBUG": "on", "CACHE": "Off"}
    with pytest.raises(ManifestError) as info:
        stack("init: yes")
    assert info.value.path == "services.web.init"
    assert info.value.message.startswith("must be a boolean")
    assert stack("init: true\nread_only: False")["read_only"] is False
    [config] = load_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                              "data: {a: 'x'}\nimmutable: yes\n")
    assert config.manifest["immutable"] is True


@pytest.mark.parametrize(("port", "path", "message"), [
    # config_schema_v3.2.json to v3.14.json: mode, target, published, protocol; closed
    ("{target: 80, host_ip: 127.0.0.1}", "ports[0].host_ip",
     "Additional property host_ip is not allowed"),
    ("{target: 80, name: web}", "ports[0].name", "Additional property name is not allowed"),
    ("{target: 80, app_protocol: http}", "ports[0].app_protocol",
     "Additional property app_protocol is not allowed"),
    ("{target: 80, x-note: a}", "ports[0].x-note", "Additional property x-note is not allowed"),
    ("{target: 80, published: true}", "ports[0].published", "must be a integer"),
    ("{target: 80, protocol: 6}", "ports[0].protocol", "must be a string"),
    ("{target: 80, mode: 1}", "ports[0].mode", "must be a string"),
    ("{target: 80, mode: mesh}", "ports[0].mode", "the publish mode 'mesh' is not ingress or host: "
     "docker stack deploy would send it and the daemon publish the port in ingress "
     "mode without a word"),
    ("{target: 80.5}", "ports[0].target", "must be a integer"),
    ('{target: 80, published: "8080"}', "ports[0].published", "must be a integer"),
])
def test_the_long_port_syntax_has_the_schemas_keys_and_types(port, path, message) -> None:
    """The loader took the Compose Specification's host_ip, name and app_protocol, which
    ``docker stack deploy`` refuses."""
    with pytest.raises(ManifestError) as info:
        stack(f"ports: [{port}]")
    assert info.value.path == f"services.web.{path}"
    assert info.value.message == message


@pytest.mark.parametrize(("option", "path", "message"), [
    # a null where the schema's type has no "null": gojsonschema's invalid_type, worded by
    # docker/cli's humanReadableType (list_or_dict: its first member, an object)
    ("environment:", "environment", "must be a mapping"),
    ("labels:", "labels", "must be a mapping"),
    ("ports:", "ports", "must be a list"),
    ("depends_on:", "depends_on", "must be a list"),
    ("command:", "command", "must be a string"),
    ("healthcheck: {interval: null}", "healthcheck.interval", "must be a string"),
    ("deploy: {replicas: null}", "deploy.replicas", "must be a integer"),
    ("deploy: {resources: {limits: {cpus: null}}}", "deploy.resources.limits.cpus",
     "must be a string"),
    ("ulimits: {nofile: {soft: null, hard: 1}}", "ulimits.nofile.soft", "must be a integer"),
    ("shm_size:", "shm_size", "must be a number or string"),
])
def test_a_null_option_is_refused_where_the_schema_has_no_null(option, path, message) -> None:
    """The loader took null for any optional option; the v3 schemas take it for ``deploy``
    and ``pid`` only (``"type": ["object", "null"]``, ``["string", "null"]``)."""
    with pytest.raises(ManifestError) as info:
        stack(option)
    assert info.value.path == f"services.web.{path}"
    assert info.value.message == message


def test_a_null_deploy_or_pid_loads_and_a_null_service_does_not() -> None:
    assert stack("deploy:\npid:")["deploy"] is None
    with pytest.raises(ManifestError) as info:
        load_manifests("services:\n  web:\n")
    assert (info.value.path, info.value.message) == ("services.web", "must be a mapping")


@pytest.mark.parametrize(("top", "path", "message"), [
    # definitions.network, volume, secret and config of config_schema_v3.14.json
    ("networks: {front: {driver: 5}}", "networks.front.driver", "must be a string"),
    ("networks: {front: {drivr: overlay}}", "networks.front.drivr",
     "Additional property drivr is not allowed"),
    ("networks: {front: {driver: null}}", "networks.front.driver", "must be a string"),
    ("networks: {front: {external: {name: a, id: b}}}", "networks.front.external.id",
     "Additional property id is not allowed"),
    ("volumes: {data: {external: 'true'}}", "volumes.data.external",
     "must be a boolean or mapping"),
    ("secrets: {db: {external: null}}", "secrets.db.external", "must be a boolean or mapping"),
    ("networks: {front: {ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1}]}}}",
     "networks.front.ipam.config[0].gateway", "Additional property gateway is not allowed"),
    # docker/cli casts only what a variable set: 'yes' written as text is no boolean
    ("networks: {front: {attachable: 'yes'}}", "networks.front.attachable",
     "must be a boolean"),
    ("volumes: {data: {driver_opts: {size: true}}}", 'volumes.data.driver_opts.size',
     "must be a string or number"),
    ("volumes: {data: {labels: {a: [1]}}}", "volumes.data.labels.a",
     "must be a string, number or null"),
    ("secrets: {db: {file: 5}}", "secrets.db.file", "must be a string"),
    ("secrets: {db: {file: ./db, mode: 0400}}", "secrets.db.mode",
     "Additional property mode is not allowed"),
    ("configs: {site: {file: ./s, driver: x}}", "configs.site.driver",
     "Additional property driver is not allowed"),
])
def test_top_level_sections_are_typed_as_the_schema_types_them(top, path, message) -> None:
    """The loader checked that each network, volume, secret and config was a mapping, and
    nothing in it."""
    text = f'version: "3.14"\nservices:\n  web:\n    image: nginx\n{top}\n'
    with pytest.raises(ManifestError) as info:
        load_manifests(text)
    assert info.value.path == path
    assert info.value.message == message


def test_top_level_sections_of_the_schema_load() -> None:
    [spec] = load_manifests(
        'version: "3.8"\nservices:\n  web: {image: nginx}\n'
        "networks:\n  front: {driver: overlay, attachable: true, external: false, x-a: 1,"
        " ipam: {driver: default, config: [{subnet: 10.0.0.0/24}]}, labels: [a=b]}\n"
        "volumes:\n  data: {driver_opts: {size: 10, type: tmpfs}, external: {name: d}}\n"
        "secrets:\n  db: {external: {name: db, x: 1}, driver: vault, template_driver: golang}\n"
        "configs:\n  site: {file: ./site.conf, name: site, labels: {a: 1}}\n")
    assert spec.manifest["volumes"]["data"]["external"] == {"name": "d"}


@pytest.mark.parametrize(("version", "tail", "path", "message", "since"), [
    ("3.0", "    deploy: {placement: {preferences: [{spread: node.labels.zone}]}}\n",
     "services.web.deploy.placement.preferences",
     "Additional property preferences is not allowed", 3),
    ("3.3", "x-common: {a: 1}\n", "x-common", "Additional property x-common is not allowed", 4),
    ("3.6", "networks:\n  front: {x-note: a}\n", "networks.front.x-note",
     "Additional property x-note is not allowed", 7),
    ("3.6", "    x-note: a\n", "services.web.x-note", "Additional property x-note is not allowed",
     7),
    ("3.0", "secrets:\n  db: {file: ./db}\n", "secrets", "Additional property secrets is not "
     "allowed", 1),
    ("3.1", "    ports: [{target: 80}]\n", "services.web.ports[0]", "must be a string or number",
     2),
    ("3.1", "    volumes: [{type: volume, target: /d}]\n", "services.web.volumes[0]",
     "must be a string", 2),
    ("3.13", "    oom_score_adj: 5\n", "services.web.oom_score_adj",
     "Additional property oom_score_adj is not allowed", 14),
    ("3.7", "    deploy: {placement: {max_replicas_per_node: 1}}\n",
     "services.web.deploy.placement.max_replicas_per_node",
     "Additional property max_replicas_per_node is not allowed", 8),
])
def test_a_file_is_checked_against_the_schema_of_its_own_version(
        version, tail, path, message, since) -> None:
    """docker/cli's ``schema.Validate`` loads ``config_schema_v3.<minor>.json`` for the file's
    version: a key of a later version is refused (the loader checked every file against
    3.14); the same file with the version that brought the key loads, and so does one
    without a version (the newest)."""
    text = "services:\n  web:\n    image: nginx\n" + tail
    with pytest.raises(ManifestError) as info:
        load_manifests(f'version: "{version}"\n{text}')
    assert info.value.path == path
    assert info.value.message == message
    assert f'"3.{since}"' in info.value.expected
    for newer in (f'version: "3.{since}"\n', ""):
        load_manifests(newer + text)


def test_a_refused_service_key_is_answered_with_the_nearest_allowed_ones() -> None:
    """A service allows 53 keys: the refusal listed them all; it names the nearest."""
    with pytest.raises(ManifestError) as info:
        stack("imgae: nginx")
    assert info.value.path == "services.web.imgae"
    assert info.value.expected.endswith("keys allowed here, such as image")


def _holding(pattern: tuple) -> dict:
    """The smallest data with a key at ``pattern``: a name for ANY (an index after a
    service's ``ports`` or ``volumes``), ``x-a`` for an extension."""
    from clustersim.manifests.compose_versions import EXTENSION
    path = [0 if part == "*" and index == 3 and pattern[2] in ("ports", "volumes")
            else "x-a" if part == EXTENSION else "web" if part == "*" else part
            for index, part in enumerate(pattern)]
    value: Any = 1
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def test_each_key_of_a_later_version_is_refused_before_it_and_taken_from_it() -> None:
    """compose_versions.version_refusal over every row of its table: the version before
    the key's refuses it at its path, the key's own version takes it."""
    from clustersim.manifests.compose_versions import SINCE, version_refusal
    for pattern, since in SINCE.items():
        data = _holding(pattern)
        refusal = version_refusal(data, since - 1)
        assert refusal is not None and refusal[2] == since, pattern
        assert refusal[1].startswith("Additional property"), pattern
        assert version_refusal(data, since) is None, pattern


@pytest.mark.parametrize(("service", "path", "go_name"), [
    ("deploy:\n  replicas: -1", "deploy.replicas", "Deploy.Replicas"),
    ("deploy:\n  placement: {max_replicas_per_node: -1}",
     "deploy.placement.max_replicas_per_node", "Deploy.Placement.max_replicas_per_node"),
    ("deploy:\n  update_config: {parallelism: -1}", "deploy.update_config.parallelism",
     "Deploy.update_config.Parallelism"),
    ("deploy:\n  restart_policy: {max_attempts: -1}", "deploy.restart_policy.max_attempts",
     "Deploy.restart_policy.max_attempts"),
    ("healthcheck: {test: [CMD, x], retries: -1}", "healthcheck.retries", "HealthCheck.Retries"),
    ("ports: [{target: 80, published: -1}]", "ports[0].published", "Ports[0].Published"),
])
def test_a_negative_count_is_refused_as_docker_stack_deploy_decodes_it(
        service: str, path: str, go_name: str) -> None:
    """docker/cli's schemas give these counts no minimum, so ``-1`` passes the schema and
    the loader's mapstructure decoding into an unsigned Go field refuses it
    (``decodeUint``), naming the field by its Go name or ``mapstructure`` tag
    (``cli/compose/types/types.go``), in go-viper/mapstructure v2's words as the docker CLI
    28.2.2 prints them (the loader had written mitchellh/mapstructure's "1 error(s)
    decoding:", and before that pydantic's "Input should be greater than or equal to 0")."""
    with pytest.raises(ManifestError) as info:
        stack(service)
    assert info.value.path == f"services.web.{path}"
    assert info.value.message == ("decoding failed due to the following error(s):\n\n"
                                  f"cannot parse '{go_name}', -1 overflows uint")


def test_decoding_errors_are_joined_in_the_order_the_decoder_met_them() -> None:
    """go-viper/mapstructure v2 goes on after a field's error and joins them all
    (``errors.Join``) in the order of the Go structs' fields (``DeployConfig``: Replicas,
    UpdateConfig, RollbackConfig, RestartPolicy, Placement; then ``HealthCheck``, then each
    port's Target and Published), unsorted: the loader had reported only the first pydantic
    found (``Deploy.update_config.Parallelism``), and a later port's alone."""
    with pytest.raises(ManifestError) as info:
        stack("deploy:\n"
              "  placement: {max_replicas_per_node: -4}\n"
              "  restart_policy: {max_attempts: -3}\n"
              "  update_config: {parallelism: -2}\n"
              "  replicas: -1\n"
              "healthcheck: {test: [CMD, x], retries: -1.5}\n"
              "ports: [{target: 80, published: -5}, {target: -6, published: -7}]")
    assert info.value.path == "services.web.deploy.replicas"
    assert info.value.message == decoding_error([
        "cannot parse 'Deploy.Replicas', -1 overflows uint",
        "cannot parse 'Deploy.update_config.Parallelism', -2 overflows uint",
        "cannot parse 'Deploy.restart_policy.max_attempts', -3 overflows uint",
        "cannot parse 'Deploy.Placement.max_replicas_per_node', -4 overflows uint",
        "cannot parse 'HealthCheck.Retries', -1.500000 overflows uint",
        "cannot parse 'Ports[0].Published', -5 overflows uint",
        "cannot parse 'Ports[1].Target', -6 overflows uint",
        "cannot parse 'Ports[1].Published', -7 overflows uint"])
    assert decoding_error(["a", "b"]) == "decoding failed due to the following error(s):\n\na\nb"


def test_a_schema_error_comes_before_the_decoding_errors() -> None:
    """docker/cli checks the schema before it decodes anything, so a value of the wrong type
    is reported alone, even beside a deeper negative count (the loader had reported the
    deepest problem, the count's decoding error)."""
    with pytest.raises(ManifestError) as info:
        stack("hostname: 5\ndeploy:\n  update_config: {parallelism: -2}")
    assert (info.value.path, info.value.message) == ("services.web.hostname",
                                                     "must be a string")


@pytest.mark.parametrize(("retries", "message"), [
    ("-1.5", "decoding failed due to the following error(s):\n\ncannot parse "
             "'HealthCheck.Retries', -1.500000 overflows uint"),
    ('"3"', "must be a number"),
    ("true", "must be a number"),
    ("null", "must be a number"),
    (".inf", "inf is not valid: must be a finite number"),
])
def test_healthcheck_retries_is_a_number_decoded_into_a_uint64(retries: str,
                                                                message: str) -> None:
    """Every v3 schema types ``retries`` ``"number"`` (docker/cli
    ``cli/compose/schema/data/config_schema_v3.*.json``), so gojsonschema refuses what is no
    number ("must be a number") and takes ``1.5``, which mapstructure's ``decodeUint``
    truncates into ``HealthCheckConfig.Retries`` (``*uint64``); a negative float it
    refuses with ``%f``. The loader had refused ``1.5`` ("must be a integer")."""
    with pytest.raises(ManifestError) as info:
        stack(f"healthcheck: {{test: [CMD, x], retries: {retries}}}")
    assert (info.value.path, info.value.message) == ("services.web.healthcheck.retries",
                                                     message)


@pytest.mark.parametrize(("retries", "count"), [("1.5", 1), ("0.5", 0), ("2.0", 2), ("7", 7)])
def test_a_fractional_retries_loses_its_fraction(retries: str, count: int) -> None:
    text = (f"services:\n  web:\n    image: x\n"
            f"    healthcheck: {{test: [CMD, x], retries: {retries}}}\n")
    [spec] = load_manifests(text, name="shop.yml")
    assert spec.typed["web"].healthcheck.retries == count


@pytest.mark.parametrize("section", ["secrets", "configs"])
def test_an_external_name_beside_a_name_is_refused_as_docker_cli_refuses_it(section: str
                                                                            ) -> None:
    """docker/cli ``loadFileObjectConfig``: ``external.name`` and ``name`` together."""
    kind = section[:-1]
    text = (f"services:\n  web: {{image: x}}\n{section}:\n  db:\n"
            "    external: {name: a}\n    name: b\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert (caught.value.path, caught.value.message) == (
        f"{section}.db", f"{kind} db: {kind}.external.name and {kind}.name conflict; only use "
        f"{kind}.name")
    assert load_manifests(text.replace("    name: b\n", ""))
