"""Check a learner's machine for the course and say what to fix, one line each.

Run ``python -m clustersim doctor``. It checks the Python version, that every package the
course pins is installed at its pinned version, that JupyterLab has the front-ends the labs
need (ipywidgets, plotly, anywidget, and jupyterlab-myst, which renders the MyST admonitions
and links of the notebooks' text as the book does), and that a notebook kernel starts and runs
code. Each check prints ``ok`` or ``FIX`` with the command that fixes it; the exit code is the
number of problems (0 when all is well). The docker CLI is reported with ``--all`` only, as
optional: a lab skips its cells where it is missing.

The pins come from the repository's ``requirements.txt``, next to the package. Where the
package was installed from a wheel (book/instructors.md's student edition on a USB stick), no
such file is there: ``--requirements FILE`` names the requirements file the learner installed
from, and the fixes name it.

The doctor imports only the standard library (as ``clustersim``'s own ``__init__`` does), so
it also runs where a failed or partial ``pip install`` left packages out, and names each one.
Where a fix is a ``pip install``, a last line gives its offline form, from the wheelhouse of
book/instructors.md's "Teaching with no internet" (:data:`OFFLINE_INSTALL`).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from clustersim.course.requirements_file import RequirementsError, requirement_lines

__all__ = ["Check", "check_count", "main", "run_checks"]

MIN_PYTHON = (3, 11)
REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"
LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "ipywidgets controls (jupyterlab_widgets)",
    "jupyterlab-plotly": "plotly figures in JupyterLab (plotly)",
    "anywidget": "plotly's live FigureWidget (anywidget)",
    "jupyterlab-myst": "MyST admonitions and links in notebooks (jupyterlab-myst)",
}
INSTALL = "pip install -r requirements.txt"
OFFLINE_INSTALL = "pip install --no-index --find-links /media/usb/wheelhouse -r requirements.txt"
"""book/instructors.md's command for a laptop with no network, the wheelhouse on a USB stick."""
LAB_IMPORTS = "import clustersim.viz\nfrom clustersim import load_manifests"
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


