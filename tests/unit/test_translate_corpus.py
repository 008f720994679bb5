"""Every real Swarm stack and Marathon file translates to Kubernetes objects that pass the API
schemas, with everything left out reported; files the loaders refuse fail with a readable
ManifestError, never a traceback from inside the translation."""

from __future__ import annotations

import pytest

from clustersim import ManifestError, load_manifests
from clustersim.translate import marathon_to_kubernetes, stack_to_kubernetes
from tests.conftest import corpus_params

TRANSLATE = {"swarm": stack_to_kubernetes, "marathon": marathon_to_kubernetes}


def check(system: str, path) -> None:
    try:
        specs = load_manifests(path)
    except ManifestError as err:
        with pytest.raises(ManifestError, match=path.name):
            TRANSLATE[system](path)
        assert str(err)
        return
    result = TRANSLATE[system](specs if system == "marathon" else specs[0])
    assert result.validate() == [], result.yaml()
    for finding in result.findings:
        assert finding.message and finding.field
    # every workload becomes a Deployment, StatefulSet or DaemonSet, or is reported as one
    # that could not be emitted (no image, a Marathon pod)
    workloads = [o for o in result.objects
                 if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet")]
    not_emitted = [f for f in result.untranslatable()
                   if f.field in ("image", "container", "containers")]
    assert len(workloads) + len(not_emitted) == len(specs.workloads()), result.report()


@pytest.mark.parametrize("path", corpus_params("swarm"))
def test_real_stack_translates(path):
    check("swarm", path)


@pytest.mark.parametrize("path", corpus_params("marathon"))
def test_real_marathon_file_translates(path):
    check("marathon", path)
