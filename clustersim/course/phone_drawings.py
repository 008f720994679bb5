"""Diagrams drawn twice: side by side for a page, stacked for a phone.

A course diagram such as ``book/images/kubernetes-architecture.svg`` is laid out for a page
column (760 to 780 px wide). Shrunk to a 390 px phone its 12 px labels would be 5.5 px, so
course.css used to keep it 620 px or more wide and let it scroll sideways. Where the chapter
author has drawn the same parts stacked, in ``NAME-narrow.svg`` next to ``NAME.svg``, this
Sphinx extension puts that drawing right after every HTML image of ``NAME.svg``, with the same
alt text, and marks the two (:data:`WIDE_CLASS`, :data:`NARROW_CLASS`): course.css shows the
narrow one below 660 px and the wide one above. The wide drawings write their labels at 16
units in 780 (they were 12, shown at 8.5 to 10.3 px on 600 to 1280 px windows): at 660 px and
above their column is at least 608 px wide, so a label is at least 12 px; below, the twin
shows its labels at 12 px. Only the drawing the window shows is in the accessibility tree
(the other is ``display: none``). The twin leaves out the figure's ``:width:`` (the chapters
give ``100%``): it is drawn at its own width, 360 px, or narrower where the column is, never
blown up on a 659 px window.

The twin is added on ``doctree-read`` before Sphinx's own image collector runs
(``sphinx/environment/collectors/asset.py``, ``ImageCollector``, connected at the default
priority 500), so the collector records it and the HTML builder copies it into ``_images/``
like any image a chapter names (Sphinx's ``Builder.post_process_images``). Other builders
(LaTeX, for a PDF) get the wide drawing alone.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

NARROW_SUFFIX = "-narrow"
WIDE_CLASS = "clustersim-has-narrow"
"""Class of an image that has a stacked twin (hidden on a phone)."""
NARROW_CLASS = "clustersim-narrow-drawing"
"""Class of the stacked twin (shown on a phone only)."""


def narrow_twin(path: Path) -> Path | None:
    """The stacked drawing of the SVG diagram at ``path``, if its author drew one."""
    twin = path.with_name(f"{path.stem}{NARROW_SUFFIX}{path.suffix}")
    if path.suffix != ".svg" or path.stem.endswith(NARROW_SUFFIX) or not twin.is_file():
        return None
    return twin


def add_narrow_twins(doctree: nodes.document, source_of: Any) -> int:
    """Put each image's stacked twin right after it; ``source_of(uri)`` gives the image's
    file. Returns the number of twins added."""
    added = 0
    for image in list(doctree.findall(nodes.image)):
        uri = image["uri"]
        if "://" in uri or uri.startswith("data:") or WIDE_CLASS in image["classes"]:
            continue
        twin_path = narrow_twin(Path(source_of(uri)))
        if twin_path is None:
            continue
        twin = image.deepcopy()
        twin["uri"] = posixpath.join(posixpath.dirname(uri), twin_path.name)
        twin["classes"] = [*image["classes"], NARROW_CLASS]
        twin["ids"] = []  # an id (a figure's :name:) stays on the wide drawing alone
        twin.attributes.pop("width", None)  # drawn at its own size, at most the column's
        image["classes"].append(WIDE_CLASS)
        image.parent.insert(image.parent.index(image) + 1, twin)
        added += 1
    return added


def _add_twins(app: Sphinx, doctree: nodes.document) -> None:
    if app.builder.format != "html":
        return
    env = app.env
    add_narrow_twins(doctree, lambda uri: env.relfn2path(uri, env.docname)[1])


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _add_twins, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
