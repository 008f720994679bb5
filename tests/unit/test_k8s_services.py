"""Services: address allocation, endpoints from selectors and readiness, and request streams.

Expected behaviour from the Service docs (https://kubernetes.io/docs/concepts/services-networking/service/):
the default service CIDR 10.96.0.0/12 and node-port range 30000-32767, endpoints are the ready
pods the selector matches, and kube-proxy's iptables mode picks a random endpoint. The
rolling-update case shows the known race between a pod's SIGTERM and kube-proxy's update,
and the ``preStop`` sleep that avoids it (docs: "Termination of Pods" and
https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/).
"""

from __future__ import annotations

import copy
import ipaddress
import random

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.kubeproxy import ProxyHistory
from clustersim.kubernetes.objects import is_ready
from clustersim.kubernetes.services import InternalError


def nodes(count=3):
    return Node.many(count, "node", cpu="4", memory="8Gi",
                     zone=lambda i: f"zone-{'abc'[(i - 1) % 3]}")


def web(replicas=3, image="nginx:1.25", pre_stop=None):
    container = {"name": "nginx", "image": image,
                 "readinessProbe": {"exec": {"command": ["true"]},
        "initialDelaySeconds": 2, "periodSeconds": 2}}
    if pre_stop:
        container["lifecycle"] = {"preStop": {"sleep": {"seconds": pre_stop}}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [container]}}}}


def service(kind="ClusterIP", name="web", **spec):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": kind, "selector": {"app": "web"}, "ports": [{"port": 80}], **spec}}


def test_cluster_ip_node_port_and_load_balancer_allocation():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([service("ClusterIP", "a"), service("NodePort", "b"),
                   service("LoadBalancer", "c"), service("ClusterIP", "d", clusterIP="None")])
    a, b, c, d = (cluster.get("Service", "default", n) for n in "abcd")
    cidr = ipaddress.ip_network("10.96.0.0/12")
    for svc in (a, b, c):
        address = ipaddress.ip_address(svc["spec"]["clusterIP"])
        assert address in cidr and str(address) != "10.96.0.1"
    assert len({a["spec"]["clusterIP"], b["spec"]["clusterIP"], c["spec"]["clusterIP"]}) == 3
    assert "nodePort" not in a["spec"]["ports"][0]
    for svc in (b, c):
        assert 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767
    assert c["status"]["loadBalancer"]["ingress"][0]["ip"]
    assert d["spec"]["clusterIP"] == "None"


@pytest.mark.parametrize("asked", ["10.96.0.0", "10.111.255.255", "1.2.3.4"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_cluster_ip_outside_the_ranges_usable_addresses_is_refused(asked, dry_run):
    """The allocator leaves out the range's first and last address (``Range.contains``), a
    dry run too, and the API server words the refusal at ``spec.clusterIPs``; the range's
    two ends had been taken."""
    cluster = KubernetesCluster(nodes(), seed=0)
    with pytest.raises(ValueError) as refused:
        cluster.create(service(clusterIP=asked), dry_run=dry_run)
    assert str(refused.value) == (
        f'Service "web" is invalid: spec.clusterIPs: Invalid value: ["{asked}"]: '
        f"failed to allocate IP {asked}: the provided IP ({asked}) is not in the valid range. "
        "The range of valid IPs is 10.96.0.0/12")
    assert cluster.get("Service", "default", "web") is None
    last = cluster.create(service(clusterIP="10.111.255.254"), dry_run=dry_run)
    assert last["spec"]["clusterIP"] == "10.111.255.254"


def test_a_cluster_ip_taken_is_refused_as_already_allocated():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service(clusterIP="10.96.0.10"))
    with pytest.raises(ValueError) as refused:
        cluster.apply(service(name="dns", clusterIP="10.96.0.10"))
    assert str(refused.value).endswith(
        'Service "dns" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: '
        "failed to allocate IP 10.96.0.10: provided IP is already allocated")


def test_node_port_conflict_is_refused():
    """The port allocator's refusals, at the port's field (``initNodePorts`` in
    kubernetes/kubernetes ``pkg/registry/core/service/storage/alloc.go``; the errors of
    ``portallocator/allocator.go``); the simulator had worded them its own way."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service("NodePort", "a", ports=[{"port": 80, "nodePort": 30080}]))
    with pytest.raises(ValueError) as refused:
        cluster.apply(service("NodePort", "b", ports=[{"port": 80, "nodePort": 30080}]))
    assert str(refused.value).endswith('Service "b" is invalid: spec.ports[0].nodePort: '
                                       "Invalid value: 30080: provided port is already "
                                       "allocated")
    with pytest.raises(ValueError) as refused:
        cluster.apply(service("NodePort", "c", ports=[{"port": 80, "nodePort": 8080}]))
    assert str(refused.value).endswith("Invalid value: 8080: provided port is not in the valid "
                                       "range. The range of valid ports is 30000-32767")


def test_ports_of_one_number_share_a_node_port_and_a_load_balancer_may_take_none():
    """``initNodePorts`` (``alloc.go``): a port whose number an earlier port has (DNS's 53
    over UDP and TCP) gets that port's node port, and a LoadBalancer with
    ``allocateLoadBalancerNodePorts: false`` gets none but those asked for
    (``shouldAllocateNodePorts``); the simulator had given each port its own and every
    LoadBalancer port one."""
    cluster = KubernetesCluster(nodes(), seed=0)
    dns = [{"name": "udp", "port": 53, "protocol": "UDP"},
           {"name": "tcp", "port": 53, "protocol": "TCP"}]
    cluster.apply([service("NodePort", "dns", ports=dns),
                   service("LoadBalancer", "lb", allocateLoadBalancerNodePorts=False,
                           ports=[{"name": "a", "port": 80},
                                  {"name": "b", "port": 81, "nodePort": 30081}])])
    udp, tcp = cluster.get("Service", "default", "dns")["spec"]["ports"]
    assert udp["nodePort"] == tcp["nodePort"]
    assert [p.get("nodePort") for p in cluster.get("Service", "default", "lb")["spec"]["ports"]
            ] == [None, 30081]


def test_endpoints_follow_readiness_and_selector():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(), service()])
    cluster.run(until=5)
    assert cluster.endpoints("web") == []              # pulled and started, not ready yet
    cluster.run()
    assert len(cluster.endpoints("web")) == 3
    other = copy.deepcopy(service(name="other"))
    other["spec"]["selector"] = {"app": "nothing"}
    cluster.apply(other)
    assert cluster.endpoints("other") == []


def test_an_external_name_service_gets_no_endpoints_whatever_it_selects():
    """The EndpointSlice and Endpoints controllers return before they list Pods for an
    ExternalName Service (``syncService``, kubernetes/kubernetes#114814): no endpoints and no
    placeholder slice, though its selector matches ready Pods."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(), service(), service("ExternalName", name="ext",
                                             externalName="web.example.com")])
    cluster.run()
    assert len(cluster.endpoints("web")) == 3
    assert (cluster.endpoints("ext"), cluster.endpoint_slice("ext"),
            cluster.endpoint_slices("ext")) == ([], [], [])


