"""Checks on drafted budget records before anything is written: each total against the rows under
it, printed rates against spent ÷ budget, printed changes against budget − prior budget. A
disagreement is a warning that names the rows, and a note on the draft: the figures stay as printed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...money import rate_matches
from .records import Draft, ReportContext

_SUMMED = (("budget", "예산"), ("spent", "집행액"), ("obligated", "원인행위액"), ("prior_budget", "이전 예산"),
           ("change_stated", "증감"), ("funding.national", "국비"), ("funding.city", "시비"),
           ("funding.district", "구비"))


def _value(data: dict[str, Any], key: str) -> Decimal | None:
    node: Any = data
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        return None
    return Decimal(str(node))


def _line(draft: Draft) -> int:
    return int(str(draft.data["source"]["lines"]).split("-")[0])


def _note(draft: Draft, text: str) -> None:
    notes = draft.data.setdefault("notes", [])
    if text not in notes:
        notes.append(text)


def check_budget_drafts(ctx: ReportContext, drafts: list[Draft]) -> None:
    budget = [d for d in drafts if d.kind == "budget"]
    for draft in budget:
        data = draft.data
        name = data.get("name", "")
        b, s, stated = _value(data, "budget"), _value(data, "spent"), _value(data, "rate_stated")
        if stated is not None and b and s is not None:
            computed = s * 100 / b
            if rate_matches(float(stated), computed) is False:
                ctx.warn(_line(draft), f"{name}: 집행률 printed {stated}, but spent ÷ budget is {computed:.2f}")
                _note(draft, f"인쇄된 집행률 {stated}%와 집행액÷예산({computed:.1f}%)이 다릅니다.")
        prior, change = _value(data, "prior_budget"), _value(data, "change_stated")
        if b is not None and prior is not None and change is not None and b - prior != change:
            ctx.warn(_line(draft), f"{name}: 증감 printed {change}, but budget − prior budget is {b - prior}")
            _note(draft, f"인쇄된 증감 {change}와 예산−이전 예산({b - prior})이 다릅니다.")
    children: dict[str, list[Draft]] = {}
    for draft in budget:
        if parent := draft.data.get("parent"):
            children.setdefault(parent, []).append(draft)
    by_id = {d.id: d for d in budget}
    for parent_id, rows in children.items():
        parent = by_id.get(parent_id)
        if parent is None or parent.data.get("unit") != rows[0].data.get("unit"):
            continue
        for key, label in _SUMMED:
            total = _value(parent.data, key)
            values = [_value(r.data, key) for r in rows]
            if total is None or all(v is None for v in values):
                continue
            found = sum((v for v in values if v is not None), Decimal(0))
            if found != total:
                lines = ", ".join(str(_line(r)) for r in rows)
                ctx.warn(_line(parent), f"{parent.data.get('name', '')}: {label} {total} is not the sum of its "
                                        f"{len(rows)} rows ({found}; lines {lines})")
                _note(parent, f"{label} {total}이(가) 아래 {len(rows)}개 줄의 합({found})과 다릅니다 ({lines}행).")
