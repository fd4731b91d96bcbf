"""Writers: CSV (UTF-8 with BOM, so Excel reads the Korean), XLSX, JSON, and the ZIP archive.

Every writer is deterministic: the same tables give the same bytes on every build and machine.
openpyxl stamps the workbook with the current time and writes its ZIP entries with the current
time, so the XLSX is re-packed with fixed dates; ZIPs are written entry by entry with a fixed date.
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

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from .schema import Column, Table

BOM = "\ufeff"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
        return dt.date.fromisoformat(value)
    if isinstance(value, list | dict) or column.type == "object":
        return csv_cell(value)  # lists and objects read the same as in the CSV
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # XML cannot hold control characters
    return value


def xlsx_bytes(table: Table, when: dt.datetime, creator: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = table.name
    ws.append([c.name for c in table.columns])
    for row in table.rows:
        ws.append([_xlsx_value(c, row[c.name]) for c in table.columns])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that starts with "=" is data, never a formula
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    info = wb.create_sheet("columns")
    info.append(["column", "type", "설명", "description"])
    for c in table.columns:
        info.append([c.name, c.type, c.ko, c.en])
    wb.properties.creator = creator
    wb.properties.title = table.name
    wb.properties.created = when
    wb.properties.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    wb.properties.modified = when  # save() stamped the current time; the re-pack writes the fixed one
    with zipfile.ZipFile(buf) as packed:
        entries = [(i.filename, tostring(wb.properties.to_tree()) if i.filename == ARC_CORE else packed.read(i))
                   for i in packed.infolist()]
    return zip_bytes(entries, when)


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
            zf.writestr(info, data, compresslevel=9)
    return buf.getvalue()
