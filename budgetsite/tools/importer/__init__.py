"""Report importer: what editors receive (text, HWPX, PDF, XLSX/CSV) → draft YAML records for an
editor to review, and a report of everything it saw.

    summary = import_report(Path("2024 세출예산.hwpx"), "s005", Path("drafts"), data_dir=Path("data"))
    print(summary)                   # every table and section: imported as what, or skipped and why

It reads budget tables by the meaning of their columns (any order, multi-row headers, units per
column, years as columns), staffing tables, the administrative audit tables and the numbered program
narratives with their □ sub-sections. Every draft carries `source: {doc, lines}` into the report's
text (stored as drafts/reports/<doc>.txt for a new report, with a drafted `sources` record), keeps
the printed text and figures, and has a deterministic id `<doc>-draft-…`. Each budget table is
checked before it is written (rows against the printed total, rates against budget and spent, the
same row printed twice), and no draft is written without a year.

`draft_records` makes the drafts of one document; `DraftHook`s passed to `import_report` see each
drafted record before anything is written (so a later step, such as cross-year series, can add to
it or propose links).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...config import PACKAGE_SCHEMAS
from ...kinds import Registry, load_registry
from .audits import import_audits
from .budget import import_budget_table, import_numbered_table, is_budget_table, is_numbered_table
from .checks import check_budget_drafts
from .columns import read_columns
from .markup import spaceless
from .programs import ProgramRef, import_programs
from .readers import Document, ReadError, read_document
from .records import Draft, ImportSummary, OrgIndex, ReportContext, summarize, write_drafts
from .report import SectionEntry, TableEntry
from .sections import Outline
from .sources import draft_source, guess_year
from .staffing import import_staffing, is_staffing_table
from .tables import MONEY_UNITS, TabBlock, find_blocks, parse_date, read_header, table_context
from .yearly import import_years_across, is_years_across

__all__ = ["DraftHook", "ImportRefused", "ImportSummary", "ReadError", "YearMissing", "draft_records",
           "import_report", "valid_doc_id"]

DraftHook = Callable[[Draft, ReportContext], None]
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ImportRefused(ValueError):
    """An import that must not run as asked (an id that is not an id, an output folder that is an input)."""


class YearMissing(ImportRefused):
    """No year in the document's title or date, and none given: the editor must say it (--year)."""

    def __init__(self, lines: list[int]) -> None:
        shown = ", ".join(str(n) for n in sorted(set(lines))[:8])
        super().__init__(f"the report prints no year in its title or date, and records at lines {shown} need "
                         "one: give it with --year (e.g. --year 2024)")
        self.lines = lines


def valid_doc_id(doc_id: str) -> str:
    if not _ID.fullmatch(doc_id) or len(doc_id) > 60:
        raise ImportRefused(f"--doc {doc_id!r} is not a record id: use lowercase letters, digits and hyphens, "
                            "e.g. s005")
    return doc_id


@dataclass
class Drafted:
    """What one document gave: its drafts and what the report says about it."""

    drafts: list[Draft]
    tables: list[TableEntry] = field(default_factory=list)
    sections: list[SectionEntry] = field(default_factory=list)


