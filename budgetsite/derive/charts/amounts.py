"""Amounts and rates the way the charts show them: one unit per chart, said once, exact values.

Reports print 천원 or 백만원; Korean readers read budgets in 억원 or 백만원. A chart converts every
amount (through won, so units never mix) to one display unit and keeps the exact decimal, so the
CSV adds up to the report's figures; only sentences round."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from ...money import Money, currency, factor

# A unit reads well while the largest bar is at least 100 of it (363.5억원); below that the next
# smaller unit keeps 3–4 digits (the currency's chart_units, largest first: 억원, 백만원 for the won).
LEAST_IN_UNIT = 100


def display_unit(amounts: Iterable[Money | None]) -> str:
    values = [abs(m.base) for m in amounts if m is not None]
    units = currency().chart_units
    largest = max(values, default=0)
    return next((u for u in units if largest >= LEAST_IN_UNIT * factor(u)), units[-1])


def in_unit(m: Money | None, unit: str) -> Decimal | None:
    """The exact amount in `unit` (Decimal division by a power of ten is exact)."""
    if m is None:
        return None
    return plain(Decimal(m.base) / factor(unit))


def plain(d: Decimal) -> Decimal:
    """Without trailing zeros or an exponent, so 36300 stays 36300 and 363.510 becomes 363.51."""
    n = d.normalize()
    return n.quantize(Decimal(1)) if n == n.to_integral_value() else n


def one_decimal(d: Decimal | None) -> Decimal | None:
    """Rates and shares: one decimal place, half up, as the reports print them."""
    return None if d is None else d.quantize(Decimal("0.1"), ROUND_HALF_UP)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    whole = Decimal(whole)
    return None if whole == 0 else one_decimal(Decimal(part) * 100 / whole)


def csv_number(value: object) -> str:
    """A number as CSV and JSON readers parse it: no thousands separators, no exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def grouped(value: Decimal | int | None) -> str:
    """A number for people: thousands separators, every decimal kept (363.51, 1,245.819)."""
    if value is None:
        return "–"
    d = Decimal(value)
    places = max(0, -int(d.as_tuple().exponent))
    return f"{d:,.{places}f}"


def as_float(value: Decimal | int | None) -> float | None:
    """For Plotly, which plots floats; the exact Decimal stays in the table and the CSV."""
    return None if value is None else float(value)
