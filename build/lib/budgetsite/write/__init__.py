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
import subprocess
import sys
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
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        for stale in self.out.parent.glob(f".{self.out.name}.old*"):  # left by an interrupted build
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp.mkdir()
        super().__init__(self.tmp)

    def commit(self) -> None:
        old = None
        if self.out.exists():
            old = self.out.with_name(f".{self.out.name}.old-{os.getpid()}")
            os.replace(self.out, old)
        os.replace(self.tmp, self.out)
        if old is not None:
            _remove_in_background(old)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _remove_in_background(folder: Path) -> None:
    """Delete the previous site after the new one is in place, without making the build wait:
    removing tens of thousands of files takes seconds, and nothing needs them gone at once. A
    process of its own, in a session of its own, so it outlives a build that exits at once."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def write_site(files: dict[str, bytes], out: Path) -> None:
    writer = SiteWriter(out)
    try:
        for rel in sorted(files):
            writer.write(rel, files[rel])
    except BaseException:
        writer.abort()
        raise
    writer.commit()
