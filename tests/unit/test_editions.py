"""The student edition gives no answer away; the instructor edition is complete; the CLI
refuses misuse with one line instead of a traceback."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from clustersim.__main__ import main as cli
from clustersim.course.editions import (
    REMOVED_TAGS,
    SOLUTION_FIRST_LINE,
    EditionError,
    student_copy,
    write_editions,
)
from clustersim.exercises import Feedback
from tests.conftest import ROOT

EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["cells"]


def _tags(cell: dict) -> set[str]:
    return set(cell["metadata"].get("tags", []))


def test_editions(tmp_path: Path) -> None:
    written = write_editions(ROOT, tmp_path)
    assert written["student"] and len(written["student"]) == len(written["instructor"])
    for student, instructor in zip(written["student"], written["instructor"], strict=True):
        source = ROOT / "exercises" / student.name
        original = _cells(source)
        assert any("solution" in _tags(c) for c in original), f"{source.name}: no solutions"
        removed = [c for c in original if REMOVED_TAGS & _tags(c)]
        kept = _cells(student)
        assert len(kept) == len(original) - len(removed)
        assert not any(REMOVED_TAGS & _tags(c) for c in kept)
        assert all(not c.get("outputs") for c in kept if c["cell_type"] == "code")
        mine = _cells(instructor)
        assert [c for c in mine if c["cell_type"] == "code"] == [
            c for c in original if c["cell_type"] == "code"]
        assert len(mine) == len(original)
    assert (tmp_path / "student" / "notebooks" / "first-look.ipynb").is_file()


def _chapter_links(folder: Path) -> list[str]:
    return [link for path in sorted(folder.rglob("*.ipynb")) for cell in _cells(path)
            if cell["cell_type"] == "markdown"
            for link in re.findall(r"\]\(([^)\s]*book/[^)\s]*)\)", "".join(cell["source"]))]


@pytest.mark.parametrize("site", [None, "../../html"])
def test_chapter_links_lead_somewhere_outside_the_repository(tmp_path: Path, site) -> None:
    """An edition is handed out without book/: its ``../book/<page>.md`` links would lead
    nowhere, so they point to the built site's pages or to the repository's chapters."""
    write_editions(ROOT, tmp_path, site=site)
    repository = "https://github.com/clustersim-course/container-orchestration/blob/main/"
    for edition in ("student", "instructor"):
        links = _chapter_links(tmp_path / edition)
        assert links, "the exercises and labs link chapters"
        for link in links:
            page = link.split("book/", 1)[1].split("#", 1)[0]
            if site:
                assert link.startswith("../../html/book/") and page.endswith(".html"), link
                assert (ROOT / "book" / page).with_suffix(".md").is_file(), link
            else:
                assert link.startswith(repository + "book/") and page.endswith(".md"), link
                assert (ROOT / "book" / page).is_file(), link


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_collapsed_solutions_show_a_neutral_first_line(path: Path) -> None:
    """JupyterLab shows a collapsed cell's first line: it must not be part of the answer."""
    for cell in _cells(path):
        if "solution" in _tags(cell):
            first = "".join(cell["source"]).splitlines()[0]
            assert first == SOLUTION_FIRST_LINE, f"{path.name}: a solution starts {first!r}"
            hidden = cell["metadata"].get("jupyter", {})
            assert hidden.get("source_hidden") and hidden.get("outputs_hidden"), path.name


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_instructor_outputs_are_collapsed_in_jupyterlab(path: Path) -> None:
    """An instructor cell that shows the simulator's answer opens collapsed in JupyterLab (and
    behind a toggle in the book), as solutions do: a learner sees it only by asking."""
    for cell in _cells(path):
        if cell["cell_type"] == "code" and "instructor" in _tags(cell):
            assert cell["metadata"].get("jupyter", {}).get("outputs_hidden"), path.name
            assert {"hide-output", "hide-cell"} & _tags(cell), path.name


