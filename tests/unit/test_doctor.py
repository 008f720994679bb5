"""`python -m clustersim doctor`: each check finds what it should and says how to fix it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clustersim.__main__ import main as cli
from clustersim.course import doctor

ROOT = Path(__file__).resolve().parents[2]


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
    monkeypatch.setattr("clustersim.clients.find_program", lambda name, path=None: None)
    missing = doctor.check_docker_cli()
    assert missing.ok and "not installed" in missing.line() and "toy-to-real" in missing.line()
    monkeypatch.setattr("clustersim.clients.find_program",
                        lambda name, path=None: f"/usr/bin/{name}")
    assert doctor.check_docker_cli().line() == "ok   docker CLI (optional): /usr/bin/docker"


def test_doctor_runs_where_pip_install_failed() -> None:
    """From the repository's folder with none of the course's packages (``-S``: no
    site-packages; ``-E``: no PYTHONPATH), the doctor names each missing package in a FIX line
    instead of failing on ``import yaml`` in ``clustersim/__init__.py``'s imports."""
    done = subprocess.run([sys.executable, "-S", "-E", "-m", "clustersim", "doctor"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    for package in ("PyYAML", "pydantic", "simpy"):
        assert f"FIX  {package}: not installed. Run: pip install -r requirements.txt" in lines
    assert "FIX  notebook kernel: jupyter_client is not installed" in done.stdout


def test_a_pip_fix_also_gives_the_offline_install(monkeypatch) -> None:
    """The offline form is the instructor guide's own command, printed once after the FIX
    lines that need pip, and not when no fix is a pip install."""
    assert doctor.OFFLINE_INSTALL in (ROOT / "book" / "instructors.md").read_text()
    missing = doctor.Check("simpy", False, "not installed", f"Run: {doctor.INSTALL}")
    monkeypatch.setattr(doctor, "run_checks", lambda **_: [missing, missing])
    lines: list[str] = []
    assert doctor.main([], out=lines.append) == 2
    assert [line for line in lines if doctor.OFFLINE_INSTALL in line] == [lines[2]]
    monkeypatch.setattr(doctor, "run_checks", lambda **_: [doctor.check_python((3, 9, 1))])
    lines.clear()
    doctor.main([], out=lines.append)
    assert not any("--no-index" in line for line in lines)


def test_a_wheel_install_compares_the_pins_of_the_file_it_was_installed_from(
        tmp_path, monkeypatch) -> None:
    """The guide's student edition installs the course's package from a wheel with
    ``-r requirements-wheels.txt``: no requirements.txt lies next to that package, so the
    doctor said "package versions not compared" and passed a laptop with any versions.
    ``--requirements`` names the file; a pin it does not meet is a FIX naming that file, and
    without the option the line says how to name it."""
    pins = tmp_path / "requirements-wheels.txt"
    pins.write_text("simpy==0.0.1\nPyYAML==6.0.3\n-e .\n", encoding="utf-8")
    monkeypatch.setattr(doctor, "REQUIREMENTS", tmp_path / "absent" / "requirements.txt")
    monkeypatch.setattr(doctor, "check_lab_extensions", lambda *a, **k: iter(()))
    lines: list[str] = []
    assert doctor.main(["--no-kernel", "--requirements", str(pins)], out=lines.append) == 1
    [simpy] = [line for line in lines if line.startswith("FIX  simpy")]
    assert f"the course pins 0.0.1. Run: pip install -r {pins}" in simpy
    assert f"--find-links /media/usb/wheelhouse -r {pins}" in lines[-2]
    lines.clear()
    assert doctor.main(["--no-kernel", "--all"], out=lines.append) == 0
    assert any("not compared" in line and "--requirements FILE" in line for line in lines)
    lines.clear()
    assert doctor.main(["--no-kernel", "--requirements", str(tmp_path / "nope.txt")],
                       out=lines.append) == 1
    assert lines[0].startswith("FIX  requirements:")


def _requirements_line(path: Path) -> str:
    lines: list[str] = []
    doctor.main(["--no-kernel", "--requirements", str(path)], out=lines.append)
    return next(line for line in lines if "requirements" in line.split(":")[0]
                or "pins 0.0.1" in line)


def test_a_requirements_file_that_cannot_be_read_is_named_not_a_traceback(
        tmp_path: Path) -> None:
    """A folder, a binary file and a UTF-16 file without its byte order mark each get a line
    saying what is wrong; they had raised IsADirectoryError and UnicodeDecodeError."""
    binary = tmp_path / "clustersim.whl"
    binary.write_bytes(b"PK\x03\x04\xc9\xff\x00")
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"\xff\xfenumpy==1\n")
    assert "is a folder" in _requirements_line(tmp_path)
    assert "is not text in UTF-8" in _requirements_line(binary)
    assert "is not text in UTF-16-LE" in _requirements_line(odd)


def test_a_requirements_file_pip_reads_gives_its_pins(tmp_path: Path) -> None:
    """pip's ``auto_decode`` reads a byte order mark (PowerShell's ``pip freeze >`` writes
    UTF-16), and ``-r`` includes the file it names, from the including file's folder; includes
    that loop are read once."""
    freeze = tmp_path / "freeze.txt"
    freeze.write_bytes("pytest==0.0.1\r\n".encode("utf-16"))
    assert "pytest: " in _requirements_line(freeze)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop.txt").write_text("-r ../top.txt\n--requirement=../pins.txt\n")
    (tmp_path / "pins.txt").write_text("pytest==0.0.1\n")
    (tmp_path / "top.txt").write_text("-r sub/loop.txt\n")
    assert doctor.pinned_requirements(tmp_path / "top.txt") == {"pytest": "0.0.1"}
    url = tmp_path / "url.txt"
    url.write_text("-r https://example.org/requirements.txt\n")
    assert "does not fetch the URL it includes" in _requirements_line(url)
