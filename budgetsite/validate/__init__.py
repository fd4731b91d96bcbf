"""Stage 2 — validate: every record against its JSON Schema, then against the other records.

All problems are collected before anything is reported, so an editor sees every mistake of a
change in one run. Each problem names the file, line and column of the offending value.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from ..load.records import KEY, RawRecord
from ..problems import Problem, problem

# Reference fields: the kind their id must belong to ("*" = any kind, "=" = the record's own kind).
REF_FIELDS: dict[str, str] = {
    "org": "orgs", "issuer": "orgs", "predecessors": "orgs", "doc": "sources",
    "parent": "=", "programs": "programs", "successor_of": "programs",
    "duplicate_of": "audits", "facility": "facilities", "records": "*",
}


@lru_cache(maxsize=4)
def _validators(schema_dir: Path) -> dict[str, Draft202012Validator]:
    schemas = {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
               for p in sorted(schema_dir.glob("*.schema.json"))}
    registry = Registry().with_resources(
        (f"{name}.schema.json", Resource.from_contents(s)) for name, s in schemas.items())
    return {name: Draft202012Validator(s, registry=registry)
            for name, s in schemas.items() if name != "defs"}


def kinds(schema_dir: Path) -> list[str]:
    return sorted(_validators(schema_dir))


def _type_name(value: object) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object", type(None): "null"}.get(type(value), type(value).__name__)


def _example(schema: dict, name: str) -> str:
    """A correct value to show the editor: the schema's own example, else one made from its type."""
    if schema.get("examples"):
        return json.dumps(schema["examples"][0], ensure_ascii=False)
    if "enum" in schema:
        return json.dumps(schema["enum"][0], ensure_ascii=False)
    ref = schema.get("$ref", "")
    if ref.endswith("/date"):
        return "2020-09-30"
    if ref.endswith("/money"):
        return "36351"
    if ref.endswith("/lines"):
        return '"2554-2560"'
    t = schema.get("type")
    t = t[0] if isinstance(t, list) else t
    return {"integer": "2020", "number": "36351", "string": '"…"', "array": "[…]",
            "object": "{…}", "boolean": "true"}.get(t or "", "…")


