"""Search benchmark: what a first query downloads and how fast a query answers, in headless Chromium.

    python benchmarks/search_bench.py                 # the bundled site and 50,000 records (2 to 3 minutes)
    python benchmarks/search_bench.py --size real     # one size: real, or a record count (repeatable)
    python benchmarks/search_bench.py --node          # the older node run over synthetic docs (2,000 and 50,000)

Sites. *real*: the bundled data built with `build.py build` into a temporary folder. *N records*:
a project of N records written by benchmarks/generate.py (real report text, the real shape of a
large city's portal), loaded and modelled by the build's own stages, its search docs (records,
charts, content pages) indexed by budgetsite.search.build_index, and the index put under /search/
next to the real site's /search/ page and /assets/: the page and the JavaScript are the real ones.
Each site is served on 127.0.0.1 by a threaded HTTP server that sends the site's CSP (script-src
'self', as netlify.toml), and opened in Debian's Chromium driven by Playwright.

Per query (the 34 of tests/test_search_browser.py and those of QUERIES below):

- a fresh browser context (empty cache) opens /search/?q=…; *cold ms* is the time from the start of
  the navigation to the results on the page (search.js makes a `search-rendered` performance mark
  once #search-results and the status are filled); *index KB* the bodies of every file the page
  fetched under /search/ (meta.json, synonyms.json, term shards, large postings, fragments),
  from Resource Timing, and *gzip KB* the same files gzipped (level 6) as a static host sends them;
  the page's own HTML, JS and CSS are listed once per size;
- *warm ms*: the same query submitted again in that page (shards, postings and fragments loaded),
  from requestSubmit() (what Enter does) to the mark, median of 5 (typing waits 300 ms before it
  submits: not counted);
- *⌫ ms* / *⌫ KB*: the query with its last character deleted, a query sharing the shards; it may
  fetch a few new files (fragments of other results, a shard of a new term), counted in ⌫ KB (gzip).

"results" is the count the page announces. Goals (issue #5): a first query downloads at most 50 KB
(gzip) on the real data and 150 KB at 50,000 records; a query answers in under 50 ms once its shards
are loaded. The machine is printed first (CPU count and model, load average); the network is
loopback, so cold times count no network latency.

--node: the index of synthetic docs (random lines of the reports) queried by search-core.js in node
(tests/js/run_search_core.mjs), which counts the bytes of every file a query reads, with cold
(a new engine) and warm (median of 10) times of the engine alone, without a page.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine  # noqa: E402  (benchmarks/machine.py: this folder is sys.path[0])

from budgetsite.derive.search.index import STATUSES, SearchDoc, build_index  # noqa: E402

RUNNER = ROOT / "tests" / "js" / "run_search_core.mjs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
GOAL_REAL_KB, GOAL_LARGE_KB, GOAL_WARM_MS = 50, 150, 50
WARM_RUNS = 5
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("노동자", {}),
    ("노동자를", {}),
    ("청소노동자", {}),
    ("야시장", {}),
    ("프리랜서", {}),
    ("직장 내 괴롭힘", {}),
    ("융자", {}),
    ("GSEF", {}),
    ("2020", {}),
    ("제로페이", {}),
    ("사회적경제 기업", {}),
    ("소상공인 지원", {}),
    ("서울", {}),
    ("시", {}),
    ("노동자", {"type": "audit"}),
    ("", {"status": "미반영"}),
]
TYPES = [("program", 30), ("budget", 25), ("audit", 20), ("indicator", 6), ("facility", 5), ("contract", 4),
         ("org", 3), ("chart", 3), ("source", 1), ("note", 2), ("page", 1)]
TAG = re.compile(r"<[^>]+>")
HANGUL = re.compile(r"[가-힣]")


def browser_queries() -> list[tuple[str, dict[str, str]]]:
    """The queries of the browser test (records citizens look for), then ours; no repeats."""
    from tests.test_search_browser import QUERIES as TESTED
    out = [(q, {}) for q in TESTED]
    out += [("제로페이", {"type": "audit"}), ("제로페이", {"type": "audit", "status": "검토 중"}),
            ("", {"status": "추진 중"})]
    out += [q for q in QUERIES if q not in out]
    return out


def label(q: str, filters: dict[str, str]) -> str:
    return " ".join([q, *(f"{k}={v}" for k, v in filters.items())]).strip()


def pad(text: str, width: int) -> str:
    """Left-aligned in `width` terminal columns: Hangul takes two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


