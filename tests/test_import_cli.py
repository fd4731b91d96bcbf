"""`build.py import` as an editor runs it: a new report in another layout and format, the report it
prints, --dry-run, a run that drafts nothing, ids and folders that must be refused (issue 20), and
the second step, --accept, into a copy of the project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "import_corpus" / "docs"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "import", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the portal (data, reports, schema, config) to import into."""
    root = tmp_path / "portal"
    root.mkdir()
    for name in ("data", "reports", "content"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "site_config.yaml", root / "site_config.yaml")
    return root


def test_import_writes_drafts_text_and_report(project: Path) -> None:
    proc = run(str(CORPUS / "t04-expenditure-statement-box.hwpx"), "--doc", "s005", "--root", str(project))
    assert proc.returncode == 0, proc.stderr
    drafts = project / "drafts"
    budget = sorted((drafts / "budget").glob("s005-draft-*.yaml"))
    assert len(budget) == 7
    first = yaml.safe_load(budget[0].read_text(encoding="utf-8"))
    assert first["source"]["doc"] == "s005" and first["year"] == 2024 and first["unit"] == "천원"
    source = yaml.safe_load((drafts / "sources" / "s005.yaml").read_text(encoding="utf-8"))
    assert source["title"] == "2024년도 세출예산 사업명세서" and source["file"] == "s005.txt"
    text = (drafts / "reports" / "s005.txt").read_text(encoding="utf-8").split("\n")
    line = int(str(first["source"]["lines"]).split("-")[0])
    assert first["name"] in text[line - 1]  # the citation points at the row in the stored text
    report = (drafts / "s005-import-report.txt").read_text(encoding="utf-8")
    assert "imported as 7 budget" in report and "재원별 도비" in report  # the column with no field is listed
    assert "경제진흥국 → s005-draft-org-1 (new, drafted)" in proc.stdout


def test_dry_run_writes_nothing(project: Path) -> None:
    proc = run(str(CORPUS / "t01-performance-plan-summary.pdf"), "--doc", "s005", "--root", str(project),
               "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "nothing written (--dry-run)" in proc.stdout and "counts (개), not money" in proc.stdout
    assert not (project / "drafts").exists()


def test_a_run_that_drafts_nothing_exits_non_zero(project: Path, tmp_path: Path) -> None:
    prose = tmp_path / "memo.txt"
    prose.write_text("2024년 업무 메모\n\n○ 예산 표는 별도 첨부\n", encoding="utf-8")
    proc = run(str(prose), "--doc", "s005", "--root", str(project))
    assert proc.returncode == 1
    assert "nothing drafted" in proc.stdout and "nothing was written" in proc.stderr
    assert not (project / "drafts").exists()


def test_no_year_asks_for_year(project: Path) -> None:
    doc = str(CORPUS / "h06-no-year-dept-budget.txt")
    proc = run(doc, "--doc", "s005", "--root", str(project))
    assert proc.returncode == 2 and "--year" in proc.stderr and "Traceback" not in proc.stderr
    assert not (project / "drafts").exists()
    proc = run(doc, "--doc", "s005", "--root", str(project), "--year", "2022")
    assert proc.returncode == 0, proc.stderr
    records = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (project / "drafts" / "budget").glob("*.yaml")]
    assert records and {r["year"] for r in records} == {2022}


@pytest.mark.parametrize("doc", ["../../x", "S005", "s005/../../etc", "", "s 005"])
def test_a_doc_that_is_not_an_id_is_refused(project: Path, doc: str) -> None:
    proc = run(str(CORPUS / "t03-county-execution-by-account.txt"), "--doc", doc, "--root", str(project))
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr
    assert not (project / "drafts").exists() and not (project.parent / "x").exists()


@pytest.mark.parametrize("out", ["data", "data/budget", "reports", ".", "content"])
def test_out_never_points_at_inputs(project: Path, out: str) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    proc = run(str(CORPUS / "t03-county-execution-by-account.txt"), "--doc", "s005", "--root", str(project),
               "--out", str(project / out))
    assert (proc.returncode == 2 and "input folder" in proc.stderr + proc.stdout) or "project folder" in proc.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_cp949_report_is_read(project: Path) -> None:
    proc = run(str(CORPUS / "t03-county-execution-by-account.cp949.txt"), "--doc", "s005", "--root", str(project),
               "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "(text, CP949)" in proc.stdout and "imported as 7 budget" in proc.stdout


def test_unreadable_files_get_a_message_not_a_traceback(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"2024\n\x80\xff budget\n")
    hwp = tmp_path / "report.hwp"
    hwp.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    for path, says in ((bad, "neither UTF-8 nor CP949"), (hwp, "HWPX"), (CORPUS / "scanned.pdf", "scanned PDF")):
        proc = run(str(path), "--doc", "s005", "--root", str(project))
        assert proc.returncode == 1 and says in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_accept_moves_drafts_only_when_they_validate(project: Path) -> None:
    proc = run(str(CORPUS / "t05-lofin-download.xlsx"), "--doc", "s005", "--root", str(project))
    assert proc.returncode == 0, proc.stderr
    drafts = project / "drafts"
    # The reference portal allows two jurisdictions: 부천시 is refused, nothing moves.
    proc = run("--accept", str(drafts), "--root", str(project))
    assert proc.returncode == 1 and "nothing was moved" in proc.stderr
    assert not (project / "data" / "sources" / "s005.yaml").exists()
    # The editor reviews: the portal gets the jurisdiction (as the warning says).
    config = project / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "jurisdictions: [서울특별시, 영등포구]" in text
    config.write_text(text.replace("jurisdictions: [서울특별시, 영등포구]", "jurisdictions: [서울특별시, 영등포구, 부천시]"),
                      encoding="utf-8")
    proc = run("--accept", str(drafts), "--root", str(project))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "data" / "sources" / "s005.yaml").is_file()
    assert (project / "reports" / "s005.txt").is_file()
    assert len(list((project / "data" / "budget").glob("s005-draft-*.yaml"))) == 6
    assert "still carry '-draft-'" in proc.stderr
    # A second accept of the same drafts never replaces a record.
    proc = run(str(CORPUS / "t05-lofin-download.xlsx"), "--doc", "s005", "--root", str(project), "--out",
               str(project / "drafts2"))
    assert proc.returncode == 0
    proc = run("--accept", str(project / "drafts2" / "budget"), "--root", str(project))
    assert proc.returncode == 1 and "already exists" in proc.stderr
