"""Secrets in the served Marathon, which runs with Marathon's default features (none):
``AppValidation``'s and ``EnvVarValidation``'s refusals with the ``secrets`` feature off
(:func:`clustersim.serve.marathonraml._secret_violations`)."""

from __future__ import annotations

import pytest
import requests

from clustersim.serve import serve

_REFS = "use of secret-references in the environment requires the secrets feature to be enabled"


@pytest.fixture(scope="module")
def server():
    with serve("marathon", nodes=1, speed=0) as server:
        yield server


def test_info_lists_no_features(server):
    info = requests.get(f"{server.url}/v2/info", timeout=10).json()
    assert info["marathon_config"]["features"] == []


def test_an_env_secret_without_the_feature_is_refused_and_named_undefined(server):
    answer = requests.post(f"{server.url}/v2/apps", timeout=10, json={
        "id": "/x", "cmd": "sleep 1", "env": {"A": {"secret": "nope"}}})
    assert answer.status_code == 422
    assert answer.json() == {"message": "Object is not valid", "details": [
        {"path": "/env", "errors": [_REFS]},
        {"path": "/env/A/secret", "errors": ["references an undefined secret"]}]}
    assert "/x" not in server.backend.marathon.root.run_specs


def test_a_secrets_map_needs_the_feature(server):
    answer = requests.post(f"{server.url}/v2/apps", timeout=10, json={
        "id": "/y", "cmd": "sleep 1", "env": {"PW": {"secret": "db"}},
        "secrets": {"db": {"source": "/db/password"}}})
    assert answer.status_code == 422
    assert answer.json()["details"] == [
        {"path": "/secrets", "errors": [
            "Feature secrets is not enabled. Enable with --enable_features secrets)"]},
        {"path": "/env", "errors": [_REFS]}]


@pytest.mark.parametrize(("method", "path", "body", "at"), [
    ("PUT", "/v2/apps/z", {"env": {"B": {"secret": "q"}}}, ""),
    ("PUT", "/v2/apps", [{"id": "/z", "env": {"B": {"secret": "q"}}}], ""),
    ("POST", "/v2/groups", {"id": "/g", "apps": [
        {"id": "a", "cmd": "x", "env": {"B": {"secret": "q"}}}]}, "/apps(0)")])
def test_every_definition_route_checks_secrets(server, method, path, body, at):
    answer = requests.request(method, f"{server.url}{path}", json=body, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["details"] == [
        {"path": f"{at}/env", "errors": [_REFS]},
        {"path": f"{at}/env/B/secret", "errors": ["references an undefined secret"]}]


def test_plain_env_values_are_accepted(server):
    answer = requests.post(f"{server.url}/v2/apps", timeout=10, json={
        "id": "/plain", "cmd": "sleep 1", "env": {"A": "value"}})
    assert answer.status_code == 201
