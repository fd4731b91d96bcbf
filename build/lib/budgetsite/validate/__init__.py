"""Stage 2 — validate: every record against its JSON Schema, then against the other records.

All problems are collected before anything is reported, so an editor sees every mistake of a
change in one run. Each problem names the file, line and column of the offending value.

    schema    one record against its kind's schema (jsonschema, for the messages)
    fastpath  the same schemas compiled to predicates, so valid records skip jsonschema
    links     ids, file names, references and parent cycles across records
"""

from __future__ import annotations

from ..kinds import Registry
from ..load.records import RawRecord
from ..problems import Problem
from .links import record_refs, refs, validate_links
from .schema import validate_schema

__all__ = ["record_refs", "refs", "validate_links", "validate_records", "validate_schema"]


def validate_records(records: list[RawRecord], registry: Registry) -> list[Problem]:
    out: list[Problem] = []
    for rec in records:
        if not rec.schema_ok:  # known good from the input cache (same content, same schema)
            out.extend(validate_schema(rec, registry))
    out.extend(validate_links(records, registry))
    return out
