"""The build, top to bottom: load → validate → model → checks → derived files → render → write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import charts, exports, history, search, sitefiles
from . import checks as checks_mod
from .config import SiteConfig
from .content import ContentPage, load_content
from .load import load_records
from .model import Site, build_site
from .problems import Problems
from .render import Page, Renderer, record_pages
from .search_docs import search_docs
from .text import Corrector
from .validate import validate_records
from .write import write_site

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
    files: dict[str, bytes] = field(default_factory=dict)
    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.checked.problems.errors


def check(config: SiteConfig) -> Checked:
    """Load and validate all input. The site model is built only when there are no errors."""
    t0 = time.perf_counter()
    problems = Problems()
    raws, load_problems = load_records(config.root, config.data_dir)
    problems.extend(load_problems)
    content, content_problems = load_content(config.root, config.content_dir)
    problems.extend(content_problems)
    t1 = time.perf_counter()
    problems.extend(validate_records(raws, config.schema_dir))
    t2 = time.perf_counter()
    timings = {"load": t1 - t0, "validate": t2 - t1}
    if problems.errors:
        return Checked(None, content, problems, timings=timings)
    site = build_site(raws)
    changes = history.data_changes(config.root)
    dates = history.last_changed(changes)
    for rec in site.records.values():
        rec.updated = dates.get(rec.file.as_posix(), "")
    corrector = Corrector(site)
    for rec in site.records.values():
        rec.corrections = corrector.found_in(rec)
    found = checks_mod.run_checks(site)
    problems.extend(checks_mod.as_problems(site, found))
    timings["model"] = time.perf_counter() - t2
    return Checked(site, content, problems, corrector, timings, changes)


def pages(site: Site, content: list[ContentPage], renderer: Renderer) -> list[Page]:
    out = [Page("index.html", "home.html"), Page("404.html", "404.html"),
           Page("execution/index.html", "execution.html"), Page("search/index.html", "search.html")]
    out += list(record_pages(site, renderer))
    for doc in site.sources:
        if doc.get("file"):
            out.append(Page(f"{doc.url}text/index.html", "source_text.html", {"record": doc}))
    out += [Page(f"{p.url}index.html", "page.html", {"content": p}) for p in content]
    return out


def render_files(config: SiteConfig, checked: Checked, progress: Progress = _quiet) -> tuple[dict[str, bytes], int]:
    site, corrector = checked.site, checked.corrector
    assert site is not None and corrector is not None
    renderer = Renderer(config, site, corrector, {"content_pages": checked.content, "corrections": corrector.all()})
    files: dict[str, bytes] = dict(renderer.assets.files)
    # Derived artifacts: charts, search index, open-data exports.
    chart_list = charts.build_charts(site, config)
    renderer.env.globals["charts_for"] = charts.charts_lookup(chart_list)
    files.update(charts.chart_files(chart_list, renderer, config))
    docs = search_docs(site, corrector, checked.content, chart_list)
    files.update({f"search/{name}": data for name, data in search.build_index(docs).items()})
    files.update(exports.export_files(site, config, renderer))
    page_list = pages(site, checked.content, renderer)
    total = len(page_list)
    for i, page in enumerate(page_list, 1):
        files[page.path] = renderer.render(page)
        if i % 50 == 0 or i == total:
            progress("render", i, total)
    files.update(sitefiles.twins(site, config))
    if site.redirects:
        files["_redirects"] = sitefiles.netlify_redirects(config, site.redirects)
        for old, new in sorted(site.redirects.items()):
            files[f"{old}index.html"] = renderer.render(Page(f"{old}index.html", "redirect.html", {"target": new}))
    files["sitemap.xml"] = sitefiles.sitemap(config, sitefiles.sitemap_urls(files, site.redirects))
    files["robots.txt"] = sitefiles.robots(config)
    files["feed.xml"] = renderer.render(Page("feed.xml", "feed.xml", {"changes": checked.changes[:50]}))
    return files, total


def build(config: SiteConfig, out: Path | None, progress: Progress = _quiet) -> BuildResult:
    """Check the input and, when it has no errors, write the site to `out` (None: don't write)."""
    checked = check(config)
    result = BuildResult(checked, timings=dict(checked.timings))
    if not result.ok:
        return result
    t0 = time.perf_counter()
    result.files, result.pages = render_files(config, checked, progress)
    t1 = time.perf_counter()
    result.timings["render"] = t1 - t0
    if out is not None:
        write_site(result.files, out)
        result.timings["write"] = time.perf_counter() - t1
    return result
