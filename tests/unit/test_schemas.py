"""Validation against the real schemas: Kubernetes API (kubernetes-validate) and the Compose
specification (check-jsonschema's vendored copy), offline, with readable field paths."""

from __future__ import annotations

import copy
import socket

import pytest
import yaml

from clustersim import load_manifests
from clustersim.examples import example_path, example_text
from clustersim.schemas import (
    KUBERNETES_VERSION,
    SchemaError,
    compose_schema,
    require_valid,
    validate_compose,
    validate_kubernetes,
    validate_stack,
)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails: the schemas must come from the wheels."""

    def refuse(*args, **kwargs):
        raise AssertionError("schema validation tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def deployment() -> dict:
    specs = load_manifests(example_path("kubernetes"))
    return copy.deepcopy(next(s.manifest for s in specs if s.kind == "Deployment"))


def test_example_kubernetes_manifests_validate_offline(no_network):
    assert validate_kubernetes(load_manifests(example_path("kubernetes"))) == []


def test_example_stack_validates_as_written_and_expanded(no_network):
    assert validate_compose(yaml.safe_load(example_text("swarm"))) == []
    assert validate_compose(load_manifests(example_path("swarm"))[0]) == []


def test_wrong_type_names_the_field_path():
    bad = deployment()
    bad["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": "eighty"}]
    [problem] = validate_kubernetes(bad)
    assert problem.document == f"Deployment/{bad['metadata']['name']}"
    assert problem.path == "spec.template.spec.containers[0].ports[0].containerPort"
    assert "integer" in problem.message


def test_strict_refuses_unknown_fields_and_lenient_accepts_them():
    bad = deployment()
    bad["spec"]["replica"] = 3
    [problem] = validate_kubernetes(bad)
    assert "replica" in problem.message and problem.path == "spec"
    assert validate_kubernetes(bad, strict=False) == []


def test_unknown_kind_is_a_problem_not_a_pass():
    [problem] = validate_kubernetes(
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})
    assert problem.path == "apiVersion" and "Widget" in problem.message


def test_removed_api_version_fails_on_a_recent_release_and_passes_on_an_old_one():
    old = {"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "c"},
           "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
               "containers": [{"name": "c", "image": "busybox"}],
               "restartPolicy": "OnFailure"}}}}}}
    assert validate_kubernetes(old, version="1.37")
    # batch/v1beta1 CronJob was removed in 1.25 (deprecation guide): the oldest shipped
    # schemas are 1.25, so it fails there too, while batch/v1 passes on both.
    new = dict(old, apiVersion="batch/v1")
    assert validate_kubernetes(new, version="1.25") == []
    assert validate_kubernetes(new, version=KUBERNETES_VERSION) == []


def test_unsupported_version_says_which_are():
    with pytest.raises(ValueError, match=r"pick one of 1\.25\.0"):
        validate_kubernetes(deployment(), version="1.99")


def test_compose_problems_all_reported_with_paths():
    stack = yaml.safe_load(example_text("swarm"))
    stack["services"]["api"]["deploy"]["replicas"] = [3]
    stack["services"]["db"]["bogus"] = True
    stack["services"]["cache"]["deploy"]["placement"] = {"constraints": "node.role==manager"}
    problems = validate_compose(stack, name="shop")
    assert [p.path for p in problems] == [
        "services.api.deploy.replicas",
        "services.cache.deploy.placement.constraints",
        "services.db",
    ]
    assert problems[2].message == "Additional property bogus is not allowed"
    assert str(problems[0]).startswith("shop: services.api.deploy.replicas: ")


@pytest.mark.parametrize(("where", "path"), [
    (lambda stack: stack["services"]["api"]["deploy"], "services.api.deploy"),
    (lambda stack: stack["services"]["frontend"].setdefault("healthcheck", {}),
     "services.frontend.healthcheck"),
    (lambda stack: stack, ""),
])
def test_compose_unknown_key_is_named_in_dockers_words(where, path):
    """An unknown key beside the schema's ``^x-`` patternProperties read "'replica' does not
    match any of the regexes: '^x-'"; docker/cli and compose-go print gojsonschema's
    "services.web.deploy Additional property replica is not allowed" (one per key)."""
    stack = yaml.safe_load(example_text("swarm"))
    where(stack)["replica"] = 3
    where(stack)["extra"] = 1
    problems = validate_compose(stack)
    assert [(p.path, p.message) for p in problems] == [
        (path, "Additional property replica is not allowed"),
        (path, "Additional property extra is not allowed")]


def test_compose_nested_type_error_names_the_deepest_field():
    stack = yaml.safe_load(example_text("swarm"))
    stack["services"]["frontend"]["ports"] = [{"target": [8000]}]
    [problem] = validate_compose(stack)
    assert problem.path == "services.frontend.ports[0].target"


def test_compose_schema_is_the_compose_specification():
    schema = compose_schema()
    assert schema["title"] == "Compose Specification"
    assert "service" in schema["$defs"] and "deployment" in schema["$defs"]


def test_require_valid_raises_with_every_problem():
    require_valid([])
    bad = deployment()
    bad["spec"]["replicas"] = "3"
    with pytest.raises(SchemaError, match=r"1 schema problem\(s\):\n  - Deployment/"):
        require_valid(validate_kubernetes(bad))


def test_not_a_manifest_is_a_clear_error():
    with pytest.raises(ValueError, match="expected a manifest"):
        validate_kubernetes(["kind: Pod"])


def test_every_problem_of_an_object_is_reported_in_path_order():
    bad = deployment()
    bad["spec"]["replicas"] = "3"
    bad["spec"]["template"]["spec"]["containers"][0]["image"] = 7
    assert [p.path for p in validate_kubernetes(bad)] == [
        "spec.replicas", "spec.template.spec.containers[0].image"]


def test_version_prefix_and_patch_are_accepted():
    assert validate_kubernetes(deployment(), version="v1.30.4") == []


def _stack(**web: object) -> dict:
    return {"services": {"web": {"image": "nginx", **web}, "db": {"image": "postgres"}}}


def test_stack_refuses_the_long_depends_on_that_the_specification_allows():
    """docker/cli's config_schema_v3.x.json: ``depends_on`` is a list of strings."""
    stack = _stack(depends_on={"db": {"condition": "service_healthy"}})
    assert validate_compose(stack) == []
    [problem] = validate_stack(stack)
    assert problem.severity == "error" and problem.path == "services.web.depends_on"
    assert "must be a list" in problem.message
    with pytest.raises(SchemaError):
        require_valid([problem])
    assert validate_stack(_stack(depends_on=["db"])) == []


def test_stack_warns_that_swarm_ignores_restart():
    stack = _stack(restart="always")
    assert validate_compose(stack) == []
    [warning] = validate_stack(stack, name="shop")
    assert warning.severity == "warning"
    assert str(warning) == "shop: warning: Ignoring unsupported options: restart"
    require_valid([warning])  # a warning is no refusal
    assert validate_stack(load_manifests(stack, name="shop")[0]) == [warning]


def test_stack_keeps_the_specification_problems():
    stack = _stack(deploy={"replica": 3})
    assert validate_stack(stack) == validate_compose(stack) != []
