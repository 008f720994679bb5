"""``GET /v2/info``: which Marathon answers, and the configuration it runs with.

The body follows d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/api/v2/
InfoResource.scala`` (the latest version stored in the reference index, the one with
``BuildInfo.version.toString()``): the build, whether this instance is the elected leader and
who leads, the framework ID, and three objects of command-line settings,
``marathon_config`` (every flag it lists, an unset one as ``null``, with
``mesos_leader_ui_url`` the Mesos leader's ``http://host:port/``,
``util/state/MesosLeaderInfo.scala``), ``zookeeper_config`` and ``http_config``
(``types/info.raml``). There is no ``event_subscriber`` any more: it went with the HTTP
callbacks.

The values are Marathon's defaults, as its ``InfoControllerTest`` expects them from a
Marathon started with only ``--master``, ``--mesos_user`` and ``--hostname``, and as a
DC/OS 1.13 ``dcos marathon about`` prints them, except what the simulator sets itself:
the offers' decline duration, instances per offer, scale check and reconciliation
timers of its :class:`~clustersim.marathon.Marathon`, the optional features it runs with
(:data:`~clustersim.serve.marathonraml.FEATURES`: none), the role it registers with
(``*``), and the one host and port it answers on: as a Marathon started with
``--hostname 127.0.0.1 --http_port <port>``, its ``http_config`` names the port the server
listens on (``--port``, or the one the system chose), and so does the leader it names, its
own ``hostname:http_port`` (the ``hostPort`` its ``ElectionModule`` is given;
``PseudoElectionService.leaderHostPort``, and ``CuratorElectionService`` registers the same
in ZooKeeper), which ``GET /v2/leader`` returns too (``LeaderResource``).

``GET /v2/plugins`` (``api/v2/PluginsResource.scala``) lists the plugins the
``--plugin_conf`` file enables, ``{"plugins": [...]}`` (``PluginFormats`` in
``api/v2/json/Formats.scala``): none, ``{"plugins": []}``, as the simulator loads none
(Marathon loads them from ``--plugin_dir`` as ``--plugin_conf`` says, neither set here).
A request to a plugin's own routes, ``/v2/plugins/<pluginId>/<path>``, finds no HTTP
handler of that id: 404 ``No plugin with this pluginId: <pluginId>``.
"""

from __future__ import annotations

from typing import Any

from clustersim.marathon import Marathon
from clustersim.serve.core import HttpError, Response
from clustersim.serve.marathonraml import FEATURES

__all__ = ["HTTP_PORT", "MARATHON_VERSION", "leader_host_port", "marathon_info",
           "marathon_plugins"]

MARATHON_VERSION = "1.11.24"
"""What ``/v2/info`` reports: Marathon's last build, which DC/OS 2.2.1 shipped (November 2020;
dcos/dcos ``CHANGES.md`` on its 2.2 branch, "Update Marathon to 1.11.24", MARATHON-8771,
though the 2.2.1 release notes still list 2.2.0's 1.11.23: ``clustersim.facts.HISTORY``).
The last release tagged on GitHub (d2iq-archive/marathon) is v1.10.26."""
HOST = "127.0.0.1"
"""The host the simulated Marathon, its Mesos master and its ZooKeeper run on."""
HTTP_PORT = 8080
"""Marathon's default ``--http_port``, for an info asked for outside a server."""

_DEFAULT_FLAGS: dict[str, Any] = {
    "access_control_allow_origin": None, "checkpoint": True, "default_network_name": None,
    "env_vars_prefix": None, "executor": "//cmd", "failover_timeout": 604800,
    "framework_name": "marathon", "ha": True, "launch_token": 100,
    "launch_token_refresh_interval": 30000, "leader_proxy_connection_timeout_ms": 5000,
    "leader_proxy_read_timeout_ms": 10000, "local_port_max": 20000, "local_port_min": 10000,
    "mesos_bridge_name": "mesos-bridge", "mesos_heartbeat_failure_threshold": 5,
    "mesos_heartbeat_interval": 15000, "mesos_user": "root",
    "min_revive_offers_interval": 5000, "offer_matching_timeout": 3000,
    "on_elected_prepare_timeout": 180000, "revive_offers_for_new_apps": True,
    "revive_offers_repetitions": 3, "store_cache": True, "task_launch_confirm_timeout": 300000,
    "task_launch_timeout": 300000, "task_lost_expunge_initial_delay": 300000,
    "task_lost_expunge_interval": 30000, "task_reservation_timeout": 20000, "webui_url": None,
}
"""``marathon_config``'s flags the simulator leaves at Marathon's defaults (milliseconds,
but ``failover_timeout`` in seconds)."""

_ZOOKEEPER = {"zk": f"zk://{HOST}:2181/marathon", "zk_compression": True,
              "zk_compression_threshold": 65536, "zk_connection_timeout": 10000,
              "zk_max_node_size": 1024000, "zk_max_versions": 50, "zk_session_timeout": 10000,
              "zk_timeout": 10000}
"""``zookeeper_config`` (``ZookeeperConf``'s defaults on the simulator's host)."""


def leader_host_port(address: tuple[str, int]) -> str:
    """``host:port`` of the leading Marathon (``ElectionService.leaderHostPort``): this one,
    listening on ``address``."""
    host, port = address
    return f"{host}:{port}"


def marathon_info(marathon: Marathon,
                  address: tuple[str, int] = (HOST, HTTP_PORT)) -> dict[str, Any]:
    """The body of ``GET /v2/info`` for ``marathon`` listening on ``address``, in
    ``InfoResource``'s order."""
    settings = {**_DEFAULT_FLAGS,
                "decline_offer_duration": round(marathon.decline_offer_duration * 1000),
                "features": list(FEATURES), "hostname": address[0],
                "master": f"zk://{HOST}:2181/mesos",
                "max_instances_per_offer": marathon.max_instances_per_offer,
                "mesos_leader_ui_url": f"http://{HOST}:5050/", "mesos_role": marathon.role,
                "reconciliation_initial_delay":
                    round(marathon.reconciliation_initial_delay * 1000),
                "reconciliation_interval": round(marathon.reconciliation_interval * 1000),
                "scale_apps_initial_delay": round(marathon.scale_apps_initial_delay * 1000),
                "scale_apps_interval": round(marathon.scale_apps_interval * 1000)}
    return {"name": "marathon", "version": MARATHON_VERSION, "buildref": "clustersim",
            "elected": True, "leader": leader_host_port(address),
            "frameworkId": marathon.framework_id,
            "marathon_config": dict(sorted(settings.items())),
            "zookeeper_config": dict(_ZOOKEEPER),
            "http_config": {"http_port": address[1], "https_port": 8443}}


def marathon_plugins(rest: str) -> Response:
    """``/v2/plugins`` and ``/v2/plugins/<pluginId>/<path>`` (see the module), once Jersey
    has matched the route and its method (:mod:`.marathonroutes`): the list, or 404 for the
    unknown plugin."""
    if not rest:
        return Response.json(200, {"plugins": []})
    raise HttpError(404, f"No plugin with this pluginId: {rest.partition('/')[0]}")
