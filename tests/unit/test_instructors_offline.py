"""The instructors' guide's "In the room" commands, which a teaching assistant types on twenty
laptops with no network: they install from wheelhouses that the page tells the instructor to
make, and Windows laptops get commands that exist there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    return GUIDE.split(f"\n### {heading}", 1)[1].split("\n#", 1)[0]


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_every_wheelhouse_the_room_installs_from_is_one_the_page_makes() -> None:
    """The room installed from ``/media/usb/wheelhouse`` only, the Linux machine's wheelhouse,
    while the page makes one per kind of laptop: a Mac or Windows learner typing it got
    ``No matching distribution`` for NumPy, and no command named their folder."""
    made = set(re.findall(r"(?:-d|-w) (wheelhouse[\w-]*)", GUIDE))
    room = section("In the room: on each learner's laptop")
    used = set(re.findall(r"--find-links \S*?[/\\](wheelhouse[\w-]*)", room))
    assert used - made == set(), f"installed from but never made: {used - made}"
    platforms = {name for name in made if name != "wheelhouse"}
    assert platforms and platforms & used, "the room names no platform's own wheelhouse"


def test_the_room_gives_windows_commands_that_exist_there() -> None:
    """The room's only Windows hint was ``# Windows: .venv\\Scripts\\activate`` on a line that
    starts ``python3 -m venv``: python.org's installer adds no ``python3`` (the README says
    ``py -3.11``)."""
    room = section("In the room: on each learner's laptop")
    [windows] = code_blocks(room, "powershell")
    assert "python3" not in windows
    assert re.search(r"^py -3\.\d+ -m venv \.venv$", windows, re.M)
    assert "Scripts\\Activate.ps1" in windows
    assert "clustersim doctor" in windows


def test_the_guide_quotes_what_serve_prints_for_a_port_in_use(capsys) -> None:
    """The guide said a taken ``--port`` stops the server "with ``[Errno 98] Address already
    in use`` (Linux's wording)", where serve prints a line of its own on every system. The
    guide quotes that line, with ``<port>`` for the number."""
    import socket

    from clustersim.serve.launch import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["kubernetes", "--port", str(port)]) == 2
    printed = capsys.readouterr().err.strip().replace(str(port), "<port>")
    stuck = " ".join(GUIDE.split("- **A port in use.**", 1)[1].split("\n- **", 1)[0].split())
    assert f"`{printed}`" in stuck


def test_the_guide_quotes_what_a_lab_prints_without_the_docker_cli(monkeypatch,
                                                                  capsys) -> None:
    """The guide said the real-commands lab's docker cells print ``docker: command not
    found`` without the CLI, where ``Server.sh`` prints a line of its own that says where to
    get it: the guide quotes that line, for the lab's first docker command."""
    from clustersim.serve import launch

    monkeypatch.setattr(launch, "find_program", lambda name, path=None: None)
    server = launch.serve("swarm", speed=0).start()
    try:
        server.sh("docker service ls")
    finally:
        server.stop()
    printed = capsys.readouterr().out.strip()
    assert f"``{printed}``" in " ".join(GUIDE.split())


def pip_downloads(text: str) -> list[str]:
    """The ``pip download`` commands of a page's bash blocks, each joined into one line."""
    commands = []
    for block in code_blocks(text, "bash"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("pip download"):
                commands.append(" ".join(line.split()))
    return commands


def test_no_wheelhouse_is_downloaded_from_the_editable_line() -> None:
    """The guide made the wheelhouse with ``pip download -r requirements.txt`` in the
    repository's folder: for its ``-e .`` line pip packs the whole folder into
    ``clustersim-0.1.0.zip``, the ``.venv/`` the README makes there included. An instructor's
    trial measured that zip at 321 MiB of a 557 MiB wheelhouse (``du -sh``), and the offline
    install never reads it. Every ``pip download`` reads a requirements file written without
    the ``-e`` line, by a command the guide gives."""
    pinned = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^-e \.", pinned, re.M), "requirements.txt installs the course with -e ."
    commands = pip_downloads(GUIDE)
    assert len(commands) >= 4, commands
    for command in commands:
        [source] = re.findall(r"-r (\S+)", command)
        assert source != "requirements.txt", command
        assert f"grep -v '^-e' requirements.txt > {source}" in GUIDE, command


def test_a_cluster_started_again_is_the_same_machines_behind_a_new_kubeconfig() -> None:
    """The guide tells instructors to reset a learner's cluster by stopping ``serve`` and
    starting it again, and to run the new lines it prints: the same machines come back, and
    the old ``KUBECONFIG`` names a file that is gone."""
    from clustersim.serve import launch

    first = launch.serve("kubernetes", speed=0).start()
    old, machines = first.env()["KUBECONFIG"], first.cluster.node_names()
    assert Path(old).is_file()
    first.stop()
    assert not Path(old).exists()
    second = launch.serve("kubernetes", speed=0).start()
    try:
        assert second.env()["KUBECONFIG"] != old
        assert second.cluster.node_names() == machines
    finally:
        second.stop()
    advice = " ".join(GUIDE.split("**Starting again.**", 1)[1].split("**The clock.**")[0].split())
    assert "the `KUBECONFIG` line changes at every start" in advice


def test_the_guide_s_size_of_a_live_chart_is_plotly_s_own_script() -> None:
    """The guide budgets the room's Wi-Fi for a shared host with the script each live chart
    sends to the browser: the ``_esm`` of the pinned plotly's ``FigureWidget``."""
    import plotly.graph_objects as go

    megabytes = round(len(go.FigureWidget()._esm.encode()) / 1e6)
    network = " ".join(GUIDE.split("The network counts", 1)[1].split("\n\n", 1)[0].split())
    assert f"plotly's own script, about {megabytes} MB" in network
