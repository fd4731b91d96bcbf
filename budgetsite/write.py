"""Stage 6 — write: the whole site into a fresh folder, then swapped in at once.

The previous site stays untouched until the new one is complete; a failed or interrupted build
leaves only a temporary folder behind (removed on the next build), never a half-written site.
Files are written as they are made (by the render workers too), so a large site never has to be
held in memory whole.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from pathlib import Path


def safe_rel(rel: str) -> str:
    """`rel` when it stays inside the site folder; ids are validated, this is the last guard."""
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm == ".." or norm.startswith("../") or "\\" in rel or "\0" in rel:
        raise ValueError(f"output path escapes the site folder: {rel}")
    return norm


class FileWriter:
    """Writes files under one folder, creating each parent folder once. Safe to use from several
    processes on the same folder (folders are created with exist_ok)."""

    def __init__(self, folder: Path):
        self.folder = str(folder)
        self.made: set[str] = set()

    def write(self, rel: str, data: bytes) -> None:
        rel = safe_rel(rel)
        target = os.path.join(self.folder, rel)
        parent = os.path.dirname(target)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        with open(target, "wb") as f:
            f.write(data)


class SiteWriter(FileWriter):
    """A build's output: written into `.<out>.tmp` next to `out`, swapped in by commit()."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.out.with_name(f".{self.out.name}.tmp")
        self.old = self.out.with_name(f".{self.out.name}.old")
        for stale in (self.tmp, self.old):
            if stale.exists():
                shutil.rmtree(stale)
        self.tmp.mkdir()
        super().__init__(self.tmp)

    def commit(self) -> None:
        if self.out.exists():
            os.replace(self.out, self.old)
        os.replace(self.tmp, self.out)
        if self.old.exists():
            shutil.rmtree(self.old)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_site(files: dict[str, bytes], out: Path) -> None:
    writer = SiteWriter(out)
    try:
        for rel in sorted(files):
            writer.write(rel, files[rel])
    except BaseException:
        writer.abort()
        raise
    writer.commit()
