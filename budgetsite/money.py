"""Amounts as printed (value + unit) and their value in the currency's base unit, for sums that
never mix units.

The currency is the site's (site_config.yaml `currency:`, budgetsite.config): its code, its
printed units with their multipliers, the units charts show amounts in, and the name of the base
unit in column names. Korean won is the default. The build sets the site's currency once, before
any amount is read (`use_currency`); every Money of that build converts with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Currency:
    code: str = "KRW"  # ISO 4217: data package metadata, amounts in English sentences
    # printed unit → how many base units it is; the base unit (multiplier 1) comes first
    units: tuple[tuple[str, int], ...] = (("원", 1), ("천원", 1_000), ("백만원", 1_000_000),
                                          ("억원", 100_000_000), ("조원", 1_000_000_000_000))
    chart_units: tuple[str, ...] = ("억원", "백만원")  # units a chart may show amounts in, largest first
    column_suffix: str = "won"  # downloads: budget_won, spent_won …; JSON twins: "won"
    base_name_en: str = "won"  # "in won (KRW)" in column descriptions
    factors: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "factors", dict(self.units))

    @property
    def base(self) -> str:
        return self.units[0][0]

    @property
    def korean_style(self) -> bool:
        """Sentences read 7,298억원 / 1조 2,310억원 (the won's own large-number words)."""
        return self.code == "KRW"


def currency_from_config(raw: dict) -> Currency:
    """The `currency:` mapping of site_config.yaml; what it leaves out is the won's. Units are
    listed base first: {USD: 1, thousand USD: 1000, million USD: 1000000}."""
    units = raw.get("units")
    pairs = tuple((str(k), int(v)) for k, v in units.items()) if isinstance(units, dict) else Currency().units
    if not pairs or pairs[0][1] != 1:
        raise ValueError("currency.units: list the base unit first, with 1 (e.g. USD: 1)")
    code = str(raw.get("code", "KRW"))
    charts = raw.get("chart_units")
    default_charts = Currency().chart_units if "units" not in raw else tuple(
        name for name, _ in sorted(pairs, key=lambda p: -p[1])[:2])
    won = code == "KRW"
    suffix = str(raw.get("column_suffix") or ("won" if won else code.lower()))
    name_en = str(raw.get("base_name_en") or ("won" if won else code))
    return Currency(code=code, units=pairs, chart_units=tuple(map(str, charts)) if charts else default_charts,
                    column_suffix=suffix, base_name_en=name_en)


KRW = Currency()
_current: list[Currency] = [KRW]


def use_currency(currency: Currency) -> None:
    """The currency of the site being built (set by the pipeline before the records are read)."""
    _current[0] = currency


def currency() -> Currency:
    return _current[0]


def factor(unit: str) -> int:
    return _current[0].factors[unit]


@dataclass(frozen=True)
class Money:
    amount: Decimal  # as printed, in `unit`
    unit: str
    lines: str = ""  # set when the figure was printed somewhere other than the record's own lines

    @property
    def base(self) -> int:
        """The amount in the currency's base unit (won for KRW)."""
        return int(self.amount * _current[0].factors[self.unit])

    won = base  # the name templates have used; the same value

    @classmethod
    def parse(cls, value: object, unit: str | None) -> Money | None:
        """A record field: a number in the record's unit, or {amount, unit, lines}."""
        if value is None:
            return None
        if isinstance(value, dict):
            return cls(Decimal(str(value["amount"])), value["unit"], str(value.get("lines", "")))
        if unit is None:
            return None
        return cls(Decimal(str(value)), unit)


def rate(numerator: Money | None, denominator: Money | None) -> Decimal | None:
    """Percentage numerator ÷ denominator, computed in the base unit so units never mix."""
    if numerator is None or denominator is None or denominator.base == 0:
        return None
    return Decimal(numerator.base) * 100 / Decimal(denominator.base)


def decimals(value: float | int | Decimal) -> int:
    """Decimal places of a printed rate (64 → 0, 92.3 → 1)."""
    exp = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -int(exp))


def rate_matches(stated: float | int | None, computed: Decimal | None) -> bool | None:
    """Whether a printed rate agrees with the computed one at the precision it was printed with:
    the computed rate rounded half-up, or truncated (some tables truncate), gives the printed digits."""
    if stated is None or computed is None:
        return None
    quantum = Decimal(1).scaleb(-decimals(stated))
    printed = Decimal(str(stated))
    return printed in (computed.quantize(quantum, ROUND_HALF_UP), computed.quantize(quantum, ROUND_DOWN))