def import_report(text_path: Path, doc_id: str, out_dir: Path, *, data_dir: Path | None = None,
                  registry: Registry | None = None, year: int | None = None, dry_run: bool = False,
                  hooks: Sequence[DraftHook] = ()) -> ImportSummary:
    """Draft records for the report at text_path (any format read_document reads) into
    out_dir/<kind>/<id>.yaml, with its import report.

    doc_id is the report's `sources` id (s000 …). data_dir is the project's data folder: its orgs/
    turn printed unit names into org ids, and sources/<doc_id>.yaml, when there is one, gives the
    report's year, date and issuer; without one a `sources` record is drafted and the report's text
    stored as out_dir/reports/<doc_id>.txt. year overrides the year found in the document. With
    dry_run nothing is written. Raises ReadError, ImportRefused or YearMissing."""
    valid_doc_id(doc_id)
    document = read_document(text_path)
    data_dir = data_dir if data_dir is not None else _default_data_dir(out_dir)
    registry = registry or load_registry([PACKAGE_SCHEMAS])
    meta = _source_meta(data_dir, doc_id)
    lines = document.lines
    assumptions = list(document.notes)
    found_year, year_line = guess_year(lines)
    if year is not None:
        report_year: int | None = year
        assumptions.append(f"year {year} as given with --year"
                           + (f" (the document says {found_year}, line {year_line})" if found_year not in (None, year)
                              else ""))
    elif meta.year:
        report_year = meta.year
    else:
        report_year = found_year
        if found_year is not None:
            assumptions.append(f"year {found_year} from line {year_line}: {lines[year_line - 1].strip()[:60]!r}"
                               if year_line else f"year {found_year}")
    report_date = meta.report_date or parse_date(" ".join(lines[:30]), report_year)
    orgs = OrgIndex(data_dir / "orgs" if data_dir else None)
    ctx = ReportContext(doc_id, lines, report_year, report_date, orgs, meta.issuer, registry.statuses("audits"))
    if not orgs:
        ctx.warn(None, "no data/orgs found: organisation names are not linked")

    drafted = draft_records(ctx, document)
    drafts = drafted.drafts
    if ctx.year_needed:
        raise YearMissing(ctx.year_needed)
    for hook in hooks:
        for draft in drafts:
            hook(draft, ctx)
    check_budget_drafts(ctx, drafts)
    source_draft = None
    if drafts:  # a report that gives no record gets no sources or org drafts either
        if not meta.exists:
            source_draft = draft_source(ctx, document, text_path, registry, assumptions)
        drafts += ctx.org_drafts(registry, _jurisdiction(source_draft))
        if source_draft is not None:
            drafts.insert(0, source_draft)
    _check_unique(drafts)
    invalid = _validate(drafts, registry)
    by_error: dict[str, list[str]] = {}
    for draft_id_, errors in invalid.items():
        by_error.setdefault("; ".join(errors[:3]), []).append(draft_id_)
    for errors_text, ids in by_error.items():
        shown = ", ".join(ids[:4]) + (" …" if len(ids) > 4 else "")
        ctx.warn(None, f"{len(ids)} draft(s) do not validate yet ({shown}): {errors_text}")

    files: list[Path] = []
    removed: list[Path] = []
    stored_text = None
    if not dry_run and drafts:
        files, removed = write_drafts(drafts, out_dir, doc_id)
        if source_draft is not None:
            stored_text = out_dir / "reports" / f"{doc_id}.txt"
            stored_text.parent.mkdir(parents=True, exist_ok=True)
            stored_text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = summarize(doc_id, text_path, out_dir, drafts, ctx.warnings, files, removed)
    summary.document_format = document.format
    summary.encoding = document.encoding
    summary.tables = drafted.tables
    summary.sections = {s.heading: dict(sorted(s.kinds.items())) for s in drafted.sections if s.kinds} \
        if not summary.sections else summary.sections
    summary.assumptions = assumptions + ctx.assumptions
    summary.org_mapping = dict(ctx.org_mapping)
    summary.year = report_year
    summary.stored_text = stored_text
    summary.dry_run = dry_run
    summary.drafts = drafts
    if not dry_run and drafts:
        summary.report_path = out_dir / f"{doc_id}-import-report.txt"
        summary.report_path.write_text(str(summary) + "\n", encoding="utf-8")
    return summary


def draft_records(ctx: ReportContext, document: Document) -> Drafted:
    """Every draft record of one document, and the report's entry for each table."""
    lines = ctx.lines
    outline = Outline(lines)
    drafts, programs = import_programs(ctx, outline)
    blocks = find_blocks(lines)
    audit_drafts, used = import_audits(ctx, outline, blocks)
    drafts += audit_drafts
    entries: list[TableEntry] = []
    for block in blocks:
        if block.start in used:
            entry = _entry(ctx, document, block, None)
            entry.what = "audit table"
            entries.append(entry)
    table_drafts, table_entries = _import_tables(ctx, outline, [b for b in blocks if b.start not in used],
                                                 _finder(programs), document)
    drafts += table_drafts
    entries += table_entries
    for entry in entries:
        entry.kinds.update(d.kind for d in drafts if _starts_in(d, entry.start, entry.end))
    entries.sort(key=lambda e: e.start)
    sections: dict[int, SectionEntry] = {}
    for draft in drafts:
        start = int(str(draft.data["source"]["lines"]).split("-")[0])
        part = outline.part_at(start)
        key = part.start if part else 0
        section = sections.setdefault(key, SectionEntry(key, draft.section or "(before the first heading)"))
        section.kinds[draft.kind] += 1
    return Drafted(drafts, entries, [sections[k] for k in sorted(sections)])


def _starts_in(draft: Draft, start: int, end: int) -> bool:
    first = int(str(draft.data["source"]["lines"]).split("-")[0])
    return start <= first <= end


def _entry(ctx: ReportContext, document: Document, block: TabBlock, title: str | None) -> TableEntry:
    origin = document.origin_at(block.start)
    return TableEntry(block.start, block.end, title, origin.how if origin else None)


