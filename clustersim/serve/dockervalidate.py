"""The refusals of a ServiceSpec that the Docker daemon and swarmkit make before a service is
created or updated, in their words, for :mod:`clustersim.serve.dockerspec`.

A body goes through two checks upstream, in this order:

1. moby's conversion to swarmkit's types (``daemon/cluster/convert/service.go``,
   ``ServiceSpecToGRPC``): the container spec first (``container.go``, ``containerToGRPC``:
   a config reference with neither or both of a file and a runtime target, ``invalid Config:
   …``; a mount of an unknown type or bind propagation, ``invalid MountType: "x"``), then an
   unknown restart condition, update failure action, update order or endpoint mode, and
   more than one service mode (``must specify only one service mode``), each refused with a
   plain error, which the daemon answers with 400
   (``daemon/cluster/services.go`` wraps it as ``errdefs.InvalidParameter``);
2. swarmkit's ``validateServiceSpec`` (``manager/controlapi/service.go``): the name, the
   task's resources, restart policy, placement constraints, secret and config references
   (``validateSecretRefsSpec``, ``validateConfigRefsSpec``: an ID and a name, a file target
   with a name, no two with the same file), image, mounts (``validateMounts``: no two at one
   target) and healthcheck, the update config, the endpoint. Its refusals are gRPC
   ``InvalidArgument`` errors (400, ``rpc error: code = InvalidArgument desc = …``), except a
   constraint that does not parse: ``validatePlacement`` returns ``constraint.Parse``'s plain
   error, which gRPC carries as ``Unknown`` and the daemon answers with 500.

Whether the secrets and configs referred to exist is swarmkit's last check
(``checkSecretExistence``), made with the stored objects:
:func:`missing_references`.

So the served daemon speaks only upstream's words: the course's Compose reader, which reads
the body next, keeps its field paths and advice for ``docker stack deploy`` files and the
Python library. Simplified (what swarmkit does instead): a credential spec is not checked
(moby refuses one with no source or two, swarmkit one naming a config the service does not
refer to with a runtime target).

A port number is checked by no one on the way in: the field is a ``uint32`` (Go's decoder
refuses only what does not fit), moby's ``ServiceSpecToGRPC`` copies ``TargetPort`` and
``PublishedPort`` as they are, and ``validateEndpointSpec`` looks at published ports only
for dnsrr and duplicates. Only the docker CLI keeps the numbers in range (docker/cli
``opts/port.go``: ``strconv.ParseUint(value, 10, 16)`` for ``target=`` and
``published=``, and ``missing mandatory field "target"`` for a target of 0), so a client
of the API can send any. The daemon stores such a service (201) and the served daemon does
too. A host-mode port above 65535 becomes a port binding of each task's container (moby
``daemon/cluster/executor/container/container.go``, ``portBindings``), which each node's
daemon refuses when it creates the container (``daemon/container.go``,
``validatePortBindings``: ``invalid port specification: "70000"``), so every task ends
REJECTED with that error (:mod:`clustersim.swarm.agent`). An ingress port is no binding of
the container and no one checks its target (swarmkit's port allocator,
``manager/allocator/portallocator.go``, allocates published ports only): a target of 0 or
above 65535 is kept and the tasks run (the simulator routes to it as to any port; the
redirect libnetwork sets up inside the task is not simulated), and one published above
65535 leaves the service's tasks NEW, as swarmkit's allocator does
(:mod:`clustersim.serve.dockerspec`). A host-mode target of 0 is a container port Engine
25 accepts (Engine 29 refuses it, moby/moby#51684). An unknown port protocol or publish
mode is TCP and ingress, as moby converts them.
"""

from __future__ import annotations

from typing import Any

