"""Charts of policy indicators: targets against actuals over the years (one indicator), and
target against actual for a family of one-year indicators (2018 일자리 목표 by group)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from ...model import Record, Site
from .amounts import percent
from .chart import Chart, Column, DataTable, Row
from .common import as_of, concerned, sources_of
from .ids import chart_id, common_stem, slug_hash
from .labels import Labels

MEASURES = ("target", "actual")


def _number(value: object) -> Decimal | None:
    """Only figures printed as numbers are charted; '10건' or '-' stay on the record page."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(str(value))


def _values(rec: Record) -> list[dict]:
    values = rec.get("values")
    if not isinstance(values, list):
        return []
    return [v for v in values if isinstance(v, dict)]


def _numeric_points(rec: Record) -> list[tuple[str, Decimal | None, Decimal | None]]:
    return [(str(v.get("period", "")), _number(v.get("target")), _number(v.get("actual")))
            for v in _values(rec) if _number(v.get("target")) is not None or _number(v.get("actual")) is not None]


def _members(site: Site, recs: list[Record]) -> list[Record | None]:
    """The indicators, their organisation and their programs (plain records hold them as ids)."""
    out: list[Record | None] = []
    for rec in recs:
        out.append(rec)
        out.append(site.get(str(rec.get("org") or "")))
        programs = rec.get("programs")
        out.extend(site.get(str(p)) for p in (programs if isinstance(programs, list) else []))
    return out


def series_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    """One chart per indicator printed for two or more periods."""
    for rec in site.kind("indicators"):
        points = _numeric_points(rec)
        if len(points) < 2 or len({p for p, _, _ in points}) < len(points):
            continue  # one period, or several rows for the same period (sub-measures): not a series
        unit = str(rec.get("unit") or "")
        rows = [Row(period, {"target": target, "actual": actual,
                             "achievement": percent(actual, target) if actual is not None and target else None},
                    rec.id) for period, target, actual in points]
        yield Chart(
            id=chart_id("indicator", rec.id),
            title=labels("charts.title.indicator", name=rec.title),
            summary=labels("charts.summary.indicator", first=points[0][0], last=points[-1][0], unit=unit),
            records=concerned(_members(site, [rec])), kind="indicator", sources=sources_of([rec]),
            as_of=as_of(site, rec), unit=unit,
            table=DataTable([Column("target", labels("fields.target"), unit, "count"),
                             Column("actual", labels("fields.actual"), unit, "count"),
                             Column("achievement", labels("fields.achievement"), "%", "rate")], rows,
                            labels("fields.period")))


def _shared_start(texts: list[str]) -> str:
    """The characters every name starts with ("2018 서울시 일자리 목표 — ")."""
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def _families(recs: list[Record]) -> dict[str, list[Record]]:
    """Each indicator joins the family it shares the longest id stem with (same report, same
    unit): s001-jobs-2018-middle-aged → s001-jobs-2018; s000-covid-finance-support-funds →
    s000-covid-finance-support, not s000-covid, which it shares with the special loans.
    Keyed by the stem, which becomes the chart id; two units under one stem (never so far)
    get the unit's hash after the stem, so neither chart takes the other's id."""
    by_stem: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for rec in recs:
        unit = rec.get("unit")
        stems = [common_stem([rec.id, other.id]) for other in recs
                 if other is not rec and other.source.doc == rec.source.doc and other.get("unit") == unit]
        best = max(stems, key=lambda st: (len(st), st), default="")
        if best.count("-") >= 1:  # more than the report id alone
            by_stem[best][str(unit)].append(rec)
    families: dict[str, list[Record]] = {}
    for stem, units in by_stem.items():
        for unit_name, members in units.items():
            families[stem if len(units) == 1 else f"{stem}-{slug_hash(unit_name)}"] = members
    return families


def family_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    """Indicators whose ids share a stem (s001-jobs-2018-youth, s001-jobs-2018-women …), each with
    one target and one actual, in the same unit: one chart of target against actual."""
    single = [rec for rec in site.kind("indicators")
              if len(points := _numeric_points(rec)) == 1 and points[0][1] is not None and points[0][2] is not None]
    families = _families(single)
    for stem, recs in families.items():
        unit = str(recs[0].get("unit") or "")  # one unit per family: never two units on one axis
        if len(recs) < 2:
            continue
        names = [r.title for r in recs]
        shared = _shared_start(names)
        family = shared.rstrip(" —-–(:").strip() or str(recs[0].get("domain") or stem)
        rows = []
        achievements: dict[str, Decimal] = {}
        for rec, name in zip(recs, names, strict=True):
            _, target, actual = _numeric_points(rec)[0]
            label = name[len(shared):].strip(" —-–").strip("()") or name
            achievement = percent(actual, target) if actual is not None and target else None
            if achievement is not None:
                achievements[rec.id] = achievement
            rows.append(Row(label, {"target": target, "actual": actual, "achievement": achievement}, rec.id))
        if not achievements:
            continue  # no target to measure against
        ranked = sorted(rows, key=lambda r: (-achievements.get(r.record, Decimal(-1)), r.record))
        top, low = ranked[0], ranked[len(achievements) - 1]
        period = _numeric_points(recs[0])[0][0]
        yield Chart(
            id=chart_id("indicators", stem),
            title=labels("charts.title.indicators", name=family),
            summary=labels("charts.summary.indicators", n=len(rows), top=top.label,
                           top_rate=labels.rate(achievements[top.record]),
                           low=low.label, low_rate=labels.rate(achievements[low.record])),
            records=concerned(_members(site, recs)), kind="indicators", sources=sources_of(recs),
            as_of=as_of(site, recs[0]), unit=unit,
            note=labels("charts.notes.period", period=period),
            table=DataTable([Column("target", labels("fields.target"), unit, "count"),
                             Column("actual", labels("fields.actual"), unit, "count"),
                             Column("achievement", labels("fields.achievement"), "%", "rate")], rows,
                            labels("fields.label")))
