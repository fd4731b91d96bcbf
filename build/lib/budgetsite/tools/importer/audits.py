"""The council's administrative-audit tables: the summary (총괄) and one draft per request.

Each request is a two-cell row: the request (ending in the responsible unit, "(노동정책담당관)") and
the answer (□ 추진상황 : …, □ 추진내용, □ 향후계획). A request cut by a page break continues after
the repeated header in a row whose request cell does not start with ○; it is merged cell by cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markup import Block, cell_blocks, spaceless, strip_html, to_markdown
from .records import Draft, ReportContext, draft_id, source
from .sections import Outline
from .tables import Row, TabBlock, parse_date, parse_number

CATEGORIES = {  # header of the request column → (schema category, id letter)
    "시정": ("시정·처리요구사항", "c"),
    "건의": ("건의사항", "s"),
    "기타": ("기타(자료제출 등)", "o"),
}
STATUS_RE = re.compile(r"추진\s*상황\s*[:：]?\s*(?P<status>추진\s*완료|추진\s*중|검토\s*중|미\s*반영|완\s*료)")
ORG_RE = re.compile(r"\((?P<org>[가-힣]+(?:담당관|반|과|팀|단|센터|실))\)")
COMPLETED_RE = re.compile(r"\((\d{4}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.?)\)")
_ITEM_START = re.compile(r"^(?:<p[^>]*>\s*)?○")
_CONTINUATION = re.compile(r"^<p[^>]*>")
_AUDIT_NAME = re.compile(r"(\d{4})\s*행정\s*(사무)?\s*감사")


def status_for(printed: str, statuses: tuple[str, ...]) -> str | None:
    """The allowed status a printed one stands for, spaces aside (완료 for 추진완료); None: not a status."""
    s = spaceless(printed)
    by_form = {spaceless(x): x for x in statuses}
    return by_form.get(s) or by_form.get("추진" + s)


def normalize_status(printed: str, statuses: tuple[str, ...]) -> str:
    return status_for(printed, statuses) or statuses[0]


def audit_category(header: Row) -> tuple[str, str] | None:
    """(category, id letter) when a block's first row is an audit table header."""
    if len(header.filled()) < 2 or "조치" not in spaceless(header.cell(1)):
        return None
    first = spaceless(header.cell(0))
    for key, value in CATEGORIES.items():
        if key in first:
            return value
    return None


def is_summary_header(header: Row) -> bool:
    text = spaceless(" ".join(header.cells))
    return "완료" in text and "추진중" in text and "계" in text


@dataclass
class _Item:
    category: str
    letter: str
    start: int
    end: int
    request: str
    answer: str
    merged_lines: list[int] = field(default_factory=list)


def _join_cut(before: str, after: str) -> str:
    """Text cut by a page break: the paragraph closed at the foot of the page and reopened at the
    top of the next one is one paragraph."""
    if not after.strip():
        return before
    return re.sub(r"</p>\s*$", "", before) + " " + re.sub(r"^\s*<p[^>]*>", "", after)


def audit_name(outline: Outline, line: int) -> str:
    section = outline.section_at(line)
    m = _AUDIT_NAME.search(section)
    return f"{m[1]} 행정감사" if m else section or "행정사무감사"


