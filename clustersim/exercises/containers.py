"""Checks for the chapter on containers (``book/foundations/containers.md``, exercises in
``exercises/containers.ipynb``).

:func:`check_namespaces` (which Linux namespace gives a container each view; namespaces(7)),
:func:`check_cgroup_limits` (the cgroup v2 ``memory.max`` / ``cpu.max`` that ``docker run``
and a Pod's ``limits`` write; quantities parsed with :func:`clustersim.quantity.parse_quantity`)
and :func:`check_pinned_references` (which image references name exactly one image: a digest,
per the reference grammar of distribution/reference ``reference.go``).
"""

from __future__ import annotations

import re

from clustersim.exercises.answers import choice, filled, integer
from clustersim.exercises.checker import Wrong, checker
from clustersim.quantity import parse_quantity, to_millis, to_units

__all__ = [
    "CGROUP_CONTAINERS",
    "CPU_PERIOD",
    "IMAGE_REFERENCES",
    "NAMESPACE_KINDS",
    "NAMESPACE_SHORT_NAMES",
    "NAMESPACE_SITUATIONS",
    "check_cgroup_limits",
    "check_namespaces",
    "check_pinned_references",
    "cpu_max",
    "is_pinned",
]


# ---- containers: namespaces ---------------------------------------------------------------

NAMESPACE_KINDS = ("mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time")
"""The eight namespace kinds of namespaces(7) (https://man7.org/linux/man-pages/man7/
namespaces.7.html)."""

NAMESPACE_SHORT_NAMES = {"mnt": "mount", "net": "network"}
"""The kernel's own short names (the links in ``/proc/<pid>/ns/``, ``lsns`` TYPE column),
accepted for the long names of :data:`NAMESPACE_KINDS`."""

_NAMESPACE_SITUATIONS = {
    "sees its first process as PID 1": "pid",
    "is root inside but an unprivileged user on the host": "user",
    "listens on port 80 while another container on the host also does": "network",
    "reports its own host name (the container ID)": "uts",
    "sees the image's files at / instead of the host's": "mount",
}
NAMESPACE_SITUATIONS = tuple(_NAMESPACE_SITUATIONS)
"""The situations of the namespace exercise, in order, without their answers."""
_NAMESPACE_VIEWS = {
    "mount": "filesystem tree",
    "pid": "process IDs",
    "network": "interfaces, addresses and ports",
    "uts": "host name and domain name",
    "ipc": "System V IPC objects and POSIX message queues",
    "user": "user and group IDs",
    "cgroup": "root of the cgroup tree (it hides the host's tree; the limits are cgroups' "
              "work, not a namespace's)",
    "time": "boot and monotonic clocks",
}
"""What each namespace kind gives a process as its own (namespaces(7), the chapter's table):
the hint for a wrong kind says what that kind isolates, so that it never names the right one."""

_THINGS_SEEN = ("hostname", "host name", "domain name", "process", "processes", "PID 1",
                "ps", "port", "ports", "interface", "IP address", "IP", "root", "UID",
                "files", "filesystem", "file system", "rootfs", "root filesystem")
"""What a situation shows, which a learner may give for the kind that shows it."""

_NAMESPACE_WORDS = {
    **dict.fromkeys(_THINGS_SEEN,
                    "That is what the container sees, not the namespace kind that gives it "
                    "that view: the chapter's table pairs each kind (its first column) with "
                    "its view, and some kinds carry old names."),
    **dict.fromkeys(("chroot", "pivot_root"),
                    "chroot(2) and pivot_root(2) are system calls that change a process's "
                    "root directory, not namespace kinds; runc moves a container's root with "
                    "pivot_root inside a namespace of its own, whose kind the table names."),
    **dict.fromkeys(("cgroups", "cgroup v2", "control groups"),
                    "cgroups limit what a container uses (CPU, memory); they give it no view "
                    "of its own. Name the namespace kind of the view."),
    **dict.fromkeys(("overlay", "overlayfs", "overlay2", "layers", "image"),
                    "OverlayFS stacks an image's layers into one tree: a filesystem, not a "
                    "namespace kind. Which kind makes that tree the process's own view?"),
    **dict.fromkeys(("capabilities", "seccomp"),
                    "That limits what a process may do, and gives it no view of its own: name "
                    "the namespace kind of the view."),
    **dict.fromkeys(("proc", "/proc"),
                    "/proc is a filesystem that shows the processes the reader may see: name "
                    "the namespace kind that decides which those are and how they are "
                    "numbered."),
}
"""Words a learner may give for a namespace kind that are none (namespaces(7); chroot(2),
pivot_root(2), cgroups(7), capabilities(7)), with what each teaches. runc prepares a
container's root inside its new mount namespace and moves it there with pivot_root (or, with
``--no-pivot``, a move and chroot): opencontainers/runc ``libcontainer/rootfs_linux.go``
(``prepareRootfs``, ``pivotRoot``)."""

