"""The launch queue and the offer matcher: scheduled instances meet Mesos offers.

Upstream: d2iq-archive/marathon ``core/launchqueue/`` (instances to launch wait as
*scheduled* instances; ``GET /v2/queue`` shows them with the last offers' rejection
reasons) and ``core/matcher/``, ``mesos/RunSpecOfferMatcher.scala`` (each offer is
matched against, for a resident app, the agent of its reservation, then cpus/mem/gpus/disk,
accepted resource roles and constraints, and last host ports; an offer that does not fit
keeps every reason, :meth:`LaunchQueue._mismatch`; apps are tried in a seeded random order, at
most ``max_instances_per_offer`` instances per offer). Unused offers
are declined for ``decline_offer_duration``; new work revives offers. A pod launches
as a task group with its executor's resources (``executorResources``) apart; simplified: the
host ports of all its endpoints go with the first container's task.
"""

from __future__ import annotations

from typing import Any

from clustersim.manifests.units import pod_container_resources
from clustersim.marathon.conditions import changed_message, condition_name
from clustersim.marathon.constraints import NumberFormatError, constraint_accepts
from clustersim.marathon.health import HealthChecking
from clustersim.marathon.pathid import PathId
from clustersim.marathon.ports import host_port_requests, host_ports_from
from clustersim.marathon.state import (
    SCHEDULED,
    STAGING,
    App,
    Instance,
    OfferStats,
    UnusedOffer,
)
from clustersim.mesos import LaunchGroup, Resources, TaskInfo

SCALAR_REASONS = (("cpus", "InsufficientCpus"), ("mem", "InsufficientMemory"),
                  ("gpus", "InsufficientGpus"), ("disk", "InsufficientDisk"))
"""The scalar resources ``ResourceMatcher.matchResources`` matches, in its order (CPUs,
memory, GPUs, then the disk), each with the ``NoOfferMatchReason`` it gives when the offer
has too little (``NoOfferMatchReason.fromResourceType``)."""

PUBLIC_ROLE = "slave_public"
"""The role of a DC/OS public agent's reserved resources (agents with ``public_ip: true``)."""


def offer_role(offer: Any) -> str:
    """The role of an offer's resources: :data:`PUBLIC_ROLE` on a public agent, else ``*``."""
    return PUBLIC_ROLE if str(offer.attributes.get("public_ip", "")).lower() == "true" else "*"


