"""OCR corrections: applied to text when it is shown.

Records keep the report's printed text; corrections live in `data/corrections/<doc>.yaml` and are
applied only when text is shown, so the printed form is never lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .records import Record
from .site import Site


@dataclass(frozen=True)
class Correction:
    doc: str
    printed: str
    corrected: str
    lines: str
    why: str = ""
    record: str = ""  # the corrections record listing it




class Corrector:
    def __init__(self, site: Site):
        self.by_doc: dict[str, list[Correction]] = {}
        for rec in site.kind("corrections"):
            doc = rec.source.doc
            for item in rec.data.get("items") or []:
                self.by_doc.setdefault(doc, []).append(Correction(
                    doc, item["printed"], item["corrected"], str(item["lines"]), item.get("why", ""), rec.id))
        for items in self.by_doc.values():
            items.sort(key=lambda c: (-len(c.printed), c.printed))  # longest first: no partial overlaps

    def all(self) -> list[Correction]:
        return [c for doc in sorted(self.by_doc) for c in self.by_doc[doc]]

    def apply(self, text: str, doc: str) -> str:
        for c in self.by_doc.get(doc, ()):
            if c.printed in text:
                text = text.replace(c.printed, c.corrected)
        return text

    def found_in(self, rec: Record) -> list[Correction]:
        """Corrections whose printed form occurs in any text of the record."""
        texts = list(_strings(rec.data))
        return [c for c in self.by_doc.get(rec.source.doc, ()) if any(c.printed in t for t in texts)]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
