"""The times the course map (book/welcome.md) and the instructors' guide (book/instructors.md)
give are sums of what each page states, so that they cannot drift from the pages: a chapter or
lab states its own "**Time to learn:** N minutes" near its top; the parts are the captions of
``_toc.yml``; the exercise times are the instructors' guide's estimates, one per table row."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TIME_TO_LEARN = re.compile(r"\*\*Time to learn:\*\*\s*(?:about\s+)?(\d+)\s+minutes")
NUMBERS = {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def page_text(name: str) -> str:
    """A page's prose: the Markdown file, or a notebook's Markdown cells."""
    markdown = ROOT / f"{name}.md"
    if markdown.is_file():
        return markdown.read_text(encoding="utf-8")
    cells = json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def stated_minutes(name: str) -> int:
    found = TIME_TO_LEARN.search(page_text(name))
    assert found, f"{name} states no '**Time to learn:** N minutes'"
    return int(found[1])


def parts() -> list[tuple[str, list[str]]]:
    """The taught parts of the table of contents, in order: (caption, pages)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [(part["caption"], [chapter["file"] for chapter in part["chapters"]])
            for part in toc["parts"] if part["caption"] != "Reference"]


def map_rows() -> list[list[str]]:
    """The course map's rows in book/welcome.md: [part, what you do, time]."""
    text = page_text("book/welcome")
    table = text.split("## Course map", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.splitlines() if line.startswith("|")]
    return rows[2:]


def read_duration(text: str) -> int:
    """Minutes in ``5&nbsp;min`` or ``6&nbsp;h&nbsp;30&nbsp;min``."""
    found = re.fullmatch(r"(?:(\d+) h )?(\d+) min", text.replace("&nbsp;", " "))
    assert found, f"{text!r} is not a time such as '6&nbsp;h&nbsp;30&nbsp;min'"
    return int(found[1] or 0) * 60 + int(found[2])


def guide_rows() -> list[list[str]]:
    """The rows of the instructors' guide's tables of labs and chapters (a page per row)."""
    text = page_text("book/instructors").split("## Learning outcomes", 1)[0]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("| {doc}")]


def about_hours(minutes: int) -> str:
    """``about N hours`` to the nearest half hour, as the pages write it."""
    halves = round(minutes / 30)
    return f"about {halves // 2}{'.5' if halves % 2 else ''} hours"


def test_each_part_of_the_map_takes_the_sum_of_its_pages_times():
    rows = map_rows()
    assert len(rows) == len(parts())
    for (caption, pages), (_, _, time) in zip(parts(), rows, strict=True):
        assert read_duration(time) == sum(stated_minutes(p) for p in pages), caption


def test_the_map_names_every_page_of_getting_started_and_counts_the_labs():
    (_, started), *_ = parts()
    rows = map_rows()
    for page in started:
        assert f"{{doc}}`../{page}`" in rows[0][1]
    labs = dict(parts())["Labs"]
    word = next(w for w in NUMBERS if rows[3][1].lower().startswith(w))
    assert NUMBERS[word] == len(labs)


@pytest.mark.parametrize("row", guide_rows(), ids=lambda row: row[0])
def test_the_instructors_guide_gives_each_page_its_stated_time(row):
    page = re.search(r"\{doc\}`([^`]+)`", row[0])[1]
    name = str((ROOT / "book" / page).resolve().relative_to(ROOT))
    if not name.startswith(("notebooks/", "book/")) or "exercises" in name:
        pytest.skip("not a lab or chapter row")
    assert re.match(r"(\d+) min", row[1])[1] == str(stated_minutes(name))


def test_the_guide_says_what_a_preview_lab_builds_on_as_the_lab_does() -> None:
    """The guide said real-commands builds on first-look only, where the lab's own note (and
    the welcome page) call it a preview that uses Part II's objects: a lab that says it is a
    preview is one in the guide too, with Part II for its full use."""
    previews = [path for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
                if "This lab is a preview" in page_text(f"notebooks/{path.stem}")]
    assert previews
    for path in previews:
        [row] = [r for r in guide_rows() if r[0] == f"{{doc}}`../notebooks/{path.stem}`"]
        assert "a preview after" in row[2] and "full use after Part II" in row[2], row[2]


def test_the_exercise_and_reading_totals_are_the_sums_of_the_rows():
    rows = guide_rows()
    exercises = sum(int(m[1]) for r in rows if (m := re.fullmatch(r"\d+, (\d+) min", r[-1])))
    reading = sum(stated_minutes(p) for _, pages in parts() for p in pages)
    guide = page_text("book/instructors")
    welcome = page_text("book/welcome")
    assert f"{about_hours(reading)} of chapters and labs and {about_hours(exercises)}" in (
        " ".join(guide.split()))
    assert f"({about_hours(exercises)} for all of them)" in " ".join(welcome.split())


