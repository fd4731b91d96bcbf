"""Every file of the site, made by tasks that the render workers share (budgetsite.pipeline.workers):
the theme's assets, the chart data files, the search index, the downloads, the pages in chunks
and the JSON twins; then the files that list all of them (sitemap, redirects).

The model and its derived parts every task reads (the chart list, the page plan) are made once,
before the work is shared out; a task is a plain function of the task's range."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from ..config import SiteConfig
from ..derive import charts, twins
from ..derive.charts import Chart
from ..derive.charts.files import EMBED_HOST_SCRIPT, EMBED_HOST_URL
from ..model import Record
from ..render import Page, Renderer, site_pages
from ..write import FileWriter
from . import sitewide
from .check import Checked
from .workers import MIN_PAGES_FOR_WORKERS, Deps, Files, Task, jobs, run_tasks

Progress = Callable[[str, int, int], None]  # (stage label, done, total)
PAGES_PER_TASK = 400
TWINS_PER_TASK = 4000


def _quiet(label: str, done: int, total: int) -> None:
    pass


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


def plan(config: SiteConfig, checked: Checked, renderer: Renderer) -> tuple[list[Chart], list[Page]]:
    """The charts and the page plan of a checked site, with `charts_for` given to the templates."""
    site = checked.site
    assert site is not None
    chart_list = charts.build_charts(site, config)
    renderer.env.globals["charts_for"] = renderer.charts_lookup(charts.charts_lookup(chart_list))
    return chart_list, site_pages(site, checked.content, chart_list, checked.changes, renderer)


def prepare(config: SiteConfig, checked: Checked, track: bool = False) -> tuple[Renderer, list[Chart], list[Page]]:
    """A renderer for a checked site, its charts and its page plan."""
    assert checked.site is not None and checked.corrector is not None
    renderer = Renderer(config, checked.site, checked.corrector, extra_context(checked), track=track)
    return (renderer, *plan(config, checked, renderer))


def asset_files(renderer: Renderer) -> Files:
    """The theme's static files, and the embed resizer at its stable URL."""
    assets = renderer.assets
    return [*assets.files.items(), (EMBED_HOST_URL, assets.files[assets.urls[EMBED_HOST_SCRIPT]])]


def page_files(renderer: Renderer, pages: list[Page], track: bool) -> Files | tuple[Files, Deps]:
    if not track:
        return [(p.path, renderer.render(p)) for p in pages]
    files: Files = []
    deps: Deps = {}
    for p in pages:
        read: set[str] = set()
        files.append((p.path, renderer.render(p, read)))
        deps[p.path] = frozenset(read)
    return files, deps


def twin_files(config: SiteConfig, records: list[Record]) -> Files:
    return [(f"{r.kind}/{r.id}.json", twins.record_json(r, config)) for r in records]


def _page_tasks(renderer: Renderer, page_list: list[Page], track: bool) -> list[Task]:
    """A list page costs about one row per record and goes alone; the record pages between list
    pages go in chunks of a few hundred."""
    tasks: list[Task] = []
    run: list[Page] = []

    def flush() -> None:
        for i in range(0, len(run), PAGES_PER_TASK):
            chunk = run[i:i + PAGES_PER_TASK]
            tasks.append(Task("pages", partial(page_files, renderer, chunk, track), len(chunk), len(chunk)))
        run.clear()

    for page in page_list:
        if "records" in page.context:
            flush()
            cost = len(page.context["records"]) * 0.3
            tasks.append(Task("pages", partial(page_files, renderer, [page], track), cost, 1))
        else:
            run.append(page)
    flush()
    return tasks


def render_files(config: SiteConfig, checked: Checked, progress: Progress = _quiet,
                 writer: FileWriter | None = None, workers: int | None = None, track: bool = False) -> Rendered:
    """Every file of the site. With a `writer`, files are written as they are made instead of
    being kept in memory. Large sites render on every core. With `track`, each page's
    dependencies are noted too (budgetsite.devserver)."""
    site = checked.site
    assert site is not None and checked.corrector is not None
    renderer, chart_list, page_list = prepare(config, checked, track)
    twin_list = [rec for kind in site.kinds for rec in site.kind(kind.name)]
    n = max(1, len(site.records))
    # Longest first: the scheduler orders by cost, so the two site-wide files start at once.
    tasks = [Task("assets", partial(asset_files, renderer), 0),
             Task("charts", lambda: list(charts.chart_files(chart_list, site, config).items()), n * 0.05),
             Task("search", partial(sitewide.search_files, config, site, checked.corrector, checked.content,
                                    chart_list), n * 0.4),
             Task("exports", partial(sitewide.export_files, config, site, checked.content, renderer), n * 0.4)]
    tasks += _page_tasks(renderer, page_list, track)
    for i in range(0, len(twin_list), TWINS_PER_TASK):
        chunk = twin_list[i:i + TWINS_PER_TASK]
        tasks.append(Task("twins", partial(twin_files, config, chunk), len(chunk) * 0.05))

    total = len(page_list)
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

    last = sitewide.listing_files(config, site, list(files) if writer is None else paths)
    if writer is None:
        files.update(last)
        paths = list(files)
    else:
        for path, data in last.items():
            writer.write(path, data)
        paths.extend(last)
    return Rendered(files, paths, total, timings, all_deps, renderer, chart_list, page_list)
