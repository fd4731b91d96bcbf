"""Charts: which exist, their permanent ids, their files, their numbers against the YAML
records (read here with PyYAML, not through the model), the image cache and determinism."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import random
import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from budgetsite import pipeline
from budgetsite.config import load_config
from budgetsite.derive.charts import ChartImageError, build_charts, figures, images
from conftest import ROOT, copy_project

UNIT_WON = {"원": 1, "천원": 1_000, "백만원": 1_000_000, "억원": 100_000_000, "조원": 1_000_000_000_000}
CHART_FILES = ("index.html", "embed/index.html", "figure.json", "data.csv", "data.json", "chart.svg", "chart.png")
# Charts the issue asks for by name; their ids are part of published URLs and must never change.
EXPECTED_IDS = {
    "execution-s000-v", "execution-s001-budget", "execution-s002-budget", "execution-s004-2020",
    "spending-s000-v-dept-labor-policy", "composition-s000-i", "composition-s003-2021",
    "funding-s004-2020-program", "funding-s004-2021", "change-s003-2021", "audit-status-s000-2019",
    "indicator-s001-public-purchase", "indicator-s002-urban-garden-area", "indicators-s001-jobs-2018",
}
BASIC_BUNDLE_TRACES = {"bar", "scatter", "pie"}  # what plotly.js-basic-dist can draw
FONTS = ROOT / "budgetsite" / "themes" / "default" / "fonts"  # the chart font the images are drawn with


# ---- reading the built site and the YAML -------------------------------------------------------

def chart_ids(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "charts").glob("*/data.json"))


def chart_json(site: Path, cid: str) -> dict:
    return json.loads((site / "charts" / cid / "data.json").read_text(encoding="utf-8"))


def chart_csv(site: Path, cid: str) -> list[list[str]]:
    raw = (site / "charts" / cid / "data.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{cid}: data.csv has no UTF-8 BOM (Excel would garble the Korean)"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def load_yaml(kind: str, root: Path = ROOT) -> dict[str, dict]:
    return {f.stem: yaml.safe_load(f.read_text(encoding="utf-8")) for f in sorted((root / "data" / kind).glob("*.yaml"))}


def won(value: object, unit: str) -> Decimal:
    """A YAML amount (a number in the record's unit, or {amount, unit}) in won."""
    if isinstance(value, dict):
        return Decimal(str(value["amount"])) * UNIT_WON[value["unit"]]
    return Decimal(str(value)) * UNIT_WON[unit]


def csv_rows(site: Path, cid: str) -> list[dict]:
    """CSV rows as {column key: text}, the keys read from data.json's columns (same order)."""
    meta = chart_json(site, cid)
    keys = [c["key"] for c in meta["columns"]] + ["record"]
    header, *rows = chart_csv(site, cid)
    assert len(header) == len(keys), (cid, header)
    return [dict(zip(keys, row, strict=True)) for row in rows]


# ---- which charts exist ----------------------------------------------------------------------

def test_the_charts_the_issue_names_exist_with_their_permanent_ids(built_site: Path) -> None:
    missing = EXPECTED_IDS - set(chart_ids(built_site))
    assert not missing, f"charts missing or renamed: {sorted(missing)}"


def test_every_chart_has_every_file_and_the_gallery_lists_it(built_site: Path) -> None:
    ids = chart_ids(built_site)
    assert len(ids) >= len(EXPECTED_IDS)
    gallery = (built_site / "charts/index.html").read_text(encoding="utf-8")
    for cid in ids:
        folder = built_site / "charts" / cid
        for name in CHART_FILES:
            assert (folder / name).is_file() and (folder / name).stat().st_size > 0, f"{cid}/{name}"
        assert (folder / "chart.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), cid
        svg = (folder / "chart.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>"), cid
        assert f'href="/charts/{cid}/"' in gallery, f"{cid} is not in the gallery"
    assert (built_site / "charts/embed.js").is_file(), "the stable embed resizer is missing"


def test_ids_say_what_the_chart_is_about(built_site: Path) -> None:
    budget, audits, indicators = load_yaml("budget"), load_yaml("audits"), load_yaml("indicators")
    for cid in chart_ids(built_site):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", cid), cid
        kind = chart_json(built_site, cid)["kind"]
        assert cid.startswith(kind + "-"), (cid, kind)
        stem = cid.removeprefix(kind + "-")
        records = [r["record"] for r in csv_rows(built_site, cid) if r["record"]]
        if kind in ("execution", "composition", "change", "funding", "spending"):
            assert all(r.startswith(stem) or budget[r].get("parent") == stem for r in records if r in budget), cid
        elif kind == "indicator":
            assert stem in indicators, cid
        elif kind == "indicators":
            assert all(r.startswith(stem + "-") for r in records), cid
        elif kind == "audit-status":
            doc, year = stem.rsplit("-", 1)
            assert any(a["source"]["doc"] == doc and year in a["audit"] for a in audits.values()), cid


def test_figures_use_only_trace_types_of_the_basic_bundle(built_site: Path) -> None:
    for cid in chart_ids(built_site):
        figure = json.loads((built_site / "charts" / cid / "figure.json").read_text(encoding="utf-8"))
        types = {trace.get("type", "scatter") for trace in figure["data"]}
        assert types <= BASIC_BUNDLE_TRACES, (cid, types)
        assert figure["layout"]["height"] > 0


# ---- the numbers, against the YAML --------------------------------------------------------------

BUDGET_FIELDS = {"budget": "budget", "spent": "spent", "current": "budget", "prior": "prior_budget"}


def _check_amount(cid: str, rid: str, key: str, text: str, unit: str, expected_won: Decimal) -> None:
    got = Decimal(text) * UNIT_WON[unit]
    assert got == expected_won, f"{cid} {rid} {key}: CSV {text}{unit} = {got} won, YAML {expected_won} won"


def test_budget_chart_csvs_match_the_yaml(built_site: Path) -> None:
    budget = load_yaml("budget")
    checked = Counter()
    for cid in chart_ids(built_site):
        meta = chart_json(built_site, cid)
        if meta["kind"] not in ("execution", "spending", "composition", "funding", "change"):
            continue
        units = {c["key"]: c.get("unit") for c in meta["columns"]}
        for row in csv_rows(built_site, cid):
            rec = budget.get(row["record"])
            if rec is None:
                continue  # a computed total row (checked below)
            unit = rec["unit"]
            for key, text in row.items():
                if key in BUDGET_FIELDS and text:
                    _check_amount(cid, rec["id"], key, text, units[key], won(rec[BUDGET_FIELDS[key]], unit))
                    checked[meta["kind"]] += 1
                elif key in ("national", "city", "district", "private") and text:
                    _check_amount(cid, rec["id"], key, text, units[key], won(rec["funding"][key], unit))
                    checked[meta["kind"]] += 1
            if row.get("rate"):
                computed = won(rec["spent"], unit) * 100 / won(rec["budget"], unit)
                assert abs(Decimal(row["rate"]) - computed) <= Decimal("0.05"), (cid, rec["id"], row["rate"], computed)
    assert set(checked) == {"execution", "spending", "composition", "funding", "change"}, checked


def test_execution_chart_of_the_2020_bureau_reads_as_the_report_prints_it(built_site: Path) -> None:
    rows = {r["record"]: r for r in csv_rows(built_site, "execution-s000-v")}
    meta = chart_json(built_site, "execution-s000-v")
    assert meta["as_of"] == "2020-09-30"
    assert {c["key"]: c.get("unit") for c in meta["columns"]}["budget"] == "억원"
    # 노동정책담당관: 36,351백만원 budget, 266억원 spent (2543행): 363.51억원 and 73.2%.
    labor = rows["s000-v-dept-labor-policy"]
    assert (labor["budget"], labor["spent"], labor["rate"]) == ("363.51", "266", "73.2")
    total = rows["s000-v-total"]
    assert total["rate"] == "91.9"


def test_audit_chart_counts_the_requests_in_the_yaml(built_site: Path) -> None:
    audits = [a for a in load_yaml("audits").values() if a["source"]["doc"] == "s000" and "2019" in a["audit"]]
    status_keys = {"추진완료": "done", "추진 중": "in_progress", "검토 중": "under_review", "미반영": "not_reflected"}
    rows = csv_rows(built_site, "audit-status-s000-2019")
    by_org = {r["record"]: r for r in rows if r["record"]}
    assert set(by_org) == {a["org"] for a in audits}
    for org, row in by_org.items():
        mine = [a for a in audits if a["org"] == org]
        assert int(row["total"]) == len(mine), org
        for status, key in status_keys.items():
            assert int(row[key]) == sum(1 for a in mine if a["status"] == status), (org, status)
    total = next(r for r in rows if not r["record"])
    assert int(total["total"]) == len(audits)


def test_indicator_chart_csvs_match_the_yaml(built_site: Path) -> None:
    indicators = load_yaml("indicators")
    seen = 0
    for cid in chart_ids(built_site):
        kind = chart_json(built_site, cid)["kind"]
        if kind not in ("indicator", "indicators"):
            continue
        for row in csv_rows(built_site, cid):
            values = indicators[row["record"]]["values"]
            value = next(v for v in values if kind == "indicators" or str(v["period"]) == row["label"])
            for key in ("target", "actual"):
                expected = value.get(key)
                if isinstance(expected, int | float) and not isinstance(expected, bool):
                    assert Decimal(row[key]) == Decimal(str(expected)), (cid, row["record"], key)
                    seen += 1
                else:
                    assert row[key] == "", (cid, row["record"], key)
    assert seen > 20


# ---- pages ------------------------------------------------------------------------------------

def test_record_and_overview_pages_show_the_charts_that_concern_them(built_site: Path) -> None:
    def figures(rel: str) -> set[str]:
        return set(re.findall(r'<figure class="chart" id="chart-([a-z0-9-]+)"', (built_site / rel).read_text("utf-8")))

    assert {"execution-s000-v", "spending-s000-v-dept-labor-policy"} <= figures("budget/s000-v-dept-labor-policy/index.html")
    assert "spending-s000-v-dept-labor-policy" in figures("budget/s000-v-12-workplace-harassment/index.html")
    assert {"execution-s000-v", "audit-status-s000-2019"} <= figures("orgs/labor-policy-div/index.html")
    assert "funding-s004-2020-program" in figures("programs/s004-p-2020-1-everyday-social-economy/index.html")
    assert {"execution-s000-v", "execution-s001-budget", "execution-s002-budget"} <= figures("execution/index.html")
    assert figures("audits/index.html") == {"audit-status-s000-2019"}


def test_only_pages_with_charts_load_the_chart_script(built_site: Path) -> None:
    with_chart = (built_site / "orgs/labor-policy-div/index.html").read_text("utf-8")
    assert len(re.findall(r'src="/assets/js/chart\.[0-9a-f]+\.js"', with_chart)) == 1  # once, however many charts
    assert len(re.findall(r'href="/assets/css/charts\.[0-9a-f]+\.css"', with_chart)) == 1
    for rel in ("index.html", "sources/index.html", "audits/s000-audit-c01/index.html"):
        text = (built_site / rel).read_text("utf-8")
        assert "js/chart." not in text and "plotly" not in text, rel


def test_plotly_is_self_hosted_basic_bundle_with_its_licence(built_site: Path) -> None:
    bundles = list((built_site / "assets/vendor").glob("plotly-basic.min.*.js"))
    assert len(bundles) == 1 and bundles[0].read_bytes().startswith(b"/**\n* plotly.js (basic - minified) v4.1.1")
    assert (built_site / "assets/vendor/plotly-basic.LICENSE.txt").is_file()
    for path in (built_site / "charts").rglob("*.html"):
        text = path.read_text("utf-8")
        assert "cdn.plot.ly" not in text and "cdn.jsdelivr" not in text, path


def test_permalink_page_has_image_first_data_sources_citation_and_embed(built_site: Path) -> None:
    config = load_config(ROOT)
    cid = "execution-s000-v"
    text = (built_site / f"charts/{cid}/index.html").read_text("utf-8")
    url = f"{config.site_url}/charts/{cid}/"
    assert f'<meta property="og:image" content="{url}chart.png">' in text
    assert f'<meta name="twitter:image" content="{url}chart.png">' in text
    assert '<meta name="twitter:card" content="summary_large_image">' in text
    assert text.index('class="chart-static"') < text.index('class="chart-live"') < text.index("<table")
    for name in ("data.csv", "data.json", "chart.svg", "chart.png"):
        assert f'href="/charts/{cid}/{name}"' in text, name
    assert 'href="/sources/s000/"' in text and 'href="/budget/s000-v-dept-labor-policy/"' in text
    title = chart_json(built_site, cid)["title"]
    assert f"{config.publisher}, 「{title}」, {url}" in text
    assert f'&lt;iframe src=&#34;{url}embed/&#34;' in text and f"{config.site_url}/charts/embed.js" in text


def test_chart_pages_have_no_inline_script(built_site: Path) -> None:
    for path in [*(built_site / "charts").rglob("*.html"), built_site / "orgs/labor-policy-div/index.html"]:
        text = path.read_text("utf-8")
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert all(" src=" in s for s in scripts), (path, scripts)
        assert not re.search(r"\son[a-z]+=", text), path


def test_embed_page_has_no_site_chrome_and_links_back(built_site: Path) -> None:
    config = load_config(ROOT)
    text = (built_site / "charts/audit-status-s000-2019/embed/index.html").read_text("utf-8")
    assert 'class="site-header"' not in text and 'class="site-nav"' not in text
    assert f'href="{config.site_url}/charts/audit-status-s000-2019/"' in text
    assert "js/chart-embed." in text and 'class="chart-static"' in text


# ---- stability, determinism and the image cache ---------------------------------------------------

def _seed_cache(root: Path) -> None:
    """Reuse the images the session build drew, so a copy does not start Chromium for all of them."""
    cache = ROOT / ".build-cache" / "charts"
    if cache.is_dir():
        shutil.copytree(cache, root / ".build-cache" / "charts", dirs_exist_ok=True)


def _chart_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "charts").rglob("*"))
            if p.is_file() and p.parent != site / "charts"}