def test_requests_spread_over_ready_endpoints():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(), service()])
    cluster.run()
    stream = cluster.request_stream("web", rate=100, stop=cluster.now + 60)
    cluster.run(until=cluster.now + 61)
    assert stream.failed == 0 and stream.served > 5000
    counts = stream.by_pod()
    assert len(counts) == 3 and min(counts.values()) > 0.25 * stream.served


def test_no_endpoints_means_failed_requests():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service())
    stream = cluster.request_stream("web", rate=10, stop=10)
    cluster.run(until=10)
    assert stream.served == 0 and stream.failed > 0


def test_node_failure_fails_requests_until_the_node_is_marked_not_ready():
    cluster = KubernetesCluster(nodes(), seed=5)
    cluster.apply([web(), service()])
    cluster.run()
    start = cluster.now
    stream = cluster.request_stream("web", rate=60, start=start, stop=start + 100)
    cluster.fail_node("node-1")
    cluster.run(until=start + 100)
    buckets = stream.buckets(10)
    early = sum(b["failed"] for b in buckets[:5])           # before the 50 s grace period
    late = sum(b["failed"] for b in buckets[6:])            # after NotReady propagated
    assert early > 0.2 * sum(b["served"] + b["failed"] for b in buckets[:5])
    assert late == 0


def _rollout_failures(pre_stop):
    cluster = KubernetesCluster(nodes(), seed=11)
    cluster.apply([web(replicas=4, pre_stop=pre_stop), service()])
    cluster.run()
    stream = cluster.request_stream("web", rate=200, stop=cluster.now + 120)
    cluster.apply(web(replicas=4, image="nginx:1.26", pre_stop=pre_stop))
    cluster.run(until=cluster.now + 121)
    assert stream.served > 0
    return stream.failed


def test_rolling_update_drops_requests_without_pre_stop_and_not_with_it():
    assert _rollout_failures(None) > 0
    assert _rollout_failures(5) == 0


def test_buckets_cover_the_stream_and_reject_bad_width():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(), service()])
    cluster.run()
    stream = cluster.request_stream("web", rate=20, start=cluster.now, stop=cluster.now + 30)
    cluster.run(until=cluster.now + 31)
    rows = stream.buckets(10)
    assert len(rows) == 3 and sum(r["served"] for r in rows) == stream.served
    with pytest.raises(ValueError, match="width"):
        stream.buckets(0)


