"""A synthetic budget portal of any size, made of real Korean text, for benchmarks.

    python benchmarks/generate.py --records 55500 --out /tmp/bench-55500

writes a complete project folder (site_config.yaml, schema/, themes/, content/, reports/, data/)
that `python build.py validate --root DIR` accepts. Records are split like the portal of a large
city: 10,000 programs : 40,000 budget lines : 5,000 audit items : 500 org units, scaled by
N / 55,500, plus one source report per 1,850 records (at least two).

Every text is made of sentences of the bundled reports (reports/*.txt) and of the real records'
names, so pages, Markdown and the bigram search index see real Korean. Links are the real shape:
an org tree (city and district → bureaus → divisions → teams), reports issued by bureaus, programs
owned by divisions with sub-programs and predecessors of the year before, budget tables (총계 →
부서 → 단위사업 → 세부사업) whose detail lines name their programs, and audit items naming an org
and programs. Amounts add up, except a few on purpose (a sum, a rate, a change), so the
reconciliation checks and the charts have work. The output depends only on N (fixed seed).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FULL = 55_500
SHARES = {"programs": 10_000, "budget": 40_000, "audits": 5_000, "orgs": 500}
RECORDS_PER_SOURCE = 1_850  # 30 reports at full size
SEED = 20_261_122
YEARS = (2019, 2020, 2021)

STATUSES = (("추진완료", 45), ("추진 중", 35), ("검토 중", 12), ("미반영", 8))
CATEGORIES = (("시정·처리요구사항", 45), ("건의사항", 45), ("기타(자료제출 등)", 10))
STAGES = ("실적", "계획", "신규·중점")
SECTION_HEADINGS = ("사업개요", "추진경과", "추진실적", "추진실적 및 계획", "향후계획", "추진방향",
                    "문제점 및 개선방안")
UNITS = ("백만원", "백만원", "백만원", "천원")
ACCOUNTS = ("일반회계", "일반회계", "일반회계", "중소기업육성기금", "도시개발특별회계")
TOPICS = ("노동", "일자리", "소상공인", "공정경제", "사회적경제", "민생", "관광", "산업", "투자", "창업", "청년",
          "경제", "상권", "전통시장", "도시제조업", "협치", "지역경제", "고용", "디지털", "문화", "복지", "안전",
          "환경", "교통", "주택", "보건", "교육", "여성", "가족", "재정", "세무", "감사", "홍보", "기획")
ORG_KINDS = {"bureau": ("실", "본부", "국"), "division": ("과", "담당관", "과"), "team": ("팀",)}


# ---- text taken from the reports ----------------------------------------------------------

_MARKER = re.compile(r"^[\s\-□○◦•※·*#>〈<]*((\d+|[①-⑳]|[IVX]+)[.)]?\s+)?")
_HANGUL = re.compile(r"[가-힣]")
_HEADING = re.compile(r"^\s*(\d+|[①-⑳])\s+\S")


@dataclass
class Texts:
    """Sentences of the bundled reports, sorted by length for the kind of field they fill."""
    names: list[str]  # short: record names
    bullets: list[str]  # one Markdown list item each
    sentences: list[str]  # longer: requests, summaries
    org_names: list[str]
    line_counts: dict[str, int]  # report file → number of lines

    @classmethod
    def load(cls, root: Path) -> Texts:
        bullets: list[str] = []
        names: set[str] = set()
        line_counts: dict[str, int] = {}
        for path in sorted((root / "reports").glob("*.txt")):
            lines = path.read_text(encoding="utf-8").splitlines()
            line_counts[path.name] = len(lines)
            for raw in lines:
                text = _MARKER.sub("", raw).replace("**", "").strip()
                if not _HANGUL.search(text) or "|" in text or text.startswith(("<", "〈")):
                    continue
                if _HEADING.match(raw) and 6 <= len(text) <= 40:  # numbered items: program names
                    names.add(text.strip(" :"))
                if 12 <= len(text) <= 160:
                    bullets.append(text)
        org_names: set[str] = set()
        for kind in ("programs", "budget"):
            for path in sorted((root / "data" / kind).glob("*.yaml")):
                m = re.search(r"^name: (.+)$", path.read_text(encoding="utf-8"), re.M)
                if m and _HANGUL.search(m.group(1)):
                    names.add(m.group(1).strip("'\""))
        for path in sorted((root / "data" / "orgs").glob("*.yaml")):
            m = re.search(r"^name: (.+)$", path.read_text(encoding="utf-8"), re.M)
            if m:
                org_names.add(m.group(1))
        sentences = [b for b in bullets if len(b) >= 40]
        return cls(sorted(names), bullets, sentences, sorted(org_names), line_counts)


# ---- the records ----------------------------------------------------------------------------

@dataclass
class Org:
    id: str
    name: str
    type: str
    jurisdiction: str
    parent: str | None
    level: str  # root, bureau, division, team
    children: list[Org] = field(default_factory=list)


@dataclass
class Source:
    id: str
    bureau: Org
    year: int
    file: str
    lines: int
    divisions: list[Org]


class Generator:
    def __init__(self, records: int, texts: Texts, seed: int = SEED):
        self.rng = random.Random(seed + records)
        self.t = texts
        scale = records / FULL
        self.counts = {k: max(2 if k != "orgs" else 8, round(v * scale)) for k, v in SHARES.items()}
        self.n_sources = max(2, round(records / RECORDS_PER_SOURCE))
        self.files: dict[str, dict] = {}  # "kind/id" → record

    # -- helpers
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, pairs) -> str:
        return self.rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]

    def lines(self, src: Source, span: int = 1) -> str:
        first = self.rng.randrange(1, max(2, src.lines - span))
        return str(first) if span <= 1 else f"{first}-{min(src.lines, first + span)}"

    def body(self, lo: int = 2, hi: int = 7) -> str:
        items = [f"- {self.pick(self.t.bullets)}" for _ in range(self.rng.randint(lo, hi))]
        if self.rng.random() < 0.3:  # a nested item, as the reports indent details
            items.insert(1, f"  - {self.pick(self.t.bullets)}")
        return "\n".join(items)

    def add(self, kind: str, rec: dict) -> None:
        self.files[f"{kind}/{rec['id']}"] = rec

    # -- orgs: city and district, bureaus, divisions, teams
    def orgs(self) -> list[Org]:
        total = self.counts["orgs"]
        roots = [Org("seoul", "서울특별시", "시", "서울특별시", None, "root"),
                 Org("ydp", "영등포구", "구", "영등포구", None, "root")]
        bureaus_n = max(2, min(self.n_sources, (total - 2) // 8))
        rest = total - 2 - bureaus_n
        divisions_n = max(bureaus_n, rest // 6)
        teams_n = rest - divisions_n
        out = list(roots)
        bureaus = []
        for i in range(bureaus_n):
            root = roots[1] if i % 4 == 3 else roots[0]
            topic = TOPICS[i % len(TOPICS)]
            typ = "국" if root.id == "ydp" else self.pick(ORG_KINDS["bureau"])
            name = f"{topic}{'정책' if i >= len(TOPICS) else ''}{typ}" if typ != "본부" else f"{topic}본부"
            b = Org(f"bureau-{i:03d}", name, typ, root.jurisdiction, root.id, "bureau")
            bureaus.append(b)
            root.children.append(b)
        divisions = []
        for i in range(divisions_n):
            b = bureaus[i % bureaus_n]
            typ = self.pick(ORG_KINDS["division"])
            topic = self.pick(TOPICS)
            name = f"{topic}{self.pick(('정책', '지원', '기획', '협력', '진흥', ''))}{typ}"
            d = Org(f"div-{i:04d}", name, typ, b.jurisdiction, b.id, "division")
            divisions.append(d)
            b.children.append(d)
        for i in range(teams_n):
            d = divisions[i % divisions_n]
            name = f"{self.pick(TOPICS)}{self.pick(('기획', '지원', '운영', '관리', '사업', '조사'))}팀"
            team = Org(f"team-{i:05d}", name, "팀", d.jurisdiction, d.id, "team")
            d.children.append(team)
        out += bureaus + divisions + [t for d in divisions for t in d.children]
        return out

    def org_records(self, orgs: list[Org], sources: list[Source]) -> None:
        by_bureau_source = {}
        for s in sources:
            by_bureau_source.setdefault(s.bureau.id, s)
        first = sources[0]
        for order, o in enumerate(orgs):
            bureau_id = o.id if o.level == "bureau" else None
            src = by_bureau_source.get(bureau_id or "", first)
            rec: dict = {"id": o.id, "name": o.name, "type": o.type}
            if o.parent:
                rec["parent"] = o.parent
            rec["jurisdiction"] = o.jurisdiction
            rec["source"] = {"doc": src.id, "lines": self.lines(src)}
            rec["order"] = order
            if o.level in ("bureau", "division"):
                rec["functions"] = [{"doc": src.id, "lines": self.lines(src),
                                     "items": [self.pick(self.t.bullets) for _ in range(self.rng.randint(2, 5))]}]
            if o.level == "division" and self.rng.random() < 0.15:
                rec["name_variants"] = [self.pick(self.t.org_names)]
            self.add("orgs", rec)

    # -- sources: one report per bureau and year
    def sources(self, bureaus: list[Org]) -> list[Source]:
        out = []
        files = sorted(self.t.line_counts)
        for i in range(self.n_sources):
            bureau = bureaus[(i // len(YEARS)) % len(bureaus)]
            year = YEARS[i % len(YEARS)]
            file = files[i % len(files)]
            divisions = [c for c in bureau.children if c.level == "division"] or [bureau]
            src = Source(f"s{100 + i}", bureau, year, file, self.t.line_counts[file], divisions)
            out.append(src)
            month = self.rng.randint(2, 11)
            self.add("sources", {
                "id": src.id, "title": f"{year} {bureau.name} 주요업무보고", "file": file, "issuer": bureau.id,
                "jurisdiction": bureau.jurisdiction,
                "council_session": f"제{280 + i}회 {bureau.jurisdiction}의회 {'정례회' if month > 8 else '임시회'}",
                "committee": f"{self.pick(TOPICS)}위원회",
                "report_date": f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}",
                "year": year, "source": {"doc": src.id, "lines": f"1-{src.lines}"},
                "as_of": [{"what": "예산", "date": f"{year}-{max(1, month - 1):02d}-20", "lines": self.lines(src)}],
                "summary": " ".join(self.pick(self.t.sentences) for _ in range(2)),
                "toc": ["I. 일반현황", "II. 비전 및 목표", "III. 주요업무 보고", "IV. 행정사무감사 조치결과"],
            })
        return out

    # -- programs: numbered items with sections, sub-programs, predecessors
    def programs(self, sources: list[Source]) -> dict[str, list[str]]:
        per_source = _split(self.counts["programs"], len(sources))
        by_source: dict[str, list[str]] = {}
        previous: dict[str, list[str]] = {}  # bureau → program ids of its latest report
        for src, n in zip(sources, per_source, strict=True):
            ids: list[str] = []
            earlier = previous.get(src.bureau.id, [])
            area = 0
            for k in range(n):
                if k % 12 == 0:
                    area += 1
                number = f"{area}-{k % 12 + 1}"
                pid = f"{src.id}-p-{area}-{k % 12 + 1}"
                rec: dict = {"id": pid, "source": {"doc": src.id, "lines": self.lines(src, 30),
                                                   "section": f"III 주요업무 > {area}. {self.pick(self.t.names)}"},
                             "name": self.pick(self.t.names), "number": number,
                             "area": f"{area}. {self.pick(self.t.names)}", "year": src.year,
                             "org": self.pick(src.divisions).id}
                if ids and k % 12 and self.rng.random() < 0.3:
                    rec["parent"] = ids[-1] if "parent" not in self.files[f"programs/{ids[-1]}"] else \
                        self.files[f"programs/{ids[-1]}"]["parent"]
                rec["stage"] = self.pick(STAGES)
                if earlier and self.rng.random() < 0.5:
                    rec["successor_of"] = self.pick(earlier)
                rec["summary"] = self.pick(self.t.sentences)
                rec["sections"] = [{"heading": h, "body": self.body(), "lines": self.lines(src, 8)}
                                   for h in self.rng.sample(SECTION_HEADINGS, self.rng.randint(2, 4))]
                if self.rng.random() < 0.4:
                    rec["legal_basis"] = [f"「{self.pick(TOPICS)} 진흥에 관한 조례」 제{self.rng.randint(2, 30)}조"]
                amount = self.rng.randint(50, 90_000)
                rec["budget_text"] = f"총사업비 : {amount:,}백만원"
                rec["facts"] = [{"label": "총사업비", "value": f"{amount:,}", "unit": "백만원",
                                 "lines": self.lines(src)}]
                self.add("programs", rec)
                ids.append(pid)
            by_source[src.id] = ids
            previous[src.bureau.id] = ids
        return by_source

    # -- budget: one table per report, 총계 → 부서 → 단위사업 → 세부사업
    def budget(self, sources: list[Source], programs: dict[str, list[str]]) -> None:
        per_source = _split(self.counts["budget"], len(sources))
        for src, n in zip(sources, per_source, strict=True):
            self._budget_table(src, n, programs[src.id])

    def _budget_table(self, src: Source, n: int, program_ids: list[str]) -> None:
        unit = self.pick(UNITS)
        factor = 1000 if unit == "천원" else 1
        table = f"{src.year}년 사업별 예산 집행현황 ('{src.year % 100}.9.30 기준)"
        section = f"I 일반현황 — 예산 (단위: {unit})"
        as_of = f"{src.year}-09-30"
        account = self.pick(ACCOUNTS)
        # shape: 1 total, d department rows, u unit programs, the rest detail lines
        d = min(len(src.divisions), max(1, min(6, (n - 1) // 8)))
        u = max(d, min((n - 1 - d) // 4, d * 12))
        detail = max(0, n - 1 - d - u)
        depts = self.rng.sample(src.divisions, d)
        total_id = f"{src.id}-b-total"
        recs: list[dict] = [{"id": total_id, "name": "합계", "level": "총계", "org": src.bureau.id}]
        dept_ids = [f"{src.id}-b-{i + 1}" for i in range(d)]
        for i, dept in enumerate(depts):
            recs.append({"id": dept_ids[i], "name": dept.name, "level": "부서", "org": dept.id, "parent": total_id})
        unit_ids = [f"{src.id}-b-{i % d + 1}-{i // d + 1}" for i in range(u)]
        unit_dept = {uid: i % d for i, uid in enumerate(unit_ids)}
        for uid in unit_ids:
            recs.append({"id": uid, "name": self.pick(self.t.names), "level": "단위사업",
                         "org": depts[unit_dept[uid]].id, "parent": dept_ids[unit_dept[uid]]})
        for i in range(detail):
            parent = unit_ids[i % u]
            rec = {"id": f"{parent}-{i // u + 1}", "name": self.pick(self.t.names), "level": "세부사업",
                   "org": depts[unit_dept[parent]].id, "parent": parent}
            if program_ids:
                rec["programs"] = sorted(set(self.rng.sample(program_ids, min(len(program_ids),
                                                                             self.rng.choice((1, 1, 1, 2))))))
            recs.append(rec)
        by_id = {r["id"]: r for r in recs}
        # amounts bottom-up: detail lines carry their budgets; unit programs add them up and carry
        # last year's budget and the execution figures; departments and the total add those up
        for rec in recs:
            if rec["level"] == "세부사업":
                budget = self.rng.randint(20, 20_000) * factor
                rec["budget"] = budget
                rec["planned"] = int(budget * self.rng.uniform(0.8, 1.2))
        for level in ("단위사업", "부서", "총계"):
            for rec in recs:
                if rec["level"] != level:
                    continue
                kids = [r for r in recs if r.get("parent") == rec["id"]]
                if level == "단위사업":
                    rec["budget"] = sum(k["budget"] for k in kids) or self.rng.randint(100, 50_000) * factor
                    rec["prior_budget"] = int(rec["budget"] * self.rng.uniform(0.6, 1.3))
                    rec["spent"] = int(rec["budget"] * self.rng.uniform(0.2, 1.0))
                    rec["obligated"] = min(rec["budget"], int(rec["spent"] * self.rng.uniform(1.0, 1.2)))
                else:
                    for key in ("budget", "prior_budget", "spent", "obligated"):
                        rec[key] = sum(k.get(key, 0) for k in kids)
        for rec in recs:
            if rec["level"] == "단위사업" and self.rng.random() < 0.5:
                national = int(rec["budget"] * self.rng.uniform(0, 0.5))
                rec["funding"] = {"national": national, "city": rec["budget"] - national}
            if "spent" in rec and rec["budget"]:
                rate = round(rec["spent"] * 100 / rec["budget"], 1)
                rec["rate_stated"] = round(rate + (self.rng.uniform(1, 9) if self.rng.random() < 0.02 else 0), 1)
            if "prior_budget" in rec:
                change = rec["budget"] - rec["prior_budget"]
                rec["change_stated"] = change + (self.rng.randint(1, 99) if self.rng.random() < 0.02 else 0)
        # a few printed totals that do not add up, as real reports have
        for rec in recs:
            if rec["level"] in ("부서", "총계") and self.rng.random() < 0.05:
                rec["budget"] += self.rng.randint(1, 50) * factor
        for rec in recs:
            out = {"id": rec["id"], "source": {"doc": src.id, "lines": self.lines(src), "section": section},
                   "name": rec["name"], "table": table, "level": rec["level"], "account": account,
                   "year": src.year, "as_of": as_of, "unit": unit}
            if "parent" in rec:
                out["parent"] = rec["parent"]
            out["org"] = rec["org"]
            for key in ("budget", "obligated", "spent", "planned", "prior_budget", "change_stated",
                        "rate_stated", "funding", "programs"):
                if key in rec:
                    out[key] = rec[key]
            if "prior_budget" in rec:
                out["prior_year"] = src.year - 1
            if rec["level"] == "단위사업" and self.rng.random() < 0.3:
                out["overview"] = self.body(1, 3)
            self.add("budget", out)
        assert len(by_id) == len(recs), "budget ids must be unique"

    # -- audits: the council's requests and the answers
    def audits(self, sources: list[Source], programs: dict[str, list[str]]) -> None:
        per_source = _split(self.counts["audits"], len(sources))
        for src, n in zip(sources, per_source, strict=True):
            numbers = {c: 0 for c, _ in CATEGORIES}
            ids: list[str] = []
            for _ in range(n):
                cat = self.weighted(CATEGORIES)
                numbers[cat] += 1
                letter = {"시정·처리요구사항": "c", "건의사항": "s"}.get(cat, "o")
                aid = f"{src.id}-audit-{letter}{numbers[cat]:03d}"
                status = self.weighted(STATUSES)
                rec: dict = {"id": aid, "source": {"doc": src.id, "lines": self.lines(src, 6),
                                                   "section": "IV 행정사무감사 조치결과"},
                             "audit": f"{src.year - 1} 행정사무감사", "category": cat, "number": numbers[cat],
                             "request": " ".join(self.pick(self.t.sentences) for _ in range(self.rng.randint(1, 2))),
                             "org": self.pick(src.divisions).id, "status": status, "status_printed": status,
                             "actions": self.body(2, 5)}
                if status != "추진완료":
                    rec["plan"] = self.body(1, 2)
                else:
                    rec["completed_date"] = f"{src.year}-{self.rng.randint(1, 9):02d}-{self.rng.randint(1, 28):02d}"
                if programs[src.id] and self.rng.random() < 0.6:
                    rec["programs"] = sorted(set(self.rng.sample(programs[src.id], self.rng.choice((1, 1, 2)))))
                if ids and self.rng.random() < 0.01:
                    rec["duplicate_of"] = self.pick(ids)
                self.add("audits", rec)
                ids.append(aid)

    def generate(self) -> dict[str, dict]:
        orgs = self.orgs()
        bureaus = [o for o in orgs if o.level == "bureau"]
        sources = self.sources(bureaus)
        self.org_records(orgs, sources)
        programs = self.programs(sources)
        self.budget(sources, programs)
        self.audits(sources, programs)
        return self.files


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (i < extra) for i in range(parts)]


# ---- writing the project -----------------------------------------------------------------------

class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(rec: dict) -> str:
    return yaml.dump(rec, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def write_project(out: Path, records: int, root: Path = ROOT) -> dict[str, int]:
    texts = Texts.load(root)
    files = Generator(records, texts).generate()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("schema", "themes", "content", "reports"):
        shutil.copytree(root / name, out / name)
    config = (root / "site_config.yaml").read_text(encoding="utf-8")
    config = re.sub(r"^title: .*$", f"title: 예산 공개 포털 (벤치마크 {records:,}건)", config, count=1, flags=re.M)
    (out / "site_config.yaml").write_text(config, encoding="utf-8")
    counts: dict[str, int] = {}
    made: set[Path] = set()
    for key, rec in files.items():
        path = out / "data" / f"{key}.yaml"
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(dump(rec), encoding="utf-8")
        kind = key.split("/", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def iter_counts(counts: dict[str, int]) -> Iterator[str]:
    for kind in sorted(counts):
        yield f"{kind}: {counts[kind]:,}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, required=True, help="about how many records (55500 = full size)")
    ap.add_argument("--out", type=Path, required=True, help="project folder to (re)create")
    args = ap.parse_args(argv)
    counts = write_project(args.out, args.records)
    print(f"wrote {sum(counts.values()):,} records into {args.out} ({', '.join(iter_counts(counts))})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
