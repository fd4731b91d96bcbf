"""The pages of every chart: its permalink page and embed page under /charts/<id>/, and the
/charts/ gallery. Their data files are made by the derive stage (budgetsite.derive.charts)."""

from __future__ import annotations

from ..derive.charts import Chart
from ..derive.charts.files import EMBED_HOST_URL, citation
from ..derive.charts.labels import Labels
from ..model import Record, Site
from .page import Page


def _records(chart: Chart, site: Site) -> list[Record]:
    """The records the chart's rows were read from, in table order."""
    out: list[Record] = []
    for row in chart.table.rows:
        rec = site.get(row.record)
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


def chart_context(chart: Chart, site: Site, labels: Labels) -> dict:
    config = labels.config
    records = _records(chart, site)
    sources = [doc for d in chart.sources if (doc := site.get(d)) is not None]
    embed_src = config.absolute(f"{chart.url}embed/")
    snippet = (f'<iframe src="{embed_src}" title="{chart.title}" width="100%" height="{chart.height + 160}" '
               f'style="border:0;max-width:100%" loading="lazy"></iframe>'
               f'<script async src="{config.absolute(EMBED_HOST_URL)}"></script>')
    shown_with = [rec for rid in chart.records if (rec := site.get(rid)) is not None]
    return {"chart": chart, "chart_records": records, "chart_sources": sources,
            "chart_notes": _notes(records + shown_with),
            "citation": citation(chart, config, labels), "embed_snippet": snippet}


def chart_pages(charts: list[Chart], site: Site, labels: Labels) -> list[Page]:
    pages: list[Page] = []
    for chart in charts:
        context = chart_context(chart, site, labels)
        pages.append(Page(f"{chart.url}index.html", "charts/chart.html", context))
        pages.append(Page(f"{chart.url}embed/index.html", "charts/embed.html", context))
    groups: dict[str, list[Chart]] = {}
    for chart in charts:  # already in gallery order
        groups.setdefault(chart.kind, []).append(chart)
    pages.append(Page("charts/index.html", "charts/index.html",
                      {"charts": charts, "chart_groups": list(groups.items())}))
    return pages
