"""Interface text and locale formatting. One translation file per language in the theme."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .money import Money, currency
from .numbers import localize


@dataclass
class Translations:
    language: str
    strings: dict[str, str]
    # Keys asked for that no translation file has: the key itself is shown, and the suite fails
    # on any (tests/test_i18n.py renders every page of the real site in each language).
    missing: set[str] = field(default_factory=set)

    def __call__(self, key: str, **params: object) -> str:
        text = self.strings.get(key)
        if text is None:
            self.missing.add(key)
            return key
        return text.format(**params) if params else text


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in tree.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = str(v)
    return out


def load_translations(theme_dirs: list[Path], language: str) -> Translations:
    """The language's file from every theme folder, the site's own theme overriding the default."""
    strings: dict[str, str] = {}
    for d in reversed(theme_dirs):
        path = d / "i18n" / f"{language}.yaml"
        if path.exists():
            strings.update(_flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {}))
    return Translations(language, strings)


def _places(d: Decimal) -> int:
    """Decimal places a number was written with (1.50 → 1, 12 → 0)."""
    exponent = d.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: Decimal | int | float | None, places: int = 0) -> str:
    if value is None:
        return "–"
    return localize(f"{Decimal(str(value)):,.{places}f}")


def format_figure(value: object, shortage: bool = False) -> str:
    """A number as the reports print it: thousands separators, its own decimals; text unchanged.
    With shortage=True a negative number is printed the Korean way, △1 for -1."""
    if isinstance(value, bool) or value is None or value == "":
        return "–"
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(str(value))
        places = _places(d) if d != d.to_integral() else 0
        text = localize(f"{abs(d):,.{places}f}")
        if d < 0:
            return ("△" if shortage else "-") + text
        return text
    return str(value)


def format_printed(m: Money | None) -> str:
    """An amount as printed, with its unit: 36,351백만원."""
    if m is None:
        return "–"
    places = _places(m.amount)
    return localize(f"{m.amount:,.{places}f}") + (m.unit if _joined_unit(m.unit) else f" {m.unit}")


def _joined_unit(unit: str) -> bool:
    """Korean units follow the number without a space (36,351백만원); words get one (12 million USD)."""
    return bool(unit) and "\uac00" <= unit[0] <= "\ud7a3"


def format_amount(value: int | None, language: str = "ko") -> str:
    """An amount in the currency's base unit the way readers read it: 7,298억원, 1조 2,310억원,
    5,400만원 for the won in Korean; KRW 729.9 billion, USD 12.3 million in English."""
    if value is None:
        return "–"
    cur = currency()
    sign = "-" if value < 0 else ""
    value = abs(value)
    if language != "ko" or not cur.korean_style:
        for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
            if value >= size:
                return f"{sign}{cur.code} {localize(f'{value / size:,.1f}')} {word}"
        return f"{sign}{cur.code} {localize(f'{value:,}')}"
    jo, rest = divmod(value, 10**12)
    eok = Decimal(rest) / 10**8
    if jo:
        return (f"{sign}{localize(f'{jo:,}')}조 {localize(f'{eok:,.0f}')}억원" if eok >= 1
                else f"{sign}{localize(f'{jo:,}')}조원")
    if value >= 10**10:
        return f"{sign}{localize(f'{eok:,.0f}')}억원"
    if value >= 10**8:
        return f"{sign}{localize(f'{eok:,.1f}')}억원"
    if value >= 10**4:
        return f"{sign}{localize(f'{Decimal(value) / 10**4:,.0f}')}만원"
    return f"{sign}{localize(f'{value:,}')}원"


format_won = format_amount  # the name earlier themes' filters used


def format_rate(value: Decimal | float | None) -> str:
    if value is None:
        return "–"
    return localize(f"{Decimal(str(value)):.1f}") + "%"


MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_date(iso: str | None, language: str = "ko") -> str:
    if not iso:
        return ""
    y, m, d = (int(x) for x in iso.split("-"))
    if language == "ko":
        return f"{y}년 {m}월 {d}일"
    return f"{MONTHS_EN[m - 1]} {d}, {y}"
