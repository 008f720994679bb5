"""Pod Security admission (clustersim.kubernetes.podsecurity): upstream's check tables
(staging/src/k8s.io/pod-security-admission/policy/check_*_test.go) and the admission
message, also through the simulated cluster."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.cluster import AdmissionError
from clustersim.kubernetes.podsecurity import admit, violations


def spec(*containers: dict, **pod_context) -> dict:
    return {"containers": list(containers),
            **({"securityContext": pod_context} if pod_context else {})}


def c(name: str, **context) -> dict:
    return {"name": name, **({"securityContext": context} if context else {})}


def run_as_non_root(the_spec: dict) -> str | None:
    found = [v for v in violations(the_spec, "restricted") if v.startswith("runAsNonRoot")]
    return found[0] if found else None


# TestRunAsNonRoot (check_runAsNonRoot_test.go)
@pytest.mark.parametrize("the_spec, detail", [
    (spec(c("a")), 'pod or container "a" must set securityContext.runAsNonRoot=true'),
    (spec(c("a"), runAsNonRoot=False), "pod must not set securityContext.runAsNonRoot=false"),
    (spec(c("a"), {"name": "b", "securityContext": {}}, c("c", runAsNonRoot=False),
          c("d", runAsNonRoot=False), c("e", runAsNonRoot=True), c("f", runAsNonRoot=True),
          runAsNonRoot=True),
     'containers "c", "d" must not set securityContext.runAsNonRoot=false'),
    (spec(c("a"), {"name": "b", "securityContext": {}}, c("d", runAsNonRoot=True),
          c("e", runAsNonRoot=True)),
     'pod or containers "a", "b" must set securityContext.runAsNonRoot=true'),
    ({"hostUsers": False, "containers": []}, None),
])
def test_run_as_non_root(the_spec, detail) -> None:
    expected = f"runAsNonRoot != true ({detail})" if detail else None
    assert run_as_non_root(the_spec) == expected


def test_seccomp_pod_level_covers_containers_and_bad_values_are_named() -> None:
    ok = spec(c("a"), seccompProfile={"type": "RuntimeDefault"})
    assert not [v for v in violations(ok, "restricted") if v.startswith("seccomp")]
    bad = spec(c("a", seccompProfile={"type": "Unconfined"}),
               seccompProfile={"type": "RuntimeDefault"})
    assert ('seccompProfile (container "a" must not set securityContext.seccompProfile.type '
            'to "Unconfined")') in violations(bad, "restricted")


def test_capabilities_must_drop_all_and_add_only_net_bind_service() -> None:
    the_spec = spec(c("a", capabilities={"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}),
                    c("b", capabilities={"drop": ["ALL"], "add": ["SYS_ADMIN", "NET_RAW"]}),
                    c("c"))
    found = [v for v in violations(the_spec, "restricted") if v.startswith("unrestricted")]
    assert found == ['unrestricted capabilities (container "c" must set '
                     'securityContext.capabilities.drop=["ALL"]; container "b" must not include '
                     '"NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)']


def test_a_bare_pod_under_restricted_fails_four_checks_in_order() -> None:
    assert violations(spec(c("app")), "restricted") == [
        'allowPrivilegeEscalation != false (container "app" must set '
        "securityContext.allowPrivilegeEscalation=false)",
        'unrestricted capabilities (container "app" must set '
        'securityContext.capabilities.drop=["ALL"])',
        'runAsNonRoot != true (pod or container "app" must set '
        "securityContext.runAsNonRoot=true)",
        'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type '
        'to "RuntimeDefault" or "Localhost")']
    assert violations(spec(c("app")), "baseline") == []
    assert violations(spec(c("app", privileged=True)), "privileged") == []


HARDENED = c("app", allowPrivilegeEscalation=False, capabilities={"drop": ["ALL"]},
             runAsNonRoot=True, seccompProfile={"type": "RuntimeDefault"})


def test_a_hardened_container_passes_restricted() -> None:
    assert violations(spec(HARDENED), "restricted") == []
    assert violations(spec({**HARDENED, "securityContext": {**HARDENED["securityContext"],
                                                            "privileged": True}}),
                      "restricted") == ['privileged (container "app" must not set '
                                        "securityContext.privileged=true)"]


LABELS = {"pod-security.kubernetes.io/enforce": "baseline",
          "pod-security.kubernetes.io/warn": "restricted"}


def test_enforce_refuses_and_warn_only_warns() -> None:
    privileged = {"metadata": {"name": "web"}, "spec": spec(c("app", privileged=True))}
    verdict = admit(LABELS, privileged)
    assert verdict.refusal == ('pods "web" is forbidden: violates PodSecurity "baseline:latest": '
                               'privileged (container "app" must not set '
                               "securityContext.privileged=true)")
    plain = admit(LABELS, {"metadata": {"name": "web"}, "spec": spec(c("app"))})
    assert plain.refusal is None and plain.audit is None
    assert plain.warnings[0].startswith('would violate PodSecurity "restricted:latest": '
                                        "allowPrivilegeEscalation != false")
    assert admit({}, privileged).refusal is None  # no labels: privileged


def test_the_cluster_refuses_a_pod_its_namespace_forbids() -> None:
    cluster = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    cluster.apply({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": "shop", "labels": LABELS}})
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"},
           "spec": spec({**c("app", privileged=True), "image": "nginx:1.27"})}
    with pytest.raises(AdmissionError, match='violates PodSecurity "baseline:latest"'):
        cluster.apply(pod)
    pod["metadata"]["namespace"] = "default"
    assert cluster.apply(pod) == ["pod/web created"]


def test_an_unknown_level_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="use one of privileged, baseline, restricted"):
        violations(spec(c("a")), "strict")


# TestRunAsUser (check_runAsUser_test.go): an explicit 0 is refused, the Pod's and the
# containers' setters are named together, unset and non-zero pass, hostUsers: false relaxes it
@pytest.mark.parametrize("the_spec, detail", [
    (spec(c("a", runAsUser=0)), 'container "a" must not set runAsUser=0'),
    (spec(c("a"), c("b", runAsUser=0), c("c", runAsUser=0), runAsUser=0),
     'pod and containers "b", "c" must not set runAsUser=0'),
    (spec(c("a", runAsUser=1000), c("b")), None),
    ({"hostUsers": False, "containers": [c("a", runAsUser=0)]}, None),
])
def test_run_as_user(the_spec, detail) -> None:
    found = [v for v in violations(the_spec, "restricted") if v.startswith("runAsUser")]
    assert found == ([f"runAsUser=0 ({detail})"] if detail else [])


def test_run_as_non_root_with_user_zero_is_refused_after_run_as_non_root() -> None:
    """runAsNonRoot: true does not excuse runAsUser: 0; the reasons come in ID order."""
    root = {**HARDENED, "securityContext": {**HARDENED["securityContext"], "runAsUser": 0}}
    assert violations(spec(root), "restricted") == [
        'runAsUser=0 (container "app" must not set runAsUser=0)']
    assert violations(spec(c("app", runAsUser=0)), "restricted")[2:4] == [
        'runAsNonRoot != true (pod or container "app" must set '
        "securityContext.runAsNonRoot=true)",
        'runAsUser=0 (container "app" must not set runAsUser=0)']