# ---- sites ---------------------------------------------------------------------------------------

def real_site(work: Path) -> Path:
    out = work / "real"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--out", str(out)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"real: built the bundled site in {time.perf_counter() - t0:.1f} s", flush=True)
    return out


def generated_site(records: int, work: Path, real: Path) -> Path:
    """A project of `records` records from generate.py, indexed, under a copy of the real search page."""
    from budgetsite import pipeline
    from budgetsite.config import load_config
    from budgetsite.derive import charts
    from budgetsite.derive.search.documents import search_docs

    project = work / f"project-{records}"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--records", str(records),
                    "--out", str(project)], check=True, stdout=subprocess.DEVNULL)
    t1 = time.perf_counter()
    config = load_config(project)
    checked = pipeline.check(config)
    assert checked.site is not None and checked.corrector is not None, checked.problems.errors[:5]
    docs = search_docs(checked.site, checked.corrector, checked.content, charts.build_charts(checked.site, config))
    del checked
    t2 = time.perf_counter()
    files = build_index(docs)
    t3 = time.perf_counter()
    site = work / f"site-{records}"
    shutil.copytree(real / "assets", site / "assets")
    (site / "search").mkdir(parents=True)
    shutil.copy2(real / "search" / "index.html", site / "search" / "index.html")
    for name, data in files.items():
        path = site / "search" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"{records:,}: generated in {t1 - t0:.0f} s, modelled in {t2 - t1:.0f} s, "
          f"{len(docs):,} docs indexed in {t3 - t2:.0f} s", flush=True)
    return site


def index_summary(site: Path) -> str:
    folder = site / "search"
    meta = json.loads((folder / "meta.json").read_bytes())
    sizes = {p.relative_to(folder).as_posix(): p.stat().st_size for p in folder.rglob("*.json")}
    shards = [s for k, s in sizes.items() if k.startswith("t/") and "-" not in k]
    large = [s for k, s in sizes.items() if k.startswith("t/") and "-" in k]
    frags = [s for k, s in sizes.items() if k.startswith("f/")]
    return (f"index: {meta['docs']:,} docs, {len(sizes):,} files, {sum(sizes.values()) / 1e6:.1f} MB; "
            f"meta.json {sizes['meta.json'] / 1024:.1f} KB; {meta['shards']} term shards (median "
            f"{statistics.median(shards) / 1024:.1f} KB, max {max(shards) / 1024:.1f} KB); {len(large):,} large "
            f"postings (max {max(large, default=0) / 1024:.1f} KB); {len(frags):,} fragments "
            f"(median {statistics.median(frags) / 1024:.1f} KB)")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "public, max-age=0, must-revalidate")
        super().end_headers()


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# ---- the browser ---------------------------------------------------------------------------------

# After the page's first results: what it fetched (Resource Timing) and when the results came.
COLD_JS = """() => {
  const mark = performance.getEntriesByName("search-rendered")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    ms: mark.startTime, total: mark.detail.total,
    shown: document.querySelectorAll("#search-results > li").length,
    fetched: [[nav.name, nav.encodedBodySize],
              ...performance.getEntriesByType("resource").map((r) => [r.name, r.encodedBodySize])],
  };
}"""

