"""datapackage.json: a Frictionless (Tabular) Data Package describing the CSV tables, readable by
frictionless 5 (v1 descriptor, which v2 tools read too). Budget amounts are annotated the way the
Fiscal Data Package does: every base-unit column (budget_won …) is a measure with the site's
currency, factor 1 and its phase; the printed amounts keep their own unit column, because the unit
varies from row to row."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import urlparse

from ...config import SiteConfig
from .schema import Column, Table

KOGL1_TITLE = "공공누리 제1유형 (출처표시)"
KOGL1_URL = "https://www.kogl.or.kr/info/licenseType1.do"


@dataclass(frozen=True)
class Licence:
    title: str
    url: str
    id: str  # short identifier, e.g. KOGL-Type1; "" when the configured licence is not a known one

    @classmethod
    def from_config(cls, config: SiteConfig) -> Licence:
        """The site's licence, else the usual one for Korean public data (KOGL Type 1)."""
        title = config.licence or KOGL1_TITLE
        url = config.licence_url or (KOGL1_URL if title == KOGL1_TITLE else "")
        known = "KOGL-Type1" if ("공공누리 제1유형" in title or url == KOGL1_URL) else ""
        return cls(title, url, str(config.extra.get("licence_id") or known))

    def descriptor(self) -> dict:
        out: dict = {"title": self.title}
        if self.id:
            out["name"] = self.id
        if self.url:
            out["path"] = self.url
        return out


@dataclass(frozen=True)
class SourceReport:
    title: str  # "issuer, 「title」 (date)"
    url: str


def package_name(config: SiteConfig) -> str:
    """A lowercase ASCII name: the site's own (`data_package_name`), else its host's first label."""
    if config.extra.get("data_package_name"):
        return str(config.extra["data_package_name"])
    host = urlparse(config.site_url).hostname or ""
    label = host.split(".")[0] if host else ""
    return f"{label}-open-data" if label else "budget-open-data"


def field(c: Column) -> dict:
    out: dict = {"name": c.name, "type": c.type, "description": f"{c.ko} / {c.en}"}
    if c.many:
        out["description"] += " (CSV: one item per line; JSON: array)"
    constraints: dict = {}
    if c.required:
        constraints["required"] = True
    if c.enum:
        constraints["enum"] = list(c.enum)
    if constraints:
        out["constraints"] = constraints
    out.update(c.fiscal)
    return out


def resource(table: Table, csv: bytes) -> dict:
    foreign = [{"fields": c.name, "reference": {"resource": "" if c.ref == table.name else c.ref, "fields": "id"}}
               for c in table.columns if c.ref]
    schema: dict = {"fields": [field(c) for c in table.columns], "missingValues": [""],
                    "primaryKey": list(table.key)}
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
        "title": table.ko, "description": f"{table.ko} / {table.en}",
        "format": "csv", "mediatype": "text/csv",
        # The files start with a BOM so Excel detects UTF-8; frictionless and most CSV readers skip it,
        # and "utf-8" is the IANA name every Data Package reader knows.
        "encoding": "utf-8",
        "bytes": len(csv), "hash": "sha256:" + hashlib.sha256(csv).hexdigest(),
        "schema": schema,
    }


def descriptor(tables: list[Table], csvs: dict[str, bytes], config: SiteConfig, homepage: str,
               licence: Licence, sources: list[SourceReport]) -> bytes:
    package = {
        "profile": "tabular-data-package",
        "name": package_name(config),
        "title": f"{config.title} — 공개 데이터 (open data)",
        "description": config.description or config.title,
        "homepage": homepage,
        "licenses": [licence.descriptor()],
        "sources": [{"title": s.title, "path": s.url} for s in sources],
        "keywords": ["예산", "budget", "행정사무감사", "audit", "fiscal-data-package"],
        "resources": [resource(t, csvs[t.name]) for t in tables],
    }
    if config.publisher:
        package["contributors"] = [{"title": config.publisher, "role": "publisher"}]
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
