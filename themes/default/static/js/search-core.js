// Query side of the Korean search index written by budgetsite/search.py (see its docstring for
// the file layout and posting format). No DOM here: search.js renders, node tests run this file.

export const FORMAT = 1;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGIT = new Map([...ALPHABET].map((c, i) => [c, i]));
const WORD = /[\p{L}\p{N}\p{M}]/u;
const SOFT = /[\p{Zs}\p{Cf}\t\n\v\f\r\u0085\u2028\u2029]/u;
const ASCII_WORD = /^[a-z0-9]+$/;
const ASCII_ALNUM = /[a-z0-9]/;
const HANGUL_END = /[\uac00-\ud7a3]$/u;
const HANGUL_ONE = /^[\uac00-\ud7a3]$/u;
const PASSAGE_KEY = 65536; // doc * PASSAGE_KEY + passage, as one number
const MAX_WORDS = 8;
const MAX_VERIFY = 40; // PASSAGE_OVERLAP in search.py: longer words cannot be checked in one passage
const TITLE_BONUS = 100; // a word in the title outranks any density

// Longest first. Stripped only when at least two characters remain, so 가로 or 사이 stay whole.
export const PARTICLES = [
  '들에게서', '에서부터', '으로부터', '들에게', '에게서', '에서는', '에서도', '에서의', '으로는', '으로도',
  '으로서', '으로써', '에게는', '까지는', '까지도', '부터는', '이라는', '들을', '들이', '들은', '들의',
  '들에', '들과', '들도', '들로', '에서', '에게', '으로', '까지', '부터', '에는', '에도', '에의', '로서',
  '로써', '로는', '로도', '와는', '과는', '이나', '이란', '께서', '한테', '처럼', '보다', '을', '를', '이',
  '가', '은', '는', '의', '에', '로', '와', '과', '도', '만', '들',
];
// One-syllable words that join nothing: 노동 및 복지 means 노동 AND 복지.
const JOINERS = new Set(['및', '등', '또']);

export function normalise(s) {
  return s.normalize('NFKC').toLowerCase();
}

function kind(ch) {
  if (WORD.test(ch)) return 0;
  if (SOFT.test(ch)) return 1;
  return 2;
}

