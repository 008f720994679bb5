"""Start a simulator behind its real API, from Python or from the command line.

``serve("kubernetes" | "swarm" | "marathon", nodes=3, port=0, speed=1.0)`` builds a small
cluster of ``nodes`` worker machines (or takes the simulator you pass as ``cluster``) and
returns a :class:`Server`, not yet started: use it in a ``with`` block, or call ``start()``
and ``stop()``. :func:`main` is ``python -m clustersim serve ...``: it serves until Ctrl-C
(or SIGTERM) and then stops cleanly.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from clustersim.clients import INSTALL_HINTS, find_program
from clustersim.serve.core import Backend, OptionError, SimServer

__all__ = ["INSTALL_HINTS", "SYSTEMS", "Server", "env_lines", "find_program", "main", "serve"]

SYSTEMS = ("kubernetes", "swarm", "marathon")


def _program(words: list[str]) -> str:
    """The program a command runs, as a missing one is named."""
    return words[0] if words else "nothing"


_POWERSHELL_SPECIAL = re.compile(r'[`$"]')


def _backtick(match: re.Match[str]) -> str:
    return "`" + match[0]


def env_lines(env: dict[str, str]) -> str:
    """The lines that set ``env`` in the shell a learner types the client's commands in:
    ``export NAME=value`` on Linux and macOS; on Windows (``os.name == "nt"``) PowerShell's
    ``$env:NAME = "value"`` (Microsoft's about_Environment_Variables), the terminal Windows
    opens by default, with a backtick before each ``$``, backtick or ``"`` that the double
    quotes would otherwise read (about_Quoting_Rules); then the same for cmd.exe,
    ``set "NAME=value"``, whose quotes keep a ``&`` in a folder's name from ending the
    command (they are not part of the value). Each sets the variable for that window only."""
    if os.name != "nt":
        return "\n".join(f"  export {name}={value}" for name, value in env.items())
    powershell = [f'  $env:{name} = "{_POWERSHELL_SPECIAL.sub(_backtick, value)}"'
                  for name, value in env.items()]
    cmd = [f'  set "{name}={value}"' for name, value in env.items()]
    return "\n".join([*powershell, "  or, in cmd.exe instead of PowerShell:", *cmd])


class Server(SimServer):
    """A :class:`SimServer` that also knows its simulator (``cluster``) and how the real
    client reaches it."""

    def __init__(self, system: str, backend: Backend, **options: Any) -> None:
        super().__init__(backend, **options)
        self.system = system

    @property
    def cluster(self) -> Any:
        """The simulator served: the backend's, which a Docker daemon replaces with a new
        swarm on ``docker swarm init`` after ``docker swarm leave``."""
        return self.backend.cluster

    def __repr__(self) -> str:
        where = f"at {self.url}" if self.running else "stopped"
        return f"<Server {self.system} {where}: .sh('...') runs the real client against it>"

    def start(self) -> Server:
        super().start()
        self._workdir = Path(tempfile.mkdtemp(prefix="clustersim-serve-"))
        if self.system == "kubernetes":
            self.kubeconfig(self._workdir / "kubeconfig")
        return self

    def stop(self) -> None:
        super().stop()
        workdir = getattr(self, "_workdir", None)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
            self._workdir = None

    def env(self) -> dict[str, str]:
        """The environment variables that point the real client here: ``KUBECONFIG`` (a
        kubeconfig written at start; ``KUBECACHEDIR`` keeps kubectl's discovery cache beside
        it, not in your home), ``DOCKER_HOST`` or ``MARATHON_URL``."""
        if self.system == "kubernetes":
            return {"KUBECONFIG": str(self._workdir / "kubeconfig"),
                    "KUBECACHEDIR": str(self._workdir / "cache")}
        if self.system == "swarm":
            return {"DOCKER_HOST": self.docker_host}
        return {"MARATHON_URL": self.url}

    def run(self, command: str, *, stdin: str | None = None,
            timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        """Run a real client command (``kubectl get pods``, ``curl $MARATHON_URL/v2/apps``)
        with :meth:`env` set and return what it printed. No shell: the command is split as a
        shell splits words, and ``$NAME`` is expanded from :meth:`env` only. A program that
        is not installed gives return code 127, as in a shell."""
        if not self.running:
            raise RuntimeError("the server is not running: call start() first")
        names = self.env()
        env = {**os.environ, **names}
        words = []
        for word in shlex.split(command):
            for name, value in names.items():
                word = word.replace("${" + name + "}", value).replace("$" + name, value)
            words.append(word)
        program = find_program(words[0], env.get("PATH", "")) if words else None
        if program is None:
            return subprocess.CompletedProcess(words, 127, "",
                                               f"{_program(words)}: command not found\n")
        clock = self.backend.clock
        with self.lock:             # its ages count from each request (WallClock.commands)
            self.catch_up()
            clock.commands += 1
        try:
            return subprocess.run([program, *words[1:]], input=stdin, env=env, text=True,
                                  capture_output=True, timeout=timeout)
        finally:
            with self.lock:
                clock.commands -= 1

    def sh(self, command: str, *, stdin: str | None = None, timeout: float = 60.0,
           check: bool = False) -> None:
        """:meth:`run` the command and print it as a terminal would: ``$`` and the command,
        then its output and errors. A command that fails says so on a last line with its
        exit status, so that a notebook cell does not pass over it silently, and a client that
        is not installed gives one line, which names where to get it (:data:`INSTALL_HINTS`),
        instead of a shell's ``command not found`` and exit status 127; with ``check``
        it also raises :class:`subprocess.CalledProcessError`, for a step that later cells
        depend on."""
        result = self.run(command, stdin=stdin, timeout=timeout)
        name = _program(result.args)
        if result.returncode == 127 and result.stderr == f"{name}: command not found\n":
            print(f"{name} CLI not installed here: skipped `{command}`; see "
                  f"{INSTALL_HINTS.get(name, 'its documentation to install it')}")
        else:
            print(f"$ {command}\n{result.stdout}{result.stderr}".rstrip())
            if result.returncode:
                print(f"(exit status {result.returncode}: the command failed)")
        if result.returncode and check:
            raise subprocess.CalledProcessError(result.returncode, command, result.stdout,
                                                result.stderr)

    def instructions(self) -> str:
        """Where the API is and the lines that point the client at it, in this platform's
        shell (:func:`env_lines`)."""
        return f"{self.backend.instructions(self.url)}\n{env_lines(self.env())}"

    def kubeconfig(self, path: str | Path) -> Path:
        """Write a kubeconfig for ``kubectl`` at ``path`` (Kubernetes only)."""
        if self.system != "kubernetes":
            raise ValueError(f"a kubeconfig is for kubectl; this server simulates {self.system}")
        from clustersim.serve.kubernetes import write_kubeconfig

        return write_kubeconfig(self.url, path)

    @property
    def docker_host(self) -> str:
        """``DOCKER_HOST`` for the docker SDK or CLI (Swarm only)."""
        if self.system != "swarm":
            raise ValueError(f"DOCKER_HOST is for Docker; this server simulates {self.system}")
        return f"tcp://127.0.0.1:{self.port}"


def serve(system: str, *, nodes: int = 3, port: int = 0, speed: float = 1.0,
          cluster: Any = None, seed: int = 0, epoch: float | None = None,
          node_generic_resources: list[str] | None = None) -> Server:
    """A server for ``system`` on 127.0.0.1:``port`` (0: any free port), not yet started.

    ``cluster``: the simulator to serve (a ``KubernetesCluster``, ``SwarmCluster`` or
    ``MarathonFramework``); by default a new one with ``nodes`` workers and ``seed``.
    ``speed``: simulated seconds per wall-clock second (0: only ``step`` moves time).
    ``epoch``: Unix time of simulated second 0 in timestamps (and Marathon's versions, and
    the calendar a Kubernetes cluster's CronJobs are scheduled on); by default simulated now
    is the wall clock's now (:class:`~clustersim.serve.core.WallClock`).
    ``node_generic_resources``: ``NAME=VALUE`` terms every node of the new swarm advertises,
    as if each node's dockerd ran with one ``--node-generic-resource`` per term
    (https://docs.docker.com/reference/cli/dockerd/); a swarm's alone, and not with
    ``cluster``, whose nodes carry their own (``Node(..., generic_resources=...)``)."""
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}: choose one of {', '.join(SYSTEMS)}")
    if node_generic_resources and (system != "swarm" or cluster is not None):
        raise OptionError("node-generic-resource", "is dockerd's option for the nodes of a "
                          "new swarm: use it with `serve swarm` and no cluster (a cluster's "
                          "nodes carry their own generic_resources)")
    if isinstance(nodes, bool) or not isinstance(nodes, int) or not 1 <= nodes <= 5000:
        raise OptionError("nodes", f"must be a whole number from 1 to 5000, got {nodes!r}")
    if system == "kubernetes":
        from clustersim.kubernetes import KubernetesCluster, default_nodes
        from clustersim.serve.kubernetes import KubernetesBackend

        cluster = cluster or KubernetesCluster(default_nodes(nodes), seed=seed)
        backend: Backend = KubernetesBackend(cluster, epoch=epoch)
    elif system == "marathon":
        from clustersim.serve.marathon import MarathonBackend, default_framework

        cluster = cluster or default_framework(nodes, seed)
        backend = MarathonBackend(cluster, epoch=epoch)
    else:
        from clustersim.serve.docker import DockerBackend, default_swarm

        cluster = cluster or default_swarm(nodes, seed, node_generic_resources)
        backend = DockerBackend(cluster, epoch=epoch)
    return Server(system, backend, port=port, speed=speed)


def parser() -> argparse.ArgumentParser:
    """The options of ``python -m clustersim serve``, with their defaults (those of
    :func:`serve`) in ``--help``."""
    cli = argparse.ArgumentParser(
        prog="python -m clustersim serve", allow_abbrev=False,
        description="Serve a simulated cluster behind its system's real HTTP API on "
                    "127.0.0.1, for kubectl, the docker SDK or CLI, or Marathon clients and "
                    "curl. Prints the lines that point the client at it (export, or on Windows "
                    "PowerShell's $env: and cmd's set); Ctrl-C stops.")
    cli.add_argument("system", choices=SYSTEMS, help="the system to simulate")
    cli.add_argument("--nodes", type=int, default=3, metavar="N",
                     help="worker machines in the cluster, 1 to 5000 (default: 3)")
    cli.add_argument("--port", type=int, default=0, metavar="P",
                     help="TCP port on 127.0.0.1 (default: 0, any free port, printed at start)")
    cli.add_argument("--speed", type=float, default=1.0, metavar="X",
                     help="simulated seconds per wall-clock second: 1 runs in real time, 10 "
                          "ten times faster, 0 stops the clock (default: 1)")
    cli.add_argument("--seed", type=int, default=0,
                     help="seed of the simulator's random choices, for runs that repeat "
                          "(default: 0)")
    cli.add_argument("--node-generic-resource", action="append", metavar="NAME=VALUE",
                     dest="node_generic_resources",
                     help="swarm only: a generic resource every node advertises, as dockerd's "
                          "option of that name: a count (ssd=2) or one ID of a named set "
                          "(gpu=GPU-1); repeat it for more")
    return cli


WSAEACCES = 10013
"""Winsock's refusal of a bind to a port Windows keeps for itself (``OSError.winerror``)."""


def _bind_refusal(port: int, err: OSError) -> str:
    """One line for a ``--port`` the system refused, instead of the bare ``[Errno 98] Address
    already in use``: another program listens on it (``EADDRINUSE``, which Python's ``errno``
    also names Windows' ``WSAEADDRINUSE``), or, on Windows, it lies in a range of ports the
    system excludes (Hyper-V, WSL 2 and Docker Desktop reserve such ranges; Winsock answers
    ``WSAEACCES``, "An attempt was made to access a socket in a way forbidden by its access
    permissions", even where no program uses the port). Any other error is shown as it is."""
    if err.errno == errno.EADDRINUSE:
        why = f"another program is already using port {port}. Stop it, or choose another port"
    elif getattr(err, "winerror", None) == WSAEACCES:
        why = (f"Windows reserves port {port} (`netsh interface ipv4 show excludedportrange "
               "protocol=tcp` lists the reserved ranges). Choose another port")
    else:
        return str(err)
    return f"cannot serve on 127.0.0.1:{port}: {why}: --port 0 picks a free one."


def _clock_line(speed: float) -> str:
    """What the simulated clock does, said once at start. ``--speed 0`` is the labs' setting,
    where Python's ``step`` moves time; from a terminal nothing moves it, so a learner who
    copied it from a lab would otherwise learn it from a Pod that stays ``ContainerCreating``
    (and a Swarm task ``Pending``, a Marathon task ``TASK_STARTING``) for ever."""
    if speed == 0:
        return ("The simulated clock is stopped (--speed 0): nothing that takes time happens, so "
                "new Pods and tasks never start running.\nLeave --speed out to follow the wall "
                "clock. Ctrl-C stops.")
    return f"Simulated time runs at {speed:g}x the wall clock. Ctrl-C stops."


def main(argv: list[str], *, ready: threading.Event | None = None,
         stop: threading.Event | None = None) -> int:
    """``python -m clustersim serve``: serve until Ctrl-C, SIGTERM or ``stop`` is set."""
    try:
        options = vars(parser().parse_args(argv))
    except SystemExit as done:          # --help (0) or a usage error (2), already printed
        return done.code if isinstance(done.code, int) else 2
    try:
        server = serve(options.pop("system"), **options)
        server.start()
    except OSError as err:
        print(_bind_refusal(options["port"], err), file=sys.stderr)
        return 2
    except OptionError as err:          # named as the command line spells the option
        print(f"--{err.option}: {err.problem}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    stop = stop or threading.Event()
    # A signal only notes itself: the handler runs in the main thread between two bytecodes,
    # maybe while that thread holds the lock inside ``stop.wait``, so ``stop.set()`` there
    # could wait for that lock for ever (seen once in CI as a server that did not stop).
    signalled: list[int] = []
    handlers: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            handlers[signum] = signal.signal(signum, lambda n, _: signalled.append(n))
    try:
        print(server.instructions())
        print(_clock_line(server.speed), flush=True)
        if ready is not None:
            ready.set()
        while not (signalled or stop.is_set()):
            time.sleep(0.2)
    finally:
        server.stop()           # a second Ctrl-C meanwhile is only noted again
        for number, handler in handlers.items():
            signal.signal(number, handler)
    print("stopped")
    return 0
