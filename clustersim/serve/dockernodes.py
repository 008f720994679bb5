"""The Engine API's nodes (``docker node ls|inspect|update|rm``), for
:mod:`clustersim.serve.docker`: ``/nodes`` lists and inspects them, and an update with
``?version=`` replaces the node's whole spec (:func:`~clustersim.serve.dockerspec.node_spec`).
A node's ``Description.Resources`` lists the generic resources it advertises
(``GenericResources``: its extended resources as discrete ones, then its own
``generic_resources``, :mod:`clustersim.genericresource`), left out where it has none
(``omitempty`` in moby's ``swarm.Resources``).

Simplified (what Docker does instead): removing a node is not simulated (swarmkit's refusals
come first, then a 501 that says so).
"""

from __future__ import annotations

from typing import Any

from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.dockerchecks import enum_filter, flag, label_matches, parse_filters, prefixed
from clustersim.serve.dockerdaemon import ENGINE_VERSION
from clustersim.serve.dockerjson import read_json
from clustersim.serve.dockerspec import NS_PER_SECOND as _NS
from clustersim.serve.dockerspec import check_node_spec, generic_json, node_spec
from clustersim.serve.dockerstate import DockerState
from clustersim.serve.dockerstore import parse_version
from clustersim.swarm import SwarmError
from clustersim.swarm.nodeinfo import advertised

__all__ = ["NodeRoutes"]


class NodeRoutes(DockerState):
    """``/nodes``."""

    def _node_json(self, name: str) -> dict[str, Any]:
        record = self.cluster.node_record(name)
        node = record.node
        row = next(r for r in self.cluster.node_ls() if r["hostname"] == node.hostname)
        index, updated = self._node_version(name)
        out = {"ID": self._id("node", name), "Version": {"Index": index},
               "CreatedAt": self._stamp(0), "UpdatedAt": self._stamp(updated),
               "Spec": {**({"Name": self.spec_names[name]} if self.spec_names.get(name)
                           else {}),
                        "Labels": dict(node.labels), "Role": node.role,
                        "Availability": record.availability},
               "Description": {"Hostname": node.hostname,
                               "Platform": {"Architecture": "x86_64", "OS": "linux"},
                               "Resources": {"NanoCPUs": int(node.cpu * _NS),
                                             "MemoryBytes": int(node.memory_bytes),
                                             **generic_json(advertised(node))},
                               "Engine": {"EngineVersion": ENGINE_VERSION}},
               "Status": {"State": record.status, "Addr": f"10.0.0.{self._index(name) + 1}"}}
        if name in self.cluster.raft.managers:
            out["ManagerStatus"] = {"Leader": row["manager"] == "Leader",
                                    "Reachability": "reachable" if record.alive
                                    else "unreachable", "Addr": f"{name}:2377"}
        return out

    def _index(self, name: str) -> int:
        return self.cluster.node_names().index(name)

    def _nodes(self, request: Request, rest: list[str]) -> Response:
        if not rest and request.method == "GET":
            filters = parse_filters(request.arg("filters"), (
                "name", "id", "label", "role", "membership", "node.label"))
            roles = enum_filter(filters, "role", ("worker", "manager"))
            enum_filter(filters, "membership", ("pending", "accepted"))
            names = [n for n in self.cluster.node_names()
                     if prefixed(n, filters.get("name"))
                     and prefixed(self._id("node", n), filters.get("id"))
                     and (not roles or self.cluster.node_record(n).node.role in roles)
                     and all(label_matches(self.cluster.node_record(n).node.labels, f)
                             for f in filters.get("node.label", []))
                     and not filters.get("label")]    # no simulated node has engine labels
            return Response.json(200, [self._node_json(n) for n in names])
        if len(rest) == 1 and request.method == "GET":
            return Response.json(200, self._node_json(self._find_node(rest[0])))
        if len(rest) == 2 and rest[1] == "update" and request.method == "POST":
            sent = node_spec(read_json(request, "swarm.NodeSpec"))
            version = parse_version(request.arg("version"), "node")   # moby's router
            spec = check_node_spec(sent)
            name = self._find_node(rest[0])
            if self.cluster.node_record(name).node.role == "manager" and \
                    spec["Role"] == "worker" and self.cluster.raft.has_leader:
                try:                 # swarmkit's UpdateNode checks these before the version
                    self.cluster.check_demotion(name)
                except SwarmError as err:
                    raise HttpError(400, f"rpc error: code = FailedPrecondition desc = "
                                    f"{err}") from None
            self.versions.check(version, self._node_version(name)[0])
            kept = self.spec_names.get(name, "")
            self.spec_names[name] = spec["Name"]    # in the store with the rest of the spec:
            try:                                     # the update's event shows it
                self.cluster.update_node(name, availability=spec["Availability"],
                                         labels=spec["Labels"], role=spec["Role"])
            except SwarmError as err:
                self.spec_names[name] = kept
                raise HttpError(400, str(err)) from None
            self.versions.write(("node", name), self._node_state(name), self.now)
            return Response(200)
        if len(rest) == 1 and request.method == "DELETE":
            return self._remove_node(request, self._find_node(rest[0]))
        raise HttpError(404, "page not found")

    def _remove_node(self, request: Request, name: str) -> Response:
        """``docker node rm``: swarmkit's refusals (``manager/controlapi/node.go``,
        ``RemoveNode``: a manager must be demoted first, a ready node needs ``--force``);
        removing a node is not simulated, so what Docker would do then is a 501."""
        node_id, record = self._id("node", name), self.cluster.node_record(name)
        rpc = "rpc error: code = FailedPrecondition desc = node "
        if record.node.role == "manager":
            raise HttpError(400, f"{rpc}{node_id} is a cluster manager and is a member of the "
                            "raft cluster. It must be demoted to worker before removal")
        if record.status == "ready" and not flag(request, "force"):
            raise HttpError(400, f"{rpc}{node_id} is not down and can't be removed")
        raise HttpError(501, f"removing a node is not simulated: {name} stays in the swarm "
                        "(drain it instead: docker node update --availability drain)")