/** Runs of letters/digits with soft characters removed; punctuation and · end a run. */
export function runs(norm) {
  const out = [];
  let cur = '';
  for (const ch of norm) {
    const k = kind(ch);
    if (k === 0) cur += ch;
    else if (k === 2 && cur) { out.push(cur); cur = ''; }
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
  for (const w of norm.match(/[a-z0-9]+/g) || []) terms.add('#' + w);
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

export function decodeInts(data) {
  const out = [];
  let acc = 0;
  for (const ch of data) {
    const x = DIGIT.get(ch);
    if (x >= 32) acc = acc * 32 + x - 32;
    else { out.push(acc * 32 + x); acc = 0; }
  }
  return out;
}

/** Body posting → parallel arrays of doc, passage and weight. */
export function decodeBody(data) {
  const ints = decodeInts(data);
  const docs = [], passages = [], weights = [];
  let doc = -1;
  for (let i = 0; i < ints.length; i++) {
    const v = ints[i];
    doc += Math.floor(v / 8);
    docs.push(doc);
    weights.push(v & 3);
    passages.push(v & 4 ? ints[++i] : 0);
  }
  return { docs, passages, weights };
}

export function decodeTitle(data) {
  const out = new Set();
  let doc = -1;
  for (const gap of decodeInts(data)) { doc += gap + 1; out.add(doc); }
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
  let cur = '';
  for (const ch of normalise(query)) {
    if (kind(ch) === 0) cur += ch;
    else if (cur) { raw.push(cur); cur = ''; }
  }
  if (cur) raw.push(cur);
  const words = [];
  let pending = '';
  for (const w of raw) {
    if (HANGUL_ONE.test(w)) {
      if (JOINERS.has(w) && raw.length > 1) continue;
      if (words.length) words[words.length - 1] += w;
      else pending += w;
    } else {
      words.push(pending + w);
      pending = '';
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
        const banned = (g.notAfter || {})[other] || '';
        if (at > 0 && banned.includes(s[at - 1])) continue;
        out.push({ s, notAfter: at === 0 ? banned : '', token: false });
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
    const alts = [{ text: stem, terms: token ? ['#' + stem] : bigrams(stem), token, bonus: 0 }];
    // The form as typed (노동자를) ranks above the stem alone (노동자).
    if (full !== stem) alts.push({ text: full, terms: bigrams(full), token: false, bonus: 1 });
    const patterns = [{ s: stem, notAfter: '', token }, ...variantPatterns(stem, groups)];
    return { full, stem, alts, patterns };
  });
}

// ---- matching in display text -------------------------------------------------------------

/** Normalised text with soft characters dropped and breaks as \0, mapped to source offsets. */
function squeeze(text) {
  let s = '';
  const starts = [], ends = [];
  let i = 0;
  for (const ch of text) {
    const j = i + ch.length;
    if (!SOFT.test(ch)) {
      for (const c of normalise(ch)) {
        if (SOFT.test(c)) continue;
        const piece = WORD.test(c) ? c : '\u0000';
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
    t = t.replace(/\s+/g, ' ');
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
  if (parts.length && from > 0) parts.unshift({ text: '…', mark: false });
  if (parts.length && to < text.length) parts.push({ text: '…', mark: false });
  return parts;
}

export function titleParts(title, words) {
  return markParts(title, matchesIn(title, words).flat());
}

// ---- the engine ---------------------------------------------------------------------------

/** Search over an index folder. `fetch` is fetch-like: fetch(url) → {ok, status, json()}. */
export class SearchEngine {
  constructor({ fetch, indexUrl, pageSize = 10 }) {
    this.fetchImpl = fetch;
    this.indexUrl = indexUrl.endsWith('/') ? indexUrl : indexUrl + '/';
    this.pageSize = pageSize;
    this.cache = new Map();
    this.meta = null;
    this.groups = [];
  }

  async load() {
    if (!this.meta) {
      this.meta = this.loading ??= this.get('meta.json', { cache: 'no-cache' }).then((meta) => {
        if (meta.v !== FORMAT) throw new Error(`search index format ${meta.v}, expected ${FORMAT}`);
        return meta;
      });
      this.meta = await this.meta;
      this.groups = (await this.get('synonyms.json')).groups || [];
    }
    return this.meta;
  }

  get(path, init) {
    let p = this.cache.get(path);
    if (!p) {
      // The build id in the URL keeps a cached shard from meeting a newer meta.json.
      const v = this.meta && this.meta.build ? `?v=${this.meta.build}` : '';
      p = Promise.resolve(this.fetchImpl(this.indexUrl + path + v, init)).then((res) => {
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
        return res.json();
      });
      p.catch(() => this.cache.delete(path));
      this.cache.set(path, p);
    }
    return p;
  }

  /** Entries for terms: Map term → {body, title} (absent terms are left out). */
  async entries(terms) {
    const shards = this.meta.shards;
    const wanted = [...new Set(terms)];
    const shardData = await Promise.all(wanted.map((t) => this.get(`t/${termHash(t) % shards}.json`)));
    const values = await Promise.all(wanted.map((t, i) => {
      const v = shardData[i][t];
      if (v === undefined) return null;
      return typeof v === 'number' ? this.get(`t/${termHash(t) % shards}-${v}.json`) : v;
    }));
    const out = new Map();
    wanted.forEach((t, i) => {
      if (values[i] === null) return;
      const [body, title = ''] = values[i].split('~');
      out.set(t, { body, title });
    });
    return out;
  }

  async docsWithFacet(key) {
    const e = (await this.entries([key])).get(key);
    return new Set(e ? decodeBody(e.body).docs : []);
  }

  /** Run a query with filters {type, org, year, status}; returns a ResultSet to page through. */
  async search(query, filters = {}) {
    await this.load();
    const words = parseQuery(query || '', this.groups);
    const facetKeys = [];
    if (filters.org) facetKeys.push('@o:' + filters.org);
    if (filters.year) facetKeys.push('@y:' + filters.year);
    if (filters.status) facetKeys.push('@s:' + filters.status);
    const range = filters.type ? this.meta.types[filters.type] || [0, 0] : null;
    if (!words.length && !facetKeys.length && !range) return new ResultSet(this, words, []);

    const terms = words.flatMap((w) => w.alts.flatMap((a) => a.terms));
    const found = await this.entries([...terms, ...facetKeys]);
    await this.fallBackFromTokens(words, found);

    let matches = null; // Map doc → {score, passages: Map passage → words found there}
    words.forEach((w, wi) => {
      const m = wordMatches(w, found);
      if (!matches) {
        matches = new Map();
        for (const [doc, r] of m) matches.set(doc, { score: r.score, passages: tally(new Map(), r.passages) });
      } else {
        for (const [doc, acc] of matches) {
          const r = m.get(doc);
          if (!r) matches.delete(doc);
          else { acc.score += r.score; tally(acc.passages, r.passages); }
        }
      }
      if (wi === 0 && !matches) matches = new Map();
    });

    let ids = matches ? [...matches.keys()] : null;
    if (range) {
      ids = ids ? ids.filter((d) => d >= range[0] && d < range[1])
        : Array.from({ length: Math.max(0, range[1] - range[0]) }, (_, i) => range[0] + i);
    }
    for (const key of facetKeys) {
      const e = found.get(key);
      const set = new Set(e ? decodeBody(e.body).docs : []);
      ids = ids ? ids.filter((d) => set.has(d)) : [...set];
    }
    const ranked = ids.map((doc) => {
      const m = matches && matches.get(doc);
      return { doc, score: m ? m.score : 0, passage: m ? bestPassage(m.passages) : 0 };
    });
    ranked.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return new ResultSet(this, words, ranked);
  }

  /** An ASCII word not in the index as a whole word (gse, a part of gsef) is looked up as bigrams. */
  async fallBackFromTokens(words, found) {
    const retry = [];
    for (const w of words) {
      const a = w.alts[0];
      if (a.token && !found.has(a.terms[0])) {
        a.token = false;
        a.terms = bigrams(a.text);
        w.patterns[0] = { ...w.patterns[0], token: false };
        retry.push(...a.terms);
      }
    }
    if (retry.length) for (const [t, e] of await this.entries(retry)) found.set(t, e);
  }

  async fragment(doc, passage) {
    return this.get(passage ? `f/${doc}-${passage}.json` : `f/${doc}.json`);
  }
}

function tally(acc, passages) {
  for (const p of passages) acc.set(p, (acc.get(p) || 0) + 1);
  return acc;
}

function bestPassage(passages) {
  let best = 0, bestCount = -1;
  for (const [p, n] of passages) {
    if (n > bestCount || (n === bestCount && p < best)) { best = p; bestCount = n; }
  }
  return best;
}

/** Docs where all terms of an alternative share a passage: Map doc → {score, passages}. */
function wordMatches(word, found) {
  const out = new Map();
  for (const alt of word.alts) {
    const entries = alt.terms.map((t) => found.get(t));
    if (!entries.length || entries.some((e) => !e)) continue;
    const postings = entries.map((e) => decodeBody(e.body)).sort((a, b) => a.docs.length - b.docs.length);
    let cur = new Map();
    const first = postings[0];
    first.docs.forEach((d, i) => cur.set(d * PASSAGE_KEY + first.passages[i], first.weights[i]));
    for (const p of postings.slice(1)) {
      const next = new Map();
      p.docs.forEach((d, i) => {
        const key = d * PASSAGE_KEY + p.passages[i];
        const w = cur.get(key);
        if (w !== undefined) next.set(key, Math.min(w, p.weights[i]));
      });
      cur = next;
    }
    let inTitle = null;
    for (const e of entries) {
      const t = decodeTitle(e.title);
      inTitle = inTitle ? new Set([...inTitle].filter((d) => t.has(d))) : t;
    }
    for (const [key, w] of cur) {
      const doc = Math.floor(key / PASSAGE_KEY);
      const score = w + alt.bonus + (inTitle.has(doc) ? TITLE_BONUS : 0);
      let r = out.get(doc);
      if (!r) out.set(doc, r = { score, passages: new Set() });
      r.score = Math.max(r.score, score);
      r.passages.add(key % PASSAGE_KEY);
    }
  }
  return out;
}

/** Ranked candidates, turned into checked results a page at a time. */
export class ResultSet {
  constructor(engine, words, ranked) {
    this.engine = engine;
    this.words = words;
    this.ranked = ranked;
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
      const frags = await Promise.all(batch.map((c) => this.engine.fragment(c.doc, c.passage)));
      batch.forEach((c, i) => {
        const r = this.result(c, frags[i]);
        if (r) out.push(r);
        else this.dropped++;
      });
    }
    return out;
  }

  result(cand, frag) {
    const words = this.words;
    const title = frag.t;
    const text = frag.x || '';
    if (words.length) {
      // Bigrams of a word can all be in a passage without the word; only then is it dropped.
      const inTitle = cand.passage === 0 ? matchesIn(title, words) : words.map(() => []);
      const inText = matchesIn(text, words);
      const missing = words.some((w, i) => [...w.stem].length <= MAX_VERIFY && !inTitle[i].length && !inText[i].length);
      if (missing && cand.score < TITLE_BONUS) return null;
    }
    return {
      doc: cand.doc,
      url: frag.u,
      title,
      type: frag.k,
      org: frag.o || null,
      year: frag.y ?? null,
      status: frag.s || null,
      score: cand.score,
      titleParts: titleParts(title, words),
      snippet: text ? snippet(text, words) : [],
    };
  }
}
