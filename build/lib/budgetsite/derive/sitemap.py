"""Files that list the site's pages: sitemap.xml, robots.txt, and Netlify `_redirects` for the
old ids of renamed records."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from ..config import SiteConfig


def sitemap_urls(files: Iterable[str], redirects: dict[str, str]) -> list[str]:
    """Every page a reader may land on: not redirect stubs, not chart embeds (made for iframes)."""
    urls = []
    for path in files:
        if not path.endswith("index.html"):
            continue
        url = path.removesuffix("index.html")
        if url in redirects or url.endswith("/embed/"):
            continue
        urls.append(url)
    return urls


def sitemap(config: SiteConfig, urls: list[str]) -> bytes:
    base = config.site_url.rstrip("/") + config.base_url
    body = "".join(f"<url><loc>{escape(base + u)}</loc></url>\n" for u in sorted(urls))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n').encode()


def robots(config: SiteConfig) -> bytes:
    loc = config.site_url.rstrip("/") + config.base_url + "sitemap.xml"
    return f"User-agent: *\nAllow: /\nSitemap: {loc}\n".encode()


def netlify_redirects(config: SiteConfig, redirects: dict[str, str]) -> bytes:
    """Netlify `_redirects`: a permanent redirect for every old id's URL."""
    lines = [f"{config.base_url}{old} {config.base_url}{new} 301" for old, new in sorted(redirects.items())]
    lines += [f"{config.base_url}{old}index.html {config.base_url}{new} 301" for old, new in sorted(redirects.items())]
    return ("\n".join(lines) + "\n").encode() if lines else b""

