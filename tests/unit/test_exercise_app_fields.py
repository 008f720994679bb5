"""A Marathon app's keys that Marathon would ignore are named by the checks that take an app,
with what the learner most likely meant: Marathon itself drops them without a word, so a
misspelt "instaces": 8 passed as an app of one instance."""

from __future__ import annotations

import copy

import pytest

from clustersim.exercises.app_fields import check_app_fields, unknown_app_keys
from clustersim.exercises.apptrees import CYCLIC_STORE, check_acyclic_group
from clustersim.exercises.checker import Wrong
from clustersim.exercises.networking import FIXED_PORT_APP, check_host_port_app
from clustersim.manifests.marathon_fields import APP_FIELDS


def _web(**changes: object) -> dict[str, object]:
    """The networking exercise's /web app, fixed as its solution fixes it, with ``changes``
    (a value of None drops the key)."""
    app = {**FIXED_PORT_APP, "portDefinitions": [{"port": 0, "name": "http"}],
           "requirePorts": False, **changes}
    return {k: v for k, v in app.items() if v is not None}


@pytest.mark.parametrize(("changes", "key", "taught"), [
    ({"instances": None, "instaces": 8}, "instaces", "Did you mean 'instances'?"),
    ({"requirePorts": None, "requirePort": False}, "requirePort", "Did you mean 'requirePorts'?"),
    ({"HealthChecks": []}, "HealthChecks", "Did you mean 'healthChecks'?"),
    ({"replicas": 8}, "replicas", "calls the number of copies instances"),
    ({"memory": 64}, "memory", "with mem, a number of MiB"),
    ({"comment": "mine"}, "comment", "none named 'comment'"),
])
def test_the_host_port_check_names_a_key_marathon_ignores(changes, key, taught) -> None:
    """Without the key check, "instaces" was told "Fewer instances would fit", and
    "requirePort", "HealthChecks" and "comment" passed."""
    feedback = check_host_port_app(_web(**changes))
    assert not feedback.passed
    assert repr(key) in feedback.message and taught in feedback.hint


def test_the_host_port_check_still_passes_the_fixed_app() -> None:
    assert check_host_port_app(_web()).passed


@pytest.mark.parametrize(("app", "place", "taught"), [
    ({"upgradeStrategy.minimumHealthCapacity": 0.5}, "upgradeStrategy.minimumHealthCapacity",
     'written as "upgradeStrategy": {"minimumHealthCapacity": ...}'),
    ({"container": {"type": "DOCKER", "docker.image": "nginx"}}, "container.docker.image",
     'written as "docker": {"image": ...}'),
    ({"upgradeStrategy": {"upgradeStrategy.maximumOverCapacity": 0}},
     "upgradeStrategy.upgradeStrategy.maximumOverCapacity",
     'already inside upgradeStrategy: write "maximumOverCapacity": ... there'),
    ({"upgradeStrategy": {"minimumHealthCapasity": 1}}, "upgradeStrategy.minimumHealthCapasity",
     "Did you mean 'minimumHealthCapacity'?"),
    ({"container": {"portMappings": [{"containerport": 80}]}},
     "container.portMappings[].containerport", "Did you mean 'containerPort'?"),
])
def test_a_nested_or_dotted_key_is_found_and_told_to_nest(app, place, taught) -> None:
    """A dotted key is told to nest, not to check its spelling, and inside its own parent
    to leave the parent's name out."""
    found = unknown_app_keys({"id": "/web", **app})
    assert [where for where, _ in found] == [place]
    assert taught in found[0][1]


def test_every_field_marathon_reads_passes_and_a_nested_unknown_far_from_all_is_left() -> None:
    """Every RAML app field is known (fetch, user, the deprecated ports); a nested key near
    no listed field (a later release's docker pullConfig) is not guessed at."""
    assert unknown_app_keys(dict.fromkeys(APP_FIELDS, 1)) == []
    assert unknown_app_keys({"id": "/a", "container": {"docker": {"image": "x",
                                                                  "pullConfig": {}}}}) == []
    check_app_fields("not a dict")     # the check itself says what shape it wants


def test_the_group_check_names_a_misspelt_key_of_one_of_its_apps() -> None:
    """"dependencie" was dropped, and the check said only that no dependencies were left."""
    group = copy.deepcopy(CYCLIC_STORE)
    app = next(a for child in [group, *group.get("groups", [])] for a in child.get("apps", [])
               if a.get("dependencies"))
    app["dependencie"] = app.pop("dependencies")
    feedback = check_acyclic_group(group)
    assert not feedback.passed and "'dependencie'" in feedback.message
    assert "Did you mean 'dependencies'?" in feedback.hint


def test_the_check_raises_wrong_with_the_first_key() -> None:
    with pytest.raises(Wrong) as caught:
        check_app_fields({"id": "/a", "instaces": 2, "memory": 3}, "the app /a")
    assert "'instaces' of the app /a" in caught.value.message


@pytest.mark.parametrize("app", [{"instaces": 1}, {"id": None, "instaces": 1}])
def test_the_group_check_names_an_app_without_an_id_as_such(app) -> None:
    """An app with no id was named "the app None" in the message."""
    group = copy.deepcopy(CYCLIC_STORE)
    group["apps"] = [*group.get("apps", []), app]
    feedback = check_acyclic_group(group)
    assert not feedback.passed and "None" not in feedback.message
    assert "'instaces' of an app with no id" in feedback.message


def test_a_nested_key_is_not_said_to_be_missing_from_the_app() -> None:
    """A port mapping's misspelt hostport was told "an app has no such field": the app does
    have hostPort's place, it is the port mapping that lacks the key."""
    app = {"id": "/web", "container": {"type": "DOCKER", "docker": {"image": "nginx:1.27"},
                                       "portMappings": [{"containerPort": 80, "hostport": 0}]}}
    with pytest.raises(Wrong) as caught:
        check_app_fields(app)
    assert "'container.portMappings[].hostport'" in caught.value.message
    assert "an app has no such field" not in caught.value.message
    assert caught.value.hint.startswith("Did you mean 'hostPort'?")
