"""Charts of budget tables: execution rate by organisation, budget against spending within an
organisation, a bureau's budget composition, funding split, and change from the prior year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from ...model import BudgetLine, Site
from ...money import Money, currency, rate
from .amounts import display_unit, in_unit, one_decimal, percent
from .chart import Chart, Column, DataTable, Row
from .common import as_of, concerned, owner_name, sources_of, unique_labels
from .ids import chart_id, common_stem, table_stem
from .labels import Labels

DETAIL_LEVELS = ("단위사업", "세부사업")
FUNDING_KEYS = ("national", "city", "district", "private")
MIN_COMPOSITION_ITEMS = 4  # fewer items read better as the execution chart's bars


def _tables(site: Site) -> dict[tuple[str, str], list[BudgetLine]]:
    """Budget lines by (report, printed table name), in the model's order."""
    tables: dict[tuple[str, str], list[BudgetLine]] = defaultdict(list)
    for line in site.budget:
        tables[(line.source.doc, str(line.data.get("table") or ""))].append(line)
    return tables


def _total(lines: list[BudgetLine]) -> BudgetLine | None:
    return next((ln for ln in lines if ln.data.get("level") == "총계"), None)


def _level(line: BudgetLine) -> str:
    return str(line.data.get("level") or "")


def _won(line: BudgetLine, name: str) -> int:
    """An amount the caller has already checked is there, in the currency's base unit."""
    m: Money | None = getattr(line, name)
    if m is None:
        raise ValueError(f"{line.id} has no {name}")
    return m.base


def _sum(lines: list[BudgetLine], name: str) -> Money:
    """Lines' amounts added in the base unit (their units may differ)."""
    return Money(Decimal(sum(_won(ln, name) for ln in lines)), currency().base)


def _has_execution(line: BudgetLine) -> bool:
    return line.budget is not None and line.spent is not None and line.budget.base > 0


def _year(lines: list[BudgetLine]) -> str:
    years = sorted({str(ln.year) for ln in lines if ln.year})
    return "·".join(years)


SERIES_KEYS = {"budget": "fields.budget", "spent": "charts.series.spent"}


def _money_columns(labels: Labels, unit: str, *keys: str) -> list[Column]:
    return [Column(k, labels(SERIES_KEYS[k]), unit, "amount") for k in keys]


# ---- execution rate by organisation -----------------------------------------------------------

def _execution_rows(lines: list[BudgetLine], total: BudgetLine | None) -> list[BudgetLine]:
    """Organisation rows of a table; a table without them (영등포구 예산현황) is read by the
    단위사업 rows directly under its total."""
    rows = [ln for ln in lines if _level(ln) == "부서" and _has_execution(ln)]
    if len(rows) < 2 and total is not None:
        rows = [c for c in total.children if _level(c) in DETAIL_LEVELS and _has_execution(c)]
    return rows


def execution_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    for (doc_id, _), lines in _tables(site).items():
        total = _total(lines)
        rows = _execution_rows(lines, total)
        if len(rows) < 2:
            continue
        unit = display_unit([r.budget for r in rows])
        names = unique_labels(rows)
        ordered = sorted(rows, key=lambda r: (-(r.rate_computed or Decimal(0)), r.id))
        table_rows = [_execution_row(names[r.id], r, unit) for r in ordered]
        if total is not None and _has_execution(total):
            table_rows.append(_execution_row(labels("fields.total"), total, unit, is_total=True))
        date = as_of(site, rows[0])
        top, low = ordered[0], ordered[-1]
        params = dict(date=labels.date(date), top=names[top.id], top_rate=labels.rate(top.rate_computed),
                      low=names[low.id], low_rate=labels.rate(low.rate_computed))
        if total is not None and total.rate_computed is not None:
            summary = labels("charts.summary.execution", total=labels.rate(total.rate_computed), **params)
        else:
            summary = labels("charts.summary.execution_no_total", **params)
        members = [total, *rows] if total is not None else rows
        level = _level(rows[0])
        yield Chart(
            id=chart_id("execution", table_stem(total, rows)),
            title=labels("charts.title.execution", owner=owner_name(site, total, doc_id), year=_year(rows),
                         by=labels.by_level(level)),
            summary=summary, records=concerned(members), pages=["execution"], kind="execution",
            sources=sources_of(members), as_of=date, unit=unit, note=labels("fields.rate_formula"),
            table=DataTable([*_money_columns(labels, unit, "budget", "spent"),
                             Column("rate", labels("fields.rate"), "%", "rate")], table_rows,
                            labels.level_name(level)))


