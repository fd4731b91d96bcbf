"""`serve`'s incremental rebuild: after an edit, every page that shows the record changed, and the
site on disk is byte for byte what a full build of the same data writes. No timing here (see
benchmarks/run.py --incremental)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budgetsite import pipeline
from budgetsite.config import PACKAGE_THEMES, load_config
from budgetsite.devserver.updater import LiveSite
from conftest import ROOT, copy_project

PROGRAM = "data/programs/s000-p-2-7-night-market.yaml"
BUDGET_LINE = "data/budget/s000-v-26-night-market.yaml"
ORG = "data/orgs/small-business-policy-div.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_same_as_full_build(live: LiveSite) -> None:
    live.wait()  # the search index and downloads are updated in the background
    expected = pipeline.build(live.config, None).files
    actual = tree(live.out)
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    differ = sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p])
    assert not (missing or extra or differ), {"missing": missing[:10], "extra": extra[:10], "differ": differ[:10]}


def edit(project: Path, rel: str, old: str, new: str) -> Path:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def pages_with(folder: Path, needle: str) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.html") if needle in p.read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> LiveSite:
    project = copy_project(tmp_path_factory.mktemp("incremental") / "project")
    charts = ROOT / ".build-cache" / "charts"
    if charts.is_dir():  # chart images are cached by content: reuse them instead of drawing again
        shutil.copytree(charts, project / ".build-cache" / "charts")
    site = LiveSite(load_config(project), project / "_site")
    assert site.build().ok
    return site


def test_renaming_a_program_updates_every_page_that_shows_it(live: LiveSite) -> None:
    root = live.config.root
    before = tree(live.out)
    path = edit(root, PROGRAM, "name: 서울밤도깨비야시장 운영", "name: 서울 야간도깨비시장 운영")
    outcome = live.update([path])
    assert outcome.ok, outcome.problems
    assert outcome.first_page == "programs/s000-p-2-7-night-market/index.html"
    showing = pages_with(live.out, "서울 야간도깨비시장 운영")
    # its page, the list, and the pages of the records linked to it either way
    assert {"programs/s000-p-2-7-night-market/index.html", "programs/index.html",
            "budget/s000-v-26-night-market/index.html", "audits/s000-audit-c19/index.html",
            "orgs/small-business-policy-div/index.html", "sources/s000/index.html",
            "contracts/s000-night-market/index.html", "tables/s000-t-night-market-venues/index.html",
            "notes/note-s000-night-market-budget-unit/index.html"} <= showing
    for page in showing:  # every page that shows the program now shows its new name
        assert before[page] != (live.out / page).read_bytes(), page
    assert outcome.pages < len(live.pages) / 10  # incremental: a few pages, not every page again
    assert_same_as_full_build(live)


def test_changing_an_amount_updates_rates_totals_and_charts(live: LiveSite) -> None:
    path = edit(live.config.root, BUDGET_LINE, "spent: 1892", "spent: 1900")
    outcome = live.update([path])
    assert outcome.ok, outcome.problems
    page = (live.out / "budget/s000-v-26-night-market/index.html").read_text(encoding="utf-8")
    assert "1,900" in page
    assert_same_as_full_build(live)


def test_renaming_an_org_updates_pages_two_links_away(live: LiveSite) -> None:
    path = edit(live.config.root, ORG, "name: 소상공인정책담당관", "name: 소상공인정책과")
    outcome = live.update([path])
    assert outcome.ok, outcome.problems
    assert len(pages_with(live.out, "소상공인정책과")) > 10
    assert_same_as_full_build(live)


def test_adding_and_deleting_a_record(live: LiveSite) -> None:
    root = live.config.root
    source = (root / PROGRAM).read_text(encoding="utf-8")
    new = root / "data/programs/s000-p-9-9-test-market.yaml"
    new.write_text(source.replace("id: s000-p-2-7-night-market", "id: s000-p-9-9-test-market")
                   .replace("number: 2-7", "number: 9-9"), encoding="utf-8")
    outcome = live.update([new])
    assert outcome.ok, outcome.problems
    assert (live.out / "programs/s000-p-9-9-test-market/index.html").is_file()
    assert "s000-p-9-9-test-market" in (live.out / "programs/index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(live)
    new.unlink()
    outcome = live.update([new])
    assert outcome.ok, outcome.problems
    assert not (live.out / "programs/s000-p-9-9-test-market").exists()
    assert_same_as_full_build(live)


def test_an_edit_with_an_error_leaves_the_site_as_it_was(live: LiveSite) -> None:
    before = tree(live.out)
    path = edit(live.config.root, BUDGET_LINE, "- s000-p-2-7-night-market", "- s000-p-no-such-program")
    outcome = live.update([path])
    assert not outcome.ok
    assert {p.code for p in outcome.problems} == {"unknown_ref"}
    assert tree(live.out) == before
    edit(live.config.root, BUDGET_LINE, "- s000-p-no-such-program", "- s000-p-2-7-night-market")
    assert live.update([path]).ok
    assert_same_as_full_build(live)


def test_editing_a_template_rebuilds_the_pages_that_use_it(live: LiveSite) -> None:
    # the portal's own copy of a theme template: appearing, it overrides the package's (whole site again)
    template = live.config.root / "themes/default/templates/kinds/audits.html"
    template.parent.mkdir(parents=True, exist_ok=True)
    text = (PACKAGE_THEMES / "default/templates/kinds/audits.html").read_text(encoding="utf-8")
    template.write_text(text, encoding="utf-8")
    assert live.update([template]).full
    template.write_text(text.replace('<article class="record audit">', '<article class="record audit" data-x="1">'),
                        encoding="utf-8")
    outcome = live.update([template])
    assert outcome.ok
    changed = {p for p in outcome.written if p.endswith(".html")}
    assert changed and all(p.startswith("audits/") for p in changed), sorted(changed)[:5]
    assert 'data-x="1"' in (live.out / "audits/s000-audit-c19/index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(live)
