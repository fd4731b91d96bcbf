"""Stage 6 — write: the whole site into a fresh folder, then swapped in at once.

The previous site stays untouched until the new one is complete; a failed or interrupted build
leaves only a temporary folder behind (removed on the next build), never a half-written site.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def write_site(files: dict[str, bytes], out: Path) -> None:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    old = out.with_name(f".{out.name}.old")
    for stale in (tmp, old):
        if stale.exists():
            shutil.rmtree(stale)
    tmp.mkdir()
    made: set[Path] = set()
    for rel in sorted(files):
        target = tmp / rel
        if not target.resolve().is_relative_to(tmp):  # ids are validated; this is the last guard
            raise ValueError(f"output path escapes the site folder: {rel}")
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(files[rel])
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        shutil.rmtree(old)
