"""Reconciliation checks computed from the model: where the reports contradict themselves.

Nothing here changes a figure. Each check records what the report states and what the
arithmetic gives; the site shows both on the record's page and on the data notes page, and
`validate` reports them as warnings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..money import Money, decimals, factor, rate, rate_matches
from ..problems import Problem, problem
from . import AuditItem, BudgetLine, Record, Site

SUM_FIELDS = ("budget", "obligated", "spent", "prior_budget", "forecast", "planned")


@dataclass(frozen=True)
class Check:
    code: str  # message key under `checks.` in the translation file
    record: str  # the record whose page shows it first
    field: str
    params: tuple[tuple[str, str], ...]
    others: tuple[str, ...] = ()  # other records involved

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


def _fmt(value: Decimal | int, places: int = 1) -> str:
    return f"{value:,.{places}f}" if places else f"{int(value):,}"


def _in_unit(won: int, unit: str) -> str:
    value = Decimal(won) / factor(unit)
    return _fmt(value, 0) if value == value.to_integral() else f"{value:,.3f}".rstrip("0")


def _rate_checks(line: BudgetLine) -> list[Check]:
    out = []
    for fld, num in (("rate_stated", line.spent), ("obligation_rate_stated", line.obligated)):
        stated = line.data.get(fld)
        computed = rate(num, line.budget)
        if computed is not None and stated is not None and rate_matches(stated, computed) is False:
            out.append(Check("rate_mismatch", line.id, fld, (
                ("stated", str(stated)), ("computed", _fmt(computed, max(1, decimals(stated)))),
                ("numerator", "지출액" if fld == "rate_stated" else "원인행위액"))))
    return out


def _sum_checks(line: BudgetLine) -> list[Check]:
    """Each group of children (by level: 부서 rows, 재원 rows …) should add up to the total."""
    out = []
    groups: dict[str, list[BudgetLine]] = defaultdict(list)
    for child in line.children:
        groups[str(child.data.get("level", ""))].append(child)
    for level, children in sorted(groups.items()):
        for fld in SUM_FIELDS:
            total: Money | None = getattr(line, fld)
            present = [m for c in children if (m := getattr(c, fld)) is not None]
            if total is None or not present:
                continue
            summed = sum(p.base for p in present)
            if summed != total.base:
                out.append(Check("sum_mismatch", line.id, fld, (
                    ("measure", fld), ("stated", _in_unit(total.base, total.unit)), ("unit", total.unit),
                    ("summed", _in_unit(summed, total.unit)), ("count", str(len(present))), ("level", level),
                    ("difference", _in_unit(abs(total.base - summed), total.unit))),
                    tuple(c.id for c in children)))
    return out


def _change_checks(line: BudgetLine) -> list[Check]:
    stated = line.data.get("change_stated")
    computed = line.change_computed
    if stated is None or computed is None or Decimal(str(stated)) == computed.amount:
        return []
    return [Check("change_mismatch", line.id, "change_stated",
                  (("stated", _fmt(Decimal(str(stated)), 0)), ("computed", _fmt(computed.amount, 0)),
                   ("unit", computed.unit)))]


def _audit_checks(site: Site) -> list[Check]:
    out = []
    items_by_audit: dict[tuple[str, str], list[AuditItem]] = defaultdict(list)
    for item in site.audits:
        items_by_audit[(item.source.doc, str(item.data["audit"]))].append(item)
    for summary in site.kind("audit-summaries"):
        items = items_by_audit.get((summary.source.doc, str(summary.data["audit"])), [])
        for i, row in enumerate(summary.data["rows"]):
            cat = row["category"]
            chosen = items if cat == "계" else [x for x in items if x.category == cat]
            counted = Counter(x.status for x in chosen)
            pairs = [("total", row.get("total"), len(chosen))] + [
                (s, row.get(s), counted.get(s, 0)) for s in site.kinds.statuses("audits")]
            for label, stated, n in pairs:
                if (stated or 0) != n:
                    out.append(Check("count_mismatch", summary.id, f"rows.{i}", (
                        ("category", cat), ("status", label if label != "total" else "계"),
                        ("stated", str(stated if stated is not None else "-")), ("counted", str(n)))))
    texts: dict[str, list[AuditItem]] = defaultdict(list)
    for item in site.audits:
        texts[" ".join(str(item.data["request"]).split())].append(item)
    for same in texts.values():
        if len(same) > 1 and not any(x.duplicate_of for x in same):
            out.append(Check("duplicate_request", same[0].id, "request", (("count", str(len(same))),),
                             tuple(x.id for x in same[1:])))
    answers: dict[str, list[AuditItem]] = defaultdict(list)
    for item in site.audits:
        if item.data.get("actions") and not item.duplicate_of:
            answers[" ".join(str(item.data["actions"]).split())].append(item)
    for same in answers.values():
        if len(same) > 1:
            out.append(Check("same_answer", same[0].id, "actions", (("count", str(len(same))),),
                             tuple(x.id for x in same[1:])))
    return out


def _staffing_checks(site: Site) -> list[Check]:
    out = []
    for table in site.kind("staffing"):
        rows = table.data.get("rows") or []
        totals = [r for r in rows if str(r.get("label", "")).replace(" ", "") in ("계", "합계")]
        if not totals:
            continue
        parts = [r for r in rows if r not in totals]
        for fld in ("authorized", "current", "women"):
            stated = totals[0].get(fld)
            values = [r.get(fld) for r in parts if isinstance(r.get(fld), int)]
            if isinstance(stated, int) and values and sum(values) != stated:
                out.append(Check("staff_sum_mismatch", table.id, f"rows.{rows.index(totals[0])}.{fld}",
                                 (("measure", fld), ("stated", str(stated)), ("summed", str(sum(values))))))
    return out


def _indicator_checks(site: Site) -> list[Check]:
    out = []
    for ind in site.kind("indicators"):
        for i, v in enumerate(ind.data.get("values") or []):
            t, a, r = v.get("target"), v.get("actual"), v.get("rate_stated")
            if isinstance(t, (int, float)) and isinstance(a, (int, float)) and t and r is not None:
                computed = Decimal(str(a)) * 100 / Decimal(str(t))
                if rate_matches(r, computed) is False:
                    out.append(Check("achievement_mismatch", ind.id, f"values.{i}.rate_stated", (
                        ("period", str(v.get("period"))), ("stated", str(r)),
                        ("computed", _fmt(computed, max(1, decimals(r)))))))
    return out


def run_checks(site: Site) -> list[Check]:
    checks: list[Check] = []
    for line in site.budget:
        checks += _rate_checks(line) + _sum_checks(line) + _change_checks(line)
    checks += _audit_checks(site) + _staffing_checks(site) + _indicator_checks(site)
    for c in checks:
        site.records[c.record].checks.append(c)
        for other in c.others:
            if other in site.records and c.code in ("duplicate_request", "same_answer"):
                site.records[other].checks.append(c)
    site.checks = checks
    return checks


def as_problems(site: Site, checks: list[Check]) -> list[Problem]:
    """Checks as warnings pointing at the field in the YAML file."""
    out = []
    for c in checks:
        rec: Record = site.records[c.record]
        path = tuple(int(p) if p.isdigit() else p for p in c.field.split("."))
        line, col = rec.raw.where(path)
        out.append(problem(rec.file, line, col, f"check_{c.code}", field=c.field, severity="warning",
                           **dict(c.params)))
    return out
