"""The annotations a Deployment shares with its ReplicaSets
(:mod:`clustersim.kubernetes.controllers.deployment_annotations`): what the controller copies,
the revision history of a rollback, and what ``rollout undo`` puts back; and the
``minReadySeconds`` that ``getNewReplicaSet`` (``pkg/controller/deployment/sync.go``) brings up
to date on the existing new ReplicaSet in the same update."""

from __future__ import annotations

import pytest

from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllers.deployment_annotations import (
    CHANGE_CAUSE,
    NOT_COPIED,
    REVISION,
    REVISION_HISTORY,
    int_annotation,
    rollback_annotations,
    set_new_replica_set_annotations,
)
from clustersim.kubernetes.objects import LAST_APPLIED
from tests.unit.test_k8s_cluster import deployment, nodes


def test_revision_history_keeps_the_newest_within_the_limit():
    """Upstream's ``TestAnnotationUtils`` (deployment_util_test.go): revisions 11 to 20 set
    one after another with a 5-character limit leave ``"{i-1},{i}"`` from the third on."""
    rs: dict[str, str] = {}
    for i in range(10, 20):
        set_new_replica_set_annotations({REVISION: "1"}, rs, i + 1, history_limit=5)
        assert rs[REVISION] == str(i + 1)
        if i >= 12:
            assert rs[REVISION_HISTORY] == f"{i - 1},{i}"


def test_an_old_revision_too_long_for_the_limit_is_not_recorded():
    rs = {REVISION: "123456", REVISION_HISTORY: "7"}
    assert set_new_replica_set_annotations({}, rs, 123457, history_limit=5)
    assert rs == {REVISION: "123457", REVISION_HISTORY: "7"}


def test_copies_all_but_the_skipped_annotations_and_never_removes():
    own = dict.fromkeys(NOT_COPIED, "deployment's")
    rs = {"team": "shop", "old": "kept", REVISION: "2"}
    changed = set_new_replica_set_annotations({**own, "team": "web", CHANGE_CAUSE: "v2"}, rs, 2)
    assert changed
    assert rs == {"team": "web", "old": "kept", CHANGE_CAUSE: "v2", REVISION: "2"}
    assert not set_new_replica_set_annotations({"team": "web"}, rs, 2)


def test_a_revision_that_is_not_a_number_leaves_the_replicaset_as_it_is():
    """``SetNewReplicaSetAnnotations`` gives up (and the update is not sent) when the
    ReplicaSet's revision does not parse; ``Atoi`` takes a sign but not Python's ``1_0``."""
    rs = {REVISION: "1_0"}
    assert not set_new_replica_set_annotations({CHANGE_CAUSE: "v2"}, rs, 3)
    assert rs == {REVISION: "1_0"}
    meta = {"metadata": {"annotations": {"a": "1_0", "b": "+7", "c": " 7"}}}
    assert [int_annotation(meta, k) for k in "abcd"] == [None, 7, None, None]


def test_rollback_keeps_the_deployments_own_and_takes_the_rest_from_the_replicaset():
    """kubectl ``DeploymentRollbacker.Rollback``: the JSON patch replaces
    ``/metadata/annotations``, so an annotation the revision lacks is gone."""
    d = {LAST_APPLIED: "{}", REVISION: "3", CHANGE_CAUSE: "v3", "note": "only now"}
    rs = {REVISION: "1", REVISION_HISTORY: "0", CHANGE_CAUSE: "v1", "team": "shop"}
    assert rollback_annotations(d, rs) == {LAST_APPLIED: "{}", REVISION: "3",
                                           CHANGE_CAUSE: "v1", "team": "shop"}


def _annotated(cause: str | None, image: str = "nginx:1.25", **spec) -> dict:
    manifest = deployment(image=image, **spec)
    if cause is not None:
        manifest["metadata"]["annotations"] = {CHANGE_CAUSE: cause}
    return manifest


