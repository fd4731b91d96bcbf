// Query side of the Korean search index written by budgetsite/search.py (see its docstring for
// the file layout and posting format). No DOM here: search.js renders, node tests run this file.

export const FORMAT = 1;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const WORD = /[\p{L}\p{N}\p{M}]/u;
const SOFT = /[\p{Zs}\p{Cf}\t\n\v\f\r\u0085\u2028\u2029]/u;
const ASCII_WORD = /^[a-z0-9]+$/;
const ASCII_ALNUM = /[a-z0-9]/;
const HANGUL_END = /[\uac00-\ud7a3]$/u;
const HANGUL_ONE = /^[\uac00-\ud7a3]$/u;
const MAX_WORDS = 8;
const MAX_VERIFY = 40; // PASSAGE_OVERLAP in search.py: longer words cannot be checked in one passage
const LOOK_AHEAD = 2; // passages tried after the first when a bitmap left the place unknown
const TITLE_BONUS = 100; // a word in the title outranks any density (weight 3 + bonus 1 per word)

// Longest first. Stripped only when at least two characters remain, so 가로 or 사이 stay whole.
export const PARTICLES = [
  "들에게서", "에서부터", "으로부터", "들에게", "에게서", "에서는", "에서도", "에서의", "으로는", "으로도",
  "으로서", "으로써", "에게는", "까지는", "까지도", "부터는", "이라는", "들을", "들이", "들은", "들의",
  "들에", "들과", "들도", "들로", "에서", "에게", "으로", "까지", "부터", "에는", "에도", "에의", "로서",
  "로써", "로는", "로도", "와는", "과는", "이나", "이란", "께서", "한테", "처럼", "보다", "을", "를", "이",
  "가", "은", "는", "의", "에", "로", "와", "과", "도", "만", "들",
];
// One-syllable words that join nothing: 노동 및 복지 means 노동 AND 복지.
const JOINERS = new Set(["및", "등", "또"]);

export function normalise(s) {
  return s.normalize("NFKC").toLowerCase();
}

function kind(ch) {
  if (WORD.test(ch)) return 0;
  if (SOFT.test(ch)) return 1;
  return 2;
}

/** Runs of letters/digits with soft characters removed; punctuation and · end a run. */
export function runs(norm) {
  const out = [];
  let cur = "";
  for (const ch of norm) {
    const k = kind(ch);
    if (k === 0) cur += ch;
    else if (k === 2 && cur) { out.push(cur); cur = ""; }
  }
  if (cur) out.push(cur);
  return out;
}

/** Distinct index terms of a display text, sorted: the twin of search.py's index_terms. */
export function indexTerms(text) {
  const norm = normalise(text);
  const terms = new Set();
  for (const run of runs(norm)) {
    const cps = [...run];
    cps.forEach((c, i) => { terms.add(c); if (i) terms.add(cps[i - 1] + c); });
  }
  for (const w of norm.match(/[a-z0-9]+/g) || []) terms.add("#" + w);
  return [...terms].sort(codepointCompare);
}

function codepointCompare(a, b) {
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d;
  }
  return x.length - y.length;
}

