"""The JSON twin of every record page (`/programs/x.json` beside `/programs/x/`): the record as
written, plus what the site computes from it (URLs, amounts in won, rates, checks)."""

from __future__ import annotations

import json

from ..config import SiteConfig
from ..model import BudgetLine, Record, Site
from ..money import Money, currency


def _money(m: Money | None) -> dict | None:
    if m is None:
        return None
    return {"amount": float(m.amount) if m.amount != m.amount.to_integral() else int(m.amount),
            "unit": m.unit, currency().column_suffix: m.base}


def record_json(rec: Record, config: SiteConfig) -> bytes:
    """The record as written, plus what the site computes: URLs, amounts in won, rates, checks."""
    out: dict = {"id": rec.id, "kind": rec.kind, "url": config.base_url + rec.url, "record": rec.data}
    if isinstance(rec, BudgetLine):
        computed = rec.rate_computed
        out["computed"] = {
            "budget": _money(rec.budget), "obligated": _money(rec.obligated), "spent": _money(rec.spent),
            "execution_rate": None if computed is None else round(float(computed), 4),
            "execution_rate_formula": "spent / budget * 100 (지출액 ÷ 예산현액)",
            "rate_stated_agrees": rec.rate_agrees,
        }
    if rec.checks:
        out["checks"] = [{"code": c.code, "field": c.field, **dict(c.params)} for c in rec.checks]
    if rec.data_notes:
        out["data_notes"] = [n.id for n in rec.data_notes]
    return (json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n").encode()


def twins(site: Site, config: SiteConfig) -> dict[str, bytes]:
    return {f"{rec.kind}/{rec.id}.json": record_json(rec, config)
            for kind in site.kinds for rec in site.kind(kind.name)}
