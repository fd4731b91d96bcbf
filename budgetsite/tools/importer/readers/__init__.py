"""The formats editors receive, read into one text: a report's lines, each table row on one line
with its cells split by tabs (the layout the bundled reports' extractions already have).

    document = read_document(Path("2024 예산서.hwpx"))

That text is what gets stored under `reports/`, so every draft's `source.lines` can be opened on the
site. Plain text (UTF-8 or CP949/EUC-KR) keeps its lines; its tables drawn with box characters or
aligned with spaces become tab rows. HWPX tables come from the OWPML XML, PDF tables from their
ruled lines (pdfplumber), XLSX/CSV rows from the sheet. What the reader had to assume is in
`Document.notes`; what it cannot read raises ReadError with a message that says what to do.
"""

from __future__ import annotations

from pathlib import Path

from .document import Document, DocumentBuilder, ReadError, TableOrigin

__all__ = ["Document", "DocumentBuilder", "ReadError", "TableOrigin", "read_document"]

_MAX_BYTES = 200 * 1024 * 1024  # no budget document is this large; a bigger file is refused, not read


def read_document(path: Path) -> Document:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror})") from None
    if size > _MAX_BYTES:
        raise ReadError(f"{path}: {size // (1024 * 1024)} MB is larger than any report this reads (200 MB)")
    with path.open("rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if suffix == ".xls":
            raise ReadError(f"{path}: an Excel 97-2003 workbook (.xls); open it and save it as .xlsx, then import that")
        raise ReadError(f"{path}: a 한글 HWP 5 (or other OLE) file, which this does not read; in 한글 save it as "
                        "HWPX (파일 → 다른 이름으로 저장하기 → 파일 형식 HWPX) or as PDF, then import that")
    if head.startswith(b"%PDF"):
        from .pdf import read_pdf
        return read_pdf(path)
    if head.startswith(b"PK"):
        if suffix in (".xlsx", ".xlsm"):
            from .sheet import read_xlsx
            return read_xlsx(path)
        from .hwpx import is_hwpx, read_hwpx
        if suffix == ".hwpx" or is_hwpx(path):
            return read_hwpx(path)
        raise ReadError(f"{path}: a zip file that is neither HWPX nor XLSX; import the report as HWPX, PDF, "
                        "XLSX, CSV or text")
    from .text import read_csv, read_text
    if suffix in (".csv", ".tsv"):
        return read_csv(path)
    return read_text(path)
