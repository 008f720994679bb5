"""`python -m clustersim doctor`: each check finds what it should and says how to fix it."""

from __future__ import annotations

from pathlib import Path

from clustersim.__main__ import main as cli
from clustersim.course import doctor


def test_python_version() -> None:
    assert doctor.check_python((3, 11, 7)).ok
    old = doctor.check_python((3, 9, 1))
    assert not old.ok and "3.11 or newer" in old.line()


def test_packages_compare_pins(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text(
        "pytest==0.0.1  # wrong on purpose\nsimpy==4.1.2\nno-such-package-xyz==1.0\n-e .\n"
    )
    pins = doctor.pinned_requirements(req)
    assert pins == {"pytest": "0.0.1", "simpy": "4.1.2", "no-such-package-xyz": "1.0"}
    lines = {c.name: c for c in doctor.check_packages(pins)}
    assert not lines["pytest"].ok and "pins 0.0.1" in lines["pytest"].line()
    assert lines["simpy"].ok
    assert not lines["no-such-package-xyz"].ok
    assert "pip install -r requirements.txt" in lines["no-such-package-xyz"].line()


def test_missing_lab_front_ends_are_reported(tmp_path: Path) -> None:
    checks = list(doctor.check_lab_extensions([tmp_path]))
    assert checks and not any(c.ok for c in checks)
    assert all("restart JupyterLab" in c.line() for c in checks)


def test_kernel_starts_and_imports_the_library() -> None:
    check = doctor.check_kernel()
    assert check.ok, check.line()


def test_cli_prints_one_line_per_problem_and_returns_status(capsys) -> None:
    assert cli(["doctor", "--no-kernel"]) == 0
    assert "checks passed" in capsys.readouterr().out
    assert cli(["nonsense"]) == 2
    assert cli([]) == 2


def test_myst_front_end_is_pinned_and_checked(tmp_path: Path) -> None:
    """Without jupyterlab-myst, JupyterLab shows `:::{admonition}` as raw text."""
    assert doctor.pinned_requirements().get("jupyterlab-myst"), "jupyterlab-myst is not pinned"
    checks = {c.name: c for c in doctor.check_lab_extensions([tmp_path])}
    assert not checks["JupyterLab front-end jupyterlab-myst"].ok
    installed = {c.name: c for c in doctor.check_lab_extensions()}
    assert installed["JupyterLab front-end jupyterlab-myst"].ok


def test_the_docker_cli_is_optional_and_says_where_to_get_it(monkeypatch) -> None:
    """The real-commands lab skips its docker cells where the CLI is missing: doctor lists it
    with --all, and never as a problem."""
    monkeypatch.setattr("clustersim.serve.launch.find_program", lambda name, path=None: None)
    missing = doctor.check_docker_cli()
    assert missing.ok and "not installed" in missing.line() and "toy-to-real" in missing.line()
    monkeypatch.setattr("clustersim.serve.launch.find_program",
                        lambda name, path=None: f"/usr/bin/{name}")
    assert doctor.check_docker_cli().line() == "ok   docker CLI (optional): /usr/bin/docker"
