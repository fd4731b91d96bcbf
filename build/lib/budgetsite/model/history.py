"""What git knows about the data: when each file last changed, and the list of data changes for
the feed. Read from commits only (never the clock), so the same history gives the same site."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Change:
    commit: str
    date: str  # committer date, YYYY-MM-DD
    timestamp: str  # committer date, strict ISO 8601
    subject: str
    files: tuple[str, ...] = field(default_factory=tuple)


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def data_changes(root: Path, folder: str = "data") -> list[Change]:
    """Commits that touched `folder`, newest first, with the files each one changed."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top.strip()).resolve() != root.resolve():
        return []  # not the project's own repository (e.g. a copy inside another checkout)
    out = _git(root, "log", "--format=%x1e%H%x1f%cs%x1f%cI%x1f%s", "--name-only", "--no-renames", "--", folder)
    if not out:
        return []
    changes = []
    for chunk in out.split("\x1e")[1:]:
        head, _, names = chunk.partition("\n")
        commit, date, stamp, subject = head.split("\x1f", 3)
        files = tuple(sorted(n for n in names.splitlines() if n.strip()))
        changes.append(Change(commit, date, stamp, subject, files))
    return changes


def last_changed(changes: list[Change]) -> dict[str, str]:
    """File path → date of the newest commit that changed it."""
    dates: dict[str, str] = {}
    for change in changes:  # newest first: the first date seen for a file is its latest
        for f in change.files:
            dates.setdefault(f, change.date)
    return dates