def _execution_row(label: str, line: BudgetLine, unit: str, is_total: bool = False) -> Row:
    return Row(label, {"budget": in_unit(line.budget, unit), "spent": in_unit(line.spent, unit),
                       "rate": one_decimal(line.rate_computed)}, line.id, is_total)


# ---- budget against spending within an organisation ------------------------------------------

def spending_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    """Within each organisation row (or account subtotal): its lines' budget and spending.
    A table's 총계 is left out: its breakdown is the execution chart."""
    for parent in site.budget:
        if _level(parent) == "총계":
            continue
        children = [c for c in parent.children if _level(c) in DETAIL_LEVELS and _has_execution(c)]
        if len(children) < 2:
            continue
        unit = display_unit([c.budget for c in children])
        names = unique_labels(children)
        ordered = sorted(children, key=lambda c: (-_won(c, "budget"), c.id))
        rows = [_execution_row(names[c.id], c, unit) for c in ordered]
        budget, spent = _sum(children, "budget"), _sum(children, "spent")
        rows.append(Row(labels("fields.total"), {"budget": in_unit(budget, unit), "spent": in_unit(spent, unit),
                                                 "rate": one_decimal(rate(spent, budget))}, "", True))
        low = min(children, key=lambda c: (c.rate_computed or Decimal(0), c.id))
        date = as_of(site, children[0])
        by = labels.by_level(_level(children[0]))
        owner = parent.org.name if _level(parent) == "부서" and parent.org else \
            f"{owner_name(site, None, parent.source.doc)} {parent.name}"
        members = [parent, *children]
        yield Chart(
            id=chart_id("spending", parent.id),
            title=labels("charts.title.spending", owner=owner, by=by, year=_year(children)),
            summary=labels("charts.summary.spending", date=labels.date(date), n=len(children),
                           level=labels.level_name(_level(children[0])),
                           budget=labels.won(budget), spent=labels.won(spent), rate=labels.rate(rate(spent, budget)),
                           low=names[low.id], low_rate=labels.rate(low.rate_computed)),
            records=concerned(members), kind="spending", sources=sources_of(members), as_of=date, unit=unit,
            note=labels("fields.rate_formula"),
            table=DataTable([*_money_columns(labels, unit, "budget", "spent"),
                             Column("rate", labels("fields.rate"), "%", "rate")], rows,
                            labels.level_name(_level(children[0]))))


# ---- a bureau's budget composition -------------------------------------------------------------

def _detail_descendants(line: BudgetLine) -> list[BudgetLine]:
    """The 단위사업 under a total, however many subtotals lie between (each counted once)."""
    out: list[BudgetLine] = []
    for child in line.children:
        if _level(child) == "단위사업":
            out.append(child)
        elif _level(child) in ("소계", "부서"):
            out.extend(_detail_descendants(child))
    return out


def composition_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    for (doc_id, _), lines in _tables(site).items():
        total = _total(lines)
        if total is None or total.budget is None:
            continue
        items = [ln for ln in _detail_descendants(total) if ln.budget is not None]
        if len(items) < MIN_COMPOSITION_ITEMS:
            continue
        unit = display_unit([ln.budget for ln in items])
        names = unique_labels(items)
        ordered = sorted(items, key=lambda ln: (-_won(ln, "budget"), ln.id))
        whole = total.budget.base
        rows = [Row(names[ln.id], {"budget": in_unit(ln.budget, unit),
                                   "share": percent(_won(ln, "budget"), whole)}, ln.id)
                for ln in ordered]
        rows.append(Row(labels("fields.total"), {"budget": in_unit(total.budget, unit), "share": Decimal("100.0")},
                        total.id, True))
        top = ordered[0]
        date = as_of(site, total)
        by = labels.by_level("단위사업")
        members = [total, *items]
        yield Chart(
            id=chart_id("composition", table_stem(total, items)),
            title=labels("charts.title.composition", owner=owner_name(site, total, doc_id), year=_year([total]),
                         by=by),
            summary=labels("charts.summary.composition", total=labels.won(total.budget), top=names[top.id],
                           amount=labels.won(top.budget), share=labels.rate(percent(_won(top, "budget"), whole))),
            records=concerned(members), pages=["execution"], kind="composition", sources=sources_of(members),
            as_of=date, unit=unit,
            table=DataTable([*_money_columns(labels, unit, "budget"),
                             Column("share", labels("charts.columns.share"), "%", "rate")], rows,
                            labels.level_name("단위사업")))


# ---- funding split (국비·시비·구비) --------------------------------------------------------------