def _schema_problems(rec: RawRecord, err: ValidationError) -> Iterator[Problem]:
    path = tuple(err.absolute_path)
    dotted = ".".join(str(p) for p in path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    desc = schema.get("description", "")
    if err.validator == "required":
        inst = err.instance if isinstance(err.instance, dict) else {}
        line, col = rec.where(path)
        props = schema.get("properties", {})
        for name in err.validator_value:
            if name not in inst:
                sub = props.get(name, {})
                yield problem(rec.file, line, col, "required", field=".".join([*map(str, path), name]),
                              name=name, description=sub.get("description", ""),
                              example=f"{name}: {_example(sub, name)}")
        return
    if err.validator == "additionalProperties":
        inst = err.instance if isinstance(err.instance, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        for name in sorted(set(inst) - set(allowed)):
            line, col = rec.where((*path, name, KEY))
            yield problem(rec.file, line, col, "unknown_field", field=".".join([*map(str, path), name]),
                          name=name, allowed=", ".join(allowed),
                          similar=", ".join(difflib.get_close_matches(str(name), allowed, n=3)))
        return
    line, col = rec.where(path)
    found = json.dumps(err.instance, ensure_ascii=False)[:80]
    name = str(path[-1]) if path else ""
    if err.validator == "oneOf" and "amount" in json.dumps(schema.get("oneOf", [])):
        # A money field: a plain number in the record's unit, or {amount, unit}.
        inst = err.instance
        if isinstance(inst, (int, float)) and not isinstance(inst, bool) and inst < 0:
            yield problem(rec.file, line, col, "negative", field=dotted, found=found, description=desc)
        elif isinstance(inst, dict):
            for sub in sorted(err.context, key=lambda e: len(e.absolute_path)):
                if sub.validator != "type":
                    yield from _schema_problems(rec, sub)
                    break
        else:
            yield problem(rec.file, line, col, "text_for_number", field=dotted, found=found,
                          description=desc, example=f"{name}: 36351")
    elif err.validator == "type":
        expected = err.validator_value
        if isinstance(err.instance, str) and expected in ("number", "integer"):
            yield problem(rec.file, line, col, "text_for_number", field=dotted, found=found,
                          description=desc, example=f"{name}: {_example(schema, name)}")
        else:
            exp = expected if isinstance(expected, str) else "/".join(expected)
            yield problem(rec.file, line, col, "wrong_type", field=dotted, found=found,
                          found_type=_type_name(err.instance), expected=exp, description=desc,
                          example=f"{name}: {_example(schema, name)}")
    elif err.validator == "enum":
        yield problem(rec.file, line, col, "not_allowed", field=dotted, found=found,
                      allowed=", ".join(map(str, err.validator_value)), description=desc)
    elif err.validator == "pattern":
        code = "bad_id" if dotted.endswith("id") or "ref" in str(schema.get("description", "")) or \
            schema.get("pattern", "").startswith("^[a-z0-9]") else "bad_format"
        yield problem(rec.file, line, col, code, field=dotted, found=found, description=desc,
                      example=_example(schema, ""))
    elif err.validator in ("minimum", "exclusiveMinimum"):
        yield problem(rec.file, line, col, "negative", field=dotted, found=found, description=desc)
    else:
        yield problem(rec.file, line, col, "schema", field=dotted, found=found, detail=err.message[:200],
                      description=desc)


# ---- fast path: the schemas compiled to plain Python predicates ---------------------------------
# jsonschema walks a schema for every record (about 0.4 ms each): most of a cold build at 50,000
# records. The subset of JSON Schema our schemas use is compiled once into closures that only say
# valid or not; a record they reject (or a schema using anything else) goes through jsonschema,
# whose errors make the messages. A predicate may reject more than jsonschema, never less.

Check = Callable[[object], bool]
_IGNORED = frozenset(("description", "title", "examples", "$schema", "$id", "$defs", "$comment", "default"))


class _Unsupported(Exception):
    pass


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


class _Compiler:
    def __init__(self, schemas: dict[str, dict]):
        self.docs = {f"{name}.schema.json": s for name, s in schemas.items()}
        self.done: dict[tuple[str, str], Check] = {}

    def ref(self, base: str, ref: str) -> Check:
        doc, _, pointer = ref.partition("#")
        doc = doc or base
        key = (doc, pointer)
        if key not in self.done:
            if doc not in self.docs:
                raise _Unsupported(ref)
            node: object = self.docs[doc]
            for part in filter(None, pointer.split("/")):
                if not isinstance(node, dict) or part not in node:
                    raise _Unsupported(ref)
                node = node[part]
            slot: list[Check] = []
            self.done[key] = lambda v: slot[0](v)  # a reference cycle resolves through the slot
            slot.append(self.compile(node, doc))
        return self.done[key]

    def compile(self, schema: object, base: str) -> Check:
        if schema is True:
            return lambda v: True
        if not isinstance(schema, dict):
            raise _Unsupported(schema)
        checks: list[Check] = []
        for key, arg in schema.items():
            if key in _IGNORED:
                continue
            checks.append(self.keyword(key, arg, schema, base))
        checks = [c for c in checks if c is not None]
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    def keyword(self, key: str, arg: object, schema: dict, base: str) -> Check | None:
        if key == "$ref":
            return self.ref(base, str(arg))
        if key == "type":
            names = [arg] if isinstance(arg, str) else list(arg)  # type: ignore[arg-type]
            tests = [_TYPES[n] for n in names]
            return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))
        if key == "enum":
            if not all(isinstance(e, str) for e in arg):  # type: ignore[union-attr]
                raise _Unsupported(key)
            allowed = frozenset(arg)  # type: ignore[arg-type]
            return lambda v: isinstance(v, str) and v in allowed
        if key == "pattern":
            rx = re.compile(str(arg))
            return lambda v: not isinstance(v, str) or rx.search(v) is not None
        if key == "maxLength":
            n = int(arg)  # type: ignore[call-overload]
            return lambda v: not isinstance(v, str) or len(v) <= n
        if key == "minimum":
            lo = arg
            return lambda v: not _is_number(v) or v >= lo  # type: ignore[operator]
        if key == "minItems":
            n = int(arg)  # type: ignore[call-overload]
            return lambda v: not isinstance(v, list) or len(v) >= n
        if key == "uniqueItems":
            if not arg:
                return None
            # strings alone can be compared by set; anything else goes the slow way
            return lambda v: not isinstance(v, list) or (all(isinstance(x, str) for x in v) and len(set(v)) == len(v))
        if key == "required":
            names = tuple(arg)  # type: ignore[arg-type]
            return lambda v: not isinstance(v, dict) or all(n in v for n in names)
        if key == "properties":
            props = {name: self.compile(sub, base) for name, sub in arg.items()}  # type: ignore[union-attr]

            def properties(v: object) -> bool:
                if not isinstance(v, dict):
                    return True
                for k, x in v.items():
                    test = props.get(k)
                    if test is not None and not test(x):
                        return False
                return True
            return properties
        if key == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported(key)
            known = frozenset(schema.get("properties", {}))
            if arg is False:
                return lambda v: not isinstance(v, dict) or known.issuperset(v)
            extra = self.compile(arg, base)
            return lambda v: not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known)
        if key == "items":
            if "prefixItems" in schema:
                raise _Unsupported(key)
            item = self.compile(arg, base)
            return lambda v: not isinstance(v, list) or all(item(x) for x in v)
        if key == "oneOf":
            options = [self.compile(sub, base) for sub in arg]  # type: ignore[union-attr]
            return lambda v: sum(1 for o in options if o(v)) == 1
        raise _Unsupported(key)