def _import_tables(ctx: ReportContext, outline: Outline, blocks: list[TabBlock],
                   program_at: Callable[[int], ProgramRef | None],
                   document: Document) -> tuple[list[Draft], list[TableEntry]]:
    drafts: list[Draft] = []
    entries: list[TableEntry] = []
    numbered: list[list[TabBlock]] = []
    numbered_entries: list[TableEntry] = []
    for block in blocks:
        header = read_header(block.rows)
        columns = read_columns(header, block.rows[header.rows:])
        context = table_context(ctx.lines, block, block.end, ctx.year, header)
        entry = _entry(ctx, document, block, context.title)
        entry.unplaced = [f"column {columns.names[i]!r}: {why}" for i, why in sorted(columns.unplaced.items())]
        if context.units and context.units.mixed:
            entry.assumptions.append(f"unit statement at line {context.unit_line} names "
                                     f"{', '.join((context.units.money or '', *context.units.others))}: "
                                     f"money columns in {context.units.money}, count columns in "
                                     f"{'/'.join(u for u in context.units.others if u != '%')}")
        entries.append(entry)
        warnings_before = len(ctx.warnings)
        if is_numbered_table(columns):
            if numbered and _continues(ctx.lines, numbered[-1][-1], block):
                numbered[-1].append(block)
                numbered_entries[-1].end = block.end
                entries.pop()
            else:
                numbered.append([block])
                numbered_entries.append(entry)
                entry.what = "numbered budget lines"
            continue
        if is_years_across(header, columns, block):
            entry.what = "years as columns, one record per year"
            if context.unit is None:
                entry.skipped = "years as columns, but no unit (단위) printed above or in the table"
                continue
            found, rows_unplaced = import_years_across(ctx, outline, block, header, columns, context)
            entry.unplaced += rows_unplaced
            if not found:
                entry.skipped = "years as columns, but no row names a budget figure"
            drafts += found
        elif is_budget_table(columns, money_unit=context.unit is not None or (columns.first >= 1 and bool(
                set(columns.units.values()) & set(MONEY_UNITS)))):  # rows with names, units in the headers
            entry.what = "budget table"
            found = import_budget_table(ctx, outline, block, program_at)
            if not found:
                entry.skipped = _last_warning(ctx, warnings_before) or "no row with figures"
            drafts += found
        elif is_staffing_table(block):
            entry.what = "staffing table"
            drafts.append(import_staffing(ctx, outline, block))
        else:
            entry.skipped = _why_not(columns, context.unit)
    for pages, entry in zip(numbered, numbered_entries, strict=True):
        found = import_numbered_table(ctx, outline, pages)
        if not found:
            entry.skipped = "numbered budget table without a printed unit (단위)"
        drafts += found
    return drafts, entries


def _last_warning(ctx: ReportContext, since: int) -> str | None:
    return ctx.warnings[-1].split(": ", 1)[-1] if len(ctx.warnings) > since else None


def _why_not(columns: Any, unit: str | None) -> str:
    names = ", ".join(repr(n) for n in columns.names if n)
    if columns.fields.get("budget") is not None and unit is None:
        return f"a budget column but no money unit (단위) printed near the table; columns {names}"
    if not columns.fields and not columns.years:
        return f"no budget, staffing or audit columns (columns {names})"
    placed = ", ".join(sorted(k for k in columns.fields if k not in ("number", "overview", "progress", "plan")))
    return f"no budget column among its figures ({placed or 'none placed'}; columns {names})"


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


def _jurisdiction(source_draft: Draft | None) -> str | None:
    return source_draft.data.get("jurisdiction") if source_draft is not None else None


def _validate(drafts: list[Draft], registry: Registry) -> dict[str, list[str]]:
    from ...validate.schema import validators
    checkers = validators(registry)
    invalid: dict[str, list[str]] = {}
    for draft in drafts:
        checker = checkers.get(draft.kind)
        if checker is None:
            invalid[draft.id] = [f"no record kind {draft.kind!r} in the schemas"]
            continue
        errors = [f"{'.'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
                  for e in checker.iter_errors(draft.data)]
        if errors:
            invalid[draft.id] = errors
    return invalid


def _default_data_dir(out_dir: Path) -> Path | None:
    for candidate in (out_dir.resolve().parent / "data", Path.cwd() / "data"):
        if (candidate / "orgs").is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class _SourceMeta:
    """What data/sources/<doc>.yaml already says about the report."""

    exists: bool = False
    year: int | None = None
    report_date: str | None = None
    issuer: str | None = None


def _source_meta(data_dir: Path | None, doc_id: str) -> _SourceMeta:
    path = data_dir / "sources" / f"{doc_id}.yaml" if data_dir else None
    if path is None or not path.is_file():
        return _SourceMeta()
    record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    year = record.get("year")
    return _SourceMeta(True, int(year) if year else None, str(record.get("report_date") or "") or None,
                       record.get("issuer") or None)


def kinds_of(drafts: list[Draft]) -> Counter[str]:
    return Counter(d.kind for d in drafts)