def test_the_learners_start_follows_the_table_of_contents() -> None:
    """welcome's "I am learning" said "Read foundations/orchestration, then follow the course
    map in order", which skipped Containers and Management or read Orchestration twice. After
    the set-up check, the steps send a learner to the first chapter of Part I, and say why a
    page of Getting started they may leave for later is there."""
    text = page_text("book/welcome")
    steps = text.split("I am learning", 1)[1].split(":::", 1)[0]
    linked = re.findall(r"\{doc\}`([^`]+)`", steps)
    pages = [page for _, chapters in parts() for page in chapters]
    named = [page for link in linked for page in pages if page.endswith(link.lstrip("./"))]
    getting_started = parts()[0][1]
    first_of_part_one = parts()[1][1][0]
    assert named[0] == getting_started[0]
    later = [page for page in named[1:] if page not in getting_started]
    assert later[0] == first_of_part_one, f"after the set-up check, {later[0]} comes first"
    for page in set(named[1:]) & set(getting_started):
        assert "preview" in steps, f"{page} is named without saying it is a preview"


def test_every_page_that_names_the_source_article_links_its_case_study() -> None:
    """Orchestration's "The 2019-era article this course grew from" and the Mesos exercise
    assumed an article introduced only in Part III. Every page that mentions it links the
    chapter that introduces and audits it."""
    pages = sorted([*(ROOT / "book").rglob("*.md"), *(ROOT / "notebooks").glob("*.ipynb"),
                    *(ROOT / "exercises").glob("*.ipynb")])
    naming = [p for p in pages if "grew from" in p.read_text(encoding="utf-8")]
    assert naming
    for page in naming:
        if page.stem != "case-study-2019":
            assert "case-study-2019" in page.read_text(encoding="utf-8"), page.name


def plan_rows(heading: str) -> list[list[str]]:
    """The rows of the plan under the ``## heading...`` of the instructors' guide: [start,
    min, slot, what, exercises]."""
    text = page_text("book/instructors").split(f"\n## {heading}", 1)[1].split("\n#", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("| ")]
    return rows[1:]


def clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize(("heading", "total"), [
    ("Half-day workshop", "3.5 hours"), ("Full-day workshop", "7 h 35 min with breaks"),
    ("A second day", "7 h 10 min with breaks")])
def test_each_plan_starts_each_slot_when_the_last_ends_and_adds_up(heading, total) -> None:
    rows = plan_rows(heading)
    for (start, minutes, *_), (following, *_) in itertools.pairwise(rows):
        assert clock(start) + int(minutes) == clock(following), following
    end = clock(rows[-1][0]) + int(rows[-1][1])
    title = page_text("book/instructors").split(f"\n## {heading}", 1)[1].split("\n", 1)[0]
    assert total in title
    found = re.search(r"(\d+) h (\d+) min", total)
    assert end == (int(found[1]) * 60 + int(found[2]) if found
                   else round(float(total.split()[0]) * 60))


def test_every_exercise_notebook_has_a_place_in_the_plans() -> None:
    """"Where every exercise notebook fits" lacked resource-management, kubernetes-2026,
    troubleshooting and day-2."""
    guide = page_text("book/instructors")
    table = guide.split("### Where every exercise notebook fits", 1)[1].split("\n\n", 2)[1]
    placed = set(re.findall(r"\{doc\}`\.\./exercises/([^`]+)`", table))
    notebooks = {path.stem for path in (ROOT / "exercises").glob("*.ipynb")}
    assert notebooks - placed == set()


def test_each_chapter_states_the_time_of_its_exercises() -> None:
    """Mesos and Marathon said "Time to learn: 60 minutes" where the guide gives its exercises
    20 more, while the chapters around it said "plus N minutes for the exercises". Every
    chapter with an exercise notebook states the guide's time for its exercises."""
    table = page_text("book/instructors").split(
        "### Chapters and their exercise notebooks", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.splitlines() if line.startswith("| {doc}")]
    checked = 0
    for row in rows:
        exercises = re.fullmatch(r"\d+, (\d+) min", row[-1])
        if exercises is None:
            continue
        page = re.search(r"\{doc\}`([^`]+)`", row[0])[1]
        line = re.search(r"\*\*Time to learn:\*\*[^\n]*", page_text(f"book/{page}"))[0]
        assert f" {exercises[1]} minutes for the exercises" in line, page
        checked += 1
    assert checked >= 20


