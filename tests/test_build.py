"""The generator on the real data and on small fixture projects: every page type, the sitemap,
determinism, sub-path deployment, Markdown safety, theme overrides, redirects and `new`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from budgetsite import pipeline
from budgetsite.config import PACKAGE_SCHEMAS, load_config
from budgetsite.load.records import parse_yaml
from budgetsite.money import Money, rate, rate_matches
from conftest import ROOT, copy_project

PAGE_TYPES = [
    "index.html", "404.html", "execution/index.html", "search/index.html", "notes/index.html",
    "corrections/index.html", "about/index.html", "methodology/index.html", "glossary/index.html",
    "programs/index.html", "programs/s000-p-2-7-night-market/index.html",
    "budget/index.html", "budget/s000-v-12-workplace-harassment/index.html",
    "audits/index.html", "audits/s000-audit-c01/index.html",
    "orgs/index.html", "orgs/labor-policy-div/index.html",
    "sources/index.html", "sources/s000/index.html", "sources/s000/text/index.html",
    "indicators/index.html", "staffing/s000-staffing/index.html", "notes/index.html",
]


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", PAGE_TYPES)
def test_every_page_type_is_built(built_site: Path, rel: str) -> None:
    text = html(built_site, rel)
    assert text.startswith("<!doctype html>")
    assert '<html lang="ko">' in text
    assert 'id="main"' in text


def test_every_record_has_its_page_and_json_twin(built_site: Path) -> None:
    for kind in ("programs", "budget", "audits", "orgs", "sources"):
        for f in sorted((ROOT / "data" / kind).glob("*.yaml")):
            assert (built_site / kind / f.stem / "index.html").is_file(), f
            assert (built_site / kind / f"{f.stem}.json").is_file(), f


def test_record_pages_cite_their_source_lines(built_site: Path) -> None:
    page = html(built_site, "budget/s000-v-12-workplace-harassment/index.html")
    rec = yaml.safe_load((ROOT / "data/budget/s000-v-12-workplace-harassment.yaml").read_text(encoding="utf-8"))
    first = rec["source"]["lines"].split("-")[0]
    assert f'href="/sources/s000/text/#L{first}"' in page
    text = html(built_site, "sources/s000/text/index.html")
    assert f'<li id="L{first}">' in text
    # The line the record cites really holds the record's name in the report.
    line = (ROOT / "reports/000_ce72d8fe34580d4f.txt").read_text(encoding="utf-8").splitlines()[int(first) - 1]
    assert rec["name"].replace(" ", "")[:8] in line.replace(" ", "")


def test_execution_rate_is_computed_and_stated_rate_flagged(built_site: Path) -> None:
    rec = yaml.safe_load((ROOT / "data/budget/s004-2020-basic-expenses.yaml").read_text(encoding="utf-8"))
    computed = rec["spent"] / rec["budget"] * 100
    page = html(built_site, "budget/s004-2020-basic-expenses/index.html")
    assert f"{computed:.1f}%" in page
    assert f"{rec['rate_stated']}%" in page and "⚠" in page


def test_sitemap_lists_every_page(built_site: Path) -> None:
    sitemap = html(built_site, "sitemap.xml")
    locs = set(re.findall(r"<loc>[^<]*?://[^/]+(/[^<]*)</loc>", sitemap))
    pages = {"/" + str(p.relative_to(built_site)).removesuffix("index.html")
             for p in built_site.rglob("index.html")}
    redirects = {line.split()[0] for line in html(built_site, "_redirects").splitlines()} \
        if (built_site / "_redirects").exists() else set()
    embeds = {p for p in pages if p.endswith("/embed/")}
    assert pages - redirects - embeds <= locs
    assert "/programs/s000-p-2-7-night-market/" in locs
    assert "Sitemap:" in html(built_site, "robots.txt")


def test_two_builds_are_byte_identical() -> None:
    config = load_config(ROOT)
    first = pipeline.build(config, None).files
    second = pipeline.build(config, None).files
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_sub_path_deployment(tmp_path: Path) -> None:
    config = load_config(ROOT, {"base_url": "/portal/"})
    result = pipeline.build(config, None)
    assert result.ok
    files = result.files
    page = files["programs/s000-p-2-7-night-market/index.html"].decode()
    links = re.findall(r'(?:href|src)="(/[^"]*)"', page)
    assert links and all(link.startswith("/portal/") for link in links), [x for x in links if not x.startswith("/portal/")]


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "p", with_data=False)
    for kind in ("orgs", "sources"):
        (root / "data" / kind).mkdir()
    (root / "data/orgs/dept.yaml").write_text(
        "id: dept\nname: 테스트과\ntype: 과\njurisdiction: 서울특별시\nsource: {doc: r1, lines: '1'}\n", encoding="utf-8")
    (root / "data/sources/r1.yaml").write_text(
        "id: r1\ntitle: 시험 보고서\nissuer: dept\njurisdiction: 서울특별시\nreport_date: 2020-11-01\n"
        "source: {doc: r1, lines: '1-9'}\n", encoding="utf-8")
    return root


def write(root: Path, rel: str, text: str) -> None:
    path = root / "data" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_markdown_keeps_korean_date_ranges_and_escapes_html(small_project: Path) -> None:
    write(small_project, "programs/p1.yaml",
          "id: p1\nname: 기간 사업\norg: dept\nsource: {doc: r1, lines: '2'}\n"
          "summary: \"기간 '18.1.1.~'20.12.31. 동안 <b>굵게</b> ~~취소~~\"\n")
    result = pipeline.build(load_config(small_project), None)
    page = result.files["programs/p1/index.html"].decode()
    assert "'18.1.1.~'20.12.31." in page.replace("&#39;", "'")
    assert "<del>" not in page and "<s>" not in page
    assert "&lt;b&gt;굵게&lt;/b&gt;" in page


def test_site_theme_overrides_a_template(small_project: Path) -> None:
    (small_project / "site_config.yaml").write_text("title: 시험\ntheme: mine\n", encoding="utf-8")
    custom = small_project / "themes/mine/templates"
    custom.mkdir(parents=True)
    (custom / "404.html").write_text("<!doctype html><p>우리 404</p>\n", encoding="utf-8")
    files = pipeline.build(load_config(small_project), None).files
    assert files["404.html"].decode() == "<!doctype html><p>우리 404</p>\n"
    assert b"<!doctype html>" in files["index.html"]  # everything else from the default theme


def test_renamed_id_redirects_from_old_url(small_project: Path) -> None:
    write(small_project, "programs/new-name.yaml",
          "id: new-name\nold_ids: [old-name]\nname: 이름 바뀐 사업\norg: dept\nsource: {doc: r1, lines: '2'}\n")
    files = pipeline.build(load_config(small_project), None).files
    assert "/programs/old-name/ /programs/new-name/ 301" in files["_redirects"].decode()
    fallback = files["programs/old-name/index.html"].decode()
    assert 'http-equiv="refresh" content="0; url=/programs/new-name/"' in fallback


def test_new_scaffolds_a_valid_record(small_project: Path) -> None:
    for kind, rid in (("program", "p-new"), ("budget-line", "b-new"), ("audit-item", "a-new")):
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "new", kind, rid, "--root", str(small_project)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
    text = (small_project / "data/programs/p-new.yaml").read_text(encoding="utf-8")
    assert "# name:" in text and "# org:" in text  # every field explained
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "validate", "--root", str(small_project)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_loader_keeps_positions_and_dates_as_text() -> None:
    data, positions, err = parse_yaml("id: x\nsource:\n  doc: s000\n  lines: '1'\nas_of: 2020-09-30\n", Path("f.yaml"))
    assert err is None
    assert data["as_of"] == "2020-09-30"
    assert positions[("source", "doc")] == (3, 8)
    _, _, err = parse_yaml("id: x\n  bad: indent\n", Path("f.yaml"))
    assert err is not None and (err.line, err.code) == (2, "yaml_syntax")


def test_money_normalises_units_and_rates() -> None:
    assert Money.parse(36351, "백만원").won == 36_351_000_000
    assert Money.parse({"amount": 266, "unit": "억원"}, "백만원").won == 26_600_000_000
    assert float(rate(Money.parse(58, "백만원"), Money.parse(215, "백만원"))) == pytest.approx(26.976, abs=1e-3)
    assert rate_matches(92.3, rate(Money.parse(673617, "백만원"), Money.parse(729867, "백만원")))
    assert rate_matches(76.2, rate(Money.parse(64795, "천원"), Money.parse(85094, "천원"))) is False


def test_a_rebuild_after_an_edit_makes_fresh_downloads_and_search(tmp_path: Path) -> None:
    """The search index and the downloads are kept in .build-cache between builds: an edited
    record or schema must still reach them."""
    root = copy_project(tmp_path / "p")
    out = tmp_path / "_site"
    assert pipeline.build(load_config(root), out).ok
    before = {p: (out / p).read_bytes() for p in ("data/programs.csv", "data/programs.json")}
    path = root / "data/programs/s000-p-2-7-night-market.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 서울밤도깨비야시장 운영",
                                                             "name: 서울밤도깨비야시장 운영 개편안"), encoding="utf-8")
    assert pipeline.build(load_config(root), out).ok
    for rel, old in before.items():
        now = (out / rel).read_bytes()
        assert now != old and "서울밤도깨비야시장 운영 개편안" in now.decode("utf-8-sig"), rel
    shards = [p for p in (out / "search").rglob("*") if p.is_file() and "개편안".encode() in p.read_bytes()]
    assert shards, "the search index does not hold the new name"
    # a schema change (its enum labels go into the data package) also makes new downloads
    package = (out / "data/datapackage.json").read_bytes()
    # the portal's own schema/ overrides the package's schema of the same name
    schema = root / "schema/audits.schema.json"
    schema.parent.mkdir(exist_ok=True)
    audits = json.loads((PACKAGE_SCHEMAS / "audits.schema.json").read_text(encoding="utf-8"))
    audits["properties"]["status"]["enum"].append("보류")
    schema.write_text(json.dumps(audits, ensure_ascii=False), encoding="utf-8")
    assert pipeline.build(load_config(root), out).ok
    assert "보류" not in package.decode() and "보류" in (out / "data/datapackage.json").read_text(encoding="utf-8")


FAST_PATH_CASES = [
    "a: 1\nb: -2.5e3\nc: .inf\nd: yes\ne: ~\nf: '007'\ng: 0x1F\nh: 2020-01-01\ni: 1_000\n",
    "list: [1, '2', three, null, true, 3.0]\nnested: {x: {y: [a, {z: 1}]}}\n",
    "base: &b {unit: 천원, amount: 10}\nline:\n  <<: *b\n  amount: 20\n",  # merge key: full constructor
    "tagged: !!str 123\nbinary_free: !!float 1\n2020: year key\n",  # explicit tags, int key
    "text: |\n  여러 줄\n  본문\nfolded: >\n  접힌\n  줄\nempty:\nquoted: \"\\t탭\"\n",
]


@pytest.mark.parametrize("text", FAST_PATH_CASES)
def test_fast_parse_equals_pyyaml(text: str) -> None:
    from budgetsite.load.records import _Loader, _parse_fast

    expected = yaml.load(text, Loader=_Loader)  # PyYAML's own constructor
    got = _parse_fast(text)
    assert got == expected and repr(got) == repr(expected)


def test_fast_parse_equals_pyyaml_on_every_record() -> None:
    from budgetsite.load.records import _Loader, _parse_fast

    files = sorted((ROOT / "data").rglob("*.yaml"))
    assert len(files) > 700
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert repr(_parse_fast(text)) == repr(yaml.load(text, Loader=_Loader)), path


def test_fast_parse_refuses_a_duplicate_key() -> None:
    from budgetsite.load.records import _parse_fast

    with pytest.raises(yaml.YAMLError):
        _parse_fast("id: a\nname: x\nname: y\n")
    with pytest.raises(yaml.YAMLError):
        _parse_fast("id: a\nsource: {doc: s, doc: t}\n")
