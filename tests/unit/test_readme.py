"""The README's set-up works on each platform a learner brings, and keeps the commands CI runs.

An instructor trial on Windows laptops found only Linux and macOS commands: ``python3`` and
``. .venv/bin/activate`` (PowerShell wants ``py`` and ``.venv\\Scripts\\Activate.ps1``, and
refuses scripts until the execution policy allows them) and no way to open the built site."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_s_own_set_up_and_test_commands() -> None:
    """.ci/run says it runs "exactly the README's test command": both must stay in the README."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in ("python3 -m venv .venv", ". .venv/bin/activate",
                    "pip install -r requirements.txt && pytest"):
        assert command in ci and command in README, command


def test_each_platform_has_its_open_command() -> None:
    for command in ("xdg-open _build/html/index.html", "open _build/html/index.html",
                    "start _build\\html\\index.html"):
        assert f"`{command}`" in README, command


def test_windows_learners_get_powershell_s_set_up() -> None:
    words = " ".join(README.split())    # a sentence may wrap anywhere
    for command in (r"py -3\.11 -m venv \.venv", r"\.venv\\Scripts\\Activate\.ps1",
                    r"\.venv\\Scripts\\activate\.bat",
                    r"Set-ExecutionPolicy -Scope Process -ExecutionPolicy RemoteSigned"):
        assert re.search(f"`{command}`", words), command
    assert "$env:" in words and "`&&`" in words


def test_welcome_page_gives_windows_the_readme_s_commands() -> None:
    """A newcomer trial found only POSIX set-up on the welcome page: each of its two set-up
    blocks is followed by PowerShell's commands, the same ones the README gives."""
    welcome = " ".join((ROOT / "book" / "welcome.md").read_text(encoding="utf-8").split())
    words = " ".join(README.split())
    for command in (r"py -3\.11 -m venv \.venv", r"\.venv\\Scripts\\Activate\.ps1"):
        pattern = f"`{command}`"
        assert re.search(pattern, words), command
        assert len(re.findall(pattern, welcome)) == 2, command


def test_the_readme_and_welcome_page_recommend_the_pythons_the_guide_does() -> None:
    """The README said only "Python 3.11 or newer" while the instructors' guide found no wheel
    of the pinned NumPy for the newest Python: a learner who took python.org's newest got a
    NumPy build from source. Both set-up pages now name safe versions, the guide's own."""
    guide = " ".join((ROOT / "book" / "instructors.md").read_text(encoding="utf-8").split())
    [advised] = re.findall(r"Use (3\.\d+) or (3\.\d+) in a class", guide)
    welcome = " ".join((ROOT / "book" / "welcome.md").read_text(encoding="utf-8").split())
    for page in (" ".join(README.split()), welcome):
        assert f"{advised[0]} and {advised[1]} are safe choices" in page
        assert "not one newer than" in page
