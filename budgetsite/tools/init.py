"""`budgetsite init DIR`: a new portal that builds and validates at once.

It writes the portal's configuration, a small example dataset (an org tree, a program, budget
lines with execution, an audit item with its follow-up status, and the report they cite with its
text, so line citations work), content pages, Netlify and GitHub Actions set-up, an editors' guide,
`.gitignore` and a README with the portal's own two commands. The files come from the package
(`budgetsite/starter/`): `common/` for every language, `<lang>/` for the words. Names that start
with a dot are stored without it (package data skips dot-files) and get it back here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..config import PACKAGE_DIR, PACKAGE_SCHEMAS
from ..kinds import EDITOR_SCHEMAS, load_registry

STARTER = PACKAGE_DIR / "starter"
LANGUAGES = ("ko", "en")
DOT_NAMES = {"gitignore": ".gitignore", "github": ".github", "vscode": ".vscode"}
TEXT_SUFFIXES = {".yaml", ".yml", ".md", ".txt", ".toml", ".json", ""}


@dataclass(frozen=True)
class Options:
    language: str = "ko"
    title: str = ""
    jurisdiction: str = ""
    year: int = 0  # of the example report; 0: this year
    engine: str = ""  # the requirement line for the generator; "": this version


DEFAULTS = {"ko": ("예산 공개 포털", "예시시"), "en": ("Budget transparency portal", "Example City")}


class InitError(Exception):
    pass


def _engine() -> str:
    try:
        return f"budgetsite=={version('budgetsite')}"
    except PackageNotFoundError:
        return "budgetsite"


def _values(opts: Options) -> dict[str, str]:
    title, place = DEFAULTS[opts.language]
    year = opts.year or dt.date.today().year
    return {"title": opts.title or title, "jurisdiction": opts.jurisdiction or place, "year": str(year),
            "yy": f"{year % 100:02d}", "prev_year": str(year - 1), "engine": opts.engine or _engine()}


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _yaml_text(value: str) -> str:
    """A value inside single quotes in YAML: a quote is written twice."""
    return value.replace("'", "''")


def planned_files(opts: Options) -> dict[str, bytes]:
    """Every file of the new portal, path → bytes."""
    if opts.language not in LANGUAGES:
        raise InitError(f"language {opts.language!r}: one of {', '.join(LANGUAGES)}")
    values = _values(opts)
    quoted = {k: _yaml_text(v) for k, v in values.items()}
    files: dict[str, bytes] = {}
    for base in (STARTER / "common", STARTER / opts.language):
        for path in sorted(base.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            parts = [DOT_NAMES.get(p, p) for p in path.relative_to(base).parts]
            rel = "/".join(parts)
            data = path.read_bytes()
            if path.suffix in TEXT_SUFFIXES:
                data = _fill(data.decode("utf-8"), quoted if path.suffix in (".yaml", ".yml") else values).encode()
            files[rel] = data
    # The editor's schema map covers every kind the generator has.
    kinds = load_registry([PACKAGE_SCHEMAS]).names  # a new portal has the generator's kinds
    settings = {"yaml.schemas": {f"./{EDITOR_SCHEMAS.as_posix()}/{k}.schema.json": f"data/{k}/*.yaml" for k in kinds},
                "yaml.validate": True, "yaml.completion": True,
                "[yaml]": {"editor.tabSize": 2, "editor.insertSpaces": True, "files.encoding": "utf8"}}
    files[".vscode/settings.json"] = (json.dumps(settings, ensure_ascii=False, indent=2) + "\n").encode()
    files["themes/README.md"] = (b"A file in themes/<theme>/ (templates/, static/, i18n/) replaces the generator's "
                                 b"file of the same path; everything else comes from the generator's default theme.\n")
    return dict(sorted(files.items()))


def init_portal(target: Path, opts: Options) -> list[str]:
    """Write a new portal into `target` (which must be missing or empty); the paths written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} already exists and is not empty: choose a new folder")
    files = planned_files(opts)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if rel.startswith("scripts/"):
            path.chmod(0o755)
    return list(files)
