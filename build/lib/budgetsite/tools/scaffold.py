"""`build.py new KIND ID`: a correctly shaped record with every field explained in comments."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..kinds import DEFS, Registry


def _first_id(data_dir: Path, kind: str) -> str | None:
    files = sorted((data_dir / kind).glob("*.yaml")) if (data_dir / kind).is_dir() else []
    return files[0].stem if files else None


def _placeholder(name: str, sub: dict, target: str | None, data_dir: Path) -> object:
    ref = sub.get("$ref", "").rsplit("/", 1)[-1]
    if target and target != "*" and ref == "ref":  # a link: the id of a record it may name
        return _first_id(data_dir, target) or f"{target}-id"
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


def scaffold(kind: str, rid: str, registry: Registry, data_dir: Path) -> str:
    schema = registry.schemas[kind]
    defs = registry.schemas.get(DEFS, {}).get("$defs", {})
    required = set(schema.get("required", []))
    lines = [f"# {schema['title']}: {schema.get('description', '')}",
             f"# 스키마: {kind}.schema.json — 필수 항목은 채워져 있고, 선택 항목은 # 을 지우고 쓰세요.", ""]
    for name, sub in schema["properties"].items():
        ref = sub.get("$ref", "").rsplit("/", 1)[-1]
        desc = sub.get("description") or defs.get(ref, {}).get("description", "")
        link = registry[kind].link(name)
        value = rid if name == "id" else _placeholder(name, sub, link.target if link else None, data_dir)
        dumped = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=100).rstrip()
        lines.append(f"# {name}: {desc}")
        if name in required:
            lines.append(dumped)
        else:
            lines.extend("# " + ln for ln in dumped.splitlines())
        lines.append("")
    return "\n".join(lines)
