"""The Engine API's services and their tasks (``docker service create|ls|ps|inspect|update|
rollback|scale|rm|logs``), for :mod:`clustersim.serve.docker`: ``/services`` (create, ls,
inspect, update with ``?version=`` and ``rollback=previous``, rm, logs) and ``/tasks`` (ls,
inspect, logs). ``GET /services?status=true`` adds each ``ServiceStatus`` (the CLI's REPLICAS
column; API 1.41+, read with Go's ``strconv.ParseBool``); the logs of a service or task,
followed or not, are :class:`~clustersim.serve.dockerlogs.LogRoutes`'.

A task placed on a node that advertises generic resources shows the ones the scheduler
assigned it under ``GenericResources`` (swarmkit's ``AssignedGenericResources``, which moby's
``convert/task.go`` copies into ``swarm.Task.GenericResources``; the Engine API's reference
calls the field ``AssignedGenericResources``, but the daemon writes the Go field's name),
e.g. which GPU IDs it holds; its container would see them as ``DOCKER_RESOURCE_GPU=...``
(:attr:`~clustersim.swarm.Task.resource_env`).

Simplified (what Docker does instead): a ServiceSpec is stored as sent, but of the fields the
simulator does not model (``Env``, ``Secrets``, ``Mounts``...) only a change counts (it
replaces the tasks, as in Docker); service logs are simulated lines; an image is never
looked up in a registry: ``GET /distribution/<image>/json`` is answered 501, so the CLI
prints its own warning that it could not record the image's digest and that "each node will
access" the image (``nginx`` is ``nginx:latest`` to it) independently, as with a daemon that
cannot reach the registry. That part holds for a real swarm only: the simulated nodes pull
nothing and take every image to exist, so a tag no registry has runs, where a real node
rejects its tasks "No such image: nginx:1.99"; the Python side makes such an image with
:meth:`~clustersim.swarm.SwarmCluster.fail_pull` (``server.cluster.fail_pull(...)``), and a
client names one by a registry in the reserved domain ``.invalid``
(``nonexistent.invalid/web:1``), which no real node can pull either
(:func:`~clustersim.imageref.unresolvable`).
"""

from __future__ import annotations

import re
from typing import Any

from clustersim.manifests import ManifestError
from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.dockerchecks import (
    enum_filter,
    label_matches,
    parse_bool_arg,
    parse_filters,
    prefixed,
    service_name,
)
from clustersim.serve.dockerdaemon import asked_version
from clustersim.serve.dockerjson import read_json
from clustersim.serve.dockerlogs import LogRoutes
from clustersim.serve.dockernetworks import swarm_network
from clustersim.serve.dockerspec import (
    fold_fields,
    generic_json,
    json_list,
    port_json,
    simulator_spec,
)
from clustersim.serve.dockerstore import object_id, parse_version
from clustersim.serve.dockervalidate import missing_references
from clustersim.swarm import ServiceSpec, SwarmError
from clustersim.swarm.tasks import TaskState

__all__ = ["ServiceRoutes"]


