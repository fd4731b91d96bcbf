"""Tab tables of the report text: blocks, header rows, printed numbers, and the unit, date and title
printed around a table.

A table is printed one row per line with cells split by tabs. Columns are always found by their
header names, never by position: rows are shifted left or right by a cell in several tables, and
some rows leave a column out entirely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markup import collapse_spacing, spaceless, strip_html


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line number in the report
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        return self.cells[index].strip() if 0 <= index < len(self.cells) else ""

    def filled(self) -> list[int]:
        """Indexes of the non-empty cells."""
        return [i for i, c in enumerate(self.cells) if c.strip()]


@dataclass(frozen=True)
class TabBlock:
    """Consecutive lines that contain a tab."""

    rows: tuple[Row, ...]

    @property
    def start(self) -> int:
        return self.rows[0].line

    @property
    def end(self) -> int:
        return self.rows[-1].line


def find_blocks(lines: list[str]) -> list[TabBlock]:
    blocks: list[TabBlock] = []
    current: list[Row] = []
    for number, line in enumerate(lines, 1):
        if "\t" in line:
            current.append(Row(number, tuple(line.split("\t"))))
        elif current:
            blocks.append(TabBlock(tuple(current)))
            current = []
    if current:
        blocks.append(TabBlock(tuple(current)))
    return blocks


# ---------------------------------------------------------------------------------------------
# Numbers as printed

@dataclass(frozen=True)
class Number:
    """A printed figure. `value` is None for a printed "-" (nothing)."""

    value: int | float | None
    printed: str
    secondary: int | float | None = None  # "142 (63)" → 63
    pair: tuple[int | float | None, int | float | None] | None = None  # "24/26"
    percent: bool = False
    split: tuple[tuple[str, int | float], ...] = field(default=())  # "936,864 (국 98,000, …)"

    @property
    def thousands_dot(self) -> bool:
        """"325.587" in a column of whole amounts: a comma misread as a dot."""
        return bool(re.fullmatch(r"\d{1,3}(\.\d{3})+", self.printed))


_NUM = r"[△▲]?\s*-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUM_RE = re.compile(rf"^(?P<n>{_NUM})\s*(?P<pct>%)?$")
_PAIR_RE = re.compile(rf"^(?P<a>{_NUM}|-)\s*/\s*(?P<b>{_NUM}|-)(?:\s*\((?P<s>{_NUM})\))?$")
_SECONDARY_RE = re.compile(rf"^(?P<n>{_NUM})\s*\((?P<s>{_NUM})\)$")
_SPLIT_RE = re.compile(rf"^(?P<n>{_NUM})\s*\((?P<inner>[^()]*(?:국|시|구비)[^()]*)\)$")
_SPLIT_PART = re.compile(r"(국비|시비|구비|국|시|구|민간)\s*([\d,]+(?:\.\d+)?)")
NULL_MARKS = {"-", "－", "–", "—"}
FUNDING_KEYS = {"국": "national", "국비": "national", "시": "city", "시비": "city",
                "구": "district", "구비": "district", "민간": "private"}


def number_value(text: str) -> int | float:
    negative = text.lstrip().startswith(("△", "▲", "-"))
    digits = re.sub(r"[△▲\s,-]", "", text)
    value: int | float = float(digits) if "." in digits else int(digits)
    return -value if negative else value


def parse_number(cell: str) -> Number | None:
    """A cell as a printed figure, or None when the cell is text. △ (and ▲) mean minus."""
    text = strip_html(cell)
    if not text:
        return None
    if text in NULL_MARKS:
        return Number(None, text)
    if m := _NUM_RE.match(text):
        return Number(number_value(m["n"]), text, percent=bool(m["pct"]))
    if m := _PAIR_RE.match(text):
        a = None if m["a"] == "-" else number_value(m["a"])
        b = None if m["b"] == "-" else number_value(m["b"])
        return Number(None, text, secondary=number_value(m["s"]) if m["s"] else None, pair=(a, b))
    if m := _SECONDARY_RE.match(text):
        return Number(number_value(m["n"]), text, secondary=number_value(m["s"]))
    if m := _SPLIT_RE.match(text):
        parts = tuple((FUNDING_KEYS[k], number_value(v)) for k, v in _SPLIT_PART.findall(m["inner"]))
        return Number(number_value(m["n"]), text, split=parts)
    return None


def first_value_index(row: Row) -> int | None:
    """Where a row's figures start: the cells before it are its label."""
    for i, cell in enumerate(row.cells):
        if parse_number(cell) is not None:
            return i
    return None


# ---------------------------------------------------------------------------------------------
# Header rows

@dataclass(frozen=True)
class Header:
    names: tuple[str, ...]  # one name per column; a second header row is joined to the first
    rows: int  # how many printed rows the header takes

    def find(self, *patterns: str) -> int | None:
        """First column whose name (spaces removed) matches any pattern."""
        for i, name in enumerate(self.names):
            if any(re.search(p, spaceless(name)) for p in patterns):
                return i
        return None


