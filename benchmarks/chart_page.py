"""Page weight of chart pages, measured in Chromium: bytes of HTML, CSS, JS, images and JSON a
reader downloads before touching a chart, and after the interactive chart has loaded.

    python benchmarks/chart_page.py                        # build into a temp folder
    python benchmarks/chart_page.py --site _site           # an existing build
    python benchmarks/chart_page.py --pages /charts/execution-s000-v/ /orgs/labor-policy-div/

Every response body the page receives is counted once, raw and gzip-compressed (level 6, what
static hosts typically send for text; images are counted as sent). The viewport is a phone's
(390×844). "before" is the page after load with nothing touched; "after" is after the first
chart's "interactive chart" button was pressed and plotly.js and the figure JSON have arrived.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DEFAULT_PAGES = ["/charts/execution-s000-v/", "/charts/execution-s000-v/embed/", "/orgs/labor-policy-div/", "/charts/"]
TEXT = (".html", ".css", ".js", ".json", ".svg", ".csv", "/")


def kind(url: str) -> str:
    path = urlsplit(url).path
    for suffix, name in ((".js", "js"), (".css", "css"), (".json", "json"), (".svg", "image"), (".png", "image")):
        if path.endswith(suffix):
            return name
    return "html"


def build(out: Path) -> Path:
    from budgetsite import pipeline
    from budgetsite.config import load_config

    result = pipeline.build(load_config(ROOT), out)
    if not result.ok:
        raise SystemExit("the build failed")
    return out


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def totals(bodies: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for url, body in bodies.items():
        packed = len(gzip.compress(body, 6)) if urlsplit(url).path.endswith(TEXT) else len(body)
        for key in (kind(url), "total"):
            out[key][0] += len(body)
            out[key][1] += packed
    return {k: (v[0], v[1]) for k, v in out.items()}


def measure(browser, base: str, path: str) -> tuple[dict, dict]:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    bodies: dict[str, bytes] = {}

    def keep(response) -> None:
        if response.ok and response.url not in bodies:
            try:
                bodies[response.url] = response.body()
            except Exception:  # a redirect or an aborted request has no body
                pass

    page.on("response", keep)
    page.goto(base + path, wait_until="networkidle")
    before = totals(bodies)
    figures = page.locator("figure.chart[data-figure]")
    if figures.count() == 0:  # the gallery: images only, nothing to interact with
        page.close()
        return before, before
    figure = figures.first
    button = figure.locator("button.chart-open")
    if button.is_visible():
        button.click()
    else:
        figure.hover()
    figure.locator(".plot-container").wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    after = totals(bodies)
    page.close()
    return before, after


def kb(n: int) -> str:
    return f"{n / 1024:,.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (default: build into a temp folder)")
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES)
    args = parser.parse_args()
    site = args.site or build(Path(tempfile.mkdtemp()) / "_site")
    server, base = serve(site)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print("KB raw / gzip      html          css           js            image         json          total")
            for path in args.pages:
                before, after = measure(browser, base, path)
                for label, numbers in (("before", before), ("after", after)):
                    cells = "  ".join(f"{kb(numbers.get(k, (0, 0))[0]):>6}/{kb(numbers.get(k, (0, 0))[1]):<6}"
                                      for k in ("html", "css", "js", "image", "json", "total"))
                    print(f"{path}\n  {label:<7} {cells}" if label == "before" else f"  {label:<7} {cells}")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
