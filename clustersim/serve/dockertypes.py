"""The Go types of the bodies the Docker daemon reads, as Engine 25.0.6 declares them (moby
``api/types`` at v25.0.6), for :mod:`~clustersim.serve.dockerjson`, whose decoder checks a
body against them and names a value of the wrong type as Go's ``encoding/json`` does.

One table, :data:`STRUCTS`: each struct type by the name ``reflect.Type.String()`` gives it
(``swarm.ServiceSpec``), with its fields by their JSON names and their Go types, written as
Go writes a type (``[]string``, ``*swarm.RestartPolicy``, ``map[string]string``). moby's
swarm types carry no JSON names of their own (their tags only add ``omitempty``), so a
field's JSON name is its Go name; the exceptions are tagged here as upstream tags them
(``AuxiliaryAddresses``, a plugin spec's lower-case protobuf names). An embedded struct's
fields are listed in the struct that embeds it, as Go's decoder promotes them
(``Annotations``' ``Name`` and ``Labels`` are a ``ServiceSpec``'s). :data:`NAMED` gives the
kind behind each named type that is no struct (``time.Duration`` is an ``int64``).

Sources, each at v25.0.6: ``api/types/swarm/service.go`` (``ServiceSpec``, ``ServiceMode``,
``UpdateConfig``), ``task.go`` (``TaskSpec``, ``Resources``, ``Placement``,
``RestartPolicy``), ``container.go`` (``ContainerSpec``, ``Privileges``), ``network.go``
(``EndpointSpec``, ``PortConfig``, ``NetworkAttachmentConfig``), ``common.go``
(``Annotations``, ``Driver``), ``secret.go`` and ``config.go`` (the specs and their
references), ``node.go`` (``NodeSpec``), ``swarm.go`` (the swarm's ``Spec`` and its configs, and the
bodies of ``/swarm/init``, ``join`` and ``unlock``: ``InitRequest``, ``JoinRequest``,
``UnlockRequest``), ``runtime/plugin.pb.go`` (``PluginSpec``);
``api/types/container/config.go`` (``HealthConfig``), ``api/types/mount/mount.go``,
``api/types/network/ipam.go`` and ``api/types/types.go`` (``NetworkCreateRequest``), and
docker/go-units ``ulimit.go``.
"""

from __future__ import annotations

__all__ = ["NAMED", "STRUCTS"]

_DRIVER = {"Name": "string", "Options": "map[string]string"}
_UPDATE = {"Parallelism": "uint64", "Delay": "time.Duration", "FailureAction": "string",
           "Monitor": "time.Duration", "MaxFailureRatio": "float32", "Order": "string"}
_RESOURCES = {"NanoCPUs": "int64", "MemoryBytes": "int64"}

