"""What the search index holds: one document per record page, chart and content page."""

from __future__ import annotations

from collections.abc import Iterator

from ...kinds import Kind
from ...load.content import ContentPage
from ...model import AuditItem, OrgUnit, Record, Site
from ...model.corrections import Corrector
from .index import SearchDoc


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in ("id", "source", "old_ids", "org", "parent", "programs", "doc", "unit"):
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)


def _org_name(rec: Record) -> str | None:
    org = getattr(rec, "org", None)
    if isinstance(rec, OrgUnit):
        return rec.name
    return org.name if isinstance(org, OrgUnit) else None


def record_doc(rec: Record, kind: Kind, corrector: Corrector) -> SearchDoc:
    printed = " ".join(_strings(rec.data))
    corrected = corrector.apply(printed, rec.source.doc)
    # Both forms are indexed, so a search for the corrected word or the printed one finds it.
    text = corrected if corrected == printed else corrected + " " + printed
    year = rec.data.get("year") if isinstance(rec.data.get("year"), int) else None
    status = rec.status if isinstance(rec, AuditItem) else None
    title = corrector.apply(rec.title, rec.source.doc)
    return SearchDoc(url=rec.url, type=str(kind.search_type), title=title, text=text, org=_org_name(rec),
                     year=year, status=status)


def search_docs(site: Site, corrector: Corrector, content: list[ContentPage], charts: list) -> list[SearchDoc]:
    docs = [record_doc(rec, kind, corrector) for kind in site.kinds.searched() for rec in site.kind(kind.name)]
    docs += [SearchDoc(url=c.url, type="chart", title=c.title, text=c.summary) for c in charts]
    docs += [SearchDoc(url=p.url, type="page", title=p.title, text=p.body) for p in content]
    return docs
