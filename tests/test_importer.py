"""The report importer, run on the five bundled reports: counts against the seeds inventory, known
rows, schema validity of every draft, and byte-for-byte determinism."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from budgetsite.tools.importer import ImportSummary, import_report
from budgetsite.tools.importer.markup import cell_markdown, collapse_spacing, prose_blocks, to_markdown
from budgetsite.tools.importer.tables import Row, parse_date, parse_number, read_header

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[1] / "reports"  # the five reports' text, as the seeds give it
DATA = REPO / "data"
SCHEMAS = REPO / "budgetsite" / "kinds" / "schemas"
DOCS = {"s000": "000_ce72d8fe34580d4f.txt", "s001": "001_0c81e02709c51c95.txt",
        "s002": "002_60c850a9ae78bdee.txt", "s003": "003_e1ee63cb5ab76530.txt",
        "s004": "004_28d2bcfaeb1c558b.txt"}


class Imported:
    def __init__(self, summary: ImportSummary, out: Path):
        self.summary = summary
        self.out = out

    def records(self, kind: str) -> list[dict[str, Any]]:
        return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((self.out / kind).glob("*.yaml"))]

    def record(self, kind: str, record_id: str) -> dict[str, Any]:
        return yaml.safe_load((self.out / kind / f"{record_id}.yaml").read_text(encoding="utf-8"))

    def by_line(self, kind: str, line: int) -> dict[str, Any]:
        found = [r for r in self.records(kind) if r["source"]["lines"].split("-")[0] == str(line)]
        assert len(found) == 1, f"{len(found)} {kind} records start at line {line}"
        return found[0]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Imported]:
    if not SEEDS.is_dir():
        pytest.fail(f"seeds not found at {SEEDS}")
    result = {}
    for doc, name in DOCS.items():
        out = tmp_path_factory.mktemp(doc)
        result[doc] = Imported(import_report(SEEDS / name, doc, out, data_dir=DATA), out)
    return result


def _table_rows(imp: Imported, first: int, last: int) -> list[dict[str, Any]]:
    return [r for r in imp.records("budget") if first <= int(r["source"]["lines"].split("-")[0]) <= last]


# -- 000 section IV: administrative audit -------------------------------------------------------

def test_audit_items_per_category_and_status(imported: dict[str, Imported]) -> None:
    items = imported["s000"].records("audits")
    assert Counter(i["category"] for i in items) == {"시정·처리요구사항": 36, "건의사항": 13, "기타(자료제출 등)": 15}
    corrective = [i for i in items if i["category"] == "시정·처리요구사항"]
    assert Counter(i["status"] for i in corrective) == {"추진완료": 22, "추진 중": 12, "검토 중": 2}
    # Statuses as printed on the items (the summary table says 7 / 4 / 2; see the warning test).
    suggestions = [i for i in items if i["category"] == "건의사항"]
    assert Counter(i["status"] for i in suggestions) == {"추진완료": 6, "추진 중": 6, "검토 중": 1}
    assert [i["number"] for i in corrective] == list(range(1, 37))


def test_audit_items_name_their_department(imported: dict[str, Imported]) -> None:
    items = imported["s000"].records("audits")
    by_org = Counter((i["category"][:2], i["org"]) for i in items)
    assert by_org[("시정", "labor-policy-div")] == 12
    assert by_org[("시정", "zeropay-div")] == 5  # printed (제로페이반), a variant name of 제로페이담당관
    assert by_org[("건의", "small-business-policy-div")] == 7
    assert by_org[("기타", "zeropay-div")] == 4


def test_page_split_audit_item_is_merged(imported: dict[str, Imported]) -> None:
    item = imported["s000"].record("audits", "s000-draft-audit-c30")
    assert item["source"]["lines"] == "2448-2451"
    assert item["page_split"] is True
    assert item["request"].startswith("소비자 보호운동은 공공에서 많은 예산을 지원하고 있지만, 장애인 정보접근에")
    assert item["org"] == "fair-economy-div"  # the unit is printed only on the continuation row
    assert item["status"] == "추진완료"
    assert "장애인소비자피해구제 보조금" in item["actions"]
    assert item["plan"].startswith("- 장애인소비자 피해구제 보조금 사업 최종평가")
    warnings = imported["s000"].summary.warnings
    assert "line 2451: continuation row merged into 시정·처리요구사항 30 (line 2448)" in warnings


def test_flattened_table_copies_are_not_items(imported: dict[str, Imported]) -> None:
    items = imported["s000"].records("audits")
    starts = {int(i["source"]["lines"].split("-")[0]) for i in items}
    assert not starts & {2467, 2468, 2486, 2487, 2488}
    last = imported["s000"].record("audits", "s000-draft-audit-c36")
    assert last["source"]["lines"] == "2463-2466"
    assert "| 지정취소 | 경고 | 주의 | 시정지시 | 현지지도 | 기타 |" in last["actions"]


def test_other_items_have_completion_dates(imported: dict[str, Imported]) -> None:
    first = imported["s000"].record("audits", "s000-draft-audit-o01")
    assert first["completed_date"] == "2019-11-14"
    assert first["actions"] == "- 자료 제출 완료 (2019. 11. 14.)"


def test_audit_summary_and_its_disagreement(imported: dict[str, Imported]) -> None:
    [summary] = imported["s000"].records("audit-summaries")
    rows = {r["category"]: r for r in summary["rows"]}
    assert rows["계"] == {"category": "계", "total": 64, "추진완료": 44, "추진 중": 16, "검토 중": 4, "미반영": None}
    assert rows["건의사항"]["total"] == 13
    assert summary["audit"] == "2019 행정감사"
    assert any(w.startswith("line 2380: audit summary 건의사항") for w in imported["s000"].summary.warnings)


# -- 000 section V: numbered, page-split budget lines ------------------------------------------

def test_section_v_has_74_lines_by_department(imported: dict[str, Imported]) -> None:
    lines = [r for r in imported["s000"].records("budget") if r.get("level") == "세부사업"]
    assert sorted(int(r["number"]) for r in lines) == list(range(1, 75))
    assert Counter(r["org"] for r in lines) == {
        "labor-policy-div": 18, "small-business-policy-div": 24, "fair-economy-div": 7,
        "social-economy-div": 22, "zeropay-div": 3}
    assert {r["unit"] for r in lines} == {"백만원"}
    assert {r["as_of"] for r in lines} == {"2020-09-30"}


def test_section_v_known_line(imported: dict[str, Imported]) -> None:
    line = imported["s000"].record("budget", "s000-draft-budget-5-12")
    assert line["name"] == "서울시 직장내 괴롭힘 방지 확산"
    assert (line["budget"], line["spent"]) == (215, 58)
    assert line["source"] == {"doc": "s000", "lines": "2585", "section": "V. 2020 예산 사업별 집행현황"}
    assert line["overview"].startswith("- 신고 사건에 대한 효과적 대처")
    assert "  - 관리자, 실무자 대상 직장 내 괴롭힘 예방교육" in line["progress"]  # nested bullet


def test_section_v_continuations_are_merged_cell_wise(imported: dict[str, Imported]) -> None:
    warnings = imported["s000"].summary.warnings
    merged = [w for w in warnings if "continuation row merged into 연번" in w]
    assert len(merged) == 21
    assert "line 2563: continuation row merged into 연번 3 (line 2558)" in merged
    franchise = imported["s000"].record("budget", "s000-draft-budget-5-46")
    assert franchise["source"]["lines"] == "2672-2675"
    assert franchise["name"] == "서울형 소셜 프랜차이즈 육성 및 지원"  # the name itself was cut
    assert franchise["plan"].endswith("컨설팅 성과공유회 개최(12월)")


def test_section_v_summary_row_missing_a_column(imported: dict[str, Imported]) -> None:
    total = imported["s000"].by_line("budget", 2530)
    assert (total["budget"], total["obligated"], total["spent"], total["rate_stated"]) == (729867, 673347, 670500, 91.9)
    dept = imported["s000"].by_line("budget", 2531)
    # 지출액 is not printed for departments; their second figure sums to 원인행위액, not 지출액.
    assert dept["obligated"] == 26787 and "spent" not in dept
    assert (dept["budget"], dept["rate_stated"], dept["level"], dept["parent"]) == (36351, 73.4, "부서", total["id"])
    fund = imported["s000"].by_line("budget", 2537)
    assert fund["obligated"] == 75424 and fund["level"] == "재원"


def test_section_v_thousands_dot_kept_as_printed(imported: dict[str, Imported]) -> None:
    line = imported["s000"].record("budget", "s000-draft-budget-5-19")
    assert line["budget"] == 325.587
    assert any("325,587" in n for n in line["notes"])


# -- 000 section I and staffing ------------------------------------------------------------------

def test_section_i_budget_hierarchy(imported: dict[str, Imported]) -> None:
    rows = _table_rows(imported["s000"], 46, 67)
    assert len(rows) == 21
    by_line = {int(r["source"]["lines"]): r for r in rows}
    assert by_line[47]["level"] == "총계" and by_line[47]["budget"] == 729867
    assert by_line[50]["parent"] == by_line[49]["id"]  # under 일반회계 계
    # Lines 63-64 are printed a cell to the left; they still belong to 도시개발 특별회계 계.
    assert by_line[63]["parent"] == by_line[62]["id"]
    assert (by_line[63]["budget"], by_line[63]["spent"], by_line[63]["rate_stated"]) == (4247, 1855, 43.7)
    assert by_line[63]["account"] == "도시개발 특별회계"
    assert by_line[67]["parent"] == by_line[65]["id"]
    assert {r["as_of"] for r in rows} == {"2020-10-20"}


def test_staffing_000(imported: dict[str, Imported]) -> None:
    [table] = imported["s000"].records("staffing")
    assert len(table["rows"]) == 6
    assert table["as_of"] == "2020-10-20"
    labor = table["rows"][1]
    assert (labor["label"], labor["org"]) == ("노동정책담당관", "labor-policy-div")
    assert (labor["authorized"], labor["current"], labor["women"], labor["shortage"]) == (33, 35, 16, 2)
    assert table["rows"][2]["shortage"] == -1  # △1
    assert table["rows"][0]["shortage"] is None  # "-"
    assert labor["cells"]["일반직 7급 이하"] == "7/9"
    assert table["note"] == "※ ()은 부서별 여성공무원 수(현원)"


def test_staffing_other_reports(imported: dict[str, Imported]) -> None:
    [s002] = imported["s002"].records("staffing")
    total = s002["rows"][0]
    assert (total["authorized"], total["current"], total["women"]) == (277, 271, 118)
    assert len(s002["rows"]) == 10
    [s001] = imported["s001"].records("staffing")
    assert s001["rows"][0]["shortage"] == -10  # "△ 10"
    [s004] = imported["s004"].records("staffing")
    assert [r["label"] for r in s004["rows"]] == ["정 원", "현 원", "과부족"]
    assert s004["rows"][2]["cells"]["일반직 7급"] == "△3"


# -- budget tables of the other reports ------------------------------------------------------------

def test_budget_row_counts(imported: dict[str, Imported]) -> None:
    assert len(_table_rows(imported["s001"], 62, 66)) == 4
    assert len(_table_rows(imported["s002"], 65, 76)) == 10
    assert len(_table_rows(imported["s003"], 97, 117)) == 20
    assert len(_table_rows(imported["s004"], 54, 59)) == 4
    # 004 also prints one budget table per 2020 program and a 소요예산 line per 2021 plan.
    assert len(imported["s004"].records("budget")) == 4 + 3 + 5


def test_two_rate_columns_found_by_name(imported: dict[str, Imported]) -> None:
    hub = imported["s002"].by_line("budget", 74)
    assert hub["name"] == "거점성장추진단" and hub["org"] == "hub-growth-group"
    assert (hub["budget"], hub["obligated"], hub["spent"]) == (122546, 47308, 36871)
    assert (hub["obligation_rate_stated"], hub["rate_stated"]) == (38.6, 30.1)
    assert hub["level"] == "부서"


def test_year_comparison_table(imported: dict[str, Imported]) -> None:
    row = imported["s003"].by_line("budget", 105)
    assert (row["number"], row["name"]) == ("④", "소상공인 사회적경제 협업 지원 (소상공인 협업)")
    assert (row["prior_year"], row["prior_budget"], row["year"], row["budget"]) == (2020, 2500000, 2021, 560000)
    assert row["change_stated"] == -1940000  # △1,940,000
    assert row["unit"] == "천원" and row["level"] == "단위사업"
    area = imported["s003"].by_line("budget", 103)
    assert row["parent"] == area["id"] and area["level"] == "소계"


def test_forecast_and_funding(imported: dict[str, Imported]) -> None:
    unit = imported["s004"].by_line("budget", 57)
    assert (unit["budget"], unit["spent"], unit["forecast"], unit["rate_stated"]) == (2213148, 1971492, 2200148, 89.1)
    assert unit["as_of"] == "2020-10-31"
    program = imported["s004"].by_line("budget", 102)
    assert program["funding"] == {"national": 98000, "city": 392000, "district": 446864}
    assert program["name"] == "연대와 협력을 통한 생활 속 사회적경제 추진"
    assert program["programs"] == ["s004-draft-p-2-1"]
    assert program["org"] == "ydp-social-economy-policy-team"  # the team printed after the program's name
    assert "level" not in program
    planned = imported["s004"].by_line("budget", 317)
    assert (planned["planned"], planned["unit"], planned["funding"]) == (93500, "천원", {"district": 93500})


def test_integer_rates_and_unit_from_line_above(imported: dict[str, Imported]) -> None:
    labor = imported["s001"].by_line("budget", 65)
    assert (labor["budget"], labor["obligated"], labor["spent"], labor["rate_stated"]) == (19490, 10102, 7174, 37)
    assert labor["unit"] == "백만원" and labor["as_of"] == "2018-08-20"


# -- programs --------------------------------------------------------------------------------------

def _programs(imp: Imported) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records = imp.records("programs")
    return [r for r in records if "parent" not in r], [r for r in records if "parent" in r]


def test_program_counts(imported: dict[str, Imported]) -> None:
    tops, subs = _programs(imported["s000"])
    assert (len(tops), len(subs)) == (42, 24)
    assert Counter(p["number"].split("-")[0] for p in tops) == {"1": 9, "2": 13, "3": 7, "4": 8, "5": 5}
    assert len(_programs(imported["s003"])[0]) == 11
    assert len(_programs(imported["s002"])[0]) == 19
    tops_004 = _programs(imported["s004"])[0]
    assert len(tops_004) == 8
    assert sum(bool(p.get("heading_missing")) for p in tops_004) == 4


def test_program_sections_and_bullets(imported: dict[str, Imported]) -> None:
    program = imported["s000"].record("programs", "s000-draft-p-1-2")
    assert program["name"] == "「서울특별시 노사민정협의회」 운영"  # number and name on separate lines
    assert program["source"]["lines"] == "182-230"
    assert [s["heading"] for s in program["sections"]] == ["사업개요", "추진실적", "향후계획"]
    body = program["sections"][0]["body"]
    assert body.startswith("- 추진근거\n  - 「노사관계 발전 지원에 관한 법률」")
    assert program["legal_basis"] == ["「노사관계 발전 지원에 관한 법률」 제3조 및 같은 법 시행령 제2조 등",
                                      "「서울특별시 노사민정협의회 설치 및 운영 조례」"]
    sub = imported["s000"].record("programs", "s000-draft-p-2-4-2")
    assert sub["parent"] == "s000-draft-p-2-4" and sub["number"] == "②"


def test_program_team_and_lost_headings(imported: dict[str, Imported]) -> None:
    first = imported["s004"].record("programs", "s004-draft-p-2-1")
    assert first["name"] == "연대와 협력을 통한 생활 속 사회적경제 추진"
    assert first["org"] == "ydp-social-economy-policy-team"  # printed after the name
    assert first["stage"] == "실적" and first["year"] == 2020
    lost = imported["s004"].record("programs", "s004-draft-p-2-2")
    assert lost["heading_missing"] is True
    assert lost["name"] == "사회적기업 기반구축으로 지역사회 정착화"  # from the contents list
    assert lost["source"]["lines"].startswith("104-")
    plan = imported["s004"].record("programs", "s004-draft-p-3-1")
    assert plan["stage"] == "계획" and plan["year"] == 2021
    assert plan["sections"][-1] == {"heading": "소요예산", "body": "총 775,975천원 (시 150,000, 구비 625,975)",
                                    "lines": "216"}


def test_no_html_left_in_text(imported: dict[str, Imported]) -> None:
    tag = re.compile(r"</?(p|ul|li|input|table|tr|td|th|br)\b", re.I)
    for imp in imported.values():
        for path in imp.out.rglob("*.yaml"):
            assert not tag.search(path.read_text(encoding="utf-8")), path.name


# -- every draft -----------------------------------------------------------------------------------

def _validators() -> dict[str, Draft202012Validator]:
    schemas = {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
               for p in SCHEMAS.glob("*.schema.json")}
    registry: Registry = Registry().with_resources(
        (f"{name}.schema.json", Resource.from_contents(s)) for name, s in schemas.items())
    return {name: Draft202012Validator(s, registry=registry) for name, s in schemas.items()}


def test_every_draft_is_valid_and_sourced(imported: dict[str, Imported]) -> None:
    validators = _validators()
    checked = 0
    for doc, imp in imported.items():
        for path in sorted(imp.out.rglob("*.yaml")):
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            kind = path.parent.name
            errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                      for e in validators[kind].iter_errors(record)]
            assert not errors, f"{path.name}: {errors}"
            assert record["id"] == path.stem and record["id"].startswith(f"{doc}-draft-")
            assert record["source"]["doc"] == doc
            checked += 1
    assert checked > 350


def test_summary_counts_match_files(imported: dict[str, Imported]) -> None:
    imp = imported["s000"]
    assert imp.summary.counts == {"audit-summaries": 1, "audits": 64, "budget": 104, "programs": 66, "staffing": 1}
    assert imp.summary.sections["IV. 2019 행정감사 조치결과"] == {"audit-summaries": 1, "audits": 64}
    assert imp.summary.sections["V. 2020 예산 사업별 집행현황"] == {"budget": 83}
    assert sorted(imp.summary.files) == sorted(imp.out.rglob("*.yaml"))
    assert "64 audits" in str(imp.summary)


def test_two_runs_write_identical_bytes(imported: dict[str, Imported], tmp_path: Path) -> None:
    for doc, name in DOCS.items():
        out = tmp_path / doc
        import_report(SEEDS / name, doc, out, data_dir=DATA)
        first = {p.relative_to(imported[doc].out): p.read_bytes() for p in imported[doc].out.rglob("*.yaml")}
        second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.yaml")}
        assert first == second, doc


def test_reimport_replaces_only_this_reports_drafts(tmp_path: Path) -> None:
    stale = tmp_path / "budget" / "s004-draft-budget-l9999.yaml"
    curated = tmp_path / "budget" / "s004-2020-total.yaml"
    other = tmp_path / "budget" / "s003-draft-budget-l98.yaml"
    for path in (stale, curated, other):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("id: x\n", encoding="utf-8")
    summary = import_report(SEEDS / DOCS["s004"], "s004", tmp_path, data_dir=DATA)
    assert summary.removed == [stale] and not stale.exists()
    assert curated.exists() and other.exists()


# -- the pieces ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("printed", "value", "extra"), [
    ("36,351", 36351, {}),
    ("△1,940,000", -1940000, {}),
    ("△ 10", -10, {}),
    ("92.3%", 92.3, {"percent": True}),
    ("-", None, {}),
    ("142 (63)", 142, {"secondary": 63}),
    ("24/26", None, {"pair": (24, 26)}),
    ("277 / 271 (118)", None, {"pair": (277, 271), "secondary": 118}),
    ("936,864 (국 98,000, 시 392,000, 구비 446,864)", 936864,
     {"split": (("national", 98000), ("city", 392000), ("district", 446864))}),
])
def test_parse_number(printed: str, value: object, extra: dict[str, object]) -> None:
    number = parse_number(printed)
    assert number is not None and number.value == value
    for key, expected in extra.items():
        assert getattr(number, key) == expected


@pytest.mark.parametrize("text", ["노동정책담당관", "2020년", "사업개요", "1. 사회적경제 전략 개발"])
def test_text_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_header_rows_join_and_spacing_collapses() -> None:
    rows = (Row(1, ("구 분", "예산현액", "원인행위액", "지출액", "집행률", "")),
            Row(2, ("", "", "", "", "원인행위", "지출액")),
            Row(3, ("계", "570,007", "329,145", "307,002", "57.7", "53.9")))
    header = read_header(rows)
    assert header.rows == 2
    assert header.names == ("구분", "예산현액", "원인행위액", "지출액", "집행률 원인행위", "집행률 지출액")
    assert collapse_spacing("캠 퍼 스타 운 활 성 화 과") == "캠퍼스타운활성화과"
    assert collapse_spacing("사업 예산") == "사업 예산"


def test_dates() -> None:
    assert parse_date("(10.20기준 / 단위 : 백만원)", 2020) == "2020-10-20"
    assert parse_date("(단위 : 백만원, %, '19. 8.19. 기준)", None) == "2019-08-19"
    assert parse_date("□ 인력 운영 현황(2021년 10월 12일 기준)", None) == "2021-10-12"


def test_cell_outline_to_markdown() -> None:
    cell = ('<ul style="list-style-type: none"> ○ 노동권리수첩 발간 <ul style="list-style-type: none"> '
            '- 배포 : 3만부 - 대상 : 시민 ○ 교육 <p>※ 코로나19로 연기</p>')
    assert cell_markdown(cell) == "- 노동권리수첩 발간\n  - 배포 : 3만부\n  - 대상 : 시민\n- 교육\n  ※ 코로나19로 연기"
    prose = ["□ 사업개요", "", "- 위치 : 구로구", " - 연면적 : 20,961㎡", "- 시-구 협력"]
    assert to_markdown(prose_blocks(prose[1:])) == "- 위치 : 구로구\n  - 연면적 : 20,961㎡\n- 시-구 협력"
