"""Draft records: what the importer found, how it names them, where it writes them, and the summary
it hands back to the editor."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .markup import spaceless


@dataclass
class Draft:
    kind: str  # the data folder: budget, audits, staffing, programs, audit-summaries
    id: str
    data: dict[str, Any]  # fields in the order they are written
    section: str  # the report section it came from, for the summary


def draft_id(doc_id: str, *parts: object) -> str:
    """`<doc>-draft-<parts>`: deterministic (line numbers and printed numbers only), lowercase ASCII,
    so an editor can rename it to a real id when the record moves into data/."""
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts)
    return re.sub(r"-+", "-", f"{doc_id}-draft-{slug}").strip("-")


def source(doc_id: str, start: int, end: int, section: str | None = None) -> dict[str, str]:
    lines = str(start) if start == end else f"{start}-{end}"
    result = {"doc": doc_id, "lines": lines}
    if section:
        result["section"] = section
    return result


@dataclass
class ReportContext:
    """The report being imported, and what the project already knows about its organisations."""

    doc_id: str
    lines: list[str]
    year: int | None
    report_date: str | None
    orgs: OrgIndex
    issuer: str | None
    statuses: tuple[str, ...] = ()  # an audit item's allowed statuses (the registry's), in order
    warnings: list[str] = field(default_factory=list)
    year_needed: list[int] = field(default_factory=list)  # lines whose records need the report's year
    org_mapping: dict[str, str] = field(default_factory=dict)  # printed unit name → org id
    new_orgs: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # name → (draft id, name, line)
    assumptions: list[str] = field(default_factory=list)

    def need_year(self, line: int) -> int:
        """The report's year for a record drafted at `line`. Without one, the line is noted and 0
        returned: the import then stops and asks for --year, so no draft is written with year 0."""
        if self.year is not None:
            return self.year
        self.year_needed.append(line)
        return 0

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"line {line}: {message}" if line else message)

    def org_for(self, name: str, line: int, what: str) -> str | None:
        org = self.orgs.find(name, self.doc_id)
        if org is None and name:
            self.warn(line, f"{what} {name!r} matches no org in data/orgs")
        return org

    def org_or_new(self, name: str, line: int) -> str:
        """The org id for a printed unit name: an existing org, else a drafted new one (the same
        name always gives the same draft). Every name is listed in the report's org mapping."""
        name = " ".join(name.split())
        if (org := self.orgs.find(name, self.doc_id)) is not None:
            self.org_mapping.setdefault(name, org)
            return org
        key = spaceless(name)
        if key not in self.new_orgs:
            self.new_orgs[key] = (draft_id(self.doc_id, "org", len(self.new_orgs) + 1), name, line)
        org_id = self.new_orgs[key][0]
        self.org_mapping.setdefault(name, f"{org_id} (new, drafted)")
        return org_id

    def org_drafts(self, registry: Any, jurisdiction: str | None) -> list[Draft]:
        """A draft `orgs` record for every printed unit name that matched no existing org."""
        drafts = []
        for org_id, name, line in self.new_orgs.values():
            data: dict[str, Any] = {"id": org_id, "source": source(self.doc_id, line, line), "name": name,
                                    "type": org_type(name), "jurisdiction": jurisdiction or "",
                                    "appearances": [{"doc": self.doc_id, "name": name, "lines": str(line)}],
                                    "notes": ["가져오기 도구가 만든 새 조직 초안입니다. 기존 조직과 같은 곳이면 "
                                              "이 파일을 지우고 기존 id를 쓰세요 (기존 조직의 name_variants에 "
                                              "이 이름을 더하면 다음 가져오기부터 "
                                              "연결됩니다)."]}
            if not jurisdiction:
                self.warn(line, f"new org {name!r}: no jurisdiction found in the report; fill it in {org_id}")
            drafts.append(Draft("orgs", org_id, data, "조직"))
        return drafts


_ORG_TYPES = ("담당관", "추진단", "기획단", "사업소", "본부", "센터", "실", "국", "과", "팀", "단", "반", "의회")
ORG_NAME = re.compile(r"^[가-힣]{2,}(?:담당관|추진단|기획단|사업소|본부|센터|실|국|과|팀|반)$")


def org_type(name: str) -> str:
    for suffix in _ORG_TYPES:
        if spaceless(name).endswith(suffix):
            return suffix
    return "기관"


