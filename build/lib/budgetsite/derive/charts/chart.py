"""What one chart is: its permanent id, words, the records it is about, and its data as a table.

The figure (Plotly JSON) and the static images are derived from this; nothing here depends on
the order of other charts, so an id and its files change only when the chart's own data does."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import grouped

Value = Decimal | int | str | None

# Static images are drawn at this width; the interactive chart fills its container instead.
STATIC_WIDTH = 800


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""  # said once in the header ("예산현액 (억원)"), never repeated in cells
    kind: str = "text"  # text | amount | rate | count

    @property
    def header(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    def format(self, value: Value) -> str:
        """A cell for people: 1,245.819 (every decimal kept, so the table and the CSV agree)."""
        return value if isinstance(value, str) else grouped(value)


@dataclass
class Row:
    label: str
    values: dict[str, Value]
    record: str = ""  # id of the record the row was read from; "" for computed rows (totals)
    total: bool = False

    def get(self, key: str) -> Value:
        return self.values.get(key)


@dataclass
class DataTable:
    columns: list[Column]  # the value columns; the row label and record id come first and last
    rows: list[Row]
    label: str = ""  # header of the label column ("부서", "세부사업")


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    records: list[str] = field(default_factory=list)  # ids of the records whose pages show it
    pages: list[str] = field(default_factory=list)  # overview pages that show it: "execution", "audits", "home"
    kind: str = ""  # execution | spending | composition | funding | change | audit-status | indicator | indicators
    sources: list[str] = field(default_factory=list)  # ids of the source reports
    as_of: str = ""  # ISO date the figures are as of
    unit: str = ""  # display unit of the amounts (억원, 백만원) or the indicator's unit
    note: str = ""  # how a figure was computed, e.g. the execution-rate formula
    table: DataTable = field(default_factory=lambda: DataTable([], []))
    figure: dict = field(default_factory=dict)  # Plotly figure: {"data": [...], "layout": {...}}

    @property
    def url(self) -> str:
        return f"charts/{self.id}/"

    @property
    def width(self) -> int:
        return STATIC_WIDTH

    @property
    def height(self) -> int:
        return int(self.figure.get("layout", {}).get("height") or 450)
