"""One colour per system in every figure that draws a line per system; labelled failure line."""

from __future__ import annotations

from clustersim.scenarios.shop import compare_shop
from clustersim.viz.palette import SYSTEM_COLORS, system_color
from clustersim.viz.requests import failed_share_figure
from clustersim.widgets.dialects import readiness_figure


def test_system_color_reads_the_system_from_a_label() -> None:
    assert system_color("Kubernetes (Deployment)", 0) == SYSTEM_COLORS["kubernetes"]
    assert system_color("Marathon on Mesos (app)", 0) == SYSTEM_COLORS["marathon"]
    assert system_color("Docker Swarm (service)", 2) == SYSTEM_COLORS["swarm"]
    assert system_color("Nomad", 0) not in SYSTEM_COLORS.values()


def test_same_system_same_colour_whatever_the_order() -> None:
    rows = [{"start": 0.0, "served": 9, "failed": 1}]
    forward = failed_share_figure({"Kubernetes": rows, "Docker Swarm": rows})
    backward = failed_share_figure({"Docker Swarm": rows, "Kubernetes": rows})
    colour = {t.name: t.line.color for t in forward.data}
    assert colour == {t.name: t.line.color for t in backward.data}
    assert colour["Kubernetes"] == SYSTEM_COLORS["kubernetes"]


def test_readiness_lines_use_the_system_colours_and_label_the_failure() -> None:
    fig = readiness_figure(compare_shop(api_replicas=1, fail_at=30.0, times=(0, 30, 60)))
    assert {t.line.color for t in fig.data} == {
        SYSTEM_COLORS["kubernetes"], SYSTEM_COLORS["marathon"], SYSTEM_COLORS["swarm"]}
    assert [a.text for a in fig.layout.annotations] == ["node fails"]