def test_stream_errors_are_readable():
    cluster = KubernetesCluster(nodes(), seed=0)
    with pytest.raises(ValueError, match="not found"):
        cluster.request_stream("missing")
    cluster.apply(service(clusterIP="None"))
    with pytest.raises(ValueError, match="headless"):
        cluster.request_stream("web")


def test_service_update_keeps_cluster_ip_and_endpoints():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(), service()])
    cluster.run()
    before = cluster.get("Service", "default", "web")["spec"]["clusterIP"]
    stream = cluster.request_stream("web", rate=50, stop=cluster.now + 20)
    assert cluster.apply(service("NodePort")) == ["service/web configured"]
    cluster.run(until=cluster.now + 21)
    svc = cluster.get("Service", "default", "web")
    assert svc["spec"]["clusterIP"] == before and svc["spec"]["type"] == "NodePort"
    assert 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767
    assert stream.failed == 0


def test_load_balancer_addresses_are_not_reused_while_held():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([service("LoadBalancer", "a"), service("LoadBalancer", "b")])
    cluster.delete("svc", "a")
    cluster.apply(service("LoadBalancer", "c"))
    ips = [cluster.get("Service", "default", n)["status"]["loadBalancer"]["ingress"][0]["ip"]
           for n in ("b", "c")]
    assert len(set(ips)) == 2 and all(ip.startswith("203.0.113.") for ip in ips)


def test_node_port_client_fails_with_its_node_and_local_policy_keeps_traffic_local():
    cluster = KubernetesCluster(nodes(), seed=2)
    cluster.apply([web(replicas=2), service("NodePort", externalTrafficPolicy="Local")])
    cluster.run()
    with_pod = {p.node for p in cluster.pods()}
    without = next(n for n in cluster.node_names() if n not in with_pod)
    served_here = cluster.request_stream("web", rate=20, stop=cluster.now + 10,
                                         entry=sorted(with_pod)[0])
    nothing_here = cluster.request_stream("web", rate=20, stop=cluster.now + 10, entry=without)
    cluster.run(until=cluster.now + 11)
    assert served_here.failed == 0 and len(served_here.by_pod()) == 1
    assert nothing_here.served == 0 and nothing_here.failed > 0
    cluster.fail_node(sorted(with_pod)[0])
    dead = cluster.request_stream("web", rate=20, stop=cluster.now + 10,
                                  entry=sorted(with_pod)[0])
    cluster.run(until=cluster.now + 11)
    assert dead.served == 0


def test_load_balancer_stops_sending_to_a_failed_node_after_its_health_checks():
    cluster = KubernetesCluster(nodes(), seed=4)
    cluster.apply([web(replicas=3), service("LoadBalancer")])
    cluster.run()
    start = cluster.now
    stream = cluster.request_stream("web", rate=60, start=start, stop=start + 40,
                                    entry="load-balancer")
    cluster.fail_node("node-1")
    cluster.run(until=start + 40)
    buckets = stream.buckets(10)
    assert buckets[0]["failed"] > 0                # health checks have not noticed yet
    # after 10 s the LB skips node-1, but kube-proxy elsewhere still sends a third of the
    # requests to node-1's pod until the node controller marks it NotReady (50 s)
    assert 0 < buckets[2]["failed"] < buckets[0]["failed"]


def test_internal_traffic_policy_local_keeps_a_pods_requests_on_its_node():
    """KEP-2086 (https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/):
    with internalTrafficPolicy: Local kube-proxy on the client Pod's node routes cluster-IP
    traffic only to that node's endpoints and drops it when there are none
    (pkg/proxy/iptables/proxier.go, "has no local endpoints"), while Cluster sends it
    anywhere; a client on a failed node sends nothing."""
    cluster = KubernetesCluster(nodes(), seed=2)
    cluster.apply([web(replicas=2), service(internalTrafficPolicy="Local"),
                   service(name="web-cluster")])
    cluster.run()
    with_pod = sorted({p.node for p in cluster.pods()})
    without = next(n for n in cluster.node_names() if n not in with_pod)
    here = next(p.name for p in cluster.pods() if p.node == with_pod[0])
    stop = cluster.now + 10
    served_here = cluster.request_stream("web", rate=20, stop=stop, from_node=with_pod[0])
    dropped = cluster.request_stream("web", rate=20, stop=stop, from_node=without)
    anywhere = cluster.request_stream("web-cluster", rate=20, stop=stop, from_node=without)
    cluster.run(until=stop + 1)
    assert served_here.failed == 0 and set(served_here.by_pod()) == {here}
    assert dropped.served == 0 and dropped.failed > 0
    assert anywhere.failed == 0 and len(anywhere.by_pod()) == 2
    cluster.fail_node(with_pod[0])
    dead = cluster.request_stream("web", rate=20, stop=cluster.now + 10, from_node=with_pod[0])
    cluster.run(until=cluster.now + 11)
    assert dead.served == 0 and dead.failed > 0


