"""The data dictionary: every exported table and column, described in Korean and English.

One list feeds the CSV headers, the XLSX "columns" sheet, datapackage.json, the README and the
/data/ page, so the four never disagree.
"""

from __future__ import annotations

from ...kinds import Registry
from ...money import currency
from .schema import Column, Table, schema_enum

C = Column
def money(prefix: str, ko: str, en: str, phase: str = "") -> list[Column]:
    """An amount as printed, its printed unit, and the same amount in the currency's base unit
    (the measure: budget_won for the won). Fiscal Data Package: a measure is a column of money with
    its currency, its factor (already in the base unit, so 1) and, for budget figures, its phase."""
    cur = currency()
    measure = {"columnType": "value", "currency": cur.code, "factor": 1, "direction": "expenditure"}
    fiscal = {**measure, "phase": phase} if phase else measure
    return [
        C(prefix, "number", f"{ko} (인쇄된 값, 단위는 {prefix}_unit)",
          f"{en}, as printed, in the unit given in {prefix}_unit"),
        C(f"{prefix}_unit", "string", f"{ko}의 인쇄 단위", f"Printed unit of {prefix}",
          enum=tuple(name for name, _ in cur.units)),
        C(f"{prefix}_{cur.column_suffix}", "integer", f"{ko} ({cur.base} 단위로 환산)",
          f"{en} in {cur.base_name_en} ({cur.code})", fiscal=fiscal),
    ]


def org(ko: str = "담당 조직", en: str = "Responsible organisation unit") -> list[Column]:
    return [C("org", "string", f"{ko} id (orgs 표)", f"{en}: id in the orgs table", ref="orgs"),
            C("org_name", "string", f"{ko} 이름", f"{en}: name")]


PROGRAMS_LIST = C("programs", "string", "관련 사업 id 목록 (programs 표, 한 줄에 하나)",
                  "Related program ids (programs table), one per line", many=True)

# Every row says where it came from and when, and links to its page.
PROVENANCE = [
    C("source_doc", "string", "출처 보고서 id (sources 표)", "Source report id (sources table)",
      required=True, ref="sources"),
    C("source_title", "string", "출처 보고서 제목", "Source report title", required=True),
    C("source_section", "string", "보고서 안의 장·절", "Section of the report"),
    C("source_line_start", "integer", "보고서 원문에서 이 기록이 시작하는 줄 번호",
      "First line of the record in the report text", required=True),
    C("source_line_end", "integer", "보고서 원문에서 이 기록이 끝나는 줄 번호",
      "Last line of the record in the report text", required=True),
    C("as_of", "date", "기준일: 기록 자체의 기준일, 없으면 보고서 날짜",
      "As-of date: the record's own, else the report's date", required=True),
    C("url", "string", "이 기록의 페이지 주소", "URL of the record's page", required=True),
    C("editor_notes", "string", "편집자 메모 (한 줄에 하나)", "Editor's notes, one per line", many=True),
    C("data_notes", "string", "이 기록에 관한 데이터 노트 id (notes 표, 한 줄에 하나)",
      "Ids of data notes about this record (notes table), one per line", many=True),
]


