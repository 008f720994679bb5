"""Every text of the course's diagrams (``book/images/*.svg``) keeps WCAG 2's 4.5:1 contrast
with what is drawn behind it, in light and dark mode.

The orange ``#D55E00`` captions of kubernetes-labels.svg were 3.9:1 on white, and the white
labels on reconcile-loop.svg's green box 3.4:1. A text's background is worked out from the
drawing itself: the rectangles drawn before it that cover its box, each laid over the one
below with its ``fill-opacity``, over the page where none covers it. A diagram is an
``<img>``, so the theme's colours never reach inside it; the page shows through where the
drawing leaves it bare, which is white in light mode and the theme's #14181e in dark mode.
In dark mode the theme also dims every image, text and fills alike (:func:`dimmed`): black
on the green box, 6.1:1 on a page, was 4.1:1 there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from clustersim.viz.palette import contrast_ratio, rgb

IMAGES = Path(__file__).resolve().parents[2] / "book" / "images"
SVG = "{http://www.w3.org/2000/svg}"
PAGES = {"light": "#ffffff", "dark": "#14181e"}
"""The page behind a diagram: pydata-sphinx-theme's --pst-color-background in each mode."""
DIM = (0.8, 1.2)
"""pydata-sphinx-theme's filter on images in dark mode, ``brightness(.8) contrast(1.2)``
(its rule ``html[data-theme=dark] img:not(.only-dark,.dark-light)``, in the theme's
stylesheet), applied to each sRGB channel."""
TEXT_CONTRAST = 4.5
"""WCAG 2.2, success criterion 1.4.3 (Contrast, minimum), for text under 18.66 px bold."""
CHAR_EM = 0.55
"""About how wide a character of Helvetica or Arial is, in em: where a text's box ends."""
INHERITED = ("fill", "fill-opacity", "font-size", "text-anchor")


@dataclass(frozen=True)
class Fill:
    """A rectangle's paint: its box (x0, y0, x1, y1), colour and opacity."""

    box: tuple[float, float, float, float]
    colour: str
    opacity: float


@dataclass(frozen=True)
class Text:
    """A text's colours (its own and its tspans') and the points its box spans."""

    label: str
    colours: frozenset[str]
    points: tuple[tuple[float, float], ...]


def _mix(top: str, below: str, opacity: float) -> str:
    """``top`` at ``opacity`` over ``below``, as ``#rrggbb``."""
    return "#" + "".join(f"{round(opacity * t + (1 - opacity) * b):02x}"
                         for t, b in zip(rgb(top), rgb(below), strict=True))


def dimmed(colour: str) -> str:
    """``colour`` as the dark theme's image filter shows it: each channel times the
    brightness, then spread from the middle grey by the contrast."""
    brightness, contrast = DIM
    return "#" + "".join(
        f"{round(min(1.0, max(0.0, (c / 255 * brightness - 0.5) * contrast + 0.5)) * 255):02x}"
        for c in rgb(colour))


def _colour(value: str | None, where: str) -> str:
    named = {None: "#000000", "black": "#000000", "white": "#ffffff"}
    colour = named.get(value, value)
    assert isinstance(colour, str) and colour.startswith("#"), (
        f"{where}: fill {value!r} is no colour this test can read; write it #rrggbb")
    return colour


def _text_points(element: ElementTree.Element, style: dict[str, str]) -> tuple:
    """The left, middle and right of a text's box, half an x-height above its baseline."""
    size = float(style.get("font-size", "16"))
    width = len("".join(element.itertext()).strip()) * CHAR_EM * size
    x, y = float(element.get("x", "0")), float(element.get("y", "0")) - 0.35 * size
    start = {"middle": x - width / 2, "end": x - width}.get(style.get("text-anchor", ""), x)
    return tuple((start + width * share, y) for share in (0.02, 0.5, 0.98))