# The query typed into the page's search box and submitted; resolves at the next `search-rendered`.
RUN_JS = """async (q) => {
  const form = document.getElementById("search-form");
  let t0 = Infinity;
  const done = new Promise((resolve, reject) => {
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === "search-rendered" && e.startTime >= t0) { obs.disconnect(); resolve(e); }
      }
    });
    obs.observe({ type: "mark" });
    setTimeout(() => reject(new Error("no results after 30 s")), 30000);
  });
  document.getElementById("search-q").value = q;
  t0 = performance.now();
  form.requestSubmit();
  const mark = await done;
  return {
    ms: mark.startTime - t0, total: mark.detail.total,
    fetched: performance.getEntriesByType("resource").filter((r) => r.startTime >= t0)
      .map((r) => [r.name, r.encodedBodySize]),
  };
}"""


@dataclass
class Row:
    label: str
    results: int = 0
    files: int = 0
    raw: int = 0  # bytes of index files, first query
    gz: int = 0
    cold_ms: float = 0.0
    warm_ms: list[float] = field(default_factory=list)
    back_ms: float | None = None
    back_gz: int = 0
    page: dict[str, tuple[int, int]] = field(default_factory=dict)  # page's own files: path → (raw, gzip)


class Sizes:
    """Body and gzip size of a served file, from the folder the server serves."""

    def __init__(self, site: Path):
        self.site = site
        self.known: dict[str, tuple[int, int]] = {}

    def __call__(self, url: str, reported: int) -> tuple[str, int, int]:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        if path not in self.known:
            file = self.site / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            data = file.read_bytes()
            self.known[path] = (len(data), len(gzip.compress(data, 6, mtime=0)))
        raw, gz = self.known[path]
        if reported != raw:
            raise AssertionError(f"{path}: the browser received {reported:,} B, the file has {raw:,} B")
        return path, raw, gz


def is_index(path: str) -> bool:
    return path.startswith("/search/") and path.endswith(".json")


def measure(browser, url: str, site: Path, queries: list[tuple[str, dict[str, str]]]) -> list[Row]:
    sizes = Sizes(site)
    rows = []
    for q, filters in queries:
        row = Row(label(q, filters))
        context = browser.new_context(locale="ko-KR")
        context.add_init_script("performance.setResourceTimingBufferSize(100000)")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        params = urllib.parse.urlencode({"q": q, **filters}) if q else urllib.parse.urlencode(filters)
        page.goto(f"{url}/search/?{params}", wait_until="commit")
        page.wait_for_function("() => performance.getEntriesByName('search-rendered').length > 0", timeout=60000)
        cold = page.evaluate(COLD_JS)
        row.results, row.cold_ms = cold["total"], cold["ms"]
        for name, reported in cold["fetched"]:
            path, raw, gz = sizes(name, reported)
            if is_index(path):
                row.files += 1
                row.raw += raw
                row.gz += gz
            else:
                row.page[path] = (raw, gz)
        for _ in range(WARM_RUNS):
            warm = page.evaluate(RUN_JS, q)
            fetched = [name for name, n in warm["fetched"] if is_index(sizes(name, n)[0])]
            assert warm["total"] == row.results and not fetched, (row.label, warm)
            row.warm_ms.append(warm["ms"])
        shorter = q[:-1].rstrip()
        if shorter:
            back = page.evaluate(RUN_JS, shorter)
            row.back_ms = back["ms"]
            # (Chromium fetches the favicon again when the address changes: not counted)
            row.back_gz = sum(gz for path, _, gz in (sizes(name, n) for name, n in back["fetched"]) if is_index(path))
        if errors:
            raise AssertionError(f"{row.label}: errors on the page: {errors}")
        context.close()
        rows.append(row)
    return rows


