"""Plain text: decoded (UTF-8, else CP949/EUC-KR, which is what Korean Windows saves), its tables
drawn with box characters (┃│┼━ …) or aligned with spaces turned into tab rows. Lines outside those
tables are kept exactly, so a report already extracted with tab tables keeps its line numbers."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .document import Document, ReadError, TableOrigin, clean_cell


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "UTF-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:4096]:
        raise ReadError(f"{name}: a binary file, not text; import the report as HWPX, PDF, XLSX, CSV or text")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("cp949"), "CP949"
    except UnicodeDecodeError:
        line = data[:utf8_error.start].count(b"\n") + 1
        column = utf8_error.start - (data.rfind(b"\n", 0, utf8_error.start) + 1) + 1
        byte = data[utf8_error.start]
        raise ReadError(f"{name}:{line}:{column}: byte 0x{byte:02x} is neither UTF-8 nor CP949 (EUC-KR) text; "
                        "open the file and save it as UTF-8, then import it again") from None


def read_lines(path: Path) -> tuple[list[str], str]:
    text, encoding = decode(path.read_bytes(), str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines, encoding


def read_text(path: Path) -> Document:
    lines, encoding = read_lines(path)
    doc = convert_tables(lines, "text")
    doc.encoding = encoding
    if encoding != "UTF-8":
        doc.notes.append(f"read as {encoding} (the stored text is UTF-8)")
    return doc


def read_csv(path: Path) -> Document:
    import csv
    import io

    from .sheet import sheet_document
    text, encoding = decode(path.read_bytes(), str(path))
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect=dialect))
    doc = sheet_document([(path.stem, rows)], "csv")
    doc.encoding = encoding
    if encoding != "UTF-8":
        doc.notes.append(f"read as {encoding} (the stored text is UTF-8)")
    return doc


# ---------------------------------------------------------------------------------------------
# Tables in plain text

def width(text: str) -> int:
    """Display width: Hangul and other wide characters take two columns in a fixed-width layout."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _positions(line: str) -> list[tuple[int, str]]:
    """(display column, character) for every character of a line."""
    out = []
    col = 0
    for ch in line:
        out.append((col, ch))
        col += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return out


_BARS = set("│┃║|")
_BOX = set("─━═┄┅┈┉┼╋╬┬┳╦┴┻╩├┣╠┤┫╣┌┏╔┐┓╗└┗╚┘┛╝│┃║╂┿╀╁╇╈╉╊┠┨┯┷┝┥")
_RULE_ONLY = _BOX | set("-=+:| ")


def _is_box_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and (s[0] in _BOX or (s[0] == "|" and s.count("|") >= 2))


def _is_rule(line: str) -> bool:
    s = line.strip()
    return bool(s) and all(ch in _RULE_ONLY for ch in s) and any(ch not in _BARS and ch != " " for ch in s)


@dataclass
class _Converted:
    start: int  # 1-based, in the original lines
    end: int
    rows: list[list[str]]
    how: str


def convert_tables(lines: list[str], fmt: str) -> Document:
    """Lines with their box-drawn and space-aligned tables as tab rows."""
    found = _box_tables(lines)
    taken = {n for t in found for n in range(t.start, t.end + 1)}
    found += _aligned_tables(lines, taken)
    found.sort(key=lambda t: t.start)
    out: list[str] = []
    origins: list[TableOrigin] = []
    n = 1
    for table in found:
        out += lines[n - 1:table.start - 1]
        if out and "\t" in out[-1]:
            out.append("")
        first = len(out) + 1
        width_ = max(len(r) for r in table.rows)
        out += ["\t".join((r + [""] * width_)[:width_]) for r in table.rows]
        origins.append(TableOrigin(first, len(out), f"{table.how}, lines {table.start}-{table.end} of the file"))
        n = table.end + 1
    out += lines[n - 1:]
    return Document(out, fmt, origins=origins)


def _box_tables(lines: list[str]) -> list[_Converted]:
    tables: list[_Converted] = []
    n = 0
    while n < len(lines):
        if not _is_box_line(lines[n]):
            n += 1
            continue
        start = n
        while n < len(lines) and _is_box_line(lines[n]):
            n += 1
        block = lines[start:n]
        content = [i for i, line in enumerate(block) if not _is_rule(line) and any(ch in _BARS for ch in line)]
        if len(content) >= 2:
            rows = _box_rows(block, content)
            if rows and max(len(r) for r in rows) >= 2:
                tables.append(_Converted(start + 1, n, rows, "table drawn with box characters"))
    return tables


def _box_rows(block: list[str], content: list[int]) -> list[list[str]]:
    cells_by_line: dict[int, list[tuple[int, int, str]]] = {}
    bounds: set[int] = set()
    for i in content:
        bars = [(col, ch) for col, ch in _positions(block[i]) if ch in _BARS]
        cols = [c for c, _ in bars]
        bounds.update(cols)
        chars = _positions(block[i])
        cells = []
        for left, right in itertools.pairwise(cols):
            text = "".join(ch for col, ch in chars if left < col < right)
            cells.append((left, right, text.strip()))
        cells_by_line[i] = cells
    edges = sorted(bounds)
    index = {c: k for k, c in enumerate(edges)}
    ncols = len(edges) - 1
    groups: list[list[int]] = [[]]
    for i in range(len(block)):
        if i in cells_by_line:
            groups[-1].append(i)
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    # Rules under every row: a row may wrap over several lines. Only under the header: one line a row.
    per_group = len(groups) >= 3
    units = groups if per_group else [[i] for g in groups for i in g]
    rows: list[list[str]] = []
    for unit in units:
        row = [""] * ncols
        for i in unit:
            for left, _right, text in cells_by_line[i]:
                k = index[left]
                if text and k < ncols:
                    row[k] = f"{row[k]} {text}".strip()
        rows.append([clean_cell(c) for c in row])
    return [r for r in rows if any(r)]


