"""The files made from the whole site at once, shared by the build and the dev server: the search
index, the open-data downloads with their /data/ page, and the files that list every page
(sitemap, robots.txt, redirects). The two costly ones are kept by a digest of everything they are
made from (FileMemo), so a build in which no record changed takes them from .build-cache/."""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from pathlib import Path

from ..config import SiteConfig
from ..derive import sitemap
from ..derive.search import documents, index
from ..load.content import ContentPage
from ..model import Site
from ..model.corrections import Corrector
from ..render import Page, Renderer
from .cache import FileMemo

Files = list[tuple[str, bytes]]
PACKAGE = Path(__file__).resolve().parent.parent


def search_files(config: SiteConfig, site: Site, corrector: Corrector, content: list[ContentPage],
                 charts: list) -> Files:
    docs = documents.search_docs(site, corrector, content, charts)
    memo = FileMemo(config.root, "search", sorted((PACKAGE / "derive" / "search").glob("*.py")))
    memo.add(sys.version)
    statuses = [s for kind in site.kinds for s in kind.statuses]
    memo.add(*statuses)
    for d in docs:
        memo.add(d.url, d.type, d.title, d.text, d.org, d.year, d.status)
    files = memo.get()
    if files is None:
        files = [(f"search/{name}", data) for name, data in index.build_index(docs, statuses=statuses).items()]
        memo.put(files)
    return files


def export_files(config: SiteConfig, site: Site, content: list[ContentPage], renderer: Renderer) -> Files:
    """The downloads under /data/ and the page that lists them."""
    # They depend on every record and on how they are read and shown: the memo's key holds the
    # records' content hashes, the code, the theme, the schemas, the content pages and the config.
    memo = FileMemo(config.root, "exports", sorted(PACKAGE.rglob("*.py")))
    memo.add(sys.version, *(importlib.metadata.version(m) for m in ("xlsxwriter", "jinja2")), repr(config))
    memo.add(site.kinds.digest)  # the schemas give columns and enums
    for folder in config.theme_dirs():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                memo.add(path.relative_to(folder).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
    for c in content:
        memo.add(c.slug, c.title, c.order)
    for rec in site.records.values():
        memo.add(rec.kind, rec.file.as_posix(), rec.raw.digest)
    files = memo.get()
    if files is None:
        from ..derive import exports  # imported only when the downloads are made, not on a memo hit
        made, page = exports.export_files(site, config)
        made[page.path] = renderer.render(Page(page.path, "data.html", page.context))
        files = list(made.items())
        memo.put(files)
    return files


def listing_files(config: SiteConfig, site: Site, paths: list[str]) -> dict[str, bytes]:
    """Files that depend on the list of every file of the site: _redirects, sitemap.xml, robots.txt."""
    out: dict[str, bytes] = {}
    if site.redirects:
        out["_redirects"] = sitemap.netlify_redirects(config, site.redirects)
    out["sitemap.xml"] = sitemap.sitemap(config, sitemap.sitemap_urls([*paths, *out], site.redirects))
    out["robots.txt"] = sitemap.robots(config)
    return out
