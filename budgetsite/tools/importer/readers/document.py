"""A document as the importer reads it: lines of text, table rows as tab-separated cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class ReadError(Exception):
    """A document that cannot be read; the message says why and what to do instead."""


@dataclass(frozen=True)
class TableOrigin:
    """Where a table of the stored text came from, for the import report."""

    start: int  # first line of the table in the stored text (1-based)
    end: int
    how: str  # "HWPX table", "PDF page 2 (ruled)", "box-drawn text, lines 12-30 of the file" …


@dataclass
class Document:
    lines: list[str]  # the text stored under reports/: one table row per line, cells split by tabs
    format: str  # text, hwpx, pdf, xlsx, csv
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)  # what reading assumed, for the report
    origins: list[TableOrigin] = field(default_factory=list)

    def origin_at(self, line: int) -> TableOrigin | None:
        for origin in self.origins:
            if origin.start <= line <= origin.end:
                return origin
        return None


_SPACE = re.compile(r"[\s\u3000]+")


def clean_cell(text: str) -> str:
    """A cell on one line: tabs and line breaks inside it become spaces."""
    return _SPACE.sub(" ", text).strip()


class DocumentBuilder:
    """Collects a document's paragraphs and tables in reading order."""

    def __init__(self, fmt: str) -> None:
        self.doc = Document([], fmt)

    def paragraph(self, text: str) -> None:
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            self.doc.lines.append(line.replace("\t", " ").rstrip())

    def table(self, rows: list[list[str]], how: str) -> None:
        """A grid of cell texts (a merged cell's text in its top-left cell, the cells it covers empty).
        A grid that is really a box around text (one column, or one filled cell per row) is text."""
        grid = [[clean_cell(c) for c in row] for row in rows]
        grid = [row for row in grid if any(row)]
        if not grid:
            return
        width = max(len(row) for row in grid)
        while width > 1 and not any(len(row) >= width and row[width - 1] for row in grid):
            width -= 1  # an empty last column
        if width < 2 or all(sum(1 for c in row if c) <= 1 for row in grid):
            for row in grid:
                self.paragraph(" ".join(c for c in row if c))
            return
        if self.doc.lines and "\t" in self.doc.lines[-1]:
            self.doc.lines.append("")  # two tables in a row stay two tables
        start = len(self.doc.lines) + 1
        for row in grid:
            cells = (row + [""] * width)[:width]
            self.doc.lines.append("\t".join(cells))
        self.doc.origins.append(TableOrigin(start, len(self.doc.lines), how))

    def blank(self) -> None:
        if self.doc.lines and self.doc.lines[-1] != "":
            self.doc.lines.append("")

    def finish(self) -> Document:
        while self.doc.lines and not self.doc.lines[-1].strip():
            self.doc.lines.pop()
        return self.doc
