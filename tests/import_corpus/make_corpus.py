#!/usr/bin/env python3
"""Write the import corpus's documents from their specs: every spec in specs/ becomes

    docs/<name>.txt    plain text, its tables as the spec's `text_style` says (tab, box, aligned)
    docs/<name>.hwpx   한글 HWPX, written by python-hwpx (an implementation the importer does not share)
    docs/<name>.pdf    PDF with a text layer and ruled tables, drawn with fpdf2 and a Korean TTF
    docs/<name>.xlsx / .csv   when the spec asks for them (지방재정365-style downloads)

plus docs/scanned.pdf (an image of a page, no text layer) and the CP949 copies a spec asks for.

A spec is a list of blocks: `p` (a printed line) or `table` (rows of cells; a cell is a string or
{t: text, cs: colspan, rs: rowspan}; cells covered by a merge are left out, as in HTML). The
expected records (expected/<name>.yaml) are written by hand from the same printed tables.

    python tests/import_corpus/make_corpus.py         # needs the test extra (python-hwpx, fpdf2, openpyxl)
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SPECS = HERE / "specs"
DOCS = HERE / "docs"
REPO = HERE.parents[1]
FONTS = [Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
         REPO / "budgetsite" / "themes" / "default" / "fonts" / "NanumSquareR.ttf"]
SYMBOL_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FIXED_DATE = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


@dataclass
class Cell:
    text: str
    row: int
    col: int
    cs: int = 1
    rs: int = 1


def place(rows: list[list[Any]]) -> tuple[list[Cell], int, int]:
    """Cells of an HTML-like row list at their grid positions."""
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for raw in row:
            while (r, c) in taken:
                c += 1
            cell = Cell(str(raw), r, c) if not isinstance(raw, dict) else \
                Cell(str(raw.get("t", "")), r, c, int(raw.get("cs", 1)), int(raw.get("rs", 1)))
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    taken.add((r + dr, c + dc))
            cells.append(cell)
            c += cell.cs
            width = max(width, c)
    width = max([width, *(c + 1 for _, c in taken)])
    return cells, len(rows), width


def grid_of(cells: list[Cell], height: int, width: int) -> list[list[str]]:
    grid = [[""] * width for _ in range(height)]
    for cell in cells:
        grid[cell.row][cell.col] = cell.text
    return grid


# ---------------------------------------------------------------------------------------------
# Plain text

def dwidth(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, align: str) -> str:
    gap = width - dwidth(text)
    if align == "r":
        return " " * gap + text
    if align == "c":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


NUMERIC = re.compile(r"^[△▲−\-(]?\s*[\d,.]+\)?%?$|^-$")


def align_of(text: str) -> str:
    return "r" if NUMERIC.match(text.strip()) else "l"


def column_widths(cells: list[Cell], width: int, sep: int) -> list[int]:
    widths = [2] * width
    for cell in sorted(cells, key=lambda c: c.cs):
        need = dwidth(cell.text)
        have = sum(widths[cell.col:cell.col + cell.cs]) + sep * (cell.cs - 1)
        if need > have:
            widths[cell.col + cell.cs - 1] += need - have
    return widths


def text_tab(rows: list[list[Any]]) -> list[str]:
    cells, height, width = place(rows)
    return ["\t".join(row) for row in grid_of(cells, height, width)]


def text_aligned(rows: list[list[Any]]) -> list[str]:
    """Columns padded with spaces (two at least between them), numbers flush right."""
    cells, height, width = place(rows)
    widths = column_widths(cells, width, 2)
    out = []
    for r in range(height):
        line = ""
        c = 0
        starts = {cell.col: cell for cell in cells if cell.row == r}
        while c < width:
            cell = starts.get(c)
            if cell is None:
                line += " " * (widths[c] + 2)
                c += 1
                continue
            span = sum(widths[c:c + cell.cs]) + 2 * (cell.cs - 1)
            line += pad(cell.text, span, "c" if cell.cs > 1 else align_of(cell.text)) + "  "
            c += cell.cs
        out.append("  " + line.rstrip())
    return out


BOX = {"heavy": dict(h="━", v="┃", tl="┏", tr="┓", bl="┗", br="┛", t="┳", b="┻", l="┣", r="┫", x="╋"),
       "light": dict(h="─", v="│", tl="┌", tr="┐", bl="└", br="┘", t="┬", b="┴", l="├", r="┤", x="┼")}


def text_box(rows: list[list[Any]], style: str = "light", header_rows: int = 1, rules: str = "header") -> list[str]:
    """A table drawn with box characters: a border around, a rule under the header (and, with
    rules=all, under every row), a rowspan's cell blank below its first line."""
    k = BOX[style]
    cells, height, width = place(rows)
    widths = [w + 2 for w in column_widths(cells, width, 3)]
    owner: dict[tuple[int, int], Cell] = {}
    for cell in cells:
        for dr in range(cell.rs):
            for dc in range(cell.cs):
                owner[(cell.row + dr, cell.col + dc)] = cell

    def continues(above: int | None, c: int) -> bool:
        """Inside a rowspan that goes on below, no rule is drawn in that column."""
        return above is not None and owner.get((above, c)) is owner.get((above + 1, c)) is not None

    def rule(left: str, mid: str, right: str, above: int | None) -> str:
        line = k["v"] if continues(above, 0) else left
        for c in range(width):
            cont = continues(above, c)
            line += (" " if cont else k["h"]) * widths[c]
            if c < width - 1:
                if cont and continues(above, c + 1):
                    line += k["v"]
                else:
                    line += mid
        return line + (k["v"] if continues(above, width - 1) else right)

    out = [rule(k["tl"], k["t"], k["tr"], None)]
    for r in range(height):
        line = k["v"]
        c = 0
        while c < width:
            cell = owner[(r, c)]
            span = sum(widths[c:c + cell.cs]) + (cell.cs - 1)
            text = cell.text if cell.row == r else ""
            align = "c" if (r < header_rows or cell.cs > 1) else align_of(text)
            line += " " + pad(text, span - 2, align) + " " + k["v"]
            c += cell.cs
        out.append(line)
        if r == height - 1:
            break
        if rules == "all" or r == header_rows - 1:
            out.append(rule(k["l"], k["x"], k["r"], r))
    out.append(rule(k["bl"], k["b"], k["br"], None))
    return out


