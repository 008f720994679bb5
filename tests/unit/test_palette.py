"""One colour per system in every figure that draws a line per system; labelled failure line;
WCAG contrast."""

from __future__ import annotations

import pytest

from clustersim.scenarios.shop import compare_shop
from clustersim.viz.palette import SYSTEM_COLORS, contrast_ratio, system_color
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


def test_contrast_ratio_follows_wcag() -> None:
    """WCAG's ends of the scale (21:1, 1:1), and the grey often quoted as the lightest with
    4.5:1 on white, #767676 (#777777 falls just short)."""
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#fff", "#000") == pytest.approx(21)
    assert contrast_ratio("#D55E00", "#D55E00") == pytest.approx(1)
    assert 4.5 < contrast_ratio("#767676", "#ffffff") < 4.6
    assert 4.4 < contrast_ratio("#ffffff", "#777777") < 4.5


def test_contrast_ratio_names_a_colour_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="'white' is not a colour written #rrggbb"):
        contrast_ratio("white", "#000000")
