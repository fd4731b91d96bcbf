"""`build.py diff BASE`: what a change does to the site, for reviewers — which records and figures
changed, and which pages show them."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from ..config import SiteConfig
from ..kinds import registry_for
from ..load.records import load_records
from ..model import Site, build_site
from ..validate import record_refs

LABELS = {"budget": "예산현액", "obligated": "원인행위액", "spent": "지출액", "forecast": "연말 예상",
          "planned": "소요예산", "prior_budget": "전년도 예산", "rate_stated": "집행률(보고서)",
          "status": "추진상황", "name": "이름", "org": "담당 조직", "title": "제목"}


@dataclass
class RecordDiff:
    id: str
    kind: str
    title: str
    status: str  # added | removed | changed
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)
    pages: list[str] = field(default_factory=list)


def _flatten(value: object, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}{i}."))
        return out
    return {prefix.rstrip("."): "" if value is None else str(value)}


def _fmt(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value if len(value) <= 60 else value[:57] + "…"
    return f"{number:,.0f}" if number == int(number) else f"{number:,}"


def _export(root: Path, rev: str, dest: Path, folder: str) -> None:
    """The data folder as it was at `rev`."""
    proc = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", rev, folder],
                          capture_output=True, timeout=120)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.decode(errors="replace").strip() or f"unknown revision {rev}")
    with tarfile.open(fileobj=BytesIO(proc.stdout)) as tar:
        tar.extractall(dest, filter="data")


def _pages(site: Site, rid: str) -> list[str]:
    """Pages that show a record: its own first, then the records it names (any link the registry
    of kinds knows, nested ones such as its report included), its kind's index, and the pages of
    the records that name it."""
    rec = site.get(rid)
    if rec is None:
        return []
    named = [target for _, _, target in record_refs(rec.raw, site.kinds)]
    first = [rec.url] + [site.records[i].url for i in named if i in site.records]
    naming = {other.url for other in site.records.values()
              if any(target == rid for _, _, target in record_refs(other.raw, site.kinds))}
    return list(dict.fromkeys([*first, f"{rec.kind}/", *sorted(naming - {rec.url})]))


def diff(config: SiteConfig, base: str) -> list[RecordDiff]:
    root = config.root
    folder = config.data_dir.relative_to(root).as_posix()
    with tempfile.TemporaryDirectory() as tmp:
        _export(root, base, Path(tmp), folder)
        old_raw, _ = load_records(Path(tmp), Path(tmp) / folder)
    new_raw, _ = load_records(root, config.data_dir)
    registry = registry_for(config)
    old = {r.data.get("id"): r for r in old_raw}
    new = {r.data.get("id"): r for r in new_raw}
    try:
        site = build_site([r for r in new_raw if isinstance(r.data.get("id"), str)], registry)
    except (KeyError, TypeError):
        site = None  # the change does not validate yet: list records without their pages
    out: list[RecordDiff] = []
    for rid in sorted(set(old) | set(new), key=str):
        a, b = old.get(rid), new.get(rid)
        if a and b and a.data == b.data:
            continue
        rec = b or a
        assert rec is not None
        title = str(rec.data.get("name") or rec.data.get("title") or rec.data.get("request") or rid)[:60]
        status = "added" if a is None else "removed" if b is None else "changed"
        d = RecordDiff(str(rid), rec.kind, title, status)
        if a and b:
            fa, fb = _flatten(a.data), _flatten(b.data)
            for key in sorted(set(fa) | set(fb)):
                if fa.get(key) != fb.get(key):
                    d.fields.append((key, fa.get(key, "–"), fb.get(key, "–")))
        if site and b:
            d.pages = _pages(site, str(rid))
        out.append(d)
    return out


def as_markdown(diffs: list[RecordDiff], base_url: str = "/") -> str:
    if not diffs:
        return "데이터 변경 없음 (no data changes)\n"
    words = {"added": "추가", "removed": "삭제", "changed": "변경"}
    lines = [f"### 데이터 변경 {len(diffs)}건", ""]
    for d in diffs:
        lines.append(f"- **{words[d.status]}** `{d.kind}/{d.id}` {d.title}")
        for key, before, after in d.fields[:20]:
            label = LABELS.get(key.split(".")[0], key)
            if key.split(".")[0] in LABELS and "." in key:
                label = f"{label} ({key})"
            lines.append(f"  - {label}: {_fmt(before)} → {_fmt(after)}")
        if len(d.fields) > 20:
            lines.append(f"  - … 외 {len(d.fields) - 20}개 항목")
        if d.pages:
            lines.append("  - 페이지: " + ", ".join(f"{base_url}{p}" for p in d.pages[:12])
                         + (f" 외 {len(d.pages) - 12}쪽" if len(d.pages) > 12 else ""))
    return "\n".join(lines) + "\n"
