"""A second portal: `budgetsite init` writes a portal that validates and builds at once, every
command works in it with --root, and the generator installed from its wheel into a virtual
environment outside this repository builds it and passes the page checks (valid HTML, links, axe)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest
import yaml
from quality.browser import AXE_JS, VNU_JAR, axe_violations, describe, need_npm_tool
from quality.crawl import SiteFolder

from budgetsite.config import PACKAGE_SCHEMAS
from budgetsite.kinds import load_registry
from conftest import ROOT, serve_folder, tracked_copy

CLI = [sys.executable, str(ROOT / "build.py")]


def run(*args: str, cwd: Path = ROOT, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("portal") / "yeongdeungpo"
    run("init", str(target), "--title", "영등포 예산 포털", "--jurisdiction", "영등포구", "--year", "2024")
    return target


def test_init_writes_a_whole_portal(portal: Path) -> None:
    for rel in ("site_config.yaml", "README.md", "CONTRIBUTING.md", ".gitignore", "netlify.toml",
                ".github/workflows/check.yml", "requirements.txt", "scripts/setup", "scripts/serve", "scripts/check",
                "content/about.md", "content/methodology.md", "content/glossary.md", "reports/s001.txt"):
        assert (portal / rel).is_file(), rel
    kinds = {p.name for p in (portal / "data").iterdir()}
    assert {"sources", "orgs", "programs", "budget", "audits"} <= kinds
    config = yaml.safe_load((portal / "site_config.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "영등포 예산 포털" and config["language"] == "ko"
    assert "scripts/serve" in (portal / "README.md").read_text(encoding="utf-8")
    # the editor's schema map covers every kind the generator has
    settings = json.loads((portal / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert sorted(settings["yaml.schemas"].values()) == sorted(
        f"data/{k}/*.yaml" for k in load_registry([PACKAGE_SCHEMAS]).names)
    for script in ("setup", "serve", "check", "netlify-build"):
        assert os.access(portal / "scripts" / script, os.X_OK), script
        assert subprocess.run(["bash", "-n", str(portal / "scripts" / script)]).returncode == 0


def test_init_refuses_a_folder_that_is_not_empty(portal: Path) -> None:
    proc = run("init", str(portal), check=False)
    assert proc.returncode == 2 and "not empty" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_example_data_validates_without_a_warning(portal: Path) -> None:
    proc = run("validate", "--root", str(portal), "--strict")
    assert "오류 0건, 경고 0건" in proc.stderr


def test_the_portal_builds_with_its_own_words(portal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run("build", "--root", str(portal), "--out", str(out))
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "영등포 예산 포털" in home
    source = (out / "sources/s001/index.html").read_text(encoding="utf-8")
    assert "영등포구" in source
    # the budget line cites its line of the report text, which the site publishes
    line = (out / "budget/s001-budget-support/index.html").read_text(encoding="utf-8")
    assert "sources/s001/text/#L16" in line
    assert "일자리지원과\t5,000\t3,400\t68.0%" in (out / "sources/s001/text/index.html").read_text(encoding="utf-8")
    assert (out / "charts/index.html").is_file() and (out / "data/budget.csv").is_file()
    assert not any(p.is_relative_to(ROOT) for p in [out])  # nothing of this repository was needed


def test_every_command_takes_root(portal: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(portal, work)
    # new
    run("new", "program", "s001-p-2-new-program", "--root", str(work))
    assert (work / "data/programs/s001-p-2-new-program.yaml").is_file()
    (work / "data/programs/s001-p-2-new-program.yaml").unlink()
    # diff: against the portal's first commit
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    budget = work / "data/budget/s001-budget-policy.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace("spent: 5600", "spent: 5700"), encoding="utf-8")
    proc = run("diff", "HEAD", "--root", str(work))
    assert "s001-budget-policy" in proc.stdout and "5,600 → 5,700" in proc.stdout
    # build twice, then check-permalinks with paths relative to the root
    run("build", "--root", str(work), "--out", str(work / "old"))
    run("build", "--root", str(work), "--out", str(work / "new"))
    proc = run("check-permalinks", "--root", str(work), "old", "new")
    assert "permalinks" in proc.stdout
    # serve: the page of the record is there once the server answers
    port = 8700 + os.getpid() % 200
    server = subprocess.Popen([*CLI, "serve", "--root", str(work), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/budget/s001-budget-policy/", timeout=5) as r:
                    body = r.read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:] if server.stderr else ""
                time.sleep(0.5)
        assert "5,700" in body
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---- the wheel, installed outside this repository -----------------------------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator's wheel installed into a fresh virtual environment outside the repository;
    the path of its `budgetsite` command."""
    place = tmp_path_factory.mktemp("wheel")
    source = tracked_copy(place / "source")  # setuptools builds in the source tree: not in ours
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(place / "dist"),
                            str(source)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    wheels = list((place / "dist").glob("budgetsite-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = place / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheels[0])],
                             capture_output=True, text=True, timeout=900, cwd=place)
    assert install.returncode == 0, install.stdout + install.stderr
    return env_dir / "bin" / "budgetsite"


def test_the_wheel_carries_the_engine(installed: Path) -> None:
    python = installed.parent / "python"
    proc = subprocess.run([str(python), "-c", "import budgetsite, pathlib; print(pathlib.Path(budgetsite.__file__).parent)"],
                          capture_output=True, text=True, cwd=installed.parent)
    package = Path(proc.stdout.strip())
    assert not package.is_relative_to(ROOT), package
    for rel in ("themes/default/templates/base.html", "themes/default/static/css/site.css",
                "themes/default/static/vendor/plotly-basic.min.js", "themes/default/fonts/NanumSquareR.ttf",
                "themes/default/i18n/ko.yaml", "themes/default/i18n/en.yaml", "kinds/schemas/programs.schema.json",
                "kinds/schemas/defs.schema.json", "starter/ko/site_config.yaml", "starter/common/gitignore"):
        assert (package / rel).is_file(), rel


@pytest.fixture(scope="module")
def wheel_site(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A portal made and built by the installed command, in a folder of its own."""
    place = tmp_path_factory.mktemp("wheel-portal")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    for args in (["init", "portal", "--jurisdiction", "예시구", "--year", "2024"],
                 ["validate", "--root", "portal", "--strict"], ["build", "--root", "portal"]):
        proc = subprocess.run([str(installed), *args], capture_output=True, text=True, cwd=place, env=env, timeout=600)
        assert proc.returncode == 0, (args, proc.stdout + proc.stderr)
    return place / "portal" / "_site"


def test_the_installed_portal_has_valid_html(wheel_site: Path) -> None:
    jar = need_npm_tool(VNU_JAR)
    java = shutil.which("java")
    assert java, "java is missing: scripts/setup installs default-jre-headless"
    proc = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html",
                           str(wheel_site)], capture_output=True, text=True, timeout=600)
    report = json.loads(proc.stderr.strip() or proc.stdout.strip())
    pages = len(list(wheel_site.rglob("*.html")))
    assert pages > 20
    assert report["messages"] == [], report["messages"][:5]


def test_the_installed_portal_has_no_broken_links(wheel_site: Path) -> None:
    report = SiteFolder(wheel_site, "/").check()
    assert report.pages > 20 and report.checked > 200
    assert not report.broken, [str(b) for b in report.broken[:10]]


def test_the_installed_portal_passes_axe(wheel_site: Path, page) -> None:
    axe = need_npm_tool(AXE_JS).read_text(encoding="utf-8")
    server, url = serve_folder(wheel_site)
    try:
        found = {}
        for path in ("", "programs/s001-p-1-job-counselling/", "budget/s001-budget-total/", "audits/s001-audit-1/",
                     "orgs/jobs-bureau/", "charts/", "data/"):
            response = page.goto(f"{url}/{path}")
            assert response is not None and response.status == 200, path
            violations = axe_violations(page, axe)
            if violations:
                found[path] = describe(violations)
        assert not found, found
    finally:
        server.shutdown()


# ---- a portal in another language and currency ------------------------------------------------

@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`init --lang en`: an English portal whose amounts are printed in US dollars, built."""
    place = tmp_path_factory.mktemp("english")
    run("init", str(place / "portal"), "--lang", "en", "--title", "Springfield budget portal",
        "--jurisdiction", "Springfield", "--year", "2024")
    proc = run("validate", "--root", str(place / "portal"), "--strict")
    assert "0 errors, 0 warnings" in proc.stderr
    run("build", "--root", str(place / "portal"), "--out", str(place / "site"))
    return place / "site"


def test_english_pages_read_in_english_and_dollars(english_site: Path) -> None:
    home = (english_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home and "Springfield budget portal" in home
    assert "USD 12.0 million" in home  # 12,000 thousand USD, as readers read it
    line = (english_site / "budget/s001-budget-support/index.html").read_text(encoding="utf-8")
    assert "5,000 thousand USD" in line and "68.0%" in line  # as printed, then computed: 3,400 ÷ 5,000
    assert "억원" not in home + line and "백만원" not in home + line and "원 단위" not in line


def test_english_charts_are_in_dollars(english_site: Path) -> None:
    charts = [p.parent for p in english_site.glob("charts/*/data.csv")]
    assert charts
    header = (charts[0] / "data.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "(thousand USD)" in header, header  # the largest, 12 million, reads best in thousands
    meta = json.loads((charts[0] / "data.json").read_text(encoding="utf-8"))
    assert "Springfield budget portal" in meta["citation"] or "Springfield" in meta["citation"]
    assert (charts[0] / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_english_downloads_carry_the_currency(english_site: Path) -> None:
    import csv
    rows = list(csv.DictReader((english_site / "data/budget.csv").read_text(encoding="utf-8-sig").splitlines()))
    total = next(r for r in rows if r["id"] == "s001-budget-total")
    assert total["budget"] == "12000" and total["budget_unit"] == "thousand USD" and total["budget_usd"] == "12000000"
    assert "budget_won" not in total
    package = json.loads((english_site / "data/datapackage.json").read_text(encoding="utf-8"))
    budget = next(r for r in package["resources"] if r["name"] == "budget")
    fields = {f["name"]: f for f in budget["schema"]["fields"]}
    assert "USD" in json.dumps(fields["budget_usd"], ensure_ascii=False)
    assert fields["budget_unit"]["constraints"]["enum"] == ["USD", "thousand USD", "million USD", "billion USD"]


def test_english_search_finds_the_program(english_site: Path, page) -> None:
    server, url = serve_folder(english_site)
    try:
        page.goto(f"{url}/search/?q=counselling")
        page.wait_for_selector("#search-results li a", timeout=15_000)
        links = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
        assert any("programs/s001-p-1-job-counselling/" in href for href in links), links
    finally:
        server.shutdown()


def test_number_format_comes_from_the_configuration(tmp_path: Path) -> None:
    run("init", str(tmp_path / "p"), "--lang", "en", "--jurisdiction", "Springfield", "--year", "2024")
    config = tmp_path / "p" / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  thousands: ','\n  decimal: '.'", "  thousands: '.'\n  decimal: ','"),
                      encoding="utf-8")
    run("build", "--root", str(tmp_path / "p"), "--out", str(tmp_path / "site"))
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "USD 12,0 million" in home and "75,0%" in home
    line = (tmp_path / "site" / "budget/s001-budget-support/index.html").read_text(encoding="utf-8")
    assert "5.000 thousand USD" in line
    # machine-readable files keep the machine way
    assert ",12000000," in (tmp_path / "site" / "data/budget.csv").read_text(encoding="utf-8-sig")
