"""The site model: every record made from its data, and the links between records resolved both
ways as the registry of kinds describes them."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from ..kinds import Kind, Registry
from ..load.records import RawRecord
from ..money import Money
from .records import MODEL_CLASSES, AuditItem, BudgetLine, OrgUnit, Program, Record, SourceDoc, SourceRef


@dataclass
class Site:
    records: dict[str, Record]
    by_kind: dict[str, list[Record]]
    redirects: dict[str, str]  # old URL path → new URL path
    kinds: Registry
    checks: list = field(default_factory=list)  # reconcile.Finding, every one found

    def __repr__(self) -> str:
        return f"<Site {len(self.records)} records>"

    def kind(self, name: str) -> list:
        return self.by_kind.get(name, [])

    @property
    def sources(self) -> list[SourceDoc]:
        return self.kind("sources")

    @property
    def orgs(self) -> list[OrgUnit]:
        return self.kind("orgs")

    @property
    def programs(self) -> list[Program]:
        return self.kind("programs")

    @property
    def budget(self) -> list[BudgetLine]:
        return self.kind("budget")

    @property
    def audits(self) -> list[AuditItem]:
        return self.kind("audits")

    def get(self, rid: str | None) -> Record | None:
        return self.records.get(rid) if rid else None

    def as_of(self, rec: Record) -> str:
        """The record's own as-of date, else its report's date (ISO)."""
        own = rec.get("as_of")
        if isinstance(own, str):
            return own
        doc = self.get(rec.source.doc)
        return str(doc.get("report_date")) if doc else ""



def make_record(raw: RawRecord, kind: Kind | None) -> Record:
    """A record of its kind's model class, from its data alone (links are resolved by build_site)."""
    d = raw.data
    src = d.get("source") or {}
    common = dict(id=d["id"], kind=raw.kind, data=d, raw=raw,
                  source=SourceRef(str(src.get("doc", "")), str(src.get("lines", "")), str(src.get("section", ""))),
                  old_ids=list(d.get("old_ids") or []), notes=list(d.get("notes") or []))
    cls = MODEL_CLASSES.get(kind.model if kind is not None else "Record", Record)
    rec = cls(**common)
    if isinstance(rec, BudgetLine):
        unit = d.get("unit")
        for name in ("budget", "obligated", "spent", "forecast", "planned", "prior_budget"):
            setattr(rec, name, Money.parse(d.get(name), unit))
        rec.funding = {k: m for k, v in (d.get("funding") or {}).items() if (m := Money.parse(v, unit))}
    return rec


def sort_key(rec: Record) -> tuple:
    """Records in report order: by report, their printed order, their first line."""
    order = rec.data.get("order")
    line = rec.source.first_line if rec.source.lines else 0
    return (rec.source.doc, order if isinstance(order, int) else 10**6, line, rec.id)


def _ids(data: dict, path: tuple[str, ...]) -> list[str]:
    """The ids at `path` in a record (lists of objects on the way are walked)."""
    values: list[object] = [data]
    for name in path:
        nxt: list[object] = []
        for v in values:
            for item in (v if isinstance(v, list) else [v]):
                if isinstance(item, dict) and name in item:
                    nxt.append(item[name])
        values = nxt
    out: list[str] = []
    for v in values:
        out.extend(x for x in (v if isinstance(v, list) else [v]) if isinstance(x, str))
    return out


_FIELDS: dict[type, frozenset[str]] = {}


def _attrs(cls: type) -> frozenset[str]:
    if cls not in _FIELDS:
        _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return _FIELDS[cls]


def build_site(raws: list[RawRecord], registry: Registry) -> Site:
    """Typed records with links resolved. Assumes validation passed (references resolve)."""
    records = {r.data["id"]: make_record(r, registry.kinds.get(r.kind)) for r in raws}
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for rec in records.values():
        by_kind[rec.kind].append(rec)
    for recs in by_kind.values():
        recs.sort(key=sort_key)

    # One pass in report order, so every reverse list is in report order too. A link sets the
    # record's attribute of the field's name (when its class has one) and adds the record to the
    # `reverse` list of the record it names: a dict by kind where the named class keeps one
    # (an org's `related`, a report's `records`), else a plain list (`children`, `data_notes`).
    for rec in sorted(records.values(), key=sort_key):
        kind = registry.kinds.get(rec.kind)
        if kind is None:
            continue
        attrs = _attrs(type(rec))
        for link in kind.links:
            ids = _ids(rec.data, link.path)
            targets = [t for i in ids if (t := records.get(i)) is not None]
            if link.top and link.name in attrs:
                setattr(rec, link.name, targets if link.many else (targets[0] if targets else None))
            if not link.reverse:
                continue
            for target in targets:
                if target is rec or link.reverse not in _attrs(type(target)):
                    continue
                listed = getattr(target, link.reverse)
                if isinstance(listed, dict):
                    listed.setdefault(rec.kind, []).append(rec)
                else:
                    listed.append(rec)

    redirects = {}
    for rec in records.values():
        for old in rec.old_ids:
            redirects[f"{rec.kind}/{old}/"] = rec.url
    return Site(records=records, by_kind=dict(by_kind), redirects=redirects, kinds=registry)