class OrgIndex:
    """Organisation names (with spaces removed) → org ids, from data/orgs/*.yaml: the name, its
    variants and the names it appears under in each report."""

    def __init__(self, orgs_dir: Path | None) -> None:
        self._by_name: dict[str, list[tuple[str, set[str]]]] = {}
        if orgs_dir is None or not orgs_dir.is_dir():
            return
        for path in sorted(orgs_dir.glob("*.yaml")):
            record = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            org_id = record.get("id") or path.stem
            docs = {a.get("doc", "") for a in record.get("appearances") or []}
            names = [record.get("name", ""), *(record.get("name_variants") or []),
                     *(a.get("name", "") for a in record.get("appearances") or [])]
            for name in {spaceless(n) for n in names if n}:
                self._by_name.setdefault(name, []).append((org_id, docs))

    def __bool__(self) -> bool:
        return bool(self._by_name)

    def find(self, name: str, doc_id: str) -> str | None:
        candidates = self._by_name.get(spaceless(name), [])
        if len(candidates) > 1:
            # The same name in two reports can be two units: prefer the one seen in this report.
            in_doc = [org for org, docs in candidates if doc_id in docs]
            if len(in_doc) == 1:
                return in_doc[0]
            return None
        return candidates[0][0] if candidates else None

    def trailing(self, text: str, doc_id: str) -> tuple[str, str] | None:
        """An org name printed at the end of a heading ("… 추진 사회적경제정책팀") → (id, name)."""
        words = text.split()
        for n in (1, 2):
            if len(words) > n:
                name = " ".join(words[-n:])
                if (org := self.find(name, doc_id)) is not None:
                    return org, name
        return None


@dataclass
class ImportSummary:
    doc_id: str
    text_path: Path
    out_dir: Path
    counts: dict[str, int]  # kind → records written
    sections: dict[str, dict[str, int]]  # report section → kind → records
    warnings: list[str]
    files: list[Path]  # written
    removed: list[Path] = field(default_factory=list)  # drafts of an earlier import no longer made
    document_format: str = "text"
    encoding: str | None = None
    tables: list[Any] = field(default_factory=list)  # report.TableEntry, in printed order
    assumptions: list[str] = field(default_factory=list)
    org_mapping: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    stored_text: Path | None = None
    report_path: Path | None = None
    dry_run: bool = False
    drafts: list[Draft] = field(default_factory=list)  # every draft, also when nothing was written

    @property
    def drafted(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        fmt = self.document_format + (f", {self.encoding}" if self.encoding else "")
        target = "nothing written (--dry-run)" if self.dry_run else str(self.out_dir)
        lines = [f"{self.text_path.name} ({fmt}) → {target} as {self.doc_id}: "
                 + (", ".join(f"{n} {kind}" for kind, n in self.counts.items()) or "no records")]
        if self.year is not None:
            lines.append(f"year: {self.year}")
        if self.stored_text is not None:
            lines.append(f"report text: {self.stored_text} (source lines refer to it; it goes to reports/)")
        if self.sections:
            lines.append("sections:")
            for section, counts in self.sections.items():
                made = ", ".join(f"{n} {kind}" for kind, n in counts.items())
                lines.append(f"  {section or '(no heading)'}: {made}")
        if self.tables:
            lines.append(f"tables ({len(self.tables)}):")
            lines += ["  " + t.describe().replace("\n", "\n  ") for t in self.tables]
        if self.org_mapping:
            lines.append("organisations:")
            lines += [f"  {name} → {org}" for name, org in self.org_mapping.items()]
        if self.assumptions:
            lines.append("assumed:")
            lines += [f"  {a}" for a in self.assumptions]
        if self.removed:
            lines.append(f"removed {len(self.removed)} drafts of an earlier import: "
                         + ", ".join(p.stem for p in self.removed))
        if self.warnings:
            lines.append(f"{len(self.warnings)} warnings:")
            lines += [f"  {w}" for w in self.warnings]
        if not self.counts:
            lines.append("nothing drafted: " + self.why_nothing())
        return "\n".join(lines)

    def why_nothing(self) -> str:
        if not self.tables:
            return ("no table and no numbered program found in the document (is it the report itself, and are "
                    "its tables real tables, not pictures?)")
        return f"none of its {len(self.tables)} table(s) could be read as budget, staffing or audit records (see above)"


class _DraftDumper(yaml.SafeDumper):
    """Safe YAML with multi-line text as literal blocks, so an editor reads lists as lists."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DraftDumper.add_representer(str, _represent_str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_DraftDumper, allow_unicode=True, sort_keys=False, width=120)


def write_drafts(drafts: list[Draft], out_dir: Path, doc_id: str) -> tuple[list[Path], list[Path]]:
    """Write every draft; remove this report's drafts of an earlier import that this one no longer
    makes, so a folder always holds exactly one import. Only `<doc>-draft-*` files are touched:
    curated records never carry "-draft-" in their id."""
    written: list[Path] = []
    for draft in drafts:
        path = out_dir / draft.kind / f"{draft.id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(draft.data), encoding="utf-8")
        written.append(path)
    keep = set(written)
    stale = sorted(p for p in out_dir.glob(f"*/{doc_id}-draft-*.yaml") if p not in keep)
    for path in stale:
        path.unlink()
    return written, stale


def summarize(doc_id: str, text_path: Path, out_dir: Path, drafts: list[Draft], warnings: list[str],
              files: list[Path], removed: list[Path]) -> ImportSummary:
    counts = Counter(d.kind for d in drafts)
    sections: dict[str, Counter[str]] = {}
    for d in drafts:
        sections.setdefault(d.section, Counter())[d.kind] += 1
    return ImportSummary(doc_id, text_path, out_dir, dict(sorted(counts.items())),
                         {s: dict(sorted(c.items())) for s, c in sections.items()}, warnings, files, removed)
