"""Health checks in Swarm: a task is RUNNING only once its container is healthy (moby
``daemon/cluster/executor/container/controller.go`` ``Start``), probes as moby
``daemon/health.go`` times and counts them, and the updater waits for RUNNING (swarmkit
``manager/orchestrator/update/updater.go``)."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.manifests import ManifestError
from clustersim.swarm import SwarmCluster
from clustersim.swarm.agent import ACCEPT_TIME, PREPARE_TIME, START_TIME, STOP_TIME
from clustersim.swarm.spec import HealthCheck, services_from_stack

#: The container's start, counted from the task's creation (the scheduler adds a little).
STARTED = ACCEPT_TIME + PREPARE_TIME + START_TIME


def deploy(healthcheck: dict | None, replicas: int = 1, update: dict | None = None,
           **health: float | bool) -> SwarmCluster:
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"),
                            *Node.many(3, "w", cpu=4, memory="8Gi")], seed=0)
    if health:
        cluster.set_image_health("web:1", **health)
    service: dict = {"image": "web:1", "deploy": {"replicas": replicas,
                                                   "update_config": update or {}}}
    if healthcheck is not None:
        service["healthcheck"] = healthcheck
    cluster.deploy_stack("s", {"services": {"web": service}})
    return cluster


def reached(cluster: SwarmCluster, state: str) -> float:
    """Seconds from the first task's container start (STARTING + START_TIME) to ``state``."""
    task = min(cluster.tasks("s_web", history=True), key=lambda t: t.created)
    starting = next(t for t, s in task.history if s == "STARTING")
    return next(t for t, s in task.history if s == state) - (starting + START_TIME)


CHECK = {"test": ["CMD", "curl", "-f", "http://localhost/"], "interval": "5s"}


def test_defaults_and_off_switches_follow_docker() -> None:
    [spec] = services_from_stack("s", {"services": {"web": {"image": "w", "healthcheck": {
        "test": "curl -f http://localhost/"}}}})
    # the spec holds what the file gave (0: not given); the engine runs moby's defaults
    assert spec.healthcheck == HealthCheck(("CMD-SHELL", "curl -f http://localhost/"))
    assert spec.healthcheck.resolved() == HealthCheck(
        ("CMD-SHELL", "curl -f http://localhost/"), 30.0, 30.0, 3, 0.0, 5.0)
    for off, stored in (({"test": ["NONE"]}, ("NONE",)), ({"disable": True}, ("NONE",)),
                        ({"test": [], "disable": True}, ("NONE",)), ({"test": []}, ()),
                        ({}, ())):
        [spec] = services_from_stack("s", {"services": {"web": {"image": "w",
                                                                  "healthcheck": off}}})
        assert spec.healthcheck == HealthCheck(stored)
        assert not spec.healthcheck.probes
    [spec] = services_from_stack("s", {"services": {"web": {"image": "w"}}})
    assert spec.healthcheck is None


def test_no_test_keeps_its_periods_for_the_images_check_and_runs_unprobed() -> None:
    """docker/cli's ``convertHealthcheck`` sends the periods of a check without a test
    (``Test`` empty: the engine inherits the image's ``HEALTHCHECK``, which the simulator
    does not know), and a disabled one as ``["NONE"]``; swarmkit stores both as sent. Both
    had been dropped, so ``docker service inspect`` showed no ``Healthcheck``."""
    [spec] = services_from_stack("s", {"services": {"web": {"image": "w", "healthcheck": {
        "test": [], "interval": "4s", "retries": 2}}}})
    assert spec.healthcheck == HealthCheck((), 4.0, retries=2)
    cluster = deploy({"interval": "4s"}, healthy=False)
    cluster.run(until=30)
    assert reached(cluster, "RUNNING") == pytest.approx(0)


def test_an_empty_text_test_is_a_shell_test_and_an_empty_list_none() -> None:
    """docker/cli's ``transformHealthCheckTest`` (``cli/compose/loader/loader.go``) makes a
    string ``CMD-SHELL`` and that string, an empty one too; only ``test: []`` sends no test
    (the engine then inherits the image's). ``test: ""`` had been read as no check."""
    [spec] = services_from_stack("s", {"services": {"web": {"image": "w", "healthcheck": {
        "test": "", "interval": "4s"}}}})
    assert spec.healthcheck == HealthCheck(("CMD-SHELL", ""), 4.0)
    cluster = deploy({"test": "", "interval": "4s"})
    cluster.run(until=30)
    assert reached(cluster, "RUNNING") == pytest.approx(4)