/** Same as search.py's term_hash: FNV-1a over UTF-16 units, murmur3 finaliser. */
export function termHash(term) {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGITS[ALPHABET.charCodeAt(i)] = i;
const POPCOUNT = Uint8Array.from({ length: 64 }, (_, v) => v.toString(2).replaceAll("0", "").length);

export function decodeInts(data) {
  const out = [];
  let acc = 0;
  for (let i = 0; i < data.length; i++) {
    const x = DIGITS[data.charCodeAt(i)];
    if (x >= 32) acc = acc * 32 + x - 32;
    else { out.push(acc * 32 + x); acc = 0; }
  }
  return out;
}

/** Docs of a bitmap, ascending: bit i of character k is doc 6k + i. */
export function decodeBitmap(data) {
  let n = 0;
  for (let k = 0; k < data.length; k++) n += POPCOUNT[DIGITS[data.charCodeAt(k)]];
  const docs = new Int32Array(n);
  for (let k = 0, at = 0; k < data.length; k++) {
    const bits = DIGITS[data.charCodeAt(k)];
    for (let i = 0; bits >> i; i++) if (bits & (1 << i)) docs[at++] = k * 6 + i;
  }
  return docs;
}

/** Body posting → {docs, weights, passages}: docs ascending; passages[i] is the sorted list
 *  of passages holding the term in docs[i]; passages is null for a bitmap, which does not say. */
export function decodeBody(data) {
  if (data[0] === "!") {
    const [all, heavy = ""] = data.slice(1).split(".");
    const docs = decodeBitmap(all);
    const weights = new Uint8Array(docs.length);
    const heavyDocs = decodeBitmap(heavy);
    for (let i = 0, j = 0; i < docs.length && j < heavyDocs.length; i++) {
      if (docs[i] === heavyDocs[j]) { weights[i] = 2; j++; }
    }
    return { docs, weights, passages: null };
  }
  let pos = 0;
  const read = () => {
    for (let acc = 0; ;) {
      const x = DIGITS[data.charCodeAt(pos++)];
      if (x < 32) return acc * 32 + x;
      acc = acc * 32 + x - 32;
    }
  };
  const docs = [], weights = [], passages = [];
  let doc = -1;
  while (pos < data.length) {
    const v = read();
    doc += Math.floor(v / 16) + 1;
    docs.push(doc);
    weights.push(v & 3);
    const mode = (v >> 2) & 3;
    if (mode === 0) passages.push(ZERO);
    else if (mode === 1) {
      const set = [];
      for (let mask = read(), p = 0; mask > 0; mask = Math.floor(mask / 2), p++) if (mask % 2) set.push(p);
      passages.push(set);
    } else {
      const count = read();
      const set = [read()];
      for (let n = 1; n < count; n++) set.push(set[n - 1] + read() + 1);
      passages.push(set);
    }
  }
  return { docs, weights, passages };
}
const ZERO = Object.freeze([0]);

/** Title posting → docs ascending. */
export function decodeTitle(data) {
  if (data[0] === "!") return decodeBitmap(data.slice(1));
  const out = [];
  let doc = -1;
  for (const gap of decodeInts(data)) { doc += gap + 1; out.push(doc); }
  return out;
}

export function stripParticles(word) {
  if (!HANGUL_END.test(word)) return word;
  const len = [...word].length;
  for (const p of PARTICLES) {
    if (word.endsWith(p) && len - p.length >= 2) return word.slice(0, -p.length);
  }
  return word;
}

/** Query words: split at spaces and punctuation, with lone syllables joined to their neighbour
 *  so that 직장 내 괴롭힘 and 직장내 괴롭힘 ask the same thing. */
export function tokenise(query) {
  const raw = [];
  let cur = "";
  for (const ch of normalise(query)) {
    if (kind(ch) === 0) cur += ch;
    else if (cur) { raw.push(cur); cur = ""; }
  }
  if (cur) raw.push(cur);
  const words = [];
  let pending = "";
  for (const w of raw) {
    if (HANGUL_ONE.test(w)) {
      if (JOINERS.has(w) && raw.length > 1) continue;
      if (words.length) words[words.length - 1] += w;
      else pending += w;
    } else {
      words.push(pending + w);
      pending = "";
    }
  }
  if (pending) words.push(pending);
  return words.slice(0, MAX_WORDS);
}

function bigrams(s) {
  const cps = [...s];
  if (cps.length < 2) return cps;
  const out = new Set();
  for (let i = 1; i < cps.length; i++) out.add(cps[i - 1] + cps[i]);
  return [...out];
}

/** Other spellings of a word from the variant groups, with the context rule each carries. */
function variantPatterns(stem, groups) {
  const out = [];
  for (const g of groups) {
    for (const form of g.forms) {
      const at = stem.indexOf(form);
      if (at < 0) continue;
      for (const other of g.forms) {
        if (other === form) continue;
        const s = stem.split(form).join(other);
        const banned = (g.notAfter || {})[other] || "";
        if (at > 0 && banned.includes(s[at - 1])) continue;
        out.push({ s, notAfter: at === 0 ? banned : "", token: false });
      }
    }
  }
  return out;
}

/** A query as words; each word matches when any of its alternatives does. */
export function parseQuery(query, groups = []) {
  return tokenise(query).map((full) => {
    const stem = stripParticles(full);
    const token = ASCII_WORD.test(stem);
    const alts = [{ text: stem, terms: token ? ["#" + stem] : bigrams(stem), token, bonus: 0 }];
    // The form as typed (노동자를) ranks above the stem alone (노동자).
    if (full !== stem) alts.push({ text: full, terms: bigrams(full), token: false, bonus: 1 });
    const patterns = [{ s: stem, notAfter: "", token }, ...variantPatterns(stem, groups)];
    // Marks cover 제로페이 whole even though 이 was taken for a particle; and 만 of 옴부즈만
    // is no particle, so the variants of the full form count too.
    if (full !== stem) patterns.push({ s: full, notAfter: "", token: false }, ...variantPatterns(full, groups));
    return { full, stem, alts, patterns };
  });
}

// ---- matching in display text -------------------------------------------------------------

/** Normalised text with soft characters dropped and breaks as \0, mapped to source offsets. */
function squeeze(text) {
  let s = "";
  const starts = [], ends = [];
  let i = 0;
  for (const ch of text) {
    const j = i + ch.length;
    const code = ch.charCodeAt(0);
    if (code >= 0xac00 && code <= 0xd7a3) {
      // A Hangul syllable, most of the text: a letter that NFKC and lower case leave alone.
      s += ch;
      starts.push(i);
      ends.push(j);
    } else if (!SOFT.test(ch)) {
      for (const c of normalise(ch)) {
        if (SOFT.test(c)) continue;
        const piece = WORD.test(c) ? c : "\u0000";
        s += piece;
        for (let u = 0; u < piece.length; u++) { starts.push(i); ends.push(j); }
      }
    }
    i = j;
  }
  return { s, starts, ends, text };
}

function isAsciiAlnumAt(text, i) {
  return i >= 0 && i < text.length && ASCII_ALNUM.test(normalise(text[i]));
}

/** Source ranges [start, end) where a pattern occurs. */
function findPattern(sq, p) {
  const out = [];
  if (!p.s) return out;
  for (let at = sq.s.indexOf(p.s); at >= 0; at = sq.s.indexOf(p.s, at + 1)) {
    if (p.notAfter && at > 0 && p.notAfter.includes(sq.s[at - 1])) continue;
    const start = sq.starts[at], end = sq.ends[at + p.s.length - 1];
    if (p.token && (isAsciiAlnumAt(sq.text, start - 1) || isAsciiAlnumAt(sq.text, end))) continue;
    out.push([start, end]);
  }
  return out;
}

function matchesIn(text, words) {
  const sq = squeeze(text);
  return words.map((w) => w.patterns.flatMap((p) => findPattern(sq, p)));
}

function merge(ranges) {
  const sorted = ranges.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Text cut into parts: [{text, mark}], marks on the given ranges, whitespace collapsed. */
export function markParts(text, ranges, from = 0, to = text.length) {
  const parts = [];
  let at = from;
  const push = (t, mark) => {
    t = t.replace(/\s+/g, " ");
    if (t) parts.push({ text: t, mark });
  };
  for (const [s, e] of merge(ranges)) {
    if (e <= from || s >= to) continue;
    push(text.slice(at, Math.max(at, s)), false);
    push(text.slice(Math.max(at, s), Math.min(e, to)), true);
    at = Math.min(e, to);
  }
  push(text.slice(at, to), false);
  return parts;
}

/** A window of about `width` characters around the place where most query words meet. */
export function snippet(text, words, width = 160) {
  const perWord = matchesIn(text, words);
  const all = perWord.flatMap((rs, wi) => rs.map((r) => [r[0], r[1], wi])).sort((a, b) => a[0] - b[0]);
  let anchor = 0, best = -1;
  for (const m of all.slice(0, 60)) {
    const seen = new Set(all.filter((o) => o[0] >= m[0] && o[1] <= m[0] + width * 0.7).map((o) => o[2]));
    if (seen.size > best) { best = seen.size; anchor = m[0]; }
  }
  let from = Math.max(0, anchor - Math.floor(width * 0.3));
  if (from > 0) {
    const space = text.slice(from, anchor).search(/\s/);
    if (space >= 0) from += space + 1;
  }
  let to = Math.min(text.length, from + width);
  if (to < text.length) {
    const lastSpace = text.slice(anchor, to).search(/\s\S*$/);
    if (lastSpace > 0) to = anchor + lastSpace;
  }
  const parts = markParts(text, all.map((m) => [m[0], m[1]]), from, to);
  if (parts.length && from > 0) parts.unshift({ text: "…", mark: false });
  if (parts.length && to < text.length) parts.push({ text: "…", mark: false });
  return parts;
}

export function titleParts(title, words) {
  return markParts(title, matchesIn(title, words).flat());
}

// ---- the engine ---------------------------------------------------------------------------

const MIN_TERMS = 2; // bigrams a word always checks: two rare ones nearly pin a Korean word
const QUERY_BUDGET = 48 * 1024; // characters of large postings beyond the needed ones a query may reach
const DECODED_KEEP = 256; // decoded postings kept, so typing a longer word reuses its bigrams

/** Search over an index folder. `fetch` is fetch-like: fetch(url, init) → {ok, status, json()}. */
export class SearchEngine {
  constructor({ fetch, indexUrl, pageSize = 10 }) {
    this.fetchImpl = fetch;
    this.indexUrl = indexUrl.endsWith("/") ? indexUrl : indexUrl + "/";
    this.pageSize = pageSize;
    this.cache = new Map();
    this.decoded = new Map();
    this.loading = null;
    this.meta = null;
    this.groups = [];
  }

  /** meta.json and synonyms.json, once; a failure is not cached, so a retry can succeed. */
  load() {
    this.loading ??= Promise.all([
      this.get("meta.json", { cache: "no-cache" }),
      this.get("synonyms.json", { cache: "no-cache" }),
    ]).then(([meta, synonyms]) => {
      if (meta.v !== FORMAT) throw new Error(`search index format ${meta.v}, expected ${FORMAT}`);
      this.meta = meta;
      this.groups = synonyms.groups || [];
      return meta;
    }, (err) => {
      this.loading = null;
      throw err;
    });
    return this.loading;
  }

  get(path, init) {
    let p = this.cache.get(path);
    if (!p) {
      // The build id in the URL keeps a cached shard from meeting a newer meta.json.
      const v = this.meta && this.meta.build ? `?v=${this.meta.build}` : "";
      p = Promise.resolve(this.fetchImpl(this.indexUrl + path + v, init)).then((res) => {
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
        return res.json();
      });
      p.catch(() => this.cache.delete(path));
      this.cache.set(path, p);
    }
    return p;
  }

  shardOf(term) {
    return termHash(term) % this.meta.shards;
  }

  /** Shard values: Map term → posting string, or [k, length] for a posting in its own file. */
  async shardValues(terms) {
    const wanted = [...new Set(terms)];
    const shards = await Promise.all(wanted.map((t) => this.get(`t/${this.shardOf(t)}.json`)));
    const out = new Map();
    wanted.forEach((t, i) => { if (shards[i][t] !== undefined) out.set(t, shards[i][t]); });
    return out;
  }

  /** Postings for the query: every term of small postings, and of large ones the few that
   *  decide the result, plus more while the budget lasts. Map term → posting string. */
  async postings(words, facetKeys) {
    const raw = await this.shardValues([...words.flatMap((w) => w.alts.flatMap((a) => a.terms)), ...facetKeys]);
    // An ASCII word that is no whole word in the index (gse, part of gsef) is looked up as bigrams.
    const retry = [];
    for (const w of words) {
      const a = w.alts[0];
      if (a.token && !raw.has(a.terms[0])) {
        a.token = false;
        a.terms = bigrams(a.text);
        w.patterns[0] = { ...w.patterns[0], token: false };
        retry.push(...a.terms);
      }
    }
    if (retry.length) for (const [t, v] of await this.shardValues(retry)) raw.set(t, v);

    const size = (t) => raw.get(t)[1];
    const need = new Set(facetKeys.filter((k) => Array.isArray(raw.get(k))));
    const optional = [];
    for (const w of words) {
      w.alts.forEach((alt, ai) => {
        if (alt.terms.some((t) => !raw.has(t))) { alt.dead = true; return; }
        const large = alt.terms.filter((t) => Array.isArray(raw.get(t))).sort((x, y) => size(x) - size(y));
        let have = alt.terms.length - large.length;
        for (const t of large) {
          if (ai === 0 && have < MIN_TERMS) { need.add(t); have++; } else optional.push(t);
        }
      });
    }
    let budget = QUERY_BUDGET - [...need].reduce((n, t) => n + size(t), 0);
    for (const t of optional.sort((x, y) => size(x) - size(y))) {
      if (need.has(t)) continue;
      if (size(t) > budget) break;
      need.add(t);
      budget -= size(t);
    }
    const wanted = [...need];
    const files = await Promise.all(wanted.map((t) => this.get(`t/${this.shardOf(t)}-${raw.get(t)[0]}.json`)));
    const found = new Map();
    for (const [t, v] of raw) if (typeof v === "string") found.set(t, v);
    wanted.forEach((t, i) => found.set(t, files[i]));
    for (const w of words) {
      const stem = w.alts[0];
      // Bitmaps do not say where in a doc a bigram is, so bigrams that are all bitmaps cannot
      // tell 노동자 from 노동 … 아동자: the count may then include a few docs the word is not in.
      if (!stem.dead && stem.terms.length > 1 && stem.terms.every((t) => found.has(t) && found.get(t)[0] === "!")) {
        stem.partial = true;
      }
      w.alts.forEach((alt, ai) => {
        if (alt.dead || alt.terms.every((t) => found.has(t))) return;
        if (ai === 0) alt.partial = true; // still right, but unchecked bigrams may let extra docs in
        else alt.dead = true; // a ranking bonus is not worth the download
      });
    }
    return found;
  }

  /** A term's decoded posting {docs, weights, passages, title}, kept for the next queries. */
  decode(term, value) {
    let d = this.decoded.get(term);
    if (!d) {
      const [body, title = ""] = value.split("~");
      d = { ...decodeBody(body), title: decodeTitle(title) };
      if (this.decoded.size >= DECODED_KEEP) this.decoded.delete(this.decoded.keys().next().value);
      this.decoded.set(term, d);
    }
    return d;
  }

  /** Run a query with filters {type, org, year, status}; returns a ResultSet to page through. */
  async search(query, filters = {}) {
    await this.load();
    const n = this.meta.docs;
    const words = parseQuery(query || "", this.groups);
    const facetKeys = [];
    if (filters.org) facetKeys.push("@o:" + filters.org);
    if (filters.year) facetKeys.push("@y:" + filters.year);
    if (filters.status) facetKeys.push("@s:" + filters.status);
    const range = filters.type ? this.meta.types[filters.type] || [0, 0] : [0, n];
    if (!words.length && !facetKeys.length && !filters.type) return new ResultSet(this, words, [], [], true);

    const found = await this.postings(words, facetKeys);
    const posting = (t) => (found.has(t) ? this.decode(t, found.get(t)) : null);
    const matched = words.map((w) => wordMatches(w, posting, n));

    // Candidates: docs of the rarest word (all docs in range when there is no word), kept when
    // every other word and every facet has them; ascending, so equal scores list by doc order.
    const allowed = new Uint8Array(n);
    allowed.fill(1, range[0], range[1]);
    for (const key of facetKeys) {
      const keep = new Uint8Array(n);
      if (found.has(key)) for (const d of posting(key).docs) keep[d] = 1;
      for (let d = 0; d < n; d++) allowed[d] &= keep[d];
    }
    let ids;
    if (matched.length) {
      const rarest = matched.reduce((a, b) => (b.docs.length < a.docs.length ? b : a));
      ids = [];
      for (const d of rarest.docs) {
        if (!allowed[d]) continue;
        let all = true;
        for (const m of matched) if (m.score[d] < 0) { all = false; break; }
        if (all) ids.push(d);
      }
    } else {
      ids = [];
      for (let d = range[0]; d < range[1]; d++) if (allowed[d]) ids.push(d);
    }
    return new ResultSet(this, words, rank(ids, matched), matched, !words.some((w) => w.alts[0].partial));
  }

  fragment(doc, passage) {
    return this.get(passage ? `f/${doc}-${passage}.json` : `f/${doc}.json`);
  }
}

/** Docs by score (the sum of their words' scores), best first; equal scores by doc id. Scores
 *  are small integers, so a counting sort puts them in order: tens of thousands of docs for a
 *  common word, where a comparison sort would cost more than all the rest of a query. */
function rank(ids, matched) {
  const n = ids.length;
  const docs = Int32Array.from(ids);
  for (let i = 1; i < n; i++) {
    if (docs[i - 1] > docs[i]) { docs.sort(); break; } // a later alternative's docs come after
  }
  const scores = new Int32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (const m of matched) score += m.score[docs[i]];
    scores[i] = score;
    if (score > max) max = score;
  }
  const at = new Int32Array(max + 2); // at[max - s]: where the docs of score s start
  for (let i = 0; i < n; i++) at[max - scores[i] + 1]++;
  for (let k = 1; k < at.length; k++) at[k] += at[k - 1];
  const ranked = new Int32Array(n);
  for (let i = 0; i < n; i++) ranked[at[max - scores[i]]++] = docs[i];
  return ranked;
}

/** Passage lists; null stands for "any passage" (bitmap postings). */
function intersectPassages(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  const out = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
  }
  return out;
}

