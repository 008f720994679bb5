"""The Engine API's ServiceSpec JSON and the simulator's :class:`~clustersim.swarm.ServiceSpec`,
each way, and the NodeSpec a node update sends, for :mod:`clustersim.serve.docker`.

Shapes after the Engine API reference v1.44 (``ServiceSpec``, ``TaskSpec``, ``EndpointSpec``:
https://docs.docker.com/reference/api/engine/version/v1.44/#tag/Service) and moby's
``api/types/swarm``; durations there are nanoseconds. A body sent by a client is read as Go's
``encoding/json`` decodes it (field names match case-insensitively; a value of the wrong JSON
type is refused with the decoder's words) and then through the same Compose reader that
``docker stack deploy`` uses, so the same checks and messages apply, with two exceptions
where the daemon accepts what a Compose file may not say: a port's protocol and publish
mode are read as moby's conversion reads them (any case; an unknown one is TCP and ingress,
without a word), a target port of 0 or above 65535 is kept as sent (no one checks it,
:mod:`~clustersim.serve.dockervalidate`), and a port published above 65535 is kept for the
swarm: an ingress one its allocator cannot allocate (:mod:`clustersim.swarm.mesh`: the
service's tasks stay NEW), a host-mode one each node's daemon refuses
(:mod:`clustersim.swarm.agent`: the tasks are REJECTED). The container's ``Mounts`` are
kept as sent too (a relative target, a bind's relative source): each node's executor refuses
them (:func:`clustersim.swarm.agent.container_refusal`). The ContainerSpec's labels
go to the Compose reader as the service's ``labels``, as ``docker stack deploy`` converts
them (:mod:`clustersim.manifests.container_labels`), so ``clustersim.io/run-seconds`` and
``clustersim.io/exit-code`` make its containers exit on both paths: a value the simulator
cannot use is refused with 400, where a real daemon keeps any label.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from clustersim.genericresource import Entry, json_entries
from clustersim.manifests import ManifestError
from clustersim.manifests.compose_syntax import PROTOCOLS
from clustersim.serve.core import HttpError
from clustersim.serve.dockerjson import decode
from clustersim.serve.dockervalidate import (
    PUBLISH_MODES,
    check_service_spec,
    enum_value,
    service_modes,
    unsimulated,
)
from clustersim.swarm import ServiceSpec
from clustersim.swarm.mesh import MAX_PORT
from clustersim.swarm.spec import Mount, PortConfig, compose_service

__all__ = ["NS_PER_SECOND", "as_sent_ports", "check_node_spec", "engine_spec", "fold_fields",
           "generic_json", "json_list", "json_object", "node_spec", "overlay", "port_json",
           "simulator_spec"]

NS_PER_SECOND = 1_000_000_000
"""The Engine API gives durations and CPUs in nanoseconds (NanoCPUs: 10^-9 CPU)."""


def generic_json(entries: Sequence[Entry]) -> dict[str, Any]:
    """``{"GenericResources": [...]}`` for a node's advertised or a task's assigned generic
    resources, as moby's ``swarm.GenericResource`` writes them; ``{}`` for none (the field
    is ``omitempty`` in ``swarm.Resources`` and ``swarm.Task``, ``api/types/swarm``)."""
    return {"GenericResources": json_entries(entries)} if entries else {}


def port_json(port: PortConfig) -> dict[str, Any]:
    """A port as the daemon writes moby's ``swarm.PortConfig`` (``api/types/swarm/
    network.go``), whose fields are all ``omitempty``: a target or published port of 0 (a
    client sent none; Swarm or the node picks the published one) is left out."""
    out = {"Protocol": port.protocol, "TargetPort": port.target,
           "PublishedPort": port.published, "PublishMode": port.mode}
    return {k: v for k, v in out.items() if v}


def as_sent_ports(spec: ServiceSpec, sent: dict[str, Any]) -> ServiceSpec:
    """``spec`` with the ingress ports the swarm picked (:class:`~clustersim.swarm.mesh.
    RoutingMesh` fills in a published port of 0) back at 0 where the client ``sent`` none:
    swarmkit writes the ports its allocator assigns only into the service's
    ``Endpoint.Ports`` and keeps the spec as sent (moby/swarmkit ``manager/allocator/
    network/port``: the allocator owns ``Endpoint.Ports``)."""
    asked = json_list(json_object(fold_fields(sent), "endpointspec"), "ports")
    ports = tuple(PortConfig(p.target, 0, p.protocol, p.mode)
                  if p.mode == "ingress" and i < len(asked) and isinstance(asked[i], dict)
                  and not asked[i].get("publishedport") else p
                  for i, p in enumerate(spec.ports))
    return spec.with_changes(ports=ports)


def engine_spec(spec: ServiceSpec) -> dict[str, Any]:
    """A simulator ServiceSpec as the Engine API's ServiceSpec."""
    def update(cfg) -> dict[str, Any]:
        return {"Parallelism": cfg.parallelism, "Delay": int(cfg.delay * NS_PER_SECOND),
                "FailureAction": cfg.failure_action, "Monitor": int(cfg.monitor * NS_PER_SECOND),
                "MaxFailureRatio": cfg.max_failure_ratio, "Order": cfg.order}

    labels = {"com.docker.stack.namespace": spec.stack} if spec.stack else {}
    placement: dict[str, Any] = {}
    if spec.constraints:
        placement["Constraints"] = [str(c) for c in spec.constraints]
    if spec.preferences:
        placement["Preferences"] = [{"Spread": {"SpreadDescriptor": p}}
                                    for p in spec.preferences]
    if spec.max_replicas:
        placement["MaxReplicas"] = spec.max_replicas
    resources: dict[str, Any] = {}
    if spec.reservations.nano_cpus or spec.reservations.memory_bytes:
        resources["Reservations"] = {"NanoCPUs": spec.reservations.nano_cpus,
                                     "MemoryBytes": spec.reservations.memory_bytes}
    endpoint: dict[str, Any] = {"Mode": spec.endpoint_mode}
    if spec.ports:
        endpoint["Ports"] = [port_json(p) for p in spec.ports]
    container: dict[str, Any] = {"Image": spec.image, "Labels": labels}
    if spec.healthcheck is not None:     # as stored: what was not sent is 0, left out
        check = spec.healthcheck          # (HealthConfig's fields are all omitempty)
        container["Healthcheck"] = {key: value for key, value in {
            "Test": list(check.test), "Interval": int(check.interval * NS_PER_SECOND),
            "Timeout": int(check.timeout * NS_PER_SECOND), "Retries": check.retries,
            "StartPeriod": int(check.start_period * NS_PER_SECOND),
            "StartInterval": int(check.start_interval * NS_PER_SECOND)}.items() if value}
    return {
        "Name": spec.name, "Labels": labels,
        "TaskTemplate": {
            "ContainerSpec": container,
            "Resources": resources, "Placement": placement,
            "RestartPolicy": {"Condition": spec.restart.condition,
                              "Delay": int(spec.restart.delay * NS_PER_SECOND),
                              "MaxAttempts": spec.restart.max_attempts,
                              "Window": int(spec.restart.window * NS_PER_SECOND)},
            "ForceUpdate": spec.force_update, "Runtime": "container"},
        "Mode": {"Global": {}} if spec.mode == "global" else
        {"Replicated": {"Replicas": spec.replicas}},
        "UpdateConfig": update(spec.update), "RollbackConfig": update(spec.rollback),
        "EndpointSpec": endpoint}


