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
                     the shard holds [k, length] in its place
    f/<d>.json       doc d's record and the text of its passage 0; f/<d>-<k>.json passage k

A posting is "body~title" (title part omitted when empty), each a string of variable-length
integers in a URL-safe alphabet: 5 payload bits per character, most significant group first,
characters 32..63 mean "more follows". A body entry per doc, in doc order, is
`(doc gap - 1) << 4 | passage mode << 2 | weight`, then for mode 1 a bit mask of the passages
the term occurs in, for mode 2 their count, the first and the gaps - 1 (mode 0: passage 0 only).
The weight (0..3) buckets the term's best density in the doc. A title entry is `doc gap - 1`.
A term in a large share of docs is instead "!" + a doc bitmap (6 docs per character, bit i of
character k = doc 6k + i) + optionally "." + a bitmap of the docs where its weight is 2 or more;
it then says nothing of passages. Any part of a posting may be a bitmap.
Facet postings (@o:org, @y:year, @s:status) use the body format. Type needs no posting: doc ids
are ordered by type, so meta.json gives each type's id range. The length of a large posting
lets the query side leave out a costly bigram of a word whose other bigrams already pin it.

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
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

FORMAT = 1

DOC_TYPES: tuple[str, ...] = ("program", "budget", "audit", "indicator", "facility", "contract",
                              "org", "chart", "source", "note", "page")

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
_WORD, _SOFT, _BREAK = 0, 1, 2


def normalise(text: str) -> str:
    """NFKC folds full-width letters and digits (common in OCR output) to plain ones."""
    return unicodedata.normalize("NFKC", text).lower()


def _kind(ch: str) -> int:
    cat = unicodedata.category(ch)
    if cat[0] in "LNM":
        return _WORD
    if cat in ("Zs", "Cf") or ch in _SOFT_EXTRA:
        return _SOFT   # spacing is inconsistent in Korean: spaces never split a run
    return _BREAK      # punctuation, ·, symbols: a run ends here


_SQUEEZE: dict[int, str | None] = {}  # str.translate table, grown as new characters appear
_SEEN: set[str] = set()


def _squeeze(norm: str) -> str:
    """Drop soft characters and turn every break character into one marker."""
    new = set(norm) - _SEEN
    if new:
        for ch in new:
            kind = _kind(ch)
            if kind != _WORD:
                _SQUEEZE[ord(ch)] = None if kind == _SOFT else _RUN_BREAK
        _SEEN.update(new)
    return norm.translate(_SQUEEZE)


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


def _weight_steps(length: int) -> tuple[float, float, float]:
    """A term's weight (0..3) buckets its density in a passage: the occurrence counts that reach
    weights 1, 2 and 3 are 0.4, 1 and 2 per 100 characters."""
    n = max(length, 50)
    return n * 0.004, n * 0.01, n * 0.02


MASK_MAX_PASSAGE = 40  # passage bit masks stay below 2**53, exact in JavaScript numbers


def _passage_set(mask: int) -> tuple[int, str]:
    """(mode, encoding) of the passages a term occurs in, given as bits: 0 = passage 0 alone,
    1 = bit mask, 2 = count then gaps; whichever is shorter, the mask only while JavaScript
    numbers hold it exactly."""
    if mask == 1:
        return 0, ""
    if mask < 32:
        return 1, _VARINT[mask]
    passages = [p for p in range(mask.bit_length()) if mask >> p & 1]
    listed = encode_int(len(passages)) + encode_int(passages[0]) + "".join(
        encode_int(b - a - 1) for a, b in pairwise(passages))
    if passages[-1] <= MASK_MAX_PASSAGE:
        encoded = encode_int(mask)
        if len(encoded) <= len(listed):
            return 1, encoded
    return 2, listed


_BITS_TO_CHAR = bytes(ALPHABET, "ascii") + bytes(256 - len(ALPHABET))