UNRELATED_INDICATOR = """\
id: s002-zz-unrelated-test-indicator
source:
  doc: s002
  lines: '10'
name: 시험용 지표
unit: 개
values:
- period: 2018
  actual: 1
- period: 2019
  target: 2
"""


def test_ids_and_bytes_survive_a_rebuild_and_an_unrelated_new_record(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project")
    _seed_cache(root)
    config = load_config(root)
    first = pipeline.build(config, tmp_path / "a")
    assert first.ok
    again = pipeline.build(config, tmp_path / "b")
    before, same = _chart_bytes(tmp_path / "a"), _chart_bytes(tmp_path / "b")
    assert again.ok
    assert before == same, "the same input built different chart files"

    (root / "data/indicators/s002-zz-unrelated-test-indicator.yaml").write_text(UNRELATED_INDICATOR, "utf-8")
    after = _chart_bytes(tmp_path / "c") if pipeline.build(config, tmp_path / "c").ok else {}
    new_ids, old_ids = chart_ids(tmp_path / "c"), chart_ids(tmp_path / "a")
    assert set(new_ids) - set(old_ids) == {"indicator-s002-zz-unrelated-test-indicator"}
    assert set(old_ids) <= set(new_ids)
    changed = [name for name, data in before.items() if after.get(name) != data]
    assert not changed, f"an unrelated record changed these chart files: {changed[:10]}"


def test_a_rebuild_draws_only_the_charts_whose_data_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUDGETSITE_CHART_CACHE", raising=False)  # this copy's own cache, to count drawings
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project")
    _seed_cache(root)
    config = load_config(root)
    cache = root / ".build-cache" / "charts"
    assert pipeline.build(config, None).ok  # fills the cache for this copy
    drawn: list[tuple[str, str]] = []
    real_draw = images._draw

    def counting_draw(jobs: list, fonts: Path) -> list[bytes]:
        drawn.extend((job.chart_id, job.fmt) for job in jobs)
        return real_draw(jobs, fonts)

    monkeypatch.setattr(images, "_draw", counting_draw)
    cached = set(cache.iterdir())
    assert pipeline.build(config, None, workers=1).ok  # in this process, so the patch sees every drawing
    assert drawn == [] and set(cache.iterdir()) == cached, "an unchanged site drew images again"

    line = root / "data/budget/s004-2020-program-1.yaml"
    # A figure no earlier run can have drawn (the seeded cache is shared by runs of the suite).
    new_spent = 700000 + random.SystemRandom().randrange(70000)
    line.write_text(line.read_text("utf-8").replace("spent: 776595", f"spent: {new_spent}"), "utf-8")
    checked = pipeline.check(config)
    assert checked.site is not None
    concerned = {c.id for c in build_charts(checked.site, config) if "s004-2020-program-1" in c.records}
    assert pipeline.build(config, None, workers=1).ok
    assert {cid for cid, _ in drawn} == {"spending-s004-2020-social-economy"}
    assert {"spending-s004-2020-social-economy"} <= concerned
    assert sorted(fmt for _, fmt in drawn) == ["png", "svg"]
    assert len(set(cache.iterdir()) - cached) == 2


def test_kaleido_draws_the_same_bytes_twice(tmp_path: Path, built_site: Path) -> None:
    """SVG and PNG are deterministic: drawn twice in fresh Chromium sessions, byte for byte."""
    config = load_config(ROOT)
    checked = pipeline.check(config)
    assert checked.site is not None
    chart = next(c for c in build_charts(checked.site, config) if c.id == "audit-status-s000-2019")
    one = images.render_images([chart], tmp_path / "one", FONTS)
    two = images.render_images([chart], tmp_path / "two", FONTS)
    assert one == two
    assert one[(chart.id, "svg")] == (built_site / f"charts/{chart.id}/chart.svg").read_bytes()


def test_a_failed_drawing_stops_the_build_with_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(ROOT)
    checked = pipeline.check(config)
    assert checked.site is not None
    chart = build_charts(checked.site, config)[0]
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    monkeypatch.setenv("PATH", str(tmp_path))  # nor on PATH
    with pytest.raises(ChartImageError, match="Chromium"):
        images.render_images([chart], tmp_path / "cache", FONTS)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir()), "a broken image was cached"