# --- No answer anywhere in the student edition -------------------------------------------

_PROMISE = re.compile(r"solution|show code cell|collapsed cell", re.IGNORECASE)


def _execute(cells: list[dict], folder: Path) -> tuple[list[str], list[tuple[bool, object]]]:
    """Run the code cells in order in one namespace (as a fresh kernel would, from
    ``folder``). Returns what each cell shows (printed text and the value of a last
    expression) and, for every ``check_*`` call, (in a solution cell?, its argument)."""
    namespace: dict = {"__name__": "__exercise__"}
    shown: list[str] = []
    answers: list[tuple[bool, object]] = []
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse("".join(cell["source"]))
            last = tree.body[-1] if tree.body else None
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                if isinstance(last, ast.Expr):
                    exec(compile(ast.Module(tree.body[:-1], []), "<cell>", "exec"), namespace)
                    call = last.value
                    if (isinstance(call, ast.Call) and call.args
                            and getattr(call.func, "id", "").startswith("check_")):
                        argument = eval(compile(ast.Expression(call.args[0]), "<cell>", "eval"),
                                        namespace)
                        answers.append(("solution" in _tags(cell), argument))
                    value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
                    if value is not None:
                        print(value)
                else:
                    exec(compile(tree, "<cell>", "exec"), namespace)
            shown.append(printed.getvalue())
    finally:
        os.chdir(cwd)
    return shown, answers


def _atoms(answer: object, starter: object) -> list[tuple[str, str]]:
    """(key, number) pairs of a solution's answer that differ from the starter's: a printed
    line naming that key and that number gives the answer away."""
    if not isinstance(answer, dict):
        return []
    given = starter if isinstance(starter, dict) else {}
    return [(str(k), str(v)) for k, v in answer.items()
            if isinstance(v, int | float) and not isinstance(v, bool) and given.get(k) != v]


def _labels(answer: object, starter: object) -> list[tuple[str, str]]:
    """(key, text) pairs of a solution's answer that names a word for each key (a QoS class,
    a state) and differs from the starter: output that pairs every key with its word on one
    line each gives the whole answer away, however it is laid out."""
    if not isinstance(answer, dict):
        return []
    given = starter if isinstance(starter, dict) else {}
    pairs = [(str(k), v) for k, v in answer.items() if isinstance(v, str) and given.get(k) != v]
    return pairs if len(pairs) >= 2 else []


def _token(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.-]){re.escape(text)}(?![\w.-])")


_NUMBER = re.compile(r"(?<![\w.:-])\d+(?:\.\d+)?(?![\w.-])")


def _leaks(shown: list[str], atoms: list[list[tuple[str, str]]], successes: list[str],
           labels: list[list[tuple[str, str]]] = ()) -> list[str]:
    """What the outputs ``shown`` give away: a solution's success message; a line naming
    one key of an answer (and no other key of it: a table of all keys is data) and its
    number; or one cell's output pairing every key of a worded answer with its word. A
    check's verdict on the learner's own answer is feedback, not a leak."""
    found = []
    for text in shown:
        found += [f"the success message {s[:60]!r}" for s in successes if s in text]
        lines = [line for line in text.splitlines() if not line.startswith(("✗ ", "Hint: "))]
        for pairs in labels:
            if pairs and all(any(_token(k).search(line) and _token(v).search(line)
                                 for line in lines) for k, v in pairs):
                found.append(f"the whole answer {dict(pairs)} in {text.strip()[:80]!r}")
        for line in text.splitlines():
            if line.startswith(("✗ ", "Hint: ")):
                continue
            for pairs in atoms:
                named = [(k, v) for k, v in pairs if _token(k).search(line)]
                if len(named) == 1:
                    key, value = named[0]
                    if value in _NUMBER.findall(_token(key).sub(" ", line)):
                        found.append(f"{key} = {value} in {line.strip()!r}")
    return found


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_student_edition_gives_no_answer_away(path: Path) -> None:
    """Run the instructor notebook to learn the checked answers, then the student edition:
    no text promises a solution, and nothing it prints is a checked answer."""
    full = nbformat.read(path, as_version=4)
    shown, checked = _execute(full.cells, path.parent)
    starters = [argument for in_solution, argument in checked if not in_solution]
    answers = [argument for in_solution, argument in checked if in_solution]
    assert answers and len(starters) == len(answers), f"{path.name}: a check without a pair"
    atoms = [_atoms(a, s) for a, s in zip(answers, starters, strict=True)]
    successes = [line for text in shown for line in text.splitlines()
                 if line.startswith("✓ ")]
    student = student_copy(full)
    promises = [c.source[:80] for c in student.cells if _PROMISE.search(c.source)]
    assert not promises, f"{path.name}: the student edition mentions solutions: {promises}"
    student_shown, _ = _execute(student.cells, path.parent)
    labels = [_labels(a, s) for a, s in zip(answers, starters, strict=True)]
    leaks = _leaks(student_shown, atoms, successes, labels)
    assert not leaks, f"{path.name}: the student edition shows answers: {leaks[:3]}"


