"""PDF with a text layer, through pdfplumber: ruled tables are found by their lines (merged cells
included); the text around them is rebuilt line by line from the characters' positions, so a table
printed without rules (columns kept apart by space only) is found as an aligned table. A PDF without
a text layer (a scan) gets a clear message: the importer does no OCR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .document import Document, DocumentBuilder, ReadError
from .text import convert_tables, width

_LINE_TOLERANCE = 3.0  # points: words whose tops differ by less are on one line


def read_pdf(path: Path) -> Document:
    import pdfplumber
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for a damaged or encrypted file
        raise ReadError(f"{path}: the PDF cannot be opened ({type(exc).__name__}: {exc}); if it has a "
                        "password, save a copy without one") from None
    builder = DocumentBuilder("pdf")
    chars = images = 0
    with pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars += len(page.chars)
            images += len(page.images)
            _page(page, number, builder)
    if chars == 0:
        if images:
            raise ReadError(f"{path}: a scanned PDF: its {len(pdf.pages)} page(s) are pictures with no text layer, "
                            "so there is nothing to read. Ask for the HWPX, XLSX or a PDF saved from the "
                            "document itself, or run OCR first (e.g. `ocrmypdf --language kor in.pdf out.pdf`) "
                            "and check its figures")
        raise ReadError(f"{path}: the PDF has no text")
    doc = builder.finish()
    doc.notes.append("PDF: ruled tables read by their lines, other text by the characters' positions")
    return doc


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page(page: Any, number: int, builder: DocumentBuilder) -> None:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    words = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) \
        .extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    items: list[tuple[float, int, Any]] = [(t.bbox[1], 1, t) for t in tables]
    items += [(top, 0, line) for top, line in _text_lines(words)]
    items.sort(key=lambda item: (item[0], item[1]))
    pending: list[str] = []
    for _, kind, payload in items:
        if kind == 0:
            pending.append(payload)
            continue
        _flush(pending, builder, number)
        pending = []
        rows = [[cell or "" for cell in row] for row in payload.extract()]
        builder.table(rows, f"PDF page {number}, ruled table")
    _flush(pending, builder, number)


def _text_lines(words: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Words grouped into lines and laid out on a grid of half an em, so that Hangul takes two
    columns and digits one, as in a fixed-width text: columns printed apart stay apart."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    if not lines:
        return []
    left = min(w["x0"] for line in lines for w in line)
    sizes = sorted(float(w.get("size") or 10.0) for line in lines for w in line)
    unit = max(sizes[len(sizes) // 2], 1.0) / 2  # half the usual font size
    out: list[tuple[float, str]] = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        text = ""
        previous_end = None
        for word in line:
            column = round((word["x0"] - left) / unit)
            if text:
                gap = word["x0"] - previous_end
                # A word space stays one space; a wider gap keeps the word at its column.
                column = max(column, width(text) + (1 if gap < unit * 2 else 2))
                if gap < unit * 2:
                    column = width(text) + 1
            text += " " * (column - width(text)) + word["text"]
            previous_end = word["x1"]
        out.append((line[0]["top"], text))
    return out


def _flush(lines: list[str], builder: DocumentBuilder, number: int) -> None:
    if not lines:
        return
    converted = convert_tables(lines, "pdf")
    tables = {o.start: o for o in converted.origins}
    n = 1
    while n <= len(converted.lines):
        origin = tables.get(n)
        if origin is None:
            builder.paragraph(converted.lines[n - 1])
            n += 1
            continue
        rows = [line.split("\t") for line in converted.lines[origin.start - 1:origin.end]]
        builder.table(rows, f"PDF page {number}, table without rules (by position)")
        n = origin.end + 1
