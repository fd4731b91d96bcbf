"""Program narratives → one draft `programs` record per numbered program and sub-program, and a draft
`budget` record for each planned-budget line (소요예산 : 총 N천원(국 …, 시 …, 구비 …)) of a plan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .markup import spaceless
from .records import Draft, ReportContext, draft_id, source
from .sections import Outline, Program
from .tables import FUNDING_KEYS, number_value

_STAGES = (("신규", "신규·중점"), ("중점", "신규·중점"), ("계획", "계획"), ("실적", "실적"))
_NAME_WITH_BUDGET = re.compile(r"^(?P<name>.+?)\s*:\s*(?P<budget>[\d,.]+\s*(?:천원|백만원|억원).*)$")
_PLANNED = re.compile(r"소요예산\s*[:：]\s*(?:총\s*)?(?P<amount>[\d,]+)\s*(?P<unit>천원|백만원|억원)"
                      r"(?:\s*\((?P<inner>[^()]*)\))?")
_SPLIT_PART = re.compile(r"(국비|시비|구비|국|시|구|민간)\s*([\d,]+)")


@dataclass(frozen=True)
class ProgramRef:
    """Where a program's text lies, so a table printed inside it can link to it."""

    id: str
    name: str
    start: int
    end: int
    org: str | None  # only when the heading names the unit that runs it


def program_id(ctx: ReportContext, program: Program) -> str:
    if program.parent is not None:
        return f"{program_id(ctx, program.parent)}-{program.value}"
    return draft_id(ctx.doc_id, "p", *program.number.split("-"))


def import_programs(ctx: ReportContext, outline: Outline) -> tuple[list[Draft], list[ProgramRef]]:
    drafts: list[Draft] = []
    refs: list[ProgramRef] = []
    seen: set[str] = set()
    for program in outline.programs(ctx.warn):
        for item in [program, *program.subs]:
            record_id = program_id(ctx, item)
            if record_id in seen:  # two headings with one number: keep both, apart
                record_id = f"{record_id}-l{item.start}"
            seen.add(record_id)
            data, planned, printed_org = _program_data(ctx, outline, item, record_id)
            section = outline.section_at(item.start)
            drafts.append(Draft("programs", record_id, data, section))
            refs.append(ProgramRef(record_id, data["name"], item.start, item.own_end, printed_org))
            if planned:
                drafts.append(planned)
    return drafts, refs


def _program_data(ctx: ReportContext, outline: Outline, program: Program,
                  record_id: str) -> tuple[dict[str, Any], Draft | None, str | None]:
    text = outline.program_text(program)
    notes: list[str] = []
    name = program.name
    budget_text = text.budget_text
    if program.parent is not None and (m := _NAME_WITH_BUDGET.match(name)):
        name, budget_text = m["name"], budget_text or m["budget"]  # "재정지원 : 20,263백만원(…)"
    org = None
    if found := ctx.orgs.trailing(name, ctx.doc_id):
        org, org_name = found
        name = name[: -len(org_name)].rstrip()  # "… 추진 사회적경제정책팀": the team runs it
    printed_org = org
    end = _last_text_line(outline, program)
    data: dict[str, Any] = {"id": record_id,
                            "source": source(ctx.doc_id, program.start, end, outline.section_at(program.start)),
                            "name": name}
    if program.toc_name and spaceless(program.toc_name) != spaceless(name) and not program.heading_missing:
        data["name_variants"] = [program.toc_name]
    data["number"] = program.number
    data["area"] = program.part.title
    year = _year(program.part.title) or _year(program.part.parent_title) or ctx.year
    if year:
        data["year"] = year
    if org is None:
        org = ctx.issuer or draft_id(ctx.doc_id, "org-unknown")
        notes.append("담당 조직이 제목에 없어 보고서 발행 조직으로 두었습니다. 맡은 부서·팀으로 바꿔 주세요.")
    data["org"] = org
    if program.parent is not None:
        data["parent"] = program_id(ctx, program.parent)
    stage = _stage(program.part.title) or _stage(program.part.parent_title)
    if stage:
        data["stage"] = stage
    if text.summary:
        data["summary"] = text.summary
    if text.sections:
        data["sections"] = [{"heading": s.heading, "body": s.body, "lines": _lines(s.start, s.end)}
                            for s in text.sections]
    if text.legal_basis:
        data["legal_basis"] = text.legal_basis
    if budget_text:
        data["budget_text"] = budget_text
    if program.heading_missing:
        data["heading_missing"] = True
        if name:
            notes.append(f"원문에 제목이 없어 이름을 목차에서 가져왔습니다 ({program.start}행부터).")
        else:
            data["name"] = f"{program.part.title} {program.value}"
            notes.append("원문에 제목이 없고 목차에도 없어 임시 이름을 붙였습니다. 이름을 정해 주세요.")
            ctx.warn(program.start, f"program {program.number} has no name; a placeholder was used")
    if notes:
        data["notes"] = notes
    planned = _planned_budget(ctx, outline, program, record_id, data, stage)
    return data, planned, printed_org


def _last_text_line(outline: Outline, program: Program) -> int:
    end = program.end
    while end > program.start and not outline.lines[end - 1].strip():
        end -= 1
    return end


def _lines(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}-{end}"


def _year(title: str) -> int | None:
    m = re.search(r"(20\d\d)\s*년", title)
    return int(m[1]) if m else None


def _stage(title: str) -> str | None:
    for word, stage in _STAGES:
        if word in title:
            return stage
    return None


def _planned_budget(ctx: ReportContext, outline: Outline, program: Program, record_id: str,
                    data: dict[str, Any], stage: str | None) -> Draft | None:
    """A plan's 소요예산 line is next year's budget for the program: a `planned` budget draft."""
    if stage not in ("계획", "신규·중점"):
        return None
    for n in range(program.text_start, program.own_end + 1):
        if not (m := _PLANNED.search(outline.text(n))):
            continue
        budget_id = draft_id(ctx.doc_id, "budget", f"l{n}")
        section = outline.section_at(n)
        budget: dict[str, Any] = {"id": budget_id, "source": source(ctx.doc_id, n, n, section),
                                  "name": data["name"], "table": "소요예산", "org": data["org"],
                                  "programs": [record_id], "year": data.get("year") or ctx.year or 0,
                                  "unit": m["unit"], "planned": number_value(m["amount"])}
        if m["inner"]:
            funding = {FUNDING_KEYS[k]: number_value(v) for k, v in _SPLIT_PART.findall(m["inner"])}
            if funding:
                budget["funding"] = funding
            elif m["inner"] in ("구비", "시비", "국비"):
                budget["funding"] = {FUNDING_KEYS[m["inner"]]: number_value(m["amount"])}
        return Draft("budget", budget_id, budget, section)
    return None