def overlay(sent: Any, derived: Any) -> Any:
    """The ServiceSpec a client ``sent``, with the fields the simulator models replaced by
    their ``derived`` values (:func:`engine_spec`). The daemon stores a spec as sent, so
    ``docker service inspect`` shows what the simulator does not model (``Env``, ``Args``,
    ``Mounts``, ``Secrets``, ``Networks``, ``Resources.Limits``...) as it was given, and the
    CLI's read-modify-write of ``docker service update --env-add`` keeps it. Objects merge
    key by key (matched case-insensitively, as Go's decoder matches field names), except
    the objects the simulator models whole (:data:`_WHOLE`); any other value is the derived
    one."""
    if not isinstance(sent, dict) or not isinstance(derived, dict):
        return derived
    folded = {str(k).lower(): k for k in sent}
    out = {k: v for k, v in sent.items()
           if str(k).lower() not in {str(d).lower() for d in derived}}
    for key, value in derived.items():
        match = folded.get(str(key).lower())
        out[key] = value if match is None or str(key).lower() in _WHOLE \
            else overlay(sent[match], value)
    return out


_WHOLE = ("healthcheck",)
"""Objects shown as the simulator holds them, not merged with what was sent: every field of
moby's ``HealthConfig`` is one the simulator reads, and all are ``omitempty``, so one sent
as null or 0 (the SDK sends ``"Timeout": null``) is left out, as the daemon writes it."""


