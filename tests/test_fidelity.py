"""Fidelity: figures, statuses, names and dates picked from the five reports, checked on the built site.

Every check names the report line it comes from (report files in reports/ = shared/seeds/, 1-based lines;
000 = 노동민생정책관 2020.11, 001 = 일자리노동정책관 2018.9.6, 002 = 경제정책실 2019.9.2, 003 = 서울시
사회적경제지원센터 2021.11.04, 004 = 영등포구 사회적경제과 2020). Checks compare whole table cells, whole
definition-list values and status badges, not loose substrings, so a page that shows a different figure fails.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(s)).strip()


@dataclass
class Page:
    text: str                                                   # all visible text, whitespace normalised
    rows: list[list[str]] = field(default_factory=list)         # rows of the record's own tables (no chart tables)
    chart_rows: list[list[str]] = field(default_factory=list)   # rows of the charts' data tables
    meta: dict[str, str] = field(default_factory=dict)          # <dt> → <dd>
    badges: list[str] = field(default_factory=list)             # <span class="status …">
    h1: str = ""

    def row(self, first: str, charts: bool = False) -> list[str]:
        """The first table row whose first cell is exactly `first`."""
        for r in self.chart_rows if charts else self.rows:
            if r and r[0] == first:
                return r
        raise AssertionError(f"no table row starting with {first!r}")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page(text="")
        self._text: list[str] = []
        self._skip = 0                  # inside <script>/<style>
        self._tables: list[bool] = []   # stack: is this a chart data table?
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._dt: list[str] | None = None
        self._dd: list[str] | None = None
        self._last_dt = ""
        self._badge: list[str] | None = None
        self._h1: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._tables.append("chart-table" in cls)
        elif tag == "tr" and self._tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "dt":
            self._dt = []
        elif tag == "dd":
            self._dd = []
        elif tag == "span" and "status" in cls:
            self._badge = []
        elif tag == "h1":
            self._h1 = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "table" and self._tables:
            self._tables.pop()
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_norm("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            (self.page.chart_rows if self._tables and self._tables[-1] else self.page.rows).append(self._row)
            self._row = None
        elif tag == "dt" and self._dt is not None:
            self._last_dt = _norm("".join(self._dt))
            self._dt = None
        elif tag == "dd" and self._dd is not None:
            self.page.meta.setdefault(self._last_dt, _norm("".join(self._dd)))
            self._dd = None
        elif tag == "span" and self._badge is not None:
            self.page.badges.append(_norm("".join(self._badge)))
            self._badge = None
        elif tag == "h1" and self._h1 is not None:
            self.page.h1 = _norm("".join(self._h1))
            self._h1 = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._text.append(data)
        for buf in (self._cell, self._dt, self._dd, self._badge, self._h1):
            if buf is not None:
                buf.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = _norm(" ".join(self._text))


@pytest.fixture(scope="module")
def page(built_site: Path):
    @functools.cache
    def load(kind: str, rid: str) -> Page:
        path = built_site / kind / rid / "index.html"
        assert path.exists(), f"missing page {kind}/{rid}"
        parser = _Parser()
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        return parser.page
    return load


def record(kind: str, rid: str) -> dict:
    return yaml.safe_load((ROOT / "data" / kind / f"{rid}.yaml").read_text(encoding="utf-8"))


def test_the_checks_compare_whole_cells(page):
    # The helpers must not accept a near miss: 36,351 (000:2531) is not 36,35 or 6,351.
    p = page("budget", "s000-v-dept-labor-policy")
    assert p.row("예산현액")[1] == "36,351백만원"
    assert p.row("예산현액")[1] not in ("36,35백만원", "6,351백만원", "36,352백만원")
    with pytest.raises(AssertionError):
        p.row("예산")


# ---- 000 노동민생정책관 (2020.11) — V 2020 예산 사업별 집행현황 ('20.9.30, 백만원) -----------------------------

def test_s000_v12_workplace_harassment(page):
    # 000:2585 — "12 서울시 직장내 괴롭힘 방지 확산 … 215 58" (예산현액, 집행액); dept header 2555 노동정책담당관.
    p = page("budget", "s000-v-12-workplace-harassment")
    assert p.h1 == "서울시 직장내 괴롭힘 방지 확산"
    assert p.row("예산현액")[1] == "215백만원"
    assert p.row("지출액(집행액)")[1] == "58백만원"
    assert p.meta["담당 조직"] == "노동정책담당관"
    assert "기준일 2020년 9월 30일" in p.text        # 2527 "[행정감사요구자료 제출일 기준 ('20. 9. 30), …]"


def test_s000_v_labor_policy_department(page):
    # 000:2531 — 노동정책담당관 36,351 / 26,787 / 73.4% (the 지출액 column is missing, note-s000-v-dept-spent-missing);
    # 000:2543 — "노동정책담당관은 363억원 중 266억원 집행(집행률 73.4%)".
    p = page("budget", "s000-v-dept-labor-policy")
    assert p.row("예산현액")[1] == "36,351백만원"
    assert p.row("원인행위액")[1] == "26,787백만원"
    assert p.row("지출액(집행액)")[1].startswith("266억원")
    assert p.row("보고서의 집행률")[1] == "73.4%"
    # 266억 ÷ 36,351백만 = 73.2%: the page shows both rates
    assert "보고서의 집행률: 73.4% · 계산한 집행률: 73.2%" in p.text


def test_s000_v_total(page):
    # 000:2530 — 일반회계 729,867 / 673,347 (원인행위액) / 670,500 / 91.9%.
    p = page("budget", "s000-v-total")
    assert p.row("예산현액")[1] == "729,867백만원"
    assert p.row("원인행위액")[1] == "673,347백만원"
    assert p.row("지출액(집행액)")[1] == "670,500백만원"
    assert p.row("보고서의 집행률")[1] == "91.9%"


@pytest.mark.parametrize(("rid", "budget", "spent", "line"), [
    ("s000-v-26-night-market", "2,386백만원", "1,892백만원", 2620),           # 26 소상공인 육성을 위한 야시장 운영
    ("s000-v-35-pungmul-market", "5,366백만원", "3,354백만원", 2645),         # 35 서울풍물시장 활성화
    ("s000-v-70-social-investment-fund", "25,175백만원", "21,660백만원", 2732),  # 70 사회투자기금 투융자사업
    ("s000-v-74-seoul-love-gift-certificates", "38,710백만원", "37,985백만원", 2746),  # 74 서울지역사랑상품권
])
def test_s000_v_lines(page, rid, budget, spent, line):
    p = page("budget", rid)
    assert p.row("예산현액")[1].startswith(budget), line
    assert p.row("지출액(집행액)")[1].startswith(spent), line


def test_s000_v19_survival_fund_ocr_decimal_point(page):
    # 000:2603 prints the amount as "325.587" (a comma read as a point); the record keeps the printed text and
    # the amount 325,587 (백만원), and the page shows 325,587백만원 with the line.
    rec = record("budget", "s000-v-19-self-employed-survival-fund")
    assert rec["budget"]["printed"] == "325.587" and rec["budget"]["amount"] == 325587
    p = page("budget", "s000-v-19-self-employed-survival-fund")
    assert p.row("예산현액")[1] == "325,587백만원 (2603행)"
    assert "325.587" not in p.row("예산현액")[1]


def test_s000_v_programs_are_linked(page):
    # V 12 (2585) is part of III 1-5 "노동안전보건 기본계획 수립" (354-383, 사업개요 363: 직장 내 괴롭힘 예방).
    p = page("budget", "s000-v-12-workplace-harassment")
    assert "관련 사업 노동안전보건 기본계획 수립 1-5" in p.text


# ---- 000 — I 예산 (10.20 기준, 백만원) ---------------------------------------------------------------------

def test_s000_i_total(page):
    # 000:47 — "총 계 729,867 673,617 92.3%"; 000:44 — "(10.20기준 / 단위 : 백만원)".
    p = page("budget", "s000-i-total")
    assert p.row("예산현액")[1] == "729,867백만원"
    assert p.row("지출액(집행액)")[1] == "673,617백만원"
    assert p.row("보고서의 집행률")[1] == "92.3%"
    assert "기준일 2020년 10월 20일" in p.text


def test_s000_i_small_business(page):
    # 000:52 — "소상공인 보호 및 강소기업 육성 442,874 435,758 98.4%".
    p = page("budget", "s000-i-small-business")
    assert (p.row("예산현액")[1], p.row("지출액(집행액)")[1], p.row("보고서의 집행률")[1]) == \
        ("442,874백만원", "435,758백만원", "98.4%")


# ---- 000 — IV 2019 행정감사 조치결과 ----------------------------------------------------------------------

@pytest.mark.parametrize(("rid", "status", "org", "line"), [
    ("s000-audit-c06", "검토 중", "노동정책담당관", 2398),        # 노동시간 단축 (서울의료원·신용보증재단)
    ("s000-audit-c11", "검토 중", "노동정책담당관", 2407),        # 단일임금제
    ("s000-audit-s10", "검토 중", "제로페이담당관", 2495),        # 제로페이 선별 지급 (printed "(제로페이반)")
    ("s000-audit-c07", "추진 중", "노동정책담당관", 2399),        # 주52시간 교육·홍보
    ("s000-audit-c19", "추진 중", "소상공인정책담당관", 2425),    # 밤도깨비 야시장 쓰레기
    ("s000-audit-c25", "추진완료", "공정경제담당관", 2439),       # 장기안심상가 선정
    ("s000-audit-c31", "추진완료", "사회적경제담당관", 2452),     # 사회성과보상사업 보고
])
def test_s000_audit_status_and_department(page, rid, status, org, line):
    p = page("audits", rid)
    assert p.badges[0] == status, line
    assert p.meta["담당 조직"] == org, line


def test_s000_audit_status_printed_with_a_space(page):
    # 000:2422 prints "추진상황 : 추진 완료" (with a space); the badge shows the normalised status and the printed form.
    p = page("audits", "s000-audit-c18")
    assert p.badges[0] == "추진완료"
    assert p.meta["추진상황"] == "추진완료 (보고서 표기: 추진 완료)"


def test_s000_audit_zeropay_team_name(page):
    # 000:2495 names the department "(제로페이반)"; the org is today's 제로페이담당관 (000:29).
    p = page("audits", "s000-audit-s10")
    assert "원문의 부서 표기는 '제로페이반'" in p.text


def test_s000_audit_data_request_date(page):
    # 000:2512 — "자료 제출 완료 (2019. 11. 13.)" (제로페이 관련 적용 모든 사업 현황).
    p = page("audits", "s000-audit-o08")
    assert p.meta["완료일"] == "2019년 11월 13일"
    assert "자료 제출 완료 (2019. 11. 13.)" in p.text


def test_s000_audit_artterior_amount(page):
    # 000:2414 — "사 업 비 : 총 1,774백만원 교부(자치구 평균 151백만원)", 신청 17개 區 중 12개 區 선정.
    p = page("audits", "s000-audit-c14")
    assert "총 1,774백만원 교부(자치구 평균 151백만원)" in p.text
    assert "신청 17개 區 중 12개 區 선정" in p.text


def test_s000_audit_summary_table(page):
    # 000:2381-2384 — 계 64 / 44 / 16 / 4 / -, 시정 36 / 22 / 12 / 2, 건의 13 / 7 / 4 / 2, 기타 15 / 15 / - / -.
    p = page("audit-summaries", "s000-audit-2019-summary")
    assert p.row("계")[:6] == ["계", "64", "44", "16", "4", "-"]
    assert p.row("시정·처리요구사항")[:5] == ["시정·처리요구사항", "36", "22", "12", "2"]
    assert p.row("건의사항")[:5] == ["건의사항", "13", "7", "4", "2"]
    assert p.row("기타(자료제출 등)")[:3] == ["기타(자료제출 등)", "15", "15"]


# ---- 000 — staffing, programs, contract, org -----------------------------------------------------------------

def test_s000_staffing(page):
    # 000:24 — 계 142 / 142 (63) … 7급 이하 46/44; 000:25 — 노동정책담당관 33 / 35 (16), 과부족 2, 일반직 24/26, … 7급 이하 7/9.
    p = page("staffing", "s000-staffing")
    assert p.row("계")[:4] == ["계", "142", "142", "63"]
    assert p.row("계")[10] == "46/44"                    # 7급 이하 (note: departments add up to 43)
    assert p.row("노동정책담당관")[:6] == ["노동정책담당관", "33", "35", "16", "2", "24/26"]
    assert p.row("제로페이담당관")[:6] == ["제로페이담당관", "16", "15", "7", "△1", "15/14"]   # 000:29 "△1"
    assert "기준일 2020년 10월 20일" in p.text           # 000:20 ('20.10.20 기준)


def test_s000_night_market_program(page):
    # 000:1012 — "운영규모(선발기준) : 6개소, 총 500팀(푸드트럭 190, 일반상인 310)"; 000:1025 "'20년 소요예산 : 2,386천원".
    p = page("programs", "s000-p-2-7-night-market")
    assert "운영규모(선발기준) : 6개소, 총 500팀(푸드트럭 190, 일반상인 310)" in p.text
    assert "'20년 소요예산 : 2,386천원" in p.text
    # the linked V line 26 (2620) is listed with its figures
    assert p.row("소상공인 육성을 위한 야시장 운영")[1:4] == ["2,386백만원", "1,892백만원", "79.3%"]


def test_s000_ocr_correction_yongja_to_yungja(page):
    # 000:555 prints the heading "코로나19 피해 중소기업·소상공인 용자지원" (TOC 529: "융자지원"). The record keeps
    # the printed 용자; the page shows 융자 and lists the correction with its line.
    assert record("programs", "s000-p-2-1-covid-sme-loans")["name"] == "코로나19 피해 중소기업·소상공인 용자지원"
    p = page("programs", "s000-p-2-1-covid-sme-loans")
    assert p.h1 == "코로나19 피해 중소기업·소상공인 융자지원"
    assert "용자지원" not in p.h1
    assert "원문 “용자지원” → “융자지원” (555행)" in p.text


def test_s000_covid_loans_targets(page):
    # 000:559 — "총 금융지원 목표 : 7조 2,050억원"; 000:592 — "금융지원 6조 3,455억원(88.07%) 달성"
    # (table 597: 계 7조 2,050 / 6조 3,455 / 88.07%).
    p = page("programs", "s000-p-2-1-covid-sme-loans")
    assert "7조 2,050억원" in p.text
    assert "6조 3,455억원(88.07%)" in p.text


def test_s000_labor_welfare_complex_program(page):
    # 000:240-245 — 구로구 구로동 98-5, 연면적 20,961㎡, 총사업비 79,869백만원.
    p = page("programs", "s000-p-1-3-1-labor-welfare-center-complex")
    assert "구로구 구로동 98-5" in p.text
    assert "79,869백만원" in p.text


def test_s000_coop_center_contract(page):
    # 000:2815-2817 — 종합성과평가 85.46점, 운영평가위원회 "적정", 재계약 적격자심의 "적격";
    # 000:2772 — 예산 1,205백만원; 000:2806 — new term '21.1.23.~'24.1.22.; 000:2766 수탁기관.
    p = page("contracts", "s000-renewal-coop-center")
    assert "85.46점" in p.text
    assert "적정" in p.text and "적격" in p.text
    assert "'21.1.23.~'24.1.22." in p.text
    assert "서울지역협동조합협의회" in p.text


def test_s000_bureau_org(page):
    # 000:14 — "조 직 - 1정책관 5담당관 25팀 (1출연기관)"; 000:18 — 출연기관 서울신용보증재단; 000:25-29 the 5 담당관.
    p = page("orgs", "labor-livelihood-bureau")
    assert p.h1 == "노동민생정책관"
    for dept in ("노동정책담당관", "소상공인정책담당관", "공정경제담당관", "사회적경제담당관", "제로페이담당관"):
        assert dept in p.text


# ---- data notes: known discrepancies ----------------------------------------------------------------------------

def test_notes_page_lists_known_discrepancies(built_site: Path):
    p = _index(built_site, "notes")
    # 000:2383 (총괄 건의 7/4/2) vs the 13 items 2473-2500 (6/6/1)
    assert "2019 행정감사 건의사항: 총괄 7/4/2 대 항목별 6/6/1" in p
    # 000:2531-2538 — the V 총괄's department rows have no 지출액 column
    assert "V 총괄현황: 부서별·재원별 행에 지출액 칸이 없음" in p
    # 000:1361 vs 000:2645 — 서울풍물시장 826개소 (공점포 11) vs 836개 (공점포 21)
    assert "서울풍물시장 점포 수: 826개소(공점포 11) 대 836개(공점포 21)" in p
    # computed check: 건의사항 추진완료 7 stated, 6 counted
    assert "총괄표에는 건의사항의 추진완료가 7건으로 적혀 있지만, 요구사항을 세면 6건입니다." in p


def test_pungmul_note_quotes_both_places(page):
    # 000:1361 "점포현황 : 총 826개소 (운영점포 815, 공점포 11)"; 000:2645 "점포 836개(운영점포 815, 공점포 21)".
    p = page("notes", "note-s000-pungmul-market-shops")
    assert "826개소 (운영점포 815, 공점포 11)" in p.text
    assert "836개(운영점포 815, 공점포 21)" in p.text
    assert "1361" in p.text and "2645" in p.text


def _index(built_site: Path, kind: str) -> str:
    raw = (built_site / kind / "index.html").read_text(encoding="utf-8")
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    return _norm(re.sub(r"(?s)<[^>]+>", " ", raw))


# ---- 001 일자리노동정책관 (2018.9.6) -----------------------------------------------------------------------------

def test_s001_budget_labor_policy(page):
    # 001:65 — 노동정책담당관 19,490 / 10,102 / 7,174 / 37% ('18.8.20, 백만원).
    p = page("budget", "s001-budget-labor-policy")
    assert p.row("예산현액")[1] == "19,490백만원"
    assert p.row("원인행위액")[1] == "10,102백만원"
    assert p.row("지출액(집행액)")[1] == "7,174백만원"
    assert p.row("보고서의 집행률")[1] == "37%"
    assert "기준일 2018년 8월 20일" in p.text


def test_s001_budget_total(page):
    # 001:63 — 계 238,681 / 157,325 / 152,139 / 64%.
    p = page("budget", "s001-budget-total")
    assert [p.row(k)[1] for k in ("예산현액", "원인행위액", "지출액(집행액)", "보고서의 집행률")] == \
        ["238,681백만원", "157,325백만원", "152,139백만원", "64%"]
    assert p.meta["담당 조직"] == "일자리노동정책관"


def test_s001_staffing(page):
    # 001:46 — 계 81 / 71 (△10), 일반직 68/63; 001:47 — 일자리정책담당관 32 / 27.
    p = page("staffing", "s001-staffing")
    assert p.row("계")[:3] == ["계", "81", "71"]
    assert "68/63" in p.row("계")
    assert p.row("일자리정책담당관")[:3] == ["일자리정책담당관", "32", "27"]


def test_s001_public_purchase_indicator_chart_table(page):
    # 001:122 — 사회적경제 공공구매액 (억원) 856 / 1,157 / 1,300 / 1,400 / 1,500 (2016-2020).
    p = page("indicators", "s001-public-purchase")
    assert p.row("2016", charts=True)[2] == "856"
    assert p.row("2017", charts=True)[2] == "1,157"
    assert p.row("2020", charts=True)[1] == "1,500"



def test_indicator_value_tables_show_numbers_as_printed(page):
    # 001:122 prints 1,157 for 2017 (no rate); 000:891 prints 소상공인 교육 목표 7,000 실적 6,166 달성률 88%.
    p = page("indicators", "s001-public-purchase")
    assert p.row("2017")[2] == "1,157"
    assert "%" not in p.row("2017")[3]
    q = page("indicators", "s000-small-business-education")
    assert q.row("2020(9월말)")[1:4] == ["7,000", "6,166", "88%"]


def test_s001_new_deal_program(page):
    # 001:190 — "근무조건 : 생활임금(시급 9,220원) …"; 001:191 — "소요예산 : 80,662백만원".
    p = page("programs", "s001-p-1-1-new-deal-jobs")
    assert "80,662백만원" in p.text
    assert "9,220원" in p.text


def test_s001_ocr_correction_si_gu(page):
    # 001:514 prints "사·구 상향적·협력적" (시·구); the page shows the corrected text and the correction line.
    p = page("programs", "s001-p-1-7-city-district-jobs")
    assert "시·구 상향적·협력적" in p.text
    assert "원문 “사·구 상향적·협력적” → “시·구 상향적·협력적” (514행)" in p.text


def test_s001_gsef_last_line(page):
    # 001:1387 — the file's last line (no final newline): "대륙별 정책대화(아프리카 10월, 유럽 11월) 개최 …".
    p = page("programs", "s001-p-3-11-gsef")
    assert "대륙별 정책대화(아프리카 10월, 유럽 11월) 개최를 통한 정책공유 및 협력 추진" in p.text


# ---- 002 경제정책실 (2019.9.2) -----------------------------------------------------------------------------------

def test_s002_hub_growth_budget(page):
    # 002:74 — 거점성장추진단 122,546 / 47,308 / 36,871 / 38.6 / 30.1 ('19.8.19, 백만원).
    p = page("budget", "s002-budget-hub-growth")
    assert [p.row(k)[1] for k in ("예산현액", "원인행위액", "지출액(집행액)")] == \
        ["122,546백만원", "47,308백만원", "36,871백만원"]
    assert p.row("보고서의 집행률")[1] == "30.1%"
    assert p.row("보고서의 원인행위 기준 집행률")[1] == "38.6%"
    assert "기준일 2019년 8월 19일" in p.text


def test_s002_budget_total(page):
    # 002:67 — 계 570,007 / 329,145 / 307,002.
    p = page("budget", "s002-budget-total")
    assert [p.row(k)[1] for k in ("예산현액", "원인행위액", "지출액(집행액)")] == \
        ["570,007백만원", "329,145백만원", "307,002백만원"]


def test_s002_staffing(page):
    # 002:37 — 계 "277 / 271 (118)"; 002:42 도시농업과 "22/22 (10)".
    p = page("staffing", "s002-staffing")
    assert p.row("계")[:4] == ["계", "277", "271", "118"]
    assert "277 / 271 (118)" in p.row("계")
    assert p.row("도시농업과")[:4] == ["도시농업과", "22", "22", "10"]


def test_s002_zeropay_merchants(page):
    # 002:433 — "전국 가맹점 : 274,431개(서울 159,354개)"; 002:51 — 경제정책과 (제로페이추진반).
    p = page("programs", "s002-p-1-5-zero-pay")
    assert "274,431" in p.text
    assert p.meta["담당 조직"] == "제로페이추진반"


def test_s002_ocr_correction_yung_bokhap(page):
    # 002:592 prints "G밸리를 IT 용·복합 산업중심지로 육성" (TOC 515: 융·복합).
    assert record("programs", "s002-p-2-2-g-valley")["name"] == "G밸리를 IT 용·복합 산업중심지로 육성"
    p = page("programs", "s002-p-2-2-g-valley")
    assert p.h1 == "G밸리를 IT 융·복합 산업중심지로 육성"


# ---- 003 서울시 사회적경제지원센터 (2021.11.04) --------------------------------------------------------------------

def test_s003_small_business_collab_budget(page):
    # 003:105 — ④ 소상공인 사회적경제 협업 지원 2,500,000 → 560,000, 증감 △1,940,000 (천원).
    p = page("budget", "s003-2021-2-2-small-business-collab")
    assert p.row("예산현액")[1] == "560,000천원"
    assert p.row("전년도 예산 (2020)")[1] == "2,500,000천원"
    assert p.row("증감")[1] in ("△1,940,000천원", "-1,940,000천원")


def test_s003_total_budget(page):
    # 003:98 — 민간위탁 총계 8,487,514 → 6,185,415, 증감 △2,302,099.
    p = page("budget", "s003-2021-total")
    assert p.row("예산현액")[1] == "6,185,415천원"
    assert p.row("전년도 예산 (2020)")[1] == "8,487,514천원"


def test_s003_staffing(page):
    # 003:70-71 — 정 원 35 (1 1 5 7 10 11), 현 원 34 (1 1 4 7 10 11); 003:58 — "(2021년 10월 12일 기준)".
    p = page("staffing", "s003-staffing")
    # the table puts each row's figure in its own column: 정원 row → 정원 column, 현원 row → 현원 column
    assert p.row("정 원")[1] == "35"
    assert p.row("현 원")[2] == "34"
    assert p.row("현 원")[-6:] == ["1", "1", "4", "7", "10", "11"]
    assert "기준일 2021년 10월 12일" in p.text


def test_s003_public_market_target_actual(page):
    # 003:457 — 공공시장 확대지원: 매칭계약 목표 100억원, 실적 101.5억원.
    p = page("indicators", "s003-2020-public-market")
    assert ["2020", "100억원", "101.5억원"] in [r[:3] for r in p.rows]


def test_s003_program_budget(page):
    # 003:244 — 2-2 소상공인 사회적경제 협업: "사업비 : 560백만원(15개 내외 협업체당 최대 30백만원)".
    p = page("programs", "s003-p-2-2-small-business-collab")
    assert "560백만원" in p.text


def test_s003_2020_citizen_pr_last_line(page):
    # 003:480 — the file's last line: "시민홍보 및 인식제고 … 카드뉴스, 웹자보 등 198건 콘텐츠 제작·배포".
    p = page("programs", "s003-p-2020-citizen-pr")
    assert "198건 콘텐츠 제작·배포" in p.text
    assert "뉴스레터 발행(20회)" in p.text


# ---- 004 영등포구 사회적경제과 (2020) ---------------------------------------------------------------------------

def test_s004_social_economy_budget(page):
    # 004:57 — 사회적경제 활성화 2,213,148 / 1,971,492 / 2,200,148 (12.31까지) / 89.1 (천원, 10.31 기준).
    p = page("budget", "s004-2020-social-economy")
    assert p.row("예산현액")[1] == "2,213,148천원"
    assert p.row("지출액(집행액)")[1] == "1,971,492천원"
    assert p.row("연말 집행 예상")[1] == "2,200,148천원"
    assert p.row("보고서의 집행률")[1] == "89.1%"
    assert "기준일 2020년 10월 31일" in p.text


def test_s004_basic_expenses_rate(page):
    # 004:59 — 기본경비 85,094 / 64,795 / 76.2 (computed 76.1).
    p = page("budget", "s004-2020-basic-expenses")
    assert p.row("예산현액")[1] == "85,094천원"
    assert p.row("보고서의 집행률")[1] == "76.2%"
    assert "76.1%" in p.text


def test_s004_staffing(page):
    # 004:35-37 — 정원 13, 현원 13; 과부족 6급 △1, 7급 △3.
    p = page("staffing", "s004-staffing")
    assert p.row("정 원")[1] == "13" and p.row("현 원")[2] == "13"
    assert "△1" in p.row("과부족") and "△3" in p.row("과부족")


def test_s004_new_programs_budgets(page):
    # 004:317 — "소요예산: 총 93,500천원(구비)"; 004:351 (last line) — "소요예산: 총 20,000천원(구비)".
    assert page("budget", "s004-2021-new-1").row("소요예산(계획)")[1] == "93,500천원"
    p = page("budget", "s004-2021-new-2")
    assert p.row("소요예산(계획)")[1] == "20,000천원"
    assert p.meta["구비"] == "20,000천원"


def test_s004_ocr_correction_jeopjeom(page):
    # 004:213 prints "점점" for 접점 (correction list s004); the page shows 접점 and lists the correction.
    p = page("programs", "s004-p-2021-1-everyday-social-value")
    assert "접점" in p.text
    assert re.search(r"원문 “[^”]*점점[^”]*” → “[^”]*접점[^”]*” \(2\d\d행\)", p.text)


def test_s004_source_session(page):
    # 004:3-13 — 제227회 구의회 제2차 정례회, 2020. 11. 20. ~ 12. 23., 사회적경제과.
    p = page("sources", "s004")
    assert "제227회" in p.text
    assert "사회적경제과" in p.text
