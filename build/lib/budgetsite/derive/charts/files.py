"""The data files a chart publishes under /charts/<id>/: the figure JSON the interactive chart
loads, data.csv, data.json (with its citation and sources), chart.svg and chart.png. Its pages
(permalink, embed, gallery) are rendered by the render stage (budgetsite.render.charts)."""

from __future__ import annotations

import os
from pathlib import Path

from ... import i18n
from ...config import SiteConfig
from ...model import Site
from .chart import Chart
from .downloads import csv_bytes, json_bytes
from .figures import figure_json
from .images import fonts_dir, render_images
from .labels import Labels

# Embed snippets live on other sites for years, so the resizer they load must keep its URL:
# the theme's script is copied there without the content hash its assets get.
EMBED_HOST_SCRIPT = "js/chart-embed-host.js"
EMBED_HOST_URL = "charts/embed.js"
DATA_FILES = ("data.csv", "data.json", "chart.svg", "chart.png", "figure.json")


def cache_dir(config: SiteConfig) -> Path:
    """Images are keyed by content, so several projects may share one folder
    (BUDGETSITE_CHART_CACHE, as the test suite does for its throwaway copies)."""
    shared = os.environ.get("BUDGETSITE_CHART_CACHE")
    return Path(shared) if shared else config.root / ".build-cache" / "charts"


def citation(chart: Chart, config: SiteConfig, labels: Labels) -> str:
    """How to cite the chart: publisher, title, permalink and as-of date."""
    return labels("charts.page.citation", publisher=config.publisher or config.title, title=chart.title,
                  url=config.absolute(chart.url), date=i18n.format_date(chart.as_of, config.language))


def _meta(chart: Chart, site: Site, config: SiteConfig, labels: Labels) -> dict:
    sources = [doc for d in chart.sources if (doc := site.get(d)) is not None]
    return {
        "url": config.absolute(chart.url),
        "sources": [{"id": d.id, "title": d.title, "url": config.absolute(d.url),
                     "report_date": d.get("report_date")} for d in sources],
        "publisher": config.publisher, "licence": config.licence, "licence_url": config.licence_url,
        "citation": citation(chart, config, labels),
        "files": {name: config.absolute(f"{chart.url}{name}") for name in DATA_FILES},
    }


def chart_files(charts: list[Chart], site: Site, config: SiteConfig) -> dict[str, bytes]:
    images = render_images(charts, cache_dir(config), fonts_dir(config.theme_dirs()))
    labels = Labels(config)
    files: dict[str, bytes] = {}
    id_header = labels("charts.columns.id")
    for chart in charts:
        base = chart.url
        files[f"{base}figure.json"] = figure_json(chart.figure).encode("utf-8")
        files[f"{base}data.csv"] = csv_bytes(chart, id_header)
        files[f"{base}data.json"] = json_bytes(chart, _meta(chart, site, config, labels))
        files[f"{base}chart.svg"] = images[(chart.id, "svg")]
        files[f"{base}chart.png"] = images[(chart.id, "png")]
    return files