def funding_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    for (doc_id, _), lines in _tables(site).items():
        funded = [ln for ln in lines if ln.funding]
        if len(funded) < 2:
            continue
        keys = [k for k in FUNDING_KEYS if any(k in ln.funding for ln in funded)]
        unit = display_unit([m for ln in funded for m in ln.funding.values()])
        names = unique_labels(funded)
        rows = []
        sums = dict.fromkeys(keys, 0)
        for ln in funded:
            values: dict = {k: in_unit(ln.funding.get(k), unit) for k in keys}
            won = sum(m.base for m in ln.funding.values())
            values["total"] = in_unit(Money(Decimal(won), currency().base), unit)
            rows.append(Row(names[ln.id], values, ln.id))
            for k in keys:
                sums[k] += ln.funding[k].base if k in ln.funding else 0
        whole = sum(sums.values())
        total_values: dict = {k: in_unit(Money(Decimal(sums[k]), currency().base), unit) for k in keys}
        total_values["total"] = in_unit(Money(Decimal(whole), currency().base), unit)
        rows.append(Row(labels("fields.total"), total_values, "", True))
        parts = ", ".join(f"{labels(f'fields.{k}')} {labels.rate(percent(sums[k], whole))}" for k in keys)
        date = as_of(site, funded[0])
        by = labels.by_level(_level(funded[0]))
        members: list = list(funded)
        yield Chart(
            id=chart_id("funding", common_stem(ln.id for ln in funded)),
            title=labels("charts.title.funding", owner=owner_name(site, _total(lines), doc_id), year=_year(funded),
                         by=by),
            summary=labels("charts.summary.funding", n=len(funded), total=labels.won(whole), parts=parts),
            records=concerned(members), kind="funding", sources=sources_of(members), as_of=date, unit=unit,
            table=DataTable([*(Column(k, labels(f"fields.{k}"), unit, "amount") for k in keys),
                             Column("total", labels("fields.total"), unit, "amount")], rows,
                            labels.level_name(_level(funded[0]))))


# ---- change from the prior year ---------------------------------------------------------------

def change_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    for (doc_id, _), lines in _tables(site).items():
        compared = [ln for ln in lines if ln.budget is not None and ln.prior_budget is not None
                    and _level(ln) in DETAIL_LEVELS]
        if len(compared) < 2:
            continue
        total = _total(lines)
        unit = display_unit([m for ln in compared for m in (ln.budget, ln.prior_budget)])
        names = unique_labels(compared)
        ordered = sorted(compared, key=lambda ln: (-_won(ln, "budget"), ln.id))
        year = _year(compared)
        prior_year = str(compared[0].data.get("prior_year") or "")
        rows = [_change_row(names[ln.id], _sum([ln], "prior_budget"), _sum([ln], "budget"), unit, ln.id)
                for ln in ordered]
        prior, current = _sum(compared, "prior_budget"), _sum(compared, "budget")
        rows.append(_change_row(labels("fields.total"), prior, current, unit, "", True))
        by = labels.by_level(_level(compared[0]))
        members: list = [total, *compared] if total is not None else list(compared)
        rising = sum(1 for ln in compared if _won(ln, "budget") > _won(ln, "prior_budget"))
        falling = sum(1 for ln in compared if _won(ln, "budget") < _won(ln, "prior_budget"))
        yield Chart(
            id=chart_id("change", table_stem(total, compared)),
            title=labels("charts.title.change", owner=owner_name(site, total, doc_id), year=year, by=by),
            summary=labels("charts.summary.change", n=len(compared), prior_year=prior_year, year=year,
                           prior=labels.won(prior), current=labels.won(current), rising=rising, falling=falling),
            records=concerned(members), kind="change", sources=sources_of(members), as_of=as_of(site, compared[0]),
            unit=unit,
            table=DataTable([Column("prior", labels("charts.series.year_budget", year=prior_year), unit, "amount"),
                             Column("current", labels("charts.series.year_budget", year=year), unit, "amount"),
                             Column("change", labels("fields.change"), unit, "amount"),
                             Column("change_rate", labels("charts.columns.change_rate"), "%", "rate")], rows,
                            labels.level_name(_level(compared[0]))))


def _change_row(label: str, prior: Money, current: Money, unit: str, record: str, is_total: bool = False) -> Row:
    diff = Money(Decimal(current.base - prior.base), currency().base)
    return Row(label, {"prior": in_unit(prior, unit), "current": in_unit(current, unit),
                       "change": in_unit(diff, unit), "change_rate": percent(diff.base, prior.base)}, record, is_total)
