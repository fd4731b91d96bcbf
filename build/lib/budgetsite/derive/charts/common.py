"""Small facts every chart spec needs: a record's as-of date, who a table belongs to, and the
records whose pages should show a chart."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import BudgetLine, OrgUnit, Record, Site


def as_of(site: Site, rec: Record) -> str:
    """The record's own as-of date, else its report's date (the renderer's rule too)."""
    own = rec.get("as_of")
    if isinstance(own, str) and own:
        return own
    doc = site.get(rec.source.doc)
    return str(doc.get("report_date") or "") if doc else ""


def owner_name(site: Site, total: BudgetLine | None, doc_id: str) -> str:
    """Whose budget a table is: its 총계 row's organisation, else the report's issuer."""
    if total is not None and total.org is not None:
        return total.org.name
    doc = site.get(doc_id)
    issuer = site.get(str(doc.get("issuer"))) if doc else None
    if isinstance(issuer, OrgUnit):
        return issuer.name
    return doc.title if doc else ""


def row_label(line: BudgetLine) -> str:
    """A 부서 row is its organisation; other rows are their printed name."""
    if line.data.get("level") == "부서" and line.org is not None:
        return line.org.name
    return line.name


def unique_labels(lines: list[BudgetLine]) -> dict[str, str]:
    """Labels by record id; a name printed twice (노동자 복지 증진 in two accounts) gets its parent."""
    labels = {ln.id: row_label(ln) for ln in lines}
    seen: dict[str, int] = {}
    for text in labels.values():
        seen[text] = seen.get(text, 0) + 1
    for ln in lines:
        if seen[labels[ln.id]] > 1 and ln.parent is not None:
            labels[ln.id] = f"{labels[ln.id]} ({ln.parent.name})"
    return labels


def concerned(records: Iterable[Record | None]) -> list[str]:
    """Ids of the records whose pages show a chart: the records themselves, their organisations
    and their programs, without repeats, in a stable order."""
    out: list[str] = []

    def add(rec: Record | None) -> None:
        if rec is not None and rec.id not in out:
            out.append(rec.id)

    for rec in records:
        add(rec)
        if rec is None:
            continue
        add(getattr(rec, "org", None))
        for prog in getattr(rec, "programs", None) or []:
            add(prog)
    return out


def sources_of(records: Iterable[Record]) -> list[str]:
    out: list[str] = []
    for rec in records:
        if rec.source.doc and rec.source.doc not in out:
            out.append(rec.source.doc)
    return out