_NUMERIC = re.compile(r"^[△▲−\-(]?\s*\d[\d,]*(?:\.\d+)?\)?%?$|^[-–—]$")
_NOT_TABLE_START = re.compile(r"^\s*(?:[□■○●◦•▶▷※*◎◆◇ㅇ]|-\s|\(\s*단위|[IVXⅠ-Ⅹ]+\s*\.|\d+\.\s)")


def _tokens(line: str) -> list[tuple[int, int, str]]:
    """Runs of text separated by two spaces or more: (start, end) display columns, text."""
    out: list[tuple[int, int, str]] = []
    chars = _positions(line.rstrip())
    current: list[tuple[int, str]] = []
    spaces = 0
    for col, ch in chars:
        if ch == " ":
            spaces += 1
            if spaces >= 2 and current:
                out.append(_token(current))
                current = []
            elif current:
                current.append((col, ch))
            continue
        if spaces == 1 and current and current[-1][1] != " ":
            current.append((col - 1, " "))
        spaces = 0
        current.append((col, ch))
    if current:
        out.append(_token(current))
    return _join_spaced_letters(out)


_SYLLABLE = re.compile(r"^[가-힣]$")


def _join_spaced_letters(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A word printed letter by letter with wide spaces ("구    분", "합    계", "집    행") is one
    token: consecutive single Hangul syllables are joined."""
    out: list[tuple[int, int, str]] = []
    gaps: list[int | None] = []  # the spacing of each joined word (None: a single letter so far)
    for token in tokens:
        if out and _SYLLABLE.match(token[2]) and re.fullmatch(r"[가-힣]( [가-힣])*", out[-1][2]):
            gap = token[0] - out[-1][1]
            # Letter spacing is even: "구    분" then "  계" is two words, 구 분 and 계.
            if gaps[-1] is None or gaps[-1] == gap:
                start, _, text = out[-1]
                out[-1] = (start, token[1], f"{text} {token[2]}")
                gaps[-1] = gap
                continue
        out.append(token)
        gaps.append(None if _SYLLABLE.match(token[2]) else -1)
    return out


def _token(chars: list[tuple[int, str]]) -> tuple[int, int, str]:
    while chars and chars[-1][1] == " ":
        chars = chars[:-1]
    last_col, last = chars[-1]
    return chars[0][0], last_col + width(last), "".join(ch for _, ch in chars)


def _numbers(line: str) -> int:
    return sum(1 for _, _, t in _tokens(line) if _NUMERIC.match(t))


def _aligned_candidate(line: str) -> bool:
    if not line.strip() or "\t" in line or _is_box_line(line):
        return False
    return len(_tokens(line)) >= 2 and not _NOT_TABLE_START.match(line)


def _aligned_tables(lines: list[str], taken: set[int]) -> list[_Converted]:
    tables: list[_Converted] = []
    n = 0
    while n < len(lines):
        if (n + 1) in taken or not _aligned_candidate(lines[n]):
            n += 1
            continue
        start = n
        while n < len(lines) and (n + 1) not in taken and _aligned_candidate(lines[n]):
            n += 1
        block = lines[start:n]
        data = [i for i, line in enumerate(block) if _numbers(line) >= 2]
        if len(block) >= 3 and len(data) >= 2:
            rows = _aligned_rows(block, data)
            if rows:
                tables.append(_Converted(start + 1, n, rows, "table aligned with spaces"))
    return tables


def _aligned_rows(block: list[str], data: list[int]) -> list[list[str]] | None:
    """Columns are where the figure rows have text; two spaces or more, in every figure row, part them."""
    occupied: set[int] = set()
    for i in data:
        for start, end, _ in _tokens(block[i]):
            occupied.update(range(start, end))
    if not occupied:
        return None
    positions = sorted(occupied)
    columns: list[tuple[int, int]] = []
    col_start = prev = positions[0]
    for pos in positions[1:]:
        if pos - prev - 1 >= 2:  # two blank columns or more in every figure row
            columns.append((col_start, prev + 1))
            col_start = pos
        prev = pos
    columns.append((col_start, prev + 1))
    if len(columns) < 2:
        return None

    def overlapping(start: int, end: int) -> list[int]:
        return [k for k, (a, b) in enumerate(columns) if start < b and end > a]

    first_data = data[0]
    grid: list[list[str]] = []
    spans: list[list[tuple[int, int]]] = []  # per header row: (first, last) column of each text
    for i, line in enumerate(block):
        row = [""] * len(columns)
        row_spans: list[tuple[int, int]] = []
        for start, end, text in _tokens(line):
            over = overlapping(start, end)
            if not over:
                # Text in a gutter (a header printed between two columns): the nearest column.
                mid = (start + end) / 2
                over = [min(range(len(columns)), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - mid))]
            k = over[0]
            row[k] = f"{row[k]} {text}".strip()
            row_spans.append((over[0], over[-1]))
        grid.append(row)
        spans.append(row_spans if i < first_data else [])
    # A header printed centred over the columns it groups starts, in the grid, at the first of them:
    # the columns to its left that are blank in its row but named in the row below belong to it.
    for i in range(min(first_data, len(grid)) - 1):
        below = grid[i + 1]
        for first, _last in spans[i]:
            k = first
            while k - 1 >= 0 and not grid[i][k - 1] and below[k - 1] and not _owned(spans[i], k - 1):
                k -= 1
            if k != first:
                grid[i][k], grid[i][first] = grid[i][first], ""
    return [[clean_cell(c) for c in row] for row in grid]


def _owned(spans: list[tuple[int, int]], column: int) -> bool:
    return any(a <= column <= b for a, b in spans)
