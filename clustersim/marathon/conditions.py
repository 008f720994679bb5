"""An instance's condition as Marathon's event bus reports it: ``instance_changed_event``.

Marathon publishes an ``instance_changed_event`` whenever an instance's condition changes
(d2iq-archive/marathon ``core/instance/update/InstanceChangedEventsGenerator.scala``: an
event only if the condition differs from the previous one; a task's status update posts its
``status_update_event`` first, then the instance's event). Its JSON carries ``instanceId``,
``condition``, ``runSpecId``, ``agentId``, ``host``, ``runSpecVersion``, ``timestamp`` and
``eventType``, in that order (``InstanceChangedEventWrites`` in ``api/v2/json/Formats.scala``;
``agentId`` and ``host`` are ``null`` while the instance is on no agent). Condition names
follow ``core/condition/Condition.scala``.

The simulator records the event with the bus fields in its message
(``condition=Running runSpecId=/web agentId=agent-1 host=agent-1 runSpecVersion=1``, as
``status_update_event`` does) and :func:`changed_fields` reads them back for the served
event stream.

Simplified: the simulated master tells a framework no ``TASK_STAGING``, so a launched
instance is *Staging* in the simulator until its task starts; its event names it
*Provisioned*, Marathon's condition for an accepted launch that Mesos has not started yet.
An instance is *Killing* only for a Marathon with ``task_killing=True`` (upstream's
``--enable_features task_killing``, off by default), which hears Mesos' TASK_KILLING. A task
group's instance takes a terminal condition when its last task ends, the condition of that
task's state.
"""

from __future__ import annotations

import re
from typing import Any

from clustersim.marathon.state import STAGING, Instance

__all__ = ["TERMINAL_CONDITION", "changed_fields", "changed_message", "condition_name",
           "lost_condition"]

TERMINAL_CONDITION = {
    "TASK_FINISHED": "Finished", "TASK_FAILED": "Failed", "TASK_KILLED": "Killed",
    "TASK_ERROR": "Error", "TASK_DROPPED": "Dropped", "TASK_GONE": "Gone",
    "TASK_GONE_BY_OPERATOR": "Gone"}
"""The condition an instance takes when its task ends in a terminal Mesos state
(d2iq-archive/marathon ``core/task/TaskCondition.scala``), every one but ``TASK_LOST``,
whose condition its reason decides (:func:`lost_condition`)."""

_MIGHT_COME_BACK = frozenset({
    "REASON_RECONCILIATION", "REASON_SLAVE_DISCONNECTED", "REASON_AGENT_DISCONNECTED",
    "REASON_SLAVE_REMOVED", "REASON_AGENT_REMOVED"})
"""``TaskConditionMapping.Unreachable``: the reasons of a ``TASK_LOST`` whose task may still
run (each under its v0 name, ``SLAVE``, and its v1 name, ``AGENT``, which the simulated master
uses)."""
_UNKNOWN_MESSAGE = "Reconciliation: Task is unknown to the"


def lost_condition(reason: str | None, message: str = "") -> str:
    """The condition of a task reported ``TASK_LOST`` (``TaskCondition.inferStateForLost`` in
    d2iq-archive/marathon ``core/task/TaskCondition.scala``, the sets of
    ``core/task/state/TaskConditionMapping.scala``): *Unknown* for ``REASON_TASK_UNKNOWN``
    or a reconciliation's "task is unknown" message, *Unreachable* for a reason after which
    the task may come back (an agent disconnected or removed, a reconciliation), *Gone* for
    every other reason. A status without a reason reads as protobuf's first reason,
    ``REASON_COMMAND_EXECUTOR_FAILED``: Gone."""
    if message.startswith(_UNKNOWN_MESSAGE) or reason == "REASON_TASK_UNKNOWN":
        return "Unknown"
    return "Unreachable" if reason in _MIGHT_COME_BACK else "Gone"

_FIELDS = re.compile(r"condition=(?P<condition>\S+) runSpecId=(?P<runSpecId>\S+) "
                     r"agentId=(?P<agentId>\S+) host=(?P<host>\S+) "
                     r"runSpecVersion=(?P<runSpecVersion>\d+)")
_NONE = "-"


def condition_name(state: str) -> str:
    """Marathon's name of a simulator instance state (Staging: *Provisioned*, see above)."""
    return "Provisioned" if state == STAGING else state


def changed_message(instance: Instance, condition: str) -> str:
    """The message of the ``instance_changed_event`` that moves ``instance`` to
    ``condition`` (a Marathon condition name)."""
    return (f"condition={condition} runSpecId={instance.spec_id} "
            f"agentId={instance.agent_id or _NONE} host={instance.hostname or _NONE} "
            f"runSpecVersion={instance.version}")


def changed_fields(message: str) -> dict[str, Any] | None:
    """The event bus fields of an ``instance_changed_event``'s message (``runSpecVersion``:
    the number of the deployment that stored the version, ``None`` for no agent), or
    ``None`` if the message is not one :func:`changed_message` wrote."""
    found = _FIELDS.fullmatch(message)
    if found is None:
        return None
    fields: dict[str, Any] = {key: None if value == _NONE else value
                              for key, value in found.groupdict().items()}
    fields["runSpecVersion"] = int(fields["runSpecVersion"])
    return fields