_NAMESPACE_ALIASES = {f"{name} {word}": kind
                      for name, kind in [*((k, k) for k in NAMESPACE_KINDS),
                                         *NAMESPACE_SHORT_NAMES.items()]
                      for word in ("namespace", "ns")} | NAMESPACE_SHORT_NAMES | {
                          "userns": "user", "netns": "network"}
"""What a kind may be written as besides its name: the kernel's short name, either followed
by "namespace" or "ns" ("PID namespace", "net ns"), and the tools' one-word names (``docker
run --userns``, ``ip netns``, ip-netns(8))."""


@checker("Right: pid, user, network, uts and mount. Each namespace isolates one kind of view; "
         "cgroups, not namespaces, limit what the container uses.")
def check_namespaces(answer: object) -> None:
    """``answer``: ``{situation: namespace kind}`` for :data:`NAMESPACE_SITUATIONS`."""
    given = filled(answer, list(_NAMESPACE_SITUATIONS), "situation → namespace")
    for situation, right in _NAMESPACE_SITUATIONS.items():
        kind = choice(given[situation], NAMESPACE_KINDS, f"“{situation}”",
                      aliases=_NAMESPACE_ALIASES, plausible=_NAMESPACE_WORDS)
        if kind != right:
            raise Wrong(f"“{situation}”: not the {kind} namespace.",
                        f"The {kind} namespace gives a process its own "
                        f"{_NAMESPACE_VIEWS[kind]}; this situation is about another view.")


# ---- containers: cgroup limits ------------------------------------------------------------

CPU_PERIOD = 100_000
"""µs: the CFS period in ``cpu.max`` (cgroup v2), chosen above runc, which writes what the
OCI ``config.json`` gives it: dockerd converts ``--cpus`` (NanoCPUs) to this period and
``quota = NanoCPUs × period / 1e9`` (moby ``daemon/daemon_unix.go``), and the kubelet's
``cpuCFSQuotaPeriod`` defaults to the same 100 ms (kubernetes/kubernetes
``pkg/kubelet/apis/config/v1beta1/defaults.go``)."""

CGROUP_CONTAINERS = {
    "docker run --memory 256m --cpus 0.5": {"memory": "256Mi", "cpu": "500m"},
    "Pod limits {cpu: 1500m, memory: 256M}": {"memory": "256M", "cpu": "1500m"},
}
"""Each container and its limits as Kubernetes quantities. Docker's ``--memory`` suffixes
(b, k, m, g) are binary (docker/go-units ``RAMInBytes``), so ``256m`` is 256 Mi; in a Pod,
``256M`` is decimal (10^6) and ``256Mi`` binary."""


def cpu_max(cpu: str) -> str:
    """The cgroup v2 ``cpu.max`` line (``"<quota> <period>"``) for a CPU limit."""
    return f"{to_millis(parse_quantity(cpu)) * CPU_PERIOD // 1000} {CPU_PERIOD}"


@checker("Right: 268435456 bytes and '50000 100000' for Docker (256m is binary), 256000000 "
         "bytes and '150000 100000' for the Pod (256M is decimal).")
def check_cgroup_limits(answer: object) -> None:
    """``answer``: ``{container: {"memory.max": int, "cpu.max": "quota period"}}`` for
    :data:`CGROUP_CONTAINERS`."""
    given = filled(answer, list(CGROUP_CONTAINERS), "container → its cgroup files")
    for name, limits in CGROUP_CONTAINERS.items():
        files = filled(given[name], ["memory.max", "cpu.max"], "cgroup file → value")
        memory = to_units(parse_quantity(limits["memory"]))
        value = integer(files["memory.max"], f"{name}: memory.max",
                        "a whole number of bytes", 1073741824, unit="bytes")
        if value != memory:
            decimal, binary = 256 * 10**6, 256 * 2**20
            hint = ("Docker's m suffix is binary: 256m is 256 × 2^20 bytes."
                    if value == decimal and memory == binary else
                    "In Kubernetes, M is 10^6 and Mi is 2^20: 256M is 256 × 10^6 bytes."
                    if value == binary and memory == decimal else
                    "memory.max is the limit in bytes: convert the suffix to a power of 2 or 10.")
            raise Wrong(f"{name}: memory.max {value} is not it.", hint)
        line = files["cpu.max"]
        right = cpu_max(limits["cpu"])
        if not isinstance(line, str) or " ".join(line.split()) != right:
            raise Wrong(f"{name}: cpu.max {line!r} is not it.", _cpu_hint(line, limits["cpu"]))


