"""The fast path of schema validation: the schemas compiled to plain Python predicates.

jsonschema walks a schema for every record (about 0.4 ms each): most of a cold build at 50,000
records. The subset of JSON Schema our schemas use is compiled once into closures that only say
valid or not; a record they reject (or a schema using anything else) goes through jsonschema,
whose errors make the messages. A predicate may reject more than jsonschema, never less
(tests/test_validation.py holds both to every record and to mutated ones).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..kinds import DEFS, Registry

Predicate = Callable[[object], bool]
# Annotations, and our own `x-…` keys (budgetsite.kinds), say nothing about validity.
_IGNORED = frozenset(("description", "title", "examples", "$schema", "$id", "$defs", "$comment", "default"))


class _Unsupported(Exception):
    pass


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


_TYPES: dict[str, Predicate] = {
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
        self.done: dict[tuple[str, str], Predicate] = {}

    def ref(self, base: str, ref: str) -> Predicate:
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
            slot: list[Predicate] = []
            self.done[key] = lambda v: slot[0](v)  # a reference cycle resolves through the slot
            try:
                slot.append(self.compile(node, doc))
            except _Unsupported:
                del self.done[key]  # no half-made predicate for the next schema that refers to it
                raise
        return self.done[key]

    def compile(self, schema: object, base: str) -> Predicate:
        if schema is True:
            return lambda v: True
        if not isinstance(schema, dict):
            raise _Unsupported(schema)
        checks: list[Predicate] = []
        for key, arg in schema.items():
            if key in _IGNORED or key.startswith("x-"):
                continue
            check = self.keyword(key, arg, schema, base)
            if check is not None:
                checks.append(check)
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    def keyword(self, key: str, arg: Any, schema: dict, base: str) -> Predicate | None:
        if key == "$ref":
            return self.ref(base, str(arg))
        if key == "type":
            names = [arg] if isinstance(arg, str) else list(arg)
            tests = [_TYPES[n] for n in names]
            return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))
        if key == "enum":
            if not all(isinstance(e, str) for e in arg):
                raise _Unsupported(key)
            allowed = frozenset(arg)
            return lambda v: isinstance(v, str) and v in allowed
        if key == "pattern":
            rx = re.compile(str(arg))
            return lambda v: not isinstance(v, str) or rx.search(v) is not None
        if key == "maxLength":
            n = int(arg)
            return lambda v: not isinstance(v, str) or len(v) <= n
        if key == "minLength":
            least = int(arg)
            return lambda v: not isinstance(v, str) or len(v) >= least
        if key == "minimum":
            lo = arg
            return lambda v: not _is_number(v) or v >= lo
        if key == "minItems":
            n = int(arg)
            return lambda v: not isinstance(v, list) or len(v) >= n
        if key == "uniqueItems":
            if not arg:
                return None
            # strings alone can be compared by set; anything else goes the slow way
            return lambda v: not isinstance(v, list) or (all(isinstance(x, str) for x in v) and len(set(v)) == len(v))
        if key == "required":
            required = tuple(arg)
            return lambda v: not isinstance(v, dict) or all(n in v for n in required)
        if key == "properties":
            props = {name: self.compile(sub, base) for name, sub in arg.items()}

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
            options = [self.compile(sub, base) for sub in arg]
            return lambda v: sum(1 for o in options if o(v)) == 1
        raise _Unsupported(key)



_COMPILED: dict[str, dict[str, Predicate]] = {}


def fast_checks(registry: Registry) -> dict[str, Predicate]:
    """Kind → its predicate; a kind whose schema uses more than the compiler knows is left out."""
    found = _COMPILED.get(registry.digest)
    if found is not None:
        return found
    compiler = _Compiler(registry.schemas)
    out: dict[str, Predicate] = {}
    for name, schema in registry.schemas.items():
        if name == DEFS:
            continue
        try:
            out[name] = compiler.compile(schema, f"{name}.schema.json")
        except (_Unsupported, KeyError, TypeError, ValueError, re.error):
            continue  # this kind always takes the jsonschema path
    _COMPILED[registry.digest] = out
    return out
