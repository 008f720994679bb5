"""The comparison and decision widgets and their static renderings: accessible tables, every
string escaped, inline messages instead of tracebacks, controls that re-render the output."""

import re
from html.parser import HTMLParser
from importlib import resources

import pytest
import yaml

from clustersim.features import load_features, parse_features
from clustersim.viz.comparison import comparison_html, decision_figure, ranking_html
from clustersim.widgets.base import KERNEL_NOTE
from clustersim.widgets.comparison import comparison_app
from clustersim.widgets.decision import decision_app

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


class Tags(HTMLParser):
    """Records every start tag with its attributes, and the text inside each element kind."""

    def __init__(self, text):
        super().__init__()
        self.tags = []
        self.open = []
        self.text = {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "img", "input", "meta"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        for tag in self.open:
            self.text[tag] = self.text.get(tag, "") + data

    def all(self, tag):
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture
def raw():
    text = resources.files("clustersim").joinpath("data", "features.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@pytest.fixture
def hostile(raw):
    """The real data with hostile strings in every kind of text field."""
    raw["systems"]["swarm"]["name"] = "Swarm " + HOSTILE
    raw["categories"]["storage"]["title"] = "Storage " + HOSTILE
    feature = raw["categories"]["storage"]["features"]["persistent_storage"]
    feature["name"] = "Volumes " + HOSTILE
    cell = feature["cells"]["kubernetes"]
    cell["value"] = HOSTILE
    cell["note"] = "`" + HOSTILE + "`"
    cell["source"] = 'https://example.org/"onmouseover="alert(1)'
    cell["claim_2019"] = {"claim": HOSTILE, "verdict": "outdated", "factcheck_row": 36}
    raw["criteria"]["scale"]["name"] = "Scale " + HOSTILE
    raw["criteria"]["scale"]["scores"]["kubernetes"]["why"] = HOSTILE
    raw["presets"]["small_team"]["name"] = "Small " + HOSTILE
    return parse_features(raw)


def assert_inert(text):
    tags = Tags(text)
    assert not tags.all("script") and not tags.all("img")
    assert not any("onerror" in a or "onmouseover" in a for _, a in tags.tags)
    assert "&lt;script&gt;" in text


def test_hostile_strings_are_escaped_in_the_comparison(hostile):
    text = comparison_html(hostile)
    assert_inert(text)
    links = [a["href"] for a in Tags(text).all("a")]
    assert 'https://example.org/"onmouseover="alert(1)' in links  # kept as one attribute value


def test_hostile_strings_are_escaped_in_the_ranking_and_the_widgets(hostile):
    from clustersim.decision import rank

    assert_inert(ranking_html(rank({"scale": 5, "simplicity": 1}, matrix=hostile)))
    assert_inert(comparison_app(matrix=hostile).output.value)
    assert_inert(decision_app(weights={"scale": 3}, matrix=hostile).output.value)
    assert_inert(comparison_app(systems=[HOSTILE]).output.value)  # the error names it, escaped


def test_hostile_strings_are_escaped_in_the_preset_chart(hostile):
    from clustersim.viz.renderer import figure_html

    fig = decision_figure(hostile)
    data = fig.to_json()
    assert "<script" not in data and "<img" not in data and "&lt;script&gt;" in data
    page = figure_html(fig)
    assert "<script>alert" not in page and "<img" not in page


def test_the_tables_are_accessible():
    matrix = load_features()
    text = comparison_html(matrix, ["swarm", "kubernetes"], open_all=True)
    tags = Tags(text)
    tables = tags.all("table")
    assert len(tables) == len(matrix.categories)
    assert text.count("<caption>") == len(tables)
    col_headers = [a for a in tags.all("th") if a.get("scope") == "col"]
    row_headers = [a for a in tags.all("th") if a.get("scope") == "row"]
    assert len(col_headers) == 3 * len(tables)  # Feature, Docker Swarm, Kubernetes
    assert len(row_headers) == sum(len(c.features) for c in matrix.categories.values())
    assert len(tags.all("th")) == len(col_headers) + len(row_headers)
    assert tags.open == []  # every element closed


def test_static_book_version_collapses_all_but_the_first_category():
    matrix = load_features()
    static = comparison_app().static_html()
    assert static.startswith(KERNEL_NOTE)
    details = Tags(static).all("details")
    assert len(details) == len(matrix.categories)
    assert ["open" in d for d in details] == [True] + [False] * (len(details) - 1)
    assert all("open" in d for d in Tags(comparison_app().output.value).all("details"))


def shown_rows(app):
    return len([a for a in Tags(app.output.value).all("th") if a.get("scope") == "row"])


def test_controls_re_render_the_table():
    matrix = load_features()
    app = comparison_app()
    total = shown_rows(app)
    app.controls["differences"].value = True
    assert shown_rows(app) == len(matrix.rows(only_differences=True)) < total
    app.controls["systems"]["mesos"].value = False
    assert shown_rows(app) == len(matrix.rows(["swarm", "kubernetes"], only_differences=True))
    assert "(retired)" not in app.output.value
    app.controls["differences"].value = False
    app.controls["categories"].value = ("storage",)
    assert shown_rows(app) == len(matrix.categories["storage"].features)
    app.controls["categories"].value = tuple(matrix.categories)
    app.controls["search"].value = "secrets"
    assert 0 < shown_rows(app) == len(matrix.rows(["swarm", "kubernetes"], search="secrets"))
    app.controls["search"].value = "no-such-word-anywhere"
    assert shown_rows(app) == 0 and "No feature matches" in app.output.value


def test_only_what_changed_since_2019():
    matrix = load_features()
    app = comparison_app()
    app.controls["changed"].value = True
    expected = [r for r in matrix.rows() if any(c.claim_2019 for c in r.feature.cells.values())]
    assert 0 < shown_rows(app) == len(expected) < len(matrix.rows())
    assert "2019 claim no longer holds" in app.output.value
    for box in ("swarm", "mesos"):
        app.controls["systems"][box].value = False
    assert shown_rows(app) == len([
        r for r in matrix.rows() if r.feature.cells["kubernetes"].claim_2019
    ])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"systems": 5}, "systems must be a name or a list of names"),
    ({"systems": ["kubernetes", "nomad"]}, "unknown system &#x27;nomad&#x27;"),
    ({"systems": []}, "choose at least one system"),
    ({"categories": ["speed"]}, "unknown category &#x27;speed&#x27;"),
    ({"categories": []}, "choose at least one category"),
])
def test_bad_choices_show_an_inline_message(kwargs, message):
    app = comparison_app(**kwargs)
    assert 'class="clustersim-error"' in app.output.value
    assert message in app.output.value
    assert message in app.static_html()


