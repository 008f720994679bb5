"""The swarm's control API: services and stacks created, updated, scaled, rolled back.

Upstream: moby/swarmkit ``manager/controlapi/service.go`` (``CreateService``,
``UpdateService``, ``RemoveService``: the spec is validated, stored with a new version,
and the orchestrator and updater take it from there) and docker/cli
``cli/command/stack/deploy`` (``docker stack deploy`` reads the Compose file with
:func:`clustersim.load_manifests` and creates or updates ``<stack>_<service>``).
``docker service ls``/``ps`` rows come from :meth:`ControlAPI.ls` and :meth:`ControlAPI.ps`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from clustersim.limits import check_replicas
from clustersim.manifests import ManifestError, load_manifests
from clustersim.manifests.compose_types import service_name
from clustersim.swarm.ages import state_age
from clustersim.swarm.constraints import parse_constraints
from clustersim.swarm.dispatcher import Dispatcher
from clustersim.swarm.errors import SwarmError
from clustersim.swarm.identity import service_id
from clustersim.swarm.spec import ServiceSpec, services_from_stack
from clustersim.swarm.store import Service
from clustersim.swarm.tasks import TaskState
from clustersim.swarm.updates import Updater

_STACK_NAME = re.compile(r"[^\s\"']")
"""A character that is neither a space nor a quote: docker/cli's ``validateStackName``
(``cli/command/stack/deploy.go``) refuses a name without one."""


class ControlAPI(Dispatcher):
    """Services and stacks (a part of :class:`~clustersim.swarm.SwarmCluster`)."""

    def deploy_stack(self, name: str, source: Any, *,
                     environment: dict[str, str] | None = None) -> list[Service]:
        """``docker stack deploy``: create or update every service of a Compose/stack file.

        ``source`` is a path, YAML text or a dict (as :func:`clustersim.load_manifests`
        takes); ``environment`` gives the variables the file uses (``${TAG}``). Services are
        named ``<name>_<service>``. Bad input raises ``ManifestError``; without a Raft leader
        the swarm refuses (``NoLeaderError``).
        """
        self._require_leader()
        if not isinstance(name, str) or not _STACK_NAME.search(name):
            # docker/cli validateStackName: a name of nothing but spaces and quotes
            raise SwarmError(f"invalid stack name: {name!r}")
        label = str(source) if isinstance(source, Path) else None
        stacks = [s for s in load_manifests(source, name=label or f"stack {name}",
                                            environment=environment)
                  if s.system == "swarm"]
        if not stacks:
            raise ManifestError("no Compose/stack document found", source=label or f"stack {name}",
                                expected="a Compose file with a top-level 'services' mapping")
        specs = [spec for stack in stacks for spec in services_from_stack(name, stack)]
        for spec in specs:
            problem = service_name(spec.name)   # swarmkit's validateAnnotations, as served
            if problem:
                raise SwarmError(f"the service {spec.name[:80]!r} cannot be created: {problem} "
                                 "(a stack name of letters, digits, '-' and '_', such as shop, "
                                 "names its services <stack>_<service>)")
            existing = self.services.get(spec.name)
            if existing is not None and existing.spec.mode != spec.mode:
                raise SwarmError(f"{spec.name}: service mode change is not allowed "
                                 f"({existing.spec.mode} → {spec.mode}); remove the service "
                                 "first")
        claimed: dict[tuple[str, int], str] = {}   # the ingress ports of the services before
        specs = [self.mesh.assign_ports(spec, getattr(self.services.get(spec.name), "spec", None),
                                        claimed) for spec in specs]
        return [self._apply(spec) for spec in specs]

    def apply_service(self, spec: ServiceSpec) -> Service:
        """``docker service create`` or ``update`` with a whole :class:`ServiceSpec`, as the
        Engine API's ``POST /services/create`` and ``/services/<id>/update`` carry it
        (:mod:`clustersim.serve.docker`); a stack's services go through :meth:`deploy_stack`."""
        self._require_leader()
        existing = self.services.get(spec.name)
        if existing is not None and existing.spec.mode != spec.mode:
            raise SwarmError(f"{spec.name}: service mode change is not allowed "
                             f"({existing.spec.mode} → {spec.mode}); remove the service first")
        return self._apply(self.mesh.assign_ports(spec, getattr(existing, "spec", None)))

    def _apply(self, spec: ServiceSpec) -> Service:
        service = self.services.get(spec.name)
        self.mesh.publish(spec)
        if not self.mesh.allocated(spec.name):     # the manager logs it; no task shows it
            self.record(f"service/{spec.name}", "AllocationFailed",
                        f"{self.mesh.unallocated[spec.name]}: its tasks stay NEW", "Warning")
        if service is None:
            service = Service(spec.name, spec, service_id(spec.name, self._created[spec.name]))
            self._created[spec.name] += 1
            self.services[spec.name] = service
            self.record(f"service/{spec.name}", "ServiceCreate",
                        f"{spec.mode} service created from image {spec.image or '(none)'}")
            self.orchestrator.reconcile(service)
            return service
        # swarmkit's UpdateService stores every update, one that changes nothing too: the
        # service takes a new version, its PreviousSpec is the spec it had, its update
        # status is reset, and the store's watch publishes it (moby ``daemon/events.go``,
        # ``logServiceEvent``: a ``service update``); the updater finds no task to replace
        # (``manager/orchestrator/update/updater.go``: no dirty slot). ``--force`` raises
        # the task template's ForceUpdate instead, which replaces every task.
        rolling = spec.task_spec() != service.spec.task_spec()
        service.previous, service.spec = service.spec, spec
        service.version += 1
        # swarmkit's controlapi UpdateService resets the update status of any update that
        # is not a rollback; an updater that starts sets it again
        service.update_state = service.update_message = ""
        service.update_started_at = service.update_completed_at = None
        self.record(f"service/{spec.name}", "ServiceUpdate", f"spec version {service.version}")
        self.orchestrator.reconcile(service)
        self.allocate_waiting(service)
        if rolling:
            self._start_updater(service, rollback=False)
        return service

    def _start_updater(self, service: Service, *, rollback: bool, message: str = "") -> None:
        if service.updater is not None:
            service.updater.cancel()
        service.updater = Updater(self, service, rollback=rollback, message=message)

    def update_finished(self, service: Service, updater: Updater) -> None:
        if service.updater is updater:
            service.updater = None

    def start_rollback(self, service: Service, message: str, *, manual: bool = False) -> None:
        """Roll the service back to its previous spec with its ``rollback_config``. A manual
        rollback swaps the two specs (a second one rolls forward again); an automatic one
        forgets the failed spec (swarmkit ``controlapi.UpdateService`` and the updater's
        ``rollbackUpdate``)."""
        if service.previous is None:
            raise SwarmError(f"service {service.name} does not have a previous spec")
        failed = service.spec
        service.spec = service.previous
        service.previous = failed if manual else None
        service.version += 1
        if manual:      # UpdateService's new status; rollbackUpdate keeps the update's start
            service.update_started_at, service.update_completed_at = self.clock.now, None
        self._start_updater(service, rollback=True, message=message)
        self.orchestrator.reconcile(service)    # ROLLBACK_STARTED: it refills dead slots

    def update_service(self, name: str, *, image: str | None = None, replicas: int | None = None,
                       constraints: list[str] | None = None) -> Service:
        """``docker service update``: change the image, replica count or constraints."""
        self._require_leader()
        service = self._service(name)
        changes: dict[str, Any] = {}
        if image is not None:
            changes["image"] = image
        if replicas is not None:
            if service.spec.mode == "global":
                raise SwarmError(f"{name}: replicas can only be used with replicated mode")
            if not isinstance(replicas, int) or replicas < 0:
                raise SwarmError(f"{name}: replicas must be a whole number ≥ 0, got {replicas!r}")
            check_replicas(replicas, f"{name}: replicas")
            changes["replicas"] = replicas
        if constraints is not None:
            changes["constraints"] = tuple(parse_constraints(constraints))
        return self._apply(service.spec.with_changes(**changes))

    def scale(self, name: str, replicas: int) -> Service:
        """``docker service scale name=replicas``."""
        return self.update_service(name, replicas=replicas)

    def rollback_service(self, name: str) -> Service:
        """``docker service rollback``: back to the previous spec."""
        self._require_leader()
        service = self._service(name)
        self.start_rollback(service, "manually requested rollback", manual=True)
        return service

    def remove_stack(self, name: str) -> None:
        """``docker stack rm``: remove the stack's services and shut down their tasks."""
        self._require_leader()
        for service in [s for s in self.services.values() if s.spec.stack == name]:
            self.remove_service(service.name)

    def remove_service(self, name: str) -> None:
        """``docker service rm``: remove one service and mark every task of it REMOVE
        (swarmkit's orchestrator, ``SetServiceTasksRemove``): the agents stop the running
        ones and the task reaper deletes each once it has ended (:meth:`_reap`)."""
        self._require_leader()
        service = self._service(name)
        if service.updater is not None:
            service.updater.cancel()
        del self.services[service.name]
        self.orchestrator.forget(service.id)
        self.mesh.release(service.name)
        for task in self._index.of_service(service.id):
            self.shut_down(task, TaskState.REMOVE)
        self.record(f"service/{service.name}", "ServiceRemove", "service removed")

    def ls(self) -> list[dict[str, str]]:
        """Rows like ``docker service ls``: name, mode, replicas (running/desired), image,
        ports."""
        rows = []
        for service in self.services.values():
            spec = service.spec
            running = sum(1 for t in self.tasks(service.name) if t.state == TaskState.RUNNING)
            if spec.mode == "global":
                desired = sum(1 for name in self._nodes
                              if self.orchestrator.node_valid_for_global(service, name))
            else:
                desired = spec.replicas
            ports = ", ".join(f"*:{p.published}->{p.target}/{p.protocol}" for p in spec.ports
                              if p.mode == "ingress")
            rows.append({"name": service.name, "mode": spec.mode,
                         "replicas": f"{running}/{desired}", "image": spec.image,
                         "ports": ports})
        return rows

    def ps(self, service: str | None = None) -> list[dict[str, str]]:
        """Rows like ``docker service ps`` (every task, newest first per slot): id, name,
        image, node, desired state, current state, error."""
        rows = []
        for task in sorted(self.tasks(service, history=True),
                           key=lambda t: (t.service, t.name, -t.created)):
            since = self.clock.now - task.status_timestamp
            rows.append({"id": task.id[:12], "name": task.name, "image": task.spec.image,
                         "node": task.node or "", "desired": task.desired_state.value.title(),
                         "current": state_age(task.state.value.title(), since),
                         "error": task.err})
        return rows
