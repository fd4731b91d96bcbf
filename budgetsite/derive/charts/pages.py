"""Every file a chart publishes, under /charts/<id>/: the permalink page, the embed page, the
figure JSON the interactive chart loads, data.csv, data.json, chart.svg and chart.png; plus the
/charts/ gallery and the stable script that resizes embedded iframes on other sites."""

from __future__ import annotations

import os
from pathlib import Path

from ...config import SiteConfig
from ...model import Record
from ...render import Page, Renderer
from .chart import Chart
from .downloads import csv_bytes, json_bytes
from .figures import figure_json
from .images import fonts_dir, render_images

# Embed snippets live on other sites for years, so the resizer they load must keep its URL:
# it is copied here without the content hash the theme's assets get.
EMBED_HOST_SCRIPT = "js/chart-embed-host.js"
EMBED_HOST_URL = "charts/embed.js"


def cache_dir(config: SiteConfig) -> Path:
    """Images are keyed by content, so several projects may share one folder
    (BUDGETSITE_CHART_CACHE, as the test suite does for its throwaway copies)."""
    shared = os.environ.get("BUDGETSITE_CHART_CACHE")
    return Path(shared) if shared else config.root / ".build-cache" / "charts"


def _records(chart: Chart, renderer: Renderer) -> list[Record]:
    """The records the chart's rows were read from, in table order."""
    out: list[Record] = []
    for row in chart.table.rows:
        rec = renderer.site.get(row.record)
        if rec is not None and rec not in out:
            out.append(rec)
    return out


def _notes(records: list[Record]) -> list[Record]:
    """Data notes on any record the chart is read from or shown with (a table's total, the
    audit's printed summary), so a reader sees the known discrepancies next to the chart."""
    out: list[Record] = []
    for rec in records:
        for note in rec.data_notes:
            if note not in out:
                out.append(note)
    return out


def _context(chart: Chart, renderer: Renderer) -> dict:
    records = _records(chart, renderer)
    sources = [doc for d in chart.sources if (doc := renderer.site.get(d)) is not None]
    config = renderer.config
    date = renderer.env.filters["date"](chart.as_of)
    citation = renderer.t("charts.page.citation", publisher=config.publisher or config.title, title=chart.title,
                          url=renderer.absolute(chart.url), date=date)
    embed_src = renderer.absolute(f"{chart.url}embed/")
    snippet = (f'<iframe src="{embed_src}" title="{chart.title}" width="100%" height="{chart.height + 160}" '
               f'style="border:0;max-width:100%" loading="lazy"></iframe>'
               f'<script async src="{renderer.absolute(EMBED_HOST_URL)}"></script>')
    shown_with = [rec for rid in chart.records if (rec := renderer.site.get(rid)) is not None]
    return {"chart": chart, "chart_records": records, "chart_sources": sources,
            "chart_notes": _notes(records + shown_with),
            "citation": citation, "embed_snippet": snippet}


def _meta(chart: Chart, renderer: Renderer, context: dict) -> dict:
    config = renderer.config
    return {
        "url": renderer.absolute(chart.url),
        "sources": [{"id": d.id, "title": d.title, "url": renderer.absolute(d.url),
                     "report_date": d.get("report_date")} for d in context["chart_sources"]],
        "publisher": config.publisher, "licence": config.licence, "licence_url": config.licence_url,
        "citation": context["citation"],
        "files": {name: renderer.absolute(f"{chart.url}{name}")
                  for name in ("data.csv", "data.json", "chart.svg", "chart.png", "figure.json")},
    }


def chart_files(charts: list[Chart], renderer: Renderer, config: SiteConfig) -> dict[str, bytes]:
    images = render_images(charts, cache_dir(config), fonts_dir(config.theme_dirs()))
    files: dict[str, bytes] = {}
    id_header = renderer.t("charts.columns.id")
    for chart in charts:
        base = chart.url
        context = _context(chart, renderer)
        files[f"{base}index.html"] = renderer.render(Page(f"{base}index.html", "charts/chart.html", context))
        files[f"{base}embed/index.html"] = renderer.render(Page(f"{base}embed/index.html", "charts/embed.html",
                                                                context))
        files[f"{base}figure.json"] = figure_json(chart.figure).encode("utf-8")
        files[f"{base}data.csv"] = csv_bytes(chart, id_header)
        files[f"{base}data.json"] = json_bytes(chart, _meta(chart, renderer, context))
        files[f"{base}chart.svg"] = images[(chart.id, "svg")]
        files[f"{base}chart.png"] = images[(chart.id, "png")]
    groups: dict[str, list[Chart]] = {}
    for chart in charts:  # already in gallery order
        groups.setdefault(chart.kind, []).append(chart)
    files["charts/index.html"] = renderer.render(Page("charts/index.html", "charts/index.html",
                                                      {"charts": charts, "chart_groups": list(groups.items())}))
    assets = renderer.assets
    files[EMBED_HOST_URL] = assets.files[assets.urls[EMBED_HOST_SCRIPT]]
    return files