def import_audits(ctx: ReportContext, outline: Outline, blocks: list[TabBlock]) -> tuple[list[Draft], set[int]]:
    """Drafts for the audit summary and items; the block start lines it used."""
    drafts: list[Draft] = []
    used: set[int] = set()
    items: list[_Item] = []
    summary_rows: dict[str, dict[str, int | None]] = {}
    summary_line = 0
    previous: _Item | None = None
    for block in blocks:
        header = block.rows[0]
        if is_summary_header(header):
            used.add(block.start)
            summary_line = block.start
            drafts.append(_summary(ctx, outline, block, summary_rows))
            continue
        category = audit_category(header)
        if category is None:
            continue
        used.add(block.start)
        page_break = True  # a block starts after a repeated header: a new page
        for row in block.rows[1:]:
            request = row.cell(0)
            if audit_category(row):
                page_break = True
                continue
            extra = [c for c in row.cells[2:] if c.strip()]
            if _ITEM_START.match(request):
                previous = _Item(*category, row.line, row.line, request, row.cell(1))
                items.append(previous)
            elif (_CONTINUATION.match(request) and page_break and previous is not None
                  and previous.category == category[0]):
                previous.request = _join_cut(previous.request, request)
                previous.answer = _join_cut(previous.answer, row.cell(1))
                previous.end = row.line
                previous.merged_lines.append(row.line)
                number = sum(i.category == previous.category for i in items)
                ctx.warn(row.line, f"continuation row merged into {previous.category} {number} "
                                   f"(line {previous.start})")
            else:
                ctx.warn(row.line, "row repeats a table printed inside the answer above; skipped")
                continue
            if extra:
                ctx.warn(row.line, f"{len(extra)} cells after the answer (a flattened copy of its table) dropped")
            page_break = False
    counters: dict[str, int] = {}
    seen_answers: dict[str, str] = {}
    for item in items:
        counters[item.letter] = counters.get(item.letter, 0) + 1
        draft = _item_draft(ctx, outline, item, counters[item.letter], seen_answers)
        drafts.append(draft)
    if summary_rows:
        _compare_with_summary(ctx, drafts, summary_rows, summary_line)
    return drafts, used


def _summary(ctx: ReportContext, outline: Outline, block: TabBlock,
             found: dict[str, dict[str, int | None]]) -> Draft:
    header = block.rows[0]
    columns: dict[int, str] = {}
    for i, cell in enumerate(header.cells):
        name = spaceless(cell)
        status = "total" if name == "계" else status_for(name, ctx.statuses)
        if status:
            columns[i] = status
    rows: list[dict[str, object]] = []
    for row in block.rows[1:]:
        label = " ".join(c for c in (strip_html(x) for x in row.cells[:2]) if c)
        category = _summary_category(label)
        if category is None:
            ctx.warn(row.line, f"audit summary row {label!r} not recognised; skipped")
            continue
        counts: dict[str, int | None] = {}
        for i, key in columns.items():
            number = parse_number(row.cell(i))
            value = number.value if number else None
            counts[key] = int(value) if value is not None else None  # "-": none
        if counts.get("total") is None:
            ctx.warn(row.line, "audit summary row without a total; skipped")
            continue
        rows.append({"category": category, **counts})
        found[category] = counts
    section = outline.section_at(block.start)
    record_id = draft_id(ctx.doc_id, "audit-summary")
    data: dict[str, object] = {"id": record_id, "source": source(ctx.doc_id, block.start, block.end, section),
                               "audit": audit_name(outline, block.start), "rows": rows}
    return Draft("audit-summaries", record_id, data, section)


def _summary_category(label: str) -> str | None:
    s = spaceless(label)
    for key, (category, _) in CATEGORIES.items():
        if key in s:
            return category
    return "계" if s.startswith("계") else None


