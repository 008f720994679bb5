"""No file of the course keeps a merge's conflict markers: a line that starts with
``<<<<<<< `` or ``>>>>>>> `` (git's own markers) is half of two versions, never text anyone
meant to ship (one reached ``clustersim/ARCHITECTURE.md`` once)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("book", "clustersim", "tests", "notebooks", "exercises", "benchmarks", ".ci")
SUFFIXES = {".py", ".md", ".ipynb", ".yml", ".yaml", ".json", ".txt", ".toml", ".cfg", ".css",
            ".svg", ".html", ".js", ""}
MARKER = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)


def files() -> list[Path]:
    found = [p for p in ROOT.iterdir() if p.is_file() and p.suffix in SUFFIXES]
    for folder in SOURCES:
        found += [p for p in (ROOT / folder).rglob("*")
                  if p.is_file() and p.suffix in SUFFIXES and "_build" not in p.parts
                  and "__pycache__" not in p.parts]
    return found


def test_no_file_keeps_conflict_markers() -> None:
    kept = [str(p.relative_to(ROOT)) for p in files()
            if MARKER.search(p.read_text("utf-8", errors="replace"))]
    assert kept == []


def test_the_marker_pattern_finds_git_markers() -> None:
    assert MARKER.search("text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n")
    assert not MARKER.search("a <<<<<<< in a line\n")