def read_header(rows: tuple[Row, ...]) -> Header:
    """The first row is the header. A second row joins it when it starts with an empty cell and has
    no figures: it names the sub-columns ("원인행위 / 지출액" under 집행률, grades under 일반직)."""
    top = [strip_html(c) for c in rows[0].cells]
    if len(rows) > 1 and _is_sub_header(rows[1]):
        sub = [strip_html(c) for c in rows[1].cells]
        width = max(len(top), len(sub))
        top += [""] * (width - len(top))
        sub += [""] * (width - len(sub))
        names: list[str] = []
        group = ""
        for t, s in zip(top, sub, strict=True):
            if t:
                group = t
            # A sub-column belongs to the nearest group name to its left (the group cell is
            # printed once, then its other columns are empty in the top row).
            head = t or (group if s else "")
            if s and head:
                head = re.sub(r"\s*\([^()]*\)", "", head)  # "일 반 직 (정원 / 현원)" → "일 반 직"
            names.append(" ".join(collapse_spacing(x) for x in (head, s) if x))
        return Header(tuple(names), 2)
    return Header(tuple(collapse_spacing(t) for t in top), 1)


def _is_sub_header(row: Row) -> bool:
    if row.cell(0) or not row.filled():
        return False
    return all(parse_number(c) is None or strip_html(c) in NULL_MARKS for c in row.cells)


# ---------------------------------------------------------------------------------------------
# What is printed around a table

UNIT_RE = re.compile(r"단위\s*[:：]?\s*(조원|억원|백만원|천원|원)")
_DATE_YMD = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_DATE_DOTTED = re.compile(r"(?<![\d.])['’‘`]?(\d{4}|\d{2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})(?![\d])")
_DATE_MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})\s*\.\s*(\d{1,2})\s*\.?\s*(?:기준|현재)")


def parse_date(text: str, year: int | None) -> str | None:
    """The first date in text as YYYY-MM-DD: 2021년 10월 12일, '20.10.20, 2020. 11. 20., or
    10.31.기준 (the year is then the report's)."""
    candidates: list[tuple[int, int, int]] = []
    if m := _DATE_YMD.search(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    if m := _DATE_DOTTED.search(text):
        y = int(m[1])
        candidates.append((y + 2000 if y < 100 else y, int(m[2]), int(m[3])))
    if (m := _DATE_MONTH_DAY.search(text)) and year:
        candidates.append((year, int(m[1]), int(m[2])))
    for y, mo, d in candidates:
        if 1 <= mo <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


@dataclass(frozen=True)
class TableContext:
    unit: str | None
    unit_line: int | None
    as_of: str | None
    as_of_line: int | None
    title: str | None


_LOOKBACK = 12  # lines above a table that can hold its unit, date and title
_FAR_LOOKBACK = 40  # a long table's unit may be printed once, under its section heading


def table_context(lines: list[str], block: TabBlock, end: int, year: int | None,
                  header: Header) -> TableContext:
    """Unit, as-of date and title of the table printed on lines block.start..end (1-based)."""
    near = _lines_above(lines, block.start, _LOOKBACK)
    inside = [(n, lines[n - 1]) for n in range(block.start, end + 1) if "\t" not in lines[n - 1]]
    far = _lines_above(lines, block.start, _FAR_LOOKBACK)
    header_text = [(block.start, " ".join(header.names))]
    unit, unit_line = _first(UNIT_RE, header_text + near + inside + far)
    as_of, as_of_line = None, None
    for n, text in header_text + near + far:
        if ("기준" in text or "현재" in text or n == unit_line) and (d := parse_date(text, year)):
            as_of, as_of_line = d, n
            break
    return TableContext(unit, unit_line, as_of, as_of_line, _title(near))


def _lines_above(lines: list[str], start: int, count: int) -> list[tuple[int, str]]:
    """Non-table lines above `start`, nearest first, up to the previous table."""
    found: list[tuple[int, str]] = []
    for n in range(start - 1, max(0, start - 1 - count), -1):
        text = lines[n - 1]
        if "\t" in text:
            break
        found.append((n, text))
    return found


def _first(pattern: re.Pattern[str], numbered: list[tuple[int, str]]) -> tuple[str | None, int | None]:
    for n, text in numbered:
        if m := pattern.search(text):
            return m.group(1), n
    return None, None


def _title(near: list[tuple[int, str]]) -> str | None:
    for _, text in near[:8]:
        t = re.sub(r"^#+\s*", "", text.strip()).replace("**", "").strip()
        if not t or t[0] in "([-–※▶<〈【" or UNIT_RE.search(t) or re.fullmatch(r"[\d\s.]+", t):
            continue
        t = t.lstrip("□■○").strip()
        t = re.split(r"\s+-\s+", t)[0]  # "예 산 - 238,681백만원" → "예 산"
        return collapse_spacing(t)
    return None
