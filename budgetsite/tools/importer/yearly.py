"""Tables with years as columns and figures as rows (신속집행 실적: 2014 … 2018 across, 대상액 /
집행액 / 집행률 down): one draft `budget` record per year (and per group, when a label column groups
the rows, 일반회계 / 특별회계). A row whose label has no budget field (대상액, 목표액) is listed,
never put in a money field."""

from __future__ import annotations

from typing import Any

from .columns import Columns, header_key, value_meaning
from .markup import collapse_spacing, strip_html
from .records import Draft, ReportContext, draft_id, source
from .sections import Outline
from .tables import Header, Number, TabBlock, TableContext, parse_number


def _figure_label(label: str) -> bool:
    """A row label that names a figure (집 행 액, 대상액, 집행률(%)), not a program called '… 지원'."""
    key = header_key(label)
    return 0 < len(key) <= 8 and value_meaning((label,)) is not None


def row_field(label: str) -> tuple[str | None, str]:
    """(budget field, why not) for a row label such as 집 행 액 or 대상액."""
    meaning = value_meaning((label,)) if _figure_label(label) else None
    if meaning is None:
        return None, "the label names no budget figure this importer knows"
    if meaning.role in ("money", "rate", "change") and meaning.field:
        return meaning.field, ""
    return None, meaning.why or "no budget field"


def is_years_across(header: Header, columns: Columns, block: TabBlock) -> bool:
    """Two or more year columns, and rows whose labels are figures (집행액, 집행률 …)."""
    if len(columns.years) < 2:
        return False
    first = min(columns.years.values())
    labelled = named = placed = 0
    for row in block.rows[header.rows:]:
        label = next((strip_html(row.cell(i)) for i in range(first - 1, -1, -1) if row.cell(i)), "")
        if not label:
            continue
        labelled += 1
        if _figure_label(label):
            named += 1
            placed += row_field(label)[0] is not None
    # Most rows name a figure (a group heading row may not), and one of them is a budget field.
    return placed >= 1 and named * 2 > labelled


def import_years_across(ctx: ReportContext, outline: Outline, block: TabBlock, header: Header,
                        columns: Columns, context: TableContext) -> tuple[list[Draft], list[str]]:
    """The drafts, and the rows that were not placed (for the import report)."""
    unit = context.unit
    first = min(columns.years.values())
    section = outline.section_at(block.start)
    name_default = context.title or (section or f"{block.start}행의 표")
    records: dict[tuple[str, int], dict[str, Any]] = {}
    lines_of: dict[tuple[str, int], list[int]] = {}
    unplaced: list[str] = []
    group = ""
    for row in block.rows[header.rows:]:
        labels = [collapse_spacing(strip_html(row.cell(i))) for i in range(first) if row.cell(i)]
        if not labels:
            continue
        label = labels[-1]
        if len(labels) > 1:
            group = labels[0]
        field, why = row_field(label)
        if field is None:
            if row_field(labels[0])[0] is None and len(labels) == 1 and not any(
                    parse_number(row.cell(c)) for c in columns.years.values()):
                group = label  # a group heading row (일반회계) with nothing in the year columns
                continue
            unplaced.append(f"row {label!r} (line {row.line}): {why}")
            continue
        for year, column in sorted(columns.years.items()):
            number = parse_number(row.cell(column))
            if number is None or number.value is None:
                continue
            key = (group, year)
            record = records.setdefault(key, {})
            lines_of.setdefault(key, []).append(row.line)
            _put(ctx, record, field, number, row.line)
    drafts: list[Draft] = []
    for (group_name, year), values in sorted(records.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if not values:
            continue
        lines = lines_of[(group_name, year)]
        record_id = draft_id(ctx.doc_id, "budget", f"l{block.start}", year,
                             f"g{sorted({g for g, _ in records}).index(group_name)}" if group_name else "")
        data: dict[str, Any] = {"id": record_id,
                                "source": source(ctx.doc_id, min(lines), max(lines),
                                                 " / ".join(x for x in (section, context.title) if x)),
                                "name": group_name or name_default}
        if context.title:
            data["table"] = context.title
        data["year"] = year
        if context.as_of:
            data["as_of"] = context.as_of
        data["unit"] = unit
        notes = values.pop("_notes", [])
        data.update(values)
        if notes:
            data["notes"] = notes
        drafts.append(Draft("budget", record_id, data, section))
    return drafts, unplaced


def _put(ctx: ReportContext, record: dict[str, Any], field: str, number: Number, line: int) -> None:
    value = number.value
    if field in ("rate_stated", "obligation_rate_stated", "change_stated"):
        record[field] = value
        return
    if value is not None and value < 0:
        ctx.warn(line, f"negative amount {number.printed} for {field}; left out")
        return
    if field.startswith("funding."):
        record.setdefault("funding", {})[field.split(".", 1)[1]] = value
    else:
        record[field] = value
