"""The import report: every table and section the importer saw, what became of it, and why.

Nothing is left out of it: a table is imported as N records of which kinds, or skipped with its
line and the reason; columns and rows with no field are listed; every assumption is said."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class TableEntry:
    start: int
    end: int
    title: str | None
    how: str | None = None  # where the table came from (HWPX table, PDF page 2 …) when not plain tab text
    kinds: Counter[str] = field(default_factory=Counter)
    skipped: str | None = None  # the reason, when nothing was drafted from it
    unplaced: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    what: str = ""  # what the table was read as (budget, years across, staffing …)

    def describe(self) -> str:
        where = f"lines {self.start}-{self.end}" if self.end != self.start else f"line {self.start}"
        title = f" {self.title!r}" if self.title else ""
        if self.skipped:
            head = f"{where}{title}: skipped: {self.skipped}"
        else:
            made = ", ".join(f"{n} {kind}" for kind, n in sorted(self.kinds.items()))
            head = f"{where}{title}: {self.what + ': ' if self.what else ''}imported as {made or 'nothing'}"
        out = [head]
        if self.how:
            out.append(f"    read from: {self.how}")
        out += [f"    no field: {u}" for u in self.unplaced]
        out += [f"    assumed: {a}" for a in self.assumptions]
        return "\n".join(out)


@dataclass
class SectionEntry:
    start: int
    heading: str
    kinds: Counter[str] = field(default_factory=Counter)


def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"
