"""Amounts as printed (value + unit) and their value in won, for sums that never mix units."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

UNIT_FACTOR: dict[str, int] = {"원": 1, "천원": 1_000, "백만원": 1_000_000, "억원": 100_000_000,
                               "조원": 1_000_000_000_000}


@dataclass(frozen=True)
class Money:
    amount: Decimal  # as printed, in `unit`
    unit: str
    lines: str = ""  # set when the figure was printed somewhere other than the record's own lines

    @property
    def won(self) -> int:
        return int(self.amount * UNIT_FACTOR[self.unit])

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
    """Percentage numerator ÷ denominator, computed in won so units never mix."""
    if numerator is None or denominator is None or denominator.won == 0:
        return None
    return Decimal(numerator.won) * 100 / Decimal(denominator.won)


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