def _cpu_hint(line: object, cpu: str) -> str:
    """The hint for a wrong ``cpu.max``: a quota that reads ``1500m`` as 1500 CPUs, 1500 µs
    or 1500 ms is told that Kubernetes' ``m`` is a thousandth of a CPU (Resource units in
    Kubernetes, https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-cpu);
    any other, the form of the line."""
    millis = to_millis(parse_quantity(cpu))
    words = line.split() if isinstance(line, str) else []
    if cpu.endswith("m") and words and words[0] in {
            str(millis * CPU_PERIOD), str(millis), str(millis * 1000)}:
        return (f"In Kubernetes, m means a thousandth of a CPU (a millicore): {cpu} is "
                f"{millis / 1000:g} CPUs, not {millis}.")
    return (f"cpu.max is the string 'quota period' in microseconds, with period {CPU_PERIOD}: "
            f"the quota is CPUs × {CPU_PERIOD}.")


# ---- containers: tags and digests --------------------------------------------------------

_DIGEST = "sha256:" + "4b1f" * 16
IMAGE_REFERENCES = (
    "nginx",
    "nginx:1.30",
    "registry.example.com/shop/cart:1.4.2",
    f"registry.example.com/shop/cart@{_DIGEST}",
    f"registry.example.com/shop/cart:1.4.2@{_DIGEST}",
    "localhost:5000/shop/web:latest",
)
_DIGEST_RE = re.compile(r"@sha256:[0-9a-f]{64}$")


def is_pinned(reference: str) -> bool:
    """Whether ``reference`` names one image forever: it ends in ``@sha256:<64 hex>``.

    distribution/reference ``reference.go``: ``name[:tag][@digest]``; when both are given,
    pulling resolves the digest and the tag is only a label. A ``host:port`` prefix is part of
    the name, not a tag."""
    return bool(_DIGEST_RE.search(reference))


_REFERENCE_HINTS = {
    "nginx": "With neither tag nor digest, Docker pulls nginx:latest, the most movable tag.",
    "nginx:1.30": "A tag is a pointer that anyone with push rights may move, and nginx:1.30 "
                  "does move: to each patch release of nginx's 1.30 branch and to each "
                  "rebuild on a newer base image.",
    "registry.example.com/shop/cart:1.4.2": "A version tag is a convention, not a guarantee: "
                                            "the registry accepts a new push of 1.4.2.",
    "localhost:5000/shop/web:latest": "localhost:5000 is the registry host and port, and "
                                      "latest is a tag.",
}


@checker("Right: only the two references with @sha256:… are pinned; with a tag and a digest, "
         "the digest decides and the tag is a label for humans.")
def check_pinned_references(answer: object) -> None:
    """``answer``: the references of :data:`IMAGE_REFERENCES` that always pull the same bytes."""
    if isinstance(answer, str) or not isinstance(answer, set | frozenset | list | tuple):
        raise Wrong("The answer must be a set of references.", "Copy them from the list above.")
    given = {str(r).strip() for r in answer}
    unknown = given - set(IMAGE_REFERENCES)
    if unknown:
        raise Wrong(f"{min(unknown)!r} is not one of the references.",
                    "Copy the references exactly from IMAGE_REFERENCES.")
    if given == set(IMAGE_REFERENCES):   # the starter
        raise Wrong("The set still holds every reference, as the starter does: not answered yet.",
                    "Remove each reference whose image a push to the registry could change.")
    if not given:
        raise Wrong("The set is empty, but some of these references cannot be moved by a push.",
                    "The chapter's section on images says which part of an image's name is "
                    "computed from its content rather than chosen by whoever pushes it.")
    for reference in IMAGE_REFERENCES:
        if reference in given and not is_pinned(reference):
            raise Wrong(f"{reference} is not pinned.", _REFERENCE_HINTS[reference])
        if is_pinned(reference) and reference not in given:
            raise Wrong(f"{reference} is pinned too.",
                        "Look at what this reference carries besides its name and tag: a push "
                        "can move a tag, but not that.")
