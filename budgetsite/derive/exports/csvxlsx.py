"""Writers: CSV (UTF-8 with BOM, so Excel reads the Korean), XLSX, JSON, and the ZIP archive.

Every writer is deterministic: the same tables give the same bytes on every build and machine.
The XLSX is written by XlsxWriter (four times faster than openpyxl at 40,000 rows, which mattered:
openpyxl was the slowest part of a 55,000-record build) with every cell typed by us, never guessed,
so text that starts with "=" stays text. The workbook carries the dataset's date as its creation
and modification time, and XlsxWriter dates every entry of its ZIP 1980-01-01, so the bytes never
depend on the time of the build. Our other ZIPs are written entry by entry with the dataset's date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter

from .schema import Column, Table

BOM = "\ufeff"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters XML 1.0 cannot hold (tab, line feed and carriage return it can)
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # Table Schema's default boolean spelling
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return f"{value:f}"  # never exponent notation
    return str(value)


def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180 line ends, as spreadsheet tools expect
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(row[c.name]) for c in table.columns])
    return (BOM + buf.getvalue()).encode("utf-8")


def json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def json_bytes(table: Table) -> bytes:
    """The rows as an array of objects, typed: numbers as numbers, lists as arrays, no value as null.
    One row per line: compact, yet a changed record shows as a one-line diff."""
    rows = [json.dumps({c.name: json_value(row[c.name]) for c in table.columns}, ensure_ascii=False)
            for row in table.rows]
    return ("[\n" + ",\n".join(rows) + "\n]\n").encode("utf-8")


def _xlsx_value(column: Column, value: object) -> object:
    if value is None:
        return None
    if column.type == "date" and isinstance(value, str) and ISO_DATE.match(value):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, list | dict) or column.type == "object":
        return csv_cell(value)  # lists and objects read the same as in the CSV
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # XML cannot hold control characters
    return value


def xlsx_bytes(table: Table, when: dt.datetime, creator: str) -> bytes:
    buf = io.BytesIO()
    # No guessing from text: formulas, numbers and URLs are written only as we say below.
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": table.name, "author": creator, "created": when})
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet(table.name)
    columns = table.columns
    for col, c in enumerate(columns):
        ws.write_string(0, col, c.name)
    row_no = 0
    for row_no, row in enumerate(table.rows, 1):
        for col, c in enumerate(columns):
            value = _xlsx_value(c, row[c.name])
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(row_no, col, value)
            elif isinstance(value, bool):
                ws.write_boolean(row_no, col, value)
            elif isinstance(value, dt.datetime):
                ws.write_datetime(row_no, col, value, date_format)
            elif isinstance(value, int | float | Decimal):
                ws.write_number(row_no, col, value)
            else:
                ws.write_string(row_no, col, str(value))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, row_no, len(columns) - 1)
    info = wb.add_worksheet("columns")
    for row_no, cells in enumerate([["column", "type", "설명", "description"],
                                    *([c.name, c.type, c.ko, c.en] for c in columns)]):
        for col, text in enumerate(cells):
            info.write_string(row_no, col, ILLEGAL_CHARACTERS_RE.sub("", text))
    wb.close()
    return buf.getvalue()


def zip_bytes(entries: Iterable[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A ZIP whose bytes depend only on the entries: fixed date, mode, system and compression."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()