def test_leak_detector_finds_a_printed_answer() -> None:
    """The detector itself: the Kubernetes chapter's scores, as its old reveal cell printed
    them, are found."""
    line = ("node-a: total 424, {'TaintToleration': 100, 'NodeResourcesFit': 37, "
            "'NodeResourcesBalancedAllocation': 87}")
    atoms = [_atoms({"node-a": 37, "node-b": 43}, {"node-a": None, "node-b": None})]
    assert _leaks([line], atoms, [])
    assert not _leaks(["node-a: cpu 2/4, memory 2/8 GiB"], atoms, [])
    assert _leaks([str(Feedback(True, "Right: 37."))], [], ["✓ Right: 37."])
    # the resource-management exercise's old reveal cell printed every Pod's QoS class
    qos = {"cache": "Guaranteed", "web": "Burstable", "debug": "BestEffort"}
    labels = [_labels(qos, dict.fromkeys(qos))]
    assert _leaks([str(qos)], [], [], labels)
    assert _leaks(["cache  Guaranteed\nweb    Burstable\ndebug  BestEffort"], [], [], labels)
    assert not _leaks(["pods: cache, web, debug\nclasses: Guaranteed, Burstable, BestEffort"],
                      [], [], labels)


# --- The command line ----------------------------------------------------------------------

def test_cli(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    assert cli(["editions", "--out", str(tmp_path / "out")]) == 0
    assert "student:" in capsys.readouterr().out


def test_existing_edition_is_kept_without_force(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    mine = tmp_path / "student" / "my-notes.txt"
    mine.parent.mkdir()
    mine.write_text("an instructor's notes")
    assert cli(["editions", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and "Traceback" not in err
    assert mine.read_text() == "an instructor's notes"
    assert cli(["editions", "--out", str(tmp_path), "--force"]) == 0
    assert not mine.exists()


@pytest.mark.parametrize("where", ["notebooks", "notebooks/sub", "exercises"])
def test_never_writes_inside_the_course_folders(where: str) -> None:
    with pytest.raises(EditionError, match="inside the course's"):
        write_editions(ROOT, ROOT / where)
    assert not (ROOT / "notebooks" / "student").exists()


def test_misuse_gives_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)  # not the course folder
    assert cli(["editions"]) == 2
    assert "run this command in the course folder" in capsys.readouterr().err
    monkeypatch.chdir(ROOT)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert cli(["editions", "--out", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and len(err.strip().splitlines()) == 1


def test_refresh_misuse_gives_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(["refresh"]) == 2
    assert "no notebooks" in capsys.readouterr().err
    assert cli(["refresh", "missing.ipynb"]) == 2
    err = capsys.readouterr().err
    assert "missing.ipynb is not a notebook file" in err and "Traceback" not in err
