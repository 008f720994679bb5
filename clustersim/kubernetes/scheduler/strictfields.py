"""The fields kube-scheduler knows in its configuration file, and the ones it refuses.

kube-scheduler reads ``--config`` with a strict decoder: its scheme's codec factory is made
with ``serializer.EnableStrict`` (kubernetes/kubernetes ``pkg/scheduler/apis/config/scheme/
scheme.go``), and ``loadConfig`` (``cmd/kube-scheduler/app/options/configfile.go``) returns the
decoder's error as it is, so a misspelt field stops the scheduler with
``strict decoding error: unknown field "profiles[0].pluginConfigs"`` (apimachinery's
``runtime.NewStrictDecodingError``: every unknown field, comma-separated, each named by its
path). A plugin's ``args`` are decoded the same way into the plugin's own Args type
(``DecodeNestedObjects`` in ``staging/src/k8s.io/kube-scheduler/config/v1/types.go``), whose
error is wrapped as ``decoding .profiles[0].pluginConfig[0]: decoding args for plugin
NodeResourcesFit: strict decoding error: unknown field "scoringStratgy"``; a plugin with no
Args type of its own takes any args.

The field names are those of ``k8s.io/kube-scheduler/config/v1`` (``types.go``,
``types_pluginargs.go``) without the feature-gated alpha fields. The nested configurations
that the simulator does not read (``leaderElection``, ``clientConnection``, ``extenders``, a
plugin's ``addedAffinity`` or ``defaultConstraints``) are not walked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["CONFIGURATION_ONLY", "unknown_fields"]

_TYPE_META = frozenset({"apiVersion", "kind"})
_POINTS = ("preEnqueue", "queueSort", "preFilter", "filter", "postFilter", "preScore", "score",
           "reserve", "permit", "preBind", "bind", "postBind", "multiPoint")
_RESOURCE_SPEC: dict[str, Any] = {"name": None, "weight": None}
_SHAPE_POINT: dict[str, Any] = {"utilization": None, "score": None}

#: Each type's fields: a field maps to the type of its value (a dict of fields; a list of one
#: such dict for a list of them) or to None when its value is not walked.
_PLUGIN_SET: dict[str, Any] = {"enabled": [{"name": None, "weight": None}],
                               "disabled": [{"name": None, "weight": None}]}
_PROFILE: dict[str, Any] = {
    "schedulerName": None, "percentageOfNodesToScore": None,
    "plugins": dict.fromkeys(_POINTS, _PLUGIN_SET),
    "pluginConfig": [{"name": None, "args": None}],
}
_CONFIGURATION: dict[str, Any] = {
    **dict.fromkeys(_TYPE_META), "parallelism": None, "leaderElection": None,
    "clientConnection": None, "enableProfiling": None, "enableContentionProfiling": None,
    "percentageOfNodesToScore": None, "podInitialBackoffSeconds": None,
    "podMaxBackoffSeconds": None, "profiles": [_PROFILE], "extenders": None,
    "delayCacheUntilActive": None,
}
CONFIGURATION_ONLY = frozenset(_CONFIGURATION) - frozenset(_PROFILE) - _TYPE_META
"""The fields only a whole KubeSchedulerConfiguration has: a document with one of them is
read as the whole configuration, not as one profile."""

_ARGS: dict[str, dict[str, Any]] = {
    "DefaultPreemption": {"minCandidateNodesPercentage": None,
                          "minCandidateNodesAbsolute": None},
    "InterPodAffinity": {"hardPodAffinityWeight": None,
                         "ignorePreferredTermsOfExistingPods": None},
    "NodeResourcesFit": {"ignoredResources": None, "ignoredResourceGroups": None,
                         "scoringStrategy": {"type": None, "resources": [_RESOURCE_SPEC],
                                             "requestedToCapacityRatio": {
                                                 "shape": [_SHAPE_POINT]}}},
    "PodTopologySpread": {"defaultConstraints": None, "defaultingType": None},
    "NodeResourcesBalancedAllocation": {"resources": [_RESOURCE_SPEC]},
    "VolumeBinding": {"bindTimeoutSeconds": None, "shape": [_SHAPE_POINT]},
    "NodeAffinity": {"addedAffinity": None},
}


def _walk(value: Any, fields: Any, path: str) -> list[str]:
    """The paths of the fields in ``value`` that its type ``fields`` does not have."""
    if isinstance(fields, list) and isinstance(value, list):
        return [found for i, item in enumerate(value)
                for found in _walk(item, fields[0], f"{path}[{i}]")]
    if not isinstance(fields, dict) or not isinstance(value, Mapping):
        return []
    found = []
    for key, item in value.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in fields:
            found.append(where)
        else:
            found += _walk(item, fields[key], where)
    return found


def _strict(paths: list[str]) -> str:
    return "strict decoding error: " + ", ".join(f'unknown field "{p}"' for p in paths)


def unknown_fields(config: Mapping[str, Any], *, whole: bool) -> str | None:
    """kube-scheduler's strict decoding error for ``config`` (the whole
    KubeSchedulerConfiguration when ``whole``, else one profile of it), or None when every
    field is known: the document's own unknown fields first, else those of the plugins'
    args."""
    paths = _walk(config, _CONFIGURATION if whole else {**_PROFILE, **dict.fromkeys(
        _TYPE_META)}, "")
    if paths:
        return _strict(paths)
    profiles = config.get("profiles") if whole else [config]
    args_errors = []
    for i, profile in enumerate(profiles if isinstance(profiles, list) else []):
        entries = profile.get("pluginConfig") if isinstance(profile, Mapping) else None
        where = f".profiles[{i}]" if whole else ""
        for j, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, Mapping) or entry.get("name") not in _ARGS:
                continue
            wrong = _walk(entry.get("args"), {**_ARGS[entry["name"]],
                                              **dict.fromkeys(_TYPE_META)}, "")
            if wrong:
                args_errors.append(f"decoding {where}.pluginConfig[{j}]: decoding args for "
                                   f"plugin {entry['name']}: {_strict(wrong)}")
    return "strict decoding error: " + ", ".join(args_errors) if args_errors else None
