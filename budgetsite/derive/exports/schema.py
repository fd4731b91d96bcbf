"""What an exported table is: its columns (with the Korean and English descriptions that the README,
the data package and the /data/ page all share) and its rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...kinds import Registry


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, object
    ko: str
    en: str
    many: bool = False  # a list: one item per line in CSV and XLSX, an array in JSON
    required: bool = False
    enum: tuple[str, ...] = ()
    ref: str = ""  # foreign key: the table whose `id` this column names ("" for none)
    fiscal: Mapping[str, object] = field(default_factory=dict)  # Fiscal Data Package annotations


@dataclass
class Table:
    name: str  # resource name and file stem: programs → programs.csv
    kind: str  # the record kind the rows come from
    ko: str
    en: str
    columns: list[Column]
    key: tuple[str, ...] = ("id",)
    rows: list[dict[str, object]] = field(default_factory=list)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def schema_enum(registry: Registry, kind: str, *path: str) -> tuple[str, ...]:
    """The allowed values of a record field, read from its JSON Schema so the export's constraints
    never drift from what validation accepts. `path` walks properties (and array items)."""
    node: dict = registry.schemas.get(kind, {})
    for name in path:
        node = node.get("properties", {}).get(name) or node.get("items", {}).get("properties", {}).get(name) or {}
    ref = str(node.get("$ref", ""))
    if ref.startswith("defs.schema.json#/$defs/"):  # a shared definition (the site's vocabulary)
        node = registry.schemas.get("defs", {}).get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
    return tuple(node.get("enum") or ())
