"""Every real Marathon manifest in ../shared/realworld/marathon/ deploys on a DC/OS-shaped
cluster (five private agents, one public agent) with DC/OS's Marathon: the outcome of each
file is checked against what its own definitions ask for. A file Marathon's validation
refuses (the loader raises ManifestError) must leave the cluster untouched with the same
message.

Marathon 1.10 and later refuse ``acceptedResourceRoles`` naming a role other than ``*`` and
the app's own (:mod:`clustersim.marathon.roles`). DC/OS runs Marathon with ``--mesos_role
slave_public`` (dcos/dcos ``packages/marathon/extra/marathon.sh``), so a root app's role is
``slave_public`` there, and the files written for DC/OS public agents stay valid. Each file
this concerns, as SOURCES.md would note it:

- dcos-examples__tomcat-1.10__tomcat.json, ``["slave_public"]``: loads on DC/OS, refused by
  a Marathon of ``--mesos_role *``;
- marathon-lb__tests__1-nginx-marathon1.5.json, ``["*", "slave_public"]``: the same;
- marathon-lb__tests__zdd_app_blue.json, ``["*", "slave_public"]`` on its app: the same;
- marathon__rest-api-examples__app.json, ``["mesos_role"]`` (a placeholder): refused by
  both, but first for its missing ``cmd``, ``args`` or ``container`` (``AppValidation``
  answers before the role's checks run).

The test checks the ``--mesos_role *`` refusal of every file that loads and names a role
other than ``*``.
"""

import json

import pytest

from clustersim import ManifestError, load_manifests, marathon
from clustersim.marathon.roles import AcceptedRolesError
from tests.conftest import corpus_params

MESOS_ROLE = "slave_public"             # DC/OS's --mesos_role
OFFERED_ROLES = {"*", "slave_public"}   # unreserved, and DC/OS public agents


def _cluster_for(specs):
    """Agents that satisfy the attribute constraints the file names (CLUSTER/IS values of
    plain attributes), as a suitable cluster for it would."""
    attributes = {}
    for spec in specs:
        stack = [spec.manifest]
        while stack:
            item = stack.pop()
            stack.extend(item.get("apps") or [])
            stack.extend(item.get("groups") or [])
            for field, operator, *value in item.get("constraints") or []:
                if operator in ("CLUSTER", "IS") and value and not field.startswith("@") \
                        and field != "hostname":
                    attributes[field] = value[0]
    return marathon.dcos_cluster(private=5, public=1, seed=0, attributes=attributes)


@pytest.mark.parametrize("path", corpus_params("marathon"))
def test_real_manifest_deploys(path):
    try:
        specs = load_manifests(path)
    except ManifestError as refused:
        m = marathon.dcos_cluster(private=5, public=1).register(marathon.Marathon(role=MESOS_ROLE))
        with pytest.raises(ManifestError) as info:
            m.deploy(path)
        assert str(info.value) == str(refused) and m.apps == {} and m.deployments == []
        print(f"{path.name}: refused: {refused}")
        return
    cluster = _cluster_for(specs)
    m = cluster.register(marathon.Marathon(role=MESOS_ROLE))
    deployment = m.deploy(specs)
    if any(set(app.spec.accepted_roles) - {"*"} for app in m.apps.values()):
        plain = _cluster_for(specs).register(marathon.Marathon())    # --mesos_role *
        with pytest.raises(AcceptedRolesError):
            plain.deploy(specs)
        assert plain.apps == {} and plain.deployments == []
    cluster.run(until=900)
    outcome = json.dumps({"deployment": deployment.status, "took": m.wait_time(deployment),
                          "apps": m.status(), "queue": m.queue()}, default=str)
    print(f"{path.name}: {outcome}")   # the outcome, shown by pytest -rP
    assert set(m.apps) == set(m.root.run_specs), outcome
    placeable = all(OFFERED_ROLES & set(app.spec.accepted_roles) for app in m.apps.values())
    if not placeable:
        assert deployment.status == "running", outcome
        assert any("UnfulfilledRole" in row["rejections"] for row in m.queue()), outcome
        return
    assert deployment.status == "success", outcome
    for row in m.status():
        spec = m.apps[row["id"]].spec
        assert row["running"] == spec.instances, outcome
        if spec.health_checks:
            assert row["healthy"] == spec.instances, outcome
    running = cluster.tasks(framework="marathon", state="TASK_RUNNING")
    records = marathon.MesosDNS(cluster).records()
    for task in running:
        assert f"{marathon.rfc1123_label(task.name)}.marathon.mesos" in records, outcome