def _item_draft(ctx: ReportContext, outline: Outline, item: _Item, number: int,
                seen_answers: dict[str, str]) -> Draft:
    record_id = draft_id(ctx.doc_id, "audit", f"{item.letter}{number:02d}")
    section = outline.section_at(item.start)
    notes: list[str] = []
    request_blocks = cell_blocks(item.request)
    if len(request_blocks) == 1:
        # One request, printed after a ○: plain text, not a one-item list.
        request = request_blocks[0].text
    else:
        request = to_markdown(request_blocks)
    orgs = ORG_RE.findall(strip_html(item.request))
    org_name = orgs[-1] if orgs else ""
    org = ctx.org_for(org_name, item.start, "audit unit") if org_name else None
    if org is None:
        org = ctx.issuer or draft_id(ctx.doc_id, "org-unknown")
        notes.append(f"담당 부서({org_name or '표기 없음'})를 조직 목록에서 찾지 못해 보고서 발행 조직으로 두었습니다.")
        if not org_name:
            ctx.warn(item.start, "audit request names no responsible unit")
    answer_blocks = cell_blocks(item.answer)
    status_printed, actions, plan = _answer_parts(answer_blocks)
    data: dict[str, object] = {
        "id": record_id,
        "source": source(ctx.doc_id, item.start, item.end, section),
        "audit": audit_name(outline, item.start),
        "category": item.category,
        "number": number,
        "request": request,
        "org": org,
    }
    if status_printed:
        data["status"] = normalize_status(status_printed, ctx.statuses)
        data["status_printed"] = status_printed
    else:
        # The schema needs a status; 추진완료 is the only one a 기타 item without one can mean,
        # and any other item without one is flagged for the editor.
        data["status"] = "추진완료"
        notes.append("추진상황이 인쇄되어 있지 않아 추진완료로 두었습니다. 확인이 필요합니다.")
        ctx.warn(item.start, f"audit item {record_id} has no printed 추진상황")
    if actions:
        data["actions"] = actions
    if plan:
        data["plan"] = plan
    if m := COMPLETED_RE.search(strip_html(item.answer)):
        if date := parse_date(m[1], ctx.year):
            data["completed_date"] = date
    if item.merged_lines:
        data["page_split"] = True
        lines = ", ".join(str(n) for n in item.merged_lines)
        notes.append(f"쪽이 나뉘어 {lines}행의 이어지는 줄을 칸별로 이어 붙였습니다.")
    answer_key = spaceless(strip_html(item.answer))
    if answer_key in seen_answers:
        notes.append(f"조치결과가 {seen_answers[answer_key]}와 글자 그대로 같습니다.")
    else:
        seen_answers[answer_key] = record_id
    if notes:
        data["notes"] = notes
    return Draft("audits", record_id, data, section)


_HEADS = {"추진내용": "actions", "추진내용및향후추진계획": "actions", "향후계획": "plan",
          "향후추진계획": "plan"}


def _answer_parts(blocks: list[Block]) -> tuple[str | None, str, str]:
    """(추진상황 as printed, 추진내용, 향후계획) of an answer cell, split at its □ sub-headings."""
    status: str | None = None
    parts: dict[str, list[Block]] = {"actions": [], "plan": []}
    target = "actions"
    for block in blocks:
        text = block.text.lstrip("□■ ").strip() if block.kind == "box" else block.text
        if m := STATUS_RE.search(text) if block.kind in ("box", "para") else None:
            status = status or " ".join(m["status"].split())
            rest = text[m.end():].strip()
            if not rest:
                continue
            text = rest
        head = _HEADS.get(spaceless(text))
        if block.kind in ("box", "para") and head:
            target = head
            continue
        parts[target].append(Block(block.kind if block.kind != "box" else "para", text, block.rank))
    return status, to_markdown(parts["actions"]), to_markdown(parts["plan"])


def _compare_with_summary(ctx: ReportContext, drafts: list[Draft],
                          summary: dict[str, dict[str, int | None]], line: int) -> None:
    """Say where the items' own statuses disagree with the printed summary table."""
    for category, row in summary.items():
        items = [d.data for d in drafts if d.kind == "audits" and d.data["category"] == category]
        if not items and category == "계":
            items = [d.data for d in drafts if d.kind == "audits"]
        if not items:
            continue
        counted = {s: sum(i["status"] == s for i in items) for s in ctx.statuses}
        printed = {s: row.get(s) or 0 for s in counted}
        if len(items) != row.get("total") or counted != printed:
            ctx.warn(line, f"audit summary {category}: table says {row.get('total')} = "
                           + " / ".join(f"{s} {printed[s]}" for s in counted)
                           + f"; the items give {len(items)} = "
                           + " / ".join(f"{s} {counted[s]}" for s in counted))
