"""Tiny hostile inputs cost little and end in a ManifestError, never a traceback (issue 16).

Each case is a few bytes that used to cost gigabytes, minutes or a ``RecursionError``: a port
range expanded before its bounds were checked, an alias budget counted per document, a
``Fraction`` raised to a huge power, a quantity formatted digit by digit, an alias inside its
own anchor, a JSON number that Python reads as infinity.
"""

from __future__ import annotations

import pytest

from clustersim import ManifestError, format_quantity, load_manifests, parse_quantity
from clustersim.manifests.compose import MAX_PORTS
from clustersim.manifests.safe_yaml import MAX_NODES
from clustersim.manifests.units import compose_cpus


def service(extra: str) -> str:
    return "services:\n  web:\n    image: nginx\n" + "".join(
        f"    {line}\n" for line in extra.splitlines()
    )


def test_port_range_bounds_are_checked_before_expansion() -> None:
    with pytest.raises(ManifestError, match="outside 1-65535") as info:
        load_manifests(service("ports: ['1-300000000:1-300000000']"))
    assert info.value.path == "services.web.ports[0]"
    with pytest.raises(ManifestError, match="outside 1-65535"):
        load_manifests(service("ports: ['8080-" + "9" * 5000 + "']"))


def test_port_entries_of_a_stack_are_bounded() -> None:
    [spec] = load_manifests(service("ports: ['1-65535']"))
    assert len(spec.manifest["services"]["web"]["ports"]) == MAX_PORTS
    text = service("ports: ['1-65535', '80']")
    with pytest.raises(ManifestError, match=f"past {MAX_PORTS} ports") as info:
        load_manifests(text)
    assert info.value.path == "services.web.ports[1]"
    many = "services:\n" + "".join(
        f"  s{i}:\n    image: nginx\n    ports: ['1-40000']\n" for i in range(40)
    )
    with pytest.raises(ManifestError, match="past 65535 ports") as info:
        load_manifests(many)
    assert info.value.path == "services.s1.ports[0]"



def test_port_entries_are_bounded_over_every_stack_of_a_source() -> None:
    """A 4 MB text holds thousands of small stacks: counted per stack, forty bytes each
    could still expand to 65,535 entries."""
    stacks = "---\n".join("services:\n  web:\n    image: nginx\n    ports: ['1-40000:80']\n"
                          for _ in range(2))
    with pytest.raises(ManifestError, match="past 65535 ports") as info:
        load_manifests(stacks)
    assert info.value.path == "services.web.ports[0]" and info.value.line is not None

BOMB = (
    "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: [*d, *d]\n"
)  # about 22,000 values: one is fine, a dozen together are over the budget


def test_a_huge_value_is_described_not_printed_in_the_message() -> None:
    with pytest.raises(ManifestError, match="kind is a list") as info:
        load_manifests(BOMB.replace("e: [", "apiVersion: v1\nkind: ["))
    assert len(str(info.value)) < 300


def test_alias_budget_belongs_to_the_whole_stream() -> None:
    with pytest.raises(ManifestError, match="cannot tell which system"):
        load_manifests(BOMB)  # one document: within budget, then not a manifest
    text = "\n---\n".join([BOMB] * (MAX_NODES // 20_000 + 2))
    with pytest.raises(ManifestError, match=f"more than {MAX_NODES} values") as info:
        load_manifests(text)
    assert info.value.line is not None and info.value.line > 1


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",
        "a: &a {b: *a}\n",
        "a: &a {<<: *a}\n",
        "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 3000)),
    ],
    ids=["self-list", "self-map", "self-merge", "chain-3000"],
)
def test_recursive_and_chained_aliases_are_refused(text: str) -> None:
    with pytest.raises(ManifestError, match="nests deeper than 64 levels"):
        load_manifests(text)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e99999999", "too large"),
        ("1e-99999999", "too precise"),
        ("1e" + "9" * 40, "too large"),
        ("1/0", "failed to parse"),
        ("1" + "0" * 5000, "failed to parse"),
        ("1e10", "too large"),
    ],
)
def test_compose_cpus_are_bounded(value: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        compose_cpus(value)
    with pytest.raises(ManifestError, match=words):
        load_manifests(service(f"deploy: {{resources: {{limits: {{cpus: '{value}'}}}}}}"))


def test_compose_cpus_at_the_bound_still_load() -> None:
    assert compose_cpus("1e9") == 10**9
    assert compose_cpus("0e999999999999") == 0


def test_format_quantity_costs_digits_not_exponents() -> None:
    assert format_quantity(parse_quantity("1e999999")) == "1e999999"
    assert format_quantity(parse_quantity("12e60")) == "12e60"
    assert format_quantity(parse_quantity("12e30")) == "12e30"
    assert format_quantity(parse_quantity("1.5")) == "1500m"
    assert format_quantity(parse_quantity("1Gi"), binary=True) == "1Gi"


def test_json_number_out_of_range_is_refused_not_infinity() -> None:
    """The number is named as written, and what Marathon's reader makes of it (Play JSON:
    Infinity), not Python's ``inf``."""
    with pytest.raises(ManifestError, match="out of range") as info:
        load_manifests('{"id": "/a", "cmd": "sleep 1", "cpus": 1e400}')
    assert info.value.path == "cpus"
    assert info.value.message.startswith("the number 1e400 is out of range")
    assert "Marathon's Play JSON reads it as Infinity" in info.value.message
    assert "Python" not in info.value.message
    with pytest.raises(ManifestError, match="finite number"):
        load_manifests({"id": "/a", "cmd": "sleep 1", "cpus": float("inf")})


def test_yaml_float_out_of_range_stays_a_string_as_in_go_yaml() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {size: 1e400}}\nspec:\n"
        "  containers:\n  - name: c\n    image: x\n"
    )
    [pod] = load_manifests(text)
    assert pod.manifest["metadata"]["annotations"]["size"] == "1e400"


