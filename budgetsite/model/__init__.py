"""Stage 3 — model: typed records with their links resolved both ways.

Records link one way in the data (a budget line names its programs); the model adds the
reverse links (a program knows its budget lines) so templates never search.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..load.records import RawRecord
from ..money import Money, rate, rate_matches

# URL folder and Korean/English label key of each kind; the folder is part of every permalink.
KIND_FOLDERS = ["sources", "orgs", "programs", "budget", "audits", "audit-summaries", "indicators",
                "staffing", "facilities", "contracts", "visions", "tables", "notes", "corrections"]


@dataclass(frozen=True)
class SourceRef:
    doc: str
    lines: str
    section: str = ""

    @property
    def first_line(self) -> int:
        return int(self.lines.split("-")[0])

    @property
    def last_line(self) -> int:
        return int(self.lines.split("-")[-1])


@dataclass(eq=False)
class Record:
    id: str
    kind: str
    source: SourceRef
    data: dict  # the record as written, for fields templates show as they are
    raw: RawRecord = field(repr=False)
    old_ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # filled by the model and the checks:
    data_notes: list[Record] = field(default_factory=list)  # `notes` records that cite this record
    checks: list = field(default_factory=list)  # computed checks.Check that concern this record
    corrections: list = field(default_factory=list)  # text.Correction applied to this record's text
    updated: str = ""  # date of the last commit that changed the file, when known

    def __repr__(self) -> str:
        # Records link to each other both ways; a generated repr would walk the whole site.
        return f"<{type(self).__name__} {self.kind}/{self.id}>"

    @property
    def url(self) -> str:
        return f"{self.kind}/{self.id}/"

    @property
    def title(self) -> str:
        d = self.data
        return str(d.get("name") or d.get("title") or d.get("service") or d.get("vision") or self.id)

    @property
    def file(self) -> Path:
        return self.raw.file

    def get(self, key: str, default: object = None) -> object:
        return self.data.get(key, default)


@dataclass(eq=False)
class SourceDoc(Record):
    children: list[SourceDoc] = field(default_factory=list)
    records: dict[str, list[Record]] = field(default_factory=dict)  # kind → records citing this report

    @property
    def year(self) -> int | None:
        return self.data.get("year")


@dataclass(eq=False)
class OrgUnit(Record):
    parent: OrgUnit | None = None
    children: list[OrgUnit] = field(default_factory=list)
    predecessors: list[OrgUnit] = field(default_factory=list)
    successors: list[OrgUnit] = field(default_factory=list)
    related: dict[str, list[Record]] = field(default_factory=dict)  # kind → records naming this org

    @property
    def name(self) -> str:
        return str(self.data["name"])

    def ancestors(self) -> list[OrgUnit]:
        out, cur = [], self.parent
        while cur is not None and cur not in out:
            out.append(cur)
            cur = cur.parent
        return out[::-1]

    def descendants(self) -> list[OrgUnit]:
        out: list[OrgUnit] = []
        for c in self.children:
            out.append(c)
            out.extend(c.descendants())
        return out


@dataclass(eq=False)
class Program(Record):
    org: OrgUnit | None = None
    parent: Program | None = None
    children: list[Program] = field(default_factory=list)
    successor_of: Program | None = None
    successors: list[Program] = field(default_factory=list)
    related: dict[str, list[Record]] = field(default_factory=dict)  # kind → records listing this program

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def year(self) -> int | None:
        return self.data.get("year")


@dataclass(eq=False)
class BudgetLine(Record):
    org: OrgUnit | None = None
    programs: list[Program] = field(default_factory=list)
    parent: BudgetLine | None = None
    children: list[BudgetLine] = field(default_factory=list)
    budget: Money | None = None  # 예산현액
    obligated: Money | None = None  # 원인행위액
    spent: Money | None = None  # 지출액
    forecast: Money | None = None
    planned: Money | None = None
    prior_budget: Money | None = None
    funding: dict[str, Money] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def year(self) -> int | None:
        return self.data.get("year")

    @property
    def unit(self) -> str:
        return str(self.data["unit"])

    @property
    def rate_computed(self) -> Decimal | None:
        """Execution rate = spent ÷ current budget (지출액 ÷ 예산현액), always computed."""
        return rate(self.spent, self.budget)

    @property
    def rate_stated(self) -> float | None:
        return self.data.get("rate_stated")

    @property
    def rate_agrees(self) -> bool | None:
        return rate_matches(self.rate_stated, self.rate_computed)

    @property
    def change_computed(self) -> Money | None:
        if self.budget is None or self.prior_budget is None or self.budget.unit != self.prior_budget.unit:
            return None
        return Money(self.budget.amount - self.prior_budget.amount, self.budget.unit)


@dataclass(eq=False)
class AuditItem(Record):
    org: OrgUnit | None = None
    programs: list[Program] = field(default_factory=list)
    duplicate_of: AuditItem | None = None
    duplicates: list[AuditItem] = field(default_factory=list)

    @property
    def status(self) -> str:
        return str(self.data["status"])

    @property
    def category(self) -> str:
        return str(self.data["category"])

    @property
    def title(self) -> str:
        text = " ".join(str(self.data["request"]).split())
        return text if len(text) <= 60 else text[:58] + "…"


CLASSES: dict[str, type[Record]] = {"sources": SourceDoc, "orgs": OrgUnit, "programs": Program,
                                     "budget": BudgetLine, "audits": AuditItem}


@dataclass
class Site:
    records: dict[str, Record]
    by_kind: dict[str, list[Record]]
    redirects: dict[str, str]  # old URL path → new URL path
    checks: list = field(default_factory=list)

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


def _make(raw: RawRecord) -> Record:
    d = raw.data
    src = d.get("source") or {}
    common = dict(id=d["id"], kind=raw.kind, data=d, raw=raw,
                  source=SourceRef(str(src.get("doc", "")), str(src.get("lines", "")), str(src.get("section", ""))),
                  old_ids=list(d.get("old_ids") or []), notes=list(d.get("notes") or []))
    cls = CLASSES.get(raw.kind, Record)
    rec = cls(**common)
    if isinstance(rec, BudgetLine):
        unit = d.get("unit")
        for name in ("budget", "obligated", "spent", "forecast", "planned", "prior_budget"):
            setattr(rec, name, Money.parse(d.get(name), unit))
        rec.funding = {k: m for k, v in (d.get("funding") or {}).items() if (m := Money.parse(v, unit))}
    return rec


def _sort_key(rec: Record) -> tuple:
    order = rec.data.get("order")
    line = rec.source.first_line if rec.source.lines else 0
    return (rec.source.doc, order if isinstance(order, int) else 10**6, line, rec.id)


def build_site(raws: list[RawRecord]) -> Site:
    """Typed records with links resolved. Assumes validation passed (references resolve)."""
    records = {r.data["id"]: _make(r) for r in raws}
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for rec in records.values():
        by_kind[rec.kind].append(rec)
    for recs in by_kind.values():
        recs.sort(key=_sort_key)

    def ref(rid: object) -> Record | None:
        return records.get(rid) if isinstance(rid, str) else None

    for org in by_kind["orgs"]:
        org.parent = ref(org.data.get("parent"))
        if org.parent:
            org.parent.children.append(org)
        org.predecessors = [records[p] for p in org.data.get("predecessors") or []]
        for p in org.predecessors:
            p.successors.append(org)
    for prog in by_kind["programs"]:
        prog.org = ref(prog.data.get("org"))
        prog.parent = ref(prog.data.get("parent"))
        if prog.parent:
            prog.parent.children.append(prog)
        prog.successor_of = ref(prog.data.get("successor_of"))
        if prog.successor_of:
            prog.successor_of.successors.append(prog)
    for line in by_kind["budget"]:
        line.org = ref(line.data.get("org"))
        line.programs = [records[p] for p in line.data.get("programs") or []]
        line.parent = ref(line.data.get("parent"))
        if line.parent:
            line.parent.children.append(line)
    for item in by_kind["audits"]:
        item.org = ref(item.data.get("org"))
        item.programs = [records[p] for p in item.data.get("programs") or []]
        item.duplicate_of = ref(item.data.get("duplicate_of"))
        if item.duplicate_of:
            item.duplicate_of.duplicates.append(item)

    # Reverse links: every record that names an org or a program is listed on that page.
    for rec in sorted(records.values(), key=_sort_key):
        org = ref(rec.data.get("org"))
        if isinstance(org, OrgUnit):
            org.related.setdefault(rec.kind, []).append(rec)
        for pid in rec.data.get("programs") or []:
            prog = records.get(pid)
            if isinstance(prog, Program):
                prog.related.setdefault(rec.kind, []).append(rec)
        doc = ref(rec.source.doc)
        if isinstance(doc, SourceDoc) and rec is not doc:
            doc.records.setdefault(rec.kind, []).append(rec)
        if rec.kind == "notes":
            for rid in rec.data.get("records") or []:
                if rid in records:
                    records[rid].data_notes.append(rec)
    for doc in by_kind["sources"]:
        parent = ref(doc.data.get("parent"))
        if isinstance(parent, SourceDoc):
            parent.children.append(doc)

    redirects = {}
    for rec in records.values():
        for old in rec.old_ids:
            redirects[f"{rec.kind}/{old}/"] = rec.url
    return Site(records=records, by_kind=dict(by_kind), redirects=redirects)
