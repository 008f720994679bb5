"""Tables decided at build time (clustersim/course/tables.py): a stacked table's cells name
their column without JavaScript, and a long name in a cell has places to break."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from sphinx.application import Sphinx

from clustersim.course.tables import LONGEST_WHOLE

PAGE = """Tables
======

.. table::
   :class: clustersim-stack-rows

   ========  ===============================================  ==========
   tier      Kubernetes (``shop-k8s.yaml``)                    Swarm <&>
   ========  ===============================================  ==========
   database  ``node.kubernetes.io/unreachable:NoExecute`` x    ``db``
   cache     ``--node-monitor-grace-period``                    a <b>
   ========  ===============================================  ==========

========  ============================
plain     table
========  ============================
cell      ``topology.kubernetes.io/zone``
========  ============================

``node.kubernetes.io/unreachable:NoExecute`` outside a table.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    src = tmp_path_factory.mktemp("src")
    (src / "conf.py").write_text('extensions = ["clustersim.course.tables"]\n')
    (src / "index.rst").write_text(PAGE)
    out = src / "_build"
    app = Sphinx(str(src), str(src), str(out), str(out / ".doctrees"), "html",
                 status=None, warning=None, freshenv=True)
    app.build()
    return (Path(out) / "index.html").read_text("utf-8")


def test_stacked_cells_carry_their_column_name(page: str) -> None:
    """toy-to-real's stacked cells were named by course.js: without it, nameless."""
    stacked = page[page.index("clustersim-stack-rows"):page.index("plain")]
    cells = re.findall(r"<td[^>]*>", stacked)
    assert cells == ['<td data-label="tier">', '<td data-label="Kubernetes (shop-k8s.yaml)">',
                     '<td data-label="Swarm &lt;&amp;&gt;">'] * 2
    plain = page[page.index("plain"):]
    assert "data-label" not in plain


def test_long_names_in_cells_break_after_their_punctuation(page: str) -> None:
    """node.kubernetes.io/unreachable:NoExecute kept the self-healing lab's table at 920 px
    in a laptop's 688 px column."""
    assert ('<span class="pre">node.</span><wbr><span class="pre">kubernetes.</span><wbr>'
            '<span class="pre">io/</span><wbr><span class="pre">unreachable:</span><wbr>'
            '<span class="pre">NoExecute</span></code> x') in page
    assert ('<span class="pre">--node-</span><wbr><span class="pre">monitor-</span><wbr>'
            '<span class="pre">grace-</span><wbr><span class="pre">period</span>') in page
    assert len("topology.kubernetes.io/zone") > LONGEST_WHOLE
    assert '<span class="pre">topology.</span><wbr>' in page
    # Short names stay whole, and so does a long one outside a table.
    assert '<span class="pre">shop-k8s.yaml</span>' in page
    outside = page[page.rindex("outside a table") - 200:]
    assert '<span class="pre">node.kubernetes.io/unreachable:NoExecute</span>' in outside


def test_the_longest_whole_word_is_the_one_course_js_keeps_whole() -> None:
    """The build breaks code words longer than LONGEST_WHOLE; course.js keeps a cell's word
    whole while it has at most ``CELL_EM.max / CELL_EM.emPerChar`` characters (16 / 0.6, so
    26): the two must agree, or a name would break at build time that the script keeps whole
    on a phone (or the other way round)."""
    script = (Path(__file__).parents[2] / "_static" / "course.js").read_text(encoding="utf-8")
    found = re.search(r"var CELL_EM = \{([^}]*)\}", script)
    assert found, "course.js no longer defines CELL_EM: update this test and tables.py"
    sizes = dict(re.findall(r"(\w+): ([\d.]+)", found.group(1)))
    assert math.floor(float(sizes["max"]) / float(sizes["emPerChar"])) == LONGEST_WHOLE

