"""Markdown as the site renders it: CommonMark with tables, raw HTML escaped."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup


def _markdown() -> MarkdownIt:
    # CommonMark with tables; raw HTML is escaped, not passed through. Strikethrough stays off:
    # Korean date ranges like '18.1.1.~'20.12.31. must never become struck-through text.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return md


_MD = _markdown()


def markdown(text: str) -> Markup:
    return Markup(_MD.render(text))


def plain(text: str) -> str:
    """Text without Markdown list markers, for search and summaries."""
    lines = [ln.strip().lstrip("-*").strip() for ln in text.splitlines()]
    return " ".join(ln for ln in lines if ln)
