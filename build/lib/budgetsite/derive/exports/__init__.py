"""Stage 4c — exports: the open-data downloads under /data/.

One table per record kind as CSV, XLSX and JSON, a Frictionless datapackage.json describing the
CSVs, a bilingual README, all.zip with all of it, and the /data/ page listing the files with their
sizes, the licence and how to cite (its content; the render stage renders it). Every byte depends
only on the data and the configuration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...config import SiteConfig
from ...model import OrgUnit, Site
from .csvxlsx import csv_bytes, json_bytes, xlsx_bytes, zip_bytes
from .datapackage import Licence, SourceReport, descriptor, package_name
from .readme import About, readme
from .schema import Table
from .tables import Context, build_tables

FOLDER = "data/"
FORMATS = ("csv", "xlsx", "json")
# The earliest date a ZIP entry can carry; used only when there is no data at all.
ZIP_EPOCH = dt.datetime(1980, 1, 1)


def dataset_date(tables: list[Table]) -> str:
    """The latest as-of date of any row: the dataset's own as-of date, for citations and file dates."""
    dates = [str(r["as_of"]) for t in tables for r in t.rows if r.get("as_of")]
    return max(dates, default="")


@dataclass
class DataPage:
    """What the /data/ page shows; rendered by the render stage with the theme's data.html."""
    path: str
    context: dict


def source_reports(site: Site, config: SiteConfig) -> list[SourceReport]:
    """The reports the data comes from (appended reports are part of their parent)."""
    out = []
    for doc in site.sources:
        if doc.get("parent"):
            continue
        issuer = site.get(str(doc.get("issuer") or ""))
        who = issuer.name if isinstance(issuer, OrgUnit) else str(doc.get("jurisdiction") or "")
        out.append(SourceReport(f"{who}, 「{doc.title}」 ({doc.get('report_date')})", config.absolute(doc.url)))
    return out


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _download(files: dict[str, bytes], name: str) -> dict:
    return {"name": name, "href": FOLDER + name, "bytes": len(files[FOLDER + name]),
            "size": human_size(len(files[FOLDER + name]))}


def export_files(site: Site, config: SiteConfig) -> tuple[dict[str, bytes], DataPage]:
    """Every download, and what the page listing them shows."""
    tables = build_tables(Context(site, config, config.absolute, site.as_of))
    date = dataset_date(tables)
    when = dt.datetime.fromisoformat(date) if date else ZIP_EPOCH
    files: dict[str, bytes] = {}
    csvs: dict[str, bytes] = {}
    for t in tables:
        csvs[t.name] = csv_bytes(t)
        files[f"{FOLDER}{t.name}.csv"] = csvs[t.name]
        files[f"{FOLDER}{t.name}.xlsx"] = xlsx_bytes(t, when, config.publisher or config.title)
        files[f"{FOLDER}{t.name}.json"] = json_bytes(t)
    licence = Licence.from_config(config)
    sources = source_reports(site, config)
    about = About(config.title, config.publisher, config.absolute(FOLDER), date, licence, sources)
    files[f"{FOLDER}datapackage.json"] = descriptor(tables, csvs, config, about.data_url, licence, sources)
    files[f"{FOLDER}README.md"] = readme(tables, about)
    # Inside the ZIP everything sits in one folder, so unpacking never scatters files.
    top = package_name(config)
    files[f"{FOLDER}all.zip"] = zip_bytes(
        [(f"{top}/{path.removeprefix(FOLDER)}", data) for path, data in sorted(files.items())], when)

    lang = config.language
    context = {
        "about": about,
        "tables": [{"name": t.name, "kind": t.kind, "rows": len(t.rows), "key": t.key,
                    # the page shows the kind's name already: keep what follows "name: "
                    "description": (t.ko if lang == "ko" else t.en).split(": ", 1)[-1],
                    "columns": [{"name": c.name, "type": c.type, "ref": c.ref, "text": c.ko if lang == "ko" else c.en}
                                for c in t.columns],
                    "files": [_download(files, f"{t.name}.{ext}") for ext in FORMATS]} for t in tables],
        "bundle": {key: _download(files, name) for key, name in
                   (("zip", "all.zip"), ("datapackage", "datapackage.json"), ("readme", "README.md"))},
    }
    return files, DataPage(f"{FOLDER}index.html", context)
