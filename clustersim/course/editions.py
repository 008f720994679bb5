"""Write a student edition and an instructor edition of the exercises, for a class.

``python -m clustersim editions [--out editions] [--force]`` writes:

- ``<out>/student/``: every exercise notebook without the cells that give an answer away and
  with all outputs cleared, so that learners start from the starters and the checks. Removed
  are the cells tagged ``solution`` (the solutions) and those tagged ``instructor`` (text that
  promises a hidden solution, and cells that print what the learner must find, such as the
  scheduler's own scores after a "score by hand" exercise);
- ``<out>/instructor/``: every exercise notebook as it is, solutions and stored outputs
  included.

Labs are copied into both editions (``notebooks/``), so an edition is a complete folder to
hand out. An edition that already exists is never replaced without ``--force``.

An edition leaves the repository, and with it the chapters that its notebooks link as
``../book/<page>.md``: in both editions those links are rewritten to the built book's page,
``<site>/book/<page>.html`` with ``--site`` (a URL, or a path relative to the edition's
notebooks, such as ``../../html`` for a built site copied beside the editions), and otherwise
to the chapter's Markdown in the course's public repository (``repository.url`` and
``branch`` of ``_config.yml``), which GitHub renders although MyST's roles show as text.
So are the links of the labs' stored outputs to a chapter (the widgets' kernel note,
``../book/welcome.html``). Links between the labs and the exercises stay as they are: both
folders are in the edition (a notebook downloaded from the book alone has neither, and
:func:`clustersim.course.book.notebook_downloads` relinks those too). Notebooks are read and
written with nbformat; nothing else changes.
"""

from __future__ import annotations

import argparse
import html
import posixpath
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

__all__ = [
    "REMOVED_TAGS",
    "SOLUTION_FIRST_LINE",
    "EditionError",
    "main",
    "relink_chapters",
    "student_copy",
    "write_editions",
]

SOLUTION_TAG = "solution"
#: The first line of every solution cell: JupyterLab shows it on a collapsed cell, so it must
#: give nothing away.
SOLUTION_FIRST_LINE = "# Solution (try the exercise and read the check's hint first)"
INSTRUCTOR_TAG = "instructor"
REMOVED_TAGS = frozenset({SOLUTION_TAG, INSTRUCTOR_TAG})
EDITIONS = ("student", "instructor")
#: A relative Markdown link from a notebook to a page of the course, a chapter or a notebook,
#: ``](<path>.md#anchor)`` or ``](<path>.ipynb)``; a link with a scheme (``https:``), from the
#: root (``/``) or to an anchor of the same page is none.
COURSE_LINK = re.compile(r"\]\((?![\w+.-]+:|/|#)([^)#\s]+)\.(md|ipynb)(#[^)\s]*)?\)")
#: A link from a cell's output to a built chapter, as the widgets' kernel note writes it:
#: ``href="../book/welcome.html#running-a-notebook-online-or-offline"``.
OUTPUT_CHAPTER_LINK = re.compile(r'href="\.\./book/([^"#\s]+)\.html(#[^"\s]*)?"')
CHAPTERS = frozenset({"book"})


class EditionError(ValueError):
    """The editions cannot be written as asked; the message says why and what to do."""


