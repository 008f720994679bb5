"""Tasks in Marathon's REST API: ``GET /v2/tasks`` (``?status=``), ``POST /v2/tasks/delete``,
``GET``/``DELETE /v2/apps/<id>/tasks[/<taskId>]`` (d2iq-archive/marathon
``src/main/scala/mesosphere/marathon/api/v2/TasksResource.scala``, ``AppTasksResource.scala``).

Both lists answer JSON alone (:func:`~clustersim.serve.marathonquery.json_acceptable`, which
the router applies to every JSON route): their
tab-separated ``text/plain`` form (``EndpointsHelper.appsToEndpointString``) became the
``text_plain_tasks`` deprecated feature in 1.10, off unless Marathon was started with
``--deprecated_features=text_plain_tasks``, and 1.11.0 hard-removed it
(``DeprecatedFeatures.scala``: ``softRemoveVersion`` 1.10.0, ``hardRemoveVersion`` 1.11.0),
so ``Accept: text/plain`` alone gets 406.

A mixin of :class:`~clustersim.serve.marathon.MarathonBackend`: it uses the backend's
``marathon``, ``cluster``, ``times``, ``_body`` and ``_change``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from clustersim.marathon import Deployment, Marathon
from clustersim.marathon.state import CheckRecord, Instance
from clustersim.mesos import MesosCluster
from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.marathonquery import flag, task_states
from clustersim.serve.marathonversions import MarathonTime

__all__ = ["MarathonTasks"]

_TASK_ID = re.compile("[^\n\r\x85\u2028\u2029]+[._][^_.]+")
"""What ``Task.Id.parse`` reads (d2iq-archive/marathon ``core/task/Task.scala``,
``^(.+)[\\._]([^_\\.]+)$`` matched whole, as Scala's ``Regex`` extractor does): a run spec's
safe path, then ``.`` or ``_`` and a last part without either. Its instance-era forms
(``<app>.instance-<uuid>.<container>``, with a resident task's ``.<attempt>``) are all of this
shape, so this, the pre-instance pattern, decides whether an id parses at all. Java's ``.``
matches no line terminator."""

_STATES = {"Running": "TASK_RUNNING", "Staging": "TASK_STAGING", "Starting": "TASK_STARTING",
           "Killing": "TASK_KILLING", "Unreachable": "TASK_UNREACHABLE"}


class MarathonTasks:
    """The task routes of Marathon's API."""

    marathon: Marathon
    cluster: MesosCluster
    times: MarathonTime

    def _body(self, request: Request) -> Any:
        raise NotImplementedError

    def _change(self, action: Callable[[], Deployment | None], *,
                created: bool = False) -> Response:
        raise NotImplementedError

    def _kill(self, request: Request, spec_id: str, task_id: str, force: bool) -> Response:
        """``DELETE /v2/apps/<id>/tasks[/<taskId>]`` (``AppTasksResource``): kill the app's
        tasks (those on ``host``, or one). Marathon then launches replacements; with
        ``scale=true`` it lowers the app's instance count by the number killed instead; with
        ``wipe=true`` it expunges their instances, reservations included, and launches new
        ones (both at once: 400). Simplified: the scale-down lets the framework's kill order
        choose, and the killed instances come first in it because they no longer run."""
        framework = self.marathon
        host = request.arg("host")
        tasks = [t for t in self._task_list(spec_id)
                 if (not task_id or t["id"] == task_id) and host in (None, "*", t["host"])]
        if task_id and not tasks:
            raise HttpError(404, f"Task '{task_id}' does not exist")
        self._kill_tasks(request, [t["id"] for t in tasks])
        if flag(request, "scale"):
            instances = framework.root.run_specs[spec_id].get("instances", 1)
            return self._change(lambda: framework.scale(
                spec_id, max(0, instances - len(tasks)), force=force))
        if task_id:
            return Response.json(200, {"task": tasks[0]})
        return Response.json(200, {"tasks": tasks})

    def _kill_tasks(self, request: Request, task_ids: list[str]) -> None:
        """Kill the tasks, or with ``?wipe=true`` wipe their instances; then let the
        simulator act on it."""
        wipe = flag(request, "wipe")
        if wipe and flag(request, "scale"):
            raise HttpError(400, "You cannot use scale and wipe at the same time.")
        for task_id in task_ids:
            if wipe:
                self.marathon.wipe(task_id)
            else:
                self.marathon.driver.kill_task(task_id)
        self.cluster.run(until=self.cluster.now)

    def _task_list(self, spec_id: str | None = None) -> list[dict[str, Any]]:
        out = []
        apps = self.marathon.apps
        for app_id, app in apps.items():
            if spec_id is not None and app_id != spec_id:
                continue
            for instance in app.instances.values():
                if instance.goal != "Running" or instance.state not in _STATES:
                    continue
                for task_id in instance.tasks or {instance.id: ""}:
                    task: dict[str, Any] = {
                        "id": task_id, "appId": app_id, "host": instance.hostname,
                        "slaveId": instance.agent_id,
                        "ports": [p for p in instance.host_ports if p is not None],
                        "servicePorts": list(app.service_ports),
                        "state": _STATES[instance.state],
                        "version": self.times.version(instance.version),
                        "stagedAt": self._instant(instance.staged_at),
                        "startedAt": self._instant(instance.running_since)}
                    if instance.ip:
                        task["ipAddresses"] = [{"ipAddress": instance.ip, "protocol": "IPv4"}]
                    if app.spec.health_checks:
                        task["healthCheckResults"] = self._health(instance,
                                                                  len(app.spec.health_checks))
                    out.append(task)
        return out

    def _health(self, instance: Instance, checks: int) -> list[dict[str, Any]]:
        """One ``Health`` per health check of the app (``docs/.../types/healthCheck.raml``,
        written by ``raml/HealthConversion.scala``), there from the start as
        ``HealthCheckManager.statuses`` gives them: ``alive``, ``consecutiveFailures``,
        ``instanceId`` and the instants of the first and last success and the last failure,
        each left out until it happened. Simplified: no ``lastFailureCause`` (a failing
        check here has no HTTP status or error to report)."""
        out = []
        for index in range(checks):
            record = instance.checks.get(index, CheckRecord())
            health = {"alive": record.alive,
                      "consecutiveFailures": instance.failures.get(index, 0),
                      "firstSuccess": self._instant(record.first_success),
                      "instanceId": instance.id,
                      "lastSuccess": self._instant(record.last_success),
                      "lastFailure": self._instant(record.last_failure)}
            out.append({k: v for k, v in health.items() if v is not None})
        return out

    def _tasks(self, request: Request, rest: str) -> Response:
        if request.method == "POST" and rest == "delete":
            return self._kill_given(request)
        states = task_states(request.query.get("status", []) + request.query.get("status[]", []))
        return Response.json(200, {"tasks": [t for t in self._task_list()
                                             if not states or t["state"] in states]})

    def _kill_given(self, request: Request) -> Response:
        """``POST /v2/tasks/delete`` with ``{"ids": [...]}`` (``TasksResource.killTasks``):
        an id that does not parse as a task id is refused, 400 (:func:`_parsed_task_id`),
        before anything is killed; kill the tasks that exist (unknown ids that parse are
        skipped) and answer them, or with
        ``scale=true`` lower each app's instance count by its killed tasks, in one
        deployment answered ``{version, deploymentId}``: made even when no id names a task,
        as ``TaskKiller.killAndScale`` updates the root group for an empty map too
        (d2iq-archive/marathon ``api/TaskKiller.scala``, ``api/v2/TasksResource.scala``).
        The simulator follows that Jersey ``TasksResource``, which Marathon serves through
        1.10. The akka-http rewrite, ``api/akkahttp/v2/TasksController.scala``, answers 400
        "No tasks to kill and scale." instead, but it lived only on master, from October 2017
        (d2iq-archive/marathon#5655) until #6074 dropped the akka-http controllers in March
        2018."""
        scale = flag(request, "scale")
        body = self._body(request)
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise HttpError(422, "Invalid JSON", details=[
                {"path": "/ids", "errors": ["error.path.missing" if ids is None
                                            else "error.expected.jsarray of task ids"]}])
        wanted = set(map(_parsed_task_id, dict.fromkeys(ids)))
        tasks = [t for t in self._task_list() if t["id"] in wanted]
        framework = self.marathon
        self._kill_tasks(request, [t["id"] for t in tasks])
        if not scale:
            return Response.json(200, {"tasks": tasks})
        killed: dict[str, int] = {}
        for task in tasks:
            killed[task["appId"]] = killed.get(task["appId"], 0) + 1
        updates = [{**framework.root.run_specs[i],
                    "instances": max(0, framework.root.run_specs[i].get("instances", 1) - n)}
                   for i, n in killed.items()]
        force = flag(request, "force")
        return self._change(lambda: framework.deploy(updates, force=force))

    def _instant(self, seconds: float | None) -> str | None:
        return None if seconds is None else self.times.instant(seconds)


def _parsed_task_id(task_id: str) -> str:
    """``task_id`` if it parses as a task id; else the 400 ``TasksResource.killTasks`` answers
    when ``Task.Id.parse`` fails, ``Invalid task id '<id>'.`` followed by the parser's
    ``MatchError`` message in brackets (``TasksResource.killTasks``, d2iq-archive/marathon
    ``api/v2/TasksResource.scala``: ``s"Invalid task id '$id'. [${e.getMessage}]"``). The
    bracket's first words are reconstructed: ``taskId <id> is no valid identifier`` is what
    ``Task.Id.runSpecId``, ``containerName`` and ``instanceId`` throw in every stored
    ``core/task/Task.scala``, but no stored version holds the ``parse`` of 1.10 (searched:
    "def parse(", "is no valid identifier", "Invalid task id" in every stored repository).
    Its end is Scala's: ``MatchError.getMessage`` is the object given and its class,
    ``(of class java.lang.String)`` (scala/scala ``src/library/scala/MatchError.scala``)."""
    if _TASK_ID.fullmatch(task_id):
        return task_id
    raise HttpError(400, f"Invalid task id '{task_id}'. "
                         f"[taskId {task_id} is no valid identifier (of class java.lang.String)]")
