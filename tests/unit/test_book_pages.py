"""The book's pages: downloads of exercises carry no answer, Markdown chapters offer no launch
button that Binder or Colab could not follow, and each What's next names the page that follows."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from clustersim.course import book
from clustersim.exercises import choosing
from clustersim.exercises.containers import IMAGE_REFERENCES
from clustersim.facts import load_facts
from clustersim.kubernetes.scheduler.framework import FilterPlugin
from clustersim.kubernetes.scheduler.registry import DEFAULT_PLUGINS, REGISTRY
from clustersim.serve import SYSTEMS
from tests.conftest import ROOT


def _served_copies(outdir: Path) -> None:
    """What Sphinx copies for the download buttons: every lab and exercise as it is."""
    for folder in book.NOTEBOOK_FOLDERS:
        served = outdir / "_sources" / folder
        served.mkdir(parents=True)
        for source in (ROOT / folder).glob("*.ipynb"):
            (served / source.name).write_bytes(source.read_bytes())


def test_exercise_downloads_are_the_student_edition(tmp_path: Path) -> None:
    _served_copies(tmp_path)
    replaced = book.notebook_downloads(tmp_path, ROOT)
    exercises = [p for p in replaced if p.parent.name == "exercises"]
    assert len(exercises) == len(list((ROOT / "exercises").glob("*.ipynb")))
    for path in exercises:
        cells = json.loads(path.read_text("utf-8"))["cells"]
        assert not any({"solution", "instructor"} & set(c["metadata"].get("tags", []))
                       for c in cells), path.name
        assert not any(c.get("outputs") for c in cells), path.name


_RELATIVE_LINK = re.compile(r"\]\((?![\w+.-]+:|#)([^)\s]+)\)|href=\"(\.\.?/[^\"]*)\"")


@pytest.mark.parametrize("baseurl", ["", "https://course.example.org/orchestration/"])
def test_downloaded_notebooks_link_the_published_book(tmp_path: Path, baseurl: str) -> None:
    """A lab downloaded from its page kept ``../book/<page>.md`` links (42 in the labs and
    exercises), links to its exercise and the kernel note's ``../book/welcome.html``: alone
    on a laptop, each led to a missing file. They lead to the book at ``html.baseurl``, or
    without one to the course's repository, as the editions' links do."""
    _served_copies(tmp_path)
    replaced = book.notebook_downloads(tmp_path, ROOT, baseurl)
    assert {p.parent.name for p in replaced} == set(book.NOTEBOOK_FOLDERS)
    repository = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))["repository"]
    base = baseurl.rstrip("/") or f"{repository['url']}/blob/{repository['branch']}"
    relative, absolute, anchored = [], [], []
    for path in replaced:
        nb = json.loads(path.read_text("utf-8"))
        text = "".join("".join(c["source"]) + json.dumps(c.get("outputs", []))
                       for c in nb["cells"])
        relative += [f"{path.name}: {m[0]}" for m in _RELATIVE_LINK.finditer(text)]
        absolute += re.findall(re.escape(base) + r"/([^)\s\"#]+)", text)
        anchored += re.findall(re.escape(base) + r"/([^)\s\"#]+\.md)#([^)\s\"\\]+)", text)
    assert not relative, f"links that lead nowhere in a downloaded notebook: {relative[:5]}"
    assert any(a.startswith("book/") for a in absolute)
    assert any(a.startswith("notebooks/") for a in absolute)
    suffixes = {a.rsplit(".", 1)[-1] for a in absolute}
    assert suffixes == ({"html"} if baseurl else {"md", "ipynb"}), suffixes
    for page in absolute:     # each names a page of the course
        source = page.removesuffix(".html")
        assert any((ROOT / f"{source}{s}").is_file() for s in ("", ".md", ".ipynb")), page
    # On GitHub a chapter's anchors are its headings' (a MyST label shows as text): the
    # kernel note's link to the welcome page's "working-offline" label led to its top.
    assert bool(anchored) != bool(baseurl)
    unknown = [f"{page}#{anchor}" for page, anchor in anchored
               if anchor not in github_anchors(ROOT / page)]
    assert not unknown, f"anchors GitHub gives no heading: {sorted(set(unknown))}"


_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def github_anchors(markdown: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file: the heading's text in lower
    case, every character but a letter, digit, ``_``, ``-`` or space left out, each space a
    ``-``, and ``-1``, ``-2``... after a repeat (gjtorikian/html-pipeline
    ``lib/html/pipeline/toc_filter.rb``, the filter GitHub's Markdown went through). A MyST
    label, ``(name)=``, is plain text there, no anchor."""
    repeats: dict[str, int] = {}
    anchors = set()
    fenced = False
    for line in markdown.read_text("utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading[1]).replace("`", "")
            slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
            anchors.add(f"{slug}-{repeats[slug]}" if slug in repeats else slug)
            repeats[slug] = repeats.get(slug, 0) + 1
    return anchors


def _buttons() -> list[dict]:
    return [{"label": "download-buttons"}, {"label": "launch-buttons"}]


def test_markdown_chapters_have_no_launch_button() -> None:
    app = SimpleNamespace()
    chapter = {"sourcename": "book/orchestrators/kubernetes.md", "header_buttons": _buttons()}
    book._no_launch_for_markdown(app, "book/orchestrators/kubernetes", "page.html", chapter, None)
    assert [b["label"] for b in chapter["header_buttons"]] == ["download-buttons"]
    lab = {"sourcename": "notebooks/first-look.ipynb", "header_buttons": _buttons()}
    book._no_launch_for_markdown(app, "notebooks/first-look", "page.html", lab, None)
    assert len(lab["header_buttons"]) == 2


def test_no_page_promises_live_cells_in_a_chapter() -> None:
    """Chapters are Markdown: their cells run when the book is built, not in the reader's
    browser, and no launch button opens them. No page may promise otherwise."""
    pages = sorted((ROOT / "book").rglob("*.md"))
    assert pages
    promising = [p.name for p in pages if "live cell" in p.read_text("utf-8").lower()]
    assert not promising, f"pages promising live cells in chapters: {promising}"


def test_real_world_collection_is_not_promised_without_its_origin() -> None:
    """The real-world manifests are not in the repository: the lab that mentions them says
    where they come from and what to do without them, and promises no count of files."""
    for lab in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").rglob("*.md")):
        text = lab.read_text("utf-8")
        if "realworld" not in text:
            continue
        cells = (json.loads(text)["cells"] if lab.suffix == ".ipynb"
                 else [{"cell_type": "markdown", "source": text}])
        prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        if "realworld" not in prose:
            continue
        assert "github.com/kubernetes/examples" in prose, f"{lab.name}: no origin given"
        assert "paste your own" in prose, f"{lab.name}: no way forward without the collection"
        assert not re.search(r"all \d+ of those", prose), f"{lab.name}: promises a count"


def test_the_standard_types_the_book_says_are_not_served_are_not() -> None:
    """The real-commands lab called Ingress an unknown resource and the book's list of what
    the served API leaves out did not name it. That list names the standard types that are
    not served, each indeed missing from the served API's discovery; Ingress and IngressClass,
    served since (kubectl's default prune list needs Ingress), are said to be served."""
    from clustersim.serve.kuberesources import RESOURCES

    text = (ROOT / "book" / "served-apis.md").read_text("utf-8")
    item = re.search(r"^## What is served\n.*?(?=^#)", text, re.S | re.M)
    assert item, "served-apis.md no longer says which resource types are not served"
    words = " ".join(item[0].split())
    unserved = words[:words.index("Ingress and IngressClass")]
    named = [kind for kind in ("CustomResourceDefinition", "CertificateSigningRequest")
             if kind in unserved]
    assert len(named) == 2
    assert not set(named) & {r.kind for r in RESOURCES}
    assert {"Ingress", "IngressClass"} <= {r.kind for r in RESOURCES}
    assert "stored and validated" in words and "ADDRESS stays empty" in words
    lab = (ROOT / "notebooks" / "real-commands.ipynb").read_text("utf-8")
    assert 'resource type \\"ingresses\\"' not in lab
    assert "such as Ingress, gets the same answer" not in lab


def test_the_real_commands_lab_says_where_marathons_host_ports_come_from() -> None:
    """Served Marathon gave host ports such as 1555 where the course elsewhere uses Mesos'
    default 31000-32000, without a word: the lab names the DC/OS private agents' ranges,
    which are those clustersim.marathon.dcos offers."""
    from clustersim.marathon.dcos import PRIVATE_PORTS

    cells = json.loads((ROOT / "notebooks" / "real-commands.ipynb").read_text("utf-8"))["cells"]
    prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    named = ", ".join(f"{low}-{high}" for low, high in PRIVATE_PORTS)
    assert named.rsplit(", ", 1)[0] in " ".join(prose.split())
    assert "31000-32000" in prose


def test_the_book_names_the_marathon_build_the_served_api_reports() -> None:
    """The book said DC/OS 2.2.1 shipped Marathon 1.11.23, as its release notes' component
    list (copied from 2.2.0's) reads, while dcos/dcos CHANGES.md gives 1.11.24
    (MARATHON-8771), the build the served /v2/info reports."""
    from clustersim.serve.marathoninfo import MARATHON_VERSION

    shipped = re.compile(r"(\d+\.\d+\.\d+),? (?:shipped )?in DC/OS 2\.2\.1")
    pages = [ROOT / "book" / "orchestrators" / "mesos-marathon.md",
             ROOT / "book" / "comparing" / "case-study-2019.md",
             ROOT / "clustersim" / "data" / "features.yaml"]
    named = [(p.name, v) for p in pages for v in shipped.findall(p.read_text("utf-8"))]
    assert {name for name, _ in named} == {p.name for p in pages}, named
    assert all(v == MARATHON_VERSION for _, v in named), named


def test_the_real_commands_lab_says_kubectl_debug_is_refused() -> None:
    """The lab said kubectl debug 'finds ephemeral containers disabled' (what kubectl prints
    for a cluster with the feature gate off), where the served API refuses it as not
    simulated."""
    cells = json.loads((ROOT / "notebooks" / "real-commands.ipynb").read_text("utf-8"))["cells"]
    prose = " ".join(" ".join("".join(c["source"]).split()) for c in cells
                     if c["cell_type"] == "markdown")
    said = [s for s in prose.split(". ") if "kubectl debug" in s]
    assert said and not any("disabled" in s for s in said), said


def test_marathon_links_point_to_its_current_repository() -> None:
    """Marathon's repository moved to github.com/d2iq-archive/marathon; the course linked the
    old mesosphere/marathon address (GitHub redirects it, for now)."""
    old = re.compile(r"github\.com/mesosphere/marathon(?![-\w])")
    pages = [*(ROOT / "book").rglob("*.md"), *(ROOT / "notebooks").glob("*.ipynb"),
             *(ROOT / "exercises").glob("*.ipynb"), *(ROOT / "clustersim" / "data").glob("*.yaml")]
    stale = [p.name for p in pages if old.search(p.read_text("utf-8"))]
    assert not stale, f"old Marathon repository links in {stale}"


def _docker_service_commands(text: str) -> list[list[str]]:
    """The ``docker service <verb> ...`` commands of a page, from its fenced blocks (continued
    lines joined) and its inline code (a span may run over several lines), split into words."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    lines = [line.split("#")[0] for block in fenced
             for line in block.replace("\\\n", " ").splitlines()]
    spans = re.findall(r"`([^`]+)`", prose)
    return [words for command in lines + spans
            if (words := command.split())[:2] == ["docker", "service"]]


def test_toy_to_real_updates_services_the_stack_deployed() -> None:
    """The chapter deployed the stack as ``shop`` and then ran ``docker service update ...
    web``: the stack has no service ``web`` (the served swarm answers ``service web not
    found``). Every service the Swarm section names is one the stack made, and the image it
    updates to is nginx's stable branch, as on the chapter that pulls nginx."""
    from clustersim.examples import example_text

    text = (ROOT / "book" / "toy-to-real.md").read_text("utf-8")
    [prefix] = re.findall(r"docker stack deploy -c stack\.yml (\w+)", text)
    stack = yaml.safe_load(example_text("swarm"))
    deployed = {f"{prefix}_{name}" for name in stack["services"]}
    named = {words[-1] for words in _docker_service_commands(text)
             if len(words) > 3 and not words[-1].startswith("-")}
    assert "shop_api" in named and named <= deployed, sorted(named - deployed)
    stable = load_facts()["nginx_stable"].value
    images = [words[words.index("--image") + 1] for words in _docker_service_commands(text)
              if "--image" in words]
    assert images and set(images) == {f"nginx:{stable}"}, images


def test_quorum_figures_are_whole_numbers() -> None:
    """A newcomer read "survives (N - 1) / 2 of N managers" as 1.5 for 4 managers. The pages
    write the rounded-down form, and the availability chapter's table of voters, quorum and
    failures survived agrees with Raft's majority rule (Docker's swarm admin guide gives the
    same table)."""
    pages = [*(ROOT / "book").rglob("*.md")]
    halves = [page.name for page in pages if "(N - 1) / 2" in page.read_text("utf-8")]
    assert not halves, halves
    text = (ROOT / "book/comparing/availability-and-load-balancing.md").read_text("utf-8")
    rows = [tuple(map(int, row)) for row in re.findall(r"^ +(\d+) +(\d+) +(\d+)$", text, re.M)]
    assert [n for n, _, _ in rows] == [3, 4, 5]
    assert all(quorum == n // 2 + 1 and survived == n - quorum for n, quorum, survived in rows)


def test_the_course_s_current_nginx_is_its_stable_branch() -> None:
    """A newcomer met nginx:1.27, the mainline branch of 2024-25 that gets no fixes, as the
    image to try and to pin: the containers chapter and its pinning exercise, the management
    chapter, the real-commands lab and the Kubernetes exercise now write nginx's stable branch
    (the fact ``nginx_stable``). The labs that run the simulator alone keep 1.27, where no
    image is pulled."""
    stable = load_facts()["nginx_stable"].value
    texts = {page: (ROOT / page).read_text("utf-8") for page in (
        "book/foundations/containers.md", "book/foundations/management.md",
        "notebooks/real-commands.ipynb", "exercises/kubernetes.ipynb")}
    texts["IMAGE_REFERENCES"] = " ".join(IMAGE_REFERENCES)
    for where, text in texts.items():
        branches = set(re.findall(r"\bnginx:(\d+\.\d+)\b", text))
        assert branches == {stable}, f"{where} writes nginx {sorted(branches)}, not {stable}"


def test_the_pages_that_pull_nginx_pull_its_stable_branch() -> None:
    """Learners pull these tags from Docker Hub on a real cluster. Both pages pulled nginx:1.27,
    the mainline branch of 2024-25, which gets no fixes; the tag now follows the fact
    ``nginx_stable`` (nginx.org's stable branch), which the chapter prints with its date, and
    the exercise that predicts Experiment 1 on the simulator runs the same image."""
    stable = load_facts()["nginx_stable"].value
    for page in ("choosing/real-cluster.md", "instructors.md", "foundations/management.md"):
        branches = set(re.findall(r"\bnginx:(\d+\.\d+)", (ROOT / "book" / page).read_text("utf-8")))
        assert branches == {stable}, f"{page} pulls nginx {sorted(branches)}, not {stable}"
    assert "{{ nginx_stable_as_of }}" in (ROOT / "book/choosing/real-cluster.md").read_text("utf-8")
    [web] = choosing.WEB["spec"]["template"]["spec"]["containers"]
    assert web["image"] == f"nginx:{stable}", "the exercise's Experiment 1 runs another image"


def test_every_citation_of_the_d2iq_blog_has_the_dcos_readme_beside_it() -> None:
    """D2iQ's blog post announced DC/OS's end of life (31 October 2021); Nutanix took over
    D2iQ's Kubernetes platform in 2024, so the post may move or vanish. The dcos/dcos README
    states the same date, and every page (and the feature matrix) that cites the post cites it
    too."""
    blog = "d2iq.com/blog/spooky-mesos-magnificent-seven"
    readme = "github.com/dcos/dcos#dcos-end-of-life"
    pages = [*(ROOT / "book").rglob("*.md"), *(ROOT / "clustersim" / "data").glob("*.yaml")]
    lonely = [p.name for p in pages
              if blog in (text := p.read_text("utf-8")) and readme not in text]
    assert not lonely, f"the D2iQ post without the dcos/dcos README in {lonely}"


def _chapters() -> list[str]:
    """The chapter-level pages of ``_toc.yml`` in reading order (exercise sections left out)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text("utf-8"))
    return [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]


def test_every_whats_next_names_the_page_that_follows_in_the_toc() -> None:
    chapters = _chapters()
    checked = 0
    for page, following in pairwise(chapters):
        path = ROOT / f"{page}.md"
        if not path.exists():
            continue
        box = re.search(r":::\{admonition\} What's next\n(.*?)\n:::", path.read_text("utf-8"),
                        re.S)
        if box is None:
            continue
        named = {(path.parent / ref).resolve().relative_to(ROOT).as_posix()
                 for ref in re.findall(r"\{doc\}`([^`<]+)`", box.group(1))}
        assert following in named, f"{page}: What's next does not name {following}"
        checked += 1
    assert checked > 20


def test_the_kubernetes_chapter_lists_the_filters_in_the_schedulers_order() -> None:
    # the exercise on FailedScheduling counts rests on this order (a node is reported by the
    # first filter that rejects it); the simulator's DEFAULT_PLUGINS follow getDefaultPlugins
    text = (ROOT / "book/orchestrators/kubernetes.md").read_text("utf-8")
    step = text[text.index("1. **Filter**"):text.index("2. **PostFilter**")]
    filters = [name for name, _ in DEFAULT_PLUGINS if issubclass(REGISTRY[name], FilterPlugin)]
    assert len(filters) >= 6
    assert sorted(filters, key=lambda name: step.index(f"`{name}`")) == filters
    assert "first that\n   rejects it" in step


def test_the_kubernetes_chapter_says_which_score_plugins_its_probe_shows() -> None:
    """The chapter said the plugins left out 'would give every node the same score', though
    TaintToleration gives every node 100 and is shown; it now names what is shown, what skips
    and ImageLocality, which upstream never skips and the simulator does not run."""
    from clustersim import Node
    from clustersim.kubernetes import KubernetesCluster
    from clustersim.kubernetes.scheduler.registry import NOT_SIMULATED

    text = " ".join((ROOT / "book/orchestrators/kubernetes.md").read_text("utf-8").split())
    cluster = KubernetesCluster([Node("node-a", cpu=4, memory="8Gi"),
                                 Node("node-c", cpu=2, memory="4Gi")], seed=0)
    probe = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probe"},
             "spec": {"containers": [{"name": "web", "image": "shop/web:2.0.2", "resources": {
                 "requests": {"cpu": "500m", "memory": "256Mi"}}}]}}
    shown = {name for verdict in cluster.explain(probe).values() for name in verdict.scores}
    assert "Three plugins appear." in text and len(shown) == 3
    assert "TaintToleration" in shown and "would give every node the same score" not in text
    assert "ImageLocality" in NOT_SIMULATED and "The simulator does not run it" in text


_SYSTEMS = re.compile(r"swarm|kubernetes|mesos|marathon", re.IGNORECASE)
_DELIMITER = re.compile(r"^\|[-| :]+\|$")


def _system_tables(page: Path) -> list[tuple[int, str]]:
    """(line number, what follows) for each table whose header names two systems or more."""
    lines = page.read_text("utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and _DELIMITER.match(lines[i + 1]):
            end = next((j for j in range(i, len(lines)) if not lines[j].startswith("|")),
                       len(lines))
            names = {n.lower().replace("marathon", "mesos")
                     for n in _SYSTEMS.findall(lines[i])}
            if len(names) >= 2:
                found.append((i + 1, " ".join(lines[end:end + 8])))
            i = end
        else:
            i += 1
    return found


def test_every_table_comparing_the_systems_gives_its_sources_and_their_date() -> None:
    # A comparison is a status claim: CONTRIBUTING asks for a source and an "as of" date.
    pages = [*sorted((ROOT / "book").glob("comparing/*.md")),
             *sorted((ROOT / "book").glob("choosing/*.md")),
             ROOT / "book" / "foundations" / "orchestration.md"]
    undated = [f"{page.relative_to(ROOT)}:{line}" for page in pages
               for line, after in _system_tables(page)
               if "Source" not in after or "as of" not in after]
    assert not undated, f"comparison tables without a dated Sources line: {undated}"


def test_every_serve_command_in_the_book_and_labs_names_a_system_serve_takes() -> None:
    """``python -m clustersim serve`` takes ``kubernetes``, ``swarm`` or ``marathon``
    (:data:`clustersim.serve.SYSTEMS`); the Swarm chapter had told learners to run
    ``serve docker``, which argparse refuses."""
    pages = [*(ROOT / "book").rglob("*.md"), *(ROOT / "notebooks").glob("*.ipynb"),
             *(ROOT / "exercises").glob("*.ipynb"), ROOT / "README.md"]
    named = {(page.name, system) for page in pages
             for system in re.findall(r"clustersim serve ([\w-]+)", page.read_text("utf-8"))}
    assert named, "no page shows the serve command any more: check the pattern"
    assert {(page, system) for page, system in named if system not in SYSTEMS} == set()


def test_the_cheat_sheet_is_linked_where_instructors_and_learners_look() -> None:
    """An instructor trial found the cheat sheet only through the table of contents: the
    instructors' reference pages, the welcome page's workshop paragraph and toy-to-real's
    closing "what's next" now link it."""
    for page in ("instructors.md", "welcome.md", "toy-to-real.md"):
        assert "{doc}`cheatsheet`" in (ROOT / "book" / page).read_text("utf-8"), page


# Each alternative Part IV names, and where its own project (or the one that runs it) documents
# what the chapter says about it.
_OWN_SOURCES = {
    "k0s": ("github.com/k0sproject/", "docs.k0sproject.io"),
    "MicroK8s": ("github.com/canonical/microk8s", "microk8s.io"),
    "OpenShift": ("github.com/openshift/", "docs.redhat.com",
                  "learn.microsoft.com/en-us/azure/openshift"),
}


def test_every_alternative_the_choosing_chapter_describes_cites_its_own_project() -> None:
    """The chapter said "k0s, MicroK8s make similar trade-offs" with no source, and described
    OpenShift's built-ins from an Azure sample repository's README. A paragraph that describes
    one of them now links that project's (or its operator's) own documentation or source."""
    text = (ROOT / "book" / "choosing" / "alternatives.md").read_text("utf-8")
    for name, own in _OWN_SOURCES.items():
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if name in p]
        assert paragraphs, f"the chapter no longer mentions {name}: update this test"
        for paragraph in paragraphs:
            links = re.findall(r"\]\((https://[^)\s]+)\)", paragraph)
            assert any(part in link for link in links for part in own), (name, paragraph[:200])
    assert "Azure-Samples" not in text


def test_the_tools_that_manage_many_kubernetes_clusters_are_named_and_linked() -> None:
    """The scale table said clusters are "managed together by fleet tools", naming none and
    citing nothing; the tools it names now appear, linked, in the Sources line under it."""
    text = (ROOT / "book" / "comparing" / "scale-and-workloads.md").read_text("utf-8")
    [row] = [line for line in text.splitlines() if line.startswith("| beyond one cluster |")]
    named = re.findall(r"such as (\w+)(?: or (\w+))?", row.split("|")[3])
    tools = [tool for pair in named for tool in pair if tool]
    assert tools, f"the Kubernetes cell names no multi-cluster tool: {row}"
    sources = text[text.index(row):].split("\n\n", 2)[1]
    for tool in tools:
        assert re.search(rf"\[{tool}\]\(https://", sources), (tool, sources)


def test_every_paragraph_calling_marathon_unmaintained_says_where_that_is_stated() -> None:
    """Part IV's criteria said "Marathon unmaintained since 2021" citing only the Apache Attic's
    page on Mesos, which says nothing about Marathon. A paragraph that says so links Marathon's
    repository (its README states it) or the Mesos chapter, which cites it; the Key points
    boxes, which summarise their chapter, are left out."""
    uncited = []
    for page in sorted((ROOT / "book").rglob("*.md")):
        text = re.sub(r":::\{admonition\} Key points.*?\n:::", "", page.read_text("utf-8"),
                      flags=re.S)
        for paragraph in re.split(r"\n\s*\n", text):
            says_so = "Marathon" in paragraph and re.search(
                r"unmaintained|no longer maintained", paragraph)
            cites = "d2iq-archive/marathon" in paragraph or "{doc}`" in paragraph
            if says_so and not cites:
                uncited.append(f"{page.name}: {paragraph[:80]}")
    assert not uncited, uncited


@pytest.mark.parametrize("chapter", sorted((ROOT / "book").rglob("*.md")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_a_chapter_that_declares_a_kernel_has_a_code_cell(chapter: Path) -> None:
    """Six chapters without a code cell declared a Python kernel, so each build started a
    kernel for nothing and shut it down at once; once in an instructor's trial that printed
    ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` in the README's build, a line
    the README does not say is harmless. Only a chapter with code to run declares a kernel."""
    text = chapter.read_text(encoding="utf-8")
    if re.match(r"---\n.*?^kernelspec:", text, re.S | re.M):
        assert "```{code-cell}" in text, f"{chapter.name} declares a kernel but runs no code"
