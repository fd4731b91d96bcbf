"""Reliability of the build: the same input gives the same bytes; a failed or killed build leaves
the published site as it was; permalinks survive rebuilds, and renames with `old_ids`."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from budgetsite import pipeline
from budgetsite.config import load_config
from conftest import ROOT, copy_project


def digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file in the folder."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    out = [f"only in the first: {k}" for k in sorted(a.keys() - b.keys())]
    out += [f"only in the second: {k}" for k in sorted(b.keys() - a.keys())]
    out += [f"differs: {k}" for k in sorted(a.keys() & b.keys()) if a[k] != b[k]]
    return out


def build_command(root: Path, out: Path | None = None, *extra: str) -> list[str]:
    cmd = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(root)]
    return cmd + (["--out", str(out)] if out else []) + list(extra)


def run(cmd: list[str], seed: str = "0", timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def check_permalinks(old: Path, new: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, str(ROOT / "build.py"), "check-permalinks", str(old), str(new)])


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The project built twice at once, by two processes with different hash seeds (set and dict
    order), into two different folders."""
    base = tmp_path_factory.mktemp("twice")
    outs = (base / "one" / "_site", base / "two" / "_site")
    env = [{**os.environ, "PYTHONHASHSEED": seed} for seed in ("1", "2")]
    procs = [subprocess.Popen(build_command(ROOT, out), env=e, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for out, e in zip(outs, env, strict=True)]
    for p in procs:
        _, err = p.communicate(timeout=900)
        assert p.returncode == 0, err[-3000:]
    return outs


@pytest.fixture
def project(tmp_path: Path, built_site: Path) -> Path:
    """A throwaway copy of the project, with a published _site (the real build) beside it."""
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project")
    cache = ROOT / ".build-cache"
    if cache.is_dir():
        shutil.copytree(cache, root / ".build-cache")
    shutil.copytree(built_site, root / "_site")
    return root


def test_two_builds_are_byte_identical(two_builds):
    one, two = two_builds
    a, b = digest(one), digest(two)
    diff = differences(a, b)
    print(f"determinism: {len(a)} files compared, {len(diff)} differ")
    assert len(a) > 100
    assert not diff, "\n".join(diff[:30])
    for path in (one, two):
        for text_file in ("sitemap.xml", "index.html"):
            text = (path / text_file).read_text(encoding="utf-8")
            assert str(path.parent) not in text, f"{text_file} contains the output folder's path"


def test_a_broken_yaml_file_fails_the_build_and_keeps_the_site(project: Path):
    before = digest(project / "_site")
    victim = sorted((project / "data" / "programs").glob("*.yaml"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nbroken: [unclosed\n  - : :\n", encoding="utf-8")
    proc = run(build_command(project))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output[-2000:]
    assert "Traceback" not in output, output[-3000:]
    assert victim.name in output, f"the message does not name {victim.name}:\n{output[-2000:]}"
    assert digest(project / "_site") == before, "a failed build changed the published site"
    leftovers = [p.name for p in project.iterdir() if p.name.startswith("._site")]
    assert not leftovers, leftovers


def test_a_killed_build_leaves_the_site_untouched(project: Path):
    site = project / "_site"
    before = digest(site)
    existing = set(project.iterdir())

    def writing() -> bool:  # the build writes the new site beside the old one, then swaps it in
        return any("_site" in p.name for p in set(project.iterdir()) - existing)

    proc = subprocess.Popen(build_command(project), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600
    try:
        while not writing():
            assert proc.poll() is None, f"the build ended before it was killed: {proc.stderr.read()[-2000:]!r}"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert site.is_dir(), "the killed build removed the published site"
    assert digest(site) == before, "the killed build changed the published site"
    # The next build clears what the killed one left and publishes a complete site.
    done = run(build_command(project))
    assert done.returncode == 0, done.stderr[-3000:]
    assert (site / "index.html").is_file() and (site / "sitemap.xml").is_file()
    # The site this build replaced is deleted by a process of its own, in the background.
    deadline = time.monotonic() + 30
    while (leftovers := [p.name for p in project.iterdir() if p.name.startswith("._site")]) and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    assert not leftovers, leftovers


# ---- permalinks ---------------------------------------------------------------------------------

def _unreferenced_record(root: Path) -> tuple[str, str]:
    """(kind, id) of a record no other file of the data or content names: it can go alone."""
    texts = {p: p.read_text(encoding="utf-8") for p in [*(root / "data").rglob("*.yaml"), *(root / "content").rglob("*.md")]}
    for kind in ("audits", "budget", "programs", "tables", "indicators"):
        for path in sorted((root / "data" / kind).glob("*.yaml")):
            rid = path.stem
            pattern = re.compile(rf"(?<![a-z0-9-]){re.escape(rid)}(?![a-z0-9-])")
            if not any(pattern.search(text) for p, text in texts.items() if p != path):
                return kind, rid
    raise AssertionError("every record is named by another one")


def test_check_permalinks_passes_between_two_builds(two_builds):
    proc = check_permalinks(*two_builds)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r"all \d+ permalinks", proc.stdout), proc.stdout


def test_check_permalinks_catches_a_deleted_record_and_accepts_its_rename(two_builds, tmp_path: Path):
    old = two_builds[0]
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project")
    if (ROOT / ".build-cache").is_dir():
        shutil.copytree(ROOT / ".build-cache", root / ".build-cache")
    kind, rid = _unreferenced_record(root)
    record = root / "data" / kind / f"{rid}.yaml"
    text = record.read_text(encoding="utf-8")
    record.unlink()

    deleted = tmp_path / "deleted"
    assert pipeline.build(load_config(root), deleted).ok
    proc = check_permalinks(old, deleted)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output[-2000:]
    assert f"/{kind}/{rid}/" in output, output[-2000:]
    assert "Traceback" not in output

    new_id = f"{rid}-renamed"
    data = yaml.safe_load(text)
    data["id"] = new_id
    data["old_ids"] = [*(data.get("old_ids") or []), rid]
    (root / "data" / kind / f"{new_id}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    renamed = tmp_path / "renamed"
    assert pipeline.build(load_config(root), renamed).ok
    proc = check_permalinks(old, renamed)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-2000:]
    assert f"/{kind}/{rid}/ /{kind}/{new_id}/ 301" in (renamed / "_redirects").read_text(encoding="utf-8")


def test_check_permalinks_without_a_sitemap_is_a_usage_error(tmp_path: Path, built_site: Path):
    proc = check_permalinks(tmp_path, built_site)
    assert proc.returncode == 2 and "sitemap.xml" in proc.stderr and "Traceback" not in proc.stderr
