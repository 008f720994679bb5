"""Docker Swarm mode in miniature: services, tasks, the spread scheduler, updates, the routing
mesh and Raft quorum, on simulated time.

>>> from clustersim import Node
>>> from clustersim.swarm import SwarmCluster
>>> nodes = [Node("m1", 2, "4Gi", role="manager"), *Node.many(2, "w", cpu=2, memory="4Gi")]
>>> cluster = SwarmCluster(nodes, seed=0)
>>> _ = cluster.deploy_stack("web", {"services": {"app": {"image": "nginx",
...                                   "deploy": {"replicas": 3}}}})
>>> cluster.run(until=10)
>>> sorted(t.node for t in cluster.tasks())
['m1', 'w-1', 'w-2']

Each module names the swarmkit (or Docker) source it follows.
"""

from clustersim.swarm.cluster import Service, SwarmCluster
from clustersim.swarm.constraints import Constraint, constraints_accept, parse_constraint
from clustersim.swarm.errors import NoLeaderError, SwarmError
from clustersim.swarm.mesh import Request, Traffic
from clustersim.swarm.raft import fault_tolerance, quorum
from clustersim.swarm.spec import ServiceSpec
from clustersim.swarm.tasks import Task, TaskState

__all__ = [
    "Constraint",
    "NoLeaderError",
    "Request",
    "Service",
    "ServiceSpec",
    "SwarmCluster",
    "SwarmError",
    "Task",
    "TaskState",
    "Traffic",
    "constraints_accept",
    "fault_tolerance",
    "parse_constraint",
    "quorum",
]
