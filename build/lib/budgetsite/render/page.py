"""A page to render: where it goes, with which template and what the template is given."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    path: str  # output path relative to the site root, e.g. "programs/x/index.html"
    template: str
    context: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Site-relative URL of the page ("" for the home page)."""
        p = self.path
        if p.endswith("index.html"):
            return p[: -len("index.html")]
        return p
