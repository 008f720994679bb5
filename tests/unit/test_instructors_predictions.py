"""The answers of the instructors' guide's "Predict, then run" table are the simulator's, with
the lab's default seed (the table says so): an instructor reads them out before the room runs
the cell, so a number that the lab does not print is a wrong answer given in front of a class.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from clustersim.scenarios.healing import SYSTEMS, node_failure_run
from clustersim.widgets.healing import recovery_time

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"kubernetes": "Kubernetes", "marathon": "Marathon", "swarm": "Swarm"}


def predict_row(lab: str, ask: str) -> str:
    """The answer cell of the table's row for ``lab`` whose question contains ``ask``."""
    text = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    table = text.split("## Predict, then run", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    [row] = [line for line in table.splitlines()
             if line.startswith(f"| {{doc}}`../notebooks/{lab}`") and ask in line]
    return row.rstrip(" |").rsplit(" | ", 1)[1]


def quoted_seconds(text: str) -> dict[str, int]:
    """``{"swarm": 37, ...}`` from "Swarm after 37 s, Marathon 76 s (...), Kubernetes 351 s"."""
    found = {system: re.search(rf"{name}(?: after)? (\d+) s\b", text)
             for system, name in NAMES.items()}
    assert all(found.values()), f"not every system has a time in {text!r}"
    return {system: int(match[1]) for system, match in found.items()}


def test_the_self_healing_recovery_times_are_the_ones_the_lab_prints() -> None:
    """The row gave Swarm 40 s, Marathon 80 s and Kubernetes 360 s (and 40, 90, 380 s in the
    tuned run): the lab's recovery times when it snapshot every 10 s. It snapshots every
    second since, and prints 37, 76 and 351 s (37, 81, 376 s tuned), which the guide's own
    sum, "50 s grace plus 300 s toleration", already contradicted."""
    answer = predict_row("self-healing", "order of recovery")
    defaults, tuned = answer.split("Tuning the clocks", 1)
    lab = {system: recovery_time(node_failure_run(system, node="node-1", fail_at=30))
           for system in SYSTEMS}
    assert quoted_seconds(defaults) == lab
    lab_tuned = {"kubernetes": recovery_time(node_failure_run("kubernetes",
                                                              toleration_seconds=30)),
                 "marathon": recovery_time(node_failure_run("marathon", inactive_after=300)),
                 "swarm": recovery_time(node_failure_run("swarm"))}
    assert quoted_seconds(tuned) == lab_tuned


def linked_page(link: str) -> str:
    """The text of a page a ``{doc}`` link of the guide names (a chapter, lab or exercises)."""
    path = (ROOT / "book" / link).resolve()
    markdown, notebook = path.with_suffix(".md"), path.with_suffix(".ipynb")
    if markdown.is_file():
        return markdown.read_text(encoding="utf-8")
    return "".join("".join(cell["source"]) + "\n" for cell in
                   json.loads(notebook.read_text(encoding="utf-8"))["cells"])


def test_the_sections_the_guide_quotes_are_there() -> None:
    """The half day said "skip the event timelines" of three-dialects, where the lab has no
    section of that name ("The first minute, event by event" holds its three timelines). Each
    name the guide quotes next to a link (a "section", "run", dropdown or card) begins a
    heading or a dropdown's title in a page that block links."""
    text = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    blocks = [line for paragraph in text.split("\n\n") for line in
              (paragraph.splitlines() if paragraph.startswith("|") else [paragraph])]
    checked = 0
    for block in blocks:
        links = re.findall(r"\{doc\}`([^`]+)`", block)
        names = [name for name in re.findall(r'"([A-Z][^"{}?]+)"', " ".join(block.split()))
                 if not name.endswith((".", "!"))]
        if not links or not names:
            continue
        titles = [line.lstrip("#: ").removeprefix("{dropdown}").strip()
                  for link in links for line in linked_page(link).splitlines()
                  if line.startswith(("#", ":::{dropdown}"))]
        for name in names:
            assert any(title.startswith(name) for title in titles), (name, links)
            checked += 1
    assert checked >= 3


def test_a_plan_that_cuts_part_of_a_lab_names_the_part_by_its_heading() -> None:
    """"skip the event timelines" and "the quorum section can be shown" sent an instructor
    looking for sections of other names, with the clock running. A plan row that skips or
    shows part of a lab quotes that part's heading (which the test above finds in the lab)."""
    text = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| \d+:\d\d \|", line)]
    cuts = [row for row in rows if re.search(r"\bskip\b|can be shown", row)]
    assert cuts
    for row in cuts:
        assert re.search(r'(?:skip its section|its section) "[A-Z][^"]+"', row), row


def test_every_predict_then_check_question_has_its_answer() -> None:
    """The labs' table gave "what happens"; the chapters' table gave the questions only, so an
    instructor preparing the day had to build the book to learn the answers. Each row of both
    tables has an answer after its question."""
    text = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    tables = text.split("## Predict, then run", 1)[1].split("\n(instructors-setup)=", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split(" | ")]
            for line in tables.splitlines() if line.startswith("| {doc}")]
    assert len(rows) >= 20
    for row in rows:
        asked = next(i for i, cell in enumerate(row) if cell.startswith('"'))
        assert asked < len(row) - 1 and row[-1] and not row[-1].startswith('"'), row[0]
