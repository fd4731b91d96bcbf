"""The records of a project as JSON for Hugo's content adapter, and the Hugo project around them.

Run once per dataset, outside the timing. Everything Hugo could only compute with a quadratic
`where` over all pages (reverse links: a program's budget lines and audit items, an org's records)
is computed here, so Hugo's templates only loop and print, as ours do with the model's links.
Display strings of amounts are formatted here too. Both favour Hugo, so its time is a lower bound
of what the same site would cost in Hugo.

    assets/records/<kind>.json   one list per kind: {id, title, path, content (Markdown), params}
    content/_content.gotmpl      the content adapter (benchmarks/hugo/content/)
    layouts/                     list and single templates comparable to themes/default/templates
    static/                      the theme's static files, as our build copies them
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetsite import pipeline  # noqa: E402
from budgetsite.config import load_config  # noqa: E402
from budgetsite.i18n import format_date, format_printed, format_rate, format_won, load_translations  # noqa: E402
from budgetsite.model import AuditItem, BudgetLine, OrgUnit, Program, Record, Site, SourceDoc  # noqa: E402

HERE = Path(__file__).resolve().parent / "hugo"
KINDS = ("programs", "budget", "audits", "orgs", "sources")


def _link(rec: Record | None) -> dict | None:
    return None if rec is None else {"title": rec.title, "url": f"/{rec.url}"}


def _budget_row(line: BudgetLine) -> dict:
    budget, spent = line.budget, line.spent
    return {"title": line.name, "url": f"/{line.url}", "org": _link(line.org), "year": line.year,
            "budget": format_printed(budget) if budget else "", "budget_won": budget.won if budget else "",
            "spent": format_printed(spent) if spent else "", "spent_won": spent.won if spent else "",
            "rate": format_rate(line.rate_computed) if line.rate_computed is not None else "",
            "rate_value": str(line.rate_computed) if line.rate_computed is not None else "",
            "rate_stated": line.rate_stated, "rate_agrees": line.rate_agrees, "unit": line.unit,
            "level": str(line.data.get("level") or "")}


def _audit_row(item: AuditItem) -> dict:
    return {"title": item.title, "url": f"/{item.url}", "category": item.category, "number": item.data.get("number"),
            "org": _link(item.org), "status": item.status}


def _list(recs: list) -> list[dict]:
    return [{"title": r.title, "url": f"/{r.url}", "number": r.data.get("number") if r.kind == "programs" else None}
            for r in recs]


def _md_sections(parts: list[tuple[str, object]]) -> str:
    return "\n\n".join(f"## {heading}\n\n{body}" for heading, body in parts if body)


def _common(rec: Record, site: Site, t) -> dict:
    doc = site.get(rec.source.doc)
    text_doc = doc if doc is None or not doc.get("parent") else site.get(str(doc.get("parent")))
    own = rec.get("as_of")
    as_of = own if isinstance(own, str) else (str(doc.get("report_date")) if doc else "")
    checks = []
    for c in rec.checks:
        params = dict(c.params)
        if params.get("measure"):
            params["measure"] = t(f"sum_fields.{params['measure']}")
        checks.append(t(f"checks.{c.code}", **params))
    return {"kind": rec.kind, "id": rec.id,
            "source": {"title": doc.title if doc else "", "url": f"/{doc.url}" if doc else "",
                       "session": doc.get("council_session") if doc else "",
                       "text_url": f"/{text_doc.url}text/" if text_doc else "", "first_line": rec.source.first_line,
                       "lines": rec.source.lines, "section": rec.source.section},
            "as_of": format_date(as_of), "notes": rec.notes, "checks": checks,
            "data_notes": _list(rec.data_notes)}


def _program(p: Program, site: Site, t) -> tuple[dict, str]:
    d = p.data
    params = {"number": d.get("number"), "area": d.get("area"), "org": _link(p.org), "year": p.year,
              "stage": d.get("stage"), "parent": _link(p.parent), "successor_of": _link(p.successor_of),
              "successors": _list(p.successors), "name_variants": d.get("name_variants"),
              "budget_text": d.get("budget_text"),
              "budget_rows": [_budget_row(x) for x in p.related.get("budget", [])],  # type: ignore[arg-type]
              "facts": d.get("facts"), "legal_basis": d.get("legal_basis"),
              "audit_rows": [_audit_row(x) for x in p.related.get("audits", [])],  # type: ignore[arg-type]
              "children": _list(p.children)}
    body = "\n\n".join(filter(None, [str(d.get("summary") or ""),
                                     _md_sections([(s["heading"], s["body"]) for s in d.get("sections") or []])]))
    return params, body


def _budget(b: BudgetLine, site: Site, t) -> tuple[dict, str]:
    d = b.data
    figures = []
    for name in ("budget", "obligated", "spent", "forecast", "planned", "prior_budget"):
        m = getattr(b, name)
        if m:
            figures.append({"label": t(f"fields.{name}"), "printed": format_printed(m), "won": format_won(m.won)})
    params = {"number": d.get("number"), "table": d.get("table"), "org": _link(b.org), "year": b.year,
              "account": d.get("account"), "level": d.get("level"), "parent": _link(b.parent),
              "rate": format_rate(b.rate_computed) if b.rate_computed is not None else "",
              "rate_value": float(b.rate_computed) if b.rate_computed is not None else None,
              "rate_formula": f"{format_printed(b.spent)} ÷ {format_printed(b.budget)}" if b.spent and b.budget else "",
              "rate_agrees": b.rate_agrees, "rate_stated": b.rate_stated, "unit": b.unit, "figures": figures,
              "change_stated": d.get("change_stated"),
              "funding": [{"label": t(f"fields.{k}"), "printed": format_printed(m)} for k, m in b.funding.items()],
              "programs": _list(b.programs), "children": [_budget_row(c) for c in b.children]}
    body = _md_sections([(t(f"fields.{n}"), d.get(n)) for n in ("overview", "progress", "plan")])
    return params, body


def _audit(a: AuditItem, site: Site, t) -> tuple[dict, str]:
    d = a.data
    params = {"audit": d.get("audit"), "category": a.category, "number": d.get("number"), "status": a.status,
              "status_printed": d.get("status_printed"), "org": _link(a.org),
              "completed_date": format_date(d.get("completed_date")) if d.get("completed_date") else "",
              "duplicate_of": _link(a.duplicate_of), "duplicates": _list(a.duplicates), "programs": _list(a.programs)}
    body = _md_sections([(t("fields.request"), d.get("request")), (t("fields.actions"), d.get("actions")),
                         (t("fields.plan_audit"), d.get("plan"))])
    return params, body


def _org(o: OrgUnit, site: Site, t) -> tuple[dict, str]:
    d = o.data
    params = {"type": d.get("type"), "jurisdiction": d.get("jurisdiction"),
              "parent_id": o.parent.id if o.parent else "",
              "ancestors": [_link(a) for a in o.ancestors()], "name_variants": d.get("name_variants"),
              "predecessors": _list(o.predecessors), "successors": _list(o.successors), "children": _list(o.children),
              "child_ids": [c.id for c in o.children],
              "functions": [{"doc": site.get(f["doc"]).title, "items": f["items"]}  # type: ignore[union-attr]
                            for f in d.get("functions") or []],
              "budget_rows": [_budget_row(x) for x in o.related.get("budget", [])],  # type: ignore[arg-type]
              "programs": _list(o.related.get("programs", [])),
              "audit_rows": [_audit_row(x) for x in o.related.get("audits", [])]}  # type: ignore[arg-type]
    return params, str(d.get("summary") or "")


def _source(s: SourceDoc, site: Site, t) -> tuple[dict, str]:
    d = s.data
    params = {"issuer": _link(site.get(str(d.get("issuer")))), "jurisdiction": d.get("jurisdiction"),
              "council_session": d.get("council_session"), "committee": d.get("committee"),
              "report_date": format_date(d.get("report_date")), "has_parent": bool(d.get("parent")),
              "as_of_list": [{"what": a["what"], "date": format_date(a["date"])} for a in d.get("as_of") or []],
              "toc": d.get("toc"), "records": [{"kind": t(f"kinds.{k}"), "key": k, "list": _list(v)}
                                               for k, v in sorted(s.records.items())]}
    return params, str(d.get("summary") or "")


MAKERS = {"programs": _program, "budget": _budget, "audits": _audit, "orgs": _org, "sources": _source}


def export(project: Path, hugo_dir: Path) -> dict[str, int]:
    """Write the Hugo project for `project` into hugo_dir; return record counts per kind."""
    config = load_config(project.resolve())
    checked = pipeline.check(config)
    if checked.site is None:
        raise SystemExit(f"{project}: the data has errors; run build.py validate")
    site = checked.site
    t = load_translations(config.theme_dirs(), config.language)
    if hugo_dir.exists():
        shutil.rmtree(hugo_dir)
    shutil.copytree(HERE, hugo_dir)
    for static in config.theme_dirs()[::-1]:
        if (static / "static").is_dir():
            shutil.copytree(static / "static", hugo_dir / "static", dirs_exist_ok=True)
    out = hugo_dir / "assets" / "records"
    out.mkdir(parents=True)
    counts = {}
    for kind in KINDS:
        items = []
        for rec in site.kind(kind):
            params, body = MAKERS[kind](rec, site, t)  # type: ignore[operator]
            params.update(_common(rec, site, t))
            items.append({"path": rec.id, "title": rec.title, "content": body, "params": params})
        (out / f"{kind}.json").write_text(json.dumps(items, ensure_ascii=False, default=str), encoding="utf-8")
        counts[kind] = len(items)
    home = {"title": config.title, "total_lines": [_budget_row(b) for b in site.budget if b.get("level") == "총계"],
            "audits": len(site.audits), "audits_done": sum(1 for a in site.audits if a.status == "추진완료"),
            "counts": {k: len(site.kind(k)) for k in KINDS}}
    (out / "home.json").write_text(json.dumps(home, ensure_ascii=False, default=str), encoding="utf-8")
    toml = (hugo_dir / "hugo.toml").read_text(encoding="utf-8").replace("@TITLE@", config.title)
    (hugo_dir / "hugo.toml").write_text(toml, encoding="utf-8")
    return counts


if __name__ == "__main__":
    print(export(Path(sys.argv[1]), Path(sys.argv[2])))
