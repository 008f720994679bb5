"""Groups in Marathon's REST API: ``GET``/``POST``/``PUT``/``DELETE /v2/groups[/<id>]``
(d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/api/v2/GroupsResource.scala``,
``docs/docs/rest-api/public/api/v2/groups.raml``): the tree with its apps, pods and groups
(``?embed=``: which of them, and what of each app; by default the three, the apps bare), a new
group
(201; its id, here and in a ``PUT``, relative to the path; 409 when it exists:
``Group /x is already created. Use PUT to change this group.``), ``PUT`` with ``scaleBy``
(every app of the subtree times the factor) or with a ``GroupUpdate`` (``?dryRun=true``: the
deployment's steps, nothing changed), and deletion of a whole subtree.

A mixin of :class:`~clustersim.serve.marathon.MarathonBackend`: it uses the backend's
``marathon``, ``_app_json``, ``_pod_json``, ``_body`` and ``_change``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from clustersim.marathon import Deployment, Marathon
from clustersim.marathon.groups import RootGroup, canonical_group
from clustersim.marathon.pathid import PathId
from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.marathonquery import definition, flag, group_embeds, invalid
from clustersim.serve.marathonraml import check_group
from clustersim.serve.marathonroutes import method_not_allowed
from clustersim.serve.marathonversions import MarathonTime

__all__ = ["MarathonGroups"]


class MarathonGroups:
    """The group routes of Marathon's API."""

    marathon: Marathon
    times: MarathonTime

    def _app_json(self, spec_id: str, embed: Collection[str]) -> dict[str, Any]:
        raise NotImplementedError

    def _pod_json(self, spec_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def _body(self, request: Request) -> Any:
        raise NotImplementedError

    def _change(self, action: Callable[[], Deployment | None], *, created: bool = False,
                spec_path: Callable[[str], str] | None = None) -> Response:
        raise NotImplementedError

    def _action_json(self, action: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _dry_run(self, target: Callable[[], RootGroup],
                 spec_path: Callable[[str], str] | None = None) -> Response:
        """``PUT /v2/groups/<id>?dryRun=true``: the steps the change would take,
        ``{"steps": [...]}``, and nothing changed (``GroupsResource.update``)."""
        try:
            steps = self.marathon.plan(target())
        except ValueError as err:
            raise invalid(err, spec_path=spec_path) from None
        return Response.json(200, {"steps": [{"actions": [self._action_json(a) for a in step]}
                                             for step in steps]})

    def _group_json(self, group_id: str, parts: set[str],
                    app_embed: set[str]) -> dict[str, Any]:
        """A group with the ``parts`` asked for (``apps``, ``pods``, ``groups``), each app
        with what ``app_embed`` asks (:func:`.marathonquery.group_embeds`), and, for a
        top-level group only, its ``enforceRole``: Marathon keeps the flag on top-level groups
        alone (``state/Group.scala`` requires it there and refuses it elsewhere; a group
        created without it gets ``--new_group_enforce_role``'s value, ``off``: false) and
        ``DefaultInfoService.queryForGroup`` copies it into the RAML ``GroupInfo``
        (``group.raml``, ``enforceRole?: boolean``), whose writer leaves an empty option
        out, so the root group and nested groups show none. marathon-python 0.13.0 predates
        the field (thefactory/marathon-python#280): its ``get_group`` and ``list_groups``
        refuse a top-level group of Marathon 1.9.32 and later, and of this API, alike, and
        the root group too once it holds one (the README says so)."""
        root = self.marathon.root
        group = root.groups[group_id]
        out: dict[str, Any] = {
            "id": group_id, "dependencies": list(group.dependencies),
            "version": self.times.version(self.marathon.deployment_count)}
        if len(PathId(group_id).path) == 1:
            out["enforceRole"] = bool(group.enforce_role)
        if "apps" in parts:
            out["apps"] = [self._app_json(i, app_embed) for i in group.run_specs
                           if root.kinds[i] == "App"]
        if "pods" in parts:
            out["pods"] = [self._pod_json(i) for i in group.run_specs
                           if root.kinds[i] == "Pod"]
        if "groups" in parts:
            out["groups"] = [self._group_json(g, parts, app_embed) for g in group.groups]
        return out

    def _groups(self, request: Request, rest: str) -> Response:
        framework = self.marathon
        group_id = str(PathId("/" + rest).resolve()) if rest else "/"
        force = flag(request, "force")
        if request.method == "GET":
            versions = group_id.endswith("/versions") and group_id not in framework.root.groups
            if versions:         # GET /v2/groups/<id>/versions: the current version only
                group_id = group_id.removesuffix("/versions") or "/"
            if group_id not in framework.root.groups:
                raise HttpError(404, f"Group '{group_id}' does not exist")
            if versions:
                return Response.json(200, [self.times.version(framework.deployment_count)])
            return Response.json(200, self._group_json(
                group_id, *group_embeds(request.query.get("embed", []))))
        if request.method in ("POST", "PUT"):
            body = definition(self._body(request), "a group")
            check_group(body)
            # createWithPath and update: the body's id is relative to the path's
            group_id = str(PathId(str(body["id"])).resolve(group_id)) if body.get(
                "id") else group_id
            body = {**body, "id": group_id}
            spec_path = _spec_path(body)
            if request.method == "PUT" and "scaleBy" in body:
                factor = body["scaleBy"]
                if group_id not in framework.root.groups:
                    raise HttpError(404, f"Group '{group_id}' does not exist")
                if not isinstance(factor, int | float) or isinstance(factor, bool) or factor < 0:
                    raise HttpError(422, "Object is not valid", details=[
                        {"path": "/scaleBy", "errors": ["must be a number, 0 or more"]}])
                if flag(request, "dryRun"):
                    return self._dry_run(lambda: framework.scaled_root(group_id, factor))
                return self._change(lambda: framework.scale_group(group_id, factor,
                                                                  force=force))
            if request.method == "POST":
                self._refuse_taken(body["id"])
            if request.method == "PUT":
                body = self._group_update(group_id, body)
                if flag(request, "dryRun"):
                    return self._dry_run(lambda: framework.updated_root(body, replace=True),
                                         spec_path)
            return self._change(lambda: framework.deploy(
                body, replace=request.method == "PUT", force=force),
                created=request.method == "POST", spec_path=spec_path)
        if request.method == "DELETE":
            if group_id not in framework.root.groups:
                raise HttpError(404, f"Group '{group_id}' does not exist")
            return self._change(lambda: framework.remove(group_id, force=force))
        raise method_not_allowed()

    def _refuse_taken(self, group_id: str) -> None:
        """``GroupsResource.createWithPath``'s two conflicts (409): the group exists (the
        root ``/`` always does, so a POSTed group without an id is refused: it is a PUT), or
        an app has its path."""
        if group_id in self.marathon.root.groups:
            raise HttpError(409, f"Group {group_id} is already created. Use PUT to change "
                            "this group.")
        if self.marathon.root.kinds.get(group_id) == "App":
            raise HttpError(409, f"An app with the path {group_id} already exists.")

    def _group_update(self, group_id: str, update: dict[str, Any]) -> dict[str, Any]:
        """``PUT /v2/groups/<id>`` as ``GroupUpdate`` applies it (d2iq-archive/marathon
        ``api/v2/GroupUpdate.scala``): each of ``apps``, ``pods``, ``groups`` and
        ``dependencies`` that the body gives replaces the group's own (apps missing from a
        given list are stopped), each it leaves out stays as it is."""
        if group_id not in self.marathon.root.groups:
            return update
        current = self._group_manifest(group_id)
        return {**{k: v for k, v in current.items() if k not in update}, **update}

    def _group_manifest(self, group_id: str) -> dict[str, Any]:
        root = self.marathon.root
        group = root.groups[group_id]
        return {"id": group_id, "dependencies": list(group.dependencies),
                "apps": [root.run_specs[i] for i in group.run_specs if root.kinds[i] == "App"],
                "pods": [root.run_specs[i] for i in group.run_specs if root.kinds[i] == "Pod"],
                "groups": [self._group_manifest(g) for g in group.groups]}


def _spec_path(group: dict[str, Any]) -> Callable[[str], str]:
    """Where the group definition ``group`` (its id absolute) holds the app or pod of an
    absolute id: ``/apps(0)``, ``/groups(1)/pods(0)`` (``""`` for one it does not hold).
    Read when a refusal names a run spec, once the framework has read the definition."""
    def walk(resolved: dict[str, Any], at: str) -> dict[str, str]:
        found = {item["id"]: f"{at}/{key}({i})" for key in ("apps", "pods")
                 for i, item in enumerate(resolved.get(key) or [])}
        for i, child in enumerate(resolved.get("groups") or []):
            found.update(walk(child, f"{at}/groups({i})"))
        return found
    return lambda spec_id: walk(canonical_group(group), "").get(spec_id, "")
