"""Stage 4a — charts: Plotly figures built from the model, each with a permanent page,
downloads, a static image and an embed.

    specs      which charts exist (budget_specs, audit_specs, indicator_specs), ids in ids.py
    figures    the Plotly figure of each kind (basic-bundle trace types only)
    images     SVG and PNG drawn once by kaleido + Chromium with the theme's font, cached by content hash
    downloads  data.csv and data.json
    files      the data files under /charts/<id>/ (its pages: budgetsite.render.charts)

This module is the contract the pipeline and the templates use."""

from __future__ import annotations

from collections.abc import Callable

from ...config import SiteConfig
from ...model import Record, Site
from .chart import Chart, Column, DataTable, Row
from .files import chart_files
from .images import ChartImageError
from .specs import all_charts

__all__ = ["Chart", "ChartImageError", "Column", "DataTable", "Row", "build_charts", "chart_files",
           "charts_lookup"]


def build_charts(site: Site, config: SiteConfig) -> list[Chart]:
    return all_charts(site, config)


def charts_lookup(charts: list[Chart]) -> Callable[..., list[Chart]]:
    """`charts_for(record)` / `charts_for(None, "execution")` for templates."""
    by_record: dict[str, list[Chart]] = {}
    by_page: dict[str, list[Chart]] = {}
    for c in charts:
        for rid in c.records:
            by_record.setdefault(rid, []).append(c)
        for p in c.pages:
            by_page.setdefault(p, []).append(c)

    def charts_for(rec: Record | None = None, page: str | None = None) -> list[Chart]:
        if rec is not None:
            return by_record.get(rec.id, [])
        return by_page.get(page or "", [])
    return charts_for