function unionPassages(a, b) {
  if (a === null || b === null) return null;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** Docs where the fetched terms of one alternative share a passage, by merging the sorted
 *  postings: {docs, weights, passages, inTitle}, parallel arrays (passages null: any passage
 *  for every doc). The arrays of a decoded posting are shared, never changed. */
function altMatches(alt, posting) {
  const terms = alt.terms.filter((t) => posting(t)).map(posting).sort((a, b) => a.docs.length - b.docs.length);
  const [first, ...rest] = terms;
  let { docs, weights, passages } = first;
  for (const p of rest) {
    const nd = [], nw = [], np = [];
    for (let i = 0, j = 0; i < docs.length && j < p.docs.length;) {
      const a = docs[i], b = p.docs[j];
      if (a < b) i++;
      else if (a > b) j++;
      else {
        const ps = intersectPassages(passages ? passages[i] : null, p.passages ? p.passages[j] : null);
        if (ps === null || ps.length) { nd.push(a); nw.push(Math.min(weights[i], p.weights[j])); np.push(ps); }
        i++; j++;
      }
    }
    docs = nd; weights = nw; passages = np;
  }
  const inTitle = new Uint8Array(docs.length).fill(1);
  for (const p of terms) {
    for (let i = 0, j = 0; i < docs.length; i++) {
      while (j < p.title.length && p.title[j] < docs[i]) j++;
      if (j >= p.title.length || p.title[j] !== docs[i]) inTitle[i] = 0;
    }
  }
  return { docs, weights, passages, inTitle };
}

/** One query word over all docs: score[d] (-1 where absent), its docs, and passages(d), the
 *  passages of a doc it is in (null: any). */
function wordMatches(word, posting, n) {
  const score = new Int16Array(n).fill(-1);
  const slot = new Int32Array(n); // 1 + the doc's place in docs and sets; 0: not matched
  const docs = [], sets = [];
  for (const alt of word.alts) {
    if (alt.dead || !alt.terms.some((t) => posting(t))) continue;
    const m = altMatches(alt, posting);
    for (let i = 0; i < m.docs.length; i++) {
      const d = m.docs[i];
      const s = m.weights[i] + alt.bonus + (m.inTitle[i] ? TITLE_BONUS : 0);
      const ps = m.passages ? m.passages[i] : null;
      if (score[d] < 0) { slot[d] = docs.push(d); sets.push(ps); } else sets[slot[d] - 1] = unionPassages(sets[slot[d] - 1], ps);
      if (s > score[d]) score[d] = s;
    }
  }
  return { score, docs, passages: (d) => (slot[d] ? sets[slot[d] - 1] : undefined) };
}

/** The passage holding the most query words; the first one among equals. */
function bestPassage(sets) {
  const count = new Map();
  for (const set of sets) for (const p of set || []) count.set(p, (count.get(p) || 0) + 1);
  let best = 0, bestCount = -1;
  for (const [p, n] of count) {
    if (n > bestCount || (n === bestCount && p < best)) { best = p; bestCount = n; }
  }
  return best;
}

/** Ranked candidates, turned into checked results a page at a time. */
export class ResultSet {
  constructor(engine, words, ranked, matched, exact) {
    this.engine = engine;
    this.words = words;
    this.ranked = ranked; // doc ids, best first
    this.matched = matched; // per word: score and passages by doc
    this.exact = exact; // false: some bigrams went unchecked, so total is an upper bound
    this.cursor = 0;
    this.dropped = 0;
  }

  /** Candidates minus those found not to match so far (bigrams present, word absent). */
  get total() { return this.ranked.length - this.dropped; }

  get done() { return this.cursor >= this.ranked.length; }

  async more(n = this.engine.pageSize) {
    const out = [];
    while (out.length < n && !this.done) {
      const batch = this.ranked.slice(this.cursor, this.cursor + n - out.length);
      this.cursor += batch.length;
      const results = await Promise.all(Array.from(batch, (doc) => this.resolve(doc)));
      for (const r of results) {
        if (r) out.push(r);
        else this.dropped++;
      }
    }
    return out;
  }

  /** The result for a doc, or null when its passage shows it does not match. */
  async resolve(doc) {
    const sets = this.matched.map((m) => m.passages(doc));
    const passage = bestPassage(sets);
    const score = this.matched.reduce((sum, m) => sum + m.score[doc], 0);
    let frag = await this.engine.fragment(doc, passage);
    const words = this.words;
    if (words.length) {
      // All bigrams of a word can share a passage without the word being there (노동 … 아동자).
      // A doc is dropped only when that passage was the word's only one, so the check is final.
      const found = this.wordsFound(frag);
      const absent = words.some((w, i) => !found[i] && sets[i] && sets[i].length === 1
        && sets[i][0] === passage && [...w.stem].length <= MAX_VERIFY);
      if (absent) return null;
      // Bitmap postings do not say which passage: look a little further for the snippet.
      if (!found.every(Boolean) && sets.some((set) => set === null)) {
        const [at, count] = frag.p || [0, 1];
        for (let k = at + 1; k < Math.min(count, at + 1 + LOOK_AHEAD); k++) {
          const next = await this.engine.fragment(doc, k);
          if (this.wordsFound(next).filter(Boolean).length > found.filter(Boolean).length) { frag = next; break; }
        }
      }
    }
    return this.result(doc, score, frag);
  }

  wordsFound(frag) {
    const inTitle = matchesIn(frag.t, this.words);
    const inText = matchesIn(frag.x || "", this.words);
    return this.words.map((_, i) => inTitle[i].length > 0 || inText[i].length > 0);
  }

  result(doc, score, frag) {
    const words = this.words;
    const text = frag.x || "";
    const [at, count] = frag.p || [0, 1];
    const parts = text ? snippet(text, words) : [];
    // A later passage starts, and an earlier one ends, inside the text.
    if (parts.length && at > 0 && parts[0].text !== "…") parts.unshift({ text: "…", mark: false });
    if (parts.length && at < count - 1 && parts[parts.length - 1].text !== "…") parts.push({ text: "…", mark: false });
    return {
      doc,
      url: frag.u,
      title: frag.t,
      type: frag.k,
      org: frag.o || null,
      year: frag.y ?? null,
      status: frag.s || null,
      score,
      titleParts: titleParts(frag.t, words),
      snippet: parts,
    };
  }
}
