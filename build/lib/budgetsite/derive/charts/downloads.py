"""The data behind a chart as files: data.csv (UTF-8 with BOM, so Excel reads the Korean) and
data.json (the same rows with units, sources and the citation)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from .amounts import csv_number
from .chart import Chart, Value

BOM = "\ufeff"


def csv_bytes(chart: Chart, id_header: str) -> bytes:
    table = chart.table
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180 line ends, as spreadsheet tools expect
    writer.writerow([table.label, *(c.header for c in table.columns), id_header])
    for row in table.rows:
        writer.writerow([row.label, *(csv_number(row.get(c.key)) for c in table.columns), row.record])
    return (BOM + buf.getvalue()).encode("utf-8")


def _json_number(value: Value) -> int | float | str | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def json_bytes(chart: Chart, meta: dict) -> bytes:
    """`meta` carries what only the renderer knows: absolute URLs, source titles, the citation."""
    table = chart.table
    doc = {
        "id": chart.id, "title": chart.title, "summary": chart.summary, "kind": chart.kind,
        **meta,
        "as_of": chart.as_of, "unit": chart.unit, "note": chart.note,
        "columns": [{"key": "label", "label": table.label},
                    *({"key": c.key, "label": c.label, "unit": c.unit} for c in table.columns)],
        "rows": [{"label": row.label, "record": row.record or None, "is_total": row.total,
                  **{c.key: _json_number(row.get(c.key)) for c in table.columns}} for row in table.rows],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
