"""Report importer: the regular parts of a report's text → draft YAML records for an editor to review.

    summary = import_report(Path("reports/000_….txt"), "s000", Path("drafts"), data_dir=Path("data"))

It reads budget tables (summary and numbered, page-split ones), staffing tables, the administrative
audit tables and the numbered program narratives with their □ sub-sections. Every draft is valid
against its JSON Schema, carries `source: {doc, lines}`, keeps the report's text as printed, and
has a deterministic id `<doc>-draft-…`. What it could not read is listed in the summary's warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...config import PACKAGE_SCHEMAS
from ...kinds import Registry, load_registry
from .audits import import_audits
from .budget import import_budget_table, import_numbered_table, is_budget_table, is_numbered_table, read_columns
from .markup import spaceless
from .programs import ProgramRef, import_programs
from .records import Draft, ImportSummary, OrgIndex, ReportContext, summarize, write_drafts
from .sections import Outline
from .staffing import import_staffing, is_staffing_table
from .tables import TabBlock, find_blocks, parse_date, read_header

__all__ = ["ImportSummary", "import_report"]


def import_report(text_path: Path, doc_id: str, out_dir: Path, *, data_dir: Path | None = None,
                  registry: Registry | None = None) -> ImportSummary:
    """Write draft records for the report at text_path into out_dir/<kind>/<id>.yaml.

    doc_id is the report's `sources` id (s000 …). data_dir is the project's data folder: its orgs/
    turn printed unit names into org ids, and sources/<doc_id>.yaml gives the report's year, date
    and issuer. Without it, the data folder beside out_dir is used when there is one."""
    lines = [line.rstrip("\r") for line in text_path.read_text(encoding="utf-8").split("\n")]
    data_dir = data_dir if data_dir is not None else _default_data_dir(out_dir)
    meta = _source_meta(data_dir, doc_id)
    orgs = OrgIndex(data_dir / "orgs" if data_dir else None)
    year = meta.year or _guess_year(lines)
    report_date = meta.report_date or parse_date(" ".join(lines[:30]), year)
    registry = registry or load_registry([PACKAGE_SCHEMAS])
    ctx = ReportContext(doc_id, lines, year, report_date, orgs, meta.issuer, registry.statuses("audits"))
    if not orgs:
        ctx.warn(None, "no data/orgs found: organisation names are not linked")

    outline = Outline(lines)
    drafts, programs = import_programs(ctx, outline)
    blocks = find_blocks(lines)
    audit_drafts, used = import_audits(ctx, outline, blocks)
    drafts += audit_drafts
    drafts += _import_tables(ctx, outline, [b for b in blocks if b.start not in used], _finder(programs))
    _check_unique(drafts)

    files, removed = write_drafts(drafts, out_dir, doc_id)
    return summarize(doc_id, text_path, out_dir, drafts, ctx.warnings, files, removed)


def _import_tables(ctx: ReportContext, outline: Outline, blocks: list[TabBlock],
                   program_at: Callable[[int], ProgramRef | None]) -> list[Draft]:
    drafts: list[Draft] = []
    numbered: list[list[TabBlock]] = []
    for block in blocks:
        header = read_header(block.rows)
        columns = read_columns(header)
        if is_numbered_table(columns):
            if numbered and _continues(ctx.lines, numbered[-1][-1], block):
                numbered[-1].append(block)
            else:
                numbered.append([block])
        elif is_budget_table(columns):
            drafts += import_budget_table(ctx, outline, block, program_at)
        elif is_staffing_table(block):
            drafts.append(import_staffing(ctx, outline, block))
    for pages in numbered:
        drafts += import_numbered_table(ctx, outline, pages)
    return drafts


_BETWEEN_PAGES = re.compile(r"^\s*$|^\s*[(\[]?\s*단위|^\s*-\s*\d+\s*-\s*$")


def _continues(lines: list[str], previous: TabBlock, block: TabBlock) -> bool:
    """The next page of a numbered table: the same header, and nothing but blank lines and the
    repeated "(단위 : 백만원)" in between."""
    same_header = spaceless("".join(previous.rows[0].cells)) == spaceless("".join(block.rows[0].cells))
    between = lines[previous.end:block.start - 1]
    return same_header and all(_BETWEEN_PAGES.match(line) for line in between)


def _finder(programs: list[ProgramRef]) -> Callable[[int], ProgramRef | None]:
    def program_at(line: int) -> ProgramRef | None:
        inside = [p for p in programs if p.start <= line <= p.end]
        return min(inside, key=lambda p: p.end - p.start) if inside else None
    return program_at


def _check_unique(drafts: list[Draft]) -> None:
    seen: set[tuple[str, str]] = set()
    for draft in drafts:
        key = (draft.kind, draft.id)
        if key in seen:
            raise ValueError(f"two drafts with id {draft.id} ({draft.kind})")
        seen.add(key)


def _default_data_dir(out_dir: Path) -> Path | None:
    for candidate in (out_dir.resolve().parent / "data", Path.cwd() / "data"):
        if (candidate / "orgs").is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class _SourceMeta:
    """What data/sources/<doc>.yaml already says about the report."""

    year: int | None = None
    report_date: str | None = None
    issuer: str | None = None


def _source_meta(data_dir: Path | None, doc_id: str) -> _SourceMeta:
    path = data_dir / "sources" / f"{doc_id}.yaml" if data_dir else None
    if path is None or not path.is_file():
        return _SourceMeta()
    record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    year = record.get("year")
    return _SourceMeta(int(year) if year else None, str(record.get("report_date") or "") or None,
                       record.get("issuer") or None)


def _guess_year(lines: list[str]) -> int | None:
    """The report's year from its cover ("2020. 11.", "2021. 11. 04.")."""
    for line in lines[:40]:
        if m := re.search(r"(20\d\d)\s*[.년]", line):
            return int(m[1])
    return None
