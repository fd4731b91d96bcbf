"""Accessibility in a real browser: axe-core (WCAG 2.1 A and AA) on every type of page, light and
dark, and the keyboard: the skip link comes first and moves focus to the content, every link and
button can be reached with Tab, and the focused element always shows a visible outline."""

from __future__ import annotations

import pytest
from quality.browser import AXE_JS, activate_chart, axe_violations, describe, need_npm_tool, open_page, site_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe_source() -> str:
    return need_npm_tool(AXE_JS).read_text(encoding="utf-8")


def test_axe_reports_violations_on_a_broken_page(page, axe_source):
    """The harness itself: a page with known faults must produce violations, else a silent axe
    (not injected, wrong tags) would make every other test pass."""
    page.set_content('<!doctype html><html><head><title>x</title></head><body><main>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><a href="/x"></a>'
                     '<p style="color:#aaa;background:#fff">faint</p><input type="text"></main></body></html>')
    found = {v["id"] for v in axe_violations(page, axe_source)}
    assert {"html-has-lang", "image-alt", "link-name", "color-contrast", "label"} <= found, found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_has_no_wcag_violations(browser, built_site, site_url, axe_source, scheme):
    """Light: every WCAG 2.1 A/AA rule. Dark (prefers-color-scheme: dark): colour contrast, which
    is what the dark palette changes. Chart pages are checked again with the interactive chart."""
    types = site_pages(built_site)
    context = browser.new_context(locale="ko-KR", color_scheme=scheme)
    page = context.new_page()
    rules = ["color-contrast", "link-in-text-block"] if scheme == "dark" else None
    failures, checked = [], 0
    try:
        for name, path in types.items():
            open_page(page, site_url, name, path)
            checked += 1
            if violations := axe_violations(page, axe_source, rules):
                failures.append(f"{name} /{path}:\n{describe(violations)}")
            if name in ("chart", "chart-embed"):
                activate_chart(page)
                checked += 1
                if violations := axe_violations(page, axe_source, rules):
                    failures.append(f"{name} (interactive) /{path}:\n{describe(violations)}")
        if scheme == "dark":
            open_page(page, site_url, "home", "")
            light = context.new_page()
            light.emulate_media(color_scheme="light")
            light.goto(site_url + "/")
            background = "getComputedStyle(document.body).backgroundColor"
            assert page.evaluate(background) != light.evaluate(background), "no dark colour scheme"
    finally:
        context.close()
    print(f"axe ({scheme}): {checked} pages checked, {len(failures)} with violations")
    assert not failures, "\n".join(failures)


# ---- keyboard -------------------------------------------------------------------------------------

FOCUSABLE_JS = """() => {
    const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, iframe, summary, [tabindex]';
    let n = 0;
    for (const el of document.querySelectorAll(selector)) {
        const style = getComputedStyle(el);
        // checkVisibility: false inside a closed <details> too (its content is skipped by Tab)
        const tabbable = el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]')
            && el.checkVisibility({visibilityProperty: true}) && style.visibility !== 'hidden';
        if (tabbable) el.dataset.kbd = String(n++);
    }
    return n;
}"""

ACTIVE_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {kbd: el.dataset.kbd ?? null, tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            focusVisible: el.matches(':focus-visible')};
}"""

STILL_TABBABLE_JS = """(kbd) => {
    const el = document.querySelector(`[data-kbd="${kbd}"]`);
    return !!el && el.isConnected && el.tabIndex >= 0 && el.checkVisibility({visibilityProperty: true});
}"""

KEYBOARD_PAGES = ["home", "record:programs", "record:budget", "search", "chart", "index:notes", "404"]


@pytest.mark.parametrize("name", ["home", "record:programs", "search", "404"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, built_site, site_url, name):
    path = site_pages(built_site)[name]
    open_page(page, site_url, name, path)
    page.keyboard.press("Tab")
    first = page.evaluate("""() => { const el = document.activeElement; const r = el.getBoundingClientRect();
        return {cls: el.className, href: el.getAttribute('href'), visible: r.width > 0 && r.bottom > 0 && r.top < innerHeight,
                outline: getComputedStyle(el).outlineStyle}; }""")
    assert "skip-link" in first["cls"] and first["href"] == "#main", first
    assert first["visible"], "the skip link must be visible when focused"
    assert first["outline"] != "none", "the focused skip link shows no outline"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'", timeout=5_000)
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')"), "Tab after the skip link leaves <main>"


@pytest.mark.parametrize("name", KEYBOARD_PAGES)
def test_every_link_and_button_is_reachable_with_tab_and_shows_focus(page, built_site, site_url, name):
    types = site_pages(built_site)
    assert name in types, f"the build has no {name} page"
    open_page(page, site_url, name, types[name])
    total = page.evaluate(FOCUSABLE_JS)
    assert total > 0
    reached: set[str] = set()
    invisible: list[str] = []
    stops = 0
    for _ in range(total * 2 + 20):
        page.keyboard.press("Tab")
        stops += 1
        active = page.evaluate(ACTIVE_JS)
        if active is None:  # focus went past the last element to the browser's UI
            break
        if active["kbd"] is not None:
            if active["kbd"] in reached:
                break  # wrapped around
            reached.add(active["kbd"])
        if not (active["outline"] and active["focusVisible"]):
            invisible.append(f"{active['tag']} {active['text']!r}")
    missed = [k for k in map(str, range(total)) if k not in reached and page.evaluate(STILL_TABBABLE_JS, k)]
    labels = [page.evaluate("(k) => document.querySelector(`[data-kbd=\"${k}\"]`).outerHTML.slice(0, 160)", k)
              for k in missed[:10]]
    print(f"keyboard {name}: {total} focusable, {len(reached)} reached in {stops} Tab presses")
    assert not missed, f"{len(missed)} of {total} elements never got keyboard focus:\n" + "\n".join(labels)
    assert not invisible, f"focused without a visible outline: {invisible[:10]}"