@dataclass(frozen=True)
class Check:
    """One finding: ``ok`` is False when something needs fixing, ``fix`` says how."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return f"ok   {self.name}: {self.detail}"
        return f"FIX  {self.name}: {self.detail}. {self.fix}".rstrip()


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Check:
    shown = ".".join(map(str, version))
    if version[:2] >= MIN_PYTHON:
        return Check("Python", True, shown)
    need = ".".join(map(str, MIN_PYTHON))
    return Check("Python", False, f"{shown} is too old", f"Install Python {need} or newer.")


def pinned_requirements(path: Path = REQUIREMENTS) -> dict[str, str]:
    """``name == version`` pins of requirements.txt and the files it includes (empty when the
    file is not there); :class:`RequirementsError` for a file that cannot be read
    (:mod:`clustersim.course.requirements_file`)."""
    if not path.exists():
        return {}
    pins = {}
    for line in requirement_lines(path)[0]:
        match = _PIN.match(line)
        if match:
            pins[match[1]] = match[2]
    return pins


def install_command(requirements: Path = REQUIREMENTS) -> str:
    """The ``pip install`` that fixes a package: :data:`INSTALL` from the repository's own
    requirements file, or the same for the file given with ``--requirements``."""
    return INSTALL if requirements == REQUIREMENTS else f"pip install -r {requirements}"


def offline_install(requirements: Path = REQUIREMENTS) -> str:
    """:data:`OFFLINE_INSTALL` with ``requirements`` in place of ``requirements.txt``."""
    if requirements == REQUIREMENTS:
        return OFFLINE_INSTALL
    return OFFLINE_INSTALL.replace("-r requirements.txt", f"-r {requirements}")


def check_requirements(requirements: Path) -> Iterator[Check]:
    """A check per pin of ``requirements``, or one line saying why versions are not compared:
    a problem when the file was named and is missing, fine when the default file is absent
    because the package came from a wheel."""
    try:
        pins = pinned_requirements(requirements)
        if requirements != REQUIREMENTS and not requirements.exists():
            raise RequirementsError(f"{requirements} is not there")
    except RequirementsError as err:
        yield Check("requirements", False, str(err),
                    "Give the requirements file you installed from (`name==version` lines).")
        return
    if pins:
        yield from check_packages(pins, install_command(requirements))
    elif requirements != REQUIREMENTS:
        urls = requirement_lines(requirements)[1]
        fetched = f" (the doctor does not fetch the URL it includes, {urls[0]})" if urls else ""
        yield Check("requirements", False, f"{requirements} has no `name==version` pins"
                    f"{fetched}", "Give the requirements file you installed from.")
    else:
        yield Check("requirements.txt", True, "not found next to the package; package "
                    "versions not compared (name the file you installed from with "
                    "--requirements FILE)")


def check_packages(pins: dict[str, str], install: str = INSTALL) -> Iterator[Check]:
    for name, wanted in sorted(pins.items(), key=lambda item: item[0].lower()):
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            yield Check(name, False, "not installed", f"Run: {install}")
            continue
        if found != wanted:
            yield Check(name, False, f"{found} installed, the course pins {wanted}",
                        f"Run: {install}")
        else:
            yield Check(name, True, found)


def check_lab_extensions(prefixes: list[Path] | None = None) -> Iterator[Check]:
    roots = [p / "share" / "jupyter" / "labextensions"
             for p in (prefixes or [Path(sys.prefix), Path(sys.base_prefix)])]
    for extension, purpose in LAB_EXTENSIONS.items():
        present = any((root / extension / "package.json").is_file() for root in roots)
        yield Check(f"JupyterLab front-end {extension}", present,
                    purpose if present else f"missing: needed for {purpose}",
                    f"Run: {INSTALL}, then restart JupyterLab.")


def check_kernel(timeout: float = 60) -> Check:
    """Start the default Python kernel, run a lab's first line and the manifest loader's
    import (``import clustersim`` alone needs no third-party package), shut it down."""
    try:
        from jupyter_client.manager import start_new_kernel
    except ImportError:
        return Check("notebook kernel", False, "jupyter_client is not installed",
                     f"Run: {INSTALL}")
    try:
        manager, client = start_new_kernel(
            kernel_name="python3", startup_timeout=timeout, stderr=subprocess.DEVNULL
        )
    except Exception as err:  # a kernel failing to start can raise many things: report them all
        return Check("notebook kernel", False, f"the python3 kernel did not start ({err})",
                     "Run: python -m ipykernel install --sys-prefix")
    try:
        reply = client.execute_interactive(LAB_IMPORTS, timeout=timeout)
        ok = reply["content"]["status"] == "ok"
        detail = "starts and imports clustersim" if ok else "starts but cannot import clustersim"
        return Check("notebook kernel", ok, detail,
                     "" if ok else f"Run: {INSTALL} in the kernel's Python.")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def check_docker_cli() -> Check:
    """The docker CLI is optional: the real-commands lab runs it against the simulated swarm
    where it is installed and skips those cells in one line where it is not
    (:meth:`clustersim.serve.launch.Server.sh`), so this check never counts as a problem."""
    from clustersim.clients import INSTALL_HINTS, find_program

    where = find_program("docker")
    if where:
        return Check("docker CLI (optional)", True, where)
    return Check("docker CLI (optional)", True, "not installed: the real-commands lab skips its "
                 f"docker cells; to install it, see {INSTALL_HINTS['docker']}")


def run_checks(kernel: bool = True, requirements: Path = REQUIREMENTS) -> list[Check]:
    checks: list[Check] = [check_python(), *check_requirements(requirements)]
    checks += check_lab_extensions()
    checks.append(check_docker_cli())
    if kernel:
        checks.append(check_kernel())
    return checks


def check_count(kernel: bool = True) -> int:
    """How many checks :func:`run_checks` makes on any machine (one per pinned package),
    without starting the kernel: what its last line counts, for the instructors' guide."""
    return len(run_checks(kernel=False)) + int(kernel)


def main(argv: list[str] | None = None, out: Callable[[str], object] = print) -> int:
    """``python -m clustersim doctor``; an unknown option or ``--help`` exits through
    argparse (status 2 or 0) before any check runs."""
    parser = argparse.ArgumentParser(
        prog="python -m clustersim doctor", allow_abbrev=False,
        description="Check this machine for the course and say what to fix, one line each. "
                    "The exit status is 0 when all is well, 1 otherwise.")
    parser.add_argument("--all", action="store_true",
                        help="also list the checks that passed (default: only problems)")
    parser.add_argument("--no-kernel", action="store_true",
                        help="skip starting a notebook kernel (the slowest check)")
    parser.add_argument("--requirements", type=Path, default=REQUIREMENTS, metavar="FILE",
                        help="the requirements file whose pins to compare, where the course "
                             "was installed from a wheel (default: the repository's "
                             "requirements.txt)")
    args = parser.parse_args(argv or [])
    checks = run_checks(kernel=not args.no_kernel, requirements=args.requirements)
    problems = [c for c in checks if not c.ok]
    show = checks if args.all else problems
    for check in show:
        out(check.line())
    install = install_command(args.requirements)
    if any(install in c.fix or INSTALL in c.fix for c in problems):
        out("No network? Install from your instructor's wheelhouse instead: "
            f"{offline_install(args.requirements)}")
    if problems:
        out(f"{len(problems)} thing(s) to fix, {len(checks) - len(problems)} fine.")
    else:
        out(f"All {len(checks)} checks passed: your machine is ready for the course.")
    return len(problems)
