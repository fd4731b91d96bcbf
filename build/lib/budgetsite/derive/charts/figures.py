"""Plotly figures (plain JSON-ready dicts) from a chart's data table.

Only trace types in plotly.js's *basic* bundle (bar, scatter) and layout shapes/annotations are
used, so the page can load the 1.2 MB basic bundle instead of the 4.8 MB full one. The same
JSON feeds the interactive chart and the static images, so they always agree. Every number
shown as text comes from the table, formatted here once, so hover, labels and table match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

from .amounts import as_float, grouped, one_decimal
from .chart import Chart, Row
from .labels import Labels


@dataclass(frozen=True)
class FigureText:
    """Words drawn around every chart, decided by the spec (they need the site's records)."""
    subtitle: str  # as-of date and unit
    source: str  # the source reports

# The static images are drawn with the theme's own font (themes/default/fonts/, see images.py),
# so it comes first; the interactive chart in a reader's browser, which has no such font unless
# installed, falls through to the usual Korean system fonts.
CHART_FONT = "NanumSquare"
FONT = f"{CHART_FONT}, 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', NanumGothic, sans-serif"
INK, MUTED, GRID = "#1b1f24", "#4f5862", "#e3e7eb"
ACCENT, LIGHT, GREY = "#0b57a4", "#9cc3e6", "#a3acb5"
# Okabe–Ito colours: told apart with every common colour-vision deficiency.
FUNDING_COLOURS = {"national": "#0072b2", "city": "#e69f00", "district": "#009e73", "private": "#cc79a7"}
STATUS_COLOURS = {"done": "#1e6b34", "in_progress": "#0b57a4", "under_review": "#b35c00", "not_reflected": "#6b21a8"}
LABEL_CHARS = 16  # axis labels longer than this are cut (the full name is in the hover and table)
TITLE_CHARS = 34  # a title wraps before this many characters at the static width


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _wrap(text: str) -> str:
    """Break a long title at a space so it fits the static image; Plotly never wraps titles."""
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > TITLE_CHARS:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "<br>".join(lines)


def _num(value: Decimal | int | None, suffix: str = "") -> str:
    return "–" if value is None else f"{grouped(value)}{suffix}"


def _signed(value: Decimal | int | None, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"+{grouped(value)}{suffix}" if value > 0 else f"{grouped(value)}{suffix}"


def _plotted(chart: Chart) -> list[Row]:
    return [r for r in chart.table.rows if not r.total]


def _ids(rows: list[Row]) -> list[str]:
    """Category keys: record ids, so two lines with the same printed name stay two bars."""
    return [r.record or r.label for r in rows]


def _hover(lines: list[str]) -> str:
    return "<br>".join(lines) + "<extra></extra>"


def _base_layout(chart: Chart, context: FigureText, rows: int, bars_per_row: int, horizontal: bool,
                 legend: bool) -> dict:
    """Title and subtitle (as-of date, unit) on top; the source under the value axis, where
    Plotly makes room for it, so a PNG shared on its own still says where it came from."""
    title = _wrap(chart.title)
    top = 30 + 24 * (title.count("<br>") + 1) + 22 + (30 if legend else 0)
    plot = rows * (14 + 16 * bars_per_row) if horizontal else 300
    return {
        "template": {},
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "title": {"text": title, "x": 0.015, "xanchor": "left", "xref": "container",
                  "y": 0.99, "yanchor": "top", "yref": "container", "pad": {"t": 8},
                  "font": {"size": 18, "color": INK},
                  "subtitle": {"text": context.subtitle, "font": {"size": 12, "color": MUTED}}},
        "height": max(300, top + 80 + plot),
        "margin": {"l": 12, "r": 28, "t": top, "b": 40, "pad": 4, "autoexpand": True},
        "showlegend": legend,
        # Over the plot area (xref paper): a legend placed in the container pushes the margin.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom", "traceorder": "normal"},
        "hoverlabel": {"font": {"family": FONT}},
        "annotations": [],
        "shapes": [],
    }


def _source_axis(context: FigureText, extra: dict | None = None) -> dict:
    """The value axis; its title is the source line (the unit is in the subtitle)."""
    axis = {"title": {"text": context.source, "font": {"size": 11, "color": MUTED}, "standoff": 14},
            "gridcolor": GRID, "zeroline": True, "zerolinecolor": "#9aa4ae", "automargin": True,
            "tickformat": ",", "separatethousands": True}
    axis.update(extra or {})
    return axis


def _category_axis(rows: list[Row], reversed_: bool) -> dict:
    axis: dict = {"type": "category", "tickvals": _ids(rows), "ticktext": [_short(r.label) for r in rows],
                  "automargin": True, "ticks": "", "showgrid": False}
    if reversed_:
        axis["autorange"] = "reversed"  # the first row of the table at the top
    return axis


def _hbar(rows: list[Row], key: str, name: str, colour: str, hover: list[str], text: list[str] | None = None,
          textposition: str = "outside") -> dict:
    trace: dict = {"type": "bar", "orientation": "h", "name": name, "y": _ids(rows),
                   "x": [as_float(_number(r, key)) for r in rows], "marker": {"color": colour},
                   "hovertemplate": hover}
    if text is not None:
        trace.update(text=text, textposition=textposition, cliponaxis=False, textfont={"size": 12},
                     insidetextfont={"color": "#ffffff"}, outsidetextfont={"color": INK})
    return trace


def _number(row: Row, key: str) -> Decimal | int | None:
    value = row.get(key)
    return value if isinstance(value, Decimal | int) else None


def _horizontal(chart: Chart, context: FigureText, traces: list[dict], bars_per_row: int, legend: bool,
                axis: dict | None = None, **layout: object) -> dict:
    rows = _plotted(chart)
    fig_layout = _base_layout(chart, context, len(rows), bars_per_row, horizontal=True, legend=legend)
    fig_layout.update(layout)
    fig_layout["xaxis"] = _source_axis(context, axis)
    fig_layout["yaxis"] = _category_axis(rows, reversed_=True)
    return {"data": traces, "layout": fig_layout}


# ---- one builder per kind ---------------------------------------------------------------------

def execution(chart: Chart, labels: Labels, context: FigureText) -> dict:
    rows = _plotted(chart)
    unit = labels.unit(chart.unit)
    hover = [_hover([f"<b>{r.label}</b>", f"{labels('fields.rate')} {_num(_number(r, 'rate'), '%')}",
                     f"{labels('fields.budget')} {_num(_number(r, 'budget'), unit)}",
                     f"{labels('charts.series.spent')} {_num(_number(r, 'spent'), unit)}"]) for r in rows]
    # Inside the bar when it fits, so the rate never sits on the 100% line.
    trace = _hbar(rows, "rate", labels("fields.rate"), ACCENT, hover,
                  [_num(_number(r, "rate"), "%") for r in rows], "auto")
    top = max([float(v) for r in rows if (v := _number(r, "rate")) is not None] + [100.0])
    fig = _horizontal(chart, context, [trace], 1, legend=False,
                      axis={"range": [0, top * 1.12], "ticksuffix": "%"})
    layout = fig["layout"]
    layout["shapes"].append({"type": "line", "xref": "x", "yref": "paper", "x0": 100, "x1": 100, "y0": 0, "y1": 1,
                             "line": {"color": INK, "width": 1.5, "dash": "dash"}, "layer": "above"})
    layout["annotations"].append({"text": labels("charts.line_100"), "xref": "x", "yref": "paper", "x": 100, "y": 1,
                                  "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                                  "font": {"size": 11, "color": INK}})
    total = next((r for r in chart.table.rows if r.total), None)
    if total is not None and (value := _number(total, "rate")) is not None:
        layout["shapes"].append({"type": "line", "xref": "x", "yref": "paper", "x0": float(value), "x1": float(value),
                                 "y0": 0, "y1": 1, "line": {"color": MUTED, "width": 1, "dash": "dot"},
                                 "layer": "below"})  # behind the bars: never through their labels
        layout["annotations"].append({"text": labels("charts.total_line", rate=_num(value, "%")), "xref": "x",
                                      "yref": "paper", "x": float(value), "y": 1, "xanchor": "right",
                                      "yanchor": "bottom", "showarrow": False, "font": {"size": 11, "color": MUTED}})
    return fig


def _budget_spent(chart: Chart, labels: Labels, context: FigureText) -> dict:
    """Two bars per line: the current budget (light) and what was spent (dark, with its rate)."""
    rows = _plotted(chart)
    unit = labels.unit(chart.unit)
    hover = [_hover([f"<b>{r.label}</b>", f"{labels('fields.budget')} {_num(_number(r, 'budget'), unit)}",
                     f"{labels('charts.series.spent')} {_num(_number(r, 'spent'), unit)}",
                     f"{labels('fields.rate')} {_num(_number(r, 'rate'), '%')}"]) for r in rows]
    budget = _hbar(rows, "budget", labels("fields.budget"), LIGHT, hover)
    spent = _hbar(rows, "spent", labels("charts.series.spent"), ACCENT, hover,
                  [_num(_number(r, "rate"), "%") for r in rows])
    return _horizontal(chart, context, [budget, spent], 2, legend=True, barmode="group", bargap=0.25,
                       bargroupgap=0.05)


def composition(chart: Chart, labels: Labels, context: FigureText) -> dict:
    rows = _plotted(chart)
    unit = labels.unit(chart.unit)
    hover = [_hover([f"<b>{r.label}</b>", f"{labels('fields.budget')} {_num(_number(r, 'budget'), unit)}",
                     f"{labels('charts.columns.share')} {_num(_number(r, 'share'), '%')}"]) for r in rows]
    trace = _hbar(rows, "budget", labels("fields.budget"), ACCENT, hover,
                  [_num(_number(r, "share"), "%") for r in rows])
    return _horizontal(chart, context, [trace], 1, legend=False)


def funding(chart: Chart, labels: Labels, context: FigureText) -> dict:
    rows = _plotted(chart)
    unit = labels.unit(chart.unit)
    traces = []
    for key in (c.key for c in chart.table.columns if c.key != "total"):
        name = labels(f"fields.{key}")
        hover = [_hover([f"<b>{r.label}</b>", f"{name} {_num(_number(r, key), unit)} ({_num(_share(r, key), '%')})",
                         f"{labels('fields.total')} {_num(_number(r, 'total'), unit)}"]) for r in rows]
        text = [_num(_share(r, key), "%") if _number(r, key) else "" for r in rows]
        traces.append(_hbar(rows, key, name, FUNDING_COLOURS.get(key, GREY), hover, text, "inside"))
    return _horizontal(chart, context, traces, 1, legend=True, barmode="stack", bargap=0.35,
                       uniformtext={"minsize": 10, "mode": "hide"})


def _share(row: Row, key: str) -> Decimal | None:
    part, whole = _number(row, key), _number(row, "total")
    if part is None or not whole:
        return None
    return one_decimal(Decimal(part) * 100 / Decimal(whole))


def change(chart: Chart, labels: Labels, context: FigureText) -> dict:
    rows = _plotted(chart)
    unit = labels.unit(chart.unit)
    prior_name, current_name = chart.table.columns[0].label, chart.table.columns[1].label
    hover = [_hover([f"<b>{r.label}</b>", f"{prior_name} {_num(_number(r, 'prior'), unit)}",
                     f"{current_name} {_num(_number(r, 'current'), unit)}",
                     f"{labels('fields.change')} {_signed(_number(r, 'change'), unit)} "
                     f"({_signed(_number(r, 'change_rate'), '%')})"]) for r in rows]
    prior = _hbar(rows, "prior", prior_name, GREY, hover)
    current = _hbar(rows, "current", current_name, ACCENT, hover,
                    [_signed(_number(r, "change_rate"), "%") for r in rows])
    return _horizontal(chart, context, [prior, current], 2, legend=True, barmode="group", bargap=0.25,
                       bargroupgap=0.05)


def audit_status(chart: Chart, labels: Labels, context: FigureText) -> dict:
    rows = _plotted(chart)
    unit = labels.unit(chart.unit)
    traces = []
    for col in chart.table.columns:
        if col.key == "total" or not any(_number(r, col.key) for r in rows):
            continue  # a status no request has would only add an empty legend entry
        hover = [_hover([f"<b>{r.label}</b>", f"{col.label} {_num(_number(r, col.key), unit)}",
                         f"{labels('fields.total')} {_num(_number(r, 'total'), unit)}"]) for r in rows]
        text = [_num(_number(r, col.key)) if _number(r, col.key) else "" for r in rows]
        traces.append(_hbar(rows, col.key, col.label, STATUS_COLOURS.get(col.key, GREY), hover, text, "inside"))
    return _horizontal(chart, context, traces, 1, legend=True, axis={"dtick": 2}, barmode="stack", bargap=0.35)


def indicator(chart: Chart, labels: Labels, context: FigureText) -> dict:
    """Periods along the bottom. A period with both figures shows them side by side; when no
    period has both (past actuals, future targets) each bar takes the whole slot."""
    rows = _plotted(chart)
    both = any(_number(r, "target") is not None and _number(r, "actual") is not None for r in rows)
    suffix = f" {chart.unit}" if chart.unit else ""
    traces = []
    for key, colour in (("target", LIGHT), ("actual", ACCENT)):
        if all(_number(r, key) is None for r in rows):
            continue
        name = labels(f"fields.{key}")
        trace = {"type": "bar", "name": name, "x": [r.label for r in rows],
                 "y": [as_float(_number(r, key)) for r in rows], "marker": {"color": colour},
                 "text": [_num(_number(r, key)) if _number(r, key) is not None else "" for r in rows],
                 "textposition": "outside", "cliponaxis": False, "textfont": {"size": 12},
                 "hovertemplate": [_hover([f"<b>{r.label}</b>", f"{name} {_num(_number(r, key), suffix)}"])
                                   for r in rows]}
        if not both:
            trace["offsetgroup"] = "value"  # same slot: no empty half-slot beside each bar
        traces.append(trace)
    layout = _base_layout(chart, context, len(rows), 1, horizontal=False, legend=True)
    layout.update(barmode="group", bargap=0.3)
    layout["xaxis"] = {"type": "category", "automargin": True, "ticks": "",
                       "title": {"text": context.source, "font": {"size": 11, "color": MUTED}, "standoff": 14}}
    layout["yaxis"] = {"gridcolor": GRID, "zeroline": True, "zerolinecolor": "#9aa4ae", "automargin": True,
                       "tickformat": ",", "rangemode": "tozero"}
    return {"data": traces, "layout": layout}


def indicators(chart: Chart, labels: Labels, context: FigureText) -> dict:
    rows = _plotted(chart)
    suffix = f" {chart.unit}" if chart.unit else ""
    hover = [_hover([f"<b>{r.label}</b>", f"{labels('fields.target')} {_num(_number(r, 'target'), suffix)}",
                     f"{labels('fields.actual')} {_num(_number(r, 'actual'), suffix)}",
                     f"{labels('fields.achievement')} {_num(_number(r, 'achievement'), '%')}"]) for r in rows]
    target = _hbar(rows, "target", labels("fields.target"), LIGHT, hover)
    actual = _hbar(rows, "actual", labels("fields.actual"), ACCENT, hover,
                   [_num(_number(r, "achievement"), "%") for r in rows])
    return _horizontal(chart, context, [target, actual], 2, legend=True, barmode="group", bargap=0.25,
                       bargroupgap=0.05)


BUILDERS: dict[str, Callable[[Chart, Labels, FigureText], dict]] = {
    "execution": execution, "spending": _budget_spent, "composition": composition, "funding": funding,
    "change": change, "audit-status": audit_status, "indicator": indicator, "indicators": indicators,
}


def build_figure(chart: Chart, labels: Labels, context: FigureText) -> dict:
    return BUILDERS[chart.kind](chart, labels, context)


def figure_json(figure: dict) -> str:
    """The figure as Plotly JSON. plotly.py validates it (a misspelt attribute fails the build);
    the stdlib engine is named because orjson, when installed, writes floats differently."""
    return go.Figure(figure).to_json(validate=True, pretty=False, engine="json")


def plotly_version() -> str:
    """plotly.js version plotly.py bundles (kaleido draws with it; the page loads the same version)."""
    from plotly.offline import get_plotlyjs_version

    return str(get_plotlyjs_version())
