"""The dependency index: for every page, what it read when it was last rendered, and for every
thing read, the pages that read it (as Lektor records each artifact's sources).

Tokens are what budgetsite.render.tracking notes: a record id (its data), `<id>@` (its reverse
links), `site.<list>`, `template:<name>`, `charts:<id>` / `charts:@<page>` (what charts_for
gave), `chart:<id>` (a chart page's own chart) and `kind:<kind>` (a list page: which records of
the kind exist). After a change the updater names the tokens that changed; the pages that read
any of them are the ones to render again."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable

from ..derive.charts import Chart
from ..kinds import Registry
from ..load.records import RawRecord
from ..model import Record, Site
from ..render import Page
from ..validate import record_refs


class DependencyIndex:
    def __init__(self) -> None:
        self.deps: dict[str, frozenset[str]] = {}  # page path → tokens it read
        self.readers: dict[str, set[str]] = {}  # token → page paths

    def note(self, page: Page, tokens: frozenset[str] | None) -> None:
        """What `page` read (None: the page is gone)."""
        for token in self.deps.get(page.path, ()):
            readers = self.readers.get(token)
            if readers is not None:
                readers.discard(page.path)
        if tokens is None:
            self.deps.pop(page.path, None)
            return
        if "records" in page.context:  # a list page shows which records of its kind exist
            tokens = tokens | {f"kind:{page.context['kind']}"}
        if "chart" in page.context:
            tokens = tokens | {f"chart:{page.context['chart'].id}"}
        if "charts" in page.context:  # the gallery
            tokens = tokens | {f"chart:{c.id}" for c in page.context["charts"]}
        self.deps[page.path] = tokens
        for token in tokens:
            self.readers.setdefault(token, set()).add(page.path)

    def pages_reading(self, tokens: Iterable[str]) -> set[str]:
        return {path for t in tokens for path in self.readers.get(t, ())}

    def site_tokens(self) -> set[str]:
        """The site-wide lists pages read (`site.audits` …), all of which change when records come or go."""
        return {t for t in self.readers if t.startswith("site.") and t != "site.get"}


def chart_signatures(charts: list[Chart]) -> dict[str, str]:
    """A digest of each chart's content: key order and object identity aside (plotly's Figure
    reorders the dicts it is given, which a pickle would see as a change)."""
    return {c.id: hashlib.sha1(json.dumps(dataclasses.asdict(c), sort_keys=True, default=str,
                                          ensure_ascii=False).encode()).hexdigest() for c in charts}


def _charts_by_token(charts: list[Chart], sigs: dict[str, str]) -> dict[str, tuple]:
    """What charts_for(rec) / charts_for(None, page) returns, by dependency token."""
    out: dict[str, list] = {}
    for c in charts:
        for rid in c.records:
            out.setdefault(f"charts:{rid}", []).append((c.id, sigs[c.id]))
        for p in c.pages:
            out.setdefault(f"charts:@{p}", []).append((c.id, sigs[c.id]))
    return {k: tuple(v) for k, v in out.items()}


def chart_tokens(old: list[Chart], old_sigs: dict[str, str], new: list[Chart], new_sigs: dict[str, str]) -> set[str]:
    """Tokens of the charts that changed, came or went, and of the lookups whose answer changed."""
    before, after = _charts_by_token(old, old_sigs), _charts_by_token(new, new_sigs)
    tokens = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    tokens |= {f"chart:{cid}" for cid in old_sigs.keys() | new_sigs.keys() if old_sigs.get(cid) != new_sigs.get(cid)}
    return tokens


def links(raw: RawRecord | None, registry: Registry) -> tuple[frozenset[str], tuple]:
    """The ids a record names, and what decides its place in the lists of the records it names
    (the model sorts them by report, order and line)."""
    if raw is None:
        return frozenset(), ()
    src = raw.data.get("source") or {}
    place = (src.get("doc"), src.get("lines"), raw.data.get("order")) if isinstance(src, dict) else ()
    return frozenset(target for _, _, target in record_refs(raw, registry)), place


def _state(rec: Record) -> tuple:
    """What a record shows besides its own data: computed checks, corrections, git date."""
    return (tuple(rec.checks), tuple(rec.corrections), rec.updated)


def changed_records(old: Site, new: Site, touched: list[tuple[RawRecord | None, RawRecord | None]]
                    ) -> tuple[set[str], set[str]]:
    """The ids of records whose data or state changed (edited, added, removed, or with other
    checks, corrections or dates), and of records whose lists of records naming them changed."""
    changed: set[str] = set()
    relinked: set[str] = set()
    for before, after in touched:
        for raw in (before, after):
            rid = raw.data.get("id") if raw is not None else None
            if isinstance(rid, str):
                changed.add(rid)
        if links(before, new.kinds) != links(after, new.kinds):
            relinked |= links(before, new.kinds)[0] | links(after, new.kinds)[0]
    for rid, rec in new.records.items():
        was = old.records.get(rid)
        if was is None or _state(was) != _state(rec):
            changed.add(rid)
    changed |= set(old.records) - set(new.records)
    return changed, relinked


def record_tokens(old: Site, new: Site, changed: set[str], relinked: set[str], index: DependencyIndex) -> set[str]:
    """Tokens for records that changed: theirs, their reverse links', and the site-wide lists
    and kind lists when records came or went (or the checks changed)."""
    tokens = changed | {f"{rid}@" for rid in relinked}
    moved = (set(old.records) - set(new.records)) | (set(new.records) - set(old.records))
    kinds = {old.records[r].kind for r in moved if r in old.records} | {new.records[r].kind for r in moved
                                                                         if r in new.records}
    if kinds or old.checks != new.checks:
        tokens |= index.site_tokens()
    return tokens | {f"kind:{k}" for k in kinds}
