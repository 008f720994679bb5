"""Checks for the Docker Swarm chapter (``book/orchestrators/swarm.md``).

- :func:`check_fault_tolerance`: how many manager failures a swarm of ``N`` managers survives,
  compared with :func:`clustersim.swarm.fault_tolerance` (Raft majority; moby/swarmkit
  ``manager/state/raft/raft.go``, https://docs.docker.com/engine/swarm/raft/).
- :func:`check_spread_prediction`: where the scheduler puts the tasks of a service with
  constraints and a placement preference, compared with a :class:`clustersim.swarm.SwarmCluster`
  run (moby/swarmkit ``manager/scheduler/scheduler.go``, ``manager/constraint/constraint.go``).
- :func:`check_leaderless`: what still works when two of three managers are down, checked
  against a simulated run (:func:`leaderless_run`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from clustersim.exercises.answers import choice, keyed, whole_number, yes_or_no
from clustersim.exercises.checker import Wrong, checker
from clustersim.messages import counted
from clustersim.node import Node
from clustersim.swarm import NoLeaderError, SwarmCluster, TaskState, fault_tolerance

__all__ = ["LEADERLESS_STATEMENTS", "MANAGER_COUNTS", "SEARCH_STACK", "check_fault_tolerance",
           "check_leaderless", "check_spread_prediction", "leaderless_run", "search_cluster",
           "search_nodes"]

MANAGER_COUNTS = (1, 2, 3, 4, 5, 7)


@checker("Right: 0, 0, 1, 1, 2, 3. A quorum is a strict majority, N // 2 + 1, so an even "
         "number of managers tolerates no more failures than one manager fewer.")
def check_fault_tolerance(answer: object) -> None:
    """``answer``: ``{managers: failures tolerated}`` for :data:`MANAGER_COUNTS`."""
    answer = keyed(answer, MANAGER_COUNTS, "manager count")
    numbers = {n: whole_number(answer[n], f"the failures {counted(n, 'manager')} "
                                          f"tolerate{'s' if n == 1 else ''}")
               for n in MANAGER_COUNTS}
    quorums = all(numbers[n] == n // 2 + 1 for n in MANAGER_COUNTS)
    for n, given in numbers.items():
        managers = counted(n, "manager")
        right = fault_tolerance(n)
        if given == right:
            continue
        if given == n // 2 + 1 and (quorums or (n - 1 != given and n > 1)):
            hint = (f"{given} is the quorum of {managers}, the managers that must stay up for "
                    "a leader to be elected; how many can fail and leave that many?")
        elif given == n // 2 and n % 2 == 0:
            hint = (f"With {n} managers, losing {n // 2} leaves exactly half: a quorum needs "
                    f"more than half ({n // 2 + 1}). An even count adds no tolerance.")
        elif given == n - 1:
            hint = ("Raft needs a majority of the managers to elect a leader; one survivor of "
                    "several is not a majority.")
        elif n == 1:
            hint = ("A single manager is its own quorum: if it fails, no manager is left to "
                    "lead, so it tolerates no failure.")
        else:
            hint = f"A quorum of {managers} is {n // 2 + 1}: the others may fail."
        raise Wrong(f"{managers}: not {given}.", hint)


def search_nodes() -> list[Node]:
    """One manager and five workers in zones a, b and c, some with a ``disk`` label."""
    return [
        Node("manager-1", cpu=2, memory="4Gi", role="manager", labels={"zone": "a", "disk": "ssd"}),
        Node("worker-1", cpu=4, memory="8Gi", labels={"zone": "a", "disk": "hdd"}),
        Node("worker-2", cpu=4, memory="8Gi", labels={"zone": "a"}),
        Node("worker-3", cpu=4, memory="8Gi", labels={"zone": "b", "disk": "ssd"}),
        Node("worker-4", cpu=4, memory="8Gi", labels={"zone": "b", "disk": "ssd"}),
        Node("worker-5", cpu=4, memory="8Gi", labels={"zone": "c", "disk": "hdd"}),
    ]


SEARCH_STACK = """\
services:
  search:
    image: registry.example.com/shop/search:3.1
    deploy:
      replicas: 8
      placement:
        constraints: ["node.role == worker", "node.labels.disk != hdd"]
        preferences:
          - spread: node.labels.zone
