"""One representative URL for every type of page in a built site, found in the output folder so
that new kinds of records are covered as soon as the data has them."""

from __future__ import annotations

from pathlib import Path

# Pages whose address is not a folder of the output: the search page with a query that finds
# results, and a missing page (the static host answers with the site's 404.html).
SEARCH_QUERY = "노동"
MISSING = "no-such-page/"


def _largest(pages: list[Path]) -> Path | None:
    """The record page with the most content: the one most likely to show every feature."""
    return max(pages, key=lambda p: (p.stat().st_size, p.as_posix()), default=None)


def page_types(folder: Path) -> dict[str, str]:
    """{type name: site-relative URL}. Index pages are `index:<folder>`, record pages
    `record:<folder>`; plus home, search, source-text, chart, chart-embed and 404."""
    out: dict[str, str] = {"home": "", "search": f"search/?q={SEARCH_QUERY}", "404": MISSING}
    for top in sorted(p for p in folder.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        kind = top.name
        if kind == "search":
            continue
        out[f"index:{kind}"] = f"{kind}/"
        children = [c / "index.html" for c in top.iterdir() if (c / "index.html").is_file()]
        best = _largest(children)
        if best is None:
            continue
        name = "chart" if kind == "charts" else f"record:{kind}"
        out[name] = best.parent.relative_to(folder).as_posix() + "/"
        if kind == "charts" and (best.parent / "embed" / "index.html").is_file():
            out["chart-embed"] = f"{out[name]}embed/"
        if kind == "sources":
            texts = [c / "text" / "index.html" for c in top.iterdir() if (c / "text" / "index.html").is_file()]
            text = _largest(texts)
            if text is not None:
                out["source-text"] = text.parent.relative_to(folder).as_posix() + "/"
    return out