def drawing(svg: Path) -> tuple[list[Fill], list[tuple[Text, int]]]:
    """The rectangles in drawing order and each text with how many were drawn before it."""
    root = ElementTree.parse(svg).getroot()
    fills: list[Fill] = []
    texts: list[tuple[Text, int]] = []

    def walk(element: ElementTree.Element, inherited: dict[str, str]) -> None:
        tag = element.tag.removeprefix(SVG)
        assert tag != "style" and "style" not in element.attrib, (
            f"{svg.name}: a stylesheet could recolour the drawing in dark mode, which this "
            "test cannot follow; write colours as attributes")
        if tag in ("defs", "title", "marker"):
            return
        style = {**inherited, **{k: element.get(k, "") for k in INHERITED if element.get(k)}}
        if tag == "rect" and style.get("fill", "#000") != "none":
            x, y = float(element.get("x", "0")), float(element.get("y", "0"))
            box = (x, y, x + float(element.get("width")), y + float(element.get("height")))
            fills.append(Fill(box, _colour(style.get("fill"), f"{svg.name} rect at {x},{y}"),
                              float(style.get("fill-opacity", "1"))))
            return
        if tag in ("path", "circle", "ellipse", "polygon") and style["fill"] != "none":
            pytest.fail(f"{svg.name}: a filled <{tag}> may lie behind text; this test reads "
                        "only rectangles")
        if tag == "text":
            label = "".join(element.itertext()).strip()
            colours = {_colour(style.get("fill"), f"{svg.name} text {label!r}")}
            colours |= {_colour(span.get("fill"), f"{svg.name} text {label!r}")
                        for span in element.iter(f"{SVG}tspan") if span.get("fill")}
            texts.append((Text(label, frozenset(colours), _text_points(element, style)),
                          len(fills)))
            return
        for child in element:
            walk(child, style)

    walk(root, {"fill": root.get("fill", "#000000")})
    return fills, texts


def background(fills: list[Fill], point: tuple[float, float], mode: str) -> str:
    """The colour the rectangles in ``fills`` leave at ``point``: the drawing's own colour
    there (dimmed in dark mode), over the page as far as the drawing is see-through."""
    colour, alpha = "#000000", 0.0
    for fill in fills:
        x0, y0, x1, y1 = fill.box
        if x0 <= point[0] <= x1 and y0 <= point[1] <= y1:
            covered = fill.opacity + alpha * (1 - fill.opacity)
            colour = _mix(fill.colour, colour, fill.opacity / covered)
            alpha = covered
    drawn = dimmed(colour) if mode == "dark" else colour
    return _mix(drawn, PAGES[mode], alpha)


def weakest_texts(svg: Path) -> list[str]:
    """Each text under TEXT_CONTRAST on its background, in either mode, with its ratio."""
    fills, texts = drawing(svg)
    weak = []
    for text, drawn_before in texts:
        for mode in PAGES:
            for point in text.points:
                behind = background(fills[:drawn_before], point, mode)
                for colour in text.colours:
                    shown = dimmed(colour) if mode == "dark" else colour
                    ratio = contrast_ratio(shown, behind)
                    if ratio < TEXT_CONTRAST:
                        weak.append(f"{text.label!r} {shown} on {behind} ({mode} mode): "
                                    f"{ratio:.2f}:1")
    return sorted(set(weak))


def test_the_test_finds_a_weak_text_and_its_background(tmp_path: Path) -> None:
    """A white label on the green box is weak in both modes; a dark orange one on the bare
    page and a black one on a see-through sky blue pass on white and fail on the dark page."""
    svg = tmp_path / "d.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100" font-size="16">'
        '<rect x="0" y="0" width="200" height="100" fill="#009E73"/>'
        '<text x="100" y="50" text-anchor="middle" fill="#ffffff">on green</text>'
        '<rect x="200" y="0" width="200" height="50" fill="#56B4E9" fill-opacity="0.25"/>'
        '<text x="300" y="30" text-anchor="middle">on sky</text>'
        '<text x="300" y="90" text-anchor="middle" fill="#b04a00">on the page</text></svg>')
    weak = [w.split(": ")[0] for w in weakest_texts(svg)]
    # Dark mode dims the drawing: white to #dbdbdb, the green to #007e55, the sky blue to
    # #3993c6 (at a quarter over the page, #1d3748), #b04a00 to #8f2e00.
    assert weak == ["'on green' #dbdbdb on #007e55 (dark mode)",
                    "'on green' #ffffff on #009e73 (light mode)",
                    "'on sky' #000000 on #1d3748 (dark mode)",
                    "'on the page' #8f2e00 on #14181e (dark mode)"]


@pytest.mark.parametrize("svg", sorted(IMAGES.glob("*.svg")), ids=lambda p: p.name)
def test_every_diagram_text_keeps_4_5_to_1(svg: Path) -> None:
    weak = weakest_texts(svg)
    assert not weak, f"{svg.name}: text under {TEXT_CONTRAST}:1:\n" + "\n".join(weak)
