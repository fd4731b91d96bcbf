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

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"line {line}: {message}" if line else message)

    def org_for(self, name: str, line: int, what: str) -> str | None:
        org = self.orgs.find(name, self.doc_id)
        if org is None and name:
            self.warn(line, f"{what} {name!r} matches no org in data/orgs")
        return org


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

    def __str__(self) -> str:
        lines = [f"{self.text_path.name} → {self.out_dir} as {self.doc_id}: "
                 + ", ".join(f"{n} {kind}" for kind, n in self.counts.items())]
        for section, counts in self.sections.items():
            lines.append(f"  {section}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
        if self.removed:
            lines.append(f"removed {len(self.removed)} drafts of an earlier import: "
                         + ", ".join(p.stem for p in self.removed))
        if self.warnings:
            lines.append(f"{len(self.warnings)} warnings:")
            lines += [f"  {w}" for w in self.warnings]
        return "\n".join(lines)


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
