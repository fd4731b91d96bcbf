"""Shared fixtures: the real site built once per session, served on 127.0.0.1, and a real
headless Chromium. In CI (CI=true) a missing browser is a failure, never a skip."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from budgetsite import pipeline
from budgetsite.config import load_config

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def pytest_configure(config: pytest.Config) -> None:
    # Chart images are content-addressed: every throwaway project copy of this session shares them.
    os.environ.setdefault("BUDGETSITE_CHART_CACHE", str(ROOT / ".build-cache" / "charts"))


def copy_project(dest: Path, with_data: bool = True) -> Path:
    """A throwaway copy of the project (config, schema, theme, content, reports, data)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("site_config.yaml", "schema", "themes", "content", "reports"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    if with_data:
        shutil.copytree(ROOT / "data", dest / "data")
    else:
        (dest / "data").mkdir()
    return dest


def tracked_copy(dest: Path) -> Path:
    """The repository as a fresh clone has it (the files git tracks, as they are now)."""
    names = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout
    for name in filter(None, names.decode().split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest



@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built into a temporary folder, once for the whole session."""
    out = tmp_path_factory.mktemp("site") / "_site"
    result = pipeline.build(load_config(ROOT), out)
    assert result.ok, [str(p) for p in result.checked.problems.errors][:10]
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Serve the site's own 404 page, as static hosts do.
        if code == 404 and (Path(self.directory) / "404.html").exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    server, url = serve_folder(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (run scripts/test, which installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR")
    p = context.new_page()
    yield p
    context.close()
