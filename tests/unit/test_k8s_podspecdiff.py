"""The changes a refused Pod update lists after ValidatePodUpdate's message, in the shape of
go-cmp's ``cmp.Diff`` (:mod:`clustersim.kubernetes.podspecdiff`)."""

from __future__ import annotations

from clustersim.kubernetes.podspecdiff import pod_spec_diff
from clustersim.kubernetes.workloadupdates import pod_update_refusal

OLD = {"containers": [{"name": "c", "image": "busybox:1.37"}], "restartPolicy": "Always",
       "dnsPolicy": "ClusterFirst", "activeDeadlineSeconds": 60}


def test_each_changed_field_is_a_minus_and_a_plus_line_named_as_go_names_it():
    new = {**OLD, "dnsPolicy": "Default", "hostPID": True,
           "containers": [{"name": "c", "image": "busybox:1.37", "args": ["a \"b\""]}]}
    assert pod_spec_diff(OLD, new).splitlines() == [
        "  core.PodSpec{",
        "- \tContainers[0].Args: nil,",
        '+ \tContainers[0].Args: ["a \\"b\\""],',
        '- \tDNSPolicy: "ClusterFirst",',
        '+ \tDNSPolicy: "Default",',
        "- \tHostPID: nil,",
        "+ \tHostPID: true,",
        "  }"]


def test_the_refusal_diffs_only_what_no_update_may_change():
    """Upstream diffs the old spec with the new one munged: the image and the deadline,
    which may change, are set back before the diff."""
    new = {**OLD, "restartPolicy": "Never", "activeDeadlineSeconds": 30,
           "containers": [{"name": "c", "image": "busybox:1.38"}]}
    refusal = pod_update_refusal("p", OLD, new)
    assert refusal is not None
    message, _, diff = refusal.partition("\n")
    assert message.startswith('Pod "p" is invalid: spec: Forbidden: pod updates may not '
                              "change fields other than `spec.containers[*].image`")
    assert diff.splitlines() == ["  core.PodSpec{", '- \tRestartPolicy: "Always",',
                                 '+ \tRestartPolicy: "Never",', "  }"]