def exercise_minutes(cell: str) -> float:
    """The minutes the guide's estimates give the exercises a plan's row does in class: "Ex. 1
    and 3" of a notebook is two of its n exercises, "Ex. 1 to 3" three, "both" all of them;
    those "as homework" (a row, or a part of it in brackets) or "if time" take no class time.
    A cell that gives its exercises' own time ("about 20 min") takes that: the security
    exercises' share was even, where its fifth (three NetworkPolicies, 13 flows) takes twice
    the others' time."""
    cell = re.sub(r"\([^()]*as homework\)", "", cell)
    if re.search(r"as homework|if time", cell):
        return 0
    if stated := re.search(r"about (\d+) min", cell):
        return float(stated[1])
    estimates = {re.search(r"exercises/([^`]+)`", row[-2])[1]: re.fullmatch(
        r"(\d+), (\d+) min", row[-1]) for row in guide_rows() if "../exercises/" in row[-2]}
    minutes = 0.0
    for name, named in re.findall(r"\{doc\}`\.\./exercises/([^`]+)`([^{]*)", cell):
        count, total = int(estimates[name][1]), int(estimates[name][2])
        ranges = [range(int(m[1]), int(m[2]) + 1) if m[2] else [m[1]]
                  for m in re.finditer(r"\b(?:Ex\.|and) (\d+)(?: to (\d+))?", named)]
        done = count if "both" in named else sum(len(r) for r in ranges)
        minutes += total * done / count
    return minutes


def read_before(heading: str) -> dict[str, int]:
    """The pages a plan's learners read before the day, with the minutes it gives each: the
    links of its sentence "Before the day, learners read {doc}`page` (N min), ..."."""
    text = " ".join(page_text("book/instructors").split(f"\n## {heading}", 1)[1]
                    .split("\n|", 1)[0].split())
    found = re.search(r"Before the day, learners read (.*?)\.(?: |$)", text)
    return {page: int(minutes) for page, minutes in
            re.findall(r"\{doc\}`([^`]+)` \((\d+) min\)", found[1])} if found else {}


@pytest.mark.parametrize("heading", ["Half-day workshop", "Full-day workshop", "A second day"])
def test_each_slot_of_the_plan_holds_what_it_teaches(heading) -> None:
    """The full day gave the Kubernetes chapter (60 min to learn) and two of its exercises
    (about 17 min) a 55-minute slot, Swarm (45) and an exercise 30 minutes, containers and
    management (45) 30; the second day's 60-minute toy-to-real slot had held the chapter (60),
    the lab (20) and both exercises (15). A slot holds the stated time of each chapter and lab
    it names, except those read before the day, or the time of the part it names
    ("{doc}`page` (N min: ...)"), plus its exercises in class by the guide's estimates."""
    before = read_before(heading)
    for page, minutes in before.items():
        assert minutes == stated_minutes(f"book/{page}"), page
    for _, minutes, slot, what, exercises in plan_rows(heading):
        needed = exercise_minutes(exercises)
        for page, part in re.findall(r"\{doc\}`([^`]+)`(?: \((\d+) min:)?", what):
            name = str((ROOT / "book" / page).resolve().relative_to(ROOT))
            if part:
                needed += int(part)
            elif page not in before and TIME_TO_LEARN.search(page_text(name)):
                needed += stated_minutes(name)
        assert needed <= int(minutes), f"{slot}: {needed:g} min of teaching in {minutes}"


def test_the_operating_kubernetes_block_adds_up_and_each_slot_holds_what_it_teaches() -> None:
    """The block was titled 2 hours and gave Security (35 min to learn) and its Ex. 1 to 3
    (about 21 min) a 45-minute slot and Delivery (20) with both exercises (10) 25 minutes, 16
    minutes over; the helper had counted "Ex. 1 to 3" as one exercise. Its slots add up to the
    title's time, each holds the chapter parts and exercises it names, and the parts of each
    chapter the block says it uses add up to that chapter's time to learn."""
    text = page_text("book/instructors").split("\n### Operating Kubernetes", 1)[1]
    title, text = text.split("\n", 1)
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.split("\n#", 1)[0].splitlines() if re.match(r"\| \d", line)]
    found = re.search(r"\((\d+) h (\d+) min\)", title)
    assert sum(int(row[0]) for row in rows) == int(found[1]) * 60 + int(found[2])
    parts: dict[str, int] = {}
    for minutes, slot, what, exercises in rows:
        needed = exercise_minutes(exercises)
        for page, part in re.findall(r"\{doc\}`([^`]+)` \((\d+) min:", what):
            needed += int(part)
            parts[page] = parts.get(page, 0) + int(part)
        assert needed <= int(minutes), f"{slot}: {needed:g} min of teaching in {minutes}"
    uses = set(re.findall(r"\{doc\}`(orchestrators/[^`]+)`", text.split("\n|", 1)[0]))
    assert uses and set(parts) == uses, f"used but not taught: {uses - set(parts)}"
    for page, minutes in parts.items():
        assert minutes == stated_minutes(f"book/{page}"), page
