"""A diagram with a stacked twin gets it right after itself, with its alt text (phone_drawings)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.utils import new_document

from clustersim.course.phone_drawings import (
    NARROW_CLASS,
    NARROW_SUFFIX,
    WIDE_CLASS,
    add_narrow_twins,
    narrow_twin,
)


def _figure_doc(*uris: str) -> nodes.document:
    doc = new_document("<test>", get_default_settings())
    for uri in uris:
        figure = nodes.figure()
        figure += nodes.image(uri=uri, alt=f"alt of {uri}", ids=[f"id-{uri}"], width="100%")
        figure += nodes.caption(text="caption")
        doc += figure
    return doc


def _images(doc: nodes.document) -> list[nodes.image]:
    return list(doc.findall(nodes.image))


def test_a_diagram_with_a_narrow_drawing_gets_it_as_a_twin(tmp_path: Path) -> None:
    for name in ("arch.svg", "arch-narrow.svg", "loop.svg"):
        (tmp_path / name).write_text("<svg/>")
    doc = _figure_doc("../images/arch.svg", "../images/loop.svg")
    added = add_narrow_twins(doc, lambda uri: tmp_path / Path(uri).name)
    wide, twin, alone = _images(doc)
    assert added == 1
    assert twin["uri"] == "../images/arch-narrow.svg"
    assert twin["alt"] == wide["alt"] == "alt of ../images/arch.svg"
    assert wide["classes"] == [WIDE_CLASS] and twin["classes"] == [NARROW_CLASS]
    assert twin.parent is wide.parent and twin["ids"] == [] and wide["ids"]
    assert "width" not in twin and wide["width"] == "100%"
    assert alone["classes"] == []  # no loop-narrow.svg: drawn once
    # the caption stays after both drawings
    assert isinstance(wide.parent.children[-1], nodes.caption)


def test_a_document_read_twice_gets_one_twin(tmp_path: Path) -> None:
    (tmp_path / "arch.svg").write_text("<svg/>")
    (tmp_path / "arch-narrow.svg").write_text("<svg/>")
    doc = _figure_doc("arch.svg")
    add_narrow_twins(doc, lambda uri: tmp_path / uri)
    assert add_narrow_twins(doc, lambda uri: tmp_path / uri) == 0
    assert len(_images(doc)) == 2


def test_remote_and_raster_images_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_text("")
    (tmp_path / "photo-narrow.png").write_text("")
    doc = _figure_doc("https://example.org/arch.svg", "photo.png")
    assert add_narrow_twins(doc, lambda uri: tmp_path / Path(uri).name) == 0


IMAGES = Path(__file__).resolve().parents[2] / "book" / "images"
NARROW_WIDTH = 360
"""Width of a stacked drawing (CONTRIBUTING.md, "Chapters"): it fits a 390 px phone's column."""
MIN_NARROW_FONT = 12
"""Smallest font-size in a stacked drawing: 12 px drawn at 330 px or more is 11 px or more."""


def _width_and_fonts(svg: Path) -> tuple[float, list[float]]:
    root = ElementTree.parse(svg).getroot()
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    return width, [float(e.get("font-size", "")) for e in root.iter() if e.get("font-size")]


def test_every_wide_diagram_has_a_stacked_drawing_that_fits_a_phone() -> None:
    """reconcile-loop.svg and kubernetes-labels.svg (720 and 770 px) had no stacked drawing
    and scrolled sideways on a phone."""
    wide = [svg for svg in sorted(IMAGES.glob("*.svg"))
            if narrow_twin(svg) is None and not svg.stem.endswith(NARROW_SUFFIX)
            and _width_and_fonts(svg)[0] > NARROW_WIDTH]
    assert not wide, f"diagrams wider than {NARROW_WIDTH} px with no -narrow.svg: {wide}"
    for svg in IMAGES.glob(f"*{NARROW_SUFFIX}.svg"):
        width, fonts = _width_and_fonts(svg)
        assert width <= NARROW_WIDTH, f"{svg.name} is {width} px wide"
        assert min(fonts) >= MIN_NARROW_FONT, f"{svg.name} has text at {min(fonts)} px"
