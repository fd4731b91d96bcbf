"""Incremental rebuilds for `serve`: after a change, rewrite only the files it touches.

The dev server keeps the last good build in memory: the records as loaded, the model, the
renderer with its compiled templates, and for every page what it read while it was rendered
(record ids, site-wide lists, templates, charts; see render.TrackingEnvironment). A saved YAML
file is then handled in three steps:

1. Its own page, at once. The file is parsed, checked against its schema and against the ids it
   names, and the record's page is rendered from the new data with the links the model already
   has, and written.
2. Everything that shows it. The model is built again from all records (only the changed file is
   read again), so are the checks and charts, and every page that read a record whose data,
   links, checks or charts changed is rendered again, with the JSON twins of those records and
   the files that list every page (sitemap, redirects). Only files whose bytes differ are
   written, each by an atomic rename, so the server never sends half a page. Then the browser
   reloads.
3. The site-wide files. The search index and the open-data downloads are computed again in a
   forked process, which writes the files that changed.

A template change re-renders the pages that loaded it. Any other change (configuration, schema,
theme files other than templates, content pages, report texts, corrections) builds the whole site
again. After each step the site on disk is what a full build of the same input writes, byte for
byte (tests/test_incremental.py); a change with errors leaves it as it was.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import hashlib
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import pipeline
from ..config import SiteConfig
from ..derive import charts, exports, sitefiles
from ..derive.search import index as search
from ..derive.search.documents import search_docs
from ..load.records import RawRecord, load_file
from ..model import Record, _make
from ..problems import Problem, Problems
from ..render import Page
from ..validate import REF_FIELDS, _refs, validate_links, validate_schema
from ..write import SiteWriter, safe_rel

Log = Callable[[str], None]
# Records whose change rebuilds everything: corrections are applied to the text of every page of
# their report, so no page's dependencies say which of them show a corrected word.
GLOBAL_KINDS = frozenset({"corrections"})


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


def _write_atomic(folder: Path, rel: str, data: bytes) -> bool:
    """Write `rel` when its bytes differ from what is on disk; True when written."""
    target = folder / safe_rel(rel)
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return True


def _delete(folder: Path, rel: str) -> None:
    target = folder / safe_rel(rel)
    with contextlib.suppress(OSError):
        target.unlink()
    parent = target.parent
    while parent != folder:  # drop folders the deletion left empty (a record's page folder)
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def _order_key(rec: RawRecord) -> tuple:
    """The order load_records gives: kind, then the file's path parts."""
    return (rec.kind, str(rec.path).split(os.sep))


def _chart_sigs(chart_list: list) -> dict[str, str]:
    return {c.id: hashlib.sha1(pickle.dumps(c, protocol=5)).hexdigest() for c in chart_list}


def _charts_by_key(chart_list: list, sigs: dict[str, str]) -> dict[str, tuple]:
    """What charts_for(rec) / charts_for(None, page) returns, by dependency token."""
    out: dict[str, list] = {}
    for c in chart_list:
        for rid in c.records:
            out.setdefault(f"charts:{rid}", []).append((c.id, sigs[c.id]))
        for p in c.pages:
            out.setdefault(f"charts:@{p}", []).append((c.id, sigs[c.id]))
    return {k: tuple(v) for k, v in out.items()}


def _links(raw: RawRecord | None) -> tuple[frozenset[str], tuple]:
    """The ids a record names, and what decides its place in the lists of the records it names
    (the model sorts them by report, order and line)."""
    if raw is None:
        return frozenset(), ()
    src = raw.data.get("source") or {}
    place = (src.get("doc"), src.get("lines"), raw.data.get("order")) if isinstance(src, dict) else ()
    return frozenset(target for _, _, target in _refs(raw.data, ())), place


def _record_state(rec: Record) -> tuple:
    """What a record shows besides its own data: computed checks, corrections, git date."""
    return (tuple(rec.checks), tuple(rec.corrections), rec.updated)


def _chart_reads(chart, site) -> set[str]:
    """Records a chart's own pages show: its rows', its sources, and their data notes."""
    ids = set(chart.records) | {row.record for row in chart.table.rows if row.record} | set(chart.sources)
    for rid in list(ids):
        rec = site.records.get(rid)
        if rec is not None:
            ids.update(n.id for n in rec.data_notes)
    return ids


