"""Run a benchmark again on an older commit's ``clustersim``, in the same run, as a base; and
the benchmarks' one command line (:func:`command_line`, :func:`parse`).

Speed figures from different days are not comparable on a shared machine; a ratio is, when
both sides run one after the other. ``--base REF`` in a benchmark's arguments extracts
``clustersim/`` at the git revision REF (``git archive``) into a temporary directory and runs
the benchmark's own command again with that copy first on ``PYTHONPATH``, so both lines are
printed by the same benchmark code. Used by ``k8s_scheduler.py``, ``k8s_cluster.py``,
``k8s_preemption.py``, ``shop_runs.py``, ``swarm_lifecycle.py``, ``swarm_restart_loop.py``,
``host_ports.py``, ``serve.py``, ``serve_writes.py``, ``watch_stress.py``,
``widget_update.py`` and ``marathon_deployments.py``.

Every benchmark reads its arguments with :mod:`argparse` through :func:`command_line`: its
docstring (with its usage) is the ``--help`` text, and an unknown option or a bad value is
refused (exit 2) before any work. A benchmark imports ``clustersim`` only after parsing, so
that ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A benchmark run as ``python benchmarks/X.py`` imports this module before ``clustersim``:
# putting this checkout last on the path makes it measure this checkout's ``clustersim`` even
# where an editable install of another checkout (a git worktree's main) is set up, since such
# an install's finder is asked only after every path entry; ``--base`` copies, first on
# ``PYTHONPATH``, still come first.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


def split_base(argv: list[str]) -> tuple[str | None, list[str]]:
    """The ``--base REF`` (or ``--base=REF``) value (None if absent) and the other arguments."""
    for at, arg in enumerate(argv):
        if arg.startswith("--base="):
            return arg.removeprefix("--base="), argv[:at] + argv[at + 1 :]
        if arg == "--base":
            if at + 1 >= len(argv):
                raise SystemExit("--base needs a git revision, e.g. --base main")
            return argv[at + 1], argv[:at] + argv[at + 2 :]
    return None, argv


def command_line(script: str, doc: str | None, *, base: bool = False) -> argparse.ArgumentParser:
    """The parser of the benchmark ``script`` (its ``__file__``): ``doc``, its docstring with
    its usage, is the help text; with ``base`` it takes ``--base REF`` (:func:`run_at`)."""
    parser = argparse.ArgumentParser(prog=f"python benchmarks/{Path(script).name}",
                                     description=doc, allow_abbrev=False,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    if base:
        parser.add_argument("--base", metavar="REF",
                            help="first print the same figures for clustersim at the git "
                                 "revision REF (e.g. main), from the same benchmark code")
    return parser


def parse(parser: argparse.ArgumentParser,
          argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """The arguments (``sys.argv[1:]`` by default) parsed, refused with the parser's message
    when wrong, and the same arguments less ``--base`` (what :func:`run_at` passes on)."""
    argv = sys.argv[1:] if argv is None else argv
    return parser.parse_args(argv), split_base(argv)[1]


def positive_int(text: str) -> int:
    """An argument that counts something: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def span_seconds(text: str) -> float:
    """An argument that is a time span: a finite number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds ≥ 0, not {text}")
    return value


def run_at(ref: str, script: str, args: list[str], *, capture: bool = False) -> str:
    """Run ``script`` with ``args`` against ``clustersim`` as it was at ``ref``; with
    ``capture``, return what it printed instead of letting it print (else "")."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "clustersim"],
        capture_output=True, check=False,
    )
    if archive.returncode:
        raise SystemExit(f"--base {ref}: {archive.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([tmp, str(Path(script).parent)]))
        if capture:
            return subprocess.run([sys.executable, script, *args], env=env, check=True,
                                  capture_output=True, text=True).stdout
        print(f"base: clustersim at {ref}", flush=True)
        subprocess.run([sys.executable, script, *args], env=env, check=True)
        return ""
