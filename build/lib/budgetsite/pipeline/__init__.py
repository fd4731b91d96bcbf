"""The build, top to bottom: load → validate → model (with its reconciliation checks) → derived
files and pages → write.

    check      load, validate and model: everything known about the input (Checked)
    files      every file of the site, as tasks for the render workers (render_files)
    sitewide   search index, downloads, sitemap: files made from the whole site
    workers    the tasks shared out between forked processes
    cache      parsed records and site-wide files kept in .build-cache/
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SiteConfig
from ..write import SiteWriter
from .check import Checked, check, model, no_gc
from .files import Progress, Rendered, extra_context, plan, prepare, render_files

__all__ = ["BuildResult", "Checked", "Progress", "Rendered", "build", "check", "extra_context", "model",
           "no_gc", "plan", "prepare", "render_files"]


def _quiet(label: str, done: int, total: int) -> None:
    pass


@dataclass
class BuildResult:
    checked: Checked
    files: dict[str, bytes] = field(default_factory=dict)  # empty when written to `out` as made
    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)  # every file of the site

    @property
    def ok(self) -> bool:
        return not self.checked.problems.errors


def build(config: SiteConfig, out: Path | None, progress: Progress = _quiet, workers: int | None = None,
          strict: bool = False) -> BuildResult:
    """Check the input and, when it has no errors (with `strict`, no warnings either), write the
    site to `out` (None: keep the files in `result.files` instead). The site is written into a
    temporary folder and swapped in when complete, so a failed build leaves `out` as it was."""
    checked = check(config)
    result = BuildResult(checked, timings=dict(checked.timings))
    if not result.ok or (strict and checked.problems.warnings):
        return result
    t0 = time.perf_counter()
    writer = SiteWriter(out) if out is not None else None
    try:
        rendered = render_files(config, checked, progress, writer, workers)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    result.files, result.paths, result.pages = rendered.files, rendered.paths, rendered.pages
    result.timings.update({f"cpu {k}": v for k, v in rendered.timings.items()})
    if writer is not None:
        writer.commit()
    result.timings["render and write"] = time.perf_counter() - t0
    return result
