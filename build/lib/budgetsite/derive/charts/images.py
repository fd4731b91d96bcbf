"""Static SVG and PNG of every chart, drawn at build time by kaleido in Chromium, and cached.

The image of a chart is a pure function of its figure JSON, the image size, plotly.js, this
module and the chart font, so those are hashed into the cache key: a rebuild draws only the
charts whose data, drawing code or font changed, and Chromium is started at most once per build
(never when all hit). A chart that cannot be drawn fails the build with the reason; a broken
image is never written.

The font is the theme's own (themes/default/fonts/, an OFL Korean font), never whatever the
machine has installed: the Chromium kaleido starts gets a fontconfig file of ours
(FONTCONFIG_FILE) that adds the theme's fonts folder to the machine's configuration, makes the
theme's copy the only font of its family and fixes how it is rasterised. So a machine without
any Korean font (Netlify's build image) draws the same pixels as a Debian one with fonts-nanum;
tests/test_charts.py checks it with a fontconfig that sees nothing but the theme's folder."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .chart import Chart
from .figures import CHART_FONT, figure_json, plotly_version

FORMATS = ("svg", "png")
PNG_SCALE = 1.5  # 800 px layout → 1200 px wide PNG: sharp on phones, the usual og:image width
TIMEOUT = 90  # seconds for one image; a hung Chromium must not hang the build
TABS = 2  # Chromium tabs drawing in parallel (the build machines have two cores)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# plotly.js names clip paths and defs with a random 6-hex id per drawing (clip1a2b3cxy,
# defs-1a2b3c); it is replaced by one derived from the image's cache key, so the SVG is
# byte-identical from build to build.
_UID = re.compile(rb'id="defs-([0-9a-f]{6})"')
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"


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


def fonts_dir(theme_dirs: list[Path]) -> Path:
    """The chart font folder: `fonts/` of the first theme that has one (a site theme may bring
    its own copy; the family must stay the one figures.CHART_FONT names). When none has one,
    the default theme's path, which _check_fonts reports as missing."""
    for theme in theme_dirs:
        if (theme / "fonts").is_dir():
            return theme / "fonts"
    return (theme_dirs[-1] if theme_dirs else Path("themes", "default")) / "fonts"


def font_files(fonts: Path) -> list[Path]:
    return sorted(p for p in fonts.iterdir() if p.suffix.lower() in FONT_SUFFIXES) if fonts.is_dir() else []


