"""The role of a Marathon app or pod (``RoleSettings.forService`` in d2iq-archive/marathon):
defaulted from the framework's ``--mesos_role`` or the top-level group's enforced role,
refused with Accord's ``in`` words when the group does not allow it."""

from __future__ import annotations

import collections
import collections.abc

import marathon
import pytest
import requests
from marathon.exceptions import MarathonHttpError
from marathon.models import MarathonApp

from clustersim.marathon import Marathon
from clustersim.marathon.dcos import dcos_cluster
from clustersim.marathon.roles import AcceptedRolesError, ResidentRoleError, RoleError
from clustersim.serve import serve

_APP = {"cmd": "serve", "cpus": 0.1, "mem": 32, "instances": 1}
_POD = {"containers": [{"name": "db", "resources": {"cpus": 0.1, "mem": 32},
                        "exec": {"command": {"shell": "sleep 1000"}}}]}


@pytest.fixture
def server():
    with serve("marathon", nodes=2, speed=0) as server:
        yield server


def _post(server, kind: str, body: dict) -> requests.Response:
    return requests.post(f"{server.url}/v2/{kind}", json=body, timeout=10)


def test_apps_and_pods_are_answered_with_their_default_role(server):
    """AppNormalization and PodNormalization fill in the default role: the Mesos role
    (``*``) at the root and in a group that does not enforce its own."""
    assert _post(server, "apps", {**_APP, "id": "/web"}).json()["role"] == "*"
    assert _post(server, "apps", {**_APP, "id": "/dev/web"}).json()["role"] == "*"
    assert _post(server, "pods", {**_POD, "id": "/db"}).json()["role"] == "*"
    listed = requests.get(f"{server.url}/v2/apps/dev/web", timeout=10).json()["app"]
    assert listed["role"] == "*"


def test_a_group_that_enforces_its_role_gives_it_and_allows_only_it(server):
    group = {"id": "/dev", "enforceRole": True, "groups": [
        {"id": "/dev/a", "apps": [{**_APP, "id": "/dev/a/web"}]}]}
    assert requests.post(f"{server.url}/v2/groups", json=group, timeout=10).status_code == 201
    server.step(1)
    app = requests.get(f"{server.url}/v2/apps/dev/a/web", timeout=10).json()["app"]
    assert app["role"] == "dev"
    refused = _post(server, "pods", {**_POD, "id": "/dev/db", "role": "*"})
    assert refused.status_code == 422
    assert refused.json() == {"message": "Object is not valid", "details": [
        {"path": "/role", "errors": ["got *, expected one of: [dev]"]}]}


@pytest.mark.parametrize(("spec_id", "allowed"), [("/web", "[*]"), ("/dev/web", "[*, dev]")])
def test_a_role_the_group_does_not_allow_is_refused_in_marathons_words(server, spec_id,
                                                                       allowed):
    answer = _post(server, "apps", {**_APP, "id": spec_id, "role": "prod"})
    assert answer.status_code == 422
    assert answer.json()["details"] == [
        {"path": "/role", "errors": [f"got prod, expected one of: {allowed}"]}]
    assert _post(server, "apps", {**_APP, "id": "/dev/ok", "role": "dev"}).status_code == 201


def test_a_role_that_is_no_string_is_refused_by_the_reader(server):
    answer = _post(server, "apps", {**_APP, "id": "/web", "role": 5})
    assert answer.status_code == 422
    assert answer.json()["details"] == [{"path": "/role", "errors": ["error.expected.jsstring"]}]


def test_an_app_keeps_its_role_when_an_update_names_none():
    cluster = dcos_cluster(private=1, public=0)
    marathon = cluster.register(Marathon(role="ops"))
    marathon.deploy({**_APP, "id": "/dev/web", "role": "dev"})
    marathon.deploy({**_APP, "id": "/dev/web", "instances": 2}, force=True)
    assert marathon.root.run_specs["/dev/web"]["role"] == "dev"
    marathon.deploy({**_APP, "id": "/web"})
    assert marathon.root.run_specs["/web"]["role"] == "ops"
    with pytest.raises(RoleError, match=r"/web2 cannot have the role '\*'.*'ops'"):
        marathon.deploy({**_APP, "id": "/web2", "role": "*"})


