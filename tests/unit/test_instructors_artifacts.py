"""What the instructors' guide and the README have an instructor make inside the repository's
folder (wheelhouses, saved images, trimmed requirements files, and the ``build/`` folder that
``pip wheel .`` leaves) is ignored by git: ``git status`` stays clean after preparing a USB
stick, and none of it, 238 MB of wheels among it, can be committed by a ``git add .``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def made_here() -> set[str]:
    """The files and folders the two pages' commands write into the current folder."""
    made = {"build/"}           # setuptools' work folder, left by `pip wheel .`
    for page in ("book/instructors.md", "README.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        made |= {f"{name}/" for name in re.findall(r"(?:^|\s)-[dw] (wheelhouse[\w-]*)", text)}
        made |= set(re.findall(r"(?:^|\s)-o ([\w-]+\.tar)\b", text))
        made |= set(re.findall(r"> (requirements-[\w-]+\.txt)", text))
    return made


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="needs git and the repository's history")
def test_what_an_instructor_prepares_in_the_folder_is_ignored() -> None:
    made = made_here()
    assert {"wheelhouse/", "images.tar", "requirements-wheels.txt"} <= made
    probes = [name + ("x.whl" if name.endswith("/") else "") for name in sorted(made)]
    done = subprocess.run(["git", "check-ignore", "--no-index", *probes], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)
    assert set(done.stdout.split()) == set(probes), set(probes) - set(done.stdout.split())
