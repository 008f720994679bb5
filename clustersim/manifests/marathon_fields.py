"""The field names of Marathon's app types, as its RAML declares them: what an app's keys are
compared with to tell a key Marathon ignores from one it reads.

Marathon 1.4 and later read a posted app with the JSON reader generated from these types
(d2iq-archive/marathon ``type-generator/src/main/scala/mesosphere/raml/backend/treehugger/
ObjectVisitor.scala``: each declared field is read by its name and no other key is looked
at), and ``App`` in ``docs/docs/rest-api/public/api/v2/types/app.raml`` declares no
``additionalProperties: false``: a key of no field is dropped without a word, and the app
Marathon stores and returns has no trace of it. (The JSON schema published beside the RAML,
``docs/docs/rest-api/public/api/v2/schema/AppDefinition.json``, says
``"additionalProperties": false``, but the server does not validate against it; issues 2341
and 2564, 2015, report the older server ignoring such keys too.)

The names: ``App`` (``app.raml``), ``Container``, ``DockerContainer`` and
``ContainerPortMapping`` (``appContainer.raml``), ``UpgradeStrategy`` (``app.raml``). Only the
app's own fields are complete here: a nested type may have gained a field in a later release
than the RAML read (``docs/docs/rest-api/public/api/v2/types/``), so a nested key missing from
:data:`NESTED_FIELDS` is only a likely typo when it is close to one of them.
"""

from __future__ import annotations

__all__ = ["APP_FIELDS", "NESTED_FIELDS"]

APP_FIELDS = ("id", "cmd", "args", "user", "env", "instances", "cpus", "mem", "disk", "gpus",
              "executor", "constraints", "uris", "fetch", "storeUrls", "backoffSeconds",
              "backoffFactor", "maxLaunchDelaySeconds", "container", "healthChecks",
              "readinessChecks", "dependencies", "upgradeStrategy", "labels",
              "acceptedResourceRoles", "ipAddress", "residency", "secrets",
              "taskKillGracePeriodSeconds", "unreachableStrategy", "killSelection",
              "portDefinitions", "requirePorts", "networks", "role", "ports", "version",
              "versionInfo")
"""Every field of the RAML ``App``, in the order the served API writes the ones it returns
(``ports``, ``version`` and ``versionInfo`` last: ``ports`` is read into
``portDefinitions``, and the two versions are written from the stored version)."""

_PORT_MAPPING = ("containerPort", "hostPort", "labels", "name", "protocol", "servicePort")

NESTED_FIELDS: dict[str, tuple[str, ...]] = {
    "container": ("type", "docker", "appc", "volumes", "portMappings"),
    "container.docker": ("credential", "forcePullImage", "image", "network", "parameters",
                         "portMappings", "privileged"),
    "container.portMappings[]": _PORT_MAPPING,
    "container.docker.portMappings[]": _PORT_MAPPING,
    "upgradeStrategy": ("maximumOverCapacity", "minimumHealthCapacity"),
}
"""The fields of the nested objects a learner writes most, by their place in an app (``[]``
for each item of a list)."""
