"""The records of the model: one plain dataclass per kind that needs more than its data (links
resolved both ways, amounts parsed), and `Record` for every other kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..load.records import RawRecord
from ..money import Money, rate, rate_matches


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



# The classes a schema's `x-kind.model` may name (budgetsite.kinds).
MODEL_CLASSES: dict[str, type[Record]] = {cls.__name__: cls for cls in
                                          (Record, SourceDoc, OrgUnit, Program, BudgetLine, AuditItem)}
