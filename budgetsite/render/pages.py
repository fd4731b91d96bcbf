"""Which pages the site has: the page plan the pipeline renders (and the dev server keeps)."""

from __future__ import annotations

from collections.abc import Iterator

from ..derive.charts import Chart
from ..derive.charts.labels import Labels
from ..load.content import ContentPage
from ..model import Site
from ..model.history import Change
from .charts import chart_pages
from .page import Page
from .renderer import Renderer

FEED_ENTRIES = 50


def record_pages(site: Site, renderer: Renderer) -> Iterator[Page]:
    """Per kind: its list page, then a page per record, each with the kind's own template when the
    theme has one (`lists/<kind>.html`, `kinds/<kind>.html`), else the generic one. Every kind the
    registry knows has its list page, with no records yet too: the menu and other pages link it."""
    for kind in sorted(set(site.by_kind) | set(site.kinds.names)):
        records = site.kind(kind)
        yield Page(f"{kind}/index.html", renderer.template_for([f"lists/{kind}.html", "lists/records.html"]),
                   {"kind": kind, "records": records})
        single = renderer.template_for([f"kinds/{kind}.html", "kinds/record.html"])
        for rec in records:
            yield Page(f"{rec.url}index.html", single, {"record": rec, "kind": kind})


def site_pages(site: Site, content: list[ContentPage], charts: list[Chart], changes: list[Change],
               renderer: Renderer) -> list[Page]:
    """Every page rendered from a template, in a stable order."""
    out = [Page("index.html", "home.html"), Page("404.html", "404.html"),
           Page("execution/index.html", "execution.html"), Page("search/index.html", "search.html")]
    out += list(record_pages(site, renderer))
    for doc in site.sources:
        if doc.get("file"):
            out.append(Page(f"{doc.url}text/index.html", "source_text.html", {"record": doc}))
    out += [Page(f"{p.url}index.html", "page.html", {"content": p}) for p in content]
    out += chart_pages(charts, site, Labels(renderer.config))
    for old, new in sorted(site.redirects.items()):
        out.append(Page(f"{old}index.html", "redirect.html", {"target": new}))
    out.append(Page("feed.xml", "feed.xml", {"changes": changes[:FEED_ENTRIES]}))
    return out