def student_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without solution and instructor cells, and without outputs."""
    copy = nbformat.from_dict(nb)
    copy.cells = [
        c for c in copy.cells if not REMOVED_TAGS & set(c.get("metadata", {}).get("tags", []))
    ]
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return copy


def chapter_base(root: Path, site: str | None) -> str:
    """Where an edition's chapter links lead: ``site`` when given (``<site>/book/<page>.html``),
    else the chapters in the repository that ``_config.yml`` names (``.../blob/<branch>``)."""
    if site:
        return site.rstrip("/")
    try:
        config = yaml.safe_load((root / "_config.yml").read_text("utf-8")) or {}
        repository = config["repository"]
        return f"{repository['url'].rstrip('/')}/blob/{repository.get('branch', 'main')}"
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as err:
        raise EditionError(f"{root / '_config.yml'} names no repository.url ({err}): give "
                           "the address of the built book (--site for the editions, html."
                           "baseurl in _config.yml for the book's downloads)") from err


def relink_chapters(nb: nbformat.NotebookNode, base: str, site: bool,
                    folder: str = "notebooks",
                    leads: frozenset[str] = CHAPTERS) -> nbformat.NotebookNode:
    """``nb``, a notebook in the course's ``folder``, with its Markdown links to pages under
    the course's folders ``leads`` (the chapters, ``book/``, by default) pointing under
    ``base``: the built page (``.html``) when ``site`` is true, else the file itself
    (``.md``, ``.ipynb``). Its outputs' links to built chapters (the kernel note's) follow."""
    chapter_suffix = ".html" if site else ".md"

    def link(match: re.Match[str]) -> str:
        page = posixpath.normpath(posixpath.join(folder, match[1]))
        if page.split("/", 1)[0] not in leads:
            return match[0]
        return f"]({base}/{page}{'.html' if site else '.' + match[2]}{match[3] or ''})"

    def output_link(match: re.Match[str]) -> str:
        target = f"{base}/book/{match[1]}{chapter_suffix}{match[2] or ''}"
        return f'href="{html.escape(target)}"'

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = COURSE_LINK.sub(link, cell.source)
        for output in cell.get("outputs", []):
            shown = output.get("data", {}).get("text/html")
            if isinstance(shown, str):
                output.data["text/html"] = OUTPUT_CHAPTER_LINK.sub(output_link, shown)
    return nb


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_places(root: Path, out: Path, force: bool) -> list[Path]:
    """The exercise notebooks to write, once ``root`` and ``out`` are known to be usable."""
    if not (root / "exercises").is_dir():
        raise EditionError(f"{root} has no exercises/ folder: run this command in the course "
                           "folder (the one holding exercises/ and notebooks/)")
    exercises = sorted((root / "exercises").glob("*.ipynb"))
    if not exercises:
        raise EditionError(f"no exercise notebooks in {root / 'exercises'}")
    if out.exists() and not out.is_dir():
        raise EditionError(f"{out} is a file, not a folder: give --out a folder to write into")
    for folder in ("notebooks", "exercises"):
        if _inside(out, root / folder):
            raise EditionError(f"{out} is inside the course's {folder}/ folder: the editions "
                               "would copy themselves into themselves; give --out a folder "
                               "outside it (the default is editions/)")
    existing = [out / e for e in EDITIONS if (out / e).exists()]
    if existing and not force:
        raise EditionError(f"{existing[0]} already exists: remove it, choose another --out, or "
                           "pass --force to replace the editions in it")
    for target in existing:
        if not target.is_dir():
            raise EditionError(f"{target} is a file, not an edition folder: remove it first")
    return exercises


def _read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as err:  # nbformat raises several types for a damaged file
        raise EditionError(f"{path} is not a readable notebook ({err})") from err


def write_editions(root: Path, out: Path, force: bool = False,
                   site: str | None = None) -> dict[str, list[Path]]:
    """Write both editions of ``root``'s exercises (and labs) under ``out``, their chapter
    links pointing to the built book at ``site``, or to the repository's chapters.

    Raises :class:`EditionError` when ``root`` is not the course folder, when ``out`` is a
    file or lies inside ``notebooks/`` or ``exercises/``, and when an edition already exists
    under ``out`` and ``force`` is false.
    """
    root, out = root.resolve(), out.resolve()
    exercises = _check_places(root, out, force)
    base = chapter_base(root, site)
    written: dict[str, list[Path]] = {edition: [] for edition in EDITIONS}
    for edition in EDITIONS:
        target = out / edition
        if target.exists():
            shutil.rmtree(target)
        (target / "exercises").mkdir(parents=True)
        if (root / "notebooks").is_dir():
            shutil.copytree(root / "notebooks", target / "notebooks",
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            for lab in (target / "notebooks").glob("*.ipynb"):
                nbformat.write(relink_chapters(_read(lab), base, bool(site)), lab)
        for path in exercises:
            nb = _read(path)
            if edition == "student":
                nb = student_copy(nb)
            destination = target / "exercises" / path.name
            nbformat.write(relink_chapters(nb, base, bool(site), "exercises"), destination)
            written[edition].append(destination)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clustersim editions",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("editions"),
                        help="folder to write into (default: editions)")
    parser.add_argument("--force", action="store_true",
                        help="replace editions that already exist in the folder")
    parser.add_argument("--site", help="the built book's address (a URL, or a path relative "
                        "to the edition's notebooks) that chapter links lead to (default: the "
                        "chapters in the course's repository)")
    args = parser.parse_args(argv)
    try:
        written = write_editions(Path.cwd(), args.out, force=args.force, site=args.site)
    except (EditionError, OSError) as err:
        print(f"editions: {err}", file=sys.stderr)
        return 2
    for edition, paths in written.items():
        print(f"{edition}: {len(paths)} exercise notebook(s) in {args.out / edition}")
    return 0
