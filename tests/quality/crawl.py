"""A link checker for a built site folder, with no network: every internal URL a page names must
be a file in the folder, and every #fragment an id in the target page.

It reads what a browser would follow or load: href/src of a, area, link, script, img, iframe,
source, video, audio, track, embed, object (data), form (action), srcset, the URL of a
<meta http-equiv="refresh">, data-* attributes holding a site path (the scripts fetch those),
url(...) in CSS, the sitemap's <loc>s and the targets in Netlify's `_redirects`.

URLs are resolved the way a static host serves the folder under `base_url` (e.g. "/portal/" for a
sub-path deployment): a root-relative URL outside base_url is broken, as is an absolute URL on
the site's own origin (`site_url`) outside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset"),
    "iframe": ("src",), "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",), "input": ("src",),
}
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "blob:", "about:")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.I)
PAGE = "index.html"


@dataclass(frozen=True)
class Link:
    page: str  # site-relative file the URL was found in
    where: str  # e.g. "a[href]"
    url: str


@dataclass(frozen=True)
class Broken:
    link: Link
    reason: str

    def __str__(self) -> str:
        return f"{self.link.page}: {self.link.where}={self.link.url!r}: {self.reason}"


@dataclass
class Report:
    pages: int = 0
    files: int = 0
    checked: int = 0  # internal URLs resolved
    fragments: int = 0  # of which with a #fragment checked against the target's ids
    external: int = 0  # URLs to other sites (not fetched)
    broken: list[Broken] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (where, url)
        self.base_href: str | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "base" and "href" in a:
            self.base_href = a["href"]
        for attr in URL_ATTRS.get(tag, ()):
            if attr not in a:
                continue
            if attr == "srcset":
                for part in a[attr].split(","):
                    if part.strip():
                        self.links.append((f"{tag}[srcset]", part.split()[0]))
            else:
                self.links.append((f"{tag}[{attr}]", a[attr]))
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = REFRESH_URL.search(a.get("content", ""))
            if m:
                self.links.append(("meta[refresh]", m.group(1).strip()))
        for k, v in a.items():
            if k.startswith("data-") and v.startswith("/") and not v.startswith("//") and not re.search(r"\s", v):
                self.links.append((f"{tag}[{k}]", v))
            if k == "style" and "url(" in v:
                self.links += [(f"{tag}[style]", m.group(2)) for m in CSS_URL.finditer(v)]
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.links += [("style", m.group(2)) for m in CSS_URL.finditer(data)]


class SiteFolder:
    """A built site as a static host would serve it at `base_url`."""

    def __init__(self, folder: Path, base_url: str = "/", site_url: str = ""):
        self.folder = folder.resolve()
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        origin = urlsplit(site_url)
        self.origin = f"{origin.scheme}://{origin.netloc}" if origin.netloc else ""
        self._parsed: dict[str, _Parser] = {}

    # ---- files ---------------------------------------------------------------------------------
    def files(self) -> list[str]:
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file())

    def html_pages(self) -> list[str]:
        return [f for f in self.files() if f.endswith(".html")]

    def parse(self, rel: str) -> _Parser:
        if rel not in self._parsed:
            p = _Parser()
            p.feed((self.folder / rel).read_text(encoding="utf-8", errors="replace"))
            p.close()
            self._parsed[rel] = p
        return self._parsed[rel]

    def page_url(self, rel: str) -> str:
        """The URL path a file is served at (index.html pages at their folder's URL)."""
        if rel == PAGE or rel.endswith("/" + PAGE):
            rel = rel[: -len(PAGE)]
        return self.base_url + rel

    # ---- resolving -----------------------------------------------------------------------------
    def resolve(self, url: str, from_url: str) -> tuple[str | None, str, str]:
        """(site-relative file or None, fragment, reason) for an internal URL; file None means
        broken (reason says why), or "" for an external URL."""
        full = urljoin(self.origin + from_url if self.origin else "http://site.invalid" + from_url, url)
        parts = urlsplit(full)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in (self.origin, "http://site.invalid"):
            return "", "", "external"
        path = unquote(parts.path)
        if not path.startswith(self.base_url):
            return None, parts.fragment, f"outside base_url {self.base_url}"
        rel = path[len(self.base_url):]
        if ".." in PurePosixPath(rel).parts:
            return None, parts.fragment, "escapes the site folder"
        if rel == "" or rel.endswith("/"):
            rel += PAGE
        target = self.folder / rel
        if target.is_file():
            return rel, parts.fragment, ""
        if target.is_dir() and (target / PAGE).is_file():
            return None, parts.fragment, "folder URL without its trailing slash"
        return None, parts.fragment, "no such file"

    def links_of(self, rel: str) -> list[Link]:
        if rel.endswith(".html"):
            p = self.parse(rel)
            return [Link(rel, where, url) for where, url in p.links]
        if rel.endswith(".css"):
            text = (self.folder / rel).read_text(encoding="utf-8", errors="replace")
            return [Link(rel, "css url()", m.group(2)) for m in CSS_URL.finditer(text)]
        if rel == "sitemap.xml":
            text = (self.folder / rel).read_text(encoding="utf-8")
            return [Link(rel, "loc", u) for u in re.findall(r"<loc>([^<]+)</loc>", text)]
        if rel == "_redirects":
            out = []
            for line in (self.folder / rel).read_text(encoding="utf-8").splitlines():
                cols = line.split()
                if len(cols) >= 2 and not line.startswith("#"):
                    out.append(Link(rel, "redirect target", cols[1]))
            return out
        return []

    def check(self, files: list[str] | None = None) -> Report:
        report = Report()
        all_files = self.files()
        report.files = len(all_files)
        for rel in files if files is not None else all_files:
            if rel.endswith(".html"):
                report.pages += 1
            base = self.page_url(rel)
            for link in self.links_of(rel):
                url = link.url.strip()
                if not url or url.startswith(SKIP_SCHEMES):
                    continue
                if url.lower().startswith("javascript:"):
                    report.broken.append(Broken(link, "javascript: URL"))
                    continue
                if rel.endswith(".html") and self.parse(rel).base_href is not None:
                    report.broken.append(Broken(link, "<base href> changes how URLs resolve"))
                    continue
                target, fragment, reason = self.resolve(url, base)
                if target == "":
                    report.external += 1
                    continue
                report.checked += 1
                if target is None:
                    report.broken.append(Broken(link, reason))
                    continue
                if "#" in url and link.where not in ("loc", "redirect target"):
                    if not fragment:
                        report.broken.append(Broken(link, "empty #fragment"))
                    elif target.endswith(".html") and not fragment.startswith(":~:"):
                        report.fragments += 1
                        if unquote(fragment) not in self.parse(target).ids:
                            report.broken.append(Broken(link, f"no id {fragment!r} in {target}"))
        return report