def simulator_spec(body: Any) -> ServiceSpec:
    """The Engine API's ServiceSpec as the simulator's, through the Compose reader (so
    the same checks and messages apply)."""
    body = fold_fields(body)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or \
            not body["name"]:
        raise HttpError(400, "rpc error: code = InvalidArgument desc = name must be valid "
                        "as a DNS name component")
    check_service_spec(body)
    template = json_object(body, "tasktemplate")
    container = json_object(template, "containerspec")
    deploy: dict[str, Any] = {}
    problem = unsimulated(body)
    if problem is not None:
        raise HttpError(501, f"rpc error: code = Unimplemented desc = {problem}")
    if service_modes(body) == ["global"]:
        deploy["mode"] = "global"
    else:
        replicas = json_object(json_object(body, "mode"), "replicated").get("replicas")
        deploy["replicas"] = 1 if replicas is None else replicas
    placement = json_object(template, "placement")
    deploy["placement"] = {k: v for k, v in {
        "constraints": placement.get("constraints"),
        "preferences": [{"spread": json_object(p, "spread").get("spreaddescriptor")}
                        for p in json_list(placement, "preferences") if p] or None,
        "max_replicas_per_node": placement.get("maxreplicas")}.items() if v}
    reservations = json_object(json_object(template, "resources"), "reservations")
    named = _named_reservations(reservations)
    if reservations:
        cpus = reservations.get("nanocpus") or 0
        memory = reservations.get("memorybytes") or 0
        discrete = [json_object(g, "discreteresourcespec")
                    for g in json_list(reservations, "genericresources") if g]
        deploy["resources"] = {"reservations": {k: v for k, v in {
            "cpus": str(cpus / NS_PER_SECOND) if cpus else None,
            "memory": str(int(memory)) if memory else None,
            "generic_resources": [   # discrete counts; named ones below
                {"discrete_resource_spec": {"kind": d.get("kind") or "",
                                            "value": d.get("value") or 0}}
                for d in discrete if d] or None}.items() if v}}
    restart = json_object(template, "restartpolicy")
    if restart:
        deploy["restart_policy"] = {k: v for k, v in {
            "condition": restart.get("condition") or None,    # "": the default
            "delay": _duration(restart.get("delay")),
            "max_attempts": restart.get("maxattempts"),
            "window": _duration(restart.get("window"))}.items() if v is not None}
    for key, field in (("updateconfig", "update_config"),
                       ("rollbackconfig", "rollback_config")):
        cfg = json_object(body, key)
        if cfg:
            deploy[field] = {k: v for k, v in {
                "parallelism": cfg.get("parallelism"),
                "delay": _duration(cfg.get("delay")),
                "failure_action": cfg.get("failureaction") or None,   # "": the default, as
                # moby's convert (daemon/cluster/convert/service.go) reads Go's zero value
                "monitor": _duration(cfg.get("monitor")),
                "max_failure_ratio": cfg.get("maxfailureratio"),
                "order": cfg.get("order") or None}.items() if v is not None}
    endpoint = json_object(body, "endpointspec")
    if endpoint.get("mode"):
        deploy["endpoint_mode"] = endpoint["mode"]
    check = json_object(container, "healthcheck")
    ports: list[dict[str, Any]] = [
        {"target": p.get("targetport") or 0, "published": p.get("publishedport") or 0,
         "protocol": enum_value(p.get("protocol"), PROTOCOLS),
         "mode": enum_value(p.get("publishmode"), PUBLISH_MODES)}
        for p in [p or {} for p in json_list(endpoint, "ports")]]
    readable = [_readable(p) for p in ports]
    service = {"image": container.get("image", ""), "deploy": deploy, "ports": readable,
               "labels": json_object(container, "labels")}
    if json_list(check, "test"):     # the Engine's durations are nanoseconds; 0 = default
        service["healthcheck"] = {"test": json_list(check, "test"), **{
            key: _duration(check[field]) for key, field in (
                ("interval", "interval"), ("timeout", "timeout"),
                ("start_period", "startperiod"), ("start_interval", "startinterval"))
            if check.get(field)}, **({"retries": check["retries"]} if check.get("retries")
                                     else {})}
    stack = json_object(body, "labels").get("com.docker.stack.namespace")
    name = body["name"]
    try:
        spec = compose_service(name, service)
    except ManifestError as err:     # the daemon's words, without the reader's path
        raise HttpError(400, f"rpc error: code = InvalidArgument desc = {err.message}") from None
    force = template.get("forceupdate") or 0
    if readable != ports:       # kept as sent, as the daemon keeps them
        spec = spec.with_changes(ports=tuple(
            replace(read, target=sent["target"], published=sent["published"])
            for sent, read in zip(ports, spec.ports, strict=True)))
    mounts = tuple(Mount(type=(m.get("type") or "bind").lower(), source=m.get("source") or "",
                         target=m.get("target") or "")
                   for m in [m or {} for m in json_list(container, "mounts")])
    if named:
        spec = spec.with_changes(reservations=replace(
            spec.reservations, generic=(*spec.reservations.generic, *named)))
    return spec.with_changes(stack=stack or spec.stack, force_update=force, mounts=mounts,
                             unmodelled=_unmodelled(template))


