"""IP-per-pod versus host ports: how many instances of a port-bound service fit."""

from __future__ import annotations

import pytest

from clustersim.clusters import demo_nodes
from clustersim.scenarios.networking import MODES, port_fit, service_source
from clustersim.widgets.networking import networking_explorer

WORKERS = sum(1 for n in demo_nodes("kubernetes") if n.name.startswith("worker"))
AGENTS = len(demo_nodes("marathon"))
SWARM_NODES = len(demo_nodes("swarm"))


@pytest.mark.parametrize("mode", ["k8s-pod-ip", "marathon-host-random", "marathon-bridge",
                                  "marathon-container", "swarm-ingress"])
def test_modes_without_a_fixed_host_port_place_everything(mode) -> None:
    fit = port_fit(mode, 8)
    assert fit.placed == 8 and fit.waiting == 0 and not fit.reason


def test_two_pods_on_port_80_share_a_node_in_kubernetes() -> None:
    fit = port_fit("k8s-pod-ip", WORKERS + 2)
    assert max(fit.per_node.values()) >= 2


def test_the_container_port_is_the_one_nginx_listens_on() -> None:
    """nginx:1.27 listens on 80 (docker-nginx's Dockerfile: ``EXPOSE 80``); the lab mapped
    8080 in the container, where nothing listens. Only the node's port is 8080."""
    pod = service_source("k8s-hostport", 1)[0]["spec"]["template"]["spec"]["containers"][0]
    assert pod["image"] == "nginx:1.27"
    assert pod["ports"] == [{"containerPort": 80, "hostPort": 8080}]
    swarm = service_source("swarm-host", 1)["services"]["web"]
    assert swarm["ports"] == [{"target": 80, "published": 8080, "mode": "host"}]
    for mode in ("marathon-bridge", "marathon-container"):
        app = service_source(mode, 1)
        assert app["container"]["portMappings"][0]["containerPort"] == 80


@pytest.mark.parametrize(("mode", "capacity", "words"), [
    ("k8s-hostport", WORKERS, "didn't have free ports"),
    ("marathon-host-fixed", AGENTS, "InsufficientPorts"),
    ("swarm-host", SWARM_NODES, "host-mode port"),
])
def test_a_fixed_host_port_allows_one_instance_per_node(mode, capacity, words) -> None:
    fit = port_fit(mode, capacity + 2)
    assert fit.placed == capacity and fit.waiting == 2
    assert set(fit.per_node.values()) == {1}
    assert words in fit.reason


@pytest.mark.parametrize(("mode", "count"), [("nope", 2), ("k8s-pod-ip", -1),
                                             ("swarm-host", 2.5), ("marathon-bridge", 51)])
def test_bad_input_is_refused(mode, count) -> None:
    with pytest.raises(ValueError):
        service_source(mode, count)


def test_explorer_updates_bars_and_reasons() -> None:
    app = networking_explorer()
    count, chart, message = app.widget.children
    assert [t.uid for t in chart.data] == ["net-placed", "net-waiting"]
    # One line per system and one per mode, so that a phone keeps room for the bars.
    assert list(chart.data[0].y) == [m.replace(" · ", "<br>") for m in MODES.values()]
    count.value = 8
    waiting = dict(zip(chart.data[1].y, chart.data[1].x, strict=True))
    assert waiting["Marathon<br>host, port 31080 fixed"] == 8 - AGENTS
    assert "InsufficientPorts" in message.value
    count.value = 1
    assert "Every instance found a place" in message.value
    assert "instances: " in app.static_html()


def test_explorer_names_its_controls_like_the_other_apps() -> None:
    """updates_app and storage_app hand out .controls; so does this one."""
    app = networking_explorer()
    app.controls["count"].value = 1
    assert "Every instance found a place" in app.controls["message"].value


def test_explorer_shows_simulator_errors_inline(monkeypatch) -> None:
    app = networking_explorer()
    count, _, message = app.widget.children

    def broken(*args, **kwargs):
        raise ValueError("no <room>")

    monkeypatch.setattr("clustersim.widgets.networking.port_fit", broken)
    count.value = 3
    assert "Problem" in message.value and "&lt;room&gt;" in message.value
