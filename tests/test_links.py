"""No broken links: every internal URL of every page (href, src, srcset, downloads, data-* paths the
scripts fetch, CSS url(), sitemap, redirects) is a file of the build, and every #fragment an id
in its target page; at the root and in a sub-path deployment (base_url /portal/)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from quality.browser import open_page
from quality.crawl import SiteFolder
from quality.pages import page_types

from budgetsite.config import load_config
from conftest import ROOT, serve_folder

SUB_PATH = "/portal/"
DOWNLOAD = re.compile(r"<a\s[^>]*\bdownload\b")


def _summary(report) -> str:
    reasons = Counter(b.reason.split(" in ")[0] for b in report.broken)
    lines = [f"{len(report.broken)} broken of {report.checked} internal URLs in {report.pages} pages:"]
    lines += [f"  {n}× {r}" for r, n in reasons.most_common()]
    lines += [f"  {b}" for b in report.broken[:25]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data built with `build.py build --base-url /portal/`, for https://host/portal/:
    served from <root>/portal/."""
    out = tmp_path_factory.mktemp("subpath") / SUB_PATH.strip("/")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(ROOT), "--base-url", SUB_PATH,
                           "--out", str(out)], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_the_crawler_finds_broken_links(tmp_path: Path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<h1 id="top">A</h1>', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="/a/">ok</a><a href="/a/#top">ok</a><a href="a/">ok</a><a href="https://example.org/">ext</a>'
        '<a href="/missing/">1</a><a href="/a/#nope">2</a><a href="/a">3</a><img src="/x.png" srcset="/a/ 1x, /y.png 2x">'
        '<a href="javascript:alert(1)">6</a><a href="#">7</a><div data-index="/nothing.json"></div>'
        '<a href="https://site.example/elsewhere/">8</a>', encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset><loc>https://site.example/a/</loc><loc>https://site.example/b/</loc>"
                                      "</urlset>", encoding="utf-8")
    report = SiteFolder(site, "/", "https://site.example").check()
    assert len(report.broken) == 10, "\n".join(map(str, report.broken))
    assert report.external == 1
    sub = SiteFolder(site, "/portal/", "https://site.example").check()
    assert any("outside base_url" in b.reason for b in sub.broken)


def test_no_broken_links_in_the_site(built_site: Path):
    config = load_config(ROOT)
    folder = SiteFolder(built_site, config.base_url, config.site_url)
    report = folder.check()
    downloads = sum(len(DOWNLOAD.findall((built_site / p).read_text(encoding="utf-8"))) for p in folder.html_pages())
    print(f"links: {report.pages} pages, {report.files} files, {report.checked} internal URLs "
          f"({report.fragments} with #fragments, ~{downloads} downloads), {report.external} external, "
          f"{len(report.broken)} broken")
    assert report.pages > 100 and report.checked > 1000
    if report.broken:
        pytest.fail(_summary(report))


def test_no_broken_links_under_a_sub_path(subpath_site: Path):
    config = load_config(ROOT, {"base_url": SUB_PATH})
    report = SiteFolder(subpath_site, config.base_url, config.site_url).check()
    print(f"links under {SUB_PATH}: {report.pages} pages, {report.checked} internal URLs, {len(report.broken)} broken")
    assert report.pages > 100
    if report.broken:
        pytest.fail(_summary(report))


@pytest.mark.browser
def test_pages_under_a_sub_path_load_everything_they_ask_for(browser, subpath_site: Path):
    """In Chromium: styles, scripts, images and the search index all load under /portal/."""
    server, url = serve_folder(subpath_site.parent)
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    try:
        types = page_types(subpath_site)
        for name in ("home", "record:programs", "record:budget", "chart", "source-text", "search"):
            if name not in types:
                continue
            open_page(page, url + SUB_PATH.rstrip("/"), name, types[name])
            page.wait_for_load_state("networkidle")
            assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", name
            assert page.evaluate("document.styleSheets.length") >= 1, f"{name}: no stylesheet"
        result = page.locator("#search-results li a").first.get_attribute("href")
        assert result and result.startswith(SUB_PATH), f"search result link {result!r} outside {SUB_PATH}"
    finally:
        context.close()
        server.shutdown()
    assert not failed, failed
