"""Valid HTML: the Nu HTML Checker (vnu.jar, from npm's vnu-jar) over every page of the built site
in one Java run. A known-bad page is checked in the same run, so a checker that checks nothing
cannot pass."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from quality.browser import VNU_JAR, need_npm_tool

BAD_PAGE = ('<!doctype html><html lang="en"><head><title>bad</title></head>'
            '<body><p><div>block in a paragraph</p><span id="x"></span><span id="x"></span></body></html>')


@pytest.fixture(scope="module")
def vnu_messages(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """{file: error messages} for every .html file of the site and the known-bad page."""
    jar = need_npm_tool(VNU_JAR)
    java = shutil.which("java")
    assert java, "java is missing: scripts/setup installs default-jre-headless"
    canary = tmp_path_factory.mktemp("vnu-canary") / "bad.html"
    canary.write_text(BAD_PAGE, encoding="utf-8")
    proc = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html",
         str(built_site), str(canary)],
        capture_output=True, text=True, timeout=900)
    output = proc.stderr.strip() or proc.stdout.strip()  # vnu writes its report to stderr
    try:
        report = json.loads(output)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar gave no JSON report (exit {proc.returncode}):\n{output[-3000:]}")
    by_file: dict[str, list[dict]] = {}
    for m in report.get("messages", []):
        url = m.get("url", "")
        name = url.removeprefix("file:")
        by_file.setdefault(name, []).append(m)
    by_file["__canary__"] = by_file.pop(str(canary), []) + by_file.pop(canary.as_uri().removeprefix("file:"), [])
    return by_file


def test_the_checker_finds_errors_in_a_bad_page(vnu_messages):
    assert len(vnu_messages["__canary__"]) >= 2, vnu_messages["__canary__"]


def test_every_page_is_valid_html(vnu_messages, built_site: Path):
    pages = sum(1 for _ in built_site.rglob("*.html"))
    assert pages > 100, f"only {pages} pages in the build"
    site_errors = {f: ms for f, ms in vnu_messages.items() if f != "__canary__"}
    count = sum(len(ms) for ms in site_errors.values())
    print(f"vnu: {pages} pages checked, {count} errors")
    if site_errors:
        kinds = Counter(m.get("message", "")[:140] for ms in site_errors.values() for m in ms)
        lines = [f"{n}× {msg}" for msg, n in kinds.most_common(15)]
        for f, ms in sorted(site_errors.items())[:10]:
            rel = Path(f).relative_to(built_site) if f.startswith(str(built_site)) else f
            m = ms[0]
            lines.append(f"{rel}:{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()[:100]}]")
        pytest.fail(f"{count} HTML errors in {len(site_errors)} pages:\n" + "\n".join(lines))