def _bitmap(docs: Sequence[int]) -> str:
    """Doc set as 6 docs per character (bit i of character k is doc 6k + i)."""
    cells = bytearray(docs[-1] // 6 + 1)
    for d in docs:
        cells[d // 6] |= 1 << d % 6
    return cells.translate(_BITS_TO_CHAR).decode("ascii")


class _Term:
    """One term's posting while docs arrive in order: encoded pieces, and the doc ids kept
    too in case a bitmap turns out shorter."""

    __slots__ = ("docs", "heavy", "last", "parts")

    def __init__(self) -> None:
        self.last = -1
        self.parts: list[str] = []
        self.docs = array("i")
        self.heavy = array("i")  # docs with weight 2 or more


class _Postings:
    """Postings built in doc order, encoded as they arrive to keep memory small at 50,000 docs.

    Both kinds start an entry with `doc gap - 1`, so consecutive docs cost one character. A term
    in a large share of docs is written as bitmaps instead, when that is clearly shorter."""

    def __init__(self) -> None:
        self.terms: dict[str, _Term] = {}

    def add(self, term: str, doc: int, passages: int = 1, w: int = 0) -> None:
        """Body entry: (gap - 1) << 4 | passage mode << 2 | weight, then the passage set
        (`passages` has bit k set when the term is in passage k)."""
        mode, extra = _passage_set(passages)
        self._entry(term, doc, mode << 2 | w, extra)

    def add_counts(self, doc: int, counts: Mapping[str, int], length: int) -> None:
        """Body entries of a one-passage doc, from term counts. This loop runs once per term
        and doc, millions of times at 50,000 docs, hence inline and without calls."""
        w1, w2, w3 = _weight_steps(length)
        terms = self.terms
        for term, tf in counts.items():
            state = terms.get(term)
            if state is None:
                state = terms[term] = _Term()
            w = (tf >= w1) + (tf >= w2) + (tf >= w3)
            value = (doc - state.last - 1) << 4 | w
            state.last = doc
            state.parts.append(_VARINT[value] if value < 4096 else _varint(value))
            state.docs.append(doc)
            if w >= 2:
                state.heavy.append(doc)

    def _entry(self, term: str, doc: int, low: int, extra: str = "", shift: int = 4) -> None:
        state = self.terms.get(term)
        if state is None:
            state = self.terms[term] = _Term()
        value = (doc - state.last - 1) << shift | low
        state.last = doc
        state.parts.append(_VARINT[value] if value < 4096 else _varint(value))
        if extra:
            state.parts.append(extra)
        state.docs.append(doc)
        if low & 3 >= 2 and shift:
            state.heavy.append(doc)

    def add_doc(self, term: str, doc: int) -> None:
        """Title entry: gap - 1 alone."""
        self._entry(term, doc, 0, shift=0)

    def encoded(self, term: str) -> str:
        """The shorter of the entry list and "!" + doc bitmap (+ "." + bitmap of heavy docs).

        A bitmap drops which passages hold the term, so it must save a third to be chosen."""
        state = self.terms.get(term)
        if state is None:
            return ""
        listed = "".join(state.parts)
        if len(listed) * 2 <= (state.last // 6 + 1) * 3:
            return listed
        dense = "!" + _bitmap(state.docs) + ("." + _bitmap(state.heavy) if state.heavy else "")
        return dense if len(dense) * 3 <= len(listed) * 2 else listed


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


def _facets(ordered: Sequence[SearchDoc], status_order: Sequence[str]) -> dict[str, object]:
    types: dict[str, list[int]] = {}
    for i, d in enumerate(ordered):
        types.setdefault(d.type, [i, i])[1] = i + 1
    orgs = Counter(d.org for d in ordered if d.org)
    years = Counter(d.year for d in ordered if d.year is not None)
    statuses = Counter(d.status for d in ordered if d.status)
    status_rank = {s: i for i, s in enumerate(status_order)}
    return {
        "types": types,
        "orgs": sorted(orgs.items()),
        "years": sorted(years.items(), reverse=True),
        "statuses": sorted(statuses.items(), key=lambda kv: (status_rank.get(kv[0], len(status_order)), kv[0])),
    }


def build_index(docs: list[SearchDoc], variants: Sequence[VariantGroup] = DEFAULT_VARIANTS,
                statuses: Sequence[str] = ()) -> dict[str, bytes]:
    """Return files to write under the site's /search/ folder: relative path -> bytes.
    `statuses`: the order of the status filter (the registry's, budgetsite.kinds).

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
        for term in count_terms(title_norm):
            title.add_doc(term, doc_id)
        # per term: bits of the passages it occurs in, and its best weight; one entry per doc
        found: dict[str, int] = {}
        best: dict[str, int] = {}
        for k, passage in enumerate(passages):
            content = normalise(passage)
            if k == 0:
                content = title_norm + TITLE_SEPARATOR + content
            extras = _variant_extras(_squeeze(content), groups)
            if extras:
                content += "".join("|" + e for e in extras)
            counts = count_terms(content)
            if len(passages) == 1:  # most docs: no passage bookkeeping
                body.add_counts(doc_id, counts, len(content))
                continue
            w1, w2, w3 = _weight_steps(len(content))
            bit = 1 << k
            for term, tf in counts.items():
                found[term] = found.get(term, 0) | bit
                if tf >= w1:
                    w = 1 + (tf >= w2) + (tf >= w3)
                    if w > best.get(term, 0):
                        best[term] = w
        for term, bits in found.items():
            body.add(term, doc_id, bits, best.get(term, 0))
        for k, passage in enumerate(passages):
            name = f"f/{doc_id}.json" if k == 0 else f"f/{doc_id}-{k}.json"
            files[name] = _fragment(doc, k, len(passages), passage)
        if doc.org:
            body.add("@o:" + doc.org, doc_id)
        if doc.year is not None:
            body.add(f"@y:{doc.year}", doc_id)
        if doc.status:
            body.add("@s:" + doc.status, doc_id)

    values: dict[str, str] = {}
    for term in body.terms:
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
            **_facets(ordered, statuses)}
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
    shards: list[dict[str, str | list[int]]] = [{} for _ in range(count)]
    files: dict[str, bytes] = {}
    for term in sorted(values):
        value = values[term]
        s = term_hash(term) % count
        if len(value) > BIG_POSTING_BYTES:
            k = sum(1 for v in shards[s].values() if isinstance(v, list))
            shards[s][term] = [k, len(value)]  # the length lets a query skip a costly term
            files[f"t/{s}-{k}.json"] = _dumps(value)
        else:
            shards[s][term] = value
    for s, shard in enumerate(shards):
        files[f"t/{s}.json"] = _dumps(shard)
    return files, count
