"""Budget tables → one draft `budget` record per row (totals included).

Two shapes are read. A summary table (구분 | 예산현액 | 원인행위액 | 지출액 | 집행률 …) gives one row
per line; its hierarchy shows in which label column a row is printed and in the 계/소계 names. A
numbered table (연번 | 사업개요 | 예산현액 | 집행액 | 추진현황 | 향후계획) runs over many pages: the
header is repeated on every page, a single-cell row names the department of the lines below it,
and a line cut by a page break continues in a row with an empty 연번 cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .markup import cell_blocks, collapse_spacing, spaceless, strip_html, to_markdown
from .programs import ProgramRef
from .records import Draft, ReportContext, draft_id, source
from .sections import Outline
from .tables import Header, Number, Row, TabBlock, first_value_index, parse_number, read_header, table_context

# Header name (spaces removed) → field. Rates before amounts: "집행률 지출액" is a rate.
_FIELDS: list[tuple[str, str]] = [
    ("number", r"^연번$"),
    ("obligation_rate_stated", r"(집행|달성)[률율].*원인행위|원인행위.*[률율]"),
    ("rate_stated", r"(집행|달성)[률율]"),
    ("obligated", r"원인행위"),
    ("forecast", r"(지출|집행).*(까지|예상|전망)"),
    ("spent", r"지출액|집행액"),
    ("budget", r"예산현액|예산액"),
    ("change_stated", r"증감"),
    ("overview", r"사업개요|비고"),
    ("progress", r"추진현황|추진실적"),
    ("plan", r"향후계획"),
]
_YEAR_COLUMN = re.compile(r"^(20\d\d)년?(\(.*\))?$")
_MONEY = ("budget", "obligated", "spent", "forecast", "prior_budget")
_RATES = ("rate_stated", "obligation_rate_stated")
_NUMBER_PREFIX = re.compile(r"^(?P<num>[①-⑳]|\d{1,2}\.)\s*(?P<name>\S.*)$")
_TOTAL = re.compile(r"(총계|합계|소계|계)$")
_ACCOUNT = re.compile(r"^(?P<account>.+회계)(\s*계)?$")


@dataclass
class Columns:
    fields: dict[str, int]  # field → column
    years: dict[int, int]  # printed year → column

    @property
    def first(self) -> int:
        return min([*self.fields.values(), *self.years.values()])

    def field_at(self, column: int) -> str | None:
        for name, col in self.fields.items():
            if col == column:
                return name
        for year, col in self.years.items():
            if col == column:
                return f"year:{year}"
        return None


def read_columns(header: Header) -> Columns:
    fields: dict[str, int] = {}
    years: dict[int, int] = {}
    for i, name in enumerate(header.names):
        s = spaceless(name)
        if m := _YEAR_COLUMN.match(s):
            years[int(m[1])] = i
            continue
        for field_name, pattern in _FIELDS:
            if re.search(pattern, s) and field_name not in fields:
                fields[field_name] = i
                break
    return Columns(fields, years)


def is_budget_table(columns: Columns) -> bool:
    has_budget = "budget" in columns.fields or len(columns.years) >= 2
    has_other = any(f in columns.fields for f in ("spent", "obligated", "rate_stated", "change_stated"))
    return has_budget and has_other


def is_numbered_table(columns: Columns) -> bool:
    return "number" in columns.fields and "budget" in columns.fields


@dataclass
class _Line:
    """One printed row of a summary table, before it becomes a record."""

    row: Row
    name: str
    number: str | None
    indent: int
    rank: int  # 3 grand total, 2 subtotal, 1 line
    group: str
    values: dict[str, Number]
    texts: dict[str, str]
    ambiguous: Number | None = None  # a figure whose column the row does not say
    parent: _Line | None = None
    children: list[_Line] = field(default_factory=list)
    id: str = ""


def _rank(name: str) -> int:
    s = spaceless(name)
    if s in ("계", "총계", "합계") or "총계" in s:
        return 3
    return 2 if _TOTAL.search(s) else 1


def import_budget_table(ctx: ReportContext, outline: Outline, block: TabBlock,
                        program_at: Callable[[int], ProgramRef | None]) -> list[Draft]:
    header = read_header(block.rows)
    columns = read_columns(header)
    context = table_context(ctx.lines, block, block.end, ctx.year, header)
    if context.unit is None:
        ctx.warn(block.start, "budget table without a printed unit (단위); not imported")
        return []
    lines = _read_lines(ctx, block, header, columns)
    _link(lines)
    _resolve_ambiguous(ctx, lines, columns)
    section = outline.section_at(block.start)
    year = _table_year(header, columns, ctx.year)
    program = program_at(block.start)
    drafts: list[Draft] = []
    for line in lines:
        line.id = draft_id(ctx.doc_id, "budget", f"l{line.row.line}")
    for line in lines:
        data: dict[str, Any] = {"id": line.id,
                                "source": source(ctx.doc_id, line.row.line, line.row.line,
                                                 " / ".join(x for x in (section, context.title) if x))}
        name = line.name or (program.name if program else context.title or "")
        data["name"] = name
        if line.number:
            data["number"] = line.number
        if context.title:
            data["table"] = context.title
        row_org = ctx.orgs.find(line.name, ctx.doc_id) if line.name else None
        # A program's own budget table: the unit its heading names.
        org = row_org or (program.org if program is not None else None)
        if org:
            data["org"] = org
        if program:
            data["programs"] = [program.id]
        if line.parent:
            data["parent"] = line.parent.id
        if level := _level(line, row_org, header):
            data["level"] = level
        if account := _account(line):
            data["account"] = account
        data["year"] = year
        if context.as_of:
            data["as_of"] = context.as_of
        data["unit"] = context.unit
        notes: list[str] = []
        _put_values(ctx, data, line, columns, notes)
        if notes:
            data["notes"] = notes
        drafts.append(Draft("budget", line.id, data, section))
    return drafts


def _table_year(header: Header, columns: Columns, fallback: int | None) -> int:
    if columns.years:
        return max(columns.years)
    for name in header.names:
        if m := re.match(r"^(20\d\d)\s", name):
            return int(m[1])
    return fallback or 0


def _read_lines(ctx: ReportContext, block: TabBlock, header: Header, columns: Columns) -> list[_Line]:
    lines: list[_Line] = []
    group = ""
    numeric_columns = [c for c in range(columns.first, len(header.names))
                       if (f := columns.field_at(c)) and f not in ("overview", "progress", "plan")]
    for row in block.rows[header.rows:]:
        if not row.filled():
            continue
        k = first_value_index(row)
        if k is None:
            ctx.warn(row.line, "budget table row without figures; skipped")
            continue
        labels = [(i, collapse_spacing(strip_html(row.cells[i]))) for i in range(k) if row.cell(i)]
        shift = k - columns.first
        numbers = [parse_number(c) for c in row.cells[k:] if c.strip()]
        figures = [n for n in numbers if n is not None]
        values: dict[str, Number] = {}
        texts: dict[str, str] = {}
        ambiguous = None
        if shift > 0 and len(figures) < len(numeric_columns):
            values, ambiguous = _fill_missing(ctx, row, figures, columns)
        else:
            for c in range(columns.first, len(header.names)):
                f = columns.field_at(c)
                cell = row.cell(c + shift)
                if f is None or not cell:
                    continue
                number = parse_number(cell)
                if number is not None and f not in ("overview", "progress", "plan"):
                    values[f] = number
                else:
                    texts[f] = cell
        name, indent, this_group = _label(labels, shift, group)
        if this_group:
            group = this_group
        elif labels and labels[0][0] == 0:
            group = ""  # a label printed in the first column ends the previous group
        printed_number = None
        if m := _NUMBER_PREFIX.match(name):
            printed_number, name = m["num"].rstrip("."), m["name"]
        lines.append(_Line(row, name, printed_number, indent, _rank(name), group, values, texts, ambiguous))
    return lines


def _label(labels: list[tuple[int, str]], shift: int, group: str) -> tuple[str, int, str]:
    """(name, indent, group label) of a row. "사업 예산 | 소 계" is the total of group 사업 예산;
    "부 서 별 | 노동정책담당관" is a member of group 부서별."""
    if not labels:
        return "", 0, ""
    if len(labels) >= 2:
        (gi, g), (_, name) = labels[0], labels[-1]
        if _TOTAL.search(spaceless(name)):
            return f"{g} {name}", gi, ""
        return name, labels[-1][0], g
    col, name = labels[0]
    if shift < 0:
        col -= shift  # the row is printed a cell to the left of its header
    return name, col, ""


def _fill_missing(ctx: ReportContext, row: Row, figures: list[Number],
                  columns: Columns) -> tuple[dict[str, Number], Number | None]:
    """A row with fewer figures than amount columns: the rate is the % figure, the budget the
    first one; a single figure left between 원인행위액 and 지출액 is decided later (see
    _resolve_ambiguous)."""
    values: dict[str, Number] = {}
    amounts = [n for n in figures if not n.percent]
    rates = [n for n in figures if n.percent]
    rate_fields = [f for f in _RATES if f in columns.fields]
    for f, n in zip(rate_fields, rates, strict=False):
        values[f] = n
    amount_fields = [f for f in ("budget", "obligated", "spent", "forecast") if f in columns.fields]
    if amounts:
        values["budget"] = amounts[0]
    rest_fields = [f for f in amount_fields if f != "budget"]
    rest = amounts[1:]
    if len(rest) == len(rest_fields):
        values.update(zip(rest_fields, rest, strict=True))
        return values, None
    if len(rest) == 1 and {"obligated", "spent"} <= set(rest_fields):
        ctx.warn(row.line, f"row has {len(figures)} figures for {len(amount_fields) + len(rate_fields)} "
                           f"columns; {rest[0].printed} may be 원인행위액 or 지출액")
        return values, rest[0]
    ctx.warn(row.line, f"row has {len(figures)} figures for {len(amount_fields) + len(rate_fields)} "
                       "columns; only the budget and rate were kept")
    return values, None


def _link(lines: list[_Line]) -> None:
    for i, line in enumerate(lines):
        for previous in reversed(lines[:i]):
            if previous.indent < line.indent or (previous.indent == line.indent and previous.rank > line.rank):
                line.parent = previous
                previous.children.append(line)
                break


def _resolve_ambiguous(ctx: ReportContext, lines: list[_Line], columns: Columns) -> None:
    """A group of rows that leave out one amount column: the column whose total their figures add
    up to is the one they hold (000 V: the departments' figures sum to 원인행위액, not 지출액)."""
    groups: dict[tuple[int, str], list[_Line]] = {}
    for line in lines:
        if line.ambiguous is not None:
            groups.setdefault((id(line.parent), line.group), []).append(line)
    for members in groups.values():
        parent = members[0].parent
        total = sum(_num(m.ambiguous) for m in members)
        choice: str | None = None
        why = ""
        if parent is not None and not parent.ambiguous:
            for f in ("obligated", "spent"):
                if f in parent.values and _num(parent.values[f]) == total:
                    label = "원인행위액" if f == "obligated" else "지출액"
                    choice = f
                    why = (f"이 묶음의 값을 더하면 {parent.row.line}행 {parent.name}의 {label} "
                           f"{parent.values[f].printed}와 같아 {label}으로 보았습니다")
        for m in members:
            f, reason = (choice, why) if choice else _by_rate(m)
            assert m.ambiguous is not None
            m.values[f] = m.ambiguous
            missing = "지출액" if f == "obligated" else "원인행위액"
            label = "원인행위액" if f == "obligated" else "지출액"
            m.texts["_note"] = (f"{missing} 칸이 비어 값이 하나 모자랍니다. {m.ambiguous.printed}은(는) "
                                f"{reason}. 확인이 필요합니다.")
            ctx.warn(m.row.line, f"{m.ambiguous.printed} taken as {label}")
            m.ambiguous = None


def _by_rate(line: _Line) -> tuple[str, str]:
    rate = line.values.get("rate_stated")
    budget = line.values.get("budget")
    assert line.ambiguous is not None
    if rate and budget and _num(budget):
        computed = _num(line.ambiguous) / _num(budget) * 100
        digits = len(rate.printed.rstrip("%").partition(".")[2])
        if round(computed, digits) == rate.value:
            return "spent", "예산현액으로 나눈 값이 적힌 집행률과 같아 지출액으로 보았습니다"
        return "obligated", f"예산현액으로 나눈 값({computed:.1f}%)이 적힌 집행률과 달라 원인행위액으로 보았습니다"
    return "obligated", "어느 칸인지 알 수 없어 원인행위액으로 두었습니다"


def _num(n: Number | None) -> float:
    return float(n.value) if n is not None and n.value is not None else 0.0


def _level(line: _Line, org: str | None, header: Header) -> str | None:
    group = spaceless(line.group)
    if group.startswith("부서"):
        return "부서"
    if group.startswith("재원"):
        return "재원"
    if line.rank == 3 or (line.children and line.parent is None):
        return "총계" if line.parent is None else "소계"
    if line.rank == 2 or line.children:
        return "소계"
    if org:
        return "부서"
    name_column = header.names[line.indent] if line.indent < len(header.names) else ""
    if "단위사업" in spaceless(name_column):
        return "단위사업"
    return None


def _account(line: _Line) -> str | None:
    node: _Line | None = line
    while node is not None:
        if m := _ACCOUNT.match(node.name):
            return " ".join(m["account"].split())
        node = node.parent
    return None


def _put_values(ctx: ReportContext, data: dict[str, Any], line: _Line, columns: Columns,
                notes: list[str]) -> None:
    years = sorted(columns.years)
    for year in years[:-1]:
        if number := line.values.get(f"year:{year}"):
            _money(ctx, data, "prior_budget", number, line, notes)
            data["prior_year"] = year
    if years and (number := line.values.get(f"year:{years[-1]}")):
        _money(ctx, data, "budget", number, line, notes)
    for f in ("budget", "obligated", "spent", "forecast"):
        if f in line.values:
            _money(ctx, data, f, line.values[f], line, notes)
    if (n := line.values.get("change_stated")) and n.value is not None:
        data["change_stated"] = n.value
    for f in _RATES:
        if (n := line.values.get(f)) and n.value is not None:
            data[f] = n.value
    if "overview" in line.texts:
        data["overview"] = to_markdown(cell_blocks(line.texts["overview"]))
    if "_note" in line.texts:
        notes.append(line.texts["_note"])


def _money(ctx: ReportContext, data: dict[str, Any], key: str, number: Number, line: _Line,
           notes: list[str]) -> None:
    if number.value is None:
        return  # "-": nothing printed
    if number.value < 0:
        ctx.warn(line.row.line, f"negative amount {number.printed} for {key}; left out")
        notes.append(f"{key} 값이 음수({number.printed})로 인쇄되어 넣지 않았습니다.")
        return
    data[key] = number.value
    if number.thousands_dot:
        ctx.warn(line.row.line, f"{key} {number.printed!r} read as {number.value}: "
                                f"probably {number.printed.replace('.', ',')}")
        notes.append(f"'{number.printed}'로 인쇄된 값을 그대로 {number.value}로 적었습니다. "
                     f"쉼표를 점으로 잘못 읽은 {number.printed.replace('.', ',')}일 수 있습니다 (정정 목록 확인).")
    if number.split:
        parts = dict(number.split)
        if key == "budget":
            data["funding"] = parts
        else:
            label = {"spent": "집행액", "obligated": "원인행위액", "forecast": "집행 예정액"}.get(key, key)
            notes.append(f"{label}의 재원 구성이 함께 인쇄되어 있습니다: \"{number.printed}\".")


# ---------------------------------------------------------------------------------------------
# Numbered, page-split budget lines

@dataclass
class _Entry:
    number: str
    dept: str
    dept_line: int
    start: int
    end: int
    cells: list[str]
    merged: list[int] = field(default_factory=list)


def import_numbered_table(ctx: ReportContext, outline: Outline, blocks: list[TabBlock]) -> list[Draft]:
    """All pages of one numbered budget table (blocks after the first repeat its header)."""
    first = blocks[0]
    header = read_header(first.rows)
    columns = read_columns(header)
    context = table_context(ctx.lines, first, blocks[-1].end, ctx.year, header)
    if context.unit is None:
        ctx.warn(first.start, "numbered budget table without a printed unit (단위); not imported")
        return []
    entries: list[_Entry] = []
    dept, dept_line = "", 0
    for block in blocks:
        page_break = True
        for row in block.rows:
            first_cell = strip_html(row.cell(0))
            if first_cell == header.names[0] or spaceless(first_cell) == spaceless(header.names[0]):
                page_break = True
                continue
            filled = row.filled()
            if filled == [0] and not first_cell.isdigit():
                dept, dept_line = first_cell, row.line  # a department's lines follow
                continue
            if first_cell.isdigit():
                entries.append(_Entry(first_cell, dept, dept_line, row.line, row.line,
                                      list(row.cells) + [""] * (len(header.names) - len(row.cells))))
            elif not first_cell and entries and page_break:
                entry = entries[-1]
                for i, cell in enumerate(row.cells):
                    if cell.strip():
                        while len(entry.cells) <= i:
                            entry.cells.append("")
                        entry.cells[i] = f"{entry.cells[i]} {cell}".strip()
                entry.end = row.line
                entry.merged.append(row.line)
                ctx.warn(row.line, f"continuation row merged into 연번 {entry.number} (line {entry.start})")
            else:
                ctx.warn(row.line, "row of the numbered budget table not understood; skipped")
                continue
            page_break = False
    part = outline.part_at(first.start)
    key = part.key if part else "0"
    section = outline.section_at(first.start)
    title = (part.title if part else "") or context.title or ""
    drafts: list[Draft] = []
    for entry in entries:
        drafts.append(_numbered_draft(ctx, entry, columns, context.unit, context.as_of, key, section, title))
    return drafts


_NAME_LABEL = re.compile(r"\s*\((사업내용|사업개요)\)$")


def _numbered_draft(ctx: ReportContext, entry: _Entry, columns: Columns, unit: str, as_of: str | None,
                    key: str, section: str, title: str) -> Draft:
    record_id = draft_id(ctx.doc_id, "budget", key, entry.number)
    cell = entry.cells
    blocks = cell_blocks(cell[columns.fields["overview"]]) if "overview" in columns.fields else []
    name = ""
    if blocks and blocks[0].kind == "para":
        # The program's name is the text before the cell's first bullet.
        name = blocks[0].text
        blocks = blocks[1:]
        if m := _NAME_LABEL.search(name):
            name = name[:m.start()]
    data: dict[str, Any] = {"id": record_id, "source": source(ctx.doc_id, entry.start, entry.end, section),
                            "name": name, "number": entry.number}
    if title:
        data["table"] = title
    notes: list[str] = []
    if entry.dept:
        if org := ctx.org_for(entry.dept, entry.dept_line, "department"):
            data["org"] = org
        else:
            notes.append(f"부서 '{entry.dept}'({entry.dept_line}행)를 조직 목록에서 찾지 못했습니다.")
    data["level"] = "세부사업"
    data["year"] = ctx.year or 0
    if as_of:
        data["as_of"] = as_of
    data["unit"] = unit
    line = _Line(Row(entry.start, tuple(cell)), name, entry.number, 0, 1, "", {}, {})
    for f in ("budget", "spent"):
        if f in columns.fields and (n := parse_number(cell[columns.fields[f]])) is not None:
            _money(ctx, data, f, n, line, notes)
        elif f in columns.fields and cell[columns.fields[f]].strip():
            ctx.warn(entry.start, f"연번 {entry.number}: {f} cell {cell[columns.fields[f]]!r} is not a figure")
    if not name:
        ctx.warn(entry.start, f"연번 {entry.number}: no name before the first bullet")
    if overview := to_markdown(blocks):
        data["overview"] = overview
    for f in ("progress", "plan"):
        if f in columns.fields and (text := to_markdown(cell_blocks(cell[columns.fields[f]]))):
            data[f] = text
    if entry.merged:
        merged = ", ".join(str(n) for n in entry.merged)
        notes.append(f"쪽이 나뉘어 {merged}행의 이어지는 줄을 칸별로 이어 붙였습니다.")
    if notes:
        data["notes"] = notes
    return Draft("budget", record_id, data, section)
