"""Incremental rebuilds for `serve`: after a change, rewrite only the files it touches.

The dev server keeps the last good build in memory: the records as loaded, the model, the
renderer with its compiled templates, the page plan, and the dependency index (what each page
read; budgetsite.devserver.deps). A saved YAML file is then handled in three steps, each with the
build's own stage functions:

1. Its own page, at once. The file is parsed, checked against its schema and against the ids it
   names, and the record's page is rendered from the new data with the links the model already
   has, and written.
2. Everything that shows it. The model is built again from all records (only the changed file is
   read again), so are the checks, the charts and the page plan, and every page that read a
   record whose data, links, checks or charts changed is rendered again, with the JSON twins of
   those records, the chart files and the files that list every page. Only files whose bytes
   differ are written, each by an atomic rename, so the server never sends half a page.
3. The site-wide files (search index, downloads), in one background job that supersedes the
   previous one (budgetsite.devserver.jobs).

A template change re-renders the pages that loaded it. Any other change (configuration, schema,
theme files other than templates, content pages, report texts, corrections) builds the whole site
again. After each step the site on disk is what a full build of the same input writes, byte for
byte (tests/test_incremental.py); a change with errors leaves it as it was.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import pipeline
from ..config import SiteConfig
from ..derive import charts, twins
from ..derive.exports import FOLDER as EXPORTS_FOLDER
from ..files import write_atomic
from ..kinds import Registry
from ..load.records import RawRecord, load_file
from ..model import make_record
from ..pipeline import sitewide
from ..problems import Problem, Problems
from ..render import Page, Renderer
from ..validate import record_refs, validate_links, validate_schema
from ..write import SiteWriter, safe_rel
from .deps import DependencyIndex, changed_records, chart_signatures, chart_tokens, record_tokens
from .jobs import SiteWideJob

Log = Callable[[str], None]


@dataclass
class Outcome:
    """What one update did."""
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    pages: int = 0  # pages rendered again
    full: bool = False  # the whole site was built again
    first_page: str = ""  # written by step 1
    seconds: float = 0.0


def _order_key(rec: RawRecord) -> tuple:
    """The order load_records gives: kind, then the file's path parts."""
    return (rec.kind, str(rec.path).split(os.sep))