def _kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def report(rows: list[Row]) -> dict[str, float]:
    page = rows[0].page
    kinds: dict[str, list[int]] = {}
    for path, (raw, gz) in page.items():
        kind = "HTML" if path.endswith("/") or path.endswith(".html") else path.rsplit(".", 1)[-1].upper()
        kinds.setdefault(kind, [0, 0])
        kinds[kind][0] += raw
        kinds[kind][1] += gz
    print(f"the page itself ({len(page)} files, the same for every query): "
          + ", ".join(f"{k} {_kb(r)} KB ({_kb(g)} gzip)" for k, (r, g) in sorted(kinds.items())))
    print(f"{'query':<26} {'results':>7} {'files':>5} {'index KB':>8} {'gzip KB':>7} {'cold ms':>7} "
          f"{'warm ms':>7} {'⌫ ms':>6} {'⌫ KB':>5}")
    for r in rows:
        back = "-" if r.back_ms is None else f"{r.back_ms:.1f}"
        print(f"{pad(r.label, 26)} {r.results:>7,} {r.files:>5} {_kb(r.raw):>8} {_kb(r.gz):>7} {r.cold_ms:>7.0f} "
              f"{statistics.median(r.warm_ms):>7.1f} {back:>6} {_kb(r.back_gz):>5}")
    cols = {
        "files": [r.files for r in rows], "raw": [r.raw / 1024 for r in rows], "gz": [r.gz / 1024 for r in rows],
        "cold": [r.cold_ms for r in rows], "warm": [statistics.median(r.warm_ms) for r in rows],
        "back": [r.back_ms for r in rows if r.back_ms is not None], "back_gz": [r.back_gz / 1024 for r in rows],
    }
    for what, fn in (("median", statistics.median), ("max", max)):
        c = {k: fn(v) for k, v in cols.items()}
        print(f"{what:<26} {'':>7} {c['files']:>5.0f} {c['raw']:>8.1f} {c['gz']:>7.1f} {c['cold']:>7.0f} "
              f"{c['warm']:>7.1f} {c['back']:>6.1f} {c['back_gz']:>5.1f}")
    worst = max(ms for r in rows for ms in r.warm_ms)
    print(f"slowest single warm run of {len(rows) * WARM_RUNS}: {worst:.1f} ms")
    return {"gz": max(cols["gz"]), "warm": max(cols["warm"]), "worst": worst, "back": max(cols["back"])}


def browser_bench(sizes: list[str], keep: bool) -> None:
    from playwright.sync_api import sync_playwright

    print(f"machine: {machine()}", flush=True)
    queries = browser_queries()
    work = Path(tempfile.mkdtemp(prefix="search-bench-"))
    try:
        real = real_site(work)
        sites = {s: real if s == "real" else generated_site(int(s), work, real) for s in sizes}
        summary = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"browser: Chromium {browser.version}; {len(queries)} queries", flush=True)
            for size, site in sites.items():
                name = "real data" if size == "real" else f"{int(size):,} records"
                print(f"\n## {name}\n{index_summary(site)}", flush=True)
                with serve(site) as url:
                    t0 = time.perf_counter()
                    rows = measure(browser, url, site, queries)
                    took = time.perf_counter() - t0
                stats = report(rows)
                print(f"({took:.0f} s; load average now {os.getloadavg()[0]:.2f})")
                goal = GOAL_REAL_KB if size == "real" else GOAL_LARGE_KB
                summary.append((name, stats, goal))
            browser.close()
        print()
        parts = []
        ok = True
        for name, stats, goal in summary:
            met = stats["gz"] <= goal and stats["warm"] < GOAL_WARM_MS
            ok &= met
            parts.append(f"{name}: first query ≤ {stats['gz']:.1f} KB gzip (goal {goal} KB), warm ≤ "
                         f"{stats['warm']:.1f} ms (slowest run {stats['worst']:.1f}, goal {GOAL_WARM_MS} ms)"
                         f" {'ok' if met else 'MISSED'}")
        print("summary: " + "; ".join(parts))
        print(f"goals {'met' if ok else 'MISSED'}")
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# ---- node: the engine alone, over synthetic docs ------------------------------------------------

