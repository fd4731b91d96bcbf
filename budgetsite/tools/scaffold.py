"""`build.py new KIND ID`: a correctly shaped record with every field explained in comments."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ALIASES = {"program": "programs", "budget-line": "budget", "budget": "budget", "audit-item": "audits",
           "audit": "audits", "org": "orgs", "source": "sources", "indicator": "indicators",
           "facility": "facilities", "contract": "contracts", "table": "tables", "note": "notes",
           "staffing": "staffing", "vision": "visions", "correction": "corrections",
           "audit-summary": "audit-summaries"}


def resolve_kind(name: str, schema_dir: Path) -> str | None:
    kind = ALIASES.get(name, name)
    return kind if (schema_dir / f"{kind}.schema.json").exists() else None


def _first_id(data_dir: Path, kind: str) -> str | None:
    files = sorted((data_dir / kind).glob("*.yaml")) if (data_dir / kind).is_dir() else []
    return files[0].stem if files else None


def _placeholder(name: str, sub: dict, defs: dict, data_dir: Path) -> object:
    ref = sub.get("$ref", "").rsplit("/", 1)[-1]
    if name in ("org", "issuer"):
        return _first_id(data_dir, "orgs") or "org-id"
    if ref == "source":
        return {"doc": _first_id(data_dir, "sources") or "s000", "lines": "1-10"}
    if ref == "date":
        return "2020-09-30"
    if ref == "unit":
        return "백만원"
    if ref == "money":
        return 0
    if "enum" in sub:
        return sub["enum"][0]
    if sub.get("examples"):
        return sub["examples"][0]
    t = sub.get("type")
    t = t[0] if isinstance(t, list) else t
    return {"integer": 2020, "number": 0, "array": [], "object": {}, "boolean": False}.get(t or "", "")


def scaffold(kind: str, rid: str, schema_dir: Path, data_dir: Path) -> str:
    schema = json.loads((schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8"))
    defs = json.loads((schema_dir / "defs.schema.json").read_text(encoding="utf-8"))["$defs"]
    required = set(schema.get("required", []))
    lines = [f"# {schema['title']}: {schema.get('description', '')}",
             f"# 스키마: schema/{kind}.schema.json — 필수 항목은 채워져 있고, 선택 항목은 # 을 지우고 쓰세요.", ""]
    for name, sub in schema["properties"].items():
        ref = sub.get("$ref", "").rsplit("/", 1)[-1]
        desc = sub.get("description") or defs.get(ref, {}).get("description", "")
        value = rid if name == "id" else _placeholder(name, sub, defs, data_dir)
        dumped = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=100).rstrip()
        lines.append(f"# {name}: {desc}")
        if name in required:
            lines.append(dumped)
        else:
            lines.extend("# " + ln for ln in dumped.splitlines())
        lines.append("")
    return "\n".join(lines)