class ServiceRoutes(LogRoutes):
    """``/services`` and ``/tasks``."""

    def _service_json(self, name: str) -> dict[str, Any]:
        service = self.cluster.services[name]
        spec = self._spec_json(name, service.spec)
        index, updated = self._service_version(name)
        endpoint: dict[str, Any] = {"Spec": {}}     # not allocated: moby's zero Endpoint
        if self.cluster.mesh.allocated(name):
            # as sent; the assigned ports and the virtual IPs, both omitempty in moby
            endpoint = {"Spec": spec["EndpointSpec"], **{key: value for key, value in (
                ("Ports", [port_json(p) for p in service.spec.ports]),
                ("VirtualIPs", self._virtual_ips(name, spec))) if value}}
        out: dict[str, Any] = {
            "ID": self._service_id(name), "Version": {"Index": index},
            "CreatedAt": self._stamp(self.created.get(name, 0.0)),
            "UpdatedAt": self._stamp(updated), "Spec": spec, "Endpoint": endpoint}
        if service.previous is not None:
            out["PreviousSpec"] = self._spec_json(name, service.previous)
        if service.update_state:    # moby's swarm.UpdateStatus, times omitted while unset
            out["UpdateStatus"] = {"State": service.update_state, **{
                key: self._stamp(at) for key, at in (
                    ("StartedAt", service.update_started_at),
                    ("CompletedAt", service.update_completed_at)) if at is not None},
                "Message": service.update_message}
        return out

    def _service_status(self, name: str) -> dict[str, int]:
        """``GET /services?status=true`` (API 1.41+): what the CLI's REPLICAS column shows.
        As swarmkit's ``ListServiceStatuses`` (``manager/controlapi/service.go``): desired is
        the replica count (for a global service, the tasks meant to run), running the tasks
        meant to run that do."""
        service = self.cluster.services[name]
        tasks = [t for t in self.cluster.tasks(name) if t.desired_state == "RUNNING"]
        desired = len(tasks) if service.spec.mode == "global" else service.spec.replicas
        return {"RunningTasks": sum(t.state == "RUNNING" for t in tasks),
                "DesiredTasks": desired, "CompletedTasks": 0}

    def _service_index(self, name: str) -> int:
        return list(self.cluster.services).index(name)

    def _virtual_ips(self, name: str, spec: dict[str, Any]) -> list[dict[str, str]]:
        """The service's virtual IPs as swarmkit's allocator gives them: none in ``dnsrr``
        mode; else one on each network :meth:`_attached` names (moby/swarmkit
        ``manager/allocator/network.go``, ``allocateService``, and ``cnmallocator/
        networkallocator.go``, ``AllocateService``), from the network's pool
        (:class:`~clustersim.serve.dockeraddresses.AddressPools`); a network without a
        subnet (``host``) gives no address."""
        service = self.cluster.services[name].spec
        if service.endpoint_mode.lower() == "dnsrr":
            return []
        return [{"NetworkID": network_id, **({"Addr": addr} if (addr := self.addresses.address(
            network_id, ("vip", name))) else {})} for network_id in self._attached(service, spec)]

    def _services(self, request: Request, rest: list[str]) -> Response:
        method = request.method
        if method == "GET":
            self._settle_addresses()
        if not rest and method == "GET":
            filters = parse_filters(request.arg("filters"),
                                    ("name", "id", "label", "mode", "runtime"))
            names = [n for n in self.cluster.services
                     if prefixed(n, filters.get("name"))
                     and prefixed(self._service_id(n), filters.get("id"))
                     and (not filters.get("mode") or
                          self.cluster.services[n].spec.mode in filters["mode"])
                     and (not filters.get("label") or all(
                         label_matches(self._spec_json(n, self.cluster.services[n].spec)
                                        ["Labels"], f) for f in filters["label"]))]
            services = [self._service_json(n) for n in names]
            # the status parameter came with API 1.41; an older client's is not read
            if asked_version(request.path) >= (1, 41) and parse_bool_arg(request, "status"):
                for row in services:
                    row["ServiceStatus"] = self._service_status(row["Spec"]["Name"])
            return Response.json(200, services)
        if rest == ["create"] and method == "POST":
            body = self._named(read_json(request, "swarm.ServiceSpec"))
            self._network_ids(body)
            spec = simulator_spec(body)
            self._check_references(body)
            if spec.name in self.cluster.services:
                raise HttpError(409, "rpc error: code = AlreadyExists desc = name conflicts "
                                "with an existing object: service " + spec.name +
                                " already exists")
            self._apply(spec, body)
            self.created[spec.name] = self.now
            return Response.json(201, {"ID": self._service_id(spec.name), "Warnings": None})
        if len(rest) == 1 and method == "GET":
            return Response.json(200, self._service_json(self._find_service(rest[0])))
        if len(rest) == 1 and method == "DELETE":
            name = self._find_service(rest[0])
            self.cluster.remove_service(name)
            self.sent.pop(name, None)
            self.versions.forget(("service", name))
            self.cluster.run(until=self.now)
            return Response(200)
        if len(rest) == 2 and rest[1] == "update" and method == "POST":
            return self._update_service(request, rest[0])
        if len(rest) == 2 and rest[1] == "logs" and method == "GET":
            return self._logs(request, "service", rest[0])
        raise HttpError(404, "page not found")

    def _update_service(self, request: Request, key: str) -> Response:
        """``POST /services/{id}/update``, in the order the daemon checks: the body, then
        the version (moby's router), the service and the rollback option (moby
        ``daemon/cluster/services.go``), then swarmkit's ``UpdateService``: the spec, a
        mode change or rename (in that order), a rollback without a previous spec, and last
        the version, in the store."""
        body = read_json(request, "swarm.ServiceSpec")
        version = parse_version(request.arg("version"), "service")
        name = self._find_service(key)
        service = self.cluster.services[name]
        if request.arg("rollback") not in (None, "", "none", "previous"):
            raise HttpError(500, f"unrecognized rollback option {request.arg('rollback')}")
        if request.arg("rollback") == "previous":
            if service.previous is None:
                raise HttpError(400, "rpc error: code = FailedPrecondition desc = service "
                                f"{self._service_id(name)} does not have a previous spec")
            self.versions.check(version, self._service_version(name)[0])
            try:
                self.cluster.rollback_service(name)
            except SwarmError as err:
                raise HttpError(400, str(err)) from None
            self.cluster.run(until=self.now)
            self.versions.write(("service", name), self._service_state(name), self.now)
        else:
            body = self._named(body)
            self._network_ids(body)
            spec = simulator_spec(body)
            self._check_references(body)
            if spec.mode != service.spec.mode:     # grpc Unimplemented: 501 (moby errdefs)
                raise HttpError(501, "rpc error: code = Unimplemented desc = service mode "
                                "change is not allowed")
            if spec.name != name:
                raise HttpError(501, "rpc error: code = Unimplemented desc = renaming "
                                "services is not supported")
            self.versions.check(version, self._service_version(name)[0])
            self._apply(spec, body)
        return Response.json(200, {"Warnings": None})

    def _named(self, body: Any) -> Any:
        """``body`` with a name where it has none: moby's ``ServiceSpecToGRPC`` (``daemon/
        cluster/convert/service.go``) draws one for a spec without, on create and on update
        alike, so an update that leaves the name out is refused as a rename."""
        if not isinstance(body, dict) or any(k.lower() == "name" and v for k, v in body.items()):
            return body
        return {**{k: v for k, v in body.items() if k.lower() != "name"},
                "Name": service_name(len(self.created), self.cluster.services)}

    def _check_references(self, body: dict[str, Any]) -> None:
        """swarmkit's ``checkSecretExistence`` and ``checkConfigExistence``, in the store
        transaction of ``CreateService`` and ``UpdateService``, before a name conflict, a
        rename or a mode change is found (InvalidArgument: 400). Simplified: swarmkit checks
        a published port's conflicts before them, here after them."""
        problem = missing_references(fold_fields(body), self.stored)
        if problem is not None:
            raise HttpError(400, f"rpc error: code = InvalidArgument desc = {problem}")

    def _apply(self, spec: ServiceSpec, sent: dict[str, Any]) -> None:
        try:
            service = self.cluster.apply_service(spec)
        except (SwarmError, ManifestError, ValueError) as err:
            # swarmkit's words without the simulator's hint; the simulator names a service
            # where swarmkit gives "'name' (ID)"
            said = err.message if isinstance(err, (SwarmError, ManifestError)) else str(err)
            message = re.sub(r"service '([^']+)' \(\1\)",
                             lambda m: f"service '{m[1]}' ({self._service_id(m[1])})", said)
            raise HttpError(400, f"rpc error: code = InvalidArgument desc = {message}") from None
        kept = [e for e in self.sent.get(spec.name, [])
                if e[0] is not service.spec][:4]
        self.sent[spec.name] = [(service.spec, sent), *kept]
        self.cluster.run(until=self.now)
        self.versions.write(("service", spec.name), self._service_state(spec.name), self.now)

    def _network_ids(self, sent: dict[str, Any]) -> None:
        """The networks a spec attaches to, by ID: a client may name them (``docker stack
        deploy`` does) and the daemon looks each up first (moby ``daemon/cluster/
        services.go``, ``populateNetworkID``: 404 ``network NAME not found``)."""
        if not isinstance(sent, dict):
            return             # simulator_spec refuses it
        template = next((v for k, v in sent.items() if k.lower() == "tasktemplate"), None)
        for holder in (sent, template if isinstance(template, dict) else {}):
            for entry in json_list(holder, next((k for k in holder if k.lower() == "networks"),
                                                "Networks")):
                key = next((k for k in entry if k.lower() == "target"), None) \
                    if isinstance(entry, dict) else None
                if key is None or not isinstance(entry[key], str):
                    continue
                network = self._find_network(entry[key])
                if network is None:
                    raise HttpError(404, f"network {entry[key]} not found")
                entry[key] = network["Id"]

    def _task_json(self, task, templates: dict[int, dict[str, Any]] | None = None
                   ) -> dict[str, Any]:
        """The task as the Engine API shows it; ``templates``: the ``Spec`` of each service
        spec met so far in one listing (every task of a service version shares its spec, and
        working one out costs more than the rest of the task)."""
        templates = {} if templates is None else templates
        if id(task.spec) not in templates:
            templates[id(task.spec)] = self._spec_json(task.service, task.spec)["TaskTemplate"]
        since = task.status_timestamp
        status: dict[str, Any] = {"Timestamp": self._stamp(since),
                                  "State": task.state.value.lower(), "Message": task.message}
        if task.err:
            status["Err"] = task.err
        if task.state == "RUNNING":
            status["ContainerStatus"] = {"ContainerID": object_id("container", task.id), "PID": 1}
            host = self.cluster.agent.ports.ports(task)
            if host:     # the node's own ports a running task holds (docker service ps PORTS)
                status["PortStatus"] = {"Ports": [port_json(p) for p in host]}
        out = {"ID": task.id, "Version": {"Index": self._task_version(task)},
               "CreatedAt": self._stamp(task.created),
               "UpdatedAt": self._stamp(since),
               "Spec": templates[id(task.spec)],
               "ServiceID": task.service_id, "Slot": task.slot,
               "Status": status, "DesiredState": task.desired_state.value.lower()}
        if task.node:
            out["NodeID"] = self._id("node", task.node)
        attachments = self._task_networks(task)
        if attachments:         # omitempty in moby's swarm.Task
            out["NetworksAttachments"] = attachments
        out.update(generic_json(task.assigned_generic))
        return out

    def _task_networks(self, task: Any) -> list[dict[str, Any]]:
        """moby's ``swarm.NetworkAttachment`` for each network the task joins: the network
        as swarm shows it and the address the task was given there (moby ``api/types/swarm/
        network.go``; swarmkit ``api/types.proto``, ``NetworkAttachment``)."""
        by_id = {network["Id"]: network for network in self.networks.values()}
        out = []
        for network_id in self._attached(task.spec, self._spec_json(task.service, task.spec)):
            if network_id not in by_id:
                continue
            addr = self.addresses.address(network_id, task.id)
            out.append({"Network": swarm_network(by_id[network_id]),
                        **({"Addresses": [addr]} if addr else {})})
        return out

    def _tasks(self, request: Request, rest: list[str]) -> Response:
        if request.method != "GET":
            raise HttpError(404, "page not found")
        self._settle_addresses()
        if rest[1:] == ["logs"] and len(rest) == 2:       # docker service logs TASK-ID
            return self._logs(request, "task", rest[0])
        if len(rest) > 1:
            raise HttpError(404, f"task {rest[0]} not found")
        if rest:
            return Response.json(200, self._task_json(self._find_task(rest[0])))
        filters = parse_filters(request.arg("filters"), (
            "name", "id", "label", "service", "node", "desired-state", "_up-to-date", "runtime"))
        services = {self._service_id(self._find_service(s))
                    for s in filters.get("service", [])}
        tasks = (self.cluster.tasks_by_service_ids(sorted(services)) if services   # the index
                 else self.cluster.tasks(history=True))    # what the store holds (_reap)
        nodes = {self._find_node(n) for n in filters.get("node", [])}
        desired = enum_filter(filters, "desired-state",
                                    tuple(s.value.lower() for s in TaskState))
        labels = filters.get("label", [])      # swarmkit matches the service's labels

        def labelled(task: Any) -> bool:
            found = self.cluster.service_of(task)
            return found is not None and all(
                label_matches(self._spec_json(found.name, found.spec)["Labels"], f)
                for f in labels)

        chosen = [t for t in tasks if (not services or t.service_id in services)
                  and prefixed(t.id, filters.get("id"))
                  and prefixed(f"{t.name}.{t.id}", filters.get("name"))
                  and (not nodes or t.node in nodes)
                  and (not desired or t.desired_state.value.lower() in desired)
                  and (not labels or labelled(t))]
        templates: dict[int, dict[str, Any]] = {}
        return Response.json(200, [self._task_json(t, templates) for t in chosen])