def seed_lines() -> list[str]:
    folder = ROOT / "reports"
    if not any(folder.glob("*.txt")):
        folder = Path("/work/shared/seeds")
    lines = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = " ".join(TAG.sub(" ", line).split())
            if len(HANGUL.findall(line)) >= 5:
                lines.append(line)
    return lines


def synthetic_docs(n: int, lines: list[str], seed: int = 7) -> list[SearchDoc]:
    rnd = random.Random(seed)
    words = sorted({w for line in lines for w in line.split() if 2 <= len(w) <= 10 and HANGUL.search(w)})
    orgs = sorted({w for w in words if w.endswith(("담당관", "과", "팀", "센터", "재단"))})[:60]
    types = [t for t, _ in TYPES]
    weights = [w for _, w in TYPES]
    docs = []
    for i in range(n):
        kind = rnd.choices(types, weights)[0]
        length = min(8000, int(rnd.lognormvariate(6.2, 0.8)))  # median about 500 characters
        text: list[str] = []
        while sum(map(len, text)) < length:
            text.append(rnd.choice(lines))
        title = " ".join(rnd.sample(words, rnd.randint(2, 5)))
        docs.append(SearchDoc(
            url=f"{kind}s/doc-{i:06d}/", type=kind, title=title, text="\n".join(text),
            org=rnd.choice(orgs), year=rnd.randint(2018, 2024),
            status=rnd.choice(STATUSES) if kind == "audit" else None))
    return docs


def run_node(index: Path, ops: list[dict]) -> list[dict]:
    command = ["node", "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", str(RUNNER)]
    proc = subprocess.run(command, input=json.dumps({"index": str(index), "ops": ops}),
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def node_bench(n: int, lines: list[str]) -> None:
    docs = synthetic_docs(n, lines)
    chars = sum(len(d.text) for d in docs)
    t0 = time.perf_counter()
    files = build_index(docs)
    build_s = time.perf_counter() - t0
    print(f"\n## {n:,} synthetic docs, {chars / 1e6:.1f} M characters of text; build_index {build_s:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            path = folder / "search" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        print(index_summary(folder))
        index = folder / "search"
        ops = [{"op": "bench", "q": q, "filters": f, "limit": 10, "repeat": 10} for q, f in QUERIES]
        results = run_node(index, ops)
        shown = run_node(index, [{"op": "search", "q": q, "filters": f} for q, f in QUERIES])
    fetched = {name for s in shown for name in s["files"]}
    gz = {name: len(gzip.compress(files[name], 6, mtime=0)) for name in fetched}
    # cold: a new engine's first query, files read from disk; warm: the same query again, files
    # and decoded postings in memory (median of 10)
    print(f"{'query':<22} {'results':>7} {'files':>5} {'first KB':>8} {'gzip KB':>7} {'cold ms':>7} {'warm ms':>7}")
    for (q, f), r, s in zip(QUERIES, results, shown, strict=True):
        gz_bytes = sum(gz[name] for name in s["files"])
        print(f"{pad(label(q, f), 22)} {r['total']:>7,} {r['files']:>5} {r['bytes'] / 1024:>8.1f} "
              f"{gz_bytes / 1024:>7.1f} {r['coldMs']:>7.1f} {r['warmMs']:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append",
                        help="'real' or a record count for generate.py (repeatable); default real and 50000")
    parser.add_argument("--keep", action="store_true", help="keep the built sites (the folder is printed)")
    parser.add_argument("--node", action="store_true", help="the engine alone in node, over synthetic docs")
    parser.add_argument("--docs", type=int, action="append", help="--node: doc count (repeatable); default 2000, 50000")
    args = parser.parse_args()
    if args.node:
        lines = seed_lines()
        for n in args.docs or [2000, 50000]:
            node_bench(n, lines)
        return
    sizes = args.size or ["real", "50000"]
    for s in sizes:
        if s != "real" and not s.isdigit():
            parser.error(f"--size {s}: 'real' or a record count")
    browser_bench(sizes, args.keep)


if __name__ == "__main__":
    main()
