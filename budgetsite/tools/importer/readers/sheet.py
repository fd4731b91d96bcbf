"""Spreadsheets (지방재정365 downloads and the like): XLSX through openpyxl, CSV through the csv
module. A sheet prints a title and a "(단위 : 원)" line above its table: rows with at most one filled
cell before and after a table are text lines; blank rows part tables. Numbers are written as the
sheet shows them (thousands separators, △ when the cell's format prints △)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from .document import Document, DocumentBuilder, ReadError


def read_xlsx(path: Path) -> Document:
    import openpyxl
    try:
        # Not read-only: merged cells are only known to a fully loaded sheet.
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged or unsupported file
        raise ReadError(f"{path}: the workbook cannot be opened ({type(exc).__name__}: {exc})") from None
    sheets: list[tuple[str, list[list[str]]]] = []
    formulas: list[str] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows: list[list[str]] = []
        for row in ws.iter_rows():
            rows.append([_cell(c) for c in row])
        sheets.append((ws.title, rows))
    try:
        # A formula saved without its computed value reads as empty with data_only: say so.
        wb_formulas = openpyxl.load_workbook(path, data_only=False)
        for ws in wb_formulas.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        cached = wb[ws.title][c.coordinate].value
                        if cached is None:
                            formulas.append(f"{ws.title}!{c.coordinate}")
    except Exception:  # the values were read; this check only adds a note
        pass
    doc = sheet_document(sheets, "xlsx")
    if formulas:
        shown = ", ".join(formulas[:8]) + (" …" if len(formulas) > 8 else "")
        doc.notes.append(f"{len(formulas)} formula cell(s) have no saved value and read as empty ({shown}); "
                         "open the workbook in a spreadsheet program, save it, and import it again")
    return doc


def _cell(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        fmt = str(cell.number_format or "")
        if "%" in fmt:
            value = value * 100
            decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
            return f"{value:.{decimals}f}%"
        places = len(re.sub(r"[^0]", "", fmt.split(".")[1].split(";")[0])) if "." in fmt else None
        text = _number(abs(value), places)
        if value < 0:
            negative = fmt.split(";")[1] if ";" in fmt else ""
            mark = "△" if "△" in negative else ("▲" if "▲" in negative else "-")
            return f"({text})" if negative.startswith("(") else mark + text
        return text
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _number(value: float, decimals: int | None) -> str:
    """The value with thousands separators and all its digits: a display format may round 98.46 to
    98.5, but the cell holds 98.46 (a format's extra zeros, 58 as 58.0, are kept)."""
    own = repr(float(value)).split(".")[1].rstrip("0") if not float(value).is_integer() else ""
    places = max(len(own), decimals or 0)
    if "e" in own:  # a tiny or huge float: show it as Python does
        return repr(value)
    return f"{value:,.{places}f}"


def sheet_document(sheets: list[tuple[str, list[list[str]]]], fmt: str) -> Document:
    builder = DocumentBuilder(fmt)
    for title, rows in sheets:
        rows = [[(c or "").strip() for c in row] for row in rows]
        if not any(any(row) for row in rows):
            continue
        if len(sheets) > 1:
            builder.blank()
            builder.paragraph(f"[{title}]")
        for run in _runs(rows):
            filled = [sum(1 for c in row if c) for row in run]
            first = next((i for i, n in enumerate(filled) if n >= 2), None)
            if first is None:
                for row in run:
                    builder.paragraph(" ".join(c for c in row if c))
                continue
            last = max(i for i, n in enumerate(filled) if n >= 2)
            for row in run[:first]:
                builder.paragraph(" ".join(c for c in row if c))
            builder.table(run[first:last + 1], f"{fmt.upper()} sheet {title!r}")
            for row in run[last + 1:]:
                builder.paragraph(" ".join(c for c in row if c))
        builder.blank()
    doc = builder.finish()
    if not doc.lines:
        raise ReadError("the workbook has no filled cells")
    return doc


def _runs(rows: list[list[str]]) -> list[list[list[str]]]:
    runs: list[list[list[str]]] = [[]]
    for row in rows:
        if any(row):
            runs[-1].append(row)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]
