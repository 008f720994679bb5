"""``load_manifests``: every kind of source, dialect detection and the error's shape."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from clustersim import ManifestError, ManifestSet, load_manifests

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web"},
    "spec": {"containers": [{"name": "web", "image": "nginx"}]},
}
APP = {"id": "web", "cmd": "sleep 100", "cpus": 0.5, "mem": 64}
STACK = {"services": {"web": {"image": "nginx", "ports": ["8080:80"]}}}


@pytest.mark.parametrize(
    ("source", "system", "kind", "name"),
    [
        (POD, "kubernetes", "Pod", "web"),
        (APP, "marathon", "App", "/web"),
        ({"apps": [APP]}, "marathon", "Group", "/"),
        (
            {"id": "/g", "containers": [{"name": "c", "resources": {"cpus": 1, "mem": 32}}]},
            "marathon",
            "Pod",
            "/g",
        ),
        (STACK, "swarm", "Stack", "stack"),
    ],
)
def test_dialects_are_detected(source, system: str, kind: str, name: str) -> None:
    [spec] = load_manifests(source)
    assert (spec.system, spec.kind, spec.name) == (system, kind, name)
    assert spec.simulated


def test_every_kind_of_source(tmp_path: Path) -> None:
    path = tmp_path / "web.yaml"
    path.write_text(json.dumps(POD))
    for source in (path, str(path), json.dumps(POD), POD, [POD]):
        specs = load_manifests(source)
        assert isinstance(specs, ManifestSet)
        assert [s.name for s in specs] == ["web"]
    assert load_manifests(path)[0].source == "web.yaml"
    assert load_manifests(json.dumps(POD))[0].source == "<string>"
    assert load_manifests(json.dumps(POD), name="lab-1")[0].source == "lab-1"


def test_stack_is_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "shop.yml"
    path.write_text(json.dumps(STACK))
    assert load_manifests(path)[0].name == "shop"


def test_manifest_is_a_deep_copy() -> None:
    source = json.loads(json.dumps(POD))
    [spec] = load_manifests(source)
    spec.manifest["metadata"]["name"] = "changed"
    assert source["metadata"]["name"] == "web"
    assert load_manifests(source)[0].manifest == POD


def test_a_list_of_dicts_mixes_dialects_in_order() -> None:
    specs = load_manifests([POD, APP])
    assert [s.system for s in specs] == ["kubernetes", "marathon"]


def test_missing_file_is_a_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="cannot be read"):
        load_manifests(tmp_path / "absent.yaml")


@pytest.mark.parametrize("source", ["just a sentence", "- 1\n- 2\n", {"hello": "world"}, 42])
def test_unrecognised_input(source) -> None:
    with pytest.raises(ManifestError) as info:
        load_manifests(source)
    assert isinstance(info.value, ValueError)
    assert str(info.value).endswith(".")


def test_error_reads_as_one_sentence_and_keeps_its_fields() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n"
        "    resources:\n      requests:\n        cpu: lots\n"
    )
    with pytest.raises(ManifestError) as info:
        load_manifests(text, name="web.yaml")
    error = info.value
    assert (error.source, error.line) == ("web.yaml", 10)
    assert error.path == "spec.containers[0].resources.requests.cpu"
    assert str(error).startswith("web.yaml, line 10, spec.containers[0].resources.requests.cpu: ")
    assert "'lots'" in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.line, copy.path, str(copy)) == (
        error.source,
        error.line,
        error.path,
        str(error),
    )


def test_data_with_python_objects_is_refused() -> None:
    with pytest.raises(ManifestError, match="set"):
        load_manifests({**POD, "metadata": {"name": "web", "labels": {1, 2}}})


def test_one_line_yaml_that_ends_like_a_file_name_is_text() -> None:
    # YAML's flow style (a Marathon app so written is refused: Marathon reads JSON only)
    [spec] = load_manifests("{services: {web: {image: nginx}}} # see stack.yaml")
    assert spec.system == "swarm"
    with pytest.raises(ManifestError, match="cannot be read"):
        load_manifests("no-such-file.yaml")


def test_specs_pass_through_and_can_be_looked_up() -> None:
    specs = load_manifests([POD, APP])
    assert load_manifests(specs) == specs
    assert load_manifests(specs[0]) == [specs[0]]
    assert specs.named("/web").kind == "App"
    assert specs.of_kind("Pod") == [specs[0]]
    with pytest.raises(ValueError, match="0 specs are named 'db'"):
        specs.named("db")


def test_a_folder_loads_every_manifest_file_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b-app.json").write_text(json.dumps(APP))
    (tmp_path / "a-pod.yaml").write_text(json.dumps(POD))
    (tmp_path / "notes.txt").write_text("not a manifest")
    specs = load_manifests(tmp_path)
    assert [(s.source, s.kind) for s in specs] == [("a-pod.yaml", "Pod"), ("b-app.json", "App")]


def test_workload_describes_itself_in_one_line() -> None:
    [app] = load_manifests({**APP, "instances": 3}).workloads()
    assert app.describe() == "/web (App): 3 replicas, 0.5 CPU and 64 MiB each"


def test_yaml_quoting_advice_is_given_for_text_only() -> None:
    """A number where a string belongs: YAML text is told to quote it; a Python dict, where
    quoting is not what went wrong, is told only what was expected."""
    app = {"id": "/a", "cmd": "x", "constraints": [["rack", "GROUP_BY", 3]]}
    with pytest.raises(ManifestError) as from_dict:
        load_manifests(app, name="/a")
    assert str(from_dict.value).endswith("(expected a string).")
    with pytest.raises(ManifestError) as from_text:
        load_manifests("id: /a\ncmd: x\nconstraints: [[rack, GROUP_BY, 3]]\n")
    assert 'in YAML, quote values such as "1.0"' in str(from_text.value)