def _fonts_version(fonts: Path) -> str:
    """Hash of the font files' names and bytes: another font (or version) draws every image anew."""
    digest = hashlib.sha256()
    for path in font_files(fonts):
        digest.update(path.name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def jobs_for(charts: list[Chart], fonts: Path) -> list[Job]:
    code = hashlib.sha256(f"{_code_version()}\n{_fonts_version(fonts)}".encode()).hexdigest()
    jobs = []
    for chart in charts:
        fig = figure_json(chart.figure)
        for fmt in FORMATS:
            key = hashlib.sha256("\n".join([code, fmt, str(chart.width), str(chart.height), fig]).encode()).hexdigest()
            jobs.append(Job(chart.id, fmt, fig, chart.width, chart.height, key))
    return jobs


def render_images(charts: list[Chart], cache_dir: Path, fonts: Path) -> dict[tuple[str, str], bytes]:
    """(chart id, "svg"|"png") → image bytes, from the cache or drawn now with the fonts in `fonts`."""
    jobs = jobs_for(charts, fonts)
    out: dict[tuple[str, str], bytes] = {}
    missing = []
    for job in jobs:
        cached = cache_dir / f"{job.key}.{job.fmt}"
        if cached.exists():
            out[(job.chart_id, job.fmt)] = cached.read_bytes()
        else:
            missing.append(job)
    if missing:
        drawn = _draw(missing, fonts)
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


def fontconfig_file(fonts: Path, workdir: Path) -> Path:
    """A fontconfig file for the drawing Chromium: the machine's own configuration (FONTCONFIG_FILE
    if set, else /etc/fonts/fonts.conf, skipped when missing), plus the theme's fonts folder, with
    every other font of the chart family rejected so that the theme's copy is the one drawn."""
    base = os.environ.get("FONTCONFIG_FILE") or SYSTEM_FONTCONFIG
    cache = workdir / "fontconfig-cache"
    cache.mkdir(parents=True, exist_ok=True)
    # <rejectfont> drops every font of the chart family (a system NanumSquare of another version
    # would otherwise compete); <acceptfont> keeps the theme's files. An accept rule only overrides
    # a reject rule of its own kind (glob or pattern), so the files are accepted by pattern too.
    accept = "".join(f'\n    <acceptfont><pattern><patelt name="file"><string>{escape(str(f.resolve()))}</string>'
                     "</patelt></pattern></acceptfont>" for f in font_files(fonts))
    conf = f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by budgetsite/charts/images.py for the Chromium that draws the chart images. -->
<fontconfig>
  <dir>{escape(str(fonts.resolve()))}</dir>
  <include ignore_missing="yes">{escape(base)}</include>
  <cachedir>{escape(str(cache))}</cachedir>
  <selectfont>{accept}
    <rejectfont><pattern><patelt name="family"><string>{escape(CHART_FONT)}</string></patelt></pattern></rejectfont>
  </selectfont>
  <!-- How glyphs are rasterised comes from fontconfig too (Debian's conf.d sets slight hinting,
       another system full or none, which moves every label): fixed here for the chart font. -->
  <match target="font">
    <test name="family"><string>{escape(CHART_FONT)}</string></test>
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>
    <edit name="autohint" mode="assign"><bool>false</bool></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="lcdfilter" mode="assign"><const>lcddefault</const></edit>
    <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
"""
    path = workdir / "fonts.conf"
    path.write_text(conf, encoding="utf-8")
    return path


def _check_fonts(fonts: Path, config: Path) -> None:
    """Without the chart font Chromium draws every Korean label as boxes: fail before drawing."""
    files = font_files(fonts)
    if not files:
        raise ChartImageError(f"the chart font is missing: no font file in {fonts} (the theme's fonts/ folder, "
                              f"with the {CHART_FONT} font; see themes/default/fonts/OFL.txt).")
    if shutil.which("fc-match") is None:
        return  # no fontconfig tools to ask; Chromium reads the same configuration
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    proc = subprocess.run(["fc-match", "--format=%{file}", CHART_FONT], capture_output=True, text=True,
                          check=False, env=env, timeout=120)
    if str(config) in proc.stderr:  # "Fontconfig error: "<our file>", line …"
        raise ChartImageError(f"fontconfig rejects the chart font configuration: {proc.stderr.strip()}")
    found = proc.stdout.strip()
    if not found or Path(found).resolve() not in {f.resolve() for f in files}:
        raise ChartImageError(f"fontconfig does not find the chart font {CHART_FONT} in {fonts} "
                              f"(it matched {found or 'nothing'!r}); chart labels would be drawn in another font.")


def _draw(jobs: list[Job], fonts: Path) -> list[bytes]:
    with tempfile.TemporaryDirectory(prefix="budgetsite-fonts-") as tmp:
        config = fontconfig_file(fonts, Path(tmp))
        _check_fonts(fonts, config)
        try:
            # A thread of its own: the build may run inside an event loop (the livereload server).
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(asyncio.run, _draw_all(jobs, config)).result()
        except ChartImageError:
            raise
        except Exception as exc:  # every kaleido/Chromium failure gets the same advice
            raise ChartImageError(
                f"could not draw {len(jobs)} chart images with kaleido ({type(exc).__name__}: {exc}). "
                "The build draws them in Chromium: install it (Debian: apt-get install chromium), point "
                "BROWSER_PATH at a Chrome/Chromium binary, or download one with kaleido_get_chrome "
                "(scripts/netlify-build does)."
            ) from exc


def _browser_with_fonts(config: Path) -> type:
    """choreographer's Chromium, started with FONTCONFIG_FILE pointing at our configuration
    (choreographer passes os.environ to the browser; this changes only that process's copy)."""
    from choreographer.browsers import Chromium

    class FontconfigChromium(Chromium):
        def get_env(self):  # type: ignore[override]
            env = super().get_env()
            env["FONTCONFIG_FILE"] = str(config)
            return env

    return FontconfigChromium


async def _draw_all(jobs: list[Job], config: Path) -> list[bytes]:
    import json

    import kaleido

    # mathjax=False: kaleido would otherwise fetch MathJax from a CDN for every image.
    async with kaleido.Kaleido(n=TABS, timeout=TIMEOUT, mathjax=False, browser_cls=_browser_with_fonts(config)) as k:
        tasks = [k.calc_fig(json.loads(job.figure), opts=job.opts) for job in jobs]
        return list(await asyncio.gather(*tasks))
