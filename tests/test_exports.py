"""Open-data downloads under /data/: the data package validates, the XLSX and JSON say what the CSV
says, budget totals equal the YAML's, every row carries its provenance, record pages link their JSON
twins, and a second build gives the same bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from budgetsite.derive.exports import human_size
from budgetsite.derive.exports.csvxlsx import csv_bytes, xlsx_bytes
from budgetsite.derive.exports.schema import Column, Table
from budgetsite.money import KRW

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("programs", "budget", "audits", "orgs", "indicators", "staffing", "contracts", "facilities", "notes",
          "sources")
BOM = b"\xef\xbb\xbf"


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def yaml_records(kind: str) -> dict[str, dict]:
    out = {}
    for path in sorted((ROOT / "data" / kind).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["id"]] = data
    return out


@pytest.fixture(scope="session")
def data_dir(built_site: Path) -> Path:
    return built_site / "data"


# ---- the data package -------------------------------------------------------------------------

def test_datapackage_validates_with_frictionless(data_dir: Path) -> None:
    from frictionless import validate

    report = validate(str(data_dir / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:10]
    checked = {task.name: task.stats["rows"] for task in report.tasks}
    assert set(checked) == set(TABLES)
    assert all(n > 0 for n in checked.values()), checked


def test_frictionless_catches_a_broken_table(data_dir: Path, tmp_path: Path) -> None:
    """The validation above can fail: a won amount that is not a number and a dangling org id are caught."""
    from frictionless import validate

    for path in data_dir.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:  # the edited file no longer matches its hash: test the values only
        res.pop("hash")
        res.pop("bytes")
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    rows = read_csv(data_dir / "budget.csv")
    victim = next(r for r in rows if r["budget_won"] and r["org"])
    victim["budget_won"] = "lots"
    victim["org"] = "no-such-org"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    (tmp_path / "budget.csv").write_bytes(BOM + buf.getvalue().encode("utf-8"))
    report = validate(str(tmp_path / "datapackage.json"))
    types = {e[0] for e in report.flatten(["type"])}
    assert not report.valid
    assert {"type-error", "foreign-key"} <= types, types


def test_datapackage_describes_keys_licence_sources_and_measures(data_dir: Path) -> None:
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8")) or {}
    licence = package["licenses"][0]
    assert licence["title"] == config.get("licence", "공공누리 제1유형 (출처표시)")
    assert licence["path"] == config.get("licence_url", "https://www.kogl.or.kr/info/licenseType1.do")
    if "공공누리 제1유형" in licence["title"]:
        assert licence["name"] == "KOGL-Type1"
    reports = [d for d in yaml_records("sources").values() if not d.get("parent")]
    assert len(package["sources"]) == len(reports)
    assert all(any(d["title"] in s["title"] for s in package["sources"]) for d in reports)

    res = {r["name"]: r for r in package["resources"]}
    assert set(res) == set(TABLES)
    for name, r in res.items():
        schema = r["schema"]
        names = [f["name"] for f in schema["fields"]]
        assert schema["primaryKey"][0] == "id"
        assert all(k in names for k in schema["primaryKey"])
        refs = {fk["fields"]: fk["reference"] for fk in schema.get("foreignKeys", [])}
        assert refs["source_doc"]["resource"] == ("" if name == "sources" else "sources")
        if "org" in names:
            assert refs["org"] == {"resource": "orgs", "fields": "id"}, name
    budget_refs = {fk["fields"]: fk["reference"] for fk in res["budget"]["schema"]["foreignKeys"]}
    assert budget_refs["parent"] == {"resource": "", "fields": "id"}  # self-reference
    assert "programs" not in budget_refs  # a list of ids is no foreign key
    assert {fk["fields"] for fk in res["programs"]["schema"]["foreignKeys"]} >= {"parent", "org", "successor_of"}

    fields = {f["name"]: f for f in res["budget"]["schema"]["fields"]}
    phases = {"budget_won": "adjusted", "spent_won": "executed", "obligated_won": "committed"}
    for name, phase in phases.items():
        assert fields[name]["type"] == "integer"
        assert (fields[name]["currency"], fields[name]["factor"], fields[name]["phase"]) == ("KRW", 1, phase)
    for printed in ("budget", "spent", "obligated"):
        assert "currency" not in fields[printed]  # units vary per row: the printed column is no measure
        assert set(fields[f"{printed}_unit"]["constraints"]["enum"]) == set(KRW.factors)


# ---- formats agree ----------------------------------------------------------------------------

def _as_csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float | int):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def _norm_number(text: str) -> str:
    """"92.2900" and "92.29" are the same number; other text stays as it is."""
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return format(Decimal(text).normalize(), "f")
    return text


@pytest.mark.parametrize("name", TABLES)
def test_xlsx_cells_equal_csv(data_dir: Path, name: str) -> None:
    rows = list(csv.reader(io.StringIO((data_dir / f"{name}.csv").read_bytes().decode("utf-8-sig"), newline="")))
    wb = openpyxl.load_workbook(data_dir / f"{name}.xlsx")
    ws = wb[name]
    sheet = [[_as_csv_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    assert sheet[0] == rows[0]
    assert len(sheet) == len(rows)
    for i, (got, want) in enumerate(zip(sheet[1:], rows[1:], strict=True), 2):
        assert [_norm_number(v) for v in got] == [_norm_number(v) for v in want], f"{name} row {i}"
    described = [r[0] for r in wb["columns"].iter_rows(min_row=2, values_only=True)]
    assert described == rows[0]
    assert wb.properties.created == wb.properties.modified  # fixed, not the time of the build


@pytest.mark.parametrize("name", TABLES)
def test_json_rows_equal_csv(data_dir: Path, name: str) -> None:
    rows = read_csv(data_dir / f"{name}.csv")
    items = json.loads((data_dir / f"{name}.json").read_text(encoding="utf-8"))
    assert len(items) == len(rows)
    for item, row in zip(items, rows, strict=True):
        assert list(item) == list(row)
        for key, value in item.items():
            if isinstance(value, list):
                value = "\n".join(value)
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False)
            assert _norm_number(_as_csv_text(value)) == _norm_number(row[key]), (name, item["id"], key)


def test_csv_files_start_with_bom(data_dir: Path) -> None:
    csvs = sorted(data_dir.glob("*.csv"))
    assert {p.stem for p in csvs} == set(TABLES)
    for path in csvs:
        data = path.read_bytes()
        assert data.startswith(BOM), path.name
        assert not data[3:].startswith(BOM), path.name


# ---- content against the YAML -----------------------------------------------------------------

def _money(value: object, unit: str) -> tuple[Decimal, str] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return Decimal(str(value["amount"])), value["unit"]
    return Decimal(str(value)), unit


@pytest.mark.parametrize("measure", ["budget", "obligated", "spent", "planned", "prior_budget"])
def test_budget_totals_equal_yaml(data_dir: Path, measure: str) -> None:
    records = yaml_records("budget")
    rows = read_csv(data_dir / "budget.csv")
    assert sorted(r["id"] for r in rows) == sorted(records)
    want: dict[str, Decimal] = defaultdict(Decimal)
    want_won = 0
    for d in records.values():
        m = _money(d.get(measure), d["unit"])
        if m:
            want[m[1]] += m[0]
            want_won += int(m[0] * KRW.factors[m[1]])
    got: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r[measure]:
            got[r[f"{measure}_unit"]] += Decimal(r[measure])
    assert dict(got) == dict(want)
    assert sum(int(r[f"{measure}_won"]) for r in rows if r[f"{measure}_won"]) == want_won


def test_execution_rate_is_spent_over_budget(data_dir: Path) -> None:
    rows = read_csv(data_dir / "budget.csv")
    with_rate = [r for r in rows if r["execution_rate_computed"]]
    assert with_rate
    for r in rows:
        if r["spent_won"] and r["budget_won"] and int(r["budget_won"]):
            want = (Decimal(r["spent_won"]) * 100 / Decimal(r["budget_won"])).quantize(Decimal("0.0001"))
            assert Decimal(r["execution_rate_computed"]) == want, r["id"]
            assert len(r["execution_rate_computed"].split(".")[1]) == 4
        else:
            assert r["execution_rate_computed"] == "", r["id"]
        if r["rate_stated"] and r["execution_rate_computed"]:
            assert r["rate_agrees"] in ("true", "false")


def test_indicators_one_row_per_value_and_staffing_one_row_per_table_row(data_dir: Path) -> None:
    indicators = yaml_records("indicators")
    rows = read_csv(data_dir / "indicators.csv")
    assert len(rows) == sum(len(d["values"]) for d in indicators.values())
    for r in rows:
        value = indicators[r["id"]]["values"][int(r["value_no"]) - 1]
        assert r["period"] == str(value["period"])
        assert r["target_text"] == ("" if value.get("target") is None else str(value["target"]))
    staffing = yaml_records("staffing")
    rows = read_csv(data_dir / "staffing.csv")
    assert len(rows) == sum(len(d["rows"]) for d in staffing.values())
    for r in rows:
        printed = staffing[r["id"]]["rows"][int(r["row_no"]) - 1]
        assert r["label"] == printed["label"]
        assert json.loads(r["cells"] or "null") == printed.get("cells")


@pytest.mark.parametrize("name", TABLES)
def test_every_row_carries_provenance_and_links_its_page(built_site: Path, data_dir: Path, name: str) -> None:
    sources = yaml_records("sources")
    config = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8")) or {}
    origin = str(config.get("site_url", "")).rstrip("/")
    for r in read_csv(data_dir / f"{name}.csv"):
        doc = sources[r["source_doc"]]
        assert r["source_title"] == doc["title"]
        assert 1 <= int(r["source_line_start"]) <= int(r["source_line_end"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["as_of"]), r["id"]
        assert r["url"].startswith(origin) and r["url"].endswith(f"/{name}/{r['id']}/")
        path = r["url"].removeprefix(origin).removeprefix(str(config.get("base_url", "/")))
        assert (built_site / path / "index.html").exists(), r["url"]


# ---- the bundle and the page ------------------------------------------------------------------

def test_zip_holds_every_file_and_the_readme_every_column(data_dir: Path) -> None:
    with zipfile.ZipFile(data_dir / "all.zip") as zf:
        infos = zf.infolist()
        names = {i.filename.split("/", 1)[1]: i for i in infos}
        assert len({i.filename.split("/", 1)[0] for i in infos}) == 1  # one folder
        expected = {f"{t}.{ext}" for t in TABLES for ext in ("csv", "xlsx", "json")} | {"datapackage.json",
                                                                                         "README.md"}
        assert set(names) == expected
        for name, info in names.items():
            assert zf.read(info) == (data_dir / name).read_bytes(), name
        assert len({i.date_time for i in infos}) == 1
    readme = (data_dir / "README.md").read_text(encoding="utf-8")
    assert "## 한국어" in readme and "## English" in readme
    for table in TABLES:
        header = read_csv(data_dir / f"{table}.csv")[0]
        for column in header:
            assert readme.count(f"| `{column}` |") >= 2, (table, column)  # once per language


def test_data_page_lists_every_download_with_its_size(data_dir: Path) -> None:
    html = (data_dir / "index.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):]
    files = [p for p in data_dir.iterdir() if p.name != "index.html"]
    for path in files:
        link = rf'<a href="[^"]*data/{re.escape(path.name)}"[^>]*>[^<]*</a>\s*<span[^>]*>([^<]*)</span>'
        m = re.search(link, main)
        assert m, path.name
        assert m.group(1).endswith(human_size(path.stat().st_size)), (path.name, m.group(1))
    config = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8")) or {}
    assert config.get("licence", "공공누리") in html
    assert 'rel="license"' in html
    for d in yaml_records("sources").values():
        if not d.get("parent"):
            assert d["title"] in html  # each report, to cite


# ---- JSON twins of record pages -----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["programs", "budget", "audits", "orgs"])
def test_record_pages_link_json_twins_that_match_the_yaml(built_site: Path, kind: str) -> None:
    config = yaml.safe_load((ROOT / "site_config.yaml").read_text(encoding="utf-8")) or {}
    base = "/" + str(config.get("base_url", "/")).strip("/") + "/"
    base = "/" if base == "//" else base
    records = yaml_records(kind)
    assert records
    for rid, data in records.items():
        page = (built_site / kind / rid / "index.html").read_text(encoding="utf-8")
        links = re.findall(r"<link\b[^>]*>", page)
        twin_href = f"{base}{kind}/{rid}.json"
        assert any('rel="alternate"' in ln and 'type="application/json"' in ln and f'href="{twin_href}"' in ln
                   for ln in links), rid
        twin = json.loads((built_site / kind / f"{rid}.json").read_text(encoding="utf-8"))
        assert twin["id"] == rid and twin["kind"] == kind
        assert twin["record"] == json.loads(json.dumps(data, ensure_ascii=False, default=str)), rid


# ---- determinism --------------------------------------------------------------------------------

REBUILD = """
import sys
from pathlib import Path
from budgetsite import pipeline
from budgetsite.derive import exports
from budgetsite.config import load_config
from budgetsite.render import Page, Renderer
config = load_config(Path(sys.argv[1]))
checked = pipeline.check(config)
renderer = Renderer(config, checked.site, checked.corrector, pipeline.extra_context(checked))
out = Path(sys.argv[2])
files, page = exports.export_files(checked.site, config)
files[page.path] = renderer.render(Page(page.path, "data.html", page.context))
for name, data in files.items():
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(data)
"""


def test_second_build_gives_identical_bytes(data_dir: Path, tmp_path: Path) -> None:
    """Another process (another hash seed, another time of day) writes the same /data/ files."""
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", REBUILD, str(ROOT), str(tmp_path)], env=env, check=True, timeout=300)
    again = {p.relative_to(tmp_path / "data").as_posix(): p.read_bytes() for p in (tmp_path / "data").rglob("*")
             if p.is_file()}
    first = {p.relative_to(data_dir).as_posix(): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    assert set(again) == set(first)
    assert [n for n in sorted(first) if first[n] != again[n]] == []


def test_xlsx_is_byte_identical_at_another_time_and_keeps_formula_text(tmp_path: Path) -> None:
    table = Table("t", "t", "표", "table", [Column("id", "string", "id", "id"), Column("text", "string", "글", "text")],
                  rows=[{"id": "a", "text": "=SUM(A1:A2)"}, {"id": "b", "text": "- 목록"}])
    when = dt.datetime(2021, 11, 4)
    first = xlsx_bytes(table, when, "publisher")
    # a writer that stamps "now" (to the second) would change bytes in a later save
    import time
    time.sleep(1.1)
    assert xlsx_bytes(table, when, "publisher") == first
    wb = openpyxl.load_workbook(io.BytesIO(first))
    ws = wb["t"]
    assert ws["B2"].value == "=SUM(A1:A2)" and ws["B2"].data_type == "s"
    assert wb.properties.created == wb.properties.modified == when
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert len({i.date_time for i in zf.infolist()}) == 1  # one fixed date, not the time of the build
    assert csv_bytes(table).startswith(BOM)


def test_licence_defaults_to_kogl_type1_and_follows_the_config(tmp_path: Path) -> None:
    from budgetsite.config import load_config
    from budgetsite.derive.exports.datapackage import KOGL1_URL, Licence

    (tmp_path / "site_config.yaml").write_text("title: t\n", encoding="utf-8")
    default = Licence.from_config(load_config(tmp_path))
    assert (default.id, default.url) == ("KOGL-Type1", KOGL1_URL)
    custom = Licence.from_config(load_config(tmp_path, {"licence": "CC BY 4.0",
                                                        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
                                                        "licence_id": "CC-BY-4.0"}))
    assert custom.descriptor() == {"title": "CC BY 4.0", "name": "CC-BY-4.0",
                                   "path": "https://creativecommons.org/licenses/by/4.0/"}
