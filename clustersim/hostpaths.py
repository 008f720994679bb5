"""Which paths exist on a simulated machine's own file system.

A simulated node has no files, but a Docker node's daemon looks at its host's file system
when it creates a container with a bind mount: moby's ``ValidateMountConfig``
(``daemon/volume/mounts/linux_parser.go``, called from ``validateHostConfig`` in
``daemon/container.go``) stats the bind's source and refuses a path that does not exist
(``invalid mount config for type "bind": bind source path does not exist: /x``,
``daemon/volume/mounts/validate.go``). A Swarm task cannot ask the daemon to create it: the
executor's ``convertMount`` (``daemon/cluster/executor/container/container.go``) passes no
``CreateMountpoint`` (:mod:`clustersim.swarm.agent` rejects such a task).

Each :class:`~clustersim.Node` therefore holds a small, declared set of paths
(:attr:`~clustersim.Node.host_paths`): :data:`DEFAULT_HOST_PATHS`, what every Linux host that
runs Docker Engine has, and the paths a lab or test declares for that node
(``Node(..., host_paths=["/srv/data"])``). A path exists when it is one of them or a
directory above one (``/var/run`` and ``/var`` exist because ``/var/run/docker.sock`` does);
nothing below a declared path is taken to exist (``/etc`` does not make ``/etc/passwd``).
Paths compare after Go's ``path.Clean`` (``/var/lib/docker/`` is ``/var/lib/docker``).
A source that ``os.Stat`` cannot even look up fails with its own error, which
``ValidateMountConfig`` returns as it is (``defaultFileInfoProvider.fileInfo`` treats only a
missing file as "does not exist"): :func:`stat_error`.

Simplified: a real host has far more files, and a path may be a file, a directory, a socket
or a link; here it only exists or not.
"""

from __future__ import annotations

from collections.abc import Iterable

from clustersim.goformat import path_clean

__all__ = ["DEFAULT_HOST_PATHS", "FHS_DIRECTORIES", "PATH_MAX", "exists", "host_paths",
           "stat_error"]

FHS_DIRECTORIES = ("/dev", "/mnt", "/media", "/opt", "/run", "/srv", "/var/log")
"""Directories the Filesystem Hierarchy Standard requires of every host
(https://specifications.freedesktop.org/fhs/latest-single, FHS 3.0: section 3.2 lists
``/dev``, ``/media``, ``/mnt``, ``/opt``, ``/run`` and ``/srv`` among those required in
``/``, section 5.2 ``/var/log`` among those required in ``/var``); the others it requires
(``/bin``, ``/boot``, ``/etc``, ``/lib``, ``/sbin``, ``/tmp``, ``/usr``, ``/var``) are
directories above a default path or hold only the system's own programs, which no stack the
course tests binds. Stacks bind ``/dev`` (a container that reads the host's devices),
``/run`` (where ``/var/run`` points on a systemd host) and ``/var/log`` (log shippers)."""

DEFAULT_HOST_PATHS = ("/etc/hostname", "/proc", "/sys", "/tmp", "/var/lib/docker",
                      "/var/run/docker.sock", *FHS_DIRECTORIES)
"""Paths every simulated node has: the kernel's ``/proc`` and ``/sys``, the host's name in
``/etc/hostname``, ``/tmp``, Docker Engine's own data root (``/var/lib/docker``) and API
socket (``/var/run/docker.sock``), the daemon's defaults
(https://docs.docker.com/reference/cli/dockerd/), and :data:`FHS_DIRECTORIES`. The
real-world stacks the course tests bind these (cAdvisor, node-exporter, Portainer's agent,
Traefik, the Swarm visualizer). Not among them: what a host may lack, such as
``/etc/localtime`` (without it the system's time zone is UTC: ``localtime(5)``,
https://man7.org/linux/man-pages/man5/localtime.5.html), ``/root`` and ``/home`` (optional
in FHS 3.0), a device such as ``/dev/ttyUSB0``, and anything an administrator made, such as
``/opt/data``: a lab declares those (``Node(..., host_paths=["/etc/localtime"])``)."""


PATH_MAX = 4096
"""Linux's longest path name in bytes, its closing NUL included (``include/uapi/linux/
limits.h``): the kernel refuses a longer one with ENAMETOOLONG when it copies the name in
(``getname_flags`` in ``fs/namei.c``), before it looks at any directory."""


def stat_error(path: str) -> str:
    """Go's ``os.Stat(path)`` error (a ``PathError``, ``stat PATH: REASON``) for a path that
    fails before any file is looked at, or "": a NUL byte, which no system call takes (Go's
    ``syscall.ByteSliceFromString``: EINVAL, ``invalid argument``), or :data:`PATH_MAX`
    bytes or more (ENAMETOOLONG, ``file name too long``). Simplified: a single name over
    255 bytes is refused by the file system only once the walk reaches it, which depends
    on the directories above it, and is not simulated."""
    if "\x00" in path:
        return f"stat {path}: invalid argument"
    if len(path.encode("utf-8", "surrogatepass")) >= PATH_MAX:
        return f"stat {path}: file name too long"
    return ""


def host_paths(node: str, declared: Iterable[str] | None) -> tuple[str, ...]:
    """The node's paths: :data:`DEFAULT_HOST_PATHS` and ``declared``, cleaned, sorted, each
    once. A declared path must be an absolute path (a ``ValueError`` names the node and the
    entry otherwise)."""
    if isinstance(declared, str):
        raise ValueError(f"Node {node!r}: host_paths must be a list of paths, such as "
                         f"[{declared!r}], not one string")
    paths = set(DEFAULT_HOST_PATHS)
    for path in declared or ():
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(f"Node {node!r}: host_paths entry {path!r} must be an absolute "
                             "path, such as '/srv/data'")
        paths.add(path_clean(path))
    return tuple(sorted(paths))


def exists(paths: Iterable[str], path: str) -> bool:
    """Does ``path`` exist on a node whose paths are ``paths``: is it one of them, or a
    directory above one (see the module docstring)?"""
    wanted = path_clean(path)
    below = wanted.rstrip("/") + "/"
    return any(known == wanted or known.startswith(below) for known in paths)
