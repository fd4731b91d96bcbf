"""Each record against its kind's JSON Schema, with messages an editor can act on: the field,
what was found, what is allowed and an example, at the line and column of the value."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry as SchemaRegistry
from referencing import Resource

from ..kinds import DEFS, Registry
from ..load.records import KEY, RawRecord
from ..problems import Problem, problem
from .fastpath import fast_checks

_VALIDATORS: dict[str, dict[str, Draft202012Validator]] = {}


def validators(registry: Registry) -> dict[str, Draft202012Validator]:
    found = _VALIDATORS.get(registry.digest)
    if found is None:
        resources = SchemaRegistry().with_resources(
            (f"{name}.schema.json", Resource.from_contents(s)) for name, s in registry.schemas.items())
        found = _VALIDATORS[registry.digest] = {
            name: Draft202012Validator(s, registry=resources) for name, s in registry.schemas.items() if name != DEFS}
    return found


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
    # jsonschema types these as "Any | Unset"; on an error they are always set.
    rule: Any = err.validator_value
    instance: Any = err.instance
    path = tuple(err.absolute_path)
    dotted = ".".join(str(p) for p in path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    desc = schema.get("description", "")
    if err.validator == "required":
        inst = instance if isinstance(instance, dict) else {}
        line, col = rec.where(path)
        props = schema.get("properties", {})
        for name in rule:
            if name not in inst:
                sub = props.get(name, {})
                yield problem(rec.file, line, col, "required", field=".".join([*map(str, path), name]),
                              name=name, description=sub.get("description", ""),
                              example=f"{name}: {_example(sub, name)}")
        return
    if err.validator == "additionalProperties":
        inst = instance if isinstance(instance, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        for name in sorted(set(inst) - set(allowed)):
            line, col = rec.where((*path, name, KEY))
            yield problem(rec.file, line, col, "unknown_field", field=".".join([*map(str, path), name]),
                          name=name, allowed=", ".join(allowed),
                          similar=", ".join(difflib.get_close_matches(str(name), allowed, n=3)))
        return
    line, col = rec.where(path)
    found = json.dumps(instance, ensure_ascii=False)[:80]
    name = str(path[-1]) if path else ""
    if err.validator == "oneOf" and "amount" in json.dumps(schema.get("oneOf", [])):
        # A money field: a plain number in the record's unit, or {amount, unit}.
        inst = instance
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
        expected = rule
        if isinstance(instance, str) and expected in ("number", "integer"):
            yield problem(rec.file, line, col, "text_for_number", field=dotted, found=found,
                          description=desc, example=f"{name}: {_example(schema, name)}")
        else:
            exp = expected if isinstance(expected, str) else "/".join(expected)
            yield problem(rec.file, line, col, "wrong_type", field=dotted, found=found,
                          found_type=_type_name(instance), expected=exp, description=desc,
                          example=f"{name}: {_example(schema, name)}")
    elif err.validator == "enum":
        yield problem(rec.file, line, col, "not_allowed", field=dotted, found=found,
                      allowed=", ".join(map(str, rule)), description=desc)
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



def validate_schema(rec: RawRecord, registry: Registry) -> list[Problem]:
    checks = validators(registry)
    if rec.kind not in checks:
        return [problem(rec.file, 1, 1, "unknown_kind", kind=rec.kind, allowed=", ".join(sorted(checks)))]
    fast = fast_checks(registry).get(rec.kind)
    if fast is not None and fast(rec.data):
        rec.schema_ok = True
        return []
    out: list[Problem] = []
    for err in checks[rec.kind].iter_errors(rec.data):
        out.extend(_schema_problems(rec, err))
    rec.schema_ok = not out
    return out
