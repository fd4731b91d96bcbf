"""Markdown pages from `content/`: front matter between `---` lines, then CommonMark."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..problems import Problem, problem


@dataclass(frozen=True)
class ContentPage:
    slug: str  # URL folder: content/about.md → about/
    title: str
    body: str  # Markdown
    file: Path
    order: int = 100
    summary: str = ""

    @property
    def url(self) -> str:
        return f"{self.slug}/"


def load_content(root: Path, content_dir: Path) -> tuple[list[ContentPage], list[Problem]]:
    pages: list[ContentPage] = []
    problems: list[Problem] = []
    if not content_dir.is_dir():
        return pages, problems
    for path in sorted(content_dir.glob("*.md")):
        rel = path.relative_to(root)
        text = path.read_text(encoding="utf-8")
        meta: dict = {}
        if text.startswith("---\n"):
            head, sep, rest = text[4:].partition("\n---\n")
            if not sep:
                problems.append(problem(rel, 1, 1, "front_matter"))
                continue
            try:
                meta = yaml.safe_load(head) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                problems.append(problem(rel, (mark.line + 2) if mark else 1, (mark.column + 1) if mark else 1,
                                        "yaml_syntax", detail=getattr(exc, "problem", str(exc)), context=""))
                continue
            text = rest
        if "title" not in meta:
            problems.append(problem(rel, 1, 1, "required", field="title", name="title",
                                    description="페이지 제목", example="title: 소개"))
            continue
        pages.append(ContentPage(path.stem, str(meta["title"]), text, rel, int(meta.get("order", 100)),
                                 str(meta.get("summary", ""))))
    pages.sort(key=lambda p: (p.order, p.slug))
    return pages, problems
