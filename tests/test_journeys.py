"""A citizen's journeys in Chromium, by clicking the links a person would click, and every type of
page on a 360 px wide phone screen without sideways scrolling."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from quality.browser import activate_chart, open_page, site_pages
from quality.crawl import SiteFolder

pytestmark = pytest.mark.browser


def _record_links(folder: SiteFolder, url: str, kind: str) -> list[str]:
    """Links on the page at `url` (a folder URL) to record pages of `kind`, in page order."""
    rel = url.lstrip("/") + "index.html"
    if not (folder.folder / rel).is_file():
        return []
    pattern = re.compile(rf"^/{re.escape(kind)}/[^/#?]+/$")
    out: list[str] = []
    for where, href in folder.parse(rel).links:
        if where == "a[href]" and pattern.match(href) and href not in out:
            out.append(href)
    return out


@dataclass
class Journey:
    org: str
    program: str
    budget: str
    audit: str
    audit_from: str  # the page the audit item is reached from: the program's, else the org's
    chart: str | None
    chart_from: str | None


def plan_journey(site: Path) -> Journey:
    """Pick, from the built pages, an organisation with a program that has a budget line, an
    audit item (on the program's page, else on the organisation's) and a chart on the way."""
    folder = SiteFolder(site)
    has_charts = (site / "charts" / "index.html").is_file()
    best: tuple[int, Journey] | None = None
    for org in _record_links(folder, "/orgs/", "orgs"):
        org_audits = _record_links(folder, org, "audits")
        for program in _record_links(folder, org, "programs"):
            budgets = _record_links(folder, program, "budget")
            if not budgets:
                continue
            own_audits = _record_links(folder, program, "audits")
            audits, audit_from = (own_audits, program) if own_audits else (org_audits, org)
            if not audits:
                continue
            chart = chart_from = None
            for page in (budgets[0], program, org):
                charts = _record_links(folder, page, "charts")
                if charts:
                    chart, chart_from = charts[0], page
                    break
            score = (2 if own_audits else 0) + (1 if chart else 0)
            journey = Journey(org, program, budgets[0], audits[0], audit_from, chart, chart_from)
            if best is None or score > best[0]:
                best = (score, journey)
    assert best is not None, "no organisation → program → budget line + audit item path in the site"
    journey = best[1]
    if has_charts:
        assert journey.chart, "the build has charts but none is linked from the journey's pages"
    return journey


class Visitor:
    """Clicks links and checks each page it lands on."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: {e}"))
        page.on("console", lambda m: self.errors.append(f"{page.url}: console {m.type}: {m.text}")
                if m.type == "error" else None)

    def click(self, href: str) -> None:
        link = self.page.locator(f'a[href="{href}"]').first
        assert link.count() == 1, f"no link to {href} on {self.page.url}"
        link.scroll_into_view_if_needed()
        with self.page.expect_navigation():
            link.click()
        self.landed(href)

    def landed(self, href: str) -> None:
        assert self.page.url == self.base + href, (self.page.url, href)
        assert self.page.locator("h1").first.is_visible(), f"{href}: no visible heading"
        assert self.page.title().strip(), f"{href}: empty <title>"


def test_home_to_org_program_budget_audit_chart_and_csv(page, built_site, site_url):
    journey = plan_journey(built_site)
    print(f"journey: {journey}")
    visitor = Visitor(page, site_url)
    page.goto(site_url + "/")
    visitor.click("/orgs/")
    visitor.click(journey.org)
    visitor.click(journey.program)
    visitor.click(journey.budget)
    assert page.locator(f'a[href="{journey.program}"]').count() >= 1, "the budget line does not link back"
    amounts = page.locator("main").inner_text()
    assert re.search(r"\d[\d,.]*\s*(원|천원|백만원|억원|억|조)", amounts), "the budget line shows no amount in won"
    page.go_back()
    visitor.landed(journey.program)
    if journey.audit_from != journey.program:
        page.go_back()
        visitor.landed(journey.org)
    visitor.click(journey.audit)
    if journey.chart:
        page.go_back()
        visitor.landed(journey.audit_from)
        if journey.chart_from != journey.audit_from:
            page.goto(site_url + journey.chart_from)
            visitor.landed(journey.chart_from)
        visitor.click(journey.chart)
        activate_chart(page)
        csv_link = page.locator('a[download][href$="data.csv"]').first
        assert csv_link.count() == 1, "the chart page has no CSV download"
        with page.expect_download() as info:
            csv_link.click()
        download = info.value
        assert download.suggested_filename.endswith(".csv"), download.suggested_filename
        text = Path(download.path()).read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2, "the CSV has no data rows"
        assert all(len(r) == len(rows[0]) for r in rows), "CSV rows of different lengths"
    assert not visitor.errors, visitor.errors


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ko-KR", viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


WIDEST_JS = """() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > innerWidth + 1 && r.width > 0) out.push(`${el.tagName.toLowerCase()}.${el.className} → ${Math.round(r.right)}px`);
    }
    return out.slice(0, 5);
}"""


def test_no_sideways_scrolling_on_a_phone(phone, built_site, site_url):
    types = site_pages(built_site)
    wide = []
    for name, path in types.items():
        open_page(phone, site_url, name, path)
        if name in ("chart", "chart-embed"):
            activate_chart(phone)
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        if width > 360:
            wide.append(f"{name} /{path}: {width}px wide: {phone.evaluate(WIDEST_JS)}")
    print(f"mobile 360×740: {len(types)} page types, {len(wide)} scroll sideways")
    assert not wide, "\n".join(wide)
