"""Development server: build, serve on 127.0.0.1, rebuild and reload the browser on change.

A rebuild that fails keeps the last good site on screen and prints what is wrong."""

from __future__ import annotations

import time
from pathlib import Path

import click
from livereload import Server

from . import pipeline
from .config import SiteConfig
from .i18n import load_translations
from .report import format_problem
from .write import write_site


def rebuild(config: SiteConfig, out: Path) -> bool:
    start = time.perf_counter()
    result = pipeline.build(config, None)
    if not result.ok:
        t = load_translations(config.theme_dirs(), config.language)
        for p in result.checked.problems.errors:
            click.echo(format_problem(p, t), err=True)
        click.echo("rebuild failed; still serving the last good site", err=True)
        return False
    write_site(result.files, out)
    click.echo(f"rebuilt {result.pages} pages in {time.perf_counter() - start:.2f}s", err=True)
    return True


def serve(config: SiteConfig, out: Path | None, port: int) -> None:
    out = (out or config.root / "_site").resolve()
    rebuild(config, out)
    server = Server()
    for watched in (config.data_dir, config.content_dir, config.root / "themes", config.root / "site_config.yaml"):
        server.watch(str(watched), lambda: rebuild(config, out))
    server.serve(root=str(out), host="127.0.0.1", port=port, open_url_delay=None)
