"""Client-side Korean full-text search: a character-bigram index sharded by term hash.

Korean compounds (청소노동자, 서울밤도깨비야시장) and words joined by `·` must be found by any
part, so the index holds every character bigram of each run of letters and digits, with spaces
removed inside a run (직장 내 괴롭힘 == 직장내 괴롭힘), plus single characters for one-letter
queries and whole ASCII words (GSEF, 2020). A query fetches only the shards of its own terms.

Files written under the site's /search/ folder (compact UTF-8 JSON, sorted keys):

    meta.json        format, build id, shard count, doc count, type id ranges, facet values
    synonyms.json    OCR variant groups (융자/용자) for the query side's matching and highlighting
    t/<s>.json       shard s: {term: posting} for every small term with term_hash(term) % shards == s
    t/<s>-<k>.json   one large posting, moved out of shard s so it does not weigh on other queries;
                     the shard holds the number k in its place
    f/<d>.json       doc d's record and the text of its passage 0; f/<d>-<k>.json passage k

A posting is "body~title" (title part omitted when empty), each a string of variable-length
integers in a URL-safe alphabet: 5 payload bits per character, most significant group first,
characters 32..63 mean "more follows". Body entries are sorted by (doc, passage) and each is
`(doc gap << 3) | (has passage << 2) | weight`, followed by the passage number when it is not 0;
the weight (0..3) buckets the term's density in that passage. Title entries are `doc gap - 1`.
Facet postings (@o:org, @y:year, @s:status) use the body format. Type needs no posting: doc ids
are ordered by type, so meta.json gives each type's id range.

Long texts are cut into overlapping passages so that a result's snippet downloads about 1 KB, and
the posting says which passage matched. The overlap is longer than any word we verify, so a word
that occurs in a doc occurs whole in one passage.

The JavaScript twin of the term rules is themes/default/static/js/search-core.js; tests check
that both produce the same terms.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

FORMAT = 1

DOC_TYPES: tuple[str, ...] = ("program", "budget", "audit", "indicator", "facility", "contract",
                              "org", "chart", "source", "note", "page")
STATUSES: tuple[str, ...] = ("추진완료", "추진 중", "검토 중", "미반영")

PASSAGE_CHARS = 400      # about 1.2 KB of Korean UTF-8: one snippet fetch per result stays small
PASSAGE_OVERLAP = 40     # longest word the query side verifies inside one passage
SHARD_TARGET_BYTES = 4096
BIG_POSTING_BYTES = 1024  # a posting this long gets its own file
MIN_SHARDS = 16
TITLE_SEPARATOR = "\n|\n"  # a hard break, so no bigram spans title and body

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True)
class SearchDoc:
    url: str          # site-relative path without base, e.g. "programs/s000-p-2-7-night-market/"
    type: str         # one of DOC_TYPES
    title: str
    text: str         # plain text body (display text; may include OCR-printed variants appended)
    org: str | None = None
    year: int | None = None
    status: str | None = None


@dataclass(frozen=True)
class VariantGroup:
    """Spellings that must find each other, e.g. an OCR misreading and the real word.

    `not_after` lists, per form, characters that must not come right before it for the match to
    count: 용자 is OCR for 융자, but 이용자 and 사용자 are other words.
    """

    forms: tuple[str, ...]
    not_after: Mapping[str, str] = field(default_factory=dict)


DEFAULT_VARIANTS: tuple[VariantGroup, ...] = (
    VariantGroup(("융자", "용자"), {"용자": "이사고운채적허수"}),
    VariantGroup(("옴부즈만", "움부즈만")),
)


# ---- text → terms (mirrored in search-core.js) ------------------------------------------

_SOFT_EXTRA = frozenset("\t\n\v\f\r\u0085\u2028\u2029")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_RUN_BREAK = "\x00"
_kind_cache: dict[str, int] = {}
_WORD, _SOFT, _BREAK = 0, 1, 2


def normalise(text: str) -> str:
    """NFKC folds full-width letters and digits (common in OCR output) to plain ones."""
    return unicodedata.normalize("NFKC", text).lower()


def _kind(ch: str) -> int:
    kind = _kind_cache.get(ch)
    if kind is None:
        cat = unicodedata.category(ch)
        if cat[0] in "LNM":
            kind = _WORD
        elif cat in ("Zs", "Cf") or ch in _SOFT_EXTRA:
            kind = _SOFT   # spacing is inconsistent in Korean: spaces never split a run
        else:
            kind = _BREAK  # punctuation, ·, symbols: a run ends here
        _kind_cache[ch] = kind
    return kind


def _squeeze(norm: str) -> str:
    """Drop soft characters and turn every break character into one marker."""
    table = {}
    for ch in set(norm):
        kind = _kind(ch)
        if kind == _SOFT:
            table[ord(ch)] = None
        elif kind == _BREAK:
            table[ord(ch)] = _RUN_BREAK
    return norm.translate(table)


def runs(norm: str) -> list[str]:
    """Maximal runs of letters, digits and marks in normalised text, spaces removed."""
    return [r for r in _squeeze(norm).split(_RUN_BREAK) if r]


def count_terms(norm: str) -> Counter[str]:
    """Term frequencies of normalised text: bigrams, single characters, '#'+ASCII word."""
    counts: Counter[str] = Counter()
    for run in runs(norm):
        counts.update(run)
        if len(run) > 1:
            counts.update(map(str.__add__, run, run[1:]))
    # '#' can never be inside a run, so word terms never collide with bigrams of the same letters
    counts.update("#" + w for w in _ASCII_WORD.findall(norm))
    return counts


def index_terms(text: str) -> list[str]:
    """The distinct terms of a display text, sorted (what the JS core's indexTerms returns)."""
    return sorted(count_terms(normalise(text)))


def term_hash(term: str) -> int:
    """FNV-1a over UTF-16 code units, then murmur3's finaliser so low bits are well mixed."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return h ^ (h >> 16)


# ---- posting encoding ----------------------------------------------------------------------


def _varint(value: int) -> str:
    chars = [ALPHABET[value & 31]]
    value >>= 5
    while value:
        chars.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    return "".join(reversed(chars))


_VARINT = [_varint(v) for v in range(1 << 12)]


def encode_int(value: int) -> str:
    return _VARINT[value] if value < len(_VARINT) else _varint(value)


def decode_ints(data: str) -> list[int]:
    out: list[int] = []
    acc = 0
    for ch in data:
        x = ALPHABET.index(ch)
        if x >= 32:
            acc = acc * 32 + x - 32
        else:
            out.append(acc * 32 + x)
            acc = 0
    return out


def weight(tf: int, length: int) -> int:
    """Density bucket: occurrences per 100 characters of the passage."""
    per_100 = tf * 100 / max(length, 50)
    return 3 if per_100 >= 2 else 2 if per_100 >= 1 else 1 if per_100 >= 0.4 else 0


class _Postings:
    """Postings built in doc order, encoded as they arrive to keep memory small at 50,000 docs."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.parts: dict[str, list[str]] = {}

    def add(self, term: str, doc: int, passage: int = 0, w: int = 0) -> None:
        parts = self.parts.get(term)
        if parts is None:
            parts = self.parts[term] = []
            gap = doc + 1
        else:
            gap = doc - self.last[term]
        self.last[term] = doc
        if passage:
            parts.append(encode_int(gap << 3 | 4 | w))
            parts.append(encode_int(passage))
        else:
            parts.append(encode_int(gap << 3 | w))

    def add_doc(self, term: str, doc: int) -> None:
        """Doc-level entry (titles): gap - 1, so consecutive docs cost one character."""
        parts = self.parts.get(term)
        if parts is None:
            parts = self.parts[term] = []
            gap = doc + 1
        else:
            gap = doc - self.last[term]
        self.last[term] = doc
        parts.append(encode_int(gap - 1))

    def encoded(self, term: str) -> str:
        parts = self.parts.get(term)
        return "".join(parts) if parts else ""


# ---- passages and variants ---------------------------------------------------------------


def split_passages(text: str) -> list[str]:
    """Cut text into overlapping passages, at a line end or space where one is near the limit."""
    limit = PASSAGE_CHARS + PASSAGE_CHARS // 4  # no tiny tail passage
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        hard = start + PASSAGE_CHARS
        window = text[start + PASSAGE_CHARS * 3 // 5:hard]
        cut = window.rfind("\n")
        if cut < 0:
            cut = max(window.rfind(" "), window.rfind("\t"))
        end = hard if cut < 0 else hard - len(window) + cut + 1
        out.append(text[start:end])
        start = end - PASSAGE_OVERLAP
    out.append(text[start:])
    return out


def _variant_extras(squeezed: str, groups: Sequence[VariantGroup]) -> list[str]:
    """Other spellings of each variant found, once per occurrence, to index as extra terms."""
    extras: list[str] = []
    for group in groups:
        for form in group.forms:
            banned = group.not_after.get(form, "")
            pos = squeezed.find(form)
            while pos >= 0:
                if not (pos and squeezed[pos - 1] in banned):
                    extras.extend(f for f in group.forms if f != form)
                pos = squeezed.find(form, pos + 1)
    return extras


def _normalised_groups(groups: Iterable[VariantGroup]) -> list[VariantGroup]:
    out = []
    for g in groups:
        forms = tuple(normalise(f) for f in g.forms)
        out.append(VariantGroup(forms, {normalise(k): normalise(v) for k, v in g.not_after.items()}))
    return out


# ---- the index ---------------------------------------------------------------------------


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _order(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    """Doc ids follow (type, newest year, org, url): types become id ranges, same-org docs get
    small gaps, and equal scores list newer items first."""
    seen: set[str] = set()
    for d in docs:
        if d.type not in DOC_TYPES:
            raise ValueError(f"search doc {d.url!r}: unknown type {d.type!r} (known: {', '.join(DOC_TYPES)})")
        if d.url in seen:
            raise ValueError(f"search doc {d.url!r} appears twice")
        seen.add(d.url)
    return sorted(docs, key=lambda d: (DOC_TYPES.index(d.type), -(d.year or 0), d.org or "", d.url))


def _fragment(doc: SearchDoc, passage: int, count: int, text: str) -> bytes:
    record: dict[str, object] = {"u": doc.url, "t": doc.title, "k": doc.type, "p": [passage, count], "x": text}
    if doc.org:
        record["o"] = doc.org
    if doc.year is not None:
        record["y"] = doc.year
    if doc.status:
        record["s"] = doc.status
    return _dumps(record)


def _facets(ordered: Sequence[SearchDoc]) -> dict[str, object]:
    types: dict[str, list[int]] = {}
    for i, d in enumerate(ordered):
        types.setdefault(d.type, [i, i])[1] = i + 1
    orgs = Counter(d.org for d in ordered if d.org)
    years = Counter(d.year for d in ordered if d.year is not None)
    statuses = Counter(d.status for d in ordered if d.status)
    status_rank = {s: i for i, s in enumerate(STATUSES)}
    return {
        "types": types,
        "orgs": sorted(orgs.items()),
        "years": sorted(years.items(), reverse=True),
        "statuses": sorted(statuses.items(), key=lambda kv: (status_rank.get(kv[0], len(STATUSES)), kv[0])),
    }


def build_index(docs: list[SearchDoc], variants: Sequence[VariantGroup] = DEFAULT_VARIANTS) -> dict[str, bytes]:
    """Return files to write under the site's /search/ folder: relative path -> bytes.

    Deterministic: the same docs, in any order, give byte-identical files.
    """
    ordered = _order(docs)
    groups = _normalised_groups(variants)
    body, title = _Postings(), _Postings()
    files: dict[str, bytes] = {}

    for doc_id, doc in enumerate(ordered):
        text = unicodedata.normalize("NFC", doc.text)
        passages = split_passages(text)
        title_norm = normalise(doc.title)
        for term in sorted(count_terms(title_norm)):
            title.add_doc(term, doc_id)
        for k, passage in enumerate(passages):
            content = normalise(passage)
            if k == 0:
                content = title_norm + TITLE_SEPARATOR + content
            extras = _variant_extras(_squeeze(content), groups)
            if extras:
                content += "".join("|" + e for e in extras)
            length = len(content)
            for term, tf in sorted(count_terms(content).items()):
                body.add(term, doc_id, k, weight(tf, length))
            name = f"f/{doc_id}.json" if k == 0 else f"f/{doc_id}-{k}.json"
            files[name] = _fragment(doc, k, len(passages), passage)
        if doc.org:
            body.add("@o:" + doc.org, doc_id)
        if doc.year is not None:
            body.add(f"@y:{doc.year}", doc_id)
        if doc.status:
            body.add("@s:" + doc.status, doc_id)

    values: dict[str, str] = {}
    for term in body.parts:
        t = title.encoded(term)
        values[term] = body.encoded(term) + ("~" + t if t else "")
    shard_files, shard_count = _shards(values)
    files.update(shard_files)
    files["synonyms.json"] = _dumps({"groups": [{"forms": list(g.forms), "notAfter": dict(g.not_after)}
                                                for g in groups]})
    build = hashlib.sha256()
    for name in sorted(files):
        build.update(name.encode() + b"\0" + files[name] + b"\0")
    meta = {"v": FORMAT, "build": build.hexdigest()[:12], "docs": len(ordered), "shards": shard_count,
            **_facets(ordered)}
    files["meta.json"] = _dumps(meta)
    return dict(sorted(files.items()))


def _shards(values: Mapping[str, str]) -> tuple[dict[str, bytes], int]:
    """Spread terms over a power-of-two number of shards sized near SHARD_TARGET_BYTES."""
    def entry_bytes(term: str, value: str) -> int:
        return len(term.encode()) + len(value) + 6

    small_total = sum(entry_bytes(t, v) for t, v in values.items() if len(v) <= BIG_POSTING_BYTES)
    count = MIN_SHARDS
    while count * SHARD_TARGET_BYTES < small_total:
        count *= 2
    shards: list[dict[str, str | int]] = [{} for _ in range(count)]
    files: dict[str, bytes] = {}
    for term in sorted(values):
        value = values[term]
        s = term_hash(term) % count
        if len(value) > BIG_POSTING_BYTES:
            k = sum(1 for v in shards[s].values() if isinstance(v, int))
            shards[s][term] = k
            files[f"t/{s}-{k}.json"] = _dumps(value)
        else:
            shards[s][term] = value
    for s, shard in enumerate(shards):
        files[f"t/{s}.json"] = _dumps(shard)
    return files, count