def test_disable_with_an_empty_text_test_is_refused_as_docker_cli_refuses_it() -> None:
    """``test: ""`` is ``["CMD-SHELL", ""]`` to docker/cli, so ``convertHealthcheck``
    refuses it beside ``disable: true``; ``test: []`` beside it passes (above)."""
    with pytest.raises(ManifestError, match="test and disable can't be set at the same time"):
        services_from_stack("s", {"services": {"web": {"image": "w", "healthcheck": {
            "test": "", "disable": True}}}})


@pytest.mark.parametrize("start_interval", ["100us", "-2s"])
def test_a_start_interval_under_1ms_is_created_and_each_task_rejected(
        start_interval: str) -> None:
    """swarmkit does not check ``StartInterval``; the node's engine refuses the container
    when it creates it (moby ``daemon/container.go``, ``validateHealthCheck``, whose test
    table has ``100 * time.Microsecond``), so every task ends REJECTED with its words while
    preparing and the orchestrator replaces it. A negative one had been refused by the
    loader, and one under 1 ms had run."""
    cluster = deploy({**CHECK, "start_interval": start_interval})
    cluster.run(until=30)
    tasks = cluster.tasks("s_web", history=True)
    assert len(tasks) >= 2
    assert {(t.state.value, t.message, t.err) for t in tasks if t.state.terminal} == {
        ("REJECTED", "preparing", "StartInterval in Healthcheck cannot be less than 1ms")}
    assert not [t for t in tasks if t.state.value == "RUNNING"]


def test_a_bad_duration_is_a_clear_error() -> None:
    with pytest.raises(ManifestError, match=r"healthcheck\.interval"):
        services_from_stack("s", {"services": {"web": {"image": "w", "healthcheck": {
            "test": "x", "interval": "soon"}}}})


def test_without_a_health_check_a_task_runs_as_soon_as_it_starts() -> None:
    cluster = deploy(None)
    cluster.run(until=30)
    assert reached(cluster, "RUNNING") == pytest.approx(0)


def test_a_task_is_running_only_once_its_first_probe_passes() -> None:
    cluster = deploy(CHECK)
    cluster.run(until=STARTED + 4.5)
    [task] = cluster.tasks("s_web")
    assert task.state == "starting"
    cluster.run(until=30)
    assert reached(cluster, "RUNNING") == pytest.approx(5)


def test_a_slow_starter_runs_after_the_first_probe_it_passes() -> None:
    cluster = deploy(CHECK, ready_after=12)  # probes at 5 and 10 fail, 15 passes
    cluster.run(until=60)
    assert reached(cluster, "RUNNING") == pytest.approx(15)


def test_retries_failures_in_a_row_fail_the_task() -> None:
    cluster = deploy({**CHECK, "retries": 2}, healthy=False)
    cluster.run(until=STARTED + 10 + STOP_TIME + 0.5)
    failed = [t for t in cluster.tasks("s_web", history=True) if t.state == "failed"]
    assert len(failed) == 1  # and the restart policy has made a new task for the slot
    assert failed[0].err == "task: non-zero exit (137): dockerexec: unhealthy container"
    assert reached(cluster, "FAILED") == pytest.approx(10 + STOP_TIME)


@pytest.mark.parametrize("test", ["false", "exit 1", ["CMD-SHELL", "exit 3"], ["CMD", "false"],
                                  ["CMD-SHELL", "/bin/false"]])
def test_a_command_that_fails_by_itself_fails_the_task_and_it_is_restarted(test) -> None:
    """Regression test: ``--health-cmd false`` (``CMD-SHELL false``) or ``exit 1`` was taken
    to pass, as any command of a default image is, and the task ran on. Each probe fails
    (moby ``daemon/health.go``: any status but 0), ``retries`` of them make the container
    unhealthy, and the restart policy (any, 5 s) starts a new task."""
    cluster = deploy({"test": test, "interval": "4s", "retries": 2, "start_period": "3s"})
    cluster.run(until=STARTED + 8 + STOP_TIME + 5 + STARTED + 1)
    tasks = sorted(cluster.tasks("s_web", history=True), key=lambda t: t.created)
    assert tasks[0].err == "task: non-zero exit (137): dockerexec: unhealthy container"
    assert reached(cluster, "FAILED") == pytest.approx(3 + 4 + STOP_TIME)  # 3 s: start period
    assert len(tasks) == 2 and tasks[1].state == "starting"


