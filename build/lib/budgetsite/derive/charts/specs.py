"""Which charts exist: every chart the model supports, with its figure, in a stable order."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...config import SiteConfig
from ...model import Site
from . import audit_specs, budget_specs, indicator_specs
from .chart import Chart
from .figures import FigureText, build_figure
from .labels import Labels

Spec = Callable[[Site, Labels], Iterator[Chart]]

# Gallery order: budget execution first, the audit follow-up, then indicators.
SPECS: list[tuple[str, Spec]] = [
    ("execution", budget_specs.execution_charts),
    ("spending", budget_specs.spending_charts),
    ("composition", budget_specs.composition_charts),
    ("funding", budget_specs.funding_charts),
    ("change", budget_specs.change_charts),
    ("audit-status", audit_specs.audit_charts),
    ("indicator", indicator_specs.series_charts),
    ("indicators", indicator_specs.family_charts),
]
KIND_ORDER = [kind for kind, _ in SPECS]


def figure_text(site: Site, chart: Chart, labels: Labels) -> FigureText:
    """The provenance drawn into the image, so a PNG shared on its own says what it shows."""
    titles = [rec.title for doc in chart.sources if (rec := site.get(doc)) is not None]
    subtitle = [labels("charts.as_of", date=labels.date(chart.as_of))] if chart.as_of else []
    if chart.unit:
        subtitle.append(labels("charts.unit", unit=labels.unit(chart.unit)))
    return FigureText(" · ".join(subtitle), labels("charts.source", sources=" · ".join(titles)))


def all_charts(site: Site, config: SiteConfig) -> list[Chart]:
    labels = Labels(config)
    charts: dict[str, Chart] = {}
    for _, spec in SPECS:
        for chart in spec(site, labels):
            if chart.id in charts:
                raise ValueError(f"two charts would share the id {chart.id!r}; its records: {chart.records}")
            chart.figure = build_figure(chart, labels, figure_text(site, chart, labels))
            charts[chart.id] = chart
    return sorted(charts.values(), key=lambda c: (KIND_ORDER.index(c.kind), c.id))