def test_internal_traffic_policy_local_falls_back_to_its_nodes_terminating_pods():
    """CategorizeEndpoints (pkg/proxy/topology.go) picks the Local endpoints as the Cluster
    ones, but among the node's own: its ready ones, else its serving terminating ones,
    whatever other nodes have. A pod being deleted whose preStop sleeps keeps serving its
    node's clients while a replacement elsewhere is ready."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(replicas=1, pre_stop=30), service(internalTrafficPolicy="Local"),
                   service(name="web-cluster")])
    cluster.run(until=60)
    [old] = cluster.pods()
    cluster.delete_pod(cluster.get("Pod", "default", old.name))
    cluster.run(until=cluster.now + 8)
    [new] = [row for row in cluster.pods() if row.ready]
    assert new.node != old.node              # the seed puts the replacement on another node
    cluster.run(until=cluster.now + 2)      # kube-proxy has seen it (1 s propagation)
    stop = cluster.now + 10
    local = cluster.request_stream("web", rate=20, stop=stop, from_node=old.node)
    anywhere = cluster.request_stream("web-cluster", rate=20, stop=stop, from_node=old.node)
    cluster.run(until=stop + 1)
    assert local.failed == 0 and set(local.by_pod()) == {old.name}
    assert anywhere.failed == 0 and set(anywhere.by_pod()) == {new.name}


def test_internal_traffic_policy_local_needs_the_clients_node():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service("NodePort", internalTrafficPolicy="Local"))
    with pytest.raises(ValueError, match=r"internalTrafficPolicy: Local.*give from_node"):
        cluster.request_stream("web")
    with pytest.raises(ValueError, match="give one"):
        cluster.request_stream("web", entry="node-1", from_node="node-2")
    with pytest.raises(ValueError, match="no node named 'node-9'"):
        cluster.request_stream("web", from_node="node-9")
    cluster.request_stream("web", entry="node-1")        # external traffic: its own policy


def test_entry_must_match_the_service_type():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service())
    with pytest.raises(ValueError, match="not LoadBalancer"):
        cluster.request_stream("web", entry="load-balancer")
    with pytest.raises(ValueError, match="only NodePort and LoadBalancer"):
        cluster.request_stream("web", entry="node-1")


def test_endpoint_slices_list_a_pod_before_it_is_ready():
    """staging/src/k8s.io/endpointslice utils.go podToEndpoint: a started pod is listed with
    ready/serving false until its readiness probe passes; kube-proxy routes to ready ones only;
    a terminating pod stays listed with terminating true and ready false."""
    def started_cluster() -> KubernetesCluster:
        cluster = KubernetesCluster(nodes(), seed=0)
        cluster.apply([web(replicas=1), service()])
        return cluster

    cluster = started_cluster()
    cluster.run(until=60)
    started = cluster.events.where(reason="Started")[0].time     # the container's start
    early_cluster = started_cluster()
    early_cluster.run(until=started + 0.5)  # running, readiness probe not yet passed
    [early] = early_cluster.endpoint_slice("web")
    assert early["conditions"] == {"ready": False, "serving": False, "terminating": False}
    assert early_cluster.endpoints("web") == []
    [ready] = cluster.endpoint_slice("web")
    assert ready["conditions"] == {"ready": True, "serving": True, "terminating": False}
    assert cluster.endpoints("web") == [ready["pod"]]
    cluster.delete_pod(cluster.get("Pod", "default", ready["pod"]))
    gone = next(e for e in cluster.endpoint_slice("web") if e["pod"] == ready["pod"])
    assert gone["conditions"]["terminating"] and not gone["conditions"]["ready"]
    assert ready["pod"] not in cluster.endpoints("web")


def test_free_node_ports_are_drawn_as_from_their_full_list() -> None:
    # the allocator draws from the free ports without listing them: the same ports, in the
    # same order, so random.choice makes the same draw as over the listed ports
    from clustersim.kubernetes.services import _FreePorts

    for trial in range(200):
        rng = random.Random(trial)
        low, high = 30000, 30000 + rng.randrange(60)
        taken = set(rng.sample(range(low - 5, high + 6), rng.randrange(high - low + 8)))
        listed = [p for p in range(low, high + 1) if p not in taken]
        free = _FreePorts(low, high, taken)
        assert len(free) == len(listed)
        assert [free[i] for i in range(len(free))] == listed
        if listed:
            assert random.Random(trial).choice(free) == random.Random(trial).choice(listed)
        with pytest.raises(IndexError):
            free[len(listed)]


def _named_port_pods(*ports: int | None) -> list[dict]:
    """Pods ``web-a``, ``web-b``, ... labelled ``app: web``, each declaring the container
    port ``http`` with the number given (None: no port at all) and ``metrics`` 9000/TCP."""
    pods = []
    for letter, number in zip("abcdef", ports, strict=False):
        declared = [{"name": "metrics", "containerPort": 9000}]
        if number is not None:
            declared.insert(0, {"name": "http", "containerPort": number})
        pods.append({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": f"web-{letter}", "labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
                                              "ports": declared}]}})
    return pods


NAMED = [{"name": "http", "port": 80, "targetPort": "http"},
         {"name": "metrics", "port": 9000, "targetPort": 9000}]


def test_endpoint_slice_gives_each_pod_its_own_number_for_a_named_target_port():
    """``getEndpointPorts`` (staging/src/k8s.io/endpointslice/utils.go) resolves a named
    ``targetPort`` in each pod with ``FindPort``: the Python slices carry each pod's ports,
    as the served ones do; a pod without the name keeps only the other ports."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([service(ports=NAMED), *_named_port_pods(8080, 9090, None)])
    cluster.run(until=30)
    ports = {e["pod"]: [(p["name"], p["port"], p["protocol"]) for p in e["ports"]]
             for e in cluster.endpoint_slice("web")}
    metrics = ("metrics", 9000, "TCP")
    assert ports == {"web-a": [("http", 8080, "TCP"), metrics],
                     "web-b": [("http", 9090, "TCP"), metrics], "web-c": [metrics]}
    addresses = {e["pod"]: e["addresses"] for e in cluster.endpoint_slice("web")}
    assert addresses == {p["metadata"]["name"]: [p["status"]["podIP"]]
                         for p in cluster.objects("Pod", "default")}


