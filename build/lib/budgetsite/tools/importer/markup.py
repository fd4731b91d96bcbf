"""Report text → Markdown: HTML stripped, □/○/-/▶/※ bullets turned into nested Markdown lists.

The extractions carry two kinds of text. Prose lines carry one bullet each, and their depth shows
in the bullet character and the leading spaces (`- a` / ` - b`). Table cells carry a whole outline
on one line, as HTML fragments whose `<ul>` tags are never closed, so depth cannot come from the
tags: it comes from the bullet characters (○ above - above ▶), as in the printed report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

BlockKind = Literal["para", "item", "note", "box", "table"]


@dataclass(frozen=True)
class Block:
    """One paragraph, bullet item, ※ note, □ sub-heading or table of a text."""

    kind: BlockKind
    text: str
    rank: int = 0  # for items: the printed bullet's place in the outline (smaller = outer)


# Printed bullets, outer to inner. ○ and • are the first level of an outline, - the second,
# ▶ the third. The numbers only order them; levels are assigned per text (see to_markdown).
_BULLET_RANK = {"○": 10, "●": 10, "•": 10, "◦": 15, "◎": 10, "-": 20, "–": 20, "·": 25, "▶": 30, "▷": 30,
                "►": 30, "➢": 30}
_NOTE_MARKS = ("※", "*")
_BOX_MARKS = ("□", "■")

# A bullet inside a one-line cell: at the start or after a space. "-" only when a space follows
# (so 시-구, 1~2월 and dates stay intact); ○ not when doubled (○○시장 is a placeholder name).
_INLINE_MARK = re.compile(r"(?:(?<=\s)|^)(?:(?<!○)○(?!○)|[●•▶▷►➢※□■]|[-–](?=\s))")
_INLINE_MARK_DOT = re.compile(_INLINE_MARK.pattern + r"|(?:(?<=\s)|^)·(?=\s)")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*?/?>")
_BREAK_TAGS = {"p", "br", "li", "ul", "ol", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_CHECKBOX = re.compile(r"<input\b[^<>]*type=\"checkbox\"[^<>]*/?>", re.I)
_SUP = re.compile(r"<sup>\s*([0-9])\s*</sup>", re.I)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_TABLE_TOKEN = "\x00TABLE{}\x00"
_TABLE_TOKEN_RE = re.compile("\x00TABLE(\\d+)\x00")


def has_html(text: str) -> bool:
    return bool(_TAG.search(text))


def strip_html(text: str) -> str:
    """Plain text of a cell: tags removed, entities decoded, whitespace collapsed."""
    text = _CHECKBOX.sub("□", text)
    text = _SUP.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).split())


def cell_blocks(cell: str) -> list[Block]:
    """The outline held in one table cell (HTML fragments and inline bullets)."""
    tables: list[str] = []

    def keep_table(m: re.Match[str]) -> str:
        tables.append(html_table_to_markdown(m.group(0)))
        return f" <br> {_TABLE_TOKEN.format(len(tables) - 1)} <br> "

    text = _TABLE.sub(keep_table, cell)
    text = _CHECKBOX.sub("□", text)
    text = _SUP.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    text = _TAG.sub(lambda m: "\n" if m.group(1).lower() in _BREAK_TAGS else " ", text)
    blocks: list[Block] = []
    for segment in html.unescape(text).split("\n"):
        # re.split with a group: odd positions are the captured table numbers.
        for i, piece in enumerate(_TABLE_TOKEN_RE.split(segment)):
            if i % 2:
                blocks.append(Block("table", tables[int(piece)]))
            else:
                blocks.extend(_inline_blocks(piece))
    return blocks


def _inline_blocks(segment: str, indent: int = 0) -> list[Block]:
    segment = " ".join(segment.split())
    if not segment:
        return []
    pattern = _INLINE_MARK
    if segment.startswith("·"):
        # A segment that opens with · is a · list: " · " then separates its items. Elsewhere
        # " · " joins words ("소상공인 · 전통시장") and is left alone.
        pattern = _INLINE_MARK_DOT
    starts = [m.start() for m in pattern.finditer(segment)]
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    pieces = [segment[a:b].strip() for a, b in zip(starts, [*starts[1:], len(segment)], strict=True)]
    return [block for piece in pieces if piece for block in [_block(piece, indent)] if block]


def _block(piece: str, indent: int) -> Block | None:
    mark = piece[0]
    if mark in _BOX_MARKS:
        return Block("box", piece)
    if mark in _NOTE_MARKS:
        return Block("note", piece)
    if mark in _BULLET_RANK:
        text = piece[1:].strip()
        if not text:
            return None
        return Block("item", text, _BULLET_RANK[mark] + indent)
    return Block("para", piece)


def prose_blocks(lines: list[str]) -> list[Block]:
    """The outline of consecutive report lines. A line's leading spaces deepen its bullet, and
    lines of one paragraph (no blank line between) are joined."""
    blocks: list[Block] = []
    table: list[str] = []
    previous_blank = True
    for raw in [*lines, ""]:
        if "\t" in raw:
            table.append(raw)
            continue
        if table:
            blocks.append(Block("table", tab_rows_to_markdown(table)))
            table = []
        line = re.sub(r"^#+\s+", "", raw.rstrip())
        if not line.strip() or set(line.strip()) <= {"-", ".", "—"}:
            previous_blank = True
            continue
        if has_html(line):
            new = cell_blocks(line)
        else:
            indent = len(line) - len(line.lstrip(" "))
            new = _inline_line(line.strip(), indent)
        if (new and new[0].kind == "para" and blocks and blocks[-1].kind == "para"
                and not previous_blank):
            blocks[-1] = Block("para", blocks[-1].text + "\n" + new[0].text)
            new = new[1:]
        blocks.extend(new)
        previous_blank = False
    return blocks


def _inline_line(line: str, indent: int) -> list[Block]:
    # A prose line holds one bullet; only its first character is a marker. Inner "- " stays text.
    block = _block(line, indent)
    if block and block.kind == "item" and line[0] == "-" and not line[1:2].isspace():
        block = Block("para", line)  # "-5%" or "--" is not a bullet
    elif block and block.kind == "item" and line[0] == "-" and block.text[:1] in "▶▷※○·":
        # The extraction put "- " before every bullet; "- ▶ x" is a ▶ bullet, "- ※ x" a note.
        block = _block(block.text, indent)
    return [block] if block else []


def to_markdown(blocks: list[Block]) -> str:
    """Markdown for an outline. A bullet nests under the nearest bullet above it of a smaller rank
    (○ above -, "- " above " - "), so every list starts at the margin whatever bullet it opens with."""
    open_ranks: list[int] = []
    out: list[str] = []
    previous: Block | None = None
    level = -1
    for block in blocks:
        if block.kind == "item":
            while open_ranks and open_ranks[-1] >= block.rank:
                open_ranks.pop()
            level = len(open_ranks)
            open_ranks.append(block.rank)
            line = "  " * level + "- " + _escape(block.text)
        elif block.kind == "note" and previous is not None and previous.kind in ("item", "note") and level >= 0:
            # A ※ note belongs to the bullet above it: indent it into that list item.
            line = "  " * (level + 1) + block.text
        else:
            line = _escape(block.text) if block.kind != "table" else block.text
            level = -1
            open_ranks = []  # a paragraph or table ends the list
        if previous is not None and _needs_blank(previous, block):
            out.append("")
        out.append(line)
        previous = block
    return "\n".join(out).strip("\n")


def _needs_blank(previous: Block, block: Block) -> bool:
    listy = ("item", "note")
    if previous.kind in listy and block.kind in listy:
        return False
    return True


def _escape(text: str) -> str:
    # Keep printed text, but stop Markdown from reading it as a heading, quote or numbered list.
    if re.match(r"^(#|>|\+ |\d+[.)]\s)", text):
        return "\\" + text
    return text


def cell_markdown(cell: str) -> str:
    return to_markdown(cell_blocks(cell))


def tab_rows_to_markdown(rows: list[str]) -> str:
    """A tab table printed inside a narrative, as a Markdown table (first row = header)."""
    grid = [[_table_cell(c) for c in row.split("\t")] for row in rows]
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    return _grid_markdown(grid)


def _table_cell(text: str) -> str:
    return strip_html(text).replace("|", "\\|")


def _grid_markdown(grid: list[list[str]]) -> str:
    # Trailing columns that are empty everywhere are layout, not data.
    while grid and len(grid[0]) > 1 and all(not row[-1] for row in grid):
        grid = [row[:-1] for row in grid]
    if not grid:
        return ""
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * len(grid[0])]
    lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
    return "\n".join(lines)


class _TableGrid(HTMLParser):
    """An HTML table as a grid, with colspan and rowspan cells repeated as empty cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, int, int]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            a = dict(attrs)
            self._cell = []
            self._span = (_int(a.get("rowspan")), _int(a.get("colspan")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            text = " ".join("".join(self._cell).split()).replace("|", "\\|")
            self.rows[-1].append((text, *self._span))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def grid(self) -> list[list[str]]:
        taken: dict[tuple[int, int], str] = {}
        for r, row in enumerate(self.rows):
            c = 0
            for text, rowspan, colspan in row:
                while (r, c) in taken:
                    c += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else ""
                c += colspan
        if not taken:
            return []
        height = max(r for r, _ in taken) + 1
        width = max(c for _, c in taken) + 1
        return [[taken.get((r, c), "") for c in range(width)] for r in range(height)]


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1


def html_table_to_markdown(fragment: str) -> str:
    parser = _TableGrid()
    parser.feed(fragment)
    return _grid_markdown(parser.grid())


# Justified table labels are printed with a space between syllables ("경 제 정 책 과", "총 계").
_HANGUL_TOKEN = re.compile(r"^[가-힣]{1,2}$")


def collapse_spacing(label: str) -> str:
    """"경 제 정 책 과" → "경제정책과", "일 반 직 (정원 / 현원)" → "일반직 (정원 / 현원)";
    "사업 예산" and "노동자 복지 증진" stay. For table labels and headers only, where the spaces
    are justification, not words."""
    tokens = label.split()
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        singles = sum(len(t) == 1 for t in run)
        if len(run) >= 2 and singles >= 2 and singles * 2 > len(run):
            out.append("".join(run))
        else:
            out.extend(run)
        run.clear()

    for token in tokens:
        if _HANGUL_TOKEN.match(token):
            run.append(token)
        else:
            flush()
            out.append(token)
    flush()
    return " ".join(out)


def spaceless(text: str) -> str:
    return re.sub(r"\s+", "", text)