"""


def search_cluster() -> SwarmCluster:
    """:func:`search_nodes` after ``docker stack deploy`` of :data:`SEARCH_STACK`."""
    cluster = SwarmCluster(search_nodes(), seed=0)
    cluster.deploy_stack("shop", SEARCH_STACK)
    cluster.run(until=30)
    return cluster


@checker("Right: worker-2 (no disk label, so != hdd holds) is zone a's only eligible node and "
         "gets zone a's half: 4 tasks; worker-3 and worker-4 share zone b's 4.")
def check_spread_prediction(answer: object) -> None:
    """``answer``: ``{node: tasks of shop_search}`` after deploying :data:`SEARCH_STACK` on
    :func:`search_nodes` (nodes without tasks may be left out)."""
    if not isinstance(answer, Mapping):
        raise Wrong("The answer must be a dict {node: number of tasks}.",
                    "Keep the starter's dict.")
    nodes = {n.name: n for n in search_nodes()}
    given: dict[str, int] = {}
    for key, count in answer.items():
        name = choice(key, tuple(nodes), "A node name of your dict")
        if count is None:
            continue
        tasks = whole_number(count, f"the tasks on {name}")
        if tasks < 0:
            raise Wrong(f"{name}: {count!r} is not a number of tasks.",
                        "A node runs 0 tasks or more.")
        if tasks:
            given[name] = given.get(name, 0) + tasks
    right = Counter(t.node for t in search_cluster().tasks() if t.node)
    if given == right:
        return
    zone = {name: node.labels["zone"] for name, node in nodes.items()}   # every node has one
    if sum(given.values()) != sum(right.values()):
        raise Wrong(f"Your counts add up to {sum(given.values())} tasks.",
                    f"The service asks for {sum(right.values())} replicas, and there is room "
                    "for all of them." + _empty_zone_hint(given, right, zone))
    if given.get("manager-1"):
        raise Wrong("manager-1 gets no task.", "The constraint node.role == worker excludes it.")
    if given.get("worker-1") or given.get("worker-5"):
        raise Wrong("worker-1 and worker-5 get no task.",
                    "Their disk label is hdd, so node.labels.disk != hdd fails.")
    if not given.get("worker-2"):
        raise Wrong("worker-2 gets tasks too.",
                    "worker-2 has no disk label at all: a node that lacks a label fails == "
                    "and passes !=.")

    def per_zone(counts: Mapping[str, int]) -> Counter[str]:
        return Counter({z: sum(c for n, c in counts.items() if zone[n] == z)
                        for z in set(zone.values())})

    if per_zone(given) == per_zone(right):
        off = sorted({zone[n] for n in {*given, *right} if given.get(n, 0) != right.get(n, 0)})
        inside = sorted(n for n in right if zone[n] == off[0])
        raise Wrong(f"The split between zones is right; inside zone {off[0]} it is not.",
                    f"Inside zone {off[0]}, {' and '.join(inside)} share its tasks: the "
                    "scheduler spreads them evenly over the zone's eligible nodes, as it "
                    "spreads any service's tasks over nodes. Check the scenario.")
    raise Wrong("Not the scheduler's split.",
                "The preference splits the replicas evenly between the zone values of the "
                "eligible nodes first, then spreads inside each zone, however many nodes each "
                "zone has.")


def _empty_zone_hint(given: Mapping[str, int], right: Mapping[str, int],
                     zone: Mapping[str, str]) -> str:
    """What the scheduler does with a zone none of whose nodes may take a task, for an answer
    that gives some tasks, fewer than the service asks for, and none to such a zone (as if its
    share were lost); "" otherwise (the starter's zeros among them).

    swarmkit builds the spread's tree from every node, eligible or not, so such a zone is a
    branch of its own (``manager/scheduler/nodeset.go``, ``tree``); its share finds no node,
    the branch is marked full, and the tasks left are divided again, evenly, between the
    other branches (``manager/scheduler/scheduler.go``, ``scheduleNTasksOnSubtree``)."""
    empty = sorted(set(zone.values()) - {zone[name] for name in right})
    if not empty or not given or sum(given.values()) >= sum(right.values()) or any(
            zone[name] in empty for name in given):
        return ""
    zones = " and ".join(empty)
    return (f" A zone with no eligible node (zone {zones} here) does not lose its share: the "
            "preference first divides the tasks between every zone value, the scheduler "
            "finds no node for that zone's part, and it divides the tasks left evenly "
            "between the zones that can take them.")


LEADERLESS_STATEMENTS = (
    "the three web tasks keep running",
    "a request to worker-1:8080 is still answered through the routing mesh",
    "docker service scale shop_web=5 succeeds",
    "when worker-3 fails too, its web task is started on another worker",
    "once manager-2 is back, the task lost with worker-3 is replaced",
)
_LEADERLESS_HINTS = (
    "Workers run their containers without the managers: nothing stops them.",
    "The routing mesh lives on every node (IPVS rules); it forwards to tasks that run.",
    "Scaling writes to the Raft store, which needs a leader, which needs a quorum (2 of 3).",
    "Rescheduling is the leader's orchestrator and scheduler at work: without a leader, "
    "nobody notices the missing task.",
    "With 2 of 3 managers a quorum is back, a leader is elected, and the orchestrator "
    "reconciles: the missing task is created and scheduled.",
)


def leaderless_run() -> dict[str, bool]:
    """Run the scenario of :data:`LEADERLESS_STATEMENTS` and say which statements held.

    Three drained managers and three workers run ``shop_web`` (3 replicas, port 8080); at
    t = 30 s manager-1 and manager-2 fail; worker-3 fails at t = 60 s; manager-2 comes back at
    t = 200 s. Upstream: https://docs.docker.com/engine/swarm/admin_guide/ (recover from
    losing the quorum) and :mod:`clustersim.swarm.raft`."""
    managers = [Node(f"manager-{i}", cpu=2, memory="4Gi", role="manager") for i in (1, 2, 3)]
    cluster = SwarmCluster([*managers, *Node.many(3, "worker", cpu=4, memory="8Gi")], seed=0)
    for manager in managers:
        cluster.update_node(manager.name, availability="drain")
    cluster.deploy_stack("shop", {"services": {"web": {
        "image": "shop/web:2.0.2", "ports": ["8080:80"], "deploy": {"replicas": 3}}}})
    cluster.run(until=30)
    cluster.fail_node("manager-1")
    cluster.fail_node("manager-2")
    cluster.run(until=60)
    running = len([t for t in cluster.tasks("shop_web") if t.state.name == "RUNNING"])
    served = not cluster.request("worker-1", 8080).error
    try:
        cluster.scale("shop_web", 5)
        scaled = True
    except NoLeaderError:
        scaled = False
    cluster.fail_node("worker-3")
    cluster.run(until=200)
    moved = _serving_on_live_workers(cluster) == 3
    cluster.recover_node("manager-2")
    cluster.run(until=260)
    return dict(zip(LEADERLESS_STATEMENTS,
                    (running == 3, served, scaled, moved,
                     _serving_on_live_workers(cluster) == 3), strict=True))


def _serving_on_live_workers(cluster: SwarmCluster) -> int:
    return sum(t.state == TaskState.RUNNING and t.node is not None
               and cluster.machine_alive(t.node) for t in cluster.tasks("shop_web"))


@checker("Right: running tasks and the routing mesh carry on, but nothing that needs the "
         "leader works (no scaling, no rescheduling) until a quorum is back.")
def check_leaderless(answer: object) -> None:
    """``answer``: ``{statement: True/False}`` for :data:`LEADERLESS_STATEMENTS`, checked
    against :func:`leaderless_run`."""
    answer = keyed(answer, LEADERLESS_STATEMENTS, "statement")
    truth = leaderless_run()
    for statement, hint in zip(LEADERLESS_STATEMENTS, _LEADERLESS_HINTS, strict=True):
        if yes_or_no(answer[statement], f"“{statement}”") != truth[statement]:
            raise Wrong(f"“{statement}”: not {answer[statement]}.", hint)