def render_text(spec: dict[str, Any]) -> str:
    lines: list[str] = []
    style = spec.get("text_style", "tab")
    for block in spec["blocks"]:
        if "p" in block:
            lines.append(block["p"])
        elif "table" in block:
            table = block["table"]
            rows = table["rows"]
            if style == "tab":
                lines += text_tab(rows)
            elif style == "aligned":
                lines += text_aligned(rows)
            else:
                lines += text_box(rows, table.get("box", "light"), table.get("header_rows", 1),
                                  table.get("rules", "header"))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# HWPX (python-hwpx)

def render_hwpx(spec: dict[str, Any], path: Path) -> None:
    from hwpx.document import HwpxDocument
    doc = HwpxDocument.new()
    for block in spec["blocks"]:
        if "p" in block:
            doc.add_paragraph(block["p"])
        elif "table" in block:
            cells, height, width = place(block["table"]["rows"])
            table = doc.add_table(height, width)
            for cell in cells:
                if cell.cs > 1 or cell.rs > 1:
                    table.merge_cells(cell.row, cell.col, cell.row + cell.rs - 1, cell.col + cell.cs - 1)
            for cell in cells:
                if cell.text:
                    table.set_cell_text(cell.row, cell.col, cell.text)
    doc.save_to_path(str(path))
    _fix_zip_dates(path)


def _fix_zip_dates(path: Path) -> None:
    """The same spec gives the same bytes: the zip entries' dates are fixed (order and compression kept)."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, data)


# ---------------------------------------------------------------------------------------------
# PDF (fpdf2): text lines and ruled tables

def _pdf(landscape: bool) -> Any:
    from fpdf import FPDF
    pdf = FPDF(orientation="L" if landscape else "P", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    fonts = [f for f in FONTS if f.exists()]
    pdf.add_font("main", "", str(fonts[0]))
    # Neither Nanum font has U+2212 (−): without a font that has it, fpdf2 drops the glyph and the
    # PDF would print 790 where the document prints −790.
    fallbacks = [f for f in [*fonts[1:], SYMBOL_FONT] if f.exists()]
    for i, font in enumerate(fallbacks):
        pdf.add_font(f"fallback{i}", "", str(font))
    if fallbacks:
        pdf.set_fallback_fonts([f"fallback{i}" for i in range(len(fallbacks))])
    pdf.set_auto_page_break(False)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    return pdf


def render_pdf(spec: dict[str, Any], path: Path) -> None:
    pdf = _pdf(bool(spec.get("landscape")))
    bottom = pdf.h - 15
    usable = pdf.w - 30
    for block in spec["blocks"]:
        if "p" in block:
            pdf.set_font("main", size=10)
            if pdf.get_y() + 7 > bottom:
                pdf.add_page()
            text = block["p"]
            if text.strip():
                pdf.set_x(15)
                pdf.cell(usable, 6, text, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(4)
            continue
        cells, height, width = place(block["table"]["rows"])
        size = 9.0
        pdf.set_font("main", size=size)
        natural = [6.0] * width
        for cell in cells:
            if cell.cs == 1:
                natural[cell.col] = max(natural[cell.col], pdf.get_string_width(cell.text) + 3)
        while sum(natural) > usable and size > 5:
            size -= 0.5
            pdf.set_font("main", size=size)
            natural = [6.0] * width
            for cell in cells:
                if cell.cs == 1:
                    natural[cell.col] = max(natural[cell.col], pdf.get_string_width(cell.text) + 3)
        scale = min(1.0, usable / sum(natural)) if sum(natural) else 1.0
        widths = [w * scale for w in natural]
        row_h = 6.5
        x0, y0 = 15.0, pdf.get_y() + 1
        if y0 + row_h * height > bottom:
            pdf.add_page()
            y0 = pdf.get_y()
        header_rows = block["table"].get("header_rows", 1)
        for cell in cells:
            x = x0 + sum(widths[:cell.col])
            y = y0 + row_h * cell.row
            w = sum(widths[cell.col:cell.col + cell.cs])
            h = row_h * cell.rs
            pdf.rect(x, y, w, h)
            align = "C" if cell.row < header_rows or cell.cs > 1 else ("R" if align_of(cell.text) == "r" else "L")
            pdf.set_xy(x + 0.8, y)
            pdf.cell(w - 1.6, h, cell.text, align=align)
        pdf.set_xy(15, y0 + row_h * height + 2)
    pdf.output(str(path))


def render_scanned(spec: dict[str, Any], path: Path) -> None:
    """One page as a picture only (what a scanner gives): no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(str(next(f for f in FONTS if f.exists())), 22)
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    y = 80
    for line in render_text(spec).splitlines()[:40]:
        draw.text((80, y), line, fill=0, font=font)
        y += 34
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = _pdf(False)
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.output(str(path))