def test_traffic_to_a_named_target_port_skips_pods_without_that_port():
    """kube-proxy programs each Service port from the slices that list it
    (pkg/proxy/endpointslicecache.go): a pod that declares no container port of the name
    gets none of that port's requests, and still gets those of a numbered port."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([service(ports=NAMED), *_named_port_pods(8080, 9090, None)])
    cluster.run(until=30)
    http = cluster.request_stream("web", rate=50, stop=cluster.now + 20)       # the first
    by_name = cluster.request_stream("web", rate=50, stop=cluster.now + 20, port="http")
    metrics = cluster.request_stream("web", rate=50, stop=cluster.now + 20, port=9000)
    cluster.run(until=cluster.now + 21)
    for stream in (http, by_name):
        assert stream.failed == 0 and set(stream.by_pod()) == {"web-a", "web-b"}
    assert metrics.failed == 0 and set(metrics.by_pod()) == {"web-a", "web-b", "web-c"}


def test_no_pod_with_the_named_port_means_failed_requests():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([service(ports=NAMED), *_named_port_pods(None, None)])
    cluster.run(until=30)
    assert cluster.endpoints("web") == ["web-a", "web-b"]        # ready, on 9000 only
    stream = cluster.request_stream("web", rate=20, stop=cluster.now + 10, port="http")
    cluster.run(until=cluster.now + 11)
    assert stream.served == 0 and stream.failed > 0


def test_a_port_the_service_does_not_have_is_refused_with_its_ports():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service(ports=NAMED))
    with pytest.raises(ValueError, match=r"has no port 'admin': give one of its ports by "
                                         r"number or name: 80/TCP \(http\), 9000/TCP"):
        cluster.request_stream("web", port="admin")
    with pytest.raises(ValueError, match="has no port 8080"):
        cluster.request_stream("web", port=8080)


def test_publish_not_ready_addresses_keeps_terminating_pods_ready():
    """``podToEndpoint``: ``ready`` is publishNotReadyAddresses or (serving and not
    terminating); the slices keep a terminating pod (``ShouldPodBeInEndpoints(pod,
    true)``), so with publishNotReadyAddresses kube-proxy still routes to it."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(replicas=1, pre_stop=30), service(publishNotReadyAddresses=True)])
    cluster.run(until=60)
    started = cluster.events.where(reason="Started")[0].time
    early_cluster = KubernetesCluster(nodes(), seed=0)
    early_cluster.apply([web(replicas=1, pre_stop=30), service(publishNotReadyAddresses=True)])
    early_cluster.run(until=started + 0.5)             # running, probe not passed yet
    [early] = early_cluster.endpoint_slice("web")
    assert early["conditions"] == {"ready": True, "serving": False, "terminating": False}
    [pod] = cluster.endpoints("web")
    cluster.delete_pod(cluster.get("Pod", "default", pod))
    cluster.run(until=cluster.now + 5)
    [gone] = cluster.endpoint_slice("web")
    assert gone["conditions"]["terminating"] and gone["conditions"]["ready"]
    assert cluster.endpoints("web") == [pod]