def test_unticking_every_system_shows_a_message_not_a_traceback():
    app = comparison_app()
    for box in app.controls["systems"].values():
        box.value = False
    assert "choose at least one system" in app.output.value
    app.controls["systems"]["swarm"].value = True
    assert 'class="clustersim-error"' not in app.output.value


def test_names_choose_the_first_view():
    app = comparison_app(systems=["k8s", "Docker Swarm"], categories="Storage")
    assert shown_rows(app) == len(load_features().categories["storage"].features)
    assert [b.value for b in app.controls["systems"].values()] == [True, True, False]


def test_moving_a_slider_re_ranks_and_leaves_the_preset():
    app = decision_app(preset="small_team")
    before = app.output.value
    app.controls["weights"]["batch_data"].value = 5
    assert app.controls["preset"].value == ""  # now custom weights
    assert app.output.value != before
    assert "batch and data workloads" in app.output.value.lower()


def test_choosing_a_preset_sets_every_slider_and_keeps_the_warning():
    matrix = load_features()
    app = decision_app(weights={"scale": 1})
    for preset_id, preset in matrix.presets.items():
        app.controls["preset"].value = preset_id
        assert {c: s.value for c, s in app.controls["weights"].items()} == preset.weights
        assert "Retired projects" in app.output.value
        assert "Apache Attic" in app.output.value


def test_all_weights_at_zero_shows_a_message():
    app = decision_app()
    for slider in app.controls["weights"].values():
        slider.value = 0
    assert "every weight is 0" in app.output.value


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"weights": {"speed": 2}}, "unknown criterion"),
    ({"weights": {"scale": 9}}, "is 9"),
    ({"preset": "fastest"}, "unknown preset"),
    ({"systems": ["nomad"]}, "unknown system"),
])
def test_bad_decision_input_shows_an_inline_message(kwargs, message):
    app = decision_app(**kwargs)
    assert 'class="clustersim-error"' in app.output.value and message in app.output.value


def test_the_static_decision_shows_the_preset_chart_and_every_preset():
    matrix = load_features()
    app = decision_app()
    static = app.static_html()
    assert static.startswith(KERNEL_NOTE) and "Plotly.newPlot" in static
    assert len(Tags(static).all("details")) == len(matrix.presets)
    assert static.count("Retired projects") == len(matrix.presets)
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" in bundle


def test_the_preset_chart_has_a_button_per_preset_and_bars_that_add_up():
    from clustersim.decision import preset_weights, rank

    matrix = load_features()
    fig = decision_figure(matrix)
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == [p.name for p in matrix.presets.values()]
    assert len(fig.data) == len(matrix.criteria)
    for button, preset_id in zip(buttons, matrix.presets, strict=True):
        xs = button.args[0]["x"]
        rec = {r.system: r for r in rank(preset_weights(preset_id)).ranking}
        for i, system in enumerate(matrix.systems):
            assert sum(trace[i] for trace in xs) == pytest.approx(100 * rec[system].share, abs=0.1)
        title = button.args[1]["title.text"]
        assert "retired whatever the weights" in title
        assert f"recommended {rank(preset_weights(preset_id)).recommended.name}" in title


def test_each_preset_button_carries_its_own_summary_in_the_title():
    """Issue 19: no text beside the chart may state one preset while another's bars show. The
    title each button sets names that preset's shares and deciding criterion."""
    from clustersim.decision import preset_weights, rank

    matrix = load_features()
    buttons = decision_figure(matrix).layout.updatemenus[0].buttons
    titles = {b.args[1]["title.text"] for b in buttons}
    assert len(titles) == len(matrix.presets)  # no two presets share one summary
    for button, preset_id in zip(buttons, matrix.presets, strict=True):
        rec = rank(preset_weights(preset_id))
        title = button.args[1]["title.text"]
        assert title.startswith(f"<b>{matrix.presets[preset_id].name}</b>")
        lines = [re.sub(r"</?[bs]\w*>", "", line) for line in title.split("<br>")]
        assert max(len(line) for line in lines) <= 48  # a phone shows it; plotly never wraps
        flat = " ".join(lines)
        for result in rec.ranking:
            assert f"{result.name} {result.share:.0%}" in flat
        top = rec.deciders[0]
        assert f"({top.margin:+d} points)" in flat and top.name[1:] in flat


def test_the_static_decision_labels_every_written_preset_and_escapes_it(hostile):
    static = decision_app(matrix=hostile).static_html()
    assert HOSTILE not in static  # the preset's name and description are escaped
    assert "Preset <strong>Small &lt;script&gt;" in static
    assert "Every preset, written out" in static
    summaries = Tags(static).text.get("summary", "")
    for preset in hostile.presets.values():
        assert f"Preset {preset.name}" in summaries
