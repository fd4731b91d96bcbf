"""Columns by meaning: a vocabulary of Korean budget headers and their variants, read with spaces
and symbols ignored ("비 교 증 △ 감" is 증감, "집행률(B/A)" is 집행률, "예 산 액" is 예산액).

A column is a label column (the row's name, account, department …) or a value column, and which one
is decided by what its rows hold, not by its header: "단위사업" over a column of counts is a count,
not the name of a unit program. A value column gets a budget field only when the vocabulary is sure;
every other value column is listed with the reason it has no field (counts, 도비, 증감률, 대상액 …),
and its figures are never put in a money field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markup import strip_html
from .tables import Header, Row, parse_number

_MARKERS = re.compile(r"\((?:[A-Za-z](?:\s*[/÷\-+]\s*[A-Za-z])*|%|[천백만억조]*원|개|명|건|개소|\s*)\)")
YEAR_IN_HEADER = re.compile(r"(?<!\d)(?:(?P<full>(?:19|20)\d\d)|['’‘`](?P<short>\d\d))\s*(?:년도|년)?(?!\d)")


def header_key(name: str) -> str:
    """A header as the vocabulary reads it: markers such as (A), (B/A), (%), (백만원) and every
    character but Hangul, Latin letters and digits dropped."""
    return re.sub(r"[^가-힣A-Za-z0-9]", "", _MARKERS.sub("", strip_html(name)))


@dataclass(frozen=True)
class Meaning:
    role: str  # money, rate, change, text, balance, unplaced, label
    field: str | None = None  # budget field (funding.city …), or for labels number/account/group/org/name/level
    rank: int = 9  # budget-family columns: the lowest rank is the current budget
    why: str = ""  # unplaced: why no field


# (pattern on the key, meaning). Order matters: rates before amounts ("집행률 지출액" is a rate),
# 증감률 before 증감, 예산현액 before 예산.
_VALUE_WORDS: list[tuple[str, Meaning]] = [
    (r"원인행위.*(률|율|비율)|(집행|지출)(률|율).*원인행위", Meaning("rate", "obligation_rate_stated")),
    (r"증감(률|율|비율)|증가(률|율)", Meaning("unplaced", why="증감률 (a rate of change) has no budget field")),
    (r"목표(율|률)|달성목표", Meaning("unplaced", why="a target rate has no budget field")),
    (r"(집행|지출|달성|실행)(률|율)|집행비율|^비율$|^(률|율)$|^집행(률|율)", Meaning("rate", "rate_stated")),
    (r"원인행위", Meaning("money", "obligated")),
    (r"(지출|집행).*(까지|예상|전망|예정)", Meaning("money", "forecast")),
    (r"잔액|불용액|미집행", Meaning("balance", why="집행잔액 is budget − spent: checked, not stored")),
    (r"집행액|지출액|집행실적|실집행|집행금액|지출금액|^집행$|^지출$|^실적$|^집행실적액$",
     Meaning("money", "spent")),
    (r"증감|^비교$|대비", Meaning("change", "change_stated")),
    (r"^국(비|고)|국고보조", Meaning("money", "funding.national")),
    (r"^시비$|^시비부담", Meaning("money", "funding.city")),
    (r"^구비$|^구비부담", Meaning("money", "funding.district")),
    (r"^(민간|자부담|민자)", Meaning("money", "funding.private")),
    (r"^(도비|군비|시도비|지방비|특별교부세|특교|기금|기타)$",
     Meaning("unplaced", why="this source of funds has no field in the budget schema (국비, 시비, 구비, 민간 do)")),
    (r"대상액|목표액|^목표$|계획액|^계획$",
     Meaning("unplaced", why="a target or the amount subject to early execution is not a budget field")),
    (r"예산현액|^현액$|최종예산", Meaning("money", "budget", rank=1)),
    (r"전년|전년도|작년|전회", Meaning("money", "prior_budget")),
    (r"기정", Meaning("unplaced", why="기정예산 (the budget before this 추경) has no budget field; "
                                     "it is checked against 증감")),
    (r"^(금년도|당해연도|본년도|올해)?(예산|예산액|세출예산|예산안)$|^예산액", Meaning("money", "budget", rank=2)),
    (r"추경", Meaning("money", "budget", rank=3)),
    (r"본예산|당초", Meaning("money", "budget", rank=4)),
    (r"예산", Meaning("money", "budget", rank=5)),
    (r"사업개요|비고|주요내용|^내용$|주요사업", Meaning("text", "overview")),
    (r"추진현황|추진실적", Meaning("text", "progress")),
    (r"향후계획|추진계획", Meaning("text", "plan")),
]
_COUNT = re.compile(r"(수|개수|건수|인원|명|개소|지표|목표|과제|사업)$")
_GENERIC = re.compile(r"^(계|합계|소계|총계|금액|액|계금액|합)$")
_LABEL_WORDS: list[tuple[str, str]] = [
    (r"^(연번|번호|순번|순위|no)$", "number"),
    (r"회계", "account"),
    (r"^(분야|부문|기능|분류|정책분야)", "group"),
    (r"부서|실국|^소관|기관명?$|^과명?$|담당", "org"),
    (r"정책사업|프로그램|전략목표|성과목표", "level:소계"),
    (r"^단위사업", "level:단위사업"),
    (r"세부사업|사업명|^사업$|내역사업", "level:세부사업"),
    (r"구분|항목|과목|내역|명칭|명$", "name"),
]
_COUNT_UNITS = {"개", "명", "건", "개소", "개사", "회", "곳", "㎡", "%"}


def _match(key: str) -> Meaning | None:
    for pattern, meaning in _VALUE_WORDS:
        if re.search(pattern, key):
            return meaning
    return None


def value_meaning(parts: tuple[str, ...]) -> Meaning | None:
    """The meaning of a value column from its header parts (top row first). The whole header decides
    ("집행률 원인행위" is a rate); under a budget group the sub-column does ("예산현액 추경" is 추경,
    "예산현액 계" the 예산현액 itself); a group with no meaning leaves it to the sub-column
    ("재원별 국비" is 국비)."""
    keys = [YEAR_IN_HEADER.sub("", header_key(p)) for p in parts]
    keys = [k for k in keys if k]
    if not keys:
        return None
    whole = _match("".join(keys))
    last = _match(keys[-1]) if not _GENERIC.match(keys[-1]) else None
    if whole is not None and whole.field == "budget" and last is not None and len(keys) > 1:
        return last
    if whole is not None:
        return whole
    if last is not None:
        return last
    for key in reversed(keys[:-1]):
        if (found := _match(key)) is not None:
            return found
    return None


def label_meaning(name: str) -> str:
    key = header_key(name)
    for pattern, role in _LABEL_WORDS:
        if re.search(pattern, key, re.I):
            return role
    return "name"


def header_year(name: str) -> int | None:
    m = YEAR_IN_HEADER.search(name)
    if not m:
        return None
    return int(m["full"]) if m["full"] else 2000 + int(m["short"])


def is_year_only(name: str) -> bool:
    """A header that is a year and nothing else (2013, 2020년, '21년, 2024년(A))."""
    return bool(YEAR_IN_HEADER.search(name)) and not YEAR_IN_HEADER.sub("", header_key(name))


@dataclass
class Columns:
    fields: dict[str, int]  # budget field → column
    years: dict[int, int]  # printed year → column holding that year's budget
    first: int = 0  # the first value column: the cells before it are the row's label
    labels: dict[int, str] = field(default_factory=dict)  # label column → role
    unplaced: dict[int, str] = field(default_factory=dict)  # value column → why it has no field
    balance: int | None = None  # 집행잔액: checked against budget − spent
    base: int | None = None  # 기정예산액: checked against budget − 증감
    units: dict[int, str] = field(default_factory=dict)  # a unit printed in a column's header
    names: tuple[str, ...] = ()
    year_of: dict[int, int] = field(default_factory=dict)  # a year printed in a field column's header

    def field_at(self, column: int) -> str | None:
        for name, col in self.fields.items():
            if col == column:
                return name
        for year, col in self.years.items():
            if col == column:
                return f"year:{year}"
        return None


def value_columns(header: Header, rows: tuple[Row, ...]) -> set[int]:
    """Columns whose rows hold figures (half their filled cells or more), a year header's column, and
    the columns whose header names a figure."""
    width = max([len(header.names), *(len(r.cells) for r in rows)], default=0)
    found: set[int] = set()
    for c in range(width):
        cells = [r.cell(c) for r in rows if r.cell(c)]
        figures = [x for x in cells if parse_number(x) is not None]
        if cells and len(figures) * 2 >= len(cells):
            found.add(c)
    return found


def read_columns(header: Header, rows: tuple[Row, ...] = ()) -> Columns:
    names = header.names
    parts = header.parts or tuple((n,) for n in names)
    numeric = value_columns(header, rows) if rows else set()
    fields: dict[str, int] = {}
    years: dict[int, int] = {}
    unplaced: dict[int, str] = {}
    units: dict[int, str] = {}
    year_of: dict[int, int] = {}
    budget_rank: dict[int, int] = {}
    balance = base = None
    first: int | None = None
    labels: dict[int, str] = {}
    for i, name in enumerate(names):
        if m := re.search(r"\((?P<u>[천백만억조]*원|개|명|건|개소|%)\)", name):
            units[i] = m["u"]
        meaning = value_meaning(parts[i] if i < len(parts) else (name,))
        # A header that names a figure decides (rows printed a cell to one side must not turn
        # 예산현액 into a label); a header that names none is decided by what its rows hold.
        is_value = (meaning is not None and meaning.role != "text") or i in numeric
        if label_meaning(name) == "number" and first is None:
            is_value = False  # 연번 1, 2, 3 … is a label
        if is_year_only(name) and (i in numeric or not rows):
            year = header_year(name)
            assert year is not None
            years.setdefault(year, i)
            first = i if first is None else first
            continue
        if not is_value:
            if meaning is not None and meaning.role == "text" and meaning.field not in fields:
                fields[meaning.field or "overview"] = i
            elif first is None or not rows:
                role = label_meaning(name)
                if role == "number" and "number" not in fields:
                    fields["number"] = i
                labels[i] = role
            continue
        first = i if first is None else first
        if units.get(i) in _COUNT_UNITS - {"%"} or (meaning is None and _COUNT.search(header_key(name))):
            unplaced[i] = f"counts ({units.get(i) or '개'}), not money"
            continue
        if meaning is None:
            unplaced[i] = "the header names no budget figure this importer knows"
            continue
        if meaning.role == "balance":
            balance = i
            continue
        if meaning.role == "unplaced":
            if "기정" in header_key(name):
                base = i
            unplaced[i] = meaning.why
            continue
        if meaning.role == "text":
            fields.setdefault(meaning.field or "overview", i)
            continue
        assert meaning.field is not None
        if (y := header_year(name)) is not None:
            year_of[i] = y
        if meaning.field == "budget":
            budget_rank[i] = meaning.rank
            continue
        if meaning.field in fields:
            unplaced[i] = f"a second {meaning.field} column (the first is {names[fields[meaning.field]]!r})"
            continue
        fields[meaning.field] = i
    if budget_rank:
        # Year columns of one figure each ("2022년 예산", "2023년 예산"): a comparison of years.
        by_year = {year_of[i]: i for i in budget_rank if i in year_of}
        if len(by_year) >= 2 and len(by_year) == len(budget_rank):
            for year, i in by_year.items():
                years.setdefault(year, i)
        else:
            best = min(budget_rank, key=lambda i: (budget_rank[i], i))
            fields["budget"] = best
            for i in budget_rank:
                if i != best:
                    unplaced[i] = f"another column ({collapse(names[best])}) is the current budget"
    if first is None:
        first = len(names)
    return Columns(fields, years, first, labels, unplaced, balance, base, units, names, year_of)


def collapse(name: str) -> str:
    return " ".join(name.split())
