"""Development server: build, serve on 127.0.0.1, update the site and reload the browser on change.

Changes are seen by budgetsite.devserver.watch and applied by budgetsite.devserver.updater: a
saved record's page is on disk in milliseconds, every page that shows it right after, then the
browsers reload. A change with errors keeps the last good site on screen and prints what is wrong.
livereload serves the folder and talks to the browsers; it watches nothing of ours (it is given an
empty folder to look at, so it does not poll the project)."""

from __future__ import annotations

import threading
from pathlib import Path

import click
from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop

from ..config import SiteConfig
from ..i18n import load_translations
from ..messages import format_problem
from .updater import LiveSite, Outcome
from .watch import Watcher


def _say(message: str) -> None:
    click.echo(message, err=True)


def report(config: SiteConfig, outcome: Outcome) -> None:
    if not outcome.ok:
        t = load_translations(config.theme_dirs(), config.language)
        for p in outcome.problems:
            _say(format_problem(p, t))
        _say("update failed; still serving the last good site")
    elif outcome.full:
        _say(f"built {outcome.pages} pages, {len(outcome.written)} files in {outcome.seconds:.2f}s")
    else:
        _say(f"updated {len(outcome.written)} files ({outcome.pages} pages rendered, {len(outcome.deleted)} "
             f"removed) in {outcome.seconds * 1000:.0f} ms")


def _updates(live: LiveSite, watcher: Watcher, loop: IOLoop) -> None:
    """The update loop, in its own thread: each batch of changes updates the site, then the
    server's event loop is asked to reload the browsers."""
    while True:
        changed = watcher.changes(timeout=1.0)
        if not changed:
            continue
        try:
            outcome = live.update(changed)
        except Exception as exc:  # keep serving; the next save tries again
            _say(f"update failed: {type(exc).__name__}: {exc}")
            continue
        if outcome.ok and not outcome.written and not outcome.deleted:
            continue  # nothing the site is made from (or saved without a change)
        report(live.config, outcome)
        loop.add_callback(LiveReloadHandler.reload_waiters)


def serve(config: SiteConfig, out: Path | None, port: int) -> None:
    out = (out or config.root / "_site").resolve()
    live = LiveSite(config, out, log=_say)
    report(config, live.build())  # before any thread starts: the build's workers fork
    root = config.root
    watcher = Watcher([config.data_dir, config.content_dir, root / "themes", *config.schema_dirs(),
                       config.reports_dir], [root / "site_config.yaml"])
    quiet = root / ".build-cache" / "serve"
    quiet.mkdir(parents=True, exist_ok=True)
    server = Server()
    server.watch(str(quiet))  # livereload's own polling: an empty folder that never changes
    threading.Thread(target=_updates, args=(live, watcher, IOLoop.current()), daemon=True,
                     name="budgetsite-updates").start()
    _say(f"serving http://127.0.0.1:{port}/ from {out}; watching {root} for changes")
    server.serve(root=str(out), host="127.0.0.1", port=port, open_url_delay=None)