# ---------------------------------------------------------------------------------------------
# Spreadsheets (지방재정365-style downloads)

def _number(text: str) -> int | float | None:
    t = text.strip()
    m = re.fullmatch(r"(△|▲|-|−)?\s*([\d,]+(?:\.\d+)?)", t)
    if not m:
        return None
    digits = m[2].replace(",", "")
    value: int | float = float(digits) if "." in digits else int(digits)
    return -value if m[1] else value


def render_xlsx(spec: dict[str, Any], path: Path) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = spec.get("sheet", "Sheet1")
    r = 1
    for block in spec["blocks"]:
        if "p" in block:
            if block["p"].strip():
                ws.cell(r, 1, block["p"])
            r += 1
            continue
        cells, height, _ = place(block["table"]["rows"])
        header_rows = block["table"].get("header_rows", 1)
        for cell in cells:
            target = ws.cell(r + cell.row, 1 + cell.col)
            value = _number(cell.text) if cell.row >= header_rows else None
            if value is not None:
                target.value = value
                negative_mark = "△" if "△" in cell.text else "-"
                places = len(cell.text.split(".")[1]) if "." in cell.text else 0
                shown = "#,##0" + ("." + "0" * places if places else "")
                target.number_format = shown + (f";{negative_mark}{shown}" if negative_mark == "△" else "")
            elif cell.text:
                target.value = cell.text
            if cell.cs > 1 or cell.rs > 1:
                ws.merge_cells(start_row=r + cell.row, start_column=1 + cell.col,
                               end_row=r + cell.row + cell.rs - 1, end_column=cell.col + cell.cs)
        r += height
    wb.properties.created = FIXED_DATE.replace(tzinfo=None)
    wb.properties.modified = FIXED_DATE.replace(tzinfo=None)
    wb.save(str(path))


def render_csv(spec: dict[str, Any], path: Path, encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for block in spec["blocks"]:
        if "p" in block:
            writer.writerow([block["p"]] if block["p"].strip() else [])
            continue
        cells, height, width = place(block["table"]["rows"])
        for row in grid_of(cells, height, width):
            writer.writerow(row)
    path.write_bytes(buffer.getvalue().encode(encoding))


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    for spec_path in sorted(SPECS.glob("*.yaml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        name = spec_path.stem
        text = render_text(spec)
        (DOCS / f"{name}.txt").write_text(text, encoding="utf-8")
        for encoding in spec.get("text_copies", []):
            (DOCS / f"{name}.{encoding}.txt").write_bytes(text.encode(encoding))
        render_hwpx(spec, DOCS / f"{name}.hwpx")
        render_pdf(spec, DOCS / f"{name}.pdf")
        if spec.get("xlsx"):
            render_xlsx(spec, DOCS / f"{name}.xlsx")
        if spec.get("csv"):
            render_csv(spec, DOCS / f"{name}.csv", spec["csv"])
        if spec.get("scanned"):
            render_scanned(spec, DOCS / "scanned.pdf")
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
