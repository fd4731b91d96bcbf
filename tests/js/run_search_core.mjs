// Runs search-core.js against an index folder written by budgetsite/derive/search/index.py.
// stdin: {"index": dir, "ops": [...]}; stdout: one JSON array with a result per op.
// Ops: terms {text} | parse {q} | strip {word} | hash {term} | search {q, filters, limit, fresh}
//      | bench {q, filters, limit, repeat}: first-query bytes and files, then warm latency.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const core = await import(pathToFileURL(join(here, '../../budgetsite/themes/default/static/js/search-core.js')));

/** A fetch-like loader over a folder that counts what it serves. */
function folderFetch(dir) {
  const served = [];
  const fetchLike = async (url) => {
    const path = url.replace(/^\/search\//, '').replace(/\?.*$/, '');
    let text;
    try {
      text = await readFile(join(dir, path), 'utf8');
    } catch {
      return { ok: false, status: 404, json: async () => { throw new Error('404'); } };
    }
    served.push([path, Buffer.byteLength(text)]);
    return { ok: true, status: 200, json: async () => JSON.parse(text) };
  };
  return { fetchLike, served };
}

function engineFor(dir, limit) {
  const f = folderFetch(dir);
  return { engine: new core.SearchEngine({ fetch: f.fetchLike, indexUrl: '/search/', pageSize: limit }), served: f.served };
}

async function firstPage(engine, op) {
  const rs = await engine.search(op.q || '', op.filters || {});
  const results = await rs.more(op.limit || 10);
  return { rs, results };
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
let shared = null;
for (const op of input.ops) {
  if (op.op === 'terms') out.push(core.indexTerms(op.text));
  else if (op.op === 'parse') out.push(core.parseQuery(op.q).map((w) => ({ full: w.full, stem: w.stem, terms: w.alts[0].terms })));
  else if (op.op === 'strip') out.push(core.stripParticles(op.word));
  else if (op.op === 'hash') out.push(core.termHash(op.term));
  else if (op.op === 'search') {
    if (op.fresh !== false || !shared) shared = engineFor(input.index, op.limit || 10);
    const before = shared.served.length;
    const { rs, results } = await firstPage(shared.engine, op);
    const files = shared.served.slice(before);
    out.push({
      total: rs.total,
      results: results.map(({ doc, score, url, title, type, org, year, status, titleParts, snippet }) =>
        ({ doc, score, url, title, type, org, year, status, titleParts, snippet })),
      files: files.map((f) => f[0]),
      bytes: files.reduce((n, f) => n + f[1], 0),
    });
  } else if (op.op === 'bench') {
    const { engine, served } = engineFor(input.index, op.limit || 10);
    const t0 = performance.now();
    const { rs } = await firstPage(engine, op);
    const coldMs = performance.now() - t0;
    const times = [];
    for (let i = 0; i < (op.repeat || 20); i++) {
      const t = performance.now();
      await firstPage(engine, op);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({
      q: op.q, total: rs.total, files: served.length,
      bytes: served.reduce((n, f) => n + f[1], 0),
      coldMs, warmMs: times[Math.floor(times.length / 2)],
    });
  } else throw new Error(`unknown op ${op.op}`);
}
process.stdout.write(JSON.stringify(out));