def test_environment_values_become_text_or_are_refused() -> None:
    text = "services:\n  web: {image: 'nginx:${N}', deploy: {replicas: '${R}'}}\n"
    [spec] = load_manifests(text, environment={"N": 2, "R": 3})
    assert spec.manifest["services"]["web"]["image"] == "nginx:2"
    assert spec.manifest["services"]["web"]["deploy"]["replicas"] == 3
    with pytest.raises(ManifestError, match="the variable 'N'") as info:
        load_manifests(text, environment={"N": [1], "R": 3})
    assert info.value.source == "<environment>"
    with pytest.raises(ManifestError, match="environment is a list"):
        load_manifests(text, environment=["N=2"])


def test_integers_beyond_64_bits_are_read_as_go_yaml_reads_them() -> None:
    """go-yaml reads an integer too large for 64 bits as a float when it is written in
    decimal, else as a string: a 4,000-digit hex count loaded as a Python int and then broke
    Python's int-to-text limit inside the simulator."""
    huge = "0x" + "f" * 4000
    with pytest.raises(ManifestError) as caught:
        load_manifests(f"id: /a\ncmd: x\ncpus: 0.1\nmem: 32\ninstances: {huge}\n", name="a.yaml")
    assert (caught.value.line, caught.value.path) == (5, "instances")
    assert "is not valid: error.expected.jsnumber" in caught.value.message   # Play's words
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {n: %s}}\n"
    with pytest.raises(ManifestError, match=r"cannot unmarshal number into Go struct field "
                       r"ObjectMeta\.metadata\.annotations of type string"):  # as in go-yaml
        load_manifests(text % (2**70))
    [spec] = load_manifests(text % f"'{2**70}'")
    assert spec.manifest["metadata"]["annotations"]["n"] == str(2**70)


@pytest.mark.parametrize(("field", "number", "go_type"), [
    ("priority", 2**31, "int32"),                    # had been "must be less than or equal"
    ("activeDeadlineSeconds", 2**63, "int64"),
    ("priority", -(2**31) - 1, "int32"),
])
def test_an_integer_its_go_field_cannot_hold_is_the_decoders_error(field, number,
                                                                   go_type) -> None:
    """encoding/json's ``literalStore`` refuses a number that overflows its Go integer
    field before any validation (golang/go ``src/encoding/json/decode.go``): the loader
    words it as the API server's decoder does, and a number that fits loads."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {field: number, "containers": [{"name": "c", "image": "nginx"}]}}
    with pytest.raises(ManifestError) as caught:
        load_manifests(pod)
    assert caught.value.message == (f"cannot unmarshal number {number} into Go struct field "
                                    f"PodSpec.spec.{field} of type {go_type}")
    pod["spec"][field] = 7
    load_manifests(pod)


def test_a_json_number_is_named_as_it_was_written() -> None:
    """A JSON manifest's number keeps its text, which the decoder's error names as
    encoding/json does (``number 1E2``; Python's ``100.0`` had been named)."""
    text = ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": '
            '{"priority": 1E2, "containers": [{"name": "c", "image": "nginx"}]}}')
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.message == ("cannot unmarshal number 1E2 into Go struct field "
                                    "PodSpec.spec.priority of type int32")


def test_a_json_number_with_thousands_of_digits_is_named_without_python_advice() -> None:
    with pytest.raises(ManifestError) as caught:
        load_manifests('{"id": "/a", "cmd": "x", "instances": ' + "9" * 5000 + "}", name="a.json")
    assert "more digits than Python reads" in caught.value.message
    assert "set_int_max_str_digits" not in str(caught.value)
