"""Permanent chart ids, made from what a chart is about: its kind and the ids of its records.

Never from a position or a count, so adding an unrelated record (or a chart before this one)
leaves every other chart's URL, files and embeds as they were."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from ...model import BudgetLine

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def common_stem(ids: Iterable[str]) -> str:
    """The longest shared prefix of record ids that ends at a hyphen boundary:
    s004-2021-plan-1, s004-2021-plan-2, s004-2021-new-1 → s004-2021."""
    ids = sorted(ids)
    if not ids:
        return ""
    if len(ids) == 1:
        return ids[0]
    first, last = ids[0], ids[-1]
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    prefix = first[:n]
    if all(len(i) == n or i[n] == "-" for i in ids):
        return prefix.rstrip("-")  # the prefix is itself whole segments
    return prefix.rsplit("-", 1)[0] if "-" in prefix else ""


def table_stem(total: BudgetLine | None, rows: Iterable[BudgetLine]) -> str:
    """A budget table is named by its 총계 row (s000-v-total → s000-v), else by its rows' stem."""
    if total is not None:
        return total.id.removesuffix("-total")
    return common_stem(r.id for r in rows)


def slug_hash(text: str) -> str:
    """For things that have no record id (an audit named only in Korean): a short, stable hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def chart_id(kind: str, stem: str) -> str:
    cid = f"{kind}-{stem}".strip("-")
    if not _ID.match(cid):
        raise ValueError(f"chart id {cid!r} is not a lowercase ASCII slug")
    return cid