def test_terminating_pods_serve_while_no_endpoint_is_ready():
    """KEP-1669 (CategorizeEndpoints, pkg/proxy/topology.go): with no ready endpoint left,
    kube-proxy sends traffic to the endpoints that are serving and terminating. Deleting both
    pods of a Deployment whose preStop sleeps 20 s leaves them Ready while they shut down, so
    requests go on being served by them until a replacement is ready, then by the
    replacements alone."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([web(replicas=2, pre_stop=20), service()])
    cluster.run(until=60)
    old = set(cluster.endpoints("web"))
    for name in sorted(old):
        cluster.delete_pod(cluster.get("Pod", "default", name))
    assert [e["conditions"] for e in cluster.endpoint_slice("web") if e["pod"] in old] == [
        {"ready": False, "serving": True, "terminating": True}] * 2
    assert cluster.endpoints("web") == []
    assert all(is_ready(cluster.get("Pod", "default", name))
               for name in old)                      # the Ready condition stays, as upstream
    assert not any(row.ready for row in cluster.pods() if row.name in old)
    stream = cluster.request_stream("web", rate=20, stop=75)
    cluster.run(until=75)
    assert stream.records and all(ok for _, ok, _ in stream.records)
    first_new = min(t for t, _, pod in stream.records if pod not in old)
    assert {pod for t, _, pod in stream.records if t < first_new} == old
    assert not any(pod in old for t, _, pod in stream.records if t > first_new)


def test_usable_endpoints_fall_back_per_traffic_policy():
    """CategorizeEndpoints: ready endpoints first; serving terminating ones only when none is
    ready (not-serving terminating ones never); for the Local policy the same choice among
    the node's own endpoints, whatever other nodes have."""
    from clustersim.kubernetes.services import ProxyEndpoint, usable_endpoints

    def endpoint(pod, node, ready, serving, terminating):
        return ProxyEndpoint(pod, pod, node, (("", "TCP", 80),), ready, serving, terminating)

    ready_b = endpoint("ready-b", "node-b", True, True, False)
    draining_a = endpoint("draining-a", "node-a", False, True, True)
    stopping_a = endpoint("stopping-a", "node-a", False, False, True)
    starting_a = endpoint("starting-a", "node-a", False, False, False)
    every = (ready_b, draining_a, stopping_a, starting_a)
    assert usable_endpoints(every) == (ready_b,)
    assert usable_endpoints(every, "node-a") == (draining_a,)
    assert usable_endpoints(every, "node-b") == (ready_b,)
    assert usable_endpoints((stopping_a, starting_a, draining_a)) == (draining_a,)
    assert usable_endpoints((stopping_a, starting_a)) == ()


def _many_web_pods(replicas: int, extra: list | None = None) -> KubernetesCluster:
    """``replicas`` web pods behind the Service ``web``, ready, on nodes roomy enough."""
    cluster = KubernetesCluster(Node.many(12, "node", cpu="64", memory="256Gi"), seed=0)
    deployment = web(replicas=replicas)
    deployment["spec"]["template"]["spec"]["containers"][0]["resources"] = {
        "requests": {"cpu": "10m", "memory": "10Mi"}}
    cluster.apply([deployment, service(), *(extra or [])])
    cluster.run(until=60)
    return cluster