# ---- the chart font: vendored, covering every character, the only font the images need ---------

# What plotly.js writes itself, beside the figure's own strings: tick numbers with the thousands
# separator and decimal point. (A negative tick would be written with U+2212 MINUS SIGN, which no
# Nanum font has: the drawn SVGs below would then show it and the coverage test would fail.)
PLOTLY_NUMBER_CHARS = set("0123456789,.")
_TAG = re.compile(r"<[^>]*>")


def _figure_strings(value: object) -> list[str]:
    """Every string of a figure: titles, subtitles, tick texts, trace names and texts, annotations
    (and hover texts and colours, which cost nothing to cover)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _figure_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _figure_strings(v)]
    return [value] if isinstance(value, str) else []


def _svg_texts(svg: str) -> list[str]:
    """The text an SVG really shows, tick labels plotly.js made up included."""
    return [html.unescape(_TAG.sub("", t)) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]


def _chart_characters(site: Path, charts: list) -> set[str]:
    texts = [html.unescape(_TAG.sub("", s)) for c in charts for s in _figure_strings(json.loads(figures.figure_json(c.figure)))]
    texts += [t for svg in sorted((site / "charts").glob("*/chart.svg")) for t in _svg_texts(svg.read_text("utf-8"))]
    return {ch for text in texts for ch in text if ch not in "\n\t"} | PLOTLY_NUMBER_CHARS


def _fonttools():
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        message = "fontTools is not installed (pip install -e '.[test]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return TTFont


@pytest.fixture(scope="module")
def site_charts() -> list:
    config = load_config(ROOT)
    checked = pipeline.check(config)
    assert checked.site is not None
    return build_charts(checked.site, config)


def test_the_vendored_font_has_every_character_the_charts_draw(built_site: Path, site_charts: list) -> None:
    TTFont = _fonttools()
    [font_file] = images.font_files(FONTS)
    font = TTFont(font_file)
    assert font["name"].getDebugName(1) == figures.CHART_FONT  # the family the figures ask for first
    assert figures.FONT.startswith(figures.CHART_FONT + ",")
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and font_file.name in licence
    chars = _chart_characters(built_site, site_charts)
    hangul = {ch for ch in chars if "가" <= ch <= "힣"}
    assert len(hangul) > 200 and {"%", "…", "–", "·"} <= chars, "the collection missed the charts' text"
    cmap = font.getBestCmap()
    missing = sorted(ch for ch in chars if ord(ch) not in cmap)
    assert not missing, f"{font_file.name} has no glyph for {[f'{c} U+{ord(c):04X}' for c in missing]}"


def test_the_font_is_part_of_the_image_cache_key(tmp_path: Path, site_charts: list) -> None:
    chart = next(c for c in site_charts if c.id == "audit-status-s000-2019")
    keys = [job.key for job in images.jobs_for([chart], FONTS)]
    same = tmp_path / "same"
    shutil.copytree(FONTS, same)
    assert [job.key for job in images.jobs_for([chart], same)] == keys  # the bytes count, not the folder
    other = tmp_path / "other"
    shutil.copytree(FONTS, other)
    [font_file] = images.font_files(other)
    font_file.write_bytes(font_file.read_bytes() + b"\0")  # another version of the font
    changed = [job.key for job in images.jobs_for([chart], other)]
    assert not set(changed) & set(keys), "a changed font would reuse images drawn with the old one"


def test_images_are_drawn_with_the_vendored_font_alone(tmp_path: Path, site_charts: list,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A fontconfig that sees nothing but the theme's fonts folder (as on a machine without any
    Korean font) draws byte for byte the images the machine's full configuration draws."""
    charts = [c for c in site_charts if c.id in ("audit-status-s000-2019", "execution-s000-v",
                                                 "indicator-s001-public-purchase")]
    assert len(charts) == 3
    with_system_fonts = images.render_images(charts, tmp_path / "system", FONTS)

    (tmp_path / "fc-cache").mkdir()
    isolated = tmp_path / "only-the-theme.conf"
    isolated.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>{FONTS}</dir><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>
""", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(isolated))
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", "--format=%{file}\n"], capture_output=True, text=True, check=True,
                                timeout=60).stdout.split()
        assert listed == [str(f) for f in images.font_files(FONTS)], listed
    alone = images.render_images(charts, tmp_path / "isolated", FONTS)

    assert alone.keys() == with_system_fonts.keys()
    differ = [key for key in alone if alone[key] != with_system_fonts[key]]
    assert not differ, f"the machine's fonts changed these images: {differ}"


def test_a_missing_chart_font_stops_the_build_before_drawing(tmp_path: Path, site_charts: list,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    monkeypatch.setattr(images, "_draw_all", lambda *args: started.append(args))
    (tmp_path / "fonts").mkdir()
    with pytest.raises(ChartImageError, match="chart font"):
        images.render_images(site_charts[:1], tmp_path / "cache", tmp_path / "fonts")
    assert not started
    assert images.fonts_dir(load_config(ROOT).theme_dirs()) == FONTS
