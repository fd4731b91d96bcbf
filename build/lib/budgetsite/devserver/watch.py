"""Which files changed, through watchfiles (inotify, FSEvents or ReadDirectoryChangesW under the
hood, polling where none works).

Input folders are watched recursively; the project's top folder is watched on its own, not
recursively (its site_config.yaml): an editor that saves by renaming a new file over the old one
replaces the inode, which a watch on the file itself would lose. Editors save in several steps
(write a temporary file, rename it, touch it again), so watchfiles gathers changes until the
folders have been quiet for `step` ms and reports them together."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import watchfiles

STEP_MS = 20  # quiet time that ends a burst of events (an editor's save)
DEBOUNCE_MS = 400  # the longest a burst is gathered before it is reported anyway


class Watcher:
    """Changed files under some folders (recursively) and some single files."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path] = ()):
        self.files = {f.resolve() for f in files}
        self.folders = [f.resolve() for f in folders if f.is_dir()]
        self._queue: queue.Queue[set[Path]] = queue.Queue()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(self.folders, True), daemon=True,
                                          name="budgetsite-watch")]
        parents = sorted({f.parent for f in self.files})
        if parents:
            self._threads.append(threading.Thread(target=self._run, args=(parents, False), daemon=True,
                                                  name="budgetsite-watch-files"))
        for t in self._threads:
            t.start()

    def _run(self, paths: list[Path], recursive: bool) -> None:
        if not paths:
            return
        for changes in watchfiles.watch(*paths, recursive=recursive, step=STEP_MS, debounce=DEBOUNCE_MS,
                                        stop_event=self._stop, raise_interrupt=False, rust_timeout=500,
                                        yield_on_timeout=True):
            found = {Path(p) for _, p in changes}
            if not recursive:
                found &= self.files  # other files beside a watched file are not inputs
            if found:
                self._queue.put(found)

    def changes(self, timeout: float | None = None) -> set[Path]:
        """The files changed since the last call (waits up to `timeout` seconds for the first)."""
        try:
            found = self._queue.get(timeout=timeout)
        except queue.Empty:
            return set()
        while True:  # the two watchers may each have a part of one save
            try:
                found |= self._queue.get_nowait()
            except queue.Empty:
                return found

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=2)
