"""The stack-file writing exercise (Swarm chapter): the right file passes, and each typical
slip gets its own hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.stack_file import check_stack_file

GOOD = """\
version: "3.8"
services:
  api:
    image: registry.example.com/shop/api:3.1
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/healthz"]
      interval: 10s
    secrets: [db_password]
    deploy:
      replicas: 2
secrets:
  db_password:
    external: true
"""
HEALTH = """\
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/healthz"]
      interval: 10s
"""
DECLARED = "secrets:\n  db_password:\n    external: true\n"
TEST = '["CMD", "curl", "-f", "http://localhost:8080/healthz"]'


def test_the_right_stack_file_passes() -> None:
    assert check_stack_file(GOOD).passed
    long_form = GOOD.replace("    secrets: [db_password]\n",
                             "    secrets:\n      - source: db_password\n        mode: 0400\n")
    assert check_stack_file(long_form).passed


@pytest.mark.parametrize(("text", "hint"), [
    (GOOD.replace(HEALTH, ""), "Add a healthcheck: section"),
    (GOOD.replace("      interval: 10s\n", ""), "Set interval: 10s"),
    (GOOD.replace("interval: 10s", "interval: 30s"), "Set interval: 10s"),
    # docker/cli refuses disable: true beside a test (convertHealthcheck)
    (GOOD.replace("      interval: 10s\n", "      interval: 10s\n      disable: true\n"),
     "Leave out disable: true"),
    (GOOD.replace(TEST, "[]").replace("      interval: 10s\n",
                                      "      interval: 10s\n      disable: true\n"),
     "Give test: the command"),
    (GOOD.replace('["CMD", "curl", "-f", "http://localhost:8080/healthz"]', '["NONE"]'),
     "Give test: the command"),
    (GOOD.replace("    secrets: [db_password]\n", ""), "List db_password under api's secrets:"),
    (GOOD.replace(DECLARED, ""), "Declare the secret under a top-level secrets:"),
    (GOOD.replace("    external: true", "    file: ./db_password.txt"), "external: true"),
    (GOOD.replace("      replicas: 2\n", "      replicas: 3\n"), "deploy: replicas:"),
    (GOOD.replace("    deploy:\n      replicas: 2\n", ""), "1 when it is missing"),
    (GOOD.replace("shop/api:3.1", "shop/api"), "tag included"),
    (GOOD.replace("  api:", "  web:"), "Name the service api"),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: b}]}\n",
     "services: and api"),
    ("services: [\n", "field path"),
    (None, "triple quotes"),
    (GOOD.replace(TEST, '["CMD-SHELL"]'), "Put the command after CMD-SHELL"),
    (GOOD.replace(TEST, '["CMD"]'), "Put the command after CMD"),
    (GOOD.replace("interval: 10s", "interval: 1ns"), "at least 1ms"),
    (GOOD.replace("interval: 10s", "interval: 10s\n      timeout: 500us"), "at least 1ms"),
    (GOOD.replace("      replicas: 2\n", "      mode: global\n"), "Leave out mode:"),
    # the loader refuses replicas beside mode: global before the check can see the mode
    (GOOD.replace("      replicas: 2\n", "      mode: global\n      replicas: 2\n"),
     "Leave out mode:"),
    (GOOD.replace("replicas: 2", "replicas: two"), "the Docker CLI's own wording"),
    (GOOD.replace("replicas: 2", "replicas: '2'"), "without quotes, such as replicas: 2"),
    # the loader's words point elsewhere: "Additional property replicas is not allowed",
    # "must be a string" and "missing unit" (a newcomer trial)
    (GOOD.replace("    deploy:\n      replicas: 2\n", "    replicas: 2\n"),
     "belongs to the deploy: section"),
    (GOOD.replace("interval: 10s", "interval: 10"), "a duration such as 10s"),
    (GOOD.replace("interval: 10s", "interval: '10'"), "a duration such as 10s"),
    (GOOD.replace("interval: 10s", "interval: 10s\n      timeout: 5 s"), "timeout is a duration"),
    # another orchestrator's words (a newcomer trial of Part II): each is told the Compose one
    (GOOD.replace("    healthcheck:", "    healthChecks:"), "a Marathon app's health checks"),
    (GOOD.replace(HEALTH, "    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n"),
     "a Compose service's health check is healthcheck:"),
    ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: 2\n",
     "docker stack deploy reads a Compose file"),
    ('{"id": "/api", "instances": 2, "cmd": "serve"}', "not a Kubernetes kind:"),
])
def test_each_slip_gets_its_hint(text: object, hint: str) -> None:
    feedback = check_stack_file(text)
    assert not feedback.passed and hint in feedback.hint, feedback


@pytest.mark.parametrize("declared", [
    "    external: {name: db_pass}\n",
    "    external: true\n    name: db_pass\n",
])
def test_an_external_secret_under_another_name_is_not_the_one_created(declared: str) -> None:
    """docker/cli's loadFileObjectConfig names the secret after external.name or name."""
    feedback = check_stack_file(GOOD.replace("    external: true\n", declared))
    assert not feedback.passed
    assert "docker stack deploy looks for 'db_pass', not the db_password" in feedback.message
    assert "Leave out the other name" in feedback.hint


