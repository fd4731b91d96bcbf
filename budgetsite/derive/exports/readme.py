"""README.md of the downloads, in Korean then English: what each file is, how the values are
written, the licence, how to cite, and every column of every table."""

from __future__ import annotations

from dataclasses import dataclass

from ...money import currency
from .datapackage import Licence, SourceReport
from .schema import Table


@dataclass(frozen=True)
class About:
    """What the README and the /data/ page say about the whole download."""
    title: str  # the site's title
    publisher: str
    data_url: str  # absolute URL of /data/
    date: str  # the latest as-of date of any row
    licence: Licence
    sources: list[SourceReport]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _columns(table: Table, lang: str) -> list[str]:
    head = "| 열 | 형식 | 설명 |" if lang == "ko" else "| column | type | description |"
    lines = [head, "|---|---|---|"]
    for c in table.columns:
        text = c.ko if lang == "ko" else c.en
        if c.ref:
            text += f" → `{c.ref}.id`"
        lines.append(f"| `{c.name}` | {c.type} | {_cell(text)} |")
    return lines


KO = {
    "heading": "한국어",
    "intro": "이 묶음에는 사이트의 모든 기록이 표로 들어 있습니다. 표마다 CSV, XLSX, JSON 세 형식이 있고, "
             "`datapackage.json`(Frictionless Data Package)이 열의 형식, 기본 키와 외래 키, "
             "출처와 이용 조건을 설명합니다.",
    "rules_title": "값을 적는 방식",
    "rules": [
        "CSV는 UTF-8(BOM 포함), 쉼표 구분, 줄바꿈 CRLF입니다. 빈 칸은 값이 없음을 뜻합니다.",
        "모든 행에 출처 보고서(`source_doc`, `source_title`), 원문 줄 범위(`source_line_start`–`source_line_end`), "
        "기준일(`as_of`), 기록 페이지 주소(`url`)가 있습니다.",
        "금액은 보고서에 인쇄된 값과 단위(예: `budget`, `budget_unit`)와, "
        "{base} 단위로 환산한 값(`budget_{suffix}`)을 함께 싣습니다. "
        "단위가 행마다 다르므로 합계는 `_{suffix}` 열로 내세요.",
        "집행률 `execution_rate_computed`는 지출액 ÷ 예산현액 × 100을 {base} 단위로 계산해 "
        "소수 넷째 자리에서 반올림한 값입니다. 보고서에 적힌 집행률은 `rate_stated`, "
        "둘이 인쇄된 자릿수에서 같은지는 `rate_agrees`에 있습니다.",
        "글은 보고서에 인쇄된 그대로입니다(표기 교정은 사이트 화면에만 적용). "
        "마크다운 목록 기호가 들어 있을 수 있습니다.",
        "여러 값이 들어가는 칸은 CSV와 XLSX에서 한 줄에 하나씩, JSON에서는 배열입니다.",
    ],
    "licence": "이용 조건",
    "licence_text": "이 데이터는 {licence}에 따라 이용할 수 있습니다{url}.",
    "cite": "인용하는 법",
    "cite_text": "기관, 제목, 주소(URL), 기준일을 밝혀 주세요. 예:",
    "cite_example": "{publisher}, 「{title} 공개 데이터」, {url}, 기준일 {date}",
    "sources": "원자료 보고서",
    "tables": "표와 열",
    "files": "파일",
    "rows": "행 수",
    "key": "기본 키",
}

EN = {
    "heading": "English",
    "intro": "This bundle holds every record of the site as tables. Each table comes as CSV, XLSX and JSON; "
             "`datapackage.json` (a Frictionless Data Package) describes the column types, primary and foreign keys, "
             "sources and licence.",
    "rules_title": "How values are written",
    "rules": [
        "CSV files are UTF-8 with a byte-order mark, comma-separated, CRLF line ends. An empty cell means no value.",
        "Every row carries its source report (`source_doc`, `source_title`), line range in the report text "
        "(`source_line_start`–`source_line_end`), as-of date (`as_of`) and the URL of the record's page (`url`).",
        "Amounts are given as printed with their unit (e.g. `budget`, `budget_unit`) and normalised to {base_en} "
        "(`budget_{suffix}`). Units vary from row to row: sum the `_{suffix}` columns.",
        "`execution_rate_computed` is spent ÷ current budget × 100, computed in {base_en} and rounded to 4 decimals. "
        "The printed rate is `rate_stated`; `rate_agrees` says whether they agree at the printed precision.",
        "Text is as printed in the report (OCR corrections are applied on the site only) and may hold Markdown lists.",
        "Cells holding several values have one per line in CSV and XLSX, and are arrays in JSON.",
    ],
    "licence": "Licence",
    "licence_text": "The data may be used under {licence}{url}.",
    "cite": "How to cite",
    "cite_text": "Name the organisation, the title, the URL and the as-of date, for example:",
    "cite_example": "{publisher}, “{title} open data”, {url}, as of {date}",
    "sources": "Source reports",
    "tables": "Tables and columns",
    "files": "Files",
    "rows": "Rows",
    "key": "Primary key",
}


def _section(tables: list[Table], about: About, lang: str) -> list[str]:
    s = KO if lang == "ko" else EN
    lic = about.licence
    url = f" ({lic.url})" if lic.url else ""
    out = [f"## {s['heading']}", "", str(s["intro"]), "", f"### {s['rules_title']}", ""]
    cur = currency()
    words = {"base": cur.base, "suffix": cur.column_suffix, "base_en": cur.base_name_en}
    out += [f"- {str(rule).format(**words)}" for rule in s["rules"]]
    out += ["", f"### {s['licence']}", "", str(s["licence_text"]).format(licence=lic.title, url=url), "",
            f"### {s['cite']}", "", str(s["cite_text"]), "",
            "> " + str(s["cite_example"]).format(publisher=about.publisher or about.title, title=about.title,
                                                 url=about.data_url, date=about.date), "",
            f"{s['sources']}:", ""]
    out += [f"- {src.title}, {src.url}" for src in about.sources]
    out += ["", f"### {s['tables']}", ""]
    for t in tables:
        files = ", ".join(f"`{t.name}.{ext}`" for ext in ("csv", "xlsx", "json"))
        out += [f"#### {t.name}", "", t.ko if lang == "ko" else t.en, "",
                f"{s['files']}: {files} · {s['rows']}: {len(t.rows)} · {s['key']}: "
                + ", ".join(f"`{k}`" for k in t.key), ""]
        out += _columns(t, lang)
        out.append("")
    return out


def readme(tables: list[Table], about: About) -> bytes:
    lines = [f"# {about.title} — 공개 데이터 / Open data", ""]
    lines += _section(tables, about, "ko")
    lines += _section(tables, about, "en")
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")
