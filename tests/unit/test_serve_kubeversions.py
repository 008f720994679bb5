"""Each served Kubernetes object's resourceVersion (clustersim.serve.kubeversions)."""

from __future__ import annotations

from clustersim.serve.kubeversions import History, ResourceVersions, digest


def _pod(phase: str, shown_time: str) -> dict:
    return {"kind": "Pod", "metadata": {"name": "web", "namespace": "default", "uid": "u1",
                                        "creationTimestamp": shown_time,
                                        "resourceVersion": "7"},
            "status": {"phase": phase, "startTime": shown_time}}


def test_the_times_as_shown_and_the_version_itself_are_no_change():
    assert digest(_pod("Running", "2026-12-05T10:00:00Z")) == digest(
        _pod("Running", "2026-12-05T10:00:09Z"))
    assert digest(_pod("Running", "x")) != digest(_pod("Failed", "x"))
    # the simulated times the object was made from are
    assert digest(_pod("Running", "x"), {"startTime": 5.0}) != digest(
        _pod("Running", "x"), {"startTime": 6.0})


def test_a_version_changes_exactly_when_the_object_does():
    versions = ResourceVersions(lambda: 0.0)
    key = ("default", "web", "u1")
    first = versions.stamp("Pod", key, _pod("Pending", "t"))
    other = versions.stamp("Pod", ("default", "db", "u2"), _pod("Pending", "t"))
    assert first != other
    assert versions.stamp("Pod", key, _pod("Pending", "later")) == first
    changed = versions.stamp("Pod", key, _pod("Running", "later"))
    assert int(changed) > int(other) and versions.revision == int(changed)
    assert versions.created("Pod", key) == int(first)


def test_forgetting_the_deleted_objects_of_one_namespace():
    versions = ResourceVersions(lambda: 0.0)
    web, db, far = ("default", "web", "u1"), ("default", "db", "u2"), ("dev", "db", "u3")
    for key in (web, db, far):
        versions.stamp("Pod", key, _pod("Running", "t"))
    versions.forget("Pod", "default", [web])
    assert versions.created("Pod", db) is None
    assert versions.created("Pod", web) and versions.created("Pod", far)


def test_the_compactor_compacts_to_the_revision_of_its_wake_before_last():
    """compact.go's runCompactLoop: it wakes every 5 minutes, first compacts at its second
    wake, each time to the store's revision at its wake before."""
    now = [0.0]
    versions = ResourceVersions(lambda: now[0])
    first = versions.bump()                     # at second 0
    now[0] = 299.0
    second = versions.bump()
    now[0] = 301.0
    versions.bump()
    assert versions.compacted() == 0            # its first wake compacts nothing
    now[0] = 600.0
    assert versions.compacted() == second > first
    now[0] = 1200.0                             # nothing written since: the last write's
    assert versions.compacted() == versions.revision


def test_the_compactor_wakes_from_the_time_the_api_server_started():
    """runCompactLoop waits an interval from the API server's start before each wake: a
    cluster served at simulated second 1000 compacts at 1600 first (its wakes at 1300 and
    1600), not at 1500 (second 0's wakes)."""
    now = [1000.0]
    versions = ResourceVersions(lambda: now[0])
    written = versions.bump()
    now[0] = 1599.0
    assert versions.compacted() == 0
    versions.bump()                             # a write does not compact early either
    assert versions.compacted() == 0
    now[0] = 1600.0
    assert versions.compacted() == written


def test_writes_compacted_are_let_go_though_no_one_reads_an_old_revision():
    """A served cluster that runs for an hour, written 100 times a simulated minute and never
    asked for an old revision, keeps only the writes its compactor has not compacted yet
    (the last 5 to 10 minutes), not every write since it started."""
    now = [0.0]
    versions = ResourceVersions(lambda: now[0])
    for write in range(6000):
        now[0] = write * 0.6
        versions.bump()
    kept = versions._writes
    assert len(kept) <= 1000 + 1 and kept[-1][1] == versions.revision
    assert versions.compacted() == kept[0][1]


def test_a_compaction_keeps_an_object_made_again_after_its_deletion():
    """A key deleted before the compaction and made again after it (a Namespace's uid comes
    from its name) keeps its later states: a list between its new state and a later
    deletion reads it. The compaction had dropped the key for its old deletion, and the
    later deletion was then not noted."""
    history = History()
    key = ("", "demo", "uid-demo")
    history.changed(key, 2)
    history.keep(key, {"metadata": {"name": "demo"}, "v": 2}, {})
    history.deleted(key, 3)
    history.changed(key, 5)
    history.keep(key, {"metadata": {"name": "demo"}, "v": 5}, {})
    history.compact(4)
    history.deleted(key, 7)
    assert history.at(6, None) == {key: ({"metadata": {"name": "demo"}, "v": 5}, {})}
    history.compact(7)                              # gone for good now
    assert history.size()[0] == 0
