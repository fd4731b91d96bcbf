"""git-backed features: `build.py diff BASE` for reviewers, last-changed dates and the Atom feed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from budgetsite import pipeline
from budgetsite.config import load_config
from conftest import ROOT, copy_project

RECORD = "data/budget/s000-v-dept-labor-policy.yaml"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2021-03-04T05:06:07+00:00",
                        "GIT_COMMITTER_DATE": "2021-03-04T05:06:07+00:00", "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("repo"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "데이터 첫 입력")
    path = root / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("budget: 36351", "budget: 36500"), encoding="utf-8")
    return root


def test_diff_lists_changed_figure_and_pages(repo: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "HEAD", "--root", str(repo)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "데이터 변경 1건" in proc.stdout
    assert "`budget/s000-v-dept-labor-policy`" in proc.stdout
    assert "예산현액: 36,351 → 36,500" in proc.stdout
    pages = re.search(r"페이지: (.*)", proc.stdout).group(1)
    assert "/budget/s000-v-dept-labor-policy/" in pages and "/orgs/labor-policy-div/" in pages


def test_diff_of_unknown_revision_is_a_clear_error(repo: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "no-such-rev", "--root", str(repo)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "Error" in proc.stderr


def test_pages_show_last_change_and_feed_lists_it(repo: Path) -> None:
    files = pipeline.build(load_config(repo), None).files
    page = files["budget/s000-v-dept-labor-policy/index.html"].decode()
    assert "데이터 변경일: 2021년 3월 4일" in page
    feed = files["feed.xml"].decode()
    assert "<title>데이터 첫 입력</title>" in feed
    assert "<updated>2021-03-04T05:06:07+00:00</updated>" in feed