@pytest.mark.parametrize("test", [["CMD"], ["CMD-SHELL"]])
def test_a_test_with_no_command_fails_every_probe(test) -> None:
    """Regression test: ``test: ["CMD"]`` passed as a default image's probe does. moby's
    ``cmdProbe`` (``daemon/health.go``) runs the words after ``CMD``: none is no program to
    exec (a probe error, exit -1), and ``/bin/sh -c`` with nothing to run exits 2, so
    ``retries`` probes fail and the task with them."""
    cluster = deploy({"test": test, "interval": "4s", "retries": 2})
    cluster.run(until=STARTED + 8 + STOP_TIME + 0.5)
    failed = [t for t in cluster.tasks("s_web", history=True) if t.state == "failed"]
    assert [t.err for t in failed] == ["task: non-zero exit (137): dockerexec: unhealthy "
                                       "container"]
    assert reached(cluster, "FAILED") == pytest.approx(8 + STOP_TIME)


@pytest.mark.parametrize("healthcheck", [{"test": "x", "disable": True},
                                         {"test": ["NONE"], "disable": True}])
def test_disable_with_a_test_is_refused_as_docker_stack_deploy_refuses_it(healthcheck) -> None:
    """docker/cli ``convertHealthcheck`` (``cli/compose/convert/service.go``)."""
    with pytest.raises(ManifestError) as info:
        services_from_stack("s", {"services": {"web": {"image": "w",
                                                       "healthcheck": healthcheck}}})
    assert info.value.path == "services.web.healthcheck.disable"
    assert info.value.message == "service web: test and disable can't be set at the same time"


@pytest.mark.parametrize(("key", "field"), [("interval", "Interval"), ("timeout", "Timeout"),
                                            ("start_period", "StartPeriod")])
@pytest.mark.parametrize("period", ["1us", "999us", "999999ns", "0.0009999999s", "-1s", "-0.5ms"])
def test_a_period_under_a_millisecond_is_refused_as_swarmkit_refuses_it(
        key: str, field: str, period: str) -> None:
    """swarmkit ``manager/controlapi/service.go``, ``validateHealthCheck``: a period that is
    set must be at least ``minimumDuration`` (1ms); 0 is "not set", and 1ms itself passes.
    ``0.0009999999s`` is 999,999 ns (Go's ``time.ParseDuration`` truncates), and a negative
    period reaches swarmkit too: docker/cli's ``convertHealthcheck`` sends it as it is."""
    with pytest.raises(ManifestError) as info:
        services_from_stack("s", {"services": {"web": {"image": "w", "healthcheck": {
            "test": "x", key: period}}}})
    assert info.value.path == f"services.web.healthcheck.{key}"
    assert info.value.message == f"ContainerSpec: {field} in HealthConfig cannot be less than 1ms"
    for fine in ("0s", "1ms"):
        [spec] = services_from_stack("s", {"services": {"web": {"image": "w", "healthcheck": {
            "test": "x", key: fine}}}})
        assert spec.healthcheck is not None


def test_swarmkit_checks_the_health_check_before_the_endpoint() -> None:
    """``validateServiceSpec`` runs ``validateTaskSpec`` (the image, then the health check)
    before ``validateEndpointSpec``."""
    service = {"healthcheck": {"test": "x", "interval": "1us"},
               "ports": ["80:80"], "deploy": {"endpoint_mode": "dnsrr"}}
    for image, path in ((None, "services.web.image"), ("w", "services.web.healthcheck.interval")):
        with pytest.raises(ManifestError) as info:
            services_from_stack("s", {"services": {"web": {**service, "image": image}
                                                   if image else service}})
        assert info.value.path == path


@pytest.mark.parametrize("test", ["true", "exit 0", "exit 256", "false; true",
                                  ["CMD", "exit", "1"]])
def test_a_command_the_simulator_cannot_judge_answers_as_its_image_does(test) -> None:
    """Only ``false`` and a shell's non-zero ``exit N`` are known to fail; ``exit 256`` is
    status 0, and any other command passes as the default image's probes do."""
    cluster = deploy({"test": test, "interval": "4s", "retries": 2})
    cluster.run(until=30)
    assert reached(cluster, "RUNNING") == pytest.approx(4)


