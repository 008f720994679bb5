"""``python -m clustersim.translate``: manifests on stdout, the report on stderr, exit codes."""

from __future__ import annotations

import yaml

from clustersim.examples import example_path
from clustersim.translate.__main__ import main


def test_stack_to_stdout_report_to_stderr(capsys):
    assert main([str(example_path("swarm")), "--node-label",
                 "zone=topology.kubernetes.io/zone"]) == 0
    out, err = capsys.readouterr()
    objects = list(yaml.safe_load_all(out))
    api = next(o for o in objects if o["metadata"]["name"] == "api")
    assert api["spec"]["template"]["spec"]["topologySpreadConstraints"][0]["topologyKey"] == \
        "topology.kubernetes.io/zone"
    assert "db: ports: untranslatable" in err


def test_marathon_file(capsys):
    assert main([str(example_path("marathon"))]) == 0
    out, err = capsys.readouterr()
    assert "kind: StatefulSet" in out and "/shop/web: dependencies" in err


def test_kubernetes_input_and_missing_file_exit_2(capsys):
    assert main([str(example_path("kubernetes"))]) == 2
    assert "needs no translation" in capsys.readouterr().err
    assert main(["/no/such/stack.yml"]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_any_failure_is_one_line_on_stderr(capsys, monkeypatch, tmp_path):
    """Regression test: errors other than ManifestError, ValueError and OSError escaped as
    tracebacks."""
    import clustersim.translate.__main__ as cli

    def broken(*_args, **_kwargs):
        raise KeyError("spec")

    monkeypatch.setattr(cli, "marathon_to_kubernetes", broken)
    assert main([str(example_path("marathon"))]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == "error: KeyError: 'spec'\n"
    assert main([str(tmp_path)]) == 2           # a folder, not a file
    assert capsys.readouterr().err.count("\n") == 1
