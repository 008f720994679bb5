"""Command line: ``python -m clustersim doctor | refresh | editions | serve``.

- ``doctor [--all] [--no-kernel]``: check this machine for the course (see
  :mod:`clustersim.course.doctor`); ``--all`` also lists what is fine.
- ``refresh [notebooks...]``: re-execute notebooks in place (see :mod:`clustersim.course.refresh`).
- ``editions [--out editions] [--force]``: write the student and instructor editions of the
  exercises (see :mod:`clustersim.course.editions`); ``--force`` replaces editions that exist.
- ``serve kubernetes|swarm|marathon [--nodes N] [--port P] [--speed X]``: a simulator behind
  its system's real HTTP API on 127.0.0.1, for kubectl, the docker SDK or Marathon clients
  (see :mod:`clustersim.serve`).
"""

from __future__ import annotations

import sys

USAGE = ("usage: python -m clustersim "
         "{doctor [--all] [--no-kernel] | refresh [notebook ...] | "
         "editions [--out DIR] [--force] | "
         "serve {kubernetes|swarm|marathon} [--nodes N] [--port P] [--speed X]}")


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
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
