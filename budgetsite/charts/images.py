"""Static SVG and PNG of every chart, drawn at build time by kaleido in Chromium, and cached.

The image of a chart is a pure function of its figure JSON, the image size, plotly.js and this
module, so those are hashed into the cache key: a rebuild draws only the charts whose data or
drawing code changed, and Chromium is started at most once per build (never when all hit).
A chart that cannot be drawn fails the build with the reason; a broken image is never written."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .chart import Chart
from .figures import figure_json, plotly_version

FORMATS = ("svg", "png")
PNG_SCALE = 1.5  # 800 px layout → 1200 px wide PNG: sharp on phones, the usual og:image width
TIMEOUT = 90  # seconds for one image; a hung Chromium must not hang the build
TABS = 2  # Chromium tabs drawing in parallel (the build machines have two cores)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# plotly.js names clip paths and defs with a random 6-hex id per drawing (clip1a2b3cxy,
# defs-1a2b3c); it is replaced by one derived from the image's cache key, so the SVG is
# byte-identical from build to build.
_UID = re.compile(rb'id="defs-([0-9a-f]{6})"')


class ChartImageError(RuntimeError):
    """The images could not be drawn; the message says what to install or fix."""


@dataclass(frozen=True)
class Job:
    chart_id: str
    fmt: str
    figure: str  # figure JSON
    width: int
    height: int
    key: str  # cache key: hash of everything the image depends on

    @property
    def opts(self) -> dict:
        return {"format": self.fmt, "width": self.width, "height": self.height,
                "scale": PNG_SCALE if self.fmt == "png" else 1}


def _code_version() -> str:
    versions = [plotly_version(), importlib.metadata.version("kaleido"), Path(__file__).read_text(encoding="utf-8")]
    return hashlib.sha256("\n".join(versions).encode("utf-8")).hexdigest()


def jobs_for(charts: list[Chart]) -> list[Job]:
    code = _code_version()
    jobs = []
    for chart in charts:
        fig = figure_json(chart.figure)
        for fmt in FORMATS:
            key = hashlib.sha256("\n".join([code, fmt, str(chart.width), str(chart.height), fig]).encode()).hexdigest()
            jobs.append(Job(chart.id, fmt, fig, chart.width, chart.height, key))
    return jobs


def render_images(charts: list[Chart], cache_dir: Path) -> dict[tuple[str, str], bytes]:
    """(chart id, "svg"|"png") → image bytes, from the cache or drawn now."""
    jobs = jobs_for(charts)
    out: dict[tuple[str, str], bytes] = {}
    missing = []
    for job in jobs:
        cached = cache_dir / f"{job.key}.{job.fmt}"
        if cached.exists():
            out[(job.chart_id, job.fmt)] = cached.read_bytes()
        else:
            missing.append(job)
    if missing:
        drawn = _draw(missing)
        cache_dir.mkdir(parents=True, exist_ok=True)
        for job, data in zip(missing, drawn, strict=True):
            data = _finish(job, data)
            _write_atomic(cache_dir / f"{job.key}.{job.fmt}", data)
            out[(job.chart_id, job.fmt)] = data
    return out


def _finish(job: Job, data: bytes) -> bytes:
    """Check what Chromium returned and make it deterministic; anything odd stops the build."""
    if job.fmt == "png":
        if not data.startswith(PNG_MAGIC) or len(data) < 1000:
            raise ChartImageError(f"chart {job.chart_id}: kaleido returned no PNG ({len(data)} bytes)")
        return data
    if not data.lstrip().startswith(b"<svg") or not data.rstrip().endswith(b"</svg>"):
        raise ChartImageError(f"chart {job.chart_id}: kaleido returned no SVG ({data[:60]!r})")
    match = _UID.search(data)
    if match:
        uid = match.group(1)
        data = re.sub(rb"(?<=[A-Za-z-])" + uid + rb"(?![0-9a-f])", job.key[:6].encode(), data)
    return data


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # two builds may share the cache
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _check_fonts() -> None:
    """Without a Korean font Chromium draws every label as boxes: fail before drawing them."""
    if shutil.which("fc-list") is None:
        return  # no fontconfig to ask; Chromium will still use whatever it finds
    found = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False).stdout
    if not found.strip():
        raise ChartImageError("no Korean font is installed, so chart labels would be drawn as boxes. "
                              "Install one (Debian: apt-get install fonts-nanum) and build again.")


def _draw(jobs: list[Job]) -> list[bytes]:
    _check_fonts()
    try:
        # A thread of its own: the build may run inside an event loop (the livereload server).
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _draw_all(jobs)).result()
    except ChartImageError:
        raise
    except Exception as exc:  # every kaleido/Chromium failure gets the same advice
        raise ChartImageError(
            f"could not draw {len(jobs)} chart images with kaleido ({type(exc).__name__}: {exc}). "
            "The build draws them in Chromium: install it (Debian: apt-get install chromium) or point "
            "BROWSER_PATH at a Chrome/Chromium binary, and install Korean fonts (apt-get install fonts-nanum)."
        ) from exc


async def _draw_all(jobs: list[Job]) -> list[bytes]:
    import json

    import kaleido

    # mathjax=False: kaleido would otherwise fetch MathJax from a CDN for every image.
    async with kaleido.Kaleido(n=TABS, timeout=TIMEOUT, mathjax=False) as k:
        tasks = [k.calc_fig(json.loads(job.figure), opts=job.opts) for job in jobs]
        return list(await asyncio.gather(*tasks))
