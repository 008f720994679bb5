"""The Engine API's secrets and configs (``docker secret|config create|ls|inspect|rm``, and
the label updates ``docker stack deploy`` sends), for :mod:`clustersim.serve.docker`.

Simplified (what Docker does instead): secrets and configs are stored but no simulated task
mounts them.
"""

from __future__ import annotations

from typing import Any

from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.dockerchecks import check_stored_spec, label_matches, parse_filters, prefixed
from clustersim.serve.dockerevents import EventRoutes
from clustersim.serve.dockerjson import decode_stored_spec, read_json
from clustersim.serve.dockerstore import parse_version

__all__ = ["StoredRoutes"]


class StoredRoutes(EventRoutes):
    """``/secrets`` and ``/configs``."""

    def _stored_objects(self, request: Request, section: str, rest: list[str]) -> Response:
        """``/secrets`` and ``/configs``: swarm objects holding data for services (a
        secret's data is never returned; a config's is)."""
        kind = section[:-1]
        objects = self.stored[section]
        method = request.method
        if not rest and method == "GET":
            filters = parse_filters(request.arg("filters"),
                                    ("name", "id", "label", "names")
                                    if section == "secrets" else ("name", "id", "label"))
            return Response.json(200, [
                self._stored_json(o, section) for o in objects.values()
                if prefixed(o["Spec"]["Name"], filters.get("name"))
                and prefixed(o["ID"], filters.get("id"))
                and (not filters.get("names") or o["Spec"]["Name"] in filters["names"])
                and all(label_matches(o["Spec"]["Labels"], f) for f in filters.get("label", []))])
        if rest == ["create"] and method == "POST":
            spec = decode_stored_spec(read_json(request, f"swarm.{kind.title()}Spec"), kind)
            name = check_stored_spec(kind, spec["Name"], spec["Data"], "Driver" in spec)
            if name in objects:
                raise HttpError(409, f"rpc error: code = AlreadyExists desc = {kind} {name} "
                                "already exists")
            objects[name] = {"ID": self._id(kind, name),
                             "Version": {"Index": self.versions.write((kind, name), None,
                                                                      self.now)},
                             "CreatedAt": self._stamp(self.now),
                             "UpdatedAt": self._stamp(self.now),
                             "Spec": {"Name": name, "Labels": spec["Labels"],
                                      "Data": spec["Data"]}}
            self._publish_stored(kind, "create", objects[name]["ID"], name)
            return Response.json(201, {"ID": objects[name]["ID"]})
        if len(rest) == 1 or rest[1:] == ["update"]:
            found = next((o for o in objects.values()
                          if rest[0] in (o["Spec"]["Name"], o["ID"])), None)
            if found is None:
                raise HttpError(404, f"{kind} {rest[0]} not found")
            if rest[1:] == ["update"] and method == "POST":
                self._update_stored(request, kind, found)
                return Response(200)
            if method == "GET":
                return Response.json(200, self._stored_json(found, section))
            if method == "DELETE":
                name, field = found["Spec"]["Name"], f"{kind.title()}ID"
                users = self._users(lambda task: any(
                    isinstance(ref, dict) and ref.get(field) == found["ID"] for ref in
                    (task.get("ContainerSpec") or {}).get(section.title()) or []))
                if users:       # swarmkit controlapi RemoveSecret and RemoveConfig
                    raise HttpError(400, f"rpc error: code = InvalidArgument desc = {kind} "
                                    f"'{name}' is in use by the following service"
                                    f"{'s' if len(users) > 1 else ''}: {', '.join(users)}")
                del objects[name]
                self._publish_stored(kind, "remove", found["ID"], name)
                return Response(204)
        raise HttpError(404, "page not found")

    def _update_stored(self, request: Request, kind: str, found: dict[str, Any]) -> None:
        """``POST /secrets/{id}/update`` (and configs): what ``docker stack deploy`` sends
        for a secret or config the stack already has. Only the labels may change
        (swarmkit ``manager/controlapi/secret.go``, ``UpdateSecret``); the version must be
        the current one (moby's router parses it once it has read the body)."""
        spec = decode_stored_spec(read_json(request, f"swarm.{kind.title()}Spec"), kind)
        version = parse_version(request.arg("version"), kind)
        self.versions.check(version, found["Version"]["Index"])
        data = spec["Data"]
        if spec["Name"] != found["Spec"]["Name"] or (data and data != found["Spec"]["Data"]):
            raise HttpError(400, "rpc error: code = InvalidArgument desc = only updates to "
                            "Labels are allowed")
        found["Spec"]["Labels"] = spec["Labels"]
        found["Version"] = {"Index": self.versions.write((kind, found["Spec"]["Name"]), None,
                                                         self.now)}
        found["UpdatedAt"] = self._stamp(self.now)
        self._publish_stored(kind, "update", found["ID"], found["Spec"]["Name"])

    @staticmethod
    def _stored_json(obj: dict[str, Any], section: str) -> dict[str, Any]:
        if section == "configs":
            return obj
        return {**obj, "Spec": {k: v for k, v in obj["Spec"].items() if k != "Data"}}
