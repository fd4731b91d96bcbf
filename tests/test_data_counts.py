"""Record counts in data/ against the seeds inventory (shared/guide/seeds-inventory.md §1-2, esp. §2.14).

Each number below is what the report prints (line numbers are 1-based lines of the report files in
reports/ = shared/seeds/). Where our count differs from the inventory, the test asserts our number and the
comment says why, citing the report lines.

Note on the last line of every report: none of the five report files ends with a newline, so `wc -l`
(which the inventory's sizes came from) is one short: 000 has 2,822 lines, 001 1,387, 002 1,468, 003 480,
004 351. The last line carries real content in 003 (480: the 2020 '시민홍보 및 인식제고' result) and 004
(351: '소요예산: 총 20,000천원(구비)'), so those records exist and are counted here.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REPORTS = ROOT / "reports"


def _load(kind: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((DATA / kind).glob("*.yaml"))]


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict]]:
    return {p.name: _load(p.name) for p in sorted(DATA.iterdir()) if p.is_dir()}


def _doc(rec: dict) -> str:
    return rec["source"]["doc"]


def _of(records: list[dict], doc: str, **where: object) -> list[dict]:
    out = [r for r in records if _doc(r) == doc]
    for key, value in where.items():
        out = [r for r in out if r.get(key) == value]
    return out


# ---- reports ------------------------------------------------------------------------------------------------

def test_five_reports_plus_the_appended_one(data):
    # §2.1: 1 per seed = 5, plus the sub-report appended to 000 (2748-2822) → 6.
    ids = sorted(r["id"] for r in data["sources"])
    assert ids == ["s000", "s000-renewal", "s001", "s002", "s003", "s004"]
    assert {r["id"]: r.get("parent") for r in data["sources"]}["s000-renewal"] == "s000"


@pytest.mark.parametrize(("name", "lines"), [
    ("000_ce72d8fe34580d4f.txt", 2822), ("001_0c81e02709c51c95.txt", 1387), ("002_60c850a9ae78bdee.txt", 1468),
    ("003_e1ee63cb5ab76530.txt", 480), ("004_28d2bcfaeb1c558b.txt", 351),
])
def test_report_line_counts_include_the_unterminated_last_line(name, lines):
    # The inventory says 2,821 / 1,386 / 1,467 / 479 / 350 lines (wc -l); each file lacks a final newline.
    text = (REPORTS / name).read_text(encoding="utf-8")
    assert not text.endswith("\n")
    assert len(text.splitlines()) == lines


@pytest.mark.parametrize(("rid", "last"), [
    ("s000", 2822), ("s000-renewal", 2822), ("s001", 1387), ("s002", 1468), ("s003", 480), ("s004", 351),
])
def test_source_records_cover_the_last_line(data, rid, last):
    rec = next(r for r in data["sources"] if r["id"] == rid)
    assert int(str(rec["source"]["lines"]).split("-")[-1]) == last


# ---- s000 (노동민생정책관, 2020.11) ----------------------------------------------------------------------------

def test_s000_audit_items_by_category(data):
    # IV 2019 행정감사: 시정·처리 요구사항 2386-2468 (36), 건의사항 2470-2500 (13), 기타 2502-2521 (15) = 64 (2377).
    audits = _of(data["audits"], "s000")
    assert len(audits) == 64
    by_cat = collections.Counter(a["category"] for a in audits)
    assert by_cat == {"시정·처리요구사항": 36, "건의사항": 13, "기타(자료제출 등)": 15}
    prefix = {"시정·처리요구사항": "c", "건의사항": "s", "기타(자료제출 등)": "o"}
    for a in audits:
        assert a["id"] == f"s000-audit-{prefix[a['category']]}{a['number']:02d}"


def test_s000_audit_statuses_as_printed_on_the_items(data):
    # §2.11: statuses printed on the items: 시정 22/12/2 (matches the 총괄), 건의 6/6/1 (총괄 2383 says 7/4/2),
    # 기타 15/0/0 → 43/18/3 in all, against the stated 44/16/4 (2381).
    counts = collections.Counter((a["category"], a["status"]) for a in _of(data["audits"], "s000"))
    assert counts == {
        ("시정·처리요구사항", "추진완료"): 22, ("시정·처리요구사항", "추진 중"): 12, ("시정·처리요구사항", "검토 중"): 2,
        ("건의사항", "추진완료"): 6, ("건의사항", "추진 중"): 6, ("건의사항", "검토 중"): 1,
        ("기타(자료제출 등)", "추진완료"): 15,
    }
    total = collections.Counter(a["status"] for a in _of(data["audits"], "s000"))
    assert total == {"추진완료": 43, "추진 중": 18, "검토 중": 3}
    # 검토 중 items: 2398 (노동시간 단축), 2407 (단일임금제), 2495 (제로페이 선별 지급).
    reviewing = sorted(a["source"]["lines"] for a in _of(data["audits"], "s000", status="검토 중"))
    assert reviewing == ["2398", "2407", "2495"]


def test_s000_audit_summary_table_keeps_the_stated_numbers(data):
    # 처리결과 총괄 2380-2384: 계 64 = 44/16/4, 시정 36 = 22/12/2, 건의 13 = 7/4/2, 기타 15 = 15/-/-.
    (summary,) = data["audit-summaries"]
    rows = {r["category"]: (r["total"], r["추진완료"], r["추진 중"], r["검토 중"], r["미반영"]) for r in summary["rows"]}
    assert rows == {
        "계": (64, 44, 16, 4, None),
        "시정·처리요구사항": (36, 22, 12, 2, None),
        "건의사항": (13, 7, 4, 2, None),
        "기타(자료제출 등)": (15, 15, None, None, None),
    }


def test_s000_audit_items_by_department(data):
    # §2.11 (verified): 시정 36 = 노동정책 12, 소상공인정책 7, 제로페이반 5, 공정경제 6, 사회적경제 6;
    # 건의 13 = 2, 7, 1, 2, 1; 기타 15 = 노동정책 2, 소상공인정책 5, 제로페이반 4, 공정경제 4.
    counts = collections.Counter((a["category"], a["org"]) for a in _of(data["audits"], "s000"))
    assert counts == {
        ("시정·처리요구사항", "labor-policy-div"): 12, ("시정·처리요구사항", "small-business-policy-div"): 7,
        ("시정·처리요구사항", "zeropay-div"): 5, ("시정·처리요구사항", "fair-economy-div"): 6,
        ("시정·처리요구사항", "social-economy-div"): 6,
        ("건의사항", "labor-policy-div"): 2, ("건의사항", "small-business-policy-div"): 7,
        ("건의사항", "zeropay-div"): 1, ("건의사항", "fair-economy-div"): 2, ("건의사항", "social-economy-div"): 1,
        ("기타(자료제출 등)", "labor-policy-div"): 2, ("기타(자료제출 등)", "small-business-policy-div"): 5,
        ("기타(자료제출 등)", "zeropay-div"): 4, ("기타(자료제출 등)", "fair-economy-div"): 4,
    }


def test_s000_section_v_lines_and_summary_rows(data):
    # V 2020 예산 사업별 집행현황: 74 lines (연번 1-74, 2554-2746) + 9 summary rows in the 총괄 2529-2538
    # (일반회계 + 5 부서별 + 3 재원별).
    v = [b for b in _of(data["budget"], "s000") if b["id"].startswith("s000-v-")]
    lines = [b for b in v if b["level"] == "세부사업"]
    assert len(lines) == 74
    assert sorted(int(b["number"]) for b in lines) == list(range(1, 75))
    summary = collections.Counter(b["level"] for b in v if b["level"] != "세부사업")
    assert summary == {"총계": 1, "부서": 5, "재원": 3}
    assert len(v) == 83


def test_s000_section_v_lines_per_department(data):
    # Department header rows 2555, 2602, 2663, 2681, 2739: 노동정책 18, 소상공인정책 24, 공정경제 7,
    # 사회적경제 22, 제로페이 3 (§2.9).
    lines = [b for b in _of(data["budget"], "s000", level="세부사업") if b["id"].startswith("s000-v-")]
    assert collections.Counter(b["parent"] for b in lines) == {
        "s000-v-dept-labor-policy": 18, "s000-v-dept-small-business": 24, "s000-v-dept-fair-economy": 7,
        "s000-v-dept-social-economy": 22, "s000-v-dept-zeropay": 3,
    }
    assert collections.Counter(b["org"] for b in lines) == {
        "labor-policy-div": 18, "small-business-policy-div": 24, "fair-economy-div": 7,
        "social-economy-div": 22, "zeropay-div": 3,
    }


def test_s000_section_i_rows(data):
    # I 예산 42-67: 21 rows = 16 leaf (12 general-account 단위사업 50-61, 2 special-account lines 63-64,
    # 재무활동/기본경비 66-67) + 5 totals (총계 47, 사업 예산 소계 48, 일반회계 계 49, 도시개발 특별회계 계 62,
    # 일반 예산 소계 65).
    rows = [b for b in _of(data["budget"], "s000") if b["id"].startswith("s000-i-")]
    assert len(rows) == 21
    assert collections.Counter(b["level"] for b in rows) == {"단위사업": 16, "소계": 4, "총계": 1}


def test_s000_programs_and_sub_programs(data):
    # III 주요업무 129-2363: 42 programs (areas 1-5 with 9/13/7/8/5, TOCs 131-147, 529-553, 1473-1479,
    # 1795-1802, 2134-2142) and 24 sub-programs (①②③…).
    progs = _of(data["programs"], "s000")
    top = [p for p in progs if not p.get("parent")]
    subs = [p for p in progs if p.get("parent")]
    assert (len(top), len(subs)) == (42, 24)
    assert collections.Counter(p["area"][:2] for p in top) == {"1.": 9, "2.": 13, "3.": 7, "4.": 8, "5.": 5}
    ids = {p["id"] for p in progs}
    assert all(p["parent"] in ids for p in subs)


def test_s000_staffing_orgs_functions_vision(data):
    # Staffing 22-31: 5 departments + 계 = 6 rows. Org 14-18: 1정책관 5담당관 + 출연기관 서울신용보증재단 = 7.
    # Functions 33-40: 22 bullets for 5 departments. Vision 71, 4 keywords, 12 ▶ tasks (75-101), 5 areas.
    (staff,) = _of(data["staffing"], "s000")
    assert len(staff["rows"]) == 6
    assert _orgs_of(data, "s000") == 7
    assert _functions_of(data, "s000") == (5, 22)
    (vision,) = _of(data["visions"], "s000")
    assert len(vision["keywords"]) == 4
    assert sum(len(g["tasks"]) for g in vision["goals"]) == 12
    assert len(vision["areas"]) == 5


# ---- s001 (일자리노동정책관, 2018.9.6) --------------------------------------------------------------------------

def test_s001_programs(data):
    # 30 programs (12 + 7 + 11; lists 164-175, 719-743, 990-1000) + 7 subs (1.3 ×3 at 306/331/354,
    # 1.5 ×2 at 411/437, 1.11 ①② at 655/669).
    progs = _of(data["programs"], "s001")
    top = [p for p in progs if not p.get("parent")]
    assert (len(top), len(progs) - len(top)) == (30, 7)
    assert sorted(collections.Counter(p["area"] for p in top).values()) == [7, 11, 12]


def test_s001_budget_staffing_orgs(data):
    # Budget 58-66: 3 departments + 계 = 4 rows. Staffing 40-49: 3 departments + 계 = 4 rows.
    # Org 36: 1정책관 3담당관 = 4 (노동정책담당관 and 사회적경제담당관 are the same units as in 000).
    budget = _of(data["budget"], "s001")
    assert collections.Counter(b["level"] for b in budget) == {"부서": 3, "총계": 1}
    (staff,) = _of(data["staffing"], "s001")
    assert len(staff["rows"]) == 4
    assert _orgs_of(data, "s001") == 4
    assert _functions_of(data, "s001") == (3, 15)


def test_s001_indicators(data):
    # 주요 정책지표 110-124: 10 indicators × 5 years (2016-2020) = 50 values.
    policy = [i for i in _of(data["indicators"], "s001") if not i["id"].startswith("s001-jobs-2018-")]
    assert len(policy) == 10
    assert sum(len(i["values"]) for i in policy) == 50
    # 2018 일자리 목표: the inventory counts 7 target groups + 총계 = 8 (table 137-144). We also keep the
    # 직접/간접일자리 split that only the prose 130-131 gives (150,061 / 203,895) as two more records → 10.
    jobs = [i for i in _of(data["indicators"], "s001") if i["id"].startswith("s001-jobs-2018-")]
    assert len(jobs) == 10


# ---- s002 (경제정책실, 2019.9.2) ------------------------------------------------------------------------------

def test_s002_programs(data):
    # 19 programs (5 + 5 + 4 + 2 + 3; TOC 78-89).
    progs = _of(data["programs"], "s002")
    top = [p for p in progs if not p.get("parent")]
    assert len(top) == 19
    assert sorted(collections.Counter(p["area"] for p in top).values()) == [2, 3, 4, 5, 5]
    # The inventory says "~12 numbered sub-items". We keep 11 sub-program records, the numbered items that are
    # projects with their own 사업개요/추진현황: G밸리 ①-⑤ (609, 618, 626, 633, 641), 외국인투자 1-2 (1037, 1079)
    # with 2's own 1-2 (1083, 1099), 지역상생 1-2 (1338, 1359). The numbered measures inside a narrative
    # (일본 수출규제 ①-⑤ 145-175, 라벨갈이 ①② 815/828, 캠퍼스타운 ①② 1133/1152, 홍릉 buildings ①②③ 669) stay
    # in their program's text.
    assert len(progs) - len(top) == 11


def test_s002_budget_staffing_orgs(data):
    # Budget 63-76: 9 units + 계 = 10 rows. Staffing 32-46: 9 units + 계 = 10 rows. Functions 50-59: 20 / 9.
    budget = _of(data["budget"], "s002")
    assert collections.Counter(b["level"] for b in budget) == {"부서": 9, "총계": 1}
    (staff,) = _of(data["staffing"], "s002")
    assert len(staff["rows"]) == 10
    assert _functions_of(data, "s002") == (9, 20)
    # Orgs: the inventory says 1 + 9 + 4 affiliated = 14 (+ 제로페이추진반). But 농업기술센터 and 서울시립과학관
    # are both among the 9 units of the staffing and budget tables (44-45, 75-76) and among the 4 affiliated
    # (직속기관/사업소, line 26), so the named units are 1 + 9 + 2 (서울시농수산식품공사 27, 서울산업진흥원 28) = 12;
    # with 제로페이추진반 (50) → 13. The '1기획관' and '4반' of line 20 are never named.
    assert _orgs_of(data, "s002") == 13


# ---- s003 (서울시 사회적경제지원센터, 2021.11.04) ----------------------------------------------------------------

def test_s003_programs(data):
    # 11 programs for 2021 (narratives at 142 … 424) and the 2020 results (453-480).
    progs = _of(data["programs"], "s003")
    assert len([p for p in progs if p["year"] == 2021]) == 11
    # 2020 narrative table 469-480 has 11 rows. (Before line 480 — the file's unterminated last line — was added
    # as s003-p-2020-citizen-pr there were 10.)
    narratives = [p for p in progs if p["year"] == 2020]
    assert len(narratives) == 11
    assert sorted(int(p["source"]["lines"]) for p in narratives) == list(range(470, 481))
    # The 2020 target/actual table 455-467 has 12 rows (456-467), kept as indicators.
    rows = [i for i in _of(data["indicators"], "s003") if i["id"].startswith("s003-2020-")]
    assert len(rows) == 12


def test_s003_budget(data):
    # 2021년 예산 총괄표 98-117: 20 rows = 민간위탁 총계, 사업비 합계, 4 분야, 11 단위사업 ①-⑪, 운영비 합계,
    # 인건비, 운영비.
    budget = _of(data["budget"], "s003")
    assert len(budget) == 20
    assert collections.Counter(b["level"] for b in budget) == {"총계": 1, "소계": 6, "단위사업": 13}
    numbered = [b for b in budget if b.get("number") and b["number"] in "①②③④⑤⑥⑦⑧⑨⑩⑪"]
    assert len(numbered) == 11


def test_s003_staffing_orgs(data):
    # Staffing 68-71: the inventory counts the 2 number rows (정원 35 / 현원 34). We also keep the 직책 row (69:
    # 센터장, 사무국장, 총괄/책임 …), which has no numbers, so the table has 3 rows, 2 of them with figures.
    (staff,) = _of(data["staffing"], "s003")
    assert len(staff["rows"]) == 3
    assert [r["label"] for r in staff["rows"] if r.get("authorized") is not None or r.get("current") is not None] \
        == ["정 원", "현 원"]
    # Orgs: inventory 14 = center + 2 실 + 3 G + 6 팀 + 센터장/사무국장 (60, 75-87). We also record the consignee
    # (사)서울사회적경제네트워크 (21, type 위탁법인) → 15.
    assert _orgs_of(data, "s003") == 15
    assert _functions_of(data, "s003")[0] == 10


# ---- s004 (영등포구 사회적경제과, 2020) ---------------------------------------------------------------------------

def test_s004_programs(data):
    # 8 = 3 results 2020 (70, 104, 141) + 3 plans 2021 (184, 218, 252) + 2 new/key (287, 319).
    progs = _of(data["programs"], "s004")
    assert len(progs) == 8
    assert collections.Counter(p["year"] for p in progs) == {2020: 3, 2021: 5}


def test_s004_budget_staffing_orgs_facilities(data):
    # Budget: 3 단위사업 + 계 (56-59) + 3 program budgets with 국/시/구비 (102, 139, 173)
    # + 5 소요예산 plans (216, 250, 283, 317, 351 — 351 is the file's unterminated last line).
    budget = _of(data["budget"], "s004")
    assert len(budget) == 12
    assert collections.Counter((b.get("table"), b["level"]) for b in budget) == {
        ("예산현황", "총계"): 1, ("예산현황", "단위사업"): 3,
        ("사업별 예산현황", "세부사업"): 3, ("소요예산", "세부사업"): 5,
    }
    # Staffing 33-37: one unit, 3 rows (정원 / 현원 / 과부족). Org: 1 과 + 3 팀 = 4. Facilities 43-46: 3.
    (staff,) = _of(data["staffing"], "s004")
    assert len(staff["rows"]) == 3
    assert _orgs_of(data, "s004") == 4
    assert len(_of(data["facilities"], "s004")) == 3


# ---- helpers that read orgs ---------------------------------------------------------------------------------

def _orgs_of(data: dict[str, list[dict]], doc: str) -> int:
    """Named organisation units of a report: an org's own source or an appearance in that report.
    The jurisdictions (서울특별시, 영등포구) are curated metadata, not units of a report, and are left out."""
    found = set()
    for org in data["orgs"]:
        if org.get("type") == "지방자치단체":
            continue
        docs = {_doc(org)} | {a["doc"] for a in org.get("appearances") or []}
        if doc in docs:
            found.add(org["id"])
    return len(found)


def _functions_of(data: dict[str, list[dict]], doc: str) -> tuple[int, int]:
    units = items = 0
    for org in data["orgs"]:
        for block in org.get("functions") or []:
            if block["doc"] == doc:
                units += 1
                items += len(block["items"])
    return units, items
