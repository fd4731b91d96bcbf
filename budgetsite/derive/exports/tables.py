"""Rows per kind: each record (or each value of an indicator, each row of a staffing table) as a
flat dict keyed by the column names in columns.py. Values stay typed (Decimal, int, bool, list);
the writers decide how each format spells them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from ...config import SiteConfig
from ...model import BudgetLine, Record, Site
from ...money import Money, currency
from . import columns
from .schema import Table

Row = dict[str, object]
FOUR_PLACES = Decimal("0.0001")


class Context:
    """What rows need besides the record: names of linked records, as-of dates, absolute URLs."""

    def __init__(self, site: Site, config: SiteConfig, absolute: Callable[[str], str], as_of: Callable[[Record], str]):
        self.site, self.config, self.absolute, self.as_of = site, config, absolute, as_of

    def name(self, rid: object) -> str | None:
        rec = self.site.get(rid) if isinstance(rid, str) else None
        return rec.title if rec else None

    def provenance(self, rec: Record) -> Row:
        doc = self.site.get(rec.source.doc)
        return {
            "source_doc": rec.source.doc,
            "source_title": doc.title if doc else None,
            "source_section": rec.source.section or None,
            "source_line_start": rec.source.first_line,
            "source_line_end": rec.source.last_line,
            "as_of": self.as_of(rec) or None,
            "url": self.absolute(rec.url),
            "editor_notes": list(rec.notes),
            "data_notes": [n.id for n in rec.data_notes],
        }


def number(value: object) -> int | Decimal | None:
    """A printed figure without float noise: 36351 stays 36351, 325.587 stays 325.587."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else d.normalize()


def money(prefix: str, m: Money | None) -> Row:
    base = f"{prefix}_{currency().column_suffix}"
    if m is None:
        return {prefix: None, f"{prefix}_unit": None, base: None}
    return {prefix: number(m.amount), f"{prefix}_unit": m.unit, base: m.base}


