"""netlify.toml's header rules, matched the way Netlify matches them, so the tests can check the
headers every file of a build gets and serve pages with them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NETLIFY_TOML = ROOT / "netlify.toml"


def for_regexp(for_path: str) -> re.Pattern[str]:
    """Netlify's `for` pattern as a regular expression (as its headers parser builds it): a
    `:placeholder` matches one path segment, a standalone `*` anything (or nothing), and a trailing
    slash is optional; matching ignores case."""
    parts = []
    for part in (p.rstrip() for p in for_path.split("/")):
        if not part:
            continue
        if part.startswith(":"):
            parts.append("([^/]+)")
        elif part == "*":
            parts.append("?(.*)")
        elif "*" in part:
            parts.append("(.*)".join(re.escape(x) for x in part.split("*")))
        else:
            parts.append(re.escape(part))
    return re.compile(f"^/{'/'.join(parts)}/?$", re.I)


@dataclass(frozen=True)
class Rule:
    for_path: str
    values: dict[str, str]
    regexp: re.Pattern[str]


def load(path: Path = NETLIFY_TOML) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def rules(config: dict | None = None) -> list[Rule]:
    config = load() if config is None else config
    out = []
    for h in config.get("headers", []):
        values = {k: " ".join(str(v).split()) for k, v in h.get("values", {}).items()}
        out.append(Rule(h["for"], values, for_regexp(h["for"])))
    return out


def matching(url_path: str, all_rules: list[Rule]) -> list[Rule]:
    return [r for r in all_rules if r.regexp.match(url_path)]


def headers_for(url_path: str, all_rules: list[Rule]) -> dict[str, str]:
    """The headers Netlify sends for a path: every matching rule's, values of a header set by
    more than one rule joined with ", " (which is why the tests require that none is)."""
    out: dict[str, str] = {}
    names: dict[str, str] = {}
    for rule in matching(url_path, all_rules):
        for k, v in rule.values.items():
            key = k.lower()
            if key in out:
                out[key] = f"{out[key]}, {v}"
            else:
                out[key], names[key] = v, k
    return {names[k]: v for k, v in out.items()}


def conflicts(url_path: str, all_rules: list[Rule]) -> dict[str, list[str]]:
    """Header names set by more than one rule matching the path → the rules' `for`s."""
    seen: dict[str, list[str]] = {}
    for rule in matching(url_path, all_rules):
        for k in rule.values:
            seen.setdefault(k.lower(), []).append(rule.for_path)
    return {k: v for k, v in seen.items() if len(v) > 1}


def csp_directives(value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens:
            out[tokens[0].lower()] = tokens[1:]
    return out
