"""Apache Mesos in miniature: a master, agents, resource offers and a weighted DRF allocator.

Two-level scheduling: the master's allocator decides which framework is offered an agent's
free resources (hierarchical weighted DRF over roles, then frameworks); each framework's
scheduler decides what to launch on the offer, or declines it. Marathon
(:mod:`clustersim.marathon`) is one framework; :class:`BatchFramework` is a second, so
learners can watch DRF divide a cluster.

Example::

    from clustersim import Node
    from clustersim.mesos import BatchFramework, DRFSorter, MesosCluster

    cluster = MesosCluster(Node.many(3, cpu=4, memory="8Gi"), seed=0)
    spark = cluster.register(BatchFramework("spark", task_cpus=1, task_mem=512, tasks=8,
                                            run_seconds=30))
    cluster.run()
    cluster.tasks(); cluster.offers.to_records(); cluster.events; cluster.snapshot()

Writing a framework: subclass :class:`Framework` and override ``registered(driver)``,
``resource_offers(offers)``, ``offer_rescinded(offer_id)``, ``status_update(status)``;
answer through ``self.driver`` (``accept(offer_ids, tasks, refuse_seconds=5)``,
``decline(offer_ids, refuse_seconds=5)``, ``kill_task``, ``revive``, ``suppress``,
``call_later``). See :mod:`clustersim.mesos.framework` for the full interface and an example.

Apache Mesos moved to the Apache Attic in 2025; the upstream sources cited throughout are
in https://github.com/apache/mesos.
"""

from clustersim.mesos import tasks as _tasks
from clustersim.mesos.agents import Agent, parse_attribute
from clustersim.mesos.batch import BatchFramework, drf_paper_example
from clustersim.mesos.cluster import MesosCluster
from clustersim.mesos.drf import DRFSorter
from clustersim.mesos.framework import DEFAULT_REFUSE_SECONDS, Framework, SchedulerDriver
from clustersim.mesos.offers import Launch, LaunchGroup, Offer, OfferHistory, OfferRecord
from clustersim.mesos.resources import Resources
from clustersim.mesos.tasks import *  # noqa: F403 (the task states and types)

__all__ = [
    "DEFAULT_REFUSE_SECONDS",
    "Agent",
    "BatchFramework",
    "DRFSorter",
    "Framework",
    "Launch",
    "LaunchGroup",
    "MesosCluster",
    "Offer",
    "OfferHistory",
    "OfferRecord",
    "Resources",
    "SchedulerDriver",
    "drf_paper_example",
    "parse_attribute",
]
__all__ += _tasks.__all__
