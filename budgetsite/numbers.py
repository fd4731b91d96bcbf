"""How numbers are written for readers: the thousands separator and the decimal mark are the
site's (`number_format:` in site_config.yaml), 1,234.5 by default. Numbers in data files, CSV and
JSON are always written the machine way (no separators, a point)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NumberFormat:
    thousands: str = ","
    decimal: str = "."

    def apply(self, text: str) -> str:
        """A number formatted the Python way (1,234.5) in the site's way."""
        if self.thousands == "," and self.decimal == ".":
            return text
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.thousands)


DEFAULT_NUMBERS = NumberFormat()
_current: list[NumberFormat] = [DEFAULT_NUMBERS]


def use_number_format(fmt: NumberFormat) -> None:
    """The site's way of writing numbers (set by the pipeline before anything is rendered)."""
    _current[0] = fmt


def localize(text: str) -> str:
    return _current[0].apply(text)
