"""Charts of the council's administrative audits: follow-up status of the requests by department."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ...model import AuditItem, Record, Site
from .chart import Chart, Column, DataTable, Row
from .common import as_of, concerned, sources_of
from .ids import chart_id, slug_hash
from .labels import Labels


def _audit_stem(doc: str, audit: str) -> str:
    """s000 + "2019 행정사무감사" → s000-2019; an audit name without a year gets a hash."""
    year = re.search(r"(19|20)\d\d", audit)
    return f"{doc}-{year.group(0) if year else slug_hash(audit)}"


def audit_charts(site: Site, labels: Labels) -> Iterator[Chart]:
    # The statuses in the order every audit page uses, with plain keys for data.json and the figure.
    status_keys = site.kinds["audits"].status_keys if "audits" in site.kinds else {}
    audits: dict[tuple[str, str], list[AuditItem]] = defaultdict(list)
    for item in site.audits:
        audits[(item.source.doc, str(item.data.get("audit") or ""))].append(item)
    for (doc_id, audit), items in audits.items():
        by_org: dict[str, list[AuditItem]] = defaultdict(list)  # first appearance order, as the report lists them
        for item in items:
            by_org[item.org.id if item.org else ""].append(item)
        if len(by_org) < 2:
            continue
        rows = []
        for org_id, mine in by_org.items():
            org = site.get(org_id)
            counts: dict = {k: sum(1 for i in mine if i.status == s) for s, k in status_keys.items()}
            counts["total"] = len(mine)
            rows.append(Row(org.title if org else labels("fields.none"), counts, org_id))
        totals: dict = {k: sum(1 for i in items if i.status == s) for s, k in status_keys.items()}
        totals["total"] = len(items)
        rows.append(Row(labels("fields.total"), totals, "", True))
        parts = ", ".join(labels("charts.summary.status_count", status=s, n=totals[k])
                          for s, k in status_keys.items() if totals[k])
        summaries: list[Record] = [s for s in site.kind("audit-summaries")
                                   if s.source.doc == doc_id and s.get("audit") == audit]
        members: list[Record | None] = [*summaries, *(site.get(o) for o in by_org)]
        yield Chart(
            id=chart_id("audit-status", _audit_stem(doc_id, audit)),
            title=labels("charts.title.audit_status", audit=audit),
            summary=labels("charts.summary.audit_status", n=len(items), parts=parts),
            records=concerned(members), pages=["audits"], kind="audit-status",
            sources=sources_of(items), as_of=as_of(site, items[0]), unit=labels("charts.units.count"),
            table=DataTable([*(Column(k, s, "", "count") for s, k in status_keys.items()),
                             Column("total", labels("fields.total"), "", "count")], rows, labels("fields.org")))
