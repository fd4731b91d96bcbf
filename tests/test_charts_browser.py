"""Charts in a real browser (Debian Chromium via Playwright): the static image first, the
interactive chart only on interaction or scrolling, keyboard access, the embed resizing in
another site's page, and the downloaded CSV against the YAML records."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, serve_folder

pytestmark = pytest.mark.browser

CHART = "execution-s000-v"
UNIT_WON = {"천원": 1_000, "백만원": 1_000_000, "억원": 100_000_000}


def watch(page) -> tuple[list[str], list[str]]:
    """Console errors and page errors, and every URL the page requests."""
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    return errors, requests


def budget_yaml(rid: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "budget" / f"{rid}.yaml").read_text(encoding="utf-8"))


def in_won(value: object, unit: str) -> Decimal:
    if isinstance(value, dict):
        return Decimal(str(value["amount"])) * UNIT_WON[value["unit"]]
    return Decimal(str(value)) * UNIT_WON[unit]


def test_permalink_shows_the_image_first_and_the_interactive_chart_on_request(page, site_url: str) -> None:
    errors, requests = watch(page)
    page.goto(f"{site_url}/charts/{CHART}/", wait_until="networkidle")
    figure = page.locator("figure.chart")
    still = figure.locator("img.chart-static")
    assert still.is_visible()
    assert still.evaluate("img => img.complete && img.naturalWidth > 0"), "the static image did not load"
    assert not any("plotly" in u or u.endswith("figure.json") for u in requests), "plotly.js loaded before interaction"
    assert figure.locator(".plot-container").count() == 0

    figure.locator("button.chart-open").click()
    figure.locator(".plot-container").wait_for(timeout=20_000)
    assert figure.locator("svg.main-svg").count() > 0
    assert figure.get_attribute("data-state") == "live"
    assert not still.is_visible(), "the image should give way to the interactive chart"
    # One bar per organisation row of the data table (the total row is not a bar).
    rows = page.locator("table.chart-table tbody tr:not(.total)").count()
    assert figure.locator(".chart-live .bars .point").count() == rows
    # Keyboard users land on the chart, which has a name and can be focused.
    live = figure.locator(".chart-live")
    assert live.get_attribute("tabindex") == "0" and live.get_attribute("role") == "img"
    assert live.get_attribute("aria-label") == page.locator("h1").inner_text()
    assert live.evaluate("el => document.activeElement === el")
    assert any("/assets/vendor/plotly-basic.min." in u for u in requests)
    assert not errors, errors


def test_a_chart_scrolled_into_view_becomes_interactive(page, site_url: str) -> None:
    errors, _ = watch(page)
    page.set_viewport_size({"width": 420, "height": 700})
    page.goto(f"{site_url}/orgs/labor-policy-div/", wait_until="networkidle")
    figures = page.locator("figure.chart[data-figure]")
    assert figures.count() >= 3
    last = figures.nth(figures.count() - 1)
    assert last.get_attribute("data-state") is None
    last.scroll_into_view_if_needed()
    page.wait_for_function("el => el.dataset.state === 'live'", arg=last.element_handle(), timeout=20_000)
    assert last.locator("svg.main-svg").count() > 0
    assert not errors, errors


def test_keyboard_focus_on_a_chart_loads_it(page, site_url: str) -> None:
    page.goto(f"{site_url}/budget/s000-v-dept-labor-policy/", wait_until="networkidle")
    figure = page.locator("figure.chart[data-figure]").first
    figure.locator("a").first.focus()
    page.wait_for_function("el => el.dataset.state === 'live'", arg=figure.element_handle(), timeout=20_000)


def test_keyboard_focus_stays_in_the_chart_when_its_button_goes_away(page, site_url: str) -> None:
    """Tabbing onto the "interactive chart" button loads the chart, which hides the button: the
    focus must move to the chart, not fall back to the top of the page (a keyboard reader would
    have to tab through the whole header again)."""
    page.route("**/plotly-basic*.js", lambda route: (page.wait_for_timeout(500), route.continue_()))
    page.goto(f"{site_url}/charts/{CHART}/", wait_until="networkidle")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('chart-open')"):
            break
    else:
        pytest.fail("Tab never reached the chart's button")
    figure = page.locator("figure.chart[data-figure]").first
    page.wait_for_function("el => el.dataset.state === 'live'", arg=figure.element_handle(), timeout=20_000)
    assert page.evaluate("document.activeElement.classList.contains('chart-live')")
    page.keyboard.press("Tab")  # and on from there, past the chart, not back to the skip link
    assert page.evaluate("!document.activeElement.classList.contains('skip-link') && "
                         "document.activeElement !== document.body")


def test_embed_resizes_its_iframe_on_another_site(page, site_url: str, tmp_path: Path) -> None:
    errors, _ = watch(page)
    embed = f"{site_url}/charts/audit-status-s000-2019/embed/"
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang=ko><head><meta charset=utf-8><title>기사</title>"
        '<link rel="icon" href="data:,"></head><body>'
        f'<iframe src="{embed}" title="차트" width="100%" height="120" style="border:0"></iframe>'
        f'<script async src="{site_url}/charts/embed.js"></script></body></html>', encoding="utf-8")
    server, host = serve_folder(tmp_path)
    try:
        page.goto(host.replace("127.0.0.1", "localhost") + "/", wait_until="networkidle")  # another origin
        frame_el = page.locator("iframe")
        page.wait_for_function("() => parseInt(document.querySelector('iframe').style.height) > 300", timeout=20_000)
        frame = page.frame_locator("iframe")
        content = frame.locator("html").evaluate("el => Math.ceil(el.getBoundingClientRect().height)")
        assert abs(frame_el.evaluate("el => el.getBoundingClientRect().height") - content) <= 2
        assert frame.locator(".site-header").count() == 0
        # Opening the data table makes the chart taller; the host follows.
        before = frame_el.evaluate("el => el.getBoundingClientRect().height")
        frame.locator("details.chart-data > summary").click()
        page.wait_for_function(f"() => document.querySelector('iframe').getBoundingClientRect().height > {before + 50}",
                               timeout=10_000)
        # That click was an interaction with the chart: the interactive version replaced the image.
        frame.locator(".plot-container").wait_for(timeout=20_000)
        assert frame.locator("figure.chart").get_attribute("data-state") == "live"
    finally:
        server.shutdown()
    assert not errors, errors


def test_downloaded_csv_holds_the_report_figures(page, site_url: str) -> None:
    page.goto(f"{site_url}/charts/{CHART}/", wait_until="networkidle")
    with page.expect_download() as info:
        page.locator(f'a[href="/charts/{CHART}/data.csv"]').first.click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert "억원" in header[1] and "억원" in header[2], header
    checked = 0
    for label, budget, spent, rate, rid in rows:
        rec = budget_yaml(rid)
        assert Decimal(budget) * UNIT_WON["억원"] == in_won(rec["budget"], rec["unit"]), label
        assert Decimal(spent) * UNIT_WON["억원"] == in_won(rec["spent"], rec["unit"]), label
        computed = in_won(rec["spent"], rec["unit"]) * 100 / in_won(rec["budget"], rec["unit"])
        assert abs(Decimal(rate) - computed) <= Decimal("0.05"), label
        checked += 1
    assert checked >= 6  # five departments and the total