def _named_reservations(reservations: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The named generic resources a ServiceSpec reserves, which only the Engine API can
    send (docker/cli refuses ``--generic-resource gpu=UUID1`` for a service, and a Compose
    file has only ``discrete_resource_spec``). moby converts them (``convert/service.go``,
    ``GenericResourcesToGRPC``) and swarmkit's ``validateResources`` lets them through (it
    returns nil where ``genericresource.ValidateTask`` fails, ``manager/controlapi/
    service.go``), but no node passes the ResourceFilter for them (``HasEnough``: "task
    should only hold Discrete type"): the tasks stay pending."""
    out = []
    for entry in json_list(reservations, "genericresources"):
        if not isinstance(entry, dict) or json_object(entry, "discreteresourcespec"):
            continue
        spec = json_object(entry, "namedresourcespec")
        if spec:
            out.append((str(spec.get("kind") or ""), str(spec.get("value") or "")))
    return tuple(out)


def _readable(port: dict[str, Any]) -> dict[str, Any]:
    """A port as the Compose reader may read it, for one it refuses and the daemon keeps
    (:mod:`~clustersim.serve.dockervalidate`): a target of 0 or above 65535 is read as 1,
    a port published above 65535 as one Swarm assigns (ingress) or the node picks (host);
    :func:`simulator_spec` puts the numbers sent back."""
    target, published = port["target"], port["published"]
    if published > MAX_PORT:
        published = 0
    return {**port, "target": target if 1 <= target <= MAX_PORT else 1,
            "published": published}


_MODELLED = {"": ("placement", "forceupdate", "restartpolicy", "runtime"),
             "containerspec": ("image", "healthcheck"), "resources": ("reservations",)}
"""The TaskTemplate fields :func:`simulator_spec` reads (by folded name, per object)."""


def _unmodelled(template: dict[str, Any]) -> str:
    """A digest of the (folded) TaskTemplate without the fields the simulator models and
    without empty values, which a client may send or leave out alike (Go's ``omitempty``):
    it changes only when an unmodelled field does, and the spec the CLI reads back and sends
    again (``docker service scale``) keeps it."""
    def strip(value: Any, skip: tuple[str, ...] = ()) -> Any:
        if isinstance(value, dict):
            kept = {k: strip(v, _MODELLED.get(k, ())) for k, v in value.items()
                    if k not in skip}
            return {k: v for k, v in kept.items() if v not in ({}, [], None, "", 0, False)}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    rest = strip(template, _MODELLED[""])
    return hashlib.sha256(json.dumps(rest, sort_keys=True).encode()).hexdigest()[:16] \
        if rest else ""



_NODE_ENUMS = {"Role": ("worker", "manager"), "Availability": ("active", "pause", "drain")}
"""The values moby's convert accepts for ``Role`` and ``Availability`` (swarmkit's
``NodeRole`` and ``NodeSpec_Availability`` enums, looked up in upper case)."""


def node_spec(body: Any) -> dict[str, Any]:
    """The body of ``POST /nodes/{id}/update``, a whole ``NodeSpec`` that replaces the node's
    (swarmkit ``manager/controlapi/node.go``, ``UpdateNode``, stores the spec as sent), read
    as Go's decoder reads it into moby's ``api/types/swarm`` ``NodeSpec``
    (:func:`~clustersim.serve.dockerjson.decode`): field names in any case, an absent or
    null field is its empty value (no labels, an empty ``Role``)."""
    sent = decode(body, "swarm.NodeSpec")
    return {"Name": sent.get("Name", ""),
            "Labels": {k: v or "" for k, v in (sent.get("Labels") or {}).items()},
            "Role": sent.get("Role", ""), "Availability": sent.get("Availability", "")}


def check_node_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` as moby's ``daemon/cluster/convert/node.go`` (``NodeSpecToGRPC``) converts it
    for swarmkit: ``Role`` and ``Availability`` must each be one of swarmkit's values in any
    case, so an absent one is refused too; both come back in lower case, as the daemon shows
    them."""
    for key, values in _NODE_ENUMS.items():
        if spec[key].lower() not in values:
            raise HttpError(400, f'invalid {key}: "{spec[key]}"')
    return {**spec, **{key: spec[key].lower() for key in _NODE_ENUMS}}


def json_object(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    """``mapping[key]``, an object of a body :func:`~clustersim.serve.dockerjson.decode`
    has checked (``{}`` when absent or null)."""
    return mapping.get(key) or {}


def json_list(mapping: dict[str, Any], key: str) -> list[Any]:
    """``mapping[key]``, an array of a checked body (``[]`` when absent or null)."""
    return mapping.get(key) or []


def _duration(value: int | None) -> str | None:
    """An Engine API duration (nanoseconds) as a Go duration for the Compose reader; None
    when not sent (or null: Go leaves the field unset)."""
    return None if value is None else f"{value}ns"


def fold_fields(value: Any, *, data: bool = False) -> Any:
    """Field names in lower case: the daemon decodes JSON with Go's ``encoding/json``, which
    matches field names case-insensitively (the SDK sends ``{"replicated": {"Replicas": 3}}``).
    Label maps are data, not fields: their keys stay as they are."""
    if isinstance(value, dict):
        return {(k if data else str(k).lower()): fold_fields(v, data=str(k).lower() == "labels")
                for k, v in value.items()}
    if isinstance(value, list):
        return [fold_fields(v) for v in value]
    return value
