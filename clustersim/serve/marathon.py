"""Marathon's REST API v2 over the simulated :class:`~clustersim.marathon.Marathon` framework
on a :class:`~clustersim.mesos.MesosCluster`, for the ``marathon`` Python client and curl.

Paths, answers and status codes follow Marathon 1.x's API reference
(d2iq-archive/marathon ``docs/docs/rest-api/public/api/v2/*.raml`` and
https://mesosphere.github.io/marathon/api-console/index.html): ``POST /v2/apps`` answers 201
with the app, 409 ``An app with id [/x] already exists.``; changes (``PUT``/``PATCH`` of an
app or of a list of apps, ``DELETE``, ``restart``, groups) answer
``{"version", "deploymentId"}``, a pod's ``POST`` and ``PUT`` the pod as Marathon writes it
(a ``PUT`` whose body names another pod answers 400 ``'/p' does not match definition's id
('q')``, ``PodsResource.update``, where an app's takes the path's id over the body's,
``canonicalAppUpdateFromJson``) and its ``DELETE`` 202 with no body and the deployment in
``Location`` (``PodsResource.remove``), and every change names its deployment in the
``Marathon-Deployment-Id`` header; a change to an app that running deployments hold answers
409 ``App is locked by one or more deployments...`` naming them, unless ``?force=true``
(``DELETE /v2/apps/<id>`` is forced unless ``?force=false``: ``AppsResource.delete``);
errors are ``{"message": ...}``; a body that is no JSON answers 400 in Jackson's words
(:mod:`.marathonjson`); the served Marathon runs with no optional features (``/v2/info``'s
``features``), so secrets are refused as Marathon refuses them without a secret-store plugin
(:data:`.marathonraml.FEATURES`); an invalid definition answers 422 ``Invalid JSON`` with Play
JSON's error keys when the RAML reader refuses it, ``Object is not valid`` with Marathon's
messages when its validation does (:mod:`.marathonraml`), each with ``details`` naming the
field (:mod:`.marathonquery`). Groups are :mod:`.marathongroups`,
tasks :mod:`.marathontasks`, the launch queue :mod:`.marathonqueue`,
the event stream ``/v2/events`` and ``/metrics`` :mod:`.marathonmonitor`, ``/v2/info``
and ``/v2/plugins`` :mod:`.marathoninfo`.

Versions are the wall-clock times of the changes that made them (:mod:`.marathonversions`),
each app keeps its versions (``GET /v2/apps/<id>/versions``, newest first, and
``/versions/<version>``: that definition), and ``PUT /v2/apps/<id>`` with ``{"version": v}``
rolls the app back to version *v* in a new deployment, which gives it a new version
(``AppsResource.updateOrCreate``'s rollback). An app's create (``POST /v2/apps``), replace
(``PUT /v2/apps/<id>``, a rollback included) and patch (``PATCH /v2/apps/<id>``) post an
``api_post_event`` on the event bus with the client's address, the request's path and the
app's new definition (``AppsResource.maybePostEvent``); changes of several apps at once
(``PUT``/``PATCH /v2/apps``), deletes, restarts and groups post none. A pod's create, replace
and delete post ``pod_created_event``, ``pod_updated_event`` (a ``PUT`` that creates the pod
too) and ``pod_deleted_event`` with the client's address and the request's path
(``PodsResource``, ``PodEvent`` in ``core/event/Events.scala``).
Jetty picks the servlet first, by the path made canonical (a ``..`` above the root is its
400 ``Bad URI``; :func:`.marathonroutes.servlet_path`). Jersey then decides three things
before a resource's method runs, checked once in :meth:`MarathonBackend.handle`: the route
(a path no resource takes answers 404 ``URI not found``) and the method (405 ``Method Not
Allowed``; ``OPTIONS`` Jersey answers itself, :func:`.marathonroutes.options`),
:mod:`.marathonroutes`, then the ``Content-Type`` (one it cannot parse, on any method, is
its empty 400, :func:`.marathonquery.content_type_readable`), then the ``Accept`` (the
same, :func:`.marathonquery.accepted`): every ``/v2`` resource produces JSON alone (``@Produces``
of ``application/json``, the task lists too since 1.11), so a request whose ``Accept``
admits no JSON answers 406 before it does anything (:func:`.marathonquery.json_acceptable`);
a plugin's own paths (``/v2/plugins/<id>/...``) produce what the plugin writes, ``/ping``
what the ``Accept`` prefers.

Simplified (what Marathon does instead): no authentication; a group's version is the
latest change's and ``GET /v2/groups/<id>/versions`` lists only it (Marathon keeps each).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from clustersim.manifests.marathon_fields import APP_FIELDS
from clustersim.manifests.units import pod_container_resources, pod_executor_resources
from clustersim.marathon import Deployment, Marathon
from clustersim.marathon.dcos import dcos_cluster
from clustersim.marathon.framework import AppLockedError
from clustersim.marathon.pathid import PathId
from clustersim.marathon.runspec import RunSpec
from clustersim.marathon.state import AppVersion
from clustersim.marathon.taskfailures import TaskFailure
from clustersim.mesos import MesosCluster
from clustersim.serve.core import ClusterTime, HttpError, Request, Response, WallClock
from clustersim.serve.marathongroups import MarathonGroups
from clustersim.serve.marathoninfo import leader_host_port, marathon_info, marathon_plugins
from clustersim.serve.marathonjson import number, read_json
from clustersim.serve.marathonmonitor import (
    EventBus,
    deployment_plan,
    event_stream,
    metrics,
    plan_action,
    pong,
)
from clustersim.serve.marathonquery import (
    HeaderValueError,
    accepted,
    app_embeds,
    content_type_readable,
    definition,
    flag,
    invalid,
    json_acceptable,
    json_consumable,
    label_selector,
)
from clustersim.serve.marathonqueue import MarathonQueue
from clustersim.serve.marathonraml import check_app, check_apps, check_pod
from clustersim.serve.marathonroutes import (
    bad_uri,
    method_not_allowed,
    options,
    path_param,
    resource_method,
    servlet_path,
)
from clustersim.serve.marathonstats import task_counts, task_stats
from clustersim.serve.marathontasks import MarathonTasks
from clustersim.serve.marathonversions import MarathonTime

__all__ = ["MarathonBackend", "default_framework"]

DEPLOYMENT_HEADER = "Marathon-Deployment-Id"
"""The header naming the deployment a change started (``RestResource.DeploymentHeader``,
set by ``deploymentResult`` and by the creation of an app or a pod)."""
_APP_KEYS = tuple(key for key in APP_FIELDS if key not in ("ports", "version", "versionInfo"))
"""The app fields Marathon returns (and the ``marathon`` client's ``MarathonApp`` reads): the
RAML app's fields but the deprecated ``ports``, read into ``portDefinitions``, and the two
versions, written from the stored version."""


_POD_INSTANCE = {"Scheduled": "PENDING", "Reserved": "PENDING", "Staging": "STAGING",
                 "Starting": "STAGING", "Running": "STABLE", "Unreachable": "DEGRADED",
                 "UnreachableInactive": "DEGRADED"}
"""Instance condition → ``PodInstanceState`` of ``/v2/pods/<id>::status``
(``podInstanceState`` in d2iq-archive/marathon
``src/main/scala/mesosphere/marathon/raml/PodStatusConversion.scala``; a running instance
with an unhealthy container is DEGRADED, any other condition TERMINAL)."""


def default_framework(nodes: int, seed: int = 0) -> MesosCluster:
    """A DC/OS-like Mesos cluster of ``nodes`` private agents with Marathon registered."""
    cluster = dcos_cluster(private=nodes, public=0, seed=seed)
    cluster.register(Marathon())
    return cluster


class MarathonBackend(MarathonGroups, MarathonTasks, MarathonQueue, ClusterTime):
    """Marathon's API over the first :class:`Marathon` framework registered on ``cluster``;
    ``epoch`` as in :class:`~clustersim.serve.core.WallClock`."""

    system = "marathon"

    def __init__(self, cluster: MesosCluster, *, epoch: float | None = None) -> None:
        self.cluster = cluster
        found = [f for f in cluster.frameworks if isinstance(f, Marathon)]
        self.marathon = found[0] if found else Marathon()
        if not found:
            cluster.register(self.marathon)
        self.clock = WallClock(lambda: self.now, epoch)
        self.times = MarathonTime(self.marathon, self.clock)
        self.bus = EventBus(self.marathon, cluster)
        """The framework's events for the event stream, the payload of each the REST API
        posted itself (:meth:`_post_event`: ``api_post_event``, ``pod_created_event``, ...),
        and the bound on the event logs of a cluster served for hours."""

    def instructions(self, url: str) -> str:
        return (f"Marathon REST API (simulated) at {url}\n"
                f"  curl {url}/v2/apps\n"
                f"  python: marathon.MarathonClient('{url}')\n"
                "  (the client 0.13.0 needs a one-line fix on Python 3.10+ and reads no\n"
                "  groups: see the README)\n"
                "  health checks always pass and images always pull: book/toy-to-real.md")

    def error(self, err: HttpError) -> Response:
        if isinstance(err, HeaderValueError):       # Jersey's own 400, no entity
            return Response(400, b"", "")
        body: dict[str, Any] = {"message": err.message}
        body.update(err.details)
        return Response.json(err.status, body)

    # ---- routing ---------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        self.clock.begin()
        path = request.path.rstrip("/") or "/"
        target = servlet_path(request.path)      # Jetty's servlet mapping, marathonroutes
        if target is None:
            return bad_uri()
        if target == "/v2/events":               # a servlet of its own, not Jersey's
            return event_stream(self.marathon, request, self.times, self.bus)
        # Jersey's route, then its method (405), then what it produces (406): marathonroutes
        route = resource_method(request.path, request.method)
        content_type_readable(request)  # as Jersey picks the method: the Content-Type,
        if route.consumes_json and request.method != "OPTIONS":
            json_consumable(request)    # what the method consumes (415),
        accepted(request)               # then the Accept
        if request.method == "OPTIONS":
            return options(route, request)
        if route.json:
            json_acceptable(request)
        if request.method == "HEAD":     # Jersey answers HEAD as GET, without the body
            request.method = "GET"
        if path == "/ping":
            return pong(request)
        if path == "/metrics":
            return metrics(self.marathon)
        section, _, rest = path[len("/v2/"):].partition("/")
        handler = {"apps": self._apps, "groups": self._groups, "tasks": self._tasks,
                   "deployments": self._deployments, "queue": self._queue, "info": self._info,
                   "leader": self._leader, "pods": self._pods,
                   "plugins": lambda request, rest: marathon_plugins(rest),
                   }[section]
        return handler(request, rest)

    def _body(self, request: Request) -> Any:
        """The request's JSON body as Marathon reads it (:mod:`.marathonjson`)."""
        return read_json(request)

    def _new_spec(self, request: Request, exists: str, check=None,
                  validate=None) -> tuple[dict[str, Any], str]:
        """A POSTed app or pod and its absolute id, once ``check`` (the app's reader and
        validation, :mod:`.marathonraml`) passes, then its id is read, then ``validate``
        (a pod's, :func:`_check_pod`) passes; 409 (``exists`` formatted with the id) only
        after all that, when the id is taken (``PodsResource.create`` reads and validates
        the pod before ``podSystem.create`` finds the conflict). A body that is no object,
        or has no string ``id``, fails the RAML type's JSON reader: 422 ``Invalid JSON``
        with Play JSON's error keys (``MarathonExceptionMapperTest``: ``{"id": 123}`` gives
        ``error.expected.jsstring``)."""
        body = self._body(request)
        if not isinstance(body, dict):
            raise HttpError(422, "Invalid JSON", details=[
                {"path": "/", "errors": ["error.expected.jsobject"]}])
        if check is not None:
            check(body)
        spec_id = _named_id(body)
        if validate is not None:
            validate(body)
        if spec_id in self.marathon.root.run_specs:
            raise HttpError(409, exists.format(spec_id))
        return body, spec_id

    def _change(self, action, *, created: bool = False, each_app: bool = False,
                spec_path: Callable[[str], str] | None = None) -> Response:
        """Run a change on the framework; answer Marathon's ``{version, deploymentId}``
        (``each_app``: a refusal is named as :func:`invalid` names a list's; ``spec_path``:
        where the body holds an app or pod, for a refusal of it)."""
        try:
            deployment = action()
        except AppLockedError as err:
            raise HttpError(409, "App is locked by one or more deployments. Override with "
                            "the option '?force=true'. View details at "
                            "'/v2/deployments/<DEPLOYMENT_ID>'.",
                            deployments=[{"id": i} for i in err.deployment_ids]) from None
        except ValueError as err:
            raise invalid(err, each_app=each_app, spec_path=spec_path) from None
        self.cluster.run(until=self.cluster.now)
        response = Response.json(201 if created else 200, {
            "version": self.times.version(deployment.number),
            "deploymentId": deployment.id})
        response.headers[DEPLOYMENT_HEADER] = deployment.id
        return response

    @staticmethod
    def _with_body(change: Response, body: Any, status: int = 201) -> Response:
        """``body`` (the new or changed app or pod) answered for ``change``, with its
        deployment's header (``AppsResource.create``, ``PodsResource.create`` and
        ``update``)."""
        response = Response.json(status, body)
        response.headers[DEPLOYMENT_HEADER] = change.headers[DEPLOYMENT_HEADER]
        return response

    # ---- apps ------------------------------------------------------------------------------

    def _app_json(self, spec_id: str, embed: Collection[str]) -> dict[str, Any]:
        """An app's definition with what ``embed`` (what :func:`.marathonquery.app_embeds`
        read, and what each resource adds) asks for: its task ``counts``, ``deployments``,
        ``tasks``, the ``readinessCheckResults`` of the running deployments (the readiness
        results of every deployment's current step, empty when none checks the app) and
        the ``lastTaskFailure`` when it has one (:func:`_task_failure_json`) and
        ``taskStats`` (:mod:`.marathonstats`), as ``AppInfoBaseData.appInfo`` adds them."""
        framework = self.marathon
        stored = framework.versions(spec_id)
        out = self._definition_json(spec_id, stored[0] if stored else AppVersion(
            0, framework.root.run_specs[spec_id], 0, 0))
        if "counts" in embed:
            # TaskCounts counts tasks: an instance still waiting in the launch queue for an
            # offer has none (the framework's "staged" counts it too)
            counts = task_counts(framework.instances(spec_id))
            out.update({f"tasks{key.title()}": count for key, count in counts.items()})
        if "deployments" in embed:
            out["deployments"] = [{"id": d.id} for d in framework.deployments
                                  if d.status == "running" and spec_id in d.affected]
        if "taskStats" in embed and stored:
            scaled = framework.started_at(stored[0].last_scaling) \
                if stored[0].last_scaling else 0.0
            out["taskStats"] = task_stats(framework.instances(spec_id), stored[0], scaled,
                                          framework.now)
        if "readiness" in embed:
            out["readinessCheckResults"] = [
                result for d in framework.deployments if d.status == "running"
                and any(a["app"] == spec_id for a in d.current_step)
                for result in self._readiness(spec_id, d)]
        if "tasks" in embed:
            out["tasks"] = self._task_list(spec_id)
        failure = framework.task_failures.get(spec_id)
        if "lastTaskFailure" in embed and failure is not None:
            out["lastTaskFailure"] = self._task_failure_json(failure)
        return out

    def _task_failure_json(self, failure: TaskFailure) -> dict[str, Any]:
        """A :class:`~clustersim.marathon.taskfailures.TaskFailure` as Marathon writes it
        (``TaskFailureWrites`` in d2iq-archive/marathon ``api/v2/json/Formats.scala``):
        ``appId``, ``host``, ``message``, ``state``, ``taskId``, ``timestamp``, ``version``
        (the app version the task ran) and ``slaveId``."""
        return {"appId": failure.app_id, "host": failure.host, "message": failure.message,
                "state": failure.state, "taskId": failure.task_id,
                "timestamp": self.times.instant(failure.time),
                "version": self.times.version(failure.version), "slaveId": failure.agent_id}

    def _definition_json(self, spec_id: str, version: AppVersion) -> dict[str, Any]:
        """One stored version of an app as Marathon returns it: its fields with Marathon's
        defaults, ``version`` (the time of the change that stored it, scaling and restarts
        included) and ``versionInfo`` (``lastScalingAt``: the last new definition or change
        of the instance count; ``lastConfigChangeAt``: the last new definition or restart;
        :class:`~clustersim.marathon.state.AppVersion`)."""
        manifest = version.manifest
        app = self.marathon.apps.get(spec_id)
        out: dict[str, Any] = {k: manifest[k] for k in _APP_KEYS if k in manifest}
        if app is not None:
            spec = RunSpec.from_manifest(manifest, "App")
            out.update({"instances": spec.instances, "cpus": number(spec.cpus),
                        "mem": number(spec.mem), "disk": number(spec.disk),
                        "gpus": number(spec.gpus),
                        "backoffSeconds": number(spec.backoff_seconds),
                        "backoffFactor": spec.backoff_factor,
                        "maxLaunchDelaySeconds": number(spec.max_launch_delay_seconds)})
            for key, value in _defaults(spec, app.service_ports).items():
                if key in ("portDefinitions", "upgradeStrategy") or key not in out:
                    out[key] = value
        if "acceptedResourceRoles" in out:
            out["acceptedResourceRoles"] = as_set(out["acceptedResourceRoles"])
        out.setdefault("instances", manifest.get("instances", 1))
        out["version"] = self.times.version(version.number)
        out["versionInfo"] = {"lastScalingAt": self.times.version(version.last_scaling),
                              "lastConfigChangeAt": self.times.version(version.config_change)}
        return out

    def _apps(self, request: Request, rest: str) -> Response:
        framework = self.marathon
        embed = app_embeds(request.query.get("embed", []))
        force = flag(request, "force")
        apps = [i for i, k in framework.root.kinds.items() if k == "App"]
        if not rest:
            if request.method == "GET":
                wanted = (request.arg("id") or "").lower()
                cmd = (request.arg("cmd") or "").lower()
                labels = label_selector(request.arg("label"))
                specs = framework.root.run_specs
                found = [i for i in apps if wanted in i.lower() and
                         cmd in (specs[i].get("cmd") or "").lower() and
                         labels(specs[i].get("labels") or {})]
                # AppsResource.index: the counts and deployments whatever is asked
                listed = {*embed, "counts", "deployments"}
                return Response.json(200, {"apps": [self._app_json(i, listed) for i in found]})
            if request.method in ("PUT", "PATCH"):
                return self._update_apps(request, force)
            if request.method == "POST":
                body, spec_id = self._new_spec(request, "An app with id [{}] already exists.",
                                               check_app)
                _require_command(body)
                change = self._change(lambda: framework.deploy({**body, "id": spec_id},
                                                               force=force))
                # AppsResource.create answers the app as created, whatever has run since:
                # TaskCounts.zero, no task, and the deployment the creation started
                created = {**self._app_json(spec_id, []), **dict.fromkeys(
                    ("tasksStaged", "tasksRunning", "tasksHealthy", "tasksUnhealthy"), 0),
                    "deployments": [{"id": change.headers[DEPLOYMENT_HEADER]}], "tasks": []}
                self._post_api_event(request, spec_id)
                response = self._with_body(change, created)
                response.headers["Location"] = f"/v2/apps{spec_id}"
                return response
            raise method_not_allowed()
        parts = [p for p in rest.split("/") if p]     # the client sends /v2/apps//web/tasks
        # app ids have slashes: the last segment, or the one before it, may be an action
        item = ""
        if len(parts) > 2 and parts[-2] in ("tasks", "versions"):
            item = parts.pop()
        sub = parts[-1] if parts[-1] in ("restart", "tasks", "versions") else ""
        # AppsResource: the decoded path parameter, read by toAbsolutePath (canonicalPath)
        spec_id = str(PathId(path_param("/".join(parts[:-1] if sub else parts))).resolve())
        exists = spec_id in apps
        if request.method == "PUT" and not sub:
            body = definition(self._body(request), "an app")
            check_app(body, update=True)
            if "version" in body:       # a rollback: the stored definition, as it was
                merged = dict(self._stored_version(spec_id, body["version"],
                                                   named=False).manifest)
            else:
                merged = self._updated_app({**body, "id": spec_id},
                                           flag(request, "partialUpdate", default=True))
            change = self._change(lambda: framework.deploy(merged, force=force),
                                  created=not exists)
            self._post_api_event(request, spec_id)
            return change
        if not exists:
            raise HttpError(404, f"App '{spec_id}' does not exist")
        if request.method == "PATCH" and not sub:
            body = definition(self._body(request), "an app")
            check_app(body, update=True)
            merged = self._updated_app({**body, "id": spec_id}, True)   # the body's id is ignored
            change = self._change(lambda: framework.deploy(merged, force=force))
            self._post_api_event(request, spec_id)
            return change
        if request.method == "GET" and not sub:
            # AppsResource.show: the counts, tasks and deployments whatever is asked
            shown = {*embed, "counts", "tasks", "deployments"}
            return Response.json(200, {"app": self._app_json(spec_id, shown)})
        if request.method == "DELETE" and not sub:
            # AppsResource.delete: force is true unless the request says otherwise, so the
            # deployments an app is in do not hold its removal
            forced = flag(request, "force", default=True)
            return self._change(lambda: framework.remove(spec_id, force=forced))
        if request.method == "POST" and sub == "restart":
            return self._change(lambda: framework.restart(spec_id, force=force))
        if request.method == "GET" and sub == "tasks" and not item:
            return Response.json(200, {"tasks": self._task_list(spec_id)})
        if request.method == "DELETE" and sub == "tasks":
            return self._kill(request, spec_id, item, force)
        if request.method == "GET" and sub == "versions" and not item:
            return Response.json(200, {"versions": [
                self.times.version(v.number) for v in framework.versions(spec_id)]})
        if request.method == "GET" and sub == "versions":
            return Response.json(200, self._definition_json(
                spec_id, self._stored_version(spec_id, item)))
        raise method_not_allowed()

    def _post_api_event(self, request: Request, spec_id: str) -> None:
        """``AppsResource.maybePostEvent`` once an app's create, replace or patch has made its
        deployment: an ``api_post_event`` (``ApiPostEvent``: ``clientIp``, ``uri``,
        ``appDefinition``)."""
        self._post_event(request, f"app/{spec_id}", "api_post_event",
                         appDefinition=self._app_json(spec_id, []))

    def _post_event(self, request: Request, about: str, event_type: str,
                    **payload: Any) -> None:
        """An event the REST API posts on the bus once a change has made its deployment
        (``api_post_event``, a pod's ``pod_*_event``): its payload, the client's address,
        the request's path (``getRequestURI``: no query) and ``payload``, is kept in
        :attr:`bus` for the event stream; the framework's event log gets a line
        saying who changed what (``about``: ``app/<id>``, ``pod/<id>``)."""
        uri = request.path
        self.marathon.events.record(self.marathon.now, about, event_type,
                                    f"{request.method} {uri} from {request.remote_addr}")
        self.bus.post({"clientIp": request.remote_addr, "uri": uri, **payload})

    def _stored_version(self, spec_id: str, version: Any, *, named: bool = True) -> AppVersion:
        """The stored version of an app that ``version`` (as the client sends it) names;
        otherwise 404 ``App '/x' does not exist in version v`` (``AppNotFoundException``;
        ``AppsResource``'s rollback throws it without the version: ``named=False``)."""
        wanted = self.times.number(version)
        found = next((v for v in self.marathon.versions(spec_id) if v.number == wanted), None)
        if found is None:
            raise HttpError(404, f"App '{spec_id}' does not exist"
                            + (f" in version {version}" if named else ""))
        return found

    def _updated_app(self, update: dict[str, Any], partial: bool) -> dict[str, Any]:
        """An app after ``update`` (with an absolute ``id``): merged into the current
        definition (Marathon's ``partialUpdate``, the default) or replacing it."""
        current = self.marathon.root.run_specs.get(update["id"], {}) if partial else {}
        merged = {**current, **update}
        _require_command(merged)
        return merged

    def _update_apps(self, request: Request, force: bool) -> Response:
        """``PUT /v2/apps`` (``replaceMultiple``: update or create each app of a JSON list)
        and ``PATCH /v2/apps`` (``patchMultiple``: existing apps only, 404 otherwise): one
        deployment for all, answered ``{version, deploymentId}``."""
        body = self._body(request)
        partial = request.method == "PATCH" or flag(request, "partialUpdate", default=True)
        check_apps(body, partial=partial)
        updates = []
        for app in body:
            spec_id = str(PathId(app["id"]).resolve())
            if request.method == "PATCH" and spec_id not in self.marathon.root.run_specs:
                raise HttpError(404, f"App '{spec_id}' does not exist")
            updates.append(self._updated_app({**app, "id": spec_id}, partial))
        return self._change(lambda: self.marathon.deploy(updates, force=force), each_app=True)

    # ---- deployments ----------------------------------------------------------------------

    def _deployments(self, request: Request, rest: str) -> Response:
        if request.method == "DELETE" and rest:
            force = flag(request, "force")
            framework = self.marathon
            try:
                if force:
                    framework.cancel(rest, rollback=False)
                    return Response(202, b"")
                return self._change(lambda: framework.cancel(rest))
            except KeyError:
                raise HttpError(404, f"DeploymentPlan {rest} does not exist") from None
        out = []
        kinds = self.marathon.root.kinds
        action = self._action_json

        def current(a: dict[str, Any], deployment: Deployment) -> dict[str, Any]:
            return {**action(a), "readinessCheckResults": self._readiness(a["app"],
                                                                          deployment)}

        for d in self.marathon.deployments:
            if d.status != "running":
                continue
            plan = deployment_plan(self.marathon, d, self.times)
            out.append({"id": d.id, "version": plan["version"],
                        "affectedApps": sorted(a for a in d.affected if kinds.get(a) != "Pod"),
                        "affectedPods": sorted(a for a in d.affected if kinds.get(a) == "Pod"),
                        "steps": plan["steps"],
                        "currentActions": [current(a, d) for a in d.current_step],
                        "currentStep": d.step_index + 1, "totalSteps": len(d.steps)})
        return Response.json(200, out)

    def _action_json(self, action: dict[str, Any]) -> dict[str, Any]:
        return plan_action(self.marathon, action)

    def _readiness(self, spec_id: str, deployment: Deployment) -> list[dict[str, Any]]:
        """A current action's ``readinessCheckResults`` (``deployment.raml``'s
        ``DeploymentActionInfo``): for an app with readiness checks, each running task of
        the version the deployment installs, with the first check's name and whether it is
        ready; none otherwise. Simplified: Marathon lists a task once its first check has
        answered, one result per check, and ``lastResponse`` with ``preserveLastResponse``."""
        checks = (self.marathon.root.run_specs.get(spec_id) or {}).get("readinessChecks")
        if not checks or self.marathon.root.kinds.get(spec_id) != "App":
            return []
        name = checks[0].get("name", "readinessCheck")
        return [{"name": name, "taskId": task_id, "ready": i.ready}
                for i in self.marathon.instances(spec_id)
                if i.state == "Running" and i.version == deployment.number
                for task_id in i.tasks]

    # ---- pods, info -----------------------------------------------------------------------

    def _pods(self, request: Request, rest: str) -> Response:
        framework = self.marathon
        force = flag(request, "force")
        pods = [i for i, k in framework.root.kinds.items() if k == "Pod"]
        if not rest:
            if request.method == "GET":
                return Response.json(200, [self._pod_json(i) for i in pods])
            if request.method == "POST":
                body, spec_id = self._new_spec(request, "A pod with id [{}] already exists.",
                                               validate=_check_pod)
                change = self._change(lambda: framework.deploy({**body, "id": spec_id},
                                                               force=force))
                self._post_event(request, f"pod/{spec_id}", "pod_created_event")
                return self._with_body(change, self._pod_json(spec_id))
            raise method_not_allowed()
        if rest == "::status" and request.method == "GET":     # every pod's status
            return Response.json(200, [self._pod_status(i) for i in pods])
        status = rest.endswith("::status")
        spec_id = str(PathId("/" + rest.removesuffix("::status")).resolve())
        if request.method == "PUT" and not status:
            body = self._body(request)
            if not isinstance(body, dict):
                raise HttpError(422, "Invalid JSON", details=[
                    {"path": "/", "errors": ["error.expected.jsobject"]}])
            named = _named_id(body)
            _check_pod(body)
            if named != spec_id:        # PodsResource.update, after validateOrThrow
                raise HttpError(400, f"'{spec_id}' does not match definition's id "
                                     f"('{body['id']}')")
            change = self._change(lambda: framework.deploy({**body, "id": spec_id},
                                                           force=force))
            self._post_event(request, f"pod/{spec_id}", "pod_updated_event")
            # PodsResource.update answers 200 (Response.ok), whether it created the pod or not
            return self._with_body(change, self._pod_json(spec_id), 200)
        if spec_id not in pods:
            if request.method == "GET" and not status:
                # PodsResource.find hands notFound a JSON text, which it quotes as the message
                raise HttpError(404, f'{{"message": "pod with {spec_id} does not exist"}}')
            raise HttpError(404, f"Pod '{spec_id}' does not exist")     # unknownPod
        if request.method == "GET" and status:
            return Response.json(200, self._pod_status(spec_id))
        if request.method == "GET":
            return Response.json(200, self._pod_json(spec_id))
        if request.method == "DELETE":      # PodsResource.remove: 202, the deployment named
            deployment = self._change(lambda: framework.remove(spec_id, force=force))
            self._post_event(request, f"pod/{spec_id}", "pod_deleted_event")
            deployment_id = deployment.headers[DEPLOYMENT_HEADER]
            return Response(202, b"", headers={"Location": deployment_id,
                                               DEPLOYMENT_HEADER: deployment_id})
        raise method_not_allowed()

    def _pod_json(self, spec_id: str) -> dict[str, Any]:
        """A pod's current definition as Marathon returns it (:func:`_pod_raml`), its
        ``version`` the change that stored it."""
        stored = self.marathon.versions(spec_id)
        return _pod_raml(self.marathon.root.run_specs[spec_id], spec_id,
                         self.times.version(stored[0].number if stored else 0))

    def _pod_status(self, spec_id: str) -> dict[str, Any]:
        """``GET /v2/pods/<id>::status`` (``PodStatus`` of ``pods.raml``)."""
        framework = self.marathon
        row = next((r for r in framework.status() if r["id"] == spec_id), {})
        return {
            "id": spec_id, "spec": self._pod_json(spec_id),
            "status": "STABLE" if row.get("running", 0) == row.get("instances") else "DEGRADED",
            "instances": [{"id": i.id, "status": "DEGRADED" if i.state == "Running"
                           and i.healthy is False else _POD_INSTANCE.get(i.state, "TERMINAL"),
                           "agentHostname": i.hostname}
                          for i in framework.instances(spec_id)]}

    def _info(self, request: Request, rest: str) -> Response:
        return Response.json(200, marathon_info(self.marathon, request.local_addr))

    def _leader(self, request: Request, rest: str) -> Response:
        """``GET /v2/leader`` and ``DELETE /v2/leader`` (``leader.raml``, ``LeaderResource``):
        the leader abdicates, ``Leadership abdicated``, and a new election starts.
        Simplified: this Marathon is the only one and is elected again at once, its
        periodic scale check and reconciliation armed anew (``Marathon.abdicate``); a real
        cluster answers ``503`` while no instance leads, then another may lead, and the new
        leader reloads the state and resumes the deployments."""
        if request.method == "DELETE":
            self.marathon.abdicate()
            return Response.json(200, {"message": "Leadership abdicated"})
        return Response.json(200, {"leader": leader_host_port(request.local_addr)})


def _defaults(spec: Any, service_ports: list[int]) -> dict[str, Any]:
    """The fields Marathon fills in when an app leaves them out, as ``GET /v2/apps`` shows
    them (the defaults of d2iq-archive/marathon ``docs/docs/rest-api/public/api/v2/types/
    app.raml``; empty lists and maps that the RAML marks ``omitEmpty`` stay out). In host
    networking the port definitions carry their assigned service ports (``"port": 0`` comes
    back as ``10000``), and the upgrade strategy is always whole (Marathon keeps it as
    ``UpgradeStrategy(minimumHealthCapacity, maximumOverCapacity)``, each field defaulted)."""
    out: dict[str, Any] = {
        "executor": "", "labels": {}, "requirePorts": spec.require_ports,
        "upgradeStrategy": {
            "minimumHealthCapacity": number(spec.upgrade.minimum_health_capacity),
            "maximumOverCapacity": number(spec.upgrade.maximum_over_capacity)},
        "killSelection": "YOUNGEST_FIRST", "unreachableStrategy": _unreachable(spec)}
    if spec.network == "host":
        out["networks"] = [{"mode": "host"}]
        out["portDefinitions"] = [
            {"port": service, "protocol": port.protocol,
             **({"name": port.name} if port.name else {}),
             **({"labels": port.labels} if port.labels else {})}
            for port, service in zip(spec.ports, service_ports, strict=False)]
    return out


def as_set(values: list[Any]) -> list[Any]:
    """A list Marathon stores as a ``Set`` (``acceptedResourceRoles``), as its JSON writer
    returns it: each value once. Scala's immutable ``Set`` keeps the order of insertion up to
    four values (``Set1`` to ``Set4``) and a larger one is a ``HashSet`` in hash order;
    the simulator keeps the order of insertion at any size."""
    return list(dict.fromkeys(values))


def _unreachable(spec: RunSpec) -> str | dict[str, Any]:
    """An app's or a pod's ``unreachableStrategy`` as Marathon writes it."""
    return "disabled" if spec.unreachable is None else {
        "inactiveAfterSeconds": number(spec.unreachable[0]),
        "expungeAfterSeconds": number(spec.unreachable[1])}


def _pod_raml(manifest: dict[str, Any], spec_id: str, version: str) -> dict[str, Any]:
    """A pod as ``PodsResource`` returns it (``POST``, ``PUT``, ``GET /v2/pods[/<id>]``, a
    status's ``spec``): ``Raml.toRaml`` of the ``PodDefinition`` read from the normalized
    definition (d2iq-archive/marathon ``raml/PodConversion.scala``, ``podRamlWriter``;
    ``api/v2/PodNormalization.scala``). The writer fills in what the definition left out:
    the ``version``, ``scaling`` (``fixed``), ``scheduling`` (backoff, upgrade strategy,
    ``killSelection``, ``unreachableStrategy``; ``placement`` when it has constraints or
    roles), ``executorResources`` (``PodDefinition.DefaultExecutorResources``), each
    container's ``resources`` (``resources.raml``'s defaults), a network's mode (a container
    network by default), and, outside container networking, an endpoint's ``hostPort`` 0
    (``PodNormalization.Containers``); the ``role`` is the stored one
    (:mod:`clustersim.marathon.roles`)."""
    spec = RunSpec.from_manifest(manifest, "Pod")
    scheduling = manifest.get("scheduling") or {}
    placement = {key: as_set(value) if key == "acceptedResourceRoles" else value
                 for key, value in (scheduling.get("placement") or {}).items()
                 if key in ("constraints", "acceptedResourceRoles") and value}
    out = {**manifest, "id": spec_id, "version": version,
           "scaling": {"kind": "fixed", "instances": spec.instances},
           "scheduling": {
               "backoff": {"backoff": number(spec.backoff_seconds),
                           "backoffFactor": spec.backoff_factor,
                           "maxLaunchDelay": number(spec.max_launch_delay_seconds)},
               "upgrade": {
                   "minimumHealthCapacity": number(spec.upgrade.minimum_health_capacity),
                   "maximumOverCapacity": number(spec.upgrade.maximum_over_capacity)},
               **({"placement": placement} if placement else {}),
               "killSelection": scheduling.get("killSelection", "YOUNGEST_FIRST"),
               "unreachableStrategy": _unreachable(spec)},
           "executorResources": {key: number(amount) for key, amount
                                 in pod_executor_resources(manifest).items()}}
    host_ports = spec.network != "container"
    out["containers"] = [
        {**container,
         "resources": {k: number(v) for k, v in pod_container_resources(container).items()},
         **({"endpoints": [{"hostPort": 0, **e} for e in container["endpoints"]]}
            if host_ports and container.get("endpoints") else {})}
        for container in spec.containers]
    if manifest.get("networks"):
        out["networks"] = [{**n, "mode": str(n.get("mode") or "container").lower()}
                           for n in manifest["networks"]]
    return out


def _require_command(app: dict[str, Any]) -> None:
    """Marathon's ``AppDefinition`` validation: an app runs a command or a container, and
    is not a group (no ``apps``, ``groups`` or ``pods``)."""
    for key in ("apps", "groups", "pods"):
        if key in app:
            raise HttpError(422, "Object is not valid", details=[{
                "path": f"/{key}", "errors": ["is not a property of an app definition: "
                                              "post groups to /v2/groups"]}])
    if not any(app.get(k) for k in ("cmd", "args", "container")):
        raise HttpError(422, "Object is not valid", details=[{
            "path": "/", "errors": ["AppDefinition must either contain one of 'cmd' or "
                                    "'args', and/or a 'container'."]}])


def _named_id(body: Mapping[str, Any]) -> str:
    """The absolute id a definition names (``POST /v2/apps``, ``POST`` and ``PUT`` of a pod),
    read as Play JSON reads the RAML's required ``id`` string (422 at ``/id``: missing, not a
    string, or empty)."""
    if not isinstance(body.get("id"), str):
        raise HttpError(422, "Invalid JSON", details=[{"path": "/id", "errors": [
            "error.path.missing" if body.get("id") is None else "error.expected.jsstring"]}])
    if not body["id"]:
        raise HttpError(422, "Invalid JSON", details=[
            {"path": "/id", "errors": ["error.minLength"]}])
    return str(PathId(body["id"]).resolve())


def _check_pod(pod: dict[str, Any]) -> None:
    """A pod definition as ``PodsResource`` reads and validates it before it looks for the
    pod (``create``, ``update``): it needs ``containers`` (``required`` in the RAML ``Pod``
    type; without them the definition would read as an empty group), then passes
    :func:`~clustersim.serve.marathonraml.check_pod`."""
    if "containers" not in pod:
        raise HttpError(422, "Invalid JSON", details=[
            {"path": "/containers", "errors": ["error.path.missing"]}])
    check_pod(pod)
