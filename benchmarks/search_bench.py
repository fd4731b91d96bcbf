"""Search index benchmark: bytes a first query downloads and query latency, at 2,000 and 50,000 docs.

    python benchmarks/search_bench.py              # N = 2000 and 50000
    python benchmarks/search_bench.py --docs 2000  # one size

Docs are synthetic but made of real text: random lines of the Korean municipal work reports
(reports/*.txt, else /work/shared/seeds). All docs draw on the same few thousand lines, so a
bigram is in more docs than it would be in 50,000 distinct real pages: postings here are
pessimistic. The index is written to a temporary folder and queried by search-core.js in node
(tests/js/run_search_core.mjs), which counts the bytes of every file a query fetches: meta.json,
synonyms.json, term shards, large postings and the fragments of the first 10 results, with the
gzip size a static host would send. "results" is the count the page announces.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetsite.search import STATUSES, SearchDoc, build_index  # noqa: E402

RUNNER = ROOT / "tests" / "js" / "run_search_core.mjs"
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


def bench(n: int, lines: list[str]) -> None:
    docs = synthetic_docs(n, lines)
    chars = sum(len(d.text) for d in docs)
    t0 = time.perf_counter()
    files = build_index(docs)
    build_s = time.perf_counter() - t0
    sizes = {k: len(v) for k, v in files.items()}
    shard_sizes = [s for k, s in sizes.items() if k.startswith("t/") and "-" not in k]
    big_sizes = [s for k, s in sizes.items() if k.startswith("t/") and "-" in k]
    frag_sizes = [s for k, s in sizes.items() if k.startswith("f/")]
    meta = json.loads(files["meta.json"])
    print(f"\n## {n:,} docs, {chars / 1e6:.1f} M characters of text; build_index {build_s:.1f} s")
    print(f"files {len(files):,}, total {sum(sizes.values()) / 1e6:.1f} MB; meta.json {sizes['meta.json']:,} B; "
          f"{meta['shards']} term shards (median {statistics.median(shard_sizes):,.0f} B, "
          f"max {max(shard_sizes):,} B); {len(big_sizes):,} large postings (max {max(big_sizes, default=0):,} B); "
          f"{len(frag_sizes):,} fragments (median {statistics.median(frag_sizes):,.0f} B)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        ops = [{"op": "bench", "q": q, "filters": f, "limit": 10, "repeat": 10} for q, f in QUERIES]
        results = run_node(folder, ops)
        shown = run_node(folder, [{"op": "search", "q": q, "filters": f} for q, f in QUERIES])
    fetched = {name for s in shown for name in s["files"]}
    gz = {name: len(gzip.compress(files[name], 6, mtime=0)) for name in fetched}
    # cold: a new engine's first query, files read from disk; warm: the same query again, files
    # and decoded postings in memory (median of 10)
    print(f"{'query':<22} {'results':>7} {'files':>5} {'first KB':>8} {'gzip KB':>7} {'cold ms':>7} {'warm ms':>7}")
    for (q, f), r, s in zip(QUERIES, results, shown, strict=True):
        label = q + ("" if not f else " " + " ".join(f"{k}={v}" for k, v in f.items()))
        gz_bytes = sum(gz[name] for name in s["files"])
        print(f"{label:<22} {r['total']:>7,} {r['files']:>5} {r['bytes'] / 1024:>8.1f} {gz_bytes / 1024:>7.1f} "
              f"{r['coldMs']:>7.1f} {r['warmMs']:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="doc count (repeatable); default 2000 and 50000")
    args = parser.parse_args()
    lines = seed_lines()
    for n in args.docs or [2000, 50000]:
        bench(n, lines)


if __name__ == "__main__":
    main()
