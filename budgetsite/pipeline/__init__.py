"""The build, top to bottom: load → validate → model → checks → derived files → render → write."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.metadata
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SiteConfig
from ..derive import charts, sitefiles
from ..derive.search import index as search
from ..derive.search.documents import search_docs
from ..load.cache import FileMemo, RecordCache
from ..load.content import ContentPage, load_content
from ..load.records import RawRecord, load_records
from ..model import Site, build_site, history
from ..model import reconcile as checks_mod
from ..model.corrections import Corrector
from ..problems import Problems
from ..render import Page, Renderer, record_pages
from ..validate import validate_records
from ..write import FileWriter, SiteWriter
from .workers import MIN_PAGES_FOR_WORKERS, Deps, Files, Task, jobs, run_tasks

Progress = Callable[[str, int, int], None]  # (stage label, done, total)


def _quiet(label: str, done: int, total: int) -> None:
    pass


@dataclass
class Checked:
    """Everything known about the input once it has been read and checked."""
    site: Site | None
    content: list[ContentPage]
    problems: Problems
    corrector: Corrector | None = None
    timings: dict[str, float] = field(default_factory=dict)
    changes: list[history.Change] = field(default_factory=list)  # git commits that changed data/


@dataclass
class BuildResult:
    checked: Checked
    files: dict[str, bytes] = field(default_factory=dict)  # empty when written to `out` as made
    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # every file of the site

    @property
    def ok(self) -> bool:
        return not self.checked.problems.errors


def check(config: SiteConfig, use_cache: bool = True) -> Checked:
    """Load and validate all input. The site model is built only when there are no errors.
    With `use_cache`, files parsed and schema-checked by an earlier build are taken from
    .build-cache/inputs/ by content hash (budgetsite.inputs)."""
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
    cache = RecordCache(config.root, config.schema_dir) if use_cache else None
    raws, load_problems = load_records(config.root, config.data_dir, cache, workers=jobs())
    problems.extend(load_problems)
    content, content_problems = load_content(config.root, config.content_dir)
    problems.extend(content_problems)
    t1 = time.perf_counter()
    problems.extend(validate_records(raws, config.schema_dir))
    if cache is not None:
        cache.save(raws)
    t2 = time.perf_counter()
    timings = {"load": t1 - t0, "validate": t2 - t1}
    if problems.errors:
        return Checked(None, content, problems, timings=timings)
    checked = model(config, raws, content, problems)
    checked.timings = {**timings, "model": time.perf_counter() - t2}
    return checked


def model(config: SiteConfig, raws: list[RawRecord], content: list[ContentPage], problems: Problems,
          changes: list[history.Change] | None = None) -> Checked:
    """The site model of valid records, with its computed checks (as warnings in `problems`).
    `changes`: the git history when already known (serve)."""
    site = build_site(raws)
    if changes is None:
        changes = history.data_changes(config.root)
    dates = history.last_changed(changes)
    for rec in site.records.values():
        rec.updated = dates.get(rec.file.as_posix(), "")
    corrector = Corrector(site)
    for rec in site.records.values():
        if corrector.by_doc.get(rec.source.doc):  # most reports have no corrections: skip the text walk
            rec.corrections = corrector.found_in(rec)
    found = checks_mod.run_checks(site)
    problems.extend(checks_mod.as_problems(site, found))
    return Checked(site, content, problems, corrector, {}, changes)


def pages(site: Site, content: list[ContentPage], renderer: Renderer) -> list[Page]:
    out = [Page("index.html", "home.html"), Page("404.html", "404.html"),
           Page("execution/index.html", "execution.html"), Page("search/index.html", "search.html")]
    out += list(record_pages(site, renderer))
    for doc in site.sources:
        if doc.get("file"):
            out.append(Page(f"{doc.url}text/index.html", "source_text.html", {"record": doc}))
    out += [Page(f"{p.url}index.html", "page.html", {"content": p}) for p in content]
    return out


def _chunks(items: list, size: int) -> Iterator[tuple[int, int]]:
    for i in range(0, len(items), size):
        yield i, min(i + size, len(items))


@dataclass
class Rendered:
    files: dict[str, bytes]  # path → bytes; empty when a writer wrote them
    paths: list[str]  # every file, written or not
    pages: int
    timings: dict[str, float]  # CPU seconds per kind of task
    deps: Deps = field(default_factory=dict)  # page → what it read, when tracked (serve)
    renderer: Renderer | None = None
    chart_list: list = field(default_factory=list)
    page_list: list[Page] = field(default_factory=list)


def extra_context(checked: Checked) -> dict:
    """Template globals besides the model: the content pages (menu) and all corrections."""
    assert checked.corrector is not None
    return {"content_pages": checked.content, "corrections": checked.corrector.all()}


def render_files(config: SiteConfig, checked: Checked, progress: Progress = _quiet,
                 writer: FileWriter | None = None, workers: int | None = None, track: bool = False) -> Rendered:
    """Every file of the site. With a `writer`, files are written as they are made instead of
    being kept in memory. Large sites render on every core (budgetsite.workers). With `track`,
    each page's dependencies are noted too (budgetsite.incremental)."""
    site, corrector = checked.site, checked.corrector
    assert site is not None and corrector is not None
    renderer = Renderer(config, site, corrector, extra_context(checked), track=track)
    # The model's derived parts every task reads, computed once before the work is shared out.
    chart_list = charts.build_charts(site, config)
    renderer.env.globals["charts_for"] = renderer.charts_lookup(charts.charts_lookup(chart_list))
    page_list = pages(site, checked.content, renderer)
    total = len(page_list)
    twin_list = [rec for kind in sitefiles.TWIN_KINDS for rec in site.kind(kind)]

    def search_files() -> Files:
        docs = search_docs(site, corrector, checked.content, chart_list)
        memo = FileMemo(config.root, "search", [Path(search.__file__)])
        memo.add(sys.version)
        for d in docs:
            memo.add(d.url, d.type, d.title, d.text, d.org, d.year, d.status)
        files = memo.get()
        if files is None:
            files = [(f"search/{name}", data) for name, data in search.build_index(docs).items()]
            memo.put(files)
        return files

    def export_files() -> Files:
        # The downloads depend on every record and on how they are read and shown: the memo's key
        # holds the records' content hashes, the code, the theme, the schemas, the content pages and the config.
        memo = FileMemo(config.root, "exports", sorted(Path(__file__).parent.parent.rglob("*.py")))
        memo.add(sys.version, *(importlib.metadata.version(m) for m in ("xlsxwriter", "jinja2")), repr(config))
        for folder in (*config.theme_dirs(), config.schema_dir):  # the schemas give columns and enums
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    memo.add(path.relative_to(folder).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
        for c in checked.content:
            memo.add(c.slug, c.title, c.order)
        for rec in site.records.values():
            memo.add(rec.kind, rec.file.as_posix(), rec.raw.digest)
        files = memo.get()
        if files is None:
            from ..derive import exports  # imported only when the downloads are made, not on a memo hit
            files = list(exports.export_files(site, config, renderer).items())
            memo.put(files)
        return files

    def page_files(i: int, j: int) -> Callable[[], Files | tuple[Files, Deps]]:
        if not track:
            return lambda: [(p.path, renderer.render(p)) for p in page_list[i:j]]

        def tracked() -> tuple[Files, Deps]:
            files: Files = []
            deps: Deps = {}
            for p in page_list[i:j]:
                read: set[str] = set()
                files.append((p.path, renderer.render(p, read)))
                deps[p.path] = frozenset(read)
            return files, deps
        return tracked

    def twin_files(i: int, j: int) -> Callable[[], Files]:
        return lambda: [(f"{r.kind}/{r.id}.json", sitefiles.record_json(r, config)) for r in twin_list[i:j]]

    n = max(1, len(site.records))
    tasks = [Task("assets", lambda: list(renderer.assets.files.items()), 0),
             Task("charts", lambda: list(charts.chart_files(chart_list, renderer, config).items()), n * 0.05),
             Task("search", search_files, n * 0.4),
             Task("exports", export_files, n * 0.4)]
    # A list page costs about one row per record; record pages go in chunks of a few hundred.
    singles = [i for i, p in enumerate(page_list) if "records" in p.context]
    for i in singles:
        tasks.append(Task("pages", page_files(i, i + 1), len(page_list[i].context["records"]) * 0.3, 1))
    alone = set(singles)
    rest = [i for i in range(total) if i not in alone]
    runs: list[tuple[int, int]] = []
    for i in rest:  # consecutive runs of record pages between the list pages
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    for a, b in runs:
        for i, j in _chunks(list(range(a, b)), 400):
            tasks.append(Task("pages", page_files(a + i, a + j), j - i, j - i))
    for i, j in _chunks(twin_list, 4000):
        tasks.append(Task("twins", twin_files(i, j), (j - i) * 0.05))

    done = [0]

    def advance(pages_done: int) -> None:
        if pages_done:
            done[0] += pages_done
            progress("render", done[0], total)

    use = workers if workers is not None else (jobs() if total >= MIN_PAGES_FOR_WORKERS else 1)
    files: dict[str, bytes] = {}
    paths: list[str] = []
    timings: dict[str, float] = {}
    all_deps: Deps = {}
    for task, made, deps, cpu in run_tasks(tasks, writer, use, advance):
        timings[task.name] = timings.get(task.name, 0.0) + cpu
        all_deps.update(deps)
        if writer is None:
            files.update(made)  # type: ignore[arg-type]
        else:
            paths.extend(made)  # type: ignore[arg-type]

    # The rest needs the list of every file, or is too small to share out.
    last: dict[str, bytes] = {}
    if site.redirects:
        last["_redirects"] = sitefiles.netlify_redirects(config, site.redirects)
        for old, new in sorted(site.redirects.items()):
            last[f"{old}index.html"] = renderer.render(Page(f"{old}index.html", "redirect.html", {"target": new}))
    every = [*(files if writer is None else paths), *last]
    last["sitemap.xml"] = sitefiles.sitemap(config, sitefiles.sitemap_urls(every, site.redirects))
    last["robots.txt"] = sitefiles.robots(config)
    last["feed.xml"] = renderer.render(Page("feed.xml", "feed.xml", {"changes": checked.changes[:50]}))
    if writer is None:
        files.update(last)
        paths = list(files)
    else:
        for path, data in last.items():
            writer.write(path, data)
        paths.extend(last)
    return Rendered(files, paths, total, timings, all_deps, renderer, chart_list, page_list)


def build(config: SiteConfig, out: Path | None, progress: Progress = _quiet, workers: int | None = None,
          strict: bool = False) -> BuildResult:
    """Check the input and, when it has no errors (with `strict`, no warnings either), write the
    site to `out` (None: keep the files in `result.files` instead). The site is written into a
    temporary folder and swapped in when complete, so a failed build leaves `out` as it was."""
    checked = check(config)
    result = BuildResult(checked, timings=dict(checked.timings))
    if not result.ok or (strict and checked.problems.warnings):
        return result
    t0 = time.perf_counter()
    writer = SiteWriter(out) if out is not None else None
    try:
        rendered = render_files(config, checked, progress, writer, workers)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    result.files, result.paths, result.pages = rendered.files, rendered.paths, rendered.pages
    result.timings.update({f"cpu {k}": v for k, v in rendered.timings.items()})
    if writer is not None:
        writer.commit()
    result.timings["render and write"] = time.perf_counter() - t0
    return result
