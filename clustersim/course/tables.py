"""Tables that fit their column: decided when the book is built, so they need no script.

A Sphinx extension (named in ``_config.yml``) that changes the tables of the chapters and of
the labs' Markdown cells on ``doctree-read``:

- **A stacked table's cells carry their column's name.** A table of records marked
  ``clustersim-stack-rows`` (a MyST ``{table}`` directive's ``:class:``, as in
  ``book/toy-to-real.md``) shows each row as a block on a phone and each cell under its
  column's name (``_static/course.css``, ``content: attr(data-label)``). The name is each body
  cell's ``data-label`` attribute, written here from the header row: course.js used to copy
  it in the browser, and without JavaScript the cells stacked unnamed.
- **A long name in a cell has places to break.** Sphinx writes each word of inline code as a
  ``<span class="pre">`` that never wraps (``sphinx/writers/html5.py``, ``visit_Text``), so a
  name such as ``node.kubernetes.io/unreachable:NoExecute`` set the width of its column: the
  self-healing lab's failure-detection table was 920 px in a 1280 px laptop's 688 px column.
  A word of code longer than :data:`LONGEST_WHOLE` characters gets a ``<wbr>`` after each
  ``.``, ``/``, ``:``, ``=`` and ``,`` and after a ``-`` or ``_`` inside it
  (``node.`` ``kubernetes.`` ``io/`` ``unreachable:`` ``NoExecute``); the text a reader
  copies is unchanged. Shorter names stay whole, as course.js keeps them on a phone.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

STACK_CLASS = "clustersim-stack-rows"
"""Class of a table whose rows stack on a phone, each cell under its column's name."""
LABEL = "clustersim_label"
"""The attribute of a body cell (a docutils ``entry``) that holds its column's name."""
LONGEST_WHOLE = 26
"""Characters of the longest word of code that stays whole in a table cell: course.js's
``LONGEST_WHOLE`` (a cell asks at most 16 em for its text, at 0.6 em a character; a test
keeps the two the same)."""
_BREAK_AFTER = re.compile(r"(?<=[./:=,])(?=.)|(?<=[^-_\s][-_])(?=\w)")


class wbr(nodes.Inline, nodes.Element):  # noqa: N801  (named for the HTML element it writes)
    """A place where a long name may break: ``<wbr>`` in HTML, nothing in other outputs."""


def label_stacked_cells(doctree: nodes.Node) -> int:
    """Give every body cell of each ``clustersim-stack-rows`` table its column's name (the
    header row's text at its column); returns the number of cells labelled."""
    labelled = 0
    for table in doctree.findall(nodes.table):
        if STACK_CLASS not in table["classes"]:
            continue
        for group in table.findall(nodes.tgroup):
            heads = [row for head in group.findall(nodes.thead) for row in head.children]
            if not heads:
                continue
            names = _by_column(heads[0])
            for body in group.findall(nodes.tbody):
                for row in body.children:
                    for column, entry in _columns(row):
                        name = names.get(column, "")
                        if name:
                            entry[LABEL] = name
                            labelled += 1
    return labelled


def _columns(row: nodes.Node) -> list[tuple[int, nodes.Element]]:
    """The cells of a row with the column each starts at (a cell may span columns)."""
    found, column = [], 0
    for entry in row.children:
        found.append((column, entry))
        column += 1 + entry.get("morecols", 0)
    return found


def _by_column(row: nodes.Node) -> dict[int, str]:
    return {column: " ".join(entry.astext().split()) for column, entry in _columns(row)}


def break_long_names(doctree: nodes.Node) -> int:
    """Put a :class:`wbr` at the break points of each word of code longer than
    :data:`LONGEST_WHOLE` characters in a table cell; returns the number of names."""
    broken = 0
    for entry in list(doctree.findall(nodes.entry)):
        for literal in list(entry.findall(nodes.literal)):
            for text in list(literal.findall(nodes.Text)):
                pieces = []
                for word in re.split(r"(\s+)", str(text)):
                    if len(word) > LONGEST_WHOLE and not word.isspace():
                        broken += 1
                        parts = _BREAK_AFTER.split(word)
                        for i, part in enumerate(parts):
                            if i:
                                pieces.append(wbr())
                            pieces.append(nodes.Text(part))
                    elif word:
                        pieces.append(nodes.Text(word))
                if any(isinstance(p, wbr) for p in pieces):
                    text.parent.replace(text, pieces)
    return broken


def _fit_tables(app: Sphinx, doctree: nodes.document) -> None:
    label_stacked_cells(doctree)
    break_long_names(doctree)


def _visit_wbr(translator: Any, node: wbr) -> None:
    translator.body.append("<wbr>")
    raise nodes.SkipNode


def _skip(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _visit_entry(translator: Any, node: nodes.Element) -> None:
    """docutils' own cell, with ``data-label`` when the cell has a column name."""
    type(translator).visit_entry(translator, node)
    label = node.get(LABEL)
    start = translator.body[-1]
    if label and start.startswith("<td"):
        translator.body[-1] = f'<td data-label="{html.escape(label)}"{start[3:]}'


def _depart_entry(translator: Any, node: nodes.Element) -> None:
    type(translator).depart_entry(translator, node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(wbr, html=(_visit_wbr, None), latex=(_skip, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.add_node(nodes.entry, override=True, html=(_visit_entry, _depart_entry))
    app.connect("doctree-read", _fit_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
