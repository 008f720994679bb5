"""Command line: ``python -m clustersim doctor | refresh | editions | serve``.

- ``doctor [--all] [--no-kernel] [--requirements FILE]``: check this machine for the course
  (see :mod:`clustersim.course.doctor`); ``--all`` also lists what is fine.
- ``refresh [notebooks...]``: re-execute notebooks in place (see :mod:`clustersim.course.refresh`).
- ``editions [--out editions] [--force]``: write the student and instructor editions of the
  exercises (see :mod:`clustersim.course.editions`); ``--force`` replaces editions that exist.
- ``serve kubernetes|swarm|marathon [--nodes N] [--port P] [--speed X] [--seed S]``: a
  simulator behind its system's real HTTP API on 127.0.0.1, for kubectl, the docker SDK or
  Marathon clients (see :mod:`clustersim.serve`).

Each command explains its options and their defaults with ``--help`` (or ``-h``).
"""

from __future__ import annotations

import sys

USAGE = """usage: python -m clustersim COMMAND [options]

commands:
  doctor [--all] [--no-kernel] [--requirements FILE]
                                  check this machine for the course
  refresh [notebook ...]          re-execute notebooks so their stored outputs are current
  editions [--out DIR] [--force]  write the student and instructor editions of the exercises
  serve {kubernetes|swarm|marathon} [--nodes N] [--port P] [--speed X] [--seed S]
                                  a simulated cluster behind its system's real API

python -m clustersim COMMAND --help explains a command's options and their defaults."""


def main(argv: list[str]) -> int:
    if not argv:
        print(USAGE, file=sys.stderr)
        return 2
    if argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "doctor":
        from clustersim.course.doctor import main as doctor

        return min(doctor(rest), 1)
    if command == "refresh":
        from clustersim.course.refresh import main as refresh

        return refresh(rest)
    if command == "editions":
        from clustersim.course.editions import main as editions

        return editions(rest)
    if command == "serve":
        from clustersim.serve.launch import main as serve

        return serve(rest)
    print(f"unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