def test_only_a_top_level_group_may_enforce_its_role(server):
    group = {"id": "/prod", "groups": [{"id": "/prod/second", "enforceRole": True}]}
    answer = requests.post(f"{server.url}/v2/groups", json=group, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["details"][0]["errors"] == [
        "enforceRole can only be set for top-level groups, and /prod/second is not top-level"]


def test_groups_show_enforce_role_on_top_level_groups_only(server):
    """``GroupInfo.enforceRole`` (``group.raml``): a top-level group carries the flag (false
    unless set: ``--new_group_enforce_role`` is ``off``), the root and nested groups none."""
    for group in ({"id": "/dev", "enforceRole": True, "groups": [{"id": "/dev/a"}]},
                  {"id": "/ops", "apps": [{**_APP, "id": "/ops/web"}]}):
        assert requests.post(f"{server.url}/v2/groups", json=group, timeout=10).ok
    server.step(1)
    tree = requests.get(f"{server.url}/v2/groups", timeout=10).json()
    assert "enforceRole" not in tree
    top = {g["id"]: g for g in tree["groups"]}
    assert top["/dev"]["enforceRole"] is True
    assert top["/ops"]["enforceRole"] is False
    assert "enforceRole" not in top["/dev"]["groups"][0]
    one = requests.get(f"{server.url}/v2/groups/dev", timeout=10).json()
    assert one["enforceRole"] is True
    nested = requests.get(f"{server.url}/v2/groups/dev/a", timeout=10).json()
    assert "enforceRole" not in nested


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_role_refused_inside_a_group_is_named_at_its_app(server, method):
    """Accord names a group's app by its place in the body (``/apps(1)/role``,
    ``/groups(0)/pods(0)/role``), not ``/role`` as for an app posted alone."""
    group = {"id": "/dev", "apps": [{**_APP, "id": "ok"}, {**_APP, "id": "web", "role": "prod"}]}
    answer = requests.request(method, f"{server.url}/v2/groups", json=group, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["details"] == [
        {"path": "/apps(1)/role", "errors": ["got prod, expected one of: [*, dev]"]}]
    nested = {"id": "dev", "groups": [{"id": "a", "pods": [{**_POD, "id": "db", "role": "x"}]}]}
    answer = requests.request(method, f"{server.url}/v2/groups", json=nested, timeout=10)
    assert answer.json()["details"] == [
        {"path": "/groups(0)/pods(0)/role", "errors": ["got x, expected one of: [*, dev]"]}]


# acceptedResourceRoles against the role (Marathon 1.10+: ResourceRole.validForRole; the
# refusal's beginning is AppsResourceTest's, "acceptedResourceRoles can only contain *").

@pytest.mark.parametrize(("spec_id", "extra", "role"), [
    ("/web", {}, "*"),
    ("/dev/web", {}, "*"),
    ("/dev/web", {"role": "dev"}, "dev"),
])
def test_accepted_resource_roles_other_than_star_and_the_role_are_refused(server, spec_id,
                                                                          extra, role):
    """Regression: the simulator took any role here, so a root app of role ``*`` could ask
    for ``slave_public`` resources that Marathon 1.10 and later refuse to it."""
    answer = _post(server, "apps", {**_APP, **extra, "id": spec_id,
                                    "acceptedResourceRoles": ["*", "slave_public"]})
    assert answer.status_code == 422
    assert answer.json() == {"message": "Object is not valid", "details": [
        {"path": "/acceptedResourceRoles",
         "errors": [f"acceptedResourceRoles can only contain * and {role}"]}]}
    assert requests.get(f"{server.url}/v2/apps{spec_id}", timeout=10).status_code == 404


def test_star_and_the_apps_own_role_are_accepted(server):
    """multirole.md: ``["*"]``, ``["*", "dev"]`` and ``["dev"]`` are the valid lists of an
    app of role ``dev``; an empty list names no role."""
    for number, roles in enumerate((["*"], ["*", "dev"], ["dev"])):
        app = {**_APP, "id": f"/dev/web{number}", "role": "dev", "acceptedResourceRoles": roles}
        assert _post(server, "apps", app).status_code == 201
    pod = {**_POD, "id": "/db", "scheduling": {"placement": {"acceptedResourceRoles": []}}}
    assert _post(server, "pods", pod).status_code == 201


def test_a_pods_accepted_resource_roles_are_checked_against_its_role(server):
    pod = {**_POD, "id": "/dev/db", "role": "dev",
           "scheduling": {"placement": {"acceptedResourceRoles": ["ops"]}}}
    answer = _post(server, "pods", pod)
    assert answer.status_code == 422
    assert answer.json()["details"] == [
        {"path": "/acceptedResourceRoles",
         "errors": ["acceptedResourceRoles can only contain * and dev"]}]


def test_accepted_resource_roles_refused_inside_a_group_are_named_at_the_app(server):
    group = {"id": "/dev", "apps": [{**_APP, "id": "ok"},
                                    {**_APP, "id": "web", "acceptedResourceRoles": ["dev"]}]}
    answer = requests.post(f"{server.url}/v2/groups", json=group, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["details"] == [
        {"path": "/apps(1)/acceptedResourceRoles",
         "errors": ["acceptedResourceRoles can only contain * and *"]}]


def test_dcos_mesos_role_lets_a_root_app_accept_public_agents():
    """DC/OS runs Marathon with ``--mesos_role slave_public``: a root app's role is then
    ``slave_public``, which its acceptedResourceRoles may name; a Marathon of role ``*``
    refuses the same app and deploys nothing."""
    edge = {**_APP, "id": "/edge", "acceptedResourceRoles": ["slave_public"]}
    dcos = dcos_cluster(private=1, public=1).register(Marathon(role="slave_public"))
    dcos.deploy(edge)
    assert dcos.root.run_specs["/edge"]["role"] == "slave_public"
    plain = dcos_cluster(private=1, public=1).register(Marathon())
    with pytest.raises(AcceptedRolesError, match=r"/edge has the role '\*'.*not 'slave_public'"):
        plain.deploy(edge)
    assert plain.apps == {} and plain.deployments == []


# A resident service may not have the role * (validWithRoleEnforcement: AppsResourceTest's
# "Resident apps cannot have the role *", PodsResourceTest's "Resident pods ...").

_VOLUME = {"containerPath": "data", "mode": "RW", "persistent": {"size": 100}}
_RESIDENT_APP = {**_APP, "container": {"type": "MESOS", "volumes": [_VOLUME]},
                 "unreachableStrategy": "disabled",
                 "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0}}
_RESIDENT_POD = {"containers": [{**_POD["containers"][0],
                                  "volumeMounts": [{"name": "data", "mountPath": "data"}]}],
                 "volumes": [{"name": "data", "persistent": {"size": 100}}],
                 "scheduling": {"unreachableStrategy": "disabled",
                                "upgrade": {"maximumOverCapacity": 0}}}


@pytest.mark.parametrize(("kind", "body"), [
    ("apps", {**_RESIDENT_APP, "id": "/db"}),                     # the root's role: *
    ("apps", {**_RESIDENT_APP, "id": "/dev/db"}),                 # defaulted to *
    ("apps", {**_RESIDENT_APP, "id": "/dev/db", "role": "*"}),    # AppsResourceTest's case
    ("pods", {**_RESIDENT_POD, "id": "/dev/db"}),
])
def test_a_resident_service_of_the_role_star_is_refused(server, kind, body):
    """The role is checked once defaulted: a resident app or pod of a Marathon of
    ``--mesos_role *`` is refused at the root and, unless it names its group's role, in a
    group (the simulator had deployed them all)."""
    answer = _post(server, kind, body)
    assert answer.status_code == 422
    assert answer.json() == {"message": "Object is not valid", "details": [
        {"path": "/role", "errors": [f"Resident {kind} cannot have the role *"]}]}
    assert _post(server, kind, {**body, "id": "/dev/db2", "role": "dev"}).status_code == 201


def test_a_resident_app_refused_inside_a_group_is_named_at_its_app(server):
    group = {"id": "/shop", "apps": [{**_APP, "id": "web"}, {**_RESIDENT_APP, "id": "db"}]}
    answer = requests.post(f"{server.url}/v2/groups", json=group, timeout=10)
    assert answer.json()["details"] == [
        {"path": "/apps(1)/role", "errors": ["Resident apps cannot have the role *"]}]


def test_a_resident_app_takes_its_groups_role_and_a_marathon_of_another_role():
    """With ``enforceRole`` the group's role is the default, so a resident app needs no
    role of its own; a Marathon of another ``--mesos_role`` takes one at the root. The
    library's refusal says what to write instead."""
    cluster = dcos_cluster(private=2, public=0)
    plain = cluster.register(Marathon())
    with pytest.raises(ResidentRoleError, match=r"/db is resident .* Move it into a top-level"):
        plain.deploy({**_RESIDENT_APP, "id": "/db"})
    with pytest.raises(ResidentRoleError, match="Set \"role\" to 'dev'"):
        plain.deploy({**_RESIDENT_APP, "id": "/dev/db"})
    plain.deploy({"id": "/dev", "enforceRole": True, "apps": [{**_RESIDENT_APP, "id": "db"}]})
    assert plain.root.run_specs["/dev/db"]["role"] == "dev"
    own = dcos_cluster(private=2, public=0).register(Marathon(role="storage"))
    own.deploy({**_RESIDENT_APP, "id": "/db"})
    assert own.root.run_specs["/db"]["role"] == "storage"


def test_the_marathon_client_gets_the_resident_role_refusal(server, monkeypatch):
    """What the marathon client sends for a resident app at the root of a Marathon of
    ``--mesos_role *``: the 422 with its details, and nothing deployed (the client 0.13.0
    with the README's one-line fix for Python 3.10+)."""
    monkeypatch.setattr(collections, "Iterable", collections.abc.Iterable, raising=False)
    client = marathon.MarathonClient(server.url)
    app = MarathonApp.from_json({**_RESIDENT_APP, "id": "/db"})
    with pytest.raises(MarathonHttpError) as refused:
        client.create_app("/db", app)
    assert refused.value.status_code == 422
    assert refused.value.error_details == [
        {"path": "/role", "errors": ["Resident apps cannot have the role *"]}]
    assert client.list_apps() == []
