"""The editor's second step: reviewed drafts move into data/ (and a new report's text into
reports/) only when the project validates with them in it.

    result = accept_drafts([Path("drafts")], config)      # or single files: drafts/budget/s005-….yaml

The check runs on a copy of the project with the drafts in place, so nothing in data/ changes until
every error is fixed. A draft never replaces an existing record, and every path is checked: a draft
must sit in a folder named after a record kind, its file name must be its id, and nothing is
written outside data/ and reports/.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...config import SiteConfig, load_config
from ...kinds import registry_for
from ...problems import Problem

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class AcceptRefused(ValueError):
    """Drafts that cannot be accepted as given (the message says which and why)."""


@dataclass
class Move:
    draft: Path
    target: Path


@dataclass
class AcceptResult:
    moves: list[Move]
    problems: list[Problem] = field(default_factory=list)  # errors and warnings, paths as in data/
    moved: bool = False
    draft_ids: list[str] = field(default_factory=list)  # accepted ids that still carry "-draft-"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_symlink():
            raise AcceptRefused(f"{path}: a symbolic link; give the draft files themselves")
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.yaml") if p.is_file())
            files += sorted(p for p in path.glob("reports/*.txt") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise AcceptRefused(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(p.resolve() for p in files))
    if not unique:
        raise AcceptRefused("no drafts (*.yaml) found in " + ", ".join(str(p) for p in paths))
    return unique


def plan_moves(paths: list[Path], config: SiteConfig) -> list[Move]:
    registry = registry_for(config)
    kinds = set(registry.names)
    data_dir = config.data_dir.resolve()
    reports_dir = config.reports_dir.resolve()
    moves: list[Move] = []
    for draft in _collect(paths):
        if draft.is_relative_to(data_dir) or draft.is_relative_to(reports_dir):
            raise AcceptRefused(f"{draft}: already in data/ or reports/; give the drafts folder")
        if draft.suffix == ".txt":
            if draft.parent.name != "reports" or not _ID.fullmatch(draft.stem):
                raise AcceptRefused(f"{draft}: a report text must be <drafts>/reports/<doc id>.txt")
            target = reports_dir / draft.name
        else:
            kind = draft.parent.name
            if kind not in kinds:
                raise AcceptRefused(f"{draft}: not in a folder named after a record kind "
                                    f"({', '.join(sorted(kinds))})")
            if not _ID.fullmatch(draft.stem):
                raise AcceptRefused(f"{draft}: the file name must be the record's id (lowercase letters, digits, "
                                    "hyphens)")
            record = yaml.safe_load(draft.read_text(encoding="utf-8")) or {}
            if not isinstance(record, dict) or record.get("id") != draft.stem:
                raise AcceptRefused(f"{draft}: its id: must be {draft.stem!r}, the file name (rename both together)")
            target = data_dir / kind / draft.name
        if not target.resolve().is_relative_to(target.parent.resolve()) or target.parent.is_symlink():
            raise AcceptRefused(f"{draft}: would be written outside {target.parent}")
        if target.exists():
            raise AcceptRefused(f"{draft}: {target.relative_to(config.root.resolve())} already exists; a draft never "
                                "replaces a record (edit the record, or give the draft another id)")
        moves.append(Move(draft, target))
    return moves


def accept_drafts(paths: list[Path], config: SiteConfig, *, dry_run: bool = False) -> AcceptResult:
    from ...pipeline import check
    moves = plan_moves(paths, config)
    root = config.root.resolve()
    with tempfile.TemporaryDirectory(prefix="budgetsite-accept-") as tmp:
        trial = Path(tmp) / "project"
        trial.mkdir()
        for name in ("site_config.yaml",):
            if (root / name).is_file():
                shutil.copy2(root / name, trial / name)
        for folder in ("data", "schema", "reports", "content"):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, trial / folder, symlinks=False)
        for move in moves:
            where = trial / move.target.relative_to(root)
            where.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(move.draft, where)
        checked = check(load_config(trial), use_cache=False)
    problems = checked.problems.errors + checked.problems.warnings
    result = AcceptResult(moves, problems)
    result.draft_ids = sorted(m.target.stem for m in moves if "-draft-" in m.target.stem)
    if result.errors or dry_run:
        return result
    for move in moves:
        move.target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(move.draft), str(move.target))
    result.moved = True
    return result
