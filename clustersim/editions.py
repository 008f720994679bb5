"""Write a student edition and an instructor edition of the exercises, for a class.

``python -m clustersim editions [--out editions]`` writes:

- ``<out>/student/``: every exercise notebook with the cells tagged ``solution`` removed and
  all outputs cleared, so that learners start from the starters and the checks;
- ``<out>/instructor/``: every exercise notebook as it is, solutions and stored outputs
  included.

Labs are copied into both editions unchanged (``notebooks/``), so an edition is a complete
folder to hand out. Notebooks are read and written with nbformat; nothing else changes.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import nbformat

__all__ = ["main", "student_copy", "write_editions"]

SOLUTION_TAG = "solution"


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without solution cells and without outputs."""
    copy = nbformat.from_dict(nb)
    copy.cells = [
        c for c in copy.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])
    ]
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return copy


def write_editions(root: Path, out: Path) -> dict[str, list[Path]]:
    """Write both editions of ``root``'s exercises (and labs) under ``out``."""
    written: dict[str, list[Path]] = {"student": [], "instructor": []}
    exercises = sorted((root / "exercises").glob("*.ipynb"))
    if not exercises:
        raise ValueError(f"no exercise notebooks in {root / 'exercises'}")
    for edition in written:
        target = out / edition
        if target.exists():
            shutil.rmtree(target)
        (target / "exercises").mkdir(parents=True)
        if (root / "notebooks").is_dir():
            shutil.copytree(root / "notebooks", target / "notebooks",
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        for path in exercises:
            nb = nbformat.read(path, as_version=4)
            if edition == "student":
                nb = student_copy(nb)
            destination = target / "exercises" / path.name
            nbformat.write(nb, destination)
            written[edition].append(destination)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clustersim editions",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("editions"),
                        help="folder to write into (default: editions)")
    args = parser.parse_args(argv)
    written = write_editions(Path.cwd(), args.out)
    for edition, paths in written.items():
        print(f"{edition}: {len(paths)} exercise notebook(s) in {args.out / edition}")
    return 0
