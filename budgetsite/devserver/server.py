"""Development server: build, serve on 127.0.0.1, update the site and reload the browser on change.

Changes are seen through inotify (budgetsite.watch) and applied incrementally
(budgetsite.incremental): a saved record's page is on disk in milliseconds, every page that shows
it right after, then the browser reloads. A change with errors keeps the last good site on screen
and prints what is wrong."""

from __future__ import annotations

import threading
from pathlib import Path

import click
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher as _LivereloadWatcher
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


class _Updates(_LivereloadWatcher):
    """livereload's hook: instead of polling, a thread waits for inotify events, updates the site
    and asks the server's event loop to reload the browsers."""

    def __init__(self, live: LiveSite, watcher: Watcher):
        super().__init__()
        self.live, self.watcher = live, watcher

    def watch(self, path, func=None, delay=None, ignore=None):  # type: ignore[no-untyped-def]
        self._tasks[path] = {}  # nothing for livereload to poll

    def examine(self):  # type: ignore[no-untyped-def]
        return None, None

    def start(self, callback) -> bool:  # type: ignore[no-untyped-def]
        loop = IOLoop.current()
        threading.Thread(target=self._run, args=(loop,), daemon=True, name="budgetsite-watch").start()
        return True  # livereload needs no polling

    def _run(self, loop: IOLoop) -> None:
        while True:
            changed = self.watcher.changes(timeout=1.0)
            if changed is not None and not changed:
                continue
            try:
                outcome = self.live.build() if changed is None else self.live.update(changed)
            except Exception as exc:  # keep serving; the next save tries again
                _say(f"update failed: {type(exc).__name__}: {exc}")
                continue
            if outcome.ok and not outcome.written and not outcome.deleted:
                continue  # nothing the site is made from (or saved without a change)
            report(self.live.config, outcome)
            if outcome.ok:
                loop.add_callback(LiveReloadHandler.reload_waiters)


def serve(config: SiteConfig, out: Path | None, port: int) -> None:
    out = (out or config.root / "_site").resolve()
    live = LiveSite(config, out, log=_say)
    first = live.build()
    report(config, first)
    root = config.root
    watcher = Watcher([config.data_dir, config.content_dir, root / "themes", config.schema_dir, config.reports_dir],
                      [root / "site_config.yaml"])
    if not watcher.inotify:
        _say("no inotify here: polling for changes (slow for large sites)")
    server = Server(watcher=_Updates(live, watcher))
    _say(f"serving http://127.0.0.1:{port}/ from {out}; watching {root} for changes")
    server.serve(root=str(out), host="127.0.0.1", port=port, open_url_delay=None)
