"""Lighthouse scores of the built site: the home page, a program page and a chart permalink page,
with mobile and desktop emulation.

    python benchmarks/lighthouse.py                          # build into a temp folder, 6 runs
    python benchmarks/lighthouse.py --site /tmp/lh-site      # an existing build
    python benchmarks/lighthouse.py --site /tmp/lh-site --pages chart --repeat 2
    python benchmarks/lighthouse.py --pages /about/ --form-factors mobile

The site is served on 127.0.0.1 by a threaded HTTP server that sends what Netlify would: the
headers netlify.toml gives each path (Cache-Control, CSP …, matched by tests/quality/netlify.py),
gzip (or brotli, if the `brotli` module is installed) for text types, `charset=utf-8` on text
types, and /404.html with status 404 for a missing path. It speaks HTTP/1.1, not HTTP/2 as Netlify
does (Lighthouse's "modern HTTP" insight may notice).

Lighthouse is run with `npx --yes lighthouse@13` (downloaded once into npm's cache, ~/.npm, or
--npm-cache DIR; nothing is added to the repository) against Debian's Chromium (CHROME_PATH). Mobile
is Lighthouse's default (Moto G Power emulation, simulated slow 4G and 4x CPU slowdown); desktop is
`--preset=desktop`. Every run starts a fresh Chromium with an empty profile.

The table shows the four category scores, LCP, TBT, CLS and the total transfer size, and the load
average when the run started (the machine's other work shows in TBT and LCP). For every run with a
category below --threshold (95), the audits that cost it points are listed, at most 3 per category:
for performance, the insights and diagnostics by estimated savings (ms of LCP/FCP/TBT, then bytes),
and which metrics lost how many points; for the other categories, the failing audits by the points
they cost. The JSON reports stay in --reports (a temp folder unless given). Low scores do not make
the exit status non-zero: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable

PROGRAM_PAGE = "/programs/s000-p-2-7-night-market/"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
)
CATEGORIES = (("performance", "perf"), ("accessibility", "a11y"), ("best-practices", "bp"), ("seo", "seo"))


def _load_netlify():
    """tests/quality/netlify.py: netlify.toml's header rules, matched the way Netlify matches them."""
    path = ROOT / "tests" / "quality" / "netlify.py"
    spec = importlib.util.spec_from_file_location("_netlify_rules", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


netlify = _load_netlify()

try:  # optional: Netlify sends brotli to browsers that accept it, gzip otherwise
    import brotli  # type: ignore[import-not-found]
except ImportError:
    brotli = None


# ---- the server ---------------------------------------------------------------------------------

TEXT_TYPES = re.compile(
    r"^(text/|application/(javascript|json|xml|atom\+xml|rss\+xml|manifest\+json)|image/svg\+xml)"
)


class NetlifyHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder with netlify.toml's headers and compresses text types."""

    protocol_version = "HTTP/1.1"
    rules: ClassVar[list] = []
    cache: ClassVar[dict[tuple[str, float, str], bytes]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
        ".csv": "text/csv",
        ".woff2": "font/woff2",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format, *args) -> None:
        pass

    def guess_type(self, path) -> str:
        ctype = super().guess_type(path)
        if TEXT_TYPES.match(ctype) and "charset" not in ctype:
            ctype += "; charset=utf-8"
        return ctype

    def end_headers(self) -> None:
        for name, value in netlify.headers_for(urlsplit(self.path).path, self.rules).items():
            self.send_header(name, value)
        super().end_headers()

    def _file(self) -> Path | None:
        """The file a request names (index.html for a folder with a trailing slash), or None."""
        fs = Path(self.translate_path(self.path))
        if fs.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the base class redirects to the slash
            fs = fs / "index.html"
        return fs if fs.is_file() else None

    def _encoding(self) -> str | None:
        accepted = {p.split(";")[0].strip().lower() for p in self.headers.get("Accept-Encoding", "").split(",")}
        if brotli is not None and "br" in accepted:
            return "br"
        return "gzip" if "gzip" in accepted else None

    def _compressed(self, fs: Path, encoding: str) -> bytes:
        key = (str(fs), fs.stat().st_mtime, encoding)
        with self.lock:
            body = self.cache.get(key)
        if body is None:
            raw = fs.read_bytes()
            body = brotli.compress(raw) if encoding == "br" else gzip.compress(raw, compresslevel=6, mtime=0)
            with self.lock:
                self.cache[key] = body
        return body

    def _send(self, head_only: bool) -> None:
        fs = self._file()
        if fs is None and not Path(self.translate_path(self.path)).is_dir():
            not_found = Path(self.directory) / "404.html"
            if not_found.is_file():
                return self._send_file(not_found, 404, head_only)
        if fs is None:
            return super().do_HEAD() if head_only else super().do_GET()
        return self._send_file(fs, 200, head_only)

    def _send_file(self, fs: Path, status: int, head_only: bool) -> None:
        ctype = self.guess_type(str(fs))
        encoding = self._encoding() if TEXT_TYPES.match(ctype) else None
        body = self._compressed(fs, encoding) if encoding else fs.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if TEXT_TYPES.match(ctype):
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(fs.stat().st_mtime)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(head_only=False)

    def do_HEAD(self) -> None:
        self._send(head_only=True)


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Handler", (NetlifyHandler,), {"rules": netlify.rules(), "cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---- the site -----------------------------------------------------------------------------------

def build(out: Path) -> None:
    print(f"building the site into {out} …", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run([PYTHON, "build.py", "build", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    print(f"built in {time.perf_counter() - t0:.1f}s", file=sys.stderr, flush=True)


def first_chart(site: Path) -> str | None:
    """The first chart permalink the gallery (/charts/) links to."""
    gallery = site / "charts" / "index.html"
    if not gallery.is_file():
        return None
    for href in re.findall(r'href="(/charts/[^"/]+/)"', gallery.read_text(encoding="utf-8")):
        if (site / href.strip("/") / "index.html").is_file():
            return href
    return None


def resolve_pages(site: Path, names: list[str]) -> list[tuple[str, str]]:
    """(label, path) for each of home, program, chart or a literal /path/."""
    out = []
    for name in names:
        if name == "home":
            out.append(("home", "/"))
        elif name == "program":
            out.append(("program", PROGRAM_PAGE))
        elif name == "chart":
            chart = first_chart(site)
            if chart is None:
                print("no chart in /charts/: skipping the chart page", file=sys.stderr)
            else:
                out.append(("chart", chart))
        elif name.startswith("/"):
            out.append((name, name))
        else:
            sys.exit(f"unknown page {name!r}: use home, program, chart or a path starting with /")
    for label, path in out:
        target = site / unquote(path).strip("/")
        if not (target / "index.html").is_file() and not target.is_file():
            print(f"warning: {label} ({path}) is not in {site}", file=sys.stderr)
    return out


# ---- Lighthouse ---------------------------------------------------------------------------------

@dataclass
class Run:
    page: str
    path: str
    form_factor: str
    attempt: int
    load1: float
    seconds: float
    report: dict | None
    error: str | None = None

    def score(self, category: str) -> float | None:
        cat = (self.report or {}).get("categories", {}).get(category)
        return None if cat is None or cat.get("score") is None else cat["score"] * 100

    def numeric(self, audit: str) -> float | None:
        return (self.report or {}).get("audits", {}).get(audit, {}).get("numericValue")


def lighthouse(args: argparse.Namespace, url: str, form_factor: str, out: Path) -> tuple[dict | None, str | None]:
    cmd = ["npx", "--yes", f"lighthouse@{args.lighthouse_version}", url, "--output=json", f"--output-path={out}",
           "--quiet", f"--chrome-flags={args.chrome_flags}"]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": args.chrome}
    if args.npm_cache:
        env["npm_config_cache"] = str(args.npm_cache)
    out.unlink(missing_ok=True)
    try:
        # Run outside the repository so that npx neither reads nor writes its package.json.
        proc = subprocess.run(cmd, cwd=out.parent, env=env, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {args.timeout}s"
    report = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else None
    noise = ("npm warn", "EBADENGINE", "package:", "required:", "current:", "}")
    stderr = "\n".join(ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.strip().startswith(noise))
    if report and report.get("runtimeError"):
        return report, f"{report['runtimeError'].get('code')}: {report['runtimeError'].get('message')}"
    if report is None:
        return None, f"exit {proc.returncode}: {stderr[-1500:]}"
    return report, None


# ---- the report ---------------------------------------------------------------------------------

def _fmt(value: float | None, spec: str, scale: float = 1.0, suffix: str = "") -> str:
    return "–" if value is None else f"{value / scale:{spec}}{suffix}"


def table(runs: list[Run]) -> str:
    head = ["page", "form", "#", "perf", "a11y", "bp", "seo", "LCP", "TBT", "CLS", "transfer", "load1", "time"]
    rows = []
    for r in runs:
        rows.append([
            f"{r.page} {r.path}" if r.page != r.path else r.path, r.form_factor, str(r.attempt),
            *(_fmt(r.score(c), ".0f") for c, _ in CATEGORIES),
            _fmt(r.numeric("largest-contentful-paint"), ".2f", 1000, " s"),
            _fmt(r.numeric("total-blocking-time"), ".0f", 1, " ms"),
            _fmt(r.numeric("cumulative-layout-shift"), ".3f"),
            _fmt(r.numeric("total-byte-weight"), ".1f", 1024, " KiB"),
            f"{r.load1:.2f}", f"{r.seconds:.0f} s",
        ])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    left = {0, 1}

    def line(cells: list[str]) -> str:
        padded = (c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "| " + " | ".join(padded) + " |"

    sep = "|" + "|".join("-" * (w + 2) if i in left else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(head), sep, *(line(row) for row in rows)])


def _perf_savings(audit: dict) -> tuple[float, float, str]:
    """(ms of LCP+FCP+TBT, bytes, text) an insight or diagnostic says could be saved."""
    ms_parts = {k: v for k, v in (audit.get("metricSavings") or {}).items() if k in ("LCP", "FCP", "TBT") and v}
    details = audit.get("details") or {}
    wasted = details.get("overallSavingsBytes") or (details.get("debugData") or {}).get("wastedBytes") or 0
    cls = (audit.get("metricSavings") or {}).get("CLS") or 0
    parts = [f"{k} {v:.0f} ms" for k, v in ms_parts.items()]
    if cls:
        parts.append(f"CLS {cls:.3f}")
    if wasted:
        parts.append(f"{wasted / 1024:.1f} KiB")
    text = ", ".join(parts) or (audit.get("displayValue") or "no estimate")
    return sum(ms_parts.values()) + cls * 10000, wasted, text


def opportunities(report: dict, category: str, top: int) -> list[str]:
    audits, cat = report["audits"], report["categories"][category]
    refs = cat["auditRefs"]
    lines = []
    if category == "performance":
        lost = []
        for ref in refs:
            a = audits[ref["id"]]
            if ref.get("weight") and a.get("score") is not None and a["score"] < 1:
                lost.append((ref["weight"] * (1 - a["score"]), f"{a['title']} {a.get('displayValue', '')}".strip()))
        if lost:
            lines.append("points lost by metric: " + "; ".join(f"{t} −{p:.1f}" for p, t in sorted(lost, reverse=True)))
        cands = []
        for ref in refs:
            a = audits[ref["id"]]
            if ref.get("group") == "metrics" or a.get("scoreDisplayMode") in ("notApplicable", "manual", "error"):
                continue
            if a.get("score") is None or a["score"] >= 0.9:
                continue
            ms, wasted, text = _perf_savings(a)
            if ms or wasted:  # an insight without an estimate (the dependency tree …) is not listed
                cands.append((ms, wasted, f"{ref['id']}: {a['title']} — {text}"))
        cands.sort(key=lambda c: (c[0], c[1]), reverse=True)
        lines += [c[2] for c in cands[:top]]
        if (audits.get("total-blocking-time", {}).get("score") or 1) < 1:
            tasks = ((audits.get("long-tasks") or {}).get("details") or {}).get("items") or []
            tasks = sorted(tasks, key=lambda t: t.get("duration", 0), reverse=True)[:top]
            if tasks:
                origin = urlsplit(report.get("finalDisplayedUrl", ""))
                base = f"{origin.scheme}://{origin.netloc}"
                lines.append("longest main-thread tasks (TBT): " + "; ".join(
                    f"{t.get('duration', 0):.0f} ms {str(t.get('url', '?')).replace(base, '') or '/'}" for t in tasks))
    else:
        total = sum(ref.get("weight", 0) for ref in refs if audits[ref["id"]].get("score") is not None) or 1
        cands = []
        for ref in refs:
            a = audits[ref["id"]]
            if ref.get("weight") and a.get("score") is not None and a["score"] < 1:
                points = 100 * ref["weight"] * (1 - a["score"]) / total
                items = len((a.get("details") or {}).get("items") or [])
                cands.append((points, f"{ref['id']}: {a['title']} — −{points:.1f} points"
                              + (f" ({items} element{'s' if items != 1 else ''})" if items else "")))
        cands.sort(reverse=True)
        lines += [c[1] for c in cands[:top]]
    return lines


def explain(runs: list[Run], threshold: float, top: int) -> str:
    out = []
    for r in runs:
        if r.report is None:
            continue
        low = [(c, s) for c, _ in CATEGORIES if (s := r.score(c)) is not None and s < threshold]
        if not low:
            continue
        out.append(f"\n{r.page} {r.path} — {r.form_factor} #{r.attempt}")
        for category, score in low:
            out.append(f"  {category} {score:.0f}:")
            out += [f"    - {line}" for line in opportunities(r.report, category, top)]
    return "\n".join(out)


# ---- main ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--site", type=Path, help="an existing build to serve (default: build one into --out)")
    ap.add_argument("--out", type=Path, help="where to build the site (default: a temp folder, removed afterwards)")
    ap.add_argument("--pages", nargs="+", default=["home", "program", "chart"],
                    help="home, program, chart (the gallery's first chart) or /paths/ (default: home program chart)")
    ap.add_argument("--form-factors", nargs="+", choices=["mobile", "desktop"], default=["mobile", "desktop"])
    ap.add_argument("--repeat", type=int, default=1, help="runs per page and form factor (default 1)")
    ap.add_argument("--reports", type=Path, help="folder for the JSON reports (default: a temp folder, kept)")
    ap.add_argument("--threshold", type=float, default=95, help="list what costs points below this score (95)")
    ap.add_argument("--top", type=int, default=3, help="audits listed per category below the threshold (3)")
    ap.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    ap.add_argument("--chrome-flags", default=CHROME_FLAGS)
    ap.add_argument("--lighthouse-version", default="13")
    ap.add_argument("--npm-cache", type=Path, help="npm cache for npx (default: npm's own, ~/.npm)")
    ap.add_argument("--timeout", type=int, default=240, help="seconds per Lighthouse run (240)")
    args = ap.parse_args(argv)

    if shutil.which("npx") is None:
        sys.exit("npx is not installed (node and npm are needed)")
    if not Path(args.chrome).is_file():
        sys.exit(f"no Chromium at {args.chrome} (set --chrome or CHROME_PATH)")

    built_here = None
    if args.site:
        site = args.site.resolve()
        if not (site / "index.html").is_file():
            sys.exit(f"{site} has no index.html")
    else:
        site = (args.out or Path(tempfile.mkdtemp(prefix="lh-site-"))).resolve()
        built_here = None if args.out else site
        build(site)
    reports = (args.reports or Path(tempfile.mkdtemp(prefix="lighthouse-reports-"))).resolve()
    reports.mkdir(parents=True, exist_ok=True)

    pages = resolve_pages(site, args.pages)
    server, base = serve(site)
    print(f"serving {site} at {base}; reports in {reports}", file=sys.stderr, flush=True)
    runs: list[Run] = []
    try:
        for attempt in range(1, args.repeat + 1):
            for label, path in pages:
                for form_factor in args.form_factors:
                    slug = re.sub(r"[^a-z0-9]+", "-", f"{label}-{form_factor}-{attempt}".lower()).strip("-")
                    load1 = os.getloadavg()[0]
                    t0 = time.perf_counter()
                    report, error = lighthouse(args, base + path, form_factor, reports / f"{slug}.json")
                    run = Run(label, path, form_factor, attempt, load1, time.perf_counter() - t0, report, error)
                    runs.append(run)
                    scores = " ".join(f"{short} {_fmt(run.score(c), '.0f')}" for c, short in CATEGORIES)
                    print(f"{label} {form_factor} #{attempt}: {scores} ({run.seconds:.0f} s, load {load1:.2f})"
                          + (f" ERROR {error}" if error else ""), file=sys.stderr, flush=True)
    finally:
        server.shutdown()
        server.server_close()
        if built_here is not None:
            shutil.rmtree(built_here, ignore_errors=True)

    version = next((r.report.get("lighthouseVersion") for r in runs if r.report), "?")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nLighthouse {version}, Chromium {args.chrome}, load average now {load}, {os.cpu_count()} CPUs")
    print(table(runs))
    errors = [r for r in runs if r.error]
    for r in errors:
        print(f"error: {r.page} {r.form_factor} #{r.attempt}: {r.error}")
    details = explain(runs, args.threshold, args.top)
    print(f"\nBelow {args.threshold:.0f}:" + details if details else f"\nEvery score is {args.threshold:.0f} or more.")
    print(f"\nJSON reports: {reports}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