def test_a_volume_name_docker_refuses_fails_the_check() -> None:
    """config_schema_v3.8.json allows top-level volume keys matching ^[a-zA-Z0-9._-]+$ only."""
    text = GOOD.replace("    deploy:\n", "    volumes: ['data/x:/d']\n    deploy:\n") \
        + "volumes:\n  data/x: {}\n"
    feedback = check_stack_file(text)
    assert not feedback.passed
    assert "Additional property data/x is not allowed" in feedback.message, feedback


@pytest.mark.parametrize(("test", "message"), [
    ('["CMD", "curl", "-f", "http://localhost/healthz"]',
     "asks http://localhost/healthz, not http://localhost:8080/healthz"),
    ('["CMD", "curl", "-f", "http://api:8080/healthz"]', "asks http://api:8080/healthz"),
    ('["CMD", "true"]', "asks no URL"),
    # curl exits 0 on an HTTP error without --fail (curl docs/cmdline-opts/fail.md)
    ('["CMD", "curl", "http://localhost:8080/healthz"]', "runs curl without -f"),
    ("curl -s http://localhost:8080/healthz || exit 1", "runs curl without -f"),
])
def test_a_health_check_that_asks_the_wrong_thing_fails(test: str, message: str) -> None:
    """These passed: the check looked at the interval and not at the command."""
    feedback = check_stack_file(GOOD.replace(TEST, test))
    assert not feedback.passed and message in feedback.message, feedback


@pytest.mark.parametrize("test", [
    "curl -f http://localhost:8080/healthz || exit 1",      # Docker's own idiom
    '["CMD-SHELL", "curl -fsS http://localhost:8080/healthz"]',
    '["CMD", "/usr/bin/curl", "--fail", "localhost:8080/healthz"]',
    '["CMD", "wget", "-q", "-O", "-", "http://localhost:8080/healthz"]',  # the chapter's tool
])
def test_other_spellings_of_the_same_check_pass(test: str) -> None:
    assert check_stack_file(GOOD.replace(TEST, test)).passed


def test_an_external_secret_named_as_its_key_passes() -> None:
    assert check_stack_file(GOOD.replace("    external: true\n",
                                         "    external: {name: db_password}\n")).passed
    assert check_stack_file(GOOD.replace("    external: true\n",
                                         "    external: {}\n")).passed


@pytest.mark.parametrize(("interval", "said"), [
    (None, "runs every 30 s, Docker's default when it names no interval"),
    ("1m", "runs every 60 s (interval: 1m)"),
    ("1m30s", "runs every 90 s (interval: 1m30s)"),
    ("90s", "runs every 90 s (interval: 90s)"),
    ("1500ms", "runs every 1.5 s (interval: 1500ms)"),
])
def test_a_wrong_interval_is_told_in_seconds(interval: str | None, said: str) -> None:
    line = "" if interval is None else f"      interval: {interval}\n"
    feedback = check_stack_file(GOOD.replace("      interval: 10s\n", line))
    assert feedback.message == f"api's health check {said}, not every 10 s."


def test_an_interval_of_ten_seconds_in_milliseconds_passes() -> None:
    assert check_stack_file(GOOD.replace("interval: 10s", "interval: 10000ms")).passed


def test_an_undeclared_secret_is_refused_in_the_docker_clis_words() -> None:
    """The loader refuses it as docker/cli's convertServiceSecrets does, at the service's
    secret."""
    feedback = check_stack_file(GOOD.replace(DECLARED, ""))
    assert 'services.api.secrets[0]: service api: undefined secret "db_password"' in \
        feedback.message


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("interval: 10s", "interval: 0s"),
     "runs every 30 s (interval: 0s, which the engine reads as its default)"),
    (GOOD.replace("interval: 10s", "interval: 1ns"),
     "ContainerSpec: Interval in HealthConfig cannot be less than 1ms"),
    (GOOD.replace(TEST, '["CMD"]'), 'test: ["CMD"] names no command'),
    (GOOD.replace("      replicas: 2\n", "      mode: global\n"),
     "one task on every node"),
    (GOOD.replace("  api:", "  " + "a" * 10_000 + ":"),
     "the key before ':' on this line is 10,000 characters long"),
])
def test_the_health_check_and_mode_are_read_as_swarm_reads_them(text: str, message: str) -> None:
    """An interval of 0 is moby's default (it said "runs every 0 s"), one under 1ms is
    swarmkit's refusal (it said "runs every 1e-09 s"), a test without a command cannot pass
    (it passed), and global mode is one task per node (it said "asks for 1 replica")."""
    feedback = check_stack_file(text)
    assert not feedback.passed and message in feedback.message, feedback
