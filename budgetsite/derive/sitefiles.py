"""Files beside the pages: sitemap, robots.txt, redirects for renamed ids, JSON twins of records."""

from __future__ import annotations

import json
from html import escape

from ..config import SiteConfig
from ..model import BudgetLine, Record, Site

TWIN_KINDS = ("programs", "budget", "audits", "orgs", "sources", "indicators", "facilities", "contracts",
              "staffing", "tables", "notes", "visions", "audit-summaries", "corrections")


def sitemap_urls(files: dict[str, bytes], redirects: dict[str, str]) -> list[str]:
    """Every page a reader may land on: not redirect stubs, not chart embeds (made for iframes)."""
    urls = []
    for path in files:
        if not path.endswith("index.html"):
            continue
        url = path.removesuffix("index.html")
        if url in redirects or url.endswith("/embed/"):
            continue
        urls.append(url)
    return urls


def sitemap(config: SiteConfig, urls: list[str]) -> bytes:
    base = config.site_url.rstrip("/") + config.base_url
    body = "".join(f"<url><loc>{escape(base + u)}</loc></url>\n" for u in sorted(urls))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n').encode()


def robots(config: SiteConfig) -> bytes:
    loc = config.site_url.rstrip("/") + config.base_url + "sitemap.xml"
    return f"User-agent: *\nAllow: /\nSitemap: {loc}\n".encode()


def netlify_redirects(config: SiteConfig, redirects: dict[str, str]) -> bytes:
    """Netlify `_redirects`: a permanent redirect for every old id's URL."""
    lines = [f"{config.base_url}{old} {config.base_url}{new} 301" for old, new in sorted(redirects.items())]
    lines += [f"{config.base_url}{old}index.html {config.base_url}{new} 301" for old, new in sorted(redirects.items())]
    return ("\n".join(lines) + "\n").encode() if lines else b""


def _money(m) -> dict | None:
    if m is None:
        return None
    return {"amount": float(m.amount) if m.amount != m.amount.to_integral() else int(m.amount),
            "unit": m.unit, "won": m.won}


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
            for kind in TWIN_KINDS for rec in site.kind(kind)}
