"""Run a benchmark again on an older commit's ``clustersim``, in the same run, as a base.

Speed figures from different days are not comparable on a shared machine; a ratio is, when
both sides run one after the other. ``--base REF`` in a benchmark's arguments extracts
``clustersim/`` at the git revision REF (``git archive``) into a temporary directory and runs
the benchmark's own command again with that copy first on ``PYTHONPATH``, so both lines are
printed by the same benchmark code. Used by ``k8s_scheduler.py``, ``k8s_cluster.py``,
``k8s_preemption.py``, ``shop_runs.py``, ``swarm_lifecycle.py``, ``host_ports.py`` and
``widget_update.py``.
"""

from __future__ import annotations

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
    """The ``--base REF`` value (None if absent) and the other arguments."""
    if "--base" not in argv:
        return None, argv
    at = argv.index("--base")
    if at + 1 >= len(argv):
        raise SystemExit("--base needs a git revision, e.g. --base main")
    return argv[at + 1], argv[:at] + argv[at + 2 :]


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