class LaunchQueue(HealthChecking):
    """Offers matched and instances launched (a part of
    :class:`~clustersim.marathon.framework.Marathon`)."""

    def _become(self, instance: Instance, state: str) -> None:
        """Move ``instance`` to ``state``, with an ``instance_changed_event`` if that changes
        its condition (:mod:`~clustersim.marathon.conditions`)."""
        if instance.state != state:
            instance.state = state
            self._condition_changed(instance, condition_name(state))

    def _condition_changed(self, instance: Instance, condition: str) -> None:
        """Post the ``instance_changed_event`` of ``instance`` now in ``condition``."""
        self._record("instance", instance.id, "instance_changed_event",
                     changed_message(instance, condition))

    def _forget_tasks(self, instance: Instance) -> None:
        """Drop ``instance``'s tasks from the index of the tasks Marathon knows
        (``_task_index``), when a new attempt replaces them or the instance leaves: Marathon
        keeps a task only inside its instance (``core/instance/Instance.scala``; the
        instance tracker forgets an expunged instance with its tasks), and a status update
        for a task it no longer knows is killed if it is not terminal
        (``core/task/update/impl/TaskStatusUpdateProcessorImpl.scala``, ``killUnknownTask``),
        so it needs no record of past tasks; the simulator kept every task's entry, one more
        at each launch, the growth tracemalloc found in the restart loop of
        ``benchmarks/swarm_restart_loop.py --in-process --system mesos`` once its event logs
        were held small."""
        for task_id in instance.tasks:
            self._task_index.pop(task_id, None)

    def _expunge(self, app: App, instance: Instance) -> None:
        """Forget ``instance`` and its tasks (the instance tracker's expunge)."""
        self._forget_tasks(instance)
        app.instances.pop(instance.id, None)

    def _revive(self) -> None:
        if self.driver:
            self.driver.revive()

    def resource_offers(self, offers: list[Any]) -> None:
        waiting = [app for app in self.apps.values()
                   if any(i.state == SCHEDULED for i in app.instances.values())]
        self._end_launch_attempts({app.spec.id for app in waiting})
        for offer in offers:
            operations = self._match(offer, waiting) if waiting else []
            if operations:
                self.driver.accept([offer.id], operations)
            else:
                self.driver.decline([offer.id], self.decline_offer_duration)

    def _match(self, offer: Any, waiting: list[App]) -> list[Any]:
        role = offer_role(offer)
        remaining = offer.resources
        place = {"hostname": offer.hostname, "attributes": dict(offer.attributes),
                 "domain": offer.domain}
        operations: list[Any] = []
        order = list(waiting)
        self.driver.random.shuffle(order)
        for app in order:
            if app.backoff.waiting(self.now):
                continue
            scheduled = [i for i in app.instances.values() if i.state == SCHEDULED]
            for launched, instance in enumerate(scheduled):     # launched before this one
                if len(operations) >= self.max_instances_per_offer:
                    return operations
                need = Resources(cpus=app.spec.cpus, mem=app.spec.mem, gpus=app.spec.gpus,
                                 disk=app.spec.disk + app.spec.persistent_disk)
                try:
                    reasons = self._mismatch(app, instance, offer, role, remaining, need,
                                             place)
                except NumberFormatError as err:    # the app's launcher dies: no match
                    self._count(app.spec.id, f"java.lang.NumberFormatException: {err.java}")
                    break
                ports = None if reasons else host_ports_from(
                    host_port_requests(app.spec, app.service_ports), remaining.ports,
                    self.driver.random)
                if reasons or ports is None:
                    self._reject(app, UnusedOffer(offer, reasons or ("InsufficientPorts",),
                                                  self.now), launched == 0)
                    break
                taken = Resources(ports=[(p, p) for p in ports if p])
                remaining = remaining - need - taken
                if not launched:
                    self._attempt(app.spec.id).used(self.now)
                operations.append(self._launch(app, instance, offer, need + taken, ports))
        return operations

    def _reject(self, app: App, rejected: UnusedOffer, unused: bool) -> None:
        """Count the offer against the app under its funnel's reason
        (:attr:`~clustersim.marathon.state.UnusedOffer.reason`); ``unused``: the offer
        launched none of its instances, a declined offer of its launch attempt."""
        self._count(app.spec.id, rejected.reason)
        if unused:
            self._attempt(app.spec.id).declined(rejected)

    def _count(self, spec_id: str, reason: str) -> None:
        """Count an offer the app did not take under ``reason`` (:meth:`queue`'s
        ``rejections``). An offer on which the app's launcher died (an app's ``MAX_PER``
        without a value, :class:`~clustersim.marathon.constraints.NumberFormatError`) is
        counted under the exception Marathon logs, and nowhere else: the launcher died before
        its offer statistics (``GET /v2/queue``'s ``processedOffersSummary``) saw it."""
        counts = self._rejections.setdefault(spec_id, {})
        counts[reason] = counts.get(reason, 0) + 1

    def _attempt(self, spec_id: str) -> OfferStats:
        """The offer statistics of an app's launch attempt, begun now if none is running."""
        return self._offer_stats.setdefault(spec_id, OfferStats())

    def launch_attempt(self, spec_id: str) -> OfferStats:
        """What the offers of an app's launch attempt came to (``GET /v2/queue``'s
        ``processedOffersSummary``); none yet for an attempt that no offer reached."""
        return self._offer_stats.get(spec_id) or OfferStats()

    def _end_launch_attempts(self, waiting: set[str]) -> None:
        """Forget the statistics of the apps that no longer wait for offers
        (``LaunchFinished``): their next launch attempt starts afresh. Simplified: this
        happens at the next round of offers; Marathon ends the attempt when its last
        instance is launched or the app stops waiting."""
        for spec_id in set(self._offer_stats) - waiting:
            del self._offer_stats[spec_id]

    def _mismatch(self, app: App, instance: Instance, offer: Any, role: str,
                  remaining: Resources, need: Resources,
                  place: dict[str, Any]) -> tuple[str, ...]:
        """Every reason this offer cannot take the instance, as ``NoOfferMatchReason`` names
        them and in the order Marathon finds them; none when it can (the host ports, matched
        after, are left to the caller). d2iq-archive/marathon: an instance whose reservation
        is on another agent gets ``NoCorrespondingReservationFound`` alone, the offer's
        resources unread (``core/launcher/impl/InstanceOpFactoryImpl.scala``'s resident
        path); otherwise ``src/main/scala/mesosphere/mesos/ResourceMatcher.scala``'s
        ``matchResources`` lists each needed scalar the offer lacks
        (:data:`SCALAR_REASONS`, counting only resources of an accepted role, so none when
        the role is not), then ``UnfulfilledRole``, then ``UnfulfilledConstraint``."""
        spec = app.spec
        if instance.reservation not in (None, offer.agent_id):
            return ("NoCorrespondingReservationFound",)
        accepted = role in spec.accepted_roles
        reasons = [reason for name, reason in SCALAR_REASONS
                   if need.get(name) > (remaining.get(name) if accepted else 0)]
        if not accepted:
            reasons.append("UnfulfilledRole")
        placed = [i.place() for i in app.instances.values() if i.placed]
        if not all(constraint_accepts(c, place, placed, spec.instances)
                   for c in spec.constraints):
            reasons.append("UnfulfilledConstraint")
        return tuple(reasons)

    def queue(self) -> list[dict[str, Any]]:
        """The launch queue (``GET /v2/queue``): per app the instances waiting to launch,
        since when the longest-waiting of them waits (``LaunchStats.getStatistics``'
        ``startedAt``: the earliest time one of them entered the queue, whether or not an
        offer came since), the backoff delay still to run and how often offers were turned
        down, by reason (the offers of its launch attempt: :meth:`launch_attempt`)."""
        rows = []
        for spec_id, app in self.apps.items():
            waiting = [i for i in app.instances.values() if i.state == SCHEDULED]
            if waiting:
                rows.append({"id": spec_id, "count": len(waiting),
                             "since": min(i.scheduled_at for i in waiting),
                             "delay": app.backoff.left(self.now),
                             "rejections": dict(self._rejections.get(spec_id, {}))})
        return rows

    def _launch(self, app: App, instance: Instance, offer: Any, resources: Resources,
                ports: list[int | None]) -> Any:
        spec = app.spec
        instance.attempt += 1
        instance.agent_id = offer.agent_id
        instance.hostname = offer.hostname
        instance.attributes, instance.domain = dict(offer.attributes), offer.domain
        instance.host_ports, instance.healthy, instance.failures = ports, None, {}
        instance.checks = {}        # a new task: its health is checked afresh
        instance.ever_healthy, instance.running_since, instance.ready = False, None, False
        instance.staged_at = self.now
        if spec.resident:
            instance.reservation = offer.agent_id
        if spec.network == "container":   # DC/OS overlay network 9.0.0.0/8
            number = next(self._container_ips)
            instance.ip = f"9.0.{number // 250 % 250}.{number % 250 + 1}"
        discovery = {
            "ports": [{"number": p, "name": s.name, "protocol": s.protocol,
                       "container_port": s.container_port}
                      for p, s in zip(ports, spec.ports, strict=True)],
            "ip": instance.ip, "service_ports": list(app.service_ports),
            "instance": instance.id, "version": instance.version,
        }
        name = PathId(spec.id).to_hostname()
        if spec.kind == "Pod":
            parts = []
            for index, container in enumerate(spec.containers):
                own = Resources(**pod_container_resources(container))
                parts.append((f"{instance.id}.{container.get('name', index)}.{instance.attempt}",
                              str(container.get("name", name)), own))
            rest = resources
            for _, _, own in parts:
                rest = rest - own
            endpoints = Resources(**dict(rest.ranges))     # the endpoints' host ports
            tasks = [TaskInfo(task_id, name=task_name,
                              resources=own + endpoints if index == 0 else own,
                              startup_seconds=self.task_startup_seconds, owner=spec.id,
                              data=discovery, stop_seconds=self.task_stop_seconds,
                              kill_grace_seconds=spec.kill_grace[index])
                     for index, (task_id, task_name, own) in enumerate(parts)]
            operation: Any = LaunchGroup(tasks, executor=rest - endpoints)
        else:
            tasks = [TaskInfo(f"{instance.id}._app.{instance.attempt}", name=name,
                              resources=resources, startup_seconds=self.task_startup_seconds,
                              owner=spec.id, data=discovery, stop_seconds=self.task_stop_seconds,
                              kill_grace_seconds=spec.kill_grace[0])]
            operation = tasks[0]
        self._forget_tasks(instance)              # the last attempt's, all terminal
        instance.tasks = {t.task_id: "TASK_STAGING" for t in tasks}
        instance.addresses = {}
        for task in tasks:
            self._task_index[task.task_id] = (spec.id, instance.id)
        self._become(instance, STAGING)
        return operation
