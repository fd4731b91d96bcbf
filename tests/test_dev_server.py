"""The dev server's parts that the incremental tests do not reach: the background job for the
site-wide files never lets an older job overwrite a newer one's files, the watcher reports a save
made by renaming a new file over the old one, and template mistakes are errors that name the
template and its line, never a silent fallback to another template."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from budgetsite.config import PACKAGE_THEMES
from budgetsite.devserver.jobs import SiteWideJob
from budgetsite.devserver.watch import Watcher
from budgetsite.files import write_atomic
from conftest import ROOT, copy_project


def test_a_newer_job_supersedes_an_older_one(tmp_path: Path) -> None:
    job = SiteWideJob()
    old_may_finish = threading.Event()
    written: list[tuple[str, bytes]] = []

    def write(path: str, data: bytes) -> bool:
        written.append((path, data))
        return write_atomic(tmp_path / path, data)

    def slow_old() -> list[tuple[str, bytes]]:
        old_may_finish.wait(10)
        return [("data/index.html", b"old")]

    job.start([slow_old], write, lambda p: None)
    first = job.thread
    job.start([lambda: [("data/index.html", b"new")]], write, lambda p: None)
    job.wait()
    old_may_finish.set()  # the older job finishes its work only now, after the newer one wrote
    assert first is not None
    first.join(10)
    assert (tmp_path / "data/index.html").read_bytes() == b"new"
    assert written == [("data/index.html", b"new")]


def test_a_job_removes_the_files_it_no_longer_makes(tmp_path: Path) -> None:
    job = SiteWideJob()
    removed: list[str] = []
    job.start([lambda: [("search/a.json", b"1"), ("search/b.json", b"2")]],
              lambda p, d: write_atomic(tmp_path / p, d), removed.append)
    job.wait()
    job.start([lambda: [("search/a.json", b"1")]], lambda p, d: write_atomic(tmp_path / p, d), removed.append)
    job.wait()
    assert removed == ["search/b.json"] and job.made == {"search/a.json"}


def test_the_watcher_sees_a_save_by_rename_and_a_new_file(tmp_path: Path) -> None:
    data = tmp_path / "data" / "programs"
    data.mkdir(parents=True)
    config = tmp_path / "site_config.yaml"
    config.write_text("title: a\n", encoding="utf-8")
    watcher = Watcher([tmp_path / "data"], [config])
    try:
        time.sleep(0.3)  # the watches are in place
        tmp = tmp_path / ".site_config.yaml.swp"
        tmp.write_text("title: b\n", encoding="utf-8")
        os.replace(tmp, config)  # how many editors save
        (data / "x.yaml").write_text("id: x\n", encoding="utf-8")
        seen: set[Path] = set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not {config, data / "x.yaml"} <= seen:
            seen |= watcher.changes(timeout=1.0)
        assert {config, data / "x.yaml"} <= seen, seen
        # the watch on the configuration survived the rename: a second save is seen too
        config.write_text("title: c\n", encoding="utf-8")
        again: set[Path] = set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and config not in again:
            again |= watcher.changes(timeout=1.0)
        assert config in again
    finally:
        watcher.close()


def _build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(root)],
                          capture_output=True, text=True, timeout=600)


def test_a_broken_kind_template_fails_the_build_naming_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    own = root / "themes/default/templates/kinds/audits.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    text = (PACKAGE_THEMES / "default/templates/kinds/audits.html").read_text(encoding="utf-8").splitlines()
    text[3] = text[3] + " {% if %}"  # a syntax error on line 4
    own.write_text("\n".join(text) + "\n", encoding="utf-8")
    proc = _build(root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "kinds/audits.html:4" in proc.stderr, proc.stderr[-2000:]
    assert not (root / "_site").exists()  # nothing half-made was published


def test_a_template_error_while_rendering_names_template_line_and_page(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    own = root / "themes/default/templates/kinds/programs.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    text = (PACKAGE_THEMES / "default/templates/kinds/programs.html").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text) if "block content" in t) + 1
    text.insert(line, "{{ record.data.items() | first | int // 0 }}")  # a division by zero, on the page
    own.write_text("\n".join(text) + "\n", encoding="utf-8")
    proc = _build(root)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert f"kinds/programs.html:{line + 1}" in proc.stderr, proc.stderr[-2000:]
    assert "ZeroDivisionError" in proc.stderr and "while rendering programs/" in proc.stderr
