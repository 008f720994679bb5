"""Re-execute notebooks in place so their stored outputs match the library.

Strict nbval compares every stored output with a fresh run, so after changing a lab, an
exercise or the library it calls, refresh the stored outputs::

    python -m clustersim refresh                 # every notebook in notebooks/ and exercises/
    python -m clustersim refresh notebooks/first-look.ipynb

Each notebook runs top to bottom in a fresh kernel whose working directory is the notebook's
folder (as nbval and the book build run it). A cell that fails stops that notebook with the
error; the notebook on disk is then left unchanged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

FOLDERS = ("notebooks", "exercises")


def notebooks(root: Path) -> list[Path]:
    """The notebooks of the course under ``root``, sorted, without checkpoint copies."""
    found = []
    for folder in FOLDERS:
        found += [
            p for p in (root / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
        ]
    return sorted(found)


def join_streams(nb: nbformat.NotebookNode) -> None:
    """Merge each cell's consecutive outputs on the same stream into one, as Jupyter shows
    them: the kernel sends printed text in chunks as its flush timer fires, so where one
    output ends depends on how fast the machine ran, and stored outputs would change from one
    refresh to the next without anything printed changing (nbval compares the joined text)."""
    for cell in nb.cells:
        joined: list[nbformat.NotebookNode] = []
        for output in cell.get("outputs", []):
            last = joined[-1] if joined else None
            if (output.output_type == "stream" and last is not None
                    and last.output_type == "stream" and last.name == output.name):
                last.text += output.text
            else:
                joined.append(output)
        if "outputs" in cell:
            cell.outputs = joined


def refresh(path: Path, timeout: int = 600) -> None:
    """Execute one notebook in a fresh kernel and write its outputs back."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        # Widget state is not stored: nbval never compares it, the book does not use it, and a
        # plotly FigureWidget would put its 4.8 MB JavaScript bundle into the notebook. Neither
        # are execution timestamps: they would change every cell on every refresh.
        store_widget_state=False,
        record_timing=False,
    )
    client.execute()
    join_streams(nb)
    nbformat.write(nb, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clustersim refresh",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, metavar="notebook",
                        help="notebooks to run (default: all in notebooks/ and exercises/)")
    args = parser.parse_args(argv)
    paths = args.paths or notebooks(Path.cwd())
    if not paths:
        print(f"refresh: no notebooks in {Path.cwd()}/notebooks or /exercises: run this in the "
              "course folder, or name the notebooks to refresh", file=sys.stderr)
        return 2
    missing = [p for p in paths if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        print(f"refresh: {missing[0]} is not a notebook file (.ipynb) here; check the path",
              file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        print(f"refreshing {path} ...", flush=True)
        try:
            refresh(path)
        except CellExecutionError as err:
            failed += 1
            print(f"  FAILED: {path}\n{err}", file=sys.stderr)
        except (nbformat.ValidationError, ValueError, OSError) as err:
            failed += 1
            print(f"  FAILED: {path} could not be read or run: {err}", file=sys.stderr)
    print(f"{len(paths) - failed} refreshed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
