"""The words inside charts (titles, axis titles, series names), from the theme's translations.

Charts are built before any page is rendered, so they read the same `t('…')` strings the
templates use; a site in another language gets charts in that language."""

from __future__ import annotations

from decimal import Decimal

from ... import i18n
from ...config import SiteConfig
from ...money import Money

# Budget table levels (data values) → translation keys.
LEVEL_KEYS = {"부서": "dept", "단위사업": "unit", "세부사업": "detail", "소계": "subtotal", "재원": "source"}
UNIT_KEYS = {"억원": "eok", "백만원": "million"}


class Labels:
    def __init__(self, config: SiteConfig):
        self.config = config
        self.language = config.language
        self.t = i18n.load_translations(config.theme_dirs(), config.language)

    def __call__(self, key: str, **params: object) -> str:
        return self.t(key, **params)

    def by_level(self, level: str) -> str:
        """부서별, 세부사업별 … for titles."""
        return self.t(f"charts.by.{LEVEL_KEYS.get(level, 'line')}")

    def level_name(self, level: str) -> str:
        """부서, 세부사업 … for the header of a table's first column."""
        return self.t(f"charts.levels.{LEVEL_KEYS.get(level, 'line')}")

    def unit(self, unit: str) -> str:
        """억원/백만원 as the language writes it; an indicator's own unit (명, 건, ha) as printed."""
        key = UNIT_KEYS.get(unit)
        return self.t(f"charts.units.{key}") if key else unit

    def date(self, iso: str) -> str:
        return i18n.format_date(iso, self.language) if iso else ""

    def won(self, m: Money | int | None) -> str:
        """An amount in a sentence: 7,298억원."""
        if m is None:
            return "–"
        return i18n.format_amount(m.base if isinstance(m, Money) else m, self.language)

    def rate(self, value: Decimal | None) -> str:
        return i18n.format_rate(value)
