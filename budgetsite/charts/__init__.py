"""Stage 4a — charts: Plotly figures built from the model, each with a permanent page,
downloads, a static image and an embed. (Filled in by the charts work; this is the contract.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..config import SiteConfig
from ..model import Record, Site


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    records: list[str] = field(default_factory=list)  # ids of the records whose pages show it
    pages: list[str] = field(default_factory=list)  # overview pages that show it: "execution", "audits", "home"

    @property
    def url(self) -> str:
        return f"charts/{self.id}/"


def build_charts(site: Site, config: SiteConfig) -> list[Chart]:
    return []


def charts_lookup(charts: list[Chart]) -> Callable[..., list[Chart]]:
    """`charts_for(record)` / `charts_for(None, "execution")` for templates."""
    by_record: dict[str, list[Chart]] = {}
    by_page: dict[str, list[Chart]] = {}
    for c in charts:
        for rid in c.records:
            by_record.setdefault(rid, []).append(c)
        for p in c.pages:
            by_page.setdefault(p, []).append(c)

    def charts_for(rec: Record | None = None, page: str | None = None) -> list[Chart]:
        if rec is not None:
            return by_record.get(rec.id, [])
        return by_page.get(page or "", [])
    return charts_for


def chart_files(charts: list[Chart], renderer, config: SiteConfig) -> dict[str, bytes]:
    return {}
