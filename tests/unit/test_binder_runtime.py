"""Binder's image builder, repo2docker, installs ``requirements.txt`` into the Python that
``runtime.txt`` names (``python-X.Y``), and into its own default Python, which it moves every
year, when the file is absent (jupyterhub/repo2docker ``docs/source/howto/languages.md``).
Without the file, a launch button could build an environment older than ``requires-python``
and fail at ``-e .``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_binder_is_told_a_python_the_course_supports() -> None:
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    found = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert found, f"runtime.txt says {runtime!r}, not python-3.Y"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = requires["project"]["requires-python"]
    oldest = re.fullmatch(r">=\s*3\.(\d+)", declared)
    assert oldest, f"requires-python is {declared!r}, not >=3.Y: read it another way here"
    assert int(found[1]) >= int(oldest[1]), f"runtime.txt's {runtime} is older than {declared}"
    guide = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    assert f"`{runtime}`" in guide, "the guide's Binder step names another Python"
