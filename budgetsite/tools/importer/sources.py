"""The `sources` record of a new report: its title, date, issuer and jurisdiction as its cover
prints them, and the file its text is stored in (reports/<doc>.txt), so line citations work."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...kinds import Registry
from .readers import Document
from .records import ORG_NAME, Draft, ReportContext, source
from .tables import parse_date

_COVER = 12  # lines of the cover: title, date, issuer
_YEAR_WORD = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:년|\.|-\d{1,2}-)")
_JURISDICTION = re.compile(r"(?<![가-힣\d])([가-힣]{1,5}(?:특별자치시|특별자치도|특별시|광역시|도|시|군|구))"
                           r"(?![가-힣])")
_NOT_JURISDICTION = {"연구", "지구", "요구", "도시", "보도", "제도", "정도", "정시", "수시", "상시", "즉시", "동시",
                     "표시", "게시", "실시", "개시", "감시", "전시", "지시", "명시", "고시", "도구", "추구", "년도",
                     "연도"}


def guess_year(lines: list[str]) -> tuple[int | None, int | None]:
    """The report's year and the line it is printed on: its title ("2024년도 …"), else its date
    ("2020. 11.", "2019. 1. 15.", "2020-12-31"), within the first 40 lines."""
    for n, line in enumerate(lines[:40], 1):
        if m := _YEAR_WORD.search(line):
            return int(m[1]), n
    return None, None


def _title(lines: list[str]) -> tuple[str, int]:
    for n, line in enumerate(lines[:_COVER], 1):
        text = line.strip().strip("#* ")
        if len(text) >= 4 and "\t" not in line and not text.startswith(("(", "[")):
            return text, n
    return (lines[0].strip() if lines else ""), 1


def _jurisdiction(lines: list[str], allowed: list[str]) -> tuple[str | None, int | None]:
    """The government the report is from: a name the schema allows, else the last place name printed
    on a cover line (경기도 부천시 → 부천시)."""
    cover = lines[:_COVER]
    for name in allowed:
        for n, line in enumerate(cover, 1):
            if name in line:
                return name, n
    for n, line in enumerate(cover, 1):
        found = [m for m in _JURISDICTION.findall(line) if m not in _NOT_JURISDICTION and not ORG_NAME.match(m)]
        if found:
            return found[-1], n
    return None, None


def _issuer(ctx: ReportContext, lines: list[str], jurisdiction: str | None) -> tuple[str | None, int | None]:
    """The unit that issued the report: an org name printed on the cover, else the jurisdiction."""
    for n, line in enumerate(lines[:_COVER], 1):
        if "\t" in line:
            continue
        for word in re.findall(r"[가-힣]{2,}", line):
            if ORG_NAME.match(word) and word != jurisdiction:
                return ctx.org_or_new(word, n), n
    if jurisdiction:
        for n, line in enumerate(lines[:_COVER], 1):
            if jurisdiction in line:
                return ctx.org_or_new(jurisdiction, n), n
    return None, None


def _allowed_jurisdictions(registry: Registry) -> list[str]:
    """The jurisdictions records may name: the portal's (site_config `jurisdictions`, put into the shared
    definition), else what the sources schema itself lists."""
    shared = registry.schemas.get("defs", {}).get("$defs", {}).get("jurisdiction", {})
    own = registry.schemas.get("sources", {}).get("properties", {}).get("jurisdiction", {})
    return list(shared.get("enum") or own.get("enum") or [])


def draft_source(ctx: ReportContext, document: Document, path: Path, registry: Registry,
                 assumptions: list[str]) -> Draft:
    lines = document.lines
    allowed = _allowed_jurisdictions(registry)
    title, title_line = _title(lines)
    jurisdiction, _ = _jurisdiction(lines, allowed)
    issuer, issuer_line = _issuer(ctx, lines, jurisdiction)
    notes: list[str] = []
    data: dict[str, Any] = {"id": ctx.doc_id, "title": title, "file": f"{ctx.doc_id}.txt"}
    if issuer:
        data["issuer"] = issuer
    else:
        ctx.warn(None, f"sources/{ctx.doc_id}: no issuing unit printed on the cover; fill in `issuer`")
    data["jurisdiction"] = jurisdiction or ""
    if jurisdiction is None:
        ctx.warn(None, f"sources/{ctx.doc_id}: no jurisdiction (시·군·구) printed on the cover; fill in `jurisdiction`")
    elif allowed and jurisdiction not in allowed:
        ctx.warn(None, f"sources/{ctx.doc_id}: jurisdiction {jurisdiction!r} is not one the portal allows "
                       f"({', '.join(allowed)}); add it to `jurisdictions:` in site_config.yaml, or the drafts "
                       "will not validate")
    date = parse_date(" ".join(lines[:_COVER]), ctx.year)
    printed = _printed_date(lines)
    if date is None and printed is not None and ctx.year is not None:
        m = re.search(r"(\d{4})\s*\.\s*(\d{1,2})", printed[0])
        if m:
            date = f"{int(m[1]):04d}-{int(m[2]):02d}-01"
            notes.append(f"원문에는 '{printed[0]}'(으)로 월까지만 인쇄되어 있어 그 달 1일로 적었습니다.")
    if date is None:
        date = f"{ctx.year or 1900}-01-01"
        notes.append("원문에 보고일이 인쇄되어 있지 않아 그 해 1월 1일로 적었습니다. 실제 날짜로 고쳐 주세요.")
        assumptions.append(f"sources/{ctx.doc_id}: no report date printed; report_date set to {date}")
    data["report_date"] = date
    if printed is not None:
        data["report_date_printed"] = printed[0]
    if ctx.year is not None:
        data["year"] = ctx.year
    data["source"] = source(ctx.doc_id, 1, max(len(lines), 1))
    data["summary"] = (f"가져오기 도구가 {path.name}({document.format})에서 만든 보고서 초안입니다. "
                       f"제목은 {title_line}행" + (f", 발행 조직은 {issuer_line}행" if issuer_line else "")
                       + "에서 가져왔습니다.")
    if notes:
        data["notes"] = notes
    return Draft("sources", ctx.doc_id, data, "보고서")


_PRINTED_DATE = re.compile(r"(?:19|20)\d\d\s*\.\s*\d{1,2}\s*\.(?:\s*\d{1,2}\s*\.?)?"
                           r"|(?:19|20)\d\d년\s*\d{1,2}월(?:\s*\d{1,2}일)?|(?:19|20)\d\d-\d\d-\d\d")


def _printed_date(lines: list[str]) -> tuple[str, int] | None:
    for n, line in enumerate(lines[:_COVER], 1):
        if m := _PRINTED_DATE.search(line):
            return m.group(0).strip(), n
    return None