def test_endpoint_slices_hold_at_most_100_endpoints():
    """The EndpointSlice controller's --max-endpoints-per-slice (default 100): 250 pods are
    in three slices of one Service (reconcileByPortMapping fills new slices up to the
    limit), each labelled with the Service's name and the controller as its manager, and
    served so; they had all been in one slice."""
    from clustersim.serve.kubederived import DerivedObjects

    cluster = _many_web_pods(250)
    pieces = cluster.endpoint_slices("web")
    assert [len(p["endpoints"]) for p in pieces] == [100, 100, 50]
    assert [e for p in pieces for e in p["endpoints"]] == cluster.endpoint_slice("web")
    assert all(p["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}] for p in pieces)
    served = [s for s in DerivedObjects(cluster).endpointslices()
              if s["metadata"]["labels"]["kubernetes.io/service-name"] == "web"]
    assert sorted(len(s["endpoints"]) for s in served) == [50, 100, 100]
    assert len({s["metadata"]["name"] for s in served}) == 3
    assert all(s["metadata"]["name"].startswith("web-") and s["metadata"]["labels"][
        "endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"
        for s in served)
    cluster.apply([service(name="nobody", selector={"app": "nobody"})])
    assert cluster.endpoint_slices("nobody") == [{"ports": [], "endpoints": []}]


def test_endpoints_are_truncated_at_1000_addresses():
    """The endpoints controller's maxCapacity: past 1000 addresses it keeps 1000, ready ones
    first, and annotates endpoints.kubernetes.io/over-capacity: truncated
    (truncateEndpoints); under it, no annotation."""
    from clustersim.serve.kubederived import DerivedObjects, _truncated

    cluster = _many_web_pods(1010)
    [ends] = [e for e in DerivedObjects(cluster).endpoints() if e["metadata"]["name"] == "web"]
    assert ends["metadata"]["annotations"] == {
        "endpoints.kubernetes.io/over-capacity": "truncated"}
    assert sum(len(s.get("addresses", [])) + len(s.get("notReadyAddresses", []))
               for s in ends["subsets"]) == 1000
    small = _many_web_pods(3)
    [ends] = [e for e in DerivedObjects(small).endpoints() if e["metadata"]["name"] == "web"]
    assert "annotations" not in ends["metadata"]

    def addresses(prefix, count):
        return [{"ip": f"{prefix}.{i}"} for i in range(count)]

    # 900 ready fit: the 300 not ready share the 100 left, 3:1, rounded up
    subsets = [{"addresses": addresses("a", 600), "notReadyAddresses": addresses("b", 225)},
               {"addresses": addresses("c", 300), "notReadyAddresses": addresses("d", 75)}]
    assert _truncated(subsets)
    assert [(len(s["addresses"]), len(s["notReadyAddresses"])) for s in subsets] == [
        (600, 75), (300, 25)]
    # 1200 ready do not: every not-ready address goes, the ready ones share the 1000
    subsets = [{"addresses": addresses("a", 801), "notReadyAddresses": addresses("b", 5)},
               {"addresses": addresses("c", 399)}]
    assert _truncated(subsets)
    assert [len(s["addresses"]) for s in subsets] == [668, 332]
    assert not any("notReadyAddresses" in s for s in subsets)
    assert subsets[0]["addresses"][0] == {"ip": "a.0"}


def test_a_terminating_pod_stops_serving_when_its_app_container_exits():
    """While a deleted pod's sidecar stops (its preStop sleeps 10 s) its app container has
    already exited (0.2 s after the deletion): the pod is not Ready then (a container that
    is not running is not ready), so its endpoint is no longer serving, and once kube-proxy
    sees it, its fallback to serving terminating endpoints sends it nothing; until then
    requests fail, as nothing answers."""
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "web", "labels": {"app": "web"}},
           "spec": {"initContainers": [{"name": "proxy", "image": "envoy:1.31",
                                        "restartPolicy": "Always",
                                        "lifecycle": {"preStop": {"sleep": {"seconds": 10}}}}],
                    "containers": [{"name": "nginx", "image": "nginx:1.25"}]}}
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply([pod, service()])
    cluster.run(until=30)
    cluster.delete_pod(cluster.get("Pod", "default", "web"))
    stream = cluster.request_stream("web", rate=20, stop=35)
    cluster.run(until=30.1)
    [draining] = cluster.endpoint_slice("web")
    assert draining["conditions"] == {"ready": False, "serving": True, "terminating": True}
    cluster.run(until=35)
    [stopping] = cluster.endpoint_slice("web")
    assert stopping["conditions"] == {"ready": False, "serving": False, "terminating": True}
    served = [t for t, ok, _ in stream.records if ok]     # the app exits at 30.2 s
    assert served and max(served) <= 30.2 < min(t for t, ok, _ in stream.records if not ok)


def _rollouts(count: int) -> tuple[KubernetesCluster, list, float]:
    """A LoadBalancer Service in front of 6 replicas rolled out ``count`` times, with a
    stream from outside (its health checks look furthest back) and one from inside; the
    requests of each stream and when the last rollout began."""
    cluster = KubernetesCluster(nodes(), seed=4)
    cluster.apply([web(replicas=6), service("LoadBalancer")])
    cluster.run()
    end = cluster.now + 60 * count + 60
    streams = [cluster.request_stream("web", rate=50, stop=end, entry="load-balancer"),
               cluster.request_stream("web", rate=50, stop=end)]
    last = cluster.now
    for version in range(count):
        last = cluster.now
        cluster.apply(web(replicas=6, image=f"nginx:1.{30 + version}"))
        cluster.run(until=cluster.now + 60)
    cluster.run(until=end + 1)
    return cluster, [s.records for s in streams], last


def test_kube_proxy_history_stays_bounded_and_traffic_is_unchanged(monkeypatch):
    """kube-proxy's history of a Service's endpoints kept every change for ever, those of
    endpoints it never uses (not ready, not terminating) included: it keeps the usable
    endpoints only, and drops what ended before the furthest a request looks back (the load
    balancer's health check, plus the propagation delay). Requests are routed as they were
    with the whole history kept."""
    cluster, kept, last = _rollouts(8)
    [history] = cluster.services._history.values()
    window = cluster.timing.lb_health_check_seconds + cluster.timing.endpoint_propagation_seconds
    assert all(e.ready or (e.serving and e.terminating) for v in history.views for e in v)
    assert history.times[1] > last - window          # what the last rollout changed only
    record = ProxyHistory.record
    monkeypatch.setattr(ProxyHistory, "record", lambda self, now, view, horizon: record(
        self, now, view, float("-inf")))
    whole, everything, _ = _rollouts(8)
    [unpruned] = whole.services._history.values()
    assert len(unpruned.times) > 8 * len(history.times) / 2
    assert kept == everything and sum(len(r) for r in kept) > 40000


LOCAL_LB = {"externalTrafficPolicy": "Local"}
ONLY_LOCAL_LB = ("may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` "
                 "is 'Local'")


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize(("kind", "spec"), [("ClusterIP", {}), ("NodePort", LOCAL_LB),
                                            ("LoadBalancer", {})])
def test_a_health_check_node_port_on_a_service_that_needs_none_is_invalid(kind, spec, dry_run):
    """``validateServiceExternalTrafficPolicy`` (kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``): only a LoadBalancer with
    ``externalTrafficPolicy: Local`` may have one; the simulator had stored it unchecked. The
    cluster IP taken before the validation is free again."""
    cluster = KubernetesCluster(nodes(), seed=0)
    with pytest.raises(ValueError) as refused:
        cluster.create(service(kind, clusterIP="10.96.0.50", healthCheckNodePort=30500, **spec),
                       dry_run=dry_run)
    assert str(refused.value) == ('Service "web" is invalid: spec.healthCheckNodePort: '
                                  f"Invalid value: 30500: {ONLY_LOCAL_LB}")
    assert cluster.get("Service", "default", "web") is None
    cluster.create(service(kind, clusterIP="10.96.0.50", **spec))


def test_a_health_check_node_port_out_of_range_is_invalid_in_a_dry_run() -> None:
    """The dry-run allocator checks only that a port asked for is free, so ``IsValidPortNum``
    in ``validateServiceExternalTrafficPolicy`` is what refuses 70000 there; a real create
    fails the allocation first (an internal error, as before)."""
    cluster = KubernetesCluster(nodes(), seed=0)
    with pytest.raises(ValueError) as refused:
        cluster.create(service("LoadBalancer", healthCheckNodePort=70000, **LOCAL_LB),
                       dry_run=True)
    assert str(refused.value) == ('Service "web" is invalid: spec.healthCheckNodePort: '
                                  "Invalid value: 70000: must be between 1 and 65535, inclusive")
    with pytest.raises(InternalError, match="failed to allocate requested HealthCheck NodePort "
                                            "70000: provided port is not in the valid range"):
        cluster.create(service("LoadBalancer", healthCheckNodePort=70000, **LOCAL_LB))


def test_a_health_check_node_port_cannot_change_while_both_need_one() -> None:
    """``validateServiceExternalTrafficFieldsUpdate``: a Local LoadBalancer keeps its health
    check node port (422 ``Forbidden: field is immutable``, the Service unchanged); the
    simulator had moved it to the port asked for. Leaving it out keeps it."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service("LoadBalancer", **LOCAL_LB))
    stored = copy.deepcopy(cluster.get("Service", "default", "web"))
    held = stored["spec"]["healthCheckNodePort"]
    other = 30000 + (held - 30000 + 1) % 2768
    changed = service("LoadBalancer", healthCheckNodePort=other, **LOCAL_LB)
    with pytest.raises(ValueError) as refused:
        cluster.update(changed)
    assert str(refused.value).endswith('Service "web" is invalid: spec.healthCheckNodePort: '
                                       "Forbidden: field is immutable")
    with pytest.raises(ValueError, match="Forbidden: field is immutable"):
        cluster.dry_run_update(changed)
    assert cluster.get("Service", "default", "web")["spec"] == stored["spec"]
    cluster.update(service("LoadBalancer", **LOCAL_LB))
    assert cluster.get("Service", "default", "web")["spec"]["healthCheckNodePort"] == held


class _DrawsThe(random.Random):
    """A random source whose ``choice`` picks ``port`` whenever it is among the choices (the
    first choice otherwise): the draw an update of a Service must not be able to make."""

    def __init__(self, port: int) -> None:
        super().__init__(0)
        self.port = port

    def choice(self, free):
        return next((p for p in free if p == self.port), free[0])


def test_an_update_keeps_its_health_check_node_port_out_of_the_new_ports_draw() -> None:
    """An update released the Service's ports and drew the new ports' node ports before
    taking the kept health check node port again, so a draw of that very port failed the
    update with "provided port is already allocated" (a 500). The kept ports are held for
    the Service while the new ones are drawn."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(service("LoadBalancer", **LOCAL_LB))
    held = cluster.get("Service", "default", "web")["spec"]["healthCheckNodePort"]
    cluster.rng = _DrawsThe(held)
    cluster.apply(service("LoadBalancer", ports=[{"port": 80, "name": "http"},
                                                 {"port": 443, "name": "https"}], **LOCAL_LB))
    spec = cluster.get("Service", "default", "web")["spec"]
    assert spec["healthCheckNodePort"] == held
    assert held not in [port["nodePort"] for port in spec["ports"]]