from clustersim.goformat import go_quote
from clustersim.imageref import image_problem
from clustersim.manifests.compose_syntax import PROTOCOLS
from clustersim.manifests.compose_types import (
    MOUNT_TYPES,
    PROPAGATIONS,
    constraint_problem,
    service_name,
)
from clustersim.manifests.healthchecks import health_problem
from clustersim.serve.core import HttpError

__all__ = ["PUBLISH_MODES", "SERVICE_MODES", "check_service_spec", "enum_value",
           "health_problem", "missing_references", "service_modes", "unsimulated"]

PUBLISH_MODES = ("ingress", "host")
"""swarmkit's ``PortConfig.PublishMode`` names, the zero value first."""
SERVICE_MODES = ("replicated", "global", "replicatedjob", "globaljob")
"""The members of moby's ``ServiceMode`` (folded names): pointers, at most one of them set."""
_SIMULATED_MODES = ("replicated", "global")
_MIN_NANO_CPUS = 1_000_000
_MIN_MEMORY = 4 * 1024 * 1024


def check_service_spec(body: dict[str, Any]) -> None:
    """Refuse the ServiceSpec ``body`` (field names folded to lower case, types already
    checked by Go's decoder) as the daemon and swarmkit do, first refusal first."""
    problem = _conversion_problem(body)
    if problem is not None:
        raise HttpError(400, problem)
    problem = _validation_problem(body)
    if problem is not None:
        raise HttpError(400, f"rpc error: code = InvalidArgument desc = {problem}")


def enum_value(value: Any, names: tuple[str, ...]) -> str:
    """An enum field as moby's conversion reads it (``daemon/cluster/convert/service.go``:
    looked up in upper case among swarmkit's names, ``PortConfig_Protocol_value``,
    ``PortConfig_PublishMode_value``): an unknown or empty one is the enum's zero value,
    ``names[0]`` (TCP, ingress), without a word."""
    text = str(value or "").lower()
    return text if text in names else names[0]


def _object(mapping: Any, key: str) -> dict[str, Any]:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, dict) else {}


def _conversion_problem(body: dict[str, Any]) -> str | None:
    """moby's ``ServiceSpecToGRPC`` refusals, in its order: the container spec, the restart
    policy, the update and rollback configs, the endpoint's mode."""
    template = _object(body, "tasktemplate")
    problem = _container_conversion_problem(_object(template, "containerspec"))
    if problem is not None:
        return problem
    condition = _object(template, "restartpolicy").get("condition") or ""
    if condition not in ("", "none", "on-failure", "any"):
        return f"invalid RestartCondition: {go_quote(condition)}"
    for key in ("updateconfig", "rollbackconfig"):
        config = _object(body, key)
        action, order = config.get("failureaction") or "", config.get("order") or ""
        if action not in ("", "pause", "continue", "rollback"):
            return f"unrecognized update failure action {action}"
        if order not in ("", "stop-first", "start-first"):
            return f"unrecognized update order {order}"
    mode = _object(body, "endpointspec").get("mode") or ""
    if mode not in ("", "vip", "dnsrr"):
        return f"invalid resolution mode: {go_quote(mode)}"
    if len(service_modes(body)) > 1:
        return "must specify only one service mode"
    return None


def service_modes(body: dict[str, Any]) -> list[str]:
    """The service modes the folded ServiceSpec ``body`` sets, in :data:`SERVICE_MODES`
    order: a member given as ``null`` is Go's nil pointer, not set (none set: replicated,
    one replica, as ``ServiceSpecToGRPC`` defaults it)."""
    mode = _object(body, "mode")
    return [name for name in SERVICE_MODES if mode.get(name) is not None]


def unsimulated(body: dict[str, Any]) -> str | None:
    """What the folded ServiceSpec ``body`` asks for that the daemon and swarmkit accept but
    the simulator does not run (answered 501 ``Unimplemented``), or None: a job mode
    (the CLI's ``--mode replicated-job`` and ``global-job``, API 1.41+)."""
    job = next((m for m in service_modes(body) if m not in _SIMULATED_MODES), None)
    if job is not None:
        return (f"{job.replace('job', '-job')} mode is not simulated: clustersim runs "
                "replicated and global services only")
    return None