class LiveSite:
    """The last good build of a project, kept to update the site on disk after each change."""

    def __init__(self, config: SiteConfig, out: Path, log: Log = lambda s: None,
                 workers: int | None = None):
        self.config = config
        self.out = out.resolve()
        self.log = log
        self.workers = workers
        self.raws: dict[str, RawRecord] = {}  # file relative to the root → record
        self.checked: pipeline.Checked | None = None
        self.renderer: Renderer | None = None
        self.chart_list: list[charts.Chart] = []
        self.chart_sigs: dict[str, str] = {}
        self.pages: dict[str, Page] = {}
        self.paths: set[str] = set()  # every file of the site but the site-wide ones (self.job.made)
        self.index = DependencyIndex()
        self.job = SiteWideJob(log)
        self.pending: set[Path] = set()  # files of a change that had errors: looked at again next time
        self.problems: list[Problem] = []  # of the last update; the server shows them until fixed
        self.templates: set[Path] = set()  # template files when the site was last built

    # ---- writing ------------------------------------------------------------------------------
    def _write(self, rel: str, data: bytes) -> bool:
        """Write the site file `rel` when its bytes differ from what is on disk; True when written."""
        return write_atomic(self.out / safe_rel(rel), data)

    def _delete(self, rel: str) -> None:
        target = self.out / safe_rel(rel)
        with contextlib.suppress(OSError):
            target.unlink()
        parent = target.parent
        while parent != self.out:  # drop folders the deletion left empty (a record's page folder)
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent

    # ---- full build ---------------------------------------------------------------------------
    def build(self) -> Outcome:
        """Build everything (at start, and after changes that touch every page)."""
        start = time.perf_counter()
        self.job.cancel()
        checked = pipeline.check(self.config)
        if checked.problems.errors:
            self.problems = checked.problems.errors
            return Outcome(False, checked.problems.errors, seconds=time.perf_counter() - start)
        writer = SiteWriter(self.out)
        try:
            rendered = pipeline.render_files(self.config, checked, writer=writer, workers=self.workers, track=True)
        except BaseException:
            writer.abort()
            raise
        writer.commit()
        assert checked.site is not None and rendered.renderer is not None
        self.raws = {r.raw.file.as_posix(): r.raw for r in checked.site.records.values()}
        self.checked, self.renderer = checked, rendered.renderer
        self.chart_list, self.chart_sigs = rendered.chart_list, chart_signatures(rendered.chart_list)
        self.pages = {p.path: p for p in rendered.page_list}
        self.index = DependencyIndex()
        for path, tokens in rendered.deps.items():
            self.index.note(self.pages[path], tokens)
        self.job.made = {p for p in rendered.paths if p.startswith(("search/", EXPORTS_FOLDER)) and p not in self.pages}
        self.paths = set(rendered.paths) - self.job.made
        self.pending.clear()
        self.problems = []
        self.templates = {p.resolve() for d in self.config.theme_dirs() for p in (d / "templates").rglob("*")
                          if p.is_file()}
        # The workers compiled the templates, this process did not: compile them now, so the first
        # edit's page is not slowed by it (one small page per template renders them all).
        warmed: set[str] = set()
        for page in rendered.page_list:
            if page.template not in warmed and "records" not in page.context:
                warmed.add(page.template)
                self.renderer.render(page)
        return Outcome(True, written=rendered.paths, pages=rendered.pages, full=True,
                       seconds=time.perf_counter() - start)

    # ---- changes --------------------------------------------------------------------------------
    def relevant(self, path: Path) -> str | None:
        """"data", "template" or "site" (anything else the site is made from); None: not an input."""
        path = path.resolve()
        name = path.name
        if name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")) or ".build-cache" in path.parts:
            return None
        root = self.config.root.resolve()
        if path.is_relative_to(self.out):
            return None
        if path.is_relative_to(self.config.data_dir.resolve()):
            return "data" if path.suffix in (".yaml", ".yml") else None
        if any(path.is_relative_to((d / "templates").resolve()) for d in self.config.theme_dirs()):
            return "template"
        if path == root / "site_config.yaml" or any(
                path.is_relative_to(d.resolve()) for d in (*self.config.schema_dirs(), self.config.content_dir,
                                                          self.config.reports_dir, root / "themes")):
            return "site"
        return None

    def _rebuilds_all(self, kind: str) -> bool:
        """A kind whose records change text on every page (corrections): no page's dependencies
        say which of them show a corrected word, so the whole site is built again."""
        site = self.checked.site if self.checked is not None else None
        return site is None or kind not in site.kinds or site.kinds[kind].rebuild_all

    def update(self, changed: Iterable[Path]) -> Outcome:
        """Bring the site up to date with the files in `changed` (absolute paths)."""
        start = time.perf_counter()
        kinds: dict[str, list[Path]] = {"data": [], "template": [], "site": []}
        for p in sorted({Path(p).resolve() for p in changed} | self.pending):
            what = self.relevant(p)
            if what:
                kinds[what].append(p)
        data_dir = self.config.data_dir.resolve()
        new_or_gone = [p for p in kinds["template"] if p.exists() != (p in self.templates)]
        if self.checked is None or kinds["site"] or new_or_gone or any(
                self._rebuilds_all(p.relative_to(data_dir).parts[0]) for p in kinds["data"]):
            outcome = self.build()  # a new or removed template may change which template a page uses
            self.pending = set() if outcome.ok else set(kinds["data"] + kinds["template"] + kinds["site"])
            return outcome
        outcome = Outcome(True)
        if kinds["data"]:
            outcome = self._update_data(kinds["data"], start)
            if not outcome.ok:
                self.pending = set(kinds["data"])  # until they are fixed, every update looks at them
                self.problems = outcome.problems
                return outcome
            self.pending.clear()
        if kinds["template"]:
            more = self._update_templates(kinds["template"])
            outcome.written += more.written
            outcome.pages += more.pages
        self.problems = []
        outcome.seconds = time.perf_counter() - start
        return outcome

    def _load_changes(self, files: list[Path], registry: Registry
                      ) -> tuple[dict[str, RawRecord], list[tuple[RawRecord | None, RawRecord | None]], list[Problem]]:
        """The records after the change, the (old, new) record of each file that changed, and
        what is wrong with the files themselves."""
        root, data_dir = self.config.root.resolve(), self.config.data_dir.resolve()
        raws = dict(self.raws)
        problems: list[Problem] = []
        touched: list[tuple[RawRecord | None, RawRecord | None]] = []
        for path in files:
            rel = path.relative_to(root).as_posix()
            old = raws.get(rel)
            new = None
            if path.is_file():
                new, err = load_file(root, path, path.relative_to(data_dir).parts[0])
                if err is not None:
                    problems.append(err)
                    continue
                assert new is not None
                problems += validate_schema(new, registry)
                if old is not None and new.digest == old.digest:
                    continue  # saved without a change
                raws[rel] = new
            elif old is not None:
                del raws[rel]
            else:
                continue
            touched.append((old, new))
        return raws, touched, problems

    def _update_data(self, files: list[Path], start: float) -> Outcome:
        assert self.checked is not None and self.checked.site is not None and self.renderer is not None
        config, old_site, renderer = self.config, self.checked.site, self.renderer
        registry = old_site.kinds
        raws, touched, problems = self._load_changes(files, registry)
        if problems:
            return Outcome(False, problems)
        if not touched:
            return Outcome(True, seconds=time.perf_counter() - start)

        # Step 1: the edited record's own page, from the links the model already has.
        first = self._first_page(touched)
        if first is not None:
            self.log(f"page {first.path} written in {(time.perf_counter() - start) * 1000:.0f} ms")

        # Step 2: the model again, and every file that shows what changed.
        self.job.cancel()
        ordered = sorted(raws.values(), key=_order_key)
        with pipeline.no_gc():
            link_problems = [p for p in validate_links(ordered, registry) if p.severity == "error"]
            if not link_problems:
                checked = pipeline.model(config, ordered, self.checked.content, Problems(), registry,
                                         self.checked.changes)
        if link_problems:
            if first is not None:  # put back what step 1 wrote: the site stays as it was
                self._write(first.path, renderer.render(first))
            return Outcome(False, link_problems)
        site = checked.site
        assert site is not None and checked.corrector is not None
        renderer.use_site(site, checked.corrector, pipeline.extra_context(checked))
        chart_list, page_list = pipeline.plan(config, checked, renderer)
        sigs = chart_signatures(chart_list)

        changed, relinked = changed_records(old_site, site, touched)
        tokens = record_tokens(old_site, site, changed, relinked, self.index)
        tokens |= chart_tokens(self.chart_list, self.chart_sigs, chart_list, sigs)

        # Pages: every page that read something that changed, and new ones.
        new_pages = {p.path: p for p in page_list}
        dirty = self.index.pages_reading(tokens) | (new_pages.keys() - self.pages.keys())
        if first is not None:
            dirty.add(first.path)
        old_pages, self.pages = self.pages, new_pages
        written, made = self._render(sorted(dirty))
        deleted = sorted(old_pages.keys() - new_pages.keys())
        for path in deleted:
            self.index.note(old_pages[path], None)

        # The JSON twins of changed records, the chart files, and the files that list every page.
        extra: dict[str, bytes] = {}
        for rid in sorted(changed | relinked):
            rec = site.records.get(rid)
            if rec is not None:
                extra[f"{rec.kind}/{rec.id}.json"] = twins.record_json(rec, config)
            elif (old_rec := old_site.records.get(rid)) is not None:
                deleted.append(f"{old_rec.kind}/{old_rec.id}.json")
        if sigs != self.chart_sigs:
            extra.update(charts.chart_files(chart_list, site, config))
            gone = set(self.chart_sigs) - set(sigs)
            deleted += [p for p in self.paths if p.startswith("charts/") and p.split("/")[1] in gone
                        and p not in new_pages]
        if old_site.redirects and not site.redirects:
            deleted.append("_redirects")
        self.paths = (self.paths - set(deleted)) | set(new_pages) | set(extra)
        extra.update(sitewide.listing_files(config, site, sorted(self.paths | self.job.made)))
        for path, data in extra.items():
            if self._write(path, data):
                written.append(path)
        self.paths |= set(extra)
        for path in deleted:
            self._delete(path)
        self.raws, self.checked = raws, checked
        self.chart_list, self.chart_sigs = chart_list, sigs

        self.start_site_wide()  # step 3
        return Outcome(True, written=written, deleted=deleted, pages=made, first_page=first.path if first else "",
                       seconds=time.perf_counter() - start)

    def _render(self, paths: list[str]) -> tuple[list[str], int]:
        """Render the pages at `paths` again, noting what each read; (written paths, pages rendered)."""
        assert self.renderer is not None
        written: list[str] = []
        made = 0
        for path in paths:
            page = self.pages.get(path)
            if page is None:
                continue
            read: set[str] = set()
            data = self.renderer.render(page, read)
            self.index.note(page, frozenset(read))
            made += 1
            if self._write(path, data):
                written.append(path)
        return written, made

    def _first_page(self, touched: list[tuple[RawRecord | None, RawRecord | None]]) -> Page | None:
        """Step 1: render and write the edited record's page at once, when that can be done from
        the current model (one record changed in place, with the same id, naming only records that
        exist), from the new data and the links the model has. Returns the page as it was."""
        assert self.checked is not None and self.checked.site is not None
        site = self.checked.site
        if len(touched) != 1 or self.renderer is None:
            return None
        old, new = touched[0]
        if old is None or new is None or old.data.get("id") != new.data.get("id"):
            return None
        before = site.records.get(str(old.data.get("id")))
        page = self.pages.get(f"{before.url}index.html") if before is not None else None
        if before is None or page is None or page.context.get("record") is not before:
            return None
        registry = site.kinds
        for _, want, target in record_refs(new, registry):
            found = site.records.get(target)
            if found is None or want not in ("*", found.kind):
                return None  # step 2 says what is wrong
        kind = registry.kinds.get(new.kind)
        ref_fields = kind.ref_fields if kind is not None else {}
        try:
            fresh = make_record(new, kind)
            for f in dataclasses.fields(fresh):
                default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
                if getattr(fresh, f.name) != default:
                    continue  # read from the record's own data: as the new data says
                if f.name in ref_fields and (f.name in new.data or f.name in old.data):
                    value = new.data.get(f.name)
                    if isinstance(value, list):
                        setattr(fresh, f.name, [site.records[v] for v in value if v in site.records])
                    else:
                        setattr(fresh, f.name, site.records.get(value) if isinstance(value, str) else default)
                else:  # what the model computes from other records (reverse links, checks): as it was
                    setattr(fresh, f.name, copy.copy(getattr(before, f.name)))
            data = self.renderer.render(Page(page.path, page.template, {**page.context, "record": fresh}))
        except Exception:  # step 2 renders it properly, or says what is wrong
            return None
        self._write(page.path, data)
        return page

    def _update_templates(self, files: list[Path]) -> Outcome:
        assert self.renderer is not None and self.checked is not None and self.checked.site is not None
        names = set()
        for path in files:
            for d in self.config.theme_dirs():
                base = (d / "templates").resolve()
                if path.is_relative_to(base):
                    names.add(path.relative_to(base).as_posix())
        self.renderer.forget_templates()
        written, made = self._render(sorted(self.index.pages_reading(f"template:{name}" for name in names)))
        self.start_site_wide()  # the downloads page is a template too
        return Outcome(True, written=written, pages=made)

    # ---- step 3: search index and downloads, in the background ------------------------------------
    def start_site_wide(self) -> None:
        checked, renderer, config = self.checked, self.renderer, self.config
        assert checked is not None and checked.site is not None and checked.corrector is not None
        assert renderer is not None
        site, corrector, content, chart_list = checked.site, checked.corrector, checked.content, self.chart_list
        # The job renders the downloads page with a renderer of its own: the dev server's notes
        # what pages read, and is used by the next update while the job runs.
        job_renderer = Renderer(config, site, corrector, pipeline.extra_context(checked))
        job_renderer.env.globals["charts_for"] = job_renderer.charts_lookup(charts.charts_lookup(chart_list))

        self.job.start([lambda: sitewide.search_files(config, site, corrector, content, chart_list),
                        lambda: sitewide.export_files(config, site, content, job_renderer)],
                       self._write, self._delete)

    def wait(self) -> None:
        """Until step 3 is done (tests)."""
        self.job.wait()
