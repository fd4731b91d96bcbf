"""Staffing tables (인력 현황) → one draft `staffing` record per table.

Two layouts are printed. Units as rows: 구분 | 정원 | 현원 (여성) | 과부족 | grade cells "정원/현원",
or one "정원 / 현원 (여성)" cell (합계(여성)). Counts as rows: 정원 / 현원 / 과부족 lines with one
column per grade. Every printed cell is also kept as printed in `cells`.
"""

from __future__ import annotations

from typing import Any

from .markup import spaceless, strip_html
from .records import Draft, ReportContext, draft_id, source
from .sections import Outline
from .tables import Header, TabBlock, parse_number, read_header, table_context

_COUNT_ROWS = {"정원": "authorized", "현원": "current", "과부족": "shortage"}


def is_staffing_table(block: TabBlock) -> bool:
    header = read_header(block.rows)
    names = spaceless(" ".join(header.names))
    labels = {spaceless(strip_html(r.cell(0))) for r in block.rows}
    return ("정원" in names and "현원" in names) or "일반직" in names or {"정원", "현원"} <= labels


def import_staffing(ctx: ReportContext, outline: Outline, block: TabBlock) -> Draft:
    header = read_header(block.rows)
    context = table_context(ctx.lines, block, block.end, ctx.year, header)
    section = outline.section_at(block.start)
    labels = {spaceless(strip_html(r.cell(0))) for r in block.rows}
    notes: list[str] = []
    if {"정원", "현원"} <= labels:
        columns, rows = _counts_as_rows(block, header)
    else:
        columns, rows = _units_as_rows(ctx, block, header)
    as_of = context.as_of
    if as_of is None:
        as_of = ctx.report_date or f"{ctx.year or 1900}-01-01"
        notes.append(f"표에 기준일이 없어 as_of에는 보고서 날짜({as_of})를 적었습니다. 확인이 필요합니다.")
        ctx.warn(block.start, f"staffing table has no printed date; as_of set to {as_of}")
    record_id = draft_id(ctx.doc_id, "staffing", f"l{block.start}")
    start = context.as_of_line if context.as_of_line and context.as_of_line < block.start else block.start
    data: dict[str, Any] = {"id": record_id, "source": source(ctx.doc_id, start, block.end, section)}
    if context.title:
        data["title"] = context.title
    data["as_of"] = as_of
    data["columns"] = columns
    data["rows"] = rows
    if note := _note_below(ctx.lines, block.end):
        data["note"] = note
    if notes:
        data["notes"] = notes
    return Draft("staffing", record_id, data, section)


def _units_as_rows(ctx: ReportContext, block: TabBlock, header: Header) -> tuple[list[str], list[dict[str, Any]]]:
    fields: dict[int, str] = {}
    women_column = None
    for i, name in enumerate(header.names[1:], 1):
        s = spaceless(name)
        if s.startswith("정원"):
            fields[i] = "authorized"
        elif s.startswith("현원"):
            fields[i] = "current"
        elif s.startswith("과부족"):
            fields[i] = "shortage"
        elif "여성" in s and ("합계" in s or "계" == s[:1]):
            fields[i] = "pair"  # "277 / 271 (118)": 정원 / 현원 (여성)
            women_column = i
    detail = [i for i in range(1, len(header.names)) if i not in fields]
    columns = [header.names[i] for i in detail]
    rows: list[dict[str, Any]] = []
    for row in block.rows[header.rows:]:
        label = strip_html(row.cell(0))
        if not label:
            continue
        out: dict[str, Any] = {"label": label}
        if org := ctx.orgs.find(label, ctx.doc_id):
            out["org"] = org
        for i, f in fields.items():
            number = parse_number(row.cell(i))
            if number is None:
                continue
            if f == "pair" and number.pair:
                out["authorized"], out["current"] = _int(number.pair[0]), _int(number.pair[1])
                if number.secondary is not None and women_column is not None:
                    out["women"] = _int(number.secondary)
            elif f != "pair":
                out[f] = _int(number.value)
                if f == "current" and number.secondary is not None:
                    out["women"] = _int(number.secondary)  # "142 (63)": 현원 (여성)
        out["cells"] = {header.names[i]: (row.cell(i) or None) for i in detail}
        rows.append(out)
    return columns, rows


def _counts_as_rows(block: TabBlock, header: Header) -> tuple[list[str], list[dict[str, Any]]]:
    columns = list(header.names[1:])
    rows: list[dict[str, Any]] = []
    total_column = next((i for i, n in enumerate(header.names) if spaceless(n) in ("계", "합계")), None)
    for row in block.rows[header.rows:]:
        label = strip_html(row.cell(0))
        if not label:
            continue
        out: dict[str, Any] = {"label": label}
        f = _COUNT_ROWS.get(spaceless(label))
        if f and total_column is not None and (number := parse_number(row.cell(total_column))) is not None:
            out[f] = _int(number.value)
        out["cells"] = {name: (row.cell(i) or None) for i, name in enumerate(header.names) if i > 0}
        rows.append(out)
    return columns, rows


def _int(value: int | float | None) -> int | None:
    return int(value) if value is not None else None


def _note_below(lines: list[str], end: int) -> str | None:
    """A ※ footnote printed just under the table."""
    for n in range(end + 1, min(end + 4, len(lines) + 1)):
        text = lines[n - 1].strip()
        if text.startswith("※"):
            return text
        if text:
            return None
    return None