def _container_conversion_problem(container: dict[str, Any]) -> str | None:
    """``containerToGRPC``: the config references' targets, then each mount's type and bind
    propagation (any case; empty is the default)."""
    for ref in _references(container, "configs"):
        has_file, has_runtime = ref.get("file") is not None, ref.get("runtime") is not None
        if not has_file and not has_runtime:
            return "invalid Config: either File or Runtime should be set"
        if has_file and has_runtime:
            return "invalid Config: cannot specify both File and Runtime"
    for mount in _references(container, "mounts"):
        kind = mount.get("type") or ""
        if kind and kind.lower() not in MOUNT_TYPES:
            return f"invalid MountType: {go_quote(kind)}"
        propagation = _object(mount, "bindoptions").get("propagation") or ""
        if propagation and propagation.lower() not in PROPAGATIONS:
            return f"invalid MountPropagation: {go_quote(propagation)}"
    return None


def _references(container: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The entries of a list of the container spec (secrets, configs, mounts); a null entry
    is read as an empty one."""
    return [entry if isinstance(entry, dict) else {} for entry in container.get(key) or []]


def _refs_problem(container: dict[str, Any], kind: str) -> str | None:
    """``validateSecretRefsSpec`` (``kind`` secret) and ``validateConfigRefsSpec`` (config):
    each reference names its object by ID and name and has a target; a file target has a
    name that no earlier reference's file has."""
    targets: dict[str, str] = {}
    for ref in _references(container, f"{kind}s"):
        name = ref.get(f"{kind}name") or ""
        if not ref.get(f"{kind}id") or not name:
            return f"malformed {kind} reference"
        file = ref.get("file")      # a secret has no runtime target (Go drops the key)
        if file is None and (kind == "secret" or ref.get("runtime") is None):
            return f"malformed {kind} reference, no target provided"
        if file is None:
            continue
        target = (file if isinstance(file, dict) else {}).get("name") or ""
        if not target:
            return f"malformed file {kind} reference, invalid target file name provided"
        if target in targets:
            return (f"{kind} references '{targets[target]}' and '{name}' have a conflicting "
                    f"target: '{target}'")
        targets[target] = name
    return None


def _mounts_problem(container: dict[str, Any]) -> str | None:
    """``validateMounts``: two mounts at one target."""
    seen: set[str] = set()
    for mount in _references(container, "mounts"):
        target = mount.get("target") or ""
        if target in seen:
            return f"ContainerSpec: duplicate mount point: {target}"
        seen.add(target)
    return None


def missing_references(body: dict[str, Any], stored: dict[str, dict[str, dict[str, Any]]]
                       ) -> str | None:
    """swarmkit's ``checkSecretExistence`` then ``checkConfigExistence`` for the folded
    ServiceSpec ``body`` against the ``stored`` secrets and configs (by section, then name):
    each reference must find its object by ID, under the name it gives; the names that do
    not are listed together (``secret not found: a``, ``secrets not found: a, b``)."""
    container = _object(_object(body, "tasktemplate"), "containerspec")
    for kind in ("secret", "config"):
        ids = {o["ID"]: o["Spec"]["Name"] for o in stored[f"{kind}s"].values()}
        missing = [ref.get(f"{kind}name") or "" for ref in _references(container, f"{kind}s")
                   if ids.get(ref.get(f"{kind}id") or "") != ref.get(f"{kind}name")]
        if missing:
            return (f"{kind}{'s' if len(missing) > 1 else ''} not found: "
                    f"{', '.join(missing)}")
    return None


def _validation_problem(body: dict[str, Any]) -> str | None:
    """swarmkit's ``validateServiceSpec``, in its order (its ``validateTaskSpec`` first)."""
    template = _object(body, "tasktemplate")
    container = _object(template, "containerspec")
    resources = _object(template, "resources")
    restart = _object(template, "restartpolicy")
    update = _object(body, "updateconfig")
    checks = (
        lambda: service_name(str(body.get("name", ""))),
        lambda: _resources_problem(_object(resources, "limits")),
        lambda: _resources_problem(_object(resources, "reservations")),
        lambda: _negative(restart.get("delay"), "TaskSpec: restart-delay cannot be negative"),
        lambda: _negative(restart.get("window"), "TaskSpec: restart-window cannot be negative"),
        lambda: _placement_problem(_object(template, "placement")),
        lambda: _refs_problem(container, "secret"),
        lambda: _refs_problem(container, "config"),
        lambda: _image_problem(container.get("image") or ""),
        lambda: _mounts_problem(container),
        lambda: health_problem(_object(container, "healthcheck")),
        lambda: _negative(update.get("delay"), "TaskSpec: update-delay cannot be negative"),
        lambda: _negative(update.get("monitor"), "TaskSpec: update-monitor cannot be negative"),
        lambda: None if 0 <= (update.get("maxfailureratio") or 0) <= 1 else
        "TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1",
        lambda: _endpoint_problem(_object(body, "endpointspec")),
    )
    return next((p for p in (check() for check in checks) if p is not None), None)


def _negative(value: Any, message: str) -> str | None:
    return message if isinstance(value, int) and value < 0 else None


def _resources_problem(resources: dict[str, Any]) -> str | None:
    """``validateResources``: a CPU amount under a thousandth of a CPU, or memory under
    4MiB, unless zero (Go's ``%g`` of the CPUs is Python's shortest ``repr``)."""
    cpus, memory = resources.get("nanocpus") or 0, resources.get("memorybytes") or 0
    if cpus and cpus < _MIN_NANO_CPUS:
        return (f"invalid cpu value {cpus / 1e9!r}: Must be at least "
                f"{_MIN_NANO_CPUS / 1e9!r}")
    if memory and memory < _MIN_MEMORY:
        return f"invalid memory value {memory}: Must be at least 4MiB"
    return None


def _placement_problem(placement: dict[str, Any]) -> str | None:
    """``validatePlacement``: ``constraint.Parse``'s plain error, which reaches the client as
    gRPC ``Unknown`` (raised here, as it is answered differently)."""
    for text in placement.get("constraints") or []:
        problem = constraint_problem(text)
        if problem is not None:
            raise HttpError(500, f"rpc error: code = Unknown desc = {problem}")
    return None


def _image_problem(image: str) -> str | None:
    """``validateImage``: the reference must be given and parse; swarmkit quotes it with
    Go's ``%q`` and drops the parser's reason."""
    if not image:
        return "ContainerSpec: image reference must be provided"
    if image_problem(image):
        return f"ContainerSpec: {go_quote(image)} is not a valid repository/tag"
    return None


def _endpoint_problem(endpoint: dict[str, Any]) -> str | None:
    """``validateEndpointSpec``: a port the routing mesh publishes cannot go with DNS
    round-robin, and no two ports may publish the same number and protocol (the protocol
    and publish mode as moby converts them, :func:`enum_value`)."""
    seen: set[tuple[int, str]] = set()
    for port in endpoint.get("ports") or []:
        port = port if isinstance(port, dict) else {}
        ingress = enum_value(port.get("publishmode"), PUBLISH_MODES) == "ingress"
        if endpoint.get("mode") == "dnsrr" and ingress:
            return ("EndpointSpec: port published with ingress mode can't be used with "
                    "dnsrr mode")
        published = port.get("publishedport") or 0
        if not published:
            continue
        key = (published, enum_value(port.get("protocol"), PROTOCOLS))
        if key in seen:
            return "EndpointSpec: duplicate published ports provided"
        seen.add(key)
    return None