STRUCTS: dict[str, dict[str, str]] = {
    "swarm.ServiceSpec": {
        "Name": "string", "Labels": "map[string]string", "TaskTemplate": "swarm.TaskSpec",
        "Mode": "swarm.ServiceMode", "UpdateConfig": "*swarm.UpdateConfig",
        "RollbackConfig": "*swarm.UpdateConfig",
        "Networks": "[]swarm.NetworkAttachmentConfig", "EndpointSpec": "*swarm.EndpointSpec"},
    "swarm.ServiceMode": {
        "Replicated": "*swarm.ReplicatedService", "Global": "*swarm.GlobalService",
        "ReplicatedJob": "*swarm.ReplicatedJob", "GlobalJob": "*swarm.GlobalJob"},
    "swarm.ReplicatedService": {"Replicas": "*uint64"},
    "swarm.GlobalService": {},
    "swarm.ReplicatedJob": {"MaxConcurrent": "*uint64", "TotalCompletions": "*uint64"},
    "swarm.GlobalJob": {},
    "swarm.UpdateConfig": _UPDATE,
    "swarm.TaskSpec": {
        "ContainerSpec": "*swarm.ContainerSpec", "PluginSpec": "*runtime.PluginSpec",
        "Resources": "*swarm.ResourceRequirements", "RestartPolicy": "*swarm.RestartPolicy",
        "Placement": "*swarm.Placement", "Networks": "[]swarm.NetworkAttachmentConfig",
        "LogDriver": "*swarm.Driver", "ForceUpdate": "uint64", "Runtime": "swarm.RuntimeType"},
    "swarm.ResourceRequirements": {
        "Limits": "*swarm.Limit", "Reservations": "*swarm.Resources"},
    "swarm.Limit": {**_RESOURCES, "Pids": "int64"},
    "swarm.Resources": {**_RESOURCES, "GenericResources": "[]swarm.GenericResource"},
    "swarm.GenericResource": {
        "NamedResourceSpec": "*swarm.NamedGenericResource",
        "DiscreteResourceSpec": "*swarm.DiscreteGenericResource"},
    "swarm.NamedGenericResource": {"Kind": "string", "Value": "string"},
    "swarm.DiscreteGenericResource": {"Kind": "string", "Value": "int64"},
    "swarm.RestartPolicy": {
        "Condition": "swarm.RestartPolicyCondition", "Delay": "*time.Duration",
        "MaxAttempts": "*uint64", "Window": "*time.Duration"},
    "swarm.Placement": {
        "Constraints": "[]string", "Preferences": "[]swarm.PlacementPreference",
        "MaxReplicas": "uint64", "Platforms": "[]swarm.Platform"},
    "swarm.PlacementPreference": {"Spread": "*swarm.SpreadOver"},
    "swarm.SpreadOver": {"SpreadDescriptor": "string"},
    "swarm.Platform": {"Architecture": "string", "OS": "string"},
    "swarm.Driver": _DRIVER,
    "swarm.NetworkAttachmentConfig": {
        "Target": "string", "Aliases": "[]string", "DriverOpts": "map[string]string"},
    "swarm.EndpointSpec": {"Mode": "swarm.ResolutionMode", "Ports": "[]swarm.PortConfig"},
    "swarm.PortConfig": {
        "Name": "string", "Protocol": "swarm.PortConfigProtocol", "TargetPort": "uint32",
        "PublishedPort": "uint32", "PublishMode": "swarm.PortConfigPublishMode"},
    "swarm.ContainerSpec": {
        "Image": "string", "Labels": "map[string]string", "Command": "[]string",
        "Args": "[]string", "Hostname": "string", "Env": "[]string", "Dir": "string",
        "User": "string", "Groups": "[]string", "Privileges": "*swarm.Privileges",
        "Init": "*bool", "StopSignal": "string", "TTY": "bool", "OpenStdin": "bool",
        "ReadOnly": "bool", "Mounts": "[]mount.Mount", "StopGracePeriod": "*time.Duration",
        "Healthcheck": "*container.HealthConfig", "Hosts": "[]string",
        "DNSConfig": "*swarm.DNSConfig", "Secrets": "[]*swarm.SecretReference",
        "Configs": "[]*swarm.ConfigReference", "Isolation": "container.Isolation",
        "Sysctls": "map[string]string", "CapabilityAdd": "[]string",
        "CapabilityDrop": "[]string", "Ulimits": "[]*units.Ulimit"},
    "swarm.Privileges": {
        "CredentialSpec": "*swarm.CredentialSpec", "SELinuxContext": "*swarm.SELinuxContext",
        "Seccomp": "*swarm.SeccompOpts", "AppArmor": "*swarm.AppArmorOpts",
        "NoNewPrivileges": "bool"},
    "swarm.CredentialSpec": {"Config": "string", "File": "string", "Registry": "string"},
    "swarm.SELinuxContext": {"Disable": "bool", "User": "string", "Role": "string",
                             "Type": "string", "Level": "string"},
    "swarm.SeccompOpts": {"Mode": "swarm.SeccompMode", "Profile": "[]uint8"},
    "swarm.AppArmorOpts": {"Mode": "swarm.AppArmorMode"},
    "swarm.DNSConfig": {"Nameservers": "[]string", "Search": "[]string",
                        "Options": "[]string"},
    "swarm.SecretReference": {"File": "*swarm.SecretReferenceFileTarget",
                              "SecretID": "string", "SecretName": "string"},
    "swarm.SecretReferenceFileTarget": {"Name": "string", "UID": "string", "GID": "string",
                                        "Mode": "os.FileMode"},
    "swarm.ConfigReference": {"File": "*swarm.ConfigReferenceFileTarget",
                              "Runtime": "*swarm.ConfigReferenceRuntimeTarget",
                              "ConfigID": "string", "ConfigName": "string"},
    "swarm.ConfigReferenceFileTarget": {"Name": "string", "UID": "string", "GID": "string",
                                        "Mode": "os.FileMode"},
    "swarm.ConfigReferenceRuntimeTarget": {},
    "container.HealthConfig": {
        "Test": "[]string", "Interval": "time.Duration", "Timeout": "time.Duration",
        "StartPeriod": "time.Duration", "StartInterval": "time.Duration", "Retries": "int"},
    "mount.Mount": {
        "Type": "mount.Type", "Source": "string", "Target": "string", "ReadOnly": "bool",
        "Consistency": "mount.Consistency", "BindOptions": "*mount.BindOptions",
        "VolumeOptions": "*mount.VolumeOptions", "TmpfsOptions": "*mount.TmpfsOptions",
        "ClusterOptions": "*mount.ClusterOptions"},
    "mount.BindOptions": {
        "Propagation": "mount.Propagation", "NonRecursive": "bool",
        "CreateMountpoint": "bool", "ReadOnlyNonRecursive": "bool",
        "ReadOnlyForceRecursive": "bool"},
    "mount.VolumeOptions": {"NoCopy": "bool", "Labels": "map[string]string",
                            "DriverConfig": "*mount.Driver"},
    "mount.Driver": _DRIVER,
    "mount.TmpfsOptions": {"SizeBytes": "int64", "Mode": "os.FileMode"},
    "mount.ClusterOptions": {},
    "units.Ulimit": {"Name": "string", "Hard": "int64", "Soft": "int64"},
    "runtime.PluginSpec": {
        "name": "string", "remote": "string", "privileges": "[]*runtime.PluginPrivilege",
        "disabled": "bool", "env": "[]string"},
    "runtime.PluginPrivilege": {"name": "string", "description": "string",
                                "value": "[]string"},
    "swarm.NodeSpec": {
        "Name": "string", "Labels": "map[string]string", "Role": "swarm.NodeRole",
        "Availability": "swarm.NodeAvailability"},
    "swarm.SecretSpec": {
        "Name": "string", "Labels": "map[string]string", "Data": "[]uint8",
        "Driver": "*swarm.Driver", "Templating": "*swarm.Driver"},
    "swarm.ConfigSpec": {
        "Name": "string", "Labels": "map[string]string", "Data": "[]uint8",
        "Templating": "*swarm.Driver"},
    "types.NetworkCreateRequest": {
        "CheckDuplicate": "bool", "Driver": "string", "Scope": "string",
        "EnableIPv6": "*bool", "IPAM": "*network.IPAM", "Internal": "bool",
        "Attachable": "bool", "Ingress": "bool", "ConfigOnly": "bool",
        "ConfigFrom": "*network.ConfigReference", "Options": "map[string]string",
        "Labels": "map[string]string", "Name": "string"},
    "network.IPAM": {"Driver": "string", "Options": "map[string]string",
                     "Config": "[]network.IPAMConfig"},
    "network.IPAMConfig": {"Subnet": "string", "IPRange": "string", "Gateway": "string",
                           "AuxiliaryAddresses": "map[string]string"},
    "network.ConfigReference": {"Network": "string"},
    "swarm.InitRequest": {
        "ListenAddr": "string", "AdvertiseAddr": "string", "DataPathAddr": "string",
        "DataPathPort": "uint32", "ForceNewCluster": "bool", "Spec": "swarm.Spec",
        "AutoLockManagers": "bool", "Availability": "swarm.NodeAvailability",
        "DefaultAddrPool": "[]string", "SubnetSize": "uint32"},
    "swarm.JoinRequest": {
        "ListenAddr": "string", "AdvertiseAddr": "string", "DataPathAddr": "string",
        "RemoteAddrs": "[]string", "JoinToken": "string",
        "Availability": "swarm.NodeAvailability"},
    "swarm.UnlockRequest": {"UnlockKey": "string"},
    "swarm.Spec": {
        "Name": "string", "Labels": "map[string]string",
        "Orchestration": "swarm.OrchestrationConfig", "Raft": "swarm.RaftConfig",
        "Dispatcher": "swarm.DispatcherConfig", "CAConfig": "swarm.CAConfig",
        "TaskDefaults": "swarm.TaskDefaults", "EncryptionConfig": "swarm.EncryptionConfig"},
    "swarm.OrchestrationConfig": {"TaskHistoryRetentionLimit": "*int64"},
    "swarm.RaftConfig": {
        "SnapshotInterval": "uint64", "KeepOldSnapshots": "*uint64",
        "LogEntriesForSlowFollowers": "uint64", "ElectionTick": "int", "HeartbeatTick": "int"},
    "swarm.DispatcherConfig": {"HeartbeatPeriod": "time.Duration"},
    "swarm.CAConfig": {
        "NodeCertExpiry": "time.Duration", "ExternalCAs": "[]*swarm.ExternalCA",
        "SigningCACert": "string", "SigningCAKey": "string", "ForceRotate": "uint64"},
    "swarm.ExternalCA": {"Protocol": "swarm.ExternalCAProtocol", "URL": "string",
                         "Options": "map[string]string", "CACert": "string"},
    "swarm.TaskDefaults": {"LogDriver": "*swarm.Driver"},
    "swarm.EncryptionConfig": {"AutoLockManagers": "bool"},
}
"""Each struct type of a body, by Go's name for it: its fields' JSON names and Go types."""

NAMED: dict[str, str] = {
    "time.Duration": "int64", "os.FileMode": "uint32",
    **dict.fromkeys((
        "swarm.RuntimeType", "swarm.RestartPolicyCondition", "swarm.ResolutionMode",
        "swarm.PortConfigProtocol", "swarm.PortConfigPublishMode", "swarm.SeccompMode",
        "swarm.AppArmorMode", "swarm.NodeRole", "swarm.NodeAvailability",
        "swarm.ExternalCAProtocol",
        "container.Isolation", "mount.Type", "mount.Consistency", "mount.Propagation"),
        "string")}
"""The kind behind each named type that is no struct."""