def test_a_fractional_retries_counts_its_whole_part_as_docker_stack_deploy_does() -> None:
    """The schemas type ``retries`` "number" and mapstructure truncates it into a
    ``*uint64`` (docker/cli ``cli/compose/types/types.go``): ``2.9`` is 2 retries, failing
    at the second probe as ``retries: 2`` does. It had been refused ("must be a integer")."""
    cluster = deploy({**CHECK, "retries": 2.9}, healthy=False)
    cluster.run(until=STARTED + 10 + STOP_TIME + 0.5)
    assert reached(cluster, "FAILED") == pytest.approx(10 + STOP_TIME)


def test_failures_within_the_start_period_do_not_count() -> None:
    check = {**CHECK, "retries": 1, "start_period": "20s", "start_interval": "4s"}
    cluster = deploy(check, healthy=False)
    cluster.run(until=60)
    # probes at 4, 8, 12, 16 (start interval) and 20 (end of the start period) are free
    # except the last, which began at 20 s: the first one that counts
    assert reached(cluster, "FAILED") == pytest.approx(20 + STOP_TIME)


def test_the_start_period_ends_on_time_for_a_container_started_late() -> None:
    """A container started at 41.6 s reaches the end of its start period through float
    steps (29.999999999999993 s after its start); moby counts in whole nanoseconds, so the
    probe there is the first that counts and the monitor does not probe again at once."""
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"),
                            *Node.many(3, "w", cpu=4, memory="8Gi")], seed=0)
    cluster.set_image_health("web:1", healthy=False)
    cluster.run(until=39.95)  # the scheduler's pass and the agent's steps take 1.65 s
    cluster.deploy_stack("s", {"services": {"web": {"image": "web:1", "healthcheck": {
        **CHECK, "retries": 1, "start_period": "30s"}}}})
    cluster.run(until=41.6 + 30 + STOP_TIME + 0.5)
    assert reached(cluster, "FAILED") == pytest.approx(30 + STOP_TIME)


def test_a_probe_slower_than_the_timeout_fails() -> None:
    check = {**CHECK, "timeout": "2s", "retries": 1}
    cluster = deploy(check, probe_time=3)
    cluster.run(until=60)
    assert reached(cluster, "FAILED") == pytest.approx(5 + 2 + STOP_TIME)
    fast = deploy(check, probe_time=1)
    fast.run(until=60)
    assert reached(fast, "RUNNING") == pytest.approx(5 + 1)


def test_a_running_task_that_turns_unhealthy_fails() -> None:
    cluster = deploy({**CHECK, "retries": 1})
    cluster.run(until=20)
    cluster.set_image_health("web:1", healthy=False)
    cluster.run(until=40)
    assert reached(cluster, "RUNNING") == pytest.approx(5)
    assert reached(cluster, "FAILED") == pytest.approx(20 + STOP_TIME)  # first probe after 20


def test_the_updater_waits_for_each_new_task_to_be_healthy() -> None:
    """Two replicas, parallelism 1: the second slot starts only once the first new task is
    healthy, so a 20 s warm-up (inside a 30 s start period) delays the update by about
    2 × 20 s. Without the start period the same warm-up would fail (3 failed probes)."""
    def update_time(healthcheck: dict | None) -> float:
        cluster = deploy(healthcheck, replicas=2)
        cluster.run(until=60)
        cluster.set_image_health("web:2", ready_after=20)
        start = cluster.clock.now
        cluster.update_service("s_web", image="web:2")
        while cluster.services["s_web"].update_state == "updating":
            cluster.run(until=cluster.clock.now + 1)
        assert cluster.services["s_web"].update_state == "completed"
        return cluster.clock.now - start

    without, checked = update_time(None), update_time({**CHECK, "start_period": "30s"})
    assert checked - without >= 2 * 20


def test_an_update_to_an_unhealthy_image_pauses() -> None:
    cluster = deploy({**CHECK, "retries": 1}, replicas=2)
    cluster.run(until=60)
    cluster.set_image_health("web:2", healthy=False)
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=120)
    service = cluster.services["s_web"]
    assert service.update_state == "paused"
    assert not any(t.state == "running" and t.spec.image == "web:2"
                   for t in cluster.tasks("s_web", history=True))
