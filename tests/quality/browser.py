"""Shared steps for the tests that open the built site in headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .pages import page_types

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Page types the issue names; each must exist in every build (charts only once the build has them).
REQUIRED_TYPES = ["home", "index:programs", "index:budget", "index:audits", "index:orgs", "index:sources",
                  "index:notes", "index:corrections", "record:programs", "record:budget", "record:audits",
                  "record:orgs", "record:sources", "source-text", "search", "index:about", "404"]
CHART_TYPES = ["index:charts", "chart", "chart-embed"]


def need_npm_tool(path: Path) -> Path:
    """A tool `npm ci` installs (scripts/setup runs it); missing fails in CI and skips elsewhere."""
    if not path.exists():
        message = f"{path.relative_to(ROOT)} is missing: run scripts/setup (npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def site_pages(site: Path) -> dict[str, str]:
    """Every page type of the build, after checking the required ones are there."""
    types = page_types(site)
    required = REQUIRED_TYPES + (CHART_TYPES if (site / "charts" / "index.html").is_file() else [])
    missing = [t for t in required if t not in types]
    assert not missing, f"page types missing from the build: {missing}"
    return types


def open_page(page, base: str, name: str, path: str) -> None:
    """Go to a page and wait until what its scripts add is there (search results)."""
    response = page.goto(f"{base}/{path}")
    assert response is not None
    assert response.status == (404 if name == "404" else 200), f"{name} /{path}: HTTP {response.status}"
    if name == "search":
        page.wait_for_selector("#search-results li a", timeout=15_000)


def activate_chart(page) -> None:
    """Turn the first chart of the page into the interactive plotly.js chart."""
    figure = page.locator("figure.chart[data-figure]").first
    button = figure.locator(".chart-open")
    if button.is_visible():
        button.click()
    else:
        figure.hover()
    page.wait_for_function(
        "() => ['live', 'failed'].includes(document.querySelector('figure.chart[data-figure]').dataset.state)",
        timeout=20_000)
    state = figure.get_attribute("data-state")
    assert state == "live", f"the interactive chart did not load (state {state!r})"


def axe_violations(page, axe_source: str, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page; WCAG 2.1 A and AA rules, or only `rules`."""
    page.add_script_tag(content=axe_source)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    return page.evaluate(
        """async (runOnly) => {
            const result = await axe.run(document, {runOnly, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').join(' ')),
            }));
        }""",
        run_only,
    )


def describe(violations: list[dict], limit: int = 3) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        lines += [f"    {n[:300]}" for n in v["nodes"][:limit]]
    return "\n".join(lines)
