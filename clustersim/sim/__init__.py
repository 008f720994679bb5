"""What the three simulators share: a seeded clock, the event record and the snapshot shape.

The views in :mod:`clustersim.viz` read only these shapes, so one figure works for every
system.
"""

from clustersim.sim.clock import Clock
from clustersim.sim.conditions import ConditionChange
from clustersim.sim.events import Event, EventLog
from clustersim.sim.record import record_run
from clustersim.sim.requests import RequestStream
from clustersim.sim.snapshot import NodeState, Snapshot, TaskState
from clustersim.sim.system import System

__all__ = [
    "Clock", "ConditionChange", "Event", "EventLog", "NodeState", "RequestStream", "Snapshot",
    "System", "TaskState", "record_run",
]
