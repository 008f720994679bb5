"""Every real Marathon manifest in ../shared/realworld/marathon/ deploys on a DC/OS-shaped
cluster (five private agents, one public agent): the outcome of each file is checked against
what its own definitions ask for. A file Marathon's validation refuses (the loader raises
ManifestError) must leave the cluster untouched with the same message."""

import json

import pytest

from clustersim import ManifestError, load_manifests, marathon
from tests.conftest import corpus_params

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
        m = marathon.dcos_cluster(private=5, public=1).register(marathon.Marathon())
        with pytest.raises(ManifestError) as info:
            m.deploy(path)
        assert str(info.value) == str(refused) and m.apps == {} and m.deployments == []
        print(f"{path.name}: refused: {refused}")
        return
    cluster = _cluster_for(specs)
    m = cluster.register(marathon.Marathon())
    deployment = m.deploy(specs)
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
