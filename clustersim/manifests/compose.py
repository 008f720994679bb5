"""Compose files (Swarm stacks) → one :class:`StackSpec`, short syntaxes expanded to long forms.

``docker stack deploy -c file.yml`` reads a Compose file with docker/cli's own loader; this
loader produces the same long forms, so a simulator reads one shape only (docker/cli
``cli/compose/loader/loader.go``, ``cli/compose/loader/volume.go``,
``cli/compose/convert/service.go``; the Compose file reference, compose-spec ``spec.md``):

- ``ports``: ``"[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]"`` with ranges, or numbers → a list of
  ``{target, published, protocol, mode}`` (``mode`` defaults to ``ingress``, the routing mesh;
  ``published`` is ``None`` when Swarm picks a port). Port ranges expand to one entry per port,
  as docker/go-connections ``nat.ParsePortSpec`` does, and a range of published ports for one
  target to one entry per published port (docker/cli ``opts.ConvertPortToPortConfig``); a
  host IP is dropped, as docker/cli drops it (Swarm publishes on every node). A published
  port in the long syntax is a number (docker/cli's ``ServicePortConfig.Published`` is a
  ``uint32``). A protocol is read in any case (tcp, udp or sctp); another is refused, in the
  short syntax as go-connections refuses it, in the long syntax where docker/cli would send
  it and the daemon publish the port as tcp. A published port above 65535 is refused in the
  long syntax too, where docker/cli would send it and the swarm never start the service's
  tasks. The bounds (1-65535) are checked before a range
  is expanded, and the stacks of one source expand to at most :data:`MAX_PORTS` entries
  together, so that a few bytes (``"1-65535"`` forty times, in one stack or in forty) cannot
  cost gigabytes.
- ``volumes``: ``"[SOURCE:]TARGET[:MODE]"`` → ``{type, source, target, read_only}``; a source
  that is a path (``/``, ``.``, ``~`` or a Windows drive) is a ``bind``, anything else a named
  ``volume``; a target alone is an anonymous volume. Options: ``ro``/``rw``, ``nocopy``
  (``volume: {nocopy: true}``), a propagation mode (``bind: {propagation: ...}``); others
  are ignored, as docker/cli ignores them.
- ``secrets``/``configs``: a name → ``{source, target}``; the target defaults as docker/cli
  does: the secret's name (mounted under ``/run/secrets/``) and ``/<name>`` for a config. A
  top-level external one stands for the existing object that ``external_name`` names
  (``external.name``, else ``name``, else its key); both names together are refused.
- ``environment``: ``["A=1", "B"]`` → ``{"A": "1", "B": None}``; values become strings.
- ``depends_on``: a list → ``{service: {condition: "service_started", required: True}}``; the
  long form (a mapping) is refused, as docker/cli's version 3 schemas refuse it.
- ``networks`` (service): a list → ``{name: None}``.
- ``deploy`` is kept as written (simulators apply Swarm's defaults).

The expansions of the short syntaxes live in :mod:`~clustersim.manifests.compose_syntax`.

What swarmkit refuses when the stack is deployed is refused here too (moby/swarmkit
``manager/controlapi``): a service without an image ("ContainerSpec: image reference must be
provided", e.g. an override file deployed alone), an image that is not a valid reference
(docker/distribution's grammar: "... is not a valid repository/tag"), a service name that
is not a DNS name component ("name must be valid as a DNS name component"), a health check
period under 1ms (:mod:`~clustersim.manifests.healthchecks`), and a ``dnsrr``
service with ingress ports ("port published with ingress mode can't be used with dnsrr
mode"); so does what docker/cli refuses while converting the services, before it creates
the first (``replicas`` with ``global`` mode; a health check both disabled and with a test;
a secret, config, named volume or network that a service uses and the file's top level does
not declare: ``service api: undefined secret
"db_password"``, :mod:`~clustersim.manifests.compose_references`). A ``cpus``, restart
condition or constraint that the schema passes and a later stage refuses is refused at that
stage (:mod:`~clustersim.manifests.compose_late_checks`). The Swarm simulator
converts what this loader accepts, so it refuses a stack that loaded only for what it cannot
run: Swarm jobs (``replicated-job``, ``global-job``) and more replicas than
:mod:`clustersim.limits` allows (``tests/unit/test_swarm_spec.py``).

Options that ``docker stack deploy`` refuses (``mem_limit``, ``extends``...) raise a
``ManifestError`` in its words ("Compose file contains unsupported options", with its
advice for each), before any other check, as docker/cli looks for them first; options it
ignores (``build``, ``restart``, ``container_name``...) load with the warning it prints
("Ignoring unsupported options: restart").

Every option of a service is typed as docker/cli's newest Compose file v3 schema types it
(``config_schema_v3.14.json``, ``definitions.service``; the model is
:class:`~clustersim.manifests.compose_types.Service`), since ``docker stack deploy`` validates
the file against that schema before it loads it: ``restart: 5`` is refused ("must be a
string"), and so is a ulimit that is neither a number nor both ``soft`` and ``hard`` ("hard is
required"), in the words docker/cli gives gojsonschema's first, most specific error.

A ``version`` docker/cli has no schema for (``"2"``, ``"3.99"``) is refused in its words
("unsupported Compose file version: 2"); no ``version`` is the newest 3.x. A file is checked
against the schema of its own version (:mod:`~clustersim.manifests.compose_versions`): a
``version: "3.0"`` file with ``deploy.placement.preferences``, a key of 3.3, is refused
("Additional property preferences is not allowed"). A key no schema has (``platform``, a key
of the Compose Specification) is refused, at the top level too, but for ``x-`` extensions
where the schema takes them (at the top level and in a service, network, volume, secret or
config, not in ``deploy``): a top-level ``name`` (a key of the Compose Specification) too,
since ``docker stack deploy`` takes the stack's name from its command line. A null is refused
where the schema's type has no null (``environment:`` alone: "must be a mapping"); ``deploy``
and ``pid`` may be null, and so may a top-level network or volume. The top-level networks,
volumes, secrets and configs are typed and closed as the schema's ``definitions.network``
(and the others) type them.

Variables (``${VAR:-default}``) are substituted first, from the ``environment`` passed to
``load_manifests`` (never the process environment).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any, cast

from clustersim.goformat import go_verbose
from clustersim.manifests.compose_late_checks import (
    late_error,
    late_values,
    typed_with_stand_ins,
)
from clustersim.manifests.compose_references import conversion_problem
from clustersim.manifests.compose_syntax import (
    MAX_PORTS,
    expand_depends_on,
    expand_environment,
    expand_file_refs,
    expand_port,
    expand_volume,
    text_of,
)
from clustersim.manifests.compose_types import (
    DEPRECATED,
    FORBIDDEN,
    SECTIONS,
    TOP_KEY_ADVICE,
    TOP_KEYS,
    UNSUPPORTED,
    Service,
    service_name,
)
from clustersim.manifests.compose_versions import (
    NEWEST,
    minor_of,
    version_refusal,
)
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.healthchecks import compose_health_problem
from clustersim.manifests.interpolate import InterpolationError, interpolate
from clustersim.manifests.safe_yaml import Document, Path, copy_data, yaml_v3_data
from clustersim.manifests.specs import Spec
from clustersim.manifests.validation import compose_nullable, compose_type, validate
from clustersim.manifests.workload import Port, Workload

__all__ = ["MAX_PORTS", "StackSpec", "expand_port", "expand_volume", "load_compose", "text_of"]


class StackSpec(Spec):
    """A Compose file deployed as a Swarm stack; ``manifest`` has the long forms."""

    @property
    def services(self) -> dict[str, dict[str, Any]]:
        return self.manifest.get("services") or {}

    def workloads(self) -> list[Workload]:
        """One workload per service, named ``<stack>_<service>`` as Swarm names services.

        Swarm places by reservations (``deploy.resources.reservations``); ``global`` and
        ``global-job`` services run one task per eligible node (``replicas=None``). The
        ``depends_on`` names are listed, though ``docker stack deploy`` ignores them
        (https://docs.docker.com/reference/compose-file/deploy/, "depends_on ... ignored").
        """
        return [
            _service_workload(self.name, name, service, self.typed[name])
            for name, service in self.services.items()
        ]


def _service_workload(stack: str, name: str, service: dict[str, Any], typed: Any) -> Workload:
    deploy = typed.deploy
    mode = (deploy.mode if deploy else None) or "replicated"
    replicas = None if mode.startswith("global") else 1
    if replicas is not None and deploy is not None and deploy.replicas is not None:
        replicas = deploy.replicas
    reservation = deploy.resources.reservations if deploy and deploy.resources else None
    placement = deploy.placement if deploy else None
    rules = list((placement.constraints or []) if placement else [])
    rules += [
        f"spread over {p.spread}" for p in ((placement.preferences or []) if placement else [])
    ]
    if placement and placement.max_replicas_per_node is not None:
        rules.append(f"at most {placement.max_replicas_per_node} per node")
    volumes = [
        f"{v.get('source') or '(anonymous)'}:{v.get('target')}"
        + (":ro" if v.get("read_only") else "")
        for v in service.get("volumes") or []
    ]
    return Workload(
        name=f"{stack}_{name}",
        system="swarm",
        kind="Service",
        replicas=replicas,
        cpu=(reservation.cpus if reservation and reservation.cpus is not None else Decimal(0)),
        memory=(reservation.memory if reservation and reservation.memory is not None else 0),
        ports=tuple(
            Port(p.get("target"), p.get("published"), p.get("protocol", "tcp"))
            for p in service.get("ports") or []
        ),
        placement=tuple(rules),
        volumes=tuple(volumes),
        dependencies=tuple(service.get("depends_on") or {}),
        labels={str(k): str(v) for k, v in (service.get("labels") or {}).items()}
        if isinstance(service.get("labels"), dict)
        else {},
    )


def _expand_service(
    document: Document, path: Path, service: Any, ports_used: list[int]
) -> tuple[dict[str, Any], Any, dict[str, ManifestError]]:
    """One service in long forms, its typed model and the refusal of its first late value of
    each stage (:mod:`~clustersim.manifests.compose_late_checks`). ``ports_used`` holds the
    number of port entries the stack's earlier services expanded to (updated here). The
    service is typed first, as docker/cli validates the whole file against the schema before
    it loads it (``definitions.service`` is an object: ``web:`` alone is refused, "must be a
    mapping"); a late value is typed as its stand-in, and refused at its stage."""
    if not isinstance(service, dict):
        raise document.error(path, "must be a mapping", "a mapping with image, deploy ...")
    late = late_values(service)
    typed = cast(Service, typed_with_stand_ins(Service, document, str(path[-1]), late))
    refused: dict[str, ManifestError] = {}
    for value in late:
        if value[1] not in refused:
            refused[value[1]] = late_error(Service, document, str(path[-1]), late, value)
    result = copy_data(service)
    if "ports" in service:
        result["ports"] = []
        for index, port in enumerate(service["ports"]):
            room = MAX_PORTS - ports_used[0] - len(result["ports"])
            result["ports"] += expand_port(document, (*path, "ports", index), port, room)
        ports_used[0] += len(result["ports"])
    if "volumes" in service:
        result["volumes"] = [
            expand_volume(document, (*path, "volumes", index), volume)
            for index, volume in enumerate(service["volumes"])
        ]
    for kind in ("secrets", "configs"):
        if kind in service:
            result[kind] = expand_file_refs(document, (*path, kind), service[kind], kind)
    if "environment" in service:
        result["environment"] = expand_environment(
            document, (*path, "environment"), service["environment"]
        )
    if "depends_on" in service:
        result["depends_on"] = expand_depends_on(service["depends_on"])
    if isinstance(service.get("networks"), list):
        result["networks"] = {str(name): None for name in service["networks"]}
    return result, typed, refused


def _swarmkit_problem(document: Document, path: Path, result: dict[str, Any],
                      typed: Any, refused: dict[str, ManifestError]) -> ManifestError | None:
    """What the daemon refuses of one converted service, in its order: an unknown restart
    condition while it converts the ServiceSpec (moby ``daemon/cluster/convert/service.go``,
    ``restartPolicyToGRPC``), then swarmkit's checks (``manager/controlapi/service.go``,
    ``validateServiceSpec``): its name (``validateAnnotations``), a placement constraint, a
    missing image and a health check period under 1ms (``validateTaskSpec``:
    ``validatePlacement`` before ``validateContainerSpec``), a dnsrr service's ingress ports
    (``validateEndpointSpec``, last). ``refused``: the service's late values by stage
    (:mod:`~clustersim.manifests.compose_late_checks`)."""
    if "restart" in refused:
        return refused["restart"]
    problem = service_name(str(path[-1]))
    if problem:
        return document.error(
            path,
            f"the service {path[-1]!r} cannot be created: {problem}",
            "a service name of letters, digits, '-' and '_' that starts and ends with a letter "
            "or digit (at most 63 characters), e.g. web or api_v2",
        )
    if "placement" in refused:
        return refused["placement"]
    if typed.image is None:
        return document.error(
            (*path, "image"),
            "ContainerSpec: image reference must be provided (a service deployed to a swarm "
            "needs an image; an override file needs the file it overrides)",
            "image: such as nginx:1.27",
        )
    health = compose_health_problem(typed.healthcheck)
    if health is not None:
        return document.error(
            (*path, "healthcheck", health[0]), health[1],
            f"{health[0]}: 1ms or more (such as 10s), or 0 for the engine's default")
    if typed.deploy and typed.deploy.endpoint_mode == "dnsrr" and any(
            port.get("mode", "ingress") == "ingress" for port in result.get("ports") or []):
        return document.error(
            (*path, "ports"),
            "EndpointSpec: port published with ingress mode can't be used with dnsrr mode",
            "mode: host for the ports of a dnsrr service",
        )
    return None


def _ignored_options(services: dict[str, Any]) -> list[str]:
    """What ``docker stack deploy`` prints before deploying: the options Swarm ignores."""
    keys = {key for service in services.values() if isinstance(service, dict) for key in service}
    warnings = []
    if keys & UNSUPPORTED:
        warnings.append(f"Ignoring unsupported options: {', '.join(sorted(keys & UNSUPPORTED))}")
    warnings += [
        f"Ignoring deprecated options: {key}: {DEPRECATED[key]}"
        for key in sorted(keys & DEPRECATED.keys())
    ]
    return warnings


def stack_name(data: dict[str, Any], source: str) -> str:
    """The stack's name when the file is loaded alone: the file stem, else ``stack``
    (``docker stack deploy`` takes the name from its command line, as
    :meth:`~clustersim.swarm.SwarmCluster.deploy_stack` does); a name made from the stem
    must let swarmkit create every ``<stack>_<service>``: a stem that is no DNS name component
    (``example: shop (swarm)``, a menu's label; ``docker-compose.prod``) is made one as
    compose-go's ``NormalizeProjectName`` makes a folder's name a project's (lower case, only
    letters, digits, ``-`` and ``_``), and a long one is cut so that every service's name
    stays within swarmkit's 63 characters."""
    if source.startswith("<"):
        return "stack"
    stem = PurePath(source).stem
    if service_name(stem) is not None:
        stem = re.sub(r"[^a-z0-9_-]", "", stem.lower())
    services = data.get("services")
    longest = max(map(len, map(str, services)), default=0) if isinstance(services, dict) else 0
    return stem[:max(1, 62 - longest)].strip("_-") or "stack"


_INTERPOLATED = ("services", "networks", "volumes", "secrets", "configs")

SCHEMA_VERSIONS = tuple(f"3.{minor}" for minor in range(NEWEST + 1))
"""The Compose file versions docker/cli has a schema for (``cli/compose/schema/data/
config_schema_v3.0.json`` to ``v3.14.json``): no 1.x or 2.x."""


def version_problem(data: Mapping[str, Any]) -> str | None:
    """What ``docker stack deploy`` says of a file's ``version``, or ``None`` when it has a
    schema for it (docker/cli ``cli/compose/schema/schema.go``): ``Version`` prints the value
    as ``%v`` prints it, ``normalizeVersion`` reads ``"3"`` and ``""`` as the newest 3.x, and
    no ``version`` at all is the newest 3.x too; ``Validate`` then answers "unsupported
    Compose file version: 2" for a version without a schema, and the schema wants a string
    (``version: 3.8``, a YAML number, is refused)."""
    if "version" not in data:
        return None
    value = data["version"]
    version = go_verbose(value)
    if version not in (*SCHEMA_VERSIONS, "", "3"):
        return f"unsupported Compose file version: {version}"
    return None if isinstance(value, str) else "must be a string"


def _forbidden_problem(document: Document, data: Mapping[str, Any]) -> Exception | None:
    """The options of :data:`FORBIDDEN` the services set, as ``docker stack deploy`` refuses
    them, before it substitutes variables or reads the version (``validateForbidden`` comes
    first in docker/cli ``cli/compose/loader/loader.go`` ``Load``): every one the stack's
    services set, each with its advice, in one message (``LoadComposefile`` and
    ``propertyWarnings`` in ``cli/command/stack/loader/loader.go``), which say what to do.
    The error names the first service's first one."""
    services = data.get("services")
    found = [
        (name, key)
        for name, service in (services.items() if isinstance(services, dict) else ())
        if isinstance(service, dict)
        for key in service
        if key in FORBIDDEN
    ]
    if not found:
        return None
    advice = sorted({f"{key}: {FORBIDDEN[key]}" for _, key in found})
    name, key = found[0]
    return document.error(
        ("services", name, key),
        "Compose file contains unsupported options:\n\n" + "\n\n".join(advice),
    )


def _schema_problem(document: Document, data: Mapping[str, Any]) -> Exception | None:
    """What the schema of the file's own version refuses before the services' own checks, as
    ``docker stack deploy`` validates the file before loading it (docker/cli
    ``cli/compose/schema/schema.go``, ``Validate``): a key or a long syntax of a later
    version (:mod:`~clustersim.manifests.compose_versions`), a top-level key the schemas do
    not have ("Additional property extras is not allowed", and for ``name``, which the
    Compose Specification has and the v3 schemas do not, :data:`TOP_KEY_ADVICE` says that
    ``docker stack deploy`` names the stack on its command line), and the first top-level
    ``networks``, ``volumes``, ``secrets`` or ``configs`` that is no mapping, or entry of
    one that the section's definition refuses (``definitions.network`` and
    ``definitions.volume``: a mapping or null, as in ``volumes: {data: }``;
    ``definitions.secret`` and ``definitions.config``: a mapping; each closed and typed,
    :data:`~compose_types.SECTIONS`), in the words of its ``Validate`` ("must be a mapping
    or null", "must be a boolean")."""
    minor = minor_of(data.get("version"))
    refusal = version_refusal(data, minor)
    if refusal is not None:
        where, message, since = refusal
        return document.error(
            where, message, f'a file of version "3.{since}" or later, which has it (docker '
            "stack deploy checks a file against the schema of its own version)")
    for key in data:
        if key not in TOP_KEYS and not str(key).startswith("x-"):
            return document.error(
                (key,), f"Additional property {key} is not allowed",
                TOP_KEY_ADVICE.get(str(key)) or
                "one of " + ", ".join(sorted(TOP_KEYS)) + ", or an x- extension")
    for section, model in SECTIONS.items():
        if section not in data:
            continue
        entries = data[section]
        key_problem = _section_key_problem(document, section, entries)
        if key_problem is not None:
            return key_problem
        found = [((section, name), entry) for name, entry in entries.items()] \
            if isinstance(entries, dict) else [((section,), entries)]
        for where, entry in found:
            if isinstance(entry, dict):
                validate(model, document, where, compose=True)
            elif not (entry is None and compose_nullable(where)):
                return document.error(
                    where, f"must be a {compose_type('dict_type', where)}",
                    f"a mapping of each of the stack's {section} to its options"
                    + (", or nothing after its name" if compose_nullable((section, "")) else ""),
                )
    return None


_SECTION_KEY = re.compile(r"[a-zA-Z0-9._-]+")
"""The ``patternProperties`` key of the top-level ``volumes``, ``secrets`` and ``configs``
(and ``services``) in every ``config_schema_v3.*.json`` of docker/cli."""


def _section_key_problem(document: Document, section: str, entries: Any) -> Exception | None:
    """A key of the top-level ``volumes``, ``secrets`` or ``configs`` that docker/cli's v3
    schemas refuse (``cli/compose/schema/data/config_schema_v3.*.json``: names of letters,
    digits, ``.``, ``_`` and ``-`` only, ``"additionalProperties": false``), such as
    ``data/x``, in gojsonschema's words. The top-level ``networks`` has the same pattern but
    leaves other names open (no ``additionalProperties``), so its keys are not checked."""
    if section == "networks" or not isinstance(entries, dict):
        return None
    for key in entries:
        if not _SECTION_KEY.fullmatch(str(key)):
            return document.error(
                (section, key), f"Additional property {key} is not allowed",
                f"a {section[:-1]} name of letters, digits, '.', '_' and '-' only, e.g. "
                f"{re.sub(r'[^a-zA-Z0-9._-]+', '-', str(key)) or 'data'}")
    return None


def _external_name_conflict(document: Document, data: Mapping[str, Any]) -> Exception | None:
    """docker/cli's ``loadFileObjectConfig`` (``cli/compose/loader/loader.go``), run after
    the services are loaded: an external secret or config named both by ``external.name``
    and by ``name`` is refused in its words; otherwise the name it resolves is
    :func:`~clustersim.manifests.compose_syntax.external_name`'s."""
    for section, kind in (("secrets", "secret"), ("configs", "config")):
        for key, entry in (data.get(section) or {}).items():
            external = entry.get("external") if isinstance(entry, dict) else None
            if isinstance(external, dict) and external.get("name") and entry.get("name"):
                return document.error(
                    (section, key), f"{kind} {key}: {kind}.external.name and {kind}.name "
                    f"conflict; only use {kind}.name",
                    "external: true and one name: such as name: db_password_v2 (external: "
                    "name: is deprecated since version 3.5)")
    return None


def load_compose(
    document: Document,
    environment: Mapping[str, str] | None = None,
    ports_used: list[int] | None = None,
    stack_file: str | None = None,
) -> list[StackSpec]:
    """The stack of one Compose document: variables substituted from ``environment``
    (:mod:`~clustersim.manifests.interpolate`), every service's short syntaxes expanded; the
    stack is named after ``stack_file``'s stem when given (the file the text came from, where
    the source's name is a label such as an explorer's menu entry), else the source's.
    ``ports_used`` counts the port entries of the source's earlier stacks (updated here), so
    that :data:`MAX_PORTS` bounds a whole source, not each of its documents. Plain scalars
    are read as docker/cli reads them, with go-yaml v3 (:func:`~safe_yaml.yaml_v3_data`:
    ``on``, ``yes`` and ``y`` are strings)."""
    data = dict(yaml_v3_data(document))
    forbidden = _forbidden_problem(document, data)
    if forbidden is not None:
        raise forbidden
    unset: list[str] = []
    for section in _INTERPOLATED:
        if section in data:
            try:
                data[section], missing = interpolate(data[section], environment or {}, (section,))
            except InterpolationError as err:
                raise document.error(
                    err.path, str(err), "the variable in load_manifests(..., environment={...})"
                ) from None
            unset += missing
    document = document.sub((), data)
    problem = version_problem(data)
    if problem:
        raise document.error(
            ("version",), problem,
            'version: "3.8" (any 3.x up to 3.14, quoted), or no version: docker stack deploy '
            "reads no Compose file version 1 or 2",
        )
    services = data.get("services")
    if not isinstance(services, dict):
        raise document.error(
            ("services",),
            "services is not a mapping",
            "a mapping from service name to its definition",
        )
    schema_problem = _schema_problem(document, data)
    if schema_problem is not None:
        raise schema_problem
    manifest = {key: copy_data(value) for key, value in data.items() if key != "services"}
    ports_used = [0] if ports_used is None else ports_used
    expanded = {
        str(name): _expand_service(document, ("services", name), service, ports_used)
        for name, service in services.items()
    }
    # docker/cli converts every service before the daemon creates the first
    refusals = [conversion_problem(document, data, str(name), (expanded[str(name)][0], written),
                                   expanded[str(name)][1], expanded[str(name)][2].get("resources"))
                for name, written in services.items()]
    refusals += [_swarmkit_problem(document, ("services", name), service, typed, refused)
                 for name, (service, typed, refused) in expanded.items()]
    refusal = next((found for found in refusals if found is not None), None)
    if refusal is not None:
        raise refusal
    manifest["services"] = {name: service for name, (service, _, _) in expanded.items()}
    conflict = _external_name_conflict(document, data)
    if conflict is not None:
        raise conflict
    return [
        StackSpec(
            system="swarm",
            kind="Stack",
            name=stack_name(data, stack_file or document.source),
            source=document.source,
            line=document.line,
            manifest=manifest,
            typed={name: typed for name, (_, typed, _) in expanded.items()},
            warnings=(
                *(
                    f"The {name} variable is not set. Defaulting to a blank string."
                    for name in dict.fromkeys(unset)
                ),
                *_ignored_options(services),
            ),
        )
    ]
