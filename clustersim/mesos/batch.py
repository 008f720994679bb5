"""A toy batch framework, and the DRF paper's worked example run on Mesos.

:class:`BatchFramework` runs a fixed number of identical tasks and then stops asking for
resources. It launches at most ``tasks_per_offer`` tasks per offer (default 1) and returns
the rest of the offer at once (``refuse_seconds=0``) while it still has work, so the
allocator's DRF order decides who gets the next task: the progressive filling of the DRF
paper. When nothing it needs fits, it declines for ``refuse_seconds`` (default 5 s);
once all its tasks are launched it calls ``suppress()``; a failed or lost task is queued
again and the framework revives.

:func:`drf_paper_example` sets up the worked example of Ghodsi et al., "Dominant Resource
Fairness: Fair Allocation of Multiple Resource Types" (NSDI 2011, § 4.1,
https://www.usenix.org/legacy/event/nsdi11/tech/full_papers/Ghodsi.pdf): 9 CPUs and 18 GB;
user A's tasks need <1 CPU, 4 GB>, user B's <3 CPUs, 1 GB>. DRF gives A three tasks
<3 CPUs, 12 GB> and B two tasks <6 CPUs, 2 GB>; both dominant shares are 2/3.
"""

from __future__ import annotations

from clustersim.mesos.cluster import MesosCluster
from clustersim.mesos.framework import Framework
from clustersim.mesos.offers import Offer
from clustersim.mesos.tasks import TASK_FAILED, TASK_LOST, TaskInfo, TaskStatus
from clustersim.node import Node
from clustersim.numeric import is_number

__all__ = ["BatchFramework", "drf_paper_example"]


class BatchFramework(Framework):
    """``tasks`` tasks of ``task_cpus`` CPUs and ``task_mem`` MiB, each running ``run_seconds``
    (default None: until killed, so the division DRF reached stays to be looked at).

    ``role`` defaults to the framework's name, so each batch framework is its own role.
    """

    def __init__(self, name: str, task_cpus: float, task_mem: float, tasks: int,
                 run_seconds: float | None = None, role: str | None = None, *,
                 tasks_per_offer: int = 1, refuse_seconds: float = 5.0,
                 startup_seconds: float = 1.0) -> None:
        super().__init__(name=name, role=role or name)
        for field, amount in (("task_cpus", task_cpus), ("task_mem", task_mem)):
            if not is_number(amount) or amount < 0:
                raise ValueError(f"BatchFramework {name!r}: {field} must be a number of 0 or "
                                 f"more, got {amount!r}")
        if task_cpus + task_mem <= 0:
            raise ValueError(f"BatchFramework {name!r}: a task needs some cpus or memory "
                             "(task_cpus and task_mem are both 0)")
        if not isinstance(tasks, int) or tasks < 0:
            raise ValueError(f"BatchFramework {name!r}: tasks must be a whole number ≥ 0")
        if tasks_per_offer < 1:
            raise ValueError(f"BatchFramework {name!r}: tasks_per_offer must be ≥ 1")
        self.task_cpus = task_cpus
        self.task_mem = task_mem
        self.total_tasks = tasks
        self.run_seconds = run_seconds
        self.tasks_per_offer = tasks_per_offer
        self.refuse_seconds = refuse_seconds
        self.startup_seconds = startup_seconds
        self.pending: list[str] = [f"{name}-{i}" for i in range(1, tasks + 1)]
        self.attempts: dict[str, int] = {}
        self.finished: list[str] = []

    def _task(self, key: str, offer: Offer) -> TaskInfo:
        attempt = self.attempts[key] = self.attempts.get(key, 0) + 1
        return TaskInfo(
            key if attempt == 1 else f"{key}.{attempt}", name=key, agent_id=offer.agent_id,
            resources={"cpus": self.task_cpus, "mem": self.task_mem},
            startup_seconds=self.startup_seconds, run_seconds=self.run_seconds,
            owner=self.name,
        )

    def resource_offers(self, offers: list[Offer]) -> None:
        assert self.driver is not None
        for offer in offers:
            cpus, mem = offer.cpus, offer.mem
            batch = []
            while (self.pending and len(batch) < self.tasks_per_offer
                   and cpus >= self.task_cpus and mem >= self.task_mem):
                batch.append(self._task(self.pending.pop(0), offer))
                cpus, mem = cpus - self.task_cpus, mem - self.task_mem
            if batch:
                self.driver.accept([offer.id], batch,
                                   refuse_seconds=0 if self.pending else self.refuse_seconds)
            else:
                self.driver.decline([offer.id], refuse_seconds=self.refuse_seconds)
        if not self.pending:
            self.driver.suppress()

    def status_update(self, status: TaskStatus) -> None:
        assert self.driver is not None
        key = status.task_id.split(".")[0]
        if status.state in (TASK_FAILED, TASK_LOST, "TASK_ERROR", "TASK_DROPPED"):
            self.pending.append(key)
            self.driver.revive()
        elif status.state == "TASK_FINISHED":
            self.finished.append(key)

    @property
    def launched(self) -> int:
        """Tasks started so far (each task counted once, however often it was retried)."""
        return len(self.attempts)


def drf_paper_example(seed: int = 0) -> MesosCluster:
    """The DRF paper's example on one agent of 9 CPUs and 18 GB, run until quiet.

    Two batch frameworks, ``A`` (<1 CPU, 4 GB> tasks) and ``B`` (<3 CPUs, 1 GB>), each in its
    own role and each wanting more than fits. Returns the cluster: ``cluster.tasks("A")``
    has 3 tasks, ``cluster.tasks("B")`` 2, and ``cluster.shares()`` gives 2/3 to both.
    """
    cluster = MesosCluster([Node("agent-1", cpu=9, memory="18Gi")], seed=seed)
    cluster.register(BatchFramework("A", task_cpus=1, task_mem=4 * 1024, tasks=10))
    cluster.register(BatchFramework("B", task_cpus=3, task_mem=1 * 1024, tasks=10))
    cluster.run()
    return cluster