@lru_cache(maxsize=4)
def _fast_checks(schema_dir: Path) -> dict[str, Check]:
    schemas = {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
               for p in sorted(schema_dir.glob("*.schema.json"))}
    compiler = _Compiler(schemas)
    out: dict[str, Check] = {}
    for name, schema in schemas.items():
        if name == "defs":
            continue
        try:
            out[name] = compiler.compile(schema, f"{name}.schema.json")
        except (_Unsupported, KeyError, TypeError, ValueError, re.error):
            continue  # this kind always takes the jsonschema path
    return out


def validate_schema(rec: RawRecord, schema_dir: Path) -> list[Problem]:
    validators = _validators(schema_dir)
    if rec.kind not in validators:
        return [problem(rec.file, 1, 1, "unknown_kind", kind=rec.kind, allowed=", ".join(sorted(validators)))]
    fast = _fast_checks(schema_dir).get(rec.kind)
    if fast is not None and fast(rec.data):
        rec.schema_ok = True
        return []
    out: list[Problem] = []
    for err in validators[rec.kind].iter_errors(rec.data):
        out.extend(_schema_problems(rec, err))
    rec.schema_ok = not out
    return out


def _refs(value: object, path: tuple) -> list[tuple[tuple, str, str]]:
    """Every (path, field name, referenced id) inside a record."""
    out: list[tuple[tuple, str, str]] = []
    _collect_refs(value, path, out)
    return out


def _collect_refs(value: object, path: tuple, out: list[tuple[tuple, str, str]]) -> None:
    # A plain recursive walk: this runs over every value of every record, so it avoids generators.
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str):
                if k in REF_FIELDS:
                    out.append(((*path, k), k, v))
            elif isinstance(v, list) and k in REF_FIELDS:
                for i, item in enumerate(v):
                    if isinstance(item, str):
                        out.append(((*path, k, i), k, item))
            elif isinstance(v, (dict, list)):
                _collect_refs(v, (*path, k), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                _collect_refs(item, (*path, i), out)


def validate_links(records: list[RawRecord]) -> list[Problem]:
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
        for path, name, target in _refs(rec.data, ()):
            want = REF_FIELDS[name]
            want = rec.kind if want == "=" else want
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


def validate_records(records: list[RawRecord], schema_dir: Path) -> list[Problem]:
    out: list[Problem] = []
    for rec in records:
        if not rec.schema_ok:  # known good from the input cache (same content, same schema)
            out.extend(validate_schema(rec, schema_dir))
    out.extend(validate_links(records))
    return out


def summary_counts(problems: list[Problem]) -> Counter:
    return Counter(p.severity for p in problems)