def tables(registry: Registry) -> list[Table]:
    """The tables, in the order the /data/ page lists them, without rows."""

    def enum(kind: str, *path: str) -> tuple[str, ...]:
        return schema_enum(registry, kind, *path)

    def make(name: str, kind: str, ko: str, en: str, cols: list[Column],
             key: tuple[str, ...] = ("id",)) -> Table:
        return Table(name, kind, ko, en, cols + PROVENANCE, key)

    rid = C("id", "string", "기록 id (페이지 주소의 일부)", "Record id (part of the page URL)", required=True)
    return [
        make("programs", "programs", "사업: 보고서의 사업 설명 하나가 한 행",
             "Programs: one program narrative per row", [
            rid,
            C("name", "string", "사업명 (보고서 표기)", "Program name as printed", required=True),
            C("number", "string", "보고서의 번호", "Number in the report"),
            C("area", "string", "전략 분야(장)", "Strategic area (chapter)"),
            C("year", "integer", "사업 연도", "Program year"),
            C("stage", "string", "보고서에서의 성격 (실적·계획·신규·중점)", "Stage: results, plan or new/priority",
              enum=enum("programs", "stage")),
            *org(),
            C("parent", "string", "상위 사업 id (세부사업인 경우)", "Parent program id (for sub-programs)",
              ref="programs"),
            C("successor_of", "string", "이 사업이 이어받은 이전 연도 사업 id",
              "Id of the prior-year program it continues", ref="programs"),
            C("summary", "string", "사업 목적 (마크다운)", "Purpose (Markdown)"),
            C("legal_basis", "string", "추진근거 법령·조례 (한 줄에 하나)", "Legal basis, one per line", many=True),
            C("budget_text", "string", "보고서에 적힌 소요예산 문구", "Budget as worded in the report"),
            C("name_variants", "string", "목차 등 다른 곳의 표기 (한 줄에 하나)", "Other spellings, one per line",
              many=True),
        ]),
        make("budget", "budget", "예산: 예산 표의 한 줄이 한 행 (총계·소계 포함)",
             "Budget lines: one row of a budget table per row, totals included", [
            rid,
            C("name", "string", "예산 항목 이름 (보고서 표기)", "Budget line name as printed", required=True),
            C("number", "string", "연번", "Row number in the table"),
            C("table", "string", "보고서 안의 표 이름", "Table of the report the line is in"),
            C("level", "string", "표 안의 위계 (총계·소계·부서·재원·단위사업·세부사업)",
              "Level in the table (total, subtotal, department, funding, unit or detailed program)",
              enum=enum("budget", "level")),
            C("account", "string", "회계 (일반회계, 특별회계, 기금 …)", "Account (general, special, fund …)"),
            C("year", "integer", "예산 연도", "Budget year", required=True, fiscal={"columnType": "date:fiscal-year"}),
            *org(),
            C("parent", "string", "이 줄을 포함하는 합계 줄 id", "Id of the total line containing this line",
              ref="budget"),
            PROGRAMS_LIST,
            C("unit", "string", "표의 인쇄 단위 (change_stated의 단위)",
              "Printed unit of the table (unit of change_stated)", required=True,
              enum=tuple(name for name, _ in currency().units)),
            *money("budget", "예산현액(현재 예산) 또는 예산액", "Current budget (or budget amount)", "adjusted"),
            *money("obligated", "원인행위액", "Obligated (committed) amount", "committed"),
            *money("spent", "지출액(집행액)", "Spent (executed) amount", "executed"),
            *money("forecast", "연말 집행 예상액", "Year-end spending forecast"),
            *money("planned", "다음 연도 소요예산(계획)", "Next year's planned budget", "proposed"),
            C("prior_year", "integer", "비교 대상 이전 연도", "Prior year compared"),
            *money("prior_budget", "이전 연도 예산", "Prior year's budget"),
            C("change_stated", "number", "보고서에 적힌 증감 (unit 단위, △는 음수)",
              "Change as printed, in `unit` (△ written as negative)"),
            C("execution_rate_computed", "number",
              "집행률(%) = 지출액 ÷ 예산현액 × 100, 원 단위로 계산해 소수 넷째 자리까지",
              "Execution rate (%) = spent ÷ budget × 100, computed in won, 4 decimals"),
            C("rate_stated", "number", "보고서에 적힌 집행률(%)", "Execution rate (%) as printed"),
            C("rate_agrees", "boolean", "적힌 집행률이 계산한 집행률과 인쇄된 자릿수에서 같은지",
              "Whether the printed rate agrees with the computed one at its printed precision"),
            C("obligation_rate_stated", "number", "보고서에 적힌 원인행위 기준 집행률(%)",
              "Obligation rate (%) as printed"),
            *money("funding_national", "재원: 국비", "Funding: national government"),
            *money("funding_city", "재원: 시비", "Funding: city"),
            *money("funding_district", "재원: 구비", "Funding: district"),
            *money("funding_private", "재원: 민간", "Funding: private"),
        ]),
        make("audits", "audits", "행정사무감사 요구사항: 요구사항과 조치결과 하나가 한 행",
             "Administrative audit requests: one council request and its answer per row", [
            rid,
            C("audit", "string", "감사 이름", "Audit", required=True),
            C("category", "string", "구분 (시정·처리요구사항, 건의사항, 기타)",
              "Category (correction, suggestion, other)", required=True, enum=enum("audits", "category")),
            C("number", "integer", "구분 안의 순번", "Number within the category", required=True),
            C("status", "string", "추진상황", "Status", required=True, enum=enum("audits", "status")),
            C("status_printed", "string", "원문의 추진상황 표기", "Status as printed"),
            *org(),
            C("request", "string", "의회의 요구 내용 (마크다운)", "The council's request (Markdown)", required=True),
            C("actions", "string", "추진내용 (마크다운)", "Actions taken (Markdown)"),
            C("plan", "string", "향후계획 (마크다운)", "Further plans (Markdown)"),
            C("completed_date", "date", "완료일", "Date completed"),
            C("duplicate_of", "string", "같은 요구사항의 id", "Id of the same request", ref="audits"),
            PROGRAMS_LIST,
        ]),
        make("orgs", "orgs", "조직: 조직 단위 하나가 한 행", "Organisation units: one unit per row", [
            rid,
            C("name", "string", "조직 이름", "Name", required=True),
            C("type", "string", "조직 유형 (실, 과, 팀, 센터 …)", "Type (office, division, team, centre …)",
              required=True),
            C("jurisdiction", "string", "지방자치단체", "Local government", required=True,
              enum=enum("orgs", "jurisdiction")),
            C("parent", "string", "상위 조직 id", "Parent unit id", ref="orgs"),
            C("predecessors", "string", "이전 조직 id (이름이 바뀐 경우, 한 줄에 하나)",
              "Ids of earlier units it was renamed from, one per line", many=True),
            C("name_variants", "string", "다른 표기·옛 이름 (한 줄에 하나)",
              "Other spellings and old names, one per line", many=True),
            C("functions", "string", "보고서별 주요기능 ([보고서 id] 기능, 한 줄에 하나)",
              "Functions by report ([report id] function), one per line", many=True),
            C("summary", "string", "조직 소개 (마크다운)", "About the unit (Markdown)"),
        ]),
        make("indicators", "indicators", "정책지표: 지표의 연도별 값 하나가 한 행",
             "Policy indicators: one value (period) of an indicator per row", [
            C("id", "string", "지표 기록 id", "Indicator record id", required=True),
            C("value_no", "integer", "지표 안에서 값의 순번 (1부터)", "Position of the value in the indicator (from 1)",
              required=True),
            C("name", "string", "지표 이름", "Indicator name", required=True),
            C("domain", "string", "분야", "Domain"),
            C("unit", "string", "지표 단위 (명, 건, 억원, % …)", "Indicator unit (people, cases, 억원, % …)"),
            *org(),
            PROGRAMS_LIST,
            C("period", "string", "연도 또는 기간 (원문 표기)", "Year or period as written", required=True),
            C("target", "number", "목표 (수치인 경우)", "Target, when a number"),
            C("target_text", "string", "목표 (기록에 적힌 그대로)", "Target as written in the record"),
            C("actual", "number", "실적 (수치인 경우)", "Actual, when a number"),
            C("actual_text", "string", "실적 (기록에 적힌 그대로)", "Actual as written in the record"),
            C("rate_stated", "number", "보고서에 적힌 달성률(%)", "Achievement rate (%) as printed"),
            C("note", "string", "비고", "Note"),
        ], key=("id", "value_no")),
        make("staffing", "staffing", "인력 현황: 인력 표의 한 줄이 한 행",
             "Staffing: one row of a staffing table per row", [
            C("id", "string", "인력 표 기록 id", "Staffing table record id", required=True),
            C("row_no", "integer", "표 안에서 행의 순번 (1부터)", "Position of the row in the table (from 1)",
              required=True),
            C("title", "string", "표 제목", "Table title"),
            C("label", "string", "행 이름 (원문)", "Row label as printed", required=True),
            *org("해당 조직", "Organisation unit of the row"),
            C("authorized", "integer", "정원", "Authorised posts"),
            C("current", "integer", "현원", "Current staff"),
            C("women", "integer", "현원 중 여성", "Women among current staff"),
            C("shortage", "integer", "과부족 (△는 음수)", "Surplus or shortage (△ written as negative)"),
            C("cells", "object", "세부 칸 (칸 이름 → 원문 값, JSON 객체)",
              "Detail cells (column name → value as printed), a JSON object"),
            C("table_note", "string", "표 아래 주석", "Note under the table"),
        ], key=("id", "row_no")),
        make("contracts", "contracts", "민간위탁: 위탁 사무 하나가 한 행",
             "Consignments: one consigned service per row", [
            rid,
            C("service", "string", "사무명", "Service", required=True),
            C("consignee", "string", "수탁기관", "Consignee", required=True),
            C("representative", "string", "대표자", "Representative"),
            C("type", "string", "유형 (민간위탁, 민간보조, 대행 …)", "Type (consignment, subsidy, agency …)"),
            *org(),
            C("facility", "string", "관련 시설 id (facilities 표)", "Related facility id (facilities table)",
              ref="facilities"),
            PROGRAMS_LIST,
            C("terms", "string", "위탁 기간 (기간 · 구분 · 수탁기관, 한 줄에 하나)",
              "Terms (period · kind · consignee), one per line", many=True),
            C("legal_basis", "string", "근거 법령·조례 (한 줄에 하나)", "Legal basis, one per line", many=True),
            C("duties", "string", "수탁 업무 (한 줄에 하나)", "Duties, one per line", many=True),
            *money("budget", "예산", "Budget"),
            C("staff", "string", "인력 (원문)", "Staff as printed"),
            C("evaluation", "string", "평가 결과 (항목: 결과, 한 줄에 하나)",
              "Evaluations (item: result), one per line", many=True),
            C("summary", "string", "설명 (마크다운)", "Summary (Markdown)"),
        ]),
        make("facilities", "facilities", "시설: 시설 하나가 한 행", "Facilities: one facility per row", [
            rid,
            C("name", "string", "시설 이름", "Name", required=True),
            C("address", "string", "주소", "Address"),
            C("area", "string", "면적 (원문 표기)", "Floor area as printed"),
            C("floors", "string", "층수", "Floors"),
            C("opened", "string", "개관·개소", "Opened"),
            C("operator", "string", "운영(수탁)기관", "Operator"),
            *org(),
            PROGRAMS_LIST,
            C("summary", "string", "설명 (마크다운)", "Summary (Markdown)"),
        ]),
        make("notes", "notes", "데이터 노트: 보고서 안에서 서로 다른 기록 하나가 한 행",
             "Data notes: one discrepancy between places in the reports per row", [
            rid,
            C("title", "string", "무엇이 다른지", "What differs", required=True),
            C("kind", "string", "종류", "Kind", required=True, enum=enum("notes", "kind")),
            C("summary", "string", "설명 (마크다운)", "Explanation (Markdown)"),
            C("records", "string", "관련 기록 id (한 줄에 하나)", "Ids of the records concerned, one per line",
              many=True),
            C("claims", "string", "각 곳에 적힌 내용 ([보고서 id 줄] 내용, 한 줄에 하나)",
              "What each place says ([report id lines] text), one per line", many=True),
        ]),
        make("sources", "sources", "보고서: 출처 보고서 하나가 한 행 (부록 보고서 포함)",
             "Reports: one source report per row (appended reports included)", [
            rid,
            C("title", "string", "보고서 제목", "Title", required=True),
            C("parent", "string", "이 보고서가 부록으로 붙은 보고서 id", "Id of the report this one is appended to",
              ref="sources"),
            C("issuer", "string", "발행 조직 id (orgs 표)", "Issuing organisation id (orgs table)", ref="orgs"),
            C("issuer_name", "string", "발행 조직 이름", "Issuing organisation name"),
            C("jurisdiction", "string", "지방자치단체", "Local government", required=True,
              enum=enum("sources", "jurisdiction")),
            C("council_session", "string", "보고한 의회 회기", "Council session reported to"),
            C("committee", "string", "소관 위원회", "Committee"),
            C("report_date", "date", "보고 날짜", "Report date", required=True),
            C("report_date_printed", "string", "원문의 날짜 표기", "Report date as printed"),
            C("year", "integer", "보고 대상 연도", "Year reported on"),
            C("as_of_dates", "string", "보고서 안의 기준일 (무엇: 날짜, 한 줄에 하나)",
              "As-of dates inside the report (what: date), one per line", many=True),
            C("summary", "string", "보고서 소개 (마크다운)", "About the report (Markdown)"),
        ]),
    ]
