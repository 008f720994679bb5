"""``python -m clustersim refresh`` stores each cell's printed text as Jupyter shows it."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from clustersim.course.refresh import join_streams


def test_consecutive_chunks_of_one_stream_become_one_output():
    cell = new_code_cell("...", outputs=[
        new_output("stream", name="stdout", text="$ kubectl scale ...\n"),
        new_output("stream", name="stdout", text="$ kubectl get pods\n"),
        new_output("stream", name="stderr", text="warning\n"),
        new_output("stream", name="stdout", text="done\n"),
        new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
        new_output("stream", name="stdout", text="after\n"),
    ])
    nb = new_notebook(cells=[new_markdown_cell("# lab"), cell])
    join_streams(nb)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in nb.cells[1].outputs] == [
        ("stream", "stdout", "$ kubectl scale ...\n$ kubectl get pods\n"),
        ("stream", "stderr", "warning\n"),
        ("stream", "stdout", "done\n"),
        ("execute_result", None, None),
        ("stream", "stdout", "after\n"),
    ]
    nbformat.validate(nb)
