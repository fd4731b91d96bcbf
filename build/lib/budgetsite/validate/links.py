"""Checks across records: unique ids that match their file names, references that name a record
of the right kind (with the id of a record of that name suggested), no cycles of parents."""

from __future__ import annotations

import difflib

from ..kinds import Registry
from ..load.records import RawRecord
from ..problems import Problem, problem

Ref = tuple[tuple, str, str]  # (path of the value, field name, the id it names)


def refs(value: object, fields: dict[str, str], path: tuple = ()) -> list[Ref]:
    """Every (path, field name, referenced id) inside a record, for `fields` (a kind's
    `ref_fields`: names of its link fields at any depth)."""
    out: list[Ref] = []
    _collect_refs(value, fields, path, out)
    return out


def _collect_refs(value: object, fields: dict[str, str], path: tuple, out: list[Ref]) -> None:
    # A plain recursive walk: this runs over every value of every record, so it avoids generators.
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str):
                if k in fields:
                    out.append(((*path, k), k, v))
            elif isinstance(v, list) and k in fields:
                for i, item in enumerate(v):
                    if isinstance(item, str):
                        out.append(((*path, k, i), k, item))
            elif isinstance(v, (dict, list)):
                _collect_refs(v, fields, (*path, k), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                _collect_refs(item, fields, (*path, i), out)


def record_refs(rec: RawRecord, registry: Registry) -> list[tuple[tuple, str, str]]:
    """(path, kind the id must name, id) of every reference in a record."""
    kind = registry.kinds.get(rec.kind)
    if kind is None:
        return []
    fields = kind.ref_fields
    return [(path, fields[name], target) for path, name, target in refs(rec.data, fields)]


def validate_links(records: list[RawRecord], registry: Registry) -> list[Problem]:
    """Cross-record checks: unique ids, file names, references that resolve to the right kind."""
    out: list[Problem] = []
    kind_of: dict[str, str] = {}
    first: dict[str, RawRecord] = {}
    for rec in records:
        rid = rec.data.get("id")
        if not isinstance(rid, str):
            continue
        if rid in first:
            # Both files are named: which one is the mistake is for the editor to say.
            for a, b in ((rec, first[rid]), (first[rid], rec)):
                line, col = a.where(("id",))
                out.append(problem(a.file, line, col, "duplicate_id", field="id", id=rid, other=b.file))
            continue
        first[rid] = rec
        kind_of[rid] = rec.kind
        if rec.file.stem != rid:
            line, col = rec.where(("id",))
            out.append(problem(rec.file, line, col, "file_name", field="id", id=rid, expected=f"{rid}.yaml"))
    for rec in records:
        for i, old in enumerate(rec.data.get("old_ids") or []):
            if isinstance(old, str) and old in kind_of:
                line, col = rec.where(("old_ids", i))
                out.append(problem(rec.file, line, col, "old_id_in_use", field=f"old_ids.{i}", id=old,
                                   other=first[old].file))
        for path, want, target in record_refs(rec, registry):
            if target in kind_of and want in ("*", kind_of[target]):
                continue  # the usual case: no message, so no need to know where it stands
            line, col = rec.where(path)
            dotted = ".".join(map(str, path))
            if target not in kind_of:
                candidates = [i for i, k in kind_of.items() if want in ("*", k)]
                # Editors often write the Korean name where the id belongs: suggest the id of that name.
                by_name = [i for i in candidates if first[i].data.get("name") == target]
                similar = by_name or difflib.get_close_matches(target, candidates, n=3, cutoff=0.6)
                out.append(problem(rec.file, line, col, "unknown_ref", field=dotted, id=target,
                                   kind=want, similar=", ".join(similar)))
            elif want != "*" and kind_of[target] != want:
                out.append(problem(rec.file, line, col, "wrong_ref_kind", field=dotted, id=target,
                                   kind=want, found=kind_of[target]))
    out.extend(_parent_cycles(records))
    return out


def _parent_cycles(records: list[RawRecord]) -> list[Problem]:
    parent = {r.data["id"]: r.data.get("parent") for r in records if isinstance(r.data.get("id"), str)}
    by_id = {r.data["id"]: r for r in records if isinstance(r.data.get("id"), str)}
    out = []
    for rid in sorted(parent):
        seen = [rid]
        cur = parent[rid]
        while isinstance(cur, str) and cur in parent and cur not in seen:
            seen.append(cur)
            cur = parent[cur]
        if cur == rid:
            rec = by_id[rid]
            line, col = rec.where(("parent",))
            out.append(problem(rec.file, line, col, "parent_cycle", field="parent", chain=" → ".join([*seen, rid])))
    return out

