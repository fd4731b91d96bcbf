"""Permalinks outlive rebuilds: every URL an earlier build published in its sitemap.xml must still
answer in a new build, with a page of its own or a redirect in the new build's `_redirects`
(written for the `old_ids` of renamed records).

`build.py check-permalinks OLD NEW` runs this on two output folders, e.g. the deployed site and
a fresh build, before publishing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


@dataclass
class PermalinkReport:
    checked: int = 0
    redirected: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing


def sitemap_paths(site: Path) -> list[str]:
    """URL paths (e.g. "/programs/x/") listed in the folder's sitemap.xml."""
    path = site / "sitemap.xml"
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    text = path.read_text(encoding="utf-8")
    return [unquote(urlsplit(loc.replace("&amp;", "&")).path) or "/" for loc in LOC.findall(text)]


def base_path(site: Path) -> str:
    """The folder's base URL: its home page is the shortest URL in its sitemap."""
    try:
        paths = sitemap_paths(site)
    except FileNotFoundError:
        return "/"
    base = min(paths, key=len, default="/")
    return base if base.endswith("/") else base + "/"


def redirect_rules(site: Path) -> list[str]:
    """Source paths of the folder's Netlify `_redirects` (a trailing * matches any rest)."""
    path = site / "_redirects"
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if len(cols) >= 2 and not cols[0].startswith("#"):
            out.append(cols[0])
    return out


def _redirected(url_path: str, rules: list[str]) -> bool:
    for rule in rules:
        if rule.endswith("*") and url_path.startswith(rule[:-1]):
            return True
        if url_path in (rule, rule.rstrip("/") + "/", rule + "/") or url_path + "index.html" == rule:
            return True
    return False


def _file_for(url_path: str, site: Path, base: str) -> Path | None:
    if not url_path.startswith(base):
        return None
    rel = url_path[len(base):]
    if ".." in PurePosixPath(rel).parts:
        return None
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return site / rel


def check_permalinks(old: Path, new: Path) -> PermalinkReport:
    """Which of OLD's sitemap URLs NEW serves (a file, or a redirect rule) and which it lost."""
    report = PermalinkReport()
    base = base_path(new)
    rules = redirect_rules(new)
    for url_path in sitemap_paths(old):
        report.checked += 1
        if _redirected(url_path, rules):
            report.redirected.append(url_path)
            continue
        target = _file_for(url_path, new, base)
        if target is None or not target.is_file():
            report.missing.append(url_path)
    return report