class LiveSite:
    """The last good build of a project, kept to update the site on disk after each change."""

    def __init__(self, config: SiteConfig, out: Path, log: Log = lambda s: None, workers: int | None = None):
        self.config = config
        self.out = out.resolve()
        self.log = log
        self.workers = workers
        self.raws: dict[str, RawRecord] = {}  # file relative to the root → record
        self.checked: pipeline.Checked | None = None
        self.rendered: pipeline.Rendered | None = None
        self.pages: dict[str, Page] = {}
        self.paths: set[str] = set()  # every file of the site
        self.deps: dict[str, frozenset[str]] = {}  # page → what it read
        self.readers: dict[str, set[str]] = {}  # what was read → pages that read it
        self.chart_sigs: dict[str, str] = {}
        self.site_wide: set[str] = set()  # files of step 3 (search index, downloads)
        self._child: int | None = None  # pid of step 3's process
        self._child_reader: threading.Thread | None = None
        self.pending: set[Path] = set()  # files of a change that had errors: looked at again next time
        self.templates: set[Path] = set()  # template files when the site was last built

    # ---- full build ---------------------------------------------------------------------------
    def build(self) -> Outcome:
        """Build everything (at start, and after changes that touch every page)."""
        start = time.perf_counter()
        self.cancel_site_wide()
        checked = pipeline.check(self.config)
        if checked.problems.errors:
            return Outcome(False, checked.problems.errors, seconds=time.perf_counter() - start)
        writer = SiteWriter(self.out)
        try:
            rendered = pipeline.render_files(self.config, checked, writer=writer, workers=self.workers, track=True)
        except BaseException:
            writer.abort()
            raise
        writer.commit()
        assert checked.site is not None
        self.raws = {r.raw.file.as_posix(): r.raw for r in checked.site.records.values()}
        self.checked, self.rendered = checked, rendered
        self.pages = {p.path: p for p in rendered.page_list}
        self.deps, self.readers = {}, {}
        for path, tokens in rendered.deps.items():
            self._set_deps(path, tokens)
        self.chart_sigs = _chart_sigs(rendered.chart_list)
        self.paths = set(rendered.paths)
        self.pending.clear()
        self.templates = {p.resolve() for d in self.config.theme_dirs() for p in (d / "templates").rglob("*")
                          if p.is_file()}
        self.site_wide = {p for p in self.paths if p.startswith(("search/", exports.FOLDER)) and p not in self.pages}
        # The workers compiled the templates, this process did not: compile them now, so the first
        # edit's page is not slowed by it (one small page per template renders them all).
        warmed: set[str] = set()
        for page in rendered.page_list:
            if page.template not in warmed and "records" not in page.context and rendered.renderer is not None:
                warmed.add(page.template)
                rendered.renderer.render(page)
        return Outcome(True, written=rendered.paths, pages=rendered.pages, full=True,
                       seconds=time.perf_counter() - start)

    def _set_deps(self, path: str, tokens: frozenset[str] | None) -> None:
        page = self.pages.get(path)
        if tokens is not None and page is not None and "records" in page.context:
            tokens = tokens | {f"kind:{page.context['kind']}"}  # a list page shows which records exist
        for token in self.deps.get(path, ()):
            readers = self.readers.get(token)
            if readers is not None:
                readers.discard(path)
        if tokens is None:
            self.deps.pop(path, None)
            return
        self.deps[path] = tokens
        for token in tokens:
            self.readers.setdefault(token, set()).add(path)

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
                path.is_relative_to(d.resolve()) for d in (self.config.schema_dir, self.config.content_dir,
                                                          self.config.reports_dir, root / "themes")):
            return "site"
        return None

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
                p.relative_to(data_dir).parts[0] in GLOBAL_KINDS for p in kinds["data"]):
            outcome = self.build()  # a new or removed template may change which template a page uses
            self.pending = set() if outcome.ok else set(kinds["data"] + kinds["template"] + kinds["site"])
            return outcome
        outcome = Outcome(True)
        if kinds["data"]:
            outcome = self._update_data(kinds["data"], start)
            if not outcome.ok:
                self.pending = set(kinds["data"])  # until they are fixed, every update looks at them
                return outcome
            self.pending.clear()
        if kinds["template"]:
            more = self._update_templates(kinds["template"])
            outcome.written += more.written
            outcome.pages += more.pages
        outcome.seconds = time.perf_counter() - start
        return outcome

    def _update_data(self, files: list[Path], start: float) -> Outcome:
        assert self.checked is not None and self.checked.site is not None and self.rendered is not None
        config, old_site = self.config, self.checked.site
        renderer = self.rendered.renderer
        assert renderer is not None
        root = config.root.resolve()
        data_dir = config.data_dir.resolve()
        raws = dict(self.raws)
        problems: list[Problem] = []
        touched: list[tuple[RawRecord | None, RawRecord | None]] = []  # (old, new) per file
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
                problems += validate_schema(new, config.schema_dir)
                if old is not None and new.digest == old.digest:
                    continue  # saved without a change
                raws[rel] = new
            elif old is not None:
                del raws[rel]
            else:
                continue
            touched.append((old, new))
        if problems:
            return Outcome(False, problems)
        if not touched:
            return Outcome(True, seconds=time.perf_counter() - start)

        # Step 1: the edited record's own page, from the links the model already has.
        first = self._first_page(touched, old_site)
        if first is not None:
            self.log(f"page {first.path} written in {(time.perf_counter() - start) * 1000:.0f} ms")

        # Step 2: the model again, and every file that shows what changed.
        self.cancel_site_wide()
        ordered = sorted(raws.values(), key=_order_key)
        with pipeline.no_gc():
            link_problems = [p for p in validate_links(ordered) if p.severity == "error"]
            if not link_problems:
                checked = pipeline.model(config, ordered, self.checked.content, Problems(), self.checked.changes)
        if link_problems:
            if first is not None:  # put back what step 1 wrote: the site stays as it was
                _write_atomic(self.out, first.path, renderer.render(first))
            return Outcome(False, link_problems)
        site = checked.site
        assert site is not None
        renderer.use_site(site, checked.corrector, pipeline.extra_context(checked))  # type: ignore[arg-type]
        chart_list = charts.build_charts(site, config)
        renderer.env.globals["charts_for"] = renderer.charts_lookup(charts.charts_lookup(chart_list))
        page_list = pipeline.pages(site, checked.content, renderer)

        # What changed: the records of the files, the records they name (before and after: their
        # lists of linked records changed), and records whose checks, corrections or dates changed.
        changed_ids: set[str] = set()
        relinked: set[str] = set()  # records whose lists of records linking to them changed
        for old, new in touched:
            for raw in (old, new):
                rid = raw.data.get("id") if raw is not None else None
                if isinstance(rid, str):
                    changed_ids.add(rid)
            if _links(old) != _links(new):
                relinked |= _links(old)[0] | _links(new)[0]
        for rid, rec in site.records.items():
            before = old_site.records.get(rid)
            if before is None or _record_state(before) != _record_state(rec):
                changed_ids.add(rid)
        gone_ids = set(old_site.records) - set(site.records)
        changed_ids |= gone_ids
        tokens = changed_ids | {f"{rid}@" for rid in relinked}
        moved = gone_ids | (set(site.records) - set(old_site.records))
        kinds_changed = {old_site.records[r].kind for r in moved if r in old_site.records}
        kinds_changed |= {site.records[r].kind for r in moved if r in site.records}
        if kinds_changed or old_site.checks != site.checks:
            tokens |= {t for t in self.readers if t.startswith("site.") and t != "site.get"}
        tokens |= {f"kind:{k}" for k in kinds_changed}
        sigs = _chart_sigs(chart_list)
        old_by_key = _charts_by_key(self.rendered.chart_list, self.chart_sigs)
        new_by_key = _charts_by_key(chart_list, sigs)
        tokens |= {k for k in old_by_key.keys() | new_by_key.keys() if old_by_key.get(k) != new_by_key.get(k)}

        # Pages: every page that read something that changed, and new ones.
        new_pages = {p.path: p for p in page_list}
        dirty = {path for t in tokens for path in self.readers.get(t, ())}
        dirty |= new_pages.keys() - self.pages.keys()
        if first is not None:
            dirty.add(first.path)
        old_pages, self.pages = self.pages, new_pages
        written: list[str] = []
        made = 0
        for path in sorted(dirty):
            page = new_pages.get(path)
            if page is None:
                continue
            read: set[str] = set()
            data = renderer.render(page, read)
            self._set_deps(path, frozenset(read))
            made += 1
            if _write_atomic(self.out, path, data):
                written.append(path)
        deleted = sorted(old_pages.keys() - new_pages.keys())
        for path in deleted:
            self._set_deps(path, None)

        # The JSON twins of changed records, chart files, and the files that list every page.
        extra: dict[str, bytes] = {}
        twin_kinds = set(sitefiles.TWIN_KINDS)
        for rid in sorted(changed_ids | relinked):
            rec = site.records.get(rid)
            if rec is not None and rec.kind in twin_kinds:
                extra[f"{rec.kind}/{rec.id}.json"] = sitefiles.record_json(rec, config)
            old_rec = old_site.records.get(rid)
            if rec is None and old_rec is not None and old_rec.kind in twin_kinds:
                deleted.append(f"{old_rec.kind}/{old_rec.id}.json")
        if sigs != self.chart_sigs or any(changed_ids & _chart_reads(c, site) for c in chart_list):
            extra.update(charts.chart_files(chart_list, renderer, config))
            gone_charts = set(self.chart_sigs) - set(sigs)
            deleted += [p for p in self.paths if p.startswith("charts/") and p.split("/")[1] in gone_charts]
        stubs_before = {f"{old}index.html" for old in old_site.redirects}
        stubs_now = {f"{old}index.html" for old in site.redirects}
        deleted += sorted(stubs_before - stubs_now)
        if old_site.redirects and not site.redirects:
            deleted.append("_redirects")
        self.paths = (self.paths - set(deleted)) | set(new_pages) | set(extra)
        extra.update(self._listing_files(site, renderer))
        for path, data in extra.items():
            if _write_atomic(self.out, path, data):
                written.append(path)
        self.paths |= set(extra)
        for path in deleted:
            _delete(self.out, path)
        self.raws = raws
        self.checked = checked
        self.rendered = dataclasses.replace(self.rendered, chart_list=chart_list, page_list=page_list)
        self.chart_sigs = sigs

        # Step 3, in the background.
        self.start_site_wide()
        return Outcome(True, written=written, deleted=deleted, pages=made, first_page=first.path if first else "",
                       seconds=time.perf_counter() - start)

    def _first_page(self, touched: list[tuple[RawRecord | None, RawRecord | None]], site) -> Page | None:
        """Step 1: render and write the edited record's page at once, when that can be done from
        the current model (one record changed in place, with the same id, naming only records that
        exist), from the new data and the links the model has. Returns the page as it was."""
        if len(touched) != 1 or self.rendered is None or self.rendered.renderer is None:
            return None
        old, new = touched[0]
        if old is None or new is None or old.data.get("id") != new.data.get("id"):
            return None
        before = site.records.get(old.data.get("id"))
        page = self.pages.get(f"{before.url}index.html") if before is not None else None
        if before is None or page is None or page.context.get("record") is not before:
            return None
        for _, name, target in _refs(new.data, ()):
            want = REF_FIELDS[name]
            want = new.kind if want == "=" else want
            found = site.records.get(target)
            if found is None or want not in ("*", found.kind):
                return None  # step 2 says what is wrong
        try:
            fresh = _make(new)
            for f in dataclasses.fields(fresh):
                default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
                if getattr(fresh, f.name) != default:
                    continue  # read from the record's own data: as the new data says
                if f.name in REF_FIELDS and (f.name in new.data or f.name in old.data):
                    value = new.data.get(f.name)
                    if isinstance(value, list):
                        setattr(fresh, f.name, [site.records[v] for v in value if v in site.records])
                    else:
                        setattr(fresh, f.name, site.records.get(value) if isinstance(value, str) else default)
                else:  # what the model computes from other records (reverse links, checks): as it was
                    setattr(fresh, f.name, copy.copy(getattr(before, f.name)))
            data = self.rendered.renderer.render(Page(page.path, page.template, {**page.context, "record": fresh}))
        except Exception:  # step 2 renders it properly, or says what is wrong
            return None
        _write_atomic(self.out, page.path, data)
        return page

    def _listing_files(self, site, renderer) -> dict[str, bytes]:
        """Sitemap, robots.txt, feed, redirects: small files that depend on the set of pages."""
        config = self.config
        out: dict[str, bytes] = {}
        if site.redirects:
            out["_redirects"] = sitefiles.netlify_redirects(config, site.redirects)
            for old, new in sorted(site.redirects.items()):
                out[f"{old}index.html"] = renderer.render(Page(f"{old}index.html", "redirect.html", {"target": new}))
        every = self.paths | set(out)
        out["sitemap.xml"] = sitefiles.sitemap(config, sitefiles.sitemap_urls(sorted(every), site.redirects))
        out["robots.txt"] = sitefiles.robots(config)
        assert self.checked is not None
        out["feed.xml"] = renderer.render(Page("feed.xml", "feed.xml", {"changes": self.checked.changes[:50]}))
        return out

    def _update_templates(self, files: list[Path]) -> Outcome:
        assert self.rendered is not None and self.rendered.renderer is not None and self.checked is not None
        names = set()
        for path in files:
            for d in self.config.theme_dirs():
                base = (d / "templates").resolve()
                if path.is_relative_to(base):
                    names.add(path.relative_to(base).as_posix())
        renderer = self.rendered.renderer
        renderer.forget_templates()
        dirty = sorted({p for name in names for p in self.readers.get(f"template:{name}", ())})
        written: list[str] = []
        for path in dirty:
            page = self.pages.get(path)
            if page is None:
                continue
            read: set[str] = set()
            data = renderer.render(page, read)
            self._set_deps(path, frozenset(read))
            if _write_atomic(self.out, path, data):
                written.append(path)
        extra = charts.chart_files(self.rendered.chart_list, renderer, self.config)
        extra.update(self._listing_files(self.checked.site, renderer))
        for path, data in extra.items():
            if _write_atomic(self.out, path, data):
                written.append(path)
        self.start_site_wide()  # the downloads page is a template too
        return Outcome(True, written=written, pages=len(dirty))

    # ---- step 3: search index and downloads, in a forked process --------------------------------
    def start_site_wide(self) -> None:
        assert self.checked is not None and self.rendered is not None
        checked, rendered, config, out = self.checked, self.rendered, self.config, self.out
        old = set(self.site_wide)
        read_fd, write_fd = os.pipe()
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: compute, write what changed, say which files exist, exit
            code = 0
            try:
                os.close(read_fd)
                site, corrector = checked.site, checked.corrector
                docs = search_docs(site, corrector, checked.content, rendered.chart_list)  # type: ignore[arg-type]
                files = {f"search/{n}": d for n, d in search.build_index(docs).items()}
                files.update(exports.export_files(site, config, rendered.renderer))  # type: ignore[arg-type]
                written = [p for p, d in files.items() if _write_atomic(out, p, d)]
                for gone in old - files.keys():
                    _delete(out, gone)
                report = "\n".join(["FILES", *files, "WRITTEN", *written]).encode()
                os.write(write_fd, report)
            except BaseException:  # the parent says the update failed
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self._child = pid

        def collect() -> None:
            chunks = []
            while True:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            os.close(read_fd)
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:
                return
            if self._child != pid:
                return  # cancelled
            self._child = None
            text = b"".join(chunks).decode()
            if status != 0 or not text.startswith("FILES"):
                self.log("search index and downloads: update failed; run build.py build to see why")
                return
            names, _, written = text[len("FILES\n"):].partition("\nWRITTEN")
            files = set(filter(None, names.split("\n")))
            self.paths = (self.paths - self.site_wide) | files
            self.site_wide = files
            changed = len(list(filter(None, written.split("\n"))))
            self.log(f"search index and downloads: {changed} files updated in "
                     f"{time.perf_counter() - started:.1f}s")

        self._child_reader = threading.Thread(target=collect, daemon=True)
        self._child_reader.start()

    def cancel_site_wide(self) -> None:
        pid, self._child = self._child, None
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self._child_reader is not None:
            self._child_reader.join()
            self._child_reader = None

    def wait(self) -> None:
        """Until step 3 is done (tests)."""
        if self._child_reader is not None:
            self._child_reader.join()
            self._child_reader = None