def texts(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _items(rec: Record, key: str) -> list[dict]:
    """A list of mappings in the record (values, rows, claims …); anything else counts as none."""
    value = rec.data.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _pick(rec: Record, *names: str) -> Row:
    return {n: rec.get(n) for n in names}


def _org(ctx: Context, rec: Record) -> Row:
    oid = rec.get("org")
    return {"org": oid, "org_name": ctx.name(oid)}


def programs(ctx: Context, rec: Record) -> Iterator[Row]:
    yield {"id": rec.id, **_pick(rec, "name", "number", "area", "year", "stage"), **_org(ctx, rec),
           **_pick(rec, "parent", "successor_of", "summary"), "legal_basis": texts(rec.get("legal_basis")),
           "budget_text": rec.get("budget_text"), "name_variants": texts(rec.get("name_variants"))}


def budget(ctx: Context, rec: Record) -> Iterator[Row]:
    assert isinstance(rec, BudgetLine)
    computed = rec.rate_computed
    row: Row = {"id": rec.id, **_pick(rec, "name", "number", "table", "level", "account", "year"), **_org(ctx, rec),
                "parent": rec.get("parent"), "programs": texts(rec.get("programs")), "unit": rec.unit}
    for name in ("budget", "obligated", "spent", "forecast", "planned"):
        row.update(money(name, getattr(rec, name)))
    row["prior_year"] = rec.get("prior_year")
    row.update(money("prior_budget", rec.prior_budget))
    row.update({
        "change_stated": number(rec.get("change_stated")),
        "execution_rate_computed": None if computed is None else computed.quantize(FOUR_PLACES, ROUND_HALF_UP),
        "rate_stated": number(rec.rate_stated),
        "rate_agrees": rec.rate_agrees,
        "obligation_rate_stated": number(rec.get("obligation_rate_stated")),
    })
    for source in ("national", "city", "district", "private"):
        row.update(money(f"funding_{source}", rec.funding.get(source)))
    yield row


def audits(ctx: Context, rec: Record) -> Iterator[Row]:
    yield {"id": rec.id, **_pick(rec, "audit", "category", "number", "status", "status_printed"), **_org(ctx, rec),
           **_pick(rec, "request", "actions", "plan", "completed_date", "duplicate_of"),
           "programs": texts(rec.get("programs"))}


def orgs(ctx: Context, rec: Record) -> Iterator[Row]:
    functions = [f"[{f.get('doc')}] {item}" for f in _items(rec, "functions") for item in f.get("items") or []]
    yield {"id": rec.id, **_pick(rec, "name", "type", "jurisdiction", "parent"),
           "predecessors": texts(rec.get("predecessors")), "name_variants": texts(rec.get("name_variants")),
           "functions": functions, "summary": rec.get("summary")}


def _figure(value: object) -> tuple[int | Decimal | None, str | None]:
    """An indicator value: the number when it is one, and always the value as written."""
    if value is None:
        return None, None
    return number(value), str(value)


def indicators(ctx: Context, rec: Record) -> Iterator[Row]:
    head = {"id": rec.id, **_pick(rec, "name", "domain", "unit"), **_org(ctx, rec),
            "programs": texts(rec.get("programs"))}
    for i, v in enumerate(_items(rec, "values"), 1):
        target, target_text = _figure(v.get("target"))
        actual, actual_text = _figure(v.get("actual"))
        yield {**head, "value_no": i, "period": str(v.get("period")), "target": target, "target_text": target_text,
               "actual": actual, "actual_text": actual_text, "rate_stated": number(v.get("rate_stated")),
               "note": v.get("note")}


def staffing(ctx: Context, rec: Record) -> Iterator[Row]:
    for i, r in enumerate(_items(rec, "rows"), 1):
        yield {"id": rec.id, "row_no": i, "title": rec.get("title"), "label": r.get("label"),
               "org": r.get("org"), "org_name": ctx.name(r.get("org")),
               **{n: r.get(n) for n in ("authorized", "current", "women", "shortage")},
               "cells": r.get("cells"), "table_note": rec.get("note")}


def contracts(ctx: Context, rec: Record) -> Iterator[Row]:
    terms = [" · ".join(str(t[k]) for k in ("period", "kind", "consignee") if t.get(k)) for t in _items(rec, "terms")]
    evaluation = [f"{e.get('label')}: {e.get('value')}" for e in _items(rec, "evaluation")]
    yield {"id": rec.id, **_pick(rec, "service", "consignee", "representative", "type"), **_org(ctx, rec),
           "facility": rec.get("facility"), "programs": texts(rec.get("programs")), "terms": terms,
           "legal_basis": texts(rec.get("legal_basis")), "duties": texts(rec.get("duties")),
           **money("budget", Money.parse(rec.data.get("budget"), rec.data.get("unit"))),
           "staff": rec.get("staff"), "evaluation": evaluation, "summary": rec.get("summary")}


def facilities(ctx: Context, rec: Record) -> Iterator[Row]:
    yield {"id": rec.id, **_pick(rec, "name", "address", "area", "floors", "opened", "operator"), **_org(ctx, rec),
           "programs": texts(rec.get("programs")), "summary": rec.get("summary")}


def notes(ctx: Context, rec: Record) -> Iterator[Row]:
    claims = []
    for c in _items(rec, "claims"):
        src = c.get("source") or {}
        claims.append(f"[{src.get('doc')} {src.get('lines')}] {c.get('says')}")
    yield {"id": rec.id, **_pick(rec, "title", "kind", "summary"), "records": texts(rec.get("records")),
           "claims": claims}


def sources(ctx: Context, rec: Record) -> Iterator[Row]:
    as_of_dates = [f"{a.get('what')}: {a.get('date')}" for a in _items(rec, "as_of")]
    yield {"id": rec.id, **_pick(rec, "title", "parent", "issuer"), "issuer_name": ctx.name(rec.get("issuer")),
           **_pick(rec, "jurisdiction", "council_session", "committee", "report_date", "report_date_printed", "year"),
           "as_of_dates": as_of_dates, "summary": rec.get("summary")}


ROWS: dict[str, Callable[[Context, Record], Iterator[Row]]] = {
    "programs": programs, "budget": budget, "audits": audits, "orgs": orgs, "indicators": indicators,
    "staffing": staffing, "contracts": contracts, "facilities": facilities, "notes": notes, "sources": sources,
}


def build_tables(ctx: Context) -> list[Table]:
    """Every table with its rows, records in the site's order (report, then position in it)."""
    out = []
    for table in columns.tables(ctx.site.kinds):
        names = [c.name for c in table.columns]
        for rec in ctx.site.kind(table.kind):
            for row in ROWS[table.name](ctx, rec):
                row.update(ctx.provenance(rec))
                if set(row) != set(names):  # a column without a value, or a value without a column: a bug here
                    raise ValueError(f"{table.name}: {sorted(set(row) ^ set(names))}")
                table.rows.append({n: _clean(row[n]) for n in names})
        out.append(table)
    return out


def _clean(value: object) -> object:
    """Empty text is no value; YAML dates (unquoted) become ISO strings like the quoted ones."""
    if isinstance(value, str):
        return value if value.strip() else None
    if hasattr(value, "isoformat") and not isinstance(value, Decimal):
        return value.isoformat()
    return value
