"""Load, validate and model: everything known about the input once it has been read and checked."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..config import SiteConfig
from ..kinds import EDITOR_SCHEMAS, Registry, registry_for, write_editor_copies
from ..load.content import ContentPage, load_content
from ..load.records import RawRecord, load_records
from ..model import Site, build_site, history, reconcile
from ..model.corrections import Corrector
from ..money import use_currency
from ..numbers import use_number_format
from ..problems import Problems
from ..validate import validate_records
from .cache import RecordCache
from .workers import jobs


@dataclass
class Checked:
    """Everything known about the input once it has been read and checked."""
    site: Site | None
    content: list[ContentPage]
    problems: Problems
    corrector: Corrector | None = None
    timings: dict[str, float] = field(default_factory=dict)
    changes: list[history.Change] = field(default_factory=list)  # git commits that changed data/


def check(config: SiteConfig, use_cache: bool = True) -> Checked:
    """Load and validate all input. The site model is built only when there are no errors.
    With `use_cache`, files parsed and schema-checked by an earlier build are taken from
    .build-cache/inputs/ by content hash (budgetsite.pipeline.cache)."""
    with no_gc():
        return _check(config, use_cache)


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector off while the model is made: everything made then lives until
    the build ends, so the collector would only walk it again and again as it grows (40% of the
    time of `check` at 50,000 records)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check(config: SiteConfig, use_cache: bool) -> Checked:
    t0 = time.perf_counter()
    problems = Problems()
    use_currency(config.currency)  # before any amount is read or shown
    use_number_format(config.number_format)
    registry = registry_for(config)
    write_editor_copies(registry, config.root / EDITOR_SCHEMAS)
    cache = RecordCache(config.root, registry) if use_cache else None
    raws, load_problems = load_records(config.root, config.data_dir, cache, workers=jobs())
    problems.extend(load_problems)
    content, content_problems = load_content(config.root, config.content_dir)
    problems.extend(content_problems)
    t1 = time.perf_counter()
    problems.extend(validate_records(raws, registry))
    if cache is not None:
        cache.save(raws)
    t2 = time.perf_counter()
    timings = {"load": t1 - t0, "validate": t2 - t1}
    if problems.errors:
        return Checked(None, content, problems, timings=timings)
    checked = model(config, raws, content, problems, registry)
    checked.timings = {**timings, "model": time.perf_counter() - t2}
    return checked


def model(config: SiteConfig, raws: list[RawRecord], content: list[ContentPage], problems: Problems,
          registry: Registry, changes: list[history.Change] | None = None) -> Checked:
    """The site model of valid records, with its computed checks (as warnings in `problems`).
    `changes`: the git history when already known (serve)."""
    site = build_site(raws, registry)
    if changes is None:
        changes = history.data_changes(config.root)
    dates = history.last_changed(changes)
    for rec in site.records.values():
        rec.updated = dates.get(rec.file.as_posix(), "")
    corrector = Corrector(site)
    for rec in site.records.values():
        if corrector.by_doc.get(rec.source.doc):  # most reports have no corrections: skip the text walk
            rec.corrections = corrector.found_in(rec)
    found = reconcile.run_checks(site)
    problems.extend(reconcile.as_problems(site, found))
    return Checked(site, content, problems, corrector, {}, changes)