def _causes(cluster: KubernetesCluster) -> list[tuple[int, str | None]]:
    return [(h["revision"], h["change_cause"]) for h in cluster.rollout_history("web")]


def test_the_new_replicaset_follows_the_deployments_annotations_and_old_ones_keep_theirs():
    """The tester's report: an annotated change-cause never reached the ReplicaSets, so
    ``rollout history`` showed ``<none>``."""
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(_annotated(None))
    cluster.run()
    assert _causes(cluster) == [(1, None)]
    cluster.apply(_annotated("image 1.25"))          # annotation only: same template
    cluster.run()
    assert _causes(cluster) == [(1, "image 1.25")]
    cluster.apply(_annotated("image 1.26", image="nginx:1.26"))
    cluster.run()
    assert _causes(cluster) == [(1, "image 1.25"), (2, "image 1.26")]
    new = cluster.get("ReplicaSet", "default", cluster.rollout_history("web")[1]["replicaset"])
    assert LAST_APPLIED in cluster.get("Deployment", "default", "web")["metadata"]["annotations"]
    assert LAST_APPLIED not in new["metadata"]["annotations"]


def test_the_new_replicaset_follows_the_deployments_min_ready_seconds_and_old_ones_keep_theirs():
    """A change of ``minReadySeconds`` alone keeps the template, so the same ReplicaSet stays
    the new one; ``getNewReplicaSet`` updates its ``minReadySeconds`` (a spec change: one
    more generation), and leaves an old ReplicaSet's as it was."""
    cluster = KubernetesCluster(nodes(), seed=1)

    def replica_sets() -> list[tuple[str, int, int]]:
        return [(rs["spec"]["template"]["spec"]["containers"][0]["image"],
                 rs["spec"].get("minReadySeconds", 0), rs["metadata"]["generation"])
                for rs in sorted(cluster.objects("ReplicaSet"),
                                 key=lambda rs: int_annotation(rs, REVISION) or 0)]

    cluster.apply(deployment())
    cluster.run()
    assert replica_sets() == [("nginx:1.25", 0, 1)]
    cluster.apply(deployment(minReadySeconds=20))
    cluster.run()
    assert replica_sets() == [("nginx:1.25", 20, 2)]
    cluster.apply(deployment(image="nginx:1.26", minReadySeconds=20))
    cluster.run()
    cluster.apply(deployment(image="nginx:1.26", minReadySeconds=5))
    cluster.run()
    assert [(image, ready) for image, ready, _ in replica_sets()] == [
        ("nginx:1.25", 20), ("nginx:1.26", 5)]


def test_a_paused_deployment_still_copies_its_annotations():
    """Every path of ``syncDeployment`` (paused and scaling ones too) starts with
    ``getAllReplicaSetsAndSyncRevision``, which updates the existing new ReplicaSet."""
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(_annotated(None))
    cluster.run()
    cluster.rollout_pause("web")
    cluster.apply(_annotated("paused", paused=True))
    cluster.run()
    assert _causes(cluster) == [(1, "paused")]


def test_undo_puts_back_the_revisions_change_cause():
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(_annotated("first"))
    cluster.run()
    cluster.apply(_annotated("second", image="nginx:1.26"))
    cluster.run()
    cluster.rollout_undo("web")
    cluster.run()
    web = cluster.get("Deployment", "default", "web")["metadata"]["annotations"]
    assert web[CHANGE_CAUSE] == "first" and web[REVISION] == "3"
    assert _causes(cluster) == [(2, "second"), (3, "first")]


def test_undo_of_a_paused_deployment_is_refused():
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(deployment())
    cluster.run()
    cluster.set_image("deployment", "web", "nginx:1.26")
    cluster.run()
    cluster.rollout_pause("web")
    with pytest.raises(ValueError, match="you cannot rollback a paused deployment; resume it "
                       "first with 'kubectl rollout resume deployment/web' and try again"):
        cluster.rollout_undo("web")
